//! Making one document: skip it if its inputs are unchanged, otherwise
//! transform the profile for its variant, compile (fitting a page if asked),
//! check an anonymized result for leaks, and only then write the PDF
//! atomically and record what it was made from.

mod pipeline;
mod stages;
mod typeset;
mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::ats;
use crate::config::RenderConfig;
use crate::diagnostic::Styled;
use crate::error::{JobError, WriteError};
use crate::incremental::Records;
use crate::layout::Layouts;
use crate::plan::{Document, JobPlan, ProfileFailure, ProfilePlan};
use crate::typst::compile;
use crate::typst::world::Environment;
use pipeline::make;
pub(crate) use stages::Stages;
pub(crate) use write::is_current;
use write::write_document;

/// What all jobs of a run share.
pub(crate) struct Context<'a> {
    pub env: &'a Environment,
    pub config: &'a RenderConfig,
    pub layouts: &'a Layouts,
    /// What the written documents were made from, saved when all are done.
    pub records: &'a Records,
}

/// What happened to one job, or to a profile that had none.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Made: written, or in a run that writes nothing, compiled and checked.
    Made {
        profile: PathBuf,
        document: Document,
        /// The PDF, or the first preview when only previews were asked for.
        output: PathBuf,
        pages: usize,
        millis: u128,
        warnings: Vec<Styled>,
        /// Compiles used (more than one when fitting a page).
        compiles: usize,
        /// What one-page fitting dropped, shortened or tightened.
        dropped: Vec<String>,
        /// What each entry that lost something was reduced to.
        reduced: Vec<String>,
        /// For a fitted page, how much of its text area the content fills.
        fill: Option<f64>,
        /// For an anonymized document: what was redacted, and what stayed
        /// that could point at the person.
        redactions: Vec<String>,
        /// What an applicant tracking system reads of it (`check --ats`).
        ats: Option<ats::Review>,
        /// Which of a job posting's terms it shows.
        coverage: Option<Box<crate::posting::Coverage>>,
        /// Where the time went.
        stages: Box<Stages>,
        /// The Word, text and Markdown files written beside the PDF.
        files: Vec<PathBuf>,
    },
    /// Up to date: nothing was written.
    Unchanged {
        profile: PathBuf,
        document: Document,
        output: PathBuf,
        /// Which of a job posting's terms it shows, as recorded when made.
        coverage: Option<Box<crate::posting::Coverage>>,
    },
    /// The job failed; nothing of it was written.
    Failed {
        profile: PathBuf,
        document: Document,
        error: JobError,
    },
    /// The profile could not be planned, so it had no jobs.
    Invalid(ProfileFailure),
    /// Every document of the profile was made, but a record of them could
    /// not be written: `what` names it (its make rule and stamp, what was
    /// sent, what they were made from).
    Unstamped {
        profile: PathBuf,
        what: &'static str,
        error: WriteError,
    },
}

impl Outcome {
    /// The profile the outcome is about.
    pub fn profile(&self) -> &Path {
        match self {
            Self::Made { profile, .. }
            | Self::Unchanged { profile, .. }
            | Self::Failed { profile, .. }
            | Self::Unstamped { profile, .. } => profile,
            Self::Invalid(failure) => failure.path(),
        }
    }

    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Self::Failed { .. } | Self::Invalid(_) | Self::Unstamped { .. }
        )
    }
}

/// Makes one document, or leaves it alone if it is up to date.
pub(crate) fn run(ctx: &Context, profile: &ProfilePlan, job: &JobPlan) -> Outcome {
    let start = Instant::now();
    let result = match &ctx.config.write {
        Some(write) => write_document(ctx, write, profile, job),
        None => {
            make(ctx, profile, job.document.variant).map(|made| Some((made, job.output.clone())))
        }
    };
    compile::evict_cache();
    match result {
        Ok(Some((made, output))) => Outcome::Made {
            files: match ctx.config.write {
                Some(_) => made
                    .files
                    .iter()
                    .map(|(format, _)| job.output.with_extension(format.extension()))
                    .collect(),
                None => Vec::new(),
            },
            profile: profile.path.clone(),
            document: job.document.clone(),
            output,
            pages: made.document.pages().len(),
            millis: start.elapsed().as_millis(),
            warnings: made.warnings,
            compiles: made.compiles,
            dropped: made.dropped,
            reduced: made.reduced,
            fill: made.fill,
            redactions: made.redactions,
            ats: made.ats,
            coverage: made.coverage.map(Box::new),
            stages: Box::new(made.stages),
        },
        Ok(None) => Outcome::Unchanged {
            profile: profile.path.clone(),
            document: job.document.clone(),
            output: job.output.clone(),
            coverage: recorded_coverage(&job.output),
        },
        Err(error) => Outcome::Failed {
            profile: profile.path.clone(),
            document: job.document.clone(),
            error,
        },
    }
}

/// The coverage an output's manifest recorded when it was made.
pub(crate) fn recorded_coverage(output: &Path) -> Option<Box<crate::posting::Coverage>> {
    let recorded = crate::incremental::load(output)?.coverage?;
    serde_json::from_value(recorded).ok().map(Box::new)
}
