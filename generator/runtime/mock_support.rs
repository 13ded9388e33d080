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

/// What a handler returns: the canned answer, or the rejection of a bad request.
pub(crate) type Answer = Result<Response, Response>;

/// A check: nothing, or the rejection to answer with.
pub(crate) type Checked = Result<(), Response>;

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

/// 400 unless a JSON body decodes as `T`; an empty body is fine unless `required`.
#[allow(dead_code, reason = "used only by specs with JSON request bodies")]
pub(crate) fn check_json_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    required: bool,
) -> Checked {
    if body.is_empty() {
        if required {
            return Err(error_response(
                400,
                String::from("a request body is required"),
                None,
                "missing_body",
            ));
        }
        return Ok(());
    }
    match serde_json::from_slice::<T>(body) {
        Ok(_) => Ok(()),
        Err(error) => Err(error_response(
            400,
            format!("the body does not match the spec: {error}"),
            None,
            "invalid_body",
        )),
    }
}

/// The canned answer of an operation, as a handler returns it.
pub(crate) fn answer(status: u16, content_type: &'static str, body: &'static str) -> Answer {
    Ok(respond(status, content_type, body))
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

/// Items of arrays sent joined with `,` (every style but an exploded query).
#[allow(
    dead_code,
    reason = "used only by specs with non-exploded array parameters"
)]
pub(crate) fn split_items(values: Vec<&str>) -> Vec<&str> {
    values.iter().flat_map(|value| value.split(',')).collect()
}

/// 400 when a required parameter is absent.
#[allow(dead_code, reason = "used only by specs with required parameters")]
pub(crate) fn require(name: &str, values: &[&str]) -> Checked {
    if values.is_empty() {
        return Err(bad_parameter(
            name,
            format!("missing required parameter `{name}`"),
        ));
    }
    Ok(())
}

/// Numbers a parameter can hold, compared with the spec's bounds as `f64`.
#[allow(dead_code, reason = "used only by specs with numeric parameters")]
pub(crate) trait MockNumber: Copy {
    fn to_f64(self) -> f64;
}

macro_rules! mock_number {
    ($($ty:ty),*) => {
        $(impl MockNumber for $ty {
            fn to_f64(self) -> f64 {
                self as f64
            }
        })*
    };
}

mock_number!(i32, i64, u32, u64, f32, f64);

/// Every value parsed as `T`, or 400 naming the parameter.
#[allow(
    dead_code,
    reason = "used only by specs with typed (non-string) parameters"
)]
pub(crate) fn parse_all<T: std::str::FromStr>(
    name: &str,
    values: &[&str],
) -> Result<Vec<T>, Response> {
    values.iter().map(|raw| parse_value(name, raw)).collect()
}

/// 400 unless every number lies within `minimum..=maximum` (infinite when the spec has
/// no bound).
#[allow(dead_code, reason = "used only by specs whose parameters have bounds")]
pub(crate) fn check_bounds<T: MockNumber>(
    name: &str,
    numbers: &[T],
    minimum: f64,
    maximum: f64,
) -> Checked {
    for number in numbers {
        let value = number.to_f64();
        if value < minimum || value > maximum {
            return Err(bad_parameter(
                name,
                format!("`{name}` is out of range: {value}"),
            ));
        }
    }
    Ok(())
}

/// Parses a parameter's text, or 400 naming it.
fn parse_value<T: std::str::FromStr>(name: &str, raw: &str) -> Result<T, Response> {
    raw.parse::<T>()
        .map_err(|_| bad_parameter(name, format!("`{name}` has an invalid value: {raw:?}")))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn status(checked: Checked) -> Option<u16> {
        checked.err().map(|response| response.status().as_u16())
    }

    #[test]
    fn bad_parameters_and_bodies_are_rejected_with_400() {
        assert_eq!(status(require("limit", &[])), Some(400));
        assert_eq!(status(require("limit", &["1"])), None);
        let numbers: Vec<i64> = parse_all("limit", &["1", "100"]).unwrap();
        assert_eq!(status(check_bounds("limit", &numbers, 1.0, 100.0)), None);
        assert_eq!(
            status(check_bounds("limit", &[0i64], 1.0, f64::INFINITY)),
            Some(400)
        );
        assert!(parse_all::<i64>("limit", &["ten"]).is_err());
        assert_eq!(split_items(vec!["a,b", "c"]), ["a", "b", "c"]);
        assert_eq!(status(check_json_body::<Vec<i64>>(b"", false)), None);
        assert_eq!(status(check_json_body::<Vec<i64>>(b"", true)), Some(400));
        assert_eq!(status(check_json_body::<Vec<i64>>(b"{}", false)), Some(400));
        assert_eq!(status(check_json_body::<Vec<i64>>(b"[1]", true)), None);
    }
}
