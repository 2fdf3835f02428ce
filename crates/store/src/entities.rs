//! The entity index: canonical entities, their lookup keys, aliases, and which documents name
//! them (what the entity corpus stage reads through [`EntityIndexRead`] and returns as
//! [`EntityLink`]s), in SQLite tables and in the [`MemoryStore`].

use crate::provenance::{from_sql, to_sql};
use crate::sqlite::{db, SqliteStore};
use crate::{MemoryStore, StoreError};
use presswatch_model::{DocId, EntityIndexRead, EntityLink, EntityType, KnownEntity};
use rusqlite::{params, Connection};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Writes what the entity stage returned for a batch, in the caller's transaction. A link for a
/// document whose entities are already stored is ignored.
pub(crate) fn write_entities(tx: &Connection, links: &[EntityLink]) -> Result<(), StoreError> {
    if links.is_empty() {
        return Ok(());
    }
    let ctx = "writing entities";
    let mut seen = tx.prepare_cached("SELECT 1 FROM entity_docs WHERE doc = ?1").map_err(|e| db(ctx, e))?;
    let mut entity = tx
        .prepare_cached("INSERT OR IGNORE INTO entities (id, type, name, docs) VALUES (?1, ?2, ?3, 0)")
        .map_err(|e| db(ctx, e))?;
    let mut key = tx
        .prepare_cached("INSERT OR IGNORE INTO entity_keys (key, id) VALUES (?1, ?2)")
        .map_err(|e| db(ctx, e))?;
    let mut alias = tx
        .prepare_cached("INSERT OR REPLACE INTO entity_aliases (alias, id) VALUES (?1, ?2)")
        .map_err(|e| db(ctx, e))?;
    let mut doc = tx
        .prepare_cached("INSERT OR IGNORE INTO entity_docs (doc, id, name, mentions) VALUES (?1, ?2, ?3, ?4)")
        .map_err(|e| db(ctx, e))?;
    let mut count =
        tx.prepare_cached("UPDATE entities SET docs = docs + ?1 WHERE id = ?2").map_err(|e| db(ctx, e))?;
    let mut in_batch = HashSet::new();
    // Documents per entity, counted over the batch and written once each.
    let mut counts: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for l in links {
        if !in_batch.insert(l.doc) || seen.exists([to_sql(l.doc)]).map_err(|e| db(ctx, e))? {
            continue;
        }
        for e in &l.new_entities {
            entity.execute(params![e.id, e.kind.as_str(), e.name]).map_err(|e| db(ctx, e))?;
        }
        for (k, id) in &l.new_keys {
            key.execute(params![k, id]).map_err(|e| db(ctx, e))?;
        }
        for (a, id) in &l.new_aliases {
            alias.execute(params![a, id]).map_err(|e| db(ctx, e))?;
        }
        for (id, name, mentions) in &l.entities {
            if doc.execute(params![to_sql(l.doc), id, name, mentions]).map_err(|e| db(ctx, e))? > 0 {
                *counts.entry(id.as_str()).or_default() += 1;
            }
        }
    }
    for (id, n) in counts {
        count.execute(params![n, id]).map_err(|e| db(ctx, e))?;
    }
    Ok(())
}

/// Deletes the entity index (with the provenance index, before a rebuild).
pub(crate) const CLEAR_ENTITIES: &str =
    "DELETE FROM entities; DELETE FROM entity_keys; DELETE FROM entity_aliases; DELETE FROM entity_docs;";

fn kind_of(s: &str) -> Result<EntityType, StoreError> {
    EntityType::parse(s)
        .ok_or_else(|| StoreError::CorruptRow { sha256: String::new(), detail: format!("entity type {s:?}") })
}

impl EntityIndexRead for SqliteStore {
    type Error = StoreError;

    fn known_entity(&self, id: &str) -> Result<Option<KnownEntity>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT id, type, name, docs FROM entities WHERE id = ?1")
            .map_err(|e| db("preparing the entity lookup", e))?;
        let mut rows = stmt.query([id]).map_err(|e| db("reading an entity", e))?;
        let Some(row) = rows.next().map_err(|e| db("reading an entity", e))? else { return Ok(None) };
        let kind: String = row.get(1).map_err(|e| db("reading an entity", e))?;
        Ok(Some(KnownEntity {
            id: row.get(0).map_err(|e| db("reading an entity", e))?,
            kind: kind_of(&kind)?,
            name: row.get(2).map_err(|e| db("reading an entity", e))?,
            docs: row.get::<_, i64>(3).map_err(|e| db("reading an entity", e))?.max(0) as u64,
        }))
    }

    fn entity_alias(&self, id: &str) -> Result<Option<String>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT id FROM entity_aliases WHERE alias = ?1")
            .map_err(|e| db("preparing the alias lookup", e))?;
        let mut rows = stmt.query([id]).map_err(|e| db("reading an alias", e))?;
        match rows.next().map_err(|e| db("reading an alias", e))? {
            Some(row) => Ok(Some(row.get(0).map_err(|e| db("reading an alias", e))?)),
            None => Ok(None),
        }
    }

    fn entity_doc_seen(&self, doc: DocId) -> Result<bool, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT 1 FROM entity_docs WHERE doc = ?1")
            .map_err(|e| db("preparing the entity document lookup", e))?;
        stmt.exists([to_sql(doc)]).map_err(|e| db("reading entity documents", e))
    }

    fn entities_by_key(&self, keys: &[String]) -> Result<Vec<(String, String)>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT id FROM entity_keys WHERE key = ?1")
            .map_err(|e| db("preparing the entity key lookup", e))?;
        let mut out = Vec::new();
        for k in keys {
            let ids = stmt
                .query_map([k], |row| row.get::<_, String>(0))
                .map_err(|e| db("reading entity keys", e))?
                .collect::<Result<Vec<String>, _>>()
                .map_err(|e| db("reading entity keys", e))?;
            out.extend(ids.into_iter().map(|id| (k.clone(), id)));
        }
        Ok(out)
    }
}

