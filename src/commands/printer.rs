//! Where diagnostics go: standard error, in colour on a terminal (unless
//! `NO_COLOR` is set), above the progress bar while there is one.

use std::io::{IsTerminal, Write};

use indicatif::ProgressBar;

use crate::diagnostic::Styled;
use crate::error::JobError;
use crate::job::Outcome;
use crate::plan::ProfileFailure;

/// Prints to standard error.
pub(crate) struct Printer {
    pub color: bool,
    pub bar: Option<ProgressBar>,
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
    pub fn styled(&self, text: &Styled) {
        if self.color {
            self.line(text.ansi());
        } else {
            self.line(&text.plain());
        }
    }

    /// `error: ` as Typst prints it: red and bold on a terminal.
    pub fn error(&self, message: &str) {
        self.labelled("error", "31", message);
    }

    /// `warning: ` as Typst prints it: yellow and bold on a terminal.
    pub fn warning(&self, message: &str) {
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

    pub fn failure(&self, failure: &ProfileFailure) {
        match failure {
            ProfileFailure::Unreadable(err) => self.error(&err.to_string()),
            ProfileFailure::Invalid(report) => self.line(&report.render(self.color)),
        }
    }

    /// A failed job: the profile, the variant, and why.
    pub fn job_failure(&self, outcome: &Outcome) {
        match outcome {
            Outcome::Failed {
                profile,
                document,
                error,
            } => self.error(&format!(
                "{} ({document}): {}",
                profile.display(),
                match error {
                    JobError::Compile {
                        layout,
                        diagnostics,
                    } if self.color => format!("layout `{layout}` failed\n{}", diagnostics.ansi()),
                    other => other.to_string(),
                }
            )),
            Outcome::Invalid(failure) => self.failure(failure),
            Outcome::Unstamped {
                profile,
                what,
                error,
            } => self.error(&format!(
                "{}: its documents are made, but not {what}: {error}",
                profile.display()
            )),
            Outcome::Made { .. } | Outcome::Unchanged { .. } => {}
        }
    }
}
