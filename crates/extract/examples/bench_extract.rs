//! Runs `extract_html` over every `*.html.gz` page of a directory and reports pages/s.
//!
//! ```text
//! cargo run --release -p presswatch-extract --example bench_extract -- [DIR] [--out PATH] [--rounds N]
//! python3 /work/shared/bench/article-extraction/evaluate.py /tmp/pw/extract.jsonl
//! ```
//!
//! Pages are decompressed into memory first; only extraction is timed. Output lines are
//! `{"id": <file stem>, "text": <visible non-caption blocks joined by blank lines>}`.

use presswatch_extract::{draft_text, extract_html};
use presswatch_model::Metadata;
use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir =
        presswatch_eval::bench_dir().map(|d| d.join("html").display().to_string()).unwrap_or_default();
    let mut out = String::from("/tmp/pw/extract.jsonl");
    let mut rounds = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().ok_or("--out needs a path")?,
            "--rounds" => rounds = args.next().ok_or("--rounds needs a number")?.parse()?,
            _ => dir = a,
        }
    }
    let pages: Vec<(String, String)> = presswatch_eval::load_pages(std::path::Path::new(&dir))?
        .into_iter()
        .map(|p| (p.id, p.html))
        .collect();
    let hints = Metadata::default();
    let mut texts = Vec::with_capacity(pages.len());
    let mut best = f64::MAX;
    for round in 0..rounds.max(1) {
        let start = Instant::now();
        let mut round_texts = Vec::with_capacity(pages.len());
        for (_, html) in &pages {
            let draft = extract_html(html, &hints);
            round_texts.push(draft_text(&draft));
        }
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        if round == 0 {
            texts = round_texts;
        }
    }
    if let Some(parent) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut w = std::io::BufWriter::new(std::fs::File::create(&out)?);
    for ((id, _), text) in pages.iter().zip(&texts) {
        writeln!(w, "{}", serde_json::json!({"id": id, "text": text}))?;
    }
    w.flush()?;
    let bytes: usize = pages.iter().map(|(_, h)| h.len()).sum();
    println!(
        "{} pages, {:.1} MB, best of {} rounds: {:.3} s, {:.0} pages/s, {:.1} MB/s -> {}",
        pages.len(),
        bytes as f64 / 1e6,
        rounds.max(1),
        best,
        pages.len() as f64 / best,
        bytes as f64 / 1e6 / best,
        out
    );
    Ok(())
}
