//! Building, sending and decoding one operation call: [`Call`], its options, and the helpers the
//! generated operations use to describe their requests.

use std::borrow::Cow;
use std::fmt::Display;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::client::Client;
use crate::error::{DecodeError, Error};
use crate::response::{ApiResponse, RawResponse};

/// Per-call settings that override the client's.
///
/// Usually set through the methods of [`Call`]; build one directly to share the same settings
/// between calls with [`Call::with_options`].
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    // An invalid header is reported when the call is sent, so that the builder chain stays
    // infallible.
    pub(crate) header_error: Option<String>,
}

impl std::fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values are left out, as in `ClientBuilder`'s `Debug`: callers put tokens in
        // them too (a per-call `authorization`, a proxy's key).
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("idle_timeout", &self.idle_timeout)
            .field("headers", &header_names)
            .field("header_error", &self.header_error)
            .finish()
    }
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Timeout of each attempt, from connecting until the body is read.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed attempt is retried (0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// How long an event stream may send nothing before it fails with
    /// [`Error::Timeout`]; overrides the client's `stream_idle_timeout`.
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }

    /// Adds a header, replacing one of the same name set by the client or the operation. An
    /// invalid name or value makes the call fail with [`Error::InvalidRequest`] when sent.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match parse_header(name.as_ref(), value.as_ref()) {
            Ok(pair) => self.headers.push(pair),
            Err(message) => {
                self.header_error.get_or_insert(message);
            }
        }
        self
    }
}

/// Parses a header pair; the message names the header but never quotes the value, which may be
/// a secret.
pub(crate) fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("invalid header name {name:?}"))?;
    let header_value =
        HeaderValue::from_str(value).map_err(|_| format!("invalid value for header {name:?}"))?;
    Ok((header_name, header_value))
}

/// The spec-specific half of a request, produced by [`Operation::to_request`]; the client adds
/// base URL, authentication and default headers.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct RequestParts {
    pub(crate) method: reqwest::Method,
    /// Starts with `/`; parameters already percent-encoded with [`path_segment`].
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<RequestBody>,
}

/// What [`Operation::to_request`] returns.
#[doc(hidden)]
pub type RequestResult = Result<RequestParts, Error>;

