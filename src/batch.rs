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
use crate::error::{JobError, SetupError};
use crate::incremental;
use crate::job::{self, Context, Outcome};
use crate::layout::Layouts;
use crate::makefile::{MakeFiles, make_rule};
use crate::output;
use crate::plan::{self, JobPlan, ProfilePlan, Unit};
use crate::typst::fonts::Fonts;
use crate::typst::world::{Environment, today};
use crate::workers;

/// What a run reports as it goes.
#[derive(Debug)]
pub(crate) enum Event<'a> {
    /// A warning about the run as a whole.
    Notice(&'a str),
    /// Warnings of a profile that is rendered all the same.
    Warnings(&'a Report),
    /// A profile made in several languages, or with translated texts: how
    /// complete each language is.
    Translated {
        profile: &'a Path,
        languages: &'a plan::Languages,
    },
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
    // The embedded and `--font-path` fonts; the planner adds the system's
    // only if a profile needs them (scanning hundreds of installed faces
    // costs 100 ms and more per run, which a make step pays per profile).
    let base = Fonts::shared(&FontSources {
        system: false,
        ..config.fonts.clone()
    })?;
    let plan = plan::plan(config, &layouts, base)?;
    if let Some(write) = &config.write {
        prepare_output(write, &plan.profiles)?;
    }
    let env = Environment::new(
        &layouts,
        plan.fonts.clone(),
        today(config.source_date_epoch.as_deref()),
    );
    for notice in &plan.notices {
        report(Event::Notice(notice));
    }
    for warnings in &plan.warnings {
        report(Event::Warnings(warnings));
    }
    let mut told: Vec<&Path> = Vec::new();
    for profile in plan.profiles.iter().filter(|p| p.application.is_none()) {
        let languages = &profile.languages;
        if (languages.list.len() > 1 || languages.completeness.fields > 0)
            && !told.contains(&profile.path.as_path())
        {
            told.push(&profile.path);
            report(Event::Translated {
                profile: &profile.path,
                languages,
            });
        }
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
    let first_job = summary.outcomes.len();
    summary
        .outcomes
        .extend(run_jobs(&shared, &jobs, &mut |outcome| {
            report(Event::Finished(outcome))
        }));
    if config.write.is_some() {
        summary.inputs = inputs(&shared);
    }
    if let Some(write) = config.write.as_ref().filter(|write| write.deps) {
        let outcomes = &summary.outcomes[first_job..];
        for outcome in write_make_rules(&shared, write, &jobs, outcomes) {
            report(Event::Finished(&outcome));
            summary.outcomes.push(outcome);
        }
    }
    Ok(summary)
}

/// Runs the jobs in parallel, each within the run's budget; outcomes come
/// back in job order, and `finished` sees each as it happens.
fn run_jobs(
    shared: &Arc<Shared>,
    jobs: &[JobPlan],
    finished: &mut dyn FnMut(&Outcome),
) -> Vec<Outcome> {
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
    workers::run(
        Arc::new(jobs.to_vec()),
        shared.config.jobs,
        shared.config.budget,
        work,
        |job, why| Outcome::Failed {
            profile: shared.profiles[job.profile].path.clone(),
            document: job.document.clone(),
            error: JobError::OverBudget(why),
        },
        &mut |outcome: &Outcome| finished(outcome),
    )
}

/// Every file the documents were made from, and where a user layout file
/// would take effect: what `cvgen watch` watches.
fn inputs(shared: &Shared) -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for profile in &shared.profiles {
        let rule = make_rule(
            profile,
            &shared.layouts,
            shared.config.layouts_dir.as_deref(),
        );
        for path in rule.inputs.into_iter().chain(rule.overrides) {
            if !inputs.contains(&path) {
                inputs.push(path);
            }
        }
    }
    inputs
}

/// Writes the make rule and stamp of every profile that is done: every one
/// of its documents ran in this run (a shard may hold only some) and none
/// failed. Returns the profiles whose rule could not be written.
fn write_make_rules(
    shared: &Shared,
    write: &WriteConfig,
    jobs: &[JobPlan],
    outcomes: &[Outcome],
) -> Vec<Outcome> {
    let makefiles = MakeFiles {
        write,
        layouts_dir: shared.config.layouts_dir.as_deref(),
        layouts: &shared.layouts,
    };
    let mut unstamped = Vec::new();
    // A profile made in several languages has a plan per language and one
    // stamp for them all.
    let mut files: Vec<(&str, Vec<usize>)> = Vec::new();
    for (index, profile) in shared.profiles.iter().enumerate() {
        match files.iter_mut().find(|(stem, _)| *stem == profile.stem) {
            Some((_, indexes)) => indexes.push(index),
            None => files.push((&profile.stem, vec![index])),
        }
    }
    for (_, indexes) in files {
        let outcomes = jobs
            .iter()
            .zip(outcomes)
            .filter(|(job, _)| indexes.contains(&job.profile));
        let plans: Vec<&ProfilePlan> = indexes.iter().map(|&i| &shared.profiles[i]).collect();
        let expected: usize = plans.iter().map(|plan| plan.outputs.len()).sum();
        if outcomes.clone().count() == expected
            && outcomes.clone().all(|(_, outcome)| !outcome.is_failure())
            && let Err(error) = makefiles.write(&plans)
        {
            unstamped.push(Outcome::Unstamped {
                profile: plans[0].path.clone(),
                error,
            });
        }
    }
    unstamped
}

/// What every job of a run reads.
struct Shared {
    env: Environment,
    config: RenderConfig,
    layouts: Layouts,
    profiles: Vec<ProfilePlan>,
}

/// Creates the output folder (and each application's folder in it), fails
/// early (once, clearly) if it cannot be written to, and clears the
/// temporary files of killed runs.
fn prepare_output(write: &WriteConfig, profiles: &[ProfilePlan]) -> Result<(), SetupError> {
    let dir = &write.out_dir;
    std::fs::create_dir_all(dir).map_err(|source| SetupError::OutputDir {
        path: dir.clone(),
        source,
    })?;
    check_writable(dir)?;
    output::remove_stale_temporaries(dir);
    output::remove_stale_temporaries(&dir.join(incremental::STATE_DIR));
    for profile in profiles.iter().filter(|p| p.out_dir != write.out_dir) {
        std::fs::create_dir_all(&profile.out_dir).map_err(|source| SetupError::OutputDir {
            path: profile.out_dir.clone(),
            source,
        })?;
        output::remove_stale_temporaries(&profile.out_dir);
    }
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
