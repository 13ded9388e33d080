//! Schemas → named types: `$ref` resolution, inline type naming, `allOf` merging,
//! unions, and boxing of recursive fields.

use super::{child, Diagnostics};
use crate::ir::{
    Docs, EnumValue, Field, IntegerEnumValue, IntegerFormat, NumberFormat, Struct, TypeDef, TypeId,
    TypeKind, TypeRef, Union, UnionVariant,
};
use crate::naming::{self, Scope};
use openapiv3::{
    AdditionalProperties, ObjectType, OpenAPI, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::BTreeMap;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Collects the named types of an API while schemas are lowered.
pub(crate) struct TypeSpace<'a> {
    spec: &'a OpenAPI,
    types: Vec<Option<TypeDef>>,
    by_ref: BTreeMap<String, TypeId>,
    names: Scope,
    /// Component schemas being lowered, to stop `$ref` cycles that never pass through
    /// an object (`A: {$ref: B}`, `B: {$ref: A}`).
    in_progress: Vec<String>,
    /// Names claimed for component schemas before their definitions exist.
    pending_names: BTreeMap<TypeId, String>,
    pub diagnostics: Diagnostics,
}

/// How a schema is used: its type, whether `null` is allowed, and its docs.
pub(crate) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Lowered {
    /// The type as an array item or map value, where `null` needs an `Option` of its own.
    fn in_container(self) -> TypeRef {
        if self.nullable {
            TypeRef::Nullable(Box::new(self.ty))
        } else {
            self.ty
        }
    }
}

impl<'a> TypeSpace<'a> {
    pub fn new(spec: &'a OpenAPI) -> Self {
        Self {
            spec,
            types: Vec::new(),
            by_ref: BTreeMap::new(),
            names: Scope::new(),
            in_progress: Vec::new(),
            pending_names: BTreeMap::new(),
            diagnostics: Diagnostics::default(),
        }
    }

