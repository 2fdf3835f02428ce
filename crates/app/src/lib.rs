//! The service layer of presswatch: what the CLI and the server do, written once.
//!
//! - [`ingest`]: inputs -> records -> pipeline -> provenance -> store, in batches, with reading,
//!   processing and writing overlapped.
//! - [`import`]: documents processed elsewhere (the Spark job's output: raw bytes and
//!   per-document articles) into the store, the corpus stages run as on ingest.
//! - [`reprocess`]: re-derive every article from its stored raw bytes and rebuild the
//!   provenance index in first-seen order.
//! - [`linking`]: the corpus stages (provenance, quote groups) between the pipeline and the
//!   store, and links read back as the `derived_from` / `dup_cluster` of articles.
//! - [`quote_groups`]: quote groups read back: each quote's group, first appearance, the
//!   appearances that altered it (with the word diff), and `who-said`.
//! - [`check`]: verify a whole store, and say what repairs each damaged part.
//! - [`export`]: the export's CSV columns and cells.
//! - [`search`]: full-text search with facets and snippets, and rebuilding the search index.
//! - [`read`]: the read models of `show`, `copies`, `dups`, `stats` and `export`, as typed views.
//!
//! Not here: argument parsing, progress bars, output formats (the binaries); storage (the
//! `presswatch-store` traits, which this crate codes against, never a concrete backend).
//! Parallel work runs in a caller-sized rayon pool ([`thread_pool`]), never the global one.

pub mod check;
pub mod entities;
pub mod export;
pub mod import;
pub mod ingest;
pub mod linking;
pub mod quote_groups;
pub mod read;
pub mod reprocess;
pub mod search;
pub mod stories;

#[cfg(test)]
mod tests;

pub use presswatch_store::StoreError;

/// Everything that can go wrong in a service call.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The thread writing to the store panicked (a bug): the batches it had not committed are
    /// not stored.
    #[error("the store writer thread panicked")]
    WriterPanicked,
    /// The worker pool could not be started.
    #[error("cannot start {threads} worker threads: {source}")]
    ThreadPool {
        /// How many were asked for.
        threads: usize,
        /// Why not.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// A stored article's id is not 16 hex digits (a damaged row).
    #[error("article {0:?} has no valid id")]
    InvalidId(String),
}

/// What a long operation tells its caller as it goes, so a binary can draw a progress bar (or
/// a server log) without this crate knowing how. Called from several threads.
pub trait Progress: Sync {
    /// `n` more units of work done (bytes read on ingest, documents on reprocess).
    fn advance(&self, n: u64);
    /// How many documents are stored so far (ingest).
    fn stored(&self, _documents: u64) {}
    /// An input or document was rejected: the batch goes on.
    fn rejected(&self, source: &str, reason: &str);
}

/// A [`Progress`] that reports nothing (tests, benchmarks).
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {
    fn advance(&self, _n: u64) {}
    fn rejected(&self, _source: &str, _reason: &str) {}
}

/// The worker pool the pipeline and the provenance preparation run in: `threads` workers, or
/// one per available core when `None` (the default of the global pool, kept as the default).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, AppError> {
    let threads = threads.filter(|&n| n > 0).unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| AppError::ThreadPool { threads, source })
}
