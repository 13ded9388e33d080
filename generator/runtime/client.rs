//! The [`Client`]: configuration, authentication, and sending a request with retries.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::config;
use crate::error::{ApiError, Error, TransportError, is_retryable_status};
use crate::request::{RequestOptions, RequestParts, parse_header};
use crate::response::RawResponse;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_MAX_RETRIES: u32 = 2;
/// Long enough for a model that thinks before its first token, short enough that a dead
/// stream is noticed while someone still waits for it.
const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(120);
const DEFAULT_BACKOFF_INITIAL: Duration = Duration::from_millis(500);
const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(8);
/// A server asking us to wait longer than this is treated as "do not retry": blocking the
/// caller for minutes inside one call is worse than handing the error back.
const MAX_SERVER_DELAY: Duration = Duration::from_secs(120);

/// How the API key is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// No authentication; no key is needed.
    None,
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `Authorization: Basic <base64(key)>`, the key being `user:password`.
    Basic,
    /// The key as the value of this header.
    ApiKeyHeader(&'static str),
    /// The key as the value of this query parameter.
    ApiKeyQuery(&'static str),
}

/// The API client: one method per operation, each returning a [`Call`](crate::request::Call)
/// to configure and `.await`. Cloning is cheap and clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    http: reqwest::Client,
    base_url: String,
    auth: PreparedAuth,
    default_headers: Vec<(HeaderName, HeaderValue)>,
    timeout: Duration,
    // `None` when the caller supplied their own `reqwest::Client`, whose setting we cannot see.
    connect_timeout: Option<Duration>,
    max_retries: u32,
    backoff_initial: Duration,
    backoff_max: Duration,
    #[allow(dead_code, reason = "used only by specs with event streams")]
    stream_idle_timeout: Duration,
}

/// The key in the form it is sent in, computed once. Deliberately not `Debug`.
enum PreparedAuth {
    None,
    Header(HeaderName, HeaderValue),
    Query(&'static str, String),
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("max_retries", &inner.max_retries)
            .field(
                "api_key",
                &Redacted(!matches!(inner.auth, PreparedAuth::None)),
            )
            .finish_non_exhaustive()
    }
}

/// Prints `"<redacted>"` for a key that is set, `None` otherwise.
struct Redacted(bool);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 {
            f.write_str("\"<redacted>\"")
        } else {
            f.write_str("None")
        }
    }
}

