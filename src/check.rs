//! Validating a profile: every problem in the file, each with its place.
//!
//! The file is parsed once into a tree that remembers where every key and
//! value is, then each part (basics, layout, every section and entry) is
//! deserialized on its own, so one mistake does not hide the next. Checks
//! that types cannot express (layout names and parameters, URLs, photos,
//! date order, empty or duplicate parts) run on the result and point at the
//! value they are about.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::layout::Layouts;
use crate::layout::params;
use crate::photo::Photo;
use crate::profile::{
    AnonymizeOptions, Basics, Bullet, DateBound, LoadedProfile, MAX_BULLET_DEPTH, OutputOptions,
    PartialDate, Profile, Section,
};
use crate::variant::Variant;

/// The top-level tables of a profile.
const TOP_LEVEL: &[&str] = &["basics", "layout", "section", "output", "anonymize"];

/// What checking found: the profile if it has no errors, and every
/// diagnostic, errors and warnings.
pub struct Checked {
    pub profile: Option<Profile>,
    /// The profile's photo, decoded and re-encoded, if it has one.
    pub photo: Option<Photo>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the checks need from outside the file.
pub struct Context<'a> {
    pub layouts: &'a Layouts,
    /// The layout the command line imposes, if any.
    pub layout_override: Option<&'a str>,
    /// The profile's folder, where a photo must be.
    pub dir: &'a Path,
    /// Year and month of today, for "in the future".
    pub today: (i32, u8),
}

/// A profile file, read and checked.
pub struct Loaded {
    /// The profile, if it has no errors (and no warnings, when they are denied).
    pub profile: Option<LoadedProfile>,
    /// Every diagnostic, rendered; empty if there are none.
    pub report: String,
    pub errors: usize,
    pub warnings: usize,
}

/// Reads and checks one profile file.
pub fn load(
    path: &Path,
    layouts: &Layouts,
    layout_override: Option<&str>,
    deny_warnings: bool,
) -> Loaded {
    let failed = |report: String| Loaded {
        profile: None,
        report,
        errors: 1,
        warnings: 0,
    };
    let read = match crate::profile::read(path) {
        Ok(read) => read,
        Err(err) => return failed(format!("error: {err}")),
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let ctx = Context {
        layouts,
        layout_override,
        dir,
        today: today(),
    };
    let checked = check(&read.text, &ctx);
    let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = checked.diagnostics.len() - errors;
    let report = if checked.diagnostics.is_empty() {
        String::new()
    } else {
        crate::diagnostic::render(path, &read.text, &checked.diagnostics)
    };
    let denied = deny_warnings && warnings > 0;
    let profile = match checked.profile.filter(|_| !denied) {
        Some(profile) => match LoadedProfile::new(path, profile, read.sha256) {
            Ok(loaded) => Some(LoadedProfile {
                photo: checked.photo,
                ..loaded
            }),
            Err(err) => return failed(format!("error: {err}")),
        },
        None => None,
    };
    Loaded {
        profile,
        report,
        errors,
        warnings,
    }
}

/// This month, from the clock: only warnings ("in the future") use it.
fn today() -> (i32, u8) {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as i64);
    let (year, month, _) = crate::typst::world::civil_from_days(days);
    (year as i32, month)
}

