//! Storage for presswatch: every record's raw bytes, content-addressed, plus the article derived
//! from them.
//!
//! The [`StoreRead`] and [`StoreWrite`] traits are the contract the rest of presswatch codes
//! against. Its signatures use
//! only presswatch types, so a server backend (PostgreSQL, say) can be added later behind it.
//! Two implementations ship here:
//!
//! - [`SqliteStore`], the embedded default: one directory holding one SQLite database,
//!   `presswatch.sqlite` (in WAL mode, so also `-wal` and `-shm` files). Its `blobs` table keeps
//!   the raw record bytes, zstd-compressed and keyed by their sha256; `documents`, `sources`,
//!   `articles` (the article JSON, zstd-compressed) and `rejections` hold the rest. A batch is one
//!   transaction, blobs included, so a crash (even `kill -9`) leaves every batch whole or absent.
//!   Raw bytes are immutable and verified on read; derived rows can always be recomputed from
//!   them (`presswatch reprocess`), so they are the only thing that must never be lost. Stores
//!   from before schema version 3 kept blobs as files `blobs/ab/<sha256>.zst`: opening one moves
//!   them into the database.
//! - [`MemoryStore`], a map-backed store with the same behaviour, for tests of other crates.
//!
//! Both also hold the provenance stage's persistent index (each indexed document's text, the
//! documents holding each fingerprint key, per-outlet block counts) and the links it found: they
//! implement [`IndexRead`] (the read side of the provenance stage's index), so a new batch is matched against everything
//! stored without recomputing the corpus, and [`StoreWrite::put_batch_indexed`] writes what the stage
//! returned in the batch's own transaction. Links are read back with [`StoreRead::links_of`] and
//! [`StoreRead::for_each_link`]; an article's `dup_cluster` and `derived_from` are never stored with
//! it but computed from them on reading (by the provenance crate's `graph`). The types of the index and of links
//! live in `presswatch-model`, so this crate depends on no algorithm crate.
//!
//! This crate does not extract, clean or decode anything: it stores what the pipeline hands it and
//! gives it back.
//!
//! ```
//! use presswatch_model::{Article, ArticleMeta, ArticleRecord, Format, Record};
//! use presswatch_store::{Ingested, PutOutcome, SqliteStore, StoreRead, StoreWrite};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let mut store = SqliteStore::open(dir.path())?;
//!
//! let record = Record::new("a.txt", Format::Text, b"Hello".to_vec());
//! let meta = ArticleMeta { title: Some("Hello".into()), ..Default::default() };
//! let article = Article { meta, ..Default::default() };
//! let article = ArticleRecord::new(record.source().to_string(), record.hash(), record.format(), article);
//! let id = article.id;
//! let batch = [Ingested { record, article }];
//!
//! assert_eq!(store.put_batch(&batch)?, [PutOutcome::Added]);
//! assert_eq!(store.put_batch(&batch)?, [PutOutcome::AlreadyPresent]);
//! let found = store.article(&id.to_string())?.expect("stored");
//! assert_eq!(found.meta.title.as_deref(), Some("Hello"));
//! assert_eq!(store.raw(&found.sha256)?, b"Hello");
//! # Ok(())
//! # }
//! ```

mod any;
mod blob;
mod check;
mod entities;
mod key_filter;
mod memory;
mod pg_schema;
mod postgres;
mod provenance;
mod quote_groups;
mod rebuild;
mod schema;
mod search;
mod sqlite;
mod sqlite_search;
mod stories;

#[cfg(any(test, feature = "contract"))]
pub mod contract;
#[cfg(any(test, feature = "contract"))]
pub mod pg_cluster;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_check;
#[cfg(test)]
mod tests_pg;
#[cfg(test)]
mod tests_provenance;
#[cfg(test)]
mod tests_search;

use presswatch_model::{ArticleRecord, ContentHash, Format, Language, Outlet, Published, Record};
use std::path::PathBuf;

