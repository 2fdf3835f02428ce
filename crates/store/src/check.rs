//! Reading a store that may be damaged or out of reach for writing: opening it read-only (a store
//! on read-only media), walking its articles past unreadable rows, checking every part of it
//! ([`crate::StoreRead::verify`]), and writing lost raw bytes again from their input.

use crate::blob::{Codec, Decoder};
use crate::provenance::{decode_text, from_sql, link_from_row, LINK_COLUMNS};
use crate::sqlite::{article_from_row, db, DATABASE_FILE};
use crate::{schema, Damage, DamageKind, PutOutcome, SqliteStore, StoreError, Verified};
use presswatch_model::{ArticleRecord, ContentHash, DocId, Record};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::Path;
use std::time::Duration;

/// How long a read-only connection waits for a lock (a checkpoint of a running ingest).
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An article row that cannot be read back, with the source of its document.
pub(crate) struct RowDamage {
    pub(crate) error: StoreError,
    pub(crate) sha256: String,
    pub(crate) source: String,
}

/// The [`Damage`] an unreadable article row is reported as.
pub(crate) fn article_damage(row: RowDamage) -> Damage {
    Damage {
        kind: DamageKind::Article,
        doc: doc_of(&row.sha256),
        source: Some(row.source),
        detail: row.error.to_string(),
    }
}

/// The [`Damage`] an unreadable link row is reported as.
pub(crate) fn link_damage(error: StoreError) -> Damage {
    let doc = match &error {
        StoreError::CorruptProvenance { doc, .. } => Some(*doc),
        _ => None,
    };
    Damage { kind: DamageKind::Index, doc, source: None, detail: error.to_string() }
}

fn doc_of(sha256: &str) -> Option<DocId> {
    sha256.parse::<ContentHash>().ok().map(|h| h.doc_id())
}

/// Whether an error reading one row is damage to that row (its value cannot be decoded), rather
/// than a failure of the database file or of the query, which ends a walk.
fn is_row_damage(e: &StoreError) -> bool {
    match e {
        StoreError::CorruptRow { .. } => true,
        StoreError::Database { source, .. } => source
            .downcast_ref::<rusqlite::Error>()
            .is_some_and(|e| !matches!(e, rusqlite::Error::SqliteFailure(..))),
        _ => false,
    }
}

impl StoreError {
    /// Whether the error comes from damage in the store: a row or blob that cannot be read back,
    /// or a damaged database file (what [`crate::StoreRead::verify`] diagnoses).
    pub fn is_damage(&self) -> bool {
        match self {
            StoreError::CorruptRow { .. }
            | StoreError::CorruptBlob { .. }
            | StoreError::MissingBlob { .. }
            | StoreError::CorruptProvenance { .. } => true,
            StoreError::Database { source, .. } => {
                source.downcast_ref::<rusqlite::Error>().is_some_and(|e| {
                    matches!(
                        e.sqlite_error_code(),
                        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
                    )
                })
            }
            _ => false,
        }
    }
}

