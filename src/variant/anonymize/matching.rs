//! Finding a personal value in text whatever its spelling: under Unicode
//! normalization, case folding and without diacritics (José = Jose =
//! Jose + U+0301, Kraków = Krakow, ß = ss), with typographic and straight
//! apostrophes alike, and with words joined by spaces, hyphens or nothing
//! (Anne Marie = Anne-Marie = AnneMarie). How a match is bounded depends on
//! the script: whole words where words are spaced, anywhere in scripts
//! written without spaces (Chinese, Japanese, Thai, Korean with its attached
//! particles), and after an attached prefix in Arabic and Hebrew (ل، ال،
//! ב، ה ...). Phone numbers match by their digits.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A character as matching sees it: decomposed (NFKD) without combining
/// marks, lower case, one apostrophe, and letters that do not decompose
/// spelt out (ß, ø, ł, æ, œ ...).
fn fold_char(c: char, out: &mut impl FnMut(char)) {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{0060}' | '\u{00B4}' | '\u{2032}' => out('\''),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => out('-'),
        _ => {
            for d in c.nfkd() {
                if is_combining_mark(d) {
                    continue;
                }
                for l in d.to_lowercase() {
                    match l {
                        'ß' => "ss".chars().for_each(&mut *out),
                        'ø' => out('o'),
                        'ł' => out('l'),
                        'đ' | 'ð' => out('d'),
                        'þ' => "th".chars().for_each(&mut *out),
                        'æ' => "ae".chars().for_each(&mut *out),
                        'œ' => "oe".chars().for_each(&mut *out),
                        'ı' => out('i'),
                        'ς' => out('σ'),
                        _ => out(l),
                    }
                }
            }
        }
    }
}

/// A value folded for matching.
pub(super) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| out.push(f));
    }
    out
}

/// Text folded for matching, with the original byte range each folded
/// character came from.
pub(super) struct Folded {
    chars: Vec<char>,
    origin: Vec<Range<usize>>,
}

impl Folded {
    pub fn new(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            let range = at..at + c.len_utf8();
            fold_char(c, &mut |f| {
                chars.push(f);
                origin.push(range.clone());
            });
        }
        Self { chars, origin }
    }

    /// The original byte range of folded characters `start..end`.
    fn original(&self, start: usize, end: usize) -> Range<usize> {
        self.origin[start].start..self.origin[end - 1].end
    }
}

/// How the ends of a match must sit in the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Bounds {
    /// Anywhere, even inside a word (an email address, a domain).
    Anywhere,
    /// Not inside a run of letters: digits and `_` count as edges, so a
    /// handle like `ONeill42` is found.
    Word,
}

/// Scripts written without spaces between words: a name is found as a
/// substring.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility
        | 0x20000..=0x2FA1F  // CJK extensions B-F
        | 0xAC00..=0xD7AF    // Hangul syllables (particles attach)
        | 0x1100..=0x11FF    // Hangul jamo
        | 0x0E00..=0x0EFF    // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
    )
}

fn arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

fn hebrew(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x05FF | 0xFB1D..=0xFB4F)
}

/// Letters Arabic writes joined to the front of a word: the article ال and
/// the prepositions and conjunctions ب، ل، ك، ف، و (alone or combined: وال،
/// بال، لل ...).
const ARABIC_PREFIXES: &[char] = &['ا', 'ل', 'ب', 'ك', 'ف', 'و'];
/// Hebrew's attached prefixes: ה، ו، ב، ל، מ، ש، כ.
const HEBREW_PREFIXES: &[char] = &['ה', 'ו', 'ב', 'ל', 'מ', 'ש', 'כ'];
/// At most this many prefix letters stand between a word's edge and a name.
const MAX_PREFIX: usize = 3;

/// A value as a pattern: its words, folded, matched with spaces, hyphens,
/// apostrophes or nothing between them.
#[derive(Debug, Clone)]
pub(super) struct Pattern {
    words: Vec<Vec<char>>,
    bounds: Bounds,
}

impl Pattern {
    pub fn new(value: &str, bounds: Bounds) -> Self {
        let words = fold(value)
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().collect())
            .collect();
        Self { words, bounds }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Byte ranges, in the original text, of the non-overlapping
    /// occurrences, left to right.
    pub fn find_all(&self, text: &Folded) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let Some(first) = self.words.first().and_then(|w| w.first()) else {
            return found;
        };
        let script_free = self.words.iter().flatten().any(|c| unspaced(*c));
        let prefixes = if self.words.iter().flatten().any(|c| arabic(*c)) {
            ARABIC_PREFIXES
        } else if self.words.iter().flatten().any(|c| hebrew(*c)) {
            HEBREW_PREFIXES
        } else {
            &[]
        };
        let chars = &text.chars;
        let mut from = 0;
        let mut start = 0;
        while start < chars.len() {
            if chars[start] != *first || start < from {
                start += 1;
                continue;
            }
            let Some(end) = self.match_at(chars, start) else {
                start += 1;
                continue;
            };
            let bounded = match self.bounds {
                Bounds::Anywhere => true,
                Bounds::Word if script_free => true,
                Bounds::Word => {
                    right_edge(chars, end, self.inflects()) && left_edge(chars, start, prefixes)
                }
            };
            if bounded {
                found.push(text.original(start, end));
                from = end;
                start = end;
            } else {
                start += 1;
            }
        }
        found
    }

    /// Whether a word may follow the value with an ending of its own: names
    /// of five letters or more are declined in many languages (Иванову,
    /// Kowalskiego, Müllers), and the ending says nothing about the person.
    fn inflects(&self) -> bool {
        self.words.last().is_some_and(|word| word.len() >= 5)
    }

    /// Where a match starting at folded position `start` ends, if there is
    /// one.
    fn match_at(&self, chars: &[char], start: usize) -> Option<usize> {
        let mut at = start;
        for (index, word) in self.words.iter().enumerate() {
            if index > 0 {
                // Between words: spaces, one hyphen or apostrophe, or nothing.
                let gap_start = at;
                while chars.get(at).is_some_and(|c| c.is_whitespace()) {
                    at += 1;
                }
                if at == gap_start && matches!(chars.get(at), Some('-' | '\'')) {
                    at += 1;
                }
            }
            for &wanted in word {
                if chars.get(at) != Some(&wanted) {
                    return None;
                }
                at += 1;
            }
        }
        Some(at)
    }
}

