//! Issue 17, UTF-16: raw bytes stay raw, UTF-16 input is split while it streams, BOM-less
//! UTF-16 is recognised, and NUL-laden junk is rejected instead of decoded into garbage.

use presswatch_ingest::{
    decode_record, documents, records, Format, Limits, RawDocument, RejectReason, Rejection,
};
use presswatch_testkit::utf16;

fn run(name: &str, bytes: &[u8]) -> Vec<Result<RawDocument, Rejection>> {
    documents(name, bytes, Limits::default()).collect()
}

const TEXT: &str = "Переговоры в Женеве завершились без прорыва.\nNegocjacje w Genewie – bez przełomu.\n";

#[test]
fn le_and_be_files_of_one_text_are_two_documents_with_one_body() {
    let le = utf16(TEXT, true, true);
    let be = utf16(TEXT, false, true);
    let rec_le: Vec<_> = records("le.txt", &le[..], Limits::default()).map(Result::unwrap).collect();
    let rec_be: Vec<_> = records("be.txt", &be[..], Limits::default()).map(Result::unwrap).collect();
    assert_eq!(rec_le[0].bytes(), &le[..], "raw bytes as received");
    assert_eq!(rec_be[0].bytes(), &be[..], "raw bytes as received");
    assert_ne!(rec_le[0].hash(), rec_be[0].hash());
    let (a, b) = (decode_record(&rec_le[0]).unwrap(), decode_record(&rec_be[0]).unwrap());
    assert_ne!(a.sha256, b.sha256);
    assert_eq!(a.body, TEXT);
    assert_eq!(b.body, TEXT);
}

#[test]
fn utf16_jsonl_streams_record_by_record() {
    let total = 20_000;
    let lines: Vec<String> = (0..total)
        .map(|i| format!("{{\"url\":\"https://e.x/{i}\",\"text\":\"Статья {i} – текст\"}}"))
        .collect();
    let text = lines.join("\n") + "\n";
    // A record limit far below the input size: only splitting while streaming can pass.
    let limits = Limits { max_record_bytes: 4096, max_input_records: None };
    for le in [true, false] {
        let bytes = utf16(&text, le, true);
        assert!(bytes.len() > 100 * limits.max_record_bytes);
        let recs: Vec<_> = records("u.jsonl", &bytes[..], limits).collect();
        assert_eq!(recs.len(), total, "le={le}");
        for (i, r) in recs.iter().enumerate().step_by(997) {
            let r = r.as_ref().unwrap();
            assert_eq!(r.format(), Format::Jsonl);
            assert_eq!(r.bytes(), &utf16(&lines[i], le, false)[..], "record {i} keeps its UTF-16 bytes");
            let d = decode_record(r).unwrap();
            assert_eq!(d.body, format!("Статья {i} – текст"));
            assert_eq!(d.hints.url, Some(format!("https://e.x/{i}")));
        }
    }
}

#[test]
fn utf16_json_array_html_and_markdown_decode() {
    let json = r#"[{"title":"A","text":"Текст A"},{"title":"B","text":"Текст B"}]"#;
    let docs = run("a.json", &utf16(json, true, true));
    let bodies: Vec<_> = docs.iter().map(|d| d.as_ref().unwrap().body.clone()).collect();
    assert_eq!(bodies, ["Текст A", "Текст B"]);
    let html = "<!DOCTYPE html><html><head><meta charset=\"utf-16\"><title>Т</title></head><body><p>Żółw – новости</p></body></html>";
    let d = run("p.html", &utf16(html, false, true)).remove(0).unwrap();
    assert_eq!(d.format, Format::Html);
    assert!(d.body.contains("<p>Żółw – новости</p>"), "{}", d.body);
    let md = "---\ntitle: Заголовок\n---\nТекст статьи.\n";
    let d = run("n.md", &utf16(md, true, true)).remove(0).unwrap();
    assert_eq!(d.format, Format::Markdown);
    assert_eq!(d.body.trim(), "Текст статьи.");
}

