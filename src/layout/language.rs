//! The fixed words of a document, by language: one TOML file per language
//! in the layout tree (`lang/<code>.toml`), built in or the user's. A user
//! adds a language by putting a file in their layouts folder; no rebuild.
//!
//! English is complete; every other file may leave words out, which then
//! read as in English. A language file also names the fonts its script
//! prefers (Japanese forms of the CJK ideographs, say), tried before the
//! general list of fallbacks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::line_column;
use crate::error::LayoutError;

/// The language every other falls back to, word by word.
pub const BASE: &str = "en";

/// Section kinds whose heading a language names.
pub const KINDS: &[&str] = &[
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
    "talks",
    "grants",
    "teaching",
    "supervision",
    "personal",
];

/// Whether a key reads as a language code: `de`, `fil`, `zh-TW`, `sr-Latn`.
pub fn is_language_code(key: &str) -> bool {
    let mut parts = key.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|part| {
            (2..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Languages written right to left (ISO 639 codes).
const RIGHT_TO_LEFT: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi",
];

/// A language file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    present: Option<String>,
    months: Option<[String; 12]>,
    short_months: Option<[String; 12]>,
    day_months: Option<[String; 12]>,
    date: Option<String>,
    degree: Option<String>,
    cv: Option<String>,
    page: Option<String>,
    candidate: Option<String>,
    photo: Option<String>,
    references: Option<String>,
    earlier: Option<String>,
    #[serde(default)]
    titles: BTreeMap<String, String>,
    #[serde(default)]
    letter: LetterFile,
    #[serde(default)]
    fonts: PreferredFonts,
}

/// The `[letter]` table of a language file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LetterFile {
    title: Option<String>,
    date: Option<String>,
    subject: Option<String>,
    dear: Option<String>,
    greeting: Option<String>,
    closing: Option<String>,
}

/// The words of a cover letter.
#[derive(Debug, Clone, Serialize)]
pub struct LetterWords {
    /// What the document is called in its title: `Cover letter`.
    pub title: String,
    /// How a full date reads: `{month} {day}, {year}`.
    pub date: String,
    /// The subject when the letter gives none: `Application: {position}`.
    pub subject: String,
    /// The opening to a named person: `Dear {name},`.
    pub dear: String,
    /// The opening to no one in particular: `Dear Sir or Madam,`.
    pub greeting: String,
    /// `Kind regards,`.
    pub closing: String,
}

/// Families a language's script reads best in, before the general
/// fallbacks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferredFonts {
    #[serde(default)]
    pub sans: Vec<String>,
    #[serde(default)]
    pub serif: Vec<String>,
}

/// The fixed words a layout prints, complete.
#[derive(Debug, Clone, Serialize)]
pub struct Words {
    /// The end of an ongoing range ("Present").
    pub present: String,
    pub months: [String; 12],
    pub short_months: [String; 12],
    /// Month names as written with a day ("5 сентября"): the genitive
    /// where a language declines them; the same as `months` elsewhere.
    pub day_months: [String; 12],
    /// How a month and year read: `{month} {year}`, `{year}年{month}`.
    pub date: String,
    /// How a degree reads: `{type} in {area}`.
    pub degree: String,
    /// "Curriculum Vitae", for the document title.
    pub cv: String,
    /// The page label: `Page {n} of {total}`.
    pub page: String,
    /// What an anonymized document calls the person: `Candidate`.
    pub candidate: String,
    /// The photo's description for screen readers: `Photo of {name}`.
    pub photo: String,
    /// What an anonymized document says in place of the references:
    /// `Available on request.`
    pub references: String,
    /// What the one page calls the roles before its window, merged into
    /// one line: `Earlier`.
    pub earlier: String,
    /// Section headings by kind.
    pub titles: BTreeMap<String, String>,
    /// The words of a cover letter.
    pub letter: LetterWords,
}

/// One language: its code, its words and the fonts it prefers.
#[derive(Debug, Clone)]
pub struct Language {
    /// As in the file name: `de`, `zh-TW`.
    pub code: String,
    /// Its name in itself: `Deutsch`.
    pub name: String,
    pub words: Words,
    pub fonts: PreferredFonts,
}

impl Language {
    /// The ISO 639 language part of the code (`zh` of `zh-TW`).
    pub fn lang(&self) -> &str {
        self.code.split('-').next().unwrap_or(&self.code)
    }

    /// The region part of the code, if any (`TW` of `zh-TW`).
    pub fn region(&self) -> Option<&str> {
        self.code.split_once('-').map(|(_, region)| region)
    }

    pub fn is_right_to_left(&self) -> bool {
        RIGHT_TO_LEFT.contains(&self.lang())
    }
}

