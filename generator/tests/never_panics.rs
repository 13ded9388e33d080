//! Property: whatever a spec contains, the generator returns an error or a crate; it never
//! panics. Specs are made by mutating the fixtures, both as text (truncation, stray
//! bytes) and as a tree (keys removed or renamed to odd names, values replaced by odd
//! ones, subtrees moved), so most cases still parse and reach lowering and emission. An
//! "internal error" (generated code that does not parse, a panicking worker thread) is a
//! generator bug, never an acceptable answer to a spec, so it fails the property too.

mod common;

use openapi_rustgen::Settings;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Values that break assumptions: wrong types, dangling and cyclic references, empty
/// combinators, huge numbers, strings that are not identifiers.
fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1e300),
        json!(""),
        json!("9 lives-and\u{e9}"),
        json!([]),
        json!({}),
        json!({"$ref": "#/components/schemas/Nope"}),
        json!({"$ref": "#/paths/~1x"}),
        json!({"type": "null"}),
        json!({"type": ["string", "null"]}),
        json!({"allOf": []}),
        json!({"oneOf": [{}]}),
        json!({"anyOf": [{"type": "object", "properties": {"type": {"const": "x"}}}], "discriminator": {"propertyName": "type"}}),
        json!({"type": "array"}),
        json!({"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Nope"}}),
        json!({"enum": [null, 1, "a"]}),
        json!({"type": "integer", "enum": ["a"]}),
    ]
}

/// Keys that break assumptions about names: empty or symbol-only, Rust keywords, names
/// the generated crate already uses, generic-parameter names, format braces, control
/// and bidi characters.
fn odd_keys() -> Vec<&'static str> {
    vec![
        "",
        "_",
        "-",
        ".",
        "new",
        "builder",
        "with_options",
        "timeout",
        "body",
        "additional_properties",
        "Unknown",
        "unknown",
        "type",
        "self",
        "Self",
        "E",
        "D",
        "Visitor",
        "{}",
        "a\nb",
        "a\rb",
        "\u{202e}x",
        "1",
        "$ref",
        "r#type",
        "`",
        "\"",
    ]
}

/// How a subtree is wrapped, level after level, to make deep but legal nesting.
fn wrap(kind: usize, inner: Value) -> Value {
    match kind % 6 {
        0 => json!({"type": "array", "items": inner}),
        1 => json!({"oneOf": [inner, {"type": "string"}]}),
        2 => json!({"type": "object", "additionalProperties": inner}),
        3 => json!({"allOf": [inner]}),
        4 => json!({"type": "object", "required": ["a"], "properties": {"a": inner}}),
        _ => json!({"anyOf": [inner, {"type": "null"}]}),
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Wraps the node at `path` in `depth` levels of arrays, maps, objects or unions.
    Nest {
        path: Vec<u16>,
        depth: u16,
        kind: usize,
    },
    /// Renames the key at `path` (a key of the map reached by its parent) to an odd key.
    Rename {
        path: Vec<u16>,
        key: usize,
    },
    Remove {
        path: Vec<u16>,
    },
    Replace {
        path: Vec<u16>,
        value: usize,
    },
    Copy {
        from: Vec<u16>,
        to: Vec<u16>,
    },
}

/// The node reached by taking child `i % len` at each step (stopping at leaves).
fn walk<'a>(mut node: &'a mut Value, path: &[u16]) -> &'a mut Value {
    for step in path {
        let len = match node {
            Value::Object(map) => map.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        if len == 0 {
            break;
        }
        let index = usize::from(*step) % len;
        node = match node {
            Value::Object(map) => map.values_mut().nth(index).expect("index < len"),
            Value::Array(items) => &mut items[index],
            _ => unreachable!("only containers have children"),
        };
    }
    node
}

