//! `cvgen render`.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use super::Done;
use super::printer::Printer;
use super::report::{check_report_folder, write_report};
use crate::batch::{self, Event};
use crate::cli::RenderArgs;
use crate::config::Verbosity;
use crate::error::CommandError;
use crate::job::Outcome;

/// `cvgen render`: progress (a bar on a terminal, a line per job otherwise),
/// failures in full, a summary, and the JSON report if asked.
pub(super) fn render(args: RenderArgs) -> Done {
    let verbosity = args.verbosity();
    let started = std::time::Instant::now();
    let report_path = args.report.clone();
    if let Some(path) = &report_path {
        check_report_folder(path)?;
    }
    let config = args.config()?;
    let mut printer = Printer::new();
    // Warnings from checking each profile, for the report's jobs.
    let mut profile_warnings: HashMap<PathBuf, String> = HashMap::new();
    if verbosity != Verbosity::Quiet && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        printer.bar = Some(bar);
    }
    let summary = batch::run(&config, |event| match event {
        Event::Notice(notice) => {
            if verbosity != Verbosity::Quiet {
                printer.warning(notice);
            }
        }
        Event::Warnings(report) => {
            if verbosity != Verbosity::Quiet {
                printer.line(&report.render(printer.color));
            }
            profile_warnings.insert(report.path.clone(), report.render(false));
        }
        // `cvgen check` says how complete each language is.
        Event::Translated { .. } => {}
        Event::Planned { jobs } => {
            if let Some(bar) = &printer.bar {
                bar.set_length(jobs as u64);
            }
        }
        Event::Finished(outcome) => {
            describe(&printer, outcome, verbosity);
            if let Some(bar) = &printer.bar {
                if !matches!(outcome, Outcome::Invalid(_)) {
                    bar.inc(1);
                }
                bar.set_message(outcome.profile().display().to_string());
            }
        }
    })?;
    if let Some(bar) = printer.bar.take() {
        bar.finish_and_clear();
    }
    // A report that cannot be written fails the run, said before its
    // summary line.
    let mut report_failed = false;
    if let Some(path) = report_path
        && let Err(err) = write_report(&path, &summary, &profile_warnings, started.elapsed())
    {
        printer.error(&err);
        report_failed = true;
    }
    let failed = summary.failures();
    if verbosity != Verbosity::Quiet || failed > 0 {
        printer.line(&format!(
            "rendered {} document(s), {} unchanged, {failed} failed",
            summary.made(),
            summary.unchanged()
        ));
    }
    for outcome in summary.outcomes.iter().filter(|o| o.is_failure()) {
        let document = match outcome {
            Outcome::Failed { document, .. } => format!(" ({document})"),
            _ => String::new(),
        };
        printer.line(&format!(
            "  failed: {}{document}",
            outcome.profile().display()
        ));
    }
    if failed > 0 || report_failed {
        return Err(CommandError::Failed(None));
    }
    Ok(())
}

/// Prints what an outcome says at a given verbosity.
fn describe(printer: &Printer, outcome: &Outcome, verbosity: Verbosity) {
    match outcome {
        Outcome::Made {
            output,
            pages,
            millis,
            warnings,
            compiles,
            dropped,
            reduced,
            fill,
            redactions,
            ..
        } => {
            if verbosity == Verbosity::Quiet {
                return;
            }
            warnings.iter().for_each(|w| printer.styled(w));
            let plural = if *pages == 1 { "" } else { "s" };
            let fitted = match fill {
                Some(fill) if *compiles > 1 => {
                    format!(", fitted in {compiles} compiles, {:.0}% full", fill * 100.0)
                }
                _ => String::new(),
            };
            printer.line(&format!(
                "wrote {} ({pages} page{plural}, {millis} ms{fitted})",
                output.display()
            ));
            if verbosity == Verbosity::Verbose {
                dropped
                    .iter()
                    .chain(redactions)
                    .for_each(|change| printer.line(&format!("  {change}")));
                // Then what each entry came to, to pin with `priority`.
                if !reduced.is_empty() {
                    printer.line("  what each entry came to:");
                }
                reduced
                    .iter()
                    .for_each(|entry| printer.line(&format!("    {entry}")));
            } else if !dropped.is_empty() {
                printer.line(&format!(
                    "  {} change(s) to fit one page; --verbose lists them",
                    dropped.len()
                ));
            }
        }
        Outcome::Unchanged { output, .. } => {
            if verbosity != Verbosity::Quiet {
                printer.line(&format!("unchanged {}", output.display()));
            }
        }
        Outcome::Failed { .. } | Outcome::Invalid(_) | Outcome::Unstamped { .. } => {
            printer.job_failure(outcome)
        }
    }
}
