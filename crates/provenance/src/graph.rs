//! From stored links to what an article shows: its sources (`derived_from`) and its duplicate
//! cluster (`dup_cluster`).
//!
//! Links are stored as found (new document -> matched earlier-indexed one), but which of two
//! documents is the source is decided here, when reading: the earlier published (by day), then
//! the earlier seen. So a source ingested after its copy still ends up as the source.

use presswatch_model::{DerivedFrom, DocId, DocTime, StoredLink};
use std::collections::{HashMap, HashSet};

/// Whether a stored link joins two copies of one article (so they share a duplicate cluster):
/// a whole-copy kind, and at least half of each text aligned.
pub fn is_whole_copy(link: &StoredLink) -> bool {
    crate::align::whole_copy(link.kind, link.doc_share, link.other_share)
}

/// Sources of `doc`: its linked documents that came before it, minus those that are themselves
/// copies of another of its earlier links (a copy of a copy points at the original, not at the
/// sibling). Earliest first.
///
/// `links_of(d)` gives every stored link touching `d`; `time(d)` its time.
pub fn derived_from(
    doc: DocId,
    links_of: &dyn Fn(DocId) -> Vec<StoredLink>,
    time: &dyn Fn(DocId) -> DocTime,
) -> Vec<DerivedFrom> {
    let me = time(doc);
    let mut earlier: Vec<(DocId, DocTime, StoredLink)> = Vec::new();
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
        let set: HashSet<DocId> = earlier.iter().map(|(d, ..)| *d).collect();
        let derived_within: HashSet<DocId> = earlier
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
            DerivedFrom { id: other, kind: link.kind, reused_share: round3(reused_share), evidence }
        })
        .collect()
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Duplicate clusters: connected components of whole-copy links ([`is_whole_copy`]).
/// Returns each clustered document's cluster id (the id of its earliest member); documents in
/// no cluster are absent.
pub fn clusters(links: &[StoredLink], time: &dyn Fn(DocId) -> DocTime) -> HashMap<DocId, DocId> {
    let mut parent: HashMap<DocId, DocId> = HashMap::new();
    fn find(parent: &mut HashMap<DocId, DocId>, mut x: DocId) -> DocId {
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
    for l in links.iter().filter(|l| is_whole_copy(l) && l.doc != l.other) {
        parent.entry(l.doc).or_insert(l.doc);
        parent.entry(l.other).or_insert(l.other);
        let (a, b) = (find(&mut parent, l.doc), find(&mut parent, l.other));
        if a != b {
            parent.insert(a.max(b), a.min(b));
        }
    }
    let docs: Vec<DocId> = parent.keys().copied().collect();
    let mut earliest: HashMap<DocId, (DocTime, DocId)> = HashMap::new();
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
            (d, earliest[&root].1)
        })
        .collect()
}
