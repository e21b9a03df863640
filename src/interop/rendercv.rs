//! RenderCV's YAML (`cv:` with `sections:`) into a profile. RenderCV types
//! each section by the shape of its entries: text paragraphs, education,
//! experience, normal (projects), publications, one-line (skills), bullet
//! and numbered entries; each becomes the section kind that prints it the
//! same way. Its `design`, `locale` and settings choose RenderCV's look and
//! have no counterpart: they are reported and kept as comments.

use std::path::Path;

use serde_json::{Map, Value as Json};

use super::Notes;
use crate::profile::{
    Basics, Bullet, DateBound, Entry, Location, PartialDate, Profile, Section, SectionKind,
    SocialProfile,
};

/// Reads a RenderCV YAML file into a profile.
pub fn import(text: &str, source: &Path, notes: &mut Notes) -> Result<Profile, String> {
    if let Some((line, column)) = too_deep(text) {
        return Err(format!(
            "{}:{line}:{column}: nested more than {MAX_DEPTH} levels deep; a CV is a few levels deep",
            source.display()
        ));
    }
    let yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| match e.location() {
            Some(at) => format!(
                "{}:{}:{}: not YAML: {e}",
                source.display(),
                at.line(),
                at.column()
            ),
            None => format!("{}: not YAML: {e}", source.display()),
        })?;
    // `.nan` and `.inf` are floats to YAML and nothing to JSON (null):
    // they were meant as text.
    let mut yaml = yaml;
    spell_out_non_finite(&mut yaml);
    // The sections in the file's order (a JSON object would sort them).
    let order: Vec<String> = yaml
        .get("cv")
        .and_then(|cv| cv.get("sections"))
        .and_then(serde_yaml_ng::Value::as_mapping)
        .map(|sections| {
            sections
                .keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let document = serde_json::to_value(&yaml)
        .map_err(|e| format!("{}: cannot read: {e}", source.display()))?;
    let Json::Object(mut document) = document else {
        return Err(format!(
            "{}: a RenderCV file is a mapping with a `cv` key",
            source.display()
        ));
    };
    let Some(Json::Object(mut cv)) = document.remove("cv") else {
        return Err(format!(
            "{}: no `cv:` mapping; is this a RenderCV file?",
            source.display()
        ));
    };
    for (key, value) in &document {
        notes.kept(
            key,
            value,
            "RenderCV's look and settings; pick a cvgen layout instead (cvgen layouts)",
        );
    }
    let mut profile = Profile {
        basics: basics(&mut cv, notes),
        ..Profile::default()
    };
    if let Some(sections) = cv.remove("sections") {
        let Json::Object(mut sections) = sections else {
            return Err(format!(
                "{}: cv.sections is not a mapping",
                source.display()
            ));
        };
        let mut ordered: Vec<(String, Json)> = order
            .into_iter()
            .filter_map(|title| sections.remove(&title).map(|entries| (title, entries)))
            .collect();
        ordered.extend(sections);
        for (title, entries) in ordered {
            let at = format!("cv.sections.{title}");
            match entries {
                Json::Array(entries) => {
                    if let Some(section) = section(&title, entries, &at, notes) {
                        profile.sections.push(section);
                    }
                }
                other => notes.kept(&at, &other, "is not a list of entries"),
            }
        }
    }
    for (key, value) in &cv {
        notes.kept(
            &format!("cv.{key}"),
            value,
            "has no home in a cvgen profile",
        );
    }
    Ok(profile)
}

fn basics(cv: &mut Map<String, Json>, notes: &mut Notes) -> Basics {
    let mut basics = Basics {
        name: text(cv, "name"),
        label: text(cv, "headline").or_else(|| text(cv, "label")),
        email: text(cv, "email"),
        phone: text(cv, "phone").map(|p| p.trim_start_matches("tel:").to_owned()),
        url: text(cv, "website"),
        image: text(cv, "photo").map(Into::into),
        ..Basics::default()
    };
    if let Some(place) = text(cv, "location") {
        basics.location = Some(Location {
            city: Some(place),
            ..Location::default()
        });
    }
    if let Some(Json::Array(networks)) = cv.remove("social_networks") {
        for (i, network) in networks.into_iter().enumerate() {
            let at = format!("cv.social_networks[{i}]");
            let Json::Object(mut network) = network else {
                notes.kept(&at, &network, "is not a mapping");
                continue;
            };
            let name = text(&mut network, "network");
            let username = text(&mut network, "username");
            let url = match (&name, &username) {
                (Some(name), Some(user)) => profile_url(name, user),
                _ => None,
            };
            if url.is_none() {
                notes.push(
                    &at,
                    "no link is known for this network; imported without one",
                );
            }
            for (key, value) in &network {
                notes.kept(
                    &format!("{at}.{key}"),
                    value,
                    "has no home in a cvgen profile",
                );
            }
            basics.profiles.push(SocialProfile {
                network: name,
                username,
                url,
            });
        }
    }
    basics
}

/// The page of a user on the networks RenderCV knows.
fn profile_url(network: &str, user: &str) -> Option<String> {
    let url = match network.to_ascii_lowercase().as_str() {
        "linkedin" => format!("https://linkedin.com/in/{user}"),
        "github" => format!("https://github.com/{user}"),
        "gitlab" => format!("https://gitlab.com/{user}"),
        "instagram" => format!("https://instagram.com/{user}"),
        "orcid" => format!("https://orcid.org/{user}"),
        "stackoverflow" => format!("https://stackoverflow.com/users/{user}"),
        "researchgate" => format!("https://researchgate.net/profile/{user}"),
        "youtube" => format!("https://youtube.com/@{user}"),
        "google scholar" => format!("https://scholar.google.com/citations?user={user}"),
        "telegram" => format!("https://t.me/{user}"),
        "x" | "twitter" => format!("https://x.com/{user}"),
        "bluesky" => format!("https://bsky.app/profile/{user}"),
        "leetcode" => format!("https://leetcode.com/u/{user}"),
        "imdb" => format!("https://imdb.com/name/{user}"),
        "mastodon" => {
            // @user@server
            let (name, server) = user.trim_start_matches('@').split_once('@')?;
            format!("https://{server}/@{name}")
        }
        _ => return None,
    };
    Some(url)
}

/// The shapes of RenderCV entries.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Text,
    Education,
    Experience,
    Publication,
    OneLine,
    Bullet,
    Normal,
}

