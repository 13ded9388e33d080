//! Event streams and typed time of the `streams_and_time` fixture's crate, against
//! scripted HTTP servers on 127.0.0.1 (each test starts its own and stops it by dropping
//! it) and the crate's generated mock. Every wait is bounded.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixture_streams_and_time::models::{CompletionChunk, CompletionRequest, RunEvent};
use fixture_streams_and_time::{Client, Error, UnixTime};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Upper bound on any one test's wait, so a regression fails instead of hanging.
const BOUND: Duration = Duration::from_secs(10);

/// A server whose `n`th connection (from 0) is answered by `script(n, socket)`, after its
/// request was read and recorded.
struct Server {
    base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    async fn start<F, Fut>(script: F) -> Server
    where
        F: Fn(usize, TcpStream) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let task = tokio::spawn(async move {
            let mut n = 0;
            while let Ok((mut socket, _)) = listener.accept().await {
                let request = read_request(&mut socket).await;
                seen.lock().unwrap().push(request);
                tokio::spawn(script(n, socket));
                n += 1;
            }
        });
        Server {
            base_url,
            requests,
            task,
        }
    }

    fn client(&self) -> Client {
        Client::builder()
            .api_key("test-key")
            .base_url(&self.base_url)
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
            .build()
            .expect("client")
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

async fn read_request(socket: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(read) = socket.read(&mut buffer).await {
        if read == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&bytes).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&bytes).to_string()
}

const STREAM_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                           x-request-id: req_stream\r\nconnection: close\r\n\r\n";
const CHUNKED_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                            transfer-encoding: chunked\r\n\r\n";

