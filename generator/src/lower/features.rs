//! Cargo features of the generated crate: one per tag, the operations each compiles, and
//! for every type the features whose operations reach it (the minimal closure).
//!
//! A user who turns on one tag's feature compiles that tag's operations and exactly the
//! types they can send or receive. A type reached from several tags compiles when any of
//! them is on; a type every feature needs is not gated (so a spec of one tag gates its
//! operations but none of its types). Types no operation reaches (webhook payloads,
//! event schemas) get a feature of their own, on by default, with what they name. Because a type's features are
//! the union over the operations that reach it, and reaching is transitive, every type
//! a compiled type names is compiled too.

use crate::ir::{
    Api, Feature, FeatureKind, Gate, Operation, ResponseKind, TypeId, TypeKind, TypeRef,
};
use crate::naming::{feature_name, Scope};

/// Feature names the generated `Cargo.toml` already uses or may use for its own switches
/// (the mock server, TLS backends, optional dependencies); a tag spelled like one of
/// them gets a suffix.
pub(crate) const RESERVED_FEATURES: &[&str] = &[
    "default",
    "mock",
    "tls",
    "rustls",
    "rustls-ring",
    "rustls-aws-lc",
    "rustls-aws-lc-rs",
    "ring",
    "aws-lc-rs",
    "native-tls",
    "http2",
    "jiff",
    "std",
    "full",
    "all",
];

/// The feature that holds operations without a tag.
const UNTAGGED: &str = "untagged";

/// The feature of the types no operation reaches (webhook payloads, event schemas):
/// kept for users who decode them themselves, but not compiled with a tag alone.
const UNREFERENCED: &str = "unreferenced-types";

/// Names a feature per tag, gates every operation, then every type.
pub(super) fn assign(api: &mut Api) {
    api.type_gates = vec![Gate::Always; api.types.len()];
    if api.operations.iter().all(|op| op.tags.is_empty()) {
        // No tags: nothing to choose between, so no features.
        return;
    }
    let mut tags: Vec<&str> = api
        .operations
        .iter()
        .flat_map(|op| op.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    let mut names = Scope::with_reserved(RESERVED_FEATURES);
    // Provisional indices, in claim order; renumbered by name at the end.
    let mut features: Vec<Feature> = tags
        .iter()
        .map(|tag| Feature {
            name: names.claim(&feature_name(tag)),
            kind: FeatureKind::Tag((*tag).to_string()),
            operations: 0,
        })
        .collect();
    let untagged = api.operations.iter().any(|op| op.tags.is_empty()).then(|| {
        features.push(Feature {
            name: names.claim(UNTAGGED),
            kind: FeatureKind::Untagged,
            operations: 0,
        });
        features.len() - 1
    });
    let mut operation_features: Vec<Vec<usize>> = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        let mut indices: Vec<usize> = if op.tags.is_empty() {
            untagged.into_iter().collect()
        } else {
            op.tags
                .iter()
                .filter_map(|tag| tags.binary_search(&tag.as_str()).ok())
                .collect()
        };
        indices.sort_unstable();
        indices.dedup();
        for &index in &indices {
            features[index].operations += 1;
        }
        operation_features.push(indices);
    }

    let mut reached_by: Vec<Vec<usize>> = vec![Vec::new(); api.types.len()];
    for (feature, _) in features.iter().enumerate() {
        let roots = api
            .operations
            .iter()
            .zip(&operation_features)
            .filter(|(_, features)| features.contains(&feature));
        let mut pending = Vec::new();
        for (op, _) in roots {
            operation_roots(op, &mut |id| pending.push(id));
        }
        mark_reachable(api, pending, feature, &mut reached_by);
    }
    let unreferenced: Vec<TypeId> = (0..api.types.len())
        .filter(|&i| reached_by[i].is_empty())
        .map(TypeId)
        .collect();
    if !unreferenced.is_empty() {
        features.push(Feature {
            name: names.claim(UNREFERENCED),
            kind: FeatureKind::Unreferenced,
            operations: 0,
        });
        mark_reachable(api, unreferenced, features.len() - 1, &mut reached_by);
    }

    // Renumber by name, so the output order does not depend on claim order.
    let mut order: Vec<usize> = (0..features.len()).collect();
    order.sort_by(|&a, &b| features[a].name.cmp(&features[b].name));
    let mut renumbered = vec![0; features.len()];
    for (new, &old) in order.iter().enumerate() {
        renumbered[old] = new;
    }
    let renumber = |indices: Vec<usize>| {
        let mut indices: Vec<usize> = indices.into_iter().map(|i| renumbered[i]).collect();
        indices.sort_unstable();
        indices
    };
    let all: Vec<usize> = (0..features.len()).collect();
    // Operations are always gated, even by all features (a spec of one tag): turning a
    // feature off must take its operations away.
    for (op, indices) in api.operations.iter_mut().zip(operation_features) {
        op.gate = Gate::AnyOf(renumber(indices));
    }
    for (slot, indices) in api.type_gates.iter_mut().zip(reached_by) {
        let indices = renumber(indices);
        *slot = if indices == all {
            Gate::Always
        } else {
            Gate::AnyOf(indices)
        };
    }
    let mut sorted: Vec<Option<Feature>> = features.into_iter().map(Some).collect();
    api.features = order.iter().filter_map(|&old| sorted[old].take()).collect();
}

/// Adds `feature` to every type reachable from `roots` that does not have it yet.
fn mark_reachable(api: &Api, roots: Vec<TypeId>, feature: usize, reached_by: &mut [Vec<usize>]) {
    // An explicit worklist: type graphs of real specs are thousands deep in places.
    let mut pending = roots;
    while let Some(id) = pending.pop() {
        if reached_by[id.0].last() == Some(&feature) {
            continue;
        }
        reached_by[id.0].push(feature);
        type_children(&api.types[id.0].kind, &mut |child| {
            if reached_by[child.0].last() != Some(&feature) {
                pending.push(child);
            }
        });
    }
}

