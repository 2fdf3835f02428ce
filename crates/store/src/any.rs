//! [`AnyStore`]: the store a `--store` value names, embedded or PostgreSQL, behind one type for
//! the binaries (the library crates above stay generic over the traits).

use crate::{
    Damage, Ingested, PgStore, PutOutcome, Rejection, SearchRequest, SearchResults, SearchStatus,
    SearchWrite, SqliteStore, Stats, StoreError, StoreRead, StoreSearch, StoreWrite, StoredDocument,
    Verified,
};
use presswatch_model::{
    ArticleRecord, ContentHash, DocId, DocTime, EntityIndexRead, EntityLink, IndexEntry, IndexRead,
    KnownEntity, Published, QuoteId, QuoteIndexRead, QuoteLink, Record, Span, StoredLink, StoredQuote,
    StoryIndexRead, StoryLink, StoryMerge, StoryState,
};
use std::path::Path;

/// The embedded store in a directory, or a PostgreSQL database.
// A process holds a handle or two, never moved in a loop: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum AnyStore {
    /// The embedded default ([`SqliteStore`]).
    Sqlite(SqliteStore),
    /// A PostgreSQL database ([`PgStore`]).
    Postgres(PgStore),
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("dir", &self.dir()).finish_non_exhaustive()
    }
}

/// `location` as text, if it is a PostgreSQL URL.
fn postgres_url(location: &Path) -> Option<&str> {
    location.to_str().filter(|s| crate::is_postgres_url(s))
}

impl AnyStore {
    /// Whether `location` (a `--store` value) names a PostgreSQL database.
    pub fn is_postgres(location: &Path) -> bool {
        postgres_url(location).is_some()
    }

    /// `location` for messages: a PostgreSQL URL without its password, a directory as it is.
    pub fn display(location: &Path) -> String {
        match postgres_url(location) {
            Some(url) => crate::postgres::redact(url),
            None => location.display().to_string(),
        }
    }

    /// Opens (creating it if needed) the store `location` names: a `postgres://` or
    /// `postgresql://` URL, else a directory.
    pub fn open(location: &Path) -> Result<AnyStore, StoreError> {
        match postgres_url(location) {
            Some(url) => PgStore::open(url).map(AnyStore::Postgres),
            None => SqliteStore::open(location).map(AnyStore::Sqlite),
        }
    }

    /// Opens the store for reading only: a directory as [`SqliteStore::open_read_only`]; a
    /// PostgreSQL database as [`PgStore::open`] (its permissions are the server's to give).
    pub fn open_read_only(location: &Path) -> Result<AnyStore, StoreError> {
        match postgres_url(location) {
            Some(url) => PgStore::open(url).map(AnyStore::Postgres),
            None => SqliteStore::open_read_only(location).map(AnyStore::Sqlite),
        }
    }
}

macro_rules! each {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            AnyStore::Sqlite($s) => $e,
            AnyStore::Postgres($s) => $e,
        }
    };
}

impl IndexRead for AnyStore {
    type Error = StoreError;
    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, StoreError> {
        each!(self, s => s.postings(keys, per_key))
    }
    fn text(&self, doc: DocId) -> Result<Option<String>, StoreError> {
        each!(self, s => s.text(doc))
    }
    fn masked(&self, doc: DocId) -> Result<Vec<Span>, StoreError> {
        each!(self, s => s.masked(doc))
    }
    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, StoreError> {
        each!(self, s => s.outlet_block_counts(keys))
    }
}

impl EntityIndexRead for AnyStore {
    type Error = StoreError;
    fn known_entity(&self, id: &str) -> Result<Option<KnownEntity>, StoreError> {
        each!(self, s => s.known_entity(id))
    }
    fn entity_alias(&self, id: &str) -> Result<Option<String>, StoreError> {
        each!(self, s => s.entity_alias(id))
    }
    fn entity_doc_seen(&self, doc: DocId) -> Result<bool, StoreError> {
        each!(self, s => s.entity_doc_seen(doc))
    }
    fn entities_by_key(&self, keys: &[String]) -> Result<Vec<(String, String)>, StoreError> {
        each!(self, s => s.entities_by_key(keys))
    }
}

