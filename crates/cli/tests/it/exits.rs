//! Exit statuses and read commands on a store that is not there (issue 17, item 5).

use crate::common::{presswatch, stderr};

#[test]
fn read_commands_on_a_missing_store_fail_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("typo").join("store");
    for args in [vec!["export"], vec!["stats"], vec!["dups"], vec!["show", "abcdef"], vec!["reprocess"]] {
        let out = presswatch(&store, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("no store at"), "{args:?}: {}", stderr(&out));
        assert!(!dir.path().join("typo").exists(), "{args:?} created the store directory");
    }
}

#[test]
fn usage_errors_have_their_own_status() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = presswatch(&store, &["export", "--no-such-option"]);
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
    assert_eq!(presswatch(&store, &["frobnicate"]).status.code(), Some(64));
    assert_eq!(presswatch(&store, &["ingest"]).status.code(), Some(64), "a missing argument");
    let help = presswatch(&store, &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("64 on a usage error"));
    assert!(!store.exists());
}

/// A damaged blob costs nothing but its own re-derivation: the run goes on, the document keeps
/// its article, every link is rebuilt, the exit status says something failed (issue 17 item 1).
#[test]
fn reprocess_with_a_damaged_blob_keeps_every_article_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let seed = crate::common::seeds_dir().join("004_2bbe479d0874b1ba.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    let copy = dir.path().join("copy.txt");
    std::fs::write(&copy, text.to_uppercase()).unwrap();
    let out = presswatch(&store, &["ingest", seed.to_str().unwrap(), copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = crate::common::export(&store);
    assert!(before.iter().any(|a| !a["derived_from"].as_array().unwrap().is_empty()), "the copy is linked");

    // Damage the original's blob.
    let original =
        before.iter().find(|a| a["source"].as_str().unwrap().ends_with("004_2bbe479d0874b1ba.txt")).unwrap();
    let sha = original["sha256"].as_str().unwrap();
    let conn = rusqlite::Connection::open(store.join("presswatch.sqlite")).unwrap();
    conn.execute("UPDATE blobs SET zstd = X'28B52FFD0000' WHERE sha256 = ?1", [sha]).unwrap();
    drop(conn);

    let out = presswatch(&store, &["reprocess"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line for the one damaged document: {err}");
    assert!(err.contains("004_2bbe479d0874b1ba.txt") && err.contains("previous article is kept"), "{err}");
    assert_eq!(crate::common::export(&store), before, "articles and links as before the reprocess");
}

/// A named pipe given explicitly with no writer is refused after `--fifo-wait`, with one line
/// naming it; the rest of the batch goes on and the exit status says an input was rejected
/// (it used to block `ingest` and `extract` forever).
#[test]
fn an_explicit_fifo_without_writer_is_refused_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let fifo = dir.path().join("pipe");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());
    let text = dir.path().join("a.txt");
    std::fs::write(&text, "A plain article about a summit.\n\nIt has two paragraphs of text.\n").unwrap();
    let (fifo_arg, text_arg) = (fifo.to_str().unwrap(), text.to_str().unwrap());

    let started = std::time::Instant::now();
    let out = presswatch(&store, &["ingest", "--fifo-wait", "0.3", fifo_arg, text_arg]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("pipe")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("named pipe with no writer after 0.3 s"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 documents added"), "{err}");

    let out = presswatch(&store, &["extract", "--jsonl", "--fifo-wait", "0.3", fifo_arg, text_arg]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("named pipe with no writer"), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}
