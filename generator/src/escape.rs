//! Spec text → generated output, one escaping function per sink: rustdoc text
//! ([`doc_markdown`]), a value inside a doc line ([`doc_code_span`]), plain Markdown text
//! in the README or docs ([`markdown_text`]), Cargo package names ([`package_name`]) and
//! environment variable names ([`env_var_name`]). Rust string literals are escaped by
//! `quote` and TOML values by `toml_edit`; nothing else lets spec text reach output.
//!
//! The threat: teams run the generator from `build.rs` on specs they downloaded, and
//! `cargo test` runs every Rust code block in the generated docs. So no spec text may
//! open a code block rustdoc compiles, add a line to the manifest, or break the build.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

/// Makes spec Markdown inert for rustdoc while keeping how it reads: every code block
/// (``` or ~~~ fences with any info string, indented blocks, blocks in lists or quotes)
/// becomes a fenced `text` block, indentation that could open an indented block is
/// capped, and characters that break the build or mislead readers are made visible.
///
/// Three tries, each checked with the parser rustdoc uses ([`is_inert`]): first fences
/// are rewritten by the line rules and indented blocks where the parser finds them, so
/// lists and quotes keep their layout; if a block remains (a construct the line rules
/// misread), indentation is also capped everywhere; if one still remains, the whole
/// text becomes escaped plain paragraphs, which cannot contain a block at all.
pub(crate) fn doc_markdown(text: &str) -> String {
    let text = visible_controls(&text.replace("\r\n", "\n"));
    let precise = fence_indented_blocks(rewrite_blocks(&text, false));
    if is_inert(&precise) {
        return precise;
    }
    let tamed = rewrite_blocks(&text, true);
    if is_inert(&tamed) {
        return tamed;
    }
    plain_paragraphs(&text)
}

/// A spec value (identifier, path, enum value, version) shown inline in a doc line: one
/// line, as a code span when it has no backtick, else as escaped text, so it can neither
/// start a block nor end the span early.
pub(crate) fn doc_code_span(value: &str) -> String {
    let value = one_line(value);
    if value.is_empty() {
        "`\"\"`".to_string()
    } else if value.contains('`') {
        markdown_text(&value)
    } else {
        format!("`{value}`")
    }
}

/// Plain text for a Markdown document (README, doc prose): one line, every ASCII
/// punctuation character backslash-escaped (CommonMark allows it for all of them), so
/// the value cannot open a code block, HTML, a link, emphasis or a list.
pub(crate) fn markdown_text(value: &str) -> String {
    let value = one_line(value);
    let mut out = String::with_capacity(value.len() + value.len() / 4);
    for c in value.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Why a name from the spec (or from `Settings`) could not be used as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NameFix {
    /// Usable as given.
    Kept(String),
    /// Changed into a valid name; the message says why.
    Sanitized { name: String, reason: String },
    /// Nothing usable is left (empty, or no letter or digit at all).
    Refused(String),
}

/// Names a Cargo package may not take even though its characters are fine: the crates
/// of the standard library (a doctest's `std::…` would become ambiguous).
const RESERVED_PACKAGES: &[&str] = &["alloc", "core", "proc_macro", "std", "test"];

/// A valid Cargo package name from `raw`: ASCII letters, digits, `-` and `_`, not
/// starting with a digit, at most 64 characters, not a Rust keyword or standard crate
/// once `-` becomes `_` (it is also the library's name). Invalid characters become `-`.
pub(crate) fn package_name(raw: &str) -> NameFix {
    let mut name = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            c
        } else {
            '-'
        };
        if !(c == '-' && (name.is_empty() || name.ends_with('-'))) {
            name.push(c);
        }
    }
    let mut name = name.trim_end_matches('-').to_string();
    if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        return NameFix::Refused(format!(
            "crate name {:?} has no ASCII letter or digit to build a Cargo package name from",
            raw
        ));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "api-");
    }
    if name.len() > 64 {
        name.truncate(64);
        name = name.trim_end_matches('-').to_string();
    }
    let lib = name.replace('-', "_");
    let escaped = crate::naming::field_name(&lib);
    if RESERVED_PACKAGES.contains(&lib.as_str())
        || escaped.starts_with("r#")
        || escaped == format!("{lib}_")
    {
        name.push_str("-client");
    }
    if name == raw {
        NameFix::Kept(name)
    } else {
        NameFix::Sanitized {
            reason: format!(
                "crate name {raw:?} is not a valid Cargo package name (ASCII letters, digits, `-`, `_`; no leading digit; not a keyword); using `{name}`"
            ),
            name,
        }
    }
}

