//! Typed errors at the stage boundaries. Every message names the file and,
//! where there is one, the line; messages are lowercase without a final period.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

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
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: file name is not valid UTF-8", path.display())]
    BadFileName { path: PathBuf },
    #[error(
        "{}: the profile is {:.1} MB; profiles are limited to {} KB (a long CV is tens of KB)",
        path.display(), *size as f64 / 1e6, crate::profile::MAX_FILE_BYTES / 1024
    )]
    TooLarge { path: PathBuf, size: u64 },
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

/// The command line could not be turned into a configuration.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("`--set {0}` must have the form key=value")]
    BadSet(String),
    #[error("--variant: {0}")]
    Variants(String),
    #[error("--format: {0}")]
    Formats(String),
    #[error("{}: no such file or folder", .0.display())]
    MissingInput(PathBuf),
    #[error("{}: cannot read folder: {}", path.display(), plain_io(source))]
    ReadDir { path: PathBuf, source: io::Error },
    #[error("{}: cannot read fonts: {}", path.display(), plain_io(source))]
    Fonts { path: PathBuf, source: io::Error },
    #[error("{}: no profiles (*.toml) found", .0.display())]
    NoProfiles(PathBuf),
    #[error(transparent)]
    Layout(#[from] LayoutError),
    #[error("{message}")]
    Report { path: PathBuf, message: String },
    #[error("{}: cannot write to the output folder: {}", path.display(), plain_io(source))]
    OutputDir { path: PathBuf, source: io::Error },
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
