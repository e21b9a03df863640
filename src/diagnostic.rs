//! Diagnostics about a user's files: severity, message, where, and hints,
//! printed the way Typst prints its own (`file:line:col`, the source line,
//! a caret under the problem).

use std::ops::Range;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as Codespan, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::NoColor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Byte range in the file, when the problem has a place.
    pub span: Option<Range<usize>>,
    /// Ways out: "did you mean ...", the allowed values.
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            span,
            hints: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Self {
            severity: Severity::Warning,
            message: message.into(),
            span,
            hints: Vec::new(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Renders diagnostics of one file as text: a header line per diagnostic,
/// then the source line with a caret, then hints.
pub fn render(path: &Path, source: &str, diagnostics: &[Diagnostic]) -> String {
    let file = SimpleFile::new(path.display().to_string(), source);
    let config = term::Config {
        tab_width: 2,
        ..Default::default()
    };
    let mut out = NoColor::new(Vec::new());
    for diagnostic in diagnostics {
        let base = match diagnostic.severity {
            Severity::Error => Codespan::error(),
            Severity::Warning => Codespan::warning(),
        };
        let mut codespan = base.with_message(&diagnostic.message).with_notes(
            diagnostic
                .hints
                .iter()
                .map(|h| format!("hint: {h}"))
                .collect(),
        );
        match diagnostic
            .span
            .clone()
            .filter(|span| span.end <= source.len() && source.is_char_boundary(span.start))
        {
            // A line too long to show (a huge string, generated junk): name
            // the place without quoting it.
            Some(span) if line_length(source, span.start) > MAX_SHOWN_LINE => {
                let (line, column) = crate::profile::line_column(source, span.start);
                codespan.message =
                    format!("{}:{line}:{column}: {}", path.display(), diagnostic.message);
            }
            Some(span) => codespan = codespan.with_labels(vec![Label::primary((), span)]),
            None => {
                // No place in the file: name the file on the message line.
                codespan.message = format!("{}: {}", path.display(), diagnostic.message);
            }
        }
        if term::emit(&mut out, &config, &file, &codespan).is_err() {
            return diagnostics
                .iter()
                .map(|d| format!("{}: {}\n", path.display(), d.message))
                .collect();
        }
    }
    String::from_utf8_lossy(out.get_ref()).trim_end().to_owned()
}

/// Source lines longer than this are not quoted in diagnostics.
const MAX_SHOWN_LINE: usize = 300;

/// The length of the line holding byte `at`.
fn line_length(source: &str, at: usize) -> usize {
    let start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    end - start
}

/// The closest of `candidates` to a misspelt `word`, if one is close.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_and_a_caret() {
        let source = "[basics]\ntitel = \"x\"\n";
        let diagnostic =
            Diagnostic::error("unknown field `titel`", Some(9..14)).hint("did you mean `title`?");
        let text = render(Path::new("in/a.toml"), source, &[diagnostic]);
        assert!(text.starts_with("error: unknown field `titel`\n"), "{text}");
        assert!(text.contains("in/a.toml:2:1"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("= hint: did you mean `title`?"), "{text}");
    }

    #[test]
    fn suggests_only_close_words() {
        assert_eq!(
            did_you_mean("titel", ["kind", "title", "subtitle"]),
            Some("title")
        );
        assert_eq!(did_you_mean("zzz", ["kind", "title"]), None);
    }
}
