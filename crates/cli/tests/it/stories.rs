//! Stories end to end: JSON Lines leads (title, text, and sometimes outlet, url, published) are
//! ingested, and every exported article carries its `story`; the story commands read them.

use crate::common::{export, presswatch, stderr, stdout};
use std::path::Path;

fn leads() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/stories/leads.jsonl")
        .display()
        .to_string()
}

#[test]
fn ingested_leads_are_exported_with_their_story() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = presswatch(&store, &["ingest", "--quiet", &leads()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = export(&store);
    assert_eq!(rows.len(), 6);
    let story_of = |line: usize| {
        let row = rows.iter().find(|r| r["source"].as_str().unwrap().ends_with(&format!("#{line}"))).unwrap();
        row["story"]["id"].as_str().expect("every article has a story").to_string()
    };
    // Three outlets on the Geneva talks (one undated, without outlet): one story.
    assert_eq!(story_of(1), story_of(2));
    assert_eq!(story_of(1), story_of(3));
    // Two on the Fukushima earthquake: another.
    assert_eq!(story_of(4), story_of(5));
    assert_ne!(story_of(1), story_of(4));
    // The library budget is a story of its own.
    assert_ne!(story_of(6), story_of(1));
    assert_ne!(story_of(6), story_of(4));
    let geneva = rows.iter().find(|r| r["story"]["id"] == story_of(1).as_str()).unwrap();
    assert!(geneva["story"]["label"].as_str().unwrap().contains("Geneva"));

    // CSV export carries the story too.
    let csv = stdout(&presswatch(&store, &["export", "--format", "csv"]));
    assert!(csv.lines().next().unwrap().ends_with(",story,story_label"));

    // `stories`: the largest first, as text, JSON Lines and CSV.
    let listed = stdout(&presswatch(&store, &["stories", "--jsonl"]));
    let first: serde_json::Value = serde_json::from_str(listed.lines().next().unwrap()).unwrap();
    assert_eq!(first["size"], 3);
    assert_eq!(listed.lines().count(), 3);
    let top = stdout(&presswatch(&store, &["stories", "--top", "1", "--csv"]));
    assert_eq!(top.lines().count(), 2, "{top}");
    let since = stdout(&presswatch(&store, &["stories", "--since", "2022-02-01", "--jsonl"]));
    assert_eq!(since.lines().count(), 2, "{since}");

    // `story ID` (by a member's id): first report, outlets in order, days.
    let member = rows.iter().find(|r| r["source"].as_str().unwrap().ends_with("#2")).unwrap();
    let out = presswatch(&store, &["story", member["id"].as_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let detail: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(detail["size"], 3);
    assert_eq!(detail["first_report"]["published"], "2022-01-10");
    assert_eq!(detail["outlets"].as_array().unwrap().len(), 2);
    assert_eq!(detail["by_day"][0]["docs"], 2);
    let text = stdout(&presswatch(&store, &["story", &story_of(4)]));
    assert!(text.contains("first report: ") && text.contains("2022-02-13"), "{text}");

    // `compare`: words of one outlet against another, with z-scores, and coverage by day.
    let out = presswatch(&store, &["compare", "left.example", "right.example", "--top", "1000", "--jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let words: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v.get("word").is_some())
        .collect();
    let z = |w: &str| words.iter().find(|v| v["word"] == w).map(|v| v["z"].as_f64().unwrap());
    assert!(z("earthquake").unwrap() > 0.0, "left.example wrote of the earthquake");
    assert!(z("libraries").unwrap() < 0.0, "right.example of the libraries");
    let out =
        presswatch(&store, &["compare", "left.example", "right.example", "--story", &story_of(1), "--csv"]);
    assert!(stdout(&out).starts_with("word,log_odds,z,count_a,count_b"));
}

#[test]
fn plot_writes_svg_and_png_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    assert!(presswatch(&store, &["ingest", "--quiet", &leads()]).status.success());
    let rows = export(&store);
    let member = rows.iter().find(|r| r["source"].as_str().unwrap().ends_with("#2")).unwrap();
    let id = member["id"].as_str().unwrap();
    let svg = dir.path().join("timeline.svg");
    let out = presswatch(&store, &["plot", "timeline", id, "--out", svg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("Geneva") && text.contains("peak days"), "{text}");

    let png = dir.path().join("outlets.png");
    let out = presswatch(
        &store,
        &["plot", "outlets", id, "--out", png.to_str().unwrap(), "--width", "500", "--height", "300"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!((be(16), be(20)), (500, 300));

    // An unknown id, and a file that is neither SVG nor PNG.
    let nothing = presswatch(&store, &["plot", "timeline", "nobody-at-all", "--out", svg.to_str().unwrap()]);
    assert_eq!(nothing.status.code(), Some(1), "{}", stderr(&nothing));
    let jpg = dir.path().join("x.jpg");
    let bad = presswatch(&store, &["plot", "timeline", id, "--out", jpg.to_str().unwrap()]);
    assert!(!bad.status.success() && stderr(&bad).contains(".svg or .png"), "{}", stderr(&bad));
    assert!(!jpg.exists());
}
