//! The personal values of a profile (the secrets), and how they are found
//! and redacted in free text: which values, matched how (see the module
//! above for the rules).

use std::sync::LazyLock;

use regex::Regex;

use super::matching::{Words, digits, last_digits};
use super::nonempty;
use crate::profile::{Basics, Location};

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

fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(toml: &str) -> Secrets {
        let profile = crate::profile::parse(toml).unwrap();
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
}
