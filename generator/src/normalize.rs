//! OpenAPI 3.1 → the 3.0 model, on the raw JSON tree, before `openapiv3` types it.
//!
//! `openapiv3` (and so the rest of the generator) understands OpenAPI 3.0. A 3.1 document
//! differs mostly inside schemas, where it is JSON Schema 2020-12. This pass rewrites
//! the 3.1 spellings into their 3.0 equivalents so one IR serves both versions:
//!
//! | 3.1 | becomes |
//! |---|---|
//! | `type: [T, "null"]`, `type: "null"` | `type: T` + `nullable: true` |
//! | `anyOf`/`oneOf` with a `{type: "null"}` member | the other member(s) + `nullable: true` |
//! | `const: v` | `enum: [v]` (strings: a const type, `x-const`) |
//! | `examples: [a, ...]` in a schema | `example: a` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n` + `exclusiveMinimum: true` |
//! | `$ref` with sibling keywords | `allOf: [{$ref}]` + the siblings (3.0 ignores them); a sibling `type`/`format` is dropped |
//! | `enum`/`const` next to `allOf: [{$ref: E}]` (a narrowed shared enum) | `allOf: [{$ref: E}]`: the enum itself |
//! | `properties`/`required`/`additionalProperties` next to `allOf` | one more `allOf` member holding them |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//! | integer bounds outside i64 | clamped to i64, with a warning |
//! | `allOf` members that only annotate (`{nullable: true, description}`) | moved onto the schema |
//! | `items` without `type`; `type: object` on a bare `oneOf`/`anyOf`/`allOf` | `type: array`; no `type` |
//! | `oneOf: [{}]` next to `allOf`/`type` (dropshot's optional) | dropped (it allows anything) |
//! | keywords of another type (`minItems` or `minimum` on a string, `required` on an array, `format` on an object) | dropped (they constrain nothing) |
//! | `webhooks`, `components.pathItems` | dropped, with a warning |
//!
//! Everything not listed is left alone. The rules apply to 3.0 documents too: none of
//! them changes what a valid 3.0 schema means, and the last three repair spellings
//! common in both.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::{child, item};
use serde_json::{Map, Value};

/// Rewrites `document` in place; returns a warning for everything it approximated.
#[cfg(test)]
pub fn normalize(document: &mut Value) -> Vec<Diagnostic> {
    normalize_tracked(document).0
}

/// Like [`normalize`], and also says where the members it moved came from, so
/// pointers into the normalized document (the later phases') can be shown in the text.
/// The warnings' own pointers are already the source's: each is recorded before the
/// rules of the schemas around it move anything.
pub fn normalize_tracked(document: &mut Value) -> (Vec<Diagnostic>, Moves) {
    let mut pass = Pass::default();
    if let Some(root) = document.as_object_mut() {
        for key in ["webhooks", "x-webhooks"] {
            if root.remove(key).is_some() {
                pass.warn(
                    &format!("/{key}"),
                    "webhooks describe requests the API sends, not calls a client makes; not generated",
                );
            }
        }
        // 3.1 makes `paths` optional; the 3.0 model requires it.
        root.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
            if components.remove("pathItems").is_some() {
                pass.warn(
                    "/components/pathItems",
                    "components.pathItems (OpenAPI 3.1) is not supported; ignored",
                );
            }
        }
    }
    pass.walk_document(document, "");
    (pass.diagnostics.warnings, pass.moves)
}

#[derive(Default)]
struct Pass {
    /// Normalizing only approximates; it never fails, so only warnings are filled.
    diagnostics: Diagnostics,
    moves: Moves,
}

/// Where list members and merged keys of the normalized document were in the source.
///
/// Rules that drop a union's null member, drop annotation-only `allOf` members or put a
/// `$ref` first in an `allOf` shift the indices of the members after it; without this,
/// a later phase's pointer such as `.../oneOf/1` would be shown at the source's second
/// member, not the one it means.
#[derive(Debug, Clone, Default)]
pub struct Moves {
    /// One batch per rewrite, in the order they happened: (normalized prefix, source
    /// prefix) pairs.
    batches: Vec<Vec<(String, String)>>,
}

