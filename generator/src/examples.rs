//! Which of the spec's examples decode into the type they illustrate, checked over the IR
//! by the rules the generated client's serde decoding follows.
//!
//! Vendors' examples often disagree with their own schemas (a field left out that the
//! schema requires, a number where it says string). The mock serves examples and the
//! generated crate's tests decode them, so one such example would fail a team's build
//! for the vendor's mistake. [`keep_fitting`] runs after lowering: an example that does
//! not decode gets one warning at its place in the spec, naming the first mismatch by
//! its path inside the example, and is dropped, so the mock and its tests fall back to a
//! sample of the schema. [`fits`] is the same check for values the generator makes.
//!
//! "Fits" means exactly what the client accepts: unknown fields are ignored (unless a
//! struct keeps extra properties, whose values must then decode), enums take unknown
//! values, `Option` fields take `null` or nothing, integers must be integers in their
//! format's range. Examples are untrusted and types may be cyclic, so the walk follows
//! the example (which is finite), and is bounded in steps and depth: an example too big
//! or too deep to check is treated as not fitting.

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, Example, IntegerFormat, TypeDef, TypeId, TypeKind, TypeRef};
use serde_json::Value;
use std::collections::BTreeSet;

/// Nodes visited per example (untagged unions visit a node once per variant tried).
const MAX_STEPS: usize = 1_000_000;

/// Nested checks per example: the example's own depth (at most `limits::MAX_DEPTH`) plus
/// the aliases, newtypes and union variants passed through on the way.
const MAX_DEPTH: usize = 512;

/// Whether `value` decodes as `ty` in the generated client.
pub(crate) fn fits(api: &Api, ty: &TypeRef, value: &Value) -> bool {
    first_mismatch(api, ty, value).is_none()
}

/// The first part of `value` that does not decode as `ty`, if any.
fn first_mismatch(api: &Api, ty: &TypeRef, value: &Value) -> Option<Mismatch> {
    Checker::new(api)
        .check(ty, value, 0)
        .err()
        .map(Fail::into_mismatch)
}

/// Warns about every example that does not decode into its type and removes it from the
/// IR, so nothing generated uses it.
pub(crate) fn keep_fitting(api: &mut Api, diagnostics: &mut Diagnostics) {
    let misfits = misfits(api);
    let mut warned = BTreeSet::new();
    for (_, pointer, mismatch) in &misfits {
        // An inline schema's example is both its type's and its field's: warn once.
        if warned.insert(pointer.as_str()) {
            diagnostics.warn(pointer, mismatch.message());
        }
    }
    // Last first, so removing one event example leaves the indices of earlier ones.
    for (site, _, _) in misfits.iter().rev() {
        remove(api, *site);
    }
}

/// Where an example sits in the IR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Site {
    Type(usize),
    Field { ty: usize, field: usize },
    Param { op: usize, param: usize },
    Body(usize),
    Response(usize),
    Event { op: usize, event: usize },
}

/// Every example that does not fit: where it sits, its pointer in the spec and its first
/// mismatch, in IR order.
fn misfits(api: &Api) -> Vec<(Site, String, Mismatch)> {
    let mut found = Vec::new();
    let mut check = |site: Site, ty: &TypeRef, example: &Example| {
        if let Some(mismatch) = first_mismatch(api, ty, &example.value) {
            found.push((site, example.pointer.clone(), mismatch));
        }
    };
    for (index, def) in api.types.iter().enumerate() {
        if let Some(example) = &def.docs.example {
            check(Site::Type(index), &TypeRef::Named(TypeId(index)), example);
        }
        if let TypeKind::Struct(s) = &def.kind {
            for (field_index, field) in s.fields.iter().enumerate() {
                let Some(example) = &field.docs.example else {
                    continue;
                };
                // An `Option` field takes `null` as well as its type.
                let ty = if field.is_optional() {
                    TypeRef::Nullable(Box::new(field.ty.clone()))
                } else {
                    field.ty.clone()
                };
                let site = Site::Field {
                    ty: index,
                    field: field_index,
                };
                check(site, &ty, example);
            }
        }
    }
    for (op_index, op) in api.operations.iter().enumerate() {
        for (param_index, param) in op.params.iter().enumerate() {
            if let Some(example) = &param.example {
                let site = Site::Param {
                    op: op_index,
                    param: param_index,
                };
                check(site, &param.ty, example);
            }
        }
        if let Some(body) = &op.body {
            // Only JSON bodies are sent as their example; form and multipart examples
            // are never used.
            if let (Some(example), crate::ir::BodyEncoding::Json) = (&body.example, body.encoding) {
                check(Site::Body(op_index), &body.ty, example);
            }
        }
        if let (Some(example), crate::ir::ResponseKind::Json(ty)) =
            (&op.response.example, &op.response.kind)
        {
            check(Site::Response(op_index), ty, example);
        }
        if let Some(stream) = &op.event_stream {
            for (event_index, example) in stream.examples.iter().enumerate() {
                let site = Site::Event {
                    op: op_index,
                    event: event_index,
                };
                check(site, &stream.event, example);
            }
        }
    }
    found
}

