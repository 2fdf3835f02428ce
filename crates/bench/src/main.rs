//! `presswatch-bench`: speed and memory figures for presswatch's stages, printed (never asserted
//! in tests). Not part of the product: it lives outside the `presswatch` binary so the product
//! does not link the benchmark's scoring crate (`presswatch-eval`).
//!
//! ```text
//! presswatch-bench extract DIR [--rounds N]
//! presswatch-bench coverage DIR [--all]
//! presswatch-bench ingest [--records N] [--mix copies|realistic] [--write-jsonl FILE]
//! presswatch-bench provenance [--docs N] [--add N] [--keep DIR] [--write-jsonl FILE]
//! presswatch-bench reprocess [--docs N] [--batch-size N]
//! presswatch-bench quotes [--rounds N]
//! presswatch-bench search [--docs N] [--bytes N] [--rounds N] [--keep DIR]
//! presswatch-bench entities [--rounds N]
//! presswatch-bench memory [--presswatch PATH] [--jsonl-mb N] [--html-mb N]
//! presswatch-bench stories [DIR] [--split dev|test|all] [--sweep] [--repeat N] | --pairs DIR
//! ```

mod coverage;
mod extract;
mod ingest;
mod memory;
mod provenance;
mod quotes;
mod reprocess;
mod search;
mod stories;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Measure presswatch's speed and memory on real pages and synthetic corpora.
#[derive(Debug, Parser)]
#[command(name = "presswatch-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    which: Bench,
}

