//! Corpus stages at the edges: running provenance, quote groups and entity linking between the
//! pipeline and the store, and reading their output back as the `derived_from` / `dup_cluster`
//! of articles and the canonical ids of their entities.

use presswatch_entities::EntityCorpusStage;
use presswatch_model::CorpusStage;
use presswatch_model::{
    ArticleRecord, ArticleView, DocId, DocTime, EntityLink, IndexEntry, Published, StoredLink,
};
use presswatch_model::{StoryLink, StoryRef};
use presswatch_provenance::{clusters, derived_from, Cached, Indexed, MatchCache, ProvenanceStage};
use presswatch_quotegroups::{LinkedIndex, QuoteGroupsStage};
use presswatch_store::{in_read_transaction, Damage, Ingested, PutOutcome, Store, StoreError, StoreRead};
use presswatch_stories::StoriesStage;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What the stage returned for a batch, ready for [`presswatch_store::StoreWrite::put_batch_indexed`]:
/// one entry per newly indexed document and its published date.
pub struct Linked {
    /// The index entries to persist.
    pub entries: Vec<IndexEntry>,
    /// `published[i]` is the published date of `entries[i].doc`.
    pub published: Vec<Option<Published>>,
    /// What the entity stage decided (canonical entities, aliases) for the batch's documents.
    pub entities: Vec<EntityLink>,
    /// What the stories stage decided (the story of each new document, merges).
    pub stories: Vec<StoryLink>,
}

/// What the corpus stages keep between batches (kept by the caller, one per writer).
#[derive(Debug, Default)]
pub struct LinkCache {
    /// Provenance's tokens of recently matched documents and its stock keys.
    pub matches: MatchCache,
    /// The words of recently read stored quotes.
    pub quotes: presswatch_quotegroups::QuoteCache,
}

/// The per-document part of every corpus stage for one article.
pub struct Prepared {
    provenance: presswatch_provenance::Prepared,
    quotes: presswatch_quotegroups::Prepared,
    /// The story features, without `copy_of` (which needs the batch's provenance links).
    stories: presswatch_stories::Features,
}

/// The per-document part of the corpus stages for one article (pure, any thread): computed
/// here, in the worker pool, it stays off the single thread that runs the stages in order.
pub fn prepare(article: &ArticleRecord) -> Prepared {
    Prepared {
        provenance: ProvenanceStage.prepare_article(article),
        quotes: QuoteGroupsStage.prepare_article(article),
        stories: StoriesStage::default().prepare_article(article),
    }
}

/// A provenance link strong enough to put a document in its source's story: a whole copy, or
/// reuse of at least half of the new document.
const STORY_COPY_SHARE: f32 = 0.5;

/// The per-document part of the corpus stages for a batch, on `pool`: `prepared[i]` belongs to
/// `articles[i]`.
pub fn prepare_batch(pool: &rayon::ThreadPool, articles: &[&ArticleRecord]) -> Vec<Prepared> {
    pool.install(|| articles.par_iter().map(|a| prepare(a)).collect())
}

