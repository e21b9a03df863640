//! Resolving what a profile names, once: its layout and the layout's
//! parameters (defaults, then `[layout]`, then `--set`), its variants and
//! its photo. Problems become diagnostics at their places in the file.

use std::path::Path;

use serde_json::{Map, Value as Json};

use crate::bibliography::{self, Publications};
use crate::check::{BibliographyPlaces, ParamPlace, Places};
use crate::config::RenderConfig;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::error::{LayoutError, SetupError};
use crate::files::{self, InsideError, ReadError};
use crate::layout::params::{self, SetError, SetValue};
use crate::layout::{DEFAULT_LAYOUT, LayoutInfo, Layouts};
use crate::photo::Photo;
use crate::profile::{Profile, Section};
use crate::standard::Standards;

/// Refuses, once for the whole run, a `--layout` that does not exist and a
/// `--set` that cannot apply to any profile: one whose name no layout
/// declares, or, with `--layout`, one its layout refuses. What depends on a
/// profile's own layout is checked per profile.
pub(super) fn check_settings(config: &RenderConfig, layouts: &Layouts) -> Result<(), SetupError> {
    let forced = config
        .layout
        .as_deref()
        .map(|name| layouts.get(name))
        .transpose()?;
    for (key, value) in &config.settings {
        match forced {
            Some(info) => {
                if let Err(err) = params::set(&info.params, key, SetValue::Text(value)) {
                    return Err(command_line_param(info, key, err).into());
                }
            }
            None => {
                let declaring: Vec<&LayoutInfo> = layouts
                    .infos()
                    .filter(|info| info.params.iter().any(|p| &p.name == key))
                    .collect();
                if declaring.is_empty() {
                    let mut all: Vec<&str> = layouts
                        .infos()
                        .flat_map(|info| info.params.iter().map(|p| p.name.as_str()))
                        .collect();
                    all.sort_unstable();
                    all.dedup();
                    return Err(SetupError::UnknownSetting {
                        name: key.clone(),
                        suggestion: did_you_mean(key, all.iter().copied()).map(str::to_owned),
                        available: all.join(", "),
                    });
                }
                // A value every layout with the parameter refuses is wrong
                // for every profile: say so once.
                let refusals: Vec<SetError> = declaring
                    .iter()
                    .filter_map(|info| params::set(&info.params, key, SetValue::Text(value)).err())
                    .collect();
                if refusals.len() == declaring.len()
                    && let Some(err) = refusals.into_iter().next()
                {
                    return Err(command_line_param(declaring[0], key, err).into());
                }
            }
        }
    }
    Ok(())
}

/// The largest bibliography file read.
const MAX_BIBLIOGRAPHY_BYTES: u64 = 8_000_000;

/// A bibliography file as read: its entries, its name as the profile
/// writes it, its text (for quoting a line), and its path in the profile's
/// folder with its hash, for incremental builds.
pub(super) struct BibliographyFile {
    pub library: hayagriva::Library,
    pub name: String,
    pub text: String,
    pub relative: String,
    pub hash: [u8; 32],
}

/// Resolves what a profile names, reporting problems at their places.
pub(super) struct Resolver<'a> {
    pub places: &'a Places,
    pub out: &'a mut Vec<Diagnostic>,
}

