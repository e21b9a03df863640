//! Fonts: the families in `fonts/`, embedded in the binary, then any found in
//! `--font-path` folders, then the system's (unless `--ignore-system-fonts`).
//!
//! The embedded Noto Sans and Serif cover Latin, Greek and Cyrillic and keep
//! the binary small; other scripts (Chinese, Japanese, Korean, Arabic,
//! Hebrew, Devanagari, Thai...) come from installed fonts. Fonts are found in
//! that order and Typst prefers the earlier of two equal candidates, so a
//! profile the embedded fonts cover prints the same bytes on every machine.
//! Font files are read lazily, when a document first uses them.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst_kit::fonts::{FontPath, FontStore};

use crate::config::FontSources;
use crate::error::FontFolderError;
use crate::hash::sha256;
use crate::layout::language::PreferredFonts;

/// The font files shipped in `fonts/` (OFL-licensed, see `fonts/OFL.txt`).
const EMBEDDED: &[&[u8]] = &[
    include_bytes!("../../fonts/NotoSerif-Regular.ttf"),
    include_bytes!("../../fonts/NotoSerif-Bold.ttf"),
    include_bytes!("../../fonts/NotoSerif-Italic.ttf"),
    include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf"),
    include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../../fonts/NotoSans-BoldItalic.ttf"),
    include_bytes!("../../fonts/NotoSansMono-Regular.ttf"),
];

/// A font file on disk, as a dependency of the documents that use it.
#[derive(Debug, Clone)]
pub struct FontFile {
    pub path: PathBuf,
    /// A stamp over the file's path, size and modification time: reading
    /// every installed font to hash it would cost seconds per run.
    pub stamp: [u8; 32],
}

/// The fonts of a run.
pub struct Fonts {
    pub store: FontStore,
    /// For each font of the store's book, by index: its file, or `None` for
    /// an embedded font.
    pub files: Vec<Option<FontFile>>,
    /// A stamp over every font file found, for incremental builds: a font
    /// installed or removed may change which one draws a character.
    pub fingerprint: [u8; 32],
    /// How many fonts come before the system's: the embedded ones and
    /// those of `--font-path`. A document these cover never reaches an
    /// installed font.
    pub base: usize,
    /// The stamp over those fonts' files only.
    pub base_fingerprint: [u8; 32],
}

impl Fonts {
    /// Finds the fonts: embedded first, then `--font-path` folders, then the
    /// system's. Only the fonts' tables of contents are read here.
    /// The fonts of `sources`, loaded once per process: a watch session
    /// renders again and again with the same fonts (fonts installed while
    /// it runs are seen by the next session).
    pub fn shared(sources: &FontSources) -> Result<std::sync::Arc<Self>, FontFolderError> {
        use std::sync::{Arc, Mutex};
        type Key = (Vec<std::path::PathBuf>, bool);
        static LOADED: Mutex<Vec<(Key, Arc<Fonts>)>> = Mutex::new(Vec::new());
        let key = (sources.paths.clone(), sources.system);
        let mut loaded = LOADED
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, fonts)) = loaded.iter().find(|(k, _)| *k == key) {
            return Ok(fonts.clone());
        }
        let fonts = Arc::new(Self::load(sources)?);
        loaded.push((key, fonts.clone()));
        Ok(fonts)
    }

    pub fn load(sources: &FontSources) -> Result<Self, FontFolderError> {
        let mut store = FontStore::new();
        let mut files = Vec::new();
        for data in EMBEDDED {
            for font in Font::iter(Bytes::new(*data)) {
                let info = font.info().clone();
                store.push((font, info));
                files.push(None);
            }
        }
        let mut found: Vec<(FontPath, FontInfo)> = Vec::new();
        for dir in &sources.paths {
            if !dir.is_dir() {
                let source = std::fs::metadata(dir)
                    .err()
                    .unwrap_or_else(|| std::io::Error::other("not a folder"));
                return Err(FontFolderError {
                    path: dir.clone(),
                    source,
                });
            }
            found.extend(sorted(typst_kit::fonts::scan(dir)));
        }
        let base = files.len() + found.len();
        if sources.system {
            found.extend(sorted(typst_kit::fonts::system()));
        }
        let mut stamps = Vec::new();
        for (font, info) in found {
            let file = FontFile {
                stamp: stamp(&font.path),
                path: font.path.clone(),
            };
            stamps.push(file.stamp);
            files.push(Some(file));
            store.push((font, info));
        }
        let fingerprint = |stamps: &[[u8; 32]]| {
            let mut stamps = stamps.to_vec();
            stamps.sort_unstable();
            stamps.dedup();
            sha256(&stamps.concat())
        };
        let embedded = files.len() - stamps.len();
        Ok(Self {
            store,
            fingerprint: fingerprint(&stamps),
            base_fingerprint: fingerprint(&stamps[..base - embedded]),
            base,
            files,
        })
    }

    pub fn book(&self) -> &FontBook {
        self.store.book()
    }
}

