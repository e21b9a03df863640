//! The render pipeline: find profiles, plan one job per profile and variant,
//! compile the jobs in parallel, write each PDF atomically, and report.
//!
//! A failing profile or job never stops the others; each failure is reported
//! with the file (and line where there is one) and counted in the summary.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use serde_json::{Map, Value as Json};

use crate::data;
use crate::error::{ConfigError, LayoutError};
use crate::layout::params::{self, SetValue, Source};
use crate::layout::{DEFAULT_LAYOUT, Layouts};
use crate::output;
use crate::profile::AnonymizeOptions;
use crate::profile::{self, LoadedProfile};
use crate::typst::compile;
use crate::typst::fonts;
use crate::typst::world::{Environment, JobWorld, today};
use crate::variant::onepage::{self, FitError, Plan};
use crate::variant::{Variant, anonymize, verify};

/// Worker threads compile whole documents, and Typst nests its own parallel
/// work inside them; a roomy stack keeps deep layouts from overflowing.
const WORKER_STACK: usize = 32 * 1024 * 1024;

/// What `cvgen render` was asked to do, free of command-line types.
#[derive(Debug, Clone)]
pub struct RenderConfig {
    pub inputs: Vec<PathBuf>,
    pub out_dir: PathBuf,
    pub jobs: usize,
    pub layout: Option<String>,
    pub settings: Vec<(String, String)>,
    pub layouts_dir: Option<PathBuf>,
    pub font_paths: Vec<PathBuf>,
    pub source_date_epoch: Option<String>,
    /// Variants to make; `None` lets each profile choose.
    pub variants: Option<Vec<Variant>>,
    /// Anonymization options added to each profile's own.
    pub anonymize: AnonymizeOptions,
}

/// One document to make.
struct Job {
    profile: usize,
    variant: Variant,
    layout: String,
    params: Map<String, Json>,
    output: PathBuf,
    candidate_id: String,
}

/// What happened to one profile or job.
#[derive(Debug, Clone)]
pub enum Outcome {
    Written {
        profile: PathBuf,
        variant: Variant,
        output: PathBuf,
        pages: usize,
        millis: u128,
        warnings: Vec<String>,
        /// Compiles used (more than one when fitting a page).
        compiles: usize,
        /// What one-page fitting dropped, shortened or tightened.
        dropped: Vec<String>,
    },
    Failed {
        profile: PathBuf,
        variant: Option<Variant>,
        message: String,
    },
}

/// The result of a run, in job order.
#[derive(Debug, Default)]
pub struct Summary {
    pub outcomes: Vec<Outcome>,
}

impl Summary {
    pub fn failures(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Failed { .. }))
            .count()
    }

    pub fn written(&self) -> usize {
        self.outcomes.len() - self.failures()
    }
}

/// Renders every profile named by the configuration. `report` sees each
/// outcome as it happens (from the calling thread). Errors that stop the whole
/// run (no inputs, a broken layout folder) come back as `Err`.
pub fn render(
    config: &RenderConfig,
    mut report: impl FnMut(&Outcome),
) -> Result<Summary, ConfigError> {
    let paths = find_profiles(&config.inputs)?;
    let layouts = Layouts::load(config.layouts_dir.as_deref())?;
    if let Some(name) = &config.layout {
        layouts.get(name)?;
    }
    std::fs::create_dir_all(&config.out_dir).map_err(|source| ConfigError::OutputDir {
        path: config.out_dir.clone(),
        source,
    })?;
    let env = Environment::new(
        &layouts,
        fonts::load(&config.font_paths)?,
        today(config.source_date_epoch.as_deref()),
    );

    let mut summary = Summary::default();
    let mut profiles = Vec::new();
    let mut jobs = Vec::new();
    for path in paths {
        let planned = profile::load(&path)
            .map_err(|err| err.to_string())
            .and_then(|loaded| plan(config, &layouts, &loaded).map(|planned| (loaded, planned)));
        match planned {
            Ok((
                loaded,
                Planned {
                    layout,
                    params,
                    variants,
                },
            )) => {
                let candidate_id = anonymize::candidate_id(&loaded.profile, &loaded.slug);
                for variant in variants {
                    let output = config
                        .out_dir
                        .join(variant.file_name(&loaded.slug, &candidate_id));
                    jobs.push(Job {
                        profile: profiles.len(),
                        variant,
                        layout: layout.clone(),
                        params: params.clone(),
                        output,
                        candidate_id: candidate_id.clone(),
                    });
                }
                profiles.push(loaded);
            }
            Err(message) => {
                let outcome = Outcome::Failed {
                    profile: path,
                    variant: None,
                    message,
                };
                report(&outcome);
                summary.outcomes.push(outcome);
            }
        }
    }

    let results = run_parallel(
        &jobs,
        config.jobs,
        |job| run_job(&env, config, &profiles[job.profile], job),
        &mut report,
    );
    summary.outcomes.extend(results);
    Ok(summary)
}

