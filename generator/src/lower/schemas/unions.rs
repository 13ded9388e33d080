//! `oneOf`/`anyOf` → unions, tagged by a `discriminator` when its values tell the
//! members apart.

use super::super::Diagnostics;
use super::shapes::primitive_label;
use super::{child, Shape, TypeSpace};
use crate::ir::{TypeDef, TypeKind, TypeRef, Union, UnionVariant};
use crate::naming::{self, Scope};
use openapiv3::{ReferenceOr, Schema, SchemaData};
use std::collections::BTreeMap;

/// The members of one discriminated union whose tag values come from their own tag
/// property, known only once every type is lowered.
pub(super) struct DeferredTags {
    /// The union's JSON pointer (its `TypeDef::origin`).
    origin: String,
    property: String,
    /// Variant index, variant type, and the value to use when the type says nothing.
    members: Vec<(usize, TypeRef, String)>,
}

impl<'a> TypeSpace<'a> {
    pub(super) fn union_shape(
        &mut self,
        name: &str,
        data: &SchemaData,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        keyword: &str,
    ) -> Shape {
        let members_pointer = format!("{pointer}/{keyword}");
        self.union_of(name, data, members, members, pointer, &members_pointer)
    }

    /// A union of `members`, the type of the schema at `pointer`, whose member `i` is
    /// spoken of at `{members_pointer}/i`. `as_written[i]` is that member as the spec
    /// wrote it, which names the variant and is what a discriminator's `mapping` names;
    /// `members[i]` is what is lowered (the same, or the member merged with an `allOf`'s
    /// other members).
    pub(super) fn union_of(
        &mut self,
        name: &str,
        data: &SchemaData,
        members: &[ReferenceOr<Schema>],
        as_written: &[ReferenceOr<Schema>],
        pointer: &str,
        members_pointer: &str,
    ) -> Shape {
        if members.len() == 1 {
            return Shape::Ref(
                self.type_of(&members[0], &format!("{members_pointer}/0"), name)
                    .ty,
            );
        }
        if let Some(kind) = enum_idiom(members) {
            return Shape::Kind(kind);
        }
        let mut variant_names = Scope::new();
        let mut variants = Vec::with_capacity(members.len());
        let tag = data.discriminator.as_ref().map(|d| d.property_name.clone());
        let mut deferred = Vec::new();
        for (index, (member, written)) in members.iter().zip(as_written).enumerate() {
            let member_pointer = format!("{members_pointer}/{index}");
            let (wanted, tag_value) = match written {
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
                tag_values = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| matches!(written, ReferenceOr::Reference { reference } if reference == *target))
                    .map(|(value, _)| value.clone())
                    .collect();
                if tag_values.is_empty() {
                    deferred.push((variants.len(), lowered.ty.clone(), tag_value));
                }
            }
            variants.push(UnionVariant {
                rust_name: variant_names.claim(&wanted),
                ty: lowered.ty,
                tag_values,
                boxed: false,
            });
        }
        if let Some(property) = &tag {
            self.deferred_tags.push(DeferredTags {
                origin: pointer.to_string(),
                property: property.clone(),
                members: deferred,
            });
        }
        Shape::Kind(TypeKind::Union(Union { variants, tag }))
    }

    /// The wire values of property `tag` of the struct `ty` is (through aliases), when
    /// the property is a const or a string enum.
    pub(super) fn tag_property_values(&self, ty: &TypeRef, tag: &str) -> Option<Vec<String>> {
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

    /// Fills in tag values that come from the members' own tag property (without a
    /// `mapping`, that property's const or enum values are what the server sends, as in
    /// OpenAI's spec; the schema name is OpenAPI's default when it says nothing), then
    /// keeps the tag only where its values tell the variants apart.
    pub(super) fn resolve_deferred_tags(&mut self) {
        let deferred = std::mem::take(&mut self.deferred_tags);
        let by_origin: BTreeMap<String, usize> = self
            .types
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((t.as_ref()?.origin.clone(), i)))
            .collect();
        for union in deferred {
            let Some(&index) = by_origin.get(&union.origin) else {
                continue;
            };
            let values: Vec<(usize, Vec<String>)> = union
                .members
                .into_iter()
                .map(|(variant, ty, fallback)| {
                    let values = self
                        .tag_property_values(&ty, &union.property)
                        .unwrap_or_else(|| vec![fallback]);
                    (variant, values)
                })
                .collect();
            let Some(TypeDef {
                kind: TypeKind::Union(target),
                ..
            }) = self.types[index].as_mut()
            else {
                continue;
            };
            for (variant, tag_values) in values {
                target.variants[variant].tag_values = tag_values;
            }
            if !tags_are_distinct(
                &target.variants,
                &union.property,
                &union.origin,
                &mut self.diagnostics,
            ) {
                target.tag = None;
            }
        }
    }
}