impl Moves {
    fn record(&mut self, batch: impl IntoIterator<Item = (String, String)>) {
        let batch: Vec<_> = batch.into_iter().filter(|(new, old)| new != old).collect();
        if !batch.is_empty() {
            self.batches.push(batch);
        }
    }

    /// The source's pointer for a pointer into the normalized document: rewrites are
    /// undone latest first (a schema's rules run after its subschemas'), at most one
    /// pair of each.
    pub fn to_source(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_string();
        for batch in self.batches.iter().rev() {
            for (new, old) in batch {
                let Some(rest) = pointer.strip_prefix(new.as_str()) else {
                    continue;
                };
                if rest.is_empty() || rest.starts_with('/') {
                    pointer = format!("{old}{rest}");
                    break;
                }
            }
        }
        pointer
    }

    /// `list/0` came from `first`, and every other member moved up one.
    fn prepended(&mut self, list: &str, first: String, old_len: usize) {
        self.record(
            std::iter::once((item(list, 0), first))
                .chain((0..old_len).map(|k| (item(list, k + 1), item(list, k)))),
        );
    }

    /// The members of `list` that were kept, by their old index.
    fn kept(&mut self, list: &str, kept: &[usize]) {
        self.record(
            kept.iter()
                .enumerate()
                .map(|(new, old)| (item(list, new), item(list, *old))),
        );
    }
}

/// Keywords whose value is one subschema.
const SUBSCHEMA_KEYS: &[&str] = &["items", "not", "additionalProperties", "contains"];
/// Keywords whose value is a list of subschemas.
const SUBSCHEMA_LIST_KEYS: &[&str] = &["allOf", "oneOf", "anyOf"];
/// Keywords whose value maps names to subschemas.
const SUBSCHEMA_MAP_KEYS: &[&str] = &["properties", "patternProperties", "$defs", "definitions"];