/// Writes each piece separately, so the client reads them apart.
async fn write_slowly(socket: &mut TcpStream, pieces: &[&str]) {
    for piece in pieces {
        if socket.write_all(piece.as_bytes()).await.is_err() {
            return;
        }
        let _ = socket.flush().await;
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
}

/// One HTTP/1.1 chunk of a chunked body.
fn chunk(text: &str) -> String {
    format!("{:x}\r\n{text}\r\n", text.len())
}

fn request() -> CompletionRequest {
    CompletionRequest::new("Say hi")
}

async fn collect<S, T>(stream: S) -> Vec<Result<T, Error>>
where
    S: futures_core::Stream<Item = Result<T, Error>>,
{
    tokio::time::timeout(BOUND, stream.collect::<Vec<_>>())
        .await
        .expect("the stream ended within the bound")
}

#[tokio::test]
async fn events_split_across_reads_with_crlf_comments_and_multiline_data() {
    let server = Server::start(|_, mut socket| async move {
        write_slowly(
            &mut socket,
            &[
                STREAM_HEAD,
                ": keep-alive\r\n\r\n",
                "event: chunk\r\nid: 1\r\ndata: {\"id\": \"c1\",\r\n",
                "data: \"created\": 1700000000, \"del",
                "ta\": \"Hel\"}\r\n\r\n",
                "data: {\"id\":\"c2\",\"created\":1700000001,\"delta\":\"lo\"}\n\n",
                "data: [DONE]\n\n",
            ],
        )
        .await;
    })
    .await;
    let events = collect(server.client().create_completion(request()).events()).await;
    let chunks: Vec<CompletionChunk> = events
        .into_iter()
        .map(|event| event.expect("every event decodes"))
        .collect();
    assert_eq!(chunks.len(), 2, "{chunks:?}");
    assert_eq!(chunks[0].delta, "Hel");
    assert_eq!(chunks[0].created, UnixTime::from_secs(1_700_000_000));
    assert_eq!(chunks[1].delta, "lo");
}

#[tokio::test]
async fn the_streaming_call_asks_for_a_stream_and_the_plain_call_does_not() {
    let server = Server::start(|n, mut socket| async move {
        let answer = if n == 0 {
            format!("{STREAM_HEAD}data: [DONE]\n\n")
        } else {
            let body = r#"{"id":"x","created":1700000000,"text":"hi"}"#;
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
        };
        let _ = socket.write_all(answer.as_bytes()).await;
    })
    .await;
    let client = server.client();
    let events = collect(client.create_completion(request()).events()).await;
    assert!(events.is_empty(), "{events:?}");
    let completion = client
        .create_completion(request())
        .await
        .expect("JSON call");
    assert_eq!(completion.created.as_secs(), 1_700_000_000);
    let requests = server.requests();
    let streaming = requests[0].to_ascii_lowercase();
    assert!(
        streaming.contains("accept: text/event-stream"),
        "{streaming}"
    );
    assert!(streaming.contains("\"stream\":true"), "{streaming}");
    let plain = requests[1].to_ascii_lowercase();
    assert!(!plain.contains("text/event-stream"), "{plain}");
    assert!(!plain.contains("\"stream\":true"), "{plain}");
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_is_a_connection_error() {
    let server = Server::start(|_, mut socket| async move {
        let event = chunk("data: {\"id\":\"c1\",\"created\":1,\"delta\":\"a\"}\n\n");
        // The second chunk announces more bytes than arrive before the close.
        let partial = "40\r\ndata: {\"id\":";
        write_slowly(&mut socket, &[CHUNKED_HEAD, &event, partial]).await;
    })
    .await;
    let events = collect(server.client().create_completion(request()).events()).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events[0].is_ok(), "{events:?}");
    let error = events[1].as_ref().expect_err("the drop is reported");
    assert!(matches!(error, Error::Connection(_)), "{error:?}");
}

#[tokio::test]
async fn a_clean_close_before_done_is_a_connection_error() {
    let server = Server::start(|_, mut socket| async move {
        let answer =
            format!("{STREAM_HEAD}data: {{\"id\":\"c1\",\"created\":1,\"delta\":\"a\"}}\n\n");
        let _ = socket.write_all(answer.as_bytes()).await;
    })
    .await;
    let events = collect(server.client().create_completion(request()).events()).await;
    assert_eq!(events.len(), 2, "{events:?}");
    let error = events[1].as_ref().expect_err("the cut is reported");
    assert!(error.is_connection(), "{error:?}");
    assert!(error.to_string().contains("connection"), "{error}");
}

#[tokio::test]
async fn a_stream_without_a_terminator_ends_cleanly_at_the_close() {
    let server = Server::start(|_, mut socket| async move {
        let answer = format!(
            "{STREAM_HEAD}event: run.progress\ndata: {{\"type\":\"run.progress\",\"percent\":50}}\n\n\
             data: {{\"type\":\"run.completed\",\"finished_at\":1700000100}}\n\n"
        );
        let _ = socket.write_all(answer.as_bytes()).await;
    })
    .await;
    let events = collect(
        server
            .client()
            .start_run(fixture_streams_and_time::models::StartRunBody::new("build"))
            .events(),
    )
    .await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        matches!(events[0], Ok(RunEvent::RunProgress(_))),
        "{events:?}"
    );
    match &events[1] {
        Ok(RunEvent::RunCompleted(done)) => {
            assert_eq!(done.finished_at.to_string(), "2023-11-14T22:15:00Z");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_stalled_stream_times_out_after_the_idle_timeout() {
    let server = Server::start(|_, mut socket| async move {
        let answer =
            format!("{STREAM_HEAD}data: {{\"id\":\"c1\",\"created\":1,\"delta\":\"a\"}}\n\n");
        let _ = socket.write_all(answer.as_bytes()).await;
        // Stall with the connection open, longer than the client waits.
        tokio::time::sleep(BOUND).await;
    })
    .await;
    let started = std::time::Instant::now();
    let events = collect(
        server
            .client()
            .create_completion(request())
            .idle_timeout(Duration::from_millis(300))
            .events(),
    )
    .await;
    assert_eq!(events.len(), 2, "{events:?}");
    let error = events[1].as_ref().expect_err("the stall is reported");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_total_timeout_does_not_cut_a_long_healthy_stream() {
    let server = Server::start(|_, mut socket| async move {
        let _ = socket.write_all(STREAM_HEAD.as_bytes()).await;
        for i in 0..8 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            // Heartbeat comments between events keep the idle timer from firing.
            let event =
                format!(": ping\n\ndata: {{\"id\":\"c{i}\",\"created\":1,\"delta\":\"x\"}}\n\n");
            if socket.write_all(event.as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"data: [DONE]\n\n").await;
    })
    .await;
    let events = collect(
        server
            .client()
            .create_completion(request())
            .timeout(Duration::from_millis(300))
            .idle_timeout(Duration::from_millis(400))
            .events(),
    )
    .await;
    assert_eq!(events.len(), 8, "{events:?}");
    assert!(events.iter().all(Result::is_ok), "{events:?}");
}

#[tokio::test]
async fn heartbeats_alone_keep_a_quiet_stream_alive() {
    let server = Server::start(|_, mut socket| async move {
        let _ = socket.write_all(STREAM_HEAD.as_bytes()).await;
        for _ in 0..6 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if socket.write_all(b": still thinking\n\n").await.is_err() {
                return;
            }
        }
        let _ = socket
            .write_all(b"data: {\"id\":\"c1\",\"created\":1,\"delta\":\"a\"}\n\ndata: [DONE]\n\n")
            .await;
    })
    .await;
    let events = collect(
        server
            .client()
            .create_completion(request())
            .idle_timeout(Duration::from_millis(300))
            .events(),
    )
    .await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].is_ok(), "{events:?}");
}

#[tokio::test]
async fn an_error_event_is_an_error_item_and_ends_the_stream() {
    let server = Server::start(|_, mut socket| async move {
        let answer = format!(
            "{STREAM_HEAD}data: {{\"id\":\"c1\",\"created\":1,\"delta\":\"a\"}}\n\n\
             event: error\ndata: {{\"error\":{{\"message\":\"overloaded\",\"type\":\"server_error\"}}}}\n\n\
             data: {{\"id\":\"c2\",\"created\":1,\"delta\":\"b\"}}\n\ndata: [DONE]\n\n"
        );
        let _ = socket.write_all(answer.as_bytes()).await;
    })
    .await;
    let events = collect(server.client().create_completion(request()).events()).await;
    assert_eq!(events.len(), 2, "{events:?}");
    match &events[1] {
        Err(Error::Stream(error)) => {
            assert_eq!(error.body().map(|b| b.message.as_str()), Some("overloaded"));
            assert_eq!(error.request_id(), Some("req_stream"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_error_object_as_data_is_an_error_item_and_ends_the_stream() {
    let server = Server::start(|_, mut socket| async move {
        let answer = format!(
            "{STREAM_HEAD}data: {{\"error\":{{\"message\":\"context too long\",\"code\":\"context_length_exceeded\"}}}}\n\n\
             data: {{\"id\":\"c2\",\"created\":1,\"delta\":\"b\"}}\n\n"
        );
        let _ = socket.write_all(answer.as_bytes()).await;
    })
    .await;
    let events = collect(server.client().create_completion(request()).events()).await;
    assert_eq!(events.len(), 1, "{events:?}");
    match &events[0] {
        Err(Error::Stream(error)) => {
            assert_eq!(
                error.body().and_then(|b| b.code.as_deref()),
                Some("context_length_exceeded")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_error_status_before_the_stream_is_an_api_error_and_is_retried() {
    let server = Server::start(|n, mut socket| async move {
        let answer = if n == 0 {
            let body = r#"{"error":{"message":"busy"}}"#;
            format!(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
        } else if n == 1 {
            format!("{STREAM_HEAD}data: {{\"id\":\"c1\",\"created\":1,\"delta\":\"a\"}}\n\ndata: [DONE]\n\n")
        } else {
            let body = r#"{"error":{"message":"no such model"}}"#;
            format!(
                "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
        };
        let _ = socket.write_all(answer.as_bytes()).await;
    })
    .await;
    let client = server.client();
    let events = collect(client.create_completion(request()).events()).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].is_ok(), "{events:?}");
    assert_eq!(server.requests().len(), 2, "the 503 was retried once");

    let events = collect(client.create_completion(request()).events()).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let error = events[0].as_ref().expect_err("404");
    assert!(
        matches!(error, Error::Api(_)) && error.is_not_found(),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 3, "a 404 is not retried");
}

#[tokio::test]
async fn nothing_is_retried_after_the_first_event() {
    let server = Server::start(|_, mut socket| async move {
        let event = chunk("data: {\"id\":\"c1\",\"created\":1,\"delta\":\"a\"}\n\n");
        write_slowly(&mut socket, &[CHUNKED_HEAD, &event, "40\r\ndata"]).await;
    })
    .await;
    let events = collect(
        server
            .client()
            .create_completion(request())
            .max_retries(3)
            .events(),
    )
    .await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events[1].as_ref().is_err_and(Error::is_connection),
        "{events:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_event_that_does_not_decode_names_its_field_and_the_stream_goes_on() {
    let server = Server::start(|_, mut socket| async move {
        let answer = format!(
            "{STREAM_HEAD}data: {{\"id\":\"c1\",\"created\":\"yesterday\",\"delta\":\"a\"}}\n\n\
             data: {{\"id\":\"c2\",\"created\":2,\"delta\":\"b\"}}\n\ndata: [DONE]\n\n"
        );
        let _ = socket.write_all(answer.as_bytes()).await;
    })
    .await;
    let events = collect(server.client().create_completion(request()).events()).await;
    assert_eq!(events.len(), 2, "{events:?}");
    match &events[0] {
        Err(Error::Decode(error)) => assert_eq!(error.path(), "created"),
        other => panic!("{other:?}"),
    }
    assert!(events[1].is_ok(), "{events:?}");
}

#[tokio::test]
async fn a_long_stream_is_decoded_event_by_event() {
    const EVENTS: usize = 20_000;
    let server = Server::start(|_, mut socket| async move {
        let _ = socket.write_all(STREAM_HEAD.as_bytes()).await;
        let mut batch = String::new();
        for i in 0..EVENTS {
            batch.push_str(&format!(
                "data: {{\"id\":\"c{i}\",\"created\":{i},\"delta\":\"token\"}}\n\n"
            ));
            if batch.len() > 16 * 1024 {
                if socket.write_all(batch.as_bytes()).await.is_err() {
                    return;
                }
                batch.clear();
            }
        }
        batch.push_str("data: [DONE]\n\n");
        let _ = socket.write_all(batch.as_bytes()).await;
    })
    .await;
    let stream = server.client().create_completion(request()).events();
    let mut stream = std::pin::pin!(stream);
    let mut count = 0;
    let counted = tokio::time::timeout(BOUND, async {
        while let Some(event) = stream.next().await {
            let event = event.expect("decodes");
            assert_eq!(event.created.as_secs(), count as i64);
            count += 1;
        }
    })
    .await;
    assert!(counted.is_ok(), "the stream ended within the bound");
    assert_eq!(count, EVENTS);
}

#[tokio::test]
async fn the_mock_serves_streams_from_examples_and_samples() {
    let mock = fixture_streams_and_time::mock::MockServer::start()
        .await
        .expect("mock starts");
    let client = mock.client().expect("client");
    let chunks = collect(client.create_completion(request()).events()).await;
    assert_eq!(chunks.len(), 1, "{chunks:?}");
    let chunk = chunks[0].as_ref().expect("the sample decodes");
    assert_eq!(chunk.delta, "Hello");
    let completion = client.create_completion(request()).await.expect("JSON");
    assert_eq!(completion.text, "string");
    let run = collect(
        client
            .start_run(fixture_streams_and_time::models::StartRunBody::new("x"))
            .events(),
    )
    .await;
    assert!(
        matches!(
            run.as_slice(),
            [Ok(RunEvent::RunProgress(_)), Ok(RunEvent::RunCompleted(_))]
        ),
        "{run:?}"
    );
    mock.stop().await;
}

#[tokio::test]
async fn malformed_times_are_decode_errors_naming_the_field() {
    let server = Server::start(|n, mut socket| async move {
        let body = match n {
            0 => r#"{"created_at":1711471533,"expires_at":null,"history":[1,2],"starts":"2024-03-26T16:45:33Z","day":"2024-03-26"}"#,
            1 => r#"{"created_at":"2024-03-26","starts":"2024-03-26T16:45:33Z","day":"2024-03-26"}"#,
            _ => r#"{"created_at":1,"starts":"yesterday","day":"2024-03-26"}"#,
        };
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(answer.as_bytes()).await;
    })
    .await;
    let client = server.client();
    let schedule = client
        .get_schedule()
        .since(1_700_000_000)
        .await
        .expect("decodes");
    assert_eq!(schedule.created_at.as_secs(), 1_711_471_533);
    assert_eq!(schedule.starts.as_second(), 1_711_471_533);
    assert_eq!(schedule.day.to_string(), "2024-03-26");
    let written = serde_json::to_value(&schedule).expect("serializes");
    assert_eq!(written["created_at"], serde_json::json!(1_711_471_533));
    assert!(server.requests()[0].contains("since=1700000000"));

    let error = client
        .get_schedule()
        .await
        .expect_err("a date is not a unixtime");
    match &error {
        Error::Decode(decode) => assert_eq!(decode.path(), "created_at"),
        other => panic!("{other:?}"),
    }
    let error = client.get_schedule().await.expect_err("not a date-time");
    match &error {
        Error::Decode(decode) => assert_eq!(decode.path(), "starts"),
        other => panic!("{other:?}"),
    }
}
