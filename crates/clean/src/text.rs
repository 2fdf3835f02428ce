//! Small text helpers shared by the cleaning passes: keys for matching, quotes (the basics,
//! whitespace, entities, sentence ends, are in `presswatch-text`).

use presswatch_model::BlockKind;
use presswatch_text::{collapse_visible, is_invisible};

/// The text a block of `kind` carries in the clean article (and in `removed`): whitespace
/// collapsed to one line ([`collapse_visible`]), except preformatted blocks, which keep their lines and only lose
/// surrounding blank lines, carriage returns and invisible characters.
pub fn normalize_block_text(kind: BlockKind, text: &str) -> String {
    if kind == BlockKind::Preformatted {
        let kept: String = text.chars().filter(|c| !is_invisible(*c) && *c != '\r').collect();
        let trimmed = kept.trim_matches('\n').trim_end();
        if trimmed.trim().is_empty() {
            return String::new();
        }
        return trimmed.to_string();
    }
    collapse_visible(text)
}

/// Lowercase text with typographic apostrophes folded to `'` and whitespace turned into spaces,
/// for phrase matching.
pub(crate) fn match_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '’' | '‘' | '`' | '´' | 'ʼ' => out.push('\''),
            c if c.is_whitespace() => out.push(' '),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// [`match_text`] with non-alphanumeric characters trimmed from both ends and whitespace
/// collapsed: `"  Read more » "` and `"read more"` have the same key.
pub(crate) fn key(text: &str) -> String {
    let trimmed = text.trim_matches(|c: char| !c.is_alphanumeric());
    let mut out = String::with_capacity(trimmed.len());
    let mut pending_space = false;
    for c in trimmed.chars() {
        if c.is_ascii() {
            // Fast path: most text is ASCII, which needs no tables.
            if c.is_ascii_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(if c == '`' { '\'' } else { c.to_ascii_lowercase() });
        } else if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if !is_invisible(c) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            match c {
                '’' | '‘' | '´' | 'ʼ' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// Lowercase letters and digits only: for comparing titles and outlet names.
pub(crate) fn compact(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// True when `text` has a letter or digit.
pub(crate) fn has_alphanumeric(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

const QUOTES: &[char] = &[
    '"', '\'', '“', '”', '„', '‟', '‘', '’', '‚', '‛', '«', '»', '‹', '›', '「', '」', '『', '』', '`', '´',
];

fn is_quote(c: char) -> bool {
    QUOTES.contains(&c)
}

/// Whether `open` … `close` is a pair of quotes that can enclose a whole title.
fn quote_pair(open: char, close: char) -> bool {
    matches!(
        (open, close),
        ('"', '"')
            | ('\'', '\'')
            | ('“', '”')
            | ('“', '“')
            | ('„', '“')
            | ('„', '”')
            | ('‘', '’')
            | ('‚', '‘')
            | ('«', '»')
            | ('»', '«')
            | ('‹', '›')
            | ('「', '」')
            | ('『', '』')
    )
}

/// Removes quoting that wraps a whole title: runs of quote characters left by repeated escaping
/// (`"""'Title'"""`) and one balanced outer pair (`“Title”`), but not quotes that belong to the
/// text (`"Killer" remark angers Moscow`, `"A" vs "B"`).
pub(crate) fn strip_outer_quotes(text: &str) -> String {
    let mut t = text.trim().to_string();
    // Each round removes at least one character, so this ends; the bound is belt and braces.
    for _ in 0..16 {
        let chars: Vec<char> = t.chars().collect();
        let lead = chars.iter().take_while(|c| is_quote(**c) || c.is_whitespace()).count();
        let trail = chars.iter().rev().take_while(|c| is_quote(**c) || c.is_whitespace()).count();
        if lead >= chars.len() {
            return String::new();
        }
        let lead_q = chars.iter().take(lead).filter(|c| is_quote(**c)).count();
        let trail_q = chars.iter().rev().take(trail).filter(|c| is_quote(**c)).count();
        // Mangled: runs of quotes at both ends, or a long run at one end.
        if (lead_q >= 2 && trail_q >= 2) || lead_q >= 3 || trail_q >= 3 {
            let start = if lead_q >= 2 { lead } else { 0 };
            let end = if trail_q >= 2 { chars.len() - trail } else { chars.len() };
            t = chars.get(start..end).map(|s| s.iter().collect()).unwrap_or_default();
            t = t.trim().to_string();
            continue;
        }
        let (Some(&first), Some(&last)) = (chars.first(), chars.last()) else { break };
        if chars.len() >= 3 && quote_pair(first, last) {
            let inner: Vec<char> = chars.get(1..chars.len() - 1).unwrap_or_default().to_vec();
            if !contains_unbalanced(&inner, first, last) {
                t = inner.iter().collect::<String>().trim().to_string();
                continue;
            }
        }
        break;
    }
    t
}

/// True when `inner` uses the same quote characters itself (so the outer pair is not a wrapper);
/// apostrophes between letters (`Russia's`) do not count.
fn contains_unbalanced(inner: &[char], open: char, close: char) -> bool {
    inner.iter().enumerate().any(|(i, &c)| {
        if c != open && c != close {
            return false;
        }
        if c == '\'' || c == '’' {
            let before = i.checked_sub(1).and_then(|j| inner.get(j)).is_some_and(|p| p.is_alphanumeric());
            let after = inner.get(i + 1).is_some_and(|n| n.is_alphanumeric());
            if before && after {
                return false;
            }
            // A possessive plural (`allies' talks`) is an apostrophe too.
            if before && inner.get(i + 1).is_some_and(|n| n.is_whitespace()) && c == '\'' {
                return false;
            }
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_decoration() {
        assert_eq!(key("  Read more » "), "read more");
        assert_eq!(key("Editor’s Note:"), "editor's note");
        assert_eq!(key("»«"), "");
        assert_eq!(key("  ÄRGER\u{a0}\u{a0}über `Dinge`  "), "ärger über 'dinge");
        assert_eq!(key("A\u{200b}B  c"), "ab c");
    }

    #[test]
    fn outer_quotes_are_stripped_only_when_they_wrap() {
        let mangled = r#""""""""""""'Isolating Russia undermines European stability'""""""""""""#;
        assert_eq!(strip_outer_quotes(mangled), "Isolating Russia undermines European stability");
        assert_eq!(strip_outer_quotes("“Title here”"), "Title here");
        assert_eq!(strip_outer_quotes("'Russia's war'"), "Russia's war");
        assert_eq!(strip_outer_quotes("\"Killer\" remark angers Moscow"), "\"Killer\" remark angers Moscow");
        assert_eq!(strip_outer_quotes("\"A\" vs \"B\""), "\"A\" vs \"B\"");
        assert_eq!(strip_outer_quotes("\"\"\""), "");
        assert_eq!(strip_outer_quotes("«Le retour»"), "Le retour");
        assert_eq!(strip_outer_quotes("'"), "");
    }
}
