//! Publications from the bibliography a person already keeps: a BibTeX,
//! BibLaTeX or Hayagriva YAML file, filtered and ordered as a section asks,
//! formatted in a citation style by hayagriva, the engine behind Typst's own
//! `bibliography`.
//!
//! References reach layouts as runs of text (never as markup), in two forms:
//! as the person's own documents show them, their name in author lists set in
//! bold, and as anonymized documents show them, formatted again from entries
//! without links or identifiers (URL, DOI, ISBN, arXiv...) and with the
//! person's name replaced by the word for the candidate. Which author is the
//! person is decided from their entries' structured names, not from the text.

use std::collections::HashMap;
use std::sync::LazyLock;

use hayagriva::archive::{self, ArchivedStyle};
use hayagriva::citationberg::taxonomy::NameVariable;
use hayagriva::citationberg::{FontStyle, FontWeight, IndependentStyle, Locale, LocaleCode, Style};
use hayagriva::types::{EntryType, Person};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild, ElemMeta,
    Entry, Formatting, Library,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::markup::{Paragraph, Run};

/// The style references are formatted in when a section names none.
pub const DEFAULT_STYLE: &str = "apa";

/// One formatted reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Its key in the bibliography file.
    pub key: String,
    /// The reference as one paragraph of runs.
    pub text: Paragraph,
    /// Whether the style put a number ("[3]") in front of it.
    pub numbered: bool,
    /// Year and month (1-12, 0 unknown) it appeared, for one-page fitting's
    /// "older entries go first".
    pub date: Option<(i32, u8)>,
}

/// A section's references in both forms, in the section's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Publications {
    /// As the person's documents show them.
    pub shown: Vec<Reference>,
    /// As anonymized documents show them.
    pub anonymous: Vec<Reference>,
}

/// The order of a section's references.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Newest first (undated last).
    #[default]
    Newest,
    /// Oldest first (undated last).
    Oldest,
    /// By kind (articles, conference papers, books, chapters, theses,
    /// reports, patents, others), newest first within each.
    Kind,
    /// As the file has them, or as `keys` lists them.
    File,
}

/// What a publication is, as academic CVs group them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A journal or magazine article.
    Article,
    /// A paper in conference or workshop proceedings.
    Conference,
    Book,
    /// A chapter or a contribution to a collection.
    Chapter,
    Thesis,
    /// A technical report or working paper.
    Report,
    Patent,
    /// Anything else: talks, software, web pages, posters.
    Other,
}

/// The kind of an entry: its own type, and for an article what it
/// appeared in.
pub fn kind(entry: &Entry) -> Kind {
    let parent = entry.parents().first().map(Entry::entry_type);
    match entry.entry_type() {
        EntryType::Article => match parent {
            Some(EntryType::Proceedings | EntryType::Conference) => Kind::Conference,
            _ => Kind::Article,
        },
        EntryType::Book | EntryType::Anthology | EntryType::Proceedings => Kind::Book,
        EntryType::Chapter | EntryType::Anthos => Kind::Chapter,
        EntryType::Thesis => Kind::Thesis,
        EntryType::Report => Kind::Report,
        EntryType::Patent => Kind::Patent,
        _ => Kind::Other,
    }
}

/// What a section asks of its bibliography.
pub struct Request<'a> {
    /// The citation style's name (`apa`, `ieee`, `chicago-author-date`...).
    pub style: &'a str,
    /// Only these entries, when any are named.
    pub keys: &'a [String],
    /// Only entries of these kinds, when any are named.
    pub kinds: &'a [Kind],
    pub order: Order,
    /// The person's name in each spelling they use (`Reed Allman`,
    /// `Allman, R. D.`): authors of these names are theirs.
    pub names: &'a [&'a str],
    /// The document's language (`de`, `pt-BR`), for the style's terms.
    pub lang: &'a str,
    /// What stands for the person in anonymized author lists.
    pub candidate: &'a str,
    /// Anonymized references give years only.
    pub years_only: bool,
}

