//! The second search of the leak check: code of its own, sharing none of
//! the redactor's matching, so that one bug cannot hide the other. Text is
//! normalised here, read as words with their case and neighbours, and each
//! personal value is looked for by its kind (see [`Needle`]).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::variant::anonymize::{self, Leak, Matcher, Secrets};

/// A personal value as the independent search looks for it.
pub(super) enum Needle {
    /// Consecutive words; `common` for a name that is an ordinary word:
    /// found only where written as a name.
    Words { words: Vec<String>, common: bool },
    /// Anywhere, whitespace removed on both sides (Chinese, Japanese,
    /// Korean; addresses, domains).
    Substring(String),
    /// At word edges of a segmented script (Thai, Lao, Khmer, Burmese).
    Segmented(String),
    /// A phone number's last seven digits.
    Digits(String),
    /// A year, with the month and day near it when the date has them.
    Date {
        years: [u32; 2],
        month: Option<u32>,
        day: Option<u32>,
    },
}

/// Text normalised for the independent search.
fn normalise(text: &str) -> String {
    // Accents go; the vowel signs of Indic and South-East Asian scripts are
    // letters and stay.
    let vowel = |c: char| matches!(c as u32, 0x0900..=0x0DFF | 0x0E00..=0x0EFF | 0x0F00..=0x0FFF | 0x1000..=0x109F | 0x1780..=0x17FF);
    text.nfkd()
        .filter(|c| !is_combining_mark(*c) || vowel(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
            'ß' => 's',
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            'ı' => 'i',
            'ς' => 'σ',
            other => other,
        })
        .collect()
}

/// Scripts written without spaces whose words no dictionary here finds:
/// values are looked for as substrings.
fn substring_script(c: char) -> bool {
    let n = c as u32;
    (0x1100..=0x11FF).contains(&n)
        || (0x3040..=0x30FF).contains(&n)
        || (0x3400..=0x9FFF).contains(&n)
        || (0xAC00..=0xD7AF).contains(&n)
        || (0xF900..=0xFAFF).contains(&n)
        || n >= 0x20000
}

/// Scripts a dictionary segments.
fn segmented_script(c: char) -> bool {
    let n = c as u32;
    (0x0E00..=0x0EFF).contains(&n)
        || (0x1000..=0x109F).contains(&n)
        || (0x1780..=0x17FF).contains(&n)
}

/// Letters that Arabic and Hebrew join to the front of a word.
fn attached_prefix(c: char) -> bool {
    "הובלמשכالبكفو".contains(c)
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The words of normalised text: runs of letters and digits.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every personal value of `secrets` as the independent search looks for it.
pub(super) fn needles(secrets: &Secrets) -> Vec<(&'static str, String, Needle)> {
    let mut out = Vec::new();
    for secret in secrets.iter() {
        let value = normalise(&secret.value);
        let needle = match secret.matcher() {
            Matcher::Phone => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                Needle::Digits(digits[digits.len().saturating_sub(7)..].to_owned())
            }
            Matcher::Date => {
                let Some(date) = secret.date() else { continue };
                let Ok(year) = u32::try_from(date.year) else {
                    continue;
                };
                Needle::Date {
                    years: [year, year + 543],
                    month: date.month.map(u32::from),
                    day: date.day.map(u32::from),
                }
            }
            _ if value.chars().any(substring_script) => Needle::Substring(squash(&value)),
            // A short value of a segmented script (a nickname) at the
            // edges of words; a longer one anywhere.
            _ if value.chars().any(segmented_script)
                && value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !is_combining_mark(*c))
                    .count()
                    < 4 =>
            {
                Needle::Segmented(squash(&secret.value))
            }
            _ if value.chars().any(segmented_script) => Needle::Substring(squash(&value)),
            Matcher::Phrase => Needle::Substring(squash(&value)),
            matcher => {
                let words = words_of(&value);
                let common = matcher == Matcher::CommonWord;
                if words.len() > 1 {
                    // Written as one word too: a handle, `ReedAllman`.
                    out.push((
                        secret.field,
                        secret.value.clone(),
                        Needle::Words {
                            words: vec![words.concat()],
                            common,
                        },
                    ));
                }
                Needle::Words { words, common }
            }
        };
        out.push((secret.field, secret.value.clone(), needle));
    }
    out
}