/// A valid environment variable name from `raw` (`[A-Za-z_][A-Za-z0-9_]*`): it is
/// written into Rust string literals and docs. Invalid characters become `_`.
pub(crate) fn env_var_name(raw: &str) -> NameFix {
    if !raw.chars().any(|c| c.is_ascii_alphanumeric()) {
        return NameFix::Refused(format!(
            "environment variable name {raw:?} has no ASCII letter or digit"
        ));
    }
    let mut name: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if name == raw {
        NameFix::Kept(name)
    } else {
        NameFix::Sanitized {
            reason: format!(
                "environment variable name {raw:?} is not of the form [A-Za-z_][A-Za-z0-9_]*; using `{name}`"
            ),
            name,
        }
    }
}

/// Makes the crate and environment variable names of [`crate::ir::ClientConfig`] valid,
/// in place. Each change is a warning located where the name came from (the
/// `x-rust-client` key, or `/info/title` when derived from the title); a name with
/// nothing usable left is an error there. Names from `Settings` overrides are located
/// at the `x-rust-client` key they stand in for.
pub(crate) fn check_client_names(
    config: &mut crate::ir::ClientConfig,
    overrides: &crate::lower::ClientOverrides,
    settings: Option<&serde_json::Value>,
    diagnostics: &mut crate::lower::Diagnostics,
) {
    let from_extension = |key: &str| {
        settings
            .and_then(|s| s.get(key))
            .is_some_and(|v| v.is_string())
    };
    type Check = fn(&str) -> NameFix;
    let fields: [(&mut String, bool, &str, Check); 3] = [
        (
            &mut config.crate_name,
            overrides.crate_name.is_some(),
            "crate-name",
            package_name,
        ),
        (
            &mut config.api_key_env,
            overrides.api_key_env.is_some(),
            "api-key-env",
            env_var_name,
        ),
        (
            &mut config.base_url_env,
            overrides.base_url_env.is_some(),
            "base-url-env",
            env_var_name,
        ),
    ];
    for (name, overridden, key, fix) in fields {
        let (pointer, source) = if overridden {
            (
                format!("/info/x-rust-client/{key}"),
                " (set through Settings)",
            )
        } else if from_extension(key) {
            (format!("/info/x-rust-client/{key}"), "")
        } else {
            ("/info/title".to_string(), " (derived from the title)")
        };
        match fix(name) {
            NameFix::Kept(_) => {}
            NameFix::Sanitized {
                name: fixed,
                reason,
            } => {
                diagnostics.warn(&pointer, format!("{reason}{source}"));
                *name = fixed;
            }
            NameFix::Refused(reason) => diagnostics.error(&pointer, format!("{reason}{source}")),
        }
    }
}

/// Collapses all whitespace (line breaks included) to single spaces and makes control
/// characters visible: a value that must stay on one line.
pub(crate) fn one_line(value: &str) -> String {
    visible_controls(value)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces characters that break the generated crate's build or mislead its readers:
/// a bare `\r` (rejected in doc comments) becomes a line break, Unicode line/paragraph
/// separators too; bidi controls (denied by rustc's `text_direction_codepoint_in_comment`)
/// and other control or invisible format characters are written as `U+XXXX`.
pub(crate) fn visible_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            c if is_hidden(c) => out.push_str(&format!("U+{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' // Arabic letter mark
            | '\u{200B}'..='\u{200C}' // zero-width space, non-joiner (the joiner builds emoji)
            | '\u{200E}'..='\u{200F}' // left-to-right and right-to-left marks
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{FEFF}' // zero-width no-break space
        )
}

/// A run of fence characters at the start of `rest`: (`` ` `` or `~`, length) when it
/// is at least three long.
fn fence_run(rest: &str) -> Option<(char, usize)> {
    let first = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == first).count();
    (len >= 3).then_some((first, len))
}

