//! Making one document: skip it if its inputs are unchanged, otherwise
//! transform the profile for its variant, compile (fitting a page if asked),
//! check an anonymized result for leaks, and only then write the PDF
//! atomically and record what it was made from.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use typst::foundations::Bytes;
use typst_layout::PagedDocument;

use crate::ats;
use crate::config::{RenderConfig, WriteConfig};
use crate::data;
use crate::diagnostic::Styled;
use crate::emit;
use crate::error::{JobError, WriteError};
use crate::hash::{hex, sha256};
use crate::incremental::{self, Manifest, Recorded};
use crate::layout::Layouts;
use crate::output;
use crate::plan::{JobPlan, ProfileFailure, ProfilePlan};
use crate::preview;
use crate::typst::world::{Dependency, Environment, JobWorld, read_profile_file};
use crate::typst::{compile, fonts};
use crate::variant::onepage::{self, FitError, Measure, RemovalOrder};
use crate::variant::{Variant, anonymize, verify};

/// What all jobs of a run share.
pub(crate) struct Context<'a> {
    pub env: &'a Environment,
    pub config: &'a RenderConfig,
    pub layouts: &'a Layouts,
}

/// What happened to one job, or to a profile that had none.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Made: written, or in a run that writes nothing, compiled and checked.
    Made {
        profile: PathBuf,
        variant: Variant,
        /// The PDF, or the first preview when only previews were asked for.
        output: PathBuf,
        pages: usize,
        millis: u128,
        warnings: Vec<Styled>,
        /// Compiles used (more than one when fitting a page).
        compiles: usize,
        /// What one-page fitting dropped, shortened or tightened.
        dropped: Vec<String>,
        /// For a fitted page, how much of its text area the content fills.
        fill: Option<f64>,
        /// For an anonymized document: what was redacted, and what stayed
        /// that could point at the person.
        redactions: Vec<String>,
        /// What an applicant tracking system reads of it (`check --ats`).
        ats: Option<ats::Review>,
    },
    /// Up to date: nothing was written.
    Unchanged {
        profile: PathBuf,
        variant: Variant,
        output: PathBuf,
    },
    /// The job failed; nothing of it was written.
    Failed {
        profile: PathBuf,
        variant: Variant,
        error: JobError,
    },
    /// The profile could not be planned, so it had no jobs.
    Invalid(ProfileFailure),
    /// Every document of the profile was made, but its make rule or stamp
    /// could not be written (`--deps`).
    Unstamped { profile: PathBuf, error: WriteError },
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
        None => make(ctx, profile, job).map(|made| Some((made, job.output.clone()))),
    };
    compile::evict_cache();
    match result {
        Ok(Some((made, output))) => Outcome::Made {
            profile: profile.path.clone(),
            variant: job.variant,
            output,
            pages: made.document.pages().len(),
            millis: start.elapsed().as_millis(),
            warnings: made.warnings,
            compiles: made.compiles,
            dropped: made.dropped,
            fill: made.fill,
            redactions: made.redactions,
            ats: made.ats,
        },
        Ok(None) => Outcome::Unchanged {
            profile: profile.path.clone(),
            variant: job.variant,
            output: job.output.clone(),
        },
        Err(error) => Outcome::Failed {
            profile: profile.path.clone(),
            variant: job.variant,
            error,
        },
    }
}

/// A compiled, exported and (if anonymized) verified document, not yet
/// written anywhere.
struct Made {
    document: PagedDocument,
    pdf: Vec<u8>,
    warnings: Vec<Styled>,
    compiles: usize,
    dropped: Vec<String>,
    /// How full a fitted page is.
    fill: Option<f64>,
    redactions: Vec<String>,
    ats: Option<ats::Review>,
    /// The layout data (`/cv.json`) of the final compile.
    data: Bytes,
    /// The prepared photo, if the layout placed it.
    photo: Option<Bytes>,
    dependencies: Vec<(Dependency, [u8; 32])>,
}

