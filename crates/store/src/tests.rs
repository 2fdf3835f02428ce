//! Tests of the [`Store`] contract, run against every implementation, and of the SQLite store's
//! on-disk guarantees.

use super::*;
use crate::sqlite::DATABASE_FILE;
use presswatch_model::{Article, Block, BlockKind, EXTRACTOR_VERSION};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds")
}

/// The five real seed articles, as records with a minimal derived article each.
fn seeds() -> Vec<Ingested> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(seed_dir())
        .expect("seed fixtures")
        .map(|e| e.expect("seed entry").path())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 5, "expected the five seed fixtures");
    paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let bytes = std::fs::read(p).expect("read seed");
            let source = p.display().to_string();
            let outlet = if i < 3 { "Outlet A" } else { "Outlet B" };
            let language = if i % 2 == 0 { "en" } else { "zh" };
            ingested(&source, Format::Markdown, bytes, outlet, Some(language))
        })
        .collect()
}

fn ingested(source: &str, format: Format, bytes: Vec<u8>, outlet: &str, language: Option<&str>) -> Ingested {
    let record = Record { source: source.to_string(), format, bytes };
    let first_line = String::from_utf8_lossy(&record.bytes).lines().next().unwrap_or("").to_string();
    let article = Article {
        title: Some(format!("title of {source}")),
        outlet: Some(outlet.to_string()),
        language: language.map(str::to_string),
        blocks: vec![Block { kind: BlockKind::Paragraph, text: first_line, language: None }],
        ..Default::default()
    };
    let article = ArticleRecord::new(source.to_string(), record.sha256(), format, article);
    Ingested { record, article }
}

fn synthetic(i: usize) -> Ingested {
    let text = format!("Synthetic article number {i}.\n\nBody text {}\n", "lorem ipsum ".repeat(i % 7));
    ingested(&format!("synthetic/{i}.txt"), Format::Text, text.into_bytes(), "Synthetic", Some("en"))
}

fn all_articles<S: Store>(store: &S) -> Vec<ArticleRecord> {
    let mut out = Vec::new();
    let n = store
        .for_each_article(&mut |a| {
            out.push(a);
            Ok(())
        })
        .expect("for_each_article");
    assert_eq!(n as usize, out.len());
    out
}

fn all_documents<S: Store>(store: &S) -> Vec<StoredDocument> {
    let mut out = Vec::new();
    let n = store
        .for_each_document(&mut |d| {
            out.push(d);
            Ok(())
        })
        .expect("for_each_document");
    assert_eq!(n as usize, out.len());
    out
}

/// Two records whose sha256 share their first six hex digits (found by a birthday search).
fn colliding_pair() -> (Ingested, Ingested) {
    let mut by_prefix: HashMap<String, Vec<u8>> = HashMap::new();
    for i in 0u32.. {
        let bytes = format!("collision candidate {i}").into_bytes();
        let sha = presswatch_model::sha256_hex(&bytes);
        let prefix = sha[..MIN_ID_PREFIX].to_string();
        if let Some(other) = by_prefix.insert(prefix, bytes.clone()) {
            return (
                ingested("collide/a", Format::Text, other, "C", None),
                ingested("collide/b", Format::Text, bytes, "C", None),
            );
        }
    }
    unreachable!("u32 range exhausted")
}

