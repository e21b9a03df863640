//! The personal values of a profile (the secrets), and how they are found
//! and redacted in free text: which values, matched how (see the module
//! above for the rules).

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::matching::{Bounds, Folded, Pattern, digits, fold, last_digits};
use super::nonempty;
use crate::profile::{AnonymizeOptions, Basics, Location, PartialDate};

/// A personal value and how to find it in text.
#[derive(Debug, Clone)]
pub struct Secret {
    /// The profile field it comes from (`name`, `email`...).
    pub field: &'static str,
    pub value: String,
    matcher: Matcher,
    replacement: String,
    pattern: Pattern,
    /// The value folded, to tell spellings of one value apart from others.
    folded: String,
}

/// How a secret is matched (see [`super::matching`] for spellings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Matcher {
    /// Anywhere: an email address, a domain, a street address, a date.
    Phrase,
    /// As a word, in any case and spelling.
    Word,
    /// A name part that is also an ordinary word of the profile's languages
    /// ("Will", "Grant", "Rose") or has two letters ("Li"): only where it is
    /// written as a name, capitalised, and not joined by a hyphen to a
    /// lower-case word ("Li-ion").
    CommonWord,
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
    /// Collects the personal values of a profile: its basics, and the
    /// further words its `[anonymize] redact` names.
    pub fn of(basics: &Basics, options: &AnonymizeOptions) -> Self {
        let mut secrets = Secrets::default();
        let names = nonempty(&basics.name)
            .into_iter()
            .chain(basics.other_names.iter().map(String::as_str));
        for name in names {
            secrets.add_name(name);
        }
        for word in &options.redact {
            secrets.add("redact", word, Matcher::Word, "[redacted]");
        }
        if let Some(email) = nonempty(&basics.email) {
            secrets.add("email", email, Matcher::Phrase, "[email]");
            if let Some((local, domain)) = email.split_once('@') {
                if local.chars().count() >= 3 {
                    secrets.add("email", local, Matcher::Word, "[email]");
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
                secrets.add("profiles", user, Matcher::Word, "[link]");
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
                (postal_code, Matcher::Word),
                (city, Matcher::Word),
                (region, Matcher::Word),
            ] {
                if let Some(value) = nonempty(value) {
                    secrets.add("location", value, matcher, "[location]");
                }
            }
        }
        if let Some(birth) = basics.birth_date {
            for form in written_dates(birth) {
                secrets.add("birth_date", &form, Matcher::Phrase, "[date]");
            }
        }
        secrets
    }

    /// A name as a whole, and each part of it: in every spelling matching
    /// folds together, plus the ones it does not (Müller as Mueller,
    /// O'Neill as ONeill and its piece Neill).
    fn add_name(&mut self, name: &str) {
        // A name made only of ordinary words ("Will Grant") is matched like
        // one of them: written as a name.
        let ordinary = |text: &str| {
            text.split(|c: char| c.is_whitespace() || c == '-')
                .filter(|w| !w.is_empty())
                .all(|w| is_common_word(&fold(w)) || (w.is_ascii() && w.chars().count() <= 2))
        };
        let whole = |text: &str| {
            if ordinary(text) {
                Matcher::CommonWord
            } else {
                Matcher::Word
            }
        };
        self.add("name", name, whole(name), "[name]");
        // Compound parts whole (Anne-Marie), then each piece.
        for compound in name.split_whitespace().filter(|p| p.contains('-')) {
            let compound = compound.trim_matches(',');
            self.add("name", compound, whole(compound), "[name]");
        }
        let parts = name
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | '.' | ',' | '，' | '・' | '·'));
        for part in parts {
            let mut spellings = vec![part.to_owned()];
            if part.contains(['\'', '’']) {
                spellings.push(part.replace(['\'', '’'], ""));
                spellings.extend(part.split(['\'', '’']).map(str::to_owned));
            }
            let transliterated = part
                .replace('ä', "ae")
                .replace('ö', "oe")
                .replace('ü', "ue")
                .replace('Ä', "Ae")
                .replace('Ö', "Oe")
                .replace('Ü', "Ue");
            if transliterated != part {
                spellings.push(transliterated);
            }
            for spelling in spellings {
                let letters = spelling.chars().filter(|c| c.is_alphabetic()).count();
                let folded = fold(&spelling);
                let matcher = if letters < 2 {
                    continue;
                } else if letters == 2 && spelling.is_ascii() || is_common_word(&folded) {
                    Matcher::CommonWord
                } else {
                    Matcher::Word
                };
                self.add("name", &spelling, matcher, "[name]");
            }
        }
    }

    fn add(&mut self, field: &'static str, value: &str, matcher: Matcher, replacement: &str) {
        let value = value.trim();
        let bounds = match matcher {
            Matcher::Phrase => Bounds::Anywhere,
            _ => Bounds::Word,
        };
        let pattern = Pattern::new(value, bounds);
        let folded = fold(value);
        if pattern.is_empty()
            || self
                .secrets
                .iter()
                .any(|s| s.folded == folded && s.matcher == matcher)
        {
            return;
        }
        self.secrets.push(Secret {
            field,
            value: value.to_owned(),
            matcher,
            replacement: replacement.to_owned(),
            pattern,
            folded,
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
    pub(super) fn add_alias(&mut self, value: &str, replacement: &str) {
        if value.trim().chars().count() >= 3 {
            self.add("organization", value, Matcher::Phrase, replacement);
        }
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
            let folded = Folded::new(link);
            let personal = self.find(link).is_some()
                || self.name_parts().any(|part| {
                    !Pattern::new(&part.value, Bounds::Anywhere)
                        .find_all(&folded)
                        .is_empty()
                });
            if personal {
                "[link]".to_owned()
            } else {
                link.to_owned()
            }
        });
        let mut text = text.into_owned();
        // Longer values first, so the full name goes before its parts. The
        // text is folded once, and again only after a replacement.
        let mut secrets: Vec<&Secret> = self.secrets.iter().collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.value.chars().count()));
        let mut folded = Folded::new(&text);
        for secret in secrets {
            let hits = secret.find_in(&text, &folded);
            if hits.is_empty() {
                continue;
            }
            for range in hits.into_iter().rev() {
                text.replace_range(range, &secret.replacement);
            }
            folded = Folded::new(&text);
        }
        text
    }

    /// The first secret found in `text`, if any.
    pub fn find(&self, text: &str) -> Option<Leak> {
        let folded = Folded::new(text);
        self.secrets.iter().find_map(|secret| {
            let range = secret.find_in(text, &folded).into_iter().next()?;
            let start = text.floor_char_boundary(range.start.saturating_sub(30));
            let end = text.ceil_char_boundary(range.end + 30);
            Some(Leak {
                field: secret.field,
                value: secret.value.clone(),
                context: text[start..end].to_owned(),
            })
        })
    }

    /// The parts of the person's name that are not ordinary words.
    fn name_parts(&self) -> impl Iterator<Item = &Secret> {
        self.secrets
            .iter()
            .filter(|s| s.field == "name" && s.matcher == Matcher::Word)
    }
}

