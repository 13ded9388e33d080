//! OpenAPI Overlay 1.0 documents applied to a vendor spec (`tests/overlays/store.yaml`)
//! from `Settings` and from the CLI: their effect on the generated code, their order,
//! and errors placed in the overlay file; and a property: no overlay makes the generator
//! fail on its own.

mod common;

use openapi_rustgen::{Rendered, Settings};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/overlays")
        .join(name)
}

fn render(overlays: &[&str]) -> openapi_rustgen::Result<Rendered> {
    overlays
        .iter()
        .fold(
            Settings::new(file("store.yaml"), "out"),
            |settings, name| settings.overlay(file(name)),
        )
        .spec_label("store.yaml")
        .crate_name("store")
        .render()
}

fn contents<'a>(rendered: &'a Rendered, path: &str) -> &'a str {
    rendered
        .files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn without_overlays_the_vendor_faults_show() {
    let rendered = render(&[]).unwrap_or_else(|e| panic!("{e}"));
    let operations = contents(&rendered, "src/operations.rs");
    assert!(
        operations.contains("pub fn internal_create_pet("),
        "{operations}"
    );
    assert!(
        operations.contains("pub fn get_pet_by_id_v2("),
        "{operations}"
    );
    assert!(!operations.contains("pub fn list_pets("), "{operations}");
    assert!(contents(&rendered, "src/models.rs").contains("pub id: ::std::string::String,"));
}

#[test]
fn overlays_rename_fix_types_remove_and_document() {
    let rendered = render(&["names.yaml", "fixes.yaml"]).unwrap_or_else(|e| panic!("{e}"));
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let operations = contents(&rendered, "src/operations.rs");
    let models = contents(&rendered, "src/models.rs");
    assert!(operations.contains("pub fn list_pets("), "{operations}");
    assert!(operations.contains("pub fn get_pet("), "{operations}");
    assert!(!operations.contains("get_pet_by_id_v2"), "{operations}");
    assert!(!operations.contains("internal_create_pet"), "{operations}");
    assert!(
        operations.contains("Lists every pet, oldest first."),
        "{operations}"
    );
    assert!(models.contains("pub id: i64,"), "{models}");
    assert!(models.contains("A pet in the store."), "{models}");
    let mut text = String::new();
    for path in ["src/models.rs", "src/operations.rs"] {
        text.push_str(&format!(
            "// ===== {path} =====\n{}\n",
            contents(&rendered, path)
        ));
    }
    insta::assert_snapshot!("store_with_names_and_fixes", text);
}

#[test]
fn overlays_apply_in_the_order_given() {
    // fixes.yaml's last action finds the operationId names.yaml sets; before it, that
    // target selects nothing: a warning placed in fixes.yaml, and no description.
    let rendered = render(&["fixes.yaml", "names.yaml"]).unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = rendered
        .warnings
        .iter()
        .map(|w| w.render(Path::new("store.yaml")))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let fixes = file("fixes.yaml");
    assert!(
        warnings[0].starts_with(&format!(
            "{}:18:5: this target selects nothing",
            fixes.display()
        )),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[0].contains("= at /actions/3/target"),
        "{}",
        warnings[0]
    );
    let operations = contents(&rendered, "src/operations.rs");
    assert!(operations.contains("pub fn list_pets("), "{operations}");
    assert!(!operations.contains("Lists every pet"), "{operations}");
}

#[test]
fn an_invalid_jsonpath_is_an_error_in_the_overlay_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let error = Settings::new(file("store.yaml"), &out)
        .overlay(file("names.yaml"))
        .overlay(file("bad_target.yaml"))
        .generate()
        .expect_err("a bad overlay must not generate")
        .to_string();
    let bad = file("bad_target.yaml");
    assert!(
        error.starts_with(&format!(
            "{}:9:5: `$.paths[?@.get` is not a JSONPath",
            bad.display()
        )),
        "{error}"
    );
    assert!(error.contains("9 |   - target: $.paths[?@.get"), "{error}");
    assert!(!out.exists(), "output written despite the error");
}

