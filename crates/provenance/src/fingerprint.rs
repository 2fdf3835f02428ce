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

use crate::text::{mix, ExactHash, Sentence, Token, Tokenizer, Tokens};

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
    let mut keys = KeyBuilder::default();
    keys.add(&tokens.tokens, &tokens.sentences, 0);
    keys.finish()
}

/// The keys of a text without holding all its tokens: tokenized a piece of about
/// [`PIECE_BYTES`] at a time, each piece's closed sentences keyed and dropped. The same keys as
/// `keys(&tokenize(text))`, in memory bounded by a piece, not by the text.
pub fn keys_of_text(text: &str) -> Vec<u64> {
    let mut tokenizer = Tokenizer::hashes_only();
    let mut keys = KeyBuilder::default();
    for piece in pieces(text, PIECE_BYTES) {
        tokenizer.feed(piece);
        let piece = tokenizer.take_closed();
        keys.add(&piece.tokens, &piece.sentences, piece.first);
    }
    let rest = tokenizer.finish_piece();
    keys.add(&rest.tokens, &rest.sentences, rest.first);
    keys.finish()
}

/// Bytes of text tokenized at a time by [`keys_of_text`].
pub const PIECE_BYTES: usize = 1 << 20;

/// `text` cut into pieces of about `size` bytes, at character boundaries.
pub(crate) fn pieces(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut cut = size.clamp(1, rest.len());
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}

/// The keys of a token sequence given in order, a run of whole sentences at a time: what
/// [`keys`] and [`keys_of_text`] share. Every signal runs on as the sequence grows (the MinHash
/// minima, the last few shingle and function-word hashes); only the sampling rate waits for the
/// end (a text under [`DENSE_BELOW_TOKENS`] keeps every skeleton and shingle key), so until
/// then both the sampled keys and, while the text is still that short, all of them are kept.
struct KeyBuilder {
    tokens: usize,
    exact: ExactHash,
    params: Vec<(u64, u64)>,
    mins: [u64; MINHASH_SIZE],
    /// The last [`SHINGLE`] token hashes, oldest first once full.
    last_tokens: Window<SHINGLE>,
    /// The last [`SKELETON_RUN`] function words of sentences that feed the skeleton.
    last_stops: Window<SKELETON_RUN>,
    /// Keys kept whatever the length (sentence keys) and skeleton and shingle keys at the rate of
    /// a long text.
    keys: Vec<u64>,
    /// Every skeleton and shingle key, while the text is under [`DENSE_BELOW_TOKENS`] tokens.
    dense: Option<Vec<u64>>,
}

impl Default for KeyBuilder {
    fn default() -> Self {
        KeyBuilder {
            tokens: 0,
            exact: ExactHash::default(),
            params: (0..MINHASH_SIZE as u64).map(|i| (mix(i * 2 + 1) | 1, mix(i * 2 + 2))).collect(),
            mins: [u64::MAX; MINHASH_SIZE],
            last_tokens: Window::default(),
            last_stops: Window::default(),
            keys: Vec::with_capacity(64),
            dense: Some(Vec::new()),
        }
    }
}

