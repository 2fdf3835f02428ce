//! Aligns two lines of a JSON Lines corpus and prints what the stage sees: for looking into why
//! a pair is (not) linked. `cargo run -p presswatch-provenance --example align_pair -- FILE SOURCE_LINE COPY_LINE`

use presswatch_provenance::{align, fingerprint, text::tokenize};
use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (path, a, b) = (&args[1], args[2].parse::<usize>()?, args[3].parse::<usize>()?);
    let lines: Vec<String> =
        std::io::BufReader::new(std::fs::File::open(path)?).lines().collect::<Result<_, _>>()?;
    let text = |n: usize| -> String {
        let v: serde_json::Value = serde_json::from_str(&lines[n - 1]).unwrap_or_default();
        v["text"].as_str().unwrap_or("").to_string()
    };
    let (sa, sb) = (text(a), text(b));
    let (ta, tb) = (tokenize(&sa), tokenize(&sb));
    let (ka, kb) = (fingerprint::keys(&ta), fingerprint::keys(&tb));
    let shared: Vec<_> =
        ka.iter().filter(|k| kb.binary_search(k).is_ok()).map(|k| fingerprint::KeyKind::of(*k)).collect();
    println!(
        "source: {} tokens {} sentences {} keys; copy: {} tokens {} sentences {} keys",
        ta.tokens.len(),
        ta.sentences.len(),
        ka.len(),
        tb.tokens.len(),
        tb.sentences.len(),
        kb.len()
    );
    println!("shared keys: {shared:?}");
    match align(&ta, &tb) {
        None => println!("no alignment"),
        Some(al) => {
            println!(
                "kind {:?} source_share {:.3} copy_share {:.3} pairs {}",
                al.kind,
                al.source_share,
                al.copy_share,
                al.pairs.len()
            );
            for p in &al.pairs {
                let s = ta.sentences[p.source];
                let c = tb.sentences[p.copy];
                let cut = |t: &str, span: (u32, u32)| {
                    t.chars().skip(span.0 as usize).take((span.1 - span.0) as usize).collect::<String>()
                };
                println!(
                    "  s{} c{} sim {:.2} id {:.2}\n    S: {}\n    C: {}",
                    p.source,
                    p.copy,
                    p.similarity,
                    p.identity,
                    cut(&sa, s.chars),
                    cut(&sb, c.chars)
                );
            }
        }
    }
    Ok(())
}
