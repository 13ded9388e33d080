//! The spec-independent part of every client (HTTP, retries, errors, pagination),
//! kept as real Rust files under `generator/runtime/` and copied verbatim.
//!
//! They are plain files rather than `quote!` templates so they keep their comments, are
//! formatted by rustfmt, and can be read and reviewed like any other code.

/// `(file name, contents)` of each runtime module, in the order they are written.
pub(crate) const FILES: &[(&str, &str)] = &[
    ("builders.rs", include_str!("../../runtime/builders.rs")),
    ("client.rs", include_str!("../../runtime/client.rs")),
    ("consts.rs", include_str!("../../runtime/consts.rs")),
    ("enums.rs", include_str!("../../runtime/enums.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    (
        "mock_support.rs",
        include_str!("../../runtime/mock_support.rs"),
    ),
    ("pagination.rs", include_str!("../../runtime/pagination.rs")),
    ("request.rs", include_str!("../../runtime/request.rs")),
    ("response.rs", include_str!("../../runtime/response.rs")),
    ("sse.rs", include_str!("../../runtime/sse.rs")),
    ("time.rs", include_str!("../../runtime/time.rs")),
    ("unions.rs", include_str!("../../runtime/unions.rs")),
];

/// Whether the crate for `api` needs runtime module `name`: `sse.rs` only where an
/// operation streams, since it brings the SSE parser dependency with it.
pub(super) fn needed(name: &str, api: &crate::ir::Api) -> bool {
    name != "sse.rs" || api.has_event_streams()
}
