//! `presswatch-bench search`: the search index on N synthetic articles (the provenance corpus's
//! English-like text, about 3 KB each, or `--bytes`; 200 outlets, 6 languages, dates over two
//! years, one article in ten linked to the one before), written straight into a fresh store
//! in batches (the pipeline is not what this measures; the index is kept in step on every
//! batch, as on ingest). Then a full `reindex`, the index's size on disk, the peak RSS, and
//! latencies: a fixed mix of queries (words, phrases, boolean, field filters, date ranges; 10
//! hits with snippets each) and facet counts (every facet over every article, and over a
//! word's matches).

use anyhow::{Context, Result};
use presswatch_bench::corpus::Corpus;
use presswatch_model::{
    Article, ArticleMeta, ArticleRecord, Block, BlockKind, DocId, Format, IndexEntry, Language, Outlet,
    Published, Record, ReuseKind, StoredLink,
};
use presswatch_store::{
    FacetField, Ingested, SearchRequest, SearchWrite, SqliteStore, StoreSearch, StoreWrite, SEARCH_DIR,
};
use std::path::Path;
use std::time::{Duration, Instant};

const LANGUAGES: [&str; 6] = ["en", "de", "fr", "ru", "es", "it"];
const OUTLETS: usize = 200;
const BATCH: usize = 512;

fn outlet(i: usize) -> String {
    format!("outlet{}.example", (i * 7919) % OUTLETS)
}

fn day(i: usize, docs: usize) -> String {
    presswatch_bench::corpus::day_text(((i as u64) * 730 / docs.max(1) as u64) as u32)
}

