//! `presswatch bench`: speed and memory figures, printed (never asserted in tests).

use crate::cli::{BenchArgs, BenchCommand};
use anyhow::{bail, Context, Result};
use presswatch_ingest::Limits;
use presswatch_model::{Format, Metadata, Record};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// The bundled seeds: real scraped articles, used to synthesize ingest workloads.
pub const SEEDS: [&str; 5] = [
    include_str!("../../../../tests/fixtures/seeds/000_f3a028baaf0c539f.txt"),
    include_str!("../../../../tests/fixtures/seeds/001_981f92c3f911055d.txt"),
    include_str!("../../../../tests/fixtures/seeds/002_0bfac0a650c6561f.txt"),
    include_str!("../../../../tests/fixtures/seeds/003_c2431004963922ef.txt"),
    include_str!("../../../../tests/fixtures/seeds/004_2bbe479d0874b1ba.txt"),
];

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    match &args.which {
        BenchCommand::Extract { dir, rounds } => bench_extract(dir, (*rounds).max(1)),
        BenchCommand::Ingest { records } => bench_ingest(*records),
        BenchCommand::Provenance { docs, add, keep, write_jsonl } => match write_jsonl {
            Some(path) => {
                super::bench_provenance::write_jsonl(path, *docs)?;
                Ok(ExitCode::SUCCESS)
            }
            None => super::bench_provenance::run(*docs, *add, keep.as_deref()),
        },
    }
}

fn bench_extract(dir: &Path, rounds: usize) -> Result<ExitCode> {
    let pages = load_pages(dir)?;
    if pages.is_empty() {
        bail!("no .html or .html.gz pages in {}", dir.display());
    }
    let bytes: usize = pages.iter().map(|p| p.len()).sum();
    let hints = Metadata::default();
    // One untimed warm-up pass, then `rounds` timed passes on this thread only.
    let mut blocks = 0usize;
    for page in &pages {
        blocks += presswatch_clean::clean(presswatch_extract::extract_html(page, &hints)).blocks.len();
    }
    let extract_clean =
        |page: &String| presswatch_clean::clean(presswatch_extract::extract_html(page, &hints));
    let secs = timed_rounds(rounds, &pages, |page| blocks += extract_clean(page).blocks.len());
    let n = (pages.len() * rounds) as f64;
    println!(
        "extract+clean (1 thread, {} pages x {rounds} rounds, {:.1} MB):",
        pages.len(),
        bytes as f64 / 1e6
    );
    println!("  {:.0} pages/s, {:.1} MB/s", n / secs, (bytes * rounds) as f64 / 1e6 / secs);

    // The language stage after them (trafilatura's extraction, which the issue compares with,
    // does not identify languages).
    let secs = timed_rounds(rounds, &pages, |page| {
        let mut article = extract_clean(page);
        presswatch_lang::detect_language(&mut article);
        blocks += article.blocks.len();
    });
    println!("extract+clean+language (1 thread): {:.0} pages/s", n / secs);

    // The whole per-document pipeline as ingest runs it: hashing, charset decoding, extract,
    // clean, language.
    let records: Vec<Record> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| Record::new(format!("page{i}"), Format::Html, p.as_bytes().to_vec()))
        .collect();
    let secs = timed_rounds(rounds, &records, |r| {
        blocks += presswatch_pipeline::process(r).map(|a| a.blocks.len()).unwrap_or(0)
    });
    println!("full pipeline incl. sha256 + decoding (1 thread): {:.0} pages/s", n / secs);
    println!("peak RSS: {}", peak_rss_text());
    std::hint::black_box(blocks);
    Ok(ExitCode::SUCCESS)
}

/// Seconds taken by `rounds` passes of `f` over `items`, on this thread.
fn timed_rounds<T>(rounds: usize, items: &[T], mut f: impl FnMut(&T)) -> f64 {
    let started = Instant::now();
    for _ in 0..rounds {
        items.iter().for_each(&mut f);
    }
    started.elapsed().as_secs_f64()
}

fn load_pages(dir: &Path) -> Result<Vec<String>> {
    let pages = presswatch_eval::load_pages(dir).with_context(|| {
        format!("cannot read pages from {} (pass the benchmark's html/ directory)", dir.display())
    })?;
    Ok(pages.into_iter().map(|p| p.html).collect())
}

fn bench_ingest(n: usize) -> Result<ExitCode> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("synthetic.jsonl");
    let bytes = write_synthetic_jsonl(&input, n)?;
    let store_dir = dir.path().join("store");
    let started = Instant::now();
    let summary = super::ingest::ingest_paths(
        &store_dir,
        &[input],
        presswatch_app::ingest::IngestOptions { limits: Limits::default(), batch_size: 512 },
        None,
        true,
    )?;
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
    println!("peak RSS: {}", peak_rss_text());
    Ok(ExitCode::SUCCESS)
}

/// Writes `n` distinct news-like JSON records made from the seeds' paragraphs (rotated and
/// numbered so no two are identical). Streams to disk so the generator adds no memory.
pub fn write_synthetic_jsonl(path: &Path, n: usize) -> Result<u64> {
    let paragraphs: Vec<Vec<&str>> = SEEDS
        .iter()
        .map(|s| s.split("\n").map(str::trim).filter(|p| p.len() > 40 && !p.starts_with('<')).collect())
        .collect();
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    let mut written = 0u64;
    for i in 0..n {
        let seed = &paragraphs[i % paragraphs.len()];
        let rot = (i / paragraphs.len()) % seed.len().max(1);
        let mut body = format!("Report number {i} from the desk.");
        for k in 0..seed.len() {
            body.push_str("\n\n");
            body.push_str(seed[(k + rot) % seed.len()]);
        }
        let record = serde_json::json!({
            "url": format!("https://news.example.org/{}/{i}", 2021 + i % 2),
            "title": format!("Synthetic report {i} on the crisis"),
            "date_publish": format!("2022-01-{:02}", 1 + i % 28),
            "authors": ["Jane Doe"],
            "source_domain": "news.example.org",
            "maintext": body,
        });
        let line = serde_json::to_string(&record)?;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        written += line.len() as u64 + 1;
    }
    out.flush()?;
    Ok(written)
}

/// Peak resident set size of this process (VmHWM), from /proc on Linux.
pub fn peak_rss_text() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l[6..].trim().to_string()))
        .map(|kb| match kb.trim_end_matches(" kB").trim().parse::<f64>() {
            Ok(k) => format!("{:.0} MB", k / 1024.0),
            Err(_) => kb,
        })
        .unwrap_or_else(|| "unknown (no /proc/self/status)".to_string())
}