pub use any::AnyStore;
/// The calendar day of [`SearchRequest::since`] and [`SearchRequest::until`].
pub use chrono::NaiveDate;
pub use memory::MemoryStore;
pub use postgres::{is_postgres_url, PgStore};
pub use presswatch_model::{
    DocId, DocTime, EntityIndexRead, EntityLink, IndexEntry, IndexRead, KnownEntity, StoredLink,
    StoryIndexRead, StoryLink, StoryMerge, StoryState,
};
pub use presswatch_model::{QuoteEntry, QuoteId, QuoteIndexRead, QuoteLink, QuoteMatch, StoredQuote};
pub use search::{
    FacetCounts, FacetField, IndexState, SearchHit, SearchRequest, SearchResults, SearchStatus, SearchWrite,
    Snippet, StoreSearch, SEARCH_DIR,
};
pub use sqlite::{IntegrityReport, SqliteStore, DATABASE_FILE};

/// How many outlets [`Stats::top_outlets`] lists.
pub const TOP_OUTLETS: usize = 20;

/// Shortest id prefix [`StoreRead::article`] accepts: shorter ones would match too many documents to
/// be a useful handle.
pub const MIN_ID_PREFIX: usize = 6;

/// One processed input record: the raw bytes and the article derived from them.
/// `article.sha256` must be the SHA-256 of `record.bytes` (the store checks).
#[derive(Debug, Clone, PartialEq)]
pub struct Ingested {
    /// The input record: its source, container format and raw bytes (stored as the blob).
    pub record: Record,
    /// The article the pipeline derived from `record`.
    pub article: ArticleRecord,
}

/// What [`StoreWrite::put_batch`] did with one item of the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PutOutcome {
    /// A new document: its blob, document row and article row were written.
    Added,
    /// The same bytes were already stored (earlier, or earlier in this batch). Only the source is
    /// recorded, if it is new; the stored article is left as it is (reprocess replaces articles).
    AlreadyPresent,
    /// The document was stored but its raw bytes were missing or damaged: they were written
    /// again from the input ([`StoreWrite::restore_blobs`]).
    Restored,
}

/// What a store check or a forgiving walk found wrong with one part of a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// Which part is damaged (what repairs it depends on it).
    pub kind: DamageKind,
    /// The document the damaged part belongs to, if it belongs to one.
    pub doc: Option<DocId>,
    /// The document's first source: the input that restores its raw bytes, when known.
    pub source: Option<String>,
    /// What is wrong, in words.
    pub detail: String,
}

/// The parts of a store that [`StoreRead::verify`] checks, by what repairs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DamageKind {
    /// The database file itself (SQLite's integrity or foreign-key check failed): only a copy
    /// of the readable rows into a new store, or a backup, repairs it.
    Database,
    /// A document's raw bytes are missing or do not hash to their address: re-ingesting the
    /// input restores them.
    Blob,
    /// A document's derived article cannot be read back (or is missing): re-derived from the raw
    /// bytes by a reprocess.
    Article,
    /// The provenance index or a link is unreadable or does not match the articles: rebuilt by
    /// a reprocess.
    Index,
}

impl DamageKind {
    /// The lowercase name used in reports (`database`, `blob`, `article`, `index`).
    pub fn as_str(self) -> &'static str {
        match self {
            DamageKind::Database => "database",
            DamageKind::Blob => "blob",
            DamageKind::Article => "article",
            DamageKind::Index => "index",
        }
    }
}

/// What [`StoreRead::verify`] read (the damage goes to its callback).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verified {
    /// Documents whose raw bytes were read and hashed.
    pub blobs: u64,
    /// Article rows read back.
    pub articles: u64,
    /// Provenance index entries and links read back.
    pub index_rows: u64,
}