impl Pass {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.warn(pointer, message);
    }

    /// Walks the non-schema part of the document, looking for where schemas start:
    /// `components.schemas`, and every `schema` keyword (parameters, media types,
    /// headers). Extensions (`x-...`) are left alone; they may hold anything.
    fn walk_document(&mut self, value: &mut Value, pointer: &str) {
        match value {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    if key.starts_with("x-") {
                        continue;
                    }
                    let item_pointer = child(pointer, key);
                    if key == "schema" {
                        self.schema(item, &item_pointer);
                    } else if pointer == "/components" && key == "schemas" {
                        if let Value::Object(schemas) = item {
                            for (name, schema) in schemas.iter_mut() {
                                self.schema(schema, &child(&item_pointer, name));
                            }
                        }
                    } else if matches!(key.as_str(), "example" | "examples" | "default") {
                        // Example payloads are data, not spec structure.
                    } else {
                        self.walk_document(item, &item_pointer);
                    }
                }
            }
            Value::Array(items) => {
                for (index, element) in items.iter_mut().enumerate() {
                    self.walk_document(element, &item(pointer, index));
                }
            }
            _ => {}
        }
    }

    /// Normalizes one schema and, depth first, its subschemas.
    fn schema(&mut self, value: &mut Value, pointer: &str) {
        match value {
            Value::Bool(true) => {
                *value = Value::Object(Map::new());
                return;
            }
            Value::Bool(false) => {
                *value = serde_json::json!({ "not": {} });
                return;
            }
            Value::Object(_) => {}
            _ => return,
        }
        let Value::Object(schema) = value else {
            return;
        };

        self.subschemas(schema, pointer);
        if let Some(old_len) = ref_with_siblings(schema) {
            self.moves
                .prepended(&child(pointer, "allOf"), child(pointer, "$ref"), old_len);
        }
        if let Some(member) = object_siblings_into_all_of(schema) {
            let member = item(&child(pointer, "allOf"), member);
            self.moves.record(
                OBJECT_SIBLINGS
                    .iter()
                    .map(|key| (child(&member, key), child(pointer, key))),
            );
        }
        self.type_list(schema, pointer);
        narrowed_enum(schema);
        const_to_enum(schema);
        examples_to_example(schema);
        exclusive_bounds(schema);
        self.nullable_union(schema, pointer);
        if let Some(kept) = annotation_only_all_of_members(schema) {
            self.moves.kept(&child(pointer, "allOf"), &kept);
        }
        empty_alternatives(schema);
        implied_type(schema);
        misplaced_keywords(schema);
        self.integer_bounds(schema, pointer);
    }

    fn subschemas(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
        for key in SUBSCHEMA_KEYS {
            if let Some(sub) = schema.get_mut(*key) {
                let sub_pointer = child(pointer, key);
                if *key == "additionalProperties" && sub.is_boolean() {
                    // `additionalProperties: true/false` is valid 3.0 as it is.
                    continue;
                }
                if *key == "items" && sub.is_array() {
                    self.warn(
                        &sub_pointer,
                        "`items` as a list (tuple) has no Rust array type; items are serde_json::Value",
                    );
                    *sub = Value::Object(Map::new());
                    continue;
                }
                self.schema(sub, &sub_pointer);
            }
        }
        if let Some(prefix) = schema.remove("prefixItems") {
            self.warn(
                &child(pointer, "prefixItems"),
                "`prefixItems` (tuples) has no Rust array type; items are serde_json::Value",
            );
            if !schema.contains_key("items") {
                let _ = prefix;
                schema.insert("items".to_string(), Value::Object(Map::new()));
            }
        }
        for key in SUBSCHEMA_LIST_KEYS {
            if let Some(Value::Array(members)) = schema.get_mut(*key) {
                let list_pointer = child(pointer, key);
                for (index, member) in members.iter_mut().enumerate() {
                    self.schema(member, &item(&list_pointer, index));
                }
            }
        }
        for key in SUBSCHEMA_MAP_KEYS {
            if let Some(Value::Object(members)) = schema.get_mut(*key) {
                let map_pointer = child(pointer, key);
                for (name, member) in members.iter_mut() {
                    self.schema(member, &child(&map_pointer, name));
                }
            }
        }
    }

    /// `type: [T, "null"]` → `type: T, nullable: true`; several non-null types have no
    /// single Rust type, so the schema becomes untyped (serde_json::Value).
    fn type_list(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
        let types: Vec<String> = match schema.get("type") {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            Some(Value::String(one)) if one == "null" => vec![one.clone()],
            _ => return,
        };
        let non_null: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
        if non_null.len() < types.len() {
            schema.insert("nullable".to_string(), Value::Bool(true));
        }
        match non_null.as_slice() {
            [] => {
                schema.remove("type");
            }
            [one] => {
                schema.insert("type".to_string(), Value::String((*one).clone()));
            }
            several => {
                let list = several
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.warn(
                    &child(pointer, "type"),
                    format!("a value of several types ({list}) has no single Rust type; using serde_json::Value"),
                );
                schema.remove("type");
            }
        }
    }

    /// `anyOf`/`oneOf` with a null member: drop it and mark the schema nullable. One
    /// member left: a `$ref` becomes `allOf: [$ref]`, an inline schema is merged in.
    fn nullable_union(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = schema.get_mut(key) else {
                continue;
            };
            let before = members.len();
            let kept: Vec<usize> = (0..before)
                .filter(|index| !is_null_schema(&members[*index]))
                .collect();
            members.retain(|member| !is_null_schema(member));
            if members.len() == before {
                continue;
            }
            schema.insert("nullable".to_string(), Value::Bool(true));
            let Some(Value::Array(members)) = schema.get(key) else {
                continue;
            };
            match members.as_slice() {
                [] => {
                    schema.remove(key);
                }
                [only] => {
                    let only = only.clone();
                    schema.remove(key);
                    let source = item(&child(pointer, key), kept[0]);
                    match absorb_single_member(schema, only) {
                        Absorbed::Reference { old_all_of_len } => {
                            self.moves
                                .prepended(&child(pointer, "allOf"), source, old_all_of_len)
                        }
                        Absorbed::Keys(keys) => self
                            .moves
                            .record(keys.iter().map(|k| (child(pointer, k), child(&source, k)))),
                    }
                }
                _ => self.moves.kept(&child(pointer, key), &kept),
            }
        }
    }

    /// openapiv3 holds integer bounds as i64; larger ones (read as floats) are clamped.
    fn integer_bounds(&mut self, schema: &mut Map<String, Value>, pointer: &str) {
        if schema.get("type").and_then(Value::as_str) != Some("integer") {
            return;
        }
        for key in ["minimum", "maximum"] {
            let Some(bound) = schema.get(key) else {
                continue;
            };
            if bound.is_i64() {
                continue;
            }
            let Some(float) = bound.as_f64() else {
                continue;
            };
            let clamped = if float <= i64::MIN as f64 {
                i64::MIN
            } else if float >= i64::MAX as f64 {
                i64::MAX
            } else {
                // A fractional bound on an integer: the nearest integer inside it.
                if key == "minimum" {
                    float.ceil() as i64
                } else {
                    float.floor() as i64
                }
            };
            // Only a bound that was not an i64 in the text gets here: one too large for
            // i64, or a fraction.
            self.warn(
                &child(pointer, key),
                format!("integer bound {bound} is not an i64; using {clamped}"),
            );
            schema.insert(key.to_string(), Value::from(clamped));
        }
    }
}

