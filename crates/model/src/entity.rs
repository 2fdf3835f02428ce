//! Entities: the people, organisations and places an article names, and what the corpus knows
//! of them.
//!
//! The entities stage (`presswatch-entities`) fills [`Article::entities`](crate::Article): one
//! [`Entity`] per person, organisation or place the document names, with every mention as a
//! character span into `text`. Its `id` is derived from the entity's type and a normalised key
//! of its name (spelling and transliteration variants share it), so documents agree on it
//! without a corpus. The corpus stage (in `presswatch-app`'s linking) then joins ids that the
//! rules cannot (a typo of a known name, a surname alone) to a canonical entity:
//! [`EntityLink`]s persisted beside the articles and applied on reading.

use crate::{DocId, Span};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    /// A person ("Antony Blinken").
    Person,
    /// An organisation: a government body, party, company, agency, outlet ("NATO", "the Kremlin").
    Organisation,
    /// A country, region or city ("Kyiv", "Ukraine").
    Place,
}

impl EntityType {
    /// The type's name, as exported.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organisation => "organisation",
            EntityType::Place => "place",
        }
    }

    /// The type named `s` ([`EntityType::as_str`], or "organization", "org", "location").
    pub fn parse(s: &str) -> Option<EntityType> {
        Some(match s.to_ascii_lowercase().as_str() {
            "person" | "per" => EntityType::Person,
            "organisation" | "organization" | "org" => EntityType::Organisation,
            "place" | "location" | "loc" | "gpe" => EntityType::Place,
            _ => return None,
        })
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entity of an article with its mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Its id: as the document derives it (type and normalised name key), or, in an article as
    /// read, the corpus-wide canonical entity's.
    pub id: String,
    /// The fullest name the document gives, titles cut ("Antony Blinken"; "Kyiv" for "Kiev").
    pub name: String,
    /// Person, organisation or place.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Every mention, in order: character spans into the article's `text`.
    pub mentions: Vec<Span>,
}

/// A corpus-wide entity as the entity index knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownEntity {
    /// The canonical id (the document-derived id of its first appearance).
    pub id: String,
    /// Its canonical name (the name of its first appearance).
    pub name: String,
    /// Its type.
    pub kind: EntityType,
    /// How many documents name it (under its own id or an alias).
    pub docs: u64,
}

/// What the entity corpus stage persists for one article: its entities (by canonical id) and
/// the aliases it found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntityLink {
    /// The document.
    pub doc: DocId,
    /// Its entities as canonical ids, with the name used in the document and the number of
    /// mentions.
    pub entities: Vec<(String, String, u32)>,
    /// Entities seen for the first time here (they become known).
    pub new_entities: Vec<KnownEntity>,
    /// Lookup keys of the new entities (the normalised name, surname and one-deletion
    /// variants), as `(key, canonical id)`.
    pub new_keys: Vec<(String, String)>,
    /// Aliases found here: (document-derived id, canonical id).
    pub new_aliases: Vec<(String, String)>,
}

/// Read access to the entities earlier batches made known: what the entity corpus stage needs.
pub trait EntityIndexRead {
    /// What a lookup can fail with.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The known entity with canonical id `id`.
    fn known_entity(&self, id: &str) -> Result<Option<KnownEntity>, Self::Error>;

    /// The canonical id an id is an alias of, if it is one.
    fn entity_alias(&self, id: &str) -> Result<Option<String>, Self::Error>;

    /// Whether the document's entities were linked already (re-ingesting changes nothing).
    fn entity_doc_seen(&self, doc: DocId) -> Result<bool, Self::Error>;

    /// The canonical ids filed under each lookup key, as `(key, id)`.
    fn entities_by_key(&self, keys: &[String]) -> Result<Vec<(String, String)>, Self::Error>;
}