#[allow(
    dead_code,
    reason = "each spec uses only the helpers its operations need"
)]
impl RequestParts {
    /// A request whose path starts with `path` (a literal piece of the spec's path).
    pub(crate) fn new(method: reqwest::Method, path: impl Into<String>) -> Self {
        RequestParts {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A `GET` request whose path starts with `path`; the same for each method below.
    pub(crate) fn get(path: &str) -> Self {
        Self::new(reqwest::Method::GET, path)
    }

    pub(crate) fn put(path: &str) -> Self {
        Self::new(reqwest::Method::PUT, path)
    }

    pub(crate) fn post(path: &str) -> Self {
        Self::new(reqwest::Method::POST, path)
    }

    pub(crate) fn delete(path: &str) -> Self {
        Self::new(reqwest::Method::DELETE, path)
    }

    pub(crate) fn options(path: &str) -> Self {
        Self::new(reqwest::Method::OPTIONS, path)
    }

    pub(crate) fn head(path: &str) -> Self {
        Self::new(reqwest::Method::HEAD, path)
    }

    pub(crate) fn patch(path: &str) -> Self {
        Self::new(reqwest::Method::PATCH, path)
    }

    pub(crate) fn trace(path: &str) -> Self {
        Self::new(reqwest::Method::TRACE, path)
    }

    /// Appends a literal piece of the path.
    pub(crate) fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter, percent-encoded so it stays exactly one segment.
    pub(crate) fn path_param<V: ParamValue + ?Sized>(
        &mut self,
        name: &'static str,
        value: &V,
    ) -> Result<(), Error> {
        let segment = path_segment(name, &value.param_text())?;
        self.path.push_str(&segment);
        Ok(())
    }

    /// [`path_param`](Self::path_param) as the last step of building a request.
    pub(crate) fn with_path_param<V: ParamValue + ?Sized>(
        mut self,
        name: &'static str,
        value: &V,
    ) -> Result<Self, Error> {
        self.path_param(name, value)?;
        Ok(self)
    }

    /// Sets the encoded body.
    pub(crate) fn set_body(&mut self, body: RequestBody) {
        self.body = Some(body);
    }

    /// Appends one query pair per value: pass `&option` for an optional parameter, `[&value]`
    /// for a required one, or the items of an exploded array.
    pub(crate) fn query<V: ParamValue>(
        &mut self,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
    ) {
        for value in values {
            self.query.push((name, value.param_text().into_owned()));
        }
    }

    /// Appends one query pair per list, its items joined by `separator` (a non-exploded
    /// array: `ids=a,b,c`).
    pub(crate) fn query_joined<L: IntoIterator<Item = V>, V: ParamValue>(
        &mut self,
        name: &'static str,
        lists: impl IntoIterator<Item = L>,
        separator: &str,
    ) {
        for list in lists {
            self.query.push((name, joined(list, separator)));
        }
    }

    /// Adds a header per value; fails when a value cannot be sent in a header.
    pub(crate) fn header<V: ParamValue>(
        &mut self,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
    ) -> Result<(), Error> {
        for value in values {
            self.push_header(name, &value.param_text())?;
        }
        Ok(())
    }

    /// Adds a header per list, its items joined by `separator`.
    pub(crate) fn header_joined<L: IntoIterator<Item = V>, V: ParamValue>(
        &mut self,
        name: &'static str,
        lists: impl IntoIterator<Item = L>,
        separator: &str,
    ) -> Result<(), Error> {
        for list in lists {
            self.push_header(name, &joined(list, separator))?;
        }
        Ok(())
    }

    /// Adds a header parameter; fails when the value cannot be sent in a header.
    pub(crate) fn push_header(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        let pair = parse_header(name, value).map_err(Error::InvalidRequest)?;
        self.headers.push(pair);
        Ok(())
    }

    pub(crate) fn with_body(mut self, body: RequestBody) -> Self {
        self.body = Some(body);
        self
    }
}

fn joined<V: ParamValue>(list: impl IntoIterator<Item = V>, separator: &str) -> String {
    let texts: Vec<String> = list
        .into_iter()
        .map(|value| value.param_text().into_owned())
        .collect();
    texts.join(separator)
}

/// How a parameter value is written in a query string, a header or a path segment. The
/// generated enum and const types implement it through their macros.
pub(crate) trait ParamValue {
    fn param_text(&self) -> Cow<'_, str>;
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn param_text(&self) -> Cow<'_, str> {
        (**self).param_text()
    }
}

impl ParamValue for str {
    fn param_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for String {
    fn param_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

macro_rules! display_param_value {
    ($($ty:ty),*) => {
        $(impl ParamValue for $ty {
            fn param_text(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        })*
    };
}

display_param_value!(i32, i64, u32, u64, f32, f64, bool);

/// A parameter with no text form of its own (an object, a union), sent as JSON text.
#[allow(dead_code, reason = "used only by specs with object-typed parameters")]
pub(crate) struct AsJson<'a, T: ?Sized>(pub(crate) &'a T);

impl<T: serde::Serialize + ?Sized> ParamValue for AsJson<'_, T> {
    fn param_text(&self) -> Cow<'_, str> {
        Cow::Owned(serde_json::to_string(self.0).unwrap_or_default())
    }
}

/// Fails unless every value is within `min..=max` (the spec's `minimum` and `maximum`).
#[allow(dead_code, reason = "used only by specs whose parameters have bounds")]
pub(crate) fn check_range<'a, T: PartialOrd + Display + 'a>(
    name: &str,
    values: impl IntoIterator<Item = &'a T> + Clone,
    min: T,
    max: T,
) -> Result<(), Error> {
    check_min(name, values.clone(), min)?;
    check_max(name, values, max)
}

/// Fails unless every value is at least `min` (the spec's `minimum`), before anything is sent.
#[allow(dead_code, reason = "used only by specs whose parameters have bounds")]
pub(crate) fn check_min<'a, T: PartialOrd + Display + 'a>(
    name: &str,
    values: impl IntoIterator<Item = &'a T>,
    min: T,
) -> Result<(), Error> {
    match values.into_iter().find(|value| **value < min) {
        Some(value) => Err(Error::InvalidRequest(format!(
            "`{name}` must be at least {min}, got {value}"
        ))),
        None => Ok(()),
    }
}

/// Fails unless every value is at most `max` (the spec's `maximum`).
#[allow(dead_code, reason = "used only by specs whose parameters have bounds")]
pub(crate) fn check_max<'a, T: PartialOrd + Display + 'a>(
    name: &str,
    values: impl IntoIterator<Item = &'a T>,
    max: T,
) -> Result<(), Error> {
    match values.into_iter().find(|value| **value > max) {
        Some(value) => Err(Error::InvalidRequest(format!(
            "`{name}` must be at most {max}, got {value}"
        ))),
        None => Ok(()),
    }
}

/// Fails unless every text has at least `min` characters (the spec's `minLength`).
#[allow(dead_code, reason = "used only by specs whose parameters have lengths")]
pub(crate) fn check_min_length<'a>(
    name: &str,
    values: impl IntoIterator<Item = &'a String>,
    min: usize,
) -> Result<(), Error> {
    if values.into_iter().any(|value| value.chars().count() < min) {
        return Err(Error::InvalidRequest(format!(
            "`{name}` must be at least {min} characters long"
        )));
    }
    Ok(())
}

