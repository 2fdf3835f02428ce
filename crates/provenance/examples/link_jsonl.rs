//! Runs the provenance stage in memory over JSON Lines articles and prints, per input line, the
//! export's provenance fields. For trying the stage on a corpus without a store:
//!
//! ```text
//! cargo run --release -p presswatch-provenance --example link_jsonl -- corpus.jsonl > links.jsonl
//! ```
//!
//! Each line needs `text`; `id` (16 hex), `published`, `outlet` are used when present. Lines
//! without an id get one from their line number. Output lines: `id`, `source` (`PATH#LINE`),
//! `dup_cluster`, `derived_from`.

use presswatch_model::{ArticleRecord, Block, BlockKind, DocId, Format, Outlet};
use presswatch_provenance::{clusters, derived_from, link_batch, DocTime, MemoryIndex, StoredLink};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: link_jsonl FILE.jsonl")?;
    let file = std::io::BufReader::new(std::fs::File::open(&path)?);
    let mut articles = Vec::new();
    let mut sources = Vec::new();
    for (n, line) in file.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let text = v["text"].as_str().unwrap_or("").to_string();
        let id = v["id"]
            .as_str()
            .filter(|id| id.parse::<DocId>().is_ok())
            .map(str::to_string)
            .unwrap_or_else(|| format!("{:016x}", 0x1000_0000_0000_0000u64 + n as u64 + 1));
        let mut a = ArticleRecord::new(
            format!("{path}#{}", n + 1),
            format!("{id:0<64}").parse()?,
            Format::Jsonl,
            Default::default(),
        );
        a.meta.published = v["published"].as_str().and_then(|s| s.parse().ok());
        a.meta.outlet = v["outlet"].as_str().and_then(Outlet::new);
        a.blocks = text
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| Block { kind: BlockKind::Paragraph, text: p.trim().to_string(), language: None })
            .collect();
        a.text = a.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n\n");
        sources.push(a.source.clone());
        articles.push(a);
    }
    let started = Instant::now();
    let mut index = MemoryIndex::default();
    let mut links: Vec<StoredLink> = Vec::new();
    let mut times: HashMap<DocId, DocTime> = HashMap::new();
    for (seen, chunk) in articles.chunks(256).enumerate() {
        let indexed = link_batch(&index, chunk, vec![])?;
        index.add(&indexed);
        for (i, (ix, a)) in indexed.iter().zip(chunk.iter()).enumerate() {
            times.insert(ix.doc, DocTime { published: a.meta.published, seen: (seen * 256 + i) as u64 });
            links.extend(ix.links.iter().map(presswatch_provenance::Link::stored));
        }
    }
    let elapsed = started.elapsed();
    let time = |d: DocId| times.get(&d).cloned().unwrap_or_default();
    let mut by_doc: HashMap<DocId, Vec<StoredLink>> = HashMap::new();
    for l in &links {
        by_doc.entry(l.doc).or_default().push(l.clone());
        by_doc.entry(l.other).or_default().push(l.clone());
    }
    let links_of = |d: DocId| by_doc.get(&d).cloned().unwrap_or_default();
    let cluster = clusters(&links, &time);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (a, source) in articles.iter().zip(&sources) {
        let doc = a.id;
        let row = serde_json::json!({
            "id": a.id,
            "source": source,
            "dup_cluster": cluster.get(&doc),
            "derived_from": derived_from(doc, &links_of, &time),
        });
        writeln!(out, "{row}")?;
    }
    eprintln!(
        "{} documents, {} links in {:.2} s ({:.0} docs/s)",
        articles.len(),
        links.len(),
        elapsed.as_secs_f64(),
        articles.len() as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}
