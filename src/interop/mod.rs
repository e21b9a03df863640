//! Moving CVs in and out: `cvgen import` reads a JSON Resume document or a
//! RenderCV YAML file into a profile; `cvgen export` writes a profile as
//! JSON Resume. Nothing is dropped silently: every field without a home is
//! reported, and an import keeps such fields as comments at the top of the
//! profile it writes.

pub mod json_resume;
pub mod rendercv;

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value as Json;

use crate::profile::Profile;

/// What an import or export could not carry over, or changed on the way.
#[derive(Debug, Default)]
pub struct Notes {
    lines: Vec<Note>,
}

#[derive(Debug)]
struct Note {
    /// Where in the source: `projects[0].type`.
    at: String,
    message: String,
    /// The value left behind, for the imported file's comments.
    kept: Option<String>,
}

impl Notes {
    /// Something changed on the way: reported, nothing left behind.
    pub fn push(&mut self, at: &str, message: &str) {
        self.lines.push(Note {
            at: at.to_owned(),
            message: message.to_owned(),
            kept: None,
        });
    }

    /// A value that has no home: reported, and kept as a comment.
    pub fn kept(&mut self, at: &str, value: &Json, why: &str) {
        self.lines.push(Note {
            at: at.to_owned(),
            message: why.to_owned(),
            kept: Some(value.to_string()),
        });
    }

    /// One line per note, each once, in order: `at: message`.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        for note in &self.lines {
            let line = if note.at.is_empty() {
                note.message.clone()
            } else {
                format!("{}: {}", note.at, note.message)
            };
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        lines
    }

    /// The values left behind, as TOML comments.
    fn comments(&self) -> String {
        let mut text = String::new();
        for note in self.lines.iter().filter(|n| n.kept.is_some()) {
            let value = note.kept.as_deref().unwrap_or_default();
            for (i, line) in format!("{} = {value}  ({})", note.at, note.message)
                .lines()
                .enumerate()
            {
                let _ = writeln!(text, "#{}{line}", if i == 0 { "   " } else { "     " });
            }
        }
        text
    }
}

/// The formats `cvgen import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonResume,
    RenderCv,
}

impl Format {
    /// By name (`json-resume`, `rendercv`), else by the file's extension.
    pub fn of(name: Option<&str>, path: &Path) -> Result<Self, String> {
        match name {
            Some("json-resume" | "jsonresume" | "json") => Ok(Self::JsonResume),
            Some("rendercv" | "yaml") => Ok(Self::RenderCv),
            Some(other) => Err(format!(
                "unknown format `{other}`: cvgen imports json-resume and rendercv"
            )),
            None => match path.extension().and_then(|e| e.to_str()) {
                Some("json") => Ok(Self::JsonResume),
                Some("yaml" | "yml") => Ok(Self::RenderCv),
                _ => Err(format!(
                    "{}: cannot tell the format from the file name; say --from json-resume or --from rendercv",
                    path.display()
                )),
            },
        }
    }
}

/// JSON read strictly: a key twice in one object is an error (at its line),
/// as YAML has it, not "the last one wins" in silence.
mod strict {
    use serde::Deserialize;
    use serde::de::{Error, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Number, Value as Json};

    pub struct Strict(pub Json);

    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(StrictVisitor).map(Strict)
        }
    }

    struct StrictVisitor;

    impl<'de> Visitor<'de> for StrictVisitor {
        type Value = Json;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON value")
        }

        fn visit_bool<E: Error>(self, v: bool) -> Result<Json, E> {
            Ok(Json::Bool(v))
        }

        fn visit_i64<E: Error>(self, v: i64) -> Result<Json, E> {
            Ok(Json::from(v))
        }

        fn visit_u64<E: Error>(self, v: u64) -> Result<Json, E> {
            Ok(Json::from(v))
        }

        fn visit_f64<E: Error>(self, v: f64) -> Result<Json, E> {
            Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<Json, E> {
            Ok(Json::String(v.to_owned()))
        }

        fn visit_string<E: Error>(self, v: String) -> Result<Json, E> {
            Ok(Json::String(v))
        }

        fn visit_unit<E: Error>(self) -> Result<Json, E> {
            Ok(Json::Null)
        }

        fn visit_none<E: Error>(self) -> Result<Json, E> {
            Ok(Json::Null)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
            let mut items = Vec::new();
            while let Some(Strict(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Json::Array(items))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
            let mut out = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(A::Error::custom(format!(
                        "the key `{key}` is given twice in one object"
                    )));
                }
                let Strict(value) = map.next_value()?;
                out.insert(key, value);
            }
            Ok(Json::Object(out))
        }
    }
}

/// Reads `text` (a file of `format`) into a profile and the profile's TOML
/// text: the schema line, where it came from, the values left behind as
/// comments, then the profile.
pub fn import(text: &str, format: Format, source: &Path) -> Result<(String, Notes), String> {
    let mut notes = Notes::default();
    let profile = match format {
        Format::JsonResume => {
            let resume: Json = serde_json::from_str::<strict::Strict>(text)
                .map(|s| s.0)
                .map_err(|e| {
                    format!(
                        "{}:{}:{}: not JSON: {e}",
                        source.display(),
                        e.line(),
                        e.column()
                    )
                })?;
            json_resume::import(&resume, &mut notes)
        }
        Format::RenderCv => rendercv::import(text, source, &mut notes)?,
    };
    let body = toml::to_string_pretty(&profile).map_err(|e| format!("cannot write TOML: {e}"))?;
    let mut out = String::from("#:schema ../schema/profile.schema.json\n");
    let _ = writeln!(
        out,
        "# Imported from {} by `cvgen import`.",
        source.file_name().unwrap_or_default().to_string_lossy()
    );
    let comments = notes.comments();
    if !comments.is_empty() {
        out.push_str("#\n# Not imported: no home in a cvgen profile.\n");
        out.push_str(&comments);
    }
    out.push('\n');
    out.push_str(&body);
    Ok((out, notes))
}

/// Writes a profile as a JSON Resume document.
pub fn export(profile: &Profile) -> (String, Notes) {
    let mut notes = Notes::default();
    let json = json_resume::export(profile, &mut notes);
    let text = serde_json::to_string_pretty(&json).unwrap_or_default();
    (format!("{text}\n"), notes)
}
