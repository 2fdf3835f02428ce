//! The story index: stories (label, size, days, centroid), which story each document is in,
//! merges, postings from keys to stories and the rolling document frequencies: what the stories
//! corpus stage reads through [`StoryIndexRead`] and returns as [`StoryLink`]s, in SQLite tables
//! and in the [`MemoryStore`].

use crate::provenance::{from_sql, to_sql};
use crate::sqlite::{db, SqliteStore};
use crate::{MemoryStore, StoreError};
use presswatch_model::{DocId, StoryIndexRead, StoryLink, StoryMerge, StoryState};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Writes what the stories stage returned for a batch, in the caller's transaction, in order: a
/// link for a document already placed is ignored; a merge moves the absorbed story's members
/// and deletes it; each story touched is written once, in its last state.
pub(crate) fn write_stories(tx: &Connection, links: &[StoryLink]) -> Result<(), StoreError> {
    if links.is_empty() {
        return Ok(());
    }
    let ctx = "writing stories";
    let mut seq: i64 =
        tx.query_row("SELECT COUNT(*) FROM story_docs", [], |r| r.get(0)).map_err(|e| db(ctx, e))?;
    let mut seen = tx.prepare_cached("SELECT 1 FROM story_docs WHERE doc = ?1").map_err(|e| db(ctx, e))?;
    let mut member = tx
        .prepare_cached("INSERT INTO story_docs (doc, story, seq, score) VALUES (?1, ?2, ?3, ?4)")
        .map_err(|e| db(ctx, e))?;
    let mut posting = tx
        .prepare_cached("INSERT OR IGNORE INTO story_postings (key, seq, story) VALUES (?1, ?2, ?3)")
        .map_err(|e| db(ctx, e))?;
    let mut merge = tx
        .prepare_cached(
            "INSERT OR REPLACE INTO story_merges (from_story, into_story, doc, seq) VALUES (?1, ?2, ?3, ?4)",
        )
        .map_err(|e| db(ctx, e))?;
    let mut move_members =
        tx.prepare_cached("UPDATE story_docs SET story = ?1 WHERE story = ?2").map_err(|e| db(ctx, e))?;
    let mut drop_story = tx.prepare_cached("DELETE FROM stories WHERE id = ?1").map_err(|e| db(ctx, e))?;
    let mut term = tx
        .prepare_cached(
            "INSERT INTO story_terms (term, docs) VALUES (?1, ?2)
             ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs",
        )
        .map_err(|e| db(ctx, e))?;
    let mut story = tx
        .prepare_cached(
            "INSERT OR REPLACE INTO stories (id, label, size, first_day, last_day, last_seq, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .map_err(|e| db(ctx, e))?;
    let mut in_batch = HashSet::new();
    let mut terms: BTreeMap<u64, i64> = BTreeMap::new();
    let mut states: BTreeMap<DocId, &StoryState> = BTreeMap::new();
    for l in links {
        if !in_batch.insert(l.doc) || seen.exists([to_sql(l.doc)]).map_err(|e| db(ctx, e))? {
            continue;
        }
        seq += 1;
        member
            .execute(params![to_sql(l.doc), to_sql(l.story), seq, f64::from(l.score)])
            .map_err(|e| db(ctx, e))?;
        for &t in &l.terms {
            *terms.entry(t).or_default() += 1;
        }
        for &k in &l.keys {
            posting.execute(params![to_sql(k), seq, to_sql(l.story)]).map_err(|e| db(ctx, e))?;
        }
        for m in &l.merges {
            merge
                .execute(params![to_sql(m.from), to_sql(m.into), to_sql(m.doc), seq])
                .map_err(|e| db(ctx, e))?;
            move_members.execute(params![to_sql(m.into), to_sql(m.from)]).map_err(|e| db(ctx, e))?;
            drop_story.execute([to_sql(m.from)]).map_err(|e| db(ctx, e))?;
            states.remove(&m.from);
        }
        states.insert(l.story, &l.state);
    }
    for (t, n) in terms {
        term.execute(params![to_sql(t), n]).map_err(|e| db(ctx, e))?;
    }
    for (id, s) in states {
        let json = serde_json::to_string(s).map_err(|e| StoreError::CorruptRow {
            sha256: String::new(),
            detail: format!("story state: {e}"),
        })?;
        story
            .execute(params![to_sql(id), s.label, s.size, s.first_day, s.last_day, to_sql(s.last_seq), json])
            .map_err(|e| db(ctx, e))?;
    }
    Ok(())
}

/// Deletes the story index (with the provenance index, before a rebuild).
pub(crate) const CLEAR_STORIES: &str =
    "DELETE FROM stories; DELETE FROM story_docs; DELETE FROM story_merges;
     DELETE FROM story_postings; DELETE FROM story_terms;";

fn corrupt(detail: String) -> StoreError {
    StoreError::CorruptRow { sha256: String::new(), detail }
}

/// A story's summary as listed: its state without the centroid.
fn summary(id: i64, label: String, size: i64, first: Option<i32>, last: Option<i32>, seq: i64) -> StoryState {
    StoryState {
        id: DocId::from(from_sql(id)),
        label,
        size: u32::try_from(size.max(0)).unwrap_or(u32::MAX),
        first_day: first,
        last_day: last,
        last_seq: from_sql(seq),
        terms: Vec::new(),
        entities: Vec::new(),
    }
}

impl StoryIndexRead for SqliteStore {
    type Error = StoreError;

    fn story_of(&self, doc: DocId) -> Result<Option<DocId>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT story FROM story_docs WHERE doc = ?1")
            .map_err(|e| db("preparing the story lookup", e))?;
        let story: Option<i64> =
            stmt.query_row([to_sql(doc)], |r| r.get(0)).optional().map_err(|e| db("reading a story", e))?;
        Ok(story.map(|s| DocId::from(from_sql(s))))
    }

    fn story_merged_into(&self, story: DocId) -> Result<Option<DocId>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT into_story FROM story_merges WHERE from_story = ?1")
            .map_err(|e| db("preparing the merge lookup", e))?;
        let into: Option<i64> =
            stmt.query_row([to_sql(story)], |r| r.get(0)).optional().map_err(|e| db("reading a merge", e))?;
        Ok(into.map(|s| DocId::from(from_sql(s))))
    }

    fn story_state(&self, story: DocId) -> Result<Option<StoryState>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT state FROM stories WHERE id = ?1")
            .map_err(|e| db("preparing the story state lookup", e))?;
        let json: Option<String> =
            stmt.query_row([to_sql(story)], |r| r.get(0)).optional().map_err(|e| db("reading a story", e))?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| corrupt(format!("story {story}: {e}")))).transpose()
    }

    fn stories_by_key(&self, key: u64, limit: usize) -> Result<Vec<DocId>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT story FROM story_postings WHERE key = ?1 ORDER BY seq DESC LIMIT ?2")
            .map_err(|e| db("preparing the postings lookup", e))?;
        let rows = stmt
            .query_map(params![to_sql(key), limit as i64], |r| r.get::<_, i64>(0))
            .map_err(|e| db("reading postings", e))?
            .collect::<Result<Vec<i64>, _>>()
            .map_err(|e| db("reading postings", e))?;
        Ok(rows.into_iter().map(|s| DocId::from(from_sql(s))).collect())
    }

    fn term_docs(&self, terms: &[u64]) -> Result<Vec<u32>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT docs FROM story_terms WHERE term = ?1")
            .map_err(|e| db("preparing the term lookup", e))?;
        let mut out = Vec::with_capacity(terms.len());
        for &t in terms {
            let n: Option<i64> =
                stmt.query_row([to_sql(t)], |r| r.get(0)).optional().map_err(|e| db("reading a term", e))?;
            out.push(u32::try_from(n.unwrap_or(0).max(0)).unwrap_or(u32::MAX));
        }
        Ok(out)
    }

    fn story_doc_count(&self) -> Result<u64, StoreError> {
        let st = self.state();
        let n: i64 = st
            .conn
            .query_row("SELECT COUNT(*) FROM story_docs", [], |r| r.get(0))
            .map_err(|e| db("counting placed documents", e))?;
        Ok(n.max(0) as u64)
    }
}

