//! Paths and operations → [`crate::ir::Operation`]s: parameters, bodies, responses, and
//! detection of cursor pagination.

use super::child;
use super::schemas::TypeSpace;
use crate::ir::{
    Body, BodyEncoding, Constraints, EventStream, Example, IntegerFormat, Method, Operation,
    Pagination, Param, ParamLocation, ParamStyle, PathSegment, ResponseKind, StreamFlag,
    SuccessResponse, TypeDef, TypeKind, TypeRef,
};
use crate::naming::{self, Scope};
use openapiv3::{
    MediaType, OpenAPI, Parameter, ParameterData, ParameterSchemaOrContent, PathStyle, QueryStyle,
    ReferenceOr, RequestBody, Response, Schema, SchemaKind, StatusCode, Type,
};
use std::collections::BTreeMap;

pub(crate) fn lower_operations<'a>(spec: &'a OpenAPI, space: &mut TypeSpace<'a>) -> Vec<Operation> {
    let mut operations = Vec::new();
    let mut names = OperationNames::new();
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in &spec.paths.paths {
        let item_pointer = child("/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                space.diagnostics.error(
                    &item_pointer,
                    format!("path item $ref `{reference}` is not supported; inline the path item"),
                );
                continue;
            }
        };
        let methods = [
            (Method::Get, &item.get),
            (Method::Put, &item.put),
            (Method::Post, &item.post),
            (Method::Delete, &item.delete),
            (Method::Options, &item.options),
            (Method::Head, &item.head),
            (Method::Patch, &item.patch),
            (Method::Trace, &item.trace),
        ];
        for (method, operation) in methods {
            let Some(operation) = operation else { continue };
            let pointer = child(&item_pointer, &method.as_str().to_ascii_lowercase());
            let id = match &operation.operation_id {
                Some(id) => {
                    if let Some(first) = seen_ids.insert(id.clone(), pointer.clone()) {
                        space.diagnostics.error(
                            &child(&pointer, "operationId"),
                            format!("duplicate operationId `{id}` (also used at {first}); operationIds must be unique"),
                        );
                    }
                    id.clone()
                }
                None => derived_operation_id(method, path),
            };
            let lowering = OperationLowering {
                spec,
                space: &mut *space,
                pointer: &pointer,
            };
            if let Some(op) =
                lowering.lower(id, method, path, operation, &item.parameters, &mut names)
            {
                operations.push(op);
            }
        }
    }
    for op in &mut operations {
        op.pagination = detect_pagination(op, space);
        let flag = stream_flag(op, space);
        if let Some(stream) = &mut op.event_stream {
            stream.stream_flag = flag;
        }
    }
    operations
}

/// `get /pets/{petId}` → `get_pets_pet_id`, for operations without an operationId.
fn derived_operation_id(method: Method, path: &str) -> String {
    let mut id = method.as_str().to_ascii_lowercase();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        id.push('_');
        id.push_str(part.trim_start_matches('{').trim_end_matches('}'));
    }
    id
}

/// Names handed out across all operations: client methods and parameter types, with the
/// names the runtime's `Client` and `Call` already use reserved.
struct OperationNames {
    methods: Scope,
    types: Scope,
    client_methods: Vec<String>,
    call_methods: Vec<String>,
}

impl OperationNames {
    fn new() -> Self {
        let client_methods = naming::runtime_methods("Client");
        let mut call_methods = naming::runtime_methods("Call");
        // The request body's setter and argument.
        call_methods.push("body".to_string());
        Self {
            methods: Scope::with_reserved(&client_methods),
            types: Scope::new(),
            client_methods,
            call_methods,
        }
    }

    /// The client method for operation `id`: `{name}_operation` when the runtime's
    /// `Client` already has a method of that name (`new`, `builder`, ...).
    fn method(&mut self, id: &str) -> String {
        let wanted = naming::field_name(id);
        claim_avoiding(
            &mut self.methods,
            &self.client_methods,
            &wanted,
            "operation",
        )
    }

    fn parameters(&self) -> Scope {
        Scope::with_reserved(&self.call_methods)
    }
}

