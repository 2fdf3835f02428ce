//! Prints the best main-content candidates of one HTML (or .html.gz) page and its extracted text.
//!
//! `cargo run --release -p presswatch-extract --example debug_page -- PAGE [TOP]`

use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: debug_page PAGE [TOP]")?;
    let top: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(12);
    let mut raw = Vec::new();
    if path.ends_with(".gz") {
        flate2::read::GzDecoder::new(std::fs::File::open(&path)?).read_to_end(&mut raw)?;
    } else {
        raw = std::fs::read(&path)?;
    }
    let html = String::from_utf8_lossy(&raw);
    print!("{}", presswatch_extract::debug_candidates(&html, top));
    let draft = presswatch_extract::extract_html(&html, &Default::default());
    println!("--- meta: {:?}", draft.meta);
    for b in &draft.blocks {
        println!(
            "[{}{}{}] {}",
            b.kind.as_str(),
            if b.hidden { " hidden" } else { "" },
            b.boilerplate.map(|r| format!(" {r}")).unwrap_or_default(),
            b.text.chars().take(160).collect::<String>()
        );
    }
    for r in &draft.removed {
        println!("  <{}> {}", r.reason, r.text.chars().take(120).collect::<String>().replace('\n', " / "));
    }
    Ok(())
}
