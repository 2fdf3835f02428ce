//! The provenance stage: a batch of new articles in, their index entries and links out.
//!
//! The stage reads earlier documents only through [`Index`], so it runs against the embedded
//! store, a server database, or an in-memory index alike; it never writes. The caller persists
//! what it returns ([`Indexed`]) and must do so before the next batch, so that batch can match
//! against it. Documents of one batch are matched against each other too (in batch order).

use crate::align::{align, Alignment};
use crate::fingerprint::{keys, keys_of_text, KeyKind};
use crate::mask::{masked_text, unmask_tokens};
use crate::text::{mix, tokenize, HashMap, HashSet, Tokens};
use presswatch_model::{block_spans, ArticleRecord, CorpusStage, DocId, ReuseKind, Span};
use std::cell::RefCell;
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64;

use presswatch_model::{IndexEntry, IndexRead, StoredLink};

/// Most documents read per key: a key shared by more (a stock phrase, a hugely copied wire) adds
/// nothing the first ones do not (they are the earliest, which is where sources are).
pub const POSTINGS_PER_KEY: usize = 32;
/// Whole-copy links after which no more candidates are aligned.
pub(crate) const MAX_WHOLE_COPY_LINKS: usize = 8;
/// Most candidates aligned per new document.
pub const MAX_CANDIDATES: usize = 16;
/// A block seen in this many documents of one outlet (this one included) is the outlet's
/// boilerplate: left out of matching, and reported (`Indexed::masked`) as
/// `repeated_across_outlet`; the article itself is not changed.
pub const OUTLET_REPEAT_DOCS: u32 = 3;
/// Unless flagging would remove more than this share of the article: then the article is a
/// repeat of an earlier one of the outlet, not boilerplate, and is matched as a copy instead.
const OUTLET_REPEAT_MAX_SHARE: f32 = 0.5;

/// Read access to what earlier batches indexed, as the stage uses it: the store's reads
/// ([`IndexRead`], which every store implements, so this trait comes with it) plus the hooks a
/// cache overrides ([`Cached`]).
pub trait Index {
    /// What a lookup can fail with.
    type Error: std::error::Error + Send + Sync + 'static;

    /// For each key, up to `per_key` documents holding it, earliest first, as `(key, doc)`.
    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, Self::Error>;

    /// The indexed text of a document (as it was when indexed): its text less the masked
    /// spans ([`Indexed::text`]).
    fn text(&self, doc: DocId) -> Result<Option<String>, Self::Error>;

    /// The spans of a document's `text` left out of matching ([`Indexed::masked`]).
    fn masked(&self, _doc: DocId) -> Result<Vec<Span>, Self::Error> {
        Ok(Vec::new())
    }

    /// How many indexed documents hold each outlet-block key ([`outlet_block_key`]).
    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, Self::Error>;

    /// The indexed text of a document, tokenized. [`Cached`] keeps these between batches.
    /// Offsets are into the document's full `text` (the masked spans are mapped back).
    fn tokens(&self, doc: DocId) -> Result<Option<Arc<Tokens>>, Self::Error> {
        let Some(text) = self.text(doc)? else { return Ok(None) };
        let mut tokens = tokenize(&text);
        unmask_tokens(&mut tokens, &self.masked(doc)?);
        Ok(Some(Arc::new(tokens)))
    }

    /// Whether a key is known to be a stock phrase: its postings were found full
    /// (as many as were asked for) and postings only grow, so they need not be read again.
    fn known_stock(&self, _key: u64) -> bool {
        false
    }

    /// Records that a key was found to be a stock phrase.
    fn note_stock(&self, _key: u64) {}
}

/// Every store's index reads serve the stage as they are.
impl<T: IndexRead + ?Sized> Index for T {
    type Error = T::Error;

    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, Self::Error> {
        IndexRead::postings(self, keys, per_key)
    }

    fn text(&self, doc: DocId) -> Result<Option<String>, Self::Error> {
        IndexRead::text(self, doc)
    }

    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, Self::Error> {
        IndexRead::outlet_block_counts(self, keys)
    }
}