/// Runs the corpus stages (provenance, then quote groups, which reads provenance's links of the
/// batch, then entities, then stories, which reads provenance's links of the batch too) on `articles` against everything `store` holds, in
/// one read snapshot. The articles are only read: what the stages decide is in what they return.
/// `prepared` is [`prepare_batch`] of the same articles (computed in parallel by the caller).
pub fn link_articles<S: StoreRead>(
    store: &S,
    cache: &LinkCache,
    articles: &[&ArticleRecord],
    prepared: Vec<Prepared>,
) -> Result<Linked, StoreError> {
    let cached = Cached { index: store, cache: &cache.matches };
    let mut provenance = Vec::with_capacity(prepared.len());
    let mut quotes = Vec::with_capacity(prepared.len());
    let mut features = Vec::with_capacity(prepared.len());
    for p in prepared {
        provenance.push(p.provenance);
        quotes.push(p.quotes);
        features.push(p.stories);
    }
    let stories_stage = StoriesStage::default();
    let (indexed, found, entities, stories) = in_read_transaction(store, || {
        let indexed = ProvenanceStage.run(&cached, articles, provenance)?;
        let linked = indexed.iter().map(|ix| (ix.doc, ix.links.iter().map(|l| l.other).collect())).collect();
        let found = QuoteGroupsStage.run(
            &LinkedIndex { index: store, linked, cache: &cache.quotes },
            articles,
            quotes,
        )?;
        let entities = EntityCorpusStage.run(store, articles, vec![(); articles.len()])?;
        // A copy joins its source's story: the provenance links of this batch, strongest first.
        let mut copy_of: HashMap<DocId, Vec<(f32, DocId)>> = HashMap::new();
        for ix in &indexed {
            for l in &ix.links {
                let a = &l.alignment;
                if a.is_whole_copy() || a.copy_share >= STORY_COPY_SHARE {
                    copy_of.entry(l.doc).or_default().push((a.copy_share, l.other));
                }
            }
        }
        let features = articles
            .iter()
            .zip(features)
            .map(|(a, mut f)| {
                if let Some(mut sources) = copy_of.remove(&a.id) {
                    sources.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
                    f.copy_of = sources.into_iter().map(|(_, d)| d).collect();
                }
                f
            })
            .collect();
        let stories = stories_stage.run(store, articles, features)?;
        Ok((indexed, found, entities, stories))
    })?;
    let published_of: HashMap<DocId, Option<Published>> =
        articles.iter().map(|a| (a.id, a.meta.published)).collect();
    let published = indexed.iter().map(|ix| published_of.get(&ix.doc).copied().flatten()).collect();
    // Each entry takes its document's text: a copy would cost the size of the batch's texts.
    let mut found: HashMap<DocId, presswatch_quotegroups::Found> =
        found.into_iter().map(|f| (f.doc, f)).collect();
    let entries = indexed
        .into_iter()
        .map(|ix| {
            let mut entry = Indexed::into_entry(ix);
            if let Some(f) = found.remove(&entry.doc) {
                entry.quotes = f.quotes;
                entry.quote_links = f.links;
            }
            entry
        })
        .collect();
    Ok(Linked { entries, published, entities, stories })
}

/// Runs the provenance stage on a processed batch against everything stored, then stores the
/// batch and its index entries in one transaction. `prepared[i]`, if computed (in parallel, by
/// the caller), belongs to `batch[i]`.
pub fn store_batch<S: Store>(
    store: &mut S,
    cache: &LinkCache,
    batch: Vec<Ingested>,
    prepared: Vec<Prepared>,
) -> Result<Vec<PutOutcome>, StoreError> {
    let articles: Vec<&ArticleRecord> = batch.iter().map(|i| &i.article).collect();
    let linked = link_articles(&*store, cache, &articles, prepared)?;
    // Handed over, not lent: the store lets the batch go before its search index reads the new
    // articles back.
    store.put_batch_corpus_owned(batch, linked.entries, &linked.published, &linked.entities, &linked.stories)
}

/// The corpus's entity aliases in memory: maps a document-derived entity id to its canonical
/// one, so articles are read with canonical ids (aliases are few next to articles).
#[derive(Debug, Default)]
pub struct EntityAliases(HashMap<String, String>);

impl EntityAliases {
    /// Reads every alias.
    pub fn load<S: StoreRead + ?Sized>(store: &S) -> Result<EntityAliases, StoreError> {
        Ok(EntityAliases(store.entity_aliases()?.into_iter().collect()))
    }

    /// The canonical id of `id` (following aliases a bounded number of hops).
    pub fn canonical(&self, id: &str) -> String {
        let mut at = id;
        for _ in 0..8 {
            match self.0.get(at) {
                Some(next) if next != at => at = next,
                _ => break,
            }
        }
        at.to_string()
    }

