//! PNG previews: one image per page, rendered from the same compiled
//! document as the PDF (`typst::compile::png_pages`), so a person (or a
//! README) can glance at a result. Here: what a run writes, and where.

use std::path::{Path, PathBuf};

/// The default resolution of previews: sharp on a screen, small on disk.
pub const DEFAULT_DPI: u16 = 110;

/// The preview of page `page` (1-based) of the document whose PDF is `pdf`:
/// `cv.pdf` -> `cv-1.png`.
pub fn page_path(pdf: &Path, page: usize) -> PathBuf {
    let stem = pdf
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    pdf.with_file_name(format!("{stem}-{page}.png"))
}

/// Previews of pages past `pages` left by an earlier, longer version.
pub fn stale_pages(pdf: &Path, pages: usize) -> impl Iterator<Item = PathBuf> + '_ {
    (pages + 1..)
        .map(move |page| page_path(pdf, page))
        .take_while(|path| path.exists())
}
