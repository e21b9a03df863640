//! Layouts: the Typst files that typeset a profile, built in or the user's.
//!
//! Built-in layouts are embedded in the binary. A user folder (`--layouts DIR`
//! or `./layouts`) adds files or overrides built-in ones by path, so a user
//! layout can import the built-in components from `lib/`. A layout is a
//! top-level `.typ` file; its parameters are declared in its header (see
//! [`params`]).

pub mod language;
pub mod params;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::LayoutError;
use crate::files::{ReadError, read_limited};
pub use language::Language;
pub use params::ParamSpec;

/// The largest file of a user's layouts folder cvgen reads.
const MAX_LAYOUT_FILE: u64 = 40_000_000;

/// The layout a profile gets when it names none.
pub const DEFAULT_LAYOUT: &str = "classic";

/// Files of the built-in layouts, by path below `layouts/`.
const BUILTIN: &[(&str, &str)] = &[
    ("academic.typ", include_str!("../../layouts/academic.typ")),
    ("classic.typ", include_str!("../../layouts/classic.typ")),
    ("compact.typ", include_str!("../../layouts/compact.typ")),
    ("modern.typ", include_str!("../../layouts/modern.typ")),
    ("lib/cv.typ", include_str!("../../layouts/lib/cv.typ")),
    ("lang/ar.toml", include_str!("../../layouts/lang/ar.toml")),
    ("lang/cs.toml", include_str!("../../layouts/lang/cs.toml")),
    ("lang/da.toml", include_str!("../../layouts/lang/da.toml")),
    ("lang/de.toml", include_str!("../../layouts/lang/de.toml")),
    ("lang/el.toml", include_str!("../../layouts/lang/el.toml")),
    ("lang/en.toml", include_str!("../../layouts/lang/en.toml")),
    ("lang/es.toml", include_str!("../../layouts/lang/es.toml")),
    ("lang/fi.toml", include_str!("../../layouts/lang/fi.toml")),
    ("lang/fr.toml", include_str!("../../layouts/lang/fr.toml")),
    ("lang/he.toml", include_str!("../../layouts/lang/he.toml")),
    ("lang/hi.toml", include_str!("../../layouts/lang/hi.toml")),
    ("lang/hu.toml", include_str!("../../layouts/lang/hu.toml")),
    ("lang/it.toml", include_str!("../../layouts/lang/it.toml")),
    ("lang/ja.toml", include_str!("../../layouts/lang/ja.toml")),
    ("lang/ko.toml", include_str!("../../layouts/lang/ko.toml")),
    ("lang/nb.toml", include_str!("../../layouts/lang/nb.toml")),
    ("lang/nl.toml", include_str!("../../layouts/lang/nl.toml")),
    ("lang/pl.toml", include_str!("../../layouts/lang/pl.toml")),
    ("lang/pt.toml", include_str!("../../layouts/lang/pt.toml")),
    ("lang/ro.toml", include_str!("../../layouts/lang/ro.toml")),
    ("lang/ru.toml", include_str!("../../layouts/lang/ru.toml")),
    ("lang/sv.toml", include_str!("../../layouts/lang/sv.toml")),
    ("lang/th.toml", include_str!("../../layouts/lang/th.toml")),
    ("lang/tr.toml", include_str!("../../layouts/lang/tr.toml")),
    ("lang/uk.toml", include_str!("../../layouts/lang/uk.toml")),
    ("lang/vi.toml", include_str!("../../layouts/lang/vi.toml")),
    ("lang/zh.toml", include_str!("../../layouts/lang/zh.toml")),
    (
        "lang/zh-TW.toml",
        include_str!("../../layouts/lang/zh-TW.toml"),
    ),
];

