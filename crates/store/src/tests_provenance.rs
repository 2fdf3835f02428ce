//! Tests of the provenance index and links, against both stores.

use crate::contract::*;
use crate::tests::{db_content, row_counts};
use crate::*;
use presswatch_model::{Article, ArticleMeta, Block, BlockKind, Outlet, ReuseKind};
use presswatch_provenance::link_batch;
use std::path::Path;

#[test]
fn memory_store_keeps_the_provenance_contract() {
    provenance_contract(MemoryStore::new(), |s| s);
}

#[test]
fn sqlite_store_keeps_the_provenance_contract() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    provenance_contract(SqliteStore::open(&path).unwrap(), |s| {
        drop(s);
        SqliteStore::open(&path).unwrap()
    });
}

/// The same with the recent tables kept at one row: every batch moves all of its rows into the
/// main tables (and block counts add to the moved ones).
#[test]
fn sqlite_store_keeps_the_provenance_contract_while_moving_postings() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let open = || {
        let mut store = SqliteStore::open(&path).unwrap();
        store.recent_set_size_override = Some(1);
        store
    };
    provenance_contract(open(), |s| {
        let (main, recent) = posting_rows(&s);
        assert_eq!((main, recent), (3 + 3 + 1 + 40, 0), "postings were moved");
        // Block counts moved with them: A's 10 and 11, B's 10, summed.
        assert_eq!((count(&s, "outlet_blocks"), count(&s, "outlet_blocks_recent")), (2, 0));
        drop(s);
        open()
    });
    let store = open();
    let (main, recent) = posting_rows(&store);
    assert_eq!((main, recent), (1, 0), "cleared, then B indexed again (and moved at once)");
}

/// Rows of `prov_keys` and `prov_keys_recent`.
fn posting_rows(store: &SqliteStore) -> (i64, i64) {
    (count(store, "prov_keys"), count(store, "prov_keys_recent"))
}

fn count(store: &SqliteStore, table: &str) -> i64 {
    store.conn().query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

/// The seed fixtures as articles whose blocks are their paragraphs, from one outlet each.
fn seed_articles() -> Vec<Ingested> {
    seeds()
        .into_iter()
        .enumerate()
        .map(|(i, s)| article_of(s.record.source(), s.record.bytes().to_vec(), &format!("Outlet {i}"), i))
        .collect()
}

fn article_of(source: &str, bytes: Vec<u8>, outlet: &str, day: usize) -> Ingested {
    let mut item = ingested(source, Format::Markdown, bytes, outlet, Some("en"));
    let text = String::from_utf8_lossy(item.record.bytes()).into_owned();
    let blocks: Vec<Block> = text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with("---"))
        .map(|p| Block { kind: BlockKind::Paragraph, text: p.to_string(), language: None })
        .collect();
    let article = Article {
        meta: ArticleMeta {
            title: item.article.meta.title.clone(),
            outlet: Outlet::new(outlet),
            published: format!("2024-05-{:02}", day + 1).parse().ok(),
            ..Default::default()
        },
        blocks,
        ..Default::default()
    };
    item.article = ArticleRecord::new(source.to_string(), item.record.hash(), Format::Markdown, article);
    item
}

/// Runs the real stage against the store, then stores the batch with what it found.
fn ingest_with_stage<S: Store + IndexRead<Error = StoreError>>(
    store: &mut S,
    batch: &mut [Ingested],
) -> Vec<IndexEntry> {
    let articles: Vec<ArticleRecord> = batch.iter().map(|i| i.article.clone()).collect();
    let indexed: Vec<IndexEntry> =
        link_batch(&*store, &articles, Vec::new()).unwrap().iter().map(|ix| ix.entry()).collect();
    let published: Vec<Option<Published>> = indexed
        .iter()
        .map(|ix| batch.iter().find(|i| i.article.id == ix.doc).and_then(|i| i.article.meta.published))
        .collect();
    store.put_batch_indexed(batch, &indexed, &published).unwrap();
    indexed
}

