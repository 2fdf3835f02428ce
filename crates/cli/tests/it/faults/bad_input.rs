//! The bad-input suite: each bad input gets exactly one stderr line naming it, good inputs in
//! the same batch are still ingested, the exit status is 2, and nothing panics.

use super::gzip;
use crate::common::*;
use std::io::Write;
use std::path::Path;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

#[test]
fn bad_inputs_are_rejected_one_line_each_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let article = "Talks end without a breakthrough\n\nDiplomats from both sides met in Geneva on Monday \
        and agreed to keep talking, officials said after the meeting ended late in the evening.\n\n\
        The next round is planned for the spring, according to a statement released by the ministry.\n";

    // good inputs
    let good = [
        write(&inputs, "good.txt", article.as_bytes()),
        write(&inputs, "latin1.txt", b"Caf\xe9 au lait et cr\xe8me br\xfbl\xe9e\n\nLe ministre a d\xe9clar\xe9 lundi que les n\xe9gociations continueraient \xe0 Gen\xe8ve malgr\xe9 les tensions.\n"),
        write(&inputs, "nul.txt", b"A headline\n\nThe text has a stray\x00 NUL byte in the middle of a sentence that is otherwise fine.\n"),
        write(&inputs, "good.txt.gz", &gzip(b"Another story\n\nCompressed inputs are read transparently by the ingest stage of the pipeline.\n")),
        write(&inputs, "deep.html", format!("<html><body>{}<p>Deep text survives hostile nesting of ten thousand elements.</p>{}</body></html>", "<div>".repeat(10_000), "</div>".repeat(10_000)).as_bytes()),
    ];
    // bad inputs
    let mut junk = vec![0u8; 4096];
    let mut x: u32 = 12345;
    for b in junk.iter_mut() {
        x = x.wrapping_mul(1664525).wrapping_add(1013904223);
        *b = (x >> 24) as u8;
    }
    let huge_line = format!("{{\"title\": \"big\", \"text\": \"{}\"}}\n", "x".repeat(3 << 20));
    let bad = [
        write(&inputs, "empty.txt", b""),
        write(&inputs, "junk.bin", &junk),
        write(&inputs, "broken.json", b"{\"title\": \"half a record\", \"text\": \"the quote never clo"),
        write(
            &inputs,
            "broken.warc",
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>cut",
        ),
        write(&inputs, "huge.jsonl", huge_line.as_bytes()),
    ];

    let store = dir.path().join("s");
    let out = presswatch(&store, &["ingest", "--max-record-mib", "1", inputs.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("presswatch: ")).collect();
    for path in &bad {
        let n = lines.iter().filter(|l| l.starts_with(&format!("presswatch: {path}"))).count();
        assert_eq!(n, 1, "{path}: expected exactly one rejection line in:\n{err}");
    }
    for path in &good {
        assert!(
            !lines.iter().any(|l| l.starts_with(&format!("presswatch: {path}:"))),
            "{path} rejected:\n{err}"
        );
    }
    assert_eq!(lines.len(), bad.len(), "unexpected lines:\n{err}");

    let records = export(&store);
    assert_eq!(records.len(), good.len(), "{records:#?}");
    let latin = records.iter().find(|r| r["source"].as_str().unwrap().ends_with("latin1.txt")).unwrap();
    assert!(latin["text"].as_str().unwrap().contains("négociations continueraient à Genève"));
    let nul = records.iter().find(|r| r["source"].as_str().unwrap().ends_with("nul.txt")).unwrap();
    assert!(!nul["text"].as_str().unwrap().contains('\0'));
    let deep = records.iter().find(|r| r["source"].as_str().unwrap().ends_with("deep.html")).unwrap();
    assert!(deep["text"].as_str().unwrap().contains("Deep text survives"));

    // stats counts the rejections
    let stats = presswatch(&store, &["stats", "--json"]);
    assert!(stats.status.success(), "{}", stderr(&stats));
    assert!(stdout(&stats).contains("\"rejected\": 5"), "{}", stdout(&stats));
}

#[test]
fn missing_path_is_one_rejection_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let missing = dir.path().join("does-not-exist.txt");
    let out = presswatch(&store, &["ingest", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().filter(|l| l.starts_with("presswatch: ")).count(), 1, "{err}");
    assert!(err.contains("does-not-exist.txt"), "{err}");
}

#[test]
fn stdin_input_and_store_from_env() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("envstore");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_presswatch"))
        .args(["ingest", "-", "--quiet"])
        .env("PRESSWATCH_STORE", &store)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"<html><head><title>From stdin</title></head><body><article><p>Piped pages are ingested like files, with the source named as a dash.</p></article></body></html>")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "--quiet printed: {}", stdout(&out));
    let records = export(&store);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["source"], "-");
    assert_eq!(records[0]["format"], "html");
    assert!(records[0]["text"].as_str().unwrap().contains("Piped pages are ingested"));
}
