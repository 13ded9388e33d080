//! One insta snapshot of the generated code per fixture spec (the spec-dependent files;
//! the runtime files are copied verbatim and tested where they are used). Each fixture is
//! its own test, so one failing snapshot does not hide the others.

mod common;

use openapi_rustgen::Settings;

/// The files whose contents depend on the spec.
const SPEC_DEPENDENT_FILES: &[&str] = &[
    "src/lib.rs",
    "src/config.rs",
    "src/models.rs",
    "src/operations.rs",
    "src/mock.rs",
    "Cargo.toml",
];

fn assert_fixture_snapshot(name: &str) {
    let (_, path) = common::fixtures()
        .into_iter()
        .find(|(fixture, _)| fixture == name)
        .unwrap_or_else(|| panic!("no fixture named {name}"));
    let rendered = Settings::new(&path, "out")
        .spec_label(format!("{name}.yaml"))
        .crate_name(format!("fixture-{}", name.replace('_', "-")))
        .render()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut text = String::new();
    for warning in &rendered.warnings {
        text.push_str(&format!("// warning: {warning}\n"));
    }
    for file in &rendered.files {
        if SPEC_DEPENDENT_FILES.contains(&file.path.as_str()) {
            text.push_str(&format!(
                "// ===== {} =====\n{}\n",
                file.path, file.contents
            ));
        }
    }
    insta::assert_snapshot!(name, text);
}

macro_rules! fixture_snapshots {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                assert_fixture_snapshot(stringify!($name));
            }
        )*

        /// Every fixture has a snapshot test above (a new fixture must be added there).
        #[test]
        fn every_fixture_has_a_snapshot_test() {
            let listed = [$(stringify!($name)),*];
            for (fixture, _) in common::fixtures() {
                assert!(
                    listed.contains(&fixture.as_str()),
                    "fixture `{fixture}` has no snapshot test: add it to fixture_snapshots!"
                );
            }
        }
    };
}

fixture_snapshots!(
    all_of_union,
    bodies_and_responses,
    collisions,
    constraint_keywords,
    deep_objects,
    enums_and_consts,
    inline_objects,
    injection,
    interior_refs,
    invalid_examples,
    invites,
    mock_cycles,
    mock_routes,
    names_and_keywords,
    no_operations,
    openapi_31,
    parameters,
    recursion_and_maps,
    recursive_aliases,
    shadowing,
    streams_and_time,
    tags,
    unions,
    unsupported_styles,
);
