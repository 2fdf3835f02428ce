//! `presswatch reprocess`: re-derive every article from the stored raw bytes, and the provenance
//! index from the new articles, in one rebuild of the store (`presswatch_app::reprocess`).
//!
//! For tests only: `PRESSWATCH_TEST_KILL_REPROCESS=batch:N` aborts the process (as `kill -9`
//! would, no cleanup) right after the N-th batch is written into the rebuild, and `=committed`
//! right after the rebuild commits, so the CLI tests can show what a kill at those moments
//! leaves. Not an interface: it may change or go at any time.

use crate::cli::{Global, ReprocessArgs};
use crate::progress;
use anyhow::Result;
use presswatch_app::reprocess::ReprocessOptions;
use presswatch_app::Progress;
use presswatch_store::AnyStore;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

/// The test-only kill switch (see the module documentation).
const KILL_ENV: &str = "PRESSWATCH_TEST_KILL_REPROCESS";

/// Where the test-only kill switch stops the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KillAt {
    /// After this many batches were written into the rebuild (not committed).
    Batch(u64),
    /// After the rebuild committed, before anything is printed.
    Committed,
}

fn kill_at() -> Option<KillAt> {
    let value = std::env::var(KILL_ENV).ok()?;
    match value.split_once(':') {
        Some(("batch", n)) => n.parse().ok().map(KillAt::Batch),
        _ if value == "committed" => Some(KillAt::Committed),
        _ => None,
    }
}

/// The progress bar, and the kill switch counting batches (the app advances once per batch).
struct Reporter {
    bar: progress::Bar,
    kill: Option<KillAt>,
    batches: AtomicU64,
}

impl Progress for Reporter {
    fn advance(&self, n: u64) {
        self.bar.advance(n);
        let batches = self.batches.fetch_add(1, Ordering::SeqCst) + 1;
        if self.kill == Some(KillAt::Batch(batches)) {
            std::process::abort();
        }
    }

    fn rejected(&self, source: &str, reason: &str) {
        self.bar.rejected(source, reason);
    }
}

pub(super) fn run(store: &mut AnyStore, global: &Global, args: &ReprocessArgs) -> Result<ExitCode> {
    let pool = presswatch_app::thread_pool(global.threads)?;
    let documents = presswatch_app::reprocess::documents(store)?;
    let bar = progress::bar(documents.len() as u64, global.quiet);
    let reporter = Reporter { bar: progress::Bar(bar.clone()), kill: kill_at(), batches: AtomicU64::new(0) };
    let options = ReprocessOptions { batch_size: usize::try_from(args.batch_size).unwrap_or(usize::MAX) };
    let summary = presswatch_app::reprocess::reprocess(store, &documents, &pool, options, &reporter)?;
    if reporter.kill == Some(KillAt::Committed) {
        std::process::abort();
    }
    bar.finish_and_clear();
    if !global.quiet {
        println!("reprocessed {} documents ({} failed)", summary.updated, summary.failed);
    }
    Ok(if summary.failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