/// Fails unless every text has at most `max` characters (the spec's `maxLength`).
#[allow(dead_code, reason = "used only by specs whose parameters have lengths")]
pub(crate) fn check_max_length<'a>(
    name: &str,
    values: impl IntoIterator<Item = &'a String>,
    max: usize,
) -> Result<(), Error> {
    if values.into_iter().any(|value| value.chars().count() > max) {
        return Err(Error::InvalidRequest(format!(
            "`{name}` must be at most {max} characters long"
        )));
    }
    Ok(())
}

/// A serialized request body. The bytes are reference-counted, so every retry sends exactly the
/// same body without serializing again.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct RequestBody {
    pub(crate) content_type: &'static str,
    pub(crate) bytes: bytes::Bytes,
}

/// Implemented by the generated per-operation parameter structs.
#[doc(hidden)]
pub trait Operation: Send + 'static {
    /// What a successful response decodes to.
    type Output: Send + 'static;
    /// How a 2xx body becomes [`Output`](Operation::Output): [`Json`], [`Text`], [`Binary`]
    /// or [`NoContent`].
    type Decoder: Decode<Self::Output>;
    /// The spec's `operationId`, used in tracing spans.
    const OPERATION_ID: &'static str;
    /// Describes the HTTP request; fails before anything is sent when a parameter is invalid.
    fn to_request(&self) -> Result<RequestParts, Error>;
    /// Decodes a 2xx response.
    fn decode(response: &RawResponse) -> Result<Self::Output, Error> {
        Self::Decoder::decode(response)
    }
}

/// Decodes a 2xx response body into `T`; one implementation per kind of response body.
#[doc(hidden)]
pub trait Decode<T> {
    fn decode(response: &RawResponse) -> Result<T, Error>;
}

/// A JSON body, decoded with [`decode_json`].
#[doc(hidden)]
pub struct Json;

impl<T: serde::de::DeserializeOwned> Decode<T> for Json {
    fn decode(response: &RawResponse) -> Result<T, Error> {
        decode_json(response)
    }
}

/// A text body.
#[doc(hidden)]
pub struct Text;

impl Decode<String> for Text {
    fn decode(response: &RawResponse) -> Result<String, Error> {
        decode_text(response)
    }
}

/// A binary body, returned as it is.
#[doc(hidden)]
pub struct Binary;

impl Decode<bytes::Bytes> for Binary {
    fn decode(response: &RawResponse) -> Result<bytes::Bytes, Error> {
        decode_bytes(response)
    }
}

/// No body worth reading (204, or a success without content).
#[doc(hidden)]
pub struct NoContent;

impl Decode<()> for NoContent {
    fn decode(response: &RawResponse) -> Result<(), Error> {
        decode_empty(response)
    }
}

