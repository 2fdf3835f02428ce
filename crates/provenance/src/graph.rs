//! From stored links to what an article shows: its sources (`derived_from`) and its duplicate
//! cluster (`dup_cluster`).
//!
//! Links are stored as found (new document -> matched earlier-indexed one), but which of two
//! documents is the source is decided here, when reading: the earlier published (by day), then
//! the earlier seen. So a source ingested after its copy still ends up as the source.

use crate::stage::{doc_id, DocKey};
use presswatch_model::{AlignedPassage, DerivedFrom, DocId, ReuseKind};
use std::collections::{HashMap, HashSet};

/// A stored link, as [`crate::Link`] but flattened for storage.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredLink {
    /// The document that was new when the link was found (offsets under `copy`).
    pub doc: DocKey,
    /// The document it matched (offsets under `source`).
    pub other: DocKey,
    pub kind: ReuseKind,
    /// Share of `doc`'s text aligned.
    pub doc_share: f32,
    /// Share of `other`'s text aligned.
    pub other_share: f32,
    pub evidence: Vec<AlignedPassage>,
}

impl StoredLink {
    pub fn from_link(link: &crate::Link) -> StoredLink {
        StoredLink {
            doc: link.doc,
            other: link.other,
            kind: link.alignment.kind,
            doc_share: link.alignment.copy_share,
            other_share: link.alignment.source_share,
            evidence: link.alignment.passages.clone(),
        }
    }

    /// Whether the two documents are copies of one article (so they share a duplicate cluster):
    /// a whole-copy kind, and at least half of each text aligned.
    pub fn is_whole_copy(&self) -> bool {
        crate::align::whole_copy(self.kind, self.doc_share, self.other_share)
    }

    /// The link seen from `from`'s side: (the other document, the other's share reused, evidence
    /// with `source` = the other's offsets and `copy` = `from`'s).
    pub fn seen_from(&self, from: DocKey) -> (DocKey, f32, Vec<AlignedPassage>) {
        if from == self.doc {
            (self.other, self.other_share, self.evidence.clone())
        } else {
            let flipped = self
                .evidence
                .iter()
                .map(|p| AlignedPassage { source: p.copy, copy: p.source, ..*p })
                .collect();
            (self.doc, self.doc_share, flipped)
        }
    }
}

/// What decides which of two documents came first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocTime {
    /// The published date, `YYYY-MM-DD...` (only the day is compared).
    pub published: Option<String>,
    /// Insertion order in the index (first seen).
    pub seen: u64,
}

impl DocTime {
    fn day(&self) -> Option<&str> {
        self.published.as_deref().and_then(|p| p.get(..10)).filter(|d| d.as_bytes()[4] == b'-')
    }

    /// Whether `self` is earlier than `other`: by published day when both have one, then by
    /// first seen.
    pub fn is_before(&self, other: &DocTime) -> bool {
        if let (Some(a), Some(b)) = (self.day(), other.day()) {
            if a != b {
                return a < b;
            }
        }
        self.seen < other.seen
    }

    /// A total order key (documents without a date sort after dated ones of any day).
    fn sort_key(&self) -> (String, u64) {
        (self.day().unwrap_or("~").to_string(), self.seen)
    }
}

/// Sources of `doc`: its linked documents that came before it, minus those that are themselves
/// copies of another of its earlier links (a copy of a copy points at the original, not at the
/// sibling). Earliest first.
///
/// `links_of(d)` gives every stored link touching `d`; `time(d)` its time.
pub fn derived_from(
    doc: DocKey,
    links_of: &dyn Fn(DocKey) -> Vec<StoredLink>,
    time: &dyn Fn(DocKey) -> DocTime,
) -> Vec<DerivedFrom> {
    let me = time(doc);
    let mut earlier: Vec<(DocKey, DocTime, StoredLink)> = Vec::new();
    for link in links_of(doc) {
        let other = if link.doc == doc { link.other } else { link.doc };
        if other == doc || earlier.iter().any(|(d, ..)| *d == other) {
            continue;
        }
        let t = time(other);
        if t.is_before(&me) {
            earlier.push((other, t, link));
        }
    }
    if earlier.len() > 1 {
        let set: HashSet<DocKey> = earlier.iter().map(|(d, ..)| *d).collect();
        let derived_within: HashSet<DocKey> = earlier
            .iter()
            .filter(|(d, t, _)| {
                links_of(*d).iter().any(|l| {
                    let o = if l.doc == *d { l.other } else { l.doc };
                    o != *d && set.contains(&o) && time(o).is_before(t)
                })
            })
            .map(|(d, ..)| *d)
            .collect();
        earlier.retain(|(d, ..)| !derived_within.contains(d));
    }
    earlier.sort_by_key(|a| a.1.sort_key());
    earlier
        .into_iter()
        .map(|(other, _, link)| {
            let (_, reused_share, evidence) = link.seen_from(doc);
            DerivedFrom { id: doc_id(other), kind: link.kind, reused_share: round3(reused_share), evidence }
        })
        .collect()
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Duplicate clusters: connected components of whole-copy links ([`StoredLink::is_whole_copy`]).
/// Returns each clustered document's cluster id (the id of its earliest member); documents in
/// no cluster are absent.
pub fn clusters(links: &[StoredLink], time: &dyn Fn(DocKey) -> DocTime) -> HashMap<DocKey, DocId> {
    let mut parent: HashMap<DocKey, DocKey> = HashMap::new();
    fn find(parent: &mut HashMap<DocKey, DocKey>, mut x: DocKey) -> DocKey {
        let mut root = x;
        while let Some(&p) = parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        while let Some(&p) = parent.get(&x) {
            if p == root {
                break;
            }
            parent.insert(x, root);
            x = p;
        }
        root
    }
    for l in links.iter().filter(|l| l.is_whole_copy() && l.doc != l.other) {
        parent.entry(l.doc).or_insert(l.doc);
        parent.entry(l.other).or_insert(l.other);
        let (a, b) = (find(&mut parent, l.doc), find(&mut parent, l.other));
        if a != b {
            parent.insert(a.max(b), a.min(b));
        }
    }
    let docs: Vec<DocKey> = parent.keys().copied().collect();
    let mut earliest: HashMap<DocKey, (DocTime, DocKey)> = HashMap::new();
    for d in &docs {
        let root = find(&mut parent, *d);
        let t = time(*d);
        let e = earliest.entry(root).or_insert_with(|| (t.clone(), *d));
        if t.sort_key() < e.0.sort_key() {
            *e = (t, *d);
        }
    }
    docs.into_iter()
        .map(|d| {
            let root = find(&mut parent, d);
            (d, doc_id(earliest[&root].1))
        })
        .collect()
}