/// Checks profile text.
pub fn check(text: &str, ctx: &Context) -> Checked {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let diagnostics = errors
            .iter()
            .map(|e| Diagnostic::error(e.message().trim_end(), e.span()))
            .collect();
        return Checked {
            profile: None,
            photo: None,
            diagnostics,
        };
    }
    let mut out = Vec::new();
    for value in root.get_ref().values() {
        check_limits(value, 1, &mut out);
    }
    if !out.is_empty() {
        return Checked {
            profile: None,
            photo: None,
            diagnostics: out,
        };
    }
    let mut profile = Profile::default();
    for (key, value) in root.get_ref().iter() {
        let name: &str = key.get_ref();
        match name {
            "basics" => profile.basics = piece(value, &mut out).unwrap_or_default(),
            "output" => {
                profile.output = piece::<OutputOptions>(value, &mut out).unwrap_or_default()
            }
            "anonymize" => {
                profile.anonymize = piece::<AnonymizeOptions>(value, &mut out).unwrap_or_default()
            }
            "layout" => profile.layout = piece(value, &mut out).unwrap_or_default(),
            "section" => profile.sections = sections(value, &mut out),
            _ => {
                let mut d = Diagnostic::error(format!("unknown table `{name}`"), Some(key.span()));
                if let Some(close) = did_you_mean(name, TOP_LEVEL.iter().copied()) {
                    d = d.hint(format!("did you mean `{close}`?"));
                }
                out.push(d.hint(format!("a profile has: {}", TOP_LEVEL.join(", "))));
            }
        }
    }
    if out.iter().any(Diagnostic::is_error) {
        return Checked {
            profile: None,
            photo: None,
            diagnostics: out,
        };
    }
    let tree = root.get_ref();
    if profile.sections.is_empty() && profile.basics.name.is_none() {
        out.push(
            Diagnostic::warning("the profile has no name and no sections", Some(0..0))
                .hint("start with [basics] name = \"...\" and a [[section]]"),
        );
    }
    check_layout(&profile, tree, ctx, &mut out);
    check_output(&profile, tree, &mut out);
    check_basics(&profile.basics, tree, ctx, &mut out);
    let photo = profile.basics.image.as_deref().and_then(|image| {
        let at = span(tree, &[Key::Name("basics"), Key::Name("image")]);
        check_photo(image, ctx, at, &mut out)
    });
    check_sections(&profile, tree, ctx, &mut out);
    let ok = !out.iter().any(Diagnostic::is_error);
    Checked {
        profile: ok.then_some(profile),
        photo: photo.filter(|_| ok),
        diagnostics: out,
    }
}

/// The most items a list may hold, and the longest text a field may hold:
/// far beyond any CV, low enough that a mistake cannot make a run crawl.
pub const MAX_ITEMS: usize = 1000;
pub const MAX_TEXT_BYTES: usize = 50_000;
/// How deep tables and arrays may nest (a profile needs about eight).
pub const MAX_DEPTH: usize = 16;

/// Rejects sizes no CV has, before anything is built from them.
fn check_limits(value: &Spanned<DeValue>, depth: usize, out: &mut Vec<Diagnostic>) {
    if depth > MAX_DEPTH {
        out.push(Diagnostic::error(
            format!("nested more than {MAX_DEPTH} levels deep"),
            Some(value.span()),
        ));
        return;
    }
    match value.get_ref() {
        DeValue::String(text) if text.len() > MAX_TEXT_BYTES => out.push(
            Diagnostic::error(
                format!(
                    "this text is {} KB; a field holds at most {} KB",
                    text.len() / 1024,
                    MAX_TEXT_BYTES / 1024
                ),
                Some(value.span().start..value.span().start + 1),
            )
            .hint("split it into paragraphs, entries or bullets"),
        ),
        DeValue::Array(items) if items.len() > MAX_ITEMS => out.push(Diagnostic::error(
            format!(
                "this list has {} items; at most {MAX_ITEMS} are supported",
                items.len()
            ),
            Some(value.span().start..value.span().start + 1),
        )),
        DeValue::Array(items) => items
            .iter()
            .for_each(|item| check_limits(item, depth + 1, out)),
        DeValue::Table(table) => table
            .values()
            .for_each(|item| check_limits(item, depth + 1, out)),
        _ => {}
    }
}

/// Deserializes one part of the tree, turning a failure into a diagnostic.
fn piece<T: DeserializeOwned>(value: &Spanned<DeValue>, out: &mut Vec<Diagnostic>) -> Option<T> {
    use serde::de::IntoDeserializer;
    match T::deserialize(value.clone().into_deserializer()) {
        Ok(parsed) => Some(parsed),
        Err(err) => {
            out.push(from_toml(&err, value.span()));
            None
        }
    }
}

