//! The crate's frame: `Cargo.toml`, `README.md`, `src/lib.rs` and `src/config.rs`.

use super::{doc_code_span, inner_doc_attrs, markdown_text, sanitize_markdown};
use crate::ir::{Api, Auth, FeatureKind};
use proc_macro2::TokenStream;
use quote::quote;

/// Dependencies of every generated crate, in the order written. The root package of
/// this repository mirrors them (a test keeps the two in step).
pub const DEPENDENCIES: &[(&str, &str)] = &[
    ("axum", "{ version = \"0.8\", optional = true, default-features = false, features = [\"http1\", \"json\", \"query\", \"tokio\"] }"),
    ("bytes", "\"1\""),
    ("fastrand", "\"2\""),
    ("futures-core", "\"0.3\""),
    (
        "futures-util",
        "{ version = \"0.3\", default-features = false, features = [\"std\"] }",
    ),
    ("httpdate", "\"1\""),
    ("percent-encoding", "\"2\""),
    // HTTP/1.1 only unless the `http2` feature asks for more: h2 is a tenth of a cold
    // build, and one request at a time per connection is what most API clients need.
    ("reqwest", "{ version = \"0.13\", default-features = false }"),
    // Only for the `rustls-ring` feature: reqwest's `rustls-no-provider` leaves the crypto
    // provider to us, and this is how the client installs `ring` (see `TLS_FEATURES`).
    (
        "rustls",
        "{ version = \"0.23\", optional = true, default-features = false, features = [\"ring\", \"std\", \"tls12\"] }",
    ),
    ("serde", "{ version = \"1\", features = [\"derive\"] }"),
    ("serde_json", "\"1\""),
    ("serde_path_to_error", "\"0.1\""),
    ("thiserror", "\"2\""),
    ("tokio", "{ version = \"1\", features = [\"time\"] }"),
    // Spans and events only: the `attributes` feature (`#[instrument]`) would build a
    // second `syn` for nothing the runtime uses.
    (
        "tracing",
        "{ version = \"0.1\", default-features = false, features = [\"std\"] }",
    ),
];

/// The SSE parser, for crates with an operation that answers `text/event-stream`:
/// `sse-stream` decodes the wire format (split reads, multi-line `data:`, comments, CRLF,
/// a BOM) with `memchr`, strict UTF-8, and buffers released at the end.
pub const SSE_DEPENDENCY: (&str, &str) = ("sse-stream", "\"0.3\"");

/// `jiff`, for crates whose `date-time`/`date` strings are typed: only the
/// `Timestamp`/`civil::Date` types and serde, no time zone database.
pub const JIFF_DEPENDENCY: (&str, &str) = (
    "jiff",
    "{ version = \"1\", default-features = false, features = [\"std\", \"serde\"] }",
);

/// Dependencies only some specs need: every dependency costs the crate's users compile
/// time, so each comes only with the feature of the spec that uses it.
pub fn optional_dependencies(api: &Api) -> Vec<(&'static str, &'static str)> {
    let mut dependencies = Vec::new();
    if api.uses_jiff() {
        dependencies.push(JIFF_DEPENDENCY);
    }
    if api.has_event_streams() {
        dependencies.push(SSE_DEPENDENCY);
    }
    dependencies
}

/// The crate version: the spec's `info.version` when it is semver, else 0.1.0.
pub fn crate_version(api: &Api) -> String {
    let v = api.version.trim().trim_start_matches('v');
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        v.to_string()
    } else {
        "0.1.0".to_string()
    }
}

/// The manifest, built with `toml_edit` so every value is a TOML string written by the
/// library (quotes, backslashes and line breaks escaped), never text pasted between
/// quotes. The crate name and environment names were made valid while lowering
/// (`escape::package_name`); the description is collapsed to one line.
pub(super) fn cargo_toml(api: &Api) -> String {
    use toml_edit::{value, DocumentMut, Item, Table};
    let mut package = Table::new();
    package["name"] = value(api.client.crate_name.as_str());
    package["version"] = value(crate_version(api));
    package["edition"] = value("2024");
    package["rust-version"] = value("1.85");
    package["description"] = value(format!(
        "Rust client for {}",
        crate::escape::one_line(&api.title)
    ));
    package["publish"] = value(false);
    let mut lib = Table::new();
    lib["path"] = value("src/lib.rs");
    let mut dependencies = Table::new();
    for (name, spec) in DEPENDENCIES {
        dependencies[*name] = Item::Value(constant_value(spec));
    }
    for (name, spec) in optional_dependencies(api) {
        dependencies[name] = Item::Value(constant_value(spec));
    }
    dependencies.sort_values();
    let mut features = Table::new();
    // The TLS backend, and every tag, by default: a plain dependency builds the whole API.
    let mut defaults: toml_edit::Array = DEFAULT_FEATURES.iter().copied().collect();
    defaults.extend(api.features.iter().map(|f| f.name.as_str()));
    features["default"] = value(defaults);
    for (name, enables) in FEATURES.iter().chain(TLS_FEATURES) {
        features[*name] = Item::Value(constant_value(enables));
    }
    for feature in &api.features {
        features[feature.name.as_str()] = value(toml_edit::Array::new());
    }
    let mut manifest = DocumentMut::new();
    for (name, mut table) in [
        ("package", package),
        ("lib", lib),
        ("dependencies", dependencies),
        ("features", features),
    ] {
        if name != "package" {
            table.decor_mut().set_prefix("\n");
        }
        manifest[name] = Item::Table(table);
    }
    manifest.to_string()
}

