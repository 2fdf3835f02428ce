//! Full-text search over the stored articles: the request and result types, the two search
//! traits ([`StoreSearch`], [`SearchWrite`]) and the tantivy index both stores use.
//!
//! The index holds, per article: its id (a `u64` fast field, never shown), `title`, `text`,
//! `author` and `entity` as words (tokens split on anything not a letter or digit, lowercased
//! and folded to ASCII where a Latin letter has an ASCII base: `Zürich` finds `zurich`; no
//! stemming, so `talks` does not find `talk`), `outlet`, `language`, `published` (the day, as
//! `YYYY-MM-DD`, so a range of days is a range of terms) and `story` as keywords (the whole
//! value, lowercased), and one hierarchical facet field for the counts: `/outlet/X`,
//! `/language/X`, `/month/YYYY-MM`, `/day/YYYY-MM-DD`, `/copies/yes|no`, `/story/X`,
//! `/entity/X`. Nothing is stored in it but that: hits are read back from the store, and
//! snippets are cut from the stored text.
//!
//! Consistency with the store: the store numbers its changes (its *generation*, one more per
//! article written, per link added or removed and per document placed in or moved to a story,
//! each change naming the document it touched),
//! and the index records in its commit the generation it holds. A store with a persistent index
//! commits its own write first and the index after, so a crash between the two leaves an index
//! that is behind, which [`SearchStatus`] shows and [`SearchWrite::sync_search`] (run on every
//! open that may write) brings up to date from the store's change list.

use crate::StoreError;
use chrono::NaiveDate;
use presswatch_model::{ArticleRecord, DocId, Language, Outlet, Published};
use std::collections::HashSet;
use std::ops::Bound;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Subdirectory of a store directory holding its search index.
pub const SEARCH_DIR: &str = "search";

/// Version of the index layout (fields, tokenizers, facets). An index of another layout is
/// rebuilt from the store when a handle that may write opens it.
const LAYOUT: u32 = 1;

/// Memory the index writer may fill before it writes a segment.
const WRITER_MEMORY: usize = 64 << 20;

/// Characters of text a snippet shows at most.
const SNIPPET_CHARS: usize = 200;

const WORDS: &str = "presswatch_words";
const KEYWORD: &str = "presswatch_keyword";

/// A field whose values [`SearchResults::facets`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FacetField {
    /// Who published the article.
    Outlet,
    /// The language of the article's text.
    Language,
    /// The month it was published (`YYYY-MM`): a histogram, in time order.
    Month,
    /// The day it was published (`YYYY-MM-DD`): a histogram, in time order.
    Day,
    /// `yes` when the article has a provenance link (it copies another stored article, another
    /// copies it, or they are duplicates), `no` otherwise.
    Copies,
    /// The story the article belongs to (its id; merges followed).
    Story,
    /// The entities the article names (filled once entities are stored).
    Entity,
}

impl FacetField {
    /// Every facet, in the order results list them.
    pub const ALL: [FacetField; 7] = [
        FacetField::Outlet,
        FacetField::Language,
        FacetField::Month,
        FacetField::Day,
        FacetField::Copies,
        FacetField::Story,
        FacetField::Entity,
    ];

    /// The facet's name, as given to `--facet` and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FacetField::Outlet => "outlet",
            FacetField::Language => "language",
            FacetField::Month => "month",
            FacetField::Day => "day",
            FacetField::Copies => "copies",
            FacetField::Story => "story",
            FacetField::Entity => "entity",
        }
    }

    /// The facet named `name` (any case), if there is one.
    pub fn parse(name: &str) -> Option<FacetField> {
        Self::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// Whether its counts are a histogram over time (listed in time order, all of them) rather
    /// than categories (listed most frequent first, the top ones).
    pub fn is_histogram(self) -> bool {
        matches!(self, FacetField::Month | FacetField::Day)
    }
}

