//! Provenance at the edges: running the stage between the pipeline and the store, and reading
//! links back as the `derived_from` / `dup_cluster` of articles.

use presswatch_model::{doc_id, doc_key, ArticleRecord, DocKey, DocTime, IndexEntry, StoredLink};
use presswatch_provenance::{clusters, derived_from, link_batch, Cached, Indexed, MatchCache, Prepared};
use presswatch_store::{in_read_transaction, Ingested, PutOutcome, Store, StoreError, StoreRead};
use std::collections::{HashMap, HashSet};

/// What the stage returned for a batch, ready for [`presswatch_store::StoreWrite::put_batch_indexed`]:
/// one entry per newly indexed document and its published date.
pub struct Linked {
    /// The index entries to persist.
    pub entries: Vec<IndexEntry>,
    /// `published[i]` is the published date of `entries[i].doc`.
    pub published: Vec<Option<String>>,
}

/// Runs the provenance stage on `articles` against everything `store` holds, in one read
/// snapshot. `articles` may change (outlet boilerplate moves to `removed`). `prepared[i]`, if
/// computed (in parallel, by the caller), belongs to `articles[i]`.
pub fn link_articles<S: StoreRead>(
    store: &S,
    cache: &MatchCache,
    articles: &mut [ArticleRecord],
    prepared: Vec<Option<Prepared>>,
) -> Result<(Linked, Vec<Indexed>), StoreError> {
    let cached = Cached { index: store, cache };
    let indexed = in_read_transaction(store, || link_batch(&cached, articles, prepared))?;
    let published_of: HashMap<DocKey, Option<String>> =
        articles.iter().filter_map(|a| Some((doc_key(&a.id)?, a.published.clone()))).collect();
    let published = indexed.iter().map(|ix| published_of.get(&ix.doc).cloned().flatten()).collect();
    let entries = indexed.iter().map(Indexed::entry).collect();
    Ok((Linked { entries, published }, indexed))
}

/// Runs the provenance stage on a processed batch against everything stored, then stores the
/// batch and its index entries in one transaction. `prepared[i]`, if computed (in parallel, by
/// the caller), belongs to `batch[i]`.
pub fn store_batch<S: Store>(
    store: &mut S,
    cache: &MatchCache,
    mut batch: Vec<Ingested>,
    prepared: Vec<Option<Prepared>>,
) -> Result<Vec<PutOutcome>, StoreError> {
    let mut articles: Vec<ArticleRecord> =
        batch.iter_mut().map(|i| std::mem::replace(&mut i.article, placeholder())).collect();
    let (linked, _) = link_articles(&*store, cache, &mut articles, prepared)?;
    for (item, article) in batch.iter_mut().zip(articles) {
        item.article = article;
    }
    store.put_batch_indexed(&batch, &linked.entries, &linked.published)
}

fn placeholder() -> ArticleRecord {
    ArticleRecord::new(String::new(), String::new(), presswatch_model::Format::Text, Default::default())
}

/// Every link of a store and the times of the linked documents, in memory: what export needs to
/// fill the provenance fields of all articles in one pass (documents without links need no
/// time, so unlinked ones are never loaded).
pub struct LinkGraph {
    by_doc: HashMap<DocKey, Vec<StoredLink>>,
    times: HashMap<DocKey, DocTime>,
    cluster: HashMap<DocKey, String>,
}

impl LinkGraph {
    /// Reads every link, then the times of the documents they join (one streaming pass).
    pub fn load<S: StoreRead + ?Sized>(store: &S) -> Result<LinkGraph, StoreError> {
        let mut links: Vec<StoredLink> = Vec::new();
        store.for_each_link(&mut |l| {
            links.push(l);
            Ok(())
        })?;
        let linked: HashSet<DocKey> = links.iter().flat_map(|l| [l.doc, l.other]).collect();
        let mut times: HashMap<DocKey, DocTime> = HashMap::with_capacity(linked.len());
        store.for_each_doc_time(&mut |doc, time| {
            if linked.contains(&doc) {
                times.insert(doc, time);
            }
            Ok(())
        })?;
        let time = |d: DocKey| times.get(&d).cloned().unwrap_or_default();
        let cluster = clusters(&links, &time);
        let mut by_doc: HashMap<DocKey, Vec<StoredLink>> = HashMap::new();
        for l in links {
            by_doc.entry(l.other).or_default().push(l.clone());
            by_doc.entry(l.doc).or_default().push(l);
        }
        Ok(LinkGraph { by_doc, times, cluster })
    }

