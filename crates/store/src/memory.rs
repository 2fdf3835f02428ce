//! A store kept in memory, for tests of the crates above this one.

use crate::provenance::{check_provenance, MemoryProvenance};
use crate::{
    check_pair, check_updates, normalize_id_prefix, now_rfc3339, sort_counts, Ingested, PutOutcome,
    Rejection, Stats, StoreError, StoreRead, StoreWrite, StoredDocument, TOP_OUTLETS,
};
use presswatch_model::{ArticleRecord, ContentHash, Format, Language, Outlet, Published, EXTRACTOR_VERSION};
use presswatch_model::{DocId, DocTime, IndexEntry, QuoteLink, StoredLink};
use std::collections::{BTreeMap, HashMap};

/// A [`crate::Store`] in maps: same observable behaviour as [`crate::SqliteStore`] (outcomes, ordering,
/// id lookup, errors), nothing written to disk, gone when dropped.
///
/// ```
/// use presswatch_store::{MemoryStore, StoreRead};
/// let store = MemoryStore::new();
/// assert_eq!(store.stats()?.documents, 0);
/// # Ok::<(), presswatch_store::StoreError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    documents: BTreeMap<String, MemoryDocument>,
    articles: BTreeMap<String, ArticleRecord>,
    rejections: BTreeMap<String, (String, String)>,
    provenance: MemoryProvenance,
    pub(crate) entities: crate::entities::MemoryEntities,
    pub(crate) stories: crate::stories::MemoryStories,
    /// The store as it was when the rebuild in progress began ([`StoreWrite::begin_rebuild`]),
    /// to go back to if it is aborted.
    before_rebuild: Option<Box<MemoryStore>>,
}

#[derive(Debug, Clone)]
struct MemoryDocument {
    doc: StoredDocument,
    bytes: Vec<u8>,
    /// (first_seen, source) of every source, in insertion order.
    sources: Vec<(String, String)>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn provenance(&self) -> &MemoryProvenance {
        &self.provenance
    }

    pub(crate) fn quote_index(&self) -> &crate::quote_groups::MemoryQuotes {
        &self.provenance.quotes
    }

    fn ordered_documents(&self) -> Vec<&StoredDocument> {
        let mut docs: Vec<&StoredDocument> = self.documents.values().map(|d| &d.doc).collect();
        docs.sort_by(|a, b| (&a.first_seen, &a.id, &a.sha256).cmp(&(&b.first_seen, &b.id, &b.sha256)));
        docs
    }
}

impl StoreRead for MemoryStore {
    fn contains(&self, sha256: &ContentHash) -> Result<bool, StoreError> {
        Ok(self.documents.contains_key(&sha256.to_hex()))
    }

    fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        let prefix = normalize_id_prefix(id)?;
        let mut matches =
            self.articles.range(prefix.clone()..).take_while(|(sha, _)| sha.starts_with(&prefix));
        let Some((_, article)) = matches.next() else {
            return Ok(None);
        };
        if matches.next().is_some() {
            return Err(StoreError::AmbiguousId { prefix });
        }
        Ok(Some(article.clone()))
    }

    fn for_each_article(
        &self,
        f: &mut dyn FnMut(ArticleRecord) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut count = 0;
        for doc in self.ordered_documents() {
            if let Some(article) = self.articles.get(&doc.sha256.to_hex()) {
                f(article.clone())?;
                count += 1;
            }
        }
        Ok(count)
    }

    fn raw(&self, sha256: &ContentHash) -> Result<Vec<u8>, StoreError> {
        let sha = sha256.to_hex();
        match self.documents.get(&sha) {
            Some(d) => Ok(d.bytes.clone()),
            None => Err(StoreError::UnknownDocument(sha)),
        }
    }

    fn sources(&self, sha256: &ContentHash) -> Result<Vec<String>, StoreError> {
        let Some(d) = self.documents.get(&sha256.to_hex()) else {
            return Ok(Vec::new());
        };
        let mut sources: Vec<&(String, String)> = d.sources.iter().collect();
        // Same order as the SQLite store: first source, then by time seen, then by name.
        sources.sort_by(|a, b| (a.1 != d.doc.source, &a.0, &a.1).cmp(&(b.1 != d.doc.source, &b.0, &b.1)));
        Ok(sources.into_iter().map(|(_, s)| s.clone()).collect())
    }

    fn rejections(&self) -> Result<Vec<Rejection>, StoreError> {
        Ok(self
            .rejections
            .iter()
            .map(|(source, (reason, at))| Rejection {
                source: source.clone(),
                reason: reason.clone(),
                at: at.clone(),
            })
            .collect())
    }

    fn for_each_document(
        &self,
        f: &mut dyn FnMut(StoredDocument) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut count = 0;
        for doc in self.ordered_documents() {
            f(doc.clone())?;
            count += 1;
        }
        Ok(count)
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let mut by_format: HashMap<Format, u64> = HashMap::new();
        let mut stats = Stats { documents: self.documents.len() as u64, ..Stats::default() };
        for d in self.documents.values() {
            stats.sources += d.sources.len() as u64;
            stats.raw_bytes += d.doc.byte_len;
            *by_format.entry(d.doc.format).or_default() += 1;
        }
        let mut by_language: HashMap<Option<Language>, u64> = HashMap::new();
        let mut by_outlet: HashMap<Outlet, u64> = HashMap::new();
        for a in self.articles.values() {
            *by_language.entry(a.meta.language.clone()).or_default() += 1;
            if let Some(outlet) = &a.meta.outlet {
                *by_outlet.entry(outlet.clone()).or_default() += 1;
            }
            if a.extractor_version != EXTRACTOR_VERSION {
                stats.stale += 1;
            }
        }
        stats.by_format = by_format.into_iter().collect();
        sort_counts(&mut stats.by_format);
        stats.by_language = by_language.into_iter().collect();
        sort_counts(&mut stats.by_language);
        stats.top_outlets = by_outlet.into_iter().collect();
        sort_counts(&mut stats.top_outlets);
        stats.top_outlets.truncate(TOP_OUTLETS);
        stats.rejected = self.rejections.len() as u64;
        stats.linked = self.provenance.linked_count();
        Ok(stats)
    }

    fn links_of(&self, doc: DocId) -> Result<Vec<StoredLink>, StoreError> {
        Ok(self.provenance.links_of(doc))
    }

    fn doc_time(&self, doc: DocId) -> Result<Option<DocTime>, StoreError> {
        Ok(self.provenance.doc_time(doc))
    }

    fn for_each_link(
        &self,
        f: &mut dyn FnMut(StoredLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.provenance.for_each_link(f)
    }

    fn for_each_doc_time(
        &self,
        f: &mut dyn FnMut(DocId, DocTime) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.provenance.for_each_doc_time(f)
    }

    fn is_indexed(&self, doc: DocId) -> Result<bool, StoreError> {
        Ok(self.provenance.is_indexed(doc))
    }

    fn entities(&self) -> Result<Vec<presswatch_model::KnownEntity>, StoreError> {
        Ok(self.entities_all())
    }

    fn entity_aliases(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(self.entity_aliases_all())
    }

    fn entity_docs(&self, id: &str) -> Result<Vec<(DocId, String, u32)>, StoreError> {
        Ok(self.entity_docs_of(id))
    }

    fn quote_links_of(&self, doc: DocId) -> Result<Vec<QuoteLink>, StoreError> {
        Ok(self.provenance.quotes.links_of(doc))
    }

    fn for_each_quote_link(
        &self,
        f: &mut dyn FnMut(QuoteLink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        self.provenance.quotes.for_each_link(f)
    }

    fn stories(&self) -> Result<Vec<presswatch_model::StoryState>, StoreError> {
        Ok(self.stories_all())
    }

    fn story_docs(&self, story: DocId) -> Result<Vec<(DocId, f32)>, StoreError> {
        Ok(self.story_docs_of(story))
    }

    fn story_assignments(&self) -> Result<Vec<(DocId, DocId)>, StoreError> {
        Ok(self.story_assignments_all())
    }

    fn story_merges(&self) -> Result<Vec<presswatch_model::StoryMerge>, StoreError> {
        Ok(self.story_merges_all())
    }
}

impl StoreWrite for MemoryStore {
    fn put_batch_corpus(
        &mut self,
        batch: &[Ingested],
        provenance: &[IndexEntry],
        published: &[Option<Published>],
        entities: &[presswatch_model::EntityLink],
        stories: &[presswatch_model::StoryLink],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        // Validate everything before changing anything: a batch is all or nothing.
        check_provenance(provenance, published)?;
        for item in batch {
            check_pair(&item.record, &item.article)?;
        }
        let shas: Vec<String> = batch.iter().map(|item| item.record.hash().to_hex()).collect();
        let now = now_rfc3339();
        let mut outcomes = Vec::with_capacity(batch.len());
        for (item, sha) in batch.iter().zip(shas) {
            match self.documents.get_mut(&sha) {
                Some(existing) => {
                    if !existing.sources.iter().any(|(_, s)| s == item.record.source()) {
                        existing.sources.push((now.clone(), item.record.source().to_string()));
                    }
                    outcomes.push(PutOutcome::AlreadyPresent);
                }
                None => {
                    let doc = StoredDocument {
                        id: item.article.id,
                        sha256: item.record.hash(),
                        format: item.record.format(),
                        source: item.record.source().to_string(),
                        first_seen: now.clone(),
                        byte_len: item.record.bytes().len() as u64,
                        seq: self.documents.len() as u64 + 1,
                    };
                    let sources = vec![(now.clone(), item.record.source().to_string())];
                    self.articles.insert(sha.clone(), item.article.clone());
                    let bytes = item.record.bytes().to_vec();
                    self.documents.insert(sha, MemoryDocument { doc, bytes, sources });
                    outcomes.push(PutOutcome::Added);
                }
            }
        }
        self.provenance.add(provenance, published);
        self.entities.add(entities);
        self.stories.add(stories);
        Ok(outcomes)
    }

    fn restore_blobs(&mut self, records: &[presswatch_model::Record]) -> Result<Vec<PutOutcome>, StoreError> {
        let mut outcomes = Vec::with_capacity(records.len());
        for record in records {
            let sha = record.hash().to_hex();
            if !self.documents.contains_key(&sha) {
                return Err(StoreError::UnknownDocument(sha));
            }
        }
        for record in records {
            let Some(d) = self.documents.get_mut(&record.hash().to_hex()) else { continue };
            if ContentHash::of(&d.bytes) == record.hash() {
                outcomes.push(PutOutcome::AlreadyPresent);
            } else {
                d.bytes = record.bytes().to_vec();
                d.doc.byte_len = d.bytes.len() as u64;
                outcomes.push(PutOutcome::Restored);
            }
        }
        Ok(outcomes)
    }

    fn record_rejections(&mut self, rejections: &[(String, String)]) -> Result<(), StoreError> {
        let now = now_rfc3339();
        for (source, reason) in rejections {
            match self.rejections.get_mut(source) {
                Some((old, _)) if old == reason => {}
                _ => {
                    self.rejections.insert(source.clone(), (reason.clone(), now.clone()));
                }
            }
        }
        Ok(())
    }

    fn update_articles(&mut self, articles: &[ArticleRecord]) -> Result<(), StoreError> {
        check_updates(articles)?;
        for article in articles {
            if !self.documents.contains_key(&article.sha256.to_hex()) {
                return Err(StoreError::UnknownDocument(article.sha256.to_hex()));
            }
        }
        for article in articles {
            self.articles.insert(article.sha256.to_hex(), article.clone());
        }
        Ok(())
    }

    fn clear_provenance(&mut self) -> Result<(), StoreError> {
        self.provenance.clear();
        self.entities.clear();
        self.stories.clear();
        Ok(())
    }

    fn begin_rebuild(&mut self) -> Result<(), StoreError> {
        if self.before_rebuild.is_some() {
            return Err(StoreError::Rebuild("a rebuild is already in progress on this handle"));
        }
        let before = MemoryStore {
            documents: self.documents.clone(),
            articles: self.articles.clone(),
            rejections: self.rejections.clone(),
            provenance: self.provenance.clone(),
            entities: self.entities.clone(),
            stories: self.stories.clone(),
            before_rebuild: None,
        };
        self.before_rebuild = Some(Box::new(before));
        Ok(())
    }

    fn commit_rebuild(&mut self) -> Result<(), StoreError> {
        match self.before_rebuild.take() {
            Some(_) => Ok(()),
            None => Err(StoreError::Rebuild("no rebuild is in progress to commit")),
        }
    }

    fn abort_rebuild(&mut self) -> Result<(), StoreError> {
        match self.before_rebuild.take() {
            Some(before) => {
                *self = *before;
                Ok(())
            }
            None => Err(StoreError::Rebuild("no rebuild is in progress to abort")),
        }
    }
}

impl MemoryStore {
    fn related(&self, id: DocId) -> Result<crate::search::Related, StoreError> {
        use presswatch_model::StoryIndexRead;
        Ok(crate::search::Related { linked: !self.links_of(id)?.is_empty(), story: self.story_of(id)? })
    }
}

/// The memory store keeps no index: each search indexes the articles afresh in memory, so it
/// is always in step (and slow on big stores; it is for tests).
impl crate::search::SearchSource for MemoryStore {
    fn generation(&self) -> Result<u64, StoreError> {
        Ok(0)
    }

    fn changes_since(&self, _since: u64) -> Result<(u64, Vec<DocId>), StoreError> {
        Ok((0, Vec::new()))
    }

    fn current(&self, id: DocId) -> Result<Option<(ArticleRecord, crate::search::Related)>, StoreError> {
        let Some(article) = self.article(&id.to_string())? else { return Ok(None) };
        Ok(Some((article, self.related(id)?)))
    }

    fn article_count(&self) -> Result<u64, StoreError> {
        Ok(self.articles.len() as u64)
    }

    fn walk(
        &self,
        generation: &mut u64,
        f: &mut dyn FnMut(&ArticleRecord, crate::search::Related) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        *generation = 0;
        self.for_each_article(&mut |article| f(&article, self.related(article.id)?)).map(|_| ())
    }
}

impl crate::StoreSearch for MemoryStore {
    fn search(&self, request: &crate::SearchRequest) -> Result<crate::SearchResults, StoreError> {
        let index = crate::search::SearchIndex::in_ram()?;
        index.sync(self, true, true, &mut |_, _| {})?;
        index.search(request, &|id| self.article(&id.to_string()))
    }

    fn search_status(&self) -> Result<crate::SearchStatus, StoreError> {
        let articles = self.articles.len() as u64;
        Ok(crate::SearchStatus {
            store_generation: 0,
            store_articles: articles,
            index: Some(crate::IndexState { generation: 0, documents: articles }),
        })
    }
}

impl crate::SearchWrite for MemoryStore {
    fn sync_search(&mut self) -> Result<u64, StoreError> {
        Ok(0)
    }

    fn reindex(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, StoreError> {
        let n = self.articles.len() as u64;
        progress(n, n);
        Ok(n)
    }
}