fn shape(entry: &Json) -> Option<Shape> {
    let Json::Object(map) = entry else {
        return entry.is_string().then_some(Shape::Text);
    };
    let has = |key: &str| map.contains_key(key);
    Some(if has("institution") {
        Shape::Education
    } else if has("company") {
        Shape::Experience
    } else if has("authors") || (has("title") && (has("doi") || has("journal"))) {
        Shape::Publication
    } else if has("label") && has("details") {
        Shape::OneLine
    } else if has("bullet") || has("number") || has("reversed_number") {
        Shape::Bullet
    } else if has("name") {
        Shape::Normal
    } else {
        return None;
    })
}

fn section(title: &str, entries: Vec<Json>, at: &str, notes: &mut Notes) -> Option<Section> {
    let shape = entries.iter().find_map(shape)?;
    let kind = match shape {
        Shape::Text => SectionKind::Text,
        Shape::Education => SectionKind::Education,
        Shape::Experience => SectionKind::Work,
        Shape::Publication => SectionKind::Publications,
        Shape::OneLine => SectionKind::Skills,
        Shape::Bullet => SectionKind::List,
        Shape::Normal => SectionKind::Projects,
    };
    let mut section = Section {
        title: Some(heading(title)),
        ..Section::new(kind)
    };
    let mut paragraphs = Vec::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let at = format!("{at}[{i}]");
        if self::shape(&entry) != Some(shape) {
            notes.kept(
                &at,
                &entry,
                "differs from the section's first entry (RenderCV sections hold one kind)",
            );
            continue;
        }
        match entry {
            Json::String(text) => paragraphs.push(text),
            Json::Object(mut map) => match shape {
                Shape::Bullet => {
                    let text = text(&mut map, "bullet")
                        .or_else(|| text(&mut map, "number"))
                        .or_else(|| text(&mut map, "reversed_number"));
                    section.items.extend(text.map(Bullet::Plain));
                    leftovers(&map, &at, notes);
                }
                _ => {
                    let entry = entry_of(shape, &mut map, &at, notes);
                    leftovers(&map, &at, notes);
                    section.entries.push(entry);
                }
            },
            _ => {}
        }
    }
    if !paragraphs.is_empty() {
        section.body = Some(paragraphs.join("\n\n"));
    }
    Some(section)
}

