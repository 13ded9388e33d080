//! Spec file → `openapiv3::OpenAPI`, with every error placed at `file:line:col`.
//!
//! The bytes are checked (size, UTF-8, NUL, emptiness; a UTF-8 BOM is skipped), parsed
//! by [`crate::yaml`] into a `serde_json::Value` plus a pointer → position index (the
//! [`SourceMap`]), normalized from OpenAPI 3.1 to the 3.0 model by [`crate::normalize`],
//! and only then typed as `openapiv3::OpenAPI`. The source map stays with the result so
//! later phases' diagnostics, which carry JSON pointers, can be placed too.

use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::limits::MAX_INPUT_BYTES;
use crate::pointer;
use crate::source::{location_of_offset, SourceMap};
use std::path::Path;

/// A parsed spec, what loading it had to approximate, and its text.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub openapi: openapiv3::OpenAPI,
    /// Constructs rewritten or dropped on the way to the 3.0 model, by JSON pointer
    /// (placed in the text at the phase boundary, with the later phases' diagnostics).
    pub warnings: Vec<Diagnostic>,
    /// Where each JSON pointer is in the text.
    pub source: SourceMap,
    /// Where the members normalizing moved were in the text.
    pub moves: crate::normalize::Moves,
    /// Which nodes the overlays wrote, to place diagnostics about them in the overlay.
    pub origins: crate::overlay::Origins,
}

/// Reads and parses the spec at `path`, with `overlays` applied in order before
/// normalizing. YAML and JSON are both accepted.
pub fn load(path: &Path, overlays: &[crate::overlay::Overlay]) -> Result<LoadedSpec> {
    use std::io::Read;
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    // One byte past the limit is enough to refuse a file, whatever its size (or a pipe,
    // which has none), without reading all of it.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(read_error)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    parse_overlaid(path, &bytes, overlays)
}

fn syntax(path: &Path, diagnostic: Diagnostic) -> Error {
    Error::Syntax {
        path: path.to_path_buf(),
        diagnostic: Box::new(diagnostic),
    }
}

/// The UTF-8 byte order mark some editors put first; YAML allows it there.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses spec bytes; `path` is only used in messages.
#[cfg(test)]
pub fn parse(path: &Path, bytes: &[u8]) -> Result<LoadedSpec> {
    parse_overlaid(path, bytes, &[])
}

