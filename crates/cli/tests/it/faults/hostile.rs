//! Scraped text and file names never drive the terminal or a spreadsheet (issue 17, item 4).

use crate::common::{presswatch, stderr, stdout};
use std::path::Path;

const HOSTILE_TITLE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31m=cmd|' /C calc'!A0";

/// A page whose title is escape sequences and a spreadsheet formula.
fn hostile_page(dir: &Path) -> std::path::PathBuf {
    let body = "Troops massed near the border on Tuesday, officials said, as talks stalled again. \
                The ministry said the exercises were planned long ago and posed no threat to anyone.";
    let html = format!(
        "<html><head><title>{HOSTILE_TITLE}</title></head><body><article><h1>{HOSTILE_TITLE}</h1>\
         <p>{body}</p><p>{body} Second paragraph.</p></article></body></html>"
    );
    let path = dir.join("hostile.html");
    std::fs::write(&path, html).unwrap();
    path
}

#[test]
fn show_and_listings_print_no_raw_escape() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let page = hostile_page(dir.path());
    let out = presswatch(&store, &["ingest", page.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = crate::common::export(&store);
    let title = exported[0]["title"].as_str().unwrap().to_string();
    assert!(title.contains('\u{1b}'), "the stored title keeps the bytes as found: {title:?}");
    let id = exported[0]["id"].as_str().unwrap().to_string();
    for args in [vec!["show", id.as_str()], vec!["copies", id.as_str()], vec!["stats"], vec!["dups"]] {
        let out = presswatch(&store, &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{args:?} printed raw controls: {text:?}"
        );
    }
    let shown = stdout(&presswatch(&store, &["show", &id]));
    assert!(shown.contains("\\u{1b}]0;pwned"), "escapes are visible: {shown}");
}

#[test]
fn a_hostile_file_name_gives_one_escaped_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let name = dir.path().join("bad\nname\u{1b}[2J.bin");
    std::fs::write(&name, [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 0, 0, 0, 255, 254, 0, 0].repeat(64)).unwrap();
    let out = presswatch(&store, &["ingest", name.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one message, one line: {err:?}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("bad\\u{a}name\\u{1b}[2J.bin"), "{err:?}");
}

#[test]
fn csv_cells_are_not_formulas_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let page = hostile_page(dir.path());
    assert!(presswatch(&store, &["ingest", page.to_str().unwrap()]).status.success());
    let read = |args: &[&str]| {
        let out = presswatch(&store, args);
        assert!(out.status.success(), "{}", stderr(&out));
        let mut csv = csv::Reader::from_reader(out.stdout.as_slice());
        let headers = csv.headers().unwrap().clone();
        let row = csv.records().next().unwrap().unwrap();
        let at = headers.iter().position(|h| h == "title").unwrap();
        row[at].to_string()
    };
    let guarded = read(&["export", "--format", "csv"]);
    assert!(!guarded.contains('\u{1b}'), "{guarded:?}");
    assert!(!guarded.starts_with(['=', '+', '-', '@']), "{guarded:?}");
    let title = crate::common::export(&store)[0]["title"].as_str().unwrap().to_string();
    let raw = read(&["export", "--format", "csv", "--csv-raw"]);
    assert_eq!(raw, title, "--csv-raw writes the cell as stored");
    // A formula at the start of a cell is neutralised with a leading quote.
    assert!(spreadsheet_guard_of("=1+1").starts_with("'="));
}

/// What the guard makes of a cell, through a real export of a text whose title is `cell`.
fn spreadsheet_guard_of(cell: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let page = dir.path().join("f.html");
    let body = "A paragraph long enough to be kept as the article body by the extractor, with words.";
    std::fs::write(&page, format!("<html><head><title>{cell}</title></head><body><article><p>{body}</p><p>{body}</p></article></body></html>")).unwrap();
    assert!(presswatch(&store, &["ingest", page.to_str().unwrap()]).status.success());
    let out = presswatch(&store, &["export", "--format", "csv"]);
    let mut csv = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = csv.headers().unwrap().clone();
    let row = csv.records().next().unwrap().unwrap();
    row[headers.iter().position(|h| h == "title").unwrap()].to_string()
}
