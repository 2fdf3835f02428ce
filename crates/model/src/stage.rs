//! The two kinds of stage, as interfaces.
//!
//! - A [`DocumentStage`] is a pure function of one article: no I/O, no state kept between calls,
//!   no store. Documents can go through it in any order, on any machine (a CLI, a server, a Spark
//!   executor), and the result is the same. Decoding, extraction, cleaning and language
//!   identification are per-document; so will entities and quotes be.
//! - A [`CorpusStage`] needs the documents seen before: it reads them through an index, runs over
//!   batches in order, and returns what the caller must persist before the next batch. It
//!   records its decisions beside the articles (links, flags, layers) and never rewrites an
//!   article: offsets into `text` are fixed once the per-document pipeline has run. Provenance
//!   is one; stories and entity resolution will be.

use crate::{Article, ArticleRecord};

/// A per-document stage that enriches a clean article (language now; entities and quotes next).
///
/// `presswatch_pipeline::process` runs the registered stages in order after `clean`. A stage may
/// add to the article but must not change its blocks' text, which every offset depends on.
pub trait DocumentStage: Sync {
    /// A short name, for logs and benchmarks.
    fn name(&self) -> &'static str;

    /// Adds what the stage derives from the article to it.
    fn apply(&self, article: &mut Article);
}

/// A corpus stage: a batch of new articles in, what to persist for them out, reading everything
/// earlier through an index of type `I`.
///
/// Its work is split in two: [`CorpusStage::prepare`] is the per-document part (pure, run in
/// parallel, or on another machine), [`CorpusStage::run`] the ordered part against the index.
pub trait CorpusStage<I: ?Sized>: Sync {
    /// What [`CorpusStage::prepare`] computes for one article.
    type Prepared: Send;
    /// What the caller persists for each new article (in the batch's transaction).
    type Output;
    /// What reading the index can fail with.
    type Error: std::error::Error + Send + Sync + 'static;

    /// A short name, for logs and benchmarks.
    fn name(&self) -> &'static str;

    /// The per-document part of the stage: pure, any order, any thread.
    fn prepare(&self, article: &ArticleRecord) -> Self::Prepared;

    /// Runs the stage on `batch`, against `index` (everything persisted before this batch).
    /// `prepared[i]` is `prepare(&batch[i])`. The articles are read, never changed.
    fn run(
        &self,
        index: &I,
        batch: &[&ArticleRecord],
        prepared: Vec<Self::Prepared>,
    ) -> Result<Vec<Self::Output>, Self::Error>;
}
