//! Real scraped pages: the seed fixtures and, when present, the extraction benchmark pages.

use presswatch_html::{Document, Edge, Tag};
use std::io::Read;
use std::path::Path;

fn seed(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn seed_article_fragment_structure() {
    let doc = Document::parse(&seed("000_f3a028baaf0c539f.txt"));
    let ids: Vec<_> = doc.descendants(doc.root()).collect();
    let imgs: Vec<_> = ids.iter().copied().filter(|&n| doc.tag_id(n) == Some(Tag::Img)).collect();
    assert_eq!(imgs.len(), 2);
    assert_eq!(doc.attr(imgs[0], "referrerpolicy"), Some("no-referrer"));
    assert!(doc.attr(imgs[0], "src").unwrap().ends_with("fe2b14ee85ab45fcae511913952d3f4a.png"));
    // The void img has no children; the caption div that follows is its sibling.
    assert_eq!(doc.first_child(imgs[0]), None);
    let caption = doc.next_sibling(imgs[0]).and_then(|n| doc.next_sibling(n)).unwrap();
    assert!(doc.has_class(caption, "imagecaption"));
    let titles = ids.iter().filter(|&&n| doc.tag(n) == Some("p") && doc.has_class(n, "title"));
    assert_eq!(titles.count(), 2);
    let text = doc.text_content(doc.root());
    assert!(text.contains("Editor's note:\u{a0}Bradley Blankenship is a Prague-based Amer"));
    // Every text paragraph lives in a `div.text` (the paragraphs are closed by the next div).
    let text_divs: Vec<_> = ids.iter().copied().filter(|&n| doc.has_class(n, "TEXT")).collect();
    assert!(text_divs.len() >= 3);
    for div in text_divs {
        assert!(doc.children(div).any(|c| doc.tag_id(c) == Some(Tag::P)));
    }
}

#[test]
fn every_seed_keeps_balanced_structure() {
    for name in [
        "000_f3a028baaf0c539f.txt",
        "001_981f92c3f911055d.txt",
        "002_0bfac0a650c6561f.txt",
        "003_c2431004963922ef.txt",
        "004_2bbe479d0874b1ba.txt",
    ] {
        let source = seed(name);
        let doc = Document::parse(&source);
        let opens = doc.traverse(doc.root()).filter(|e| matches!(e, Edge::Open(_))).count();
        assert_eq!(opens, doc.len(), "{name}");
        // The YAML front matter is plain text, so the title line survives verbatim.
        let first_line = source.lines().nth(1).unwrap_or_default();
        if !first_line.contains('&') && !first_line.contains('<') {
            assert!(doc.text_content(doc.root()).contains(first_line), "{name}");
        }
    }
}

/// All benchmark pages parse into a tree with a body holding most of the text. Skipped when
/// the shared benchmark directory is absent.
#[test]
fn benchmark_pages_have_body_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/article-extraction/html");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} not found", dir.display());
        return;
    };
    let mut pages = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.to_string_lossy().ends_with(".html.gz") {
            continue;
        }
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()).read_to_end(&mut bytes).unwrap();
        let doc = Document::parse(&String::from_utf8_lossy(&bytes));
        let body = doc
            .descendants(doc.root())
            .find(|&n| doc.tag_id(n) == Some(Tag::Body))
            .unwrap_or_else(|| panic!("no body in {}", path.display()));
        let all = doc.text_content(doc.root());
        let in_body = doc.text_content(body);
        assert!(in_body.len() * 10 >= all.len() * 8, "{}: body holds too little text", path.display());
        pages += 1;
    }
    assert!(pages > 100);
}
