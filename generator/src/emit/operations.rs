//! `src/operations.rs`: per operation, a parameter struct implementing the runtime's
//! `Operation` trait, setters for optional parameters on `Call`, and the `Client` method.

use super::{
    doc_attrs, doc_attrs_with_example, doc_code_span, ident, resolve_alias, rust_type,
    sanitize_markdown,
};
use crate::ir::{
    Api, BodyEncoding, IntegerFormat, NumberFormat, Operation, Param, ParamLocation, ParamStyle,
    PathSegment, ResponseKind, TypeKind, TypeRef,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The module's docs and attributes; the items come from [`operation_items`].
pub(super) fn operations_head(api: &Api) -> TokenStream {
    // Deprecated operations, parameters and types stay callable; the crate's own uses
    // of them must not warn (users still get the warning at their call sites).
    let allow = uses_deprecated(api).then(|| quote!(#![allow(deprecated)]));
    quote! {
        //! One method on [`Client`](crate::Client) per operation of the spec, and the
        //! parameter type each one sends.
        #allow
    }
}

/// Whether anything this module may name (operations, parameters, types, their fields)
/// is marked `deprecated`.
fn uses_deprecated(api: &Api) -> bool {
    api.operations
        .iter()
        .any(|op| op.deprecated || op.params.iter().any(|p| p.deprecated))
        || api.types.iter().any(|def| {
            def.docs.deprecated
                || matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.docs.deprecated))
        })
}

/// The items of the `index`th operation.
pub(super) fn operation_items(api: &Api, index: usize) -> TokenStream {
    let op = &api.operations[index];
    super::gated(api, &op.gate, operation(api, op))
}

/// Whether a parameter is an argument of the client method (rather than a setter).
fn is_argument(param: &Param) -> bool {
    param.required
}

/// The argument type and conversion for a value the caller passes in.
fn argument(api: &Api, ty: &TypeRef, name: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    // A named alias of `String` (a `Snowflake`-style id) is a `String`: it takes
    // `impl Into<String>` too, so `"id"` works wherever a plain string does.
    match resolve_alias(api, ty) {
        TypeRef::String => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(#name.into()),
        ),
        other => (rust_type(api, other, false), quote!(#name)),
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let type_name = ident(&op.type_name);
    let parameters = parameter_struct(api, op);
    let operation_impl = operation_impl(api, op);
    let pagination = op.pagination.as_ref().map(|p| pagination_impl(api, op, p));
    let method = client_method(api, op);
    let setters = setters(api, op);
    let setters_impl = (!setters.is_empty()).then(|| {
        quote! {
            impl crate::request::Call<#type_name> {
                #(#setters)*
            }
        }
    });
    let streaming = streaming(api, op);
    quote! {
        #parameters
        #operation_impl
        #pagination
        #streaming
        #method
        #setters_impl
    }
}

/// Whether every field of the parameter struct is optional, so it derives `Default` and
/// the client method starts from `Default::default()`.
fn all_optional(op: &Operation) -> bool {
    !op.params.iter().any(is_argument) && !op.body.as_ref().is_some_and(|b| b.required)
}

/// The parameter struct: required parameters as they are, optional ones as `Option`.
fn parameter_struct(api: &Api, op: &Operation) -> TokenStream {
    let type_name = ident(&op.type_name);
    let mut fields = Vec::new();
    for param in &op.params {
        let name = ident(&param.rust_name);
        let ty = rust_type(api, &param.ty, false);
        fields.push(if is_argument(param) {
            quote!(pub(crate) #name: #ty,)
        } else {
            quote!(pub(crate) #name: ::std::option::Option<#ty>,)
        });
    }
    if let Some(body) = &op.body {
        let ty = rust_type(api, &body.ty, false);
        fields.push(if body.required {
            quote!(pub(crate) body: #ty,)
        } else {
            quote!(pub(crate) body: ::std::option::Option<#ty>,)
        });
    }
    let doc = doc_attrs(&format!(
        "Parameters of [`Client::{}`](crate::Client::{}): {}.",
        op.method_name.trim_start_matches("r#"),
        op.method_name.trim_start_matches("r#"),
        doc_code_span(&format!("{} {}", op.http_method.as_str(), op.path))
    ));
    let default = all_optional(op).then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Clone, Debug, #default)]
        pub struct #type_name {
            #(#fields)*
        }
    }
}

/// The runtime's `Operation` trait: how to build the request and decode the response.
fn operation_impl(api: &Api, op: &Operation) -> TokenStream {
    let type_name = ident(&op.type_name);
    let operation_id = &op.id;
    let output = output_type(api, &op.response.kind);
    let decoder = match &op.response.kind {
        ResponseKind::Json(_) => quote!(crate::request::Json),
        ResponseKind::Text => quote!(crate::request::Text),
        ResponseKind::Bytes => quote!(crate::request::Binary),
        ResponseKind::Empty => quote!(crate::request::NoContent),
    };
    let to_request = to_request(api, op);
    quote! {
        impl crate::request::Operation for #type_name {
            type Output = #output;
            type Decoder = #decoder;
            const OPERATION_ID: &'static str = #operation_id;

            fn to_request(&self) -> crate::request::RequestResult {
                #to_request
            }
        }
    }
}

/// The runtime's `Paginated` trait: where the cursor goes and how a page is read.
fn pagination_impl(api: &Api, op: &Operation, p: &crate::ir::Pagination) -> TokenStream {
    let type_name = ident(&op.type_name);
    let item = rust_type(api, &p.item_ty, false);
    let cursor = ident(&op.params[p.cursor_param].rust_name);
    let items = ident(&p.items_field);
    let has_more = ident(&p.has_more_field);
    let last_id = ident(&p.last_id_field);
    quote! {
        impl crate::pagination::Paginated for #type_name {
            type Item = #item;
            fn set_cursor(&mut self, cursor: ::std::string::String) {
                self.#cursor = ::std::option::Option::Some(cursor);
            }
            fn into_page(output: Self::Output) -> crate::pagination::Page<Self::Item> {
                let (more, last) = (output.#has_more, output.#last_id);
                crate::pagination::Page::from_cursor(output.#items, more, last)
            }
        }
    }
}

/// The `Client` method: required parameters and body as arguments.
fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let type_name = ident(&op.type_name);
    let method_name = ident(&op.method_name);
    let mut args = Vec::new();
    let mut conversions = Vec::new();
    let mut inits = Vec::new();
    for param in &op.params {
        let name = ident(&param.rust_name);
        if is_argument(param) {
            let (arg_ty, value) = argument(api, &param.ty, &name);
            args.push(quote!(#name: #arg_ty));
            // Converted first, so the struct literal below stays one line.
            if name != value.to_string() {
                conversions.push(quote!(let #name = #value;));
            }
            inits.push(quote!(#name));
        } else {
            inits.push(quote!(#name: ::std::option::Option::None));
        }
    }
    if let Some(body) = &op.body {
        if body.required {
            let ty = rust_type(api, &body.ty, false);
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: ::std::option::Option::None));
        }
    }
    let value = if all_optional(op) {
        quote!(::std::default::Default::default())
    } else {
        quote!(#type_name { #(#inits),* })
    };
    let doc = method_docs(api, op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        impl crate::client::Client {
            #doc
            #deprecated
            pub fn #method_name(&self, #(#args),*) -> crate::request::Call<#type_name> {
                #(#conversions)*
                crate::request::Call::new(self, #value)
            }
        }
    }
}

/// One `Call` setter per optional parameter (and the optional body).
fn setters(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut setters = Vec::new();
    for param in op.params.iter().filter(|p| !is_argument(p)) {
        let name = ident(&param.rust_name);
        let (arg_ty, value) = argument(api, &param.ty, &name);
        let doc = match param.docs.as_deref() {
            Some(text) => doc_attrs(&sanitize_markdown(text)),
            None => doc_attrs(&format!(
                "Sets the {} {} parameter.",
                doc_code_span(&param.wire_name),
                location_word(param.location)
            )),
        };
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
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let ty = rust_type(api, &body.ty, false);
        setters.push(quote! {
            /// Sets the request body.
            pub fn body(mut self, body: #ty) -> Self {
                self.op.body = ::std::option::Option::Some(body);
                self
            }
        });
    }
    setters
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

/// Whether values of `ty` have a text form of their own (the runtime's `ParamValue`):
/// strings, numbers, booleans and the enum and const types. Others are sent as JSON.
fn has_param_text(api: &Api, ty: &TypeRef) -> bool {
    match resolve_alias(api, ty) {
        TypeRef::String | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => true,
        TypeRef::Named(id) => matches!(
            api.type_def(*id).kind,
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) | TypeKind::Const(_)
        ),
        _ => false,
    }
}

/// The body of `to_request`: checks, path, query, headers, body, each a statement or two.
fn to_request(api: &Api, op: &Operation) -> TokenStream {
    let checks = op.params.iter().flat_map(validation);
    let mut additions: Vec<TokenStream> = path_params(api, op);
    for param in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
    {
        additions.push(send_param(api, param));
    }
    if let Some(body) = &op.body {
        additions.push(body_statement(api, body));
    }
    // `RequestParts::get(path)` and its siblings, one per HTTP method.
    let method = format_ident!("{}", op.http_method.as_str().to_ascii_lowercase());
    let start = match op.path_segments.first() {
        Some(PathSegment::Literal(text)) => text.as_str(),
        _ => "",
    };
    let new = quote!(crate::request::RequestParts::#method(#start));
    if additions.is_empty() {
        return quote! {
            #(#checks)*
            ::std::result::Result::Ok(#new)
        };
    }
    // A path ending in its only parameter (`/invites/{id}`) builds in one expression.
    if let ([], [PathSegment::Literal(_), PathSegment::Param(index)]) =
        (&additions[1..], op.path_segments.as_slice())
    {
        let param = &op.params[*index];
        let value = path_value(api, param);
        let wire = &param.wire_name;
        return quote! {
            #(#checks)*
            #new.with_path_param(#wire, #value)
        };
    }
    quote! {
        #(#checks)*
        let mut request = #new;
        #(#additions)*
        ::std::result::Result::Ok(request)
    }
}

/// The rest of the path after its first literal piece: parameters percent-encoded one
/// segment each, literal pieces as they are.
fn path_params(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let skip = usize::from(matches!(
        op.path_segments.first(),
        Some(PathSegment::Literal(_))
    ));
    op.path_segments
        .iter()
        .skip(skip)
        .map(|segment| match segment {
            PathSegment::Literal(text) => quote!(request.path(#text);),
            PathSegment::Param(index) => {
                let param = &op.params[*index];
                let wire = &param.wire_name;
                let value = path_value(api, param);
                quote!(request.path_param(#wire, #value)?;)
            }
        })
        .collect()
}

/// A path parameter's value: by reference, or as JSON text when it has no text form.
fn path_value(api: &Api, param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    if has_param_text(api, &param.ty) {
        quote!(&self.#name)
    } else {
        quote!(&crate::request::AsJson(&self.#name))
    }
}

/// Encodes the body into `request.body` (optional bodies only when set).
fn body_statement(api: &Api, body: &crate::ir::Body) -> TokenStream {
    if body.encoding == BodyEncoding::Multipart {
        let parts = multipart(api, &body.ty);
        return if body.required {
            quote! {
                let body = &self.body;
                request.body = ::std::option::Option::Some(#parts);
            }
        } else {
            quote! {
                if let ::std::option::Option::Some(body) = &self.body {
                    request.body = ::std::option::Option::Some(#parts);
                }
            }
        };
    }
    let (encode, fallible) = match body.encoding {
        BodyEncoding::Json => (quote!(crate::request::json_body), true),
        BodyEncoding::Form => (quote!(crate::request::form_body), true),
        BodyEncoding::Text => (quote!(crate::request::text_body), false),
        BodyEncoding::Bytes | BodyEncoding::Multipart => {
            (quote!(crate::request::bytes_body), false)
        }
    };
    match (body.required, fallible) {
        (true, true) => quote!(request.set_body(#encode(&self.body)?);),
        (true, false) => quote!(request.set_body(#encode(&self.body));),
        (false, true) => quote!(request.body = self.body.as_ref().map(#encode).transpose()?;),
        (false, false) => quote!(request.body = self.body.as_deref().map(#encode);),
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

/// The values of a parameter as an iterator of references: an optional one iterates
/// zero or one.
fn values_of(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    if is_argument(param) {
        quote!([&self.#name])
    } else {
        quote!(self.#name.iter())
    }
}

/// Client-side checks of `minimum`/`maximum`/`minLength`/`maxLength` through the
/// runtime's `check_*` helpers, so a bad value is an error before anything is sent. The
/// parameter's name is a string argument, never part of a format string.
fn validation(param: &Param) -> Vec<TokenStream> {
    let wire = &param.wire_name;
    let c = &param.constraints;
    let mut checks = Vec::new();
    if let TypeRef::Integer(_) | TypeRef::Number(_) = param.ty {
        // Integer bounds compare as integers when the parameter's type can hold them; a
        // bound with a fraction, out of the type's range, or a float parameter compares
        // as f64.
        let (low, high) = match param.ty {
            TypeRef::Integer(IntegerFormat::I32) => (f64::from(i32::MIN), f64::from(i32::MAX)),
            TypeRef::Integer(IntegerFormat::U32) => (0.0, f64::from(u32::MAX)),
            TypeRef::Integer(IntegerFormat::U64) => (0.0, 9.0e15),
            TypeRef::Integer(IntegerFormat::I64) => (-9.0e15, 9.0e15),
            _ => (f64::NAN, f64::NAN),
        };
        let exact = |v: f64| v.fract() == 0.0 && v >= low && v <= high;
        let as_f64 = !c.minimum.into_iter().chain(c.maximum).all(exact);
        let name = ident(&param.rust_name);
        let values = match (&param.ty, as_f64, is_argument(param)) {
            (_, false, _) | (TypeRef::Number(NumberFormat::F64), _, _) => values_of(param),
            (TypeRef::Number(_), true, true) => quote!([&f64::from(self.#name)]),
            (TypeRef::Number(_), true, false) => quote!(&self.#name.map(f64::from)),
            (_, true, true) => quote!([&(self.#name as f64)]),
            (_, true, false) => quote!(&self.#name.map(|value| value as f64)),
        };
        let bound = |v: f64| {
            if as_f64 {
                Literal::f64_unsuffixed(v)
            } else {
                Literal::i64_unsuffixed(v as i64)
            }
        };
        match (c.minimum.map(bound), c.maximum.map(bound)) {
            (Some(min), Some(max)) => {
                checks.push(quote!(crate::request::check_range(#wire, #values, #min, #max)?;));
            }
            (Some(min), None) => {
                checks.push(quote!(crate::request::check_min(#wire, #values, #min)?;))
            }
            (None, Some(max)) => {
                checks.push(quote!(crate::request::check_max(#wire, #values, #max)?;))
            }
            (None, None) => {}
        }
    }
    if param.ty == TypeRef::String && param.location != ParamLocation::Path {
        let values = values_of(param);
        if let Some(min) = c.min_length.filter(|m| *m > 0) {
            let min = Literal::usize_unsuffixed(min);
            checks.push(quote!(crate::request::check_min_length(#wire, #values, #min)?;));
        }
        if let Some(max) = c.max_length {
            let max = Literal::usize_unsuffixed(max);
            checks.push(quote!(crate::request::check_max_length(#wire, #values, #max)?;));
        }
    }
    checks
}

/// One statement adding a query or header parameter (arrays exploded or joined).
fn send_param(api: &Api, param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let wire = &param.wire_name;
    let header = param.location == ParamLocation::Header;
    if param.style == ParamStyle::DeepObject && !header {
        // Any shape (object, map, array, union, scalar): the runtime walks its JSON value.
        return quote!(request.query_deep(#wire, &self.#name)?;);
    }
    let required = is_argument(param);
    let TypeRef::Array(item) = resolve_alias(api, &param.ty) else {
        let values = match (has_param_text(api, &param.ty), required) {
            (true, _) => values_of(param),
            (false, true) => quote!([crate::request::AsJson(&self.#name)]),
            (false, false) => quote!(self.#name.iter().map(crate::request::AsJson)),
        };
        return if header {
            quote!(request.header(#wire, #values)?;)
        } else {
            quote!(request.query(#wire, #values);)
        };
    };
    let text = has_param_text(api, item);
    if param.explode && !header {
        let values = match (text, required) {
            (true, true) => quote!(self.#name.iter()),
            (true, false) => quote!(self.#name.iter().flatten()),
            (false, true) => quote!(self.#name.iter().map(crate::request::AsJson)),
            (false, false) => quote!(self.#name.iter().flatten().map(crate::request::AsJson)),
        };
        return quote!(request.query(#wire, #values););
    }
    let lists = match (text, required) {
        (true, _) => values_of(param),
        (false, true) => quote!([self.#name.iter().map(crate::request::AsJson)]),
        (false, false) => {
            quote!(self.#name.iter().map(|items| items.iter().map(crate::request::AsJson)))
        }
    };
    let separator = param.style.separator();
    if header {
        quote!(request.header_joined(#wire, #lists, #separator)?;)
    } else {
        quote!(request.query_joined(#wire, #lists, #separator);)
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
            // land on a line of its own ("List invites\n."). Only a one-line summary gets
            // one: after a list or a code block it would break the last line (a fence
            // followed by "." no longer closes the block).
            let summary = sanitize_markdown(summary.trim_end_matches('.'));
            let summary = summary.trim_end();
            text.push_str(summary);
            if !summary.contains('\n') {
                text.push('.');
            }
            text.push_str("\n\n");
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
    if op.pagination.is_some() {
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
        args.push(example_value(
            api,
            &param.ty,
            param.example.as_ref().map(|e| &e.value),
            0,
        )?);
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
        "# async fn example() -> Result<(), {krate}::Error> {{\nlet client = {krate}::Client::from_env()?;\n{setup}{usage}# Ok(()) }}\n"
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
