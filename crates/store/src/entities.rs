//! The entity index: canonical entities, their lookup keys, aliases, and which documents name
//! them (what the entity corpus stage reads through [`EntityIndexRead`] and returns as
//! [`EntityLink`]s), in SQLite tables and in the [`MemoryStore`].

use crate::key_filter::{fresh, Loaded};
use crate::provenance::{from_sql, to_sql};
use crate::sqlite::{db, SqliteStore};
use crate::{MemoryStore, StoreError};
use presswatch_model::{DocId, EntityIndexRead, EntityLink, EntityType, KnownEntity};
use rusqlite::{params, Connection};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::BuildHasher;

/// The entity index of a writing handle in memory: every row of `entities` and
/// `entity_aliases`, and a hash of every key of `entity_keys`.
///
/// The entity corpus stage looks up, for each new name, the name, its alias, and every
/// one-deletion variant of its surname, then each candidate's alias and row: one SQLite query
/// each was some 40% of the writer thread's time in an ingest. Here a look-up of an entity or an
/// alias is a hash probe, and a key whose hash is absent (nearly every deletion variant) is
/// answered without a query; a key that may be present is still read from the table, so the
/// table stays the only copy of the keys (they are ten times as many as the entities).
///
/// It is kept in step with the batch's writes inside the batch's transaction (`write_entities`)
/// and dropped when a write fails or a rebuild ends badly, as the key filter is; another
/// connection's commit changes `PRAGMA data_version`, and the cache is then read again before it
/// is trusted. Only a handle that has written entities keeps one: a reading handle (a server's)
/// would read the whole index again after each batch another process writes.
#[derive(Debug)]
pub(crate) struct EntityCache {
    known: presswatch_text::HashMap<String, KnownEntity>,
    aliases: presswatch_text::HashMap<String, String>,
    /// [`key_hash`] of every key of `entity_keys`.
    keys: presswatch_text::HashSet<u64>,
    /// `PRAGMA data_version` when it was read: another connection's commit changes it.
    data_version: i64,
}

/// What a handle keeps of the entity index ([`EntityCache`]).
#[derive(Debug, Default)]
pub(crate) struct EntitySlot {
    /// Set by the handle's first entity write: from then on its look-ups go through `cache`.
    pub(crate) wanted: bool,
    /// The loaded cache (`None` until the next look-up reads it, and after a failed write).
    pub(crate) cache: Option<EntityCache>,
}

fn key_hash(key: &str) -> u64 {
    std::hash::BuildHasherDefault::<presswatch_text::FastHasher>::default().hash_one(key)
}

impl Loaded for EntityCache {
    /// Reads the entity index (its keys as hashes).
    fn load(conn: &Connection, data_version: i64) -> Result<EntityCache, StoreError> {
        let ctx = "reading the entity index";
        let mut known = presswatch_text::HashMap::default();
        let mut stmt =
            conn.prepare_cached("SELECT id, type, name, docs FROM entities").map_err(|e| db(ctx, e))?;
        let mut rows = stmt.query([]).map_err(|e| db(ctx, e))?;
        while let Some(row) = rows.next().map_err(|e| db(ctx, e))? {
            let k = entity_from_row(row)?;
            known.insert(k.id.clone(), k);
        }
        let mut stmt = conn.prepare_cached("SELECT alias, id FROM entity_aliases").map_err(|e| db(ctx, e))?;
        let aliases = stmt
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))
            .map_err(|e| db(ctx, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| db(ctx, e))?;
        let mut keys = presswatch_text::HashSet::default();
        let mut stmt = conn.prepare_cached("SELECT DISTINCT key FROM entity_keys").map_err(|e| db(ctx, e))?;
        let mut rows = stmt.query([]).map_err(|e| db(ctx, e))?;
        while let Some(row) = rows.next().map_err(|e| db(ctx, e))? {
            keys.insert(key_hash(
                row.get_ref(0).map_err(|e| db(ctx, e))?.as_str().map_err(|e| db(ctx, e.into()))?,
            ));
        }
        Ok(EntityCache { known, aliases, keys, data_version })
    }

    fn data_version(&self) -> i64 {
        self.data_version
    }
}

