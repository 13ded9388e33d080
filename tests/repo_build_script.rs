//! The build-script design, proven on a scratch copy of this repository: one `cargo
//! build` after a spec edit regenerates `generated/` and compiles the new bindings; a
//! no-op build reruns nothing and touches no file; a bad spec fails the build with the
//! generator's located message and leaves `generated/` as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Instant, SystemTime};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == "node_modules" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .current_dir(dir)
        // Shared with the generator's nested builds, so dependencies compile once.
        .env("CARGO_TARGET_DIR", repo_root().join("target/nested/target"))
        .env_remove("RUSTFLAGS")
        .args(args)
        .output()
        .expect("run cargo")
}

fn generated_files(copy: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut files = Vec::new();
    for dir in [copy.join("generated"), copy.join("generated/src")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                files.push((path.clone(), std::fs::read(&path).unwrap(), modified));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn one_build_after_a_spec_edit_compiles_the_new_bindings() {
    let copy = repo_root().join("target/nested/build-script-copy");
    let _ = std::fs::remove_dir_all(&copy);
    // The whole working tree but build output: the workspace lists members (the
    // generator, the benchmark helpers) that must all be there.
    copy_tree(&repo_root(), &copy);

    let first = cargo(&copy, &["build"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );

    // A no-op build: the build script does not run, and no generated file is touched.
    let before = generated_files(&copy);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let started = Instant::now();
    let noop = cargo(&copy, &["build"]);
    let noop_time = started.elapsed();
    let noop_log = String::from_utf8_lossy(&noop.stderr);
    assert!(noop.status.success(), "{noop_log}");
    assert!(
        !noop_log.contains("Compiling"),
        "a no-op build recompiled something:\n{noop_log}"
    );
    assert_eq!(
        before,
        generated_files(&copy),
        "a no-op build touched generated files"
    );
    eprintln!("no-op cargo build: {noop_time:?}");

    // Edit the spec and add code that uses the new field; one build must compile both.
    let spec_path = copy.join("spec/openapi.yaml");
    let spec = std::fs::read_to_string(&spec_path).unwrap();
    let anchor = "        expires_at:\n          type: integer\n          format: unixtime";
    assert!(
        spec.contains(anchor),
        "the spec changed shape; update this test's anchor"
    );
    let edited = spec.replacen(
        anchor,
        &format!("        nickname:\n          type: string\n          description: A test-only field.\n{anchor}"),
        1,
    );
    std::fs::write(&spec_path, edited).unwrap();
    std::fs::write(
        copy.join("examples/uses_new_field.rs"),
        "fn main() {\n    let invite: Option<openai_invites::models::Invite> = None;\n    println!(\"{:?}\", invite.and_then(|i| i.nickname));\n}\n",
    )
    .unwrap();
    let started = Instant::now();
    let edit = cargo(&copy, &["build", "--example", "uses_new_field"]);
    let edit_time = started.elapsed();
    assert!(
        edit.status.success(),
        "the new field was not compiled in the same build:\n{}",
        String::from_utf8_lossy(&edit.stderr)
    );
    let models = std::fs::read_to_string(copy.join("generated/src/models.rs")).unwrap();
    assert!(
        models.contains("pub nickname:"),
        "generated/ was not regenerated"
    );
    eprintln!("cargo build after a one-field spec edit: {edit_time:?}");

    // A broken spec fails the build with a located message and writes nothing.
    let before = generated_files(&copy);
    std::fs::write(
        &spec_path,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x: [unclosed\n",
    )
    .unwrap();
    let broken = cargo(&copy, &["build"]);
    let log = String::from_utf8_lossy(&broken.stderr);
    assert!(!broken.status.success(), "a broken spec built:\n{log}");
    assert!(
        log.contains("spec/openapi.yaml:"),
        "the error does not name the file:\n{log}"
    );
    assert!(
        log.contains("not valid YAML"),
        "the error does not say what is wrong:\n{log}"
    );
    let after = generated_files(&copy);
    assert_eq!(
        before.iter().map(|(p, b, _)| (p, b)).collect::<Vec<_>>(),
        after.iter().map(|(p, b, _)| (p, b)).collect::<Vec<_>>(),
        "a failed generation changed generated/"
    );
}
