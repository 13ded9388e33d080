//! Rust identifiers from spec names: case conversion, keywords, leading digits, collisions.
//!
//! Every identifier the generator emits passes through here, so the rules live in one
//! place and are table-tested below.

use heck::{ToKebabCase, ToPascalCase, ToSnakeCase};
use std::collections::{BTreeMap, BTreeSet};

/// Words that cannot be identifiers even as raw identifiers (`r#self` is rejected by rustc).
const NOT_RAW_ABLE: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// Strict and reserved keywords of Rust 2021 (plus `gen`, reserved in 2024, so the
/// output survives an edition bump).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Splits a spec name into words the case converters understand: every character that
/// cannot appear in an identifier becomes a word break, so `x-request-id`, `a.b` and
/// `foo bar` all convert predictably.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

/// Converts non-ASCII letters the case converters kept into ASCII-only identifiers, so the
/// emitted code never depends on Unicode identifier support or normalisation.
fn ascii_only(ident: &str, lower: bool) -> String {
    let mut out = String::with_capacity(ident.len());
    for c in ident.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if lower {
            out.push_str(&format!("u{:x}", c as u32));
        } else {
            out.push_str(&format!("U{:X}", c as u32));
        }
    }
    out
}

fn fix_leading_digit(ident: String, prefix: &str) -> String {
    match ident.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("{prefix}{ident}"),
        _ => ident,
    }
}

/// A Cargo feature name: `kebab-case` ASCII (`Vector stores` → `vector-stores`), starting
/// with a letter, never empty.
pub fn feature_name(raw: &str) -> String {
    let kebab = words(raw).to_kebab_case();
    let mut name = String::with_capacity(kebab.len());
    for c in kebab.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            name.push(c.to_ascii_lowercase());
        } else {
            name.push_str(&format!("u{:x}", c as u32));
        }
    }
    match name.chars().next() {
        None => String::from("tag"),
        Some(c) if !c.is_ascii_alphabetic() => format!("tag-{name}"),
        Some(_) => name,
    }
}

/// A field, parameter or method name: `snake_case`, raw identifier for keywords.
pub fn field_name(raw: &str) -> String {
    let snake = ascii_only(&words(raw).to_snake_case(), true);
    let snake = fix_leading_digit(snake, "_");
    escape_keyword(snake, "value")
}

/// What a name made only of symbols (`_`, `-`, `.`, all legal spec keys) becomes.
const UNNAMED_TYPE: &str = "Unnamed";

/// A type or variant name: `PascalCase`, prefixed when it would start with a digit, and
/// never empty (a name with no letters or digits becomes [`UNNAMED_TYPE`]).
pub fn type_name(raw: &str) -> String {
    let pascal = ascii_only(&words(raw).to_pascal_case(), false);
    let pascal = fix_leading_digit(pascal, "V");
    if pascal.is_empty() {
        UNNAMED_TYPE.to_string()
    } else if KEYWORDS.contains(&pascal.as_str()) {
        // Only `Self` is a keyword in PascalCase; a type cannot be a raw identifier.
        format!("{pascal}Type")
    } else {
        pascal
    }
}

/// A variant name for an enum value. Values like `"+1"` and `"-1"` would collapse to the
/// same word, so symbols that carry meaning are spelled out first.
pub fn variant_name(raw: &str) -> String {
    let spelled = raw
        .replace('+', " plus ")
        .replace('-', if raw.starts_with('-') { " minus " } else { " " })
        .replace('*', " star ");
    if words(&spelled).trim().is_empty() {
        "Empty".to_string()
    } else {
        type_name(&spelled)
    }
}

fn escape_keyword(ident: String, fallback: &str) -> String {
    if ident.is_empty() {
        return fallback.to_string();
    }
    if NOT_RAW_ABLE.contains(&ident.as_str()) {
        return format!("{ident}_");
    }
    if KEYWORDS.contains(&ident.as_str()) {
        return format!("r#{ident}");
    }
    ident
}

