//! The storage contract as tests: what every backend of [`StoreRead`] + [`StoreWrite`] must do,
//! so SQLite, memory and a server database are held to one suite.
//!
//! Enabled by the `contract` feature (and in this crate's own tests). A backend's tests call
//! [`store_contract`], [`provenance_contract`] and [`masked_spans_are_kept`] (or [`run_all`]) with a
//! fresh store and a way to reopen it. These functions panic on the first broken promise: they
//! are test code, for test builds only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::*;
use presswatch_model::{
    AlignedPassage, Article, ArticleMeta, Block, BlockKind, ContentHash, Language, Outlet, Published, Record,
    ReuseKind, Span, EXTRACTOR_VERSION,
};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds")
}

/// The five real seed articles, as records with a minimal derived article each.
pub fn seeds() -> Vec<Ingested> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(seed_dir())
        .expect("seed fixtures")
        .map(|e| e.expect("seed entry").path())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 5, "expected the five seed fixtures");
    paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let bytes = std::fs::read(p).expect("read seed");
            let source = p.display().to_string();
            let outlet = if i < 3 { "Outlet A" } else { "Outlet B" };
            let language = if i % 2 == 0 { "en" } else { "zh" };
            ingested(&source, Format::Markdown, bytes, outlet, Some(language))
        })
        .collect()
}

/// A record and a minimal article derived from it.
pub fn ingested(
    source: &str,
    format: Format,
    bytes: Vec<u8>,
    outlet: &str,
    language: Option<&str>,
) -> Ingested {
    let record = Record::new(source, format, bytes);
    let first_line = String::from_utf8_lossy(record.bytes()).lines().next().unwrap_or("").to_string();
    let article = Article {
        meta: ArticleMeta {
            title: Some(format!("title of {source}")),
            outlet: Outlet::new(outlet),
            language: language.and_then(Language::new),
            ..Default::default()
        },
        blocks: vec![Block { kind: BlockKind::Paragraph, text: first_line, language: None }],
        ..Default::default()
    };
    let article = ArticleRecord::new(source.to_string(), record.hash(), format, article);
    Ingested { record, article }
}

/// The `i`-th synthetic text record (distinct bytes for every `i`).
pub fn synthetic(i: usize) -> Ingested {
    let text = format!("Synthetic article number {i}.\n\nBody text {}\n", "lorem ipsum ".repeat(i % 7));
    ingested(&format!("synthetic/{i}.txt"), Format::Text, text.into_bytes(), "Synthetic", Some("en"))
}

/// A visitor as the `for_each_*` methods take it.
type Visit<'a, T> = &'a mut dyn FnMut(T) -> Result<(), StoreError>;

