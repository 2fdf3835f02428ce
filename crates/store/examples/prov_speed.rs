//! Speed of the provenance index in the SQLite store.
//!
//! 1. Fills a store with `--docs` synthetic documents (`--text-bytes` of text), each indexed with
//!    `--keys` random keys (every 50th with a link), in batches of `--batch`, through
//!    `put_batch_indexed`: prints documents/s and posting rows/s as the store grows.
//! 2. Adds `--add` more documents the way `presswatch ingest` does: the real provenance stage
//!    (`link_batch`, reading postings and texts from the store) then `put_batch_indexed`, every
//!    fifth document a lightly edited copy of an earlier one. Prints the time of each part.
//!
//! ```text
//! cargo run --release -p presswatch-store --example prov_speed -- --docs 200000 [--add 10000]
//!     [--batch 512] [--keys 45] [--text-bytes 1500] [--dir DIR]
//! ```

use presswatch_model::{Article, ArticleRecord, Block, BlockKind, Format, Record};
use presswatch_provenance::{
    doc_key, link_batch, prepare, Alignment, DocKey, Index, Indexed, Link, ReuseKind,
};
use presswatch_store::{Ingested, SqliteStore, StoreError, StoreWrite};
use std::cell::Cell;
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Args {
    docs: usize,
    add: usize,
    batch: usize,
    keys: usize,
    text_bytes: usize,
    dir: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { docs: 200_000, add: 10_000, batch: 512, keys: 45, text_bytes: 1_500, dir: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<usize>().map_err(|e| format!("{flag} {value}: {e}"));
        match flag.as_str() {
            "--docs" => args.docs = number()?,
            "--add" => args.add = number()?,
            "--batch" => args.batch = number()?.max(1),
            "--keys" => args.keys = number()?,
            "--text-bytes" => args.text_bytes = number()?,
            "--dir" => args.dir = Some(PathBuf::from(&value)),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(args)
}

/// splitmix64: deterministic synthetic data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "sta", "vek", "dor", "pli", "zan", "tor", "bel", "qui", "ost", "mar",
    "fen", "gra", "hul", "jin", "wex", "ya", "cze", "dro", "sku", "ven", "lar", "mog", "tis", "abe", "uno",
];
const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "that", "is", "was", "for", "on", "with", "said", "it", "by", "as",
];

/// About `bytes` of text in paragraphs: made-up content words (about 27,000 of them) among
/// function words, so documents share function-word runs but rarely content.
fn text(rng: &mut Rng, bytes: usize) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut total = 0;
    while total < bytes {
        let mut p = String::new();
        for _ in 0..2 + rng.below(3) {
            let words = 8 + rng.below(14);
            for w in 0..words {
                if w > 0 {
                    p.push(' ');
                }
                if rng.below(10) < 4 {
                    p.push_str(FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len())]);
                } else {
                    for _ in 0..1 + rng.below(3) {
                        p.push_str(SYLLABLES[rng.below(SYLLABLES.len())]);
                    }
                }
            }
            p.push_str(". ");
        }
        total += p.len();
        paragraphs.push(p.trim_end().to_string());
    }
    paragraphs
}

fn ingested(i: usize, paragraphs: &[String]) -> Ingested {
    let bytes = format!("Story {i}\n\n{}", paragraphs.join("\n\n")).into_bytes();
    let record = Record { source: format!("synthetic/{i}.txt"), format: Format::Text, bytes };
    let blocks = paragraphs
        .iter()
        .map(|p| Block { kind: BlockKind::Paragraph, text: p.clone(), language: None })
        .collect();
    let article = Article {
        title: Some(format!("Story {i}")),
        outlet: Some(format!("outlet {}", i % 50)),
        published: Some(format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
        blocks,
        ..Default::default()
    };
    let article = ArticleRecord::new(record.source.clone(), record.sha256(), record.format, article);
    Ingested { record, article }
}

/// The store as the stage reads it, timing the reads.
struct TimedIndex<'a> {
    store: &'a SqliteStore,
    spent: Cell<Duration>,
}

impl TimedIndex<'_> {
    fn time<T>(&self, read: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = read();
        self.spent.set(self.spent.get() + started.elapsed());
        out
    }
}

impl Index for TimedIndex<'_> {
    type Error = StoreError;

    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocKey)>, StoreError> {
        self.time(|| self.store.postings(keys, per_key))
    }

    fn text(&self, doc: DocKey) -> Result<Option<String>, StoreError> {
        self.time(|| self.store.text(doc))
    }

    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, StoreError> {
        self.time(|| self.store.outlet_block_counts(keys))
    }
}

