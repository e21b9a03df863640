//! JSON Resume (v1.0.0, jsonresume.org): import into a profile and export
//! from one. cvgen's profile format grew from JSON Resume, so nearly every
//! field has a home of the same name: `startDate` is `start_date`, each
//! array a section of its kind. What has none (`meta`, a project's `type`,
//! an image given as a URL) is reported and kept, as comments, at the top
//! of the imported file; what a profile holds that JSON Resume cannot
//! (free-form sections, priorities, tags, short forms) is reported on
//! export.

use serde_json::{Map, Value as Json, json};

use super::Notes;
use crate::profile::{
    Basics, Bullet, DateBound, Entry, Location, PartialDate, Profile, Section, SectionKind,
    SocialProfile,
};

/// The JSON Resume arrays, in the order JSON Resume lists them, with the
/// section kind each becomes.
const SECTIONS: [(&str, SectionKind); 11] = [
    ("work", SectionKind::Work),
    ("volunteer", SectionKind::Volunteer),
    ("education", SectionKind::Education),
    ("awards", SectionKind::Awards),
    ("certificates", SectionKind::Certificates),
    ("publications", SectionKind::Publications),
    ("skills", SectionKind::Skills),
    ("languages", SectionKind::Languages),
    ("interests", SectionKind::Interests),
    ("references", SectionKind::References),
    ("projects", SectionKind::Projects),
];

/// Kinds whose entries run from a start to an end: a missing `endDate`
/// after a `startDate` means the entry is ongoing.
const PERIODS: [SectionKind; 3] = [
    SectionKind::Work,
    SectionKind::Volunteer,
    SectionKind::Projects,
];

/// Reads a JSON Resume document into a profile.
pub fn import(resume: &Json, notes: &mut Notes) -> Profile {
    let Json::Object(resume) = resume else {
        notes.push(
            "",
            "a JSON Resume document is an object; nothing was imported",
        );
        return Profile::default();
    };
    let mut resume = resume.clone();
    resume.remove("$schema");
    let mut profile = Profile::default();
    if let Some(basics) = resume.remove("basics") {
        let mut basics = object(basics, "basics", notes);
        profile.basics = import_basics(&mut basics, notes);
        if let Some(summary) = text(&mut basics, "summary", "basics", notes) {
            profile.sections.push(Section {
                title: Some(String::new()),
                body: Some(summary),
                ..Section::new(SectionKind::Text)
            });
        }
        leftovers(&basics, "basics", notes);
    }
    for (key, kind) in SECTIONS {
        let Some(items) = resume.remove(key) else {
            continue;
        };
        let Json::Array(items) = items else {
            notes.push(key, "is not an array; not imported");
            continue;
        };
        let entries: Vec<Entry> = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let at = format!("{key}[{i}]");
                let mut item = object(item, &at, notes);
                let entry = import_entry(&mut item, kind, &at, notes);
                leftovers(&item, &at, notes);
                entry
            })
            .collect();
        if !entries.is_empty() {
            profile.sections.push(Section {
                entries,
                ..Section::new(kind)
            });
        }
    }
    leftovers(&resume, "", notes);
    profile
}

fn import_basics(basics: &mut Map<String, Json>, notes: &mut Notes) -> Basics {
    let at = "basics";
    let mut out = Basics {
        name: text(basics, "name", at, notes),
        label: text(basics, "label", at, notes),
        email: text(basics, "email", at, notes),
        phone: text(basics, "phone", at, notes),
        url: link(basics, "url", at, notes),
        ..Basics::default()
    };
    // Personal details JSON Resume has no field for, under the names
    // extensions of it use: kept, so that anonymized variants drop them.
    for key in ["birthDate", "dateOfBirth", "birthdate"] {
        if let Some(date) = text(basics, key, at, notes) {
            match date.get(..10).unwrap_or(&date).parse() {
                Ok(date) => out.birth_date = Some(date),
                Err(_) => notes.kept(&join(at, key), &Json::String(date), "is not a date"),
            }
        }
    }
    for key in ["placeOfBirth", "birthPlace"] {
        out.birth_place = out.birth_place.take().or(text(basics, key, at, notes));
    }
    out.nationality = text(basics, "nationality", at, notes);
    out.gender = text(basics, "gender", at, notes);
    out.marital_status = text(basics, "maritalStatus", at, notes);
    if let Some(image) = text(basics, "image", at, notes) {
        if image.contains("://") {
            notes.kept(
                "basics.image",
                &Json::String(image),
                "a photo must be a file beside the profile: download it and set basics.image",
            );
        } else {
            out.image = Some(image.into());
        }
    }
    if let Some(location) = basics.remove("location") {
        let at = "basics.location";
        let mut location = object(location, at, notes);
        let imported = Location {
            address: text(&mut location, "address", at, notes),
            postal_code: text(&mut location, "postalCode", at, notes),
            city: text(&mut location, "city", at, notes),
            region: text(&mut location, "region", at, notes),
            country: None,
            country_code: text(&mut location, "countryCode", at, notes),
        };
        leftovers(&location, at, notes);
        let empty = imported.address.is_none()
            && imported.postal_code.is_none()
            && imported.city.is_none()
            && imported.region.is_none()
            && imported.country_code.is_none();
        out.location = (!empty).then_some(imported);
    }
    if let Some(profiles) = basics.remove("profiles") {
        for (i, item) in array(profiles, "basics.profiles", notes)
            .into_iter()
            .enumerate()
        {
            let at = format!("basics.profiles[{i}]");
            let mut item = object(item, &at, notes);
            let profile = SocialProfile {
                network: text(&mut item, "network", &at, notes),
                username: text(&mut item, "username", &at, notes),
                url: link(&mut item, "url", &at, notes),
            };
            leftovers(&item, &at, notes);
            if profile.network.is_some() || profile.username.is_some() || profile.url.is_some() {
                out.profiles.push(profile);
            }
        }
    }
    out
}