/// A copy ingested in a later batch is found through the stored index, not recomputed.
fn stage_matches_later_batches<S: Store + IndexRead<Error = StoreError>>(
    mut store: S,
    reopen: impl Fn(S) -> S,
) {
    let mut first = seed_articles();
    let indexed = ingest_with_stage(&mut store, &mut first);
    assert_eq!(indexed.len(), 5);
    let mut store = reopen(store);
    let original = &first[0];
    let copy_bytes = String::from_utf8_lossy(original.record.bytes()).to_uppercase().into_bytes();
    let mut second = vec![article_of("copies/upper.md", copy_bytes, "Copier", 9)];
    let indexed = ingest_with_stage(&mut store, &mut second);
    let (orig, copy) = (original.article.id, second[0].article.id);
    assert_eq!(indexed[0].links.len(), 1, "{:?}", indexed[0].links);
    assert_eq!(indexed[0].links[0].other, orig);
    let links = store.links_of(orig).unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!((links[0].doc, links[0].other, links[0].kind), (copy, orig, ReuseKind::Exact));
    assert!(!links[0].evidence.is_empty());
    assert_eq!(store.doc_time(copy).unwrap().map(|t| t.seen), Some(6));
    assert_eq!(
        store.doc_time(orig).unwrap().and_then(|t| t.published).map(|p| p.to_string()).as_deref(),
        Some("2024-05-01")
    );
    // Re-ingesting the copy finds and changes nothing.
    let before = all_links(&store);
    let again = ingest_with_stage(&mut store, &mut second);
    assert_eq!(again.len(), 1);
    assert_eq!(all_links(&store), before);
    assert_eq!(doc_times(&store).len(), 6);
    assert_eq!(store.stats().unwrap().linked, 2);
}

#[test]
fn memory_store_serves_the_stage() {
    stage_matches_later_batches(MemoryStore::new(), |s| s);
}

#[test]
fn sqlite_store_serves_the_stage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    stage_matches_later_batches(SqliteStore::open(&path).unwrap(), |s| {
        drop(s);
        SqliteStore::open(&path).unwrap()
    });
}

#[test]
fn masked_spans_are_kept_by_both_stores() {
    masked_spans_are_kept(MemoryStore::new(), |s| s);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    masked_spans_are_kept(SqliteStore::open(&path).unwrap(), |s| {
        drop(s);
        SqliteStore::open(&path).unwrap()
    });
}

fn prov_counts(dir: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap();
    ["prov_docs", "prov_keys", "prov_keys_recent", "prov_links", "outlet_blocks", "outlet_blocks_recent"]
        .iter()
        .map(|t| conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0)).unwrap())
        .collect()
}

fn synthetic_entries(batch: &[Ingested]) -> Vec<IndexEntry> {
    batch
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let doc = item.article.id;
            let keys: Vec<u64> = (0..5).map(|k| (i * 5 + k) as u64).collect();
            entry(doc, &item.article.text, &keys, &[1], Vec::new())
        })
        .collect()
}

#[test]
fn a_batch_whose_index_fails_midway_stores_nothing() {
    for size in [3, 40] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let batch: Vec<Ingested> = (0..size).map(synthetic).collect();
        let mut entries = synthetic_entries(&batch);
        let last = entries.len() - 1;
        let found = link(entries[last].doc, entries[0].doc, ReuseKind::Partial);
        entries[last].links.push(found);
        let published = vec![None; size];
        // The last posting written (they go in key order) is refused.
        let last_key = (size * 5 - 1) as i64;
        store
            .conn()
            .execute_batch(&format!(
                "CREATE TRIGGER refuse BEFORE INSERT ON prov_keys_recent WHEN NEW.key = {last_key}
                 BEGIN SELECT RAISE(ABORT, 'disk says no'); END;"
            ))
            .unwrap();
        let err = store.put_batch_indexed(&batch, &entries, &published).unwrap_err();
        assert!(matches!(err, StoreError::Database { .. }), "{err}");
        assert_eq!(row_counts(dir.path()), [0, 0, 0, 0, 0], "batch of {size}");
        assert_eq!(prov_counts(dir.path()), [0, 0, 0, 0, 0, 0], "batch of {size}");

        store.conn().execute_batch("DROP TRIGGER refuse").unwrap();
        assert_eq!(
            store.put_batch_indexed(&batch, &entries, &published).unwrap(),
            vec![PutOutcome::Added; size]
        );
        // Where the rows are (main or recent tables) depends on the slice moved; in all, all.
        let [docs, keys, recent_keys, links, blocks, recent_blocks] = prov_counts(dir.path())[..] else {
            panic!("six tables")
        };
        assert_eq!(
            [docs, keys + recent_keys, links, blocks + recent_blocks],
            [size as i64, size as i64 * 5, 1, 1]
        );
        assert_eq!(store.outlet_block_counts(&[1]).unwrap(), [size as u32]);
        // The same again: nothing changes anywhere.
        let content = db_content(dir.path());
        let outcomes = store.put_batch_indexed(&batch, &entries, &published).unwrap();
        assert_eq!(outcomes, vec![PutOutcome::AlreadyPresent; size]);
        assert_eq!(db_content(dir.path()), content);
    }
}