/// One API call, ready to be configured and sent.
///
/// `.await` it (or call [`send`](Call::send)) for the decoded body;
/// [`send_with_response`](Call::send_with_response) also returns status and headers.
/// Nothing is sent until then. The call owns a clone of the client, so the future is `'static`
/// and can be spawned.
#[must_use = "a Call does nothing until it is awaited or sent"]
pub struct Call<Op> {
    pub(crate) client: Client,
    pub(crate) op: Op,
    pub(crate) options: RequestOptions,
}

impl<Op: std::fmt::Debug> std::fmt::Debug for Call<Op> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("op", &self.op)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<Op: Operation> Call<Op> {
    #[allow(dead_code, reason = "used only by specs with operations")]
    pub(crate) fn new(client: &Client, op: Op) -> Self {
        Call {
            client: client.clone(),
            op,
            options: RequestOptions::default(),
        }
    }

    /// Timeout of each attempt, from connecting until the body is read; overrides the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// How many times a failed attempt is retried; overrides the client's (0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options.max_retries = Some(max_retries);
        self
    }

    /// Adds a header to this call, replacing one of the same name. An invalid name or value
    /// makes the call fail with [`Error::InvalidRequest`] when sent, before anything goes out.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.options = self.options.header(name, value);
        self
    }

    /// Replaces all per-call options with `options`.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the request (retrying as configured) and decodes the body.
    pub async fn send(self) -> Result<Op::Output, Error> {
        self.send_with_response().await.map(ApiResponse::into_body)
    }

    /// Like [`send`](Call::send), but also returns the response status and headers.
    pub async fn send_with_response(self) -> Result<ApiResponse<Op::Output>, Error> {
        let parts = self.op.to_request()?;
        let raw = self
            .client
            .execute(Op::OPERATION_ID, parts, &self.options)
            .await?;
        let body = Op::decode(&raw)?;
        Ok(raw.map(|_| body))
    }
}

impl<Op: Operation> IntoFuture for Call<Op> {
    type Output = Result<Op::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// RFC 3986 unreserved characters are the only ones left as they are.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path parameter so that it stays exactly one path segment: `/`, `?`, `#`,
/// spaces and non-ASCII are all encoded.
///
/// Empty values, `.` and `..` are rejected: the first would produce `//` and the others would
/// be resolved by URL normalization into a different path (even when encoded as `%2E`).
#[allow(dead_code, reason = "used only by specs with path parameters")]
pub(crate) fn path_segment(param_name: &'static str, value: &str) -> Result<String, Error> {
    match value {
        "" => Err(Error::InvalidRequest(format!(
            "path parameter `{param_name}` must not be empty"
        ))),
        "." | ".." => Err(Error::InvalidRequest(format!(
            "path parameter `{param_name}` must not be `.` or `..`"
        ))),
        _ => Ok(percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string()),
    }
}

/// Serializes a JSON request body.
#[allow(dead_code, reason = "used only by specs with JSON request bodies")]
pub(crate) fn json_body<T: serde::Serialize>(value: &T) -> Result<RequestBody, Error> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| Error::InvalidRequest(format!("could not serialize request body: {e}")))?;
    Ok(RequestBody {
        content_type: "application/json",
        bytes: bytes.into(),
    })
}

/// A `text/plain` request body.
#[allow(dead_code, reason = "used only by specs with text request bodies")]
pub(crate) fn text_body(value: &str) -> RequestBody {
    RequestBody {
        content_type: "text/plain; charset=utf-8",
        bytes: bytes::Bytes::copy_from_slice(value.as_bytes()),
    }
}

/// An `application/octet-stream` request body.
#[allow(dead_code, reason = "used only by specs with binary request bodies")]
pub(crate) fn bytes_body(value: &[u8]) -> RequestBody {
    RequestBody {
        content_type: "application/octet-stream",
        bytes: bytes::Bytes::copy_from_slice(value),
    }
}

