//! The leak check of anonymized documents: before a file is written, its
//! text, metadata and link targets, and the PDF bytes themselves, are
//! searched for the profile's personal values.
//!
//! The search is the redactor's own, and then a second one that shares none
//! of its matching code (see [`Reading`]), so that one bug cannot hide the
//! other: the text is normalised here (NFKD, accents removed, apostrophes
//! unified, lower case), cut into words of letters and digits, and every
//! personal value and name part is looked for as words, as a substring in
//! scripts written without spaces, and as digits for phone numbers.

use typst::layout::{Frame, FrameItem};
use typst::model::{Destination, Document as _};
use typst_layout::PagedDocument;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::anonymize::{Leak, Matcher, Secrets};

/// Checks a compiled document and its PDF bytes. The error says which value
/// leaked and where.
pub fn check(document: &PagedDocument, pdf: &[u8], secrets: &Secrets) -> Result<(), String> {
    let info = document.info();
    let mut metadata: Vec<(&str, String)> = Vec::new();
    if let Some(title) = &info.title {
        metadata.push(("title", title.to_string()));
    }
    for author in &info.author {
        metadata.push(("author", author.to_string()));
    }
    for keyword in &info.keywords {
        metadata.push(("keywords", keyword.to_string()));
    }
    if let Some(description) = &info.description {
        metadata.push(("description", description.to_string()));
    }
    let needles = needles(secrets);
    let search = |text: &str| secrets.find(text).or_else(|| independent(text, &needles));
    for (field, value) in &metadata {
        if let Some(leak) = search(value) {
            return Err(describe(&leak, &format!("the PDF metadata ({field})")));
        }
    }
    for (index, page) in document.pages().iter().enumerate() {
        let mut text = String::new();
        let mut links = Vec::new();
        let mut images = 0;
        collect(&page.frame, &mut text, &mut links, &mut images);
        // A photo is personal data a text search cannot see, and a layout
        // could place one from anywhere: no images at all.
        if images > 0 {
            return Err(format!(
                "the anonymized document has {images} image(s) on page {}; an anonymized \
                 document carries no pictures, so it was not written",
                index + 1
            ));
        }
        if let Some(leak) = search(&text) {
            return Err(describe(&leak, &format!("the text of page {}", index + 1)));
        }
        for link in links {
            if let Some(leak) = search(&link) {
                return Err(describe(
                    &leak,
                    &format!("a link target on page {}", index + 1),
                ));
            }
        }
    }
    // What the PDF writer added (XMP, outline, annotations) is checked in the
    // bytes: as written, and as UTF-16, the encoding of PDF text strings.
    // Compressed streams are skipped: their bytes are noise, and what they
    // hold (page text, fonts) was checked above.
    let plain: Vec<Vec<u8>> = uncompressed_parts(pdf)
        .iter()
        .map(|part| part.to_ascii_lowercase())
        .collect();
    for secret in secrets.iter().filter(|s| s.value.chars().count() >= 3) {
        let needle = secret.value.to_lowercase();
        let utf16: Vec<u8> = needle
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let word = secret.matcher() != Matcher::Phrase;
        if plain.iter().any(|part| {
            contains_folded(part, needle.as_bytes(), word) || contains_folded(part, &utf16, word)
        }) {
            return Err(format!(
                "the anonymized PDF still contains the {} `{}` in its bytes; it was not written",
                secret.field, secret.value
            ));
        }
    }
    Ok(())
}

/// A personal value as the independent search looks for it.
enum Needle {
    /// Consecutive words; `capitalised` only where the first is written
    /// with a capital and not hyphen-joined to a lower-case word.
    Words {
        words: Vec<String>,
        capitalised: bool,
    },
    /// Anywhere, whitespace removed on both sides (scripts written without
    /// spaces, right-to-left names with attached prefixes, addresses,
    /// dates, domains).
    Substring(String),
    /// A phone number's last seven digits.
    Digits(String),
}