/// What the matcher learnt that stays true from batch to batch, kept by the caller: the tokens
/// of recently matched documents (copies of a story meet the same earliest documents again and
/// again, as postings are read earliest first) and the keys found to be stock phrases.
#[derive(Debug, Default)]
pub struct MatchCache {
    docs: RefCell<HashMap<DocId, Arc<Tokens>>>,
    stock: RefCell<HashSet<u64>>,
}

/// Documents whose tokens a [`MatchCache`] keeps; when full it starts over (cheap, and the
/// documents in use come back at once).
const CACHED_DOCS: usize = 2048;
/// Stock keys a [`MatchCache`] keeps (16 MB or so); when full it starts over.
const CACHED_STOCK_KEYS: usize = 1 << 20;

/// An [`Index`] that answers from a [`MatchCache`] when it can.
pub struct Cached<'a, I> {
    /// The index behind the cache.
    pub index: &'a I,
    /// What is kept between batches.
    pub cache: &'a MatchCache,
}

impl<I: Index> Index for Cached<'_, I> {
    type Error = I::Error;

    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, Self::Error> {
        self.index.postings(keys, per_key)
    }

    fn text(&self, doc: DocId) -> Result<Option<String>, Self::Error> {
        self.index.text(doc)
    }

    fn masked(&self, doc: DocId) -> Result<Vec<Span>, Self::Error> {
        self.index.masked(doc)
    }

    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, Self::Error> {
        self.index.outlet_block_counts(keys)
    }

    fn tokens(&self, doc: DocId) -> Result<Option<Arc<Tokens>>, Self::Error> {
        if let Some(t) = self.cache.docs.borrow().get(&doc) {
            return Ok(Some(Arc::clone(t)));
        }
        let tokens = self.index.tokens(doc)?;
        if let Some(t) = &tokens {
            let mut docs = self.cache.docs.borrow_mut();
            if docs.len() >= CACHED_DOCS {
                docs.clear();
            }
            docs.insert(doc, Arc::clone(t));
        }
        Ok(tokens)
    }

    fn known_stock(&self, key: u64) -> bool {
        self.cache.stock.borrow().contains(&key)
    }

    fn note_stock(&self, key: u64) {
        let mut stock = self.cache.stock.borrow_mut();
        if stock.len() >= CACHED_STOCK_KEYS {
            stock.clear();
        }
        stock.insert(key);
    }
}

/// The key counting a block in an outlet: normalized block text and normalized outlet name.
pub fn outlet_block_key(outlet: &str, block_text: &str) -> u64 {
    let outlet = xxh3_64(outlet.trim().to_lowercase().as_bytes());
    let block = crate::text::exact_hash_of(block_text);
    mix(outlet ^ block.rotate_left(17)) >> 1
}

/// A link found between a new document and an earlier-indexed (or earlier in the batch) one.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The new document; `alignment` offsets under `copy` are into its text.
    pub doc: DocId,
    /// The matched document; offsets under `source` are into its text.
    pub other: DocId,
    /// How they align: the kind, the shares and the evidence.
    pub alignment: Alignment,
}

/// What the caller must persist for one new document.
#[derive(Debug, Clone, PartialEq)]
pub struct Indexed {
    /// The new document.
    pub doc: DocId,
    /// The text that was matched and indexed: the article's text less `masked`.
    pub text: String,
    /// Spans of the article's `text` that are its outlet's boilerplate (blocks that earlier
    /// documents of the outlet also have), left out of matching. Offsets everywhere else (link
    /// evidence) are into the full text.
    pub masked: Vec<Span>,
    /// Its fingerprint keys, to post.
    pub keys: Vec<u64>,
    /// Keys of the document's blocks in its outlet ([`outlet_block_key`]), to count.
    pub outlet_blocks: Vec<u64>,
    /// The links found for it.
    pub links: Vec<Link>,
}

