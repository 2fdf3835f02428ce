//! Prints the entities of plain-text files, one line per entity: `type name mentions...`.
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        println!("== {path}");
        for e in presswatch_entities::entities_in_text(&text) {
            let m: Vec<&str> = e.mentions.iter().map(|s| s.slice(&text)).collect();
            println!("{:<13} {:<28} {:?}", e.kind.as_str(), e.name, m);
        }
    }
}
