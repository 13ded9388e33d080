//! The formatting phase: emitted files → final text. Rust tokens go through `syn` and
//! prettyplease (plus blank lines between items); every text gets `\n` line endings. It
//! returns the time it took instead of hiding it in a thread-local.

use crate::emit::{EmittedFile, GeneratedFile, Source};
use crate::error::{Error, Result};
use proc_macro2::TokenStream;
use std::time::{Duration, Instant};

/// The formatted files and where the phase's wall time went.
#[derive(Debug)]
pub(crate) struct Formatted {
    pub files: Vec<GeneratedFile>,
    /// Tokens → `syn` → prettyplease text.
    pub format_time: Duration,
    /// Quoting the items of [`Source::RustItems`] files, which happens here because
    /// their tokens must be made on the thread that formats them.
    pub emit_time: Duration,
}

/// Formats every file, using up to the machine's parallelism (at most 8 threads) for
/// large item files. The bytes never depend on the number of threads.
pub(crate) fn format(files: Vec<EmittedFile<'_>>) -> Result<Formatted> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    format_on(files, threads)
}

fn format_on(files: Vec<EmittedFile<'_>>, threads: usize) -> Result<Formatted> {
    let mut formatted = Formatted {
        files: Vec::with_capacity(files.len()),
        format_time: Duration::ZERO,
        emit_time: Duration::ZERO,
    };
    for file in files {
        let contents = match file.source {
            // Runtime files are included from the generator's checkout, which may have
            // CRLF line endings; output must be the same bytes on every machine.
            Source::Text(text) => text.replace("\r\n", "\n"),
            Source::Rust(tokens) => {
                let started = Instant::now();
                let text = space_items(&join_feature_gates(&rust_text(&file.path, tokens)?));
                formatted.format_time += started.elapsed();
                text
            }
            Source::RustItems { head, count, item } => {
                let items = items_text(&file.path, head, count, &*item, threads)?;
                formatted.format_time += items.format_time;
                formatted.emit_time += items.emit_time;
                items.text
            }
        };
        formatted.files.push(GeneratedFile {
            path: file.path,
            kind: file.kind,
            contents,
        });
    }
    Ok(formatted)
}

/// Tokens → `syn` → prettyplease text (without the blank lines between items).
fn rust_text(path: &str, tokens: TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::InvalidOutput {
        file: path.to_string(),
        message: e.to_string(),
    })?;
    Ok(unparse(file))
}

/// prettyplease, except for the runtime's macro invocations (`string_enum!`,
/// `integer_enum!`, `builder!`, `tagged_union!`, `untagged_union!`): prettyplease prints a
/// macro's input as a wrapped run of tokens, so an enum read as one dense block of
/// `#[doc = …]` attributes. They are printed the way a person writes them instead: docs as
/// `///` lines, one variant or field per line.
fn unparse(file: syn::File) -> String {
    if !file.items.iter().any(|item| runtime_macro(item).is_some()) {
        return prettyplease::unparse(&file);
    }
    let mut out = String::new();
    let mut run = syn::File {
        shebang: None,
        attrs: file.attrs,
        items: Vec::new(),
    };
    for item in file.items {
        match print_runtime_macro(&item) {
            Some(text) => {
                if !run.items.is_empty() || !run.attrs.is_empty() {
                    out.push_str(&prettyplease::unparse(&run));
                    run.attrs.clear();
                    run.items.clear();
                }
                out.push_str(&text);
            }
            None => run.items.push(item),
        }
    }
    if !run.items.is_empty() || !run.attrs.is_empty() {
        out.push_str(&prettyplease::unparse(&run));
    }
    out
}

/// The item and the macro's name when it invokes a macro with no attributes but feature
/// gates: the shape of every runtime macro invocation.
fn runtime_macro(item: &syn::Item) -> Option<(&syn::ItemMacro, String)> {
    let syn::Item::Macro(item) = item else {
        return None;
    };
    let last = item.mac.path.segments.last()?.ident.to_string();
    only_cfg(&item.attrs).then_some((item, last))
}