impl Link {
    /// The link as a store keeps it.
    pub fn stored(&self) -> StoredLink {
        StoredLink {
            doc: self.doc,
            other: self.other,
            kind: self.alignment.kind,
            doc_share: self.alignment.copy_share,
            other_share: self.alignment.source_share,
            evidence: self.alignment.passages.clone(),
        }
    }
}

impl Indexed {
    /// What a store persists of it (the links flattened), taking its text rather than copying
    /// it (the text of a large article is tens of MB).
    pub fn into_entry(self) -> IndexEntry {
        let links = self.links.iter().map(Link::stored).collect();
        IndexEntry {
            doc: self.doc,
            text: self.text,
            masked: self.masked,
            keys: self.keys,
            outlet_blocks: self.outlet_blocks,
            links,
            ..Default::default()
        }
    }

    /// What a store persists of it (the links flattened).
    pub fn entry(&self) -> IndexEntry {
        IndexEntry {
            doc: self.doc,
            text: self.text.clone(),
            masked: self.masked.clone(),
            keys: self.keys.clone(),
            outlet_blocks: self.outlet_blocks.clone(),
            links: self.links.iter().map(Link::stored).collect(),
            ..Default::default()
        }
    }
}

/// Tokens and keys of a text: the part of the stage worth running in parallel before
/// [`link_batch`] (which is sequential, as documents of a batch are matched in order).
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// The text's tokens and sentences; `None` for a text longer than [`TOKENS_KEPT_UP_TO`]
    /// bytes, whose tokens are made only if a candidate is aligned with it.
    pub tokens: Option<Tokens>,
    /// Its fingerprint keys.
    pub keys: Vec<u64>,
}

/// Texts up to this many bytes keep their tokens from [`prepare`] (on the worker threads);
/// longer ones are keyed a piece at a time and tokenized whole only when a candidate needs
/// aligning: a token takes 16 bytes and a lowercased copy besides (about 3.5 times the text),
/// and most texts meet no candidate.
pub const TOKENS_KEPT_UP_TO: usize = 1 << 20;

/// Tokenizes `text` and computes its keys (pure; any thread).
pub fn prepare(text: &str) -> Prepared {
    if text.len() > TOKENS_KEPT_UP_TO {
        return Prepared { tokens: None, keys: keys_of_text(text) };
    }
    let tokens = tokenize(text);
    let keys = keys(&tokens);
    Prepared { tokens: Some(tokens), keys }
}

/// A document's tokens, made when first needed: from its text, or its text less masked spans
/// (offsets mapped back to the full text).
#[derive(Debug)]
struct LazyTokens<'a> {
    text: std::borrow::Cow<'a, str>,
    masked: Vec<Span>,
    tokens: std::cell::OnceCell<Tokens>,
}

impl<'a> LazyTokens<'a> {
    fn new(text: std::borrow::Cow<'a, str>, masked: Vec<Span>, tokens: Option<Tokens>) -> Self {
        let cell = std::cell::OnceCell::new();
        if let Some(t) = tokens {
            let _ = cell.set(t);
        }
        LazyTokens { text, masked, tokens: cell }
    }

    fn get(&self) -> &Tokens {
        self.tokens.get_or_init(|| {
            let mut tokens = tokenize(&self.text);
            unmask_tokens(&mut tokens, &self.masked);
            tokens
        })
    }
}

