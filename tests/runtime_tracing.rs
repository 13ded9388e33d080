//! The tracing the client emits: one span per operation, one event per retry, never the key.
//!
//! Its own test binary with a single test: tracing caches per call site whether anyone listens,
//! and a test elsewhere in the same process reaching a call site while no subscriber is set can
//! make this test's thread-local subscriber miss events.

mod common;

use std::time::Duration;

use common::{KEY, assert_no_key, first, invite, status, then_always};
use openai_invites::Client;
use openai_invites::client::AuthScheme;
use wiremock::MockServer;

/// Collects formatted tracing output, for asserting on what the client logs.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogBuffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

// `#[tokio::test]` runs on the current thread, so a thread-local subscriber sees every event.
#[tokio::test]
async fn each_retry_is_a_tracing_event_inside_the_operation_span_without_the_key() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    first(&server, 1, status(500)).await;
    then_always(&server, invite("inv_1")).await;
    // Query authentication puts the key in the URL: the most likely place for it to leak.
    let client = Client::builder()
        .api_key(KEY)
        .auth_scheme(AuthScheme::ApiKeyQuery("api_key"))
        .base_url(server.uri())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("client builds");

    client.retrieve_invite("inv_1").await.expect("retried");

    let text = logs.text();
    assert!(text.contains("retrying request"), "{text}");
    assert!(text.contains("attempt=1"), "{text}");
    assert!(text.contains("api_request"), "{text}");
    assert!(text.contains("operation_id=\"retrieve-invite\""), "{text}");
    assert!(text.contains("500 Internal Server Error"), "{text}");
    assert_no_key(&text);
}
