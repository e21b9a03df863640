//! One-page fitting: a deterministic removal order, and a search over it
//! that measures the real layout.
//!
//! The plan lists every change that makes a document shorter, least harmful
//! first: short alternatives replace long texts; then, by priority (`low`
//! before `normal` before `high`; `essential` never), the deepest nested
//! bullets, the later bullets and paragraphs of older entries, whole older
//! entries, whole sections; then a typographic ladder within floors
//! (spacing, then margins, then font size). Applying the first `k` steps
//! gives a document; [`search`] finds the smallest `k` that fits on one page
//! by compiling, interpolating on the measured overflow and bisecting.
//!
//! The work is split by concept: [`plan`](self::plan) orders the steps,
//! `apply` rebuilds a document with the first `k` of them, `weigh` measures
//! how much text steps remove, and `search` finds the smallest `k` that fits.

mod apply;
mod detail;
mod plan;
mod search;
mod weigh;

#[cfg(test)]
use search::MIN_FILL;
pub use search::{END_LABEL, FitError, Measure, fit};

/// Smallest body text the ladder goes down to, in points.
pub const MIN_FONT_SIZE: f64 = 9.0;
/// Smallest margin the ladder goes down to, in points (1.2 cm).
pub const MIN_MARGIN: f64 = 1.2 * 72.0 / 2.54;
/// Smallest spacing factor the ladder goes down to.
pub const MIN_SPACING: f64 = 0.7;

/// Where a piece of content sits in a document, by indices into the
/// document the plan was made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Addr {
    Section(usize),
    Entry {
        section: usize,
        entry: usize,
    },
    /// A paragraph of a section's body (`entry: None`), an entry's summary
    /// (`part: None`) or a part's summary.
    Paragraph {
        section: usize,
        entry: Option<usize>,
        part: Option<usize>,
        index: usize,
    },
    /// The line a section's roles before the timeline were merged into.
    Earlier(usize),
    /// An entry's keywords (a skills group's items).
    Keywords {
        section: usize,
        entry: usize,
    },
    /// A bullet of a section's items, an entry's highlights or a part's
    /// highlights; `path` indexes from the top list down.
    Bullet {
        section: usize,
        entry: Option<usize>,
        part: Option<usize>,
        path: Vec<usize>,
    },
}

impl Addr {
    /// Whether dropping `self` takes `other` with it.
    fn holds(&self, other: &Addr) -> bool {
        let (s, e, p, path) = match other {
            Addr::Section(s) | Addr::Earlier(s) => (*s, None, None, None),
            Addr::Entry { section, entry } | Addr::Keywords { section, entry } => {
                (*section, Some(*entry), None, None)
            }
            Addr::Paragraph {
                section,
                entry,
                part,
                ..
            } => (*section, *entry, *part, None),
            Addr::Bullet {
                section,
                entry,
                part,
                path,
            } => (*section, *entry, *part, Some(path)),
        };
        match self {
            Addr::Section(outer) => *outer == s && self != other,
            Addr::Entry { section, entry } => {
                *section == s && Some(*entry) == e && !matches!(other, Addr::Entry { .. })
            }
            Addr::Bullet {
                section,
                entry,
                part,
                path: outer,
            } => {
                *section == s
                    && *entry == e
                    && *part == p
                    && path.is_some_and(|path| path.len() > outer.len() && path.starts_with(outer))
            }
            Addr::Paragraph { .. } | Addr::Keywords { .. } | Addr::Earlier(_) => false,
        }
    }

    pub(super) fn of(step: &Step) -> Option<&Addr> {
        match step {
            Step::Shorten(addr) | Step::Drop(addr) | Step::Trim { addr, .. } => Some(addr),
            Step::Param { .. } | Step::Merge { .. } => None,
        }
    }
}

/// One change that makes a document shorter.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Replace a section's body, an entry's summary or a bullet's text with
    /// the profile's short alternative.
    Shorten(Addr),
    /// Keep only the first `keep` sentences of a paragraph (or the first
    /// `keep` keywords of an entry). A paragraph's trims come before its
    /// drop, so a fit can end inside it.
    Trim { addr: Addr, keep: usize },
    /// Leave something out.
    Drop(Addr),
    /// Put a section's roles before the timeline, already down to their
    /// head lines, on one line ("Earlier: Engineer, Acme (2010–2013); ...")
    /// at the place of the first of them.
    Merge { section: usize, entries: Vec<usize> },
    /// Set a layout parameter (a rung of the typographic ladder).
    Param { name: &'static str, value: f64 },
}

