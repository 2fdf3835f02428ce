//! Small text helpers shared by the cleaning passes: whitespace, keys for matching, entities,
//! quotes.

use presswatch_model::BlockKind;

/// Characters that render as nothing and only break matching.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Collapses every whitespace run (including no-break spaces and newlines) to one space, drops
/// invisible characters (zero-width spaces, soft hyphens, BOM) and trims.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_collapsed(&mut out, text.chars());
    out
}

/// Appends `chars` to `out` with whitespace runs collapsed to one space, invisible characters
/// dropped, and no space at either end. One pass, no allocation beyond `out`.
fn push_collapsed(out: &mut String, chars: impl Iterator<Item = char>) {
    let start = out.len();
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = out.len() > start;
        } else if !is_invisible(c) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
}

/// True when `text` is already what [`collapse_whitespace`] would make of it (extraction
/// usually delivers it so), which lets the caller keep it without copying.
pub(crate) fn is_collapsed(text: &str) -> bool {
    if text.starts_with(' ') || text.ends_with(' ') {
        return false;
    }
    let mut prev_space = false;
    for c in text.chars() {
        if c == ' ' {
            if prev_space {
                return false;
            }
            prev_space = true;
        } else if c.is_ascii() {
            if c.is_ascii_whitespace() {
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

/// The text a block of `kind` carries in the clean article (and in `removed`): whitespace
/// collapsed to one line, except preformatted blocks, which keep their lines and only lose
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
    collapse_whitespace(text)
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

/// True when the text ends like a sentence (ignoring closing quotes and brackets).
pub(crate) fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*'])
        .ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

pub(crate) fn has_alphanumeric(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Decodes HTML character references (named ones common in metadata, and numeric ones).
/// Runs twice so double-escaped values (`&amp;quot;`) come out clean; unknown references stay.
pub(crate) fn decode_entities(text: &str) -> String {
    let once = decode_entities_once(text);
    if once.contains('&') {
        decode_entities_once(&once)
    } else {
        once
    }
}

fn decode_entities_once(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(rest.get(..pos).unwrap_or(""));
        let after = rest.get(pos + 1..).unwrap_or("");
        let semi = after.char_indices().take(12).find(|&(_, c)| c == ';').map(|(i, _)| i);
        let decoded = semi.and_then(|i| Some((entity(after.get(..i)?)?, i)));
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = after.get(i + 1..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "hellip" => '…',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "deg" => '°',
        "shy" => '\u{AD}',
        "zwj" => '\u{200D}',
        "zwnj" => '\u{200C}',
        "times" => '×',
        "divide" => '÷',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "aacute" => 'á',
        "agrave" => 'à',
        "acirc" => 'â',
        "atilde" => 'ã',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "iacute" => 'í',
        "igrave" => 'ì',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ntilde" => 'ñ',
        "oacute" => 'ó',
        "ograve" => 'ò',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "oslash" => 'ø',
        "uacute" => 'ú',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "yacute" => 'ý',
        "Aacute" => 'Á',
        "Agrave" => 'À',
        "Eacute" => 'É',
        "Egrave" => 'È',
        "Ccedil" => 'Ç',
        "Ntilde" => 'Ñ',
        "Oslash" => 'Ø',
        "AElig" => 'Æ',
        _ => return None,
    })
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
    fn collapses_whitespace_and_invisibles() {
        assert_eq!(collapse_whitespace("  a\u{a0}\u{a0}b\n\tc\u{200b}d\u{ad}e "), "a b cde");
        assert_eq!(collapse_whitespace(" \u{feff} "), "");
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
            assert_eq!(is_collapsed(t), collapse_whitespace(t) == t, "{t:?}");
        }
    }

    #[test]
    fn keys_ignore_case_and_decoration() {
        assert_eq!(key("  Read more » "), "read more");
        assert_eq!(key("Editor’s Note:"), "editor's note");
        assert_eq!(key("»«"), "");
        assert_eq!(key("  ÄRGER\u{a0}\u{a0}über `Dinge`  "), "ärger über 'dinge");
        assert_eq!(key("A\u{200b}B  c"), "ab c");
    }

    #[test]
    fn entities_decode() {
        assert_eq!(decode_entities("Tom &amp; Jerry&#39;s &#x201C;show&#x201D;"), "Tom & Jerry's “show”");
        assert_eq!(decode_entities("&amp;quot;x&amp;quot;"), "\"x\"");
        assert_eq!(decode_entities("R&D & more &unknown; &#0; &"), "R&D & more &unknown; &#0; &");
        assert_eq!(decode_entities("&#xD800;"), "&#xD800;");
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

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("It was done."));
        assert!(ends_sentence("Was it done?\""));
        assert!(!ends_sentence("Related topics"));
        assert!(!ends_sentence("Similar News:"));
    }
}
