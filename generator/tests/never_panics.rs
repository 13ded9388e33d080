//! Property: whatever a spec contains, the generator returns an error or a crate; it never
//! panics. Specs are made by mutating the fixtures, both as text (truncation, stray
//! bytes) and as a tree (keys removed, values replaced by odd ones, subtrees moved), so
//! most cases still parse and reach lowering and emission.

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

#[derive(Debug, Clone)]
enum Mutation {
    Remove { path: Vec<u16> },
    Replace { path: Vec<u16>, value: usize },
    Copy { from: Vec<u16>, to: Vec<u16> },
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
        (path(), any::<usize>()).prop_map(|(path, value)| Mutation::Replace { path, value }),
        (path(), path()).prop_map(|(from, to)| Mutation::Copy { from, to }),
    ]
}

/// Every fixture as a JSON tree (the product spec included).
fn fixtures() -> Vec<(String, Value)> {
    common::fixtures()
        .into_iter()
        .map(|(name, path)| {
            let text = std::fs::read_to_string(&path).expect("readable fixture");
            // The generator's own reader: serde_yaml::Value rejects the 3.1 fixture's
            // integers beyond i64.
            let value = openapi_rustgen::load::parse_document(&text)
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
        // `render` turns a panic on its thread into this error instead of unwinding.
        Err(e) => assert!(
            !matches!(e, openapi_rustgen::Error::Internal { .. }),
            "the generator panicked: {e}"
        ),
    }
}

proptest! {
    // Bounded so the whole test stays around a few seconds in CI.
    #![proptest_config(ProptestConfig {
        cases: 96,
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