impl Client {
    /// A client with this API key and default settings.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        ClientBuilder::default().api_key(api_key).build()
    }

    /// A client configured from the environment: the API key and, when set and non-empty, the
    /// base URL, each from this API's environment variable (the error for a missing key names
    /// the variable).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::default().from_env().build()
    }

    /// A builder for a client with non-default settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends one operation's request, retrying as configured, and returns its 2xx response with
    /// the body read.
    pub(crate) async fn execute(
        &self,
        operation_id: &'static str,
        parts: RequestParts,
        options: &RequestOptions,
    ) -> Result<RawResponse, Error> {
        let span = tracing::info_span!(
            "api_request",
            operation_id,
            method = %parts.method,
            path = %parts.path,
        );
        let timeout = options.timeout.unwrap_or(self.inner.timeout);
        self.execute_with_retries(parts, options, |request| {
            read_response(request.timeout(timeout))
        })
        .instrument(span)
        .await
    }

    /// Sends a request whose success is an event stream. Failures before the response
    /// headers are retried as in `execute`; the body is left unread for the caller, and
    /// the timeout covers only the wait for the headers, so that a long healthy stream is
    /// not cut off (the stream's own idle timeout watches the rest).
    #[allow(dead_code, reason = "used only by specs with event streams")]
    pub(crate) async fn open_stream(
        &self,
        operation_id: &'static str,
        parts: RequestParts,
        options: &RequestOptions,
    ) -> Result<reqwest::Response, Error> {
        let span = tracing::info_span!(
            "api_stream",
            operation_id,
            method = %parts.method,
            path = %parts.path,
        );
        let timeout = options.timeout.unwrap_or(self.inner.timeout);
        self.execute_with_retries(parts, options, |request| async move {
            let response = tokio::time::timeout(timeout, request.send())
                .await
                .map_err(|_| {
                    Error::Timeout(TransportError::stream(format!(
                        "no response headers within {timeout:?}"
                    )))
                })?
                .map_err(transport_error)?;
            if response.status().is_success() {
                Ok(response)
            } else {
                Err(read_error(response).await)
            }
        })
        .instrument(span)
        .await
    }

    /// The retry loop shared by plain and streaming calls; `attempt` sends one prepared
    /// request and returns what the call produces, or an error to classify.
    async fn execute_with_retries<T, Attempt, Answer>(
        &self,
        parts: RequestParts,
        options: &RequestOptions,
        attempt: Attempt,
    ) -> Result<T, Error>
    where
        Attempt: Fn(reqwest::RequestBuilder) -> Answer,
        Answer: std::future::Future<Output = Result<T, Error>>,
    {
        if let Some(message) = &options.header_error {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let url = self.url_for(&parts)?;
        let headers = self.headers_for(&parts, options);
        let max_retries = options.max_retries.unwrap_or(self.inner.max_retries);

        let mut retries = 0;
        loop {
            let mut request = self
                .inner
                .http
                .request(parts.method.clone(), url.clone())
                .headers(headers.clone());
            if let Some(body) = &parts.body {
                // A `Bytes` clone shares the buffer: every attempt sends the very same bytes.
                request = request.body(body.bytes.clone());
            }
            let error = match attempt(request).await {
                Ok(answer) => return Ok(answer),
                Err(error) => error,
            };
            let server_delay = match retry_decision(&error) {
                RetryDecision::Stop => return Err(error),
                RetryDecision::Retry(server_delay) => server_delay,
            };
            if retries >= max_retries {
                return Err(error);
            }
            let delay = server_delay.unwrap_or_else(|| self.backoff(retries));
            retries += 1;
            tracing::warn!(
                attempt = retries,
                max_retries,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                reason = %describe(&error),
                "retrying request",
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// How long an event stream may send nothing before it fails with [`Error::Timeout`].
    #[allow(dead_code, reason = "used only by specs with event streams")]
    pub(crate) fn stream_idle_timeout(&self) -> Duration {
        self.inner.stream_idle_timeout
    }

    fn url_for(&self, parts: &RequestParts) -> Result<reqwest::Url, Error> {
        let mut url = reqwest::Url::parse(&format!("{}{}", self.inner.base_url, parts.path))
            .map_err(|e| Error::InvalidRequest(format!("invalid request path: {e}")))?;
        let auth_query = match &self.inner.auth {
            PreparedAuth::Query(name, key) => Some((*name, key.as_str())),
            _ => None,
        };
        if !parts.query.is_empty() || auth_query.is_some() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &parts.query {
                pairs.append_pair(name, value);
            }
            if let Some((name, key)) = auth_query {
                pairs.append_pair(name, key);
            }
        }
        Ok(url)
    }

    /// Layers, each replacing same-named headers of the ones before: authentication,
    /// User-Agent, client default headers, body content type, operation header parameters,
    /// per-call headers.
    fn headers_for(&self, parts: &RequestParts, options: &RequestOptions) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let PreparedAuth::Header(name, value) = &self.inner.auth {
            headers.insert(name.clone(), value.clone());
        }
        headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static(config::USER_AGENT),
        );
        overlay(&mut headers, &self.inner.default_headers);
        if let Some(body) = &parts.body {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static(body.content_type),
            );
        }
        overlay(&mut headers, &parts.headers);
        overlay(&mut headers, &options.headers);
        headers
    }

    /// `min(initial · 2^retries, max)`, less a random 0–25 % so that clients that failed
    /// together do not retry together.
    fn backoff(&self, retries: u32) -> Duration {
        let base = self
            .inner
            .backoff_initial
            .saturating_mul(2u32.saturating_pow(retries))
            .min(self.inner.backoff_max);
        base.mul_f64(1.0 - 0.25 * fastrand::f64())
    }
}

