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
use crate::hash::hex;
use crate::incremental::{self, Records};
use crate::job::{self, Context, Outcome};
use crate::layout::Layouts;
use crate::makefile::{MakeFiles, make_rule};
use crate::output;
use crate::plan::{self, JobPlan, ProfilePlan, Unit};
use crate::sent;
use crate::typst::fonts::Fonts;
use crate::typst::world::{Environment, today};
use crate::variant::Variant;
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
    let (layouts, plan) = layouts_and_plan(config)?;
    if let Some(write) = &config.write {
        prepare_output(write, &plan.profiles)?;
    }
    let env = environment(config, &layouts, &plan);
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
    // A sent application's documents are kept as they were sent.
    let kept = match &config.write {
        Some(write) => kept_as_sent(&plan.profiles, write, &mut report),
        None => vec![false; plan.profiles.len()],
    };
    let (jobs, kept_jobs): (Vec<JobPlan>, Vec<JobPlan>) =
        jobs.into_iter().partition(|job| !kept[job.profile]);
    let first_kept = summary.outcomes.len();
    for job in &kept_jobs {
        let outcome = Outcome::Unchanged {
            profile: plan.profiles[job.profile].path.clone(),
            document: job.document.clone(),
            output: job.output.clone(),
            coverage: job::recorded_coverage(&job.output),
        };
        report(Event::Finished(&outcome));
        summary.outcomes.push(outcome);
    }
    report(Event::Planned { jobs: jobs.len() });
    // What the workers share; a worker given up over its budget keeps its
    // share until the process ends.
    let shared = Arc::new(Shared {
        env,
        config: config.clone(),
        layouts: layouts.clone(),
        profiles: plan.profiles,
        records: Records::default(),
    });
    let first_job = summary.outcomes.len();
    summary
        .outcomes
        .extend(run_jobs(&shared, &jobs, &mut |outcome| {
            report(Event::Finished(outcome))
        }));
    for outcome in save_records(&shared) {
        report(Event::Finished(&outcome));
        summary.outcomes.push(outcome);
    }
    if let Some(write) = &config.write {
        summary.inputs = inputs(&shared);
        let outcomes = &summary.outcomes[first_job..];
        for outcome in record_sent(&shared.profiles, write, &kept, &jobs, outcomes) {
            report(Event::Finished(&outcome));
            summary.outcomes.push(outcome);
        }
    }
    if let Some(write) = config.write.as_ref().filter(|write| write.deps) {
        // Kept documents are made as far as make is concerned.
        let all_jobs: Vec<JobPlan> = kept_jobs.iter().chain(&jobs).cloned().collect();
        let outcomes = &summary.outcomes[first_kept..];
        for outcome in write_make_rules(&shared, write, &all_jobs, outcomes) {
            report(Event::Finished(&outcome));
            summary.outcomes.push(outcome);
        }
    }
    Ok(summary)
}

/// The layouts and the plan of a run.
fn layouts_and_plan(config: &RenderConfig) -> Result<(Layouts, plan::Plan), SetupError> {
    crate::typst::world::prepare_library();
    let layouts = Layouts::load(config.layouts_dir.as_deref())?;
    // The embedded and `--font-path` fonts; the planner adds the system's
    // only if a profile needs them (scanning hundreds of installed faces
    // costs 100 ms and more per run, which a make step pays per profile).
    let base = Fonts::shared(&FontSources {
        system: false,
        ..config.fonts.clone()
    })?;
    let plan = plan::plan(config, &layouts, base)?;
    Ok((layouts, plan))
}

/// What every compile of a run reads: layouts, the run's fonts, its date.
fn environment(config: &RenderConfig, layouts: &Layouts, plan: &plan::Plan) -> Environment {
    Environment::new(
        layouts,
        plan.fonts.clone(),
        today(config.source_date_epoch.as_deref()),
    )
}

/// Where a source's documents stand against its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Every document is made from exactly its inputs as they are now.
    Current,
    /// Some documents are missing or were made from other inputs.
    Outdated,
    /// None has been made.
    NotMade,
    /// Sent: kept as they were sent, and what changed since.
    Sent(sent::Since),
}

