//! Mending glyph clusters that layout split across text runs, so that the
//! PDF's text layer holds each cluster's characters once.
//!
//! Typst starts a new text run wherever the vertical offset of the glyphs
//! changes. A combining mark that the font raises or lowers (a Thai tone
//! mark over a raised vowel, an Arabic damma, a stacked Vietnamese accent)
//! therefore lands in a run of its own, and each run carries the text of the
//! whole cluster. The PDF exporter maps each run's first glyph to that text,
//! so extraction reads the cluster twice: "ใช้" as "ใช้ช้", "عُمان" as
//! "عُعمان". Rejoining the pieces into one run, with the mark's offset on
//! the glyph where it belongs, lets the exporter see one cluster and tag it
//! as such. What is drawn is unchanged: every glyph keeps its position.
//!
//! A right-to-left cluster of a base letter and its marks is then given
//! back its characters one glyph each, where the font says which glyph is
//! which. That is how such text is commonly encoded, and what extractors
//! expect: `pdftotext` reverses a cluster's text inside a right-to-left
//! word when it holds a mark, so a damma would end up before its letter.

use typst::layout::{Em, Frame, FrameItem, GroupItem, Point};
use typst::model::Document;
use typst::text::{Glyph, TextItem};
use typst_layout::{Page, PagedDocument};
use unicode_bidi::{BidiClass, bidi_class};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Whether two positions are the same for layout's purposes: runs of one
/// line are placed by summing advances, so they meet to within rounding.
const TOLERANCE: f64 = 1e-4;

/// The document with every split cluster rejoined, or `None` when it has
/// none (most documents), so that nothing is rebuilt for them.
pub fn mend(document: &PagedDocument) -> Option<PagedDocument> {
    let mut changed = false;
    let pages: Vec<Page> = document
        .pages()
        .iter()
        .map(|page| match mend_frame(&page.frame) {
            Some(frame) => {
                changed = true;
                Page {
                    frame,
                    ..page.clone()
                }
            }
            None => page.clone(),
        })
        .collect();
    changed.then(|| PagedDocument::new(pages.into(), document.info().clone()))
}

/// The frame rebuilt with its runs rejoined, or `None` if nothing changed,
/// here or in any group inside it.
fn mend_frame(frame: &Frame) -> Option<Frame> {
    let mut changed = false;
    let mut items: Vec<(Point, FrameItem)> = Vec::with_capacity(frame.items().len());
    for (pos, item) in frame.items() {
        let item = match item {
            FrameItem::Group(group) => match mend_frame(&group.frame) {
                Some(inner) => {
                    changed = true;
                    FrameItem::Group(GroupItem {
                        frame: inner,
                        ..group.clone()
                    })
                }
                None => item.clone(),
            },
            FrameItem::Text(next) => {
                if let Some((before, FrameItem::Text(previous))) = items.last_mut()
                    && let Some(joined) = join(*before, previous, *pos, next)
                {
                    *previous = joined;
                    changed = true;
                    continue;
                }
                item.clone()
            }
            _ => item.clone(),
        };
        items.push((*pos, item));
    }
    // Split only once every piece of a cluster has been joined.
    for (_, item) in &mut items {
        if let FrameItem::Text(text) = item
            && let Some(split) = split_marks(text)
        {
            *text = split;
            changed = true;
        }
    }
    changed.then(|| {
        let mut mended = frame.clone();
        mended.clear();
        mended.push_multiple(items);
        mended
    })
}

