//! Every fixture's generated crate, the crate of every real-world spec (`tests/specs/`
//! and the full OpenAI spec), and a copy of the checked-in `generated/` folder
//! outside this repository's workspace (as a team vendoring it would have it), must
//! build with zero warnings and pass clippy with `-D warnings`.
//!
//! They are built together in one nested workspace under `target/nested`, with one
//! shared target dir, so dependencies compile once and are reused between runs. A small
//! crate of tests (`tests/behaviour/lib.rs`) then checks that fixture crates decode and
//! encode JSON as their specs mean, and each generated crate's own tests run with the
//! `mock` feature: the mock of every spec starts and reaches each of its operations, and
//! every answer it serves decodes into the client's type.
//!
//! Crates with one Cargo feature per tag also build, without warnings, with no feature
//! and with single features: every feature of the `tags` fixture, and a fixed sample of
//! the OpenAI crate's (all of them, one by one, is `bench/run features`).

mod common;

use openapi_rustgen::Settings;
use std::path::Path;

#[test]
fn generated_crates_build_without_warnings() {
    let workspace = common::scratch("compile");
    let mut members = Vec::new();
    for (name, path) in common::fixtures() {
        let member = format!("fixture-{}", name.replace('_', "-"));
        Settings::new(&path, workspace.join(&member))
            .crate_name(&member)
            .generate()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        members.push(member);
    }
    for (name, path) in common::real_specs() {
        let member = format!("spec-{name}");
        Settings::new(&path, workspace.join(&member))
            .crate_name(&member)
            .generate()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        members.push(member);
    }
    // A crate of runtime tests against the fixture crates (tests/behaviour/lib.rs).
    let behaviour = workspace.join("fixture-behaviour");
    std::fs::create_dir_all(behaviour.join("src")).unwrap();
    std::fs::write(
        behaviour.join("Cargo.toml"),
        "[package]\nname = \"fixture-behaviour\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nfixture-unions = { path = \"../fixture-unions\" }\n\
         fixture-openapi-31 = { path = \"../fixture-openapi-31\" }\nserde_json = \"1\"\n\
         fixture-deep-objects = { path = \"../fixture-deep-objects\", features = [\"mock\"] }\n\
         serde = { version = \"1\", features = [\"derive\"] }\nserde_qs = \"1\"\nform_urlencoded = \"1\"\n\
         fixture-streams-and-time = { path = \"../fixture-streams-and-time\", features = [\"mock\"] }\n\
         futures-core = \"0.3\"\n\
         futures-util = { version = \"0.3\", default-features = false, features = [\"std\"] }\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt\", \"net\", \"io-util\", \"time\"] }\n",
    )
    .unwrap();
    for file in ["lib.rs", "streams.rs", "deep_objects.rs"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/behaviour")
                .join(file),
            behaviour.join("src").join(file),
        )
        .unwrap();
    }
    members.push("fixture-behaviour".to_string());

    let vendored = workspace.join("vendored-copy");
    let _ = std::fs::remove_dir_all(&vendored);
    common::copy_dir(&common::repo_root().join("generated"), &vendored);
    members.push("vendored-copy".to_string());

    common::write_workspace(&workspace, &members);

    let output = common::nested_cargo(
        &workspace,
        &[
            "clippy",
            "--workspace",
            // The generated crates have no tests of their own; checking each library
            // once (not again as a test target) halves the time of the OpenAI crate.
            "--lib",
            // Includes the generated mock server of every spec.
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "generated crates do not build cleanly:\n{stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "generated crates build with warnings:\n{stderr}"
    );

    feature_subsets_build_without_warnings(&workspace);

    // Each generated crate's own tests: the mock of every spec starts and reaches each
    // of its operations (the full OpenAI spec included), and every answer it serves
    // decodes (the spec's examples that would not were dropped with a warning).
    let generated: Vec<&String> = members
        .iter()
        .filter(|m| *m != "fixture-behaviour")
        .collect();
    let output = common::nested_cargo(
        &workspace,
        &[
            "test",
            "--workspace",
            "--exclude",
            "fixture-behaviour",
            "--lib",
            "--all-features",
            "--no-fail-fast",
            "--quiet",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "a generated crate's tests fail:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // One passing run per crate, each with the mock's every-operation test in it.
    let passing_runs = stdout
        .lines()
        .filter(|line| line.starts_with("test result: ok") && !line.contains(" 0 passed"))
        .count();
    assert_eq!(passing_runs, generated.len(), "{stdout}");

    let output = common::nested_cargo(
        &workspace,
        &["test", "-p", "fixture-behaviour", "--lib", "--quiet"],
    );
    assert!(
        output.status.success(),
        "generated code misbehaves at run time:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // A run that found no tests would also succeed; make sure they ran.
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("27 passed"),
        "expected the 27 behaviour tests to run:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// The tag features of a generated crate: the ones `default` enables that turn on nothing
/// else (a TLS backend enables reqwest's; `mock` is not a default).
fn tag_features(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let manifest: toml::Table = text.parse().unwrap();
    let features = manifest["features"].as_table().expect("a [features] table");
    let enables_nothing = |name: &str| {
        features
            .get(name)
            .and_then(toml::Value::as_array)
            .is_some_and(|enabled| enabled.is_empty())
    };
    features
        .get("default")
        .and_then(toml::Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(toml::Value::as_str)
                .filter(|name| enables_nothing(name))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// `cargo clippy -D warnings` of one member's library with exactly these features.
fn clippy_with_features(workspace: &Path, member: &str, features: &[&str]) {
    clippy_targets(workspace, member, features, "--lib");
}

fn clippy_targets(workspace: &Path, member: &str, features: &[&str], targets: &str) {
    let features = features.join(",");
    let output = common::nested_cargo(
        workspace,
        &[
            "clippy",
            "-p",
            member,
            targets,
            "--quiet",
            "--no-default-features",
            "--features",
            &features,
            "--",
            "-D",
            "warnings",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("warning"),
        "{member} with features [{features}] does not build cleanly:\n{stderr}"
    );
}

fn feature_subsets_build_without_warnings(workspace: &Path) {
    let tags = tag_features(&workspace.join("fixture-tags/Cargo.toml"));
    assert_eq!(
        tags,
        [
            "mock2",
            "pets",
            "store-owners",
            "unreferenced-types",
            "untagged"
        ],
        "the tags fixture's features"
    );
    clippy_with_features(workspace, "fixture-tags", &[]);
    for feature in &tags {
        clippy_with_features(workspace, "fixture-tags", &[feature]);
    }
    // The mock follows the gates: with one tag, it builds and its tests compile.
    clippy_targets(workspace, "fixture-tags", &["pets", "mock"], "--tests");

    let openai = tag_features(&workspace.join("spec-openai/Cargo.toml"));
    assert!(
        openai.len() > 30,
        "the OpenAI crate has a feature per tag: {openai:?}"
    );
    clippy_with_features(workspace, "spec-openai", &[]);
    // A fixed sample: the customer's tag, the first and last by name, and the types no
    // operation uses.
    let sample = [
        "invites",
        &openai[0],
        &openai[openai.len() - 1],
        "unreferenced-types",
    ];
    for feature in sample {
        assert!(
            openai.iter().any(|f| f == feature),
            "{feature} in {openai:?}"
        );
        clippy_with_features(workspace, "spec-openai", &[feature]);
    }
}
