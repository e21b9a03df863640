//! The profile format: what a person writes in `input/<name>.toml`.
//!
//! Field names follow the JSON Resume schema (in snake_case) wherever a section
//! has an equivalent there, so import and export map field for field. Personal
//! data lives only in [`Basics`] and [`Location`], under names an anonymizer can
//! find from the structure. Every struct denies unknown fields, so a typo is an
//! error that names the key instead of silently dropped content.

mod date;
mod variant;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use date::{DateBound, PartialDate};
pub use variant::Variant;

use crate::bibliography::Publications;
pub use crate::bibliography::{Kind as BibliographyKind, Order as BibliographyOrder};
use crate::error::ProfileError;
use crate::files::{ReadError, read_limited};

/// One person's CV, as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Name, contact details and other personal data.
    #[serde(default)]
    pub basics: Basics,
    /// Layout choice and parameters: `name` picks the layout, every other key
    /// is a parameter of that layout (checked against its declaration).
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub layout: toml::Table,
    /// The sections, in the order they are printed.
    #[serde(default, rename = "section", skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// Which documents to make by default.
    #[serde(default, skip_serializing_if = "OutputOptions::is_unset")]
    pub output: OutputOptions,
    /// How the anonymized variants treat this profile.
    #[serde(default, skip_serializing_if = "AnonymizeOptions::is_unset")]
    pub anonymize: AnonymizeOptions,
}

/// Output choices a profile makes for itself.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputOptions {
    /// Variants made when the command line names none: `long`, `onepage`,
    /// `anon`, `anon-onepage`.
    pub variants: Option<Vec<Variant>>,
    /// What the outputs are named (`<name>.pdf`, `<name>-onepage.pdf`)
    /// instead of the profile's file name.
    pub name: Option<String>,
    /// PDF standards the documents claim (checked on export): `ua-1`,
    /// `a-2a`, `a-2b`, ... or `none`. Unset: PDF/UA-1 with PDF/A-2a.
    pub pdf_standards: Option<Vec<String>>,
    /// On the one page, every position and degree that started within
    /// this many years (or goes on) keeps its title, organisation and
    /// dates until everything else that may go has gone (default 10).
    pub timeline_years: Option<u8>,
    /// What is written for each document when the command line names
    /// nothing: `pdf`, `png` (page previews), `docx` (Word), `txt` (plain
    /// text for application portals), `md` (Markdown). Unset: a PDF.
    pub formats: Option<Vec<OutputFormat>>,
    /// The languages the profile is written in, the first the one every
    /// translated text has (`["en", "de"]`): a document is made in each,
    /// its files named `<name>.<language>.pdf` when there are several.
    /// Unset: the one language `[layout] lang` names.
    pub languages: Option<Vec<String>>,
}

/// A kind of file written for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Pdf,
    Png,
    Docx,
    Txt,
    Md,
}

/// The one page's timeline window when a profile sets none, in years.
pub const TIMELINE_YEARS: u8 = 10;

impl OutputOptions {
    /// Whether the profile leaves every output choice to the defaults.
    pub fn is_unset(&self) -> bool {
        self.variants.is_none()
            && self.name.is_none()
            && self.pdf_standards.is_none()
            && self.timeline_years.is_none()
            && self.formats.is_none()
            && self.languages.is_none()
    }
}

/// Options of the anonymized variants, beyond removing personal data.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnonymizeOptions {
    /// The candidate id used in the label and file name, instead of the one
    /// derived from the profile.
    pub id: Option<String>,
    /// Replace employers (work, volunteer) with each entry's `alias`, or a
    /// generic word.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub employers: bool,
    /// Replace schools with each entry's `alias`, or a generic word.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub schools: bool,
    /// Reduce dates to years.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub years_only: bool,
    /// Further words to redact: a nickname, a street, a former name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redact: Vec<String>,
}

impl AnonymizeOptions {
    /// Whether the profile leaves every anonymization option at its default.
    pub fn is_unset(&self) -> bool {
        self.id.is_none()
            && !self.employers
            && !self.schools
            && !self.years_only
            && self.redact.is_empty()
    }
}

