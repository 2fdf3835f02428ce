//! Quote identity across documents, on copies of seed 004 (the spun rewrite of agency copy about
//! Blinken and Ryabkov): the same quote grouped across copies and an unrelated article, altered
//! appearances flagged with their diff, spelling-only changes not flagged; the answer does not
//! depend on ingest order or batches, and `reprocess` gives the same export byte for byte.

use crate::common::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

fn seed_004() -> String {
    std::fs::read_to_string(seeds_dir().join("004_2bbe479d0874b1ba.txt")).unwrap()
}

fn replaced(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (a, b) in pairs {
        assert!(out.contains(a), "seed 004 lacks {a:?}");
        out = out.replace(a, b);
    }
    out
}

fn row(outlet: &str, text: &str, published: &str) -> Value {
    json!({"title": format!("{outlet} on the talks"), "text": text, "published": published, "outlet": outlet,
           "url": format!("https://{}.example/talks", outlet.to_lowercase())})
}

/// The agency's article (seed 004) and six later articles: a verbatim copy, a copy with a word
/// changed and one added, one with a clause cut, one giving a quote to another speaker, one with
/// spelling-only changes (a typo, case, a dash, straight quotation marks), and an unrelated
/// brief quoting Putin.
fn rows() -> Vec<Value> {
    let src = seed_004();
    let changed = replaced(
        &src,
        &[
            (
                "Russia seeks to undermine the international system",
                "Russia seeks to destroy the international system",
            ),
            ("“We have nowhere to go,” Putin", "“We have nowhere else to go,” Putin"),
        ],
    );
    let cut = replaced(&src, &[(", the possibility of doubling that in very short order.”", ".”")]);
    let speaker = replaced(
        &src,
        &[("Tass news agency, Ryabkov remarked,", "Tass news agency, Sergei Lavrov remarked,")],
    );
    let spelling = replaced(
        &src,
        &[
            (
                "Russia seeks to undermine the international system itself, to unravel",
                "russia seeks to undermine the internatonal system itself - to unravel",
            ),
            ("“We have nowhere to go,” Putin", "\"We have nowhere to go,\" Putin"),
        ],
    );
    let brief = "Moscow news in brief.\n\nThe Kremlin repeated its position on Thursday. “They’ve pushed us \
                 to a point where we can’t go any more,” Vladimir Putin said last month, in remarks the \
                 ministry circulated again. Markets were calm and the rouble held steady against the dollar.";
    vec![
        row("Agency", &src, "2022-01-09"),
        row("Mirror", &src, "2022-01-10"),
        row("Changer", &changed, "2022-01-11"),
        row("Cutter", &cut, "2022-01-11"),
        row("Speakers", &speaker, "2022-01-12"),
        row("Typos", &spelling, "2022-01-12"),
        row("Brief", brief, "2022-01-14"),
    ]
}

fn write_jsonl(path: &Path, rows: &[Value]) {
    std::fs::write(path, rows.iter().map(|r| format!("{r}\n")).collect::<String>()).unwrap();
}

