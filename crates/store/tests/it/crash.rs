//! Crash safety for real: a child process (this test binary, re-executed) ingests a large corpus
//! and is killed with SIGKILL mid-ingest; the store it leaves must be consistent, and running the
//! ingest again must complete it with every record stored exactly once, its provenance index
//! entries with it (same transaction), and the search index in step once reopened for writing.

use crate::corpus::{index_entry, record, KEYS};
use presswatch_model::{ContentHash, IndexEntry};
use presswatch_store::{
    Ingested, PutOutcome, SqliteStore, StoreRead, StoreSearch, StoreWrite, DATABASE_FILE, SEARCH_DIR,
};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

const RECORDS: usize = 8_000;
const BATCH: usize = 200;
const CHILD_ENV: &str = "PRESSWATCH_STORE_CRASH_CHILD_DIR";
const CHILD_TEST: &str = "child_ingest_until_killed";

/// The child test's full name in this test binary (`crash::child_ingest_until_killed` when this
/// file is the `crash` module of `tests/it`), as `--exact` wants it.
fn child_test_path() -> String {
    match module_path!().split_once("::") {
        Some((_, module)) => format!("{module}::{CHILD_TEST}"),
        None => CHILD_TEST.to_string(),
    }
}
/// The full ingest: every batch in order, reporting each commit on stdout.
fn ingest_all(dir: &Path, report: bool) -> usize {
    let mut store = SqliteStore::open(dir).expect("open store");
    let mut added = 0;
    for (k, start) in (0..RECORDS).step_by(BATCH).enumerate() {
        let batch: Vec<Ingested> = (start..(start + BATCH).min(RECORDS)).map(record).collect();
        let index: Vec<IndexEntry> =
            batch.iter().enumerate().map(|(j, item)| index_entry(start + j, item)).collect();
        let published = vec![None; index.len()];
        let outcomes = store.put_batch_indexed(&batch, &index, &published).expect("put_batch_indexed");
        let n = outcomes.iter().filter(|o| **o == PutOutcome::Added).count();
        added += n;
        if report {
            println!("committed batch {k} added {n}");
        }
    }
    added
}

/// Not a test on its own: the body of the child process that the crash test starts and kills.
#[test]
#[ignore = "run as a child process by kill_9_mid_ingest_leaves_a_consistent_store"]
fn child_ingest_until_killed() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    ingest_all(Path::new(&dir), true);
}

/// Starts the child ingest, lets it commit `commits` batches that added documents, waits
/// `extra_ms`, and kills it with SIGKILL. Returns how many such commits it saw.
fn run_and_kill(dir: &Path, commits: usize, extra_ms: u64) -> usize {
    let exe = std::env::current_exe().expect("test binary path");
    let mut child = Command::new(exe)
        .args([child_test_path().as_str(), "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start child ingest");
    let stdout = child.stdout.take().expect("child stdout");
    let mut seen = 0;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read child output");
        if line.starts_with("committed ") && !line.ends_with(" added 0") {
            seen += 1;
            if seen == commits {
                break;
            }
        }
    }
    assert_eq!(seen, commits, "child ended before committing {commits} batches");
    std::thread::sleep(std::time::Duration::from_millis(extra_ms));
    child.kill().expect("kill child");
    let status = child.wait().expect("reap child");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "child was not killed mid-ingest: {status}");
    }
    #[cfg(not(unix))]
    assert!(!status.success());
    seen
}

fn expected_shas() -> HashSet<String> {
    (0..RECORDS).map(|i| record(i).record.hash().to_hex()).collect()
}

