//! The stage's answer does not depend on where batches are cut: `presswatch reprocess` cuts a
//! store's documents into other batches than the ingest that stored them did, and must find the
//! same links (issue 17 item 1: a reprocess gave 66 of 15,000 records other evidence spans).

use crate::common::{seeds, set_paragraphs};
use presswatch_model::{ArticleRecord, Format, Outlet};
use presswatch_provenance::{link_batch, Indexed, MemoryIndex, POSTINGS_PER_KEY};

/// An article of `text` whose id is `id` (ids are given out of order on purpose).
fn article(id: u64, text: &str) -> ArticleRecord {
    let hex = format!("{id:016x}");
    let mut a = ArticleRecord::new(
        format!("test#{hex}"),
        format!("{hex:0<64}").parse().unwrap(),
        Format::Text,
        Default::default(),
    );
    a.meta.outlet = Outlet::new(&format!("outlet {}", id % 5));
    set_paragraphs(&mut a, text);
    a
}

/// The seeds, and far more near copies of the longest one than a key's postings are read
/// (each with a sentence of its own), with ids falling as they come so that id order is not
/// arrival order.
fn corpus() -> Vec<ArticleRecord> {
    let seeds = seeds();
    let original = seeds.iter().max_by_key(|a| a.text.len()).unwrap().text.clone();
    let mut out = Vec::new();
    for (i, seed) in seeds.iter().enumerate() {
        out.push(article(0x7000_0000_0000_0000 + i as u64, &seed.text));
    }
    for i in 0..(2 * POSTINGS_PER_KEY as u64 + 10) {
        let text = format!("{original}\n\nCorrection number {i}: an earlier version misspelt a name.");
        out.push(article(0x6000_0000_0000_0000 - i * 7919, &text));
    }
    out
}

/// Every document's index entry and links, running the stage over `articles` in batches of
/// `size` against an index that keeps what each batch returned.
fn run(articles: &[ArticleRecord], size: usize) -> Vec<Indexed> {
    let mut index = MemoryIndex::default();
    let mut out = Vec::new();
    for chunk in articles.chunks(size) {
        let indexed = link_batch(&index, chunk, vec![]).unwrap();
        index.add(&indexed);
        out.extend(indexed);
    }
    out
}

#[test]
fn links_do_not_depend_on_where_batches_are_cut() {
    let articles = corpus();
    let whole = run(&articles, articles.len());
    let linked = whole.iter().filter(|ix| !ix.links.is_empty()).count();
    assert!(linked > 2 * POSTINGS_PER_KEY, "the copies are linked: {linked}");
    for size in [1, 7, 20, 33, 50] {
        let cut = run(&articles, size);
        assert_eq!(cut.len(), whole.len());
        for (a, b) in whole.iter().zip(&cut) {
            assert_eq!(a, b, "document {} differs with batches of {size}", a.doc);
        }
    }
}