/// Claims `wanted` in `scope`, or `{wanted}_{suffix}` when `wanted` is one of the
/// runtime's `reserved` names (numbered suffixes are kept for clashes between spec names).
fn claim_avoiding(scope: &mut Scope, reserved: &[String], wanted: &str, suffix: &str) -> String {
    let bare = wanted.trim_start_matches("r#");
    if reserved.iter().any(|r| r == bare) {
        scope.claim(&format!("{bare}_{suffix}"))
    } else {
        scope.claim(wanted)
    }
}

/// One parameter as the spec declares it, before its type is lowered.
struct DeclaredParam<'a> {
    pointer: String,
    data: &'a ParameterData,
    location: ParamLocation,
    explode: bool,
    style: ParamStyle,
}

struct OperationLowering<'s, 'a> {
    spec: &'a OpenAPI,
    space: &'s mut TypeSpace<'a>,
    pointer: &'s str,
}

impl<'s, 'a> OperationLowering<'s, 'a> {
    fn lower(
        mut self,
        id: String,
        http_method: Method,
        path: &str,
        operation: &'a openapiv3::Operation,
        shared_parameters: &'a [ReferenceOr<Parameter>],
        names: &mut OperationNames,
    ) -> Option<Operation> {
        let method_name = names.method(&id);
        let type_name = names.types.claim(&naming::type_name(&id));
        if !operation.callbacks.is_empty() {
            self.space.diagnostics.warn(
                &child(self.pointer, "callbacks"),
                "callbacks describe requests the API sends to you, not calls a client makes; not generated",
            );
        }
        let declared = self.declared_parameters(shared_parameters, &operation.parameters);
        let params = self.lower_parameters(declared, &type_name, names.parameters());
        let path_segments = self.path_segments(path, &params);
        let body = match &operation.request_body {
            None => None,
            Some(body) => {
                let body_pointer = format!("{}/requestBody", self.pointer);
                let body = self.resolve_request_body(body, &body_pointer)?;
                self.body(body, &body_pointer, &type_name)
            }
        };
        let response = self.success_response(&operation.responses, &type_name);
        let event_stream = self.event_stream(operation, &type_name);
        Some(Operation {
            id,
            method_name,
            type_name,
            http_method,
            path: path.to_string(),
            path_segments: path_segments?,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            params,
            body,
            response,
            pagination: None,
            event_stream,
            tags: operation.tags.clone(),
            gate: crate::ir::Gate::Always,
        })
    }