fn import_entry(
    item: &mut Map<String, Json>,
    kind: SectionKind,
    at: &str,
    notes: &mut Notes,
) -> Entry {
    let mut entry = Entry {
        name: text(item, "name", at, notes),
        organization: text(item, "organization", at, notes),
        position: text(item, "position", at, notes),
        description: text(item, "description", at, notes),
        location: text(item, "location", at, notes),
        institution: text(item, "institution", at, notes),
        area: text(item, "area", at, notes),
        study_type: text(item, "studyType", at, notes),
        score: text(item, "score", at, notes),
        courses: texts(item, "courses", at, notes),
        title: text(item, "title", at, notes),
        awarder: text(item, "awarder", at, notes),
        issuer: text(item, "issuer", at, notes),
        publisher: text(item, "publisher", at, notes),
        release_date: date(item, "releaseDate", at, notes),
        date: date(item, "date", at, notes),
        level: text(item, "level", at, notes),
        language: text(item, "language", at, notes),
        fluency: text(item, "fluency", at, notes),
        keywords: texts(item, "keywords", at, notes),
        roles: texts(item, "roles", at, notes),
        entity: text(item, "entity", at, notes),
        reference: text(item, "reference", at, notes),
        url: link(item, "url", at, notes),
        start_date: date(item, "startDate", at, notes),
        summary: text(item, "summary", at, notes),
        highlights: texts(item, "highlights", at, notes)
            .into_iter()
            .map(Bullet::Plain)
            .collect(),
        ..Entry::default()
    };
    entry.end_date = match text(item, "endDate", at, notes) {
        Some(end) => match end.parse::<DateBound>() {
            Ok(end) => Some(end),
            Err(err) => {
                notes.kept(&format!("{at}.endDate"), &Json::String(end), &err);
                None
            }
        },
        None if entry.start_date.is_some() && PERIODS.contains(&kind) => Some(DateBound::Present),
        None => None,
    };
    entry
}

/// Exports a profile as a JSON Resume document.
pub fn export(profile: &Profile, notes: &mut Notes) -> Json {
    let mut resume = Map::new();
    resume.insert(
        "$schema".into(),
        json!("https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"),
    );
    let mut basics = export_basics(&profile.basics, notes);
    let mut arrays: Vec<(&str, Vec<Json>)> =
        SECTIONS.iter().map(|(k, _)| (*k, Vec::new())).collect();
    for section in &profile.sections {
        let heading = section.heading();
        let at = if heading.is_empty() {
            format!("section ({:?})", section.kind).to_lowercase()
        } else {
            format!("section “{heading}”")
        };
        if section.priority.is_some() || !section.tags.is_empty() || section.short.is_some() {
            notes.push(
                &at,
                "priority, tags and short forms are cvgen's own; not exported",
            );
        }
        match section.kind {
            SectionKind::Text
                if section.title.as_deref() == Some("")
                    && !basics.contains_key("summary")
                    && section.body.is_some() =>
            {
                basics.insert("summary".into(), json!(section.body));
            }
            SectionKind::Text | SectionKind::List => {
                notes.push(&at, "JSON Resume has no free-form sections; not exported");
            }
            SectionKind::Personal => {
                notes.push(&at, "JSON Resume has no personal details; not exported");
            }
            kind => {
                if section.title.is_some() {
                    notes.push(&at, "JSON Resume has no section titles; its entries are exported under their kind");
                }
                let key = SECTIONS
                    .iter()
                    .find(|(_, k)| *k == kind)
                    .map(|(key, _)| *key)
                    .unwrap_or_else(|| unreachable!("every entry kind has an array"));
                let array = &mut arrays
                    .iter_mut()
                    .find(|(k, _)| *k == key)
                    .unwrap_or_else(|| unreachable!("every array is listed"))
                    .1;
                for entry in &section.entries {
                    array.push(export_entry(entry, &at, notes));
                }
            }
        }
    }
    resume.insert("basics".into(), Json::Object(basics));
    for (key, items) in arrays {
        if !items.is_empty() {
            resume.insert(key.into(), Json::Array(items));
        }
    }
    Json::Object(resume)
}