impl QuoteIndexRead for AnyStore {
    type Error = StoreError;
    fn quote_postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, QuoteId)>, StoreError> {
        each!(self, s => s.quote_postings(keys, per_key))
    }
    fn quotes_of(&self, doc: DocId) -> Result<Vec<StoredQuote>, StoreError> {
        each!(self, s => s.quotes_of(doc))
    }
}

impl StoryIndexRead for AnyStore {
    type Error = StoreError;
    fn story_of(&self, doc: DocId) -> Result<Option<DocId>, StoreError> {
        each!(self, s => s.story_of(doc))
    }
    fn story_merged_into(&self, story: DocId) -> Result<Option<DocId>, StoreError> {
        each!(self, s => s.story_merged_into(story))
    }
    fn story_state(&self, story: DocId) -> Result<Option<StoryState>, StoreError> {
        each!(self, s => s.story_state(story))
    }
    fn stories_by_key(&self, key: u64, limit: usize) -> Result<Vec<DocId>, StoreError> {
        each!(self, s => s.stories_by_key(key, limit))
    }
    fn term_docs(&self, terms: &[u64]) -> Result<Vec<u32>, StoreError> {
        each!(self, s => s.term_docs(terms))
    }
    fn story_doc_count(&self) -> Result<u64, StoreError> {
        each!(self, s => s.story_doc_count())
    }
}

type Each<'a, T> = &'a mut dyn FnMut(T) -> Result<(), StoreError>;

impl StoreRead for AnyStore {
    fn in_read_transaction(&self, f: &mut dyn FnMut() -> Result<(), StoreError>) -> Result<(), StoreError> {
        each!(self, s => s.in_read_transaction(f))
    }
    fn contains(&self, sha256: &ContentHash) -> Result<bool, StoreError> {
        each!(self, s => s.contains(sha256))
    }
    fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        each!(self, s => s.article(id))
    }
    fn for_each_article(&self, f: Each<'_, ArticleRecord>) -> Result<u64, StoreError> {
        each!(self, s => s.for_each_article(f))
    }
    fn articles_page(&self, offset: u64, limit: usize) -> Result<Vec<ArticleRecord>, StoreError> {
        each!(self, s => s.articles_page(offset, limit))
    }
    fn raw(&self, sha256: &ContentHash) -> Result<Vec<u8>, StoreError> {
        each!(self, s => s.raw(sha256))
    }
    fn sources(&self, sha256: &ContentHash) -> Result<Vec<String>, StoreError> {
        each!(self, s => s.sources(sha256))
    }
    fn rejections(&self) -> Result<Vec<Rejection>, StoreError> {
        each!(self, s => s.rejections())
    }
    fn for_each_document(&self, f: Each<'_, StoredDocument>) -> Result<u64, StoreError> {
        each!(self, s => s.for_each_document(f))
    }
    fn stats(&self) -> Result<Stats, StoreError> {
        each!(self, s => s.stats())
    }
    fn links_of(&self, doc: DocId) -> Result<Vec<StoredLink>, StoreError> {
        each!(self, s => s.links_of(doc))
    }
    fn doc_time(&self, doc: DocId) -> Result<Option<DocTime>, StoreError> {
        each!(self, s => s.doc_time(doc))
    }
    fn for_each_link(&self, f: Each<'_, StoredLink>) -> Result<u64, StoreError> {
        each!(self, s => s.for_each_link(f))
    }
    fn for_each_doc_time(
        &self,
        f: &mut dyn FnMut(DocId, DocTime) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        each!(self, s => s.for_each_doc_time(f))
    }
    fn is_indexed(&self, doc: DocId) -> Result<bool, StoreError> {
        each!(self, s => s.is_indexed(doc))
    }
    fn entities(&self) -> Result<Vec<KnownEntity>, StoreError> {
        each!(self, s => s.entities())
    }
    fn entity_aliases(&self) -> Result<Vec<(String, String)>, StoreError> {
        each!(self, s => s.entity_aliases())
    }
    fn entity_docs(&self, id: &str) -> Result<Vec<(DocId, String, u32)>, StoreError> {
        each!(self, s => s.entity_docs(id))
    }
    fn quote_links_of(&self, doc: DocId) -> Result<Vec<QuoteLink>, StoreError> {
        each!(self, s => s.quote_links_of(doc))
    }
    fn for_each_quote_link(&self, f: Each<'_, QuoteLink>) -> Result<u64, StoreError> {
        each!(self, s => s.for_each_quote_link(f))
    }
    fn stories(&self) -> Result<Vec<StoryState>, StoreError> {
        each!(self, s => s.stories())
    }
    fn story_docs(&self, story: DocId) -> Result<Vec<(DocId, f32)>, StoreError> {
        each!(self, s => s.story_docs(story))
    }
    fn story_assignments(&self) -> Result<Vec<(DocId, DocId)>, StoreError> {
        each!(self, s => s.story_assignments())
    }
    fn story_merges(&self) -> Result<Vec<StoryMerge>, StoreError> {
        each!(self, s => s.story_merges())
    }
    fn for_each_article_or_damage(
        &self,
        f: Each<'_, Result<ArticleRecord, Damage>>,
    ) -> Result<u64, StoreError> {
        each!(self, s => s.for_each_article_or_damage(f))
    }
    fn for_each_link_or_damage(&self, f: Each<'_, Result<StoredLink, Damage>>) -> Result<u64, StoreError> {
        each!(self, s => s.for_each_link_or_damage(f))
    }
    fn verify(&self, f: Each<'_, Damage>) -> Result<Verified, StoreError> {
        each!(self, s => s.verify(f))
    }
}

