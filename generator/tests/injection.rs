//! Spec text never becomes code. `tests/fixtures/injection.yaml` puts payloads in every
//! spec text that reaches the generated crate; each would create a marker file if it
//! ran (as a doctest, a build script the manifest names, or a dependency the manifest
//! adds). The crate is generated into a scratch workspace, `cargo check` and
//! `cargo test --doc` run on it, and no marker may exist afterwards.

mod common;

use openapi_rustgen::Settings;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/injection.yaml";

/// The fixture with its `@MARKERS@` placeholder pointing at `markers`.
fn hostile_spec(markers: &Path) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
        .expect("read the injection fixture");
    assert!(text.contains("@MARKERS@"), "the fixture names its markers");
    text.replace("@MARKERS@", &markers.display().to_string())
}

/// Files that would run if the manifest were injected: a build script named by
/// `build = "evil.rs"` and a path dependency `evil` with its own build script.
fn plant_bait(krate: &Path, markers: &Path) {
    let write_marker = |name: &str| {
        format!(
            "fn main() {{ std::fs::write({:?}, \"\").unwrap(); }}\n",
            markers.join(name).display().to_string()
        )
    };
    std::fs::write(krate.join("evil.rs"), write_marker("pwned-build-script")).unwrap();
    let evil = krate.join("evil");
    std::fs::create_dir_all(evil.join("src")).unwrap();
    std::fs::write(
        evil.join("Cargo.toml"),
        "[package]\nname = \"evil\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n",
    )
    .unwrap();
    std::fs::write(evil.join("build.rs"), write_marker("pwned-dependency")).unwrap();
    std::fs::write(evil.join("src/lib.rs"), "").unwrap();
}

