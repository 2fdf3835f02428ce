//! How articles reuse each other's text: the kinds of reuse and the evidence of a link, and what
//! the provenance stage persists and reads back (stored links, document times, index entries,
//! the read side of the index).
//!
//! The persisted types live here, not in the provenance crate, so that a store (SQLite today,
//! PostgreSQL later) can keep and serve them without depending on the copy-detection algorithms.

use crate::{DocId, Published, Span};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a document reuses another's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ReuseKind {
    /// The same normalized text (case, punctuation and whitespace aside).
    Exact,
    /// Nearly all of each text is the other's, verbatim: a few sentences added, dropped or cut.
    Near,
    /// A share of the source's sentences reused verbatim, mixed with other text.
    Partial,
    /// The source's sentences or paragraphs, verbatim, in another order.
    Reordered,
    /// Rewritten copy: synonyms substituted, typos, clauses moved, aligned sentence by sentence.
    Spun,
}

impl ReuseKind {
    /// The kind's name, as exported.
    pub fn as_str(self) -> &'static str {
        match self {
            ReuseKind::Exact => "exact",
            ReuseKind::Near => "near",
            ReuseKind::Partial => "partial",
            ReuseKind::Reordered => "reordered",
            ReuseKind::Spun => "spun",
        }
    }

    /// The kind named `s` (as [`ReuseKind::as_str`] names it).
    pub fn parse(s: &str) -> Option<ReuseKind> {
        Some(match s {
            "exact" => ReuseKind::Exact,
            "near" => ReuseKind::Near,
            "partial" => ReuseKind::Partial,
            "reordered" => ReuseKind::Reordered,
            "spun" => ReuseKind::Spun,
            _ => return None,
        })
    }

    /// Whether the copy is the whole article (so both belong to one duplicate cluster), rather
    /// than a new article quoting part of it.
    pub fn is_whole_copy(self) -> bool {
        !matches!(self, ReuseKind::Partial)
    }
}

impl fmt::Display for ReuseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One aligned passage pair: character spans in the source's and the copy's `text`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AlignedPassage {
    /// The passage in the source's text.
    pub source: Span,
    /// The passage in the copy's text.
    pub copy: Span,
    /// Token-level similarity of the two passages (1.0: the same words).
    pub similarity: f32,
}

/// An article's link to an earlier one it reuses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedFrom {
    /// The source article's id.
    pub id: DocId,
    /// How this article reuses it.
    pub kind: ReuseKind,
    /// Share of the source's text (in characters) that reappears in this article.
    pub reused_share: f32,
    /// The aligned passages that show the reuse.
    pub evidence: Vec<AlignedPassage>,
}

/// A link between two documents as stored: flat, so any backend can keep it as one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredLink {
    /// The document that was new when the link was found (offsets under `copy`).
    pub doc: DocId,
    /// The document it matched (offsets under `source`).
    pub other: DocId,
    /// How the text was reused.
    pub kind: ReuseKind,
    /// Share of `doc`'s text aligned.
    pub doc_share: f32,
    /// Share of `other`'s text aligned.
    pub other_share: f32,
    /// The aligned passages, the evidence shown to a reader.
    pub evidence: Vec<AlignedPassage>,
}

impl StoredLink {
    /// The link seen from `from`'s side: (the other document, the other's share reused, evidence
    /// with `source` = the other's offsets and `copy` = `from`'s).
    pub fn seen_from(&self, from: DocId) -> (DocId, f32, Vec<AlignedPassage>) {
        if from == self.doc {
            (self.other, self.other_share, self.evidence.clone())
        } else {
            let flipped = self
                .evidence
                .iter()
                .map(|p| AlignedPassage { source: p.copy, copy: p.source, ..*p })
                .collect();
            (self.doc, self.doc_share, flipped)
        }
    }
}

/// What decides which of two documents came first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocTime {
    /// When it was published, if known (only the day is compared: most sources give no time).
    pub published: Option<Published>,
    /// Insertion order in the index (first seen).
    pub seen: u64,
}

impl DocTime {
    /// The published day, if known.
    pub fn day(&self) -> Option<NaiveDate> {
        self.published.as_ref().map(Published::day)
    }

    /// Whether `self` is earlier than `other`: by published day when both have one, then by
    /// first seen.
    pub fn is_before(&self, other: &DocTime) -> bool {
        if let (Some(a), Some(b)) = (self.day(), other.day()) {
            if a != b {
                return a < b;
            }
        }
        self.seen < other.seen
    }

    /// A total order key, so listings sort the same everywhere (documents without a date sort
    /// after dated ones of any day).
    pub fn sort_key(&self) -> (NaiveDate, u64) {
        (self.day().unwrap_or(NaiveDate::MAX), self.seen)
    }
}

/// What a store persists for one newly indexed document: the persisted part of the corpus
/// stages' output (provenance, and the quote-groups stage's `quotes` and `quote_links`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexEntry {
    /// The document.
    pub doc: DocId,
    /// The text that was matched and indexed: the article's text less `masked`.
    pub text: String,
    /// Spans of the article's `text` left out of matching (its outlet's boilerplate).
    pub masked: Vec<Span>,
    /// Its fingerprint keys (one posting each).
    pub keys: Vec<u64>,
    /// Keys of the document's blocks in its outlet, to count.
    pub outlet_blocks: Vec<u64>,
    /// The links found for it.
    pub links: Vec<StoredLink>,
    /// Its quotes, as the quote-groups stage indexes them.
    pub quotes: Vec<crate::QuoteEntry>,
    /// The matches the quote-groups stage found between its quotes and earlier ones.
    pub quote_links: Vec<crate::QuoteLink>,
}

/// Read access to what earlier batches indexed: what the provenance stage needs from a store.
/// Stores implement it; the stage adds its caches on top.
pub trait IndexRead {
    /// What a lookup can fail with.
    type Error: std::error::Error + Send + Sync + 'static;

    /// For each key, up to `per_key` documents holding it, earliest first, as `(key, doc)`.
    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, Self::Error>;

    /// The indexed text of a document (as it was when indexed): its text less the masked spans.
    fn text(&self, doc: DocId) -> Result<Option<String>, Self::Error>;

    /// The spans of a document's `text` left out of matching ([`IndexEntry::masked`]).
    fn masked(&self, doc: DocId) -> Result<Vec<Span>, Self::Error>;

    /// How many indexed documents hold each outlet-block key.
    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, Self::Error>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_documents_order_by_day_then_seen() {
        let t = |p: Option<&str>, seen| DocTime { published: p.map(|p| p.parse().unwrap()), seen };
        assert!(t(Some("2024-01-01"), 9).is_before(&t(Some("2024-01-02"), 1)));
        assert!(t(Some("2024-01-01T10:00:00Z"), 1).is_before(&t(Some("2024-01-01T09:00:00Z"), 2)));
        assert!(t(None, 1).is_before(&t(Some("2024-01-01"), 2)));
        assert!(t(Some("2024-01-01"), 2).sort_key() < t(None, 1).sort_key());
    }
}
