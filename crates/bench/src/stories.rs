//! `presswatch-bench stories`: quality (pairwise and B-cubed precision, recall, F1 on one split
//! of the labelled corpus of `bench/stories`) and speed (documents/s of the stories stage on one
//! thread) of story clustering. `--sweep` prints the grid the defaults were chosen from (run it
//! on `dev` only).

use anyhow::{bail, Context, Result};
use presswatch_model::{ArticleRecord, CorpusStage, DocId, Format, Record};
use presswatch_stories::{Params, StoriesStage, StoryMemory};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// The corpus through the pipeline (untimed), with each document's gold story and split.
fn load(dir: &Path) -> Result<Vec<(ArticleRecord, String, String)>> {
    let corpus = std::fs::read_to_string(dir.join("corpus.jsonl")).context("reading corpus.jsonl")?;
    let labels = std::fs::read_to_string(dir.join("labels.jsonl")).context("reading labels.jsonl")?;
    let labels: Vec<serde_json::Value> =
        labels.lines().map(serde_json::from_str).collect::<Result<_, _>>().context("labels.jsonl")?;
    let mut out = Vec::new();
    for (i, (line, label)) in corpus.lines().zip(&labels).enumerate() {
        let record = Record::new(format!("corpus.jsonl#{}", i + 1), Format::Json, line.as_bytes().to_vec());
        let article =
            presswatch_pipeline::process(&record).map_err(|e| anyhow::anyhow!("line {}: {e}", i + 1))?;
        let story = label["story"].as_str().unwrap_or_default().to_string();
        let split = label["split"].as_str().unwrap_or_default().to_string();
        out.push((article, story, split));
    }
    if out.is_empty() {
        bail!("{} holds no documents", dir.display());
    }
    Ok(out)
}

/// Places every document, batch by batch as an ingest would, against an in-memory index.
fn cluster(params: &Params, articles: &[&ArticleRecord], batch_size: usize) -> HashMap<DocId, DocId> {
    let stage = StoriesStage { params: params.clone() };
    let mut memory = StoryMemory::default();
    for batch in articles.chunks(batch_size) {
        let prepared = batch.iter().map(|a| stage.prepare_article(a)).collect();
        let Ok(links) = stage.run(&memory, batch, prepared);
        memory.apply(&links);
    }
    memory.assignments().clone()
}

/// Pairwise and B-cubed (precision, recall, F1) of `predicted` against `gold` over `docs`.
pub(crate) fn scores(
    docs: &[DocId],
    predicted: &HashMap<DocId, DocId>,
    gold: &HashMap<DocId, String>,
) -> ((f64, f64, f64), (f64, f64, f64)) {
    let mut by_pred: HashMap<DocId, Vec<DocId>> = HashMap::new();
    let mut by_gold: HashMap<&str, Vec<DocId>> = HashMap::new();
    for d in docs {
        by_pred.entry(predicted.get(d).copied().unwrap_or(*d)).or_default().push(*d);
        by_gold.entry(gold[d].as_str()).or_default().push(*d);
    }
    let pred_of = |d: &DocId| predicted.get(d).copied().unwrap_or(*d);
    let (mut bp, mut br) = (0.0, 0.0);
    let (mut tp, mut pred_pairs, mut gold_pairs) = (0u64, 0u64, 0u64);
    for d in docs {
        let p = &by_pred[&pred_of(d)];
        let g = &by_gold[gold[d].as_str()];
        let both = p.iter().filter(|x| gold[*x] == gold[d]).count() as f64;
        bp += both / p.len() as f64;
        br += both / g.len() as f64;
    }
    for members in by_pred.values() {
        let n = members.len() as u64;
        pred_pairs += n * (n - 1) / 2;
        let mut counts: HashMap<&str, u64> = HashMap::new();
        for m in members {
            *counts.entry(gold[m].as_str()).or_default() += 1;
        }
        tp += counts.values().map(|c| c * (c - 1) / 2).sum::<u64>();
    }
    for members in by_gold.values() {
        let n = members.len() as u64;
        gold_pairs += n * (n - 1) / 2;
    }
    let f1 = |p: f64, r: f64| if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    let n = docs.len() as f64;
    let (bp, br) = (bp / n, br / n);
    let pp = if pred_pairs == 0 { 1.0 } else { tp as f64 / pred_pairs as f64 };
    let pr = if gold_pairs == 0 { 1.0 } else { tp as f64 / gold_pairs as f64 };
    ((pp, pr, f1(pp, pr)), (bp, br, f1(bp, br)))
}

