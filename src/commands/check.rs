//! `cvgen check`.

use super::Done;
use super::printer::Printer;
use crate::batch::{self, Event};
use crate::cli::CheckArgs;
use crate::error::CommandError;
use crate::job::Outcome;

/// `cvgen check`: every problem of every profile, then a compile of each
/// profile that has no errors, to find problems in layouts; nothing is
/// written.
pub(super) fn check(args: CheckArgs) -> Done {
    let config = args.config()?;
    let printer = Printer::new();
    // Profiles made in several languages: their lines say which.
    let mut several = Vec::new();
    let summary = batch::run(&config, |event| match event {
        Event::Warnings(report) => printer.line(&report.render(printer.color)),
        Event::Notice(_) => {}
        Event::Translated { profile, languages } => {
            let counts: Vec<String> = languages
                .list
                .iter()
                .map(|code| {
                    let done = languages.completeness.of(code);
                    format!("{code}: {done} of {} fields", languages.completeness.fields)
                })
                .collect();
            printer.line(&format!(
                "{} translations: {}",
                profile.display(),
                counts.join(", ")
            ));
            if languages.list.len() > 1 {
                several.push(profile.to_owned());
            }
        }
        Event::Finished(Outcome::Made {
            profile,
            document,
            pages,
            warnings,
            ats,
            ..
        }) => {
            warnings.iter().for_each(|w| printer.styled(w));
            let mut pages = format!("{pages} page{}", if *pages == 1 { "" } else { "s" });
            if several.contains(profile) {
                pages = format!("{}, {pages}", document.language);
            }
            match ats {
                None => printer.line(&format!("ok {} ({pages})", profile.display())),
                Some(review) => {
                    for finding in &review.findings {
                        printer.warning(&format!("{} ({document}): {finding}", profile.display()));
                    }
                    printer.line(&format!(
                        "ok {} ({document}, {pages}): an applicant tracking system reads {:.1}% of its {} words whole and in order",
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
    print_coverage(&printer, &summary.outcomes);
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
    if problems > 0 {
        return Err(CommandError::Failed(None));
    }
    Ok(())
}

/// For each application with a job posting, which of the posting's terms
/// its documents show: from its one page where it was made (which also
/// says what the long form has), else from its long form.
fn print_coverage(printer: &Printer, outcomes: &[Outcome]) {
    let mut shown: Vec<&std::path::Path> = Vec::new();
    let coverages = outcomes.iter().filter_map(|outcome| match outcome {
        Outcome::Made {
            profile,
            coverage: Some(coverage),
            ..
        } => Some((profile.as_path(), coverage)),
        _ => None,
    });
    let coverages: Vec<_> = coverages.collect();
    for &(profile, coverage) in &coverages {
        let better = coverages
            .iter()
            .any(|(other, c)| *other == profile && c.one_page && !coverage.one_page);
        if better || shown.contains(&profile) {
            continue;
        }
        shown.push(profile);
        for line in coverage_lines(coverage) {
            printer.line(&format!("{}: {line}", profile.display()));
        }
    }
}

/// A coverage report as lines: the terms the one page shows, those only
/// the long form shows (and what dropped them), and those the CV never
/// mentions, each most used first.
pub(super) fn coverage_lines(coverage: &crate::posting::Coverage) -> Vec<String> {
    let listed = |place: &str| -> Vec<String> {
        coverage
            .terms
            .iter()
            .filter(|t| t.place == place)
            .map(|t| format!("{} ({})", t.term, t.count))
            .collect()
    };
    let mut lines = vec![format!(
        "the job posting's {} terms, each with how often the posting uses it",
        coverage.terms.len()
    )];
    let (page, long, missing) = (listed("one_page"), listed("long_form"), listed("missing"));
    if coverage.one_page {
        lines.push(format!("  on the one page: {}", or_none(&page)));
        lines.push(format!("  only in the long form: {}", or_none(&long)));
        for term in coverage.terms.iter().filter(|t| !t.dropped_by.is_empty()) {
            lines.push(format!("    {}: {}", term.term, term.dropped_by.join("; ")));
        }
    } else {
        lines.push(format!("  in the CV: {}", or_none(&long)));
    }
    lines.push(format!("  not in the CV: {}", or_none(&missing)));
    lines
}

fn or_none(terms: &[String]) -> String {
    if terms.is_empty() {
        "none".to_owned()
    } else {
        terms.join(", ")
    }
}
