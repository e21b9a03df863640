//! Typed errors at the stage boundaries, and the one exit-code policy.
//! Every message names the file and, where there is one, the line; messages
//! are lowercase without a final period.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use thiserror::Error;

use crate::diagnostic::Styled;
use crate::workers::Overrun;

/// How a run ends, as its exit code says (documented in the README and
/// `--help`). Only [`CommandError::exit`] picks one for a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Everything asked for was made.
    Success,
    /// Some profile or job failed; the others were made.
    Failed,
    /// The command line or the run's setup is wrong: nothing was made.
    Usage,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(match exit {
            Exit::Success => 0,
            Exit::Failed => 1,
            Exit::Usage => 2,
        })
    }
}

/// Why a command did not do all it was asked. The kind decides the exit
/// code; the message, if any, is printed once by the dispatcher.
#[derive(Debug)]
pub enum CommandError {
    /// The run's setup is wrong (command line, layouts, output folder):
    /// nothing was made.
    Setup(SetupError),
    /// The command was used wrongly, in its own words: nothing was made.
    Usage(String),
    /// Some of the work failed; what could be done was. `None` when the
    /// failures were printed as they happened.
    Failed(Option<String>),
}

impl CommandError {
    /// The one exit-code policy.
    pub fn exit(&self) -> Exit {
        match self {
            Self::Setup(_) | Self::Usage(_) => Exit::Usage,
            Self::Failed(_) => Exit::Failed,
        }
    }

    /// What to print, if it was not printed already.
    pub fn message(&self) -> Option<String> {
        match self {
            Self::Setup(err) => Some(err.to_string()),
            Self::Usage(message) => Some(message.clone()),
            Self::Failed(message) => message.clone(),
        }
    }
}

impl From<SetupError> for CommandError {
    fn from(err: SetupError) -> Self {
        Self::Setup(err)
    }
}

/// Reading or parsing a profile failed.
#[derive(Debug, Error)]
pub enum ProfileError {
    #[error("{}: cannot read profile: {}", path.display(), plain_io(source))]
    Read { path: PathBuf, source: io::Error },
    #[error("{}:{line}:{column}: file is not valid UTF-8", path.display())]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{}: file name is not valid UTF-8", path.display())]
    BadFileName { path: PathBuf },
    #[error(
        "{}: a file name starting with `.` cannot name outputs (they would be hidden, or `.` and `..` folders); rename the file",
        path.display()
    )]
    HiddenFileName { path: PathBuf },
    #[error("{}: not a regular file (a folder, pipe or device); a profile is a .toml file", path.display())]
    NotAFile { path: PathBuf },
    #[error(
        "{}: the profile is {:.1} MB; profiles are limited to {} KB (a long CV is tens of KB)",
        path.display(), *size as f64 / 1e6, limit / 1024
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
}

impl ProfileError {
    /// The profile file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Read { path, .. }
            | Self::NotUtf8 { path, .. }
            | Self::BadFileName { path }
            | Self::HiddenFileName { path }
            | Self::NotAFile { path }
            | Self::TooLarge { path, .. } => path,
        }
    }
}

/// A layout could not be found, read or configured.
#[derive(Debug, Error)]
pub enum LayoutError {
    #[error("unknown layout `{name}`; available layouts: {available}")]
    Unknown { name: String, available: String },
    #[error("{}: cannot read layout file: {}", path.display(), plain_io(source))]
    Read { path: PathBuf, source: io::Error },
    #[error("{}: {message}", path.display())]
    Refused { path: PathBuf, message: String },
    #[error("{file}:{line}: bad parameter declaration: {message}")]
    Declaration {
        file: String,
        line: usize,
        message: String,
    },
    #[error(
        "{origin}: layout `{layout}` has no parameter `{name}`; its parameters are: {available}"
    )]
    UnknownParam {
        origin: String,
        layout: String,
        name: String,
        available: String,
    },
    #[error("{origin}: bad value for layout parameter `{name}`: {message}")]
    BadValue {
        origin: String,
        name: String,
        message: String,
    },
}

