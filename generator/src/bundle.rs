//! External `$ref`s: a spec split into files under its folder becomes one document with
//! only local references, before normalization, so no later phase knows files exist.
//!
//! Every referenced file is read once (keyed by its canonical path, so the same file
//! reached by two relative paths is one file) and parsed with its own [`SourceMap`], so
//! a missing file or fragment is reported at the referring file's `file:line:col`.
//! A reference at a schema position becomes a local reference to a schema put into
//! `components.schemas` under a name from the file and pointer (`Pet` for
//! `pet.yaml#/Pet` or `pet.yaml`; a number is added on collision, in the order the
//! references are met, so names are deterministic); this keeps cycles across files
//! finite. Any other reference (path items, operations, parameters, responses, whole
//! sections) is replaced by a copy of its target; a cycle among those has no finite
//! copy and is an error.
//!
//! Trust model (SECURITY.md): no network (URLs are refused), nothing outside the spec's
//! folder tree (absolute paths, `..` escapes and symbolic links leading out are refused
//! after resolving them), only regular files, and at most [`MAX_REFERENCED_FILES`]
//! files, [`MAX_TOTAL_INPUT_BYTES`] bytes and [`MAX_BUNDLED_NODES`] nodes in all.

use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use crate::limits::{
    MAX_BUNDLED_NODES, MAX_DEPTH, MAX_INPUT_BYTES, MAX_REFERENCED_FILES, MAX_TOTAL_INPUT_BYTES,
};
use crate::pointer;
use crate::source::SourceMap;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// Whether any `$ref` in `document` names another file (most specs have none, and pay
/// only this scan).
fn has_external_refs(document: &Value) -> bool {
    let mut pending = vec![document];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    if !target.starts_with('#') {
                        return true;
                    }
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    false
}

/// Replaces the external references of `document` (the spec at `spec`, indexed by
/// `source`) as the module documentation says; returns the files read, in the order
/// they were first referenced, named as `spec` is (for `rerun-if-changed`). Files must
/// be under `allowed` when given, else under the spec's folder.
pub fn bundle(
    spec: &Path,
    document: &mut Value,
    source: &SourceMap,
    allowed: Option<&Path>,
) -> Result<Vec<PathBuf>> {
    if !has_external_refs(document) {
        return Ok(Vec::new());
    }
    let folder = match spec.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let canonical_folder = std::fs::canonicalize(&folder).map_err(|e| Error::Read {
        path: folder.clone(),
        source: e,
    })?;
    let canonical_spec = std::fs::canonicalize(spec).unwrap_or_default();
    let root_folder = match allowed {
        Some(allowed) => std::fs::canonicalize(allowed).map_err(|e| Error::Read {
            path: allowed.to_path_buf(),
            source: e,
        })?,
        None => canonical_folder.clone(),
    };
    let taken = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let mut bundler = Bundler {
        root_folder,
        files: vec![File {
            shown: spec.to_path_buf(),
            folder: folder.clone(),
            canonical_folder,
            value: document.clone(),
            source: None,
        }],
        by_path: BTreeMap::from([(canonical_spec, 0)]),
        root_source: source,
        schema_names: BTreeMap::new(),
        taken,
        new_schemas: Vec::new(),
        inlining: Vec::new(),
        nodes: 0,
        bytes: 0,
    };
    let mut bundled = bundler.walk_root(document)?;
    if !bundler.new_schemas.is_empty() {
        if let Value::Object(root) = &mut bundled {
            let components = root
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(components) = components {
                let schemas = components
                    .entry("schemas")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(schemas) = schemas {
                    schemas.extend(std::mem::take(&mut bundler.new_schemas));
                }
            }
        }
    }
    *document = bundled;
    Ok(bundler
        .files
        .iter()
        .skip(1)
        .map(|f| f.shown.clone())
        .collect())
}

struct File {
    /// The path as the user would write it (the spec's path joined with the
    /// references, `..` folded), for messages and `rerun-if-changed`.
    shown: PathBuf,
    folder: PathBuf,
    canonical_folder: PathBuf,
    value: Value,
    /// `None` for the root spec, whose map is [`Bundler::root_source`].
    source: Option<SourceMap>,
}

