//! `src/models.rs`: one Rust type per named schema, with serde impls that accept what
//! the server may add later (unknown fields, unknown enum values).

use super::{doc_attrs, doc_code_span, docs, ident, rust_type};
use crate::ir::{Api, Field, IntegerEnumValue, Struct, TypeDef, TypeKind, TypeRef, Union};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The module's docs and attributes; the items come from [`model_item`], one per type.
pub(super) fn models_head() -> TokenStream {
    // `deprecated` is allowed because the spec's `deprecated: true` becomes
    // `#[deprecated]` to warn the crate's *users*; the crate itself still has to define,
    // derive for and construct those items. The clippy lints are about shapes the spec
    // decides (a large variant next to a small one, a `new` with many required fields).
    quote! {
        //! Request and response types, one per schema of the spec.
        #![allow(deprecated, clippy::large_enum_variant, clippy::too_many_arguments)]
    }
}

/// The items of the `index`th type.
pub(super) fn model_item(api: &Api, index: usize) -> TokenStream {
    super::gated(
        api,
        &api.type_gates[index],
        type_def(api, &api.types[index]),
    )
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let mut doc = docs(def.docs.title.as_deref(), def.docs.description.as_deref());
    if doc.is_empty() {
        doc = doc_attrs(&format!(
            "The {} schema.",
            doc_code_span(def.origin.rsplit('/').next().unwrap_or(&def.name))
        ));
    }
    let deprecated = def.docs.deprecated.then(|| quote!(#[deprecated]));
    let body = match &def.kind {
        TypeKind::Struct(s) => return struct_def(api, quote!(#doc #deprecated), &name, s),
        // Attributes of macro-defined types go inside the macro call: on the call itself
        // they would be unused.
        TypeKind::StringEnum(values) => {
            return string_enum(quote!(#doc #deprecated), &name, values)
        }
        TypeKind::IntegerEnum(values) => {
            return integer_enum(quote!(#doc #deprecated), &name, values);
        }
        TypeKind::Const(value) => return const_def(quote!(#doc #deprecated), &name, value),
        TypeKind::Union(union) => return union_def(api, quote!(#doc #deprecated), &name, union),
        TypeKind::Alias(target) => {
            let target = rust_type(api, target, true);
            quote!(pub type #name = #target;)
        }
        TypeKind::Newtype(target) => {
            let target = rust_type(api, target, true);
            quote! {
                #[derive(Clone, Debug, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
    };
    quote! {
        #doc
        #deprecated
        #body
    }
}

fn field_type(api: &Api, field: &Field) -> TokenStream {
    let mut ty = rust_type(api, &field.ty, true);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    if field.is_optional() {
        ty = quote!(::std::option::Option<#ty>);
    }
    ty
}

/// Whether `ty` is a string (or a named alias of one), which `new` and the setters
/// take as `impl Into<String>`.
fn is_plain_string(api: &Api, ty: &TypeRef) -> bool {
    matches!(super::resolve_alias(api, ty), TypeRef::String)
}

/// A struct and its constructor and setters: one `builder!` invocation
/// (`runtime/builders.rs`) holding the struct as written, then a line per field to build.
/// `attrs` are the type's doc and `deprecated` attributes.
fn struct_def(api: &Api, attrs: TokenStream, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|field| struct_field(api, field));
    let additional = s.additional.as_ref().map(|value| {
        let value = rust_type(api, value, true);
        quote! {
            /// Properties not declared by the schema.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let constructor = constructor(api, s);
    // With nothing required (but consts, which have one value), `new()` takes no
    // arguments and `Default` says the same.
    let default = s
        .fields
        .iter()
        .all(|f| f.is_optional() || is_const(api, &f.ty))
        .then(|| quote!(#[derive(Default)]));
    let any_deprecated = s.fields.iter().any(|f| f.docs.deprecated);
    let allow_deprecated = any_deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        crate::builders::builder!(
            #attrs
            #default
            #allow_deprecated
            pub struct #name {
                #(#fields)*
                #additional
            }
            #constructor
        );
    }
}

/// One field: its docs, serde attributes (wire name, aliases, optionality) and type.
fn struct_field(api: &Api, field: &Field) -> TokenStream {
    let field_name = ident(&field.rust_name);
    let ty = field_type(api, field);
    let doc = field_docs(api, field);
    let mut serde_args = Vec::new();
    let bare = field.rust_name.trim_start_matches("r#");
    if bare != field.wire_name {
        let wire = &field.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    for alias in &field.aliases {
        serde_args.push(quote!(alias = #alias));
    }
    if field.is_optional() {
        serde_args.push(quote!(default));
        if !field.required {
            serde_args.push(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            ));
        }
    }
    let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    let deprecated = field.docs.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        #serde_attr
        pub #field_name: #ty,
    }
}

/// A field's docs: its own text (or its `$ref` type's), then what the generator knows
/// (aliases, server default, read- or write-only).
fn field_docs(api: &Api, field: &Field) -> TokenStream {
    let mut doc = docs(
        field.docs.title.as_deref(),
        field.docs.description.as_deref(),
    );
    if doc.is_empty() {
        // A `$ref` property has no text of its own; borrow its type's.
        if let TypeRef::Named(id) = &field.ty {
            let target = &api.type_def(*id).docs;
            doc = docs(target.title.as_deref(), target.description.as_deref());
        }
    }
    if !field.aliases.is_empty() {
        let names = field
            .aliases
            .iter()
            .map(|a| doc_code_span(a))
            .collect::<Vec<_>>()
            .join(", ");
        doc.extend(doc_attrs(&format!(
            "\nAlso read from {names}, the name some versions of the API use."
        )));
    }
    if let Some(default) = field.default.as_ref().filter(|_| !field.required) {
        // The server applies a default; the client leaves the field out (`None`).
        doc.extend(doc_attrs(&format!(
            "\nWhen left out, the server uses {}.",
            doc_code_span(&default.to_string())
        )));
    }
    if field.read_only {
        doc.extend(doc_attrs("\nSet by the server (read-only)."));
    }
    if field.write_only {
        doc.extend(doc_attrs(
            "\nSent to the server, never returned (write-only).",
        ));
    }
    doc
}

/// Whether `ty` is a one-value const type (which derives `Default`).
fn is_const(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(id) if matches!(api.type_def(*id).kind, TypeKind::Const(_)))
}

/// `new` with the required fields, and a `with_*` setter per optional field, since
/// `#[non_exhaustive]` forbids struct literals outside the crate: the lists of a `builder!`
/// invocation (`runtime/builders.rs`), one line per field.
fn constructor(api: &Api, s: &Struct) -> TokenStream {
    let mut args = Vec::new();
    let mut defaults = Vec::new();
    let mut setters = Vec::new();
    let mut setter_names = crate::naming::Scope::new();
    for field in &s.fields {
        let field_name = ident(&field.rust_name);
        if is_const(api, &field.ty) && !field.is_optional() {
            defaults.push(field_name);
            continue;
        }
        // Boxing is how the type is stored, not something callers should have to do.
        let inner = rust_type(api, &field.ty, true);
        let mode = match (is_plain_string(api, &field.ty), field.boxed) {
            (false, false) => quote!(plain),
            (true, false) => quote!(into),
            (false, true) => quote!(boxed),
            (true, true) => quote!(into_boxed),
        };
        if field.is_optional() {
            let base = field.rust_name.trim_start_matches("r#").trim_matches('_');
            let setter = format_ident!("{}", setter_names.claim(&format!("with_{base}")));
            setters.push(quote!(#mode #setter #field_name: #inner));
        } else {
            args.push(quote!(#mode #field_name: #inner));
        }
    }
    if s.additional.is_some() {
        defaults.push(format_ident!("additional_properties"));
    }
    let args = (!args.is_empty()).then(|| quote!(new(#(#args,)*)));
    let defaults = (!defaults.is_empty()).then(|| quote!(default(#(#defaults,)*)));
    let setters = (!setters.is_empty()).then(|| quote!(with(#(#setters,)*)));
    quote!(#args #defaults #setters)
}

/// A variant's docs: its wire value, then the spec's description of it, if any. Nothing
/// when the enum macro's own doc (the value as a code span, `wire_doc!`) says exactly that:
/// no description, and a value the escaper would print unchanged between backticks.
fn variant_docs(wire: &str, description: Option<&str>) -> TokenStream {
    let code = doc_code_span(wire);
    match description {
        Some(description) => doc_attrs(&format!("{code}: {description}")),
        None if code.strip_prefix('`').and_then(|c| c.strip_suffix('`')) == Some(wire) => {
            TokenStream::new()
        }
        None => doc_attrs(&code),
    }
}

/// One string enum: a `string_enum!` invocation (`runtime/enums.rs`) listing each variant
/// with its wire value. `attrs` are the type's doc and `deprecated` attributes, which the
/// macro puts on the enum.
fn string_enum(
    attrs: TokenStream,
    name: &proc_macro2::Ident,
    values: &[crate::ir::EnumValue],
) -> TokenStream {
    let variants = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = variant_docs(&v.wire, v.docs.as_deref());
        let wire = &v.wire;
        quote!(#doc #variant = #wire,)
    });
    quote!(crate::enums::string_enum!(#attrs #name { #(#variants)* });)
}

/// One integer enum: an `integer_enum!` invocation (`runtime/enums.rs`).
fn integer_enum(
    attrs: TokenStream,
    name: &proc_macro2::Ident,
    values: &[IntegerEnumValue],
) -> TokenStream {
    let variants = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = variant_docs(&v.wire.to_string(), v.docs.as_deref());
        let wire = Literal::i64_unsuffixed(v.wire);
        quote!(#doc #variant = #wire,)
    });
    quote!(crate::enums::integer_enum!(#attrs #name { #(#variants)* });)
}

/// One const type: a line invoking the runtime's `const_type!` (`runtime/consts.rs`).
/// Specs like OpenAI's have over a thousand (`object: "list"`); spelling out their impls
/// each time was a third of that crate's lines.
fn const_def(attrs: TokenStream, name: &proc_macro2::Ident, value: &str) -> TokenStream {
    quote!(crate::consts::const_type!(#attrs #name = #value);)
}

fn union_def(
    api: &Api,
    attrs: TokenStream,
    name: &proc_macro2::Ident,
    union: &Union,
) -> TokenStream {
    let variant_type = |v: &crate::ir::UnionVariant| {
        let ty = rust_type(api, &v.ty, true);
        if v.boxed {
            quote!(::std::boxed::Box<#ty>)
        } else {
            ty
        }
    };
    if let Some(tag) = &union.tag {
        return tagged_union(attrs, name, union, tag, variant_type);
    }
    let variants = union.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = variant_type(v);
        quote!(#variant(#ty),)
    });
    quote! {
        crate::unions::untagged_union!(
            #attrs
            #name {
                #(#variants)*
            }
        );
    }
}

/// A union with a `discriminator`: a `tagged_union!` invocation (`runtime/unions.rs`) with a
/// line per variant and its tag values. It is serialized as the variant itself and
/// deserialized by reading the tag first and decoding only the variant it names, so
/// errors speak about that variant instead of "did not match any variant".
fn tagged_union(
    attrs: TokenStream,
    name: &proc_macro2::Ident,
    union: &Union,
    tag: &str,
    variant_type: impl Fn(&crate::ir::UnionVariant) -> TokenStream,
) -> TokenStream {
    let variants = union.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let values = &v.tag_values;
        let mode = if v.boxed {
            quote!(boxed)
        } else {
            quote!(plain)
        };
        let ty = variant_type(v);
        quote!(#(#values)|* => #mode #variant(#ty),)
    });
    quote! {
        crate::unions::tagged_union!(
            #attrs
            #name by #tag {
                #(#variants)*
            }
        );
    }
}
