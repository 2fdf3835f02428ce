//! A synthetic corpus shared by the tests: varied records and their provenance index entries.

use presswatch_model::{
    Article, ArticleMeta, ArticleRecord, Block, BlockKind, Format, IndexEntry, Outlet, Record,
};
use presswatch_store::Ingested;

/// Index keys per record: enough postings per batch to make the index a real part of a commit.
pub(crate) const KEYS: usize = 40;

/// Record `i` of the corpus: a few kB of varied words, so blobs take real compression work.
pub(crate) fn record(i: usize) -> Ingested {
    let mut state = (i as u64).wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let words = ["press", "watch", "minister", "said", "on", "Tuesday", "market", "budget", "the"];
    let mut text = format!("Article {i}\n\n");
    let n_words = 300 + i % 700;
    for _ in 0..n_words {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let w = words[(state >> 33) as usize % words.len()];
        text.push_str(w);
        text.push_str(if (state >> 20) & 15 == 0 { ".\n" } else { " " });
    }
    text.push_str(&format!("{state:x}\n"));
    let record = Record::new(format!("corpus/{i}.txt"), Format::Text, text.into_bytes());
    let article = Article {
        meta: ArticleMeta {
            title: Some(format!("Article {i}")),
            outlet: Outlet::new(&format!("outlet{}", i % 17)),
            ..Default::default()
        },
        blocks: vec![Block { kind: BlockKind::Paragraph, text: format!("body {i}"), language: None }],
        ..Default::default()
    };
    let article = ArticleRecord::new(record.source().to_string(), record.hash(), record.format(), article);
    Ingested { record, article }
}

/// The provenance index entry of a record (synthetic keys, no links: the stage is not under test).
pub(crate) fn index_entry(i: usize, item: &Ingested) -> IndexEntry {
    let doc = item.article.id;
    let keys = (0..KEYS).map(|k| ((i * KEYS + k) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 1).collect();
    IndexEntry {
        doc,
        text: item.article.text.clone(),
        masked: Vec::new(),
        keys,
        outlet_blocks: vec![(i % 17) as u64],
        links: Vec::new(),
        ..Default::default()
    }
}
