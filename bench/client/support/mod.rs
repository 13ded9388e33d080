//! What the client benchmarks share: an in-process axum server on 127.0.0.1 that serves the
//! invites API (a fixed invite, and cursor pages over a synthetic list of any length), and the
//! hand-written structs and reqwest calls that the generated client is measured against.

#![allow(dead_code, reason = "each bench target uses a different part")]

use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;

/// The API key both clients send; the server does not check it.
pub const API_KEY: &str = "sk-admin-bench";

/// One invite as a hand-written client would model it: plain derives, typed enums with a
/// catch-all for values added later, the same optional fields as the spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandInvite {
    pub object: String,
    pub id: String,
    pub email: String,
    pub role: HandRole,
    pub status: HandStatus,
    pub created_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<Vec<HandProject>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandProject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<HandProjectRole>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HandRole {
    Owner,
    Reader,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HandStatus {
    Accepted,
    Expired,
    Pending,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HandProjectRole {
    Member,
    Owner,
    #[serde(other)]
    Unknown,
}

/// One page of the list, hand-written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandList {
    pub object: String,
    pub data: Vec<HandInvite>,
    #[serde(default)]
    pub first_id: Option<String>,
    #[serde(default)]
    pub last_id: Option<String>,
    pub has_more: bool,
}

/// The id of the `index`th invite of the synthetic list; ids sort in list order.
pub fn invite_id(index: usize) -> String {
    format!("invite-{index:07}")
}

/// The `index`th invite: every field present, as the live API sends it.
pub fn invite(index: usize) -> HandInvite {
    HandInvite {
        object: "organization.invite".into(),
        id: invite_id(index),
        email: format!("user{index}@example.com"),
        role: if index % 3 == 0 {
            HandRole::Owner
        } else {
            HandRole::Reader
        },
        status: [
            HandStatus::Accepted,
            HandStatus::Expired,
            HandStatus::Pending,
        ][index % 3],
        created_at: 1_711_471_533 + index as i64,
        expires_at: Some(1_712_076_333 + index as i64),
        accepted_at: (index % 3 == 0).then_some(1_711_471_600 + index as i64),
        projects: Some(vec![HandProject {
            id: Some(format!("proj_{index:05}")),
            role: Some(HandProjectRole::Member),
        }]),
    }
}

/// The page of `limit` invites after `after` (or from the start) of a list of `total`.
pub fn page(total: usize, after: Option<&str>, limit: usize) -> HandList {
    let start = after
        .and_then(|id| id.strip_prefix("invite-"))
        .and_then(|n| n.parse::<usize>().ok())
        .map_or(0, |n| n + 1)
        .min(total);
    let end = (start + limit).min(total);
    let data: Vec<HandInvite> = (start..end).map(invite).collect();
    HandList {
        object: "list".into(),
        first_id: data.first().map(|i| i.id.clone()),
        last_id: data.last().map(|i| i.id.clone()),
        has_more: end < total,
        data,
    }
}

/// The JSON bytes of the first page of 100 of a long list: the body the decode benchmark reads.
pub fn page_100_json() -> Vec<u8> {
    serde_json::to_vec(&page(usize::MAX, None, 100)).expect("serializable")
}

struct Shared {
    total: usize,
    invite: Vec<u8>,
    first_page: Vec<u8>,
}

#[derive(Deserialize)]
struct ListQuery {
    after: Option<String>,
    limit: Option<usize>,
}

fn json(body: Vec<u8>) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], body)
}

async fn list(State(shared): State<Arc<Shared>>, Query(q): Query<ListQuery>) -> impl IntoResponse {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    if q.after.is_none() && limit == 100 {
        return json(shared.first_page.clone());
    }
    let body = serde_json::to_vec(&page(shared.total, q.after.as_deref(), limit));
    json(body.expect("serializable"))
}

async fn retrieve(State(shared): State<Arc<Shared>>, Path(_id): Path<String>) -> impl IntoResponse {
    json(shared.invite.clone())
}

/// The server, on its own thread and single-threaded runtime (so it does not share the
/// client's), listening on 127.0.0.1; it stops when dropped.
pub struct Server {
    pub base_url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Serves a list of `total` invites.
    pub fn start(total: usize) -> Server {
        let shared = Arc::new(Shared {
            total,
            invite: serde_json::to_vec(&invite(0)).expect("serializable"),
            first_page: serde_json::to_vec(&page(total, None, 100)).expect("serializable"),
        });
        let app = axum::Router::new()
            .route("/organization/invites", get(list))
            .route("/organization/invites/{invite_id}", get(retrieve))
            .with_state(shared);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel::<SocketAddr>();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind 127.0.0.1");
                addr_tx
                    .send(listener.local_addr().expect("local addr"))
                    .expect("send addr");
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .expect("serve");
            });
        });
        let addr = addr_rx.recv().expect("server started");
        Server {
            base_url: format!("http://{addr}"),
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What every bench measures on: a current-thread runtime (one caller awaiting one call at
/// a time), one reqwest pool, and the generated client built on that same pool.
pub fn client_setup(
    server: &Server,
) -> (
    tokio::runtime::Runtime,
    reqwest::Client,
    openai_invites::Client,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    // The default `rustls-ring` feature leaves reqwest without a crypto provider of its own.
    openai_invites::client::install_tls_provider();
    let http = reqwest::Client::new();
    let client = generated_client(server, &http);
    (runtime, http, client)
}

/// The generated client on `http`'s connection pool, without retries (the server never fails).
pub fn generated_client(server: &Server, http: &reqwest::Client) -> openai_invites::Client {
    openai_invites::Client::builder()
        .api_key(API_KEY)
        .base_url(&server.base_url)
        .http_client(http.clone())
        .max_retries(0)
        .build()
        .expect("client")
}

/// What one would write by hand: GET, bearer token, status check, body, `from_slice`.
pub async fn hand_get<T: serde::de::DeserializeOwned>(http: &reqwest::Client, url: &str) -> T {
    let response = http
        .get(url)
        .bearer_auth(API_KEY)
        .header(reqwest::header::USER_AGENT, "hand-written/0.1")
        .send()
        .await
        .expect("send");
    assert!(response.status().is_success(), "{}", response.status());
    let body = response.bytes().await.expect("body");
    serde_json::from_slice(&body).expect("decode")
}
