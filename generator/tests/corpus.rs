//! The corpus census: renders every real-world spec under `tests/corpus/` (and the listed
//! ones in `tests/specs/`) in memory and compares what happened with `tests/corpus/CENSUS.md`.
//!
//! The report is the checked-in record of how well the generator types real APIs: which specs
//! fail, how many operations and types each yields, and which warnings (above all the
//! `serde_json::Value` fallbacks) come up most. A generator change that alters any of it
//! fails here with a diff; `UPDATE_CENSUS=1 cargo test -p openapi-rustgen --test corpus`
//! rewrites the report so the change is reviewed in `git diff`.

mod common;

use common::corpus::{read_spec, CORPUS};
use openapi_rustgen::{Error, Settings};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const REPORT: &str = "tests/corpus/CENSUS.md";

/// Long enough for the biggest spec in a debug build on a loaded 2-core machine; a spec
/// that takes longer is recorded as timed out rather than stalling the suite.
const SPEC_TIMEOUT: Duration = Duration::from_secs(300);

/// Two workers: CI and the development machine have two cores, and the biggest specs
/// dominate the run time, so more threads would only contend.
const WORKERS: usize = 2;

/// Deep `$ref` chains and nesting recurse in the generator; a roomy stack keeps a deep but
/// valid spec from aborting the whole test process (a stack overflow cannot be caught).
const SPEC_THREAD_STACK: usize = 256 * 1024 * 1024;

#[derive(Debug, Clone)]
enum Outcome {
    Ok,
    Error(String),
    Crashed(String),
    TimedOut,
}

#[derive(Debug, Clone)]
struct Census {
    outcome: Outcome,
    operations: usize,
    types: usize,
    lines: usize,
    /// Normalized warning message → occurrences.
    warnings: BTreeMap<String, usize>,
}

impl Census {
    fn without_output(outcome: Outcome) -> Self {
        Census {
            outcome,
            operations: 0,
            types: 0,
            lines: 0,
            warnings: BTreeMap::new(),
        }
    }

    fn warning_count(&self) -> usize {
        self.warnings.values().sum()
    }

    fn value_fallbacks(&self) -> usize {
        self.warnings
            .iter()
            .filter(|(kind, _)| is_value_fallback(kind))
            .map(|(_, count)| count)
            .sum()
    }
}

fn is_value_fallback(kind: &str) -> bool {
    kind.contains("serde_json::Value")
}

/// Turns a warning into its kind: backticked names become `<name>` and runs of digits
/// `<n>`, so the same problem on different schemas groups together.
fn warning_kind(message: &str) -> String {
    let mut kind = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        kind.push_str(&rest[..open]);
        // Rust paths the generator names on purpose (`serde_json::Value`, `Option<T>`) are
        // part of the kind, not a spec name.
        let quoted = &after[..close];
        if quoted.contains("::") || quoted.contains('<') {
            kind.push('`');
            kind.push_str(quoted);
            kind.push('`');
        } else {
            kind.push_str("`<name>`");
        }
        rest = &after[close + 1..];
    }
    kind.push_str(rest);
    replace_numbers(&kind).replace('\n', " ")
}

/// Replaces each free-standing number (`3`, `-1.5`, `9.2e+18`) with `<n>`; digits inside
/// words (`OAuth2`, `i64`) are part of the word and stay.
fn replace_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit() && (i == 0 || !is_word(chars[i - 1]));
        if !starts_number {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let digits = |mut at: usize| {
            while at < chars.len() && chars[at].is_ascii_digit() {
                at += 1;
            }
            at
        };
        i = digits(i);
        if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
            i = digits(i + 1);
        }
        if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
            let mut exponent = i + 1;
            if exponent < chars.len() && (chars[exponent] == '+' || chars[exponent] == '-') {
                exponent += 1;
            }
            if exponent < chars.len() && chars[exponent].is_ascii_digit() {
                i = digits(exponent);
            }
        }
        out.push_str("<n>");
    }
    out
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn error_summary(path: &str, error: &Error) -> String {
    let text = error.to_string();
    let text = text.strip_prefix(&format!("{path}: ")).unwrap_or(&text);
    match error {
        // The first line only counts problems; the first problem says what they are.
        Error::Unsupported { diagnostics, .. } => match diagnostics.first() {
            Some(first) => format!("{}: {first}", first_line(text).trim_end_matches(':')),
            None => first_line(text).to_string(),
        },
        _ => first_line(text).to_string(),
    }
}