/// The item printed by the custom printer of its runtime macro, or `None` when it is no
/// such invocation or not of the shape that printer knows (then prettyplease prints it).
fn print_runtime_macro(item: &syn::Item) -> Option<String> {
    let (item, name) = runtime_macro(item)?;
    match name.as_str() {
        "string_enum" | "integer_enum" => print_enum_macro(item),
        "builder" => print_builder_macro(item),
        "tagged_union" | "untagged_union" => print_union_macro(item),
        _ => None,
    }
}

/// The invocation's input tokens, and its text so far: the feature gates, then `path!(`.
fn macro_opening(item: &syn::ItemMacro) -> Option<(Vec<proc_macro2::TokenTree>, String)> {
    let path = item
        .mac
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    let mut out = cfg_lines(item)?;
    out.push_str(&format!("{path}!(\n"));
    Some((item.mac.tokens.clone().into_iter().collect(), out))
}

/// `path!(attrs Name { attrs Variant = value, ... });` on separate lines, or `None` when
/// the input is not of that shape (then prettyplease prints it).
fn print_enum_macro(item: &syn::ItemMacro) -> Option<String> {
    use proc_macro2::TokenTree;
    let (tokens, mut out) = macro_opening(item)?;
    let mut at = print_attributes(&tokens, "    ", &mut out)?;
    let TokenTree::Ident(name) = tokens.get(at)? else {
        return None;
    };
    let TokenTree::Group(body) = tokens.get(at + 1)? else {
        return None;
    };
    if tokens.len() != at + 2 || body.delimiter() != proc_macro2::Delimiter::Brace {
        return None;
    }
    out.push_str(&format!("    {name} {{\n"));
    let variants: Vec<TokenTree> = body.stream().into_iter().collect();
    at = 0;
    while at < variants.len() {
        at = at + print_attributes(&variants[at..], "        ", &mut out)?;
        let TokenTree::Ident(variant) = variants.get(at)? else {
            return None;
        };
        let TokenTree::Punct(equals) = variants.get(at + 1)? else {
            return None;
        };
        if equals.as_char() != '=' {
            return None;
        }
        // A value is a literal, or `-` and a literal.
        let mut value = String::new();
        at += 2;
        while let Some(token) = variants.get(at) {
            match token {
                TokenTree::Punct(p) if p.as_char() == ',' => break,
                TokenTree::Punct(p) if p.as_char() == '-' => value.push('-'),
                TokenTree::Literal(literal) => value.push_str(&literal.to_string()),
                _ => return None,
            }
            at += 1;
        }
        at += 1; // the comma
        out.push_str(&format!("        {variant} = {value},\n"));
    }
    out.push_str("    }\n);\n");
    Some(out)
}

/// `path!(attrs Name by "tag" { "value" | .. => mode Variant(Type), .. });` (`tagged_union!`)
/// or `path!(attrs Name { Variant(Type), .. });` (`untagged_union!`) with a variant per line,
/// or `None` when the input is not of that shape (then prettyplease prints it).
fn print_union_macro(item: &syn::ItemMacro) -> Option<String> {
    use proc_macro2::{Delimiter, TokenTree};
    let (tokens, mut out) = macro_opening(item)?;
    let at = print_attributes(&tokens, "    ", &mut out)?;
    let TokenTree::Ident(name) = tokens.get(at)? else {
        return None;
    };
    let (tag, body) = match (tokens.get(at + 1)?, tokens.get(at + 2), tokens.get(at + 3)) {
        (TokenTree::Group(body), None, None) => (String::new(), body),
        (TokenTree::Ident(by), Some(TokenTree::Literal(tag)), Some(TokenTree::Group(body)))
            if by == "by" && tokens.len() == at + 4 =>
        {
            (format!(" by {tag}"), body)
        }
        _ => return None,
    };
    if body.delimiter() != Delimiter::Brace {
        return None;
    }
    out.push_str(&format!("    {name}{tag} {{\n"));
    let variants: Vec<TokenTree> = body.stream().into_iter().collect();
    let mut at = 0;
    while at < variants.len() {
        // A tagged variant's values: literals separated by `|`, up to `=>`.
        let mut values = Vec::new();
        while let TokenTree::Literal(value) = &variants[at] {
            values.push(value.to_string());
            match (variants.get(at + 1)?, variants.get(at + 2)?) {
                (TokenTree::Punct(p), _) if p.as_char() == '|' => at += 2,
                (TokenTree::Punct(eq), TokenTree::Punct(gt))
                    if eq.as_char() == '=' && gt.as_char() == '>' =>
                {
                    at += 3;
                    break;
                }
                _ => return None,
            }
        }
        if values.is_empty() != tag.is_empty() {
            return None;
        }
        // `mode Variant(Type)` or `Variant(Type)`: the type's group holds its commas.
        let end = at
            + variants
                .get(at..)?
                .iter()
                .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))?;
        let variant = type_text(&variants[at..end])?;
        if values.is_empty() {
            out.push_str(&format!("        {variant},\n"));
        } else {
            out.push_str(&format!("        {} => {variant},\n", values.join(" | ")));
        }
        at = end + 1;
    }
    out.push_str("    }\n);\n");
    Some(out)
}

