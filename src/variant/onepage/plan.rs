//! The removal order: every change that makes a document shorter, sorted
//! least harmful first.

use serde_json::Value as Json;

use super::weigh::{chars_of, doc_chars};
use super::{Addr, Ctx, MIN_FONT_SIZE, MIN_MARGIN, MIN_SPACING, RemovalOrder, Step};
use crate::data::{BulletData, Document, EntryData, SectionData};
use crate::markup::{self, Paragraph};
use crate::profile::Priority;

/// What a candidate step does, in the order the stages run: every short
/// alternative is swapped in before anything is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Shorten,
    Drop,
}

/// What is dropped, in the order they go within one priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    /// Nested bullets (and every short alternative).
    Nested,
    /// Later paragraphs and top-level bullets.
    Later,
    /// Whole entries.
    Entry,
    /// Whole sections.
    Section,
}

/// What a step takes away, in the order that goes within a priority: the
/// detail of every entry but the newest of its section, then whole older
/// entries, then the newest entries' detail, then whole sections. So the
/// latest role, which a recruiter reads first, keeps its first bullets
/// longest, and a heading never stands without an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    Detail,
    Entries,
    NewestDetail,
    Sections,
}

/// Where a candidate step goes in the removal order. Fields compare in the
/// order they are declared: the first that differs decides. Recency comes
/// before depth: an older entry loses its detail (nested bullets, then
/// later bullets, then paragraphs) before a newer one loses any, so the
/// latest role, which a recruiter reads first, keeps its achievements
/// longest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    stage: Stage,
    /// `low` goes before `normal`, before `high`.
    priority: Priority,
    scope: Scope,
    /// The entry's age rank, oldest 0: older entries lose content first.
    age: i64,
    phase: Phase,
    /// Minus the bullet's depth: deeper bullets go first.
    deeper_first: i64,
    /// Minus the position in its list: later items go first.
    later_first: i64,
    /// How many sections from the end: later sections go first.
    sections_to_end: i64,
}

impl SortKey {
    fn new(stage: Stage, priority: Priority, phase: Phase) -> Self {
        let scope = match phase {
            Phase::Nested | Phase::Later => Scope::Detail,
            Phase::Entry => Scope::Entries,
            Phase::Section => Scope::Sections,
        };
        Self {
            stage,
            priority,
            scope,
            phase,
            deeper_first: 0,
            age: 0,
            later_first: 0,
            sections_to_end: 0,
        }
    }
}

struct Candidate {
    key: SortKey,
    step: Step,
    description: String,
}

impl RemovalOrder {
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
        // The newest entry of each section loses its detail last.
        let newest: Vec<Option<usize>> = doc
            .sections
            .iter()
            .map(|section| {
                let ages = age_ranks(&section.entries);
                (0..ages.len()).max_by_key(|e| ages[*e])
            })
            .collect();
        for candidate in &mut candidates {
            let entry = match Addr::of(&candidate.step) {
                Some(
                    Addr::Paragraph { section, entry, .. } | Addr::Bullet { section, entry, .. },
                ) => entry.map(|e| (*section, e)),
                _ => None,
            };
            if candidate.key.scope == Scope::Detail
                && entry.is_some_and(|(s, e)| newest[s] == Some(e))
            {
                candidate.key.scope = Scope::NewestDetail;
            }
        }
        candidates.sort_by_key(|c| c.key);
        let mut plan = RemovalOrder {
            steps: Vec::new(),
            descriptions: Vec::new(),
            weights: Vec::new(),
            total: 1.0,
            ladder: 0,
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
        plan.ladder = plan.steps.len();
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
            key: SortKey {
                sections_to_end: later,
                ..SortKey::new(Stage::Shorten, section.priority, Phase::Nested)
            },
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
        // The section's first entry stays while the section does. An entry
        // goes no sooner than the most important bullet it holds.
        let priority = entry.priority.max(highest(&entry.highlights)).max(
            entry
                .parts
                .iter()
                .map(|part| highest(&part.highlights))
                .max()
                .unwrap_or_default(),
        );
        if e > 0 && priority != Priority::Essential {
            out.push(Candidate {
                key: SortKey {
                    age: ages[e],
                    later_first: -(e as i64),
                    sections_to_end: later,
                    ..SortKey::new(Stage::Drop, priority, Phase::Entry)
                },
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
            key: SortKey {
                sections_to_end: later,
                ..SortKey::new(Stage::Drop, section.priority, Phase::Section)
            },
            step: Step::Drop(Addr::Section(s)),
            description: format!("dropped section {title}"),
        });
    }
}

/// The highest priority among bullets, at any depth (`low` if none).
fn highest(items: &[BulletData]) -> Priority {
    items
        .iter()
        .map(|bullet| bullet.priority.max(highest(&bullet.items)))
        .max()
        .unwrap_or(Priority::Low)
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
            key: SortKey {
                age,
                sections_to_end: later,
                ..SortKey::new(Stage::Shorten, entry.priority, Phase::Nested)
            },
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
                let key = SortKey {
                    age,
                    later_first: -(1000 * (p as i64 + 1) + index as i64),
                    sections_to_end: later,
                    ..SortKey::new(Stage::Drop, entry.priority, Phase::Later)
                };
                plan_paragraph(para, at.paragraph(index), key, name, out);
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
        let key = SortKey {
            age,
            later_first: -(index as i64),
            sections_to_end: later,
            ..SortKey::new(Stage::Drop, priority, Phase::Later)
        };
        plan_paragraph(para, at.paragraph(index), key, name, out);
    }
}

/// A paragraph goes a sentence at a time, the last first, and then whole:
/// so a fit can end inside it and keep the thoughts it has room for. (The
/// sort is stable: these stay in this order, together.)
fn plan_paragraph(
    para: &Paragraph,
    addr: Addr,
    key: SortKey,
    name: &str,
    out: &mut Vec<Candidate>,
) {
    let sentences = markup::sentence_ends(para).len();
    for keep in (1..sentences).rev() {
        out.push(Candidate {
            key,
            step: Step::Trim {
                addr: addr.clone(),
                keep,
            },
            description: format!(
                "cut paragraph {} to its first {} (of {sentences}) ({name})",
                snippet(para),
                if keep == 1 {
                    "sentence".to_owned()
                } else {
                    format!("{keep} sentences")
                }
            ),
        });
    }
    out.push(Candidate {
        key,
        step: Step::Drop(addr),
        description: format!("dropped paragraph {} ({name})", snippet(para)),
    });
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
                key: SortKey {
                    deeper_first: -depth,
                    age,
                    later_first: -(index as i64),
                    sections_to_end: later,
                    ..SortKey::new(Stage::Shorten, bullet.priority, Phase::Nested)
                },
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
            let phase = if depth > 1 {
                Phase::Nested
            } else {
                Phase::Later
            };
            let offset = at.part.map_or(0, |p| 1000 * (p as i64 + 1) + 500);
            out.push(Candidate {
                key: SortKey {
                    deeper_first: -depth,
                    age,
                    later_first: -(offset + index as i64),
                    sections_to_end: later,
                    ..SortKey::new(Stage::Drop, bullet.priority, phase)
                },
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
