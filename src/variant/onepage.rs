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

use std::collections::{HashMap, HashSet};

use serde_json::Value as Json;

use crate::data::{BulletData, Document, EntryData, PartData, SectionData};
use crate::markup::{self, Paragraph};
use crate::profile::Priority;

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
    /// A bullet of a section's items, an entry's highlights or a part's
    /// highlights; `path` indexes from the top list down.
    Bullet {
        section: usize,
        entry: Option<usize>,
        part: Option<usize>,
        path: Vec<usize>,
    },
}

/// One change that makes a document shorter.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Replace a section's body, an entry's summary or a bullet's text with
    /// the profile's short alternative.
    Shorten(Addr),
    /// Leave something out.
    Drop(Addr),
    /// Set a layout parameter (a rung of the typographic ladder).
    Param { name: &'static str, value: f64 },
}

/// The removal order for one document.
#[derive(Debug, Clone)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// What each step does, for the report.
    pub descriptions: Vec<String>,
    /// Characters each step removes (0 for the ladder).
    weights: Vec<f64>,
    /// Characters in the whole document.
    total: f64,
}

/// How an ordering key sorts: stage, priority, phase, then finer keys.
type Key = (u8, Priority, u8, i64, i64, i64, i64);

struct Candidate {
    key: Key,
    step: Step,
    description: String,
}

impl Plan {
    /// Plans the removal order for `doc`, with the ladder for the layout
    /// parameters it has.
    pub fn new(doc: &Document) -> Self {
        let mut candidates = Vec::new();
        let section_count = doc.sections.len() as i64;
        for (s, section) in doc.sections.iter().enumerate() {
            let title = section_label(section, s);
            let later = section_count - s as i64;
            plan_section(section, s, &title, later, &mut candidates);
        }
        candidates.sort_by_key(|c| c.key);
        let mut plan = Plan {
            steps: Vec::new(),
            descriptions: Vec::new(),
            weights: Vec::new(),
            total: 1.0,
        };
        for candidate in candidates {
            plan.steps.push(candidate.step);
            plan.descriptions.push(candidate.description);
        }
        // What each step removes on top of the steps before it: dropping an
        // entry whose bullets already went removes only what is left of it.
        let mut before = doc_chars(doc);
        plan.total = before.max(1.0);
        for k in 1..=plan.steps.len() {
            let after = doc_chars(&plan.apply(doc, k));
            plan.weights.push((before - after).max(0.0));
            before = after;
        }
        plan.add_ladder(&doc.params);
        plan
    }