/// The removal order for one document.
#[derive(Debug, Clone)]
pub struct RemovalOrder {
    pub steps: Vec<Step>,
    /// What each step does, for the report.
    pub descriptions: Vec<String>,
    /// Characters each step removes (0 for the ladder).
    weights: Vec<f64>,
    /// Characters in the whole document.
    total: f64,
    /// Steps before this one change content; from it on, typography.
    ladder: usize,
    /// For each content step, what it competes with and which of the
    /// posting's terms (by index) the content it takes away mentions.
    matched: Vec<(
        (plan::Stage, crate::profile::Priority, plan::Scope),
        Vec<usize>,
    )>,
}

/// Which steps of a plan are applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Chosen {
    /// The first `k`.
    Prefix(usize),
    /// The ladder's first `k` rungs only, no content step: a squeeze.
    Ladder(usize),
    /// The first `k`, less some that were put back to fill the page, with
    /// the ladder's first `rungs` rungs when only a squeeze made room.
    Refilled {
        k: usize,
        restored: Vec<usize>,
        rungs: usize,
    },
}

impl Chosen {
    /// What the chosen steps do, in plan order, for the report.
    pub fn describe(&self, plan: &RemovalOrder) -> Vec<String> {
        let applied: Vec<usize> = (0..plan.len())
            .filter(|i| self.contains_in(plan.ladder, *i))
            .collect();
        // A paragraph trimmed several times, or trimmed and then dropped,
        // is told once, by the last thing done to it.
        let superseded = |i: usize| {
            matches!(&plan.steps[i], Step::Trim { addr, .. }
                if applied.iter().any(|j| *j > i && Addr::of(&plan.steps[*j]) == Some(addr)))
        };
        let mut lines: Vec<String> = applied
            .iter()
            .filter(|i| !superseded(**i))
            .map(|i| plan.descriptions[*i].clone())
            .collect();
        if let Self::Refilled { restored, .. } = self {
            lines.push(format!(
                "put back {} item(s) the page had room for",
                restored.len()
            ));
        }
        lines
    }

    fn contains_in(&self, plan_ladder: usize, index: usize) -> bool {
        match self {
            Self::Prefix(k) => index < *k,
            Self::Ladder(k) => index >= plan_ladder && index < plan_ladder + k,
            Self::Refilled { k, restored, rungs } => {
                (index < *k && !restored.contains(&index))
                    || (index >= plan_ladder && index < plan_ladder + rungs)
            }
        }
    }
}

impl RemovalOrder {
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// What the chosen steps took away, each with the text it held in
    /// `doc` (what a posting's term was dropped with).
    pub fn taken(&self, doc: &crate::data::Document, chosen: &Chosen) -> Vec<(String, String)> {
        (0..self.ladder)
            .filter(|&i| chosen.contains_in(self.ladder, i))
            .filter_map(|i| {
                let addr = Addr::of(&self.steps[i])?;
                Some((self.descriptions[i].clone(), plan::text_at(doc, addr)))
            })
            .collect()
    }

    /// What the posting's terms kept: every item left on the page that
    /// mentions a term while something of its priority and place that did
    /// not went, with the terms.
    pub fn kept_for_posting(&self, chosen: &Chosen, terms: &crate::posting::Terms) -> Vec<String> {
        let applied = |i: usize| chosen.contains_in(self.ladder, i);
        let mut lines = Vec::new();
        for (i, (group, found)) in self.matched.iter().enumerate() {
            if found.is_empty() || applied(i) {
                continue;
            }
            let lost_to_it = self
                .matched
                .iter()
                .enumerate()
                .any(|(j, (other, none))| none.is_empty() && other == group && applied(j));
            if !lost_to_it {
                continue;
            }
            let words: Vec<String> = found
                .iter()
                .map(|&t| format!("“{}”", terms.terms[t].text))
                .collect();
            let what = self.descriptions[i]
                .trim_start_matches("dropped ")
                .trim_start_matches("shortened ");
            lines.push(format!(
                "kept for the posting's {}: {what}",
                words.join(", ")
            ));
        }
        lines
    }
}

