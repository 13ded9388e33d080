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
    /// Names are the spec's literals, except the bracketed ones of `deepObject` parameters.
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
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
            self.query
                .push((Cow::Borrowed(name), value.param_text().into_owned()));
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
            self.query
                .push((Cow::Borrowed(name), joined(list, separator)));
        }
    }

    /// Appends a `deepObject` parameter: one pair per scalar inside `value`, named by its
    /// path in brackets (see [`deep_object_pairs`]). `None` adds nothing.
    pub(crate) fn query_deep<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        deep_object_pairs(name, value, &mut self.query)
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

/// Writes `value` in the bracket notation of OpenAPI's `deepObject` style, as Stripe, Rails,
/// PHP and `qs` read it: an object's fields become `name[key]=v` (nested: `name[a][b]=v`),
/// an array of scalars `name[]=v` per item, an array holding objects or arrays numbers its
/// items (`name[0][key]=v`), since `[]` alone cannot say which fields belong together.
/// Strings are sent as they are, numbers and booleans as JSON writes them, a scalar at the
/// top as `name=v`; nulls (absent fields) and empty objects and arrays send nothing.
///
/// The pairs are percent-encoded later with everything else in the query (as
/// `application/x-www-form-urlencoded`, by `Url::query_pairs_mut`), brackets included: RFC 3986 allows no `[` or `]` in a query,
/// some servers (Tomcat) refuse them raw, and every bracket parser decodes before reading
/// them. For the same reason a key holding `[` or `]` could not be told from the brackets
/// around it, on any server: such a key (and an empty one, which reads as `[]`) fails the
/// request instead of being sent as a different structure.
pub(crate) fn deep_object_pairs<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    pairs: &mut Vec<(Cow<'static, str>, String)>,
) -> Result<(), Error> {
    let invalid = |e: serde_json::Error| {
        Error::InvalidRequest(format!("could not serialize query parameter `{name}`: {e}"))
    };
    // Through JSON text rather than `serde_json::Value`, whose objects sort their keys unless
    // some crate in the build turns on serde_json's `preserve_order`: the pairs keep the
    // order the type declares its fields in, whatever else is linked.
    let text = serde_json::to_string(value).map_err(invalid)?;
    let tree: Ordered = serde_json::from_str(&text).map_err(invalid)?;
    // An explicit stack, children pushed in reverse so pairs come out in order: a deeply
    // nested value cannot exhaust the stack here.
    let mut pending: Vec<(String, &Ordered)> = vec![(name.to_owned(), &tree)];
    while let Some((key, value)) = pending.pop() {
        match value {
            Ordered::Null => {}
            Ordered::Scalar(text) => pairs.push((Cow::Owned(key), text.clone())),
            Ordered::Object(fields) => {
                for (field, inner) in fields.iter().rev() {
                    if field.is_empty() || field.contains(['[', ']']) {
                        return Err(Error::InvalidRequest(format!(
                            "query parameter `{name}` has the key {field:?}, which bracket notation cannot carry"
                        )));
                    }
                    pending.push((format!("{key}[{field}]"), inner));
                }
            }
            Ordered::Array(items) => {
                let indexed = items
                    .iter()
                    .any(|item| matches!(item, Ordered::Object(_) | Ordered::Array(_)));
                for (index, item) in items.iter().enumerate().rev() {
                    let item_key = if indexed {
                        format!("{key}[{index}]")
                    } else {
                        format!("{key}[]")
                    };
                    pending.push((item_key, item));
                }
            }
        }
    }
    Ok(())
}