/// Where each planned source's documents stand, without making any: for
/// `cvgen applications`. Sources that could not be planned are left out.
pub(crate) fn standings(config: &RenderConfig) -> Result<Vec<(PathBuf, Standing)>, SetupError> {
    let Some(write) = &config.write else {
        return Ok(Vec::new());
    };
    let (layouts, plan) = layouts_and_plan(config)?;
    let env = environment(config, &layouts, &plan);
    let records = Records::default();
    let ctx = Context {
        env: &env,
        config,
        layouts: &layouts,
        records: &records,
    };
    let jobs: Vec<&JobPlan> = plan
        .units
        .iter()
        .filter_map(|unit| match unit {
            Unit::Job(job) => Some(job),
            Unit::Failed(_) => None,
        })
        .collect();
    let mut out = Vec::new();
    for (index, profile) in plan.profiles.iter().enumerate() {
        let standing = match sent_record(profile) {
            Some((_, record)) => Standing::Sent(record.since(&profile.out_dir, &profile.sha256)),
            None => {
                let mine: Vec<&&JobPlan> = jobs.iter().filter(|j| j.profile == index).collect();
                if mine
                    .iter()
                    .all(|job| job::is_current(&ctx, write, profile, job))
                {
                    Standing::Current
                } else if mine.iter().any(|job| job.output.exists()) {
                    Standing::Outdated
                } else {
                    Standing::NotMade
                }
            }
        };
        out.push((profile.path.clone(), standing));
    }
    Ok(out)
}

/// Which profiles are sent applications whose documents stay as they were
/// sent (a record of them exists, and `--force` is not given); says when
/// their inputs or documents changed since.
fn kept_as_sent(
    profiles: &[ProfilePlan],
    write: &WriteConfig,
    report: &mut impl FnMut(Event),
) -> Vec<bool> {
    profiles
        .iter()
        .map(|profile| {
            let Some((application, record)) = sent_record(profile).filter(|_| !write.force) else {
                return false;
            };
            let since = record.since(&profile.out_dir, &profile.sha256);
            let when = match &application.sent {
                Some(date) => format!("sent on {date}"),
                None => format!("marked {}", application.status.name()),
            };
            if since.inputs_changed {
                let notice = format!(
                    "{}: {when}; its profile, application or posting changed since, and its \
                     documents are kept as they were sent (--force makes them again)",
                    profile.path.display()
                );
                report(Event::Notice(&notice));
            }
            if !since.intact {
                let notice = format!(
                    "{}: {when}; a document sent was changed or removed since, and is not made \
                     again (--force makes them all again)",
                    profile.path.display()
                );
                report(Event::Notice(&notice));
            }
            true
        })
        .collect()
}

/// A sent application's record of what was sent, if it has one.
fn sent_record(profile: &ProfilePlan) -> Option<(&plan::ApplicationSource, sent::Record)> {
    let application = profile.application.as_ref().filter(|a| a.is_sent)?;
    Some((application, sent::load(&profile.out_dir)?))
}

