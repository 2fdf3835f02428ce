//! Quote words compared with spelling aside: which words are the same word, how similar two
//! quotes are, and the text-matching keys of a quote.
//!
//! **The spelling rule.** Two words are the same word when their lowercase forms are equal, or
//! when both are all letters, the longer has at least 5 of them, and one edit (a letter added,
//! dropped, replaced, or two neighbours swapped) turns one into the other (two edits from 10
//! letters): "Blnken" is "Blinken", "recieve" is "receive". Case, punctuation and the style of
//! the quotation marks never count, as words are compared without them. Everything else is a
//! different word: numbers must be equal, and short words too ("will" is not "well", "not" is
//! not "now"), since a one-letter change of a short word is as often a real substitution as a
//! typo.

use presswatch_provenance::text::tokenize;
use xxhash_rust::xxh3::xxh3_64;

/// Fewest words a quote needs to be matched by its text alone (shorter ones, "a disaster",
/// "dead end", recur in unrelated articles; they are grouped only through provenance links).
pub const MIN_TEXT_WORDS: usize = 6;
/// Text-matching keys kept per quote: the smallest hashes of its word 3-shingles.
pub const KEYS_PER_QUOTE: usize = 6;
/// Words of a quote compared at most (a longer one is compared by its first words).
const MAX_WORDS: usize = 200;

/// A lowercased word, with what comparing it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Stable hash of the lowercased word (equal words, equal hashes).
    pub hash: u64,
    /// Its letters (empty unless it is all letters: only those can be misspelt).
    letters: Box<[char]>,
    /// Which letters it has, one bit per letter (modulo 64): an edit changes at most two bits.
    mask: u64,
    text: Box<str>,
}

impl Word {
    fn new(text: &str, hash: u64) -> Word {
        let letters: Box<[char]> = if !text.is_empty() && text.chars().all(char::is_alphabetic) {
            text.chars().collect()
        } else {
            Box::default()
        };
        let mask = letters.iter().fold(0u64, |m, &c| m | 1 << (u32::from(c) % 64));
        Word { hash, letters, mask, text: text.into() }
    }

    /// The lowercased word.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the two are the same word, spelling aside (the rule is the module's).
    pub fn same(&self, other: &Word) -> bool {
        if self.hash == other.hash {
            return self.text == other.text;
        }
        let (x, y) = (&self.letters, &other.letters);
        if x.is_empty() || y.is_empty() {
            return false;
        }
        let allowed = match x.len().max(y.len()) {
            0..=4 => return false,
            5..=9 => 1,
            _ => 2,
        };
        x.len().abs_diff(y.len()) <= allowed
            && (self.mask ^ other.mask).count_ones() as usize <= 2 * allowed
            && edits(x, y) <= allowed
    }
}

/// A quote's words, and their distinct hashes (sorted) for a quick look before comparing.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// The words, in order.
    pub words: Vec<Word>,
    distinct: Vec<u64>,
}

impl Words {
    /// The lowercased words of a text, in order (punctuation and quotation marks left out).
    pub fn of(text: &str) -> Words {
        let t = tokenize(text);
        let words: Vec<Word> = t.tokens.iter().map(|tok| Word::new(t.token_str(tok), tok.hash)).collect();
        let mut distinct: Vec<u64> = words.iter().map(|w| w.hash).collect();
        distinct.sort_unstable();
        distinct.dedup();
        Words { words, distinct }
    }

    /// How many words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// A cheap bound before [`similarity`]: whether at least 40% of the distinct words of the
    /// one with fewer are, spelled the same, in the other. Two appearances of a quote
    /// that passes [`copy_match`] or [`text_match`] share far more unless most of their words
    /// are misspelt.
    pub fn might_match(&self, other: &Words) -> bool {
        let (small, large) =
            if self.distinct.len() <= other.distinct.len() { (self, other) } else { (other, self) };
        let shared = small.distinct.iter().filter(|h| large.distinct.binary_search(h).is_ok()).count();
        shared * 5 >= small.distinct.len() * 2 && shared > 0
    }
}

/// The lowercased words of a text, in order (punctuation and quotation marks left out).
pub fn words(text: &str) -> Vec<Word> {
    Words::of(text).words
}

/// Whether two lowercased words are the same word, spelling aside (the rule is the module's).
pub fn same_word(a: &str, b: &str) -> bool {
    let word = |w: &str| Word::new(w, xxh3_64(w.as_bytes()));
    word(a).same(&word(b))
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbours.
fn edits(a: &[char], b: &[char]) -> usize {
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1).min(d[i * w + j - 1] + 1).min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// How much two quotes' words agree, spelling aside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Words in their longest common subsequence ([`same_word`] as equality).
    pub common: usize,
    /// Words of the first and of the second.
    pub lens: (usize, usize),
}

impl Similarity {
    /// `2 common / (a + b)`: 1 for the same words.
    pub fn dice(&self) -> f32 {
        let total = self.lens.0 + self.lens.1;
        if total == 0 {
            return 0.0;
        }
        2.0 * self.common as f32 / total as f32
    }

    /// `common / min(a, b)`: 1 when the shorter is all in the longer (a quote cut short).
    pub fn containment(&self) -> f32 {
        let least = self.lens.0.min(self.lens.1);
        if least == 0 {
            return 0.0;
        }
        self.common as f32 / least as f32
    }

    /// Whether every word of each is in the other, in order: the same words, spelling aside.
    pub fn same_words(&self) -> bool {
        self.common == self.lens.0 && self.common == self.lens.1
    }
}