/// A TOML/serde error as a diagnostic, with a suggestion for unknown keys
/// and values.
fn from_toml(err: &toml::de::Error, fallback: Range<usize>) -> Diagnostic {
    let message = err.message().trim_end();
    let span = err.span().or(Some(fallback));
    if message == "invalid type: map, expected a string" {
        // A TOML date or an inline table where text belongs.
        return Diagnostic::error("expected text in quotes here", span)
            .hint("write dates as strings: start_date = \"2019-12\"");
    }
    let (what, rest) = match (
        message.strip_prefix("unknown field `"),
        message.strip_prefix("unknown variant `"),
    ) {
        (Some(rest), _) => ("field", rest),
        (_, Some(rest)) => ("value", rest),
        _ => return Diagnostic::error(message, span),
    };
    let Some((word, expected)) = rest.split_once('`') else {
        return Diagnostic::error(message, span);
    };
    let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let mut d = Diagnostic::error(format!("unknown {what} `{word}`"), span);
    if let Some(close) = did_you_mean(word, allowed.iter().copied()) {
        d = d.hint(format!("did you mean `{close}`?"));
    }
    if !allowed.is_empty() {
        d = d.hint(format!("allowed here: {}", allowed.join(", ")));
    }
    d
}

/// Deserializes sections one by one, and the entries of a broken section
/// one by one, so that every broken part is reported.
fn sections(value: &Spanned<DeValue>, out: &mut Vec<Diagnostic>) -> Vec<Section> {
    let DeValue::Array(items) = value.get_ref() else {
        out.push(
            Diagnostic::error("`section` must be an array of tables", Some(value.span()))
                .hint("write each section as [[section]]"),
        );
        return Vec::new();
    };
    let mut sections = Vec::new();
    for item in items {
        let before = out.len();
        match piece::<Section>(item, out) {
            Some(section) => sections.push(section),
            None => {
                // Look for more problems in the other entries.
                let reported = out[before..]
                    .iter()
                    .filter_map(|d| d.span.clone())
                    .collect::<Vec<_>>();
                if let Some(entries) = lookup(item, &[Key::Name("entries")])
                    && let DeValue::Array(entries) = entries.get_ref()
                {
                    for entry in entries {
                        let mut more = Vec::new();
                        piece::<crate::profile::Entry>(entry, &mut more);
                        out.extend(
                            more.into_iter()
                                .filter(|d| !reported.contains(d.span.as_ref().unwrap_or(&(0..0)))),
                        );
                    }
                }
            }
        }
    }
    sections
}

/// A step of a path into the tree.
#[derive(Clone, Copy)]
enum Key<'a> {
    Name(&'a str),
    Index(usize),
}

fn lookup<'t, 'i>(
    value: &'t Spanned<DeValue<'i>>,
    path: &[Key],
) -> Option<&'t Spanned<DeValue<'i>>> {
    let Some((first, rest)) = path.split_first() else {
        return Some(value);
    };
    let next = match (value.get_ref(), first) {
        (DeValue::Table(table), Key::Name(name)) => table
            .iter()
            .find(|(k, _)| k.get_ref() == name)
            .map(|(_, v)| v)?,
        (DeValue::Array(items), Key::Index(i)) => items.get(*i)?,
        _ => return None,
    };
    lookup(next, rest)
}

/// The span of the value at `path` from the root table.
fn span(tree: &DeTable, path: &[Key]) -> Option<Range<usize>> {
    let (Key::Name(first), rest) = path.split_first()? else {
        return None;
    };
    let value = tree
        .iter()
        .find(|(k, _)| k.get_ref() == first)
        .map(|(_, v)| v)?;
    lookup(value, rest).map(|v| v.span())
}

/// The span of the key at `path` (for unknown parameters).
fn key_span(tree: &DeTable, table: &str, key: &str) -> Option<Range<usize>> {
    let value = tree
        .iter()
        .find(|(k, _)| k.get_ref() == table)
        .map(|(_, v)| v)?;
    let DeValue::Table(inner) = value.get_ref() else {
        return None;
    };
    inner
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(k, _)| k.span())
}

