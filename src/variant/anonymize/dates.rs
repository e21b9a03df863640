//! A birth date wherever it is written, in any language cvgen prints:
//! "12 Mayıs 1991", "3 de febrero de 1990", "5 сентября 1991", "1991年5月12日",
//! "12.05.1991", "May 12th, 1991", "12 พฤษภาคม 2534" (the Thai Buddhist era).
//!
//! Text is read as tokens (numbers in any script's digits, words, the CJK
//! date characters) and a date is a short run of them that holds the
//! year, the month (as a number or a month name of any language, declined
//! or abbreviated) and the day, in any order, with only connecting words
//! ("de", "of", "года") and separators between them.

use std::ops::Range;
use std::sync::LazyLock;

use super::matching::fold;
use crate::layout::language::Words;
use crate::profile::PartialDate;

/// The years from the Common Era to the Thai Buddhist era.
const BUDDHIST_ERA: i32 = 543;

/// Words that stand between the parts of a date, folded; and after one
/// (`года`, `г`, `r`, `roku`).
const CONNECTORS: &[&str] = &[
    "de",
    "del",
    "of",
    "the",
    "den",
    "der",
    "des",
    "du",
    "d",
    "le",
    "la",
    "el",
    "am",
    "im",
    "on",
    "th",
    "st",
    "nd",
    "rd",
    "er",
    "eme",
    "o",
    "a",
    "di",
    "em",
    "van",
    "года",
    "год",
    "г",
    "goda",
    "r",
    "roku",
    "rok",
    "yil",
    "yili",
    "yilinda",
    "ngay",
    "thang",
    "nam",
    "วันที่",
    "ที่",
    "เดือน",
    "ปี",
    "พ.ศ",
    "ค.ศ",
    "พ",
    "ศ",
    "ค",
    "ב",
    "في",
    "من",
];

/// Words that may close a date ("1991 г.", "1991 года").
const SUFFIXES: &[&str] = &["г", "года", "r", "roku"];

/// Characters that end a number in the CJK way of writing dates.
const CJK_UNITS: &[char] = &['年', '月', '日', '号', '년', '월', '일'];

/// Month names of every language cvgen knows, folded: for each month its
/// full, short and with-a-day forms.
#[derive(Debug, Clone, Default)]
pub(super) struct Months {
    forms: [Vec<String>; 12],
}

impl Months {
    /// The built-in languages' month names and the document language's own
    /// (a user's language file adds its words).
    pub fn new(words: &Words) -> Self {
        let mut months = BUILT_IN.clone();
        months.add(words);
        months
    }

    fn add(&mut self, words: &Words) {
        for list in [&words.months, &words.short_months, &words.day_months] {
            for (month, name) in list.iter().enumerate() {
                let written = name.trim().trim_end_matches('.');
                if !written.chars().any(char::is_alphabetic) {
                    continue;
                }
                let form = fold(written);
                if form.chars().count() >= 2 && !self.forms[month].contains(&form) {
                    self.forms[month].push(form);
                }
            }
        }
    }

    /// Every form of every month with its month (1 to 12), folded.
    pub fn by_month(&self) -> impl Iterator<Item = (u8, &str)> {
        (1..=12u8)
            .zip(&self.forms)
            .flat_map(|(month, forms)| forms.iter().map(move |f| (month, f.as_str())))
    }

    /// The months a folded word names: exactly, declined (a letter or two
    /// in place of the last: "сентябр-я" of "сентябрь"), or after a
    /// Hebrew prefix ("במאי").
    fn of(&self, word: &str) -> Vec<u8> {
        let bare = word
            .strip_prefix(['ב', 'ל', 'ה', 'ו'])
            .filter(|rest| rest.chars().count() >= 3);
        (1..=12u8)
            .filter(|m| {
                self.forms[usize::from(m - 1)]
                    .iter()
                    .any(|form| names(word, form) || bare.is_some_and(|b| names(b, form)))
            })
            .collect()
    }
}

/// Whether `word` is `form`, or `form` declined.
fn names(word: &str, form: &str) -> bool {
    if word == form {
        return true;
    }
    let length = form.chars().count();
    if length < 5 {
        return false;
    }
    let stem: String = form.chars().take(length - 1).collect();
    word.starts_with(&stem) && word.chars().count() <= length + 2
}

static BUILT_IN: LazyLock<Months> = LazyLock::new(|| {
    let mut months = Months::default();
    for language in crate::layout::builtin_languages().values() {
        months.add(&language.words);
    }
    months
});

/// What a token of text is.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(u32, usize),
    Word(String),
    /// 年, 月, 日 ...
    Unit,
}

