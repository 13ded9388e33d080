//! IR → Rust source files: the only code that uses `quote`. Each submodule writes one
//! kind of file; helpers shared by them (types, idents, doc comments) live here.

mod crate_files;
mod mock;
mod models;
mod operations;
mod runtime;

use crate::error::{Error, Result};
use crate::ir::{Api, IntegerFormat, NumberFormat, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// One output file, relative to the output directory, before the `@generated` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmittedFile {
    pub path: String,
    pub contents: String,
    pub kind: FileKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Rust,
    Toml,
    Markdown,
}

/// Emits every file of the client crate.
pub fn emit(api: &Api) -> Result<Vec<EmittedFile>> {
    let mut files = vec![
        EmittedFile {
            path: "Cargo.toml".into(),
            contents: crate_files::cargo_toml(api),
            kind: FileKind::Toml,
        },
        EmittedFile {
            path: "README.md".into(),
            contents: crate_files::readme(api),
            kind: FileKind::Markdown,
        },
        rust_file("src/lib.rs", crate_files::lib_rs(api))?,
        rust_file("src/config.rs", crate_files::config_rs(api))?,
        items_file(
            "src/models.rs",
            models::models_head(),
            api.types.len(),
            &|i| models::model_item(api, i),
            threads(),
        )?,
        items_file(
            "src/operations.rs",
            operations::operations_head(),
            api.operations.len(),
            &|i| operations::operation_items(api, i),
            threads(),
        )?,
        rust_file("src/mock.rs", mock::mock_rs(api))?,
    ];
    for (name, source) in runtime::FILES {
        files.push(EmittedFile {
            path: format!("src/{name}"),
            contents: source.to_string(),
            kind: FileKind::Rust,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Parses emitted tokens as a file and pretty-prints them.
fn rust_file(path: &str, tokens: TokenStream) -> Result<EmittedFile> {
    let started = std::time::Instant::now();
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::InvalidOutput {
        file: path.to_string(),
        message: e.to_string(),
    })?;
    let contents = space_items(&prettyplease::unparse(&file));
    FORMAT_TIME.with(|t| t.set(t.get() + started.elapsed()));
    Ok(EmittedFile {
        path: path.to_string(),
        contents,
        kind: FileKind::Rust,
    })
}

/// Threads for formatting large files: the machine's parallelism, at most 8.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Emits and formats a file of independent items on up to `threads` threads. Each
/// thread quotes, parses and pretty-prints a contiguous run of items (token streams
/// cannot cross threads, so each run is made where it is formatted); the runs are
/// joined in order, so the bytes do not depend on the number of threads.
fn items_file(
    path: &str,
    head: TokenStream,
    count: usize,
    item: &(dyn Fn(usize) -> TokenStream + Sync),
    threads: usize,
) -> Result<EmittedFile> {
    let mut contents = format_tokens(path, head)?;
    // Small files are not worth a thread.
    let threads = threads.clamp(1, count.div_ceil(64).max(1));
    let run = count.div_ceil(threads).max(1);
    let runs: Vec<Result<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = (t * run).min(count)..((t + 1) * run).min(count);
                // Deeply nested types recurse deeply in syn and prettyplease.
                std::thread::Builder::new()
                    .stack_size(crate::limits::FORMAT_STACK_BYTES)
                    .spawn_scoped(scope, move || {
                        let tokens: TokenStream = range.map(item).collect();
                        format_tokens(path, tokens)
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle.map(|h| h.join()) {
                // Worker threads emit and format at once, so `--timings` counts their
                // wall time under emit; "format" is the formatting on this thread.
                Ok(Ok(text)) => text,
                Ok(Err(_)) => Err(Error::InvalidOutput {
                    file: path.to_string(),
                    message: "emitting the file panicked".to_string(),
                }),
                Err(e) => Err(Error::InvalidOutput {
                    file: path.to_string(),
                    message: format!("cannot start a formatting thread: {e}"),
                }),
            })
            .collect()
    });
    for run in runs {
        contents.push_str(&run?);
    }
    Ok(EmittedFile {
        path: path.to_string(),
        contents: space_items(&contents),
        kind: FileKind::Rust,
    })
}

/// Tokens → `syn` → prettyplease text (without the blank lines between items).
fn format_tokens(path: &str, tokens: TokenStream) -> Result<String> {
    let started = std::time::Instant::now();
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::InvalidOutput {
        file: path.to_string(),
        message: e.to_string(),
    })?;
    let text = prettyplease::unparse(&file);
    FORMAT_TIME.with(|t| t.set(t.get() + started.elapsed()));
    Ok(text)
}

thread_local! {
    /// Time spent formatting (tokens → `syn` → prettyplease) on this thread, for `--timings`.
    static FORMAT_TIME: std::cell::Cell<std::time::Duration> = const {
        std::cell::Cell::new(std::time::Duration::ZERO)
    };
}

/// The formatting time accumulated on this thread since the last call, which resets it.
pub(crate) fn take_format_time() -> std::time::Duration {
    FORMAT_TIME.with(|t| t.replace(std::time::Duration::ZERO))
}

/// Puts a blank line between items, which prettyplease leaves out, so the files read
/// like hand-written ones. Only whitespace changes.
fn space_items(source: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///", "#[", "pub ", "pub(", "impl ", "impl<", "fn ", "struct ", "enum ", "const ",
        "type ", "mod ", "use ",
    ];
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut previous: Option<&str> = None;
    for line in source.lines() {
        if let Some(prev) = previous {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let body = line.trim_start();
            let ends_item =
                prev.trim() == "}" || (prev.trim_end().ends_with(';') && indent(prev) == 0);
            if ends_item
                && indent(prev) == indent(line)
                && ITEM_STARTS.iter().any(|s| body.starts_with(s))
            {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use quote::format_ident;

    fn item(i: usize) -> TokenStream {
        let name = format_ident!("Item{i}");
        quote! {
            /// An item.
            pub struct #name { pub value: i64 }
            impl #name { pub fn get(&self) -> i64 { self.value } }
        }
    }

    #[test]
    fn items_files_do_not_depend_on_the_thread_count() {
        let head = quote!(//! Items.
        );
        let one = items_file("x.rs", head.clone(), 300, &item, 1).unwrap();
        for threads in [2, 3, 8] {
            let many = items_file("x.rs", head.clone(), 300, &item, threads).unwrap();
            assert_eq!(one, many, "{threads} threads");
        }
        assert!(one.contents.contains("pub struct Item299"));
    }
}
