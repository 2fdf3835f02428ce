//! Full-text search: what `presswatch search`, `reindex` and the search parts of `stats` and
//! `check` present. The index itself is the store's (`presswatch_store::StoreSearch`): SQLite
//! keeps a tantivy index in `<store>/search` in step with its articles and links; this module
//! only shapes requests and reports.

use crate::{AppError, Progress};
use presswatch_model::DocId;
use presswatch_store::{SearchWrite, StoreError, StoreRead, StoreSearch};
use std::collections::BTreeMap;

pub use presswatch_store::{
    FacetCounts, FacetField, IndexState, NaiveDate, SearchHit, SearchRequest, SearchResults, SearchStatus,
    Snippet,
};

/// Runs `request` against the store's search index: ranked hits with snippets, and the
/// requested facet counts over every match.
pub fn search<S: StoreSearch + ?Sized>(
    store: &S,
    request: &SearchRequest,
) -> Result<SearchResults, StoreError> {
    store.search(request)
}

/// The labels of the stories `results`' story facet counts (story id -> label), so a reader
/// sees what a story is about beside its id.
pub fn story_labels<S: StoreRead + ?Sized>(
    store: &S,
    results: &SearchResults,
) -> Result<BTreeMap<String, String>, StoreError> {
    let mut labels = BTreeMap::new();
    for facet in results.facets.iter().filter(|f| f.field == FacetField::Story) {
        for (id, _) in &facet.counts {
            let Ok(story) = id.parse::<DocId>() else { continue };
            if let Some(state) = store.story_state(story)? {
                labels.insert(id.clone(), state.label);
            }
        }
    }
    Ok(labels)
}

/// Whether the search index agrees with the store (for `stats` and `check`).
pub fn status<S: StoreSearch + ?Sized>(store: &S) -> Result<SearchStatus, StoreError> {
    store.search_status()
}

/// Rebuilds the search index from every stored article (`presswatch reindex`), replacing the
/// old one at the end; `progress` advances by articles indexed. Returns how many were indexed.
pub fn reindex<S: SearchWrite + ?Sized>(store: &mut S, progress: &dyn Progress) -> Result<u64, AppError> {
    let mut reported = 0;
    let indexed = store.reindex(&mut |done, _total| {
        progress.advance(done.saturating_sub(reported));
        reported = reported.max(done);
    })?;
    Ok(indexed)
}

/// How many articles [`reindex`] will index, to size a progress bar.
pub fn reindex_total<S: StoreSearch + ?Sized>(store: &S) -> Result<u64, StoreError> {
    Ok(store.search_status()?.store_articles)
}
