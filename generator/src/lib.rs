//! Generates a typed async Rust client crate from an OpenAPI 3 document.
//!
//! The whole API is [`Settings`] plus one call:
//!
//! ```no_run
//! let report = openapi_rustgen::Settings::new("spec/openapi.yaml", "generated").generate()?;
//! eprintln!("{} file(s) written", report.files.written.len());
//! # Ok::<(), openapi_rustgen::Error>(())
//! ```
//!
//! The pipeline is `load` (YAML → `openapiv3`) → `lower` (→ our IR) → `emit`
//! (IR → tokens → formatted source) → `write` (only files whose bytes changed). See
//! ARCHITECTURE.md at the repository root.

pub mod emit;
pub mod error;
mod escape;
mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalize;
pub mod write;

pub use error::{Error, Result};
pub use ir::Diagnostic;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to generate, from where, to where.
#[derive(Debug, Clone)]
pub struct Settings {
    spec: PathBuf,
    out_dir: PathBuf,
    spec_label: Option<String>,
    command: Option<String>,
    overrides: lower::ClientOverrides,
}

/// Time spent in each phase of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings {
    pub load: Duration,
    pub lower: Duration,
    /// IR → token streams (and the non-Rust files), without formatting. Items of large
    /// files are quoted on the formatting workers; their share of that wall time is here.
    pub emit: Duration,
    /// Token streams → formatted source text (`syn` + prettyplease).
    pub format: Duration,
    pub write: Duration,
}

/// What one run produced.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: write::WriteReport,
    pub warnings: Vec<Diagnostic>,
    pub stats: ir::Stats,
    /// Lines of generated source across all files.
    pub lines: usize,
    pub timings: Timings,
}

/// The generated files, in memory, before anything touches the disk.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub files: Vec<emit::GeneratedFile>,
    pub warnings: Vec<Diagnostic>,
    pub stats: ir::Stats,
    pub timings: Timings,
}

impl Settings {
    /// Generate from the spec at `spec` into the crate folder `out_dir`.
    pub fn new(spec: impl Into<PathBuf>, out_dir: impl Into<PathBuf>) -> Self {
        Self {
            spec: spec.into(),
            out_dir: out_dir.into(),
            spec_label: None,
            command: None,
            overrides: lower::ClientOverrides::default(),
        }
    }

    /// How the header of each file names the spec (default: the path, shown by the rule
    /// of [`write::header_path`], which is the same on every machine).
    pub fn spec_label(mut self, label: impl Into<String>) -> Self {
        self.spec_label = Some(label.into());
        self
    }

    /// The command the header tells readers to run to regenerate.
    pub fn regenerate_command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }

    /// Overrides the crate name (default: `x-rust-client.crate-name`, else the title).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.overrides.crate_name = Some(name.into());
        self
    }

    /// Overrides the environment variable that holds the API key.
    pub fn api_key_env(mut self, name: impl Into<String>) -> Self {
        self.overrides.api_key_env = Some(name.into());
        self
    }

    /// Overrides the environment variable that overrides the base URL.
    pub fn base_url_env(mut self, name: impl Into<String>) -> Self {
        self.overrides.base_url_env = Some(name.into());
        self
    }

    /// How `format: date-time` and `format: date` strings are typed: `String` (the
    /// default) or `jiff` types. Wins over the spec's `x-rust-client: {date-time: ...}`.
    pub fn date_time_type(mut self, choice: ir::DateTimeType) -> Self {
        self.overrides.date_time = Some(choice);
        self
    }

    pub fn spec_path(&self) -> &Path {
        &self.spec
    }

    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The spec as headers name it; paths follow [`write::header_path`], so
    /// `./x.yaml` and `x.yaml` give the same bytes, and absolute paths do not leak.
    fn label(&self) -> String {
        self.spec_label
            .clone()
            .unwrap_or_else(|| write::header_path(&self.spec, &self.out_dir))
    }

    fn command(&self) -> String {
        self.command.clone().unwrap_or_else(|| {
            format!(
                "openapi-rustgen generate --spec {} --out {}",
                write::shell_word(&self.label()),
                write::shell_word(&write::header_path(&self.out_dir, &self.out_dir))
            )
        })
    }

    /// Loads, lowers and emits, without writing anything.
    pub fn render(&self) -> Result<Rendered> {
        let started = Instant::now();
        let spec = load::load(&self.spec)?;
        self.render_loaded(spec, started)
    }

    /// Like [`Settings::render`], from spec bytes already in memory (`self.spec` only
    /// names them in messages).
    pub fn render_bytes(&self, bytes: &[u8]) -> Result<Rendered> {
        let started = Instant::now();
        let spec = load::parse(&self.spec, bytes)?;
        self.render_loaded(spec, started)
    }

    fn render_loaded(&self, spec: load::LoadedSpec, started: Instant) -> Result<Rendered> {
        let openapi = &spec.openapi;
        let mut timings = Timings {
            load: started.elapsed(),
            ..Timings::default()
        };
        let phase = Instant::now();
        let lowered =
            lower::lower(openapi, &self.overrides).map_err(|diagnostics| Error::Unsupported {
                path: self.spec.clone(),
                diagnostics,
            })?;
        timings.lower = phase.elapsed();

        let phase = Instant::now();
        let emitted = emit::emit(&lowered.api);
        timings.emit = phase.elapsed();

        let formatted = format::format(emitted)?;
        timings.emit += formatted.emit_time;
        timings.format = formatted.format_time;
        let (label, command) = (self.label(), self.command());
        let files = formatted
            .files
            .into_iter()
            .map(|file| write::with_header(file, &label, &command))
            .collect();
        let mut warnings = spec.warnings;
        warnings.extend(lowered.warnings);
        Ok(Rendered {
            files,
            warnings,
            stats: lowered.api.stats(),
            timings,
        })
    }

    /// Generates the crate and writes the files that changed. Nothing is written when
    /// the spec has an error.
    pub fn generate(&self) -> Result<Report> {
        let rendered = self.render()?;
        let phase = Instant::now();
        let files = write::write(&self.out_dir, &rendered.files)?;
        let mut timings = rendered.timings;
        timings.write = phase.elapsed();
        Ok(Report {
            files,
            lines: count_lines(&rendered.files),
            warnings: rendered.warnings,
            stats: rendered.stats,
            timings,
        })
    }

    /// Succeeds when the files on disk are exactly what [`Settings::generate`] would
    /// write; otherwise [`Error::Stale`] names each file that differs.
    pub fn check(&self) -> Result<Report> {
        let rendered = self.render()?;
        let stale = write::stale(&self.out_dir, &rendered.files)?;
        if !stale.is_empty() {
            return Err(Error::Stale {
                files: stale,
                command: self.command(),
            });
        }
        Ok(Report {
            files: write::WriteReport {
                unchanged: rendered
                    .files
                    .iter()
                    .map(|f| self.out_dir.join(&f.path))
                    .collect(),
                ..write::WriteReport::default()
            },
            lines: count_lines(&rendered.files),
            warnings: rendered.warnings,
            stats: rendered.stats,
            timings: rendered.timings,
        })
    }
}

fn count_lines(files: &[emit::GeneratedFile]) -> usize {
    files.iter().map(|f| f.contents.lines().count()).sum()
}
