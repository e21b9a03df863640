//! The personal values of a profile (the secrets), and how they are found
//! and redacted in free text: which values, matched how (see the module
//! above for the rules).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use regex::Regex;

use super::dates::{self, Months};
use super::matching::{Bounds, Endings, Folded, Pattern, digits, fold, last_digits};
use super::names::{self, Role};
use super::nonempty;
use super::romanize::romanize;
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
    endings: Option<Endings>,
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

/// Labels (folded, or parts of them) of personal details that are places:
/// a place of birth, a home town, an address.
const PLACE_LABELS: &[&str] = &[
    "geburtsort",
    "wohnort",
    "anschrift",
    "adresse",
    "address",
    "place of birth",
    "birthplace",
    "born in",
    "hometown",
    "lieu de naissance",
    "domicile",
    "lugar de nacimiento",
    "domicilio",
    "direccion",
    "local de nascimento",
    "naturalidade",
    "morada",
    "endereco",
    "luogo di nascita",
    "indirizzo",
    "residenza",
    "geboorteplaats",
    "woonplaats",
    "adres",
    "dogum yeri",
    "место рождения",
    "адрес",
    "місце народження",
    "miejsce urodzenia",
    "misto narozeni",
    "fodelseort",
    "fodested",
    "syntymapaikka",
    "szuletesi hely",
    "locul nasterii",
    "τοπος γεννησης",
    "מקום לידה",
    "مكان الميلاد",
    "出生地",
    "出生地点",
    "출생지",
    "สถานที่เกิด",
    "noi sinh",
];

/// Languages that decline names with case endings (ISO 639).
const DECLINING: &[&str] = &[
    "ru", "uk", "be", "bg", "sr", "hr", "bs", "sl", "cs", "sk", "pl", "lt", "lv", "et", "fi", "hu",
    "tr", "az", "el", "ka", "hy", "is", "ga", "sq", "mk",
];

