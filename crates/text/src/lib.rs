//! Text basics for every presswatch stage, each defined once: script classes ([`Script`]),
//! sentence and clause ends, whitespace collapsing and word counts, HTML character references,
//! the fast hasher for in-memory tables and the 64-bit mixer, escaping for terminals, and
//! whether two names are one typo apart.
//!
//! Stages used to carry their own copies, which drifted apart (Thai and Hangul were "dense" in
//! one stage and not in another). Keeping them here makes one answer per question.

pub mod controls;
pub mod edit;
pub mod entities;
pub mod hash;
pub mod script;
pub mod sentence;
pub mod whitespace;

pub use controls::escape_controls;
pub use edit::within_one_edit;
pub use entities::decode_text_entities;
pub use hash::{mix, FastHasher, HashMap, HashSet, SplitMix64};
pub use script::Script;
pub use sentence::{
    ends_clause, ends_sentence, is_abbreviation, is_clause_end, is_sentence_end, sentence_spans,
};
pub use whitespace::{
    collapse_visible, collapse_whitespace, is_collapsed_visible, is_invisible, push_collapsed, word_count,
};