/// Everything a `for_each_*` method visits, checking the count it returns.
fn visit_all<T>(each: impl FnOnce(Visit<'_, T>) -> Result<u64, StoreError>) -> Vec<T> {
    let mut out = Vec::new();
    let n = each(&mut |item| {
        out.push(item);
        Ok(())
    })
    .unwrap();
    assert_eq!(n as usize, out.len());
    out
}

/// Every article, through `for_each_article`.
pub fn all_articles<S: Store>(store: &S) -> Vec<ArticleRecord> {
    visit_all(|f| store.for_each_article(f))
}

/// Every document, through `for_each_document`.
pub fn all_documents<S: Store>(store: &S) -> Vec<StoredDocument> {
    visit_all(|f| store.for_each_document(f))
}

/// Two records whose sha256 share their first six hex digits (found by a birthday search).
fn colliding_pair() -> (Ingested, Ingested) {
    let mut by_prefix: HashMap<String, Vec<u8>> = HashMap::new();
    for i in 0u32.. {
        let bytes = format!("collision candidate {i}").into_bytes();
        let sha = ContentHash::of(&bytes).to_hex();
        let prefix = sha[..MIN_ID_PREFIX].to_string();
        if let Some(other) = by_prefix.insert(prefix, bytes.clone()) {
            return (
                ingested("collide/a", Format::Text, other, "C", None),
                ingested("collide/b", Format::Text, bytes, "C", None),
            );
        }
    }
    unreachable!("u32 range exhausted")
}

/// The behaviour every [`Store`] must have. `reopen` gives the same store again (a no-op for an
/// in-memory one), to show that what was stored survives a reopen.
pub fn store_contract<S: Store>(mut store: S, reopen: impl Fn(S) -> S) {
    // Empty.
    assert_eq!(store.stats().unwrap(), Stats::default());
    assert_eq!(all_articles(&store).len(), 0);
    assert!(!store.contains(&ContentHash::of(b"not stored")).unwrap());
    assert!(store.article("abcdef").unwrap().is_none());

    // First ingest: everything new; again: everything present.
    let seeds = seeds();
    let outcomes = store.put_batch(&seeds).unwrap();
    assert_eq!(outcomes, vec![PutOutcome::Added; seeds.len()]);
    let outcomes = store.put_batch(&seeds).unwrap();
    assert_eq!(outcomes, vec![PutOutcome::AlreadyPresent; seeds.len()]);
    let mut store = reopen(store);
    assert_eq!(store.put_batch(&seeds).unwrap(), vec![PutOutcome::AlreadyPresent; seeds.len()]);
    let stats = store.stats().unwrap();
    assert_eq!(stats.documents, 5);
    assert_eq!(stats.sources, 5);
    let total: usize = seeds.iter().map(|s| s.record.bytes().len()).sum();
    assert_eq!(stats.raw_bytes, total as u64);

    // Raw bytes come back exactly; the article by every accepted form of its id.
    for s in &seeds {
        let hash = s.record.hash();
        let sha = hash.to_hex();
        assert!(store.contains(&hash).unwrap());
        assert_eq!(store.raw(&hash).unwrap(), s.record.bytes());
        let id = s.article.id.to_string();
        for id in [id.clone(), sha.clone(), sha[..8].to_string(), id.to_uppercase(), sha.to_uppercase()] {
            assert_eq!(store.article(&id).unwrap().as_ref(), Some(&s.article), "lookup by {id}");
        }
        assert_eq!(store.sources(&hash).unwrap(), vec![s.record.source().to_string()]);
    }
    assert!(matches!(store.article("abcde"), Err(StoreError::InvalidId { .. })));
    assert!(matches!(store.article("not-hex-at-all"), Err(StoreError::InvalidId { .. })));
    assert!(matches!(store.article("../../etc/passwd"), Err(StoreError::InvalidId { .. })));
    let absent = ContentHash::of(b"absent");
    assert!(matches!(store.raw(&absent), Err(StoreError::UnknownDocument(s)) if s == absent.to_hex()));
    assert!(store.article(&absent.to_hex()).unwrap().is_none());

    // Same bytes under another name, and twice within one batch: one document, two sources.
    let mut copy = seeds[1].clone();
    copy.record.set_source("mirror/copy.md");
    copy.article.source = "mirror/copy.md".into();
    let new = synthetic(1);
    let batch = [new.clone(), copy.clone(), new.clone()];
    assert_eq!(
        store.put_batch(&batch).unwrap(),
        [PutOutcome::Added, PutOutcome::AlreadyPresent, PutOutcome::AlreadyPresent]
    );
    let hash1 = seeds[1].record.hash();
    assert_eq!(
        store.sources(&hash1).unwrap(),
        vec![seeds[1].record.source().to_string(), "mirror/copy.md".to_string()]
    );
    // The stored article keeps its first source.
    assert_eq!(
        store.article(&hash1.to_hex()).unwrap().map(|a| a.source),
        Some(seeds[1].record.source().to_string())
    );
    let stats = store.stats().unwrap();
    assert_eq!((stats.documents, stats.sources), (6, 7));

    // Ordering: first-seen time, then id.
    let later: Vec<Ingested> = (10..14).map(synthetic).collect();
    store.put_batch(&later).unwrap();
    let docs = all_documents(&store);
    assert_eq!(docs.len(), 10);
    let keys: Vec<(String, DocId)> = docs.iter().map(|d| (d.first_seen.clone(), d.id)).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let seen: BTreeMap<ContentHash, &StoredDocument> = docs.iter().map(|d| (d.sha256, d)).collect();
    for s in seeds.iter().chain(&later) {
        let d = seen[&s.record.hash()];
        assert!(d.first_seen.ends_with('Z'), "{}", d.first_seen);
        assert_eq!((d.format, d.source.as_str()), (s.record.format(), s.record.source()));
        assert_eq!(d.byte_len, s.record.bytes().len() as u64);
        assert_eq!(d.id, s.article.id);
    }
    // A page of articles is that slice of the walk, wherever it starts.
    let walked: Vec<DocId> = all_articles(&store).iter().map(|a| a.id).collect();
    assert_eq!(walked.len(), 10);
    for (offset, limit) in [(0, 3), (3, 4), (8, 5), (10, 2), (0, 0), (u64::MAX, 1)] {
        let page: Vec<DocId> = store.articles_page(offset, limit).unwrap().iter().map(|a| a.id).collect();
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(walked.len());
        let expected = &walked[start..(start.saturating_add(limit)).min(walked.len())];
        assert_eq!(page, expected, "page at {offset} of {limit}");
    }
    // Every seed was stored before every later record.
    let position = |sha: ContentHash| docs.iter().position(|d| d.sha256 == sha).unwrap();
    let last_seed = seeds.iter().map(|s| position(s.record.hash())).max().unwrap();
    let first_later = later.iter().map(|s| position(s.record.hash())).min().unwrap();
    assert!(last_seed < first_later);
    // `seq` follows the order documents were stored in, within a batch too.
    let seq = |hash: ContentHash| seen[&hash].seq;
    let stored: Vec<u64> = seeds.iter().chain([&new]).chain(&later).map(|s| seq(s.record.hash())).collect();
    assert!(stored.windows(2).all(|w| w[0] < w[1]), "{stored:?}");
    let articles = all_articles(&store);
    let article_order: Vec<ContentHash> = articles.iter().map(|a| a.sha256).collect();
    let document_order: Vec<ContentHash> = docs.iter().map(|d| d.sha256).collect();
    assert_eq!(article_order, document_order);

    // A callback error stops the walk and comes back unchanged.
    let mut calls = 0;
    let err = store
        .for_each_article(&mut |_| {
            calls += 1;
            if calls == 2 {
                return Err(StoreError::Callback("stop here".into()));
            }
            Ok(())
        })
        .unwrap_err();
    assert_eq!((calls, err.to_string().as_str()), (2, "stop here"));

    // Ambiguous prefixes are refused; a longer one finds its document.
    let (a, b) = colliding_pair();
    store.put_batch(&[a.clone(), b.clone()]).unwrap();
    let short = &a.record.hash().to_hex()[..MIN_ID_PREFIX];
    assert!(matches!(store.article(short), Err(StoreError::AmbiguousId { .. })));
    assert_eq!(store.article(&b.article.id.to_string()).unwrap(), Some(b.article.clone()));

    // A batch whose article does not belong to its record is refused whole.
    let before = store.stats().unwrap();
    let mut wrong = synthetic(99);
    wrong.article = synthetic(98).article;
    let err = store.put_batch(&[synthetic(97), wrong]).unwrap_err();
    assert!(matches!(err, StoreError::Mismatch { .. }), "{err}");
    assert_eq!(store.stats().unwrap(), before);
    assert!(!store.contains(&synthetic(97).record.hash()).unwrap());

    // Reprocess: replaced articles; stale ones counted; unknown documents refuse the whole update.
    assert_eq!(store.stats().unwrap().stale, 0);
    let mut old = seeds[0].article.clone();
    old.meta.title = Some("Old extraction".into());
    old.extractor_version = "presswatch-0.0.1".into();
    store.update_articles(&[old.clone()]).unwrap();
    assert_eq!(store.article(&old.id.to_string()).unwrap(), Some(old.clone()));
    assert_eq!(store.stats().unwrap().stale, 1);
    let mut fresh = old.clone();
    fresh.meta.title = Some("Fresh extraction".into());
    fresh.extractor_version = EXTRACTOR_VERSION.into();
    let unknown = synthetic(500).article;
    let err = store.update_articles(&[fresh.clone(), unknown.clone()]).unwrap_err();
    assert!(matches!(&err, StoreError::UnknownDocument(s) if *s == unknown.sha256.to_hex()), "{err}");
    assert_eq!(store.article(&old.id.to_string()).unwrap(), Some(old.clone()));
    store.update_articles(&[fresh.clone()]).unwrap();
    assert_eq!(store.article(&old.id.to_string()).unwrap(), Some(fresh));
    assert_eq!(store.stats().unwrap().stale, 0);

    // Rejections: one row per source with its latest reason, repeats add nothing.
    let rej = |s: &str, r: &str| (s.to_string(), r.to_string());
    store
        .record_rejections(&[rej("bad.bin", "binary"), rej("bad.bin", "binary"), rej("e.html", "empty")])
        .unwrap();
    let first = store.rejections().unwrap();
    assert_eq!(first.len(), 2);
    store.record_rejections(&[rej("e.html", "empty")]).unwrap();
    assert_eq!(store.rejections().unwrap(), first, "re-rejecting changes nothing");
    store.record_rejections(&[rej("bad.bin", "too large")]).unwrap();
    let latest = store.rejections().unwrap();
    let reasons: Vec<(&str, &str)> = latest.iter().map(|r| (r.source.as_str(), r.reason.as_str())).collect();
    assert_eq!(reasons, [("bad.bin", "too large"), ("e.html", "empty")]);
    let mut store = reopen(store);
    assert_eq!(store.rejections().unwrap(), latest);

    // Stats: 5 seeds + 1 + 4 + 2 colliding documents.
    let stats = store.stats().unwrap();
    assert_eq!(stats.documents, 12);
    assert_eq!(stats.rejected, 2);
    assert_eq!(stats.by_format, [(Format::Text, 7), (Format::Markdown, 5)]);
    assert_eq!(stats.by_language, [(Language::new("en"), 8), (None, 2), (Language::new("zh"), 2)]);
    let outlets: Vec<(&str, u64)> = stats.top_outlets.iter().map(|(o, n)| (o.as_str(), *n)).collect();
    assert_eq!(outlets, [("Synthetic", 5), ("Outlet A", 3), ("C", 2), ("Outlet B", 2)]);

    // Many outlets: only the top ones are listed, most frequent first.
    let many: Vec<Ingested> = (0..TOP_OUTLETS + 5)
        .map(|i| {
            let bytes = format!("outlet test {i}").into_bytes();
            ingested(&format!("o/{i}"), Format::Json, bytes, &format!("Outlet {i:03}"), None)
        })
        .collect();
    store.put_batch(&many).unwrap();
    assert!(store.put_batch(&[]).unwrap().is_empty());
    let stats = store.stats().unwrap();
    assert_eq!(stats.top_outlets.len(), TOP_OUTLETS);
    assert_eq!(stats.top_outlets[0], (Outlet::new("Synthetic").unwrap(), 5));
    assert!(stats.top_outlets.windows(2).all(|w| w[0].1 >= w[1].1));
}

/// A document key.
pub const A: DocId = DocId::from_u64(0x0000_0000_0000_00a1);
/// Above 2^63: stored as a negative INTEGER.
pub const B: DocId = DocId::from_u64(0xf000_0000_0000_00b2);
/// A document key that is never stored.
const NINE: DocId = DocId::from_u64(9);
/// A document key.
pub const C: DocId = DocId::from_u64(0x7000_0000_0000_00c3);

/// A stored link from `doc` to `other` with fixed shares and two evidence passages.
pub fn link(doc: DocId, other: DocId, kind: ReuseKind) -> StoredLink {
    let evidence = vec![
        AlignedPassage { source: Span::new(0, 10), copy: Span::new(3, 14), similarity: 0.875 },
        AlignedPassage { source: Span::new(20, 42), copy: Span::new(15, 37), similarity: 1.0 },
    ];
    StoredLink { doc, other, kind, doc_share: 0.3125, other_share: 0.75, evidence }
}

/// An index entry.
pub fn entry(doc: DocId, text: &str, keys: &[u64], blocks: &[u64], links: Vec<StoredLink>) -> IndexEntry {
    IndexEntry {
        doc,
        text: text.to_string(),
        masked: Vec::new(),
        keys: keys.to_vec(),
        outlet_blocks: blocks.to_vec(),
        links,
        ..Default::default()
    }
}

/// Stores index entries alone (no batch), as reprocess does.
pub fn index<S: Store>(store: &mut S, entries: &[IndexEntry], published: &[Option<&str>]) {
    let published: Vec<Option<Published>> = published.iter().map(|p| p.map(|p| p.parse().unwrap())).collect();
    assert_eq!(store.put_batch_indexed(&[], entries, &published).unwrap(), []);
}

/// Every link, through `for_each_link`.
pub fn all_links<S: Store>(store: &S) -> Vec<StoredLink> {
    visit_all(|f| store.for_each_link(f))
}

/// Every document time, checking the streaming order (first seen first).
pub fn doc_times<S: StoreRead>(store: &S) -> HashMap<DocId, DocTime> {
    let times = visit_all(|f| store.for_each_doc_time(&mut |d, t| f((d, t))));
    assert!(times.windows(2).all(|w| w[0].1.seen < w[1].1.seen));
    times.into_iter().collect()
}

/// A document time.
pub fn time(published: Option<&str>, seen: u64) -> DocTime {
    DocTime { published: published.map(|p| p.parse().unwrap()), seen }
}

/// What every store must do with provenance. `reopen` gives the same store again.
pub fn provenance_contract<S: Store>(mut store: S, reopen: impl Fn(S) -> S) {
    // Empty.
    assert_eq!(store.postings(&[1, 2], 32).unwrap(), []);
    assert_eq!(store.text(A).unwrap(), None);
    assert_eq!(store.outlet_block_counts(&[10]).unwrap(), [0]);
    assert!(doc_times(&store).is_empty());
    assert!(all_links(&store).is_empty());
    assert!(!store.is_indexed(A).unwrap());
    assert_eq!(store.stats().unwrap().linked, 0);

    // Two documents sharing keys 2 (A repeats it: still one posting) and block 10.
    let a_text = "Troops massed near the border, officials said.";
    let b_text = "TROOPS MASSED NEAR THE BORDER, officials said on Tuesday.";
    let b_to_a = link(B, A, ReuseKind::Near);
    index(
        &mut store,
        &[
            entry(A, a_text, &[5, 1, 2, 2], &[10, 10, 11], Vec::new()),
            entry(B, b_text, &[2, 3, 4], &[10], vec![b_to_a.clone()]),
        ],
        &[Some("2024-03-01T10:00:00Z"), None],
    );
    let check_first_two = |store: &S| {
        assert_eq!(store.postings(&[2, 1, 99, 3], 32).unwrap(), [(2, A), (2, B), (1, A), (3, B)]);
        assert_eq!(store.postings(&[2], 1).unwrap(), [(2, A)], "earliest first, limit respected");
        assert_eq!(store.postings(&[2, 3], 0).unwrap(), []);
        assert_eq!(store.text(A).unwrap().as_deref(), Some(a_text));
        assert_eq!(store.text(B).unwrap().as_deref(), Some(b_text));
        assert_eq!(store.outlet_block_counts(&[10, 11, 12, 10]).unwrap(), [2, 1, 0, 2]);
        assert_eq!(store.doc_time(A).unwrap(), Some(time(Some("2024-03-01T10:00:00Z"), 1)));
        assert_eq!(store.doc_time(B).unwrap(), Some(time(None, 2)));
        assert!(store.is_indexed(A).unwrap() && store.is_indexed(B).unwrap());
    };
    check_first_two(&store);
    assert_eq!(store.text(C).unwrap(), None);
    assert_eq!(store.doc_time(C).unwrap(), None);
    assert!(!store.is_indexed(C).unwrap());
    let stored = b_to_a.clone();
    assert_eq!(stored.evidence.len(), 2);
    assert_eq!(store.links_of(A).unwrap(), std::slice::from_ref(&stored));
    assert_eq!(store.links_of(B).unwrap(), std::slice::from_ref(&stored));
    assert_eq!(store.links_of(C).unwrap(), []);
    assert_eq!(all_links(&store), std::slice::from_ref(&stored));
    assert_eq!(store.stats().unwrap().linked, 2);

    // Indexing A again (alone, or twice in one call) changes nothing at all.
    let again = entry(A, "other text", &[77, 2], &[10, 12], vec![link(A, C, ReuseKind::Exact)]);
    index(&mut store, &[again.clone(), again], &[None, Some("1999-01-01")]);
    check_first_two(&store);
    assert_eq!(store.postings(&[77], 32).unwrap(), []);
    assert_eq!(store.outlet_block_counts(&[12]).unwrap(), [0]);
    assert_eq!(all_links(&store), std::slice::from_ref(&stored));

    // C, given twice in one call: the first entry counts. Then 40 documents sharing key 7, in
    // decreasing key order, so first-seen order differs from key order.
    let c_links = vec![link(C, B, ReuseKind::Exact), link(C, A, ReuseKind::Partial)];
    index(
        &mut store,
        &[entry(C, "c text", &[6], &[], c_links.clone()), entry(C, "c again", &[8], &[], Vec::new())],
        &[Some("2024-02-29"), None],
    );
    assert_eq!(store.postings(&[6, 8], 32).unwrap(), [(6, C)]);
    let many: Vec<IndexEntry> =
        (0..40u64).map(|i| entry(DocId::from_u64(5_000 - i), "many", &[7], &[], Vec::new())).collect();
    index(&mut store, &many, &[None; 40]);
    let first_32: Vec<(u64, DocId)> = (0..32u64).map(|i| (7, DocId::from_u64(5_000 - i))).collect();
    let check_all = |store: &S| {
        check_first_two(store);
        assert_eq!(store.postings(&[7], 32).unwrap(), first_32);
        assert_eq!(store.doc_time(C).unwrap(), Some(time(Some("2024-02-29"), 3)));
        assert_eq!(store.doc_time(DocId::from_u64(4_961)).unwrap(), Some(time(None, 43)));
        let times = doc_times(store);
        assert_eq!(times.len(), 43);
        assert_eq!(times.get(&B), Some(&time(None, 2)));
        let ca = c_links[1].clone();
        let cb = c_links[0].clone();
        // Ordered by (doc, other) as u64: C < B because B is above 2^63.
        assert_eq!(all_links(store), [ca.clone(), cb.clone(), stored.clone()]);
        assert_eq!(store.links_of(A).unwrap(), [ca.clone(), stored.clone()]);
        assert_eq!(store.links_of(B).unwrap(), [cb.clone(), stored.clone()]);
        assert_eq!(store.links_of(C).unwrap(), [ca, cb]);
        assert_eq!(store.stats().unwrap().linked, 3);
    };
    check_all(&store);
    let mut store = reopen(store);
    check_all(&store);
    // A mismatched batch is refused whole.
    let err = store
        .put_batch_indexed(&[synthetic(1)], &[entry(NINE, "x", &[9], &[], Vec::new())], &[])
        .unwrap_err();
    assert!(matches!(err, StoreError::ProvenanceMismatch(_)), "{err}");
    let err = store
        .put_batch_indexed(&[], &[entry(NINE, "x", &[9], &[], vec![link(A, B, ReuseKind::Spun)])], &[None])
        .unwrap_err();
    assert!(matches!(err, StoreError::ProvenanceMismatch(_)), "{err}");
    assert!(!store.contains(&synthetic(1).record.hash()).unwrap());
    assert!(!store.is_indexed(NINE).unwrap());
    check_all(&store);
    // Ten more holding key 7: the limit takes the earliest, across however the store splits them.
    let more: Vec<IndexEntry> =
        (0..10u64).map(|i| entry(DocId::from_u64(4_000 - i), "more", &[7], &[11], Vec::new())).collect();
    index(&mut store, &more, &[None; 10]);
    let first_45: Vec<(u64, DocId)> = (0..40u64)
        .map(|i| (7, 5_000 - i))
        .chain((0..5u64).map(|i| (7, 4_000 - i)))
        .map(|(k, d)| (k, DocId::from_u64(d)))
        .collect();
    assert_eq!(store.postings(&[7], 45).unwrap(), first_45);
    assert_eq!(store.postings(&[7, 2], 41).unwrap()[40..], [(7, DocId::from_u64(4_000)), (2, A), (2, B)]);
    assert_eq!(doc_times(&store).len(), 53);
    assert_eq!(store.outlet_block_counts(&[11, 10]).unwrap(), [11, 2]);

    // Clearing empties the index and the links, not the documents; numbering starts again.
    store.put_batch(&[synthetic(2)]).unwrap();
    store.clear_provenance().unwrap();
    assert_eq!(store.postings(&[2, 7], 32).unwrap(), []);
    assert_eq!(store.text(A).unwrap(), None);
    assert_eq!(store.outlet_block_counts(&[10]).unwrap(), [0]);
    assert!(doc_times(&store).is_empty());
    assert!(all_links(&store).is_empty());
    assert!(store.links_of(A).unwrap().is_empty());
    let stats = store.stats().unwrap();
    assert_eq!((stats.linked, stats.documents), (0, 1));
    index(&mut store, &[entry(B, b_text, &[2], &[], Vec::new())], &[None]);
    assert_eq!(store.doc_time(B).unwrap(), Some(time(None, 1)));
}

/// The spans a corpus stage leaves out of matching are kept with the indexed text and read back;
/// a document without any has none.
pub fn masked_spans_are_kept<S: Store>(mut store: S, reopen: impl Fn(S) -> S) {
    let text = "Body.\n\nAbout us: a standing footer.\n\nMore body.";
    let masked = vec![Span::new(7, 33)];
    let mut with_mask = entry(A, text, &[1], &[], Vec::new());
    with_mask.masked = masked.clone();
    index(&mut store, &[with_mask, entry(B, "plain", &[2], &[], Vec::new())], &[None, None]);
    let store = reopen(store);
    assert_eq!(store.masked(A).unwrap(), masked);
    assert_eq!(store.masked(B).unwrap(), []);
    assert_eq!(store.masked(C).unwrap(), []);
}

/// The story index: placements, merges (members move, the absorbed story goes), postings
/// newest first, rolling document frequencies and the last state of each story are read back
/// after reopening; a document is placed once; clearing the provenance index clears it too.
pub fn story_index_contract<S: Store>(mut store: S, reopen: impl Fn(S) -> S) {
    let (a, b, c) = (DocId::from_u64(1), DocId::from_u64(2), DocId::from_u64(3));
    let state = |id: DocId, size: u32, seq: u64| StoryState {
        id,
        label: format!("story {id}"),
        size,
        first_day: Some(18_974),
        last_day: Some(18_975),
        last_seq: seq,
        terms: vec![(5, 0.5), (9, 1.0)],
        entities: vec![(7, 1.0)],
    };
    let link = |doc: DocId, story: DocId, size: u32, seq: u64, merges: Vec<StoryMerge>| StoryLink {
        doc,
        story,
        score: if doc == story { 0.0 } else { 0.5 },
        terms: vec![5, 9],
        keys: vec![9],
        state: state(story, size, seq),
        merges,
    };
    store
        .put_batch_corpus(&[], &[], &[], &[], &[link(a, a, 1, 1, vec![]), link(b, b, 1, 2, vec![])])
        .unwrap();
    let bridge = link(c, a, 3, 3, vec![StoryMerge { from: b, into: a, doc: c }]);
    store.put_batch_corpus(&[], &[], &[], &[], std::slice::from_ref(&bridge)).unwrap();
    // Taken once: the same link again changes nothing.
    store.put_batch_corpus(&[], &[], &[], &[], &[bridge]).unwrap();
    let mut store = reopen(store);
    for d in [a, b, c] {
        assert_eq!(store.story_of(d).unwrap(), Some(a), "{d}");
    }
    assert_eq!(store.story_merged_into(b).unwrap(), Some(a));
    assert_eq!(store.story_state(b).unwrap(), None);
    assert_eq!(store.story_state(a).unwrap(), Some(state(a, 3, 3)));
    assert_eq!(store.stories_by_key(9, 10).unwrap(), [a, b, a]);
    assert_eq!(store.stories_by_key(9, 1).unwrap(), [a]);
    assert_eq!(store.term_docs(&[5, 9, 6]).unwrap(), [3, 3, 0]);
    assert_eq!(store.story_doc_count().unwrap(), 3);
    let listed = store.stories().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id, listed[0].size, listed[0].label.as_str()), (a, 3, "story 0000000000000001"));
    assert_eq!(store.story_docs(a).unwrap(), [(a, 0.0), (b, 0.0), (c, 0.5)]);
    assert_eq!(store.story_assignments().unwrap(), [(a, a), (b, a), (c, a)]);
    assert_eq!(store.story_merges().unwrap(), [StoryMerge { from: b, into: a, doc: c }]);
    store.clear_provenance().unwrap();
    assert_eq!(store.story_of(a).unwrap(), None);
    assert_eq!(store.story_doc_count().unwrap(), 0);
    assert!(store.stories().unwrap().is_empty());
}

