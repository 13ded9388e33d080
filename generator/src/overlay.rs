//! OpenAPI Overlay 1.0 documents: read with the spec's own parser and limits (so every
//! problem is placed at `overlay-file:line:col`), checked, and applied in order to the
//! spec's JSON tree before normalization.
//!
//! An action's `target` is an RFC 9535 JSONPath (`serde_json_path`). For every node it
//! selects, `remove: true` deletes the node; otherwise `update` is merged into it: into
//! an object, an object's members are merged recursively (objects merge, arrays append,
//! anything else replaces); into an array, the value is appended as one entry. A target
//! that selects nothing is a warning, as the Overlay specification advises. `extends`
//! is informational: the overlay applies to whatever spec it is given with.
//!
//! Every node an update writes is recorded in [`Origins`], so a later phase's diagnostic
//! about it is placed in the overlay that wrote it, not at whatever the spec had there.

use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::error::{Error, Result};
use crate::limits::{MAX_DEPTH, MAX_INPUT_BYTES, MAX_OVERLAY_COPIED_NODES};
use crate::source::{location_of_offset, SourceMap};
use serde_json::Value;
use serde_json_path::{JsonPath, PathElement};
use std::path::{Path, PathBuf};

/// One overlay document, checked and ready to apply.
#[derive(Debug, Clone)]
pub struct Overlay {
    path: PathBuf,
    source: SourceMap,
    actions: Vec<Action>,
}

#[derive(Debug, Clone)]
struct Action {
    /// `/actions/<n>` in the overlay document.
    pointer: String,
    target: JsonPath,
    change: Change,
}

#[derive(Debug, Clone)]
enum Change {
    Remove,
    Update(Value),
    /// Neither `update` nor `remove: true`: allowed by the schema, does nothing.
    Nothing,
}

/// Reads and checks the overlay at `path`.
pub fn read(path: &Path) -> Result<Overlay> {
    use std::io::Read;
    let read_error = |source| Error::ReadOverlay {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(read_error)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    parse(path, &bytes)
}

/// Checks overlay bytes; `path` names the file in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Overlay> {
    let syntax = |offset: usize, message: &str| Error::Syntax {
        path: path.to_path_buf(),
        diagnostic: Box::new(
            Diagnostic::error("", message).at(Some(location_of_offset(bytes, offset))),
        ),
    };
    let limit = usize::try_from(MAX_INPUT_BYTES).unwrap_or(usize::MAX);
    if bytes.len() > limit {
        return Err(syntax(
            limit,
            "the overlay is larger than limits::MAX_INPUT_BYTES; refused before parsing, at this byte",
        ));
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| syntax(e.valid_up_to(), "the overlay is not UTF-8 text"))?;
    if let Some(offset) = text.find('\0') {
        return Err(syntax(
            offset,
            "the overlay contains NUL bytes (is it a binary file?)",
        ));
    }
    if text.trim().is_empty() {
        return Err(syntax(
            0,
            "the overlay is empty; expected `overlay: 1.0.0`, `info` and `actions`",
        ));
    }
    let (document, source) = crate::yaml::parse(text).map_err(|diagnostic| Error::Syntax {
        path: path.to_path_buf(),
        diagnostic: Box::new(diagnostic),
    })?;
    let actions = check(&document).map_err(|diagnostic| Error::Invalid {
        path: path.to_path_buf(),
        diagnostic: Box::new(diagnostic.clone().at(source.locate(&diagnostic.pointer))),
    })?;
    Ok(Overlay {
        path: path.to_path_buf(),
        source,
        actions,
    })
}