/// Text normalised for the independent search.
fn normalise(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
            'ß' => 's',
            'ø' => 'o',
            'ł' => 'l',
            'ς' => 'σ',
            other => other,
        })
        .collect()
}

/// Whether a letter belongs to a script whose words are not spaced, or that
/// attaches prefixes to names (Arabic, Hebrew): such values are looked for
/// as substrings.
fn substring_script(c: char) -> bool {
    let n = c as u32;
    (0x0590..=0x06FF).contains(&n)
        || (0x0E00..=0x0EFF).contains(&n)
        || (0x1000..=0x109F).contains(&n)
        || (0x1100..=0x11FF).contains(&n)
        || (0x1780..=0x17FF).contains(&n)
        || (0x3040..=0x30FF).contains(&n)
        || (0x3400..=0x9FFF).contains(&n)
        || (0xAC00..=0xD7AF).contains(&n)
        || (0xF900..=0xFAFF).contains(&n)
        || (0xFB1D..=0xFDFF).contains(&n)
        || (0xFE70..=0xFEFF).contains(&n)
        || n >= 0x20000
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
fn needles(secrets: &Secrets) -> Vec<(&'static str, String, Needle)> {
    let mut out = Vec::new();
    for secret in secrets.iter() {
        let value = normalise(&secret.value);
        let needle = match secret.matcher() {
            Matcher::Phone => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                Needle::Digits(digits[digits.len().saturating_sub(7)..].to_owned())
            }
            _ if value.chars().any(substring_script) => Needle::Substring(squash(&value)),
            Matcher::Phrase => Needle::Substring(squash(&value)),
            matcher => {
                let words = words_of(&value);
                if words.len() > 1 {
                    // Written as one word too: a handle, `ReedAllman`.
                    out.push((
                        secret.field,
                        secret.value.clone(),
                        Needle::Words {
                            words: vec![words.concat()],
                            capitalised: matcher == Matcher::CommonWord,
                        },
                    ));
                }
                Needle::Words {
                    words,
                    capitalised: matcher == Matcher::CommonWord,
                }
            }
        };
        out.push((secret.field, secret.value.clone(), needle));
    }
    out
}

/// A word of the document's text, as the independent search reads it.
struct Word {
    folded: String,
    /// Written with a capital first letter.
    capitalised: bool,
    /// Joined by a hyphen to a lower-case word on either side (`Li-ion`).
    hyphen_to_lower: bool,
}

/// Whether `word` is `name` with a case ending (Иванову for Иванов): names
/// of five letters or more, up to three letters more.
fn declined(word: &str, name: &str) -> bool {
    let extra = word.chars().count().saturating_sub(name.chars().count());
    name.chars().count() >= 5 && word.starts_with(name) && (1..=3).contains(&extra)
}

/// Looks for every needle in `text`, with code of its own.
fn independent(text: &str, needles: &[(&'static str, String, Needle)]) -> Option<Leak> {
    let folded = normalise(text);
    let squashed = squash(&folded);
    let chars: Vec<char> = text.chars().collect();
    // Words with their case and neighbours, from the original text.
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
        words.push(Word {
            folded: words_of(&normalise(&word)).concat(),
            capitalised: chars[start].is_uppercase(),
            hyphen_to_lower: lower_after || lower_before,
        });
    }
    let digit_runs: Vec<String> = text
        .split(|c: char| !(c.is_ascii_digit() || " -./()+".contains(c)))
        .map(|run| run.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|digits| digits.len() >= 7)
        .collect();
    let leak = |field: &'static str, value: &str| Leak {
        field,
        value: value.to_owned(),
        context: text.chars().take(80).collect(),
    };
    for (field, value, needle) in needles {
        let found = match needle {
            Needle::Substring(needle) => !needle.is_empty() && squashed.contains(needle.as_str()),
            Needle::Digits(last) => digit_runs.iter().any(|run| run.ends_with(last.as_str())),
            Needle::Words {
                words: wanted,
                capitalised,
            } => {
                !wanted.is_empty()
                    && words.windows(wanted.len()).any(|window| {
                        let last = wanted.len() - 1;
                        window
                            .iter()
                            .zip(wanted)
                            .enumerate()
                            .all(|(i, (word, want))| {
                                &word.folded == want || (i == last && declined(&word.folded, want))
                            })
                            && (!capitalised
                                || (window[0].capitalised && !window[0].hyphen_to_lower))
                    })
            }
        };
        if found {
            return Some(leak(field, value));
        }
    }
    None
}