/// The entity index: what a batch's [`EntityLink`]s add is read back after reopening, a
/// document's link is taken once, and clearing the provenance index clears it too.
pub fn entity_index_contract<S: Store>(mut store: S, reopen: impl Fn(S) -> S) {
    use presswatch_model::{EntityType, KnownEntity};
    let blinken =
        KnownEntity { id: "b".into(), name: "Antony Blinken".into(), kind: EntityType::Person, docs: 0 };
    let first = EntityLink {
        doc: A,
        entities: vec![("b".into(), "Antony Blinken".into(), 3)],
        new_entities: vec![blinken.clone()],
        new_keys: vec![
            ("person:k:antoni blinken".into(), "b".into()),
            ("person:s:blinken".into(), "b".into()),
        ],
        new_aliases: Vec::new(),
    };
    let second = EntityLink {
        doc: B,
        entities: vec![("b".into(), "Blnken".into(), 1)],
        new_aliases: vec![("typo".into(), "b".into())],
        ..Default::default()
    };
    store.put_batch_linked(&[], &[], &[], &[first.clone(), second.clone()]).unwrap();
    // Taken once: the same links again change nothing.
    store.put_batch_linked(&[], &[], &[], &[second]).unwrap();
    let mut store = reopen(store);
    assert_eq!(store.known_entity("b").unwrap(), Some(KnownEntity { docs: 2, ..blinken.clone() }));
    assert_eq!(store.known_entity("typo").unwrap(), None);
    assert_eq!(store.entity_alias("typo").unwrap().as_deref(), Some("b"));
    assert_eq!(store.entity_alias("b").unwrap(), None);
    assert!(store.entity_doc_seen(A).unwrap() && store.entity_doc_seen(B).unwrap());
    assert!(!store.entity_doc_seen(C).unwrap());
    assert_eq!(
        store.entities_by_key(&["person:s:blinken".into(), "person:s:putin".into()]).unwrap(),
        [("person:s:blinken".to_string(), "b".to_string())]
    );
    assert_eq!(store.entities().unwrap(), [KnownEntity { docs: 2, ..blinken }]);
    assert_eq!(store.entity_aliases().unwrap(), [("typo".to_string(), "b".to_string())]);
    let mut docs = store.entity_docs("b").unwrap();
    docs.sort();
    let mut want = vec![(A, "Antony Blinken".to_string(), 3), (B, "Blnken".to_string(), 1)];
    want.sort();
    assert_eq!(docs, want);
    store.clear_provenance().unwrap();
    assert!(store.entities().unwrap().is_empty());
    assert!(store.entity_aliases().unwrap().is_empty());
    assert!(!store.entity_doc_seen(A).unwrap());
}

