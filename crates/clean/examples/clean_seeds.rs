//! Cleans the plain-text seed articles, prints what was kept and removed (with reasons), and
//! prints throughput figures.
//!
//! `cargo run --release -p presswatch-clean --example clean_seeds [SEED_DIR]`

use presswatch_clean::clean;
use presswatch_model::{BlockKind, Draft, DraftBlock};
use std::time::Instant;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("{}/../../tests/fixtures/seeds", env!("CARGO_MANIFEST_DIR")));
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(1);
        }
    };
    paths.sort();
    let mut drafts = Vec::new();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        // Plain-text reading: one block per blank-line-separated paragraph (or per line when the
        // file has no blank lines).
        let parts: Vec<&str> =
            if text.contains("\n\n") { text.split("\n\n").collect() } else { text.lines().collect() };
        let blocks: Vec<DraftBlock> = parts
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| DraftBlock::new(BlockKind::Paragraph, p))
            .collect();
        drafts.push((path.display().to_string(), Draft { blocks, ..Default::default() }));
    }

    let mut total_blocks = 0;
    for (name, draft) in &drafts {
        let mut a = clean(draft.clone());
        presswatch_lang::detect_language(&mut a);
        total_blocks += draft.blocks.len();
        println!(
            "== {name}: {} kept, {} removed, language {:?}",
            a.blocks.len(),
            a.removed.len(),
            a.meta.language
        );
        println!(
            "   title {:?} published {:?} authors {:?} section {:?}",
            a.meta.title, a.meta.published, a.meta.authors, a.meta.section
        );
        for r in &a.removed {
            let short: String = r.text.chars().take(70).collect();
            println!("   - {:<16} {short}", r.reason.as_str());
        }
    }

    let rounds = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        for (_, draft) in &drafts {
            std::hint::black_box(clean(draft.clone()));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let docs = rounds * drafts.len();
    println!(
        "cleaned {docs} documents ({} blocks) in {secs:.3}s: {:.0} docs/s, {:.0} blocks/s",
        rounds * total_blocks,
        docs as f64 / secs,
        (rounds * total_blocks) as f64 / secs
    );
}
