//! Diagnostics: problems found in the content, each tied to a file and line.
//!
//! Stages return `Diagnostic`s instead of printing them; `build` and `check` decide
//! whether a warning is fatal (`--strict`, `docask check`).

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The page still renders (a broken link, a missing image).
    Warning,
    /// The build cannot produce a correct site.
    Error,
}

/// One problem in the content, located at `file:line`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the content folder.
    pub file: String,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// Warning or error.
    pub severity: Severity,
    /// What is wrong and, where possible, what to do.
    pub message: String,
}

impl Diagnostic {
    /// An error at `file:line`.
    pub fn error(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Self { file: file.into(), line, severity: Severity::Error, message: message.into() }
    }

    /// A warning at `file:line`.
    pub fn warning(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Self { file: file.into(), line, severity: Severity::Warning, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        if self.line > 0 {
            write!(f, "{kind}: {}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{kind}: {}: {}", self.file, self.message)
        }
    }
}

/// The error a build fails with when the content has errors: every one of them.
#[derive(Debug, thiserror::Error)]
#[error("{}", render_list(.0))]
pub struct ContentErrors(pub Vec<Diagnostic>);

fn render_list(list: &[Diagnostic]) -> String {
    let mut text = format!("the content has {} problem(s):", list.len());
    for d in list {
        text.push_str("\n  ");
        text.push_str(&d.to_string());
    }
    text
}

/// Line number (1-based) of byte `offset` in `text`, counting from `first_line`.
pub fn line_at(text: &str, offset: usize, first_line: usize) -> usize {
    let end = offset.min(text.len());
    first_line + text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count()
}

/// Line numbers of byte offsets of one text, each found in logarithmic time (a page
/// with thousands of links must not be recounted from its top for each one).
pub struct LineStarts {
    starts: Vec<usize>,
    first: usize,
}

impl LineStarts {
    /// The line starts of `text`, whose first line is `first`.
    pub fn new(text: &str, first: usize) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineStarts { starts, first }
    }

    /// The line that byte `offset` is on (the last line for offsets past the end).
    pub fn line_of(&self, offset: usize) -> usize {
        self.first + self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_and_line() {
        let d = Diagnostic::error("a/b.md", 12, "unclosed `{% hint %}`");
        assert_eq!(d.to_string(), "error: a/b.md:12: unclosed `{% hint %}`");
    }

    #[test]
    fn line_at_counts_newlines() {
        assert_eq!(line_at("a\nb\nc", 0, 1), 1);
        assert_eq!(line_at("a\nb\nc", 4, 1), 3);
        assert_eq!(line_at("a\nb", 99, 10), 11);
        let lines = LineStarts::new("a\nb\nc", 1);
        for offset in [0, 1, 2, 4, 99] {
            assert_eq!(lines.line_of(offset), line_at("a\nb\nc", offset, 1), "{offset}");
        }
    }
}