fn entity_from_row(row: &rusqlite::Row<'_>) -> Result<KnownEntity, StoreError> {
    let ctx = "reading an entity";
    let kind: String = row.get(1).map_err(|e| db(ctx, e))?;
    Ok(KnownEntity {
        id: row.get(0).map_err(|e| db(ctx, e))?,
        kind: kind_of(&kind)?,
        name: row.get(2).map_err(|e| db(ctx, e))?,
        docs: row.get::<_, i64>(3).map_err(|e| db(ctx, e))?.max(0) as u64,
    })
}

/// Writes what the entity stage returned for a batch, in the caller's transaction. A link for a
/// document whose entities are already stored is ignored.
///
/// `slot` is the handle's [`EntitySlot`]: a loaded cache gets the same changes as the tables (the
/// caller drops it if the transaction does not commit).
pub(crate) fn write_entities(
    tx: &Connection,
    links: &[EntityLink],
    slot: &mut EntitySlot,
) -> Result<(), StoreError> {
    if links.is_empty() {
        return Ok(());
    }
    slot.wanted = true;
    let mut cache = slot.cache.as_mut();
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
            if let Some(c) = cache.as_deref_mut() {
                c.known.entry(e.id.clone()).or_insert_with(|| KnownEntity { docs: 0, ..e.clone() });
            }
        }
        for (k, id) in &l.new_keys {
            key.execute(params![k, id]).map_err(|e| db(ctx, e))?;
            if let Some(c) = cache.as_deref_mut() {
                c.keys.insert(key_hash(k));
            }
        }
        for (a, id) in &l.new_aliases {
            alias.execute(params![a, id]).map_err(|e| db(ctx, e))?;
            if let Some(c) = cache.as_deref_mut() {
                c.aliases.insert(a.clone(), id.clone());
            }
        }
        for (id, name, mentions) in &l.entities {
            if doc.execute(params![to_sql(l.doc), id, name, mentions]).map_err(|e| db(ctx, e))? > 0 {
                *counts.entry(id.as_str()).or_default() += 1;
            }
        }
    }
    for (id, n) in counts {
        count.execute(params![n, id]).map_err(|e| db(ctx, e))?;
        if let Some(k) = cache.as_deref_mut().and_then(|c| c.known.get_mut(id)) {
            k.docs += n as u64;
        }
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

impl SqliteStore {
    /// Runs `f` on the handle's [`EntityCache`] (read first if needed), or returns `None` when
    /// the handle keeps none (it has not written entities).
    fn with_entity_cache<T>(&self, f: impl FnOnce(&EntityCache) -> T) -> Result<Option<T>, StoreError> {
        let st = self.state();
        let mut slot = st.entities.borrow_mut();
        if !slot.wanted {
            return Ok(None);
        }
        Ok(Some(f(fresh(&st.conn, &mut slot.cache)?)))
    }
}

impl EntityIndexRead for SqliteStore {
    type Error = StoreError;

    fn known_entity(&self, id: &str) -> Result<Option<KnownEntity>, StoreError> {
        if let Some(found) = self.with_entity_cache(|c| c.known.get(id).cloned())? {
            return Ok(found);
        }
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT id, type, name, docs FROM entities WHERE id = ?1")
            .map_err(|e| db("preparing the entity lookup", e))?;
        let mut rows = stmt.query([id]).map_err(|e| db("reading an entity", e))?;
        match rows.next().map_err(|e| db("reading an entity", e))? {
            Some(row) => Ok(Some(entity_from_row(row)?)),
            None => Ok(None),
        }
    }

    fn entity_alias(&self, id: &str) -> Result<Option<String>, StoreError> {
        if let Some(found) = self.with_entity_cache(|c| c.aliases.get(id).cloned())? {
            return Ok(found);
        }
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
        // Only the keys the table may hold are read (all of them without a cache).
        let maybe: Vec<&String> = match self
            .with_entity_cache(|c| keys.iter().filter(|k| c.keys.contains(&key_hash(k))).collect())?
        {
            Some(maybe) => maybe,
            None => keys.iter().collect(),
        };
        let st = self.state();
        let mut stmt = st
            .conn
            .prepare_cached("SELECT id FROM entity_keys WHERE key = ?1")
            .map_err(|e| db("preparing the entity key lookup", e))?;
        let mut out = Vec::new();
        for k in maybe {
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

#[cfg(test)]
mod tests {
    use crate::{SqliteStore, StoreWrite};
    use presswatch_model::{DocId, EntityIndexRead, EntityLink, EntityType, KnownEntity};

    fn person(id: &str, name: &str) -> KnownEntity {
        KnownEntity { id: id.into(), name: name.into(), kind: EntityType::Person, docs: 0 }
    }

    /// A new entity named by `doc`, filed under `keys`.
    fn named(doc: u64, e: &KnownEntity, keys: &[&str]) -> EntityLink {
        EntityLink {
            doc: DocId::from_u64(doc),
            entities: vec![(e.id.clone(), e.name.clone(), 1)],
            new_entities: vec![e.clone()],
            new_keys: keys.iter().map(|k| (k.to_string(), e.id.clone())).collect(),
            new_aliases: Vec::new(),
        }
    }

    fn keys(store: &SqliteStore, keys: &[&str]) -> Vec<(String, String)> {
        store.entities_by_key(&keys.iter().map(|k| k.to_string()).collect::<Vec<_>>()).unwrap()
    }

    /// The handle that writes entities answers from its cache; it must answer as the tables
    /// do after its own later batches (a typo alias, document counts), after another handle's
    /// write, after a rebuild it aborted, and after clearing.
    #[test]
    fn a_writing_handle_reads_its_entity_cache_in_step_with_the_tables() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let blinken = person("b", "Antony Blinken");
        store
            .put_batch_linked(&[], &[], &[], &[named(1, &blinken, &["person:s:blinken", "person:d:blnken"])])
            .unwrap();
        assert!(store.state().entities.borrow().wanted, "a handle that wrote entities keeps a cache");
        assert_eq!(store.known_entity("b").unwrap(), Some(KnownEntity { docs: 1, ..blinken.clone() }));
        assert!(store.state().entities.borrow().cache.is_some(), "the look-up read the cache");

        // A later batch: a typo becomes an alias, the entity is named by one more document.
        let typo = EntityLink {
            doc: DocId::from_u64(2),
            entities: vec![("b".into(), "Blnken".into(), 1)],
            new_aliases: vec![("typo".into(), "b".into())],
            ..Default::default()
        };
        store.put_batch_linked(&[], &[], &[], std::slice::from_ref(&typo)).unwrap();
        // The same document again changes nothing.
        store.put_batch_linked(&[], &[], &[], &[typo]).unwrap();
        assert_eq!(store.known_entity("b").unwrap(), Some(KnownEntity { docs: 2, ..blinken.clone() }));
        assert_eq!(store.entity_alias("typo").unwrap().as_deref(), Some("b"));
        assert_eq!(store.entity_alias("b").unwrap(), None);
        assert_eq!(
            keys(&store, &["person:d:blnken", "person:d:blinkn"]),
            [("person:d:blnken".into(), "b".into())]
        );

        // Another handle's write is seen.
        let mut other = SqliteStore::open(dir.path()).unwrap();
        let putin = person("p", "Vladimir Putin");
        other.put_batch_linked(&[], &[], &[], &[named(3, &putin, &["person:s:putin"])]).unwrap();
        assert_eq!(store.known_entity("p").unwrap(), Some(KnownEntity { docs: 1, ..putin.clone() }));
        assert_eq!(keys(&store, &["person:s:putin"]), [("person:s:putin".into(), "p".into())]);

        // What an aborted rebuild wrote is gone from the cache as from the tables.
        store.begin_rebuild().unwrap();
        let truss = person("t", "Liz Truss");
        store.put_batch_linked(&[], &[], &[], &[named(4, &truss, &["person:s:truss"])]).unwrap();
        assert_eq!(store.known_entity("t").unwrap(), Some(KnownEntity { docs: 1, ..truss }));
        store.abort_rebuild().unwrap();
        assert_eq!(store.known_entity("t").unwrap(), None);
        assert!(keys(&store, &["person:s:truss"]).is_empty());
        assert_eq!(store.known_entity("b").unwrap(), Some(KnownEntity { docs: 2, ..blinken }));

        store.clear_provenance().unwrap();
        assert_eq!(store.known_entity("b").unwrap(), None);
        assert_eq!(store.entity_alias("typo").unwrap(), None);
        assert!(keys(&store, &["person:s:blinken", "person:s:putin"]).is_empty());
    }
}