/// The built-in language files, loaded once: for what needs every
/// language's words whatever the document's (the anonymizer looks for a
/// birth date written with any language's month names). A test loads them.
pub fn builtin_languages() -> &'static BTreeMap<String, Language> {
    static LANGUAGES: std::sync::LazyLock<BTreeMap<String, Language>> =
        std::sync::LazyLock::new(|| {
            language::load(BUILTIN.iter().filter_map(|(path, text)| {
                let code = path.strip_prefix("lang/")?.strip_suffix(".toml")?;
                Some((code, (*path).to_owned(), text.as_bytes()))
            }))
            .unwrap_or_default()
        });
    &LANGUAGES
}

/// Where a layout file came from, for messages.
#[derive(Debug, Clone)]
pub enum Origin {
    BuiltIn,
    User(PathBuf),
}

/// One file of the layout tree.
#[derive(Debug, Clone)]
pub struct LayoutFile {
    pub bytes: Vec<u8>,
    pub origin: Origin,
}

/// A layout's description and parameters, read from its header.
#[derive(Debug, Clone)]
pub struct LayoutInfo {
    pub name: String,
    pub description: String,
    pub params: Vec<ParamSpec>,
    /// Whether it typesets cover letters (`cv.letter`): its header says
    /// so with a `// @letters` line.
    pub letters: bool,
}

/// All layout files of a run: built-in ones overlaid with the user's.
#[derive(Debug, Clone)]
pub struct Layouts {
    files: BTreeMap<String, LayoutFile>,
    infos: BTreeMap<String, LayoutInfo>,
    languages: BTreeMap<String, Language>,
}

impl Layouts {
    /// The built-in layouts, overlaid with the files of `user_dir` if given.
    pub fn load(user_dir: Option<&Path>) -> Result<Self, LayoutError> {
        let mut files: BTreeMap<String, LayoutFile> = BUILTIN
            .iter()
            .map(|(path, text)| {
                let file = LayoutFile {
                    bytes: text.as_bytes().to_vec(),
                    origin: Origin::BuiltIn,
                };
                (path.to_string(), file)
            })
            .collect();
        if let Some(dir) = user_dir {
            let root = dir.canonicalize().map_err(|source| LayoutError::Read {
                path: dir.to_owned(),
                source,
            })?;
            collect_user_files(&root, dir, &root, &mut files)?;
        }
        let languages = language::load(files.iter().filter_map(|(path, file)| {
            let code = path.strip_prefix("lang/")?.strip_suffix(".toml")?;
            Some((
                code,
                display_path(path, &file.origin),
                file.bytes.as_slice(),
            ))
        }))?;
        let codes: Vec<String> = languages.keys().cloned().collect();
        let mut infos = BTreeMap::new();
        for (path, file) in &files {
            let Some(name) = path.strip_suffix(".typ").filter(|name| !name.contains('/')) else {
                continue;
            };
            let display = display_path(path, &file.origin);
            let text = std::str::from_utf8(&file.bytes).map_err(|_| LayoutError::Refused {
                path: PathBuf::from(&display),
                message: "layout file is not valid UTF-8".into(),
            })?;
            let shared = |from: &str| {
                let file = files.get(from)?;
                let text = String::from_utf8(file.bytes.clone()).ok()?;
                Some((display_path(from, &file.origin), text))
            };
            let (description, params) = params::parse_header(&display, text, &codes, &shared)?;
            // The header usually opens with "name: what it is".
            let description = description
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
                .map_or(description.clone(), |rest| rest.trim().to_owned());
            let letters = text
                .lines()
                .map_while(|line| line.trim_start().strip_prefix("//"))
                .any(|comment| comment.trim() == "@letters");
            infos.insert(
                name.to_owned(),
                LayoutInfo {
                    name: name.to_owned(),
                    description,
                    params,
                    letters,
                },
            );
        }
        Ok(Self {
            files,
            infos,
            languages,
        })
    }

    /// Looks up a layout by name, listing the available ones if it is unknown.
    pub fn get(&self, name: &str) -> Result<&LayoutInfo, LayoutError> {
        self.infos.get(name).ok_or_else(|| LayoutError::Unknown {
            name: name.to_owned(),
            available: self.infos.keys().cloned().collect::<Vec<_>>().join(", "),
        })
    }