/// A word of the document's text, as the independent search reads it.
struct Word {
    folded: String,
    /// Where it starts in the text (characters).
    at: usize,
    /// Written as a name: a capital first (or a script without capitals),
    /// not joined by a hyphen to a lower-case word (`Li-ion`), and not
    /// capitals among words that are not (`OR-Tools`).
    as_name: bool,
    /// Its letters are all capitals.
    shouting: bool,
    /// Written with an `s` after a capital: a name's possessive.
    possessive_of: Option<String>,
}

/// Whether `word` is `name` with a case ending, in a language that
/// declines names: up to three letters more, or in place of a final vowel.
fn declined(word: &str, name: &str) -> bool {
    let (w, n) = (word.chars().count(), name.chars().count());
    if w <= n {
        return false;
    }
    if word.starts_with(name) && w - n <= 3 {
        return true;
    }
    let stem: String = name.chars().take(n - 1).collect();
    let vowel = name
        .chars()
        .last()
        .is_some_and(|c| "aeiouyаеиоуыэюяьαηιουωσ".contains(c));
    vowel && n >= 4 && word.starts_with(&stem) && w - (n - 1) <= 3
}

/// Looks for every needle in `text`, with code of its own.
pub(super) fn independent(
    text: &str,
    needles: &[(&'static str, String, Needle)],
    secrets: &Secrets,
) -> Option<Leak> {
    let folded = normalise(text);
    let squashed = squash(&folded);
    let chars: Vec<char> = text.chars().collect();
    let char_at: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    let byte = |at: usize| char_at.get(at).copied().unwrap_or(text.len());
    let words = read_words(&chars);
    let leak = |field: &'static str, value: &str, at: usize, len: usize| Leak {
        field,
        value: value.to_owned(),
        context: anonymize::around(text, byte(at)..byte(at + len)),
    };
    let declines = secrets.declines();
    for (field, value, needle) in needles {
        let found: Option<(usize, usize)> = match needle {
            Needle::Substring(needle) if !needle.is_empty() => squashed
                .contains(needle.as_str())
                .then(|| locate(&folded, needle).unwrap_or((0, 1))),
            Needle::Substring(_) => None,
            Needle::Segmented(needle) => segmented_hit(text, needle),
            Needle::Digits(last) => digit_hit(&chars, last),
            Needle::Date { years, month, day } => date_hit(&chars, years, *month, *day, secrets),
            Needle::Words {
                words: wanted,
                common,
            } => words_hit(&words, wanted, *common, declines),
        };
        if let Some((at, len)) = found {
            return Some(leak(field, value, at, len));
        }
    }
    None
}

/// The words of a text with their case, place and neighbours.
fn read_words(chars: &[char]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if !chars[at].is_alphanumeric() {
            at += 1;
            continue;
        }
        let start = at;
        while at < chars.len() && (chars[at].is_alphanumeric() || is_combining_mark(chars[at])) {
            at += 1;
        }
        let word: String = chars[start..at].iter().collect();
        let lower_after =
            chars.get(at) == Some(&'-') && chars.get(at + 1).is_some_and(|c| c.is_lowercase());
        // The first letter of the word before a joining hyphen.
        let mut first = start;
        if start >= 2 && chars[start - 1] == '-' {
            first = start - 1;
            while first > 0 && chars[first - 1].is_alphabetic() {
                first -= 1;
            }
        }
        let lower_before = first < start.saturating_sub(1) && chars[first].is_lowercase();
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        let shouting = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
        let capital = !chars[start].is_lowercase();
        let folded = words_of(&normalise(&word)).concat();
        let possessive_of =
            (capital && word.ends_with('s') && !shouting && folded.chars().count() >= 3)
                .then(|| folded[..folded.len() - 1].to_owned());
        words.push(Word {
            folded,
            at: start,
            as_name: capital && !lower_after && !lower_before,
            shouting,
            possessive_of,
        });
    }
    // Capitals among words that are not: an acronym, not a name.
    let shouting: Vec<bool> = words.iter().map(|w| w.shouting).collect();
    for (index, word) in words.iter_mut().enumerate() {
        if word.shouting {
            let before = index.checked_sub(1).map(|i| shouting[i]);
            let after = shouting.get(index + 1).copied();
            if !(before.unwrap_or(true) && after.unwrap_or(true)) {
                word.as_name = false;
            }
        }
    }
    words
}

