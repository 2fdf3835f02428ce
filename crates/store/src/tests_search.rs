//! The search index: queries, facets against SQL counts, snippets, and staying in step with
//! SQLite across writes, reopenings, a simulated crash and rebuilds.

use super::*;
use crate::contract::{entry, link};
use presswatch_model::{Article, ArticleMeta, Block, BlockKind, ReuseKind};
use std::path::Path;

/// One article with the given fields; its raw bytes are its text (distinct per article).
fn article(
    title: &str,
    text: &str,
    outlet: &str,
    language: &str,
    published: &str,
    authors: &[&str],
) -> Ingested {
    let record = Record::new(format!("{title}.txt"), Format::Text, format!("{title}\n\n{text}").into_bytes());
    let article = Article {
        meta: ArticleMeta {
            title: Some(title.to_string()),
            outlet: Outlet::new(outlet),
            language: Language::new(language),
            published: Some(published.parse().unwrap()),
            authors: authors.iter().map(|a| a.to_string()).collect(),
            ..Default::default()
        },
        blocks: text
            .split("\n\n")
            .map(|p| Block { kind: BlockKind::Paragraph, text: p.to_string(), language: None })
            .collect(),
        ..Default::default()
    };
    let article = ArticleRecord::new(record.source().to_string(), record.hash(), Format::Text, article);
    Ingested { record, article }
}

fn corpus() -> Vec<Ingested> {
    vec![
        article(
            "Talks in Geneva",
            "Russia demanded security guarantees from NATO before the talks in Geneva.\n\nThe Kremlin said the guarantees must be written.",
            "reuters.com",
            "en",
            "2021-12-17",
            &["Jane Roe"],
        ),
        article(
            "Security in Europe",
            "European security was on the table. Guarantees were not discussed.",
            "bbc.co.uk",
            "en",
            "2022-01-10",
            &["John Doe"],
        ),
        article(
            "Gespräche in Genf",
            "Russland forderte Sicherheitsgarantien. Die Gespräche in Genf endeten ohne Ergebnis.",
            "spiegel.de",
            "de",
            "2022-01-11",
            &[],
        ),
        article(
            "Zürich summit",
            "Leaders met in Zürich to talk about trade, not security.",
            "reuters.com",
            "en",
            "2021-03-20",
            &["Jane Roe"],
        ),
    ]
}

fn ids(results: &SearchResults) -> Vec<String> {
    let mut titles: Vec<String> = results.hits.iter().map(|h| h.title.clone().unwrap_or_default()).collect();
    titles.sort();
    titles
}

fn query<S: StoreSearch>(store: &S, q: &str) -> Vec<String> {
    let mut request = SearchRequest::new(q);
    request.limit = 100;
    ids(&store.search(&request).unwrap())
}

fn check_queries<S: StoreSearch>(store: &S) {
    let geneva = "Talks in Geneva";
    let europe = "Security in Europe";
    let genf = "Gespräche in Genf";
    let zurich = "Zürich summit";
    // Words: all must match; case and accents ignored.
    assert_eq!(query(store, "security guarantees"), [europe, geneva]);
    assert_eq!(query(store, "ZURICH"), [zurich]);
    // A phrase matches the words in order only.
    assert_eq!(query(store, "\"security guarantees\""), [geneva]);
    assert_eq!(query(store, "\"guarantees security\""), Vec::<String>::new());
    // Boolean operators.
    assert_eq!(query(store, "geneva OR genf"), [genf, geneva]);
    assert_eq!(query(store, "security -nato"), [europe, zurich]);
    assert_eq!(query(store, "security AND NOT trade"), [europe, geneva]);
    assert_eq!(query(store, "+security +kremlin"), [geneva]);
    // Fields.
    assert_eq!(query(store, "outlet:reuters.com"), [geneva, zurich]);
    assert_eq!(query(store, "outlet:REUTERS.COM security"), [geneva, zurich]);
    assert_eq!(query(store, "language:de"), [genf]);
    assert_eq!(query(store, "author:roe"), [geneva, zurich]);
    assert_eq!(query(store, "title:security"), [europe]);
    // Date ranges, inclusive, by day.
    assert_eq!(query(store, "published:[2021-12-01 TO 2022-01-10]"), [europe, geneva]);
    assert_eq!(query(store, "published:2022-01-11"), [genf]);
    assert_eq!(query(store, "*"), [genf, europe, geneva, zurich]);
    let mut bounded = SearchRequest::new("");
    bounded.since = Some("2021-12-17".parse().unwrap());
    bounded.until = Some("2022-01-10".parse().unwrap());
    assert_eq!(ids(&store.search(&bounded).unwrap()), [europe, geneva]);
    // A query that does not parse is an error, not an empty result.
    assert!(matches!(
        store.search(&SearchRequest::new("title:(unclosed")),
        Err(StoreError::InvalidQuery { .. })
    ));
}

