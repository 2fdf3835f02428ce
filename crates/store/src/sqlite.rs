//! The embedded default store: one SQLite database holding rows and raw bytes.

use crate::blob::{self, Codec, Decoder};
use crate::key_filter::KeyFilter;
use crate::provenance::{check_provenance, write_provenance};
use crate::rebuild::WriteTx;
use crate::schema;
use crate::{
    check_pair, check_updates, is_full_sha256, normalize_id_prefix, now_rfc3339, sort_counts, Damage,
    Ingested, PutOutcome, Rejection, Stats, StoreError, StoreRead, StoreWrite, StoredDocument, Verified,
    TOP_OUTLETS,
};
use parking_lot::{MappedReentrantMutexGuard, ReentrantMutex, ReentrantMutexGuard};
use presswatch_model::{
    ArticleRecord, Block, BlockKind, ContentHash, Format, Language, Outlet, Published, EXTRACTOR_VERSION,
};
use presswatch_model::{DocId, DocTime, IndexEntry, StoredLink};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, Row, TransactionBehavior};
use std::cell::RefCell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Name of the database file inside a store directory.
pub const DATABASE_FILE: &str = "presswatch.sqlite";

/// How long a connection waits for another process's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Page size of new stores. Most rows hold a compressed article or blob of a few kB: with 4 kB
/// pages many of them would spill into overflow pages; 16 kB pages cut the file by a sixth and
/// the pages written per row by more.
const PAGE_SIZE: i64 = 16_384;

/// Page cache per connection, in KiB (SQLite's negative `cache_size`): big enough to keep the
/// indexes of a few hundred thousand documents in memory during an ingest.
const CACHE_KIB: i64 = 65_536;

/// WAL pages written before SQLite copies them back into the database. Fewer, larger
/// checkpoints cost fewer syncs; the WAL is truncated back to [`WAL_SIZE_LIMIT`] afterwards.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 2_048; // 32 MB with 16 kB pages
const WAL_SIZE_LIMIT: i64 = 64 << 20;

pub(crate) fn db(context: &'static str, e: rusqlite::Error) -> StoreError {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
        return StoreError::DiskFull { context };
    }
    StoreError::Database { context, source: Box::new(e) }
}

trait Context<T> {
    fn ctx(self, context: &'static str) -> Result<T, StoreError>;
}

impl<T> Context<T> for Result<T, rusqlite::Error> {
    fn ctx(self, context: &'static str) -> Result<T, StoreError> {
        self.map_err(|e| db(context, e))
    }
}

const UPSERT_ARTICLE: &str = "
    INSERT INTO articles
        (sha256, id, title, published, outlet, language, extractor_version, record, text_derived)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
    ON CONFLICT (sha256) DO UPDATE SET
        id = excluded.id, title = excluded.title, published = excluded.published,
        outlet = excluded.outlet, language = excluded.language,
        extractor_version = excluded.extractor_version, record = excluded.record,
        text_derived = excluded.text_derived";
const INSERT_DOCUMENT: &str = "
    INSERT INTO documents (id, sha256, format, source, first_seen, byte_len, rowid)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const INSERT_SOURCE: &str = "INSERT OR IGNORE INTO sources (sha256, source, first_seen) VALUES (?1, ?2, ?3)";
const INSERT_BLOB: &str = "
    INSERT INTO blobs (sha256, raw_len, zstd) VALUES (?1, ?2, ?3)
    ON CONFLICT (sha256) DO NOTHING";
const DOCUMENT_EXISTS: &str = "SELECT 1 FROM documents WHERE sha256 = ?1";

/// The embedded store: `<dir>/presswatch.sqlite` (plus SQLite's `-wal` and `-shm` files).
///
/// Several processes may open the same directory: writes are serialized by SQLite's write lock
/// (waiting up to 30 s). Each handle is its own connection, so in WAL mode a reader never waits
/// on another handle's write transaction.
///
/// `Send + Sync`: reads through `&self` take a re-entrant lock around the connection and its
/// caches, so one handle can be shared (`Arc`) by several threads, whose reads run one at a
/// time; open one handle per thread to read in parallel. Writes take `&mut self` and need no
/// lock.
pub struct SqliteStore {
    dir: PathBuf,
    db_path: PathBuf,
    /// The connection and the caches reads fill through `&self`. Re-entrant, because
    /// [`StoreRead::in_read_transaction`] and the `for_each_*` callbacks call back into the same
    /// store on the thread that holds it.
    pub(crate) read: ReentrantMutex<ReadState>,
    /// One compression context per encoding thread, kept across batches.
    codecs: Vec<Codec>,
    /// Moves recent postings into `prov_keys` at this many instead of the usual share (tests).
    pub(crate) recent_set_size_override: Option<i64>,
    /// Whether a rebuild's transaction is open ([`StoreWrite::begin_rebuild`]): writes then
    /// run as savepoints inside it (`rebuild::WriteTx`).
    pub(crate) rebuilding: bool,
    /// The search index in `<dir>/search` (`None` on a read-only handle of a store without
    /// one, or a store not yet at the schema version that feeds it).
    pub(crate) search: Option<crate::search::SearchIndex>,
}

/// What reads use and change through `&self`: neither the connection (its statement cache) nor
/// the caches are `Sync`, so they are only reached through [`SqliteStore::read`]'s lock.
pub(crate) struct ReadState {
    pub(crate) conn: Connection,
    pub(crate) decoder: Decoder,
    /// The index key filter, read on first use (`None` until then, and after a failed write).
    pub(crate) key_filter: RefCell<Option<KeyFilter>>,
    /// The entity index in memory, once this handle writes entities.
    pub(crate) entities: RefCell<crate::entities::EntitySlot>,
}

impl ReadState {
    /// Forgets what the caches loaded (after a failed write, or a rebuild ended): they may
    /// hold rows of writes that were rolled back, so they are read again when next used.
    pub(crate) fn forget_caches(&mut self) {
        *self.key_filter.get_mut() = None;
        self.entities.get_mut().cache = None;
    }
}

/// What [`SqliteStore::check_integrity`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntegrityReport {
    /// How many documents (and their blobs) were checked.
    pub documents_checked: u64,
    /// One line per problem; empty when the store is consistent.
    pub problems: Vec<String>,
}

