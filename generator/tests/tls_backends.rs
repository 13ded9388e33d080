//! Each TLS backend of the generated crate (`TLS_FEATURES` in `emit/crate_files.rs`) builds,
//! and a client built with it starts; without one, an `https://` base URL is refused with a
//! message naming the features. The default backend must not pull in the C builds we made it
//! the default to avoid (`aws-lc-sys`) nor need the system's OpenSSL (`openssl-sys`).
//!
//! The invites crate is generated into a scratch workspace beside a small probe program that
//! builds `Client` and prints the outcome; the probe is run once per backend (each run a
//! separate process, so the `ring` provider the client installs is never inherited).

mod common;

use openapi_rustgen::Settings;
use std::path::Path;

const BACKENDS: &[&str] = &["rustls-ring", "rustls-aws-lc-rs", "native-tls"];

/// A scratch workspace of its own per test (`name`), since tests run in parallel.
fn workspace(name: &str) -> std::path::PathBuf {
    let workspace = common::scratch(name);
    Settings::new(
        common::repo_root().join("spec/openapi.yaml"),
        workspace.join("client"),
    )
    .generate()
    .expect("the invites spec generates");
    let probe = workspace.join("probe");
    std::fs::create_dir_all(probe.join("src")).unwrap();
    let forwarded: String = BACKENDS
        .iter()
        .map(|b| format!("{b} = [\"openai-invites/{b}\"]\n"))
        .collect();
    std::fs::write(
        probe.join("Cargo.toml"),
        format!(
            "[package]\nname = \"tls-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nopenai-invites = {{ path = \"../client\", default-features = false }}\n\n\
             [features]\n{forwarded}"
        ),
    )
    .unwrap();
    // The default base URL of the invites API is https://api.openai.com/v1.
    std::fs::write(
        probe.join("src/main.rs"),
        "fn main() {\n    match openai_invites::Client::builder().api_key(\"k\").build() {\n        \
         Ok(_) => print!(\"built\"),\n        Err(e) => print!(\"{e}\"),\n    }\n}\n",
    )
    .unwrap();
    std::fs::write(
        workspace.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"client\", \"probe\"]\n",
    )
    .unwrap();
    std::fs::copy(
        common::repo_root().join("Cargo.lock"),
        workspace.join("Cargo.lock"),
    )
    .unwrap();
    workspace
}

fn cargo(workspace: &Path, args: &[&str]) -> String {
    let output = common::nested_cargo(workspace, args);
    assert!(
        output.status.success(),
        "cargo {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The probe's output built with `features` (none: no TLS at all).
fn probe(workspace: &Path, features: &str) -> String {
    let mut args = vec!["run", "--quiet", "-p", "tls-probe"];
    if !features.is_empty() {
        args.extend(["--features", features]);
    }
    cargo(workspace, &args)
}

/// The names of the packages the client crate depends on (normal edges) with `features`.
fn dependency_tree(workspace: &Path, features: &[&str]) -> String {
    let mut args = vec![
        "tree",
        "-p",
        "openai-invites",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--format",
        "{p}",
    ];
    if !features.is_empty() {
        args.push("--no-default-features");
        args.push("--features");
        args.extend(features);
    }
    cargo(workspace, &args)
}

#[test]
fn every_tls_backend_builds_a_client_and_none_refuses_https() {
    let workspace = workspace("tls-backends-build");
    for backend in BACKENDS {
        assert_eq!(probe(&workspace, backend), "built", "with `{backend}`");
    }
    let refused = probe(&workspace, "");
    assert!(
        refused.contains("without a TLS feature") && refused.contains("rustls-ring"),
        "without a TLS feature: {refused}"
    );
}

#[test]
fn default_backend_needs_no_aws_lc_and_no_openssl() {
    let workspace = workspace("tls-backends-tree");
    let default = dependency_tree(&workspace, &[]);
    assert!(
        default.contains("ring v"),
        "ring is the default:\n{default}"
    );
    for absent in ["aws-lc-sys", "aws-lc-rs", "openssl-sys", "native-tls"] {
        assert!(
            !default
                .lines()
                .any(|l| l.starts_with(&format!("{absent} v"))),
            "the default features pull in {absent}:\n{default}"
        );
    }
    // The check above would pass vacuously if the tree never listed these crates.
    let aws = dependency_tree(&workspace, &["rustls-aws-lc-rs"]);
    assert!(aws.lines().any(|l| l.starts_with("aws-lc-sys v")), "{aws}");
    let native = dependency_tree(&workspace, &["native-tls"]);
    assert!(
        native.lines().any(|l| l.starts_with("openssl-sys v")),
        "{native}"
    );
}
