//! The read models: what `show`, `copies`, `dups`, `stats`, `export` and `quotes` present, as typed views.
//! A binary formats them (text, JSON, CSV); a server serializes them.

use crate::linking::{view_one, LinkGraph, Neighbourhood};
use crate::quote_groups::{AlteredView, QuoteGraph};
use crate::AppError;
use presswatch_model::{
    AlignedPassage, ArticleRecord, ArticleView, DerivedFrom, DocId, Outlet, Published, Quote, QuoteId,
};
use presswatch_provenance::diff::word_diff;

/// A piece of a diffed passage (re-exported so callers need not know the provenance crate).
pub use presswatch_provenance::diff::Segment;
use presswatch_store::{Damage, DamageKind, Stats, StoreError, StoreRead};

/// A stored article as read: its corpus fields (`derived_from`, `dup_cluster`,
/// `outlet_boilerplate`, its quotes' groups) from the links around it. `None` if no article
/// matches `id` (an id, sha256 or unique prefix).
pub fn article<S: StoreRead + ?Sized>(store: &S, id: &str) -> Result<Option<ArticleView>, StoreError> {
    let Some(article) = store.article(id)? else { return Ok(None) };
    let mut view = view_one(store, article)?;
    QuoteGraph::around(store, view.article.id)?.fill(&mut view.article);
    Ok(Some(view))
}

/// One source of an article, with the aligned passages side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceView {
    /// The link to the source, as in `derived_from`.
    pub link: DerivedFrom,
    /// The source article.
    pub source: ArticleRecord,
    /// Each evidence passage, in order.
    pub passages: Vec<PassageView>,
}

/// One aligned passage pair, word by word: which words differ between source and copy.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageView {
    /// The character offsets and similarity.
    pub passage: AlignedPassage,
    /// The source's passage, changed words marked.
    pub source: Vec<Segment>,
    /// The article's passage, changed words marked.
    pub copy: Vec<Segment>,
}

/// The sources of `article` (filled by [`article`]) that are still stored, with their aligned
/// passages diffed word by word.
pub fn alignment<S: StoreRead + ?Sized>(
    store: &S,
    article: &ArticleView,
) -> Result<Vec<SourceView>, StoreError> {
    let mut out = Vec::new();
    for d in &article.derived_from {
        let Some(source) = store.article(&d.id.to_string())? else { continue };
        let passages = d
            .evidence
            .iter()
            .map(|p| {
                let left = p.source.slice(&source.text);
                let right = p.copy.slice(&article.article.text);
                let (source, copy) = word_diff(left, right);
                PassageView { passage: *p, source, copy }
            })
            .collect();
        out.push(SourceView { link: d.clone(), source, passages });
    }
    Ok(out)
}

/// Who copied an article: the article (provenance filled) and the documents whose sources
/// include it.
#[derive(Debug, Clone, PartialEq)]
pub struct CopiesView {
    /// The article as read.
    pub article: ArticleView,
    /// Each copy's id and its link to the article, earliest seen first.
    pub copies: Vec<(DocId, DerivedFrom)>,
}

/// The [`CopiesView`] of the article `id`; `None` if no article matches.
pub fn copies<S: StoreRead + ?Sized>(store: &S, id: &str) -> Result<Option<CopiesView>, AppError> {
    let Some(article) = article(store, id)? else { return Ok(None) };
    let doc = article.article.id;
    let hood = Neighbourhood::load(store, doc)?;
    let copies = hood.copies_of(doc);
    Ok(Some(CopiesView { article, copies }))
}

/// A duplicate cluster: documents that are copies of one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The cluster id: the id of its earliest member.
    pub id: DocId,
    /// Member ids, earliest first (the first is `id`).
    pub members: Vec<DocId>,
}

/// Every duplicate cluster, largest first (ties by id).
pub fn dups<S: StoreRead + ?Sized>(store: &S) -> Result<Vec<Cluster>, StoreError> {
    let graph = LinkGraph::load(store)?;
    Ok(graph.clusters().into_iter().map(|(id, members)| Cluster { id, members }).collect())
}

