//! Quality regression on the public extraction benchmark, through the whole pipeline (decode,
//! extract, clean) exactly as `presswatch extract --jsonl` runs it. Deterministic, so a fair test;
//! speed is measured by `presswatch bench extract`, not here.

use presswatch_model::{Format, Record};

/// F1 reached by the pipeline when this threshold was last raised, minus 0.005.
const MIN_F1: f64 = 0.976;

#[test]
fn pipeline_f1_on_the_extraction_benchmark() {
    let Some(dir) = presswatch_eval::bench_dir() else {
        eprintln!("extraction benchmark not found (set PRESSWATCH_BENCH_DIR); skipping");
        return;
    };
    let t = presswatch_eval::evaluate(&dir, |html| {
        let record = Record { source: "page".into(), format: Format::Html, bytes: html.as_bytes().to_vec() };
        presswatch_pipeline::process(&record).map(|a| a.text).unwrap_or_default()
    })
    .expect("benchmark files");
    assert_eq!(t.pages, 181);
    eprintln!("pipeline: f1={:.4} precision={:.4} recall={:.4}", t.f1, t.precision, t.recall);
    assert!(
        t.f1 >= MIN_F1,
        "F1 {:.4} < {MIN_F1} (precision {:.4}, recall {:.4})",
        t.f1,
        t.precision,
        t.recall
    );
}
