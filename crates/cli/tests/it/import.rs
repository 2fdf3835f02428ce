//! `presswatch import PARQUET_DIR` (issue 16 item 3): the Spark job's output, written here in
//! the job's schema from a store (each article's per-document record, the provenance fields,
//! its raw bytes; `story` null, as the job leaves it), imported into a new store gives the
//! store's export back (articles, links, stories, quote groups, canonical entities); importing
//! again changes nothing; a corrupt Parquet file and a row whose raw bytes are not its
//! record's are one stderr line each, and the rest is imported.

use crate::common::{presswatch, seeds_dir, stderr, stdout};
use presswatch_arrow::output::{write_articles, write_rejected};
use presswatch_model::ArticleView;
use presswatch_store::{AnyStore, StoreRead};
use std::path::{Path, PathBuf};

/// Documents of the bench's synthetic corpus (past its first 100, about one in ten a copy).
const CORPUS_DOCS: usize = 160;

/// Inputs with copies of several kinds: the seeds, near copies of one seed, the corpus.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    crate::common::copy_inputs(dir, CORPUS_DOCS, 6)
}

/// The export's lines, sorted (the export orders by batch time, which differs between stores).
fn export(store: &Path) -> Vec<String> {
    let out = presswatch(store, &["export"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    lines.sort();
    lines
}

/// The job's rows for every document of `store`, in first-seen order: the stored article (the
/// per-document pipeline's), the provenance fields as read, and the raw bytes.
fn job_rows(store: &Path) -> Vec<(ArticleView, Vec<u8>)> {
    let s = AnyStore::open(store).unwrap();
    let exported: std::collections::HashMap<String, ArticleView> = export(store)
        .iter()
        .map(|l| serde_json::from_str::<ArticleView>(l).unwrap())
        .map(|v| (v.id.to_string(), v))
        .collect();
    presswatch_app::reprocess::documents(&s)
        .unwrap()
        .into_iter()
        .map(|d| {
            let mut view = exported[&d.id.to_string()].clone();
            view.article = s.article(&d.id.to_string()).unwrap().unwrap();
            view.story = None;
            (view, s.raw(&d.sha256).unwrap())
        })
        .collect()
}

/// Writes the rows as the job does: `articles/` in several part files (and Spark's marker and
/// checksum files), `rejected/`.
fn write_job_output(out: &Path, rows: &[(ArticleView, Vec<u8>)]) {
    let articles = out.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::create_dir_all(out.join("rejected")).unwrap();
    let half = rows.len() / 2;
    write_articles(&articles.join("part-00000-x-c000.snappy.parquet"), &rows[..half]).unwrap();
    write_articles(&articles.join("part-00001-x-c000.snappy.parquet"), &rows[half..]).unwrap();
    std::fs::write(articles.join("_SUCCESS"), b"").unwrap();
    std::fs::write(articles.join(".part-00000-x-c000.snappy.parquet.crc"), b"crc").unwrap();
    let rejected = [("feed.jsonl#9".to_string(), "not valid JSON: expected value at line 1".to_string())];
    write_rejected(&out.join("rejected").join("part-00000.parquet"), &rejected).unwrap();
}

#[test]
fn import_gives_the_ingested_store_back_and_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    let mut args = vec!["--quiet", "ingest"];
    let inputs = inputs(dir.path());
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let out = presswatch(&original, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = export(&original);
    // The corpus holds what the comparison is meant to cover.
    let views: Vec<ArticleView> = expected.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(views.iter().filter(|v| !v.derived_from.is_empty()).count() >= 6);
    assert!(views.iter().filter(|v| v.story.is_some()).count() >= views.len() / 2);

    let job = dir.path().join("job-out");
    let rows = job_rows(&original);
    assert_eq!(rows.len(), expected.len());
    write_job_output(&job, &rows);

    let imported = dir.path().join("imported");
    let out = presswatch(&imported, &["import", job.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("{} documents added", rows.len())), "{}", stdout(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let got = export(&imported);
    assert_eq!(got.len(), expected.len());
    let differ = got.iter().zip(&expected).filter(|(a, b)| a != b).count();
    assert_eq!(differ, 0, "{differ} of {} exported articles differ", expected.len());
    // The raw bytes are there: the store checks out, and re-deriving everything from them
    // gives the same articles.
    let check = presswatch(&imported, &["check"]);
    assert!(check.status.success(), "{}{}", stdout(&check), stderr(&check));
    let stats = stdout(&presswatch(&imported, &["stats"]));
    assert!(stats.contains("feed.jsonl#9") || stats.contains("rejected"), "{stats}");

    // Again: nothing changes.
    let again = presswatch(&imported, &["import", job.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains(&format!("0 documents added, {} already present", rows.len())),
        "{}",
        stdout(&again)
    );
    assert_eq!(export(&imported), expected);

    let reprocessed = presswatch(&imported, &["--quiet", "reprocess"]);
    assert!(reprocessed.status.success(), "{}", stderr(&reprocessed));
    assert_eq!(export(&imported), expected);
}

#[test]
fn a_corrupt_file_and_a_bad_row_are_one_line_each_and_the_rest_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    let out = presswatch(&original, &["--quiet", "ingest", seeds_dir().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = export(&original);
    let rows = job_rows(&original);
    let job = dir.path().join("job-out");
    write_job_output(&job, &rows);
    let articles = job.join("articles");
    // Not Parquet at all (a truncated copy of a part file).
    let part = std::fs::read(articles.join("part-00000-x-c000.snappy.parquet")).unwrap();
    std::fs::write(articles.join("part-00002-x-c000.snappy.parquet"), &part[..part.len() / 2]).unwrap();
    // A row whose raw bytes are not its record's (another document's bytes).
    let mut bad = rows[0].clone();
    bad.1 = rows[1].1.clone();
    write_articles(&articles.join("part-00003-x-c000.snappy.parquet"), &[bad]).unwrap();

    let imported = dir.path().join("imported");
    let out = presswatch(&imported, &["import", job.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("presswatch: ")
            && lines[0].contains("part-00002-x-c000.snappy.parquet: not a readable Parquet file"),
        "{err}"
    );
    assert!(lines[1].contains("part-00003-x-c000.snappy.parquet: row 1: raw bytes hash to"), "{err}");
    assert_eq!(export(&imported), expected);
}