/// What stops a whole run before any job: the command line, a layout
/// folder, fonts, the inputs, outputs that would clash, the output folder.
#[derive(Debug, Error)]
pub enum SetupError {
    #[error("`--set {0}` must have the form key=value")]
    BadSet(String),
    #[error(
        "--set {name}: no layout has a parameter `{name}`{}; parameters are: {available}",
        suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default()
    )]
    UnknownSetting {
        name: String,
        suggestion: Option<String>,
        available: String,
    },
    #[error("--variant: {0}")]
    Variants(String),
    #[error("--pdf-standard: {0}")]
    Standards(String),
    #[error("--format: {0}")]
    Formats(String),
    #[error("--lang: {0}")]
    Languages(String),
    #[error("{}: no such file or folder", .0.display())]
    MissingInput(PathBuf),
    #[error("--anon-key-file {}: cannot read the key (a regular file of at most 64 KB)", .0.display())]
    AnonKey(PathBuf),
    #[error("--emit-typst {}: not a folder", .0.display())]
    EmitDir(PathBuf),
    #[error("{}: cannot read folder: {}", path.display(), plain_io(source))]
    ReadDir { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Fonts(#[from] FontFolderError),
    #[error("{}: no profiles (*.toml) found", .0.display())]
    NoProfiles(PathBuf),
    #[error(transparent)]
    Layout(#[from] LayoutError),
    #[error("{}: cannot write the report there: {}", path.display(), plain_io(source))]
    ReportDir { path: PathBuf, source: io::Error },
    #[error(
        "{} would be written twice, by {first} and by {second}; nothing was rendered\n  = hint: {hint}",
        file.display()
    )]
    Collision {
        file: PathBuf,
        first: String,
        second: String,
        hint: String,
    },
    #[error("{}: cannot write to the output folder: {}", path.display(), plain_io(source))]
    OutputDir { path: PathBuf, source: io::Error },
}

/// A `--font-path` folder could not be read.
#[derive(Debug, Error)]
#[error("{}: cannot read fonts: {}", path.display(), plain_io(source))]
pub struct FontFolderError {
    pub path: PathBuf,
    pub source: io::Error,
}

/// Making one document failed; the other jobs go on.
#[derive(Debug, Error)]
pub enum JobError {
    #[error("layout `{layout}` failed\n{diagnostics}")]
    Compile { layout: String, diagnostics: Styled },
    #[error("layout name `{0}` is not a valid file name")]
    BadLayoutName(String),
    #[error("cannot serialise layout data: {0}")]
    Data(#[from] serde_json::Error),
    #[error(
        "does not fit on one page: with everything optional dropped and the tightest typography \
         (down to {min_font_size}pt text, {min_margin_cm}cm margins) it still runs {overflow_cm:.1} cm \
         past the bottom of page 1 ({pages} pages, {compiles} compiles); what is left: {left}; mark \
         less as `essential` or `high`, or add `short` alternatives"
    )]
    TooLong {
        min_font_size: f64,
        min_margin_cm: f64,
        overflow_cm: f64,
        pages: usize,
        compiles: usize,
        /// What the document still holds with every step applied.
        left: String,
    },
    #[error(
        "the cover letter does not fit on one page: at the tightest typography (down to \
         {min_font_size}pt text, {min_margin_cm}cm margins) it still runs {overflow_cm:.1} cm past \
         the bottom of the page ({compiles} compiles); shorten its body ({paragraphs} paragraph(s))"
    )]
    LetterTooLong {
        min_font_size: f64,
        min_margin_cm: f64,
        overflow_cm: f64,
        compiles: usize,
        paragraphs: usize,
    },
    #[error("{}", over_budget(.0))]
    OverBudget(Overrun),
    #[error("warnings are denied:\n{}", .0.join("\n"))]
    WarningsDenied(Vec<String>),
    /// The anonymized document holds personal data: it is not written.
    #[error("{0}")]
    Leak(String),
    #[error("cannot write the PDF\n{0}")]
    Pdf(String),
    /// The content could not be written, or read back, as another format.
    #[error("cannot write the {what}: {message}")]
    Convert { what: &'static str, message: String },
    /// The written PDF could not be read back (`check --ats`).
    #[error("cannot read the PDF back as an applicant tracking system would: {0}")]
    ReadBack(String),
    #[error("cannot encode the preview of page {page}: {message}")]
    Preview { page: usize, message: String },
    #[error(transparent)]
    Write(#[from] WriteError),
    /// Another profile wrote this output in another run or process.
    #[error(
        "{} is written by {} too (in another run: make runs one process per profile); give one its own [anonymize] id or [output] name, or render it into another folder (-o)",
        file.display(),
        owner.display()
    )]
    Claimed { file: PathBuf, owner: PathBuf },
    #[error("cannot write the Typst project: {}", plain_io(.0))]
    Emit(io::Error),
}

/// Writing an output file failed.
#[derive(Debug, Error)]
#[error("{}: cannot write output: {}", path.display(), plain_io(source))]
pub struct WriteError {
    pub path: PathBuf,
    pub source: io::Error,
}

fn over_budget(why: &Overrun) -> String {
    match why {
        Overrun::Time(time) => format!(
            "took longer than {} s, the most one document may take (--timeout); it was stopped",
            time.as_secs()
        ),
        Overrun::Memory(bytes) => format!(
            "the run went over its memory ceiling of {} MB (--max-memory) while this document \
             was being made; it was stopped, and no further documents were started",
            bytes / 1_000_000
        ),
        Overrun::NotRun => "not made: the run stopped at its memory ceiling (--max-memory) \
             before this document started"
            .to_owned(),
    }
}

/// An I/O error as a person reads it: "No such file or directory", without
/// the operating system's error number.
pub fn plain_io(err: &io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}
