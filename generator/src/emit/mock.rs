//! `src/mock.rs` (behind the `mock` feature): a local fake of the API generated from the
//! spec. This module writes the spec-dependent half, `MODEL`: a JSON description of the
//! routes, parameters, schemas and the resources it recognises from the shape of paths and
//! operations; `runtime/mock_support.rs` serves it (state, strict validation, auth,
//! recorded requests, faults). It also writes the mock's own tests: every example decodes,
//! and every operation is reached by a request to its path.

use super::{doc_code_span, resolve_alias, rust_type};
use crate::ir::{
    Api, Auth, BodyEncoding, Method, Operation, Param, ParamLocation, ParamStyle, ResponseKind,
    TypeId, TypeKind, TypeRef,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub(super) fn mock_rs(api: &Api) -> TokenStream {
    let resources = infer_resources(api);
    let model = model(api, &resources).to_string();
    let calls = every_call(api).to_string();
    let example_tests = api.operations.iter().filter_map(|op| example_test(api, op));
    let summary = resources_summary(api, &resources);
    quote! {
        //! A local fake of the API, generated from the same spec as the client.
        //!
        //! [`MockServer::start`] serves every operation on `127.0.0.1` and behaves like the
        //! API: it accepts only its own key (401 otherwise), rejects what the server would
        //! (unknown query parameters, values outside closed enums, missing required fields,
        //! wrong types, out-of-range numbers: 400 naming the parameter, in the API's error
        //! shape), and keeps the resources it recognises in memory: created items can be
        //! listed page by page, retrieved, updated and deleted, and unknown ids are 404.
        //! Other operations answer with the spec's example, or a sample of the schema.
        //! [`MockServer::builder`] chooses the key and seeds items; [`MockServer::requests`]
        //! shows what arrived; [`MockServer::fail_next`] injects faults.
        //!
        #(#![doc = #summary])*

        pub use crate::mock_support::{Fault, MockServer, MockServerBuilder, RecordedRequest, MOCK_API_KEY};

        /// What the mock serves, as JSON read once by [`MockServer::start`].
        pub(crate) const MODEL: &str = #model;

        #[cfg(test)]
        mod tests {
            //! Every example the mock serves decodes into the type the client expects, and
            //! every operation is reached by a request to its path.

            // The examples of deprecated schemas are tested too.
            #![allow(deprecated)]

            /// One request per operation: method, concrete path, and a body that fits.
            const CALLS: &str = #calls;

            #[::tokio::test]
            async fn every_operation_is_reached() {
                crate::mock_support::assert_every_operation_is_reached(CALLS).await;
            }

            #(#example_tests)*
        }
    }
}

/// The rustdoc lines listing the stateful resources, so a reader of the crate sees what
/// the mock inferred.
fn resources_summary(api: &Api, resources: &[Resource]) -> Vec<String> {
    if resources.is_empty() {
        return vec![String::from(
            " Stateful resources: none recognised; every operation answers with examples.",
        )];
    }
    let mut lines = vec![String::from(" Stateful resources:"), String::new()];
    for resource in resources {
        let roles: Vec<String> = resource
            .roles
            .iter()
            .map(|(index, role)| {
                format!(
                    "{} ({})",
                    doc_code_span(api.operations[*index].method_name.trim_start_matches("r#")),
                    role.as_str()
                )
            })
            .collect();
        lines.push(format!(
            " - {} (id field {}): {}",
            doc_code_span(&resource.collection_path),
            doc_code_span(&resource.id_field),
            roles.join(", ")
        ));
    }
    lines
}

// ---------------------------------------------------------------------------------------
// Routes: the spec's path keys may carry `?key=value` (a variant of the same path) or a
// `#fragment` (a name only; it never reaches the server), and a segment may hold literal
// text next to a parameter (`{Sid}.json`).

/// The path part of a path key, and the `key=value` after a `?` if any.
fn split_path_key(path: &str) -> (&str, Option<(String, String)>) {
    let end = path.find(['?', '#']).unwrap_or(path.len());
    let query = path[end..]
        .strip_prefix('?')
        .map(|query| query.split('#').next().unwrap_or_default())
        .filter(|query| !query.is_empty())
        .map(|query| match query.split_once('=') {
            Some((key, value)) => (key.to_string(), value.to_string()),
            None => (query.to_string(), String::new()),
        });
    (&path[..end], query)
}

/// One path segment as literal text and parameter names.
fn segment_pieces(segment: &str) -> Vec<Value> {
    let mut pieces = Vec::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(json!({ "literal": &rest[..open] }));
        }
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        pieces.push(json!({ "param": &rest[open + 1..open + close] }));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(json!({ "literal": rest }));
    }
    pieces
}

