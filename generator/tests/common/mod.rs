//! Helpers shared by the generator's integration tests: fixture discovery and paths.

#![allow(dead_code)]

pub mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the generator lives one level below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator/ has a parent")
        .to_path_buf()
}

/// `(file stem, path)` of the YAML and JSON files in a folder of the generator's.
fn specs_in(folder: &str) -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect()
}

/// `(name, path)` of every fixture spec, sorted, plus the product spec as `invites`.
pub fn fixtures() -> Vec<(String, PathBuf)> {
    let mut found = specs_in("tests/fixtures");
    found.push(("invites".to_string(), repo_root().join("spec/openapi.yaml")));
    found.sort();
    found
}

/// A scratch folder under the workspace's target dir that survives between runs, so
/// nested cargo builds reuse their compiled dependencies.
pub fn scratch(name: &str) -> PathBuf {
    let dir = repo_root().join("target").join("nested").join(name);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// The shared target dir of nested builds: beside the outer build's (`CARGO_TARGET_DIR`
/// when set, so several checkouts can share compiled dependencies), else under `target/`.
pub fn nested_target() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir).join("nested-target"),
        _ => repo_root().join("target").join("nested").join("target"),
    }
}

/// `(name, path)` of the real-world specs compiled by `compile.rs`: the copies in
/// `tests/specs/` (their sources and licences are in that folder's README).
pub fn real_specs() -> Vec<(String, PathBuf)> {
    let mut found = specs_in("tests/specs");
    found.sort();
    found
}

/// Copies a folder, leaving out `target` folders.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Makes `workspace` (a [`scratch`] folder holding the crates) a workspace of `members`,
/// with the repository's lockfile so every crate builds the same dependency versions.
pub fn write_workspace(workspace: &Path, members: &[String]) {
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members
            .iter()
            .map(|m| format!("\"{m}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(workspace.join("Cargo.toml"), manifest).unwrap();
    let _ = std::fs::copy(repo_root().join("Cargo.lock"), workspace.join("Cargo.lock"));
}

/// Runs cargo with `args` in a nested workspace, on the shared [`nested_target`], so
/// every nested build reuses the dependencies another one compiled.
pub fn nested_cargo(workspace: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", nested_target())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run cargo {}: {e}", args.join(" ")))
}