impl SqliteStore {
    pub(crate) fn stories_all(&self) -> Result<Vec<StoryState>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached(
                "SELECT id, label, size, first_day, last_day, last_seq FROM stories ORDER BY size DESC, id",
            )
            .map_err(|e| db("preparing the story listing", e))?;
        let rows = stmt
            .query_map([], |r| Ok(summary(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .map_err(|e| db("listing stories", e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| db("listing stories", e));
        rows
    }

    pub(crate) fn story_docs_of(&self, story: DocId) -> Result<Vec<(DocId, f32)>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT doc, score FROM story_docs WHERE story = ?1 ORDER BY seq")
            .map_err(|e| db("preparing the story members lookup", e))?;
        let rows = stmt
            .query_map([to_sql(story)], |r| {
                Ok((DocId::from(from_sql(r.get(0)?)), r.get::<_, f64>(1)? as f32))
            })
            .map_err(|e| db("reading story members", e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| db("reading story members", e));
        rows
    }

    pub(crate) fn story_assignments_all(&self) -> Result<Vec<(DocId, DocId)>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT doc, story FROM story_docs ORDER BY seq")
            .map_err(|e| db("preparing the story assignments", e))?;
        let rows = stmt
            .query_map([], |r| Ok((DocId::from(from_sql(r.get(0)?)), DocId::from(from_sql(r.get(1)?)))))
            .map_err(|e| db("reading story assignments", e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| db("reading story assignments", e));
        rows
    }

    pub(crate) fn story_merges_all(&self) -> Result<Vec<StoryMerge>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT from_story, into_story, doc FROM story_merges ORDER BY seq, from_story")
            .map_err(|e| db("preparing the merge listing", e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoryMerge {
                    from: DocId::from(from_sql(r.get(0)?)),
                    into: DocId::from(from_sql(r.get(1)?)),
                    doc: DocId::from(from_sql(r.get(2)?)),
                })
            })
            .map_err(|e| db("listing merges", e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| db("listing merges", e));
        rows
    }
}

/// The story index of a [`MemoryStore`]: the same content as the SQLite tables.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemoryStories {
    docs: HashMap<DocId, (DocId, u64, f32)>,
    merges: BTreeMap<DocId, (DocId, DocId, u64)>,
    states: BTreeMap<DocId, StoryState>,
    postings: HashMap<u64, Vec<DocId>>,
    terms: HashMap<u64, u32>,
}

impl MemoryStories {
    pub(crate) fn add(&mut self, links: &[StoryLink]) {
        for l in links {
            if self.docs.contains_key(&l.doc) {
                continue;
            }
            let seq = self.docs.len() as u64 + 1;
            self.docs.insert(l.doc, (l.story, seq, l.score));
            for &t in &l.terms {
                *self.terms.entry(t).or_default() += 1;
            }
            for &k in &l.keys {
                self.postings.entry(k).or_default().push(l.story);
            }
            for m in &l.merges {
                self.merges.insert(m.from, (m.into, m.doc, seq));
                self.states.remove(&m.from);
                for v in self.docs.values_mut() {
                    if v.0 == m.from {
                        v.0 = m.into;
                    }
                }
            }
            self.states.insert(l.story, l.state.clone());
        }
    }

