//! Quality regression on the public extraction benchmark, through the whole pipeline (decode,
//! extract, clean) exactly as `presswatch extract --jsonl` runs it. Deterministic, so a fair test;
//! speed is measured by `presswatch bench extract`, not here.

use presswatch_model::{Format, Record};

/// F1 reached by the pipeline when this threshold was last raised, minus 0.005.
const MIN_F1: f64 = 0.955;

#[test]
fn pipeline_f1_on_the_extraction_benchmark() {
    let Some(dir) = presswatch_eval::bench_dir() else {
        eprintln!("extraction benchmark not found (set PRESSWATCH_BENCH_DIR); skipping");
        return;
    };
    let truth = presswatch_eval::load_truth(&dir).unwrap();
    let pages = presswatch_eval::load_pages(&dir.join("html")).unwrap();
    assert_eq!(pages.len(), 181);
    let scores: Vec<_> = pages
        .iter()
        .map(|p| {
            let record =
                Record { source: p.id.clone(), format: Format::Html, bytes: p.html.as_bytes().to_vec() };
            let text = presswatch_pipeline::process(&record).map(|a| a.text).unwrap_or_default();
            presswatch_eval::page_score(&truth[&p.id], &text)
        })
        .collect();
    let t = presswatch_eval::totals(&scores);
    eprintln!("pipeline: f1={:.4} precision={:.4} recall={:.4}", t.f1, t.precision, t.recall);
    assert!(
        t.f1 >= MIN_F1,
        "F1 {:.4} < {MIN_F1} (precision {:.4}, recall {:.4})",
        t.f1,
        t.precision,
        t.recall
    );
}
