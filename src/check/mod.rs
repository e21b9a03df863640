//! Validating a profile: every problem in the file, each with its place.
//!
//! The file is parsed once into a tree that remembers where every key and
//! value is ([`tree`]), then each part (basics, layout, every section and
//! entry) is deserialized on its own, so one mistake does not hide the next.
//! Checks that types cannot express (URLs, date order, empty or duplicate
//! parts) run on the result ([`rules`]) and point at the value they are
//! about. What needs more than the file (the layout and its parameters, the
//! variants, the photo) is checked where it is resolved, in the planning
//! stage, at the places this stage hands on.

mod application;
mod rules;
mod translate;
mod tree;

pub(crate) use application::{ApplicationPlaces, check_application, is_application};
pub(crate) use translate::Completeness;

use std::collections::BTreeMap;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::profile::{AnonymizeOptions, OutputOptions, Profile, Section};
use tree::{Key, key_span, lookup, span};

/// The top-level tables of a profile.
const TOP_LEVEL: &[&str] = &["basics", "layout", "section", "output", "anonymize"];

/// What checking found: the profile, if it could be read whole, and every
/// diagnostic, errors and warnings.
pub(crate) struct Checked {
    /// The profile as written; `None` if a part of it could not be read.
    /// It is usable only if no diagnostic is an error.
    pub profile: Option<Profile>,
    /// Where the values resolved later are written.
    pub places: Places,
    pub diagnostics: Vec<Diagnostic>,
    /// The languages the profile is rendered in, its first language first:
    /// `[output] languages`, else the one its layout's `lang` names.
    pub languages: Vec<String>,
    /// Where `[output] languages` is written, if it is.
    pub languages_at: Option<Range<usize>>,
    /// How many of its texts are translated, per language.
    pub completeness: Completeness,
}

/// Where the values that the planning stage resolves are written, so its
/// messages can point at them.
#[derive(Debug, Default)]
pub(crate) struct Places {
    /// `[layout] name`.
    pub layout_name: Option<Range<usize>>,
    /// Every other key of `[layout]`.
    pub layout_params: BTreeMap<String, ParamPlace>,
    /// `[output] variants`.
    pub variants: Option<Range<usize>>,
    /// `[basics] image`.
    pub image: Option<Range<usize>>,
    /// `[output] name`.
    pub output_name: Option<Range<usize>>,
    /// `[output] pdf_standards`.
    pub pdf_standards: Option<Range<usize>>,
    /// `[anonymize] id`.
    pub anonymize_id: Option<Range<usize>>,
    /// Every text value of the file, with its place, for checks that need
    /// the fonts (characters no font draws).
    pub texts: Vec<(Range<usize>, String)>,
    /// Each section's bibliography keys, by section.
    pub bibliographies: Vec<BibliographyPlaces>,
}

/// Where a section names its bibliography, style and keys.
#[derive(Debug, Default, Clone)]
pub(crate) struct BibliographyPlaces {
    pub file: Option<Range<usize>>,
    pub style: Option<Range<usize>>,
    /// Each of `keys`, in order.
    pub keys: Vec<Option<Range<usize>>>,
}

/// Where a `[layout]` parameter is written: its key and its value.
#[derive(Debug, Default, Clone)]
pub(crate) struct ParamPlace {
    pub key: Option<Range<usize>>,
    pub value: Option<Range<usize>>,
}

/// Checks profile text as the profile of `language` (`None`: its first
/// language); `today` (year, month) decides what is "in the future".
pub(crate) fn check(text: &str, today: (i32, u8), language: Option<&str>) -> Checked {
    let failed = |diagnostics| Checked {
        profile: None,
        places: Places::default(),
        diagnostics,
        languages: vec![crate::layout::language::BASE.to_owned()],
        languages_at: None,
        completeness: Completeness::default(),
    };
    let mut root = match parse(text) {
        Ok(root) => root,
        Err(diagnostics) => return failed(diagnostics),
    };
    let mut out = Vec::new();
    let languages = languages(root.get_ref(), &mut out);
    let languages_at = span(
        root.get_ref(),
        &[Key::Name("output"), Key::Name("languages")],
    );
    let first = languages[0].clone();
    let completeness = translate::localize(
        root.get_mut(),
        language.unwrap_or(&first),
        &first,
        &languages,
        &mut out,
    );
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
            // An application's keys in a file without `profile = `: say
            // so, rather than call them unknown tables.
            "company" | "position" | "tailor" | "letter" => {
                out.push(
                    Diagnostic::error(
                        format!("`{name}` belongs to a job application, which names its profile"),
                        Some(key.span()),
                    )
                    .hint("add profile = \"../input/you.toml\" at the top, or move this file out of the profiles"),
                );
            }
            _ => {
                let kind = if value.get_ref().as_table().is_some() {
                    "table"
                } else {
                    "key"
                };
                let mut d = Diagnostic::error(format!("unknown {kind} `{name}`"), Some(key.span()));
                if let Some(close) = did_you_mean(name, TOP_LEVEL.iter().copied()) {
                    d = d.hint(format!("did you mean `{close}`?"));
                }
                out.push(d.hint(format!("a profile has: {}", TOP_LEVEL.join(", "))));
            }
        }
    }
    if out.iter().any(Diagnostic::is_error) {
        return Checked {
            languages,
            languages_at,
            completeness,
            ..failed(out)
        };
    }
    let tree = root.get_ref();
    if profile.sections.is_empty() && profile.basics.name.is_none() {
        out.push(
            Diagnostic::warning("the profile has no name and no sections", Some(0..0))
                .hint("start with [basics] name = \"...\" and a [[section]]"),
        );
    }
    rules::check_names(&profile, tree, &mut out);
    rules::check_basics(&profile.basics, tree, today, &mut out);
    rules::check_sections(&profile, tree, text, today, &mut out);
    Checked {
        places: places(&profile, tree),
        profile: Some(profile),
        diagnostics: out,
        languages,
        languages_at,
        completeness,
    }
}

