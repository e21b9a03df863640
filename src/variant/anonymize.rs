//! Anonymization: a profile without personal data, and the list of personal
//! values (the secrets) that neither its text nor its PDF may contain.
//!
//! Structured personal fields are removed outright. The same values are then
//! redacted wherever they appear in free text:
//!
//! - the full name, and each name part of three or more letters as a word in
//!   any case ("Reed's" -> "[name]'s", "Smith-Jones" -> "[name]-[name]");
//! - name parts of two letters ("Li", "Wu") only as words with their own
//!   capitalisation, since in lower case they are ordinary words; initials
//!   only inside the full name;
//! - every email address, and any link or handle that contains a name part,
//!   the personal domain or a profile user name;
//! - the phone number in any formatting (compared by its last seven digits);
//! - the address, postal code, city and region, and the birth date.
//!
//! Gender, nationality and marital status are removed as fields but not
//! searched for in text: "German" in a languages section is not personal.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use crate::profile::{AnonymizeOptions, Basics, Location, PartialDate, Profile, SectionKind};

/// A personal value and how to find it in text.
#[derive(Debug, Clone)]
pub struct Secret {
    /// The profile field it comes from (`name`, `email`...).
    pub field: &'static str,
    pub value: String,
    matcher: Matcher,
    replacement: String,
    /// The value's words, for matching (see [`Words`]).
    words: Words,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Matcher {
    /// Anywhere, in any case, whitespace-insensitive.
    Phrase,
    /// As a whole word.
    Word { case_sensitive: bool },
    /// A phone number, by its last seven digits.
    Phone,
}

/// Where a secret was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Leak {
    pub field: &'static str,
    pub value: String,
    /// The text around the hit.
    pub context: String,
}

/// The personal values of one profile.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    secrets: Vec<Secret>,
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+-]+@[\w-]+(\.[\w-]+)+").unwrap_or_else(|_| unreachable!("valid pattern"))
});
static LINKISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(https?://|www\.)[^\s)\]>]+|\b[\w-]+(\.[\w-]+)*\.[a-z]{2,}/[^\s)\]>]*")
        .unwrap_or_else(|_| unreachable!("valid pattern"))
});
static MARKDOWN_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[([^\]]*)\]\(([^)\s]*)\)").unwrap_or_else(|_| unreachable!("valid pattern"))
});
static PHONE_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\+?\(?\d[\d\s().\-/]{5,}\d").unwrap_or_else(|_| unreachable!("valid pattern"))
});

/// Mail and name services whose domain says nothing about the person.
const SHARED_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "aol.com",
    "mail.com",
    "github.com",
    "gitlab.com",
    "linkedin.com",
    "twitter.com",
    "x.com",
    "medium.com",
    "speakerdeck.com",
];

impl Secrets {
    /// Collects the personal values of a profile.
    pub fn of(basics: &Basics) -> Self {
        let mut secrets = Secrets::default();
        if let Some(name) = nonempty(&basics.name) {
            secrets.add("name", name, Matcher::Phrase, "[name]");
            for part in name.split(|c: char| c.is_whitespace() || c == '-' || c == '.' || c == ',')
            {
                match part.chars().count() {
                    0 | 1 => {}
                    2 => secrets.add(
                        "name",
                        part,
                        Matcher::Word {
                            case_sensitive: true,
                        },
                        "[name]",
                    ),
                    _ => secrets.add(
                        "name",
                        part,
                        Matcher::Word {
                            case_sensitive: false,
                        },
                        "[name]",
                    ),
                }
            }
        }
        if let Some(email) = nonempty(&basics.email) {
            secrets.add("email", email, Matcher::Phrase, "[email]");
            if let Some((local, domain)) = email.split_once('@') {
                if local.chars().count() >= 3 {
                    secrets.add(
                        "email",
                        local,
                        Matcher::Word {
                            case_sensitive: false,
                        },
                        "[email]",
                    );
                }
                secrets.add_domain("email", domain);
            }
        }
        if let Some(phone) = nonempty(&basics.phone)
            && digits(phone).len() >= 7
        {
            secrets.add("phone", phone, Matcher::Phone, "[phone]");
        }
        if let Some(url) = nonempty(&basics.url) {
            secrets.add("url", url, Matcher::Phrase, "[link]");
            secrets.add_domain("url", &host(url));
        }
        for profile in &basics.profiles {
            if let Some(url) = nonempty(&profile.url) {
                secrets.add("profiles", url, Matcher::Phrase, "[link]");
                secrets.add_domain("profiles", &host(url));
            }
            if let Some(user) = nonempty(&profile.username).filter(|u| u.chars().count() >= 3) {
                secrets.add(
                    "profiles",
                    user,
                    Matcher::Word {
                        case_sensitive: false,
                    },
                    "[link]",
                );
            }
        }
        if let Some(location) = &basics.location {
            let Location {
                address,
                postal_code,
                city,
                region,
                ..
            } = location;
            for (value, matcher) in [
                (address, Matcher::Phrase),
                (
                    postal_code,
                    Matcher::Word {
                        case_sensitive: false,
                    },
                ),
                (
                    city,
                    Matcher::Word {
                        case_sensitive: false,
                    },
                ),
                (
                    region,
                    Matcher::Word {
                        case_sensitive: false,
                    },
                ),
            ] {
                if let Some(value) = nonempty(value) {
                    secrets.add("location", value, matcher, "[location]");
                }
            }
        }
        if let Some(birth) = basics.birth_date {
            secrets.add("birth_date", &birth.to_string(), Matcher::Phrase, "[date]");
        }
        secrets
    }

