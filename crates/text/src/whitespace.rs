//! Whitespace collapsing and word counts.
//!
//! Two collapsing behaviours exist because their callers need both: extraction builds block text
//! piece by piece and keeps every visible or invisible character ([`push_collapsed`],
//! [`collapse_whitespace`]); cleaning produces the final text and also drops characters that
//! render as nothing ([`collapse_visible`]).

/// Characters that render as nothing and only break matching: zero-width space, (non-)joiner,
/// word joiner, BOM, soft hyphen.
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Appends `s` to `out` with every whitespace run turned into one space, also across the
/// boundary (no space is added at the start of an empty `out`, nor after a space `out` ends
/// with). A trailing run leaves one trailing space, so pieces can be pushed one after another.
pub fn push_collapsed(out: &mut String, s: &str) {
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

/// `s` with every whitespace run turned into one space and both ends trimmed.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// [`collapse_whitespace`] that also drops [invisible](is_invisible) characters: the form of
/// the clean article's text.
pub fn collapse_visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if !is_invisible(c) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// True when `s` is already what [`collapse_visible`] makes of it, which lets a caller keep it
/// without copying.
pub fn is_collapsed_visible(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    let mut prev_space = false;
    for c in s.chars() {
        if c == ' ' {
            if prev_space {
                return false;
            }
            prev_space = true;
        } else if c.is_ascii() {
            // `char::is_whitespace`, as `collapse_visible` uses: it counts the vertical tab,
            // which `is_ascii_whitespace` does not.
            if c.is_whitespace() {
                return false;
            }
            prev_space = false;
        } else if c.is_whitespace() || is_invisible(c) {
            return false;
        } else {
            prev_space = false;
        }
    }
    true
}

/// Words in `s`: runs between white space. (Scripts written without spaces count a run as one
/// word; callers that weigh such text use [`Script`](crate::Script).)
pub fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse() {
        assert_eq!(collapse_whitespace("  a \n\t b  "), "a b");
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

    #[test]
    fn collapses_whitespace_and_invisibles() {
        assert_eq!(collapse_visible("  a\u{a0}\u{a0}b\n\tc\u{200b}d\u{ad}e "), "a b cde");
        assert_eq!(collapse_visible(" \u{feff} "), "");
    }

    #[test]
    fn collapsed_check_agrees_with_collapsing() {
        for t in [
            "a b",
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\u{a0}b",
            "a\u{200b}b",
            "Grüße aus Köln",
            "",
            "x",
            "line\nbreak",
        ] {
            assert_eq!(is_collapsed_visible(t), collapse_visible(t) == t, "{t:?}");
        }
    }
}
