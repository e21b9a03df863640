//! How much text a document holds, and how much each step removes, as
//! fitting weighs it: characters, every paragraph and bullet rounded up to
//! whole lines.

use super::Plan;
use crate::data::{BulletData, Document};
use crate::markup::{self, Paragraph};

impl Plan {
    /// The smallest `k` whose steps remove the share of the remaining text
    /// that an overflow of `extent` pages (measured after `from` steps) asks
    /// for; the whole content part of the plan if none does.
    pub(super) fn estimate(&self, from: usize, extent: f64, limit: f64) -> usize {
        let removed: f64 = self.weights[..from].iter().sum();
        let present = (self.total - removed).max(1.0);
        let wanted = removed + present * (1.0 - limit / extent.max(limit));
        let mut cumulative = removed;
        for (k, weight) in self.weights.iter().enumerate().skip(from) {
            cumulative += weight;
            if cumulative >= wanted {
                return k + 1;
            }
        }
        self.len()
    }

    /// The characters the first `k` steps remove.
    pub(super) fn removed(&self, k: usize) -> f64 {
        self.weights[..k].iter().sum()
    }
}

/// Characters in a typical line, for weighing text in lines.
const LINE: f64 = 90.0;

/// The length of a document's content, as fitting weighs it: in characters,
/// but every paragraph and bullet rounded up to whole lines, since a short
/// bullet still takes a line.
pub(super) fn doc_chars(doc: &Document) -> f64 {
    fn bullets(items: &[BulletData]) -> f64 {
        items
            .iter()
            .map(|b| lines(markup::plain(&b.text).chars().count() as f64 + 4.0) + bullets(&b.items))
            .sum()
    }
    doc.sections
        .iter()
        .map(|s| {
            LINE + chars_of(&s.body)
                + bullets(&s.items)
                + s.entries
                    .iter()
                    .map(|e| {
                        LINE + chars_of(&e.summary)
                            + bullets(&e.highlights)
                            + e.parts
                                .iter()
                                .map(|p| chars_of(&p.summary) + bullets(&p.highlights))
                                .sum::<f64>()
                            + lines(
                                e.keywords
                                    .iter()
                                    .map(|k| k.chars().count() as f64 + 2.0)
                                    .sum::<f64>(),
                            )
                    })
                    .sum::<f64>()
        })
        .sum()
}

pub(super) fn chars_of(paras: &[Paragraph]) -> f64 {
    paras
        .iter()
        .map(|p| lines(markup::plain(p).chars().count() as f64) + 0.3 * LINE)
        .sum()
}

/// Characters rounded up to whole lines.
fn lines(chars: f64) -> f64 {
    (chars / LINE).ceil().max(1.0) * LINE
}
