//! The quote-groups stage: a batch of new articles in, their quotes and the matches to earlier
//! quotes out.

use crate::words::{copy_match, keys, similarity, text_match, Words};
use presswatch_model::{
    ArticleRecord, CorpusStage, DocId, QuoteEntry, QuoteId, QuoteIndexRead, QuoteLink, QuoteMatch,
};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Most quotes read per key: a key that more hold (a stock phrase) nominates the earliest.
pub const QUOTE_POSTINGS_PER_KEY: usize = 16;
/// Most text matches kept per quote (the best): one is enough to join a group, a few keep it
/// joined when matching is not transitive.
const MAX_TEXT_LINKS: usize = 4;

/// What the stage reads: the store's quote index, and which earlier documents each document of
/// the batch reuses (provenance's links of the batch, found just before).
pub struct LinkedIndex<'a, I: ?Sized> {
    /// The quotes indexed by earlier batches.
    pub index: &'a I,
    /// For each document of the batch, the documents provenance linked it to (earlier indexed,
    /// or earlier in the batch).
    pub linked: HashMap<DocId, Vec<DocId>>,
    /// The words of stored quotes read in earlier batches (kept by the caller).
    pub cache: &'a QuoteCache,
}

/// The words of recently read stored quotes, kept by the caller between batches (copies meet
/// the same earliest documents again and again). Stored quotes never change, so it is never
/// stale; when full it starts over.
#[derive(Debug, Default)]
pub struct QuoteCache {
    docs: RefCell<HashMap<DocId, QuoteWords>>,
}

/// Documents whose quotes a [`QuoteCache`] keeps.
const CACHED_DOCS: usize = 4096;

/// One quote prepared for matching.
#[derive(Debug, Clone)]
pub struct PreparedQuote {
    /// What is persisted of it.
    pub entry: QuoteEntry,
    /// Its lowercased words.
    pub words: Words,
}

/// The per-document part: every quote of an article, prepared.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// The quotes, in the article's order.
    pub quotes: Vec<PreparedQuote>,
}

/// What the caller persists for one new document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    /// The document.
    pub doc: DocId,
    /// Its quotes, to index.
    pub quotes: Vec<QuoteEntry>,
    /// Matches of its quotes with earlier ones.
    pub links: Vec<QuoteLink>,
}

/// The quote-groups stage as a [`CorpusStage`]: quotes prepared per document, then matched in
/// order: first against the quotes of the documents provenance links each document to (a copy's
/// quote against its source's, [`copy_match`]), then against any quote sharing a text key
/// ([`text_match`]). Every pair that matches is linked (not only the best), so which of two
/// documents came first never changes the links; groups, first appearances and alterations are
/// decided on reading.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuoteGroupsStage;

impl QuoteGroupsStage {
    /// The per-document part (the same for every index).
    pub fn prepare_article(&self, article: &ArticleRecord) -> Prepared {
        let quotes = article
            .quotes
            .iter()
            .enumerate()
            .map(|(n, q)| {
                let text = q.words_in(&article.text);
                let words = Words::of(&text);
                let entry = QuoteEntry {
                    n: u32::try_from(n).unwrap_or(u32::MAX),
                    keys: keys(&words.words),
                    text,
                    speaker: q.speaker.name.clone(),
                };
                PreparedQuote { entry, words }
            })
            .collect();
        Prepared { quotes }
    }
}

