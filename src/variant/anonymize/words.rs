//! Which words are a person's and which are everybody's: names written as
//! names (not acronyms, not hyphened to lower-case words), the ordinary
//! words of many languages that are also names, the spellings matching
//! does not fold together (umlauts spelled out, Ukrainian vowel
//! alternation), and the words a layout prints by itself.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use regex::Regex;

use super::matching::fold;
use crate::layout::language::Words;

/// Mail and name services whose domain says nothing about the person.
pub(super) const SHARED_DOMAINS: &[&str] = &[
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
pub(super) const PLACE_LABELS: &[&str] = &[
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
pub(super) const DECLINING: &[&str] = &[
    "ru", "uk", "be", "bg", "sr", "hr", "bs", "sl", "cs", "sk", "pl", "lt", "lv", "et", "fi", "hu",
    "tr", "az", "el", "ka", "hy", "is", "ga", "sq", "mk",
];

/// Whether the words at `range` are written as a name: capitalised (or
/// in a script without capitals), not an acronym among words that are not
/// capitals ("OR-Tools"), and not joined by a hyphen to a lower-case word
/// (`Li-ion`, `will-o'`).
pub(super) fn written_as_name(text: &str, range: &Range<usize>) -> bool {
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
pub(super) fn acronym(text: &str, range: &Range<usize>) -> bool {
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
pub(super) fn vietnamese_letter(c: char) -> bool {
    matches!(c, 'ơ' | 'Ơ' | 'ư' | 'Ư' | 'ă' | 'Ă' | 'đ' | 'Đ')
        || matches!(c as u32, 0x1EA0..=0x1EF9)
}

/// A value and its spellings without the letters of German and the
/// Nordic languages: Düsseldorf as Duesseldorf, Søren as Soeren, Ålesund
/// as Aalesund (matching already finds Dusseldorf and Soren).
pub(super) fn transliterations(value: &str) -> Vec<String> {
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
pub(super) fn ukrainian_alternations(value: &str) -> Vec<String> {
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
pub(super) fn personal_subdomain(host: &str) -> Option<&str> {
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
pub(super) fn printed_words(words: &Words) -> Option<Arc<Regex>> {
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

pub(super) fn is_common_word(folded: &str) -> bool {
    COMMON_WORDS.contains(folded)
}

pub(super) fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_owned()
}
