//! Entities as read: the corpus's canonical entities by support, and one entity with its
//! aliases, its mentions by day and its quotes (`presswatch entities`, `presswatch entity`).

use crate::linking::canonical_entities;
use crate::read::QuoteView;
use presswatch_entities::{entity_id, name_key, within_one_edit};
use presswatch_model::{DocId, EntityType, KnownEntity};
use presswatch_store::{StoreError, StoreRead};
use std::collections::BTreeMap;

/// A canonical entity as listed: what the index knows of it and its mentions in all documents.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityRow {
    /// The entity (id, canonical name, type, documents naming it).
    pub entity: KnownEntity,
    /// Its mentions, over all documents.
    pub mentions: u64,
}

/// The canonical entities (of `kind`, if given), most documents first (then by name and id),
/// at most `top`.
pub fn entities<S: StoreRead + ?Sized>(
    store: &S,
    kind: Option<EntityType>,
    top: Option<usize>,
) -> Result<Vec<EntityRow>, StoreError> {
    let aliased: std::collections::HashSet<String> =
        store.entity_aliases()?.into_iter().map(|(a, _)| a).collect();
    let mut known: Vec<KnownEntity> = store
        .entities()?
        .into_iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k) && !aliased.contains(&e.id))
        .collect();
    known.sort_by(|a, b| b.docs.cmp(&a.docs).then_with(|| a.name.cmp(&b.name)).then_with(|| a.id.cmp(&b.id)));
    known.truncate(top.unwrap_or(usize::MAX));
    known
        .into_iter()
        .map(|entity| {
            let mentions = store.entity_docs(&entity.id)?.iter().map(|(_, _, m)| u64::from(*m)).sum();
            Ok(EntityRow { entity, mentions })
        })
        .collect()
}

/// A calendar day.
pub type Day = chrono::NaiveDate;

/// One day's mentions of an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct DayCount {
    /// The day (articles without a date have none).
    pub day: Option<chrono::NaiveDate>,
    /// Documents of that day naming it.
    pub docs: u64,
    /// Mentions in them.
    pub mentions: u64,
}

/// One entity in detail.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityDetail {
    /// The canonical entity.
    pub entity: KnownEntity,
    /// Every name documents used for it (the canonical one included), most used first.
    pub aliases: Vec<(String, u64)>,
    /// Mentions by published day, earliest first (undated last).
    pub by_day: Vec<DayCount>,
    /// Its quotes: those whose speaker is this entity, articles in document order.
    pub quotes: Vec<QuoteView>,
}

/// The entity called `name`: its canonical entity, found by id, by the id its name gives (as
/// the entity stage reads it, then its key as any type, persons first), or by a known entity's
/// name or surname key, or one letter off either (most documents first).
pub fn entity<S: StoreRead + ?Sized>(store: &S, name: &str) -> Result<Option<EntityDetail>, StoreError> {
    let Some(id) = find(store, name)? else { return Ok(None) };
    let Some(entity) = store.known_entity(&id)? else { return Ok(None) };
    let mut ids = vec![id.clone()];
    ids.extend(store.entity_aliases()?.into_iter().filter(|(_, to)| *to == id).map(|(from, _)| from));
    let mut names: BTreeMap<String, u64> = BTreeMap::new();
    let mut days: BTreeMap<(bool, Option<chrono::NaiveDate>), (u64, u64)> = BTreeMap::new();
    let mut docs: Vec<DocId> = Vec::new();
    for (doc, used, mentions) in store.entity_docs(&id)? {
        *names.entry(used).or_default() += 1;
        let day = store.doc_time(doc)?.and_then(|t| t.day());
        let slot = days.entry((day.is_none(), day)).or_default();
        slot.0 += 1;
        slot.1 += u64::from(mentions);
        docs.push(doc);
    }
    let mut aliases: Vec<(String, u64)> = names.into_iter().collect();
    aliases.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let by_day =
        days.into_iter().map(|((_, day), (docs, mentions))| DayCount { day, docs, mentions }).collect();
    let mut quotes = Vec::new();
    docs.sort_unstable();
    for doc in docs {
        let Some(mut record) = store.article(&doc.to_string())? else { continue };
        canonical_entities(store, &mut record)?;
        let graph = crate::quote_groups::QuoteGraph::around(store, record.id)?;
        graph.fill(&mut record);
        for quote in &record.quotes {
            if quote.speaker.entity.as_deref() != Some(id.as_str()) {
                continue;
            }
            let Some(qid) = quote.id else { continue };
            quotes.push(QuoteView {
                article: record.id,
                published: record.meta.published,
                outlet: record.meta.outlet.clone(),
                quote: quote.clone(),
                text: quote.text.clone(),
                mention: quote.speaker.mention.map(|m| m.slice(&record.text).to_string()),
                id: qid,
                group: graph.group_of(qid),
                appearances: graph.members(qid).len(),
                altered: graph.altered_view(qid, &quote.text),
            });
        }
    }
    Ok(Some(EntityDetail { entity, aliases, by_day, quotes }))
}

/// The canonical id `name` stands for.
fn find<S: StoreRead + ?Sized>(store: &S, name: &str) -> Result<Option<String>, StoreError> {
    let canonical = |id: String| -> Result<String, StoreError> {
        let mut at = id;
        for _ in 0..8 {
            match store.entity_alias(&at)? {
                Some(next) if next != at => at = next,
                _ => break,
            }
        }
        Ok(at)
    };
    if store.known_entity(name)?.is_some() || store.entity_alias(name)?.is_some() {
        return canonical(name.to_string()).map(Some);
    }
    let key = name_key(name);
    // The ids the entity stage gives the name as a text ("Kiev" is the place Kyiv), then the
    // id of the name's key for each type.
    let staged = presswatch_entities::entities_in_text(name).into_iter().map(|e| e.id);
    let keyed =
        [EntityType::Person, EntityType::Place, EntityType::Organisation].map(|kind| entity_id(kind, &key));
    for id in staged.chain(keyed) {
        if store.known_entity(&id)?.is_some() || store.entity_alias(&id)?.is_some() {
            return canonical(id).map(Some);
        }
    }
    let mut best: Option<KnownEntity> = None;
    for e in store.entities()? {
        let ek = name_key(&e.name);
        let surname = ek.rsplit(' ').next().unwrap_or(&ek);
        let typo = key.chars().count() >= presswatch_entities::MIN_TYPO_CHARS
            && (within_one_edit(&ek, &key) || within_one_edit(surname, &key));
        let hit = ek == key || surname == key || typo;
        if hit && best.as_ref().is_none_or(|b| e.docs > b.docs) {
            best = Some(e);
        }
    }
    match best {
        Some(e) => canonical(e.id).map(Some),
        None => Ok(None),
    }
}