/// Keywords that describe a value without constraining its shape.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "nullable",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "example",
];

/// `allOf: [{$ref: X}, {nullable: true, description: ...}]` (common in the OpenAI spec):
/// members that only annotate move their words to the schema, so what is left is the
/// reference alone.
/// Returns the old indices of the members kept, when any moved.
fn annotation_only_all_of_members(schema: &mut Map<String, Value>) -> Option<Vec<usize>> {
    let Some(Value::Array(members)) = schema.get_mut("allOf") else {
        return None;
    };
    let is_annotation_only = |member: &Value| {
        matches!(member, Value::Object(map) if !map.is_empty()
            && map.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")))
    };
    if members.len() < 2 || !members.iter().any(is_annotation_only) {
        return None;
    }
    let kept = (0..members.len())
        .filter(|index| !is_annotation_only(&members[*index]))
        .collect();
    let mut annotations = Vec::new();
    members.retain(|member| {
        if is_annotation_only(member) {
            annotations.push(member.clone());
            false
        } else {
            true
        }
    });
    for annotation in annotations {
        if let Value::Object(words) = annotation {
            for (key, value) in words {
                schema.entry(key).or_insert(value);
            }
        }
    }
    Some(kept)
}

/// `oneOf: [{}]` next to a real shape (dropshot's spelling of an optional `allOf`) allows
/// anything, so it adds nothing; without it the schema keeps its one meaning.
fn empty_alternatives(schema: &mut Map<String, Value>) {
    let shaped = ["allOf", "type", "$ref"]
        .iter()
        .any(|k| schema.contains_key(*k));
    if !shaped {
        return;
    }
    for key in ["oneOf", "anyOf"] {
        let only_empty = matches!(schema.get(key), Some(Value::Array(members))
            if !members.is_empty() && members.iter().all(|m| m.as_object().is_some_and(Map::is_empty)));
        if only_empty {
            schema.remove(key);
        }
    }
}

/// Shapes the keywords imply: `items` without `type` is an array; `type: object` next to
/// `oneOf`/`anyOf`/`allOf` and nothing object-like is the combination itself.
fn implied_type(schema: &mut Map<String, Value>) {
    if !schema.contains_key("type") && schema.contains_key("items") {
        schema.insert("type".to_string(), Value::String("array".to_string()));
    }
    let is_union = ["oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| schema.contains_key(*k));
    let object_words = ["properties", "additionalProperties", "required"]
        .iter()
        .any(|k| schema.contains_key(*k));
    if is_union && !object_words && schema.get("type").and_then(Value::as_str) == Some("object") {
        schema.remove("type");
    }
}

/// Keywords that only mean something for one `type`; openapiv3 cannot type a schema
/// that has them next to another `type` (`{type: string, minItems: 1}` from the OpenAI
/// spec), so they are dropped: they never constrained anything.
fn misplaced_keywords(schema: &mut Map<String, Value>) {
    const ARRAY: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];
    const OBJECT: &[&str] = &[
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "maxProperties",
    ];
    // `{type: string, format: uuid, minimum: 1}` (DigitalOcean's ids), `{type: object,
    // maxLength: 80}` (Adyen), `{type: object, format: uri-map}` (Twilio).
    const NUMBER: &[&str] = &[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ];
    const STRING: &[&str] = &["pattern", "minLength", "maxLength"];
    const FORMAT: &[&str] = &["format"];
    let misplaced: &[&[&str]] = match schema.get("type").and_then(Value::as_str) {
        Some("string") => &[ARRAY, OBJECT, NUMBER],
        Some("integer" | "number") => &[ARRAY, OBJECT, STRING],
        Some("boolean") => &[ARRAY, OBJECT, NUMBER, STRING, FORMAT],
        Some("array") => &[OBJECT, NUMBER, STRING, FORMAT],
        Some("object") => &[ARRAY, NUMBER, STRING, FORMAT],
        _ => return,
    };
    for key in misplaced.iter().flat_map(|keys| keys.iter()) {
        schema.remove(*key);
    }
}

/// True for the schemas that only allow `null`.
fn is_null_schema(member: &Value) -> bool {
    let Value::Object(map) = member else {
        return false;
    };
    let only_null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(list)) => list.iter().all(|t| t == "null"),
        _ => false,
    };
    let only_null_enum = matches!(map.get("enum"), Some(Value::Array(values)) if values.iter().all(Value::is_null) && !values.is_empty());
    let null_const = matches!(map.get("const"), Some(Value::Null));
    // A member that was `type: "null"` and already went through `type_list`.
    let normalized_null = map.get("nullable") == Some(&Value::Bool(true))
        && map
            .keys()
            .all(|k| matches!(k.as_str(), "nullable" | "description" | "title"));
    only_null_type || only_null_enum || null_const || normalized_null
}

