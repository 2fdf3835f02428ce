//! The quote-groups stage's index (each indexed quote's words and speaker, its text-matching
//! keys) and the quote links it found, in both stores. Written with the provenance entry of the
//! same document ([`crate::StoreWrite::put_batch_indexed`]), cleared and rebuilt with it.

use crate::provenance::{from_sql, to_sql};
use crate::sqlite::{db, SqliteStore};
use crate::{MemoryStore, StoreError};
use presswatch_model::{DocId, IndexEntry, QuoteId, QuoteIndexRead, QuoteLink, QuoteMatch, StoredQuote};
use rusqlite::{params, Connection, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const INSERT_QUOTE: &str =
    "INSERT OR REPLACE INTO quote_index (doc, n, text, speaker) VALUES (?1, ?2, ?3, ?4)";
const INSERT_QUOTE_KEY: &str = "INSERT OR IGNORE INTO quote_keys (key, seen, doc, n) VALUES (?1, ?2, ?3, ?4)";
const INSERT_QUOTE_LINK: &str = "INSERT OR REPLACE INTO quote_links (doc, n, other, other_n, via, similarity)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
const QUOTE_LINK_COLUMNS: &str = "doc, n, other, other_n, via, similarity";

/// Checks that the quote links of an entry are its document's (before anything is written).
pub(crate) fn check_quote_links(ix: &IndexEntry) -> Result<(), StoreError> {
    match ix.quote_links.iter().find(|l| l.quote.doc != ix.doc) {
        Some(l) => Err(StoreError::ProvenanceMismatch(format!(
            "the entry of document {} holds a quote link of document {}",
            ix.doc, l.quote.doc
        ))),
        None => Ok(()),
    }
}

/// Writes the quotes, keys and quote links of one newly indexed document (index order `seen`),
/// inside the caller's transaction.
pub(crate) fn write_quotes(tx: &Connection, ix: &IndexEntry, seen: i64) -> Result<(), StoreError> {
    if ix.quotes.is_empty() && ix.quote_links.is_empty() {
        return Ok(());
    }
    let doc = to_sql(ix.doc);
    let mut insert = tx.prepare_cached(INSERT_QUOTE).map_err(|e| db("preparing the quote insert", e))?;
    let mut insert_key =
        tx.prepare_cached(INSERT_QUOTE_KEY).map_err(|e| db("preparing the quote key insert", e))?;
    for q in &ix.quotes {
        insert.execute(params![doc, q.n, q.text, q.speaker]).map_err(|e| db("writing a quote", e))?;
        for key in &q.keys {
            insert_key
                .execute(params![to_sql(*key), seen, doc, q.n])
                .map_err(|e| db("writing a quote key", e))?;
        }
    }
    let mut link =
        tx.prepare_cached(INSERT_QUOTE_LINK).map_err(|e| db("preparing the quote link insert", e))?;
    for l in &ix.quote_links {
        link.execute(params![
            doc,
            l.quote.n,
            to_sql(l.other.doc),
            l.other.n,
            l.via.as_str(),
            f64::from(l.similarity)
        ])
        .map_err(|e| db("writing a quote link", e))?;
    }
    Ok(())
}

/// Empties the quote tables (inside the caller's transaction).
pub(crate) const CLEAR_QUOTES: &str =
    "DELETE FROM quote_index; DELETE FROM quote_keys; DELETE FROM quote_links;";

fn quote_link_from_row(row: &Row<'_>) -> Result<QuoteLink, StoreError> {
    let read = |e| db("reading a quote link", e);
    let doc = DocId::from(from_sql(row.get(0).map_err(read)?));
    let n: u32 = row.get(1).map_err(read)?;
    let other = DocId::from(from_sql(row.get(2).map_err(read)?));
    let other_n: u32 = row.get(3).map_err(read)?;
    let via: String = row.get(4).map_err(read)?;
    let via = QuoteMatch::parse(&via).ok_or_else(|| StoreError::CorruptProvenance {
        doc,
        detail: format!("unknown quote match {via:?}"),
    })?;
    let similarity: f64 = row.get(5).map_err(read)?;
    Ok(QuoteLink {
        quote: QuoteId::new(doc, n),
        other: QuoteId::new(other, other_n),
        via,
        similarity: similarity as f32,
    })
}

fn sort_quote_links(links: &mut [QuoteLink]) {
    links.sort_by_key(|l| (l.quote, l.other));
}

impl SqliteStore {
    pub(crate) fn quote_links_of_doc(&self, doc: DocId) -> Result<Vec<QuoteLink>, StoreError> {
        let st = self.state();
        let sql = format!(
            "SELECT {QUOTE_LINK_COLUMNS} FROM quote_links WHERE doc = ?1
             UNION ALL SELECT {QUOTE_LINK_COLUMNS} FROM quote_links WHERE other = ?1 AND doc != ?1"
        );
        let mut stmt = st.conn.prepare_cached(&sql).map_err(|e| db("preparing the quote link lookup", e))?;
        let mut rows = stmt.query([to_sql(doc)]).map_err(|e| db("looking up quote links", e))?;
        let mut links = Vec::new();
        while let Some(row) = rows.next().map_err(|e| db("looking up quote links", e))? {
            links.push(quote_link_from_row(row)?);
        }
        sort_quote_links(&mut links);
        Ok(links)
    }

    pub(crate) fn each_quote_link(
        &self,
        f: &mut dyn FnMut(QuoteLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let st = self.state();
        let sql = format!("SELECT {QUOTE_LINK_COLUMNS} FROM quote_links");
        let mut stmt = st.conn.prepare_cached(&sql).map_err(|e| db("preparing the quote link listing", e))?;
        let mut rows = stmt.query([]).map_err(|e| db("listing quote links", e))?;
        let mut links = Vec::new();
        while let Some(row) = rows.next().map_err(|e| db("listing quote links", e))? {
            links.push(quote_link_from_row(row)?);
        }
        sort_quote_links(&mut links);
        let count = links.len() as u64;
        for l in links {
            f(l)?;
        }
        Ok(count)
    }
}

impl QuoteIndexRead for SqliteStore {
    type Error = StoreError;

    fn quote_postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, QuoteId)>, StoreError> {
        let st = self.state();
        self.read_transaction(|| {
            let limit = i64::try_from(per_key).unwrap_or(i64::MAX);
            let mut stmt = st
                .conn
                .prepare_cached("SELECT doc, n FROM quote_keys WHERE key = ?1 ORDER BY seen, n LIMIT ?2")
                .map_err(|e| db("preparing the quote posting lookup", e))?;
            let mut out = Vec::new();
            for &key in keys {
                let mut rows =
                    stmt.query(params![to_sql(key), limit]).map_err(|e| db("reading quote postings", e))?;
                while let Some(row) = rows.next().map_err(|e| db("reading quote postings", e))? {
                    let doc: i64 = row.get(0).map_err(|e| db("reading quote postings", e))?;
                    let n: u32 = row.get(1).map_err(|e| db("reading quote postings", e))?;
                    out.push((key, QuoteId::new(DocId::from(from_sql(doc)), n)));
                }
            }
            Ok(out)
        })
    }

    fn quotes_of(&self, doc: DocId) -> Result<Vec<StoredQuote>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT n, text, speaker FROM quote_index WHERE doc = ?1 ORDER BY n")
            .map_err(|e| db("preparing the quote lookup", e))?;
        let mut rows = stmt.query([to_sql(doc)]).map_err(|e| db("reading indexed quotes", e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| db("reading indexed quotes", e))? {
            let read = |e| db("reading indexed quotes", e);
            out.push(StoredQuote {
                id: QuoteId::new(doc, row.get(0).map_err(read)?),
                text: row.get(1).map_err(read)?,
                speaker: row.get(2).map_err(read)?,
            });
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Memory

/// The quote index of a [`MemoryStore`]: the same content as the SQLite tables.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemoryQuotes {
    quotes: BTreeMap<QuoteId, StoredQuote>,
    /// Quotes per key, in index order.
    postings: HashMap<u64, Vec<QuoteId>>,
    links: BTreeMap<(QuoteId, QuoteId), QuoteLink>,
    /// `(other doc, quote)` of every link, to find links by their matched side.
    by_other: BTreeSet<(DocId, QuoteId, QuoteId)>,
}

impl MemoryQuotes {
    /// Same effect as [`write_quotes`] for a document being indexed.
    pub(crate) fn add(&mut self, ix: &IndexEntry) {
        for q in &ix.quotes {
            let id = QuoteId::new(ix.doc, q.n);
            self.quotes.insert(id, StoredQuote { id, text: q.text.clone(), speaker: q.speaker.clone() });
            let mut keys = q.keys.clone();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                self.postings.entry(k).or_default().push(id);
            }
        }
        for l in &ix.quote_links {
            self.by_other.insert((l.other.doc, l.other, l.quote));
            self.links.insert((l.quote, l.other), *l);
        }
    }

    pub(crate) fn links_of(&self, doc: DocId) -> Vec<QuoteLink> {
        let lo = QuoteId::new(doc, 0);
        let hi = QuoteId::new(doc, u32::MAX);
        let lo_any = QuoteId::new(DocId::MIN, 0);
        let hi_any = QuoteId::new(DocId::MAX, u32::MAX);
        let mut out: Vec<QuoteLink> =
            self.links.range((lo, lo_any)..=(hi, hi_any)).map(|(_, l)| *l).collect();
        for (_, other, from) in self.by_other.range((doc, lo, lo_any)..=(doc, hi, hi_any)) {
            if from.doc != doc {
                if let Some(l) = self.links.get(&(*from, *other)) {
                    out.push(*l);
                }
            }
        }
        sort_quote_links(&mut out);
        out
    }

    pub(crate) fn for_each_link(
        &self,
        f: &mut dyn FnMut(QuoteLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        for l in self.links.values() {
            f(*l)?;
        }
        Ok(self.links.len() as u64)
    }
}

impl QuoteIndexRead for MemoryStore {
    type Error = StoreError;

    fn quote_postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, QuoteId)>, StoreError> {
        let p = &self.quote_index().postings;
        Ok(keys
            .iter()
            .flat_map(|k| {
                p.get(k).into_iter().flat_map(move |qs| qs.iter().take(per_key).map(move |q| (*k, *q)))
            })
            .collect())
    }

    fn quotes_of(&self, doc: DocId) -> Result<Vec<StoredQuote>, StoreError> {
        let q = &self.quote_index().quotes;
        Ok(q.range(QuoteId::new(doc, 0)..=QuoteId::new(doc, u32::MAX)).map(|(_, q)| q.clone()).collect())
    }
}
