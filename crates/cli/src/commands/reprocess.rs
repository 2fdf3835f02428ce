//! `presswatch reprocess`: re-derive every article from the stored raw bytes, and the provenance
//! index from the new articles (`presswatch_app::reprocess`).

use crate::progress;
use anyhow::Result;
use presswatch_store::SqliteStore;
use std::process::ExitCode;

pub(super) fn run(store: &mut SqliteStore, threads: Option<usize>, quiet: bool) -> Result<ExitCode> {
    let pool = presswatch_app::thread_pool(threads)?;
    let documents = presswatch_app::reprocess::documents(store)?;
    let bar = progress::bar(documents.len() as u64, quiet);
    let summary =
        presswatch_app::reprocess::reprocess(store, &documents, &pool, &progress::Bar(bar.clone()))?;
    bar.finish_and_clear();
    if !quiet {
        println!("reprocessed {} documents ({} failed)", summary.updated, summary.failed);
    }
    Ok(if summary.failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