/// A quote as the quote-groups stage indexes it.
pub fn quote_entry(n: u32, text: &str, speaker: Option<&str>, keys: &[u64]) -> QuoteEntry {
    QuoteEntry { n, text: text.to_string(), speaker: speaker.map(String::from), keys: keys.to_vec() }
}

/// A quote link of `quote` to `other`.
pub fn quote_link(quote: QuoteId, other: QuoteId, via: QuoteMatch) -> QuoteLink {
    QuoteLink { quote, other, via, similarity: 0.875 }
}

/// What every store must do with the quote-groups stage's index and links: kept with the
/// document's index entry (ignored with it when the document is indexed already), read back
/// by document and by key (earliest indexed first), listed, and cleared with provenance.
pub fn quote_contract<S: Store>(mut store: S, reopen: impl Fn(S) -> S) {
    let q = QuoteId::new;
    assert_eq!(store.quote_postings(&[7], 16).unwrap(), []);
    assert_eq!(store.quotes_of(A).unwrap(), []);
    assert!(store.quote_links_of(A).unwrap().is_empty());

    let mut a = entry(A, "a", &[1], &[], Vec::new());
    a.quotes = vec![
        quote_entry(0, "We have nowhere to go", Some("Vladimir Putin"), &[7, 8]),
        quote_entry(1, "dead end", None, &[]),
    ];
    let mut b = entry(B, "b", &[2], &[], Vec::new());
    b.quotes = vec![quote_entry(0, "We have nowhere else to go", Some("Putin"), &[7, 9])];
    b.quote_links = vec![quote_link(q(B, 0), q(A, 0), QuoteMatch::Copy)];
    index(&mut store, &[a, b], &[None, None]);
    // A second entry for an indexed document changes nothing, its quotes included.
    let mut again = entry(B, "b", &[2], &[], Vec::new());
    again.quotes = vec![quote_entry(0, "other words", None, &[7])];
    again.quote_links = vec![quote_link(q(B, 0), q(A, 1), QuoteMatch::Text)];
    let mut c = entry(C, "c", &[3], &[], Vec::new());
    c.quotes = vec![quote_entry(0, "We have nowhere to go", None, &[7, 8])];
    c.quote_links = vec![quote_link(q(C, 0), q(B, 0), QuoteMatch::Text)];
    index(&mut store, &[again, c], &[None, None]);
    let store_mismatch = {
        let d = DocId::from_u64(0x0000_0000_0000_00d4);
        let mut bad = entry(d, "d", &[4], &[], Vec::new());
        bad.quote_links = vec![quote_link(q(A, 0), q(B, 0), QuoteMatch::Text)];
        store.put_batch_indexed(&[], &[bad], &[None])
    };
    assert!(matches!(store_mismatch, Err(StoreError::ProvenanceMismatch(_))), "{store_mismatch:?}");

    let mut store = reopen(store);
    let quotes = store.quotes_of(A).unwrap();
    assert_eq!(quotes.len(), 2);
    assert_eq!(
        quotes[0],
        StoredQuote {
            id: q(A, 0),
            text: "We have nowhere to go".into(),
            speaker: Some("Vladimir Putin".into())
        }
    );
    assert_eq!(quotes[1].speaker, None);
    assert_eq!(store.quotes_of(B).unwrap()[0].text, "We have nowhere else to go");
    assert_eq!(store.quotes_of(DocId::from_u64(0x0000_0000_0000_00d4)).unwrap(), []);
    // Earliest indexed first, each key up to the limit.
    assert_eq!(store.quote_postings(&[7], 16).unwrap(), [(7, q(A, 0)), (7, q(B, 0)), (7, q(C, 0))]);
    assert_eq!(store.quote_postings(&[7, 8], 1).unwrap(), [(7, q(A, 0)), (8, q(A, 0))]);
    assert_eq!(store.quote_postings(&[9, 10], 16).unwrap(), [(9, q(B, 0))]);
    // Links by either side, and all of them.
    let of_b = store.quote_links_of(B).unwrap();
    // Ordered by (quote, other), ids as numbers: C (0x70...) before B (0xf0...).
    assert_eq!(
        of_b,
        [quote_link(q(C, 0), q(B, 0), QuoteMatch::Text), quote_link(q(B, 0), q(A, 0), QuoteMatch::Copy)]
    );
    assert_eq!(store.quote_links_of(A).unwrap(), [quote_link(q(B, 0), q(A, 0), QuoteMatch::Copy)]);
    let all = visit_all(|f| store.for_each_quote_link(f));
    assert_eq!(all, of_b);
    // Cleared with provenance.
    store.clear_provenance().unwrap();
    let store = reopen(store);
    assert_eq!(store.quotes_of(A).unwrap(), []);
    assert_eq!(store.quote_postings(&[7], 16).unwrap(), []);
    assert!(visit_all(|f| store.for_each_quote_link(f)).is_empty());
}

