//! Rebuilding a document with the first `k` steps of a plan applied.

use std::collections::{HashMap, HashSet};

use serde_json::Value as Json;

use super::{Addr, Chosen, Ctx, RemovalOrder, Step};
use crate::data::{BulletData, Document, EntryData, PartData, SectionData};
use crate::markup::{self, Paragraph};
use crate::profile::Priority;

impl RemovalOrder {
    /// The document with the first `k` steps applied.
    pub fn apply(&self, doc: &Document, k: usize) -> Document {
        self.apply_chosen(doc, &Chosen::Prefix(k))
    }

    /// The document with the chosen steps applied.
    pub fn apply_chosen(&self, doc: &Document, chosen: &Chosen) -> Document {
        let mut dropped = HashSet::new();
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
            }
        }
        let edits = Edits {
            dropped,
            shortened,
            trimmed,
        };
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
}

/// The applied edits, for rebuilding a document.
struct Edits<'a> {
    dropped: HashSet<&'a Addr>,
    shortened: HashSet<&'a Addr>,
    /// Paragraphs cut to their first sentences: how many stay.
    trimmed: HashMap<&'a Addr, usize>,
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
