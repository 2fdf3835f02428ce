//! The PostgreSQL store: the same contract as the embedded one, in a server database that
//! several processes and machines can write at once.
//!
//! Through the synchronous `postgres` client (its own small tokio runtime inside), because the
//! stages and the store traits are synchronous. Every write is one transaction that first takes
//! a transaction-scoped advisory lock ([`WRITE_LOCK`]), so writers from any number of processes
//! are serialized as SQLite's write lock serializes them (the index order `seen` and the story
//! placing order are "the last one plus one"); readers never wait on them (MVCC), and
//! [`StoreRead::in_read_transaction`] is one `REPEATABLE READ` snapshot.

use crate::blob::{Codec, Decoder};
use crate::provenance::{check_provenance, from_sql, to_sql};
use crate::{
    check_pair, check_updates, normalize_id_prefix, now_rfc3339, sort_counts, Ingested, PutOutcome,
    Rejection, Stats, StoreError, StoreRead, StoreWrite, StoredDocument, TOP_OUTLETS,
};
use parking_lot::{ReentrantMutex, ReentrantMutexGuard};
use postgres::types::{FromSql, ToSql};
use postgres::{Client, NoTls, Row};
use presswatch_model::{
    AlignedPassage, ArticleRecord, ContentHash, DocId, DocTime, EntityIndexRead, EntityLink, EntityType,
    Format, IndexEntry, IndexRead, KnownEntity, Language, Outlet, Published, QuoteId, QuoteIndexRead,
    QuoteLink, QuoteMatch, Record, ReuseKind, Span, StoredLink, StoredQuote, StoryIndexRead, StoryLink,
    StoryMerge, StoryState, EXTRACTOR_VERSION,
};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The advisory lock every write transaction takes first (an arbitrary constant: "pw" + 1).
const WRITE_LOCK: i64 = 0x7077_0001;

/// Rows read per round trip by the `for_each_*` walks, which hold one page at a time.
const PAGE: i64 = 500;

/// Bit flip that turns a bit-cast u64 into an i64 with the same order (`ORDER BY (doc # FLIP)`).
const FLIP: i64 = i64::MIN;

/// Whether `location` (a `--store` value) names a PostgreSQL database rather than a directory.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

fn pg(context: &'static str) -> impl Fn(postgres::Error) -> StoreError {
    move |e| {
        if e.code() == Some(&postgres::error::SqlState::DISK_FULL) {
            return StoreError::DiskFull { context };
        }
        StoreError::Database { context, source: Box::new(e) }
    }
}

fn get<'a, T: FromSql<'a>>(row: &'a Row, i: usize, context: &'static str) -> Result<T, StoreError> {
    row.try_get(i).map_err(pg(context))
}

fn corrupt_row(sha256: &str, detail: String) -> StoreError {
    StoreError::CorruptRow { sha256: sha256.to_string(), detail }
}

fn count_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn doc_id(n: i64) -> DocId {
    DocId::from(from_sql(n))
}

fn keys_sql(keys: &[u64]) -> Vec<i64> {
    keys.iter().map(|&k| to_sql(k)).collect()
}

/// The connection and what reads change through `&self`.
struct Conn {
    client: RefCell<Client>,
    decoder: Decoder,
    /// Nesting depth of [`StoreRead::in_read_transaction`] on this handle.
    depth: Cell<u32>,
}

/// A store in a PostgreSQL database (`--store postgres://user@host:port/db`).
///
/// `Send + Sync`: reads through `&self` take a re-entrant lock around the connection, so one
/// handle can be shared by threads whose reads then run one at a time (open a handle per
/// thread to read in parallel). Writes take `&mut self`.
pub struct PgStore {
    conn: ReentrantMutex<Conn>,
    url: String,
    /// The URL without its password, for messages.
    location: PathBuf,
    codec: Option<Codec>,
    rebuilding: bool,
    /// Where this client keeps its search index of the store (see [`PgStore::search_cache_dir`]);
    /// `None`: the default place.
    search_cache: Option<PathBuf>,
    /// The search index, opened at the first search: `None` inside when no cache directory
    /// could be used (each search then indexes the store in memory).
    search: std::sync::OnceLock<Option<crate::search::SearchIndex>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("location", &self.location).finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date (creating the tables
    /// in an empty database). Refuses a database written by a newer presswatch.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let mut client = Client::connect(url, NoTls).map_err(pg("connecting to PostgreSQL"))?;
        let location = PathBuf::from(redact(url));
        migrate(&mut client, &location)?;
        Ok(PgStore {
            conn: ReentrantMutex::new(Conn {
                client: RefCell::new(client),
                decoder: Decoder::new(),
                depth: Cell::new(0),
            }),
            url: url.to_string(),
            location,
            codec: None,
            rebuilding: false,
            search_cache: None,
            search: std::sync::OnceLock::new(),
        })
    }

    /// Keeps this client's search index under `dir` (instead of the default place, see
    /// [`PgStore::search_cache_dir`]): tests, or a machine whose cache directory is elsewhere.
    pub fn with_search_cache(mut self, dir: impl Into<PathBuf>) -> Self {
        self.search_cache = Some(dir.into());
        self.search = std::sync::OnceLock::new();
        self
    }

    /// Closes this handle and opens the same database again (a rebuild in progress is lost).
    pub fn reopen(self) -> Result<Self, StoreError> {
        let url = self.url.clone();
        let cache = self.search_cache.clone();
        drop(self);
        let store = PgStore::open(&url)?;
        Ok(match cache {
            Some(dir) => store.with_search_cache(dir),
            None => store,
        })
    }

    /// The database's URL, without its password.
    pub fn location(&self) -> &Path {
        &self.location
    }

    fn lock(&self) -> ReentrantMutexGuard<'_, Conn> {
        self.conn.lock()
    }

    /// Runs one query through `&self` (the connection is borrowed only for the call).
    fn query(
        &self,
        context: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, StoreError> {
        let conn = self.lock();
        let mut client = conn.client.try_borrow_mut().map_err(|_| StoreError::Database {
            context,
            source: "the connection is in use by a callback of this handle".into(),
        })?;
        client.query(sql, params).map_err(pg(context))
    }

    fn query_opt(
        &self,
        context: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, StoreError> {
        Ok(self.query(context, sql, params)?.into_iter().next())
    }

    fn count(
        &self,
        context: &'static str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, StoreError> {
        let rows = self.query(context, sql, params)?;
        let n: i64 = match rows.first() {
            Some(row) => get(row, 0, context)?,
            None => 0,
        };
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Runs `f` as one write: its own transaction holding [`WRITE_LOCK`], or, inside a rebuild, a
    /// savepoint of the rebuild's. An error undoes the write and nothing else.
    fn write<T>(
        &mut self,
        context: &'static str,
        f: impl FnOnce(&mut Client, &mut Codec, &Path) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.codec.is_none() {
            self.codec = Some(Codec::new(&self.location)?);
        }
        let PgStore { conn, location, codec, rebuilding, .. } = self;
        let client = conn.get_mut().client.get_mut();
        let Some(codec) = codec.as_mut() else { return Err(StoreError::Rebuild("no codec")) };
        let (begin, commit, rollback) = if *rebuilding {
            (
                "SAVEPOINT pw_write",
                "RELEASE SAVEPOINT pw_write",
                "ROLLBACK TO SAVEPOINT pw_write; RELEASE SAVEPOINT pw_write",
            )
        } else {
            ("BEGIN", "COMMIT", "ROLLBACK")
        };
        client.batch_execute(begin).map_err(pg(context))?;
        let locked = if *rebuilding {
            // The rebuild's transaction holds the lock already.
            Ok(())
        } else {
            client.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]).map(drop).map_err(pg(context))
        };
        let result = locked
            .and_then(|()| f(client, codec, location))
            .and_then(|value| client.batch_execute(commit).map(|()| value).map_err(pg(context)));
        if result.is_err() {
            // The error says what failed; a failed rollback leaves nothing committed either.
            let _ = client.batch_execute(rollback);
        }
        result
    }

    fn decode_article(&self, sha: &str, frame: &[u8]) -> Result<ArticleRecord, StoreError> {
        let conn = self.lock();
        let json = conn
            .decoder
            .decompress_sized(frame)
            .map_err(|e| corrupt_row(sha, format!("article JSON: {e}")))?;
        serde_json::from_slice(&json).map_err(|e| corrupt_row(sha, format!("article JSON: {e}")))
    }

    /// Keyset pages over `documents` (joined with `articles` when `articles`), in first-seen order.
    fn walk_documents(
        &self,
        articles: bool,
        f: &mut dyn FnMut(&Row) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let sql = if articles {
            "SELECT d.first_seen, d.id, d.sha256, a.record FROM documents d JOIN articles a ON a.sha256 = d.sha256
             WHERE (d.first_seen, d.id, d.sha256) > ($1, $2, $3)
             ORDER BY d.first_seen, d.id, d.sha256 LIMIT $4"
        } else {
            "SELECT first_seen, id, sha256, format, source, byte_len, seq FROM documents
             WHERE (first_seen, id, sha256) > ($1, $2, $3)
             ORDER BY first_seen, id, sha256 LIMIT $4"
        };
        let mut after = (String::new(), String::new(), String::new());
        let mut count = 0;
        loop {
            let rows = self.query("walking documents", sql, &[&after.0, &after.1, &after.2, &PAGE])?;
            for row in &rows {
                f(row)?;
                count += 1;
            }
            match rows.last() {
                Some(last) if rows.len() as i64 == PAGE => {
                    let ctx = "walking documents";
                    after = (get(last, 0, ctx)?, get(last, 1, ctx)?, get(last, 2, ctx)?);
                }
                _ => return Ok(count),
            }
        }
    }

    fn is_linked(&self, id: DocId) -> Result<bool, StoreError> {
        let rows = self.query(
            "looking up a document's links",
            "SELECT 1 FROM prov_links WHERE doc = $1 OR other = $1 LIMIT 1",
            &[&to_sql(id)],
        )?;
        Ok(!rows.is_empty())
    }
}

