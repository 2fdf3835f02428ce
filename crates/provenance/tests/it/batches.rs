//! The stage's answer does not depend on where batches are cut: `presswatch reprocess` cuts a
//! store's documents into other batches than the ingest that stored them did, and must find the
//! same links (issue 17 item 1: a reprocess gave 66 of 15,000 records other evidence spans).

use crate::common::{seeds, set_paragraphs};
use presswatch_model::{ArticleRecord, Format, Outlet};
use presswatch_provenance::fingerprint::keys;
use presswatch_provenance::text::tokenize;
use presswatch_provenance::{
    link_batch, prepare, Indexed, MemoryIndex, Prepared, POSTINGS_PER_KEY, TOKENS_KEPT_UP_TO,
};

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

/// A text longer than [`TOKENS_KEPT_UP_TO`] is prepared without its tokens (keyed a piece at a
/// time) and tokenized only when a candidate is aligned with it: the stage finds the same links
/// as with every document's tokens prepared, and a long copy is found.
#[test]
fn tokens_made_on_demand_give_the_same_links() {
    let mut articles = corpus();
    // Sentences of the seeds' words in a seeded random order: every one its own.
    let words: Vec<String> =
        articles[..5].iter().flat_map(|a| a.text.split_whitespace().map(String::from)).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut long = String::new();
    while long.len() <= TOKENS_KEPT_UP_TO + 100_000 {
        for _ in 0..5 {
            let len = 8 + next(12);
            let sentence: Vec<&str> = (0..len).map(|_| words[next(words.len())].as_str()).collect();
            long.push_str(&sentence.join(" "));
            long.push_str(". ");
        }
        long.push_str("\n\n");
    }
    // (Without an outlet: none of their blocks is masked as the outlet's, so they match whole.)
    for (id, text) in [(1, long.clone()), (2, format!("{long}\n\nA line of its own at the end."))] {
        let mut a = article(0x5000_0000_0000_0000 + id, &text);
        a.meta.outlet = None;
        articles.push(a);
    }
    let eager: Vec<Prepared> = articles
        .iter()
        .map(|a| {
            let tokens = tokenize(&a.text);
            Prepared { keys: keys(&tokens), tokens: Some(tokens) }
        })
        .collect();
    let lazy: Vec<Prepared> =
        articles.iter().map(|a| Prepared { keys: keys(&tokenize(&a.text)), tokens: None }).collect();
    let long = &articles[articles.len() - 2].text;
    assert!(prepare(long).tokens.is_none(), "a long text is prepared without its tokens");
    assert_eq!(prepare(long).keys, eager[articles.len() - 2].keys);
    let index = MemoryIndex::default();
    let with_tokens = link_batch(&index, &articles, eager.into_iter().map(Some).collect()).unwrap();
    let on_demand = link_batch(&index, &articles, lazy.into_iter().map(Some).collect()).unwrap();
    assert_eq!(with_tokens, on_demand);
    let copy = with_tokens.last().unwrap();
    assert!(copy.links.iter().any(|l| l.other == articles[articles.len() - 2].id), "the long copy is found");
}
