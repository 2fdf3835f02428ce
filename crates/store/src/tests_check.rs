//! Tests of reading a damaged or read-only store: read-only opening, the forgiving article walk,
//! `verify`, and restoring lost raw bytes (issue 17 item 5).

use super::*;
use crate::contract::{entry, link, seeds};
use crate::sqlite::DATABASE_FILE;
use presswatch_model::ReuseKind;
use std::path::Path;

/// A store in `dir` holding the five seeds, each indexed, the second linked to the first.
fn seeded(dir: &Path) -> (SqliteStore, Vec<Ingested>) {
    let mut store = SqliteStore::open(dir).unwrap();
    let seeds = seeds();
    let ids: Vec<DocId> = seeds.iter().map(|s| s.article.id).collect();
    let entries: Vec<IndexEntry> = seeds
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let links = if i == 1 { vec![link(ids[1], ids[0], ReuseKind::Near)] } else { Vec::new() };
            entry(s.article.id, &s.article.text, &[i as u64 + 1], &[], links)
        })
        .collect();
    store.put_batch_indexed(&seeds, &entries, &vec![None; entries.len()]).unwrap();
    (store, seeds)
}

fn damage_of<S: StoreRead>(store: &S) -> Vec<Damage> {
    let mut out = Vec::new();
    store
        .verify(&mut |d| {
            out.push(d);
            Ok(())
        })
        .unwrap();
    out
}

fn sql(dir: &Path, statement: &str, sha: &str) {
    let conn = rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap();
    conn.execute(statement, [sha]).unwrap();
}

#[test]
fn a_read_only_handle_reads_everything_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seeds) = seeded(dir.path());
    let articles = crate::contract::all_articles(&store);
    drop(store);
    let before = crate::tests::db_content(dir.path());

    let mut ro = SqliteStore::open_read_only(dir.path()).unwrap();
    assert_eq!(crate::contract::all_articles(&ro), articles);
    assert_eq!(ro.raw(&seeds[0].record.hash()).unwrap(), seeds[0].record.bytes());
    assert_eq!(ro.links_of(seeds[1].article.id).unwrap().len(), 1);
    assert!(damage_of(&ro).is_empty());
    let err = ro.record_rejections(&[("x".into(), "y".into())]).unwrap_err();
    assert!(err.to_string().contains("readonly"), "{err}");
    drop(ro);
    assert_eq!(crate::tests::db_content(dir.path()), before);
}

#[test]
fn a_read_only_handle_sees_what_is_still_in_the_write_ahead_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = SqliteStore::open(dir.path()).unwrap();
    writer.conn().pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    writer.put_batch(&seeds()).unwrap();
    let wal = dir.path().join(format!("{DATABASE_FILE}-wal"));
    assert!(std::fs::metadata(&wal).unwrap().len() > 0, "the batch is in the WAL only");
    let ro = SqliteStore::open_read_only(dir.path()).unwrap();
    assert_eq!(ro.stats().unwrap().documents, 5);
}

#[test]
fn a_read_only_handle_refuses_an_older_schema_and_a_missing_store() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open_at_version(dir.path(), 5).unwrap());
    let err = SqliteStore::open_read_only(dir.path()).expect_err("older schema refused");
    assert!(matches!(err, StoreError::NeedsMigration { found: 5, .. }), "{err}");
    let missing = dir.path().join("nothing-here");
    assert!(SqliteStore::open_read_only(&missing).is_err());
    assert!(!missing.exists(), "a read-only open creates nothing");
}

