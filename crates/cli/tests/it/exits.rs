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