struct Bundler<'a> {
    root_folder: PathBuf,
    files: Vec<File>,
    by_path: BTreeMap<PathBuf, usize>,
    root_source: &'a SourceMap,
    /// The component name given to each (file, pointer) schema.
    schema_names: BTreeMap<(usize, String), String>,
    taken: BTreeSet<String>,
    new_schemas: Vec<(String, Value)>,
    /// The non-schema references being copied, to refuse a cycle among them.
    inlining: Vec<(usize, String)>,
    nodes: usize,
    bytes: u64,
}

/// Keys whose values are data, never OpenAPI objects: a `$ref` key there is not a
/// reference. Extensions (`x-…`) are opaque too: tools give `$ref` there meanings of
/// their own (Redocly's `x-codeSamples` include source files), and the generator does
/// not read them.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "enum" | "const") || key.starts_with("x-")
}

impl Bundler<'_> {
    /// The root document, `components` first: a schema section kept in another file
    /// (`schemas: {$ref: schemas.json}`) must claim its entries' names before a path
    /// refers to one of them and names it by itself (`Error2` beside `Error`).
    fn walk_root(&mut self, document: &Value) -> Result<Value> {
        let Value::Object(map) = document else {
            return self.walk(document, 0, "", "", 0);
        };
        let mut copies = BTreeMap::new();
        let components_first = map
            .iter()
            .filter(|(key, _)| key.as_str() == "components")
            .chain(map.iter().filter(|(key, _)| key.as_str() != "components"));
        for (key, value) in components_first {
            let at = pointer::child("", key);
            let copy = if is_data_key(key) {
                value.clone()
            } else {
                self.walk(value, 0, &at, &at, 1)?
            };
            copies.insert(key.clone(), copy);
        }
        // Back in the document's own order.
        let mut bundled = Map::new();
        for key in map.keys() {
            if let Some(copy) = copies.remove(key) {
                bundled.insert(key.clone(), copy);
            }
        }
        Ok(Value::Object(bundled))
    }

    fn error(&self, file: usize, at: &str, message: String) -> Error {
        let location = match self.files.get(file).and_then(|f| f.source.as_ref()) {
            Some(source) => source.locate(at),
            None => self.root_source.locate(at),
        };
        Error::Invalid {
            path: self
                .files
                .get(file)
                .map(|f| f.shown.clone())
                .unwrap_or_default(),
            diagnostic: Box::new(Diagnostic::error(at, message).at(location)),
        }
    }

    /// A copy of `value` (at `at` in file `file`) that will sit at `dest` in the bundle.
    fn walk(
        &mut self,
        value: &Value,
        file: usize,
        at: &str,
        dest: &str,
        depth: usize,
    ) -> Result<Value> {
        self.nodes += 1;
        if self.nodes > MAX_BUNDLED_NODES {
            return Err(self.error(file, at, format!("with its external references copied in, the document has more than {MAX_BUNDLED_NODES} nodes (limits::MAX_BUNDLED_NODES); is a file referenced from many places that reference it again?")));
        }
        if depth > MAX_DEPTH {
            return Err(self.error(file, at, format!("with its external references copied in, the document nests deeper than {MAX_DEPTH} levels (limits::MAX_DEPTH)")));
        }
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    if !(file == 0 && target.starts_with('#')) {
                        return self.reference(map, target, file, at, dest, depth);
                    }
                }
                let mut copy = Map::new();
                for (key, child) in map {
                    let child = if is_data_key(key) {
                        child.clone()
                    } else {
                        self.walk(
                            child,
                            file,
                            &pointer::child(at, key),
                            &pointer::child(dest, key),
                            depth + 1,
                        )?
                    };
                    copy.insert(key.clone(), child);
                }
                Ok(Value::Object(copy))
            }
            Value::Array(items) => {
                let mut copy = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    copy.push(self.walk(
                        item,
                        file,
                        &pointer::item(at, index),
                        &pointer::item(dest, index),
                        depth + 1,
                    )?);
                }
                Ok(Value::Array(copy))
            }
            scalar => Ok(scalar.clone()),
        }
    }

    fn reference(
        &mut self,
        map: &Map<String, Value>,
        target: &str,
        file: usize,
        at: &str,
        dest: &str,
        depth: usize,
    ) -> Result<Value> {
        let ref_at = pointer::child(at, "$ref");
        let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
        let target_file = if path.is_empty() {
            file
        } else {
            self.open(file, &ref_at, path)?
        };
        if !(fragment.is_empty() || fragment.starts_with('/')) {
            return Err(self.error(
                file,
                &ref_at,
                format!(
                    "`{target}`: only JSON pointer fragments (`#/…`) are supported, not anchors"
                ),
            ));
        }
        if self.files[target_file].value.pointer(fragment).is_none() {
            return Err(self.error(
                file,
                &ref_at,
                format!(
                    "`{target}`: {} has no `#{fragment}`",
                    self.files[target_file].shown.display()
                ),
            ));
        }
        if target_file == 0 {
            // The root document keeps its own components: a local reference suffices.
            return Ok(local_ref(&format!("#{fragment}"), map));
        }
        let key = (target_file, fragment.to_string());
        if is_schema_position(dest) {
            if let Some(name) = self.schema_names.get(&key) {
                return Ok(local_ref(&schema_pointer(name), map));
            }
            let name = self.claim(&key);
            let value = self.files[target_file]
                .value
                .pointer(fragment)
                .cloned()
                .unwrap_or_default();
            let schema_dest = pointer::child("/components/schemas", &name);
            let schema = self.walk(&value, target_file, fragment, &schema_dest, 2)?;
            self.new_schemas.push((name.clone(), schema));
            return Ok(local_ref(&schema_pointer(&name), map));
        }
        if self.inlining.contains(&key) {
            return Err(self.error(file, &ref_at, format!("`{target}` refers back to itself through other references; only schemas may form cycles")));
        }
        let value = self.files[target_file]
            .value
            .pointer(fragment)
            .cloned()
            .unwrap_or_default();
        if dest == "/components/schemas" {
            // A whole schema section in another file: its entries keep their names, and
            // references to them from within that file find them.
            if let Value::Object(schemas) = &value {
                for name in schemas.keys() {
                    let entry = (target_file, pointer::child(fragment, name));
                    self.schema_names
                        .entry(entry)
                        .or_insert_with(|| name.clone());
                    self.taken.insert(name.clone());
                }
            }
        }
        self.inlining.push(key);
        let copy = self.walk(&value, target_file, fragment, dest, depth);
        self.inlining.pop();
        let mut copy = copy?;
        // Siblings of `$ref` (3.1's `summary` and `description`) override the target's.
        if let Value::Object(object) = &mut copy {
            for (sibling, value) in map {
                if sibling != "$ref" {
                    object.insert(sibling.clone(), value.clone());
                }
            }
        }
        Ok(copy)
    }

    /// A component name for the schema at `key`, not used before.
    fn claim(&mut self, key: &(usize, String)) -> String {
        let from_pointer = key
            .1
            .rsplit('/')
            .next()
            .filter(|token| !token.is_empty())
            .map(|token| token.replace("~1", "/").replace("~0", "~"));
        let base = from_pointer.unwrap_or_else(|| {
            self.files[key.0]
                .shown
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Schema".to_string())
        });
        let mut name = base.clone();
        let mut number = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{number}");
            number += 1;
        }
        self.taken.insert(name.clone());
        self.schema_names.insert(key.clone(), name.clone());
        name
    }

    /// The index of the file `reference` names, relative to file `from`, read and
    /// parsed on first use.
    fn open(&mut self, from: usize, ref_at: &str, reference: &str) -> Result<usize> {
        let refuse =
            |this: &Self, why: &str| this.error(from, ref_at, format!("`{reference}`: {why}"));
        if reference.contains("://") {
            return Err(refuse(self, "URLs are not fetched (no network access while generating); download the file next to the spec and refer to it by a relative path"));
        }
        let relative = Path::new(reference);
        if relative.is_absolute() || reference.starts_with('/') || reference.starts_with('\\') {
            return Err(refuse(self, "absolute paths are not followed; refer to files under the spec's folder by a relative path"));
        }
        let (folder, canonical_folder) = {
            let f = &self.files[from];
            (f.folder.clone(), f.canonical_folder.clone())
        };
        let canonical = match std::fs::canonicalize(canonical_folder.join(relative)) {
            Ok(canonical) => canonical,
            Err(e) => {
                let shown = fold(&folder.join(relative));
                return Err(refuse(
                    self,
                    &format!("cannot open {}: {e}", shown.display()),
                ));
            }
        };
        if !canonical.starts_with(&self.root_folder) {
            return Err(refuse(self, "the file is outside the spec's folder (through `..` or a symbolic link); only files under it are read"));
        }
        if let Some(&index) = self.by_path.get(&canonical) {
            return Ok(index);
        }
        let is_file = std::fs::metadata(&canonical).is_ok_and(|m| m.is_file());
        if !is_file {
            return Err(refuse(
                self,
                "not a regular file (a folder, FIFO or device); only files are read",
            ));
        }
        if self.files.len() > MAX_REFERENCED_FILES {
            return Err(refuse(self, &format!("more than {MAX_REFERENCED_FILES} files are referenced (limits::MAX_REFERENCED_FILES)")));
        }
        let shown = fold(&folder.join(relative));
        let bytes = read_bounded(&canonical).map_err(|source| Error::Read {
            path: shown.clone(),
            source,
        })?;
        self.bytes += bytes.len() as u64;
        if bytes.len() as u64 > MAX_INPUT_BYTES || self.bytes > MAX_TOTAL_INPUT_BYTES {
            return Err(refuse(self, &format!("the spec's files add up to more than {} MiB (limits::MAX_INPUT_BYTES, MAX_TOTAL_INPUT_BYTES)", MAX_TOTAL_INPUT_BYTES / (1024 * 1024))));
        }
        let (value, source) = crate::load::parse_referenced(&shown, &bytes)?;
        let index = self.files.len();
        self.files.push(File {
            folder: shown.parent().map(Path::to_path_buf).unwrap_or_default(),
            canonical_folder: canonical
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            shown,
            value,
            source: Some(source),
        });
        self.by_path.insert(canonical, index);
        Ok(index)
    }
}

fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `a/b/../c` → `a/c`, without touching the file system (for messages only).
fn fold(path: &Path) -> PathBuf {
    let mut folded = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !matches!(folded.components().next_back(), Some(Component::Normal(_)))
                    || !folded.pop()
                {
                    folded.push("..");
                }
            }
            other => folded.push(other),
        }
    }
    folded
}

fn schema_pointer(name: &str) -> String {
    format!("#{}", pointer::child("/components/schemas", name))
}

/// `{$ref: target}` keeping the reference's siblings (a description, say).
fn local_ref(target: &str, original: &Map<String, Value>) -> Value {
    let mut map = original.clone();
    map.insert("$ref".to_string(), Value::String(target.to_string()));
    Value::Object(map)
}

/// Whether the node at `dest` (a pointer in the bundled document) is a schema.
fn is_schema_position(dest: &str) -> bool {
    let tokens: Vec<&str> = dest.split('/').collect();
    let last = tokens.last().copied().unwrap_or_default();
    let parent = tokens
        .len()
        .checked_sub(2)
        .and_then(|i| tokens.get(i))
        .copied()
        .unwrap_or_default();
    if tokens.len() == 4 && tokens[1] == "components" && tokens[2] == "schemas" {
        return true;
    }
    if matches!(
        parent,
        "properties"
            | "patternProperties"
            | "allOf"
            | "oneOf"
            | "anyOf"
            | "prefixItems"
            | "$defs"
            | "definitions"
            | "dependentSchemas"
    ) {
        return true;
    }
    matches!(
        last,
        "schema"
            | "items"
            | "not"
            | "additionalProperties"
            | "additionalItems"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedItems"
            | "unevaluatedProperties"
    ) && !matches!(
        parent,
        "headers"
            | "parameters"
            | "responses"
            | "content"
            | "examples"
            | "links"
            | "callbacks"
            | "requestBodies"
            | "encoding"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_positions() {
        assert!(is_schema_position("/components/schemas/Pet"));
        assert!(is_schema_position(
            "/paths/~1a/get/responses/200/content/application~1json/schema"
        ));
        assert!(is_schema_position(
            "/components/schemas/Pet/properties/owner"
        ));
        assert!(is_schema_position("/components/schemas/Pet/allOf/0"));
        assert!(!is_schema_position("/paths/~1a"));
        assert!(!is_schema_position("/paths/~1a/get/responses/200"));
        assert!(!is_schema_position("/components/schemas"));
        assert!(!is_schema_position("/components/parameters/limit"));
    }

    #[test]
    fn folding_keeps_leading_parents() {
        assert_eq!(
            fold(Path::new("spec/a/../b/./c.yaml")),
            Path::new("spec/b/c.yaml")
        );
        assert_eq!(fold(Path::new("../x/y")), Path::new("../x/y"));
    }
}
