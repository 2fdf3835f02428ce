//! Sentence alignment of two texts, and what the alignment says about how one reuses the other.
//!
//! Every sentence of the copy is matched to the source sentence it shares most words with.
//! Words match exactly, or as typos (edit distance 1; 2 for words of 8+ letters). A pair counts
//! when its bag-of-words Dice similarity is high, or when it is moderate and the two sentences
//! have the same order of function words (the structure a synonym spinner leaves intact): two
//! independent sentences on the same topic share names and topic words, rarely both.

use crate::text::{edit_distance_within, HashMap, Sentence, Token, Tokens};
use presswatch_model::{AlignedPassage, ReuseKind, Span};

/// Bag-of-words Dice at or above which a sentence pair is a match on its own.
const STRONG_SIMILARITY: f32 = 0.72;
/// Bag-of-words Dice at or above which a pair matches if its function words also agree.
const WEAK_SIMILARITY: f32 = 0.42;
/// Agreement of the function-word sequences (LCS Dice) needed for a weak pair.
const SKELETON_AGREEMENT: f32 = 0.7;
/// Sentences shorter than this (tokens) are not aligned on their own: "Read more", datelines.
const MIN_SENTENCE_TOKENS: usize = 5;
/// Fewest aligned tokens for a link: a shared sentence or two of boilerplate is not reuse.
const MIN_ALIGNED_TOKENS: usize = 25;
/// Smallest share of the shorter side's text that must be aligned for a link.
const MIN_SHARE: f32 = 0.12;
/// Identity of aligned sentences (content words kept verbatim and in order) below which a copy
/// is spun.
const SPUN_IDENTITY: f32 = 0.985;
/// Changed content words, over all aligned sentences, from which a copy is spun at any rate.
const SPUN_MIN_CHANGED: u32 = 4;
/// Misspelt words, over all aligned sentences, from which a copy is spun at any rate.
const SPUN_MIN_TYPOS: u32 = 2;
/// Share of the aligned text in source order below which a copy is reordered: a near copy keeps
/// the order of what it keeps, so any sentence moved (beyond 1% of the text) is a reordering.
const REORDERED_ORDER: f32 = 0.99;
/// Coverage of both texts at or above which a verbatim copy is near, not partial.
const NEAR_COVERAGE: f32 = 0.8;

impl Alignment {
    /// Whether the two texts are copies of one article (so they share a duplicate cluster).
    pub fn is_whole_copy(&self) -> bool {
        whole_copy(self.kind, self.source_share, self.copy_share)
    }
}

/// Share of each text a whole-copy kind must align to make the two copies of one article.
pub const CLUSTER_MIN_SHARE: f32 = 0.75;

/// A whole-copy kind (all but `partial`) with at least [`CLUSTER_MIN_SHARE`] of each text aligned.
pub fn whole_copy(kind: ReuseKind, share_a: f32, share_b: f32) -> bool {
    kind.is_whole_copy() && share_a.min(share_b) >= CLUSTER_MIN_SHARE
}

/// One aligned sentence pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SentencePair {
    /// Index of the sentence in the source's tokens.
    pub source: usize,
    /// Index of the sentence in the copy's tokens.
    pub copy: usize,
    /// Bag-of-words Dice (typos count as matches).
    pub similarity: f32,
    /// Share of the shorter side's content words kept verbatim and in order.
    pub identity: f32,
    /// Content words of the shorter side not kept verbatim (substituted, misspelt, moved).
    pub changed: u32,
    /// Words matched only as misspellings of each other.
    pub typos: u32,
}

/// How a copy reuses a source, with the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// How the copy reuses the source.
    pub kind: ReuseKind,
    /// Share of the source's sentence characters that the copy reuses.
    pub source_share: f32,
    /// Share of the copy's sentence characters that come from the source.
    pub copy_share: f32,
    /// The aligned sentence pairs, in copy order.
    pub pairs: Vec<SentencePair>,
    /// Aligned runs of sentences, merged where consecutive on both sides.
    pub passages: Vec<AlignedPassage>,
}