fn ingest(store: &Path, file: &Path) {
    let out = presswatch(store, &["--quiet", "ingest", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Articles by outlet.
fn by_outlet(export: &[Value]) -> BTreeMap<String, Value> {
    export.iter().map(|a| (a["outlet"].as_str().unwrap().to_string(), a.clone())).collect()
}

fn quote<'a>(article: &'a Value, starts: &str) -> &'a Value {
    article["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("no quote starting {starts:?} in {}", article["outlet"]))
}

/// The quote fields that depend on the corpus, by quote id.
fn quote_fields(export: &[Value]) -> BTreeMap<String, (Value, Value)> {
    export
        .iter()
        .flat_map(|a| a["quotes"].as_array().unwrap().iter())
        .map(|q| (q["id"].as_str().unwrap().to_string(), (q["group"].clone(), q["altered_from"].clone())))
        .collect()
}

#[test]
fn copies_and_rewrites_group_their_quotes_and_altered_ones_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let (store, file) = (dir.path().join("s"), dir.path().join("copies.jsonl"));
    write_jsonl(&file, &rows());
    ingest(&store, &file);
    let export = export(&store);
    let a = by_outlet(&export);
    let agency = &a["Agency"];
    let id = |q: &Value| q["id"].as_str().unwrap().to_string();
    // Every agency quote is its group's first appearance; every quote of the verbatim copy
    // repeats the agency's at the same place, unaltered.
    for (n, q) in agency["quotes"].as_array().unwrap().iter().enumerate() {
        assert_eq!(q["group"], q["id"], "{q}");
        assert_eq!(q["altered_from"], Value::Null);
        assert_eq!(q["text"], a["Mirror"]["quotes"][n]["text"]);
        assert_eq!(a["Mirror"]["quotes"][n]["group"], q["id"]);
        assert_eq!(a["Mirror"]["quotes"][n]["altered_from"], Value::Null);
    }
    assert!(agency["quotes"].as_array().unwrap().len() >= 20);

    let first = |starts: &str| id(quote(agency, starts));
    let altered = |outlet: &str| -> BTreeMap<String, String> {
        a[outlet]["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|q| !q["altered_from"].is_null())
            .map(|q| {
                (q["text"].as_str().unwrap().to_string(), q["altered_from"].as_str().unwrap().to_string())
            })
            .collect()
    };
    // A changed word and an added one: exactly those two quotes altered, from the agency's.
    let changed = altered("Changer");
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert_eq!(
        changed[quote(&a["Changer"], "Russia seeks to destroy")["text"].as_str().unwrap()],
        first("Russia seeks")
    );
    assert_eq!(changed["We have nowhere else to go,"], first("We have nowhere to go"));
    // A cut clause.
    let cut = altered("Cutter");
    assert_eq!(cut.len(), 1, "{cut:?}");
    assert_eq!(cut.values().next().unwrap(), &first("It’s very difficult"));
    // Another speaker for the same words: both quotes his tag attributes.
    let speakers = altered("Speakers");
    assert_eq!(speakers.len(), 2, "{speakers:?}");
    assert_eq!(speakers["This is a non-starter in the literal sense."], first("This is a non-starter"));
    assert_eq!(quote(&a["Speakers"], "This is a non-starter")["speaker"]["name"], "Sergei Lavrov");
    // Spelling only (typo, case, punctuation, quotation marks): grouped, never altered.
    assert!(altered("Typos").is_empty(), "{:?}", altered("Typos"));
    assert_eq!(quote(&a["Typos"], "russia seeks")["group"].as_str().unwrap(), first("Russia seeks"));
    assert_eq!(quote(&a["Typos"], "We have nowhere")["group"].as_str().unwrap(), first("We have nowhere"));
    // The brief is not a copy of anything, yet its Putin quote is the agency's, by its words.
    let brief = &a["Brief"];
    assert!(brief["derived_from"].as_array().unwrap().is_empty());
    assert_eq!(brief["quotes"][0]["group"].as_str().unwrap(), first("They’ve pushed us"));
    assert_eq!(brief["quotes"][0]["altered_from"], Value::Null);
    // Two different quotes sharing words in linked articles stay apart.
    assert_ne!(first("nothing about Ukraine"), first("nothing about Europe"));
    assert_eq!(
        quote(&a["Changer"], "nothing about Europe")["group"].as_str().unwrap(),
        first("nothing about Europe")
    );

    // `quotes --altered` lists exactly those five appearances, with the diff.
    let out = presswatch(&store, &["quotes", "--altered", "--jsonl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(listed.len(), 5, "{listed:?}");
    let destroy =
        listed.iter().find(|q| q["text"].as_str().unwrap().starts_with("Russia seeks to destroy")).unwrap();
    let marked = |side: &str| -> Vec<String> {
        destroy["alteration"]["diff"][side]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["changed"] == true)
            .map(|s| s["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(marked("first"), ["undermine"]);
    assert_eq!(marked("this"), ["destroy"]);
    assert_eq!(destroy["appearances"], 6);
    let text = stdout(&presswatch(&store, &["quotes", "--altered"]));
    assert!(text.contains("altered: We have nowhere to go, => We have nowhere {+else+} to go,"), "{text}");

    // `who-said` finds the quote from a part of it, misspelt, and shows its spread.
    let out = presswatch(&store, &["who-said", "--jsonl", "pushed us to a piont where"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let groups: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let seen: Vec<(&str, &str)> = groups[0]["appearances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["outlet"].as_str().unwrap(), x["role"].as_str().unwrap()))
        .collect();
    assert_eq!(seen.len(), 7);
    assert_eq!(seen[0], ("Agency", "first"));
    assert_eq!(seen[6], ("Brief", "repeated"));
    let out = presswatch(&store, &["who-said", "We have nowhere to go"]);
    let text = stdout(&out);
    assert!(text.contains("altered   2022-01-11  Changer"), "{text}");
    assert!(text.contains("repeated  2022-01-12  Typos"), "{text}");

    // `show` gives an altered quote's group and diff.
    let changer = a["Changer"]["id"].as_str().unwrap();
    let text = stdout(&presswatch(&store, &["show", changer]));
    assert!(text.contains("Quotes seen elsewhere"), "{text}");
    assert!(text.contains("Russia seeks to [-undermine-] the international"), "{text}");
}

#[test]
fn quote_groups_do_not_depend_on_ingest_order_batches_or_reprocess() {
    let dir = tempfile::tempdir().unwrap();
    let rows = rows();
    let one = dir.path().join("one.jsonl");
    write_jsonl(&one, &rows);
    let store = dir.path().join("one");
    ingest(&store, &one);
    let whole = export(&store);

    // The copies first, the agency's article last, in two ingests.
    let (early, late) = (dir.path().join("early.jsonl"), dir.path().join("late.jsonl"));
    let mut reversed = rows.clone();
    reversed.reverse();
    write_jsonl(&early, &reversed[..4]);
    write_jsonl(&late, &reversed[4..]);
    let two = dir.path().join("two");
    ingest(&two, &early);
    ingest(&two, &late);
    assert_eq!(quote_fields(&export(&two)), quote_fields(&whole));
    assert!(quote_fields(&whole).values().any(|(_, altered)| !altered.is_null()));

    // Reprocess rebuilds the quote index and links: the export is the same, byte for byte.
    let before = stdout(&presswatch(&store, &["export"]));
    let out = presswatch(&store, &["--quiet", "reprocess", "--batch-size", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&presswatch(&store, &["export"])), before);
}