    fn add(&mut self, field: &'static str, value: &str, matcher: Matcher, replacement: &str) {
        let value = value.trim();
        if value.is_empty()
            || self
                .secrets
                .iter()
                .any(|s| s.value.eq_ignore_ascii_case(value) && s.matcher == matcher)
        {
            return;
        }
        self.secrets.push(Secret {
            field,
            value: value.to_owned(),
            matcher,
            replacement: replacement.to_owned(),
            words: Words::new(value),
        });
    }

    /// A personal domain and its name without the top-level domain
    /// ("rdallman.com", "rdallman"); shared services are skipped.
    fn add_domain(&mut self, field: &'static str, domain: &str) {
        let domain = domain.trim().trim_start_matches("www.").to_lowercase();
        if domain.is_empty() || SHARED_DOMAINS.contains(&domain.as_str()) {
            return;
        }
        self.add(field, &domain, Matcher::Phrase, "[link]");
        if let Some((label, _)) = domain.split_once('.')
            && label.chars().count() >= 4
        {
            self.add(field, label, Matcher::Phrase, "[link]");
        }
    }

    /// Adds a value that is not personal data but must go too (an
    /// employer's name, when employers are generalized).
    fn add_alias(&mut self, value: &str, replacement: &str) {
        if value.trim().chars().count() >= 3 {
            self.add("organization", value, Matcher::Phrase, replacement);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Secret> {
        self.secrets.iter()
    }

    /// Redacts every secret, every email address, and every link that holds
    /// a secret.
    pub fn redact(&self, text: &str) -> String {
        // Links whose target is personal become their (redacted) text.
        let text = MARKDOWN_LINK.replace_all(text, |caps: &regex::Captures| {
            if self.find(&caps[2]).is_some() {
                caps[1].to_owned()
            } else {
                caps[0].to_owned()
            }
        });
        let text = EMAIL.replace_all(&text, "[email]");
        let text = LINKISH.replace_all(&text, |caps: &regex::Captures| {
            let link = &caps[0];
            let personal = self.find(link).is_some()
                || self
                    .name_parts()
                    .any(|part| !part.words.find_all(link, false, true).is_empty());
            if personal {
                "[link]".to_owned()
            } else {
                link.to_owned()
            }
        });
        let mut text = text.into_owned();
        // Longer values first, so the full name goes before its parts.
        let mut secrets: Vec<&Secret> = self.secrets.iter().collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.value.chars().count()));
        for secret in secrets {
            let hits = secret.find_all(&text);
            for range in hits.into_iter().rev() {
                text.replace_range(range, &secret.replacement);
            }
        }
        text
    }

    /// The first secret found in `text`, if any.
    pub fn find(&self, text: &str) -> Option<Leak> {
        self.secrets.iter().find_map(|secret| {
            let range = secret.find_all(text).into_iter().next()?;
            let start = text.floor_char_boundary(range.start.saturating_sub(30));
            let end = text.ceil_char_boundary(range.end + 30);
            Some(Leak {
                field: secret.field,
                value: secret.value.clone(),
                context: text[start..end].to_owned(),
            })
        })
    }

    /// The parts of the person's name, matched as words in any case.
    fn name_parts(&self) -> impl Iterator<Item = &Secret> {
        self.secrets.iter().filter(|s| {
            s.field == "name"
                && s.matcher
                    == Matcher::Word {
                        case_sensitive: false,
                    }
        })
    }
}

