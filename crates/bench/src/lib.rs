//! The synthetic corpora of presswatch's benches, as a library so that tests elsewhere (the
//! CLI's reprocess tests) run on the same documents the benches measure. The benches themselves
//! are the `presswatch-bench` binary.

pub mod corpus;
pub mod mix;
