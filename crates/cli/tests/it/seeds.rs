//! The five seed articles, ingested and exported through the real binary, field by field.

use crate::common::*;
use serde_json::Value;

fn by_source<'a>(records: &'a [Value], stem: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["source"].as_str().is_some_and(|s| s.contains(stem)))
        .unwrap_or_else(|| panic!("no record for {stem}"))
}

fn text(r: &Value) -> &str {
    r["text"].as_str().unwrap()
}

fn reasons(r: &Value) -> Vec<&str> {
    r["removed"].as_array().unwrap().iter().map(|x| x["reason"].as_str().unwrap()).collect()
}

fn removed_with(r: &Value, needle: &str) -> Option<String> {
    r["removed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["text"].as_str().unwrap().contains(needle))
        .map(|x| x["reason"].as_str().unwrap().to_string())
}

fn headings(r: &Value) -> Vec<&str> {
    r["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "heading")
        .map(|b| b["text"].as_str().unwrap())
        .collect()
}

fn ingest_seeds() -> (tempfile::TempDir, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = presswatch(&store, &["ingest", seeds_dir().to_str().unwrap()]);
    assert!(out.status.success(), "ingest failed: {}", stderr(&out));
    assert!(stdout(&out).contains("5 documents added"), "summary: {}", stdout(&out));
    let records = export(&store);
    (dir, records)
}

#[test]
fn seeds_ingest_once_and_reingest_changes_nothing() {
    let (dir, first) = ingest_seeds();
    let store = dir.path().join("s");
    assert_eq!(first.len(), 5);
    let stats = |store: &std::path::Path| stdout(&presswatch(store, &["stats", "--json"]));
    let stats_before = stats(&store);
    let again = presswatch(&store, &["ingest", seeds_dir().to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("0 documents added, 5 already present"), "{}", stdout(&again));
    assert_eq!(export(&store), first, "a second ingest changed the export");
    assert_eq!(stats(&store), stats_before, "a second ingest changed the store's counts");
    // ids are stable content addresses
    for r in &first {
        assert_eq!(r["id"].as_str().unwrap(), &r["sha256"].as_str().unwrap()[..16]);
    }
}

#[test]
fn seed_000_markdown_html_cgtn_opinion() {
    let (_d, records) = ingest_seeds();
    let r = by_source(&records, "000_");
    assert_eq!(r["format"], "markdown");
    assert_eq!(r["title"], "Isolating Russia undermines European stability");
    assert_eq!(r["published"], "2021-03-20T03:25:03Z");
    assert_eq!(r["authors"], serde_json::json!(["Bradley Blankenship"]));
    assert_eq!(r["outlet"], "CGTN");
    assert_eq!(r["language"], "en");
    let tags: Vec<&str> = r["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(tags.contains(&"CGTN - Opinions") && tags.contains(&"新媒体"), "{tags:?}");
    let t = text(r);
    assert!(t.starts_with("Russian President Vladimir Putin on March 18 responded"), "{t:.200}");
    assert!(t.trim_end().ends_with("talking to adversaries is not a reward."), "{}", &t[t.len() - 200..]);
    assert!(!t.contains("Editor's note"));
    assert!(!t.contains("opinions@cgtn.com"));
    assert_eq!(removed_with(r, "Editor's note").as_deref(), Some("editors_note"));
    // captions: two images, each caption once in blocks, hidden duplicates removed
    let captions: Vec<&str> = r["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "caption")
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert_eq!(captions.len(), 2, "{captions:?}");
    assert!(captions[0].starts_with("Russia's President Vladimir Putin during a video conference"));
    assert_eq!(reasons(r).iter().filter(|x| **x == "duplicate_caption").count(), 2, "{:?}", reasons(r));
    let images = r["images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert!(images[0]["url"].as_str().unwrap().ends_with("fe2b14ee85ab45fcae511913952d3f4a.png"));
    assert_eq!(images[0]["credit"], "Getty");
    assert!(images[1]["caption"].as_str().unwrap().contains("Josep Borrell"));
    // every paragraph of the article is there
    for needle in [
        "The exchange between the two leaders",
        "Sans evidence",
        "On Thursday, something else happened",
        "When the Soviet Union was formed in 1922",
        "To avoid a replay of this scenario",
    ] {
        assert!(t.contains(needle), "missing {needle}");
    }
}

#[test]
fn seed_001_plain_text_with_date_header() {
    let (_d, records) = ingest_seeds();
    let r = by_source(&records, "001_");
    assert_eq!(r["format"], "text");
    assert_eq!(r["published"], "2021-12-13");
    assert_eq!(r["language"], "en");
    let t = text(r);
    assert!(t.starts_with("The confrontation is a testament to the Biden administration"), "{t:.100}");
    assert!(t.trim_end().ends_with("giving Biden a place among the pacifists of history."));
    assert!(!t.contains("date 2021-12-13"));
    assert_eq!(removed_with(r, "2021-12-13").as_deref(), Some("metadata_line"));
}

#[test]
fn seed_002_byline_at_end_and_german_footer() {
    let (_d, records) = ingest_seeds();
    let r = by_source(&records, "002_");
    assert_eq!(r["title"], "Russia puts transatlantic unity and security in Europe to the test");
    assert_eq!(r["authors"], serde_json::json!(["Petro Burkovskyi"]));
    assert_eq!(r["language"], "en");
    let t = text(r);
    assert!(t.trim_end().ends_with("Putin might remember these lessons."), "{}", &t[t.len() - 120..]);
    assert!(t.starts_with("After failing to agree on exclusive spheres"), "{t:.100}");
    for gone in
        ["donation tool", "Newsletter", "Datenschutz", "Related topics", "works as Senior Fellow", "Photo:"]
    {
        assert!(!t.contains(gone), "{gone} left in the text");
    }
    assert_eq!(removed_with(r, "works as Senior Fellow").as_deref(), Some("byline"));
    assert_eq!(removed_with(r, "simple donation tool").as_deref(), Some("donation_appeal"));
    assert_eq!(removed_with(r, "Newsletter bestellen").as_deref(), Some("newsletter"));
    assert_eq!(removed_with(r, "Datenschutzbestimmungen").as_deref(), Some("cookie_notice"));
    let h = headings(r);
    for heading in [
        "Troublemaking as Russian-style policymaking toward the West",
        "Russian goals in talks with the West",
        "What can happen next?",
    ] {
        assert!(h.contains(&heading), "{heading} not a heading: {h:?}");
    }
    assert_eq!(r["images"][0]["credit"], "White House / Imago Images");
}

#[test]
fn seed_003_aggregator_related_news_removed() {
    let (_d, records) = ingest_seeds();
    let r = by_source(&records, "003_");
    let t = text(r);
    assert!(t.contains("no breakthrough agreement"));
    assert!(
        t.trim_end().ends_with("would hardly be a ringing triumph."),
        "{}",
        &t[t.len().saturating_sub(150)..]
    );
    for gone in ["Read more", "Similar News", "Australia Latest News", "How likely is war"] {
        assert!(!t.contains(gone), "{gone} left in the text");
    }
    let rs = reasons(r);
    assert!(rs.contains(&"related_links"), "{rs:?}");
    assert!(rs.contains(&"repeated_block"), "{rs:?}");
}

#[test]
fn seed_004_spun_copy_footer_widgets() {
    let (_d, records) = ingest_seeds();
    let r = by_source(&records, "004_");
    assert_eq!(r["title"], "As the US and Russia prepare to meet over Ukraine, prospects are dimming.");
    assert_eq!(r["section"], "Europe");
    let t = text(r);
    assert!(
        t.starts_with("With the destiny of Ukraine and maybe post-Cold War European stability on the line")
    );
    assert!(t.trim_end().ends_with("to discuss the next day’s meetings."), "{}", &t[t.len() - 120..]);
    // the truncated lead is a duplicate of the first paragraph
    assert_eq!(t.matches("With the destiny of Ukraine").count(), 1);
    assert_eq!(removed_with(r, "ADVERTISMENT").as_deref(), Some("advertisement"));
    assert_eq!(removed_with(r, "Related Articles").as_deref(), Some("related_links"));
    assert_eq!(removed_with(r, "Leave a Reply").as_deref(), Some("comment_widget"));
    assert_eq!(removed_with(r, "Back to top").as_deref(), Some("back_to_top"));
    assert!(reasons(r).contains(&"duplicate_lead"), "{:?}", reasons(r));
}

#[test]
fn nothing_vanishes_from_text_seeds() {
    // Every non-empty line of a plain-text seed is in the text, a block, or `removed`.
    let (_d, records) = ingest_seeds();
    for stem in ["001_", "002_", "003_", "004_"] {
        let r = by_source(&records, stem);
        let mut pool = String::from(text(r));
        for b in r["blocks"].as_array().unwrap() {
            pool.push_str(b["text"].as_str().unwrap());
        }
        for x in r["removed"].as_array().unwrap() {
            pool.push_str(x["text"].as_str().unwrap());
        }
        pool.push_str(r["title"].as_str().unwrap_or(""));
        pool.push_str(r["section"].as_str().unwrap_or(""));
        let path = std::fs::read_dir(seeds_dir())
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with(stem))
            .unwrap()
            .path();
        for line in std::fs::read_to_string(path).unwrap().lines() {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.is_empty() {
                continue;
            }
            // a line may have been split into sentences or blocks; check by its first 40 chars
            let probe: String = line.chars().take(40).collect();
            assert!(pool.contains(&probe), "{stem}: line vanished: {line:.80}");
        }
    }
}
