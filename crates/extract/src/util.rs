//! Small text helpers shared by the three body readers (the basics are in `presswatch-text`).

use presswatch_text::{is_clause_end, is_sentence_end, Script};

/// Sentence or clause punctuation in several scripts: what makes text read as prose.
fn is_sentence_punct(c: char) -> bool {
    is_sentence_end(c) || is_clause_end(c)
}

/// Scripts written without spaces or in syllable blocks: one such character carries about as
/// much content as a short word, so it weighs double in densities.
fn is_dense_script(c: char) -> bool {
    Script::of(c).is_dense()
}

/// Content weight of a text: non-space characters, dense-script characters counting double.
/// Returns (weight, punctuation count).
pub(crate) fn text_weight(s: &str) -> (u32, u32) {
    let mut w = 0u32;
    let mut p = 0u32;
    let mut rest = s;
    loop {
        // Runs of ASCII (most of the text on most pages) are weighed byte by byte.
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let Some((head, tail)) = rest.split_at_checked(ascii) else { break };
        for b in head.bytes() {
            // The ASCII chars `char::is_whitespace` accepts (including vertical tab).
            if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
                continue;
            }
            w = w.saturating_add(1);
            if is_sentence_punct(char::from(b)) {
                p = p.saturating_add(1);
            }
        }
        let mut chars = tail.chars();
        let Some(c) = chars.next() else { break };
        rest = chars.as_str();
        if c.is_whitespace() {
            continue;
        }
        if is_dense_script(c) {
            w = w.saturating_add(2);
        } else {
            w = w.saturating_add(1);
        }
        if is_sentence_punct(c) {
            p = p.saturating_add(1);
        }
    }
    (w, p)
}

/// [`text_weight`] one char at a time: the definition the fast version is tested against.
#[cfg(test)]
fn text_weight_by_char(s: &str) -> (u32, u32) {
    let mut w = 0u32;
    let mut p = 0u32;
    for c in s.chars() {
        if c.is_whitespace() {
            continue;
        }
        w = w.saturating_add(if is_dense_script(c) { 2 } else { 1 });
        if is_sentence_punct(c) {
            p = p.saturating_add(1);
        }
    }
    (w, p)
}

/// True when `hay`, ASCII-lowercased, contains `needle` (lowercase ASCII): what
/// `hay.to_ascii_lowercase().contains(needle)` says, without the copy. Meant for short
/// haystacks such as class names.
pub(crate) fn contains_ascii_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else { return true };
    if hay.len() < needle.len() {
        return false;
    }
    let last_start = hay.len() - needle.len();
    hay.iter().take(last_start + 1).enumerate().any(|(i, &b)| {
        b.to_ascii_lowercase() == first
            && hay.get(i + 1..i + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(rest))
    })
}

/// Normalizes a string for loose equality (case, spacing and punctuation ignored).
pub(crate) fn loose_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Splits an image caption into (caption, credit) when it ends with a credit such as
/// ` /Getty`, `Photo: X / Y`, `Credit: X`, `© X`.
pub(crate) fn split_credit(caption: &str) -> (String, Option<String>) {
    let c = caption.trim();
    let lower = c.to_lowercase();
    // Markers that introduce a credit; the last one wins.
    const MARKERS: [&str; 10] = [
        "photo:",
        "photos:",
        "photograph:",
        "credit:",
        "credits:",
        "foto:",
        "image:",
        "bild:",
        "picture:",
        "fot.",
    ];
    let mut best: Option<(usize, usize)> = None;
    for m in MARKERS {
        if let Some(pos) = lower.rfind(m) {
            if best.is_none_or(|(b, _)| pos > b) {
                best = Some((pos, m.len()));
            }
        }
    }
    for m in ["©", "(c)"] {
        if let Some(pos) = lower.rfind(m) {
            if best.is_none_or(|(b, _)| pos > b) {
                best = Some((pos, m.len()));
            }
        }
    }
    if let Some((pos, len)) = best {
        // `lower` and `c` may differ in byte offsets for non-ASCII; map via char counts.
        let chars_before = lower.get(..pos).map(|s| s.chars().count());
        let chars_marker = lower.get(pos..pos + len).map(|s| s.chars().count());
        if let (Some(cb), Some(cm)) = (chars_before, chars_marker) {
            let byte_at = |n: usize| c.char_indices().nth(n).map(|(i, _)| i).unwrap_or(c.len());
            let start = byte_at(cb);
            let after = byte_at(cb + cm);
            let credit = c.get(after..).unwrap_or("").trim();
            let credit = credit.trim_matches(|ch: char| ch == ')' || ch == '(' || ch.is_whitespace());
            if !credit.is_empty() && credit.chars().count() <= 100 {
                let mut cap = c.get(..start).unwrap_or("").trim_end().to_string();
                if cap.ends_with('(') || cap.ends_with('|') || cap.ends_with('/') || cap.ends_with('-') {
                    cap.pop();
                    cap = cap.trim_end().to_string();
                }
                return (cap, Some(credit.to_string()));
            }
        }
    }
    // Trailing " /Agency" or " / Agency".
    if let Some(pos) = c.rfind(" /") {
        let credit = c.get(pos + 2..).unwrap_or("").trim();
        if !credit.is_empty()
            && credit.chars().count() <= 40
            && !credit.contains('.')
            && credit.chars().next().is_some_and(|ch| ch.is_uppercase())
        {
            return (c.get(..pos).unwrap_or("").trim_end().to_string(), Some(credit.to_string()));
        }
    }
    (c.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_after_slash() {
        let (cap, cr) = split_credit("Putin at the Kremlin in Moscow. /Getty");
        assert_eq!(cap, "Putin at the Kremlin in Moscow.");
        assert_eq!(cr.as_deref(), Some("Getty"));
    }

    #[test]
    fn credit_after_marker() {
        let (cap, cr) = split_credit("Troops at the border (Photo: Jane Doe / Reuters)");
        assert_eq!(cap, "Troops at the border");
        assert_eq!(cr.as_deref(), Some("Jane Doe / Reuters"));
        let (cap, cr) = split_credit("A plain caption without any credit.");
        assert_eq!(cap, "A plain caption without any credit.");
        assert!(cr.is_none());
    }

    #[test]
    fn weights_count_cjk_characters() {
        for t in ["", " a\u{0B}b\t. ,", "中国 text, 你好，世界。", "é…\u{A0}x؟ ; !", "\u{3000}漢字 ab?"]
        {
            assert_eq!(text_weight(t), text_weight_by_char(t), "{t:?}");
        }
        assert_eq!(text_weight("ab c").0, 3);
        assert_eq!(text_weight("中国").0, 4);
        assert_eq!(text_weight("你好，世界。").1, 2);
    }

    #[test]
    fn case_insensitive_contains_agrees_with_lowercasing() {
        for hay in ["", "a", "Post-Date", "UPDATED", "x-datetime", "déjà-Date", "da", "pubTIME"] {
            for needle in ["", "date", "update", "time", "d", "é"] {
                if !needle.is_ascii() {
                    continue;
                }
                let want = hay.to_ascii_lowercase().contains(needle);
                assert_eq!(contains_ascii_ci(hay.as_bytes(), needle.as_bytes()), want, "{hay} {needle}");
            }
        }
    }
}