/// Aligns `copy` against `source`; `None` when too little of them is shared to call it reuse.
pub fn align(source: &Tokens, copy: &Tokens) -> Option<Alignment> {
    if source.tokens.is_empty() || copy.tokens.is_empty() {
        return None;
    }
    if same_tokens(source, copy) {
        return Some(exact(source, copy));
    }
    let pairs = pair_sentences(source, copy);
    let aligned_tokens: usize = pairs.iter().map(|p| copy.sentences[p.copy].len()).sum();
    let source_share = share(source, pairs.iter().map(|p| p.source));
    let copy_share = share(copy, pairs.iter().map(|p| p.copy));
    if !enough(aligned_tokens, copy_share, source_share, copy) {
        return None;
    }
    let weight = |p: &SentencePair| copy.sentences[p.copy].len() as f32;
    let total: f32 = pairs.iter().map(weight).sum();
    let identity = pairs.iter().map(|p| p.identity * weight(p)).sum::<f32>() / total.max(1.0);
    let changed: u32 = pairs.iter().map(|p| p.changed).sum();
    let typos: u32 = pairs.iter().map(|p| p.typos).sum();
    // Spinning shows as a rate of changed words, or, in a long text, as a handful of changed
    // words or misspellings where a near copy has (nearly) none.
    let spun = identity < SPUN_IDENTITY || changed >= SPUN_MIN_CHANGED || typos >= SPUN_MIN_TYPOS;
    let kind = if spun {
        ReuseKind::Spun
    } else if source_share.min(copy_share) >= NEAR_COVERAGE
        && pairs.len() >= 3
        && in_order_share(&pairs, copy) < REORDERED_ORDER
    {
        ReuseKind::Reordered
    } else if source_share >= NEAR_COVERAGE && copy_share >= NEAR_COVERAGE {
        ReuseKind::Near
    } else {
        ReuseKind::Partial
    };
    let passages = passages(source, copy, &pairs);
    Some(Alignment { kind, source_share, copy_share, pairs, passages })
}

/// Whether an alignment of `aligned_tokens` copy tokens covering these shares is reuse rather
/// than a coincidence: enough words, and a large enough share of at least one side.
pub(crate) fn enough(aligned_tokens: usize, copy_share: f32, source_share: f32, copy: &Tokens) -> bool {
    aligned_tokens >= MIN_ALIGNED_TOKENS.min(copy.tokens.len() * 3 / 4).max(8)
        && (source_share.min(copy_share) >= MIN_SHARE || source_share.max(copy_share) >= 2.0 * MIN_SHARE)
}

fn same_tokens(a: &Tokens, b: &Tokens) -> bool {
    a.tokens.len() == b.tokens.len() && a.tokens.iter().zip(&b.tokens).all(|(x, y)| x.hash == y.hash)
}

fn exact(source: &Tokens, copy: &Tokens) -> Alignment {
    let span = |t: &Tokens| {
        let first = t.tokens.first().map_or(0, |t| t.chars().0 as usize);
        let last = t.tokens.last().map_or(0, |t| t.chars().1 as usize);
        [first, last]
    };
    Alignment {
        kind: ReuseKind::Exact,
        source_share: 1.0,
        copy_share: 1.0,
        pairs: Vec::new(),
        passages: vec![AlignedPassage {
            source: span(source).into(),
            copy: span(copy).into(),
            similarity: 1.0,
        }],
    }
}

/// Share of a text's sentence characters covered by the given (distinct) sentences. Only
/// sentences long enough to be aligned count (a one-word heading can never be), unless none is.
pub(crate) fn share(t: &Tokens, sentences: impl Iterator<Item = usize>) -> f32 {
    let alignable: usize =
        t.sentences.iter().filter(|s| s.len() >= MIN_SENTENCE_TOKENS).map(Sentence::char_len).sum();
    let total = if alignable > 0 { alignable } else { t.sentences.iter().map(Sentence::char_len).sum() };
    let mut seen = vec![false; t.sentences.len()];
    let mut covered = 0usize;
    for i in sentences {
        if let Some(flag) = seen.get_mut(i) {
            if !*flag {
                *flag = true;
                covered += t.sentences[i].char_len();
            }
        }
    }
    if total == 0 {
        0.0
    } else {
        covered as f32 / total as f32
    }
}