impl Resolver<'_> {
    /// The layout and its parameters: defaults, then the profile's
    /// `[layout]` values, then `--set`, each checked against its
    /// declaration.
    pub(super) fn layout(
        &mut self,
        profile: &Profile,
        config: &RenderConfig,
        layouts: &Layouts,
    ) -> Option<(String, Map<String, Json>)> {
        let named = match profile.layout.get("name") {
            None => None,
            Some(toml::Value::String(name)) => Some(name.as_str()),
            Some(_) => {
                self.out.push(Diagnostic::error(
                    "layout `name` must be a string",
                    self.places.layout_name.clone(),
                ));
                return None;
            }
        };
        let name = config.layout.as_deref().or(named).unwrap_or(DEFAULT_LAYOUT);
        let Ok(info) = layouts.get(name) else {
            let available: Vec<&str> = layouts.infos().map(|i| i.name.as_str()).collect();
            let mut d = Diagnostic::error(
                format!("unknown layout `{name}`"),
                self.places.layout_name.clone(),
            );
            if let Some(close) = did_you_mean(name, available.iter().copied()) {
                d = d.hint(format!("did you mean `{close}`?"));
            }
            self.out
                .push(d.hint(format!("available layouts: {}", available.join(", "))));
            return None;
        };
        let mut values = params::defaults(&info.params);
        let mut ok = true;
        for (key, value) in profile.layout.iter().filter(|(k, _)| k.as_str() != "name") {
            let place = self
                .places
                .layout_params
                .get(key)
                .cloned()
                .unwrap_or_default();
            match params::set(&info.params, key, SetValue::Toml(value)) {
                Ok((_, json)) => {
                    values.insert(key.clone(), json);
                }
                Err(err) => {
                    ok = false;
                    self.profile_param(info, key, err, place);
                }
            }
        }
        for (key, value) in &config.settings {
            match params::set(&info.params, key, SetValue::Text(value)) {
                Ok((_, json)) => {
                    values.insert(key.clone(), json);
                }
                Err(err) => {
                    ok = false;
                    let message = command_line_param(info, key, err).to_string();
                    self.out.push(Diagnostic::error(message, None));
                }
            }
        }
        ok.then(|| (name.to_owned(), values))
    }

    fn profile_param(&mut self, info: &LayoutInfo, key: &str, err: SetError, place: ParamPlace) {
        let diagnostic = match err {
            SetError::Unknown => {
                let names: Vec<&str> = info.params.iter().map(|p| p.name.as_str()).collect();
                let mut d = Diagnostic::error(
                    format!("layout `{}` has no parameter `{key}`", info.name),
                    place.key,
                );
                if let Some(close) = did_you_mean(key, names.iter().copied()) {
                    d = d.hint(format!("did you mean `{close}`?"));
                }
                d.hint(format!("its parameters: {}", names.join(", ")))
            }
            SetError::Bad { message } => {
                let described = info
                    .params
                    .iter()
                    .find(|p| p.name == key)
                    .map(|p| p.ty.describe())
                    .unwrap_or_default();
                Diagnostic::error(
                    format!("bad value for layout parameter `{key}`: {message}"),
                    place.value,
                )
                .hint(format!("`{key}` takes {described}"))
            }
        };
        self.out.push(diagnostic);
    }

    /// Whether the profile's `[output] variants` name any: each name was
    /// read as a variant where the file was parsed.
    pub(super) fn variants(&mut self, profile: &Profile) -> bool {
        if profile.output.variants.as_ref().is_some_and(Vec::is_empty) {
            self.out.push(Diagnostic::error(
                "no variants given",
                self.places.variants.clone(),
            ));
            return false;
        }
        true
    }

    /// The PDF standards: the command line's, else the profile's
    /// `[output] pdf_standards`, else PDF/UA-1 with PDF/A-2a.
    pub(super) fn standards(
        &mut self,
        profile: &Profile,
        config: &RenderConfig,
    ) -> Option<Standards> {
        if let Some(standards) = &config.pdf_standards {
            return Some(standards.clone());
        }
        let Some(names) = &profile.output.pdf_standards else {
            return Some(Standards::default());
        };
        match Standards::parse(names) {
            Ok(standards) => Some(standards),
            Err(message) => {
                self.out.push(
                    Diagnostic::error(message, self.places.pdf_standards.clone())
                        .hint("none turns the checks off: pdf_standards = [\"none\"]"),
                );
                None
            }
        }
    }

    /// The photo: an image file inside the profile's folder that decodes
    /// within limits, prepared for layouts. Messages name the path as
    /// written, never the absolute one.
    pub(super) fn photo(&mut self, image: &Path, dir: &Path, memory: u64) -> Option<Photo> {
        let at = self.places.image.clone();
        let problem = match read_inside(dir, image, "photo", crate::photo::MAX_FILE_BYTES) {
            Err(problem) => problem,
            Ok((_, bytes)) => match crate::photo::prepare(&bytes, memory) {
                Ok(photo) => return Some(photo),
                Err(problem) => {
                    self.out.push(Diagnostic::error(
                        format!("the photo `{}` {problem}", image.display()),
                        at,
                    ));
                    return None;
                }
            },
        };
        self.out.push(
            Diagnostic::error(problem, at)
                .hint("photos are files in the profile's folder, named relative to it"),
        );
        None
    }

    /// A bibliography file a section names, read from the profile's folder
    /// and parsed; a problem is reported at the section's `bibliography`.
    pub(super) fn bibliography_file(
        &mut self,
        index: usize,
        file: &Path,
        dir: &Path,
    ) -> Option<BibliographyFile> {
        let places = self.bibliography_places(index);
        let (relative, bytes) = match read_inside(dir, file, "bibliography", MAX_BIBLIOGRAPHY_BYTES)
        {
            Ok(read) => read,
            Err(problem) => {
                self.out.push(
                    Diagnostic::error(problem, places.file)
                        .hint("a bibliography is a .bib or .yml file in the profile's folder, named relative to it"),
                );
                return None;
            }
        };
        let shown = file.display();
        let Ok(text) = String::from_utf8(bytes) else {
            self.out.push(Diagnostic::error(
                format!("the bibliography `{shown}` is not UTF-8 text"),
                places.file,
            ));
            return None;
        };
        let name = file.to_string_lossy().into_owned();
        let library = match bibliography::parse(&text, bibliography::is_yaml(&name)) {
            Ok(library) => library,
            Err(err) => {
                self.out
                    .push(Self::bibliography_error(err, &name, &text, &[], &places));
                return None;
            }
        };
        let hash = crate::hash::sha256(text.as_bytes());
        Some(BibliographyFile {
            library,
            name,
            text,
            relative,
            hash,
        })
    }

    /// A section's publications from its bibliography file: selected,
    /// ordered and formatted in the document's language.
    pub(super) fn publications(
        &mut self,
        index: usize,
        section: &Section,
        file: &BibliographyFile,
        request: &bibliography::Request,
    ) -> Option<Publications> {
        match bibliography::publications(&file.library, request) {
            Ok(publications) => Some(publications),
            Err(err) => {
                let places = self.bibliography_places(index);
                let (name, text, keys) = (&file.name, &file.text, &section.keys);
                self.out
                    .push(Self::bibliography_error(err, name, text, keys, &places));
                None
            }
        }
    }

    /// Where the section at `index` says what its bibliography is.
    fn bibliography_places(&self, index: usize) -> BibliographyPlaces {
        let places = self.places.bibliographies.get(index);
        places.cloned().unwrap_or_default()
    }

    /// What is wrong with a bibliography, at its place: a mistake in the
    /// file at its line and column there, the rest at the section's key.
    fn bibliography_error(
        err: bibliography::Error,
        name: &str,
        text: &str,
        keys: &[String],
        places: &BibliographyPlaces,
    ) -> Diagnostic {
        match err {
            bibliography::Error::Syntax {
                line,
                column,
                message,
            } => {
                let quoted = text
                    .lines()
                    .nth(line.saturating_sub(1))
                    .unwrap_or("")
                    .trim();
                let mut d = Diagnostic::error(
                    format!("{name}:{line}:{column}: {message}"),
                    places.file.clone(),
                );
                if !quoted.is_empty() {
                    let quoted: String = quoted.chars().take(100).collect();
                    d = d.hint(format!("line {line} of {name} reads: {quoted}"));
                }
                if quoted.starts_with('@') && line > 1 {
                    d = d.hint("a brace or quote left open in the entry above is noticed only where the next one starts");
                }
                d
            }
            bibliography::Error::UnknownStyle { ref suggestion, .. } => {
                let mut d = Diagnostic::error(err.to_string(), places.style.clone());
                if let Some(close) = suggestion {
                    d = d.hint(format!("did you mean `{close}`?"));
                }
                d.hint("styles are named as in Typst: apa, ieee, chicago-author-date, mla, vancouver, ...")
            }
            bibliography::Error::UnknownKey(ref key) => {
                let at = keys
                    .iter()
                    .position(|k| k == key)
                    .and_then(|i| places.keys.get(i).cloned().flatten());
                Diagnostic::error(format!("{err} (in {name})"), at)
            }
            bibliography::Error::Strip(_) => {
                Diagnostic::error(format!("{err} (in {name})"), places.file.clone())
                    .hint("anonymized documents cannot show these publications")
            }
        }
    }
}