/// The behaviour every [`Store`] must have. `reopen` gives the same store again (a no-op for an
/// in-memory one), to show that what was stored survives a reopen.
fn store_contract<S: Store>(mut store: S, reopen: impl Fn(S) -> S) {
    // Empty.
    assert_eq!(store.stats().unwrap(), Stats::default());
    assert_eq!(all_articles(&store).len(), 0);
    assert!(!store.contains(&"0".repeat(64)).unwrap());
    assert!(store.article("abcdef").unwrap().is_none());

    // First ingest: everything new; again: everything present.
    let seeds = seeds();
    let outcomes = store.put_batch(&seeds).unwrap();
    assert_eq!(outcomes, vec![PutOutcome::Added; seeds.len()]);
    let outcomes = store.put_batch(&seeds).unwrap();
    assert_eq!(outcomes, vec![PutOutcome::AlreadyPresent; seeds.len()]);
    let mut store = reopen(store);
    assert_eq!(store.put_batch(&seeds).unwrap(), vec![PutOutcome::AlreadyPresent; seeds.len()]);
    let stats = store.stats().unwrap();
    assert_eq!(stats.documents, 5);
    assert_eq!(stats.sources, 5);
    let total: usize = seeds.iter().map(|s| s.record.bytes.len()).sum();
    assert_eq!(stats.raw_bytes, total as u64);

    // Raw bytes come back exactly; the article by every accepted form of its id.
    for s in &seeds {
        let sha = s.record.sha256();
        assert!(store.contains(&sha).unwrap());
        assert!(store.contains(&sha.to_uppercase()).unwrap());
        assert_eq!(store.raw(&sha).unwrap(), s.record.bytes);
        for id in [s.article.id.clone(), sha.clone(), sha[..8].to_string(), s.article.id.to_uppercase()] {
            assert_eq!(store.article(&id).unwrap().as_ref(), Some(&s.article), "lookup by {id}");
        }
        assert_eq!(store.sources(&sha).unwrap(), vec![s.record.source.clone()]);
    }
    assert!(matches!(store.article("abcde"), Err(StoreError::InvalidId { .. })));
    assert!(matches!(store.article("not-hex-at-all"), Err(StoreError::InvalidId { .. })));
    assert!(matches!(store.raw("../../etc/passwd"), Err(StoreError::InvalidId { .. })));
    let absent = "f".repeat(64);
    assert!(matches!(store.raw(&absent), Err(StoreError::UnknownDocument(s)) if s == absent));
    assert!(store.article(&absent).unwrap().is_none());

    // Same bytes under another name, and twice within one batch: one document, two sources.
    let mut copy = seeds[1].clone();
    copy.record.source = "mirror/copy.md".into();
    copy.article.source = "mirror/copy.md".into();
    let new = synthetic(1);
    let batch = [new.clone(), copy.clone(), new.clone()];
    assert_eq!(
        store.put_batch(&batch).unwrap(),
        [PutOutcome::Added, PutOutcome::AlreadyPresent, PutOutcome::AlreadyPresent]
    );
    let sha1 = seeds[1].record.sha256();
    assert_eq!(
        store.sources(&sha1).unwrap(),
        vec![seeds[1].record.source.clone(), "mirror/copy.md".to_string()]
    );
    // The stored article keeps its first source.
    assert_eq!(store.article(&sha1).unwrap().map(|a| a.source), Some(seeds[1].record.source.clone()));
    let stats = store.stats().unwrap();
    assert_eq!((stats.documents, stats.sources), (6, 7));

    // Ordering: first-seen time, then id.
    let later: Vec<Ingested> = (10..14).map(synthetic).collect();
    store.put_batch(&later).unwrap();
    let docs = all_documents(&store);
    assert_eq!(docs.len(), 10);
    let keys: Vec<(String, String)> = docs.iter().map(|d| (d.first_seen.clone(), d.id.clone())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let seen: BTreeMap<&str, &StoredDocument> = docs.iter().map(|d| (d.sha256.as_str(), d)).collect();
    for s in seeds.iter().chain(&later) {
        let d = seen[s.record.sha256().as_str()];
        assert!(d.first_seen.ends_with('Z'), "{}", d.first_seen);
        assert_eq!((d.format, d.source.as_str()), (s.record.format, s.record.source.as_str()));
        assert_eq!(d.byte_len, s.record.bytes.len() as u64);
        assert_eq!(d.id, s.article.id);
    }
    // Every seed was stored before every later record.
    let position = |sha: &str| docs.iter().position(|d| d.sha256 == sha).unwrap();
    let last_seed = seeds.iter().map(|s| position(&s.record.sha256())).max().unwrap();
    let first_later = later.iter().map(|s| position(&s.record.sha256())).min().unwrap();
    assert!(last_seed < first_later);
    let articles = all_articles(&store);
    let article_order: Vec<&str> = articles.iter().map(|a| a.sha256.as_str()).collect();
    let document_order: Vec<&str> = docs.iter().map(|d| d.sha256.as_str()).collect();
    assert_eq!(article_order, document_order);

    // A callback error stops the walk and comes back unchanged.
    let mut calls = 0;
    let err = store
        .for_each_article(&mut |_| {
            calls += 1;
            if calls == 2 {
                return Err(StoreError::Callback("stop here".into()));
            }
            Ok(())
        })
        .unwrap_err();
    assert_eq!((calls, err.to_string().as_str()), (2, "stop here"));

    // Ambiguous prefixes are refused; a longer one finds its document.
    let (a, b) = colliding_pair();
    store.put_batch(&[a.clone(), b.clone()]).unwrap();
    let short = &a.record.sha256()[..MIN_ID_PREFIX];
    assert!(matches!(store.article(short), Err(StoreError::AmbiguousId { .. })));
    assert_eq!(store.article(&b.article.id).unwrap(), Some(b.article.clone()));

    // A batch whose article does not belong to its record is refused whole.
    let before = store.stats().unwrap();
    let mut wrong = synthetic(99);
    wrong.article = synthetic(98).article;
    let err = store.put_batch(&[synthetic(97), wrong]).unwrap_err();
    assert!(matches!(err, StoreError::Mismatch { .. }), "{err}");
    assert_eq!(store.stats().unwrap(), before);
    assert!(!store.contains(&synthetic(97).record.sha256()).unwrap());

    // Reprocess: replaced articles; stale ones counted; unknown documents refuse the whole update.
    assert_eq!(store.stats().unwrap().stale, 0);
    let mut old = seeds[0].article.clone();
    old.title = Some("Old extraction".into());
    old.extractor_version = "presswatch-0.0.1".into();
    store.update_articles(&[old.clone()]).unwrap();
    assert_eq!(store.article(&old.id).unwrap(), Some(old.clone()));
    assert_eq!(store.stats().unwrap().stale, 1);
    let mut fresh = old.clone();
    fresh.title = Some("Fresh extraction".into());
    fresh.extractor_version = EXTRACTOR_VERSION.into();
    let unknown = synthetic(500).article;
    let err = store.update_articles(&[fresh.clone(), unknown.clone()]).unwrap_err();
    assert!(matches!(&err, StoreError::UnknownDocument(s) if *s == unknown.sha256), "{err}");
    assert_eq!(store.article(&old.id).unwrap(), Some(old.clone()));
    store.update_articles(&[fresh.clone()]).unwrap();
    assert_eq!(store.article(&old.id).unwrap(), Some(fresh));
    assert_eq!(store.stats().unwrap().stale, 0);

    // Rejections: one row per source with its latest reason, repeats add nothing.
    let rej = |s: &str, r: &str| (s.to_string(), r.to_string());
    store
        .record_rejections(&[rej("bad.bin", "binary"), rej("bad.bin", "binary"), rej("e.html", "empty")])
        .unwrap();
    let first = store.rejections().unwrap();
    assert_eq!(first.len(), 2);
    store.record_rejections(&[rej("e.html", "empty")]).unwrap();
    assert_eq!(store.rejections().unwrap(), first, "re-rejecting changes nothing");
    store.record_rejections(&[rej("bad.bin", "too large")]).unwrap();
    let latest = store.rejections().unwrap();
    let reasons: Vec<(&str, &str)> = latest.iter().map(|r| (r.source.as_str(), r.reason.as_str())).collect();
    assert_eq!(reasons, [("bad.bin", "too large"), ("e.html", "empty")]);
    let mut store = reopen(store);
    assert_eq!(store.rejections().unwrap(), latest);

    // Stats: 5 seeds + 1 + 4 + 2 colliding documents.
    let stats = store.stats().unwrap();
    assert_eq!(stats.documents, 12);
    assert_eq!(stats.rejected, 2);
    assert_eq!(stats.by_format, [(Format::Text, 7), (Format::Markdown, 5)]);
    assert_eq!(stats.by_language, [(Some("en".to_string()), 8), (None, 2), (Some("zh".to_string()), 2)]);
    let outlets: Vec<(&str, u64)> = stats.top_outlets.iter().map(|(o, n)| (o.as_str(), *n)).collect();
    assert_eq!(outlets, [("Synthetic", 5), ("Outlet A", 3), ("C", 2), ("Outlet B", 2)]);

    // Many outlets: only the top ones are listed, most frequent first.
    let many: Vec<Ingested> = (0..TOP_OUTLETS + 5)
        .map(|i| {
            let bytes = format!("outlet test {i}").into_bytes();
            ingested(&format!("o/{i}"), Format::Json, bytes, &format!("Outlet {i:03}"), None)
        })
        .collect();
    store.put_batch(&many).unwrap();
    assert!(store.put_batch(&[]).unwrap().is_empty());
    let stats = store.stats().unwrap();
    assert_eq!(stats.top_outlets.len(), TOP_OUTLETS);
    assert_eq!(stats.top_outlets[0], ("Synthetic".to_string(), 5));
    assert!(stats.top_outlets.windows(2).all(|w| w[0].1 >= w[1].1));
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

/// Every file under `dir` with its size, modification time and inode (where there is one).
fn file_tree(dir: &Path) -> BTreeMap<PathBuf, (u64, std::time::SystemTime, u64)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                #[cfg(unix)]
                let ino = std::os::unix::fs::MetadataExt::ino(&meta);
                #[cfg(not(unix))]
                let ino = 0;
                out.insert(e.path(), (meta.len(), meta.modified().unwrap(), ino));
            }
        }
    }
    out
}