/// Parses spec bytes and applies `overlays`; `path` is only used in messages.
pub fn parse_overlaid(
    path: &Path,
    bytes: &[u8],
    overlays: &[crate::overlay::Overlay],
) -> Result<LoadedSpec> {
    let limit = usize::try_from(MAX_INPUT_BYTES).unwrap_or(usize::MAX);
    if bytes.len() > limit {
        let message = format!(
            "the spec is larger than {} MiB (limits::MAX_INPUT_BYTES), more than any real API needs; refused before parsing, at this byte",
            MAX_INPUT_BYTES / (1024 * 1024)
        );
        return Err(syntax(
            path,
            Diagnostic::error("", message).at(Some(location_of_offset(bytes, limit))),
        ));
    }
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let at_offset = |offset: usize, message: &str| {
        syntax(
            path,
            Diagnostic::error("", message).at(Some(location_of_offset(bytes, offset))),
        )
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        at_offset(e.valid_up_to(), "the file is not UTF-8 text (is it a binary file?); expected an OpenAPI 3 document in YAML or JSON")
    })?;
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(at_offset(offset, "the file contains NUL bytes (is it a binary file?); expected an OpenAPI 3 document in YAML or JSON"));
    }
    if text.trim().is_empty() {
        return Err(at_offset(
            0,
            "the file is empty; expected an OpenAPI 3 document with `openapi`, `info` and `paths`",
        ));
    }

    let (mut document, source) =
        crate::yaml::parse(text).map_err(|diagnostic| syntax(path, diagnostic))?;
    check_version(&document).map_err(|diagnostic| Error::Invalid {
        path: path.to_path_buf(),
        diagnostic: Box::new(diagnostic.clone().at(source.locate(&diagnostic.pointer))),
    })?;
    let (overlay_warnings, origins) = crate::overlay::apply(overlays, &mut document)?;
    // In the overlay when one wrote the node, else in the spec.
    let invalid = |mut diagnostic: Diagnostic| {
        origins.place_one(&mut diagnostic);
        if diagnostic.location.is_none() {
            diagnostic.location = source.locate(&diagnostic.pointer);
        }
        Error::Invalid {
            path: path.to_path_buf(),
            diagnostic: Box::new(diagnostic),
        }
    };
    let (mut warnings, moves) = crate::normalize::normalize_tracked(&mut document);
    warnings.splice(0..0, overlay_warnings);

    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&document) {
        Ok(openapi) => Ok(LoadedSpec {
            openapi,
            warnings,
            source,
            moves,
            origins,
        }),
        Err(e) => {
            let (pointer, message) = refine(&document)
                .unwrap_or_else(|| (pointer::from_serde_path(e.path()), e.inner().to_string()));
            Err(invalid(Diagnostic::error(
                moves.to_source(&pointer),
                format!("not a valid OpenAPI 3 object: {}", explain(&message)),
            )))
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

/// Parses YAML (or JSON, which YAML reads too) into a JSON value, as the loader does
/// (integers beyond i64/u64 as floats, keys as strings), under the same limits.
pub fn parse_document(text: &str) -> Result<serde_json::Value, Diagnostic> {
    crate::yaml::parse(text).map(|(document, _)| document)
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
                let inner = pointer::from_serde_path(e.path());
                return Some((
                    format!("{}{inner}", pointer::child(base, key)),
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

fn check_version(document: &serde_json::Value) -> Result<(), Diagnostic> {
    let Some(map) = document.as_object() else {
        return Err(Diagnostic::error(
            "",
            "expected a mapping at the top level (an OpenAPI document), found a scalar or a list",
        ));
    };
    if map.contains_key("swagger") {
        return Err(Diagnostic::error(
            "/swagger",
            "this is a Swagger 2.0 document; expected OpenAPI 3.0 or 3.1 (convert it first, e.g. with swagger2openapi)",
        ));
    }
    let version = match map.get("openapi") {
        Some(serde_json::Value::String(v)) => v.clone(),
        Some(other) => {
            return Err(Diagnostic::error(
                "/openapi",
                format!("expected a version string like \"3.0.3\", found `{other}`"),
            ))
        }
        None => {
            return Err(Diagnostic::error(
                "",
                "missing the `openapi` version field; expected an OpenAPI 3.0 or 3.1 document",
            ))
        }
    };
    if !(version.starts_with("3.0.") || version.starts_with("3.1.")) {
        return Err(Diagnostic::error(
            "/openapi",
            format!("OpenAPI version {version} is not supported; expected 3.0.x or 3.1.x"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &[u8]) -> String {
        parse(Path::new("spec.yaml"), text)
            .expect_err("must fail")
            .to_string()
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
        assert!(err(b"a\0b").starts_with("spec.yaml:1:2: the file contains NUL"));
    }

    #[test]
    fn malformed_yaml_has_line_and_column() {
        let e = err(b"openapi: 3.0.0\ninfo: [unclosed\n");
        assert!(e.starts_with("spec.yaml:3:1: not valid YAML"), "{e}");
    }

    #[test]
    fn json_syntax_error_has_line() {
        let e = err(b"{\n  \"openapi\": \"3.0.0\",\n  \"info\": {,\n}");
        assert!(e.starts_with("spec.yaml:3:"), "{e}");
        assert!(e.contains("3 |   \"info\": {,"), "{e}");
    }

    #[test]
    fn swagger_two_is_rejected_by_name() {
        let e = err(b"swagger: '2.0'\ninfo: {title: t, version: v}\npaths: {}\n");
        assert!(
            e.starts_with("spec.yaml:1:1: this is a Swagger 2.0 document"),
            "{e}"
        );
        assert!(e.contains("= at /swagger"), "{e}");
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
        let location = spec
            .source
            .locate(&spec.warnings[0].pointer)
            .expect("located");
        assert_eq!((location.line, location.column), (5, 27));
        assert!(spec.openapi.paths.paths.is_empty());
    }

    #[test]
    fn duplicate_keys_name_the_key_and_the_mapping() {
        let e = err(b"openapi: 3.0.0\ninfo:\n  title: t\n  version: v\n  title: u\npaths: {}\n");
        assert!(e.starts_with("spec.yaml:5:3: duplicate key `title`"), "{e}");
        assert!(e.contains("mapping that starts at line 3, column 3"), "{e}");
    }

    #[test]
    fn unknown_versions_are_rejected() {
        let e = err(b"openapi: 4.0.0\ninfo: {title: t, version: v}\npaths: {}\n");
        assert!(
            e.starts_with("spec.yaml:1:1: OpenAPI version 4.0.0 is not supported"),
            "{e}"
        );
    }

    #[test]
    fn wrong_shape_names_json_pointer_and_line() {
        let e = err(b"openapi: 3.0.0\ninfo: {title: t, version: v}\npaths:\n  /a:\n    get:\n      responses: 12\n");
        assert!(
            e.starts_with("spec.yaml:6:7: not a valid OpenAPI 3 object"),
            "{e}"
        );
        assert!(e.contains("= at /paths/~1a/get/responses"), "{e}");
    }

    #[test]
    fn a_document_of_comments_is_placed_at_its_start() {
        let e = err(b"# nothing but a comment\n");
        assert!(
            e.starts_with("spec.yaml:1:1: expected a mapping at the top level"),
            "{e}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let spec = parse(
            Path::new("spec.yaml"),
            b"\xEF\xBB\xBFopenapi: 3.0.0\ninfo: {title: t, version: v}\npaths: {}\n",
        );
        assert!(spec.is_ok(), "{:?}", spec.err());
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let size = usize::try_from(MAX_INPUT_BYTES).expect("fits") + 1;
        // Not YAML at all: the size check must come first.
        let mut text = b"openapi: 3.0.0\n".to_vec();
        text.resize(size, b'[');
        let e = err(&text);
        assert!(
            e.starts_with(&format!(
                "spec.yaml:2:{}: the spec is larger than 64 MiB",
                size - 15
            )),
            "{e}"
        );
    }
}
