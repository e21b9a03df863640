//! The data a layout reads: a profile turned into plain JSON, with Markdown
//! parsed into runs and each entry normalised to the same few fields whatever
//! its section kind, so layouts stay short. Layouts read it with
//! `json("/cv.json")`; it is never turned into Typst source.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::layout::Language;
use crate::layout::language::{self, Words, fill};
use crate::markup::{self, Paragraph};
use crate::photo::PHOTO_PATH;
use crate::profile::{
    Basics, Bullet, DateBound, Entry, PartialDate, Priority, Profile, Section, SectionKind,
};
use crate::typst::fonts::Fallbacks;

/// Everything one document is made from.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Which variant this is: `long`, `onepage`, `anon`, `anon-onepage`.
    pub variant: &'static str,
    /// The layout's parameters, checked and converted.
    pub params: Map<String, Json>,
    pub basics: BasicsData,
    pub sections: Vec<SectionData>,
    /// The language: its code, direction, fixed words and fonts.
    #[serde(flatten)]
    pub locale: Locale,
    /// The job applied for, when the document belongs to an application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<ApplicationData>,
    /// The cover letter, when the document is one (its `sections` are then
    /// empty): layouts print it under their header instead of sections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<LetterData>,
}

/// The job a document is for.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationData {
    pub company: String,
    pub position: String,
}

/// A cover letter, every word resolved: the language's where the
/// application gave none.
#[derive(Debug, Clone, Serialize)]
pub struct LetterData {
    pub recipient: Option<String>,
    /// Address lines under the recipient (the company when none given).
    pub address: Vec<String>,
    pub place: Option<String>,
    /// The date, written out in the language.
    pub date: String,
    pub subject: String,
    pub salutation: String,
    pub body: Vec<Paragraph>,
    pub closing: String,
    /// The sender's name under the closing.
    pub signature: Option<String>,
}

/// Builds a letter's data (an anonymized letter is redacted afterwards,
/// like every document).
pub fn letter(
    letter: &crate::application::Letter,
    application: &ApplicationData,
    sender: Option<&str>,
    date: (i32, u8, u8),
    words: &Words,
) -> LetterData {
    let recipient = letter.recipient.clone();
    let address = if letter.address.is_empty() {
        vec![application.company.clone()]
    } else {
        letter.address.clone()
    };
    let (year, month, day) = date;
    // With a day, a month is named as the language does then ("5 сентября").
    let month_name = words
        .day_months
        .get(usize::from(month.clamp(1, 12)) - 1)
        .cloned()
        .unwrap_or_default();
    let date = fill(
        &words.letter.date,
        &[
            ("day", &day.to_string()),
            ("month", &month_name),
            ("year", &year.to_string()),
        ],
    );
    let subject = letter.subject.clone().unwrap_or_else(|| {
        fill(
            &words.letter.subject,
            &[("position", &application.position)],
        )
    });
    let salutation = letter
        .salutation
        .clone()
        .unwrap_or_else(|| match &recipient {
            Some(name) => fill(&words.letter.dear, &[("name", name)]),
            None => words.letter.greeting.clone(),
        });
    LetterData {
        recipient,
        address,
        place: letter.place.clone(),
        date,
        subject,
        salutation,
        body: markup::paragraphs(&letter.body),
        closing: letter
            .closing
            .clone()
            .unwrap_or_else(|| words.letter.closing.clone()),
        signature: sender.map(str::to_owned),
    }
}

/// What a document's language decides.
#[derive(Debug, Clone, Serialize)]
pub struct Locale {
    pub lang: LangData,
    /// The fixed words (headings, months, page labels).
    pub words: Words,
    /// Font families to fall back on, by style, installed ones only.
    pub fonts: Fallbacks,
}

/// A language as Typst's `text(lang:, region:, dir:)` takes it.
#[derive(Debug, Clone, Serialize)]
pub struct LangData {
    /// The language file's code: `de`, `zh-TW`.
    pub code: String,
    /// ISO 639: `zh`.
    pub lang: String,
    /// ISO 3166 region, if the code has one: `TW`.
    pub region: Option<String>,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
}