/// `url` without a password, for messages and error paths.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Applies the migrations not yet applied, each in its own transaction under the write lock.
fn migrate(client: &mut Client, location: &Path) -> Result<(), StoreError> {
    let ctx = "applying a schema migration";
    let supported = crate::pg_schema::latest_version();
    loop {
        let mut tx = client.transaction().map_err(pg(ctx))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]).map_err(pg(ctx))?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS presswatch_schema (version BIGINT NOT NULL)")
            .map_err(pg(ctx))?;
        let found: i64 = tx
            .query_opt("SELECT version FROM presswatch_schema", &[])
            .map_err(pg(ctx))?
            .map(|row| row.try_get(0))
            .transpose()
            .map_err(pg(ctx))?
            .unwrap_or(0);
        if found > supported {
            return Err(StoreError::NewerSchema { path: location.to_path_buf(), found, supported });
        }
        let Some(sql) = usize::try_from(found).ok().and_then(|v| crate::pg_schema::MIGRATIONS.get(v)) else {
            tx.commit().map_err(pg(ctx))?;
            return Ok(());
        };
        tx.batch_execute(sql).map_err(pg(ctx))?;
        tx.batch_execute("DELETE FROM presswatch_schema").map_err(pg(ctx))?;
        tx.execute("INSERT INTO presswatch_schema (version) VALUES ($1)", &[&(found + 1)])
            .map_err(pg(ctx))?;
        tx.commit().map_err(pg(ctx))?;
        tracing::info!(location = %location.display(), to = found + 1, "migrated PostgreSQL store schema");
    }
}

fn document_from_row(row: &Row) -> Result<StoredDocument, StoreError> {
    let ctx = "reading a document";
    let sha: String = get(row, 2, ctx)?;
    let id: String = get(row, 1, ctx)?;
    let format: String = get(row, 3, ctx)?;
    let byte_len: i64 = get(row, 5, ctx)?;
    let seq: i64 = get(row, 6, ctx)?;
    Ok(StoredDocument {
        id: id.parse().map_err(|_| corrupt_row(&sha, format!("document id {id:?}")))?,
        sha256: sha.parse().map_err(|_| corrupt_row(&sha, "malformed sha256".into()))?,
        format: Format::parse(&format).ok_or_else(|| corrupt_row(&sha, format!("format {format:?}")))?,
        source: get(row, 4, ctx)?,
        first_seen: get(row, 0, ctx)?,
        byte_len: u64::try_from(byte_len)
            .map_err(|_| corrupt_row(&sha, format!("byte length {byte_len}")))?,
        seq: u64::try_from(seq).map_err(|_| corrupt_row(&sha, format!("sequence number {seq}")))?,
    })
}

fn link_from_row(row: &Row) -> Result<StoredLink, StoreError> {
    let ctx = "reading a link";
    let doc = doc_id(get(row, 0, ctx)?);
    let corrupt = |detail: String| StoreError::CorruptProvenance { doc, detail };
    let kind: String = get(row, 2, ctx)?;
    let kind = ReuseKind::parse(&kind).ok_or_else(|| corrupt(format!("unknown link kind {kind:?}")))?;
    let evidence: String = get(row, 5, ctx)?;
    let evidence: Vec<AlignedPassage> =
        serde_json::from_str(&evidence).map_err(|e| corrupt(format!("link evidence: {e}")))?;
    Ok(StoredLink {
        doc,
        other: doc_id(get(row, 1, ctx)?),
        kind,
        doc_share: get::<f64>(row, 3, ctx)? as f32,
        other_share: get::<f64>(row, 4, ctx)? as f32,
        evidence,
    })
}

fn quote_link_from_row(row: &Row) -> Result<QuoteLink, StoreError> {
    let ctx = "reading a quote link";
    let doc = doc_id(get(row, 0, ctx)?);
    let via: String = get(row, 4, ctx)?;
    let via = QuoteMatch::parse(&via).ok_or_else(|| StoreError::CorruptProvenance {
        doc,
        detail: format!("unknown quote match {via:?}"),
    })?;
    Ok(QuoteLink {
        quote: QuoteId::new(doc, count_u32(get(row, 1, ctx)?)),
        other: QuoteId::new(doc_id(get(row, 2, ctx)?), count_u32(get(row, 3, ctx)?)),
        via,
        similarity: get::<f64>(row, 5, ctx)? as f32,
    })
}

fn story_summary(row: &Row) -> Result<StoryState, StoreError> {
    let ctx = "listing stories";
    Ok(StoryState {
        id: doc_id(get(row, 0, ctx)?),
        label: get(row, 1, ctx)?,
        size: count_u32(get(row, 2, ctx)?),
        first_day: get(row, 3, ctx)?,
        last_day: get(row, 4, ctx)?,
        last_seq: from_sql(get(row, 5, ctx)?),
        terms: Vec::new(),
        entities: Vec::new(),
    })
}

fn entity_from_row(row: &Row) -> Result<KnownEntity, StoreError> {
    let ctx = "reading an entity";
    let kind: String = get(row, 1, ctx)?;
    Ok(KnownEntity {
        id: get(row, 0, ctx)?,
        kind: EntityType::parse(&kind).ok_or_else(|| corrupt_row("", format!("entity type {kind:?}")))?,
        name: get(row, 2, ctx)?,
        docs: get::<i64>(row, 3, ctx)?.max(0) as u64,
    })
}

const LINK_COLUMNS: &str = "doc, other, kind, doc_share, other_share, evidence";
const QUOTE_LINK_COLUMNS: &str = "doc, n, other, other_n, via, similarity";

impl StoreRead for PgStore {
    fn in_read_transaction(&self, f: &mut dyn FnMut() -> Result<(), StoreError>) -> Result<(), StoreError> {
        let conn = self.lock();
        if self.rebuilding || conn.depth.get() > 0 {
            return f();
        }
        let ctx = "starting a read transaction";
        conn.client
            .borrow_mut()
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .map_err(pg(ctx))?;
        conn.depth.set(1);
        let result = f();
        conn.depth.set(0);
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = conn.client.borrow_mut().batch_execute(end).map_err(pg("ending a read transaction"));
        result.and(ended)
    }

