//! Making one document: skip it if its inputs are unchanged, otherwise
//! transform the profile for its variant, compile (fitting a page if asked),
//! check an anonymized result for leaks, write the PDF atomically, and record
//! what it was made from.

use std::borrow::Cow;
use std::path::PathBuf;
use std::time::Instant;

use serde_json::{Map, Value as Json};
use typst::foundations::Bytes;

use crate::data;
use crate::emit;
use crate::incremental::{self, Manifest, Recorded};
use crate::layout::{Layouts, Origin};
use crate::output::{self, hex, sha256};
use crate::preview;
use crate::profile::{AnonymizeOptions, LoadedProfile};
use crate::render::{Outcome, RenderConfig};
use crate::typst::compile;
use crate::typst::world::{Dependency, Environment, JobWorld, read_profile_file};
use crate::variant::onepage::{self, FitError, Plan};
use crate::variant::{Variant, anonymize, verify};

/// One document to make.
pub struct Job {
    pub profile: usize,
    pub variant: Variant,
    pub layout: String,
    pub params: Map<String, Json>,
    pub output: PathBuf,
    pub candidate_id: String,
}

/// What all jobs of a run share.
pub struct Context<'a> {
    pub env: &'a Environment,
    pub config: &'a RenderConfig,
    pub layouts: &'a Layouts,
    /// Font files from `--font-path`, and a hash over them.
    pub font_files: &'a [PathBuf],
    pub fonts_sha256: [u8; 32],
}

/// Makes one document, or leaves it alone if it is up to date.
pub fn run(ctx: &Context, loaded: &LoadedProfile, job: &Job) -> Outcome {
    let start = Instant::now();
    let options = merge(&loaded.profile.anonymize, &ctx.config.anonymize);
    let key = key(ctx, loaded, job, &options);
    if !ctx.config.force
        && !ctx.config.dry_run
        && ctx.config.emit_typst.is_none()
        && let Some(manifest) = incremental::load(&job.output)
        && incremental::is_fresh(&manifest, &key, &job.output, |d| {
            current_hash(ctx.env, loaded, d)
        })
    {
        if let Err(err) = write_deps(ctx, loaded, job, &manifest) {
            return failed(loaded, job, err);
        }
        return Outcome::Unchanged {
            profile: loaded.path.clone(),
            variant: job.variant,
            output: job.output.clone(),
        };
    }
    let result = make(ctx, loaded, job, &options).and_then(|made| {
        if ctx.config.dry_run {
            return Ok(made);
        }
        let manifest = Manifest {
            key,
            output_sha256: made.pdf_sha256.map(|h| hex(&h)).unwrap_or_default(),
            previews: made
                .previews
                .iter()
                .map(|(path, hash)| (file_name(path), hex(hash)))
                .collect(),
            dependencies: made
                .dependencies
                .iter()
                .map(|(d, h)| Recorded::new(d, h))
                .collect(),
        };
        incremental::save(&job.output, &manifest).map_err(|err| err.to_string())?;
        write_deps(ctx, loaded, job, &manifest)?;
        Ok(made)
    });
    compile::evict_cache();
    match result {
        Ok(made) => Outcome::Written {
            profile: loaded.path.clone(),
            variant: job.variant,
            output: match (made.pdf_sha256, made.previews.first()) {
                (None, Some((first, _))) => first.clone(),
                _ => job.output.clone(),
            },
            pages: made.pages,
            millis: start.elapsed().as_millis(),
            warnings: made.warnings,
            compiles: made.compiles,
            dropped: made.dropped,
        },
        Err(message) => failed(loaded, job, message),
    }
}

fn failed(loaded: &LoadedProfile, job: &Job, message: String) -> Outcome {
    Outcome::Failed {
        profile: loaded.path.clone(),
        variant: Some(job.variant),
        message,
    }
}

/// What making one PDF produced.
struct Made {
    pages: usize,
    warnings: Vec<String>,
    compiles: usize,
    dropped: Vec<String>,
    /// The PDF's hash, if one was written.
    pdf_sha256: Option<[u8; 32]>,
    /// PNG previews written, with their hashes.
    previews: Vec<(PathBuf, [u8; 32])>,
    dependencies: Vec<(Dependency, [u8; 32])>,
}