/// Reads text as tokens with their byte ranges; `None` stands where the
/// text holds something a date cannot run across.
fn tokens(text: &str) -> Vec<Option<(Token, Range<usize>)>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if let Some(d) = digit(c) {
            let (mut value, mut digits, mut end) = (d, 1usize, at + c.len_utf8());
            while let Some(&(next_at, next)) = chars.peek() {
                let Some(d) = digit(next) else { break };
                value = value.saturating_mul(10).saturating_add(d);
                digits += 1;
                end = next_at + next.len_utf8();
                chars.next();
            }
            out.push(Some((Token::Number(value, digits), at..end)));
        } else if CJK_UNITS.contains(&c) {
            out.push(Some((Token::Unit, at..at + c.len_utf8())));
        } else if c.is_alphabetic() {
            let mut end = at + c.len_utf8();
            while let Some(&(next_at, next)) = chars.peek() {
                // A dot inside a word belongs to it (Thai "ม.ค.").
                let dotted = next == '.'
                    && text[next_at + 1..]
                        .chars()
                        .next()
                        .is_some_and(|after| after.is_alphabetic() && !after.is_ascii());
                if !(next.is_alphabetic()
                    || unicode_normalization::char::is_combining_mark(next)
                    || dotted)
                    || CJK_UNITS.contains(&next)
                {
                    break;
                }
                end = next_at + next.len_utf8();
                chars.next();
            }
            out.push(Some((Token::Word(fold(&text[at..end])), at..end)));
        } else if c.is_whitespace() || ".,/-–'’".contains(c) {
            continue;
        } else {
            out.push(None);
        }
    }
    out
}

/// A decimal digit of any script (Arabic-Indic, Devanagari, Thai ...).
pub(super) fn digit(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    const ZEROS: &[u32] = &[
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x17E0, 0x1810, 0xFF10,
    ];
    let n = c as u32;
    ZEROS
        .iter()
        .find(|zero| (**zero..**zero + 10).contains(&n))
        .map(|zero| n - zero)
}

/// What a run of tokens has found of the date so far.
#[derive(Default, Clone, Copy)]
struct Seen {
    year: bool,
    month: bool,
    day: bool,
}

/// The dates a value states however it writes them ("03.04.1979", "3.
/// April 1979", "1979年4月3日", "15 marca 1990 r."): a year from 1900 to
/// 2100 with a month (a name, or a number) and a day. Numbers alone are
/// read day first and, where that is a date too, month first.
pub(super) fn read(text: &str, months: &Months) -> Vec<PartialDate> {
    let tokens: Vec<Token> = tokens(text).into_iter().flatten().map(|(t, _)| t).collect();
    let mut years = Vec::new();
    let mut named = Vec::new();
    let mut small = Vec::new();
    for token in &tokens {
        match token {
            Token::Number(n, digits) if *digits == 4 && (1900..=2100).contains(n) => years.push(*n),
            Token::Number(n, digits) if *digits <= 2 && *n >= 1 && *n <= 31 => small.push(*n),
            Token::Word(word) => named.extend(months.of(word)),
            _ => {}
        }
    }
    let [year] = years[..] else { return Vec::new() };
    let Ok(year) = i32::try_from(year) else {
        return Vec::new();
    };
    let date = |month: u32, day: Option<u32>| -> Option<PartialDate> {
        let text = match day {
            Some(day) => format!("{year}-{month:02}-{day:02}"),
            None => format!("{year}-{month:02}"),
        };
        text.parse().ok()
    };
    let found: Vec<Option<PartialDate>> = match (&named[..], &small[..]) {
        ([month], [day]) => vec![date(u32::from(*month), Some(*day))],
        ([month], []) => vec![date(u32::from(*month), None)],
        ([], [a, b]) => vec![date(*b, Some(*a)), date(*a, Some(*b))],
        ([], [month]) => vec![date(*month, None)],
        _ => Vec::new(),
    };
    let mut dates: Vec<PartialDate> = found.into_iter().flatten().collect();
    dates.sort();
    dates.dedup();
    dates
}

/// Byte ranges of every writing of `date` in `text`, left to right.
pub(super) fn find(date: PartialDate, months: &Months, text: &str) -> Vec<Range<usize>> {
    let tokens = tokens(text);
    let mut found = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        match run(date, months, &tokens[start..]) {
            Some((taken, mut range)) => {
                // The dot of an abbreviation that closes it ("1991 г.").
                let closing = text[..range.end].ends_with(['г', 'r']);
                if closing && text[range.end..].starts_with('.') {
                    range.end += 1;
                }
                found.push(range);
                start += taken;
            }
            None => start += 1,
        }
    }
    found
}

