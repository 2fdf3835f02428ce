//! Word-level differences between two aligned passages, for showing a copy beside its source.

use crate::text::{tokenize, Tokens};

/// A piece of a passage: unchanged, or a word the other passage does not have in this place
/// (substituted, misspelt, added or dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The words, with the spaces between them.
    pub text: String,
    /// Whether the other side does not have these words.
    pub changed: bool,
}

/// Splits both passages into segments, marking the words outside their longest common
/// subsequence of words. Whatever lies between words (spaces, punctuation) is unchanged.
pub fn word_diff(source: &str, copy: &str) -> (Vec<Segment>, Vec<Segment>) {
    let (a, b) = (tokenize(source), tokenize(copy));
    let keep = lcs_keep(&hashes(&a), &hashes(&b), |i, j| a.tokens[i].hash == b.tokens[j].hash);
    diff_segments(source, copy, &a, &b, keep)
}

/// Like [`word_diff`], with words compared by `same` (given their lowercased forms) instead
/// of exactly: a caller that counts misspellings as the same word (quote groups) gets the same
/// longest common subsequence as it decides by.
pub fn word_diff_by(
    source: &str,
    copy: &str,
    same: &dyn Fn(&str, &str) -> bool,
) -> (Vec<Segment>, Vec<Segment>) {
    let (a, b) = (tokenize(source), tokenize(copy));
    let keep = lcs_keep(&hashes(&a), &hashes(&b), |i, j| {
        let (x, y) = (&a.tokens[i], &b.tokens[j]);
        x.hash == y.hash || same(a.token_str_at(i), b.token_str_at(j))
    });
    diff_segments(source, copy, &a, &b, keep)
}

fn hashes(t: &Tokens) -> Vec<u64> {
    t.tokens.iter().map(|t| t.hash).collect()
}

fn diff_segments(
    source: &str,
    copy: &str,
    a: &Tokens,
    b: &Tokens,
    (ka, kb): (Vec<bool>, Vec<bool>),
) -> (Vec<Segment>, Vec<Segment>) {
    let spans = |t: &Tokens| t.tokens.iter().map(|t| (t.chars().0 as usize, t.chars().1 as usize)).collect();
    (segments(source, spans(a), &ka), segments(copy, spans(b), &kb))
}

/// For each token of `a` and of `b`, whether it is part of one longest common subsequence, the
/// tokens `i` of `a` and `j` of `b` being equal when `eq(i, j)`. Quadratic; passages are
/// sentences or runs of them, and are capped (past the cap, words are marked by presence of the
/// same hash only).
fn lcs_keep(a: &[u64], b: &[u64], eq: impl Fn(usize, usize) -> bool) -> (Vec<bool>, Vec<bool>) {
    const MAX_CELLS: usize = 4_000_000;
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 || n.saturating_mul(m) > MAX_CELLS {
        // Too long to diff cheaply: mark words by presence only.
        let sa: std::collections::HashSet<u64> = a.iter().copied().collect();
        let sb: std::collections::HashSet<u64> = b.iter().copied().collect();
        return (a.iter().map(|x| sb.contains(x)).collect(), b.iter().map(|x| sa.contains(x)).collect());
    }
    let w = m + 1;
    let mut table = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * w + j] = if eq(i, j) {
                table[(i + 1) * w + j + 1] + 1
            } else {
                table[(i + 1) * w + j].max(table[i * w + j + 1])
            };
        }
    }
    let (mut ka, mut kb) = (vec![false; n], vec![false; m]);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if eq(i, j) && table[i * w + j] == table[(i + 1) * w + j + 1] + 1 {
            ka[i] = true;
            kb[j] = true;
            i += 1;
            j += 1;
        } else if table[(i + 1) * w + j] >= table[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    (ka, kb)
}

fn segments(text: &str, spans: Vec<(usize, usize)>, keep: &[bool]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |s: &[char], changed: bool| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.changed == changed => last.text.extend(s),
            _ => out.push(Segment { text: s.iter().collect(), changed }),
        }
    };
    let mut at = 0;
    for ((start, end), kept) in spans.into_iter().zip(keep) {
        push(chars.get(at..start).unwrap_or(&[]), false);
        push(chars.get(start..end).unwrap_or(&[]), !kept);
        at = end;
    }
    push(chars.get(at..).unwrap_or(&[]), false);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_test_can_count_misspellings_as_the_same_word() {
        let same = |a: &str, b: &str| a.replace('i', "") == b.replace('i', "");
        let (s, c) = word_diff_by("Blinken warned of the habit.", "Blnken warned of the belly.", &same);
        let changed =
            |v: &[Segment]| v.iter().filter(|s| s.changed).map(|s| s.text.clone()).collect::<Vec<_>>();
        assert_eq!(changed(&s), vec!["habit"]);
        assert_eq!(changed(&c), vec!["belly"]);
    }

    #[test]
    fn marks_substitutions_and_typos() {
        let (s, c) =
            word_diff("Blinken warned of Washington's habit.", "Blnken warned of Washington's belly.");
        let changed =
            |v: &[Segment]| v.iter().filter(|s| s.changed).map(|s| s.text.clone()).collect::<Vec<_>>();
        assert_eq!(changed(&s), vec!["Blinken", "habit"]);
        assert_eq!(changed(&c), vec!["Blnken", "belly"]);
        assert_eq!(
            c.iter().map(|s| s.text.as_str()).collect::<String>(),
            "Blnken warned of Washington's belly."
        );
    }
}
