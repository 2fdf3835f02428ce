//! Quote identity across documents: a quote is one object with its appearances.
//!
//! The same quote in copies and rewrites is grouped by a corpus stage ([`QuoteGroupsStage`],
//! beside provenance): each new article's quotes are matched first against the quotes of the
//! articles provenance links it to (a copy's quote aligned to its source's, loosely: a rewrite
//! may change words), then against any earlier quote sharing a text key ([`words::keys`]:
//! word-skeleton shingles, so spun rewrites with small spelling changes still meet), strictly.
//! The stage persists the quotes and the matches; [`groups`] decides on reading which quotes
//! are one group, which appearance came first (earliest published, then first seen) and which
//! later appearances altered it ([`groups::alteration`]: words changed, cut or added, or
//! another speaker; spelling alone is not an alteration, [`words`] states the rule), with the
//! word diff from provenance's `diff` ([`groups::quote_diff`]).

pub mod groups;
mod stage;
pub mod words;

pub use groups::{alteration, groups, quote_diff, Alteration};
pub use stage::{
    Found, LinkedIndex, Prepared, PreparedQuote, QuoteCache, QuoteGroupsStage, QUOTE_POSTINGS_PER_KEY,
};