/// The longest common subsequence of two word lists, [`Word::same`] as equality.
pub fn similarity(a: &[Word], b: &[Word]) -> Similarity {
    let (a, b) = (&a[..a.len().min(MAX_WORDS)], &b[..b.len().min(MAX_WORDS)]);
    let (n, m) = (a.len(), b.len());
    if a.iter().map(|w| w.hash).eq(b.iter().map(|w| w.hash)) {
        return Similarity { common: n, lens: (n, m) };
    }
    let w = m + 1;
    let mut t = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * w + j] = if a[i].same(&b[j]) {
                t[(i + 1) * w + j + 1] + 1
            } else {
                t[(i + 1) * w + j].max(t[i * w + j + 1])
            };
        }
    }
    Similarity { common: t[0] as usize, lens: (n, m) }
}

/// Whether two quotes of articles that provenance links (a copy and its source) are the same
/// quote: at least 3 words in common, and half of all their words or 70% of the shorter's.
pub fn copy_match(s: &Similarity) -> bool {
    s.common >= 3 && (s.dice() >= 0.5 || s.containment() >= 0.7)
}

/// Whether two quotes of unrelated articles are the same quote by their words alone: both at
/// least [`MIN_TEXT_WORDS`] long, and 60% of all their words or 80% of the shorter's in common.
pub fn text_match(s: &Similarity) -> bool {
    s.lens.0.min(s.lens.1) >= MIN_TEXT_WORDS
        && s.common >= MIN_TEXT_WORDS
        && (s.dice() >= 0.6 || s.containment() >= 0.8)
}

/// Whether two speaker names are one person, spelling aside: every word of the shorter name is
/// in the longer ("Blinken" is "Antony Blinken", "Antony Blnken" too). A quote without a named
/// speaker agrees with any.
pub fn same_speaker(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return true };
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return true;
    }
    let (short, long) = if wa.len() <= wb.len() { (wa, wb) } else { (wb, wa) };
    short.iter().all(|s| long.iter().any(|l| s.same(l)))
}

/// A word's consonant skeleton: lowercase, vowels after the first letter dropped, repeated
/// letters once ("blinken" and "blnken" are both "blnkn"), so keys survive most typos.
fn skeleton(word: &str) -> String {
    const VOWELS: &str = "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿаеёиоуыэюяіїє";
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    for (i, c) in word.chars().enumerate() {
        if i > 0 && VOWELS.contains(c) {
            continue;
        }
        if last != Some(c) {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// The text-matching keys of a quote's words: the [`KEYS_PER_QUOTE`] smallest hashes of its
/// consecutive word skeleton triples, below 2^63; none for quotes shorter than
/// [`MIN_TEXT_WORDS`]. Stable: keys are persisted.
pub fn keys(words: &[Word]) -> Vec<u64> {
    if words.len() < MIN_TEXT_WORDS {
        return Vec::new();
    }
    let skeletons: Vec<String> = words.iter().map(|w| skeleton(w.text())).collect();
    let mut keys: Vec<u64> = skeletons
        .windows(3)
        .map(|w| xxh3_64(format!("{}\u{1f}{}\u{1f}{}", w[0], w[1], w[2]).as_bytes()) >> 1)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.truncate(KEYS_PER_QUOTE);
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<Word> {
        words(s)
    }

    #[test]
    fn spelling_rule() {
        assert!(same_word("blnken", "blinken"));
        assert!(same_word("recieve", "receive"));
        assert!(same_word("washingtons", "washington"));
        assert!(!same_word("well", "will"));
        assert!(!same_word("habit", "belly"));
        assert!(!same_word("2021", "2022"));
        assert!(!same_word("expected", "excepted"));
        assert!(!same_word("agreement", "arrangement"));
    }

    #[test]
    fn typos_case_and_quote_marks_keep_the_words_and_keys() {
        let a = w("“We expect no breakthroughs,” Blinken said.");
        let b = w("\"we expect no brekthroughs\" blnken said");
        assert!(similarity(&a, &b).same_words());
        assert!(Words::of("“We expect no breakthroughs,” Blinken said.")
            .might_match(&Words::of("we expect none")));
        assert!(!Words::of("We expect no breakthroughs").might_match(&Words::of("Markets were calm")));
        let long_a = w("There will be no breakthroughs in the coming week, and we expect none.");
        let long_b = w("There will be no brekthroughs in the comming week, and we expect none.");
        assert_eq!(keys(&long_a), keys(&long_b));
        assert_eq!(keys(&long_a).len(), KEYS_PER_QUOTE);
        assert!(keys(&w("a dead end")).is_empty());
    }

    #[test]
    fn changed_and_cut_quotes_still_match_but_differ() {
        let first = w("We are ready to talk, but we will not negotiate under threat of invasion.");
        let changed = w("We are ready to talk, but we will never negotiate under threat of invasion.");
        let cut = w("We are ready to talk.");
        let s = similarity(&first, &changed);
        assert!(text_match(&s) && !s.same_words());
        let s = similarity(&first, &cut);
        assert!(copy_match(&s) && !text_match(&s) && !s.same_words());
        assert!(!text_match(&similarity(
            &first,
            &w("The weather in Moscow will be cold and grey all week long.")
        )));
    }

    #[test]
    fn speakers() {
        assert!(same_speaker(Some("Antony Blinken"), Some("Blnken")));
        assert!(same_speaker(Some("Antony Blinken"), None));
        assert!(!same_speaker(Some("Antony Blinken"), Some("Sergei Lavrov")));
    }
}