fn path_segments(path: &str) -> Value {
    Value::Array(
        path.trim_start_matches('/')
            .split('/')
            .map(|segment| Value::Array(segment_pieces(segment)))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------
// The model.

fn model(api: &Api, resources: &[Resource]) -> Value {
    let auth = match &api.client.auth {
        Auth::None => json!("none"),
        Auth::Bearer => json!("bearer"),
        Auth::Basic => json!("basic"),
        Auth::ApiKeyHeader(name) => json!({ "header": name }),
        Auth::ApiKeyQuery(name) => json!({ "query": name }),
    };
    let types: Vec<Value> = api.types.iter().map(|def| shape(&def.kind)).collect();
    let operations: Vec<Value> = api
        .operations
        .iter()
        .enumerate()
        .map(|(index, op)| operation_model(api, resources, index, op))
        .collect();
    let resources: Vec<Value> = resources.iter().map(resource_model).collect();
    json!({ "auth": auth, "types": types, "operations": operations, "resources": resources })
}

fn ty(ty: &TypeRef) -> Value {
    match ty {
        TypeRef::Named(id) => json!({ "named": id.0 }),
        TypeRef::String => json!("string"),
        TypeRef::Integer(_) | TypeRef::UnixTime => json!("integer"),
        // Checked as strings: the mock is as lenient as `String` about their format.
        TypeRef::DateTime | TypeRef::Date => json!("string"),
        TypeRef::Number(_) => json!("number"),
        TypeRef::Boolean => json!("boolean"),
        TypeRef::Array(item) => json!({ "array": self::ty(item) }),
        TypeRef::Map(item) => json!({ "map": self::ty(item) }),
        TypeRef::Nullable(inner) => json!({ "nullable": self::ty(inner) }),
        TypeRef::Json => json!("json"),
        TypeRef::Bytes => json!("bytes"),
    }
}

fn shape(kind: &TypeKind) -> Value {
    match kind {
        TypeKind::Struct(s) => {
            let fields: Vec<Value> = s
                .fields
                .iter()
                .map(|field| {
                    json!({
                        "name": field.wire_name,
                        "ty": ty(&field.ty),
                        "required": field.required,
                        "nullable": field.nullable,
                        "read_only": field.read_only,
                    })
                })
                .collect();
            json!({ "struct": { "fields": fields } })
        }
        TypeKind::StringEnum(values) => {
            json!({ "enum": values.iter().map(|v| Value::from(v.wire.clone())).collect::<Vec<_>>() })
        }
        TypeKind::IntegerEnum(values) => {
            json!({ "enum": values.iter().map(|v| Value::from(v.wire)).collect::<Vec<_>>() })
        }
        TypeKind::Const(value) => json!({ "const": value }),
        TypeKind::Union(union) => {
            let variants: Vec<Value> = union
                .variants
                .iter()
                .map(|v| json!({ "ty": ty(&v.ty), "tag_values": v.tag_values }))
                .collect();
            json!({ "union": { "variants": variants, "tag": union.tag } })
        }
        TypeKind::Alias(target) | TypeKind::Newtype(target) => json!({ "alias": ty(target) }),
    }
}

fn operation_model(api: &Api, resources: &[Resource], index: usize, op: &Operation) -> Value {
    let (path, query_key) = split_path_key(&op.path);
    let params: Vec<Value> = op
        .params
        .iter()
        .map(|param| param_model(api, param))
        .collect();
    let body = op.body.as_ref().map(|body| {
        let json_ty = (body.encoding == BodyEncoding::Json).then(|| ty(&body.ty));
        json!({ "json": json_ty, "required": body.required })
    });
    let (mut status, mut content_type, mut canned) = canned_response(api, op);
    let stream = stream_body(api, op);
    // An operation that answers JSON or a stream streams when asked to (`Accept:
    // text/event-stream`); one that only streams always does.
    if let Some(events) = stream
        .as_ref()
        .filter(|_| !matches!(op.response.kind, ResponseKind::Json(_)))
    {
        status = op.response.statuses.first().copied().unwrap_or(200);
        content_type = "text/event-stream";
        canned = events.clone();
    }
    let role = resources.iter().enumerate().find_map(|(number, resource)| {
        let (_, role) = resource
            .roles
            .iter()
            .find(|(claimed, _)| *claimed == index)?;
        Some(json!([number, role.as_str()]))
    });
    json!({
        "name": op.method_name.trim_start_matches("r#"),
        "method": op.http_method.as_str(),
        "segments": path_segments(path),
        "query_key": query_key,
        "params": params,
        "body": body,
        "status": status,
        "content_type": content_type,
        "canned": canned,
        "stream": stream,
        "role": role,
    })
}

/// The body the mock streams for an operation that can answer `text/event-stream`: the
/// spec's example events, or a sample event, each as one `data:` line, then
/// `data: [DONE]` when the spec says streams end with it.
fn stream_body(api: &Api, op: &Operation) -> Option<String> {
    let stream = op.event_stream.as_ref()?;
    let events: Vec<Value> = if stream.examples.is_empty() {
        Sampler::new(api)
            .sample(&stream.event, 0)
            .into_iter()
            .collect()
    } else {
        stream.examples.iter().map(|e| e.value.clone()).collect()
    };
    let mut body = String::new();
    for event in &events {
        body.push_str("data: ");
        body.push_str(&serde_json::to_string(event).unwrap_or_default());
        body.push_str("\n\n");
    }
    if stream.ends_with_done {
        body.push_str("data: [DONE]\n\n");
    }
    Some(body)
}

fn param_model(api: &Api, param: &Param) -> Value {
    let is_array = matches!(resolve_alias(api, &param.ty), TypeRef::Array(_));
    // Exploded query arrays repeat the key; every other array joins its items.
    let separator = (is_array && !(param.explode && param.location == ParamLocation::Query))
        .then_some(if param.location == ParamLocation::Query {
            param.style.separator()
        } else {
            ","
        });
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    let c = &param.constraints;
    let mut model = json!({
        "name": param.wire_name,
        "location": location,
        "required": param.required,
        "ty": ty(&param.ty),
        "separator": separator,
        "minimum": c.minimum,
        "maximum": c.maximum,
        "min_length": c.min_length,
        "max_length": c.max_length,
    });
    // Written only when set, so the models of specs without it stay as they were.
    if is_deep_object(param) {
        model["deep_object"] = Value::Bool(true);
    }
    model
}

/// A query parameter sent in brackets (`name[key]=v`), which the mock parses back.
fn is_deep_object(param: &Param) -> bool {
    param.style == ParamStyle::DeepObject && param.location == ParamLocation::Query
}

// ---------------------------------------------------------------------------------------
// Resources: recognised from the shape of paths and operations.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Create,
    List,
    Retrieve,
    Update,
    Delete,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Create => "create",
            Role::List => "list",
            Role::Retrieve => "retrieve",
            Role::Update => "update",
            Role::Delete => "delete",
        }
    }
}