impl Locale {
    pub fn new(language: &Language, fonts: Fallbacks) -> Self {
        Self {
            lang: LangData {
                code: language.code.clone(),
                lang: language.lang().to_owned(),
                region: language.region().map(str::to_owned),
                dir: if language.is_right_to_left() {
                    "rtl"
                } else {
                    "ltr"
                },
            },
            words: language.words.clone(),
            fonts,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BasicsData {
    pub name: Option<String>,
    pub label: Option<String>,
    /// The contact line, in order.
    pub contact: Vec<Contact>,
    /// Virtual path of the photo (metadata-free, square), if any.
    pub image: Option<String>,
    /// The photo's description for screen readers, in the document's
    /// language ("Photo of Ada Example"), when there is a photo.
    pub image_alt: Option<String>,
}

/// One item of the contact line.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    /// `email`, `phone`, `url`, `location` or `profile`.
    pub kind: &'static str,
    pub text: String,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionData {
    pub kind: SectionKind,
    /// The profile's title, else the kind's English default; empty when
    /// the section has no heading.
    pub title: String,
    /// Whether the profile gave the title; if not, layouts may use the
    /// kind's name in the document's language.
    pub titled: bool,
    pub subtitle: Option<String>,
    pub body: Vec<Paragraph>,
    pub items: Vec<BulletData>,
    pub entries: Vec<EntryData>,
    /// What a one-page version keeps first (inherited by what is inside).
    #[serde(skip)]
    pub priority: Priority,
    /// A shorter alternative to `body`.
    #[serde(skip)]
    pub short: Option<Vec<Paragraph>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BulletData {
    pub text: Paragraph,
    pub items: Vec<BulletData>,
    #[serde(skip)]
    pub priority: Priority,
    /// A shorter alternative to `text`.
    #[serde(skip)]
    pub short: Option<Paragraph>,
}

/// An entry, normalised: `title` is what it is (a position, a degree, an
/// award), `org` who it was with, `detail` a short qualifier (level, score).
#[derive(Debug, Clone, Default, Serialize)]
pub struct EntryData {
    pub title: Option<String>,
    pub org: Option<String>,
    pub location: Option<String>,
    pub detail: Option<String>,
    pub url: Option<String>,
    pub start: Option<DateData>,
    pub end: Option<DateData>,
    pub summary: Vec<Paragraph>,
    pub highlights: Vec<BulletData>,
    pub parts: Vec<PartData>,
    pub keywords: Vec<String>,
    /// A reference formatted from the section's bibliography: its one
    /// paragraph of `summary` is the whole entry, printed without a head.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub bibliography: bool,
    /// A reference whose style numbered it ("[3] ..."); a layout that
    /// numbers references leaves it as it is.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub numbered: bool,
    #[serde(skip)]
    pub priority: Priority,
    /// A shorter alternative to `summary`.
    #[serde(skip)]
    pub short: Option<Vec<Paragraph>>,
    /// When it ended (or started), for "older entries go first"; ongoing
    /// entries sort last.
    #[serde(skip)]
    pub recency: Option<(i32, u8)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartData {
    pub summary: Vec<Paragraph>,
    pub highlights: Vec<BulletData>,
}

/// A date for layouts to format: year, optional month and day; or the
/// string "present".
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum DateData {
    Date {
        year: i32,
        month: Option<u8>,
        day: Option<u8>,
    },
    Present(&'static str),
}

impl From<PartialDate> for DateData {
    fn from(date: PartialDate) -> Self {
        Self::Date {
            year: date.year,
            month: date.month,
            day: date.day,
        }
    }
}

impl From<DateBound> for DateData {
    fn from(bound: DateBound) -> Self {
        match bound {
            DateBound::Date(date) => date.into(),
            DateBound::Present => Self::Present("present"),
        }
    }
}

/// Builds a layout's data from a profile.
pub fn document(
    profile: &Profile,
    variant: &'static str,
    params: Map<String, Json>,
    locale: &Locale,
) -> Document {
    Document {
        variant,
        params,
        basics: basics(&profile.basics, &locale.words),
        sections: profile
            .sections
            .iter()
            .map(|s| section(s, &locale.words))
            .collect(),
        locale: locale.clone(),
        application: None,
        letter: None,
    }
}

fn basics(basics: &Basics, words: &Words) -> BasicsData {
    let mut contact = Vec::new();
    if let Some(email) = nonempty(&basics.email) {
        contact.push(Contact {
            kind: "email",
            text: email.clone(),
            link: allowed(format!("mailto:{email}")),
        });
    }
    if let Some(phone) = nonempty(&basics.phone) {
        let digits: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        contact.push(Contact {
            kind: "phone",
            text: phone.clone(),
            link: allowed(format!("tel:{digits}")),
        });
    }
    if let Some(url) = nonempty(&basics.url) {
        contact.push(Contact {
            kind: "url",
            text: strip_scheme(url),
            link: allowed(url.clone()),
        });
    }
    if let Some(location) = &basics.location {
        let parts = [
            &location.address,
            &location.city,
            &location.region,
            &location.country,
        ];
        let text = parts
            .iter()
            .filter_map(|p| nonempty(p))
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if !text.is_empty() {
            contact.push(Contact {
                kind: "location",
                text,
                link: None,
            });
        }
    }
    for profile in &basics.profiles {
        let text = match (
            nonempty(&profile.url),
            nonempty(&profile.network),
            nonempty(&profile.username),
        ) {
            (Some(url), _, _) => strip_scheme(url),
            (None, Some(network), Some(user)) => format!("{network}: {user}"),
            (None, _, Some(user)) => user.clone(),
            (None, Some(network), None) => network.clone(),
            (None, None, None) => continue,
        };
        contact.push(Contact {
            kind: "profile",
            text,
            link: profile.url.clone().and_then(allowed),
        });
    }
    BasicsData {
        name: nonempty(&basics.name).cloned(),
        label: nonempty(&basics.label).cloned(),
        contact,
        // The re-encoded copy, never the file itself (see `photo`).
        image: basics.image.as_ref().map(|_| PHOTO_PATH.to_owned()),
        image_alt: basics.image.as_ref().map(|_| {
            let name = nonempty(&basics.name).map_or("", String::as_str);
            fill(&words.photo, &[("name", name)]).trim().to_owned()
        }),
    }
}

fn section(section: &Section, words: &Words) -> SectionData {
    let priority = section.priority.unwrap_or_default();
    SectionData {
        kind: section.kind,
        title: section.heading().to_owned(),
        titled: section.title.is_some(),
        subtitle: section.subtitle.clone(),
        body: section
            .body
            .as_deref()
            .map(markup::paragraphs)
            .unwrap_or_default(),
        items: bullets(&section.items, priority),
        entries: section
            .entries
            .iter()
            .map(|e| entry(section.kind, e, priority, words))
            .chain(
                section
                    .publications
                    .iter()
                    .flat_map(|p| &p.shown)
                    .map(|r| EntryData {
                        summary: vec![r.text.clone()],
                        bibliography: true,
                        numbered: r.numbered,
                        priority,
                        recency: r.date,
                        ..EntryData::default()
                    }),
            )
            .collect(),
        priority,
        short: section.short.as_deref().map(markup::paragraphs),
    }
}

fn bullets(items: &[Bullet], inherited: Priority) -> Vec<BulletData> {
    items
        .iter()
        .map(|item| {
            let (priority, short) = match item {
                Bullet::Plain(_) => (inherited, None),
                Bullet::Detailed(b) => (
                    b.priority.unwrap_or(inherited),
                    b.short.as_deref().map(markup::inline),
                ),
            };
            BulletData {
                text: markup::inline(item.text()),
                items: bullets(item.items(), priority),
                priority,
                short,
            }
        })
        .collect()
}

fn entry(kind: SectionKind, e: &Entry, inherited: Priority, words: &Words) -> EntryData {
    let priority = e.priority.unwrap_or(inherited);
    let first = |options: &[&Option<String>]| options.iter().find_map(|o| nonempty(o)).cloned();
    let (title, org, detail) = match kind {
        SectionKind::Work => (
            first(&[&e.position]),
            first(&[&e.name]),
            first(&[&e.description]),
        ),
        SectionKind::Volunteer => (
            first(&[&e.position]),
            first(&[&e.organization, &e.name]),
            None,
        ),
        SectionKind::Education => {
            let degree = match (nonempty(&e.study_type), nonempty(&e.area)) {
                (Some(kind), Some(area)) => Some(language::fill(
                    &words.degree,
                    &[("type", kind), ("area", area)],
                )),
                (kind, area) => kind.or(area).cloned(),
            };
            (degree, first(&[&e.institution]), first(&[&e.score]))
        }
        SectionKind::Awards => (first(&[&e.title]), first(&[&e.awarder]), None),
        SectionKind::Certificates => (first(&[&e.name, &e.title]), first(&[&e.issuer]), None),
        SectionKind::Publications => (first(&[&e.name, &e.title]), first(&[&e.publisher]), None),
        SectionKind::Projects => (
            first(&[&e.name]),
            first(&[&e.entity]),
            first(&[&e.description]),
        ),
        SectionKind::Talks => (
            first(&[&e.title, &e.name]),
            first(&[&e.organization, &e.publisher]),
            None,
        ),
        SectionKind::Grants => (
            first(&[&e.title, &e.name]),
            first(&[&e.awarder, &e.organization]),
            first(&[&e.description]),
        ),
        SectionKind::Teaching => {
            let course = first(&[&e.name, &e.title]);
            let role = first(&[&e.position, &e.description]);
            let org = first(&[&e.institution, &e.organization]);
            match course {
                Some(course) => (Some(course), org, role),
                None => (role, org, None),
            }
        }
        SectionKind::Supervision => (
            first(&[&e.name]),
            first(&[&e.institution, &e.organization]),
            first(&[&e.study_type, &e.description]),
        ),
        SectionKind::Skills => (first(&[&e.name]), None, first(&[&e.level])),
        SectionKind::Languages => (first(&[&e.language, &e.name]), None, first(&[&e.fluency])),
        SectionKind::Interests | SectionKind::References | SectionKind::Personal => {
            (first(&[&e.name]), None, None)
        }
        SectionKind::Text | SectionKind::List => (
            first(&[&e.title, &e.position, &e.name]),
            first(&[&e.organization]),
            None,
        ),
    };
    let summary_text = match kind {
        SectionKind::References => e.reference.as_deref().or(e.summary.as_deref()),
        _ => e.summary.as_deref(),
    };
    let start = e
        .start_date
        .or(e.date)
        .or(e.release_date)
        .map(DateData::from);
    let mut keywords = Vec::new();
    if kind == SectionKind::Personal {
        keywords.extend(nonempty(&e.description).cloned());
    }
    keywords.extend(e.keywords.iter().cloned());
    keywords.extend(e.roles.iter().cloned());
    keywords.extend(e.courses.iter().cloned());
    EntryData {
        title,
        org,
        location: nonempty(&e.location).cloned(),
        detail,
        url: nonempty(&e.url).cloned().and_then(allowed),
        start,
        end: e.end_date.map(DateData::from),
        summary: summary_text.map(markup::paragraphs).unwrap_or_default(),
        highlights: bullets(&e.highlights, priority),
        parts: e
            .parts
            .iter()
            .map(|part| PartData {
                summary: part
                    .summary
                    .as_deref()
                    .map(markup::paragraphs)
                    .unwrap_or_default(),
                highlights: bullets(&part.highlights, priority),
            })
            .collect(),
        keywords,
        bibliography: false,
        numbered: false,
        priority,
        short: e.short.as_deref().map(markup::paragraphs),
        recency: recency(e),
    }
}

/// The date an entry is "as of": its end, or its start; ongoing is newest.
fn recency(e: &Entry) -> Option<(i32, u8)> {
    let date = |d: PartialDate| (d.year, d.month.unwrap_or(0));
    match e.end_date {
        Some(DateBound::Present) => Some((i32::MAX, 0)),
        Some(DateBound::Date(end)) => Some(date(end)),
        None => e.start_date.or(e.date).or(e.release_date).map(date),
    }
}

/// A link target, if it is one cvgen puts in a PDF (checking refuses the
/// others earlier; this keeps them out whatever the path).
fn allowed(url: String) -> Option<String> {
    crate::link::is_allowed(&url).then_some(url)
}

fn nonempty(value: &Option<String>) -> Option<&String> {
    value.as_ref().filter(|v| !v.trim().is_empty())
}

/// `https://www.example.org/` reads as `www.example.org`.
fn strip_scheme(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.trim_end_matches('/').to_owned()
}
