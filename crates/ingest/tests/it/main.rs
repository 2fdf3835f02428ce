//! The integration tests of this crate, as one test binary: each file under `tests/it/` is a
//! module here, so the crate links one test executable instead of one per file.

mod faults_paths;
mod faults_props;
mod faults_utf16;
mod faults_warc;
mod ingest;
mod never_panics;
