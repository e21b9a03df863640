//! Compiling a job's world to a paged document and exporting it as PDF.

use typst::comemo;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Datetime;
use typst::foundations::Smart;
use typst_kit::diagnostics::{self, DiagnosticFormat, DiagnosticWorld, termcolor::Ansi};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::standard::Standards;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use typst::layout::{Frame, FrameItem};

use super::clusters;
use super::world::JobWorld;
use crate::diagnostic::Styled;

/// Comemo entries unused for this many evictions are dropped. Each finished
/// document evicts once, so the layout's shared work (components, fonts) and
/// a one-page fit's earlier compiles stay cached while per-document results do
/// not pile up. Documents of different profiles share little layout work:
/// on 1000 generated profiles x 3 variants (-j2), age 2 ran in 31.4 s at
/// 97 MB peak, age 8 in 34.6 s at 112 MB; age 1 slowed fitting down. With
/// several workers the others' documents evict too (see `share_among`).
static CACHE_MAX_AGE: AtomicUsize = AtomicUsize::new(2);

/// Keeps memoized work for many renders (`cvgen watch`): a watched
/// profile's next render reuses the layout of everything its edit did not
/// touch.
pub fn keep_warm() {
    CACHE_MAX_AGE.store(64, Ordering::Relaxed);
}

/// Keeps memoized work as long for each of `workers` as for one: every
/// worker's finished documents evict, so a profile's next document would
/// otherwise find the layout its siblings left already dropped (with age 2
/// and two workers, the long form and the anonymized one laid out again
/// what the one page had: a fifth more compile time in a batch).
pub fn share_among(workers: usize) {
    CACHE_MAX_AGE.fetch_max(2 * workers.max(1), Ordering::Relaxed);
}

/// A compiled document with its warnings, already rendered as text.
pub struct Typeset {
    pub document: PagedDocument,
    pub warnings: Vec<Styled>,
}

/// Compiles the world's main layout. Errors come back rendered in Typst's own
/// `file:line:col` style, naming the layout file. Characters no font draws
/// are warned about, but for those in `reported` (the profile's own,
/// already reported at their fields).
pub fn compile(world: &JobWorld, reported: &BTreeSet<char>) -> Result<Typeset, Styled> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let mut rendered: Vec<Styled> = warnings
        .iter()
        .map(|w| render(world, std::slice::from_ref(w)))
        .collect();
    output
        .map(|document| {
            rendered.extend(missing_glyphs(&document, reported));
            Typeset {
                document,
                warnings: rendered,
            }
        })
        .map_err(|errors| render(world, &errors))
}

/// Mends the glyph clusters layout split across text runs (see
/// `clusters`), so the PDF's text layer holds each cluster once. Done once,
/// on the final document: fitting's trial compiles measure positions, which
/// mending never moves.
pub fn mend_clusters(document: &mut PagedDocument) {
    if let Some(mended) = clusters::mend(document) {
        *document = mended;
    }
}

/// A warning for the characters no font can draw that the layout itself
/// prints (its fixed words, say): Typst sets them as empty boxes (the
/// `.notdef` glyph) without a word.
fn missing_glyphs(document: &PagedDocument, reported: &BTreeSet<char>) -> Option<Styled> {
    fn walk(frame: &Frame, reported: &BTreeSet<char>, found: &mut Vec<(char, String)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, reported, found),
                FrameItem::Text(text) => {
                    for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                        let range = glyph.range();
                        let Some(c) = text.text.get(range.clone()).and_then(|s| s.chars().next())
                        else {
                            continue;
                        };
                        if c.is_whitespace()
                            || reported.contains(&c)
                            || found.iter().any(|(seen, _)| *seen == c)
                        {
                            continue;
                        }
                        let start = text
                            .text
                            .floor_char_boundary(range.start.saturating_sub(24));
                        let end = text.text.ceil_char_boundary(range.end + 24);
                        found.push((c, text.text[start..end].trim().to_string()));
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    for page in document.pages() {
        walk(&page.frame, reported, &mut found);
    }
    if found.is_empty() {
        return None;
    }
    let listed: Vec<String> = found
        .iter()
        .map(|(c, context)| format!("{c:?} (U+{:04X}) in “{context}”", *c as u32))
        .collect();
    Some(Styled::new(format!(
        "warning: no font can draw what the layout prints here: {}; it prints as empty boxes\n  \
         = hint: if these are the language's fixed words, install its fonts (see `cvgen check`) \
         or pass --font-path",
        listed.join(", ")
    )))
}

/// Exports a document to PDF bytes, claiming `standards` (which Typst
/// checks). `ident` keeps the PDF's identifier stable across runs, so the
/// same inputs give the same bytes; a standard's required date is `date`,
/// the run's fixed day. Errors are Typst's messages, one per line.
pub fn export(
    document: &PagedDocument,
    ident: &str,
    standards: &Standards,
    date: Datetime,
) -> Result<Vec<u8>, String> {
    let claimed = !standards.names().is_empty();
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_owned()),
        creator: Smart::Custom(Some(format!("cvgen {}", env!("CARGO_PKG_VERSION")))),
        // PDF/A needs a date; without a standard none is written.
        timestamp: claimed.then(|| Timestamp::new_utc(date)),
        standards: standards.typst()?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| {
        let messages: Vec<String> = errors
            .iter()
            .map(|e| format!("error: {}", e.message))
            .collect();
        messages.join("\n")
    })
}

/// Lets the memoization cache forget what recent documents no longer use.
/// Called after every document, on success and on failure alike.
pub fn evict_cache() {
    comemo::evict(CACHE_MAX_AGE.load(Ordering::Relaxed));
}

/// Renders diagnostics as Typst prints them: message, file:line:col, source
/// line with a caret, hints.
fn render(world: &dyn DiagnosticWorld, diagnostics: &[SourceDiagnostic]) -> Styled {
    // Typst's hints about its own CLI flags (`--root`) would mislead here.
    let diagnostics: Vec<SourceDiagnostic> = diagnostics
        .iter()
        .cloned()
        .map(|mut diag| {
            diag.hints.retain(|hint| !hint.v.contains("--root"));
            diag
        })
        .collect();
    let mut out = Ansi::new(Vec::new());
    let text = match diagnostics::emit(&mut out, world, &diagnostics, DiagnosticFormat::Human) {
        Ok(()) => String::from_utf8_lossy(out.get_ref()).into_owned(),
        Err(_) => diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    Styled::new(text.trim_end().to_owned())
}
