//! Compiling a job's layout data in its sandboxed world, and fitting it
//! on one page by compiling candidates.

use std::time::{Duration, Instant};

use crate::data;
use crate::error::JobError;
use crate::plan::ProfilePlan;
use crate::typst::world::{Dependency, Environment, JobWorld};
use crate::typst::{Bytes, PagedDocument, compile, document};
use crate::variant::Variant;
use crate::variant::onepage::{self, FitError, Measure, RemovalOrder};

/// A compile's result, what it was made from, and the files it read.
pub(super) struct Compiled {
    pub output: compile::Typeset,
    /// The layout data (`/cv.json`).
    pub data: Bytes,
    /// The prepared photo, if the layout placed it.
    pub photo: Option<Bytes>,
    pub dependencies: Vec<(Dependency, [u8; 32])>,
}

/// A typeset document and what fitting it did.
pub(super) struct Typeset {
    pub compiled: Compiled,
    /// The layout data it was compiled from (of a fit: the chosen one).
    pub document: data::Document,
    pub compiles: usize,
    /// How long the first compile took (of a fit: the document as it is).
    pub first_compile: Duration,
    /// What one-page fitting dropped, shortened or tightened, step by step.
    pub dropped: Vec<String>,
    /// What each entry that lost something was reduced to.
    pub reduced: Vec<String>,
    /// What fitting took away, each with its text.
    pub removed: Vec<(String, String)>,
    pub fill: Option<f64>,
}

/// Compiles layout data for one job.
pub(super) struct Compiler<'a> {
    pub env: &'a Environment,
    pub profile: &'a ProfilePlan,
    pub variant: Variant,
}

impl Compiler<'_> {
    pub fn compile(&self, document: &data::Document) -> Result<Compiled, JobError> {
        let json = Bytes::new(serde_json::to_vec(document)?);
        let name = self.profile.path.display().to_string();
        let layout = &self.profile.layout;
        // Anonymized documents never get the photo, whatever the data says.
        let photo = match (&self.profile.photo, &self.profile.profile.basics.image) {
            (Some(photo), Some(original)) if !self.variant.is_anonymous() => {
                Some((photo, original.as_path()))
            }
            _ => None,
        };
        let world = JobWorld::new(
            self.env,
            layout,
            json.clone(),
            photo,
            &self.profile.dir,
            &name,
        )
        .ok_or_else(|| JobError::BadLayoutName(layout.clone()))?;
        let output = compile::compile(&world, &self.profile.uncovered).map_err(|diagnostics| {
            JobError::Compile {
                layout: layout.clone(),
                diagnostics,
            }
        })?;
        Ok(Compiled {
            output,
            data: json,
            photo: world.served_photo(),
            dependencies: world.dependencies().into_iter().collect(),
        })
    }
}

/// How far a compiled document's content reaches, for one-page fitting.
fn measure(
    document: &PagedDocument,
    params: &serde_json::Map<String, serde_json::Value>,
) -> Measure {
    let page_height = document
        .pages()
        .first()
        .map_or(842.0, |p| p.frame.height().to_pt());
    let end = document::label_position(document, onepage::END_LABEL);
    Measure::new(document.pages().len(), page_height, end, params)
}

/// Fits a document on one page: plans what to drop, then squeezes, cuts
/// and refills, compiling each candidate (see `onepage::fit`).
pub(super) fn fit_one_page(
    compiler: &Compiler,
    document: &data::Document,
) -> Result<Typeset, JobError> {
    let posting = compiler.profile.posting();
    let plan = RemovalOrder::new(document, compiler.profile.timeline_since, posting);
    let mut first_compile = None;
    let result = onepage::fit(&plan, |chosen| {
        let started = Instant::now();
        let compiled = compiler.compile(&plan.apply_chosen(document, chosen))?;
        first_compile.get_or_insert(started.elapsed());
        Ok((
            measure(&compiled.output.document, &document.params),
            compiled,
        ))
    });
    match result {
        Ok(fit) => Ok(Typeset {
            dropped: fit.chosen.describe(&plan),
            reduced: {
                let mut lines = plan.reductions(document, &fit.chosen);
                if let Some(terms) = posting {
                    lines.extend(plan.kept_for_posting(&fit.chosen, terms));
                }
                lines
            },
            removed: plan.taken(document, &fit.chosen),
            document: plan.apply_chosen(document, &fit.chosen),
            fill: Some(fit.measure.fill()),
            compiled: fit.output,
            compiles: fit.compiles,
            first_compile: first_compile.unwrap_or_default(),
        }),
        Err(FitError::Failed(error)) => Err(error),
        Err(FitError::TooLong { measure, compiles }) if document.letter.is_some() => {
            Err(JobError::LetterTooLong {
                min_font_size: onepage::MIN_FONT_SIZE,
                min_margin_cm: (onepage::MIN_MARGIN * 2.54 / 72.0 * 10.0).round() / 10.0,
                overflow_cm: measure.overflow_cm(),
                compiles,
                paragraphs: document.letter.as_ref().map_or(0, |l| l.body.len()),
            })
        }
        Err(FitError::TooLong { measure, compiles }) => Err(JobError::TooLong {
            min_font_size: onepage::MIN_FONT_SIZE,
            min_margin_cm: (onepage::MIN_MARGIN * 2.54 / 72.0 * 10.0).round() / 10.0,
            overflow_cm: measure.overflow_cm(),
            pages: measure.pages,
            compiles,
            left: what_is_left(&plan.apply(document, plan.len())),
        }),
    }
}

/// A summary of a document's remaining content, for the failure message.
fn what_is_left(document: &data::Document) -> String {
    let mut parts = Vec::new();
    if document.basics.name.is_some() || !document.basics.contact.is_empty() {
        parts.push("name and contact line".to_owned());
    }
    for section in &document.sections {
        let title = if section.title.is_empty() {
            "untitled section"
        } else {
            section.title.as_str()
        };
        let count = section.entries.len() + section.items.len() + section.body.len();
        parts.push(format!(
            "{title} ({count} item{})",
            if count == 1 { "" } else { "s" }
        ));
    }
    parts.join(", ")
}
