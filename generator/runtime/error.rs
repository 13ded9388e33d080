//! The crate's error type: what can go wrong before, during and after a request.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Everything a call on this client can fail with.
///
/// HTTP error statuses all arrive as one [`Error::Api`] variant carrying the status, rather than
/// one variant per status: servers send statuses the spec never listed, every status carries the
/// same data (status, request id, parsed body, headers), and a `match` on an open-ended set of
/// variants would break each time one is added. Ask with the methods instead
/// ([`is_not_found`](Error::is_not_found), [`is_rate_limited`](Error::is_rate_limited), …) or
/// match on [`Error::status`].
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a non-2xx status.
    #[error(transparent)]
    Api(ApiError),
    /// The request did not complete within its timeout, on the last attempt; or an event
    /// stream sent nothing for longer than its idle timeout.
    ///
    /// The source says which; its URL never carries a query string.
    #[error("request timed out")]
    Timeout(#[source] TransportError),
    /// The request could not be sent or its response could not be read (connection refused,
    /// reset, TLS failure, …), on the last attempt; or an event stream was cut off before
    /// its end.
    ///
    /// The source says which; its URL never carries a query string.
    #[error("connection error")]
    Connection(#[source] TransportError),
    /// An event stream that had started reported an error (an `error` event, or an error
    /// object where an event was expected); the stream ends after it.
    #[error("error event in the stream: {0}")]
    Stream(ApiError),
    /// A 2xx response body did not match the expected type.
    #[error(transparent)]
    Decode(DecodeError),
    /// The request was rejected before anything was sent (empty path parameter, invalid
    /// header, value that cannot be serialized).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client could not be built (missing API key, invalid base URL, invalid default
    /// header).
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status of the response, if one was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) | Error::Stream(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            _ => None,
        }
    }

    /// The server's request id (`x-request-id`), if a response was received; quote it when
    /// reporting a problem to the API provider.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) | Error::Stream(e) => e.request_id(),
            Error::Decode(e) => e.request_id(),
            _ => None,
        }
    }

    /// The server's error response, if this is an [`Error::Api`].
    pub fn as_api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    fn api_status(&self) -> Option<StatusCode> {
        self.as_api_error().map(ApiError::status)
    }

    /// 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.api_status() == Some(StatusCode::NOT_FOUND)
    }

    /// 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.api_status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// 401 Unauthorized: the API key is missing, wrong or revoked.
    pub fn is_unauthorized(&self) -> bool {
        self.api_status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// 403 Forbidden: the key is valid but may not do this.
    pub fn is_permission_denied(&self) -> bool {
        self.api_status() == Some(StatusCode::FORBIDDEN)
    }

    /// 409 Conflict.
    pub fn is_conflict(&self) -> bool {
        self.api_status() == Some(StatusCode::CONFLICT)
    }

    /// Any 5xx status.
    pub fn is_server_error(&self) -> bool {
        self.api_status().is_some_and(|s| s.is_server_error())
    }

    /// The request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// The request could not be sent or its response could not be read.
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection(_))
    }

    /// Whether sending the same request again might succeed: timeouts, connection errors and
    /// statuses 408, 409, 429 and 5xx. The client already retried such errors up to its
    /// `max_retries`; this is for callers that keep their own, longer-term retry policy.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout(_) | Error::Connection(_) => true,
            Error::Api(e) => is_retryable_status(e.status()),
            _ => false,
        }
    }
}

/// Why a request or an event stream failed below HTTP: a transport error from the HTTP
/// client, or a stream that stalled or was cut off.
pub struct TransportError {
    kind: TransportErrorKind,
}

enum TransportErrorKind {
    Http(reqwest::Error),
    #[allow(dead_code, reason = "used only by specs with event streams")]
    Stream(String),
}

impl TransportError {
    pub(crate) fn http(error: reqwest::Error) -> Self {
        TransportError {
            kind: TransportErrorKind::Http(error),
        }
    }

    #[allow(dead_code, reason = "used only by specs with event streams")]
    pub(crate) fn stream(message: impl Into<String>) -> Self {
        TransportError {
            kind: TransportErrorKind::Stream(message.into()),
        }
    }

    /// The HTTP client's error, when the failure came from it.
    pub fn reqwest_error(&self) -> Option<&reqwest::Error> {
        match &self.kind {
            TransportErrorKind::Http(error) => Some(error),
            TransportErrorKind::Stream(_) => None,
        }
    }
}

impl std::fmt::Debug for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            TransportErrorKind::Http(error) => std::fmt::Debug::fmt(error, f),
            TransportErrorKind::Stream(message) => f.debug_tuple("Stream").field(message).finish(),
        }
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            TransportErrorKind::Http(error) => std::fmt::Display::fmt(error, f),
            TransportErrorKind::Stream(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            TransportErrorKind::Http(error) => error.source(),
            TransportErrorKind::Stream(_) => None,
        }
    }
}

pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// A non-2xx response.
///
/// Displays as `404 Not Found: <message> (request id req_123)`.
#[derive(Clone)]
pub struct ApiError {
    // Boxed so that `Result<T, Error>` stays small however much a response carries.
    inner: Box<ApiErrorInner>,
}

