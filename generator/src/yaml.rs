//! YAML (and so JSON) text → `serde_json::Value` and a JSON pointer → position index,
//! built in one pass over saphyr-parser's events.
//!
//! Scalars follow the YAML 1.2 core schema as serde_yaml did before: `null`/`~`/empty,
//! `true`/`false`, integers (`0x`, `0o`, `0b`, signs), floats (`.inf`/`.nan` become
//! `null`, having no JSON form); quoted scalars are always strings; integers beyond
//! i64/u64 load as floats. Mapping keys are strings (`200:` is `"200"`, as written), and
//! a duplicate key is an error. The builder is a loop over an explicit stack (never
//! recursion), and enforces [`MAX_DEPTH`] and [`MAX_ALIAS_NODES`].

use crate::diagnostics::Diagnostic;
use crate::limits::{MAX_ALIAS_NODES, MAX_DEPTH};
use crate::source::{Mark, NodeIndex, SourceMap};
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt::Write;

/// Parses `text` (one YAML document). On error, the diagnostic is already located.
pub fn parse(text: &str) -> Result<(Value, SourceMap), Diagnostic> {
    let mut builder = Builder::default();
    let mut documents = 0usize;
    let result = (|| {
        for event in Parser::new_from_str(text) {
            let (event, span) = event.map_err(|e| {
                let marker = e.marker();
                // saphyr's own bound on `[`/`{` nesting (255) is past ours, but its
                // scanner reads ahead of the events we count.
                let message = if e.info() == "recursion limit exceeded" {
                    too_deep()
                } else {
                    format!("not valid YAML or JSON: {}", e.info())
                };
                Problem {
                    mark: Mark {
                        line: to_u32(marker.line()),
                        column: to_u32(marker.col()),
                        width: 1,
                    },
                    pointer: builder.path.clone(),
                    message,
                }
            })?;
            if let Event::DocumentStart(_) = event {
                documents += 1;
                if documents > 1 {
                    return Err(Problem {
                        mark: mark_of(&span),
                        pointer: String::new(),
                        message: "the file holds more than one YAML document (a second `---`); expected one OpenAPI document".to_string(),
                    });
                }
            }
            builder.event(event, &span)?;
        }
        Ok(())
    })();
    let Builder { root, nodes, .. } = builder;
    match result {
        Ok(()) => Ok((
            root.unwrap_or(Value::Null),
            SourceMap::new(text.to_string(), nodes),
        )),
        Err(problem) => {
            let source = SourceMap::new(text.to_string(), NodeIndex::default());
            Err(Diagnostic::error(problem.pointer, problem.message)
                .at(Some(source.location(problem.mark))))
        }
    }
}

/// A problem while building, before it is tied to the text.
struct Problem {
    mark: Mark,
    pointer: String,
    message: String,
}

#[derive(Default)]
struct Builder {
    /// The pointer of the node being built (tokens are pushed and truncated), for
    /// messages.
    path: String,
    nodes: NodeIndex,
    frames: Vec<Frame>,
    /// Finished anchored nodes by anchor id, with their node counts. Only looked up,
    /// never iterated, so its order cannot reach the output.
    anchors: HashMap<usize, (Value, usize)>,
    /// Nodes copied by aliases so far.
    alias_nodes: usize,
    root: Option<Value>,
}

struct Frame {
    container: Container,
    anchor: usize,
    /// This node and everything below it, aliases counted at their expanded size.
    nodes: usize,
    /// `path` before this node's token was pushed.
    path_len: usize,
    /// This node in the index.
    node: usize,
}

