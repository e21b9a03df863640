//! What each subcommand prints and how it ends. The work itself happens in
//! the pipeline modules; this is presentation, and the one place where
//! diagnostics and failures are printed.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use crate::cli::{CheckArgs, Cli, Command, ExportArgs, ImportArgs, LayoutsArgs, RenderArgs};
use crate::config::Verbosity;
use crate::diagnostic::Styled;
use crate::error::{ConfigError, Exit};
use crate::job::Outcome;
use crate::layout::Layouts;
use crate::plan::ProfileFailure;
use crate::render::{self, Event, Summary};
use crate::workers::{Memory, process_memory};

/// Where diagnostics go: standard error, in colour on a terminal (unless
/// `NO_COLOR` is set), above the progress bar while there is one.
pub(crate) struct Printer {
    color: bool,
    bar: Option<ProgressBar>,
}

impl Printer {
    pub fn new() -> Self {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Self { color, bar: None }
    }

    /// Prints lines to standard error. A closed or full stderr loses them;
    /// it never stops the run.
    pub fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => {
                let _ = writeln!(std::io::stderr(), "{text}");
            }
        }
    }

    /// Text that may carry colours.
    fn styled(&self, text: &Styled) {
        if self.color {
            self.line(text.ansi());
        } else {
            self.line(&text.plain());
        }
    }

    /// `error: ` as Typst prints it: red and bold on a terminal.
    fn error(&self, message: &str) {
        self.labelled("error", "31", message);
    }

    /// `warning: ` as Typst prints it: yellow and bold on a terminal.
    fn warning(&self, message: &str) {
        self.labelled("warning", "33", message);
    }

    fn labelled(&self, label: &str, colour: &str, message: &str) {
        if self.color {
            self.line(&format!(
                "\x1b[1;{colour}m{label}\x1b[0m\x1b[1m: {message}\x1b[0m"
            ));
        } else {
            self.line(&format!("{label}: {message}"));
        }
    }

    fn failure(&self, failure: &ProfileFailure) {
        match failure {
            ProfileFailure::Unreadable(err) => self.error(&err.to_string()),
            ProfileFailure::Invalid(report) => self.line(&report.render(self.color)),
        }
    }

    /// A failed job: the profile, the variant, and why.
    fn job_failure(&self, outcome: &Outcome) {
        match outcome {
            Outcome::Failed {
                profile,
                variant,
                error,
            } => self.error(&format!(
                "{} ({variant}): {}",
                profile.display(),
                match error {
                    crate::error::JobError::Compile {
                        layout,
                        diagnostics,
                    } if self.color => format!("layout `{layout}` failed\n{}", diagnostics.ansi()),
                    other => other.to_string(),
                }
            )),
            Outcome::Invalid(failure) => self.failure(failure),
            Outcome::Unstamped { profile, error } => self.error(&format!(
                "{}: its documents are made, but not its make rule: {error}",
                profile.display()
            )),
            Outcome::Made { .. } | Outcome::Unchanged { .. } => {}
        }
    }
}

/// Runs a command line: dispatches to its command, prints what stops the
/// whole run, and turns the result into the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Render(args) => render(args),
        Command::Check(args) => check(args),
        Command::Layouts(args) => layouts(args),
        Command::Schema(args) => schema(&args.format),
        Command::New(args) => new(&args.dir),
        Command::Import(args) => import(args),
        Command::Watch(args) => watch(args),
        Command::Export(args) => export(args),
        Command::Completions(args) => completions(args.shell),
        Command::Man => man(),
    };
    let exit = result.unwrap_or_else(|err| {
        Printer::new().error(&err.to_string());
        Exit::Usage
    });
    exit.into()
}

