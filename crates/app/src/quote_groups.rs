//! Quote groups on reading: which quotes are one across the corpus, their first appearance, the
//! outlets that repeated them and which appearances altered them, from the stored quote links
//! (`presswatch_quotegroups` decides; this module loads what it needs through the store traits).

use presswatch_model::{ArticleRecord, DocId, DocTime, Outlet, Published, QuoteId, QuoteLink, StoredQuote};
use presswatch_quotegroups::words::{similarity, Words};
use presswatch_quotegroups::{alteration, groups, quote_diff, Alteration};
use presswatch_store::{StoreError, StoreRead};
use std::collections::{HashMap, HashSet};

use presswatch_provenance::diff::Segment;

/// The quote groups of a store (or of the part around one document), as read.
#[derive(Debug, Default)]
pub struct QuoteGraph {
    /// Each grouped quote's group: the id of the group's first appearance.
    first: HashMap<QuoteId, QuoteId>,
    /// Each group's members, first appearance first.
    members: HashMap<QuoteId, Vec<QuoteId>>,
    /// The later appearances that alter their group's first, and how.
    altered: HashMap<QuoteId, Alteration>,
    /// The words and speaker of every grouped quote.
    quotes: HashMap<QuoteId, StoredQuote>,
}

impl QuoteGraph {
    /// Every quote link of the store, grouped (what export and listings need).
    pub fn load<S: StoreRead + ?Sized>(store: &S) -> Result<QuoteGraph, StoreError> {
        let mut links = Vec::new();
        store.for_each_quote_link(&mut |l| {
            links.push(l);
            Ok(())
        })?;
        let docs: HashSet<DocId> = links.iter().flat_map(|l| [l.quote.doc, l.other.doc]).collect();
        let mut times = HashMap::with_capacity(docs.len());
        store.for_each_doc_time(&mut |doc, time| {
            if docs.contains(&doc) {
                times.insert(doc, time);
            }
            Ok(())
        })?;
        Self::from_links(store, &links, &times)
    }

    /// The groups of the quotes of `doc` only: its quote links, followed from document to
    /// document as far as they reach (bounded by the groups' size).
    pub fn around<S: StoreRead + ?Sized>(store: &S, doc: DocId) -> Result<QuoteGraph, StoreError> {
        let mut docs = vec![doc];
        let mut seen: HashSet<DocId> = docs.iter().copied().collect();
        let mut links: Vec<QuoteLink> = Vec::new();
        let mut have: HashSet<(QuoteId, QuoteId)> = HashSet::new();
        let mut at = 0;
        while at < docs.len() {
            for l in store.quote_links_of(docs[at])? {
                for d in [l.quote.doc, l.other.doc] {
                    if seen.insert(d) {
                        docs.push(d);
                    }
                }
                if have.insert((l.quote, l.other)) {
                    links.push(l);
                }
            }
            at += 1;
        }
        let mut times = HashMap::new();
        for d in docs {
            if let Some(t) = store.doc_time(d)? {
                times.insert(d, t);
            }
        }
        Self::from_links(store, &links, &times)
    }

    fn from_links<S: StoreRead + ?Sized>(
        store: &S,
        links: &[QuoteLink],
        times: &HashMap<DocId, DocTime>,
    ) -> Result<QuoteGraph, StoreError> {
        let time = |d: DocId| times.get(&d).cloned().unwrap_or_default();
        let mut graph = QuoteGraph::default();
        let mut docs: Vec<DocId> = links.iter().flat_map(|l| [l.quote.doc, l.other.doc]).collect();
        docs.sort_unstable();
        docs.dedup();
        for d in docs {
            for q in store.quotes_of(d)? {
                graph.quotes.insert(q.id, q);
            }
        }
        for members in groups(links, &time) {
            let Some(&first) = members.first() else { continue };
            for &m in &members {
                graph.first.insert(m, first);
                if m == first {
                    continue;
                }
                if let (Some(a), Some(b)) = (graph.quotes.get(&first), graph.quotes.get(&m)) {
                    if let Some(how) = alteration(a, b) {
                        graph.altered.insert(m, how);
                    }
                }
            }
            graph.members.insert(first, members);
        }
        Ok(graph)
    }

    /// The group of quote `q`: the id of its first appearance (its own id when no other
    /// appearance is known).
    pub fn group_of(&self, q: QuoteId) -> QuoteId {
        self.first.get(&q).copied().unwrap_or(q)
    }

    /// The first appearance `q` alters, if it alters it.
    pub fn altered_from(&self, q: QuoteId) -> Option<QuoteId> {
        self.altered.contains_key(&q).then(|| self.group_of(q))
    }

    /// How `q` alters its group's first appearance, if it does.
    pub fn alteration(&self, q: QuoteId) -> Option<Alteration> {
        self.altered.get(&q).copied()
    }

    /// The members of `q`'s group, first appearance first (just `q` when it is alone).
    pub fn members(&self, q: QuoteId) -> Vec<QuoteId> {
        self.members.get(&self.group_of(q)).cloned().unwrap_or_else(|| vec![q])
    }

