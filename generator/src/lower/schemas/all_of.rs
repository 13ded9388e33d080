//! `allOf`: one member is that member's type; object members merge into one struct.

use super::{constraints, Shape, TypeSpace};
use crate::ir::{TypeKind, TypeRef};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

/// What an object schema contributes to an `allOf` merge.
#[derive(Default)]
pub(super) struct ObjectParts {
    properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: Vec<String>,
    /// The last member's `additionalProperties` wins, as later members refine.
    additional: Option<AdditionalProperties>,
}

impl ObjectParts {
    fn extend(&mut self, other: ObjectParts) {
        self.properties.extend(other.properties);
        self.required.extend(other.required);
        if other.additional.is_some() {
            self.additional = other.additional;
        }
    }
}

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
                self.type_of(&all_of[0], &format!("{pointer}/allOf/0"), name)
                    .ty,
            );
        }
        // Members that only narrow values (`{maxLength: 16}`, `{required: [total]}`)
        // beside one member that gives the type: that member's type, as with one member.
        // (When every member is an object the merge below keeps their `required`.)
        let shaping: Vec<usize> = (0..all_of.len())
            .filter(|&index| !constraints::only_constrains(&all_of[index]))
            .collect();
        let mut merged = ObjectParts::default();
        for (index, part) in all_of.iter().enumerate() {
            let part_pointer = format!("{pointer}/allOf/{index}");
            let errors_before = self.diagnostics.errors.len();
            match self.object_parts(part, &part_pointer, 0) {
                Some(parts) => merged.extend(parts),
                // Not when the member's `$ref` was just reported as broken.
                None if shaping == [index] && self.diagnostics.errors.len() == errors_before => {
                    return Shape::Ref(self.type_of(part, &part_pointer, name).ty);
                }
                None => {
                    if let Some(shape) = self.distribute_over_union(name, all_of, index, pointer) {
                        return shape;
                    }
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
            &merged.properties,
            &merged.required,
            merged.additional.as_ref(),
            pointer,
        )))
    }

    /// `allOf: [{anyOf: [A, B]}, {properties: {stream_id}}]` (OpenAI's stream events with
    /// the lane that sent them): a value is one of the union's members and has the other
    /// members' properties too, which is exactly `anyOf: [allOf: [A, ...], allOf: [B, ...]]`.
    /// So the type is a union whose variants merge each member with the object members.
    /// `None` unless member `union_index` is an inline `oneOf`/`anyOf` and every other
    /// member is an object.
    fn distribute_over_union(
        &mut self,
        name: &str,
        all_of: &[ReferenceOr<Schema>],
        union_index: usize,
        pointer: &str,
    ) -> Option<Shape> {
        let ReferenceOr::Item(union) = &all_of[union_index] else {
            return None;
        };
        let (members, keyword) = match &union.schema_kind {
            SchemaKind::OneOf { one_of } => (one_of, "oneOf"),
            SchemaKind::AnyOf { any_of } => (any_of, "anyOf"),
            _ => return None,
        };
        let errors_before = self.diagnostics.errors.len();
        for (index, part) in all_of.iter().enumerate() {
            if index != union_index
                && self
                    .object_parts(part, &format!("{pointer}/allOf/{index}"), 0)
                    .is_none()
            {
                return None;
            }
        }
        if members.is_empty() || self.diagnostics.errors.len() != errors_before {
            return None;
        }
        let variants: Vec<ReferenceOr<Schema>> = members
            .iter()
            .map(|member| {
                let mut parts = all_of.to_vec();
                parts[union_index] = member.clone();
                // The merged variant is documented as the member is.
                let written = match member {
                    ReferenceOr::Item(schema) => Some(schema),
                    ReferenceOr::Reference { reference } => reference
                        .strip_prefix(super::SCHEMA_PREFIX)
                        .and_then(|name| self.component(name))
                        .and_then(|target| target.as_item()),
                };
                let docs = written.map(|schema| openapiv3::SchemaData {
                    title: schema.schema_data.title.clone(),
                    description: schema.schema_data.description.clone(),
                    ..Default::default()
                });
                ReferenceOr::Item(Schema {
                    schema_data: docs.unwrap_or_default(),
                    schema_kind: SchemaKind::AllOf { all_of: parts },
                })
            })
            .collect();
        let members_pointer = format!("{pointer}/allOf/{union_index}/{keyword}");
        Some(self.union_of(
            name,
            &union.schema_data,
            &variants,
            members,
            pointer,
            &members_pointer,
        ))
    }

    /// The properties, required list and `additionalProperties` of an object schema,
    /// following references and nested `allOf`s. A member without a type that says
    /// nothing but object keywords (or nothing at all) counts as an object.
    pub(super) fn object_parts(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        mut depth: usize,
    ) -> Option<ObjectParts> {
        if depth > 32 {
            self.diagnostics
                .error(pointer, "allOf nests deeper than 32 levels (a cycle?)");
            return None;
        }
        // A member may `$ref` a component that is itself only a `$ref` (an alias):
        // follow the chain, and speak of where each schema really is.
        let mut schema = schema.clone();
        let mut pointer = pointer.to_string();
        let schema = loop {
            match schema {
                ReferenceOr::Item(item) => break item,
                ReferenceOr::Reference { reference } => {
                    if depth > 32 {
                        self.diagnostics
                            .error(&pointer, "allOf nests deeper than 32 levels (a cycle?)");
                        return None;
                    }
                    depth += 1;
                    match self.schema_at(&reference) {
                        Ok((target, target_pointer)) => {
                            schema = target;
                            pointer = target_pointer;
                        }
                        Err(message) => {
                            self.diagnostics.error(&pointer, message);
                            return None;
                        }
                    }
                }
            }
        };
        match &schema.schema_kind {
            // `anyOf: [{required: [a]}, {required: [b]}]`: which properties must be
            // present depends on the value, so none becomes required; none is added.
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. }
                if constraints::schema_only_constrains(&schema) =>
            {
                Some(ObjectParts::default())
            }
            SchemaKind::Type(Type::Object(object)) => Some(ObjectParts {
                properties: object.properties.clone(),
                required: object.required.clone(),
                additional: object.additional_properties.clone(),
            }),
            SchemaKind::Any(any)
                if any.typ.as_deref().is_none_or(|t| t == "object")
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && any.all_of.is_empty()
                    && any.items.is_none()
                    && any.enumeration.is_empty() =>
            {
                Some(ObjectParts {
                    properties: any.properties.clone(),
                    required: any.required.clone(),
                    additional: any.additional_properties.clone(),
                })
            }
            SchemaKind::AllOf { all_of } => {
                let mut merged = ObjectParts::default();
                for (index, part) in all_of.iter().enumerate() {
                    merged.extend(self.object_parts(
                        part,
                        &format!("{pointer}/allOf/{index}"),
                        depth + 1,
                    )?);
                }
                Some(merged)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{TypeKind, TypeRef};

    fn lower(yaml: &str) -> crate::lower::Lowered {
        let spec = crate::load::parse(std::path::Path::new("spec.yaml"), yaml.as_bytes())
            .expect("test spec parses");
        crate::lower::lower(&spec.openapi, &Default::default()).expect("test spec lowers")
    }

    const HEAD: &str =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

    #[test]
    fn members_that_ref_an_alias_are_merged() {
        let lowered = lower(&format!(
            "{HEAD}    Base: {{type: object, properties: {{id: {{type: string}}}}}}\n    \
             Alias: {{$ref: '#/components/schemas/Base'}}\n    \
             Both: {{allOf: [{{$ref: '#/components/schemas/Alias'}}, {{type: object, properties: {{name: {{type: string}}}}}}]}}\n"
        ));
        let both = lowered
            .api
            .types
            .iter()
            .find(|t| t.name == "Both")
            .expect("Both");
        let TypeKind::Struct(s) = &both.kind else {
            panic!("Both is not a struct: {:?}", both.kind);
        };
        let names: Vec<&str> = s.fields.iter().map(|f| f.wire_name.as_str()).collect();
        assert_eq!(names, ["id", "name"]);
        assert!(lowered.warnings.is_empty(), "{:?}", lowered.warnings);
    }

    #[test]
    fn own_properties_beside_all_of_are_merged_not_dropped() {
        let lowered = lower(&format!(
            "{HEAD}    B: {{type: object, properties: {{id: {{type: string}}}}}}\n    \
             S: {{type: object, required: [id], properties: {{name: {{type: string}}}}, \
             additionalProperties: {{type: integer}}, allOf: [{{$ref: '#/components/schemas/B'}}]}}\n"
        ));
        let s = lowered.api.types.iter().find(|t| t.name == "S").expect("S");
        let TypeKind::Struct(s) = &s.kind else {
            panic!("S is not a struct: {:?}", s.kind);
        };
        let fields: Vec<(&str, bool)> = s
            .fields
            .iter()
            .map(|f| (f.wire_name.as_str(), f.required))
            .collect();
        assert_eq!(fields, [("id", true), ("name", false)]);
        assert_eq!(
            s.additional,
            Some(TypeRef::Integer(crate::ir::IntegerFormat::I64))
        );
    }

    #[test]
    fn warnings_inside_a_single_member_all_of_have_true_pointers() {
        let lowered = lower(&format!(
            "{HEAD}    One: {{allOf: [{{type: object, properties: {{odd: {{not: {{type: string}}}}}}}}]}}\n"
        ));
        let pointers: Vec<&str> = lowered
            .warnings
            .iter()
            .map(|w| w.pointer.as_str())
            .collect();
        assert_eq!(pointers, ["/components/schemas/One/allOf/0/properties/odd"]);
        let one = lowered
            .api
            .types
            .iter()
            .find(|t| t.name == "One")
            .expect("One");
        assert!(matches!(one.kind, TypeKind::Alias(TypeRef::Named(_))));
    }
}