/// One run made of two neighbouring runs that share a cluster: the glyphs of
/// `right` follow those of `left` (runs are in visual order, left to right),
/// raised or lowered by the difference of their baselines, and the shared
/// cluster's text appears once.
fn join(left_at: Point, left: &TextItem, right_at: Point, right: &TextItem) -> Option<TextItem> {
    let same_style = left.font == right.font
        && left.size == right.size
        && left.fill == right.fill
        && left.stroke == right.stroke
        && left.lang == right.lang
        && left.region == right.region;
    let adjacent = ((left_at.x + left.width()) - right_at.x).to_pt().abs() < TOLERANCE;
    if !same_style || !adjacent {
        return None;
    }
    let (last, first) = (left.glyphs.last()?, right.glyphs.first()?);
    // The same place in the source: a cluster that repeats (two identical
    // syllables) sits at two offsets. A saturated offset says nothing.
    if last.span != first.span || last.span.1 == u16::MAX {
        return None;
    }
    let cluster = left.text.get(last.range())?;
    if cluster.is_empty() || right.text.get(first.range())? != cluster {
        return None;
    }
    let shared = cluster.len();

    // Left to right, the cluster ends `left` and starts `right`; right to
    // left, runs are still placed left to right, so it starts `left` and
    // ends `right`. Either way the text is the earlier run's followed by the
    // later one's without the shared cluster.
    let (text, left_shift, right_shift) =
        if last.range().end == left.text.len() && first.range().start == 0 {
            let shift = left.text.len() - shared;
            let text = format!("{}{}", left.text, &right.text[shared..]);
            (text, 0, shift)
        } else if last.range().start == 0 && first.range().end == right.text.len() {
            let shift = right.text.len() - shared;
            let text = format!("{}{}", right.text, &left.text[shared..]);
            (text, shift, 0)
        } else {
            return None;
        };
    let (left_shift, right_shift) = (
        u16::try_from(left_shift).ok()?,
        u16::try_from(right_shift).ok()?,
    );
    u16::try_from(text.len()).ok()?;

    // Positions are y-down; a glyph's offset is y-up, in ems of the run.
    let raise = Em::from_abs(left_at.y - right_at.y, left.size);
    let shifted = |glyph: &Glyph, by: u16, raise: Em| Glyph {
        range: glyph.range.start + by..glyph.range.end + by,
        y_offset: glyph.y_offset + raise,
        ..glyph.clone()
    };
    let glyphs = left
        .glyphs
        .iter()
        .map(|g| shifted(g, left_shift, Em::zero()))
        .chain(right.glyphs.iter().map(|g| shifted(g, right_shift, raise)))
        .collect();
    Some(TextItem {
        text: text.into(),
        glyphs,
        ..left.clone()
    })
}

/// The run with each right-to-left base-and-marks cluster split into one
/// character per glyph, or `None` if no cluster could be. A cluster is
/// split only when it has as many glyphs as characters, every glyph but one
/// is the font's own glyph for one of its marks, and the glyphs stand in
/// reverse reading order, as right-to-left glyphs do. Left-to-right clusters
/// stay whole: extractors read their text right (Thai, Devanagari), and
/// split into glyphs a zero-width mark is read in the wrong word.
fn split_marks(item: &TextItem) -> Option<TextItem> {
    let mut glyphs = item.glyphs.clone();
    let mut changed = false;
    let mut start = 0;
    while start < glyphs.len() {
        let range = glyphs[start].range.clone();
        let end = start
            + glyphs[start..]
                .iter()
                .take_while(|g| g.range == range)
                .count();
        if end - start > 1
            && let Some(ranges) = one_per_glyph(item, &glyphs[start..end])
        {
            for (glyph, range) in glyphs[start..end].iter_mut().zip(ranges) {
                glyph.range = range;
            }
            changed = true;
        }
        start = end;
    }
    changed.then(|| TextItem {
        glyphs,
        ..item.clone()
    })
}

/// The character each glyph of one cluster draws, as ranges of the run's
/// text, if the cluster is a base letter with marks that can be told apart.
fn one_per_glyph(item: &TextItem, cluster: &[Glyph]) -> Option<Vec<std::ops::Range<u16>>> {
    let offset = cluster[0].range.start;
    let text = item.text.get(cluster[0].range())?;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    if chars.len() != cluster.len() {
        return None;
    }
    let is_mark = |c: char| {
        matches!(
            c.general_category(),
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
        )
    };
    let face = item.font.ttf();
    let mut taken = vec![false; chars.len()];
    let mut drawn: Vec<Option<usize>> = cluster
        .iter()
        .map(|glyph| {
            let index = chars.iter().enumerate().position(|(i, (_, c))| {
                !taken[i] && is_mark(*c) && face.glyph_index(*c).map(|g| g.0) == Some(glyph.id)
            })?;
            taken[index] = true;
            Some(index)
        })
        .collect();
    // What is left is the base: one glyph, one character.
    let left: Vec<usize> = (0..chars.len()).filter(|&i| !taken[i]).collect();
    let unknown: Vec<usize> = (0..drawn.len()).filter(|&i| drawn[i].is_none()).collect();
    match (left.as_slice(), unknown.as_slice()) {
        ([base], [glyph]) if !is_mark(chars[*base].1) => drawn[*glyph] = Some(*base),
        ([], []) => {}
        _ => return None,
    }
    let order: Vec<usize> = drawn.into_iter().collect::<Option<_>>()?;
    let base = chars.iter().map(|(_, c)| *c).find(|c| !is_mark(*c))?;
    let right_to_left = matches!(bidi_class(base), BidiClass::R | BidiClass::AL);
    if !right_to_left || !order.windows(2).all(|pair| pair[0] > pair[1]) {
        return None;
    }
    order
        .into_iter()
        .map(|i| {
            let (at, c) = chars[i];
            let from = offset + u16::try_from(at).ok()?;
            Some(from..from + u16::try_from(c.len_utf8()).ok()?)
        })
        .collect()
}