/// Hands out names that are unique within one scope (a module, a struct's fields, an
/// enum's variants), in the order they are asked for, so results are deterministic.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// The next suffix to try for each wanted name, so a thousand claims of one name
    /// cost a thousand steps, not half a million.
    next_suffix: BTreeMap<String, u32>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved<S: AsRef<str>>(reserved: &[S]) -> Self {
        Self {
            taken: reserved.iter().map(|s| s.as_ref().to_string()).collect(),
            next_suffix: BTreeMap::new(),
        }
    }

    /// Returns `wanted`, or `wanted2`, `wanted3`, ... (`wanted_2` when it ends in a
    /// digit) when it is taken. Comparison ignores the `r#` prefix.
    pub fn claim(&mut self, wanted: &str) -> String {
        let bare = wanted.trim_start_matches("r#");
        if self.taken.insert(bare.to_string()) {
            return wanted.to_string();
        }
        let separator = if bare.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let next = self.next_suffix.entry(bare.to_string()).or_insert(2);
        loop {
            let candidate = format!("{bare}{separator}{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name.trim_start_matches("r#"))
    }
}

/// The methods the runtime defines on its type `type_name` (`Client`, `Call`), read from
/// the runtime's own source, so a generated method or setter can never take one of their
/// names, however the runtime changes. Every `impl` of that type counts, private methods
/// and trait methods included: an inherent method of the same name would clash or shadow.
pub fn runtime_methods(type_name: &str) -> Vec<String> {
    let mut names = BTreeSet::new();
    for (_, source) in crate::emit::RUNTIME_FILES {
        // The runtime is our own code and always parses (a unit test checks it).
        let Ok(file) = syn::parse_file(source) else {
            continue;
        };
        collect_methods(&file.items, type_name, &mut names);
    }
    names.into_iter().collect()
}

fn collect_methods(items: &[syn::Item], type_name: &str, names: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Impl(block) => {
                let syn::Type::Path(path) = &*block.self_ty else {
                    continue;
                };
                if path
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == type_name)
                {
                    for impl_item in &block.items {
                        if let syn::ImplItem::Fn(method) = impl_item {
                            names.insert(method.sig.ident.to_string());
                        }
                    }
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &module.content {
                    collect_methods(items, type_name, names);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        let table = [
            ("type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("x-request-id", "x_request_id"),
            ("created_at", "created_at"),
            ("firstName", "first_name"),
            ("HTTPStatus", "http_status"),
            ("2fa", "_2fa"),
            ("a.b", "a_b"),
            ("foo bar", "foo_bar"),
            ("", "value"),
            ("-", "value"),
            ("_", "value"),
            ("$ref", "r#ref"),
            ("@type", "r#type"),
            ("async", "r#async"),
            ("gen", "r#gen"),
            ("ünï", "ufcnuef"),
        ];
        for (raw, want) in table {
            assert_eq!(field_name(raw), want, "field_name({raw:?})");
        }
    }

    #[test]
    fn type_names() {
        let table = [
            ("invite", "Invite"),
            ("InviteListResponse", "InviteListResponse"),
            ("list-invites", "ListInvites"),
            ("inviteUser", "InviteUser"),
            ("organization.invite", "OrganizationInvite"),
            ("2xx", "V2xx"),
            ("Self", "SelfType"),
            ("self", "SelfType"),
            ("snake_case_name", "SnakeCaseName"),
            ("", "Unnamed"),
            ("_", "Unnamed"),
            ("-", "Unnamed"),
            (".", "Unnamed"),
            ("Ünï", "UDCnUEF"),
        ];
        for (raw, want) in table {
            assert_eq!(type_name(raw), want, "type_name({raw:?})");
        }
    }

    #[test]
    fn variant_names() {
        let table = [
            ("accepted", "Accepted"),
            ("organization.invite", "OrganizationInvite"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("1", "V1"),
            ("", "Empty"),
            ("_", "Empty"),
            (".", "Empty"),
            ("in_progress", "InProgress"),
            ("gpt-4o", "Gpt4o"),
        ];
        for (raw, want) in table {
            assert_eq!(variant_name(raw), want, "variant_name({raw:?})");
        }
    }

    #[test]
    fn scope_resolves_collisions_in_order() {
        let mut scope = Scope::with_reserved(&["Client"]);
        assert_eq!(scope.claim("Client"), "Client2");
        assert_eq!(scope.claim("Pet"), "Pet");
        assert_eq!(scope.claim("Pet"), "Pet2");
        assert_eq!(scope.claim("Pet"), "Pet3");
        assert_eq!(scope.claim("V2"), "V2");
        assert_eq!(scope.claim("V2"), "V2_2");
        assert_eq!(scope.claim("r#type"), "r#type");
        assert_eq!(scope.claim("type"), "type2");
    }

    #[test]
    fn runtime_methods_are_read_from_the_runtime() {
        for (name, source) in crate::emit::RUNTIME_FILES {
            assert!(
                syn::parse_file(source).is_ok(),
                "runtime/{name} does not parse"
            );
        }
        let client = runtime_methods("Client");
        for method in ["new", "builder", "from_env", "base_url", "execute"] {
            assert!(
                client.contains(&method.to_string()),
                "Client::{method}: {client:?}"
            );
        }
        let call = runtime_methods("Call");
        for method in ["timeout", "max_retries", "header", "with_options", "stream"] {
            assert!(
                call.contains(&method.to_string()),
                "Call::{method}: {call:?}"
            );
        }
    }

    #[test]
    fn sanitized_names_are_never_empty() {
        for raw in [
            "", "_", "-", ".", "__", "-_-", "$", "{}", " ", "\u{202e}", "\n",
        ] {
            for name in [type_name(raw), field_name(raw), variant_name(raw)] {
                assert!(!name.is_empty(), "{raw:?}");
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{raw:?} gave {name:?}, not an identifier"
                );
            }
        }
    }

    #[test]
    fn many_claims_of_one_name_stay_distinct_and_in_order() {
        let mut scope = Scope::with_reserved(&["Pet3"]);
        let names: Vec<String> = (0..2000).map(|_| scope.claim("Pet")).collect();
        assert_eq!(&names[..4], ["Pet", "Pet2", "Pet4", "Pet5"]);
        let distinct: BTreeSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
    }

    #[test]
    fn case_collisions_become_distinct_fields() {
        // `userId` and `user_id` in one object map to the same snake name.
        let mut scope = Scope::new();
        let a = scope.claim(&field_name("userId"));
        let b = scope.claim(&field_name("user_id"));
        assert_eq!((a.as_str(), b.as_str()), ("user_id", "user_id2"));
    }
}
