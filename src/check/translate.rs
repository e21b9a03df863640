//! Translations: a text written once per language beside the field,
//! `title = { en = "Experience", de = "Berufserfahrung" }`, or as a table
//! of its own for long bodies (`[section.body]` with `en = """..."""`).
//!
//! Before anything is deserialized, the parsed file is turned into the
//! profile of one language: every translated text becomes that language's
//! text, in place, keeping its position in the file for later messages. A
//! text without the language falls back to the profile's first language,
//! with a warning at the text. Plain strings are the same in every
//! language (names, employers, technologies).
//!
//! Which tables are translations is decided by where they stand, not only
//! by their keys: the tables a profile is made of (basics, its location
//! and profiles, sections, entries, parts, bullets written as tables) are
//! walked into, and only a table where text (or a list of texts) belongs,
//! whose keys are all language codes, is a translation.

use std::collections::{BTreeMap, BTreeSet};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::layout::language::is_language_code;

/// How many of a profile's texts are written per language, and how many
/// of those each language has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Completeness {
    /// Texts written as translation tables.
    pub fields: usize,
    /// For each language code used in them, how many it has.
    pub by_language: BTreeMap<String, usize>,
}

impl Completeness {
    /// How many of the translated texts `language` has.
    pub fn of(&self, language: &str) -> usize {
        self.by_language.get(language).copied().unwrap_or(0)
    }
}

/// What a part of the profile is, which decides what its keys hold.
#[derive(Clone, Copy)]
enum Shape {
    Basics,
    /// A table of texts only: a location, a social profile.
    Record,
    Section,
    Entry,
    Part,
    /// A bullet written as a table.
    Bullet,
}

impl Shape {
    /// What the value under `key` of a table of this shape is.
    fn child(self, key: &str) -> Child {
        match (self, key) {
            (Self::Basics, "location") => Child::Table(Self::Record),
            (Self::Basics, "profiles") => Child::Tables(Self::Record),
            (Self::Section, "entries") => Child::Tables(Self::Entry),
            (Self::Section | Self::Bullet, "items") => Child::Bullets,
            (Self::Entry | Self::Part, "highlights") => Child::Bullets,
            (Self::Entry, "parts") => Child::Tables(Self::Part),
            _ => Child::Text,
        }
    }
}

/// What a value holds.
#[derive(Clone, Copy)]
enum Child {
    Table(Shape),
    Tables(Shape),
    Bullets,
    /// A text or a list of texts, each possibly translated.
    Text,
}

/// Turns the parsed profile into the profile of `language`; `first` is the
/// profile's first language, which every translated text must have, and
/// `listed` the languages it is rendered in. Problems go to `out`.
pub(super) fn localize(
    root: &mut DeTable,
    language: &str,
    first: &str,
    listed: &[String],
    out: &mut Vec<Diagnostic>,
) -> Completeness {
    let mut localizer = Localizer {
        language,
        first,
        listed,
        out,
        completeness: Completeness::default(),
        unlisted: BTreeSet::new(),
    };
    for (key, value) in root.iter_mut() {
        match key.get_ref().as_ref() {
            "basics" => localizer.value(value, Child::Table(Shape::Basics), "basics"),
            "section" => localizer.value(value, Child::Tables(Shape::Section), "section"),
            "anonymize" => every_language_redacted(value),
            // Layout parameters and output options are the same in every
            // language.
            _ => {}
        }
    }
    localizer.completeness
}

struct Localizer<'a, 'o> {
    language: &'a str,
    first: &'a str,
    listed: &'a [String],
    out: &'o mut Vec<Diagnostic>,
    completeness: Completeness,
    /// Language codes already warned about as not rendered.
    unlisted: BTreeSet<String>,
}