impl Secrets {
    /// Collects the personal values of a profile: its basics, and the
    /// further words its `[anonymize] redact` names.
    pub fn of(basics: &Basics, options: &AnonymizeOptions, tongue: Tongue) -> Self {
        let lang = tongue.code.split('-').next().unwrap_or(tongue.code);
        let months = Arc::new(Months::new(tongue.words));
        let mut secrets = Secrets {
            endings: Some(if DECLINING.contains(&lang) {
                Endings::Declined
            } else {
                Endings::Possessive
            }),
            vietnamese: lang == "vi",
            printed: printed_words(tongue.words),
            months,
            ..Secrets::default()
        };
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
            // The network's own domain (line.me, github.com) is nobody's:
            // the address and the user name are the person's.
            if let Some(url) = nonempty(&profile.url) {
                secrets.add("profiles", url, Matcher::Phrase, "[link]");
                if let Some(user) = personal_subdomain(&host(url)) {
                    secrets.add("profiles", user, Matcher::Word, "[link]");
                }
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
        if let Some(place) = nonempty(&basics.birth_place) {
            secrets.add("birth_place", place, Matcher::Word, "[location]");
        }
        if let Some(birth) = basics.birth_date {
            secrets.add_date("birth_date", birth);
        }
        secrets
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
                self.endings.unwrap_or(Endings::None)
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
        self.endings == Some(Endings::Declined)
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

/// Whether the words at `range` are written as a name: capitalised (or
/// in a script without capitals), not an acronym among words that are not
/// capitals ("OR-Tools"), and not joined by a hyphen to a lower-case word
/// (`Li-ion`, `will-o'`).
fn written_as_name(text: &str, range: &Range<usize>) -> bool {
    let hit = &text[range.clone()];
    let capitalised = hit
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || !c.is_lowercase());
    // The word on the other side of a hyphen, if there is one: its first
    // letter says whether it is a name too (Anne-Marie) or a word (Li-ion).
    let before = text[..range.start]
        .strip_suffix('-')
        .map(|rest| rest.trim_end_matches(char::is_alphabetic).len())
        .and_then(|start| text[start..].chars().next());
    let after = text[range.end..]
        .strip_prefix('-')
        .and_then(|rest| rest.chars().next());
    capitalised
        && !acronym(text, range)
        && !before.is_some_and(char::is_lowercase)
        && !after.is_some_and(char::is_lowercase)
}

/// Whether a hit of capitals stands among words that are not in capitals:
/// an acronym ("OR-Tools", "the AN/PRC radio"), not a name in a heading of
/// capitals ("ANNA DE JONG").
fn acronym(text: &str, range: &Range<usize>) -> bool {
    let hit = &text[range.clone()];
    let letters: Vec<char> = hit.chars().filter(|c| c.is_alphabetic()).collect();
    let one_short_word = letters.len() <= 4 && !hit.contains(char::is_whitespace);
    if letters.len() < 2 || !one_short_word || !letters.iter().all(|c| c.is_uppercase()) {
        return false;
    }
    let split = |c: char| !c.is_alphabetic();
    let has_letters = |w: &&str| w.chars().any(char::is_alphabetic);
    let capitals = |w: &str| {
        w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    };
    let before = text[..range.start]
        .rsplit(split)
        .find(has_letters)
        .map(capitals);
    let after = text[range.end..]
        .split(split)
        .find(has_letters)
        .map(capitals);
    // Among capitals on both sides where there are words: a heading.
    !(before.unwrap_or(true) && after.unwrap_or(true))
}

/// Whether a letter is one only Vietnamese writes (ơ, ư, ă, đ, and vowels
/// with both a tone and a quality mark).
fn vietnamese_letter(c: char) -> bool {
    matches!(c, 'ơ' | 'Ơ' | 'ư' | 'Ư' | 'ă' | 'Ă' | 'đ' | 'Đ')
        || matches!(c as u32, 0x1EA0..=0x1EF9)
}

/// A value and its spellings without the letters of German and the
/// Nordic languages: Düsseldorf as Duesseldorf, Søren as Soeren, Ålesund
/// as Aalesund (matching already finds Dusseldorf and Soren).
fn transliterations(value: &str) -> Vec<String> {
    let mut spelt = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        match c {
            'ä' => spelt.push_str("ae"),
            'ö' | 'ø' => spelt.push_str("oe"),
            'ü' => spelt.push_str("ue"),
            'å' => spelt.push_str("aa"),
            'Ä' => spelt.push_str("Ae"),
            'Ö' | 'Ø' => spelt.push_str("Oe"),
            'Ü' => spelt.push_str("Ue"),
            'Å' => spelt.push_str("Aa"),
            _ => spelt.push(c),
        }
    }
    if spelt == value {
        vec![spelt]
    } else {
        vec![value.to_owned(), spelt]
    }
}

/// Ukrainian alternates the vowel of a word's last closed syllable when
/// it takes an ending (Харків -> Харкові, Київ -> Києві): the value with
/// that `і` as `о` and `е` (and `ї` as `є`), for the declined forms to match.
fn ukrainian_alternations(value: &str) -> Vec<String> {
    let Some((at, vowel)) = value
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, 'і' | 'ї'))
    else {
        return Vec::new();
    };
    // Only in the last syllable: one consonant after it, then the end.
    let after = &value[at + vowel.len_utf8()..];
    if after.chars().count() != 1 || !after.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    let others: &[&str] = if vowel == 'ї' {
        &["є"]
    } else {
        &["о", "е"]
    };
    others
        .iter()
        .map(|other| format!("{}{other}{after}", &value[..at]))
        .collect()
}

/// The user name in a network address that has one in its host
/// (`alice.github.io`, `bob.substack.com`), not `www` or a language.
fn personal_subdomain(host: &str) -> Option<&str> {
    let labels: Vec<&str> = host.split('.').collect();
    let first = *labels.first()?;
    (labels.len() >= 3
        && first.chars().count() >= 3
        && !["www", "web", "app", "en", "de", "fr", "m", "mobile"].contains(&first))
    .then_some(first)
}

/// What a layout prints by itself, as a pattern: a month name (the
/// document language's or English) beside a year, the page label, the headings and the other
/// fixed words of the document's language.
fn printed_words(words: &Words) -> Option<Arc<Regex>> {
    let escape = |text: &str| regex::escape(text.trim().trim_end_matches('.'));
    // The layout prints the document language's months; prose may use
    // English ones too.
    let english = crate::layout::builtin_languages()
        .get("en")
        .map(|en| &en.words);
    let mut names: Vec<String> = [Some(words), english]
        .into_iter()
        .flatten()
        .flat_map(|w| [&w.months, &w.short_months, &w.day_months])
        .flatten()
        .filter(|m| m.chars().count() >= 2 && m.chars().any(char::is_alphabetic))
        .map(|m| escape(m))
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.dedup();
    let month_year = format!(
        r"\b(?:{names})\b\.?,?\s*(?:\d{{1,2}},?\s+)?\d{{4}}\b",
        names = names.join("|")
    );
    let page = regex::escape(&words.page)
        .replace(r"\{n\}", r"\d+")
        .replace(r"\{total\}", r"\d+");
    let mut fixed: Vec<String> = [
        &words.present,
        &words.cv,
        &words.candidate,
        &words.references,
    ]
    .into_iter()
    .chain(words.titles.values())
    .chain([
        &words.letter.title,
        &words.letter.greeting,
        &words.letter.closing,
    ])
    .filter(|w| w.chars().count() >= 3)
    .map(|w| escape(w))
    .collect();
    fixed.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let pattern = format!("(?i){month_year}|{page}|\\b(?:{})\\b", fixed.join("|"));
    // One compile per language in a run: every anonymized document of it
    // asks for the same pattern.
    static COMPILED: LazyLock<Mutex<HashMap<String, Option<Arc<Regex>>>>> =
        LazyLock::new(Default::default);
    let mut compiled = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
    compiled
        .entry(pattern)
        .or_insert_with_key(|pattern| Regex::new(pattern).ok().map(Arc::new))
        .clone()
}

