//! The store traits are `Send + Sync`: one `SqliteStore` reader shared by several threads (as a
//! server shares it behind an `Arc`) while another handle ingests. Readers must neither fail nor
//! wait for the ingest, and each read transaction must see whole batches only.

use crate::corpus::{index_entry, record};
use presswatch_model::{IndexEntry, IndexRead};
use presswatch_store::{
    in_read_transaction, Ingested, MemoryStore, SqliteStore, Store, StoreRead, StoreWrite,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const BATCH: usize = 50;
const BATCHES: usize = 30;
const READERS: usize = 4;

fn assert_send_sync<T: Send + Sync + ?Sized>() {}

#[test]
fn stores_and_store_trait_objects_are_send_and_sync() {
    assert_send_sync::<SqliteStore>();
    assert_send_sync::<MemoryStore>();
    assert_send_sync::<dyn StoreRead>();
    assert_send_sync::<dyn StoreWrite>();
    assert_send_sync::<dyn Store>();
}

/// Batch `k` of the corpus with its provenance index entries.
fn batch(k: usize) -> (Vec<Ingested>, Vec<IndexEntry>) {
    let start = k * BATCH;
    let items: Vec<Ingested> = (start..start + BATCH).map(record).collect();
    let index = items.iter().enumerate().map(|(j, item)| index_entry(start + j, item)).collect();
    (items, index)
}

/// What one read transaction saw: documents by count, by article walk, by document walk, and
/// indexed documents. Inside one snapshot all four are equal and a whole number of batches.
fn snapshot_counts(reader: &SqliteStore) -> [u64; 4] {
    in_read_transaction(reader, || {
        let stats = reader.stats()?;
        let mut articles = 0;
        reader.for_each_article(&mut |article| {
            // A callback that reads the same store again, on the thread that holds it.
            if articles % 16 == 0 {
                let raw = reader.raw(&article.sha256)?;
                assert!(!raw.is_empty());
                assert!(reader.is_indexed(article.id)?);
                assert!(reader.text(article.id)?.is_some());
            }
            articles += 1;
            Ok(())
        })?;
        let documents = reader.for_each_document(&mut |_| Ok(()))?;
        let indexed = reader.for_each_doc_time(&mut |_, _| Ok(()))?;
        Ok([stats.documents, articles, documents, indexed])
    })
    .expect("read transaction")
}

#[test]
fn one_shared_reader_serves_four_threads_while_another_handle_ingests() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = SqliteStore::open(dir.path()).expect("open writer");
    let (items, index) = batch(0);
    writer.put_batch_indexed(&items, &index, &vec![None; index.len()]).expect("first batch");

    let reader = Arc::new(SqliteStore::open(dir.path()).expect("open reader"));
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..READERS)
        .map(|t| {
            let (reader, done) = (Arc::clone(&reader), Arc::clone(&done));
            std::thread::spawn(move || {
                let first = record(t);
                let mut last = 0;
                let mut rounds = 0;
                loop {
                    // Read before the round: a round begun after the ingest ended sees all of it.
                    let ingest_over = done.load(Ordering::Acquire);
                    let counts = snapshot_counts(&reader);
                    let [documents, ..] = counts;
                    assert_eq!(counts, [documents; 4], "one snapshot, one count");
                    assert_eq!(documents % BATCH as u64, 0, "a half batch was visible: {counts:?}");
                    assert!(documents >= last, "went back from {last} to {documents} documents");
                    last = documents;
                    // Single lookups outside a transaction.
                    let hash = first.record.hash();
                    assert!(reader.contains(&hash).expect("contains"));
                    let article = reader.article(&hash.to_hex()).expect("article").expect("stored");
                    assert_eq!(article.id, first.article.id);
                    assert_eq!(reader.raw(&hash).expect("raw"), first.record.bytes());
                    assert_eq!(reader.sources(&hash).expect("sources"), [first.record.source()]);
                    rounds += 1;
                    if ingest_over && rounds >= 2 {
                        break;
                    }
                }
                (rounds, last)
            })
        })
        .collect();

    for k in 1..BATCHES {
        let (items, index) = batch(k);
        writer.put_batch_indexed(&items, &index, &vec![None; index.len()]).expect("ingest batch");
    }
    done.store(true, Ordering::Release);
    for handle in readers {
        let (rounds, last) = handle.join().expect("a reader thread failed");
        assert!(rounds >= 2);
        assert_eq!(last, (BATCH * BATCHES) as u64, "the last rounds see the whole ingest");
    }
    assert_eq!(snapshot_counts(&reader), [(BATCH * BATCHES) as u64; 4]);
}
