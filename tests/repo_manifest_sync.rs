//! The root package compiles `generated/src` as its library, while `generated/Cargo.toml` is
//! what vendoring repositories build it with: both manifests must list the same dependencies,
//! with the same versions and features, or one of the two builds drifts from the other.

use std::collections::BTreeMap;

fn manifest(relative: &str) -> toml::Table {
    let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.parse()
        .unwrap_or_else(|e| panic!("{path} is not valid TOML: {e}"))
}

/// `[dependencies]` as name → spec, a bare version string normalized to `{ version = .. }` so
/// that `x = "1"` and `x = { version = "1" }` compare equal.
fn dependencies(manifest: &toml::Table) -> BTreeMap<String, toml::Table> {
    let table = manifest
        .get("dependencies")
        .and_then(toml::Value::as_table)
        .expect("a [dependencies] table");
    table
        .iter()
        .map(|(name, spec)| {
            let spec = match spec {
                toml::Value::String(version) => {
                    toml::Table::from_iter([("version".to_owned(), version.clone().into())])
                }
                toml::Value::Table(table) => table.clone(),
                other => panic!("dependency {name}: unexpected spec {other}"),
            };
            (name.clone(), spec)
        })
        .collect()
}

#[test]
fn root_and_generated_manifests_list_the_same_dependencies() {
    let root = dependencies(&manifest("Cargo.toml"));
    let generated = dependencies(&manifest("generated/Cargo.toml"));

    let only_root: Vec<_> = root
        .keys()
        .filter(|k| !generated.contains_key(*k))
        .collect();
    let only_generated: Vec<_> = generated
        .keys()
        .filter(|k| !root.contains_key(*k))
        .collect();
    assert!(
        only_root.is_empty() && only_generated.is_empty(),
        "only in Cargo.toml: {only_root:?}; only in generated/Cargo.toml: {only_generated:?}"
    );
    for (name, spec) in &root {
        assert_eq!(
            Some(spec),
            generated.get(name),
            "dependency `{name}` differs between Cargo.toml and generated/Cargo.toml"
        );
    }
    assert!(
        root.contains_key("reqwest"),
        "parsed the real dependency list"
    );
}

fn features(manifest: &toml::Table) -> toml::Table {
    manifest
        .get("features")
        .and_then(toml::Value::as_table)
        .cloned()
        .expect("a [features] table")
}

#[test]
fn root_declares_every_generated_feature_and_enables_its_defaults() {
    // The generated code is gated by these features (one per tag): a feature missing
    // from the root manifest would silently compile its operations out of the root crate.
    let root = features(&manifest("Cargo.toml"));
    let generated = features(&manifest("generated/Cargo.toml"));
    assert!(
        generated.len() > 1,
        "parsed the real feature list: {generated:?}"
    );
    for (name, enables) in &generated {
        if name == "default" {
            continue;
        }
        assert_eq!(
            Some(enables),
            root.get(name),
            "feature `{name}` differs between Cargo.toml and generated/Cargo.toml"
        );
    }
    let root_default = root.get("default").and_then(toml::Value::as_array);
    for enabled in generated
        .get("default")
        .and_then(toml::Value::as_array)
        .expect("generated/Cargo.toml has default features")
    {
        assert!(
            root_default.is_some_and(|d| d.contains(enabled)),
            "Cargo.toml's default features lack {enabled}"
        );
    }
}

#[test]
fn neither_manifest_uses_path_or_workspace_dependencies() {
    // generated/ must build on its own once copied elsewhere.
    for (name, spec) in dependencies(&manifest("generated/Cargo.toml")) {
        for key in ["path", "workspace", "git"] {
            assert!(
                !spec.contains_key(key),
                "generated/Cargo.toml: `{name}` uses `{key}`"
            );
        }
    }
}

#[test]
fn both_manifests_build_the_same_library_crate() {
    let root = manifest("Cargo.toml");
    let generated = manifest("generated/Cargo.toml");
    let field = |m: &toml::Table, table: &str, key: &str| {
        m.get(table)
            .and_then(|t| t.get(key))
            .and_then(toml::Value::as_str)
            .map(str::to_owned)
    };

    assert_eq!(
        field(&root, "package", "name"),
        field(&generated, "package", "name")
    );
    assert_eq!(
        field(&root, "package", "edition"),
        field(&generated, "package", "edition")
    );
    assert_eq!(
        field(&root, "lib", "path").as_deref(),
        Some("generated/src/lib.rs")
    );
    assert_eq!(
        field(&generated, "lib", "path").as_deref(),
        Some("src/lib.rs")
    );
}
