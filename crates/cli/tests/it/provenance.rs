//! Provenance end to end: copies built from a real seed are ingested (the copies before their
//! source), and `export`, `copies`, `dups`, `show` and `reprocess` report who copied whom.

use crate::common::{export, presswatch, seeds_dir, stderr, stdout};
use serde_json::{json, Value};
use std::path::Path;

/// The text of the longest seed, as presswatch cleans it.
fn original_text() -> String {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let out = presswatch(&store, &["--quiet", "ingest", seeds_dir().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    export(&store)
        .into_iter()
        .map(|r| r["text"].as_str().unwrap().to_string())
        .max_by_key(|t| t.len())
        .unwrap()
}

fn sentences(text: &str) -> Vec<String> {
    text.split("\n\n")
        .flat_map(|p| p.split_inclusive(". ").map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Every fourth word of five letters or more misspelt (two letters swapped).
fn spin(text: &str) -> String {
    let mut n = 0;
    text.split(' ')
        .map(|w| {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() >= 5 && chars.iter().all(|c| c.is_alphabetic()) {
                n += 1;
                if n % 4 == 0 {
                    let mut c = chars.clone();
                    c.swap(1, 2);
                    return c.into_iter().collect();
                }
            }
            w.to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn write_jsonl(path: &Path, rows: &[Value]) {
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(path, text).unwrap();
}

fn row(title: &str, text: &str, published: &str, outlet: &str) -> Value {
    json!({"title": title, "text": text, "published": published, "outlet": outlet,
           "url": format!("https://{}.example/{}", outlet.to_lowercase(), title.len())})
}

#[test]
fn copies_point_at_their_source_with_kind_and_evidence() {
    let original = original_text();
    let sents = sentences(&original);
    assert!(sents.len() >= 10, "the longest seed has {} sentences", sents.len());
    let mut reordered = sents.clone();
    reordered.reverse();
    let partial = format!(
        "{}\n\nIn other news, the city council approved a new budget for road repairs on Monday, \
         after a long debate about the cost of winter maintenance and the state of the bridges. \
         Residents will be able to comment on the plans until the end of the month.",
        sents[..sents.len() / 2].join(" ")
    );
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let copies = dir.path().join("copies.jsonl");
    write_jsonl(
        &copies,
        &[
            row("Spun copy", &spin(&original), "2021-12-20", "Farm"),
            row("Reordered copy", &reordered.join(" "), "2021-12-21", "Aggregator"),
            row("Partial copy", &partial, "2021-12-22", "Local"),
        ],
    );
    let source = dir.path().join("source.jsonl");
    write_jsonl(&source, &[row("The original", &original, "2021-12-10", "Agency")]);

    // Copies first, the source later: the earlier published one is still the source.
    for input in [&copies, &source] {
        let out = presswatch(&store, &["--quiet", "ingest", input.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = presswatch(&store, &["--quiet", "ingest", seeds_dir().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    let rows = export(&store);
    let by_title =
        |t: &str| rows.iter().find(|r| r["title"] == t).unwrap_or_else(|| panic!("no {t}")).clone();
    let orig = by_title("The original");
    let orig_id = orig["id"].as_str().unwrap();
    assert_eq!(orig["derived_from"], json!([]));
    for (title, kind) in [("Spun copy", "spun"), ("Reordered copy", "reordered"), ("Partial copy", "partial")]
    {
        let r = by_title(title);
        let d = r["derived_from"].as_array().unwrap();
        assert_eq!(d.len(), 1, "{title}: {d:?}");
        assert_eq!(d[0]["id"], orig_id, "{title}");
        assert_eq!(d[0]["kind"], kind, "{title}");
        let text_len = r["text"].as_str().unwrap().chars().count();
        let orig_len = orig["text"].as_str().unwrap().chars().count();
        for e in d[0]["evidence"].as_array().unwrap() {
            let (s, c) = (&e["source"], &e["copy"]);
            assert!(s[0].as_u64() < s[1].as_u64() && s[1].as_u64().unwrap() as usize <= orig_len, "{e}");
            assert!(c[0].as_u64() < c[1].as_u64() && c[1].as_u64().unwrap() as usize <= text_len, "{e}");
        }
    }
    let share = by_title("Partial copy")["derived_from"][0]["reused_share"].as_f64().unwrap();
    assert!((0.3..0.7).contains(&share), "the partial copy reuses about half: {share}");
    // Whole copies share the source's cluster; the partial one and the seeds do not.
    assert_eq!(by_title("Spun copy")["dup_cluster"], orig_id);
    assert_eq!(by_title("Reordered copy")["dup_cluster"], orig_id);
    assert_eq!(by_title("Partial copy")["dup_cluster"], Value::Null);
    let linked_seeds = rows
        .iter()
        .filter(|r| r["source"].as_str().unwrap().contains("seeds"))
        .filter(|r| r["derived_from"] != json!([]) || !r["dup_cluster"].is_null())
        .count();
    assert_eq!(linked_seeds, 1, "only the seed the copies were made from is linked (as their source)");

    // `copies`: the source's copies.
    let out = presswatch(&store, &["copies", orig_id, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // The three copies, and the seed itself: the same text, published later than "the original".
    let mut kinds: Vec<&str> =
        listed["copies"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["exact", "partial", "reordered", "spun"], "{listed}");
    // `dups`: one cluster: the original, the seed, the spun and the reordered copy.
    let out = presswatch(&store, &["dups", "--json"]);
    let clusters: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    assert_eq!(clusters[0]["size"], 4);
    // `show`: aligned passages, changed words marked (brackets when not on a terminal).
    let spun_id = by_title("Spun copy")["id"].as_str().unwrap().to_string();
    let out = presswatch(&store, &["show", &spun_id]);
    let shown = stdout(&out);
    assert!(shown.contains(&format!("Derived from {orig_id} (spun")), "{shown}");
    assert!(shown.contains(" | ") && shown.contains('['), "{shown}");

    // Reprocessing rebuilds the same provenance; re-ingesting changes nothing.
    let before: Vec<(Value, Value)> =
        rows.iter().map(|r| (r["id"].clone(), r["derived_from"].clone())).collect();
    let out = presswatch(&store, &["--quiet", "reprocess"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = presswatch(&store, &["--quiet", "ingest", copies.to_str().unwrap(), source.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after: Vec<(Value, Value)> =
        export(&store).iter().map(|r| (r["id"].clone(), r["derived_from"].clone())).collect();
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0);
        assert_eq!(b.1.as_array().map(|v| v.len()), a.1.as_array().map(|v| v.len()), "{}", b.0);
        if let (Some(x), Some(y)) = (b.1.get(0), a.1.get(0)) {
            assert_eq!((&x["id"], &x["kind"]), (&y["id"], &y["kind"]));
        }
    }
}