impl KeyBuilder {
    /// The next tokens and the sentences they make up (`sentences` index tokens of the whole
    /// sequence: `tokens[0]` is token `first`).
    fn add(&mut self, tokens: &[Token], sentences: &[Sentence], first: u32) {
        self.exact.add(tokens);
        for t in tokens {
            self.last_tokens.push(t.hash);
            let shingle = self.last_tokens.full().map(|w| w.fold(0x51u64, |h, t| mix(h.rotate_left(5) ^ t)));
            if let Some(x) = shingle {
                self.add_shingle(x);
            }
        }
        self.tokens += tokens.len();
        if self.tokens >= DENSE_BELOW_TOKENS {
            self.dense = None;
        }
        let at = |i: u32| i.saturating_sub(first) as usize;
        for s in sentences {
            let toks = tokens.get(at(s.tokens.0)..at(s.tokens.1)).unwrap_or(&[]);
            if toks.len() >= SENTENCE_KEY_TOKENS {
                self.keys.push(tagged(KeyKind::Sentence, s.hash));
            }
            // Each sentence feeds the skeleton if it has function words enough, else sampled
            // shingles of its own: a reused sentence gives the same keys in any text, whatever
            // surrounds it.
            let n_stop = toks.iter().filter(|t| t.stop()).count();
            if n_stop as f32 >= MIN_STOP_SHARE * toks.len() as f32 {
                for t in toks.iter().filter(|t| t.stop()) {
                    self.last_stops.push(t.hash);
                    let run =
                        self.last_stops.full().map(|w| w.fold(0x5Eu64, |h, x| mix(h.rotate_left(7) ^ x)));
                    if let Some(h) = run {
                        self.add_sampled(tagged(KeyKind::Skeleton, h), h);
                    }
                }
            } else {
                for w in toks.windows(SHINGLE) {
                    let h = w.iter().fold(0x51u64, |h, t| mix(h.rotate_left(5) ^ t.hash));
                    self.add_sampled(tagged(KeyKind::Shingle, h), h);
                }
            }
        }
    }

    /// One word shingle into the MinHash minima. Each of the 100 hash functions is `a * x + b`
    /// on the shingle hash (x is already well mixed, so this is a cheap permutation).
    fn add_shingle(&mut self, x: u64) {
        for (m, (a, b)) in self.mins.iter_mut().zip(&self.params) {
            let v = a.wrapping_mul(x).wrapping_add(*b);
            if v < *m {
                *m = v;
            }
        }
    }

    /// A skeleton or shingle key, made from hash `h`: kept at the long-text rate, and while the
    /// text may still be short, among all of them too.
    fn add_sampled(&mut self, key: u64, h: u64) {
        if sampled(h, SKELETON_SAMPLE) {
            self.keys.push(key);
        }
        if let Some(dense) = &mut self.dense {
            dense.push(key);
        }
    }

    fn finish(mut self) -> Vec<u64> {
        if self.tokens == 0 {
            return Vec::new();
        }
        // A text shorter than a shingle is one shingle.
        if self.tokens < SHINGLE {
            let x = self.last_tokens.iter().fold(0x51u64, |h, t| mix(h ^ t));
            self.add_shingle(x);
        }
        let mut keys = match self.dense.take() {
            // A short text keeps every key rather than a sample: a share of it is too few words
            // for a sample to catch (a long text still meets its keys, as it samples the same
            // windows).
            Some(mut dense) => {
                dense.extend(self.keys.iter().filter(|k| KeyKind::of(**k) == Some(KeyKind::Sentence)));
                dense
            }
            None => std::mem::take(&mut self.keys),
        };
        keys.push(tagged(KeyKind::Exact, self.exact.finish()));
        keys.extend(self.mins.chunks(MINHASH_ROWS).enumerate().map(|(band, rows)| {
            let h = rows.iter().fold(mix(band as u64 + 0xBA4D), |h, r| mix(h ^ r));
            tagged(KeyKind::Band, h)
        }));
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// The last `N` values pushed (fewer at first).
struct Window<const N: usize> {
    ring: [u64; N],
    pushed: usize,
}

impl<const N: usize> Default for Window<N> {
    fn default() -> Self {
        Window { ring: [0; N], pushed: 0 }
    }
}

impl<const N: usize> Window<N> {
    fn push(&mut self, x: u64) {
        self.ring[self.pushed % N] = x;
        self.pushed += 1;
    }

    /// The last `N`, oldest first, once there are `N`.
    fn full(&self) -> Option<impl Iterator<Item = u64> + '_> {
        (self.pushed >= N).then(|| self.iter())
    }

    /// The values held, oldest first.
    fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        let n = self.pushed.min(N);
        let start = self.pushed - n;
        (start..self.pushed).map(move |i| self.ring[i % N])
    }
}

/// The key of a sentence of [`SENTENCE_KEY_TOKENS`] or more tokens (every such sentence has one).
pub fn sentence_key(tokens: &Tokens, s: &Sentence) -> Option<u64> {
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
