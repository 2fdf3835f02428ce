//! `presswatch bench provenance`: the provenance stage at scale on synthetic documents.
//!
//! Documents are ~3 KB of English-like text: sentences from a Zipf-distributed vocabulary of
//! pseudo-words with real function words between them. A share of them are copies of earlier
//! ones (near, spun, partial), so the index finds work to do. The stage (tokens, keys, lookup,
//! alignment of candidates, writing the index) runs on one thread against a fresh store.

use super::bench::peak_rss_text;
use anyhow::Result;
use presswatch_app::linking::link_articles;
use presswatch_model::{ArticleRecord, Block, BlockKind, DocId, Format, Outlet};
use presswatch_provenance::{prepare, MatchCache};
use presswatch_store::{SqliteStore, StoreRead, StoreWrite};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const FUNCTION_WORDS: [&str; 24] = [
    "the", "of", "and", "to", "in", "a", "that", "for", "on", "with", "as", "by", "at", "from", "is", "was",
    "it", "its", "this", "be", "has", "have", "not", "which",
];
const SYLLABLES: [&str; 24] = [
    "ka", "ro", "min", "tel", "sa", "vor", "an", "pe", "li", "dor", "mu", "ten", "ga", "ri", "zo", "bel",
    "ne", "cas", "to", "fi", "lan", "ur", "es", "pol",
];
const VOCABULARY: usize = 30_000;
const BATCH: usize = 1_000;

/// A small, fast, seeded generator (xorshift64*), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Zipf-like rank in `0..n` (inverse-power sampling, exponent ~1).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

/// The synthetic corpus: document `i` is a function of the seed and `i` and the documents
/// before it.
pub struct Corpus {
    rng: Rng,
    words: Vec<String>,
    texts: std::collections::VecDeque<String>,
}

impl Corpus {
    pub fn new(seed: u64) -> Corpus {
        let mut rng = Rng(seed | 1);
        let words = (0..VOCABULARY)
            .map(|_| (0..2 + rng.below(3)).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect())
            .collect();
        Corpus { rng, words, texts: Default::default() }
    }

    fn sentence(&mut self) -> String {
        let n = 12 + self.rng.below(18);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            if self.rng.below(100) < 42 {
                s.push_str(FUNCTION_WORDS[self.rng.zipf(FUNCTION_WORDS.len())]);
            } else {
                let w = self.rng.zipf(VOCABULARY);
                s.push_str(&self.words[w]);
            }
        }
        let mut c = s.chars();
        let first = c.next().map(|f| f.to_uppercase().collect::<String>()).unwrap_or_default();
        format!("{first}{}.", c.as_str())
    }

    fn original(&mut self) -> String {
        let mut text = String::new();
        while text.len() < 2_900 {
            let para: Vec<String> = (0..3 + self.rng.below(3)).map(|_| self.sentence()).collect();
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&para.join(" "));
        }
        text
    }

    /// The next document: 90% originals, 4% near copies, 3% spun, 3% partial.
    pub fn next_text(&mut self) -> String {
        let roll = self.rng.below(100);
        let text = if self.texts.len() < 100 || roll < 90 {
            self.original()
        } else {
            let src = self.texts[self.texts.len() - 1 - self.rng.below(self.texts.len().min(50_000))].clone();
            match roll {
                90..=93 => format!("{src}\n\n{}", self.sentence()),
                94..=96 => src
                    .split(' ')
                    .map(|w| {
                        if w.len() > 4 && self.rng.below(100) < 20 {
                            self.words[self.rng.zipf(VOCABULARY)].clone()
                        } else {
                            w.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => {
                    let paras: Vec<&str> = src.split("\n\n").collect();
                    format!("{}\n\n{}", paras[..paras.len() / 2].join("\n\n"), self.original())
                }
            }
        };
        // Keep a window of recent texts to copy from (memory stays flat).
        if self.texts.len() >= 50_000 {
            self.texts.pop_front();
        }
        self.texts.push_back(text.clone());
        text
    }
}

struct Bench {
    store: SqliteStore,
    cache: MatchCache,
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
        let prepared = articles.iter().map(|a| prepare(&a.text)).collect();
        let (linked, _) = link_articles(&self.store, &self.cache, &articles, prepared)?;
        self.store.put_batch_indexed(&[], &linked.entries, &linked.published)?;
        let links = linked.entries.iter().map(|e| e.links.len()).sum();
        Ok((links, started.elapsed().as_secs_f64()))
    }
}

fn article(n: u64, text: String) -> ArticleRecord {
    // Ids from a mixed counter (not a content hash: the text is not a record's bytes).
    let id = format!("{:016x}", presswatch_provenance::text::mix(n) >> 1);
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

/// Writes `n` synthetic documents as JSON Lines `{"id", "text"}` (for other tools to compare).
pub fn write_jsonl(path: &Path, n: usize) -> Result<()> {
    let mut corpus = Corpus::new(42);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for i in 0..n {
        let row = serde_json::json!({"id": format!("d{i}"), "text": corpus.next_text()});
        writeln!(out, "{row}")?;
    }
    out.flush()?;
    Ok(())
}

pub fn run(docs: usize, add: usize, store_dir: Option<&Path>) -> Result<ExitCode> {
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
        cache: MatchCache::default(),
        corpus: Corpus::new(42),
        next: 0,
    };
    println!("provenance stage, 1 thread, synthetic ~3 KB documents, store {}", dir.display());
    // A kept store that already holds the documents (an earlier run with the same --docs) is
    // reused for --add: the generator is only advanced past them.
    let last = presswatch_provenance::text::mix(docs as u64) >> 1;
    if store_dir.is_some() && docs > 0 && bench.store.is_indexed(DocId::from_u64(last))? {
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
        bench.cache = MatchCache::default();
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
    Ok(ExitCode::SUCCESS)
}
