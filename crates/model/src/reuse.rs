//! What the provenance stage persists and reads back: document keys, stored links, document
//! times, index entries, and the read side of the index.
//!
//! These live here, not in the provenance crate, so that a store (SQLite today, PostgreSQL
//! later) can keep and serve them without depending on the copy-detection algorithms.

use crate::{AlignedPassage, ReuseKind};
use serde::{Deserialize, Serialize};

/// A document handle: the 16 hex digits of its id read as a number (cheap to hash and store).
pub type DocKey = u64;

/// The key of a document id (`None` if it is not 16 hex digits).
pub fn doc_key(id: &str) -> Option<DocKey> {
    if id.len() != 16 {
        return None;
    }
    u64::from_str_radix(id, 16).ok()
}

/// The id of a document key (the inverse of [`doc_key`]).
pub fn doc_id(key: DocKey) -> String {
    format!("{key:016x}")
}

/// A link between two documents as stored: flat, so any backend can keep it as one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredLink {
    /// The document that was new when the link was found (offsets under `copy`).
    pub doc: DocKey,
    /// The document it matched (offsets under `source`).
    pub other: DocKey,
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
    pub fn seen_from(&self, from: DocKey) -> (DocKey, f32, Vec<AlignedPassage>) {
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
    /// The published date, `YYYY-MM-DD...` (only the day is compared).
    pub published: Option<String>,
    /// Insertion order in the index (first seen).
    pub seen: u64,
}

impl DocTime {
    /// The published day, if the date has one.
    fn day(&self) -> Option<&str> {
        self.published.as_deref().and_then(|p| p.get(..10)).filter(|d| d.as_bytes().get(4) == Some(&b'-'))
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
    pub fn sort_key(&self) -> (String, u64) {
        (self.day().unwrap_or("~").to_string(), self.seen)
    }
}

/// What a store persists for one newly indexed document: the persisted part of the provenance
/// stage's output.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexEntry {
    /// The document.
    pub doc: DocKey,
    /// The text that was indexed (after outlet boilerplate was removed).
    pub text: String,
    /// Its fingerprint keys (one posting each).
    pub keys: Vec<u64>,
    /// Keys of the document's blocks in its outlet, to count.
    pub outlet_blocks: Vec<u64>,
    /// The links found for it.
    pub links: Vec<StoredLink>,
}

/// Read access to what earlier batches indexed: what the provenance stage needs from a store.
/// Stores implement it; the stage adds its caches on top.
pub trait IndexRead {
    /// What a lookup can fail with.
    type Error: std::error::Error + Send + Sync + 'static;

    /// For each key, up to `per_key` documents holding it, earliest first, as `(key, doc)`.
    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocKey)>, Self::Error>;

    /// The indexed text of a document (as it was when indexed).
    fn text(&self, doc: DocKey) -> Result<Option<String>, Self::Error>;

    /// How many indexed documents hold each outlet-block key.
    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, Self::Error>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_keys_round_trip() {
        assert_eq!(doc_key("00000000000000a1"), Some(0xa1));
        assert_eq!(doc_id(0xa1), "00000000000000a1");
        assert_eq!(doc_key("a1"), None);
    }

    #[test]
    fn dated_documents_order_by_day_then_seen() {
        let t = |p: Option<&str>, seen| DocTime { published: p.map(String::from), seen };
        assert!(t(Some("2024-01-01"), 9).is_before(&t(Some("2024-01-02"), 1)));
        assert!(t(Some("2024-01-01T10"), 1).is_before(&t(Some("2024-01-01T09"), 2)));
        assert!(t(None, 1).is_before(&t(Some("2024-01-01"), 2)));
        assert!(t(Some("2024-01-01"), 2).sort_key() < t(None, 1).sort_key());
    }
}