fn row_counts(dir: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap();
    ["documents", "sources", "articles", "rejections"]
        .iter()
        .map(|t| conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0)).unwrap())
        .collect()
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
        assert_eq!(store.article(&item.article.id).unwrap().as_ref(), Some(&item.article));
    }
    let stored: Vec<(String, bool)> = {
        let mut stmt = store.conn.prepare("SELECT sha256, text_derived FROM articles").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let derived_flag: HashMap<String, bool> = stored.into_iter().collect();
    let flags: Vec<bool> = batch.iter().map(|i| derived_flag[&i.article.sha256]).collect();
    assert_eq!(flags, [true, false, false, true]);
    let listed = all_articles(&store);
    for item in &batch {
        assert!(listed.contains(&item.article));
    }
}

#[test]
fn reputting_changes_nothing_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let batch: Vec<Ingested> = seeds().into_iter().chain((0..50).map(synthetic)).collect();
    store.put_batch(&batch).unwrap();
    store.record_rejections(&[("x".into(), "empty".into())]).unwrap();
    let blobs = dir.path().join("blobs");
    let tree = file_tree(&blobs);
    assert_eq!(tree.len(), 55);
    let counts = row_counts(dir.path());
    assert_eq!(counts, [55, 55, 55, 1]);

    for _ in 0..2 {
        assert!(store.put_batch(&batch).unwrap().iter().all(|o| *o == PutOutcome::AlreadyPresent));
        store.record_rejections(&[("x".into(), "empty".into())]).unwrap();
        assert_eq!(file_tree(&blobs), tree);
        assert_eq!(row_counts(dir.path()), counts);
    }
    drop(store);
    let mut store = SqliteStore::open(dir.path()).unwrap();
    store.put_batch(&batch).unwrap();
    assert_eq!(file_tree(&blobs), tree);
    assert_eq!(row_counts(dir.path()), counts);
}

