//! The personal values of a profile (the secrets), and how they are found
//! and redacted in free text: which values, matched how (see the module
//! above for the rules).

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::dates::{self, Months};
use super::matching::{Bounds, Endings, Folded, Pattern, digits, fold, last_digits};
use super::names::{self, Role};
use super::nonempty;
use super::romanize::romanize;
use super::words::{
    DECLINING, PLACE_LABELS, SHARED_DOMAINS, host, is_common_word, personal_subdomain,
    printed_words, transliterations, ukrainian_alternations, vietnamese_letter, written_as_name,
};
use crate::layout::language::Words;
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
    /// The date, for [`Matcher::Date`].
    date: Option<PartialDate>,
}

/// How a secret is matched (see [`super::matching`] for spellings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Matcher {
    /// Anywhere: an email address, a domain, a street address.
    Phrase,
    /// As a word, in any case and spelling.
    Word,
    /// A name part that is also an ordinary word of the profile's languages
    /// ("Will", "Grant", "Rose") or is short ("Li", "Jan", "Thị"): only
    /// where it is written as a name, capitalised, not an acronym of
    /// capitals ("OR-Tools"), and not joined by a hyphen to a lower-case
    /// word ("Li-ion"); in scripts without capitals, only as a word of its
    /// own, without an attached prefix.
    CommonWord,
    /// A phone number, by its last seven digits.
    Phone,
    /// A date written in any way and language (see [`super::dates`]).
    Date,
}

/// Where a secret was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Leak {
    pub field: &'static str,
    pub value: String,
    /// The text around the hit.
    pub context: String,
}

/// The document's language, as anonymization needs it: its code (which
/// decides how names decline) and its fixed words (month names, and what
/// the layout prints on its own).
#[derive(Debug, Clone, Copy)]
pub struct Tongue<'a> {
    pub code: &'a str,
    pub words: &'a Words,
}

/// The personal values of one profile.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    secrets: Vec<Secret>,
    months: Arc<Months>,
    /// What names decline with in the document's language.
    endings: Endings,
    /// Whether the document is in Vietnamese, whose name syllables are
    /// ordinary words in lower case.
    vietnamese: bool,
    /// What the layout prints by itself (month names beside a year, the
    /// page label, headings): never a name, whatever the name is.
    printed: Option<Arc<Regex>>,
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+-]+@[\w-]+(\.[\w-]+)+").unwrap_or_else(|_| unreachable!("valid pattern"))
});
static LINKISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(https?://|www\.)[^\s)\]>]+|\b[\w-]+(\.[\w-]+)*\.[a-z]{2,}/[^\s)\]>]*")
        .unwrap_or_else(|_| unreachable!("valid pattern"))
});
static PHONE_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\+?\(?\d[\d\s().\-/]{5,}\d").unwrap_or_else(|_| unreachable!("valid pattern"))
});

impl Secrets {
    /// Collects the personal values of a profile: its basics, and the
    /// further words its `[anonymize] redact` names.
    pub fn of(basics: &Basics, options: &AnonymizeOptions, tongue: Tongue) -> Self {
        let lang = tongue.code.split('-').next().unwrap_or(tongue.code);
        let months = Arc::new(Months::new(tongue.words));
        let mut secrets = Secrets {
            endings: if DECLINING.contains(&lang) {
                Endings::Declined
            } else {
                Endings::Possessive
            },
            vietnamese: lang == "vi",
            printed: printed_words(tongue.words),
            months,
            ..Secrets::default()
        };
        secrets.add_basics(basics);
        for word in &options.redact {
            secrets.add("redact", word, Matcher::Word, "[redacted]");
        }
        secrets
    }

