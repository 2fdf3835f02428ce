//! Issue 17 as properties: whatever byte of one gzip member of a `.warc.gz` is damaged, every
//! other record comes through and the damaged one is one rejection; UTF-16 JSON Lines records
//! are exactly the input's bytes.

use presswatch_ingest::{documents, records, Limits};
use presswatch_testkit::{gzip, warc_response};
use proptest::prelude::*;

fn response(i: usize) -> Vec<u8> {
    warc_response(
        i,
        &format!("<html><body><p>Article number {i} with some words in it.</p></body></html>"),
        0,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn one_damaged_member_costs_one_record(
        n in 2usize..6,
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let mut parts: Vec<Vec<u8>> = (1..=n).map(|i| gzip(&response(i))).collect();
        let k = pick.index(n);
        // (Damage to the very first magic bytes makes the file not gzip at all: out of scope.)
        let skip = if k == 0 { 2 } else { 0 };
        let pos = skip + at.index(parts[k].len() - skip);
        parts[k][pos] ^= flip;
        let items: Vec<_> = documents("p.warc.gz", &parts.concat()[..], Limits::default()).collect();
        prop_assert_eq!(items.len(), n, "{:?}", items);
        for (i, item) in items.iter().enumerate() {
            let source = match item {
                Ok(d) => d.source.clone(),
                Err(e) => e.source.clone(),
            };
            prop_assert_eq!(source, format!("p.warc.gz#{}", i + 1));
            if i != k {
                let d = item.as_ref().map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(d.hints.url.clone(), Some(format!("https://news.example.org/{}", i + 1)));
            }
        }
    }

    #[test]
    fn utf16_jsonl_records_are_the_input_bytes(
        texts in proptest::collection::vec("[^\n\r\"\\\\\u{0}-\u{1f}\u{7f}-\u{9f}]{1,40}", 1..30),
        le in any::<bool>(),
    ) {
        let lines: Vec<String> = texts.iter().map(|t| format!("{{\"text\":\"x{t}\"}}")).collect();
        let enc = |s: &str| -> Vec<u8> {
            s.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }).collect()
        };
        let mut input = if le { vec![0xff, 0xfe] } else { vec![0xfe, 0xff] };
        input.extend(enc(&(lines.join("\n") + "\n")));
        let recs: Vec<_> = records("u.jsonl", &input[..], Limits::default()).collect();
        prop_assert_eq!(recs.len(), lines.len());
        for (r, line) in recs.iter().zip(&lines) {
            let r = r.as_ref().map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(r.bytes(), &enc(line)[..]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Anything after a UTF-16 or UTF-32 BOM (or NUL-laden) never panics, and every record
    /// decodes or is rejected.
    #[test]
    fn wide_input_never_panics(
        bom in prop::sample::select(vec![&b"\xff\xfe"[..], b"\xfe\xff", b"\xff\xfe\0\0", b"\0\0\xfe\xff", b""]),
        bytes in proptest::collection::vec(prop_oneof![Just(0u8), Just(b'\n'), Just(b'{'), any::<u8>()], 0..2048),
    ) {
        let input = [bom, &bytes[..]].concat();
        let limits = Limits { max_record_bytes: 4096, max_input_records: Some(1000) };
        for record in records("w", &input[..], limits).flatten() {
            if let Ok(doc) = presswatch_ingest::decode_record(&record) {
                prop_assert!(!doc.body.contains('\0'));
            }
        }
    }
}