fn make(
    ctx: &Context,
    loaded: &LoadedProfile,
    job: &Job,
    options: &AnonymizeOptions,
) -> Result<Made, String> {
    let (profile, secrets) = if job.variant.is_anonymous() {
        let (profile, secrets) = anonymize::anonymize(&loaded.profile, &job.candidate_id, options);
        (Cow::Owned(profile), Some(secrets))
    } else {
        (Cow::Borrowed(&loaded.profile), None)
    };
    let document = data::document(&profile, job.variant.name(), job.params.clone());
    let compiler = Compiler {
        env: ctx.env,
        loaded,
        job,
    };
    let (compiled, compiles, dropped) = if job.variant.is_one_page() {
        fit_one_page(&compiler, &document)?
    } else {
        (compiler.compile(&document)?, 1, Vec::new())
    };
    let pages = compiled.output.document.pages().len();
    let ident = format!("cvgen/{}/{}", job.candidate_id, job.variant.name());
    let pdf = compile::export(&compiled.output.document, &ident)?;
    if let Some(secrets) = &secrets {
        verify::check(&compiled.output.document, &pdf, secrets)?;
    }
    let formats = ctx.config.formats;
    let mut previews = Vec::new();
    if formats.png && !ctx.config.dry_run {
        let document = &compiled.output.document;
        for (index, png) in preview::render(document, ctx.config.dpi)?
            .iter()
            .enumerate()
        {
            let path = preview::page_path(&job.output, index + 1);
            output::write_atomic(&path, png).map_err(|err| err.to_string())?;
            previews.push((path, sha256(png)));
        }
        for stale in preview::stale_pages(&job.output, pages) {
            // A leftover page of a longer version misleads; if it cannot
            // be removed, the next run tries again.
            let _ = std::fs::remove_file(stale);
        }
    }
    if formats.pdf && !ctx.config.dry_run {
        output::write_atomic(&job.output, &pdf).map_err(|err| err.to_string())?;
    }
    if let Some(dir) = &ctx.config.emit_typst {
        let project = emit::Project {
            layout: &job.layout,
            data: &compiled.data,
            photo: compiled
                .photo
                .as_deref()
                .zip(loaded.profile.basics.image.as_deref()),
            dependencies: &compiled.dependencies,
            layouts: ctx.layouts,
            profile_dir: &loaded.dir,
        };
        project
            .write(&emit::project_dir(dir, &job.output))
            .map_err(|err| format!("cannot write the Typst project: {err}"))?;
    }
    Ok(Made {
        pages,
        warnings: compiled.output.warnings,
        compiles,
        dropped,
        pdf_sha256: formats.pdf.then(|| sha256(&pdf)),
        previews,
        dependencies: compiled.dependencies,
    })
}

/// Everything known before compiling that decides the output.
fn key(ctx: &Context, loaded: &LoadedProfile, job: &Job, options: &AnonymizeOptions) -> String {
    let inputs = serde_json::json!({
        "cvgen": env!("CARGO_PKG_VERSION"),
        "profile": hex(&loaded.sha256),
        "variant": job.variant.name(),
        "layout": job.layout,
        "params": job.params,
        "anonymize": [&options.id, options.employers, options.schools, options.years_only],
        "fonts": hex(&ctx.fonts_sha256),
        "date": ctx.config.source_date_epoch,
        "formats": [ctx.config.formats.pdf, ctx.config.formats.png, ctx.config.dpi],
    });
    hex(&sha256(inputs.to_string().as_bytes()))
}

/// The hash of a recorded dependency as it is now, `None` if it is gone.
fn current_hash(
    env: &Environment,
    loaded: &LoadedProfile,
    dependency: &Dependency,
) -> Option<[u8; 32]> {
    match dependency {
        Dependency::Layout(path) => env.layout_hash(path),
        Dependency::Profile(relative) => read_profile_file(&loaded.dir, relative)
            .ok()
            .map(|bytes| sha256(&bytes)),
    }
}

