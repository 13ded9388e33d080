//! Server-sent event streams: calling an operation whose success is `text/event-stream` and
//! reading its events one by one as typed values.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::{ApiError, DecodeError, Error, TransportError};
use crate::request::{Call, Operation};

/// Implemented by the generated operations that can answer with an event stream.
pub trait Streaming: Operation + Sized {
    /// One event of the stream: the schema of the spec's `text/event-stream` response.
    type Event: serde::de::DeserializeOwned + Send + 'static;
    /// Whether the API ends a complete stream with `data: [DONE]`. When it does, a stream
    /// that ends without it was cut off, and says so with [`Error::Connection`].
    const ENDS_WITH_DONE: bool;
    /// Asks for a stream in the request itself, for APIs whose body has a boolean `stream`
    /// switch: the generated implementation sets it to `true`.
    fn request_stream(&mut self) {}
}

impl<Op: Streaming> Call<Op> {
    /// How long the stream may send nothing at all (not even a keep-alive comment) before
    /// it ends with [`Error::Timeout`]; overrides the client's `stream_idle_timeout`.
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.options.idle_timeout = Some(idle);
        self
    }

    /// Sends the request as a streaming call and yields its events as they arrive.
    ///
    /// The request asks for `text/event-stream` (and, when the body has a boolean
    /// `stream` property, sets it to `true`). Until the response headers arrive the call
    /// behaves like `.await`: an error status is an [`Error::Api`] and is retried as
    /// configured, and [`timeout`](Call::timeout) bounds the wait. After that nothing is
    /// retried and only the idle timeout applies, so a long, healthy stream is never cut
    /// off by the total timeout.
    ///
    /// The stream ends after the last event (or `data: [DONE]`). It yields an error and
    /// ends when the connection drops ([`Error::Connection`]), when the server stays silent
    /// longer than the idle timeout ([`Error::Timeout`]), or when the server sends an error
    /// event ([`Error::Stream`]); an event that does not match its type is an
    /// [`Error::Decode`] naming the field, and the stream goes on. Events are decoded one at
    /// a time, so memory stays flat however long the stream runs.
    ///
    /// Each streaming operation's method docs show a compiled example; in short:
    ///
    /// ```text
    /// use futures_util::StreamExt;
    /// let mut events = std::pin::pin!(client.some_streaming_operation(body).events());
    /// while let Some(event) = events.next().await {
    ///     let event = event?;
    /// }
    /// ```
    pub fn events(
        self,
    ) -> impl futures_core::Stream<Item = Result<Op::Event, Error>> + Send + 'static {
        Events::<Op> {
            phase: Phase::Opening(Box::pin(open::<Op>(self))),
            operation: std::marker::PhantomData,
        }
    }
}

/// The stream [`Call::events`] returns: a state machine polled directly, so that each
/// event costs a parse and a decode and no future of its own.
struct Events<Op: Streaming> {
    phase: Phase,
    // `fn() -> Op` keeps `Events` `Send` and `Unpin` whatever `Op` is.
    operation: std::marker::PhantomData<fn() -> Op>,
}

#[allow(
    clippy::large_enum_variant,
    reason = "one per stream, and boxing the reader would add an indirection to every event"
)]
enum Phase {
    Opening(Pin<Box<dyn Future<Output = Result<Reader, Error>> + Send>>),
    Reading(Reader),
    Done,
}

impl<Op: Streaming> futures_core::Stream for Events<Op> {
    type Item = Result<Op::Event, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match &mut self.phase {
                Phase::Opening(opening) => match ready!(opening.as_mut().poll(cx)) {
                    Ok(reader) => self.phase = Phase::Reading(reader),
                    Err(error) => {
                        self.phase = Phase::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                },
                Phase::Reading(reader) => {
                    let item = ready!(reader.poll_event::<Op>(cx));
                    let Some(item) = item else {
                        self.phase = Phase::Done;
                        return Poll::Ready(None);
                    };
                    if item.ends_stream {
                        self.phase = Phase::Done;
                    }
                    return Poll::Ready(Some(item.result));
                }
                Phase::Done => return Poll::Ready(None),
            }
        }
    }
}

/// Chunks of the response body, each waited for at most the idle timeout.
type Chunks = Pin<Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, ChunkError>> + Send>>;

/// An open stream: the SSE decoder over the body, and what errors need to describe it.
struct Reader {
    events: sse_stream::SseByteStream<Chunks>,
    status: StatusCode,
    headers: HeaderMap,
    saw_done: bool,
}

/// What ends the byte stream early; the SSE decoder hands it back boxed.
#[derive(Debug)]
enum ChunkError {
    Http(reqwest::Error),
    Idle(Duration),
}

impl std::fmt::Display for ChunkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChunkError::Http(error) => error.fmt(f),
            ChunkError::Idle(idle) => write!(f, "the stream sent nothing for {idle:?}"),
        }
    }
}

impl std::error::Error for ChunkError {}