#[derive(Debug, Subcommand)]
enum Bench {
    /// Extract+clean every .html/.html.gz page of DIR in memory on one thread; prints pages/s,
    /// MB/s and peak RSS.
    Extract {
        #[arg(default_value = "../shared/bench/article-extraction/html")]
        dir: PathBuf,
        /// Passes over the pages.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Text accounting per page of DIR (the whole pipeline): pages where the kept blocks plus
    /// the removed text fall far below the text the page renders, where the text is empty, or
    /// where a long removed entry outweighs the kept text.
    Coverage {
        dir: PathBuf,
        /// Print every page, not only the flagged ones.
        #[arg(long)]
        all: bool,
    },
    /// End-to-end ingest of N synthetic JSON Lines records into a fresh temporary store; prints
    /// docs/s, MB/s, documents linked by provenance and peak RSS.
    Ingest {
        #[arg(long, default_value_t = 100_000)]
        records: usize,
        /// `copies`: every record a paragraph-rotated copy of one of the five seeds (the
        /// worst case for provenance); `realistic`: 2-6 KB HTML and text records, about 20%
        /// copies or rewrites of earlier ones, the rest distinct.
        #[arg(long, value_enum, default_value_t = ingest::Mix::Copies)]
        mix: ingest::Mix,
        /// Only write the records to this file (to time `presswatch ingest` on them) and exit.
        #[arg(long)]
        write_jsonl: Option<PathBuf>,
    },
    /// The provenance stage on N synthetic ~3 KB documents (about 10% copies) on one thread
    /// into a fresh store, then the cost of adding `--add` more; prints docs/s and peak RSS.
    Provenance {
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        #[arg(long, default_value_t = 10_000)]
        add: usize,
        /// Keep the store here instead of a temporary directory.
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Only write the synthetic documents as JSON Lines {"id","text"} to this file (for
        /// bench/provenance/datatrove_minhash.py) and exit.
        #[arg(long)]
        write_jsonl: Option<PathBuf>,
    },
    /// `presswatch reprocess` (one rebuild) of a store of N synthetic ~3 KB documents of the
    /// provenance corpus, ingested first; prints its time, the largest the WAL grew and its peak
    /// RSS.
    Reprocess {
        #[arg(long, default_value_t = 20_000)]
        docs: usize,
        /// Documents re-derived and written together.
        #[arg(long, default_value_t = 512)]
        batch_size: usize,
    },
    /// The search index on N synthetic articles written straight into a fresh store (index
    /// kept in step per batch), then a full reindex; prints build times, index size, peak RSS,
    /// search p50/p99 over a fixed query mix and facet-count latency.
    Search {
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        /// Bytes of text per article (3000: the provenance corpus's documents, copies included).
        #[arg(long, default_value_t = 3_000)]
        bytes: usize,
        /// Passes over the query mix.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Keep the store here instead of a temporary directory.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// The quotes stage alone on the five bundled seeds' clean articles, on one thread; prints
    /// docs/s and MB/s.
    Quotes {
        /// Passes over the articles.
        #[arg(long, default_value_t = 2000)]
        rounds: usize,
    },
    /// The entities stage alone, then quotes and entities together, on the five bundled seeds'
    /// clean articles, on one thread; prints docs/s and MB/s.
    Entities {
        /// Passes over the articles.
        #[arg(long, default_value_t = 2000)]
        rounds: usize,
    },
    /// Peak RSS of the release `presswatch ingest` and `extract` (child processes) on a ~60 MB
    /// one-record JSON Lines file and a ~50 MB HTML page that is one paragraph; prints each as
    /// a multiple of the input.
    Memory {
        /// The `presswatch` binary (default: the one beside this binary).
        #[arg(long)]
        presswatch: Option<PathBuf>,
        /// Size of the JSON Lines record's text, in MB.
        #[arg(long, default_value_t = 60)]
        jsonl_mb: usize,
        /// Size of the HTML page's paragraph, in MB.
        #[arg(long, default_value_t = 50)]
        html_mb: usize,
    },
    /// Story clustering on the labelled corpus of bench/stories (DIR holds corpus.jsonl and
    /// labels.jsonl, from bench/stories/generate.py): pairwise and B-cubed P/R/F1 on one split,
    /// then the stage's speed on one thread over `--repeat` copies of the corpus.
    Stories {
        #[arg(default_value = "bench/stories/out")]
        dir: PathBuf,
        /// The split scored: dev (parameters were chosen on it), test, or all.
        #[arg(long, default_value = "test")]
        split: String,
        /// Also print the grid of parameters the defaults were chosen from.
        #[arg(long)]
        sweep: bool,
        /// Copies of the corpus (under fresh ids) the speed is measured on.
        #[arg(long, default_value_t = 10)]
        repeat: usize,
        /// Instead: the similarity of every pair of the files in this directory (each through
        /// the pipeline; e.g. tests/fixtures/seeds), as the stage scores a document against a
        /// story of one, with and without the time decay, and where the defaults place them.
        #[arg(long, value_name = "DIR")]
        pairs: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Warnings of the stages on stderr, as `presswatch` shows them by default.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .init();
    let run = match cli.which {
        Bench::Extract { dir, rounds } => extract::run(&dir, rounds.max(1)),
        Bench::Coverage { dir, all } => coverage::run(&dir, all),
        Bench::Ingest { records, mix, write_jsonl } => ingest::run(records, mix, write_jsonl.as_deref()),
        Bench::Provenance { docs, add, keep, write_jsonl } => match write_jsonl {
            Some(path) => presswatch_bench::corpus::write_jsonl(&path, docs),
            None => provenance::run(docs, add, keep.as_deref()),
        },
        Bench::Reprocess { docs, batch_size } => reprocess::run(docs, batch_size.max(1)),
        Bench::Quotes { rounds } => quotes::run(rounds.max(1)),
        Bench::Search { docs, bytes, rounds, keep } => {
            search::run(docs, bytes, keep.as_deref(), rounds.max(1))
        }
        Bench::Entities { rounds } => quotes::run_entities(rounds.max(1)),
        Bench::Memory { presswatch, jsonl_mb, html_mb } => memory::run(presswatch, jsonl_mb, html_mb),
        Bench::Stories { pairs: Some(files), .. } => stories::pairs(&files),
        Bench::Stories { dir, split, sweep, repeat, pairs: None } => {
            stories::run(&dir, &split, sweep, repeat.max(1))
        }
    };
    match run {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("presswatch-bench: error: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// Peak resident set size of this process (VmHWM), from /proc on Linux.
fn peak_rss_text() -> String {
    memory_text("VmHWM:")
}

/// A memory figure of this process's /proc status (`VmHWM:`, `VmRSS:`), in MB.
fn memory_text(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix(field)).map(|v| v.trim().to_string()))
        .map(|kb| match kb.trim_end_matches(" kB").trim().parse::<f64>() {
            Ok(k) => format!("{:.0} MB", k / 1024.0),
            Err(_) => kb,
        })
        .unwrap_or_else(|| "unknown (no /proc/self/status)".to_string())
}
