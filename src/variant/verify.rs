//! The leak check of anonymized documents: before a file is written, its
//! text, metadata and link targets, and the PDF bytes themselves, are
//! searched for the profile's personal values.

use typst::layout::{Frame, FrameItem};
use typst::model::{Destination, Document as _};
use typst_layout::PagedDocument;

use super::anonymize::{Leak, Secrets};

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
    for (field, value) in &metadata {
        if let Some(leak) = secrets.find(value) {
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
        if let Some(leak) = secrets.find(&text) {
            return Err(describe(&leak, &format!("the text of page {}", index + 1)));
        }
        for link in links {
            if let Some(leak) = secrets.find(&link) {
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
        let word = secret.is_word();
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