/// What [`absorb_single_member`] did with the member.
enum Absorbed {
    /// Put it first in `allOf`, which had this many members.
    Reference { old_all_of_len: usize },
    /// Moved these keys of it into the schema.
    Keys(Vec<String>),
}

/// Puts the last member of a nullable union into the schema that held the union.
fn absorb_single_member(schema: &mut Map<String, Value>, member: Value) -> Absorbed {
    let Value::Object(member) = member else {
        return Absorbed::Keys(Vec::new());
    };
    if member.contains_key("$ref") && member.len() == 1 {
        let mut all_of = match schema.remove("allOf") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        let old_all_of_len = all_of.len();
        all_of.insert(0, Value::Object(member));
        schema.insert("allOf".to_string(), Value::Array(all_of));
        return Absorbed::Reference { old_all_of_len };
    }
    let mut moved = Vec::new();
    for (key, value) in member {
        // The outer schema's own words (its description, its nullability) win.
        if !schema.contains_key(&key) {
            moved.push(key.clone());
            schema.insert(key, value);
        }
    }
    Absorbed::Keys(moved)
}

/// The keywords that describe an object's own members.
const OBJECT_SIBLINGS: &[&str] = &["properties", "required", "additionalProperties"];

/// `{properties: {name}, allOf: [{$ref: B}]}`: the schema is B's members *and* its own
/// (openapiv3 reads only one of the two, so B's fields were dropped without a word).
/// The schema's own object keywords become one more `allOf` member; returns its index.
fn object_siblings_into_all_of(schema: &mut Map<String, Value>) -> Option<usize> {
    if !matches!(schema.get("allOf"), Some(Value::Array(_)))
        || !OBJECT_SIBLINGS.iter().any(|key| schema.contains_key(*key))
    {
        return None;
    }
    let mut member = Map::new();
    member.insert("type".to_string(), Value::String("object".to_string()));
    for key in OBJECT_SIBLINGS {
        if let Some(value) = schema.remove(*key) {
            member.insert((*key).to_string(), value);
        }
    }
    let Some(Value::Array(all_of)) = schema.get_mut("allOf") else {
        return None;
    };
    all_of.push(Value::Object(member));
    Some(all_of.len() - 1)
}