/// A discriminator can only pick a variant when no tag value names two of them.
fn tags_are_distinct(
    variants: &[UnionVariant],
    tag: &str,
    pointer: &str,
    diagnostics: &mut Diagnostics,
) -> bool {
    let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
    for variant in variants {
        for value in &variant.tag_values {
            if let Some(first) = owners.insert(value, &variant.rust_name) {
                diagnostics.warn(
                    &child(pointer, "discriminator"),
                    format!(
                        "`{tag}` value `{value}` selects both `{first}` and `{}`; decoding tries each variant in order instead",
                        variant.rust_name
                    ),
                );
                return false;
            }
        }
    }
    true
}

/// The one value a member schema allows (`const: 1`, after normalization `enum: [1]`),
/// when it is a string or an integer.
fn single_value(schema: &Schema) -> Option<serde_json::Value> {
    use openapiv3::{SchemaKind, Type};
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
            [Some(value)] => Some(serde_json::Value::from(value.as_str())),
            _ => None,
        },
        SchemaKind::Type(Type::Integer(integer)) => match integer.enumeration.as_slice() {
            [Some(value)] => Some(serde_json::Value::from(*value)),
            _ => None,
        },
        SchemaKind::Any(any) => match any.enumeration.as_slice() {
            [value] if value.is_string() || value.is_i64() => Some(value.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `oneOf: [{title: PRIMARY, const: 1}, {title: SECONDARY, const: 2}, ...]`: an enum
/// spelled as a union of one-value members, whose titles name the variants and whose
/// descriptions document them. All members must be inline, one-valued, and of one kind
/// (all integers or all strings).
pub(super) fn enum_idiom(members: &[ReferenceOr<Schema>]) -> Option<TypeKind> {
    if members.is_empty() {
        return None;
    }
    let mut values = Vec::with_capacity(members.len());
    for member in members {
        let ReferenceOr::Item(schema) = member else {
            return None;
        };
        values.push((single_value(schema)?, &schema.schema_data));
    }
    // One pass names the distinct values (titles first, values otherwise), whatever
    // their kind; the kind then only decides which enum holds them.
    let mut scope = Scope::with_reserved(&[super::shapes::CATCH_ALL_VARIANT]);
    let mut seen = std::collections::BTreeSet::new();
    let mut named = Vec::with_capacity(values.len());
    for (value, data) in values {
        let text = match &value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        if !seen.insert(value.to_string()) {
            continue;
        }
        let wanted = naming::variant_name(data.title.as_deref().unwrap_or(&text));
        let rust_name = super::shapes::claim_variant(&mut scope, &wanted);
        named.push((value, rust_name, data.description.clone()));
    }
    if named.iter().all(|(v, _, _)| v.is_i64()) {
        let variants = named
            .into_iter()
            .filter_map(|(v, rust_name, docs)| {
                Some(crate::ir::IntegerEnumValue {
                    rust_name,
                    wire: v.as_i64()?,
                    docs,
                })
            })
            .collect();
        Some(TypeKind::IntegerEnum(variants))
    } else if named.iter().all(|(v, _, _)| v.is_string()) {
        let variants = named
            .into_iter()
            .filter_map(|(v, rust_name, docs)| {
                Some(crate::ir::EnumValue {
                    rust_name,
                    wire: v.as_str()?.to_string(),
                    docs,
                })
            })
            .collect();
        Some(TypeKind::StringEnum(variants))
    } else {
        None
    }
}
