//! `$ref` resolution: a reference is its target's declared type, found by key, never by
//! following references recursively. Cycles of references are fine here:
//! `lower::cycles` boxes or newtypes what needs it.
//!
//! A reference to a component schema (`#/components/schemas/Name`) is that component's
//! type. A reference into a schema's interior (`#/components/schemas/Event/properties/
//! items/items`) or to another place that holds a schema (a parameter's, a body's, a
//! response's) is declared on first use: it gets a type id and a name made from the
//! pointer like an inline type's (`EventItemsItem`), and is lowered once, in its own
//! turn, so long chains of such references cannot grow the stack. When the schema at
//! that place is lowered inline too, the two share the one type: the inline lowering
//! reuses a declared id, and a declaration reuses a type already made there.

use super::{Lowered, TypeSpace, SCHEMA_PREFIX};
use crate::ir::{Docs, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming;
use openapiv3::{ReferenceOr, Schema};

/// A reference into a document that is not a component schema: what it points at.
pub(super) struct InteriorTarget {
    pub schema: ReferenceOr<Schema>,
    /// The JSON pointer of the target (the reference's fragment, percent-decoded).
    pub pointer: String,
}

impl<'a> TypeSpace<'a> {
    /// The type a `$ref` names, declaring interior targets on first use.
    pub(crate) fn resolve_reference(&mut self, reference: &str, pointer: &str) -> Lowered {
        if let Some(&id) = self.by_ref.get(reference) {
            return Lowered {
                ty: TypeRef::Named(id),
                nullable: self.reference_is_nullable(reference, id),
            };
        }
        match self.declare_interior(reference) {
            Ok(id) => Lowered {
                ty: TypeRef::Named(id),
                nullable: self.reference_is_nullable(reference, id),
            },
            Err(message) => {
                self.diagnostics.error(pointer, message);
                Lowered {
                    ty: TypeRef::Json,
                    nullable: false,
                }
            }
        }
    }

    fn reference_is_nullable(&self, reference: &str, id: TypeId) -> bool {
        // The component is declared (it has its id and name) but lowered in its own turn
        // by `declare_components`, never from here: following references by recursion
        // overflowed the stack on long chains (S1.next → S2 → … → S4000).
        let target = match self.interior.get(&id) {
            Some(target) => Some(&target.schema),
            None => component_name(reference).and_then(|name| self.component(&name)),
        };
        matches!(target, Some(ReferenceOr::Item(schema)) if schema.schema_data.nullable)
    }

    /// The schema a `$ref` points at and the pointer to speak of it by, for code that
    /// reads a target's keywords (the `allOf` merge); the error is the message to report.
    pub(super) fn schema_at(
        &mut self,
        reference: &str,
    ) -> Result<(ReferenceOr<Schema>, String), String> {
        // As written first: a name with a `/` that a reference did not escape.
        let names = [
            reference.strip_prefix(SCHEMA_PREFIX).map(str::to_string),
            component_name(reference),
        ];
        for name in names.into_iter().flatten() {
            if let Some(schema) = self.component(&name) {
                return Ok((schema.clone(), super::child("/components/schemas", &name)));
            }
        }
        let id = self.declare_interior(reference)?;
        match self.interior.get(&id) {
            Some(target) => Ok((target.schema.clone(), target.pointer.clone())),
            None => Err(format!("$ref `{reference}` does not resolve")),
        }
    }

    /// Gives a reference that is not a component schema its type id (once), or says why
    /// it cannot have one.
    fn declare_interior(&mut self, reference: &str) -> Result<TypeId, String> {
        if let Some(&id) = self.by_ref.get(reference) {
            return Ok(id);
        }
        let pointer = local_pointer(reference).ok_or_else(|| {
            format!("$ref `{reference}` is not supported: only local references (`#/...`) are")
        })?;
        let tokens: Vec<String> = pointer
            .split('/')
            .skip(1)
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
            .collect();
        let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
        if let ["components", "schemas", name] = tokens.as_slice() {
            // A component spelled with escapes (`My%20Type`, `a~1b`).
            return match self.by_ref.get(&format!("{SCHEMA_PREFIX}{name}")) {
                Some(&id) => {
                    self.by_ref.insert(reference.to_string(), id);
                    Ok(id)
                }
                None => Err(format!(
                    "$ref `{reference}` does not resolve: no such schema in components.schemas"
                )),
            };
        }
        if !is_schema_location(&tokens) {
            return Err(format!(
                "$ref `{reference}` does not point at a schema (only components.schemas and the schemas of parameters, headers, bodies and responses, and places inside them, are schemas)"
            ));
        }
        let document = match &self.document {
            Some(document) => document,
            None => {
                let document = serde_json::to_value(self.spec)
                    .map_err(|e| format!("$ref `{reference}` cannot be resolved: {e}"))?;
                self.document.insert(document)
            }
        };
        let value = document.pointer(&pointer).ok_or_else(|| {
            format!("$ref `{reference}` does not resolve: nothing is at `{pointer}`")
        })?;
        let schema = serde_json::from_value::<ReferenceOr<Schema>>(value.clone())
            .map_err(|e| format!("$ref `{reference}` does not point at a valid schema: {e}"))?;
        // The type declared for that place under another spelling of the reference, or
        // the one the inline lowering already made there, is the one to use.
        let existing = self.interior_at.get(&pointer).copied().or_else(|| {
            self.types
                .iter()
                .position(|slot| slot.as_ref().is_some_and(|def| def.origin == pointer))
                .map(TypeId)
        });
        let id = match existing {
            Some(id) => id,
            None => {
                let id = TypeId(self.types.len());
                self.types.push(None);
                self.pending_names
                    .insert(id, self.names.claim(&interior_name(&tokens)));
                self.interior_queue.push_back(id);
                self.interior_at.insert(pointer.clone(), id);
                id
            }
        };
        self.by_ref.insert(reference.to_string(), id);
        self.interior.insert(id, InteriorTarget { schema, pointer });
        Ok(id)
    }

    /// Lowers the interior targets declared so far (and those their lowering declares),
    /// first declared first; those already lowered inline are skipped.
    pub(super) fn define_interior_targets(&mut self) {
        while let Some(id) = self.interior_queue.pop_front() {
            if self.types[id.0].is_some() {
                continue;
            }
            let Some(InteriorTarget { schema, pointer }) =
                self.interior.get(&id).map(|t| InteriorTarget {
                    schema: t.schema.clone(),
                    pointer: t.pointer.clone(),
                })
            else {
                continue;
            };
            let def = self.define_declared(id, &schema, &pointer);
            self.types[id.0] = Some(def);
        }
    }

    /// The definition of a declared type (a component or an interior target).
    pub(super) fn define_declared(
        &mut self,
        id: TypeId,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
    ) -> TypeDef {
        let rust_name = self.pending_names.get(&id).cloned().unwrap_or_default();
        match schema {
            ReferenceOr::Reference { reference } => {
                self.bare_references.insert(id);
                let target = self.resolve_reference(reference, pointer);
                TypeDef {
                    name: rust_name,
                    docs: Docs::default(),
                    origin: pointer.to_string(),
                    kind: TypeKind::Alias(target.ty),
                }
            }
            ReferenceOr::Item(schema) => self.named_type(rust_name, schema, pointer),
        }
    }

    /// The type declared for the schema at `pointer` by a reference into it, defined
    /// here if this is its first lowering.
    pub(super) fn declared_at(&mut self, schema: &Schema, pointer: &str) -> Option<TypeRef> {
        let id = *self.interior_at.get(pointer)?;
        if self.types[id.0].is_none() {
            let name = self.pending_names.get(&id).cloned().unwrap_or_default();
            let def = self.named_type(name, schema, pointer);
            self.types[id.0] = Some(def);
        }
        Some(TypeRef::Named(id))
    }
}

/// The component a reference names (`#/components/schemas/My%20Type` → `My Type`), if it
/// names one rather than a place inside one.
fn component_name(reference: &str) -> Option<String> {
    let pointer = local_pointer(reference)?;
    let name = pointer.strip_prefix("/components/schemas/")?;
    (!name.contains('/')).then(|| name.replace("~1", "/").replace("~0", "~"))
}

/// The JSON pointer of a local reference (`#/a/b%7Bc%7D` → `/a/b{c}`), or `None` when the
/// reference is not local or its escapes are not UTF-8.
fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if !fragment.starts_with('/') {
        return None;
    }
    let bytes = fragment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

/// Whether the pointer's tokens name a place that holds a schema in an OpenAPI 3.0
/// document: a component schema, a parameter's or header's `schema`, a media type's
/// `schema` (bodies, responses, `content` parameters), or a place inside one of those.
fn is_schema_location(tokens: &[&str]) -> bool {
    let inside = match tokens {
        ["components", "schemas", _, rest @ ..] => rest,
        ["components", "parameters" | "headers", _, rest @ ..] => match parameter_schema(rest) {
            Some(rest) => rest,
            None => return false,
        },
        ["components", "requestBodies", _, rest @ ..] => match media_schema(rest) {
            Some(rest) => rest,
            None => return false,
        },
        ["components", "responses", _, rest @ ..] => match response_schema(rest) {
            Some(rest) => rest,
            None => return false,
        },
        ["paths", _, rest @ ..] => match path_item_schema(rest) {
            Some(rest) => rest,
            None => return false,
        },
        _ => return false,
    };
    is_within_schema(inside)
}

fn parameter_schema<'t>(tokens: &'t [&'t str]) -> Option<&'t [&'t str]> {
    match tokens {
        ["schema", rest @ ..] => Some(rest),
        _ => media_schema(tokens),
    }
}

fn media_schema<'t>(tokens: &'t [&'t str]) -> Option<&'t [&'t str]> {
    match tokens {
        ["content", _, "schema", rest @ ..] => Some(rest),
        _ => None,
    }
}

fn response_schema<'t>(tokens: &'t [&'t str]) -> Option<&'t [&'t str]> {
    match tokens {
        ["headers", _, rest @ ..] => parameter_schema(rest),
        _ => media_schema(tokens),
    }
}

fn path_item_schema<'t>(tokens: &'t [&'t str]) -> Option<&'t [&'t str]> {
    let operation = match tokens {
        ["parameters", index, rest @ ..] if is_index(index) => return parameter_schema(rest),
        [method, rest @ ..]
            if matches!(
                *method,
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            ) =>
        {
            rest
        }
        _ => return None,
    };
    match operation {
        ["parameters", index, rest @ ..] if is_index(index) => parameter_schema(rest),
        ["requestBody", rest @ ..] => media_schema(rest),
        ["responses", _, rest @ ..] => response_schema(rest),
        _ => None,
    }
}

/// Whether tokens below a schema lead to a schema (`properties/x`, `items`, ...).
fn is_within_schema(mut tokens: &[&str]) -> bool {
    loop {
        tokens = match tokens {
            [] => return true,
            ["properties", _, rest @ ..] => rest,
            ["items" | "additionalProperties" | "not", rest @ ..] => rest,
            ["allOf" | "oneOf" | "anyOf", index, rest @ ..] if is_index(index) => rest,
            _ => return false,
        };
    }
}

fn is_index(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

/// The name of an interior target, made like inline names: the component (or
/// operation) name, then each property, `Item` for array items, `Value` for map values.
fn interior_name(tokens: &[&str]) -> String {
    const STRUCTURE: &[&str] = &[
        "components",
        "schemas",
        "parameters",
        "headers",
        "requestBodies",
        "responses",
        "requestBody",
        "content",
        "schema",
        "paths",
        "properties",
        "allOf",
        "oneOf",
        "anyOf",
    ];
    let mut name = String::new();
    let mut previous = "";
    for &token in tokens {
        match token {
            "items" if previous != "properties" => name.push_str("Item"),
            "additionalProperties" if previous != "properties" => name.push_str("Value"),
            _ if matches!(previous, "allOf" | "oneOf" | "anyOf") => {
                name.push_str(&format!("Variant{token}"));
            }
            _ if STRUCTURE.contains(&token) && previous != "properties" => {}
            // A media type says nothing a reader of the type needs.
            _ if previous == "content" => {}
            _ => name.push_str(&naming::type_name(token)),
        }
        previous = token;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

    fn lower(schemas: &str) -> Result<crate::lower::Lowered, Vec<crate::ir::Diagnostic>> {
        let yaml = format!("{HEAD}{schemas}");
        let spec = crate::load::parse(std::path::Path::new("spec.yaml"), yaml.as_bytes())
            .expect("test spec parses");
        crate::lower::lower(&spec.openapi, &Default::default())
    }

    fn error_messages(schemas: &str) -> Vec<String> {
        match lower(schemas) {
            Ok(lowered) => panic!("lowered: {:?}", lowered.api.types),
            Err(errors) => errors
                .iter()
                .map(|e| format!("{}: {}", e.pointer, e.message))
                .collect(),
        }
    }

    #[test]
    fn a_long_chain_of_interior_references_is_resolved_without_recursion() {
        let mut schemas = String::new();
        let length = 3000;
        for index in 0..length {
            schemas.push_str(&format!(
                "    S{index}: {{properties: {{next: {{$ref: '#/components/schemas/S{}/properties/next'}}}}}}\n",
                index + 1
            ));
        }
        schemas.push_str(&format!(
            "    S{length}: {{properties: {{next: {{type: string}}}}}}\n"
        ));
        let lowered = lower(&schemas).expect("the chain lowers");
        let last = lowered
            .api
            .types
            .iter()
            .find(|t| t.name == format!("S{}Next", length))
            .expect("the last place has its type");
        assert!(
            matches!(last.kind, TypeKind::Alias(TypeRef::String)),
            "{:?}",
            last.kind
        );
    }

    #[test]
    fn interior_references_in_a_cycle_are_an_error_not_a_hang() {
        let errors = error_messages(
            "    A: {properties: {x: {$ref: '#/components/schemas/B/properties/y'}}}\n    \
             B: {properties: {y: {$ref: '#/components/schemas/A/properties/x'}}}\n",
        );
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(
            errors[0].contains("$ref cycle that never passes through an object"),
            "{errors:#?}"
        );
    }

    /// URLs never reach lowering: the bundler refuses them where they are written (the
    /// generator makes no network access).
    #[test]
    fn a_url_reference_is_refused_when_the_spec_is_loaded() {
        let yaml = format!(
            "{HEAD}    A: {{properties: {{u: {{$ref: 'https://example.com/s.yaml#/A'}}}}}}\n"
        );
        let error = crate::load::parse(std::path::Path::new("spec.yaml"), yaml.as_bytes())
            .expect_err("a URL is refused")
            .to_string();
        assert!(error.contains("URLs are not fetched"), "{error}");
    }

    #[test]
    fn references_to_places_that_are_not_schemas_are_located_errors() {
        let errors = error_messages(
            "    A: {properties: {x: {type: string}}, example: {x: a}}\n    \
             B: {properties: {\n      \
             e: {$ref: '#/components/schemas/A/example'},\n      \
             m: {$ref: '#/components/schemas/A/properties/missing'},\n      \
             n: {$ref: '#/components/schemas/Nope'}}}\n",
        );
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(errors[0].starts_with("/components/schemas/B/properties/e: $ref `#/components/schemas/A/example` does not point at a schema"), "{errors:#?}");
        assert!(
            errors[1].ends_with(
                "does not resolve: nothing is at `/components/schemas/A/properties/missing`"
            ),
            "{errors:#?}"
        );
        assert!(
            errors[2].ends_with("does not resolve: no such schema in components.schemas"),
            "{errors:#?}"
        );
    }

    fn tokens(pointer: &str) -> Vec<&str> {
        pointer.split('/').skip(1).collect()
    }

    #[test]
    fn schema_locations_are_told_from_other_places() {
        for yes in [
            "/components/schemas/A/properties/b/items",
            "/components/schemas/A/allOf/1/properties/c/additionalProperties",
            "/components/parameters/P/schema",
            "/components/responses/R/content/application~1json/schema/items",
            "/paths/~1a/get/responses/200/content/application~1json/schema",
            "/paths/~1a/parameters/0/schema",
            "/paths/~1a/post/requestBody/content/text~1plain/schema/not",
        ] {
            assert!(is_schema_location(&tokens(yes)), "{yes}");
        }
        for no in [
            "/components/parameters/P",
            "/components/schemas/A/properties",
            "/components/schemas/A/allOf/first",
            "/components/schemas/A/example",
            "/paths/~1a/get",
            "/info",
        ] {
            assert!(!is_schema_location(&tokens(no)), "{no}");
        }
    }

    #[test]
    fn interior_names_read_like_inline_names() {
        assert_eq!(
            interior_name(&tokens(
                "/components/schemas/WebhookEvent/properties/events/items"
            )),
            "WebhookEventEventsItem"
        );
        assert_eq!(
            interior_name(&tokens("/components/schemas/A/properties/items/oneOf/1")),
            "AItemsVariant1"
        );
        assert_eq!(
            interior_name(&tokens("/components/parameters/limit/schema")),
            "Limit"
        );
    }

    #[test]
    fn fragments_are_percent_decoded() {
        assert_eq!(
            local_pointer("#/paths/~1a~1%7Bid%7D/get").as_deref(),
            Some("/paths/~1a~1{id}/get")
        );
        assert_eq!(local_pointer("other.yaml#/a"), None);
        assert_eq!(local_pointer("#/a%FF"), None);
    }
}