/// prettyplease's line width, which the custom printers keep to where they choose.
const LINE_WIDTH: usize = 100;

/// Whether a macro item's own attributes are feature gates only (which the custom
/// printers write on one line each, before the invocation).
fn only_cfg(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().all(|attr| attr.path().is_ident("cfg"))
}

/// The item's `#[cfg(..)]` lines.
fn cfg_lines(item: &syn::ItemMacro) -> Option<String> {
    let mut out = String::new();
    for attr in &item.attrs {
        let tokens: Vec<proc_macro2::TokenTree> = quote::ToTokens::to_token_stream(&attr.meta)
            .into_iter()
            .collect();
        out.push_str(&format!("#[{}]\n", type_text(&tokens)?));
    }
    Some(out)
}

/// `path!(attrs pub struct Name { .. } new(..) default(..) with(..));`: the struct as
/// prettyplease prints it, indented, then one entry per line; or `None` when the input is
/// not of that shape (then prettyplease prints it).
fn print_builder_macro(item: &syn::ItemMacro) -> Option<String> {
    use proc_macro2::{Delimiter, TokenTree};
    let (tokens, mut out) = macro_opening(item)?;
    // The struct ends at the first brace group: attributes hold only `[]` groups.
    let struct_end = tokens
        .iter()
        .position(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace))?;
    let definition: syn::ItemStruct =
        syn::parse2(tokens[..=struct_end].iter().cloned().collect()).ok()?;
    // Indenting is safe only where every line is code or a `///` line: a doc holding a
    // line break prints as a `/** */` block, whose lines the indent would change.
    let multi_line_doc = |attrs: &[syn::Attribute]| {
        attrs.iter().any(|attr| match &attr.meta {
            syn::Meta::NameValue(doc) if doc.path.is_ident("doc") => !matches!(
                &doc.value,
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })
                    if !text.value().contains(['\n', '\r'])
            ),
            _ => false,
        })
    };
    if multi_line_doc(&definition.attrs)
        || definition.fields.iter().any(|f| multi_line_doc(&f.attrs))
    {
        return None;
    }
    let definition = prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Struct(definition)],
    });
    for line in definition.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("    {line}\n"));
        }
    }
    let sections = &tokens[struct_end + 1..];
    if sections.len() % 2 != 0 {
        return None;
    }
    for pair in sections.chunks(2) {
        let (TokenTree::Ident(section), TokenTree::Group(list)) = (&pair[0], &pair[1]) else {
            return None;
        };
        if list.delimiter() != Delimiter::Parenthesis {
            return None;
        }
        // Entries are separated by top-level commas (types hold none outside groups,
        // except between generic arguments, which are inside `<>`: tracked by depth).
        let mut entries = Vec::new();
        let mut entry = Vec::new();
        let mut angle_depth = 0usize;
        for token in list.stream() {
            match &token {
                TokenTree::Punct(p) if p.as_char() == '<' => angle_depth += 1,
                TokenTree::Punct(p) if p.as_char() == '>' => {
                    angle_depth = angle_depth.checked_sub(1)?
                }
                TokenTree::Punct(p) if p.as_char() == ',' && angle_depth == 0 => {
                    entries.push(std::mem::take(&mut entry));
                    continue;
                }
                _ => {}
            }
            entry.push(token);
        }
        if !entry.is_empty() {
            entries.push(entry);
        }
        let texts: Vec<String> = entries
            .iter()
            .map(|e| type_text(e))
            .collect::<Option<_>>()?;
        // A list that fits is one line; a longer one has an entry per line.
        let one_line = format!("    {section}({})", texts.join(", "));
        if one_line.len() <= LINE_WIDTH {
            out.push_str(&one_line);
            out.push('\n');
            continue;
        }
        out.push_str(&format!("    {section}(\n"));
        for text in &texts {
            out.push_str(&format!("        {text},\n"));
        }
        out.push_str("    )\n");
    }
    out.push_str(");\n");
    Some(out)
}

