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
