//! The provenance corpus stage over Arrow batches: each document's keys as rows, and the
//! stage run on a connected component of documents that share keys.
//!
//! Why components and not one alignment per candidate pair: the embedded stage's decisions
//! depend on the documents before each one (the earliest `POSTINGS_PER_KEY` holders of a key,
//! keys held by more being stock phrases; the `MAX_CANDIDATES` best-supported candidates; no
//! more alignment after enough whole copies; outlet boilerplate, blocks two earlier documents of
//! the outlet have, left out of matching), so pairs aligned independently would not give its
//! answer. Run on a component in first-seen order, the stage itself decides, against an index
//! holding every document it could read for each one (see [`key_rows`] for which rows join
//! documents into a component), so its links are the embedded store's.

use crate::{schema, Error};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, Int64Array, Int8Array, RecordBatch, StringArray};
use presswatch_model::{block_spans, ArticleRecord, Block, DerivedFrom, DocId, DocTime, Span, StoredLink};
use presswatch_provenance::fingerprint::KeyKind;
use presswatch_provenance::{
    clusters, derived_from, link_batch, outlet_block_key, prepare, IndexRead, MemoryIndex, POSTINGS_PER_KEY,
};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A key every holder reads the earliest [`POSTINGS_PER_KEY`] holders of (the exact-text hash, a
/// MinHash band): every holder joins the component of the key's first holder.
pub const KEY_COPY: i8 = 0;
/// A key that counts alone (a function-word run, a shingle, a sentence): a holder past the
/// first [`POSTINGS_PER_KEY`] finds it a stock phrase and ignores it, so only the first
/// `POSTINGS_PER_KEY + 1` holders join a component through it.
pub const KEY_OTHER: i8 = 1;
/// An outlet-block key (`outlet_block_key`): only whether two earlier documents of the outlet
/// hold the block matters, so the first `POSTINGS_PER_KEY + 1` holders join a component through
/// it and a later holder is told the block is common ([`ComponentDoc::saturated_blocks`]).
pub const KEY_BLOCK: i8 = 2;

#[derive(Deserialize)]
struct KeyDoc {
    id: DocId,
    text: String,
    #[serde(default)]
    outlet: Option<String>,
    blocks: Vec<Block>,
}

/// Every key of every article of `batch` (article rows: `id`, `text`, `outlet`, `blocks` are
/// read) as rows of [`schema::key_schema`]: its provenance keys of the whole text, and the keys
/// of its text blocks in its outlet. A key's holders in first-seen order are what the job joins
/// into components: all of them for [`KEY_COPY`], the first `POSTINGS_PER_KEY + 1` for the rest.
pub fn key_rows(batch: &RecordBatch) -> Result<RecordBatch, Error> {
    let mut names = Vec::new();
    for name in ["id", "text", "outlet", "blocks"] {
        names.push(
            batch
                .schema()
                .index_of(name)
                .map_err(|_| Error::column("id/text/outlet/blocks", "article row"))?,
        );
    }
    let docs: Vec<KeyDoc> = crate::json_rows(&batch.project(&names)?)?;
    let (mut ids, mut keys, mut kinds) = (Vec::new(), Vec::new(), Vec::new());
    for doc in &docs {
        let id = doc.id.to_string();
        for key in prepare(&doc.text).keys {
            let kind = match KeyKind::of(key) {
                Some(KeyKind::Exact | KeyKind::Band) => KEY_COPY,
                _ => KEY_OTHER,
            };
            ids.push(id.clone());
            keys.push(key as i64);
            kinds.push(kind);
        }
        if let Some(outlet) = doc.outlet.as_deref().filter(|o| !o.trim().is_empty()) {
            let mut seen = HashSet::new();
            for (i, _) in block_spans(&doc.blocks) {
                let key = outlet_block_key(outlet, &doc.blocks[i].text);
                if seen.insert(key) {
                    ids.push(id.clone());
                    keys.push(key as i64);
                    kinds.push(KEY_BLOCK);
                }
            }
        }
    }
    Ok(RecordBatch::try_new(
        schema::key_schema(),
        vec![
            Arc::new(StringArray::from(ids)),
            Arc::new(Int64Array::from(keys)),
            Arc::new(Int8Array::from(kinds)),
        ],
    )?)
}

/// One document of a component.
#[derive(Debug, Clone)]
pub struct ComponentDoc {
    /// The article as the per-document pipeline made it.
    pub article: ArticleRecord,
    /// Its first-seen order in the whole corpus (only the order matters).
    pub seen: u64,
    /// Outlet-block keys of which it is past the first `POSTINGS_PER_KEY + 1` holders: at least
    /// that many earlier documents of the outlet have the block, so it counts as common.
    pub saturated_blocks: Vec<u64>,
}

/// The corpus's fields of one document ([`schema::corpus_schema`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorpusRow {
    /// The document.
    pub id: DocId,
    /// Its cluster of copies: its earliest member's id.
    pub dup_cluster: Option<DocId>,
    /// The earlier documents it reuses, earliest first.
    pub derived_from: Vec<DerivedFrom>,
    /// Spans of its text that are its outlet's standing furniture.
    pub outlet_boilerplate: Vec<Span>,
    /// Not computed by the job (the stories stage is not distributed yet): always null.
    pub story: Option<presswatch_model::StoryRef>,
}