impl Localizer<'_, '_> {
    fn value<'i>(&mut self, value: &mut Spanned<DeValue<'i>>, child: Child, field: &str) {
        if let Some(picked) = self.translation(value, child, field) {
            *value = picked;
        }
        match (child, value.get_mut()) {
            (Child::Table(shape), DeValue::Table(table)) => self.table(table, shape),
            (Child::Tables(shape), DeValue::Array(items)) => {
                for item in items.iter_mut() {
                    if let DeValue::Table(table) = item.get_mut() {
                        self.table(table, shape);
                    }
                }
            }
            (Child::Bullets, DeValue::Array(items)) => {
                for item in items.iter_mut() {
                    if let Some(picked) = self.translation(item, Child::Bullets, field) {
                        *item = picked;
                    }
                    if let DeValue::Table(table) = item.get_mut() {
                        self.table(table, Shape::Bullet);
                    }
                }
            }
            (Child::Text, DeValue::Array(items)) => {
                for item in items.iter_mut() {
                    self.value(item, Child::Text, field);
                }
            }
            _ => {}
        }
    }

    fn table(&mut self, table: &mut DeTable<'_>, shape: Shape) {
        for (key, value) in table.iter_mut() {
            let field = key.get_ref().to_string();
            self.value(value, shape.child(&field), &field);
        }
    }

    /// If `value` is a translation table where `child` stands, the value
    /// of the language (or the fallback), to stand in its place.
    fn translation<'i>(
        &mut self,
        value: &Spanned<DeValue<'i>>,
        child: Child,
        field: &str,
    ) -> Option<Spanned<DeValue<'i>>> {
        let DeValue::Table(table) = value.get_ref() else {
            return None;
        };
        if table.is_empty() || matches!(child, Child::Table(_) | Child::Tables(_)) {
            return None;
        }
        let stranger = table.keys().find(|key| !is_language_code(key.get_ref()));
        match (stranger, child) {
            (None, _) => {}
            // A bullet written as a table: the deserializer checks it.
            (Some(_), Child::Bullets) => return None,
            (Some(key), _) => {
                self.out.push(
                    Diagnostic::error(
                        format!(
                            "`{}` is not a language code: `{field}` holds text, or its translations",
                            key.get_ref()
                        ),
                        Some(key.span()),
                    )
                    .hint(format!(
                        "write {field} = \"...\", or one text per language: {field} = {{ en = \"...\", de = \"...\" }}"
                    )),
                );
                // Reported here; nothing else need say so again.
                return Some(Spanned::new(value.span(), DeValue::String("".into())));
            }
        }
        let span = value.span();
        self.completeness.fields += 1;
        for key in table.keys() {
            let code = key.get_ref().to_string();
            *self
                .completeness
                .by_language
                .entry(code.clone())
                .or_default() += 1;
            if !self.listed.contains(&code) && self.unlisted.insert(code.clone()) {
                self.out.push(
                    Diagnostic::warning(
                        format!(
                            "a text in `{code}`, which is not one of the profile's languages ({}); it is not rendered",
                            self.listed.join(", ")
                        ),
                        Some(key.span()),
                    )
                    .hint(format!(
                        "to render it, list it: [output] languages = [{}]",
                        self.listed
                            .iter()
                            .chain([&code])
                            .map(|c| format!("\"{c}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
        }
        let get = |code: &str| {
            table
                .iter()
                .find(|(key, _)| key.get_ref() == code)
                .map(|(_, value)| value)
        };
        if let Some(own) = get(self.language) {
            return Some(own.clone());
        }
        let Some(fallback) = get(self.first) else {
            self.out.push(
                Diagnostic::error(
                    format!(
                        "`{field}` has no `{}` text; every translated text needs one in the profile's first language",
                        self.first
                    ),
                    Some(span),
                )
                .hint(format!("add {} = \"...\"", self.first)),
            );
            // Any text stands in, so the rest of the file is still checked.
            return table.values().next().cloned();
        };
        self.out.push(
            Diagnostic::warning(
                format!(
                    "`{field}` has no `{}` translation; the `{}` text is used",
                    self.language, self.first
                ),
                Some(span),
            )
            .hint(format!("add {} = \"...\"", self.language)),
        );
        Some(fallback.clone())
    }
}

/// `[anonymize] redact` redacts a word in every language's documents: a
/// translated word stands for all its forms (`{ en = "Munich", de =
/// "München" }` redacts both, everywhere).
fn every_language_redacted(anonymize: &mut Spanned<DeValue<'_>>) {
    let DeValue::Table(table) = anonymize.get_mut() else {
        return;
    };
    for (key, value) in table.iter_mut() {
        if key.get_ref() != "redact" {
            continue;
        }
        let DeValue::Array(items) = value.get_mut() else {
            continue;
        };
        let mut flat = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(forms)
                    if !forms.is_empty() && forms.keys().all(|k| is_language_code(k.get_ref())) =>
                {
                    flat.extend(forms.values().cloned());
                }
                _ => flat.push(item.clone()),
            }
        }
        let mut rebuilt = toml::de::DeArray::new();
        for item in flat {
            rebuilt.push(item);
        }
        *items = rebuilt;
    }
}
