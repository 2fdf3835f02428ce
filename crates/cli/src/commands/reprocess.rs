//! `presswatch reprocess`: re-derive every article from the stored raw bytes.

use crate::progress;
use anyhow::Result;
use presswatch_model::Record;
use presswatch_store::{Store, StoredDocument};
use std::process::ExitCode;

const BATCH: usize = 512;

pub fn run(store: &mut dyn Store, quiet: bool) -> Result<ExitCode> {
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
        store.update_articles(&articles)?;
        updated += articles.len() as u64;
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    if !quiet {
        println!("reprocessed {updated} documents ({failed} failed)");
    }
    Ok(if failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
