//! The bounds that keep an untrusted spec (downloaded from anywhere) from exhausting the
//! machine. Each is checked with a located error rather than by running out of memory
//! or stack.

/// Specs larger than this are refused before parsing: 64 MiB is twenty times the
/// largest real spec we know (OpenAI's, 3 MB), and a generated client for anything
/// bigger would not be usable anyway.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Containers (mappings and lists) may nest at most this deep. The deepest real spec in
/// `generator/tests/specs/` (OpenAI's) nests 21 levels; 128 leaves a sixfold margin, and
/// keeps the recursive phases after loading (typing, lowering, emitting, formatting)
/// far from the end of their stack.
pub const MAX_DEPTH: usize = 128;

/// YAML aliases may copy at most this many nodes in total. An alias copies its anchor's
/// whole subtree, so a 25 KB file whose 5,000-item anchor is used 5,000 times expands to
/// 25 million nodes (gigabytes); real specs rarely use aliases at all, and the OpenAI
/// spec has about 61,000 nodes in all. Aliases inside anchors count at their expanded
/// size, so nesting them ("billion laughs") is caught as early.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// Overlay `update`s may copy at most this many nodes into the spec in total (the
/// update's size times the nodes its target selects): the same bound as for aliases,
/// so `target: $..*` with a large update cannot multiply a small file into gigabytes.
pub const MAX_OVERLAY_COPIED_NODES: usize = MAX_ALIAS_NODES;

/// Stack reserved for the thread that runs the pipeline (load → lower → emit → format).
/// Only the pages a run touches cost memory; the reservation is a second defence behind
/// [`MAX_DEPTH`] for recursion that grows faster than the document's nesting.
pub const PIPELINE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Stack for each thread that emits and formats part of a file (up to eight run at
/// once): nested types (`Vec<Vec<…>>` from nested `items`) recurse in syn and
/// prettyplease far faster than the document nests, and the default 2 MiB overflowed
/// at 52 levels.
pub const FORMAT_STACK_BYTES: usize = 64 * 1024 * 1024;
