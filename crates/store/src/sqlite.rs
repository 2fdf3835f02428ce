//! The embedded default store: SQLite rows plus the blob directory, in one directory.

use crate::blob::BlobStore;
use crate::schema;
use crate::{
    check_article_id, check_pair, is_full_sha256, normalize_id_prefix, now_rfc3339, sort_counts, Ingested,
    PutOutcome, Rejection, Stats, Store, StoreError, StoredDocument, TOP_OUTLETS,
};
use presswatch_model::{ArticleRecord, Block, BlockKind, Format, EXTRACTOR_VERSION};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Name of the database file inside a store directory.
pub const DATABASE_FILE: &str = "presswatch.sqlite";
const BLOB_DIR: &str = "blobs";

/// How long a connection waits for another process's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) fn db(context: &'static str, e: rusqlite::Error) -> StoreError {
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

/// The embedded store: `<dir>/presswatch.sqlite` and `<dir>/blobs/`.
///
/// Several processes may open the same directory: writes are serialized by SQLite's write lock
/// (waiting up to 30 s), which also covers the blob writes of a batch.
pub struct SqliteStore {
    dir: PathBuf,
    pub(crate) conn: Connection,
    blobs: BlobStore,
    /// Whether this handle already removed temp files left by crashed writers.
    swept: bool,
}

/// What [`SqliteStore::check_integrity`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntegrityReport {
    pub documents_checked: u64,
    /// One line per problem; empty when the store is consistent.
    pub problems: Vec<String>,
}

impl IntegrityReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl SqliteStore {
    /// Opens the store in `dir`, creating the directory and an empty store if needed and
    /// migrating an older schema to the current one.
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
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .ctx("enabling WAL mode")?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "SQLite refused WAL mode; concurrent readers will block writers");
        }
        // Under WAL, NORMAL never corrupts the database; a power cut may only lose the last commits.
        conn.pragma_update(None, "synchronous", "NORMAL").ctx("setting synchronous mode")?;
        conn.pragma_update(None, "foreign_keys", "ON").ctx("enabling foreign keys")?;
        conn.set_prepared_statement_cache_capacity(64);
        schema::migrate_to(&mut conn, &db_path, version)?;
        let blobs = BlobStore::open(dir.join(BLOB_DIR))?;
        Ok(SqliteStore { dir: dir.to_path_buf(), conn, blobs, swept: false })
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        schema::user_version(&self.conn)
    }

    /// Where the blob of a document lives (whether or not it exists).
    pub fn blob_path(&self, sha256: &str) -> Result<PathBuf, StoreError> {
        let sha256 = full_sha256(sha256)?;
        Ok(self.blobs.path(&sha256))
    }

    /// Checks the whole store: SQLite's own integrity and foreign-key checks, that documents and
    /// articles pair up, and that every document's blob is present and hashes to its sha256.
    /// Reads every blob, so it takes as long as reading the raw corpus.
    pub fn check_integrity(&self) -> Result<IntegrityReport, StoreError> {
        let mut report = IntegrityReport::default();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check").ctx("checking integrity")?;
        let lines = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .ctx("checking integrity")?
            .collect::<Result<Vec<_>, _>>()
            .ctx("checking integrity")?;
        report.problems.extend(lines.into_iter().filter(|l| l != "ok").map(|l| format!("sqlite: {l}")));

        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check").ctx("checking foreign keys")?;
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
            let mut stmt = self.conn.prepare(sql).ctx("checking row pairing")?;
            let mut rows = stmt.query([]).ctx("checking row pairing")?;
            while let Some(row) = rows.next().ctx("checking row pairing")? {
                let sha: String = row.get(0).ctx("checking row pairing")?;
                report.problems.push(format!("{what}: {sha}"));
            }
        }

        let mut stmt =
            self.conn.prepare("SELECT sha256, byte_len FROM documents").ctx("listing documents")?;
        let mut rows = stmt.query([]).ctx("listing documents")?;
        while let Some(row) = rows.next().ctx("listing documents")? {
            let sha: String = row.get(0).ctx("listing documents")?;
            let len: i64 = row.get(1).ctx("listing documents")?;
            report.documents_checked += 1;
            if !is_full_sha256(&sha) {
                report.problems.push(format!("document with a malformed sha256 {sha:?}"));
                continue;
            }
            if let Err(e) = self.blobs.read(&sha, u64::try_from(len).unwrap_or(0)) {
                report.problems.push(e.to_string());
            }
        }
        Ok(report)
    }
}

/// Validates and lowercases a full sha256 given by a caller.
fn full_sha256(sha256: &str) -> Result<String, StoreError> {
    let sha = sha256.trim().to_ascii_lowercase();
    if !is_full_sha256(&sha) {
        return Err(StoreError::InvalidId { id: sha256.to_string(), why: "not a full sha256" });
    }
    Ok(sha)
}

