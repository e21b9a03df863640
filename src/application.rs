//! Job applications: one profile, cut for one job.
//!
//! An application file (`applications/acme-backend.toml`) names the profile
//! it builds on, the company and the position, and how to tailor the CV:
//! tags to keep and to leave out, a headline and summary for this job, the
//! order of sections, priorities raised or lowered by tag, and the layout,
//! its parameters and the variants. Tailoring is a plain function of the
//! profile, so everything after it (one-page fitting, anonymizing, the leak
//! check) works on the result as on any profile.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::profile::{Bullet, OutputOptions, Priority, Profile, Section, SectionKind};

/// An application, as written.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// The profile it builds on, relative to this file.
    pub profile: PathBuf,
    /// The company applied to.
    pub company: String,
    /// The position applied for.
    pub position: String,
    /// The language its documents are in, one of those the profile lists
    /// in `[output] languages`; unset, the profile's first.
    pub language: Option<String>,
    /// The job posting: its text, or a `.txt` or `.md` file beside the
    /// application that holds it (`posting = "postings/acme.txt"`).
    /// `cvgen check` says which of its terms the documents show, and the
    /// one page keeps what mentions them longest.
    pub posting: Option<String>,
    /// Terms to look for beside the posting's own words ("distributed
    /// systems", "Kubernetes").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Where the application stands.
    pub status: Option<Status>,
    /// When it was sent (YYYY-MM-DD): from then on its documents are kept
    /// as they were sent, whatever changes (`--force` makes them again).
    pub sent: Option<crate::profile::PartialDate>,
    /// How the CV is cut for this job.
    #[serde(default)]
    pub tailor: Tailor,
    /// Layout and parameters for this application, over the profile's own
    /// `[layout]`: `name` picks the layout, other keys are its parameters.
    #[serde(default)]
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub layout: toml::Table,
    /// Which documents to make and what they are called.
    #[serde(default)]
    pub output: OutputOptions,
    /// A cover letter, in the style of the CV.
    pub letter: Option<Letter>,
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Sent,
    Interview,
    Offer,
    Rejected,
    Withdrawn,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Sent => "sent",
            Self::Interview => "interview",
            Self::Offer => "offer",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }
}

impl Application {
    /// Whether it went out: a `sent` date, or a status past draft. Its
    /// documents are then kept as they were.
    pub fn is_sent(&self) -> bool {
        self.sent.is_some() || self.status.is_some_and(|s| s != Status::Draft)
    }

    /// Its status as said, or as its `sent` date implies.
    pub fn status(&self) -> Status {
        self.status.unwrap_or(if self.sent.is_some() {
            Status::Sent
        } else {
            Status::Draft
        })
    }
}

/// A cover letter. The sender is the profile's name and contact details;
/// words left out come from the document's language.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    /// The person the letter goes to, if known.
    pub recipient: Option<String>,
    /// Postal address lines under the recipient; the company when unset.
    #[serde(default)]
    pub address: Vec<String>,
    /// Where the letter is written, before the date ("Berlin").
    pub place: Option<String>,
    /// The letter's date (YYYY-MM-DD); unset, the date of the run (which
    /// `SOURCE_DATE_EPOCH` fixes).
    pub date: Option<crate::profile::PartialDate>,
    /// The subject line; unset, the language's "Application: {position}".
    pub subject: Option<String>,
    /// The opening; unset, "Dear {recipient}," or the language's greeting
    /// to no one in particular.
    pub salutation: Option<String>,
    /// The letter itself: paragraphs of inline Markdown, separated by blank
    /// lines.
    pub body: String,
    /// The closing; unset, the language's ("Kind regards,").
    pub closing: Option<String>,
}

/// How a CV is cut for one job.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tailor {
    /// Keep tagged content only if it carries one of these tags. Untagged
    /// content always stays.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Leave out content that carries any of these tags (this wins over
    /// `tags`).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The headline under the name for this job, instead of the profile's.
    pub label: Option<String>,
    /// A summary for this job (Markdown inline, paragraphs separated by
    /// blank lines): it replaces the body of the profile's first section
    /// when that is a text section, and comes first otherwise.
    pub summary: Option<String>,
    /// Section titles or kinds to print first, in this order, after a
    /// summary at the top (an untitled text section); the others follow in
    /// the profile's order.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Priorities by tag: content carrying the tag gets this priority, so
    /// the one-page version keeps what the job cares about (`high`) and
    /// drops what it does not (`low`) first. With several, the highest.
    #[serde(default)]
    pub priority: BTreeMap<String, Priority>,
}

