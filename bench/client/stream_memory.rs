//! Memory of streaming a long invite list through `list_invites().stream()`: a counting global
//! allocator records the peak of live heap bytes while 1 000 and then 10 000 invites stream
//! through (100 a page, from the loopback server in `support`), and the number of allocations.
//! A flat stream holds one page at a time, so its peak must not grow with the count.
//! Prints one `stream_memory {json}` line per count for `bench/run`.

mod support;

use futures_util::StreamExt;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Counts live bytes, their high-water mark, and allocations, around the system allocator.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        grew(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        grew(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

struct Measured {
    items: usize,
    peak_bytes: usize,
    allocations: usize,
}

/// Streams every invite of a `count`-long list and measures the heap above what was live
/// before (the server, the runtime and the warm connection pool).
fn stream(count: usize) -> Measured {
    let server = support::Server::start(count);
    let (runtime, _http, client) = support::client_setup(&server);
    runtime.block_on(async {
        // Warm the pool so the connection's buffers count as the baseline, not as growth.
        client.list_invites().limit(1).await.expect("warm-up");

        let base = LIVE.load(Relaxed);
        PEAK.store(base, Relaxed);
        let allocations_before = ALLOCATIONS.load(Relaxed);
        let mut items = 0;
        let mut stream = std::pin::pin!(client.list_invites().limit(100).stream());
        while let Some(invite) = stream.next().await {
            let invite = invite.expect("page");
            std::hint::black_box(&invite);
            items += 1;
        }
        Measured {
            items,
            peak_bytes: PEAK.load(Relaxed).saturating_sub(base),
            allocations: ALLOCATIONS.load(Relaxed) - allocations_before,
        }
    })
}

fn main() {
    // `cargo test --benches` (the smoke run) passes no `--bench`: use smaller lists there.
    let quick = !std::env::args().any(|a| a == "--bench");
    let counts: [usize; 2] = if quick { [200, 2_000] } else { [1_000, 10_000] };
    for count in counts {
        let m = stream(count);
        assert_eq!(m.items, count, "the stream must yield every invite");
        println!(
            "stream_memory {{\"count\": {count}, \"peak_bytes\": {}, \"allocations\": {}}}",
            m.peak_bytes, m.allocations
        );
    }
}
