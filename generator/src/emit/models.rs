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
    type_def(api, &api.types[index])
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
        TypeKind::Struct(s) => struct_def(api, &name, s),
        TypeKind::StringEnum(values) => string_enum(&name, values),
        TypeKind::IntegerEnum(values) => integer_enum(&name, values),
        TypeKind::Const(value) => {
            // Attributes go inside the macro call: on the call itself they would be unused.
            return const_def(quote!(#doc #deprecated), &name, value);
        }
        TypeKind::Union(union) => union_def(api, &name, union),
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

/// Whether `ty` is a string-valued enum or const whose Rust name should be usable with
/// `impl Into<..>` (plain strings are).
fn is_plain_string(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String)
}

fn struct_def(api: &Api, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|field| {
        let field_name = ident(&field.rust_name);
        let ty = field_type(api, field);
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
    });
    let additional = s.additional.as_ref().map(|value| {
        let value = rust_type(api, value, true);
        quote! {
            /// Properties not declared by the schema.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let constructor = constructor(api, name, s);
    // With nothing required (but consts, which have one value), `new()` takes no
    // arguments and `Default` says the same.
    let default = s
        .fields
        .iter()
        .all(|f| f.is_optional() || is_const(api, &f.ty))
        .then(|| quote!(Default,));
    let any_deprecated = s.fields.iter().any(|f| f.docs.deprecated);
    let allow_deprecated = any_deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #[derive(Clone, Debug, #default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        #allow_deprecated
        pub struct #name {
            #(#fields)*
            #additional
        }
        #constructor
    }
}

/// Whether `ty` is a one-value const type (which derives `Default`).
fn is_const(api: &Api, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(id) if matches!(api.type_def(*id).kind, TypeKind::Const(_)))
}

