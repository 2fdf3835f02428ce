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
