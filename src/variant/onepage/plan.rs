//! The removal order: every change that makes a document shorter, sorted
//! least harmful first.

use serde_json::Value as Json;

use super::detail::{plan_bullets, plan_entry, plan_paragraphs};
use super::weigh::{chars_of, doc_chars};
use super::{Addr, Ctx, MIN_FONT_SIZE, MIN_MARGIN, MIN_SPACING, RemovalOrder, Step};
use crate::data::{BulletData, DateData, Document, EntryData, SectionData};
use crate::markup;
use crate::posting::Terms;
use crate::profile::{Priority, SectionKind};

/// What a candidate step does, in the order the stages run: every short
/// alternative is swapped in before anything is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Stage {
    Shorten,
    Drop,
}

/// What is dropped, in the order they go within one priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Phase {
    /// Nested bullets (and every short alternative).
    Nested,
    /// Later paragraphs and top-level bullets.
    Later,
    /// Whole entries.
    Entry,
    /// Whole sections.
    Section,
}

/// What a step takes away, in the order that goes within a priority. The
/// timeline (positions and degrees that started within the window) stays
/// longest: detail goes first (all of it for older entries, what is beyond
/// its top for the others, list items past the first two, keywords past
/// the first few), then the newest entry's detail beyond its top bullets,
/// then older entries and other sections' entries past the first two, then
/// the timeline's top detail, the newest entry's top bullets, and only then
/// the timeline's head lines and whole sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Scope {
    Detail,
    NewestDetail,
    Entries,
    TopDetail,
    NewestTop,
    Timeline,
    Sections,
}

/// What an entry is to the one page: where its content goes in the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// A position or degree that started before the window.
    Old,
    /// One that started within it (or is ongoing), not the newest.
    Recent,
    /// The newest of its section.
    Newest,
    /// An entry of another section (a project, a skill group, an award),
    /// or a section's own text and items.
    Other,
}

impl Role {
    /// Where content beyond an entry's top detail goes.
    pub(super) fn beyond(self) -> Scope {
        match self {
            Role::Newest => Scope::NewestDetail,
            _ => Scope::Detail,
        }
    }

    /// Where an entry's top detail (its first paragraph, its first bullets)
    /// goes, if it goes before the entry.
    pub(super) fn top(self) -> Option<Scope> {
        match self {
            Role::Old => Some(Scope::Detail),
            Role::Recent => Some(Scope::TopDetail),
            Role::Newest => Some(Scope::NewestTop),
            Role::Other => None,
        }
    }

    /// How many top-level bullets are its top detail.
    pub(super) fn top_bullets(self) -> usize {
        match self {
            Role::Newest => NEWEST_TOP_BULLETS,
            _ => 1,
        }
    }
}

/// The bullets the newest entry keeps until every other entry of the
/// timeline is down to its head line.
pub(super) const NEWEST_TOP_BULLETS: usize = 3;
/// Keywords a group keeps until other groups go.
pub(super) const KEPT_KEYWORDS: usize = 4;
/// Items and entries a section keeps, or goes whole: a section of one
/// item reads as a mistake.
pub(super) const KEPT_ITEMS: usize = 2;

/// Where a candidate step goes in the removal order. Fields compare in the
/// order they are declared: the first that differs decides. Recency comes
/// before depth: an older entry loses its detail (nested bullets, then
/// later bullets, then paragraphs) before a newer one loses any, so the
/// latest role, which a recruiter reads first, keeps its achievements
/// longest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SortKey {
    pub(super) stage: Stage,
    /// `low` goes before `normal`, before `high`.
    pub(super) priority: Priority,
    pub(super) scope: Scope,
    /// Whether what the step takes away mentions a term of the job
    /// posting: within a priority and scope, what does not goes first.
    pub(super) relevant: bool,
    /// The entry's age rank, oldest 0: older entries lose content first.
    pub(super) age: i64,
    pub(super) phase: Phase,
    /// Minus the bullet's depth: deeper bullets go first.
    pub(super) deeper_first: i64,
    /// Minus the position in its list: later items go first.
    pub(super) later_first: i64,
    /// How many sections from the end: later sections go first.
    pub(super) sections_to_end: i64,
}