/// `restore_blobs` on an intact store rewrites nothing and changes nothing, and refuses (changing
/// nothing) records of documents that are not stored; the walks that report damage see none.
pub fn intact_blobs_are_not_restored<S: Store>(mut store: S, reopen: impl Fn(S) -> S) {
    let seeds = seeds();
    store.put_batch(&seeds).unwrap();
    let records: Vec<Record> = seeds.iter().map(|s| s.record.clone()).collect();
    let stranger = Record::new("stranger", Format::Text, b"never stored".to_vec());
    let err = store.restore_blobs(&[records[0].clone(), stranger]).unwrap_err();
    assert!(matches!(err, StoreError::UnknownDocument(_)), "{err}");
    assert_eq!(store.restore_blobs(&records).unwrap(), vec![PutOutcome::AlreadyPresent; records.len()]);
    let store = reopen(store);
    let articles = all_articles(&store);
    let mut walked = Vec::new();
    store
        .for_each_article_or_damage(&mut |a| {
            walked.push(a.expect("no damage"));
            Ok(())
        })
        .unwrap();
    assert_eq!(walked, articles);
    let verified = store.verify(&mut |d| panic!("damage in an intact store: {d:?}")).unwrap();
    assert_eq!((verified.blobs, verified.articles), (5, 5));
}