/// A stored document's identity and provenance: what reprocessing needs to find and re-decode
/// its raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// The 16-hex public id ([`presswatch_model::document_id`]).
    pub id: DocId,
    /// SHA-256 of the raw bytes: the document's identity.
    pub sha256: ContentHash,
    /// Container format the bytes were decoded as.
    pub format: Format,
    /// The source the bytes were first seen under.
    pub source: String,
    /// When the bytes were first stored (RFC 3339, UTC).
    pub first_seen: String,
    /// Length of the raw (uncompressed) bytes.
    pub byte_len: u64,
    /// When the document was stored relative to the others: increasing with each new document
    /// (unique in a store, gaps allowed). Documents stored in one batch share `first_seen`; this
    /// keeps the order they came in, which `reprocess` replays, in primary data rather than in a
    /// derived index that damage could take away.
    pub seq: u64,
}

/// Why an input was not stored: the latest reason given for its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The rejected input's source (path, URL or record name).
    pub source: String,
    /// Why it was rejected, as the pipeline reported it.
    pub reason: String,
    /// When this reason was first recorded (RFC 3339, UTC).
    pub at: String,
}

/// Counts for `presswatch stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Distinct documents (distinct raw byte strings).
    pub documents: u64,
    /// Distinct (document, source) pairs: how many times documents were seen, less exact repeats.
    pub sources: u64,
    /// Total raw (uncompressed) bytes of all documents.
    pub raw_bytes: u64,
    /// Documents per container format, most frequent first.
    pub by_format: Vec<(Format, u64)>,
    /// Articles per language (`None`: not detected), most frequent first.
    pub by_language: Vec<(Option<Language>, u64)>,
    /// The [`TOP_OUTLETS`] most frequent outlets, most frequent first (articles without an outlet
    /// are not counted).
    pub top_outlets: Vec<(Outlet, u64)>,
    /// Distinct rejected sources.
    pub rejected: u64,
    /// Articles whose `extractor_version` is not [`presswatch_model::EXTRACTOR_VERSION`]: what
    /// `presswatch reprocess` would recompute.
    pub stale: u64,
    /// Documents with at least one provenance link, on either side.
    pub linked: u64,
}