/// The store's counts.
pub fn stats<S: StoreRead + ?Sized>(store: &S) -> Result<Stats, StoreError> {
    store.stats()
}

/// Calls `f` on every article as read, first seen first; the links are read once up front (not
/// per article). Returns how many articles were visited.
pub fn export<S: StoreRead + ?Sized>(
    store: &S,
    f: &mut dyn FnMut(ArticleView) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let graph = LinkGraph::load(store)?;
    let quotes = QuoteGraph::load(store)?;
    store.for_each_article(&mut |mut record| {
        quotes.fill(&mut record);
        f(graph.view(store, record)?)
    })
}

/// Like [`export`], but a row that cannot be read back does not stop the export: `f` gets its
/// [`Damage`] (to report it) and the rest goes on. A damaged article is left out; a damaged
/// link is left out of the articles it joins. An article whose stored outlet-boilerplate spans
/// (`masked`) are unreadable is left out too, reported as a damaged article: a reprocess
/// re-derives both, and an export never shows an article with half its read fields.
pub fn export_or_damage<S: StoreRead + ?Sized>(
    store: &S,
    f: &mut dyn FnMut(Result<ArticleView, Damage>) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let graph = LinkGraph::load_or_damage(store, &mut |damage| f(Err(damage)))?;
    let quotes = QuoteGraph::load(store)?;
    store.for_each_article_or_damage(&mut |record| match record {
        Ok(mut record) => {
            quotes.fill(&mut record);
            let (doc, source) = (record.id, record.source.clone());
            match graph.view(store, record) {
                Ok(view) => f(Ok(view)),
                Err(StoreError::CorruptProvenance { detail, .. }) => f(Err(Damage {
                    kind: DamageKind::Article,
                    doc: Some(doc),
                    source: Some(source),
                    detail: format!("its outlet-boilerplate spans: {detail}"),
                })),
                Err(e) => Err(e),
            }
        }
        Err(damage) => f(Err(damage)),
    })
}

/// Which quotes [`quotes`] lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuoteFilter {
    /// Only quotes whose speaker's name or mention contains this (any case).
    pub speaker: Option<String>,
    /// Only quotes of articles published on or after this day.
    pub since: Option<Published>,
    /// Only appearances that alter their group's first appearance.
    pub altered: bool,
}

/// A quote as listed: the article it is in, and its words and speaker as text.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteView {
    /// The article's id.
    pub article: DocId,
    /// When the article was published.
    pub published: Option<Published>,
    /// Who published it.
    pub outlet: Option<Outlet>,
    /// The quote, spans into the article's text.
    pub quote: Quote,
    /// Its content pieces, joined with " … ".
    pub text: String,
    /// The speaker mention as written ("he"), when the quote has one.
    pub mention: Option<String>,
    /// The quote's id.
    pub id: QuoteId,
    /// Its group: the id of its first appearance in the corpus (its own when it is the first).
    pub group: QuoteId,
    /// How many appearances its group has.
    pub appearances: usize,
    /// How it alters its group's first appearance, with the word diff, if it does.
    pub altered: Option<AlteredView>,
}

impl QuoteFilter {
    fn keeps(&self, published: Option<&Published>, quote: &Quote, mention: Option<&str>) -> bool {
        if let Some(since) = &self.since {
            if published.is_none_or(|p| p.day() < since.day()) {
                return false;
            }
        }
        if let Some(who) = &self.speaker {
            let who = who.to_lowercase();
            let hit = |s: Option<&str>| s.is_some_and(|s| s.to_lowercase().contains(&who));
            if !hit(quote.speaker.name.as_deref()) && !hit(mention) {
                return false;
            }
        }
        true
    }
}

