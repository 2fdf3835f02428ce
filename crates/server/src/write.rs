//! The two writes: ingest an upload, reprocess the store. Each opens its own write handles
//! (the read handles stay open and see the result when it commits) and calls the app service,
//! as `presswatch ingest` and `presswatch reprocess` do.

use crate::api::{ingest_summary, rejection, reprocess_summary};
use crate::dto::{IngestSummary, RejectionDto, ReprocessSummary};
use crate::problem::ApiError;
use crate::state::AppState;
use presswatch_app::ingest::{IngestOptions, NamedReader};
use presswatch_store::AnyStore;
use std::sync::Mutex;

/// Collects rejections for the response.
#[derive(Default)]
struct Collect(Mutex<Vec<RejectionDto>>);

impl presswatch_app::Progress for Collect {
    fn advance(&self, _n: u64) {}
    fn rejected(&self, source: &str, reason: &str) {
        if let Ok(mut v) = self.0.lock() {
            v.push(rejection(source, reason));
        }
    }
}

/// Ingests one upload stored under `name`.
pub(crate) fn ingest(state: &AppState, name: String, bytes: bytes::Bytes) -> Result<IngestSummary, ApiError> {
    let mut writer = AnyStore::open(&state.dir)?;
    let lookup = AnyStore::open(&state.dir)?;
    let pool = presswatch_app::thread_pool(state.threads)?;
    let progress = Collect::default();
    let input = NamedReader { name, reader: Box::new(std::io::Cursor::new(bytes)) };
    let summary = presswatch_app::ingest::ingest_readers(
        &mut writer,
        &lookup,
        vec![input],
        IngestOptions::default(),
        &pool,
        &progress,
    )?;
    let rejections = progress.0.into_inner().unwrap_or_default();
    Ok(ingest_summary(summary, rejections))
}

/// Re-derives every article (one all-or-nothing rebuild).
pub(crate) fn reprocess(state: &AppState) -> Result<ReprocessSummary, ApiError> {
    let mut store = AnyStore::open(&state.dir)?;
    let documents = presswatch_app::reprocess::documents(&store)?;
    let pool = presswatch_app::thread_pool(state.threads)?;
    let summary = presswatch_app::reprocess::reprocess(
        &mut store,
        &documents,
        &pool,
        presswatch_app::reprocess::ReprocessOptions::default(),
        &presswatch_app::Silent,
    )?;
    Ok(reprocess_summary(summary))
}