/// Families tried, in order, for characters the layout's own font lacks,
/// after the language's preferred ones. Sans first, the serif list tries
/// its own and then these. Only installed families reach a document.
/// Arabic is set in Naskh in both: its lam-alef is two glyphs, which text
/// extractors read in order, where Noto Sans Arabic draws one ligature
/// glyph that they read backwards ("األنظمة" for "الأنظمة").
const SANS_FALLBACKS: &[&str] = &[
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans SC",
    "Noto Sans TC",
    "Noto Sans JP",
    "Noto Sans KR",
    "Noto Naskh Arabic",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Thai",
    "Noto Sans Bengali",
    "Noto Sans Tamil",
    "Noto Sans Telugu",
    "Noto Sans Gujarati",
    "Noto Sans Gurmukhi",
    "Noto Sans Kannada",
    "Noto Sans Malayalam",
    "Noto Sans Sinhala",
    "Noto Sans Georgian",
    "Noto Sans Armenian",
    "Noto Sans Ethiopic",
    "Noto Sans Khmer",
    "Noto Sans Lao",
    "Noto Sans Myanmar",
    "Noto Sans Symbols",
    "Noto Sans Symbols 2",
    "Noto Sans Math",
];
const SERIF_FALLBACKS: &[&str] = &[
    "Noto Serif CJK SC",
    "Noto Serif CJK TC",
    "Noto Serif CJK HK",
    "Noto Serif CJK JP",
    "Noto Serif CJK KR",
    "Noto Naskh Arabic",
    "Noto Serif Hebrew",
    "Noto Serif Devanagari",
    "Noto Serif Thai",
];

/// The embedded family that draws the symbols the text fonts lack (list
/// markers such as ▸), named before any installed font so that a document
/// the embedded fonts cover prints the same on every machine.
const SYMBOLS: &str = "Noto Sans Mono";

/// The font families a document falls back on, installed ones only.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Fallbacks {
    pub sans: Vec<String>,
    pub serif: Vec<String>,
}

impl Fallbacks {
    /// The fallbacks for a language: the embedded base family and symbols,
    /// the language's preferred families, then the general lists; only
    /// those `book` has, so Typst never warns of an unknown family.
    pub fn new(book: &FontBook, preferred: &PreferredFonts) -> Self {
        let pick = |names: &[&[String]], general: &[&[&str]]| {
            let mut picked: Vec<String> = Vec::new();
            let candidates = names
                .iter()
                .flat_map(|list| list.iter().map(String::as_str))
                .chain(general.iter().flat_map(|list| list.iter().copied()));
            for name in candidates {
                let installed = book.contains_family(&name.to_lowercase());
                if installed && !picked.iter().any(|p| p.eq_ignore_ascii_case(name)) {
                    picked.push(name.to_owned());
                }
            }
            picked
        };
        let base =
            |families: &[&str]| -> Vec<String> { families.iter().map(|f| f.to_string()).collect() };
        Self {
            sans: pick(
                &[&base(&["Noto Sans", SYMBOLS]), &preferred.sans],
                &[SANS_FALLBACKS],
            ),
            serif: pick(
                &[
                    &base(&["Noto Serif", "Noto Sans", SYMBOLS]),
                    &preferred.serif,
                    &preferred.sans,
                ],
                &[SERIF_FALLBACKS, SANS_FALLBACKS],
            ),
        }
    }
}

/// Scanned fonts in a stable order (by file, then index in a collection), so
/// that ties between equal fonts resolve the same way on every run.
fn sorted(fonts: impl Iterator<Item = (FontPath, FontInfo)>) -> Vec<(FontPath, FontInfo)> {
    let mut fonts: Vec<_> = fonts.collect();
    fonts.sort_by(|(a, _), (b, _)| (&a.path, a.index).cmp(&(&b.path, b.index)));
    fonts
}

/// A file's stamp: path, size and modification time.
pub fn stamp(path: &Path) -> [u8; 32] {
    let meta = std::fs::metadata(path).ok();
    let size = meta.as_ref().map_or(0, |m| m.len());
    let modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut bytes = path.to_string_lossy().into_owned().into_bytes();
    bytes.extend(size.to_le_bytes());
    bytes.extend(modified.to_le_bytes());
    sha256(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_come_first_and_cover_latin_greek_cyrillic() {
        let fonts = Fonts::load(&FontSources::default()).expect("embedded fonts load");
        let book = fonts.book();
        assert_eq!(fonts.files.len(), EMBEDDED.len());
        assert!(fonts.files.iter().all(Option::is_none));
        for c in ['é', 'ß', 'Ω', 'Ж', 'ő'] {
            assert!(
                (0..fonts.files.len())
                    .any(|i| book.info(i).is_some_and(|f| f.coverage.contains(c as u32))),
                "{c} is covered"
            );
        }
        assert!(book.select("noto serif", Default::default()).is_some());
    }

    #[test]
    fn fallbacks_name_installed_families_preferred_first() {
        let sources = FontSources {
            paths: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fonts")],
            system: false,
        };
        let fonts = Fonts::load(&sources).expect("test fonts load");
        assert!(
            fonts
                .files
                .iter()
                .flatten()
                .any(|f| f.path.ends_with("NotoSansThai-Bold-subset.ttf"))
        );
        let preferred = PreferredFonts {
            sans: vec!["Noto Sans CJK JP".into(), "Noto Sans Hebrew".into()],
            serif: vec![],
        };
        let fallbacks = Fallbacks::new(fonts.book(), &preferred);
        assert_eq!(
            fallbacks.sans[..4],
            [
                "Noto Sans",
                "Noto Sans Mono",
                "Noto Sans Hebrew",
                "Noto Sans CJK SC"
            ],
            "embedded first, the preferred installed one next, the uninstalled one left out"
        );
        assert_eq!(
            fallbacks.serif[..3],
            ["Noto Serif", "Noto Sans", "Noto Sans Mono"]
        );
        assert!(
            fallbacks.serif.contains(&"Noto Sans Thai".to_owned()),
            "sans scripts close the serif list"
        );
    }

    #[test]
    fn a_font_folder_that_does_not_exist_is_an_error() {
        let sources = FontSources {
            paths: vec![PathBuf::from("/nonexistent/fonts")],
            system: false,
        };
        let err = Fonts::load(&sources).err().expect("missing folder fails");
        assert!(err.to_string().contains("/nonexistent/fonts"), "{err}");
    }
}