/// What a profile is rendered with.
struct Planned {
    layout: String,
    params: Map<String, Json>,
    variants: Vec<Variant>,
}

/// Picks the layout, its parameters and the variants for a profile.
fn plan(
    config: &RenderConfig,
    layouts: &Layouts,
    loaded: &LoadedProfile,
) -> Result<Planned, String> {
    let variants = match (&config.variants, &loaded.profile.output.variants) {
        (Some(variants), _) => variants.clone(),
        (None, Some(names)) => Variant::parse_list(names)
            .map_err(|err| format!("{}: [output] variants: {err}", loaded.path.display()))?,
        (None, None) => Variant::DEFAULT.to_vec(),
    };
    let (layout, params) = plan_layout(config, layouts, loaded).map_err(|err| err.to_string())?;
    Ok(Planned {
        layout,
        params,
        variants,
    })
}

/// Picks the layout for a profile and resolves its parameters.
fn plan_layout(
    config: &RenderConfig,
    layouts: &Layouts,
    loaded: &LoadedProfile,
) -> Result<(String, Map<String, Json>), LayoutError> {
    let table = &loaded.profile.layout;
    let profile_layout = match table.get("name") {
        None => None,
        Some(toml::Value::String(name)) => Some(name.clone()),
        Some(other) => {
            return Err(LayoutError::BadValue {
                origin: format!("{}: [layout]", loaded.path.display()),
                name: "name".into(),
                message: format!("expected a layout name, found `{other}`"),
            });
        }
    };
    let name = config
        .layout
        .clone()
        .or(profile_layout)
        .unwrap_or_else(|| DEFAULT_LAYOUT.to_owned());
    let info = layouts.get(&name)?;
    let path = loaded.path.display().to_string();
    let mut settings: Vec<(Source, &str, SetValue)> = table
        .iter()
        .filter(|(key, _)| key.as_str() != "name")
        .map(|(key, value)| {
            (
                Source::Profile(&path),
                key.as_str(),
                SetValue::Toml(value.clone()),
            )
        })
        .collect();
    settings.extend(config.settings.iter().map(|(key, value)| {
        (
            Source::CommandLine,
            key.as_str(),
            SetValue::Text(value.clone()),
        )
    }));
    let params = params::resolve(&name, &info.params, &settings)?;
    Ok((name, params))
}

/// Makes one document and writes it.
fn run_job(env: &Environment, config: &RenderConfig, loaded: &LoadedProfile, job: &Job) -> Outcome {
    let start = Instant::now();
    let result = make_pdf(env, config, loaded, job);
    compile::evict_cache();
    match result {
        Ok(made) => Outcome::Written {
            profile: loaded.path.clone(),
            variant: job.variant,
            output: job.output.clone(),
            pages: made.pages,
            millis: start.elapsed().as_millis(),
            warnings: made.warnings,
            compiles: made.compiles,
            dropped: made.dropped,
        },
        Err(message) => Outcome::Failed {
            profile: loaded.path.clone(),
            variant: Some(job.variant),
            message,
        },
    }
}

/// What making one PDF produced.
struct Made {
    pages: usize,
    warnings: Vec<String>,
    compiles: usize,
    dropped: Vec<String>,
}

