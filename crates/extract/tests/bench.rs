//! Article-body quality of the extractor alone on the public extraction benchmark
//! (shared/bench/article-extraction), scored with the benchmark's metric (presswatch-eval).
//! The whole pipeline (with clean) has its own regression test in crates/pipeline.

use presswatch_extract::{draft_text, extract_html};
use presswatch_model::Metadata;

/// The level reached when this threshold was last raised (F1 0.980), minus 0.005.
const MIN_F1: f64 = 0.975;

#[test]
fn benchmark_f1() {
    let Some(dir) = presswatch_eval::bench_dir() else {
        eprintln!("extraction benchmark not found (set PRESSWATCH_BENCH_DIR); skipping");
        return;
    };
    let t = presswatch_eval::evaluate(&dir, |html| draft_text(&extract_html(html, &Metadata::default())))
        .expect("benchmark files");
    assert_eq!(t.pages, 181);
    eprintln!("benchmark: f1={:.4} precision={:.4} recall={:.4}", t.f1, t.precision, t.recall);
    assert!(
        t.f1 >= MIN_F1,
        "F1 {:.4} < {MIN_F1} (precision {:.4}, recall {:.4})",
        t.f1,
        t.precision,
        t.recall
    );
}
