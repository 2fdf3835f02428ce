//! Reprocess: re-derive every article from the stored raw bytes, and the provenance index from
//! the new articles.

use crate::{linking, AppError, Progress};
use presswatch_model::{ArticleRecord, Record};
use presswatch_provenance::MatchCache;
use presswatch_store::{Store, StoredDocument};
use rayon::ThreadPool;

/// Documents re-derived and written together.
const BATCH: usize = 512;

/// What a reprocess run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Documents whose article was re-derived and re-indexed.
    pub updated: u64,
    /// Documents the pipeline rejected this time (their old article stays).
    pub failed: u64,
}

/// The documents a run will visit, in first-seen order (so a caller can size its progress).
pub fn documents<S: Store>(store: &S) -> Result<Vec<StoredDocument>, AppError> {
    let mut documents: Vec<StoredDocument> = Vec::new();
    store.for_each_document(&mut |d| {
        documents.push(d);
        Ok(())
    })?;
    Ok(documents)
}

/// Re-derives every article of `documents` and rebuilds the provenance index, in first-seen
/// order (so each document is matched against the ones seen before it, as on ingest).
/// `progress` advances by one per document.
pub fn reprocess<S: Store>(
    store: &mut S,
    documents: &[StoredDocument],
    pool: &ThreadPool,
    progress: &dyn Progress,
) -> Result<Summary, AppError> {
    store.clear_provenance()?;
    let cache = MatchCache::default();
    let mut summary = Summary::default();
    for chunk in documents.chunks(BATCH) {
        let mut records = Vec::with_capacity(chunk.len());
        for d in chunk {
            let bytes = store.raw(&d.sha256)?;
            records.push(Record::new(d.source.clone(), d.format, bytes));
        }
        let mut articles = Vec::with_capacity(records.len());
        for result in presswatch_pipeline::process_batch(pool, &records) {
            match result {
                Ok(a) => articles.push(a),
                Err(rejection) => {
                    summary.failed += 1;
                    progress.rejected(&rejection.source, &rejection.reason.to_string());
                }
            }
        }
        let refs: Vec<&ArticleRecord> = articles.iter().collect();
        let prepared = linking::prepare_batch(pool, &refs);
        let (linked, _) = linking::link_articles(&*store, &cache, &refs, prepared)?;
        store.update_articles(&articles)?;
        store.put_batch_indexed(&[], &linked.entries, &linked.published)?;
        summary.updated += articles.len() as u64;
        progress.advance(chunk.len() as u64);
    }
    Ok(summary)
}
