//! The corpus part of entities: joining a document's entities to the canonical entities the
//! corpus already knows ([`EntityCorpusStage`], a [`CorpusStage`] over an [`EntityIndexRead`]).
//!
//! An entity whose document-derived id is known (or an alias of a known one) keeps it. A new
//! one is joined to a known entity of the same type when the rules of one document could not:
//! a surname alone ("Putin") to the one known person with that surname, a one-letter typo of a
//! long enough name or surname ("Blnken") to the known entity it misspells (the one named by
//! most documents). Otherwise it becomes known, filed under its [`lookup_keys`]; a person named
//! in full makes the known person named by that surname alone an alias of it. Batches run in
//! order against what earlier batches persisted plus what this batch decided so far, so where
//! batches are cut never changes the answer.

use crate::{lookup_keys, name_key, within_one_edit, MIN_TYPO_CHARS};
use presswatch_model::{ArticleRecord, CorpusStage, EntityIndexRead, EntityLink, EntityType, KnownEntity};
use std::collections::{BTreeMap, HashMap};

/// The entity corpus stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntityCorpusStage;

/// What this batch decided so far, read before the index.
#[derive(Default)]
struct Overlay {
    known: HashMap<String, KnownEntity>,
    keys: HashMap<String, Vec<String>>,
    aliases: HashMap<String, String>,
    /// Canonical ids already decided in this batch, by document-derived id (most entities of a
    /// batch recur: each is looked up in the index once).
    resolved: HashMap<String, String>,
}

impl<I: EntityIndexRead + ?Sized> CorpusStage<I> for EntityCorpusStage {
    type Prepared = ();
    type Output = EntityLink;
    type Error = I::Error;

    fn name(&self) -> &'static str {
        "entities"
    }

    fn prepare(&self, _article: &ArticleRecord) {}

    fn run(
        &self,
        index: &I,
        batch: &[&ArticleRecord],
        _prepared: Vec<()>,
    ) -> Result<Vec<EntityLink>, I::Error> {
        let mut overlay = Overlay::default();
        let mut out = Vec::with_capacity(batch.len());
        for article in batch {
            if article.entities.is_empty() || index.entity_doc_seen(article.id)? {
                continue;
            }
            let mut link = EntityLink { doc: article.id, ..Default::default() };
            let mut counted: BTreeMap<String, (String, u32)> = BTreeMap::new();
            for e in &article.entities {
                let canonical = match overlay.resolved.get(&e.id) {
                    Some(c) => c.clone(),
                    None => {
                        let c = resolve(index, &mut overlay, &mut link, e.kind, &e.id, &e.name)?;
                        overlay.resolved.insert(e.id.clone(), c.clone());
                        c
                    }
                };
                let entry = counted.entry(canonical).or_insert_with(|| (e.name.clone(), 0));
                entry.1 += u32::try_from(e.mentions.len()).unwrap_or(u32::MAX);
            }
            for (id, (name, mentions)) in counted {
                let known = match overlay.known.get(&id) {
                    Some(k) => Some(k.clone()),
                    None => index.known_entity(&id)?,
                };
                if let Some(mut k) = known {
                    k.docs += 1;
                    overlay.known.insert(id.clone(), k);
                }
                link.entities.push((id, name, mentions));
            }
            out.push(link);
        }
        Ok(out)
    }
}

fn alias_of<I: EntityIndexRead + ?Sized>(
    index: &I,
    overlay: &Overlay,
    id: &str,
) -> Result<Option<String>, I::Error> {
    match overlay.aliases.get(id) {
        Some(a) => Ok(Some(a.clone())),
        None => index.entity_alias(id),
    }
}

fn known<I: EntityIndexRead + ?Sized>(
    index: &I,
    overlay: &Overlay,
    id: &str,
) -> Result<Option<KnownEntity>, I::Error> {
    match overlay.known.get(id) {
        Some(k) => Ok(Some(k.clone())),
        None => index.known_entity(id),
    }
}

