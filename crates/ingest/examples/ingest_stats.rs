//! Prints what ingest makes of the given paths, and how fast: `cargo run --release -p
//! presswatch-ingest --example ingest_stats -- PATH...`
use std::collections::BTreeMap;
use std::time::Instant;

use presswatch_ingest::{documents, expand_paths, Limits};

fn main() {
    let args: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let start = Instant::now();
    let (mut docs, mut bytes) = (0u64, 0u64);
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut rejections: BTreeMap<String, u64> = BTreeMap::new();
    for path in expand_paths(&args) {
        let path = match path {
            Ok(p) => p,
            Err(e) => {
                println!("{e}");
                continue;
            }
        };
        let name = path.display().to_string();
        let file: Box<dyn std::io::Read> = if name == "-" {
            Box::new(std::io::stdin())
        } else {
            Box::new(std::fs::File::open(&path).unwrap())
        };
        for item in documents(&name, std::io::BufReader::new(file), Limits::default()) {
            match item {
                Ok(d) => {
                    docs += 1;
                    bytes += d.body.len() as u64;
                    *kinds.entry(format!("{}/{:?}", d.format, d.body_kind)).or_default() += 1;
                }
                Err(e) => {
                    println!("{e}");
                    let key = e.reason.to_string().chars().take(40).collect();
                    *rejections.entry(key).or_default() += 1;
                }
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{docs} documents, {:.1} MB of text in {secs:.2}s ({:.1} MB/s)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
    println!("kinds: {kinds:?}");
    println!("rejections: {rejections:?}");
}