/// Tokens of a `builder!` entry (`mode field: Type`) or an attribute as Rust is usually
/// written: a space between two words, after `:`, `,` and `;` and around `=`, none elsewhere. `None` for tokens a type of
/// the generator's never holds (literals, other groups than `()`/`[]`).
fn type_text(tokens: &[proc_macro2::TokenTree]) -> Option<String> {
    use proc_macro2::{Delimiter, Spacing, TokenTree};
    let mut out = String::new();
    let mut word_before = false;
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        index += 1;
        match token {
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if word_before {
                    out.push(' ');
                }
                out.push_str(&token.to_string());
                word_before = true;
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                let path_separator = c == ':'
                    && punct.spacing() == Spacing::Joint
                    && matches!(tokens.get(index), Some(TokenTree::Punct(next)) if next.as_char() == ':');
                if path_separator {
                    out.push_str("::");
                    index += 1;
                } else if c == '=' {
                    out.push_str(" = ");
                } else {
                    out.push(c);
                    if matches!(c, ':' | ',' | ';') {
                        out.push(' ');
                    }
                }
                word_before = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ('(', ')'),
                    Delimiter::Bracket => ('[', ']'),
                    _ => return None,
                };
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                out.push(open);
                out.push_str(&type_text(&inner)?);
                out.push(close);
                word_before = false;
            }
        }
    }
    Some(out)
}

/// Prints the leading attributes of `tokens` at `indent` (`#[doc = "…"]` as `///` lines)
/// and returns how many tokens they took, or `None` for a doc text a `///` line cannot
/// hold (a line break).
fn print_attributes(
    tokens: &[proc_macro2::TokenTree],
    indent: &str,
    out: &mut String,
) -> Option<usize> {
    use proc_macro2::TokenTree;
    let mut at = 0;
    while let (Some(TokenTree::Punct(hash)), Some(TokenTree::Group(group))) =
        (tokens.get(at), tokens.get(at + 1))
    {
        if hash.as_char() != '#' || group.delimiter() != proc_macro2::Delimiter::Bracket {
            break;
        }
        let meta: syn::Meta = syn::parse2(group.stream()).ok()?;
        match &meta {
            syn::Meta::NameValue(doc) if doc.path.is_ident("doc") => {
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &doc.value
                else {
                    return None;
                };
                let text = text.value();
                // `////…` is a plain comment, and a `///` line holds one line.
                if text.starts_with('/') || text.contains(['\n', '\r']) {
                    return None;
                }
                out.push_str(&format!("{indent}///{text}\n"));
            }
            other => {
                let tokens: Vec<TokenTree> = quote::ToTokens::to_token_stream(other)
                    .into_iter()
                    .collect();
                out.push_str(&format!("{indent}#[{}]\n", type_text(&tokens)?));
            }
        }
        at += 2;
    }
    Some(at)
}

struct ItemsText {
    text: String,
    format_time: Duration,
    emit_time: Duration,
}