fn ids_by_key<I: EntityIndexRead + ?Sized>(
    index: &I,
    overlay: &Overlay,
    keys: &[String],
) -> Result<Vec<String>, I::Error> {
    let mut ids: Vec<String> = index.entities_by_key(keys)?.into_iter().map(|(_, id)| id).collect();
    for k in keys {
        ids.extend(overlay.keys.get(k).into_iter().flatten().cloned());
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// Follows aliases to the canonical id (a bounded number of hops).
fn canonical<I: EntityIndexRead + ?Sized>(
    index: &I,
    overlay: &Overlay,
    id: &str,
) -> Result<String, I::Error> {
    let mut at = id.to_string();
    for _ in 0..8 {
        match alias_of(index, overlay, &at)? {
            Some(next) if next != at => at = next,
            _ => break,
        }
    }
    Ok(at)
}

/// The canonical id of a document's entity, recording in `link` (and `overlay`) what is new.
fn resolve<I: EntityIndexRead + ?Sized>(
    index: &I,
    overlay: &mut Overlay,
    link: &mut EntityLink,
    kind: EntityType,
    id: &str,
    name: &str,
) -> Result<String, I::Error> {
    if alias_of(index, overlay, id)?.is_some() {
        return canonical(index, overlay, id);
    }
    if known(index, overlay, id)?.is_some() {
        return Ok(id.to_string());
    }
    let key = name_key(name);
    let t = kind.as_str();
    let single = !key.contains(' ');
    let last = key.rsplit(' ').next().unwrap_or(&key).to_string();
    // Candidates: a surname alone, or one-letter typos of a name or surname.
    let mut candidates: Vec<(KnownEntity, bool)> = Vec::new();
    if kind == EntityType::Person && single {
        for c in ids_by_key(index, overlay, &[format!("{t}:s:{key}")])? {
            let c = canonical(index, overlay, &c)?;
            if let Some(k) = known(index, overlay, &c)? {
                candidates.push((k, true));
            }
        }
    }
    let typo_base = if kind == EntityType::Person { &last } else { &key };
    if candidates.is_empty() && typo_base.chars().count() >= MIN_TYPO_CHARS {
        let mut keys = vec![format!("{t}:d:{typo_base}")];
        keys.extend(crate::deletions(typo_base).into_iter().map(|d| format!("{t}:d:{d}")));
        for c in ids_by_key(index, overlay, &keys)? {
            let c = canonical(index, overlay, &c)?;
            let Some(k) = known(index, overlay, &c)? else { continue };
            let ck = name_key(&k.name);
            let fits = if kind == EntityType::Person && single {
                ck.rsplit(' ').next().is_some_and(|s| within_one_edit(s, &key))
            } else {
                within_one_edit(&ck, &key)
            };
            if fits && k.kind == kind {
                candidates.push((k, false));
            }
        }
    }
    candidates.retain(|(k, _)| k.kind == kind && k.id != id);
    candidates.sort_by(|a, b| b.0.docs.cmp(&a.0.docs).then_with(|| a.0.id.cmp(&b.0.id)));
    candidates.dedup_by(|a, b| a.0.id == b.0.id);
    let exact_surnames: Vec<&KnownEntity> = candidates.iter().filter(|(_, s)| *s).map(|(k, _)| k).collect();
    let chosen = if !exact_surnames.is_empty() {
        // A surname alone joins only the one person the corpus knows by it.
        (exact_surnames.len() == 1).then(|| exact_surnames[0].id.clone())
    } else {
        candidates.first().map(|(k, _)| k.id.clone())
    };
    if let Some(c) = chosen {
        overlay.resolved.remove(id);
        overlay.aliases.insert(id.to_string(), c.clone());
        link.new_aliases.push((id.to_string(), c.clone()));
        return Ok(c);
    }
    // A new entity.
    let entity = KnownEntity { id: id.to_string(), name: name.to_string(), kind, docs: 0 };
    overlay.known.insert(id.to_string(), entity.clone());
    link.new_entities.push(entity);
    for k in lookup_keys(kind, name) {
        overlay.keys.entry(k.clone()).or_default().push(id.to_string());
        link.new_keys.push((k, id.to_string()));
    }
    // A person named in full: the person known by that surname alone is this one.
    if kind == EntityType::Person && !single {
        for c in ids_by_key(index, overlay, &[format!("{t}:k:{last}")])? {
            if c != id && alias_of(index, overlay, &c)?.is_none() {
                if let Some(k) = known(index, overlay, &c)? {
                    if k.kind == kind {
                        overlay.resolved.remove(&c);
                        overlay.aliases.insert(c.clone(), id.to_string());
                        link.new_aliases.push((c, id.to_string()));
                    }
                }
            }
        }
    }
    Ok(id.to_string())
}