#[test]
fn update_on_a_string_is_an_error_in_the_overlay() {
    let error = render(&["update_scalar.yaml"])
        .expect_err("must fail")
        .to_string();
    let overlay = file("update_scalar.yaml");
    assert!(
        error.starts_with(&format!(
            "{}:7:5: `update` must be merged into an object or appended to a list, but the target selects a string at /info/title",
            overlay.display()
        )),
        "{error}"
    );
}

#[test]
fn warnings_about_nodes_an_overlay_wrote_are_placed_in_the_overlay() {
    let rendered = render(&["untyped.yaml"]).unwrap_or_else(|e| panic!("{e}"));
    let overlay = file("untyped.yaml");
    let placed: Vec<String> = rendered
        .warnings
        .iter()
        .map(|w| w.render(Path::new("store.yaml")))
        .filter(|w| w.starts_with(&format!("{}:", overlay.display())))
        .collect();
    assert_eq!(placed.len(), 1, "{:?}", rendered.warnings);
    assert!(
        placed[0].starts_with(&format!("{}:8:7: ", overlay.display())),
        "{}",
        placed[0]
    );
    // The pointer stays the spec's, where the node now is.
    assert!(
        placed[0].contains("= at /components/schemas/Pet/properties/nickname"),
        "{}",
        placed[0]
    );
}

#[test]
fn an_invalid_spec_made_by_an_overlay_is_placed_in_the_overlay() {
    let error = render(&["breaks_responses.yaml"])
        .expect_err("must fail")
        .to_string();
    let overlay = file("breaks_responses.yaml");
    assert!(
        error.starts_with(&format!(
            "{}:8:7: not a valid OpenAPI 3 object",
            overlay.display()
        )),
        "{error}"
    );
    assert!(error.contains("8 |       responses: 12"), "{error}");
}

#[test]
fn a_missing_overlay_names_the_overlay() {
    let error = render(&["no_such_overlay.yaml"])
        .expect_err("must fail")
        .to_string();
    assert!(
        error.contains("no_such_overlay.yaml: cannot read the overlay"),
        "{error}"
    );
}

#[test]
fn settings_list_the_overlays_a_build_script_reruns_on() {
    let settings = Settings::new("spec.yaml", "out")
        .overlay("b.yaml")
        .overlay("a.yaml");
    assert_eq!(
        settings.overlay_paths(),
        [PathBuf::from("b.yaml"), PathBuf::from("a.yaml")]
    );
}

#[test]
fn the_cli_applies_repeated_overlay_flags_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["store.yaml", "names.yaml", "fixes.yaml"] {
        std::fs::copy(file(name), dir.path().join(name)).expect("copy fixture");
    }
    let cli = Command::new(env!("CARGO_BIN_EXE_openapi-rustgen"))
        .current_dir(dir.path())
        .args([
            "generate",
            "--spec",
            "store.yaml",
            "--overlay",
            "names.yaml",
            "--overlay",
            "fixes.yaml",
            "--out",
            "out",
        ])
        .output()
        .expect("run the CLI");
    let stderr = String::from_utf8_lossy(&cli.stderr);
    assert!(cli.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let operations =
        std::fs::read_to_string(dir.path().join("out/src/operations.rs")).expect("generated");
    assert!(operations.contains("pub fn list_pets("), "{operations}");
    assert!(
        operations.contains("Lists every pet, oldest first."),
        "{operations}"
    );
    assert!(!operations.contains("internal_create_pet"), "{operations}");
    // The header's regenerate command repeats the overlays, in order.
    assert!(
        operations.contains(
            "openapi-rustgen generate --spec store.yaml --overlay names.yaml --overlay fixes.yaml --out out"
        ),
        "{}",
        operations.lines().take(5).collect::<Vec<_>>().join("\n")
    );

    // Reversed, the last action of fixes.yaml finds nothing: a warning naming its file.
    let reversed = Command::new(env!("CARGO_BIN_EXE_openapi-rustgen"))
        .current_dir(dir.path())
        .args([
            "generate",
            "--spec",
            "store.yaml",
            "--overlay",
            "fixes.yaml",
            "--overlay",
            "names.yaml",
            "--out",
            "reversed",
        ])
        .output()
        .expect("run the CLI");
    let stderr = String::from_utf8_lossy(&reversed.stderr);
    assert!(reversed.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: fixes.yaml:18:5: this target selects nothing"),
        "{stderr}"
    );
}

