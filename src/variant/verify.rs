//! The leak check of anonymized documents: before a file is written, its
//! text, metadata and link targets, and the PDF bytes themselves, are
//! searched for the profile's personal values.
//!
//! The search is the redactor's own, and then a second one that shares none
//! of its matching code, so that one bug cannot hide the other: the text is
//! normalised here (NFKD, accents removed, apostrophes unified, lower case),
//! cut into words of letters and digits, and every personal value and name
//! part is looked for as words (after Arabic and Hebrew prefixes), at word
//! edges a dictionary finds in Thai, Lao, Khmer and Burmese, as a
//! substring in Chinese, Japanese and Korean, as digits for phone numbers,
//! and as a year with its month and day near it for dates. Both searches
//! apply the promise's word rules (a name that is an ordinary word counts
//! only where written as a name) and skip what the layout prints by itself
//! (a month beside a year, the page label, headings).

use super::anonymize::{Leak, Secrets};
use crate::typst::document::{Shown, ShownPage};

mod independent;

use independent::{independent, needles};

/// Checks a compiled document and its PDF bytes. The error says which value
/// leaked and where.
pub fn check(shown: &Shown, pdf: &[u8], secrets: &Secrets) -> Result<(), String> {
    let needles = needles(secrets);
    let search = |text: &str| {
        let text = without_printed(text, secrets);
        secrets
            .find(&text)
            .or_else(|| independent(&text, &needles, secrets))
    };
    for (field, value) in &shown.metadata {
        if let Some(leak) = search(value) {
            return Err(describe(&leak, &format!("the PDF metadata ({field})")));
        }
    }
    for (index, page) in shown.pages.iter().enumerate() {
        let ShownPage {
            text,
            links,
            images,
        } = page;
        // A photo is personal data a text search cannot see, and a layout
        // could place one from anywhere: no images at all.
        if *images > 0 {
            return Err(format!(
                "the anonymized document has {images} image(s) on page {}; an anonymized \
                 document carries no pictures, so it was not written",
                index + 1
            ));
        }
        if let Some(leak) = search(text) {
            return Err(describe(&leak, &format!("the text of page {}", index + 1)));
        }
        for link in links {
            if let Some(leak) = search(link) {
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
    check_bytes(&plain, secrets, "PDF")
}

/// Checks a file written from the document's content (Word, text,
/// Markdown): everything a reader of each part gets (`texts`: where, text),
/// which for a Word file is every XML part's text and attribute values, so
/// nothing it holds escapes the search. Its words are searched with the
/// rules of a page's text: "Will" in "I will" is no name.
pub fn check_file(texts: &[(String, String)], secrets: &Secrets, what: &str) -> Result<(), String> {
    let needles = needles(secrets);
    for (place, text) in texts {
        let text = without_printed(text, secrets);
        if let Some(leak) = secrets
            .find(&text)
            .or_else(|| independent(&text, &needles, secrets))
        {
            return Err(describe(&leak, &format!("{place} of the {what}")));
        }
    }
    Ok(())
}

/// Searches lowercased bytes for every personal value as a word, as
/// written and as UTF-16.
fn check_bytes(plain: &[Vec<u8>], secrets: &Secrets, what: &str) -> Result<(), String> {
    for secret in secrets.iter().filter(|s| s.value.chars().count() >= 3) {
        let needle = secret.value.to_lowercase();
        let utf16: Vec<u8> = needle
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        // As words: a domain's name `line` is not in `/Outline`.
        if plain.iter().any(|part| {
            contains_folded(part, needle.as_bytes(), true) || contains_folded(part, &utf16, true)
        }) {
            return Err(format!(
                "the anonymized {what} still contains the {} `{}` in its bytes; it was not written",
                secret.field, secret.value
            ));
        }
    }
    Ok(())
}

/// `text` with what the layout prints by itself blanked out.
fn without_printed(text: &str, secrets: &Secrets) -> String {
    let mut out = text.to_owned();
    for range in secrets.printed(text).into_iter().rev() {
        out.replace_range(range, " ");
    }
    out
}

fn describe(leak: &Leak, place: &str) -> String {
    format!(
        "the anonymized document still contains the {} `{}` in {place} (“{}”); it was not written",
        leak.field,
        leak.value,
        leak.context.trim()
    )
}

/// Whether `hay` contains `needle`, ASCII letters compared in any case
/// (`hay` already ASCII-lowercased, `needle` lowercase); as a whole word (no
/// ASCII letter or digit either side) if `word` is set, so a name part
/// "Mark" is not found in the PDF keyword `/MarkInfo`. A needle of letters
/// alone is not found as the PDF's own syntax either: a name object
/// (`/Page`, `/Font`) or an XMP tag (`dc:title`, `<rdf:Description`), so a
/// person named Page or Title is no leak of the file's structure.
fn contains_folded(hay: &[u8], needle: &[u8], word: bool) -> bool {
    if needle.is_empty() {
        return false;
    }
    let alnum = |i: Option<&u8>| i.is_some_and(|b| b.is_ascii_alphanumeric());
    let letters = needle.iter().all(u8::is_ascii_alphabetic);
    memchr::memmem::find_iter(hay, needle).any(|at| {
        let before = at.checked_sub(1).and_then(|i| hay.get(i));
        let after = hay.get(at + needle.len());
        let syntax =
            letters && (matches!(before, Some(b'/' | b':' | b'<')) || after == Some(&b':'));
        !word || (!alnum(before) && !alnum(after) && !syntax)
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
    use crate::variant::anonymize::Tongue;

    fn dutch(toml: &str) -> Secrets {
        let profile = crate::profile::parse(toml).unwrap();
        let words = &crate::layout::builtin_languages()["nl"].words;
        Secrets::of(
            &profile.basics,
            &profile.anonymize,
            Tongue { code: "nl", words },
        )
    }

    /// Both searches, as `check` runs them on a page's text.
    fn search(secrets: &Secrets, text: &str) -> Option<Leak> {
        let text = without_printed(text, secrets);
        secrets
            .find(&text)
            .or_else(|| independent(&text, &needles(secrets), secrets))
    }

    #[test]
    fn what_the_layout_prints_and_ordinary_words_are_no_leak() {
        let secrets = dutch(
            "[basics]\nname = \"Jan van der Berg\"\nbirth_date = \"1987-01-23\"\n\
             profiles = [{ network = \"LINE\", url = \"https://line.me/ti/p/x1y2z3\" }]\n",
        );
        for page in [
            "Pagina 1 van 2",
            "Senior data-engineer | jan. 2015 – heden",
            "de gemeente van Utrecht, een van de oprichters",
            "the ticketing line and the outline",
            "Google OR-Tools",
        ] {
            assert_eq!(search(&secrets, page), None, "{page}");
        }
    }

    #[test]
    fn the_independent_search_finds_what_the_redactor_would_and_says_where() {
        let secrets = dutch("[basics]\nname = \"Jan van der Berg\"\nbirth_date = \"1987-01-23\"\n");
        let needles = needles(&secrets);
        let page = "Profiel. Een lange inleiding over data en systemen. Geboren op 23 januari 1987 in Zwolle.";
        let leak = independent(page, &needles, &secrets).expect("the date is found");
        assert_eq!(leak.field, "birth_date");
        assert!(leak.context.contains("23 januari 1987"), "{}", leak.context);
        assert!(
            !leak.context.starts_with("Profiel"),
            "the place, not the page's start"
        );
        let leak = independent("werk van Van der Berg", &needles, &secrets).expect("the name");
        assert!(leak.context.contains("Van der Berg"));
        assert!(independent("Sinds Jan 2015", &needles, &secrets).is_some());
        assert!(
            search(&secrets, "Sinds Jan 2015").is_none(),
            "a month beside a year"
        );
    }

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
        // The PDF's own names and XMP tags are no one's name.
        assert!(!contains_folded(b"/type /page /parent", b"page", true));
        assert!(!contains_folded(b"<dc:title><rdf:alt>", b"title", true));
        assert!(contains_folded(b"(page summers)", b"page", true));
    }

    #[test]
    fn a_file_beside_the_pdf_is_searched_part_by_part() {
        let secrets =
            dutch("[basics]\nname = \"Jan van der Berg\"\nemail = \"jan@voorbeeld.nl\"\n");
        let clean = [(
            "the Word file's word/document.xml".to_owned(),
            "Senior engineer | jan. 2015 – heden\nde gemeente van Utrecht".to_owned(),
        )];
        assert_eq!(check_file(&clean, &secrets, "Word file"), Ok(()));
        let rels = [(
            "the Word file's word/_rels/document.xml.rels".to_owned(),
            "styles.xml\nmailto:jan@voorbeeld.nl".to_owned(),
        )];
        let error = check_file(&rels, &secrets, "Word file").unwrap_err();
        assert!(error.contains("document.xml.rels"), "{error}");
        let text = [(
            "the text".to_owned(),
            "Contact: Jan van der Berg".to_owned(),
        )];
        assert!(check_file(&text, &secrets, "text file").is_err());
    }
}