/// Drops the example at `site`.
fn remove(api: &mut Api, site: Site) {
    match site {
        Site::Type(index) => api.types[index].docs.example = None,
        Site::Field { ty, field } => {
            if let TypeKind::Struct(s) = &mut api.types[ty].kind {
                s.fields[field].docs.example = None;
            }
        }
        Site::Param { op, param } => api.operations[op].params[param].example = None,
        Site::Body(op) => {
            if let Some(body) = &mut api.operations[op].body {
                body.example = None;
            }
        }
        Site::Response(op) => api.operations[op].response.example = None,
        Site::Event { op, event } => {
            if let Some(stream) = &mut api.operations[op].event_stream {
                stream.examples.remove(event);
            }
        }
    }
}

/// The first thing in an example that the client would not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    /// Tokens of the path inside the example, innermost first (pushed while unwinding).
    path: Vec<String>,
    problem: String,
}

impl Mismatch {
    fn new(problem: impl Into<String>) -> Self {
        Mismatch {
            path: Vec::new(),
            problem: problem.into(),
        }
    }

    /// The JSON pointer of the mismatch inside the example (`""` for the example itself).
    pub(crate) fn pointer(&self) -> String {
        self.path
            .iter()
            .rev()
            .fold(String::new(), |pointer, token| {
                crate::pointer::child(&pointer, token)
            })
    }

    /// The warning's text. Paths and names are in backticks so the census groups the
    /// same problem across examples.
    fn message(&self) -> String {
        let pointer = self.pointer();
        let place = if pointer.is_empty() {
            String::new()
        } else {
            format!("at `{pointer}`: ")
        };
        format!(
            "example does not fit its schema, so it is not used: {place}{}",
            self.problem
        )
    }
}

/// Why a check failed.
#[derive(Debug)]
enum Fail {
    Mismatch(Mismatch),
    /// The step or depth budget ran out; no variant is tried after it.
    TooComplex,
}

impl Fail {
    fn into_mismatch(self) -> Mismatch {
        match self {
            Fail::Mismatch(mismatch) => mismatch,
            Fail::TooComplex => Mismatch::new(format!(
                "too large or too deeply nested to check (more than {MAX_STEPS} steps or {MAX_DEPTH} levels)"
            )),
        }
    }

    /// Adds the token of the node the failure happened under.
    fn under(mut self, token: impl Into<String>) -> Self {
        if let Fail::Mismatch(mismatch) = &mut self {
            mismatch.path.push(token.into());
        }
        self
    }
}

fn mismatch(problem: impl Into<String>) -> Result<(), Fail> {
    Err(Fail::Mismatch(Mismatch::new(problem)))
}

fn expected(what: &str, value: &Value) -> Result<(), Fail> {
    mismatch(format!("expected {what}, found {}", found(value)))
}

/// What a JSON value is, in words.
fn found(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a floating-point number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

struct Checker<'a> {
    api: &'a Api,
    steps: usize,
}

impl<'a> Checker<'a> {
    fn new(api: &'a Api) -> Self {
        Checker { api, steps: 0 }
    }

