//! Running a run: load the layouts and fonts, plan every profile, prepare
//! the output folder, then make the planned jobs in parallel, reporting each
//! outcome as it happens.
//!
//! A failing profile or job never stops the others; each failure is reported
//! with the file (and line where there is one) and counted in the summary.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::FontSources;
use crate::config::{RenderConfig, WriteConfig};
use crate::diagnostic::Report;
use crate::error::{SetupError, JobError, WriteError};
use crate::incremental::{self, MakeRule};
use crate::job::{self, Context, Outcome};
use crate::layout::{Layouts, Origin};
use crate::output;
use crate::plan::{self, JobPlan, ProfilePlan, Unit};
use crate::typst::fonts::Fonts;
use crate::typst::world::{Dependency, Environment, today};
use crate::workers;

/// What a run reports as it goes.
#[derive(Debug)]
pub(crate) enum Event<'a> {
    /// A warning about the run as a whole.
    Notice(&'a str),
    /// Warnings of a profile that is rendered all the same.
    Warnings(&'a Report),
    /// The jobs are planned; this many will run.
    Planned { jobs: usize },
    /// A job, or a profile that could not be planned, is done.
    Finished(&'a Outcome),
}

/// The result of a run: every outcome, in plan order.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub outcomes: Vec<Outcome>,
    /// In a run that writes: every file the documents were made from
    /// (profiles, applications' profiles, photos, user layout files, fonts
    /// on disk) and where a user layout file would take effect; what
    /// `cvgen watch` watches.
    pub inputs: Vec<PathBuf>,
}

impl Summary {
    pub fn failures(&self) -> usize {
        self.outcomes.iter().filter(|o| o.is_failure()).count()
    }

    pub fn made(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Made { .. }))
            .count()
    }

    pub fn unchanged(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Unchanged { .. }))
            .count()
    }
}

/// Renders (or, without a write configuration, checks) every profile the
/// configuration names. `report` sees each event as it happens, on the
/// calling thread. What stops the whole run (no inputs, a broken layout
/// folder, an unwritable output folder) comes back as `Err`.
pub(crate) fn run(
    config: &RenderConfig,
    mut report: impl FnMut(Event),
) -> Result<Summary, SetupError> {
    let layouts = Layouts::load(config.layouts_dir.as_deref())?;
    // The system's fonts are scanned only if a profile needs one (scanning
    // hundreds of installed faces costs 100 ms and more per run, which a
    // make step pays per profile).
    let base = FontSources {
        system: false,
        ..config.fonts.clone()
    };
    let fonts = Fonts::shared(&base)?;
    let plan = plan::plan(config, &layouts, &fonts)?;
    let (fonts, plan) = if config.fonts.system && plan.needs_installed_fonts {
        let all = Fonts::shared(&config.fonts)?;
        let plan = plan::plan(config, &layouts, &all)?;
        (all, plan)
    } else {
        (fonts, plan)
    };
    if let Some(write) = &config.write {
        prepare_output(write)?;
        // Each application writes into a folder of its own.
        for profile in &plan.profiles {
            if profile.out_dir != write.out_dir {
                std::fs::create_dir_all(&profile.out_dir).map_err(|source| {
                    SetupError::OutputDir {
                        path: profile.out_dir.clone(),
                        source,
                    }
                })?;
                output::remove_stale_temporaries(&profile.out_dir);
            }
        }
    }
    let env = Environment::new(&layouts, fonts, today(config.source_date_epoch.as_deref()));
    for notice in &plan.notices {
        report(Event::Notice(notice));
    }
    for warnings in &plan.warnings {
        report(Event::Warnings(warnings));
    }
    let mut summary = Summary::default();
    let mut jobs = Vec::new();
    for unit in plan.units {
        match unit {
            Unit::Job(job) => jobs.push(job),
            Unit::Failed(failure) => {
                let outcome = Outcome::Invalid(failure);
                report(Event::Finished(&outcome));
                summary.outcomes.push(outcome);
            }
        }
    }
    report(Event::Planned { jobs: jobs.len() });
    // What the workers share; a worker given up over its budget keeps its
    // share until the process ends.
    let shared = Arc::new(Shared {
        env,
        config: config.clone(),
        layouts: layouts.clone(),
        profiles: plan.profiles,
    });
    let work = {
        let shared = shared.clone();
        Arc::new(move |job: &JobPlan| {
            let ctx = Context {
                env: &shared.env,
                config: &shared.config,
                layouts: &shared.layouts,
            };
            job::run(&ctx, &shared.profiles[job.profile], job)
        })
    };
    let jobs = Arc::new(jobs);
    let results = workers::run(
        jobs.clone(),
        config.jobs,
        config.budget,
        work,
        |job, why| Outcome::Failed {
            profile: shared.profiles[job.profile].path.clone(),
            variant: job.variant,
            error: JobError::OverBudget(why),
        },
        &mut |outcome| report(Event::Finished(outcome)),
    );
    let first_job = summary.outcomes.len();
    summary.outcomes.extend(results);
    if config.write.is_some() {
        for profile in shared.profiles.iter() {
            let rule = make_rule(profile, &layouts, config.layouts_dir.as_deref());
            for path in rule.inputs.into_iter().chain(rule.overrides) {
                if !summary.inputs.contains(&path) {
                    summary.inputs.push(path);
                }
            }
        }
    }
    if let Some(write) = config.write.as_ref().filter(|write| write.deps) {
        let makefiles = MakeFiles {
            write,
            layouts_dir: config.layouts_dir.as_deref(),
            layouts: &layouts,
        };
        let mut unstamped = Vec::new();
        for (index, profile) in shared.profiles.iter().enumerate() {
            // A profile is done when every one of its documents ran in this
            // run (a shard may hold only some) and none failed.
            let outcomes = jobs
                .iter()
                .zip(&summary.outcomes[first_job..])
                .filter(|(job, _)| job.profile == index);
            if outcomes.clone().count() == profile.outputs.len()
                && outcomes.clone().all(|(_, outcome)| !outcome.is_failure())
                && let Err(error) = makefiles.write(profile)
            {
                unstamped.push(Outcome::Unstamped {
                    profile: profile.path.clone(),
                    error,
                });
            }
        }
        for outcome in unstamped {
            report(Event::Finished(&outcome));
            summary.outcomes.push(outcome);
        }
    }
    Ok(summary)
}