fn export_basics(basics: &Basics, notes: &mut Notes) -> Map<String, Json> {
    let mut out = Map::new();
    put(&mut out, "name", &basics.name);
    put(&mut out, "label", &basics.label);
    if let Some(image) = &basics.image {
        out.insert("image".into(), json!(image.to_string_lossy()));
    }
    put(&mut out, "email", &basics.email);
    put(&mut out, "phone", &basics.phone);
    put(&mut out, "url", &basics.url);
    if let Some(location) = &basics.location {
        let mut loc = Map::new();
        put(&mut loc, "address", &location.address);
        put(&mut loc, "postalCode", &location.postal_code);
        put(&mut loc, "city", &location.city);
        put(&mut loc, "countryCode", &location.country_code);
        put(&mut loc, "region", &location.region);
        if location.country.is_some() {
            notes.push(
                "basics.location.country",
                "JSON Resume has only countryCode; not exported",
            );
        }
        out.insert("location".into(), Json::Object(loc));
    }
    if !basics.profiles.is_empty() {
        let profiles = basics
            .profiles
            .iter()
            .map(|p| {
                let mut profile = Map::new();
                put(&mut profile, "network", &p.network);
                put(&mut profile, "username", &p.username);
                put(&mut profile, "url", &p.url);
                Json::Object(profile)
            })
            .collect();
        out.insert("profiles".into(), Json::Array(profiles));
    }
    for (field, set) in [
        ("other_names", !basics.other_names.is_empty()),
        ("birth_date", basics.birth_date.is_some()),
        ("birth_place", basics.birth_place.is_some()),
        ("gender", basics.gender.is_some()),
        ("nationality", basics.nationality.is_some()),
        ("marital_status", basics.marital_status.is_some()),
    ] {
        if set {
            notes.push(
                &format!("basics.{field}"),
                "JSON Resume has no such field; not exported",
            );
        }
    }
    out
}

fn export_entry(entry: &Entry, at: &str, notes: &mut Notes) -> Json {
    let mut out = Map::new();
    put(&mut out, "name", &entry.name);
    put(&mut out, "organization", &entry.organization);
    put(&mut out, "position", &entry.position);
    put(&mut out, "title", &entry.title);
    put(&mut out, "institution", &entry.institution);
    put(&mut out, "location", &entry.location);
    put(&mut out, "description", &entry.description);
    put(&mut out, "url", &entry.url);
    put(&mut out, "area", &entry.area);
    put(&mut out, "studyType", &entry.study_type);
    if let Some(start) = entry.start_date {
        out.insert("startDate".into(), json!(start.to_string()));
    }
    if let Some(DateBound::Date(end)) = entry.end_date {
        out.insert("endDate".into(), json!(end.to_string()));
    }
    if let Some(date) = entry.date {
        out.insert("date".into(), json!(date.to_string()));
    }
    if let Some(date) = entry.release_date {
        out.insert("releaseDate".into(), json!(date.to_string()));
    }
    put(&mut out, "awarder", &entry.awarder);
    put(&mut out, "issuer", &entry.issuer);
    put(&mut out, "publisher", &entry.publisher);
    put(&mut out, "score", &entry.score);
    put(&mut out, "level", &entry.level);
    put(&mut out, "language", &entry.language);
    put(&mut out, "fluency", &entry.fluency);
    put(&mut out, "reference", &entry.reference);
    put(&mut out, "entity", &entry.entity);
    // Paragraphs after the first group (parts) join the summary.
    let mut summary: Vec<&str> = entry.summary.iter().map(String::as_str).collect();
    let mut highlights: Vec<Json> = Vec::new();
    let mut flat = |bullets: &[Bullet], notes: &mut Notes| {
        for bullet in bullets {
            highlights.push(json!(bullet.text()));
            if !bullet.items().is_empty() {
                notes.push(at, "nested bullets are exported as highlights of their own");
                for item in bullet.items() {
                    highlights.push(json!(item.text()));
                }
            }
            if let Bullet::Detailed(detailed) = bullet
                && (detailed.priority.is_some()
                    || !detailed.tags.is_empty()
                    || detailed.short.is_some())
            {
                notes.push(
                    at,
                    "priority, tags and short forms are cvgen's own; not exported",
                );
            }
        }
    };
    flat(&entry.highlights, notes);
    for part in &entry.parts {
        summary.extend(part.summary.as_deref());
        flat(&part.highlights, notes);
    }
    if !summary.is_empty() {
        out.insert("summary".into(), json!(summary.join("\n\n")));
    }
    for (key, list) in [
        ("courses", &entry.courses),
        ("keywords", &entry.keywords),
        ("roles", &entry.roles),
    ] {
        if !list.is_empty() {
            out.insert(key.into(), json!(list));
        }
    }
    if !highlights.is_empty() {
        out.insert("highlights".into(), Json::Array(highlights));
    }
    if entry.priority.is_some() || !entry.tags.is_empty() || entry.short.is_some() {
        notes.push(
            at,
            "priority, tags and short forms are cvgen's own; not exported",
        );
    }
    if entry.alias.is_some() {
        notes.push(at, "alias is cvgen's own; not exported");
    }
    Json::Object(out)
}

