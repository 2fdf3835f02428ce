//! The search index of a [`SqliteStore`]: `<dir>/search`, a tantivy index kept in step with the
//! database through its change list (`search_changes`, filled by triggers on `articles` and
//! `prov_links`, so no write path can forget it).
//!
//! Every write that changes articles or links commits to SQLite first, then brings the index
//! up to the new generation (a rebuild does so once, after its commit). A crash between the two
//! leaves the index behind: [`SearchStatus`] shows it and the next handle opened for writing
//! catches it up. A failed index update is logged, never fails the write it follows.

use crate::search::{Related, SearchIndex, SearchSource, SEARCH_DIR};
use crate::sqlite::{article_from_row, db, SqliteStore};
use crate::{SearchRequest, SearchResults, SearchStatus, SearchWrite, StoreError, StoreRead, StoreSearch};
use presswatch_model::{ArticleRecord, DocId, StoryIndexRead};
use std::collections::{HashMap, HashSet};

/// The first schema version with the change list.
pub(crate) const SEARCH_CHANGES: i64 = 7;

impl SqliteStore {
    /// Opens (`writable`: or creates, or replaces when unreadable) the search index and, when
    /// writable, brings it up to date.
    pub(crate) fn open_search(&mut self, writable: bool) -> Result<(), StoreError> {
        let dir = self.dir().join(SEARCH_DIR);
        match SearchIndex::open(&dir, writable) {
            Ok(index) => self.search = Some(index),
            Err(e) if !writable => {
                tracing::debug!(error = %e, "no readable search index");
                return Ok(());
            }
            Err(e) => return Err(e),
        }
        if writable && !self.rebuilding {
            if let Some(index) = &self.search {
                if let Err(e) = index.sync(self, false, true, &mut |_, _| {}) {
                    tracing::warn!(error = %e, "the search index could not be caught up; it is behind the store");
                }
            }
        }
        Ok(())
    }

    /// Brings the index up to date after a committed write; a failure is logged (the index is
    /// then behind, which `stats` and `check` show, and the next open catches up).
    pub(crate) fn sync_after_write(&mut self) {
        if self.rebuilding {
            return;
        }
        if let Err(e) = self.sync_search() {
            tracing::warn!(error = %e, "the search index could not be updated; it is behind the store");
        }
    }

    fn store_generation(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM search_changes", [], |row| row.get(0))
            .map_err(|e| db("reading the store generation", e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn is_linked(&self, id: DocId) -> Result<bool, StoreError> {
        let key = u64::from(id) as i64;
        self.conn()
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM prov_links WHERE doc = ?1)
                     OR EXISTS (SELECT 1 FROM prov_links WHERE other = ?1)",
            )
            .and_then(|mut stmt| stmt.query_row([key], |row| row.get(0)))
            .map_err(|e| db("looking up a document's links", e))
    }
}

impl SearchSource for SqliteStore {
    fn generation(&self) -> Result<u64, StoreError> {
        self.store_generation()
    }

    fn changes_since(&self, since: u64) -> Result<(u64, Vec<DocId>), StoreError> {
        self.read_transaction(|| {
            let generation = self.store_generation()?;
            let conn = self.conn();
            let mut stmt = conn
                .prepare_cached("SELECT id FROM search_changes WHERE seq > ?1 ORDER BY seq")
                .map_err(|e| db("preparing the change list", e))?;
            let ids = stmt
                .query_map([i64::try_from(since).unwrap_or(i64::MAX)], |row| row.get::<_, String>(0))
                .map_err(|e| db("reading the change list", e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| db("reading the change list", e))?;
            let ids = ids
                .into_iter()
                .map(|id| {
                    id.parse::<DocId>().map_err(|_| StoreError::CorruptRow {
                        sha256: String::new(),
                        detail: format!("search change names no document id: {id:?}"),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((generation, ids))
        })
    }

    fn current(&self, id: DocId) -> Result<Option<(ArticleRecord, Related)>, StoreError> {
        let Some(article) = self.article(&id.to_string())? else { return Ok(None) };
        let related = Related { linked: self.is_linked(id)?, story: self.story_of(id)? };
        Ok(Some((article, related)))
    }

    fn article_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT COUNT(*) FROM articles", [], |row| row.get(0))
            .map_err(|e| db("counting articles", e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn walk(
        &self,
        generation: &mut u64,
        f: &mut dyn FnMut(&ArticleRecord, Related) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.read_transaction(|| {
            *generation = self.store_generation()?;
            let stories: HashMap<DocId, DocId> = self.story_assignments_all()?.into_iter().collect();
            let mut linked: HashSet<u64> = HashSet::new();
            self.for_each_link(&mut |link| {
                linked.insert(link.doc.into());
                linked.insert(link.other.into());
                Ok(())
            })?;
            let st = self.state();
            let mut stmt = st
                .conn
                .prepare("SELECT sha256, record, text_derived FROM articles")
                .map_err(|e| db("preparing the article walk", e))?;
            let mut rows = stmt.query([]).map_err(|e| db("walking the articles", e))?;
            while let Some(row) = rows.next().map_err(|e| db("walking the articles", e))? {
                let article = article_from_row(row, &st.decoder)?;
                let related = Related {
                    linked: linked.contains(&u64::from(article.id)),
                    story: stories.get(&article.id).copied(),
                };
                f(&article, related)?;
            }
            Ok(())
        })
    }
}

impl StoreSearch for SqliteStore {
    fn search(&self, request: &SearchRequest) -> Result<SearchResults, StoreError> {
        let Some(index) = &self.search else {
            return Err(StoreError::NoSearchIndex);
        };
        index.search(request, &|id| self.article(&id.to_string()))
    }

    fn search_status(&self) -> Result<SearchStatus, StoreError> {
        let (store_generation, store_articles) =
            self.read_transaction(|| Ok((self.store_generation()?, self.article_count()?)))?;
        let index = match &self.search {
            Some(index) => index.state().unwrap_or_else(|e| {
                tracing::warn!(error = %e, "search index unreadable");
                None
            }),
            None => None,
        };
        Ok(SearchStatus { store_generation, store_articles, index })
    }
}

impl SearchWrite for SqliteStore {
    fn sync_search(&mut self) -> Result<u64, StoreError> {
        let Some(index) = &self.search else { return Ok(0) };
        index.sync(self, false, false, &mut |_, _| {})
    }

    fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError> {
        if self.search.is_none() {
            self.open_search(true)?;
        }
        let Some(index) = &self.search else { return Err(StoreError::NoSearchIndex) };
        index.sync(self, true, false, progress)
    }
}
