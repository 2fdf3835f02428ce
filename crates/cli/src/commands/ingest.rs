//! `presswatch ingest`: inputs -> records -> pipeline -> store, in batches (`presswatch_app::ingest`).

use crate::cli::{Global, IngestArgs};
use crate::progress;
use anyhow::Result;
use presswatch_app::ingest::{IngestOptions, Summary};
use presswatch_ingest::Limits;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub(super) fn run(global: &Global, args: &IngestArgs) -> Result<ExitCode> {
    let limits =
        Limits { max_record_bytes: args.max_record_mib.saturating_mul(1 << 20), ..Limits::default() };
    let started = Instant::now();
    let options = IngestOptions {
        limits,
        batch_size: args.batch_size.max(1),
        fifo_wait: std::time::Duration::from_secs_f64(args.fifo_wait),
    };
    let summary = ingest_paths(&global.store, &args.paths, options, global.threads, global.quiet)?;
    if !global.quiet {
        let secs = started.elapsed().as_secs_f64();
        let restored = match summary.restored {
            0 => String::new(),
            n => format!(", {n} restored (their lost or damaged raw bytes written again)"),
        };
        println!(
            "{} inputs: {} documents added, {} already present{restored}, {} rejected ({:.1} MB in {:.2} s)",
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

/// Ingests every input under `paths` into the store at `store_dir`. Rejections are printed as
/// they happen, one line each.
pub(super) fn ingest_paths(
    store_dir: &Path,
    paths: &[PathBuf],
    options: IngestOptions,
    threads: Option<usize>,
    quiet: bool,
) -> Result<Summary> {
    let mut writer = super::open_store(store_dir)?;
    let lookup = super::open_store(store_dir)?;
    let inputs = presswatch_app::ingest::inputs(paths);
    let bar = progress::bar(inputs.total_bytes, quiet);
    let pool = presswatch_app::thread_pool(threads)?;
    let progress = progress::Bar(bar.clone());
    let summary =
        presswatch_app::ingest::ingest(&mut writer, &lookup, inputs.inputs, options, &pool, &progress)?;
    bar.finish_and_clear();
    Ok(summary)
}