/// Splits a line into its block-container prefix (indentation, `>` quote markers, list
/// markers, footnote labels) and the rest. Fences are looked for in the rest, so a
/// fence inside a list or quote is found too.
fn split_container(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        let after_marker = |j: usize| j >= bytes.len() || bytes[j] == b' ' || bytes[j] == b'\t';
        let quote_or_bullet = i < bytes.len()
            && (bytes[i] == b'>'
                || (matches!(bytes[i], b'-' | b'+' | b'*') && after_marker(i + 1)));
        if quote_or_bullet {
            i += 1;
        } else if let Some(digits) = (1..=9).find(|&n| {
            i + n < bytes.len()
                && bytes[i..i + n].iter().all(u8::is_ascii_digit)
                && matches!(bytes[i + n], b'.' | b')')
        }) {
            if after_marker(i + digits + 1) {
                i += digits + 1;
            } else {
                break;
            }
        } else if line[i..].starts_with("[^") {
            match line[i..].find("]:") {
                Some(end) => i += end + 2,
                None => break,
            }
        } else {
            break;
        }
    }
    line.split_at(i)
}

/// Rewrites a container prefix so the rest cannot be an indented code block: leading
/// indentation capped at three columns, one space after each marker.
fn tame_prefix(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len());
    let mut leading = true;
    let mut pending_space = false;
    let mut width = 0;
    for c in prefix.chars() {
        if c == ' ' || c == '\t' {
            if leading {
                width += if c == '\t' { 4 } else { 1 };
            } else {
                pending_space = true;
            }
        } else {
            if leading {
                out.push_str(&" ".repeat(width.min(3)));
                leading = false;
            } else if pending_space {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    if leading {
        out.push_str(&" ".repeat(width.min(3)));
    } else if pending_space {
        out.push(' ');
    }
    out
}

/// Indentation width of a line (tabs to the next multiple of four).
fn indent_width(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}

/// Drops up to `columns` columns of indentation.
fn unindent(line: &str, columns: usize) -> &str {
    let mut width = 0;
    for (i, c) in line.char_indices() {
        if width >= columns {
            return &line[i..];
        }
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => return &line[i..],
        }
    }
    ""
}

/// Writes `content` as a fenced `text` block whose fence is longer than any backtick
/// run inside, so no content line can close it. The fence is indented like the block's container content (`indent`, spaces only), so
/// a block inside a list item stays in it.
fn push_text_block(out: &mut Vec<String>, indent: &str, content: &[String]) {
    let longest = content
        .iter()
        .flat_map(|line| line.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    out.push(format!("{indent}{fence}text"));
    out.extend(content.iter().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!("{indent}{line}")
        }
    }));
    out.push(format!("{indent}{fence}"));
}

/// The indentation to write a block's fences at: the opener's container prefix when it
/// is only spaces (a list item's content column), else none.
fn fence_indent(prefix: &str) -> &str {
    if prefix.chars().all(|c| c == ' ') {
        prefix
    } else {
        ""
    }
}

/// Replaces each indented code block the parser finds with a fenced `text` block of the
/// same content, written at the block's own column so its container is kept.
fn fence_indented_blocks(mut text: String) -> String {
    // Each round removes one block; the bound only guards against a rewrite the parser
    // reads back as a new indented block (the caller's check then catches it).
    for _ in 0..64 {
        let mut found = None;
        let mut content = String::new();
        let mut inside = false;
        for (event, range) in Parser::new_ext(&text, option_sets()[0]).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) if found.is_none() => {
                    found = Some(range);
                    inside = true;
                }
                Event::Text(code) if inside => content.push_str(&code),
                Event::End(pulldown_cmark::TagEnd::CodeBlock) if inside => break,
                _ => {}
            }
        }
        let Some(range) = found else {
            return text;
        };
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        // The block ends at a line break (one byte) or inside its last line.
        let line_end = if text[..range.end].ends_with('\n') {
            range.end - 1
        } else {
            text[range.end..]
                .find('\n')
                .map_or(text.len(), |i| range.end + i)
        };
        let source: Vec<&str> = text[line_start..line_end].lines().collect();
        let widths = source
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| indent_width(l));
        let (indent, content): (String, Vec<String>) = match widths.min() {
            // Lines indented by spaces only: the block sits four columns past its
            // container's content column, where the fence goes.
            Some(width) if width >= 4 => (
                " ".repeat(width - 4),
                source
                    .iter()
                    .map(|l| unindent(l, width).trim_end().to_string())
                    .collect(),
            ),
            // A block that starts on a marker line (`-     code`): at the left margin.
            _ => (
                String::new(),
                content.trim_end().lines().map(str::to_string).collect(),
            ),
        };
        let mut block = Vec::new();
        push_text_block(&mut block, &indent, &content);
        text.replace_range(line_start..line_end, &block.join("\n"));
    }
    text
}