/// The path as a `file:` URI path: every byte outside the unreserved set percent-encoded, so a
/// `?` or `#` in a directory name cannot end the path.
fn uri_path(path: &Path) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Opens `path` read-only; `immutable` also tells SQLite that nobody changes the file (so it
/// takes no lock and needs no `-shm` file). Reads the schema at once: opening is lazy, and a
/// store that cannot be read this way must fail here.
fn open_ro(path: &Path, immutable: bool) -> rusqlite::Result<Connection> {
    let flags =
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let uri = format!("file:{}?mode=ro{}", uri_path(path), if immutable { "&immutable=1" } else { "" });
    let conn = Connection::open_with_flags(uri, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// Whether the store's write-ahead log holds changes not yet in the database file.
fn wal_has_content(db_path: &Path) -> bool {
    let mut wal = db_path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(Path::new(&wal)).is_ok_and(|m| m.len() > 0)
}

impl SqliteStore {
    /// Opens an existing store for reading only: nothing in `dir` is created or changed, so a
    /// store on read-only media (or in a directory this user may not write) can be read.
    ///
    /// The connection is read-only (SQLite `mode=ro`). Where SQLite cannot set up its shared
    /// memory file (a read-only directory), the database is opened as immutable instead, which
    /// is only done when the write-ahead log is empty or absent, so no committed change is ever
    /// skipped. Writes through the handle fail. A store on an older schema is refused
    /// ([`StoreError::NeedsMigration`]): migrating it is a write.
    pub fn open_read_only(dir: &Path) -> Result<Self, StoreError> {
        let db_path = dir.join(DATABASE_FILE);
        if !db_path.is_file() {
            return Err(StoreError::Io {
                action: "open store database",
                path: db_path,
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        let conn = match open_ro(&db_path, false) {
            Ok(conn) => conn,
            Err(e) if !wal_has_content(&db_path) => {
                tracing::debug!(error = %e, "read-only open failed; opening the database as immutable");
                open_ro(&db_path, true).map_err(|e| db("opening the database read-only", e))?
            }
            Err(e) => {
                return Err(db(
                    "opening the database read-only (its write-ahead log holds changes that only a \
                     handle allowed to write in the store directory can read)",
                    e,
                ))
            }
        };
        let found = schema::user_version(&conn)?;
        let latest = schema::latest_version();
        if found > latest {
            return Err(StoreError::NewerSchema { path: db_path, found, supported: latest });
        }
        if found < latest {
            return Err(StoreError::NeedsMigration { path: db_path, found, latest });
        }
        let mut store = SqliteStore::with_connection(dir, db_path, conn);
        store.open_search(false)?;
        Ok(store)
    }

    /// Every article row in first-seen order; a row that cannot be decoded comes as a
    /// [`RowDamage`] and the walk goes on. Returns how many rows were visited.
    pub(crate) fn walk_articles(
        &self,
        f: &mut dyn FnMut(Result<ArticleRecord, RowDamage>) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached(
                "SELECT a.sha256, a.record, a.text_derived, d.source
                 FROM documents d JOIN articles a ON a.sha256 = d.sha256
                 ORDER BY d.first_seen, d.id, d.sha256",
            )
            .map_err(|e| db("preparing the article listing", e))?;
        let mut rows = stmt.query([]).map_err(|e| db("listing articles", e))?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(|e| db("listing articles", e))? {
            count += 1;
            match article_from_row(row, &st.decoder) {
                Ok(article) => f(Ok(article))?,
                Err(error) if is_row_damage(&error) => {
                    let text = |i| match row.get_ref(i) {
                        Ok(ValueRef::Text(t)) => String::from_utf8_lossy(t).into_owned(),
                        _ => String::new(),
                    };
                    f(Err(RowDamage { error, sha256: text(0), source: text(3) }))?
                }
                Err(error) => return Err(error),
            }
        }
        Ok(count)
    }

    /// [`crate::StoreRead::verify`] for SQLite: its integrity and foreign-key checks, rows that
    /// must pair up, every blob, every article row, every provenance row. A part whose query
    /// fails on a damaged file is reported as [`DamageKind::Database`] and the check goes on.
    pub(crate) fn verify_all(
        &self,
        f: &mut dyn FnMut(Damage) -> Result<(), StoreError>,
    ) -> Result<Verified, StoreError> {
        let mut verified = Verified::default();
        let parts: [(&str, PartCheck<'_>); 6] = [
            ("the integrity check", &|s, f, _| s.check_sqlite(f)),
            ("the row pairing", &|s, f, _| s.check_pairing(f)),
            ("the blobs", &|s, f, v| s.check_blobs(f, v)),
            ("the article rows", &|s, f, v| {
                v.articles = s.walk_articles(&mut |a| a.map_or_else(|d| f(article_damage(d)), |_| Ok(())))?;
                Ok(())
            }),
            ("the provenance index", &|s, f, v| s.check_index_texts(f, v)),
            ("the links", &|s, f, v| s.check_links(f, v)),
        ];
        for (what, check) in parts {
            match check(self, f, &mut verified) {
                Ok(()) => {}
                Err(e @ StoreError::Database { .. }) => f(Damage {
                    kind: DamageKind::Database,
                    doc: None,
                    source: None,
                    detail: format!("cannot read {what}: {e}"),
                })?,
                Err(e) => return Err(e),
            }
        }
        Ok(verified)
    }

    fn check_sqlite(&self, f: &mut dyn FnMut(Damage) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let st = self.state();
        let database =
            |detail: String| Damage { kind: DamageKind::Database, doc: None, source: None, detail };
        let ctx = |e| db("checking integrity", e);
        let mut stmt = st.conn.prepare("PRAGMA integrity_check").map_err(ctx)?;
        let mut rows = stmt.query([]).map_err(ctx)?;
        while let Some(row) = rows.next().map_err(ctx)? {
            let line: String = row.get(0).map_err(ctx)?;
            if line != "ok" {
                f(database(format!("SQLite integrity check: {line}")))?;
            }
        }
        let ctx = |e| db("checking foreign keys", e);
        let mut stmt = st.conn.prepare("PRAGMA foreign_key_check").map_err(ctx)?;
        let mut rows = stmt.query([]).map_err(ctx)?;
        while let Some(row) = rows.next().map_err(ctx)? {
            let table: String = row.get(0).map_err(ctx)?;
            f(database(format!("a row of {table} references a document that is not stored")))?;
        }
        Ok(())
    }

    fn check_pairing(&self, f: &mut dyn FnMut(Damage) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let st = self.state();
        let checks = [
            (
                "SELECT a.sha256, NULL FROM articles a LEFT JOIN documents d ON d.sha256 = a.sha256
                 WHERE d.sha256 IS NULL",
                DamageKind::Database,
                "an article row whose document is not stored",
            ),
            (
                "SELECT d.sha256, d.source FROM documents d LEFT JOIN articles a ON a.sha256 = d.sha256
                 WHERE a.sha256 IS NULL",
                DamageKind::Article,
                "the document has no article",
            ),
            (
                "SELECT d.sha256, d.source FROM documents d LEFT JOIN sources s
                 ON s.sha256 = d.sha256 AND s.source = d.source WHERE s.sha256 IS NULL",
                DamageKind::Database,
                "the document's first source is not recorded",
            ),
        ];
        let ctx = |e| db("checking row pairing", e);
        for (sql, kind, what) in checks {
            let mut stmt = st.conn.prepare(sql).map_err(ctx)?;
            let mut rows = stmt.query([]).map_err(ctx)?;
            while let Some(row) = rows.next().map_err(ctx)? {
                let sha: String = row.get(0).map_err(ctx)?;
                let source: Option<String> = row.get(1).map_err(ctx)?;
                f(Damage { kind, doc: doc_of(&sha), source, detail: format!("{what} (sha256 {sha})") })?;
            }
        }
        Ok(())
    }

    fn check_blobs(
        &self,
        f: &mut dyn FnMut(Damage) -> Result<(), StoreError>,
        verified: &mut Verified,
    ) -> Result<(), StoreError> {
        let st = self.state();
        let ctx = |e| db("reading the blobs", e);
        let mut stmt = st
            .conn
            .prepare(
                "SELECT d.sha256, d.byte_len, b.raw_len, b.zstd, d.source
                 FROM documents d LEFT JOIN blobs b ON b.sha256 = d.sha256
                 ORDER BY d.first_seen, d.id, d.sha256",
            )
            .map_err(ctx)?;
        let mut rows = stmt.query([]).map_err(ctx)?;
        while let Some(row) = rows.next().map_err(ctx)? {
            verified.blobs += 1;
            let sha: String = row.get(0).map_err(ctx)?;
            let source: Option<String> = row.get(4).ok();
            if let Err(e) = self.decode_blob_row(&sha, row) {
                f(Damage { kind: DamageKind::Blob, doc: doc_of(&sha), source, detail: e.to_string() })?;
            }
        }
        Ok(())
    }

    fn check_index_texts(
        &self,
        f: &mut dyn FnMut(Damage) -> Result<(), StoreError>,
        verified: &mut Verified,
    ) -> Result<(), StoreError> {
        let st = self.state();
        let ctx = |e| db("reading the provenance index", e);
        let mut stmt = st.conn.prepare("SELECT doc, text, masked FROM prov_docs").map_err(ctx)?;
        let mut rows = stmt.query([]).map_err(ctx)?;
        while let Some(row) = rows.next().map_err(ctx)? {
            verified.index_rows += 1;
            let doc = DocId::from(from_sql(row.get(0).map_err(ctx)?));
            let damage =
                |detail: String| Damage { kind: DamageKind::Index, doc: Some(doc), source: None, detail };
            let text = match row.get_ref(1).map_err(ctx)? {
                ValueRef::Blob(frame) => decode_text(&st.decoder, doc, frame).err().map(|e| e.to_string()),
                other => Some(format!("indexed text stored as {:?}", other.data_type())),
            };
            if let Some(detail) = text {
                f(damage(detail))?;
            }
            if let ValueRef::Text(masked) = row.get_ref(2).map_err(ctx)? {
                if let Err(e) = serde_json::from_slice::<Vec<presswatch_model::Span>>(masked) {
                    f(damage(format!("masked spans of the index entry: {e}")))?;
                }
            }
        }
        Ok(())
    }

    fn check_links(
        &self,
        f: &mut dyn FnMut(Damage) -> Result<(), StoreError>,
        verified: &mut Verified,
    ) -> Result<(), StoreError> {
        let st = self.state();
        let ctx = |e| db("reading the links", e);
        let mut stmt = st.conn.prepare(&format!("SELECT {LINK_COLUMNS} FROM prov_links")).map_err(ctx)?;
        let mut rows = stmt.query([]).map_err(ctx)?;
        while let Some(row) = rows.next().map_err(ctx)? {
            verified.index_rows += 1;
            if let Err(e) = link_from_row(row) {
                f(link_damage(e))?;
            }
        }
        Ok(())
    }
}

/// One part of [`SqliteStore::verify_all`].
type PartCheck<'a> = &'a dyn Fn(
    &SqliteStore,
    &mut dyn FnMut(Damage) -> Result<(), StoreError>,
    &mut Verified,
) -> Result<(), StoreError>;

/// [`crate::StoreWrite::restore_blobs`] for SQLite, in one transaction (a savepoint of the
/// rebuild's when `rebuilding`).
pub(crate) fn restore_blobs(
    conn: &mut Connection,
    rebuilding: bool,
    codec: &mut Codec,
    db_path: &Path,
    records: &[Record],
) -> Result<Vec<PutOutcome>, StoreError> {
    let tx = crate::rebuild::WriteTx::begin(conn, rebuilding, "starting a blob restore")?;
    let decoder = Decoder::new();
    let mut outcomes = Vec::with_capacity(records.len());
    {
        let mut lookup = tx
            .prepare_cached(
                "SELECT d.byte_len, b.raw_len, b.zstd
                 FROM documents d LEFT JOIN blobs b ON b.sha256 = d.sha256 WHERE d.sha256 = ?1",
            )
            .map_err(|e| db("preparing the blob lookup", e))?;
        for record in records {
            let sha = record.hash().to_hex();
            let bytes = record.bytes();
            let len = bytes.len() as u64;
            let intact = lookup
                .query_row([&sha], |row| {
                    let byte_len: i64 = row.get(0)?;
                    let raw_len: Option<i64> = row.get(1)?;
                    Ok(match (raw_len, row.get_ref(2)?) {
                        (Some(raw_len), ValueRef::Blob(frame)) => {
                            u64::try_from(byte_len).ok() == Some(len)
                                && decoder.decode_blob(&sha, len, raw_len, frame, db_path).is_ok()
                        }
                        _ => false,
                    })
                })
                .optional()
                .map_err(|e| db("looking up a blob", e))?
                .ok_or_else(|| StoreError::UnknownDocument(sha.clone()))?;
            if intact {
                outcomes.push(PutOutcome::AlreadyPresent);
                continue;
            }
            let frame = codec.compress(bytes).map_err(|source| StoreError::Io {
                action: "compress a blob for",
                path: db_path.to_path_buf(),
                source,
            })?;
            tx.execute(
                "INSERT INTO blobs (sha256, raw_len, zstd) VALUES (?1, ?2, ?3)
                 ON CONFLICT (sha256) DO UPDATE SET raw_len = excluded.raw_len, zstd = excluded.zstd",
                params![sha, len as i64, frame],
            )
            .map_err(|e| db("restoring a blob", e))?;
            tx.execute("UPDATE documents SET byte_len = ?2 WHERE sha256 = ?1", params![sha, len as i64])
                .map_err(|e| db("restoring a blob", e))?;
            tracing::info!(sha256 = %sha, "restored the raw bytes of a document");
            outcomes.push(PutOutcome::Restored);
        }
    }
    tx.commit("committing a blob restore")?;
    Ok(outcomes)
}
