//! `presswatch-bench ingest`: end-to-end ingest of synthetic JSON Lines records into a fresh
//! store, through `presswatch_app::ingest` as `presswatch ingest` runs it.

use anyhow::{Context, Result};
use presswatch_app::ingest::IngestOptions;
use presswatch_store::{SqliteStore, StoreRead};
use std::path::Path;
use std::time::Instant;

/// Which synthetic records are ingested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Mix {
    /// Paragraph-rotated copies of the five seeds ([`presswatch_bench::corpus::write_seed_jsonl`]).
    Copies,
    /// The realistic mix ([`presswatch_bench::mix`]).
    Realistic,
}

fn write(path: &Path, n: usize, mix: Mix) -> Result<u64> {
    match mix {
        Mix::Copies => presswatch_bench::corpus::write_seed_jsonl(path, n),
        Mix::Realistic => presswatch_bench::mix::write_mixed_jsonl(path, n),
    }
}

pub(crate) fn run(n: usize, mix: Mix, write_only: Option<&Path>) -> Result<()> {
    if let Some(path) = write_only {
        let bytes = write(path, n, mix)?;
        println!("wrote {n} records ({:.1} MB) to {}", bytes as f64 / 1e6, path.display());
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("synthetic.jsonl");
    let bytes = write(&input, n, mix)?;
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
        "ingest of {n} synthetic JSONL records ({mix:?}, {:.1} MB) into a fresh store: {:.2} s",
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
    println!("  documents linked by provenance: {}", lookup.stats()?.linked);
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
