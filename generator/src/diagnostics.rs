//! The one diagnostics sink of every phase (load, normalize, lower): a problem is a
//! severity, a JSON pointer, a message and, once the phase boundary resolves it against
//! the source, a `file:line:col` with the offending line, rendered the way rustc shows
//! code.

use crate::source::SourceMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

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

impl Location {
    /// How many characters of the line to keep on either side of the span.
    const CONTEXT: usize = 80;

    /// A location whose source line is `line_text` cut to [`Location::CONTEXT`] bytes
    /// around `span` (at char boundaries, marked `...`), so a one-line minified spec
    /// does not copy megabytes into every diagnostic.
    pub fn new(line: usize, column: usize, line_text: &str, span: Range<usize>) -> Self {
        let len = line_text.len();
        let start = floor_char_boundary(line_text, span.start.min(len));
        let end = floor_char_boundary(
            line_text,
            span.end.clamp(start, len).min(start + Self::CONTEXT),
        );
        let from = floor_char_boundary(line_text, start.saturating_sub(Self::CONTEXT));
        let to = ceil_char_boundary(line_text, (end + Self::CONTEXT).min(len));
        let prefix = if from > 0 { "..." } else { "" };
        let suffix = if to < len { "..." } else { "" };
        let shift = prefix.len();
        Self {
            line,
            column,
            source_line: format!("{prefix}{}{suffix}", &line_text[from..to]),
            span: start - from + shift..end - from + shift,
        }
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
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
    /// The file the problem is in when it is not the spec (an overlay); `render` names
    /// it instead of the path it is given. Boxed to keep `Result<_, Diagnostic>` small.
    pub file: Option<Box<PathBuf>>,
}

impl Diagnostic {
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            pointer: pointer.into(),
            message: message.into(),
            location: None,
            file: None,
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

    /// The same problem, in `file` rather than the spec.
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(Box::new(file.to_path_buf()));
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
        let path = self
            .file
            .as_deref()
            .map_or(path, PathBuf::as_path)
            .display();
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

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}\"é\": 1{}", "x".repeat(500), "y".repeat(500));
        let location = Location::new(1, 501, &line, 500..504);
        assert_eq!(&location.source_line[location.span.clone()], "\"é\"");
        assert!(
            location.source_line.starts_with("...x"),
            "{}",
            location.source_line
        );
        assert!(
            location.source_line.ends_with("y..."),
            "{}",
            location.source_line
        );
        assert!(
            location.source_line.len() < 200,
            "{}",
            location.source_line.len()
        );
        let short = Location::new(2, 3, "  title: u", 2..7);
        assert_eq!(
            (short.source_line.as_str(), short.span),
            ("  title: u", 2..7)
        );
    }
}