fn check_layout(profile: &Profile, tree: &DeTable, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let named = match profile.layout.get("name") {
        None => None,
        Some(toml::Value::String(name)) => Some(name.as_str()),
        Some(_) => {
            out.push(Diagnostic::error(
                "layout `name` must be a string",
                span(tree, &[Key::Name("layout"), Key::Name("name")]),
            ));
            return;
        }
    };
    let name = ctx
        .layout_override
        .or(named)
        .unwrap_or(crate::layout::DEFAULT_LAYOUT);
    let info = match ctx.layouts.get(name) {
        Ok(info) => info,
        Err(_) => {
            let available: Vec<&str> = ctx.layouts.infos().map(|i| i.name.as_str()).collect();
            let mut d = Diagnostic::error(
                format!("unknown layout `{name}`"),
                span(tree, &[Key::Name("layout"), Key::Name("name")]),
            );
            if let Some(close) = did_you_mean(name, available.iter().copied()) {
                d = d.hint(format!("did you mean `{close}`?"));
            }
            out.push(d.hint(format!("available layouts: {}", available.join(", "))));
            return;
        }
    };
    for (key, value) in profile.layout.iter().filter(|(k, _)| k.as_str() != "name") {
        let Some(spec) = info.params.iter().find(|p| &p.name == key) else {
            let names: Vec<&str> = info.params.iter().map(|p| p.name.as_str()).collect();
            let mut d = Diagnostic::error(
                format!("layout `{name}` has no parameter `{key}`"),
                key_span(tree, "layout", key),
            );
            if let Some(close) = did_you_mean(key, names.iter().copied()) {
                d = d.hint(format!("did you mean `{close}`?"));
            }
            out.push(d.hint(format!("its parameters: {}", names.join(", "))));
            continue;
        };
        if let Err(message) = params::convert(spec, value) {
            out.push(
                Diagnostic::error(
                    format!("bad value for layout parameter `{key}`: {message}"),
                    span(tree, &[Key::Name("layout"), Key::Name(key)]),
                )
                .hint(format!("`{key}` takes {}", spec.ty.describe())),
            );
        }
    }
}

fn check_output(profile: &Profile, tree: &DeTable, out: &mut Vec<Diagnostic>) {
    if let Some(names) = &profile.output.variants
        && let Err(message) = Variant::parse_list(names)
    {
        out.push(Diagnostic::error(
            message,
            span(tree, &[Key::Name("output"), Key::Name("variants")]),
        ));
    }
}

fn check_basics(basics: &Basics, tree: &DeTable, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let at = |key: &str| span(tree, &[Key::Name("basics"), Key::Name(key)]);
    if let Some(url) = &basics.url {
        check_url(url, at("url"), out);
    }
    for (i, profile) in basics.profiles.iter().enumerate() {
        if let Some(url) = &profile.url {
            check_url(
                url,
                span(
                    tree,
                    &[
                        Key::Name("basics"),
                        Key::Name("profiles"),
                        Key::Index(i),
                        Key::Name("url"),
                    ],
                ),
                out,
            );
        }
    }
    if let Some(email) = &basics.email
        && !looks_like_email(email)
    {
        out.push(
            Diagnostic::error(format!("`{email}` is not an email address"), at("email"))
                .hint("write it as name@example.org"),
        );
    }
    if let Some(birth) = basics.birth_date {
        check_future(&birth, ctx, at("birth_date"), out);
    }
}