/// Items quoted, parsed and printed together. Formatting half of a 4,000-type file at
/// once made its tokens and `syn` tree most of the generator's peak memory; with 64 items
/// a batch the OpenAI spec peaked at 68 MB, with 8 at 62 MB and the Adyen spec at 22
/// instead of 27 MB, in the same time (fewer than 8 saved nothing more).
const ITEMS_PER_BATCH: usize = 8;

/// Quotes and formats a file of independent items on up to `threads` threads. The
/// items are cut into batches of [`ITEMS_PER_BATCH`]; each thread takes the next batch
/// not yet taken, quotes, parses and pretty-prints it, and keeps only its text. The
/// texts are joined in batch order, so the bytes do not depend on the number of
/// threads. The wall time of the parallel part is split between emit and format in the
/// ratio the workers measured, so `--timings` still adds up to the run's duration.
fn items_text(
    path: &str,
    head: TokenStream,
    count: usize,
    item: &(dyn Fn(usize) -> TokenStream + Sync),
    threads: usize,
) -> Result<ItemsText> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let started = Instant::now();
    let mut text = rust_text(path, head)?;
    let head_time = started.elapsed();
    let batches = count.div_ceil(ITEMS_PER_BATCH);
    // Small files are not worth a thread.
    let threads = threads.clamp(1, batches.max(1));
    let next_batch = AtomicUsize::new(0);
    let parallel = Instant::now();
    let worker = || -> Result<WorkerRun> {
        let mut run = WorkerRun {
            texts: Vec::new(),
            emit_time: Duration::ZERO,
            format_time: Duration::ZERO,
        };
        loop {
            let batch = next_batch.fetch_add(1, Ordering::Relaxed);
            if batch >= batches {
                return Ok(run);
            }
            let first = batch * ITEMS_PER_BATCH;
            let quoting = Instant::now();
            let tokens: TokenStream = (first..(first + ITEMS_PER_BATCH).min(count))
                .map(item)
                .collect();
            run.emit_time += quoting.elapsed();
            let formatting = Instant::now();
            let batch_text = rust_text(path, tokens)?;
            run.format_time += formatting.elapsed();
            run.texts.push((batch, batch_text));
        }
    };
    // The calling thread (the pipeline's, with the larger stack) is one of the workers:
    // each thread that allocates gets its own malloc arena, and every arena keeps its
    // own peak, so one thread fewer is a few megabytes less at the peak.
    let runs: Vec<Result<WorkerRun>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .map(|_| {
                // Deeply nested types recurse deeply in syn and prettyplease: the
                // default 2 MiB stack overflowed at 52 nested arrays.
                std::thread::Builder::new()
                    .stack_size(crate::limits::FORMAT_STACK_BYTES)
                    .spawn_scoped(scope, worker)
            })
            .collect();
        let own = worker();
        std::iter::once(own)
            .chain(
                handles
                    .into_iter()
                    .map(|handle| match handle.map(|h| h.join()) {
                        Ok(Ok(run)) => run,
                        Ok(Err(_)) => Err(Error::InvalidOutput {
                            file: path.to_string(),
                            message: "emitting the file panicked".to_string(),
                        }),
                        Err(e) => Err(Error::InvalidOutput {
                            file: path.to_string(),
                            message: format!("cannot start a formatting thread: {e}"),
                        }),
                    }),
            )
            .collect()
    });
    let mut worker_emit = Duration::ZERO;
    let mut worker_format = Duration::ZERO;
    let mut texts = Vec::with_capacity(batches);
    for run in runs {
        let run = run?;
        texts.extend(run.texts);
        worker_emit += run.emit_time;
        worker_format += run.format_time;
    }
    texts.sort_unstable_by_key(|(batch, _)| *batch);
    for (_, batch_text) in texts {
        text.push_str(&batch_text);
    }
    let parallel = parallel.elapsed();
    let spacing = Instant::now();
    let text = space_items(&join_feature_gates(&text));
    let serial_format = head_time + spacing.elapsed();

    let worker_total = (worker_emit + worker_format).as_secs_f64();
    let format_share = if worker_total > 0.0 {
        worker_format.as_secs_f64() / worker_total
    } else {
        1.0
    };
    let parallel_format = parallel.mul_f64(format_share);
    Ok(ItemsText {
        text,
        format_time: serial_format + parallel_format,
        emit_time: parallel.saturating_sub(parallel_format),
    })
}

