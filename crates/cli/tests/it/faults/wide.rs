//! Inputs whose framing lies or whose encoding is wide, end to end: WARC files with a corrupt
//! gzip member or a wrong Content-Length, UTF-16 with and without a byte-order mark.

use super::gzip;
use crate::common::{export, presswatch, stderr, stdout};
use presswatch_testkit::{utf16, warc_response};

/// One WARC response record holding a small HTML page; its Content-Length off by `delta`.
fn response(i: usize, delta: i64) -> Vec<u8> {
    let body = format!(
        "<html><head><title>Page {i}</title></head><body><article><p>Article number {i} reports \
         that the harbour reopened after the storm, officials said.</p></article></body></html>"
    );
    warc_response(i, &body, delta)
}

fn urls(store: &std::path::Path) -> Vec<String> {
    let mut urls: Vec<String> =
        export(store).iter().map(|r| r["url"].as_str().unwrap_or_default().to_string()).collect();
    urls.sort();
    urls
}

#[test]
fn a_warc_loses_only_its_damaged_or_mislabelled_records() {
    let dir = tempfile::tempdir().unwrap();
    // The standard layout: one gzip member per record; the second member's data damaged.
    let mut members: Vec<Vec<u8>> = (1..=3).map(|i| gzip(&response(i, 0))).collect();
    for b in members[1].iter_mut().skip(14).take(12) {
        *b ^= 0x5a;
    }
    let damaged = dir.path().join("damaged.warc.gz");
    std::fs::write(&damaged, members.concat()).unwrap();
    // A Content-Length 40 bytes too large, which would swallow the start of the next record.
    let lying = dir.path().join("lying.warc");
    std::fs::write(&lying, [response(4, 0), response(5, 40), response(6, 0)].concat()).unwrap();

    let store = dir.path().join("store");
    let out = presswatch(&store, &["ingest", damaged.to_str().unwrap(), lying.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 2, "one line per lost record: {err}");
    assert!(err.lines().any(|l| l.contains("damaged.warc.gz#2")), "{err}");
    assert!(err.lines().any(|l| l.contains("lying.warc#2") && l.contains("Content-Length")), "{err}");
    assert!(stdout(&out).contains("4 documents added"), "{}", stdout(&out));
    let expected: Vec<String> =
        [1, 3, 4, 6].iter().map(|i| format!("https://news.example.org/{i}")).collect();
    assert_eq!(urls(&store), expected);
}

#[test]
fn utf16_variants_keep_their_bytes_and_decode() {
    let text =
        "Переговоры в Женеве завершились без прорыва\n\nДипломаты обеих сторон встретились в понедельник \
                и договорились продолжить переговоры весной, сообщили в министерстве.\n";
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    let variants = [
        ("le-bom.txt", true, true),
        ("be-bom.txt", false, true),
        ("le.txt", true, false),
        ("be.txt", false, false),
    ];
    for (name, le, bom) in variants {
        std::fs::write(inputs.join(name), utf16(text, le, bom)).unwrap();
    }
    let store = dir.path().join("store");
    let out = presswatch(&store, &["ingest", inputs.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let records = export(&store);
    assert_eq!(records.len(), 4, "four byte strings, four documents");
    for r in &records {
        let body = r["text"].as_str().unwrap();
        assert!(body.contains("Дипломаты обеих сторон встретились"), "{}: {body:?}", r["source"]);
        // The stored raw bytes are the file's bytes: its SHA-256 is the document's address.
        let name = std::path::Path::new(r["source"].as_str().unwrap()).file_name().unwrap().to_str().unwrap();
        let (_, le, bom) = variants.iter().find(|v| v.0 == name).unwrap();
        let raw = utf16(text, *le, *bom);
        assert_eq!(r["sha256"].as_str().unwrap(), presswatch_model::ContentHash::of(&raw).to_hex(), "{name}");
    }
}
