//! The generator's error type: every failure names the file and where in it.

use crate::ir::Diagnostic;
use std::path::PathBuf;

/// Why generation (or a check) failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: cannot read the spec: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    /// The file is not YAML/JSON at all, or is not an OpenAPI 3.x document.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// The document parsed but does not match what OpenAPI allows at `pointer`.
    #[error("{}: at {pointer}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        pointer: String,
        message: String,
    },

    /// Problems found while lowering, all reported together.
    #[error("{}: {} problem(s) in the spec:\n{}", path.display(), diagnostics.len(), list(diagnostics))]
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

    /// `check` found files that differ from what the spec generates.
    #[error("{} generated file(s) are not up to date; run `{command}`:\n{}", files.len(), files.iter().map(|f| format!("  {}", f.display())).collect::<Vec<_>>().join("\n"))]
    Stale {
        files: Vec<PathBuf>,
        command: String,
    },
}

fn list(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
