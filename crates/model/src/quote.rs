//! Quotes: who said what, as found in one article's text.
//!
//! The quotes stage (`presswatch-quotes`) fills [`Article::quotes`](crate::Article); every offset
//! is a character offset ([`Span`]) into the article's `text`, like every other offset in
//! presswatch.

use crate::{Language, QuoteId, Span};
use serde::{Deserialize, Serialize};

/// How the words of a quote are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// The speaker's words in quotation marks: every content span is quoted text.
    Direct,
    /// Reported speech that quotes some of the speaker's words ("she said that it was 'dead'").
    Mixed,
    /// Reported speech without quotation marks ("he said that ...", "according to X, ...").
    Indirect,
}

impl QuoteKind {
    /// The kind's name, as exported.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Indirect => "indirect",
        }
    }
}

/// Who a quote is attributed to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// The speaker as the document names them: the named person a pronoun ("he") or role noun
    /// ("the minister") refers to, with titles cut ("Antony Blinken"); `None` when the document
    /// does not say (an anonymous "a senior official", a pronoun with no one before it).
    pub name: Option<String>,
    /// Where the speaker is mentioned at the quote: "he" in "he said", "Blinken" in
    /// "Blinken said". `None` when the quote has no speaker tag (it takes its speaker from a
    /// neighbouring quote).
    pub mention: Option<Span>,
    /// The corpus-wide canonical entity of the speaker, set by the entity stage (issue 13);
    /// `None` until an entity stage links it.
    #[serde(default)]
    pub entity: Option<String>,
}

/// One quote of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The quote's id (`<doc>:<n>`, its article and place), set with the article's id.
    #[serde(default)]
    pub id: Option<QuoteId>,
    /// Its words: the content pieces joined with " … ", set with the article's id.
    #[serde(default)]
    pub text: String,
    /// The quoted or reported words, in order: one span per piece (`"A," she said, "B."` has
    /// two), without the quotation marks.
    pub content: Vec<Span>,
    /// The speech verb or phrase that attributes it ("said", "according to", "заявил").
    pub cue: Option<Span>,
    /// The cue's dictionary form, lowercase ("say", "according to", "заявить").
    pub cue_lemma: Option<String>,
    /// Who said it.
    pub speaker: Speaker,
    /// Direct, mixed or indirect.
    pub kind: QuoteKind,
    /// The language of the block the quote is in.
    pub language: Option<Language>,
    /// The quote's group across the corpus (the same words in copies and rewrites): the id of
    /// its first appearance (earliest published, then first seen). Filled on reading.
    #[serde(default)]
    pub group: Option<QuoteId>,
    /// When this appearance changed the words or the speaker of the group's first appearance
    /// (beyond spelling), that appearance's id. Filled on reading.
    #[serde(default)]
    pub altered_from: Option<QuoteId>,
}

impl Quote {
    /// The quote's words in `text` (its article's text): the content pieces joined with " … ".
    pub fn words_in(&self, text: &str) -> String {
        self.content.iter().map(|s| s.slice(text)).collect::<Vec<_>>().join(" \u{2026} ")
    }
}
