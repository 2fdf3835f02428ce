//! The read models: what `show`, `copies`, `dups`, `stats` and `export` present, as typed views.
//! A binary formats them (text, JSON, CSV); a server serializes them.

use crate::linking::{fill_one, LinkGraph, Neighbourhood};
use crate::AppError;
use presswatch_model::{doc_id, doc_key, AlignedPassage, ArticleRecord, DerivedFrom};
use presswatch_provenance::diff::word_diff;

/// A piece of a diffed passage (re-exported so callers need not know the provenance crate).
pub use presswatch_provenance::diff::Segment;
use presswatch_store::{Stats, StoreError, StoreRead};

/// A stored article with its provenance fields (`derived_from`, `dup_cluster`) filled from the
/// links around it. `None` if no article matches `id` (an id, sha256 or unique prefix).
pub fn article<S: StoreRead + ?Sized>(store: &S, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
    let Some(mut article) = store.article(id)? else { return Ok(None) };
    fill_one(store, &mut article)?;
    Ok(Some(article))
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
    article: &ArticleRecord,
) -> Result<Vec<SourceView>, StoreError> {
    let copy_chars: Vec<char> = article.text.chars().collect();
    let mut out = Vec::new();
    for d in &article.derived_from {
        let Some(source) = store.article(&d.id)? else { continue };
        let src_chars: Vec<char> = source.text.chars().collect();
        let passages = d
            .evidence
            .iter()
            .map(|p| {
                let left: String = src_chars.get(p.source[0]..p.source[1]).unwrap_or(&[]).iter().collect();
                let right: String = copy_chars.get(p.copy[0]..p.copy[1]).unwrap_or(&[]).iter().collect();
                let (source, copy) = word_diff(&left, &right);
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
    /// The article, `derived_from` and `dup_cluster` filled.
    pub article: ArticleRecord,
    /// Each copy's id and its link to the article, earliest seen first.
    pub copies: Vec<(String, DerivedFrom)>,
}

/// The [`CopiesView`] of the article `id`; `None` if no article matches.
pub fn copies<S: StoreRead + ?Sized>(store: &S, id: &str) -> Result<Option<CopiesView>, AppError> {
    let Some(article) = article(store, id)? else { return Ok(None) };
    let Some(doc) = doc_key(&article.id) else { return Err(AppError::InvalidId(article.id)) };
    let hood = Neighbourhood::load(store, doc)?;
    let copies = hood.copies_of(doc).into_iter().map(|(d, link)| (doc_id(d), link)).collect();
    Ok(Some(CopiesView { article, copies }))
}

/// A duplicate cluster: documents that are copies of one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The cluster id: the id of its earliest member.
    pub id: String,
    /// Member ids, earliest first (the first is `id`).
    pub members: Vec<String>,
}

/// Every duplicate cluster, largest first (ties by id).
pub fn dups<S: StoreRead + ?Sized>(store: &S) -> Result<Vec<Cluster>, StoreError> {
    let graph = LinkGraph::load(store)?;
    Ok(graph
        .clusters()
        .into_iter()
        .map(|(id, members)| Cluster { id, members: members.into_iter().map(doc_id).collect() })
        .collect())
}

/// The store's counts.
pub fn stats<S: StoreRead + ?Sized>(store: &S) -> Result<Stats, StoreError> {
    store.stats()
}

/// Calls `f` on every article, first seen first, with its provenance fields filled; the links
/// are read once up front (not per article). Returns how many articles were visited.
pub fn export<S: StoreRead + ?Sized>(
    store: &S,
    f: &mut dyn FnMut(ArticleRecord) -> Result<(), StoreError>,
) -> Result<u64, StoreError> {
    let graph = LinkGraph::load(store)?;
    store.for_each_article(&mut |mut record| {
        graph.fill(&mut record);
        f(record)
    })
}
