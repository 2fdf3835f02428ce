//! Quotation marks: the spans of a block that stand inside a pair of them.
//!
//! Styles: `"…"`, `“…”`, `„…“` and `„…”`, `«…»` and `»…«`, `‚…‘`, `‘…’`, `「…」`, `『…』`,
//! and `''…''` (or ``` ``…'' ```) as some US papers and corpora write them. Marks inside an open
//! quote are its own (a nested `‘Stop!’`), so nesting never closes the outer quote. A quote still
//! open at the end of its block is kept, unclosed: the next block may reopen it (a quote that runs
//! over several paragraphs opens each one and closes only the last).

use std::ops::Range;

/// One quoted stretch of a block. Offsets are bytes into the document text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marked {
    /// Where the opening mark starts.
    pub(crate) open: usize,
    /// The text inside the marks, white space around it left out.
    pub(crate) content: Range<usize>,
    /// Just past the closing mark (the block's end when it is unclosed).
    pub(crate) close: usize,
    /// Whether a closing mark was found in the block.
    pub(crate) closed: bool,
}

/// What closes a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closer {
    /// Any of these characters.
    Chars(&'static [char]),
    /// `’` not followed by a letter (an apostrophe inside a word is no closer).
    SingleRight,
    /// Two ASCII apostrophes.
    TwoApostrophes,
}

/// Whether `c` may stand right before an opening mark.
fn opens_after(prev: Option<char>) -> bool {
    prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | '-' | ':' | '/' | '“' | '„'))
}

/// The closer of a quote that `c` opens at `i` of `s`, if it opens one there.
fn opener(s: &str, i: usize, c: char, prev: Option<char>) -> Option<(Closer, usize)> {
    // Asked of every character outside a quote: most are no mark, and need not read on.
    if !matches!(c, '“' | '„' | '«' | '»' | '‚' | '「' | '『' | '"' | '‘' | '\'' | '`') {
        return None;
    }
    let rest = &s[i + c.len_utf8()..];
    let next = rest.chars().next();
    let starts_word = next.is_some_and(|n| !n.is_whitespace());
    let closer = match c {
        '“' => Closer::Chars(&['”']),
        '„' => Closer::Chars(&['“', '”']),
        '«' => Closer::Chars(&['»']),
        '»' if opens_after(prev) && next.is_some_and(char::is_alphabetic) => Closer::Chars(&['«']),
        '‚' => Closer::Chars(&['‘', '’']),
        '「' => Closer::Chars(&['」']),
        '『' => Closer::Chars(&['』']),
        '"' if opens_after(prev) && starts_word => Closer::Chars(&['"']),
        '‘' if opens_after(prev) && next.is_some_and(char::is_alphanumeric) => Closer::SingleRight,
        '\'' | '`' if rest.starts_with(c) && opens_after(prev) => {
            let after = rest[1..].chars().next();
            if !after.is_some_and(char::is_alphanumeric) {
                return None;
            }
            return Some((Closer::TwoApostrophes, 2));
        }
        _ => return None,
    };
    Some((closer, c.len_utf8()))
}

/// Whether a quote with `closer` closes at byte `i` of `s` (where `c` starts); the closing
/// mark's length if so.
fn closes(s: &str, i: usize, c: char, closer: Closer) -> Option<usize> {
    match closer {
        Closer::Chars(set) => set.contains(&c).then_some(c.len_utf8()),
        Closer::SingleRight => {
            let next = s[i + c.len_utf8()..].chars().next();
            (c == '’' && !next.is_some_and(char::is_alphanumeric)).then_some(c.len_utf8())
        }
        Closer::TwoApostrophes => (c == '\'' && s[i + 1..].starts_with('\'')).then_some(2),
    }
}

/// The quoted stretches of `text[block]`, in order.
pub(crate) fn find_marked(text: &str, block: Range<usize>) -> Vec<Marked> {
    let s = &text[block.clone()];
    let base = block.start;
    let mut out = Vec::new();
    let mut open: Option<(usize, usize, Closer, char)> = None; // (mark start, content start, closer, opener)
    let mut prev: Option<char> = None;
    let mut skip_to = 0usize;
    for (i, c) in s.char_indices() {
        if i < skip_to {
            prev = Some(c);
            continue;
        }
        match open {
            None => {
                if let Some((closer, len)) = opener(s, i, c, prev) {
                    open = Some((i, i + len, closer, c));
                    skip_to = i + len;
                }
            }
            Some((at, from, closer, first)) => {
                if c == first && matches!(c, '“' | '«' | '„') && closes(s, i, c, closer).is_none() {
                    // The same opening mark again: the open quote was never closed.
                    push(&mut out, s, base, at, from..i, i, false);
                    if let Some((closer, len)) = opener(s, i, c, prev) {
                        open = Some((i, i + len, closer, c));
                        skip_to = i + len;
                    }
                } else if let Some(len) = closes(s, i, c, closer) {
                    push(&mut out, s, base, at, from..i, i + len, true);
                    open = None;
                    skip_to = i + len;
                }
            }
        }
        prev = Some(c);
    }
    if let Some((at, from, _, _)) = open {
        push(&mut out, s, base, at, from..s.len(), s.len(), false);
    }
    out
}

fn push(
    out: &mut Vec<Marked>,
    s: &str,
    base: usize,
    at: usize,
    inner: Range<usize>,
    close: usize,
    closed: bool,
) {
    let piece = &s[inner.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead == piece.len() || !piece.chars().any(char::is_alphanumeric) {
        return;
    }
    out.push(Marked {
        open: base + at,
        content: base + inner.start + lead..base + inner.end - trail,
        close: base + close,
        closed,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(text: &str) -> Vec<(&str, bool)> {
        find_marked(text, 0..text.len()).into_iter().map(|m| (&text[m.content], m.closed)).collect()
    }

    #[test]
    fn every_style_pairs() {
        assert_eq!(inner("\"A,\" she said, \"B.\""), [("A,", true), ("B.", true)]);
        assert_eq!(
            inner("“One” and „zwei“ and «trois» and »vier« and ‚fünf‘"),
            [("One", true), ("zwei", true), ("trois", true), ("vier", true), ("fünf", true)]
        );
        assert_eq!(inner("「東京」と ''Go home,'' he said"), [("東京", true), ("Go home,", true)]);
        assert_eq!(inner("‘It’s over,’ she said."), [("It’s over,", true)]);
    }

    #[test]
    fn nesting_and_unclosed() {
        assert_eq!(
            inner("“They said ‘Stop!’ to us.” Then “more"),
            [("They said ‘Stop!’ to us.", true), ("more", false)]
        );
        assert_eq!(inner("a 12\" pipe, Russia's"), []);
        assert_eq!(inner("“One. Two “three” four"), [("One. Two", false), ("three", true)]);
    }
}
