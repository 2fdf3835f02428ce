//! `presswatch-bench reprocess`: `presswatch reprocess` of a store holding N documents of the
//! synthetic provenance corpus (ingested first, through `presswatch_app::ingest`), as one
//! rebuild: its time, the largest the WAL grew (the rebuild's transaction holds every changed
//! page until it commits) and the peak RSS of the reprocess alone.

use anyhow::{Context, Result};
use presswatch_app::ingest::IngestOptions;
use presswatch_app::reprocess::ReprocessOptions;
use presswatch_store::{SqliteStore, DATABASE_FILE};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub(crate) fn run(docs: usize, batch_size: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("corpus.jsonl");
    presswatch_bench::corpus::write_jsonl(&input, docs)?;
    let store_dir = dir.path().join("store");
    let pool = presswatch_app::thread_pool(None)?;

    let started = Instant::now();
    let mut writer = open_store(&store_dir)?;
    let lookup = open_store(&store_dir)?;
    let inputs = presswatch_app::ingest::inputs(&[input]);
    let options = IngestOptions::default();
    let ingested = presswatch_app::ingest::ingest(
        &mut writer,
        &lookup,
        inputs.inputs,
        options,
        &pool,
        &presswatch_app::Silent,
    )?;
    drop((writer, lookup));
    println!(
        "ingest of {docs} synthetic ~3 KB documents: {:.1} s ({} added)",
        started.elapsed().as_secs_f64(),
        ingested.added
    );

    let mut store = open_store(&store_dir)?;
    let db = store_dir.join(DATABASE_FILE);
    let wal = store_dir.join(format!("{DATABASE_FILE}-wal"));
    let db_bytes = file_len(&db);
    reset_peak_rss();
    let rss_before = crate::memory_text("VmRSS:");
    let stop = AtomicBool::new(false);
    let peak_wal = AtomicU64::new(file_len(&wal));
    let started = Instant::now();
    let summary = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                peak_wal.fetch_max(file_len(&wal), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let run = presswatch_app::reprocess::documents(&store).and_then(|documents| {
            let options = ReprocessOptions { batch_size };
            presswatch_app::reprocess::reprocess(
                &mut store,
                &documents,
                &pool,
                options,
                &presswatch_app::Silent,
            )
        });
        stop.store(true, Ordering::Relaxed);
        run
    })?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "reprocess of {} documents (batches of {batch_size}, one rebuild): {secs:.1} s = {:.0} docs/s",
        summary.updated,
        summary.updated as f64 / secs.max(1e-9)
    );
    println!(
        "  database {:.0} MB before; WAL at most {:.0} MB during the rebuild, {:.0} MB after",
        db_bytes as f64 / 1e6,
        peak_wal.load(Ordering::Relaxed) as f64 / 1e6,
        file_len(&wal) as f64 / 1e6
    );
    println!(
        "  peak RSS during the reprocess: {} (the process held {rss_before} when it began, after the ingest)",
        crate::peak_rss_text()
    );
    Ok(())
}

fn open_store(dir: &Path) -> Result<SqliteStore> {
    SqliteStore::open(dir).with_context(|| format!("cannot open the store at {}", dir.display()))
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Resets the peak RSS the kernel reports (Linux: writing 5 to clear_refs), so the figure is
/// the reprocess's, not the ingest's before it. Elsewhere the figure includes the ingest.
fn reset_peak_rss() {
    if std::fs::write("/proc/self/clear_refs", "5").is_err() {
        println!("  (cannot reset the peak RSS: the figure includes the ingest)");
    }
}
