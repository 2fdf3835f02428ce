//! Tests of the [`Store`] contract, run against every implementation, and of the SQLite store's
//! on-disk guarantees.

use super::*;
use crate::contract::*;
use crate::sqlite::DATABASE_FILE;
use presswatch_model::{Block, BlockKind, ReuseKind};
use rusqlite::types::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The hex forms the SQL in these tests compares with.
trait Hex {
    fn sha256(&self) -> String;
}

impl Hex for Record {
    fn sha256(&self) -> String {
        self.hash().to_hex()
    }
}

#[test]
fn memory_store_keeps_the_contract() {
    store_contract(MemoryStore::new(), |s| s);
}

#[test]
fn sqlite_store_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let store = SqliteStore::open(&path).unwrap();
    store_contract(store, |s| {
        drop(s);
        SqliteStore::open(&path).unwrap()
    });
    let report = SqliteStore::open(&path).unwrap().check_integrity().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.documents_checked, 12 + TOP_OUTLETS as u64 + 5);
}

/// Every row of every table, in a fixed order: what "changes nothing" is checked against.
pub(crate) fn db_content(dir: &Path) -> BTreeMap<&'static str, Vec<Vec<Value>>> {
    let conn = rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap();
    let tables = [
        ("documents", "SELECT rowid, * FROM documents ORDER BY rowid"),
        ("sources", "SELECT * FROM sources ORDER BY sha256, source"),
        ("articles", "SELECT rowid, * FROM articles ORDER BY rowid"),
        ("rejections", "SELECT * FROM rejections ORDER BY source"),
        ("blobs", "SELECT rowid, * FROM blobs ORDER BY rowid"),
        // The columns every version has (`masked`, from version 6, is NULL after a migration).
        ("prov_docs", "SELECT doc, seen, published, text FROM prov_docs ORDER BY doc"),
        ("prov_keys", "SELECT * FROM prov_keys ORDER BY key, seen"),
        ("prov_keys_recent", "SELECT * FROM prov_keys_recent ORDER BY key, seen"),
        ("prov_links", "SELECT * FROM prov_links ORDER BY doc, other"),
        ("outlet_blocks", "SELECT * FROM outlet_blocks ORDER BY key"),
        ("outlet_blocks_recent", "SELECT * FROM outlet_blocks_recent ORDER BY key"),
        ("prov_key_filter", "SELECT * FROM prov_key_filter ORDER BY block"),
        ("prov_move_cursor", "SELECT * FROM prov_move_cursor"),
    ];
    let exists = |table: &str| -> bool {
        conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE name = ?1", [table], |r| r.get::<_, i64>(0))
            .unwrap()
            > 0
    };
    // Tables of later schema versions are absent from older stores.
    tables
        .into_iter()
        .filter(|(table, _)| exists(table))
        .map(|(table, sql)| {
            let mut stmt = conn.prepare(sql).unwrap();
            let columns = stmt.column_count();
            let rows = stmt
                .query_map([], |row| (0..columns).map(|i| row.get::<_, Value>(i)).collect())
                .unwrap()
                .collect::<Result<Vec<Vec<Value>>, _>>()
                .unwrap();
            (table, rows)
        })
        .collect()
}

pub(crate) fn row_counts(dir: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap();
    ["documents", "sources", "articles", "rejections", "blobs"]
        .iter()
        .map(|t| conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0)).unwrap())
        .collect()
}

/// The names in a store directory: the database, SQLite's companions and the search index,
/// nothing else.
fn store_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in &names {
        assert!(
            name.starts_with(DATABASE_FILE) || name == SEARCH_DIR,
            "unexpected {name} in the store directory"
        );
    }
    names
}