/// The document's shape, per the Overlay 1.0 schema: every action is checked before
/// any is applied, so a bad last action leaves nothing half-done.
fn check(document: &Value) -> Result<Vec<Action>, Diagnostic> {
    let Some(map) = document.as_object() else {
        return Err(Diagnostic::error(
            "",
            "expected a mapping at the top level (an Overlay document), found a scalar or a list",
        ));
    };
    match map.get("overlay") {
        Some(Value::String(version)) if version.starts_with("1.0.") || version == "1.0" => {}
        Some(Value::String(version)) => {
            return Err(Diagnostic::error(
                "/overlay",
                format!("Overlay version {version} is not supported; expected 1.0.x"),
            ))
        }
        Some(_) => {
            return Err(Diagnostic::error(
                "/overlay",
                "expected a version string like \"1.0.0\"",
            ))
        }
        None if map.contains_key("openapi") => {
            return Err(Diagnostic::error(
                "",
                "this is an OpenAPI document, not an overlay; pass it with --spec, or write an Overlay 1.0 document (`overlay: 1.0.0`)",
            ))
        }
        None => {
            return Err(Diagnostic::error(
                "",
                "missing the `overlay` version field; expected an Overlay 1.0 document",
            ))
        }
    }
    match map.get("info") {
        Some(Value::Object(info)) => {
            for field in ["title", "version"] {
                if !info.get(field).is_some_and(Value::is_string) {
                    return Err(Diagnostic::error(
                        "/info",
                        format!("`info` needs a `{field}` string"),
                    ));
                }
            }
        }
        _ => {
            return Err(Diagnostic::error(
                if map.contains_key("info") {
                    "/info"
                } else {
                    ""
                },
                "an overlay needs an `info` mapping with `title` and `version`",
            ))
        }
    }
    if map.get("extends").is_some_and(|e| !e.is_string()) {
        return Err(Diagnostic::error(
            "/extends",
            "`extends` must be a URI string",
        ));
    }
    let actions = match map.get("actions") {
        Some(Value::Array(actions)) if !actions.is_empty() => actions,
        Some(_) => {
            return Err(Diagnostic::error(
                "/actions",
                "`actions` must be a list of at least one action",
            ))
        }
        None => return Err(Diagnostic::error("", "an overlay needs an `actions` list")),
    };
    actions
        .iter()
        .enumerate()
        .map(|(index, action)| check_action(&format!("/actions/{index}"), action))
        .collect()
}

fn check_action(pointer: &str, action: &Value) -> Result<Action, Diagnostic> {
    let Some(map) = action.as_object() else {
        return Err(Diagnostic::error(
            pointer,
            "an action must be a mapping with `target` and `update` or `remove`",
        ));
    };
    let target_pointer = format!("{pointer}/target");
    let target = match map.get("target") {
        Some(Value::String(text)) => JsonPath::parse(text).map_err(|e| {
            Diagnostic::error(
                &target_pointer,
                format!(
                    "`{text}` is not a JSONPath (RFC 9535): {} at character {}",
                    e.message(),
                    e.position()
                ),
            )
        })?,
        Some(_) => {
            return Err(Diagnostic::error(
                target_pointer,
                "`target` must be a JSONPath string such as \"$.paths['/pets'].get\"",
            ))
        }
        None => {
            return Err(Diagnostic::error(
                pointer,
                "an action needs a `target` (a JSONPath)",
            ))
        }
    };
    let remove = match map.get("remove") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(_) => {
            return Err(Diagnostic::error(
                format!("{pointer}/remove"),
                "`remove` must be `true` or `false`",
            ))
        }
    };
    // The specification: `update` has no effect when `remove` is true.
    let change = match (remove, map.get("update")) {
        (true, _) => Change::Remove,
        (false, Some(update)) => Change::Update(update.clone()),
        (false, None) => Change::Nothing,
    };
    Ok(Action {
        pointer: pointer.to_string(),
        target,
        change,
    })
}

impl Overlay {
    /// A problem at `pointer` in this overlay, placed in its text and naming its file.
    fn diagnostic(&self, diagnostic: Diagnostic) -> Diagnostic {
        let location = self.source.locate(&diagnostic.pointer);
        diagnostic.at(location).in_file(&self.path)
    }

    fn invalid(&self, diagnostic: Diagnostic) -> Error {
        Error::Invalid {
            path: self.path.clone(),
            diagnostic: Box::new(self.diagnostic(diagnostic)),
        }
    }
}

/// Which overlay wrote which nodes of the overlaid document.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// Each overlay's file and text, by position in the list applied.
    files: Vec<(PathBuf, SourceMap)>,
    /// In the order written, so the last record that contains a pointer is the write
    /// that put the node there (a later write to an ancestor replaced earlier ones).
    writes: Vec<Write>,
}