/// Sends one attempt and reads its whole body.
async fn read_response(request: reqwest::RequestBuilder) -> Result<RawResponse, Error> {
    let mut response = request.send().await.map_err(transport_error)?;
    let status = response.status();
    let response_headers = std::mem::take(response.headers_mut());
    let bytes = response.bytes().await.map_err(transport_error)?;
    if status.is_success() {
        Ok(RawResponse::new(status, response_headers, bytes))
    } else {
        Err(Error::Api(ApiError::new(status, response_headers, &bytes)))
    }
}

/// The [`Error::Api`] of a non-2xx response, its body read.
#[allow(dead_code, reason = "used only by specs with event streams")]
async fn read_error(mut response: reqwest::Response) -> Error {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    match response.bytes().await {
        Ok(bytes) => Error::Api(ApiError::new(status, headers, &bytes)),
        Err(error) => transport_error(error),
    }
}

/// Replaces the headers named in `layer`, keeping repeated names in `layer` as repeated headers.
fn overlay(headers: &mut HeaderMap, layer: &[(HeaderName, HeaderValue)]) {
    for (name, _) in layer {
        headers.remove(name);
    }
    for (name, value) in layer {
        headers.append(name.clone(), value.clone());
    }
}

enum RetryDecision {
    Stop,
    /// Retry, after the delay the server asked for if it did.
    Retry(Option<Duration>),
}

fn retry_decision(error: &Error) -> RetryDecision {
    let api_error = match error {
        Error::Timeout(_) | Error::Connection(_) => return RetryDecision::Retry(None),
        Error::Api(api_error) => api_error,
        _ => return RetryDecision::Stop,
    };
    let headers = api_error.headers();
    let retry = match header_str(headers, "x-should-retry") {
        Some("true") => true,
        Some("false") => false,
        _ => is_retryable_status(api_error.status()),
    };
    if !retry {
        return RetryDecision::Stop;
    }
    match server_delay(headers) {
        Some(delay) if delay > MAX_SERVER_DELAY => RetryDecision::Stop,
        delay => RetryDecision::Retry(delay),
    }
}

/// The delay asked for by `retry-after-ms` (milliseconds) or else `retry-after` (seconds or an
/// HTTP date). Unparseable or negative values count as absent.
fn server_delay(headers: &HeaderMap) -> Option<Duration> {
    let non_negative_secs = |secs: f64| {
        if secs >= 0.0 {
            Duration::try_from_secs_f64(secs).ok()
        } else {
            None
        }
    };
    if let Some(delay) = header_str(headers, "retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .and_then(|ms| non_negative_secs(ms / 1000.0))
    {
        return Some(delay);
    }
    let value = header_str(headers, "retry-after")?.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return non_negative_secs(secs);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    // A date already past means "now".
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Classifies a transport error, first removing the query string from its URL: with
/// [`AuthScheme::ApiKeyQuery`] the query holds the API key, and the URL shows up in the
/// error's `Display` and `Debug`.
fn transport_error(error: reqwest::Error) -> Error {
    let error = match error.url() {
        Some(url) => {
            let mut url = url.clone();
            url.set_query(None);
            url.set_fragment(None);
            error.with_url(url)
        }
        None => error,
    };
    if error.is_timeout() {
        Error::Timeout(TransportError::http(error))
    } else if error.is_builder() {
        Error::InvalidRequest(error.to_string())
    } else {
        Error::Connection(TransportError::http(error))
    }
}

/// The error and its chain of sources on one line, for logs.
fn describe(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Builds a [`Client`] with non-default settings.
///
/// Invalid settings (missing key, bad base URL, bad header) are reported by
/// [`build`](ClientBuilder::build), never by a panic.
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    auth: AuthScheme,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    default_headers: Vec<(String, String)>,
    http_client: Option<reqwest::Client>,
    backoff_initial: Duration,
    backoff_max: Duration,
    stream_idle_timeout: Duration,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            auth: config::AUTH,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            default_headers: Vec::new(),
            http_client: None,
            backoff_initial: DEFAULT_BACKOFF_INITIAL,
            backoff_max: DEFAULT_BACKOFF_MAX,
            stream_idle_timeout: DEFAULT_STREAM_IDLE_TIMEOUT,
        }
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values are left out: callers put tokens in them too.
        let header_names: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        f.debug_struct("ClientBuilder")
            .field("api_key", &Redacted(self.api_key.is_some()))
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("default_headers", &header_names)
            .field("http_client", &self.http_client.is_some())
            .field("backoff_initial", &self.backoff_initial)
            .field("backoff_max", &self.backoff_max)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .finish()
    }
}