    /// Sets the canonical ids in an article's entities and its quotes' speakers, merging the
    /// entities that turn out to be one.
    pub fn apply(&self, article: &mut ArticleRecord) {
        canonical_ids(article, |id| self.canonical(id));
    }
}

/// Rewrites `article`'s entity and speaker ids through `canonical`, merging entities that get
/// the same id (their mentions joined, in order).
fn canonical_ids(article: &mut ArticleRecord, canonical: impl Fn(&str) -> String) {
    let mut merged: Vec<presswatch_model::Entity> = Vec::with_capacity(article.entities.len());
    for mut e in std::mem::take(&mut article.entities) {
        e.id = canonical(&e.id);
        match merged.iter_mut().find(|m| m.id == e.id) {
            Some(m) => {
                m.mentions.extend(e.mentions);
                m.mentions.sort_unstable();
                if e.name.split_whitespace().count() > m.name.split_whitespace().count() {
                    m.name = e.name;
                }
            }
            None => merged.push(e),
        }
    }
    article.entities = merged;
    for q in &mut article.quotes {
        if let Some(id) = q.speaker.entity.as_mut() {
            *id = canonical(id);
        }
    }
}

/// `article`'s entity and speaker ids made canonical, reading the aliases it needs from `store`.
pub fn canonical_entities<S: StoreRead + ?Sized>(
    store: &S,
    article: &mut ArticleRecord,
) -> Result<(), StoreError> {
    let mut known: HashMap<String, String> = HashMap::new();
    let ids: Vec<String> = article.entities.iter().map(|e| e.id.clone()).collect();
    for id in ids {
        let mut at = id.clone();
        for _ in 0..8 {
            match store.entity_alias(&at)? {
                Some(next) if next != at => at = next,
                _ => break,
            }
        }
        known.insert(id, at);
    }
    canonical_ids(article, |id| known.get(id).cloned().unwrap_or_else(|| id.to_string()));
    Ok(())
}

/// Every link of a store and the times of the linked documents, in memory: what export needs to
/// fill the provenance fields of all articles in one pass (documents without links need no
/// time, so unlinked ones are never loaded).
pub struct LinkGraph {
    by_doc: HashMap<DocId, Vec<StoredLink>>,
    times: HashMap<DocId, DocTime>,
    cluster: HashMap<DocId, DocId>,
    aliases: EntityAliases,
    stories: Stories,
}

/// The story of every placed document and every story's label, in memory (for export).
#[derive(Debug, Default)]
pub struct Stories {
    of: HashMap<DocId, DocId>,
    labels: HashMap<DocId, String>,
}

impl Stories {
    /// Reads every assignment and label.
    pub fn load<S: StoreRead + ?Sized>(store: &S) -> Result<Stories, StoreError> {
        let of = store.story_assignments()?.into_iter().collect();
        let labels = store.stories()?.into_iter().map(|s| (s.id, s.label)).collect();
        Ok(Stories { of, labels })
    }

    /// The story of `doc`, as exported.
    pub fn of(&self, doc: DocId) -> Option<StoryRef> {
        let id = *self.of.get(&doc)?;
        Some(StoryRef { id, label: self.labels.get(&id).cloned().unwrap_or_default() })
    }
}

/// The story of one document, as exported, read from the store.
pub fn story_of<S: StoreRead + ?Sized>(store: &S, doc: DocId) -> Result<Option<StoryRef>, StoreError> {
    let Some(id) = store.story_of(doc)? else { return Ok(None) };
    let label = store.story_state(id)?.map(|s| s.label).unwrap_or_default();
    Ok(Some(StoryRef { id, label }))
}

impl LinkGraph {
    /// Reads every link, then the times of the documents they join (one streaming pass).
    pub fn load<S: StoreRead + ?Sized>(store: &S) -> Result<LinkGraph, StoreError> {
        let mut links: Vec<StoredLink> = Vec::new();
        store.for_each_link(&mut |l| {
            links.push(l);
            Ok(())
        })?;
        Self::from_links(store, links)
    }

