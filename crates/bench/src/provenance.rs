//! `presswatch-bench provenance`: the provenance stage at scale on the synthetic corpus
//! ([`Corpus`]). The stage (tokens, keys, lookup, alignment of candidates, writing the index)
//! runs on one thread against a fresh store, through `presswatch_app::linking` as ingest runs it.

use crate::peak_rss_text;
use anyhow::Result;
use presswatch_app::linking::{link_articles, prepare, LinkCache};
use presswatch_bench::corpus::{Corpus, CORPUS_SEED};
use presswatch_model::{ArticleRecord, Block, BlockKind, DocId, Format, Outlet};
use presswatch_store::{SqliteStore, StoreRead, StoreWrite};
use presswatch_text::mix;
use std::path::Path;
use std::time::Instant;

const BATCH: usize = 1_000;

struct Bench {
    store: SqliteStore,
    cache: LinkCache,
    corpus: Corpus,
    next: u64,
}

impl Bench {
    /// Generates `n` documents and runs the stage on them: (links found, seconds in the stage).
    fn batch(&mut self, n: usize) -> Result<(usize, f64)> {
        let articles: Vec<ArticleRecord> = (0..n)
            .map(|_| {
                self.next += 1;
                article(self.next, self.corpus.next_text())
            })
            .collect();
        let started = Instant::now();
        let articles: Vec<&ArticleRecord> = articles.iter().collect();
        let prepared = articles.iter().map(|a| prepare(a)).collect();
        let linked = link_articles(&self.store, &self.cache, &articles, prepared)?;
        self.store.put_batch_indexed(&[], &linked.entries, &linked.published)?;
        let links = linked.entries.iter().map(|e| e.links.len()).sum();
        Ok((links, started.elapsed().as_secs_f64()))
    }
}

/// The id of synthetic document `n` (1-based): a mixed counter, not a content hash (the text is
/// not a record's bytes).
fn doc_id(n: u64) -> u64 {
    mix(n) >> 1
}

fn article(n: u64, text: String) -> ArticleRecord {
    let id = format!("{:016x}", doc_id(n));
    let hash = format!("{id:0<64}").parse().expect("64 hex digits");
    let mut a = ArticleRecord::new(format!("synthetic#{n}"), hash, Format::Jsonl, Default::default());
    let day = format!("2022-{:02}-{:02}", 1 + (n / 100_000) % 12, 1 + (n / 4_000) % 28);
    a.meta.published = day.parse().ok();
    a.meta.outlet = Outlet::new(&format!("outlet{}", n % 400));
    a.blocks = text
        .split("\n\n")
        .map(|p| Block { kind: BlockKind::Paragraph, text: p.to_string(), language: None })
        .collect();
    a.text = text;
    a
}

pub(crate) fn run(docs: usize, add: usize, store_dir: Option<&Path>) -> Result<()> {
    let tmp;
    let dir = match store_dir {
        Some(d) => d.to_path_buf(),
        None => {
            tmp = tempfile::tempdir()?;
            tmp.path().join("store")
        }
    };
    let mut bench = Bench {
        store: SqliteStore::open(&dir)?,
        cache: LinkCache::default(),
        corpus: Corpus::new(CORPUS_SEED),
        next: 0,
    };
    println!("provenance stage, 1 thread, synthetic ~3 KB documents, store {}", dir.display());
    // A kept store that already holds the documents (an earlier run with the same --docs) is
    // reused for --add: the generator is only advanced past them.
    if store_dir.is_some() && docs > 0 && bench.store.is_indexed(DocId::from_u64(doc_id(docs as u64)))? {
        println!("the kept store already holds the {docs} documents: reusing it");
        for _ in 0..docs {
            bench.corpus.next_text();
        }
        bench.next = docs as u64;
    } else {
        let started = Instant::now();
        let (mut done, mut links, mut stage_secs) = (0usize, 0usize, 0.0f64);
        let mut window = (0usize, Instant::now());
        while done < docs {
            let n = BATCH.min(docs - done);
            let (l, secs) = bench.batch(n)?;
            done += n;
            links += l;
            stage_secs += secs;
            if done % 100_000 == 0 || done == docs || window.1.elapsed().as_secs() >= 60 {
                let secs = window.1.elapsed().as_secs_f64();
                println!(
                    "  {done:>9} documents, {links} links; last {} at {:.0} docs/s (wall, incl. generation); {}",
                    done - window.0,
                    (done - window.0) as f64 / secs,
                    peak_rss_text()
                );
                window = (done, Instant::now());
            }
        }
        println!(
            "built: {docs} documents in {:.1} s wall; the stage alone {stage_secs:.1} s = {:.0} docs/s on one core",
            started.elapsed().as_secs_f64(),
            docs as f64 / stage_secs.max(1e-9)
        );
    }
    if add > 0 {
        // A new process would open the store afresh: so do we.
        bench.store = SqliteStore::open(&dir)?;
        bench.cache = LinkCache::default();
        let started = Instant::now();
        let (mut added, mut stage) = (0usize, 0.0f64);
        while added < add {
            let n = BATCH.min(add - added);
            stage += bench.batch(n)?.1;
            added += n;
        }
        println!(
            "added {add} documents to the store of {docs}: {:.1} s wall, {stage:.1} s in the stage",
            started.elapsed().as_secs_f64()
        );
        println!("store: {} documents linked", bench.store.stats()?.linked);
    }
    println!("{}", peak_rss_text());
    Ok(())
}