/// `cvgen render`: progress (a bar on a terminal, a line per job otherwise),
/// failures in full, a summary, and the JSON report if asked.
pub(crate) fn render(args: RenderArgs) -> Result<Exit, ConfigError> {
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
    let summary = render::render(&config, |event| match event {
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
    let mut exit = if summary.failures() > 0 {
        Exit::Failed
    } else {
        Exit::Success
    };
    if let Some(path) = report_path
        && let Err(err) = write_report(&path, &summary, &profile_warnings, started.elapsed())
    {
        printer.error(&err);
        exit = Exit::Failed;
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
        let variant = match outcome {
            Outcome::Failed { variant, .. } => format!(" ({variant})"),
            _ => String::new(),
        };
        printer.line(&format!(
            "  failed: {}{variant}",
            outcome.profile().display()
        ));
    }
    Ok(exit)
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

/// Refuses, before anything is rendered, a report path whose folder does
/// not exist.
fn check_report_folder(path: &Path) -> Result<(), ConfigError> {
    if path == Path::new("-") {
        return Ok(());
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(ConfigError::ReportDir {
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
        }),
        Err(source) => Err(ConfigError::ReportDir {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Writes the JSON report: one object per job (and per profile that failed
/// before it had jobs), plus totals. The fields are documented in the README.
fn write_report(
    path: &Path,
    summary: &Summary,
    profile_warnings: &HashMap<PathBuf, String>,
    elapsed: std::time::Duration,
) -> Result<(), String> {
    let warnings_of = |profile: &Path, compile: &[Styled]| -> Vec<String> {
        profile_warnings
            .get(profile)
            .cloned()
            .into_iter()
            .chain(compile.iter().map(Styled::plain))
            .collect()
    };
    let jobs: Vec<_> = summary
        .outcomes
        .iter()
        .map(|outcome| match outcome {
            Outcome::Made { profile, variant, output, pages, millis, warnings, compiles, dropped, fill, .. } => json!({
                "profile": profile, "variant": variant.name(), "output": output, "status": "written",
                "pages": pages, "milliseconds": millis, "compiles": compiles, "dropped": dropped, "fill": fill,
                "warnings": warnings_of(profile, warnings), "errors": [],
            }),
            Outcome::Unchanged { profile, variant, output } => json!({
                "profile": profile, "variant": variant.name(), "output": output, "status": "unchanged",
                "pages": null, "milliseconds": 0, "compiles": 0, "dropped": [], "warnings": warnings_of(profile, &[]), "errors": [],
            }),
            Outcome::Failed { profile, variant, error } => json!({
                "profile": profile, "variant": variant.name(), "output": null, "status": "failed",
                "pages": null, "milliseconds": null, "compiles": null, "dropped": [], "warnings": [],
                "errors": [error.to_string()],
            }),
            Outcome::Unstamped { profile, error } => json!({
                "profile": profile, "variant": null, "output": null, "status": "failed",
                "pages": null, "milliseconds": null, "compiles": null, "dropped": [], "warnings": [],
                "errors": [error.to_string()],
            }),
            Outcome::Invalid(failure) => json!({
                "profile": failure.path(), "variant": null, "output": null, "status": "failed",
                "pages": null, "milliseconds": null, "compiles": null, "dropped": [], "warnings": [],
                "errors": [match failure {
                    ProfileFailure::Unreadable(err) => format!("error: {err}"),
                    ProfileFailure::Invalid(report) => report.render(false),
                }],
            }),
        })
        .collect();
    let report = json!({
        "cvgen": env!("CARGO_PKG_VERSION"),
        "written": summary.made(),
        "unchanged": summary.unchanged(),
        "failed": summary.failures(),
        "seconds": elapsed.as_secs_f64(),
        "peak_rss_bytes": process_memory(Memory::Peak),
        "jobs": jobs,
    });
    let text = serde_json::to_string_pretty(&report).unwrap_or_default() + "\n";
    if path == Path::new("-") {
        return std::io::stdout()
            .write_all(text.as_bytes())
            .and_then(|()| std::io::stdout().flush())
            .map_err(|err| format!("cannot write the report: {}", crate::error::plain_io(&err)));
    }
    crate::output::write_named(path, text.as_bytes()).map_err(|err| err.to_string())
}

/// `cvgen check`: every problem of every profile, then a compile of each
/// profile that has no errors, to find problems in layouts; nothing is
/// written.
pub(crate) fn check(args: CheckArgs) -> Result<Exit, ConfigError> {
    let config = args.config()?;
    let printer = Printer::new();
    let summary = render::render(&config, |event| match event {
        Event::Warnings(report) => printer.line(&report.render(printer.color)),
        Event::Notice(_) => {}
        Event::Finished(Outcome::Made {
            profile,
            variant,
            pages,
            warnings,
            ats,
            ..
        }) => {
            warnings.iter().for_each(|w| printer.styled(w));
            let pages = format!("{pages} page{}", if *pages == 1 { "" } else { "s" });
            match ats {
                None => printer.line(&format!("ok {} ({pages})", profile.display())),
                Some(review) => {
                    for finding in &review.findings {
                        printer.warning(&format!("{} ({variant}): {finding}", profile.display()));
                    }
                    printer.line(&format!(
                        "ok {} ({variant}, {pages}): an applicant tracking system reads {:.1}% of its {} words whole and in order",
                        profile.display(),
                        review.recall() * 100.0,
                        review.words,
                    ));
                }
            }
        }
        Event::Finished(failed) => printer.job_failure(failed),
        Event::Planned { .. } => {}
    })?;
    // With --deny-warnings, what an applicant tracking system reads badly
    // fails the check like any other warning.
    let badly_read = summary
        .outcomes
        .iter()
        .filter(
            |o| matches!(o, Outcome::Made { ats: Some(review), .. } if !review.findings.is_empty()),
        )
        .count();
    let problems = summary.failures() + if config.deny_warnings { badly_read } else { 0 };
    printer.line(&format!(
        "checked {} {}(s), {problems} failed",
        summary.outcomes.len(),
        if config.ats { "document" } else { "profile" }
    ));
    Ok(if problems > 0 {
        Exit::Failed
    } else {
        Exit::Success
    })
}

/// `cvgen new [DIR]`: writes a starter repository, or nothing.
pub(crate) fn new(dir: &Path) -> Result<Exit, ConfigError> {
    let printer = Printer::new();
    match crate::new::create(dir) {
        Ok(written) => {
            for path in &written {
                printer.line(&format!("created {}", dir.join(path).display()));
            }
            printer.line(&format!(
                "next: edit {}, then run `make` there (or `cvgen render`)",
                dir.join("input/cv.toml").display()
            ));
            Ok(Exit::Success)
        }
        Err(err) => {
            printer.error(&err.to_string());
            Ok(Exit::Usage)
        }
    }
}

/// `cvgen watch`: one line per render, failures in full, until Ctrl-C.
pub(crate) fn watch(mut args: RenderArgs) -> Result<Exit, ConfigError> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    // Unasked, a job-search repository's applications are watched too.
    if args.paths == [PathBuf::from("input")] && Path::new("applications").is_dir() {
        args.paths.push(PathBuf::from("applications"));
    }
    let printer = Printer::new();
    // What watch would take and ignore is refused: it writes no report, no
    // make files and no shard, and says one line per render.
    let ignored = [
        ("--report", args.report.is_some()),
        ("--deps", args.deps),
        ("--shard", args.shard.is_some()),
        ("--verbose", args.verbose),
    ];
    if let Some((flag, _)) = ignored.iter().find(|(_, given)| *given) {
        printer.error(&format!(
            "watch takes no {flag}: it prints one line per render; `cvgen render {flag}` does what it says"
        ));
        return Ok(Exit::Usage);
    }
    let quiet = args.quiet;
    let config = args.config()?;
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
            printer.error(&format!("cannot catch Ctrl-C: {err}"));
            return Ok(Exit::Usage);
        }
    }
    // A notice is about the run's settings: once is enough.
    let mut noticed = std::collections::HashSet::new();
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
    Ok(Exit::Success)
}

/// `cvgen import FILE`: a JSON Resume or RenderCV file into a profile. What
/// has no home is reported (and kept as comments in the profile); the
/// profile is checked before it is written, and never replaces one unless
/// asked.
pub(crate) fn import(args: ImportArgs) -> Result<Exit, ConfigError> {
    use crate::interop::{self, Format};
    let printer = Printer::new();
    let fail = |message: &str| {
        printer.error(message);
        Ok(Exit::Failed)
    };
    let format = match Format::of(args.format.as_deref(), &args.file) {
        Ok(format) => format,
        Err(message) => {
            printer.error(&message);
            return Ok(Exit::Usage);
        }
    };
    use crate::files::{ReadError, read_limited};
    let limit = crate::profile::MAX_FILE_BYTES;
    let text = match read_limited(&args.file, limit).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => return fail(&format!("{}: not UTF-8 text", args.file.display())),
        Err(ReadError::NotAFile) => {
            return fail(&format!("{}: not a regular file", args.file.display()));
        }
        Err(ReadError::TooLarge { .. }) => {
            return fail(&format!(
                "{}: larger than {limit} bytes",
                args.file.display()
            ));
        }
        Err(ReadError::Io(err)) => return fail(&format!("{}: {err}", args.file.display())),
    };
    let (profile, notes) = match interop::import(&text, format, &args.file) {
        Ok(imported) => imported,
        Err(message) => return fail(&message),
    };
    let out = args.out.unwrap_or_else(|| {
        let stem = args.file.file_stem().unwrap_or_default().to_string_lossy();
        Path::new("input").join(format!("{stem}.toml"))
    });
    // What cvgen writes, cvgen must read: check it as `cvgen check` would.
    let checked = crate::check::check(&profile, crate::plan::this_month());
    if checked.diagnostics.iter().any(|d| d.is_error()) {
        // The places are in the profile as it would have been written,
        // which is not on disk: say which file it came from.
        let shown = PathBuf::from(format!(
            "{} (imported from {}, not written)",
            out.display(),
            args.file.display()
        ));
        let report = crate::diagnostic::Report::new(&shown, profile, checked.diagnostics);
        printer.line(&report.render(printer.color));
        return fail(&format!(
            "the imported profile does not check; nothing was written to {}",
            out.display()
        ));
    }
    if !args.force && out.symlink_metadata().is_ok() {
        printer.error(&format!(
            "{} exists; nothing was written (--force replaces it)",
            out.display()
        ));
        return Ok(Exit::Usage);
    }
    for line in notes.lines() {
        printer.warning(&format!("{}: {line}", args.file.display()));
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(err) = crate::output::write_named(&out, profile.as_bytes()) {
        return fail(&err.to_string());
    }
    printer.line(&format!(
        "wrote {} ({} note{})",
        out.display(),
        notes.lines().len(),
        if notes.lines().len() == 1 { "" } else { "s" }
    ));
    Ok(Exit::Success)
}

/// `cvgen export PROFILE`: the profile as JSON Resume, on standard output
/// or into a file; what JSON Resume cannot hold is reported.
pub(crate) fn export(args: ExportArgs) -> Result<Exit, ConfigError> {
    let printer = Printer::new();
    let read = match crate::profile::read(&args.profile) {
        Ok(read) => read,
        Err(err) => {
            printer.error(&err.to_string());
            return Ok(Exit::Failed);
        }
    };
    let checked = crate::check::check(&read.text, crate::plan::this_month());
    let errors = checked.diagnostics.iter().any(|d| d.is_error());
    let Some(profile) = checked.profile.filter(|_| !errors) else {
        let report = crate::diagnostic::Report::new(&args.profile, read.text, checked.diagnostics);
        printer.line(&report.render(printer.color));
        return Ok(Exit::Failed);
    };
    let (json, notes) = crate::interop::export(&profile);
    for line in notes.lines() {
        printer.warning(&format!("{}: {line}", args.profile.display()));
    }
    match &args.out {
        None => print_out(&json),
        Some(out) => {
            if out == Path::new("-") {
                print_out(&json);
                return Ok(Exit::Success);
            }
            if let Err(err) = crate::output::write_named(out, json.as_bytes()) {
                printer.error(&err.to_string());
                return Ok(Exit::Failed);
            }
            printer.line(&format!("wrote {}", out.display()));
        }
    }
    Ok(Exit::Success)
}

/// `cvgen completions SHELL`: the shell's completion script, generated
/// from the command-line definitions, so it cannot drift from them.
fn completions(shell: clap_complete::Shell) -> Result<Exit, ConfigError> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cvgen", &mut out);
    print_out(&String::from_utf8_lossy(&out));
    Ok(Exit::Success)
}

/// `cvgen man`: the manual page, from the same definitions, with a section
/// per command.
fn man() -> Result<Exit, ConfigError> {
    use clap::CommandFactory;
    let command = Cli::command();
    let mut out = Vec::new();
    let rendered = clap_mangen::Man::new(command.clone())
        .render(&mut out)
        .and_then(|()| {
            // Each command's options under its own heading.
            for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
                let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
                writeln!(out, ".SH \"CVGEN {}\"", sub.get_name().to_uppercase())?;
                writeln!(out, "{}", about.replace('\\', "\\\\"))?;
                if sub.get_arguments().any(|a| !a.is_hide_set()) {
                    clap_mangen::Man::new(sub.clone()).render_options_section(&mut out)?;
                }
            }
            Ok(())
        });
    if let Err(err) = rendered {
        Printer::new().error(&format!("cannot write the manual page: {err}"));
        return Ok(Exit::Failed);
    }
    print_out(&String::from_utf8_lossy(&out));
    Ok(Exit::Success)
}

/// `cvgen schema [profile|application]`: the JSON Schema of a format,
/// generated from the Rust types so that it cannot drift from them.
pub(crate) fn schema(format: &str) -> Result<Exit, ConfigError> {
    let schema = match format {
        "application" => crate::application::schema_json(),
        _ => crate::profile::schema_json(),
    };
    print_out(&format!("{schema}\n"));
    Ok(Exit::Success)
}

/// `cvgen layouts`: every layout with its parameters, types and defaults.
pub(crate) fn layouts(args: LayoutsArgs) -> Result<Exit, ConfigError> {
    let layouts = Layouts::load(args.resources.layouts_dir().as_deref())?;
    let mut text = String::new();
    for info in layouts.infos() {
        text.push_str(&format!("{}\n", info.name));
        if !info.description.is_empty() {
            text.push_str(&format!("  {}\n", info.description));
        }
        for param in &info.params {
            text.push_str(&format!(
                "  {:<14} {} [default: {}]\n",
                param.name,
                param.ty.describe(),
                param.default
            ));
            if !param.description.is_empty() {
                text.push_str(&format!("  {:<14} {}\n", "", param.description));
            }
        }
    }
    text.push_str(
        "\nlanguages (`lang = \"..\"` in [layout]; add one as lang/<code>.toml in your layouts folder)\n",
    );
    for language in layouts.languages() {
        let direction = if language.is_right_to_left() {
            " (right to left)"
        } else {
            ""
        };
        text.push_str(&format!(
            "  {:<6} {}{direction}\n",
            language.code, language.name
        ));
    }
    print_out(&text);
    Ok(Exit::Success)
}

/// Writes to standard output; a reader that went away (`| head`) is not an
/// error of cvgen's.
fn print_out(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