fn census_of(path: &str, overlay: Option<&str>) -> Census {
    let (spec_path, bytes) = match read_spec(path) {
        Ok(read) => read,
        Err(e) => return Census::without_output(Outcome::Error(format!("cannot read: {e}"))),
    };
    let settings = Settings::new(&spec_path, "out");
    let settings = match overlay {
        Some(overlay) => settings.overlay(overlay),
        None => settings,
    };
    // Multi-file specs are rendered from disk so relative `$ref`s resolve against their
    // folder; gzipped ones from the decompressed bytes.
    let rendered = if path.ends_with(".gz") {
        settings.render_bytes(&bytes)
    } else {
        settings.render()
    };
    match rendered {
        Ok(rendered) => {
            let mut warnings = BTreeMap::new();
            for warning in &rendered.warnings {
                *warnings.entry(warning_kind(&warning.message)).or_insert(0) += 1;
            }
            Census {
                outcome: Outcome::Ok,
                operations: rendered.stats.operations,
                types: rendered.stats.types,
                lines: rendered
                    .files
                    .iter()
                    .map(|file| file.contents.lines().count())
                    .sum(),
                warnings,
            }
        }
        Err(error) => Census::without_output(Outcome::Error(error_summary(&spec_path, &error))),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let message = if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    };
    first_line(&message).to_string()
}

/// Renders one spec on its own thread so a panic is recorded and a hang is abandoned after
/// [`SPEC_TIMEOUT`] (the thread is left running; the process exits at the end of the test).
fn census_with_timeout(path: &'static str, overlay: Option<&'static str>) -> Census {
    let (sender, receiver) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(format!("corpus {path}"))
        .stack_size(SPEC_THREAD_STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(|| census_of(path, overlay));
            let _ = sender.send(result);
        });
    if let Err(e) = spawned {
        return Census::without_output(Outcome::Error(format!("cannot start a thread: {e}")));
    }
    match receiver.recv_timeout(SPEC_TIMEOUT) {
        Ok(Ok(census)) => census,
        Ok(Err(payload)) => Census::without_output(Outcome::Crashed(panic_message(&*payload))),
        Err(mpsc::RecvTimeoutError::Timeout) => Census::without_output(Outcome::TimedOut),
        Err(mpsc::RecvTimeoutError::Disconnected) => Census::without_output(Outcome::Crashed(
            "the render thread ended without a result".to_string(),
        )),
    }
}

/// Runs the whole corpus on [`WORKERS`] threads, biggest specs first so the slowest ones do
/// not start last; results come back in corpus order.
fn run_corpus() -> Vec<Census> {
    let mut order: Vec<usize> = (0..CORPUS.len()).collect();
    let size = |index: &usize| std::fs::metadata(CORPUS[*index].path).map_or(0, |m| m.len());
    // Compressed specs are about ten times their file size once read.
    let weight = |index: &usize| {
        let factor = if CORPUS[*index].path.ends_with(".gz") {
            10
        } else {
            1
        };
        size(index) * factor
    };
    order.sort_by_key(|index| std::cmp::Reverse(weight(index)));
    let queue = Arc::new(Mutex::new(order));
    let results = Arc::new(Mutex::new(BTreeMap::new()));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let queue = Arc::clone(&queue);
            let results = Arc::clone(&results);
            std::thread::spawn(move || loop {
                let next = {
                    let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
                    if queue.is_empty() {
                        None
                    } else {
                        Some(queue.remove(0))
                    }
                };
                let Some(index) = next else { break };
                let started = Instant::now();
                let census = census_with_timeout(CORPUS[index].path, CORPUS[index].overlay);
                eprintln!(
                    "corpus: {} in {:.1} s",
                    CORPUS[index].name,
                    started.elapsed().as_secs_f64()
                );
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(index, census);
            })
        })
        .collect();
    for worker in workers {
        worker
            .join()
            .expect("a corpus worker panicked outside a spec");
    }
    let mut results = results.lock().unwrap_or_else(|e| e.into_inner());
    (0..CORPUS.len())
        .map(|index| {
            results
                .remove(&index)
                .expect("every corpus spec has a result")
        })
        .collect()
}

fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn outcome_cell(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Ok => "ok".to_string(),
        Outcome::Error(message) => format!("error: {}", table_cell(message)),
        Outcome::Crashed(message) => format!("crashed: {}", table_cell(message)),
        Outcome::TimedOut => format!("timed out after {} s", SPEC_TIMEOUT.as_secs()),
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".to_string()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

fn report(census: &[Census]) -> String {
    let mut out = String::new();
    out.push_str("# Corpus census\n\n");
    out.push_str(
        "Written by `tests/corpus.rs`; do not edit. Regenerate with\n\
         `UPDATE_CENSUS=1 cargo test -p openapi-rustgen --test corpus`.\n\
         Sources and licences of the specs: `README.md` beside this file.\n\n\
         Each spec is rendered in memory (`Settings::render`, no cargo, nothing written).\n\
         *types* are the generated Rust types, *lines* the lines of every generated file,\n\
         *Value* the warnings that say a type or field fell back to `serde_json::Value`.\n\n",
    );
    out.push_str("## Per spec\n\n");
    out.push_str(
        "| spec | outcome | operations | types | lines | warnings | Value | Value % of types |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (entry, census) in CORPUS.iter().zip(census) {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            entry.name,
            outcome_cell(&census.outcome),
            census.operations,
            census.types,
            census.lines,
            census.warning_count(),
            census.value_fallbacks(),
            percent(census.value_fallbacks(), census.types),
        ));
    }

    let mut kinds: BTreeMap<&str, (BTreeSet<&str>, usize)> = BTreeMap::new();
    for (entry, census) in CORPUS.iter().zip(census) {
        for (kind, count) in &census.warnings {
            let (specs, occurrences) = kinds.entry(kind.as_str()).or_default();
            specs.insert(entry.name);
            *occurrences += count;
        }
    }
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by(
        |(a_kind, (a_specs, a_count)), (b_kind, (b_specs, b_count))| {
            b_count
                .cmp(a_count)
                .then(b_specs.len().cmp(&a_specs.len()))
                .then(a_kind.cmp(b_kind))
        },
    );
    out.push_str("\n## Warning kinds across the corpus\n\n");
    out.push_str(
        "Backticked names are `<name>` and numbers `<n>`, so equal problems group together.\n\n",
    );
    out.push_str("| kind | Value fallback | specs | occurrences |\n");
    out.push_str("|---|---|---:|---:|\n");
    for (kind, (specs, occurrences)) in &kinds {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            table_cell(kind),
            if is_value_fallback(kind) { "yes" } else { "" },
            specs.len(),
            occurrences
        ));
    }

    out.push_str("\n## Warnings per spec\n\n");
    for (entry, census) in CORPUS.iter().zip(census) {
        if census.warnings.is_empty() {
            continue;
        }
        out.push_str(&format!("### {}\n\n", entry.name));
        let mut by_count: Vec<_> = census.warnings.iter().collect();
        by_count.sort_by(|(a_kind, a), (b_kind, b)| b.cmp(a).then(a_kind.cmp(b_kind)));
        for (kind, count) in by_count {
            out.push_str(&format!("- {count} × {}\n", kind.replace('\n', " ")));
        }
        out.push('\n');
    }

    let ok = census
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Ok))
        .count();
    let count = |pick: fn(&Census) -> usize| census.iter().map(pick).sum::<usize>();
    let (types, fallbacks) = (count(|c| c.types), count(|c| c.value_fallbacks()));
    out.push_str("## Totals\n\n");
    out.push_str("| | |\n|---|---:|\n");
    out.push_str(&format!("| specs | {} |\n", census.len()));
    out.push_str(&format!("| rendered | {ok} |\n"));
    out.push_str(&format!(
        "| failed (error, crash or timeout) | {} |\n",
        census.len() - ok
    ));
    out.push_str(&format!("| operations | {} |\n", count(|c| c.operations)));
    out.push_str(&format!("| types (schemas) | {types} |\n"));
    out.push_str(&format!("| lines generated | {} |\n", count(|c| c.lines)));
    out.push_str(&format!(
        "| warnings | {} |\n",
        count(|c| c.warning_count())
    ));
    out.push_str(&format!(
        "| `serde_json::Value` fallbacks | {fallbacks} |\n"
    ));
    out.push_str(&format!(
        "| fallbacks as % of types | {} |\n",
        percent(fallbacks, types)
    ));
    out
}

