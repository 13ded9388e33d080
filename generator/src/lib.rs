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
//! ARCHITECTURE.md at the repository root. Everything before `write` runs on one thread
//! with a large stack ([`limits::PIPELINE_STACK_BYTES`]); every problem of the spec is
//! a [`Diagnostic`] placed at `file:line:col` when its phase ends.

// Only `Settings` and the types its calls return are the API; every phase is private,
// so the compiler reports code no phase uses.
mod bundle;
mod diagnostics;
mod emit;
mod error;
mod escape;
mod examples;
mod format;
mod ir;
mod json;
pub mod limits;
mod load;
mod lower;
mod naming;
mod normalize;
mod overlay;
mod pointer;
mod source;
mod write;
mod yaml;

pub use diagnostics::{Diagnostic, Location, Severity};
pub use emit::{FileKind, GeneratedFile};
pub use error::{Error, Result};
pub use ir::DateTimeType;
pub use ir::Stats;
pub use write::WriteReport;

/// Parses YAML or JSON text into a JSON tree the way the generator reads specs (for
/// tests that mutate specs as trees).
#[doc(hidden)]
pub use load::parse_document;

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
    overlays: Vec<PathBuf>,
    ref_root: Option<PathBuf>,
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
    /// The files the spec references besides itself (named relative to it as given),
    /// so a build script can `cargo:rerun-if-changed` each.
    pub inputs: Vec<PathBuf>,
}

