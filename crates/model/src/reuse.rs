//! How articles reuse each other's text: the kinds of reuse and the evidence of a link.

use crate::{DocId, Span};
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
