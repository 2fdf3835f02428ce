//! `presswatch-bench quotes`: the quotes stage alone on the bundled seeds' clean articles, on one
//! thread.

use anyhow::{Context, Result};
use presswatch_model::{DocumentStage, Format, Record};
use std::time::Instant;

pub(crate) fn run(rounds: usize) -> Result<()> {
    // The seeds through the pipeline once (untimed): the stage's input is a clean article.
    let mut articles = Vec::new();
    for (i, seed) in presswatch_bench::corpus::SEEDS.iter().enumerate() {
        let record = Record::new(format!("seed{i}.txt"), Format::Text, seed.as_bytes().to_vec());
        let a = presswatch_pipeline::process(&record).map_err(|e| anyhow::anyhow!("{e}")).context("seed")?;
        articles.push(presswatch_model::Article {
            meta: a.meta,
            blocks: a.blocks,
            images: a.images,
            removed: a.removed,
            quotes: Vec::new(),
        });
    }
    let bytes: usize = articles.iter().map(|a| a.text().len()).sum();
    let stage = presswatch_quotes::QuotesStage;
    let mut quotes = 0usize;
    for a in &mut articles {
        stage.apply(a);
        quotes += a.quotes.len();
    }
    let started = Instant::now();
    for _ in 0..rounds {
        for a in &mut articles {
            stage.apply(a);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let docs = (articles.len() * rounds) as f64;
    let per_3kb = (bytes * rounds) as f64 / 3000.0 / secs;
    println!(
        "quotes stage (1 thread, {} seed articles x {rounds} rounds, {:.1} KB each on average, {quotes} quotes):",
        articles.len(),
        bytes as f64 / articles.len() as f64 / 1e3
    );
    println!(
        "  {:.0} docs/s, {:.1} MB/s, {:.0} docs/s scaled to 3 KB articles",
        docs / secs,
        (bytes * rounds) as f64 / 1e6 / secs,
        per_3kb
    );
    Ok(())
}
