//! Finding a personal value in text whatever its spelling: under Unicode
//! normalization, case folding and without diacritics (José = Jose =
//! Jose + U+0301, Kraków = Krakow, ß = ss), with typographic and straight
//! apostrophes alike, and with words joined by spaces, hyphens or nothing
//! (Anne Marie = Anne-Marie = AnneMarie). How a match is bounded depends on
//! the script: whole words where words are spaced, with the endings the
//! language gives names; anywhere in Chinese and Japanese; at the start of
//! a word in Korean (particles attach at its end); at the edges of
//! dictionary words in Thai, Lao, Khmer and Burmese (longer values
//! anywhere); and after an attached prefix in Arabic and Hebrew (ل، ال،
//! ב، ה ...). Phone numbers match by their digits.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A character as matching sees it: decomposed (NFKD) without combining
/// marks (but the vowel signs of abugidas, see [`vowel_sign`]), lower case, one apostrophe, and letters that do not decompose
/// spelt out (ß, ø, ł, æ, œ ...).
fn fold_char(c: char, out: &mut impl FnMut(char)) {
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{0060}' | '\u{00B4}' | '\u{2032}' => out('\''),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => out('-'),
        _ => {
            for d in c.nfkd() {
                if is_combining_mark(d) && !vowel_sign(d) {
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

/// Whether a combining mark is a vowel or tone of its letter rather than
/// an accent that spellings drop: the marks of the Indic and South-East
/// Asian scripts (Thai นัก is not นก).
pub(super) fn vowel_sign(c: char) -> bool {
    matches!(c as u32, 0x0900..=0x0DFF | 0x0E00..=0x0EFF | 0x0F00..=0x0FFF | 0x1000..=0x109F | 0x1780..=0x17FF)
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
    /// Whether the original character was a capital letter.
    upper: Vec<bool>,
    text: String,
    /// Where a word may begin or end in scripts written without spaces
    /// between words that a dictionary segments (Thai, Lao, Khmer,
    /// Burmese): byte offsets of the original text, sorted.
    breaks: Vec<usize>,
}

impl Folded {
    pub fn new(text: &str) -> Self {
        let mut chars = Vec::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        let mut upper = Vec::with_capacity(text.len());
        for (at, c) in text.char_indices() {
            let range = at..at + c.len_utf8();
            fold_char(c, &mut |f| {
                chars.push(f);
                origin.push(range.clone());
                upper.push(c.is_uppercase());
            });
        }
        let breaks = if text.chars().any(segmented) {
            word_breaks(text)
        } else {
            Vec::new()
        };
        Self {
            chars,
            origin,
            upper,
            text: text.to_owned(),
            breaks,
        }
    }

    /// The original byte range of folded characters `start..end`, with the
    /// marks that follow its last character (a Thai vowel sign, an accent
    /// written apart): they were folded away, but belong to the letter.
    fn original(&self, start: usize, end: usize) -> Range<usize> {
        let mut to = self.origin[end - 1].end;
        for c in self.text[to..].chars() {
            if !is_combining_mark(c) && !is_thai_like_mark(c) {
                break;
            }
            to += c.len_utf8();
        }
        self.origin[start].start..to
    }

    /// Whether a word of a segmented script may start at byte `at`.
    fn word_starts(&self, at: usize) -> bool {
        let before = self.text[..at].chars().next_back();
        !before.is_some_and(inside_word) || self.breaks.binary_search(&at).is_ok()
    }

    /// Whether a word of a segmented script may end at byte `at`.
    fn word_ends(&self, at: usize) -> bool {
        let after = self.text[at..].chars().next();
        !after.is_some_and(inside_word) || self.breaks.binary_search(&at).is_ok()
    }
}

/// A letter, digit or mark: part of a word.
fn inside_word(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || is_thai_like_mark(c)
}

/// Vowel signs and tone marks of the segmented scripts that Unicode does
/// not class as combining marks (spacing vowels written after a letter).
fn is_thai_like_mark(c: char) -> bool {
    matches!(c as u32, 0x0E30..=0x0E3A | 0x0E40..=0x0E4E | 0x0EB0..=0x0EBC | 0x0EC0..=0x0ECE | 0x102B..=0x103E | 0x17B4..=0x17D3)
}

/// Scripts whose words a dictionary finds: Thai, Lao, Burmese, Khmer.
fn segmented(c: char) -> bool {
    matches!(c as u32, 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF)
}

/// The edges of the words of `text` in the segmented scripts, by ICU4X's
/// dictionary segmenter (its neural one splits names it does not know
/// into pieces).
fn word_breaks(text: &str) -> Vec<usize> {
    use icu_segmenter::WordSegmenter;
    use icu_segmenter::options::WordBreakInvariantOptions;
    WordSegmenter::new_dictionary(WordBreakInvariantOptions::default())
        .segment_str(text)
        .collect()
}

/// Values of a segmented script at least this long (in letters, without
/// marks) are found anywhere, like Chinese names: a full name is no
/// ordinary word, and a dictionary may not know it. Shorter ones (a
/// nickname: นก, bird) only at the edges of words.
const SEGMENTED_ANYWHERE: usize = 4;

/// How a match is bounded: its edges, and what may follow it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Bounds {
    /// Anywhere, even inside a word (an email address, a domain).
    Anywhere,
    /// Not inside a run of letters: digits and `_` count as edges, so a
    /// handle like `ONeill42` is found.
    Word,
}

/// What a name may carry after it in the document's language.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) enum Endings {
    /// Nothing: a word ends where the value ends (`'s` is another word).
    #[default]
    None,
    /// A capitalised name may take an `s` (German and Dutch genitives,
    /// "Lenas Projekt", an English possessive without its apostrophe).
    Possessive,
    /// Case endings of up to three letters, and a final vowel may give way
    /// to them (Волкова -> Волковой, Kowalska -> Kowalskiej): languages
    /// that decline names.
    Declined,
}

/// Scripts written without spaces between words (Chinese, Japanese, and
/// the dictionary-segmented ones), and Korean, whose words take particles:
/// [`Pattern::find_all`] bounds each its own way.
fn unspaced(c: char) -> bool {
    segmented(c)
        || matches!(c as u32,
            0x3040..=0x30FF      // Hiragana, Katakana
            | 0x3400..=0x4DBF    // CJK extension A
            | 0x4E00..=0x9FFF    // CJK unified ideographs
            | 0xF900..=0xFAFF    // CJK compatibility
            | 0x20000..=0x2FA1F  // CJK extensions B-F
            | 0xAC00..=0xD7AF    // Hangul syllables (particles attach)
            | 0x1100..=0x11FF    // Hangul jamo
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
    endings: Endings,
    /// Whether Arabic and Hebrew prefixes may stand before it.
    prefixed: bool,
}

impl Pattern {
    pub fn new(value: &str, bounds: Bounds) -> Self {
        let words = fold(value)
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().collect())
            .collect();
        Self {
            words,
            bounds,
            endings: Endings::None,
            prefixed: true,
        }
    }

    /// The same pattern, allowing `endings` after it.
    pub fn with_endings(mut self, endings: Endings) -> Self {
        self.endings = endings;
        self
    }

    /// The same pattern, found only as a bare word in Arabic and Hebrew (a
    /// name that is an ordinary word: with a prefix it is another word).
    pub fn without_prefixes(mut self) -> Self {
        self.prefixed = false;
        self
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
        let letters = || self.words.iter().flatten();
        let short = letters().filter(|c| !is_combining_mark(**c)).count() < SEGMENTED_ANYWHERE;
        let dictionary = short && letters().any(|c| segmented(*c));
        // Korean spaces its words and attaches particles at their end: a
        // name starts a word and may run on ("김민지입니다", "민지는").
        let hangul = letters().any(|c| matches!(*c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF));
        let script_free = !dictionary && !hangul && letters().any(|c| unspaced(*c));
        let prefixes = if !self.prefixed {
            &[][..]
        } else if letters().any(|c| arabic(*c)) {
            ARABIC_PREFIXES
        } else if letters().any(|c| hebrew(*c)) {
            HEBREW_PREFIXES
        } else {
            &[]
        };
        let chars = &text.chars;
        let mut start = 0;
        while start < chars.len() {
            if chars[start] != *first {
                start += 1;
                continue;
            }
            let end = match self.bounds {
                Bounds::Anywhere => self.match_at(chars, start, false),
                Bounds::Word if script_free => self.match_at(chars, start, false),
                Bounds::Word if hangul => self
                    .match_at(chars, start, false)
                    .filter(|_| left_edge(chars, start, &[])),
                Bounds::Word if dictionary => self.match_at(chars, start, false).filter(|&end| {
                    let range = text.original(start, end);
                    text.word_starts(range.start) && text.word_ends(range.end)
                }),
                Bounds::Word if !left_edge(chars, start, prefixes) => None,
                Bounds::Word => [false, true].into_iter().find_map(|stem| {
                    let end = self.match_at(chars, start, stem)?;
                    self.right_edge(text, start, end, stem).then_some(end)
                }),
            };
            match end {
                Some(end) => {
                    found.push(text.original(start, end));
                    start = end;
                }
                None => start += 1,
            }
        }
        found
    }

    /// Whether a match from `start` to `end` ends a word: nothing
    /// alphabetic after it, or an ending the language gives names (see
    /// [`Endings`]); a match that dropped its final vowel needs one.
    fn right_edge(&self, text: &Folded, start: usize, end: usize, stem: bool) -> bool {
        let ending = text.chars[end..]
            .iter()
            .take_while(|c| c.is_alphabetic())
            .count();
        // A Greek name may lose its final sigma and nothing else take its
        // place (Γιάννης -> Γιάννη).
        let sigma = self.words.last().and_then(|w| w.last()) == Some(&'σ');
        match self.endings {
            _ if ending == 0 => !stem || (sigma && self.endings == Endings::Declined),
            Endings::Declined => ending <= MAX_ENDING,
            Endings::Possessive => {
                ending == 1 && text.chars[end] == 's' && text.upper[start] && !text.upper[end]
            }
            Endings::None => false,
        }
    }

    /// Where a match starting at folded position `start` ends, if there is
    /// one. With `stem`, the last word's final vowel is left out (a case
    /// ending takes its place), for words of four letters or more.
    fn match_at(&self, chars: &[char], start: usize, stem: bool) -> Option<usize> {
        let last = self.words.len() - 1;
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
            let word = if stem && index == last {
                match word.split_last() {
                    Some((last, rest)) if rest.len() >= 3 && VOWELS.contains(last) => rest,
                    _ => return None,
                }
            } else {
                word
            };
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

/// Final letters (folded) a case ending may replace.
const VOWELS: &[char] = &[
    'a', 'e', 'i', 'o', 'u', 'y', 'а', 'е', 'и', 'о', 'у', 'ы', 'э', 'ю', 'я', 'ь', 'α', 'η', 'ι',
    'ο', 'υ', 'ω', 'σ',
];

/// At most this many letters may follow a name that inflects.
const MAX_ENDING: usize = 3;

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

    fn declined<'t>(value: &str, text: &'t str) -> Vec<&'t str> {
        Pattern::new(value, Bounds::Word)
            .with_endings(Endings::Declined)
            .find_all(&Folded::new(text))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn declined_names_and_greek_capitals() {
        assert_eq!(declined("Иванов", "пишут Иванову"), ["Иванов"]);
        assert_eq!(declined("Kowalski", "u Kowalskiego"), ["Kowalski"]);
        // A case ending in place of the final vowel.
        assert_eq!(declined("Волкова", "с Волковой"), ["Волков"]);
        assert_eq!(declined("Надежда", "Надежды"), ["Надежд"]);
        assert_eq!(declined("Kowalska", "pani Kowalskiej"), ["Kowalsk"]);
        assert_eq!(
            declined("Παπαδόπουλος", "του Παπαδόπουλου"),
            ["Παπαδόπουλο"]
        );
        assert_eq!(declined("Γιάννης", "τον Γιάννη."), ["Γιάννη"]);
        // Not where the language does not decline names.
        assert!(hits("Иванов", Bounds::Word, "Иванову").is_empty());
        assert_eq!(hits("Νίκος", Bounds::Word, "Ο ΝΙΚΟΣ γράφει"), ["ΝΙΚΟΣ"]);
    }

    #[test]
    fn a_possessive_s_only_after_a_capital() {
        let possessive = |value: &str, text: &str| {
            Pattern::new(value, Bounds::Word)
                .with_endings(Endings::Possessive)
                .find_all(&Folded::new(text))
                .len()
        };
        assert_eq!(possessive("Lena", "Lenas Projekt"), 1);
        assert_eq!(possessive("Reed", "reeds grow"), 0);
        assert_eq!(possessive("Reed", "REEDS"), 0);
        assert_eq!(possessive("Neill", "Neillsons"), 0);
    }

    #[test]
    fn thai_names_at_the_edges_of_words() {
        // สมชาย is found where it is a word, not from inside another one.
        assert_eq!(
            hits("นก", Bounds::Word, "ชื่อเล่น นก และนกแก้ว").len(),
            1,
            "นก (bird) inside นกแก้ว (parrot) is not the nickname"
        );
        assert_eq!(hits("สมชาย", Bounds::Word, "ชื่อสมชายครับ"), ["สมชาย"]);
        // The tone mark after the last letter belongs to the match.
        assert_eq!(hits("ใจดี", Bounds::Word, "คุณใจดี มาก"), ["ใจดี"]);
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
        // A Korean name starts a word; inside one it is another word.
        assert_eq!(hits("민지", Bounds::Word, "민지는 국민지원금을"), ["민지"]);
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