/// Personal data and the headline. All fields are optional: a CV without a
/// name or contact line still renders.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Basics {
    pub name: Option<String>,
    /// The same name in other spellings or scripts ("王小明", "Wang
    /// Xiaoming"): redacted like the name in anonymized variants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// A headline under the name, e.g. "Principal Software Engineer".
    pub label: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Personal website.
    pub url: Option<String>,
    /// Path to a photo, relative to the profile's folder.
    pub image: Option<PathBuf>,
    pub birth_date: Option<PartialDate>,
    /// Where the person was born: removed from anonymized variants and
    /// searched for in their text, like the city.
    pub birth_place: Option<String>,
    pub gender: Option<String>,
    pub nationality: Option<String>,
    pub marital_status: Option<String>,
    pub location: Option<Location>,
    /// Profiles on other sites (GitHub, LinkedIn...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<SocialProfile>,
}

/// A postal location; everything finer than the country is personal data.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub country_code: Option<String>,
}

/// An account on another site.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SocialProfile {
    pub network: Option<String>,
    pub username: Option<String>,
    pub url: Option<String>,
}

/// What a section holds, which decides how it is typeset. Entry-based kinds
/// are the JSON Resume sections; `text` and `list` are free-form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Paragraphs: an objective, a summary, a narrative, a closing line.
    Text,
    /// A bullet list under a title.
    List,
    Work,
    Volunteer,
    Education,
    Awards,
    Certificates,
    Publications,
    Skills,
    Languages,
    Interests,
    References,
    Projects,
    /// Talks given: `title` (or `name`), `organization` (the event),
    /// `location`, `date`.
    Talks,
    /// Research funding: `title` (or `name`), `awarder` (the funder),
    /// `description` (amount, role), `start_date`/`end_date`.
    Grants,
    /// Courses taught: `name` (the course), `institution`, `position` (the
    /// role: lecturer, teaching assistant).
    Teaching,
    /// Students supervised: `name` (the student), `study_type` (PhD, MSc),
    /// `institution`, `summary` (the thesis). Anonymized variants leave the
    /// students' names out.
    Supervision,
    /// Personal details as a European CV lists them (nationality, marital
    /// status, place of birth ...): entries of `name` (the label) and
    /// `description` (the value). Anonymized variants leave the section
    /// out whole.
    Personal,
}

impl SectionKind {
    /// The title used when a section does not give one.
    pub fn default_title(self) -> &'static str {
        match self {
            Self::Text | Self::List => "",
            Self::Work => "Experience",
            Self::Volunteer => "Volunteering",
            Self::Education => "Education",
            Self::Awards => "Awards",
            Self::Certificates => "Certificates",
            Self::Publications => "Publications",
            Self::Skills => "Skills",
            Self::Languages => "Languages",
            Self::Interests => "Interests",
            Self::References => "References",
            Self::Projects => "Projects",
            Self::Talks => "Talks",
            Self::Grants => "Grants",
            Self::Teaching => "Teaching",
            Self::Supervision => "Supervision",
            Self::Personal => "Personal details",
        }
    }
}

/// How much something matters when space runs out: a one-page version drops
/// `low` first and never drops `essential`. Unset, a part inherits the
/// priority of what contains it; at the top, `normal`.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Essential,
}

/// A titled part of the CV.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub kind: SectionKind,
    /// Printed heading; absent means the kind's default ("Experience"...), and
    /// an empty string means no heading at all (e.g. a closing line).
    pub title: Option<String>,
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// A line under the heading, e.g. "My Story (Q4 2017)".
    pub subtitle: Option<String>,
    /// Paragraphs (Markdown inline), separated by blank lines. For `text`.
    pub body: Option<String>,
    /// A shorter alternative to `body` for tight versions.
    pub short: Option<String>,
    /// Bullets. For `list`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Bullet>,
    /// Entries. For every other kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<Entry>,
    /// A bibliography file in the profile's folder, named relative to it:
    /// BibTeX or BibLaTeX (`.bib`), or Hayagriva YAML (`.yml`). Its entries
    /// follow the written ones, formatted in `style`. For `publications`.
    pub bibliography: Option<PathBuf>,
    /// The citation style of the bibliography's entries, by the name Typst
    /// knows it by: `apa` (the default), `ieee`, `chicago-author-date`,
    /// `mla`, `vancouver`...
    pub style: Option<String>,
    /// Only these entries of the bibliography, by key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// Only the bibliography's entries of these kinds: `article`,
    /// `conference`, `book`, `chapter`, `thesis`, `report`, `patent`,
    /// `other`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<BibliographyKind>,
    /// The order of the bibliography's entries: `newest` (the default),
    /// `oldest`, `kind` (then newest), `file` (or as `keys` lists them).
    pub order: Option<BibliographyOrder>,
    /// The bibliography's entries, formatted in the document's language
    /// when the profile is planned; anonymizing keeps only their anonymous
    /// form.
    #[serde(skip)]
    #[schemars(skip)]
    pub publications: Option<Arc<Publications>>,
}