impl Secret {
    /// Whether it is matched as a whole word (a name part, a handle) rather
    /// than anywhere.
    pub fn is_word(&self) -> bool {
        matches!(self.matcher, Matcher::Word { .. })
    }

    /// Byte ranges of every occurrence in `text`.
    fn find_all(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        match self.matcher {
            Matcher::Phrase => self.words.find_all(text, false, true),
            Matcher::Word { case_sensitive } => self.words.find_all(text, true, !case_sensitive),
            Matcher::Phone => {
                let wanted = last_digits(&self.value);
                PHONE_RUN
                    .find_iter(text)
                    .filter(|m| digits(m.as_str()).len() >= 7 && last_digits(m.as_str()) == wanted)
                    .map(|m| m.range())
                    .collect()
            }
        }
    }
}

/// A value as a sequence of words, matched in text with any run of
/// whitespace between them, optionally ignoring case and only as whole words
/// (no letter, digit or `_` either side). This is what the regexes
/// `(?i)\bA\s+B\b` did; building one regex per personal value cost more
/// than every search it then made (4% of a batch's instructions).
#[derive(Debug, Clone)]
struct Words {
    words: Vec<Vec<char>>,
}

impl Words {
    fn new(value: &str) -> Self {
        Self {
            words: value
                .split_whitespace()
                .map(|word| word.chars().collect())
                .collect(),
        }
    }

    /// Byte ranges of the non-overlapping occurrences, left to right.
    fn find_all(
        &self,
        text: &str,
        whole_words: bool,
        ignore_case: bool,
    ) -> Vec<std::ops::Range<usize>> {
        let mut found = Vec::new();
        let Some(first) = self.words.first().and_then(|w| w.first()) else {
            return found;
        };
        let same = |a: char, b: char| {
            a == b
                || (ignore_case
                    && if a.is_ascii() && b.is_ascii() {
                        a.eq_ignore_ascii_case(&b)
                    } else {
                        a.to_lowercase().eq(b.to_lowercase())
                    })
        };
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        // Candidate starts: for an ASCII first letter, a byte scan (UTF-8
        // continuation bytes are never ASCII); otherwise every character.
        let starts: Box<dyn Iterator<Item = usize>> = if first.is_ascii() {
            let first = *first as u8;
            Box::new(
                text.bytes()
                    .enumerate()
                    .filter(move |(_, b)| {
                        *b == first || (ignore_case && b.eq_ignore_ascii_case(&first))
                    })
                    .map(|(i, _)| i),
            )
        } else {
            Box::new(
                text.char_indices()
                    .filter(|&(_, c)| same(c, *first))
                    .map(|(i, _)| i),
            )
        };
        let mut end_of_last = 0;
        for start in starts {
            if start < end_of_last {
                continue;
            }
            let Some(end) = self.match_at(text, start, same) else {
                continue;
            };
            if whole_words
                && (text[..start].chars().next_back().is_some_and(is_word)
                    || text[end..].chars().next().is_some_and(is_word))
            {
                continue;
            }
            found.push(start..end);
            end_of_last = end;
        }
        found
    }