/// Targets that select many nodes of different kinds, nothing, or the whole document.
const TARGETS: &[&str] = &[
    "$",
    "$..*",
    "$.paths.*",
    "$.paths.*.*",
    "$..parameters[0]",
    "$..parameters[-1]",
    "$.components.schemas.*",
    "$..properties",
    "$..properties.*",
    "$..[?@.type == 'object']",
    "$..[?@.operationId]",
    "$..items",
    "$..responses.*",
    "$.nothing.here",
];

/// Updates that break assumptions once merged: wrong types, dangling references,
/// lists where objects belong, names that clash.
const UPDATES: &[&str] = &[
    "{}",
    "null",
    "\"x\"",
    "[1]",
    "{\"type\": \"string\"}",
    "{\"type\": [\"integer\", \"null\"]}",
    "{\"$ref\": \"#/components/schemas/Nope\"}",
    "{\"operationId\": \"new\"}",
    "{\"required\": [\"absent\"], \"properties\": {\"type\": {\"const\": \"x\"}}}",
    "{\"enum\": [null, 1, \"a\"]}",
    "{\"allOf\": [{\"$ref\": \"#/components/schemas/Nope\"}]}",
    "{\"parameters\": [{\"name\": \"q\", \"in\": \"query\"}]}",
];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_overlay_makes_the_generator_fail_on_its_own(
        fixture in 0usize..64,
        actions in proptest::collection::vec((0..TARGETS.len(), 0..=UPDATES.len()), 1..4),
    ) {
        let fixtures = common::fixtures();
        let (name, spec) = &fixtures[fixture % fixtures.len()];
        // The last index means `remove: true`.
        let actions: Vec<String> = actions
            .iter()
            .map(|&(target, update)| match UPDATES.get(update) {
                Some(update) => format!("{{\"target\": \"{}\", \"update\": {update}}}", TARGETS[target]),
                None => format!("{{\"target\": \"{}\", \"remove\": true}}", TARGETS[target]),
            })
            .collect();
        let overlay = format!(
            "{{\"overlay\": \"1.0.0\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"actions\": [{}]}}",
            actions.join(", ")
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let overlay_path = dir.path().join("overlay.json");
        std::fs::write(&overlay_path, &overlay).expect("write overlay");
        if let Err(error) = Settings::new(spec, "out").overlay(&overlay_path).render() {
            let message = error.to_string();
            prop_assert!(
                !matches!(error, openapi_rustgen::Error::Internal { .. })
                    && !message.starts_with("internal error"),
                "{name} with {overlay}: the generator failed on its own: {message}"
            );
        }
    }
}

/// A spec with a dangling `$ref` (Spree's Store API names `AdminUser`, which only its admin
/// API defines) is a located error, not a crate with the field silently untyped; the
/// overlay beside it in the corpus is the fix a user writes.
#[test]
fn a_dangling_ref_is_a_located_error_that_an_overlay_fixes() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let spec = corpus.join("spree-store.yaml");
    let error = Settings::new(&spec, "out")
        .render()
        .expect_err("the dangling $ref stops generation")
        .to_string();
    assert!(
        error.contains("spree-store.yaml:10287:9:")
            && error.contains("$ref `#/components/schemas/AdminUser` does not resolve"),
        "{error}"
    );
    let rendered = Settings::new(&spec, "out")
        .overlay(corpus.join("spree-store.overlay.yaml"))
        .render()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!contents(&rendered, "src/models.rs").contains("pub struct MeResponse"));
    assert!(contents(&rendered, "src/operations.rs").contains("pub fn "));
}
