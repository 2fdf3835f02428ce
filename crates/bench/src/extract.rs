//! `presswatch-bench extract DIR`: extract, clean, language and the whole per-page pipeline on
//! the benchmark's pages, in memory, on one thread.

use anyhow::{bail, Context, Result};
use presswatch_model::{Format, Metadata, Record};
use std::path::Path;
use std::time::Instant;

pub(crate) fn run(dir: &Path, rounds: usize) -> Result<()> {
    let pages = load_pages(dir)?;
    if pages.is_empty() {
        bail!("no .html or .html.gz pages in {}", dir.display());
    }
    let bytes: usize = pages.iter().map(|p| p.len()).sum();
    let hints = Metadata::default();
    let extract_clean =
        |page: &String| presswatch_clean::clean(presswatch_extract::extract_html(page, &hints));
    // One untimed warm-up pass, then `rounds` timed passes on this thread only.
    let mut blocks = 0usize;
    for page in &pages {
        blocks += extract_clean(page).blocks.len();
    }
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
    println!("peak RSS: {}", crate::peak_rss_text());
    std::hint::black_box(blocks);
    Ok(())
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