/// One entry of an entry-based section. The fields are the union of the JSON
/// Resume fields of those sections; each kind uses its own subset.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    // work, volunteer, projects, skills, interests, certificates, references
    pub name: Option<String>,
    // volunteer
    pub organization: Option<String>,
    // work, volunteer
    pub position: Option<String>,
    // work, projects
    pub description: Option<String>,
    pub location: Option<String>,
    // education
    pub institution: Option<String>,
    pub area: Option<String>,
    pub study_type: Option<String>,
    pub score: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<String>,
    // awards
    pub title: Option<String>,
    pub awarder: Option<String>,
    // certificates
    pub issuer: Option<String>,
    // publications
    pub publisher: Option<String>,
    pub release_date: Option<PartialDate>,
    // awards, certificates
    pub date: Option<PartialDate>,
    // skills, languages
    pub level: Option<String>,
    pub language: Option<String>,
    pub fluency: Option<String>,
    // skills, interests, projects
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    // projects
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    pub entity: Option<String>,
    // references
    pub reference: Option<String>,
    /// A neutral name for the organisation, used when an anonymized variant
    /// generalizes employers or schools ("large cloud provider").
    pub alias: Option<String>,
    pub url: Option<String>,
    pub start_date: Option<PartialDate>,
    pub end_date: Option<DateBound>,
    /// Paragraphs (Markdown inline) before the bullets.
    pub summary: Option<String>,
    /// A shorter alternative to `summary`.
    pub short: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Bullet>,
    /// Further paragraphs and bullets after the first ones, in order, for
    /// entries that alternate prose and lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A paragraph group followed by bullets, inside an entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Bullet>,
}

/// A bullet: a plain string, or a table with nested bullets and options.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Bullet {
    Plain(String),
    Detailed(DetailedBullet),
}

/// A bullet written as a table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DetailedBullet {
    pub text: String,
    /// A shorter alternative to `text`.
    pub short: Option<String>,
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Nested bullets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Bullet>,
}

impl Section {
    /// An empty section of a kind, with its default title.
    pub fn new(kind: SectionKind) -> Self {
        Self {
            kind,
            title: None,
            priority: None,
            tags: Vec::new(),
            subtitle: None,
            body: None,
            short: None,
            items: Vec::new(),
            entries: Vec::new(),
            bibliography: None,
            style: None,
            keys: Vec::new(),
            kinds: Vec::new(),
            order: None,
            publications: None,
        }
    }

    /// The heading printed above the section: its title, or else its kind's
    /// name (in English; layouts may use the document's language when
    /// `title` is unset). Empty means no heading.
    pub fn heading(&self) -> &str {
        self.title
            .as_deref()
            .unwrap_or_else(|| self.kind.default_title())
    }
}

impl Bullet {
    pub fn text(&self) -> &str {
        match self {
            Self::Plain(text) => text,
            Self::Detailed(bullet) => &bullet.text,
        }
    }

    pub fn items(&self) -> &[Bullet] {
        match self {
            Self::Plain(_) => &[],
            Self::Detailed(bullet) => &bullet.items,
        }
    }
}

/// The deepest bullet nesting a layout is expected to typeset.
pub const MAX_BULLET_DEPTH: usize = 3;

/// A profile file's text, read and decoded; not yet checked.
pub struct ProfileText {
    pub text: String,
    pub sha256: [u8; 32],
}

