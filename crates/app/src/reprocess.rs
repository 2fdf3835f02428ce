//! Reprocess: re-derive every article from the stored raw bytes, and the provenance index from
//! the new articles.
//!
//! Atomic: the whole run is one rebuild of the store ([`presswatch_store::StoreWrite::begin_rebuild`]),
//! so an error or a crash (even `kill -9`) at any point leaves the derived data as it was, and
//! other handles read the old data until the new is complete. Deterministic: documents are
//! replayed in the order they were first indexed ([`documents`]) and the provenance stage does
//! not depend on where batches are cut, so a reprocess gives what a fresh ingest of the same
//! inputs in the same order gives, byte for byte.

use crate::linking::LinkCache;
use crate::{linking, AppError, Progress};
use presswatch_model::{ArticleRecord, Record};
use presswatch_store::{Store, StoreRead, StoredDocument};
use rayon::ThreadPool;

/// How to reprocess.
#[derive(Debug, Clone, Copy)]
pub struct ReprocessOptions {
    /// Documents re-derived and written into the rebuild together, so the
    /// memory a run holds is bounded by a batch; at least 1. Has no effect on the result.
    pub batch_size: usize,
}

impl Default for ReprocessOptions {
    fn default() -> Self {
        ReprocessOptions { batch_size: 512 }
    }
}

/// What a reprocess run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Documents whose article was re-derived and re-indexed.
    pub updated: u64,
    /// Documents that could not be re-derived (raw bytes unreadable or damaged, or rejected by
    /// the pipeline this time): each keeps its previous article, which is re-indexed as it is, so
    /// its links are rebuilt too. Each is reported through `Progress::rejected`.
    pub failed: u64,
}

/// The documents a run will visit, in the order they were first matched (so a caller can size
/// its progress): by first-seen time, then (documents of one batch share it) in the order they
/// were stored ([`StoredDocument::seq`], unique, so the order is total), which is the order
/// they came in. Replaying in any other order would match some documents
/// against others than on ingest, and give other links and stories. The order is read from the
/// documents alone, never from the derived indexes, so a damaged index does not change it.
pub fn documents<S: StoreRead>(store: &S) -> Result<Vec<StoredDocument>, AppError> {
    let mut documents: Vec<StoredDocument> = Vec::new();
    store.for_each_document(&mut |d| {
        documents.push(d);
        Ok(())
    })?;
    documents.sort_by(|a, b| a.first_seen.cmp(&b.first_seen).then(a.seq.cmp(&b.seq)));
    Ok(documents)
}

/// Re-derives every article of `documents` and rebuilds the provenance index, in the order
/// given (that of [`documents`], so each document is matched against the ones seen before it,
/// as on ingest), in one rebuild of the store: committed when every document is done, rolled
/// back on any error. `progress` advances by a batch's size once the batch is written into the
/// rebuild.
///
/// A document that cannot be re-derived is reported and keeps its previous article, which takes
/// its place in the rebuilt index: one damaged blob never costs the derived data of the rest.
pub fn reprocess<S: Store>(
    store: &mut S,
    documents: &[StoredDocument],
    pool: &ThreadPool,
    options: ReprocessOptions,
    progress: &dyn Progress,
) -> Result<Summary, AppError> {
    store.begin_rebuild()?;
    match rebuild(store, documents, pool, options, progress) {
        Ok(summary) => {
            store.commit_rebuild()?;
            Ok(summary)
        }
        Err(e) => {
            if let Err(abort) = store.abort_rebuild() {
                tracing::warn!(%abort, "rolling the failed reprocess back failed too");
            }
            Err(e)
        }
    }
}

/// The body of [`reprocess`], inside the rebuild.
fn rebuild<S: Store>(
    store: &mut S,
    documents: &[StoredDocument],
    pool: &ThreadPool,
    options: ReprocessOptions,
    progress: &dyn Progress,
) -> Result<Summary, AppError> {
    store.clear_provenance()?;
    let cache = LinkCache::default();
    let mut summary = Summary::default();
    for chunk in documents.chunks(options.batch_size.max(1)) {
        // Per document, in first-seen order: its record to re-derive, or (bytes unreadable) its
        // previous article, kept.
        let mut records = Vec::with_capacity(chunk.len());
        let mut record_docs = Vec::with_capacity(chunk.len());
        let mut placed: Vec<Result<usize, Option<ArticleRecord>>> = Vec::with_capacity(chunk.len());
        for d in chunk {
            match store.raw(&d.sha256) {
                Ok(bytes) => {
                    placed.push(Ok(records.len()));
                    records.push(Record::new(d.source.clone(), d.format, bytes));
                    record_docs.push(d);
                }
                Err(e) => {
                    summary.failed += 1;
                    let reason = format!("raw bytes unreadable: {e}");
                    placed.push(Err(keep_previous(store, d, &reason, progress)?));
                }
            }
        }
        let mut derived = Vec::with_capacity(records.len());
        for (result, d) in presswatch_pipeline::process_batch(pool, &records).into_iter().zip(record_docs) {
            derived.push(match result {
                Ok(article) => Some((article, true)),
                Err(rejection) => {
                    summary.failed += 1;
                    let reason = format!("rejected on reprocess: {}", rejection.reason);
                    keep_previous(store, d, &reason, progress)?.map(|kept| (kept, false))
                }
            });
        }
        // Each article and whether it was re-derived (stored) or kept (indexed only).
        let mut ordered: Vec<(ArticleRecord, bool)> = Vec::with_capacity(chunk.len());
        for slot in placed {
            let next = match slot {
                Ok(i) => derived.get_mut(i).and_then(Option::take),
                Err(kept) => kept.map(|a| (a, false)),
            };
            ordered.extend(next);
        }
        let refs: Vec<&ArticleRecord> = ordered.iter().map(|(a, _)| a).collect();
        let prepared = linking::prepare_batch(pool, &refs);
        let linked = linking::link_articles(&*store, &cache, &refs, prepared)?;
        let updates: Vec<ArticleRecord> =
            ordered.into_iter().filter_map(|(a, fresh)| fresh.then_some(a)).collect();
        store.update_articles(&updates)?;
        store.put_batch_corpus(&[], &linked.entries, &linked.published, &linked.entities, &linked.stories)?;
        summary.updated += updates.len() as u64;
        progress.advance(chunk.len() as u64);
    }
    Ok(summary)
}

/// Reports a document that cannot be re-derived and gives its previous article, if it has one.
fn keep_previous<S: Store>(
    store: &S,
    doc: &StoredDocument,
    reason: &str,
    progress: &dyn Progress,
) -> Result<Option<ArticleRecord>, AppError> {
    progress.rejected(&doc.source, &format!("{reason}; its previous article is kept"));
    Ok(store.article(&doc.id.to_string())?)
}