#[test]
fn article_text_is_stored_once_and_always_comes_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let derived = synthetic(1);
    let mut custom = synthetic(2);
    custom.article.text = "A text that is not what the blocks give.".into();
    let mut emptied = synthetic(3);
    emptied.article.text.clear();
    let mut captioned = synthetic(4);
    captioned
        .article
        .blocks
        .insert(0, Block { kind: BlockKind::Caption, text: "A caption".into(), language: None });
    captioned.article.blocks.push(Block { kind: BlockKind::Heading, text: "End".into(), language: None });
    captioned.article.text = format!("{}\n\nEnd", captioned.article.text);
    let batch = [derived, custom, emptied, captioned];
    store.put_batch(&batch).unwrap();
    for item in &batch {
        assert_eq!(store.article(&item.article.id.to_string()).unwrap().as_ref(), Some(&item.article));
    }
    let stored: Vec<(String, bool)> = {
        let conn = store.conn();
        let mut stmt = conn.prepare("SELECT sha256, text_derived FROM articles").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let derived_flag: HashMap<String, bool> = stored.into_iter().collect();
    let flags: Vec<bool> = batch.iter().map(|i| derived_flag[&i.article.sha256.to_hex()]).collect();
    assert_eq!(flags, [true, false, false, true]);
    let listed = all_articles(&store);
    for item in &batch {
        assert!(listed.contains(&item.article));
    }
    // Records are stored compressed; a row in the older plain-JSON form still reads back.
    let kinds: Vec<String> = {
        let conn = store.conn();
        let mut stmt = conn.prepare("SELECT DISTINCT typeof(record) FROM articles").unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(kinds, ["blob"]);
    let custom = &batch[1].article;
    let json = serde_json::to_string(custom).unwrap();
    store
        .conn()
        .execute(
            "UPDATE articles SET record = ?2, text_derived = 0 WHERE sha256 = ?1",
            rusqlite::params![custom.sha256.to_hex(), json],
        )
        .unwrap();
    assert_eq!(store.article(&custom.id.to_string()).unwrap().as_ref(), Some(custom));
    // A damaged record is an error naming the document, not a panic.
    store
        .conn()
        .execute("UPDATE articles SET record = X'28B52FFD0000' WHERE sha256 = ?1", [custom.sha256.to_hex()])
        .unwrap();
    let err = store.article(&custom.id.to_string()).unwrap_err();
    assert!(
        matches!(&err, StoreError::CorruptRow { sha256, .. } if *sha256 == custom.sha256.to_hex()),
        "{err}"
    );
}

#[test]
fn reputting_changes_nothing_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    // Large enough to take the multi-threaded encoding path.
    let batch: Vec<Ingested> = seeds().into_iter().chain((0..50).map(synthetic)).collect();
    assert!(super::sqlite::PARALLEL_MIN < batch.len());
    store.put_batch(&batch).unwrap();
    store.record_rejections(&[("x".into(), "empty".into())]).unwrap();
    assert_eq!(row_counts(dir.path()), [55, 55, 55, 1, 55]);
    let content = db_content(dir.path());
    // Encoders finish in any order; `seq` keeps the batch's.
    let seq: std::collections::HashMap<ContentHash, u64> =
        all_documents(&store).into_iter().map(|d| (d.sha256, d.seq)).collect();
    let stored: Vec<u64> = batch.iter().map(|i| seq[&i.record.hash()]).collect();
    assert!(stored.windows(2).all(|w| w[0] < w[1]), "{stored:?}");

    for _ in 0..2 {
        assert!(store.put_batch(&batch).unwrap().iter().all(|o| *o == PutOutcome::AlreadyPresent));
        store.record_rejections(&[("x".into(), "empty".into())]).unwrap();
        assert_eq!(db_content(dir.path()), content);
    }
    drop(store);
    let mut store = SqliteStore::open(dir.path()).unwrap();
    store.put_batch(&batch).unwrap();
    assert_eq!(db_content(dir.path()), content);
    for item in &batch {
        assert_eq!(
            store.raw(&item.record.sha256().parse::<ContentHash>().unwrap()).unwrap(),
            item.record.bytes()
        );
        assert_eq!(store.article(&item.article.id.to_string()).unwrap().as_ref(), Some(&item.article));
    }
    // No blob files, no temporary files: the database holds everything.
    store_files(dir.path());
}