impl SqliteStore {
    pub(crate) fn entities_all(&self) -> Result<Vec<KnownEntity>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT id, type, name, docs FROM entities ORDER BY id")
            .map_err(|e| db("preparing the entity listing", e))?;
        let rows = stmt
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, i64>(3)?,
                ))
            })
            .map_err(|e| db("listing entities", e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| db("listing entities", e))?;
        rows.into_iter()
            .map(|(id, kind, name, docs)| {
                Ok(KnownEntity { id, kind: kind_of(&kind)?, name, docs: docs.max(0) as u64 })
            })
            .collect()
    }

    pub(crate) fn entity_aliases_all(&self) -> Result<Vec<(String, String)>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT alias, id FROM entity_aliases ORDER BY alias")
            .map_err(|e| db("preparing the alias listing", e))?;
        let rows = stmt
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))
            .map_err(|e| db("listing aliases", e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| db("listing aliases", e));
        rows
    }

    pub(crate) fn entity_docs_of(&self, id: &str) -> Result<Vec<(DocId, String, u32)>, StoreError> {
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT doc, name, mentions FROM entity_docs WHERE id = ?1 ORDER BY doc")
            .map_err(|e| db("preparing the entity documents lookup", e))?;
        let rows = stmt
            .query_map([id], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, i64>(2)?))
            })
            .map_err(|e| db("reading entity documents", e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| db("reading entity documents", e))?;
        Ok(rows
            .into_iter()
            .map(|(d, n, m)| (DocId::from(from_sql(d)), n, u32::try_from(m.max(0)).unwrap_or(u32::MAX)))
            .collect())
    }
}

/// The entity index of a [`MemoryStore`]: the same content as the SQLite tables.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemoryEntities {
    known: BTreeMap<String, KnownEntity>,
    keys: BTreeMap<String, BTreeSet<String>>,
    aliases: BTreeMap<String, String>,
    docs: BTreeMap<DocId, Vec<(String, String, u32)>>,
}

impl MemoryEntities {
    pub(crate) fn add(&mut self, links: &[EntityLink]) {
        for l in links {
            if self.docs.contains_key(&l.doc) {
                continue;
            }
            for e in &l.new_entities {
                self.known.entry(e.id.clone()).or_insert_with(|| KnownEntity { docs: 0, ..e.clone() });
            }
            for (k, id) in &l.new_keys {
                self.keys.entry(k.clone()).or_default().insert(id.clone());
            }
            for (a, id) in &l.new_aliases {
                self.aliases.insert(a.clone(), id.clone());
            }
            let mut rows = Vec::new();
            for (id, name, mentions) in &l.entities {
                if rows.iter().any(|(i, _, _): &(String, String, u32)| i == id) {
                    continue;
                }
                if let Some(k) = self.known.get_mut(id) {
                    k.docs += 1;
                }
                rows.push((id.clone(), name.clone(), *mentions));
            }
            self.docs.insert(l.doc, rows);
        }
    }

    pub(crate) fn clear(&mut self) {
        *self = MemoryEntities::default();
    }
}

impl EntityIndexRead for MemoryStore {
    type Error = StoreError;

    fn known_entity(&self, id: &str) -> Result<Option<KnownEntity>, StoreError> {
        Ok(self.entities.known.get(id).cloned())
    }

    fn entity_alias(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.entities.aliases.get(id).cloned())
    }

    fn entity_doc_seen(&self, doc: DocId) -> Result<bool, StoreError> {
        Ok(self.entities.docs.contains_key(&doc))
    }

    fn entities_by_key(&self, keys: &[String]) -> Result<Vec<(String, String)>, StoreError> {
        Ok(keys
            .iter()
            .flat_map(|k| {
                self.entities.keys.get(k).into_iter().flatten().map(move |id| (k.clone(), id.clone()))
            })
            .collect())
    }
}

impl MemoryStore {
    pub(crate) fn entities_all(&self) -> Vec<KnownEntity> {
        self.entities.known.values().cloned().collect()
    }

    pub(crate) fn entity_aliases_all(&self) -> Vec<(String, String)> {
        self.entities.aliases.iter().map(|(a, b)| (a.clone(), b.clone())).collect()
    }

    pub(crate) fn entity_docs_of(&self, id: &str) -> Vec<(DocId, String, u32)> {
        let mut out: Vec<(DocId, String, u32)> = self
            .entities
            .docs
            .iter()
            .flat_map(|(d, rows)| {
                rows.iter().filter(|(i, _, _)| i == id).map(|(_, n, m)| (*d, n.clone(), *m))
            })
            .collect();
        out.sort();
        out
    }
}