fn parse_article(sha256: &str, json: &str, text_derived: bool) -> Result<ArticleRecord, StoreError> {
    let mut article: ArticleRecord = serde_json::from_str(json).map_err(|e| StoreError::CorruptRow {
        sha256: sha256.to_string(),
        detail: format!("article JSON: {e}"),
    })?;
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

/// The article's JSON, leaving the text out when the blocks give it back exactly (it would
/// otherwise be stored twice), and whether it was left out.
fn article_json(article: &ArticleRecord) -> Result<(String, bool), StoreError> {
    let serialize = |a: &ArticleRecord| {
        serde_json::to_string(a)
            .map_err(|e| StoreError::Database { context: "serializing an article", source: Box::new(e) })
    };
    if !article.text.is_empty() && article.text == derived_text(&article.blocks) {
        let slim = ArticleRecord { text: String::new(), ..article.clone() };
        Ok((serialize(&slim)?, true))
    } else {
        Ok((serialize(article)?, false))
    }
}

fn upsert_article(conn: &Connection, article: &ArticleRecord) -> Result<(), StoreError> {
    let (json, text_derived) = article_json(article)?;
    let mut stmt = conn.prepare_cached(UPSERT_ARTICLE).ctx("preparing the article insert")?;
    stmt.execute(params![
        article.sha256,
        article.id,
        article.title,
        article.published,
        article.outlet,
        article.language,
        article.extractor_version,
        json,
        text_derived,
    ])
    .ctx("writing an article")?;
    Ok(())
}

/// Inserts the rows of a batch: document and article rows of new documents, and a source row
/// for every item (ignored when the pair is known).
fn insert_rows(
    tx: &Connection,
    batch: &[Ingested],
    shas: &[String],
    new_items: &[usize],
    now: &str,
) -> Result<(), StoreError> {
    let mut insert_document = tx
        .prepare_cached(
            "INSERT INTO documents (id, sha256, format, source, first_seen, byte_len)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .ctx("preparing the document insert")?;
    let mut insert_source = tx
        .prepare_cached("INSERT OR IGNORE INTO sources (sha256, source, first_seen) VALUES (?1, ?2, ?3)")
        .ctx("preparing the source insert")?;
    for &i in new_items {
        let (Some(item), Some(sha)) = (batch.get(i), shas.get(i)) else { continue };
        insert_document
            .execute(params![
                item.article.id,
                sha,
                item.record.format.as_str(),
                item.record.source,
                now,
                item.record.bytes.len() as i64,
            ])
            .ctx("writing a document")?;
        upsert_article(tx, &item.article)?;
    }
    for (item, sha) in batch.iter().zip(shas) {
        insert_source.execute(params![sha, item.record.source, now]).ctx("writing a source")?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn put_batch(&mut self, batch: &[Ingested]) -> Result<Vec<PutOutcome>, StoreError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let started = Instant::now();
        let shas: Vec<String> = batch.iter().map(|item| item.record.sha256()).collect();
        for (item, sha) in batch.iter().zip(&shas) {
            check_pair(&item.record, &item.article, sha)?;
        }
        let now = now_rfc3339();

        let SqliteStore { conn, blobs, swept, .. } = self;
        // Take the write lock first: blob files are then written by one process at a time, which
        // is what makes sweeping other writers' temp files safe.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).ctx("starting a batch")?;
        if !*swept {
            blobs.sweep_temp_files()?;
            *swept = true;
        }

        let mut outcomes = Vec::with_capacity(batch.len());
        let mut new_items: Vec<usize> = Vec::new();
        {
            let mut exists =
                tx.prepare_cached("SELECT 1 FROM documents WHERE sha256 = ?1").ctx("preparing the lookup")?;
            let mut seen: HashSet<&str> = HashSet::with_capacity(batch.len());
            for (i, sha) in shas.iter().enumerate() {
                let present = !seen.insert(sha) || exists.exists([sha]).ctx("looking up a document")?;
                outcomes.push(if present { PutOutcome::AlreadyPresent } else { PutOutcome::Added });
                if !present {
                    new_items.push(i);
                }
            }
        }

        let blob_items: Vec<(&str, &[u8])> = new_items
            .iter()
            .filter_map(|&i| Some((shas.get(i)?.as_str(), batch.get(i)?.record.bytes.as_slice())))
            .collect();
        let mut blob_batch = blobs.plan(&blob_items)?;
        // Blob files are written while the rows are inserted; both must succeed, and the blobs
        // be published (durable under their final names), before the rows are committed.
        let written = std::thread::scope(|scope| {
            let writer = scope.spawn(|| blobs.write(&blob_batch));
            let rows = insert_rows(&tx, batch, &shas, &new_items, &now);
            let blobs_written = writer.join().unwrap_or_else(|_| {
                Err(StoreError::Io {
                    action: "write blobs",
                    path: PathBuf::new(),
                    source: std::io::Error::other("the blob writer thread panicked"),
                })
            });
            rows.and(blobs_written)
        })
        .and_then(|()| blobs.publish(&mut blob_batch));
        let written = match written {
            Ok(n) => n,
            Err(e) => {
                blobs.abandon(blob_batch);
                return Err(e); // dropping `tx` rolls the rows back
            }
        };
        tx.commit().ctx("committing a batch")?;
        tracing::debug!(
            items = batch.len(),
            added = new_items.len(),
            blobs_written = written,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "stored batch"
        );
        Ok(outcomes)
    }

    fn contains(&self, sha256: &str) -> Result<bool, StoreError> {
        let sha = sha256.trim().to_ascii_lowercase();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE sha256 = ?1")
            .ctx("preparing the lookup")?;
        stmt.exists([sha]).ctx("looking up a document")
    }

    fn record_rejections(&mut self, rejections: &[(String, String)]) -> Result<(), StoreError> {
        if rejections.is_empty() {
            return Ok(());
        }
        let now = now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx("starting to record rejections")?;
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
        tx.commit().ctx("committing rejections")
    }

    fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        let prefix = normalize_id_prefix(id)?;
        // Every continuation of a lowercase hex prefix sorts below prefix + "g".
        let upper = format!("{prefix}g");
        let mut stmt = self
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
        let sha: String = row.get(0).ctx("reading an article")?;
        let json: String = row.get(1).ctx("reading an article")?;
        let text_derived: bool = row.get(2).ctx("reading an article")?;
        if rows.next().ctx("looking up an article")?.is_some() {
            return Err(StoreError::AmbiguousId { prefix });
        }
        parse_article(&sha, &json, text_derived).map(Some)
    }

    fn for_each_article(
        &self,
        f: &mut dyn FnMut(ArticleRecord) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.sha256, a.record, a.text_derived
                 FROM documents d JOIN articles a ON a.sha256 = d.sha256
                 ORDER BY d.first_seen, d.id, d.sha256",
            )
            .ctx("preparing the article listing")?;
        let mut rows = stmt.query([]).ctx("listing articles")?;
        let mut count = 0;
        while let Some(row) = rows.next().ctx("listing articles")? {
            let sha: String = row.get(0).ctx("reading an article")?;
            let json: String = row.get(1).ctx("reading an article")?;
            let text_derived: bool = row.get(2).ctx("reading an article")?;
            f(parse_article(&sha, &json, text_derived)?)?;
            count += 1;
        }
        Ok(count)
    }

    fn raw(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let sha = full_sha256(sha256)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT byte_len FROM documents WHERE sha256 = ?1")
            .ctx("preparing the document lookup")?;
        let len: Option<i64> =
            stmt.query_row([&sha], |row| row.get(0)).optional().ctx("looking up a document")?;
        let Some(len) = len else {
            return Err(StoreError::UnknownDocument(sha));
        };
        let len = u64::try_from(len).map_err(|_| StoreError::CorruptRow {
            sha256: sha.clone(),
            detail: format!("negative byte length {len}"),
        })?;
        self.blobs.read(&sha, len)
    }

    fn sources(&self, sha256: &str) -> Result<Vec<String>, StoreError> {
        let sha = sha256.trim().to_ascii_lowercase();
        let mut stmt = self
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
        let mut stmt = self
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
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, sha256, format, source, first_seen, byte_len FROM documents
                 ORDER BY first_seen, id, sha256",
            )
            .ctx("preparing the document listing")?;
        let mut rows = stmt.query([]).ctx("listing documents")?;
        let mut count = 0;
        while let Some(row) = rows.next().ctx("listing documents")? {
            let sha256: String = row.get(1).ctx("reading a document")?;
            let format: String = row.get(2).ctx("reading a document")?;
            let byte_len: i64 = row.get(5).ctx("reading a document")?;
            let bad = |detail: String| StoreError::CorruptRow { sha256: sha256.clone(), detail };
            let format = Format::parse(&format).ok_or_else(|| bad(format!("unknown format {format:?}")))?;
            let byte_len =
                u64::try_from(byte_len).map_err(|_| bad(format!("negative byte length {byte_len}")))?;
            let doc = StoredDocument {
                id: row.get(0).ctx("reading a document")?,
                format,
                source: row.get(3).ctx("reading a document")?,
                first_seen: row.get(4).ctx("reading a document")?,
                byte_len,
                sha256,
            };
            f(doc)?;
            count += 1;
        }
        Ok(count)
    }

    fn update_articles(&mut self, articles: &[ArticleRecord]) -> Result<(), StoreError> {
        for article in articles {
            check_article_id(article)
                .map_err(|detail| StoreError::Mismatch { record: article.source.clone(), detail })?;
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx("starting an article update")?;
        {
            let mut exists =
                tx.prepare_cached("SELECT 1 FROM documents WHERE sha256 = ?1").ctx("preparing the lookup")?;
            for article in articles {
                if !exists.exists([&article.sha256]).ctx("looking up a document")? {
                    return Err(StoreError::UnknownDocument(article.sha256.clone()));
                }
                upsert_article(&tx, article)?;
            }
        }
        tx.commit().ctx("committing an article update")
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let conn = &self.conn;
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
            stats.top_outlets.push((outlet, u64::try_from(n).unwrap_or(0)));
        }
        Ok(stats)
    }
}
