//! The corpus crates pass their own tests: `cargo test --all-features` (the mock's tests,
//! every served answer decodes, every operation is reached, and every doc example
//! compiles) of the crates generated from the real-world specs of `tests/corpus/`, built
//! in one nested workspace with the shared nested target dir of `compile.rs`.
//!
//! CI runs a fixed sample: every spec of `tests/corpus/` whose crate has fewer than
//! [`SAMPLE_MAX_LINES`] lines in the checked-in census (`tests/corpus/CENSUS.md`), since
//! compiling them all takes too long; the crates of `tests/specs/` (OpenAI's included)
//! are tested by `compile.rs`. `CORPUS_CRATES=all` takes every spec that renders, which
//! `bench/run corpus-tests` does; `CORPUS_CRATES=box,sendgrid` takes the specs so named.

mod common;

use common::corpus::{read_spec, Entry, CORPUS};
use openapi_rustgen::Settings;
use std::collections::BTreeMap;

/// Crates up to this size (lines of generated code, as the census counts them) are in
/// the CI sample.
const SAMPLE_MAX_LINES: usize = 20_000;

/// The census' lines per spec that rendered (`None` for those that did not).
fn census_lines() -> BTreeMap<String, Option<usize>> {
    let census = std::fs::read_to_string("tests/corpus/CENSUS.md").expect("read the census");
    census
        .lines()
        .skip_while(|line| !line.starts_with("## Per spec"))
        .take_while(|line| !line.starts_with("## Warning kinds"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // `| spec | outcome | operations | types | lines | ...`
            let (name, outcome, lines) = (cells.get(1)?, cells.get(2)?, cells.get(5)?);
            let lines = lines.parse::<usize>().ok()?;
            Some((name.to_string(), (*outcome == "ok").then_some(lines)))
        })
        .collect()
}

/// Which specs' crates to test.
enum Choice {
    /// The CI sample: corpus specs whose crates are small.
    Sample,
    /// Every spec that renders.
    All,
    /// The specs of these census names (`CORPUS_CRATES=box,sendgrid`), to rerun a few.
    Named(Vec<String>),
}

/// The specs that render, as chosen.
fn specs(choice: &Choice) -> Vec<&'static Entry> {
    let census = census_lines();
    let chosen: Vec<_> = CORPUS
        .iter()
        .filter(|entry| {
            let lines = census
                .get(entry.name)
                .unwrap_or_else(|| panic!("{} is not in the census", entry.name));
            match (lines, choice) {
                (None, _) => false,
                (Some(_), Choice::All) => true,
                (Some(_), Choice::Named(names)) => names.iter().any(|n| n == entry.name),
                (Some(lines), Choice::Sample) => {
                    entry.path.starts_with("tests/corpus/") && *lines < SAMPLE_MAX_LINES
                }
            }
        })
        .collect();
    if let Choice::Named(names) = choice {
        assert_eq!(
            chosen.len(),
            names.len(),
            "CORPUS_CRATES names specs that are not in the census or do not render: {names:?}"
        );
    }
    chosen
}

#[test]
fn corpus_crates_pass_their_own_tests() {
    let choice = match std::env::var("CORPUS_CRATES") {
        Ok(value) if value == "all" => Choice::All,
        Ok(value) => Choice::Named(value.split(',').map(str::to_owned).collect()),
        Err(_) => Choice::Sample,
    };
    let chosen = specs(&choice);
    let workspace = common::scratch(match choice {
        Choice::Sample => "corpus-crates",
        Choice::All => "corpus-crates-all",
        Choice::Named(_) => "corpus-crates-named",
    });
    let mut members = Vec::new();
    for entry in &chosen {
        let member = format!(
            "corpus-{}",
            entry.name.replace(" + ", "-").replace(['.', ' '], "-")
        );
        let (spec_path, bytes) =
            read_spec(entry.path).unwrap_or_else(|e| panic!("{}: {e}", entry.path));
        // A gzipped spec is written out decompressed; the others are read where they
        // are, so their relative `$ref`s resolve.
        let spec = if entry.path.ends_with(".gz") {
            let file_name = std::path::Path::new(&spec_path)
                .file_name()
                .expect("a file name");
            let copy = workspace.join("specs").join(file_name);
            std::fs::create_dir_all(workspace.join("specs")).unwrap();
            std::fs::write(&copy, &bytes).unwrap();
            copy
        } else {
            spec_path.into()
        };
        let settings = Settings::new(&spec, workspace.join(&member)).crate_name(&member);
        let settings = match entry.overlay {
            Some(overlay) => settings.overlay(overlay),
            None => settings,
        };
        settings
            .generate()
            .unwrap_or_else(|e| panic!("{}: {e}", entry.name));
        members.push(member);
    }
    common::write_workspace(&workspace, &members);

    let output = common::nested_cargo(
        &workspace,
        &[
            "test",
            "--workspace",
            "--all-features",
            "--no-fail-fast",
            "--quiet",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "a corpus crate's own tests fail:\n{stdout}\n{stderr}"
    );
    // Each crate's library tests ran (a run that found none would also succeed).
    let library_runs = stdout
        .lines()
        .filter(|line| line.starts_with("test result: ok") && !line.contains(" 0 passed"))
        .count();
    assert!(
        library_runs >= members.len(),
        "{library_runs} runs with tests for {} crates:\n{stdout}",
        members.len()
    );
}

/// The CI sample is the one the docs describe: every small and medium `tests/corpus/`
/// crate that renders, none of `tests/specs/`.
#[test]
fn the_ci_sample_is_the_small_and_medium_corpus_crates() {
    let names: Vec<&str> = specs(&Choice::Sample)
        .iter()
        .map(|entry| entry.name)
        .collect();
    assert!(names.contains(&"adyen-balance-control-v1"), "{names:?}");
    assert!(names.contains(&"kubernetes-batch-v1"), "{names:?}");
    for big_or_elsewhere in ["digitalocean", "openai", "spree-store", "petstore-expanded"] {
        assert!(!names.contains(&big_or_elsewhere), "{names:?}");
    }
    // The full set adds the big ones and those of `tests/specs/`.
    let everything: Vec<&str> = specs(&Choice::All).iter().map(|entry| entry.name).collect();
    for name in ["digitalocean", "openai", "petstore-expanded"] {
        assert!(everything.contains(&name), "{everything:?}");
    }
    assert!(!everything.contains(&"spree-store"), "it does not render");
}
