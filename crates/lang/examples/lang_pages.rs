//! Times `detect_article` on the kept blocks of pages that `presswatch extract --jsonl` wrote,
//! and counts blocks whose language differs from what that output says (the declared language
//! is not in the output, so pages that fell back to it may differ; compare runs, not zero).
//!
//! ```text
//! ./target/release/presswatch extract --jsonl /work/shared/bench/article-extraction/html > /tmp/pw/ref.jsonl
//! cargo run --release -p presswatch-lang --example lang_pages -- /tmp/pw/ref.jsonl [rounds]
//! ```

use presswatch_model::Block;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: lang_pages FILE.jsonl [rounds]")?;
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(5);
    let mut pages: Vec<(Option<String>, Vec<Block>)> = Vec::new();
    for line in std::fs::read_to_string(&path)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let language = v["language"].as_str().map(str::to_string);
        let blocks: Vec<Block> = serde_json::from_value(v["blocks"].clone())?;
        pages.push((language, blocks));
    }
    let (mut doc_diff, mut block_diff, mut blocks_total) = (0usize, 0usize, 0usize);
    let start = Instant::now();
    for round in 0..rounds {
        for (language, blocks) in &pages {
            let mut work: Vec<Block> = blocks.iter().map(|b| Block { language: None, ..b.clone() }).collect();
            let got = presswatch_lang::detect_article(&mut work, None);
            if round == 0 {
                doc_diff += usize::from(got != *language);
                blocks_total += blocks.len();
                block_diff += work.iter().zip(blocks).filter(|(a, b)| a.language != b.language).count();
            }
        }
    }
    let per_page = start.elapsed().as_secs_f64() * 1e6 / (rounds * pages.len()).max(1) as f64;
    println!(
        "{} pages: {per_page:.1} µs per page in detect_article; {doc_diff} document and \
         {block_diff}/{blocks_total} block languages differ from the file",
        pages.len()
    );
    Ok(())
}
