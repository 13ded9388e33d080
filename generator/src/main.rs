//! The `openapi-rustgen` command line: `generate` and `check`, thin wrappers over
//! [`openapi_rustgen::Settings`].

use clap::{Args, Parser, Subcommand};
use openapi_rustgen::DateTimeType;
use openapi_rustgen::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "openapi-rustgen",
    version,
    about = "Generate a typed async Rust client crate from an OpenAPI 3 document"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the client crate, writing only files whose contents changed.
    Generate(Common),
    /// Exit 0 when the crate on disk is what `generate` would write; otherwise name each
    /// stale file and exit 1. Writes nothing.
    Check(Common),
}

/// `--date-time` values.
#[derive(Clone, Copy, clap::ValueEnum)]
enum DateTimeArg {
    /// `String`, no dependency.
    String,
    /// `jiff::Timestamp` and `jiff::civil::Date`.
    Jiff,
}

#[derive(Args)]
struct Common {
    /// The OpenAPI document (YAML or JSON).
    #[arg(long, value_name = "PATH")]
    spec: PathBuf,
    /// The crate folder to write (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// An OpenAPI Overlay 1.0 document to apply to the spec first; repeat the flag for
    /// more, which apply in the order given.
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,
    /// Crate name (default: the spec's `x-rust-client.crate-name`, else its title).
    #[arg(long)]
    crate_name: Option<String>,
    /// How `format: date-time` and `date` strings are typed (default: the spec's
    /// `x-rust-client.date-time`, else `string`).
    #[arg(long, value_enum, value_name = "TYPE")]
    date_time: Option<DateTimeArg>,
    /// Print the time spent in each phase.
    #[arg(long)]
    timings: bool,
}

impl Common {
    fn settings(&self) -> Settings {
        let mut settings = Settings::new(&self.spec, &self.out);
        for overlay in &self.overlays {
            settings = settings.overlay(overlay);
        }
        if let Some(name) = &self.crate_name {
            settings = settings.crate_name(name);
        }
        if let Some(choice) = self.date_time {
            settings = settings.date_time_type(match choice {
                DateTimeArg::String => DateTimeType::String,
                DateTimeArg::Jiff => DateTimeType::Jiff,
            });
        }
        settings
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (common, result) = match &cli.command {
        Command::Generate(common) => (common, common.settings().generate()),
        Command::Check(common) => (common, common.settings().check()),
    };
    match result {
        Ok(report) => {
            for warning in &report.warnings {
                eprintln!("warning: {}", warning.render(&common.spec));
            }
            eprintln!(
                "{} operation(s), {} type(s), {} line(s): {} file(s) written, {} unchanged, {} removed",
                report.stats.operations,
                report.stats.types,
                report.lines,
                report.files.written.len(),
                report.files.unchanged.len(),
                report.files.removed.len()
            );
            if common.timings {
                let t = &report.timings;
                eprintln!(
                    "timings: load {:?}, lower {:?}, emit {:?}, format {:?}, write {:?}",
                    t.load, t.lower, t.emit, t.format, t.write
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
