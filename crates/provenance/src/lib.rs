//! Provenance: which articles carry the same text, who copied whom, how much, and what changed.
//!
//! A new article is looked up in an index of earlier ones by a few keys ([`fingerprint`]): its
//! normalized-text hash (exact copies), MinHash LSH bands over word 5-shingles (near-duplicates,
//! reordered copies) and sampled runs of function words (spun and partial copies, which keep
//! them). The few candidates found are aligned with it sentence by sentence ([`align`]), which
//! decides whether it is a copy at all, of which kind, how much it reuses, and gives the aligned
//! passages as evidence: the keys only nominate, the alignment decides.
//!
//! Not here: storage. The stage reads earlier documents through the [`Index`] trait and returns
//! what to persist ([`Indexed`], whose [`Indexed::entry`] is what a store keeps). A store
//! implements [`IndexRead`] (from `presswatch-model`, so stores need not depend on this crate)
//! and gets [`Index`] with it. Which document of a link is the source is decided on reading
//! ([`graph`]), from published dates and first-seen order.
//!
//! ```
//! use presswatch_provenance::{link_batch, MemoryIndex, ReuseKind};
//! # use presswatch_model::ArticleRecord;
//! # fn article(id: &str, text: &str) -> ArticleRecord {
//! #     let mut a = ArticleRecord::new(String::new(), format!("{id:0<64}").parse().unwrap(), presswatch_model::Format::Text, Default::default());
//! #     a.text = text.to_string();
//! #     a
//! # }
//! let text = "Russia massed troops near the border with Ukraine on Tuesday, officials said. \
//!             NATO allies warned Moscow that any invasion would carry a heavy price for it.";
//! let mut index = MemoryIndex::default();
//! let first = vec![article("00000000000000a1", text)];
//! let done = link_batch(&index, &first, vec![]).unwrap();
//! index.add(&done);
//! let copy = vec![article("00000000000000b2", &text.to_uppercase())];
//! let found = link_batch(&index, &copy, vec![]).unwrap();
//! assert_eq!(found[0].links[0].alignment.kind, ReuseKind::Exact);
//! ```

pub mod align;
pub mod diff;
pub mod fingerprint;
pub mod graph;
pub mod mask;
mod stage;
mod stopwords;
pub mod text;

pub use align::{align, Alignment, SentencePair};
pub use graph::{clusters, derived_from, is_whole_copy};
pub use presswatch_model::{DocId, ReuseKind};
pub use presswatch_model::{DocTime, IndexEntry, IndexRead, StoredLink};
pub use stage::{
    link_batch, outlet_block_key, prepare, Cached, Index, Indexed, Link, MatchCache, MemoryIndex, Prepared,
    ProvenanceStage, MAX_CANDIDATES, OUTLET_REPEAT_DOCS, POSTINGS_PER_KEY, TOKENS_KEPT_UP_TO,
};