/// A JSON value with its scalars already in query text and its object keys in the order they
/// were written.
enum Ordered {
    Null,
    Scalar(String),
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> serde::de::Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(value.to_string()))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(value.to_string()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(value.to_string()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Ordered, E> {
        // As JSON writes it (`1e20`, `2.5`); the text came from JSON, so it is finite.
        Ok(Ordered::Scalar(serde_json::Value::from(value).to_string()))
    }

    fn visit_str<E>(self, value: &str) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(value))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ordered::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut fields = Vec::new();
        while let Some(entry) = map.next_entry::<String, Ordered>()? {
            fields.push(entry);
        }
        Ok(Ordered::Object(fields))
    }
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
            .map(|(k, v)| (k.as_ref(), v.as_str()))
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

    fn deep(name: &str, value: impl serde::Serialize) -> Result<Vec<(String, String)>, Error> {
        let mut pairs = Vec::new();
        deep_object_pairs(name, &value, &mut pairs)?;
        Ok(pairs
            .into_iter()
            .map(|(key, value)| (key.into_owned(), value))
            .collect())
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn deep_objects_are_written_in_brackets_in_declaration_order() {
        #[derive(serde::Serialize)]
        struct Expiry {
            year: i32,
        }
        #[derive(serde::Serialize)]
        struct Card {
            brand: &'static str,
            exp: Expiry,
        }
        // Fields out of alphabetical order: the pairs follow the declaration.
        #[derive(serde::Serialize)]
        struct Filter {
            lt: f64,
            gte: i64,
            status: &'static str,
            live: bool,
            absent: Option<i64>,
            card: Card,
            tags: Vec<&'static str>,
        }
        let filter = Filter {
            lt: 2.5,
            gte: 1,
            status: "paid",
            live: false,
            absent: None,
            card: Card {
                brand: "visa",
                exp: Expiry { year: 2030 },
            },
            tags: vec!["a", "b"],
        };
        assert_eq!(
            deep("created", filter).unwrap(),
            pairs(&[
                ("created[lt]", "2.5"),
                ("created[gte]", "1"),
                ("created[status]", "paid"),
                ("created[live]", "false"),
                ("created[card][brand]", "visa"),
                ("created[card][exp][year]", "2030"),
                ("created[tags][]", "a"),
                ("created[tags][]", "b"),
            ])
        );
        // Numbers as JSON writes them, exponent included.
        let big = serde_json::to_string(&1e20).unwrap();
        assert!(big.starts_with("1e"), "{big}");
        assert_eq!(
            deep("n", serde_json::json!({"big": 1e20, "small": -0.5})).unwrap(),
            pairs(&[("n[big]", big.as_str()), ("n[small]", "-0.5")])
        );
    }

    #[test]
    fn deep_arrays_use_empty_brackets_unless_their_items_are_structured() {
        assert_eq!(
            deep("expand", serde_json::json!(["customer", "invoice.lines"])).unwrap(),
            pairs(&[("expand[]", "customer"), ("expand[]", "invoice.lines")])
        );
        // `items[][price]=a&items[][qty]=1&items[][price]=b` could group either way.
        assert_eq!(
            deep(
                "items",
                serde_json::json!([{"price": "a", "qty": 1}, {"price": "b"}, [true]])
            )
            .unwrap(),
            pairs(&[
                ("items[0][price]", "a"),
                ("items[0][qty]", "1"),
                ("items[1][price]", "b"),
                ("items[2][]", "true"),
            ])
        );
    }

    #[test]
    fn empty_and_null_deep_values_send_nothing_and_scalars_stand_alone() {
        for nothing in [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!(null),
            serde_json::json!({"a": null, "b": {}, "c": []}),
        ] {
            assert_eq!(deep("p", nothing.clone()).unwrap(), [], "{nothing}");
        }
        // A union of an object and an integer (Stripe's `created`) may be either.
        assert_eq!(
            deep("created", serde_json::json!(1700000000)).unwrap(),
            pairs(&[("created", "1700000000")])
        );
        assert_eq!(
            deep("big", serde_json::json!(u64::MAX)).unwrap(),
            pairs(&[("big", "18446744073709551615")])
        );
    }

    #[test]
    fn deep_keys_keep_their_text_and_brackets_inside_keys_are_refused() {
        // Encoding happens once, for the whole query, in `Client::url_for`. (Keys in
        // sorted order, which `json!` keeps with or without `preserve_order`.)
        let value = serde_json::json!({"&": "1", "=": "2", "a b": "x&y=z", "ключ": "värde"});
        assert_eq!(
            deep("m", value).unwrap(),
            pairs(&[
                ("m[&]", "1"),
                ("m[=]", "2"),
                ("m[a b]", "x&y=z"),
                ("m[ключ]", "värde"),
            ])
        );
        for key in ["a[b", "a]b", "x][admin", ""] {
            let error = deep("m", serde_json::json!({"ok": 1, "nested": {key: 1}})).unwrap_err();
            let message = error.to_string();
            assert!(
                message.contains(&format!("{key:?}")) && message.contains("`m`"),
                "{message}"
            );
        }
        // Values may hold brackets: only keys carry structure.
        assert_eq!(
            deep("m", serde_json::json!({"k": "[x]"})).unwrap(),
            pairs(&[("m[k]", "[x]")])
        );
    }

    #[test]
    fn deep_parameters_go_through_serde_and_skip_none() {
        #[derive(serde::Serialize)]
        struct Range {
            gte: Option<i64>,
            lt: Option<i64>,
        }
        let mut request = RequestParts::get("/charges");
        request
            .query_deep(
                "created",
                &Range {
                    gte: Some(1),
                    lt: None,
                },
            )
            .unwrap();
        request.query_deep("expand", &None::<Vec<String>>).unwrap();
        request.query("limit", [&3i64]);
        let query: Vec<(&str, &str)> = request
            .query
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_str()))
            .collect();
        assert_eq!(query, [("created[gte]", "1"), ("limit", "3")]);
        // Static names stay borrowed: only deepObject pairs allocate a name.
        assert!(matches!(request.query[1].0, Cow::Borrowed("limit")));
    }
}
