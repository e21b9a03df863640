//! `cvgen applications`: every job application, where it stands.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Done, print_out};
use crate::batch::{self, Standing};
use crate::cli::ApplicationsArgs;
use crate::error::CommandError;
use crate::job::Outcome;
use crate::posting::Coverage;
use crate::sent::Since;

/// One application, as listed.
struct Row {
    path: PathBuf,
    company: String,
    position: String,
    status: String,
    sent: String,
    language: String,
    coverage: Option<Coverage>,
    documents: &'static str,
}

/// `cvgen applications`: company, position, status, when sent, how much of
/// the posting the one page covers, and whether the documents are current;
/// a table on a terminal, or JSON.
pub(super) fn applications(args: ApplicationsArgs) -> Done {
    let json_out = args.json;
    let (check, render) = args.configs()?;
    let paths = crate::plan::find_profiles(&check.inputs)?;
    let summary = batch::run(&check, |_| {})?;
    let standings = batch::standings(&render)?;
    let mut rows = Vec::new();
    for path in paths {
        let Ok(read) = crate::profile::read(&path) else {
            continue;
        };
        if !crate::check::is_application(&read.text) {
            continue;
        }
        let application = crate::check::check_application(&read.text).application;
        let made = summary.outcomes.iter().filter_map(|outcome| match outcome {
            Outcome::Made {
                profile,
                document,
                coverage,
                ..
            } if profile == &path => Some((document, coverage)),
            _ => None,
        });
        let made: Vec<_> = made.collect();
        let coverage = made
            .iter()
            .filter_map(|(_, c)| c.as_deref())
            .max_by_key(|c| c.one_page)
            .cloned();
        let documents = match standings.iter().find(|(p, _)| p == &path).map(|(_, s)| *s) {
            None => "has errors (cvgen check)",
            Some(Standing::Current) => "current",
            Some(Standing::Outdated) => "outdated",
            Some(Standing::NotMade) => "not made",
            Some(Standing::Sent(Since { intact: false, .. })) => "as sent; a file changed since",
            Some(Standing::Sent(Since {
                inputs_changed: true,
                ..
            })) => "as sent; inputs changed since",
            Some(Standing::Sent(_)) => "as sent",
        };
        let (company, position, status, sent) = match &application {
            Some(app) => (
                app.company.clone(),
                app.position.clone(),
                app.status().name().to_owned(),
                app.sent.map(|d| d.to_string()).unwrap_or_default(),
            ),
            None => Default::default(),
        };
        rows.push(Row {
            language: made
                .first()
                .map(|(d, _)| d.language.clone())
                .unwrap_or_default(),
            path,
            company,
            position,
            status,
            sent,
            coverage,
            documents,
        });
    }
    if json_out {
        print_out(&(json_rows(&rows) + "\n"));
    } else {
        print_out(&table(&rows));
    }
    if summary.failures() > 0 {
        return Err(CommandError::Failed(None));
    }
    Ok(())
}

/// How much of the posting a coverage shows: on the one page, else in the CV.
fn covered(coverage: &Coverage) -> String {
    let total = coverage.terms.len();
    let shown = |place: &str| coverage.terms.iter().filter(|t| t.place == place).count();
    if coverage.one_page {
        format!("{}/{total} on one page", shown("one_page"))
    } else {
        format!("{}/{total} in the CV", shown("long_form"))
    }
}

/// The rows as a table on standard output: columns padded to their widest
/// cell.
fn table(rows: &[Row]) -> String {
    let header = [
        "application",
        "company",
        "position",
        "status",
        "sent",
        "coverage",
        "documents",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|row| {
            [
                display(&row.path),
                row.company.clone(),
                row.position.clone(),
                row.status.clone(),
                row.sent.clone(),
                row.coverage
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), covered),
                row.documents.to_owned(),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = line(&header.map(str::to_owned)) + "\n";
    for row in &cells {
        out += &(line(row) + "\n");
    }
    out
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn json_rows(rows: &[Row]) -> String {
    let rows: Vec<_> = rows
        .iter()
        .map(|row| {
            json!({
                "application": row.path,
                "company": row.company,
                "position": row.position,
                "status": row.status,
                "sent": (!row.sent.is_empty()).then_some(&row.sent),
                "language": row.language,
                "coverage": row.coverage,
                "documents": row.documents,
            })
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_default()
}