/// Parses one of this module's constant TOML values (a dependency or feature list).
fn constant_value(source: &str) -> toml_edit::Value {
    // The constants are the generator's own text, covered by a unit test: a failure
    // here is a generator bug, not bad input.
    source
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("constant TOML value {source}: {e}"))
}

/// Cargo features of every generated crate.
pub const FEATURES: &[(&str, &str)] = &[
    // The generated fake server (`mock` module) for tests of code that uses the client.
    (
        "mock",
        "[\"dep:axum\", \"tokio/net\", \"tokio/rt\", \"tokio/sync\", \"tokio/macros\"]",
    ),
    // HTTP/2 (ALPN-negotiated over TLS): many concurrent requests on one connection.
    ("http2", "[\"reqwest/http2\"]"),
];

/// The TLS backends, one Cargo feature each; `DEFAULT_TLS_FEATURE` is on by default.
/// Whichever is chosen, `https://` works the same; they differ in what they cost to build
/// and what they need from the system (ARCHITECTURE.md, "TLS backends"):
/// - `rustls-ring`: rustls with the `ring` provider (a small C and assembly build);
/// - `rustls-aws-lc-rs`: rustls with `aws-lc-rs` (post-quantum key exchange and a FIPS
///   option, at the price of building AWS-LC from C);
/// - `native-tls`: the platform's TLS (OpenSSL on Linux, which then needs its headers).
///
/// With none of them the client speaks plain `http://` only, and `ClientBuilder::build`
/// refuses an `https://` base URL with a message naming these features.
pub const TLS_FEATURES: &[(&str, &str)] = &[
    (
        "rustls-ring",
        "[\"reqwest/rustls-no-provider\", \"dep:rustls\"]",
    ),
    ("rustls-aws-lc-rs", "[\"reqwest/rustls\"]"),
    ("native-tls", "[\"reqwest/native-tls\"]"),
];

/// The TLS backend of a crate built with default features: no C library to build beyond
/// `ring`'s, unlike `rustls-aws-lc-rs`, and nothing needed from the system, unlike `native-tls`.
pub const DEFAULT_TLS_FEATURE: &str = "rustls-ring";

/// The crate's `default` features.
pub const DEFAULT_FEATURES: &[&str] = &[DEFAULT_TLS_FEATURE];

/// The README. Spec values in prose are escaped Markdown text or code spans; the crate
/// and variable names hold only `[A-Za-z0-9_-]` (made so while lowering), which can
/// neither close a code block nor start HTML or a link, so they are written as they are.
pub(super) fn readme(api: &Api) -> String {
    let krate = &api.client.crate_name;
    format!(
        "# {krate}\n\n\
         A typed async Rust client for **{title}** (API version {version}), generated from its OpenAPI document.\n\n\
         This folder is a complete crate: copy it into your repository and depend on it by path:\n\n\
         ```toml\n[dependencies]\n{krate} = {{ path = \"vendor/{krate}\" }}\n```\n\n\
         ```rust,ignore\nlet client = {lib}::Client::from_env()?; // reads {key_env} (and {url_env})\n```\n\n\
         {features}\
         Every file here is generated: change the spec or the generator, not these files.\n",
        features = features_section(api),
        title = markdown_text(&api.title),
        version = doc_code_span(&api.version),
        lib = krate.replace('-', "_"),
        key_env = api.client.api_key_env,
        url_env = api.client.base_url_env,
    )
}