/// A collection path with a create operation whose response is an object with an id, and
/// the item path `{param}` below it.
#[derive(Debug)]
struct Resource {
    collection_path: String,
    item_param: String,
    id_field: String,
    numeric_id: bool,
    /// Operation indices and what each does to the resource.
    roles: Vec<(usize, Role)>,
    /// What a new item holds before the posted fields are laid over it.
    template: Map<String, Value>,
    /// Text before the counter in generated ids (`invite-` from the example `invite-abc`).
    id_prefix: String,
    /// Fields whose value is fixed by the schema (`object: organization.invite`).
    constants: Map<String, Value>,
    /// Integer `*_at` fields: the creation time first (`created_at`/`created`), if the item
    /// has one; the others keep their distance from it in the example.
    timestamps: Vec<String>,
    /// The item's field names; `None` when it takes any field.
    fields: Option<Vec<String>>,
    list: Option<Value>,
}

/// The named struct an operation answers with, if any.
fn response_struct(api: &Api, op: &Operation) -> Option<TypeId> {
    let ResponseKind::Json(response) = &op.response.kind else {
        return None;
    };
    match resolve_alias(api, response) {
        TypeRef::Named(id) if matches!(api.type_def(*id).kind, TypeKind::Struct(_)) => Some(*id),
        _ => None,
    }
}

/// The field that identifies items of `id`: `id`, else one named like the path parameter.
fn id_field(api: &Api, id: TypeId, item_param: &str) -> Option<(String, bool)> {
    let TypeKind::Struct(s) = &api.type_def(id).kind else {
        return None;
    };
    let field = s
        .fields
        .iter()
        .find(|f| f.wire_name == "id")
        .or_else(|| s.fields.iter().find(|f| f.wire_name == item_param))?;
    match resolve_alias(api, &field.ty) {
        TypeRef::String => Some((field.wire_name.clone(), false)),
        TypeRef::Integer(_) => Some((field.wire_name.clone(), true)),
        _ => None,
    }
}

/// `{param}` when the path's last segment is exactly one parameter, with the path above it.
fn item_path(path: &str) -> Option<(&str, &str)> {
    let (parent, last) = path.rsplit_once('/')?;
    let name = last.strip_prefix('{')?.strip_suffix('}')?;
    (!parent.is_empty() && !name.contains(['{', '}'])).then_some((parent, name))
}