impl ClientBuilder {
    /// The API key.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// Where requests go instead of the spec's server URL; a trailing `/` is ignored.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// How the key is sent, for servers that differ from the spec (a proxy, another
    /// deployment of the same API). Defaults to the spec's scheme.
    pub fn auth_scheme(mut self, auth: AuthScheme) -> Self {
        self.auth = auth;
        self
    }

    /// Timeout of each attempt, from connecting until the whole body is read. Default 600 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout for establishing a connection. Default 5 s. Has no effect together with
    /// [`http_client`](ClientBuilder::http_client): configure that client instead.
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// How many times a failed attempt is retried (0 disables retries). Default 2.
    ///
    /// Retried: connection errors, timeouts, and statuses 408, 409, 429 and 5xx, unless the
    /// server says otherwise with `x-should-retry` or asks to wait more than 120 s.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// A header sent with every request. An invalid name or value makes
    /// [`build`](ClientBuilder::build) fail.
    pub fn default_header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.default_headers
            .push((name.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Sends requests through this `reqwest::Client` (for proxies, custom TLS roots, …).
    ///
    /// Its own settings apply as they are, so [`connect_timeout`](ClientBuilder::connect_timeout)
    /// has no effect; the per-attempt [`timeout`](ClientBuilder::timeout), the User-Agent and
    /// authentication are still set on each request.
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// Delay before the first retry and the cap on later ones, which double each time.
    /// Default 0.5 s and 8 s. A server's `retry-after` takes precedence.
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.backoff_initial = initial;
        self.backoff_max = max;
        self
    }

    /// How long an event stream may send nothing (not even a comment line) before it
    /// ends with [`Error::Timeout`]. Default 120 s. The [`timeout`](ClientBuilder::timeout)
    /// of a streaming call covers only the wait for the response headers.
    pub fn stream_idle_timeout(mut self, idle: Duration) -> Self {
        self.stream_idle_timeout = idle;
        self
    }

    /// Fills the API key and base URL from the environment where not already set; empty or
    /// non-UTF-8 variables count as unset.
    pub fn from_env(mut self) -> Self {
        let read = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if self.api_key.is_none() {
            self.api_key = read(config::API_KEY_ENV);
        }
        if self.base_url.is_none() {
            self.base_url = read(config::BASE_URL_ENV);
        }
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let auth = prepare_auth(self.auth, self.api_key.filter(|k| !k.is_empty()))?;
        let base_url =
            check_base_url(self.base_url.as_deref().unwrap_or(config::DEFAULT_BASE_URL))?;
        let default_headers = self
            .default_headers
            .iter()
            .map(|(name, value)| parse_header(name, value))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| Error::Config(format!("default header: {message}")))?;
        let (http, connect_timeout) = match self.http_client {
            Some(http) => (http, None),
            None => {
                refuse_https_without_tls(&base_url)?;
                install_tls_provider();
                let http = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .build()
                    .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?;
                (http, Some(self.connect_timeout))
            }
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                auth,
                default_headers,
                timeout: self.timeout,
                connect_timeout,
                max_retries: self.max_retries,
                backoff_initial: self.backoff_initial,
                backoff_max: self.backoff_max,
                stream_idle_timeout: self.stream_idle_timeout,
            }),
        })
    }
}