/// The generated files, in memory, before anything touches the disk.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub files: Vec<emit::GeneratedFile>,
    pub warnings: Vec<Diagnostic>,
    pub stats: ir::Stats,
    pub timings: Timings,
    /// See [`Report::inputs`].
    pub inputs: Vec<PathBuf>,
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
            overlays: Vec::new(),
            ref_root: None,
        }
    }

    /// Applies the OpenAPI Overlay 1.0 document at `path` to the spec before anything
    /// reads it; call again for more, which apply in the order added. A build script
    /// must name each one (see [`Settings::overlay_paths`]) with
    /// `cargo:rerun-if-changed`, as it names the spec.
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// The overlays, in the order they apply: inputs a build script reruns on.
    pub fn overlay_paths(&self) -> &[PathBuf] {
        &self.overlays
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

    /// Lets the spec's `$ref`s name files anywhere under `root` (a folder that holds the
    /// spec's folder, say a shared `common/` beside it); by default only files under
    /// the spec's own folder are read.
    pub fn allow_refs_under(mut self, root: impl Into<PathBuf>) -> Self {
        self.ref_root = Some(root.into());
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
            let overlays: String = self
                .overlays
                .iter()
                .map(|overlay| {
                    format!(
                        " --overlay {}",
                        write::shell_word(&write::header_path(overlay, &self.out_dir))
                    )
                })
                .collect();
            format!(
                "openapi-rustgen generate --spec {}{overlays} --out {}",
                write::shell_word(&self.label()),
                write::shell_word(&write::header_path(&self.out_dir, &self.out_dir))
            )
        })
    }

    /// Loads, lowers and emits, without writing anything.
    pub fn render(&self) -> Result<Rendered> {
        self.on_pipeline_thread(|| {
            let started = Instant::now();
            let overlays = self.read_overlays()?;
            let spec = load::load(&self.spec, self.ref_root.as_deref(), &overlays)?;
            self.render_loaded(spec, started)
        })
    }

    /// Like [`Settings::render`], from spec bytes already in memory (`self.spec` only
    /// names them in messages).
    pub fn render_bytes(&self, bytes: &[u8]) -> Result<Rendered> {
        self.on_pipeline_thread(|| {
            let started = Instant::now();
            let overlays = self.read_overlays()?;
            let spec = load::parse_with(&self.spec, bytes, self.ref_root.as_deref(), &overlays)?;
            self.render_loaded(spec, started)
        })
    }

    fn read_overlays(&self) -> Result<Vec<overlay::Overlay>> {
        self.overlays
            .iter()
            .map(|path| overlay::read(path))
            .collect()
    }

    /// Runs `pipeline` on a thread with [`limits::PIPELINE_STACK_BYTES`] of stack, so the
    /// recursive phases cannot overflow on any document within [`limits::MAX_DEPTH`];
    /// a panic there (a generator bug) becomes [`Error::Internal`] instead of taking the
    /// caller (a build script, an IDE) down with it.
    fn on_pipeline_thread<T: Send>(
        &self,
        pipeline: impl FnOnce() -> Result<T> + Send,
    ) -> Result<T> {
        let internal = |message: String| Error::Internal {
            path: self.spec.clone(),
            message,
        };
        std::thread::scope(|scope| {
            let thread = std::thread::Builder::new()
                .name("openapi-rustgen".to_string())
                .stack_size(limits::PIPELINE_STACK_BYTES)
                .spawn_scoped(scope, pipeline)
                .map_err(|e| internal(format!("cannot start the generator thread: {e}")))?;
            thread.join().unwrap_or_else(|panic| {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic without a message".to_string());
                Err(internal(message))
            })
        })
    }

    fn render_loaded(&self, spec: load::LoadedSpec, started: Instant) -> Result<Rendered> {
        let openapi = &spec.openapi;
        let mut timings = Timings {
            load: started.elapsed(),
            ..Timings::default()
        };
        let phase = Instant::now();
        // The phase boundary: load's warnings and lower's findings, placed in the text
        // together.
        let mut diagnostics = diagnostics::Diagnostics {
            warnings: spec.warnings.clone(),
            errors: Vec::new(),
        };
        // Lowering reads the normalized document; its pointers are given the source's
        // indices back (normalize's own warnings already have them).
        let from_source = |d: &Diagnostic| Diagnostic {
            pointer: spec.moves.to_source(&d.pointer),
            ..d.clone()
        };
        let lowered = match lower::lower(openapi, &self.overrides) {
            Ok(lowered) => {
                diagnostics
                    .warnings
                    .extend(lowered.warnings.iter().map(from_source));
                spec.origins.place(&mut diagnostics);
                diagnostics.locate(&spec.source);
                timings.lower = phase.elapsed();
                lowered
            }
            Err(errors) => {
                diagnostics.errors = errors.iter().map(from_source).collect();
                spec.origins.place(&mut diagnostics);
                diagnostics.locate(&spec.source);
                return Err(Error::Unsupported {
                    path: self.spec.clone(),
                    diagnostics: diagnostics.errors,
                });
            }
        };

        // The document, its source map and the overlay origins are done with once the
        // diagnostics are placed; freeing them before emission lowers the peak memory.
        let inputs = spec.files;
        drop(spec.openapi);
        drop(spec.source);
        drop(spec.moves);
        drop(spec.origins);
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
        Ok(Rendered {
            files,
            warnings: diagnostics.warnings,
            stats: lowered.api.stats(),
            timings,
            inputs,
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
            inputs: rendered.inputs,
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
            inputs: rendered.inputs,
        })
    }
}

fn count_lines(files: &[emit::GeneratedFile]) -> usize {
    files.iter().map(|f| f.contents.lines().count()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_the_pipeline_is_an_internal_error() {
        let settings = Settings::new("spec.yaml", "out");
        let result: Result<()> = settings.on_pipeline_thread(|| panic!("lowering went wrong"));
        match result {
            Err(Error::Internal { path, message }) => {
                assert_eq!(path, Path::new("spec.yaml"));
                assert_eq!(message, "lowering went wrong");
            }
            other => panic!("expected Error::Internal, got {other:?}"),
        }
    }

    #[test]
    fn the_pipeline_thread_has_the_large_stack() {
        // Recursion that needs ~64 MiB: far past a default 8 MiB main or 2 MiB thread.
        fn deep(level: usize) -> usize {
            let frame = std::hint::black_box([1u8; 4096]);
            if level == 0 {
                0
            } else {
                deep(level - 1) + usize::from(frame[level % 4096])
            }
        }
        let settings = Settings::new("spec.yaml", "out");
        let result = settings.on_pipeline_thread(|| Ok(deep(16_000)));
        assert_eq!(result.ok(), Some(16_000));
    }
}
