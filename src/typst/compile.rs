//! Compiling a job's world to a paged document and exporting it as PDF.

use typst::comemo;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Smart;
use typst_kit::diagnostics::{self, DiagnosticFormat, DiagnosticWorld, termcolor::NoColor};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use super::world::JobWorld;

/// Comemo entries unused for this many evictions are dropped. Each finished
/// document evicts once, so the layout's shared work (components, fonts) stays
/// cached while per-document results do not pile up.
const CACHE_MAX_AGE: usize = 8;

/// A compiled document with its warnings, already rendered as text.
pub struct Compiled {
    pub document: PagedDocument,
    pub warnings: Vec<String>,
}

/// Compiles the world's main layout. Errors come back rendered in Typst's own
/// `file:line:col` style, naming the layout file.
pub fn compile(world: &JobWorld) -> Result<Compiled, String> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let rendered_warnings = warnings
        .iter()
        .map(|w| render(world, std::slice::from_ref(w)))
        .collect();
    output
        .map(|document| Compiled {
            document,
            warnings: rendered_warnings,
        })
        .map_err(|errors| render(world, &errors))
}

/// Exports a document to PDF bytes. `ident` keeps the PDF's identifier stable
/// across runs, so the same inputs give the same bytes.
pub fn export(world: &JobWorld, document: &PagedDocument, ident: &str) -> Result<Vec<u8>, String> {
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_owned()),
        creator: Smart::Custom(Some(format!("cvgen {}", env!("CARGO_PKG_VERSION")))),
        timestamp: None,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| render(world, &errors))
}

/// Lets the memoization cache forget what recent documents no longer use.
/// Called after every document, on success and on failure alike.
pub fn evict_cache() {
    comemo::evict(CACHE_MAX_AGE);
}

/// Renders diagnostics as Typst prints them: message, file:line:col, source
/// line with a caret, hints.
fn render(world: &dyn DiagnosticWorld, diagnostics: &[SourceDiagnostic]) -> String {
    // Typst's hints about its own CLI flags (`--root`) would mislead here.
    let diagnostics: Vec<SourceDiagnostic> = diagnostics
        .iter()
        .cloned()
        .map(|mut diag| {
            diag.hints.retain(|hint| !hint.v.contains("--root"));
            diag
        })
        .collect();
    let mut out = NoColor::new(Vec::new());
    let text = match diagnostics::emit(&mut out, world, &diagnostics, DiagnosticFormat::Human) {
        Ok(()) => String::from_utf8_lossy(out.get_ref()).into_owned(),
        Err(_) => diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    text.trim_end().to_owned()
}
