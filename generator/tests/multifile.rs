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