fn check_sections(profile: &Profile, tree: &DeTable, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (s, section) in profile.sections.iter().enumerate() {
        let at = |path: &[Key]| {
            let mut full = vec![Key::Name("section"), Key::Index(s)];
            full.extend_from_slice(path);
            span(tree, &full)
        };
        let title = section
            .title
            .clone()
            .unwrap_or_else(|| section.kind.default_title().to_owned());
        let label = if title.is_empty() {
            format!("section {}", s + 1)
        } else {
            format!("section `{title}`")
        };
        if section.body.as_deref().is_none_or(|b| b.trim().is_empty())
            && section.items.is_empty()
            && section.entries.is_empty()
        {
            out.push(
                Diagnostic::warning(format!("{label} is empty"), at(&[Key::Name("kind")]))
                    .hint("it prints a heading with nothing under it; add content or remove it"),
            );
        }
        let depth = bullet_depth(section);
        if depth > MAX_BULLET_DEPTH {
            out.push(Diagnostic::error(
                format!("{label} nests bullets {depth} levels deep; at most {MAX_BULLET_DEPTH} are supported"),
                at(&[Key::Name("kind")]),
            ));
        }
        check_links(section.body.as_deref(), at(&[Key::Name("body")]), out);
        let mut seen: Vec<String> = Vec::new();
        for (e, entry) in section.entries.iter().enumerate() {
            let at_entry = |key: &str| at(&[Key::Name("entries"), Key::Index(e), Key::Name(key)]);
            let fingerprint = serde_json::to_string(entry).unwrap_or_default();
            if seen.contains(&fingerprint) {
                out.push(
                    Diagnostic::warning(
                        format!("entry {} of {label} repeats an earlier entry", e + 1),
                        at(&[Key::Name("entries"), Key::Index(e)]),
                    )
                    .hint("remove one of the two"),
                );
            }
            seen.push(fingerprint);
            if let Some(url) = &entry.url {
                check_url(url, at_entry("url"), out);
            }
            if let (Some(start), Some(DateBound::Date(end))) = (entry.start_date, entry.end_date)
                && end < start
            {
                out.push(
                    Diagnostic::warning(
                        format!("end date {end} is before start date {start}"),
                        at_entry("end_date"),
                    )
                    .hint("swap them, or fix the year"),
                );
            }
            for (key, date) in [
                ("start_date", entry.start_date),
                ("date", entry.date),
                ("release_date", entry.release_date),
            ] {
                if let Some(date) = date {
                    check_future(&date, ctx, at_entry(key), out);
                }
            }
            if let Some(DateBound::Date(end)) = entry.end_date {
                check_future(&end, ctx, at_entry("end_date"), out);
            }
            check_links(entry.summary.as_deref(), at_entry("summary"), out);
            for bullet in &entry.highlights {
                check_bullet_links(bullet, at_entry("highlights"), out);
            }
        }
        for bullet in &section.items {
            check_bullet_links(bullet, at(&[Key::Name("items")]), out);
        }
    }
}

fn bullet_depth(section: &Section) -> usize {
    fn depth(bullets: &[Bullet]) -> usize {
        bullets
            .iter()
            .map(|b| 1 + depth(b.items()))
            .max()
            .unwrap_or(0)
    }
    section
        .entries
        .iter()
        .flat_map(|e| std::iter::once(&e.highlights).chain(e.parts.iter().map(|p| &p.highlights)))
        .map(|h| depth(h))
        .chain(std::iter::once(depth(&section.items)))
        .max()
        .unwrap_or(0)
}

fn check_future(
    date: &PartialDate,
    ctx: &Context,
    at: Option<Range<usize>>,
    out: &mut Vec<Diagnostic>,
) {
    if (date.year, date.month.unwrap_or(1)) > ctx.today {
        out.push(
            Diagnostic::warning(format!("date {date} is in the future"), at)
                .hint("for something still going on, write end_date = \"present\""),
        );
    }
}

/// Whether a URL field holds a usable web or mail link.
fn check_url(url: &str, at: Option<Range<usize>>, out: &mut Vec<Diagnostic>) {
    if !valid_url(url) {
        out.push(
            Diagnostic::error(format!("`{url}` is not a valid URL"), at)
                .hint("write it with its scheme, e.g. https://example.org"),
        );
    }
}

fn valid_url(url: &str) -> bool {
    if url.chars().any(char::is_whitespace) {
        return false;
    }
    if let Some(address) = url.strip_prefix("mailto:") {
        return looks_like_email(address);
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("");
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && (host.contains('.') || host == "localhost")
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        && !host.starts_with('.')
        && !host.ends_with('.')
}

fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
}

/// Markdown links in text whose target is not a URL.
fn check_links(text: Option<&str>, at: Option<Range<usize>>, out: &mut Vec<Diagnostic>) {
    let Some(text) = text else { return };
    for paragraph in crate::markup::paragraphs(text) {
        for run in paragraph {
            if let Some(link) = run.link.filter(|l| !valid_url(l)) {
                out.push(
                    Diagnostic::warning(
                        format!("the link `{link}` (on “{}”) is not a valid URL", run.text),
                        at.clone(),
                    )
                    .hint("links need a scheme: [text](https://example.org)"),
                );
            }
        }
    }
}

