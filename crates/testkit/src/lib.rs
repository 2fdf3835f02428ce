//! What presswatch's tests build their inputs from, defined once: the five seed fixtures, and
//! the byte-level builders the fault tests need (gzip members, UTF-16 with or without a
//! byte-order mark, WARC response records with a right or a lying Content-Length).
//!
//! A dev-dependency only; it depends on no presswatch crate, so any crate's tests can use it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The repository's seed fixtures (`tests/fixtures/seeds`): five real scraped articles.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds")
}

/// The seed files, in file-name order (000 to 004).
pub fn seed_paths() -> Vec<PathBuf> {
    let dir = seeds_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a readable directory entry").path())
        .collect();
    paths.sort();
    paths
}

/// The seed whose file name starts with `prefix` ("003"): its file name and bytes.
pub fn seed(prefix: &str) -> (String, Vec<u8>) {
    let path = seed_paths()
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))
        .unwrap_or_else(|| panic!("no seed starts with {prefix:?}"));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    (name, std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// `bytes` as one gzip member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("writing to a Vec cannot fail");
    enc.finish().expect("writing to a Vec cannot fail")
}

/// `text` as UTF-16, little- or big-endian, with or without a byte-order mark.
pub fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 * text.len() + 2);
    if bom {
        out.extend_from_slice(if little_endian { &[0xff, 0xfe] } else { &[0xfe, 0xff] });
    }
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    out
}

/// One WARC/1.0 response record for `https://news.example.org/{i}` carrying `html` as an
/// HTTP 200 response, its Content-Length off by `length_delta` bytes (0: right; positive: it
/// would swallow the start of the next record).
pub fn warc_response(i: usize, html: &str, length_delta: i64) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    let len = http.len() as i64 + length_delta;
    format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example.org/{i}\r\n\
         WARC-Record-ID: <urn:uuid:rec-{i}>\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {len}\r\n\r\n{http}\r\n\r\n"
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_make_what_they_say() {
        assert_eq!(seed_paths().len(), 5);
        assert!(seed("002").0.starts_with("002_"));
        assert_eq!(utf16("Aé", true, true), [0xff, 0xfe, b'A', 0, 0xe9, 0]);
        assert_eq!(utf16("A", false, false), [0, b'A']);
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzip(b"abc")[..]), &mut back)
            .unwrap();
        assert_eq!(back, "abc");
        let record = String::from_utf8(warc_response(7, "<p>x</p>", 0)).unwrap();
        let (head, rest) = record.split_once("\r\n\r\n").unwrap();
        let len: usize = head.rsplit("Content-Length: ").next().unwrap().parse().unwrap();
        assert_eq!(&rest[len..], "\r\n\r\n");
    }
}