/// The largest profile file accepted: a long CV is tens of kilobytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads a profile file as UTF-8 text.
pub fn read(path: &Path) -> Result<ProfileText, ProfileError> {
    let bytes = read_limited(path, MAX_FILE_BYTES).map_err(|err| match err {
        ReadError::NotAFile => ProfileError::NotAFile {
            path: path.to_owned(),
        },
        ReadError::TooLarge { size } => ProfileError::TooLarge {
            path: path.to_owned(),
            size,
            limit: MAX_FILE_BYTES,
        },
        ReadError::Io(source) => ProfileError::Read {
            path: path.to_owned(),
            source,
        },
    })?;
    let sha256 = crate::hash::sha256(&bytes);
    let text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(err.as_bytes());
        let (line, column) = crate::diagnostic::line_column(&text, offset);
        ProfileError::NotUtf8 {
            path: path.to_owned(),
            line,
            column,
        }
    })?;
    Ok(ProfileText { text, sha256 })
}

/// Parses profile text in one go, stopping at the first error; tests use
/// it to build profiles. Real input goes through `check`, which reports
/// every problem.
#[cfg(test)]
pub fn parse(text: &str) -> Result<Profile, toml::de::Error> {
    toml::from_str(text)
}

/// The JSON Schema of the profile format, pretty-printed.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Profile);
    let mut schema = serde_json::to_value(&schema).unwrap_or_default();
    allow_translations(&mut schema);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// The parts of a profile whose texts may be written per language.
const TRANSLATED: &[&str] = &[
    "Basics",
    "Location",
    "SocialProfile",
    "Section",
    "Entry",
    "Part",
    "DetailedBullet",
];

/// Fields that are never translated: they name things, not say them.
const UNTRANSLATED: &[&str] = &["image", "tags"];

/// Lets every text field of the profile's parts (and every text of a list)
/// be a table of translations, as the checker reads them.
fn allow_translations(schema: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let translated = json!({ "$ref": "#/$defs/Translations" });
    let text = |value: &Value| {
        let ty = value.get("type");
        ty == Some(&json!("string")) || ty == Some(&json!(["string", "null"]))
    };
    let Some(defs) = schema.get_mut("$defs").and_then(Value::as_object_mut) else {
        return;
    };
    for name in TRANSLATED {
        let Some(properties) = defs
            .get_mut(*name)
            .and_then(|d| d.get_mut("properties"))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (key, property) in properties.iter_mut() {
            if UNTRANSLATED.contains(&key.as_str()) {
                continue;
            }
            let description = property.get("description").cloned();
            let list_of_text = property.get("type") == Some(&json!("array"))
                && property.get("items").is_some_and(&text);
            let bullets = property.get("items") == Some(&json!({ "$ref": "#/$defs/Bullet" }));
            if text(property) || list_of_text || bullets {
                if list_of_text {
                    property["items"] = json!({ "anyOf": [property["items"].clone(), translated] });
                }
                let mut plain = property.clone();
                if let Some(plain) = plain.as_object_mut() {
                    plain.remove("description");
                }
                let mut either = json!({ "anyOf": [plain, translated] });
                if let Some(description) = description {
                    either["description"] = description;
                }
                *property = either;
            }
        }
    }
    // A word to redact may be given in each language's form.
    if let Some(items) = defs
        .get_mut("AnonymizeOptions")
        .and_then(|d| d.get_mut("properties"))
        .and_then(|p| p.get_mut("redact"))
        .and_then(|r| r.get_mut("items"))
    {
        *items = json!({ "anyOf": [items.clone(), translated] });
    }
    if let Some(any) = defs
        .get_mut("Bullet")
        .and_then(|b| b.get_mut("anyOf"))
        .and_then(Value::as_array_mut)
    {
        any.push(translated.clone());
    }
    defs.insert(
        "Translations".into(),
        json!({
            "description": "The same text in each language the profile is written in, keyed by language code: { en = \"Experience\", de = \"Berufserfahrung\" }. The first language of [output] languages must be there; another one missing falls back to it, with a warning.",
            "type": "object",
            "minProperties": 1,
            "propertyNames": { "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$" },
            "additionalProperties": { "type": ["string", "array", "object"] }
        }),
    );
}

/// Deserialized by hand rather than as an untagged enum, so a mistake inside
/// a bullet table is reported as itself ("unknown field `txt`") instead of
/// "did not match any variant".
impl<'de> Deserialize<'de> for Bullet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Bullet;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a bullet: a string, or a table with `text` (and `items`, `short`, `priority`, `tags`)")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Bullet, E> {
                Ok(Bullet::Plain(text.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Bullet, A::Error> {
                DetailedBullet::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Bullet::Detailed)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
