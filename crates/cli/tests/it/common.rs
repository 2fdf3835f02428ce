//! Helpers to run the real `presswatch` binary in tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds")
}

/// A fresh store holding the five seeds: the directory (removed when dropped) and the store in it.
pub(crate) fn seeded() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = presswatch(&store, &["ingest", "--quiet", seeds_dir().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, store)
}

pub(crate) fn presswatch(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_presswatch"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("PRESSWATCH_STORE")
        // A PostgreSQL store's search index lives in the user's cache: keep it in the target dir.
        .env("PRESSWATCH_CACHE_DIR", Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"))
        .output()
        .expect("run presswatch")
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub(crate) fn export(store: &Path) -> Vec<serde_json::Value> {
    let out = presswatch(store, &["export"]);
    assert!(out.status.success(), "export failed: {}", stderr(&out));
    stdout(&out).lines().map(|l| serde_json::from_str(l).expect("export line is JSON")).collect()
}

/// Inputs with copies of several kinds, in the order they are always given: the seeds,
/// `wire_copies` near copies of seed 002 (each with a sentence of its own), then the first
/// `corpus_docs` documents of the bench's synthetic corpus (past its first 100, about one in ten
/// a near, spun or partial copy of an earlier one).
pub(crate) fn copy_inputs(dir: &Path, corpus_docs: usize, wire_copies: usize) -> Vec<PathBuf> {
    let corpus = dir.join("corpus.jsonl");
    presswatch_bench::corpus::write_jsonl(&corpus, corpus_docs).unwrap();
    let seed = std::fs::read_to_string(seeds_dir().join("002_0bfac0a650c6561f.txt")).unwrap();
    let wire: String = (0..wire_copies)
        .map(|i| {
            let text = format!("{seed}\n\nCorrection number {i}: an earlier version misspelt a name.");
            format!("{}\n", serde_json::json!({"url": format!("https://wire.example/{i}"), "text": text}))
        })
        .collect();
    let wire_path = dir.join("wire.jsonl");
    std::fs::write(&wire_path, wire).unwrap();
    vec![seeds_dir(), wire_path, corpus]
}