    /// Where a match starting at `start` ends, if there is one.
    fn match_at(
        &self,
        text: &str,
        start: usize,
        same: impl Fn(char, char) -> bool,
    ) -> Option<usize> {
        let mut chars = text[start..].char_indices().peekable();
        for (index, word) in self.words.iter().enumerate() {
            if index > 0 {
                let mut spaces = 0;
                while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {
                    spaces += 1;
                }
                if spaces == 0 {
                    return None;
                }
            }
            for &wanted in word {
                let (_, c) = chars.next()?;
                if !same(c, wanted) {
                    return None;
                }
            }
        }
        Some(chars.peek().map_or(text.len(), |(i, _)| start + i))
    }
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn last_digits(text: &str) -> String {
    let all = digits(text);
    all[all.len().saturating_sub(7)..].to_owned()
}

fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_owned()
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A short, stable identifier for a candidate: the profile's own
/// `[anonymize] id`, or a hash of who they are (name, email, phone), falling
/// back to the file name. It is a pseudonym, not a secret.
pub fn candidate_id(profile: &Profile, slug: &str) -> String {
    if let Some(id) = nonempty(&profile.anonymize.id) {
        return id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
    }
    let basics = &profile.basics;
    let identity = [&basics.name, &basics.email, &basics.phone].map(|v| nonempty(v).unwrap_or(""));
    let mut hasher = Sha256::new();
    hasher.update(b"cvgen candidate\n");
    if identity.iter().all(|v| v.is_empty()) {
        hasher.update(slug.as_bytes());
    } else {
        for value in identity {
            hasher.update(value.to_lowercase().as_bytes());
            hasher.update(b"\n");
        }
    }
    hasher
        .finalize()
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A profile with its personal data removed and redacted, and the secrets
/// to check the result against.
pub fn anonymize(profile: &Profile, id: &str, options: &AnonymizeOptions) -> (Profile, Secrets) {
    let mut secrets = Secrets::of(&profile.basics);
    let mut out = profile.clone();
    let label = format!("Candidate {id}");
    out.basics = Basics {
        name: Some(label),
        label: profile.basics.label.clone(),
        location: profile.basics.location.as_ref().map(|l| Location {
            country: l.country.clone(),
            country_code: l.country_code.clone(),
            ..Location::default()
        }),
        ..Basics::default()
    };
    for section in &mut out.sections {
        for entry in &mut section.entries {
            let generic = match section.kind {
                SectionKind::Work if options.employers => Some("a company"),
                SectionKind::Volunteer if options.employers => Some("an organization"),
                SectionKind::Education if options.schools => Some("a university"),
                _ => None,
            };
            if let Some(generic) = generic {
                let alias = entry.alias.clone().unwrap_or_else(|| generic.to_owned());
                for field in [
                    &mut entry.name,
                    &mut entry.organization,
                    &mut entry.institution,
                ] {
                    if let Some(original) = field.replace(alias.clone()) {
                        secrets.add_alias(&original, &alias);
                    }
                }
                entry.url = None;
            }
            if options.years_only {
                let year = |d: PartialDate| PartialDate {
                    month: None,
                    day: None,
                    ..d
                };
                entry.start_date = entry.start_date.map(year);
                entry.date = entry.date.map(year);
                entry.release_date = entry.release_date.map(year);
                entry.end_date = entry.end_date.map(|bound| match bound {
                    crate::profile::DateBound::Date(d) => crate::profile::DateBound::Date(year(d)),
                    present => present,
                });
            }
            entry.alias = None;
        }
    }
    out.sections = redact_sections(&out, &secrets);
    // The headline may name the person too.
    out.basics.label = out.basics.label.as_deref().map(|l| secrets.redact(l));
    (out, secrets)
}

/// Redacts every string of every section, whatever field it is in: the
/// sections go through JSON, so a field added later is covered too.
fn redact_sections(profile: &Profile, secrets: &Secrets) -> Vec<crate::profile::Section> {
    const KEEP: &[&str] = &[
        "kind",
        "priority",
        "start_date",
        "end_date",
        "date",
        "release_date",
    ];
    fn walk(value: &mut Json, secrets: &Secrets) {
        match value {
            Json::String(text) => *text = secrets.redact(text),
            Json::Array(items) => items.iter_mut().for_each(|item| walk(item, secrets)),
            Json::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if !KEEP.contains(&key.as_str()) {
                        walk(value, secrets);
                    }
                }
            }
            _ => {}
        }
    }
    let mut json = serde_json::to_value(&profile.sections).unwrap_or(Json::Null);
    walk(&mut json, secrets);
    // Redaction only changes string contents, so the shape still parses.
    serde_json::from_value(json).unwrap_or_else(|_| profile.sections.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_like_the_regexes_they_replace() {
        let name = Words::new("Reed  Allman");
        let text = "By reed\nALLMAN, not Reedallman or reed allmanx; Reed Allman.";
        let hits: Vec<&str> = name
            .find_all(text, true, true)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(hits, ["reed\nALLMAN", "Reed Allman"]);
        // Anywhere, as inside a link.
        let hits = Words::new("allman").find_all("rdallman.com", false, true);
        assert_eq!(hits, vec![2..8]);
        // Case-sensitive short names, and letters beyond ASCII.
        assert!(
            Words::new("Bo")
                .find_all("Bob and bo", true, false)
                .is_empty()
        );
        let hits = Words::new("Bo").find_all("Bob and Bo.", true, false);
        assert_eq!(hits, vec![8..10]);
        let hits = Words::new("garcía").find_all("Ana GARCÍA López", true, true);
        assert_eq!(hits, vec![4..11]);
        assert!(Words::new("Ana").find_all("Anaïs", true, true).is_empty());
    }

    fn secrets(toml: &str) -> Secrets {
        let profile = crate::profile::parse(std::path::Path::new("t.toml"), toml).unwrap();
        Secrets::of(&profile.basics)
    }

    #[test]
    fn names_are_redacted_as_words_in_free_text() {
        let s = secrets("[basics]\nname = \"Reed Allman\"\n");
        assert_eq!(
            s.redact("Reed's talk; REED and allman."),
            "[name]'s talk; [name] and [name]."
        );
        assert_eq!(s.redact("Greed reeds allmanac"), "Greed reeds allmanac");
        assert_eq!(s.redact("Reed Allman wrote it"), "[name] wrote it");
    }

    #[test]
    fn hyphenated_names_and_initials() {
        let s = secrets("[basics]\nname = \"Anne-Marie L. Smith-Jones\"\n");
        assert_eq!(
            s.redact("Smith-Jones and Anne-Marie"),
            "[name]-[name] and [name]-[name]"
        );
        // An initial alone is an ordinary letter.
        assert_eq!(s.redact("Plan L works"), "Plan L works");
    }

    #[test]
    fn two_letter_names_only_with_their_capitalisation() {
        let s = secrets("[basics]\nname = \"Bo Li\"\n");
        assert_eq!(
            s.redact("Li built it, li is a unit, Bo too"),
            "[name] built it, li is a unit, [name] too"
        );
    }

    #[test]
    fn names_inside_links_and_emails() {
        let s = secrets(
            "[basics]\nname = \"Reed Allman\"\nemail = \"reed@rdallman.com\"\nurl = \"https://rdallman.com\"\n",
        );
        assert_eq!(
            s.redact("mail reed@rdallman.com or me@other.org"),
            "mail [email] or [email]"
        );
        assert_eq!(
            s.redact("see https://github.com/reedallman/fn now"),
            "see [link] now"
        );
        assert_eq!(s.redact("my blog rdallman.com/posts"), "my blog [link]");
        assert_eq!(
            s.redact("I dabble: [github](https://github.com/rdallman)"),
            "I dabble: github"
        );
        assert_eq!(
            s.redact("[Fn](https://fnproject.io)"),
            "[Fn](https://fnproject.io)"
        );
    }

    #[test]
    fn phone_numbers_in_any_formatting() {
        let s = secrets("[basics]\nphone = \"+1 (312) 555-0123\"\n");
        for text in [
            "call 312-555-0123",
            "call +13125550123",
            "call (312) 555 0123",
            "call 312.555.0123",
        ] {
            assert_eq!(s.redact(text), "call [phone]", "{text}");
        }
        assert_eq!(s.redact("grew 100x in 2019"), "grew 100x in 2019");
    }

    #[test]
    fn anonymizing_removes_fields_and_generalizes_on_request() {
        let toml = "[basics]\nname = \"Reed Allman\"\nemail = \"reed@rdallman.com\"\nphone = \"555 123 4567\"\n\
            location = { city = \"Oakland\", country = \"USA\" }\n\
            [[section]]\nkind = \"work\"\n[[section.entries]]\nname = \"Oracle\"\nalias = \"large cloud provider\"\n\
            start_date = \"2017-05\"\nsummary = \"Built Oracle's functions with Reed's team in Oakland.\"\n";
        let profile = crate::profile::parse(std::path::Path::new("t.toml"), toml).unwrap();
        let options = AnonymizeOptions {
            employers: true,
            years_only: true,
            ..Default::default()
        };
        let (anon, secrets) = anonymize(&profile, "abcd1234", &options);
        assert_eq!(anon.basics.name.as_deref(), Some("Candidate abcd1234"));
        assert!(anon.basics.email.is_none() && anon.basics.phone.is_none());
        let location = anon.basics.location.as_ref().unwrap();
        assert_eq!(
            (location.city.as_deref(), location.country.as_deref()),
            (None, Some("USA"))
        );
        let entry = &anon.sections[0].entries[0];
        assert_eq!(entry.name.as_deref(), Some("large cloud provider"));
        assert_eq!(entry.start_date.unwrap().month, None);
        assert_eq!(
            entry.summary.as_deref(),
            Some("Built large cloud provider's functions with [name]'s team in [location].")
        );
        assert!(
            secrets
                .find(&serde_json::to_string(&anon.sections).unwrap())
                .is_none()
        );
    }

    #[test]
    fn candidate_ids_are_stable_and_carry_no_name() {
        let profile = crate::profile::parse(
            std::path::Path::new("t.toml"),
            "[basics]\nname = \"Reed Allman\"\n",
        )
        .unwrap();
        let id = candidate_id(&profile, "reed");
        assert_eq!(id.len(), 8);
        assert_eq!(id, candidate_id(&profile, "other-file-name"));
        assert!(!id.contains("reed"));
    }
}
