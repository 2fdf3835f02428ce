//! Text that is safe to print on a terminal.
//!
//! Scraped titles and file names can carry escape sequences (clear the screen, recolour, set the
//! window title through OSC, hide text with bidirectional overrides). Printed raw, the page
//! drives the analyst's terminal; a file name with a newline splits one message into two.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal raw: C0 controls, DEL, C1 controls, and the
/// bidirectional embedding, override and isolate characters.
fn is_unsafe(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_newlines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// `text` with every control character written as a visible escape (`ESC` becomes `\u{1b}`), so
/// printing it can neither move the cursor nor change the terminal. With `keep_newlines`, `\n`
/// and `\t` pass (multi-line article text); without, a message stays one line.
pub fn escape_controls(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c, keep_newlines) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_visible_and_lines_stay_lines() {
        let title = "\u{1b}]0;pwned\u{7}\u{1b}[2JTitle\u{202e}txt.exe";
        let safe = escape_controls(title, false);
        assert_eq!(safe, "\\u{1b}]0;pwned\\u{7}\\u{1b}[2JTitle\\u{202e}txt.exe");
        assert_eq!(escape_controls("a\nb\tc\r", false), "a\\u{a}b\\u{9}c\\u{d}");
        assert_eq!(escape_controls("a\nb\tc\r", true), "a\nb\tc\\u{d}");
        assert!(matches!(escape_controls("Київ — plain", false), Cow::Borrowed(_)));
    }
}
