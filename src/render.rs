//! Running a run: load the layouts and fonts, plan every profile, prepare
//! the output folder, then make the planned jobs in parallel, reporting each
//! outcome as it happens.
//!
//! A failing profile or job never stops the others; each failure is reported
//! with the file (and line where there is one) and counted in the summary.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::config::{RenderConfig, WriteConfig};
use crate::diagnostic::Report;
use crate::error::ConfigError;
use crate::incremental;
use crate::job::{self, Context, Outcome};
use crate::layout::Layouts;
use crate::output;
use crate::plan::{self, Unit};
use crate::typst::fonts;
use crate::typst::world::{Environment, today};

/// Worker threads compile whole documents, and Typst nests its own parallel
/// work inside them; a roomy stack keeps deep layouts from overflowing.
const WORKER_STACK: usize = 32 * 1024 * 1024;

/// What a run reports as it goes.
#[derive(Debug)]
pub(crate) enum Event<'a> {
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
pub(crate) fn render(
    config: &RenderConfig,
    mut report: impl FnMut(Event),
) -> Result<Summary, ConfigError> {
    let layouts = Layouts::load(config.layouts_dir.as_deref())?;
    let plan = plan::plan(config, &layouts)?;
    if let Some(write) = &config.write {
        prepare_output(write)?;
    }
    let fonts = fonts::load(&config.font_paths)?;
    let env = Environment::new(
        &layouts,
        fonts.store,
        today(config.source_date_epoch.as_deref()),
    );
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
    let ctx = Context {
        env: &env,
        config,
        layouts: &layouts,
        font_files: &fonts.files,
        fonts_sha256: fonts.sha256,
    };
    let work = |job: &plan::JobPlan| job::run(&ctx, &plan.profiles[job.profile], job);
    let results = run_parallel(&jobs, config.jobs, work, &mut |outcome| {
        report(Event::Finished(outcome))
    });
    summary.outcomes.extend(results);
    Ok(summary)
}

/// Creates the output folder, fails early (once, clearly) if it cannot be
/// written to, and clears the temporary files of killed runs.
fn prepare_output(write: &WriteConfig) -> Result<(), ConfigError> {
    let dir = &write.out_dir;
    std::fs::create_dir_all(dir).map_err(|source| ConfigError::OutputDir {
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