    /// Sets `dup_cluster` and `derived_from` of an article.
    pub fn fill(&self, article: &mut ArticleRecord) {
        let Some(doc) = doc_key(&article.id) else { return };
        article.dup_cluster = self.cluster.get(&doc).cloned();
        if self.by_doc.contains_key(&doc) {
            let links_of = |d: DocKey| self.by_doc.get(&d).cloned().unwrap_or_default();
            let time = |d: DocKey| self.times.get(&d).cloned().unwrap_or_default();
            article.derived_from = derived_from(doc, &links_of, &time);
        }
    }

    /// Clusters by size (largest first): (cluster id, member keys earliest first).
    pub fn clusters(&self) -> Vec<(String, Vec<DocKey>)> {
        let mut groups: HashMap<&str, Vec<DocKey>> = HashMap::new();
        for (doc, c) in &self.cluster {
            groups.entry(c.as_str()).or_default().push(*doc);
        }
        let key = |d: &DocKey| self.times.get(d).cloned().unwrap_or_default().sort_key();
        let mut out: Vec<(String, Vec<DocKey>)> = groups
            .into_iter()
            .map(|(c, mut docs)| {
                docs.sort_by_key(key);
                (c.to_string(), docs)
            })
            .collect();
        out.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// The provenance fields of one article, read from the store's links around it (no full load).
pub fn fill_one<S: StoreRead + ?Sized>(store: &S, article: &mut ArticleRecord) -> Result<(), StoreError> {
    let Some(doc) = doc_key(&article.id) else { return Ok(()) };
    let neighbourhood = Neighbourhood::load(store, doc)?;
    let links_of = |d: DocKey| neighbourhood.links.get(&d).cloned().unwrap_or_default();
    let time = |d: DocKey| neighbourhood.times.get(&d).cloned().unwrap_or_default();
    article.derived_from = derived_from(doc, &links_of, &time);
    article.dup_cluster = neighbourhood.cluster_of(doc, store)?;
    Ok(())
}

/// The links of a document, of its neighbours, and their times: enough to decide its sources
/// and its copies.
pub struct Neighbourhood {
    /// Links by document: `doc` and each document it links to.
    pub links: HashMap<DocKey, Vec<StoredLink>>,
    /// Times of every document those links touch.
    pub times: HashMap<DocKey, DocTime>,
}

impl Neighbourhood {
    /// Reads the links of `doc`, of each document it links to, and the times of all of them.
    pub fn load<S: StoreRead + ?Sized>(store: &S, doc: DocKey) -> Result<Neighbourhood, StoreError> {
        let mut links: HashMap<DocKey, Vec<StoredLink>> = HashMap::new();
        let own = store.links_of(doc)?;
        let neighbours: Vec<DocKey> =
            own.iter().map(|l| if l.doc == doc { l.other } else { l.doc }).collect();
        links.insert(doc, own);
        for d in neighbours {
            if let std::collections::hash_map::Entry::Vacant(e) = links.entry(d) {
                e.insert(store.links_of(d)?);
            }
        }
        let mut everyone: Vec<DocKey> = links.values().flatten().flat_map(|l| [l.doc, l.other]).collect();
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
    pub fn copies_of(&self, doc: DocKey) -> Vec<(DocKey, presswatch_model::DerivedFrom)> {
        let links_of = |d: DocKey| self.links.get(&d).cloned().unwrap_or_default();
        let time = |d: DocKey| self.times.get(&d).cloned().unwrap_or_default();
        let id = doc_id(doc);
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
    fn cluster_of<S: StoreRead + ?Sized>(
        &self,
        doc: DocKey,
        store: &S,
    ) -> Result<Option<String>, StoreError> {
        let mut members = vec![doc];
        let mut seen: HashSet<DocKey> = members.iter().copied().collect();
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
        let time = |d: DocKey| times.get(&d).cloned().unwrap_or_default();
        Ok(clusters(&links, &time).get(&doc).cloned())
    }
}