/// The named types an operation sends or receives.
fn operation_roots(op: &Operation, visit: &mut dyn FnMut(TypeId)) {
    for param in &op.params {
        named_in(&param.ty, visit);
    }
    if let Some(body) = &op.body {
        named_in(&body.ty, visit);
    }
    if let ResponseKind::Json(ty) = &op.response.kind {
        named_in(ty, visit);
    }
    if let Some(pagination) = &op.pagination {
        named_in(&pagination.item_ty, visit);
    }
    if let Some(stream) = &op.event_stream {
        named_in(&stream.event, visit);
    }
}

/// The named types a type's definition names.
fn type_children(kind: &TypeKind, visit: &mut dyn FnMut(TypeId)) {
    match kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                named_in(&field.ty, visit);
            }
            if let Some(additional) = &s.additional {
                named_in(additional, visit);
            }
        }
        TypeKind::Union(union) => {
            for variant in &union.variants {
                named_in(&variant.ty, visit);
            }
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => named_in(ty, visit),
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) | TypeKind::Const(_) => {}
    }
}

fn named_in(ty: &TypeRef, visit: &mut dyn FnMut(TypeId)) {
    match ty {
        TypeRef::Named(id) => visit(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            named_in(inner, visit)
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Gate, TypeKind};

    fn lowered(spec: &str) -> crate::ir::Api {
        let loaded = crate::load::parse(std::path::Path::new("spec.yaml"), spec.as_bytes())
            .expect("test spec parses");
        crate::lower::lower(&loaded.openapi, &Default::default())
            .expect("lowers")
            .api
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Tags, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/PetList'}}}}
  /owners:
    get:
      operationId: listOwners
      tags: [Owners, Pets]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Owner'}}}}
  /health:
    get:
      operationId: health
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Health'}}}}
components:
  schemas:
    PetList: {type: object, properties: {items: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}
    Pet: {type: object, properties: {owner: {$ref: '#/components/schemas/Owner'}}}
    Owner: {type: object, properties: {name: {type: string}}}
    Health: {type: string, enum: [ok, degraded]}
    Unused: {type: object, properties: {a: {$ref: '#/components/schemas/Owner'}}}
"#;

    #[test]
    fn each_tag_is_a_feature_and_types_follow_the_operations_that_reach_them() {
        let api = lowered(SPEC);
        let names: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["owners", "pets", "unreferenced-types", "untagged"]);
        let counts: Vec<usize> = api.features.iter().map(|f| f.operations).collect();
        assert_eq!(counts, [1, 2, 0, 1]);
        let gate_of = |name: &str| {
            let index = api.types.iter().position(|t| t.name == name).expect(name);
            api.type_gates[index].clone()
        };
        // Pet is reached only through the Pets operations; Owner from both tags.
        assert_eq!(gate_of("PetList"), Gate::AnyOf(vec![1]));
        assert_eq!(gate_of("Pet"), Gate::AnyOf(vec![1]));
        // Owner: from both tags, and from a type no operation reaches.
        assert_eq!(gate_of("Owner"), Gate::AnyOf(vec![0, 1, 2]));
        assert_eq!(gate_of("Health"), Gate::AnyOf(vec![3]));
        // No operation reaches it: its own feature, with what it names.
        assert_eq!(gate_of("Unused"), Gate::AnyOf(vec![2]));
        let op_gate = |id: &str| {
            api.operations
                .iter()
                .find(|op| op.id == id)
                .expect(id)
                .gate
                .clone()
        };
        assert_eq!(op_gate("listOwners"), Gate::AnyOf(vec![0, 1]));
        assert_eq!(op_gate("health"), Gate::AnyOf(vec![3]));
        assert!(matches!(
            api.types
                .iter()
                .find(|t| t.name == "Health")
                .map(|t| &t.kind),
            Some(TypeKind::StringEnum(_))
        ));
    }

    #[test]
    fn tag_names_become_distinct_feature_names_that_avoid_our_own() {
        let spec = r#"
openapi: 3.0.3
info: {title: Tags, version: "1"}
paths:
  /a: {get: {operationId: a, tags: ["Vector stores"], responses: {'204': {description: ok}}}}
  /b: {get: {operationId: b, tags: ["vector-stores"], responses: {'204': {description: ok}}}}
  /c: {get: {operationId: c, tags: [mock], responses: {'204': {description: ok}}}}
  /d: {get: {operationId: d, tags: ["2024 API", "Ünïcode", "!!"], responses: {'204': {description: ok}}}}
"#;
        let api = lowered(spec);
        let mut names: Vec<(&str, &str)> = api
            .features
            .iter()
            .filter_map(|f| match &f.kind {
                crate::ir::FeatureKind::Tag(tag) => Some((tag.as_str(), f.name.as_str())),
                _ => None,
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ("!!", "tag"),
                ("2024 API", "tag-2024-api"),
                ("Vector stores", "vector-stores"),
                ("mock", "mock2"),
                ("vector-stores", "vector-stores2"),
                // Non-ASCII letters are spelled by code point, like identifiers.
                ("Ünïcode", "ufcnuefcode"),
            ]
        );
    }

    #[test]
    fn a_spec_without_tags_has_no_features() {
        let spec = SPEC
            .replace("tags: [Pets]", "")
            .replace("tags: [Owners, Pets]", "");
        let api = lowered(&spec);
        assert!(api.features.is_empty());
        assert!(api.type_gates.iter().all(|g| *g == Gate::Always));
        assert!(api.operations.iter().all(|op| op.gate == Gate::Always));
    }
}
