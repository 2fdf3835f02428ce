//! `presswatch-bench quotes` and `presswatch-bench entities`: the quotes stage, the entities
//! stage, and both together, on the bundled seeds' clean articles, on one thread.

use anyhow::{Context, Result};
use presswatch_model::{Article, DocumentStage, Format, Record};
use std::time::Instant;

/// The seeds through the pipeline once (untimed), with what the timed stages add taken out:
/// the stages' input is a clean article.
fn seed_articles() -> Result<Vec<Article>> {
    let mut articles = Vec::new();
    for (i, seed) in presswatch_bench::corpus::SEEDS.iter().enumerate() {
        let record = Record::new(format!("seed{i}.txt"), Format::Text, seed.as_bytes().to_vec());
        let a = presswatch_pipeline::process(&record).map_err(|e| anyhow::anyhow!("{e}")).context("seed")?;
        articles.push(Article {
            meta: a.meta,
            blocks: a.blocks,
            images: a.images,
            removed: a.removed,
            ..Default::default()
        });
    }
    Ok(articles)
}

/// Times `stages`, in order, over the seeds `rounds` times and prints the rates.
fn time_stages(label: &str, stages: &[&dyn DocumentStage], rounds: usize) -> Result<()> {
    let mut articles = seed_articles()?;
    let bytes: usize = articles.iter().map(|a| a.text().len()).sum();
    for a in &mut articles {
        for s in stages {
            s.apply(a);
        }
    }
    let quotes: usize = articles.iter().map(|a| a.quotes.len()).sum();
    let entities: usize = articles.iter().map(|a| a.entities.len()).sum();
    let started = Instant::now();
    for _ in 0..rounds {
        for a in &mut articles {
            for s in stages {
                s.apply(a);
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let docs = (articles.len() * rounds) as f64;
    let per_3kb = (bytes * rounds) as f64 / 3000.0 / secs;
    println!(
        "{label} (1 thread, {} seed articles x {rounds} rounds, {:.1} KB each on average, {quotes} quotes, {entities} entities):",
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

pub(crate) fn run(rounds: usize) -> Result<()> {
    time_stages("quotes stage", &[&presswatch_quotes::QuotesStage], rounds)
}

pub(crate) fn run_entities(rounds: usize) -> Result<()> {
    time_stages("entities stage", &[&presswatch_entities::EntitiesStage], rounds)?;
    time_stages(
        "quotes + entities stages",
        &[&presswatch_quotes::QuotesStage, &presswatch_entities::EntitiesStage],
        rounds,
    )
}