/// Where steps are being planned or applied: a section, maybe an entry of
/// it, maybe a part of that entry.
#[derive(Clone, Copy)]
struct Ctx {
    section: usize,
    entry: Option<usize>,
    part: Option<usize>,
}

impl Ctx {
    fn paragraph(&self, index: usize) -> Addr {
        Addr::Paragraph {
            section: self.section,
            entry: self.entry,
            part: self.part,
            index,
        }
    }

    fn bullet(&self, path: &[usize]) -> Addr {
        Addr::Bullet {
            section: self.section,
            entry: self.entry,
            part: self.part,
            path: path.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Document;
    use crate::profile::parse;
    use serde_json::Value as Json;

    fn doc(toml: &str) -> Document {
        let profile = parse(toml).unwrap();
        let mut params = serde_json::Map::new();
        params.insert("spacing".into(), Json::from(1.0));
        params.insert("margin".into(), Json::from(2.0 * 72.0 / 2.54));
        params.insert("font_size".into(), Json::from(10.0));
        let layouts = crate::layout::Layouts::load(None).unwrap();
        let english = layouts.language_of(&serde_json::Map::new());
        let locale = crate::data::Locale::new(english, Default::default());
        crate::data::document(&profile, "onepage", params, &locale)
    }

    /// The timeline's window opens here: "Newest" is on it, the others
    /// started before.
    const SINCE: (i32, u8) = (2016, 11);

    const PROFILE: &str = r#"
[basics]
name = "Test Person"

[[section]]
kind = "work"
title = "Work"

[[section.entries]]
position = "Newest"
start_date = "2020-01"
end_date = "present"
highlights = [
  "new first",
  { text = "new second", items = ["new nested", { text = "new deep", items = ["new deepest"] }] },
  "new third",
]

[[section.entries]]
position = "Oldest"
start_date = "2001-01"
end_date = "2003-01"
highlights = ["old first", "old second", { text = "old low", priority = "low" }]

[[section.entries]]
position = "Middle"
start_date = "2010-01"
end_date = "2012-01"
highlights = ["mid first", "mid second"]

[[section]]
kind = "text"
title = "About"
body = "First paragraph.\n\nSecond paragraph, long and rambling."
short = "Short."

[[section]]
kind = "list"
title = "Extras"
priority = "high"
items = ["extra one", "extra two"]
"#;

    #[test]
    fn removal_order_follows_priority_depth_and_age() {
        let plan = RemovalOrder::new(&doc(PROFILE), SINCE, None);
        let order: Vec<&str> = plan.descriptions.iter().map(String::as_str).collect();
        let position = |needle: &str| {
            order
                .iter()
                .position(|d| d.contains(needle))
                .unwrap_or_else(|| panic!("{needle} not planned: {order:#?}"))
        };
        // Short alternatives come before any drop.
        assert_eq!(position("shortened the text of About"), 0);
        // Low priority goes first among drops.
        assert!(position("“old low”") < position("“new deep”"));
        // Entries that started before the window lose all their detail
        // first, older first; then the newest loses what is beyond its
        // top bullets, deepest first.
        assert!(position("“old second”") < position("“old first”"));
        assert!(position("“old first”") < position("“mid first”"));
        assert!(position("“mid second”") < position("“new deep”"));
        // A group's first bullet goes with the group, never alone.
        assert!(!order.iter().any(|d| d.contains("“new nested”")));
        assert!(!order.iter().any(|d| d.contains("“new deepest”")));
        // Then the older entries go on one line, and the line goes, before
        // the newest loses its top bullets; no older entry goes alone, and
        // the newest is never dropped alone.
        assert!(position("“new deep”") < position("merged 2 earlier roles"));
        assert!(position("merged 2 earlier roles") < position("line of earlier roles"));
        assert!(position("line of earlier roles") < position("“new third”"));
        assert!(!order.iter().any(|d| d.contains("entry Work › Oldest")));
        assert!(position("“new third”") < position("“new second”"));
        assert!(position("“new second”") < position("“new first”"));
        assert!(!order.iter().any(|d| d.contains("entry Work › Newest")));
        // A section's own list keeps two items or goes whole; high-priority
        // content goes after every normal section.
        assert!(!order.iter().any(|d| d.contains("“extra two”")));
        assert!(position("section Work") < position("section Extras"));
        // The ladder comes last: spacing, margins, font size, within floors.
        let ladder: Vec<_> = order.iter().filter(|d| d.starts_with("set ")).collect();
        assert_eq!(ladder.first().map(|s| **s), Some("set spacing to 0.9"));
        assert_eq!(ladder.last().map(|s| **s), Some("set font_size to 9pt"));
        assert!(order.contains(&"set margin to 1.2cm"));
        assert!(!order.iter().any(|d| d.contains("set margin to 1.0cm")));
    }

    #[test]
    fn applying_steps_removes_exactly_what_they_name() {
        let doc = doc(PROFILE);
        let plan = RemovalOrder::new(&doc, SINCE, None);
        let k = plan
            .descriptions
            .iter()
            .position(|d| d.contains("“new deep”"))
            .unwrap()
            + 1;
        let applied = plan.apply(&doc, k);
        let text = serde_json::to_string(&applied).unwrap();
        // Older entries lost their detail before the newest lost its.
        for gone in [
            "old low",
            "old first",
            "old second",
            "mid first",
            "new deep",
        ] {
            assert!(!text.contains(gone), "{gone} should be dropped");
        }
        // The older entries keep their head lines; the newest its group
        // with the group's first bullet.
        for kept in [
            "Oldest",
            "Middle",
            "new first",
            "new second",
            "new nested",
            "new third",
        ] {
            assert!(text.contains(kept), "{kept} should stay");
        }
        // Dropping the group takes its bullets with it.
        let group = plan
            .descriptions
            .iter()
            .position(|d| d.contains("“new second”"))
            .unwrap()
            + 1;
        let text = serde_json::to_string(&plan.apply(&doc, group)).unwrap();
        assert!(!text.contains("new second") && !text.contains("new nested"));
        // Merged, the older entries are one entry after the newest: titled
        // "Earlier", each role with its years, in profile order.
        let merged = plan
            .descriptions
            .iter()
            .position(|d| d.contains("merged 2 earlier roles"))
            .unwrap()
            + 1;
        let work = &plan.apply(&doc, merged).sections[0];
        assert_eq!(work.entries.len(), 2);
        assert_eq!(work.entries[1].title.as_deref(), Some("Earlier"));
        assert_eq!(
            crate::markup::plain(&work.entries[1].summary[0]),
            "Oldest (2001–2003); Middle (2010–2012)"
        );
        // The short alternative replaced the whole body.
        assert!(
            text.contains("Short.")
                && !text.contains("First paragraph.")
                && !text.contains("Second paragraph")
        );
        assert_eq!(plan.apply(&doc, 0).sections.len(), 3);
    }

    #[test]
    fn a_paragraph_goes_a_sentence_at_a_time_before_it_goes_whole() {
        let sentence = |word: &str| format!("{word} {}.", "and so it went on ".repeat(6).trim());
        let body = format!(
            "Kept first paragraph.\n\n{} {} {}",
            sentence("One"),
            sentence("Two"),
            sentence("Three")
        );
        let doc = doc(&format!(
            "[[section]]\nkind = \"text\"\ntitle = \"Story\"\nbody = \"\"\"\n{body}\n\"\"\"\n"
        ));
        let plan = RemovalOrder::new(&doc, SINCE, None);
        let order: Vec<&str> = plan.descriptions.iter().map(String::as_str).collect();
        let position = |needle: &str| {
            order
                .iter()
                .position(|d| d.contains(needle))
                .unwrap_or_else(|| panic!("{needle}: {order:#?}"))
        };
        assert!(
            position("to its first 2 sentences (of 3)") < position("to its first sentence (of 3)")
        );
        assert!(position("to its first sentence (of 3)") < position("dropped paragraph"));
        let text = |k| serde_json::to_string(&plan.apply(&doc, k)).unwrap();
        assert!(text(1).contains("Two") && !text(1).contains("Three"));
        assert!(text(2).contains("One") && !text(2).contains("Two"));
        assert!(!text(3).contains("One") && text(3).contains("Kept first"));
        // The report tells a paragraph once, by the last thing done to it.
        assert_eq!(
            Chosen::Prefix(2).describe(&plan),
            [
                "cut paragraph “One and so it went on and so it went on and so i…” to its first sentence (of 3) (Story)"
            ]
        );
        // Refilling undoes the drop before the cuts: the room for one
        // sentence brings back the first sentence, not a cut that the drop
        // would still hide.
        let room_for_one = Measure {
            pages: 1,
            extent: 0.5,
            limit: 0.5 + 0.5 * plan.weights[2] / (plan.total - plan.removed(3)) * 1.1,
            page_height: 842.0,
        };
        assert_eq!(plan.refill(3, &room_for_one, &[], 1.0), [2]);
    }

    /// A synthetic layout: the extent falls with the characters removed,
    /// and each rung of the typographic ladder saves 1.5% of a page.
    fn fake(
        plan: &RemovalOrder,
        pages_of_text: f64,
    ) -> impl FnMut(&Chosen) -> Result<(Measure, ()), ()> + '_ {
        move |chosen| {
            let removed: f64 = (0..plan.len())
                .filter(|i| chosen.contains_in(plan.ladder, *i))
                .map(|i| plan.weights.get(i).copied().unwrap_or(0.0))
                .sum();
            let rungs = (plan.ladder..plan.len())
                .filter(|i| chosen.contains_in(plan.ladder, *i))
                .count();
            let top = 0.07;
            let extent =
                top + (pages_of_text * (1.0 - removed / plan.total) - 0.015 * rungs as f64);
            Ok((
                Measure {
                    // Past the bottom margin, content breaks to a page of
                    // its own.
                    pages: if extent > 0.93 { 2 } else { 1 },
                    extent,
                    limit: 0.93,
                    page_height: 842.0,
                },
                (),
            ))
        }
    }

    #[test]
    fn fitting_squeezes_small_overflows_cuts_large_ones_and_refills() {
        let big: String = (0..40)
            .map(|i| format!("\n[[section.entries]]\nposition = \"Job {i}\"\nstart_date = \"{}\"\nhighlights = [\"a bullet with some words in it\", \"another bullet with words\", \"third\"]\n", 1980 + i))
            .collect();
        let doc = doc(&format!("[[section]]\nkind = \"work\"\n{big}"));
        let plan = RemovalOrder::new(&doc, SINCE, None);
        // Two lines over: typography alone absorbs it.
        let fit = fit(&plan, fake(&plan, 0.88)).unwrap();
        assert!(matches!(fit.chosen, Chosen::Ladder(_)), "{:?}", fit.chosen);
        assert!(
            fit.measure.fits() && fit.compiles <= 4,
            "{} compiles",
            fit.compiles
        );
        for pages in [1.3, 1.8, 2.5, 4.0] {
            let fit = super::fit(&plan, fake(&plan, pages)).unwrap();
            assert!(fit.measure.fits(), "{pages}");
            assert!(fit.compiles <= 6, "{pages}: {} compiles", fit.compiles);
            assert!(
                fit.measure.fill() >= MIN_FILL,
                "{pages}: {:.0}% full after {:?}",
                fit.measure.fill() * 100.0,
                fit.chosen
            );
        }
    }

    #[test]
    fn fitting_reports_content_that_cannot_fit() {
        let doc = doc(
            "[[section]]\nkind = \"text\"\nbody = \"one paragraph\"\npriority = \"essential\"\n",
        );
        let plan = RemovalOrder::new(&doc, SINCE, None);
        let result = fit(&plan, |_| {
            Ok::<_, ()>((
                Measure {
                    pages: 2,
                    extent: 1.4,
                    limit: 0.93,
                    page_height: 842.0,
                },
                (),
            ))
        });
        assert!(matches!(result, Err(FitError::TooLong { .. })));
    }
}