/// Where consecutive words spell `wanted`, as (char position, length).
fn words_hit(
    words: &[Word],
    wanted: &[String],
    common: bool,
    declines: bool,
) -> Option<(usize, usize)> {
    if wanted.is_empty() {
        return None;
    }
    let last = wanted.len() - 1;
    // A name that is an ordinary word: in scripts without capitals, only
    // as a word of its own; elsewhere also after an attached prefix.
    let right_to_left = |word: &str| {
        word.chars()
            .next()
            .is_some_and(|c| (0x0590..=0x06FF).contains(&(c as u32)))
    };
    words.windows(wanted.len()).find_map(|window| {
        let matches = window
            .iter()
            .zip(wanted)
            .enumerate()
            .all(|(i, (word, want))| {
                let prefixed = !common
                    && i == 0
                    && right_to_left(want)
                    && word.folded.ends_with(want.as_str())
                    && {
                        let extra = &word.folded[..word.folded.len() - want.len()];
                        (1..=3).contains(&extra.chars().count())
                            && extra.chars().all(attached_prefix)
                    };
                &word.folded == want
                    || prefixed
                    || (i == last && declines && declined(&word.folded, want))
                    || (i == last && word.possessive_of.as_deref() == Some(want.as_str()))
            });
        (matches && (!common || window[0].as_name)).then(|| {
            let first = &window[0];
            (
                first.at,
                wanted.iter().map(|w| w.chars().count() + 1).sum::<usize>(),
            )
        })
    })
}

/// Where `needle` (normalised, no spaces) stands in `folded` text.
fn locate(folded: &str, needle: &str) -> Option<(usize, usize)> {
    let first = needle.chars().next()?;
    folded.char_indices().find_map(|(byte, c)| {
        if c != first {
            return None;
        }
        squash(&folded[byte..])
            .starts_with(needle)
            .then(|| (folded[..byte].chars().count(), needle.chars().count()))
    })
}

/// A short value of a segmented script (a nickname) written as a word of
/// its own: between spaces or punctuation. Where the text runs on without
/// spaces, the dictionary's words depend on what is around them, and the
/// page breaks lines the profile did not: the redactor cuts there by the
/// dictionary, and this check does not second-guess it.
fn segmented_hit(text: &str, needle: &str) -> Option<(usize, usize)> {
    let letterish = |c: char| c.is_alphanumeric() || is_combining_mark(c) || segmented_script(c);
    // These scripts have no case or accents to fold: the value is
    // searched as written.
    text.match_indices(needle).find_map(|(start, wanted)| {
        let end = start + wanted.len();
        let open = !text[..start].chars().next_back().is_some_and(letterish);
        let close = !text[end..].chars().next().is_some_and(letterish);
        (open && close).then(|| (text[..start].chars().count(), wanted.chars().count()))
    })
}

