//! Client overhead against hand-written code (criterion): requests per second of
//! `retrieve_invite` and of one 100-invite list page against a hand-written reqwest call to
//! the same loopback server on the same connection pool, and the decode time of a 100-invite
//! page into the generated models against `serde_json::from_slice` into hand-written structs.
//! `bench/run` turns criterion's estimates into ratios.

mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use openai_invites::models::{Invite, InviteListResponse};
use std::hint::black_box;
use std::time::{Duration, Instant};
use support::{HandInvite, HandList, Server};

/// Sequential requests on one current-thread runtime: what one caller awaiting one call at a
/// time sees, so the client's own per-request work is not hidden behind concurrency.
fn requests(c: &mut Criterion) {
    let server = Server::start(10_000);
    // One pool for both sides: the generated client is built on a clone of `http`.
    let (runtime, http, client) = support::client_setup(&server);
    let base = server.base_url.clone();

    // Warm the pool (one connection) and check both sides read the same invite.
    let (hand, generated) = runtime.block_on(async {
        let url = format!("{base}/organization/invites/invite-abc");
        let hand: HandInvite = support::hand_get(&http, &url).await;
        let generated: Invite = client
            .retrieve_invite("invite-abc")
            .await
            .expect("retrieve");
        (hand, generated)
    });
    assert_eq!(hand.id, generated.id);

    let mut group = c.benchmark_group("retrieve_invite");
    group.throughput(Throughput::Elements(1));
    group.bench_function("handwritten", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let id = black_box("invite-abc");
                    let url = format!("{base}/organization/invites/{id}");
                    black_box(support::hand_get::<HandInvite>(&http, &url).await);
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("generated", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let id = black_box("invite-abc");
                    black_box(client.retrieve_invite(id).await.expect("retrieve"));
                }
                start.elapsed()
            })
        })
    });
    group.finish();

    let mut group = c.benchmark_group("list_page_100");
    group.throughput(Throughput::Elements(1));
    group.bench_function("handwritten", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let limit = black_box(100);
                    let url = format!("{base}/organization/invites?limit={limit}");
                    let page: HandList = support::hand_get(&http, &url).await;
                    assert_eq!(page.data.len(), 100);
                    black_box(page);
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("generated", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let page = client
                        .list_invites()
                        .limit(black_box(100))
                        .await
                        .expect("list");
                    assert_eq!(page.data.len(), 100);
                    black_box(page);
                }
                start.elapsed()
            })
        })
    });
    group.finish();
    drop(server);
}

/// Decoding alone, no I/O: the same 100-invite page into each side's types.
fn decode(c: &mut Criterion) {
    let body = support::page_100_json();
    let hand: HandList = serde_json::from_slice(&body).expect("hand-written decode");
    let generated: InviteListResponse = serde_json::from_slice(&body).expect("generated decode");
    assert_eq!(hand.data.len(), generated.data.len());

    let mut group = c.benchmark_group("decode_page_100");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("handwritten", |b| {
        b.iter(|| black_box(serde_json::from_slice::<HandList>(black_box(&body)).expect("decode")))
    });
    group.bench_function("generated", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<InviteListResponse>(black_box(&body)).expect("decode"),
            )
        })
    });
    group.finish();
}

fn config() -> Criterion {
    // Two cores shared with other work: short, repeated samples and a noise threshold
    // wide enough that a busy neighbour does not read as a regression.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .noise_threshold(0.05)
}

criterion_group! {
    name = benches;
    config = config();
    targets = requests, decode
}
criterion_main!(benches);