struct WorkerRun {
    /// The texts of the batches this worker formatted, with their indices.
    texts: Vec<(usize, String)>,
    emit_time: Duration,
    format_time: Duration,
}

/// Puts a blank line between items, which prettyplease leaves out, so the files read
/// like hand-written ones. Only whitespace changes.
/// Feature gates on one line: prettyplease wraps a long `#[cfg(any(feature = ..))]` one
/// name per line, which made gates a tenth of a big spec's models. Only a gate made of
/// `any`/`all`/`not` and `feature = ".."` is joined.
fn join_feature_gates(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let indent = &line[..line.len() - line.trim_start().len()];
        if line.trim() != "#[cfg(" {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut parts = Vec::new();
        let mut closed = false;
        for inner in lines.by_ref() {
            if inner.trim() == ")]" && inner.len() - inner.trim_start().len() == indent.len() {
                closed = true;
                break;
            }
            parts.push(inner);
        }
        let is_gate_part = |part: &str| {
            let part = part.trim().trim_end_matches(',');
            matches!(part, "any(" | "all(" | "not(" | ")")
                || part
                    .strip_prefix("feature = \"")
                    .and_then(|rest| rest.strip_suffix('"'))
                    .is_some_and(|name| {
                        name.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    })
        };
        if closed && parts.iter().all(|part| is_gate_part(part)) {
            let mut gate = String::new();
            for part in &parts {
                let part = part.trim();
                if gate.ends_with(',') {
                    gate.push(' ');
                }
                gate.push_str(part);
            }
            out.push_str(&format!("{indent}#[cfg({gate})]\n"));
        } else {
            out.push_str(line);
            out.push('\n');
            for part in &parts {
                out.push_str(part);
                out.push('\n');
            }
            if closed {
                out.push_str(&format!("{indent})]\n"));
            }
        }
    }
    out
}

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
            // A doc line ending in `;` (code in a `text` block) ends no item: a blank
            // line after it would split the doc comment.
            let ends_item = prev.trim() == "}"
                || (prev.trim_end().ends_with(';') && indent(prev) == 0 && !prev.starts_with("//"));
            if ends_item
                && indent(prev) == indent(line)
                && (ITEM_STARTS.iter().any(|s| body.starts_with(s))
                    // A macro invocation spanning lines (an enum); one-line ones (consts)
                    // stay packed together.
                    || (body.starts_with("crate::") && body.ends_with("!(")))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::FileKind;
    use quote::{format_ident, quote};

    #[test]
    fn enum_macros_print_one_variant_per_line_and_mean_the_same() {
        let tokens = quote! {
            crate::enums::integer_enum!(#[doc = " Levels."] #[deprecated] Level {
                #[doc = " `-1`: below"] Minus1 = -1, #[doc = ""] V2 = 2,
            });
            pub struct After;
        };
        let text = rust_text("x.rs", tokens.clone()).unwrap();
        assert_eq!(
            text,
            "crate::enums::integer_enum!(\n    /// Levels.\n    #[deprecated]\n    Level {\n        \
             /// `-1`: below\n        Minus1 = -1,\n        ///\n        V2 = 2,\n    }\n);\n\
             pub struct After;\n"
        );
        // The text means what the tokens meant: the same items once parsed again.
        let reparsed: syn::File = syn::parse_str(&text).unwrap();
        let original: syn::File = syn::parse2(tokens).unwrap();
        assert_eq!(
            prettyplease::unparse(&reparsed),
            prettyplease::unparse(&original)
        );
    }

    #[test]
    fn builder_macros_print_short_lists_on_one_line_and_mean_the_same() {
        let tokens = quote! {
            crate::builders::builder!(
                #[doc = " A pet."]
                #[derive(Clone, Debug)]
                pub struct Pet {
                    #[doc = " Its name."]
                    #[serde(rename = "Name")]
                    pub name: ::std::string::String,
                    pub parent: ::std::boxed::Box<::std::vec::Vec<Pet>>,
                }
                new(into name: ::std::string::String, boxed parent: ::std::vec::Vec<Pet>,)
                default()
                with(
                    plain with_tags tags: ::std::collections::BTreeMap<::std::string::String, (i64, [u8; 4])>,
                    into with_type r#type: ::std::string::String,
                )
            );
        };
        let text = rust_text("x.rs", tokens.clone()).unwrap();
        assert_eq!(
            text,
            "crate::builders::builder!(\n    /// A pet.\n    #[derive(Clone, Debug)]\n    \
             pub struct Pet {\n        /// Its name.\n        #[serde(rename = \"Name\")]\n        \
             pub name: ::std::string::String,\n        \
             pub parent: ::std::boxed::Box<::std::vec::Vec<Pet>>,\n    }\n    \
             new(into name: ::std::string::String, boxed parent: ::std::vec::Vec<Pet>)\n    \
             default()\n    with(\n        plain with_tags tags: \
             ::std::collections::BTreeMap<::std::string::String, (i64, [u8; 4])>,\n        \
             into with_type r#type: ::std::string::String,\n    )\n);\n"
        );
        assert_means_the_same(&text, tokens);
    }

    #[test]
    fn union_macros_print_one_variant_per_line_and_mean_the_same() {
        let tokens = quote! {
            crate::unions::tagged_union!(
                #[doc = " A part."]
                Part by "type" {
                    "text" | "plain" => plain Text(TextPart),
                    "tree" => boxed Tree(::std::boxed::Box<::std::collections::BTreeMap<::std::string::String, Part>>),
                }
            );
            crate::unions::untagged_union!(
                Either {
                    Number(f64),
                    Pair((i64, ::std::vec::Vec<u8>)),
                }
            );
        };
        let text = rust_text("x.rs", tokens.clone()).unwrap();
        assert_eq!(
            text,
            "crate::unions::tagged_union!(\n    /// A part.\n    Part by \"type\" {\n        \
             \"text\" | \"plain\" => plain Text(TextPart),\n        \
             \"tree\" => boxed Tree(::std::boxed::Box<::std::collections::BTreeMap<\
             ::std::string::String, Part>>),\n    }\n);\n\
             crate::unions::untagged_union!(\n    Either {\n        Number(f64),\n        \
             Pair((i64, ::std::vec::Vec<u8>)),\n    }\n);\n"
        );
        assert_means_the_same(&text, tokens);
    }

    #[test]
    fn a_builder_whose_docs_hold_line_breaks_is_left_to_prettyplease() {
        // Indenting a `/** */` block would put four spaces into the doc: an indented code
        // block, which rustdoc would run as a test.
        let tokens = quote! {
            crate::builders::builder!(
                #[doc = "first\n\nsecond"]
                pub struct Pet { pub name: ::std::string::String }
                new(into name: ::std::string::String)
            );
        };
        let file: syn::File = syn::parse2(tokens.clone()).unwrap();
        let (item, _) = runtime_macro(&file.items[0]).unwrap();
        assert_eq!(print_builder_macro(item), None);
        let text = rust_text("x.rs", tokens.clone()).unwrap();
        assert_means_the_same(&text, tokens);
    }

    #[test]
    fn long_feature_gates_are_joined_on_one_line() {
        let names: Vec<String> = (0..8).map(|i| format!("feature-number-{i}")).collect();
        let tokens = quote! {
            #[cfg(any(#(feature = #names),*))]
            pub struct Gated;
            #[cfg(all(feature = "a", not(feature = "b")))]
            pub struct Short;
        };
        let text = join_feature_gates(&rust_text("x.rs", tokens).unwrap());
        let gates: Vec<&str> = text.lines().filter(|l| l.starts_with("#[cfg")).collect();
        let expected = names
            .iter()
            .map(|name| format!("feature = \"{name}\""))
            .collect::<Vec<_>>()
            .join(", ");
        assert_eq!(
            gates,
            [
                format!("#[cfg(any({expected}))]").as_str(),
                "#[cfg(all(feature = \"a\", not(feature = \"b\")))]"
            ]
        );
        assert_eq!(text.lines().count(), 4, "{text}");
    }

    /// `text` parses back to `tokens` (`<::` and `< ::` differ only in spacing).
    fn assert_means_the_same(text: &str, tokens: TokenStream) {
        let reparsed: TokenStream = text.parse().unwrap();
        assert_eq!(token_texts(reparsed), token_texts(tokens));
    }

    /// Each token's text, groups flattened with their delimiters, spacing left out.
    fn token_texts(tokens: TokenStream) -> Vec<String> {
        use proc_macro2::TokenTree;
        let mut texts = Vec::new();
        for token in tokens {
            match token {
                TokenTree::Group(group) => {
                    texts.push(format!("{:?}", group.delimiter()));
                    let mut inner = token_texts(group.stream());
                    // A trailing comma means nothing to the macros.
                    if inner.last().is_some_and(|last| last == ",") {
                        inner.pop();
                    }
                    texts.extend(inner);
                    texts.push(String::from("end"));
                }
                TokenTree::Punct(punct) => texts.push(punct.as_char().to_string()),
                other => texts.push(other.to_string()),
            }
        }
        texts
    }

    fn item(i: usize) -> TokenStream {
        let name = format_ident!("Item{i}");
        quote! {
            /// An item.
            pub struct #name { pub value: i64 }
            impl #name { pub fn get(&self) -> i64 { self.value } }
        }
    }

    fn items_file(count: usize) -> EmittedFile<'static> {
        EmittedFile {
            path: "src/x.rs".into(),
            kind: FileKind::Rust,
            source: Source::RustItems {
                head: quote!(//! Items.
                ),
                count,
                item: Box::new(item),
            },
        }
    }

    #[test]
    fn item_files_do_not_depend_on_the_thread_count() {
        let one = format_on(vec![items_file(300)], 1).unwrap();
        for threads in [2, 3, 8] {
            let many = format_on(vec![items_file(300)], threads).unwrap();
            assert_eq!(one.files, many.files, "{threads} threads");
        }
        assert!(one.files[0].contents.contains("pub struct Item299"));
    }

    #[test]
    fn batches_join_to_the_text_of_the_whole_file() {
        let count = 3 * ITEMS_PER_BATCH + 5;
        let batched = format_on(vec![items_file(count)], 2).unwrap();
        let whole: TokenStream = std::iter::once(quote!(//! Items.
        ))
        .chain((0..count).map(item))
        .collect();
        let whole = space_items(&join_feature_gates(&rust_text("src/x.rs", whole).unwrap()));
        assert_eq!(batched.files[0].contents, whole);
    }

    #[test]
    fn the_phase_returns_its_own_time() {
        let started = Instant::now();
        let formatted = format_on(
            vec![
                items_file(200),
                EmittedFile {
                    path: "src/one.rs".into(),
                    kind: FileKind::Rust,
                    source: Source::Rust(item(0)),
                },
            ],
            4,
        )
        .unwrap();
        let wall = started.elapsed();
        assert!(formatted.format_time > Duration::ZERO);
        assert!(
            formatted.emit_time > Duration::ZERO,
            "items were quoted here"
        );
        assert!(
            formatted.format_time + formatted.emit_time <= wall,
            "{:?} + {:?} > {wall:?}: the split counts time twice",
            formatted.format_time,
            formatted.emit_time
        );
    }

    #[test]
    fn text_files_get_unix_newlines() {
        let formatted = format_on(
            vec![EmittedFile {
                path: "src/runtime.rs".into(),
                kind: FileKind::Rust,
                source: Source::Text("fn a() {}\r\nfn b() {}\r\n".into()),
            }],
            1,
        )
        .unwrap();
        assert_eq!(formatted.files[0].contents, "fn a() {}\nfn b() {}\n");
    }
}
