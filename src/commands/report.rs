//! The JSON report of `cvgen render --report`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::batch::Summary;
use crate::diagnostic::Styled;
use crate::error::SetupError;
use crate::job::{Outcome, Stages};
use crate::plan::ProfileFailure;
use crate::workers::{Memory, process_memory};

/// Refuses, before anything is rendered, a report path whose folder does
/// not exist.
pub(super) fn check_report_folder(path: &Path) -> Result<(), SetupError> {
    if path == Path::new("-") {
        return Ok(());
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(SetupError::ReportDir {
            path: path.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
        }),
        Err(source) => Err(SetupError::ReportDir {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Writes the JSON report: one object per job (and per profile that failed
/// before it had jobs), plus totals. The fields are documented in the README.
pub(super) fn write_report(
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
            Outcome::Made { profile, document, output, pages, millis, warnings, compiles, dropped, reduced, fill, stages, files, coverage, .. } => json!({
                "profile": profile, "variant": document.variant.name(), "language": document.language, "format": document.format.name(), "output": output, "files": files, "status": "written", "coverage": coverage,
                "pages": pages, "milliseconds": millis, "stages_ms": stages_ms(stages), "compiles": compiles, "dropped": dropped, "reduced": reduced, "fill": fill,
                "warnings": warnings_of(profile, warnings), "errors": [],
            }),
            Outcome::Unchanged { profile, document, output, coverage } => json!({
                "profile": profile, "variant": document.variant.name(), "language": document.language, "format": document.format.name(), "output": output, "status": "unchanged", "coverage": coverage,
                "pages": null, "milliseconds": 0, "compiles": 0, "dropped": [], "reduced": [], "warnings": warnings_of(profile, &[]), "errors": [],
            }),
            Outcome::Failed { profile, document, error } => json!({
                "profile": profile, "variant": document.variant.name(), "language": document.language, "format": document.format.name(), "output": null, "status": "failed",
                "pages": null, "milliseconds": null, "compiles": null, "dropped": [], "reduced": [], "warnings": [],
                "errors": [error.to_string()],
            }),
            Outcome::Unstamped { profile, error, .. } => json!({
                "profile": profile, "variant": null, "language": null, "format": null, "output": null, "status": "failed",
                "pages": null, "milliseconds": null, "compiles": null, "dropped": [], "reduced": [], "warnings": [],
                "errors": [error.to_string()],
            }),
            Outcome::Invalid(failure) => json!({
                "profile": failure.path(), "variant": null, "language": null, "format": null, "output": null, "status": "failed",
                "pages": null, "milliseconds": null, "compiles": null, "dropped": [], "reduced": [], "warnings": [],
                "errors": [match failure {
                    ProfileFailure::Unreadable(err) => format!("error: {err}"),
                    ProfileFailure::Invalid(report) => report.render(false),
                }],
            }),
        })
        .collect();
    let mut total = Stages::default();
    for outcome in &summary.outcomes {
        if let Outcome::Made { stages, .. } = outcome {
            total.merge(stages);
        }
    }
    let report = json!({
        "cvgen": env!("CARGO_PKG_VERSION"),
        "written": summary.made(),
        "unchanged": summary.unchanged(),
        "failed": summary.failures(),
        "seconds": elapsed.as_secs_f64(),
        "peak_rss_bytes": process_memory(Memory::Peak),
        "stages_ms": stages_ms(&total),
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

/// Milliseconds per stage, to the microsecond.
fn stages_ms(stages: &Stages) -> serde_json::Value {
    stages
        .iter()
        .map(|(stage, took)| {
            let ms = (took.as_micros() as f64) / 1000.0;
            (stage.name().to_owned(), json!(ms))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}