fn infer_resources(api: &Api) -> Vec<Resource> {
    // Variants named by `?`/`#` stay canned: one operation per role keeps state simple.
    fn plain_path(op: &Operation) -> Option<&str> {
        let (path, query_key) = split_path_key(&op.path);
        (query_key.is_none() && !op.path.contains('#')).then_some(path)
    }
    // Indexes built once: a scan of every operation per POST made big specs quadratic.
    let mut by_path: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    // The item parameter below each collection path, from the first operation with one.
    let mut item_params: BTreeMap<&str, &str> = BTreeMap::new();
    for (index, op) in api.operations.iter().enumerate() {
        if let Some(path) = plain_path(op) {
            by_path.entry(path).or_default().push(index);
            if let Some((parent, name)) = item_path(path) {
                item_params.entry(parent).or_insert(name);
            }
        }
    }
    let mut collections = std::collections::BTreeSet::new();
    let mut resources: Vec<Resource> = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        let Some(path) = plain_path(op) else { continue };
        if op.http_method != Method::Post || collections.contains(path) {
            continue;
        }
        let Some(item_type) = response_struct(api, op) else {
            continue;
        };
        let Some(item_param) = item_params.get(path).map(|name| name.to_string()) else {
            continue;
        };
        let Some((id_field, numeric_id)) = id_field(api, item_type, &item_param) else {
            continue;
        };
        let item = format!("{path}/{{{item_param}}}");
        let mut roles = vec![(index, Role::Create)];
        let mut list = None;
        // The operations on the collection and item paths, in the spec's order (the
        // first one of a role claims it).
        let mut related: Vec<usize> = [path, item.as_str()]
            .iter()
            .flat_map(|p| by_path.get(p).into_iter().flatten().copied())
            .collect();
        related.sort_unstable();
        related.dedup();
        for other_index in related {
            let other = &api.operations[other_index];
            let Some(other_path) = plain_path(other) else {
                continue;
            };
            let returns_item = response_struct(api, other) == Some(item_type);
            let role = match other.http_method {
                Method::Get if other_path == path => {
                    list = list_model(api, other, item_type);
                    list.is_some().then_some(Role::List)
                }
                Method::Get if other_path == item && returns_item => Some(Role::Retrieve),
                Method::Post | Method::Patch | Method::Put
                    if other_path == item && returns_item =>
                {
                    Some(Role::Update)
                }
                Method::Delete if other_path == item => Some(Role::Delete),
                _ => None,
            };
            if let Some(role) = role {
                if !roles.iter().any(|(_, claimed)| *claimed == role) {
                    roles.push((other_index, role));
                }
            }
        }
        let (template, id_prefix) = item_template(api, op, item_type, &id_field, &item_param);
        let (constants, timestamps, fields) = server_set_fields(api, item_type);
        collections.insert(path);
        resources.push(Resource {
            collection_path: path.to_string(),
            item_param,
            id_field,
            numeric_id,
            roles,
            template,
            id_prefix,
            constants,
            timestamps,
            fields,
            list,
        });
    }
    resources
}

/// How a list operation's response holds the items: the detected pagination, else a
/// field holding an array of the item type, else a bare array of it.
fn list_model(api: &Api, op: &Operation, item_type: TypeId) -> Option<Value> {
    let ResponseKind::Json(response) = &op.response.kind else {
        return None;
    };
    let holds_items = |ty: &TypeRef| matches!(resolve_alias(api, ty), TypeRef::Array(item) if **item == TypeRef::Named(item_type));
    if holds_items(response) {
        return Some(
            json!({ "items_field": null, "has_more_field": null, "first_id_field": null,
            "last_id_field": null, "cursor_param": null, "limit_param": null }),
        );
    }
    let id = response_struct(api, op)?;
    let TypeKind::Struct(s) = &api.type_def(id).kind else {
        return None;
    };
    let wire = |rust: &str| {
        s.fields
            .iter()
            .find(|f| f.rust_name == rust)
            .map(|f| f.wire_name.clone())
    };
    let named = |name: &str| {
        s.fields
            .iter()
            .find(|f| f.wire_name == name)
            .map(|f| f.wire_name.clone())
    };
    let limit_param = op
        .params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.wire_name == "limit")
        .map(|p| p.wire_name.clone());
    if let Some(pagination) = &op.pagination {
        return Some(json!({
            "items_field": wire(&pagination.items_field),
            "has_more_field": wire(&pagination.has_more_field),
            "first_id_field": named("first_id"),
            "last_id_field": wire(&pagination.last_id_field),
            "cursor_param": op.params.get(pagination.cursor_param).map(|p| p.wire_name.clone()),
            "limit_param": limit_param,
        }));
    }
    let items_field = s.fields.iter().find(|f| holds_items(&f.ty))?;
    Some(json!({
        "items_field": items_field.wire_name,
        "has_more_field": named("has_more"),
        "first_id_field": named("first_id"),
        "last_id_field": named("last_id"),
        "cursor_param": null,
        "limit_param": null,
    }))
}

