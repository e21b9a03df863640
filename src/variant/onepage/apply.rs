//! Rebuilding a document with the first `k` steps of a plan applied.

use std::collections::{HashMap, HashSet};

use serde_json::Value as Json;

use super::plan::{entry_label, section_label};
use super::{Addr, Chosen, Ctx, RemovalOrder, Step};
use crate::data::{BulletData, DateData, Document, EntryData, PartData, SectionData};
use crate::markup::{self, Paragraph, Run};
use crate::profile::Priority;

impl RemovalOrder {
    /// The document with the first `k` steps applied.
    pub fn apply(&self, doc: &Document, k: usize) -> Document {
        self.apply_chosen(doc, &Chosen::Prefix(k))
    }

    /// The document with the chosen steps applied.
    pub fn apply_chosen(&self, doc: &Document, chosen: &Chosen) -> Document {
        let (edits, params) = self.edits(doc, chosen);
        let mut out = doc.clone();
        out.sections = doc
            .sections
            .iter()
            .enumerate()
            .filter(|(s, _)| !edits.dropped.contains(&Addr::Section(*s)))
            .map(|(s, section)| edits.section(s, section))
            // A heading with nothing under it says nothing: a section whose
            // content all went goes too.
            .filter(|section| {
                !section.body.is_empty()
                    || !section.items.is_empty()
                    || !section.entries.is_empty()
                    || section.priority == Priority::Essential
            })
            .collect();
        for (name, value) in params {
            out.params.insert(name.to_owned(), Json::from(value));
        }
        out
    }

    /// What the chosen steps did to each entry and list that lost
    /// something, a line each ("Experience › Engineer, Acme: 2 of 5
    /// bullets"), so a person can pin what they want with `priority`.
    pub fn reductions(&self, doc: &Document, chosen: &Chosen) -> Vec<String> {
        let (edits, _) = self.edits(doc, chosen);
        let mut lines = Vec::new();
        for (s, section) in doc.sections.iter().enumerate() {
            let title = section_label(section, s);
            if edits.dropped.contains(&Addr::Section(s)) {
                lines.push(format!("{title}: left out"));
                continue;
            }
            let kept = edits.section(s, section);
            if kept.items.len() < section.items.len() {
                let (now, was) = (kept.items.len(), section.items.len());
                lines.push(format!("{title}: {now} of {was} items"));
            }
            let merged = edits.merged.get(&s).copied().unwrap_or_default();
            for (e, entry) in section.entries.iter().enumerate() {
                let name = format!("{title} › {}", entry_label(entry));
                if merged.contains(&e) {
                    let line = if edits.dropped.contains(&Addr::Earlier(s)) {
                        "left out"
                    } else {
                        "on the line of earlier roles"
                    };
                    lines.push(format!("{name}: {line}"));
                    continue;
                }
                if edits.dropped.contains(&Addr::Entry {
                    section: s,
                    entry: e,
                }) {
                    lines.push(format!("{name}: left out"));
                    continue;
                }
                let at = Ctx {
                    section: s,
                    entry: Some(e),
                    part: None,
                };
                if let Some(what) = reduced(entry, &edits.entry(&at, entry)) {
                    lines.push(format!("{name}: {what}"));
                }
            }
        }
        lines
    }

    /// The edits the chosen steps make, and the layout parameters they set.
    fn edits<'a>(
        &'a self,
        doc: &'a Document,
        chosen: &Chosen,
    ) -> (Edits<'a>, HashMap<&'static str, f64>) {
        let mut dropped = HashSet::new();
        let mut merged = HashMap::new();
        let mut shortened = HashSet::new();
        let mut trimmed: HashMap<&Addr, usize> = HashMap::new();
        let mut params = HashMap::new();
        let steps = self
            .steps
            .iter()
            .enumerate()
            .filter(|(i, _)| chosen.contains_in(self.ladder, *i));
        for (_, step) in steps {
            match step {
                Step::Drop(addr) => {
                    dropped.insert(addr);
                }
                Step::Shorten(addr) => {
                    shortened.insert(addr);
                }
                Step::Trim { addr, keep } => {
                    let kept = trimmed.entry(addr).or_insert(*keep);
                    *kept = (*kept).min(*keep);
                }
                Step::Param { name, value } => {
                    params.insert(*name, *value);
                }
                Step::Merge { section, entries } => {
                    merged.insert(*section, entries.as_slice());
                }
            }
        }
        let edits = Edits {
            dropped,
            shortened,
            trimmed,
            merged,
            earlier: &doc.locale.words.earlier,
        };
        (edits, params)
    }
}