impl<I: QuoteIndexRead + ?Sized> CorpusStage<LinkedIndex<'_, I>> for QuoteGroupsStage {
    type Prepared = Prepared;
    type Output = Found;
    type Error = I::Error;

    fn name(&self) -> &'static str {
        "quote-groups"
    }

    fn prepare(&self, article: &ArticleRecord) -> Prepared {
        self.prepare_article(article)
    }

    fn run(
        &self,
        index: &LinkedIndex<'_, I>,
        batch: &[&ArticleRecord],
        prepared: Vec<Prepared>,
    ) -> Result<Vec<Found>, I::Error> {
        let mut seen = Seen { index: index.index, batch: HashMap::new(), stored: index.cache };
        let mut batch_postings: HashMap<u64, Vec<QuoteId>> = HashMap::new();
        let mut out = Vec::with_capacity(batch.len());
        for (article, prep) in batch.iter().zip(prepared) {
            let doc = article.id;
            if seen.batch.contains_key(&doc) {
                continue; // the same document twice in one batch: the first stands
            }
            let mut links: Vec<QuoteLink> = Vec::new();
            let mut linked: HashSet<(u32, QuoteId)> = HashSet::new();
            // Quotes already joined to the same words in a source: their group is that
            // quote's, whose own matches were made when it (or they) came in.
            let mut settled: HashSet<u32> = HashSet::new();
            for &other in index.linked.get(&doc).into_iter().flatten() {
                if other == doc || settled.len() == prep.quotes.len() {
                    continue;
                }
                let theirs = seen.quotes(other)?;
                for (i, j, dice) in mutual_best(&prep.quotes, &theirs, &settled) {
                    let (q, id) = (&prep.quotes[i], theirs[j].0);
                    if linked.insert((q.entry.n, id)) {
                        links.push(link(doc, q, id, QuoteMatch::Copy, dice));
                    }
                    if dice >= 1.0 {
                        settled.insert(q.entry.n);
                    }
                }
            }
            for q in prep.quotes.iter().filter(|q| !q.entry.keys.is_empty() && !settled.contains(&q.entry.n))
            {
                let mut found: Vec<(f32, QuoteId)> = Vec::new();
                for id in candidates(index.index, &batch_postings, &q.entry.keys)? {
                    if id.doc == doc || linked.contains(&(q.entry.n, id)) {
                        continue;
                    }
                    let theirs = seen.quotes(id.doc)?;
                    let Some((_, their_words)) = theirs.iter().find(|(t, _)| *t == id) else { continue };
                    if !q.words.might_match(their_words) {
                        continue;
                    }
                    let s = similarity(&q.words.words, &their_words.words);
                    if text_match(&s) {
                        found.push((s.dice(), id));
                    }
                }
                // Best first, then earliest nominated (candidates come earliest first).
                found.sort_by(|a, b| b.0.total_cmp(&a.0));
                for (dice, id) in found.into_iter().take(MAX_TEXT_LINKS) {
                    if linked.insert((q.entry.n, id)) {
                        links.push(link(doc, q, id, QuoteMatch::Text, dice));
                    }
                }
            }
            links.sort_by_key(|l| (l.quote, l.other));
            // A settled quote needs no keys of its own: a later quote with its words finds the
            // earlier appearance it copies (postings are read earliest first), and joins it.
            let quotes: Vec<QuoteEntry> = prep
                .quotes
                .iter()
                .map(|q| {
                    let mut entry = q.entry.clone();
                    if settled.contains(&entry.n) {
                        entry.keys.clear();
                    }
                    entry
                })
                .collect();
            for q in &quotes {
                for k in &q.keys {
                    batch_postings.entry(*k).or_default().push(QuoteId::new(doc, q.n));
                }
            }
            seen.batch.insert(doc, Arc::new(words_of(doc, &prep.quotes)));
            out.push(Found { doc, quotes, links });
        }
        Ok(out)
    }
}

fn link(doc: DocId, q: &PreparedQuote, other: QuoteId, via: QuoteMatch, dice: f32) -> QuoteLink {
    QuoteLink {
        quote: QuoteId::new(doc, q.entry.n),
        other,
        via,
        similarity: (dice * 1000.0).round() / 1000.0,
    }
}