/// What a created item holds before the posted fields: the create response's example (or
/// the type's, or a sample), defaults for fields it lacks, without the id; and the prefix
/// of generated ids, from the example's id.
fn item_template(
    api: &Api,
    create: &Operation,
    item_type: TypeId,
    id_field: &str,
    item_param: &str,
) -> (Map<String, Value>, String) {
    let example = create
        .response
        .example
        .as_ref()
        .or(api.type_def(item_type).docs.example.as_ref())
        .map(|e| e.value.clone())
        .or_else(|| Sampler::new(api).sample(&TypeRef::Named(item_type), 0));
    let mut template = match example {
        Some(Value::Object(object)) => object,
        _ => Map::new(),
    };
    if let TypeKind::Struct(s) = &api.type_def(item_type).kind {
        for field in &s.fields {
            if let Some(default) = &field.default {
                template
                    .entry(field.wire_name.clone())
                    .or_insert_with(|| default.clone());
            }
        }
    }
    let id_prefix = match template.remove(id_field) {
        Some(Value::String(example)) if example.contains(['-', '_']) => {
            let end = example.rfind(['-', '_']).map_or(0, |at| at + 1);
            example[..end].to_string()
        }
        _ => format!("{}_", item_param.trim_end_matches("_id")),
    };
    (template, id_prefix)
}

/// The fields the server sets itself: constants, and `*_at` timestamps (creation first);
/// and the names of all fields (`None` when the item takes any).
fn server_set_fields(
    api: &Api,
    item_type: TypeId,
) -> (Map<String, Value>, Vec<String>, Option<Vec<String>>) {
    let mut constants = Map::new();
    let mut timestamps = Vec::new();
    let TypeKind::Struct(s) = &api.type_def(item_type).kind else {
        return (constants, timestamps, None);
    };
    for field in &s.fields {
        match resolve_alias(api, &field.ty) {
            TypeRef::Named(id) => {
                if let TypeKind::Const(value) = &api.type_def(*id).kind {
                    constants.insert(field.wire_name.clone(), Value::String(value.clone()));
                }
            }
            // Unix seconds, typed or not.
            TypeRef::Integer(_) | TypeRef::UnixTime
                if matches!(field.wire_name.as_str(), "created_at" | "created") =>
            {
                timestamps.insert(0, field.wire_name.clone());
            }
            TypeRef::Integer(_) | TypeRef::UnixTime if field.wire_name.ends_with("_at") => {
                timestamps.push(field.wire_name.clone());
            }
            _ => {}
        }
    }
    let fields = s
        .additional
        .is_none()
        .then(|| s.fields.iter().map(|f| f.wire_name.clone()).collect());
    (constants, timestamps, fields)
}

fn resource_model(resource: &Resource) -> Value {
    json!({
        "collection": path_segments(&resource.collection_path),
        "item_param": resource.item_param,
        "id_field": resource.id_field,
        "numeric_id": resource.numeric_id,
        "id_prefix": resource.id_prefix,
        "template": resource.template,
        "constants": resource.constants,
        "timestamps": resource.timestamps,
        "fields": resource.fields,
        "list": resource.list,
    })
}

// ---------------------------------------------------------------------------------------
// The test that reaches every operation.

/// One request per operation, as JSON for `mock_support::assert_every_operation_is_reached`:
/// the operations it may reach (variants that differ only by a `#fragment` are
/// indistinguishable on the wire), method, path, required query and header parameters, and
/// a body that fits.
/// A path template with its parameter names erased: what a request can tell of it.
fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                shape.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => shape.push(c),
        }
    }
    shape
}

/// An operation's query and header parameters, in order, by name and whether required:
/// a variant that requires a parameter its twin only accepts takes fewer requests.
fn wire_params(op: &Operation) -> impl Iterator<Item = (&str, bool)> {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| (p.wire_name.as_str(), p.required))
}

