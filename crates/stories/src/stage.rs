//! The ordered part: each document, in publication order within its batch, is compared with
//! the stories its strongest terms and entities nominate, and joins the most similar one (or
//! opens a story); a document similar enough to two stories merges them.

use crate::features::{features, Features};
use crate::Params;
use presswatch_model::{
    ArticleRecord, CorpusStage, DocId, StoryIndexRead, StoryLink, StoryMerge, StoryState,
};
use std::collections::HashMap;

/// The stories corpus stage.
#[derive(Debug, Clone, Default)]
pub struct StoriesStage {
    /// Its parameters ([`Params::default`] is what the benchmarks chose).
    pub params: Params,
}

/// What this batch decided so far, read before the index.
#[derive(Default)]
struct Overlay {
    states: HashMap<DocId, StoryState>,
    merged: HashMap<DocId, DocId>,
    postings: HashMap<u64, Vec<DocId>>,
    docs: HashMap<u64, u32>,
    placed: HashMap<DocId, DocId>,
    base_count: u64,
    added: u64,
}

impl<I: StoryIndexRead + ?Sized> CorpusStage<I> for StoriesStage {
    type Prepared = Features;
    type Output = StoryLink;
    type Error = I::Error;

    fn name(&self) -> &'static str {
        "stories"
    }

    fn prepare(&self, article: &ArticleRecord) -> Features {
        self.prepare_article(article)
    }

    fn run(
        &self,
        index: &I,
        batch: &[&ArticleRecord],
        prepared: Vec<Features>,
    ) -> Result<Vec<StoryLink>, I::Error> {
        let mut overlay = Overlay { base_count: index.story_doc_count()?, ..Default::default() };
        let mut out = Vec::with_capacity(batch.len());
        for i in publication_order(&prepared) {
            let doc = batch[i].id;
            if overlay.placed.contains_key(&doc) || index.story_of(doc)?.is_some() {
                continue;
            }
            out.push(self.place(index, &mut overlay, doc, &prepared[i])?);
        }
        Ok(out)
    }
}

/// The order documents are placed in: by publication day; an undated document keeps its place
/// after the dated one that arrived before it (a stable sort, so arrival order breaks ties).
fn publication_order(prepared: &[Features]) -> Vec<usize> {
    let mut last = i32::MIN;
    let mut keyed: Vec<(i32, usize)> = prepared
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if let Some(d) = f.day {
                last = d;
            }
            (last, i)
        })
        .collect();
    keyed.sort_by_key(|k| k.0);
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// A document's weighted, unit-length vectors.
struct Weighted {
    terms: Vec<(u64, f32)>,
    entities: Vec<(u64, f32)>,
}

fn unit(v: &mut [(u64, f32)]) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= norm;
        }
    }
}

