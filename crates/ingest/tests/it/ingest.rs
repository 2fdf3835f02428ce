//! End-to-end ingest tests on the seed articles and the fixtures in tests/fixtures.

use std::io::Read;
use std::path::{Path, PathBuf};

use presswatch_ingest::{decode_record, documents, expand_paths, records, Limits, RejectReason, Rejection};
use presswatch_model::{BodyKind, Format, RawDocument};
use presswatch_testkit::{gzip, seed};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

fn run(name: &str, bytes: &[u8]) -> Vec<Result<RawDocument, Rejection>> {
    documents(name, bytes, Limits::default()).collect()
}

fn ok(items: &[Result<RawDocument, Rejection>]) -> Vec<&RawDocument> {
    items.iter().filter_map(|r| r.as_ref().ok()).collect()
}

fn errs(items: &[Result<RawDocument, Rejection>]) -> Vec<&Rejection> {
    items.iter().filter_map(|r| r.as_ref().err()).collect()
}

/// Same documents plain, gzip-wrapped and zstd-wrapped (under a name that lies).
fn run_all_wrappings(name: &str, bytes: &[u8]) -> Vec<Result<RawDocument, Rejection>> {
    let plain = run(name, bytes);
    for wrapped in [gzip(bytes), zstd(bytes), gzip(&zstd(bytes))] {
        let got = run(name, &wrapped);
        assert_eq!(got.len(), plain.len(), "{name}: wrapped input gives other records");
        for (a, b) in got.iter().zip(&plain) {
            match (a, b) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(a), Err(b)) => assert_eq!(a, b),
                _ => panic!("{name}: wrapped {a:?} vs plain {b:?}"),
            }
        }
    }
    plain
}

/// The same results with the input name in every source replaced.
fn renamed(
    items: Vec<Result<RawDocument, Rejection>>,
    from: &str,
    to: &str,
) -> Vec<Result<RawDocument, Rejection>> {
    let fix = |s: &str| s.replacen(from, to, 1);
    items
        .into_iter()
        .map(|r| match r {
            Ok(mut d) => {
                d.source = fix(&d.source);
                Ok(d)
            }
            Err(mut e) => {
                e.source = fix(&e.source);
                Err(e)
            }
        })
        .collect()
}

fn check_body(doc: &RawDocument) {
    assert!(!doc.body.contains('\0'), "{}: NUL in body", doc.source);
}

#[test]
fn seed_000_is_markdown_with_html_body_and_hints() {
    let (name, bytes) = seed("000_");
    let docs = run_all_wrappings(&name, &bytes);
    assert_eq!(docs.len(), 1);
    let d = docs[0].as_ref().unwrap();
    assert_eq!(d.format, Format::Markdown);
    assert_eq!(d.body_kind, BodyKind::Html);
    assert_eq!(d.source, name);
    assert_eq!(d.sha256, presswatch_model::ContentHash::of(&bytes));
    let h = &d.hints;
    assert_eq!(
        h.title.as_deref(),
        Some("\"\"\"\"\"\"\"\"\"\"\"'Isolating Russia undermines European stability'\"\"\"\"\"\"\"\"\"\"\"")
    );
    assert_eq!(h.published.as_deref(), Some("Sat, 20 Mar 2021 03:25:03 GMT"));
    assert_eq!(h.authors, vec!["CGTN - Opinions"]);
    assert_eq!(h.categories, vec!["新媒体", "CGTN - Opinions"]);
    assert!(h.image.as_deref().unwrap().ends_with("fe2b14ee85ab45fcae511913952d3f4a.png"));
    assert!(d.body.trim_start().starts_with("<div>"));
    assert!(!d.body.contains("thumbnail:"), "front matter left in the body");
    assert!(d.body.contains("Bradley Blankenship is a Prague-based American journalist"));
}

#[test]
fn seeds_001_to_004_are_text() {
    for prefix in ["001_", "002_", "003_", "004_"] {
        let (name, bytes) = seed(prefix);
        let docs = run_all_wrappings(&name, &bytes);
        assert_eq!(docs.len(), 1, "{name}");
        let d = docs[0].as_ref().unwrap();
        assert_eq!((d.format, d.body_kind), (Format::Text, BodyKind::Text), "{name}");
        assert_eq!(d.body, String::from_utf8(bytes.clone()).unwrap(), "{name}: text must pass unchanged");
        assert_eq!(d.hints, Default::default());
    }
    let (_, bytes) = seed("001_");
    let d = run("001.txt", &bytes).remove(0).unwrap();
    assert!(d.body.starts_with(" date 2021-12-13 \n"), "header line is kept for the extractor");
}

