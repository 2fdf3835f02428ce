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
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// One benchmark set: its folder under the bench directory and how many pages it holds. Each
/// folder has `ground-truth.json` (`{id: {"articleBody": ...}}`) and `html/<id>.html[.gz]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchSet {
    /// The folder under the bench directory (`extraction-dev/dragnet`).
    pub path: &'static str,
    /// The number of pages, checked so that a partial copy cannot pass as the whole set.
    pub pages: usize,
}

/// The 181-page article-extraction benchmark (mostly English news, one crawl).
pub const ARTICLE_EXTRACTION: BenchSet = BenchSet { path: "article-extraction", pages: 181 };
/// The Dragnet dev set: news and blog pages from around 2012, gold typed by hand.
pub const DRAGNET: BenchSet = BenchSet { path: "extraction-dev/dragnet", pages: 1353 };
/// The Readability dev set: Mozilla Readability's test pages, several kinds and languages.
pub const READABILITY: BenchSet = BenchSet { path: "extraction-dev/readability", pages: 124 };

/// The bench directory: `$PRESSWATCH_BENCH_DIR` when set, else `shared/bench` beside the
/// repository (`../shared/bench` from its root).
pub fn bench_root() -> PathBuf {
    std::env::var_os("PRESSWATCH_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench"))
}

/// Whether a missing benchmark must fail the tests rather than skip them: in CI (`CI=true`),
/// where a skip would let a quality floor pass unchecked, and whenever `PRESSWATCH_BENCH_DIR`
/// is set, since whoever set it meant the benchmark to run.
pub fn bench_required() -> bool {
    required_by(std::env::var("CI").ok().as_deref(), std::env::var_os("PRESSWATCH_BENCH_DIR").is_some())
}

fn required_by(ci: Option<&str>, bench_dir_set: bool) -> bool {
    let ci = ci.is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    ci || bench_dir_set
}

/// The folder of `set` under [`bench_root`], when its ground truth is there.
pub fn set_dir(set: &BenchSet) -> Option<PathBuf> {
    let dir = bench_root().join(set.path);
    dir.join("ground-truth.json").is_file().then_some(dir)
}

/// Where the article-extraction benchmark lives (see [`bench_root`]); `None` when it is not
/// there.
pub fn bench_dir() -> Option<PathBuf> {
    set_dir(&ARTICLE_EXTRACTION)
}

/// A benchmark page: its id (file stem) and its HTML.
pub struct Page {
    /// The file name up to its first dot: the key of the page in `ground-truth.json`.
    pub id: String,
    /// The page, decompressed, as text (invalid UTF-8 replaced).
    pub html: String,
    /// The page, decompressed, as found: for whole-pipeline scoring, which decodes the page's
    /// own charset as `presswatch extract` does (many older pages are not UTF-8).
    pub bytes: Vec<u8>,
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
        let html = String::from_utf8_lossy(&bytes).into_owned();
        pages.push(Page { id, html, bytes });
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

/// A character of Python's `\w`: a letter or a number by general category (`str.isalnum()`), or
/// `_`. Not `char::is_alphanumeric`, which also takes the Other_Alphabetic marks (Arabic
/// harakat, Indic vowel signs, circled letters like `ⓒ`) that `evaluate.py` splits words at.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || (!c.is_ascii()
            && matches!(
                c.general_category_group(),
                GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
            ))
}

/// The word tokens of `text`: maximal runs of word characters, as `re.findall(r"\w+")`.
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !is_word_char(c)).filter(|t| !t.is_empty()).collect()
}

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens = tokens(text);
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
    /// Share of the prediction's shingles found in the truth.
    pub precision: Option<f64>,
    /// Share of the truth's shingles found in the prediction.
    pub recall: Option<f64>,
}

/// Scores one page: `prediction` (extracted text) against `truth` (the gold article body).
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
    /// Harmonic mean of `precision` and `recall` (not a mean of per-page F1s).
    pub f1: f64,
    /// Mean precision over pages whose prediction has shingles.
    pub precision: f64,
    /// Mean recall over pages whose truth has shingles.
    pub recall: f64,
    /// Pages scored.
    pub pages: usize,
}

/// Totals over per-page scores, as `evaluate.py` aggregates them.
pub fn totals(scores: &[PageScore]) -> Totals {
    let mean = |v: Vec<f64>| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
    let precision = mean(scores.iter().filter_map(|s| s.precision).collect());
    let recall = mean(scores.iter().filter_map(|s| s.recall).collect());
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    Totals { f1, precision, recall, pages: scores.len() }
}

/// Scores `extract` (HTML in, article text out) on every page of the benchmark in `dir`.
pub fn evaluate(dir: &Path, extract: impl Fn(&Page) -> String) -> std::io::Result<Totals> {
    let truth = load_truth(dir)?;
    let pages = load_pages(&dir.join("html"))?;
    let scores: Vec<PageScore> =
        pages.iter().map(|p| page_score(truth.get(&p.id).map_or("", String::as_str), &extract(p))).collect();
    Ok(totals(&scores))
}

/// The quality regression check shared by the extractor's and the pipeline's tests: scores
/// `extract` on the benchmark set and panics if F1 is below `min_f1`. When the set is missing it
/// panics too if [`bench_required`] (CI, or `PRESSWATCH_BENCH_DIR` set), so a floor cannot pass
/// by skipping; otherwise it skips, saying why, so the test command also works for a developer
/// without the benchmark.
pub fn assert_f1_at_least(set: &BenchSet, label: &str, min_f1: f64, extract: impl Fn(&Page) -> String) {
    let Some(dir) = set_dir(set) else {
        let wanted = bench_root().join(set.path);
        if bench_required() {
            panic!(
                "{label}: benchmark {} not found (no ground-truth.json); CI or PRESSWATCH_BENCH_DIR \
                 is set, so a missing benchmark fails instead of skipping",
                wanted.display()
            );
        }
        eprintln!(
            "{label}: benchmark {} not found; skipping (set PRESSWATCH_BENCH_DIR to the bench \
             directory to run it)",
            wanted.display()
        );
        return;
    };
    let t = match evaluate(&dir, extract) {
        Ok(t) => t,
        Err(e) => panic!("{label}: cannot read the benchmark in {}: {e}", dir.display()),
    };
    assert_eq!(t.pages, set.pages, "{label}: the benchmark {} has {} pages", set.path, set.pages);
    eprintln!("{label}: f1={:.6} precision={:.6} recall={:.6}", t.f1, t.precision, t.recall);
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

    #[test]
    fn words_split_where_pythons_word_class_does() {
        assert_eq!(tokens("ⓒ2024 snake_case, l'été 3½"), ["2024", "snake_case", "l", "été", "3½"]);
        // Harakat are marks (Mn), not letters: `كَتَبَ` is three tokens for `\w+`.
        assert_eq!(tokens("كَتَبَ"), ["ك", "ت", "ب"]);
        assert_eq!(tokens("東京 ２０２１年"), ["東京", "２０２１年"]);
    }

    #[test]
    fn missing_benchmark_fails_in_ci_or_when_a_bench_dir_is_named() {
        assert!(required_by(Some("true"), false));
        assert!(required_by(Some("TRUE"), false));
        assert!(required_by(Some("1"), false));
        assert!(required_by(None, true));
        assert!(required_by(Some("false"), true));
        assert!(!required_by(None, false));
        assert!(!required_by(Some("false"), false));
        assert!(!required_by(Some(""), false));
    }
}