fn make_pdf(
    env: &Environment,
    config: &RenderConfig,
    loaded: &LoadedProfile,
    job: &Job,
) -> Result<Made, String> {
    let (profile, secrets) = if job.variant.is_anonymous() {
        let options = merge(&loaded.profile.anonymize, &config.anonymize);
        let (profile, secrets) = anonymize::anonymize(&loaded.profile, &job.candidate_id, &options);
        (std::borrow::Cow::Owned(profile), Some(secrets))
    } else {
        (std::borrow::Cow::Borrowed(&loaded.profile), None)
    };
    let document = data::document(&profile, job.variant.name(), job.params.clone());
    let compiler = Compiler { env, loaded, job };
    let (compiled, compiles, dropped) = if job.variant.is_one_page() {
        fit_one_page(&compiler, &document)?
    } else {
        (compiler.compile(&document)?, 1, Vec::new())
    };
    let pages = compiled.document.pages().len();
    let ident = format!("cvgen/{}/{}", job.candidate_id, job.variant.name());
    let pdf = compile::export(&compiled.document, &ident)?;
    if let Some(secrets) = &secrets {
        verify::check(&compiled.document, &pdf, secrets)?;
    }
    output::write_atomic(&job.output, &pdf).map_err(|err| err.to_string())?;
    Ok(Made {
        pages,
        warnings: compiled.warnings,
        compiles,
        dropped,
    })
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

/// Compiles layout data for one job.
struct Compiler<'a> {
    env: &'a Environment,
    loaded: &'a LoadedProfile,
    job: &'a Job,
}

impl Compiler<'_> {
    fn compile(&self, document: &data::Document) -> Result<compile::Compiled, String> {
        let json = serde_json::to_vec(document)
            .map_err(|err| format!("cannot serialise layout data: {err}"))?;
        let profile_name = self.loaded.path.display().to_string();
        let world = JobWorld::new(
            self.env,
            &self.job.layout,
            json,
            &self.loaded.dir,
            &profile_name,
        )
        .ok_or_else(|| format!("layout name `{}` is not a valid file name", self.job.layout))?;
        compile::compile(&world)
            .map_err(|diag| format!("layout `{}` failed\n{diag}", self.job.layout))
    }
}

/// Fits a document on one page: plans what to drop, then searches for the
/// least removal that fits, compiling each candidate.
fn fit_one_page(
    compiler: &Compiler,
    document: &data::Document,
) -> Result<(compile::Compiled, usize, Vec<String>), String> {
    let plan = Plan::new(document);
    let result = onepage::search(&plan, |k| {
        let compiled = compiler.compile(&plan.apply(document, k))?;
        Ok((
            compile::measure(&compiled.document, &document.params),
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

/// Runs `work` over `jobs` on `workers` threads of their own (not a rayon
/// pool: Typst uses rayon inside each compile, and nesting whole documents in
/// its pool overflows stacks). Results come back in job order; `report` sees
/// each as it finishes, on the calling thread.
fn run_parallel<J: Sync, R: Send>(
    jobs: &[J],
    workers: usize,
    work: impl Fn(&J) -> R + Sync,
    report: &mut impl FnMut(&R),
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = jobs.iter().map(|_| None).collect();
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, jobs.len().max(1)) {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            let spawned = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, move || {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(index) else { break };
                        if tx.send((index, work(job))).is_err() {
                            break;
                        }
                    }
                });
            if spawned.is_err() {
                // The workers already running take the remaining jobs; if
                // none could start, the loop after this scope does.
                break;
            }
        }
        drop(tx);
        for (index, result) in rx {
            report(&result);
            slots[index] = Some(result);
        }
    });
    for (slot, job) in slots.iter_mut().zip(jobs) {
        if slot.is_none() {
            let result = work(job);
            report(&result);
            *slot = Some(result);
        }
    }
    slots.into_iter().flatten().collect()
}

/// Expands the inputs into profile files: files as given, folders to their
/// `*.toml` files in name order.
pub fn find_profiles(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ConfigError> {
    let mut found = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let read = |source| ConfigError::ReadDir {
                path: input.clone(),
                source,
            };
            let mut files: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(read)?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|e| e == "toml") && path.is_file())
                .collect();
            if files.is_empty() {
                return Err(ConfigError::NoProfiles(input.clone()));
            }
            files.sort();
            found.extend(files);
        } else if input.exists() || Path::new(input).is_symlink() {
            found.push(input.clone());
        } else {
            return Err(ConfigError::MissingInput(input.clone()));
        }
    }
    Ok(found)
}