/// Transforms the profile for the job's variant, compiles it (fitting one
/// page if asked), exports the PDF and, for an anonymized variant, checks
/// the document and its bytes for personal data.
fn make(ctx: &Context, profile: &ProfilePlan, job: &JobPlan) -> Result<Made, JobError> {
    let (source, secrets) = if job.variant.is_anonymous() {
        let (anonymous, secrets) = anonymize::anonymize(
            &profile.profile,
            &profile.candidate_id,
            &profile.anonymize,
            anonymize::Tongue {
                code: &profile.locale.lang.code,
                words: &profile.locale.words,
            },
        );
        (Cow::Owned(anonymous), Some(secrets))
    } else {
        (Cow::Borrowed(&profile.profile), None)
    };
    let mut document = data::document(
        &source,
        job.variant.name(),
        profile.params.clone(),
        &profile.locale,
    );
    if let Some(application) = &profile.application {
        document.application = Some(application.job.clone());
        if job.variant.is_letter() {
            let Some((letter, date)) = &application.letter else {
                unreachable!("planning refuses a letter variant without a [letter]")
            };
            document.sections.clear();
            document.letter = Some(data::letter(
                letter,
                &application.job,
                source.basics.name.as_deref(),
                *date,
                &profile.locale.words,
            ));
        }
    }
    // Redaction works on the parsed text: nothing it writes is read as
    // Markdown again.
    let redactions = match &secrets {
        Some(secrets) => {
            anonymize::redact_document(&mut document, secrets);
            anonymize::summary(&profile.profile, &source, &document, &profile.anonymize)
        }
        None => Vec::new(),
    };
    let compiler = Compiler {
        env: ctx.env,
        profile,
        variant: job.variant,
    };
    let (mut compiled, compiles, dropped, fill) = if job.variant.is_one_page() {
        let (compiled, compiles, dropped, fill) = fit_one_page(&compiler, &document)?;
        (compiled, compiles, dropped, Some(fill))
    } else {
        (compiler.compile(&document)?, 1, Vec::new(), None)
    };
    compile::mend_clusters(&mut compiled.output.document);
    // PDF/UA needs a title in the title bar; a user layout that sets none
    // gets the one the built-in layouts set ("Name – Curriculum Vitae").
    let info = compiled.output.document.info_mut();
    if info.title.is_none() {
        let words = &profile.locale.words;
        let cv = if job.variant.is_letter() {
            &words.letter.title
        } else {
            &words.cv
        };
        info.title = Some(match &document.basics.name {
            Some(name) => format!("{name} – {cv}").into(),
            None => cv.as_str().into(),
        });
    }
    if ctx.config.deny_warnings && !compiled.output.warnings.is_empty() {
        return Err(JobError::WarningsDenied(
            compiled.output.warnings.iter().map(Styled::plain).collect(),
        ));
    }
    let ident = format!("cvgen/{}/{}", profile.candidate_id, job.variant.name());
    let pdf = compile::export(
        &compiled.output.document,
        &ident,
        &profile.standards,
        ctx.env.today(),
    )
    .map_err(JobError::Pdf)?;
    if let Some(secrets) = &secrets {
        verify::check(&compiled.output.document, &pdf, secrets).map_err(JobError::Leak)?;
    }
    let ats = if ctx.config.ats {
        let data = serde_json::from_slice(compiled.data.as_slice())
            .map_err(|e| JobError::ReadBack(e.to_string()))?;
        let pages = ats::read(&pdf).map_err(JobError::ReadBack)?;
        let mut review = ats::review(&data, &pages);
        // What the page shows, not only what its text layer holds.
        review.findings.extend(
            compile::off_page_text(&compiled.output.document)
                .into_iter()
                .map(|(page, text)| ats::Finding::OffPage { page, text }),
        );
        Some(review)
    } else {
        None
    };
    Ok(Made {
        document: compiled.output.document,
        pdf,
        warnings: compiled.output.warnings,
        compiles,
        dropped,
        fill,
        redactions,
        ats,
        data: compiled.data,
        photo: compiled.photo,
        dependencies: compiled.dependencies,
    })
}