impl IntegrityReport {
    /// Whether no problem was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl SqliteStore {
    /// Opens the store in `dir`, creating the directory and an empty store if needed and
    /// migrating an older store to the current layout.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        Self::open_at_version(dir, schema::latest_version())
    }

    /// Opens the store migrating only up to `version` (tests of the migration path).
    pub(crate) fn open_at_version(dir: &Path, version: i64) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            action: "create store directory",
            path: dir.to_path_buf(),
            source,
        })?;
        let db_path = dir.join(DATABASE_FILE);
        let mut conn = Connection::open(&db_path).ctx("opening the database")?;
        conn.busy_timeout(BUSY_TIMEOUT).ctx("setting the busy timeout")?;
        // Refuse a newer store before changing anything in it.
        let found = schema::user_version(&conn)?;
        if found > schema::latest_version() {
            return Err(StoreError::NewerSchema {
                path: db_path,
                found,
                supported: schema::latest_version(),
            });
        }
        // Takes effect only in a database still empty (no-op otherwise, so old stores keep theirs).
        conn.pragma_update(None, "page_size", PAGE_SIZE).ctx("setting the page size")?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .ctx("enabling WAL mode")?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "SQLite refused WAL mode; concurrent readers will block writers");
        }
        // Under WAL, NORMAL never corrupts the database; a power cut may only lose the last
        // commits (a kill -9 loses nothing committed).
        conn.pragma_update(None, "synchronous", "NORMAL").ctx("setting synchronous mode")?;
        conn.pragma_update(None, "foreign_keys", "ON").ctx("enabling foreign keys")?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB).ctx("setting the cache size")?;
        conn.pragma_update(None, "temp_store", "MEMORY").ctx("setting the temp store")?;
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
            .ctx("setting the checkpoint interval")?;
        conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT).ctx("setting the WAL size limit")?;
        conn.set_prepared_statement_cache_capacity(64);
        schema::migrate_to(&mut conn, &db_path, version)?;
        if version >= schema::BLOBS_IN_DATABASE {
            blob::import_legacy_blobs(&mut conn, dir)?;
        }
        // Checked without the write lock: read-only commands must not wait on a running ingest.
        if version >= schema::KEY_FILTER && KeyFilter::is_missing(&conn)? {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .ctx("starting the key filter build")?;
            KeyFilter::build_if_missing(&tx)?;
            tx.commit().ctx("committing the key filter")?;
        }
        let mut store = SqliteStore::with_connection(dir, db_path, conn);
        if version >= crate::sqlite_search::SEARCH_CHANGES {
            store.open_search(true)?;
        }
        Ok(store)
    }

    /// A handle around an open connection to `db_path` in `dir`.
    pub(crate) fn with_connection(dir: &Path, db_path: PathBuf, conn: Connection) -> Self {
        SqliteStore {
            dir: dir.to_path_buf(),
            db_path,
            read: ReentrantMutex::new(ReadState {
                conn,
                decoder: Decoder::new(),
                key_filter: RefCell::new(None),
                entities: RefCell::default(),
            }),
            codecs: Vec::new(),
            recent_set_size_override: None,
            rebuilding: false,
            search: None,
        }
    }

    /// The read state, locked for this thread until the guard drops (re-entrant: a thread that
    /// holds it already gets it again at once).
    pub(crate) fn state(&self) -> ReentrantMutexGuard<'_, ReadState> {
        self.read.lock()
    }

    /// The connection, locked as by [`SqliteStore::state`].
    pub(crate) fn conn(&self) -> MappedReentrantMutexGuard<'_, Connection> {
        ReentrantMutexGuard::map(self.state(), |state| &state.conn)
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        schema::user_version(&self.conn())
    }

    /// Checks the whole store: SQLite's own integrity and foreign-key checks, that documents and
    /// articles pair up, and that every document's blob is present and hashes to its sha256.
    /// Reads every blob, so it takes as long as reading the raw corpus.
    pub fn check_integrity(&self) -> Result<IntegrityReport, StoreError> {
        let st = self.state();
        let mut report = IntegrityReport::default();
        let mut stmt = st.conn.prepare("PRAGMA integrity_check").ctx("checking integrity")?;
        let lines = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .ctx("checking integrity")?
            .collect::<Result<Vec<_>, _>>()
            .ctx("checking integrity")?;
        report.problems.extend(lines.into_iter().filter(|l| l != "ok").map(|l| format!("sqlite: {l}")));

        let mut stmt = st.conn.prepare("PRAGMA foreign_key_check").ctx("checking foreign keys")?;
        let mut rows = stmt.query([]).ctx("checking foreign keys")?;
        while let Some(row) = rows.next().ctx("checking foreign keys")? {
            let table: String = row.get(0).ctx("checking foreign keys")?;
            report.problems.push(format!("a row of {table} references a missing document"));
        }

        let orphans = [
            (
                "SELECT a.sha256 FROM articles a LEFT JOIN documents d ON d.sha256 = a.sha256
                 WHERE d.sha256 IS NULL",
                "article without a document",
            ),
            (
                "SELECT d.sha256 FROM documents d LEFT JOIN articles a ON a.sha256 = d.sha256
                 WHERE a.sha256 IS NULL",
                "document without an article",
            ),
            (
                "SELECT d.sha256 FROM documents d LEFT JOIN sources s
                 ON s.sha256 = d.sha256 AND s.source = d.source WHERE s.sha256 IS NULL",
                "document without its first source",
            ),
        ];
        for (sql, what) in orphans {
            let mut stmt = st.conn.prepare(sql).ctx("checking row pairing")?;
            let mut rows = stmt.query([]).ctx("checking row pairing")?;
            while let Some(row) = rows.next().ctx("checking row pairing")? {
                let sha: String = row.get(0).ctx("checking row pairing")?;
                report.problems.push(format!("{what}: {sha}"));
            }
        }

        let mut stmt = st
            .conn
            .prepare(
                "SELECT d.sha256, d.byte_len, b.raw_len, b.zstd
                 FROM documents d LEFT JOIN blobs b ON b.sha256 = d.sha256",
            )
            .ctx("listing documents")?;
        let mut rows = stmt.query([]).ctx("listing documents")?;
        while let Some(row) = rows.next().ctx("listing documents")? {
            let sha: String = row.get(0).ctx("listing documents")?;
            report.documents_checked += 1;
            if !is_full_sha256(&sha) {
                report.problems.push(format!("document with a malformed sha256 {sha:?}"));
                continue;
            }
            if let Err(e) = self.decode_blob_row(&sha, row) {
                report.problems.push(e.to_string());
            }
        }
        Ok(report)
    }

    /// Decodes a `(_, documents.byte_len, blobs.raw_len, blobs.zstd)` row of a LEFT JOIN.
    pub(crate) fn decode_blob_row(&self, sha: &str, row: &Row<'_>) -> Result<Vec<u8>, StoreError> {
        let len: i64 = row.get(1).ctx("reading a document")?;
        let len = u64::try_from(len).map_err(|_| StoreError::CorruptRow {
            sha256: sha.to_string(),
            detail: format!("negative byte length {len}"),
        })?;
        let raw_len: Option<i64> = row.get(2).ctx("reading a blob")?;
        let frame = row.get_ref(3).ctx("reading a blob")?;
        match (raw_len, frame) {
            (Some(raw_len), ValueRef::Blob(frame)) => {
                self.state().decoder.decode_blob(sha, len, raw_len, frame, &self.db_path)
            }
            (None, _) => Err(StoreError::MissingBlob { sha256: sha.to_string(), path: self.db_path.clone() }),
            (Some(_), other) => Err(StoreError::CorruptBlob {
                sha256: sha.to_string(),
                path: self.db_path.clone(),
                detail: format!("stored as {:?}, not a BLOB", other.data_type()),
            }),
        }
    }
}

