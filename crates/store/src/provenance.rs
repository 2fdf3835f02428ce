//! The provenance stage's persistent index and its links, in both stores.
//!
//! The stage (`presswatch_provenance`) reads earlier documents through [`IndexRead`] and
//! returns what to persist ([`IndexEntry`]); both stores implement that trait and persist the
//! entries with the batch they belong to ([`crate::StoreWrite::put_batch_indexed`]).
//!
//! In SQLite, document keys and index keys (u64) are stored bit-cast to INTEGER (i64): only
//! equality lookups are made on them, and the link listing restores u64 order.
//!
//! Index keys are random, so a posting written straight into a large `prov_keys` would dirty a
//! 16 kB page of its own. Batches write into small `*_recent` tables instead, whose rows move into
//! the main tables in key order, a slice of the key space with every batch (see
//! [`move_recent_slice`]); reads look in both, where the key filter ([`KeyFilter`]) says the key
//! may be.

use crate::blob::{Codec, Decoder};
use crate::key_filter::{keys_in_range, KeyFilter};
use crate::rebuild::WriteTx;
use crate::sqlite::ReadState;
use crate::sqlite::{db, SqliteStore};
use crate::{MemoryStore, StoreError};
use presswatch_model::{AlignedPassage, ReuseKind};
use presswatch_model::{DocId, DocTime, IndexEntry, IndexRead, Published, Span, StoredLink};
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

/// A u64 key as stored in an INTEGER column (bit-cast, so every u64 round-trips).
pub(crate) fn to_sql(key: impl Into<u64>) -> i64 {
    let key: u64 = key.into();
    key as i64
}

/// A stored INTEGER key back to the u64 it was.
pub(crate) fn from_sql(key: i64) -> u64 {
    key as u64
}

/// Masked spans as stored: a JSON array of `[start, end]`, NULL when there are none.
fn masked_to_sql(masked: &[Span]) -> Option<String> {
    (!masked.is_empty()).then(|| serde_json::to_string(masked).unwrap_or_default())
}