/// Every hit's snippet marks words of the query, and the marked text is what matched.
fn check_snippets<S: StoreSearch>(store: &S) {
    let results = store.search(&SearchRequest::new("\"security guarantees\"")).unwrap();
    let hit = &results.hits[0];
    assert!(!hit.snippet.highlights.is_empty());
    for &(start, end) in &hit.snippet.highlights {
        let word: String = hit.snippet.text.chars().skip(start).take(end - start).collect();
        assert!(["security", "guarantees"].contains(&word.to_lowercase().as_str()), "{word:?}");
    }
    // Only a field matched: the snippet is the start of the text, nothing marked.
    let results = store.search(&SearchRequest::new("outlet:spiegel.de")).unwrap();
    assert!(results.hits[0].snippet.text.starts_with("Russland forderte"));
    assert!(results.hits[0].snippet.highlights.is_empty());
}

/// Facet counts over all articles equal what SQL counts.
fn check_facets<S: StoreSearch + StoreRead>(store: &S) {
    let mut request = SearchRequest::new("");
    request.facets = FacetField::ALL.to_vec();
    let results = store.search(&request).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(results.total, stats.documents);
    let facet = |f: FacetField| results.facets.iter().find(|c| c.field == f).unwrap().counts.clone();
    let outlets: Vec<(String, u64)> =
        stats.top_outlets.iter().map(|(o, n)| (o.as_str().to_string(), *n)).collect();
    assert_eq!(facet(FacetField::Outlet), outlets);
    let languages: Vec<(String, u64)> = stats
        .by_language
        .iter()
        .filter_map(|(l, n)| l.as_ref().map(|l| (l.as_str().to_string(), *n)))
        .collect();
    assert_eq!(facet(FacetField::Language), languages);
    assert_eq!(
        facet(FacetField::Month),
        [("2021-03".to_string(), 1), ("2021-12".to_string(), 1), ("2022-01".to_string(), 2)]
    );
    assert_eq!(facet(FacetField::Day).len(), 4);
    let copies = facet(FacetField::Copies);
    let yes = copies.iter().find(|(v, _)| v == "yes").map_or(0, |(_, n)| *n);
    assert_eq!(yes, stats.linked);
    assert_eq!(copies.iter().map(|(_, n)| n).sum::<u64>(), stats.documents);
    assert!(facet(FacetField::Story).is_empty());
    // Facets count the matches only.
    let mut request = SearchRequest::new("security");
    request.facets = vec![FacetField::Outlet];
    let results = store.search(&request).unwrap();
    assert_eq!(results.facets[0].counts, [("reuters.com".to_string(), 2), ("bbc.co.uk".to_string(), 1)]);
}

/// Stores the corpus, linking the second article to the first.
fn fill<S: Store>(store: &mut S) {
    let batch = corpus();
    let entries: Vec<_> = batch
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let links = if i == 1 {
                vec![link(item.article.id, batch[0].article.id, ReuseKind::Partial)]
            } else {
                vec![]
            };
            entry(item.article.id, &item.article.text, &[i as u64 + 1], &[], links)
        })
        .collect();
    let published: Vec<_> = batch.iter().map(|i| i.article.meta.published).collect();
    store.put_batch_indexed(&batch, &entries, &published).unwrap();
}

