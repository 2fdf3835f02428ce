//! export (CSV), show, stats, reprocess and extract through the real binary on the seeds.

use crate::common::*;

#[test]
fn reprocess_rederives_the_same_articles_from_raw_bytes() {
    let (_d, store) = seeded();
    let before = export(&store);
    let out = presswatch(&store, &["reprocess"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("reprocessed 5 documents (0 failed)"), "{}", stdout(&out));
    assert_eq!(export(&store), before);
}

#[test]
fn csv_export_has_header_and_one_row_per_article() {
    let (d, store) = seeded();
    let path = d.path().join("a.csv");
    let out = presswatch(&store, &["export", "--format", "csv", "--out", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[..4], ["id", "source", "sha256", "format"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let title = header.iter().position(|h| h == "title").unwrap();
    assert!(rows.iter().any(|r| &r[title] == "Isolating Russia undermines European stability"));
}

#[test]
fn show_prints_metadata_text_and_removals() {
    let (_d, store) = seeded();
    let records = export(&store);
    let r = records.iter().find(|r| r["source"].as_str().unwrap().contains("002_")).unwrap();
    let id = r["id"].as_str().unwrap();
    let out = presswatch(&store, &["show", &id[..8]]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(
        s.starts_with("Russia puts transatlantic unity and security in Europe to the test\n"),
        "{s:.200}"
    );
    assert!(s.contains("authors:    Petro Burkovskyi"));
    assert!(s.contains("## What can happen next?"));
    assert!(s.contains("[donation_appeal] Did you like"));
    let missing = presswatch(&store, &["show", "ffffffffffff"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no article with id"), "{}", stderr(&missing));
}

#[test]
fn stats_counts_formats_and_languages() {
    let (_d, store) = seeded();
    let out = presswatch(&store, &["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["documents"], 5);
    assert_eq!(v["rejected"], 0);
    assert_eq!(v["by_format"], serde_json::json!([["text", 4], ["markdown", 1]]));
    assert_eq!(v["by_language"], serde_json::json!([["en", 5]]));
    let text = presswatch(&store, &["stats"]);
    assert!(stdout(&text).contains("documents:"), "{}", stdout(&text));
}

#[test]
fn extract_jsonl_uses_file_stem_as_id() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("abc123.html");
    std::fs::write(
        &page,
        "<html><head><title>T</title></head><body><nav><a href=/>Home</a></nav><article><h1>T</h1>\
         <p>The ministers met on Monday and agreed to continue the talks next month in Vienna.</p>\
         </article></body></html>",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_presswatch"))
        .args(["extract", "--jsonl", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let line: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(line["id"], "abc123");
    assert!(line["text"].as_str().unwrap().contains("agreed to continue the talks"));
    assert!(!line["text"].as_str().unwrap().contains("Home"));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let (_d, store) = seeded();
    for args in [&["export"][..], &["stats"][..], &["extract", "--jsonl"][..]] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_presswatch"));
        cmd.arg("--store").arg(&store).args(args);
        if args[0] == "extract" {
            cmd.arg(seeds_dir());
        }
        let mut child =
            cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take()); // the reader goes away before anything is written
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
