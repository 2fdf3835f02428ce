//! Accuracy of presswatch's language identification against whatlang alone, on a labelled set
//! of JSON lines `{"lang": ISO 639-1, "source": ..., "text": ...}` (`bench/lang/build_manpages.py`
//! builds one from Debian's translated manual pages).
//!
//! Three ways, each on every paragraph and on every page (a source's paragraphs as the blocks of
//! one article): `whatlang` (its answer whatever its confidence), `detect` (presswatch's, which
//! says nothing when unsure) and `detect_article` (what the pipeline runs on an article's
//! blocks). A text counts as right, wrong, or unanswered; accuracy is right / all.
//!
//! ```text
//! python3 bench/lang/build_manpages.py /tmp/lang.jsonl
//! cargo run --release -p presswatch-lang --example lang_accuracy -- /tmp/lang.jsonl
//! ```

use presswatch_model::{Block, BlockKind};
use std::collections::BTreeMap;
use std::time::Instant;

#[derive(Default, Clone, Copy)]
struct Tally {
    right: usize,
    wrong: usize,
    none: usize,
}

impl Tally {
    fn add(&mut self, expected: &str, got: Option<&str>) {
        match got {
            Some(g) if g == expected => self.right += 1,
            Some(_) => self.wrong += 1,
            None => self.none += 1,
        }
    }

    fn total(self) -> usize {
        self.right + self.wrong + self.none
    }

    fn show(self) -> String {
        let n = self.total().max(1) as f64;
        format!(
            "acc {:.3} (wrong {:.3}, none {:.3})",
            self.right as f64 / n,
            self.wrong as f64 / n,
            self.none as f64 / n
        )
    }
}

const METHODS: [&str; 3] = ["whatlang", "detect", "detect_article"];

/// The three answers for the blocks of one text, and the time each took.
fn answers(blocks: &[&str], secs: &mut [f64; 3]) -> [Option<String>; 3] {
    let joined = blocks.join("\n\n");
    let t = Instant::now();
    let whatlang = whatlang::detect(&joined).and_then(|i| presswatch_lang::iso639_1(i.lang().code()));
    secs[0] += t.elapsed().as_secs_f64();
    let t = Instant::now();
    let detect = presswatch_lang::detect(&joined).map(|d| d.code);
    secs[1] += t.elapsed().as_secs_f64();
    let mut work: Vec<Block> = blocks
        .iter()
        .map(|text| Block { kind: BlockKind::Paragraph, text: (*text).to_string(), language: None })
        .collect();
    let t = Instant::now();
    let article = presswatch_lang::detect_article(&mut work, None);
    secs[2] += t.elapsed().as_secs_f64();
    [whatlang.map(str::to_string), detect.map(str::to_string), article]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: lang_accuracy FILE.jsonl")?;
    let mut items: Vec<(String, String, String)> = Vec::new();
    for line in std::fs::read_to_string(&path)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let field = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        items.push((field("lang"), field("source"), field("text")));
    }
    // Pages: a source's paragraphs in order (the set lists them together).
    let mut pages: Vec<(String, Vec<&str>)> = Vec::new();
    for (i, (lang, source, text)) in items.iter().enumerate() {
        let same = i > 0 && items.get(i - 1).is_some_and(|(_, s, _)| s == source);
        match pages.last_mut() {
            Some((_, blocks)) if same => blocks.push(text),
            _ => pages.push((lang.clone(), vec![text])),
        }
    }
    for (level, texts) in [
        ("paragraph", items.iter().map(|(l, _, t)| (l.clone(), vec![t.as_str()])).collect::<Vec<_>>()),
        ("page", pages),
    ] {
        let mut overall = [Tally::default(); 3];
        let mut by_lang: BTreeMap<String, [Tally; 3]> = BTreeMap::new();
        let mut secs = [0.0f64; 3];
        for (lang, blocks) in &texts {
            let got = answers(blocks, &mut secs);
            let row = by_lang.entry(lang.clone()).or_default();
            for (m, answer) in got.iter().enumerate() {
                if let (Some(o), Some(r)) = (overall.get_mut(m), row.get_mut(m)) {
                    o.add(lang, answer.as_deref());
                    r.add(lang, answer.as_deref());
                }
            }
        }
        println!("== {level}s: {} texts, {} languages", texts.len(), by_lang.len());
        // How often whatlang's answer is right at each confidence: what `MIN_CONFIDENCE` weighs.
        let mut buckets = [(0usize, 0usize); 4];
        for (lang, blocks) in &texts {
            if let Some(info) = whatlang::detect(&blocks.join("\n\n")) {
                let b = ((info.confidence() * 4.0) as usize).min(3);
                let right = presswatch_lang::iso639_1(info.lang().code()) == Some(lang.as_str());
                if let Some((n, r)) = buckets.get_mut(b) {
                    *n += 1;
                    *r += usize::from(right);
                }
            }
        }
        for (b, (n, r)) in buckets.iter().enumerate() {
            println!(
                "  whatlang confidence {:.2}-{:.2}: {n:>5} texts, {:.3} right",
                b as f64 / 4.0,
                (b + 1) as f64 / 4.0,
                *r as f64 / (*n).max(1) as f64
            );
        }
        for (m, name) in METHODS.iter().enumerate() {
            let (Some(t), Some(s)) = (overall.get(m), secs.get(m)) else { continue };
            println!("{name:>15}: {}  {:.1} µs a text", t.show(), s * 1e6 / texts.len().max(1) as f64);
        }
        for (lang, row) in &by_lang {
            let cells: Vec<String> =
                row.iter().map(|t| format!("{:.3}", t.right as f64 / t.total().max(1) as f64)).collect();
            println!("  {lang} ({:>3}): {}", row[0].total(), cells.join(" / "));
        }
    }
    Ok(())
}