/// The pairs `(i, j, dice)` of quotes of a copy (`ours[i]`) and of its source (`theirs[j]`)
/// that match ([`copy_match`]) and are each other's best match (highest dice, then lowest
/// index): a copy's quote aligns to one of its source's, and two different quotes of the same
/// pair of articles ("nothing about Ukraine without Ukraine", "nothing about Europe without
/// Europe") are not joined through their common words. Symmetric, so which of the two came
/// first does not matter.
fn mutual_best(
    ours: &[PreparedQuote],
    theirs: &[(QuoteId, Words)],
    settled: &HashSet<u32>,
) -> Vec<(usize, usize, f32)> {
    let mut best_ours: Vec<Option<(usize, f32)>> = vec![None; ours.len()];
    let mut best_theirs: Vec<Option<(usize, f32)>> = vec![None; theirs.len()];
    for (i, q) in ours.iter().enumerate() {
        if settled.contains(&q.entry.n) {
            continue;
        }
        for (j, (_, words)) in theirs.iter().enumerate() {
            if !q.words.might_match(words) {
                continue;
            }
            let s = similarity(&q.words.words, &words.words);
            if !copy_match(&s) {
                continue;
            }
            let d = s.dice();
            if best_ours[i].is_none_or(|(_, b)| d > b) {
                best_ours[i] = Some((j, d));
            }
            if best_theirs[j].is_none_or(|(_, b)| d > b) {
                best_theirs[j] = Some((i, d));
            }
        }
    }
    best_ours
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let (j, d) = (*b)?;
            (best_theirs[j].map(|(bi, _)| bi) == Some(i)).then_some((i, j, d))
        })
        .collect()
}

fn words_of(doc: DocId, quotes: &[PreparedQuote]) -> Vec<(QuoteId, Words)> {
    quotes.iter().map(|q| (QuoteId::new(doc, q.entry.n), q.words.clone())).collect()
}

/// The quotes holding any of `keys`: for each key the earliest [`QUOTE_POSTINGS_PER_KEY`] of
/// the index and then of the batch (so a key nominates the same quotes wherever batches were
/// cut), distinct, in order.
fn candidates<I: QuoteIndexRead + ?Sized>(
    index: &I,
    batch: &HashMap<u64, Vec<QuoteId>>,
    keys: &[u64],
) -> Result<Vec<QuoteId>, I::Error> {
    let mut found: HashMap<u64, usize> = HashMap::new();
    let mut out: Vec<QuoteId> = Vec::new();
    for (k, id) in index.quote_postings(keys, QUOTE_POSTINGS_PER_KEY)? {
        *found.entry(k).or_default() += 1;
        out.push(id);
    }
    for k in keys {
        if let Some(ids) = batch.get(k) {
            let take = QUOTE_POSTINGS_PER_KEY.saturating_sub(found.get(k).copied().unwrap_or(0));
            out.extend(ids.iter().take(take));
        }
    }
    let mut distinct = HashSet::new();
    out.retain(|id| distinct.insert(*id));
    Ok(out)
}

type QuoteWords = Arc<Vec<(QuoteId, Words)>>;

/// The words of the quotes of documents met so far: the batch's, and stored ones read once.
struct Seen<'a, I: ?Sized> {
    index: &'a I,
    batch: HashMap<DocId, QuoteWords>,
    stored: &'a QuoteCache,
}

impl<I: QuoteIndexRead + ?Sized> Seen<'_, I> {
    fn quotes(&mut self, doc: DocId) -> Result<QuoteWords, I::Error> {
        if let Some(q) = self.batch.get(&doc) {
            return Ok(q.clone());
        }
        if let Some(q) = self.stored.docs.borrow().get(&doc) {
            return Ok(q.clone());
        }
        let stored = self.index.quotes_of(doc)?;
        let q: QuoteWords = Arc::new(stored.into_iter().map(|s| (s.id, Words::of(&s.text))).collect());
        let mut docs = self.stored.docs.borrow_mut();
        if docs.len() >= CACHED_DOCS {
            docs.clear();
        }
        docs.insert(doc, q.clone());
        Ok(q)
    }
}
