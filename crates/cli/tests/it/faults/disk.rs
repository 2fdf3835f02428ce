//! A full disk: the ingest that hits it fails with one clear error, and the store stays readable
//! and intact, holding everything committed before.

use super::{is_root, Mount};
use crate::common::{export, presswatch, stderr, stdout};

/// `n` JSON Lines records of text that compresses badly (pseudo-random words), about 4 KB each.
fn incompressible_jsonl(path: &std::path::Path, n: usize) {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = String::new();
    for i in 0..n {
        let mut words = Vec::new();
        for _ in 0..600 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            words.push(format!("{:x}", x & 0xff_ffff));
        }
        let row = serde_json::json!({ "title": format!("Filler {i}"), "text": words.join(" ") + "." });
        out.push_str(&row.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_full_disk_is_a_clear_error_and_leaves_a_readable_store() {
    if !is_root() {
        eprintln!("SKIPPED: a full disk is simulated with a small tmpfs, which needs root (CI runs as root)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    let _mount = Mount::tmpfs(&disk, 3 << 20);
    let store = disk.join("store");

    let first = dir.path().join("first.txt");
    std::fs::write(&first, "Dam holds\n\nThe dam held through the night, engineers said on Sunday.\n")
        .unwrap();
    let out = presswatch(&store, &["ingest", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = export(&store);
    assert_eq!(before.len(), 1);

    // About 4 MB of records in one transaction: more than the 3 MiB disk holds.
    let big = dir.path().join("big.jsonl");
    incompressible_jsonl(&big, 1_000);
    let out = presswatch(&store, &["ingest", "--batch-size", "100000", big.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{}{err}", stdout(&out));
    assert!(err.contains("the disk holding the store is full"), "{err}");
    assert!(err.contains("free some space and run the command again"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    assert_eq!(export(&store), before, "the store holds what was committed before");
    let out = presswatch(&store, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
}