/// A file the profile names, inside its folder: its path from the folder
/// (`/`-separated, links resolved) and its bytes, or what is wrong, naming
/// the path as written.
fn read_inside(
    dir: &Path,
    file: &Path,
    what: &str,
    limit: u64,
) -> Result<(String, Vec<u8>), String> {
    let shown = file.display();
    match files::read_inside(dir, file, limit) {
        Ok(inside) => Ok((inside.relative, inside.bytes)),
        Err(InsideError::Unresolved(..)) => Err(format!("the {what} `{shown}` does not exist")),
        Err(InsideError::Outside(..)) => Err(format!(
            "the {what} `{shown}` is outside the profile's folder"
        )),
        Err(InsideError::Folder) => Err(format!("the {what} `{shown}` is a folder")),
        Err(InsideError::Read(_, ReadError::NotAFile)) => {
            Err(format!("the {what} `{shown}` is not a regular file"))
        }
        Err(InsideError::Read(_, ReadError::TooLarge { size })) => Err(format!(
            "the {what} `{shown}` is {:.1} MB; {what} files are limited to {} MB",
            size as f64 / 1e6,
            limit / 1_000_000
        )),
        Err(InsideError::Read(_, ReadError::Io(err))) => Err(format!(
            "cannot read the {what} `{shown}`: {}",
            crate::error::plain_io(&err)
        )),
    }
}

/// A `--set` that the layout refuses, as the command line reads it.
fn command_line_param(info: &LayoutInfo, key: &str, err: SetError) -> LayoutError {
    match err {
        SetError::Unknown => LayoutError::UnknownParam {
            origin: "--set".into(),
            layout: info.name.clone(),
            name: key.to_owned(),
            available: info
                .params
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        },
        SetError::Bad { message } => LayoutError::BadValue {
            origin: "--set".into(),
            name: key.to_owned(),
            message,
        },
    }
}
