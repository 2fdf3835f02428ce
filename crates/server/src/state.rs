//! What every handler shares: read handles on the store, the write lock, the token.

use crate::problem::ApiError;
use presswatch_store::{AnyStore, StoreError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The server's shared state (behind an `Arc`, cloned into every handler).
pub(crate) struct AppState {
    /// Read handles, used round-robin: each serializes its own readers, so several let reads
    /// run in parallel (SQLite WAL: a reader never waits on a writer).
    readers: Vec<Arc<AnyStore>>,
    next: AtomicUsize,
    /// The store directory (writes open their own handles).
    pub(crate) dir: PathBuf,
    /// Held across a write (upload, reprocess): one at a time.
    pub(crate) write_lock: tokio::sync::Mutex<()>,
    /// The bearer token writes need; `None` when the server is read-only.
    pub(crate) token: Option<String>,
    /// Worker threads for the pipeline during writes (`None`: one per core).
    pub(crate) threads: Option<usize>,
    /// The largest upload accepted, in bytes.
    pub(crate) max_upload_bytes: usize,
}

impl AppState {
    pub(crate) fn new(
        readers: Vec<AnyStore>,
        dir: PathBuf,
        token: Option<String>,
        threads: Option<usize>,
        max_upload_bytes: usize,
    ) -> Self {
        AppState {
            readers: readers.into_iter().map(Arc::new).collect(),
            next: AtomicUsize::new(0),
            dir,
            write_lock: tokio::sync::Mutex::new(()),
            token,
            threads,
            max_upload_bytes,
        }
    }

    /// A read handle for this request.
    pub(crate) fn reader(&self) -> Arc<AnyStore> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        Arc::clone(&self.readers[i])
    }

    /// Runs `f` on a read handle on the blocking pool (store reads are synchronous).
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&AnyStore) -> Result<T, ApiError> + Send + 'static,
    {
        let store = self.reader();
        tokio::task::spawn_blocking(move || f(&store)).await.map_err(|e| ApiError::internal(&e))?
    }
}

/// Converts store errors inside [`AppState::read`] closures.
pub(crate) fn store<T>(r: Result<T, StoreError>) -> Result<T, ApiError> {
    r.map_err(ApiError::from)
}
