//! Reading a typeset document: where a label landed, what each page shows
//! a reader (for the leak check), text past a page's edge, and the pages as
//! PNG images.

use typst::foundations::Label;
use typst::layout::{Frame, FrameItem, Point};
use typst::model::{Destination, Document as _};
use typst::utils::{PicoStr, Scalar};
use typst_layout::PagedDocument;
use typst_render::RenderOptions;

/// Where the label `label` landed in a document: the 1-based page, and the
/// distance from the top of that page in points. `None` if the layout
/// placed no such label.
pub fn label_position(document: &PagedDocument, label: &str) -> Option<(usize, f64)> {
    let introspector = document.introspector();
    let position = Label::new(PicoStr::intern(label))
        .and_then(|label| introspector.elements().query_label(label).ok())
        .and_then(|content| content.location())
        .and_then(|location| introspector.position(location))?;
    Some((position.page.get(), position.point.y.to_pt()))
}

/// What a typeset document shows: its metadata fields, and per page its
/// text, link targets and images.
pub struct Shown {
    /// `("title", ..)`, `("author", ..)`, `("keywords", ..)`,
    /// `("description", ..)`, as set.
    pub metadata: Vec<(&'static str, String)>,
    pub pages: Vec<ShownPage>,
}

/// What one page shows.
#[derive(Default)]
pub struct ShownPage {
    /// Its text in layout order, a space after each run.
    pub text: String,
    /// The URLs it links to.
    pub links: Vec<String>,
    /// How many images it places.
    pub images: usize,
}

/// What `document` shows a reader.
pub fn shown(document: &PagedDocument) -> Shown {
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
    let pages = document
        .pages()
        .iter()
        .map(|page| {
            let mut shown = ShownPage::default();
            collect(&page.frame, &mut shown);
            shown
        })
        .collect();
    Shown { metadata, pages }
}

/// Gathers a frame's text, URLs and images.
fn collect(frame: &Frame, page: &mut ShownPage) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect(&group.frame, page),
            FrameItem::Image(..) => page.images += 1,
            FrameItem::Text(run) => {
                page.text.push_str(&run.text);
                page.text.push(' ');
            }
            FrameItem::Link(Destination::Url(url), _) => page.links.push(url.to_string()),
            _ => {}
        }
    }
}

/// Text that runs past the right or bottom edge of its page: each run, with
/// its page number (from 1). What a text layer holds, a reader may not see.
pub fn off_page_text(document: &PagedDocument) -> Vec<(usize, String)> {
    fn walk(
        frame: &Frame,
        at: Point,
        size: (f64, f64),
        page: usize,
        out: &mut Vec<(usize, String)>,
    ) {
        for (position, item) in frame.items() {
            let here = at + *position;
            match item {
                // Rotated or scaled groups are left alone: their extent is
                // not their frame's.
                FrameItem::Group(group) if group.transform.is_identity() => {
                    walk(&group.frame, here, size, page, out);
                }
                FrameItem::Text(text) => {
                    let right = here.x.to_pt() + text.width().to_pt();
                    // A point of slack for rounding and overhanging italics.
                    if right > size.0 + 1.0 || here.y.to_pt() > size.1 + 1.0 {
                        out.push((page, text.text.to_string()));
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (index, page) in document.pages().iter().enumerate() {
        let size = page.frame.size();
        walk(
            &page.frame,
            Point::zero(),
            (size.x.to_pt(), size.y.to_pt()),
            index + 1,
            &mut out,
        );
    }
    out
}

/// Renders every page of a document to PNG bytes at `dpi`. A page that
/// cannot be encoded comes back as its number (1-based) and the reason.
pub fn png_pages(document: &PagedDocument, dpi: u16) -> Result<Vec<Vec<u8>>, (usize, String)> {
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