    fn contains(&self, sha256: &ContentHash) -> Result<bool, StoreError> {
        let sha = sha256.to_hex();
        Ok(!self
            .query("looking up a document", "SELECT 1 FROM documents WHERE sha256 = $1", &[&sha])?
            .is_empty())
    }

    fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        let prefix = normalize_id_prefix(id)?;
        let upper = format!("{prefix}g");
        let rows = self.query(
            "looking up an article",
            "SELECT sha256, record FROM articles WHERE sha256 >= $1 AND sha256 < $2 ORDER BY sha256 LIMIT 2",
            &[&prefix, &upper],
        )?;
        if rows.len() > 1 {
            return Err(StoreError::AmbiguousId { prefix });
        }
        let Some(row) = rows.first() else { return Ok(None) };
        let sha: String = get(row, 0, "reading an article")?;
        let frame: &[u8] = get(row, 1, "reading an article")?;
        self.decode_article(&sha, frame).map(Some)
    }

    fn for_each_article(
        &self,
        f: &mut dyn FnMut(ArticleRecord) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.walk_documents(true, &mut |row| {
            let sha: String = get(row, 2, "reading an article")?;
            let frame: &[u8] = get(row, 3, "reading an article")?;
            f(self.decode_article(&sha, frame)?)
        })
    }

    fn articles_page(&self, offset: u64, limit: usize) -> Result<Vec<ArticleRecord>, StoreError> {
        let ctx = "reading an article page";
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let rows = self.query(
            ctx,
            "SELECT d.sha256, a.record FROM documents d JOIN articles a ON a.sha256 = d.sha256
             ORDER BY d.first_seen, d.id, d.sha256 LIMIT $1 OFFSET $2",
            &[&limit, &offset],
        )?;
        rows.iter()
            .map(|row| {
                let sha: String = get(row, 0, ctx)?;
                let frame: &[u8] = get(row, 1, ctx)?;
                self.decode_article(&sha, frame)
            })
            .collect()
    }

    fn raw(&self, sha256: &ContentHash) -> Result<Vec<u8>, StoreError> {
        let sha = sha256.to_hex();
        let ctx = "reading a blob";
        let row = self.query_opt(
            ctx,
            "SELECT d.byte_len, b.raw_len, b.zstd FROM documents d LEFT JOIN blobs b ON b.sha256 = d.sha256
             WHERE d.sha256 = $1",
            &[&sha],
        )?;
        let Some(row) = row else { return Err(StoreError::UnknownDocument(sha)) };
        let len: i64 = get(&row, 0, ctx)?;
        let raw_len: Option<i64> = get(&row, 1, ctx)?;
        let frame: Option<&[u8]> = get(&row, 2, ctx)?;
        match (raw_len, frame) {
            (Some(raw_len), Some(frame)) => {
                self.lock().decoder.decode_blob(&sha, len.max(0) as u64, raw_len, frame, &self.location)
            }
            _ => Err(StoreError::MissingBlob { sha256: sha, path: self.location.clone() }),
        }
    }

    fn sources(&self, sha256: &ContentHash) -> Result<Vec<String>, StoreError> {
        let sha = sha256.to_hex();
        let rows = self.query(
            "reading sources",
            "SELECT s.source FROM sources s JOIN documents d ON d.sha256 = s.sha256 WHERE s.sha256 = $1
             ORDER BY s.source = d.source DESC, s.first_seen, s.source",
            &[&sha],
        )?;
        rows.iter().map(|r| get(r, 0, "reading sources")).collect()
    }

    fn rejections(&self) -> Result<Vec<Rejection>, StoreError> {
        let ctx = "reading rejections";
        let rows = self.query(ctx, "SELECT source, reason, at FROM rejections ORDER BY source", &[])?;
        rows.iter()
            .map(|r| Ok(Rejection { source: get(r, 0, ctx)?, reason: get(r, 1, ctx)?, at: get(r, 2, ctx)? }))
            .collect()
    }

    fn for_each_document(
        &self,
        f: &mut dyn FnMut(StoredDocument) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.walk_documents(false, &mut |row| f(document_from_row(row)?))
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let ctx = "counting";
        let mut stats = Stats {
            documents: self.count(ctx, "SELECT COUNT(*) FROM documents", &[])?,
            sources: self.count(ctx, "SELECT COUNT(*) FROM sources", &[])?,
            raw_bytes: self.count(ctx, "SELECT COALESCE(SUM(byte_len), 0)::BIGINT FROM documents", &[])?,
            rejected: self.count(ctx, "SELECT COUNT(*) FROM rejections", &[])?,
            stale: self.count(
                ctx,
                "SELECT COUNT(*) FROM articles WHERE extractor_version != $1",
                &[&EXTRACTOR_VERSION],
            )?,
            linked: self.count(
                ctx,
                "SELECT COUNT(*) FROM (SELECT doc FROM prov_links UNION SELECT other FROM prov_links) t",
                &[],
            )?,
            ..Stats::default()
        };
        for row in self.query(ctx, "SELECT format, COUNT(*) FROM documents GROUP BY format", &[])? {
            let format: String = get(&row, 0, ctx)?;
            let n: i64 = get(&row, 1, ctx)?;
            let format =
                Format::parse(&format).ok_or_else(|| corrupt_row("", format!("format {format:?}")))?;
            stats.by_format.push((format, n as u64));
        }
        sort_counts(&mut stats.by_format);
        for row in self.query(ctx, "SELECT language, COUNT(*) FROM articles GROUP BY language", &[])? {
            let language: Option<String> = get(&row, 0, ctx)?;
            let n: i64 = get(&row, 1, ctx)?;
            stats.by_language.push((language.as_deref().and_then(Language::new), n as u64));
        }
        sort_counts(&mut stats.by_language);
        let top = TOP_OUTLETS as i64;
        for row in self.query(
            ctx,
            "SELECT outlet, COUNT(*) AS n FROM articles WHERE outlet IS NOT NULL
             GROUP BY outlet ORDER BY n DESC, outlet LIMIT $1",
            &[&top],
        )? {
            let outlet: String = get(&row, 0, ctx)?;
            let n: i64 = get(&row, 1, ctx)?;
            if let Some(outlet) = Outlet::new(&outlet) {
                stats.top_outlets.push((outlet, n as u64));
            }
        }
        Ok(stats)
    }

    fn links_of(&self, doc: DocId) -> Result<Vec<StoredLink>, StoreError> {
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM prov_links WHERE doc = $1 OR other = $1
             ORDER BY (doc # {FLIP}), (other # {FLIP})"
        );
        self.query("looking up links", &sql, &[&to_sql(doc)])?.iter().map(link_from_row).collect()
    }

    fn doc_time(&self, doc: DocId) -> Result<Option<DocTime>, StoreError> {
        let row = self.query_opt(
            "looking up the index",
            "SELECT seen, published FROM prov_docs WHERE doc = $1",
            &[&to_sql(doc)],
        )?;
        row.map(|r| doc_time_from_row(&r, 0)).transpose()
    }

    fn for_each_link(
        &self,
        f: &mut dyn FnMut(StoredLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let sql = format!(
            "SELECT {LINK_COLUMNS}, (doc # {FLIP}) AS d, (other # {FLIP}) AS o FROM prov_links
             WHERE ((doc # {FLIP}), (other # {FLIP})) > ($1, $2) ORDER BY d, o LIMIT $3"
        );
        let mut after = (i64::MIN, i64::MIN);
        let mut count = 0;
        let mut first = true;
        loop {
            // The very first key (i64::MIN, i64::MIN) is a real one: include it on the first page.
            let rows = if first {
                let sql = sql.replace("> ($1, $2)", ">= ($1, $2)");
                self.query("listing links", &sql, &[&after.0, &after.1, &PAGE])?
            } else {
                self.query("listing links", &sql, &[&after.0, &after.1, &PAGE])?
            };
            first = false;
            for row in &rows {
                f(link_from_row(row)?)?;
                count += 1;
            }
            match rows.last() {
                Some(last) if rows.len() as i64 == PAGE => {
                    after = (get(last, 6, "listing links")?, get(last, 7, "listing links")?);
                }
                _ => return Ok(count),
            }
        }
    }

    fn for_each_doc_time(
        &self,
        f: &mut dyn FnMut(DocId, DocTime) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut after = i64::MIN;
        let mut count = 0;
        loop {
            let rows = self.query(
                "listing the index",
                "SELECT seen, published, doc FROM prov_docs WHERE seen > $1 ORDER BY seen LIMIT $2",
                &[&after, &PAGE],
            )?;
            for row in &rows {
                f(doc_id(get(row, 2, "listing the index")?), doc_time_from_row(row, 0)?)?;
                count += 1;
            }
            match rows.last() {
                Some(last) if rows.len() as i64 == PAGE => after = get(last, 0, "listing the index")?,
                _ => return Ok(count),
            }
        }
    }

    fn is_indexed(&self, doc: DocId) -> Result<bool, StoreError> {
        Ok(!self
            .query("looking up the index", "SELECT 1 FROM prov_docs WHERE doc = $1", &[&to_sql(doc)])?
            .is_empty())
    }

    fn entities(&self) -> Result<Vec<KnownEntity>, StoreError> {
        self.query("listing entities", "SELECT id, type, name, docs FROM entities ORDER BY id", &[])?
            .iter()
            .map(entity_from_row)
            .collect()
    }

    fn entity_aliases(&self) -> Result<Vec<(String, String)>, StoreError> {
        let ctx = "listing aliases";
        self.query(ctx, "SELECT alias, id FROM entity_aliases ORDER BY alias", &[])?
            .iter()
            .map(|r| Ok((get(r, 0, ctx)?, get(r, 1, ctx)?)))
            .collect()
    }

    fn entity_docs(&self, id: &str) -> Result<Vec<(DocId, String, u32)>, StoreError> {
        let ctx = "reading entity documents";
        self.query(ctx, "SELECT doc, name, mentions FROM entity_docs WHERE id = $1 ORDER BY doc", &[&id])?
            .iter()
            .map(|r| Ok((doc_id(get(r, 0, ctx)?), get(r, 1, ctx)?, count_u32(get(r, 2, ctx)?))))
            .collect()
    }

    fn quote_links_of(&self, doc: DocId) -> Result<Vec<QuoteLink>, StoreError> {
        let sql = format!("SELECT {QUOTE_LINK_COLUMNS} FROM quote_links WHERE doc = $1 OR other = $1");
        let mut links: Vec<QuoteLink> = self
            .query("looking up quote links", &sql, &[&to_sql(doc)])?
            .iter()
            .map(quote_link_from_row)
            .collect::<Result<_, _>>()?;
        links.sort_by_key(|l| (l.quote, l.other));
        Ok(links)
    }

    fn for_each_quote_link(
        &self,
        f: &mut dyn FnMut(QuoteLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let sql = format!("SELECT {QUOTE_LINK_COLUMNS} FROM quote_links");
        let mut links: Vec<QuoteLink> = self
            .query("listing quote links", &sql, &[])?
            .iter()
            .map(quote_link_from_row)
            .collect::<Result<_, _>>()?;
        links.sort_by_key(|l| (l.quote, l.other));
        let count = links.len() as u64;
        for l in links {
            f(l)?;
        }
        Ok(count)
    }

    fn stories(&self) -> Result<Vec<StoryState>, StoreError> {
        self.query(
            "listing stories",
            "SELECT id, label, size, first_day, last_day, last_seq FROM stories ORDER BY size DESC, id",
            &[],
        )?
        .iter()
        .map(story_summary)
        .collect()
    }

    fn story_docs(&self, story: DocId) -> Result<Vec<(DocId, f32)>, StoreError> {
        let ctx = "reading story members";
        self.query(ctx, "SELECT doc, score FROM story_docs WHERE story = $1 ORDER BY seq", &[&to_sql(story)])?
            .iter()
            .map(|r| Ok((doc_id(get(r, 0, ctx)?), get::<f64>(r, 1, ctx)? as f32)))
            .collect()
    }

    fn story_assignments(&self) -> Result<Vec<(DocId, DocId)>, StoreError> {
        let ctx = "reading story assignments";
        self.query(ctx, "SELECT doc, story FROM story_docs ORDER BY seq", &[])?
            .iter()
            .map(|r| Ok((doc_id(get(r, 0, ctx)?), doc_id(get(r, 1, ctx)?))))
            .collect()
    }

    fn story_merges(&self) -> Result<Vec<StoryMerge>, StoreError> {
        let ctx = "listing merges";
        self.query(ctx, "SELECT from_story, into_story, doc FROM story_merges ORDER BY seq, from_story", &[])?
            .iter()
            .map(|r| {
                Ok(StoryMerge {
                    from: doc_id(get(r, 0, ctx)?),
                    into: doc_id(get(r, 1, ctx)?),
                    doc: doc_id(get(r, 2, ctx)?),
                })
            })
            .collect()
    }
}

/// Reads `(seen, published)` at columns `at`, `at + 1`.
fn doc_time_from_row(row: &Row, at: usize) -> Result<DocTime, StoreError> {
    let seen: i64 = get(row, at, "reading the index")?;
    let published: Option<String> = get(row, at + 1, "reading the index")?;
    Ok(DocTime { published: published.and_then(|p| p.parse().ok()), seen: u64::try_from(seen).unwrap_or(0) })
}

impl IndexRead for PgStore {
    type Error = StoreError;

    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, StoreError> {
        let limit = i64::try_from(per_key).unwrap_or(i64::MAX);
        let ctx = "reading postings";
        let rows = self.query(
            ctx,
            "SELECT k.key, p.doc FROM UNNEST($1::BIGINT[]) WITH ORDINALITY AS k(key, i)
             CROSS JOIN LATERAL (SELECT doc, seen FROM prov_keys WHERE key = k.key ORDER BY seen LIMIT $2) p
             ORDER BY k.i, p.seen",
            &[&keys_sql(keys), &limit],
        )?;
        rows.iter().map(|r| Ok((from_sql(get(r, 0, ctx)?), doc_id(get(r, 1, ctx)?)))).collect()
    }

    fn text(&self, doc: DocId) -> Result<Option<String>, StoreError> {
        let Some(row) = self.query_opt(
            "reading an indexed text",
            "SELECT text FROM prov_docs WHERE doc = $1",
            &[&to_sql(doc)],
        )?
        else {
            return Ok(None);
        };
        let frame: &[u8] = get(&row, 0, "reading an indexed text")?;
        crate::provenance::decode_text(&self.lock().decoder, doc, frame).map(Some)
    }

    fn masked(&self, doc: DocId) -> Result<Vec<Span>, StoreError> {
        let row = self.query_opt(
            "reading masked spans",
            "SELECT masked FROM prov_docs WHERE doc = $1",
            &[&to_sql(doc)],
        )?;
        let Some(json) =
            row.map(|r| get::<Option<String>>(&r, 0, "reading masked spans")).transpose()?.flatten()
        else {
            return Ok(Vec::new());
        };
        serde_json::from_str(&json).map_err(|e| StoreError::CorruptProvenance {
            doc,
            detail: format!("masked spans are not a JSON array of [start, end]: {e}"),
        })
    }

    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, StoreError> {
        let ctx = "reading outlet block counts";
        let rows = self.query(
            ctx,
            "SELECT COALESCE(b.docs, 0) FROM UNNEST($1::BIGINT[]) WITH ORDINALITY AS k(key, i)
             LEFT JOIN outlet_blocks b ON b.key = k.key ORDER BY k.i",
            &[&keys_sql(keys)],
        )?;
        rows.iter().map(|r| Ok(count_u32(get(r, 0, ctx)?))).collect()
    }
}

impl EntityIndexRead for PgStore {
    type Error = StoreError;

    fn known_entity(&self, id: &str) -> Result<Option<KnownEntity>, StoreError> {
        self.query_opt(
            "reading an entity",
            "SELECT id, type, name, docs FROM entities WHERE id = $1",
            &[&id],
        )?
        .map(|r| entity_from_row(&r))
        .transpose()
    }

    fn entity_alias(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.query_opt("reading an alias", "SELECT id FROM entity_aliases WHERE alias = $1", &[&id])?
            .map(|r| get(&r, 0, "reading an alias"))
            .transpose()
    }

    fn entity_doc_seen(&self, doc: DocId) -> Result<bool, StoreError> {
        Ok(!self
            .query(
                "reading entity documents",
                "SELECT 1 FROM entity_docs WHERE doc = $1 LIMIT 1",
                &[&to_sql(doc)],
            )?
            .is_empty())
    }

    fn entities_by_key(&self, keys: &[String]) -> Result<Vec<(String, String)>, StoreError> {
        let ctx = "reading entity keys";
        let rows = self.query(
            ctx,
            "SELECT k.key, e.id FROM UNNEST($1::TEXT[]) WITH ORDINALITY AS k(key, i)
             JOIN entity_keys e ON e.key = k.key COLLATE \"C\" ORDER BY k.i, e.id",
            &[&keys],
        )?;
        rows.iter().map(|r| Ok((get(r, 0, ctx)?, get(r, 1, ctx)?))).collect()
    }
}

impl QuoteIndexRead for PgStore {
    type Error = StoreError;

    fn quote_postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, QuoteId)>, StoreError> {
        let limit = i64::try_from(per_key).unwrap_or(i64::MAX);
        let ctx = "reading quote postings";
        let rows = self.query(
            ctx,
            "SELECT k.key, p.doc, p.n FROM UNNEST($1::BIGINT[]) WITH ORDINALITY AS k(key, i)
             CROSS JOIN LATERAL
                (SELECT doc, n, seen FROM quote_keys WHERE key = k.key ORDER BY seen, n LIMIT $2) p
             ORDER BY k.i, p.seen, p.n",
            &[&keys_sql(keys), &limit],
        )?;
        rows.iter()
            .map(|r| {
                Ok((
                    from_sql(get(r, 0, ctx)?),
                    QuoteId::new(doc_id(get(r, 1, ctx)?), count_u32(get(r, 2, ctx)?)),
                ))
            })
            .collect()
    }

    fn quotes_of(&self, doc: DocId) -> Result<Vec<StoredQuote>, StoreError> {
        let ctx = "reading indexed quotes";
        self.query(
            ctx,
            "SELECT n, text, speaker FROM quote_index WHERE doc = $1 ORDER BY n",
            &[&to_sql(doc)],
        )?
        .iter()
        .map(|r| {
            Ok(StoredQuote {
                id: QuoteId::new(doc, count_u32(get(r, 0, ctx)?)),
                text: get(r, 1, ctx)?,
                speaker: get(r, 2, ctx)?,
            })
        })
        .collect()
    }
}

impl StoryIndexRead for PgStore {
    type Error = StoreError;

    fn story_of(&self, doc: DocId) -> Result<Option<DocId>, StoreError> {
        self.query_opt("reading a story", "SELECT story FROM story_docs WHERE doc = $1", &[&to_sql(doc)])?
            .map(|r| get(&r, 0, "reading a story").map(doc_id))
            .transpose()
    }

    fn story_merged_into(&self, story: DocId) -> Result<Option<DocId>, StoreError> {
        self.query_opt(
            "reading a merge",
            "SELECT into_story FROM story_merges WHERE from_story = $1",
            &[&to_sql(story)],
        )?
        .map(|r| get(&r, 0, "reading a merge").map(doc_id))
        .transpose()
    }

    fn story_state(&self, story: DocId) -> Result<Option<StoryState>, StoreError> {
        let Some(row) =
            self.query_opt("reading a story", "SELECT state FROM stories WHERE id = $1", &[&to_sql(story)])?
        else {
            return Ok(None);
        };
        let json: String = get(&row, 0, "reading a story")?;
        serde_json::from_str(&json).map(Some).map_err(|e| corrupt_row("", format!("story {story}: {e}")))
    }

    fn stories_by_key(&self, key: u64, limit: usize) -> Result<Vec<DocId>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let ctx = "reading postings";
        self.query(
            ctx,
            "SELECT story FROM story_postings WHERE key = $1 ORDER BY seq DESC LIMIT $2",
            &[&to_sql(key), &limit],
        )?
        .iter()
        .map(|r| get(r, 0, ctx).map(doc_id))
        .collect()
    }

    fn term_docs(&self, terms: &[u64]) -> Result<Vec<u32>, StoreError> {
        let ctx = "reading a term";
        let rows = self.query(
            ctx,
            "SELECT COALESCE(t.docs, 0) FROM UNNEST($1::BIGINT[]) WITH ORDINALITY AS k(term, i)
             LEFT JOIN story_terms t ON t.term = k.term ORDER BY k.i",
            &[&keys_sql(terms)],
        )?;
        rows.iter().map(|r| Ok(count_u32(get(r, 0, ctx)?))).collect()
    }

    fn story_doc_count(&self) -> Result<u64, StoreError> {
        self.count("counting placed documents", "SELECT COUNT(*) FROM story_docs", &[])
    }
}

// ---------------------------------------------------------------------------------------------
// Writes

fn encode_article(article: &ArticleRecord, codec: &mut Codec) -> Result<Vec<u8>, StoreError> {
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Database {
        context: "encoding an article",
        source: e,
    };
    let json = serde_json::to_vec(article).map_err(|e| failed(Box::new(e)))?;
    codec.compress(&json).map_err(|e| failed(Box::new(e)))
}

const UPSERT_ARTICLE: &str = "
    INSERT INTO articles (sha256, id, title, published, outlet, language, extractor_version, record)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (sha256) DO UPDATE SET
        id = excluded.id, title = excluded.title, published = excluded.published,
        outlet = excluded.outlet, language = excluded.language,
        extractor_version = excluded.extractor_version, record = excluded.record";

fn upsert_article(c: &mut Client, article: &ArticleRecord, record: &[u8]) -> Result<(), StoreError> {
    c.execute(
        UPSERT_ARTICLE,
        &[
            &article.sha256.to_hex(),
            &article.id.to_string(),
            &article.meta.title,
            &article.meta.published.map(|p| p.to_string()),
            &article.meta.outlet.as_deref(),
            &article.meta.language.as_deref(),
            &article.extractor_version,
            &record,
        ],
    )
    .map_err(pg("writing an article"))?;
    Ok(())
}

fn document_exists(c: &mut Client, sha: &str) -> Result<bool, StoreError> {
    Ok(!c
        .query("SELECT 1 FROM documents WHERE sha256 = $1", &[&sha])
        .map_err(pg("looking up a document"))?
        .is_empty())
}

/// Writes a batch's documents, sources, blobs and articles.
fn write_documents(
    c: &mut Client,
    codec: &mut Codec,
    location: &Path,
    batch: &[Ingested],
    now: &str,
) -> Result<Vec<PutOutcome>, StoreError> {
    let ctx = "writing a batch";
    let insert_doc = c
        .prepare(
            "INSERT INTO documents (id, sha256, format, source, first_seen, byte_len) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .map_err(pg(ctx))?;
    let insert_source = c
        .prepare(
            "INSERT INTO sources (sha256, source, first_seen) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .map_err(pg(ctx))?;
    let insert_blob = c
        .prepare(
            "INSERT INTO blobs (sha256, raw_len, zstd) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
        )
        .map_err(pg(ctx))?;
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut in_batch: HashSet<String> = HashSet::new();
    for item in batch {
        let sha = item.record.hash().to_hex();
        let present = in_batch.contains(&sha) || document_exists(c, &sha)?;
        in_batch.insert(sha.clone());
        if !present {
            let bytes = item.record.bytes();
            let blob = codec.compress(bytes).map_err(|source| StoreError::Io {
                action: "compress a blob for",
                path: location.to_path_buf(),
                source,
            })?;
            c.execute(&insert_blob, &[&sha, &(bytes.len() as i64), &blob]).map_err(pg("writing a blob"))?;
            c.execute(
                &insert_doc,
                &[
                    &item.article.id.to_string(),
                    &sha,
                    &item.record.format().as_str(),
                    &item.record.source(),
                    &now,
                    &(bytes.len() as i64),
                ],
            )
            .map_err(pg("writing a document"))?;
            let record = encode_article(&item.article, codec)?;
            upsert_article(c, &item.article, &record)?;
        }
        c.execute(&insert_source, &[&sha, &item.record.source(), &now]).map_err(pg("writing a source"))?;
        outcomes.push(if present { PutOutcome::AlreadyPresent } else { PutOutcome::Added });
    }
    Ok(outcomes)
}

fn distinct(values: &[u64]) -> Vec<u64> {
    let mut out = values.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

/// Writes the index entries of documents not yet indexed (as `provenance::write_provenance`).
fn write_provenance(
    c: &mut Client,
    codec: &mut Codec,
    location: &Path,
    provenance: &[IndexEntry],
    published: &[Option<Published>],
) -> Result<(), StoreError> {
    if provenance.is_empty() {
        return Ok(());
    }
    let ctx = "writing the provenance index";
    let row = c.query_one("SELECT COALESCE(MAX(seen), 0)::BIGINT FROM prov_docs", &[]).map_err(pg(ctx))?;
    let mut seen: i64 = get(&row, 0, ctx)?;
    let insert_doc = c
        .prepare("INSERT INTO prov_docs (doc, seen, published, text, masked) VALUES ($1, $2, $3, $4, $5)")
        .map_err(pg(ctx))?;
    let insert_link = c
        .prepare(
            "INSERT INTO prov_links (doc, other, kind, doc_share, other_share, evidence) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (doc, other) DO UPDATE SET kind = excluded.kind, doc_share = excluded.doc_share,
                 other_share = excluded.other_share, evidence = excluded.evidence",
        )
        .map_err(pg(ctx))?;
    let mut in_batch: HashSet<DocId> = HashSet::new();
    let (mut p_key, mut p_seen, mut p_doc) = (Vec::new(), Vec::new(), Vec::new());
    let mut blocks: BTreeMap<i64, i64> = BTreeMap::new();
    for (ix, published) in provenance.iter().zip(published) {
        if !in_batch.insert(ix.doc)
            || !c
                .query("SELECT 1 FROM prov_docs WHERE doc = $1", &[&to_sql(ix.doc)])
                .map_err(pg(ctx))?
                .is_empty()
        {
            continue;
        }
        seen += 1;
        let text = codec.compress(ix.text.as_bytes()).map_err(|source| StoreError::Io {
            action: "compress indexed text for",
            path: location.to_path_buf(),
            source,
        })?;
        let masked = (!ix.masked.is_empty()).then(|| serde_json::to_string(&ix.masked).unwrap_or_default());
        c.execute(&insert_doc, &[&to_sql(ix.doc), &seen, &published.map(|p| p.to_string()), &text, &masked])
            .map_err(pg("writing an indexed document"))?;
        write_quotes(c, ix, seen)?;
        for k in distinct(&ix.keys) {
            p_key.push(to_sql(k));
            p_seen.push(seen);
            p_doc.push(to_sql(ix.doc));
        }
        for block in distinct(&ix.outlet_blocks) {
            *blocks.entry(to_sql(block)).or_default() += 1;
        }
        for link in &ix.links {
            let evidence = serde_json::to_string(&link.evidence).map_err(|e| StoreError::Database {
                context: "encoding link evidence",
                source: Box::new(e),
            })?;
            c.execute(
                &insert_link,
                &[
                    &to_sql(link.doc),
                    &to_sql(link.other),
                    &link.kind.as_str(),
                    &f64::from(link.doc_share),
                    &f64::from(link.other_share),
                    &evidence,
                ],
            )
            .map_err(pg("writing a link"))?;
        }
    }
    c.execute(
        "INSERT INTO prov_keys (key, seen, doc) SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[])",
        &[&p_key, &p_seen, &p_doc],
    )
    .map_err(pg("writing postings"))?;
    let (b_key, b_docs): (Vec<i64>, Vec<i64>) = blocks.into_iter().unzip();
    c.execute(
        "INSERT INTO outlet_blocks (key, docs) SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[])
         ON CONFLICT (key) DO UPDATE SET docs = outlet_blocks.docs + excluded.docs",
        &[&b_key, &b_docs],
    )
    .map_err(pg("counting outlet blocks"))?;
    Ok(())
}

fn write_quotes(c: &mut Client, ix: &IndexEntry, seen: i64) -> Result<(), StoreError> {
    let ctx = "writing quotes";
    let doc = to_sql(ix.doc);
    for q in &ix.quotes {
        c.execute(
            "INSERT INTO quote_index (doc, n, text, speaker) VALUES ($1, $2, $3, $4)
             ON CONFLICT (doc, n) DO UPDATE SET text = excluded.text, speaker = excluded.speaker",
            &[&doc, &i64::from(q.n), &q.text, &q.speaker],
        )
        .map_err(pg(ctx))?;
        let keys = keys_sql(&q.keys);
        c.execute(
            "INSERT INTO quote_keys (key, seen, doc, n) SELECT k, $2, $3, $4 FROM UNNEST($1::BIGINT[]) AS k
             ON CONFLICT DO NOTHING",
            &[&keys, &seen, &doc, &i64::from(q.n)],
        )
        .map_err(pg(ctx))?;
    }
    for l in &ix.quote_links {
        c.execute(
            "INSERT INTO quote_links (doc, n, other, other_n, via, similarity) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (doc, n, other, other_n) DO UPDATE SET via = excluded.via, similarity = excluded.similarity",
            &[
                &doc,
                &i64::from(l.quote.n),
                &to_sql(l.other.doc),
                &i64::from(l.other.n),
                &l.via.as_str(),
                &f64::from(l.similarity),
            ],
        )
        .map_err(pg(ctx))?;
    }
    Ok(())
}

/// As `entities::write_entities`.
fn write_entities(c: &mut Client, links: &[EntityLink]) -> Result<(), StoreError> {
    let ctx = "writing entities";
    let mut in_batch = HashSet::new();
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for l in links {
        if !in_batch.insert(l.doc)
            || !c
                .query("SELECT 1 FROM entity_docs WHERE doc = $1 LIMIT 1", &[&to_sql(l.doc)])
                .map_err(pg(ctx))?
                .is_empty()
        {
            continue;
        }
        for e in &l.new_entities {
            c.execute(
                "INSERT INTO entities (id, type, name, docs) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING",
                &[&e.id, &e.kind.as_str(), &e.name],
            )
            .map_err(pg(ctx))?;
        }
        for (k, id) in &l.new_keys {
            c.execute("INSERT INTO entity_keys (key, id) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[k, id])
                .map_err(pg(ctx))?;
        }
        for (a, id) in &l.new_aliases {
            c.execute(
                "INSERT INTO entity_aliases (alias, id) VALUES ($1, $2) ON CONFLICT (alias) DO UPDATE SET id = excluded.id",
                &[a, id],
            )
            .map_err(pg(ctx))?;
        }
        for (id, name, mentions) in &l.entities {
            let added = c
                .execute(
                    "INSERT INTO entity_docs (doc, id, name, mentions) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    &[&to_sql(l.doc), id, name, &i64::from(*mentions)],
                )
                .map_err(pg(ctx))?;
            if added > 0 {
                *counts.entry(id.as_str()).or_default() += 1;
            }
        }
    }
    for (id, n) in counts {
        c.execute("UPDATE entities SET docs = docs + $1 WHERE id = $2", &[&n, &id]).map_err(pg(ctx))?;
    }
    Ok(())
}

/// As `stories::write_stories`.
fn write_stories(c: &mut Client, links: &[StoryLink]) -> Result<(), StoreError> {
    if links.is_empty() {
        return Ok(());
    }
    let ctx = "writing stories";
    let row = c.query_one("SELECT COUNT(*) FROM story_docs", &[]).map_err(pg(ctx))?;
    let mut seq: i64 = get(&row, 0, ctx)?;
    let mut in_batch = HashSet::new();
    let mut terms: BTreeMap<u64, i64> = BTreeMap::new();
    let mut states: BTreeMap<DocId, &StoryState> = BTreeMap::new();
    for l in links {
        if !in_batch.insert(l.doc)
            || !c
                .query("SELECT 1 FROM story_docs WHERE doc = $1", &[&to_sql(l.doc)])
                .map_err(pg(ctx))?
                .is_empty()
        {
            continue;
        }
        seq += 1;
        c.execute(
            "INSERT INTO story_docs (doc, story, seq, score) VALUES ($1, $2, $3, $4)",
            &[&to_sql(l.doc), &to_sql(l.story), &seq, &f64::from(l.score)],
        )
        .map_err(pg(ctx))?;
        for &t in &l.terms {
            *terms.entry(t).or_default() += 1;
        }
        c.execute(
            "INSERT INTO story_postings (key, seq, story) SELECT k, $2, $3 FROM UNNEST($1::BIGINT[]) AS k
             ON CONFLICT DO NOTHING",
            &[&keys_sql(&l.keys), &seq, &to_sql(l.story)],
        )
        .map_err(pg(ctx))?;
        for m in &l.merges {
            c.execute(
                "INSERT INTO story_merges (from_story, into_story, doc, seq) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (from_story) DO UPDATE SET into_story = excluded.into_story, doc = excluded.doc,
                     seq = excluded.seq",
                &[&to_sql(m.from), &to_sql(m.into), &to_sql(m.doc), &seq],
            )
            .map_err(pg(ctx))?;
            c.execute(
                "UPDATE story_docs SET story = $1 WHERE story = $2",
                &[&to_sql(m.into), &to_sql(m.from)],
            )
            .map_err(pg(ctx))?;
            c.execute("DELETE FROM stories WHERE id = $1", &[&to_sql(m.from)]).map_err(pg(ctx))?;
            states.remove(&m.from);
        }
        states.insert(l.story, &l.state);
    }
    let (t_key, t_docs): (Vec<i64>, Vec<i64>) = terms.into_iter().map(|(t, n)| (to_sql(t), n)).unzip();
    c.execute(
        "INSERT INTO story_terms (term, docs) SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[])
         ON CONFLICT (term) DO UPDATE SET docs = story_terms.docs + excluded.docs",
        &[&t_key, &t_docs],
    )
    .map_err(pg(ctx))?;
    for (id, s) in states {
        let json = serde_json::to_string(s).map_err(|e| corrupt_row("", format!("story state: {e}")))?;
        c.execute(
            "INSERT INTO stories (id, label, size, first_day, last_day, last_seq, state)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (id) DO UPDATE SET label = excluded.label, size = excluded.size,
                 first_day = excluded.first_day, last_day = excluded.last_day, last_seq = excluded.last_seq,
                 state = excluded.state",
            &[
                &to_sql(id),
                &s.label,
                &i64::from(s.size),
                &s.first_day,
                &s.last_day,
                &to_sql(s.last_seq),
                &json,
            ],
        )
        .map_err(pg(ctx))?;
    }
    Ok(())
}

const CLEAR_INDEXES: &str = "
    DELETE FROM prov_links; DELETE FROM prov_keys; DELETE FROM prov_docs; DELETE FROM outlet_blocks;
    DELETE FROM entities; DELETE FROM entity_keys; DELETE FROM entity_aliases; DELETE FROM entity_docs;
    DELETE FROM quote_index; DELETE FROM quote_keys; DELETE FROM quote_links;
    DELETE FROM stories; DELETE FROM story_docs; DELETE FROM story_merges; DELETE FROM story_postings;
    DELETE FROM story_terms;";

impl StoreWrite for PgStore {
    fn put_batch_corpus(
        &mut self,
        batch: &[Ingested],
        provenance: &[IndexEntry],
        published: &[Option<Published>],
        entities: &[EntityLink],
        stories: &[StoryLink],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        check_provenance(provenance, published)?;
        if batch.is_empty() && provenance.is_empty() && entities.is_empty() && stories.is_empty() {
            return Ok(Vec::new());
        }
        for item in batch {
            check_pair(&item.record, &item.article)?;
        }
        let now = now_rfc3339();
        self.write("storing a batch", |c, codec, location| {
            let outcomes = write_documents(c, codec, location, batch, &now)?;
            write_provenance(c, codec, location, provenance, published)?;
            write_entities(c, entities)?;
            write_stories(c, stories)?;
            Ok(outcomes)
        })
    }

    fn restore_blobs(&mut self, records: &[Record]) -> Result<Vec<PutOutcome>, StoreError> {
        self.write("restoring blobs", |c, codec, location| {
            let ctx = "restoring blobs";
            let mut outcomes = Vec::with_capacity(records.len());
            for record in records {
                let sha = record.hash().to_hex();
                let row = c
                    .query_opt(
                        "SELECT d.byte_len, b.raw_len, b.zstd FROM documents d LEFT JOIN blobs b ON b.sha256 = d.sha256
                         WHERE d.sha256 = $1",
                        &[&sha],
                    )
                    .map_err(pg(ctx))?;
                let Some(row) = row else { return Err(StoreError::UnknownDocument(sha)) };
                let len: i64 = get(&row, 0, ctx)?;
                let raw_len: Option<i64> = get(&row, 1, ctx)?;
                let frame: Option<&[u8]> = get(&row, 2, ctx)?;
                let intact = match (raw_len, frame) {
                    (Some(raw_len), Some(frame)) => {
                        Decoder::new().decode_blob(&sha, len.max(0) as u64, raw_len, frame, location).is_ok()
                    }
                    _ => false,
                };
                if intact {
                    outcomes.push(PutOutcome::AlreadyPresent);
                    continue;
                }
                let bytes = record.bytes();
                let blob = codec.compress(bytes).map_err(|source| StoreError::Io {
                    action: "compress a blob for",
                    path: location.to_path_buf(),
                    source,
                })?;
                c.execute(
                    "INSERT INTO blobs (sha256, raw_len, zstd) VALUES ($1, $2, $3)
                     ON CONFLICT (sha256) DO UPDATE SET raw_len = excluded.raw_len, zstd = excluded.zstd",
                    &[&sha, &(bytes.len() as i64), &blob],
                )
                .map_err(pg(ctx))?;
                c.execute("UPDATE documents SET byte_len = $2 WHERE sha256 = $1", &[&sha, &(bytes.len() as i64)])
                    .map_err(pg(ctx))?;
                outcomes.push(PutOutcome::Restored);
            }
            Ok(outcomes)
        })
    }

    fn record_rejections(&mut self, rejections: &[(String, String)]) -> Result<(), StoreError> {
        if rejections.is_empty() {
            return Ok(());
        }
        let now = now_rfc3339();
        self.write("recording rejections", |c, _, _| {
            for (source, reason) in rejections {
                c.execute(
                    "INSERT INTO rejections (source, reason, at) VALUES ($1, $2, $3)
                     ON CONFLICT (source) DO UPDATE SET reason = excluded.reason, at = excluded.at
                     WHERE rejections.reason IS DISTINCT FROM excluded.reason",
                    &[source, reason, &now],
                )
                .map_err(pg("recording a rejection"))?;
            }
            Ok(())
        })
    }

    fn update_articles(&mut self, articles: &[ArticleRecord]) -> Result<(), StoreError> {
        check_updates(articles)?;
        self.write("updating articles", |c, codec, _| {
            for article in articles {
                let sha = article.sha256.to_hex();
                if !document_exists(c, &sha)? {
                    return Err(StoreError::UnknownDocument(sha));
                }
                let record = encode_article(article, codec)?;
                upsert_article(c, article, &record)?;
            }
            Ok(())
        })
    }

    fn clear_provenance(&mut self) -> Result<(), StoreError> {
        self.write("clearing provenance", |c, _, _| {
            c.batch_execute(CLEAR_INDEXES).map_err(pg("clearing provenance"))
        })
    }

    fn begin_rebuild(&mut self) -> Result<(), StoreError> {
        if self.rebuilding {
            return Err(StoreError::Rebuild("a rebuild is already in progress on this handle"));
        }
        let client = self.conn.get_mut().client.get_mut();
        client.batch_execute("BEGIN").map_err(pg("starting a rebuild"))?;
        if let Err(e) = client.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]) {
            let _ = client.batch_execute("ROLLBACK");
            return Err(pg("starting a rebuild")(e));
        }
        self.rebuilding = true;
        Ok(())
    }

    fn commit_rebuild(&mut self) -> Result<(), StoreError> {
        if !self.rebuilding {
            return Err(StoreError::Rebuild("no rebuild is in progress to commit"));
        }
        self.rebuilding = false;
        let client = self.conn.get_mut().client.get_mut();
        if let Err(e) = client.batch_execute("COMMIT") {
            let _ = client.batch_execute("ROLLBACK");
            return Err(pg("committing a rebuild")(e));
        }
        Ok(())
    }

    fn abort_rebuild(&mut self) -> Result<(), StoreError> {
        if !self.rebuilding {
            return Err(StoreError::Rebuild("no rebuild is in progress to abort"));
        }
        self.rebuilding = false;
        self.conn.get_mut().client.get_mut().batch_execute("ROLLBACK").map_err(pg("aborting a rebuild"))
    }
}

// ---------------------------------------------------------------------------------------------
// Search

/// Search on PostgreSQL: each client keeps its own search index of the store (a tantivy index,
/// the embedded store's engine and query language, so the answers are the same) in a local
/// cache directory, and brings it up to the store's generation before every search through the
/// store's change list (`search_changes`, filled by triggers in the write's own transaction):
/// the first search on a machine indexes every article, later ones only what changed since.
/// Where no cache directory can be used, each search indexes the store in memory.
impl crate::search::SearchSource for PgStore {
    fn generation(&self) -> Result<u64, StoreError> {
        self.count("reading the store generation", "SELECT COALESCE(MAX(seq), 0) FROM search_changes", &[])
    }

    fn changes_since(&self, since: u64) -> Result<(u64, Vec<DocId>), StoreError> {
        let mut out = (0, Vec::new());
        crate::in_read_transaction(self, || {
            let generation = crate::search::SearchSource::generation(self)?;
            let ctx = "reading the change list";
            let since = i64::try_from(since).unwrap_or(i64::MAX);
            let ids = self
                .query(ctx, "SELECT id FROM search_changes WHERE seq > $1 ORDER BY seq", &[&since])?
                .iter()
                .map(|row| {
                    let id: String = get(row, 0, ctx)?;
                    id.parse::<DocId>().map_err(|_| StoreError::CorruptRow {
                        sha256: String::new(),
                        detail: format!("search change names no document id: {id:?}"),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            out = (generation, ids);
            Ok(())
        })?;
        Ok(out)
    }
    fn current(&self, id: DocId) -> Result<Option<(ArticleRecord, crate::search::Related)>, StoreError> {
        let Some(article) = self.article(&id.to_string())? else { return Ok(None) };
        let story = presswatch_model::StoryIndexRead::story_of(self, id)?;
        Ok(Some((article, crate::search::Related { linked: self.is_linked(id)?, story })))
    }

    fn article_count(&self) -> Result<u64, StoreError> {
        self.count("counting articles", "SELECT COUNT(*) FROM articles", &[])
    }

    fn walk(
        &self,
        generation: &mut u64,
        f: &mut dyn FnMut(&ArticleRecord, crate::search::Related) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        *generation = crate::search::SearchSource::generation(self)?;
        let stories: std::collections::HashMap<DocId, DocId> =
            crate::StoreRead::story_assignments(self)?.into_iter().collect();
        let linked: HashSet<i64> = self
            .query(
                "listing linked documents",
                "SELECT doc FROM prov_links UNION SELECT other FROM prov_links",
                &[],
            )?
            .iter()
            .map(|r| get(r, 0, "listing linked documents"))
            .collect::<Result<_, _>>()?;
        self.for_each_article(&mut |article| {
            let related = crate::search::Related {
                linked: linked.contains(&to_sql(article.id)),
                story: stories.get(&article.id).copied(),
            };
            f(&article, related)
        })
        .map(|_| ())
    }
}

impl PgStore {
    /// Where this client keeps its search index of this store: the directory given by
    /// [`PgStore::with_search_cache`], else `$PRESSWATCH_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/presswatch`, else `~/.cache/presswatch`; then `pg-search/<the store's
    /// identity>` (a random id the database gets when it is created). `None` when there is no
    /// home to put it in.
    pub fn search_cache_dir(&self) -> Result<Option<PathBuf>, StoreError> {
        let base = match &self.search_cache {
            Some(dir) => Some(dir.clone()),
            None => default_cache_home(),
        };
        let Some(base) = base else { return Ok(None) };
        let ctx = "reading the store identity";
        let rows = self.query(ctx, "SELECT id FROM store_identity LIMIT 1", &[])?;
        let id: String = match rows.first() {
            Some(row) => get(row, 0, ctx)?,
            None => return Ok(None),
        };
        // A name that can only be a file name, whatever the table holds.
        let id: String = id.chars().filter(|c| c.is_ascii_hexdigit() || *c == '-').take(64).collect();
        if id.is_empty() {
            return Ok(None);
        }
        Ok(Some(base.join("pg-search").join(id)))
    }

    /// The search index in the cache directory, opened (or created) at the first call.
    fn search_index(&self) -> Option<&crate::search::SearchIndex> {
        self.search
            .get_or_init(|| {
                let opened = self.search_cache_dir().and_then(|dir| match dir {
                    Some(dir) => crate::search::SearchIndex::open(&dir, true).map(Some),
                    None => Ok(None),
                });
                match opened {
                    Ok(index) => index,
                    Err(e) => {
                        tracing::warn!(error = %e, "no local search index for the PostgreSQL store: each search indexes it in memory");
                        None
                    }
                }
            })
            .as_ref()
    }

    /// Brings the local index up to the store (`full`: rebuilds it); how many articles it indexed.
    fn sync_cache(&self, full: bool, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError> {
        let Some(index) = self.search_index() else { return Ok(0) };
        index.sync(self, full, true, progress)
    }
}

/// The user's cache directory for presswatch: `$PRESSWATCH_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/presswatch`, else `$HOME/.cache/presswatch`.
fn default_cache_home() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("PRESSWATCH_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("presswatch")))
        .or_else(|| var("HOME").map(|d| d.join(".cache").join("presswatch")))
}

impl crate::StoreSearch for PgStore {
    fn search(&self, request: &crate::SearchRequest) -> Result<crate::SearchResults, StoreError> {
        if let Some(index) = self.search_index() {
            let result = crate::in_read_transaction(self, || {
                index.sync(self, false, true, &mut |_, _| {})?;
                index.search(request, &|id| self.article(&id.to_string()))
            });
            match result {
                Err(e @ StoreError::InvalidQuery { .. }) => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "the local search index could not be caught up: searching an index built in memory")
                }
                ok => return ok,
            }
        }
        let index = crate::search::SearchIndex::in_ram()?;
        crate::in_read_transaction(self, || {
            index.sync(self, true, true, &mut |_, _| {})?;
            index.search(request, &|id| self.article(&id.to_string()))
        })
    }

    /// Every search first brings the client's index up to the store, so the store and what a
    /// search answers from are always in step.
    fn search_status(&self) -> Result<crate::SearchStatus, StoreError> {
        let mut status = None;
        crate::in_read_transaction(self, || {
            let generation = crate::search::SearchSource::generation(self)?;
            let articles = crate::search::SearchSource::article_count(self)?;
            status = Some(crate::SearchStatus {
                store_generation: generation,
                store_articles: articles,
                index: Some(crate::IndexState { generation, documents: articles }),
            });
            Ok(())
        })?;
        status.ok_or(StoreError::Rebuild("search status not read"))
    }
}

impl crate::SearchWrite for PgStore {
    fn sync_search(&mut self) -> Result<u64, StoreError> {
        self.sync_cache(false, &mut |_, _| {})
    }

    fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError> {
        if self.search_index().is_some() {
            return self.sync_cache(true, progress);
        }
        let n = crate::search::SearchSource::article_count(self)?;
        progress(n, n);
        Ok(n)
    }
}
