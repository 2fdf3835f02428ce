//! Small text helpers shared by the three body readers.

/// True for characters of scripts written without spaces between words (CJK, kana, Thai...).
/// Such characters carry about as much content as a short word, so they weigh more in densities.
pub(crate) fn is_dense_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F      // Thai
        | 0x1100..=0x11FF    // Hangul Jamo
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK ext A
        | 0x4E00..=0x9FFF    // CJK unified
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility
        | 0x20000..=0x2FA1F) // CJK ext B..
}

/// Sentence or clause punctuation in several scripts.
pub(crate) fn is_sentence_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '。'
            | '，'
            | '、'
            | '！'
            | '？'
            | '；'
            | '：'
            | '…'
            | '।'
            | '؟'
            | '،'
    )
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
            if matches!(b, b'.' | b',' | b';' | b':' | b'!' | b'?') {
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

/// Collapses runs of whitespace to one space and trims.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Appends `s` to `out`, collapsing whitespace across the boundary.
pub(crate) fn push_collapsed(out: &mut String, s: &str) {
    let mut space = out.ends_with(' ');
    // Runs without whitespace are copied whole rather than char by char.
    let mut run_start = 0usize;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(run) = s.get(run_start..i).filter(|r| !r.is_empty()) {
                out.push_str(run);
                space = false;
            }
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
            run_start = i + c.len_utf8();
        }
    }
    if let Some(run) = s.get(run_start..) {
        out.push_str(run);
    }
}

/// Text ends like a sentence or clause.
pub(crate) fn ends_with_punct(s: &str) -> bool {
    let t = s.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '」' | '』')
    });
    t.chars().last().is_some_and(is_sentence_punct)
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

    #[test]
    fn collapse() {
        assert_eq!(collapse_ws("  a \n\t b  "), "a b");
        let mut s = String::from("a ");
        push_collapsed(&mut s, "  b");
        assert_eq!(s, "a b");
        // The run-copying version gives what pushing char by char does.
        let by_char = |out: &mut String, s: &str| {
            let mut space = out.ends_with(' ');
            for c in s.chars() {
                if c.is_whitespace() {
                    if !space && !out.is_empty() {
                        out.push(' ');
                    }
                    space = true;
                } else {
                    out.push(c);
                    space = false;
                }
            }
        };
        for start in ["", "a", "a ", "x\n"] {
            for t in ["", " ", "  b", "b  ", "\u{A0}é  中\t\nz ", "one two\u{3000}three", "  "] {
                let (mut fast, mut slow) = (start.to_string(), start.to_string());
                push_collapsed(&mut fast, t);
                by_char(&mut slow, t);
                assert_eq!(fast, slow, "{start:?} + {t:?}");
            }
        }
    }
}
