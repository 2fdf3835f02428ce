//! The quotes stage through the whole pipeline, on the seeds the issue names (issue 13): seed
//! 001's Liz Truss and Vladimir Putin, seed 004's Antony Blinken despite the misspelt "Blnken".

use super::seed;
use presswatch_model::{ArticleRecord, QuoteKind};

/// The speaker's name of the quote whose content starts with `start`.
fn speaker_of<'a>(a: &'a ArticleRecord, start: &str) -> Option<&'a str> {
    let q = a
        .quotes
        .iter()
        .find(|q| q.content[0].slice(&a.text).starts_with(start))
        .unwrap_or_else(|| panic!("no quote starting {start:?}"));
    q.speaker.name.as_deref()
}

#[test]
fn seed_001_truss_and_putin() {
    let a = seed("001_");
    assert_eq!(speaker_of(&a, "We have been clear that any incursion"), Some("Liz Truss"));
    assert_eq!(speaker_of(&a, "democratic nations should give up Russian energy"), Some("Liz Truss"));
    assert_eq!(speaker_of(&a, "We will definitely meet"), Some("Putin"));
    let truss = a.quotes.iter().find(|q| q.speaker.name.as_deref() == Some("Liz Truss")).unwrap();
    assert_eq!(truss.cue.unwrap().slice(&a.text), "said");
    assert_eq!(truss.speaker.mention.unwrap().slice(&a.text), "Liz Truss");
    assert_eq!(truss.language.as_deref(), Some("en"));
}

#[test]
fn seed_004_blinken_despite_the_typo() {
    let a = seed("004_");
    for start in
        ["It’s very difficult", "Russia seeks to undermine", "To the degree that", "no breakthroughs"]
    {
        assert_eq!(speaker_of(&a, start), Some("Antony Blinken"), "{start}");
    }
    let typo = a.quotes.iter().find(|q| q.content[0].slice(&a.text).starts_with("Russia seeks")).unwrap();
    assert_eq!(typo.speaker.mention.unwrap().slice(&a.text), "Blnken");
    // "“…,” Blinken said on ABC’s “This Week,” “when Russia …”": one quote, two pieces.
    let abc =
        a.quotes.iter().find(|q| q.content[0].slice(&a.text).starts_with("It’s very difficult")).unwrap();
    assert_eq!(abc.content.len(), 2);
    assert!(abc.content[1].slice(&a.text).starts_with("when Russia has a gun"));
    assert_eq!(speaker_of(&a, "We have nowhere to go"), Some("Vladimir Putin"));
    assert_eq!(speaker_of(&a, "Demands from the United States"), Some("Sergei Ryabkov"));
    assert!(a.quotes.iter().any(|q| q.kind == QuoteKind::Indirect));
}
