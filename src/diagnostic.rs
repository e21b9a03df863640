//! Diagnostics about a user's files: severity, message, where, and hints,
//! printed the way Typst prints its own (`file:line:col`, the source line,
//! a caret under the problem), in colour on a terminal.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use codespan_reporting::diagnostic::{Diagnostic as Codespan, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{
    self,
    termcolor::{Buffer, WriteColor},
};
use regex::Regex;

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

/// The diagnostics of one file, in the order they appear in it.
#[derive(Debug)]
pub struct Report {
    pub path: PathBuf,
    /// The file's text, to quote the lines problems are on.
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn new(path: &Path, source: String, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| d.span.as_ref().map_or(0, |span| span.start));
        Self {
            path: path.to_owned(),
            source,
            diagnostics,
        }
    }

    /// The diagnostics as text: a header line each, then the source line
    /// with a caret, then hints; with terminal colours if `color`.
    pub fn render(&self, color: bool) -> String {
        let mut out = if color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        emit(&mut out, &self.path, &self.source, &self.diagnostics);
        String::from_utf8_lossy(out.as_slice())
            .trim_end()
            .to_owned()
    }
}

fn emit(out: &mut dyn WriteColor, path: &Path, source: &str, diagnostics: &[Diagnostic]) {
    let file = SimpleFile::new(path.display().to_string(), source);
    let config = term::Config {
        tab_width: 2,
        ..Default::default()
    };
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
                let (line, column) = line_column(source, span.start);
                codespan.message =
                    format!("{}:{line}:{column}: {}", path.display(), diagnostic.message);
            }
            Some(span) => codespan = codespan.with_labels(vec![Label::primary((), span)]),
            None => {
                // No place in the file: name the file on the message line.
                codespan.message = format!("{}: {}", path.display(), diagnostic.message);
            }
        }
        if term::emit(out, &config, &file, &codespan).is_err() {
            // Only a message the renderer cannot lay out gets here: say it
            // plainly rather than not at all.
            let _ = writeln!(out, "{}: {}", path.display(), diagnostic.message);
        }
    }
}

/// Text that may carry terminal colours (Typst's rendered diagnostics):
/// shown as it is on a terminal, without the colour codes anywhere else.
#[derive(Debug, Clone, PartialEq)]
pub struct Styled(String);

static ANSI_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("\x1b\\[[0-9;]*m").unwrap_or_else(|_| unreachable!("valid pattern"))
});

impl Styled {
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The text with its colours, for a terminal.
    pub fn ansi(&self) -> &str {
        &self.0
    }

    /// The text without colour codes.
    pub fn plain(&self) -> String {
        ANSI_CODE.replace_all(&self.0, "").into_owned()
    }
}

impl fmt::Display for Styled {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
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
        let text =
            Report::new(Path::new("in/a.toml"), source.into(), vec![diagnostic]).render(false);
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
