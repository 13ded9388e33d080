//! IR → Rust source files: the only code that uses `quote`. Each submodule writes one
//! kind of file; helpers shared by them (types, idents, doc comments) live here.

mod crate_files;
mod mock;
mod models;
mod operations;
mod runtime;

pub(crate) use runtime::FILES as RUNTIME_FILES;

use crate::ir::{Api, Gate, IntegerFormat, NumberFormat, TypeRef};
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

/// The `#[cfg(...)]` that compiles an item only with its features, or nothing for an
/// item every build has. Feature names hold only `[a-z0-9-]` (`naming::feature_name`).
pub(crate) fn gate_attr(api: &Api, gate: &Gate) -> Option<TokenStream> {
    let Gate::AnyOf(indices) = gate else {
        return None;
    };
    let names = indices.iter().map(|&i| api.features[i].name.as_str());
    Some(match indices.as_slice() {
        [_] => quote!(#[cfg(#(feature = #names)*)]),
        _ => quote!(#[cfg(any(#(feature = #names),*))]),
    })
}

/// `items` with the gate's attribute on each of them (a type or operation is several
/// items: the definition and its impls).
pub(crate) fn gated(api: &Api, gate: &Gate, items: TokenStream) -> TokenStream {
    let Some(attr) = gate_attr(api, gate) else {
        return items;
    };
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => {
            let items = file.items.iter();
            quote!(#(#attr #items)*)
        }
        // Code that does not parse is reported by the formatting phase, with context.
        Err(_) => items,
    }
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
                head: operations::operations_head(api),
                count: api.operations.len(),
                item: Box::new(move |i| operations::operation_items(api, i)),
            },
        },
        rust("src/mock.rs", mock::mock_rs(api)),
    ];
    for (name, source) in runtime::FILES {
        if !runtime::needed(name, api) {
            continue;
        }
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
        TypeRef::UnixTime => quote!(crate::time::UnixTime),
        TypeRef::DateTime => quote!(::jiff::Timestamp),
        TypeRef::Date => quote!(::jiff::civil::Date),
    }
}

/// Makes spec Markdown inert for rustdoc (see [`crate::escape::doc_markdown`]). Every
/// doc helper below applies it to all of its text, so calling it first is optional.
pub(crate) fn sanitize_markdown(text: &str) -> String {
    crate::escape::doc_markdown(text)
}

pub(crate) use crate::escape::{doc_code_span, markdown_text};

/// The one path from text to doc lines: all of it is made inert first, so nothing the
/// spec wrote (or the generator quoted from it) can become a doctest.
fn doc_lines(text: &str) -> Vec<String> {
    lines_of(&crate::escape::doc_markdown(text))
}

fn lines_of(markdown: &str) -> Vec<String> {
    markdown
        .trim_end()
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

/// Outer `#[doc]` attributes. Spec text may be part of `text`: it is sanitized here.
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Outer `#[doc]` attributes ending in the generator's own compiled (`no_run`) example:
/// the only code block the output contains. `text` is sanitized like [`doc_attrs`];
/// `example` is Rust the generator wrote, never spec text (spec values in it are Rust
/// string literals), and its fence is longer than any backtick run inside.
pub(crate) fn doc_attrs_with_example(text: &str, example: Option<&str>) -> TokenStream {
    let lines = lines_with_example(text, example);
    quote!(#(#[doc = #lines])*)
}

fn lines_with_example(text: &str, example: Option<&str>) -> Vec<String> {
    let mut lines = doc_lines(text);
    if let Some(code) = example {
        let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat((longest + 1).max(3));
        let mut block = format!("\n# Example\n\n{fence}no_run\n");
        block.push_str(&crate::escape::visible_controls(code.trim_end()));
        block.push('\n');
        block.push_str(&fence);
        lines.extend(lines_of(&block));
    }
    lines
}

/// Inner `#![doc]` attributes, for a module's own docs; sanitized like [`doc_attrs`].
pub(crate) fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// Docs from a spec's optional title and description, separated by a blank line.
pub(crate) fn docs(title: Option<&str>, description: Option<&str>) -> TokenStream {
    doc_attrs(&docs_text(title, description))
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

#[cfg(test)]
mod tests {
    use super::*;
    /// The info strings of the code blocks rustdoc would see in these doc lines.
    fn code_blocks(lines: &[String]) -> Vec<String> {
        let markdown: Vec<&str> = lines
            .iter()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect();
        pulldown_cmark::Parser::new(&markdown.join("\n"))
            .filter_map(|event| match event {
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(kind)) => {
                    Some(match kind {
                        pulldown_cmark::CodeBlockKind::Fenced(info) => info.to_string(),
                        pulldown_cmark::CodeBlockKind::Indented => "(indented)".to_string(),
                    })
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_generator_example_is_the_only_compiled_block() {
        let spec_text = "Summary.\n\n```no_run\nboom();\n```\n\n    indented();\n\n~~~\nopen";
        let example = "let client = x::Client::from_env()?;\nlet s = \"```\";\n";
        let lines = lines_with_example(spec_text, Some(example));
        assert_eq!(code_blocks(&lines), ["text", "text", "text", "no_run"]);
        // The example keeps its text, backticks included, inside a longer fence.
        assert!(lines.iter().any(|l| l == " ````no_run"), "{lines:?}");
        assert!(lines.iter().any(|l| l == " let s = \"```\";"), "{lines:?}");
        // Without an example, nothing is compiled at all.
        assert_eq!(
            code_blocks(&lines_with_example(spec_text, None)),
            ["text"; 3]
        );
        assert_eq!(code_blocks(&doc_lines(spec_text)), ["text"; 3]);
    }
}