/// `new` with the required fields, and a `with_*` setter per optional field, since
/// `#[non_exhaustive]` forbids struct literals outside the crate.
fn constructor(api: &Api, name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    let mut setter_names = crate::naming::Scope::new();
    for field in &s.fields {
        let field_name = ident(&field.rust_name);
        if is_const(api, &field.ty) && !field.is_optional() {
            inits.push(quote!(#field_name: ::std::default::Default::default()));
            continue;
        }
        // Boxing is how the type is stored, not something callers should have to do.
        let inner = rust_type(api, &field.ty, true);
        let boxed = field.boxed;
        let store = |value: TokenStream| {
            if boxed {
                quote!(::std::boxed::Box::new(#value))
            } else {
                value
            }
        };
        if field.is_optional() {
            inits.push(quote!(#field_name: ::std::option::Option::None));
            let base = field.rust_name.trim_start_matches("r#").trim_matches('_');
            let setter = format_ident!("{}", setter_names.claim(&format!("with_{base}")));
            let doc = format!(" Sets {}.", doc_code_span(&field.wire_name));
            let (param_ty, value) = if is_plain_string(&field.ty) {
                (
                    quote!(impl ::std::convert::Into<::std::string::String>),
                    store(quote!(value.into())),
                )
            } else {
                (inner.clone(), store(quote!(value)))
            };
            setters.push(quote! {
                #[doc = #doc]
                pub fn #setter(mut self, value: #param_ty) -> Self {
                    self.#field_name = ::std::option::Option::Some(#value);
                    self
                }
            });
        } else if is_plain_string(&field.ty) {
            args.push(quote!(#field_name: impl ::std::convert::Into<::std::string::String>));
            let value = store(quote!(#field_name.into()));
            inits.push(quote!(#field_name: #value));
        } else {
            args.push(quote!(#field_name: #inner));
            if boxed {
                inits.push(quote!(#field_name: ::std::boxed::Box::new(#field_name)));
            } else {
                inits.push(quote!(#field_name));
            }
        }
    }
    if s.additional.is_some() {
        inits.push(quote!(additional_properties: ::std::collections::BTreeMap::new()));
    }
    let allow_deprecated = s
        .fields
        .iter()
        .any(|f| f.docs.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #allow_deprecated
        impl #name {
            /// Creates a value with the required fields; optional fields start empty.
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

fn string_enum(name: &proc_macro2::Ident, values: &[crate::ir::EnumValue]) -> TokenStream {
    let taken: Vec<&str> = values.iter().map(|v| v.rust_name.as_str()).collect();
    let unknown = if taken.contains(&"Unknown") {
        format_ident!("UnknownValue")
    } else {
        format_ident!("Unknown")
    };
    let variants = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = format!(" {}", doc_code_span(&v.wire.to_string()));
        quote!(#[doc = #doc] #variant,)
    });
    let as_str = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    let from_str = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.wire;
        quote!(#wire => ::std::option::Option::Some(Self::#variant),)
    });
    let expecting = format!("a {name} string");
    quote! {
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet: the API added it after the client
            /// was generated.
            #unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#unknown(value) => value.as_str(),
                }
            }

            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    #(#from_str)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::#unknown(value.to_owned()))
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::known(&value).unwrap_or(#name::#unknown(value)))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    }
}

fn integer_enum(name: &proc_macro2::Ident, values: &[IntegerEnumValue]) -> TokenStream {
    let variants = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = format!(" {}", doc_code_span(&v.wire.to_string()));
        quote!(#[doc = #doc] #variant,)
    });
    let to_wire = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = Literal::i64_unsuffixed(v.wire);
        quote!(Self::#variant => #wire,)
    });
    let from_wire = values.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = Literal::i64_unsuffixed(v.wire);
        quote!(#wire => Self::#variant,)
    });
    quote! {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet.
            Unknown(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(#to_wire)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// One const type: a line invoking the runtime's `const_type!` (`runtime/consts.rs`).
/// Specs like OpenAI's have over a thousand (`object: "list"`); spelling out their impls
/// each time was a third of that crate's lines.
fn const_def(attrs: TokenStream, name: &proc_macro2::Ident, value: &str) -> TokenStream {
    quote!(crate::consts::const_type!(#attrs #name = #value);)
}

fn union_def(api: &Api, name: &proc_macro2::Ident, union: &Union) -> TokenStream {
    let variants = union.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let mut ty = rust_type(api, &v.ty, true);
        if v.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        quote!(#variant(#ty),)
    });
    if let Some(tag) = &union.tag {
        return tagged_union(name, union, tag, variants);
    }
    quote! {
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// A union with a `discriminator`: serialized as the variant itself (each variant keeps
/// its tag property as a field, which serde's internally tagged enums would strip), and
/// deserialized by reading the tag first and decoding only the variant it names, so
/// errors speak about that variant instead of "did not match any variant".
fn tagged_union(
    name: &proc_macro2::Ident,
    union: &Union,
    tag: &str,
    variants: impl Iterator<Item = TokenStream>,
) -> TokenStream {
    let arms = union.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let values = &v.tag_values;
        let wrap = if v.boxed {
            quote!(|value| Self::#variant(::std::boxed::Box::new(value)))
        } else {
            quote!(Self::#variant)
        };
        quote! {
            #(#values)|* => ::serde_json::from_value(value).map(#wrap).map_err(::serde::de::Error::custom),
        }
    });
    let expected: Vec<&String> = union.variants.iter().flat_map(|v| &v.tag_values).collect();
    quote! {
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                const TAGS: &[&str] = &[#(#expected),*];
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = match value.get(#tag).and_then(::serde_json::Value::as_str) {
                    ::std::option::Option::Some(tag) => tag.to_owned(),
                    ::std::option::Option::None => return ::std::result::Result::Err(::serde::de::Error::missing_field(#tag)),
                };
                match tag.as_str() {
                    #(#arms)*
                    other => ::std::result::Result::Err(::serde::de::Error::unknown_variant(other, TAGS)),
                }
            }
        }
    }
}