fn every_call(api: &Api) -> Value {
    // Operations by what a request shows of their route: method, path with the parameter
    // names erased (`/Contacts/{ContactID}` and `/Contacts/{ContactNumber}` are one route)
    // and `?key=value`. Grouped once, so finding twins is not a scan of every operation
    // per operation (that made the 4,000-operation spec's emission quadratic).
    let route_of: Vec<_> = api
        .operations
        .iter()
        .map(|op| {
            let (path, query_key) = split_path_key(&op.path);
            (op.http_method, path_shape(path), query_key)
        })
        .collect();
    let mut routes: BTreeMap<_, Vec<&Operation>> = BTreeMap::new();
    for (route, op) in route_of.iter().zip(&api.operations) {
        routes.entry(route).or_default().push(op);
    }
    let calls: Vec<Value> = api
        .operations
        .iter()
        .zip(&route_of)
        .map(|(op, route)| {
            let (path, query_key) = split_path_key(&op.path);
            // Only a variant of the same route with the same parameters and body looks
            // the same on the wire.
            let twins: Vec<&str> = routes[route]
                .iter()
                .filter(|other| {
                    other.body.as_ref().map(|b| &b.ty) == op.body.as_ref().map(|b| &b.ty)
                        && wire_params(other).eq(wire_params(op))
                })
                .map(|other| other.method_name.trim_start_matches("r#"))
                .collect();
            let mut concrete = String::new();
            let mut rest = path;
            while let Some(open) = rest.find('{') {
                concrete.push_str(&encode_literal(&rest[..open]));
                let Some(close) = rest[open..].find('}') else {
                    break;
                };
                let name = &rest[open + 1..open + close];
                let param = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && p.wire_name == name);
                concrete
                    .push_str(&param.map_or_else(|| String::from("mock"), |p| param_text(api, p)));
                rest = &rest[open + close + 1..];
            }
            concrete.push_str(&encode_literal(rest));
            let mut query: Vec<(String, String)> = query_key.into_iter().collect();
            let mut headers = Vec::new();
            // Structured values, written in brackets by the runtime's own serializer.
            let mut deep_query: Vec<(String, Value)> = Vec::new();
            for param in op.params.iter().filter(|p| p.required) {
                match param.location {
                    ParamLocation::Query if is_deep_object(param) => {
                        let value = param
                            .example
                            .as_ref()
                            .map(|example| example.value.clone())
                            .or_else(|| Sampler::new(api).sample(&param.ty, 0));
                        deep_query.extend(value.map(|value| (param.wire_name.clone(), value)));
                    }
                    ParamLocation::Query => {
                        query.push((param.wire_name.clone(), param_text(api, param)))
                    }
                    ParamLocation::Header => {
                        headers.push((param.wire_name.clone(), param_text(api, param)))
                    }
                    ParamLocation::Path => {}
                }
            }
            let (body, content_type) = match &op.body {
                None => (None, None),
                Some(body) => match body.encoding {
                    BodyEncoding::Json => {
                        let value = body
                            .example
                            .as_ref()
                            .map(|e| e.value.clone())
                            .or_else(|| Sampler::new(api).sample(&body.ty, 0));
                        (value.map(|v| v.to_string()), Some("application/json"))
                    }
                    BodyEncoding::Form => (
                        Some(String::from("mock=1")),
                        Some("application/x-www-form-urlencoded"),
                    ),
                    BodyEncoding::Multipart => (
                        Some(String::from("--mock--\r\n")),
                        Some("multipart/form-data; boundary=mock"),
                    ),
                    BodyEncoding::Text => (Some(String::from("example")), Some("text/plain")),
                    BodyEncoding::Bytes => (
                        Some(String::from("example")),
                        Some("application/octet-stream"),
                    ),
                },
            };
            let mut call = json!({
                "operations": twins,
                "method": op.http_method.as_str(),
                "path": concrete,
                "query": query,
                "headers": headers,
                "body": body,
                "content_type": content_type,
            });
            if !deep_query.is_empty() {
                call["deep_query"] = json!(deep_query);
            }
            call
        })
        .collect();
    Value::Array(calls)
}

/// Literal path text as a URL carries it: a spec's path may hold spaces, quotes or even
/// line breaks, which a client must percent-encode (the mock decodes each segment).
fn encode_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A value of a parameter that its checks accept: its example when that is plain text,
/// else the first enum value, the minimum, or a word long enough.
fn param_text(api: &Api, param: &Param) -> String {
    let scalar = match resolve_alias(api, &param.ty) {
        TypeRef::Array(item) => resolve_alias(api, item),
        other => other,
    };
    let c = &param.constraints;
    match scalar {
        TypeRef::Integer(_) => format!(
            "{}",
            c.minimum
                .unwrap_or(1.0)
                .max(1.0)
                .min(c.maximum.unwrap_or(f64::MAX))
                .ceil() as i64
        ),
        TypeRef::Number(_) => format!("{}", c.minimum.unwrap_or(1.0)),
        TypeRef::Boolean => String::from("true"),
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::StringEnum(values) => {
                values.first().map_or_else(String::new, |v| v.wire.clone())
            }
            TypeKind::IntegerEnum(values) => values
                .first()
                .map_or_else(String::new, |v| v.wire.to_string()),
            TypeKind::Const(value) => value.clone(),
            _ => String::from("mock"),
        },
        _ => match param.example.as_ref().map(|e| &e.value) {
            Some(Value::String(text))
                if !text.is_empty()
                    && text
                        .chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') =>
            {
                text.clone()
            }
            _ => "m".repeat(c.min_length.unwrap_or(4).max(1)),
        },
    }
}