/// One item for the caller, and whether the stream is over after it.
struct Item<T> {
    result: Result<T, Error>,
    ends_stream: bool,
}

async fn open<Op: Streaming>(call: Call<Op>) -> Result<Reader, Error> {
    let Call {
        client,
        mut op,
        options,
    } = call;
    op.request_stream();
    let mut parts = op.to_request()?;
    parts.push_header("accept", "text/event-stream")?;
    let idle = options
        .idle_timeout
        .unwrap_or_else(|| client.stream_idle_timeout());
    let mut response = client
        .open_stream(Op::OPERATION_ID, parts, &options)
        .await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let chunks = futures_util::stream::unfold(Some(response), move |response| async move {
        let mut response = response?;
        match tokio::time::timeout(idle, response.chunk()).await {
            Err(_) => Some((Err(ChunkError::Idle(idle)), None)),
            Ok(Err(error)) => Some((Err(ChunkError::Http(error)), None)),
            Ok(Ok(Some(chunk))) => Some((Ok(chunk), Some(response))),
            Ok(Ok(None)) => None,
        }
    });
    let chunks: Chunks = Box::pin(chunks);
    Ok(Reader {
        events: sse_stream::SseByteStream::new(chunks),
        status,
        headers,
        saw_done: false,
    })
}

impl Reader {
    /// The next thing to tell the caller, or `None` when the stream is over.
    fn poll_event<Op: Streaming>(&mut self, cx: &mut Context<'_>) -> Poll<Option<Item<Op::Event>>> {
        let ends = |error: Error| Item {
            result: Err(error),
            ends_stream: true,
        };
        loop {
            let sse = match ready!(self.events.poll_next_unpin(cx)) {
                Some(Ok(sse)) => sse,
                Some(Err(error)) => return Poll::Ready(Some(ends(stream_failure(error)))),
                None if Op::ENDS_WITH_DONE && !self.saw_done => {
                    return Poll::Ready(Some(ends(Error::Connection(TransportError::stream(
                        "the event stream ended before `data: [DONE]`",
                    )))));
                }
                None => return Poll::Ready(None),
            };
            // Blocks without data (a lone `id:` or `retry:`) carry no event.
            let Some(data) = sse.data else { continue };
            if data == "[DONE]" {
                self.saw_done = true;
                return Poll::Ready(None);
            }
            if sse.event.as_deref() == Some("error") {
                return Poll::Ready(Some(ends(self.error_event(&data))));
            }
            return Poll::Ready(Some(
                match decode_event(&data, self.status, &self.headers) {
                    Ok(event) => Item {
                        result: Ok(event),
                        ends_stream: false,
                    },
                    Err(_) if is_error_object(&data) => ends(self.error_event(&data)),
                    Err(error) => Item {
                        result: Err(error),
                        ends_stream: false,
                    },
                },
            ));
        }
    }

    fn error_event(&self, data: &str) -> Error {
        Error::Stream(ApiError::new(
            self.status,
            self.headers.clone(),
            data.as_bytes(),
        ))
    }
}

/// Whether an event's data is the API's error envelope (`{"error": {...}}`) rather than an
/// event that failed to decode.
fn is_error_object(data: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(data)
        .ok()
        .and_then(|value| value.get("error").map(serde_json::Value::is_object))
        .unwrap_or(false)
}

/// Why the SSE decoder stopped: the transport (a dropped connection, the idle timeout) or
/// bytes that are not UTF-8.
fn stream_failure(error: sse_stream::Error) -> Error {
    match error {
        sse_stream::Error::Body(source) => match source.downcast::<ChunkError>() {
            Ok(chunk_error) => match *chunk_error {
                ChunkError::Idle(idle) => Error::Timeout(TransportError::stream(format!(
                    "the event stream sent nothing for {idle:?}"
                ))),
                ChunkError::Http(error) if error.is_timeout() => {
                    Error::Timeout(TransportError::http(error))
                }
                ChunkError::Http(error) => Error::Connection(TransportError::http(error)),
            },
            Err(other) => Error::Connection(TransportError::stream(other.to_string())),
        },
        other => Error::Connection(TransportError::stream(format!(
            "the event stream is malformed: {other}"
        ))),
    }
}

/// Decodes one event's data; a failure is decoded again with path tracking, so the error
/// names the field (the fast path costs what a plain `serde_json::from_str` costs).
fn decode_event<T: serde::de::DeserializeOwned>(
    data: &str,
    status: StatusCode,
    headers: &HeaderMap,
) -> Result<T, Error> {
    serde_json::from_str(data).map_err(|error| {
        let mut deserializer = serde_json::Deserializer::from_str(data);
        let (path, message) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) => (e.path().to_string(), e.inner().to_string()),
            Ok(_) => (".".to_owned(), error.to_string()),
        };
        Error::Decode(DecodeError::new(
            status,
            headers,
            path,
            message,
            data.as_bytes(),
        ))
    })
}