    /// Path-level and operation-level parameters, the latter overriding the former when
    /// name and location match; cookie parameters are dropped with a warning.
    fn declared_parameters(
        &mut self,
        shared: &'a [ReferenceOr<Parameter>],
        own: &'a [ReferenceOr<Parameter>],
    ) -> Vec<DeclaredParam<'a>> {
        let pointer = self.pointer;
        let item_pointer = pointer.rsplit_once('/').map_or("", |(item, _)| item);
        let shared = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{item_pointer}/parameters/{i}"), p));
        let own = own
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p));
        let mut declared: Vec<DeclaredParam<'a>> = Vec::new();
        for (param_pointer, parameter) in shared.chain(own) {
            let Some(parameter) = self.resolve_parameter(parameter, &param_pointer) else {
                continue;
            };
            let Some(param) = self.declared(parameter, param_pointer) else {
                continue;
            };
            declared.retain(|d| !(d.data.name == param.data.name && d.location == param.location));
            declared.push(param);
        }
        declared
    }

    fn declared(&mut self, parameter: &'a Parameter, pointer: String) -> Option<DeclaredParam<'a>> {
        let (data, location, explode, style) = match parameter {
            Parameter::Path {
                parameter_data,
                style,
            } => {
                if *style != PathStyle::Simple {
                    let written = if *style == PathStyle::Label {
                        "label"
                    } else {
                        "matrix"
                    };
                    self.space.diagnostics.warn(
                        &child(&pointer, "style"),
                        format!(
                            "path parameter `{}` has style `{written}`, which is not supported; \
                             the client writes it in `simple` style",
                            parameter_data.name
                        ),
                    );
                }
                (
                    parameter_data,
                    ParamLocation::Path,
                    false,
                    ParamStyle::Simple,
                )
            }
            Parameter::Query {
                parameter_data,
                style,
                ..
            } => {
                // Only `form` explodes by default (OpenAPI 3, "style values").
                // `deepObject` is defined only exploded: its `explode` is never read.
                let (form, style) = match style {
                    QueryStyle::Form => (true, ParamStyle::Simple),
                    QueryStyle::SpaceDelimited => (false, ParamStyle::SpaceDelimited),
                    QueryStyle::PipeDelimited => (false, ParamStyle::PipeDelimited),
                    QueryStyle::DeepObject => (true, ParamStyle::DeepObject),
                };
                if style == ParamStyle::DeepObject && parameter_data.explode == Some(false) {
                    self.space.diagnostics.warn(
                        &child(&pointer, "explode"),
                        format!(
                            "query parameter `{}`: `deepObject` is defined only with \
                             `explode: true`; the client writes it exploded",
                            parameter_data.name
                        ),
                    );
                }
                let explode = parameter_data.explode.unwrap_or(form);
                (parameter_data, ParamLocation::Query, explode, style)
            }
            Parameter::Header { parameter_data, .. } => (
                parameter_data,
                ParamLocation::Header,
                false,
                ParamStyle::Simple,
            ),
            Parameter::Cookie { parameter_data, .. } => {
                self.space.diagnostics.warn(
                    &pointer,
                    format!(
                        "cookie parameter `{}` is not supported; the client never sends it",
                        parameter_data.name
                    ),
                );
                return None;
            }
        };
        Some(DeclaredParam {
            pointer,
            data,
            location,
            explode,
            style,
        })
    }

    /// Types and Rust names of the parameters. A name the runtime's `Call` already uses
    /// for a method (`timeout`, `with_options`, ...) becomes `{name}_param`.
    fn lower_parameters(
        &mut self,
        declared: Vec<DeclaredParam<'a>>,
        type_name: &str,
        mut names: Scope,
    ) -> Vec<Param> {
        let mut params = Vec::with_capacity(declared.len());
        for DeclaredParam {
            pointer,
            data,
            location,
            explode,
            style,
        } in declared
        {
            let Some(schema) = self.parameter_schema(data, &pointer) else {
                continue;
            };
            let hint = format!("{type_name}{}", naming::type_name(&data.name));
            let lowered = self
                .space
                .type_of(&schema, &child(&pointer, "schema"), &hint);
            if style == ParamStyle::DeepObject {
                self.warn_bracketed_keys(&lowered.ty, &data.name, &pointer);
            }
            if location == ParamLocation::Path && !data.required {
                self.space.diagnostics.warn(
                    &pointer,
                    format!(
                        "path parameter `{}` must be required; treating it as required",
                        data.name
                    ),
                );
            }
            let wanted = naming::field_name(&data.name);
            // Taken by the runtime's `Call` (scope reserved) or by another parameter.
            let rust_name = if names.is_taken(&wanted) {
                names.claim(&format!("{}_param", wanted.trim_start_matches("r#")))
            } else {
                names.claim(&wanted)
            };
            params.push(Param {
                rust_name,
                wire_name: data.name.clone(),
                location,
                required: data.required || location == ParamLocation::Path,
                ty: on_the_wire(lowered.ty),
                docs: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                explode,
                style,
                constraints: constraints_of(&schema, self.spec),
                example: data.example.clone().map(|value| Example {
                    value,
                    pointer: child(&pointer, "example"),
                }),
            });
        }
        params
    }

    /// `deepObject` writes keys in brackets (`filter[name]`), so a property whose own name
    /// holds a bracket cannot be written unambiguously: the runtime refuses it when sending.
    /// Said here, at the parameter, rather than only when a call fails.
    fn warn_bracketed_keys(&mut self, ty: &TypeRef, name: &str, pointer: &str) {
        let TypeRef::Named(id) = ty else {
            return;
        };
        let Some(TypeDef {
            kind: TypeKind::Struct(object),
            ..
        }) = self.space.type_def(*id)
        else {
            return;
        };
        let bracketed: Vec<String> = object
            .fields
            .iter()
            .filter(|field| field.wire_name.contains(['[', ']']))
            .map(|field| format!("`{}`", field.wire_name))
            .collect();
        if !bracketed.is_empty() {
            self.space.diagnostics.warn(
                pointer,
                format!(
                    "query parameter `{name}` (`deepObject`) has properties whose names hold \
                     brackets ({}); a call that sets them fails before sending",
                    bracketed.join(", ")
                ),
            );
        }
    }

    /// The schema of a parameter: its own, or the one of its first `content` entry.
    fn parameter_schema(
        &mut self,
        data: &ParameterData,
        pointer: &str,
    ) -> Option<ReferenceOr<Schema>> {
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => Some(schema.clone()),
            ParameterSchemaOrContent::Content(content) => {
                let schema = content.values().find_map(|m| m.schema.clone());
                if schema.is_none() {
                    self.space.diagnostics.error(
                        pointer,
                        format!(
                            "parameter `{}` has neither a schema nor content with a schema",
                            data.name
                        ),
                    );
                }
                schema
            }
        }
    }

    fn resolve_parameter(
        &mut self,
        parameter: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<&'a Parameter> {
        let components = self.spec.components.as_ref().map(|c| &c.parameters);
        self.resolve_component(parameter, pointer, "parameters", components)
    }

    fn resolve_request_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Option<&'a RequestBody> {
        let components = self.spec.components.as_ref().map(|c| &c.request_bodies);
        self.resolve_component(body, pointer, "requestBodies", components)
    }

    fn resolve_response(
        &mut self,
        response: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Option<&'a Response> {
        let components = self.spec.components.as_ref().map(|c| &c.responses);
        self.resolve_component(response, pointer, "responses", components)
    }

    /// Follows a `$ref` to `#/components/{section}/Name` (one level, as the spec
    /// allows), recording an error with `pointer` when it does not resolve.
    fn resolve_component<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        pointer: &str,
        section: &str,
        components: Option<&'a indexmap::IndexMap<String, ReferenceOr<T>>>,
    ) -> Option<&'a T> {
        let reference = match item {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => reference,
        };
        let prefix = format!("#/components/{section}/");
        let found = reference
            .strip_prefix(prefix.as_str())
            .and_then(|name| components?.get(name));
        match found {
            Some(ReferenceOr::Item(item)) => Some(item),
            _ => {
                self.space.diagnostics.error(
                    pointer,
                    format!(
                        "$ref `{reference}` does not resolve to an entry of components.{section}"
                    ),
                );
                None
            }
        }
    }

    fn path_segments(&mut self, path: &str, params: &[Param]) -> Option<Vec<PathSegment>> {
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.space
                    .diagnostics
                    .error(self.pointer, format!("path `{path}` has an unclosed `{{`"));
                return None;
            };
            let name = &rest[open + 1..open + close];
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                Some(index) => segments.push(PathSegment::Param(index)),
                None => {
                    self.space.diagnostics.error(
                        self.pointer,
                        format!("path `{path}` uses `{{{name}}}` but the operation declares no path parameter `{name}`"),
                    );
                    return None;
                }
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_string()));
        }
        for param in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !path.contains(&format!("{{{}}}", param.wire_name)) {
                self.space.diagnostics.warn(
                    self.pointer,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`; it is not sent",
                        param.wire_name
                    ),
                );
            }
        }
        Some(segments)
    }

    fn body(&mut self, body: &'a RequestBody, pointer: &str, type_name: &str) -> Option<Body> {
        let (media_type, content) = pick_media_type(&body.content)?;
        let encoding = if is_json(media_type) {
            BodyEncoding::Json
        } else if media_type == "application/x-www-form-urlencoded" {
            BodyEncoding::Form
        } else if media_type.starts_with("multipart/") {
            BodyEncoding::Multipart
        } else if media_type.starts_with("text/") {
            BodyEncoding::Text
        } else {
            BodyEncoding::Bytes
        };
        let content_pointer = child(&child(pointer, "content"), media_type);
        let ty = match (&content.schema, encoding) {
            (_, BodyEncoding::Text) => TypeRef::String,
            (_, BodyEncoding::Bytes) => TypeRef::Bytes,
            (Some(schema), _) => {
                self.space
                    .type_of(
                        schema,
                        &child(&content_pointer, "schema"),
                        &format!("{type_name}Body"),
                    )
                    .ty
            }
            (None, _) => TypeRef::Json,
        };
        Some(Body {
            encoding,
            ty,
            required: body.required,
            example: content.example.clone().map(|value| Example {
                value,
                pointer: child(&content_pointer, "example"),
            }),
        })
    }

    fn success_response(
        &mut self,
        responses: &'a openapiv3::Responses,
        type_name: &str,
    ) -> SuccessResponse {
        let pointer = format!("{}/responses", self.pointer);
        let mut found: Vec<(u16, String, &'a Response)> = Vec::new();
        for (status, response) in &responses.responses {
            let (code, key) = match status {
                StatusCode::Code(code) => (*code, code.to_string()),
                StatusCode::Range(range) => (*range * 100, format!("{range}XX")),
            };
            if !(200..300).contains(&code) {
                continue;
            }
            let response_pointer = child(&pointer, &key);
            if let Some(response) = self.resolve_response(response, &response_pointer) {
                found.push((code, response_pointer, response));
            }
        }
        let Some((_, first_pointer, first)) = found.first().cloned() else {
            return SuccessResponse {
                kind: ResponseKind::Empty,
                statuses: Vec::new(),
                example: None,
            };
        };
        let kind = self.response_kind(first, &first_pointer, &format!("{type_name}Response"));
        let mut statuses = vec![found[0].0];
        for (code, response_pointer, response) in found.iter().skip(1) {
            let other = self.response_kind(
                response,
                response_pointer,
                &format!("{type_name}Response{code}"),
            );
            if other != kind && other != ResponseKind::Empty {
                self.space.diagnostics.warn(
                    response_pointer,
                    format!(
                        "status {code} returns a different body than status {}; the client decodes both as serde_json::Value",
                        found[0].0
                    ),
                );
                return SuccessResponse {
                    kind: ResponseKind::Json(TypeRef::Json),
                    statuses: found.iter().map(|(c, _, _)| *c).collect(),
                    example: None,
                };
            }
            statuses.push(*code);
        }
        let example = pick_media_type(&first.content).and_then(|(media_type, media)| {
            media_example(media, &child(&child(&first_pointer, "content"), media_type))
        });
        SuccessResponse {
            kind,
            statuses,
            example,
        }
    }

    /// The first 2xx response offering `text/event-stream`: its schema types each event's
    /// `data`. Whether a complete stream ends with `data: [DONE]` is read from the spec's
    /// own words: the marker mentioned in the operation, the response, or anything the
    /// request body or event schemas lead to.
    fn event_stream(
        &mut self,
        operation: &'a openapiv3::Operation,
        type_name: &str,
    ) -> Option<EventStream> {
        let pointer = format!("{}/responses", self.pointer);
        let spec = self.spec;
        let (response_pointer, response, media) =
            operation
                .responses
                .responses
                .iter()
                .find_map(|(status, response)| {
                    let (code, key) = match status {
                        StatusCode::Code(code) => (*code, code.to_string()),
                        StatusCode::Range(range) => (*range * 100, format!("{range}XX")),
                    };
                    if !(200..300).contains(&code) {
                        return None;
                    }
                    let response_pointer = child(&pointer, &key);
                    let response = match response {
                        ReferenceOr::Item(item) => item,
                        ReferenceOr::Reference { reference } => {
                            let name = reference.strip_prefix("#/components/responses/")?;
                            spec.components.as_ref()?.responses.get(name)?.as_item()?
                        }
                    };
                    let media = response.content.iter().find_map(|(media_type, media)| {
                        is_event_stream(media_type).then_some((media_type, media))
                    })?;
                    Some((response_pointer, response, media))
                })?;
        let (media_type, media) = media;
        let event = match &media.schema {
            Some(schema) => {
                let schema_pointer = child(
                    &child(&child(&response_pointer, "content"), media_type),
                    "schema",
                );
                self.space
                    .type_of(schema, &schema_pointer, &format!("{type_name}Event"))
                    .ty
            }
            None => TypeRef::Json,
        };
        let mut texts: Vec<serde_json::Value> = Vec::new();
        for text in [&operation.summary, &operation.description]
            .into_iter()
            .flatten()
        {
            texts.push(serde_json::Value::String(text.clone()));
        }
        texts.push(serde_json::Value::String(response.description.clone()));
        texts.extend(serde_json::to_value(&media.schema).ok());
        texts.extend(serde_json::to_value(&operation.request_body).ok());
        let ends_with_done = mentions_done(self.spec, &texts);
        let media_pointer = child(&child(&response_pointer, "content"), media_type);
        let examples = match media_example(media, &media_pointer) {
            Some(Example {
                value: serde_json::Value::Array(events),
                pointer,
            }) => events
                .into_iter()
                .enumerate()
                .map(|(index, value)| Example {
                    value,
                    pointer: child(&pointer, &index.to_string()),
                })
                .collect(),
            Some(event) => vec![event],
            None => Vec::new(),
        };
        Some(EventStream {
            event,
            stream_flag: None,
            ends_with_done,
            examples,
        })
    }

    fn response_kind(
        &mut self,
        response: &'a Response,
        pointer: &str,
        name_hint: &str,
    ) -> ResponseKind {
        let Some((media_type, content)) = pick_media_type(&response.content) else {
            return ResponseKind::Empty;
        };
        if is_json(media_type) {
            let ty = match &content.schema {
                Some(schema) => {
                    let schema_pointer =
                        child(&child(&child(pointer, "content"), media_type), "schema");
                    self.space.type_of(schema, &schema_pointer, name_hint).ty
                }
                None => TypeRef::Json,
            };
            ResponseKind::Json(ty)
        } else if media_type.starts_with("text/") {
            ResponseKind::Text
        } else {
            ResponseKind::Bytes
        }
    }
}

/// The media type's `example`, else the value of its first inline named example; `pointer`
/// is the media type's.
fn media_example(media: &MediaType, pointer: &str) -> Option<Example> {
    if let Some(value) = &media.example {
        return Some(Example {
            value: value.clone(),
            pointer: child(pointer, "example"),
        });
    }
    media
        .examples
        .iter()
        .find_map(|(name, example)| match example {
            ReferenceOr::Item(example) => Some(Example {
                value: example.value.clone()?,
                pointer: child(&child(&child(pointer, "examples"), name), "value"),
            }),
            ReferenceOr::Reference { .. } => None,
        })
}

/// A parameter's type as the text it is sent as: timestamps and dates stay the integer
/// or string the spec describes, so that callers pass what they would put in a URL.
fn on_the_wire(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::UnixTime => TypeRef::Integer(IntegerFormat::I64),
        TypeRef::DateTime | TypeRef::Date => TypeRef::String,
        TypeRef::Array(item) => TypeRef::Array(Box::new(on_the_wire(*item))),
        other => other,
    }
}

fn is_event_stream(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("text/event-stream")
}

/// Whether any text in `roots`, or in a component schema they `$ref` (followed to any
/// depth, each schema once), mentions the `[DONE]` terminator.
fn mentions_done(spec: &OpenAPI, roots: &[serde_json::Value]) -> bool {
    let mut pending: Vec<serde_json::Value> = roots.to_vec();
    let mut seen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    while let Some(value) = pending.pop() {
        let mut stack = vec![&value];
        let mut references = Vec::new();
        while let Some(node) = stack.pop() {
            match node {
                serde_json::Value::String(text) if text.contains("[DONE]") => return true,
                serde_json::Value::Array(items) => stack.extend(items),
                serde_json::Value::Object(fields) => {
                    if let Some(serde_json::Value::String(reference)) = fields.get("$ref") {
                        references.push(reference.clone());
                    }
                    stack.extend(fields.values());
                }
                _ => {}
            }
        }
        for reference in references {
            let Some(name) = reference.strip_prefix("#/components/schemas/") else {
                continue;
            };
            if !seen.insert(name.to_string()) {
                continue;
            }
            let schema = spec.components.as_ref().and_then(|c| c.schemas.get(name));
            if let Some(value) = schema.and_then(|s| serde_json::to_value(s).ok()) {
                pending.push(value);
            }
        }
    }
    false
}

/// The request body's boolean `stream` property, which the streaming call turns on.
fn stream_flag(op: &Operation, space: &TypeSpace) -> Option<StreamFlag> {
    let body = op.body.as_ref()?;
    let TypeRef::Named(id) = &body.ty else {
        return None;
    };
    let TypeKind::Struct(s) = &space.type_def(*id)?.kind else {
        return None;
    };
    let field = s
        .fields
        .iter()
        .find(|f| f.wire_name == "stream" && f.ty == TypeRef::Boolean)?;
    Some(StreamFlag {
        rust_name: field.rust_name.clone(),
        optional: field.is_optional(),
    })
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// JSON first, then forms, then whatever comes first, so the typed choice wins when a
/// body is offered in several encodings.
fn pick_media_type(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    let ranked = |media: &str| {
        if is_json(media) {
            0
        } else if media == "application/x-www-form-urlencoded" {
            1
        } else if media.starts_with("multipart/") {
            2
        } else {
            3
        }
    };
    content
        .iter()
        .min_by_key(|(media, _)| ranked(media))
        .map(|(media, m)| (media.as_str(), m))
}

fn constraints_of(schema: &ReferenceOr<Schema>, spec: &OpenAPI) -> Constraints {
    let schema = match schema {
        ReferenceOr::Item(s) => s,
        ReferenceOr::Reference { reference } => {
            match reference
                .strip_prefix("#/components/schemas/")
                .and_then(|n| spec.components.as_ref()?.schemas.get(n))
            {
                Some(ReferenceOr::Item(s)) => s,
                _ => return Constraints::default(),
            }
        }
    };
    // `type: integer` beside a keyword of another type still has its bounds.
    let retyped = match &schema.schema_kind {
        SchemaKind::Any(any) => super::schemas::declared_type(any),
        _ => None,
    };
    match retyped.as_ref().unwrap_or(&schema.schema_kind) {
        SchemaKind::Type(Type::Integer(i)) => Constraints {
            minimum: i.minimum.map(|v| v as f64),
            maximum: i.maximum.map(|v| v as f64),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Number(n)) => Constraints {
            minimum: n.minimum,
            maximum: n.maximum,
            ..Constraints::default()
        },
        SchemaKind::Type(Type::String(s)) => Constraints {
            min_length: s.min_length,
            max_length: s.max_length,
            ..Constraints::default()
        },
        _ => Constraints::default(),
    }
}

/// A list operation pages with a cursor when it takes an `after` query parameter and
/// returns an object with an array `data`, a boolean `has_more` and a string `last_id`.
fn detect_pagination(op: &Operation, space: &TypeSpace) -> Option<Pagination> {
    let cursor_param = op.params.iter().position(|p| {
        p.location == ParamLocation::Query
            && p.wire_name == "after"
            && p.ty == TypeRef::String
            && !p.required
    })?;
    let ResponseKind::Json(TypeRef::Named(id)) = &op.response.kind else {
        return None;
    };
    let def = space.type_def(*id)?;
    let TypeKind::Struct(s) = &def.kind else {
        return None;
    };
    let field = |wire: &str| s.fields.iter().find(|f| f.wire_name == wire);
    let items = field("data")?;
    let TypeRef::Array(item_ty) = &items.ty else {
        return None;
    };
    if items.is_optional() {
        return None;
    }
    let has_more = field("has_more").filter(|f| f.ty == TypeRef::Boolean)?;
    let last_id = field("last_id").filter(|f| f.ty == TypeRef::String)?;
    Some(Pagination {
        cursor_param,
        items_field: items.rust_name.clone(),
        item_ty: (**item_ty).clone(),
        has_more_field: has_more.rust_name.clone(),
        last_id_field: last_id.rust_name.clone(),
    })
}