/// `{type: integer, enum: [2], allOf: [{$ref: Kinds}]}` (or `const: 2`): a value of a
/// shared enum narrowed to some of its values. It is typed as the shared enum itself:
/// the narrowing is the server's promise, and a Rust type per subset would multiply
/// types that callers then convert between.
fn narrowed_enum(schema: &mut Map<String, Value>) {
    let one_ref = matches!(
        schema.get("allOf"),
        Some(Value::Array(members))
            if members.len() == 1 && members[0].get("$ref").is_some()
    );
    let narrows = schema.contains_key("enum") || schema.contains_key("const");
    if one_ref && narrows && !schema.contains_key("properties") {
        for key in ["enum", "const", "type", "format"] {
            schema.remove(key);
        }
    }
}

/// `{$ref, description, ...}` → `{allOf: [{$ref}], description, ...}`, so the
/// siblings (docs, `nullable`, `default`) are kept where 3.0 would drop them.
/// Returns how many members `allOf` had before, when it rewrote the schema.
fn ref_with_siblings(schema: &mut Map<String, Value>) -> Option<usize> {
    if !schema.contains_key("$ref") || schema.len() == 1 {
        return None;
    }
    // The referenced schema says what the value is; a sibling `type` or `format` (common
    // in 3.0 specs, where siblings of `$ref` mean nothing) only restates or contradicts it.
    schema.remove("type");
    schema.remove("format");
    if schema.len() == 1 {
        return None;
    }
    let reference = schema.remove("$ref")?;
    let mut target = Map::new();
    target.insert("$ref".to_string(), reference);
    let mut all_of = match schema.remove("allOf") {
        Some(Value::Array(list)) => list,
        _ => Vec::new(),
    };
    let old_len = all_of.len();
    all_of.insert(0, Value::Object(target));
    schema.insert("allOf".to_string(), Value::Array(all_of));
    Some(old_len)
}

/// `const: v` → `enum: [v]`; a string const also becomes a const type (`x-const`).
fn const_to_enum(schema: &mut Map<String, Value>) {
    let Some(value) = schema.remove("const") else {
        return;
    };
    if !schema.contains_key("type") {
        let inferred = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let Some(t) = inferred {
            schema.insert("type".to_string(), Value::String(t.to_string()));
        }
    }
    if let Value::String(text) = &value {
        schema.insert("x-const".to_string(), Value::String(text.clone()));
    }
    schema.insert("enum".to_string(), Value::Array(vec![value]));
}

/// JSON Schema's `examples` list → OpenAPI 3.0's single `example`.
fn examples_to_example(schema: &mut Map<String, Value>) {
    if !matches!(schema.get("examples"), Some(Value::Array(_))) {
        return;
    }
    if let Some(Value::Array(mut examples)) = schema.remove("examples") {
        if !schema.contains_key("example") && !examples.is_empty() {
            schema.insert("example".to_string(), examples.swap_remove(0));
        }
    }
}