fn rate(n: u64, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let tmp = tempfile::tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| tmp.path().join("store"));
    let mut store = SqliteStore::open(&dir)?;
    println!("store {} | batch {} | {} random keys per document", dir.display(), args.batch, args.keys);

    // 1. Fill.
    let mut rng = Rng(42);
    let mut docs = Vec::new();
    let (mut put_time, mut rows, mut window_time, mut window_rows) =
        (Duration::ZERO, 0u64, Duration::ZERO, 0u64);
    let report_every = (args.docs / 10).max(args.batch);
    let mut next_report = report_every;
    for start in (0..args.docs).step_by(args.batch) {
        let end = (start + args.batch).min(args.docs);
        let batch: Vec<Ingested> =
            (start..end).map(|i| ingested(i, &text(&mut rng, args.text_bytes))).collect();
        let mut indexed = Vec::with_capacity(batch.len());
        for item in &batch {
            let doc = doc_key(&item.article.id).ok_or("bad id")?;
            let keys: Vec<u64> = (0..args.keys).map(|_| rng.next() >> 1).collect();
            let outlet_blocks: Vec<u64> = item.article.blocks.iter().map(|_| rng.next() >> 1).collect();
            let mut links = Vec::new();
            if rng.below(50) == 0 && !docs.is_empty() {
                let other = docs[rng.below(docs.len())];
                let alignment = Alignment {
                    kind: ReuseKind::Partial,
                    source_share: 0.4,
                    copy_share: 0.3,
                    pairs: Vec::new(),
                    passages: vec![presswatch_model::AlignedPassage {
                        source: [0, 200],
                        copy: [10, 210],
                        similarity: 1.0,
                    }],
                };
                links.push(Link { doc, other, alignment });
            }
            indexed.push(Indexed { doc, text: item.article.text.clone(), keys, outlet_blocks, links });
            docs.push(doc);
        }
        let published: Vec<Option<String>> = batch.iter().map(|i| i.article.published.clone()).collect();
        let batch_rows: u64 = indexed.iter().map(|ix| ix.keys.len() as u64).sum();
        let started = Instant::now();
        let entries: Vec<_> = indexed.iter().map(Indexed::entry).collect();
        store.put_batch_indexed(&batch, &entries, &published)?;
        let took = started.elapsed();
        put_time += took;
        window_time += took;
        rows += batch_rows;
        window_rows += batch_rows;
        if end >= next_report || end == args.docs {
            println!(
                "  {end:>9} docs | cumulative {:>7.0} docs/s {:>9.0} posting rows/s | last {:>9.0} posting rows/s",
                rate(end as u64, put_time),
                rate(rows, put_time),
                rate(window_rows, window_time)
            );
            (window_time, window_rows) = (Duration::ZERO, 0);
            next_report += report_every;
        }
    }
    println!(
        "fill: {} docs, {} posting rows in {:.1} s of put_batch_indexed: {:.0} docs/s, {:.0} posting rows/s",
        args.docs,
        rows,
        put_time.as_secs_f64(),
        rate(args.docs as u64, put_time),
        rate(rows, put_time)
    );
    drop(docs);

    // 2. Add through the real stage.
    let mut stage_time = Duration::ZERO;
    let mut read_time = Duration::ZERO;
    let mut store_time = Duration::ZERO;
    let (mut links, mut keys) = (0usize, 0usize);
    let mut originals: Vec<Vec<String>> = Vec::new();
    for start in (args.docs..args.docs + args.add).step_by(args.batch) {
        let end = (start + args.batch).min(args.docs + args.add);
        let mut batch = Vec::with_capacity(end - start);
        for i in start..end {
            let paragraphs = if i % 5 == 4 && !originals.is_empty() {
                // A copy: an earlier story with its last paragraph dropped and one appended.
                let mut p = originals[rng.below(originals.len())].clone();
                if p.len() > 1 {
                    p.pop();
                }
                p.push(text(&mut rng, 100).join(" "));
                p
            } else {
                let p = text(&mut rng, 1_500);
                originals.push(p.clone());
                p
            };
            batch.push(ingested(i, &paragraphs));
        }
        let started = Instant::now();
        let mut articles: Vec<ArticleRecord> = batch.iter().map(|i| i.article.clone()).collect();
        let prepared = articles.iter().map(|a| Some(prepare(&a.text))).collect();
        let timed = TimedIndex { store: &store, spent: Cell::new(Duration::ZERO) };
        let indexed = link_batch(&timed, &mut articles, prepared)?;
        stage_time += started.elapsed();
        read_time += timed.spent.get();
        links += indexed.iter().map(|ix| ix.links.len()).sum::<usize>();
        keys += indexed.iter().map(|ix| ix.keys.len()).sum::<usize>();
        let published: Vec<Option<String>> = articles.iter().map(|a| a.published.clone()).collect();
        for (item, article) in batch.iter_mut().zip(articles) {
            item.article = article;
        }
        let started = Instant::now();
        let entries: Vec<_> = indexed.iter().map(Indexed::entry).collect();
        store.put_batch_indexed(&batch, &entries, &published)?;
        store_time += started.elapsed();
    }
    println!(
        "add: {} docs ({:.1} keys each, {} links found) onto {}: stage {:.1} s (of which reading the \
         store's index {:.1} s), store {:.1} s, total {:.1} s",
        args.add,
        keys as f64 / args.add.max(1) as f64,
        links,
        args.docs,
        stage_time.as_secs_f64(),
        read_time.as_secs_f64(),
        store_time.as_secs_f64(),
        (stage_time + store_time).as_secs_f64()
    );
    let size: u64 = std::fs::read_dir(&dir)?.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    println!("store size {:.0} MB", size as f64 / 1e6);
    Ok(())
}