impl Secret {
    /// How it is matched.
    pub fn matcher(&self) -> Matcher {
        self.matcher
    }

    /// Byte ranges of every occurrence in `text`, folded as `folded`.
    fn find_in(&self, text: &str, folded: &Folded) -> Vec<std::ops::Range<usize>> {
        match self.matcher {
            Matcher::Phrase | Matcher::Word => self.pattern.find_all(folded),
            Matcher::CommonWord => self
                .pattern
                .find_all(folded)
                .into_iter()
                .filter(|range| written_as_name(text, range))
                .collect(),
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

/// Whether the words at `range` are written as a name: capitalised, and
/// not joined by a hyphen to a lower-case word (`Li-ion`, `will-o'`).
fn written_as_name(text: &str, range: &std::ops::Range<usize>) -> bool {
    let capitalised = text[range.clone()]
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    // The word on the other side of a hyphen, if there is one: its first
    // letter says whether it is a name too (Anne-Marie) or a word (Li-ion).
    let before = text[..range.start]
        .strip_suffix('-')
        .map(|rest| rest.trim_end_matches(char::is_alphabetic).len())
        .and_then(|start| text[start..].chars().next());
    let after = text[range.end..]
        .strip_prefix('-')
        .and_then(|rest| rest.chars().next());
    capitalised && !before.is_some_and(char::is_lowercase) && !after.is_some_and(char::is_lowercase)
}

/// Ordinary words of the languages cvgen writes (en, de, fr) that are also
/// names: a name part among them is redacted only where it is written as a
/// name. Folded (lower case, no accents).
static COMMON_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-words.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
});

fn is_common_word(folded: &str) -> bool {
    COMMON_WORDS.contains(folded)
}

/// The ways a date is written in the languages cvgen writes: ISO, day first
/// and month first with dots, slashes and dashes, and with month names.
fn written_dates(date: PartialDate) -> Vec<String> {
    const MONTHS: [[&str; 12]; 3] = [
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
    ];
    let y = date.year;
    let mut forms = vec![date.to_string()];
    let Some(m) = date.month else {
        return forms;
    };
    let names: Vec<&str> = MONTHS
        .iter()
        .map(|months| months[usize::from(m) - 1])
        .collect();
    forms.extend([
        format!("{m:02}/{y}"),
        format!("{m:02}.{y}"),
        format!("{m}/{y}"),
    ]);
    for name in &names {
        forms.push(format!("{name} {y}"));
        if name.chars().count() > 4 {
            let short: String = name.chars().take(3).collect();
            forms.push(format!("{short} {y}"));
        }
    }
    let Some(d) = date.day else {
        return forms;
    };
    for (dd, mm) in [
        (format!("{d:02}"), format!("{m:02}")),
        (d.to_string(), m.to_string()),
    ] {
        for sep in [".", "/", "-"] {
            forms.push(format!("{dd}{sep}{mm}{sep}{y}"));
            forms.push(format!("{mm}{sep}{dd}{sep}{y}"));
        }
    }
    for name in &names {
        forms.push(format!("{d} {name} {y}"));
        forms.push(format!("{d}. {name} {y}"));
        forms.push(format!("{name} {d}, {y}"));
        forms.push(format!("{name} {d} {y}"));
    }
    forms
}

fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(toml: &str) -> Secrets {
        let profile = crate::profile::parse(toml).unwrap();
        Secrets::of(&profile.basics, &profile.anonymize)
    }