/// Everything a reader can see of a store: what "as before" is checked against.
#[derive(Debug, PartialEq)]
pub struct Observed {
    articles: Vec<ArticleRecord>,
    documents: Vec<StoredDocument>,
    links: Vec<StoredLink>,
    times: Vec<(DocId, DocTime)>,
    postings: Vec<(u64, DocId)>,
    texts: Vec<Option<String>>,
    blocks: Vec<u32>,
    rejections: Vec<Rejection>,
    stats: Stats,
}

/// What [`Observed`] reads of `store`; `keys` and `docs` are the index keys and documents whose
/// postings, block counts and indexed texts it reads.
pub fn observe<S: StoreRead>(store: &S, keys: &[u64], docs: &[DocId]) -> Observed {
    let mut times: Vec<(DocId, DocTime)> = doc_times(store).into_iter().collect();
    times.sort_by_key(|(_, t)| t.seen);
    Observed {
        articles: visit_all(|f| store.for_each_article(f)),
        documents: visit_all(|f| store.for_each_document(f)),
        links: visit_all(|f| store.for_each_link(f)),
        times,
        postings: store.postings(keys, 32).unwrap(),
        texts: docs.iter().map(|d| store.text(*d).unwrap()).collect(),
        blocks: store.outlet_block_counts(keys).unwrap(),
        rejections: store.rejections().unwrap(),
        stats: store.stats().unwrap(),
    }
}