fn apply(document: &mut Value, mutation: &Mutation) {
    match mutation {
        Mutation::Remove { path } => {
            let (last, parent) = path.split_last().unwrap_or((&0, &[]));
            match walk(document, parent) {
                Value::Object(map) if !map.is_empty() => {
                    let key = map.keys().nth(usize::from(*last) % map.len()).cloned();
                    if let Some(key) = key {
                        map.shift_remove(&key);
                    }
                }
                Value::Array(items) if !items.is_empty() => {
                    let index = usize::from(*last) % items.len();
                    items.remove(index);
                }
                _ => {}
            }
        }
        Mutation::Nest { path, depth, kind } => {
            let node = walk(document, path);
            let mut value = node.take();
            for level in 0..*depth {
                value = wrap(kind.wrapping_add(usize::from(level) / 7), value);
            }
            *node = value;
        }
        Mutation::Rename { path, key } => {
            let (last, parent) = path.split_last().unwrap_or((&0, &[]));
            if let Value::Object(map) = walk(document, parent) {
                if !map.is_empty() {
                    let index = usize::from(*last) % map.len();
                    let keys = odd_keys();
                    let new_key = keys[key % keys.len()].to_string();
                    let old_key = map.keys().nth(index).cloned();
                    if let Some(old_key) = old_key {
                        if let Some(value) = map.shift_remove(&old_key) {
                            map.insert(new_key, value);
                        }
                    }
                }
            }
        }
        Mutation::Replace { path, value } => {
            let values = odd_values();
            *walk(document, path) = values[value % values.len()].clone();
        }
        Mutation::Copy { from, to } => {
            let subtree = walk(document, from).clone();
            *walk(document, to) = subtree;
        }
    }
}

fn path() -> impl Strategy<Value = Vec<u16>> {
    prop::collection::vec(any::<u16>(), 1..8)
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        path().prop_map(|path| Mutation::Remove { path }),
        (path(), 1u16..400, any::<usize>()).prop_map(|(path, depth, kind)| Mutation::Nest {
            path,
            depth,
            kind
        }),
        (path(), any::<usize>()).prop_map(|(path, key)| Mutation::Rename { path, key }),
        (path(), any::<usize>()).prop_map(|(path, value)| Mutation::Replace { path, value }),
        (path(), path()).prop_map(|(from, to)| Mutation::Copy { from, to }),
    ]
}

/// Every fixture as a JSON tree (the product spec included), parsed once.
fn fixtures() -> &'static [(String, Value)] {
    static FIXTURES: std::sync::OnceLock<Vec<(String, Value)>> = std::sync::OnceLock::new();
    FIXTURES.get_or_init(parse_fixtures)
}

fn parse_fixtures() -> Vec<(String, Value)> {
    common::fixtures()
        .into_iter()
        .map(|(name, path)| {
            let text = std::fs::read_to_string(&path).expect("readable fixture");
            // The generator's own reader: serde_yaml::Value rejects the 3.1 fixture's
            // integers beyond i64.
            let value = openapi_rustgen::parse_document(&text)
                .unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"));
            (name, value)
        })
        .collect()
}

/// Generates from bytes and checks the one thing that must hold either way.
fn generate(bytes: &[u8]) {
    match Settings::new("mutated.yaml", "out").render_bytes(bytes) {
        Ok(rendered) => assert!(
            rendered.files.iter().any(|f| f.path == "src/models.rs"),
            "a successful run renders the models file"
        ),
        Err(error) => {
            // `render` turns a panic on its thread into `Error::Internal` instead of
            // unwinding; emitted code that does not parse is an internal error too.
            let message = error.to_string();
            assert!(
                !matches!(error, openapi_rustgen::Error::Internal { .. })
                    && !message.starts_with("internal error"),
                "the generator failed on its own: {message}\nspec: {}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

/// Cases per property: 96, or `NEVER_PANICS_CASES`.
fn cases() -> u32 {
    std::env::var("NEVER_PANICS_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(96)
}

proptest! {
    // Bounded so the whole test stays within seconds in CI; `NEVER_PANICS_CASES` sets
    // the count for a long run (`cargo test --release --test never_panics`).
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn tree_mutations_never_panic(
        fixture in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let fixtures = fixtures();
        let (_, mut document) = fixtures[fixture % fixtures.len()].clone();
        for mutation in &mutations {
            apply(&mut document, mutation);
        }
        let text = serde_json::to_vec(&document).expect("a JSON value serializes");
        generate(&text);
    }

    #[test]
    fn text_mutations_never_panic(
        fixture in any::<usize>(),
        cut in any::<usize>(),
        insert in prop::collection::vec(any::<u8>(), 0..6),
    ) {
        let fixtures = common::fixtures();
        let (_, path) = &fixtures[fixture % fixtures.len()];
        let mut bytes = std::fs::read(path).expect("readable fixture");
        let at = cut % (bytes.len() + 1);
        bytes.truncate(at);
        bytes.extend_from_slice(&insert);
        generate(&bytes);
    }
}