enum Container {
    List(Vec<Value>),
    /// `key` is the key whose value is being built, with where the key is.
    Map {
        map: Map<String, Value>,
        start: Mark,
        key: Option<(String, Mark)>,
    },
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: &Span) -> Result<(), Problem> {
        let mark = mark_of(span);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if self.expects_key() {
                    return self.key(text.into_owned(), mark);
                }
                let value = scalar(&text, style, tag.as_deref());
                let (path_len, node) = self.begin(mark);
                self.finish(value, 1, anchor, path_len, node);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.expects_key() {
                    return Err(self.problem(
                        mark,
                        "a mapping key is itself a list or mapping; OpenAPI keys are names",
                    ));
                }
                if self.frames.len() >= MAX_DEPTH {
                    return Err(self.problem(mark, too_deep()));
                }
                let (path_len, node) = self.begin(mark);
                let container = if matches!(event, Event::SequenceStart(..)) {
                    Container::List(Vec::new())
                } else {
                    Container::Map {
                        map: Map::new(),
                        start: mark,
                        key: None,
                    }
                };
                self.frames.push(Frame {
                    container,
                    anchor,
                    nodes: 1,
                    path_len,
                    node,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.frames.pop() {
                    let value = match frame.container {
                        Container::List(items) => Value::Array(items),
                        Container::Map { map, .. } => Value::Object(map),
                    };
                    self.finish(value, frame.nodes, frame.anchor, frame.path_len, frame.node);
                }
            }
            Event::Alias(id) => {
                let Some((value, count)) = self.anchors.get(&id) else {
                    return Err(self.problem(
                        mark,
                        "this alias refers to the node that contains it; a recursive alias has no finite value",
                    ));
                };
                if self.expects_key() {
                    let Value::String(key) = value else {
                        let key = value.to_string();
                        return self.key(key, mark);
                    };
                    let key = key.clone();
                    return self.key(key, mark);
                }
                let count = *count;
                let (path_len, node) = self.begin(mark);
                self.alias_nodes = self.alias_nodes.saturating_add(count);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(self.problem(
                        mark,
                        format!("YAML aliases expand to more than {MAX_ALIAS_NODES} nodes in total (an alias bomb?); write the repeated parts out or use `$ref`"),
                    ));
                }
                // Cloned only within the budget, so a bomb never allocates its expansion.
                let value = self
                    .anchors
                    .get(&id)
                    .map(|(v, _)| v.clone())
                    .unwrap_or_default();
                self.finish(value, count, 0, path_len, node);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn expects_key(&self) -> bool {
        matches!(
            self.frames.last(),
            Some(Frame {
                container: Container::Map { key: None, .. },
                ..
            })
        )
    }

    fn key(&mut self, key: String, mark: Mark) -> Result<(), Problem> {
        let pointer = crate::pointer::child(&self.path, &key);
        let Some(Frame {
            container:
                Container::Map {
                    map,
                    start,
                    key: pending,
                },
            ..
        }) = self.frames.last_mut()
        else {
            return Ok(());
        };
        if map.contains_key(&key) {
            let message = format!(
                "duplicate key `{key}` in the mapping that starts at line {}, column {}; keys must be unique",
                start.line,
                start.column + 1
            );
            return Err(Problem {
                mark,
                pointer,
                message,
            });
        }
        *pending = Some((key, mark));
        Ok(())
    }

    /// Pushes the token of a node that starts at `mark` and opens it in the index;
    /// returns the path length to truncate back to and the index node to close.
    fn begin(&mut self, mark: Mark) -> (usize, usize) {
        let path_len = self.path.len();
        let mark = match self.frames.last() {
            Some(Frame {
                container: Container::List(items),
                ..
            }) => {
                let _ = write!(self.path, "/{}", items.len());
                mark
            }
            Some(Frame {
                container:
                    Container::Map {
                        key: Some((key, key_mark)),
                        ..
                    },
                ..
            }) => {
                self.path.push('/');
                self.path.push_str(&crate::pointer::escape(key));
                // A mapping entry is shown at its key: `name:` reads better than the
                // value, which for a block mapping starts on the next line.
                *key_mark
            }
            _ => mark,
        };
        let token = self.path.get(path_len + 1..).unwrap_or_default();
        let node = self.nodes.open(token, mark);
        (path_len, node)
    }

    fn finish(&mut self, value: Value, nodes: usize, anchor: usize, path_len: usize, node: usize) {
        self.nodes.close(node);
        self.path.truncate(path_len);
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        match self.frames.last_mut() {
            Some(frame) => {
                frame.nodes = frame.nodes.saturating_add(nodes);
                match &mut frame.container {
                    Container::List(items) => items.push(value),
                    Container::Map { map, key, .. } => {
                        if let Some((key, _)) = key.take() {
                            map.insert(key, value);
                        }
                    }
                }
            }
            None => self.root = Some(value),
        }
    }

    fn problem(&self, mark: Mark, message: impl Into<String>) -> Problem {
        Problem {
            mark,
            pointer: self.path.clone(),
            message: message.into(),
        }
    }
}

fn too_deep() -> String {
    format!("the document nests deeper than {MAX_DEPTH} levels (see limits::MAX_DEPTH); no real API needs that, and deeper nesting could exhaust the stack")
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn mark_of(span: &Span) -> Mark {
    let width = if span.end.line() == span.start.line() {
        span.end.col().saturating_sub(span.start.col()).max(1)
    } else {
        1
    };
    Mark {
        line: to_u32(span.start.line()),
        column: to_u32(span.start.col()),
        width: to_u32(width),
    }
}

/// The JSON value of a scalar under the YAML 1.2 core schema.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let core_tag = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    if core_tag == Some("str") || (style != ScalarStyle::Plain && core_tag.is_none()) {
        return Value::String(text.to_string());
    }
    if text.is_empty() || matches!(text, "~" | "null" | "Null" | "NULL") {
        return Value::Null;
    }
    match text {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(number) = integer(text) {
        return number;
    }
    if !leading_zero_digits(text) {
        if let Some(float) = float(text) {
            return wide_number(float);
        }
    }
    Value::String(text.to_string())
}

/// An integer in decimal, `0x`, `0o` or `0b` with an optional sign; one beyond
/// i64/u64 becomes a float.
fn integer(text: &str) -> Option<Value> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(rest) = unsigned.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = unsigned.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = unsigned.strip_prefix("0b") {
        (2, rest)
    } else if leading_zero_digits(unsigned) {
        // `0123` is a string in YAML 1.2 (not octal, not 123).
        return None;
    } else {
        (10, unsigned)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok();
    let value = match (negative, magnitude) {
        (false, Some(m)) => u64::try_from(m).map_or_else(|_| wide_number(m as f64), Value::from),
        (true, Some(m)) => match i128::try_from(m).ok().map(|m| -m) {
            Some(n) => i64::try_from(n).map_or_else(|_| wide_number(n as f64), Value::from),
            None => wide_number(-(m as f64)),
        },
        // Beyond u128: still a number, as a float (decimal only parses as one).
        (_, None) => wide_number(float(text)?),
    };
    Some(value)
}

/// `0123` or `-007`: digits after a leading zero.
fn leading_zero_digits(text: &str) -> bool {
    let text = text.strip_prefix(['-', '+']).unwrap_or(text);
    text.len() > 1 && text.starts_with('0') && text[1..].bytes().all(|b| b.is_ascii_digit())
}

fn float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    // Rust also reads `inf`, `nan` and `infinity`, which YAML spells with a dot.
    if unsigned
        .trim_start_matches('-')
        .starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return None;
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A number JSON can hold: finite floats as they are, anything else as null (YAML's
/// `.inf`/`.nan` have no JSON form and no meaning in OpenAPI).
fn wide_number(v: f64) -> Value {
    serde_json::Number::from_f64(v)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> Value {
        parse(text).unwrap_or_else(|e| panic!("{e:?}")).0
    }

    fn error(text: &str) -> Diagnostic {
        parse(text).expect_err("must fail")
    }

    #[test]
    fn core_schema_scalars() {
        assert_eq!(
            value("[null, ~, true, False, 12, -3, 0x1F, 0o17, 0b11, 1.5, -2e3, .inf, -.Inf, .nan, 0123, '12', \"true\", yes, +7]"),
            json!([null, null, true, false, 12, -3, 31, 15, 3, 1.5, -2000.0, null, null, null, "0123", "12", "true", "yes", 7])
        );
        assert_eq!(value("a:\nb: 1"), json!({"a": null, "b": 1}));
        assert_eq!(value("!!str 12"), json!("12"));
        assert_eq!(value("|\n  text\n"), json!("text\n"));
    }

    #[test]
    fn integers_beyond_64_bits_are_floats() {
        assert_eq!(value("-9223372036854776000"), json!(-9.223372036854776e18));
        assert_eq!(value("18446744073709551615"), json!(u64::MAX));
        assert_eq!(value("18446744073709551616"), json!(1.8446744073709552e19));
        assert_eq!(
            value("340282366920938463463374607431768211457"),
            json!(3.402823669209385e38)
        );
    }

    #[test]
    fn keys_are_their_text() {
        assert_eq!(
            value("200: ok\ntrue: yes\n1.0: x\n"),
            json!({"200": "ok", "true": "yes", "1.0": "x"})
        );
    }

    #[test]
    fn json_is_yaml() {
        assert_eq!(
            value("{\"a\": [1, 2.5, \"x\", null, false], \"b\": {}}"),
            json!({"a": [1, 2.5, "x", null, false], "b": {}})
        );
    }

    #[test]
    fn nodes_are_indexed_at_their_keys() {
        let (_, source) = parse("openapi: 3.0.0\npaths:\n  /a/b:\n    get: {}\ntags: [x, y]\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        let at = |pointer: &str| {
            source
                .locate(pointer)
                .map(|l| (l.line, l.column))
                .unwrap_or_else(|| panic!("{pointer} not indexed"))
        };
        assert_eq!(at(""), (1, 1));
        assert_eq!(at("/paths"), (2, 1));
        assert_eq!(at("/paths/~1a~1b"), (3, 3));
        assert_eq!(at("/paths/~1a~1b/get"), (4, 5));
        assert_eq!(at("/tags/1"), (5, 11));
    }

    #[test]
    fn duplicate_keys_name_the_key_and_the_mapping() {
        let e = error("info:\n  title: t\n  version: v\n  title: u\n");
        assert!(e.message.contains("duplicate key `title`"), "{}", e.message);
        assert!(e.message.contains("line 2, column 3"), "{}", e.message);
        assert_eq!(e.pointer, "/info/title");
        let location = e.location.expect("located");
        assert_eq!((location.line, location.column), (4, 3));
    }

    #[test]
    fn anchors_and_aliases_copy_values() {
        assert_eq!(
            value("a: &x {k: [1, 2]}\nb: *x\n"),
            json!({"a": {"k": [1, 2]}, "b": {"k": [1, 2]}})
        );
    }

    #[test]
    fn alias_expansion_is_bounded() {
        // 1,001 items referenced 1,000 times: over a million copied nodes.
        let items = vec!["1"; 1_001].join(", ");
        let refs = vec!["*a"; 1_000].join(", ");
        let text = format!("a: &a [{items}]\nb: [{refs}]\n");
        let e = error(&text);
        assert!(
            e.message.contains("aliases expand to more than"),
            "{}",
            e.message
        );
        assert_eq!(e.location.map(|l| l.line), Some(2));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let e = error(&deep);
        assert!(e.message.contains("nests deeper than"), "{}", e.message);
        assert_eq!(e.location.map(|l| l.column), Some(MAX_DEPTH + 1));
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn a_second_document_is_refused() {
        let e = error("a: 1\n---\nb: 2\n");
        assert!(
            e.message.contains("more than one YAML document"),
            "{}",
            e.message
        );
        assert_eq!(e.location.map(|l| l.line), Some(2));
    }
}
