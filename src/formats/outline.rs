//! A document's content in reading order, as the formats beside the PDF
//! write it: the same layout data the PDF was typeset from (tailored,
//! fitted, redacted), walked once here so that Word, plain text and
//! Markdown cannot tell different stories. The order and the words follow
//! the built-in layouts (`layouts/lib/cv.typ`): the header, then the
//! sections in `section_order`, each entry's head with its dates on its
//! first line.

use crate::data::{BulletData, DateData, Document, EntryData, LetterData, SectionData};
use crate::layout::language::Words;
use crate::markup::{Paragraph, Run};
use crate::profile::SectionKind;

/// What a paragraph is, which decides its style in each format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The person's name.
    Title,
    /// The headline under it.
    Headline,
    /// The contact line.
    Contact,
    /// A section's heading.
    Heading,
    /// An entry's first line: what, and when.
    EntryHead,
    /// An entry's second line: with whom, where, detail.
    EntryWhere,
    /// Running text.
    Body,
    /// A skill-like line in column `n` (from 0) of a layout that sets
    /// them side by side (`skill_columns`), each column filled down
    /// before the next, so that reading column by column keeps the order.
    Column(usize),
    /// A list item, nested `level` deep (0 at the top).
    Bullet(usize),
    /// A letter's recipient and address, a line each.
    Address,
    /// A letter's place and date.
    Date,
    /// A letter's subject.
    Subject,
}

/// One paragraph of the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub role: Role,
    pub runs: Vec<Run>,
}

pub fn run(text: &str) -> Run {
    Run {
        text: text.to_owned(),
        strong: false,
        emph: false,
        code: false,
        link: None,
        hyphenate: false,
    }
}

fn strong(text: &str) -> Run {
    Run {
        strong: true,
        ..run(text)
    }
}

fn emph(text: &str) -> Run {
    Run {
        emph: true,
        ..run(text)
    }
}

/// The document's content in reading order.
pub fn outline(document: &Document) -> Vec<Block> {
    let mut out = Outline {
        blocks: Vec::new(),
        words: &document.locale.words,
        dates: DateStyle::of(document),
        skill_columns: document
            .params
            .get("skill_columns")
            .and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()))
            .map_or(1, |n: f64| n.clamp(1.0, 4.0) as usize),
    };
    out.header(document);
    match &document.letter {
        Some(letter) => out.letter(letter),
        None => {
            for section in ordered(&document.sections, &document.params) {
                out.section(section);
            }
        }
    }
    out.blocks
}

struct Outline<'a> {
    blocks: Vec<Block>,
    skill_columns: usize,
    words: &'a Words,
    dates: DateStyle<'a>,
}

impl Outline<'_> {
    fn push(&mut self, role: Role, runs: Vec<Run>) {
        if runs.iter().any(|r| !r.text.trim().is_empty()) {
            self.blocks.push(Block { role, runs });
        }
    }

    fn header(&mut self, document: &Document) {
        let basics = &document.basics;
        if let Some(name) = &basics.name {
            self.push(Role::Title, vec![run(name)]);
        }
        if let Some(label) = &basics.label {
            self.push(Role::Headline, vec![run(label)]);
        }
        let mut contact = Vec::new();
        for (i, item) in basics.contact.iter().enumerate() {
            if i > 0 {
                contact.push(run(" · "));
            }
            contact.push(Run {
                link: item.link.clone(),
                ..run(&item.text)
            });
        }
        self.push(Role::Contact, contact);
    }

    fn section(&mut self, section: &SectionData) {
        let title = section_title(section, self.words);
        if !title.is_empty() {
            self.push(Role::Heading, vec![run(&title)]);
        }
        if let Some(subtitle) = &section.subtitle {
            self.push(Role::Body, vec![emph(subtitle)]);
        }
        self.paragraphs(&section.body);
        self.bullets(&section.items, 0);
        let keyword_like = matches!(
            section.kind,
            SectionKind::Skills
                | SectionKind::Languages
                | SectionKind::Interests
                | SectionKind::Personal
        );
        let entries = section.entries.len();
        // Columns only as the layouts set them (`skill-grid`): while they
        // fit on a page.
        let per = match keyword_like && self.skill_columns > 1 && (2..=24).contains(&entries) {
            true => Some(entries.div_ceil(self.skill_columns)),
            false => None,
        };
        for (index, entry) in section.entries.iter().enumerate() {
            match (keyword_like, per) {
                (true, Some(per)) => self.keyword_line(entry, Role::Column(index / per)),
                (true, None) => self.keyword_line(entry, Role::Body),
                (false, _) => self.entry(entry),
            }
        }
    }

    fn paragraphs(&mut self, paragraphs: &[Paragraph]) {
        for paragraph in paragraphs {
            self.push(Role::Body, paragraph.clone());
        }
    }

    fn bullets(&mut self, items: &[BulletData], level: usize) {
        for item in items {
            self.push(Role::Bullet(level), item.text.clone());
            self.bullets(&item.items, level + 1);
        }
    }

    /// "Name (level): a, b, c" and its summary, as `keyword-line` prints it.
    fn keyword_line(&mut self, entry: &EntryData, role: Role) {
        let name = match (&entry.title, &entry.detail) {
            (Some(title), Some(detail)) => Some(format!("{title} ({detail})")),
            (title, detail) => title.clone().or(detail.clone()),
        };
        let details = !entry.keywords.is_empty() || !entry.summary.is_empty();
        let mut runs = Vec::new();
        if let Some(name) = name {
            match details {
                true => runs.extend([strong(&format!("{name}:")), run(" ")]),
                false => runs.push(strong(&name)),
            }
        }
        if !entry.keywords.is_empty() {
            runs.push(run(&entry.keywords.join(", ")));
        }
        for paragraph in &entry.summary {
            if !runs.is_empty() {
                runs.push(run(" "));
            }
            runs.extend(paragraph.iter().cloned());
        }
        self.push(role, runs);
    }

    fn entry(&mut self, entry: &EntryData) {
        let when = self.dates.range(entry.start.as_ref(), entry.end.as_ref());
        let what = entry.title.as_ref().or(entry.org.as_ref());
        let mut head = Vec::new();
        if let Some(what) = what {
            head.push(strong(what));
        }
        if let Some(when) = &when {
            if what.is_some() {
                head.push(run(" | "));
            }
            head.push(run(when));
        }
        self.push(Role::EntryHead, head);
        let mut place = Vec::new();
        let mut add = |r: Run| {
            if !place.is_empty() {
                place.push(run(" · "));
            }
            place.push(r);
        };
        if let (Some(_), Some(org)) = (&entry.title, &entry.org) {
            add(emph(org));
        }
        if let Some(location) = &entry.location {
            add(run(location));
        }
        if let Some(detail) = &entry.detail {
            add(run(detail));
        }
        if let Some(url) = &entry.url {
            add(Run {
                link: Some(url.clone()),
                ..run(url)
            });
        }
        self.push(Role::EntryWhere, place);
        self.paragraphs(&entry.summary);
        self.bullets(&entry.highlights, 0);
        for part in &entry.parts {
            self.paragraphs(&part.summary);
            self.bullets(&part.highlights, 0);
        }
        if !entry.keywords.is_empty() {
            self.push(Role::Body, vec![emph(&entry.keywords.join(", "))]);
        }
    }

    fn letter(&mut self, letter: &LetterData) {
        if let Some(recipient) = &letter.recipient {
            self.push(Role::Address, vec![run(recipient)]);
        }
        for line in &letter.address {
            self.push(Role::Address, vec![run(line)]);
        }
        let date = match &letter.place {
            Some(place) => format!("{place}, {}", letter.date),
            None => letter.date.clone(),
        };
        self.push(Role::Date, vec![run(&date)]);
        self.push(Role::Subject, vec![strong(&letter.subject)]);
        self.push(Role::Body, vec![run(&letter.salutation)]);
        self.paragraphs(&letter.body);
        self.push(Role::Body, vec![run(&letter.closing)]);
        if let Some(signature) = &letter.signature {
            self.push(Role::Body, vec![run(signature)]);
        }
    }
}