#[test]
fn a_version_3_store_is_migrated_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<Ingested> = seeds().into_iter().chain((0..3).map(synthetic)).collect();
    {
        let mut store = SqliteStore::open_at_version(dir.path(), 3).unwrap();
        assert_eq!(store.schema_version().unwrap(), 3);
        store.put_batch(&items).unwrap();
        let tables: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'prov_%'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0);
    }
    let before = db_content(dir.path());
    let mut store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), crate::schema::latest_version());
    let mut after = db_content(dir.path());
    let new_tables = [
        "prov_docs",
        "prov_keys",
        "prov_keys_recent",
        "prov_links",
        "outlet_blocks",
        "outlet_blocks_recent",
        "prov_key_filter",
        "prov_move_cursor",
    ];
    for table in new_tables {
        assert_eq!(after.remove(table).map(|rows| rows.len()), Some(0), "{table}");
    }
    assert!(after == before, "migration changed stored rows");
    for item in &items {
        assert_eq!(store.raw(&item.record.hash()).unwrap(), item.record.bytes());
        assert_eq!(store.article(&item.article.id.to_string()).unwrap().as_ref(), Some(&item.article));
    }
    assert!(doc_times(&store).is_empty());
    // The migrated store indexes like a new one.
    let entries = synthetic_entries(&items);
    let published = vec![None; items.len()];
    store.put_batch_indexed(&items, &entries, &published).unwrap();
    assert_eq!(doc_times(&store).len(), items.len());
    assert!(store.is_indexed(entries[0].doc).unwrap());
    assert_eq!(store.stats().unwrap().documents, items.len() as u64);
    assert!(store.check_integrity().unwrap().is_ok());
}

/// With spread keys, every batch moves one slice of the key space: the recent table stays at a
/// steady size instead of growing to the set size and emptying at once, and every posting stays
/// readable.
#[test]
fn recent_postings_move_a_slice_per_batch_and_stay_readable() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    store.recent_set_size_override = Some(400);
    let spread = |n: u64| presswatch_text::mix(n) >> 1;
    let mut recent_sizes = Vec::new();
    for round in 0..12u64 {
        let batch: Vec<Ingested> = (0..10).map(|i| synthetic((round * 10 + i) as usize)).collect();
        let entries: Vec<IndexEntry> = batch
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let n = round * 10 + i as u64;
                let keys: Vec<u64> = (0..10).map(|k| spread(n * 10 + k)).collect();
                entry(item.article.id, &item.article.text, &keys, &[], Vec::new())
            })
            .collect();
        store.put_batch_indexed(&batch, &entries, &vec![None; batch.len()]).unwrap();
        recent_sizes.push(posting_rows(&store).1);
    }
    let (main, recent) = posting_rows(&store);
    assert_eq!(main + recent, 1200, "every posting is in one table or the other");
    assert!(main > 0 && recent > 0, "{main} moved, {recent} recent");
    // 100 rows written per batch, a quarter of the key space moved: a slice waits four batches,
    // so about 150 rows are recent at any time (half the set size, less what moves at once).
    assert!(recent_sizes.iter().all(|&r| r <= 600), "{recent_sizes:?}");
    assert!(recent_sizes[6..].iter().all(|&r| r >= 100), "never emptied at once: {recent_sizes:?}");
    for n in 0..1200u64 {
        let found = store.postings(&[spread(n)], 32).unwrap();
        assert_eq!(found.len(), 1, "posting {n}");
    }
    // The key filter answers for keys no document holds (at 16 bits a key, a few in a thousand
    // would be looked up; none is found).
    assert!((1200..3200u64).all(|n| store.postings(&[spread(n)], 32).unwrap().is_empty()));
    let drop_and_reopen = SqliteStore::open(dir.path()).unwrap();
    assert!((0..1200u64).all(|n| drop_and_reopen.postings(&[spread(n)], 32).unwrap().len() == 1));
}

