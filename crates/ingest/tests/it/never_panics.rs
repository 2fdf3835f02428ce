//! Arbitrary bytes never panic `records` or `decode_record`, whatever wrapping they come in.

use std::io::Write;

use presswatch_ingest::{decode_record, records, Limits};
use presswatch_model::{Format, Record};
use proptest::prelude::*;

const FORMATS: [Format; 6] =
    [Format::Text, Format::Markdown, Format::Html, Format::Json, Format::Jsonl, Format::Warc];

fn exercise(bytes: &[u8]) {
    let limits = Limits { max_record_bytes: 4096, max_input_records: Some(1000) };
    for record in records("p", bytes, limits).flatten() {
        assert!(record.bytes().len() <= 4096);
        if let Ok(doc) = decode_record(&record) {
            assert!(!doc.body.contains('\0'));
        }
    }
    for format in FORMATS {
        let record = Record::new("p", format, bytes.to_vec());
        if let Ok(doc) = decode_record(&record) {
            assert!(!doc.body.contains('\0'));
        }
    }
}

/// Byte soup biased towards the syntax the splitters care about.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        any::<u8>().prop_map(|b| vec![b]),
        Just(b"WARC/1.0\r\n".to_vec()),
        Just(b"Content-Length: 12\r\n".to_vec()),
        Just(b"WARC-Type: response\r\n\r\n".to_vec()),
        Just(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec()),
        Just(b"{\"text\":\"".to_vec()),
        Just(b"\"}\n".to_vec()),
        Just(b"[{".to_vec()),
        Just(b"---\ntitle: \"".to_vec()),
        Just(b"+++\n".to_vec()),
        Just(b"<meta charset=".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(vec![0x1f, 0x8b, 8, 0]),
        Just(vec![0x28, 0xb5, 0x2f, 0xfd]),
    ];
    proptest::collection::vec(token, 0..64).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        exercise(&bytes);
    }

    #[test]
    fn structured_soup(bytes in soup()) {
        exercise(&bytes);
    }

    #[test]
    fn after_valid_gzip_header(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let mut input = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
        input.extend_from_slice(&bytes);
        exercise(&input);
    }

    #[test]
    fn soup_inside_real_gzip(bytes in soup()) {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&bytes).unwrap();
        exercise(&enc.finish().unwrap());
    }
}
