//! Import: documents whose per-document stages ran elsewhere (the Spark job's output) into a
//! store, as `presswatch ingest` of the same inputs would leave it.
//!
//! Each document arrives with its raw record bytes and its article (the per-document
//! pipeline's result, reused: decode, extract, clean and the document stages are not run
//! again). The raw bytes are stored as ingest stores them (content-addressed), and the corpus
//! stages (provenance, quote groups, canonical entities, stories) run through the store's
//! normal incremental path ([`linking::store_batch`]) in the order given, which must be first
//! seen: the corpus fields the producer computed are not trusted, they are recomputed against
//! everything the store already holds, so importing into a non-empty store links across both.

use crate::ingest::Written;
use crate::linking::{self, LinkCache};
use crate::{AppError, Progress};
use presswatch_model::ArticleRecord;
use presswatch_store::{Ingested, Store, StoreError};
use rayon::ThreadPool;
use std::collections::HashSet;

/// How to import.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Documents linked and stored together (one transaction each), as ingest's batches; at
    /// least 1.
    pub batch_size: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { batch_size: crate::ingest::IngestOptions::default().batch_size }
    }
}

/// What an import run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// New documents stored.
    pub added: u64,
    /// Documents stored already (earlier, or earlier in this run): left as they are.
    pub already_present: u64,
    /// Documents stored already whose raw bytes were missing or damaged, written again.
    pub restored: u64,
    /// Rejected records recorded (the producer's rejections).
    pub rejected: u64,
}

/// Imports `documents` (in first-seen order) and the producer's `rejected` records
/// (`(source, reason)`) into `store`. A document already stored is skipped (its raw bytes are
/// restored if the store lost them), so importing the same output twice changes nothing.
pub fn import<S: Store>(
    store: &mut S,
    documents: impl IntoIterator<Item = Ingested>,
    rejected: &[(String, String)],
    options: ImportOptions,
    pool: &ThreadPool,
    progress: &dyn Progress,
) -> Result<Summary, AppError> {
    let mut summary = Written::default();
    let cache = LinkCache::default();
    let mut seen: HashSet<presswatch_model::ContentHash> = HashSet::new();
    let mut pending: Vec<Ingested> = Vec::with_capacity(options.batch_size.max(1));
    for mut doc in documents {
        let hash = doc.record.hash();
        progress.advance(1);
        if !seen.insert(hash) {
            summary.already_present += 1;
            continue;
        }
        if store.contains(&hash)? {
            match store.raw(&hash) {
                Ok(_) => summary.already_present += 1,
                Err(StoreError::CorruptBlob { .. } | StoreError::MissingBlob { .. }) => {
                    summary.count(&store.restore_blobs(&[doc.record])?)
                }
                Err(e) => return Err(e.into()),
            }
            continue;
        }
        clear_corpus_fields(&mut doc.article);
        pending.push(doc);
        if pending.len() >= options.batch_size.max(1) {
            store_pending(store, &cache, &mut pending, pool, &mut summary, progress)?;
        }
    }
    store_pending(store, &cache, &mut pending, pool, &mut summary, progress)?;
    if !rejected.is_empty() {
        store.record_rejections(rejected)?;
    }
    Ok(Summary {
        added: summary.added,
        already_present: summary.already_present,
        restored: summary.restored,
        rejected: rejected.len() as u64,
    })
}

/// What the corpus stages decide, and the store keeps beside the article or computes on
/// reading, is left out of the stored article: the quote groups are found again here.
fn clear_corpus_fields(article: &mut ArticleRecord) {
    for quote in &mut article.quotes {
        quote.group = None;
        quote.altered_from = None;
    }
}

fn store_pending<S: Store>(
    store: &mut S,
    cache: &LinkCache,
    pending: &mut Vec<Ingested>,
    pool: &ThreadPool,
    summary: &mut Written,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    if pending.is_empty() {
        return Ok(());
    }
    let batch = std::mem::take(pending);
    let articles: Vec<&ArticleRecord> = batch.iter().map(|i| &i.article).collect();
    let prepared = linking::prepare_batch(pool, &articles);
    summary.count(&linking::store_batch(store, cache, batch, prepared)?);
    progress.stored(summary.added);
    Ok(())
}
