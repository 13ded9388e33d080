//! Spec file → `openapiv3::OpenAPI`, with errors that point at a line or a JSON pointer.
//!
//! The text is read into a `serde_json::Value` (through serde_yaml's deserializer, so
//! syntax errors keep their line and column), normalized from OpenAPI 3.1 to the 3.0
//! model by [`crate::normalize`], and only then typed as `openapiv3::OpenAPI`.

use crate::error::{Error, Result};
use crate::ir::Diagnostic;
use std::path::Path;

/// A parsed spec, and what loading it had to approximate.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub openapi: openapiv3::OpenAPI,
    /// Constructs rewritten or dropped on the way to the 3.0 model, by JSON pointer.
    pub warnings: Vec<Diagnostic>,
}

/// Reads and parses the spec at `path`. YAML and JSON are both accepted.
pub fn load(path: &Path) -> Result<LoadedSpec> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &bytes)
}

/// Parses spec bytes; `path` is only used in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<LoadedSpec> {
    let syntax = |line: usize, column: usize, message: String| Error::Syntax {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col_of_offset(bytes, e.valid_up_to());
        syntax(
            line,
            column,
            "the file is not UTF-8 text (is it a binary file?); expected an OpenAPI 3 document in YAML or JSON"
                .to_string(),
        )
    })?;
    if bytes.contains(&0) {
        let offset = bytes.iter().position(|b| *b == 0).unwrap_or(0);
        let (line, column) = line_col_of_offset(bytes, offset);
        return Err(syntax(
            line,
            column,
            "the file contains NUL bytes (is it a binary file?); expected an OpenAPI 3 document in YAML or JSON"
                .to_string(),
        ));
    }
    if text.trim().is_empty() {
        return Err(syntax(
            1,
            1,
            "the file is empty; expected an OpenAPI 3 document with `openapi`, `info` and `paths`"
                .to_string(),
        ));
    }

    let mut document = parse_document(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        syntax(line, column, format!("not valid YAML or JSON: {e}"))
    })?;

    check_version(path, &document)?;
    let warnings = crate::normalize::normalize(&mut document);

    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&document) {
        Ok(openapi) => Ok(LoadedSpec { openapi, warnings }),
        Err(e) => {
            let (pointer, message) = refine(&document)
                .unwrap_or_else(|| (json_pointer(e.path()), e.inner().to_string()));
            Err(Error::Invalid {
                path: path.to_path_buf(),
                pointer,
                message: format!("not a valid OpenAPI 3 object: {}", explain(&message)),
            })
        }
    }
}

/// serde's messages for `openapiv3`'s flattened and untagged enums name Rust types; say
/// what the spec should contain instead.
fn explain(message: &str) -> String {
    if message.contains("ParameterSchemaOrContent") {
        "a parameter needs a `schema` (or a `content` map holding one); found neither".to_string()
    } else if message.contains("untagged enum ReferenceOr") {
        "expected either a `$ref` object or the object itself, and this is neither".to_string()
    } else {
        message.to_string()
    }
}

/// Parses YAML (or JSON, which YAML reads too) into a JSON value.
///
/// `serde_yaml::Value` rejects integers outside i64/u64 (the OpenAI spec has
/// `minimum: -9223372036854776000`); this visitor keeps them as floats instead, and
/// normalization later clamps them where a schema needs an integer.
pub fn parse_document(text: &str) -> Result<serde_json::Value, serde_yaml::Error> {
    use serde::Deserialize;
    let document = DocumentValue::deserialize(serde_yaml::Deserializer::from_str(text))?;
    Ok(document.0)
}

/// A JSON value that deserializes from any YAML, with map keys turned into strings.
struct DocumentValue(serde_json::Value);

