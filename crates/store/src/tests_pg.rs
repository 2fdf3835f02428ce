//! The PostgreSQL store against the same contract as the others, on a throwaway cluster.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::contract::*;
use crate::pg_cluster::TestCluster;
use crate::{PgStore, StoreRead, StoreWrite};
use presswatch_model::ReuseKind;

#[test]
fn the_public_contract_runs_whole_against_postgres() {
    let cluster = TestCluster::start();
    run_all(|| PgStore::open(&cluster.create_database()).unwrap(), |s: PgStore| s.reopen().unwrap());
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
    index(
        &mut store,
        &[
            entry(a, "a text", &[1], &[], Vec::new()),
            entry(b, "b text", &[1], &[], vec![link(b, a, ReuseKind::Near)]),
        ],
        &[None, None],
    );
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
