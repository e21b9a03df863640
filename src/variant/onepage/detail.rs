//! Planning what goes of an entry's and a section's detail: summaries a
//! sentence at a time, bullets deepest and latest first, keywords past the
//! first few; each at its place in the removal order (see `plan`).

use super::plan::{
    Candidate, KEPT_ITEMS, KEPT_KEYWORDS, Phase, Place, Scope, SortKey, Stage, snippet,
};
use super::weigh::chars_of;
use super::{Addr, Ctx, Step};
use crate::data::{BulletData, EntryData};
use crate::markup::{self, Paragraph};
use crate::profile::Priority;

/// Plans an entry's inner steps.
pub(super) fn plan_entry(
    entry: &EntryData,
    at: &Ctx,
    place: Place,
    name: &str,
    out: &mut Vec<Candidate>,
) {
    match &entry.short {
        Some(short) if chars_of(short) < chars_of(&entry.summary) => out.push(Candidate {
            key: place.key(Stage::Shorten, entry.priority, Phase::Nested, Scope::Detail),
            step: Step::Shorten(Addr::Entry {
                section: at.section,
                entry: at.entry.unwrap_or(0),
            }),
            description: format!("shortened the summary of {name}"),
        }),
        _ => plan_paragraphs(&entry.summary, at, entry.priority, place, name, out),
    }
    plan_bullets(&entry.highlights, at, &[], place, name, out);
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
                    later_first: -(1000 * (p as i64 + 1) + index as i64),
                    ..place.key(
                        Stage::Drop,
                        entry.priority,
                        Phase::Later,
                        place.role.beyond(),
                    )
                };
                plan_paragraph(para, at.paragraph(index), key, Some(key), name, out);
            }
        }
        plan_bullets(&part.highlights, &at, &[], place, name, out);
    }
    plan_keywords(entry, at, place, name, out);
}

/// A group's keywords past the first few go, the last first, before any
/// group goes.
fn plan_keywords(entry: &EntryData, at: &Ctx, place: Place, name: &str, out: &mut Vec<Candidate>) {
    if entry.priority == Priority::Essential {
        return;
    }
    let count = entry.keywords.len();
    let addr = Addr::Keywords {
        section: at.section,
        entry: at.entry.unwrap_or(0),
    };
    for keep in (KEPT_KEYWORDS..count).rev() {
        out.push(Candidate {
            key: SortKey {
                later_first: -(keep as i64),
                ..place.key(Stage::Drop, entry.priority, Phase::Later, Scope::Detail)
            },
            step: Step::Trim {
                addr: addr.clone(),
                keep,
            },
            description: format!("kept the first {keep} of {count} keywords of {name}"),
        });
    }
}

/// Paragraphs after the first may go, later ones first; the first may be
/// cut to its first sentence, and goes whole only as an entry's top detail.
pub(super) fn plan_paragraphs(
    paras: &[Paragraph],
    at: &Ctx,
    priority: Priority,
    place: Place,
    name: &str,
    out: &mut Vec<Candidate>,
) {
    if priority == Priority::Essential {
        return;
    }
    let in_entry = at.entry.is_some();
    for (index, para) in paras.iter().enumerate() {
        let key = SortKey {
            later_first: -(index as i64),
            ..place.key(Stage::Drop, priority, Phase::Later, place.role.beyond())
        };
        let drop = if index > 0 {
            Some(key)
        } else {
            place
                .role
                .top()
                .filter(|_| in_entry)
                .map(|scope| SortKey { scope, ..key })
        };
        plan_paragraph(para, at.paragraph(index), key, drop, name, out);
    }
}

/// A paragraph goes a sentence at a time, the last first (at `trims`),
/// and then whole (at `drop`, if it may go): so a fit can end inside it
/// and keep the thoughts it has room for. (The sort is stable: steps of
/// one key stay in this order, together.)
fn plan_paragraph(
    para: &Paragraph,
    addr: Addr,
    trims: SortKey,
    drop: Option<SortKey>,
    name: &str,
    out: &mut Vec<Candidate>,
) {
    let sentences = markup::sentence_ends(para).len();
    for keep in (1..sentences).rev() {
        out.push(Candidate {
            key: trims,
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
    if let Some(key) = drop {
        out.push(Candidate {
            key,
            step: Step::Drop(addr),
            description: format!("dropped paragraph {} ({name})", snippet(para)),
        });
    }
}

/// Plans a bullet list's steps. Nested bullets go deepest first, later
/// ones first; a group's first bullet goes with the group, which never
/// stands alone. An entry's top bullets go as its top detail; a
/// section's own list keeps its first two items or goes whole.
pub(super) fn plan_bullets(
    items: &[BulletData],
    at: &Ctx,
    parent: &[usize],
    place: Place,
    name: &str,
    out: &mut Vec<Candidate>,
) {
    for (index, bullet) in items.iter().enumerate() {
        let mut path = parent.to_vec();
        path.push(index);
        let depth = path.len() as i64;
        let length = |runs: &[crate::markup::Run]| markup::plain(runs).chars().count();
        let beyond = place.role.beyond();
        if bullet
            .short
            .as_ref()
            .is_some_and(|short| length(short) < length(&bullet.text))
        {
            out.push(Candidate {
                key: SortKey {
                    deeper_first: -depth,
                    later_first: -(index as i64),
                    ..place.key(Stage::Shorten, bullet.priority, Phase::Nested, beyond)
                },
                step: Step::Shorten(at.bullet(&path)),
                description: format!("shortened bullet {} ({name})", snippet(&bullet.text)),
            });
        }
        plan_bullets(&bullet.items, at, &path, place, name, out);
        let scope = if depth > 1 {
            // A group's first bullet goes with the group.
            (index > 0).then_some(beyond)
        } else if at.part.is_some() {
            Some(beyond)
        } else if at.entry.is_none() {
            (index >= KEPT_ITEMS).then_some(beyond)
        } else if index < place.role.top_bullets() {
            place.role.top()
        } else {
            Some(beyond)
        };
        let Some(scope) = scope.filter(|_| bullet.priority != Priority::Essential) else {
            continue;
        };
        let phase = if depth > 1 {
            Phase::Nested
        } else {
            Phase::Later
        };
        let offset = at.part.map_or(0, |p| 1000 * (p as i64 + 1) + 500);
        out.push(Candidate {
            key: SortKey {
                deeper_first: -depth,
                later_first: -(offset + index as i64),
                ..place.key(Stage::Drop, bullet.priority, phase, scope)
            },
            step: Step::Drop(at.bullet(&path)),
            description: format!("dropped bullet {} ({name})", snippet(&bullet.text)),
        });
    }
}