impl StoreWrite for AnyStore {
    fn put_batch_corpus(
        &mut self,
        batch: &[Ingested],
        provenance: &[IndexEntry],
        published: &[Option<Published>],
        entities: &[EntityLink],
        stories: &[StoryLink],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        each!(self, s => s.put_batch_corpus(batch, provenance, published, entities, stories))
    }
    fn put_batch_corpus_owned(
        &mut self,
        batch: Vec<Ingested>,
        provenance: Vec<IndexEntry>,
        published: &[Option<Published>],
        entities: &[EntityLink],
        stories: &[StoryLink],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        each!(self, s => s.put_batch_corpus_owned(batch, provenance, published, entities, stories))
    }
    fn restore_blobs(&mut self, records: &[Record]) -> Result<Vec<PutOutcome>, StoreError> {
        each!(self, s => s.restore_blobs(records))
    }
    fn record_rejections(&mut self, rejections: &[(String, String)]) -> Result<(), StoreError> {
        each!(self, s => s.record_rejections(rejections))
    }
    fn update_articles(&mut self, articles: &[ArticleRecord]) -> Result<(), StoreError> {
        each!(self, s => s.update_articles(articles))
    }
    fn clear_provenance(&mut self) -> Result<(), StoreError> {
        each!(self, s => s.clear_provenance())
    }
    fn begin_rebuild(&mut self) -> Result<(), StoreError> {
        each!(self, s => s.begin_rebuild())
    }
    fn commit_rebuild(&mut self) -> Result<(), StoreError> {
        each!(self, s => s.commit_rebuild())
    }
    fn abort_rebuild(&mut self) -> Result<(), StoreError> {
        each!(self, s => s.abort_rebuild())
    }
}

impl StoreSearch for AnyStore {
    fn search(&self, request: &SearchRequest) -> Result<SearchResults, StoreError> {
        each!(self, s => s.search(request))
    }
    fn search_status(&self) -> Result<SearchStatus, StoreError> {
        each!(self, s => s.search_status())
    }
}

impl SearchWrite for AnyStore {
    fn sync_search(&mut self) -> Result<u64, StoreError> {
        each!(self, s => s.sync_search())
    }
    fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError> {
        each!(self, s => s.reindex(progress))
    }
}
