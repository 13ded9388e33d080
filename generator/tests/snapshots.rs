//! One insta snapshot of the generated code per fixture spec (the spec-dependent files;
//! the runtime files are copied verbatim and tested where they are used).

mod common;

use openapi_rustgen::Settings;

#[test]
fn generated_code_matches_snapshots() {
    for (name, path) in common::fixtures() {
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
            if [
                "src/lib.rs",
                "src/config.rs",
                "src/models.rs",
                "src/operations.rs",
                "src/mock.rs",
                "Cargo.toml",
            ]
            .contains(&file.path.as_str())
            {
                text.push_str(&format!(
                    "// ===== {} =====\n{}\n",
                    file.path, file.contents
                ));
            }
        }
        insta::assert_snapshot!(name, text);
    }
}
