//! PNG previews: one image per page, rendered from the same compiled
//! document as the PDF, so a person (or a README) can glance at a result.

use std::path::{Path, PathBuf};

use typst::utils::Scalar;
use typst_layout::PagedDocument;
use typst_render::RenderOptions;

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

/// Renders every page of a document to PNG bytes at `dpi`. A page that
/// cannot be encoded comes back as its number (1-based) and the reason.
pub fn render(document: &PagedDocument, dpi: u16) -> Result<Vec<Vec<u8>>, (usize, String)> {
    let options = RenderOptions {
        pixel_per_pt: Scalar::new(f64::from(dpi) / 72.0),
        render_bleed: false,
    };
    document
        .pages()
        .iter()
        .enumerate()
        .map(|(index, page)| {
            typst_render::render(page, &options)
                .encode_png()
                .map_err(|err| (index + 1, err.to_string()))
        })
        .collect()
}

/// Previews of pages past `pages` left by an earlier, longer version.
pub fn stale_pages(pdf: &Path, pages: usize) -> impl Iterator<Item = PathBuf> + '_ {
    (pages + 1..)
        .map(move |page| page_path(pdf, page))
        .take_while(|path| path.exists())
}
