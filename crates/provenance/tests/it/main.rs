//! The integration tests of this crate, as one test binary: each file under `tests/it/` is a
//! module here, so the crate links one test executable instead of one per file.

mod common;

mod batches;
mod keys_pinned;
mod kinds;
mod tokenize_props;
