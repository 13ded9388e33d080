//! Event-stream throughput and memory of a generated client (`bench/run sse`).
//!
//! `bench/run` generates the `streams_and_time` fixture's crate and builds this program
//! against it. One loopback server sends N chat-completion-like chunks as server-sent events
//! (then `data: [DONE]`); the generated `create_completion(..).events()` and a hand-written
//! reqwest + serde_json SSE loop decode the very same bytes, alternating, in the same run.
//! A counting allocator records the peak of live heap bytes while 1 000 and 100 000 events
//! stream through: a flat stream's peak does not grow with the count.
//!
//! Prints `sse_throughput {json}` and `sse_memory {json}` lines.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use fixture_streams_and_time::Client;
use fixture_streams_and_time::models::CompletionRequest;
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Off during the throughput rounds: counting costs two atomic operations per
/// allocation, which would tax the side that allocates more beyond what it really costs.
static COUNTING: AtomicBool = AtomicBool::new(true);

fn grew(bytes: usize) {
    if !COUNTING.load(Relaxed) {
        return;
    }
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(layout.size(), Relaxed);
        }
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else if COUNTING.load(Relaxed) {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What the hand-written loop decodes each event into: the fields the generated
/// `CompletionChunk` has, with the same types.
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "decoded to be measured, not read")]
struct Chunk {
    id: String,
    created: i64,
    delta: String,
}

/// The events of one response, as the server writes them: chat-completion-like chunks
/// of about 200 bytes, the extra fields skipped by both decoders alike.
fn event_stream(events: usize) -> Vec<u8> {
    let mut body = String::new();
    for i in 0..events {
        body.push_str(&format!(
            "data: {{\"id\":\"chatcmpl-{i}\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\
             \"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_0123456789\",\"delta\":\"token {i}\"}}\n\n"
        ));
    }
    body.push_str("data: [DONE]\n\n");
    body.into_bytes()
}

/// Serves `body` as an event stream to every connection, in 16 KiB writes.
async fn serve(body: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // The request ends at its blank line plus a small JSON body.
                while let Ok(read) = socket.read(&mut buffer).await {
                    if read == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..read]);
                    if request.ends_with(b"}") {
                        break;
                    }
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for piece in body.chunks(16 * 1024) {
                    if socket.write_all(piece).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    base_url
}

async fn generated(client: &Client) -> usize {
    let events = client
        .create_completion(CompletionRequest::new("bench"))
        .idle_timeout(Duration::from_secs(30))
        .events();
    let mut events = std::pin::pin!(events);
    let mut count = 0;
    while let Some(event) = events.next().await {
        event.expect("event decodes");
        count += 1;
    }
    count
}

/// The loop a team would write by hand: buffer the chunks, cut events at blank lines,
/// decode each `data:` with serde_json, stop at `[DONE]`.
async fn hand_written(http: &reqwest::Client, base_url: &str) -> usize {
    let mut response = http
        .post(format!("{base_url}/completions"))
        .header("accept", "text/event-stream")
        .header("content-type", "application/json")
        .body(r#"{"prompt":"bench","stream":true}"#)
        .send()
        .await
        .expect("send");
    let mut buffer: Vec<u8> = Vec::new();
    let mut count = 0;
    while let Some(chunk) = response.chunk().await.expect("chunk") {
        buffer.extend_from_slice(&chunk);
        let mut start = 0;
        while let Some(end) = buffer[start..].windows(2).position(|w| w == b"\n\n") {
            let event = &buffer[start..start + end];
            start += end + 2;
            let Some(data) = event.strip_prefix(b"data: ") else {
                continue;
            };
            if data == b"[DONE]" {
                return count;
            }
            let _: Chunk = serde_json::from_slice(data).expect("event decodes");
            count += 1;
        }
        buffer.drain(..start);
    }
    count
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let rounds: usize = std::env::var("SSE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let events: usize = std::env::var("SSE_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);

    // Memory first, before the throughput rounds have grown anything.
    let mut memory = Vec::new();
    for count in [1_000, 10_000, events] {
        let body: &'static [u8] = Box::leak(event_stream(count).into_boxed_slice());
        let base_url = serve(body).await;
        let client = Client::builder()
            .api_key("bench")
            .base_url(&base_url)
            .build()
            .expect("client");
        let before = LIVE.load(Relaxed);
        PEAK.store(before, Relaxed);
        assert_eq!(generated(&client).await, count);
        memory.push((count, PEAK.load(Relaxed) - before));
    }
    let memory_json: Vec<String> = memory
        .iter()
        .map(|(count, peak)| format!("{{\"events\":{count},\"peak_live_bytes\":{peak}}}"))
        .collect();
    println!("sse_memory [{}]", memory_json.join(","));
    // Live bytes are no longer tracked: blocks freed from here on must not be subtracted.
    COUNTING.store(false, Relaxed);

    let body: &'static [u8] = Box::leak(event_stream(events).into_boxed_slice());
    let base_url = serve(body).await;
    let client = Client::builder()
        .api_key("bench")
        .base_url(&base_url)
        .build()
        .expect("client");
    let http = reqwest::Client::new();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        assert_eq!(generated(&client).await, events);
        ours.push(events as f64 / started.elapsed().as_secs_f64());
        let started = Instant::now();
        assert_eq!(hand_written(&http, &base_url).await, events);
        theirs.push(events as f64 / started.elapsed().as_secs_f64());
    }
    let (ours, theirs) = (median(ours), median(theirs));
    println!(
        "sse_throughput {{\"events\":{events},\"rounds\":{rounds},\"generated_events_per_s\":{ours:.0},\
         \"hand_written_events_per_s\":{theirs:.0},\"ratio\":{:.3}}}",
        ours / theirs
    );
}