/// The last seven digits of a phone number in a run of digits.
fn digit_hit(chars: &[char], last: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    while at < chars.len() {
        if !chars[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let start = at;
        let mut digits = String::new();
        while at < chars.len() && (chars[at].is_ascii_digit() || " -./()+".contains(chars[at])) {
            if chars[at].is_ascii_digit() {
                digits.push(chars[at]);
            }
            at += 1;
        }
        if digits.len() >= 7 && digits.ends_with(last) {
            return Some((start, at - start));
        }
    }
    None
}

/// A year (common or Buddhist era) written as a date with the month and
/// day: numbers joined by separators, or the month named within a few
/// words of the year and the day as a number near them. A year alone for
/// a birth date known only to the year.
fn date_hit(
    chars: &[char],
    years: &[u32; 2],
    month: Option<u32>,
    day: Option<u32>,
    secrets: &Secrets,
) -> Option<(usize, usize)> {
    const NEAR: usize = 20;
    let value = |c: char| -> Option<u32> {
        c.to_digit(10).or_else(|| {
            [0x0660u32, 0x06F0, 0x0966, 0x0E50, 0x0ED0, 0x1040, 0x17E0]
                .iter()
                .find(|zero| (**zero..**zero + 10).contains(&(c as u32)))
                .map(|zero| c as u32 - zero)
        })
    };
    // Numbers with their places.
    let mut numbers: Vec<(usize, usize, u32)> = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if value(chars[at]).is_none() {
            at += 1;
            continue;
        }
        let start = at;
        let mut n: u32 = 0;
        while let Some(d) = chars.get(at).copied().and_then(value) {
            n = n.saturating_mul(10).saturating_add(d);
            at += 1;
        }
        numbers.push((start, at, n));
    }
    // Month names by month, normalised here.
    let months: Vec<(u8, String)> = secrets
        .month_names()
        .map(|(m, name)| (m, normalise(name)))
        .filter(|(_, name)| name.chars().count() >= 2)
        .collect();
    let names_month = |word: &str, month: u32| {
        let word = word
            .strip_prefix('ב')
            .filter(|rest| rest.chars().count() >= 3)
            .unwrap_or(word);
        months.iter().any(|(m, name)| {
            let n = name.chars().count();
            let stem: String = name.chars().take(n.saturating_sub(1)).collect();
            u32::from(*m) == month
                && (word == name
                    || (n >= 5 && word.starts_with(&stem) && word.chars().count() <= n + 2))
        })
    };
    // Numbers written as one date: joined by single dots, slashes or
    // hyphens (12.05.1991, 1991-05-12), or a CJK date (1991年5月12日).
    let joined = |a: &(usize, usize, u32), b: &(usize, usize, u32)| {
        let between: String = chars[a.1..b.0].iter().collect();
        matches!(
            between.as_str(),
            "." | "-" | "/" | "年" | "月" | "년 " | "월 "
        )
    };
    let mut groups: Vec<Vec<(usize, usize, u32)>> = Vec::new();
    for number in &numbers {
        match groups.last_mut() {
            Some(group) if group.last().is_some_and(|last| joined(last, number)) => {
                group.push(*number)
            }
            _ => groups.push(vec![*number]),
        }
    }
    let is_year = |&(start, end, n): &(usize, usize, u32)| years.contains(&n) && end - start >= 4;
    for group in &groups {
        let values: Vec<u32> = group.iter().map(|g| g.2).collect();
        let Some(year) = group.iter().position(is_year) else {
            continue;
        };
        let mut rest = values.clone();
        rest.remove(year);
        let take = |wanted: Option<u32>, rest: &mut Vec<u32>| match wanted {
            None => true,
            Some(w) => match rest.iter().position(|v| *v == w) {
                Some(at) => {
                    rest.remove(at);
                    true
                }
                None => false,
            },
        };
        if group.len() > 1 && take(month, &mut rest) && take(day, &mut rest) {
            let (start, end) = (group[0].0, group[group.len() - 1].1);
            return Some((start, end - start));
        }
    }
    // A month named beside the year, and the day as a number near them.
    numbers.iter().find_map(|&(start, end, n)| {
        if !is_year(&(start, end, n)) {
            return None;
        }
        let from = start.saturating_sub(NEAR);
        let to = (end + NEAR).min(chars.len());
        let window = normalise(&chars[from..to].iter().collect::<String>());
        let month_ok = match month {
            None => true,
            Some(m) => words_of(&window).iter().any(|w| names_month(w, m)),
        };
        let day_ok = day.is_none_or(|d| {
            numbers
                .iter()
                .any(|(s, e, v)| *s >= from && *e <= to && *v == d && e - s <= 2)
        });
        (month_ok && day_ok).then_some((from, to - from))
    })
}