#[derive(Debug, Clone)]
struct Write {
    /// Where the written node is in the overlaid document.
    spec: String,
    overlay: usize,
    /// Where its value is in the overlay.
    pointer: String,
}

impl Origins {
    fn record(&mut self, spec: String, overlay: usize, pointer: String) {
        self.writes.push(Write {
            spec,
            overlay,
            pointer,
        });
    }

    /// The place in an overlay of the node at `pointer` in the overlaid document, when
    /// an overlay wrote it.
    fn locate(&self, pointer: &str) -> Option<(Location, &Path)> {
        let write = self.writes.iter().rev().find(|write| {
            pointer
                .strip_prefix(write.spec.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })?;
        let (path, source) = self.files.get(write.overlay)?;
        let inside = &pointer[write.spec.len()..];
        let location = source.locate(&format!("{}{inside}", write.pointer))?;
        Some((location, path.as_path()))
    }

    /// Places each diagnostic that is not placed yet and concerns a node an overlay
    /// wrote, in that overlay.
    pub fn place(&self, diagnostics: &mut Diagnostics) {
        if self.writes.is_empty() {
            return;
        }
        for diagnostic in diagnostics
            .warnings
            .iter_mut()
            .chain(diagnostics.errors.iter_mut())
        {
            self.place_one(diagnostic);
        }
    }

    pub fn place_one(&self, diagnostic: &mut Diagnostic) {
        if diagnostic.location.is_some() {
            return;
        }
        if let Some((location, path)) = self.locate(&diagnostic.pointer) {
            diagnostic.location = Some(location);
            diagnostic.file = Some(Box::new(path.to_path_buf()));
        }
    }
}

/// Applies `overlays` in order, each action in order, to `document`; returns the
/// warnings (placed in the overlays' files) and where the written nodes came from.
pub fn apply(overlays: &[Overlay], document: &mut Value) -> Result<(Vec<Diagnostic>, Origins)> {
    let mut warnings = Vec::new();
    let mut origins = Origins::default();
    let mut copied = 0usize;
    for (index, overlay) in overlays.iter().enumerate() {
        origins
            .files
            .push((overlay.path.clone(), overlay.source.clone()));
        for action in &overlay.actions {
            let targets: Vec<Vec<Token>> = action
                .target
                .query_located(document)
                .locations()
                .map(|location| location.iter().map(Token::from).collect())
                .collect();
            if targets.is_empty() {
                warnings.push(overlay.diagnostic(Diagnostic::warning(
                    format!("{}/target", action.pointer),
                    "this target selects nothing in the spec; the action changes nothing",
                )));
                continue;
            }
            match &action.change {
                Change::Nothing => {}
                Change::Remove => remove(overlay, action, document, targets)?,
                Change::Update(update) => {
                    let update_pointer = format!("{}/update", action.pointer);
                    let (depth, nodes) = depth_and_nodes(update);
                    copied = copied.saturating_add(nodes.saturating_mul(targets.len()));
                    if copied > MAX_OVERLAY_COPIED_NODES {
                        return Err(overlay.invalid(Diagnostic::error(
                            update_pointer,
                            format!("the overlays copy more than {MAX_OVERLAY_COPIED_NODES} nodes into the spec in total (limits::MAX_OVERLAY_COPIED_NODES); narrow the targets"),
                        )));
                    }
                    for target in targets {
                        if target.len() + depth > MAX_DEPTH {
                            return Err(overlay.invalid(Diagnostic::error(
                                update_pointer,
                                format!("this update would nest the spec deeper than {MAX_DEPTH} levels (limits::MAX_DEPTH)"),
                            )));
                        }
                        let Some(node) = node_mut(document, &target) else {
                            continue;
                        };
                        let mut writer = Writer {
                            origins: &mut origins,
                            overlay: index,
                        };
                        writer
                            .update_node(node, update, to_pointer(&target), &update_pointer)
                            .map_err(|found| {
                            overlay.invalid(Diagnostic::error(
                                update_pointer.clone(),
                                format!(
                                    "`update` must be merged into an object or appended to a list, but the target selects {found} at {}",
                                    to_pointer(&target)
                                ),
                            ))
                        })?;
                    }
                }
            }
        }
    }
    Ok((warnings, origins))
}

/// One step of a matched node's location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Token {
    Index(usize),
    Name(String),
}