/// Matches each copy sentence to its best source sentence, one source sentence per copy sentence.
fn pair_sentences(source: &Tokens, copy: &Tokens) -> Vec<SentencePair> {
    let mut counts = vec![0u16; source.sentences.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut candidates: Vec<SentencePair> = Vec::new();
    // Sentences copied verbatim (the bulk of most copies) pair at once, by hash.
    let mut by_word: Option<Vec<(u64, u32)>> = None;
    let mut by_hash: HashMap<u64, u32> = HashMap::default();
    for (i, s) in source.sentences.iter().enumerate() {
        if s.len() >= MIN_SENTENCE_TOKENS {
            by_hash.entry(s.hash).or_insert(i as u32);
        }
    }
    for (ci, cs) in copy.sentences.iter().enumerate() {
        if cs.len() < MIN_SENTENCE_TOKENS {
            continue;
        }
        if let Some(&si) = by_hash.get(&cs.hash) {
            let p = SentencePair {
                source: si as usize,
                copy: ci,
                similarity: 1.0,
                identity: 1.0,
                changed: 0,
                typos: 0,
            };
            candidates.push(p);
            continue;
        }
        let ctoks = copy.sentence_tokens(cs);
        // Content words of the source -> the sentences holding them; built only when a copy
        // sentence is not verbatim (a plain copy never needs it).
        let by_word = by_word.get_or_insert_with(|| source_sentences_by_word(source));
        let content = ctoks.iter().filter(|t| !t.stop()).count();
        for t in ctoks.iter().filter(|t| !t.stop()) {
            for si in sentences_with(by_word, t.hash) {
                let si = si as usize;
                if counts[si] == 0 {
                    touched.push(si);
                }
                counts[si] = counts[si].saturating_add(1);
            }
        }
        // Look at the few sentences sharing the most content words.
        touched.sort_unstable_by_key(|&si| std::cmp::Reverse(counts[si]));
        let floor = (content as f32 * 0.25).ceil().max(2.0) as u16;
        let mut best: Option<SentencePair> = None;
        for &si in touched.iter().take(4) {
            if counts[si] < floor {
                break;
            }
            let stoks = source.sentence_tokens(&source.sentences[si]);
            if let Some(p) = score_pair(source, stoks, copy, ctoks, si, ci) {
                if best.is_none_or(|b| p.similarity > b.similarity) {
                    best = Some(p);
                }
            }
        }
        for &si in &touched {
            counts[si] = 0;
        }
        touched.clear();
        candidates.extend(best);
    }
    // One copy sentence per source sentence: keep the best-matching one.
    candidates.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    let mut used = vec![false; source.sentences.len()];
    let mut pairs: Vec<SentencePair> =
        candidates.into_iter().filter(|p| !std::mem::replace(&mut used[p.source], true)).collect();
    pairs.sort_by_key(|p| p.copy);
    pairs
}

/// (content word, sentence) for the source's alignable sentences, sorted: one allocation where a
/// map of lists would make one per word.
fn source_sentences_by_word(source: &Tokens) -> Vec<(u64, u32)> {
    let mut by_word: Vec<(u64, u32)> = Vec::with_capacity(source.tokens.len());
    for (i, s) in source.sentences.iter().enumerate() {
        if s.len() >= MIN_SENTENCE_TOKENS {
            by_word
                .extend(source.sentence_tokens(s).iter().filter(|t| !t.stop()).map(|t| (t.hash, i as u32)));
        }
    }
    by_word.sort_unstable();
    by_word.dedup();
    by_word
}

/// The sentences holding a word, from [`source_sentences_by_word`].
fn sentences_with(by_word: &[(u64, u32)], word: u64) -> impl Iterator<Item = u32> + '_ {
    let from = by_word.partition_point(|&(w, _)| w < word);
    by_word[from..].iter().take_while(move |&&(w, _)| w == word).map(|&(_, s)| s)
}

