//! The PostgreSQL store against the same contract as the others, on a throwaway cluster.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::contract::*;
use crate::pg_cluster::TestCluster;
use crate::{PgStore, StoreRead, StoreWrite};
use presswatch_model::ReuseKind;

#[test]
fn the_public_contract_runs_whole_against_postgres() {
    let cluster = TestCluster::start();
    let cache = tempfile::tempdir().unwrap();
    run_all(
        || PgStore::open(&cluster.create_database()).unwrap().with_search_cache(cache.path()),
        |s: PgStore| s.reopen().unwrap(),
    );
}

/// Search on PostgreSQL answers from the client's own index in its cache directory: the first
/// search indexes every article, a later one only what a write changed; a second client with
/// its own cache answers the same; the change list numbers every write; `reindex` rebuilds.
#[test]
fn search_keeps_a_local_index_in_step_with_the_database() {
    use crate::{SearchRequest, SearchWrite, StoreSearch};
    let cluster = TestCluster::start();
    let url = cluster.create_database();
    let (cache, other_cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut store = PgStore::open(&url).unwrap().with_search_cache(cache.path());
    let seeds = seeds();
    let (first, rest) = seeds.split_first().unwrap();
    store.put_batch(std::slice::from_ref(first)).unwrap();
    let generation = store.search_status().unwrap().store_generation;
    assert!(generation > 0, "an article insert is a numbered change");
    let everything = SearchRequest::new("");
    let hits = |s: &PgStore| s.search(&everything).unwrap().total;
    assert_eq!(hits(&store), 1);
    let dir = store.search_cache_dir().unwrap().unwrap();
    assert!(dir.starts_with(cache.path()) && dir.join("meta.json").is_file(), "{dir:?}");
    assert_eq!(store.sync_search().unwrap(), 0, "the search caught the index up already");

    store.put_batch(rest).unwrap();
    assert!(store.search_status().unwrap().store_generation > generation);
    assert_eq!(store.sync_search().unwrap(), rest.len() as u64, "only the new articles are indexed");
    assert_eq!(hits(&store), seeds.len() as u64);

    let other = PgStore::open(&url).unwrap().with_search_cache(other_cache.path());
    let request = SearchRequest::new("the");
    let ids = |s: &PgStore| s.search(&request).unwrap().hits.iter().map(|h| h.id).collect::<Vec<_>>();
    assert!(!ids(&store).is_empty());
    assert_eq!(ids(&other), ids(&store));
    assert!(store.search_status().unwrap().in_step());

    // A link changes what search says of both its documents ("has copies"): both are indexed again.
    let (a, b) = (seeds[0].article.id, seeds[1].article.id);
    link_b_to_a(&mut store, a, b);
    assert_eq!(store.sync_search().unwrap(), 2);

    assert_eq!(store.reindex(&mut |_, _| {}).unwrap(), seeds.len() as u64);
    assert_eq!(ids(&store), ids(&other));
}

/// A rebuild is one transaction: other handles read the state from before it until it commits,
/// and a handle dropped mid-rebuild leaves every row as it was.
#[test]
fn a_rebuild_is_invisible_to_other_handles_until_it_commits() {
    let cluster = TestCluster::start();
    let url = cluster.create_database();
    let mut store = PgStore::open(&url).unwrap();
    let seeds = seeds();
    store.put_batch(&seeds).unwrap();
    let (a, b) = (seeds[0].article.id, seeds[1].article.id);
    link_b_to_a(&mut store, a, b);
    let reader = PgStore::open(&url).unwrap();
    let before = all_links(&reader);
    assert_eq!(before.len(), 1);

    store.begin_rebuild().unwrap();
    store.clear_provenance().unwrap();
    assert!(all_links(&store).is_empty(), "the rebuilding handle sees its own writes");
    assert_eq!(all_links(&reader), before, "others see the state from before the rebuild");
    drop(store);
    assert_eq!(all_links(&reader), before, "a dropped rebuild leaves everything as it was");

    let mut store = PgStore::open(&url).unwrap();
    store.begin_rebuild().unwrap();
    store.clear_provenance().unwrap();
    store.commit_rebuild().unwrap();
    assert!(all_links(&reader).is_empty());
    assert_eq!(reader.stats().unwrap().documents, seeds.len() as u64);
}

/// Indexes `a` and `b`, `b` a near copy of `a`.
fn link_b_to_a(store: &mut PgStore, a: presswatch_model::DocId, b: presswatch_model::DocId) {
    index(
        store,
        &[
            entry(a, "a text", &[1], &[], Vec::new()),
            entry(b, "b text", &[1], &[], vec![link(b, a, ReuseKind::Near)]),
        ],
        &[None, None],
    );
}
