//! `presswatch reprocess`: re-derive every article from the stored raw bytes, and the provenance
//! index from the new articles.

use crate::progress;
use anyhow::Result;
use presswatch_model::Record;
use presswatch_provenance::{doc_key, link_batch, prepare, Cached, MatchCache};
use presswatch_store::{SqliteStore, Store, StoredDocument};
use rayon::prelude::*;
use std::process::ExitCode;

const BATCH: usize = 512;

/// Re-derives every article and rebuilds the provenance index, in first-seen order (so each
/// document is matched against the ones seen before it, as on ingest).
pub fn run(store: &mut SqliteStore, quiet: bool) -> Result<ExitCode> {
    store.clear_provenance()?;
    let cache = MatchCache::default();
    let mut documents: Vec<StoredDocument> = Vec::new();
    store.for_each_document(&mut |d| {
        documents.push(d);
        Ok(())
    })?;
    let bar = progress::bar(documents.len() as u64, quiet);
    let (mut updated, mut failed) = (0u64, 0u64);
    for chunk in documents.chunks(BATCH) {
        let mut records = Vec::with_capacity(chunk.len());
        for d in chunk {
            let bytes = store.raw(&d.sha256)?;
            records.push(Record { source: d.source.clone(), format: d.format, bytes });
        }
        let mut articles = Vec::with_capacity(records.len());
        for result in presswatch_pipeline::process_batch(&records) {
            match result {
                Ok(a) => articles.push(a),
                Err(rejection) => {
                    failed += 1;
                    progress::eprint_line(&bar, &format!("presswatch: {rejection}"));
                }
            }
        }
        let prepared = articles.par_iter().map(|a| Some(prepare(&a.text))).collect();
        let reader = &*store;
        let cached = Cached { index: reader, cache: &cache };
        let indexed = reader.in_read_transaction(|| link_batch(&cached, &mut articles, prepared))?;
        let published: Vec<Option<String>> = indexed
            .iter()
            .map(|ix| {
                articles.iter().find(|a| doc_key(&a.id) == Some(ix.doc)).and_then(|a| a.published.clone())
            })
            .collect();
        store.update_articles(&articles)?;
        store.put_batch_indexed(&[], &indexed, &published)?;
        updated += articles.len() as u64;
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    if !quiet {
        println!("reprocessed {updated} documents ({failed} failed)");
    }
    Ok(if failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