impl SortKey {
    /// What a step competes with for the page: its stage, priority and
    /// place in the order.
    pub(super) fn group(&self) -> (Stage, Priority, Scope) {
        (self.stage, self.priority, self.scope)
    }

    pub(super) fn new(stage: Stage, priority: Priority, phase: Phase) -> Self {
        let scope = match phase {
            Phase::Nested | Phase::Later => Scope::Detail,
            Phase::Entry => Scope::Entries,
            Phase::Section => Scope::Sections,
        };
        Self::at(stage, priority, phase, scope)
    }

    pub(super) fn at(stage: Stage, priority: Priority, phase: Phase, scope: Scope) -> Self {
        Self {
            stage,
            priority,
            scope,
            relevant: false,
            phase,
            deeper_first: 0,
            age: 0,
            later_first: 0,
            sections_to_end: 0,
        }
    }
}

pub(super) struct Candidate {
    pub(super) key: SortKey,
    pub(super) step: Step,
    pub(super) description: String,
}

impl RemovalOrder {
    /// Plans the removal order for `doc`, with the ladder for the layout
    /// parameters it has. Positions and degrees that started on or after
    /// `since` (year, month) are the timeline. With a job posting's terms,
    /// content that mentions one goes after content of the same priority
    /// and place that does not.
    pub fn new(doc: &Document, since: (i32, u8), posting: Option<&Terms>) -> Self {
        let mut candidates = Vec::new();
        let section_count = doc.sections.len() as i64;
        for (s, section) in doc.sections.iter().enumerate() {
            let title = section_label(section, s);
            let later = section_count - s as i64;
            plan_section(section, s, &title, later, since, &mut candidates);
        }
        let mut matched = vec![Vec::new(); candidates.len()];
        if let Some(terms) = posting {
            for (candidate, found) in candidates.iter_mut().zip(&mut matched) {
                if let Some(addr) = Addr::of(&candidate.step) {
                    *found = terms.found_in(&text_at(doc, addr));
                    candidate.key.relevant = !found.is_empty();
                }
            }
        }
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by_key(|&i| candidates[i].key);
        let mut plan = RemovalOrder {
            steps: Vec::new(),
            descriptions: Vec::new(),
            weights: Vec::new(),
            total: 1.0,
            ladder: 0,
            matched: Vec::new(),
        };
        for i in order {
            let candidate = &candidates[i];
            plan.steps.push(candidate.step.clone());
            plan.descriptions.push(candidate.description.clone());
            plan.matched
                .push((candidate.key.group(), std::mem::take(&mut matched[i])));
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
    since: (i32, u8),
    out: &mut Vec<Candidate>,
) {
    let at = Ctx {
        section: s,
        entry: None,
        part: None,
    };
    let own = Place {
        role: Role::Other,
        age: 0,
        later,
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
        _ => plan_paragraphs(&section.body, &at, section.priority, own, title, out),
    }
    plan_bullets(&section.items, &at, &[], own, title, out);
    let ages = age_ranks(&section.entries);
    let roles = roles(section, &ages, since);
    // Two or more roles before the window, once down to their head lines,
    // go on one line before they go.
    let merged: Vec<usize> = (0..section.entries.len())
        .filter(|e| roles[*e] == Role::Old && section.entries[*e].priority != Priority::Essential)
        .collect();
    let merged = if merged.len() >= 2 {
        merged
    } else {
        Vec::new()
    };
    for (e, entry) in section.entries.iter().enumerate() {
        let at = Ctx {
            section: s,
            entry: Some(e),
            part: None,
        };
        let name = format!("{title} › {}", entry_label(entry));
        let place = Place {
            role: roles[e],
            age: ages[e],
            later,
        };
        plan_entry(entry, &at, place, &name, out);
        plan_entry_drop(entry, &name, (s, e), place, merged.contains(&e), out);
    }
    plan_earlier(section, s, title, later, &merged, out);
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

/// When an entry goes whole, if it goes alone: the timeline's newest
/// stays while its section does; in other sections, the first two do (or
/// the section goes whole); roles before the window that are `merged` go
/// on one line first (see `plan_earlier`).
fn plan_entry_drop(
    entry: &EntryData,
    name: &str,
    (s, e): (usize, usize),
    place: Place,
    merged: bool,
    out: &mut Vec<Candidate>,
) {
    let priority = entry_priority(entry);
    let scope = match place.role {
        Role::Old if !merged => Some(Scope::Entries),
        Role::Recent => Some(Scope::Timeline),
        Role::Other => (e >= KEPT_ITEMS).then_some(Scope::Entries),
        Role::Old | Role::Newest => None,
    };
    let Some(scope) = scope.filter(|_| priority != Priority::Essential) else {
        return;
    };
    out.push(Candidate {
        key: SortKey {
            later_first: -(e as i64),
            ..place.key(Stage::Drop, priority, Phase::Entry, scope)
        },
        step: Step::Drop(Addr::Entry {
            section: s,
            entry: e,
        }),
        description: format!("dropped entry {name}"),
    });
}

/// Merges a section's roles before the window into one line, then drops
/// that line at the end of the entries' turn.
fn plan_earlier(
    section: &SectionData,
    s: usize,
    title: &str,
    later: i64,
    merged: &[usize],
    out: &mut Vec<Candidate>,
) {
    let Some(priority) = merged
        .iter()
        .map(|e| entry_priority(&section.entries[*e]))
        .max()
    else {
        return;
    };
    let key = |age| SortKey {
        age,
        sections_to_end: later,
        ..SortKey::at(Stage::Drop, priority, Phase::Entry, Scope::Entries)
    };
    out.push(Candidate {
        key: key(-1),
        step: Step::Merge {
            section: s,
            entries: merged.to_vec(),
        },
        description: format!(
            "merged {} earlier roles into one line ({title})",
            merged.len()
        ),
    });
    out.push(Candidate {
        key: key(i64::MAX),
        step: Step::Drop(Addr::Earlier(s)),
        description: format!("dropped the line of earlier roles ({title})"),
    });
}

/// What each entry of a section is to the one page. In a section of
/// positions or degrees, the newest is the newest, those that started
/// within the window (or go on) are recent, the rest old.
fn roles(section: &SectionData, ages: &[i64], since: (i32, u8)) -> Vec<Role> {
    let timeline = matches!(
        section.kind,
        SectionKind::Work | SectionKind::Volunteer | SectionKind::Education
    );
    let newest = (0..ages.len()).max_by_key(|e| ages[*e]);
    section
        .entries
        .iter()
        .enumerate()
        .map(|(e, entry)| match () {
            _ if !timeline => Role::Other,
            _ if Some(e) == newest => Role::Newest,
            _ if started(entry).is_some_and(|start| start >= since) => Role::Recent,
            _ => Role::Old,
        })
        .collect()
}

/// When an entry started: its start date, else its end (a degree dated by
/// its year); ongoing entries count as started now.
fn started(entry: &EntryData) -> Option<(i32, u8)> {
    let date = |d: &DateData| match d {
        DateData::Date { year, month, .. } => Some((*year, month.unwrap_or(1))),
        DateData::Present(_) => Some((i32::MAX, 0)),
    };
    entry.start.as_ref().and_then(date).or(entry.recency)
}

/// Where an entry's content goes: its role, its age rank, how many
/// sections from the end its section is.
#[derive(Clone, Copy)]
pub(super) struct Place {
    pub(super) role: Role,
    pub(super) age: i64,
    pub(super) later: i64,
}

impl Place {
    pub(super) fn key(
        self,
        stage: Stage,
        priority: Priority,
        phase: Phase,
        scope: Scope,
    ) -> SortKey {
        SortKey {
            age: self.age,
            sections_to_end: self.later,
            ..SortKey::at(stage, priority, phase, scope)
        }
    }
}

/// An entry goes no sooner than the most important bullet it holds.
fn entry_priority(entry: &EntryData) -> Priority {
    entry.priority.max(highest(&entry.highlights)).max(
        entry
            .parts
            .iter()
            .map(|part| highest(&part.highlights))
            .max()
            .unwrap_or_default(),
    )
}

/// The highest priority among bullets, at any depth (`low` if none).
fn highest(items: &[BulletData]) -> Priority {
    items
        .iter()
        .map(|bullet| bullet.priority.max(highest(&bullet.items)))
        .max()
        .unwrap_or(Priority::Low)
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
pub(super) fn snippet(runs: &[crate::markup::Run]) -> String {
    let text = markup::plain(runs);
    let mut short: String = text.chars().take(48).collect();
    if short.len() < text.len() {
        short = format!("{}…", short.trim_end());
    }
    format!("“{short}”")
}

pub(super) fn section_label(section: &SectionData, index: usize) -> String {
    if section.title.is_empty() {
        format!("section {}", index + 1)
    } else {
        section.title.clone()
    }
}

pub(super) fn entry_label(entry: &EntryData) -> String {
    match (&entry.title, &entry.org) {
        (Some(title), Some(org)) => format!("{title}, {org}"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => "(untitled)".into(),
    }
}

/// The text a step's address holds in the document, for matching a
/// posting's terms: every string of it.
pub(super) fn text_at(doc: &Document, addr: &Addr) -> String {
    let value = match addr {
        Addr::Section(s) => doc
            .sections
            .get(*s)
            .and_then(|x| serde_json::to_value(x).ok()),
        Addr::Entry { section, entry } | Addr::Keywords { section, entry } => doc
            .sections
            .get(*section)
            .and_then(|s| s.entries.get(*entry))
            .and_then(|x| serde_json::to_value(x).ok()),
        Addr::Paragraph {
            section,
            entry,
            part,
            index,
        } => {
            let section = doc.sections.get(*section);
            let paragraphs = match (entry, part) {
                (None, _) => section.map(|s| &s.body),
                (Some(e), None) => section.and_then(|s| s.entries.get(*e)).map(|e| &e.summary),
                (Some(e), Some(p)) => section
                    .and_then(|s| s.entries.get(*e))
                    .and_then(|e| e.parts.get(*p))
                    .map(|p| &p.summary),
            };
            paragraphs
                .and_then(|p| p.get(*index))
                .and_then(|x| serde_json::to_value(x).ok())
        }
        Addr::Bullet {
            section,
            entry,
            part,
            path,
        } => {
            let section = doc.sections.get(*section);
            let mut list = match (entry, part) {
                (None, _) => section.map(|s| &s.items),
                (Some(e), None) => section
                    .and_then(|s| s.entries.get(*e))
                    .map(|e| &e.highlights),
                (Some(e), Some(p)) => section
                    .and_then(|s| s.entries.get(*e))
                    .and_then(|e| e.parts.get(*p))
                    .map(|p| &p.highlights),
            };
            let mut bullet = None;
            for &i in path {
                bullet = list.and_then(|l| l.get(i));
                list = bullet.map(|b| &b.items);
            }
            bullet.and_then(|x| serde_json::to_value(x).ok())
        }
        Addr::Earlier(_) => None,
    };
    let mut text = String::new();
    let mut stack: Vec<&Json> = value.iter().collect();
    while let Some(value) = stack.pop() {
        match value {
            Json::String(s) => {
                text.push_str(s);
                text.push(' ');
            }
            Json::Array(items) => stack.extend(items.iter().rev()),
            Json::Object(map) => stack.extend(map.values().rev()),
            _ => {}
        }
    }
    text
}
