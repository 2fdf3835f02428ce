//! `presswatch-bench ingest`: end-to-end ingest of synthetic JSON Lines records into a fresh
//! store, through `presswatch_app::ingest` as `presswatch ingest` runs it.

use anyhow::{Context, Result};
use presswatch_app::ingest::IngestOptions;
use presswatch_store::SqliteStore;
use std::path::Path;
use std::time::Instant;

pub(crate) fn run(n: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("synthetic.jsonl");
    let bytes = presswatch_bench::corpus::write_seed_jsonl(&input, n)?;
    let store_dir = dir.path().join("store");
    let started = Instant::now();
    let mut writer = open_store(&store_dir)?;
    let lookup = open_store(&store_dir)?;
    let inputs = presswatch_app::ingest::inputs(&[input]);
    let pool = presswatch_app::thread_pool(None)?;
    let options = IngestOptions::default();
    let summary =
        presswatch_app::ingest::ingest(&mut writer, &lookup, inputs.inputs, options, &pool, &Rejections)?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "ingest of {n} synthetic JSONL records ({:.1} MB) into a fresh store: {:.2} s",
        bytes as f64 / 1e6,
        secs
    );
    println!(
        "  {:.0} docs/s, {:.1} MB/s; added {}, already present {}, rejected {}",
        n as f64 / secs,
        bytes as f64 / 1e6 / secs,
        summary.added,
        summary.already_present,
        summary.rejected
    );
    println!("peak RSS: {}", crate::peak_rss_text());
    Ok(())
}

fn open_store(dir: &Path) -> Result<SqliteStore> {
    SqliteStore::open(dir).with_context(|| format!("cannot open the store at {}", dir.display()))
}

/// No progress bar; a rejection is one stderr line, as in `presswatch ingest`.
struct Rejections;

impl presswatch_app::Progress for Rejections {
    fn advance(&self, _n: u64) {}

    fn rejected(&self, source: &str, reason: &str) {
        eprintln!("presswatch-bench: {source}: {reason}");
    }
}