/// Runs the stage on a batch. The articles are only read: what the stage decides about them
/// (links, outlet boilerplate) is in what it returns. `prepared[i]`, if given, must be
/// `prepare(&articles[i].text)`; missing ones are computed here.
pub fn link_batch<I: Index, A: std::borrow::Borrow<ArticleRecord>>(
    index: &I,
    articles: &[A],
    mut prepared: Vec<Option<Prepared>>,
) -> Result<Vec<Indexed>, I::Error> {
    prepared.resize_with(articles.len(), || None);
    let mut batch = BatchIndex::default();
    let mut out = Vec::with_capacity(articles.len());
    for (article, prep) in articles.iter().map(std::borrow::Borrow::borrow).zip(prepared) {
        let doc = article.id;
        if batch.tokens.contains_key(&doc) {
            continue; // the same document twice in one batch: the first stands
        }
        let prep = prep.unwrap_or_else(|| prepare(&article.text));
        let mut keys = prep.keys;
        let mut tokens = LazyTokens::new(article.text.as_str().into(), Vec::new(), prep.tokens);
        let mut links = find_links(index, &batch, doc, &keys, &tokens)?;
        let mut masked = Vec::new();
        let mut matched_text = None;
        // A copy of an earlier article repeats its blocks because it copies them, not because
        // they are its outlet's boilerplate: it neither flags nor counts them.
        let mut outlet_blocks = Vec::new();
        if !links.iter().any(|l| l.alignment.is_whole_copy()) {
            outlet_blocks = block_keys(article, &masked);
            if !outlet_blocks.is_empty() {
                let counts = block_counts(index, &batch, &outlet_blocks)?;
                masked = outlet_boilerplate(article, &counts);
                if !masked.is_empty() {
                    let text = masked_text(&article.text, &masked);
                    let prep = prepare(&text);
                    keys = prep.keys;
                    let mut prepared = prep.tokens;
                    if let Some(t) = &mut prepared {
                        unmask_tokens(t, &masked);
                    }
                    // (A copy of the masked text: rare, and the masked text is the shorter.)
                    tokens = LazyTokens::new(text.clone().into(), masked.clone(), prepared);
                    links = find_links(index, &batch, doc, &keys, &tokens)?;
                    outlet_blocks = block_keys(article, &masked);
                    matched_text = Some(text);
                }
                // Partial reuse that rests on blocks this outlet printed before is the outlet's
                // own furniture (an "about us", a standing paragraph), not reuse.
                let counts = block_counts(index, &batch, &outlet_blocks)?;
                let repeated = repeated_block_spans(article, &masked, &counts);
                if !repeated.is_empty() {
                    links.retain(|l| {
                        l.alignment.kind != ReuseKind::Partial
                            || !rests_on(&l.alignment, tokens.get(), &repeated)
                    });
                }
            }
        }
        batch.add(doc, &keys, tokens, &outlet_blocks);
        let text = matched_text.unwrap_or_else(|| article.text.clone());
        out.push(Indexed { doc, text, masked, keys, outlet_blocks, links });
    }
    Ok(out)
}

/// The provenance stage as a [`CorpusStage`]: keys and tokens per document, then
/// [`link_batch`] in order. Give it a [`Cached`] index to keep a [`MatchCache`] between batches.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProvenanceStage;

impl ProvenanceStage {
    /// The per-document part: tokens and keys of the article's text. The same for every index,
    /// so callers need not name one.
    pub fn prepare_article(&self, article: &ArticleRecord) -> Prepared {
        prepare(&article.text)
    }
}

impl<I: Index> CorpusStage<I> for ProvenanceStage {
    type Prepared = Prepared;
    type Output = Indexed;
    type Error = I::Error;

    fn name(&self) -> &'static str {
        "provenance"
    }

    fn prepare(&self, article: &ArticleRecord) -> Prepared {
        self.prepare_article(article)
    }

    fn run(
        &self,
        index: &I,
        batch: &[&ArticleRecord],
        prepared: Vec<Prepared>,
    ) -> Result<Vec<Indexed>, I::Error> {
        link_batch(index, batch, prepared.into_iter().map(Some).collect())
    }
}

/// How many documents indexed so far (earlier batches and this one) hold each outlet-block key.
fn block_counts<I: Index>(index: &I, batch: &BatchIndex, keys: &[u64]) -> Result<Vec<u32>, I::Error> {
    let mut counts = index.outlet_block_counts(keys)?;
    for (c, k) in counts.iter_mut().zip(keys) {
        *c += batch.block_counts.get(k).copied().unwrap_or(0);
    }
    Ok(counts)
}