#[test]
fn json_array_maps_fields_and_rejects_bodiless_record() {
    let docs = run_all_wrappings("articles.json", &fixture("articles.json"));
    assert_eq!(docs.len(), 4);
    let a = docs[0].as_ref().unwrap();
    assert_eq!(a.source, "articles.json#1");
    assert_eq!(a.format, Format::Json);
    assert_eq!(a.body_kind, BodyKind::Text);
    assert_eq!(a.body, "The talks began on Monday.\n\nBoth sides met.");
    assert_eq!(a.hints.url.as_deref(), Some("https://news.example.org/2021/a"));
    assert_eq!(a.hints.title.as_deref(), Some("Talks in Geneva"));
    assert_eq!(a.hints.published.as_deref(), Some("2022-01-10 08:00:00"));
    assert_eq!(a.hints.authors, vec!["Anna Schmidt", "Piotr Nowak"]);
    assert_eq!(a.hints.outlet.as_deref(), Some("news.example.org"));
    assert_eq!(a.hints.language.as_deref(), Some("en"));
    assert_eq!(a.hints.description.as_deref(), Some("Lead"));
    assert_eq!(a.hints.image.as_deref(), Some("https://news.example.org/i.jpg"));
    // Raw record bytes are the element's own JSON text.
    let recs: Vec<_> = records("articles.json", &fixture("articles.json")[..], Limits::default()).collect();
    let first: serde_json::Value = serde_json::from_slice(recs[0].as_ref().unwrap().bytes()).unwrap();
    assert_eq!(first["title"], "Talks in Geneva");

    let b = docs[1].as_ref().unwrap();
    assert_eq!(b.body_kind, BodyKind::Html, "html field is preferred over text");
    assert!(b.body.contains("<article><p>Die Gespräche begannen."));
    assert_eq!(b.hints.authors, vec!["Jana Müller"]);
    assert_eq!(b.hints.outlet.as_deref(), Some("Zeitung"));
    assert_eq!(b.hints.tags, vec!["Genf", "Russland"]);
    assert_eq!(b.hints.section.as_deref(), Some("Politik"));
    assert_eq!(b.hints.published.as_deref(), Some("2022-01-10T09:00:00+01:00"));

    let c = docs[2].as_ref().unwrap_err();
    assert_eq!(c.source, "articles.json#3");
    assert!(matches!(c.reason, RejectReason::NoBody { .. }));
    assert!(c.to_string().starts_with("articles.json#3: no text or html field (expected one of "), "{c}");

    let d = docs[3].as_ref().unwrap();
    assert_eq!(d.body_kind, BodyKind::Html, "HTML in a text field is recognised");
    assert_eq!(d.hints.tags, vec!["Россия", "НАТО"]);
    assert_eq!(d.hints.url.as_deref(), Some("https://x.example/d"));
}

#[test]
fn jsonl_bad_line_rejects_only_that_line() {
    let docs = run_all_wrappings("dump.jsonl", &fixture("articles.jsonl"));
    // Content decides, not the name: the same bytes called .txt are still JSON Lines.
    assert_eq!(renamed(run("dump.txt", &fixture("articles.jsonl")), "dump.txt", "dump.jsonl"), docs);
    let sources: Vec<_> = docs
        .iter()
        .map(|r| r.as_ref().map(|d| d.source.as_str()).unwrap_or_else(|e| e.source.as_str()))
        .collect();
    assert_eq!(sources, ["dump.jsonl#1", "dump.jsonl#3", "dump.jsonl#4", "dump.jsonl#5"]);
    let good = ok(&docs);
    assert_eq!(
        good.iter().map(|d| d.body.as_str()).collect::<Vec<_>>(),
        ["Body number 0.", "Body number 1.", "Body number 2."]
    );
    assert!(good.iter().all(|d| d.format == Format::Jsonl && d.hints.authors == ["Jan Kowalski"]));
    assert_eq!(good[0].hints.outlet.as_deref(), Some("Gazeta"));
    let bad = errs(&docs);
    assert_eq!(bad.len(), 1);
    assert!(matches!(bad[0].reason, RejectReason::MalformedJson { .. }), "{}", bad[0]);
    assert!(bad[0].to_string().starts_with("dump.jsonl#4: malformed JSON: "));
}