    /// Appends the typographic ladder: spacing, then margins, then font size,
    /// each in small rungs down to its floor.
    fn add_ladder(&mut self, params: &serde_json::Map<String, Json>) {
        let rungs: [(&'static str, f64, f64, &str); 3] = [
            ("spacing", 0.1, MIN_SPACING, ""),
            ("margin", 0.2 * 72.0 / 2.54, MIN_MARGIN, "pt"),
            ("font_size", 0.25, MIN_FONT_SIZE, "pt"),
        ];
        for (name, step, floor, unit) in rungs {
            let Some(mut value) = params.get(name).and_then(Json::as_f64) else {
                continue;
            };
            while value - step >= floor - 1e-9 {
                value = ((value - step) * 1000.0).round() / 1000.0;
                self.steps.push(Step::Param { name, value });
                let shown = if name == "margin" {
                    format!("{:.1}cm", value * 2.54 / 72.0)
                } else {
                    format!("{value}{unit}")
                };
                self.descriptions.push(format!("set {name} to {shown}"));
                self.weights.push(0.0);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The smallest `k` whose steps remove the share of the remaining text
    /// that an overflow of `extent` pages (measured after `from` steps) asks
    /// for; the whole content part of the plan if none does.
    fn estimate(&self, from: usize, extent: f64, limit: f64) -> usize {
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
    fn removed(&self, k: usize) -> f64 {
        self.weights[..k].iter().sum()
    }

    /// The document with the first `k` steps applied.
    pub fn apply(&self, doc: &Document, k: usize) -> Document {
        let mut dropped = HashSet::new();
        let mut shortened = HashSet::new();
        let mut params = HashMap::new();
        for step in &self.steps[..k.min(self.len())] {
            match step {
                Step::Drop(addr) => {
                    dropped.insert(addr);
                }
                Step::Shorten(addr) => {
                    shortened.insert(addr);
                }
                Step::Param { name, value } => {
                    params.insert(*name, *value);
                }
            }
        }
        let edits = Edits { dropped, shortened };
        let mut out = doc.clone();
        out.sections = doc
            .sections
            .iter()
            .enumerate()
            .filter(|(s, _)| !edits.dropped.contains(&Addr::Section(*s)))
            .map(|(s, section)| edits.section(s, section))
            .collect();
        for (name, value) in params {
            out.params.insert(name.to_owned(), Json::from(value));
        }
        out
    }
}

/// Plans one section's steps.
fn plan_section(
    section: &SectionData,
    s: usize,
    title: &str,
    later: i64,
    out: &mut Vec<Candidate>,
) {
    let at = Ctx {
        section: s,
        entry: None,
        part: None,
    };
    match &section.short {
        Some(short) if chars_of(short) < chars_of(&section.body) => out.push(Candidate {
            key: (0, section.priority, 0, 0, 0, 0, later),
            step: Step::Shorten(Addr::Section(s)),
            description: format!("shortened the text of {title}"),
        }),
        _ => plan_paragraphs(&section.body, &at, section.priority, 0, later, title, out),
    }
    plan_bullets(&section.items, &at, &[], 0, later, title, out);
    let ages = age_ranks(&section.entries);
    for (e, entry) in section.entries.iter().enumerate() {
        let at = Ctx {
            section: s,
            entry: Some(e),
            part: None,
        };
        let name = format!("{title} › {}", entry_label(entry));
        plan_entry(entry, &at, ages[e], later, &name, out);
        // The section's first entry stays while the section does.
        if e > 0 && entry.priority != Priority::Essential {
            out.push(Candidate {
                key: (1, entry.priority, 2, 0, ages[e], -(e as i64), later),
                step: Step::Drop(Addr::Entry {
                    section: s,
                    entry: e,
                }),
                description: format!("dropped entry {name}"),
            });
        }
    }
    if section.priority != Priority::Essential {
        out.push(Candidate {
            key: (1, section.priority, 3, 0, 0, 0, later),
            step: Step::Drop(Addr::Section(s)),
            description: format!("dropped section {title}"),
        });
    }
}

/// Plans an entry's inner steps.
fn plan_entry(
    entry: &EntryData,
    at: &Ctx,
    age: i64,
    later: i64,
    name: &str,
    out: &mut Vec<Candidate>,
) {
    match &entry.short {
        Some(short) if chars_of(short) < chars_of(&entry.summary) => out.push(Candidate {
            key: (0, entry.priority, 0, 0, age, 0, later),
            step: Step::Shorten(Addr::Entry {
                section: at.section,
                entry: at.entry.unwrap_or(0),
            }),
            description: format!("shortened the summary of {name}"),
        }),
        _ => plan_paragraphs(&entry.summary, at, entry.priority, age, later, name, out),
    }
    plan_bullets(&entry.highlights, at, &[], age, later, name, out);
    for (p, part) in entry.parts.iter().enumerate() {
        let at = Ctx {
            part: Some(p),
            ..*at
        };
        // Parts come after the first summary and bullets: all of it is
        // "later content" of the entry.
        if entry.priority != Priority::Essential {
            for (index, para) in part.summary.iter().enumerate() {
                out.push(Candidate {
                    key: (
                        1,
                        entry.priority,
                        1,
                        0,
                        age,
                        -(1000 * (p as i64 + 1) + index as i64),
                        later,
                    ),
                    step: Step::Drop(at.paragraph(index)),
                    description: format!("dropped paragraph {} ({name})", snippet(para)),
                });
            }
        }
        plan_bullets(&part.highlights, &at, &[], age, later, name, out);
    }
}

/// Paragraphs after the first may go, later ones first.
fn plan_paragraphs(
    paras: &[Paragraph],
    at: &Ctx,
    priority: Priority,
    age: i64,
    later: i64,
    name: &str,
    out: &mut Vec<Candidate>,
) {
    if priority == Priority::Essential {
        return;
    }
    for (index, para) in paras.iter().enumerate().skip(1) {
        out.push(Candidate {
            key: (1, priority, 1, 0, age, -(index as i64), later),
            step: Step::Drop(at.paragraph(index)),
            description: format!("dropped paragraph {} ({name})", snippet(para)),
        });
    }
}

/// Plans a bullet list's steps. Nested bullets go deepest first; top-level
/// bullets after the first go later-first.
fn plan_bullets(
    items: &[BulletData],
    at: &Ctx,
    parent: &[usize],
    age: i64,
    later: i64,
    name: &str,
    out: &mut Vec<Candidate>,
) {
    for (index, bullet) in items.iter().enumerate() {
        let mut path = parent.to_vec();
        path.push(index);
        let depth = path.len() as i64;
        let length = |runs: &[crate::markup::Run]| markup::plain(runs).chars().count();
        if bullet
            .short
            .as_ref()
            .is_some_and(|short| length(short) < length(&bullet.text))
        {
            out.push(Candidate {
                key: (0, bullet.priority, 0, -depth, age, -(index as i64), later),
                step: Step::Shorten(at.bullet(&path)),
                description: format!("shortened bullet {} ({name})", snippet(&bullet.text)),
            });
        }
        plan_bullets(&bullet.items, at, &path, age, later, name, out);
        // The first top-level bullet stays while its entry does; bullets of
        // later parts all count as later content, after the main ones.
        let droppable =
            bullet.priority != Priority::Essential && (depth > 1 || index > 0 || at.part.is_some());
        if droppable {
            let phase = if depth > 1 { 0 } else { 1 };
            let offset = at.part.map_or(0, |p| 1000 * (p as i64 + 1) + 500);
            out.push(Candidate {
                key: (
                    1,
                    bullet.priority,
                    phase,
                    -depth,
                    age,
                    -(offset + index as i64),
                    later,
                ),
                step: Step::Drop(at.bullet(&path)),
                description: format!("dropped bullet {} ({name})", snippet(&bullet.text)),
            });
        }
    }
}

/// Ranks entries from oldest (0) to newest by their dates; undated entries
/// count as older the later they come.
fn age_ranks(entries: &[EntryData]) -> Vec<i64> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&e| {
        (
            entries[e].recency.unwrap_or((i32::MIN, 0)),
            std::cmp::Reverse(e),
        )
    });
    let mut ranks = vec![0; entries.len()];
    for (rank, e) in order.into_iter().enumerate() {
        ranks[e] = rank as i64;
    }
    ranks
}

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

/// The applied edits, for rebuilding a document.
struct Edits<'a> {
    dropped: HashSet<&'a Addr>,
    shortened: HashSet<&'a Addr>,
}

impl Edits<'_> {
    fn section(&self, s: usize, section: &SectionData) -> SectionData {
        let at = Ctx {
            section: s,
            entry: None,
            part: None,
        };
        let body = match &section.short {
            Some(short) if self.shortened.contains(&Addr::Section(s)) => short.clone(),
            _ => self.paragraphs(&section.body, &at),
        };
        let entries = section
            .entries
            .iter()
            .enumerate()
            .filter(|(e, _)| {
                !self.dropped.contains(&Addr::Entry {
                    section: s,
                    entry: *e,
                })
            })
            .map(|(e, entry)| {
                self.entry(
                    &Ctx {
                        section: s,
                        entry: Some(e),
                        part: None,
                    },
                    entry,
                )
            })
            .collect();
        SectionData {
            body,
            items: self.bullets(&section.items, &at, &[]),
            entries,
            ..section.clone()
        }
    }

    fn entry(&self, at: &Ctx, entry: &EntryData) -> EntryData {
        let addr = Addr::Entry {
            section: at.section,
            entry: at.entry.unwrap_or(0),
        };
        let summary = match &entry.short {
            Some(short) if self.shortened.contains(&addr) => short.clone(),
            _ => self.paragraphs(&entry.summary, at),
        };
        let parts = entry
            .parts
            .iter()
            .enumerate()
            .map(|(p, part)| {
                let at = Ctx {
                    part: Some(p),
                    ..*at
                };
                PartData {
                    summary: self.paragraphs(&part.summary, &at),
                    highlights: self.bullets(&part.highlights, &at, &[]),
                }
            })
            .filter(|part| !part.summary.is_empty() || !part.highlights.is_empty())
            .collect();
        EntryData {
            summary,
            highlights: self.bullets(&entry.highlights, at, &[]),
            parts,
            ..entry.clone()
        }
    }

    fn paragraphs(&self, paras: &[Paragraph], at: &Ctx) -> Vec<Paragraph> {
        paras
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.dropped.contains(&at.paragraph(*index)))
            .map(|(_, para)| para.clone())
            .collect()
    }