/// The status, content type and body the mock answers an operation with, and whether
/// the client decodes the body (`crate::examples::fits`): a schema whose required fields
/// form a cycle without `null` or an array has no complete value (the body is then
/// `null`), and a few samples miss (bytes are sampled as a string).
fn canned_response(api: &Api, op: &Operation) -> (u16, &'static str, String) {
    let (status, content_type, body, _) = canned_response_checked(api, op);
    (status, content_type, body)
}

fn canned_response_checked(api: &Api, op: &Operation) -> (u16, &'static str, String, bool) {
    let status = op.response.statuses.first().copied().unwrap_or(200);
    match &op.response.kind {
        ResponseKind::Json(ty) => {
            let value = match &op.response.example {
                Some(example) => Some(example.value.clone()),
                None => Sampler::new(api).sample(ty, 0),
            };
            let complete = value
                .as_ref()
                .is_some_and(|value| crate::examples::fits(api, ty, value));
            let text = serde_json::to_string(&value.unwrap_or(Value::Null)).unwrap_or_default();
            (status, "application/json", text, complete)
        }
        ResponseKind::Text => (status, "text/plain", "example".to_string(), true),
        ResponseKind::Bytes => (
            status,
            "application/octet-stream",
            "example".to_string(),
            true,
        ),
        ResponseKind::Empty => (
            if status == 200 { 204 } else { status },
            "",
            String::new(),
            true,
        ),
    }
}

/// Builds JSON samples of types, preferring the spec's examples. It tracks the named
/// types on the current path, so a recursive schema ends instead of overflowing the
/// stack: a value that would repeat a type on the path becomes `null` where nullable,
/// `[]` in an array, or is left out where optional; unions try a variant that does not
/// recurse. `None` means no finite value exists (a required, non-nullable cycle).
struct Sampler<'a> {
    api: &'a Api,
    path: Vec<TypeId>,
}

/// A sample `format: unixtime` value: 2023-11-14T22:13:20Z, a plausible recent time.
const SAMPLE_UNIX_TIME: i64 = 1_700_000_000;

impl<'a> Sampler<'a> {
    fn new(api: &'a Api) -> Self {
        Sampler {
            api,
            path: Vec::new(),
        }
    }

    fn sample(&mut self, ty: &TypeRef, depth: usize) -> Option<Value> {
        Some(match ty {
            TypeRef::String => Value::String("string".into()),
            TypeRef::Integer(_) => Value::from(0),
            TypeRef::UnixTime => Value::from(SAMPLE_UNIX_TIME),
            TypeRef::DateTime => Value::String("2024-01-01T00:00:00Z".into()),
            TypeRef::Date => Value::String("2024-01-01".into()),
            TypeRef::Number(_) => Value::from(0.0),
            TypeRef::Boolean => Value::Bool(true),
            TypeRef::Array(item) if depth < 3 => {
                Value::Array(self.sample(item, depth + 1).into_iter().collect())
            }
            TypeRef::Array(_) => Value::Array(Vec::new()),
            TypeRef::Map(_) | TypeRef::Json => Value::Object(Map::new()),
            TypeRef::Bytes => Value::String(String::new()),
            TypeRef::Nullable(inner) => self.sample(inner, depth).unwrap_or(Value::Null),
            TypeRef::Named(id) => {
                if self.path.contains(id) {
                    return None;
                }
                self.path.push(*id);
                let value = self.named(*id, depth);
                self.path.pop();
                return value;
            }
        })
    }