#[derive(Clone)]
struct ApiErrorInner {
    status: StatusCode,
    request_id: Option<String>,
    body: Option<ApiErrorBody>,
    raw_body: String,
    headers: HeaderMap,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, raw_body: &[u8]) -> Self {
        let body = ApiErrorBody::parse(raw_body);
        let request_id = request_id_of(&headers);
        ApiError {
            inner: Box::new(ApiErrorInner {
                status,
                request_id,
                body,
                raw_body: String::from_utf8_lossy(raw_body).into_owned(),
                headers,
            }),
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// The server's request id (`x-request-id` header).
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The parsed `{"error": {...}}` body, if the response had one.
    pub fn body(&self) -> Option<&ApiErrorBody> {
        self.inner.body.as_ref()
    }

    /// The response body as text (invalid UTF-8 replaced), whatever its shape.
    pub fn raw_body(&self) -> &str {
        &self.inner.raw_body
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }
}

impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &self.inner;
        f.debug_struct("ApiError")
            .field("status", &inner.status)
            .field("request_id", &inner.request_id)
            .field("body", &inner.body)
            .field("raw_body", &inner.raw_body)
            .field("headers", &inner.headers)
            .finish()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.inner.status)?;
        match self.body() {
            Some(body) if !body.message.is_empty() => write!(f, ": {}", body.message)?,
            // Without a structured message, the start of the body is the best clue there is.
            _ if !self.inner.raw_body.trim().is_empty() => {
                write!(f, ": {}", snippet(self.inner.raw_body.trim()))?
            }
            _ => {}
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The `error` object of an API error response: `{"error": {"message": ..., "type": ...,
/// "param": ..., "code": ...}}`.
///
/// Parsed leniently, because real servers drift from their specs: `code` may be a number or a
/// string (kept as a string), `error` may be a bare string, and missing fields are `None` (or an
/// empty message).
#[non_exhaustive]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiErrorBody {
    /// Human-readable description.
    pub message: String,
    /// Error category, such as `invalid_request_error`.
    pub r#type: Option<String>,
    /// The request parameter the error is about.
    pub param: Option<String>,
    /// Machine-readable error code.
    pub code: Option<String>,
}

impl ApiErrorBody {
    fn parse(raw: &[u8]) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_slice(raw).ok()?;
        let object = value.as_object()?;
        match object.get("error") {
            Some(serde_json::Value::Object(error)) => Some(ApiErrorBody {
                message: error
                    .get("message")
                    .and_then(scalar_to_string)
                    .unwrap_or_default(),
                r#type: error.get("type").and_then(scalar_to_string),
                param: error.get("param").and_then(scalar_to_string),
                code: error.get("code").and_then(scalar_to_string),
            }),
            Some(serde_json::Value::String(message)) => Some(ApiErrorBody {
                message: message.clone(),
                ..ApiErrorBody::default()
            }),
            // Some servers skip the envelope and put `message` at the top level.
            _ => object
                .get("message")
                .and_then(scalar_to_string)
                .map(|message| ApiErrorBody {
                    message,
                    r#type: object.get("type").and_then(scalar_to_string),
                    param: object.get("param").and_then(scalar_to_string),
                    code: object.get("code").and_then(scalar_to_string),
                }),
        }
    }
}

fn scalar_to_string(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A 2xx response whose body did not match the expected type.
///
/// Displays as `could not decode 200 OK response at data[3].status: <serde message> (request id
/// req_123)`; [`snippet`](DecodeError::snippet) has the start of the body.
#[derive(Clone)]
pub struct DecodeError {
    // Boxed so that `Result<T, Error>` stays small.
    inner: Box<DecodeErrorInner>,
}

#[derive(Clone)]
struct DecodeErrorInner {
    status: StatusCode,
    path: String,
    message: String,
    snippet: String,
    request_id: Option<String>,
}

impl DecodeError {
    pub(crate) fn new(
        status: StatusCode,
        headers: &HeaderMap,
        path: String,
        message: String,
        body: &[u8],
    ) -> Self {
        DecodeError {
            inner: Box::new(DecodeErrorInner {
                status,
                path,
                message,
                snippet: snippet(&String::from_utf8_lossy(body)).to_owned(),
                request_id: request_id_of(headers),
            }),
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// Where in the body decoding failed, such as `data[3].status` (`.` for the top level).
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// What was wrong there.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The first ~200 characters of the body.
    pub fn snippet(&self) -> &str {
        &self.inner.snippet
    }

    /// The server's request id (`x-request-id` header).
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
}

impl std::fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &self.inner;
        f.debug_struct("DecodeError")
            .field("status", &inner.status)
            .field("path", &inner.path)
            .field("message", &inner.message)
            .field("snippet", &inner.snippet)
            .field("request_id", &inner.request_id)
            .finish()
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &self.inner;
        write!(f, "could not decode {} response", inner.status)?;
        if inner.path != "." {
            write!(f, " at {}", inner.path)?;
        }
        write!(f, ": {}", inner.message)?;
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

pub(crate) fn request_id_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

const SNIPPET_CHARS: usize = 200;

/// The first [`SNIPPET_CHARS`] characters of `text`, cut on a character boundary.
fn snippet(text: &str) -> &str {
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}
