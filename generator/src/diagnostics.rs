//! The one diagnostics sink of every phase (load, normalize, lower): a problem is a
//! severity, a JSON pointer, a message and, once the phase boundary resolves it against
//! the source, a `file:line:col` with the offending line, rendered the way rustc shows
//! code.

use crate::source::SourceMap;
use std::ops::Range;
use std::path::Path;

/// Whether a problem stops generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something was approximated; the crate is still generated.
    Warning,
    /// Generation stops; every error of the phase is reported together.
    Error,
}

/// Where a problem is in the spec's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The whole source line, without its line break.
    pub source_line: String,
    /// The bytes of `source_line` to underline (never empty, unless the line is).
    pub span: Range<usize>,
}

/// One warning or error about the spec.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON pointer into the spec (`""` is the whole document).
    pub pointer: String,
    pub message: String,
    /// Filled in at the phase boundary; `None` when the pointer names no node of the
    /// text (or the problem concerns the file as a whole).
    pub location: Option<Location>,
}

impl Diagnostic {
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            pointer: pointer.into(),
            message: message.into(),
            location: None,
        }
    }

    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            ..Self::warning(pointer, message)
        }
    }

    /// The same problem, placed at `location`.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// `file:line:col: message`, then the source line with the place underlined and the
    /// JSON pointer as a note:
    ///
    /// ```text
    /// spec.yaml:3:7: duplicate key `title`
    ///   |
    /// 3 |   title: u
    ///   |   ^^^^^
    ///   |
    ///   = at /info/title
    /// ```
    pub fn render(&self, path: &Path) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let path = path.display();
        let Some(location) = &self.location else {
            return format!("{path}: {self}");
        };
        let level = match self.severity {
            Severity::Warning => Level::WARNING,
            Severity::Error => Level::ERROR,
        };
        let mut group = Group::with_level(level.clone()).element(
            Snippet::source(location.source_line.as_str())
                .line_start(location.line)
                .annotation(AnnotationKind::Primary.span(location.span.clone())),
        );
        if !self.pointer.is_empty() {
            let note = format!("at {}", self.pointer);
            group = group.element(level.no_name().message(note));
        }
        let snippet = Renderer::plain().render(&[group]);
        format!(
            "{path}:{}:{}: {}\n{snippet}",
            location.line, location.column, self.message
        )
    }
}

/// The pointer and the message, without the place in the text: the form snapshots and
/// logs compare, stable when unrelated lines move.
impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at {}: {}", self.pointer, self.message)
        }
    }
}

/// Everything the phases found, split by severity so a phase can ask "any errors?".
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub warnings: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic::warning(pointer, message));
    }

    pub fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(Diagnostic::error(pointer, message));
    }

    /// Resolves every pointer against the text the spec was loaded from.
    pub fn locate(&mut self, source: &SourceMap) {
        for diagnostic in self.warnings.iter_mut().chain(self.errors.iter_mut()) {
            if diagnostic.location.is_none() {
                diagnostic.location = source.locate(&diagnostic.pointer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn located_rendering_shows_the_line_and_the_pointer() {
        let diagnostic =
            Diagnostic::error("/info/title", "duplicate key `title`").at(Some(Location {
                line: 5,
                column: 3,
                source_line: "  title: u".to_string(),
                span: 2..7,
            }));
        let text = diagnostic.render(Path::new("spec.yaml"));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "spec.yaml:5:3: duplicate key `title`");
        assert!(
            lines.iter().any(|l| l.ends_with("5 |   title: u")),
            "{text}"
        );
        assert!(lines.iter().any(|l| l.ends_with("|   ^^^^^")), "{text}");
        assert!(
            lines
                .last()
                .is_some_and(|l| l.ends_with("= at /info/title")),
            "{text}"
        );
    }

    #[test]
    fn unlocated_rendering_keeps_the_pointer() {
        let diagnostic = Diagnostic::warning("/a", "approximated");
        assert_eq!(
            diagnostic.render(Path::new("s.yaml")),
            "s.yaml: at /a: approximated"
        );
    }
}