#[test]
fn blobs_are_compressed_content_addressed_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let seeds = seeds();
    store.put_batch(&seeds).unwrap();
    for s in &seeds {
        let sha = s.record.sha256();
        let path = store.blob_path(&sha).unwrap();
        assert_eq!(path, dir.path().join("blobs").join(&sha[..2]).join(format!("{sha}.zst")));
        let compressed = std::fs::read(&path).unwrap();
        assert!(compressed.len() < s.record.bytes.len(), "{} is not compressed", path.display());
        assert_eq!(zstd::decode_all(compressed.as_slice()).unwrap(), s.record.bytes);
    }
}

#[test]
fn corrupt_truncated_and_missing_blobs_are_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let seeds = seeds();
    store.put_batch(&seeds).unwrap();
    let sha0 = seeds[0].record.sha256();
    let sha1 = seeds[1].record.sha256();
    let sha2 = seeds[2].record.sha256();

    // Flip one byte in the middle of the compressed data.
    let path0 = store.blob_path(&sha0).unwrap();
    let mut bytes = std::fs::read(&path0).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&path0, &bytes).unwrap();
    let err = store.raw(&sha0).unwrap_err();
    assert!(matches!(&err, StoreError::CorruptBlob { sha256, .. } if *sha256 == sha0), "{err}");
    assert!(err.to_string().contains(&sha0), "{err}");

    // Cut a blob short.
    let path1 = store.blob_path(&sha1).unwrap();
    let bytes = std::fs::read(&path1).unwrap();
    std::fs::write(&path1, &bytes[..bytes.len() / 2]).unwrap();
    let err = store.raw(&sha1).unwrap_err();
    assert!(matches!(&err, StoreError::CorruptBlob { sha256, .. } if *sha256 == sha1), "{err}");

    // A valid zstd frame holding other bytes of the same length.
    let path2 = store.blob_path(&sha2).unwrap();
    let mut other = seeds[2].record.bytes.clone();
    other[0] ^= 1;
    std::fs::write(&path2, zstd::encode_all(other.as_slice(), 3).unwrap()).unwrap();
    let err = store.raw(&sha2).unwrap_err();
    assert!(err.to_string().contains("content hashes to"), "{err}");

    let sha3 = seeds[3].record.sha256();
    std::fs::remove_file(store.blob_path(&sha3).unwrap()).unwrap();
    let err = store.raw(&sha3).unwrap_err();
    assert!(matches!(&err, StoreError::MissingBlob { sha256, .. } if *sha256 == sha3), "{err}");

    let report = store.check_integrity().unwrap();
    assert_eq!(report.documents_checked, 5);
    assert_eq!(report.problems.len(), 4, "{:?}", report.problems);
    for sha in [&sha0, &sha1, &sha2, &sha3] {
        assert!(report.problems.iter().any(|p| p.contains(sha.as_str())), "{sha} not reported");
    }
    // The intact one still reads.
    assert_eq!(store.raw(&seeds[4].record.sha256()).unwrap(), seeds[4].record.bytes);
}

