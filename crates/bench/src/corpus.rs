//! The synthetic corpora the benches run on, defined once: JSON Lines records made from the
//! bundled seeds (`ingest`), and English-like documents with copies among them (`provenance`,
//! also written out for other tools by `provenance --write-jsonl`).
//!
//! Both are functions of their size only, so every run (and every tool compared) sees the same
//! documents. Their numbers must not change: the figures in README.md were measured on them.

use anyhow::Result;
use std::collections::VecDeque;
use std::io::{BufWriter, Write};
use std::path::Path;

/// The bundled seeds: real scraped articles, used to synthesize ingest workloads.
pub const SEEDS: [&str; 5] = [
    include_str!("../../../tests/fixtures/seeds/000_f3a028baaf0c539f.txt"),
    include_str!("../../../tests/fixtures/seeds/001_981f92c3f911055d.txt"),
    include_str!("../../../tests/fixtures/seeds/002_0bfac0a650c6561f.txt"),
    include_str!("../../../tests/fixtures/seeds/003_c2431004963922ef.txt"),
    include_str!("../../../tests/fixtures/seeds/004_2bbe479d0874b1ba.txt"),
];

/// Writes `n` distinct news-like JSON records made from the seeds' paragraphs (rotated and
/// numbered so no two are identical); returns the bytes written. Streams to disk so the
/// generator adds no memory.
pub fn write_seed_jsonl(path: &Path, n: usize) -> Result<u64> {
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

/// Day `days` counted from 2021-01-01 as `YYYY-MM-DD` (no leap days; synthetic dates only),
/// without a date library in this crate.
pub fn day_text(days: u32) -> String {
    const MONTHS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut year, mut left) = (2021, days);
    while left >= 365 {
        left -= 365;
        year += 1;
    }
    let mut month = 0;
    while left >= MONTHS[month] {
        left -= MONTHS[month];
        month += 1;
    }
    format!("{year}-{:02}-{:02}", month + 1, left + 1)
}

/// The seed of the provenance corpus (`provenance` and `--write-jsonl` use the same one).
pub const CORPUS_SEED: u64 = 42;

const FUNCTION_WORDS: [&str; 24] = [
    "the", "of", "and", "to", "in", "a", "that", "for", "on", "with", "as", "by", "at", "from", "is", "was",
    "it", "its", "this", "be", "has", "have", "not", "which",
];
const SYLLABLES: [&str; 24] = [
    "ka", "ro", "min", "tel", "sa", "vor", "an", "pe", "li", "dor", "mu", "ten", "ga", "ri", "zo", "bel",
    "ne", "cas", "to", "fi", "lan", "ur", "es", "pol",
];
const VOCABULARY: usize = 30_000;
/// How many recent documents copies are taken from (memory stays flat).
const WINDOW: usize = 50_000;

/// A small, fast, seeded generator (xorshift64*), so runs are repeatable.
///
/// Not `presswatch_text::SplitMix64`: another generator would draw other numbers, so other
/// documents, and the published figures (and the datatrove comparison) were measured on these.
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

/// The provenance corpus: ~3 KB of English-like text per document, sentences from a
/// Zipf-distributed vocabulary of pseudo-words with real function words between them. A share
/// of the documents are copies of earlier ones (near, spun, partial), so the index finds work to
/// do. Document `i` is a function of the seed, `i` and the documents before it.
pub struct Corpus {
    rng: Rng,
    words: Vec<String>,
    texts: VecDeque<String>,
}

impl Corpus {
    /// The corpus drawn from `seed` (the same seed gives the same documents).
    pub fn new(seed: u64) -> Corpus {
        let mut rng = Rng(seed | 1);
        let words = (0..VOCABULARY)
            .map(|_| (0..2 + rng.below(3)).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect())
            .collect();
        Corpus { rng, words, texts: VecDeque::new() }
    }

    /// Like [`Corpus::new`], but sentences draw from `words` (most frequent first, for the
    /// Zipf ranks) instead of pseudo-words: real vocabulary gives the language, quotes and
    /// entities stages real work. `words` must not be empty.
    pub fn with_words(seed: u64, words: Vec<String>) -> Corpus {
        Corpus { rng: Rng(seed | 1), words, texts: VecDeque::new() }
    }

    /// A number in `0..n` from the corpus's generator (for choices made around its text).
    pub fn below(&mut self, n: usize) -> usize {
        self.rng.below(n)
    }

    /// A vocabulary word, Zipf-distributed as in sentences.
    pub fn word(&mut self) -> &str {
        let w = self.rng.zipf(self.words.len());
        &self.words[w]
    }

    /// One sentence of 12 to 29 words.
    pub fn sentence(&mut self) -> String {
        let n = 12 + self.rng.below(18);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            if self.rng.below(100) < 42 {
                s.push_str(FUNCTION_WORDS[self.rng.zipf(FUNCTION_WORDS.len())]);
            } else {
                let w = self.rng.zipf(self.words.len());
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

    /// About `bytes` bytes of prose (at least that many): paragraphs of 3 to 5 sentences
    /// separated by blank lines, or with `one_paragraph` a single paragraph.
    pub fn prose(&mut self, bytes: usize, one_paragraph: bool) -> String {
        let mut text = String::with_capacity(bytes + 4096);
        while text.len() < bytes {
            if !text.is_empty() {
                text.push_str(if one_paragraph { " " } else { "\n\n" });
            }
            for i in 0..3 + self.rng.below(3) {
                if i > 0 {
                    text.push(' ');
                }
                let sentence = self.sentence();
                text.push_str(&sentence);
            }
        }
        text
    }

    /// The next document: 90% originals, 4% near copies, 3% spun, 3% partial.
    pub fn next_text(&mut self) -> String {
        let roll = self.rng.below(100);
        let text = if self.texts.len() < 100 || roll < 90 {
            self.original()
        } else {
            let src = self.texts[self.texts.len() - 1 - self.rng.below(self.texts.len().min(WINDOW))].clone();
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
        if self.texts.len() >= WINDOW {
            self.texts.pop_front();
        }
        self.texts.push_back(text.clone());
        text
    }
}

/// Writes the first `n` documents of the provenance corpus as JSON Lines `{"id", "text"}` (for
/// other tools to compare on the same documents).
pub fn write_jsonl(path: &Path, n: usize) -> Result<()> {
    let mut corpus = Corpus::new(CORPUS_SEED);
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    for i in 0..n {
        let row = serde_json::json!({"id": format!("d{i}"), "text": corpus.next_text()});
        writeln!(out, "{row}")?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The provenance corpus is pinned: the README's figures and the datatrove comparison were
    /// measured on these documents (the value was taken from `presswatch bench provenance
    /// --write-jsonl` before the bench moved here, and is the same).
    #[test]
    fn provenance_corpus_does_not_change() {
        let mut corpus = Corpus::new(CORPUS_SEED);
        let (mut h, mut bytes) = (0u64, 0usize);
        // Past the first 100 documents, so copies (near, spun, partial) are among them.
        for _ in 0..300 {
            let text = corpus.next_text();
            bytes += text.len();
            h = text.bytes().fold(h, |h, b| presswatch_text::mix(h ^ u64::from(b)));
        }
        assert_eq!((bytes, h), (963_209, 10_509_933_276_387_451_977));
    }

    #[test]
    fn seed_records_are_distinct_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let written = write_seed_jsonl(&path, 12).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written, text.len() as u64);
        let bodies: std::collections::HashSet<String> = text
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["maintext"].to_string())
            .collect();
        assert_eq!(bodies.len(), 12);
    }
}