#[test]
fn single_json_object_uses_bare_name() {
    let docs = run("one.json", b"{\n  \"title\": \"T\",\n  \"body\": \"Text.\"\n}\n");
    assert_eq!(docs.len(), 1);
    let d = docs[0].as_ref().unwrap();
    assert_eq!((d.source.as_str(), d.body.as_str(), d.format), ("one.json", "Text.", Format::Json));
}

#[test]
fn json_array_truncated_rejects_remainder_once() {
    let mut bytes = fixture("articles.json");
    bytes.truncate(bytes.len() - 60);
    let docs = run("cut.json", &bytes);
    assert_eq!(ok(&docs).len(), 2);
    let bad = errs(&docs);
    assert_eq!(bad.len(), 2, "{bad:?}"); // the bodiless #3, then the cut #4
    assert_eq!(bad[1].source, "cut.json#4");
    assert!(bad[1].to_string().contains("truncated"), "{}", bad[1]);
}

#[test]
fn toml_front_matter() {
    let docs = run_all_wrappings("note.md", &fixture("toml_front.md"));
    let d = docs[0].as_ref().unwrap();
    assert_eq!((d.format, d.body_kind), (Format::Markdown, BodyKind::Markdown));
    assert_eq!(d.hints.title.as_deref(), Some("Le sommet de Genève"));
    assert_eq!(d.hints.published.as_deref(), Some("2022-01-10T10:00:00Z"));
    assert_eq!(d.hints.authors, vec!["Claire Dubois"]);
    assert_eq!(d.hints.tags, vec!["diplomatie", "OTAN"]);
    assert_eq!(d.hints.language.as_deref(), Some("fr"));
    assert_eq!(d.hints.outlet.as_deref(), Some("Le Quotidien"));
    assert!(d.body.trim_start().starts_with("# Le sommet"));
}

#[test]
fn broken_front_matter_is_one_rejection() {
    let docs = run_all_wrappings("broken.md", &fixture("broken_front.md"));
    assert_eq!(docs.len(), 1);
    let e = docs[0].as_ref().unwrap_err();
    assert!(matches!(e.reason, RejectReason::MalformedFrontMatter { .. }));
    assert!(
        e.to_string().starts_with("broken.md: malformed front matter: not key: value data (line 1"),
        "{e}"
    );
}

#[test]
fn html_charsets() {
    let d = run_all_wrappings("ru.html", &fixture("cp1251.html")).remove(0).unwrap();
    assert_eq!((d.format, d.body_kind), (Format::Html, BodyKind::Html));
    assert!(d.body.contains("Переговоры в Женеве завершились без прорыва."), "{}", d.body);
    let d = run("m.html", &fixture("mislabeled.html")).remove(0).unwrap();
    assert!(d.body.contains("Zürich – Genève – Kraków"), "{}", d.body);
}

#[test]
fn legacy_mixed_and_utf16_text_are_decoded() {
    let d = run_all_wrappings("l.txt", &fixture("latin1.txt")).remove(0).unwrap();
    assert_eq!(d.body, "Der Bär läuft über die Straße. Les négociations à Genève ont échoué.\n");
    let d = run_all_wrappings("m.txt", &fixture("mixed.txt")).remove(0).unwrap();
    assert_eq!(d.body, "Kraków é café naïve text continues here.\n");
    check_body(&d);
    let d = run_all_wrappings("u.txt", &fixture("utf16.txt")).remove(0).unwrap();
    assert_eq!(d.format, Format::Text);
    assert_eq!(d.body, "Переговоры в Женеве.\nNegocjacje w Genewie.\n");
}

#[test]
fn warc_keeps_html_responses_and_resources() {
    let bytes = fixture("crawl.warc");
    let docs = run_all_wrappings("crawl.warc", &bytes);
    assert!(errs(&docs).is_empty(), "{:?}", errs(&docs));
    let good = ok(&docs);
    assert_eq!(good.iter().map(|d| d.source.as_str()).collect::<Vec<_>>(), ["crawl.warc#3", "crawl.warc#7"]);
    let a = good[0];
    assert_eq!((a.format, a.body_kind), (Format::Warc, BodyKind::Html));
    assert_eq!(
        a.body,
        "<html><head><title>Café</title></head><body><p>Les négociations à Genève – résumé.</p></body></html>",
        "chunked body dechunked and decoded with the HTTP charset"
    );
    assert_eq!(a.hints.url.as_deref(), Some("https://news.example.org/a"));
    assert!(a.hints.warc_record_id.as_deref().unwrap().starts_with("<urn:uuid:response-"));
    assert_eq!(a.hints.published, None, "WARC-Date is the crawl date");
    let r = good[1];
    assert_eq!(r.hints.url.as_deref(), Some("https://news.example.org/r"));
    assert!(r.body.contains("Resource page żółw"));
    // The record holds the whole WARC record, so decode_record alone redoes everything.
    let recs: Vec<_> = records("crawl.warc", &bytes[..], Limits::default()).map(Result::unwrap).collect();
    assert!(recs[0].bytes().starts_with(b"WARC/1.0\r\nWARC-Type: response\r\n"));
    assert_eq!(&decode_record(&recs[0]).unwrap(), a);
}

