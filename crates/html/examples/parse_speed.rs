//! Parsing throughput on a directory of gzip-compressed HTML pages.
//!
//! ```text
//! cargo run -p presswatch-html --release --example parse_speed -- [DIR] [ROUNDS]
//! ```
//! DIR defaults to the article-extraction benchmark pages; all pages are decompressed into
//! memory first so only parsing is timed.

use flate2::read::GzDecoder;
use presswatch_html::Document;
use std::io::Read;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "/work/shared/bench/article-extraction/html".to_string());
    let rounds: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(10);

    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    let mut pages = Vec::with_capacity(paths.len());
    for path in &paths {
        let mut bytes = Vec::new();
        GzDecoder::new(std::fs::File::open(path)?).read_to_end(&mut bytes)?;
        pages.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    if pages.is_empty() {
        return Err(format!("no *.html.gz in {dir}").into());
    }
    let total_bytes: usize = pages.iter().map(String::len).sum();
    println!(
        "{} pages, {:.1} MB, avg {:.0} KB",
        pages.len(),
        total_bytes as f64 / 1e6,
        total_bytes as f64 / pages.len() as f64 / 1e3
    );

    // Warm-up round, also used to report the tree size.
    let nodes: usize = pages.iter().map(|p| Document::parse(p).len()).sum();
    println!("{nodes} nodes in total");

    let start = Instant::now();
    let mut checksum = 0usize;
    for _ in 0..rounds {
        for page in &pages {
            let doc = Document::parse(page);
            checksum = checksum.wrapping_add(doc.len());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let parsed = (pages.len() * rounds) as f64;
    println!(
        "{rounds} rounds: {:.0} pages/s, {:.0} MB/s ({:.3} ms/page, checksum {checksum})",
        parsed / secs,
        (total_bytes * rounds) as f64 / 1e6 / secs,
        secs * 1e3 / parsed
    );
    Ok(())
}