#[test]
fn the_article_walk_reports_damaged_rows_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seeds) = seeded(dir.path());
    drop(store);
    let sha: Vec<String> = seeds.iter().map(|s| s.record.hash().to_hex()).collect();
    sql(dir.path(), "UPDATE articles SET record = X'28B52FFD00' WHERE sha256 = ?1", &sha[1]);
    sql(dir.path(), "UPDATE articles SET record = 'not json' WHERE sha256 = ?1", &sha[3]);

    let store = SqliteStore::open_read_only(dir.path()).unwrap();
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let n = store
        .for_each_article_or_damage(&mut |a| {
            match a {
                Ok(a) => good.push(a.id),
                Err(d) => bad.push(d),
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(n, 5);
    // One batch: the walk's order (first seen, then id) is id order.
    let ids = |of: &[usize]| {
        let mut ids: Vec<DocId> = of.iter().map(|&i| seeds[i].article.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(good, ids(&[0, 2, 4]));
    assert_eq!(bad.iter().filter_map(|d| d.doc).collect::<Vec<_>>(), ids(&[1, 3]));
    assert!(bad.iter().all(|d| d.kind == DamageKind::Article));
    for d in &bad {
        let seed = seeds.iter().find(|s| Some(s.article.id) == d.doc).unwrap();
        assert_eq!(d.source.as_deref(), Some(seed.record.source()));
        assert!(d.detail.contains("article JSON"), "{}", d.detail);
    }
    // The strict walk still stops at the first damaged row.
    assert!(matches!(store.for_each_article(&mut |_| Ok(())), Err(StoreError::CorruptRow { .. })));
}

#[test]
fn verify_names_every_damaged_part() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seeds) = seeded(dir.path());
    assert!(damage_of(&store).is_empty());
    drop(store);
    let sha: Vec<String> = seeds.iter().map(|s| s.record.hash().to_hex()).collect();
    sql(dir.path(), "DELETE FROM blobs WHERE sha256 = ?1", &sha[0]);
    sql(dir.path(), "UPDATE blobs SET zstd = X'28B52FFD0000' WHERE sha256 = ?1", &sha[1]);
    sql(dir.path(), "UPDATE articles SET record = X'00' WHERE sha256 = ?1", &sha[2]);
    let doc3 = crate::provenance::to_sql(seeds[3].article.id).to_string();
    sql(dir.path(), "UPDATE prov_docs SET text = X'0102' WHERE doc = CAST(?1 AS INTEGER)", &doc3);
    let doc1 = crate::provenance::to_sql(seeds[1].article.id).to_string();
    sql(dir.path(), "UPDATE prov_links SET evidence = '[{' WHERE doc = CAST(?1 AS INTEGER)", &doc1);

    let store = SqliteStore::open_read_only(dir.path()).unwrap();
    let damage = damage_of(&store);
    let mut found: Vec<(DamageKind, Option<DocId>)> = damage.iter().map(|d| (d.kind, d.doc)).collect();
    found.sort();
    let id = |i: usize| Some(seeds[i].article.id);
    let mut expected = [
        (DamageKind::Blob, id(0)),
        (DamageKind::Blob, id(1)),
        (DamageKind::Article, id(2)),
        (DamageKind::Index, id(3)),
        (DamageKind::Index, id(1)),
    ];
    expected.sort();
    assert_eq!(found, expected, "{damage:#?}");
    // The forgiving link walk reports the damaged link and goes on; the strict one stops.
    let mut links = Vec::new();
    store
        .for_each_link_or_damage(&mut |l| {
            links.push(l.map(|l| l.doc).map_err(|d| (d.kind, d.doc)));
            Ok(())
        })
        .unwrap();
    assert_eq!(links, [Err((DamageKind::Index, id(1)))]);
    assert!(matches!(store.for_each_link(&mut |_| Ok(())), Err(StoreError::CorruptProvenance { .. })));
    let lost = damage.iter().find(|d| d.kind == DamageKind::Blob && d.doc == id(0)).unwrap();
    assert!(lost.detail.contains("missing"), "{}", lost.detail);
    assert_eq!(lost.source.as_deref(), Some(seeds[0].record.source()));
}

#[test]
fn verify_reports_a_damaged_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = seeded(dir.path());
    drop(store);
    // Overwrite a page in the middle of the file with garbage.
    let path = dir.path().join(DATABASE_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 16_384;
    let pages = bytes.len() / page;
    assert!(pages > 4, "{pages} pages");
    for b in &mut bytes[page * (pages / 2)..page * (pages / 2 + 1)] {
        *b = 0xA5;
    }
    std::fs::write(&path, bytes).unwrap();
    let store = SqliteStore::open_read_only(dir.path()).unwrap();
    let damage = damage_of(&store);
    assert!(damage.iter().any(|d| d.kind == DamageKind::Database), "{damage:#?}");
}

#[test]
fn restoring_writes_lost_and_damaged_blobs_again_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (store, seeds) = seeded(dir.path());
    drop(store);
    let sha: Vec<String> = seeds.iter().map(|s| s.record.hash().to_hex()).collect();
    sql(dir.path(), "DELETE FROM blobs WHERE sha256 = ?1", &sha[0]);
    sql(dir.path(), "UPDATE blobs SET zstd = X'28B52FFD0000' WHERE sha256 = ?1", &sha[2]);
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let records: Vec<Record> = seeds.iter().map(|s| s.record.clone()).collect();

    // An unknown document fails the whole call, changing nothing.
    let stranger = Record::new("x", Format::Text, b"never stored".to_vec());
    let err = store.restore_blobs(&[records[0].clone(), stranger]).unwrap_err();
    assert!(matches!(err, StoreError::UnknownDocument(_)), "{err}");
    assert!(store.raw(&records[0].hash()).is_err());

    let outcomes = store.restore_blobs(&records).unwrap();
    use PutOutcome::{AlreadyPresent as Kept, Restored};
    assert_eq!(outcomes, [Restored, Kept, Restored, Kept, Kept], "in the order given");
    for r in &records {
        assert_eq!(store.raw(&r.hash()).unwrap(), r.bytes());
    }
    assert!(damage_of(&store).is_empty());
    assert_eq!(store.restore_blobs(&records).unwrap(), [Kept; 5]);

    let mut memory = MemoryStore::new();
    memory.put_batch(&seeds).unwrap();
    assert_eq!(memory.restore_blobs(&records).unwrap(), [Kept; 5]);
}