#[test]
fn warc_per_record_gzip() {
    // Each record its own gzip member, as crawlers write .warc.gz.
    let bytes = fixture("crawl.warc");
    let mut members = Vec::new();
    let mut starts: Vec<usize> =
        bytes.windows(9).enumerate().filter(|(_, w)| w == b"WARC/1.0\r").map(|(i, _)| i).collect();
    starts.push(bytes.len());
    for w in starts.windows(2) {
        members.extend(gzip(&bytes[w[0]..w[1]]));
    }
    let docs = run("crawl.warc.gz", &members);
    assert_eq!(renamed(docs.clone(), "crawl.warc.gz", "crawl.warc"), run("crawl.warc", &bytes));
    assert_eq!(ok(&docs).len(), 2);
}

#[test]
fn truncated_warc_rejects_remainder_once() {
    let docs = run_all_wrappings("t.warc", &fixture("truncated.warc"));
    assert_eq!(ok(&docs).len(), 1);
    let bad = errs(&docs);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].source, "t.warc#7");
    assert!(bad[0].to_string().contains("truncated"), "{}", bad[0]);
}

#[test]
fn warc_garbage_between_records_is_skipped_once() {
    let bytes = fixture("crawl.warc");
    let cut = memchr::memmem::find(&bytes, b"WARC/1.0\r\nWARC-Type: metadata").unwrap();
    let mut damaged = bytes[..cut].to_vec();
    damaged.extend_from_slice(b"garbage line\r\nmore garbage\r\n");
    damaged.extend_from_slice(&bytes[cut..]);
    let docs = run("d.warc", &damaged);
    assert_eq!(ok(&docs).len(), 2);
    assert_eq!(errs(&docs).len(), 1);
    assert!(matches!(errs(&docs)[0].reason, RejectReason::MalformedWarc { .. }));
}

#[test]
fn empty_and_binary_inputs() {
    for bytes in [&b""[..], b"  \n\n \t"] {
        let docs = run("e.txt", bytes);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].as_ref().unwrap_err().to_string(), "e.txt: empty input");
        assert_eq!(renamed(run("e.txt.gz", &gzip(bytes)), "e.txt.gz", "e.txt"), docs);
    }
    let junk: Vec<u8> = (0u32..100_000).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for bytes in [junk.clone(), gzip(&junk), zstd(&junk)] {
        let docs = run("j.html", &bytes);
        assert_eq!(docs.len(), 1);
        let e = docs[0].as_ref().unwrap_err();
        assert!(matches!(e.reason, RejectReason::Binary { .. }));
        assert!(e.to_string().starts_with("j.html: binary data, not text ("), "{e}");
        assert!(e.to_string().ends_with("% control bytes)"), "{e}");
    }
}

#[test]
fn corrupt_compression_is_reported() {
    let mut gz = gzip(&fixture("latin1.txt"));
    gz.truncate(gz.len() - 12);
    let docs = run("c.txt.gz", &gz);
    assert_eq!(docs.len(), 1);
    let e = docs[0].as_ref().unwrap_err();
    assert!(matches!(e.reason, RejectReason::Decompress(_)), "{e}");
}

