//! Full-text search: what `presswatch search`, `reindex` and the search parts of `stats` and
//! `check` present. The index itself is the store's (`presswatch_store::StoreSearch`): SQLite
//! keeps a tantivy index in `<store>/search` in step with its articles and links; this module
//! only shapes requests and reports.

use crate::{AppError, Progress};
use presswatch_store::{SearchWrite, StoreError, StoreSearch};

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
