//! `openapiv3::OpenAPI` → [`crate::ir::Api`]: the only code that reads `openapiv3` types.
//!
//! Lowering resolves `$ref`s, names inline schemas after where they appear, detects
//! pagination, and collects every problem with its JSON pointer so they are reported
//! together. `schemas/` turns schemas into named types, `operations.rs` paths into
//! operations, `client.rs` servers, security and `x-rust-client` into the client's
//! settings, `cycles.rs` makes self-containing types expressible, and `features.rs`
//! gives each tag a Cargo feature and each type the features that need it. Last, the
//! examples that would not decode into their types are dropped (`crate::examples`).

mod client;
mod cycles;
mod features;
mod operations;
mod schemas;

use crate::ir::{Api, Diagnostic};
use openapiv3::OpenAPI;

pub use client::ClientOverrides;
pub(crate) use schemas::TypeSpace;

/// The result of lowering: the API, and warnings about what was approximated.
#[derive(Debug)]
pub struct Lowered {
    pub api: Api,
    pub warnings: Vec<Diagnostic>,
}

/// Lowers a parsed spec. Errors are every problem that stops generation.
pub fn lower(spec: &OpenAPI, overrides: &ClientOverrides) -> Result<Lowered, Vec<Diagnostic>> {
    let mut diagnostics = Diagnostics::default();
    let date_time = client::date_time_type(spec, overrides, &mut diagnostics);
    let mut space = TypeSpace::new(spec, date_time);
    space.diagnostics = diagnostics;
    space.declare_components();
    let operations = operations::lower_operations(spec, &mut space);
    let client = client::client_config(spec, overrides, &mut space.diagnostics);
    let (types, mut diagnostics) = space.finish();
    if !diagnostics.errors.is_empty() {
        return Err(diagnostics.errors);
    }
    let mut api = Api {
        title: spec.info.title.clone(),
        description: spec.info.description.clone(),
        version: spec.info.version.clone(),
        client,
        types,
        operations,
        features: Vec::new(),
        type_gates: Vec::new(),
    };
    // Once every type exists: examples that would not decode are reported and dropped.
    crate::examples::keep_fitting(&mut api, &mut diagnostics);
    features::assign(&mut api);
    Ok(Lowered {
        api,
        warnings: diagnostics.warnings,
    })
}

/// Warnings and errors collected while lowering: the sink every phase shares.
pub(crate) use crate::diagnostics::Diagnostics;
/// Joins a JSON pointer and one more token.
pub(crate) use crate::pointer::child;