#[test]
fn stored_blobs_are_never_rewritten_and_orphans_are_reused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let seeds = seeds();
    store.put_batch(&seeds).unwrap();
    let before = file_tree(&dir.path().join("blobs"));

    // Same bytes under new names, in a new handle: the blob files stay as they were.
    let renamed: Vec<Ingested> = seeds
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.record.source = format!("elsewhere/{}", s.record.source);
            s
        })
        .collect();
    drop(store);
    let mut store = SqliteStore::open(dir.path()).unwrap();
    store.put_batch(&renamed).unwrap();
    assert_eq!(file_tree(&dir.path().join("blobs")), before);

    // A blob left without rows (a batch that died before its commit) is reused as it is if it is
    // intact, and replaced if it is damaged.
    let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    conn.execute_batch("DELETE FROM sources; DELETE FROM articles; DELETE FROM documents;").unwrap();
    drop(conn);
    let damaged = store.blob_path(&seeds[0].record.sha256()).unwrap();
    std::fs::write(&damaged, b"garbage").unwrap();
    let damaged_entry = file_tree(&dir.path().join("blobs"))[&damaged];
    assert_eq!(store.put_batch(&seeds).unwrap(), vec![PutOutcome::Added; 5]);
    let after = file_tree(&dir.path().join("blobs"));
    for (path, entry) in &before {
        if *path == damaged {
            assert_ne!(after[path], damaged_entry);
        } else {
            assert_eq!(after[path], *entry, "{} was rewritten", path.display());
        }
    }
    for s in &seeds {
        assert_eq!(store.raw(&s.record.sha256()).unwrap(), s.record.bytes);
    }
}

