//! Issue 17, WARC: a corrupt gzip member or a wrong Content-Length costs only its own record,
//! with one rejection per lost record; every intact record around it comes through.

use presswatch_ingest::{documents, records, Limits, RawDocument, RejectReason, Rejection};
use presswatch_testkit::{gzip, warc_response};

/// One WARC response record holding a small HTML page.
fn response(i: usize, content_length_delta: i64) -> Vec<u8> {
    let html =
        format!("<html><head><title>Page {i}</title></head><body><p>Article number {i}.</p></body></html>");
    warc_response(i, &html, content_length_delta)
}

/// Records written as warcio does: one gzip member per record, concatenated.
fn members(records: &[Vec<u8>]) -> Vec<Vec<u8>> {
    records.iter().map(|r| gzip(r)).collect()
}

fn run(name: &str, bytes: &[u8]) -> Vec<Result<RawDocument, Rejection>> {
    documents(name, bytes, Limits::default()).collect()
}

/// `(source, Ok(url) | Err(reason))` per item, for compact assertions.
fn summary(items: &[Result<RawDocument, Rejection>]) -> Vec<(String, Result<String, RejectReason>)> {
    items
        .iter()
        .map(|r| match r {
            Ok(d) => (d.source.clone(), Ok(d.hints.url.clone().unwrap_or_default())),
            Err(e) => (e.source.clone(), Err(e.reason.clone())),
        })
        .collect()
}

fn assert_first_and_third_survive(name: &str, items: &[Result<RawDocument, Rejection>]) {
    let got = summary(items);
    assert_eq!(got.len(), 3, "{name}: {got:?}");
    assert_eq!(got[0], (format!("{name}#1"), Ok("https://news.example.org/1".to_string())), "{got:?}");
    assert_eq!(got[1].0, format!("{name}#2"), "{got:?}");
    assert!(got[1].1.is_err(), "{got:?}");
    assert_eq!(got[2], (format!("{name}#3"), Ok("https://news.example.org/3".to_string())), "{got:?}");
    for d in items.iter().flatten() {
        assert!(d.body.contains("Article number"), "{}", d.body);
    }
}

#[test]
fn corrupt_middle_member_costs_only_its_record() {
    let recs = [response(1, 0), response(2, 0), response(3, 0)];
    let mut parts = members(&recs);
    // Damage the deflate data of the middle member (past its 10-byte header).
    let m = &mut parts[1];
    for b in m.iter_mut().skip(14).take(12) {
        *b ^= 0x5a;
    }
    let bytes = parts.concat();
    let items = run("c.warc.gz", &bytes);
    assert_first_and_third_survive("c.warc.gz", &items);
    let err = items[1].as_ref().unwrap_err();
    assert!(matches!(err.reason, RejectReason::Decompress(_)), "{err}");
}

#[test]
fn bad_crc_in_middle_member_costs_only_its_record() {
    let recs = [response(1, 0), response(2, 0), response(3, 0)];
    let mut parts = members(&recs);
    let m = &mut parts[1];
    let crc_at = m.len() - 8;
    m[crc_at] ^= 0xff;
    let items = run("k.warc.gz", &parts.concat());
    assert_first_and_third_survive("k.warc.gz", &items);
}

#[test]
fn corrupt_first_and_last_members() {
    let recs = [response(1, 0), response(2, 0), response(3, 0)];
    let mut parts = members(&recs);
    let n = parts[0].len();
    parts[0][n - 8] ^= 0xff;
    let last = parts.len() - 1;
    let n = parts[last].len();
    parts[last].truncate(n - 20);
    let got = summary(&run("f.warc.gz", &parts.concat()));
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(matches!(got[0].1, Err(RejectReason::Decompress(_))), "{got:?}");
    assert_eq!(got[1], ("f.warc.gz#2".to_string(), Ok("https://news.example.org/2".to_string())));
    assert_eq!(got[2].0, "f.warc.gz#3");
    assert!(got[2].1.is_err(), "{got:?}");
}

#[test]
fn too_large_content_length_does_not_swallow_the_next_record() {
    // Record 2 claims 40 bytes more than it has: they would be the start of record 3.
    let recs = [response(1, 0), response(2, 40), response(3, 0)];
    let plain = recs.concat();
    let items = run("l.warc", &plain);
    assert_first_and_third_survive("l.warc", &items);
    let err = items[1].as_ref().unwrap_err();
    assert!(err.to_string().contains("Content-Length"), "{err}");
    // The same in the standard compressed layout.
    assert_first_and_third_survive("l.warc.gz", &run("l.warc.gz", &members(&recs).concat()));
}

