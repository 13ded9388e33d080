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
        if members.len() == 1 {
            return Shape::Ref(
                self.type_of(&members[0], &format!("{pointer}/{keyword}/0"), name)
                    .ty,
            );
        }
        let mut variant_names = Scope::new();
        let mut variants = Vec::with_capacity(members.len());
        let tag = data.discriminator.as_ref().map(|d| d.property_name.clone());
        let mut deferred = Vec::new();
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
                tag_values = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| matches!(member, ReferenceOr::Reference { reference } if reference == *target))
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