/// What every store must do with a rebuild ([`StoreWrite::begin_rebuild`]): everything written
/// in it shows through the same handle at once, and to everyone when it commits; an abort (or,
/// for a persistent store, a reopen without commit) leaves the store exactly as before.
pub fn rebuild_contract<S: Store>(mut store: S, reopen: impl Fn(S) -> S) {
    let (keys, docs) = ([1, 2, 3, 4, 10, 11], [A, B, C]);
    let seeds = seeds();
    store.put_batch(&seeds).unwrap();
    index(
        &mut store,
        &[
            entry(A, "a text", &[1, 2], &[10], Vec::new()),
            entry(B, "b text", &[2, 3], &[10], vec![link(B, A, ReuseKind::Near)]),
        ],
        &[Some("2024-03-01"), None],
    );
    store.record_rejections(&[("bad.bin".into(), "binary data".into())]).unwrap();
    let before = observe(&store, &keys, &docs);

    // Ending a rebuild that was never begun is refused, and changes nothing.
    assert!(matches!(store.commit_rebuild(), Err(StoreError::Rebuild(_))));
    assert!(matches!(store.abort_rebuild(), Err(StoreError::Rebuild(_))));

    // What a reprocess does: clear, re-index in another order, replace articles; plus a new
    // document and a rejection, so every kind of write is in the rebuild.
    let rewrite = |store: &mut S| {
        store.clear_provenance().unwrap();
        index(
            store,
            &[
                entry(C, "c text", &[4], &[11], Vec::new()),
                entry(A, "a again", &[1, 4], &[11], vec![link(A, C, ReuseKind::Exact)]),
            ],
            &[None, Some("2024-03-02")],
        );
        let mut updated = seeds[0].article.clone();
        updated.meta.title = Some("rebuilt title".into());
        store.update_articles(&[updated]).unwrap();
        store.put_batch(&[synthetic(3)]).unwrap();
        store.record_rejections(&[("worse.bin".into(), "binary data".into())]).unwrap();
        // A write that fails inside the rebuild undoes only itself (here after writing the
        // first of its two articles).
        let mut kept = seeds[1].article.clone();
        kept.meta.title = Some("must not stay".into());
        let err = store.update_articles(&[kept, synthetic(4).article]).unwrap_err();
        assert!(matches!(err, StoreError::UnknownDocument(_)), "{err}");
    };
    let check_rewritten = |store: &S| {
        let now = observe(store, &keys, &docs);
        assert_eq!(now.links, [link(A, C, ReuseKind::Exact)]);
        assert_eq!(now.times, [(C, time(None, 1)), (A, time(Some("2024-03-02"), 2))]);
        assert_eq!(now.postings, [(1, A), (4, C), (4, A)]);
        assert_eq!(now.texts, [Some("a again".to_string()), None, Some("c text".to_string())]);
        assert_eq!(now.blocks, [0, 0, 0, 0, 0, 2]);
        assert_eq!(now.rejections.len(), 2);
        assert_eq!(now.documents.len(), seeds.len() + 1);
        let title = store.article(&seeds[0].article.id.to_string()).unwrap().unwrap().meta.title;
        assert_eq!(title.as_deref(), Some("rebuilt title"));
        let title = store.article(&seeds[1].article.id.to_string()).unwrap().unwrap().meta.title;
        assert_eq!(title, seeds[1].article.meta.title);
        assert!(!store.contains(&synthetic(4).record.hash()).unwrap());
    };

    store.begin_rebuild().unwrap();
    assert!(matches!(store.begin_rebuild(), Err(StoreError::Rebuild(_))), "one rebuild at a time");
    rewrite(&mut store);
    check_rewritten(&store);
    store.abort_rebuild().unwrap();
    assert_eq!(observe(&store, &keys, &docs), before, "an aborted rebuild leaves nothing");
    let mut store = reopen(store);
    assert_eq!(observe(&store, &keys, &docs), before);

    // Committed: all of it, and it lasts; writes after it commit on their own again.
    store.begin_rebuild().unwrap();
    rewrite(&mut store);
    store.commit_rebuild().unwrap();
    check_rewritten(&store);
    assert!(matches!(store.commit_rebuild(), Err(StoreError::Rebuild(_))));
    let mut store = reopen(store);
    check_rewritten(&store);
    store.put_batch(&[synthetic(5)]).unwrap();
    let store = reopen(store);
    assert!(store.contains(&synthetic(5).record.hash()).unwrap());
}

/// Runs the whole contract: `fresh` gives a new, empty store each time; `reopen` gives the same
/// store again (closing and opening it, for a persistent one).
pub fn run_all<S: Store>(mut fresh: impl FnMut() -> S, reopen: impl Fn(S) -> S) {
    store_contract(fresh(), &reopen);
    provenance_contract(fresh(), &reopen);
    masked_spans_are_kept(fresh(), &reopen);
    entity_index_contract(fresh(), &reopen);
    quote_contract(fresh(), &reopen);
    story_index_contract(fresh(), &reopen);
    intact_blobs_are_not_restored(fresh(), &reopen);
    rebuild_contract(fresh(), &reopen);
}