/// Similarity of two sentences, or `None` if they do not match.
fn score_pair(
    source: &Tokens,
    stoks: &[Token],
    copy: &Tokens,
    ctoks: &[Token],
    si: usize,
    ci: usize,
) -> Option<SentencePair> {
    let first = |t: &Tokens, i: usize| t.sentences[i].tokens.0 as usize;
    let (matched, typos) = fuzzy_bag_matches(source, first(source, si), stoks, copy, first(copy, ci), ctoks);
    let similarity = 2.0 * matched as f32 / (stoks.len() + ctoks.len()) as f32;
    if similarity < WEAK_SIMILARITY {
        return None;
    }
    if similarity < STRONG_SIMILARITY {
        let s: Vec<u64> = stoks.iter().filter(|t| t.stop()).map(|t| t.hash).collect();
        let c: Vec<u64> = ctoks.iter().filter(|t| t.stop()).map(|t| t.hash).collect();
        if s.len() + c.len() < 4 || lcs_dice(&s, &c) < SKELETON_AGREEMENT {
            return None;
        }
    }
    let (identity, changed) = identity(source, si, copy, ci);
    Some(SentencePair { source: si, copy: ci, similarity, identity, changed, typos })
}

/// How much of a sentence pair is verbatim: the share of the shorter sentence's content words
/// kept (1.0 when one contains the other), and how many were changed. Function words are left
/// out (spinners leave them alone) unless a sentence has few content words.
///
/// Words kept in another order (clauses swapped) count as changed. Words missing from the
/// partner sentence but present in its neighbours do not: two splitters cut "the U.S. isn't"
/// differently, which is no rewrite.
fn identity(source: &Tokens, si: usize, copy: &Tokens, ci: usize) -> (f32, u32) {
    let words = |t: &Tokens, i: usize| -> Vec<u64> {
        let toks = t.sentence_tokens(&t.sentences[i]);
        let content: Vec<u64> = toks.iter().filter(|t| !t.stop()).map(|t| t.hash).collect();
        if content.len() >= 3 {
            content
        } else {
            toks.iter().map(|t| t.hash).collect()
        }
    };
    let (x, y) = (words(source, si), words(copy, ci));
    let shorter = x.len().min(y.len());
    if shorter == 0 {
        return (0.0, 0);
    }
    let kept = lcs_len(&x, &y);
    let (small, large) = if x.len() <= y.len() { (&x, &y) } else { (&y, &x) };
    let all_present = small.iter().all(|w| large.contains(w));
    let changed = if kept == shorter || all_present {
        shorter - kept
    } else {
        // Words of each side found nowhere near the partner: substitutions and misspellings.
        let window = |t: &Tokens, i: usize| -> Vec<u64> {
            let from = i.saturating_sub(1);
            let to = (i + 2).min(t.sentences.len());
            (from..to).flat_map(|j| t.sentence_tokens(&t.sentences[j]).iter().map(|t| t.hash)).collect()
        };
        let (wx, wy) = (window(copy, ci), window(source, si));
        let missing_x = x.iter().filter(|w| !wx.contains(w)).count();
        let missing_y = y.iter().filter(|w| !wy.contains(w)).count();
        missing_x.min(missing_y)
    };
    (1.0 - changed as f32 / shorter as f32, changed as u32)
}