/// Counts stored as INTEGER, back to the `u32` of the `Index` trait (saturating).
fn count_from_sql(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// Checks that the provenance of a batch fits together before anything is written.
pub(crate) fn check_provenance(
    provenance: &[IndexEntry],
    published: &[Option<Published>],
) -> Result<(), StoreError> {
    if provenance.len() != published.len() {
        return Err(StoreError::ProvenanceMismatch(format!(
            "{} index entries but {} published dates",
            provenance.len(),
            published.len()
        )));
    }
    for ix in provenance {
        crate::quote_groups::check_quote_links(ix)?;
        if let Some(link) = ix.links.iter().find(|l| l.doc != ix.doc) {
            return Err(StoreError::ProvenanceMismatch(format!(
                "the entry of document {} holds a link of document {}",
                ix.doc, link.doc
            )));
        }
    }
    Ok(())
}

/// Sorted distinct values: a document adds one posting per key and one count per block key,
/// however often its text repeats them.
fn distinct(values: &[u64]) -> Vec<u64> {
    let mut out = values.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

// ---------------------------------------------------------------------------------------------
// SQLite

const PROV_DOC_EXISTS: &str = "SELECT 1 FROM prov_docs WHERE doc = ?1";
const INSERT_PROV_DOC: &str =
    "INSERT INTO prov_docs (doc, seen, published, text, masked) VALUES (?1, ?2, ?3, ?4, ?5)";
const INSERT_PROV_KEY: &str = "INSERT INTO prov_keys_recent (key, seen, doc) VALUES (?1, ?2, ?3)";
const POSTINGS_MAIN: &str = "SELECT doc FROM prov_keys WHERE key = ?1 ORDER BY seen LIMIT ?2";
const POSTINGS_RECENT: &str = "SELECT doc FROM prov_keys_recent WHERE key = ?1 ORDER BY seen LIMIT ?2";

const UPSERT_OUTLET_BLOCK: &str = "
    INSERT INTO outlet_blocks_recent (key, docs) VALUES (?1, ?2)
    ON CONFLICT (key) DO UPDATE SET docs = docs + excluded.docs";
const OUTLET_BLOCK_COUNT: [&str; 2] =
    ["SELECT docs FROM outlet_blocks WHERE key = ?1", "SELECT docs FROM outlet_blocks_recent WHERE key = ?1"];
/// The keys a move takes into the main tables (for the key filter).
const RECENT_KEYS: [&str; 2] = [
    "SELECT DISTINCT key FROM prov_keys_recent WHERE key BETWEEN ?1 AND ?2",
    "SELECT key FROM outlet_blocks_recent WHERE key BETWEEN ?1 AND ?2",
];
const READ_MOVE_CURSOR: &str = "SELECT COALESCE((SELECT cursor FROM prov_move_cursor WHERE id = 0), 0)";
const WRITE_MOVE_CURSOR: &str = "INSERT OR REPLACE INTO prov_move_cursor (id, cursor) VALUES (0, ?1)";
/// Moves the recent rows of keys from ?1 to ?2 (inclusive) into the main tables, in key order.
const MOVE_RECENT: [&str; 4] = [
    "INSERT INTO prov_keys (key, seen, doc)
        SELECT key, seen, doc FROM prov_keys_recent WHERE key BETWEEN ?1 AND ?2 ORDER BY key, seen",
    "DELETE FROM prov_keys_recent WHERE key BETWEEN ?1 AND ?2",
    "INSERT INTO outlet_blocks (key, docs)
        SELECT key, docs FROM outlet_blocks_recent WHERE key BETWEEN ?1 AND ?2 ORDER BY key
        ON CONFLICT (key) DO UPDATE SET docs = docs + excluded.docs",
    "DELETE FROM outlet_blocks_recent WHERE key BETWEEN ?1 AND ?2",
];
const INSERT_LINK: &str = "
    INSERT OR REPLACE INTO prov_links (doc, other, kind, doc_share, other_share, evidence)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
pub(crate) const LINK_COLUMNS: &str = "doc, other, kind, doc_share, other_share, evidence";

/// The least set size of the recent tables (see [`recent_set_size`]): small stores would
/// otherwise move nearly all of them with every batch.
const RECENT_MIN_ROWS: i64 = 262_144;

/// Index rows (postings and block counts) an indexed document adds: about 81 postings and 6
/// block counts on 3 KB texts (measured on `bench provenance` at a million documents).
const ROWS_PER_DOC: f64 = 87.0;

/// The set size `T` of the recent tables in rows (they hold about `T / 2`, see
/// [`move_recent_slice`]). A batch writing `w` rows rewrites about every page of the recent tables
/// (`T / 2` rows, as its keys are random) and the share `w / T` of the `M` rows of the main ones
/// (`M w / T`): the sum is least at `T = sqrt(2 M w)` (on a million-document store, with batches of
/// a thousand documents, about 3.8 million rows: 45 rows per written one, against the 16 kB page
/// each row written straight into a main table would cost).
fn recent_set_size(last_seen: i64, written: i64) -> i64 {
    let main_rows = last_seen as f64 * ROWS_PER_DOC;
    RECENT_MIN_ROWS.max((2.0 * main_rows * written.max(1) as f64).sqrt() as i64)
}

/// Writes the index entries of documents not yet indexed, inside the caller's transaction.
/// Returns how many documents were indexed.
pub(crate) fn write_provenance(
    tx: &Connection,
    codec: &mut Codec,
    db_path: &Path,
    provenance: &[IndexEntry],
    published: &[Option<Published>],
    recent_set_size_override: Option<i64>,
    key_filter: &mut Option<KeyFilter>,
) -> Result<usize, StoreError> {
    if provenance.is_empty() {
        return Ok(0);
    }
    let mut exists = tx.prepare_cached(PROV_DOC_EXISTS).map_err(|e| db("preparing the index lookup", e))?;
    let mut insert_doc =
        tx.prepare_cached(INSERT_PROV_DOC).map_err(|e| db("preparing the index insert", e))?;
    let mut insert_link = tx.prepare_cached(INSERT_LINK).map_err(|e| db("preparing the link insert", e))?;
    let mut seen: i64 = tx
        .query_row("SELECT COALESCE(MAX(seen), 0) FROM prov_docs", [], |row| row.get(0))
        .map_err(|e| db("reading the index order", e))?;
    let mut in_batch: HashSet<DocId> = HashSet::with_capacity(provenance.len());
    // Postings are written sorted by key: consecutive inserts then land on neighbouring pages.
    let mut postings: Vec<(i64, i64, i64)> = Vec::new();
    let mut blocks: BTreeMap<i64, i64> = BTreeMap::new();
    let mut added = 0;
    for (ix, published) in provenance.iter().zip(published) {
        if !in_batch.insert(ix.doc)
            || exists.exists([to_sql(ix.doc)]).map_err(|e| db("looking up the index", e))?
        {
            continue;
        }
        seen += 1;
        added += 1;
        let text = codec.compress(ix.text.as_bytes()).map_err(|source| StoreError::Io {
            action: "compress indexed text for",
            path: db_path.to_path_buf(),
            source,
        })?;
        insert_doc
            .execute(params![
                to_sql(ix.doc),
                seen,
                published.map(|p| p.to_string()),
                text,
                masked_to_sql(&ix.masked)
            ])
            .map_err(|e| db("writing an indexed document", e))?;
        crate::quote_groups::write_quotes(tx, ix, seen)?;
        postings.extend(distinct(&ix.keys).into_iter().map(|k| (to_sql(k), seen, to_sql(ix.doc))));
        for block in distinct(&ix.outlet_blocks) {
            *blocks.entry(to_sql(block)).or_default() += 1;
        }
        for link in &ix.links {
            let evidence = serde_json::to_string(&link.evidence).map_err(|e| StoreError::Database {
                context: "encoding link evidence",
                source: Box::new(e),
            })?;
            insert_link
                .execute(params![
                    to_sql(link.doc),
                    to_sql(link.other),
                    link.kind.as_str(),
                    f64::from(link.doc_share),
                    f64::from(link.other_share),
                    evidence
                ])
                .map_err(|e| db("writing a link", e))?;
        }
    }
    postings.sort_unstable();
    let written = (postings.len() + blocks.len()) as i64;
    let new_keys: Vec<u64> =
        postings.iter().map(|p| from_sql(p.0)).chain(blocks.keys().map(|&k| from_sql(k))).collect();
    let mut insert_key =
        tx.prepare_cached(INSERT_PROV_KEY).map_err(|e| db("preparing the posting insert", e))?;
    for (key, seen, doc) in postings {
        insert_key.execute(params![key, seen, doc]).map_err(|e| db("writing a posting", e))?;
    }
    let mut upsert_block =
        tx.prepare_cached(UPSERT_OUTLET_BLOCK).map_err(|e| db("preparing the outlet block count", e))?;
    for (key, docs) in blocks {
        upsert_block.execute(params![key, docs]).map_err(|e| db("counting an outlet block", e))?;
    }
    if added > 0 {
        let filter = crate::key_filter::fresh(tx, key_filter)?;
        filter.add_recent(&new_keys);
        let threshold = recent_set_size_override.unwrap_or_else(|| recent_set_size(seen, written));
        move_recent_slice(tx, written, threshold, filter)?;
    }
    Ok(added)
}

/// Moves one slice of the key space (keys are below 2^63) from the recent tables into the main
/// ones: the `written / threshold` share after the stored cursor (`prov_move_cursor`: every
/// process, however short, goes on where the last one stopped), wrapping around. A slice so waits
/// `threshold / written` batches between moves and moves about `written` rows into that share of
/// the main tables' pages: as many rows per page as moving `threshold` rows at once into all of
/// them, but every batch pays the same share instead of one batch in thirty paying all of it
/// (the recent tables hold about half of `threshold` rows). All rows of a key move together, so
/// a key's recent rows stay newer than its main ones. Runs inside the batch's transaction: a
/// crash leaves the slice moved or not, and the stored key filter with it.
fn move_recent_slice(
    tx: &Connection,
    written: i64,
    threshold: i64,
    key_filter: &mut KeyFilter,
) -> Result<(), StoreError> {
    const KEYS: i128 = 1 << 63;
    let width = (KEYS * i128::from(written.max(1)) / i128::from(threshold.max(1))).clamp(1, KEYS);
    let cursor: i64 =
        tx.query_row(READ_MOVE_CURSOR, [], |row| row.get(0)).map_err(|e| db("reading the move cursor", e))?;
    let from = i128::from(cursor).rem_euclid(KEYS);
    let to = from + width;
    // [from, to) in the key space, cut in two where it wraps past 2^63; as inclusive bounds.
    let mut ranges = vec![(from, to.min(KEYS) - 1)];
    if to > KEYS {
        ranges.push((0, to - KEYS - 1));
    }
    let started = std::time::Instant::now();
    let mut moved: Vec<u64> = Vec::new();
    for (lo, hi) in ranges {
        let (lo, hi) = (i64::try_from(lo).unwrap_or(i64::MAX), i64::try_from(hi).unwrap_or(i64::MAX));
        keys_in_range(tx, &RECENT_KEYS, (lo, hi), &mut moved)?;
        for sql in MOVE_RECENT {
            tx.prepare_cached(sql)
                .and_then(|mut stmt| stmt.execute(params![lo, hi]))
                .map_err(|e| db("moving recent index rows", e))?;
        }
    }
    let next = i64::try_from(to.rem_euclid(KEYS)).unwrap_or(0);
    tx.prepare_cached(WRITE_MOVE_CURSOR)
        .and_then(|mut stmt| stmt.execute([next]))
        .map_err(|e| db("writing the move cursor", e))?;
    key_filter.add_moved(tx, &mut moved)?;
    tracing::debug!(
        written,
        threshold,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "moved recent index rows"
    );
    Ok(())
}

/// Reads a `LINK_COLUMNS` row.
pub(crate) fn link_from_row(row: &Row<'_>) -> Result<StoredLink, StoreError> {
    let read = |e| db("reading a link", e);
    let doc = DocId::from(from_sql(row.get(0).map_err(read)?));
    let other = DocId::from(from_sql(row.get(1).map_err(read)?));
    let corrupt = |detail: String| StoreError::CorruptProvenance { doc, detail };
    let kind: String = row.get(2).map_err(read)?;
    let kind = ReuseKind::parse(&kind).ok_or_else(|| corrupt(format!("unknown link kind {kind:?}")))?;
    let doc_share: f64 = row.get(3).map_err(read)?;
    let other_share: f64 = row.get(4).map_err(read)?;
    let evidence: Vec<AlignedPassage> = match row.get_ref(5).map_err(read)? {
        ValueRef::Text(json) => {
            serde_json::from_slice(json).map_err(|e| corrupt(format!("link evidence: {e}")))?
        }
        other => return Err(corrupt(format!("link evidence stored as {:?}", other.data_type()))),
    };
    Ok(StoredLink {
        doc,
        other,
        kind,
        doc_share: doc_share as f32,
        other_share: other_share as f32,
        evidence,
    })
}

fn sort_links(links: &mut [StoredLink]) {
    links.sort_by_key(|l| (l.doc, l.other));
}

impl SqliteStore {
    pub(crate) fn links_of_doc(&self, doc: DocId) -> Result<Vec<StoredLink>, StoreError> {
        let st = self.state();
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM prov_links WHERE doc = ?1
             UNION ALL SELECT {LINK_COLUMNS} FROM prov_links WHERE other = ?1 AND doc != ?1"
        );
        let mut stmt = st.conn.prepare_cached(&sql).map_err(|e| db("preparing the link lookup", e))?;
        let mut rows = stmt.query([to_sql(doc)]).map_err(|e| db("looking up links", e))?;
        let mut links = Vec::new();
        while let Some(row) = rows.next().map_err(|e| db("looking up links", e))? {
            links.push(link_from_row(row)?);
        }
        sort_links(&mut links);
        Ok(links)
    }

    pub(crate) fn doc_time_of(&self, doc: DocId) -> Result<Option<DocTime>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT seen, published FROM prov_docs WHERE doc = ?1")
            .map_err(|e| db("preparing the index lookup", e))?;
        let mut rows = stmt.query([to_sql(doc)]).map_err(|e| db("looking up the index", e))?;
        match rows.next().map_err(|e| db("looking up the index", e))? {
            Some(row) => Ok(Some(doc_time_from_row(row, 0)?)),
            None => Ok(None),
        }
    }

    /// Links in u64 `(doc, other)` order: stored i64 order puts documents from 2^63 up first,
    /// so the non-negative half is read first, and each document's few links are sorted.
    pub(crate) fn each_link(
        &self,
        f: &mut dyn FnMut(StoredLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.each_link_or_damage(f, &mut |e| Err(e))
    }

    /// [`SqliteStore::each_link`], passing a row that cannot be read back to `damaged` (which
    /// may return the error to stop, or `Ok` to go on without the row).
    pub(crate) fn each_link_or_damage(
        &self,
        f: &mut dyn FnMut(StoredLink) -> Result<(), StoreError>,
        damaged: &mut dyn FnMut(StoreError) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let st = self.state();
        let mut count = 0;
        for half in ["doc >= 0", "doc < 0"] {
            let sql = format!("SELECT {LINK_COLUMNS} FROM prov_links WHERE {half} ORDER BY doc");
            let mut stmt = st.conn.prepare_cached(&sql).map_err(|e| db("preparing the link listing", e))?;
            let mut rows = stmt.query([]).map_err(|e| db("listing links", e))?;
            let mut group: Vec<StoredLink> = Vec::new();
            loop {
                let next = match rows.next().map_err(|e| db("listing links", e))? {
                    Some(row) => match link_from_row(row) {
                        Ok(link) => Some(link),
                        Err(e) => {
                            damaged(e)?;
                            continue;
                        }
                    },
                    None => None,
                };
                let same_doc = matches!((&next, group.first()), (Some(n), Some(g)) if n.doc == g.doc);
                if !same_doc {
                    sort_links(&mut group);
                    for link in group.drain(..) {
                        f(link)?;
                        count += 1;
                    }
                }
                match next {
                    Some(link) => group.push(link),
                    None => break,
                }
            }
        }
        Ok(count)
    }

    pub(crate) fn each_doc_time(
        &self,
        f: &mut dyn FnMut(DocId, DocTime) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let st = self.state();
        // Served by the (seen, published) index: the texts are not read.
        let mut stmt = st
            .conn
            .prepare_cached("SELECT seen, published, doc FROM prov_docs ORDER BY seen")
            .map_err(|e| db("preparing the index listing", e))?;
        let mut rows = stmt.query([]).map_err(|e| db("listing the index", e))?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(|e| db("listing the index", e))? {
            let doc = DocId::from(from_sql(row.get(2).map_err(|e| db("listing the index", e))?));
            f(doc, doc_time_from_row(row, 0)?)?;
            count += 1;
        }
        Ok(count)
    }

    pub(crate) fn clear_provenance_tables(&mut self) -> Result<(), StoreError> {
        let state = self.read.get_mut();
        let tx = WriteTx::begin(&mut state.conn, self.rebuilding, "starting to clear provenance")?;
        tx.execute_batch(
            "DELETE FROM prov_links; DELETE FROM prov_keys; DELETE FROM prov_keys_recent;
             DELETE FROM prov_docs; DELETE FROM outlet_blocks; DELETE FROM outlet_blocks_recent;
             DELETE FROM prov_key_filter; DELETE FROM prov_move_cursor;",
        )
        .and_then(|()| tx.execute_batch(crate::entities::CLEAR_ENTITIES))
        .and_then(|()| tx.execute_batch(crate::quote_groups::CLEAR_QUOTES))
        .and_then(|()| tx.execute_batch(crate::stories::CLEAR_STORIES))
        .map_err(|e| db("clearing provenance", e))?;
        tx.commit("committing the provenance clear")?;
        state.forget_caches();
        Ok(())
    }

    pub(crate) fn doc_is_indexed(&self, doc: DocId) -> Result<bool, StoreError> {
        let st = self.state();
        let mut stmt =
            st.conn.prepare_cached(PROV_DOC_EXISTS).map_err(|e| db("preparing the index lookup", e))?;
        stmt.exists([to_sql(doc)]).map_err(|e| db("looking up the index", e))
    }

    pub(crate) fn linked_count(&self) -> Result<u64, StoreError> {
        let st = self.state();
        let n: i64 = st
            .conn
            .query_row(
                "SELECT COUNT(*) FROM (SELECT doc FROM prov_links UNION SELECT other FROM prov_links)",
                [],
                |row| row.get(0),
            )
            .map_err(|e| db("counting linked documents", e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// Reads `(seen, published)` at columns `at`, `at + 1`.
fn doc_time_from_row(row: &Row<'_>, at: usize) -> Result<DocTime, StoreError> {
    let seen: i64 = row.get(at).map_err(|e| db("reading the index", e))?;
    let published: Option<String> = row.get(at + 1).map_err(|e| db("reading the index", e))?;
    // Written from a `Published`, so it parses; an index from before the type held the same
    // canonical forms.
    let published = published.and_then(|p| p.parse().ok());
    Ok(DocTime { published, seen: u64::try_from(seen).unwrap_or(0) })
}

pub(crate) fn decode_text(decoder: &Decoder, doc: DocId, frame: &[u8]) -> Result<String, StoreError> {
    let corrupt = |detail: String| StoreError::CorruptProvenance { doc, detail };
    let bytes = decoder.decompress_sized(frame).map_err(|e| corrupt(format!("indexed text: {e}")))?;
    String::from_utf8(bytes).map_err(|e| corrupt(format!("indexed text is not UTF-8: {e}")))
}

impl IndexRead for SqliteStore {
    type Error = StoreError;

    /// Reads `prov_keys` first (unless the key filter rules the key out): for any key its rows
    /// there are older than those in `prov_keys_recent`, which is read only for what the limit
    /// leaves.
    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, StoreError> {
        let st = self.state();
        self.read_transaction(|| {
            let filter = st.key_filter()?;
            let limit = i64::try_from(per_key).unwrap_or(i64::MAX);
            let prepare =
                |sql| st.conn.prepare_cached(sql).map_err(|e| db("preparing the posting lookup", e));
            let (mut main, mut recent) = (prepare(POSTINGS_MAIN)?, prepare(POSTINGS_RECENT)?);
            let mut out = Vec::new();
            for &key in keys {
                let mut found = 0;
                for (stmt, may_hold) in
                    [(&mut main, filter.may_contain(key)), (&mut recent, filter.may_be_recent(key))]
                {
                    if found >= limit {
                        break;
                    }
                    if !may_hold {
                        continue;
                    }
                    let mut rows = stmt
                        .query(params![to_sql(key), limit - found])
                        .map_err(|e| db("reading postings", e))?;
                    while let Some(row) = rows.next().map_err(|e| db("reading postings", e))? {
                        let doc: i64 = row.get(0).map_err(|e| db("reading postings", e))?;
                        out.push((key, DocId::from(from_sql(doc))));
                        found += 1;
                    }
                }
            }
            Ok(out)
        })
    }

    fn text(&self, doc: DocId) -> Result<Option<String>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT text FROM prov_docs WHERE doc = ?1")
            .map_err(|e| db("preparing the text lookup", e))?;
        let mut rows = stmt.query([to_sql(doc)]).map_err(|e| db("reading an indexed text", e))?;
        let Some(row) = rows.next().map_err(|e| db("reading an indexed text", e))? else {
            return Ok(None);
        };
        match row.get_ref(0).map_err(|e| db("reading an indexed text", e))? {
            ValueRef::Blob(frame) => decode_text(&st.decoder, doc, frame).map(Some),
            other => Err(StoreError::CorruptProvenance {
                doc,
                detail: format!("indexed text stored as {:?}, not a BLOB", other.data_type()),
            }),
        }
    }

    fn masked(&self, doc: DocId) -> Result<Vec<Span>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT masked FROM prov_docs WHERE doc = ?1")
            .map_err(|e| db("preparing the masked-span lookup", e))?;
        let mut rows = stmt.query([to_sql(doc)]).map_err(|e| db("reading masked spans", e))?;
        let Some(row) = rows.next().map_err(|e| db("reading masked spans", e))? else {
            return Ok(Vec::new());
        };
        let json: Option<String> = row.get(0).map_err(|e| db("reading masked spans", e))?;
        let Some(json) = json else { return Ok(Vec::new()) };
        serde_json::from_str(&json).map_err(|e| StoreError::CorruptProvenance {
            doc,
            detail: format!("masked spans are not a JSON array of [start, end]: {e}"),
        })
    }

    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, StoreError> {
        let st = self.state();
        self.read_transaction(|| {
            let filter = st.key_filter()?;
            let prepare =
                |sql| st.conn.prepare_cached(sql).map_err(|e| db("preparing the outlet block lookup", e));
            let [main_sql, recent_sql] = OUTLET_BLOCK_COUNT;
            let (mut main, mut recent) = (prepare(main_sql)?, prepare(recent_sql)?);
            keys.iter()
                .map(|&key| {
                    let mut n: i64 = 0;
                    for (stmt, may_hold) in
                        [(&mut main, filter.may_contain(key)), (&mut recent, filter.may_be_recent(key))]
                    {
                        if !may_hold {
                            continue;
                        }
                        let mut rows =
                            stmt.query([to_sql(key)]).map_err(|e| db("reading outlet block counts", e))?;
                        if let Some(row) = rows.next().map_err(|e| db("reading outlet block counts", e))? {
                            n += row.get::<_, i64>(0).map_err(|e| db("reading outlet block counts", e))?;
                        }
                    }
                    Ok(count_from_sql(n))
                })
                .collect()
        })
    }
}

impl ReadState {
    /// The index key filter, read on first use and again after another connection wrote.
    fn key_filter(&self) -> Result<std::cell::Ref<'_, KeyFilter>, StoreError> {
        crate::key_filter::fresh(&self.conn, &mut self.key_filter.borrow_mut())?;
        std::cell::Ref::filter_map(self.key_filter.borrow(), Option::as_ref).map_err(|_| {
            StoreError::Database {
                context: "reading the key filter",
                source: "the filter was not loaded".into(),
            }
        })
    }
}

impl SqliteStore {
    /// Runs many reads in one read transaction: outside one, SQLite takes and drops its file
    /// lock around every statement (two `fcntl` calls each), which cost more than the reads.
    /// Inside a transaction already (a write in progress), just runs them.
    pub(crate) fn read_transaction<T>(
        &self,
        f: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // Held until `f` returns: no other thread's statement can run inside this transaction.
        let st = self.state();
        if !st.conn.is_autocommit() {
            return f();
        }
        st.conn.execute_batch("BEGIN DEFERRED").map_err(|e| db("starting a read transaction", e))?;
        let result = f();
        // A read transaction has nothing to keep: ending it cannot lose data.
        let end = st.conn.execute_batch("COMMIT").map_err(|e| db("ending a read transaction", e));
        let value = result?;
        end?;
        Ok(value)
    }
}

// ---------------------------------------------------------------------------------------------
// Memory

/// The provenance index of a [`MemoryStore`]: the same content as the SQLite tables.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemoryProvenance {
    docs: HashMap<DocId, (DocTime, String)>,
    masked: HashMap<DocId, Vec<Span>>,
    last_seen: u64,
    /// Documents per key, in insertion order.
    postings: HashMap<u64, Vec<DocId>>,
    blocks: HashMap<u64, u32>,
    links: BTreeMap<(DocId, DocId), StoredLink>,
    /// `(other, doc)` of every link, to find links by their matched side.
    by_other: BTreeSet<(DocId, DocId)>,
    /// The quote-groups stage's index and links.
    pub(crate) quotes: crate::quote_groups::MemoryQuotes,
}

impl MemoryProvenance {
    /// Same effect as [`write_provenance`]; the caller has checked the input.
    pub(crate) fn add(&mut self, provenance: &[IndexEntry], published: &[Option<Published>]) {
        for (ix, published) in provenance.iter().zip(published) {
            if self.docs.contains_key(&ix.doc) {
                continue;
            }
            self.last_seen += 1;
            let time = DocTime { published: *published, seen: self.last_seen };
            self.docs.insert(ix.doc, (time, ix.text.clone()));
            if !ix.masked.is_empty() {
                self.masked.insert(ix.doc, ix.masked.clone());
            }
            for key in distinct(&ix.keys) {
                self.postings.entry(key).or_default().push(ix.doc);
            }
            for block in distinct(&ix.outlet_blocks) {
                let n = self.blocks.entry(block).or_default();
                *n = n.saturating_add(1);
            }
            for link in &ix.links {
                self.by_other.insert((link.other, link.doc));
                self.links.insert((link.doc, link.other), link.clone());
            }
            self.quotes.add(ix);
        }
    }

    pub(crate) fn links_of(&self, doc: DocId) -> Vec<StoredLink> {
        let mut out: Vec<StoredLink> =
            self.links.range((doc, DocId::MIN)..=(doc, DocId::MAX)).map(|(_, l)| l.clone()).collect();
        for (_, from) in self.by_other.range((doc, DocId::MIN)..=(doc, DocId::MAX)) {
            if *from != doc {
                if let Some(link) = self.links.get(&(*from, doc)) {
                    out.push(link.clone());
                }
            }
        }
        sort_links(&mut out);
        out
    }

    pub(crate) fn doc_time(&self, doc: DocId) -> Option<DocTime> {
        self.docs.get(&doc).map(|(t, _)| t.clone())
    }

    pub(crate) fn for_each_link(
        &self,
        f: &mut dyn FnMut(StoredLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut count = 0;
        for link in self.links.values() {
            f(link.clone())?;
            count += 1;
        }
        Ok(count)
    }

    pub(crate) fn for_each_doc_time(
        &self,
        f: &mut dyn FnMut(DocId, DocTime) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut times: Vec<(DocId, &DocTime)> = self.docs.iter().map(|(d, (t, _))| (*d, t)).collect();
        times.sort_by_key(|(_, t)| t.seen);
        for (doc, time) in &times {
            f(*doc, (*time).clone())?;
        }
        Ok(times.len() as u64)
    }

    pub(crate) fn clear(&mut self) {
        *self = MemoryProvenance::default();
    }

    pub(crate) fn is_indexed(&self, doc: DocId) -> bool {
        self.docs.contains_key(&doc)
    }

    pub(crate) fn linked_count(&self) -> u64 {
        let linked: HashSet<DocId> = self.links.keys().flat_map(|(a, b)| [*a, *b]).collect();
        linked.len() as u64
    }
}

impl IndexRead for MemoryStore {
    type Error = StoreError;

    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, StoreError> {
        let p = &self.provenance().postings;
        Ok(keys
            .iter()
            .flat_map(|k| {
                p.get(k).into_iter().flat_map(move |docs| docs.iter().take(per_key).map(move |d| (*k, *d)))
            })
            .collect())
    }

    fn text(&self, doc: DocId) -> Result<Option<String>, StoreError> {
        Ok(self.provenance().docs.get(&doc).map(|(_, text)| text.clone()))
    }

    fn masked(&self, doc: DocId) -> Result<Vec<Span>, StoreError> {
        Ok(self.provenance().masked.get(&doc).cloned().unwrap_or_default())
    }

    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, StoreError> {
        let blocks = &self.provenance().blocks;
        Ok(keys.iter().map(|k| blocks.get(k).copied().unwrap_or(0)).collect())
    }
}
