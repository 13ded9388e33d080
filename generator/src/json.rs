//! JSON text → `serde_json::Value` and the JSON pointer → position index, for documents
//! that are JSON (a `.json` file, or text whose first non-blank character is `{`).
//!
//! JSON is read by serde_json, not by the YAML parser: YAML decodes `\u` escapes its own
//! way and refuses JSON's surrogate pairs (`"\ud83d\udc4d"`). serde_json gives a line and
//! column for syntax errors but no position per node, so a small scanner walks the
//! (already validated) text once more to build the [`NodeIndex`]; it also refuses
//! duplicate keys, which serde_json would silently merge. Both keep [`MAX_DEPTH`].

use crate::diagnostics::Diagnostic;
use crate::limits::MAX_DEPTH;
use crate::source::{location_of_offset, Mark, NodeIndex, SourceMap};
use serde_json::Value;
use std::collections::BTreeSet;

/// Whether `text` should be read as JSON: it is named `.json`, or starts (after blanks)
/// with `{`, which no YAML block mapping does.
pub fn is_json(path: Option<&std::path::Path>, text: &str) -> bool {
    let named_json = path
        .and_then(|p| p.extension())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    named_json || text.trim_start().starts_with('{')
}

/// Parses `text` (one JSON value). On error, the diagnostic is already located.
pub fn parse(text: &str) -> Result<(Value, SourceMap), Diagnostic> {
    let value: Value = serde_json::from_str(text).map_err(|e| syntax_error(text, &e))?;
    let nodes = index(text)?;
    Ok((value, SourceMap::new(text.to_string(), nodes)))
}

fn syntax_error(text: &str, e: &serde_json::Error) -> Diagnostic {
    let offset = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + e.column().saturating_sub(1);
    let full = e.to_string();
    // serde_json appends " at line L column C"; the location says that already.
    let reason = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(reason, _)| reason);
    let message = if reason.contains("recursion limit exceeded") {
        too_deep()
    } else {
        format!("not valid JSON: {reason}")
    };
    Diagnostic::error("", message).at(Some(location_of_offset(text.as_bytes(), offset)))
}

fn too_deep() -> String {
    format!("the document nests deeper than {MAX_DEPTH} levels (see limits::MAX_DEPTH); no real API needs that, and deeper nesting could exhaust the stack")
}

enum Frame {
    Object {
        node: usize,
        start: Mark,
        keys: BTreeSet<String>,
        /// The index node of the entry whose key was read and whose value comes next.
        entry: Option<usize>,
    },
    Array {
        node: usize,
        items: usize,
    },
}

/// Turns byte offsets (visited in increasing order) into marks, counting characters.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
    line: u32,
    column: u32,
}

impl Cursor<'_> {
    fn mark(&mut self, offset: usize, end: usize) -> Mark {
        if let Some(skipped) = self.text.get(self.at..offset) {
            for c in skipped.chars() {
                if c == '\n' {
                    self.line += 1;
                    self.column = 0;
                } else {
                    self.column += 1;
                }
            }
            self.at = offset;
        }
        let width = self
            .text
            .get(offset..end)
            .map_or(1, |token| token.chars().count());
        Mark {
            line: self.line,
            column: self.column,
            width: u32::try_from(width.max(1)).unwrap_or(u32::MAX),
        }
    }
}