fn cargo(workspace: &Path, args: &[&str]) -> (bool, String, String) {
    let output = common::nested_cargo(workspace, args);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The names of a TOML table's keys, sorted.
fn keys(table: &toml::Table) -> Vec<String> {
    let mut keys: Vec<String> = table.keys().cloned().collect();
    keys.sort();
    keys
}

#[test]
fn hostile_spec_text_never_runs() {
    let workspace = common::scratch("injection");
    let markers = workspace.join("markers");
    let _ = std::fs::remove_dir_all(&markers);
    std::fs::create_dir_all(&markers).unwrap();
    let spec = workspace.join("injection.yaml");
    std::fs::write(&spec, hostile_spec(&markers)).unwrap();

    let krate = workspace.join("client");
    let _ = std::fs::remove_dir_all(&krate);
    let report = Settings::new(&spec, &krate)
        .spec_label("injection.yaml")
        .generate()
        .expect("the hostile spec still generates");
    plant_bait(&krate, &markers);
    std::fs::write(
        workspace.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"client\"]\n",
    )
    .unwrap();
    // Same dependency versions as the repository itself.
    let _ = std::fs::copy(
        common::repo_root().join("Cargo.lock"),
        workspace.join("Cargo.lock"),
    );

    // The manifest is what the generator means it to be, and nothing else.
    let manifest: toml::Table = std::fs::read_to_string(krate.join("Cargo.toml"))
        .unwrap()
        .parse()
        .expect("the generated manifest is valid TOML");
    assert_eq!(
        keys(&manifest),
        ["dependencies", "features", "lib", "package"]
    );
    let package = manifest["package"].as_table().unwrap();
    assert_eq!(
        keys(package),
        [
            "description",
            "edition",
            "name",
            "publish",
            "rust-version",
            "version"
        ]
    );
    let name = package["name"].as_str().unwrap();
    assert!(name.starts_with("injection-"), "{name}");
    assert!(
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "{name}"
    );
    let description = package["description"].as_str().unwrap();
    assert!(!description.contains('\n'), "{description:?}");
    // Exactly the dependencies the repository's own package mirrors (manifest_sync.rs
    // keeps those in step with the generator's list).
    let root: toml::Table = std::fs::read_to_string(common::repo_root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        keys(manifest["dependencies"].as_table().unwrap()),
        keys(root["dependencies"].as_table().unwrap())
    );
    // Only the crate's own features (the spec has no tags): no spec text becomes a name.
    assert_eq!(
        keys(manifest["features"].as_table().unwrap()),
        [
            "default",
            "http2",
            "mock",
            "native-tls",
            "rustls-aws-lc-rs",
            "rustls-ring"
        ]
    );

    // Every spec-derived name was changed, and said so where it came from.
    let pointers: Vec<&str> = report.warnings.iter().map(|w| w.pointer.as_str()).collect();
    for key in ["crate-name", "api-key-env", "base-url-env"] {
        let pointer = format!("/info/x-rust-client/{key}");
        assert!(pointers.contains(&pointer.as_str()), "{pointers:?}");
    }

    let (ok, _, stderr) = cargo(&workspace, &["check", "--all-features", "--quiet"]);
    assert!(ok, "the generated crate does not build:\n{stderr}");
    let (ok, stdout, stderr) = cargo(&workspace, &["test", "--doc", "--all-features"]);
    assert!(ok, "cargo test --doc failed:\n{stdout}\n{stderr}");

    let planted: Vec<_> = std::fs::read_dir(&markers)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(planted.is_empty(), "spec text ran as code: {planted:?}");

    // The only doctests are the generator's examples, one per operation.
    let operations = std::fs::read_to_string(krate.join("src/operations.rs")).unwrap();
    let examples = operations
        .lines()
        .filter(|l| l.trim() == "/// ```no_run")
        .count();
    assert_eq!(examples, report.stats.operations);
    let ran: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(
        ran, examples,
        "doctests other than the examples ran:\n{stdout}"
    );
}

/// A spec whose `info` is `info` (YAML), with one trivial operation.
fn spec_with_info(info: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(
        file.path(),
        format!(
            "openapi: 3.0.3\ninfo:\n{info}\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        '204':\n          description: ok\n"
        ),
    )
    .unwrap();
    file
}

#[test]
fn names_are_sanitized_with_a_located_warning() {
    // (info, expected crate name, pointer of the warning)
    let table = [
        (
            "  title: 123 API\n  version: '1'",
            "api-123-api",
            "/info/title",
        ),
        (
            "  title: T\n  version: '1'\n  x-rust-client:\n    crate-name: My Client/v2",
            "My-Client-v2",
            "/info/x-rust-client/crate-name",
        ),
        (
            "  title: T\n  version: '1'\n  x-rust-client:\n    crate-name: ../x",
            "x",
            "/info/x-rust-client/crate-name",
        ),
    ];
    for (info, expected, pointer) in table {
        let spec = spec_with_info(info);
        let rendered = Settings::new(spec.path(), "out")
            .render()
            .unwrap_or_else(|e| panic!("{info}: {e}"));
        let manifest = rendered
            .files
            .iter()
            .find(|f| f.path.ends_with("Cargo.toml"))
            .expect("a manifest");
        let manifest: toml::Table = manifest.contents.parse().unwrap();
        assert_eq!(
            manifest["package"]["name"].as_str(),
            Some(expected),
            "{info}"
        );
        assert!(
            rendered.warnings.iter().any(|w| w.pointer == pointer),
            "{info}: {:?}",
            rendered.warnings
        );
    }
}

#[test]
fn unusable_names_are_refused_where_they_are() {
    for (key, value) in [
        ("crate-name", "'../'"),
        ("api-key-env", "'-'"),
        ("base-url-env", "'日本'"),
    ] {
        let spec = spec_with_info(&format!(
            "  title: T\n  version: '1'\n  x-rust-client:\n    {key}: {value}"
        ));
        let error = Settings::new(spec.path(), "out")
            .render()
            .expect_err("a name with nothing usable is an error")
            .to_string();
        assert!(
            error.contains(&format!("/info/x-rust-client/{key}")),
            "{key}: {error}"
        );
    }
}