    /// Like [`LinkGraph::load`], but a link row that cannot be read back is passed to `damaged`
    /// and left out, and the rest is loaded.
    pub fn load_or_damage<S: StoreRead + ?Sized>(
        store: &S,
        damaged: &mut dyn FnMut(Damage) -> Result<(), StoreError>,
    ) -> Result<LinkGraph, StoreError> {
        let mut links: Vec<StoredLink> = Vec::new();
        store.for_each_link_or_damage(&mut |l| match l {
            Ok(l) => {
                links.push(l);
                Ok(())
            }
            Err(damage) => damaged(damage),
        })?;
        Self::from_links(store, links)
    }

    fn from_links<S: StoreRead + ?Sized>(store: &S, links: Vec<StoredLink>) -> Result<LinkGraph, StoreError> {
        let linked: HashSet<DocId> = links.iter().flat_map(|l| [l.doc, l.other]).collect();
        let mut times: HashMap<DocId, DocTime> = HashMap::with_capacity(linked.len());
        store.for_each_doc_time(&mut |doc, time| {
            if linked.contains(&doc) {
                times.insert(doc, time);
            }
            Ok(())
        })?;
        let time = |d: DocId| times.get(&d).cloned().unwrap_or_default();
        let cluster = clusters(&links, &time);
        let mut by_doc: HashMap<DocId, Vec<StoredLink>> = HashMap::new();
        for l in links {
            by_doc.entry(l.other).or_default().push(l.clone());
            by_doc.entry(l.doc).or_default().push(l);
        }
        Ok(LinkGraph {
            by_doc,
            times,
            cluster,
            aliases: EntityAliases::load(store)?,
            stories: Stories::load(store)?,
        })
    }

    /// The article as read: with its `dup_cluster`, `derived_from` and `outlet_boilerplate`.
    pub fn view<S: StoreRead + ?Sized>(
        &self,
        store: &S,
        mut article: ArticleRecord,
    ) -> Result<ArticleView, StoreError> {
        let doc = article.id;
        self.aliases.apply(&mut article);
        let mut view = ArticleView::new(article);
        view.story = self.stories.of(doc);
        view.dup_cluster = self.cluster.get(&doc).copied();
        if self.by_doc.contains_key(&doc) {
            let links_of = |d: DocId| self.by_doc.get(&d).cloned().unwrap_or_default();
            let time = |d: DocId| self.times.get(&d).cloned().unwrap_or_default();
            view.derived_from = derived_from(doc, &links_of, &time);
        }
        view.outlet_boilerplate = store.masked(doc)?;
        Ok(view)
    }