/// What every job of a run reads.
struct Shared {
    env: Environment,
    config: RenderConfig,
    layouts: Layouts,
    profiles: Vec<ProfilePlan>,
}

/// What make needs of a run with `--deps`: a rule per profile and its stamp.
struct MakeFiles<'a> {
    write: &'a WriteConfig,
    layouts_dir: Option<&'a Path>,
    layouts: &'a Layouts,
}

/// Everything a profile's documents were made from, and the documents: from
/// the manifests of its outputs, which record every file their compiles
/// read. `layouts_dir` is where a user file would stand in for a built-in
/// one (by default `./layouts`, which need not exist yet).
fn make_rule(profile: &ProfilePlan, layouts: &Layouts, layouts_dir: Option<&Path>) -> MakeRule {
    let mut rule = MakeRule::default();
    rule.inputs.push(profile.path.clone());
    if let Some(application) = &profile.application {
        rule.inputs.push(application.profile_path.clone());
    }
    // The program is part of every output: a new cvgen remakes them.
    if let Ok(exe) = std::env::current_exe() {
        rule.inputs.push(exe);
    }
    let user_dir = layouts_dir.unwrap_or(Path::new("layouts"));
    let add = |list: &mut Vec<PathBuf>, path: PathBuf| {
        if !list.contains(&path) {
            list.push(path);
        }
    };
    for (_, output) in &profile.outputs {
        let Some(manifest) = incremental::load(output) else {
            continue;
        };
        for recorded in &manifest.dependencies {
            match recorded.dependency() {
                Some(Dependency::Layout(path)) => match layouts.origin(&path) {
                    Some(Origin::User(real)) => add(&mut rule.inputs, real.clone()),
                    _ => add(&mut rule.overrides, user_dir.join(&path)),
                },
                Some(Dependency::Profile(relative)) => {
                    add(&mut rule.inputs, profile.dir.join(relative))
                }
                Some(Dependency::Font(path)) => add(&mut rule.inputs, PathBuf::from(path)),
                None => {}
            }
        }
        if !manifest.output_sha256.is_empty() {
            add(&mut rule.outputs, output.clone());
        }
        for (name, _) in &manifest.previews {
            add(&mut rule.outputs, output.with_file_name(name));
        }
    }
    rule
}

impl MakeFiles<'_> {
    /// Writes the profile's make rule, then its stamp.
    fn write(&self, profile: &ProfilePlan) -> Result<(), WriteError> {
        let rule = make_rule(profile, self.layouts, self.layouts_dir);
        let out_dir = &self.write.out_dir;
        let stamp = incremental::stamp_path(out_dir, &profile.stem);
        let deps = incremental::deps_path(out_dir, &profile.stem);
        let text = rule.render(&stamp);
        if let Some(dir) = deps.parent() {
            std::fs::create_dir_all(dir).map_err(|source| WriteError {
                path: dir.to_owned(),
                source,
            })?;
        }
        if std::fs::read_to_string(&deps).map_or(true, |old| old != text) {
            output::write_atomic(&deps, text.as_bytes())?;
        }
        let made: Vec<String> = rule
            .outputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        output::write_atomic(&stamp, (made.join("\n") + "\n").as_bytes())
    }
}

/// Creates the output folder, fails early (once, clearly) if it cannot be
/// written to, and clears the temporary files of killed runs.
fn prepare_output(write: &WriteConfig) -> Result<(), SetupError> {
    let dir = &write.out_dir;
    std::fs::create_dir_all(dir).map_err(|source| SetupError::OutputDir {
        path: dir.clone(),
        source,
    })?;
    check_writable(dir)?;
    output::remove_stale_temporaries(dir);
    output::remove_stale_temporaries(&dir.join(incremental::STATE_DIR));
    Ok(())
}

/// Fails early, with one clear message, when the output folder cannot be
/// written to, instead of once per job.
fn check_writable(dir: &Path) -> Result<(), SetupError> {
    // A temporary file like any other, so that a run killed right here
    // leaves nothing the next run does not clear.
    output::temporary_in(dir)
        .map(drop)
        .map_err(|source| SetupError::OutputDir {
            path: dir.to_owned(),
            source,
        })
}