/// Every tag a profile uses, for checking an application's tags.
pub fn profile_tags(profile: &Profile) -> BTreeSet<String> {
    fn bullets(items: &[Bullet], out: &mut BTreeSet<String>) {
        for bullet in items {
            if let Bullet::Detailed(detailed) = bullet {
                out.extend(detailed.tags.iter().cloned());
                bullets(&detailed.items, out);
            }
        }
    }
    let mut tags = BTreeSet::new();
    for section in &profile.sections {
        tags.extend(section.tags.iter().cloned());
        bullets(&section.items, &mut tags);
        for entry in &section.entries {
            tags.extend(entry.tags.iter().cloned());
            bullets(&entry.highlights, &mut tags);
            for part in &entry.parts {
                bullets(&part.highlights, &mut tags);
            }
        }
    }
    tags
}

/// What tailoring did that the application's author should hear about.
#[derive(Debug, Default)]
pub struct Tailored {
    pub profile: Profile,
    /// Headings of sections the tag filter emptied (and so left out).
    pub emptied: Vec<String>,
    /// `sections` entries that name no section of the profile.
    pub unknown_sections: Vec<String>,
}

/// The profile cut for the application.
pub fn tailor(profile: &Profile, tailor: &Tailor) -> Tailored {
    let filter = Filter { tailor };
    let mut emptied = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    for section in &profile.sections {
        if !filter.keeps(&section.tags) {
            continue;
        }
        let had_content = !section.items.is_empty() || !section.entries.is_empty();
        let section = Section {
            priority: filter.priority(&section.tags, section.priority),
            items: filter.bullets(&section.items),
            entries: section
                .entries
                .iter()
                .filter(|entry| filter.keeps(&entry.tags))
                .map(|entry| {
                    let mut entry = entry.clone();
                    entry.priority = filter.priority(&entry.tags, entry.priority);
                    entry.highlights = filter.bullets(&entry.highlights);
                    for part in &mut entry.parts {
                        part.highlights = filter.bullets(&part.highlights);
                    }
                    entry
                })
                .collect(),
            ..section.clone()
        };
        if had_content
            && section.items.is_empty()
            && section.entries.is_empty()
            && section.body.is_none()
            && section.publications.is_none()
        {
            emptied.push(section.heading().to_owned());
            continue;
        }
        sections.push(section);
    }
    if let Some(summary) = &tailor.summary {
        match sections.first_mut() {
            Some(first) if first.kind == SectionKind::Text => {
                first.body = Some(summary.clone());
                first.short = None;
            }
            _ => sections.insert(
                0,
                Section {
                    title: Some(String::new()),
                    priority: Some(Priority::Essential),
                    body: Some(summary.clone()),
                    ..Section::new(SectionKind::Text)
                },
            ),
        }
    }
    let mut unknown_sections = Vec::new();
    // A summary right under the header (untitled text at the top) stays
    // there; the named sections follow in the order given, then the rest.
    let leading = sections
        .iter()
        .take_while(|s| s.kind == SectionKind::Text && s.heading().is_empty())
        .count();
    let mut ordered: Vec<Section> = sections.drain(..leading).collect();
    for wanted in &tailor.sections {
        let found = sections.iter().position(|s| names(s, wanted));
        match found {
            Some(index) => ordered.push(sections.remove(index)),
            None if !ordered.iter().any(|s| names(s, wanted))
                && !profile.sections.iter().any(|s| names(s, wanted)) =>
            {
                unknown_sections.push(wanted.clone());
            }
            None => {}
        }
    }
    ordered.extend(sections);
    let mut out = profile.clone();
    out.sections = ordered;
    if let Some(label) = &tailor.label {
        out.basics.label = Some(label.clone());
    }
    Tailored {
        profile: out,
        emptied,
        unknown_sections,
    }
}

/// Whether `name` (from `sections`) names the section: its heading or its
/// kind, in any case.
fn names(section: &Section, name: &str) -> bool {
    let kind = serde_json::to_value(section.kind).ok();
    section.heading().eq_ignore_ascii_case(name.trim())
        || kind
            .as_ref()
            .and_then(|k| k.as_str())
            .is_some_and(|k| k.eq_ignore_ascii_case(name.trim()))
}

struct Filter<'a> {
    tailor: &'a Tailor,
}

