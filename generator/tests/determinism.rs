//! The same spec gives byte-identical output, and the checked-in `generated/` is what
//! `spec/openapi.yaml` generates today.

mod common;

use openapi_rustgen::Settings;
use std::process::Command;

#[test]
fn generating_twice_gives_identical_bytes() {
    for (name, path) in common::fixtures() {
        let render = || {
            Settings::new(&path, "out")
                .spec_label("spec.yaml")
                .render()
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .files
        };
        let first = render();
        let second = render();
        assert_eq!(first, second, "{name}: two runs differ");
    }
}

#[test]
fn generated_folder_is_fresh() {
    // Through the CLI, from the repository root, exactly as CI and the README run it.
    let output = Command::new(env!("CARGO_BIN_EXE_openapi-rustgen"))
        .current_dir(common::repo_root())
        .args(["check", "--spec", "spec/openapi.yaml", "--out", "generated"])
        .output()
        .expect("run openapi-rustgen");
    assert!(
        output.status.success(),
        "generated/ is stale:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn check_names_each_stale_file_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spec = common::repo_root().join("spec/openapi.yaml");
    let settings = Settings::new(&spec, dir.path()).spec_label("spec/openapi.yaml");
    settings.generate().unwrap();
    let models = dir.path().join("src/models.rs");
    std::fs::write(&models, "// edited by hand\n").unwrap();
    let error = settings.check().unwrap_err().to_string();
    assert!(error.contains("src/models.rs"), "{error}");
    assert!(error.contains("not up to date"), "{error}");
    assert_eq!(
        std::fs::read_to_string(&models).unwrap(),
        "// edited by hand\n"
    );
}