    fn component_schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.spec
            .components
            .iter()
            .flat_map(|components| components.schemas.iter())
    }

    /// Gives every component schema its id and name before anything is lowered, so
    /// component names win over inline names and forward references resolve.
    pub fn declare_components(&mut self) {
        let components: Vec<_> = self.component_schemas().collect();
        for (name, _) in &components {
            let rust_name = self.names.claim(&naming::type_name(name));
            let id = TypeId(self.types.len());
            self.types.push(None);
            self.by_ref.insert(format!("{SCHEMA_PREFIX}{name}"), id);
            // Reserve the slot's name now; the definition is filled in below.
            self.pending_names.insert(id, rust_name);
        }
        for (name, schema) in components {
            self.define_component(name, schema);
        }
    }

    fn define_component(&mut self, name: &str, schema: &ReferenceOr<Schema>) -> TypeId {
        let reference = format!("{SCHEMA_PREFIX}{name}");
        let id = self.by_ref[&reference];
        if self.types[id.0].is_some() || self.in_progress.contains(&reference) {
            return id;
        }
        self.in_progress.push(reference.clone());
        let pointer = child("/components/schemas", name);
        let rust_name = self.pending_names.get(&id).cloned().unwrap_or_default();
        let def = match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.resolve_reference(reference, &pointer);
                TypeDef {
                    name: rust_name,
                    docs: Docs::default(),
                    origin: pointer,
                    kind: TypeKind::Alias(target.ty),
                }
            }
            ReferenceOr::Item(schema) => self.named_type(rust_name, schema, &pointer),
        };
        self.in_progress.pop();
        self.types[id.0] = Some(def);
        id
    }

    /// Lowers a schema that gets a name of its own (a component, or an inline object or
    /// enum named after its location).
    fn named_type(&mut self, name: String, schema: &Schema, pointer: &str) -> TypeDef {
        let docs = docs_of(&schema.schema_data);
        let kind = match self.shape(&name, schema, pointer) {
            Shape::Kind(kind) => kind,
            Shape::Ref(ty) => TypeKind::Alias(ty),
        };
        TypeDef {
            name,
            docs,
            origin: pointer.to_string(),
            kind,
        }
    }

    fn add_inline_kind(
        &mut self,
        wanted: &str,
        docs: Docs,
        kind: TypeKind,
        pointer: &str,
    ) -> TypeRef {
        let name = self.names.claim(wanted);
        let id = TypeId(self.types.len());
        self.types.push(Some(TypeDef {
            name,
            docs,
            origin: pointer.to_string(),
            kind,
        }));
        TypeRef::Named(id)
    }

    /// Resolves `#/components/schemas/Name`.
    pub fn resolve_reference(&mut self, reference: &str, pointer: &str) -> Lowered {
        let Some(&id) = self.by_ref.get(reference) else {
            let message = if reference.starts_with(SCHEMA_PREFIX) {
                format!("$ref `{reference}` does not resolve: no such schema in components.schemas")
            } else {
                format!("$ref `{reference}` is not supported: only local references to #/components/schemas/... are")
            };
            self.diagnostics.error(pointer, message);
            return Lowered {
                ty: TypeRef::Json,
                nullable: false,
            };
        };
        if self.in_progress.iter().any(|r| r == reference) && self.types[id.0].is_none() {
            // A reference back to a component that is still being lowered. That is fine
            // through an object (the field gets boxed later), but a chain of plain
            // references or aliases would be an infinite type.
            if self.alias_chain_only(reference) {
                self.diagnostics.error(
                    pointer,
                    format!(
                        "$ref cycle that never passes through an object: {} → {reference}",
                        self.in_progress.join(" → ")
                    ),
                );
                return Lowered {
                    ty: TypeRef::Json,
                    nullable: false,
                };
            }
            return Lowered {
                ty: TypeRef::Named(id),
                nullable: false,
            };
        }
        let name = reference.trim_start_matches(SCHEMA_PREFIX).to_string();
        if let Some((_, schema)) = self.component_schemas().find(|(n, _)| **n == name) {
            self.define_component(&name, schema);
        }
        let nullable = match self.component_schemas().find(|(n, _)| **n == name) {
            Some((_, ReferenceOr::Item(schema))) => schema.schema_data.nullable,
            _ => false,
        };
        Lowered {
            ty: TypeRef::Named(id),
            nullable,
        }
    }

    /// True when every component in the current chain is a bare `$ref` or a schema that
    /// would become an alias (not an object that can break the cycle with a Box).
    fn alias_chain_only(&self, target: &str) -> bool {
        let start = self
            .in_progress
            .iter()
            .position(|r| r == target)
            .unwrap_or(0);
        self.in_progress[start..].iter().all(|reference| {
            let name = reference.trim_start_matches(SCHEMA_PREFIX);
            match self.component_schemas().find(|(n, _)| n.as_str() == name) {
                Some((_, ReferenceOr::Reference { .. })) => true,
                Some((_, ReferenceOr::Item(schema))) => {
                    matches!(
                        &schema.schema_kind,
                        SchemaKind::AllOf { all_of } if all_of.len() == 1
                    ) || matches!(&schema.schema_kind, SchemaKind::Type(Type::Array(_)))
                }
                None => false,
            }
        })
    }

    /// The type of a schema where it is used; inline objects and enums get a name made
    /// from `name_hint`. Takes `ReferenceOr<Schema>` and `ReferenceOr<Box<Schema>>`
    /// alike, since openapiv3 boxes properties and items but not the rest.
    pub fn type_of<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        pointer: &str,
        name_hint: &str,
    ) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_reference(reference, pointer),
            ReferenceOr::Item(schema) => self.type_of_schema(schema.borrow(), pointer, name_hint),
        }
    }

    fn type_of_schema(&mut self, schema: &Schema, pointer: &str, name_hint: &str) -> Lowered {
        let nullable = schema.schema_data.nullable;
        let ty = match self.shape(name_hint, schema, pointer) {
            Shape::Ref(ty) => ty,
            Shape::Kind(kind) => {
                self.add_inline_kind(name_hint, docs_of(&schema.schema_data), kind, pointer)
            }
        };
        Lowered { ty, nullable }
    }

    /// Decides what a schema is. Primitives, containers and references come back as
    /// `Shape::Ref`; objects, enums and unions as a `Shape::Kind` to be named.
    fn shape(&mut self, name: &str, schema: &Schema, pointer: &str) -> Shape {
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
                    _ => Shape::Ref(TypeRef::String),
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let values: Vec<i64> = integer.enumeration.iter().flatten().copied().collect();
                if !values.is_empty() {
                    return Shape::Kind(TypeKind::IntegerEnum(
                        values
                            .iter()
                            .map(|v| IntegerEnumValue {
                                rust_name: naming::variant_name(&v.to_string()),
                                wire: *v,
                            })
                            .collect(),
                    ));
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
            SchemaKind::Any(any) => self.any_shape(name, any, pointer),
        }
    }

    fn object_shape(&mut self, name: &str, object: &ObjectType, pointer: &str) -> Shape {
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

    fn lower_struct(
        &mut self,
        name: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> Struct {
        let mut field_names = Scope::new();
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
                docs: data.map(docs_of).unwrap_or_default(),
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

    /// `allOf`: a single entry is the referenced type itself; object entries are merged
    /// into one struct.
    fn all_of_shape(
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
    fn object_parts(
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
                match self.component_schemas().find(|(n, _)| n.as_str() == name) {
                    Some((_, s)) => s.clone(),
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

    fn union_shape(
        &mut self,
        name: &str,
        data: &SchemaData,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        keyword: &str,
    ) -> Shape {
        if members.len() == 1 {
            return Shape::Ref(
                self.type_of(&members[0], &format!("{pointer}/{keyword}/0"), name)
                    .ty,
            );
        }
        let mut variant_names = Scope::new();
        let mut variants = Vec::with_capacity(members.len());
        let tag = data.discriminator.as_ref().map(|d| d.property_name.clone());
        for (index, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/{keyword}/{index}");
            let (wanted, tag_value) = match member {
                ReferenceOr::Reference { reference } => {
                    let short = reference
                        .rsplit('/')
                        .next()
                        .unwrap_or(reference)
                        .to_string();
                    (naming::type_name(&short), short)
                }
                ReferenceOr::Item(schema) => {
                    let label = schema.schema_data.title.clone().unwrap_or_else(|| {
                        primitive_label(schema).unwrap_or_else(|| format!("Variant{index}"))
                    });
                    (naming::type_name(&label), label)
                }
            };
            let wanted = if wanted.is_empty() {
                format!("Variant{index}")
            } else {
                wanted
            };
            let lowered = self.type_of(member, &member_pointer, &format!("{name}{wanted}"));
            let mut tag_values = Vec::new();
            if let Some(discriminator) = &data.discriminator {
                let mapped: Vec<String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| matches!(member, ReferenceOr::Reference { reference } if reference == *target))
                    .map(|(value, _)| value.clone())
                    .collect();
                // Without a mapping, the values the member's own tag property allows
                // are what the server sends (OpenAI never maps); the schema name is
                // OpenAPI's default when the member says nothing.
                tag_values = if !mapped.is_empty() {
                    mapped
                } else {
                    self.tag_property_values(&lowered.ty, &discriminator.property_name)
                        .unwrap_or_else(|| vec![tag_value])
                };
            }
            variants.push(UnionVariant {
                rust_name: variant_names.claim(&wanted),
                ty: lowered.ty,
                tag_values,
                boxed: false,
            });
        }
        let tag = tag.filter(|tag| self.tags_are_distinct(&variants, tag, pointer));
        Shape::Kind(TypeKind::Union(Union { variants, tag }))
    }

    /// The wire values of property `tag` of the struct `ty` is (through aliases), when
    /// the property is a const or a string enum.
    fn tag_property_values(&self, ty: &TypeRef, tag: &str) -> Option<Vec<String>> {
        let mut ty = ty.clone();
        for _ in 0..16 {
            let TypeRef::Named(id) = ty else {
                return None;
            };
            match &self.type_def(id)?.kind {
                TypeKind::Alias(target) => ty = target.clone(),
                TypeKind::Struct(s) => {
                    let field = s.fields.iter().find(|f| f.wire_name == tag)?;
                    let TypeRef::Named(field_ty) = &field.ty else {
                        return None;
                    };
                    return match &self.type_def(*field_ty)?.kind {
                        TypeKind::Const(value) => Some(vec![value.clone()]),
                        TypeKind::StringEnum(values) => {
                            Some(values.iter().map(|v| v.wire.clone()).collect())
                        }
                        _ => None,
                    };
                }
                _ => return None,
            }
        }
        None
    }

    /// A discriminator can only pick a variant when no tag value names two of them.
    fn tags_are_distinct(&mut self, variants: &[UnionVariant], tag: &str, pointer: &str) -> bool {
        let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
        for variant in variants {
            for value in &variant.tag_values {
                if let Some(first) = owners.insert(value, &variant.rust_name) {
                    self.diagnostics.warn(
                        &child(pointer, "discriminator"),
                        format!(
                            "`{tag}` value `{value}` selects both {first} and {}; decoding tries each variant in order instead",
                            variant.rust_name
                        ),
                    );
                    return false;
                }
            }
        }
        true
    }

    fn any_shape(&mut self, name: &str, any: &openapiv3::AnySchema, pointer: &str) -> Shape {
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
        self.diagnostics.warn(
            pointer,
            "schema combines keywords in a way that has no exact Rust type; using serde_json::Value",
        );
        Shape::Ref(TypeRef::Json)
    }

    /// Finishes lowering: marks recursive fields as boxed and hands out the types.
    pub fn finish(mut self) -> (Vec<crate::ir::TypeDef>, Diagnostics) {
        let mut types = Vec::with_capacity(self.types.len());
        for (index, slot) in self.types.into_iter().enumerate() {
            match slot {
                Some(def) => types.push(def),
                None => {
                    // Only reachable after an error was recorded for the slot.
                    types.push(TypeDef {
                        name: self
                            .pending_names
                            .remove(&TypeId(index))
                            .unwrap_or_else(|| format!("Unresolved{index}")),
                        docs: Docs::default(),
                        origin: String::new(),
                        kind: TypeKind::Alias(TypeRef::Json),
                    });
                }
            }
        }
        super::cycles::box_recursive_fields(&mut types);
        (types, self.diagnostics)
    }

    pub fn type_def(&self, id: TypeId) -> Option<&TypeDef> {
        self.types.get(id.0)?.as_ref()
    }
}

enum Shape {
    Ref(TypeRef),
    Kind(TypeKind),
}

fn is_const(data: &SchemaData) -> bool {
    data.extensions
        .get("x-stainless-const")
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
        || data.extensions.contains_key("x-const")
}

fn enum_values(values: &[&str]) -> Vec<EnumValue> {
    let mut scope = Scope::new();
    values
        .iter()
        .map(|value| EnumValue {
            rust_name: scope.claim(&naming::variant_name(value)),
            wire: value.to_string(),
            docs: None,
        })
        .collect()
}

fn primitive_label(schema: &Schema) -> Option<String> {
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

pub(crate) fn docs_of(data: &SchemaData) -> Docs {
    Docs {
        title: data.title.clone(),
        description: data.description.clone(),
        deprecated: data.deprecated,
        example: data.example.clone(),
    }
}
