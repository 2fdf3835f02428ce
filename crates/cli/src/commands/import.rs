//! `presswatch import PARQUET_DIR`: the Spark job's output into the store
//! (`presswatch_arrow::output` reads it, `presswatch_app::import` stores it).

use crate::cli::{Global, ImportArgs};
use crate::progress;
use anyhow::{Context, Result};
use presswatch_app::import::ImportOptions;
use presswatch_arrow::output::JobOutput;
use presswatch_store::Ingested;
use std::cell::Cell;
use std::process::ExitCode;
use std::time::Instant;

pub(super) fn run(global: &Global, args: &ImportArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let output = JobOutput::open(&args.dir)?;
    let mut store = super::open_store(&global.store)?;
    let pool = presswatch_app::thread_pool(global.threads)?;
    let bar = progress::documents(output.article_rows(), global.quiet);
    let reporter = progress::Bar(bar.clone());
    let bad = Cell::new(0u64);
    let report = |e: presswatch_arrow::output::BadInput| {
        bad.set(bad.get() + 1);
        progress::eprint_line(&bar, &format!("presswatch: {e}"));
    };
    let (rejected, bad_rejected) = output.rejected();
    bad_rejected.into_iter().for_each(report);
    let documents = output.articles().filter_map(|row| match row {
        Ok(row) => Some(Ingested { record: row.record, article: row.article.article }),
        Err(e) => {
            report(e);
            None
        }
    });
    let options = ImportOptions { batch_size: usize::try_from(args.batch_size).unwrap_or(usize::MAX) };
    let summary = presswatch_app::import::import(&mut store, documents, &rejected, options, &pool, &reporter)
        .with_context(|| format!("importing {}", args.dir.display()))?;
    bar.finish_and_clear();
    if !global.quiet {
        println!(
            "{}: {} documents added, {} already present{}, {} rejected records recorded, {} unreadable ({:.2} s)",
            args.dir.display(),
            summary.added,
            summary.already_present,
            match summary.restored {
                0 => String::new(),
                n => format!(", {n} restored (their lost or damaged raw bytes written again)"),
            },
            summary.rejected,
            bad.get(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if bad.get() > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
