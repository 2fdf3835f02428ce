//! Ingest speed of the SQLite store: 100,000 synthetic records (2-9 kB each, 5.5 kB on average:
//! the records of the product target, 100k JSONL records) in batches of 1,000, then a full article walk, a raw read of every 10th
//! document, stats, and the size on disk.
//!
//! ```text
//! cargo run --release -p presswatch-store --example store_speed [-- RECORDS [BATCH [DIR]]]
//! ```

use presswatch_model::{
    Article, ArticleMeta, ArticleRecord, Block, BlockKind, Format, Language, Outlet, Record,
};
use presswatch_store::{Ingested, SqliteStore, StoreRead, StoreWrite};
use std::time::Instant;

const WORDS: &[&str] = &[
    "the",
    "minister",
    "said",
    "on",
    "Tuesday",
    "that",
    "budget",
    "talks",
    "would",
    "resume",
    "after",
    "market",
    "prices",
    "fell",
    "sharply",
    "in",
    "Warsaw",
    "Berlin",
    "Paris",
    "während",
    "gouvernement",
    "rząd",
    "правительство",
    "政府",
    "reporters",
    "according",
    "officials",
];

fn synthetic(i: usize) -> Ingested {
    let mut state = (i as u64) ^ 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        state >> 33
    };
    let target = 2_000 + (next() as usize % 7_000);
    let mut body = String::with_capacity(target + 200);
    body.push_str(&format!("---\ntitle: Synthetic story {i}\noutlet: outlet {}\n---\n\n", i % 40));
    let mut paragraphs = Vec::new();
    let mut paragraph = String::new();
    while body.len() < target {
        let word = WORDS[next() as usize % WORDS.len()];
        body.push_str(word);
        paragraph.push_str(word);
        if next() & 15 == 0 {
            body.push_str(".\n\n");
            paragraphs.push(std::mem::take(&mut paragraph));
        } else {
            body.push(' ');
            paragraph.push(' ');
        }
    }
    body.push_str(&format!("\nstory id {i}\n"));
    let record = Record::new(format!("synthetic/{i}.md"), Format::Markdown, body.into_bytes());
    let article = Article {
        meta: ArticleMeta {
            title: Some(format!("Synthetic story {i}")),
            published: format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28).parse().ok(),
            outlet: Outlet::new(&format!("outlet {}", i % 40)),
            language: Language::new(["en", "de", "fr", "pl", "ru", "zh"][i % 6]),
            ..Default::default()
        },
        blocks: paragraphs
            .into_iter()
            .map(|text| Block { kind: BlockKind::Paragraph, text, language: None })
            .collect(),
        ..Default::default()
    };
    let article = ArticleRecord::new(record.source().to_string(), record.hash(), record.format(), article);
    Ingested { record, article }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let records: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100_000);
    let batch: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1_000).max(1);
    let tmp = tempfile::tempdir()?;
    let dir = args.next().map(std::path::PathBuf::from).unwrap_or_else(|| tmp.path().join("store"));

    let mut store = SqliteStore::open(&dir)?;
    let mut raw_bytes = 0u64;
    let mut put = std::time::Duration::ZERO;
    let mut put_cpu = 0.0;
    for start in (0..records).step_by(batch) {
        let items: Vec<Ingested> = (start..(start + batch).min(records)).map(synthetic).collect();
        raw_bytes += items.iter().map(|i| i.record.bytes().len() as u64).sum::<u64>();
        let (t, cpu) = (Instant::now(), cpu_seconds());
        store.put_batch(&items)?;
        put += t.elapsed();
        put_cpu += cpu_seconds() - cpu;
    }
    println!(
        "put_batch: {records} records ({:.0} MB raw, {:.1} kB average) in {:.2} s ({:.2} s CPU): \
         {:.0} records/s, {:.0} MB/s",
        raw_bytes as f64 / 1e6,
        raw_bytes as f64 / 1e3 / records.max(1) as f64,
        put.as_secs_f64(),
        put_cpu,
        records as f64 / put.as_secs_f64(),
        raw_bytes as f64 / 1e6 / put.as_secs_f64(),
    );

    let t = Instant::now();
    let again: Vec<Ingested> = (0..batch.min(records)).map(synthetic).collect();
    store.put_batch(&again)?;
    println!("re-put of one batch of {} present records: {:.3} s", again.len(), t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut text_bytes = 0usize;
    let n = store.for_each_article(&mut |a| {
        text_bytes += a.text.len();
        Ok(())
    })?;
    println!(
        "for_each_article: {n} articles in {:.2} s: {:.0} articles/s",
        t.elapsed().as_secs_f64(),
        n as f64 / t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let mut shas = Vec::new();
    store.for_each_document(&mut |d| {
        shas.push(d.sha256);
        Ok(())
    })?;
    let mut read = 0;
    for sha in shas.iter().step_by(10) {
        read += store.raw(sha)?.len();
    }
    println!(
        "raw: {} blobs ({:.1} MB) read and verified in {:.2} s",
        shas.len().div_ceil(10),
        read as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let stats = store.stats()?;
    println!(
        "stats: {} documents, {} languages, in {:.3} s",
        stats.documents,
        stats.by_language.len(),
        t.elapsed().as_secs_f64()
    );

    drop(store);
    let conn = rusqlite::Connection::open(dir.join(presswatch_store::DATABASE_FILE))?;
    let sum = |sql: &str| -> rusqlite::Result<i64> { conn.query_row(sql, [], |r| r.get(0)) };
    let blob_bytes = sum("SELECT COALESCE(SUM(LENGTH(zstd)), 0) FROM blobs")? as f64;
    let article_bytes = sum("SELECT COALESCE(SUM(LENGTH(record)), 0) FROM articles")? as f64;
    drop(conn);
    let disk = walk_size(&dir)? as f64;
    let wal = std::fs::metadata(dir.join(format!("{}-wal", presswatch_store::DATABASE_FILE)))
        .map_or(0, |m| m.len());
    println!(
        "on disk: {:.1} MB in all (WAL {:.1} MB); inside: blobs {:.1} MB ({:.1}x smaller than raw), \
         article records {:.1} MB",
        disk / 1e6,
        wal as f64 / 1e6,
        blob_bytes / 1e6,
        raw_bytes as f64 / blob_bytes.max(1.0),
        article_bytes / 1e6,
    );
    Ok(())
}

/// User + system CPU time of this process so far (all threads), from /proc on Linux; 0 elsewhere.
/// On a shared machine wall time says little; CPU time says what the store itself costs.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { return 0.0 };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // Clock ticks are 100 per second on every Linux configuration in use.
    (ticks(11) + ticks(12)) / 100.0
}

fn walk_size(dir: &std::path::Path) -> std::io::Result<u64> {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            let meta = e.metadata()?;
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                total += meta.len();
            }
        }
    }
    Ok(total)
}
