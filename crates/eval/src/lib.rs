//! The article-extraction benchmark's metric and page loading, shared by tests and benches.
//!
//! The metric is the one of `shared/bench/article-extraction/evaluate.py`: word tokens are
//! maximal runs of Unicode word characters, each text becomes a multiset of 4-token shingles (1-3
//! tokens give one shorter shingle), per page TP/FP/FN are multiset overlap and surpluses
//! normalized by their sum; precision and recall are means over pages; F1 is the harmonic mean of
//! the two means.
//!
//! Not for: production code paths. This crate only measures.
//!
//! ```
//! let s = presswatch_eval::page_score("a b c d e", "a b c d");
//! assert_eq!(s.precision, Some(1.0));
//! assert_eq!(s.recall, Some(0.5));
//! ```

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where the benchmark lives: `$PRESSWATCH_BENCH_DIR`, else `shared/bench/article-extraction`
/// beside the repository. `None` when it is not there (tests then skip, saying so).
pub fn bench_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PRESSWATCH_BENCH_DIR").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/article-extraction")
    });
    dir.join("ground-truth.json").is_file().then_some(dir)
}

/// A benchmark page: its id (file stem) and its HTML.
pub struct Page {
    pub id: String,
    pub html: String,
}

/// Every `.html` / `.html.gz` page of `dir`, sorted by id.
pub fn load_pages(dir: &Path) -> std::io::Result<Vec<Page>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".html") || n.ends_with(".html.gz") || n.ends_with(".htm")
        })
        .collect();
    paths.sort();
    let mut pages = Vec::with_capacity(paths.len());
    for path in paths {
        let raw = std::fs::read(&path)?;
        let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
            out
        } else {
            raw
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let id = name.split('.').next().unwrap_or(&name).to_string();
        pages.push(Page { id, html: String::from_utf8_lossy(&bytes).into_owned() });
    }
    Ok(pages)
}

/// `ground-truth.json` as id -> article body.
pub fn load_truth(dir: &Path) -> std::io::Result<HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("ground-truth.json"))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(std::io::Error::other)?;
    let map = value.as_object().ok_or_else(|| std::io::Error::other("ground truth is not an object"))?;
    Ok(map
        .iter()
        .map(|(id, v)| (id.clone(), v["articleBody"].as_str().unwrap_or_default().to_string()))
        .collect())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens: Vec<&str> = text.split(|c: char| !is_word_char(c)).filter(|t| !t.is_empty()).collect();
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    if tokens.len() < 4 {
        out.insert(tokens, 1);
        return out;
    }
    for w in tokens.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// One page's precision (None when the prediction has no shingles) and recall (None when the
/// truth has none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageScore {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

pub fn page_score(truth: &str, prediction: &str) -> PageScore {
    let t = shingles(truth);
    let p = shingles(prediction);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (k, &c) in &p {
        let tc = t.get(k).copied().unwrap_or(0);
        tp += c.min(tc);
        fp += c.saturating_sub(tc);
    }
    for (k, &c) in &t {
        fn_ += c.saturating_sub(p.get(k).copied().unwrap_or(0));
    }
    let ratio = |a: usize, b: usize| if a + b == 0 { None } else { Some(a as f64 / (a + b) as f64) };
    PageScore { precision: ratio(tp, fp), recall: ratio(tp, fn_) }
}

/// Benchmark totals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Totals {
    pub f1: f64,
    pub precision: f64,
    pub recall: f64,
    pub pages: usize,
}

pub fn totals(scores: &[PageScore]) -> Totals {
    let mean = |v: Vec<f64>| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
    let precision = mean(scores.iter().filter_map(|s| s.precision).collect());
    let recall = mean(scores.iter().filter_map(|s| s.recall).collect());
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    Totals { f1, precision, recall, pages: scores.len() }
}

/// Scores `extract` (HTML in, article text out) on every page of the benchmark in `dir`.
pub fn evaluate(dir: &Path, extract: impl Fn(&str) -> String) -> std::io::Result<Totals> {
    let truth = load_truth(dir)?;
    let pages = load_pages(&dir.join("html"))?;
    let scores: Vec<PageScore> = pages
        .iter()
        .map(|p| page_score(truth.get(&p.id).map_or("", String::as_str), &extract(&p.html)))
        .collect();
    Ok(totals(&scores))
}

/// The quality regression check shared by the extractor's and the pipeline's tests: scores
/// `extract` on the benchmark and panics if F1 is below `min_f1`. Skips (saying so) when the
/// benchmark is not beside the repository, so the test command also works without it.
pub fn assert_f1_at_least(label: &str, min_f1: f64, extract: impl Fn(&str) -> String) {
    let Some(dir) = bench_dir() else {
        eprintln!("extraction benchmark not found (set PRESSWATCH_BENCH_DIR); skipping");
        return;
    };
    let t = evaluate(&dir, extract).expect("benchmark files are readable");
    assert_eq!(t.pages, 181, "the benchmark has 181 pages");
    eprintln!("{label}: f1={:.4} precision={:.4} recall={:.4}", t.f1, t.precision, t.recall);
    assert!(
        t.f1 >= min_f1,
        "{label}: F1 {:.4} < {min_f1} (precision {:.4}, recall {:.4})",
        t.f1,
        t.precision,
        t.recall
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiset_shingles_count_repeats() {
        let s = page_score("a b c d a b c d", "a b c d");
        assert_eq!(s.precision, Some(1.0));
        assert!((s.recall.unwrap() - 0.2).abs() < 1e-9);
        assert_eq!(page_score("", "x").recall, None);
        assert_eq!(page_score("x", "").precision, None);
    }

    #[test]
    fn short_texts_give_one_shingle_and_unicode_words_count() {
        assert_eq!(page_score("Привет мир", "Привет, мир!").precision, Some(1.0));
        let t = totals(&[page_score("a b", "a b"), page_score("a b c d e", "x y z w")]);
        assert!((t.precision - 0.5).abs() < 1e-9 && (t.recall - 0.5).abs() < 1e-9);
    }
}
