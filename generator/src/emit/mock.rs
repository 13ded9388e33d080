//! `src/mock.rs` (behind the `mock` feature): a local fake of the API generated from the
//! spec. It checks credentials, validates path and query parameters and request bodies
//! against the spec's types, and answers with the spec's examples (or a sample built from
//! the response schema), so teams can test code that uses the client without a network
//! or a key.

use super::{resolve_alias, rust_type};
use crate::ir::{
    Api, Auth, BodyEncoding, Operation, Param, ParamLocation, ResponseKind, TypeId, TypeKind,
    TypeRef,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub(super) fn mock_rs(api: &Api) -> TokenStream {
    let router = router(api);
    let handlers = api.operations.iter().map(|op| handler(api, op));
    let auth_check = auth_check(&api.client.auth);
    let example_tests = api.operations.iter().filter_map(|op| example_test(api, op));
    quote! {
        //! A local fake of the API, generated from the same spec as the client.
        //!
        //! [`MockServer::start`] serves every operation on `127.0.0.1`: it rejects requests
        //! without credentials (401), checks path and query parameters and JSON bodies
        //! against the spec (400 with an error body naming the parameter), and answers
        //! with the spec's example for the operation, or a sample built from its schema.
        //! Use it to test code that calls the API without a network or a key.

        // Checks return the rejection itself as the error; boxing it would only add noise
        // to a test server's cold path.
        #![allow(clippy::result_large_err)]

        pub use crate::mock_support::{MockServer, MOCK_API_KEY};

        #router

        #[allow(unused_variables, reason = "specs without auth ignore the request")]
        fn check_auth(headers: &::axum::http::HeaderMap, query: &crate::mock_support::Query) -> crate::mock_support::Checked {
            #auth_check
        }

        #(#handlers)*

        #[cfg(test)]
        mod tests {
            //! Every example the mock serves decodes into the type the client expects.
            #(#example_tests)*
        }
    }
}

fn auth_check(auth: &Auth) -> TokenStream {
    let unauthorized = quote!(::std::result::Result::Err(
        crate::mock_support::unauthorized()
    ));
    match auth {
        Auth::None => quote!(::std::result::Result::Ok(())),
        Auth::Bearer | Auth::Basic => {
            let prefix = if *auth == Auth::Bearer {
                "Bearer "
            } else {
                "Basic "
            };
            quote! {
                let presented = headers
                    .get(::axum::http::header::AUTHORIZATION)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.strip_prefix(#prefix))
                    .is_some_and(|credential| !credential.trim().is_empty());
                if presented { ::std::result::Result::Ok(()) } else { #unauthorized }
            }
        }
        Auth::ApiKeyHeader(name) => {
            let name = name.to_ascii_lowercase();
            quote! {
                if headers.get(#name).is_some_and(|value| !value.is_empty()) { ::std::result::Result::Ok(()) } else { #unauthorized }
            }
        }
        Auth::ApiKeyQuery(name) => quote! {
            if crate::mock_support::query_values(query, #name).iter().any(|value| !value.is_empty()) { ::std::result::Result::Ok(()) } else { #unauthorized }
        },
    }
}

fn handler_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("handle_{}", op.method_name.trim_start_matches("r#"))
}

/// `router()`: one statement per path (a long method chain overflows prettyplease's
/// stack on specs with thousands of paths), with every method of that path on it (axum
/// panics when the same path is routed twice).
fn router(api: &Api) -> TokenStream {
    let mut by_path: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for op in &api.operations {
        if !by_path.contains_key(op.path.as_str()) {
            order.push(&op.path);
        }
        by_path.entry(&op.path).or_default().push(op);
    }
    let routes = order.into_iter().map(|path| {
        let mut chain = TokenStream::new();
        for (index, op) in by_path[path].iter().enumerate() {
            let method = format_ident!("{}", op.http_method.as_str().to_ascii_lowercase());
            let handler = handler_name(op);
            if index == 0 {
                chain.extend(quote!(::axum::routing::#method(#handler)));
            } else {
                chain.extend(quote!(.#method(#handler)));
            }
        }
        let axum_path = axum_path(path);
        quote!(let router = router.route(#axum_path, #chain);)
    });
    quote! {
        /// Every operation of the spec, and 404 for anything else.
        pub(crate) fn router() -> ::axum::Router {
            let router = ::axum::Router::new();
            #(#routes)*
            router.fallback(crate::mock_support::not_found)
        }
    }
}

/// OpenAPI and axum 0.8 both write parameters as `{name}`; axum only needs names that
/// are plain identifiers, so anything else is renamed positionally.
fn axum_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    let mut index = 0;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&format!("{{p{index}}}"));
        index += 1;
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn handler(api: &Api, op: &Operation) -> TokenStream {
    let name = handler_name(op);
    let checks: Vec<TokenStream> = op
        .params
        .iter()
        .filter_map(|param| param_check(api, op, param))
        .collect();
    let body_check = body_check(api, op);
    // An operation that answers JSON or a stream streams when asked to; one that only
    // streams always does.
    let streams_only = !matches!(op.response.kind, ResponseKind::Json(_));
    let (status, content_type, body, stream) = match stream_body(api, op) {
        Some(events) if streams_only => {
            let status = op.response.statuses.first().copied().unwrap_or(200);
            (status, "text/event-stream", events, None)
        }
        events => {
            let (status, content_type, body) = canned_response(api, op);
            (status, content_type, body, events)
        }
    };
    let status = Literal::u16_unsuffixed(status);
    let stream = stream.map(|events| {
        quote! {
            let wants_stream = headers
                .get(::axum::http::header::ACCEPT)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.contains("text/event-stream"));
            if wants_stream {
                return crate::mock_support::answer(#status, "text/event-stream", #events);
            }
        }
    });
    let uses_path = op.params.iter().any(|p| p.location == ParamLocation::Path);
    let path_arg = uses_path.then(|| {
        quote!(::axum::extract::Path(path): ::axum::extract::Path<::std::vec::Vec<(::std::string::String, ::std::string::String)>>,)
    });
    let body_arg = body_check
        .is_some()
        .then(|| quote!(body: ::axum::body::Bytes,));
    quote! {
        async fn #name(
            headers: ::axum::http::HeaderMap,
            ::axum::extract::Query(query): ::axum::extract::Query<crate::mock_support::Query>,
            #path_arg
            #body_arg
        ) -> crate::mock_support::Answer {
            check_auth(&headers, &query)?;
            #(#checks)*
            #body_check
            #stream
            crate::mock_support::answer(#status, #content_type, #body)
        }
    }
}

/// The body the mock streams for an operation that can answer `text/event-stream`: the
/// spec's example events, or a sample event, each as one `data:` line, then
/// `data: [DONE]` when the spec says streams end with it.
fn stream_body(api: &Api, op: &Operation) -> Option<String> {
    let stream = op.event_stream.as_ref()?;
    let events = if stream.examples.is_empty() {
        Sampler::new(api)
            .sample(&stream.event, 0)
            .into_iter()
            .collect()
    } else {
        stream.examples.clone()
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

/// A JSON body is present when required and decodes as the operation's body type.
fn body_check(api: &Api, op: &Operation) -> Option<TokenStream> {
    let body = op
        .body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)?;
    let ty = rust_type(api, &body.ty, false);
    let required = body.required;
    Some(quote!(crate::mock_support::check_json_body::<#ty>(&body, #required)?;))
}

/// Validation of one parameter through the runtime's checks: present when required,
/// parses as its type, in bounds. `None` when there is nothing to check.
fn param_check(api: &Api, op: &Operation, param: &Param) -> Option<TokenStream> {
    let wire = &param.wire_name;
    let (scalar, split) = match resolve_alias(api, &param.ty) {
        TypeRef::Array(item) => (
            resolve_alias(api, item),
            !param.explode || param.location != ParamLocation::Query,
        ),
        other => (other, false),
    };
    let required = param
        .required
        .then(|| quote!(crate::mock_support::require(#wire, &values)?;));
    let parse = match scalar {
        TypeRef::Integer(_) | TypeRef::Number(_) => {
            let rust = rust_type(api, scalar, false);
            let c = &param.constraints;
            if c.minimum.is_none() && c.maximum.is_none() {
                Some(quote! {
                    let _: ::std::vec::Vec<#rust> = crate::mock_support::parse_all(#wire, &values)?;
                })
            } else {
                // An absent bound is infinite, so one comparison covers both cases.
                let min = bound_literal(c.minimum, "NEG_INFINITY");
                let max = bound_literal(c.maximum, "INFINITY");
                Some(quote! {
                    let numbers: ::std::vec::Vec<#rust> = crate::mock_support::parse_all(#wire, &values)?;
                    crate::mock_support::check_bounds(#wire, &numbers, #min, #max)?;
                })
            }
        }
        TypeRef::Boolean => Some(quote! {
            let _: ::std::vec::Vec<bool> = crate::mock_support::parse_all(#wire, &values)?;
        }),
        _ => None,
    };
    if required.is_none() && parse.is_none() {
        return None;
    }
    let mut values = param_values(op, param)?;
    if split {
        values = quote!(crate::mock_support::split_items(#values));
    }
    Some(quote! {
        let values = #values;
        #required
        #parse
    })
}

/// The raw values a request carries for a parameter (header names lowercased; axum
/// names path parameters p0, p1, ... in the order they appear in the path).
fn param_values(op: &Operation, param: &Param) -> Option<TokenStream> {
    let wire = &param.wire_name;
    Some(match param.location {
        ParamLocation::Query => quote!(crate::mock_support::query_values(&query, #wire)),
        ParamLocation::Header => {
            let lower = wire.to_ascii_lowercase();
            quote!(crate::mock_support::header_values(&headers, #lower))
        }
        ParamLocation::Path => {
            let me = op.params.iter().position(|p| std::ptr::eq(p, param))?;
            let index = op
                .path_segments
                .iter()
                .filter(|s| matches!(s, crate::ir::PathSegment::Param(_)))
                .position(|s| *s == crate::ir::PathSegment::Param(me))?;
            let key = format!("p{index}");
            quote!(crate::mock_support::path_values(&path, #key))
        }
    })
}

/// A bound as an `f64` literal, or `f64::<infinite>` when the spec has none.
fn bound_literal(value: Option<f64>, infinite: &str) -> TokenStream {
    match value {
        Some(v) => Literal::f64_unsuffixed(v).into_token_stream(),
        None => {
            let infinite = format_ident!("{infinite}");
            quote!(f64::#infinite)
        }
    }
}

/// The status, content type and body the mock answers an operation with, and whether
/// the body is a complete value of the response type (a schema whose required fields
/// form a cycle without `null` or an array has none; the body is then `null`).
fn canned_response(api: &Api, op: &Operation) -> (u16, &'static str, String) {
    let (status, content_type, body, _) = canned_response_checked(api, op);
    (status, content_type, body)
}

fn canned_response_checked(api: &Api, op: &Operation) -> (u16, &'static str, String, bool) {
    let status = op.response.statuses.first().copied().unwrap_or(200);
    match &op.response.kind {
        ResponseKind::Json(ty) => {
            let value = match &op.response.example {
                Some(example) => Some(example.clone()),
                None => Sampler::new(api).sample(ty, 0),
            };
            let complete = value.is_some();
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

/// 2023-11-14T22:13:20Z: a plausible recent timestamp for samples.
const SAMPLE_UNIX_TIME: i64 = 1_700_000_000;

/// Builds JSON samples of types, preferring the spec's examples. It tracks the named
/// types on the current path, so a recursive schema ends instead of overflowing the
/// stack: a value that would repeat a type on the path becomes `null` where nullable,
/// `[]` in an array, or is left out where optional; unions try a variant that does not
/// recurse. `None` means no finite value exists (a required, non-nullable cycle).
struct Sampler<'a> {
    api: &'a Api,
    path: Vec<TypeId>,
}

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
            TypeRef::Number(_) => Value::from(0.0),
            TypeRef::Boolean => Value::Bool(true),
            TypeRef::Array(item) if depth < 3 => {
                Value::Array(self.sample(item, depth + 1).into_iter().collect())
            }
            TypeRef::Array(_) => Value::Array(Vec::new()),
            TypeRef::Map(_) | TypeRef::Json => Value::Object(Map::new()),
            TypeRef::Bytes => Value::String(String::new()),
            TypeRef::UnixTime => Value::from(SAMPLE_UNIX_TIME),
            TypeRef::DateTime => Value::String("2024-01-01T00:00:00Z".into()),
            TypeRef::Date => Value::String("2024-01-01".into()),
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
            return Some(example.clone());
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
                        Some(example) => Some(example.clone()),
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
/// spec admits no complete sample, since a test must not fail because of the spec.
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
    Some(quote! {
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
        assert!(mock
            .contents
            .contains("let router = router.route(\"/p2999\""));
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