fn item(i: usize, docs: usize, text: String) -> Result<Ingested> {
    let record = Record::new(format!("synthetic/{i}.txt"), Format::Text, text.clone().into_bytes());
    let title: String = text.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
    let published: Published = day(i, docs).parse().context("synthetic date")?;
    let article = Article {
        meta: ArticleMeta {
            title: Some(title),
            published: Some(published),
            outlet: Outlet::new(&outlet(i)),
            language: Language::new(LANGUAGES[i % LANGUAGES.len()]),
            authors: vec![format!("Author {}", i % 1000)],
            ..Default::default()
        },
        blocks: text
            .split("\n\n")
            .map(|p| Block { kind: BlockKind::Paragraph, text: p.to_string(), language: None })
            .collect(),
        ..Default::default()
    };
    let article = ArticleRecord::new(record.source().to_string(), record.hash(), Format::Text, article);
    Ok(Ingested { record, article })
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

pub(crate) fn run(docs: usize, bytes: usize, keep: Option<&Path>, rounds: usize) -> Result<()> {
    let temp = tempfile::tempdir()?;
    let store_dir = keep.map_or_else(|| temp.path().join("store"), Path::to_path_buf);
    let mut store = SqliteStore::open(&store_dir).with_context(|| format!("open {}", store_dir.display()))?;
    let mut corpus = Corpus::new(0x5EA2C4);
    // Query words: drawn from the texts as they are written.
    let mut samples: Vec<Vec<String>> = Vec::new();

    let started = Instant::now();
    let mut previous: Option<DocId> = None;
    for start in (0..docs).step_by(BATCH) {
        let mut batch = Vec::with_capacity(BATCH);
        for i in start..(start + BATCH).min(docs) {
            let text = if bytes == 3_000 { corpus.next_text() } else { corpus.prose(bytes, false) };
            if i % (docs / 40).max(1) == 7 {
                samples.push(text.split_whitespace().map(|w| w.trim_matches('.').to_lowercase()).collect());
            }
            batch.push(item(i, docs, text)?);
        }
        let mut entries = Vec::new();
        let mut published = Vec::new();
        for (k, ingested) in batch.iter().enumerate() {
            let doc = ingested.article.id;
            let links = match previous {
                Some(other) if (start + k) % 10 == 9 => vec![StoredLink {
                    doc,
                    other,
                    kind: ReuseKind::Near,
                    doc_share: 0.9,
                    other_share: 0.9,
                    evidence: Vec::new(),
                }],
                _ => Vec::new(),
            };
            previous = Some(doc);
            entries.push(IndexEntry {
                doc,
                text: String::new(),
                masked: Vec::new(),
                keys: Vec::new(),
                outlet_blocks: Vec::new(),
                links,
                quotes: Vec::new(),
                quote_links: Vec::new(),
            });
            published.push(ingested.article.meta.published);
        }
        store.put_batch_indexed(&batch, &entries, &published)?;
    }
    let load = started.elapsed().as_secs_f64();
    let status = store.search_status()?;
    println!(
        "store of {docs} synthetic articles (~{bytes} B of text each), search index kept in step on every \
         batch of {BATCH}: {load:.1} s = {:.0} docs/s; index {}",
        docs as f64 / load.max(1e-9),
        if status.in_step() { "in step" } else { "OUT OF STEP" }
    );

    reset_peak_rss();
    let started = Instant::now();
    let indexed = store.reindex(&mut |_, _| {})?;
    let secs = started.elapsed().as_secs_f64();
    drop(store);
    let store = SqliteStore::open_read_only(&store_dir)?;
    println!(
        "reindex (full rebuild from the store): {indexed} articles in {secs:.1} s = {:.0} docs/s; peak RSS {}",
        indexed as f64 / secs.max(1e-9),
        crate::peak_rss_text()
    );
    println!(
        "  index on disk: {:.0} MB ({:.0} B per article); database {:.0} MB",
        dir_size(&store_dir.join(SEARCH_DIR)) as f64 / 1e6,
        dir_size(&store_dir.join(SEARCH_DIR)) as f64 / docs.max(1) as f64,
        std::fs::metadata(store_dir.join(presswatch_store::DATABASE_FILE)).map_or(0, |m| m.len()) as f64
            / 1e6
    );

    let queries = query_mix(&samples);
    let mut latencies = Vec::new();
    let mut matched = 0u64;
    for _ in 0..rounds {
        for q in &queries {
            let started = Instant::now();
            let results = store.search(&SearchRequest::new(q.as_str()))?;
            latencies.push(started.elapsed());
            matched += results.total;
        }
    }
    latencies.sort();
    println!(
        "search, {} queries x {rounds} rounds (10 hits with snippets each, {:.0} matches on average): \
         p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        queries.len(),
        matched as f64 / (queries.len() * rounds).max(1) as f64,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );

    let facet_queries = ["*".to_string(), queries.first().cloned().unwrap_or_default()];
    for q in &facet_queries {
        let mut request = SearchRequest::new(q.as_str());
        request.facets = FacetField::ALL.to_vec();
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..rounds.max(3) {
            let started = Instant::now();
            total = store.search(&request)?.total;
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "facet counts (all {} facets) over {total} matches of {q:?}: p50 {:.1} ms, max {:.1} ms",
            FacetField::ALL.len(),
            percentile(&times, 0.5),
            percentile(&times, 1.0)
        );
    }
    println!("peak RSS: {}", crate::peak_rss_text());
    Ok(())
}

/// The fixed query mix: per sampled text, a word, two words, a phrase, OR, NOT, a field
/// filter and a date range.
fn query_mix(samples: &[Vec<String>]) -> Vec<String> {
    let mut queries = Vec::new();
    for (k, words) in samples.iter().enumerate() {
        let long: Vec<&String> = words.iter().filter(|w| w.len() > 4).collect();
        let (Some(a), Some(b)) = (long.first(), long.get(3)) else { continue };
        let pair = words.iter().position(|w| w.len() > 4).and_then(|i| words.get(i..i + 2));
        queries.push(a.to_string());
        queries.push(format!("{a} {b}"));
        if let Some(pair) = pair {
            queries.push(format!("\"{} {}\"", pair[0], pair[1]));
        }
        queries.push(format!("{a} OR {b}"));
        queries.push(format!("{a} -{b}"));
        queries.push(format!("outlet:{} {b}", outlet(k)));
        queries.push(format!("{a} published:[2021-06-01 TO 2021-08-31]"));
        queries.push(format!("language:{} {a}", LANGUAGES[k % LANGUAGES.len()]));
    }
    queries
}

/// Resets the peak RSS the kernel reports (Linux), so the figure is the reindex's onwards.
fn reset_peak_rss() {
    if std::fs::write("/proc/self/clear_refs", "5").is_err() {
        println!("  (cannot reset the peak RSS: the figure includes the load)");
    }
}
