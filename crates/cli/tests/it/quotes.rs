//! `presswatch quotes`: from the store (text, JSON Lines, CSV, filters) and from plain-text files.

use crate::common::*;

#[test]
fn quotes_from_the_store_filtered_by_speaker_and_date() {
    let (_d, store) = seeded();
    let out = presswatch(&store, &["quotes", "--jsonl", "--speaker", "blinken"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(rows.len() >= 4, "{rows:?}");
    assert!(rows.iter().all(|r| r["speaker"]["name"].as_str().unwrap().contains("Blinken")));
    assert!(rows.iter().any(|r| r["mention"] == "Blnken" && r["speaker"]["name"] == "Antony Blinken"));
    assert!(rows.iter().any(|r| r["text"].as_str().unwrap().starts_with("It’s very difficult")
        && r["content"].as_array().unwrap().len() == 2));

    // Seed 001 is dated 2021-12-13, the others earlier or undated: --since keeps only its quotes.
    let out = presswatch(&store, &["quotes", "--since", "2021-12-01"]);
    let text = stdout(&out);
    assert!(text.contains("Liz Truss (direct): “We have been clear"), "{text}");
    assert!(text.lines().all(|l| l.starts_with("2021-12-13") || l.starts_with("2022")), "{text}");
    let bad = presswatch(&store, &["quotes", "--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn quotes_csv_has_a_header_and_safe_cells() {
    let (_d, store) = seeded();
    let out = presswatch(&store, &["quotes", "--csv", "--speaker", "truss"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "article",
            "published",
            "outlet",
            "speaker",
            "mention",
            "kind",
            "cue",
            "language",
            "text",
            "id",
            "group",
            "appearances",
            "altered_from",
            "diff"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().any(|r| &r[3] == "Liz Truss" && &r[6] == "say" && &r[7] == "en"), "{rows:?}");
}

#[test]
fn quotes_of_plain_text_files_use_code_point_offsets_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kyiv-1.txt");
    let text = "Київ — «Ми готові», — заявив він.\n\n“We are ready,” she said, “and we will win.”\n";
    std::fs::write(&path, text).unwrap();
    let out = presswatch(&dir.path().join("none"), &["quotes", "--jsonl", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let row: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(row["id"], "kyiv-1");
    let chars: Vec<char> = text.chars().collect();
    let slice = |v: &serde_json::Value| -> String {
        let (a, b) = (v[0].as_u64().unwrap() as usize, v[1].as_u64().unwrap() as usize);
        chars[a..b].iter().collect()
    };
    let quotes = row["quotes"].as_array().unwrap();
    let last = quotes.last().unwrap();
    let pieces: Vec<String> = last["content"].as_array().unwrap().iter().map(slice).collect();
    assert_eq!(pieces, ["We are ready,", "and we will win."]);
    assert_eq!(slice(&last["speaker"]), "she");
    assert_eq!(slice(&last["cue"]), "said");
    // No store is needed, and none is created.
    assert!(!dir.path().join("none").exists());
    // Files need --jsonl.
    let usage = presswatch(&dir.path().join("none"), &["quotes", path.to_str().unwrap()]);
    assert_eq!(usage.status.code(), Some(64));
}