/// Character spans, in the article's text, of its unmasked text blocks that other documents of
/// the outlet also have (`counts` as [`block_keys`] orders them).
fn repeated_block_spans(article: &ArticleRecord, masked: &[Span], counts: &[u32]) -> Vec<(usize, usize)> {
    unmasked_blocks(article, masked)
        .zip(counts)
        .filter(|(_, &n)| n >= 1)
        .map(|(s, _)| (s.start, s.end))
        .collect()
}

/// The spans of an article's text blocks, less the masked ones, in order.
fn unmasked_blocks<'a>(article: &'a ArticleRecord, masked: &'a [Span]) -> impl Iterator<Item = Span> + 'a {
    block_spans(&article.blocks).map(|(_, span)| span).filter(move |span| !masked.contains(span))
}

/// Whether an alignment rests on one block the outlet printed before: it falls below the link
/// thresholds once the copy's sentences inside that block are left out.
fn rests_on(alignment: &Alignment, copy: &Tokens, spans: &[(usize, usize)]) -> bool {
    let span_of = |c: usize| spans.iter().position(|&(a, b)| c >= a && c < b);
    let mut used_spans: Vec<usize> =
        alignment.pairs.iter().filter_map(|p| span_of(copy.sentences[p.copy].chars.0 as usize)).collect();
    used_spans.sort_unstable();
    used_spans.dedup();
    // One standing block (an "about us") is furniture; several reused blocks are the outlet
    // reusing its own earlier article, which is reuse like any other.
    if used_spans.len() != 1 {
        return false;
    }
    let kept: Vec<usize> = alignment
        .pairs
        .iter()
        .map(|p| p.copy)
        .filter(|&c| span_of(copy.sentences[c].chars.0 as usize).is_none())
        .collect();
    let kept_tokens = kept.iter().map(|&c| copy.sentences[c].len()).sum();
    let kept_share = crate::align::share(copy, kept.into_iter());
    !crate::align::enough(kept_tokens, kept_share, alignment.source_share, copy)
}

/// Keys of the unmasked text blocks of an article with a known outlet.
fn block_keys(article: &ArticleRecord, masked: &[Span]) -> Vec<u64> {
    let Some(outlet) = article.meta.outlet.as_deref().filter(|o| !o.trim().is_empty()) else {
        return Vec::new();
    };
    let blocks = block_spans(&article.blocks).filter(|(_, span)| !masked.contains(span));
    blocks.map(|(i, _)| outlet_block_key(outlet, &article.blocks[i].text)).collect()
}

/// The spans of the text blocks whose outlet count (earlier documents) reached the threshold:
/// the outlet's boilerplate. None when they would be most of the article (it is then a repeat
/// of an earlier article of the outlet, matched as a copy instead).
fn outlet_boilerplate(article: &ArticleRecord, earlier: &[u32]) -> Vec<Span> {
    let blocks: Vec<(usize, Span)> = block_spans(&article.blocks).collect();
    let flagged: Vec<(usize, Span)> =
        blocks.iter().zip(earlier).filter(|(_, &n)| n + 1 >= OUTLET_REPEAT_DOCS).map(|(b, _)| *b).collect();
    let bytes =
        |list: &[(usize, Span)]| list.iter().map(|(i, _)| article.blocks[*i].text.len()).sum::<usize>();
    if flagged.is_empty() || bytes(&flagged) as f32 > OUTLET_REPEAT_MAX_SHARE * bytes(&blocks) as f32 {
        return Vec::new();
    }
    flagged.into_iter().map(|(_, span)| span).collect()
}

#[derive(Default)]
struct Tally {
    exact: bool,
    bands: u32,
    others: u32,
}

impl Tally {
    fn support(&self) -> u32 {
        u32::from(self.exact) * 1000 + self.bands * 2 + self.others
    }
}

