//! `presswatch ingest`: inputs -> records -> pipeline -> store, in batches.

use crate::cli::{Global, IngestArgs};
use crate::progress::{self, CountingReader};
use anyhow::Result;
use indicatif::ProgressBar;
use presswatch_ingest::{Limits, Rejection};
use presswatch_model::Record;
use presswatch_store::{Ingested, PutOutcome, Store};
use std::collections::HashSet;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
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
    let mut store = super::open_store(&global.store)?;
    let limits =
        Limits { max_record_bytes: args.max_record_mib.saturating_mul(1 << 20), ..Limits::default() };
    let started = Instant::now();
    let summary = ingest_paths(&mut store, &args.paths, limits, args.batch_size.max(1), global.quiet)?;
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

/// Ingests every input under `paths` into `store`. Rejections are printed as they happen.
pub fn ingest_paths(
    store: &mut dyn Store,
    paths: &[PathBuf],
    limits: Limits,
    batch_size: usize,
    quiet: bool,
) -> Result<Summary> {
    let inputs = presswatch_ingest::expand_paths(paths);
    let total: u64 = inputs
        .iter()
        .filter_map(|p| p.as_ref().ok())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = progress::bar(total, quiet);
    let mut run = Run {
        store,
        bar: bar.clone(),
        batch_size,
        pending: Vec::new(),
        seen: HashSet::new(),
        summary: Summary::default(),
    };
    for input in inputs {
        match input {
            Err(rejection) => run.reject(rejection)?,
            Ok(path) => {
                run.summary.inputs += 1;
                let name = path.display().to_string();
                let reader: Box<dyn Read> = if name == "-" {
                    Box::new(std::io::stdin().lock())
                } else {
                    match std::fs::File::open(&path) {
                        Ok(f) => Box::new(CountingReader::new(f, bar.clone())),
                        Err(e) => {
                            run.reject_line(&name, &format!("cannot read: {e}"))?;
                            continue;
                        }
                    }
                };
                for item in presswatch_ingest::records(&name, reader, limits.clone()) {
                    match item {
                        Ok(record) => run.accept(record)?,
                        Err(rejection) => run.reject(rejection)?,
                    }
                }
            }
        }
    }
    run.flush()?;
    bar.finish_and_clear();
    Ok(run.summary)
}

struct Run<'a> {
    store: &'a mut dyn Store,
    bar: ProgressBar,
    batch_size: usize,
    pending: Vec<Record>,
    /// Content hashes seen in this run, so a record repeated inside one batch is stored once.
    seen: HashSet<String>,
    summary: Summary,
}

impl Run<'_> {
    fn accept(&mut self, record: Record) -> Result<()> {
        self.summary.bytes += record.bytes.len() as u64;
        let sha = record.sha256();
        if self.seen.contains(&sha) || self.store.contains(&sha)? {
            self.summary.already_present += 1;
            return Ok(());
        }
        self.seen.insert(sha);
        self.pending.push(record);
        if self.pending.len() >= self.batch_size {
            self.flush()?;
        }
        Ok(())
    }

    fn reject(&mut self, rejection: Rejection) -> Result<()> {
        self.reject_line(&rejection.source.clone(), &rejection.reason.to_string())
    }

    fn reject_line(&mut self, source: &str, reason: &str) -> Result<()> {
        self.summary.rejected += 1;
        progress::eprint_line(&self.bar, &format!("presswatch: {source}: {reason}"));
        self.store.record_rejections(&[(source.to_string(), reason.to_string())])?;
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
                Err(rejection) => self.reject(rejection)?,
            }
        }
        for outcome in self.store.put_batch(&batch)? {
            match outcome {
                PutOutcome::Added => self.summary.added += 1,
                PutOutcome::AlreadyPresent => self.summary.already_present += 1,
            }
        }
        self.bar.set_message(format!("{} documents", self.summary.added + self.summary.already_present));
        Ok(())
    }
}
