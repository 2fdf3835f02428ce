//! Writes the full text content of every page in a directory of `*.html.gz` files as JSON
//! lines `{"id": STEM, "text": ...}`, to check with the benchmark's `evaluate.py` that
//! parsing loses no visible text (recall of the whole-page text should be ~1.0).
//!
//! ```text
//! cargo run -p presswatch-html --release --example dump_text -- [DIR] > all-text.jsonl
//! ```

use flate2::read::GzDecoder;
use presswatch_html::Document;
use std::io::{Read, Write};

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir =
        std::env::args().nth(1).unwrap_or_else(|| "/work/shared/bench/article-extraction/html".to_string());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in paths {
        let mut bytes = Vec::new();
        GzDecoder::new(std::fs::File::open(&path)?).read_to_end(&mut bytes)?;
        let doc = Document::parse(&String::from_utf8_lossy(&bytes));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let id = name.trim_end_matches(".html.gz");
        let mut line = String::from("{\"id\": ");
        json_string(id, &mut line);
        line.push_str(", \"text\": ");
        json_string(&doc.text_content(doc.root()), &mut line);
        line.push('}');
        writeln!(out, "{line}")?;
    }
    Ok(())
}
