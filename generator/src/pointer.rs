//! JSON pointers (RFC 6901): the one place that escapes tokens, joins children and
//! renders a serde path, shared by load, normalize and lower.

use std::borrow::Cow;

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// The pointer of `token` inside the node at `pointer`.
pub fn child(pointer: &str, token: &str) -> String {
    let token = escape(token);
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    out.push_str(&token);
    out
}

/// The pointer of item `index` inside the list at `pointer`.
pub fn item(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

/// Renders the path serde_path_to_error recorded as a pointer.
pub fn from_serde_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&escape(key)),
            Segment::Enum { variant } => out.push_str(&escape(variant)),
            // A step serde could not name; the pointer ends at the last known node.
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_tilde_first() {
        assert_eq!(escape("/a~b/"), "~1a~0b~1");
        assert_eq!(escape("~1"), "~01");
        assert_eq!(child("/paths", "/users/{id}"), "/paths/~1users~1{id}");
        assert_eq!(item("/tags", 3), "/tags/3");
    }

    #[test]
    fn serde_paths_become_pointers() {
        let value = serde_json::json!({"a/b": [1, "x"]});
        let error = serde_path_to_error::deserialize::<
            _,
            std::collections::BTreeMap<String, Vec<u8>>,
        >(&value)
        .expect_err("a string is not a u8");
        assert_eq!(from_serde_path(error.path()), "/a~1b/1");
    }
}
