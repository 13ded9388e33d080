//! Loading beyond one YAML file: JSON read as JSON (surrogate pairs), and documents split
//! into several files joined by relative `$ref`s (fixtures in `tests/multifile/`).

use openapi_rustgen::Settings;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/multifile")
        .join(name)
}

/// All generated text of the spec at `spec`, or the error message.
fn render(spec: &Path) -> Result<String, String> {
    Settings::new(spec, "out")
        .render()
        .map(|rendered| {
            rendered
                .files
                .iter()
                .map(|file| file.contents.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .map_err(|e| e.to_string())
}

#[test]
fn json_surrogate_pairs_are_one_character() {
    let text = render(&fixture("surrogates.json")).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains('\u{1F44D}'), "the thumbs-up emoji is kept");
    assert!(text.contains('\u{1F389}'), "the party popper emoji is kept");
}

#[test]
fn split_spec_bundles_into_one_api() {
    let spec = fixture("split/openapi.yaml");
    let rendered = Settings::new(&spec, "out")
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let text: String = rendered
        .files
        .iter()
        .map(|file| file.contents.as_str())
        .collect();
    for expected in [
        "pub struct Pet",
        "pub struct Owner",
        "pub struct Problem",
        // Owner → Pet → Owner: the cycle across files is one cycle of named types.
        "pub pets: ::std::option::Option<::std::vec::Vec<Pet>>",
        "pub owner: ::std::option::Option<Owner>",
        // `#/Problem` inside schemas/index.json is the entry `components.schemas` took.
        "pub cause: ::std::option::Option<::std::boxed::Box<Problem>>",
        // legacy.yaml's Problem, numbered: the section's entries claim their names first.
        "pub struct Problem2",
        "pub code: ::std::option::Option<i32>",
        "fn list_pets",
        "fn get_pet",
        "fn limit(",
    ] {
        assert!(text.contains(expected), "missing `{expected}`");
    }
    // The schema file reached by two relative paths is one type, not `Pet` and `Pet2`.
    assert!(!text.contains("Pet2"));
    let inputs: Vec<String> = rendered
        .inputs
        .iter()
        .map(|path| {
            path.strip_prefix(fixture("split"))
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(
        inputs,
        [
            "schemas/index.json",
            "paths/pets.yaml",
            "common/parameters.yaml",
            "schemas/pet.yaml",
            "schemas/owner.yaml",
            "schemas/legacy.yaml",
            "common/responses.yaml",
            "paths/pet.yaml",
        ]
    );
}

/// The error for `name` under `split/`, checked to start at `file:line:col`.
fn error(name: &str, file: &str, line_col: &str) -> String {
    let message = render(&fixture(&format!("split/{name}"))).expect_err("must fail");
    let place = format!(
        "{}:{line_col}: ",
        fixture(&format!("split/{file}")).display()
    );
    assert!(
        message.starts_with(&place),
        "expected `{place}…`, got:\n{message}"
    );
    message
}

#[test]
fn a_missing_file_is_reported_where_it_is_referenced() {
    let message = error("missing-file.yaml", "missing-file.yaml", "5:5");
    assert!(message.contains("paths/nothing-here.yaml"), "{message}");
}

#[test]
fn a_missing_fragment_is_reported_in_the_referring_file() {
    let message = error("missing-fragment.yaml", "missing-fragment.yaml", "8:11");
    assert!(message.contains("has no `#/NotThere`"), "{message}");
    let message = error("nested-missing.yaml", "paths/broken.yaml", "4:7");
    assert!(message.contains("has no `#/AlsoNotThere`"), "{message}");
}

#[test]
fn files_outside_the_spec_folder_are_refused() {
    let message = error("escape.yaml", "escape.yaml", "5:5");
    assert!(message.contains("outside the spec's folder"), "{message}");
}

#[test]
fn a_cycle_of_path_item_references_is_an_error() {
    let message = error("loop.yaml", "paths/loop.yaml", "1:1");
    assert!(message.contains("refers back to itself"), "{message}");
}

/// A spec folder in a temporary directory: `spec/openapi.yaml` refers to `spec/target`,
/// which `make` turns into a link or special file; `outside.yaml` sits next to `spec/`.
#[cfg(unix)]
fn refused_target(make: impl FnOnce(&Path, &Path)) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec_dir = dir.path().join("spec");
    std::fs::create_dir(&spec_dir).expect("spec folder");
    let outside = dir.path().join("outside.yaml");
    std::fs::write(
        &outside,
        "get:\n  responses:\n    '200': {description: ok}\n",
    )
    .expect("outside file");
    make(&spec_dir.join("target"), &outside);
    let spec = spec_dir.join("openapi.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: target\n",
    )
    .expect("spec");
    render(&spec).expect_err("must be refused")
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_folder_are_refused() {
    let message = refused_target(|link, outside| {
        std::os::unix::fs::symlink(outside, link).expect("symlink");
    });
    assert!(message.contains("openapi.yaml:5:5: "), "{message}");
    assert!(message.contains("outside the spec's folder"), "{message}");
}

#[cfg(unix)]
#[test]
fn special_files_are_never_read() {
    let message = refused_target(|fifo, _| {
        let status = std::process::Command::new("mkfifo")
            .arg(fifo)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
    });
    assert!(message.contains("not a regular file"), "{message}");
}

#[test]
fn a_root_allowed_explicitly_admits_files_above_the_spec() {
    let spec = fixture("split/escape.yaml");
    let text = Settings::new(&spec, "out")
        .allow_refs_under(fixture(""))
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = text
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].ends_with("surrogates.json"), "{names:?}");
}