    #[test]
    fn names_are_redacted_as_words_in_free_text() {
        let s = secrets("[basics]\nname = \"Reed Allman\"\n");
        assert_eq!(
            s.redact("Reed's talk; REED and allman."),
            "[name]'s talk; [name] and [name]."
        );
        assert_eq!(s.redact("Greed reeds allmanacks"), "Greed reeds allmanacks");
        // A declined name keeps its ending, which says nothing.
        assert_eq!(s.redact("Allmans Buch"), "[name]s Buch");
        assert_eq!(s.redact("Reed Allman wrote it"), "[name] wrote it");
    }

    #[test]
    fn hyphenated_names_and_initials() {
        let s = secrets("[basics]\nname = \"Anne-Marie L. Smith-Jones\"\n");
        assert_eq!(
            s.redact("Smith-Jones and Anne-Marie, Smith Jones, Marie"),
            "[name] and [name], [name], [name]"
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
    fn names_in_scripts_without_spaces_and_their_other_spellings() {
        let s = secrets("[basics]\nname = \"Wang Xiaoming\"\nother_names = [\"王小明\"]\n");
        assert_eq!(
            s.redact("我是王小明，王小明在北京工作。Xiaoming Wang wrote it"),
            "我是[name]，[name]在北京工作。[name] [name] wrote it"
        );
    }

    #[test]
    fn arabic_and_hebrew_names_with_their_prefixes() {
        let s = secrets("[basics]\nname = \"محمد علي\"\n");
        assert_eq!(s.redact("كتب لمحمد و محمد"), "كتب ل[name] و [name]");
        let s = secrets("[basics]\nname = \"דנה כהן\"\n");
        assert_eq!(s.redact("נשלח לדנה"), "נשלח ל[name]");
    }

    #[test]
    fn apostrophes_accents_and_their_absence() {
        let s = secrets("[basics]\nname = \"Seán O'Neill-Brady\"\n");
        for text in [
            "O’Neill",
            "O'Neill",
            "ONeill",
            "Neill",
            "Sean",
            "Seán",
            "Sea\u{301}n",
        ] {
            assert_eq!(s.redact(text), "[name]", "{text}");
        }
        assert_eq!(s.redact("github.com/ONeill42"), "[link]");
        assert_eq!(
            s.redact("Brady's and Brady-like"),
            "[name]'s and [name]-like"
        );
        let s = secrets("[basics]\nname = \"José Müller\"\n");
        for text in [
            "Jose Muller",
            "JOSE\u{301} MU\u{308}LLER",
            "Mueller",
            "Muller's",
        ] {
            assert!(
                !s.redact(text).contains("ller") && !s.redact(text).contains("os"),
                "{text}"
            );
        }
    }

    #[test]
    fn dates_and_places_in_any_written_form() {
        let s = secrets(
            "[basics]\nbirth_date = \"1988-03-14\"\nlocation = { city = \"Kraków\", country = \"Poland\" }\n",
        );
        for text in [
            "1988-03-14",
            "14.03.1988",
            "14/03/1988",
            "03/14/1988",
            "14 March 1988",
            "March 14, 1988",
            "14. März 1988",
            "14 mars 1988",
        ] {
            assert_eq!(s.redact(text), "[date]", "{text}");
        }
        assert_eq!(
            s.redact("born in Krakow, Poland"),
            "born in [location], Poland"
        );
    }

    #[test]
    fn ordinary_words_stay_where_they_are_not_the_name() {
        let s = secrets("[basics]\nname = \"Will Grant\"\n");
        assert_eq!(
            s.redact("what a will grant and will not pay for. Will Grant wrote. Grant is here"),
            "what a will grant and will not pay for. [name] wrote. [name] is here"
        );
        let s = secrets("[basics]\nname = \"Bo Li\"\n");
        assert_eq!(
            s.redact("Li built Li-ion cells, li is a unit, Bo too"),
            "[name] built Li-ion cells, li is a unit, [name] too"
        );
    }

    #[test]
    fn further_words_to_redact() {
        let profile = crate::profile::parse(
            "[basics]\nname = \"Pat Doe\"\n[anonymize]\nredact = [\"Patty\", \"Elm Street\"]\n",
        )
        .unwrap();
        let s = Secrets::of(&profile.basics, &profile.anonymize);
        assert_eq!(
            s.redact("Patty lived on elm  street"),
            "[redacted] lived on [redacted]"
        );
    }
}