fn describe(leak: &Leak, place: &str) -> String {
    format!(
        "the anonymized document still contains the {} `{}` in {place} (“{}”); it was not written",
        leak.field,
        leak.value,
        leak.context.trim()
    )
}

/// Gathers a frame's text (in layout order, a space between runs) and URLs,
/// and counts its images.
fn collect(frame: &Frame, text: &mut String, links: &mut Vec<String>, images: &mut usize) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect(&group.frame, text, links, images),
            FrameItem::Image(..) => *images += 1,
            FrameItem::Text(run) => {
                text.push_str(&run.text);
                text.push(' ');
            }
            FrameItem::Link(Destination::Url(url), _) => links.push(url.to_string()),
            _ => {}
        }
    }
}

/// Whether `hay` contains `needle`, ASCII letters compared in any case
/// (`hay` already ASCII-lowercased, `needle` lowercase); as a whole word (no
/// ASCII letter or digit either side) if `word` is set, so a name part
/// "Mark" is not found in the PDF keyword `/MarkInfo`.
fn contains_folded(hay: &[u8], needle: &[u8], word: bool) -> bool {
    if needle.is_empty() {
        return false;
    }
    let alnum = |i: Option<&u8>| i.is_some_and(|b| b.is_ascii_alphanumeric());
    memchr::memmem::find_iter(hay, needle).any(|at| {
        !word
            || (!alnum(at.checked_sub(1).and_then(|i| hay.get(i)))
                && !alnum(hay.get(at + needle.len())))
    })
}

/// The parts of a PDF that are not compressed stream data.
fn uncompressed_parts(pdf: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut pos = 0;
    while let Some(found) = find(&pdf[pos..], b"stream") {
        let start = pos + found;
        let data = start + b"stream".len();
        if pdf[..start].ends_with(b"end") {
            parts.push(&pdf[pos..data]);
            pos = data;
            continue;
        }
        parts.push(&pdf[pos..data]);
        let Some(end) = find(&pdf[data..], b"endstream").map(|e| data + e) else {
            pos = data;
            break;
        };
        let dict_start = pdf[..start]
            .windows(3)
            .rposition(|w| w == b"obj")
            .unwrap_or(0);
        if find(&pdf[dict_start..start], b"/Filter").is_none() {
            parts.push(&pdf[data..end]);
        }
        pos = end;
    }
    parts.push(&pdf[pos..]);
    parts
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_streams_are_skipped_and_the_rest_is_searched() {
        let pdf = b"1 0 obj <</Filter /FlateDecode>> stream\nREED-noise\nendstream endobj \
            2 0 obj <</Type /Metadata>> stream\n<dc:creator>Reed</dc:creator>\nendstream endobj trailer";
        let parts = uncompressed_parts(pdf);
        let joined: Vec<u8> = parts.concat().to_ascii_lowercase();
        assert!(!contains_folded(&joined, b"reed-noise", false));
        assert!(contains_folded(&joined, b"<dc:creator>reed", false));
        assert!(contains_folded(&joined, b"reed", true));
        assert!(!contains_folded(
            b"/markinfo << /marked true >>",
            b"mark",
            true
        ));
        assert!(contains_folded(b"/title (mark l)", b"mark", true));
    }
}
