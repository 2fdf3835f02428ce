//! From stored quote links to groups: which quotes are one, which appearance came first, and
//! which later appearances altered it. Decided on reading, from the links and the documents'
//! times, so the order documents were ingested in does not change the answer.

use crate::words::{same_speaker, same_word, similarity, words};
use chrono::NaiveDate;
use presswatch_model::{DocId, DocTime, QuoteId, QuoteLink, StoredQuote};
use presswatch_provenance::diff::{word_diff_by, Segment};
use std::collections::{BTreeMap, BTreeSet};

/// The order of appearances: earliest published day, then first seen (a document's
/// [`DocTime::sort_key`]), then the quote id.
pub fn appearance_key(id: QuoteId, time: &dyn Fn(DocId) -> DocTime) -> ((NaiveDate, u64), QuoteId) {
    (time(id.doc).sort_key(), id)
}

/// The groups that `links` join, each as its members in appearance order (first appearance
/// first). Quotes in no link are in no group here (each is a group of its own).
pub fn groups(links: &[QuoteLink], time: &dyn Fn(DocId) -> DocTime) -> Vec<Vec<QuoteId>> {
    let mut next: BTreeMap<QuoteId, BTreeSet<QuoteId>> = BTreeMap::new();
    for l in links.iter().filter(|l| l.quote != l.other) {
        next.entry(l.quote).or_default().insert(l.other);
        next.entry(l.other).or_default().insert(l.quote);
    }
    let mut placed: BTreeSet<QuoteId> = BTreeSet::new();
    let mut out = Vec::new();
    for &start in next.keys() {
        if !placed.insert(start) {
            continue;
        }
        let mut members = vec![start];
        let mut at = 0;
        while at < members.len() {
            for &n in next.get(&members[at]).into_iter().flatten() {
                if placed.insert(n) {
                    members.push(n);
                }
            }
            at += 1;
        }
        members.sort_by_cached_key(|&q| appearance_key(q, time));
        out.push(members);
    }
    out
}

/// How a later appearance of a quote differs from the first, beyond spelling
/// ([`crate::words`]'s rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alteration {
    /// Words were changed, cut or added.
    pub words: bool,
    /// The speaker is another person (both appearances name one).
    pub speaker: bool,
}

/// How `later` alters `first`, if it does: `None` when they have the same words (spelling,
/// case, punctuation and quotation marks aside) and the same speaker (or one names none).
pub fn alteration(first: &StoredQuote, later: &StoredQuote) -> Option<Alteration> {
    let changed = !similarity(&words(&first.text), &words(&later.text)).same_words();
    let speaker = !same_speaker(first.speaker.as_deref(), later.speaker.as_deref());
    (changed || speaker).then_some(Alteration { words: changed, speaker })
}

/// The word diff of a later appearance against the first: provenance's diff, with misspelt
/// words counted as the same word, so only real changes are marked.
pub fn quote_diff(first: &str, later: &str) -> (Vec<Segment>, Vec<Segment>) {
    word_diff_by(first, later, &same_word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use presswatch_model::QuoteMatch;

    fn q(doc: u64, n: u32) -> QuoteId {
        QuoteId::new(DocId::from(doc), n)
    }

    fn link(a: QuoteId, b: QuoteId) -> QuoteLink {
        QuoteLink { quote: a, other: b, via: QuoteMatch::Text, similarity: 1.0 }
    }

    fn stored(text: &str, speaker: Option<&str>) -> StoredQuote {
        StoredQuote { id: q(1, 0), text: text.into(), speaker: speaker.map(Into::into) }
    }

    #[test]
    fn groups_are_components_ordered_by_publication_then_first_seen() {
        let time = |d: DocId| {
            let (published, seen) = match u64::from(d) {
                1 => (Some("2022-01-03"), 1),
                2 => (Some("2022-01-01"), 2),
                3 => (None, 3),
                _ => (None, 9),
            };
            DocTime { published: published.map(|p| p.parse().unwrap()), seen }
        };
        let links = [link(q(3, 0), q(1, 2)), link(q(1, 2), q(2, 5)), link(q(4, 0), q(4, 0))];
        assert_eq!(groups(&links, &time), vec![vec![q(2, 5), q(1, 2), q(3, 0)]]);
        // the order the links were found in changes nothing
        let reversed = [link(q(2, 5), q(1, 2)), link(q(1, 2), q(3, 0))];
        assert_eq!(groups(&reversed, &time), groups(&links, &time));
    }

    #[test]
    fn spelling_is_not_an_alteration_words_and_speakers_are() {
        let first = stored("“There will be no breakthroughs this week,”", Some("Antony Blinken"));
        assert_eq!(
            alteration(&first, &stored("\"there will be no brekthroughs this week\"", Some("Blnken"))),
            None
        );
        let changed = alteration(&first, &stored("There will be breakthroughs this week", Some("Blinken")));
        assert_eq!(changed, Some(Alteration { words: true, speaker: false }));
        let other =
            alteration(&first, &stored("There will be no breakthroughs this week", Some("Sergei Lavrov")));
        assert_eq!(other, Some(Alteration { words: false, speaker: true }));
        let (a, b) =
            quote_diff("There will be no brekthroughs this week", "There will be breakthroughs this week");
        assert_eq!(a.iter().filter(|s| s.changed).map(|s| s.text.as_str()).collect::<Vec<_>>(), ["no"]);
        assert!(b.iter().all(|s| !s.changed));
    }
}