/// The component's index: the stage's memory index plus the blocks the current document
/// is told are common.
struct ComponentIndex {
    memory: MemoryIndex,
    saturated: RefCell<HashSet<u64>>,
}

impl IndexRead for ComponentIndex {
    type Error = std::convert::Infallible;

    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, Self::Error> {
        self.memory.postings(keys, per_key)
    }

    fn text(&self, doc: DocId) -> Result<Option<String>, Self::Error> {
        self.memory.text(doc)
    }

    fn masked(&self, doc: DocId) -> Result<Vec<Span>, Self::Error> {
        self.memory.masked(doc)
    }

    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, Self::Error> {
        let mut counts = self.memory.outlet_block_counts(keys)?;
        let saturated = self.saturated.borrow();
        for (c, k) in counts.iter_mut().zip(keys) {
            if saturated.contains(k) {
                *c = (*c).max(POSTINGS_PER_KEY as u32);
            }
        }
        Ok(counts)
    }
}

/// Runs the provenance stage on one component (`docs` in first-seen order) and reads each
/// document as the embedded store does: `derived_from` (the source by published day, then
/// first seen), `dup_cluster`, `outlet_boilerplate`.
pub fn link_component(docs: &[ComponentDoc]) -> Vec<CorpusRow> {
    let mut index = ComponentIndex { memory: MemoryIndex::default(), saturated: RefCell::default() };
    let mut links: Vec<StoredLink> = Vec::new();
    let mut masked: HashMap<DocId, Vec<Span>> = HashMap::new();
    let mut times: HashMap<DocId, DocTime> = HashMap::new();
    for doc in docs {
        if times.contains_key(&doc.article.id) {
            continue;
        }
        times.insert(doc.article.id, DocTime { published: doc.article.meta.published, seen: doc.seen });
        *index.saturated.borrow_mut() = doc.saturated_blocks.iter().copied().collect();
        let Ok(indexed) = link_batch(&index, std::slice::from_ref(&doc.article), vec![]);
        for ix in &indexed {
            links.extend(ix.links.iter().map(|l| l.stored()));
            masked.insert(ix.doc, ix.masked.clone());
        }
        index.memory.add(&indexed);
    }
    let time = |d: DocId| times.get(&d).cloned().unwrap_or_default();
    let cluster = clusters(&links, &time);
    let mut by_doc: HashMap<DocId, Vec<StoredLink>> = HashMap::new();
    for l in &links {
        by_doc.entry(l.other).or_default().push(l.clone());
        by_doc.entry(l.doc).or_default().push(l.clone());
    }
    let links_of = |d: DocId| by_doc.get(&d).cloned().unwrap_or_default();
    let mut done = HashSet::new();
    docs.iter()
        .filter(|d| done.insert(d.article.id))
        .map(|d| {
            let id = d.article.id;
            CorpusRow {
                id,
                dup_cluster: cluster.get(&id).copied(),
                derived_from: if by_doc.contains_key(&id) {
                    derived_from(id, &links_of, &time)
                } else {
                    Vec::new()
                },
                outlet_boilerplate: masked.remove(&id).unwrap_or_default(),
                story: None,
            }
        })
        .collect()
}

/// [`link_component`] over a batch of article rows with `component`, `seen` (int64) and
/// `saturated` (list of int64 keys) columns, sorted by component then seen: one
/// [`schema::corpus_schema`] row per document.
pub fn link_components(batch: &RecordBatch) -> Result<RecordBatch, Error> {
    let int = |name: &'static str| {
        crate::column(batch, name)
            .and_then(|c| c.as_primitive_opt::<Int64Type>())
            .ok_or_else(|| Error::column(name, "int64"))
    };
    let component = int("component")?;
    let seen = int("seen")?;
    let saturated = crate::column(batch, "saturated")
        .and_then(|c| c.as_list_opt::<i32>())
        .ok_or_else(|| Error::column("saturated", "list<int64>"))?;
    let articles = crate::articles_from_batch(batch)?;
    let mut rows = Vec::with_capacity(articles.len());
    let mut group: Vec<ComponentDoc> = Vec::new();
    for (i, view) in articles.into_iter().enumerate() {
        if i > 0 && component.value(i) != component.value(i - 1) {
            rows.extend(link_component(&group));
            group.clear();
        }
        let blocks = if saturated.is_null(i) {
            Vec::new()
        } else {
            let list = saturated.value(i);
            let keys = list
                .as_primitive_opt::<Int64Type>()
                .ok_or_else(|| Error::column("saturated", "list<int64>"))?;
            keys.values().iter().map(|&k| k as u64).collect()
        };
        group.push(ComponentDoc {
            article: view.article,
            seen: seen.value(i) as u64,
            saturated_blocks: blocks,
        });
    }
    rows.extend(link_component(&group));
    Ok(crate::rows_to_batch(schema::corpus_schema(), &rows)?)
}
