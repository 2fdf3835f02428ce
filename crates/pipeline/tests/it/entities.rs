//! The entities stage through the whole pipeline, on the seeds the issue names (issue 13):
//! seed 004's misspelt "Blnken" is Antony Blinken, seed 001's Liz Truss and Putin are people
//! and its quotes' speakers carry their entity ids.

use super::seed;
use presswatch_model::{ArticleRecord, Entity, EntityType};

fn named<'a>(a: &'a ArticleRecord, name: &str) -> &'a Entity {
    a.entities.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no entity {name}"))
}

#[test]
fn seed_004_blnken_is_antony_blinken() {
    let a = seed("004_");
    let blinken = named(&a, "Antony Blinken");
    assert_eq!(blinken.kind, EntityType::Person);
    let mentions: Vec<&str> = blinken.mentions.iter().map(|s| s.slice(&a.text)).collect();
    assert!(mentions.contains(&"Blnken"), "{mentions:?}");
    assert_eq!(mentions[0], "Antony Blinken", "the title 'Secretary of State' is cut");
    assert!(a.entities.iter().all(|e| !e.name.contains("Secretary")));
    // Every quote attributed to Blinken (by any spelling) carries his entity id.
    let his: Vec<_> =
        a.quotes.iter().filter(|q| q.speaker.name.as_deref() == Some("Antony Blinken")).collect();
    assert!(!his.is_empty());
    assert!(his.iter().all(|q| q.speaker.entity.as_deref() == Some(blinken.id.as_str())));
}

#[test]
fn seed_001_truss_and_putin_are_people_and_speakers() {
    let a = seed("001_");
    let truss = named(&a, "Liz Truss");
    let putin = named(&a, "Putin");
    assert_eq!((truss.kind, putin.kind), (EntityType::Person, EntityType::Person));
    assert!(putin.mentions.len() >= 5);
    let speaker = |start: &str| {
        let q = a.quotes.iter().find(|q| q.content[0].slice(&a.text).starts_with(start)).unwrap();
        q.speaker.entity.clone()
    };
    assert_eq!(speaker("We have been clear that any incursion").as_deref(), Some(truss.id.as_str()));
    assert_eq!(speaker("We will definitely meet").as_deref(), Some(putin.id.as_str()));
    // "Kiev" is the place Kyiv.
    assert_eq!(named(&a, "Kyiv").kind, EntityType::Place);
    assert_eq!(named(&a, "Kyiv").mentions.iter().map(|s| s.slice(&a.text)).collect::<Vec<_>>(), ["Kiev"]);
}