    fn check(&mut self, ty: &TypeRef, value: &Value, depth: usize) -> Result<(), Fail> {
        self.steps += 1;
        if self.steps > MAX_STEPS || depth > MAX_DEPTH {
            return Err(Fail::TooComplex);
        }
        match ty {
            TypeRef::Json => Ok(()),
            TypeRef::String => match value {
                Value::String(_) => Ok(()),
                _ => expected("a string", value),
            },
            TypeRef::Integer(format) => integer(*format, value),
            TypeRef::UnixTime => integer(IntegerFormat::I64, value),
            TypeRef::Number(_) => match value {
                Value::Number(_) => Ok(()),
                _ => expected("a number", value),
            },
            TypeRef::Boolean => match value {
                Value::Bool(_) => Ok(()),
                _ => expected("a boolean", value),
            },
            TypeRef::DateTime => match value {
                Value::String(text) if is_rfc3339_timestamp(text) => Ok(()),
                Value::String(text) => {
                    mismatch(format!("expected an RFC 3339 date-time, found `{text}`"))
                }
                _ => expected("an RFC 3339 date-time string", value),
            },
            TypeRef::Date => match value {
                Value::String(text) if is_date(text) => Ok(()),
                Value::String(text) => {
                    mismatch(format!("expected a date (YYYY-MM-DD), found `{text}`"))
                }
                _ => expected("a date string", value),
            },
            // `Vec<u8>`: serde reads a sequence of small integers, not a string.
            TypeRef::Bytes => match value {
                Value::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        if item.as_u64().is_none_or(|byte| byte > 255) {
                            return expected("a byte (0 to 255)", item)
                                .map_err(|fail| fail.under(index.to_string()));
                        }
                    }
                    Ok(())
                }
                _ => expected("an array of bytes", value),
            },
            TypeRef::Array(item) => match value {
                Value::Array(items) => {
                    for (index, element) in items.iter().enumerate() {
                        self.check(item, element, depth + 1)
                            .map_err(|fail| fail.under(index.to_string()))?;
                    }
                    Ok(())
                }
                _ => expected("an array", value),
            },
            TypeRef::Map(item) => match value {
                Value::Object(entries) => {
                    for (key, element) in entries {
                        self.check(item, element, depth + 1)
                            .map_err(|fail| fail.under(key.clone()))?;
                    }
                    Ok(())
                }
                _ => expected("an object", value),
            },
            TypeRef::Nullable(inner) => match value {
                Value::Null => Ok(()),
                _ => self.check(inner, value, depth + 1),
            },
            TypeRef::Named(id) => self.named(self.api.type_def(*id), value, depth),
        }
    }

    fn named(&mut self, def: &TypeDef, value: &Value, depth: usize) -> Result<(), Fail> {
        match &def.kind {
            TypeKind::Alias(target) | TypeKind::Newtype(target) => {
                self.check(target, value, depth + 1)
            }
            // Open enums: any string or any i64 decodes (unknown values included).
            TypeKind::StringEnum(_) => match value {
                Value::String(_) => Ok(()),
                _ => expected("a string", value),
            },
            TypeKind::IntegerEnum(_) => integer(IntegerFormat::I64, value),
            TypeKind::Const(constant) => match value {
                Value::String(text) if text == constant => Ok(()),
                Value::String(text) => {
                    mismatch(format!("expected the string `{constant}`, found `{text}`"))
                }
                _ => expected(&format!("the string `{constant}`"), value),
            },
            TypeKind::Struct(s) => {
                let Value::Object(object) = value else {
                    return expected("an object", value);
                };
                for field in &s.fields {
                    // serde reads the wire name and each alias into the same field; two
                    // of them in one object is a duplicate.
                    let mut present = std::iter::once(&field.wire_name)
                        .chain(&field.aliases)
                        .filter_map(|name| object.get(name).map(|v| (name, v)));
                    let Some((name, element)) = present.next() else {
                        if field.is_optional() || self.takes_absence(&field.ty) {
                            continue;
                        }
                        return mismatch(format!("missing required field `{}`", field.wire_name));
                    };
                    if let Some((other, _)) = present.next() {
                        return mismatch(format!(
                            "field `{}` is given twice, as `{name}` and as `{other}`",
                            field.wire_name
                        ));
                    }
                    if field.is_optional() && element.is_null() {
                        continue;
                    }
                    self.check(&field.ty, element, depth + 1)
                        .map_err(|fail| fail.under(name.clone()))?;
                }
                // Undeclared properties are ignored, unless the struct keeps them in a
                // map (`#[serde(flatten)]`), which must then decode each value.
                if let Some(additional) = &s.additional {
                    let declared = |key: &String| {
                        s.fields
                            .iter()
                            .any(|f| &f.wire_name == key || f.aliases.contains(key))
                    };
                    for (key, element) in object.iter().filter(|(key, _)| !declared(key)) {
                        self.check(additional, element, depth + 1)
                            .map_err(|fail| fail.under(key.clone()))?;
                    }
                }
                Ok(())
            }
            TypeKind::Union(union) => {
                if let Some(tag) = &union.tag {
                    // `unions::read_tag`: the tag is read first, and only the variant it
                    // names is decoded.
                    let Some(found) = value.get(tag).and_then(Value::as_str) else {
                        return match value {
                            Value::Object(_) => mismatch(format!("missing tag `{tag}`")),
                            _ => expected("an object", value),
                        };
                    };
                    let Some(variant) = union
                        .variants
                        .iter()
                        .find(|v| v.tag_values.iter().any(|t| t == found))
                    else {
                        return mismatch(format!(
                            "tag `{tag}` is `{found}`, which names no variant of `{}`",
                            def.name
                        ));
                    };
                    return self.check(&variant.ty, value, depth + 1);
                }
                // `#[serde(untagged)]`: the first variant that decodes wins.
                for variant in &union.variants {
                    match self.check(&variant.ty, value, depth + 1) {
                        Ok(()) => return Ok(()),
                        Err(Fail::TooComplex) => return Err(Fail::TooComplex),
                        Err(Fail::Mismatch(_)) => {}
                    }
                }
                mismatch(format!("fits no variant of `{}`", def.name))
            }
        }
    }

    /// Whether a missing field of this type decodes anyway: serde gives `None` to an
    /// `Option`, also one behind an alias.
    fn takes_absence(&self, ty: &TypeRef) -> bool {
        matches!(
            crate::emit::resolve_alias(self.api, ty),
            TypeRef::Nullable(_)
        )
    }
}

