//! Schemas → named types: the `TypeSpace` that owns every named type while schemas are
//! lowered. What a schema means is decided in the submodules: `resolve` (`$ref`s and
//! their cycles), `shapes` (primitives, objects, enums), `all_of` (merging), `unions`
//! (`oneOf`/`anyOf`) and `constraints` (keywords that narrow values but shape no type); `lower::cycles` boxes recursive fields at the end.

mod all_of;
mod constraints;
mod resolve;
mod shapes;
mod unions;

pub(crate) use constraints::declared_type;

use super::{child, Diagnostics};
use crate::ir::{DateTimeType, Docs, Example, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::{self, Scope};
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaData};
use std::collections::BTreeMap;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The field that holds `additionalProperties` next to declared properties (the emitter
/// names it so; see `ir::Struct::additional`).
pub(crate) const ADDITIONAL_PROPERTIES_FIELD: &str = "additional_properties";

/// Collects the named types of an API while schemas are lowered.
pub(crate) struct TypeSpace<'a> {
    spec: &'a OpenAPI,
    types: Vec<Option<TypeDef>>,
    by_ref: BTreeMap<String, TypeId>,
    names: Scope,
    /// Components that are only a `$ref` to another schema.
    bare_references: std::collections::BTreeSet<TypeId>,
    /// Discriminated unions whose tag values depend on member types lowered later.
    deferred_tags: Vec<unions::DeferredTags>,
    /// Names claimed for component schemas before their definitions exist.
    pending_names: BTreeMap<TypeId, String>,
    /// How `date-time` and `date` strings are typed.
    date_time: DateTimeType,
    /// The document as JSON, made on the first reference that is not a component.
    document: Option<serde_json::Value>,
    /// What each declared reference that is not a component points at.
    interior: BTreeMap<TypeId, resolve::InteriorTarget>,
    /// The declared interior targets by their pointer, for the inline lowering to reuse.
    interior_at: BTreeMap<String, TypeId>,
    /// Interior targets declared but not lowered yet, first declared first.
    interior_queue: std::collections::VecDeque<TypeId>,
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
    pub fn new(spec: &'a OpenAPI, date_time: DateTimeType) -> Self {
        Self {
            spec,
            types: Vec::new(),
            by_ref: BTreeMap::new(),
            names: Scope::new(),
            deferred_tags: Vec::new(),
            bare_references: std::collections::BTreeSet::new(),
            pending_names: BTreeMap::new(),
            date_time,
            document: None,
            interior: BTreeMap::new(),
            interior_at: BTreeMap::new(),
            interior_queue: std::collections::VecDeque::new(),
            diagnostics: Diagnostics::default(),
        }
    }

    fn component_schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> {
        self.spec
            .components
            .iter()
            .flat_map(|components| components.schemas.iter())
    }

    /// The component schema `name`, by key (a linear scan per `$ref` made lowering
    /// quadratic in the number of schemas).
    fn component(&self, name: &str) -> Option<&'a ReferenceOr<Schema>> {
        self.spec.components.as_ref()?.schemas.get(name)
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
        self.define_interior_targets();
    }

    fn define_component(&mut self, name: &str, schema: &ReferenceOr<Schema>) -> TypeId {
        let reference = format!("{SCHEMA_PREFIX}{name}");
        let id = self.by_ref[&reference];
        if self.types[id.0].is_some() {
            return id;
        }
        let pointer = child("/components/schemas", name);
        let def = self.define_declared(id, schema, &pointer);
        self.types[id.0] = Some(def);
        id
    }

    /// Lowers a schema that gets a name of its own (a component, or an inline object or
    /// enum named after its location).
    fn named_type(&mut self, name: String, schema: &Schema, pointer: &str) -> TypeDef {
        let docs = docs_of(&schema.schema_data, pointer);
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
        if let Some(ty) = self.declared_at(schema, pointer) {
            return Lowered { ty, nullable };
        }
        let ty = match self.shape(name_hint, schema, pointer) {
            Shape::Ref(ty) => ty,
            // A reference inside the schema to its own place declared it meanwhile.
            Shape::Kind(kind) => match self.interior_at.get(pointer) {
                Some(&id) if self.types[id.0].is_none() => {
                    self.types[id.0] = Some(TypeDef {
                        name: self.pending_names.get(&id).cloned().unwrap_or_default(),
                        docs: docs_of(&schema.schema_data, pointer),
                        origin: pointer.to_string(),
                        kind,
                    });
                    TypeRef::Named(id)
                }
                _ => self.add_inline_kind(
                    name_hint,
                    docs_of(&schema.schema_data, pointer),
                    kind,
                    pointer,
                ),
            },
        };
        Lowered { ty, nullable }
    }

    /// Finishes lowering: marks recursive fields as boxed and hands out the types.
    pub fn finish(mut self) -> (Vec<crate::ir::TypeDef>, Diagnostics) {
        // Operations may have referred into schemas no component did.
        self.define_interior_targets();
        self.resolve_deferred_tags();
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
        let bare = &self.bare_references;
        super::cycles::break_alias_cycles(&mut types, &mut self.diagnostics, |index| {
            bare.contains(&TypeId(index))
        });
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

/// The docs of the schema at `pointer`.
pub(crate) fn docs_of(data: &SchemaData, pointer: &str) -> Docs {
    Docs {
        title: data.title.clone(),
        description: data.description.clone(),
        deprecated: data.deprecated,
        example: data.example.clone().map(|value| Example {
            value,
            pointer: child(pointer, "example"),
        }),
    }
}