/// The line rules: fences (any container, any info string) become `text` blocks.
/// With `tame`, indented blocks are found by the line rules too (after a blank line,
/// four columns in) and every container prefix is tamed ([`tame_prefix`]); without it,
/// lines outside fences are kept as written.
fn rewrite_blocks(text: &str, tame: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut state = State::Text;
    let lines: Vec<&str> = text.trim_end().lines().collect();
    for line in lines {
        let line = line.trim_end();
        state = match state {
            State::Fence {
                fence,
                prefix,
                mut content,
            } => {
                let (_, rest) = split_container(line);
                let closes = fence_run(rest).is_some_and(|(c, len)| {
                    c == fence.0 && len >= fence.1 && rest[len..].trim().is_empty()
                });
                if closes {
                    push_text_block(&mut out, fence_indent(prefix), &content);
                    State::Text
                } else {
                    content.push(line.strip_prefix(prefix).unwrap_or(line).to_string());
                    State::Fence {
                        fence,
                        prefix,
                        content,
                    }
                }
            }
            State::Indented { mut content } if line.is_empty() || indent_width(line) >= 4 => {
                content.push(unindent(line, 4).to_string());
                State::Indented { content }
            }
            State::Indented { mut content } => {
                while content.last().is_some_and(String::is_empty) {
                    content.pop();
                }
                push_text_block(&mut out, "", &content);
                out.push(String::new());
                text_line(&mut out, line, tame)
            }
            State::Text => text_line(&mut out, line, tame),
        };
    }
    match state {
        State::Fence {
            content, prefix, ..
        } => push_text_block(&mut out, fence_indent(prefix), &content),
        State::Indented { mut content } => {
            while content.last().is_some_and(String::is_empty) {
                content.pop();
            }
            push_text_block(&mut out, "", &content);
        }
        State::Text => {}
    }
    let mut joined = out.join("\n");
    joined.push('\n');
    joined
}

/// One line outside any block: opens a fence or an indented block, or is kept with a
/// tamed prefix. An indented block needs a blank line (or the start) before it, as in
/// CommonMark, where it cannot interrupt a paragraph.
fn text_line<'a>(out: &mut Vec<String>, line: &'a str, tame: bool) -> State<'a> {
    let (prefix, rest) = split_container(line);
    if let Some(fence) = fence_run(rest) {
        return State::Fence {
            fence,
            prefix,
            content: Vec::new(),
        };
    }
    if !tame {
        out.push(line.to_string());
        return State::Text;
    }
    let after_blank = out.last().is_none_or(|l| l.is_empty());
    if after_blank && indent_width(line) >= 4 && !line.trim().is_empty() {
        return State::Indented {
            content: vec![unindent(line, 4).to_string()],
        };
    }
    out.push(
        format!("{}{rest}", tame_prefix(prefix))
            .trim_end()
            .to_string(),
    );
    State::Text
}

/// Where [`rewrite_blocks`] is: in text, or collecting a block's lines until it ends.
enum State<'a> {
    Text,
    Fence {
        fence: (char, usize),
        prefix: &'a str,
        content: Vec<String>,
    },
    Indented {
        content: Vec<String>,
    },
}

/// The fallback: every line an escaped plain paragraph line (see [`markdown_text`]).
fn plain_paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.trim_end().lines() {
        out.push_str(&markdown_text(line));
        out.push('\n');
    }
    out
}

/// Parser options to check against: rustdoc's (tables, footnotes, strikethrough, task
/// lists, smart punctuation), plain CommonMark, and every extension, so a rustdoc that
/// turns on one more extension sees no code block either.
fn option_sets() -> [Options; 3] {
    [
        Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_SMART_PUNCTUATION,
        Options::empty(),
        Options::all(),
    ]
}

/// The code blocks a Markdown parser finds, as their info strings (`None` for an
/// indented block).
fn code_blocks(markdown: &str, options: Options) -> Vec<Option<String>> {
    Parser::new_ext(markdown, options)
        .filter_map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                Some(Some(info.to_string()))
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some(None),
            _ => None,
        })
        .collect()
}