/// Reads the `(sha256, record, text_derived)` columns of an articles row. `record` is the
/// article JSON as TEXT (rows written before schema version 3) or zstd-compressed as a BLOB.
pub(crate) fn article_from_row(row: &Row<'_>, decoder: &Decoder) -> Result<ArticleRecord, StoreError> {
    let sha: String = row.get(0).ctx("reading an article")?;
    let text_derived: bool = row.get(2).ctx("reading an article")?;
    let corrupt = |detail: String| StoreError::CorruptRow { sha256: sha.clone(), detail };
    let decompressed;
    let json: &[u8] = match row.get_ref(1).ctx("reading an article")? {
        ValueRef::Text(json) => json,
        ValueRef::Blob(frame) => {
            decompressed =
                decoder.decompress_sized(frame).map_err(|e| corrupt(format!("article JSON: {e}")))?;
            &decompressed
        }
        other => return Err(corrupt(format!("article stored as {:?}", other.data_type()))),
    };
    let mut article: ArticleRecord =
        serde_json::from_slice(json).map_err(|e| corrupt(format!("article JSON: {e}")))?;
    if text_derived {
        article.text = derived_text(&article.blocks);
    }
    Ok(article)
}

/// The text an article's blocks give: every non-caption block, separated by a blank line (what
/// `ArticleRecord::new` stores). Must never change: stored rows rely on it to rebuild their text.
fn derived_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks.iter().filter(|b| b.kind != BlockKind::Caption) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&block.text);
    }
    out
}

