//! `presswatch ingest`: inputs -> records -> pipeline -> store, in batches.
//!
//! Three things overlap: reading and splitting inputs (this thread), the pure pipeline and the
//! provenance tokens/keys on a batch (rayon, all cores), and matching the previous batch against
//! the store's provenance index and writing it (a writer thread with its own store handle). The reading side looks records up through a second handle so records already stored
//! are skipped before any processing.

use crate::cli::{Global, IngestArgs};
use crate::progress::{self, CountingReader};
use anyhow::{anyhow, Result};
use indicatif::ProgressBar;
use presswatch_ingest::{Limits, Rejection};
use presswatch_model::Record;
use presswatch_provenance::{prepare, MatchCache, Prepared};
use presswatch_store::{Ingested, PutOutcome, SqliteStore, Store};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::time::Instant;

/// What an ingest run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub inputs: u64,
    pub added: u64,
    pub already_present: u64,
    pub rejected: u64,
    pub bytes: u64,
}

pub fn run(global: &Global, args: &IngestArgs) -> Result<ExitCode> {
    let limits =
        Limits { max_record_bytes: args.max_record_mib.saturating_mul(1 << 20), ..Limits::default() };
    let started = Instant::now();
    let summary = ingest_paths(&global.store, &args.paths, limits, args.batch_size.max(1), global.quiet)?;
    if !global.quiet {
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{} inputs: {} documents added, {} already present, {} rejected ({:.1} MB in {:.2} s)",
            summary.inputs,
            summary.added,
            summary.already_present,
            summary.rejected,
            summary.bytes as f64 / 1e6,
            secs
        );
    }
    Ok(if summary.rejected > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// Work for the writer thread, in input order.
enum Write {
    /// Processed documents and their provenance tokens/keys (computed in parallel here; the
    /// writer matches them against the store in order).
    Batch(Vec<Ingested>, Vec<Option<Prepared>>),
    Rejections(Vec<(String, String)>),
}

/// Ingests every input under `paths` into the store at `store_dir`. Rejections are printed as
/// they happen, one line each.
pub fn ingest_paths(
    store_dir: &Path,
    paths: &[PathBuf],
    limits: Limits,
    batch_size: usize,
    quiet: bool,
) -> Result<Summary> {
    let writer_store = super::open_store(store_dir)?;
    let lookup = super::open_store(store_dir)?;
    let inputs = presswatch_ingest::expand_paths(paths);
    let total: u64 = inputs
        .iter()
        .filter_map(|p| p.as_ref().ok())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = progress::bar(total, quiet);
    let (tx, rx) = sync_channel::<Write>(1);
    let summary = std::thread::scope(|scope| -> Result<Summary> {
        let writer_bar = bar.clone();
        let writer = scope.spawn(move || write_all(writer_store, rx, writer_bar));
        let mut run = Reader {
            lookup: &lookup,
            tx,
            bar: bar.clone(),
            batch_size,
            pending: Vec::new(),
            seen: HashSet::new(),
            summary: Summary::default(),
        };
        let read = run.read_inputs(inputs, &limits);
        let Reader { tx, summary, .. } = run;
        drop(tx);
        let written = writer.join().map_err(|_| anyhow!("the store writer thread panicked"))?;
        read?;
        let (added, already) = written?;
        Ok(Summary { added, already_present: summary.already_present + already, ..summary })
    })?;
    bar.finish_and_clear();
    Ok(summary)
}

/// The writer thread: applies writes in order; returns (added, already present).
fn write_all(mut store: SqliteStore, rx: Receiver<Write>, bar: ProgressBar) -> Result<(u64, u64)> {
    let (mut added, mut already) = (0u64, 0u64);
    let cache = MatchCache::default();
    for job in rx {
        match job {
            Write::Rejections(r) => store.record_rejections(&r)?,
            Write::Batch(batch, prepared) => {
                for outcome in super::links::store_batch(&mut store, &cache, batch, prepared)? {
                    match outcome {
                        PutOutcome::Added => added += 1,
                        PutOutcome::AlreadyPresent => already += 1,
                    }
                }
                bar.set_message(format!("{added} documents stored"));
            }
        }
    }
    Ok((added, already))
}

struct Reader<'a> {
    lookup: &'a SqliteStore,
    tx: SyncSender<Write>,
    bar: ProgressBar,
    batch_size: usize,
    pending: Vec<Record>,
    /// First 128 bits of the hashes seen in this run, so a record repeated inside the run is
    /// processed once (a set of full hex strings would cost 6x the memory on big inputs).
    seen: HashSet<u128>,
    summary: Summary,
}

impl Reader<'_> {
    fn read_inputs(&mut self, inputs: Vec<Result<PathBuf, Rejection>>, limits: &Limits) -> Result<()> {
        for input in inputs {
            let path = match input {
                Ok(path) => path,
                Err(rejection) => {
                    self.reject(&rejection.source, &rejection.reason.to_string())?;
                    continue;
                }
            };
            self.summary.inputs += 1;
            let name = path.display().to_string();
            let reader: Box<dyn Read> = if name == "-" {
                Box::new(std::io::stdin().lock())
            } else {
                match std::fs::File::open(&path) {
                    Ok(f) => Box::new(CountingReader::new(f, self.bar.clone())),
                    Err(e) => {
                        self.reject(&name, &format!("cannot read: {e}"))?;
                        continue;
                    }
                }
            };
            for item in presswatch_ingest::records(&name, reader, *limits) {
                match item {
                    Ok(record) => self.accept(record)?,
                    Err(rejection) => self.reject(&rejection.source, &rejection.reason.to_string())?,
                }
            }
        }
        self.flush()
    }

    fn accept(&mut self, record: Record) -> Result<()> {
        self.summary.bytes += record.bytes.len() as u64;
        let sha = record.sha256();
        let key = u128::from_str_radix(&sha[..32], 16).unwrap_or_default();
        if self.seen.contains(&key) || self.lookup.contains(&sha)? {
            self.summary.already_present += 1;
            return Ok(());
        }
        self.seen.insert(key);
        self.pending.push(record);
        if self.pending.len() >= self.batch_size {
            self.flush()?;
        }
        Ok(())
    }

    fn reject(&mut self, source: &str, reason: &str) -> Result<()> {
        self.summary.rejected += 1;
        progress::eprint_line(&self.bar, &format!("presswatch: {source}: {reason}"));
        self.send(Write::Rejections(vec![(source.to_string(), reason.to_string())]))
    }

    fn send(&self, write: Write) -> Result<()> {
        // A closed channel means the writer stopped on an error, which join() reports.
        let _ = self.tx.send(write);
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let records = std::mem::take(&mut self.pending);
        let results = presswatch_pipeline::process_batch(&records);
        let mut batch = Vec::with_capacity(records.len());
        for (record, result) in records.into_iter().zip(results) {
            match result {
                Ok(article) => batch.push(Ingested { record, article }),
                Err(rejection) => self.reject(&rejection.source, &rejection.reason.to_string())?,
            }
        }
        let prepared = batch.par_iter().map(|i| Some(prepare(&i.article.text))).collect();
        self.send(Write::Batch(batch, prepared))
    }
}
