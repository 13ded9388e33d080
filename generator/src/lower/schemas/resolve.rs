//! `$ref` resolution: a reference to a component schema is its declared type. Cycles
//! of references are fine here: `lower::cycles` boxes or newtypes what needs it.

use super::{Lowered, TypeSpace, SCHEMA_PREFIX};
use crate::ir::TypeRef;
use openapiv3::ReferenceOr;

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
        let name = reference.trim_start_matches(SCHEMA_PREFIX).to_string();
        // The component is declared (it has its id and name) but lowered in its own turn
        // by `declare_components`, never from here: following references by recursion
        // overflowed the stack on long chains (S1.next → S2 → … → S4000).
        let nullable = match self.component(&name) {
            Some(ReferenceOr::Item(schema)) => schema.schema_data.nullable,
            _ => false,
        };
        Lowered {
            ty: TypeRef::Named(id),
            nullable,
        }
    }
}
