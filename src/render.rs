//! The render pipeline: find profiles, plan one job per profile and variant,
//! compile the jobs in parallel, write each PDF atomically, and report.
//!
//! A failing profile or job never stops the others; each failure is reported
//! with the file (and line where there is one) and counted in the summary.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use serde_json::{Map, Value as Json};

use crate::check;
use crate::error::{ConfigError, LayoutError};
use crate::incremental;
use crate::job::{self, Context, Job};
use crate::layout::params::{self, SetValue, Source};
use crate::layout::{DEFAULT_LAYOUT, Layouts};
use crate::output;
use crate::preview::Formats;
use crate::profile::AnonymizeOptions;
use crate::profile::LoadedProfile;
use crate::typst::fonts;
use crate::typst::world::{Environment, today};
use crate::variant::{Variant, anonymize};

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
    /// Render even what is up to date.
    pub force: bool,
    /// Write a make-format dependency file beside each output.
    pub deps: bool,
    /// Render only shard `k` of `n` (1-based) of the jobs.
    pub shard: Option<(usize, usize)>,
    /// Treat warnings as errors: a profile with warnings is not rendered.
    pub deny_warnings: bool,
    /// Compile and check everything, write nothing (`cvgen check`).
    pub dry_run: bool,
    /// PDF, PNG previews, or both.
    pub formats: Formats,
    /// Resolution of PNG previews.
    pub dpi: u16,
    /// Also write each document's Typst project into this folder.
    pub emit_typst: Option<PathBuf>,
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
    /// Up to date: nothing was written.
    Unchanged {
        profile: PathBuf,
        variant: Variant,
        output: PathBuf,
    },
    Failed {
        profile: PathBuf,
        variant: Option<Variant>,
        message: String,
    },
}

/// What a run reports as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// The jobs are planned; this many will run.
    Planned { jobs: usize },
    /// A job (or a profile that could not be planned) is done.
    Finished(&'a Outcome),
    /// A profile's errors and warnings, rendered.
    Diagnostics { text: &'a str, errors: bool },
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
        self.outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Written { .. }))
            .count()
    }

    pub fn unchanged(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Unchanged { .. }))
            .count()
    }
}

/// Renders every profile named by the configuration. `report` sees each
/// outcome as it happens (from the calling thread). Errors that stop the whole
/// run (no inputs, a broken layout folder) come back as `Err`.
pub fn render(
    config: &RenderConfig,
    mut report: impl FnMut(Event),
) -> Result<Summary, ConfigError> {
    let paths = find_profiles(&config.inputs)?;
    let layouts = Layouts::load(config.layouts_dir.as_deref())?;
    if let Some(name) = &config.layout {
        layouts.get(name)?;
    }
    if !config.dry_run {
        std::fs::create_dir_all(&config.out_dir).map_err(|source| ConfigError::OutputDir {
            path: config.out_dir.clone(),
            source,
        })?;
        check_writable(&config.out_dir)?;
        output::remove_stale_temporaries(&config.out_dir);
        output::remove_stale_temporaries(&config.out_dir.join(incremental::STATE_DIR));
    }
    let fonts = fonts::load(&config.font_paths)?;
    let env = Environment::new(
        &layouts,
        fonts.store,
        today(config.source_date_epoch.as_deref()),
    );

    // Every job, and every profile that failed before it had jobs, in a
    // fixed order: a shard takes every n-th of them.
    let mut profiles = Vec::new();
    let mut units: Vec<Unit> = Vec::new();
    for path in paths {
        // A profile's failure message is its rendered diagnostics; warnings
        // of a profile that renders are reported on their own.
        let loaded = check::load(
            &path,
            &layouts,
            config.layout.as_deref(),
            config.deny_warnings,
        );
        let planned = match loaded.profile {
            Some(profile) => {
                if !loaded.report.is_empty() {
                    report(Event::Diagnostics {
                        text: &loaded.report,
                        errors: false,
                    });
                }
                plan(config, &layouts, &profile)
                    .map(|planned| (profile, planned))
                    .map_err(|e| format!("error: {e}"))
            }
            None if loaded.errors > 0 => Err(loaded.report),
            None => Err(format!(
                "{}\nerror: {}: warnings are denied",
                loaded.report,
                path.display()
            )),
        };
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
                    units.push(Unit::Job(Job {
                        profile: profiles.len(),
                        variant,
                        layout: layout.clone(),
                        params: params.clone(),
                        output,
                        candidate_id: candidate_id.clone(),
                    }));
                }
                profiles.push(loaded);
            }
            Err(message) => units.push(Unit::Failed(Outcome::Failed {
                profile: path,
                variant: None,
                message,
            })),
        }
    }
    if let Some((k, n)) = config.shard {
        units = units
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % n == k - 1)
            .map(|(_, unit)| unit)
            .collect();
    }

    let mut summary = Summary::default();
    let mut jobs = Vec::new();
    for unit in units {
        match unit {
            Unit::Job(job) => jobs.push(job),
            Unit::Failed(failure) => {
                report(Event::Finished(&failure));
                summary.outcomes.push(failure);
            }
        }
    }
    report(Event::Planned { jobs: jobs.len() });
    let ctx = Context {
        env: &env,
        config,
        layouts: &layouts,
        font_files: &fonts.files,
        fonts_sha256: fonts.sha256,
    };
    let work = |job: &Job| job::run(&ctx, &profiles[job.profile], job);
    let results = run_parallel(&jobs, config.jobs, work, &mut |outcome| {
        report(Event::Finished(outcome))
    });
    summary.outcomes.extend(results);
    Ok(summary)
}

/// A job to run, or a profile that failed before it had jobs.
enum Unit {
    Job(Job),
    Failed(Outcome),
}

/// Fails early, with one clear message, when the output folder cannot be
/// written to, instead of once per job.
fn check_writable(dir: &Path) -> Result<(), ConfigError> {
    tempfile::Builder::new()
        .prefix(".cvgen-probe-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|source| ConfigError::OutputDir {
            path: dir.to_owned(),
            source,
        })
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