#[test]
fn blobs_are_compressed_content_addressed_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let mut items = seeds();
    items.push(ingested("empty.txt", Format::Text, Vec::new(), "E", None));
    store.put_batch(&items).unwrap();
    for s in &items {
        let sha = s.record.sha256();
        let (raw_len, compressed): (i64, Vec<u8>) = store
            .conn()
            .query_row("SELECT raw_len, zstd FROM blobs WHERE sha256 = ?1", [&sha], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(raw_len as usize, s.record.bytes().len());
        if !s.record.bytes().is_empty() {
            assert!(compressed.len() < s.record.bytes().len(), "{sha} is not compressed");
        }
        assert_eq!(zstd::decode_all(compressed.as_slice()).unwrap(), s.record.bytes());
        assert_eq!(store.raw(&sha.parse::<ContentHash>().unwrap()).unwrap(), s.record.bytes());
    }
    assert_eq!(row_counts(dir.path())[4], items.len() as i64);
    store_files(dir.path());
}

#[test]
fn corrupt_truncated_and_missing_blobs_are_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let seeds = seeds();
    store.put_batch(&seeds).unwrap();
    let sha: Vec<String> = seeds.iter().map(|s| s.record.sha256()).collect();
    let frame = |store: &SqliteStore, sha: &str| -> Vec<u8> {
        store.conn().query_row("SELECT zstd FROM blobs WHERE sha256 = ?1", [sha], |r| r.get(0)).unwrap()
    };
    let set_frame = |store: &SqliteStore, sha: &str, bytes: &[u8]| {
        store
            .conn()
            .execute("UPDATE blobs SET zstd = ?2 WHERE sha256 = ?1", rusqlite::params![sha, bytes])
            .unwrap();
    };

    // Flip one byte in the middle of the compressed data.
    let mut bytes = frame(&store, &sha[0]);
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    set_frame(&store, &sha[0], &bytes);
    let err = store.raw(&sha[0].parse::<ContentHash>().unwrap()).unwrap_err();
    assert!(matches!(&err, StoreError::CorruptBlob { sha256, .. } if *sha256 == sha[0]), "{err}");
    assert!(err.to_string().contains(&sha[0]), "{err}");

    // Cut a blob short.
    let bytes = frame(&store, &sha[1]);
    set_frame(&store, &sha[1], &bytes[..bytes.len() / 2]);
    let err = store.raw(&sha[1].parse::<ContentHash>().unwrap()).unwrap_err();
    assert!(matches!(&err, StoreError::CorruptBlob { sha256, .. } if *sha256 == sha[1]), "{err}");

    // A valid zstd frame holding other bytes of the same length.
    let mut other = seeds[2].record.bytes().to_vec();
    other[0] ^= 1;
    set_frame(&store, &sha[2], &zstd::encode_all(other.as_slice(), 3).unwrap());
    let err = store.raw(&sha[2].parse::<ContentHash>().unwrap()).unwrap_err();
    assert!(err.to_string().contains("content hashes to"), "{err}");

    store.conn().execute("DELETE FROM blobs WHERE sha256 = ?1", [&sha[3]]).unwrap();
    let err = store.raw(&sha[3].parse::<ContentHash>().unwrap()).unwrap_err();
    assert!(matches!(&err, StoreError::MissingBlob { sha256, .. } if *sha256 == sha[3]), "{err}");

    let report = store.check_integrity().unwrap();
    assert_eq!(report.documents_checked, 5);
    assert_eq!(report.problems.len(), 4, "{:?}", report.problems);
    for sha in &sha[..4] {
        assert!(report.problems.iter().any(|p| p.contains(sha.as_str())), "{sha} not reported");
    }
    // The intact one still reads.
    assert_eq!(store.raw(&sha[4].parse::<ContentHash>().unwrap()).unwrap(), seeds[4].record.bytes());
}

/// Makes `store`'s connection log every blob row it inserts or updates into `blob_writes`.
fn log_blob_writes(store: &SqliteStore) {
    store
        .conn()
        .execute_batch(
            "CREATE TEMP TABLE blob_writes (sha256 TEXT);
             CREATE TEMP TRIGGER log_blob_insert AFTER INSERT ON blobs
             BEGIN INSERT INTO blob_writes VALUES (NEW.sha256); END;
             CREATE TEMP TRIGGER log_blob_update AFTER UPDATE ON blobs
             BEGIN INSERT INTO blob_writes VALUES (NEW.sha256); END;",
        )
        .unwrap();
}

