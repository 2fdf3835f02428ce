//! Times `clean` on the drafts of a benchmark directory and writes both texts for scoring.
//!
//! ```text
//! cargo run --release -p presswatch-clean --example bench_clean -- \
//!     [--html DIR] [--drafts PATH] [--save-drafts PATH] [--out-extract PATH] [--out-clean PATH] [--rounds N]
//! python3 /work/shared/bench/article-extraction/evaluate.py /tmp/pw/bc_clean.jsonl
//! ```
//!
//! Drafts come from `--drafts` (JSON Lines `{"id", "draft"}` saved earlier with `--save-drafts`,
//! so cleaning can be compared on fixed input while extraction changes), else from extracting
//! every `*.html.gz` page of `--html`. Only `clean` is timed. The extract output is what
//! `clean` starts from: visible, non-boilerplate, non-caption blocks.

use flate2::read::GzDecoder;
use presswatch_extract::{draft_text, extract_html};
use presswatch_model::{Draft, Metadata};
use std::io::{BufRead, Read, Write};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut html_dir = String::from("/work/shared/bench/article-extraction/html");
    let mut drafts_in: Option<String> = None;
    let mut save: Option<String> = None;
    let mut out_extract = String::from("/tmp/pw/bc_extract.jsonl");
    let mut out_clean = String::from("/tmp/pw/bc_clean.jsonl");
    let mut rounds = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--html" => html_dir = val()?,
            "--drafts" => drafts_in = Some(val()?),
            "--save-drafts" => save = Some(val()?),
            "--out-extract" => out_extract = val()?,
            "--out-clean" => out_clean = val()?,
            "--rounds" => rounds = val()?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let drafts: Vec<(String, Draft)> = match drafts_in {
        Some(path) => {
            let mut v = Vec::new();
            for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
                let row: serde_json::Value = serde_json::from_str(&line?)?;
                let id = row["id"].as_str().unwrap_or_default().to_string();
                v.push((id, serde_json::from_value(row["draft"].clone())?));
            }
            v
        }
        None => {
            let mut names: Vec<_> = std::fs::read_dir(&html_dir)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
                .collect();
            names.sort();
            let mut v = Vec::new();
            for path in names {
                let mut raw = Vec::new();
                GzDecoder::new(std::fs::File::open(&path)?).read_to_end(&mut raw)?;
                let id = path
                    .file_name()
                    .map(|n| n.to_string_lossy().trim_end_matches(".html.gz").to_string())
                    .unwrap_or_default();
                v.push((id, extract_html(&String::from_utf8_lossy(&raw), &Metadata::default())));
            }
            v
        }
    };
    if let Some(path) = save {
        let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
        for (id, d) in &drafts {
            writeln!(w, "{}", serde_json::json!({"id": id, "draft": d}))?;
        }
        w.flush()?;
    }
    let mut best = f64::MAX;
    let mut articles = Vec::new();
    for _ in 0..rounds.max(1) {
        let inputs: Vec<Draft> = drafts.iter().map(|(_, d)| d.clone()).collect();
        let start = Instant::now();
        let out: Vec<_> = inputs.into_iter().map(presswatch_clean::clean).collect();
        best = best.min(start.elapsed().as_secs_f64());
        articles = out;
    }
    let mut we = std::io::BufWriter::new(std::fs::File::create(&out_extract)?);
    let mut wc = std::io::BufWriter::new(std::fs::File::create(&out_clean)?);
    for ((id, d), a) in drafts.iter().zip(&articles) {
        writeln!(we, "{}", serde_json::json!({"id": id, "text": draft_text(d)}))?;
        writeln!(
            wc,
            "{}",
            serde_json::json!({"id": id, "text": a.text(), "language": a.meta.language, "blocks": a.blocks, "removed": a.removed})
        )?;
    }
    we.flush()?;
    wc.flush()?;
    println!(
        "{} drafts, clean best of {}: {:.1} ms total, {:.3} ms/page, {:.0} pages/s -> {out_extract}, {out_clean}",
        drafts.len(),
        rounds.max(1),
        best * 1e3,
        best * 1e3 / drafts.len().max(1) as f64,
        drafts.len() as f64 / best
    );
    Ok(())
}