fn find_links<I: Index>(
    index: &I,
    batch: &BatchIndex,
    doc: DocId,
    own_keys: &[u64],
    tokens: &LazyTokens,
) -> Result<Vec<Link>, I::Error> {
    if own_keys.is_empty() {
        return Ok(Vec::new());
    }
    // A skeleton, shingle or sentence key held by as many documents as are read is a stock
    // phrase: it nominates anything, so it is not counted (and once seen, not read again).
    let counts_alone = |k: u64| !matches!(KeyKind::of(k), Some(KeyKind::Exact | KeyKind::Band));
    let keys: Vec<u64> =
        own_keys.iter().copied().filter(|&k| !(counts_alone(k) && index.known_stock(k))).collect();
    let mut postings = index.postings(&keys, POSTINGS_PER_KEY)?;
    let mut per_key: HashMap<u64, usize> = HashMap::default();
    for (key, _) in &postings {
        *per_key.entry(*key).or_default() += 1;
    }
    batch.postings(&keys, POSTINGS_PER_KEY, &mut per_key, &mut postings);
    for (&key, &n) in &per_key {
        if n >= POSTINGS_PER_KEY && counts_alone(key) {
            index.note_stock(key);
        }
    }
    let mut tally: HashMap<DocId, Tally> = HashMap::default();
    for (key, other) in postings {
        if other == doc {
            continue;
        }
        let common = per_key.get(&key).is_some_and(|&n| n >= POSTINGS_PER_KEY);
        if common && counts_alone(key) {
            continue;
        }
        let t = tally.entry(other).or_default();
        match KeyKind::of(key) {
            Some(KeyKind::Exact) => t.exact = true,
            Some(KeyKind::Band) => t.bands += 1,
            Some(KeyKind::Skeleton | KeyKind::Shingle | KeyKind::Sentence) => t.others += 1,
            None => {}
        }
    }
    // The alignment decides; the keys only nominate: an exact or band key, or enough of the
    // other keys for the text's size (a long text shares a stock phrase or two with many
    // unrelated ones; the least reuse worth a link, a few sentences, brings several keys).
    // At most MAX_CANDIDATES (the best-supported) are aligned.
    let own_others = own_keys
        .iter()
        .filter(|k| {
            matches!(KeyKind::of(**k), Some(KeyKind::Skeleton | KeyKind::Shingle | KeyKind::Sentence))
        })
        .count();
    let min_others = match own_others {
        0..=14 => 1,
        15..=39 => 2,
        _ => 3,
    };
    let mut candidates: Vec<(DocId, Tally)> =
        tally.into_iter().filter(|(_, t)| t.exact || t.bands >= 1 || t.others >= min_others).collect();
    candidates.sort_unstable_by(|a, b| b.1.support().cmp(&a.1.support()).then(a.0.cmp(&b.0)));
    candidates.truncate(MAX_CANDIDATES);
    let mut links = Vec::new();
    for (other, _) in candidates {
        let fetched;
        let source = match batch.tokens.get(&other) {
            Some(t) => t.get(),
            None => match index.tokens(other)? {
                Some(t) => {
                    fetched = t;
                    &*fetched
                }
                None => continue,
            },
        };
        // A cheap test before aligning: texts that share few content words cannot share a
        // passage worth a link (keys also meet by chance, on stock phrases).
        let own = tokens.get();
        if shared_share(own.content_words(), source.content_words()) < MIN_SHARED_WORDS {
            continue;
        }
        if let Some(alignment) = align(source, own) {
            links.push(Link { doc, other, alignment });
            // A text copied many times meets all its copies: a few whole-copy links place it in
            // their cluster, and aligning every further copy would cost much and add little.
            if links.iter().filter(|l| l.alignment.is_whole_copy()).count() >= MAX_WHOLE_COPY_LINKS {
                break;
            }
        }
    }
    Ok(links)
}

/// Share of distinct content words, of the text with fewer, that both texts have below which
/// a candidate is not aligned.
const MIN_SHARED_WORDS: f32 = 0.1;

/// Share of the smaller of two sorted sets found in the other.
fn shared_share(a: &[u64], b: &[u64]) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return 0.0;
    }
    let shared = small.iter().filter(|x| large.binary_search(x).is_ok()).count();
    shared as f32 / small.len() as f32
}