/// Why a bibliography could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The file is not valid BibTeX/BibLaTeX or Hayagriva YAML.
    #[error("{message}")]
    Syntax {
        /// 1-based line and column in the bibliography file.
        line: usize,
        column: usize,
        message: String,
    },
    #[error("unknown citation style `{name}`")]
    UnknownStyle {
        name: String,
        suggestion: Option<String>,
    },
    #[error("the bibliography has no entry `{0}`")]
    UnknownKey(String),
    /// The entries could not be prepared for formatting (for anonymized
    /// documents: without links and identifiers).
    #[error("cannot prepare the bibliography's entries: {0}")]
    Strip(String),
}

/// Parses a bibliography file's text: YAML when the file name says so,
/// BibTeX/BibLaTeX otherwise.
pub fn parse(text: &str, yaml: bool) -> Result<Library, Error> {
    if yaml {
        return hayagriva::io::from_yaml_str(text).map_err(|err| {
            let (line, column) = err.location().map_or((1, 1), |at| (at.line(), at.column()));
            Error::Syntax {
                line,
                column,
                message: first_clause(&err.to_string()),
            }
        });
    }
    hayagriva::io::from_biblatex_str(text).map_err(|errors| {
        let first = errors.first();
        let (start, message) = match first {
            Some(hayagriva::io::BibLaTeXError::Parse(err)) => {
                (err.span.start, err.kind.to_string())
            }
            Some(hayagriva::io::BibLaTeXError::Type(err)) => (err.span.start, err.kind.to_string()),
            None => (0, "the file could not be read as BibTeX".to_owned()),
        };
        let (line, column) = line_column(text, start);
        Error::Syntax {
            line,
            column,
            message,
        }
    })
}

/// Whether a file name is a Hayagriva YAML bibliography.
pub fn is_yaml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// Selects, orders and formats a parsed bibliography as a section asks.
pub fn publications(library: &Library, request: &Request) -> Result<Publications, Error> {
    let style = style(request.style)?;
    let entries = select(library, request)?;
    let own = Own::new(request.names);
    let locale = LocaleCode(request.lang.to_owned());
    let shown = prepare(&entries, false, false)?;
    let shown = format(
        &shown.iter().collect::<Vec<_>>(),
        &style,
        &locale,
        &own,
        None,
    )?;
    let anonymous = prepare(&entries, true, request.years_only)?;
    let anonymous = format(
        &anonymous.iter().collect::<Vec<_>>(),
        &style,
        &locale,
        &own,
        Some(request.candidate),
    )?;
    Ok(Publications { shown, anonymous })
}

/// A built-in style by name.
fn style(name: &str) -> Result<IndependentStyle, Error> {
    let unknown = || Error::UnknownStyle {
        name: name.to_owned(),
        suggestion: crate::diagnostic::did_you_mean(
            name,
            ArchivedStyle::all()
                .iter()
                .flat_map(|s| s.names().iter().copied()),
        )
        .map(str::to_owned),
    };
    match ArchivedStyle::by_name(name).ok_or_else(unknown)?.get() {
        Style::Independent(style) => Ok(style),
        Style::Dependent(_) => Err(unknown()),
    }
}

/// The entries a section shows, in its order.
fn select<'a>(library: &'a Library, request: &Request) -> Result<Vec<&'a Entry>, Error> {
    let mut entries: Vec<&Entry> = if request.keys.is_empty() {
        library.iter().collect()
    } else {
        request
            .keys
            .iter()
            .map(|key| {
                library
                    .get(key)
                    .ok_or_else(|| Error::UnknownKey(key.clone()))
            })
            .collect::<Result<_, _>>()?
    };
    if !request.kinds.is_empty() {
        entries.retain(|entry| request.kinds.contains(&kind(entry)));
    }
    // Stable sorts: entries of one date keep the file's order.
    let newest = |entry: &&Entry| std::cmp::Reverse(date(entry).unwrap_or((i32::MIN, 0)));
    match request.order {
        Order::File => {}
        Order::Newest => entries.sort_by_key(newest),
        Order::Oldest => entries.sort_by_key(|entry| date(entry).unwrap_or((i32::MAX, 13))),
        Order::Kind => entries.sort_by_key(|entry| (kind(entry), newest(entry))),
    }
    Ok(entries)
}