/// The text a form field carries: strings as they are, other scalars as JSON text, nested
/// objects and arrays as JSON (forms have no standard way to nest).
fn form_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The top-level fields of a body as (name, value) pairs; arrays repeat their name and
/// absent (null) fields are left out.
fn form_fields<T: serde::Serialize>(value: &T) -> Result<Vec<(String, String)>, Error> {
    let value = serde_json::to_value(value)
        .map_err(|e| Error::InvalidRequest(format!("could not serialize request body: {e}")))?;
    let serde_json::Value::Object(fields) = value else {
        return Err(Error::InvalidRequest(
            "a form request body must be an object".to_owned(),
        ));
    };
    let mut pairs = Vec::new();
    for (name, value) in fields {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                pairs.extend(items.iter().map(|item| (name.clone(), form_text(item))));
            }
            other => pairs.push((name, form_text(&other))),
        }
    }
    Ok(pairs)
}

/// Characters `application/x-www-form-urlencoded` leaves as they are (besides `+` for space).
const FORM_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b' ');

/// Serializes an `application/x-www-form-urlencoded` request body.
#[allow(dead_code, reason = "used only by specs with form request bodies")]
pub(crate) fn form_body<T: serde::Serialize>(value: &T) -> Result<RequestBody, Error> {
    let encode = |text: &str| {
        percent_encoding::utf8_percent_encode(text, FORM_VALUE)
            .to_string()
            .replace(' ', "+")
    };
    let text = form_fields(value)?
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    Ok(RequestBody {
        content_type: "application/x-www-form-urlencoded",
        bytes: text.into(),
    })
}

/// A `multipart/form-data` body, built part by part by the generated code.
///
/// The boundary is fixed (so the content type can be `'static`); a part that happens to
/// contain it makes the request fail instead of being sent corrupted.
#[allow(dead_code, reason = "used only by specs with multipart request bodies")]
pub(crate) struct Multipart {
    bytes: Vec<u8>,
    collision: Option<String>,
}

const MULTIPART_BOUNDARY: &str = "openapi-rustgen-7e1f0c9b2d4a8f36";

#[allow(dead_code, reason = "used only by specs with multipart request bodies")]
impl Multipart {
    pub(crate) fn new() -> Self {
        Multipart {
            bytes: Vec::new(),
            collision: None,
        }
    }

    fn part(&mut self, name: &str, file: bool, content: &[u8]) {
        let boundary = MULTIPART_BOUNDARY.as_bytes();
        if content.windows(boundary.len()).any(|w| w == boundary) {
            self.collision.get_or_insert_with(|| name.to_owned());
        }
        let name = name.replace('"', "%22");
        self.bytes
            .extend_from_slice(format!("--{MULTIPART_BOUNDARY}\r\n").as_bytes());
        let disposition = if file {
            format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
        } else {
            format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
        };
        self.bytes.extend_from_slice(disposition.as_bytes());
        self.bytes.extend_from_slice(content);
        self.bytes.extend_from_slice(b"\r\n");
    }

    /// Adds a field: strings as they are, other values as JSON text; arrays repeat the
    /// field, `None` adds nothing.
    pub(crate) fn field<T: serde::Serialize>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value).map_err(|e| {
            Error::InvalidRequest(format!("could not serialize multipart field `{name}`: {e}"))
        })?;
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                for item in &items {
                    self.part(name, false, form_text(item).as_bytes());
                }
            }
            other => self.part(name, false, form_text(&other).as_bytes()),
        }
        Ok(())
    }

    /// Adds a file part with the given bytes.
    pub(crate) fn file(&mut self, name: &str, content: &[u8]) {
        self.part(name, true, content);
    }

    /// Adds every top-level field of a serializable object (for bodies that are not one
    /// generated struct).
    pub(crate) fn fields_of<T: serde::Serialize>(&mut self, value: &T) -> Result<(), Error> {
        for (name, value) in form_fields(value)? {
            self.part(&name, false, value.as_bytes());
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<RequestBody, Error> {
        if let Some(name) = self.collision {
            return Err(Error::InvalidRequest(format!(
                "multipart field `{name}` contains the multipart boundary"
            )));
        }
        self.bytes
            .extend_from_slice(format!("--{MULTIPART_BOUNDARY}--\r\n").as_bytes());
        Ok(RequestBody {
            content_type: "multipart/form-data; boundary=openapi-rustgen-7e1f0c9b2d4a8f36",
            bytes: self.bytes.into(),
        })
    }
}

/// Decodes a JSON body, reporting where in the document decoding failed.
#[allow(dead_code, reason = "used only by specs with JSON responses")]
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
    response: &RawResponse,
) -> Result<T, Error> {
    // The common case costs what a hand-written `serde_json::from_slice` costs: path tracking
    // allocates for every key it passes, which made a 100-item page decode twice as slow
    // (bench/run, `list_page_100`). Only a body that fails is decoded again to find where.
    serde_json::from_slice(response.body()).map_err(|error| locate_json_error::<T>(response, error))
}

