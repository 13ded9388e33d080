//! Shared fixtures of the end-to-end tests: a test key, clients with millisecond backoff,
//! JSON bodies shaped like the invites API, wiremock shortcuts and misbehaving TCP servers.
#![allow(dead_code, reason = "each test file uses only some of these helpers")]

use std::time::Duration;

use openai_invites::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The API key every test client uses; no string printed by the client may contain it.
pub const KEY: &str = "sk-admin-test-SECRET-1234567890";

pub const INVITE_PATH: &str = "/organization/invites/inv_1";
pub const LIST_PATH: &str = "/organization/invites";

/// What the client sends as `User-Agent`: the package name and version.
pub const USER_AGENT: &str = concat!("openai-invites/", env!("CARGO_PKG_VERSION"));

/// A client for `base_url` with millisecond backoff, so retry tests take no time.
pub fn client_for(base_url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("client builds")
}

/// An `Invite` as the API sends it, with only the required fields and a pending status.
pub fn invite_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "object": "organization.invite",
        "id": id,
        "email": format!("{id}@example.com"),
        "role": "reader",
        "status": "pending",
        "created_at": 1_711_471_533,
    })
}

/// A 200 answer carrying `invite_json(id)` and request id `req_ok`.
pub fn invite(id: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("x-request-id", "req_ok")
        .set_body_json(invite_json(id))
}

/// An OpenAI-style error answer with this status.
pub fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(serde_json::json!({
        "error": { "message": format!("status {code}"), "type": "server_error" }
    }))
}

/// A list page holding invites with these ids; `last_id` is the last of them.
pub fn page(ids: &[&str], has_more: bool) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "object": "list",
        "data": ids.iter().map(|id| invite_json(id)).collect::<Vec<_>>(),
        "first_id": ids.first(),
        "last_id": ids.last(),
        "has_more": has_more,
    }))
}

/// Mounts `response` for the first `times` requests, ahead of any mock mounted later.
pub async fn first(server: &MockServer, times: u64, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

/// Mounts `response` for every request no earlier mock answered.
pub async fn then_always(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

/// How many requests reached `server`.
pub async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// The error's `Display` and `Debug`, and those of every source in its chain, as one string.
pub fn everything_printed(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = format!("{error} {error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(" | {cause} {cause:?}"));
        source = cause.source();
    }
    text
}

pub fn assert_no_key(text: &str) {
    assert!(!text.contains(KEY), "API key leaked into: {text}");
    assert!(
        !text.contains("SECRET"),
        "part of the API key leaked into: {text}"
    );
}

/// A local address where nothing listens.
pub async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{address}")
}

/// A raw HTTP/1.1 server on 127.0.0.1 that closes the first `drops` connections as soon as a
/// request arrives, without answering, then answers every request with `body` as JSON.
///
/// The accept loop runs on the test's runtime, so it stops when the test ends.
pub async fn flaky_server(drops: usize, body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        for connection in 0.. {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut buffer = [0u8; 4096];
            // Only the start of the request matters: enough to know one arrived.
            let _ = socket.read(&mut buffer).await;
            if connection < drops {
                drop(socket);
                continue;
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{address}")
}

/// A raw HTTP/1.1 server on 127.0.0.1 that answers every request with status line, headers and
/// the first byte of a JSON body, then stalls for `stall` before sending the rest.
pub async fn stalling_body_server(stall: Duration, body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let body = body.clone();
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&body.as_bytes()[..1]).await;
                let _ = socket.flush().await;
                tokio::time::sleep(stall).await;
                let _ = socket.write_all(&body.as_bytes()[1..]).await;
            });
        }
    });
    format!("http://{address}")
}