/// Makes and writes a document unless its output is up to date (`None`).
/// Returns what was made and the file to name for it.
fn write_document(
    ctx: &Context,
    write: &WriteConfig,
    profile: &ProfilePlan,
    job: &JobPlan,
) -> Result<Option<(Made, PathBuf)>, JobError> {
    let key = key(ctx, write, profile, job);
    if !write.force
        && let Some(manifest) = incremental::load(&job.output)
        && incremental::is_fresh(&manifest, &key, &job.output, |d| {
            current_hash(ctx.env, profile, d)
        })
    {
        return Ok(None);
    }
    let made = make(ctx, profile, job)?;
    // The project first: if it cannot be written, the job fails with
    // nothing of it written.
    if let Some(dir) = &write.emit_typst {
        let project = emit::Project {
            data: &made.data,
            photo: made
                .photo
                .as_deref()
                .zip(profile.profile.basics.image.as_deref()),
            dependencies: &made.dependencies,
            layouts: ctx.layouts,
            profile_dir: &profile.dir,
        };
        project
            .write(&emit::project_dir(dir, &job.output))
            .map_err(JobError::Emit)?;
    }
    crate::claims::claim(&write.out_dir, &job.output, &profile.path).map_err(|owner| {
        JobError::Claimed {
            file: job.output.clone(),
            owner,
        }
    })?;
    let mut previews = Vec::new();
    if write.formats.png {
        let pages = preview::render(&made.document, write.dpi)
            .map_err(|(page, message)| JobError::Preview { page, message })?;
        for (index, png) in pages.iter().enumerate() {
            let path = preview::page_path(&job.output, index + 1);
            output::write_atomic(&path, png)?;
            previews.push((path, sha256(png)));
        }
        for stale in preview::stale_pages(&job.output, pages.len()) {
            // A leftover page of a longer version misleads; if it cannot
            // be removed, the next run tries again.
            let _ = std::fs::remove_file(stale);
        }
    }
    if write.formats.pdf {
        output::write_atomic(&job.output, &made.pdf)?;
    }
    let manifest = Manifest {
        key,
        output_sha256: if write.formats.pdf {
            hex(&sha256(&made.pdf))
        } else {
            String::new()
        },
        previews: previews
            .iter()
            .map(|(path, hash)| (file_name(path), hex(hash)))
            .collect(),
        dependencies: made
            .dependencies
            .iter()
            .map(|(d, h)| Recorded::new(d, h))
            .collect(),
    };
    incremental::save(&job.output, &manifest)?;
    let shown = match (write.formats.pdf, previews.first()) {
        (false, Some((first, _))) => first.clone(),
        _ => job.output.clone(),
    };
    Ok(Some((made, shown)))
}

/// Everything known before compiling that decides the output.
fn key(ctx: &Context, write: &WriteConfig, profile: &ProfilePlan, job: &JobPlan) -> String {
    let options = &profile.anonymize;
    let inputs = serde_json::json!({
        "cvgen": env!("CARGO_PKG_VERSION"),
        "profile": hex(&profile.sha256),
        "variant": job.variant.name(),
        "layout": profile.layout,
        "params": profile.params,
        "anonymize": [&options.id, options.employers, options.schools, options.years_only],
        // A letter not dated in its application is dated the day it is
        // made: another day, another letter.
        "letter_date": profile
            .application
            .as_ref()
            .and_then(|a| a.letter.as_ref())
            .filter(|_| job.variant.is_letter())
            .map(|(_, date)| date),
        "pdf_standards": profile.standards.names(),
        "fonts": hex(if profile.installed_fonts {
            &ctx.env.fonts().fingerprint
        } else {
            &ctx.env.fonts().base_fingerprint
        }),
        "date": ctx.config.source_date_epoch,
        "formats": [write.formats.pdf, write.formats.png, write.dpi],
    });
    hex(&sha256(inputs.to_string().as_bytes()))
}

/// The hash of a recorded dependency as it is now, `None` if it is gone.
fn current_hash(
    env: &Environment,
    profile: &ProfilePlan,
    dependency: &Dependency,
) -> Option<[u8; 32]> {
    match dependency {
        Dependency::Layout(path) => env.layout_hash(path),
        Dependency::Profile(relative) => read_profile_file(&profile.dir, relative)
            .ok()
            .map(|bytes| sha256(&bytes)),
        Dependency::Font(path) => Some(fonts::stamp(Path::new(path))),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A compile's result, what it was made from, and the files it read.
struct Compiled {
    output: compile::Typeset,
    /// The layout data (`/cv.json`).
    data: Bytes,
    /// The prepared photo, if the layout placed it.
    photo: Option<Bytes>,
    dependencies: Vec<(Dependency, [u8; 32])>,
}

/// Compiles layout data for one job.
struct Compiler<'a> {
    env: &'a Environment,
    profile: &'a ProfilePlan,
    variant: Variant,
}

impl Compiler<'_> {
    fn compile(&self, document: &data::Document) -> Result<Compiled, JobError> {
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
    let end = compile::label_position(document, onepage::END_LABEL);
    Measure::new(document.pages().len(), page_height, end, params)
}

/// Fits a document on one page: plans what to drop, then squeezes, cuts
/// and refills, compiling each candidate (see `onepage::fit`).
fn fit_one_page(
    compiler: &Compiler,
    document: &data::Document,
) -> Result<(Compiled, usize, Vec<String>, f64), JobError> {
    let plan = RemovalOrder::new(document);
    let result = onepage::fit(&plan, |chosen| {
        let compiled = compiler.compile(&plan.apply_chosen(document, chosen))?;
        Ok((
            measure(&compiled.output.document, &document.params),
            compiled,
        ))
    });
    match result {
        Ok(fit) => Ok((
            fit.output,
            fit.compiles,
            fit.chosen.describe(&plan),
            fit.measure.fill(),
        )),
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
