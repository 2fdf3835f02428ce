//! Article-body quality on the 181-page extraction benchmark (/work/shared/bench), scored with
//! the benchmark's metric re-implemented here: `\w+` tokens, 4-token shingle multisets, per-page
//! precision/recall averaged over pages, F1 of the two means.

use flate2::read::GzDecoder;
use presswatch_extract::{draft_text, extract_html};
use presswatch_model::Metadata;
use regex::Regex;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

const BENCH: &str = "/work/shared/bench/article-extraction";
/// The level reached when this test was written (F1 0.967), minus 0.005.
const MIN_F1: f64 = 0.962;

fn shingles(re: &Regex, text: &str) -> HashMap<Vec<String>, usize> {
    let toks: Vec<String> = re.find_iter(text).map(|m| m.as_str().to_string()).collect();
    let mut out = HashMap::new();
    if toks.is_empty() {
        return out;
    }
    if toks.len() < 4 {
        out.insert(toks, 1);
        return out;
    }
    for w in toks.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// Normalized (tp, fp, fn) of one page.
fn page_counts(re: &Regex, truth: &str, pred: &str) -> (f64, f64, f64) {
    let t = shingles(re, truth);
    let p = shingles(re, pred);
    let mut tp = 0usize;
    let mut fp = 0usize;
    let mut fn_ = 0usize;
    for (k, &c) in &p {
        let tc = t.get(k).copied().unwrap_or(0);
        tp += c.min(tc);
        fp += c.saturating_sub(tc);
    }
    for (k, &c) in &t {
        fn_ += c.saturating_sub(p.get(k).copied().unwrap_or(0));
    }
    let total = (tp + fp + fn_) as f64;
    if total == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / total, fp as f64 / total, fn_ as f64 / total)
}

#[test]
fn benchmark_f1() {
    let truth_path = Path::new(BENCH).join("ground-truth.json");
    let Ok(truth_text) = std::fs::read_to_string(&truth_path) else {
        eprintln!("benchmark not found at {BENCH}; skipping");
        return;
    };
    let truth: serde_json::Value = serde_json::from_str(&truth_text).expect("ground truth JSON");
    let truth = truth.as_object().expect("object");
    let re = Regex::new(r"\w+").expect("regex");
    let (mut precs, mut recs) = (Vec::new(), Vec::new());
    for (id, v) in truth {
        let body = v.get("articleBody").and_then(|b| b.as_str()).unwrap_or("");
        let path = Path::new(BENCH).join("html").join(format!("{id}.html.gz"));
        let mut raw = Vec::new();
        GzDecoder::new(std::fs::File::open(&path).expect("page")).read_to_end(&mut raw).expect("gunzip");
        let html = String::from_utf8_lossy(&raw);
        let pred = draft_text(&extract_html(&html, &Metadata::default()));
        let (tp, fp, fn_) = page_counts(&re, body, &pred);
        if tp + fp > 0.0 {
            precs.push(if fp == 0.0 && fn_ == 0.0 { 1.0 } else { tp / (tp + fp) });
        }
        if tp + fn_ > 0.0 {
            recs.push(if fp == 0.0 && fn_ == 0.0 { 1.0 } else { tp / (tp + fn_) });
        }
    }
    assert_eq!(truth.len(), 181);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (p, r) = (mean(&precs), mean(&recs));
    let f1 = 2.0 * p * r / (p + r);
    eprintln!("benchmark: f1={f1:.4} precision={p:.4} recall={r:.4}");
    assert!(f1 >= MIN_F1, "F1 {f1:.4} < {MIN_F1} (precision {p:.4}, recall {r:.4})");
}
