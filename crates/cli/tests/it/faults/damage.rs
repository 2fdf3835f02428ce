//! Damaged stores: a corrupt article row, lost and damaged blobs, a gap in the provenance
//! index, a store that is not a database, and a store on read-only media. `export` reports and
//! goes on, `check` names each damaged part and its repair, re-ingesting restores raw bytes.

use super::{is_root, Mount};
use crate::common::{export, presswatch, seeded, seeds_dir, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn sql(store: &Path, statement: &str, sha: &str) {
    let conn = rusqlite::Connection::open(store.join("presswatch.sqlite")).unwrap();
    assert_eq!(conn.execute(statement, [sha]).unwrap(), 1, "{statement}");
}

fn check_json(store: &Path) -> (Option<i32>, Value) {
    let out = presswatch(store, &["check", "--json"]);
    let report = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), report)
}

#[test]
fn a_corrupt_article_row_is_reported_and_the_export_goes_on() {
    let (_dir, store) = seeded();
    let before = export(&store);
    let victim = &before[2];
    let sha = victim["sha256"].as_str().unwrap();
    sql(&store, "UPDATE articles SET record = X'28B52FFD0400' WHERE sha256 = ?1", sha);

    for format in ["jsonl", "csv"] {
        let out = presswatch(&store, &["export", "--format", format]);
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "one line for the one damaged row: {err}");
        let id = victim["id"].as_str().unwrap();
        let source = victim["source"].as_str().unwrap();
        assert!(err.contains(id) && err.contains(source) && err.contains("unreadable"), "{err}");
        assert!(err.contains("presswatch reprocess"), "says what repairs it: {err}");
        let rows = match format {
            "csv" => csv::Reader::from_reader(out.stdout.as_slice()).records().count(),
            _ => stdout(&out).lines().count(),
        };
        assert_eq!(rows, before.len() - 1, "{format}");
    }
    let out = presswatch(&store, &["export"]);
    let after: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let expected: Vec<Value> = before.iter().filter(|a| a["sha256"] != sha).cloned().collect();
    assert_eq!(after, expected, "every other article as before");

    // show fails on it, pointing at check; check names it, reprocess repairs it.
    let out = presswatch(&store, &["show", victim["id"].as_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("`presswatch check` lists what is damaged"), "{}", stderr(&out));
    let (code, report) = check_json(&store);
    assert_eq!(code, Some(2));
    assert_eq!(report["damage"][0]["kind"], "article", "{report:#}");
    let out = presswatch(&store, &["reprocess"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(export(&store), before);
    assert_eq!(check_json(&store).0, Some(0));
}

#[test]
fn check_names_each_damaged_part_and_its_repair() {
    let (_dir, store) = seeded();
    let out = presswatch(&store, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("checked 5 documents: 5 raw blobs hashed, 5 articles read, 5 indexed"));
    assert!(stdout(&out).contains("the store is intact"), "{}", stdout(&out));
    let (code, report) = check_json(&store);
    assert_eq!((code, &report["clean"]), (Some(0), &Value::Bool(true)), "{report:#}");

    let before = export(&store);
    let sha = |i: usize| before[i]["sha256"].as_str().unwrap().to_string();
    sql(&store, "DELETE FROM blobs WHERE sha256 = ?1", &sha(0));
    sql(&store, "UPDATE blobs SET zstd = X'28B52FFD0000' WHERE sha256 = ?1", &sha(1));
    // The index keys documents by their id read as a u64, stored bit-cast to INTEGER.
    let doc3 = u64::from_str_radix(&sha(3)[..16], 16).unwrap() as i64;
    sql(&store, "DELETE FROM prov_docs WHERE doc = CAST(?1 AS INTEGER)", &doc3.to_string());

    let out = presswatch(&store, &["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("3 damaged parts found"), "{text}");
    for i in [0, 1] {
        let id = before[i]["id"].as_str().unwrap();
        let line = text.lines().find(|l| l.starts_with("damaged blob") && l.contains(id)).expect(id);
        assert!(line.contains(before[i]["source"].as_str().unwrap()), "{line}");
    }
    assert!(text.contains("missing") && text.contains("is corrupt"), "{text}");
    assert!(text.contains("repair: ingest its input again (presswatch ingest "), "{text}");
    assert!(text.contains("not in the provenance index"), "{text}");
    assert!(text.contains("repair: run presswatch reprocess"), "{text}");

    let (code, report) = check_json(&store);
    assert_eq!(code, Some(2));
    let kinds: Vec<&str> =
        report["damage"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["blob", "blob", "index"], "{report:#}");

    // Re-ingesting the inputs restores both blobs; reprocess rebuilds the index.
    let out = presswatch(&store, &["ingest", seeds_dir().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("0 documents added, 3 already present, 2 restored"), "{}", stdout(&out));
    let (_, report) = check_json(&store);
    let kinds: Vec<&str> =
        report["damage"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["index"], "{report:#}");
    assert!(presswatch(&store, &["reprocess"]).status.success());
    assert_eq!(check_json(&store).0, Some(0));
    assert_eq!(export(&store), before);
}

#[test]
fn check_fails_with_status_1_on_a_store_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    std::fs::create_dir(&store).unwrap();
    std::fs::write(store.join("presswatch.sqlite"), vec![0x5a; 64 * 1024]).unwrap();
    let out = presswatch(&store, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("presswatch: error:"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("`presswatch check` lists"), "check does not send you to check");
}

#[test]
fn a_damaged_database_file_is_reported_by_check() {
    let (_dir, store) = seeded();
    let path = store.join("presswatch.sqlite");
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 16_384;
    let pages = bytes.len() / page;
    for b in &mut bytes[page * (pages / 2)..page * (pages / 2 + 1)] {
        *b = 0xA5;
    }
    std::fs::write(&path, bytes).unwrap();
    let (code, report) = check_json(&store);
    assert_eq!(code, Some(2), "{report:#}");
    let damage = report["damage"].as_array().unwrap();
    assert!(damage.iter().any(|d| d["kind"] == "database"), "{report:#}");
    assert!(damage.iter().any(|d| d["repair"].as_str().unwrap().contains("new store")), "{report:#}");
}

#[test]
fn reingesting_restores_a_lost_or_damaged_blob() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let input = dir.path().join("a.txt");
    std::fs::write(
        &input,
        "Harbour reopens\n\nThe harbour reopened on Friday after a week of storms, the port said.\n",
    )
    .unwrap();
    let input = input.to_str().unwrap();
    assert!(presswatch(&store, &["ingest", input]).status.success());
    let sha = export(&store)[0]["sha256"].as_str().unwrap().to_string();

    for damage in ["DELETE FROM blobs WHERE sha256 = ?1", "UPDATE blobs SET zstd = X'00' WHERE sha256 = ?1"] {
        sql(&store, damage, &sha);
        assert_eq!(check_json(&store).0, Some(2), "{damage}");
        let out = presswatch(&store, &["ingest", input]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("0 already present, 1 restored"), "{damage}: {}", stdout(&out));
        assert_eq!(check_json(&store).0, Some(0), "{damage}");
        let out = presswatch(&store, &["ingest", input]);
        assert!(stdout(&out).contains("1 already present, 0 rejected"), "{}", stdout(&out));
    }
}

/// Makes `dir` and everything in it read-only for its owner (restored by [`Writable`]).
struct Writable(PathBuf);

fn set_mode(dir: &Path, file: u32, directory: u32) {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(file)).unwrap();
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(directory)).unwrap();
}

impl Drop for Writable {
    fn drop(&mut self) {
        set_mode(&self.0, 0o644, 0o755);
    }
}

#[test]
fn a_store_on_read_only_media_can_be_read() {
    let (dir, store) = seeded();
    let before = export(&store);
    let id = before[1]["id"].as_str().unwrap().to_string();
    let files = |p: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let files_before = files(&store);

    // Root ignores permissions, so as root the store is seen through a read-only bind mount
    // (writes fail with EROFS, for root too); otherwise its permissions forbid writing.
    let (_mount, _writable, view) = if is_root() {
        let view = dir.path().join("ro-view");
        (Some(Mount::read_only_view(&store, &view)), None, view)
    } else {
        eprintln!("not root: the store is made read-only by its permissions instead of a read-only mount");
        set_mode(&store, 0o444, 0o555);
        (None, Some(Writable(store.clone())), store.clone())
    };
    assert!(std::fs::write(view.join("probe"), b"x").is_err(), "the view must refuse writes");

    assert_eq!(export(&view), before);
    for args in [
        vec!["show", id.as_str()],
        vec!["copies", id.as_str()],
        vec!["dups"],
        vec!["stats"],
        vec!["check"],
        vec!["search", "russia"],
    ] {
        let out = presswatch(&view, &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let new = dir.path().join("new.txt");
    std::fs::write(
        &new,
        "Mine closes\n\nThe copper mine closed on Thursday after the flood, the owner said.\n",
    )
    .unwrap();
    let out = presswatch(&view, &["ingest", new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a write fails: {}", stderr(&out));
    assert_eq!(files(&store), files_before, "nothing created in the store directory");
}

#[test]
fn a_corrupt_link_row_is_reported_and_the_export_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let seed = seeds_dir().join("004_2bbe479d0874b1ba.txt");
    let copy = dir.path().join("copy.txt");
    std::fs::write(&copy, std::fs::read_to_string(&seed).unwrap().to_uppercase()).unwrap();
    let out = presswatch(&store, &["ingest", seed.to_str().unwrap(), copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = export(&store);
    assert!(before.iter().any(|a| !a["derived_from"].as_array().unwrap().is_empty()), "the copy is linked");
    let conn = rusqlite::Connection::open(store.join("presswatch.sqlite")).unwrap();
    assert_eq!(conn.execute("UPDATE prov_links SET evidence = '[{'", []).unwrap(), 1);
    drop(conn);

    let out = presswatch(&store, &["export"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("a link of article") && err.contains("rebuilds the links"), "{err}");
    let after: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(after.len(), 2, "both articles are exported");
    assert!(after.iter().all(|a| a["derived_from"].as_array().unwrap().is_empty()));

    let (code, report) = check_json(&store);
    assert_eq!(code, Some(2));
    assert_eq!(report["damage"][0]["kind"], "index", "{report:#}");
    assert!(presswatch(&store, &["reprocess"]).status.success());
    assert_eq!(export(&store), before, "reprocess rebuilt the link");
    assert_eq!(check_json(&store).0, Some(0));
}

#[test]
fn a_corrupt_masked_value_is_reported_and_the_export_goes_on() {
    let (_dir, store) = seeded();
    let before = export(&store);
    let victim = &before[1];
    let id = victim["id"].as_str().unwrap();
    // The index keys documents by their id read as a u64, stored bit-cast to INTEGER.
    let doc = u64::from_str_radix(&victim["sha256"].as_str().unwrap()[..16], 16).unwrap() as i64;
    sql(&store, "UPDATE prov_docs SET masked = '[{' WHERE doc = CAST(?1 AS INTEGER)", &doc.to_string());

    for format in ["jsonl", "csv"] {
        let out = presswatch(&store, &["export", "--format", format]);
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "one line for the one damaged value: {err}");
        assert!(err.contains(id) && err.contains(victim["source"].as_str().unwrap()), "{err}");
        assert!(err.contains("outlet-boilerplate spans") && err.contains("presswatch reprocess"), "{err}");
        let rows = match format {
            "csv" => csv::Reader::from_reader(out.stdout.as_slice()).records().count(),
            _ => stdout(&out).lines().count(),
        };
        assert_eq!(rows, before.len() - 1, "{format}: the damaged article is left out, the rest exported");
    }
    let (code, report) = check_json(&store);
    assert_eq!(code, Some(2));
    assert_eq!(report["damage"][0]["kind"], "index", "{report:#}");
    assert!(presswatch(&store, &["reprocess"]).status.success());
    assert_eq!(export(&store), before, "reprocess re-derived the spans");
}
