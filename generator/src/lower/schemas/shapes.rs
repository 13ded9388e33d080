//! What one schema is: a primitive, a container, an object (struct), an enum or const,
//! or a fallback to `serde_json::Value` with a warning.

use super::{child, constraints, docs_of, Shape, TypeSpace, ADDITIONAL_PROPERTIES_FIELD};
use crate::ir::{
    DateTimeType, EnumValue, Field, IntegerEnumValue, IntegerFormat, NumberFormat, Struct,
    TypeKind, TypeRef,
};
use crate::naming::{self, Scope};
use openapiv3::{
    AdditionalProperties, ObjectType, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat,
    Type, VariantOrUnknownOrEmpty,
};

impl<'a> TypeSpace<'a> {
    /// Decides what a schema is. Primitives, containers and references come back as
    /// `Shape::Ref`; objects, enums and unions as a `Shape::Kind` to be named.
    pub(super) fn shape(&mut self, name: &str, schema: &Schema, pointer: &str) -> Shape {
        let data = &schema.schema_data;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let values: Vec<&str> = string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                if !values.is_empty() {
                    if values.len() == 1 && is_const(data) {
                        return Shape::Kind(TypeKind::Const(values[0].to_string()));
                    }
                    return Shape::Kind(TypeKind::StringEnum(enum_values(&values)));
                }
                if let Some(value) = data.extensions.get("x-const").and_then(|v| v.as_str()) {
                    return Shape::Kind(TypeKind::Const(value.to_string()));
                }
                match &string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => {
                        Shape::Ref(TypeRef::Bytes)
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime)
                        if self.date_time == DateTimeType::Jiff =>
                    {
                        Shape::Ref(TypeRef::DateTime)
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date)
                        if self.date_time == DateTimeType::Jiff =>
                    {
                        Shape::Ref(TypeRef::Date)
                    }
                    _ => Shape::Ref(TypeRef::String),
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let values: Vec<i64> = integer.enumeration.iter().flatten().copied().collect();
                if !values.is_empty() {
                    return Shape::Kind(TypeKind::IntegerEnum(integer_enum_values(&values)));
                }
                if matches!(&integer.format, VariantOrUnknownOrEmpty::Unknown(f) if f == "unixtime")
                {
                    return Shape::Ref(TypeRef::UnixTime);
                }
                let format = match &integer.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                        IntegerFormat::I32
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uint32" => IntegerFormat::U32,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => IntegerFormat::U64,
                    _ => IntegerFormat::I64,
                };
                Shape::Ref(TypeRef::Integer(format))
            }
            SchemaKind::Type(Type::Number(number)) => {
                let format = match &number.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => {
                        NumberFormat::F32
                    }
                    _ => NumberFormat::F64,
                };
                Shape::Ref(TypeRef::Number(format))
            }
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Boolean),
            SchemaKind::Type(Type::Array(array)) => {
                let item = match &array.items {
                    Some(items) => self
                        .type_of(items, &child(pointer, "items"), &format!("{name}Item"))
                        .in_container(),
                    None => TypeRef::Json,
                };
                Shape::Ref(TypeRef::Array(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(object)) => self.object_shape(name, object, pointer),
            SchemaKind::AllOf { all_of } => self.all_of_shape(name, schema, all_of, pointer),
            SchemaKind::OneOf { one_of } => self.union_shape(name, data, one_of, pointer, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.union_shape(name, data, any_of, pointer, "anyOf"),
            SchemaKind::Not { .. } => {
                self.diagnostics.warn(
                    pointer,
                    "`not` cannot be expressed as a Rust type; using serde_json::Value",
                );
                Shape::Ref(TypeRef::Json)
            }
            SchemaKind::Any(any) => match constraints::declared_type(any) {
                // Typed now, so this recursion is one level deep.
                Some(schema_kind) => self.shape(
                    name,
                    &Schema {
                        schema_data: data.clone(),
                        schema_kind,
                    },
                    pointer,
                ),
                None => self.any_shape(name, data, any, pointer),
            },
        }
    }

    pub(super) fn object_shape(&mut self, name: &str, object: &ObjectType, pointer: &str) -> Shape {
        if object.properties.is_empty() {
            let value = match &object.additional_properties {
                Some(AdditionalProperties::Schema(schema)) => self
                    .type_of(
                        schema,
                        &child(pointer, "additionalProperties"),
                        &format!("{name}Value"),
                    )
                    .in_container(),
                _ => TypeRef::Json,
            };
            return Shape::Ref(TypeRef::Map(Box::new(value)));
        }
        Shape::Kind(TypeKind::Struct(self.lower_struct(
            name,
            &object.properties,
            &object.required,
            object.additional_properties.as_ref(),
            pointer,
        )))
    }

    pub(super) fn lower_struct(
        &mut self,
        name: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> Struct {
        // The map of undeclared properties is a field too; a property of that name
        // must make way for it.
        let mut field_names = match additional {
            Some(AdditionalProperties::Any(true) | AdditionalProperties::Schema(_)) => {
                Scope::with_reserved(&[ADDITIONAL_PROPERTIES_FIELD])
            }
            _ => Scope::new(),
        };
        let mut fields = Vec::with_capacity(properties.len());
        for (wire_name, property) in properties {
            let property_pointer = child(&child(pointer, "properties"), wire_name);
            let hint = format!("{name}{}", naming::type_name(wire_name));
            let lowered = self.type_of(property, &property_pointer, &hint);
            let data = match property {
                ReferenceOr::Item(schema) => Some(&schema.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let aliases = data
                .and_then(|d| d.extensions.get("x-aliases"))
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            fields.push(Field {
                rust_name: field_names.claim(&naming::field_name(wire_name)),
                wire_name: wire_name.clone(),
                docs: data
                    .map(|data| docs_of(data, &property_pointer))
                    .unwrap_or_default(),
                ty: lowered.ty,
                required: required.contains(wire_name),
                nullable: lowered.nullable,
                aliases,
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                boxed: false,
                default: data.and_then(|d| d.default.clone()),
            });
        }
        for name in required {
            if !properties.contains_key(name) {
                self.diagnostics.warn(
                    &child(pointer, "required"),
                    format!("`{name}` is required but not among the properties; ignored"),
                );
            }
        }
        let additional = match additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(schema)) => Some(
                self.type_of(
                    schema,
                    &child(pointer, "additionalProperties"),
                    &format!("{name}Value"),
                )
                .in_container(),
            ),
            _ => None,
        };
        Struct { fields, additional }
    }

    pub(super) fn any_shape(
        &mut self,
        name: &str,
        data: &SchemaData,
        any: &openapiv3::AnySchema,
        pointer: &str,
    ) -> Shape {
        if !any.properties.is_empty() {
            return Shape::Kind(TypeKind::Struct(self.lower_struct(
                name,
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                pointer,
            )));
        }
        let strings: Vec<&str> = any.enumeration.iter().filter_map(|v| v.as_str()).collect();
        if !strings.is_empty() && strings.len() == any.enumeration.len() {
            return Shape::Kind(TypeKind::StringEnum(enum_values(&strings)));
        }
        // `type: integer` (or string) beside a `oneOf` of titled consts: the enum idiom
        // with its type spelled out.
        for members in [&any.one_of, &any.any_of] {
            if let Some(kind) = super::unions::enum_idiom(members) {
                return Shape::Kind(kind);
            }
        }
        let integers: Vec<i64> = any.enumeration.iter().filter_map(|v| v.as_i64()).collect();
        if !integers.is_empty() && integers.len() == any.enumeration.len() {
            return Shape::Kind(TypeKind::IntegerEnum(integer_enum_values(&integers)));
        }
        if any.typ.is_none()
            && any.one_of.is_empty()
            && any.any_of.is_empty()
            && any.all_of.is_empty()
            && any.items.is_none()
        {
            if any.additional_properties.is_some() {
                return Shape::Ref(TypeRef::Map(Box::new(TypeRef::Json)));
            }
            // An empty schema means "any JSON value"; that is exact, not a fallback.
            return Shape::Ref(TypeRef::Json);
        }
        if let Some((members, keyword)) = constraints::union_with_constraints(any) {
            return self.union_shape(name, data, members, pointer, keyword);
        }
        self.diagnostics.warn(
            pointer,
            "schema combines keywords in a way that has no exact Rust type; using serde_json::Value",
        );
        Shape::Ref(TypeRef::Json)
    }
}

pub(super) fn is_const(data: &SchemaData) -> bool {
    data.extensions
        .get("x-stainless-const")
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
        || data.extensions.contains_key("x-const")
}

/// The variant every generated enum keeps for values the client does not know yet.
pub(super) const CATCH_ALL_VARIANT: &str = "Unknown";

/// A value spelled like the catch-all variant (`unknown`) becomes `UnknownValue`.
pub(super) fn claim_variant(scope: &mut Scope, wanted: &str) -> String {
    if wanted == CATCH_ALL_VARIANT {
        scope.claim(&format!("{CATCH_ALL_VARIANT}Value"))
    } else {
        scope.claim(wanted)
    }
}

/// Variants of a string enum: one per distinct value, in spec order, never named like
/// the catch-all variant.
pub(super) fn enum_values(values: &[&str]) -> Vec<EnumValue> {
    let mut scope = Scope::with_reserved(&[CATCH_ALL_VARIANT]);
    let mut seen = std::collections::BTreeSet::new();
    values
        .iter()
        .filter(|value| seen.insert(**value))
        .map(|value| EnumValue {
            rust_name: claim_variant(&mut scope, &naming::variant_name(value)),
            wire: value.to_string(),
            docs: None,
        })
        .collect()
}

/// Variants of an integer enum, likewise distinct and never the catch-all's name.
pub(super) fn integer_enum_values(values: &[i64]) -> Vec<IntegerEnumValue> {
    let mut scope = Scope::with_reserved(&[CATCH_ALL_VARIANT]);
    let mut seen = std::collections::BTreeSet::new();
    values
        .iter()
        .filter(|value| seen.insert(**value))
        .map(|value| IntegerEnumValue {
            rust_name: claim_variant(&mut scope, &naming::variant_name(&value.to_string())),
            wire: *value,
            docs: None,
        })
        .collect()
}

pub(super) fn primitive_label(schema: &Schema) -> Option<String> {
    let label = match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        _ => return None,
    };
    Some(label.to_string())
}
