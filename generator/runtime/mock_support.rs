//! The spec-independent half of the `mock` feature: [`MockServer`] (start, stop, drop) and the
//! helpers the generated handlers in `mock.rs` use to reject bad requests and answer with
//! canned responses. Compiled only with the `mock` feature.

// Checks return the rejection itself as the error; boxing it would only add noise to a test
// server's cold path.
#![allow(clippy::result_large_err)]

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The key [`MockServer::client`] sends; the mock accepts any non-empty key.
pub const MOCK_API_KEY: &str = "mock-api-key";

/// A fake of the API listening on `127.0.0.1`. It stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    address: std::net::SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl MockServer {
    /// Starts the server on a free port of `127.0.0.1`.
    pub async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = crate::mock::router();
        let task = tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            // The server only ends by shutdown or when the listener fails; either way there
            // is no one to report to but the caller's next request.
            let _ = server.await;
        });
        Ok(Self {
            address,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The URL to use as the client's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A client pointed at this server, with [`MOCK_API_KEY`].
    pub fn client(&self) -> Result<crate::Client, crate::Error> {
        crate::Client::builder()
            .api_key(MOCK_API_KEY)
            .base_url(self.base_url())
            .build()
    }

    /// Stops the server and waits until it has closed its listener.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// The query string as (name, value) pairs, repeated names kept.
pub(crate) type Query = Vec<(String, String)>;

/// An error response in the API's error shape.
pub(crate) fn error_response(
    status: u16,
    message: String,
    param: Option<&str>,
    code: &str,
) -> Response {
    let body = serde_json::json!({
        "error": { "message": message, "type": "invalid_request_error", "param": param, "code": code }
    });
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(body)).into_response()
}

/// 400 naming the parameter.
pub(crate) fn bad_parameter(name: &str, message: String) -> Response {
    error_response(400, message, Some(name), "invalid_parameter")
}

/// 401, for requests without credentials.
#[allow(dead_code, reason = "specs without auth accept every request")]
pub(crate) fn unauthorized() -> Response {
    error_response(
        401,
        String::from("missing or invalid credentials"),
        None,
        "invalid_api_key",
    )
}

/// 400 for a body that does not decode as the operation's body type.
#[allow(dead_code, reason = "used only by specs with JSON request bodies")]
pub(crate) fn bad_body(error: impl std::fmt::Display) -> Response {
    error_response(
        400,
        format!("the body does not match the spec: {error}"),
        None,
        "invalid_body",
    )
}

/// 400 for a missing required body.
#[allow(dead_code, reason = "used only by specs with required request bodies")]
pub(crate) fn missing_body() -> Response {
    error_response(
        400,
        String::from("a request body is required"),
        None,
        "missing_body",
    )
}

/// The canned answer of an operation.
pub(crate) fn respond(status: u16, content_type: &'static str, body: &'static str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    if !content_type.is_empty() {
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        );
    }
    response
        .headers_mut()
        .insert("x-request-id", HeaderValue::from_static("req_mock"));
    response
}

/// Every value of a query parameter.
#[allow(
    dead_code,
    reason = "used only by specs with query parameters or query-string keys"
)]
pub(crate) fn query_values<'q>(query: &'q Query, name: &str) -> Vec<&'q str> {
    query
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .collect()
}

/// Every value of a header, as text.
#[allow(dead_code, reason = "used only by specs with header parameters")]
pub(crate) fn header_values<'h>(headers: &'h axum::http::HeaderMap, name: &str) -> Vec<&'h str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect()
}

/// The value of path parameter `key` (`p0`, `p1`, ... in path order), as a list.
#[allow(dead_code, reason = "used only by specs with path parameters")]
pub(crate) fn path_values<'p>(path: &'p [(String, String)], key: &str) -> Vec<&'p str> {
    path.iter()
        .filter(|(name, _)| name == key)
        .map(|(_, value)| value.as_str())
        .collect()
}

/// 400 unless `value` is within the spec's bounds.
#[allow(dead_code, reason = "used only by specs whose parameters have bounds")]
pub(crate) fn check_bounds(
    name: &str,
    value: f64,
    minimum: Option<f64>,
    maximum: Option<f64>,
) -> Result<(), Response> {
    if minimum.is_some_and(|min| value < min) || maximum.is_some_and(|max| value > max) {
        return Err(bad_parameter(
            name,
            format!("`{name}` is out of range: {value}"),
        ));
    }
    Ok(())
}

/// Parses a parameter's text, or 400 naming it.
#[allow(
    dead_code,
    reason = "used only by specs with typed (non-string) parameters"
)]
pub(crate) fn parse_value<T: std::str::FromStr>(name: &str, raw: &str) -> Result<T, Response> {
    raw.parse::<T>().map_err(|_| {
        bad_parameter(
            name,
            format!("`{name}` has an invalid value: {raw:?}"),
        )
    })
}

/// 404 for a route the spec does not have.
pub(crate) async fn not_found() -> Response {
    error_response(
        404,
        String::from("no such route in the spec"),
        None,
        "not_found",
    )
}
