//! Finds types that contain themselves and makes them expressible: aliases that refer to
//! themselves become newtypes, and fields that hold their own type by value are boxed.
//!
//! Strongly connected components of the "holds by value" graph (fields and union
//! variants that are not behind a `Vec` or map) are exactly the cycles that would give
//! an infinitely sized type; every edge inside one gets a `Box`. Strongly connected
//! components of the "alias expands to" graph are the type aliases rustc rejects as
//! cyclic (E0391); each becomes a newtype, or `serde_json::Value` when no container
//! on the cycle could hold the recursion.

use super::Diagnostics;
use crate::ir::{TypeDef, TypeKind, TypeRef};

/// The type a value-holding edge points to, when it points to a named type.
fn held_by_value(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(id.0),
        _ => None,
    }
}

fn edges(def: &TypeDef) -> Vec<usize> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| held_by_value(&f.ty))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| held_by_value(&v.ty))
            .collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => held_by_value(ty).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Every named type `ty` mentions, through containers.
fn named_in(ty: &TypeRef, out: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(id) => out.push(id.0),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            named_in(inner, out)
        }
        _ => {}
    }
}

/// Turns aliases that expand to themselves into newtypes (or `Value` when nothing on
/// the cycle is a container), warning at each one.
///
/// A cycle made only of bare `$ref` components (`A: {$ref: B}`, `B: {$ref: A}`) says
/// nothing at all and is an error; `is_bare_reference` tells those apart by index.
pub(crate) fn break_alias_cycles(
    types: &mut [TypeDef],
    diagnostics: &mut Diagnostics,
    is_bare_reference: impl Fn(usize) -> bool,
) {
    let is_alias = |def: &TypeDef| matches!(def.kind, TypeKind::Alias(_));
    let graph: Vec<Vec<usize>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias(ty) => {
                let mut targets = Vec::new();
                named_in(ty, &mut targets);
                targets.retain(|t| types.get(*t).is_some_and(is_alias));
                targets
            }
            _ => Vec::new(),
        })
        .collect();
    let component = components(&graph);
    // Per cyclic component: does any member expand through a container? Then making
    // those members newtypes breaks every cycle (a newtype is a type of its own);
    // otherwise the aliases only name each other and mean nothing but "any value".
    let mut members = std::collections::BTreeMap::<usize, Vec<usize>>::new();
    for (index, c) in component.iter().enumerate() {
        members.entry(*c).or_default().push(index);
    }
    for group in members.values() {
        let cyclic = group.len() > 1 || graph[group[0]].contains(&group[0]);
        if !cyclic {
            continue;
        }
        if group.iter().all(|i| is_bare_reference(*i)) {
            let cycle: Vec<&str> = group.iter().map(|i| types[*i].origin.as_str()).collect();
            diagnostics.error(
                cycle[0],
                format!(
                    "$ref cycle that never passes through an object: {}",
                    cycle.join(" → ")
                ),
            );
            continue;
        }
        let through_container = group.iter().any(
            |i| matches!(&types[*i].kind, TypeKind::Alias(t) if !matches!(t, TypeRef::Named(_))),
        );
        for &index in group {
            let def = &mut types[index];
            let TypeKind::Alias(target) = &def.kind else {
                continue;
            };
            if !matches!(target, TypeRef::Named(_)) {
                def.kind = TypeKind::Newtype(target.clone());
            } else if !through_container {
                diagnostics.warn(
                    &def.origin,
                    "schema is only a reference to itself (directly or through other aliases); it holds any JSON value (serde_json::Value)",
                );
                def.kind = TypeKind::Alias(TypeRef::Json);
            }
        }
    }
}

/// Tarjan's algorithm, iterative so deep specs cannot overflow the stack.
fn components(graph: &[Vec<usize>]) -> Vec<usize> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call_stack = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = call_stack.last_mut() {
            if let Some(&target) = graph[node].get(*edge) {
                *edge += 1;
                if target >= n {
                    continue;
                }
                if index[target] == usize::MAX {
                    index[target] = next_index;
                    low[target] = next_index;
                    next_index += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    call_stack.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            call_stack.pop();
            if let Some(&(parent, _)) = call_stack.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

pub(crate) fn box_recursive_fields(types: &mut [TypeDef]) {
    let graph: Vec<Vec<usize>> = types.iter().map(edges).collect();
    let component = components(&graph);
    for owner in 0..types.len() {
        let same = |ty: &TypeRef| {
            held_by_value(ty)
                .is_some_and(|t| t < component.len() && component[t] == component[owner])
        };
        match &mut types[owner].kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = same(&field.ty);
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    variant.boxed = same(&variant.ty);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn self_containing_aliases_become_newtypes_and_bare_cycles_values() {
        use super::{break_alias_cycles, Diagnostics};
        use crate::ir::{Docs, TypeDef, TypeId, TypeKind, TypeRef};
        let alias = |name: &str, ty: TypeRef| TypeDef {
            name: name.to_string(),
            docs: Docs::default(),
            origin: format!("/components/schemas/{name}"),
            kind: TypeKind::Alias(ty),
        };
        let named = |i: usize| TypeRef::Named(TypeId(i));
        let mut types = vec![
            // 0: A = map of A
            alias("A", TypeRef::Map(Box::new(named(0)))),
            // 1: B = C, 2: C = Vec<B>: C becomes a newtype, B may stay an alias of it
            alias("B", named(2)),
            alias("C", TypeRef::Array(Box::new(named(1)))),
            // 3: D = E, 4: E = D: nothing can hold the recursion
            alias("D", named(4)),
            alias("E", named(3)),
            // 5: F = Vec<A>: not on a cycle
            alias("F", TypeRef::Array(Box::new(named(0)))),
            // 6: G = {$ref: G}: a bare reference to itself is an error
            alias("G", named(6)),
        ];
        let mut diagnostics = Diagnostics::default();
        break_alias_cycles(&mut types, &mut diagnostics, |index| index == 6);
        assert!(matches!(types[0].kind, TypeKind::Newtype(TypeRef::Map(_))));
        assert!(matches!(types[1].kind, TypeKind::Alias(TypeRef::Named(_))));
        assert!(matches!(
            types[2].kind,
            TypeKind::Newtype(TypeRef::Array(_))
        ));
        assert!(matches!(types[3].kind, TypeKind::Alias(TypeRef::Json)));
        assert!(matches!(types[4].kind, TypeKind::Alias(TypeRef::Json)));
        assert!(matches!(types[5].kind, TypeKind::Alias(TypeRef::Array(_))));
        assert_eq!(diagnostics.warnings.len(), 2);
        assert_eq!(diagnostics.errors.len(), 1);
        assert!(diagnostics.errors[0].message.contains("$ref cycle"));
    }

    #[test]
    fn finds_cycles_and_leaves_chains_apart() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 0 only points into it; 4 points to itself.
        let graph = vec![vec![1], vec![2], vec![0], vec![0], vec![4]];
        let c = components(&graph);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
    }
}