/// Whether `text` is exactly what [`derived_text`] gives for `blocks`, without building it.
fn is_derived_text(text: &str, blocks: &[Block]) -> bool {
    let mut rest = text;
    let mut first = true;
    for block in blocks.iter().filter(|b| b.kind != BlockKind::Caption) {
        if !first {
            match rest.strip_prefix("\n\n") {
                Some(r) => rest = r,
                None => return false,
            }
        }
        first = false;
        match rest.strip_prefix(block.text.as_str()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether the article's text is what its blocks give back, so that it is not stored.
fn text_derived(article: &ArticleRecord) -> bool {
    !article.text.is_empty() && is_derived_text(&article.text, &article.blocks)
}

/// The length of [`derived_text`] of `blocks`, without building it.
fn derived_text_len(blocks: &[Block]) -> usize {
    let texts = blocks.iter().filter(|b| b.kind != BlockKind::Caption);
    texts.clone().map(|b| b.text.len()).sum::<usize>() + 2 * texts.count().saturating_sub(1)
}

/// The article as stored: its JSON, zstd-compressed, leaving the text out when the blocks give
/// it back exactly (`text_derived`, from [`text_derived`]: it would otherwise be stored twice).
/// A derived text may already have been let go (`put_batch_corpus_owned`): only its blocks
/// are read then.
fn encode_article(
    article: &ArticleRecord,
    text_derived: bool,
    codec: &mut Codec,
    json: &mut Vec<u8>,
) -> Result<Vec<u8>, StoreError> {
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Database {
        context: "encoding an article",
        source: e,
    };
    let text_len = if text_derived { derived_text_len(&article.blocks) } else { article.text.len() };
    // A large article's JSON is serialized into the compressor rather than into a buffer: the
    // buffer was one more copy of its text while the batch was stored.
    if text_len > KEPT_JSON_BUFFER {
        let frame = codec
            .compress_streamed(|w| {
                let written = if text_derived {
                    serde_json::to_writer(w, &WithoutText::of(article))
                } else {
                    serde_json::to_writer(w, article)
                };
                written.map_err(std::io::Error::other)
            })
            .map_err(|e| failed(Box::new(e)))?;
        return Ok(frame);
    }
    json.clear();
    if text_derived {
        serde_json::to_writer(&mut *json, &WithoutText::of(article)).map_err(|e| failed(Box::new(e)))?;
    } else {
        serde_json::to_writer(&mut *json, article).map_err(|e| failed(Box::new(e)))?;
    }
    let frame = codec.compress(json).map_err(|e| failed(Box::new(e)))?;
    // The buffer is reused for the next article, but a large one's is let go: it would stay
    // allocated (the size of the article) while the row is written and the batch goes on.
    if json.capacity() > KEPT_JSON_BUFFER {
        *json = Vec::new();
    }
    Ok(frame)
}

/// The largest article JSON buffer [`encode_article`] keeps for the next article, and the text
/// size above which it streams the JSON into the compressor instead.
const KEPT_JSON_BUFFER: usize = 1 << 20;

/// An article serialized as [`ArticleRecord`] is, its text left empty: what is stored when the
/// blocks give the text back. Borrowed, so that storing a large article does not copy it
/// (`ArticleRecord { text: String::new(), ..article.clone() }` held its blocks twice). Its fields
/// are the record's, in the record's order (`without_text_serializes_as_the_record_less_its_text`).
#[derive(serde::Serialize)]
struct WithoutText<'a> {
    id: &'a presswatch_model::DocId,
    source: &'a str,
    sha256: &'a ContentHash,
    format: &'a presswatch_model::Format,
    #[serde(flatten)]
    meta: &'a presswatch_model::ArticleMeta,
    text: &'a str,
    blocks: &'a [presswatch_model::Block],
    images: &'a [presswatch_model::Image],
    removed: &'a [presswatch_model::Removed],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    kept_against: &'a [presswatch_model::KeptAgainst],
    #[serde(skip_serializing_if = "Option::is_none")]
    extraction: &'a Option<presswatch_model::Extraction>,
    quotes: &'a [presswatch_model::Quote],
    entities: &'a [presswatch_model::Entity],
    extractor_version: &'a str,
}

impl<'a> WithoutText<'a> {
    fn of(a: &'a ArticleRecord) -> Self {
        // Destructured, so that a field added to the record fails to compile here.
        let ArticleRecord {
            id,
            source,
            sha256,
            format,
            meta,
            text: _,
            blocks,
            images,
            removed,
            kept_against,
            extraction,
            quotes,
            entities,
            extractor_version,
        } = a;
        WithoutText {
            id,
            source,
            sha256,
            format,
            meta,
            text: "",
            blocks,
            images,
            removed,
            kept_against,
            extraction,
            quotes,
            entities,
            extractor_version,
        }
    }
}

fn upsert_article(
    conn: &Connection,
    article: &ArticleRecord,
    record: &[u8],
    text_derived: bool,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(UPSERT_ARTICLE).ctx("preparing the article insert")?;
    stmt.execute(params![
        article.sha256.to_hex(),
        article.id.to_string(),
        article.meta.title,
        article.meta.published.map(|p| p.to_string()),
        article.meta.outlet.as_deref(),
        article.meta.language.as_deref(),
        article.extractor_version,
        record,
        text_derived,
    ])
    .ctx("writing an article")?;
    Ok(())
}

/// What a new document needs written besides its plain columns: the CPU-heavy part of a batch,
/// done off the thread that writes the database.
struct Encoded {
    /// Index of the item in the batch.
    item: usize,
    blob: Vec<u8>,
    article: Vec<u8>,
    text_derived: bool,
}

/// Below this many new documents a batch is encoded on the writing thread: starting a thread
/// costs more than it saves.
pub(crate) const PARALLEL_MIN: usize = 16;

/// How many encoded documents may wait for the writer: bounds memory, keeps both threads busy.
const PIPELINE_DEPTH: usize = 64;

fn encode_items(
    batch: &[Ingested],
    new_items: &[(usize, bool)],
    codec: &mut Codec,
    db_path: &Path,
    mut emit: impl FnMut(Result<Encoded, StoreError>) -> bool,
) {
    let mut json = Vec::new();
    for &(i, text_derived) in new_items {
        let Some(item) = batch.get(i) else { continue };
        let encoded = codec
            .compress(item.record.bytes())
            .map_err(|source| StoreError::Io { action: "compress a blob for", path: db_path.into(), source })
            .and_then(|blob| {
                let article = encode_article(&item.article, text_derived, codec, &mut json)?;
                Ok(Encoded { item: i, blob, article, text_derived })
            });
        let failed = encoded.is_err();
        if !emit(encoded) || failed {
            return;
        }
    }
}

/// Writes the blob of a new document, unless the same bytes are already stored: a blob is never
/// rewritten, except one that no document references and that no longer decodes to its bytes
/// (only disk damage or hand edits make one).
fn insert_blob(
    tx: &Connection,
    sha: &str,
    bytes: &[u8],
    frame: &[u8],
    db_path: &Path,
) -> Result<(), StoreError> {
    let mut insert = tx.prepare_cached(INSERT_BLOB).ctx("preparing the blob insert")?;
    if insert.execute(params![sha, bytes.len() as i64, frame]).ctx("writing a blob")? > 0 {
        return Ok(());
    }
    let existing = tx
        .query_row("SELECT raw_len, zstd FROM blobs WHERE sha256 = ?1", [sha], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)))
        })
        .ctx("reading a blob")?;
    let damage = match existing {
        (raw_len, Ok(stored)) => Decoder::new()
            .decode_blob(sha, bytes.len() as u64, raw_len, &stored, db_path)
            .err()
            .map(|e| e.to_string()),
        (_, Err(e)) => Some(e.to_string()),
    };
    if let Some(damage) = damage {
        tracing::warn!(%damage, "replacing a damaged unreferenced blob");
        tx.execute(
            "UPDATE blobs SET raw_len = ?2, zstd = ?3 WHERE sha256 = ?1",
            params![sha, bytes.len() as i64, frame],
        )
        .ctx("replacing a damaged blob")?;
    }
    Ok(())
}

/// Writes the blob, document and article rows of one new document.
fn insert_new(
    tx: &Connection,
    db_path: &Path,
    batch: &[Ingested],
    shas: &[String],
    now: &str,
    first_rowid: i64,
    encoded: &Encoded,
) -> Result<(), StoreError> {
    let (Some(item), Some(sha)) = (batch.get(encoded.item), shas.get(encoded.item)) else {
        return Ok(());
    };
    let bytes = item.record.bytes();
    insert_blob(tx, sha, bytes, &encoded.blob, db_path)?;
    let mut insert_document = tx.prepare_cached(INSERT_DOCUMENT).ctx("preparing the document insert")?;
    insert_document
        .execute(params![
            item.article.id.to_string(),
            sha,
            item.record.format().as_str(),
            item.record.source(),
            now,
            bytes.len() as i64,
            first_rowid + encoded.item as i64,
        ])
        .ctx("writing a document")?;
    upsert_article(tx, &item.article, &encoded.article, encoded.text_derived)
}