fn blob_writes(store: &SqliteStore) -> Vec<String> {
    let conn = store.conn();
    let mut stmt = conn.prepare("SELECT sha256 FROM blob_writes").unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn stored_blobs_are_never_rewritten_and_damaged_orphans_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let seeds = seeds();
    store.put_batch(&seeds).unwrap();
    let before = db_content(dir.path())["blobs"].clone();

    // Same bytes under new names, in a new handle: no blob row is written.
    let renamed: Vec<Ingested> = seeds
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.record.set_source(format!("elsewhere/{}", s.record.source()));
            s
        })
        .collect();
    drop(store);
    let mut store = SqliteStore::open(dir.path()).unwrap();
    log_blob_writes(&store);
    store.put_batch(&renamed).unwrap();
    assert_eq!(blob_writes(&store), Vec::<String>::new());
    assert_eq!(db_content(dir.path())["blobs"], before);

    // A blob without rows (only hand edits make one now) is kept as it is if it is intact, and
    // replaced if it is damaged.
    store.conn().execute_batch("DELETE FROM sources; DELETE FROM articles; DELETE FROM documents;").unwrap();
    let damaged = seeds[0].record.sha256();
    store.conn().execute("UPDATE blobs SET zstd = X'00' WHERE sha256 = ?1", [&damaged]).unwrap();
    store.conn().execute("DELETE FROM blob_writes", []).unwrap();
    assert_eq!(store.put_batch(&seeds).unwrap(), vec![PutOutcome::Added; 5]);
    assert_eq!(blob_writes(&store), [damaged]);
    assert_eq!(db_content(dir.path())["blobs"], before, "the damaged blob is restored");
    for s in &seeds {
        assert_eq!(store.raw(&s.record.sha256().parse::<ContentHash>().unwrap()).unwrap(), s.record.bytes());
    }
    assert!(store.check_integrity().unwrap().is_ok());
}

#[test]
fn a_batch_that_fails_midway_stores_nothing() {
    // Small batches are encoded on the writing thread, large ones on others: both roll back.
    for size in [3, 40] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let batch: Vec<Ingested> = (0..size).map(synthetic).collect();
        let last = batch[size - 1].record.sha256();
        store
            .conn()
            .execute_batch(&format!(
                "CREATE TRIGGER refuse BEFORE INSERT ON blobs WHEN NEW.sha256 = '{last}'
                 BEGIN SELECT RAISE(ABORT, 'disk says no'); END;"
            ))
            .unwrap();
        let err = store.put_batch(&batch).unwrap_err();
        assert!(matches!(err, StoreError::Database { .. }), "{err}");
        assert_eq!(row_counts(dir.path()), [0, 0, 0, 0, 0], "batch of {size}");
        assert!(!store.contains(&batch[0].record.sha256().parse::<ContentHash>().unwrap()).unwrap());

        store.conn().execute_batch("DROP TRIGGER refuse").unwrap();
        assert_eq!(store.put_batch(&batch).unwrap(), vec![PutOutcome::Added; size]);
        for s in &batch {
            assert_eq!(
                store.raw(&s.record.sha256().parse::<ContentHash>().unwrap()).unwrap(),
                s.record.bytes()
            );
        }
        assert!(store.check_integrity().unwrap().is_ok());
    }
}

#[test]
fn open_sets_up_wal_foreign_keys_and_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/store");
    let store = SqliteStore::open(&nested).unwrap();
    assert!(nested.join(DATABASE_FILE).is_file());
    assert!(!nested.join("blobs").exists());
    assert_eq!(store.schema_version().unwrap(), schema::MIGRATIONS.len() as i64);
    let conn = &store.conn();
    let pragma =
        |name: &str| -> Value { conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)).unwrap() };
    assert_eq!(pragma("journal_mode"), Value::Text("wal".into()));
    assert_eq!(pragma("foreign_keys"), Value::Integer(1));
    assert_eq!(pragma("synchronous"), Value::Integer(1)); // NORMAL
    assert_eq!(pragma("temp_store"), Value::Integer(2)); // MEMORY
    assert_eq!(pragma("cache_size"), Value::Integer(-65_536));
    assert_eq!(pragma("page_size"), Value::Integer(16_384));
    // Foreign keys are enforced: an article cannot exist without its document.
    let err = conn.execute(
        "INSERT INTO articles (sha256, id, extractor_version, record) VALUES ('x', 'x', 'v', '{}')",
        [],
    );
    assert!(err.is_err());
}

