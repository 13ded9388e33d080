//! `$ref` resolution: component schemas by reference, and cycles of references that
//! never pass through an object.

use super::{Lowered, TypeSpace, SCHEMA_PREFIX};
use crate::ir::TypeRef;
use openapiv3::{ReferenceOr, SchemaKind};

impl<'a> TypeSpace<'a> {
    /// Resolves `#/components/schemas/Name`.
    pub(crate) fn resolve_reference(&mut self, reference: &str, pointer: &str) -> Lowered {
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
        let component = self.component(&name);
        if let Some(schema) = component {
            self.define_component(&name, schema);
        }
        let nullable = match component {
            Some(ReferenceOr::Item(schema)) => schema.schema_data.nullable,
            _ => false,
        };
        Lowered {
            ty: TypeRef::Named(id),
            nullable,
        }
    }

    /// True when every component in the current chain is a bare `$ref` or a schema that
    /// would become an alias (not an object that can break the cycle with a Box).
    pub(super) fn alias_chain_only(&self, target: &str) -> bool {
        let start = self
            .in_progress
            .iter()
            .position(|r| r == target)
            .unwrap_or(0);
        self.in_progress[start..].iter().all(|reference| {
            let name = reference.trim_start_matches(SCHEMA_PREFIX);
            match self.component(name) {
                Some(ReferenceOr::Reference { .. }) => true,
                Some(ReferenceOr::Item(schema)) => {
                    // An array on the cycle can hold the recursion (it becomes a
                    // newtype, see `lower::cycles`); a one-member allOf cannot.
                    matches!(
                        &schema.schema_kind,
                        SchemaKind::AllOf { all_of } if all_of.len() == 1
                    )
                }
                None => false,
            }
        })
    }
}