    fn bullets(&self, items: &[BulletData], at: &Ctx, parent: &[usize]) -> Vec<BulletData> {
        let mut kept = Vec::new();
        for (index, bullet) in items.iter().enumerate() {
            let mut path = parent.to_vec();
            path.push(index);
            let addr = at.bullet(&path);
            if self.dropped.contains(&addr) {
                continue;
            }
            let text = match &bullet.short {
                Some(short) if self.shortened.contains(&addr) => short.clone(),
                _ => bullet.text.clone(),
            };
            kept.push(BulletData {
                text,
                items: self.bullets(&bullet.items, at, &path),
                ..bullet.clone()
            });
        }
        kept
    }
}

/// Characters in a typical line, for weighing text in lines.
const LINE: f64 = 90.0;

/// The length of a document's content, as fitting weighs it: in characters,
/// but every paragraph and bullet rounded up to whole lines, since a short
/// bullet still takes a line.
fn doc_chars(doc: &Document) -> f64 {
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

fn chars_of(paras: &[Paragraph]) -> f64 {
    paras
        .iter()
        .map(|p| lines(markup::plain(p).chars().count() as f64) + 0.3 * LINE)
        .sum()
}

/// Characters rounded up to whole lines.
fn lines(chars: f64) -> f64 {
    (chars / LINE).ceil().max(1.0) * LINE
}

/// The first words of a text, quoted, for reports.
fn snippet(runs: &[crate::markup::Run]) -> String {
    let text = markup::plain(runs);
    let mut short: String = text.chars().take(48).collect();
    if short.len() < text.len() {
        short = format!("{}…", short.trim_end());
    }
    format!("“{short}”")
}

fn section_label(section: &SectionData, index: usize) -> String {
    if section.title.is_empty() {
        format!("section {}", index + 1)
    } else {
        section.title.clone()
    }
}

fn entry_label(entry: &EntryData) -> String {
    match (&entry.title, &entry.org) {
        (Some(title), Some(org)) => format!("{title}, {org}"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => "(untitled)".into(),
    }
}

/// What one compile of a candidate document measured.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    pub pages: usize,
    /// How far the content reaches, in pages: 1.25 ends a quarter of the
    /// way down page 2.
    pub extent: f64,
    /// The extent at which content fills page 1 (its bottom margin).
    pub limit: f64,
    /// The page height in points.
    pub page_height: f64,
}

impl Measure {
    pub fn fits(&self) -> bool {
        self.pages <= 1
    }

    /// How far the content runs past the bottom of page 1, in centimetres.
    pub fn overflow_cm(&self) -> f64 {
        ((self.extent - self.limit).max(0.0) * self.page_height * 2.54 / 72.0 * 10.0).round() / 10.0
    }
}

/// A found fit: how many steps, how many compiles, and the result.
#[derive(Debug)]
pub struct Fit<T> {
    pub steps: usize,
    pub compiles: usize,
    pub measure: Measure,
    pub output: T,
}

/// Why no fit was found.
#[derive(Debug)]
pub enum FitError<E> {
    /// Even with every step applied the document is longer than a page.
    TooLong { measure: Measure, compiles: usize },
    /// A compile failed.
    Failed(E),
}

/// Finds the smallest number of plan steps after which the document fits
/// on one page. `try_steps(k)` compiles the document with `k` steps applied.
/// Probes are placed by the secant method on the measured extent (how far
/// the content reaches) against the text removed, falling back to bisection
/// when that stops converging, so a fit takes a handful of compiles.
pub fn search<T, E>(
    plan: &Plan,
    mut try_steps: impl FnMut(usize) -> Result<(Measure, T), E>,
) -> Result<Fit<T>, FitError<E>> {
    let n = plan.len();
    let mut compiles = 1;
    let (first, output) = try_steps(0).map_err(FitError::Failed)?;
    if first.fits() {
        return Ok(Fit {
            steps: 0,
            compiles,
            measure: first,
            output,
        });
    }
    if n == 0 {
        return Err(FitError::TooLong {
            measure: first,
            compiles,
        });
    }
    // `lo` is the largest prefix known not to fit, `prev` the one before it;
    // `hi` the smallest known to fit.
    let mut lo = (0, first);
    let mut prev: Option<(usize, Measure)> = None;
    let mut hi: Option<(usize, Measure, T)> = None;
    let mut probe = plan.estimate(0, first.extent, first.limit).clamp(1, n);
    // Probes in a row on the same side: interpolation that keeps missing
    // gives way to bisection.
    let (mut last_fit, mut streak) = (None, 0);
    loop {
        let (measure, output) = try_steps(probe).map_err(FitError::Failed)?;
        compiles += 1;
        let fits = measure.fits();
        streak = if last_fit == Some(fits) {
            streak + 1
        } else {
            1
        };
        last_fit = Some(fits);
        if fits {
            hi = Some((probe, measure, output));
        } else {
            prev = Some(lo);
            lo = (probe, measure);
        }
        let target = lo.1.limit - 0.005;
        match &hi {
            None if lo.0 >= n => {
                return Err(FitError::TooLong {
                    measure: lo.1,
                    compiles,
                });
            }
            None => {
                // Still too long: extrapolate from the last two overflows.
                let secant = prev.and_then(|p| solve(plan, p, lo, target));
                let next = secant.unwrap_or_else(|| plan.estimate(lo.0, lo.1.extent, lo.1.limit));
                probe = if next > lo.0 { next.min(n) } else { n };
            }
            Some((h, _, _)) if *h <= lo.0 + 1 => break,
            Some((h, hi_measure, _)) => {
                let mid = (lo.0 + h) / 2;
                let guess = if streak >= 2 {
                    None
                } else {
                    solve(plan, lo, (*h, *hi_measure), target)
                };
                probe = guess.unwrap_or(mid).clamp(lo.0 + 1, h - 1);
            }
        }
    }
    let (steps, measure, output) = hi.unwrap_or_else(|| unreachable!("the loop ends with a fit"));
    Ok(Fit {
        steps,
        compiles,
        measure,
        output,
    })
}

/// The smallest prefix expected to reach `target` extent, assuming the
/// extent falls linearly with the text removed through points `a` and `b`.
fn solve(plan: &Plan, a: (usize, Measure), b: (usize, Measure), target: f64) -> Option<usize> {
    let (removed_a, removed_b) = (plan.removed(a.0), plan.removed(b.0));
    let slope = (a.1.extent - b.1.extent) / (removed_b - removed_a);
    if !slope.is_finite() || slope <= 0.0 {
        return None;
    }
    let wanted = removed_a + (a.1.extent - target) / slope;
    (1..=plan.len()).find(|&k| plan.removed(k) >= wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::parse;
    use std::path::Path;

    fn doc(toml: &str) -> Document {
        let profile = parse(Path::new("t.toml"), toml).unwrap();
        let mut params = serde_json::Map::new();
        params.insert("spacing".into(), Json::from(1.0));
        params.insert("margin".into(), Json::from(2.0 * 72.0 / 2.54));
        params.insert("font_size".into(), Json::from(10.0));
        crate::data::document(&profile, "onepage", params)
    }

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
        let plan = Plan::new(&doc(PROFILE));
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
        assert!(position("“old low”") < position("“new deepest”"));
        // Deepest bullets before shallower ones.
        assert!(position("“new deepest”") < position("“new deep”"));
        assert!(position("“new deep”") < position("“new nested”"));
        // Later bullets of older entries before those of newer ones.
        assert!(position("“old second”") < position("“mid second”"));
        assert!(position("“mid second”") < position("“new third”"));
        assert!(position("“new third”") < position("“new second”"));
        // Then whole entries, oldest first; the top entry is never dropped alone.
        assert!(position("“new second”") < position("entry Work › Oldest"));
        assert!(position("entry Work › Oldest") < position("entry Work › Middle"));
        assert!(!order.iter().any(|d| d.contains("entry Work › Newest")));
        // First bullets stay with their entry.
        assert!(!order.iter().any(|d| d.contains("“new first”")));
        // High-priority content goes after every normal section.
        assert!(position("section Work") < position("“extra two”"));
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
        let plan = Plan::new(&doc);
        let k = plan
            .descriptions
            .iter()
            .position(|d| d.contains("“new nested”"))
            .unwrap()
            + 1;
        let applied = plan.apply(&doc, k);
        let text = serde_json::to_string(&applied).unwrap();
        for gone in ["old low", "new deepest", "new nested"] {
            assert!(!text.contains(gone), "{gone} should be dropped");
        }
        for kept in ["new second", "old second", "new first"] {
            assert!(text.contains(kept), "{kept} should stay");
        }
        // The short alternative replaced the whole body.
        assert!(
            text.contains("Short.")
                && !text.contains("First paragraph.")
                && !text.contains("Second paragraph")
        );
        assert_eq!(plan.apply(&doc, 0).sections.len(), 3);
    }

    /// A synthetic layout: the extent falls with the characters removed.
    fn fake(
        plan: &Plan,
        pages_of_text: f64,
    ) -> impl FnMut(usize) -> Result<(Measure, usize), ()> + '_ {
        move |k| {
            let left = 1.0 - plan.removed(k) / plan.total;
            let extent = pages_of_text * left;
            Ok((
                Measure {
                    pages: extent.ceil().max(1.0) as usize,
                    extent,
                    limit: 1.0,
                    page_height: 842.0,
                },
                k,
            ))
        }
    }

    #[test]
    fn search_finds_the_smallest_fitting_prefix_in_few_compiles() {
        let big: String = (0..40)
            .map(|i| format!("\n[[section.entries]]\nposition = \"Job {i}\"\nstart_date = \"{}\"\nhighlights = [\"a bullet with some words in it\", \"another bullet with words\", \"third\"]\n", 1980 + i))
            .collect();
        let doc = doc(&format!("[[section]]\nkind = \"work\"\n{big}"));
        let plan = Plan::new(&doc);
        for pages in [1.3, 1.8, 2.5] {
            let fit = search(&plan, fake(&plan, pages)).unwrap();
            let (measure, _) = fake(&plan, pages)(fit.steps).unwrap();
            assert!(measure.fits());
            if fit.steps > 0 {
                let (before, _) = fake(&plan, pages)(fit.steps - 1).unwrap();
                assert!(
                    !before.fits(),
                    "{pages}: {} steps is not the smallest",
                    fit.steps
                );
            }
            assert!(fit.compiles <= 6, "{pages}: {} compiles", fit.compiles);
        }
    }

    #[test]
    fn search_reports_content_that_cannot_fit() {
        let doc = doc(
            "[[section]]\nkind = \"text\"\nbody = \"one paragraph\"\npriority = \"essential\"\n",
        );
        let plan = Plan::new(&doc);
        let result = search(&plan, |_| {
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
