//! Index keys of a text: what a new document is looked up by to find the few earlier documents
//! worth aligning with it.
//!
//! Three kinds of keys, each tagged in its top bits so they never collide with each other:
//! - the exact key: the hash of the normalized token sequence (same text up to case and
//!   punctuation);
//! - MinHash LSH band keys over word 5-shingles ([`MINHASH_BANDS`] bands of [`MINHASH_ROWS`]
//!   rows): two texts share a band with probability `1 - (1 - J^5)^20` for shingle Jaccard `J`,
//!   about 0.5 at `J = 0.5` and > 0.99 at `J = 0.8`. Catches near-duplicates and reordered copies
//!   (sentence shuffles keep most shingles);
//! - stopword-skeleton keys: hashes of runs of [`SKELETON_RUN`] consecutive function words,
//!   skipping the content words between them. Synonym substitution and typos change content
//!   words, so these survive spinning; partial reuse keeps them for the reused passages. They are
//!   sampled by hash value (1 in [`SKELETON_SAMPLE`]), so two texts keep the same runs.
//!
//! - sentence keys: hashes of whole sentences of 8+ tokens, for verbatim reuse of a few
//!   sentences (partial copies, shuffles), and to see which sentences many documents share.
//!
//! Sentences with few function words (Chinese, Japanese, Thai, languages the list does not know)
//! give sampled token 5-shingle keys instead.

use crate::text::{mix, Tokens};

/// LSH bands of the MinHash signature: a pair with shingle Jaccard 0.5 shares a band with
/// probability ~0.5, at 0.8 with more than 0.99.
pub const MINHASH_BANDS: usize = 20;
/// Rows (hash functions) per band.
pub const MINHASH_ROWS: usize = 5;
const MINHASH_SIZE: usize = MINHASH_BANDS * MINHASH_ROWS;
/// Words per shingle.
pub const SHINGLE: usize = 5;
/// Function words per skeleton run (synonym substitution and typos leave them in place).
pub const SKELETON_RUN: usize = 7;
/// One skeleton run in this many is kept as a key (sampled by hash, so copies keep the same ones).
pub const SKELETON_SAMPLE: u64 = 6;
/// Sentences of at least this many tokens give a key of their own (all of them, unsampled): a
/// sentence reused verbatim, in any order or company, is found by it, and how many documents
/// share it tells boilerplate (a donation appeal on many unrelated pages) from reuse.
pub const SENTENCE_KEY_TOKENS: usize = 8;
/// Texts shorter than this (tokens) keep all their skeleton and shingle keys.
pub const DENSE_BELOW_TOKENS: usize = 250;
/// Below this share of function words a sentence gives shingle keys rather than skeleton keys.
const MIN_STOP_SHARE: f32 = 0.15;

const TAG_SHIFT: u32 = 60;
const PAYLOAD: u64 = (1 << TAG_SHIFT) - 1;

/// What a key stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// The hash of the whole normalized text.
    Exact,
    /// A MinHash LSH band.
    Band,
    /// A sampled run of function words.
    Skeleton,
    /// A sampled word shingle.
    Shingle,
    /// A whole long sentence.
    Sentence,
}

impl KeyKind {
    fn tag(self) -> u64 {
        match self {
            KeyKind::Exact => 1,
            KeyKind::Band => 2,
            KeyKind::Skeleton => 3,
            KeyKind::Shingle => 4,
            KeyKind::Sentence => 5,
        }
    }

    /// The kind a key was made as (its tag bits); `None` for a key no kind makes.
    pub fn of(key: u64) -> Option<KeyKind> {
        Some(match key >> TAG_SHIFT {
            1 => KeyKind::Exact,
            2 => KeyKind::Band,
            3 => KeyKind::Skeleton,
            4 => KeyKind::Shingle,
            5 => KeyKind::Sentence,
            _ => return None,
        })
    }
}

fn tagged(kind: KeyKind, payload: u64) -> u64 {
    (kind.tag() << TAG_SHIFT) | (payload & PAYLOAD)
}