/// Fills `{name}` placeholders in one pass, so a value that itself contains
/// `{area}` stays as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `code` can name a language file: `xx` or `xxx`, optionally
/// with a region, `xx-YY`.
pub fn is_code(code: &str) -> bool {
    let (lang, region) = match code.split_once('-') {
        Some((lang, region)) => (lang, Some(region)),
        None => (code, None),
    };
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()))
}

/// Reads the language files (`code`, file name for messages, text), the
/// base language first. Every problem names the file and, where it has
/// one, the line.
pub fn load<'a>(
    files: impl IntoIterator<Item = (&'a str, String, &'a [u8])>,
) -> Result<BTreeMap<String, Language>, LayoutError> {
    let mut parsed = BTreeMap::new();
    for (code, display, bytes) in files {
        let refused = |message: String| LayoutError::Refused {
            path: display.clone().into(),
            message,
        };
        if !is_code(code) {
            return Err(refused(format!(
                "`{code}` is not a language code; name language files like `de.toml` or `pt-BR.toml`"
            )));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| refused("language file is not valid UTF-8".into()))?;
        let file: File = toml::from_str(text).map_err(|err| {
            let message = err.message().trim_end().to_owned();
            match err.span() {
                Some(span) => {
                    let (line, column) = line_column(text, span.start);
                    refused(format!("line {line}, column {column}: {message}"))
                }
                None => refused(message),
            }
        })?;
        if let Some(unknown) = file.titles.keys().find(|k| !KINDS.contains(&k.as_str())) {
            return Err(refused(format!(
                "[titles] has `{unknown}`, which is no section kind; kinds are: {}",
                KINDS.join(", ")
            )));
        }
        for (key, template, needs) in [
            ("page", &file.page, &["{n}", "{total}"][..]),
            ("date", &file.date, &["{month}", "{year}"][..]),
            ("degree", &file.degree, &["{type}", "{area}"][..]),
            ("photo", &file.photo, &["{name}"][..]),
            (
                "letter.date",
                &file.letter.date,
                &["{day}", "{month}", "{year}"][..],
            ),
            ("letter.subject", &file.letter.subject, &["{position}"][..]),
            ("letter.dear", &file.letter.dear, &["{name}"][..]),
        ] {
            if let Some(template) = template
                && let Some(missing) = needs.iter().find(|n| !template.contains(**n))
            {
                return Err(refused(format!("`{key}` must contain {missing}")));
            }
        }
        parsed.insert(code.to_owned(), (display, file));
    }
    let Some((base_display, base)) = parsed.remove(BASE) else {
        return Err(LayoutError::Refused {
            path: format!("lang/{BASE}.toml").into(),
            message: "the base language file is missing".into(),
        });
    };
    let base = complete(&base_display, base)?;
    let mut languages = BTreeMap::new();
    for (code, (_, file)) in parsed {
        let words = Words {
            present: file.present.unwrap_or_else(|| base.words.present.clone()),
            months: file
                .months
                .clone()
                .unwrap_or_else(|| base.words.months.clone()),
            short_months: file
                .short_months
                .unwrap_or_else(|| base.words.short_months.clone()),
            day_months: file
                .day_months
                .or_else(|| file.months.clone())
                .unwrap_or_else(|| base.words.day_months.clone()),
            date: file.date.unwrap_or_else(|| base.words.date.clone()),
            degree: file.degree.unwrap_or_else(|| base.words.degree.clone()),
            cv: file.cv.unwrap_or_else(|| base.words.cv.clone()),
            page: file.page.unwrap_or_else(|| base.words.page.clone()),
            candidate: file
                .candidate
                .unwrap_or_else(|| base.words.candidate.clone()),
            photo: file.photo.unwrap_or_else(|| base.words.photo.clone()),
            references: file
                .references
                .unwrap_or_else(|| base.words.references.clone()),
            earlier: file.earlier.unwrap_or_else(|| base.words.earlier.clone()),
            titles: base
                .words
                .titles
                .iter()
                .map(|(kind, title)| {
                    let own = file.titles.get(kind).unwrap_or(title);
                    (kind.clone(), own.clone())
                })
                .collect(),
            letter: {
                let (own, base) = (file.letter, &base.words.letter);
                LetterWords {
                    title: own.title.unwrap_or_else(|| base.title.clone()),
                    date: own.date.unwrap_or_else(|| base.date.clone()),
                    subject: own.subject.unwrap_or_else(|| base.subject.clone()),
                    dear: own.dear.unwrap_or_else(|| base.dear.clone()),
                    greeting: own.greeting.unwrap_or_else(|| base.greeting.clone()),
                    closing: own.closing.unwrap_or_else(|| base.closing.clone()),
                }
            },
        };
        languages.insert(
            code.clone(),
            Language {
                code,
                name: file.name,
                words,
                fonts: file.fonts,
            },
        );
    }
    languages.insert(BASE.to_owned(), base);
    Ok(languages)
}

