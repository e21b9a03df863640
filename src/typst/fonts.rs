//! Fonts: the families in `fonts/`, embedded in the binary, plus any the user
//! adds with `--font-path`.

use std::fs;
use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::FontStore;

use crate::error::ConfigError;
use crate::files::{ReadError, read_limited};

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

/// The largest font file read (a full CJK collection is about 100 MB).
const MAX_FONT_FILE: u64 = 400_000_000;

/// The fonts of a run.
pub struct Fonts {
    pub store: FontStore,
    /// The font files found in `--font-path` folders, in order.
    pub files: Vec<PathBuf>,
    /// SHA-256 over those files' names and bytes, for incremental builds.
    pub sha256: [u8; 32],
}

/// Builds the font store: embedded fonts first, then those found (recursively)
/// in `extra` folders. Files are parsed once here and shared by every job.
pub fn load(extra: &[impl AsRef<Path>]) -> Result<Fonts, ConfigError> {
    use sha2::Digest;
    let mut store = FontStore::new();
    let mut found = Vec::new();
    let mut hasher = sha2::Sha256::new();
    for data in EMBEDDED {
        store.extend(Font::iter(Bytes::new(*data)).map(with_info));
    }
    for dir in extra {
        let dir = dir.as_ref();
        let mut files = Vec::new();
        font_files(dir, &mut files).map_err(|source| ConfigError::Fonts {
            path: dir.to_owned(),
            source,
        })?;
        files.sort();
        for path in files {
            let data = read_limited(&path, MAX_FONT_FILE).map_err(|err| ConfigError::Fonts {
                path: path.clone(),
                source: match err {
                    ReadError::Io(err) => err,
                    ReadError::NotAFile => std::io::Error::other("not a regular file"),
                    ReadError::TooLarge { .. } => {
                        std::io::Error::other("larger than a font can be")
                    }
                },
            })?;
            hasher.update(path.to_string_lossy().as_bytes());
            hasher.update(crate::output::sha256(&data));
            store.extend(Font::iter(Bytes::new(data)).map(with_info));
            found.push(path);
        }
    }
    Ok(Fonts {
        store,
        files: found,
        sha256: hasher.finalize().into(),
    })
}

fn with_info(font: Font) -> (Font, FontInfo) {
    let info = font.info().clone();
    (font, info)
}

fn font_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            font_files(&path, out)?;
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "ttf" | "otf" | "ttc" | "otc"
            )
        }) {
            out.push(path);
        }
    }
    Ok(())
}