/// What to search for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// The query: words (all must match), `"phrases"`, `AND`/`OR`/`NOT`, `+must`/`-mustnot`,
    /// `(groups)`, and `field:value` for `title`, `text`, `author`, `outlet`, `language`,
    /// `published` (a day, or a range `published:[2021-12-01 TO 2022-01-31]`), `story` and
    /// `entity`. Empty or `*`: every article (for facet counts).
    pub query: String,
    /// Only articles published on or after this day.
    pub since: Option<NaiveDate>,
    /// Only articles published on or before this day.
    pub until: Option<NaiveDate>,
    /// How many hits to return, best first.
    pub limit: usize,
    /// Which facets to count over all matching articles.
    pub facets: Vec<FacetField>,
    /// How many values of a category facet to list (histograms list all).
    pub facet_top: usize,
}

impl SearchRequest {
    /// A request for `query`: the 10 best hits, no facets, no date bounds.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            since: None,
            until: None,
            limit: 10,
            facets: Vec::new(),
            facet_top: 20,
        }
    }
}

/// A piece of an article's text around the words that matched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The piece of text.
    pub text: String,
    /// The matched words in it: character offsets `(start, end)` into `text`, in order.
    pub highlights: Vec<(usize, usize)>,
}

/// One matching article.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The article's id.
    pub id: DocId,
    /// Its relevance (BM25; higher is better).
    pub score: f32,
    /// Its title.
    pub title: Option<String>,
    /// Who published it.
    pub outlet: Option<Outlet>,
    /// When.
    pub published: Option<Published>,
    /// Its language.
    pub language: Option<Language>,
    /// The best piece of its text for the query (the text's start when only other fields
    /// matched).
    pub snippet: Snippet,
}

/// The counts of one facet over every matching article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCounts {
    /// Which facet.
    pub field: FacetField,
    /// Value and how many matching articles have it: most frequent first (ties by value), or
    /// in time order for histograms.
    pub counts: Vec<(String, u64)>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// How many articles match.
    pub total: u64,
    /// The best of them, best first.
    pub hits: Vec<SearchHit>,
    /// The counts of each requested facet, in the order requested.
    pub facets: Vec<FacetCounts>,
}

/// What the search index holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexState {
    /// The store generation it was last brought up to.
    pub generation: u64,
    /// Articles in it.
    pub documents: u64,
}

/// The search index against the store: whether they agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchStatus {
    /// The store's generation: how many changes to articles and links it has numbered.
    pub store_generation: u64,
    /// Articles in the store.
    pub store_articles: u64,
    /// The index, `None` when there is none (or it cannot be read, or has another layout).
    pub index: Option<IndexState>,
}

impl SearchStatus {
    /// Whether the index holds exactly the store's articles as of its latest change.
    pub fn in_step(&self) -> bool {
        self.index
            .is_some_and(|i| i.generation == self.store_generation && i.documents == self.store_articles)
    }

    /// Whether the index is only behind the store (what a crash between the store's commit
    /// and the index's leaves): the next handle opened for writing catches it up, so it is not
    /// damage.
    pub fn is_behind(&self) -> bool {
        self.index.is_some_and(|i| i.generation < self.store_generation)
    }

    /// In words, for `stats` and `check`: in step, or how they disagree and what repairs it.
    pub fn describe(&self) -> String {
        match self.index {
            None => "no readable search index; run presswatch reindex".into(),
            Some(i) if self.in_step() => {
                format!("in step with the store (generation {}, {} articles)", i.generation, i.documents)
            }
            Some(i) => format!(
                "out of step with the store: index at generation {} with {} articles, store at \
                 generation {} with {} articles; opening the store for writing (any ingest) \
                 catches it up, presswatch reindex rebuilds it",
                i.generation, i.documents, self.store_generation, self.store_articles
            ),
        }
    }
}

/// Searching a store: the read side, like [`crate::StoreRead`] (and kept apart from it so that a
/// backend with its own full-text engine, PostgreSQL's say, implements it its own way).
pub trait StoreSearch: Send + Sync {
    /// Runs `request` against the search index.
    /// [`StoreError::InvalidQuery`] when the query does not parse.
    fn search(&self, request: &SearchRequest) -> Result<SearchResults, StoreError>;

    /// The index against the store ([`SearchStatus::in_step`]).
    fn search_status(&self) -> Result<SearchStatus, StoreError>;
}