impl From<&PathElement<'_>> for Token {
    fn from(element: &PathElement<'_>) -> Self {
        match element {
            PathElement::Index(index) => Token::Index(*index),
            PathElement::Name(name) => Token::Name((*name).to_string()),
        }
    }
}

fn to_pointer(tokens: &[Token]) -> String {
    tokens
        .iter()
        .fold(String::new(), |pointer, token| match token {
            Token::Index(index) => crate::pointer::item(&pointer, *index),
            Token::Name(name) => crate::pointer::child(&pointer, name),
        })
}

fn node_mut<'a>(document: &'a mut Value, tokens: &[Token]) -> Option<&'a mut Value> {
    tokens
        .iter()
        .try_fold(document, |node, token| match (node, token) {
            (Value::Object(map), Token::Name(name)) => map.get_mut(name),
            (Value::Array(list), Token::Index(index)) => list.get_mut(*index),
            _ => None,
        })
}

fn remove(
    overlay: &Overlay,
    action: &Action,
    document: &mut Value,
    mut targets: Vec<Vec<Token>>,
) -> Result<()> {
    // Later list members first, so removing one does not shift the indices of the
    // others; a node inside one already removed is simply gone.
    targets.sort();
    targets.dedup();
    for target in targets.iter().rev() {
        let Some((last, parent)) = target.split_last() else {
            return Err(overlay.invalid(Diagnostic::error(
                format!("{}/target", action.pointer),
                "this target selects the whole document, which cannot be removed",
            )));
        };
        match (node_mut(document, parent), last) {
            (Some(Value::Object(map)), Token::Name(name)) => {
                map.shift_remove(name);
            }
            (Some(Value::Array(list)), Token::Index(index)) if *index < list.len() => {
                list.remove(*index);
            }
            _ => {}
        }
    }
    Ok(())
}

/// Merges updates into the document, recording what it writes.
struct Writer<'a> {
    origins: &'a mut Origins,
    overlay: usize,
}

impl Writer<'_> {
    /// Merges `update` (at `from` in the overlay) into the object at `at`, or appends it
    /// to the list there; otherwise names what the target is.
    fn update_node(
        &mut self,
        node: &mut Value,
        update: &Value,
        at: String,
        from: &str,
    ) -> Result<(), &'static str> {
        match (node, update) {
            (Value::Object(target), Value::Object(update)) => {
                self.merge_members(target, update, &at, from);
                Ok(())
            }
            (Value::Object(_), _) => Err("an object (so `update` must be a mapping)"),
            (Value::Array(list), update) => {
                let item = crate::pointer::item(&at, list.len());
                self.origins.record(item, self.overlay, from.to_string());
                list.push(update.clone());
                Ok(())
            }
            (Value::String(_), _) => Err("a string"),
            (Value::Number(_), _) => Err("a number"),
            (Value::Bool(_), _) => Err("a boolean"),
            (Value::Null, _) => Err("null"),
        }
    }

    /// The Overlay merge: members of the same name merge when both are objects, lists
    /// are concatenated, and any other value replaces the target's.
    fn merge_members(
        &mut self,
        target: &mut serde_json::Map<String, Value>,
        update: &serde_json::Map<String, Value>,
        at: &str,
        from: &str,
    ) {
        for (key, value) in update {
            let (at, from) = (
                crate::pointer::child(at, key),
                crate::pointer::child(from, key),
            );
            match (target.get_mut(key), value) {
                (Some(Value::Object(existing)), Value::Object(value)) => {
                    self.merge_members(existing, value, &at, &from)
                }
                (Some(Value::Array(existing)), Value::Array(value)) => {
                    for offset in 0..value.len() {
                        self.origins.record(
                            crate::pointer::item(&at, existing.len() + offset),
                            self.overlay,
                            crate::pointer::item(&from, offset),
                        );
                    }
                    existing.extend(value.iter().cloned())
                }
                _ => {
                    self.origins.record(at, self.overlay, from);
                    target.insert(key.clone(), value.clone());
                }
            }
        }
    }
}