/// Calls `f` on every stored quote that `filter` keeps, articles first seen first, quotes in
/// text order, each with its group (read once, up front). Returns how many articles were read.
pub fn quotes<S: StoreRead + ?Sized>(
    store: &S,
    filter: &QuoteFilter,
    f: &mut dyn FnMut(QuoteView) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let graph = QuoteGraph::load(store)?;
    store.for_each_article(&mut |mut record| {
        graph.fill(&mut record);
        for quote in &record.quotes {
            let Some(id) = quote.id else { continue };
            if filter.altered && quote.altered_from.is_none() {
                continue;
            }
            let mention = quote.speaker.mention.map(|m| m.slice(&record.text).to_string());
            if !filter.keeps(record.meta.published.as_ref(), quote, mention.as_deref()) {
                continue;
            }
            f(QuoteView {
                article: record.id,
                published: record.meta.published,
                outlet: record.meta.outlet.clone(),
                quote: quote.clone(),
                text: quote.text.clone(),
                mention,
                id,
                group: graph.group_of(id),
                appearances: graph.members(id).len(),
                altered: graph.altered_view(id, &quote.text),
            })?;
        }
        Ok(())
    })
}

/// The groups of an article's quotes that have more than one appearance, in quote order: each
/// quote's id and its group (first appearance, repeats, alterations with their diffs).
pub fn quote_groups_of<S: StoreRead + ?Sized>(
    store: &S,
    article: &ArticleRecord,
) -> Result<Vec<(QuoteId, crate::quote_groups::GroupView)>, StoreError> {
    let graph = QuoteGraph::around(store, article.id)?;
    let mut out = Vec::new();
    for n in 0..article.quotes.len() {
        let id = QuoteId::new(article.id, u32::try_from(n).unwrap_or(u32::MAX));
        if graph.members(id).len() > 1 {
            out.push((id, graph.group(store, id)?));
        }
    }
    Ok(out)
}

/// Which documents [`documents`] lists: a window of the stored articles (first seen first),
/// those whose title, outlet, source, id or text contain `text` (any case), if given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentQuery {
    /// Matching documents skipped before the page.
    pub offset: u64,
    /// At most this many on the page.
    pub limit: usize,
    /// Only documents containing this (any case) in their title, outlet, source, id or text.
    pub text: Option<String>,
}

/// One document as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSummary {
    /// Its id.
    pub id: DocId,
    /// Where it was first seen.
    pub source: String,
    /// Its title, if it has one.
    pub title: Option<String>,
    /// Who published it.
    pub outlet: Option<Outlet>,
    /// When.
    pub published: Option<Published>,
    /// Its language.
    pub language: Option<presswatch_model::Language>,
    /// Words of its clean text.
    pub words: usize,
}

/// A page of [`documents`].
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentPage {
    /// The documents on the page, first seen first.
    pub items: Vec<DocumentSummary>,
    /// Whether more documents match after this page.
    pub more: bool,
}

/// The page of stored documents `query` asks for, in first-seen order. Without a text filter the
/// store reads only the page (one more is read to tell whether more follow), so a page deep into
/// a big store costs what the first does. With one, the articles are walked from the first and
/// the walk stops once the page is full, so a page costs the documents before it, never the
/// whole store (`presswatch search` is the indexed text query).
pub fn documents<S: StoreRead + ?Sized>(
    store: &S,
    query: &DocumentQuery,
) -> Result<DocumentPage, StoreError> {
    let summary = |r: ArticleRecord| DocumentSummary {
        id: r.id,
        words: presswatch_text::word_count(&r.text),
        source: r.source,
        title: r.meta.title,
        outlet: r.meta.outlet,
        published: r.meta.published,
        language: r.meta.language,
    };
    let needle = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase);
    // One more than the page is read, to tell whether more follow.
    let want = query.limit.saturating_add(1);
    let mut page = match needle {
        None => store.articles_page(query.offset, want)?,
        Some(needle) => {
            let hit = |r: &ArticleRecord| {
                let has = |s: &str| s.to_lowercase().contains(&needle);
                r.meta.title.as_deref().is_some_and(has)
                    || r.meta.outlet.as_deref().is_some_and(has)
                    || has(&r.source)
                    || r.id.to_string().starts_with(&needle)
                    || has(&r.text)
            };
            presswatch_store::walk_page(|f| store.for_each_article(f), query.offset, want, hit)?
        }
    };
    let more = page.len() > query.limit;
    page.truncate(query.limit);
    Ok(DocumentPage { items: page.into_iter().map(summary).collect(), more })
}
