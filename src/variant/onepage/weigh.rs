//! How much text a document holds, and how much each step removes, as
//! fitting weighs it: characters, every paragraph and bullet rounded up to
//! whole lines.

use super::RemovalOrder;
use crate::data::{BulletData, Document};
use crate::markup::{self, Paragraph};

impl RemovalOrder {
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

    /// The dropped steps among the first `k` to put back into the room a
    /// fit left (measured by `measure`): the most important first (the
    /// latest in the plan), each if its text fits what room is left and
    /// nothing that holds it stays dropped. Text is turned into room by
    /// what the page holds now per share of the page.
    pub(super) fn refill(
        &self,
        k: usize,
        measure: &super::Measure,
        already: &[usize],
        boldness: f64,
    ) -> Vec<usize> {
        let back: f64 = already.iter().map(|i| self.weights[*i]).sum();
        let present = (self.total - self.removed(k) + back).max(1.0);
        let per_extent = present / measure.extent.max(0.05);
        // `boldness` below 1 leaves a margin for lines that break
        // differently; above, it gambles on them (the compile will tell).
        let mut room = (measure.limit - measure.extent).max(0.0) * per_extent * boldness;
        let mut restored: Vec<usize> = Vec::new();
        for index in (0..k.min(self.ladder)).rev() {
            if already.contains(&index) {
                continue;
            }
            let weight = self.weights[index];
            if weight <= 0.0 || weight > room {
                continue;
            }
            let Some(addr) = super::Addr::of(&self.steps[index]) else {
                continue;
            };
            // A paragraph's trim is undone only once its drop and its
            // deeper trims are: restored before, the text stays cut.
            let keep = match &self.steps[index] {
                super::Step::Trim { keep, .. } => Some(*keep),
                _ => None,
            };
            let held = (0..k)
                .filter(|j| *j != index && !restored.contains(j) && !already.contains(j))
                .any(|j| match &self.steps[j] {
                    super::Step::Drop(outer) => {
                        outer.holds(addr) || (keep.is_some() && outer == addr)
                    }
                    super::Step::Trim {
                        addr: outer,
                        keep: other,
                    } => outer == addr && keep.is_some_and(|keep| *other < keep),
                    _ => false,
                });
            if held {
                continue;
            }
            restored.push(index);
            room -= weight;
        }
        restored
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
