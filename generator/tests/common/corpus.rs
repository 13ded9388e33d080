//! The corpus of real-world specs (`tests/corpus/`, and the listed ones in `tests/specs/`),
//! shared by the census (`corpus.rs`) and the test of the corpus crates' own tests
//! (`corpus_crates.rs`); `bench/run corpus` reads the list from here too.

use std::io::Read;

/// One spec of the corpus: its name in the report, and its root document relative to the
/// generator package (tests run with that as their working directory, and relative paths
/// keep machine-specific prefixes out of error messages and so out of the report).
pub struct Entry {
    pub name: &'static str,
    pub path: &'static str,
    /// An OpenAPI Overlay applied first: our fix for a bug in the vendor's spec.
    pub overlay: Option<&'static str>,
}

const fn entry(name: &'static str, path: &'static str) -> Entry {
    Entry {
        name,
        path,
        overlay: None,
    }
}

const fn entry_with_overlay(
    name: &'static str,
    path: &'static str,
    overlay: &'static str,
) -> Entry {
    Entry {
        name,
        path,
        overlay: Some(overlay),
    }
}

/// Sources, licences and versions are in `tests/corpus/README.md`.
pub const CORPUS: &[Entry] = &[
    entry(
        "adyen-balance-control-v1",
        "tests/corpus/adyen-balance-control-v1.json",
    ),
    entry(
        "adyen-bin-lookup-v54",
        "tests/corpus/adyen-bin-lookup-v54.json",
    ),
    entry(
        "adyen-checkout-v71",
        "tests/corpus/adyen-checkout-v71.json.gz",
    ),
    entry(
        "adyen-recurring-v68",
        "tests/corpus/adyen-recurring-v68.json",
    ),
    entry("box", "tests/corpus/box.json.gz"),
    entry("box-v2026.0", "tests/corpus/box-v2026.0.json"),
    entry(
        "digitalocean",
        "tests/corpus/digitalocean/DigitalOcean-public.v2.yaml",
    ),
    entry("discord", "tests/corpus/discord.json.gz"),
    entry(
        "google-maps-platform",
        "tests/corpus/google-maps-platform.json.gz",
    ),
    entry(
        "kubernetes-batch-v1",
        "tests/corpus/kubernetes-batch-v1.json",
    ),
    entry(
        "kubernetes-core-v1",
        "tests/corpus/kubernetes-core-v1.json.gz",
    ),
    entry("oai-uspto", "tests/corpus/oai-uspto.yaml"),
    entry("ory-kratos", "tests/corpus/ory-kratos.json"),
    entry("redocly-museum", "tests/corpus/redocly-museum.yaml"),
    entry(
        "redocly-starter",
        "tests/corpus/redocly-starter/openapi.yaml",
    ),
    entry("sendgrid", "tests/corpus/sendgrid/oas_v3.json"),
    entry("spree-store", "tests/corpus/spree-store.yaml"),
    // The same spec with its dangling `$ref` fixed by an overlay, as a user would.
    entry_with_overlay(
        "spree-store + overlay",
        "tests/corpus/spree-store.yaml",
        "tests/corpus/spree-store.overlay.yaml",
    ),
    entry("twilio-api-v2010", "tests/corpus/twilio-api-v2010.json.gz"),
    entry("twilio-chat-v3", "tests/corpus/twilio-chat-v3.json"),
    entry("twilio-lookups-v2", "tests/corpus/twilio-lookups-v2.json"),
    entry(
        "twilio-messaging-v1",
        "tests/corpus/twilio-messaging-v1.json",
    ),
    entry("xero-accounting", "tests/corpus/xero-accounting.yaml.gz"),
    entry("xero-projects", "tests/corpus/xero-projects.yaml"),
    entry("xero-webhooks", "tests/corpus/xero-webhooks.yaml"),
    entry("buildomat", "tests/specs/buildomat.json"),
    entry("keeper", "tests/specs/keeper.json"),
    entry("openai", "tests/specs/openai.yaml"),
    entry("petstore-expanded", "tests/specs/petstore-expanded.yaml"),
];

/// The spec's path without `.gz` and its text, decompressed when the file is gzipped.
pub fn read_spec(path: &str) -> std::io::Result<(String, Vec<u8>)> {
    let bytes = std::fs::read(path)?;
    match path.strip_suffix(".gz") {
        Some(inner) => {
            let mut text = Vec::new();
            flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut text)?;
            Ok((inner.to_string(), text))
        }
        None => Ok((path.to_string(), bytes)),
    }
}