/// At most this many letters may follow a name that inflects.
const MAX_ENDING: usize = 3;

/// Whether a match ending at `end` ends a word: nothing alphabetic after
/// it, or, for a name that inflects, an ending of up to [`MAX_ENDING`]
/// letters.
fn right_edge(chars: &[char], end: usize, inflects: bool) -> bool {
    let ending = chars[end..]
        .iter()
        .take_while(|c| c.is_alphabetic())
        .count();
    ending == 0 || (inflects && ending <= MAX_ENDING)
}

/// Whether a match starting at `start` begins a word: nothing alphabetic
/// before it, or only up to [`MAX_PREFIX`] of the script's attached prefix
/// letters, with the word's edge before them.
fn left_edge(chars: &[char], start: usize, prefixes: &[char]) -> bool {
    let mut at = start;
    for _ in 0..=MAX_PREFIX {
        match at.checked_sub(1).map(|i| chars[i]) {
            None => return true,
            Some(c) if !c.is_alphabetic() => return true,
            Some(c) if prefixes.contains(&c) => at -= 1,
            Some(_) => return false,
        }
    }
    false
}

pub(super) fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

pub(super) fn last_digits(text: &str) -> String {
    let all = digits(text);
    all[all.len().saturating_sub(7)..].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits<'t>(value: &str, bounds: Bounds, text: &'t str) -> Vec<&'t str> {
        Pattern::new(value, bounds)
            .find_all(&Folded::new(text))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn words_match_in_any_case_with_any_spacing() {
        let text = "By reed\nALLMAN, not Greedallman or reed allmanacks; Reed Allman.";
        assert_eq!(
            hits("Reed  Allman", Bounds::Word, text),
            ["reed\nALLMAN", "Reed Allman"]
        );
        assert_eq!(hits("allman", Bounds::Anywhere, "rdallman.com"), ["allman"]);
        assert!(hits("Ana", Bounds::Word, "Anaïs").is_empty());
    }

    #[test]
    fn diacritics_case_and_normal_forms_fold_together() {
        let decomposed = "Jose\u{301} Mu\u{308}ller";
        assert_eq!(hits("José Müller", Bounds::Word, decomposed), [decomposed]);
        assert_eq!(
            hits("José Müller", Bounds::Word, "JOSE MULLER"),
            ["JOSE MULLER"]
        );
        assert_eq!(hits("Kraków", Bounds::Word, "in Krakow."), ["Krakow"]);
        assert_eq!(hits("Strauß", Bounds::Word, "Strauss"), ["Strauss"]);
        assert_eq!(hits("Łódź", Bounds::Word, "Lodz"), ["Lodz"]);
    }

    #[test]
    fn apostrophes_hyphens_and_handles() {
        for text in ["O'Neill", "O’Neill", "o’neill"] {
            assert_eq!(hits("O'Neill", Bounds::Word, text), [text]);
        }
        assert_eq!(
            hits("Anne Marie", Bounds::Word, "Anne-Marie"),
            ["Anne-Marie"]
        );
        assert_eq!(hits("Anne-Marie", Bounds::Word, "AnneMarie"), ["AnneMarie"]);
        // Digits and underscores are edges: a handle is found.
        assert_eq!(hits("ONeill", Bounds::Word, "@ONeill42_dev"), ["ONeill"]);
        assert!(hits("Neill", Bounds::Word, "Neillsons").is_empty());
        assert!(hits("Reed", Bounds::Word, "Reeds").is_empty());
    }

    #[test]
    fn declined_names_and_greek_capitals() {
        assert_eq!(hits("Иванов", Bounds::Word, "пишут Иванову"), ["Иванов"]);
        assert_eq!(
            hits("Kowalski", Bounds::Word, "u Kowalskiego"),
            ["Kowalski"]
        );
        assert_eq!(hits("Νίκος", Bounds::Word, "Ο ΝΙΚΟΣ γράφει"), ["ΝΙΚΟΣ"]);
    }

    #[test]
    fn unspaced_scripts_match_inside_text() {
        assert_eq!(
            hits(
                "王小明",
                Bounds::Word,
                "我叫王小明，在北京工作。王小明喜欢编程"
            ),
            ["王小明", "王小明"]
        );
        assert_eq!(
            hits("김민준", Bounds::Word, "김민준은 개발자입니다"),
            ["김민준"]
        );
        assert_eq!(hits("สมชาย", Bounds::Word, "ชื่อสมชายครับ"), ["สมชาย"]);
    }

    #[test]
    fn arabic_and_hebrew_names_with_attached_prefixes() {
        assert_eq!(
            hits("محمد", Bounds::Word, "كتب لمحمد وبمحمد"),
            ["محمد", "محمد"]
        );
        assert_eq!(hits("כהן", Bounds::Word, "נכתב לכהן ומכהן"), ["כהן", "כהן"]);
        // Another letter before the name: a different word.
        assert!(hits("محمد", Bounds::Word, "سمحمد").is_empty());
    }
}
