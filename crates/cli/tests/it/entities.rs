//! `presswatch entities` and `presswatch entity NAME` on the seeds, and the plain-text mode.

use crate::common::*;

#[test]
fn entities_list_and_one_entity_with_its_names_and_quotes() {
    let (_d, store) = seeded();
    let out = presswatch(&store, &["entities", "--jsonl", "--type", "person", "--top", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["type"] == "person"));
    assert_eq!(rows[0]["name"], "Vladimir Putin", "{rows:?}");

    // The misspelt name finds the entity; its names include the misspelling and its quotes.
    let out = presswatch(&store, &["entity", "--json", "Blnken"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let e: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(e["name"], "Antony Blinken");
    assert!(e["aliases"].as_array().unwrap().iter().any(|a| a["name"] == "Antony Blinken"));
    assert!(e["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|q| q["text"].as_str().unwrap().starts_with("It’s very difficult")));

    let out = presswatch(&store, &["entities", "--csv", "--type", "place"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "name", "type", "docs", "mentions"]
    );
    assert!(reader.records().map(Result::unwrap).any(|r| &r[1] == "Kyiv"));

    let missing = presswatch(&store, &["entity", "Nobody Atall"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn entities_of_plain_text_files_use_code_point_offsets_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kyiv-2.txt");
    let text =
        "Президент Владимир Зеленский прибыл в Киев. Secretary of State Antony Blinken met him in Kyiv.";
    std::fs::write(&path, text).unwrap();
    let out = presswatch(&dir.path().join("none"), &["entities", "--jsonl", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let row: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(row["id"], "kyiv-2");
    let chars: Vec<char> = text.chars().collect();
    let entities = row["entities"].as_array().unwrap();
    let kyiv = entities.iter().find(|e| e["name"] == "Kyiv").unwrap();
    let mentions: Vec<String> = kyiv["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| chars[m[0].as_u64().unwrap() as usize..m[1].as_u64().unwrap() as usize].iter().collect())
        .collect();
    assert_eq!(mentions, ["Киев", "Kyiv"]);
    assert!(entities.iter().any(|e| e["name"] == "Владимир Зеленский" && e["type"] == "person"));
    assert!(entities.iter().any(|e| e["name"] == "Antony Blinken" && e["type"] == "person"));
}
