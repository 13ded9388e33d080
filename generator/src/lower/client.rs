//! The generated client's settings from the spec: base URL (`servers`), auth
//! (`security`, `securitySchemes`), crate and environment variable names
//! (`x-rust-client`, or derived from the title), how dates are typed (`x-rust-client`'s
//! `date-time`), and the overrides `Settings` gives.

use super::{child, Diagnostics};
use crate::ir::{Auth, ClientConfig, DateTimeType};
use crate::naming;
use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

/// Overrides of what the spec says about the generated client.
#[derive(Debug, Clone, Default)]
pub struct ClientOverrides {
    pub crate_name: Option<String>,
    pub api_key_env: Option<String>,
    pub base_url_env: Option<String>,
    /// How `date-time` and `date` strings are typed; wins over `x-rust-client`.
    pub date_time: Option<DateTimeType>,
}

/// `date-time` typing: the override, else `x-rust-client: {date-time: jiff | string}`,
/// else [`DateTimeType::String`]. Any other value is a warning and keeps the default.
pub(super) fn date_time_type(
    spec: &OpenAPI,
    overrides: &ClientOverrides,
    diagnostics: &mut Diagnostics,
) -> DateTimeType {
    if let Some(choice) = overrides.date_time {
        return choice;
    }
    let settings = spec.info.extensions.get("x-rust-client");
    match settings.and_then(|s| s.get("date-time")) {
        None => DateTimeType::default(),
        Some(value) => match value.as_str() {
            Some("jiff") => DateTimeType::Jiff,
            Some("string") => DateTimeType::String,
            _ => {
                diagnostics.warn(
                    "/info/x-rust-client/date-time",
                    "expected `jiff` or `string`; date-time and date values stay strings",
                );
                DateTimeType::default()
            }
        },
    }
}

fn extension_str<'a>(value: Option<&'a serde_json::Value>, key: &str) -> Option<&'a str> {
    value?.get(key)?.as_str()
}

pub(super) fn client_config(
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

    let mut config = ClientConfig {
        crate_name,
        default_base_url,
        api_key_env,
        base_url_env,
        auth: auth_scheme(spec, diagnostics),
    };
    crate::escape::check_client_names(&mut config, overrides, settings, diagnostics);
    config
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