/// The keys of a text, deduplicated and sorted. Keys fit in an `i64` (SQLite's integer).
pub fn keys(tokens: &Tokens) -> Vec<u64> {
    let mut keys = Vec::with_capacity(64);
    if tokens.tokens.is_empty() {
        return keys;
    }
    keys.push(tagged(KeyKind::Exact, tokens.exact_hash()));
    keys.extend(band_keys(&shingle_hashes(tokens)));
    // Each sentence feeds the skeleton if it has function words enough, else sampled shingles of
    // its own: a reused sentence gives the same keys in any text, whatever surrounds it.
    // A short text keeps every key rather than a sample: a share of it is too few words for a
    // sample to catch (a long text still meets its keys, as it samples the same windows).
    let rate = if tokens.tokens.len() < DENSE_BELOW_TOKENS { 1 } else { SKELETON_SAMPLE };
    let mut stops: Vec<u64> = Vec::new();
    for s in &tokens.sentences {
        let toks = tokens.sentence_tokens(s);
        keys.extend(sentence_key(tokens, s));
        let n_stop = toks.iter().filter(|t| t.stop).count();
        if n_stop as f32 >= MIN_STOP_SHARE * toks.len() as f32 {
            stops.extend(toks.iter().filter(|t| t.stop).map(|t| t.hash));
        } else {
            for w in toks.windows(SHINGLE) {
                let h = w.iter().fold(0x51u64, |h, t| mix(h.rotate_left(5) ^ t.hash));
                if sampled(h, rate) {
                    keys.push(tagged(KeyKind::Shingle, h));
                }
            }
        }
    }
    keys.extend(skeleton_keys(&stops, rate));
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The key of a sentence of [`SENTENCE_KEY_TOKENS`] or more tokens (every such sentence has one).
pub fn sentence_key(tokens: &Tokens, s: &crate::text::Sentence) -> Option<u64> {
    (tokens.sentence_tokens(s).len() >= SENTENCE_KEY_TOKENS).then(|| tagged(KeyKind::Sentence, s.hash))
}

/// Whether a key is kept at `1 in rate`; a function of the key, so every text keeps the same.
fn sampled(h: u64, rate: u64) -> bool {
    (h >> 20).is_multiple_of(rate)
}

/// Hashes of the word 5-shingles (a text shorter than that is one shingle).
pub fn shingle_hashes(tokens: &Tokens) -> Vec<u64> {
    let t = &tokens.tokens;
    if t.len() < SHINGLE {
        return vec![t.iter().fold(0x51u64, |h, t| mix(h ^ t.hash))];
    }
    t.windows(SHINGLE).map(|w| w.iter().fold(0x51u64, |h, t| mix(h.rotate_left(5) ^ t.hash))).collect()
}

/// The MinHash signature's bands, each hashed to one key. Each of the 100 hash functions is
/// `a * x + b` on the shingle hash (x is already well mixed, so this is a cheap permutation).
fn band_keys(shingles: &[u64]) -> Vec<u64> {
    let mut mins = [u64::MAX; MINHASH_SIZE];
    let params: Vec<(u64, u64)> =
        (0..MINHASH_SIZE as u64).map(|i| (mix(i * 2 + 1) | 1, mix(i * 2 + 2))).collect();
    for &x in shingles {
        for (m, (a, b)) in mins.iter_mut().zip(&params) {
            let v = a.wrapping_mul(x).wrapping_add(*b);
            if v < *m {
                *m = v;
            }
        }
    }
    mins.chunks(MINHASH_ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let h = rows.iter().fold(mix(band as u64 + 0xBA4D), |h, r| mix(h ^ r));
            tagged(KeyKind::Band, h)
        })
        .collect()
}

/// Sampled hashes of runs of consecutive function words.
fn skeleton_keys(stops: &[u64], rate: u64) -> Vec<u64> {
    stops
        .windows(SKELETON_RUN)
        .map(|w| w.iter().fold(0x5Eu64, |h, x| mix(h.rotate_left(7) ^ x)))
        .filter(|h| sampled(*h, rate))
        .map(|h| tagged(KeyKind::Skeleton, h))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    const TEXT: &str = "The United States and its allies will not give in to Russian demands \
        over NATO expansion, the Secretary of State said on Tuesday. He told reporters in \
        Geneva that the door to diplomacy was still open, but that any further invasion of \
        Ukraine would be met with a swift and severe response from the West. Officials from \
        both sides are expected to meet again next week in order to discuss the proposals.";

    #[test]
    fn keys_are_tagged_and_stable() {
        let k = keys(&tokenize(TEXT));
        assert_eq!(k, keys(&tokenize(TEXT)));
        assert_eq!(k.iter().filter(|k| KeyKind::of(**k) == Some(KeyKind::Exact)).count(), 1);
        assert_eq!(k.iter().filter(|k| KeyKind::of(**k) == Some(KeyKind::Band)).count(), MINHASH_BANDS);
        assert!(k.iter().all(|k| i64::try_from(*k).is_ok()));
    }

    #[test]
    fn synonyms_keep_the_skeleton() {
        let spun = TEXT
            .replace("allies", "partners")
            .replace("demands", "requests")
            .replace("told", "informed")
            .replace("swift", "rapid")
            .replace("severe", "harsh")
            .replace("proposals", "offers");
        let skel = |t: &str| -> Vec<u64> {
            keys(&tokenize(t)).into_iter().filter(|k| KeyKind::of(*k) == Some(KeyKind::Skeleton)).collect()
        };
        let (a, b) = (skel(TEXT), skel(&spun));
        assert_eq!(a, b, "substituting content words leaves function-word runs alone");
    }

    #[test]
    fn empty_text_has_no_keys() {
        assert!(keys(&tokenize("")).is_empty());
    }
}