/// Whether rustdoc could compile nothing in `markdown`: every code block is a fenced
/// `text` block, also after rustdoc strips the common indentation of doc lines, and a
/// fence written after the text is still seen as a fence (the text leaves no HTML block
/// or container open that would swallow the generator's own example).
pub(crate) fn is_inert(markdown: &str) -> bool {
    let unindented = {
        let common = markdown
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(indent_width)
            .min()
            .unwrap_or(0);
        markdown
            .lines()
            .map(|l| unindent(l, common))
            .collect::<Vec<_>>()
            .join("\n")
    };
    option_sets().into_iter().all(|options| {
        [markdown, unindented.as_str()].into_iter().all(|text| {
            let blocks = code_blocks(text, options);
            let only_text = blocks.iter().all(|b| b.as_deref() == Some("text"));
            let probe = format!("{text}\n\n```probe\n```\n");
            let probed = code_blocks(&probe, options);
            only_text
                && probed.len() == blocks.len() + 1
                && probed.last().is_some_and(|b| b.as_deref() == Some("probe"))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Payloads that would be compiled as doctests if they reached rustdoc as written.
    const CODE_BLOCKS: &[&str] = &[
        "```\nstd::fs::write(\"/tmp/x\", \"\").unwrap();\n```",
        "```rust\nboom();\n```",
        "```no_run,should_panic\nboom();\n```",
        "~~~\nboom();\n~~~",
        "~~~rust\nboom();\n~~~",
        "Intro.\n\n    boom();\n    more();",
        "\tboom();",
        "Ends in a wide character:\n\n    boom(); // é",
        "- item\n\n  ```\n  boom();\n  ```",
        "> quote\n> ```\n> boom();\n> ```",
        "> ```text\n```\nboom();\n```",
        "1. one\n\n       boom();",
        "-     boom();",
        "[^1]: ```\n    boom();\n    ```\n\n[^1]",
        "````\n```\n````\n```\nboom();\n```",
        "```text\n~~~\n```\n~~~\nboom();\n~~~",
        "<!--\n```text\n-->\n```\nboom();\n```",
        "<div>\n```text\n\n```rust\nboom();\n```",
        "```", // an unclosed fence
        "``` ```\nboom();",
        "text\r```\rboom();\r```",
    ];

    #[test]
    fn no_code_block_survives() {
        for payload in CODE_BLOCKS {
            let out = doc_markdown(payload);
            assert!(is_inert(&out), "payload {payload:?} gave {out:?}");
            // The payload is rendered, not dropped.
            assert!(
                !payload.contains("boom") || out.contains("boom"),
                "{payload:?} lost its text: {out:?}"
            );
        }
    }

    #[test]
    fn untouched_when_already_inert() {
        for text in [
            "Lists invites.",
            "A *list*:\n\n- one\n- two\n  - nested",
            "See [the docs](https://example.com).",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "Events:\n  - The server is generating a Response, which\n    continues here.\n  - Another.",
            "Text\n      deep continuation",
        ] {
            assert_eq!(doc_markdown(text), format!("{text}\n"));
        }
    }

    #[test]
    fn code_blocks_become_text_blocks() {
        let table = [
            ("```rust\nlet x = 1;\n```", "```text\nlet x = 1;\n```\n"),
            ("~~~\nlet x = 1;\n~~~", "```text\nlet x = 1;\n```\n"),
            (
                "Intro:\n\n    let x = 1;\n      nested;\n\nAfter.",
                "Intro:\n\n```text\nlet x = 1;\n  nested;\n```\n\nAfter.\n",
            ),
            (
                "```json\n{\"a\": \"```\"}\n```",
                "````text\n{\"a\": \"```\"}\n````\n",
            ),
            ("```\nunclosed", "```text\nunclosed\n```\n"),
            ("> ```\n> quoted\n> ```", "```text\nquoted\n```\n"),
            // A list item whose first block is code loses its marker: rare, and safe.
            (
                "-     code after a marker",
                "```text\ncode after a marker\n```\n",
            ),
            // A block inside a list item stays in it.
            (
                "- item\n\n      code\n\n  more",
                "- item\n\n  ```text\n  code\n  ```\n\n  more\n",
            ),
            (
                "- item\n\n  ```json\n  {}\n  ```",
                "- item\n\n  ```text\n  {}\n  ```\n",
            ),
        ];
        for (input, expected) in table {
            assert_eq!(doc_markdown(input), expected, "{input:?}");
        }
    }

    #[test]
    fn idempotent() {
        for payload in CODE_BLOCKS {
            let once = doc_markdown(payload);
            assert_eq!(doc_markdown(&once), once, "{payload:?}");
        }
    }

    #[test]
    fn controls_made_visible() {
        let table = [
            ("a\rb", "a\nb"),
            ("a\r\nb", "a\r\nb"), // visible_controls alone keeps CRLF's LF; \r becomes \n
            ("x\u{202E}y", "xU+202Ey"),
            ("x\u{2066}y\u{2069}", "xU+2066yU+2069"),
            ("bell\u{7}", "bellU+0007"),
            ("emoji 👩\u{200D}💻", "emoji 👩\u{200D}💻"),
            ("tab\tkept", "tab\tkept"),
        ];
        for (input, expected) in table {
            let expected = expected.replace("\r\n", "\n\n");
            assert_eq!(visible_controls(input), expected, "{input:?}");
        }
        assert_eq!(doc_markdown("a\r\nb\rc"), "a\nb\nc\n");
    }

    #[test]
    fn code_spans() {
        let table = [
            ("user_id", "`user_id`"),
            ("/v1/things/{id}", "`/v1/things/{id}`"),
            ("two\nlines", "`two lines`"),
            ("```rust", "\\`\\`\\`rust"),
            ("", "`\"\"`"),
            ("rtl\u{202E}", "`rtlU+202E`"),
        ];
        for (input, expected) in table {
            assert_eq!(doc_code_span(input), expected, "{input:?}");
        }
    }

    #[test]
    fn markdown_text_escapes_punctuation() {
        let table = [
            ("Petstore", "Petstore"),
            ("v1.2", "v1\\.2"),
            ("<script>", "\\<script\\>"),
            ("[x](javascript:y)", "\\[x\\]\\(javascript\\:y\\)"),
            ("a\n```\nb", "a \\`\\`\\` b"),
            ("*bold* _em_", "\\*bold\\* \\_em\\_"),
        ];
        for (input, expected) in table {
            assert_eq!(markdown_text(input), expected, "{input:?}");
        }
        for payload in CODE_BLOCKS {
            assert!(is_inert(&markdown_text(payload)), "{payload:?}");
        }
    }

    #[test]
    fn package_names() {
        let kept = ["openai-invites", "petstore", "my_api", "MyClient", "a1"];
        for name in kept {
            assert_eq!(package_name(name), NameFix::Kept(name.to_string()));
        }
        let sanitized = [
            ("../x", "x"),
            ("My Client/v2", "My-Client-v2"),
            ("123 API", "api-123-API"),
            (
                "a\n[target.'cfg(all())'.dependencies]\nx = \"1\"",
                "a-target-cfg-all-dependencies-x-1",
            ),
            ("name\"\nbuild = \"evil.rs", "name-build-evil-rs"),
            ("std", "std-client"),
            ("type", "type-client"),
            ("self", "self-client"),
            ("-lead", "lead"),
            ("_under", "_under"),
        ];
        for (raw, expected) in sanitized {
            match package_name(raw) {
                NameFix::Sanitized { name, .. } if raw != "_under" => {
                    assert_eq!(name, expected, "{raw:?}")
                }
                NameFix::Kept(name) => assert_eq!((raw, name.as_str()), (expected, expected)),
                other => panic!("{raw:?}: {other:?}"),
            }
        }
        let long = "a".repeat(100);
        match package_name(&long) {
            NameFix::Sanitized { name, .. } => assert_eq!(name.len(), 64),
            other => panic!("{other:?}"),
        }
        for raw in ["", "   ", "../", "\n", "日本"] {
            assert!(matches!(package_name(raw), NameFix::Refused(_)), "{raw:?}");
        }
    }

    #[test]
    fn env_var_names() {
        for name in ["OPENAI_API_KEY", "_X", "lower_ok", "A1"] {
            assert_eq!(env_var_name(name), NameFix::Kept(name.to_string()));
        }
        let sanitized = [
            ("MY-KEY", "MY_KEY"),
            ("1KEY", "_1KEY"),
            ("KEY\"); boom(); (\"", "KEY____boom______"),
            ("A\nB", "A_B"),
            ("ÄKEY", "_KEY"),
        ];
        for (raw, expected) in sanitized {
            match env_var_name(raw) {
                NameFix::Sanitized { name, .. } => assert_eq!(name, expected, "{raw:?}"),
                other => panic!("{raw:?}: {other:?}"),
            }
        }
        for raw in ["", "-", "\n\t", "ÄÖ"] {
            assert!(matches!(env_var_name(raw), NameFix::Refused(_)), "{raw:?}");
        }
    }
}