/// The similarity of every pair of the files in `dir` (file-name order), as the stage scores
/// the one placed second against a story holding only the other: with the defaults' decay and without
/// any; then the stories the defaults make of all of them in one batch.
pub(crate) fn pairs(dir: &Path) -> Result<()> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.sort();
    let mut articles = Vec::new();
    for p in &paths {
        let record = Record::new(p.display().to_string(), Format::Text, std::fs::read(p)?);
        articles.push(
            presswatch_pipeline::process(&record).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
        );
    }
    let name = |i: usize| paths[i].file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let defaults = Params::default();
    let score = |params: &Params, a: &ArticleRecord, b: &ArticleRecord| {
        let stage =
            StoriesStage { params: Params { join_threshold: 0.0, merge_threshold: 2.0, ..params.clone() } };
        let batch = [a, b];
        let prepared = batch.iter().map(|x| stage.prepare_article(x)).collect();
        let Ok(links) = stage.run(&StoryMemory::default(), &batch, prepared);
        // The one placed second (publication order) carries the score.
        links.iter().map(|l| l.score).fold(0.0f32, f32::max)
    };
    let undecayed = Params { grace_days: f32::MAX, ..defaults.clone() };
    println!("pair: similarity with decay / without (join threshold {})", defaults.join_threshold);
    for i in 0..articles.len() {
        for j in i + 1..articles.len() {
            let (a, b) = (&articles[i], &articles[j]);
            println!(
                "{} ~ {}: {:.3} / {:.3}",
                name(i),
                name(j),
                score(&defaults, a, b),
                score(&undecayed, a, b)
            );
        }
    }
    let refs: Vec<&ArticleRecord> = articles.iter().collect();
    let placed = cluster(&defaults, &refs, 512);
    for (i, a) in articles.iter().enumerate() {
        let story = placed.get(&a.id).copied().unwrap_or(a.id);
        let first =
            articles.iter().position(|x| placed.get(&x.id).copied().unwrap_or(x.id) == story).unwrap_or(i);
        println!("{}: story of {}", name(i), name(first));
    }
    Ok(())
}

pub(crate) fn run(dir: &Path, split: &str, sweep: bool, repeat: usize) -> Result<()> {
    let data = load(dir)?;
    let articles: Vec<&ArticleRecord> = data.iter().map(|(a, _, _)| a).collect();
    let gold: HashMap<DocId, String> = data.iter().map(|(a, s, _)| (a.id, s.clone())).collect();
    let docs: Vec<DocId> =
        data.iter().filter(|(_, _, sp)| sp == split || split == "all").map(|(a, _, _)| a.id).collect();
    let stories = docs.iter().map(|d| &gold[d]).collect::<std::collections::HashSet<_>>().len();
    println!(
        "{} documents, {} of split {split} in {stories} stories ({})",
        data.len(),
        docs.len(),
        dir.display()
    );
    let report = |label: &str, params: &Params| {
        let predicted = cluster(params, &articles, 512);
        let ((pp, pr, pf), (bp, br, bf)) = scores(&docs, &predicted, &gold);
        println!("{label}: pairwise P {pp:.3} R {pr:.3} F1 {pf:.3} | B-cubed P {bp:.3} R {br:.3} F1 {bf:.3}");
    };
    let defaults = Params::default();
    report("defaults", &defaults);
    if sweep {
        for title_weight in [1.0, 2.0] {
            for entity_weight in [0.0, 0.1, 0.2, 0.3] {
                for join_threshold in [0.15, 0.2, 0.25, 0.3] {
                    let p = Params { title_weight, entity_weight, join_threshold, ..defaults.clone() };
                    report(
                        &format!("title {title_weight} entities {entity_weight} join {join_threshold}"),
                        &p,
                    );
                }
            }
        }
        for background_docs in [0.0, 100.0, 1000.0, 10000.0] {
            for join_threshold in [0.15, 0.2, 0.25, 0.3] {
                report(
                    &format!("background {background_docs} join {join_threshold}"),
                    &Params { background_docs, join_threshold, ..defaults.clone() },
                );
            }
        }
        for lead_chars in [700, 1000, 1500, 2000] {
            report(&format!("lead {lead_chars}"), &Params { lead_chars, ..defaults.clone() });
        }
        for merge_threshold in [0.3, 0.4, 0.5, 1.1] {
            report(&format!("merge {merge_threshold}"), &Params { merge_threshold, ..defaults.clone() });
        }
        for (grace_days, decay_days) in [(0.0, 2.0), (1.0, 3.0), (2.0, 4.0), (3.0, 7.0), (1000.0, 1.0)] {
            // (1000, 1): no decay at all.
            report(
                &format!("grace {grace_days} decay {decay_days}"),
                &Params { grace_days, decay_days, ..defaults.clone() },
            );
        }
    }

    // Speed: the stage alone (prepare, run, apply) on one thread, `repeat` copies of the corpus
    // under fresh ids (so the index grows as a corpus `repeat` times larger would).
    let mut copies: Vec<ArticleRecord> = Vec::with_capacity(articles.len() * repeat);
    for r in 0..repeat as u64 {
        for a in &articles {
            let mut c = (*a).clone();
            c.id = DocId::from_u64(presswatch_text::mix(a.id.as_u64() ^ r.wrapping_mul(0x9e37_79b9)));
            copies.push(c);
        }
    }
    let refs: Vec<&ArticleRecord> = copies.iter().collect();
    let bytes: usize = refs.iter().map(|a| a.text.len()).sum();
    let started = Instant::now();
    let placed = cluster(&defaults, &refs, 512);
    let secs = started.elapsed().as_secs_f64();
    let stories = placed.values().collect::<std::collections::HashSet<_>>().len();
    println!(
        "speed: {} documents ({:.1} KB on average) into {stories} stories in {secs:.2} s on 1 thread: {:.0} docs/s; peak RSS {}",
        refs.len(),
        bytes as f64 / refs.len() as f64 / 1e3,
        refs.len() as f64 / secs,
        crate::peak_rss_text()
    );
    Ok(())
}