/// Checks the store as a fresh process would find it; returns the number of documents.
fn check_consistent(dir: &Path, expected: &HashSet<String>) -> usize {
    let conn = rusqlite::Connection::open(dir.join(DATABASE_FILE)).expect("open database");
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let fk_problems: i64 =
        conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk_problems, 0);
    let orphan_articles: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS
             (SELECT 1 FROM documents d WHERE d.sha256 = a.sha256)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphan_articles, 0, "article rows without a document");
    let (documents, articles, sources): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM articles),
                    (SELECT COUNT(*) FROM sources)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((articles, sources), (documents, documents));
    let (indexed, postings, block_counts): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM prov_docs),
                    (SELECT COUNT(*) FROM prov_keys) + (SELECT COUNT(*) FROM prov_keys_recent),
                    (SELECT COALESCE(SUM(docs), 0) FROM outlet_blocks)
                    + (SELECT COALESCE(SUM(docs), 0) FROM outlet_blocks_recent)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((indexed, postings, block_counts), (documents, documents * KEYS as i64, documents));
    let mut shas: Vec<String> = conn
        .prepare("SELECT sha256 FROM documents")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(conn);

    // Batches commit whole: the corpus is all distinct, so documents come in whole batches.
    assert_eq!(documents as usize % BATCH, 0, "a partial batch is visible: {documents} documents");
    // The search index commits after SQLite: it may be behind (and says so), never ahead.
    let reader = SqliteStore::open_read_only(dir).expect("open read-only");
    let status = reader.search_status().expect("search status");
    if let Some(index) = status.index {
        assert!(index.generation <= status.store_generation, "{status:?}");
        assert!(index.documents <= documents as u64, "{status:?}");
        assert_eq!(status.in_step(), index.generation == status.store_generation, "{status:?}");
    }
    drop(reader);
    let store = SqliteStore::open(dir).expect("reopen store");
    // Opening for writing caught it up.
    let status = store.search_status().expect("search status");
    assert!(status.in_step(), "{status:?}");
    assert_eq!(status.store_articles, documents as u64);
    shas.sort();
    for sha in &shas {
        assert!(expected.contains(sha), "unexpected document {sha}");
        let hash: ContentHash = sha.parse().expect("stored sha256");
        let raw = store.raw(&hash).unwrap_or_else(|e| panic!("blob of {sha}: {e}"));
        assert_eq!(ContentHash::of(&raw), hash);
        assert!(store.article(sha).expect("article lookup").is_some());
    }
    let report = store.check_integrity().expect("integrity check");
    assert!(report.is_ok(), "{:?}", report.problems);
    documents as usize
}

/// The names in the store directory besides the database, SQLite's own companions (`-wal`,
/// `-shm`) and the search index: none expected (no blob or temporary files).
fn store_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with(DATABASE_FILE) && name != SEARCH_DIR)
        .collect();
    names.sort();
    names
}

#[test]
fn kill_9_mid_ingest_leaves_a_consistent_store() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let expected = expected_shas();

    // First run: killed after 3 batches.
    let seen = run_and_kill(&dir, 3, 0);
    let after_first = check_consistent(&dir, &expected);
    assert!(store_files(&dir).is_empty(), "{:?}", store_files(&dir));
    assert!(after_first >= seen * BATCH, "{after_first} documents after {seen} commits");
    assert!(after_first < RECORDS);

    // Second run picks up where it stopped and is killed again, a little later in its batch.
    run_and_kill(&dir, 4, 2);
    let after_second = check_consistent(&dir, &expected);
    assert!(after_second >= after_first + 4 * BATCH);
    assert!(after_second < RECORDS);

    // The full ingest completes the store: every record exactly once.
    let added = ingest_all(&dir, false);
    assert_eq!(added, RECORDS - after_second);
    assert_eq!(check_consistent(&dir, &expected), RECORDS);
    let store = SqliteStore::open(&dir).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!((stats.documents, stats.sources), (RECORDS as u64, RECORDS as u64));
    let mut ids = HashSet::new();
    let visited = store
        .for_each_article(&mut |a| {
            assert!(ids.insert(a.sha256.to_hex()), "article listed twice");
            Ok(())
        })
        .unwrap();
    assert_eq!(visited as usize, RECORDS);
    assert_eq!(ids, expected);
    assert!(store_files(&dir).is_empty(), "files besides the database left: {:?}", store_files(&dir));
}