/// How many threads encode a batch: one per core, at most four (the writer needs a core too,
/// but spends much of its time waiting on encoded rows).
fn encoder_threads(new_items: usize) -> usize {
    if new_items < PARALLEL_MIN {
        return 0;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4)
}

/// Writes the rows of a batch: blob, document and article of new documents, and a source row
/// for every item (ignored when the pair is known). Serialization and compression run on other
/// threads while this one writes, so a batch costs about the larger of the two. `new_items`:
/// the index of each new item, and whether its text is what its blocks give ([`text_derived`]).
pub(crate) fn insert_rows(
    tx: &Connection,
    codecs: &mut Vec<Codec>,
    db_path: &Path,
    batch: &[Ingested],
    shas: &[String],
    new_items: &[(usize, bool)],
    now: &str,
) -> Result<(), StoreError> {
    // Rows are written in the order encoders finish, so each document's rowid is set from its
    // place in the batch: `StoredDocument::seq` keeps the order documents came in.
    let first_rowid: i64 = tx
        .query_row("SELECT COALESCE(MAX(rowid), 0) + 1 FROM documents", [], |r| r.get(0))
        .ctx("numbering a batch's documents")?;
    let threads = encoder_threads(new_items.len());
    while codecs.len() < threads.max(1) {
        codecs.push(Codec::new(db_path)?);
    }
    if threads == 0 {
        let Some(codec) = codecs.first_mut() else { return Ok(()) };
        let mut result = Ok(());
        encode_items(batch, new_items, codec, db_path, |encoded| {
            result = encoded.and_then(|e| insert_new(tx, db_path, batch, shas, now, first_rowid, &e));
            result.is_ok()
        });
        result?;
    } else {
        let chunk = new_items.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel(PIPELINE_DEPTH);
            let encoders: Vec<_> = new_items
                .chunks(chunk)
                .zip(codecs.iter_mut())
                .map(|(items, codec)| {
                    let sender = sender.clone();
                    // A failed send means the writer stopped: stop encoding too.
                    scope.spawn(move || {
                        encode_items(batch, items, codec, db_path, |encoded| sender.send(encoded).is_ok())
                    })
                })
                .collect();
            drop(sender);
            // Rows go in as they come: their order within a transaction does not matter.
            let written = receiver.iter().try_for_each(|encoded| {
                encoded.and_then(|e| insert_new(tx, db_path, batch, shas, now, first_rowid, &e))
            });
            drop(receiver);
            let panicked = encoders.into_iter().map(|h| h.join()).any(|joined| joined.is_err());
            written?;
            if panicked {
                return Err(StoreError::Io {
                    action: "encode a batch for",
                    path: db_path.to_path_buf(),
                    source: std::io::Error::other("an encoding thread panicked"),
                });
            }
            Ok(())
        })?;
    }
    let mut insert_source = tx.prepare_cached(INSERT_SOURCE).ctx("preparing the source insert")?;
    for (item, sha) in batch.iter().zip(shas) {
        insert_source.execute(params![sha, item.record.source(), now]).ctx("writing a source")?;
    }
    Ok(())
}

impl StoreRead for SqliteStore {
    fn in_read_transaction(&self, f: &mut dyn FnMut() -> Result<(), StoreError>) -> Result<(), StoreError> {
        self.read_transaction(f)
    }

    fn contains(&self, sha256: &ContentHash) -> Result<bool, StoreError> {
        let st = self.state();
        let sha = sha256.to_hex();
        let mut stmt = st.conn.prepare_cached(DOCUMENT_EXISTS).ctx("preparing the lookup")?;
        stmt.exists([sha]).ctx("looking up a document")
    }

    fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        let st = self.state();
        let prefix = normalize_id_prefix(id)?;
        // Every continuation of a lowercase hex prefix sorts below prefix + "g".
        let upper = format!("{prefix}g");
        let mut stmt = st
            .conn
            .prepare_cached(
                "SELECT sha256, record, text_derived FROM articles
                 WHERE sha256 >= ?1 AND sha256 < ?2 LIMIT 2",
            )
            .ctx("preparing the article lookup")?;
        let mut rows = stmt.query([&prefix, &upper]).ctx("looking up an article")?;
        let Some(row) = rows.next().ctx("looking up an article")? else {
            return Ok(None);
        };
        let article = article_from_row(row, &st.decoder)?;
        if rows.next().ctx("looking up an article")?.is_some() {
            return Err(StoreError::AmbiguousId { prefix });
        }
        Ok(Some(article))
    }

    fn for_each_article(
        &self,
        f: &mut dyn FnMut(ArticleRecord) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.walk_articles(&mut |article| f(article.map_err(|damage| damage.error)?))
    }

    fn articles_page(&self, offset: u64, limit: usize) -> Result<Vec<ArticleRecord>, StoreError> {
        let st = self.state();
        // The order's index (documents_by_first_seen) skips the first `offset` rows without
        // reading their articles: SQLite applies OFFSET before it loads a row's columns.
        let mut stmt = st
            .conn
            .prepare_cached(
                "SELECT a.sha256, a.record, a.text_derived
                 FROM documents d JOIN articles a ON a.sha256 = d.sha256
                 ORDER BY d.first_seen, d.id, d.sha256 LIMIT ?1 OFFSET ?2",
            )
            .ctx("preparing the article page")?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let mut rows = stmt.query([limit, offset]).ctx("reading an article page")?;
        let mut page = Vec::new();
        while let Some(row) = rows.next().ctx("reading an article page")? {
            page.push(article_from_row(row, &st.decoder)?);
        }
        Ok(page)
    }

    fn raw(&self, sha256: &ContentHash) -> Result<Vec<u8>, StoreError> {
        let st = self.state();
        let sha = sha256.to_hex();
        let mut stmt = st
            .conn
            .prepare_cached(
                "SELECT d.sha256, d.byte_len, b.raw_len, b.zstd
                 FROM documents d LEFT JOIN blobs b ON b.sha256 = d.sha256 WHERE d.sha256 = ?1",
            )
            .ctx("preparing the document lookup")?;
        let mut rows = stmt.query([&sha]).ctx("looking up a document")?;
        match rows.next().ctx("looking up a document")? {
            Some(row) => self.decode_blob_row(&sha, row),
            None => Err(StoreError::UnknownDocument(sha)),
        }
    }

    fn sources(&self, sha256: &ContentHash) -> Result<Vec<String>, StoreError> {
        let st = self.state();
        let sha = sha256.to_hex();
        let mut stmt = st
            .conn
            .prepare_cached(
                "SELECT s.source FROM sources s JOIN documents d ON d.sha256 = s.sha256
                 WHERE s.sha256 = ?1
                 ORDER BY s.source = d.source DESC, s.first_seen, s.source",
            )
            .ctx("preparing the source listing")?;
        let sources = stmt
            .query_map([sha], |row| row.get(0))
            .ctx("listing sources")?
            .collect::<Result<Vec<String>, _>>()
            .ctx("listing sources")?;
        Ok(sources)
    }

    fn rejections(&self) -> Result<Vec<Rejection>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT source, reason, at FROM rejections ORDER BY source")
            .ctx("preparing the rejection listing")?;
        let rejections = stmt
            .query_map([], |row| Ok(Rejection { source: row.get(0)?, reason: row.get(1)?, at: row.get(2)? }))
            .ctx("listing rejections")?
            .collect::<Result<Vec<_>, _>>()
            .ctx("listing rejections")?;
        Ok(rejections)
    }

    fn for_each_document(
        &self,
        f: &mut dyn FnMut(StoredDocument) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached(
                "SELECT id, sha256, format, source, first_seen, byte_len, rowid FROM documents
                 ORDER BY first_seen, id, sha256",
            )
            .ctx("preparing the document listing")?;
        let mut rows = stmt.query([]).ctx("listing documents")?;
        let mut count = 0;
        while let Some(row) = rows.next().ctx("listing documents")? {
            let sha256: String = row.get(1).ctx("reading a document")?;
            let format: String = row.get(2).ctx("reading a document")?;
            let byte_len: i64 = row.get(5).ctx("reading a document")?;
            let seq: i64 = row.get(6).ctx("reading a document")?;
            let bad = |detail: String| StoreError::CorruptRow { sha256: sha256.clone(), detail };
            let format = Format::parse(&format).ok_or_else(|| bad(format!("unknown format {format:?}")))?;
            let byte_len =
                u64::try_from(byte_len).map_err(|_| bad(format!("negative byte length {byte_len}")))?;
            let hash: ContentHash = sha256.parse().map_err(|e| bad(format!("malformed sha256: {e}")))?;
            let doc = StoredDocument {
                id: hash.doc_id(),
                format,
                source: row.get(3).ctx("reading a document")?,
                first_seen: row.get(4).ctx("reading a document")?,
                byte_len,
                sha256: hash,
                seq: seq as u64,
            };
            f(doc)?;
            count += 1;
        }
        Ok(count)
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let st = self.state();
        let conn = &st.conn;
        let count = |sql: &str| -> Result<u64, StoreError> {
            let n: i64 = conn.query_row(sql, [], |row| row.get(0)).ctx("counting")?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let mut stats = Stats {
            documents: count("SELECT COUNT(*) FROM documents")?,
            sources: count("SELECT COUNT(*) FROM sources")?,
            raw_bytes: count("SELECT COALESCE(SUM(byte_len), 0) FROM documents")?,
            rejected: count("SELECT COUNT(*) FROM rejections")?,
            ..Stats::default()
        };
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM articles WHERE extractor_version != ?1",
                [EXTRACTOR_VERSION],
                |row| row.get(0),
            )
            .ctx("counting stale articles")?;
        stats.stale = u64::try_from(n).unwrap_or(0);
        stats.linked = self.linked_count()?;

        let mut stmt =
            conn.prepare("SELECT format, COUNT(*) FROM documents GROUP BY format").ctx("counting formats")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))
            .ctx("counting formats")?;
        for row in rows {
            let (format, n) = row.ctx("counting formats")?;
            let format = Format::parse(&format).ok_or_else(|| StoreError::CorruptRow {
                sha256: String::new(),
                detail: format!("unknown format {format:?} in documents"),
            })?;
            stats.by_format.push((format, u64::try_from(n).unwrap_or(0)));
        }
        sort_counts(&mut stats.by_format);

        let mut stmt = conn
            .prepare("SELECT language, COUNT(*) FROM articles GROUP BY language")
            .ctx("counting languages")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get::<_, Option<String>>(0)?, row.get::<_, i64>(1)?)))
            .ctx("counting languages")?;
        for row in rows {
            let (language, n) = row.ctx("counting languages")?;
            let language = language.as_deref().and_then(Language::new);
            stats.by_language.push((language, u64::try_from(n).unwrap_or(0)));
        }
        sort_counts(&mut stats.by_language);

        let mut stmt = conn
            .prepare(
                "SELECT outlet, COUNT(*) AS n FROM articles WHERE outlet IS NOT NULL
                 GROUP BY outlet ORDER BY n DESC, outlet LIMIT ?1",
            )
            .ctx("counting outlets")?;
        let rows = stmt
            .query_map([TOP_OUTLETS as i64], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))
            .ctx("counting outlets")?;
        for row in rows {
            let (outlet, n) = row.ctx("counting outlets")?;
            if let Some(outlet) = Outlet::new(&outlet) {
                stats.top_outlets.push((outlet, u64::try_from(n).unwrap_or(0)));
            }
        }
        Ok(stats)
    }

    fn links_of(&self, doc: DocId) -> Result<Vec<StoredLink>, StoreError> {
        self.links_of_doc(doc)
    }

    fn doc_time(&self, doc: DocId) -> Result<Option<DocTime>, StoreError> {
        self.doc_time_of(doc)
    }

    fn for_each_link(
        &self,
        f: &mut dyn FnMut(StoredLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.each_link(f)
    }

    fn for_each_doc_time(
        &self,
        f: &mut dyn FnMut(DocId, DocTime) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.each_doc_time(f)
    }

    fn is_indexed(&self, doc: DocId) -> Result<bool, StoreError> {
        self.doc_is_indexed(doc)
    }

    fn entities(&self) -> Result<Vec<presswatch_model::KnownEntity>, StoreError> {
        self.entities_all()
    }

    fn entity_aliases(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.entity_aliases_all()
    }

    fn entity_docs(&self, id: &str) -> Result<Vec<(DocId, String, u32)>, StoreError> {
        self.entity_docs_of(id)
    }

    fn stories(&self) -> Result<Vec<presswatch_model::StoryState>, StoreError> {
        self.stories_all()
    }

    fn story_docs(&self, story: DocId) -> Result<Vec<(DocId, f32)>, StoreError> {
        self.story_docs_of(story)
    }

    fn story_assignments(&self) -> Result<Vec<(DocId, DocId)>, StoreError> {
        self.story_assignments_all()
    }

    fn story_merges(&self) -> Result<Vec<presswatch_model::StoryMerge>, StoreError> {
        self.story_merges_all()
    }

    fn for_each_article_or_damage(
        &self,
        f: &mut dyn FnMut(Result<ArticleRecord, Damage>) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.walk_articles(&mut |article| f(article.map_err(crate::check::article_damage)))
    }

    fn for_each_link_or_damage(
        &self,
        f: &mut dyn FnMut(Result<StoredLink, Damage>) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let f = std::cell::RefCell::new(f);
        self.each_link_or_damage(&mut |link| (f.borrow_mut())(Ok(link)), &mut |e| {
            (f.borrow_mut())(Err(crate::check::link_damage(e)))
        })
    }

    fn verify(&self, f: &mut dyn FnMut(Damage) -> Result<(), StoreError>) -> Result<Verified, StoreError> {
        self.verify_all(f)
    }

    fn quote_links_of(&self, doc: DocId) -> Result<Vec<presswatch_model::QuoteLink>, StoreError> {
        self.quote_links_of_doc(doc)
    }

    fn for_each_quote_link(
        &self,
        f: &mut dyn FnMut(presswatch_model::QuoteLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.each_quote_link(f)
    }
}

impl SqliteStore {
    /// The write of [`StoreWrite::put_batch_corpus`], committed, without the search index catch-up
    /// that follows it. `batch` is dropped once its rows are written, before the provenance
    /// index's: an owned batch (raw bytes, text and blocks, three copies of a large record) is
    /// then not held while that write fills SQLite's page cache and moves index rows.
    /// `derived[i]`: whether item `i`'s text is what its blocks give ([`text_derived`]).
    fn write_batch_corpus<B: AsRef<[Ingested]>>(
        &mut self,
        owned_batch: B,
        derived: &[bool],
        provenance: &[IndexEntry],
        published: &[Option<Published>],
        entities: &[presswatch_model::EntityLink],
        stories: &[presswatch_model::StoryLink],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let batch = owned_batch.as_ref();
        check_provenance(provenance, published)?;
        if batch.is_empty() && provenance.is_empty() && entities.is_empty() && stories.is_empty() {
            return Ok(Vec::new());
        }
        let started = Instant::now();
        for item in batch {
            check_pair(&item.record, &item.article)?;
        }
        let shas: Vec<String> = batch.iter().map(|item| item.record.hash().to_hex()).collect();
        let now = now_rfc3339();

        let SqliteStore { read, codecs, db_path, recent_set_size_override, rebuilding, .. } = self;
        let ReadState { conn, key_filter, entities: entity_slot, .. } = read.get_mut();
        let key_filter = key_filter.get_mut();
        let tx = WriteTx::begin(conn, *rebuilding, "starting a batch")?;
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut new_items: Vec<(usize, bool)> = Vec::new();
        {
            let mut exists = tx.prepare_cached(DOCUMENT_EXISTS).ctx("preparing the lookup")?;
            let mut seen: HashSet<&str> = HashSet::with_capacity(batch.len());
            for (i, sha) in shas.iter().enumerate() {
                let present = !seen.insert(sha) || exists.exists([sha]).ctx("looking up a document")?;
                outcomes.push(if present { PutOutcome::AlreadyPresent } else { PutOutcome::Added });
                if !present {
                    new_items.push((i, derived[i]));
                }
            }
        }
        // On error, dropping `tx` rolls the whole batch back, blobs included.
        insert_rows(&tx, codecs, db_path, batch, &shas, &new_items, &now)?;
        let items = batch.len();
        drop(owned_batch);
        if codecs.is_empty() {
            codecs.push(Codec::new(db_path)?);
        }
        let indexed = match codecs.first_mut() {
            Some(codec) => write_provenance(
                &tx,
                codec,
                db_path,
                provenance,
                published,
                *recent_set_size_override,
                key_filter,
            ),
            None => Ok(0),
        }
        .and_then(|indexed| {
            crate::entities::write_entities(&tx, entities, entity_slot.get_mut()).map(|()| indexed)
        })
        .and_then(|indexed| crate::stories::write_stories(&tx, stories).map(|()| indexed))
        .and_then(|indexed| tx.commit("committing a batch").map(|()| indexed))
        // The loaded caches may hold rows of the rolled-back batch: read them again.
        .inspect_err(|_| {
            *key_filter = None;
            entity_slot.get_mut().cache = None;
        })?;
        tracing::debug!(
            items,
            added = new_items.len(),
            indexed,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "stored batch"
        );
        Ok(outcomes)
    }
}

impl StoreWrite for SqliteStore {
    fn put_batch_corpus(
        &mut self,
        batch: &[Ingested],
        provenance: &[IndexEntry],
        published: &[Option<Published>],
        entities: &[presswatch_model::EntityLink],
        stories: &[presswatch_model::StoryLink],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let derived: Vec<bool> = batch.iter().map(|item| text_derived(&item.article)).collect();
        let outcomes = self.write_batch_corpus(batch, &derived, provenance, published, entities, stories)?;
        self.sync_after_write();
        Ok(outcomes)
    }

    fn put_batch_corpus_owned(
        &mut self,
        mut batch: Vec<Ingested>,
        provenance: Vec<IndexEntry>,
        published: &[Option<Published>],
        entities: &[presswatch_model::EntityLink],
        stories: &[presswatch_model::StoryLink],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        // A text the blocks give back is not stored and nothing else here reads it: it goes
        // before the rows are written, one copy fewer of a large article while they are.
        let derived: Vec<bool> = batch
            .iter_mut()
            .map(|item| {
                let derived = text_derived(&item.article);
                if derived {
                    item.article.text = String::new();
                }
                derived
            })
            .collect();
        // The batch goes as soon as its rows are written (see `write_batch_corpus`).
        let outcomes = self.write_batch_corpus(batch, &derived, &provenance, published, entities, stories)?;
        // The search index reads the new articles back from the database: the indexed texts go
        // first.
        drop(provenance);
        self.sync_after_write();
        Ok(outcomes)
    }

    fn restore_blobs(&mut self, records: &[presswatch_model::Record]) -> Result<Vec<PutOutcome>, StoreError> {
        let SqliteStore { read, codecs, db_path, rebuilding, .. } = self;
        if codecs.is_empty() {
            codecs.push(Codec::new(db_path)?);
        }
        let Some(codec) = codecs.first_mut() else { return Ok(Vec::new()) };
        crate::check::restore_blobs(&mut read.get_mut().conn, *rebuilding, codec, db_path, records)
    }

    fn record_rejections(&mut self, rejections: &[(String, String)]) -> Result<(), StoreError> {
        if rejections.is_empty() {
            return Ok(());
        }
        let now = now_rfc3339();
        let tx =
            WriteTx::begin(&mut self.read.get_mut().conn, self.rebuilding, "starting to record rejections")?;
        {
            // The same reason again keeps its original time, so re-running an ingest is a no-op.
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO rejections (source, reason, at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (source) DO UPDATE SET reason = excluded.reason, at = excluded.at
                     WHERE rejections.reason IS NOT excluded.reason",
                )
                .ctx("preparing the rejection insert")?;
            for (source, reason) in rejections {
                upsert.execute(params![source, reason, now]).ctx("recording a rejection")?;
            }
        }
        tx.commit("committing rejections")
    }

    fn update_articles(&mut self, articles: &[ArticleRecord]) -> Result<(), StoreError> {
        check_updates(articles)?;
        let SqliteStore { read, codecs, db_path, rebuilding, .. } = self;
        let conn = &mut read.get_mut().conn;
        if codecs.is_empty() {
            codecs.push(Codec::new(db_path)?);
        }
        let Some(codec) = codecs.first_mut() else { return Ok(()) };
        let tx = WriteTx::begin(conn, *rebuilding, "starting an article update")?;
        {
            let mut exists = tx.prepare_cached(DOCUMENT_EXISTS).ctx("preparing the lookup")?;
            let mut json = Vec::new();
            for article in articles {
                let sha = article.sha256.to_hex();
                if !exists.exists([&sha]).ctx("looking up a document")? {
                    return Err(StoreError::UnknownDocument(sha));
                }
                let text_derived = text_derived(article);
                let record = encode_article(article, text_derived, codec, &mut json)?;
                upsert_article(&tx, article, &record, text_derived)?;
            }
        }
        tx.commit("committing an article update")?;
        self.sync_after_write();
        Ok(())
    }

    fn clear_provenance(&mut self) -> Result<(), StoreError> {
        self.clear_provenance_tables()?;
        self.sync_after_write();
        Ok(())
    }

    fn begin_rebuild(&mut self) -> Result<(), StoreError> {
        self.begin_rebuild_tx()
    }

    fn commit_rebuild(&mut self) -> Result<(), StoreError> {
        self.commit_rebuild_tx()?;
        self.sync_after_write();
        Ok(())
    }

    fn abort_rebuild(&mut self) -> Result<(), StoreError> {
        self.abort_rebuild_tx()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_text_serializes_as_the_record_less_its_text() {
        let mut items = crate::contract::seeds();
        items.extend((0..3).map(crate::contract::synthetic));
        for item in items {
            let slim = ArticleRecord { text: String::new(), ..item.article.clone() };
            assert_eq!(
                serde_json::to_string(&WithoutText::of(&item.article)).unwrap(),
                serde_json::to_string(&slim).unwrap()
            );
        }
    }

    #[test]
    fn an_owned_batch_reads_back_whatever_text_it_let_go() {
        // Several blocks (a derived text, the JSON in a buffer), a text over the streaming
        // threshold, and a text the blocks do not give (stored as it is).
        let mut several = crate::contract::synthetic(1);
        several.article.blocks = ["One.", "Two.", "Three."]
            .map(|t| Block { kind: BlockKind::Paragraph, text: t.to_string(), language: None })
            .to_vec();
        several.article.text = "One.\n\nTwo.\n\nThree.".to_string();
        let mut large = crate::contract::synthetic(2);
        let long = "A long paragraph of prose. ".repeat(2 * KEPT_JSON_BUFFER / 27 + 1);
        large.article.blocks[0].text = long.clone();
        large.article.text = long;
        let mut other = crate::contract::synthetic(3);
        other.article.text = "Not what the blocks say.".to_string();
        let batch = vec![several, large, other];
        let want: Vec<ArticleRecord> = batch.iter().map(|i| i.article.clone()).collect();
        assert!(text_derived(&want[0]) && text_derived(&want[1]) && !text_derived(&want[2]));
        assert!(derived_text_len(&want[1].blocks) > KEPT_JSON_BUFFER);
        assert_eq!(derived_text_len(&want[0].blocks), want[0].text.len());

        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        store.put_batch_corpus_owned(batch, Vec::new(), &[], &[], &[]).unwrap();
        for article in &want {
            assert_eq!(store.article(&article.id.to_string()).unwrap().as_ref(), Some(article));
        }
    }
}