fn check_bullet_links(bullet: &Bullet, at: Option<Range<usize>>, out: &mut Vec<Diagnostic>) {
    check_links(Some(bullet.text()), at.clone(), out);
    for item in bullet.items() {
        check_bullet_links(item, at.clone(), out);
    }
}

/// A photo must be an image file inside the profile's folder that decodes
/// within limits; it comes back prepared for layouts.
/// Messages name the path as written, never the absolute one.
fn check_photo(
    image: &Path,
    ctx: &Context,
    at: Option<Range<usize>>,
    out: &mut Vec<Diagnostic>,
) -> Option<Photo> {
    let shown = image.display();
    let root = ctx
        .dir
        .canonicalize()
        .unwrap_or_else(|_| ctx.dir.to_owned());
    let problem = match ctx.dir.join(image).canonicalize() {
        Err(_) => format!("the photo `{shown}` does not exist"),
        Ok(real) if !real.starts_with(&root) => {
            format!("the photo `{shown}` is outside the profile's folder")
        }
        Ok(real) if real.is_dir() => format!("the photo `{shown}` is a folder"),
        Ok(real) => match std::fs::read(&real) {
            Err(err) => format!(
                "cannot read the photo `{shown}`: {}",
                crate::error::plain_io(&err)
            ),
            Ok(bytes) => match crate::photo::prepare(&bytes) {
                Ok(photo) => return Some(photo),
                Err(problem) => {
                    out.push(Diagnostic::error(
                        format!("the photo `{shown}` {problem}"),
                        at,
                    ));
                    return None;
                }
            },
        },
    };
    out.push(
        Diagnostic::error(problem, at)
            .hint("photos are files in the profile's folder, named relative to it"),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Checked {
        let layouts = Layouts::load(None).unwrap();
        let ctx = Context {
            layouts: &layouts,
            layout_override: None,
            dir: Path::new("."),
            today: (2026, 11),
        };
        check(text, &ctx)
    }

    fn messages(checked: &Checked) -> Vec<String> {
        checked
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn every_broken_section_is_reported() {
        let checked =
            run("[[section]]\nkind = \"work\"\ntitel = \"a\"\n[[section]]\nkind = \"lists\"\n");
        assert!(checked.profile.is_none());
        let found = messages(&checked);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], "unknown field `titel`");
        assert!(checked.diagnostics[0].hints[0].contains("`title`"));
        assert_eq!(found[1], "unknown value `lists`");
        assert!(
            checked.diagnostics[1].hints[0].contains("`list`"),
            "{:?}",
            checked.diagnostics[1]
        );
    }

    #[test]
    fn semantic_problems_point_at_their_values() {
        let text = "[basics]\nname = \"P\"\nurl = \"not a url\"\n[layout]\naccent = \"blue\"\npapr = \"a4\"\n";
        let checked = run(text);
        let found = messages(&checked);
        assert_eq!(found.len(), 3, "{found:?}");
        let url = checked
            .diagnostics
            .iter()
            .find(|d| d.message.contains("not a valid URL"))
            .unwrap();
        assert_eq!(&text[url.span.clone().unwrap()], "\"not a url\"");
        assert!(
            found[1].contains("no parameter `papr`") || found[2].contains("no parameter `papr`"),
            "{found:?}"
        );
    }

    #[test]
    fn warnings_leave_the_profile_usable() {
        let text = "[[section]]\nkind = \"work\"\n[[section.entries]]\nstart_date = \"2019-12\"\nend_date = \"2012-12\"\n\
            [[section]]\nkind = \"list\"\ntitle = \"Empty\"\n";
        let checked = run(text);
        assert!(checked.profile.is_some());
        let found = messages(&checked);
        assert!(
            found
                .iter()
                .any(|m| m == "end date 2012-12 is before start date 2019-12"),
            "{found:?}"
        );
        assert!(
            found.iter().any(|m| m == "section `Empty` is empty"),
            "{found:?}"
        );
    }

    #[test]
    fn urls() {
        assert!(valid_url("https://rdallman.com/x?y#z"));
        assert!(valid_url("mailto:a@b.org"));
        assert!(!valid_url("rdallman.com"));
        assert!(!valid_url("https://"));
        assert!(!valid_url("https://exa mple.org"));
    }
}