/// The date at the start of `tokens`, if one starts there: how many tokens
/// it takes and where it is.
fn run(
    date: PartialDate,
    months: &Months,
    tokens: &[Option<(Token, Range<usize>)>],
) -> Option<(usize, Range<usize>)> {
    const LONGEST: usize = 9;
    let year = u32::try_from(date.year).ok()?;
    let buddhist = u32::try_from(date.year + BUDDHIST_ERA).ok()?;
    let month = date.month.map(u32::from);
    let day = date.day.map(u32::from);
    let mut seen = Seen::default();
    let mut last_part = None;
    let mut first: Option<usize> = None;
    for (index, token) in tokens.iter().enumerate().take(LONGEST) {
        let Some((token, range)) = token else { break };
        let part = match token {
            Token::Number(value, digits) => {
                let value = *value;
                if !seen.year && (value == year || value == buddhist) && *digits >= 4 {
                    seen.year = true;
                } else if !seen.day && Some(value) == day && *digits <= 2 {
                    seen.day = true;
                } else if !seen.month && Some(value) == month && *digits <= 2 {
                    seen.month = true;
                } else if !seen.year
                    && *digits == 2
                    && value == year % 100
                    && seen.day
                    && seen.month
                {
                    seen.year = true;
                } else {
                    break;
                }
                true
            }
            Token::Word(word) => {
                let named = months.of(word);
                if !seen.month && month.is_some_and(|m| named.iter().any(|n| u32::from(*n) == m)) {
                    seen.month = true;
                    true
                } else if CONNECTORS.contains(&word.as_str()) && first.is_some() {
                    false
                } else {
                    break;
                }
            }
            Token::Unit if first.is_some() => true,
            Token::Unit => break,
        };
        if part {
            first.get_or_insert(range.start);
            last_part = Some((index, range.end));
        }
        let complete = seen.year && (month.is_none() || seen.month);
        let whole = complete && (day.is_none() || seen.day);
        if whole {
            // Take a unit or suffix right after it too (日, г.).
            let (mut taken, mut end) = last_part?;
            if let Some(Some((token, range))) = tokens.get(taken + 1) {
                let suffix = match token {
                    Token::Unit => true,
                    Token::Word(word) => SUFFIXES.contains(&word.as_str()),
                    Token::Number(..) => false,
                };
                if suffix {
                    taken += 1;
                    end = range.end;
                }
            }
            return Some((taken + 1, first?..end));
        }
    }
    // A month and year without the day still dates the birth.
    let (index, end) = last_part?;
    (seen.year && (month.is_none() || seen.month)).then_some((index + 1, first?..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months() -> Months {
        BUILT_IN.clone()
    }

    fn hits<'t>(date: &str, text: &'t str) -> Vec<&'t str> {
        let date: PartialDate = date.parse().expect("date");
        find(date, &months(), text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn written_dates_in_many_languages() {
        for text in [
            "12 Mayıs 1991",
            "12 de mayo de 1991",
            "12 мая 1991 г.",
            "12 травня 1991",
            "12 maja 1991",
            "12. Mai 1991",
            "12 mei 1991",
            "12 mai 1991",
            "12 maggio 1991",
            "12 de maio de 1991",
            "12 maj 1991",
            "May 12th, 1991",
            "12th of May 1991",
            "1991年5月12日",
            "1991년 5월 12일",
            "12.05.1991",
            "05/12/1991",
            "1991-05-12",
            "12.05.91",
            "12 พฤษภาคม 2534",
            "12 พ.ค. 2534",
            "12 במאי 1991",
            "١٢ مايو ١٩٩١",
            "१२ मई १९९१",
        ] {
            assert_eq!(hits("1991-05-12", text), [text], "{text}");
        }
    }

    #[test]
    fn dates_read_from_a_value_however_written() {
        let read = |text: &str| -> Vec<String> {
            super::read(text, &months())
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(read("03.04.1979"), ["1979-03-04", "1979-04-03"]);
        assert_eq!(read("3. April 1979 in München"), ["1979-04-03"]);
        assert_eq!(read("1er avril 1985 à Lyon"), ["1985-04-01"]);
        assert_eq!(read("1979年4月3日"), ["1979-03-04", "1979-04-03"]);
        assert_eq!(read("31/12/1990"), ["1990-12-31"]);
        assert!(read("verheiratet, 2 Kinder").is_empty());
    }

    #[test]
    fn a_date_in_a_sentence_is_found_and_nothing_else() {
        let text = "Nacida el 12 de mayo de 1991 en Sevilla; en 1991 y el 12 de mayo de 2020.";
        assert_eq!(hits("1991-05-12", text), ["12 de mayo de 1991"]);
        // A month and year alone still date the birth.
        assert_eq!(hits("1991-05-12", "born in May 1991."), ["May 1991"]);
        assert_eq!(
            hits("1991-05-12", "in 2019, 12 people; 5 teams"),
            [] as [&str; 0]
        );
    }
}