impl<'de> serde::Deserialize<'de> for DocumentValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> serde::de::Visitor<'de> for DocumentVisitor {
    type Value = DocumentValue;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML or JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<DocumentValue, E> {
        Ok(DocumentValue(v.into()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<DocumentValue, E> {
        Ok(DocumentValue(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<DocumentValue, E> {
        Ok(DocumentValue(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<DocumentValue, E> {
        Ok(DocumentValue(wide_number(v as f64)))
    }

    fn visit_u128<E>(self, v: u128) -> Result<DocumentValue, E> {
        Ok(DocumentValue(wide_number(v as f64)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<DocumentValue, E> {
        Ok(DocumentValue(wide_number(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<DocumentValue, E> {
        Ok(DocumentValue(v.into()))
    }

    fn visit_string<E>(self, v: String) -> Result<DocumentValue, E> {
        Ok(DocumentValue(v.into()))
    }

    fn visit_unit<E>(self) -> Result<DocumentValue, E> {
        Ok(DocumentValue(serde_json::Value::Null))
    }

    fn visit_none<E>(self) -> Result<DocumentValue, E> {
        Ok(DocumentValue(serde_json::Value::Null))
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<DocumentValue, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<DocumentValue, A::Error> {
        let mut items = Vec::new();
        while let Some(DocumentValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(DocumentValue(serde_json::Value::Array(items)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<DocumentValue, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(DocumentValue(key)) = map.next_key()? {
            let key = match key {
                serde_json::Value::String(s) => s,
                // YAML allows `200:` or `true:` as keys; OpenAPI means their text.
                other => other.to_string(),
            };
            let DocumentValue(value) = map.next_value()?;
            if object.insert(key.clone(), value).is_some() {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key `{key}` in the mapping that starts here; keys must be unique"
                )));
            }
        }
        Ok(DocumentValue(serde_json::Value::Object(object)))
    }
}

/// A number JSON can hold: finite floats as they are, anything else as null (YAML's
/// `.inf`/`.nan` have no JSON form and no meaning in OpenAPI).
fn wide_number(v: f64) -> serde_json::Value {
    serde_json::Number::from_f64(v)
        .map(serde_json::Value::Number)
        .unwrap_or(serde_json::Value::Null)
}

/// `openapiv3` flattens maps, so serde loses the path inside `paths` and `components`.
/// Deserializing their entries one by one finds the entry (and the place in it) that is
/// wrong.
fn refine(document: &serde_json::Value) -> Option<(String, String)> {
    fn first_error<T: serde::de::DeserializeOwned>(
        base: &str,
        map: Option<&serde_json::Value>,
    ) -> Option<(String, String)> {
        for (key, value) in map?.as_object()? {
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(value) {
                let inner = json_pointer(e.path());
                return Some((
                    format!("{base}/{}{inner}", escape_pointer_token(key)),
                    e.inner().to_string(),
                ));
            }
        }
        None
    }
    let components = document.get("components");
    first_error::<openapiv3::PathItem>("/paths", document.get("paths"))
        .or_else(|| {
            first_error::<openapiv3::ReferenceOr<openapiv3::Schema>>(
                "/components/schemas",
                components.and_then(|c| c.get("schemas")),
            )
        })
        .or_else(|| {
            first_error::<openapiv3::ReferenceOr<openapiv3::Parameter>>(
                "/components/parameters",
                components.and_then(|c| c.get("parameters")),
            )
        })
        .or_else(|| {
            first_error::<openapiv3::ReferenceOr<openapiv3::Response>>(
                "/components/responses",
                components.and_then(|c| c.get("responses")),
            )
        })
        .or_else(|| {
            first_error::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(
                "/components/requestBodies",
                components.and_then(|c| c.get("requestBodies")),
            )
        })
        .or_else(|| {
            first_error::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>(
                "/components/securitySchemes",
                components.and_then(|c| c.get("securitySchemes")),
            )
        })
}

fn check_version(path: &Path, document: &serde_json::Value) -> Result<()> {
    let invalid = |pointer: &str, message: String| Error::Invalid {
        path: path.to_path_buf(),
        pointer: pointer.to_string(),
        message,
    };
    let Some(map) = document.as_object() else {
        return Err(invalid(
            "",
            "expected a mapping at the top level (an OpenAPI document), found a scalar or a list"
                .to_string(),
        ));
    };
    if map.contains_key("swagger") {
        return Err(invalid(
            "/swagger",
            "this is a Swagger 2.0 document; expected OpenAPI 3.0 or 3.1 (convert it first, e.g. with swagger2openapi)"
                .to_string(),
        ));
    }
    let version = match map.get("openapi") {
        Some(serde_json::Value::String(v)) => v.clone(),
        Some(other) => {
            return Err(invalid(
                "/openapi",
                format!("expected a version string like \"3.0.3\", found `{other}`"),
            ))
        }
        None => {
            return Err(invalid(
                "/openapi",
                "missing the `openapi` version field; expected an OpenAPI 3.0 or 3.1 document"
                    .to_string(),
            ))
        }
    };
    if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
        return Err(invalid(
            "/openapi",
            format!("OpenAPI version {version} is not supported; expected 3.0.x or 3.1.x"),
        ));
    }
    Ok(())
}

/// Renders a serde path as an RFC 6901 JSON pointer.
pub(crate) fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&escape_pointer_token(key)),
            Segment::Enum { variant } => out.push_str(&escape_pointer_token(variant)),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

/// Escapes one reference token of a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn line_col_of_offset(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &[u8]) -> String {
        parse(Path::new("spec.yaml"), text).unwrap_err().to_string()
    }

    #[test]
    fn empty_file() {
        assert!(err(b"").starts_with("spec.yaml:1:1: the file is empty"));
        assert!(err(b"  \n\n").contains("empty"));
    }

    #[test]
    fn binary_file() {
        assert!(
            err(b"openapi: 3.0.0\n\xff\xfe").starts_with("spec.yaml:2:1: the file is not UTF-8")
        );
        assert!(err(b"a\0b").contains("NUL"));
    }

    #[test]
    fn malformed_yaml_has_line_and_column() {
        let e = err(b"openapi: 3.0.0\ninfo: [unclosed\n");
        assert!(e.starts_with("spec.yaml:"), "{e}");
        assert!(e.contains("not valid YAML"), "{e}");
    }

    #[test]
    fn json_syntax_error_has_line() {
        let e = err(b"{\n  \"openapi\": \"3.0.0\",\n  \"info\": {,\n}");
        assert!(e.starts_with("spec.yaml:3:"), "{e}");
    }

    #[test]
    fn swagger_two_is_rejected_by_name() {
        let e = err(b"swagger: '2.0'\ninfo: {title: t, version: v}\npaths: {}\n");
        assert!(
            e.contains("at /swagger: this is a Swagger 2.0 document"),
            "{e}"
        );
    }

    #[test]
    fn integers_beyond_i64_load_with_a_warning() {
        let spec = parse(
            Path::new("spec.yaml"),
            b"openapi: 3.1.0\ninfo: {title: t, version: v}\ncomponents:\n  schemas:\n    Seed: {type: integer, minimum: -9223372036854776000}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec.warnings.len(), 1, "{:?}", spec.warnings);
        assert_eq!(spec.warnings[0].pointer, "/components/schemas/Seed/minimum");
        assert!(spec.openapi.paths.paths.is_empty());
    }

    #[test]
    fn duplicate_keys_name_the_mapping() {
        let e = err(b"openapi: 3.0.0\ninfo:\n  title: t\n  version: v\n  title: u\npaths: {}\n");
        // serde_yaml places errors raised while building a mapping at its start.
        assert!(e.starts_with("spec.yaml:3:3:"), "{e}");
        assert!(e.contains("duplicate key `title`"), "{e}");
    }

    #[test]
    fn unknown_versions_are_rejected() {
        let e = err(b"openapi: 4.0.0\ninfo: {title: t, version: v}\npaths: {}\n");
        assert!(
            e.contains("at /openapi: OpenAPI version 4.0.0 is not supported"),
            "{e}"
        );
    }

    #[test]
    fn wrong_shape_names_json_pointer() {
        let e = err(b"openapi: 3.0.0\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses: 12\n");
        assert!(e.contains("at /paths/~1a/get/responses"), "{e}");
    }
}
