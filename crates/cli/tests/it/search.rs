//! `presswatch search` and `reindex` on the seeds and a built corpus: queries, facet counts
//! against the export's, snippets, and the index against the store after a simulated crash,
//! a reprocess and a re-ingest.

use crate::common::{export, presswatch, seeded, seeds_dir, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn search(store: &Path, args: &[&str]) -> Value {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let out = presswatch(store, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("one JSON object")
}

fn hit_ids(result: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        result["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

fn stats(store: &Path) -> Value {
    let out = presswatch(store, &["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Counts of a facet as the JSON gives them.
fn facet(result: &Value, name: &str) -> BTreeMap<String, u64> {
    result["facets"][name]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap().to_string(), pair[1].as_u64().unwrap()))
        .collect()
}

/// Counts of an exported field's values (`f` picks the value).
fn export_counts(articles: &[Value], f: impl Fn(&Value) -> Option<String>) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for a in articles {
        if let Some(v) = f(a) {
            *counts.entry(v).or_default() += 1;
        }
    }
    counts
}

#[test]
fn seeds_answer_phrases_booleans_fields_and_dates() {
    let (_dir, store) = seeded();
    let articles = export(&store);
    let id_of = |stem: &str| {
        articles
            .iter()
            .find(|a| a["source"].as_str().unwrap().contains(stem))
            .map(|a| a["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    // Every article whose text holds the phrase, and only those.
    let phrase = search(&store, &["\"security guarantees\"", "--limit", "50"]);
    let mut want: Vec<String> = articles
        .iter()
        .filter(|a| a["text"].as_str().unwrap().to_lowercase().contains("security guarantees"))
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    want.sort();
    assert!(!want.is_empty());
    assert_eq!(hit_ids(&phrase), want);
    for hit in phrase["hits"].as_array().unwrap() {
        let text: Vec<char> = hit["snippet"]["text"].as_str().unwrap().chars().collect();
        let marked: Vec<String> = hit["snippet"]["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize].iter().collect())
            .collect();
        assert!(marked.iter().any(|w| w.eq_ignore_ascii_case("guarantees")), "{marked:?}");
    }

    // Seed 000 (March 2021, CGTN) against the December 2021 / January 2022 talks.
    let cgtn = id_of("000_");
    assert_eq!(hit_ids(&search(&store, &["title:isolating"])), [cgtn.as_str()]);
    let talks = search(&store, &["published:[2021-12-01 TO 2022-01-31]", "--limit", "50"]);
    let in_range = articles
        .iter()
        .filter(|a| a["published"].as_str().is_some_and(|p| ("2021-12-01".."2022-02-01").contains(&&p[..10])))
        .count();
    assert_eq!(talks["total"].as_u64().unwrap() as usize, in_range);
    assert!(!hit_ids(&talks).contains(&cgtn));
    let bounded = search(&store, &["", "--since", "2021-12-01", "--until", "2022-01-31", "--limit", "50"]);
    assert_eq!(hit_ids(&bounded), hit_ids(&talks));

    // Boolean: the articles holding the word, less the CGTN one with NOT and -.
    let holding = |word: &str| -> Vec<String> {
        let mut ids: Vec<String> = articles
            .iter()
            .filter(|a| {
                let text = format!("{} {}", a["title"].as_str().unwrap_or(""), a["text"].as_str().unwrap());
                text.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case(word))
            })
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let russia = search(&store, &["russia", "--limit", "50"]);
    assert_eq!(hit_ids(&russia), holding("russia"));
    assert!(hit_ids(&russia).contains(&cgtn));
    let without = search(&store, &["russia AND NOT isolating", "--limit", "50"]);
    let minus = search(&store, &["russia -isolating", "--limit", "50"]);
    let want: Vec<String> =
        holding("russia").into_iter().filter(|id| !holding("isolating").contains(id)).collect();
    assert_eq!(hit_ids(&without), want);
    assert_eq!(hit_ids(&minus), want);
    assert!(!want.contains(&cgtn));
    let either = search(&store, &["isolating OR kremlin", "--limit", "50"]);
    assert!(hit_ids(&either).contains(&cgtn) && either["total"].as_u64().unwrap() >= 2);

    // Text output: ranked, the match marked.
    let want = hit_ids(&phrase);
    let out = presswatch(&store, &["search", "\"security guarantees\""]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(&format!("{} matching articles", want.len())), "{text}");
    assert!(text.contains("**guarantees**") || text.contains("**Guarantees**"), "{text}");
    assert!(text.contains("  1. "));

    // A query that does not parse is an error.
    let out = presswatch(&store, &["search", "title:(unclosed"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("invalid search query"), "{}", stderr(&out));
}

#[test]
fn facet_counts_equal_the_stores_on_a_built_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let corpus = dir.path().join("corpus.jsonl");
    presswatch_bench::corpus::write_jsonl(&corpus, 300).unwrap();
    let out =
        presswatch(&store, &["--quiet", "ingest", seeds_dir().to_str().unwrap(), corpus.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let articles = export(&store);
    let all = search(
        &store,
        &["*", "--facet", "outlet", "--facet", "language", "--facet", "month", "--facet", "copies"],
    );
    assert_eq!(all["total"].as_u64().unwrap() as usize, articles.len());
    assert_eq!(facet(&all, "outlet"), export_counts(&articles, |a| a["outlet"].as_str().map(String::from)));
    assert_eq!(
        facet(&all, "language"),
        export_counts(&articles, |a| a["language"].as_str().map(String::from))
    );
    assert_eq!(
        facet(&all, "month"),
        export_counts(&articles, |a| a["published"].as_str().map(|p| p[..7].to_string()))
    );
    // Copies: every article with a source or copied by one is linked; the rest are not.
    let mut linked: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for a in &articles {
        for d in a["derived_from"].as_array().unwrap() {
            linked.insert(a["id"].as_str().unwrap().to_string());
            linked.insert(d["id"].as_str().unwrap().to_string());
        }
    }
    let copies = facet(&all, "copies");
    assert!(linked.len() > 10);
    assert_eq!(copies.get("yes").copied().unwrap_or(0), linked.len() as u64);
    assert_eq!(copies.values().sum::<u64>() as usize, articles.len());

    // A word's facets count its matches only.
    let word = search(&store, &["ukraine", "--facet", "copies"]);
    assert_eq!(facet(&word, "copies").values().sum::<u64>(), word["total"].as_u64().unwrap());
}

/// Copies every file of one directory (the search index has no subdirectories).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A kill -9 after SQLite's commit and before the index's leaves the index as it was before the
/// write. Simulated by putting the earlier index back: stats and check must say so, reindex (or
/// any write) must repair it. (`faults::kill` kills a real ingest; the store's `crash` test
/// checks the index after real kills too.)
#[test]
fn an_index_behind_the_store_is_reported_and_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let seeds = seeds_dir();
    let first = dir.path().join("first");
    std::fs::create_dir_all(&first).unwrap();
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_str().unwrap() < "003" {
            std::fs::copy(&path, first.join(path.file_name().unwrap())).unwrap();
        }
    }
    assert!(presswatch(&store, &["--quiet", "ingest", first.to_str().unwrap()]).status.success());
    let saved = dir.path().join("saved-index");
    copy_dir(&store.join("search"), &saved);
    assert!(presswatch(&store, &["--quiet", "ingest", seeds.to_str().unwrap()]).status.success());
    let good = stats(&store);
    assert_eq!(good["search_in_step"], true);
    assert_eq!(good["search_documents"], 5);

    std::fs::remove_dir_all(store.join("search")).unwrap();
    copy_dir(&saved, &store.join("search"));
    let behind = stats(&store);
    assert_eq!(behind["search_in_step"], false, "{behind}");
    assert_eq!(behind["search_documents"], 3);
    assert!(behind["search_index"].as_str().unwrap().contains("out of step"));
    // Behind only is reported, but is not damage: the next write catches it up.
    let out = presswatch(&store, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("search index out of step"), "{}", stdout(&out));
    assert!(stdout(&out).contains("catches it up"), "{}", stdout(&out));

    // No index at all is damage, repaired by reindex.
    std::fs::remove_dir_all(store.join("search")).unwrap();
    assert_eq!(stats(&store)["search_in_step"], false);
    let out = presswatch(&store, &["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).contains("repair: run presswatch reindex"), "{}", stdout(&out));

    let out = presswatch(&store, &["reindex"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("indexed 5 articles"), "{}", stdout(&out));
    assert_eq!(stats(&store)["search_in_step"], true);
    assert_eq!(stats(&store)["search_generation"], good["search_generation"]);
    assert!(presswatch(&store, &["check"]).status.success());

    // Left behind again, a search (which may write) catches it up before answering.
    std::fs::remove_dir_all(store.join("search")).unwrap();
    copy_dir(&saved, &store.join("search"));
    assert_eq!(search(&store, &["*"])["total"], 5);
    assert_eq!(stats(&store)["search_in_step"], true);
}

#[test]
fn reprocess_and_reingest_keep_the_index_in_step() {
    let (_dir, store) = seeded();
    let before = search(&store, &["russia ukraine", "--limit", "50", "--facet", "month"]);
    let generation = stats(&store)["store_generation"].clone();

    // The same input again changes nothing, not even the generation.
    let out = presswatch(&store, &["--quiet", "ingest", seeds_dir().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stats(&store)["store_generation"], generation);
    assert_eq!(search(&store, &["russia ukraine", "--limit", "50", "--facet", "month"]), before);

    let out = presswatch(&store, &["--quiet", "reprocess"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = stats(&store);
    assert_eq!(after["search_in_step"], true, "{after}");
    assert!(after["store_generation"].as_u64() > generation.as_u64());
    let again = search(&store, &["russia ukraine", "--limit", "50", "--facet", "month"]);
    assert_eq!(hit_ids(&again), hit_ids(&before));
    assert_eq!(again["facets"], before["facets"]);
}

/// `entity:` finds exactly the articles whose exported entities carry the name, and the
/// `entity` facet counts them as the export does.
#[test]
fn seeds_answer_entity_queries_and_facets() {
    let (_dir, store) = seeded();
    let articles = export(&store);
    let naming = |name: &str| -> Vec<String> {
        let mut ids: Vec<String> = articles
            .iter()
            .filter(|a| a["entities"].as_array().unwrap().iter().any(|e| e["name"] == name))
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let want = naming("Antony Blinken");
    assert!(want.len() >= 2, "the seeds name Blinken in several articles: {want:?}");
    let hits = search(&store, &["entity:blinken", "--limit", "50"]);
    assert_eq!(hit_ids(&hits), want);
    let all = search(&store, &["", "--facet", "entity", "--limit", "0"]);
    let counts = facet(&all, "entity");
    assert_eq!(counts.get("Antony Blinken").copied(), Some(want.len() as u64));
}

/// `story:ID` finds exactly the articles the export puts in that story, the `story` facet
/// counts them as the export does, and the labels come with it.
#[test]
fn seeds_answer_story_queries_and_facets() {
    let (_dir, store) = seeded();
    let articles = export(&store);
    let mut by_story: std::collections::BTreeMap<String, (String, Vec<String>)> = Default::default();
    for a in &articles {
        let story = &a["story"];
        let id = story["id"].as_str().expect("every seed is placed in a story").to_string();
        let entry =
            by_story.entry(id).or_insert_with(|| (story["label"].as_str().unwrap().to_string(), vec![]));
        entry.1.push(a["id"].as_str().unwrap().to_string());
    }
    let all = search(&store, &["", "--facet", "story", "--limit", "0"]);
    let counts = facet(&all, "story");
    assert_eq!(counts.len(), by_story.len(), "{counts:?}");
    for (id, (label, members)) in &by_story {
        assert_eq!(counts.get(id).copied(), Some(members.len() as u64), "{id}");
        assert_eq!(all["story_labels"][id], label.as_str());
        let mut want = members.clone();
        want.sort();
        assert_eq!(hit_ids(&search(&store, &[&format!("story:{id}"), "--limit", "50"])), want);
    }
}