#[test]
fn a_batch_whose_blob_cannot_be_written_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let good = synthetic(1);
    let bad = (2..).map(synthetic).find(|s| s.record.sha256()[..2] != good.record.sha256()[..2]).unwrap();
    // A plain file where the bad record's shard directory should be makes its blob unwritable.
    let shard = dir.path().join("blobs").join(&bad.record.sha256()[..2]);
    std::fs::write(&shard, b"in the way").unwrap();
    let err = store.put_batch(&[good.clone(), bad.clone()]).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err}");
    assert_eq!(row_counts(dir.path()), [0, 0, 0, 0]);
    assert!(!store.contains(&good.record.sha256()).unwrap());

    std::fs::remove_file(&shard).unwrap();
    assert_eq!(store.put_batch(&[good.clone(), bad.clone()]).unwrap(), [PutOutcome::Added; 2]);
    for s in [&good, &bad] {
        assert_eq!(store.raw(&s.record.sha256()).unwrap(), s.record.bytes);
    }
    assert!(store.check_integrity().unwrap().is_ok());
}

#[test]
fn temp_files_of_a_dead_writer_are_swept_by_the_next_writer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    store.put_batch(&[synthetic(1)]).unwrap();
    let shard = dir.path().join("blobs").join("ab");
    std::fs::create_dir_all(&shard).unwrap();
    let leftover = shard.join(format!(".{}.1234.7.tmp", "ab".repeat(32)));
    std::fs::write(&leftover, b"half a blob").unwrap();
    drop(store);
    let mut store = SqliteStore::open(dir.path()).unwrap();
    assert!(leftover.exists(), "opening alone must not touch blob files");
    store.put_batch(&[synthetic(2)]).unwrap();
    assert!(!leftover.exists());
}

#[test]
fn open_sets_up_wal_foreign_keys_and_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/store");
    let store = SqliteStore::open(&nested).unwrap();
    assert!(nested.join(DATABASE_FILE).is_file());
    assert!(nested.join("blobs").is_dir());
    assert_eq!(store.schema_version().unwrap(), schema::MIGRATIONS.len() as i64);
    let conn = &store.conn;
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    let sync: i64 = conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!((mode.as_str(), fk, sync), ("wal", 1, 1));
    // Foreign keys are enforced: an article cannot exist without its document.
    let err = conn.execute(
        "INSERT INTO articles (sha256, id, extractor_version, record) VALUES ('x', 'x', 'v', '{}')",
        [],
    );
    assert!(err.is_err());
}

#[test]
fn an_older_store_is_migrated_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut old = SqliteStore::open_at_version(dir.path(), 1).unwrap();
    assert_eq!(old.schema_version().unwrap(), 1);
    old.put_batch(&seeds()).unwrap();
    drop(old);
    let index_count = |dir: &Path| -> i64 {
        let conn = rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap();
        conn.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'articles_by_%'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(index_count(dir.path()), 0);
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), 2);
    assert_eq!(index_count(dir.path()), 4);
    assert_eq!(store.stats().unwrap().documents, 5);
}

#[test]
fn a_store_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = SqliteStore::open(dir.path()).err().expect("newer store must be refused");
    assert!(matches!(err, StoreError::NewerSchema { found: 99, supported: 2, .. }), "{err}");
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