/// Writes the make rule of an output, when asked and when it changed.
fn write_deps(
    ctx: &Context,
    loaded: &LoadedProfile,
    job: &Job,
    manifest: &Manifest,
) -> Result<(), String> {
    if !ctx.config.deps {
        return Ok(());
    }
    let mut prerequisites = vec![loaded.path.clone()];
    let exe = std::env::current_exe().ok();
    for recorded in &manifest.dependencies {
        let path = match recorded.dependency() {
            Some(Dependency::Layout(path)) => match ctx.layouts.origin(&path) {
                Some(Origin::User(real)) => Some(real.clone()),
                // A built-in layout file is part of the binary.
                _ => exe.clone(),
            },
            Some(Dependency::Profile(relative)) => Some(loaded.dir.join(relative)),
            None => None,
        };
        if let Some(path) = path.filter(|p| !prerequisites.contains(p)) {
            prerequisites.push(path);
        }
    }
    prerequisites.extend(ctx.font_files.iter().cloned());
    let rule = incremental::make_rule(&job.output, &prerequisites);
    let path = incremental::deps_path(&job.output);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == rule) {
        return Ok(());
    }
    output::write_atomic(&path, rule.as_bytes()).map_err(|err| err.to_string())
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Anonymization options: the profile's, plus what the command line adds.
fn merge(profile: &AnonymizeOptions, cli: &AnonymizeOptions) -> AnonymizeOptions {
    AnonymizeOptions {
        id: profile.id.clone().or_else(|| cli.id.clone()),
        employers: profile.employers || cli.employers,
        schools: profile.schools || cli.schools,
        years_only: profile.years_only || cli.years_only,
    }
}

/// A compile's result, what it was made from, and the files it read.
struct Compiled {
    output: compile::Compiled,
    /// The layout data (`/cv.json`).
    data: Bytes,
    /// The prepared photo, if the layout placed it.
    photo: Option<Bytes>,
    dependencies: Vec<(Dependency, [u8; 32])>,
}

/// Compiles layout data for one job.
struct Compiler<'a> {
    env: &'a Environment,
    loaded: &'a LoadedProfile,
    job: &'a Job,
}

impl Compiler<'_> {
    fn compile(&self, document: &data::Document) -> Result<Compiled, String> {
        let json = serde_json::to_vec(document)
            .map(Bytes::new)
            .map_err(|err| format!("cannot serialise layout data: {err}"))?;
        let name = self.loaded.path.display().to_string();
        // Anonymized documents never get the photo, whatever the data says.
        let photo = match (&self.loaded.photo, &self.loaded.profile.basics.image) {
            (Some(photo), Some(original)) if !self.job.variant.is_anonymous() => {
                Some((photo, original.as_path()))
            }
            _ => None,
        };
        let world = JobWorld::new(
            self.env,
            &self.job.layout,
            json.clone(),
            photo,
            &self.loaded.dir,
            &name,
        )
        .ok_or_else(|| format!("layout name `{}` is not a valid file name", self.job.layout))?;
        let output = compile::compile(&world)
            .map_err(|diag| format!("layout `{}` failed\n{diag}", self.job.layout))?;
        Ok(Compiled {
            output,
            data: json,
            photo: world.served_photo(),
            dependencies: world.dependencies().into_iter().collect(),
        })
    }
}

/// Fits a document on one page: plans what to drop, then searches for the
/// least removal that fits, compiling each candidate.
fn fit_one_page(
    compiler: &Compiler,
    document: &data::Document,
) -> Result<(Compiled, usize, Vec<String>), String> {
    let plan = Plan::new(document);
    let result = onepage::search(&plan, |k| {
        let compiled = compiler.compile(&plan.apply(document, k))?;
        Ok((
            compile::measure(&compiled.output.document, &document.params),
            compiled,
        ))
    });
    match result {
        Ok(fit) => Ok((
            fit.output,
            fit.compiles,
            plan.descriptions[..fit.steps].to_vec(),
        )),
        Err(FitError::Failed(message)) => Err(message),
        Err(FitError::TooLong { measure, compiles }) => {
            let left = what_is_left(&plan.apply(document, plan.len()));
            Err(format!(
                "does not fit on one page: with everything optional dropped and the tightest typography \
                 (down to {}pt text, {}cm margins) it still runs {:.1} cm past the bottom of page 1 \
                 ({} pages, {compiles} compiles); what is left: {left}; mark less as `essential` or `high`, \
                 or add `short` alternatives",
                onepage::MIN_FONT_SIZE,
                (onepage::MIN_MARGIN * 2.54 / 72.0 * 10.0).round() / 10.0,
                measure.overflow_cm(),
                measure.pages,
            ))
        }
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