fn put(map: &mut Map<String, Json>, key: &str, value: &Option<String>) {
    if let Some(value) = value {
        map.insert(key.into(), json!(value));
    }
}

// Taking fields out of a JSON object: what is left is what had no home.

fn object(value: Json, at: &str, notes: &mut Notes) -> Map<String, Json> {
    match value {
        Json::Object(map) => map,
        other => {
            notes.kept(at, &other, "is not an object");
            Map::new()
        }
    }
}

fn array(value: Json, at: &str, notes: &mut Notes) -> Vec<Json> {
    match value {
        Json::Array(items) => items,
        other => {
            notes.kept(at, &other, "is not an array");
            Vec::new()
        }
    }
}

/// A text field; empty text is no text.
fn text(map: &mut Map<String, Json>, key: &str, at: &str, notes: &mut Notes) -> Option<String> {
    match map.remove(key)? {
        Json::String(text) if text.trim().is_empty() => None,
        Json::String(text) => Some(text),
        Json::Number(n) => Some(n.to_string()),
        Json::Null => None,
        other => {
            notes.kept(&join(at, key), &other, "is not text");
            None
        }
    }
}

fn texts(map: &mut Map<String, Json>, key: &str, at: &str, notes: &mut Notes) -> Vec<String> {
    let Some(value) = map.remove(key) else {
        return Vec::new();
    };
    let path = join(at, key);
    array(value, &path, notes)
        .into_iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            Json::String(text) if text.trim().is_empty() => None,
            Json::String(text) => Some(text),
            other => {
                notes.kept(&format!("{path}[{i}]"), &other, "is not text");
                None
            }
        })
        .collect()
}

/// A link: `http`, `https`, `mailto` and `tel` pass; a bare domain
/// ("example.com", common in JSON Resume files) gets `https://`.
fn link(map: &mut Map<String, Json>, key: &str, at: &str, notes: &mut Notes) -> Option<String> {
    let url = text(map, key, at, notes)?;
    let lower = url.to_ascii_lowercase();
    if ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
    {
        return Some(url);
    }
    if !url.contains(':') && url.contains('.') && !url.contains(char::is_whitespace) {
        notes.push(
            &join(at, key),
            &format!("“{url}” has no scheme; imported as https://{url}"),
        );
        return Some(format!("https://{url}"));
    }
    notes.kept(
        &join(at, key),
        &Json::String(url),
        "is not an http, https, mailto or tel link",
    );
    None
}

/// An ISO 8601 date as JSON Resume writes them: YYYY, YYYY-MM or
/// YYYY-MM-DD (a time after a `T` is dropped).
fn date(
    map: &mut Map<String, Json>,
    key: &str,
    at: &str,
    notes: &mut Notes,
) -> Option<PartialDate> {
    let text = text(map, key, at, notes)?;
    let day = text.split('T').next().unwrap_or_default();
    match day.parse::<PartialDate>() {
        Ok(date) => Some(date),
        Err(err) => {
            notes.kept(&join(at, key), &Json::String(text), &err);
            None
        }
    }
}

fn leftovers(map: &Map<String, Json>, at: &str, notes: &mut Notes) {
    for (key, value) in map {
        notes.kept(&join(at, key), value, "has no home in a cvgen profile");
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

#[cfg(test)]
mod tests;