/// A section's heading: the profile's title, or the kind's name in the
/// document's language (`section-title`).
fn section_title(section: &SectionData, words: &Words) -> String {
    if section.titled {
        return section.title.clone();
    }
    words
        .titles
        .get(kind_name(section.kind).as_str())
        .cloned()
        .unwrap_or_else(|| section.title.clone())
}

fn kind_name(kind: SectionKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Sections in the order `section_order` asks for (titles or kinds), the
/// rest in profile order (`ordered`).
fn ordered<'a>(
    sections: &'a [SectionData],
    params: &serde_json::Map<String, serde_json::Value>,
) -> Vec<&'a SectionData> {
    let wanted: Vec<String> = params
        .get("section_order")
        .and_then(|v| v.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_lowercase))
                .collect()
        })
        .unwrap_or_default();
    let key = |s: &SectionData| {
        let title = s.title.to_lowercase();
        if wanted.contains(&title) {
            title
        } else {
            kind_name(s.kind)
        }
    };
    let mut picked: Vec<&SectionData> = Vec::new();
    for name in &wanted {
        picked.extend(sections.iter().filter(|s| key(s) == *name));
    }
    picked.extend(sections.iter().filter(|s| !wanted.contains(&key(s))));
    picked
}

/// How dates read, from the layout's parameters (`date-options`).
struct DateStyle<'a> {
    style: String,
    present: Option<String>,
    words: &'a Words,
}

impl<'a> DateStyle<'a> {
    fn of(document: &'a Document) -> Self {
        let text = |key: &str| {
            document
                .params
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        Self {
            style: text("date_format").unwrap_or_else(|| "short".into()),
            present: text("present").filter(|p| !p.is_empty()),
            words: &document.locale.words,
        }
    }

    /// One date, as `format-date` writes it.
    fn date(&self, date: &DateData) -> String {
        let (year, month) = match date {
            DateData::Present(_) => {
                return self
                    .present
                    .clone()
                    .unwrap_or_else(|| self.words.present.clone());
            }
            DateData::Date { year, month, .. } => (*year, *month),
        };
        let Some(month) = month.filter(|_| self.style != "year") else {
            return year.to_string();
        };
        if self.style == "numeric" {
            return format!("{month:02}/{year}");
        }
        let names = match self.style.as_str() {
            "long" => &self.words.months,
            _ => &self.words.short_months,
        };
        let index = usize::from(month.clamp(1, 12)) - 1;
        self.words
            .date
            .replace("{month}", &names[index])
            .replace("{year}", &year.to_string())
    }

    /// "start – end", or whichever exists (`date-range`).
    fn range(&self, start: Option<&DateData>, end: Option<&DateData>) -> Option<String> {
        let from = start.map(|d| self.date(d));
        let to = end.map(|d| self.date(d));
        match (from, to) {
            (Some(from), Some(to)) if from != to => Some(format!("{from} – {to}")),
            (Some(from), _) => Some(from),
            (None, to) => to,
        }
    }
}

/// Text with line breaks and runs of spaces as single spaces (kept at the
/// edges, where a run meets the next): a paragraph's lines in a profile are
/// one paragraph.
pub fn flat(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            space = false;
            out.push(c);
        }
    }
    out
}