/// A huge single line in JSON Lines is skipped without being held, and the next line still
/// comes through.
#[test]
fn oversized_jsonl_line_is_skipped() {
    struct HugeLine {
        stage: u8,
        left: u64,
    }
    impl Read for HugeLine {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let chunk: &[u8] = match self.stage {
                0 => b"{\"text\":\"first\"}\n{\"text\":\"",
                1 if self.left > 0 => {
                    let n = (buf.len() as u64).min(self.left) as usize;
                    buf[..n].fill(b'a');
                    self.left -= n as u64;
                    return Ok(n);
                }
                1 => b"\"}\n{\"text\":\"last\"}\n",
                _ => return Ok(0),
            };
            self.stage += 1;
            let n = chunk.len().min(buf.len());
            buf[..n].copy_from_slice(&chunk[..n]);
            Ok(n)
        }
    }
    let limits = Limits { max_record_bytes: 1 << 20, ..Limits::default() };
    // 64 MiB line against a 1 MiB limit: the same path as 1 GB against 64 MiB, quicker.
    let docs: Vec<_> = documents("big.jsonl", HugeLine { stage: 0, left: 64 << 20 }, limits).collect();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].as_ref().unwrap().body, "first");
    assert_eq!(
        docs[1].as_ref().unwrap_err().to_string(),
        "big.jsonl#2: record larger than 1 MiB limit (raise the record size limit to accept it)"
    );
    assert_eq!(docs[2].as_ref().unwrap().body, "last");
    let default = RejectReason::TooLarge { limit_bytes: Limits::default().max_record_bytes };
    assert!(default.to_string().starts_with("record larger than 64 MiB limit"));
}

#[test]
fn oversized_single_document_is_rejected() {
    let limits = Limits { max_record_bytes: 1000, ..Limits::default() };
    let text = "word ".repeat(1000);
    let docs: Vec<_> = documents("long.txt", text.as_bytes(), limits).collect();
    assert_eq!(docs.len(), 1);
    assert!(matches!(docs[0].as_ref().unwrap_err().reason, RejectReason::TooLarge { limit_bytes: 1000 }));
}

#[test]
fn max_input_records_stops_with_one_rejection() {
    let limits = Limits { max_input_records: Some(2), ..Limits::default() };
    let docs: Vec<_> = documents("a.json", &fixture("articles.json")[..], limits).collect();
    assert_eq!(docs.len(), 3);
    assert!(matches!(docs[2].as_ref().unwrap_err().reason, RejectReason::TooManyRecords { limit: 2 }));
}

/// JSON Lines generated on the fly: 200k records flow through without the input being read
/// ahead of what is consumed.
#[test]
fn streams_many_jsonl_records() {
    struct Gen {
        next: u64,
        total: u64,
        pending: Vec<u8>,
        produced: std::rc::Rc<std::cell::Cell<u64>>,
    }
    impl Read for Gen {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.pending.is_empty() {
                if self.next == self.total {
                    return Ok(0);
                }
                self.pending = format!(
                    "{{\"url\":\"https://x.example/{0}\",\"title\":\"T{0}\",\"text\":\"Body {0}\"}}\n",
                    self.next
                )
                .into_bytes();
                self.next += 1;
            }
            let n = self.pending.len().min(buf.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            self.produced.set(self.produced.get() + n as u64);
            Ok(n)
        }
    }
    let produced = std::rc::Rc::new(std::cell::Cell::new(0));
    let total = 200_000;
    let gen = Gen { next: 0, total, pending: Vec::new(), produced: produced.clone() };
    let mut it = records("gen", gen, Limits::default());
    let first = it.next().unwrap().unwrap();
    assert_eq!(first.format(), Format::Jsonl);
    assert!(produced.get() < 2 << 20, "read {} bytes before the first record", produced.get());
    let mut n = 1u64;
    let mut last = first;
    for r in it {
        last = r.unwrap();
        n += 1;
    }
    assert_eq!(n, total);
    assert_eq!(last.source(), format!("gen#{total}"));
    let d = decode_record(&last).unwrap();
    assert_eq!(d.body, format!("Body {}", total - 1));
}

#[test]
fn expand_paths_walks_sorted_and_reports_missing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b/inner")).unwrap();
    std::fs::create_dir_all(root.join(".hidden")).unwrap();
    for f in ["b/inner/z.txt", "b/a.json", "c.txt", ".hidden/x.txt", "b/.secret"] {
        std::fs::write(root.join(f), "x").unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("b/loop")).unwrap();
    let missing = root.join("nope.txt");
    let got = expand_paths(&[root.to_path_buf(), PathBuf::from("-"), missing.clone()]);
    let oks: Vec<PathBuf> = got.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    assert_eq!(
        oks,
        vec![root.join("c.txt"), root.join("b/a.json"), root.join("b/inner/z.txt"), PathBuf::from("-")]
    );
    let bad: Vec<_> = got.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].source, missing.display().to_string());
    assert!(matches!(bad[0].reason, RejectReason::Io(_)));
}