    /// Clusters by size (largest first): (cluster id, member keys earliest first).
    pub fn clusters(&self) -> Vec<(DocId, Vec<DocId>)> {
        let mut groups: HashMap<DocId, Vec<DocId>> = HashMap::new();
        for (doc, c) in &self.cluster {
            groups.entry(*c).or_default().push(*doc);
        }
        let key = |d: &DocId| self.times.get(d).cloned().unwrap_or_default().sort_key();
        let mut out: Vec<(DocId, Vec<DocId>)> = groups
            .into_iter()
            .map(|(c, mut docs)| {
                docs.sort_by_key(key);
                (c, docs)
            })
            .collect();
        out.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// One article as read, its corpus fields from the store's links around it (no full load).
pub fn view_one<S: StoreRead + ?Sized>(
    store: &S,
    mut article: ArticleRecord,
) -> Result<ArticleView, StoreError> {
    let doc = article.id;
    canonical_entities(store, &mut article)?;
    let neighbourhood = Neighbourhood::load(store, doc)?;
    let links_of = |d: DocId| neighbourhood.links.get(&d).cloned().unwrap_or_default();
    let time = |d: DocId| neighbourhood.times.get(&d).cloned().unwrap_or_default();
    let mut view = ArticleView::new(article);
    view.derived_from = derived_from(doc, &links_of, &time);
    view.dup_cluster = neighbourhood.cluster_of(doc, store)?;
    view.outlet_boilerplate = store.masked(doc)?;
    view.story = story_of(store, doc)?;
    Ok(view)
}

/// The links of a document, of its neighbours, and their times: enough to decide its sources
/// and its copies.
pub struct Neighbourhood {
    /// Links by document: `doc` and each document it links to.
    pub links: HashMap<DocId, Vec<StoredLink>>,
    /// Times of every document those links touch.
    pub times: HashMap<DocId, DocTime>,
}

impl Neighbourhood {
    /// Reads the links of `doc`, of each document it links to, and the times of all of them.
    pub fn load<S: StoreRead + ?Sized>(store: &S, doc: DocId) -> Result<Neighbourhood, StoreError> {
        let mut links: HashMap<DocId, Vec<StoredLink>> = HashMap::new();
        let own = store.links_of(doc)?;
        let neighbours: Vec<DocId> = own.iter().map(|l| if l.doc == doc { l.other } else { l.doc }).collect();
        links.insert(doc, own);
        for d in neighbours {
            if let std::collections::hash_map::Entry::Vacant(e) = links.entry(d) {
                e.insert(store.links_of(d)?);
            }
        }
        let mut everyone: Vec<DocId> = links.values().flatten().flat_map(|l| [l.doc, l.other]).collect();
        everyone.push(doc);
        everyone.sort_unstable();
        everyone.dedup();
        let mut times = HashMap::new();
        for d in everyone {
            if let Some(t) = store.doc_time(d)? {
                times.insert(d, t);
            }
        }
        Ok(Neighbourhood { links, times })
    }

    /// The documents whose sources include `doc`: its copies, with their link to it.
    pub fn copies_of(&self, doc: DocId) -> Vec<(DocId, presswatch_model::DerivedFrom)> {
        let links_of = |d: DocId| self.links.get(&d).cloned().unwrap_or_default();
        let time = |d: DocId| self.times.get(&d).cloned().unwrap_or_default();
        let id = doc;
        let mut out = Vec::new();
        for l in self.links.get(&doc).into_iter().flatten() {
            let other = if l.doc == doc { l.other } else { l.doc };
            if out.iter().any(|(d, _)| *d == other) {
                continue;
            }
            if let Some(d) = derived_from(other, &links_of, &time).into_iter().find(|d| d.id == id) {
                out.push((other, d));
            }
        }
        out.sort_by_key(|(d, _)| self.times.get(d).map(|t| t.seen).unwrap_or(u64::MAX));
        out
    }

    /// The cluster id of `doc`: walks whole-copy links from it (breadth-first, bounded by the
    /// cluster's size) and names the cluster by its earliest member.
    fn cluster_of<S: StoreRead + ?Sized>(&self, doc: DocId, store: &S) -> Result<Option<DocId>, StoreError> {
        let mut members = vec![doc];
        let mut seen: HashSet<DocId> = members.iter().copied().collect();
        let mut at = 0;
        let mut links: Vec<StoredLink> = Vec::new();
        while at < members.len() {
            let d = members[at];
            at += 1;
            let ls = match self.links.get(&d) {
                Some(ls) => ls.clone(),
                None => store.links_of(d)?,
            };
            for l in ls.into_iter().filter(presswatch_provenance::is_whole_copy) {
                for x in [l.doc, l.other] {
                    if seen.insert(x) {
                        members.push(x);
                    }
                }
                links.push(l);
            }
        }
        if members.len() < 2 {
            return Ok(None);
        }
        let mut times = HashMap::new();
        for &m in &members {
            times.insert(m, store.doc_time(m)?.unwrap_or_default());
        }
        let time = |d: DocId| times.get(&d).cloned().unwrap_or_default();
        Ok(clusters(&links, &time).get(&doc).copied())
    }
}
