//! `kill -9` during an ingest, then the same ingest again: the store is consistent and the
//! export equals that of a run never interrupted. (`kill -9` during reprocess is tested with
//! reprocess; the store's own crash test is `crates/store/tests/it/crash.rs`.)

use super::articles_jsonl;
use crate::common::{export, presswatch, stderr};
use serde_json::Value;
use std::process::{Command, Stdio};

fn stored_documents(store: &std::path::Path) -> i64 {
    let Ok(conn) = rusqlite::Connection::open_with_flags(
        store.join("presswatch.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    ) else {
        return 0;
    };
    conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0)).unwrap_or(0)
}

#[test]
fn kill_9_during_ingest_then_rerun_equals_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    articles_jsonl(&input, 3_000, 3);

    let clean = dir.path().join("clean");
    let out = presswatch(&clean, &["ingest", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = by_id(export(&clean));
    assert_eq!(expected.len(), 3_000);

    let killed = dir.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_presswatch"))
        .arg("--store")
        .arg(&killed)
        .args(["ingest", "--batch-size", "8", "--threads", "1"])
        .arg(&input)
        .env_remove("PRESSWATCH_STORE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some batches are committed (and long before the last: 375 batches).
    let mut polls = 0;
    while stored_documents(&killed) < 40 {
        assert!(child.try_wait().unwrap().is_none(), "the ingest ended before it could be killed");
        polls += 1;
        assert!(polls < 60_000, "no batch committed");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = stored_documents(&killed);
    assert!((40..3_000).contains(&partial), "killed with {partial} documents stored");

    assert_eq!(presswatch(&killed, &["check"]).status.code(), Some(0), "consistent after the kill");
    let out = presswatch(&killed, &["ingest", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = by_id(export(&killed));
    assert_eq!(got.len(), expected.len());
    // Within one batch articles are listed by id, and the two runs batched differently.
    assert!(got == expected, "the export differs from that of a clean run");
    assert_eq!(presswatch(&killed, &["check"]).status.code(), Some(0));
}

fn by_id(mut rows: Vec<Value>) -> Vec<Value> {
    rows.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    rows
}