/// Keeping the search index in step: the write side. Stores keep it in step on every write
/// themselves; these repair it.
pub trait SearchWrite {
    /// Brings the index up to the store's generation from the store's change list (what a
    /// crash between the store's commit and the index's left behind). Returns how many
    /// articles were indexed again.
    fn sync_search(&mut self) -> Result<u64, StoreError>;

    /// Rebuilds the index from every stored article, replacing it whole at the end (a crash
    /// before leaves the old one). `progress(done, total)` is called as articles are indexed.
    /// Returns how many were indexed.
    fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError>;
}

/// Runs `f`, turning a panic into an error: tantivy panics on some damaged files (a segment
/// file shorter than its footer), and a damaged derived index must not take presswatch down.
fn guarded<T>(context: &'static str, f: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(StoreError::Database {
            context,
            source: "the search index is damaged (its reader panicked); run presswatch reindex".into(),
        })
    })
}

/// A tantivy error as a store error.
pub(crate) fn tantivy_error(
    context: &'static str,
    e: impl std::error::Error + Send + Sync + 'static,
) -> StoreError {
    StoreError::Database { context, source: Box::new(e) }
}

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    doc: Field,
    title: Field,
    text: Field,
    author: Field,
    outlet: Field,
    language: Field,
    published: Field,
    entity: Field,
    story: Field,
    facets: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let keyword = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(KEYWORD).set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        doc: b.add_u64_field("doc", INDEXED | FAST),
        title: b.add_text_field("title", words.clone()),
        text: b.add_text_field("text", words.clone()),
        author: b.add_text_field("author", words.clone()),
        outlet: b.add_text_field("outlet", keyword.clone()),
        language: b.add_text_field("language", keyword.clone()),
        published: b.add_text_field("published", keyword.clone()),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        entity: b.add_text_field("entity", words),
        story: b.add_text_field("story", keyword),
    };
    (b.build(), fields)
}

fn register_tokenizers(index: &Index) {
    let words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let keyword =
        TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build();
    index.tokenizers().register(WORDS, words);
    index.tokenizers().register(KEYWORD, keyword);
}

/// The commit payload recording the generation an index holds.
fn payload(generation: u64) -> String {
    format!("presswatch-search layout {LAYOUT} generation {generation}")
}

fn parse_payload(payload: &str) -> Option<u64> {
    let rest = payload.strip_prefix("presswatch-search layout ")?;
    let (layout, generation) = rest.split_once(" generation ")?;
    (layout.parse::<u32>().ok()? == LAYOUT).then_some(())?;
    generation.parse().ok()
}

/// What an index document needs beyond the article: what the corpus says of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Related {
    /// Whether it has a provenance link (it copies, is copied or is a duplicate).
    pub(crate) linked: bool,
    /// Its story (the story's id: the document that opened it; merges already followed).
    pub(crate) story: Option<DocId>,
}

/// One article as an index document.
fn document(fields: &Fields, article: &ArticleRecord, related: Related) -> TantivyDocument {
    let linked = related.linked;
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.doc, u64::from(article.id));
    let meta = &article.meta;
    if let Some(title) = &meta.title {
        doc.add_text(fields.title, title);
    }
    doc.add_text(fields.text, &article.text);
    for author in &meta.authors {
        doc.add_text(fields.author, author);
    }
    if let Some(outlet) = &meta.outlet {
        doc.add_text(fields.outlet, outlet.as_str());
        doc.add_facet(fields.facets, Facet::from_path(["outlet", outlet.as_str()]));
    }
    if let Some(language) = &meta.language {
        doc.add_text(fields.language, language.as_str());
        doc.add_facet(fields.facets, Facet::from_path(["language", language.as_str()]));
    }
    if let Some(published) = &meta.published {
        let day = published.day();
        doc.add_text(fields.published, day.format("%Y-%m-%d").to_string());
        doc.add_facet(
            fields.facets,
            Facet::from_path(["month".to_string(), day.format("%Y-%m").to_string()]),
        );
        doc.add_facet(
            fields.facets,
            Facet::from_path(["day".to_string(), day.format("%Y-%m-%d").to_string()]),
        );
    }
    doc.add_facet(fields.facets, Facet::from_path(["copies", if linked { "yes" } else { "no" }]));
    if let Some(story) = related.story {
        let id = story.to_string();
        doc.add_text(fields.story, &id);
        doc.add_facet(fields.facets, Facet::from_path(["story", id.as_str()]));
    }
    // By name: the entities stage writes Kiev as Kyiv and strips titles, so one entity has one
    // name in most documents (ids become canonical only when read).
    for entity in &article.entities {
        doc.add_text(fields.entity, &entity.name);
        doc.add_facet(fields.facets, Facet::from_path(["entity", entity.name.as_str()]));
    }
    doc
}

