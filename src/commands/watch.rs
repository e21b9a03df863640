//! `cvgen watch`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Done;
use super::printer::Printer;
use crate::batch::Event;
use crate::cli::{RunScope, WatchArgs};
use crate::error::CommandError;

/// `cvgen watch`: one line per render, failures in full, until Ctrl-C.
pub(super) fn watch(mut args: WatchArgs) -> Done {
    // Unasked, a job-search repository's applications are watched too.
    let paths = &mut args.make.paths;
    if *paths == [PathBuf::from("input")] && Path::new("applications").is_dir() {
        paths.push(PathBuf::from("applications"));
    }
    let printer = Printer::new();
    let quiet = args.quiet;
    let config = args.make.config(RunScope::default())?;
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A second Ctrl-C, while a render finishes, ends the process at once.
        let result = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::Relaxed) {
                std::process::exit(130);
            }
        });
        if let Err(err) = result {
            return Err(CommandError::Usage(format!("cannot catch Ctrl-C: {err}")));
        }
    }
    // A notice is about the run's settings: once is enough.
    let mut noticed = HashSet::new();
    crate::watch::watch(
        &config,
        stop,
        // Quiet: errors only (failures come through `event`).
        |line| {
            if !quiet {
                printer.line(line)
            }
        },
        |event| match event {
            Event::Notice(notice) if noticed.insert(notice.to_owned()) => printer.warning(notice),
            Event::Warnings(report) => printer.line(&report.render(printer.color)),
            Event::Finished(outcome) if outcome.is_failure() => printer.job_failure(outcome),
            _ => {}
        },
    )?;
    if !quiet {
        printer.line("stopped");
    }
    Ok(())
}
