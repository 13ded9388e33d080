//! The generator's error type: every failure names the file, and every problem with the
//! spec names its line and column and shows the line.

use crate::diagnostics::Diagnostic;
use std::path::PathBuf;

/// Why generation (or a check) failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read the spec: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{}: cannot read the overlay: {source}", path.display())]
    ReadOverlay {
        path: PathBuf,
        source: std::io::Error,
    },

    /// The file is not YAML/JSON at all, breaks one of the [`crate::limits`], or is not
    /// an OpenAPI 3.x document.
    #[error("{}", diagnostic.render(path))]
    Syntax {
        path: PathBuf,
        diagnostic: Box<Diagnostic>,
    },

    /// The document parsed but does not match what OpenAPI allows at the diagnostic's
    /// pointer.
    #[error("{}", diagnostic.render(path))]
    Invalid {
        path: PathBuf,
        diagnostic: Box<Diagnostic>,
    },

    /// Problems found while lowering, all reported together.
    #[error("{}: {} problem(s) in the spec:\n{}", path.display(), diagnostics.len(), list(path, diagnostics))]
    Unsupported {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },

    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    /// Emitted code did not parse as Rust: a generator bug, reported with the file.
    #[error("internal error: generated {file} is not valid Rust: {message}")]
    InvalidOutput { file: String, message: String },

    /// The generator panicked on this spec: a generator bug, reported instead of an
    /// abort.
    #[error("{}: internal error while generating (please report it with the spec): {message}", path.display())]
    Internal { path: PathBuf, message: String },

    /// `check` found files that differ from what the spec generates.
    #[error("{} generated file(s) are not up to date; run `{command}`:\n{}", files.len(), files.iter().map(|f| format!("  {}", f.display())).collect::<Vec<_>>().join("\n"))]
    Stale {
        files: Vec<PathBuf>,
        command: String,
    },
}

fn list(path: &std::path::Path, diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.render(path))
        .collect::<Vec<_>>()
        .join("\n")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