/// An integer of `format`, as serde_json decodes one: no fraction or exponent (`1.0` is a
/// float), and within the Rust type's range.
fn integer(format: IntegerFormat, value: &Value) -> Result<(), Fail> {
    let Value::Number(number) = value else {
        return expected("an integer", value);
    };
    let (fits, name) = match format {
        IntegerFormat::I32 => (
            number.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            "an i32",
        ),
        IntegerFormat::I64 => (number.is_i64(), "an i64"),
        IntegerFormat::U32 => (
            number.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
            "a u32",
        ),
        IntegerFormat::U64 => (number.is_u64(), "a u64"),
    };
    match (fits, number.is_f64()) {
        (true, _) => Ok(()),
        (false, true) => expected("an integer", value),
        (false, false) => mismatch(format!("expected {name}, found {number}")),
    }
}

/// `YYYY-MM-DD` with a real day of a real month.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        digits(&text[0..4]),
        digits(&text[5..7]),
        digits(&text[8..10]),
    ) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// An RFC 3339 timestamp as `jiff::Timestamp` reads one, checked a little more strictly
/// (an example this rejects is dropped, never one that fails to decode):
/// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of up to 9 digits, then `Z` or `±HH:MM`.
fn is_rfc3339_timestamp(text: &str) -> bool {
    if text.len() < 20 || !text.is_char_boundary(10) || !is_date(&text[..10]) {
        return false;
    }
    let rest = &text[10..];
    let Some(time) = rest.strip_prefix(['T', 't']) else {
        return false;
    };
    let bytes = time.as_bytes();
    if bytes.len() < 9 || bytes[2] != b':' || bytes[5] != b':' {
        return false;
    }
    let in_range = |field: &str, max: u32| digits(field).is_some_and(|n| n <= max);
    if !(in_range(&time[0..2], 23) && in_range(&time[3..5], 59) && in_range(&time[6..8], 59)) {
        return false;
    }
    let mut offset = &time[8..];
    if let Some(fraction) = offset.strip_prefix('.') {
        let length = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=9).contains(&length) {
            return false;
        }
        offset = &fraction[length..];
    }
    match offset.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', _, _, b':', _, _] => {
            in_range(&offset[1..3], 23) && in_range(&offset[4..6], 59)
        }
        _ => false,
    }
}