/// The position of every node of valid JSON `text`.
fn index(text: &str) -> Result<NodeIndex, Diagnostic> {
    let bytes = text.as_bytes();
    let mut cursor = Cursor {
        text,
        at: 0,
        line: 1,
        column: 0,
    };
    let mut nodes = NodeIndex::default();
    let mut frames: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let located = |mark: Mark, pointer: &[String], message: String| {
        let source = SourceMap::new(text.to_string(), NodeIndex::default());
        let pointer: String = pointer
            .iter()
            .map(|token| format!("/{}", crate::pointer::escape(token)))
            .collect();
        Diagnostic::error(pointer, message).at(Some(source.location(mark)))
    };
    let mut pos = 0usize;
    while pos < bytes.len() {
        let byte = bytes[pos];
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' => pos += 1,
            b'}' | b']' => {
                if let Some(Frame::Object { node, .. } | Frame::Array { node, .. }) = frames.pop() {
                    nodes.close(node);
                }
                finish_value(&frames, &mut path);
                pos += 1;
            }
            _ => {
                let end = if byte == b'"' {
                    string_end(bytes, pos)
                } else if byte == b'{' || byte == b'[' {
                    pos + 1
                } else {
                    bytes[pos..]
                        .iter()
                        .position(|b| {
                            matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                        })
                        .map_or(bytes.len(), |len| pos + len)
                };
                let mark = cursor.mark(pos, end);
                if let Some(Frame::Object {
                    entry: entry @ None,
                    keys,
                    start,
                    ..
                }) = frames.last_mut()
                {
                    let key: String = text
                        .get(pos..end)
                        .and_then(|raw| serde_json::from_str(raw).ok())
                        .unwrap_or_default();
                    if !keys.insert(key.clone()) {
                        let message = format!(
                            "duplicate key `{key}` in the mapping that starts at line {}, column {}; keys must be unique",
                            start.line,
                            start.column + 1
                        );
                        path.push(key);
                        return Err(located(mark, &path, message));
                    }
                    *entry = Some(nodes.open(&crate::pointer::escape(&key), mark));
                    path.push(key);
                    pos = end;
                    continue;
                }
                let node = match frames.last_mut() {
                    Some(Frame::Object { entry, .. }) => entry.take().unwrap_or_default(),
                    Some(Frame::Array { items, .. }) => {
                        let node = nodes.open(&items.to_string(), mark);
                        path.push(items.to_string());
                        *items += 1;
                        node
                    }
                    None => nodes.open("", mark),
                };
                if byte == b'{' || byte == b'[' {
                    if frames.len() >= MAX_DEPTH {
                        return Err(located(mark, &path, too_deep()));
                    }
                    frames.push(if byte == b'{' {
                        Frame::Object {
                            node,
                            start: mark,
                            keys: BTreeSet::new(),
                            entry: None,
                        }
                    } else {
                        Frame::Array { node, items: 0 }
                    });
                } else {
                    nodes.close(node);
                    finish_value(&frames, &mut path);
                }
                pos = end;
            }
        }
    }
    Ok(nodes)
}

/// A value ended: the entry or item that held it is done.
fn finish_value(frames: &[Frame], path: &mut Vec<String>) {
    if !frames.is_empty() {
        path.pop();
    }
}

/// One past the closing quote of the string that starts at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut pos = start + 1;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'\\' => pos += 2,
            b'"' => return pos + 1,
            _ => pos += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrogate_pairs_decode_to_one_character() {
        let (value, _) = parse(r#"{"a": "\ud83d\udc4d ok"}"#).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(value["a"], "\u{1F44D} ok");
    }

    #[test]
    fn every_node_is_placed() {
        let text =
            "{\n  \"info\": {\"title\": \"é\", \"x\": [1, {\"y\": true}]},\n  \"a/b\": null\n}";
        let (_, source) = parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        let at = |pointer: &str| {
            source
                .locate(pointer)
                .map(|l| (l.line, l.column))
                .unwrap_or_default()
        };
        assert_eq!(at("/info"), (2, 3));
        assert_eq!(at("/info/title"), (2, 12));
        assert_eq!(at("/info/x/0"), (2, 32));
        assert_eq!(at("/info/x/1/y"), (2, 36));
        assert_eq!(at("/a~1b"), (3, 3));
    }

    #[test]
    fn duplicate_keys_are_refused_at_the_second() {
        let e = parse("{\"a\": 1,\n \"a\": 2}").expect_err("duplicate");
        assert_eq!(e.pointer, "/a");
        assert!(e.message.contains("duplicate key `a`"), "{}", e.message);
        assert_eq!(e.location.map(|l| (l.line, l.column)), Some((2, 2)));
    }

    #[test]
    fn syntax_errors_are_located_and_depth_is_bounded() {
        let e = parse("{\n  \"a\": [1,,]\n}").expect_err("invalid");
        assert!(e.message.starts_with("not valid JSON"), "{}", e.message);
        assert_eq!(e.location.map(|l| l.line), Some(2));
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 5), "]".repeat(MAX_DEPTH + 5));
        let e = parse(&deep).expect_err("too deep");
        assert!(e.message.contains("nests deeper"), "{}", e.message);
    }
}
