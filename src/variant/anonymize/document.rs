//! Redaction of a layout's data: every text a layout prints, after the
//! profile's Markdown was parsed into runs, so that what redaction writes is
//! never read as Markdown again (`Jane(https://x.example)` stays text, and
//! `*[name]*` prints no asterisks). Links whose target is personal lose
//! their target and keep their (redacted) text.
//!
//! Each function takes its struct apart field by field, with no `..`: a
//! field added to the layout data does not compile until it is handled
//! here, so none is ever left out. Dates, kinds and priorities hold no text.

use super::Secrets;
use crate::data::{
    ApplicationData, BasicsData, BulletData, Contact, Document, EntryData, LetterData, PartData,
    SectionData,
};
use crate::markup::{Paragraph, Run};

/// Redacts every text of a document.
pub fn redact_document(document: &mut Document, secrets: &Secrets) {
    let Document {
        variant: _,
        params: _,
        basics,
        sections,
        locale: _,
        application,
        letter,
    } = document;
    redact_basics(basics, secrets);
    for section in sections {
        redact_section(section, secrets);
    }
    if let Some(ApplicationData { company, position }) = application {
        *company = secrets.redact(company);
        *position = secrets.redact(position);
    }
    if let Some(letter) = letter {
        redact_letter(letter, secrets);
    }
}

fn redact_basics(basics: &mut BasicsData, secrets: &Secrets) {
    let BasicsData {
        name: _,
        label,
        contact,
        image,
        image_alt,
    } = basics;
    // The name is the candidate's label by now; contact and photo are gone
    // with the personal fields, and stay gone whatever a caller passed.
    redact_option(label, secrets);
    contact.retain(|Contact { kind, .. }| *kind != "email" && *kind != "phone");
    for Contact {
        kind: _,
        text,
        link,
    } in contact.iter_mut()
    {
        *text = secrets.redact(text);
        redact_link(link, secrets);
    }
    *image = None;
    *image_alt = None;
}

fn redact_section(section: &mut SectionData, secrets: &Secrets) {
    let SectionData {
        kind: _,
        title,
        titled: _,
        subtitle,
        body,
        items,
        entries,
        priority: _,
        short,
    } = section;
    *title = secrets.redact(title);
    redact_option(subtitle, secrets);
    redact_paragraphs(body, secrets);
    redact_bullets(items, secrets);
    for entry in entries {
        redact_entry(entry, secrets);
    }
    if let Some(short) = short {
        redact_paragraphs(short, secrets);
    }
}

fn redact_entry(entry: &mut EntryData, secrets: &Secrets) {
    let EntryData {
        title,
        org,
        location,
        detail,
        url,
        start: _,
        end: _,
        summary,
        highlights,
        parts,
        keywords,
        bibliography: _,
        numbered: _,
        priority: _,
        short,
        recency: _,
    } = entry;
    for text in [title, org, location, detail] {
        redact_option(text, secrets);
    }
    redact_link(url, secrets);
    redact_paragraphs(summary, secrets);
    redact_bullets(highlights, secrets);
    for PartData {
        summary,
        highlights,
    } in parts
    {
        redact_paragraphs(summary, secrets);
        redact_bullets(highlights, secrets);
    }
    for keyword in keywords {
        *keyword = secrets.redact(keyword);
    }
    if let Some(short) = short {
        redact_paragraphs(short, secrets);
    }
}

fn redact_bullets(bullets: &mut [BulletData], secrets: &Secrets) {
    for BulletData {
        text,
        items,
        priority: _,
        short,
    } in bullets
    {
        redact_runs(text, secrets);
        redact_bullets(items, secrets);
        if let Some(short) = short {
            redact_runs(short, secrets);
        }
    }
}

fn redact_letter(letter: &mut LetterData, secrets: &Secrets) {
    let LetterData {
        recipient,
        address,
        place,
        date: _,
        subject,
        salutation,
        body,
        closing,
        signature,
    } = letter;
    for text in [recipient, place, signature] {
        redact_option(text, secrets);
    }
    for line in address {
        *line = secrets.redact(line);
    }
    for text in [subject, salutation, closing] {
        *text = secrets.redact(text);
    }
    redact_paragraphs(body, secrets);
}

fn redact_paragraphs(paragraphs: &mut [Paragraph], secrets: &Secrets) {
    for paragraph in paragraphs {
        redact_runs(paragraph, secrets);
    }
}

fn redact_runs(runs: &mut Vec<Run>, secrets: &Secrets) {
    for Run {
        text,
        strong: _,
        emph: _,
        code: _,
        link,
        hyphenate: _,
    } in runs.iter_mut()
    {
        *text = secrets.redact(text);
        redact_link(link, secrets);
    }
    // A value split across styles ("Ja**ne**") is in no run whole: the
    // paragraph then becomes one plain run, redacted as a whole. Its
    // styles are lost; the value is not.
    if runs.len() > 1 {
        let joined: String = runs.iter().map(|run| run.text.as_str()).collect();
        if secrets.find(&joined).is_some() {
            *runs = vec![Run {
                text: secrets.redact(&joined),
                strong: false,
                emph: false,
                code: false,
                link: None,
                hyphenate: false,
            }];
        }
    }
}

/// A link keeps its target unless the target is personal: an address of
/// the person's, any email or phone link, or one naming them.
fn redact_link(link: &mut Option<String>, secrets: &Secrets) {
    let personal = link.as_deref().is_some_and(|target| {
        let lower = target.to_ascii_lowercase();
        lower.starts_with("mailto:")
            || lower.starts_with("tel:")
            || secrets.redact(target) != target
    });
    if personal {
        *link = None;
    }
}

fn redact_option(text: &mut Option<String>, secrets: &Secrets) {
    if let Some(text) = text {
        *text = secrets.redact(text);
    }
}