impl Filter<'_> {
    /// Whether content with these tags stays.
    fn keeps(&self, tags: &[String]) -> bool {
        if tags.iter().any(|t| self.tailor.exclude.contains(t)) {
            return false;
        }
        tags.is_empty()
            || self.tailor.tags.is_empty()
            || tags.iter().any(|t| self.tailor.tags.contains(t))
    }

    /// The priority content with these tags gets: the highest the
    /// application gives one of them, else its own.
    fn priority(&self, tags: &[String], own: Option<Priority>) -> Option<Priority> {
        tags.iter()
            .filter_map(|t| self.tailor.priority.get(t).copied())
            .max()
            .or(own)
    }

    fn bullets(&self, items: &[Bullet]) -> Vec<Bullet> {
        items
            .iter()
            .filter_map(|bullet| match bullet {
                Bullet::Plain(_) => Some(bullet.clone()),
                Bullet::Detailed(detailed) if self.keeps(&detailed.tags) => {
                    let mut detailed = detailed.clone();
                    detailed.priority = self.priority(&detailed.tags, detailed.priority);
                    let had_children = !detailed.items.is_empty();
                    detailed.items = self.bullets(&detailed.items);
                    // A heading bullet whose children all went says nothing.
                    (!had_children || !detailed.items.is_empty())
                        .then_some(Bullet::Detailed(detailed))
                }
                Bullet::Detailed(_) => None,
            })
            .collect()
    }
}

/// The JSON Schema of the application format, pretty-printed.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Application);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::parse;

    const PROFILE: &str = r#"
[basics]
name = "Ada Example"
label = "Software Engineer"

[[section]]
kind = "text"
title = ""
body = "General summary."

[[section]]
kind = "work"

[[section.entries]]
position = "Engineer"
name = "Acme"
highlights = [
  "untagged bullet",
  { text = "built the API", tags = ["backend"] },
  { text = "built the UI", tags = ["frontend"] },
  { text = "ran the team", tags = ["lead"], items = [{ text = "hired ten", tags = ["frontend"] }] },
]

[[section.entries]]
position = "Designer"
name = "Studio"
tags = ["frontend"]
highlights = ["made pictures"]

[[section]]
kind = "projects"
title = "Side projects"

[[section.entries]]
name = "A game"
tags = ["frontend"]
"#;

    fn text(profile: &Profile) -> String {
        serde_json::to_string(profile).unwrap()
    }

    #[test]
    fn tags_keep_what_they_name_and_untagged_content_stays() {
        let profile = parse(PROFILE).unwrap();
        let cut = Tailor {
            tags: vec!["backend".into(), "lead".into()],
            exclude: vec!["frontend".into()],
            label: Some("Backend Engineer".into()),
            sections: vec!["projects".into(), "Experience".into(), "Nowhere".into()],
            priority: [("backend".to_owned(), Priority::High)].into(),
            ..Tailor::default()
        };
        let tailored = tailor(&profile, &cut);
        let out = text(&tailored.profile);
        for kept in ["untagged bullet", "built the API", "General summary."] {
            assert!(out.contains(kept), "{kept} should stay: {out}");
        }
        for gone in [
            "built the UI",
            "made pictures",
            "A game",
            "hired ten",
            "ran the team",
        ] {
            assert!(!out.contains(gone), "{gone} should go: {out}");
        }
        assert_eq!(tailored.emptied, ["Side projects"]);
        assert_eq!(tailored.unknown_sections, ["Nowhere"]);
        assert_eq!(
            tailored.profile.basics.label.as_deref(),
            Some("Backend Engineer")
        );
        // The summary stays on top, then Experience, as asked (projects
        // went with its last entry).
        assert_eq!(tailored.profile.sections[0].kind, SectionKind::Text);
        assert_eq!(tailored.profile.sections[1].kind, SectionKind::Work);
        let Bullet::Detailed(api) = &tailored.profile.sections[1].entries[0].highlights[1] else {
            panic!("a detailed bullet")
        };
        assert_eq!(api.priority, Some(Priority::High));
        assert_eq!(
            profile_tags(&profile).into_iter().collect::<Vec<_>>(),
            ["backend", "frontend", "lead"]
        );
    }

    #[test]
    fn a_summary_replaces_the_first_text_section_or_comes_first() {
        let profile = parse(PROFILE).unwrap();
        let cut = Tailor {
            summary: Some("Backend summary.".into()),
            ..Tailor::default()
        };
        let out = tailor(&profile, &cut).profile;
        assert_eq!(out.sections[0].body.as_deref(), Some("Backend summary."));
        assert_eq!(out.sections.len(), profile.sections.len());
        let mut without = profile.clone();
        without.sections.remove(0);
        let out = tailor(&without, &cut).profile;
        assert_eq!(out.sections[0].body.as_deref(), Some("Backend summary."));
        assert_eq!(out.sections[0].title.as_deref(), Some(""));
    }
}
