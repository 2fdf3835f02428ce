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
    let truth = presswatch_eval::load_truth(&dir).expect("ground truth");
    let pages = presswatch_eval::load_pages(&dir.join("html")).expect("pages");
    assert_eq!(pages.len(), 181);
    let scores: Vec<_> = pages
        .iter()
        .map(|p| {
            presswatch_eval::page_score(
                &truth[&p.id],
                &draft_text(&extract_html(&p.html, &Metadata::default())),
            )
        })
        .collect();
    let t = presswatch_eval::totals(&scores);
    eprintln!("benchmark: f1={:.4} precision={:.4} recall={:.4}", t.f1, t.precision, t.recall);
    assert!(
        t.f1 >= MIN_F1,
        "F1 {:.4} < {MIN_F1} (precision {:.4}, recall {:.4})",
        t.f1,
        t.precision,
        t.recall
    );
}