#[test]
fn content_length_past_the_end_recovers_the_records_it_covers() {
    let recs = [response(1, 0), response(2, 100_000), response(3, 0)];
    assert_first_and_third_survive("e.warc", &run("e.warc", &recs.concat()));
}

#[test]
fn too_small_content_length_loses_no_record() {
    // The short record is kept (cut short); its tail is junk before record 3, rejected once.
    let recs = [response(1, 0), response(2, -30), response(3, 0)];
    let items = run("s.warc", &recs.concat());
    let urls: Vec<_> = items.iter().flatten().map(|d| d.hints.url.clone().unwrap_or_default()).collect();
    assert_eq!(
        urls,
        ["https://news.example.org/1", "https://news.example.org/2", "https://news.example.org/3"]
    );
    assert_eq!(items.iter().filter(|r| r.is_err()).count(), 1, "{:?}", summary(&items));
}

#[test]
fn many_members_with_every_other_one_corrupt() {
    let recs: Vec<Vec<u8>> = (1..=20).map(|i| response(i, 0)).collect();
    let mut parts = members(&recs);
    for m in parts.iter_mut().skip(1).step_by(2) {
        let crc_at = m.len() - 8;
        m[crc_at] ^= 0xff;
    }
    let got = summary(&run("m.warc.gz", &parts.concat()));
    assert_eq!(got.len(), 20, "{got:?}");
    for (i, (source, item)) in got.iter().enumerate() {
        assert_eq!(source, &format!("m.warc.gz#{}", i + 1));
        assert_eq!(item.is_ok(), i % 2 == 0, "{source}: {item:?}");
    }
    // Record bytes are the WARC records as written.
    let recs_out: Vec<_> = records("m.warc.gz", &parts.concat()[..], Limits::default()).flatten().collect();
    assert_eq!(recs_out[0].bytes(), &recs[0][..recs[0].len() - 4]);
}

/// Not a WARC: the lines before the damage still come through (guards the member decoder).
#[test]
fn truncated_gzip_of_json_lines_still_gives_the_lines_before_the_damage() {
    let text: String = (0..200_000).map(|i| format!("{{\"text\":\"Body {i} of the export\"}}\n")).collect();
    let gz = gzip(text.as_bytes());
    let cut = &gz[..gz.len() * 3 / 4];
    let items = run("t.jsonl.gz", cut);
    let good = items.iter().filter(|r| r.is_ok()).count();
    assert!(good > 100_000, "lines before the damage come through: {good}");
    let bad: Vec<_> = items.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(!bad.is_empty() && bad.len() <= 2, "{bad:?}");
    assert!(matches!(bad.last().unwrap().reason, RejectReason::Decompress(_)), "{bad:?}");
}

#[test]
fn member_boundary_inside_the_record_separator_loses_nothing_intact() {
    // A writer that puts the blank lines ending a record into the next member.
    let recs = [response(1, 0), response(2, 0), response(3, 0)];
    let cut = |r: &Vec<u8>| r.len() - 4;
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut carry: Vec<u8> = Vec::new();
    for r in &recs {
        let mut chunk = std::mem::take(&mut carry);
        chunk.extend_from_slice(&r[..cut(r)]);
        carry = r[cut(r)..].to_vec();
        chunks.push(chunk);
    }
    chunks.push(carry);
    let mut parts: Vec<Vec<u8>> = chunks.iter().map(|c| gzip(c)).collect();
    // Damage the member holding record 2 (and record 1's trailing blank lines).
    let n = parts[1].len();
    parts[1][n - 8] ^= 0xff;
    let got = summary(&run("b.warc.gz", &parts.concat()));
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0], ("b.warc.gz#1".to_string(), Ok("https://news.example.org/1".to_string())));
    assert!(matches!(got[1].1, Err(RejectReason::Decompress(_))), "{got:?}");
    assert_eq!(got[2], ("b.warc.gz#3".to_string(), Ok("https://news.example.org/3".to_string())));
}

#[test]
fn huge_content_length_running_past_the_end_recovers_the_records_after_it() {
    let mut middle = response(2, 0);
    let at = memchr::memmem::find(&middle, b"Content-Length: ").unwrap() + 16;
    let end = at + middle[at..].iter().position(|&b| b == b'\r').unwrap();
    middle.splice(at..end, b"999999999999".iter().copied());
    let recs = [response(1, 0), middle, response(3, 0)];
    let limits = Limits { max_record_bytes: 64 * 1024, max_input_records: None };
    let items: Vec<_> = documents("h.warc", &recs.concat()[..], limits).collect();
    assert_first_and_third_survive("h.warc", &items);
}
