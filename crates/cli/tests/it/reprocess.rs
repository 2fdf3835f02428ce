//! `reprocess` is atomic and deterministic (issue 17 item 1): twice in a row, and against a
//! fresh ingest of the same inputs in the same order, it gives byte-identical exports; killed
//! midway (as by `kill -9`) it leaves the store exactly as before; killed right after it
//! commits, it leaves what a whole reprocess gives.

use crate::common::{presswatch, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Documents of the bench's synthetic corpus: past its first 100, about one in ten is a copy
/// (near, spun or partial) of an earlier one, so provenance has links to find.
const CORPUS_DOCS: usize = 400;

/// Near copies of one seed, each with a sentence of its own: a story copied more often than a
/// key's postings are read (32), where which documents a key nominates depends on how the
/// batches were cut unless the stage caps them across the store and the batch alike.
const WIRE_COPIES: usize = 74;

/// The inputs, in the order they are always given: the seeds, the wire copies, then the
/// synthetic corpus.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    crate::common::copy_inputs(dir, CORPUS_DOCS, WIRE_COPIES)
}

/// A fresh store of `inputs`, ingested in batches of 64 (so batches are cut elsewhere than in
/// the reprocesses below).
fn ingest(store: &Path, inputs: &[PathBuf]) {
    let mut args = vec!["--quiet", "ingest", "--batch-size", "64"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let out = presswatch(store, &args);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The JSON Lines export, as bytes.
fn export(store: &Path) -> Vec<u8> {
    let out = presswatch(store, &["export"]);
    assert!(out.status.success(), "{}", stderr(&out));
    out.stdout
}

/// How many exported articles have a source.
fn derived(export: &[u8]) -> usize {
    String::from_utf8_lossy(export)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|a| a["derived_from"].as_array().is_some_and(|d| !d.is_empty()))
        .count()
}

fn reprocess(store: &Path, batch_size: &str, kill: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_presswatch"));
    command.arg("--store").arg(store).args(["--quiet", "reprocess", "--batch-size", batch_size]);
    command.env_remove("PRESSWATCH_STORE").env_remove("PRESSWATCH_TEST_KILL_REPROCESS");
    if let Some(at) = kill {
        command.env("PRESSWATCH_TEST_KILL_REPROCESS", at);
    }
    command.output().expect("run presswatch")
}

fn assert_same(a: &[u8], b: &[u8], what: &str) {
    if a != b {
        let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
        let differing = a.lines().zip(b.lines()).filter(|(x, y)| x != y).count();
        panic!("{what}: {differing} of {} records differ", a.lines().count());
    }
}

#[test]
fn reprocess_twice_and_a_fresh_ingest_give_byte_identical_exports() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = inputs(dir.path());
    let store = dir.path().join("store");
    ingest(&store, &inputs);
    let ingested = export(&store);
    assert!(derived(&ingested) >= 20, "the corpus has copies: {}", derived(&ingested));

    let out = reprocess(&store, "50", None);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = export(&store);
    let out = reprocess(&store, "37", None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_same(&first, &export(&store), "a second reprocess changed the export");

    let fresh = dir.path().join("fresh");
    ingest(&fresh, &inputs);
    assert_same(&export(&fresh), &first, "a reprocess differs from a fresh ingest");
    assert_same(&ingested, &first, "a reprocess differs from the ingest it re-derives");
}

#[test]
fn a_reprocess_killed_midway_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = inputs(dir.path());
    let store = dir.path().join("store");
    ingest(&store, &inputs);
    let whole = export(&store);
    // Derived data a reprocess would change: the links are gone (as after an older
    // presswatch's failed reprocess).
    let conn = rusqlite::Connection::open(store.join("presswatch.sqlite")).unwrap();
    conn.execute("DELETE FROM prov_links", []).unwrap();
    drop(conn);
    let before = export(&store);
    assert_eq!(derived(&before), 0);

    for at in ["batch:1", "batch:3"] {
        let out = reprocess(&store, "50", Some(at));
        assert_eq!(out.status.code(), None, "{at}: killed by a signal, not exited: {}", stderr(&out));
        assert_same(&export(&store), &before, &format!("a reprocess killed after {at} changed the store"));
    }
    let out = reprocess(&store, "50", Some("committed"));
    assert_eq!(out.status.code(), None, "killed by a signal: {}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert_same(&export(&store), &whole, "a reprocess killed after its commit is whole");
}

/// Every row of the tables a reprocess rewrites (each row written out), sorted.
fn derived_rows(store: &Path) -> Vec<(String, Vec<String>)> {
    let conn = rusqlite::Connection::open(store.join("presswatch.sqlite")).unwrap();
    let tables = [
        "articles",
        "prov_docs",
        "prov_keys",
        "prov_keys_recent",
        "prov_links",
        "outlet_blocks",
        "outlet_blocks_recent",
        "prov_key_filter",
        "prov_move_cursor",
    ];
    tables
        .iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let columns = stmt.column_count();
            let mut rows = stmt
                .query_map([], |row| {
                    let values: Vec<rusqlite::types::Value> =
                        (0..columns).map(|i| row.get(i)).collect::<Result<_, _>>()?;
                    Ok(format!("{values:?}"))
                })
                .unwrap()
                .collect::<Result<Vec<String>, _>>()
                .unwrap();
            rows.sort();
            (table.to_string(), rows)
        })
        .collect()
}

/// An error in the last batch (a document whose bytes and previous article are both
/// unreadable) fails the run, and every batch before it is undone with it: the derived rows are
/// exactly as before, not a cleared index with a few batches rebuilt.
#[test]
fn a_reprocess_that_fails_midway_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = inputs(dir.path());
    let store = dir.path().join("store");
    ingest(&store, &inputs);
    let conn = rusqlite::Connection::open(store.join("presswatch.sqlite")).unwrap();
    conn.execute("DELETE FROM prov_links", []).unwrap();
    let last: String = conn
        .query_row("SELECT sha256 FROM documents ORDER BY first_seen DESC, id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    conn.execute("UPDATE blobs SET zstd = X'28B52FFD0000' WHERE sha256 = ?1", [&last]).unwrap();
    conn.execute("UPDATE articles SET record = X'00' WHERE sha256 = ?1", [&last]).unwrap();
    drop(conn);
    let before = derived_rows(&store);

    let out = reprocess(&store, "50", None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(&last), "the error names the document: {}", stderr(&out));
    assert!(before == derived_rows(&store), "a failed reprocess changed derived rows");
}
