//! Finds fields that make a type contain itself by value, and boxes them.
//!
//! Strongly connected components of the "holds by value" graph (fields and union
//! variants that are not behind a `Vec` or map) are exactly the cycles that would give
//! an infinitely sized type; every edge inside one gets a `Box`.

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
        TypeKind::Alias(ty) => held_by_value(ty).into_iter().collect(),
        _ => Vec::new(),
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