#[test]
fn sqlite_search_answers_queries_facets_and_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    fill(&mut store);
    assert!(store.search_status().unwrap().in_step());
    check_queries(&store);
    check_snippets(&store);
    check_facets(&store);
    // A read-only handle reads the same index.
    drop(store);
    let reader = SqliteStore::open_read_only(dir.path()).unwrap();
    assert!(reader.search_status().unwrap().in_step());
    check_queries(&reader);
}

/// Stories in the index: `story:ID` and the story facet follow placing and merging.
fn check_stories<S: Store + StoreSearch>(store: &mut S) {
    use presswatch_model::{StoryLink, StoryMerge, StoryState};
    let ids: Vec<DocId> = corpus().iter().map(|i| i.article.id).collect();
    let place = |doc: DocId, story: DocId, merges: Vec<StoryMerge>| StoryLink {
        doc,
        story,
        score: 0.5,
        terms: vec![1],
        keys: vec![1],
        state: StoryState { id: story, label: format!("story {story}"), ..Default::default() },
        merges,
    };
    let facet = |store: &S| {
        let mut request = SearchRequest::new("");
        request.facets = vec![FacetField::Story];
        let mut counts = store.search(&request).unwrap().facets[0].counts.clone();
        counts.sort();
        counts
    };
    let (a, b) = (ids[0], ids[1]);
    let links = [place(ids[0], a, vec![]), place(ids[1], b, vec![]), place(ids[2], b, vec![])];
    store.put_batch_corpus(&[], &[], &[], &[], &links).unwrap();
    let mut expected = vec![(a.to_string(), 1), (b.to_string(), 2)];
    expected.sort();
    assert_eq!(facet(store), expected);
    let mut in_b = query(store, &format!("story:{b}"));
    in_b.sort();
    let titles: Vec<String> = corpus().iter().map(|i| i.article.meta.title.clone().unwrap()).collect();
    let mut want = vec![titles[1].clone(), titles[2].clone()];
    want.sort();
    assert_eq!(in_b, want);
    // A bridging document merges b into a: b's members move, in the index too.
    let bridge = place(ids[3], a, vec![StoryMerge { from: b, into: a, doc: ids[3] }]);
    store.put_batch_corpus(&[], &[], &[], &[], &[bridge]).unwrap();
    assert_eq!(facet(store), [(a.to_string(), 4)]);
    assert_eq!(query(store, &format!("story:{a}")).len(), 4);
    assert!(query(store, &format!("story:{b}")).is_empty());
}

#[test]
fn the_story_field_and_facet_follow_placing_and_merging() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    fill(&mut store);
    check_stories(&mut store);
    assert!(store.search_status().unwrap().in_step());
    // A rebuild reads the same stories.
    store.reindex(&mut |_, _| {}).unwrap();
    let mut request = SearchRequest::new("");
    request.facets = vec![FacetField::Story];
    assert_eq!(store.search(&request).unwrap().facets[0].counts.len(), 1);
    let mut memory = MemoryStore::new();
    fill(&mut memory);
    check_stories(&mut memory);
}

#[test]
fn memory_search_answers_the_same() {
    let mut store = MemoryStore::new();
    fill(&mut store);
    check_queries(&store);
    check_snippets(&store);
    check_facets(&store);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A crash between SQLite's commit and the index's leaves the index as it was before the
/// write: put it back that way, and the lag must show, and be caught up.
#[test]
fn an_index_left_behind_by_a_crash_is_detected_and_caught_up() {
    let dir = tempfile::tempdir().unwrap();
    let saved = tempfile::tempdir().unwrap();
    let search_dir = dir.path().join(SEARCH_DIR);
    let mut items = corpus();
    let last = items.pop().unwrap();
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        store.put_batch(&items).unwrap();
        let status = store.search_status().unwrap();
        assert!(status.in_step());
        assert_eq!(status.index.unwrap().documents, 3);
    }
    copy_dir(&search_dir, saved.path());
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        store.put_batch(std::slice::from_ref(&last)).unwrap();
    }
    // The "crash": the index as it was before the last write.
    std::fs::remove_dir_all(&search_dir).unwrap();
    copy_dir(saved.path(), &search_dir);

    let reader = SqliteStore::open_read_only(dir.path()).unwrap();
    let status = reader.search_status().unwrap();
    assert!(!status.in_step(), "{status:?}");
    assert!(status.index.unwrap().generation < status.store_generation);
    assert_eq!((status.index.unwrap().documents, status.store_articles), (3, 4));
    assert!(status.describe().contains("out of step"));
    assert_eq!(query(&reader, "zurich"), Vec::<String>::new());

    // Opening for writing catches up from the change list.
    let store = SqliteStore::open(dir.path()).unwrap();
    assert!(store.search_status().unwrap().in_step());
    assert_eq!(query(&store, "zurich"), ["Zürich summit"]);
    // The reader sees it too.
    assert!(reader.search_status().unwrap().in_step());
}