/// 3.1's numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true`.
fn exclusive_bounds(schema: &mut Map<String, Value>) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = schema.get(exclusive) {
            let n = Value::Number(n.clone());
            schema.insert(bound.to_string(), n);
            schema.insert(exclusive.to_string(), Value::Bool(true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema_after(schema: Value) -> (Value, Vec<Diagnostic>) {
        let mut document = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"S": schema}}
        });
        let warnings = normalize(&mut document);
        (document["components"]["schemas"]["S"].clone(), warnings)
    }

    #[test]
    fn type_list_with_null_becomes_nullable() {
        let (s, w) = schema_after(json!({"type": ["string", "null"]}));
        assert_eq!(s, json!({"type": "string", "nullable": true}));
        assert!(w.is_empty());
    }

    #[test]
    fn several_types_become_untyped_with_a_warning() {
        let (s, w) = schema_after(json!({"type": ["string", "integer"]}));
        assert_eq!(s, json!({}));
        assert_eq!(w[0].pointer, "/components/schemas/S/type");
    }

    #[test]
    fn any_of_ref_or_null_becomes_nullable_all_of() {
        let (s, _) = schema_after(json!({
            "description": "d",
            "anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]
        }));
        assert_eq!(
            s,
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn any_of_inline_or_null_is_merged() {
        let (s, _) = schema_after(json!({
            "anyOf": [{"type": "integer", "description": "inner"}, {"type": "null"}],
            "description": "outer"
        }));
        assert_eq!(
            s,
            json!({"description": "outer", "nullable": true, "type": "integer"})
        );
    }

    #[test]
    fn const_and_examples() {
        let (s, _) = schema_after(json!({"const": "list", "examples": ["list", "x"]}));
        assert_eq!(
            s,
            json!({"type": "string", "x-const": "list", "enum": ["list"], "example": "list"})
        );
    }

    #[test]
    fn numeric_exclusive_minimum() {
        let (s, _) = schema_after(json!({"type": "number", "exclusiveMinimum": 0}));
        assert_eq!(
            s,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn ref_siblings_move_into_all_of() {
        let (s, _) = schema_after(json!({"$ref": "#/components/schemas/T", "description": "d"}));
        assert_eq!(
            s,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn a_type_beside_a_ref_is_dropped() {
        let (s, _) = schema_after(json!({"$ref": "#/components/schemas/T", "type": "string"}));
        assert_eq!(s, json!({"$ref": "#/components/schemas/T"}));
        let (s, _) = schema_after(
            json!({"$ref": "#/components/schemas/T", "type": "string", "description": "d"}),
        );
        assert_eq!(
            s,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn object_keywords_beside_all_of_become_a_member() {
        let mut document = json!({"openapi": "3.0.3", "components": {"schemas": {"S": {
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "required": ["id", "name"],
            "allOf": [{"$ref": "#/components/schemas/B"}]
        }}}});
        let (_, moves) = normalize_tracked(&mut document);
        let s = document["components"]["schemas"]["S"].clone();
        assert_eq!(
            s,
            json!({"allOf": [
                {"$ref": "#/components/schemas/B"},
                {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["id", "name"]}
            ]})
        );
        assert_eq!(
            moves.to_source("/components/schemas/S/allOf/1/properties/name"),
            "/components/schemas/S/properties/name"
        );
    }

    #[test]
    fn a_narrowed_shared_enum_is_the_enum() {
        let (s, _) = schema_after(json!({
            "type": "integer", "format": "int32", "enum": [2], "description": "d",
            "allOf": [{"$ref": "#/components/schemas/Kinds"}]
        }));
        assert_eq!(
            s,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/Kinds"}]})
        );
        // Not when the schema adds properties of its own.
        let object = json!({
            "enum": [{}], "properties": {"a": {}},
            "allOf": [{"$ref": "#/components/schemas/Base"}]
        });
        let (s, _) = schema_after(object.clone());
        assert!(s.get("enum").is_some(), "{s}");
    }

    #[test]
    fn huge_integer_bound_is_clamped_with_a_warning() {
        let (s, w) = schema_after(json!({"type": "integer", "minimum": -9.223372036854776e18}));
        assert_eq!(s, json!({"type": "integer", "minimum": i64::MIN}));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].pointer, "/components/schemas/S/minimum");
    }

    #[test]
    fn nested_property_schemas_are_normalized() {
        let (s, _) = schema_after(json!({
            "type": "object",
            "properties": {"a": {"type": ["integer", "null"]}}
        }));
        assert_eq!(
            s["properties"]["a"],
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn annotation_only_all_of_members_move_onto_the_schema() {
        let (s, _) = schema_after(json!({
            "allOf": [{"$ref": "#/components/schemas/T"}, {"nullable": true, "description": "d"}]
        }));
        assert_eq!(
            s,
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true, "description": "d"})
        );
    }

    #[test]
    fn implied_types() {
        let (s, _) = schema_after(json!({"items": {"type": "string"}}));
        assert_eq!(s, json!({"items": {"type": "string"}, "type": "array"}));
        let (s, _) = schema_after(
            json!({"type": "object", "oneOf": [{"type": "string"}, {"type": "integer"}]}),
        );
        assert_eq!(
            s,
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn empty_alternatives_next_to_a_shape_are_dropped() {
        let (s, _) = schema_after(json!({
            "nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}], "oneOf": [{}]
        }));
        assert_eq!(
            s,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn keywords_of_another_type_are_dropped() {
        let (s, _) = schema_after(json!({"type": "string", "minItems": 1, "required": ["a"]}));
        assert_eq!(s, json!({"type": "string"}));
        let (s, _) = schema_after(json!({"type": "array", "items": {}, "required": ["a"]}));
        assert_eq!(s, json!({"type": "array", "items": {}}));
        let (s, _) = schema_after(
            json!({"type": "string", "format": "uuid", "minimum": 1, "maxLength": 36}),
        );
        assert_eq!(
            s,
            json!({"type": "string", "format": "uuid", "maxLength": 36})
        );
        let (s, _) = schema_after(
            json!({"type": "object", "format": "uri-map", "maxLength": 80, "nullable": true}),
        );
        assert_eq!(s, json!({"type": "object", "nullable": true}));
        let (s, _) = schema_after(json!({"type": "integer", "minimum": 1, "pattern": "^[0-9]+$"}));
        assert_eq!(s, json!({"type": "integer", "minimum": 1}));
    }

    #[test]
    fn webhooks_are_dropped_with_a_warning() {
        let mut document = json!({"openapi": "3.1.0", "webhooks": {"a": {}}});
        let warnings = normalize(&mut document);
        assert!(document.get("webhooks").is_none());
        assert_eq!(document["paths"], json!({}));
        assert_eq!(warnings[0].pointer, "/webhooks");
    }

    #[test]
    fn moved_members_map_back_to_their_source_pointers() {
        let mut document = json!({"openapi": "3.1.0", "components": {"schemas": {"S": {
            "oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}, {"type": "string", "minLength": 1}],
            "properties": {"p": {"anyOf": [{"type": "null"}, {"type": "object", "properties": {"q": {}}}]}},
            "type": "object"
        }, "R": {"$ref": "#/components/schemas/A", "description": "d", "allOf": [{"type": "object"}]}}}});
        let (_, moves) = normalize_tracked(&mut document);
        let s = "/components/schemas/S";
        // The null member went, so the others moved up one.
        assert_eq!(
            moves.to_source(&format!("{s}/oneOf/0")),
            format!("{s}/oneOf/1")
        );
        assert_eq!(
            moves.to_source(&format!("{s}/oneOf/1/minLength")),
            format!("{s}/oneOf/2/minLength")
        );
        // A lone inline member is merged into the property.
        assert_eq!(
            moves.to_source(&format!("{s}/properties/p/properties/q")),
            format!("{s}/properties/p/anyOf/1/properties/q")
        );
        // `$ref` with siblings went first into `allOf`, after the existing members.
        let r = "/components/schemas/R";
        assert_eq!(
            moves.to_source(&format!("{r}/allOf/0")),
            format!("{r}/$ref")
        );
        assert_eq!(
            moves.to_source(&format!("{r}/allOf/1")),
            format!("{r}/allOf/0")
        );
        assert_eq!(moves.to_source(&format!("{s}/type")), format!("{s}/type"));
    }
}
