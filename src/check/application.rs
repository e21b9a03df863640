//! Validating an application file: every problem in it, each with its
//! place. What needs the profile (its tags, its sections) is checked where
//! the application is planned, at the places handed on here.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::tree::{Key, lookup_root, span};
use super::{Places, places};
use crate::application::Application;
use crate::diagnostic::Diagnostic;
use crate::profile::Profile;

/// What checking an application found.
pub(crate) struct CheckedApplication {
    /// The application as written; usable only if no diagnostic is an
    /// error.
    pub application: Option<Application>,
    pub places: ApplicationPlaces,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where the values the planning stage resolves are written.
#[derive(Debug, Default)]
pub(crate) struct ApplicationPlaces {
    /// `profile = "..."`.
    pub profile: Option<Range<usize>>,
    /// Every tag the application names (`tags`, `exclude`, the keys of
    /// `[tailor.priority]`), with its place.
    pub tags: Vec<(String, Range<usize>)>,
    /// Every name in `[tailor] sections`, with its place.
    pub sections: Vec<(String, Range<usize>)>,
    /// The `[tailor]` table, for what the filter as a whole does.
    pub tailor: Option<Range<usize>>,
    /// `language = "..."`.
    pub language: Option<Range<usize>>,
    /// `posting = "..."`.
    pub posting: Option<Range<usize>>,
    /// `[layout]` and `[output]`, as in a profile.
    pub layout: Places,
}

/// Whether a TOML file is an application rather than a profile: it names
/// the profile it builds on at the top.
pub(crate) fn is_application(text: &str) -> bool {
    let (root, _) = DeTable::parse_recoverable(text);
    root.get_ref().iter().any(|(key, value)| {
        key.get_ref() == "profile" && matches!(value.get_ref(), DeValue::String(_))
    })
}

/// Checks application text.
pub(crate) fn check_application(text: &str) -> CheckedApplication {
    let text_of_file = text;
    let failed = |diagnostics| CheckedApplication {
        application: None,
        places: ApplicationPlaces::default(),
        diagnostics,
    };
    let root = match super::parse(text) {
        Ok(root) => root,
        Err(diagnostics) => return failed(diagnostics),
    };
    let mut out = Vec::new();
    let whole = Spanned::new(root.span(), DeValue::Table(root.get_ref().clone()));
    let Some(application) = super::piece::<Application>(&whole, &mut out) else {
        return failed(out);
    };
    let tree = root.get_ref();
    for (field, value) in [
        ("company", &application.company),
        ("position", &application.position),
    ] {
        if value.trim().is_empty() {
            out.push(Diagnostic::error(
                format!("`{field}` is empty"),
                span(tree, &[Key::Name(field)]),
            ));
        }
    }
    let listed = |list: &str| -> Vec<(String, Range<usize>)> {
        let Some(value) = lookup_root(tree, &[Key::Name("tailor"), Key::Name(list)]) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| match item.get_ref() {
                    DeValue::String(text) => Some((text.to_string(), item.span())),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut tags = listed("tags");
    tags.extend(listed("exclude"));
    if let Some(priority) = lookup_root(tree, &[Key::Name("tailor"), Key::Name("priority")])
        && let DeValue::Table(table) = priority.get_ref()
    {
        tags.extend(
            table
                .iter()
                .map(|(k, _)| (k.get_ref().to_string(), k.span())),
        );
    }
    // Prose the application writes links only to the web, mail or phone,
    // as a profile's does.
    for (path, text) in [
        (["tailor", "summary"], application.tailor.summary.as_deref()),
        (
            ["letter", "body"],
            application.letter.as_ref().map(|l| l.body.as_str()),
        ),
    ] {
        let at = span(tree, &[Key::Name(path[0]), Key::Name(path[1])]);
        super::rules::check_links(text, at, text_of_file, &mut out);
    }
    // One application, one language: the profile lists them.
    if application.output.languages.is_some() {
        out.push(
            Diagnostic::error(
                "an application is made in one language",
                span(tree, &[Key::Name("output"), Key::Name("languages")]),
            )
            .hint("pick it with language = \"de\" at the top; the profile's [output] languages lists those it is written in"),
        );
    }
    // A letter of nothing is no letter.
    if let Some(letter) = &application.letter
        && letter.body.trim().is_empty()
    {
        let at = span(tree, &[Key::Name("letter"), Key::Name("body")])
            .or_else(|| lookup_root(tree, &[Key::Name("letter")]).map(|v| v.span()));
        out.push(
            Diagnostic::error("the letter's body is empty", at)
                .hint("write the letter in [letter] body = \"\"\"...\"\"\""),
        );
    }
    let pseudo = Profile {
        layout: application.layout.clone(),
        output: application.output.clone(),
        ..Profile::default()
    };
    let places = ApplicationPlaces {
        profile: span(tree, &[Key::Name("profile")]),
        language: span(tree, &[Key::Name("language")]),
        posting: span(tree, &[Key::Name("posting")]),
        tags,
        sections: listed("sections"),
        tailor: lookup_root(tree, &[Key::Name("tailor")]).map(|v| v.span()),
        layout: places(&pseudo, tree),
    };
    CheckedApplication {
        application: Some(application),
        places,
        diagnostics: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APPLICATION: &str = r##"profile = "../input/ada.toml"
company = "Acme"
position = "Backend Engineer"

[tailor]
tags = ["backend", "go"]
exclude = ["frontend"]
sections = ["Experience"]
priority = { lead = "high" }

[layout]
name = "modern"
accent = "#224488"
"##;

    #[test]
    fn an_application_is_told_from_a_profile_and_its_places_are_found() {
        assert!(is_application(APPLICATION));
        assert!(!is_application("[basics]\nname = \"Ada\"\n"));
        let checked = check_application(APPLICATION);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let places = &checked.places;
        assert_eq!(
            &APPLICATION[places.profile.clone().unwrap()],
            "\"../input/ada.toml\""
        );
        let tags: Vec<(&str, &str)> = places
            .tags
            .iter()
            .map(|(tag, at)| (tag.as_str(), &APPLICATION[at.clone()]))
            .collect();
        assert_eq!(
            tags,
            [
                ("backend", "\"backend\""),
                ("go", "\"go\""),
                ("frontend", "\"frontend\""),
                ("lead", "lead")
            ]
        );
        assert_eq!(
            &APPLICATION[places.layout.layout_params["accent"].value.clone().unwrap()],
            "\"#224488\""
        );
    }

    #[test]
    fn mistakes_are_reported_where_they_are() {
        let text =
            "profile = \"p.toml\"\ncompany = \"\"\nposition = \"X\"\n[tailor]\ntagz = [\"a\"]\n";
        let checked = check_application(text);
        let found: Vec<(&str, &str)> = checked
            .diagnostics
            .iter()
            .map(|d| (d.message.as_str(), &text[d.span.clone().unwrap()]))
            .collect();
        assert_eq!(found, [("unknown field `tagz`", "tagz")], "{found:?}");
        let checked =
            check_application("profile = \"p.toml\"\ncompany = \" \"\nposition = \"X\"\n");
        assert_eq!(checked.diagnostics[0].message, "`company` is empty");
    }
}