#[test]
fn reindex_rebuilds_a_lost_or_damaged_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    fill(&mut store);
    let before = store.search_status().unwrap();
    drop(store);
    // Damage: the index's files gone but its directory left.
    for entry in std::fs::read_dir(dir.path().join(SEARCH_DIR)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idx" || e == "term") {
            std::fs::write(&path, b"garbage").unwrap();
        }
    }
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let mut calls = 0;
    assert_eq!(store.reindex(&mut |_, _| calls += 1).unwrap(), 4);
    assert!(calls > 0);
    assert_eq!(store.search_status().unwrap(), before);
    check_queries(&store);
    // A missing index is rebuilt on the next open.
    drop(store);
    std::fs::remove_dir_all(dir.path().join(SEARCH_DIR)).unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.search_status().unwrap(), before);
    check_facets(&store);
}

#[test]
fn reingesting_and_rebuilding_keep_the_index_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    fill(&mut store);
    let before = store.search_status().unwrap();
    // The same input again: nothing changes, not even the generation.
    fill(&mut store);
    assert_eq!(store.search_status().unwrap(), before);

    // A rebuild (what reprocess does) changes the index only when it commits.
    store.begin_rebuild().unwrap();
    store.clear_provenance().unwrap();
    let mut renamed = corpus()[3].article.clone();
    renamed.meta.title = Some("Zürich summit, revised".into());
    store.update_articles(&[renamed]).unwrap();
    let reader = SqliteStore::open_read_only(dir.path()).unwrap();
    assert_eq!(reader.search_status().unwrap(), before);
    assert_eq!(query(&reader, "title:revised"), Vec::<String>::new());
    store.commit_rebuild().unwrap();
    let after = store.search_status().unwrap();
    assert!(after.in_step());
    assert!(after.store_generation > before.store_generation);
    assert_eq!(query(&reader, "title:revised"), ["Zürich summit, revised"]);
    // The link is gone with the provenance: no article has copies now.
    let mut request = SearchRequest::new("");
    request.facets = vec![FacetField::Copies];
    assert_eq!(store.search(&request).unwrap().facets[0].counts, [("no".to_string(), 4)]);

    // An aborted rebuild leaves the index as it was.
    store.begin_rebuild().unwrap();
    let mut renamed = corpus()[3].article.clone();
    renamed.meta.title = Some("never".into());
    store.update_articles(&[renamed]).unwrap();
    store.abort_rebuild().unwrap();
    assert_eq!(store.search_status().unwrap(), after);
    assert_eq!(query(&store, "title:never"), Vec::<String>::new());
}

#[test]
fn link_triggers_name_documents_by_their_id() {
    // The change list's trigger turns a link's integer ids into the 16-hex ids of articles.
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    fill(&mut store);
    let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
    let unmatched: i64 = conn
        .query_row("SELECT COUNT(*) FROM search_changes WHERE id NOT IN (SELECT id FROM articles)", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(unmatched, 0);
    let high = DocId::from(u64::MAX - 1);
    let text: String =
        conn.query_row("SELECT printf('%016x', ?1)", [u64::from(high) as i64], |r| r.get(0)).unwrap();
    assert_eq!(text, high.to_string());
}
