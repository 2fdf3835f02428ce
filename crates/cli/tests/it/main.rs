//! The integration tests of the `presswatch` binary, as one test binary: each file under
//! `tests/it/` is a module here, so the crate links one test executable instead of one per file.
//! The tests run the real binary (`CARGO_BIN_EXE_presswatch`) through `common`.

mod common;

mod commands;
mod entities;
mod exits;
mod faults;
mod import;
mod postgres;
mod provenance;
mod quote_groups;
mod quotes;
mod reprocess;
mod search;
mod seeds;
mod serve;
mod stories;
