//! Stories: articles that report the same event, grouped as they arrive.
//!
//! The stories corpus stage (`presswatch-stories`) puts every new article into a story, or
//! opens one, against what earlier batches persisted: the state of each story (its centroid of
//! terms and of entities and numbers, its size and dates), the rolling document frequencies of
//! the vocabulary, and postings from a term or entity to the stories that recently used it.
//! What it decides for a document is a [`StoryLink`], persisted with the batch. A story is named
//! by the id of the document that opened it; when two stories merge, the older one keeps its id
//! and the merge is recorded ([`StoryMerge`]).

use crate::DocId;
use serde::{Deserialize, Serialize};

/// The state of one story, as the stage needs it to place the next document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StoryState {
    /// The story's id: the id of the document that opened it.
    pub id: DocId,
    /// A short label: the title (or first words) of the document that opened it.
    pub label: String,
    /// How many documents it holds.
    pub size: u32,
    /// The earliest and latest publication day of its dated members (days since 1970-01-01).
    pub first_day: Option<i32>,
    /// See `first_day`.
    pub last_day: Option<i32>,
    /// The arrival number of its latest member (the stage's document count when it joined).
    pub last_seq: u64,
    /// The centroid of its members' term vectors (sums of unit vectors), the heaviest terms
    /// only, as (term hash, weight).
    pub terms: Vec<(u64, f32)>,
    /// The same for entity ids and numbers, the language-independent part.
    pub entities: Vec<(u64, f32)>,
}

/// Two stories joined by a document similar to both: `from` is now part of `into`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryMerge {
    /// The story that was absorbed (its id is no longer a story).
    pub from: DocId,
    /// The story that absorbed it.
    pub into: DocId,
    /// The document that bridged them.
    pub doc: DocId,
}

/// What the stories stage decided for one document, to persist with its batch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryLink {
    /// The document.
    pub doc: DocId,
    /// The story it joined or opened (after any merge it caused).
    pub story: DocId,
    /// The similarity that placed it (1 for a copy placed with its source, 0 for a new story).
    pub score: f32,
    /// Its distinct term hashes: each counts one more document in the rolling vocabulary.
    pub terms: Vec<u64>,
    /// The keys under which its story is posted for later documents to find.
    pub keys: Vec<u64>,
    /// The story's state after this document (the last state of a story in a batch wins).
    pub state: StoryState,
    /// Stories this document merged into `story`.
    pub merges: Vec<StoryMerge>,
}

/// Read access to what earlier batches persisted: what the stories stage needs.
pub trait StoryIndexRead {
    /// What a lookup can fail with.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The story `doc` is in (after merges), if it was placed already.
    fn story_of(&self, doc: DocId) -> Result<Option<DocId>, Self::Error>;

    /// The story a merged story's id now belongs to, if it was merged.
    fn story_merged_into(&self, story: DocId) -> Result<Option<DocId>, Self::Error>;

    /// The state of a story (`None` for an unknown or merged id).
    fn story_state(&self, story: DocId) -> Result<Option<StoryState>, Self::Error>;

    /// The stories posted under `key`, most recently posted first, at most `limit` (an id may
    /// be a merged story's).
    fn stories_by_key(&self, key: u64, limit: usize) -> Result<Vec<DocId>, Self::Error>;

    /// How many placed documents contain each term (`out[i]` for `terms[i]`).
    fn term_docs(&self, terms: &[u64]) -> Result<Vec<u32>, Self::Error>;

    /// How many documents were placed in stories.
    fn story_doc_count(&self) -> Result<u64, Self::Error>;
}

/// A story as an article is read: exported as `story` on every article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryRef {
    /// The story's id.
    pub id: DocId,
    /// Its label.
    pub label: String,
}