/// When an entry appeared: year and month (1-12, 0 unknown).
fn date(entry: &Entry) -> Option<(i32, u8)> {
    entry
        .date_any()
        .map(|date| (date.year, date.month.map_or(0, |m| m + 1)))
}

/// The entries as they are formatted. A thesis names its school as its
/// publisher, where styles look for it (BibTeX's `school` arrives as the
/// organisation, which no common style prints for a thesis). With
/// `anonymous`, everything that links them to the person beyond their name
/// goes: URLs and identifiers (DOI, ISBN, arXiv, PMID...), at every level
/// of parents, and with `years_only` months and days. Done on the entries'
/// data, so no style can print what is gone.
fn prepare(entries: &[&Entry], anonymous: bool, years_only: bool) -> Result<Vec<Entry>, Error> {
    fn clean(value: &mut Json, anonymous: bool, years_only: bool) {
        let Some(fields) = value.as_object_mut() else {
            return;
        };
        if fields.get("type").and_then(Json::as_str) == Some("thesis")
            && !fields.contains_key("publisher")
            && let Some(school) = fields.get("organization").cloned()
        {
            fields.insert("publisher".into(), school);
        }
        if anonymous {
            for gone in ["url", "serial-number"] {
                fields.remove(gone);
            }
        }
        if anonymous
            && years_only
            && let Some(date) = fields.get_mut("date")
            && let Some(text) = date.as_str()
        {
            let (sign, rest) = match text.strip_prefix('-') {
                Some(rest) => (-1, rest),
                None => (1, text),
            };
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(year) = digits.parse::<i64>() {
                *date = Json::from(sign * year);
            }
        }
        match fields.get_mut("parent") {
            Some(Json::Array(parents)) => parents
                .iter_mut()
                .for_each(|p| clean(p, anonymous, years_only)),
            Some(parent) => clean(parent, anonymous, years_only),
            None => {}
        }
    }
    let mut library = Library::new();
    for entry in entries {
        library.push(entry);
    }
    let mut value = serde_json::to_value(&library).map_err(|e| Error::Strip(e.to_string()))?;
    if let Some(entries) = value.as_object_mut() {
        entries
            .values_mut()
            .for_each(|e| clean(e, anonymous, years_only));
    }
    let prepared: Library =
        serde_json::from_value(value).map_err(|e| Error::Strip(e.to_string()))?;
    // In the entries' order (the data's map may have sorted them by key).
    entries
        .iter()
        .map(|entry| {
            let key = entry.key();
            let lost = || Error::Strip(format!("entry `{key}` was lost"));
            prepared.get(key).cloned().ok_or_else(lost)
        })
        .collect()
}

/// The locale files every style falls back on, decoded once.
static LOCALES: LazyLock<Vec<Locale>> = LazyLock::new(archive::locales);