/// Makes `ring` the process's default rustls crypto provider, unless one is installed
/// already (then that one is kept). Only the `rustls-ring` feature needs it: reqwest is then
/// built without a provider of its own, and building any `reqwest::Client` before one is
/// installed panics. [`ClientBuilder::build`] calls it; call it yourself before building
/// your own `reqwest::Client` (for [`ClientBuilder::http_client`]) first. With the other
/// TLS features it does nothing.
pub fn install_tls_provider() {
    // With `rustls-aws-lc-rs` also on, reqwest falls back to aws-lc-rs by itself.
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one in between; `Err` then means theirs is kept.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Without a TLS feature the crate speaks plain HTTP only: say so when the client is built,
/// not as a connection error on its first request.
fn refuse_https_without_tls(base_url: &str) -> Result<(), Error> {
    let has_tls = cfg!(any(
        feature = "rustls-ring",
        feature = "rustls-aws-lc-rs",
        feature = "native-tls"
    ));
    let https = base_url
        .get(..6)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https:"));
    if has_tls || !https {
        return Ok(());
    }
    Err(Error::Config(format!(
        "the base URL {base_url} needs TLS, but this crate was built without a TLS feature: \
         enable `rustls-ring` (the default), `rustls-aws-lc-rs` or `native-tls`"
    )))
}

/// Error messages here name the scheme but never include the key.
fn prepare_auth(scheme: AuthScheme, key: Option<String>) -> Result<PreparedAuth, Error> {
    if scheme == AuthScheme::None {
        return Ok(PreparedAuth::None);
    }
    let Some(key) = key else {
        return Err(Error::Config(format!(
            "no API key: set the {} environment variable or call ClientBuilder::api_key",
            config::API_KEY_ENV
        )));
    };
    let sensitive = |text: &str| {
        let mut value = HeaderValue::from_str(text).map_err(|_| {
            Error::Config("the API key contains characters not allowed in an HTTP header".into())
        })?;
        // Keeps the value out of `Debug` output of the header map, and out of HPACK tables.
        value.set_sensitive(true);
        Ok::<_, Error>(value)
    };
    match scheme {
        AuthScheme::None => Ok(PreparedAuth::None),
        AuthScheme::Bearer => Ok(PreparedAuth::Header(
            reqwest::header::AUTHORIZATION,
            sensitive(&format!("Bearer {key}"))?,
        )),
        AuthScheme::Basic => Ok(PreparedAuth::Header(
            reqwest::header::AUTHORIZATION,
            sensitive(&format!("Basic {}", base64(key.as_bytes())))?,
        )),
        AuthScheme::ApiKeyHeader(name) => {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid API key header name {name:?}")))?;
            Ok(PreparedAuth::Header(name, sensitive(&key)?))
        }
        AuthScheme::ApiKeyQuery(name) => Ok(PreparedAuth::Query(name, key)),
    }
}

fn check_base_url(raw: &str) -> Result<String, Error> {
    let trimmed = raw.trim_end_matches('/');
    let invalid = |why: &str| Error::Config(format!("invalid base URL {raw:?}: {why}"));
    let url = reqwest::Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(invalid("no host"));
    }
    // Operation paths and query strings are appended to it, so it can carry neither.
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    Ok(trimmed.to_owned())
}

/// Standard base64 with padding, for Basic authentication (the mock compares with it).
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let bits = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = (bits >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
