//! IR → Rust source files: the only code that uses `quote`. Each submodule writes one
//! kind of file; helpers shared by them (types, idents, doc comments) live here.

mod crate_files;
mod mock;
mod models;
mod operations;
mod runtime;

pub(crate) use runtime::FILES as RUNTIME_FILES;

use crate::ir::{Api, IntegerFormat, NumberFormat, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// One file of the client crate, from formatting on: the only file type after `emit`.
/// `format` makes it, `write::with_header` prepends the header, `write` puts it on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the output directory, `/`-separated.
    pub path: String,
    pub kind: FileKind,
    pub contents: String,
}

/// What a file holds, which decides the comment syntax of its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Rust,
    Toml,
    Markdown,
}

impl FileKind {
    /// The kind the generator would write under this file name (by extension), if any.
    pub fn of_file_name(name: &str) -> Option<FileKind> {
        let (_, extension) = name.rsplit_once('.')?;
        match extension {
            "rs" => Some(FileKind::Rust),
            "toml" => Some(FileKind::Toml),
            "md" => Some(FileKind::Markdown),
            _ => None,
        }
    }
}

/// One file as `emit` leaves it: final text, or Rust still to be formatted.
pub(crate) struct EmittedFile<'a> {
    pub path: String,
    pub kind: FileKind,
    pub source: Source<'a>,
}

/// The contents of an [`EmittedFile`], before formatting.
pub(crate) enum Source<'a> {
    /// Text that is written as it is (TOML, Markdown, the runtime's Rust).
    Text(String),
    /// One Rust file's tokens.
    Rust(TokenStream),
    /// A Rust file of `count` independent items after `head`. Token streams cannot cross
    /// threads, so the items are quoted by the formatting phase, on the thread that
    /// formats them.
    RustItems {
        head: TokenStream,
        count: usize,
        item: Box<dyn Fn(usize) -> TokenStream + Sync + 'a>,
    },
}

/// Emits every file of the client crate, sorted by path; `format::format` turns them
/// into text.
pub(crate) fn emit(api: &Api) -> Vec<EmittedFile<'_>> {
    let text = |path: &str, kind, contents| EmittedFile {
        path: path.to_string(),
        kind,
        source: Source::Text(contents),
    };
    let rust = |path: &str, tokens| EmittedFile {
        path: path.to_string(),
        kind: FileKind::Rust,
        source: Source::Rust(tokens),
    };
    let mut files = vec![
        text("Cargo.toml", FileKind::Toml, crate_files::cargo_toml(api)),
        text("README.md", FileKind::Markdown, crate_files::readme(api)),
        rust("src/lib.rs", crate_files::lib_rs(api)),
        rust("src/config.rs", crate_files::config_rs(api)),
        EmittedFile {
            path: "src/models.rs".into(),
            kind: FileKind::Rust,
            source: Source::RustItems {
                head: models::models_head(),
                count: api.types.len(),
                item: Box::new(move |i| models::model_item(api, i)),
            },
        },
        EmittedFile {
            path: "src/operations.rs".into(),
            kind: FileKind::Rust,
            source: Source::RustItems {
                head: operations::operations_head(),
                count: api.operations.len(),
                item: Box::new(move |i| operations::operation_items(api, i)),
            },
        },
        rust("src/mock.rs", mock::mock_rs(api)),
    ];
    for (name, source) in runtime::FILES {
        files.push(text(
            &format!("src/{name}"),
            FileKind::Rust,
            source.to_string(),
        ));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Follows named aliases (`pub type X = Y;`) to the type they stand for, so parameters
/// and samples typed by an alias behave like its target.
pub(crate) fn resolve_alias<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    // Alias chains are short; the bound only guards against a cycle lowering let through.
    for _ in 0..16 {
        match ty {
            TypeRef::Named(id) => match &api.type_def(*id).kind {
                crate::ir::TypeKind::Alias(target) => ty = target,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// An identifier, raw when the name is written `r#...`.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for a use of `ty`. Inside the models module, sibling types are named
/// bare; elsewhere through `crate::models`.
pub(crate) fn rust_type(api: &Api, ty: &TypeRef, from_models: bool) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&api.type_def(*id).name);
            if from_models {
                quote!(#name)
            } else {
                quote!(crate::models::#name)
            }
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer(IntegerFormat::I32) => quote!(i32),
        TypeRef::Integer(IntegerFormat::I64) => quote!(i64),
        TypeRef::Integer(IntegerFormat::U32) => quote!(u32),
        TypeRef::Integer(IntegerFormat::U64) => quote!(u64),
        TypeRef::Number(NumberFormat::F32) => quote!(f32),
        TypeRef::Number(NumberFormat::F64) => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Array(item) => {
            let item = rust_type(api, item, from_models);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(api, value, from_models);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(api, inner, from_models);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
    }
}

/// Makes a spec description safe for rustdoc: code fences become `text` blocks, so a
/// spec's example is never compiled as a Rust doctest, and an unclosed fence is closed.
pub(crate) fn sanitize_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for line in text.trim_end().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            let indent = &line[..line.len() - trimmed.len()];
            if in_fence {
                out.push_str(indent);
                out.push_str("```");
            } else {
                out.push_str(indent);
                out.push_str("```text");
            }
            in_fence = !in_fence;
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out
}

fn doc_lines(text: &str) -> Vec<String> {
    text.trim_end()
        .lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Outer `#[doc]` attributes for text the generator wrote (spec text goes through
/// [`sanitize_markdown`] first, usually via [`docs`]).
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Inner `#![doc]` attributes, for a module's own docs.
pub(crate) fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// Docs from a spec's optional title and description, separated by a blank line.
pub(crate) fn docs(title: Option<&str>, description: Option<&str>) -> TokenStream {
    doc_attrs(&sanitize_markdown(&docs_text(title, description)))
}

fn docs_text(title: Option<&str>, description: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(title) = title {
        text.push_str(title);
    }
    if let Some(description) = description {
        if !text.is_empty() && description.trim() != text.trim() {
            text.push_str("\n\n");
            text.push_str(description);
        } else if text.is_empty() {
            text.push_str(description);
        }
    }
    text
}