/// Formats entries in a style, keeping their order (a style's own sorting
/// is undone by key; a numeric style numbers them in this order). With
/// `candidate`, the person's name is replaced by it and links are dropped.
fn format(
    entries: &[&Entry],
    style: &IndependentStyle,
    locale: &LocaleCode,
    own: &Own,
    candidate: Option<&str>,
) -> Result<Vec<Reference>, Error> {
    let mut driver = BibliographyDriver::new();
    for entry in entries {
        let mut request =
            CitationRequest::from_items(vec![CitationItem::with_entry(*entry)], style, &LOCALES);
        request.locale = Some(locale.clone());
        driver.citation(request);
    }
    let rendered = driver.finish(BibliographyRequest::new(
        style,
        Some(locale.clone()),
        &LOCALES,
    ));
    let Some(bibliography) = rendered.bibliography else {
        return Err(Error::UnknownStyle {
            name: "a style without a bibliography".into(),
            suggestion: Some(DEFAULT_STYLE.into()),
        });
    };
    let mut texts: HashMap<String, (Paragraph, bool)> = HashMap::new();
    for item in bibliography.items {
        let mut walk = Walk {
            own,
            candidate,
            out: Vec::new(),
        };
        if let Some(first) = &item.first_field {
            walk.child(first, None, false);
            walk.push(" ", Formatting::default(), false, None);
        }
        walk.children(&item.content.0, None, false);
        texts.insert(item.key, (walk.finish(), item.first_field.is_some()));
    }
    Ok(entries
        .iter()
        .filter_map(|entry| {
            let (text, numbered) = texts.remove(entry.key())?;
            Some(Reference {
                key: entry.key().to_owned(),
                text,
                numbered,
                date: date(entry),
            })
        })
        .collect())
}

/// Turns a formatted reference into runs.
struct Walk<'a> {
    own: &'a Own,
    candidate: Option<&'a str>,
    out: Paragraph,
}

type NameLists = [(Vec<Person>, NameVariable)];

impl Walk<'_> {
    /// Children in order. A year alone is followed by the comma that was to
    /// come before its month ("(2018,)" in APA; hayagriva#246, fixed after
    /// 0.10.1): the comma goes where the date's closing bracket follows it.
    fn children(&mut self, children: &[ElemChild], names: Option<&NameLists>, mine: bool) {
        let mut after_date = false;
        for child in children {
            if let (true, ElemChild::Text(text)) = (after_date, child)
                && let Some(rest) = text.text.strip_prefix(',')
                && rest.trim_start().starts_with(')')
            {
                self.push(rest.trim_start(), text.formatting, mine, None);
                after_date = false;
                continue;
            }
            after_date =
                matches!(child, ElemChild::Elem(elem) if matches!(elem.meta, Some(ElemMeta::Date)));
            self.child(child, names, mine);
        }
    }

    fn child(&mut self, child: &ElemChild, names: Option<&NameLists>, mine: bool) {
        match child {
            ElemChild::Text(text) => self.push(&text.text, text.formatting, mine, None),
            ElemChild::Markup(text) => self.push(text, Formatting::default(), mine, None),
            ElemChild::Link { text, url } => {
                // Anonymized entries have no links left; none is kept anyway.
                let link = (self.candidate.is_none() && crate::link::is_web(url)).then_some(url);
                self.push(&text.text, text.formatting, mine, link.map(String::as_str));
            }
            ElemChild::Elem(elem) => {
                let names = match &elem.meta {
                    Some(ElemMeta::Names(lists)) => Some(lists.as_slice()),
                    _ => names,
                };
                let mut mine = mine;
                if let Some(ElemMeta::Name(variable, index)) = &elem.meta {
                    let person = names
                        .and_then(|lists| lists.iter().find(|(_, v)| v == variable))
                        .and_then(|(persons, _)| persons.get(*index));
                    if person.is_some_and(|p| self.own.is(p)) {
                        if let Some(candidate) = self.candidate {
                            self.push(candidate, Formatting::default(), false, None);
                            return;
                        }
                        mine = true;
                    }
                }
                self.children(&elem.children.0, names, mine);
            }
            ElemChild::Transparent { .. } => {}
        }
    }

    fn push(&mut self, text: &str, formatting: Formatting, mine: bool, link: Option<&str>) {
        if text.is_empty() {
            return;
        }
        let run = Run {
            text: text.to_owned(),
            strong: mine || formatting.font_weight == FontWeight::Bold,
            emph: formatting.font_style == FontStyle::Italic,
            code: false,
            link: link.map(str::to_owned),
            hyphenate: false,
        };
        match self.out.last_mut() {
            Some(last)
                if (last.strong, last.emph, &last.link) == (run.strong, run.emph, &run.link) =>
            {
                last.text.push_str(&run.text);
            }
            _ => self.out.push(run),
        }
    }

    fn finish(mut self) -> Paragraph {
        if let Some(last) = self.out.last_mut() {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
        }
        self.out.retain(|run| !run.text.is_empty());
        self.out
    }
}