/// Everything that can go wrong in a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file system operation on the store failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done ("create store directory").
        action: &'static str,
        /// The file or directory it was done to.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The database failed (or a value could not be encoded for it).
    #[error("database error while {context}: {source}")]
    Database {
        /// What the store was doing ("looking up a document").
        context: &'static str,
        /// The underlying error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The store was written by a newer presswatch: this build refuses to touch it.
    #[error(
        "store {path} has schema version {found}, newer than the newest this build knows \
         ({supported}); open it with a newer presswatch"
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// A stored blob does not decode to bytes with its sha256 (disk damage or hand edits).
    #[error("blob {sha256} is corrupt ({path}): {detail}")]
    CorruptBlob {
        /// The document's sha256 (hex).
        sha256: String,
        /// The database file holding the blob.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
    },
    /// A stored document has no blob.
    #[error("blob {sha256} is missing ({path})")]
    MissingBlob {
        /// The document's sha256 (hex).
        sha256: String,
        /// The database file that should hold the blob.
        path: PathBuf,
    },
    /// No document with this sha256 (hex) is stored.
    #[error("no stored document has sha256 {0}")]
    UnknownDocument(String),
    /// A user-given document id is not a valid id, sha256 or prefix.
    #[error("invalid document id {id:?}: {why}")]
    InvalidId {
        /// The id as given.
        id: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A sha256 prefix matches more than one document.
    #[error("document id {prefix:?} is ambiguous: it matches more than one document")]
    AmbiguousId {
        /// The normalized (lowercase) prefix.
        prefix: String,
    },
    /// An article given with a record is not the article of that record (a caller's mistake).
    #[error("record {record:?} does not match its article: {detail}")]
    Mismatch {
        /// The record's source.
        record: String,
        /// What does not match.
        detail: String,
    },
    /// A stored row cannot be read back (disk damage, hand edits, or a bug that wrote it).
    #[error("stored row for {sha256} is unreadable: {detail}")]
    CorruptRow {
        /// The document's sha256 (hex), empty for rows of no one document.
        sha256: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A stored provenance row (index text or link) of document `doc` (its 16-hex id) cannot be
    /// read back.
    #[error("stored provenance of document {doc} is unreadable: {detail}")]
    CorruptProvenance {
        /// The document whose row it is.
        doc: DocId,
        /// What is wrong with it.
        detail: String,
    },
    /// The provenance given with a batch does not fit together (a caller's mistake).
    #[error("provenance given with a batch is inconsistent: {0}")]
    ProvenanceMismatch(String),
    /// The disk (or the file system's quota) holding the store is full. The write that hit it was
    /// rolled back whole, so the store is as it was before it.
    #[error(
        "the disk holding the store is full (while {context}): nothing of the failed write was \
         kept; free some space and run the command again"
    )]
    DiskFull {
        /// What the store was doing.
        context: &'static str,
    },
    /// A read-only handle cannot open a store whose schema is older than this build's: it
    /// would have to be migrated (a write) first.
    #[error(
        "store {path} has schema version {found}, older than this build's {latest}; open it once \
         with write access (any command that writes, such as ingest) to migrate it"
    )]
    NeedsMigration {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The version this build writes.
        latest: i64,
    },
    /// A rebuild ([`StoreWrite::begin_rebuild`]) was begun twice, ended without being begun, or
    /// lost by the database; the message says which.
    #[error("rebuild: {0}")]
    Rebuild(&'static str),
    /// A search query that does not parse.
    #[error("invalid search query {query:?}: {detail}")]
    InvalidQuery {
        /// The query as given.
        query: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The store has no search index (a read-only handle on a store never opened for writing
    /// since search was added).
    #[error("the store has no search index; run presswatch reindex")]
    NoSearchIndex,
    /// An error raised by a caller's callback inside `for_each_*`, passed through unchanged.
    #[error(transparent)]
    Callback(Box<dyn std::error::Error + Send + Sync>),
}

/// The items at positions `offset .. offset + limit` of a `for_each_*` walk, counting only those
/// `keep` accepts; the walk ends as soon as the page is full, so a page costs the items before
/// it, never the whole store.
pub fn walk_page<T>(
    walk: impl FnOnce(&mut dyn FnMut(T) -> Result<(), StoreError>) -> Result<u64, StoreError>,
    offset: u64,
    limit: usize,
    mut keep: impl FnMut(&T) -> bool,
) -> Result<Vec<T>, StoreError> {
    /// Ends the walk early: the page is full.
    #[derive(Debug, thiserror::Error)]
    #[error("page full")]
    struct PageFull;
    let (mut skipped, mut page) = (0u64, Vec::new());
    if limit == 0 {
        return Ok(page);
    }
    let walked = walk(&mut |item| {
        if !keep(&item) {
            return Ok(());
        }
        if skipped < offset {
            skipped += 1;
            return Ok(());
        }
        page.push(item);
        if page.len() >= limit {
            return Err(StoreError::Callback(Box::new(PageFull)));
        }
        Ok(())
    });
    match walked {
        Ok(_) => Ok(page),
        Err(StoreError::Callback(e)) if e.is::<PageFull>() => Ok(page),
        Err(e) => Err(e),
    }
}

/// The read side of the storage contract: lookups, iteration, counts, links and the provenance
/// index ([`IndexRead`]).
///
/// Separate from [`StoreWrite`] so that a reader (the CLI's lookups during an ingest, a server's
/// request handlers) needs no write access and never waits on an ingest: a reader holds its own
/// handle. `Send + Sync`, so a handle can move to the thread that uses it or be shared by many
/// (a server's request threads behind one `Arc`).
///
/// Documents are identified by the SHA-256 of their raw bytes: the same bytes are one document
/// wherever they were found.
pub trait StoreRead:
    IndexRead<Error = StoreError>
    + EntityIndexRead<Error = StoreError>
    + QuoteIndexRead<Error = StoreError>
    + StoryIndexRead<Error = StoreError>
    + Send
    + Sync
{
    /// Runs `f` (many reads) against one consistent snapshot of the store, so that reads of one
    /// batch see no half of another process's commit, and cost one lock instead of one each.
    /// Stores without snapshots (memory) just run `f`.
    fn in_read_transaction(&self, f: &mut dyn FnMut() -> Result<(), StoreError>) -> Result<(), StoreError> {
        f()
    }

    /// Whether a document with these raw bytes' SHA-256 is stored.
    fn contains(&self, sha256: &ContentHash) -> Result<bool, StoreError>;

    /// The article of a document, looked up by its 16-hex id, full sha256, or any unique prefix
    /// of the sha256 of at least [`MIN_ID_PREFIX`] hex digits (case-insensitive).
    /// `Ok(None)` if nothing matches; [`StoreError::AmbiguousId`] if more than one does.
    fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError>;

    /// Calls `f` on every article, ordered by first-seen time then id, without holding them all in
    /// memory. Stops at the first error `f` returns. Returns how many articles were visited.
    fn for_each_article(
        &self,
        f: &mut dyn FnMut(ArticleRecord) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError>;

    /// The articles at positions `offset .. offset + limit` of [`StoreRead::for_each_article`]'s
    /// order. Stores with an index on that order read only the page, so a page deep into a big
    /// store costs what the first does (a list's "next page" at 1,000,000 documents); this
    /// default walks from the first article.
    fn articles_page(&self, offset: u64, limit: usize) -> Result<Vec<ArticleRecord>, StoreError> {
        walk_page(|f| self.for_each_article(f), offset, limit, |_| true)
    }

    /// The raw bytes of a stored document, verified against its sha256.
    fn raw(&self, sha256: &ContentHash) -> Result<Vec<u8>, StoreError>;

    /// Every source the document's bytes were seen under, first one first.
    fn sources(&self, sha256: &ContentHash) -> Result<Vec<String>, StoreError>;

    /// Every recorded rejection, ordered by source.
    fn rejections(&self) -> Result<Vec<Rejection>, StoreError>;

    /// Calls `f` on every stored document (same order as [`StoreRead::for_each_article`]), for
    /// reprocessing. Returns how many documents were visited.
    fn for_each_document(
        &self,
        f: &mut dyn FnMut(StoredDocument) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError>;

    /// Counts for reporting.
    fn stats(&self) -> Result<Stats, StoreError>;

    /// Every stored provenance link touching `doc`, on either side, ordered by `(doc, other)`.
    fn links_of(&self, doc: DocId) -> Result<Vec<StoredLink>, StoreError>;

    /// When `doc` was indexed and its published date; `None` if it is not indexed.
    fn doc_time(&self, doc: DocId) -> Result<Option<DocTime>, StoreError>;

    /// Calls `f` on every stored link, ordered by `(doc, other)`, without holding them all in
    /// memory. Stops at the first error `f` returns. Returns how many links were visited.
    fn for_each_link(
        &self,
        f: &mut dyn FnMut(StoredLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError>;

    /// Calls `f` on the time of every indexed document, in first-seen order, without holding
    /// them all in memory (the caller keeps the ones it needs). Stops at the first error `f`
    /// returns. Returns how many documents were visited.
    fn for_each_doc_time(
        &self,
        f: &mut dyn FnMut(DocId, DocTime) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError>;

    /// Whether `doc` is in the provenance index.
    fn is_indexed(&self, doc: DocId) -> Result<bool, StoreError>;

    /// Every canonical entity the entity index knows, by id.
    fn entities(&self) -> Result<Vec<KnownEntity>, StoreError>;

    /// Every entity alias: (document-derived id, the id it is an alias of), by alias.
    fn entity_aliases(&self) -> Result<Vec<(String, String)>, StoreError>;

    /// The documents that name the canonical entity `id`: (document, the name it used, number
    /// of mentions), by document.
    fn entity_docs(&self, id: &str) -> Result<Vec<(DocId, String, u32)>, StoreError>;

    /// Every stored quote link with a quote of `doc` on either side, ordered by `(quote, other)`.
    fn quote_links_of(&self, doc: DocId) -> Result<Vec<QuoteLink>, StoreError>;

    /// Calls `f` on every stored quote link, ordered by `(quote, other)`. Stops at the first
    /// error `f` returns. Returns how many links were visited.
    fn for_each_quote_link(
        &self,
        f: &mut dyn FnMut(QuoteLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError>;
    /// Every story, largest first (ties by id), without centroids.
    fn stories(&self) -> Result<Vec<StoryState>, StoreError>;

    /// The documents of a story with the similarity that placed each, in placing order.
    fn story_docs(&self, story: DocId) -> Result<Vec<(DocId, f32)>, StoreError>;

    /// (document, story) of every placed document, in placing order.
    fn story_assignments(&self) -> Result<Vec<(DocId, DocId)>, StoreError>;

    /// Every recorded story merge, in the order they happened.
    fn story_merges(&self) -> Result<Vec<StoryMerge>, StoreError>;

    /// Like [`StoreRead::for_each_article`], but a row that cannot be read back does not stop
    /// the walk: `f` gets its [`Damage`] in its place and the walk goes on. Damage to the
    /// database file itself still ends the walk with an error. Stores whose rows cannot be
    /// damaged (memory) just walk.
    fn for_each_article_or_damage(
        &self,
        f: &mut dyn FnMut(Result<ArticleRecord, Damage>) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.for_each_article(&mut |article| f(Ok(article)))
    }

    /// Like [`StoreRead::for_each_link`], but a link row that cannot be read back does not stop
    /// the walk: `f` gets its [`Damage`] in its place and the walk goes on.
    fn for_each_link_or_damage(
        &self,
        f: &mut dyn FnMut(Result<StoredLink, Damage>) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.for_each_link(&mut |link| f(Ok(link)))
    }

    /// Reads the whole store back and passes every damaged part to `f`: the backend's own
    /// consistency checks, every document's raw bytes against their SHA-256, every article row,
    /// every provenance row. Whether the index covers exactly the articles is for the caller
    /// (a store may hold articles nobody indexed). Takes as long as reading the raw corpus.
    fn verify(&self, f: &mut dyn FnMut(Damage) -> Result<(), StoreError>) -> Result<Verified, StoreError> {
        let mut verified = Verified::default();
        self.for_each_document(&mut |d| {
            verified.blobs += 1;
            match self.raw(&d.sha256) {
                Ok(_) => Ok(()),
                Err(e @ (StoreError::CorruptBlob { .. } | StoreError::MissingBlob { .. })) => f(Damage {
                    kind: DamageKind::Blob,
                    doc: Some(d.id),
                    source: Some(d.source.clone()),
                    detail: e.to_string(),
                }),
                Err(e) => Err(e),
            }
        })?;
        self.for_each_article_or_damage(&mut |article| {
            verified.articles += 1;
            match article {
                Ok(_) => Ok(()),
                Err(damage) => f(damage),
            }
        })?;
        Ok(verified)
    }
}

/// The write side of the storage contract. Raw bytes, once stored, are never rewritten; the
/// derived article of a document can be replaced ([`StoreWrite::update_articles`]).
/// `Send + Sync` like [`StoreRead`]; writing takes `&mut self`, so one writer at a time.
pub trait StoreWrite: Send + Sync {
    /// Stores a batch atomically: either all of it is visible afterwards or none of it.
    /// Returns one outcome per item, in order. Indexes nothing for provenance.
    fn put_batch(&mut self, batch: &[Ingested]) -> Result<Vec<PutOutcome>, StoreError> {
        self.put_batch_indexed(batch, &[], &[])
    }

    /// Stores a batch and what the provenance stage returned for it, in one transaction: after a
    /// crash either all of it is there or none of it.
    ///
    /// `published[i]` is the published date of `provenance[i].doc` (the two must be as long).
    /// An entry for a document already indexed is ignored entirely, links included, so
    /// re-ingesting changes nothing. Otherwise the document gets the next first-seen number, its
    /// text, one posting per distinct key, one count per distinct outlet-block key, and its
    /// links (a link already stored between the same two documents is replaced).
    /// `provenance` may describe documents stored earlier (`presswatch reprocess` passes an
    /// empty `batch`).
    ///
    /// The article JSON keeps neither `dup_cluster` nor `derived_from`: both come from the links
    /// and are filled when reading.
    fn put_batch_indexed(
        &mut self,
        batch: &[Ingested],
        provenance: &[IndexEntry],
        published: &[Option<Published>],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.put_batch_linked(batch, provenance, published, &[])
    }

    /// [`StoreWrite::put_batch_indexed`] plus what the entity corpus stage returned for the
    /// batch, all in one transaction. An [`EntityLink`] for a document whose entities are
    /// already stored is ignored (re-ingesting changes nothing); otherwise its new entities,
    /// lookup keys and aliases are added and each of its canonical entities counts one more
    /// document.
    fn put_batch_linked(
        &mut self,
        batch: &[Ingested],
        provenance: &[IndexEntry],
        published: &[Option<Published>],
        entities: &[EntityLink],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.put_batch_corpus(batch, provenance, published, entities, &[])
    }

    /// [`StoreWrite::put_batch_linked`] plus what the stories corpus stage returned for the
    /// batch, all in one transaction. A [`StoryLink`] for a document already placed is ignored;
    /// otherwise the document joins its story, each of its terms counts one more document, its
    /// story is posted under its keys, merged stories' members move to the story that absorbed
    /// them (the merge is recorded), and each story touched is written in its last state.
    fn put_batch_corpus(
        &mut self,
        batch: &[Ingested],
        provenance: &[IndexEntry],
        published: &[Option<Published>],
        entities: &[EntityLink],
        stories: &[StoryLink],
    ) -> Result<Vec<PutOutcome>, StoreError>;

    /// [`StoreWrite::put_batch_corpus`] taking the batch and its index entries, so that a store
    /// can let them go once they are written, before the work that follows the commit (SQLite
    /// brings its search index up to date, reading each new article back): the records, the
    /// articles and the indexed texts of a large batch are then not held while it does. The
    /// default writes, then drops them.
    fn put_batch_corpus_owned(
        &mut self,
        batch: Vec<Ingested>,
        provenance: Vec<IndexEntry>,
        published: &[Option<Published>],
        entities: &[EntityLink],
        stories: &[StoryLink],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.put_batch_corpus(&batch, &provenance, published, entities, stories)
    }

    /// Writes again the raw bytes of already-stored documents whose blob is missing or damaged
    /// (the records' bytes are the documents': their SHA-256 is the address), in one
    /// transaction. Returns [`PutOutcome::Restored`] for each rewritten blob and
    /// [`PutOutcome::AlreadyPresent`] for each intact one; fails, changing nothing, if a record's
    /// document is not stored. Articles and sources are left as they are.
    fn restore_blobs(&mut self, records: &[Record]) -> Result<Vec<PutOutcome>, StoreError>;

    /// Records why inputs were rejected: one row per source holding the latest reason. Recording
    /// the same rejection again adds no row; a later successful ingest does not remove it.
    fn record_rejections(&mut self, rejections: &[(String, String)]) -> Result<(), StoreError>;

    /// Replaces the derived articles of already-stored documents (matched by `sha256`) in one
    /// transaction. Fails, changing nothing, if any article's document is not stored.
    fn update_articles(&mut self, articles: &[ArticleRecord]) -> Result<(), StoreError>;

    /// Deletes the whole provenance index and every link, and the entity index, in one
    /// transaction, so that `presswatch reprocess` can rebuild them in first-seen order.
    fn clear_provenance(&mut self) -> Result<(), StoreError>;

    /// Starts a rebuild: every write through this handle until [`StoreWrite::commit_rebuild`]
    /// (batches, article updates, clearing provenance, rejections, blob restores) becomes visible to other
    /// handles at once when it commits, and not at all if it is aborted
    /// ([`StoreWrite::abort_rebuild`]), the handle is dropped, or the process dies (even by
    /// `kill -9`). Reads through this handle see the rebuild so far. A write that fails inside a
    /// rebuild undoes only itself, as outside one. `presswatch reprocess` runs in one, so a
    /// failed or killed reprocess leaves the previous derived data whole.
    ///
    /// A persistent store holds its write lock for the whole rebuild: other writers wait (and
    /// give up after their usual timeout); readers on other handles go on reading the state from
    /// before it. [`StoreError::Rebuild`] if a rebuild is already in progress.
    fn begin_rebuild(&mut self) -> Result<(), StoreError>;

    /// Makes everything written since [`StoreWrite::begin_rebuild`] visible, at once.
    /// [`StoreError::Rebuild`] if no rebuild is in progress. If the commit itself fails, nothing of
    /// the rebuild is kept and no rebuild is in progress any more.
    fn commit_rebuild(&mut self) -> Result<(), StoreError>;

    /// Undoes everything written since [`StoreWrite::begin_rebuild`]: the store is as it was
    /// before it. [`StoreError::Rebuild`] if no rebuild is in progress.
    fn abort_rebuild(&mut self) -> Result<(), StoreError>;
}

/// Both sides, for a handle that reads and writes (reprocess, tests).
pub trait Store: StoreRead + StoreWrite {}

impl<S: StoreRead + StoreWrite + ?Sized> Store for S {}

/// Runs `f` in one read snapshot of `store` ([`StoreRead::in_read_transaction`]) and returns
/// its value: the trait method takes a `dyn` closure so the trait stays usable as `dyn`.
pub fn in_read_transaction<S, T>(
    store: &S,
    f: impl FnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError>
where
    S: StoreRead + ?Sized,
{
    let mut f = Some(f);
    let mut out = None;
    store.in_read_transaction(&mut || {
        if let Some(f) = f.take() {
            out = Some(f()?);
        }
        Ok(())
    })?;
    out.ok_or(StoreError::Database {
        context: "running a read transaction",
        source: "the store did not run the reads".into(),
    })
}

/// Checks that an article belongs to the record it is stored with, so a document row can never
/// point at another document's article.
fn check_pair(record: &Record, article: &ArticleRecord) -> Result<(), StoreError> {
    let mismatch = |detail: String| StoreError::Mismatch { record: record.source().to_string(), detail };
    if article.sha256 != record.hash() {
        return Err(mismatch(format!(
            "article sha256 {} but the record bytes hash to {}",
            article.sha256,
            record.hash()
        )));
    }
    check_article_id(article).map_err(mismatch)
}

/// Validates articles given to `update_articles` before anything is written (both stores).
fn check_updates(articles: &[ArticleRecord]) -> Result<(), StoreError> {
    for article in articles {
        check_article_id(article)
            .map_err(|detail| StoreError::Mismatch { record: article.source.clone(), detail })?;
    }
    Ok(())
}

fn check_article_id(article: &ArticleRecord) -> Result<(), String> {
    let want = article.sha256.doc_id();
    if article.id != want {
        return Err(format!("article id {} but its sha256 gives id {want}", article.id));
    }
    Ok(())
}

/// A full sha256 as stored: 64 lowercase hex digits.
fn is_full_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Normalizes a user-given document id (id, sha256 or prefix) to a lowercase sha256 prefix.
fn normalize_id_prefix(id: &str) -> Result<String, StoreError> {
    let prefix = id.trim().to_ascii_lowercase();
    let invalid = |why| StoreError::InvalidId { id: id.to_string(), why };
    if !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid("not hexadecimal"));
    }
    if prefix.len() < MIN_ID_PREFIX {
        return Err(invalid("shorter than 6 hex digits"));
    }
    if prefix.len() > 64 {
        return Err(invalid("longer than a sha256"));
    }
    Ok(prefix)
}

/// The current time as stored in `first_seen`/`at`: RFC 3339 UTC with a fixed width, so text order
/// is time order.
fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Sorts counts most frequent first, ties by key, so stats output is deterministic.
fn sort_counts<K: Ord>(counts: &mut [(K, u64)]) {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}