/// Ordinary words of the languages cvgen writes that are also names: a
/// name part among them is redacted only where it is written as a name.
/// Folded (lower case, no accents).
static COMMON_WORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("common-words.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(fold)
        .collect()
});

fn is_common_word(folded: &str) -> bool {
    COMMON_WORDS.contains(folded)
}

fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The secrets of a profile whose document is in `lang`.
    fn secrets_in(lang: &str, toml: &str) -> Secrets {
        let profile = crate::profile::parse(toml).unwrap();
        let words = &crate::layout::builtin_languages()[lang].words;
        Secrets::of(
            &profile.basics,
            &profile.anonymize,
            Tongue { code: lang, words },
        )
    }

    /// What redaction leaves of `text`, and the ordinary words it lost.
    fn kept(s: &Secrets, text: &str, ordinary: &[&str]) -> String {
        let out = s.redact(text);
        for word in ordinary {
            assert_eq!(
                out.matches(word).count(),
                text.matches(word).count(),
                "`{word}` lost: {out}"
            );
        }
        out
    }

    #[test]
    fn a_name_in_two_scripts_is_redacted_in_both() {
        let s = secrets("[basics]\nname = \"Wang Xiaoming (王晓明)\"\n");
        assert_eq!(
            s.redact("王晓明说：Xiaoming Wang, 王晓明。"),
            "[name]说：[name] [name], [name]。"
        );
        let s = secrets_in(
            "ar",
            "[basics]\nname = \"Youssef Al-Haddad (يوسف الحداد)\"\n",
        );
        let out = s.redact("كتب يوسف الحداد وحداد؛ Al-Haddad and Haddad; al fresco");
        assert!(
            !out.contains("يوسف") && !out.contains("حداد") && !out.contains("Haddad"),
            "{out}"
        );
        assert!(out.contains("al fresco"), "{out}");
    }

    #[test]
    fn particles_and_titles_are_words_alone() {
        let s = secrets_in("nl", "[basics]\nname = \"Dr. Jan van der Berg\"\n");
        let out = kept(
            &s,
            "Jan van der Berg werkt bij de gemeente van Utrecht. Van der Berg en Dr. Smit; dr. Berg. Sinds jan. 2015 en Jan 2016.",
            &[
                "van Utrecht",
                "de gemeente",
                "Dr. Smit",
                "jan. 2015",
                "Jan 2016",
            ],
        );
        assert_eq!(
            out,
            "[name] werkt bij de gemeente van Utrecht. [name] en Dr. Smit; dr. [name]. Sinds jan. 2015 en Jan 2016."
        );
        let s = secrets_in("es", "[basics]\nname = \"María de la Cruz Fernández\"\n");
        assert_eq!(
            kept(
                &s,
                "De la Cruz lidera la plataforma de la empresa; Cruz y Fernández.",
                &["la plataforma", "de la empresa"]
            ),
            "[name] lidera la plataforma de la empresa; [name] y [name]."
        );
        let s = secrets_in("de", "[basics]\nname = \"Dr. rer. nat. Lena Groß\"\n");
        assert_eq!(
            kept(
                &s,
                "Dr. rer. nat. Lena Groß, Lenas großen Systeme; Frau Dr. Groß.",
                &["Dr. rer. nat.", "großen"]
            ),
            "Dr. rer. nat. [name], [name]s großen Systeme; Frau Dr. [name]."
        );
    }

    #[test]
    fn an_irish_surname_with_its_particle_in_capitals() {
        let s = secrets("[basics]\nname = \"Siobhán Ó Súilleabháin\"\n");
        assert_eq!(
            s.redact("ÓSÚILLEABHÁIN, Ó Súilleabháin and O'Suilleabhain; o the joy"),
            "[name], [name] and [name]; o the joy"
        );
    }

    #[test]
    fn spellings_of_places_and_names_without_their_letters() {
        let s = secrets_in(
            "de",
            "[basics]\nbirth_place = \"Düsseldorf\"\nlocation = { address = \"12 Bạch Đằng\", city = \"Malmö\" }\n",
        );
        assert_eq!(
            s.redact("aus Duesseldorf, Dusseldorf; 12 Bach Dang; Malmoe"),
            "aus [location], [location]; [location]; [location]"
        );
    }

    #[test]
    fn russian_names_declined_by_changing_a_letter() {
        let s = secrets_in("ru", "[basics]\nname = \"Надежда Волкова\"\n");
        let out = s.redact("Команда Надежды Волковой; с Надеждой; о Волковой; Волкову");
        assert!(!out.contains("Надежд") && !out.contains("Волков"), "{out}");
    }

    #[test]
    fn given_names_alone_and_places_declined_with_another_vowel() {
        let s = secrets_in("ko", "[basics]\nname = \"김민지\"\n");
        assert_eq!(
            s.redact("민지는 국민지원금을 신청했다"),
            "[name]는 국민지원금을 신청했다"
        );
        let s = secrets_in("zh", "[basics]\nname = \"王晓明\"\n");
        assert_eq!(s.redact("晓明负责"), "[name]负责");
        let s = secrets_in(
            "uk",
            "[basics]\nlocation = { city = \"Харків\" }\nbirth_place = \"Київ\"\n",
        );
        assert_eq!(
            s.redact("у Харкові, народилася в Києві"),
            "у [location]і, народилася в [location]і"
        );
    }

    #[test]
    fn short_names_and_their_possessive() {
        let s = secrets_in("de", "[basics]\nname = \"Jan Lena\"\n");
        assert_eq!(s.redact("Jans und Lenas Plan"), "[name]s und [name]s Plan");
    }

    #[test]
    fn short_and_ordinary_names_only_where_written_as_names() {
        let s = secrets_in("vi", "[basics]\nname = \"Nguyễn Thị Minh Anh\"\n");
        assert_eq!(
            kept(
                &s,
                "cuộc thi lập trình; chị Anh; NGUYỄN THỊ MINH ANH",
                &["cuộc thi"]
            ),
            "cuộc thi lập trình; chị [name]; [name]"
        );
        let s = secrets_in(
            "he",
            "[basics]\nname = \"אור לוינסון\"\nother_names = [\"Or Levinson\"]\n",
        );
        assert_eq!(
            kept(
                &s,
                "לאור הצורך; אור כתבה; Google OR-Tools; Or Levinson",
                &["לאור", "OR-Tools"]
            ),
            "לאור הצורך; [name] כתבה; Google OR-Tools; [name]"
        );
    }

    #[test]
    fn a_networks_domain_is_nobodys() {
        let s = secrets(
            "[basics]\nprofiles = [{ network = \"LINE\", username = \"siobhan86\", url = \"https://line.me/ti/p/siobhan86\" }]\nurl = \"https://mark.dev\"\n",
        );
        assert_eq!(
            s.redact("the ticketing line; line.me/ti/p/siobhan86 and Markdown by mark.dev"),
            "the ticketing line; [link] and Markdown by [link]"
        );
    }

    #[test]
    fn birth_dates_in_the_languages_cvgen_prints() {
        let s = secrets_in("ru", "[basics]\nbirth_date = \"1991-09-05\"\n");
        assert_eq!(
            s.redact("Родилась 5 сентября 1991 г. в Екатеринбурге"),
            "Родилась [date] в Екатеринбурге"
        );
        let s = secrets_in("th", "[basics]\nbirth_date = \"1988-05-12\"\n");
        assert_eq!(s.redact("เกิด 12 พฤษภาคม 2531 ที่"), "เกิด [date] ที่");
        let s = secrets_in("es", "[basics]\nbirth_date = \"1990-02-03\"\n");
        assert_eq!(
            s.redact("Nací el 3 de febrero de 1990 en Sevilla"),
            "Nací el [date] en Sevilla"
        );
        let s = secrets_in("tr", "[basics]\nbirth_date = \"1991-05-12\"\n");
        assert_eq!(s.redact("12 Mayıs 1991'de doğdum"), "[date]'de doğdum");
    }

    fn secrets(toml: &str) -> Secrets {
        let profile = crate::profile::parse(toml).unwrap();
        Secrets::of(
            &profile.basics,
            &profile.anonymize,
            super::super::tests::english(),
        )
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
        // Text is text: brackets are no link (links are the layout data's,
        // see `redact_document`).
        assert_eq!(
            s.redact("I dabble: [github](https://github.com/rdallman)"),
            "I dabble: [github]([link])"
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
        let s = Secrets::of(
            &profile.basics,
            &profile.anonymize,
            super::super::tests::english(),
        );
        assert_eq!(
            s.redact("Patty lived on elm  street"),
            "[redacted] lived on [redacted]"
        );
    }
}