/// The person's names, folded for comparison, and which authors are them.
struct Own {
    /// Each spelling as (family name, given names): "Reed Allman" is
    /// Allman, Reed (or, for "Reed van Allman", van Allman, Reed).
    forms: Vec<(String, Option<String>)>,
}

impl Own {
    fn new(names: &[&str]) -> Self {
        let mut forms = Vec::new();
        for name in names {
            if let Some((family, given)) = name.split_once(',') {
                forms.push((fold(family), Some(fold(given)).filter(|g| !g.is_empty())));
                continue;
            }
            let words: Vec<String> = fold(name).split(' ').map(str::to_owned).collect();
            if words.len() == 1 {
                forms.push((words[0].clone(), None));
            }
            // A name in Latin letters reads given name first; one in another
            // script may read family name first (Chinese, Japanese, Korean);
            // "Family, Given" says which is which for any other.
            let family_first = !name.chars().any(|c| c.is_ascii_alphabetic());
            for split in 1..words.len() {
                forms.push((words[split..].join(" "), Some(words[..split].join(" "))));
                if family_first {
                    forms.push((words[..split].join(" "), Some(words[split..].join(" "))));
                }
            }
        }
        forms.retain(|(family, _)| !family.is_empty());
        Self { forms }
    }

    /// Whether an author is the person: the family name is one of theirs
    /// (with or without its particle), and the given name, when the entry
    /// has one, starts as theirs does.
    fn is(&self, person: &Person) -> bool {
        let bare = fold(&person.name);
        let full = match &person.prefix {
            Some(prefix) => fold(&format!("{prefix} {}", person.name)),
            None => bare.clone(),
        };
        let given = person.given_name.as_deref().map(fold);
        self.forms.iter().any(|(family, theirs)| {
            (*family == full || *family == bare)
                && match (&given, theirs) {
                    (Some(given), Some(theirs)) => initial(given) == initial(theirs),
                    _ => true,
                }
        })
    }
}

fn initial(name: &str) -> Option<char> {
    name.chars().find(|c| c.is_alphanumeric())
}

