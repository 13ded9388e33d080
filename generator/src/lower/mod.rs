//! `openapiv3::OpenAPI` → [`crate::ir::Api`]: the only code that reads `openapiv3` types.
//!
//! Lowering resolves `$ref`s, names inline schemas after where they appear, detects
//! pagination, and collects every problem with its JSON pointer so they are reported
//! together.

mod cycles;
mod operations;
mod schemas;

use crate::ir::{Api, Auth, ClientConfig, Diagnostic};
use crate::naming;
use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

pub(crate) use schemas::TypeSpace;

/// Overrides of what the spec says about the generated client.
#[derive(Debug, Clone, Default)]
pub struct ClientOverrides {
    pub crate_name: Option<String>,
    pub api_key_env: Option<String>,
    pub base_url_env: Option<String>,
}

/// The result of lowering: the API, and warnings about what was approximated.
#[derive(Debug)]
pub struct Lowered {
    pub api: Api,
    pub warnings: Vec<Diagnostic>,
}

/// Lowers a parsed spec. Errors are every problem that stops generation.
pub fn lower(spec: &OpenAPI, overrides: &ClientOverrides) -> Result<Lowered, Vec<Diagnostic>> {
    let mut space = TypeSpace::new(spec);
    space.declare_components();
    let operations = operations::lower_operations(spec, &mut space);
    let client = client_config(spec, overrides, &mut space.diagnostics);
    let (types, diagnostics) = space.finish();
    if !diagnostics.errors.is_empty() {
        return Err(diagnostics.errors);
    }
    Ok(Lowered {
        api: Api {
            title: spec.info.title.clone(),
            description: spec.info.description.clone(),
            version: spec.info.version.clone(),
            client,
            types,
            operations,
        },
        warnings: diagnostics.warnings,
    })
}

/// Warnings and errors collected while lowering: the sink every phase shares.
pub(crate) use crate::diagnostics::Diagnostics;
/// Joins a JSON pointer and one more token.
pub(crate) use crate::pointer::child;

fn extension_str<'a>(value: Option<&'a serde_json::Value>, key: &str) -> Option<&'a str> {
    value?.get(key)?.as_str()
}

fn client_config(
    spec: &OpenAPI,
    overrides: &ClientOverrides,
    diagnostics: &mut Diagnostics,
) -> ClientConfig {
    let settings = spec.info.extensions.get("x-rust-client");
    let title_words = naming::field_name(&spec.info.title)
        .trim_start_matches("r#")
        .to_string();
    let crate_name = overrides
        .crate_name
        .clone()
        .or_else(|| extension_str(settings, "crate-name").map(str::to_string))
        .unwrap_or_else(|| {
            let name = title_words.replace('_', "-");
            if name.is_empty() {
                "api-client".to_string()
            } else {
                name
            }
        });
    let env_prefix = title_words.to_ascii_uppercase();
    let api_key_env = overrides
        .api_key_env
        .clone()
        .or_else(|| extension_str(settings, "api-key-env").map(str::to_string))
        .unwrap_or_else(|| format!("{env_prefix}_API_KEY"));
    let base_url_env = overrides
        .base_url_env
        .clone()
        .or_else(|| extension_str(settings, "base-url-env").map(str::to_string))
        .unwrap_or_else(|| format!("{env_prefix}_BASE_URL"));

    let default_base_url = spec
        .servers
        .first()
        .map(|server| {
            let mut url = server.url.clone();
            if let Some(variables) = &server.variables {
                for (name, variable) in variables {
                    url = url.replace(&format!("{{{name}}}"), &variable.default);
                }
            }
            url.trim_end_matches('/').to_string()
        })
        .unwrap_or_default();

    ClientConfig {
        crate_name,
        default_base_url,
        api_key_env,
        base_url_env,
        auth: auth_scheme(spec, diagnostics),
    }
}

/// The scheme of the first security requirement that applies to the whole API (or, when
/// there is none, to the first operation that has one).
fn auth_scheme(spec: &OpenAPI, diagnostics: &mut Diagnostics) -> Auth {
    let requirement_name = spec
        .security
        .iter()
        .flatten()
        .chain(
            spec.paths
                .paths
                .values()
                .filter_map(ReferenceOr::as_item)
                .flat_map(|item| item.iter().map(|(_, op)| op))
                .filter_map(|op| op.security.as_ref())
                .flatten(),
        )
        .find_map(|requirement| requirement.keys().next().cloned());
    let Some(name) = requirement_name else {
        return Auth::None;
    };
    let pointer = child("/components/securitySchemes", &name);
    let scheme = spec
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(&name));
    match scheme {
        Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) => {
            match scheme.to_ascii_lowercase().as_str() {
                "bearer" => Auth::Bearer,
                "basic" => Auth::Basic,
                other => {
                    diagnostics.warn(
                        &pointer,
                        format!("HTTP auth scheme `{other}` is not supported; the key is sent as a bearer token"),
                    );
                    Auth::Bearer
                }
            }
        }
        Some(ReferenceOr::Item(SecurityScheme::APIKey { location, name, .. })) => match location {
            openapiv3::APIKeyLocation::Header => Auth::ApiKeyHeader(name.clone()),
            openapiv3::APIKeyLocation::Query => Auth::ApiKeyQuery(name.clone()),
            openapiv3::APIKeyLocation::Cookie => {
                diagnostics.warn(
                    &pointer,
                    "API keys in cookies are not supported; the client sends no credentials",
                );
                Auth::None
            }
        },
        Some(ReferenceOr::Item(
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. },
        )) => {
            diagnostics.warn(
                &pointer,
                "OAuth2/OpenID Connect flows are not run by the client; pass an access token as the API key (sent as a bearer token)",
            );
            Auth::Bearer
        }
        Some(ReferenceOr::Reference { reference }) => {
            diagnostics.warn(
                &pointer,
                format!("security scheme given as a $ref ({reference}) is not supported; the key is sent as a bearer token"),
            );
            Auth::Bearer
        }
        None => {
            diagnostics.error(
                &pointer,
                format!("security requirement names `{name}`, which is not in components.securitySchemes"),
            );
            Auth::None
        }
    }
}
