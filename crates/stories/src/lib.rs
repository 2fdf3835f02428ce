//! Stories: which articles report the same event, decided as they arrive.
//!
//! [`StoriesStage`] is a corpus stage (`presswatch_model::CorpusStage`) over a
//! [`StoryIndexRead`]: each new document, in publication order within its batch (arrival order
//! where undated), joins the most similar story the index nominates, or opens a new one; a
//! document similar enough to two stories merges them (recorded as a `StoryMerge`). Nothing is
//! recomputed over the corpus: the stage reads the stories' centroids, the rolling document
//! frequencies and the postings of the index, and returns [`StoryLink`]s that the caller
//! persists with the batch.
//!
//! Similarity, per story: the cosine of the document's TF-IDF vector (title and lead; the
//! vocabulary's document frequencies roll as documents arrive) with the story's centroid,
//! blended with the cosine of their entity ids and numbers (the language-independent part:
//! entity ids are derived from transliterated name keys, so "Путин" and "Putin" agree, and
//! "2,000" or "24" read the same in every language), times a decay in the days between the
//! document and the story's dated members. A copy (a provenance link to an earlier document)
//! always joins its source's story.
//!
//! Not for: topics (a story is one event over days, not a theme over months), or exact
//! duplicate detection (that is provenance).
//!
//! ```
//! use presswatch_model::CorpusStage;
//! use presswatch_stories::{StoriesStage, StoryMemory};
//! # use presswatch_model::*;
//! # fn article(id: u64, title: &str, text: &str) -> ArticleRecord {
//! #     let mut a = ArticleRecord::new("x".into(), ContentHash::of(&id.to_le_bytes()), Format::Text,
//! #         Article::default());
//! #     a.id = DocId::from_u64(id); a.meta.title = Some(title.into()); a.text = text.into(); a
//! # }
//! let stage = StoriesStage::default();
//! let mut memory = StoryMemory::default();
//! let a = article(1, "Blinken and Lavrov meet in Geneva", "Talks on Ukraine in Geneva ended without a breakthrough.");
//! let b = article(2, "Lavrov, Blinken hold Geneva talks", "The Geneva talks on Ukraine brought no breakthrough.");
//! let batch = [&a, &b];
//! let prepared = batch.iter().map(|x| stage.prepare_article(x)).collect();
//! let links = stage.run(&memory, &batch, prepared).unwrap();
//! memory.apply(&links);
//! assert_eq!(links[1].story, links[0].story);
//! ```

mod background;
mod features;
mod memory;
mod stage;

pub use features::{features, key_hash, Features};
pub use memory::StoryMemory;
pub use presswatch_model::{StoryIndexRead, StoryLink, StoryMerge, StoryState};
pub use stage::StoriesStage;

/// The stage's parameters. Each default was chosen on the `dev` split of `bench/stories`
/// (`presswatch-bench stories --split dev --sweep`; the grid is kept in
/// `bench/stories/dev-sweep.txt`), then fixed before the `test` split was scored. Figures below
/// are dev B-cubed F1 / pairwise F1 with the other parameters at their defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// How many times a title word counts against a lead word: 1 (0.927 / 0.860); 2 gave
    /// 0.925 / 0.853 at the same threshold.
    pub title_weight: f32,
    /// How much of the text is read, in characters: the lead, 1500 (about 250 words, the first
    /// three or four paragraphs of a news report). The held-out set and bench/stories are leads
    /// already (bench/stories: 47 of 3,107 documents are longer than 700 characters), so this
    /// only bounds long articles, whose later paragraphs are background: dev 0.934 / 0.873 at
    /// 700, 1000, 1500 and 2000 alike. Chosen on the seeds, the only long articles we have:
    /// at 700, seed 001's lead is the Biden administration, Afghanistan and the G7, and Russia,
    /// Ukraine and NATO come after it.
    pub lead_chars: usize,
    /// The share of similarity from entities and numbers (the cross-language signal) when both
    /// sides have some: 0.1 (0.927 / 0.860); 0 gave 0.930 / 0.865, 0.2 0.907 / 0.811, 0.3
    /// 0.877 / 0.649. Kept above 0 for stories told in several languages, which the English
    /// corpus cannot measure.
    pub entity_weight: f32,
    /// Days between a document and a story's dated members before similarity decays: 2 with
    /// `decay_days` 4 (0.927 / 0.860); 0 and 2 gave 0.900 / 0.808, 1 and 3 0.924 / 0.853, 3
    /// and 7 the same as 2 and 4, no decay at all 0.925 / 0.837.
    pub grace_days: f32,
    /// The e-folding time of the decay past the grace, in days (see `grace_days`).
    pub decay_days: f32,
    /// How many documents of everyday language the background word frequencies count as
    /// (`background`): each term's document frequency is the corpus's plus this many times the
    /// share of documents its word is expected in, over the corpus's size plus this many. So in
    /// a corpus of a few articles "Ukraine" outweighs "testament"; in a big one the corpus's own
    /// frequencies decide. 1000 (dev 0.934 / 0.872, test 0.927 / 0.831); 0 (none) gave 0.927 /
    /// 0.860 on dev (test 0.927 / 0.834), 100 0.929 / 0.863, 10000 0.932 / 0.866; the join
    /// threshold stays best at 0.2 with it.
    pub background_docs: f32,
    /// The similarity at or above which a document joins a story: 0.2 (0.927 / 0.860); 0.15
    /// gave 0.923 / 0.840, 0.25 0.918 / 0.847, 0.3 0.892 / 0.797.
    pub join_threshold: f32,
    /// The similarity to two stories at or above which a document merges them: 0.4 (0.927 /
    /// 0.860); 0.3 gave 0.931 / 0.858 (more merges, less precision: P 0.976 against 0.982),
    /// 0.5 and never 0.926 / 0.858.
    pub merge_threshold: f32,
    /// The document's heaviest terms used to nominate stories, and posted for its story. With
    /// `key_entities`, `postings_per_key` and `candidates`: what bounds the work per document
    /// (at most 16 posting reads and 32 story states); not tuned.
    pub key_terms: usize,
    /// The same for entities and numbers.
    pub key_entities: usize,
    /// Most recently posted stories read per key.
    pub postings_per_key: usize,
    /// Nominated stories scored per document (by shared key weight).
    pub candidates: usize,
    /// Terms kept in a story's centroid (bounds a story's stored state); not tuned.
    pub centroid_terms: usize,
    /// Entities and numbers kept in a story's centroid.
    pub centroid_entities: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            title_weight: 1.0,
            lead_chars: 1500,
            entity_weight: 0.1,
            grace_days: 2.0,
            decay_days: 4.0,
            background_docs: 1000.0,
            join_threshold: 0.2,
            merge_threshold: 0.4,
            key_terms: 10,
            key_entities: 6,
            postings_per_key: 24,
            candidates: 32,
            centroid_terms: 100,
            centroid_entities: 40,
        }
    }
}
