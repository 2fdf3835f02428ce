//! [`StoryMemory`]: the stage's state held in memory, for tests, benchmarks and callers
//! without a store. It applies [`StoryLink`]s exactly as a store persists them.

use presswatch_model::{DocId, StoryIndexRead, StoryLink, StoryState};
use std::collections::HashMap;
use std::convert::Infallible;

/// Everything the stories stage persisted, in memory.
#[derive(Debug, Default, Clone)]
pub struct StoryMemory {
    doc_story: HashMap<DocId, DocId>,
    members: HashMap<DocId, Vec<DocId>>,
    merged: HashMap<DocId, DocId>,
    states: HashMap<DocId, StoryState>,
    postings: HashMap<u64, Vec<DocId>>,
    term_docs: HashMap<u64, u32>,
    count: u64,
}

impl StoryMemory {
    /// Persists what the stage returned for a batch (a link for a placed document is ignored).
    pub fn apply(&mut self, links: &[StoryLink]) {
        for l in links {
            if self.doc_story.contains_key(&l.doc) {
                continue;
            }
            self.count += 1;
            self.doc_story.insert(l.doc, l.story);
            self.members.entry(l.story).or_default().push(l.doc);
            for &t in &l.terms {
                *self.term_docs.entry(t).or_default() += 1;
            }
            for &k in &l.keys {
                self.postings.entry(k).or_default().push(l.story);
            }
            for m in &l.merges {
                self.merged.insert(m.from, m.into);
                self.states.remove(&m.from);
                let moved = self.members.remove(&m.from).unwrap_or_default();
                for d in &moved {
                    self.doc_story.insert(*d, m.into);
                }
                self.members.entry(m.into).or_default().extend(moved);
            }
            self.states.insert(l.story, l.state.clone());
        }
    }

    /// The story of every placed document.
    pub fn assignments(&self) -> &HashMap<DocId, DocId> {
        &self.doc_story
    }

    /// The states of every story.
    pub fn stories(&self) -> impl Iterator<Item = &StoryState> {
        self.states.values()
    }
}

impl StoryIndexRead for StoryMemory {
    type Error = Infallible;

    fn story_of(&self, doc: DocId) -> Result<Option<DocId>, Infallible> {
        Ok(self.doc_story.get(&doc).copied())
    }

    fn story_merged_into(&self, story: DocId) -> Result<Option<DocId>, Infallible> {
        Ok(self.merged.get(&story).copied())
    }

    fn story_state(&self, story: DocId) -> Result<Option<StoryState>, Infallible> {
        Ok(self.states.get(&story).cloned())
    }

    fn stories_by_key(&self, key: u64, limit: usize) -> Result<Vec<DocId>, Infallible> {
        Ok(self.postings.get(&key).map(|p| p.iter().rev().take(limit).copied().collect()).unwrap_or_default())
    }

    fn term_docs(&self, terms: &[u64]) -> Result<Vec<u32>, Infallible> {
        Ok(terms.iter().map(|t| self.term_docs.get(t).copied().unwrap_or(0)).collect())
    }

    fn story_doc_count(&self) -> Result<u64, Infallible> {
        Ok(self.count)
    }
}