/// The cosine of a unit vector and a centroid, both sorted by key.
fn cosine(unit_vec: &[(u64, f32)], centroid: &[(u64, f32)]) -> f32 {
    let norm = centroid.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm == 0.0 || unit_vec.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < unit_vec.len() && j < centroid.len() {
        match unit_vec[i].0.cmp(&centroid[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += unit_vec[i].1 * centroid[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot / norm
}

/// `a + b` (both sorted by key), keeping the `keep` heaviest entries, sorted by key.
fn add_truncated(a: &[(u64, f32)], b: &[(u64, f32)], keep: usize) -> Vec<(u64, f32)> {
    let mut sum: Vec<(u64, f32)> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && a[i].0 < b[j].0);
        let take_b = i >= a.len() || (j < b.len() && b[j].0 < a[i].0);
        if take_a {
            sum.push(a[i]);
            i += 1;
        } else if take_b {
            sum.push(b[j]);
            j += 1;
        } else {
            sum.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    if sum.len() > keep {
        sum.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        sum.truncate(keep);
        sum.sort_unstable_by_key(|x| x.0);
    }
    sum
}

/// The `n` heaviest keys of a vector.
fn heaviest(v: &[(u64, f32)], n: usize) -> Vec<(u64, f32)> {
    let mut v = v.to_vec();
    v.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    v.truncate(n);
    v
}

impl StoriesStage {
    /// [`CorpusStage::prepare`] without naming the index type: the features of one article.
    pub fn prepare_article(&self, article: &ArticleRecord) -> Features {
        features(article, &self.params)
    }

    fn canonical<I: StoryIndexRead + ?Sized>(
        &self,
        index: &I,
        ov: &Overlay,
        story: DocId,
    ) -> Result<DocId, I::Error> {
        let mut at = story;
        for _ in 0..16 {
            let next = match ov.merged.get(&at) {
                Some(n) => Some(*n),
                None => index.story_merged_into(at)?,
            };
            match next {
                Some(n) if n != at => at = n,
                _ => break,
            }
        }
        Ok(at)
    }

    fn state<I: StoryIndexRead + ?Sized>(
        &self,
        index: &I,
        ov: &Overlay,
        story: DocId,
    ) -> Result<Option<StoryState>, I::Error> {
        match ov.states.get(&story) {
            Some(s) => Ok(Some(s.clone())),
            None => index.story_state(story),
        }
    }

    /// Weighs a document's counts by the inverse document frequency over the rolling vocabulary.
    fn weigh<I: StoryIndexRead + ?Sized>(
        &self,
        index: &I,
        ov: &Overlay,
        f: &Features,
    ) -> Result<Weighted, I::Error> {
        let keys: Vec<u64> = f.terms.iter().chain(&f.entities).map(|t| t.0).collect();
        let stored = index.term_docs(&keys)?;
        // The corpus's document frequencies, blended with a background of
        // `background_docs` documents of everyday language (entities and numbers have none):
        // a small corpus leans on the background, a big one on itself.
        let n = (ov.base_count + ov.added) as f32 + self.params.background_docs;
        let idf = |i: usize| {
            let df = stored.get(i).copied().unwrap_or(0) + ov.docs.get(&keys[i]).copied().unwrap_or(0);
            let prior = f.background.get(i).map_or(0.0, |share| share * self.params.background_docs);
            ((n + 1.0) / (df as f32 + prior + 1.0)).ln() + 1.0
        };
        let mut terms: Vec<(u64, f32)> =
            f.terms.iter().enumerate().map(|(i, &(k, c))| (k, (1.0 + c.ln()) * idf(i))).collect();
        let off = f.terms.len();
        let mut entities: Vec<(u64, f32)> =
            f.entities.iter().enumerate().map(|(i, &(k, c))| (k, (1.0 + c.ln()) * idf(off + i))).collect();
        unit(&mut terms);
        unit(&mut entities);
        Ok(Weighted { terms, entities })
    }

    /// The similarity of a document to a story: cosine of terms, blended with the cosine of
    /// entities and numbers when both have some, decayed by the days between them.
    fn similarity(&self, w: &Weighted, day: Option<i32>, s: &StoryState) -> f32 {
        let p = &self.params;
        let text = cosine(&w.terms, &s.terms);
        let mut sim = if w.entities.is_empty() || s.entities.is_empty() {
            text
        } else {
            (1.0 - p.entity_weight) * text + p.entity_weight * cosine(&w.entities, &s.entities)
        };
        if let (Some(d), Some(first), Some(last)) = (day, s.first_day, s.last_day) {
            let gap = if d < first { first - d } else { d.saturating_sub(last).max(0) };
            let over = (gap as f32 - p.grace_days).max(0.0);
            sim *= (-over / p.decay_days).exp();
        }
        sim
    }

    fn place<I: StoryIndexRead + ?Sized>(
        &self,
        index: &I,
        ov: &mut Overlay,
        doc: DocId,
        f: &Features,
    ) -> Result<StoryLink, I::Error> {
        let p = &self.params;
        let w = self.weigh(index, ov, f)?;
        let mut keys: Vec<u64> = heaviest(&w.terms, p.key_terms).into_iter().map(|k| k.0).collect();
        keys.extend(heaviest(&w.entities, p.key_entities).into_iter().map(|k| k.0));

        // A copy joins its source's story (the strongest provenance link that is placed).
        let mut chosen: Option<(DocId, f32)> = None;
        for other in &f.copy_of {
            let story = match ov.placed.get(other) {
                Some(s) => Some(*s),
                None => index.story_of(*other)?,
            };
            if let Some(s) = story {
                chosen = Some((self.canonical(index, ov, s)?, 1.0));
                break;
            }
        }

        let mut merges = Vec::new();
        if chosen.is_none() {
            // Nominate by shared keys (weighted by the key's weight in the document), decide by
            // similarity on the best nominated.
            let mut votes: HashMap<DocId, f32> = HashMap::new();
            let weight_of =
                |k: u64| w.terms.iter().chain(&w.entities).find(|t| t.0 == k).map(|t| t.1).unwrap_or(0.0);
            for &k in &keys {
                let kw = weight_of(k);
                let mut seen: Vec<DocId> = Vec::new();
                if let Some(ps) = ov.postings.get(&k) {
                    seen.extend(ps.iter().rev().take(p.postings_per_key));
                }
                if seen.len() < p.postings_per_key {
                    seen.extend(index.stories_by_key(k, p.postings_per_key - seen.len())?);
                }
                let mut canon: Vec<DocId> = Vec::with_capacity(seen.len());
                for s in seen {
                    canon.push(self.canonical(index, ov, s)?);
                }
                canon.sort_unstable();
                canon.dedup();
                for s in canon {
                    *votes.entry(s).or_default() += kw;
                }
            }
            let mut nominated: Vec<(DocId, f32)> = votes.into_iter().collect();
            nominated.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            nominated.truncate(p.candidates);
            let mut scored: Vec<(DocId, f32, StoryState)> = Vec::new();
            for (s, _) in nominated {
                if let Some(state) = self.state(index, ov, s)? {
                    let sim = self.similarity(&w, f.day, &state);
                    if sim >= p.join_threshold {
                        scored.push((s, sim, state));
                    }
                }
            }
            scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            if let Some((best, best_sim, _)) = scored.first().map(|x| (x.0, x.1, ())) {
                let bridged: Vec<(DocId, StoryState)> = scored
                    .iter()
                    .skip(1)
                    .filter(|x| x.1 >= p.merge_threshold && best_sim >= p.merge_threshold)
                    .map(|x| (x.0, x.2.clone()))
                    .collect();
                let mut into = best;
                if !bridged.is_empty() {
                    // The largest story keeps its id (the one with the older latest member on a tie).
                    let mut all: Vec<(DocId, StoryState)> = vec![(best, scored[0].2.clone())];
                    all.extend(bridged);
                    all.sort_by(|a, b| {
                        b.1.size.cmp(&a.1.size).then(a.1.last_seq.cmp(&b.1.last_seq)).then(a.0.cmp(&b.0))
                    });
                    into = all[0].0;
                    let mut survivor = all[0].1.clone();
                    for (from, state) in all.into_iter().skip(1) {
                        survivor = merge_states(survivor, &state, p);
                        ov.merged.insert(from, into);
                        ov.states.remove(&from);
                        merges.push(StoryMerge { from, into, doc });
                    }
                    ov.states.insert(into, survivor);
                }
                chosen = Some((into, best_sim));
            }
        }

        let seq = ov.base_count + ov.added + 1;
        let (story, score, state) = match chosen {
            Some((story, score)) => {
                let mut state = self.state(index, ov, story)?.unwrap_or_else(|| new_state(story, f));
                state.terms = add_truncated(&state.terms, &w.terms, p.centroid_terms);
                state.entities = add_truncated(&state.entities, &w.entities, p.centroid_entities);
                state.size += 1;
                extend_days(&mut state, f.day);
                state.last_seq = seq;
                (story, score, state)
            }
            None => {
                let mut state = new_state(doc, f);
                state.terms = add_truncated(&[], &w.terms, p.centroid_terms);
                state.entities = add_truncated(&[], &w.entities, p.centroid_entities);
                state.size = 1;
                extend_days(&mut state, f.day);
                state.last_seq = seq;
                (doc, 0.0, state)
            }
        };
        let terms: Vec<u64> = f.terms.iter().chain(&f.entities).map(|t| t.0).collect();
        for &t in &terms {
            *ov.docs.entry(t).or_default() += 1;
        }
        for &k in &keys {
            ov.postings.entry(k).or_default().push(story);
        }
        ov.added += 1;
        ov.placed.insert(doc, story);
        ov.states.insert(story, state.clone());
        Ok(StoryLink { doc, story, score, terms, keys, state, merges })
    }
}

fn new_state(id: DocId, f: &Features) -> StoryState {
    StoryState { id, label: f.label.clone(), ..Default::default() }
}

fn extend_days(state: &mut StoryState, day: Option<i32>) {
    if let Some(d) = day {
        state.first_day = Some(state.first_day.map_or(d, |f| f.min(d)));
        state.last_day = Some(state.last_day.map_or(d, |l| l.max(d)));
    }
}

fn merge_states(mut into: StoryState, from: &StoryState, p: &Params) -> StoryState {
    into.terms = add_truncated(&into.terms, &from.terms, p.centroid_terms);
    into.entities = add_truncated(&into.entities, &from.entities, p.centroid_entities);
    into.size += from.size;
    into.last_seq = into.last_seq.max(from.last_seq);
    for d in [from.first_day, from.last_day].into_iter().flatten() {
        extend_days(&mut into, Some(d));
    }
    into
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centroid_sums_and_keeps_the_heaviest() {
        let a = [(1, 1.0), (3, 0.5)];
        let b = [(2, 0.2), (3, 0.5)];
        assert_eq!(add_truncated(&a, &b, 8), vec![(1, 1.0), (2, 0.2), (3, 1.0)]);
        assert_eq!(add_truncated(&a, &b, 2), vec![(1, 1.0), (3, 1.0)]);
    }

    #[test]
    fn cosine_of_a_vector_with_itself_is_one() {
        let mut v = vec![(1, 3.0), (5, 4.0)];
        unit(&mut v);
        assert!((cosine(&v, &[(1, 6.0), (5, 8.0)]) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&v, &[(2, 1.0)]), 0.0);
    }

    #[test]
    fn undated_documents_keep_their_place_after_the_dated_one_before_them() {
        let f = |day: Option<i32>| Features { day, ..Default::default() };
        let order = publication_order(&[f(Some(10)), f(None), f(Some(5)), f(None)]);
        assert_eq!(order, vec![2, 3, 0, 1]);
    }
}