/// A tantivy index with its fields and reader; the writer is taken on the first write.
pub(crate) struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: parking_lot::Mutex<Option<IndexWriter>>,
    /// `meta.json` of an index on disk, and its (modified, length) when the reader last
    /// reloaded: a search reloads only when another commit changed it.
    meta: Option<std::path::PathBuf>,
    seen: parking_lot::Mutex<Option<(std::time::SystemTime, u64)>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl Drop for SearchIndex {
    fn drop(&mut self) {
        // Let running merges finish, so many small segments do not pile up across runs.
        if let Some(writer) = self.writer.get_mut().take() {
            finish(writer);
        }
    }
}

impl SearchIndex {
    fn wrap(index: Index) -> Result<SearchIndex, StoreError> {
        let (_, fields) = schema();
        register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| tantivy_error("opening the search index reader", e))?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer: parking_lot::Mutex::new(None),
            meta: None,
            seen: parking_lot::Mutex::new(None),
        })
    }

    fn on_disk(mut self, dir: &std::path::Path) -> SearchIndex {
        self.meta = Some(dir.join("meta.json"));
        self
    }

    /// Reloads the reader if a commit changed the index since it last did (always, in memory).
    fn reload(&self) -> Result<(), StoreError> {
        if let Some(meta) = &self.meta {
            let stamp = std::fs::metadata(meta).ok().and_then(|m| Some((m.modified().ok()?, m.len())));
            let mut seen = self.seen.lock();
            if stamp.is_some() && *seen == stamp {
                return Ok(());
            }
            *seen = stamp;
        }
        self.reader.reload().map_err(|e| tantivy_error("reloading the search index", e))
    }

    /// An empty index in memory.
    pub(crate) fn in_ram() -> Result<SearchIndex, StoreError> {
        Self::wrap(Index::create_in_ram(schema().0))
    }

    /// The index in `dir`, created empty if there is none. With `writable`, an index that
    /// cannot be opened or has another schema is replaced by an empty one (it is derived: the
    /// caller rebuilds it from the store); without, that is an error.
    pub(crate) fn open(dir: &std::path::Path, writable: bool) -> Result<SearchIndex, StoreError> {
        let io = |action: &'static str| {
            let path = dir.to_path_buf();
            move |source| StoreError::Io { action, path, source }
        };
        let expected = schema().0;
        if dir.join("meta.json").is_file() {
            let opened = guarded("opening the search index", || {
                let index =
                    Index::open_in_dir(dir).map_err(|e| tantivy_error("opening the search index", e))?;
                if index.schema() != expected {
                    return Ok(None);
                }
                let wrapped = match Self::wrap(index) {
                    Ok(wrapped) => wrapped,
                    // Read-only media: tantivy's reader wants to create a lock file to read.
                    Err(_) if !writable => {
                        let directory = ReadOnlyDirectory::open(dir)?;
                        Self::wrap(
                            Index::open(directory)
                                .map_err(|e| tantivy_error("opening the search index", e))?,
                        )?
                    }
                    Err(e) => return Err(e),
                };
                // Reading every segment's files now finds damage here, not in a later search.
                wrapped.reader.searcher().num_docs();
                Ok(Some(wrapped))
            });
            match opened {
                Ok(Some(index)) => return Ok(index.on_disk(dir)),
                Ok(None) if !writable => {
                    return Err(StoreError::Database {
                        context: "opening the search index",
                        source: "the index has another layout; run presswatch reindex".into(),
                    })
                }
                Err(e) if !writable => return Err(e),
                Ok(_) => tracing::warn!("search index has another layout: rebuilding it"),
                Err(e) => tracing::warn!(error = %e, "search index unreadable: rebuilding it"),
            }
            std::fs::remove_dir_all(dir).map_err(io("remove the unreadable search index"))?;
        } else if !writable {
            return Err(StoreError::Io {
                action: "open search index",
                path: dir.to_path_buf(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        std::fs::create_dir_all(dir).map_err(io("create search index directory"))?;
        let index =
            Index::create_in_dir(dir, expected).map_err(|e| tantivy_error("creating the search index", e))?;
        Ok(Self::wrap(index)?.on_disk(dir))
    }

    /// The generation and size of the index as last committed (by any process).
    pub(crate) fn state(&self) -> Result<Option<IndexState>, StoreError> {
        guarded("reading the search index", || self.state_unguarded())
    }

    fn state_unguarded(&self) -> Result<Option<IndexState>, StoreError> {
        let Some(generation) = committed_generation(&self.index)? else {
            // Never committed, or by another layout: holds nothing this build can trust.
            return Ok(None);
        };
        self.reader.reload().map_err(|e| tantivy_error("reloading the search index", e))?;
        Ok(Some(IndexState { generation, documents: self.reader.searcher().num_docs() }))
    }

    /// Runs `f` with the writer, taking it first if this handle does not hold it yet.
    /// [`StoreError::Database`] if another handle holds it.
    fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter, &Fields) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut slot = self.writer.lock();
        if slot.is_none() {
            let writer = self
                .index
                .writer_with_num_threads(1, WRITER_MEMORY)
                .map_err(|e| tantivy_error("taking the search index writer", e))?;
            *slot = Some(writer);
        }
        match slot.as_mut() {
            Some(writer) => f(writer, &self.fields),
            None => Err(StoreError::Rebuild("search index writer lost")),
        }
    }

    /// Brings the index up to `source`'s generation: the documents changed since the
    /// generation it holds are indexed again, or (`full`, no usable index, an index ahead of
    /// the store, or too many changes) every article is. Commits once, at the end, recording
    /// the generation; on any error nothing of it is kept. `progress(done, total)` is called as
    /// a full rebuild goes. Returns how many articles were indexed.
    ///
    /// The writer is taken only when there is something to do, and with `release` given back
    /// afterwards (a handle that only opened the store must not keep other handles from
    /// writing the index); otherwise kept for the next write.
    pub(crate) fn sync(
        &self,
        source: &dyn SearchSource,
        full: bool,
        release: bool,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, StoreError> {
        let result = guarded("updating the search index", || {
            if !full
                && self.writer.lock().is_none()
                && committed_generation(&self.index)? == Some(source.generation()?)
            {
                return Ok(0);
            }
            let indexed = self.with_writer(|writer, fields| {
                let result = sync_with(&self.index, writer, fields, source, full, progress);
                if result.is_err() {
                    // The writer outlives this call: what it was given must not reach a later commit.
                    if let Err(e) = writer.rollback() {
                        tracing::warn!(error = %e, "search index: rolling back a failed update failed");
                    }
                }
                result
            });
            if release {
                if let Some(writer) = self.writer.lock().take() {
                    finish(writer);
                }
            }
            let indexed = indexed?;
            self.reader.reload().map_err(|e| tantivy_error("reloading the search index", e))?;
            Ok(indexed)
        });
        if result.is_err() {
            // A writer that failed (or panicked) midway is not trusted with the next write.
            if let Some(mut writer) = self.writer.lock().take() {
                let _ = writer.rollback();
            }
        }
        result
    }

    /// Runs `request`; `article_of` reads a hit's article back from the store (for its fields
    /// and snippet). A hit whose article is gone is left out.
    pub(crate) fn search(
        &self,
        request: &SearchRequest,
        article_of: &dyn Fn(DocId) -> Result<Option<ArticleRecord>, StoreError>,
    ) -> Result<SearchResults, StoreError> {
        guarded("searching", || self.search_unguarded(request, article_of))
    }

    fn search_unguarded(
        &self,
        request: &SearchRequest,
        article_of: &dyn Fn(DocId) -> Result<Option<ArticleRecord>, StoreError>,
    ) -> Result<SearchResults, StoreError> {
        self.reload()?;
        let searcher = self.reader.searcher();
        let fields = &self.fields;
        let query = self.parse(request)?;

        let mut facets: Vec<FacetField> = Vec::new();
        for f in &request.facets {
            if !facets.contains(f) {
                facets.push(*f);
            }
        }
        let mut facet_collector = FacetCollector::for_field("facets");
        for f in &facets {
            facet_collector.add_facet(Facet::from_path([f.as_str()]));
        }
        let top = TopDocs::with_limit(request.limit.max(1)).order_by_score();
        let (top, total, facet_counts) = if facets.is_empty() {
            // Apart, the top hits skip documents that cannot make the top (block-max WAND) and
            // the count scores nothing; together every match would be scored.
            let top = searcher.search(&*query, &top).map_err(|e| tantivy_error("searching", e))?;
            let total = query.count(&searcher).map_err(|e| tantivy_error("counting matches", e))?;
            (top, total, None)
        } else {
            let (top, total, counts) = searcher
                .search(&*query, &(top, Count, facet_collector))
                .map_err(|e| tantivy_error("searching", e))?;
            (top, total, Some(counts))
        };

        let mut snippets = SnippetGenerator::create(&searcher, &*query, fields.text)
            .map_err(|e| tantivy_error("preparing snippets", e))?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(top.len().min(request.limit));
        for (score, address) in top.into_iter().take(request.limit) {
            let reader = searcher.segment_reader(address.segment_ord);
            let column =
                reader.fast_fields().u64("doc").map_err(|e| tantivy_error("reading a hit's id", e))?;
            let Some(id) = column.first(address.doc_id) else { continue };
            let id = DocId::from(id);
            let Some(article) = article_of(id)? else {
                tracing::warn!(%id, "search hit not in the store: the search index is out of step");
                continue;
            };
            let snippet = snippet_of(&snippets, &article.text);
            hits.push(SearchHit {
                id,
                score,
                title: article.meta.title,
                outlet: article.meta.outlet,
                published: article.meta.published,
                language: article.meta.language,
                snippet,
            });
        }
        let Some(facet_counts) = facet_counts else {
            return Ok(SearchResults { total: total as u64, hits, facets: Vec::new() });
        };
        let facets = facets
            .into_iter()
            .map(|field| {
                let root = Facet::from_path([field.as_str()]);
                let mut counts: Vec<(String, u64)> = facet_counts
                    .get(root)
                    .map(|(facet, n)| (facet.to_path().last().map(|s| s.to_string()).unwrap_or_default(), n))
                    .collect();
                if field.is_histogram() {
                    counts.sort();
                } else {
                    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    counts.truncate(request.facet_top);
                }
                FacetCounts { field, counts }
            })
            .collect();
        Ok(SearchResults { total: total as u64, hits, facets })
    }

    /// The query of `request`: its parsed text, restricted to its days.
    fn parse(&self, request: &SearchRequest) -> Result<Box<dyn Query>, StoreError> {
        let fields = &self.fields;
        let text = request.query.trim();
        let mut query: Box<dyn Query> = if text.is_empty() || text == "*" {
            Box::new(AllQuery)
        } else {
            let mut parser = QueryParser::for_index(&self.index, vec![fields.title, fields.text]);
            parser.set_conjunction_by_default();
            parser.set_field_boost(fields.title, 2.0);
            parser
                .parse_query(&and_not_as_minus(text))
                .map_err(|e| StoreError::InvalidQuery { query: text.to_string(), detail: e.to_string() })?
        };
        if request.since.is_some() || request.until.is_some() {
            let day =
                |d: NaiveDate| Term::from_field_text(fields.published, &d.format("%Y-%m-%d").to_string());
            // Every day sorts between "0000-00-00" and "9999-99-99", and articles with no date
            // have no term: an open bound still requires a date.
            let lower =
                request.since.map_or(Bound::Included(Term::from_field_text(fields.published, "0")), |d| {
                    Bound::Included(day(d))
                });
            let upper =
                request.until.map_or(Bound::Included(Term::from_field_text(fields.published, "a")), |d| {
                    Bound::Included(day(d))
                });
            let range: Box<dyn Query> = Box::new(RangeQuery::new(lower, upper));
            query = Box::new(BooleanQuery::new(vec![(Occur::Must, query), (Occur::Must, range)]));
        }
        Ok(query)
    }
}

/// Above this many changed documents a sync rebuilds the whole index rather than replacing
/// them one by one (a reprocess changes every article).
const REBUILD_AT: usize = 50_000;

/// Where a persistent index reads the store's articles from (the store implements it).
pub(crate) trait SearchSource {
    /// The store's generation now.
    fn generation(&self) -> Result<u64, StoreError>;
    /// The store's generation and the documents changed after generation `since`, read in
    /// one snapshot.
    fn changes_since(&self, since: u64) -> Result<(u64, Vec<DocId>), StoreError>;
    /// A document's article, if stored, and what the corpus says of it.
    fn current(&self, id: DocId) -> Result<Option<(ArticleRecord, Related)>, StoreError>;
    /// How many articles are stored.
    fn article_count(&self) -> Result<u64, StoreError>;
    /// In one snapshot: sets `generation` to the store's, then calls `f` on every article with
    /// what the corpus says of it.
    fn walk(
        &self,
        generation: &mut u64,
        f: &mut dyn FnMut(&ArticleRecord, Related) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
}

fn committed_generation(index: &Index) -> Result<Option<u64>, StoreError> {
    let metas = index.load_metas().map_err(|e| tantivy_error("reading the search index", e))?;
    Ok(metas.payload.as_deref().and_then(parse_payload))
}

fn sync_with(
    index: &Index,
    writer: &mut IndexWriter,
    fields: &Fields,
    source: &dyn SearchSource,
    full: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, StoreError> {
    // Read under the writer's lock: no other handle commits between this and our commit.
    let committed = committed_generation(index)?;
    if let (Some(committed), false) = (committed, full) {
        let (generation, changed) = source.changes_since(committed)?;
        if generation == committed {
            return Ok(0);
        }
        if generation > committed && changed.len() <= REBUILD_AT {
            let mut indexed = 0;
            for id in distinct_ids(changed) {
                writer.delete_term(Term::from_field_u64(fields.doc, u64::from(id)));
                if let Some((article, related)) = source.current(id)? {
                    writer
                        .add_document(document(fields, &article, related))
                        .map_err(|e| tantivy_error("indexing an article", e))?;
                    indexed += 1;
                }
            }
            commit(writer, generation)?;
            return Ok(indexed);
        }
        if generation < committed {
            tracing::warn!(committed, generation, "search index is ahead of the store: rebuilding it");
        }
    }
    let total = source.article_count()?;
    writer.delete_all_documents().map_err(|e| tantivy_error("clearing the search index", e))?;
    let mut generation = 0;
    let mut indexed = 0u64;
    source.walk(&mut generation, &mut |article, related| {
        writer
            .add_document(document(fields, article, related))
            .map_err(|e| tantivy_error("indexing an article", e))?;
        indexed += 1;
        if indexed.is_multiple_of(1000) {
            progress(indexed, total);
        }
        Ok(())
    })?;
    commit(writer, generation)?;
    progress(indexed, total.max(indexed));
    Ok(indexed)
}

/// `a AND NOT b` as `a -b`: the query grammar reads `AND NOT b` as a clause holding only an
/// exclusion, which matches nothing, so the conjunction would match nothing either. Phrases
/// (between double quotes) are left alone.
fn and_not_as_minus(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut rest = query;
    let mut in_phrase = false;
    let mut at_word_start = true;
    while let Some(c) = rest.chars().next() {
        if !in_phrase && at_word_start {
            let mut words = rest.split_whitespace();
            if let (Some("AND"), Some("NOT")) = (words.next(), words.next()) {
                let after_not = rest.find("NOT").map_or(rest.len(), |i| i + 3);
                rest = rest[after_not..].trim_start();
                out.push('-');
                continue;
            }
        }
        if c == '"' {
            in_phrase = !in_phrase;
        }
        at_word_start = c.is_whitespace() || c == '(';
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The index's directory for reading only, where no file can be created (read-only media):
/// locks are not taken (nobody can write there to race with) and writes fail.
#[derive(Debug, Clone)]
struct ReadOnlyDirectory(tantivy::directory::MmapDirectory);

impl ReadOnlyDirectory {
    fn open(dir: &std::path::Path) -> Result<ReadOnlyDirectory, StoreError> {
        tantivy::directory::MmapDirectory::open(dir)
            .map(ReadOnlyDirectory)
            .map_err(|e| tantivy_error("opening the search index read-only", e))
    }
}

fn read_only(path: &std::path::Path) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::PermissionDenied, format!("{} is read-only", path.display()))
}

impl tantivy::Directory for ReadOnlyDirectory {
    fn get_file_handle(
        &self,
        path: &std::path::Path,
    ) -> Result<std::sync::Arc<dyn tantivy::directory::FileHandle>, tantivy::directory::error::OpenReadError>
    {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &std::path::Path) -> Result<(), tantivy::directory::error::DeleteError> {
        Err(tantivy::directory::error::DeleteError::IoError {
            io_error: std::sync::Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &std::path::Path) -> Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(
        &self,
        path: &std::path::Path,
    ) -> Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError> {
        Err(tantivy::directory::error::OpenWriteError::wrap_io_error(read_only(path), path.to_path_buf()))
    }

    fn atomic_read(
        &self,
        path: &std::path::Path,
    ) -> Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &std::path::Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(
        &self,
        _lock: &tantivy::directory::Lock,
    ) -> Result<tantivy::directory::DirectoryLock, tantivy::directory::error::LockError> {
        Ok(tantivy::directory::DirectoryLock::from(Box::new(())))
    }

    fn watch(
        &self,
        callback: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        self.0.watch(callback)
    }
}

/// Gives the writer (and its lock) back once its merges are done, so small segments do not pile
/// up across runs.
fn finish(writer: IndexWriter) {
    if let Err(e) = writer.wait_merging_threads() {
        tracing::warn!(error = %e, "search index: a merge failed");
    }
}

fn commit(writer: &mut IndexWriter, generation: u64) -> Result<(), StoreError> {
    let mut prepared =
        writer.prepare_commit().map_err(|e| tantivy_error("committing the search index", e))?;
    prepared.set_payload(&payload(generation));
    prepared.commit().map_err(|e| tantivy_error("committing the search index", e))?;
    Ok(())
}

/// The snippet of `text`, highlights as character offsets; the text's start when no word of
/// the query is in it.
fn snippet_of(generator: &SnippetGenerator, text: &str) -> Snippet {
    let snippet = generator.snippet(text);
    let fragment = snippet.fragment();
    if fragment.is_empty() {
        let mut lead: String = text.chars().take(SNIPPET_CHARS).collect();
        if lead.len() < text.len() {
            lead.push('…');
        }
        return Snippet { text: lead, highlights: Vec::new() };
    }
    let chars_before = |byte: usize| fragment.get(..byte).map_or(0, |s| s.chars().count());
    let highlights =
        snippet.highlighted().iter().map(|r| (chars_before(r.start), chars_before(r.end))).collect();
    Snippet { text: fragment.to_string(), highlights }
}

/// The ids in `changes` once each, in order of first appearance.
pub(crate) fn distinct_ids(changes: impl IntoIterator<Item = DocId>) -> Vec<DocId> {
    let mut seen = HashSet::new();
    changes.into_iter().filter(|id| seen.insert(*id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips_and_other_layouts_are_refused() {
        assert_eq!(parse_payload(&payload(42)), Some(42));
        assert_eq!(parse_payload("presswatch-search layout 999 generation 4"), None);
        assert_eq!(parse_payload("something else"), None);
    }

    #[test]
    fn and_not_becomes_an_exclusion() {
        assert_eq!(and_not_as_minus("security AND NOT trade"), "security -trade");
        assert_eq!(and_not_as_minus("(a OR b) AND  NOT (c d)"), "(a OR b) -(c d)");
        assert_eq!(and_not_as_minus("\"x AND NOT y\" AND NOT z"), "\"x AND NOT y\" -z");
        assert_eq!(and_not_as_minus("BRAND NOTES"), "BRAND NOTES");
        assert_eq!(and_not_as_minus("AND NOTHING"), "AND NOTHING");
    }

    #[test]
    fn facet_names_parse_in_any_case() {
        for f in FacetField::ALL {
            assert_eq!(FacetField::parse(&f.as_str().to_uppercase()), Some(f));
        }
        assert_eq!(FacetField::parse("colour"), None);
    }
}