    pub(crate) fn clear(&mut self) {
        *self = MemoryStories::default();
    }
}

impl StoryIndexRead for MemoryStore {
    type Error = StoreError;

    fn story_of(&self, doc: DocId) -> Result<Option<DocId>, StoreError> {
        Ok(self.stories.docs.get(&doc).map(|d| d.0))
    }

    fn story_merged_into(&self, story: DocId) -> Result<Option<DocId>, StoreError> {
        Ok(self.stories.merges.get(&story).map(|m| m.0))
    }

    fn story_state(&self, story: DocId) -> Result<Option<StoryState>, StoreError> {
        Ok(self.stories.states.get(&story).cloned())
    }

    fn stories_by_key(&self, key: u64, limit: usize) -> Result<Vec<DocId>, StoreError> {
        Ok(self
            .stories
            .postings
            .get(&key)
            .map(|p| p.iter().rev().take(limit).copied().collect())
            .unwrap_or_default())
    }

    fn term_docs(&self, terms: &[u64]) -> Result<Vec<u32>, StoreError> {
        Ok(terms.iter().map(|t| self.stories.terms.get(t).copied().unwrap_or(0)).collect())
    }

    fn story_doc_count(&self) -> Result<u64, StoreError> {
        Ok(self.stories.docs.len() as u64)
    }
}

impl MemoryStore {
    pub(crate) fn stories_all(&self) -> Vec<StoryState> {
        let mut out: Vec<StoryState> = self
            .stories
            .states
            .values()
            .map(|s| StoryState { terms: Vec::new(), entities: Vec::new(), ..s.clone() })
            .collect();
        out.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
        out
    }

    pub(crate) fn story_docs_of(&self, story: DocId) -> Vec<(DocId, f32)> {
        let mut out: Vec<(u64, DocId, f32)> =
            self.stories.docs.iter().filter(|(_, v)| v.0 == story).map(|(d, v)| (v.1, *d, v.2)).collect();
        out.sort_by_key(|x| x.0);
        out.into_iter().map(|(_, d, s)| (d, s)).collect()
    }

    pub(crate) fn story_assignments_all(&self) -> Vec<(DocId, DocId)> {
        let mut out: Vec<(u64, DocId, DocId)> =
            self.stories.docs.iter().map(|(d, v)| (v.1, *d, v.0)).collect();
        out.sort_by_key(|x| x.0);
        out.into_iter().map(|(_, d, s)| (d, s)).collect()
    }

    pub(crate) fn story_merges_all(&self) -> Vec<StoryMerge> {
        let mut out: Vec<(u64, StoryMerge)> = self
            .stories
            .merges
            .iter()
            .map(|(f, (i, d, s))| (*s, StoryMerge { from: *f, into: *i, doc: *d }))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.from.cmp(&b.1.from)));
        out.into_iter().map(|(_, m)| m).collect()
    }
}
