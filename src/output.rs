//! Writing outputs: to a temporary file in the target folder, then renamed
//! into place, so a reader (or a run killed midway) sees the old file or the
//! new one, never a truncated one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use crate::error::WriteError;

/// Temporary files start with this, then the writing process's id.
const TEMP_PREFIX: &str = ".cvgen-";

/// Removes temporary files that a killed run left in `dir`: those whose
/// process no longer runs. Files of a run still going on are kept.
pub fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // Writability probes of cvgen 0.1 runs that were killed.
        if name.starts_with(".cvgen-probe-") {
            let _ = std::fs::remove_file(entry.path());
            continue;
        }
        let Some(rest) = name
            .strip_prefix(TEMP_PREFIX)
            .filter(|_| name.ends_with(".tmp"))
        else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let running = pid.is_some_and(|pid| {
            pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
        });
        // Without /proc we cannot tell, and leave the file.
        if !running && Path::new("/proc/self").exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A pause in the middle of every write, from `CVGEN_TEST_STALL_WRITES_MS`:
/// a hook for the test that kills a run mid-write and checks that nothing
/// half-written is left in place of an output. Unset, it costs one load.
static STALL_WRITES: LazyLock<Option<Duration>> = LazyLock::new(|| {
    std::env::var("CVGEN_TEST_STALL_WRITES_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis)
});

/// How this process's temporary files start.
fn temporary_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// A new temporary file in `dir`, named so that the next run removes it if
/// this one is killed (see [`remove_stale_temporaries`]).
pub fn temporary_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&temporary_prefix())
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |source| WriteError {
        path: path.to_owned(),
        source,
    };
    let file = filled_temporary(folder_of(path), bytes).map_err(fail)?;
    file.persist(path).map_err(|err| fail(err.error))?;
    Ok(())
}

/// Writes `bytes` once and makes each of `paths` name it, each replaced
/// atomically: the first by the file itself, the others by hard links to
/// it, made before any is renamed into place. A link costs no inode, which
/// on a busy file system is most of what creating a small file costs.
/// Where a link cannot be made, that path gets a file of its own.
pub fn write_linked(paths: &[PathBuf], bytes: &[u8]) -> Result<(), WriteError> {
    let Some((first, others)) = paths.split_first() else {
        return Ok(());
    };
    let fail = |path: &Path| {
        let path = path.to_owned();
        move |source| WriteError { path, source }
    };
    let file = filled_temporary(folder_of(first), bytes).map_err(fail(first))?;
    for path in others {
        let linked = tempfile::Builder::new()
            .prefix(&temporary_prefix())
            .suffix(".tmp")
            .make_in(folder_of(path), |name| {
                std::fs::hard_link(file.path(), name)
            });
        match linked {
            Ok(link) => link
                .persist(path)
                .map(drop)
                .map_err(|err| fail(path)(err.error))?,
            Err(_) => write_atomic(path, bytes)?,
        }
    }
    file.persist(first).map_err(|err| fail(first)(err.error))?;
    Ok(())
}

/// The folder a file is written in.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A temporary file in `dir` holding `bytes`, readable by all, to be
/// renamed into place.
fn filled_temporary(dir: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut file = temporary_in(dir)?;
    // No fsync: like compilers and make, cvgen protects readers and killed
    // runs (rename is atomic), not power loss. An fsync per file cost ~0.8 ms,
    // two files per document, about 8% of a batch.
    let (head, tail) = bytes.split_at(bytes.len() / 2);
    file.write_all(head)?;
    if let Some(pause) = *STALL_WRITES {
        file.flush()?;
        std::thread::sleep(pause);
    }
    file.write_all(tail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Temporary files are private; a PDF is meant to be shared.
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(file)
}

/// Writes `bytes` to a file the user named (a report, an export, an
/// import's profile): atomically where it is a regular file or new, the
/// way outputs are written; written through, never renamed over, where it
/// is a symlink, a device or a pipe (`/dev/stdout`, `/dev/full`, a FIFO),
/// so that what the name points at gets the bytes and stays what it is.
pub fn write_named(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let fail = |source| WriteError {
        path: path.to_owned(),
        source,
    };
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(fail(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a folder",
        ))),
        Ok(meta) if meta.is_file() => write_atomic(path, bytes),
        Ok(_) => {
            // A symlink (to whatever), a device, a FIFO or a socket.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(path)
                .map_err(fail)?;
            file.write_all(bytes).map_err(fail)?;
            file.flush().map_err(fail)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => write_atomic(path, bytes),
        Err(err) => Err(fail(err)),
    }
}

/// What a run writes for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub pdf: bool,
    pub png: bool,
    pub docx: bool,
    pub txt: bool,
    pub md: bool,
}

/// The names `--format` and `[output] formats` take.
pub const NAMES: &str = "pdf, png, docx, txt, md";

impl Default for Formats {
    fn default() -> Self {
        Self {
            pdf: true,
            png: false,
            docx: false,
            txt: false,
            md: false,
        }
    }
}

impl Formats {
    /// Parses format names, each item possibly comma-separated (`pdf,png`).
    pub fn parse_list(items: &[String]) -> Result<Self, String> {
        let mut formats = Self {
            pdf: false,
            ..Self::default()
        };
        for name in items.iter().flat_map(|item| item.split(',')) {
            match name.trim() {
                "pdf" => formats.pdf = true,
                "png" => formats.png = true,
                "docx" => formats.docx = true,
                "txt" => formats.txt = true,
                "md" => formats.md = true,
                other => return Err(format!("unknown format `{other}`; formats are: {NAMES}")),
            }
        }
        if formats
            == (Self {
                pdf: false,
                ..Self::default()
            })
        {
            return Err(format!("no format given; formats are: {NAMES}"));
        }
        Ok(formats)
    }

    /// The formats written from the content rather than the pages.
    pub fn text_formats(&self) -> Vec<TextFormat> {
        [
            (self.docx, TextFormat::Docx),
            (self.txt, TextFormat::Txt),
            (self.md, TextFormat::Md),
        ]
        .into_iter()
        .filter_map(|(on, format)| on.then_some(format))
        .collect()
    }

    /// The names, for a run's key and the report.
    pub fn names(&self) -> Vec<&'static str> {
        [
            (self.pdf, "pdf"),
            (self.png, "png"),
            (self.docx, "docx"),
            (self.txt, "txt"),
            (self.md, "md"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }
}

/// A format written from a document's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    Docx,
    Txt,
    Md,
}

impl TextFormat {
    /// The format's name in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Docx => "Word file",
            Self::Txt => "text file",
            Self::Md => "Markdown file",
        }
    }

    /// The file extension, also the format's name.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Docx => "docx",
            Self::Txt => "txt",
            Self::Md => "md",
        }
    }
}