/// Documents indexed earlier in the same batch.
#[derive(Default)]
struct BatchIndex<'a> {
    postings: HashMap<u64, Vec<DocId>>,
    /// Tokens of the batch's documents (they are aligned against later ones of the batch).
    tokens: HashMap<DocId, LazyTokens<'a>>,
    block_counts: HashMap<u64, u32>,
}

impl<'a> BatchIndex<'a> {
    fn add(&mut self, doc: DocId, keys: &[u64], tokens: LazyTokens<'a>, blocks: &[u64]) {
        for k in keys {
            self.postings.entry(*k).or_default().push(doc);
        }
        self.tokens.insert(doc, tokens);
        let mut seen = blocks.to_vec();
        seen.sort_unstable();
        seen.dedup();
        for b in seen {
            *self.block_counts.entry(b).or_default() += 1;
        }
    }

    /// Adds the batch's postings of `keys` to `out`, up to `per_key` for each key counting the
    /// `found` ones the index gave (all earlier than the batch's). So a key gets the same
    /// earliest `per_key` documents wherever the batches were cut: reading up to `per_key` more
    /// here made the documents a key nominates, and whether it counts as a stock phrase, depend
    /// on how many of them happened to share the batch (`reprocess` then differed from ingest).
    fn postings(
        &self,
        keys: &[u64],
        per_key: usize,
        found: &mut HashMap<u64, usize>,
        out: &mut Vec<(u64, DocId)>,
    ) {
        for k in keys {
            if let Some(docs) = self.postings.get(k) {
                let n = found.entry(*k).or_default();
                let take = per_key.saturating_sub(*n).min(docs.len());
                out.extend(docs[..take].iter().map(|d| (*k, *d)));
                *n += take;
            }
        }
    }
}

/// An [`Index`] in memory: for tests and for runs without a store.
#[derive(Debug, Default)]
pub struct MemoryIndex {
    postings: HashMap<u64, Vec<DocId>>,
    texts: HashMap<DocId, String>,
    masked: HashMap<DocId, Vec<Span>>,
    block_counts: HashMap<u64, u32>,
}

impl MemoryIndex {
    /// Persists what [`link_batch`] returned.
    pub fn add(&mut self, indexed: &[Indexed]) {
        for ix in indexed {
            if self.texts.contains_key(&ix.doc) {
                continue;
            }
            for k in &ix.keys {
                self.postings.entry(*k).or_default().push(ix.doc);
            }
            self.texts.insert(ix.doc, ix.text.clone());
            if !ix.masked.is_empty() {
                self.masked.insert(ix.doc, ix.masked.clone());
            }
            let mut blocks = ix.outlet_blocks.clone();
            blocks.sort_unstable();
            blocks.dedup();
            for b in blocks {
                *self.block_counts.entry(b).or_default() += 1;
            }
        }
    }
}

impl IndexRead for MemoryIndex {
    type Error = std::convert::Infallible;

    fn postings(&self, keys: &[u64], per_key: usize) -> Result<Vec<(u64, DocId)>, Self::Error> {
        Ok(keys
            .iter()
            .flat_map(|k| {
                self.postings
                    .get(k)
                    .into_iter()
                    .flat_map(move |d| d.iter().take(per_key).map(move |d| (*k, *d)))
            })
            .collect())
    }

    fn text(&self, doc: DocId) -> Result<Option<String>, Self::Error> {
        Ok(self.texts.get(&doc).cloned())
    }

    fn masked(&self, doc: DocId) -> Result<Vec<Span>, Self::Error> {
        Ok(self.masked.get(&doc).cloned().unwrap_or_default())
    }

    fn outlet_block_counts(&self, keys: &[u64]) -> Result<Vec<u32>, Self::Error> {
        Ok(keys.iter().map(|k| self.block_counts.get(k).copied().unwrap_or(0)).collect())
    }
}
