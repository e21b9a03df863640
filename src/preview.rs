//! PNG previews: one image per page, rendered from the same compiled
//! document as the PDF (`typst::compile::png_pages`), so a person (or a
//! README) can glance at a result. Here: what a run writes, and where.

use std::path::{Path, PathBuf};

/// What a run writes for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub pdf: bool,
    pub png: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Self {
            pdf: true,
            png: false,
        }
    }
}

impl Formats {
    /// Parses comma-separated format names (`pdf,png`).
    pub fn parse_list(items: &[String]) -> Result<Self, String> {
        let mut formats = Self {
            pdf: false,
            png: false,
        };
        for name in items.iter().flat_map(|item| item.split(',')) {
            match name.trim() {
                "pdf" => formats.pdf = true,
                "png" => formats.png = true,
                other => return Err(format!("unknown format `{other}`; formats are: pdf, png")),
            }
        }
        if !formats.pdf && !formats.png {
            return Err("no format given; formats are: pdf, png".into());
        }
        Ok(formats)
    }
}

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