fn readable_diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header(REPORT, "this run")
        .to_string()
}

#[test]
fn census_matches_the_checked_in_report() {
    let started = Instant::now();
    let census = run_corpus();
    eprintln!(
        "corpus: {} specs in {:.1} s",
        CORPUS.len(),
        started.elapsed().as_secs_f64()
    );
    let actual = report(&census);
    if std::env::var_os("UPDATE_CENSUS").is_some() {
        std::fs::write(REPORT, &actual).expect("write the census report");
        return;
    }
    // A checkout with core.autocrlf gives the report CRLF line ends; they are not a change.
    let expected = std::fs::read_to_string(REPORT)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    assert!(
        expected == actual,
        "{REPORT} differs from this run (UPDATE_CENSUS=1 cargo test -p openapi-rustgen --test corpus rewrites it):\n{}",
        readable_diff(&expected, &actual)
    );
}

/// A spec dropped into the folder but not listed would silently stay out of the census.
#[test]
fn every_spec_in_the_corpus_folder_is_listed() {
    // An overlay is listed by the entry that applies it.
    let listed: BTreeSet<&str> = CORPUS
        .iter()
        .flat_map(|entry| std::iter::once(entry.path).chain(entry.overlay))
        .collect();
    let folder = Path::new("tests/corpus");
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(folder).expect("read tests/corpus") {
        let path = entry.expect("a directory entry").path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default()
            .to_string();
        let is_spec = [".json", ".yaml", ".yml", ".json.gz", ".yaml.gz"]
            .iter()
            .any(|suffix| name.ends_with(suffix));
        let relative = format!("tests/corpus/{name}");
        let is_listed_folder = path.is_dir()
            && listed
                .iter()
                .any(|listed| listed.starts_with(&format!("{relative}/")));
        if (is_spec && !listed.contains(relative.as_str())) || (path.is_dir() && !is_listed_folder)
        {
            unlisted.push(relative);
        }
    }
    unlisted.sort();
    assert!(
        unlisted.is_empty(),
        "specs in tests/corpus missing from CORPUS in tests/corpus.rs: {unlisted:?}"
    );
    for entry in CORPUS {
        assert!(
            Path::new(entry.path).is_file(),
            "{} is listed but {} does not exist",
            entry.name,
            entry.path
        );
    }
}

#[test]
fn warning_kinds_group_names_and_numbers() {
    let cases = [
        (
            "`Foo.bar` has 3 types; using `serde_json::Value`",
            "`<name>` has <n> types; using `serde_json::Value`",
        ),
        (
            "`Baz.qux` has 12 types; using `serde_json::Value`",
            "`<name>` has <n> types; using `serde_json::Value`",
        ),
        (
            "integer bound -9.2e+18 is not an i64; using -9223372036854775808",
            "integer bound -<n> is not an i64; using -<n>",
        ),
        (
            "OAuth2 flows are not run; status 404 differs",
            "OAuth2 flows are not run; status <n> differs",
        ),
        ("an unclosed `backtick stays", "an unclosed `backtick stays"),
    ];
    for (message, kind) in cases {
        assert_eq!(warning_kind(message), kind, "{message}");
    }
}
