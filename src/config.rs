//! What a run was asked to do, resolved from the command line once and free
//! of its types: later stages read this and nothing of clap.

use std::path::PathBuf;

use crate::error::SetupError;
use crate::output::Formats;
use crate::profile::AnonymizeOptions;
use crate::profile::Variant;
use crate::standard::Standards;
use crate::workers::Budget;

/// Where a run's fonts come from, beyond the embedded ones.
#[derive(Debug, Clone, Default)]
pub struct FontSources {
    /// Folders searched recursively, in order.
    pub paths: Vec<PathBuf>,
    /// Whether to search the system's font folders too.
    pub system: bool,
}

/// How much `cvgen render` says as it goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// What `cvgen render` and `cvgen check` were asked to do.
#[derive(Debug, Clone)]
pub(crate) struct RenderConfig {
    pub inputs: Vec<PathBuf>,
    /// Documents compiled at once.
    pub jobs: usize,
    /// The layout for every profile, instead of each profile's own.
    pub layout: Option<String>,
    /// `--set key=value`, in order.
    pub settings: Vec<(String, String)>,
    pub layouts_dir: Option<PathBuf>,
    pub fonts: FontSources,
    pub source_date_epoch: Option<String>,
    /// Variants to make; `None` lets each profile choose.
    pub variants: Option<Vec<Variant>>,
    /// The languages to make documents in (`--lang`); `None` makes each
    /// profile's every language.
    pub languages: Option<Vec<String>>,
    /// PDF standards for every document; `None` lets each profile choose.
    pub pdf_standards: Option<Standards>,
    /// Anonymization options added to each profile's own.
    pub anonymize: AnonymizeOptions,
    /// The key candidate ids are derived with, if the organisation has one.
    pub anon_key: Option<Vec<u8>>,
    /// Render only shard `k` of `n` (1-based) of the jobs.
    pub shard: Option<(usize, usize)>,
    /// Treat warnings as errors: a profile with warnings is not rendered.
    pub deny_warnings: bool,
    /// What one job may use before it is given up.
    pub budget: Budget,
    /// Read every document back as an applicant tracking system would
    /// (`cvgen check --ats`).
    pub ats: bool,
    /// Where and how documents are written; `None` compiles and checks every
    /// document and writes nothing (`cvgen check`).
    pub write: Option<WriteConfig>,
}

/// How a run that writes documents writes them.
#[derive(Debug, Clone)]
pub(crate) struct WriteConfig {
    pub out_dir: PathBuf,
    /// Make every document, even those whose inputs are unchanged.
    pub force: bool,
    /// Write each profile's make rule and stamp.
    pub deps: bool,
    /// What to write for each document; `None` leaves it to each profile's
    /// `[output] formats` (else a PDF).
    pub formats: Option<Formats>,
    /// Resolution of PNG previews.
    pub dpi: u16,
    /// Also write each document's Typst project into this folder.
    pub emit_typst: Option<PathBuf>,
}

/// Parses `--lang` values, each possibly comma-separated (`en,de`).
pub(crate) fn parse_languages(values: &[String]) -> Result<Option<Vec<String>>, SetupError> {
    if values.is_empty() {
        return Ok(None);
    }
    let mut codes = Vec::new();
    for code in values.iter().flat_map(|v| v.split(',')).map(str::trim) {
        if !crate::layout::language::is_language_code(code) {
            return Err(SetupError::Languages(format!(
                "`{code}` is not a language code (en, de, zh-TW ...)"
            )));
        }
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_owned());
        }
    }
    Ok(Some(codes))
}