/// Builds a store as versions before 3 left it: rows at schema version 2, article JSON as TEXT,
/// blobs as files `blobs/ab/<sha256>.zst`.
fn legacy_store(dir: &Path, items: &[Ingested]) {
    let store = SqliteStore::open_at_version(dir, 2).unwrap();
    assert_eq!(store.schema_version().unwrap(), 2);
    let now = crate::now_rfc3339();
    for item in items {
        let sha = item.record.sha256();
        let a = &item.article;
        store
            .conn()
            .execute(
                "INSERT INTO documents (id, sha256, format, source, first_seen, byte_len)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    a.id.to_string(),
                    sha,
                    a.format.as_str(),
                    a.source,
                    now,
                    item.record.bytes().len() as i64
                ],
            )
            .unwrap();
        store
            .conn()
            .execute(
                "INSERT INTO sources (sha256, source, first_seen) VALUES (?1, ?2, ?3)",
                rusqlite::params![sha, a.source, now],
            )
            .unwrap();
        store
            .conn()
            .execute(
                "INSERT INTO articles (sha256, id, title, published, outlet, language,
                 extractor_version, record, text_derived) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
                rusqlite::params![
                    sha,
                    a.id.to_string(),
                    a.meta.title,
                    a.meta.published.map(|p| p.to_string()),
                    a.meta.outlet.as_deref(),
                    a.meta.language.as_deref(),
                    a.extractor_version,
                    serde_json::to_string(a).unwrap()
                ],
            )
            .unwrap();
        write_legacy_blob(dir, &sha, item.record.bytes());
    }
}

fn legacy_blob_path(dir: &Path, sha: &str) -> PathBuf {
    dir.join("blobs").join(&sha[..2]).join(format!("{sha}.zst"))
}

fn write_legacy_blob(dir: &Path, sha: &str, bytes: &[u8]) {
    let path = legacy_blob_path(dir, sha);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, zstd::bulk::compress(bytes, 3).unwrap()).unwrap();
}

#[test]
fn an_older_store_is_migrated_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<Ingested> = seeds().into_iter().chain((0..3).map(synthetic)).collect();
    legacy_store(dir.path(), &items);
    // What a crashed writer of an older version left: a blob of a batch that never committed,
    // and a temporary file.
    let orphan = synthetic(100);
    write_legacy_blob(dir.path(), &orphan.record.sha256(), orphan.record.bytes());
    let shard = dir.path().join("blobs").join("ab");
    std::fs::create_dir_all(&shard).unwrap();
    std::fs::write(shard.join(format!(".{}.1234.7.tmp", "ab".repeat(32))), b"half a blob").unwrap();
    // A document whose blob file is gone stays detectable.
    let lost = items[7].record.sha256();
    std::fs::remove_file(legacy_blob_path(dir.path(), &lost)).unwrap();

    let mut store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::latest_version());
    assert!(!dir.path().join("blobs").exists(), "blob files left after the migration");
    let index_count: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'articles_by_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(index_count, 4);
    assert_eq!(row_counts(dir.path()), [8, 8, 8, 0, 7], "the orphan blob is dropped");
    for item in &items[..7] {
        assert_eq!(
            store.raw(&item.record.sha256().parse::<ContentHash>().unwrap()).unwrap(),
            item.record.bytes()
        );
        assert_eq!(store.article(&item.article.id.to_string()).unwrap().as_ref(), Some(&item.article));
    }
    assert!(matches!(store.raw(&lost.parse::<ContentHash>().unwrap()), Err(StoreError::MissingBlob { .. })));
    let report = store.check_integrity().unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert!(report.problems[0].contains(&lost));

    // The migrated store works like a new one: re-putting changes nothing, new records go in.
    let content = db_content(dir.path());
    assert_eq!(store.put_batch(&items[..7]).unwrap(), vec![PutOutcome::AlreadyPresent; 7]);
    assert_eq!(db_content(dir.path()), content);
    assert_eq!(store.put_batch(std::slice::from_ref(&orphan)).unwrap(), [PutOutcome::Added]);
    assert_eq!(
        store.raw(&orphan.record.sha256().parse::<ContentHash>().unwrap()).unwrap(),
        orphan.record.bytes()
    );
    drop(store);

    // A migration interrupted after its commit (files not yet removed) finishes at the next open,
    // leaving the stored blobs as they are.
    write_legacy_blob(dir.path(), &items[0].record.sha256(), b"not what was stored");
    let content = db_content(dir.path());
    let store = SqliteStore::open(dir.path()).unwrap();
    assert!(!dir.path().join("blobs").exists());
    assert_eq!(db_content(dir.path()), content);
    assert_eq!(
        store.raw(&items[0].record.sha256().parse::<ContentHash>().unwrap()).unwrap(),
        items[0].record.bytes()
    );
    store_files(dir.path());
}