    /// The personal values of a profile's basics: its name in every
    /// spelling, contact, accounts, location and birth. Called again with
    /// each translation of the basics, so every language's form is found.
    pub fn add_basics(&mut self, basics: &Basics) {
        let names = nonempty(&basics.name)
            .into_iter()
            .chain(basics.other_names.iter().map(String::as_str));
        for name in names {
            self.add_name(name);
        }
        if let Some(email) = nonempty(&basics.email) {
            self.add("email", email, Matcher::Phrase, "[email]");
            if let Some((local, domain)) = email.split_once('@') {
                if local.chars().count() >= 3 {
                    self.add("email", local, Matcher::Word, "[email]");
                }
                self.add_domain("email", domain);
            }
        }
        if let Some(phone) = nonempty(&basics.phone)
            && digits(phone).len() >= 7
        {
            self.add("phone", phone, Matcher::Phone, "[phone]");
        }
        if let Some(url) = nonempty(&basics.url) {
            self.add("url", url, Matcher::Phrase, "[link]");
            self.add_domain("url", &host(url));
        }
        for profile in &basics.profiles {
            // The network's own domain (line.me, github.com) is nobody's:
            // the address and the user name are the person's.
            if let Some(url) = nonempty(&profile.url) {
                self.add("profiles", url, Matcher::Phrase, "[link]");
                if let Some(user) = personal_subdomain(&host(url)) {
                    self.add("profiles", user, Matcher::Word, "[link]");
                }
            }
            if let Some(user) = nonempty(&profile.username).filter(|u| u.chars().count() >= 3) {
                self.add("profiles", user, Matcher::Word, "[link]");
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
                    self.add("location", value, matcher, "[location]");
                }
            }
        }
        if let Some(place) = nonempty(&basics.birth_place) {
            self.add("birth_place", place, Matcher::Word, "[location]");
        }
        if let Some(birth) = basics.birth_date {
            self.add_date("birth_date", birth);
        }
    }

    /// A name, in each spelling it is given in, as a whole and in its
    /// parts: the surname with its particles ("van der Berg"), hyphenated
    /// parts whole and in pieces, and each word that identifies the
    /// person. Titles and particles alone are ordinary words.
    fn add_name(&mut self, name: &str) {
        for spelling in names::spellings(name) {
            let words: Vec<names::Word> = names::words(&spelling)
                .into_iter()
                .filter(|w| w.role != Role::Title)
                .collect();
            if words.is_empty() {
                continue;
            }
            let join = |words: &[names::Word]| {
                words
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let whole = join(&words);
            self.add("name", &whole, self.whole_matcher(&whole), "[name]");
            // The surname with its particles, and with what follows it.
            for (index, word) in words.iter().enumerate() {
                let starts_run = index == 0 || words[index - 1].role != Role::Particle;
                if word.role != Role::Particle || !starts_run {
                    continue;
                }
                if let Some(offset) = words[index..].iter().position(|w| w.role == Role::Name) {
                    for end in [index + offset + 1, words.len()] {
                        let surname = join(&words[index..end]);
                        self.add("name", &surname, self.whole_matcher(&surname), "[name]");
                    }
                }
            }
            for word in words.iter().filter(|w| w.role == Role::Name) {
                let pieces: Vec<&str> = word
                    .text
                    .split(['-', '.', '·', '・', '，'])
                    .filter(|p| !p.is_empty())
                    .collect();
                if pieces.len() > 1 {
                    self.add("name", &word.text, self.whole_matcher(&word.text), "[name]");
                }
                for piece in &pieces {
                    if pieces.len() > 1 && (names::is_particle(piece) || names::is_title(piece)) {
                        continue;
                    }
                    self.add_name_part(piece);
                }
            }
        }
    }

    /// How a whole name or surname is matched: like an ordinary word when
    /// every word of it is one ("Will Grant", "de la Rosa").
    fn whole_matcher(&self, text: &str) -> Matcher {
        let ordinary = text
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .all(|w| self.ordinary(w) || names::is_particle(w));
        if ordinary {
            Matcher::CommonWord
        } else {
            Matcher::Word
        }
    }

    /// Whether a name word is matched only where it is written as a name:
    /// an ordinary word of some language, a short word in a script with
    /// capitals ("Li", "Jan", "Eva"), or a Vietnamese syllable.
    fn ordinary(&self, word: &str) -> bool {
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let cased = word.chars().any(|c| c.is_uppercase() || c.is_lowercase());
        is_common_word(&fold(word))
            || (cased && letters <= 3)
            || (cased && (self.vietnamese || word.chars().any(vietnamese_letter)))
    }

    /// One word of a name, in the spellings matching does not fold
    /// together: without its apostrophe (O'Neill as ONeill, and Neill),
    /// and without the Arabic article (الحداد as حداد).
    fn add_name_part(&mut self, part: &str) {
        let mut spellings = vec![part.to_owned()];
        // A Korean or Chinese name written as one word: its given name
        // alone too ("김민지" -> "민지", "王晓明" -> "晓明"), after a
        // surname of one syllable (two for four-syllable Korean names).
        let syllables: Vec<char> = part.chars().collect();
        let korean = syllables
            .iter()
            .all(|c| ('\u{AC00}'..='\u{D7AF}').contains(c));
        let chinese = syllables
            .iter()
            .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(c));
        match (syllables.len(), korean, chinese) {
            (3, true, _) | (3, _, true) => spellings.push(syllables[1..].iter().collect()),
            (4, true, _) => spellings.push(syllables[2..].iter().collect()),
            _ => {}
        }

        if part.contains(['\'', '’']) {
            spellings.push(part.replace(['\'', '’'], ""));
            spellings.extend(part.split(['\'', '’']).map(str::to_owned));
        }
        if let Some(stem) = part.strip_prefix("ال")
            && stem.chars().count() >= 3
        {
            spellings.push(stem.to_owned());
        }
        for spelling in spellings {
            let letters = spelling.chars().filter(|c| c.is_alphabetic()).count();
            if letters < 2 || names::is_particle(&spelling) || names::is_title(&spelling) {
                continue;
            }
            let matcher = if self.ordinary(&spelling) {
                Matcher::CommonWord
            } else {
                Matcher::Word
            };
            self.add("name", &spelling, matcher, "[name]");
        }
    }

    fn add_date(&mut self, field: &'static str, date: PartialDate) {
        let value = date.to_string();
        if self.secrets.iter().any(|s| s.date == Some(date)) {
            return;
        }
        self.secrets.push(Secret {
            field,
            folded: value.clone(),
            pattern: Pattern::new(&value, Bounds::Anywhere),
            value,
            matcher: Matcher::Date,
            replacement: "[date]".to_owned(),
            date: Some(date),
        });
    }

    fn add(&mut self, field: &'static str, value: &str, matcher: Matcher, replacement: &str) {
        let mut spellings = transliterations(value.trim());
        // Cyrillic and Greek names and places in Latin letters too, and
        // Ukrainian ones with the vowel their endings bring.
        if matches!(field, "name" | "location" | "birth_place") && matcher != Matcher::Phone {
            spellings.extend(romanize(value.trim()));
            spellings.extend(ukrainian_alternations(value.trim()));
        }
        for spelling in spellings {
            self.add_spelling(field, &spelling, matcher, replacement);
        }
    }

    fn add_spelling(
        &mut self,
        field: &'static str,
        value: &str,
        matcher: Matcher,
        replacement: &str,
    ) {
        let bounds = match matcher {
            Matcher::Phrase => Bounds::Anywhere,
            _ => Bounds::Word,
        };
        let mut pattern = Pattern::new(value, bounds);
        // Names and places take the endings their language gives them
        // ("Lenas", "Волковой", "в Екатеринбурге").
        if matches!(field, "name" | "location" | "birth_place") && matcher != Matcher::Phrase {
            let cyrillic_or_greek = value.chars().any(|c| matches!(c as u32, 0x0370..=0x052F));
            let endings = if cyrillic_or_greek {
                Endings::Declined
            } else {
                self.endings
            };
            pattern = pattern.with_endings(endings);
        }
        if matcher == Matcher::CommonWord {
            pattern = pattern.without_prefixes();
        }
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
            date: None,
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
            self.add(field, label, Matcher::Word, "[link]");
        }
    }

    /// Adds a value that is not personal data but must go too (an
    /// employer's name, when employers are generalized).
    pub(super) fn add_alias(&mut self, value: &str, replacement: &str) {
        if value.trim().chars().count() >= 3 {
            self.add("organization", value, Matcher::Phrase, replacement);
        }
    }

    /// Adds a value of a personal-details section, so that it is found in
    /// the rest of the text: a date as a date (however it is written), a
    /// place of birth or an address by its label, a phrase of several words
    /// or with digits as a phrase. A single word ("deutsch", "verheiratet")
    /// is an ordinary word elsewhere in the CV and is not searched for.
    pub(super) fn add_detail(&mut self, label: Option<&str>, value: &str) {
        let value = value.trim().trim_end_matches(['.', ',', ';']);
        let dates = dates::read(value, &self.months);
        for date in &dates {
            self.add_date("personal", *date);
        }
        let label = label.map(fold).unwrap_or_default();
        if PLACE_LABELS.iter().any(|l| label.contains(l)) {
            // "München", "Lyon, France": each place, as a word.
            for place in value.split([',', '(', ')', '/']).map(str::trim) {
                if place.chars().count() >= 2 {
                    self.add("birth_place", place, Matcher::Word, "[location]");
                }
            }
            return;
        }
        let words = value.split_whitespace().count();
        let has_digit = value.chars().any(|c| c.is_ascii_digit());
        if dates.is_empty() && (words >= 2 || has_digit) && value.chars().count() >= 5 {
            self.add("personal", value, Matcher::Phrase, "[redacted]");
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Secret> {
        self.secrets.iter()
    }

    /// Byte ranges of what the layout prints by itself in `text` (a month
    /// name beside a year, a page label, a heading): words there are no
    /// one's name.
    pub fn printed(&self, text: &str) -> Vec<Range<usize>> {
        match &self.printed {
            Some(printed) => printed.find_iter(text).map(|m| m.range()).collect(),
            None => Vec::new(),
        }
    }

    /// Redacts every secret, every email address, and every link that holds
    /// a secret, in plain text (never Markdown: see [`super::redact_document`]).
    pub fn redact(&self, text: &str) -> String {
        let text = EMAIL.replace_all(text, "[email]");
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
            let hits = self.hits(secret, &text, &folded);
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

    /// Where a secret is in `text`, less the words the layout would print
    /// by itself ("Jan 2020" for a person named Jan).
    fn hits(&self, secret: &Secret, text: &str, folded: &Folded) -> Vec<Range<usize>> {
        let hits = secret.find_in(text, folded, &self.months);
        if secret.field != "name" || hits.is_empty() {
            return hits;
        }
        let printed = self.printed(text);
        hits.into_iter()
            .filter(|hit| {
                !printed
                    .iter()
                    .any(|p| p.start <= hit.start && hit.end <= p.end)
            })
            .collect()
    }

    /// The first secret found in `text`, if any.
    pub fn find(&self, text: &str) -> Option<Leak> {
        let folded = Folded::new(text);
        self.secrets.iter().find_map(|secret| {
            let range = self.hits(secret, text, &folded).into_iter().next()?;
            Some(Leak {
                field: secret.field,
                value: secret.value.clone(),
                context: around(text, range),
            })
        })
    }

    /// The parts of the person's name that are not ordinary words.
    fn name_parts(&self) -> impl Iterator<Item = &Secret> {
        self.secrets
            .iter()
            .filter(|s| s.field == "name" && s.matcher == Matcher::Word)
    }

    /// The month names of every language with their months (1 to 12),
    /// as written, for the independent check.
    pub fn month_names(&self) -> impl Iterator<Item = (u8, &str)> {
        self.months.by_month()
    }

    /// Whether names take case endings in the document's language.
    pub fn declines(&self) -> bool {
        self.endings == Endings::Declined
    }
}

/// The text around a hit, for a message.
pub fn around(text: &str, range: Range<usize>) -> String {
    let start = text.floor_char_boundary(range.start.saturating_sub(30));
    let end = text.ceil_char_boundary(range.end.saturating_add(30).min(text.len()));
    text[start..end].to_owned()
}

impl Secret {
    /// How it is matched.
    pub fn matcher(&self) -> Matcher {
        self.matcher
    }

    /// The date, for a secret matched as one.
    pub fn date(&self) -> Option<PartialDate> {
        self.date
    }

    /// Byte ranges of every occurrence in `text`, folded as `folded`.
    fn find_in(&self, text: &str, folded: &Folded, months: &Months) -> Vec<Range<usize>> {
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
            Matcher::Date => match self.date {
                Some(date) => dates::find(date, months, text),
                None => Vec::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests;