    fn named(&mut self, id: TypeId, depth: usize) -> Option<Value> {
        let api = self.api;
        let def = api.type_def(id);
        if let Some(example) = &def.docs.example {
            return Some(example.value.clone());
        }
        match &def.kind {
            TypeKind::Struct(s) => {
                let mut object = Map::new();
                for field in &s.fields {
                    // Optional fields stop the recursion of self-referencing types.
                    if !field.required && (field.boxed || depth >= 3) {
                        continue;
                    }
                    let value = match &field.docs.example {
                        Some(example) => Some(example.value.clone()),
                        None => self.sample(&field.ty, depth + 1),
                    };
                    match value {
                        Some(value) => {
                            object.insert(field.wire_name.clone(), value);
                        }
                        None if field.nullable => {
                            object.insert(field.wire_name.clone(), Value::Null);
                        }
                        None if field.required => return None,
                        None => {}
                    }
                }
                Some(Value::Object(object))
            }
            TypeKind::StringEnum(values) => Some(
                values
                    .first()
                    .map_or(Value::Null, |v| Value::String(v.wire.clone())),
            ),
            TypeKind::IntegerEnum(values) => {
                Some(values.first().map_or(Value::Null, |v| Value::from(v.wire)))
            }
            TypeKind::Const(value) => Some(Value::String(value.clone())),
            TypeKind::Union(union) => union.variants.iter().find_map(|v| {
                let mut value = self.sample(&v.ty, depth + 1)?;
                // A tagged union reads its tag first; the variant's sample may lack it.
                if let (Some(tag), Some(tag_value), Value::Object(object)) =
                    (&union.tag, v.tag_values.first(), &mut value)
                {
                    object.insert(tag.clone(), Value::String(tag_value.clone()));
                }
                Some(value)
            }),
            TypeKind::Alias(target) | TypeKind::Newtype(target) => self.sample(target, depth + 1),
        }
    }
}

/// A unit test that the canned body decodes as the response type; left out when the
/// body would not decode, since a test must not fail because of the spec. (The spec's
/// examples that do not fit were dropped while lowering, so the body is then a sample.)
fn example_test(api: &Api, op: &Operation) -> Option<TokenStream> {
    let ResponseKind::Json(ty) = &op.response.kind else {
        return None;
    };
    let (_, _, body, complete) = canned_response_checked(api, op);
    if !complete {
        return None;
    }
    let ty = rust_type(api, ty, false);
    let name = format_ident!(
        "{}_example_decodes",
        op.method_name.trim_start_matches("r#")
    );
    let gate = super::gate_attr(api, &op.gate);
    Some(quote! {
        #gate
        #[test]
        fn #name() {
            let decoded = ::serde_json::from_str::<#ty>(#body);
            assert!(decoded.is_ok(), "{:?}", decoded.err());
        }
    })
}

#[cfg(test)]
mod tests {
    /// A spec of `paths` GET operations.
    fn many_paths(paths: usize) -> String {
        let mut spec =
            String::from("openapi: 3.0.3\ninfo: {title: Many, version: 1.0.0}\npaths:\n");
        for i in 0..paths {
            spec.push_str(&format!(
                "  /p{i}:\n    get:\n      operationId: op{i}\n      responses: {{'204': {{description: ok}}}}\n"
            ));
        }
        spec
    }

    /// The router of thousands of paths formats on a small stack: it is one statement
    /// per path, where a method chain nested as deep as it was long and overflowed.
    #[test]
    fn thousands_of_routes_render_on_a_small_stack() {
        let spec = many_paths(3000);
        let rendered = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || crate::Settings::new("many.yaml", "out").render_bytes(spec.as_bytes()))
            .expect("spawn")
            .join()
            .expect("render does not panic")
            .expect("render succeeds");
        let mock = rendered
            .files
            .iter()
            .find(|f| f.path == "src/mock.rs")
            .expect("mock.rs");
        assert!(mock.contents.contains(r#"{\"literal\":\"p2999\"}"#));
    }

    /// Recursive response schemas get finite samples, and an operation whose schema has
    /// none gets no "example decodes" test.
    #[test]
    fn recursive_samples_end_and_impossible_ones_get_no_test() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/mock_cycles.yaml"
        );
        let spec = std::fs::read(path).expect("fixture");
        let rendered = crate::Settings::new(path, "out")
            .render_bytes(&spec)
            .expect("renders");
        let mock = &rendered
            .files
            .iter()
            .find(|f| f.path == "src/mock.rs")
            .expect("mock.rs")
            .contents;
        // The nullable parent ends the node; the union falls back to its literal variant;
        // the array of forests is empty.
        assert!(
            mock.contains(r#"{\"name\":\"string\",\"parent\":null}"#),
            "{mock}"
        );
        assert!(mock.contains(r#"{\"value\":0.0}"#), "{mock}");
        assert!(mock.contains(r#"{\"trees\":[]}"#), "{mock}");
        for test in ["get_node", "get_expr", "get_forest"] {
            assert!(
                mock.contains(&format!("fn {test}_example_decodes")),
                "{test}"
            );
        }
        assert!(!mock.contains("fn get_pair_example_decodes"), "{mock}");
    }
}
