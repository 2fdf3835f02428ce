//! Quote identity across documents: what the quote-groups corpus stage persists and reads back.
//!
//! A quote is one object with its appearances: the same words in a copy or a rewrite are the
//! same quote. The stage (`presswatch-quotegroups`) stores, per quote of an indexed document, its
//! words and speaker ([`QuoteEntry`]), and the matches it found between quotes ([`QuoteLink`]).
//! Groups, their first appearance and which appearances altered the quote are decided on reading
//! from the links and the documents' times, so ingest order does not change them (like
//! provenance's sources).

use crate::{DocId, ParseIdError};
use std::fmt;
use std::str::FromStr;

/// A quote's identity: its article and its place among the article's quotes (from 0).
/// Written `<doc>:<n>` ("3f2a9c0d1e2b4a5f:2").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QuoteId {
    /// The article.
    pub doc: DocId,
    /// Its index in the article's `quotes`.
    pub n: u32,
}

impl QuoteId {
    /// The `n`th quote of `doc`.
    pub const fn new(doc: DocId, n: u32) -> QuoteId {
        QuoteId { doc, n }
    }
}

impl fmt::Display for QuoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.doc, self.n)
    }
}

impl FromStr for QuoteId {
    type Err = ParseIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseIdError::quote_id(s);
        let (doc, n) = s.split_once(':').ok_or_else(bad)?;
        Ok(QuoteId { doc: doc.parse()?, n: n.parse().map_err(|_| bad())? })
    }
}

serde_as_string!(QuoteId);

/// How two quotes were found to be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QuoteMatch {
    /// Their articles are linked by provenance (one copies or rewrites the other) and the quotes
    /// share enough words.
    Copy,
    /// Their words match (spelling aside) though their articles are not linked.
    Text,
}

impl QuoteMatch {
    /// The name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteMatch::Copy => "copy",
            QuoteMatch::Text => "text",
        }
    }

    /// The match named `s` (as [`QuoteMatch::as_str`] names it).
    pub fn parse(s: &str) -> Option<QuoteMatch> {
        match s {
            "copy" => Some(QuoteMatch::Copy),
            "text" => Some(QuoteMatch::Text),
            _ => None,
        }
    }
}

/// One quote of an indexed document as the stage keeps it: enough to match later quotes
/// against it and to compare appearances without reading the article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuoteEntry {
    /// The quote's index in its article's `quotes`.
    pub n: u32,
    /// Its words: the content pieces joined with " … ".
    pub text: String,
    /// The speaker's name as the document gives it, if it names one.
    pub speaker: Option<String>,
    /// Its text-matching keys (one posting each); empty for quotes too short to match by text.
    pub keys: Vec<u64>,
}

/// A stored quote, read back: its document and what [`QuoteEntry`] kept of it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuote {
    /// The quote.
    pub id: QuoteId,
    /// Its words.
    pub text: String,
    /// Its speaker's name.
    pub speaker: Option<String>,
}

/// A match between a quote of a newly indexed document (`quote`) and an earlier-indexed one
/// (`other`). Stored once; it joins the two either way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuoteLink {
    /// The quote of the document that was new.
    pub quote: QuoteId,
    /// The quote it matched.
    pub other: QuoteId,
    /// How.
    pub via: QuoteMatch,
    /// Word similarity of the two (spelling aside), 0 to 1.
    pub similarity: f32,
}

/// Read access to the quotes earlier batches indexed: what the quote-groups stage needs from a
/// store.
pub trait QuoteIndexRead {
    /// What a lookup can fail with.
    type Error: std::error::Error + Send + Sync + 'static;

    /// For each key, up to `per_key` quotes holding it, earliest indexed first, as `(key, quote)`.
    fn quote_postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, QuoteId)>, Self::Error>;

    /// The indexed quotes of a document, in order (none if it is not indexed).
    fn quotes_of(&self, doc: DocId) -> Result<Vec<StoredQuote>, Self::Error>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_ids_round_trip() {
        let id: QuoteId = "3f2a9c0d1e2b4a5f:12".parse().unwrap();
        assert_eq!(id.n, 12);
        assert_eq!(id.to_string(), "3f2a9c0d1e2b4a5f:12");
        assert!("3f2a9c0d1e2b4a5f".parse::<QuoteId>().is_err());
        assert!("3f2a9c0d1e2b4a5f:x".parse::<QuoteId>().is_err());
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"3f2a9c0d1e2b4a5f:12\"");
    }
}