/// The languages a profile is rendered in, as written: `[output]
/// languages`, else its layout's `lang`, else English. A language listed
/// twice, or a `lang` the list leaves out, is an error here; whether they
/// are languages cvgen has words for is for the planning stage to say.
fn languages(tree: &DeTable, out: &mut Vec<Diagnostic>) -> Vec<String> {
    let text = |value: &Spanned<DeValue>| value.get_ref().as_str().map(str::to_owned);
    let lang_value = tree::lookup_root(tree, &[Key::Name("layout"), Key::Name("lang")]);
    let lang = lang_value.and_then(text);
    let Some(items) = tree::lookup_root(tree, &[Key::Name("output"), Key::Name("languages")])
        .and_then(|value| value.get_ref().as_array())
    else {
        return vec![lang.unwrap_or_else(|| crate::layout::language::BASE.to_owned())];
    };
    let mut listed: Vec<String> = Vec::new();
    for item in items.iter() {
        let Some(code) = text(item) else { continue };
        if listed.contains(&code) {
            out.push(Diagnostic::error(
                format!("`{code}` is listed twice"),
                Some(item.span()),
            ));
        } else {
            listed.push(code);
        }
    }
    if listed.is_empty() {
        // An empty list is refused where the output options are read.
        return vec![lang.unwrap_or_else(|| crate::layout::language::BASE.to_owned())];
    }
    if let (Some(lang), Some(value)) = (&lang, lang_value)
        && !listed.contains(lang)
    {
        out.push(
            Diagnostic::error(
                format!("`lang` is `{lang}`, which `[output] languages` does not list"),
                Some(value.span()),
            )
            .hint("each document is in its own language: remove `lang`, or list it in languages"),
        );
    }
    listed
}

/// The file as a tree that remembers places, or what is wrong with its
/// TOML or its size (too deep, too long).
fn parse(text: &str) -> Result<Spanned<DeTable<'_>>, Vec<Diagnostic>> {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| Diagnostic::error(e.message().trim_end(), e.span()))
            .collect());
    }
    let mut out = Vec::new();
    for value in root.get_ref().values() {
        tree::check_limits(value, 1, &mut out);
    }
    if out.is_empty() { Ok(root) } else { Err(out) }
}

fn places(profile: &Profile, tree: &DeTable) -> Places {
    Places {
        layout_name: span(tree, &[Key::Name("layout"), Key::Name("name")]),
        layout_params: profile
            .layout
            .keys()
            .filter(|key| key.as_str() != "name")
            .map(|key| {
                let place = ParamPlace {
                    key: key_span(tree, "layout", key),
                    value: span(tree, &[Key::Name("layout"), Key::Name(key)]),
                };
                (key.clone(), place)
            })
            .collect(),
        variants: span(tree, &[Key::Name("output"), Key::Name("variants")]),
        image: span(tree, &[Key::Name("basics"), Key::Name("image")]),
        output_name: span(tree, &[Key::Name("output"), Key::Name("name")]),
        pdf_standards: span(tree, &[Key::Name("output"), Key::Name("pdf_standards")]),
        anonymize_id: span(tree, &[Key::Name("anonymize"), Key::Name("id")]),
        texts: tree.values().flat_map(tree::texts).collect(),
        bibliographies: profile
            .sections
            .iter()
            .enumerate()
            .map(|(s, section)| {
                let at = |key: &str, more: Option<usize>| {
                    let mut path = vec![Key::Name("section"), Key::Index(s), Key::Name(key)];
                    path.extend(more.map(Key::Index));
                    span(tree, &path)
                };
                BibliographyPlaces {
                    file: at("bibliography", None),
                    style: at("style", None),
                    keys: (0..section.keys.len())
                        .map(|k| at("keys", Some(k)))
                        .collect(),
                }
            })
            .collect(),
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
    if let Some(expected) = message.strip_prefix("invalid type: map, expected ")
        && (expected == "a string" || expected.starts_with("a date"))
    {
        // A TOML date or an inline table where text belongs.
        return Diagnostic::error("expected text in quotes here", span)
            .hint("write dates as strings: start_date = \"2019-12\"");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some(kind) = rest.strip_suffix(", expected a string")
        && let Some((_, written)) = kind.split_once(" `")
    {
        // A year, a phone number or a version written as a number.
        let written = written.trim_end_matches('`');
        return Diagnostic::error("expected text in quotes here", span)
            .hint(format!("write it in quotes: \"{written}\""));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Checked {
        check(text, (2026, 11), None)
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
        assert_eq!(found.len(), 1, "{found:?}");
        let url = &checked.diagnostics[0];
        assert_eq!(&text[url.span.clone().unwrap()], "\"not a url\"");
        // Layout parameters are the planning stage's; it gets their places.
        let place = &checked.places.layout_params["papr"];
        assert_eq!(&text[place.key.clone().unwrap()], "papr");
        assert_eq!(&text[place.value.clone().unwrap()], "\"a4\"");
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
}
