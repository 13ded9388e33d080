//! `src/operations.rs`: per operation, a parameter struct implementing the runtime's
//! `Operation` trait, setters for optional parameters on `Call`, and the `Client` method.

use super::{
    doc_attrs, doc_attrs_with_example, doc_code_span, ident, resolve_alias, rust_type,
    sanitize_markdown,
};
use crate::ir::{
    Api, BodyEncoding, Operation, Param, ParamLocation, PathSegment, ResponseKind, TypeKind,
    TypeRef,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The module's docs and attributes; the items come from [`operation_items`].
pub(super) fn operations_head() -> TokenStream {
    // Deprecated operations, parameters and types stay callable; the crate's own uses
    // of them must not warn (users still get the warning at their call sites).
    quote! {
        //! One method on [`Client`](crate::Client) per operation of the spec, and the
        //! parameter type each one sends.
        #![allow(deprecated)]
    }
}

/// The items of the `index`th operation.
pub(super) fn operation_items(api: &Api, index: usize) -> TokenStream {
    operation(api, &api.operations[index])
}

/// Whether a parameter is an argument of the client method (rather than a setter).
fn is_argument(param: &Param) -> bool {
    param.required
}

/// The argument type and conversion for a value the caller passes in.
fn argument(api: &Api, ty: &TypeRef, name: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(#name.into()),
        ),
        other => (rust_type(api, other, false), quote!(#name)),
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let type_name = ident(&op.type_name);
    let method_name = ident(&op.method_name);
    let operation_id = &op.id;

    let mut struct_fields = Vec::new();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for param in &op.params {
        let name = ident(&param.rust_name);
        let ty = rust_type(api, &param.ty, false);
        if is_argument(param) {
            struct_fields.push(quote!(pub(crate) #name: #ty,));
            let (arg_ty, value) = argument(api, &param.ty, &name);
            args.push(quote!(#name: #arg_ty));
            if name == value.to_string() {
                inits.push(quote!(#name));
            } else {
                inits.push(quote!(#name: #value));
            }
        } else {
            struct_fields.push(quote!(pub(crate) #name: ::std::option::Option<#ty>,));
            inits.push(quote!(#name: ::std::option::Option::None));
            let (arg_ty, value) = argument(api, &param.ty, &name);
            let doc = param
                .docs
                .as_deref()
                .map(|d| doc_attrs(&sanitize_markdown(d)))
                .unwrap_or_else(|| {
                    doc_attrs(&format!(
                        "Sets the {} {} parameter.",
                        doc_code_span(&param.wire_name),
                        location_word(param.location)
                    ))
                });
            let deprecated = param.deprecated.then(|| quote!(#[deprecated]));
            setters.push(quote! {
                #doc
                #deprecated
                pub fn #name(mut self, #name: #arg_ty) -> Self {
                    self.op.#name = ::std::option::Option::Some(#value);
                    self
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let ty = rust_type(api, &body.ty, false);
        if body.required {
            struct_fields.push(quote!(pub(crate) body: #ty,));
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            struct_fields.push(quote!(pub(crate) body: ::std::option::Option<#ty>,));
            inits.push(quote!(body: ::std::option::Option::None));
            setters.push(quote! {
                /// Sets the request body.
                pub fn body(mut self, body: #ty) -> Self {
                    self.op.body = ::std::option::Option::Some(body);
                    self
                }
            });
        }
    }

    let output = output_type(api, &op.response.kind);
    let to_request = to_request(api, op);
    let decode = match &op.response.kind {
        ResponseKind::Json(_) => quote!(crate::request::decode_json(response)),
        ResponseKind::Text => quote!(crate::request::decode_text(response)),
        ResponseKind::Bytes => quote!(crate::request::decode_bytes(response)),
        ResponseKind::Empty => quote!(crate::request::decode_empty(response)),
    };

    let struct_doc = doc_attrs(&format!(
        "Parameters of [`Client::{}`](crate::Client::{}): {}.",
        op.method_name.trim_start_matches("r#"),
        op.method_name.trim_start_matches("r#"),
        doc_code_span(&format!("{} {}", op.http_method.as_str(), op.path))
    ));
    let method_doc = method_docs(api, op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let setters_impl = (!setters.is_empty()).then(|| {
        quote! {
            impl crate::request::Call<#type_name> {
                #(#setters)*
            }
        }
    });
    let pagination = op.pagination.as_ref().map(|p| {
        let item = rust_type(api, &p.item_ty, false);
        let cursor = ident(&op.params[p.cursor_param].rust_name);
        let items = ident(&p.items_field);
        let has_more = ident(&p.has_more_field);
        let last_id = ident(&p.last_id_field);
        let has_more_value = if p.has_more_optional {
            quote!(output.#has_more.unwrap_or(false))
        } else {
            quote!(output.#has_more)
        };
        let last_id_value = if p.last_id_optional {
            quote!(output.#last_id)
        } else {
            quote!(::std::option::Option::Some(output.#last_id))
        };
        quote! {
            impl crate::pagination::Paginated for #type_name {
                type Item = #item;
                fn set_cursor(&mut self, cursor: ::std::string::String) {
                    self.#cursor = ::std::option::Option::Some(cursor);
                }
                fn into_page(output: Self::Output) -> crate::pagination::Page<Self::Item> {
                    let next_cursor = if #has_more_value { #last_id_value } else { ::std::option::Option::None };
                    crate::pagination::Page { items: output.#items, next_cursor }
                }
            }
        }
    });

    let streaming = streaming(api, op);
    quote! {
        #struct_doc
        #[derive(Clone, Debug)]
        pub struct #type_name {
            #(#struct_fields)*
        }

        impl crate::request::Operation for #type_name {
            type Output = #output;
            const OPERATION_ID: &'static str = #operation_id;

            fn to_request(&self) -> ::std::result::Result<crate::request::RequestParts, crate::error::Error> {
                #to_request
            }

            fn decode(response: &crate::response::RawResponse) -> ::std::result::Result<Self::Output, crate::error::Error> {
                #decode
            }
        }

        #pagination

        #streaming

        impl crate::client::Client {
            #method_doc
            #deprecated
            pub fn #method_name(&self, #(#args),*) -> crate::request::Call<#type_name> {
                crate::request::Call::new(self, #type_name { #(#inits),* })
            }
        }

        #setters_impl
    }
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn output_type(api: &Api, kind: &ResponseKind) -> TokenStream {
    match kind {
        ResponseKind::Json(ty) => rust_type(api, ty, false),
        ResponseKind::Text => quote!(::std::string::String),
        ResponseKind::Bytes => quote!(::bytes::Bytes),
        ResponseKind::Empty => quote!(()),
    }
}

/// An expression turning `value` (a reference to a scalar) into the `String` sent in a
/// query string or header, or `None` when the type is not a scalar.
fn scalar_to_string(api: &Api, ty: &TypeRef, value: &TokenStream) -> Option<TokenStream> {
    match resolve_alias(api, ty) {
        TypeRef::String => Some(quote!(::std::clone::Clone::clone(#value))),
        TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => {
            Some(quote!(::std::string::ToString::to_string(#value)))
        }
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::StringEnum(_) | TypeKind::Const(_) => {
                Some(quote!(#value.as_str().to_owned()))
            }
            TypeKind::IntegerEnum(_) => Some(quote!(#value.value().to_string())),
            _ => None,
        },
        _ => None,
    }
}

/// A `&str` view of a path parameter's value (`place` is a place expression).
fn borrowed_text(api: &Api, ty: &TypeRef, place: &TokenStream) -> TokenStream {
    match resolve_alias(api, ty) {
        TypeRef::String => quote!(#place.as_str()),
        other => match scalar_to_string(api, other, &quote!(&#place)) {
            Some(owned) => quote!(&#owned),
            None => quote!(&::serde_json::to_string(&#place).unwrap_or_default()),
        },
    }
}

fn to_request(api: &Api, op: &Operation) -> TokenStream {
    let mut statements = Vec::new();

    for param in &op.params {
        statements.push(validation(param));
    }

    // The path: literal pieces and percent-encoded parameters, one segment each.
    let method = ident(op.http_method.as_str());
    let mut path_statements = Vec::new();
    for segment in &op.path_segments {
        match segment {
            PathSegment::Literal(text) => path_statements.push(quote!(path.push_str(#text);)),
            PathSegment::Param(index) => {
                let param = &op.params[*index];
                let name = ident(&param.rust_name);
                let wire = &param.wire_name;
                let text = borrowed_text(api, &param.ty, &quote!(self.#name));
                path_statements
                    .push(quote!(path.push_str(&crate::request::path_segment(#wire, #text)?);));
            }
        }
    }
    let adds_more =
        op.body.is_some() || op.params.iter().any(|p| p.location != ParamLocation::Path);
    let binding = if adds_more {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    if let [PathSegment::Literal(text)] = op.path_segments.as_slice() {
        statements.push(quote! {
            #binding = crate::request::RequestParts::new(::reqwest::Method::#method, ::std::string::String::from(#text));
        });
    } else {
        statements.push(quote! {
            let mut path = ::std::string::String::new();
            #(#path_statements)*
            #binding = crate::request::RequestParts::new(::reqwest::Method::#method, path);
        });
    }

    for param in &op.params {
        if param.location == ParamLocation::Path {
            continue;
        }
        statements.push(send_param(api, param));
    }

    if let Some(body) = &op.body {
        let encode = match body.encoding {
            BodyEncoding::Json => quote!(crate::request::json_body(body)?),
            BodyEncoding::Form => quote!(crate::request::form_body(body)?),
            BodyEncoding::Multipart => multipart(api, &body.ty),
            BodyEncoding::Text => quote!(crate::request::text_body(body)),
            BodyEncoding::Bytes => quote!(crate::request::bytes_body(body)),
        };
        if body.required {
            statements.push(quote! {
                let body = &self.body;
                request.body = ::std::option::Option::Some(#encode);
            });
        } else {
            statements.push(quote! {
                if let ::std::option::Option::Some(body) = &self.body {
                    request.body = ::std::option::Option::Some(#encode);
                }
            });
        }
    }

    quote! {
        #(#statements)*
        ::std::result::Result::Ok(request)
    }
}

/// A block building a `multipart/form-data` body from `body`: one part per field of the
/// body struct (`format: binary` fields as file parts), so bytes are sent as bytes.
fn multipart(api: &Api, ty: &TypeRef) -> TokenStream {
    let parts = match resolve_alias(api, ty) {
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Struct(s) => {
                let fields = s.fields.iter().map(|field| {
                    let name = ident(&field.rust_name);
                    let wire = &field.wire_name;
                    if resolve_alias(api, &field.ty) == &TypeRef::Bytes {
                        if field.is_optional() {
                            quote! {
                                if let ::std::option::Option::Some(content) = &body.#name {
                                    parts.file(#wire, content);
                                }
                            }
                        } else {
                            quote!(parts.file(#wire, &body.#name);)
                        }
                    } else {
                        quote!(parts.field(#wire, &body.#name)?;)
                    }
                });
                let additional = s.additional.as_ref().map(|_| {
                    quote! {
                        for (name, value) in &body.additional_properties {
                            parts.field(name, value)?;
                        }
                    }
                });
                Some(quote!(#(#fields)* #additional))
            }
            _ => None,
        },
        _ => None,
    };
    let parts = parts.unwrap_or_else(|| quote!(parts.fields_of(body)?;));
    quote! {
        {
            let mut parts = crate::request::Multipart::new();
            #parts
            parts.finish()?
        }
    }
}

/// Client-side checks of `minimum`/`maximum`/`minLength`/`maxLength`, so a bad value is
/// an error before anything is sent.
fn validation(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let wire = &param.wire_name;
    let c = &param.constraints;
    let mut checks = Vec::new();
    let integer = matches!(param.ty, TypeRef::Integer(_));
    let numeric = integer || matches!(param.ty, TypeRef::Number(_));
    // Integer bounds compare as integers; a bound with a fraction (or a float
    // parameter) compares as f64.
    let bound = |v: f64| {
        if integer && v.fract() == 0.0 && v.abs() < 9.0e15 {
            (quote!(*value), Literal::i64_unsuffixed(v as i64))
        } else {
            (quote!((*value as f64)), Literal::f64_unsuffixed(v))
        }
    };
    if numeric {
        if let Some(min) = c.minimum {
            let (as_f64, lit) = bound(min);
            let message = format!("`{wire}` must be at least {min}, got {{}}");
            checks.push(quote! {
                if #as_f64 < #lit {
                    return ::std::result::Result::Err(crate::error::Error::InvalidRequest(::std::format!(#message, value)));
                }
            });
        }
        if let Some(max) = c.maximum {
            let (as_f64, lit) = bound(max);
            let message = format!("`{wire}` must be at most {max}, got {{}}");
            checks.push(quote! {
                if #as_f64 > #lit {
                    return ::std::result::Result::Err(crate::error::Error::InvalidRequest(::std::format!(#message, value)));
                }
            });
        }
    }
    if param.ty == TypeRef::String && param.location != ParamLocation::Path {
        if let Some(min) = c.min_length.filter(|m| *m > 0) {
            let message = format!("`{wire}` must be at least {min} characters long");
            checks.push(quote! {
                if value.chars().count() < #min {
                    return ::std::result::Result::Err(crate::error::Error::InvalidRequest(::std::string::String::from(#message)));
                }
            });
        }
        if let Some(max) = c.max_length {
            let message = format!("`{wire}` must be at most {max} characters long");
            checks.push(quote! {
                if value.chars().count() > #max {
                    return ::std::result::Result::Err(crate::error::Error::InvalidRequest(::std::string::String::from(#message)));
                }
            });
        }
    }
    if checks.is_empty() {
        return TokenStream::new();
    }
    if is_argument(param) {
        quote! {
            {
                let value = &self.#name;
                #(#checks)*
            }
        }
    } else {
        quote! {
            if let ::std::option::Option::Some(value) = &self.#name {
                #(#checks)*
            }
        }
    }
}

fn send_param(api: &Api, param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let wire = &param.wire_name;
    let value = quote!(value);
    let push_one = |text: TokenStream| match param.location {
        ParamLocation::Query => quote!(request.query.push((#wire, #text));),
        ParamLocation::Header => quote!(request.push_header(#wire, &#text)?;),
        ParamLocation::Path => TokenStream::new(),
    };
    let body = match resolve_alias(api, &param.ty) {
        TypeRef::Array(item) => {
            // Method-call form inside the closure: a path call would be a redundant closure.
            let item_text = match resolve_alias(api, item) {
                TypeRef::String | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => {
                    Some(quote!(item.to_string()))
                }
                _ => scalar_to_string(api, item, &quote!(item)),
            }
            .unwrap_or_else(|| quote!(::serde_json::to_string(item).unwrap_or_default()));
            let separator = param.separator;
            if param.explode && param.location == ParamLocation::Query {
                let push = push_one(item_text);
                quote!(for item in #value.iter() { #push })
            } else {
                let push = push_one(quote!(joined));
                quote! {
                    let joined = #value.iter().map(|item| #item_text).collect::<::std::vec::Vec<_>>().join(#separator);
                    #push
                }
            }
        }
        other => {
            let string_like = match other {
                TypeRef::String => true,
                TypeRef::Named(id) => matches!(
                    api.type_def(*id).kind,
                    TypeKind::StringEnum(_) | TypeKind::Const(_)
                ),
                _ => false,
            };
            if param.location == ParamLocation::Header && string_like {
                // A header takes `&str`; string-like values lend theirs without a copy.
                quote!(request.push_header(#wire, #value.as_str())?;)
            } else {
                let text = scalar_to_string(api, other, &value)
                    .unwrap_or_else(|| quote!(::serde_json::to_string(#value).unwrap_or_default()));
                push_one(text)
            }
        }
    };
    if is_argument(param) {
        quote! {
            {
                let value = &self.#name;
                #body
            }
        }
    } else {
        quote! {
            if let ::std::option::Option::Some(value) = &self.#name {
                #body
            }
        }
    }
}

/// The runtime's `Streaming` impl of an operation that can answer `text/event-stream`:
/// the event type, whether `data: [DONE]` ends the stream, and the body's `stream` switch.
fn streaming(api: &Api, op: &Operation) -> Option<TokenStream> {
    let stream = op.event_stream.as_ref()?;
    let type_name = ident(&op.type_name);
    let event = rust_type(api, &stream.event, false);
    let ends_with_done = stream.ends_with_done;
    let request_stream = stream.stream_flag.as_ref().map(|flag| {
        let field = ident(&flag.rust_name);
        let on = if flag.optional {
            quote!(::std::option::Option::Some(true))
        } else {
            quote!(true)
        };
        let set = match &op.body {
            Some(body) if body.required => quote!(self.body.#field = #on;),
            _ => quote! {
                if let ::std::option::Option::Some(body) = self.body.as_mut() {
                    body.#field = #on;
                }
            },
        };
        quote! {
            fn request_stream(&mut self) {
                #set
            }
        }
    });
    Some(quote! {
        impl crate::sse::Streaming for #type_name {
            type Event = #event;
            const ENDS_WITH_DONE: bool = #ends_with_done;
            #request_stream
        }
    })
}

fn method_docs(api: &Api, op: &Operation) -> TokenStream {
    let mut text = String::new();
    match (&op.summary, &op.description) {
        (Some(summary), Some(description)) if summary.trim() != description.trim() => {
            // `sanitize_markdown` ends every line with `\n`: trimmed, or the period would
            // land on a line of its own ("List invites\n.").
            text.push_str(sanitize_markdown(summary.trim_end_matches('.')).trim_end());
            text.push_str(".\n\n");
            text.push_str(sanitize_markdown(description).trim_end());
        }
        (Some(one), _) | (None, Some(one)) => text.push_str(sanitize_markdown(one).trim_end()),
        (None, None) => text.push_str(&format!(
            "Calls {}.",
            doc_code_span(&format!("{} {}", op.http_method.as_str(), op.path))
        )),
    }
    text.push_str(&format!(
        "\n\n{} (operation {}).",
        doc_code_span(&format!("{} {}", op.http_method.as_str(), op.path)),
        doc_code_span(&op.id)
    ));
    if let Some(pagination) = &op.pagination {
        let _ = pagination;
        text.push_str(
            "\n\nReturns one page. Call [`.stream()`](crate::Call::stream) on the returned \
             request to get every item across pages as a `Stream`.",
        );
    }
    if let Some(stream) = &op.event_stream {
        text.push_str(
            "\n\nCan answer as a stream of server-sent events: call \
             [`.events()`](crate::Call::events) on the returned request instead of `.await` \
             to get each event as it arrives, as a `Stream` of `Result`s.",
        );
        if stream.stream_flag.is_some() {
            text.push_str(
                " The streaming call sets the body's `stream` to `true`; `.await` sends it \
                 as you set it.",
            );
        }
    }
    doc_attrs_with_example(&text, doc_example(api, op).as_deref())
}

/// A compiled (`no_run`) rustdoc example of calling the operation.
fn doc_example(api: &Api, op: &Operation) -> Option<String> {
    let krate = api.client.crate_name.replace('-', "_");
    let mut args = Vec::new();
    for param in op.params.iter().filter(|p| is_argument(p)) {
        args.push(example_value(api, &param.ty, param.example.as_ref(), 0)?);
    }
    let mut setup = String::new();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        setup.push_str(&format!(
            "let body = {};\n",
            example_value(api, &body.ty, None, 0)?
        ));
        args.push("body".to_string());
    }
    let call = format!(
        "client.{}({})",
        op.method_name.trim_start_matches("r#"),
        args.join(", ")
    );
    let usage = if op.event_stream.is_some() {
        format!(
            "use futures_util::StreamExt;\nlet mut events = std::pin::pin!({call}.events());\nwhile let Some(event) = events.next().await {{\n    println!(\"{{:?}}\", event?);\n}}\n"
        )
    } else if op.pagination.is_some() {
        format!(
            "use futures_util::StreamExt;\nlet page = {call}.await?;\nprintln!(\"{{page:?}}\");\n\n// Or every item, page after page:\nlet mut items = std::pin::pin!({call}.stream());\nwhile let Some(item) = items.next().await {{\n    println!(\"{{:?}}\", item?);\n}}\n"
        )
    } else {
        format!("let response = {call}.await?;\nprintln!(\"{{response:?}}\");\n")
    };
    Some(format!(
        "# async fn example() -> Result<(), {krate}::Error> {{\nlet client = {krate}::Client::from_env()?;\n{setup}{usage}# Ok(())\n# }}\n"
    ))
}

/// Rust source for a plausible value of `ty`, for examples. `None` when no simple
/// expression builds one.
fn example_value(
    api: &Api,
    ty: &TypeRef,
    example: Option<&serde_json::Value>,
    depth: usize,
) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let krate = api.client.crate_name.replace('-', "_");
    Some(match ty {
        TypeRef::String => format!("{:?}", example.and_then(|e| e.as_str()).unwrap_or("id")),
        TypeRef::Integer(_) => example.and_then(|e| e.as_i64()).unwrap_or(1).to_string(),
        TypeRef::Number(_) => "1.0".to_string(),
        TypeRef::Boolean => "true".to_string(),
        TypeRef::Array(_) => "Vec::new()".to_string(),
        TypeRef::Map(_) => "Default::default()".to_string(),
        TypeRef::Json => "serde_json::json!({})".to_string(),
        TypeRef::Bytes => "Vec::new()".to_string(),
        TypeRef::UnixTime => format!(
            "{krate}::UnixTime::from_secs({})",
            example.and_then(|e| e.as_i64()).unwrap_or(1_700_000_000)
        ),
        TypeRef::DateTime => "jiff::Timestamp::UNIX_EPOCH".to_string(),
        TypeRef::Date => "jiff::civil::date(2024, 1, 1)".to_string(),
        TypeRef::Nullable(_) => "None".to_string(),
        TypeRef::Named(id) => {
            let def = api.type_def(*id);
            let path = format!("{krate}::models::{}", def.name);
            match &def.kind {
                TypeKind::StringEnum(values) => format!("{path}::{}", values.first()?.rust_name),
                TypeKind::IntegerEnum(values) => format!("{path}::{}", values.first()?.rust_name),
                TypeKind::Const(_) => path,
                TypeKind::Alias(target) => example_value(api, target, example, depth + 1)?,
                TypeKind::Newtype(_) => format!("{path}(Default::default())"),
                TypeKind::Union(_) => return None,
                TypeKind::Struct(s) => {
                    let mut args = Vec::new();
                    for field in &s.fields {
                        let is_const = matches!(&field.ty, TypeRef::Named(id) if matches!(api.type_def(*id).kind, TypeKind::Const(_)));
                        if field.is_optional() || is_const {
                            continue;
                        }
                        let value =
                            if field.wire_name.contains("email") && field.ty == TypeRef::String {
                                "\"user@example.com\"".to_string()
                            } else {
                                example_value(api, &field.ty, None, depth + 1)?
                            };
                        args.push(value);
                    }
                    format!("{path}::new({})", args.join(", "))
                }
            }
        }
    })
}