/// Indexes `docs` synthetic documents with ten spread keys each and one outlet block; returns
/// the keys.
fn index_spread(store: &mut SqliteStore, docs: std::ops::Range<u64>) -> Vec<u64> {
    let spread = |n: u64| presswatch_text::mix(n) >> 1;
    let batch: Vec<Ingested> = docs.clone().map(|i| synthetic(i as usize)).collect();
    let mut keys = Vec::new();
    let entries: Vec<IndexEntry> = batch
        .iter()
        .zip(docs)
        .map(|(item, n)| {
            let own: Vec<u64> = (0..10).map(|k| spread(n * 10 + k)).collect();
            keys.extend(&own);
            entry(item.article.id, &item.article.text, &own, &[spread(n) ^ 1], Vec::new())
        })
        .collect();
    store.put_batch_indexed(&batch, &entries, &vec![None; batch.len()]).unwrap();
    keys
}

/// A store indexed before the key filter existed gets one when opened, and finds every key.
#[test]
fn an_index_written_before_the_key_filter_gets_one() {
    let dir = tempfile::tempdir().unwrap();
    let keys = {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        store.recent_set_size_override = Some(1);
        let keys = index_spread(&mut store, 0..50);
        // What version 4 wrote: the same tables without the filter.
        store
            .conn()
            .execute_batch(
                "DROP TABLE prov_key_filter; DROP TABLE prov_move_cursor;
                 ALTER TABLE prov_docs DROP COLUMN masked; DROP TABLE entity_docs;
                 DROP TABLE entity_aliases; DROP TABLE entity_keys; DROP TABLE entities;
                 DROP TABLE quote_index; DROP TABLE quote_keys; DROP TABLE quote_links;
                 DROP TABLE search_changes;
                 DROP TRIGGER search_article_insert; DROP TRIGGER search_article_update;
                 DROP TRIGGER search_link_insert; DROP TRIGGER search_link_delete;
                 DROP TABLE stories; DROP TABLE story_docs; DROP TABLE story_merges;
                 DROP TABLE story_postings; DROP TABLE story_terms;
                 PRAGMA user_version = 4;",
            )
            .unwrap();
        keys
    };
    let content = db_content(dir.path());
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), crate::schema::latest_version());
    assert!(count(&store, "prov_key_filter") > 0, "the filter was built");
    let mut after = db_content(dir.path());
    after.remove("prov_key_filter");
    after.remove("prov_move_cursor");
    assert!(after == content, "building the filter changed nothing else");
    assert_eq!(posting_rows(&store), (500, 0), "all postings were in the main table");
    for key in keys {
        assert_eq!(store.postings(&[key], 32).unwrap().len(), 1);
    }
    assert_eq!(store.outlet_block_counts(&[(presswatch_text::mix(7) >> 1) ^ 1]).unwrap(), [1]);
}

/// Another process's writes are seen: its commit makes the loaded filter stale.
#[test]
fn keys_another_connection_indexes_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let reader = SqliteStore::open(dir.path()).unwrap();
    let spread = |n: u64| presswatch_text::mix(n) >> 1;
    assert!(reader.postings(&[spread(0)], 32).unwrap().is_empty(), "loads the (empty) filter");
    for (docs, moved) in [(0..5, false), (5..10, true)] {
        let mut writer = SqliteStore::open(dir.path()).unwrap();
        if moved {
            writer.recent_set_size_override = Some(1);
        }
        let keys = index_spread(&mut writer, docs);
        drop(writer);
        for key in keys {
            assert_eq!(reader.postings(&[key], 32).unwrap().len(), 1, "moved: {moved}");
        }
    }
}

/// Each process goes on moving where the last one stopped: short ingests go round the whole key
/// space instead of moving its first slices again and again.
#[test]
fn the_move_cursor_outlives_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let cursor = |store: &SqliteStore| -> i64 {
        store.conn().query_row("SELECT cursor FROM prov_move_cursor", [], |r| r.get(0)).unwrap()
    };
    let mut cursors = Vec::new();
    for round in 0..3u64 {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        store.recent_set_size_override = Some(400);
        index_spread(&mut store, round * 10..round * 10 + 10);
        cursors.push(cursor(&store));
    }
    // 110 rows written per batch (100 postings, 10 block counts) against a set size of 400.
    let step = ((1i128 << 63) * 110 / 400) as i64;
    assert_eq!(cursors, [step, 2 * step, 3 * step]);
}