/// One entry for roles merged into a line: titled in the document's word
/// for "Earlier", each role as "Title, Organisation (2010–2013)". The text
/// is data: nothing of it is read as Markdown.
fn earlier_line<'a>(earlier: &str, roles: impl Iterator<Item = &'a EntryData>) -> EntryData {
    let year = |date: &Option<DateData>| match date {
        Some(DateData::Date { year, .. }) => Some(*year),
        _ => None,
    };
    let mut first = None;
    let said: Vec<String> = roles
        .map(|role| {
            first.get_or_insert_with(|| role.clone());
            let what: Vec<&str> = [&role.title, &role.org]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            let when = match (year(&role.start), year(&role.end)) {
                (Some(start), Some(end)) if start != end => format!(" ({start}–{end})"),
                (Some(year), _) | (None, Some(year)) => format!(" ({year})"),
                (None, None) => String::new(),
            };
            format!("{}{when}", what.join(", "))
        })
        .collect();
    let run = Run {
        text: said.join("; "),
        strong: false,
        emph: false,
        code: false,
        link: None,
        hyphenate: false,
    };
    EntryData {
        title: Some(earlier.to_owned()),
        org: None,
        location: None,
        detail: None,
        url: None,
        start: None,
        end: None,
        summary: vec![vec![run]],
        highlights: Vec::new(),
        parts: Vec::new(),
        keywords: Vec::new(),
        short: None,
        ..first.unwrap_or_default()
    }
}

/// What an entry lost, if anything: "head line only", or what is left of
/// its bullets, paragraphs and keywords.
fn reduced(before: &EntryData, after: &EntryData) -> Option<String> {
    fn bullets(items: &[BulletData]) -> usize {
        items.iter().map(|b| 1 + bullets(&b.items)).sum()
    }
    let count = |e: &EntryData| {
        (
            bullets(&e.highlights)
                + e.parts
                    .iter()
                    .map(|p| bullets(&p.highlights))
                    .sum::<usize>(),
            e.summary.len() + e.parts.iter().map(|p| p.summary.len()).sum::<usize>(),
            e.keywords.len(),
        )
    };
    let json = |value: &EntryData| serde_json::to_value(value).ok();
    if json(before) == json(after) {
        return None;
    }
    let (was, now) = (count(before), count(after));
    if now == (0, 0, 0) && was != now {
        return Some("head line only".to_owned());
    }
    let mut parts = Vec::new();
    if now.0 < was.0 {
        parts.push(format!("{} of {} bullets", now.0, was.0));
    }
    if now.1 < was.1 {
        parts.push(format!("{} of {} paragraphs", now.1, was.1));
    } else if serde_json::to_value(&after.summary).ok()
        != serde_json::to_value(&before.summary).ok()
    {
        parts.push("summary cut short".to_owned());
    }
    if now.2 < was.2 {
        parts.push(format!("{} of {} keywords", now.2, was.2));
    }
    if parts.is_empty() {
        parts.push("shortened".to_owned());
    }
    Some(parts.join(", "))
}

/// The applied edits, for rebuilding a document.
struct Edits<'a> {
    dropped: HashSet<&'a Addr>,
    shortened: HashSet<&'a Addr>,
    /// Paragraphs cut to their first sentences (and keyword lists to their
    /// first keywords): how many stay.
    trimmed: HashMap<&'a Addr, usize>,
    /// Sections whose roles before the timeline are merged into one line,
    /// and those roles.
    merged: HashMap<usize, &'a [usize]>,
    /// What that line is called in the document's language.
    earlier: &'a str,
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
        let merged = self.merged.get(&s).copied().unwrap_or_default();
        let mut entries = Vec::new();
        for (e, entry) in section.entries.iter().enumerate() {
            if merged.first() == Some(&e) && !self.dropped.contains(&Addr::Earlier(s)) {
                let roles = merged.iter().map(|e| &section.entries[*e]);
                entries.push(earlier_line(self.earlier, roles));
            }
            let gone = self.dropped.contains(&Addr::Entry {
                section: s,
                entry: e,
            });
            if gone || merged.contains(&e) {
                continue;
            }
            let at = Ctx {
                section: s,
                entry: Some(e),
                part: None,
            };
            entries.push(self.entry(&at, entry));
        }
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
        let keywords = match self.trimmed.get(&Addr::Keywords {
            section: at.section,
            entry: at.entry.unwrap_or(0),
        }) {
            Some(keep) => entry.keywords.iter().take(*keep).cloned().collect(),
            None => entry.keywords.clone(),
        };
        EntryData {
            summary,
            highlights: self.bullets(&entry.highlights, at, &[]),
            parts,
            keywords,
            ..entry.clone()
        }
    }

    fn paragraphs(&self, paras: &[Paragraph], at: &Ctx) -> Vec<Paragraph> {
        paras
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.dropped.contains(&at.paragraph(*index)))
            .map(
                |(index, para)| match self.trimmed.get(&at.paragraph(index)) {
                    Some(keep) => markup::first_sentences(para, *keep),
                    None => para.clone(),
                },
            )
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
            let children = self.bullets(&bullet.items, at, &path);
            // A bullet that heads others says nothing once they are all
            // gone ("Remote Execution" alone): it goes with the last of
            // them, unless it must stay.
            if !bullet.items.is_empty()
                && children.is_empty()
                && bullet.priority != Priority::Essential
            {
                continue;
            }
            let text = match &bullet.short {
                Some(short) if self.shortened.contains(&addr) => short.clone(),
                _ => bullet.text.clone(),
            };
            kept.push(BulletData {
                text,
                items: children,
                ..bullet.clone()
            });
        }
        kept
    }
}