    /// Fills the read fields of an article's quotes: `id`, `text`, `group`, `altered_from`.
    pub fn fill(&self, article: &mut ArticleRecord) {
        let doc = article.id;
        let text = &article.text;
        for (n, q) in article.quotes.iter_mut().enumerate() {
            let id = QuoteId::new(doc, u32::try_from(n).unwrap_or(u32::MAX));
            q.id = Some(id);
            q.text = q.words_in(text);
            q.group = Some(self.group_of(id));
            q.altered_from = self.altered_from(id);
        }
    }

    /// The altered view of `q` (how it differs from its group's first appearance, word by
    /// word), if it alters it; `text` is `q`'s words.
    pub fn altered_view(&self, q: QuoteId, text: &str) -> Option<AlteredView> {
        let how = self.alteration(q)?;
        let from = self.group_of(q);
        let first = self.quotes.get(&from)?;
        let (first_words, words) = quote_diff(&first.text, text);
        Some(AlteredView {
            from,
            words_changed: how.words,
            speaker_changed: how.speaker,
            first_speaker: first.speaker.clone(),
            first: first_words,
            this: words,
        })
    }

    /// The whole group of quote `q`, each appearance with its article's outlet and date.
    pub fn group<S: StoreRead + ?Sized>(&self, store: &S, q: QuoteId) -> Result<GroupView, StoreError> {
        let mut articles: HashMap<DocId, Option<ArticleRecord>> = HashMap::new();
        let mut appearances = Vec::new();
        for m in self.members(q) {
            let article = match articles.get(&m.doc) {
                Some(a) => a.clone(),
                None => {
                    let a = store.article(&m.doc.to_string())?;
                    articles.insert(m.doc, a.clone());
                    a
                }
            };
            let Some(article) = article else { continue };
            let Some(quote) = article.quotes.get(m.n as usize) else { continue };
            let text = quote.words_in(&article.text);
            appearances.push(Appearance {
                id: m,
                outlet: article.meta.outlet.clone(),
                published: article.meta.published,
                seen: store.doc_time(m.doc)?.map(|t| t.seen),
                speaker: quote.speaker.name.clone(),
                altered: self.altered_view(m, &text),
                text,
            });
        }
        Ok(GroupView { id: self.group_of(q), appearances })
    }
}

/// How an appearance alters its group's first, word by word.
#[derive(Debug, Clone, PartialEq)]
pub struct AlteredView {
    /// The first appearance's id (`altered_from`).
    pub from: QuoteId,
    /// Words were changed, cut or added.
    pub words_changed: bool,
    /// The speaker is another person.
    pub speaker_changed: bool,
    /// The first appearance's speaker.
    pub first_speaker: Option<String>,
    /// The first appearance's words, those this one lacks marked.
    pub first: Vec<Segment>,
    /// This appearance's words, those the first lacks marked.
    pub this: Vec<Segment>,
}

/// One appearance of a quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Appearance {
    /// The quote.
    pub id: QuoteId,
    /// Its article's outlet.
    pub outlet: Option<Outlet>,
    /// Its article's publication date.
    pub published: Option<Published>,
    /// When its article was first indexed (index order), if it is indexed.
    pub seen: Option<u64>,
    /// The speaker its article names.
    pub speaker: Option<String>,
    /// Its words.
    pub text: String,
    /// How it alters the first appearance, if it does.
    pub altered: Option<AlteredView>,
}

/// A quote and its spread: every appearance, the first one first.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupView {
    /// The group's id: its first appearance's.
    pub id: QuoteId,
    /// The appearances in order (earliest published, then first seen).
    pub appearances: Vec<Appearance>,
}

/// Share of a `who-said` query's words a quote must hold, in order, spelling aside.
const QUERY_SHARE: f32 = 0.8;

/// `who-said`: the groups of the quotes whose words hold `text`'s (at least [`QUERY_SHARE`]
/// of them, in order, spelling aside), largest spread first. Reads every article once.
pub fn who_said<S: StoreRead + ?Sized>(store: &S, text: &str) -> Result<Vec<GroupView>, StoreError> {
    let query = Words::of(text);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let need = ((query.len() as f32 * QUERY_SHARE).ceil() as usize).max(1);
    let mut hits: Vec<QuoteId> = Vec::new();
    store.for_each_article(&mut |article| {
        for (n, q) in article.quotes.iter().enumerate() {
            let words = Words::of(&q.words_in(&article.text));
            if !query.might_match(&words) {
                continue;
            }
            if similarity(&query.words, &words.words).common >= need {
                hits.push(QuoteId::new(article.id, u32::try_from(n).unwrap_or(u32::MAX)));
            }
        }
        Ok(())
    })?;
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let graph = QuoteGraph::load(store)?;
    let mut done: HashSet<QuoteId> = HashSet::new();
    let mut out = Vec::new();
    for q in hits {
        if done.insert(graph.group_of(q)) {
            out.push(graph.group(store, q)?);
        }
    }
    out.sort_by(|a, b| b.appearances.len().cmp(&a.appearances.len()).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}