/// Lower case, without accents, dots or extra spaces: "Allman, R." and
/// "ALLMAN, r" compare equal; "Müller" and "Muller" too.
fn fold(text: &str) -> String {
    let plain: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A YAML error's message without the place it repeats ("at line 3 ...").
fn first_clause(message: &str) -> String {
    message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIB: &str = r#"@article{serverless,
  author = {Reed Allman and Jane Doe},
  title = {Cold Starts in Serverless Functions},
  journal = {Journal of Cloud Systems},
  year = {2019},
  month = {5},
  volume = {7},
  pages = {1--20},
  doi = {10.1234/jcs.2019.7},
}

@inproceedings{snooze,
  author = {Doe, Jane and Allman, R. D. and Smith, Ann},
  title = {Snooze: Hierarchical Scheduling},
  booktitle = {Proceedings of the Systems Conference},
  year = {2021},
  url = {https://example.org/snooze.pdf},
}

@book{queues,
  author = {Allman, Reed},
  title = {Queues at Scale},
  publisher = {Example Press},
  year = {2015},
  isbn = {978-3-16-148410-0},
}

@phdthesis{thesis,
  author = {Allman, Reed},
  title = {Scheduling Everything},
  school = {Example University},
  year = {2013},
}
"#;

    fn request<'a>(style: &'a str, order: Order) -> Request<'a> {
        Request {
            style,
            keys: &[],
            kinds: &[],
            order,
            names: &["Reed Allman"],
            lang: "en",
            candidate: "Candidate",
            years_only: false,
        }
    }

    fn plain(text: &Paragraph) -> String {
        text.iter().map(|run| run.text.as_str()).collect()
    }

    fn keys(references: &[Reference]) -> Vec<&str> {
        references.iter().map(|r| r.key.as_str()).collect()
    }

    fn formatted(request: &Request) -> Publications {
        publications(&parse(BIB, false).unwrap(), request).unwrap()
    }

    #[test]
    fn entries_come_in_the_order_the_section_asks_for() {
        let order = |order| keys(&formatted(&request("apa", order)).shown).join(" ");
        assert_eq!(order(Order::Newest), "snooze serverless queues thesis");
        assert_eq!(order(Order::Oldest), "thesis queues serverless snooze");
        assert_eq!(order(Order::File), "serverless snooze queues thesis");
        assert_eq!(order(Order::Kind), "serverless snooze queues thesis");
        let picked = ["thesis".to_owned(), "serverless".to_owned()];
        let by_keys = Request {
            keys: &picked,
            ..request("apa", Order::File)
        };
        assert_eq!(keys(&formatted(&by_keys).shown), ["thesis", "serverless"]);
        let conference = [Kind::Conference, Kind::Thesis];
        let by_kind = Request {
            kinds: &conference,
            ..request("apa", Order::Newest)
        };
        assert_eq!(keys(&formatted(&by_kind).shown), ["snooze", "thesis"]);
        let missing = ["nope".to_owned()];
        let unknown = Request {
            keys: &missing,
            ..request("apa", Order::File)
        };
        assert_eq!(
            publications(&parse(BIB, false).unwrap(), &unknown),
            Err(Error::UnknownKey("nope".into()))
        );
    }

    #[test]
    fn the_persons_name_is_bold_and_only_theirs() {
        let shown = formatted(&request("apa", Order::File)).shown;
        for reference in &shown {
            let bold: Vec<&str> = reference
                .text
                .iter()
                .filter(|run| run.strong)
                .map(|run| run.text.as_str())
                .collect();
            assert_eq!(bold.len(), 1, "{}: {bold:?}", reference.key);
            assert!(bold[0].starts_with("Allman"), "{bold:?}");
            assert!(plain(&reference.text).contains("Doe") || reference.key != "serverless");
        }
        // A numeric style numbers the entries in the section's order.
        let ieee = formatted(&request("ieee", Order::Newest)).shown;
        assert!(plain(&ieee[0].text).starts_with("[1] "), "{:?}", ieee[0]);
        assert!(plain(&ieee[3].text).starts_with("[4] "), "{:?}", ieee[3]);
        assert!(plain(&ieee[1].text).contains("R. Allman"));
    }

    #[test]
    fn anonymous_references_lose_the_name_links_and_identifiers() {
        let both = formatted(&Request {
            years_only: true,
            ..request("ieee", Order::File)
        });
        let shown: Vec<String> = both.shown.iter().map(|r| plain(&r.text)).collect();
        assert!(shown[0].contains("10.1234/jcs.2019.7"), "{shown:?}");
        assert!(shown[0].contains("May"), "{shown:?}");
        assert!(shown[1].contains("example.org/snooze.pdf"), "{shown:?}");
        assert!(shown[2].contains("978-3-16-148410-0") || !shown[2].contains("ISBN"));
        assert!(both.shown[0].text.iter().any(|run| run.link.is_some()));
        for (reference, shown) in both.anonymous.iter().zip(&shown) {
            let text = plain(&reference.text);
            for gone in ["Allman", "R. D.", "10.1234", "example.org", "978-3", "May"] {
                assert!(!text.contains(gone), "{gone} in {text}");
            }
            assert!(text.contains("Candidate"), "{text}");
            assert!(reference.text.iter().all(|run| run.link.is_none()));
            // The rest reads as before: title and venue, the co-authors.
            let title = shown.split('“').nth(1).or_else(|| shown.split(", ").nth(1));
            let title = title
                .unwrap_or_default()
                .split(',')
                .next()
                .unwrap_or_default();
            assert!(text.contains(title), "{title} not in {text}");
        }
        assert!(plain(&both.anonymous[1].text).contains("J. Doe"));
    }

    #[test]
    fn the_person_is_known_by_any_spelling_of_their_name() {
        let person = |family: &str, given: Option<&str>, prefix: Option<&str>| Person {
            name: family.into(),
            given_name: given.map(str::to_owned),
            prefix: prefix.map(str::to_owned),
            suffix: None,
            comma_suffix: false,
            alias: None,
        };
        let own = Own::new(&[
            "Jan van Dijk",
            "José Müller-Pérez",
            "王小明",
            "Wang, Xiaoming",
        ]);
        assert!(own.is(&person("Dijk", Some("J."), Some("van"))));
        assert!(own.is(&person("van Dijk", Some("Jan"), None)));
        assert!(!own.is(&person("Dijk", Some("K."), Some("van"))));
        assert!(own.is(&person("Muller-Perez", Some("J"), None)));
        assert!(own.is(&person("Wang", Some("Xiaoming"), None)));
        assert!(own.is(&person("王小明", None, None)));
        assert!(!own.is(&person("Xiaoming", Some("W."), None)));
        assert!(!own.is(&person("Doe", Some("Jane"), None)));
        // In another script a name may read family name first.
        let own = Own::new(&["김 민준"]);
        assert!(own.is(&person("김", Some("민준"), None)));
        // "Family, Given" says which is which.
        let own = Own::new(&["Kovács, János"]);
        assert!(own.is(&person("Kovacs", Some("J."), None)));
        assert!(!own.is(&person("Janos", Some("K."), None)));
    }

    #[test]
    fn mistakes_are_reported_at_their_line() {
        let broken = "@article{a,\n  title = {One},\n  year = {2020},\n}\n\n@article{b,\n  title = {Two\n  year = 2021,\n";
        match parse(broken, false) {
            Err(Error::Syntax { line, .. }) => assert!((6..=9).contains(&line), "line {line}"),
            other => panic!("{other:?}"),
        }
        let yaml = "a:\n  type: article\n  title: One\n  date: 2020\nb:\n  type: article\n  title: [unclosed\n";
        match parse(yaml, true) {
            Err(Error::Syntax { line, message, .. }) => {
                assert!((7..=8).contains(&line), "line {line}: {message}");
                assert!(!message.contains(" at line "), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(line_column("ab\ncd\nef", 4), (2, 2));
        match publications(&parse(BIB, false).unwrap(), &request("iee", Order::File)) {
            Err(Error::UnknownStyle { suggestion, .. }) => {
                assert_eq!(suggestion.as_deref(), Some("ieee"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn yaml_bibliographies_read_like_bibtex() {
        let yaml = "paper:\n  type: article\n  title: Cold Starts\n  author: [\"Allman, Reed\", \"Doe, Jane\"]\n  date: 2019-05\n  parent:\n    type: periodical\n    title: Journal of Cloud Systems\n  serial-number:\n    doi: 10.1234/x\n";
        let library = parse(yaml, true).unwrap();
        let both = publications(&library, &request("apa", Order::Newest)).unwrap();
        let shown = plain(&both.shown[0].text);
        assert!(
            shown.contains("Cold Starts") && shown.contains("10.1234/x"),
            "{shown}"
        );
        assert_eq!(both.shown[0].date, Some((2019, 5)));
        assert_eq!(kind(library.get("paper").unwrap()), Kind::Article);
        assert!(!plain(&both.anonymous[0].text).contains("10.1234"));
    }
}