/// Records what a sent application's documents are, once all of them are
/// made in this run (the first run after it was sent, or with `--force`).
/// Returns the applications whose record could not be written.
fn record_sent(
    profiles: &[ProfilePlan],
    write: &WriteConfig,
    kept: &[bool],
    jobs: &[JobPlan],
    outcomes: &[Outcome],
) -> Vec<Outcome> {
    let mut failed = Vec::new();
    for (index, profile) in profiles.iter().enumerate() {
        let Some(application) = profile.application.as_ref().filter(|a| a.is_sent) else {
            continue;
        };
        let mine: Vec<_> = jobs
            .iter()
            .zip(outcomes)
            .filter(|(job, _)| job.profile == index)
            .collect();
        if kept[index]
            || mine.len() != profile.outputs.len()
            || mine.iter().any(|(_, outcome)| outcome.is_failure())
            || (sent::load(&profile.out_dir).is_some() && !write.force)
        {
            continue;
        }
        let mut documents = Vec::new();
        for (_, output) in &profile.outputs {
            let mut names = vec![output.clone()];
            if let Some(manifest) = incremental::load(output) {
                names.extend(
                    manifest
                        .previews
                        .iter()
                        .chain(&manifest.files)
                        .map(|(name, _)| output.with_file_name(name)),
                );
            }
            for path in names {
                if let (Some(name), Some(hash)) = (path.file_name(), sent::file_hash(&path)) {
                    documents.push((name.to_string_lossy().into_owned(), hash));
                }
            }
        }
        let record = sent::Record {
            sent: application.sent.map(|d| d.to_string()).unwrap_or_default(),
            status: application.status.name().to_owned(),
            inputs_sha256: hex(&profile.sha256),
            documents,
        };
        if let Err(error) = sent::save(&profile.out_dir, &record) {
            failed.push(Outcome::Unstamped {
                profile: profile.path.clone(),
                what: "the record of what was sent",
                error,
            });
        }
    }
    failed
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
                records: &shared.records,
            };
            job::run(&ctx, &shared.profiles[job.profile], job)
        })
    };
    crate::typst::compile::share_among(shared.config.jobs.min(jobs.len()));
    let order = schedule(jobs);
    let scheduled: Vec<JobPlan> = order.iter().map(|&i| jobs[i].clone()).collect();
    let results = workers::run(
        Arc::new(scheduled),
        |job| job.profile,
        shared.config.jobs,
        shared.config.budget,
        work,
        |job, why| Outcome::Failed {
            profile: shared.profiles[job.profile].path.clone(),
            document: job.document.clone(),
            error: JobError::OverBudget(why),
        },
        &mut |outcome: &Outcome| finished(outcome),
    );
    // Back in plan order.
    let mut slots: Vec<Option<Outcome>> = jobs.iter().map(|_| None).collect();
    for (&i, outcome) in order.iter().zip(results) {
        slots[i] = Some(outcome);
    }
    slots.into_iter().flatten().collect()
}

/// Saves what the run's documents were made from (see
/// `incremental::Records`); a profile whose records could not be saved
/// fails, once.
fn save_records(shared: &Shared) -> Vec<Outcome> {
    let mut failed: Vec<Outcome> = Vec::new();
    for (profile, error) in shared.records.save() {
        if !failed.iter().any(|outcome| outcome.profile() == profile) {
            failed.push(Outcome::Unstamped {
                profile,
                what: "the record of what they were made from",
                error,
            });
        }
    }
    failed
}

/// The order jobs start in: a source's documents together, as one group
/// that a worker runs one after another while other sources wait (see
/// `workers`), the one-page fits first (their several compiles are the
/// long pole), then the anonymized and letters, the long form last: a
/// compile reuses the layout Typst memoized for a sibling document with the
/// same text, so the cheapest document goes when the others have laid out
/// what it shares. In a fresh process rendering one profile (a make step)
/// this cuts the wall time by a tenth to a quarter on 2 cores (README,
/// Performance).
fn schedule(jobs: &[JobPlan]) -> Vec<usize> {
    let rank = |variant: Variant| match variant {
        Variant::OnePage => 0,
        Variant::AnonOnePage => 1,
        Variant::Anon => 2,
        Variant::AnonLetter => 3,
        Variant::Letter => 4,
        Variant::Long => 5,
    };
    let mut first = std::collections::HashMap::new();
    for (i, job) in jobs.iter().enumerate() {
        first.entry(job.profile).or_insert(i);
    }
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| (first[&jobs[i].profile], rank(jobs[i].document.variant)));
    order
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
                what: "its make rule",
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
    records: Records,
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
    output::remove_stale_temporaries(&dir.join(incremental::STATE_DIR).join("claims"));
    for profile in profiles.iter().filter(|p| p.out_dir != write.out_dir) {
        std::fs::create_dir_all(&profile.out_dir).map_err(|source| SetupError::OutputDir {
            path: profile.out_dir.clone(),
            source,
        })?;
        output::remove_stale_temporaries(&profile.out_dir);
        output::remove_stale_temporaries(&profile.out_dir.join(incremental::STATE_DIR));
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