/// How deep `value` nests (a scalar is 0) and how many nodes it has, without recursion.
fn depth_and_nodes(value: &Value) -> (usize, usize) {
    let mut stack = vec![(value, 0usize)];
    let (mut depth, mut nodes) = (0, 0);
    while let Some((value, level)) = stack.pop() {
        nodes += 1;
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Object(map) => Box::new(map.values()),
            Value::Array(list) => Box::new(list.iter()),
            _ => continue,
        };
        depth = depth.max(level + 1);
        stack.extend(children.map(|child| (child, level + 1)));
    }
    (depth, nodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(text: &str) -> Overlay {
        parse(Path::new("fix.yaml"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(text: &str) -> String {
        parse(Path::new("fix.yaml"), text.as_bytes())
            .expect_err("must fail")
            .to_string()
    }

    const HEAD: &str = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n";

    #[test]
    fn update_merges_recursively_and_appends_to_lists() {
        let mut spec = json!({"a": {"b": {"c": 1, "d": [1]}, "keep": true}});
        let fix = overlay(&format!(
            "{HEAD}  - target: $.a\n    update: {{b: {{c: 2, d: [2], e: x}}}}\n"
        ));
        let (warnings, _) = apply(&[fix], &mut spec).unwrap_or_else(|e| panic!("{e}"));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            spec,
            json!({"a": {"b": {"c": 2, "d": [1, 2], "e": "x"}, "keep": true}})
        );
    }

    #[test]
    fn written_nodes_are_traced_to_the_overlay() {
        let mut spec = json!({"a": {"keep": 1, "list": [1]}});
        let fix = overlay(&format!(
            "{HEAD}  - target: $.a\n    update:\n      new: {{deep: 1}}\n      list: [2]\n"
        ));
        let (_, origins) = apply(&[fix], &mut spec).unwrap_or_else(|e| panic!("{e}"));
        let line = |pointer: &str| origins.locate(pointer).map(|(l, _)| l.line);
        assert_eq!(line("/a/new/deep"), Some(6));
        assert_eq!(line("/a/list/1"), Some(7));
        // The spec's own nodes are not the overlay's.
        assert_eq!(line("/a/keep"), None);
        assert_eq!(line("/a/list/0"), None);
        assert_eq!(line("/a/newer"), None);
    }

    #[test]
    fn update_of_a_list_appends_one_entry() {
        let mut spec = json!({"tags": [{"name": "a"}]});
        let fix = overlay(&format!(
            "{HEAD}  - target: $.tags\n    update: {{name: b}}\n"
        ));
        apply(&[fix], &mut spec).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec, json!({"tags": [{"name": "a"}, {"name": "b"}]}));
    }

    #[test]
    fn remove_deletes_every_match_without_shifting_the_others() {
        let mut spec = json!({"list": [0, 1, 2, 3, 4], "m": {"x": 1, "y": 2}});
        let fix = overlay(&format!(
            "{HEAD}  - target: $.list[1,3]\n    remove: true\n  - target: \"$.m.x\"\n    remove: true\n    update: {{ignored: 1}}\n"
        ));
        apply(&[fix], &mut spec).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec, json!({"list": [0, 2, 4], "m": {"y": 2}}));
    }

    #[test]
    fn filters_and_recursive_descent_select_nodes() {
        let mut spec =
            json!({"paths": {"/a": {"get": {"operationId": "x"}, "post": {"operationId": "y"}}}});
        let fix = overlay(&format!(
            "{HEAD}  - target: \"$..[?@.operationId == 'y']\"\n    update: {{operationId: createA}}\n"
        ));
        apply(&[fix], &mut spec).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec["paths"]["/a"]["post"]["operationId"], "createA");
        assert_eq!(spec["paths"]["/a"]["get"]["operationId"], "x");
    }

    #[test]
    fn overlays_apply_in_order() {
        let mut spec = json!({"info": {"title": "a"}});
        let first = overlay(&format!(
            "{HEAD}  - target: $.info\n    update: {{title: b}}\n"
        ));
        let second = overlay(&format!(
            "{HEAD}  - target: \"$[?@.title == 'b']\"\n    update: {{title: c}}\n"
        ));
        apply(&[first.clone(), second.clone()], &mut spec).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec["info"]["title"], "c");
        let mut reversed = json!({"info": {"title": "a"}});
        apply(&[second, first], &mut reversed).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reversed["info"]["title"], "b");
    }

    #[test]
    fn a_target_that_selects_nothing_is_a_located_warning() {
        let mut spec = json!({"paths": {}});
        let fix = overlay(&format!(
            "{HEAD}  - target: $.paths['/gone']\n    remove: true\n"
        ));
        let (warnings, _) = apply(&[fix], &mut spec).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(warnings.len(), 1);
        let text = warnings[0].render(Path::new("spec.yaml"));
        assert!(
            text.starts_with("fix.yaml:4:5: this target selects nothing"),
            "{text}"
        );
        assert_eq!(spec, json!({"paths": {}}));
    }

    #[test]
    fn an_invalid_jsonpath_is_located_in_the_overlay() {
        let e = error(&format!("{HEAD}  - target: $.paths[\n    remove: true\n"));
        assert!(
            e.starts_with("fix.yaml:4:5: `$.paths[` is not a JSONPath"),
            "{e}"
        );
        assert!(e.contains("= at /actions/0/target"), "{e}");
    }

    #[test]
    fn update_on_a_scalar_is_a_located_error() {
        let mut spec = json!({"info": {"title": "a"}});
        let fix = overlay(&format!(
            "{HEAD}  - target: $.info.title\n    update: {{x: 1}}\n"
        ));
        let e = apply(&[fix], &mut spec).expect_err("must fail").to_string();
        assert!(
            e.starts_with("fix.yaml:5:5: `update` must be merged into an object"),
            "{e}"
        );
        assert!(e.contains("selects a string at /info/title"), "{e}");
    }

    #[test]
    fn documents_that_are_not_overlays_are_refused() {
        assert!(error("openapi: 3.0.0\n").contains("this is an OpenAPI document, not an overlay"));
        assert!(error("overlay: 2.0.0\n").starts_with("fix.yaml:1:1: Overlay version 2.0.0"));
        let e = error("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n");
        assert!(
            e.starts_with("fix.yaml:3:1: `actions` must be a list"),
            "{e}"
        );
        let e = error(&format!("{HEAD}  - update: {{}}\n"));
        assert!(e.contains("an action needs a `target`"), "{e}");
        assert!(error("").contains("the overlay is empty"));
    }

    #[test]
    fn removing_the_root_is_an_error() {
        let mut spec = json!({});
        let fix = overlay(&format!("{HEAD}  - target: $\n    remove: true\n"));
        let e = apply(&[fix], &mut spec).expect_err("must fail").to_string();
        assert!(e.contains("selects the whole document"), "{e}");
    }

    #[test]
    fn an_update_may_not_nest_the_spec_past_the_depth_limit() {
        // A spec 100 levels deep and an update 40 deep are each within the limit, but
        // merged they are not.
        let mut spec = json!(1);
        for _ in 0..100 {
            spec = json!({ "a": spec });
        }
        let update = format!("{}1{}", "{b: ".repeat(40), "}".repeat(40));
        let target = format!("${}", ".a".repeat(99));
        let fix = overlay(&format!(
            "{HEAD}  - target: {target}\n    update: {update}\n"
        ));
        let e = apply(&[fix], &mut spec).expect_err("must fail").to_string();
        assert!(e.contains("deeper than 128 levels"), "{e}");
    }

    #[test]
    fn copying_beyond_the_limit_is_refused() {
        let items = vec![json!(0); 2_000];
        let mut spec = json!({ "list": items });
        let update: String = format!("[{}]", vec!["0"; 1_000].join(","));
        let fix = overlay(&format!(
            "{HEAD}  - target: $.list[*]\n    update: {update}\n"
        ));
        // Every item is a number, so the limit must trip before the merge is tried.
        let e = apply(&[fix], &mut spec).expect_err("must fail").to_string();
        assert!(e.contains("limits::MAX_OVERLAY_COPIED_NODES"), "{e}");
    }
}