/// The value of a run of ASCII digits (nothing else, not empty).
fn digits(text: &str) -> Option<u32> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HEAD: &str =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

    fn lower(yaml: &str) -> crate::lower::Lowered {
        let spec = crate::load::parse(std::path::Path::new("spec.yaml"), yaml.as_bytes())
            .expect("test spec parses");
        crate::lower::lower(&spec.openapi, &Default::default()).expect("test spec lowers")
    }

    /// The components of a test spec (YAML lines indented by four spaces).
    fn api(schemas: &str) -> Api {
        lower(&format!("{HEAD}{schemas}")).api
    }

    fn named(api: &Api, name: &str) -> TypeRef {
        let index = api
            .types
            .iter()
            .position(|def| def.name == name)
            .unwrap_or_else(|| panic!("no type {name}"));
        TypeRef::Named(TypeId(index))
    }

    /// `None` when `value` fits the type `name`, else the mismatch's pointer and problem.
    fn mismatch(api: &Api, name: &str, value: Value) -> Option<(String, String)> {
        first_mismatch(api, &named(api, name), &value).map(|m| (m.pointer(), m.problem))
    }

    const PET: &str = "    Pet:\n      type: object\n      required: [id, name]\n      properties:\n        \
        id: {type: integer, format: int32}\n        name: {type: string}\n        \
        nick: {type: string, nullable: true}\n        kind: {type: string, enum: [dog, cat]}\n        \
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}\n        \
        owner: {type: string, nullable: true}\n    \
        Tag:\n      type: object\n      required: [label]\n      properties:\n        label: {type: string}\n";

    #[test]
    fn structs_decode_as_serde_reads_them() {
        let api = api(PET);
        // Extra fields, unknown enum values and `null` in optional fields decode.
        let fits = json!({"id": 1, "name": "a", "extra": [1], "kind": "bird", "nick": null, "owner": null});
        assert_eq!(mismatch(&api, "Pet", fits), None);
        assert_eq!(
            mismatch(&api, "Pet", json!({"id": 1})),
            Some((String::new(), "missing required field `name`".into()))
        );
        assert_eq!(
            mismatch(&api, "Pet", json!({"id": "1", "name": "a"})),
            Some(("/id".into(), "expected an integer, found a string".into()))
        );
        assert_eq!(
            mismatch(&api, "Pet", json!({"id": 1, "name": null})),
            Some(("/name".into(), "expected a string, found null".into()))
        );
        assert_eq!(
            mismatch(&api, "Pet", json!([1, "a"])),
            Some((String::new(), "expected an object, found an array".into()))
        );
        // The first bad item of a nested array is named by its index.
        let bad_item = json!({"id": 1, "name": "a", "tags": [{"label": "x"}, {"label": 2}]});
        assert_eq!(
            mismatch(&api, "Pet", bad_item),
            Some((
                "/tags/1/label".into(),
                "expected a string, found an integer".into()
            ))
        );
        assert_eq!(
            mismatch(&api, "Pet", json!({"id": 1, "name": "a", "tags": [{}]})),
            Some(("/tags/0".into(), "missing required field `label`".into()))
        );
    }

    #[test]
    fn integers_are_checked_against_their_format() {
        let api = api("    N:\n      type: object\n      properties:\n        \
            small: {type: integer, format: int32}\n        big: {type: integer}\n        \
            unsigned: {type: integer, format: uint32}\n        real: {type: number}\n");
        let at = |field: &str, value: Value| mismatch(&api, "N", json!({ field: value }));
        assert_eq!(at("small", json!(2_147_483_647)), None);
        assert_eq!(
            at("small", json!(2_147_483_648_i64)),
            Some(("/small".into(), "expected an i32, found 2147483648".into()))
        );
        assert_eq!(
            at("big", json!(u64::MAX)),
            Some((
                "/big".into(),
                "expected an i64, found 18446744073709551615".into()
            ))
        );
        assert_eq!(
            at("unsigned", json!(-1)),
            Some(("/unsigned".into(), "expected a u32, found -1".into()))
        );
        // `1.0` is a float to serde_json, which an integer type refuses.
        assert_eq!(
            at("big", json!(1.0)),
            Some((
                "/big".into(),
                "expected an integer, found a floating-point number".into()
            ))
        );
        assert_eq!(at("real", json!(1)), None);
        assert_eq!(at("real", json!(1.5)), None);
    }

    #[test]
    fn enums_are_open_and_consts_are_exact() {
        let api = api("    Kind: {type: string, enum: [a, b]}\n    \
            Level: {type: integer, enum: [1, 2]}\n    \
            List: {type: string, enum: [list], x-stainless-const: true}\n");
        assert_eq!(mismatch(&api, "Kind", json!("z")), None);
        assert_eq!(
            mismatch(&api, "Kind", json!(1)),
            Some((String::new(), "expected a string, found an integer".into()))
        );
        assert_eq!(mismatch(&api, "Level", json!(7)), None);
        assert!(mismatch(&api, "Level", json!(1.5)).is_some());
        assert_eq!(mismatch(&api, "List", json!("list")), None);
        assert_eq!(
            mismatch(&api, "List", json!("lists")),
            Some((
                String::new(),
                "expected the string `list`, found `lists`".into()
            ))
        );
    }

    const SHAPES: &str = "    Square:\n      type: object\n      required: [kind, side]\n      properties:\n        \
        kind: {type: string}\n        side: {type: number}\n    \
        Circle:\n      type: object\n      required: [kind, radius]\n      properties:\n        \
        kind: {type: string}\n        radius: {type: number}\n    \
        Tagged:\n      oneOf: [{$ref: '#/components/schemas/Square'}, {$ref: '#/components/schemas/Circle'}]\n      \
        discriminator: {propertyName: kind}\n    \
        Untagged:\n      oneOf: [{$ref: '#/components/schemas/Square'}, {$ref: '#/components/schemas/Circle'}]\n";

    #[test]
    fn unions_decode_like_their_deserializers() {
        let api = api(SHAPES);
        assert_eq!(
            mismatch(&api, "Untagged", json!({"kind": "x", "radius": 1})),
            None
        );
        assert_eq!(
            mismatch(&api, "Untagged", json!({"kind": "x"})),
            Some((String::new(), "fits no variant of `Untagged`".into()))
        );
        assert_eq!(
            mismatch(&api, "Tagged", json!({"kind": "Circle", "radius": 1})),
            None
        );
        // The tag picks the variant; only that one is decoded.
        assert_eq!(
            mismatch(&api, "Tagged", json!({"kind": "Circle", "side": 1})),
            Some((String::new(), "missing required field `radius`".into()))
        );
        assert_eq!(
            mismatch(&api, "Tagged", json!({"kind": "Oval"})),
            Some((
                String::new(),
                "tag `kind` is `Oval`, which names no variant of `Tagged`".into()
            ))
        );
        assert_eq!(
            mismatch(&api, "Tagged", json!({"side": 1})),
            Some((String::new(), "missing tag `kind`".into()))
        );
    }

    #[test]
    fn maps_and_kept_extra_properties_decode_each_value() {
        let api = api(
            "    Scores: {type: object, additionalProperties: {type: integer}}\n    \
            Open:\n      type: object\n      properties: {name: {type: string}}\n      \
            additionalProperties: {type: boolean}\n    \
            Aliased:\n      type: object\n      properties:\n        \
            name: {type: string, x-aliases: [title]}\n",
        );
        assert_eq!(
            mismatch(&api, "Scores", json!({"a/b": 1, "c~d": "x"})),
            Some(("/c~0d".into(), "expected an integer, found a string".into()))
        );
        assert_eq!(
            mismatch(&api, "Open", json!({"name": "n", "x": true})),
            None
        );
        assert_eq!(
            mismatch(&api, "Open", json!({"name": "n", "x": 1})),
            Some(("/x".into(), "expected a boolean, found an integer".into()))
        );
        assert_eq!(mismatch(&api, "Aliased", json!({"title": "t"})), None);
        assert_eq!(
            mismatch(&api, "Aliased", json!({"name": "n", "title": "t"})),
            Some((
                String::new(),
                "field `name` is given twice, as `name` and as `title`".into()
            ))
        );
    }

    #[test]
    fn cyclic_types_are_walked_along_the_example_within_bounds() {
        let api = api("    Node:\n      type: object\n      properties:\n        \
            children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n        \
            next: {$ref: '#/components/schemas/Node'}\n");
        let mut deep = json!({});
        for _ in 0..100 {
            deep = json!({ "next": deep, "children": [{}] });
        }
        assert_eq!(mismatch(&api, "Node", deep.clone()), None);
        // Deeper than the checker goes: refused as too complex, never a stack overflow.
        for _ in 0..MAX_DEPTH {
            deep = json!({ "next": deep });
        }
        let (at, problem) = mismatch(&api, "Node", deep).expect("too deep");
        assert_eq!(at, "");
        assert!(
            problem.starts_with("too large or too deeply nested"),
            "{problem}"
        );
        // More nodes than the budget: refused too.
        let wide = Value::Array(vec![json!({}); MAX_STEPS]);
        let wide = json!({ "children": wide });
        assert!(mismatch(&api, "Node", wide).is_some());
    }

    #[test]
    fn dates_and_timestamps_follow_rfc_3339() {
        for good in ["2024-02-29", "1999-12-31"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "2024-01-01T",
            "२०२४-01-01",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        for good in [
            "2024-01-01T00:00:00Z",
            "2024-01-01T23:59:59.123456789+05:30",
            "2024-01-01t12:00:00-00:00",
        ] {
            assert!(is_rfc3339_timestamp(good), "{good}");
        }
        for bad in [
            "2024-01-01",
            "2024-01-01T00:00:00",
            "2024-01-01 00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00.1234567890Z",
            "2024-01-01T00:00:00+5:30",
            "2024-01-01T00:00:00é",
        ] {
            assert!(!is_rfc3339_timestamp(bad), "{bad}");
        }
    }

    #[test]
    fn misfits_are_warned_once_at_their_place_and_dropped() {
        let lowered = lower(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      \
             responses:\n        '200':\n          description: ok\n          content:\n            \
             application/json:\n              schema: {$ref: '#/components/schemas/Pet'}\n              \
             example: {id: 1}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      \
             required: [id, name]\n      properties:\n        id: {type: integer}\n        \
             name: {type: string, example: 7}\n        nick:\n          type: object\n          \
             properties: {a: {type: string}}\n          example: {a: b}\n      \
             example: {id: 1, name: Rex}\n",
        );
        let messages: Vec<(&str, &str)> = lowered
            .warnings
            .iter()
            .map(|w| (w.pointer.as_str(), w.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "/components/schemas/Pet/properties/name/example",
                    "example does not fit its schema, so it is not used: expected a string, found an integer"
                ),
                (
                    "/paths/~1pets/get/responses/200/content/application~1json/example",
                    "example does not fit its schema, so it is not used: missing required field `name`"
                ),
            ]
        );
        let api = &lowered.api;
        assert!(api.operations[0].response.example.is_none());
        let pet = api.types.iter().find(|t| t.name == "Pet").expect("Pet");
        assert_eq!(
            pet.docs.example.as_ref().map(|e| &e.value),
            Some(&json!({"id": 1, "name": "Rex"}))
        );
        let TypeKind::Struct(s) = &pet.kind else {
            panic!("Pet is a struct");
        };
        assert!(s.fields[1].docs.example.is_none());
        // The inline object's example is its type's and its field's: kept in both.
        assert!(s.fields[2].docs.example.is_some());
    }
}