/// The base language, which must say every word.
fn complete(display: &str, file: File) -> Result<Language, LayoutError> {
    let missing = |what: &str| LayoutError::Refused {
        path: display.into(),
        message: format!("the base language must give `{what}`"),
    };
    if let Some(kind) = KINDS.iter().find(|k| !file.titles.contains_key(**k)) {
        return Err(missing(&format!("titles.{kind}")));
    }
    Ok(Language {
        code: BASE.to_owned(),
        name: file.name,
        words: Words {
            present: file.present.ok_or_else(|| missing("present"))?,
            months: file.months.clone().ok_or_else(|| missing("months"))?,
            short_months: file.short_months.ok_or_else(|| missing("short_months"))?,
            day_months: match (file.day_months, &file.months) {
                (Some(own), _) => own,
                (None, Some(months)) => months.clone(),
                (None, None) => return Err(missing("months")),
            },
            date: file.date.ok_or_else(|| missing("date"))?,
            degree: file.degree.ok_or_else(|| missing("degree"))?,
            cv: file.cv.ok_or_else(|| missing("cv"))?,
            page: file.page.ok_or_else(|| missing("page"))?,
            candidate: file.candidate.ok_or_else(|| missing("candidate"))?,
            photo: file.photo.ok_or_else(|| missing("photo"))?,
            references: file.references.ok_or_else(|| missing("references"))?,
            earlier: file.earlier.ok_or_else(|| missing("earlier"))?,
            titles: file.titles,
            letter: LetterWords {
                title: file.letter.title.ok_or_else(|| missing("letter.title"))?,
                date: file.letter.date.ok_or_else(|| missing("letter.date"))?,
                subject: file
                    .letter
                    .subject
                    .ok_or_else(|| missing("letter.subject"))?,
                dear: file.letter.dear.ok_or_else(|| missing("letter.dear"))?,
                greeting: file
                    .letter
                    .greeting
                    .ok_or_else(|| missing("letter.greeting"))?,
                closing: file
                    .letter
                    .closing
                    .ok_or_else(|| missing("letter.closing"))?,
            },
        },
        fonts: file.fonts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_one(code: &str, text: &str) -> Result<BTreeMap<String, Language>, LayoutError> {
        let base = include_str!("../../layouts/lang/en.toml");
        load([
            ("en", "lang/en.toml".to_owned(), base.as_bytes()),
            (code, format!("lang/{code}.toml"), text.as_bytes()),
        ])
    }

    #[test]
    fn a_partial_language_falls_back_to_english_word_by_word() {
        let languages = load_one(
            "eo",
            "name = \"Esperanto\"\npresent = \"nun\"\n[titles]\nwork = \"Laboro\"\n",
        )
        .expect("loads");
        let eo = &languages["eo"];
        assert_eq!(eo.words.present, "nun");
        assert_eq!(eo.words.titles["work"], "Laboro");
        assert_eq!(eo.words.titles["skills"], "Skills");
        assert_eq!(eo.words.months[0], "January");
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let err = load_one("eo", "name = \"Esperanto\"\n\nmonths = [\"a\"]\n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("lang/eo.toml: line 3"), "{text}");
        let err = load_one("eo", "name = \"E\"\npage = \"Paĝo {n}\"\n").unwrap_err();
        assert!(err.to_string().contains("{total}"), "{err}");
        let err = load_one("eo", "name = \"E\"\n[titles]\nwrok = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("`wrok`"), "{err}");
        let err = load_one("Esperanto", "name = \"E\"\n").unwrap_err();
        assert!(err.to_string().contains("not a language code"), "{err}");
    }

    #[test]
    fn placeholders_fill_once() {
        let filled = fill(
            "{type} in {area}",
            &[("type", "MSc {area}"), ("area", "Physics")],
        );
        assert_eq!(filled, "MSc {area} in Physics");
        assert_eq!(fill("{x} {", &[]), "{x} {");
    }

    #[test]
    fn codes_are_language_and_optional_region() {
        for good in ["de", "zh-TW", "pt-BR", "ckb"] {
            assert!(is_code(good), "{good}");
        }
        for bad in ["DE", "zh_TW", "zh-tw", "", "english", "../x"] {
            assert!(!is_code(bad), "{bad}");
        }
    }
}