#[test]
fn bomless_utf16_is_recognised() {
    for le in [true, false] {
        let bytes = utf16(TEXT, le, false);
        let docs = run("n.txt", &bytes);
        let d = docs[0].as_ref().unwrap_or_else(|e| panic!("le={le}: {e}"));
        assert_eq!(d.body, TEXT, "le={le}");
        let recs: Vec<_> = records("n.txt", &bytes[..], Limits::default()).map(Result::unwrap).collect();
        assert_eq!(recs[0].bytes(), &bytes[..]);
    }
}

#[test]
fn nul_interleaved_junk_is_rejected_not_decoded_into_garbage() {
    // NUL in three odd positions of four, as UTF-16LE ASCII would have, letters in the even
    // ones, and junk in the rest: read as UTF-16 it is letters strewn with surrogates,
    // private-use and unassigned characters.
    let mut state = 0x2545_f491_u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state >> 8) as u8
    };
    let junk: Vec<u8> =
        (0..4000).flat_map(|i| [b'a' + next() % 26, if i % 4 == 0 { next() | 1 } else { 0 }]).collect();
    let docs = run("j.txt", &junk);
    assert_eq!(docs.len(), 1);
    let err = docs[0].as_ref().expect_err("junk must not become a document");
    assert!(matches!(err.reason, RejectReason::NulBytes { .. } | RejectReason::Binary { .. }), "{err}");
    // Plain ASCII with NULs interleaved is UTF-16 and decodes right.
    let d = run("h.txt", &utf16("Hello world, this is plain text.\n", true, false)).remove(0).unwrap();
    assert_eq!(d.body, "Hello world, this is plain text.\n");
}

fn utf32(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for c in bom.then_some('\u{feff}').into_iter().chain(text.chars()) {
        out.extend_from_slice(&if le { (c as u32).to_le_bytes() } else { (c as u32).to_be_bytes() });
    }
    out
}

#[test]
fn utf32_text_keeps_its_bytes_and_decodes() {
    for le in [true, false] {
        let bytes = utf32(TEXT, le, true);
        let recs: Vec<_> = records("w.txt", &bytes[..], Limits::default()).map(Result::unwrap).collect();
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].bytes(), &bytes[..], "le={le}");
        assert_eq!(decode_record(&recs[0]).unwrap().body, TEXT, "le={le}");
    }
}

#[test]
fn utf32_jsonl_streams_record_by_record() {
    let lines: Vec<String> = (0..3000).map(|i| format!("{{\"text\":\"Текст {i} 😀\"}}")).collect();
    let limits = Limits { max_record_bytes: 1024, max_input_records: None };
    for le in [true, false] {
        let bytes = utf32(&(lines.join("\n") + "\n"), le, true);
        let recs: Vec<_> = records("w.jsonl", &bytes[..], limits).collect();
        assert_eq!(recs.len(), lines.len(), "le={le}");
        for (i, r) in recs.iter().enumerate().step_by(331) {
            let r = r.as_ref().unwrap();
            assert_eq!(r.bytes(), &utf32(&lines[i], le, false)[..]);
            assert_eq!(decode_record(r).unwrap().body, format!("Текст {i} 😀"));
        }
    }
}

#[test]
fn corrupt_gzip_of_utf16_is_reported_as_corrupt_data() {
    use std::io::Write;
    let text = "{\"text\":\"Новость\"}\n".repeat(2000);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&utf16(&text, true, true)).unwrap();
    let mut gz = enc.finish().unwrap();
    let n = gz.len();
    gz.truncate(n - 40);
    let docs = run("t.jsonl.gz", &gz);
    let err = docs.last().unwrap().as_ref().unwrap_err();
    assert!(matches!(err.reason, RejectReason::Decompress(_)), "{err}");
}