/// The README's list of Cargo features: the TLS backends, and one per tag with what each
/// compiles.
fn features_section(api: &Api) -> String {
    let krate = &api.client.crate_name;
    let tls: Vec<String> = TLS_FEATURES
        .iter()
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    let mut text = format!(
        "## Features\n\n\
         TLS: one of {tls} (`{DEFAULT_TLS_FEATURE}` by default); with none, the client speaks \
         plain `http://` only. The client speaks HTTP/1.1; the `http2` feature adds HTTP/2, \
         negotiated over TLS. The `mock` feature adds a local fake of the API \
         (`mock::MockServer`) for tests.\n\n",
        tls = tls.join(", "),
    );
    let Some(first) = api
        .features
        .iter()
        .find(|f| matches!(f.kind, FeatureKind::Tag(_)))
    else {
        return text;
    };
    text.push_str(&format!(
        "Each tag of the API is a Cargo feature that compiles its operations and the types \
         they use; all are on by default. To compile only what you call, turn the defaults \
         off and pick a TLS backend and tags (types shared with other tags come along):\n\n\
         ```toml\n{krate} = {{ path = \"vendor/{krate}\", default-features = false, features = [\"{DEFAULT_TLS_FEATURE}\", \"{first}\"] }}\n```\n\n\
         | feature | compiles | operations |\n|---|---|---:|\n",
        first = first.name
    ));
    for feature in &api.features {
        let tag = match &feature.kind {
            // Escaped punctuation includes `|`, so a tag cannot split the table row.
            FeatureKind::Tag(tag) => format!("tag {}", markdown_text(tag)),
            FeatureKind::Untagged => String::from("operations without a tag"),
            FeatureKind::Unreferenced => {
                String::from("types of schemas no operation uses (webhook payloads, events)")
            }
        };
        text.push_str(&format!(
            "| `{}` | {} | {} |\n",
            feature.name, tag, feature.operations
        ));
    }
    text.push('\n');
    text
}

pub(super) fn lib_rs(api: &Api) -> TokenStream {
    let mut text = format!(
        "A typed async client for {} (API version {}).",
        markdown_text(&api.title),
        doc_code_span(&api.version)
    );
    if let Some(description) = &api.description {
        text.push_str("\n\n");
        text.push_str(sanitize_markdown(description).trim_end());
    }
    text.push_str(&format!(
        "\n\nCreate a [`Client`] with [`Client::from_env`] (reads {}, and {} to override the base URL) \
         or [`Client::builder`], then call one method per operation; see [`operations`].",
        doc_code_span(&api.client.api_key_env),
        doc_code_span(&api.client.base_url_env)
    ));
    let docs = inner_doc_attrs(&text);
    let sse = api.has_event_streams().then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod sse;
        }
    });
    // Module declarations carry `#[rustfmt::skip]`: the repository that vendors the crate
    // may run `cargo fmt`, and generated files must stay byte-identical to the output.
    quote! {
        #docs
        #![forbid(unsafe_code)]

        #[rustfmt::skip]
        mod builders;
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        mod config;
        #[rustfmt::skip]
        mod consts;
        #[rustfmt::skip]
        mod enums;
        #[rustfmt::skip]
        pub mod error;
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        pub mod mock;
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        mod mock_support;
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod pagination;
        #[rustfmt::skip]
        pub mod request;
        #[rustfmt::skip]
        pub mod response;
        #sse
        #[rustfmt::skip]
        pub mod time;
        #[rustfmt::skip]
        mod unions;

        pub use client::{Client, ClientBuilder};
        pub use error::{ApiError, ApiErrorBody, DecodeError, Error, TransportError};
        pub use time::UnixTime;
        pub use request::{Call, RequestOptions};
        pub use response::ApiResponse;
    }
}

pub(super) fn config_rs(api: &Api) -> TokenStream {
    let base_url = &api.client.default_base_url;
    let key_env = &api.client.api_key_env;
    let url_env = &api.client.base_url_env;
    let auth = match &api.client.auth {
        Auth::None => quote!(crate::client::AuthScheme::None),
        Auth::Bearer => quote!(crate::client::AuthScheme::Bearer),
        Auth::Basic => quote!(crate::client::AuthScheme::Basic),
        Auth::ApiKeyHeader(name) => quote!(crate::client::AuthScheme::ApiKeyHeader(#name)),
        Auth::ApiKeyQuery(name) => quote!(crate::client::AuthScheme::ApiKeyQuery(#name)),
    };
    quote! {
        //! What the spec says about reaching the API: server, credentials, environment.

        /// The first server of the spec.
        pub(crate) const DEFAULT_BASE_URL: &str = #base_url;
        /// Environment variable [`Client::from_env`](crate::Client::from_env) reads the key from.
        pub(crate) const API_KEY_ENV: &str = #key_env;
        /// Environment variable that overrides [`DEFAULT_BASE_URL`].
        pub(crate) const BASE_URL_ENV: &str = #url_env;
        /// How the key is sent.
        pub(crate) const AUTH: crate::client::AuthScheme = #auth;
        /// Sent as `User-Agent` on every request.
        pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
    }
}