/// A section key as RenderCV prints it: underscores as spaces, the first
/// letter a capital.
fn heading(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

fn entry_of(shape: Shape, map: &mut Map<String, Json>, at: &str, notes: &mut Notes) -> Entry {
    let mut entry = Entry {
        location: text(map, "location"),
        summary: text(map, "summary"),
        url: text(map, "url"),
        highlights: texts(map, "highlights")
            .into_iter()
            .map(Bullet::Plain)
            .collect(),
        ..Entry::default()
    };
    match shape {
        Shape::Education => {
            entry.institution = text(map, "institution");
            entry.area = text(map, "area");
            entry.study_type = text(map, "degree");
        }
        Shape::Experience => {
            entry.name = text(map, "company");
            entry.position = text(map, "position");
        }
        Shape::Publication => {
            entry.name = text(map, "title");
            entry.publisher = text(map, "journal");
            let authors = texts(map, "authors");
            if !authors.is_empty() {
                // The authors lead the summary, as a citation would.
                let authors = authors.join(", ");
                entry.summary = Some(match entry.summary.take() {
                    Some(summary) => format!("{authors}\n\n{summary}"),
                    None => authors,
                });
            }
            if let Some(doi) = text(map, "doi") {
                if entry.url.is_none() {
                    entry.url = Some(format!("https://doi.org/{doi}"));
                } else {
                    notes.kept(&format!("{at}.doi"), &Json::String(doi), "beside a url");
                }
            }
        }
        Shape::OneLine => {
            // "Label: details" on one line, as a skill entry prints it; the
            // details stay one text (they are often prose, not a list).
            entry.name = text(map, "label");
            entry.keywords = text(map, "details").into_iter().collect();
        }
        Shape::Normal => {
            // A name written as a Markdown link is a name and a link.
            let name = text(map, "name");
            match name.as_deref().and_then(markdown_link) {
                Some((label, url)) if entry.url.is_none() => {
                    entry.name = Some(label.to_owned());
                    entry.url = Some(url.to_owned());
                }
                _ => entry.name = name,
            }
        }
        Shape::Text | Shape::Bullet => {}
    }
    // Dates: start and end, or a single date.
    let start = date(map, "start_date", at, notes);
    let end = match text(map, "end_date") {
        Some(end) => match end.parse::<DateBound>() {
            Ok(end) => Some(end),
            Err(err) => {
                notes.kept(&format!("{at}.end_date"), &Json::String(end), &err);
                None
            }
        },
        None => None,
    };
    let single = date(map, "date", at, notes);
    match shape {
        Shape::Publication => entry.release_date = single.or(start),
        _ => {
            entry.start_date = start.or(single);
            entry.end_date = end.or(single.filter(|_| start.is_none()).map(DateBound::Date));
        }
    }
    entry
}

/// `[label](url)`, the whole text.
fn markdown_link(text: &str) -> Option<(&str, &str)> {
    let rest = text.trim().strip_prefix('[')?;
    let (label, rest) = rest.split_once("](")?;
    let url = rest.strip_suffix(')')?;
    (!label.contains(']') && !url.contains(char::is_whitespace)).then_some((label, url))
}

/// A date RenderCV wrote: `2020-09`, `2020` (YAML reads it as a number),
/// `present`. Free text ("Fall 2020") is kept as a comment.
fn date(
    map: &mut Map<String, Json>,
    key: &str,
    at: &str,
    notes: &mut Notes,
) -> Option<PartialDate> {
    let text = text(map, key)?;
    if text.eq_ignore_ascii_case("present") {
        return None;
    }
    match text.parse() {
        Ok(date) => Some(date),
        Err(err) => {
            notes.kept(&format!("{at}.{key}"), &Json::String(text), &err);
            None
        }
    }
}

fn text(map: &mut Map<String, Json>, key: &str) -> Option<String> {
    match map.remove(key)? {
        Json::String(text) if text.trim().is_empty() => None,
        Json::String(text) => Some(text),
        Json::Number(n) => Some(n.to_string()),
        other => {
            // Put it back, for the leftovers to report.
            map.insert(key.to_owned(), other);
            None
        }
    }
}

fn texts(map: &mut Map<String, Json>, key: &str) -> Vec<String> {
    match map.remove(key) {
        Some(Json::Array(items)) => items
            .into_iter()
            .filter_map(|item| match item {
                Json::String(text) if !text.trim().is_empty() => Some(text),
                Json::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Some(Json::String(text)) => vec![text],
        Some(other) => {
            map.insert(key.to_owned(), other);
            Vec::new()
        }
        None => Vec::new(),
    }
}

fn leftovers(map: &Map<String, Json>, at: &str, notes: &mut Notes) {
    for (key, value) in map {
        notes.kept(
            &format!("{at}.{key}"),
            value,
            "has no home in a cvgen profile",
        );
    }
}

/// Turns the floats JSON cannot hold (`.nan`, `.inf`, `-.inf`) into the
/// text they were written as.
fn spell_out_non_finite(value: &mut serde_yaml_ng::Value) {
    use serde_yaml_ng::Value;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|f| !f.is_finite()) {
                let text = if f.is_nan() {
                    ".nan"
                } else if f > 0.0 {
                    ".inf"
                } else {
                    "-.inf"
                };
                *value = Value::String(text.to_owned());
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(spell_out_non_finite),
        Value::Mapping(map) => map.values_mut().for_each(spell_out_non_finite),
        Value::Tagged(tagged) => spell_out_non_finite(&mut tagged.value),
        _ => {}
    }
}

/// The deepest nesting of brackets a file may have. The YAML parser's time
/// grows with the square of the depth (100,000 levels, 200 KB, took 46 s):
/// the depth is bounded before it parses.
const MAX_DEPTH: usize = 64;

/// Where flow collections (`[`, `{`) nest deeper than [`MAX_DEPTH`], as
/// line and column; quoted strings and comments do not count.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let (mut line, mut column) = (1, 0);
    let mut chars = text.chars().peekable();
    let mut previous = '\n';
    while let Some(c) = chars.next() {
        column += 1;
        match (quote, c) {
            (_, '\n') => {
                line += 1;
                column = 0;
                // A single-quoted or double-quoted flow scalar may span
                // lines; a plain one may not, and block scalars carry no
                // brackets that count.
            }
            (Some('"'), '\\') => {
                chars.next();
                column += 1;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if !previous.is_alphanumeric() => quote = Some(c),
            (None, '#') if previous.is_whitespace() => {
                // A comment: to the end of the line.
                for rest in chars.by_ref() {
                    if rest == '\n' {
                        line += 1;
                        column = 0;
                        break;
                    }
                }
            }
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((line, column));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    None
}