/// How many tokens of `a` find a partner in `b` (equal tokens first, then misspellings among the
/// rest), and how many of those are misspellings.
/// `a` is `at`'s tokens from index `a_first` on, `b` is `bt`'s from `b_first` on.
fn fuzzy_bag_matches(
    at: &Tokens,
    a_first: usize,
    a: &[Token],
    bt: &Tokens,
    b_first: usize,
    b: &[Token],
) -> (usize, u32) {
    let mut b_used = vec![false; b.len()];
    let mut a_left: Vec<usize> = Vec::new();
    let mut matched = 0;
    let mut typos = 0;
    for (i, x) in a.iter().enumerate() {
        match b.iter().enumerate().position(|(j, y)| !b_used[j] && y.hash == x.hash) {
            Some(j) => {
                b_used[j] = true;
                matched += 1;
            }
            None => a_left.push(a_first + i),
        }
    }
    for x in a_left {
        let xs = at.token_str_at(x);
        let n = xs.chars().count();
        if n < 4 {
            continue;
        }
        let limit = if n >= 8 { 2 } else { 1 };
        let (first, last) = (xs.chars().next(), xs.chars().next_back());
        let hit = b.iter().enumerate().position(|(j, y)| {
            !b_used[j] && !y.stop() && {
                let ys = bt.token_str_at(b_first + j);
                // One edit leaves the first or the last letter in place: a cheap filter first.
                ys.len().abs_diff(xs.len()) <= limit * 2
                    && (ys.chars().next() == first || ys.chars().next_back() == last)
                    && edit_distance_within(xs, ys, limit) <= limit
            }
        });
        if let Some(j) = hit {
            b_used[j] = true;
            matched += 1;
            typos += 1;
        }
    }
    (matched, typos)
}

/// Dice coefficient of the longest common subsequence: 1.0 for equal sequences.
pub fn lcs_dice(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * lcs_len(a, b) as f32 / (a.len() + b.len()) as f32
}

/// Length of the longest common subsequence.
fn lcs_len(a: &[u64], b: &[u64]) -> usize {
    let mut prev = vec![0u32; b.len() + 1];
    let mut cur = vec![0u32; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as usize
}

/// Share of the aligned copy text (in characters) that keeps the source's order: the heaviest
/// run of pairs with increasing source positions (in copy order) over all pairs. Weighing by
/// length makes a moved paragraph count for its size, whatever its number of sentences.
fn in_order_share(pairs: &[SentencePair], copy: &Tokens) -> f32 {
    let weight = |p: &SentencePair| copy.sentences[p.copy].char_len() as u64;
    let total: u64 = pairs.iter().map(weight).sum();
    // best[i]: heaviest increasing run ending at pair i. Quadratic in pairs (hundreds at most).
    let mut best: Vec<u64> = Vec::with_capacity(pairs.len());
    for (i, p) in pairs.iter().enumerate() {
        let before = (0..i).filter(|&j| pairs[j].source < p.source).map(|j| best[j]).max().unwrap_or(0);
        best.push(before + weight(p));
    }
    best.iter().copied().max().unwrap_or(0) as f32 / total.max(1) as f32
}

/// Merges pairs that are consecutive in both texts into passages.
fn passages(source: &Tokens, copy: &Tokens, pairs: &[SentencePair]) -> Vec<AlignedPassage> {
    let mut out: Vec<(AlignedPassage, usize, usize, f32, f32)> = Vec::new();
    for p in pairs {
        let (s, c) = (source.sentences[p.source], copy.sentences[p.copy]);
        let w = c.len() as f32;
        if let Some((last, ls, lc, sum, weight)) = out.last_mut() {
            if p.source == *ls + 1 && p.copy == *lc + 1 {
                last.source.end = s.chars.1 as usize;
                last.copy.end = c.chars.1 as usize;
                *ls = p.source;
                *lc = p.copy;
                *sum += p.similarity * w;
                *weight += w;
                last.similarity = *sum / *weight;
                continue;
            }
        }
        out.push((
            AlignedPassage {
                source: Span::new(s.chars.0 as usize, s.chars.1 as usize),
                copy: Span::new(c.chars.0 as usize, c.chars.1 as usize),
                similarity: p.similarity,
            },
            p.source,
            p.copy,
            p.similarity * w,
            w,
        ));
    }
    out.into_iter().map(|(p, ..)| p).collect()
}