/// Decodes a body that failed again, tracking the path, to say where in the document it
/// failed; `error` is what the plain decode said, used when the second pass cannot do better.
#[allow(dead_code, reason = "used only by specs with JSON responses")]
fn locate_json_error<T: serde::de::DeserializeOwned>(
    response: &RawResponse,
    error: serde_json::Error,
) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(response.body());
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(e) => decode_error(response, e.path().to_string(), e.inner().to_string()),
        // Trailing garbage after a valid document means the body is not what we think it is.
        Ok(_) => match deserializer.end() {
            Err(e) => decode_error(response, ".".to_owned(), e.to_string()),
            Ok(()) => decode_error(response, ".".to_owned(), error.to_string()),
        },
    }
}

/// Decodes a text body.
#[allow(dead_code, reason = "used only by specs with text responses")]
pub(crate) fn decode_text(response: &RawResponse) -> Result<String, Error> {
    String::from_utf8(response.body().to_vec()).map_err(|e| {
        decode_error(
            response,
            ".".to_owned(),
            format!("body is not valid UTF-8: {e}"),
        )
    })
}

/// Returns a binary body as it is.
#[allow(dead_code, reason = "used only by specs with binary responses")]
pub(crate) fn decode_bytes(response: &RawResponse) -> Result<bytes::Bytes, Error> {
    Ok(response.body().clone())
}

/// Ignores the body, for operations whose success carries no content.
#[allow(dead_code, reason = "used only by specs with body-less responses")]
pub(crate) fn decode_empty(_response: &RawResponse) -> Result<(), Error> {
    Ok(())
}

fn decode_error(response: &RawResponse, path: String, message: String) -> Error {
    Error::Decode(DecodeError::new(
        response.status(),
        response.headers(),
        path,
        message,
        response.body(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_name_the_parameter_without_formatting_it() {
        let error = check_range("odd{}name\"", Some(0i64).iter(), 1, 10).unwrap_err();
        assert_eq!(
            error.to_string(),
            Error::InvalidRequest("`odd{}name\"` must be at least 1, got 0".to_owned()).to_string()
        );
        assert!(check_max("n", [&11i64], 10).is_err());
        assert!(check_range("n", None::<i64>.iter(), 1, 10).is_ok());
        assert!(check_min_length("s", [&String::new()], 1).is_err());
        assert!(check_max_length("s", [&"é".repeat(3)], 3).is_ok());
    }

    #[test]
    fn parameters_become_text_pairs_and_path_segments() {
        let mut request = RequestParts::get("/items/");
        request.path_param("id", "a/b").unwrap();
        request.query("limit", Some(5i64).iter());
        request.query("after", None::<String>.iter());
        let tags = ["x".to_owned(), "y".to_owned()];
        request.query("tag", tags.iter());
        request.query_joined("ids", [&vec![1i64, 2]], ",");
        request.query("filter", [AsJson(&serde_json::json!({"a": 1}))]);
        request.header("x-flag", [&true]).unwrap();
        assert_eq!(request.path, "/items/a%2Fb");
        let query: Vec<(&str, &str)> = request
            .query
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        assert_eq!(
            query,
            [
                ("limit", "5"),
                ("tag", "x"),
                ("tag", "y"),
                ("ids", "1,2"),
                ("filter", "{\"a\":1}")
            ]
        );
        assert_eq!(request.headers[0].1, "true");
        assert!(request.header("x-bad", ["a\nb"]).is_err());
    }
}