    /// Every layout, by name.
    pub fn infos(&self) -> impl Iterator<Item = &LayoutInfo> {
        self.infos.values()
    }

    /// The language a layout's parameters name (`lang`), English if none.
    pub fn language_of(&self, params: &serde_json::Map<String, serde_json::Value>) -> &Language {
        params
            .get("lang")
            .and_then(|code| code.as_str())
            .and_then(|code| self.languages.get(code))
            .or_else(|| self.languages.get(language::BASE))
            .unwrap_or_else(|| unreachable!("loading refuses a tree without the base language"))
    }

    /// Every language, by code.
    pub fn languages(&self) -> impl Iterator<Item = &Language> {
        self.languages.values()
    }

    /// Where a layout file came from, by path below the layouts root.
    pub fn origin(&self, path: &str) -> Option<&Origin> {
        self.file(path).map(|file| &file.origin)
    }

    /// A file by path below the layouts root (`lib/cv.typ`).
    pub fn file(&self, path: &str) -> Option<&LayoutFile> {
        self.files.get(path)
    }

    /// Every file, by path below the layouts root (`lib/cv.typ`).
    pub fn files(&self) -> impl Iterator<Item = (&str, &LayoutFile)> {
        self.files.iter().map(|(path, file)| (path.as_str(), file))
    }
}

/// How a layout file is named in messages.
pub fn display_path(path: &str, origin: &Origin) -> String {
    match origin {
        Origin::BuiltIn => format!("layouts/{path} (built-in)"),
        Origin::User(real) => real.display().to_string(),
    }
}

/// Adds the files below `dir` to `files`, refusing anything that resolves
/// outside `root` (a symlink pointing elsewhere, say).
/// Files are named in messages and dependency files as below `given`, the
/// folder as the user named it.
fn collect_user_files(
    root: &Path,
    given: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, LayoutFile>,
) -> Result<(), LayoutError> {
    let read_err = |path: &Path| {
        let path = path.to_owned();
        move |source| LayoutError::Read { path, source }
    };
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(read_err(dir))?
        .collect::<Result<_, _>>()
        .map_err(read_err(dir))?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let real = path.canonicalize().map_err(read_err(&path))?;
        if !real.starts_with(root) {
            return Err(LayoutError::Refused {
                path,
                message: format!(
                    "resolves to {}, outside the layouts folder {}",
                    real.display(),
                    root.display()
                ),
            });
        }
        if real.is_dir() {
            // A link to a folder above (`a -> .`) would be walked forever:
            // each real folder is walked once, where it first appears.
            let here = dir.canonicalize().map_err(read_err(dir))?;
            if !here.starts_with(&real) {
                collect_user_files(root, given, &path, files)?;
            }
            continue;
        }
        // `path` is built by joining names onto `root`, so this cannot fail.
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let Some(key) = relative.to_str().map(|s| s.replace('\\', "/")) else {
            return Err(LayoutError::Refused {
                path,
                message: "file name is not valid UTF-8".into(),
            });
        };
        let bytes = match read_limited(&real, MAX_LAYOUT_FILE) {
            Ok(bytes) => bytes,
            Err(ReadError::Io(source)) => return Err(LayoutError::Read { path, source }),
            Err(ReadError::NotAFile) => {
                return Err(LayoutError::Refused {
                    path,
                    message: "not a regular file".into(),
                });
            }
            Err(ReadError::TooLarge { .. }) => {
                return Err(LayoutError::Refused {
                    path,
                    message: format!("larger than {} MB", MAX_LAYOUT_FILE / 1_000_000),
                });
            }
        };
        files.insert(
            key,
            LayoutFile {
                bytes,
                origin: Origin::User(given.join(relative)),
            },
        );
    }
    Ok(())
}
