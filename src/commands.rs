//! What each subcommand prints and the exit code it returns. The work itself
//! happens in the pipeline modules; this is presentation.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use crate::cli::{CheckArgs, LayoutsArgs, RenderArgs};
use crate::error::ConfigError;
use crate::layout::Layouts;
use crate::render::{self, Event, Outcome, Summary};

/// Exit code when some profile or job failed.
pub const EXIT_FAILED: u8 = 1;

/// How much `cvgen render` says as it goes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// `cvgen render`: progress (a bar on a terminal, a line per job otherwise),
/// failures in full, a summary, and the JSON report if asked.
pub fn render(args: RenderArgs) -> Result<ExitCode, ConfigError> {
    let verbosity = match (args.quiet, args.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        (false, false) => Verbosity::Normal,
    };
    let started = std::time::Instant::now();
    let report_path = args.report.clone();
    let config = args.config()?;
    let bar = (verbosity != Verbosity::Quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        bar
    });
    let summary = render::render(&config, |event| match event {
        Event::Planned { jobs } => {
            if let Some(bar) = &bar {
                bar.set_length(jobs as u64);
            }
        }
        Event::Diagnostics { text, errors } => {
            if errors || verbosity != Verbosity::Quiet {
                match &bar {
                    Some(bar) => bar.println(text),
                    None => eprintln!("{text}"),
                }
            }
        }
        Event::Finished(outcome) => {
            let lines = describe(outcome, verbosity);
            match &bar {
                Some(bar) => {
                    lines.iter().for_each(|line| bar.println(line));
                    if !matches!(outcome, Outcome::Failed { variant: None, .. }) {
                        bar.inc(1);
                    }
                    bar.set_message(profile_of(outcome).display().to_string());
                }
                None => lines.iter().for_each(|line| eprintln!("{line}")),
            }
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(path) = report_path {
        write_report(&path, &summary, started.elapsed())?;
    }
    let failed = summary.failures();
    if verbosity != Verbosity::Quiet || failed > 0 {
        eprintln!(
            "rendered {} document(s), {} unchanged, {failed} failed",
            summary.written(),
            summary.unchanged()
        );
    }
    for outcome in &summary.outcomes {
        if let Outcome::Failed {
            profile, variant, ..
        } = outcome
        {
            let variant = variant.map(|v| format!(" ({v})")).unwrap_or_default();
            eprintln!("  failed: {}{variant}", profile.display());
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

fn profile_of(outcome: &Outcome) -> &Path {
    match outcome {
        Outcome::Written { profile, .. }
        | Outcome::Unchanged { profile, .. }
        | Outcome::Failed { profile, .. } => profile,
    }
}

/// The lines an outcome prints at a given verbosity.
fn describe(outcome: &Outcome, verbosity: Verbosity) -> Vec<String> {
    let mut lines = Vec::new();
    match outcome {
        Outcome::Written {
            output,
            pages,
            millis,
            warnings,
            compiles,
            dropped,
            ..
        } => {
            if verbosity == Verbosity::Quiet {
                return lines;
            }
            lines.extend(warnings.iter().cloned());
            let plural = if *pages == 1 { "" } else { "s" };
            let fitted = if *compiles > 1 {
                format!(", fitted in {compiles} compiles")
            } else {
                String::new()
            };
            lines.push(format!(
                "wrote {} ({pages} page{plural}, {millis} ms{fitted})",
                output.display()
            ));
            if verbosity == Verbosity::Verbose {
                lines.extend(dropped.iter().map(|change| format!("  {change}")));
            } else if !dropped.is_empty() {
                lines.push(format!(
                    "  {} change(s) to fit one page; --verbose lists them",
                    dropped.len()
                ));
            }
        }
        Outcome::Unchanged { output, .. } => {
            if verbosity != Verbosity::Quiet {
                lines.push(format!("unchanged {}", output.display()));
            }
        }
        Outcome::Failed {
            profile,
            variant: Some(variant),
            message,
        } => {
            lines.push(format!(
                "error: {} ({variant}): {message}",
                profile.display()
            ));
        }
        // Already rendered as diagnostics, severity first.
        Outcome::Failed {
            variant: None,
            message,
            ..
        } => lines.push(message.clone()),
    }
    lines
}

/// Writes the JSON report: one object per job (and per profile that failed
/// before it had jobs), plus totals. The fields are documented in the README.
fn write_report(
    path: &Path,
    summary: &Summary,
    elapsed: std::time::Duration,
) -> Result<(), ConfigError> {
    let jobs: Vec<_> = summary
        .outcomes
        .iter()
        .map(|outcome| match outcome {
            Outcome::Written { profile, variant, output, pages, millis, warnings, compiles, dropped } => json!({
                "profile": profile, "variant": variant.name(), "output": output, "status": "written",
                "pages": pages, "milliseconds": millis, "compiles": compiles, "dropped": dropped,
                "warnings": warnings, "errors": [],
            }),
            Outcome::Unchanged { profile, variant, output } => json!({
                "profile": profile, "variant": variant.name(), "output": output, "status": "unchanged",
                "pages": null, "milliseconds": 0, "compiles": 0, "dropped": [], "warnings": [], "errors": [],
            }),
            Outcome::Failed { profile, variant, message } => json!({
                "profile": profile, "variant": variant.map(|v| v.name()), "output": null, "status": "failed",
                "pages": null, "milliseconds": null, "compiles": null, "dropped": [], "warnings": [],
                "errors": [message],
            }),
        })
        .collect();
    let report = json!({
        "cvgen": env!("CARGO_PKG_VERSION"),
        "written": summary.written(),
        "unchanged": summary.unchanged(),
        "failed": summary.failures(),
        "seconds": elapsed.as_secs_f64(),
        "peak_rss_bytes": peak_rss_bytes(),
        "jobs": jobs,
    });
    let text = serde_json::to_string_pretty(&report).unwrap_or_default() + "\n";
    if path == Path::new("-") {
        print!("{text}");
        return Ok(());
    }
    crate::output::write_atomic(path, text.as_bytes()).map_err(|err| ConfigError::Report {
        path: path.to_owned(),
        message: err.to_string(),
    })
}

/// The most memory this process has held (Linux: VmHWM), if known.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// `cvgen check`: every problem of every profile, then a compile of each
/// profile that has no errors, to find problems in layouts; nothing is
/// written.
pub fn check(args: CheckArgs) -> Result<ExitCode, ConfigError> {
    let deny_warnings = args.deny_warnings;
    let config = args.config();
    let mut problems = 0;
    let summary = render::render(&config, |event| match event {
        Event::Diagnostics { text, .. } => eprintln!("{text}"),
        Event::Finished(Outcome::Failed {
            profile,
            variant: Some(_),
            message,
        }) => {
            eprintln!("error: {}: {message}", profile.display());
        }
        Event::Finished(Outcome::Failed {
            variant: None,
            message,
            ..
        }) => eprintln!("{message}"),
        Event::Finished(Outcome::Written {
            profile,
            pages,
            warnings,
            ..
        }) => {
            warnings.iter().for_each(|w| eprintln!("{w}"));
            if deny_warnings && !warnings.is_empty() {
                problems += 1;
            }
            eprintln!(
                "ok {} ({pages} page{})",
                profile.display(),
                if *pages == 1 { "" } else { "s" }
            );
        }
        _ => {}
    })?;
    problems += summary.failures();
    eprintln!(
        "checked {} profile(s), {problems} failed",
        summary.outcomes.len()
    );
    Ok(if problems > 0 {
        ExitCode::from(EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// `cvgen schema`: the JSON Schema of the profile format, generated from
/// the Rust types so that it cannot drift from them.
pub fn schema() -> Result<ExitCode, ConfigError> {
    println!("{}", crate::profile::schema_json());
    Ok(ExitCode::SUCCESS)
}

/// `cvgen layouts`: every layout with its parameters, types and defaults.
pub fn layouts(args: LayoutsArgs) -> Result<ExitCode, ConfigError> {
    let layouts = Layouts::load(args.resources.layouts_dir().as_deref())?;
    for info in layouts.infos() {
        println!("{}", info.name);
        if !info.description.is_empty() {
            println!("  {}", info.description);
        }
        for param in &info.params {
            println!(
                "  {:<14} {} [default: {}]",
                param.name,
                param.ty.describe(),
                param.default
            );
            if !param.description.is_empty() {
                println!("  {:<14} {}", "", param.description);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
