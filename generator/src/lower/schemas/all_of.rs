//! `allOf`: one member is that member's type; object members merge into one struct.

use super::{child, Shape, TypeSpace, SCHEMA_PREFIX};
use crate::ir::{TypeKind, TypeRef};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

impl<'a> TypeSpace<'a> {
    /// `allOf`: a single entry is the referenced type itself; object entries are merged
    /// into one struct.
    pub(super) fn all_of_shape(
        &mut self,
        name: &str,
        schema: &Schema,
        all_of: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> Shape {
        if all_of.len() == 1 {
            return Shape::Ref(
                self.type_of(&all_of[0], &child(pointer, "allOf/0"), name)
                    .ty,
            );
        }
        let mut properties = indexmap::IndexMap::new();
        let mut required = Vec::new();
        for (index, part) in all_of.iter().enumerate() {
            let part_pointer = format!("{pointer}/allOf/{index}");
            match self.object_parts(part, &part_pointer, 0) {
                Some((props, req)) => {
                    for (k, v) in props {
                        properties.insert(k, v);
                    }
                    required.extend(req);
                }
                None => {
                    self.diagnostics.warn(
                        &part_pointer,
                        "allOf member is not an object; the merged type is serde_json::Value",
                    );
                    return Shape::Ref(TypeRef::Json);
                }
            }
        }
        let _ = schema;
        Shape::Kind(TypeKind::Struct(self.lower_struct(
            name,
            &properties,
            &required,
            None,
            pointer,
        )))
    }

    /// The properties and required list of an object schema, following references and
    /// nested `allOf`s.
    #[allow(clippy::type_complexity)]
    pub(super) fn object_parts(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        depth: usize,
    ) -> Option<(
        indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        Vec<String>,
    )> {
        if depth > 32 {
            self.diagnostics
                .error(pointer, "allOf nests deeper than 32 levels (a cycle?)");
            return None;
        }
        let schema = match schema {
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(SCHEMA_PREFIX)?;
                match self.component(name) {
                    Some(s) => s.clone(),
                    None => {
                        self.diagnostics.error(pointer, format!("$ref `{reference}` does not resolve: no such schema in components.schemas"));
                        return None;
                    }
                }
            }
            ReferenceOr::Item(schema) => ReferenceOr::Item(schema.clone()),
        };
        let ReferenceOr::Item(schema) = schema else {
            return None;
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                Some((object.properties.clone(), object.required.clone()))
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                Some((any.properties.clone(), any.required.clone()))
            }
            SchemaKind::AllOf { all_of } => {
                let mut properties = indexmap::IndexMap::new();
                let mut required = Vec::new();
                for (index, part) in all_of.iter().enumerate() {
                    let (p, r) =
                        self.object_parts(part, &format!("{pointer}/allOf/{index}"), depth + 1)?;
                    properties.extend(p);
                    required.extend(r);
                }
                Some((properties, required))
            }
            _ => None,
        }
    }
}