#[test]
fn a_store_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = SqliteStore::open(dir.path()).expect_err("newer store must be refused");
    assert!(matches!(err, StoreError::NewerSchema { found: 99, supported: 11, .. }), "{err}");
    assert!(err.to_string().contains("newer"), "{err}");
    // And the refused store was left as it was.
    let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 99);
}

#[test]
fn two_handles_see_each_others_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = SqliteStore::open(dir.path()).unwrap();
    let reader = SqliteStore::open(dir.path()).unwrap();
    writer.put_batch(&seeds()).unwrap();
    assert_eq!(reader.stats().unwrap().documents, 5);
    // A read walk in progress does not block the writer (WAL).
    let mut wrote = false;
    reader
        .for_each_article(&mut |_| {
            if !wrote {
                writer.put_batch(&[synthetic(7)]).map(|_| ())?;
                wrote = true;
            }
            Ok(())
        })
        .unwrap();
    assert!(wrote);
    assert_eq!(reader.stats().unwrap().documents, 6);
}

#[test]
fn the_public_contract_runs_whole_against_both_stores() {
    run_all(MemoryStore::new, |s| s);
    let dirs = std::cell::RefCell::new(Vec::new());
    run_all(
        || {
            let dir = tempfile::tempdir().unwrap();
            let store = SqliteStore::open(dir.path()).unwrap();
            dirs.borrow_mut().push(dir);
            store
        },
        |s: SqliteStore| {
            let dir = s.dir().to_path_buf();
            drop(s);
            SqliteStore::open(&dir).unwrap()
        },
    );
}

/// A rebuild in SQLite: other handles read the state from before it until it commits, and a
/// handle dropped mid-rebuild (as a process that dies) leaves every row as it was.
#[test]
fn a_rebuild_is_invisible_to_other_handles_until_it_commits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let seeds = seeds();
    store.put_batch(&seeds).unwrap();
    index(
        &mut store,
        &[
            entry(A, "a text", &[1], &[], Vec::new()),
            entry(B, "b text", &[1], &[], vec![link(B, A, ReuseKind::Near)]),
        ],
        &[None, None],
    );
    let before = db_content(dir.path());
    let reader = SqliteStore::open(dir.path()).unwrap();
    let rebuild = |store: &mut SqliteStore| {
        store.begin_rebuild().unwrap();
        store.clear_provenance().unwrap();
        index(store, &[entry(C, "c text", &[1], &[], Vec::new())], &[None]);
        let mut article = seeds[0].article.clone();
        article.meta.title = Some("rebuilt".into());
        store.update_articles(&[article]).unwrap();
        // Through the rebuilding handle: the rebuild so far; through the other: the old state.
        assert_eq!(store.postings(&[1], 32).unwrap(), [(1, C)]);
        assert_eq!(reader.postings(&[1], 32).unwrap(), [(1, A), (1, B)]);
        assert_eq!(all_links(&reader), [link(B, A, ReuseKind::Near)]);
        let title = reader.article(&seeds[0].article.id.to_string()).unwrap().unwrap().meta.title;
        assert_eq!(title, seeds[0].article.meta.title);
    };
    rebuild(&mut store);
    drop(store);
    assert_eq!(db_content(dir.path()), before, "a rebuild that never committed left nothing");

    let mut store = SqliteStore::open(dir.path()).unwrap();
    rebuild(&mut store);
    store.commit_rebuild().unwrap();
    assert_eq!(reader.postings(&[1], 32).unwrap(), [(1, C)]);
    assert!(all_links(&reader).is_empty());
    let title = reader.article(&seeds[0].article.id.to_string()).unwrap().unwrap().meta.title;
    assert_eq!(title.as_deref(), Some("rebuilt"));
}
