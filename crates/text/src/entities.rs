//! Character-reference decoding (`&amp;`, `&#233;`, `&#x20AC;`, legacy `&nbsp` ...), defined
//! once: the HTML tokenizer decodes markup with [`decode_into`] (browser rules), and text found
//! outside a parse (metadata values, JSON-LD) goes through [`decode_text_entities`].
//!
//! The named-entity data is the full HTML5 table from the `entities` crate; it is indexed
//! once per process into sorted slices so each lookup is a binary search.

use std::sync::OnceLock;

/// Longest entity name in the HTML5 table ("CounterClockwiseContourIntegral;" is 32).
const MAX_NAME: usize = 32;

struct Tables {
    /// Names ending in `;` (without the leading `&`), sorted.
    with_semicolon: Vec<(&'static [u8], &'static str)>,
    /// Legacy names valid without `;`, sorted.
    legacy: Vec<(&'static [u8], &'static str)>,
    /// Length of the longest legacy name.
    legacy_max: usize,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut with_semicolon = Vec::new();
        let mut legacy = Vec::new();
        for e in entities::ENTITIES.iter() {
            let name = e.entity.strip_prefix('&').unwrap_or(e.entity).as_bytes();
            if name.ends_with(b";") {
                with_semicolon.push((name, e.characters));
            } else {
                legacy.push((name, e.characters));
            }
        }
        with_semicolon.sort_unstable_by_key(|&(n, _)| n);
        legacy.sort_unstable_by_key(|&(n, _)| n);
        let legacy_max = legacy.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        Tables { with_semicolon, legacy, legacy_max }
    })
}

fn lookup(table: &[(&'static [u8], &'static str)], name: &[u8]) -> Option<&'static str> {
    table.binary_search_by(|&(n, _)| n.cmp(name)).ok().and_then(|i| table.get(i)).map(|&(_, s)| s)
}

/// Windows-1252 meanings of the C1 range, which browsers use for `&#128;` .. `&#159;`.
const WINDOWS_1252_C1: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
    0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161,
    0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// The character a numeric reference stands for, with browsers' repairs applied.
fn numeric_char(value: u32) -> char {
    let value = match value {
        0x80..=0x9F => WINDOWS_1252_C1.get((value - 0x80) as usize).copied().unwrap_or(value),
        _ => value,
    };
    match value {
        0 => '\u{FFFD}',
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    }
}

/// Decodes one character reference starting right after the `&` at `rest`.
/// Returns the replacement and how many bytes of `rest` it consumed, or `None` when the
/// `&` is literal.
fn decode_one<'a>(rest: &[u8], in_attribute: bool, scratch: &'a mut [u8; 4]) -> Option<(&'a str, usize)> {
    match rest.first()? {
        b'#' => {
            let (hex, start) = match rest.get(1) {
                Some(b'x' | b'X') => (true, 2),
                _ => (false, 1),
            };
            let mut value: u32 = 0;
            let mut i = start;
            while let Some(&b) = rest.get(i) {
                let digit = if hex {
                    match b {
                        b'0'..=b'9' => b - b'0',
                        b'a'..=b'f' => b - b'a' + 10,
                        b'A'..=b'F' => b - b'A' + 10,
                        _ => break,
                    }
                } else {
                    match b {
                        b'0'..=b'9' => b - b'0',
                        _ => break,
                    }
                };
                // Saturate well above the Unicode range so huge values still become U+FFFD.
                value = value
                    .saturating_mul(if hex { 16 } else { 10 })
                    .saturating_add(u32::from(digit))
                    .min(0x0100_0000);
                i += 1;
            }
            if i == start {
                return None;
            }
            if rest.get(i) == Some(&b';') {
                i += 1;
            }
            let c = numeric_char(value);
            Some((c.encode_utf8(scratch), i))
        }
        b if b.is_ascii_alphanumeric() => {
            let t = tables();
            let run = rest.iter().take(MAX_NAME).take_while(|b| b.is_ascii_alphanumeric()).count();
            if rest.get(run) == Some(&b';') {
                if let Some(s) = rest.get(..=run).and_then(|n| lookup(&t.with_semicolon, n)) {
                    return Some((s, run + 1));
                }
            }
            // Longest legacy name that prefixes the run (`&notit;` -> "¬it;").
            let mut len = run.min(t.legacy_max);
            while len >= 2 {
                if let Some(s) = rest.get(..len).and_then(|n| lookup(&t.legacy, n)) {
                    let next = rest.get(len).copied();
                    if in_attribute && matches!(next, Some(b) if b == b'=' || b.is_ascii_alphanumeric()) {
                        return None;
                    }
                    return Some((s, len));
                }
                len -= 1;
            }
            None
        }
        _ => None,
    }
}

/// Appends `text` to `out` with character references decoded and NUL bytes replaced by
/// U+FFFD (or dropped, when `drop_nul`, as browsers do in element content).
pub fn decode_into(out: &mut String, text: &str, in_attribute: bool, drop_nul: bool) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut pos = 0;
    let mut scratch = [0u8; 4];
    while let Some(found) = memchr::memchr2(b'&', 0, bytes.get(pos..).unwrap_or_default()) {
        let at = pos + found;
        out.push_str(text.get(copied..at).unwrap_or_default());
        if bytes.get(at) == Some(&0) {
            if !drop_nul {
                out.push('\u{FFFD}');
            }
            pos = at + 1;
            copied = pos;
            continue;
        }
        match decode_one(bytes.get(at + 1..).unwrap_or_default(), in_attribute, &mut scratch) {
            Some((s, used)) => {
                out.push_str(s);
                pos = at + 1 + used;
                copied = pos;
            }
            None => {
                // Keep the literal `&`; it is copied with the next chunk.
                pos = at + 1;
                copied = at;
            }
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
}

/// True when `text` needs [`decode_into`] rather than a plain copy.
#[inline]
pub fn needs_decoding(text: &[u8]) -> bool {
    memchr::memchr2(b'&', 0, text).is_some()
}

/// Decodes the character references in text that did not come through an HTML parse (or came
/// through one and was escaped twice): only references closed by `;` count, so `R&D`, `&copy2024`
/// and query strings stay as they are; a numeric reference to nothing (`&#0;`, a surrogate, past
/// U+10FFFF) stays literal. Runs twice, so double-escaped values (`&amp;quot;`) come out clean.
pub fn decode_text_entities(text: &str) -> String {
    let once = decode_closed_references(text);
    if once.contains('&') {
        decode_closed_references(&once)
    } else {
        once
    }
}

/// One pass of [`decode_text_entities`].
fn decode_closed_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(rest.get(..pos).unwrap_or_default());
        let after = rest.get(pos + 1..).unwrap_or_default();
        match closed_reference(after) {
            Some((s, used)) => {
                s.push_to(&mut out);
                rest = after.get(used..).unwrap_or_default();
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

/// What a `;`-closed reference at the start of `rest` (just after its `&`) stands for, and the
/// bytes it used.
fn closed_reference(rest: &str) -> Option<(Replacement, usize)> {
    let semi = rest.bytes().take(MAX_NAME + 1).position(|b| b == b';')?;
    let name = rest.get(..semi)?;
    if let Some(num) = name.strip_prefix('#') {
        let value = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        if value == 0 || char::from_u32(value).is_none() {
            return None;
        }
        return Some((Replacement::Char(numeric_char(value)), semi + 1));
    }
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let s = rest.get(..=semi).and_then(|n| lookup(&tables().with_semicolon, n.as_bytes()))?;
    Some((Replacement::Str(s), semi + 1))
}

/// A decoded reference: one char (numeric) or a table entry (named).
enum Replacement {
    Char(char),
    Str(&'static str),
}

impl Replacement {
    fn push_to(&self, out: &mut String) {
        match self {
            Replacement::Char(c) => out.push(*c),
            Replacement::Str(s) => out.push_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> String {
        let mut out = String::new();
        decode_into(&mut out, s, false, true);
        out
    }

    fn dec_attr(s: &str) -> String {
        let mut out = String::new();
        decode_into(&mut out, s, true, false);
        out
    }

    #[test]
    fn named_references() {
        assert_eq!(dec("a &amp; b &lt;c&gt; &quot;q&quot; &apos;"), "a & b <c> \"q\" '");
        assert_eq!(dec("&eacute;t&eacute; &mdash; &hellip;"), "été — …");
        assert_eq!(dec("&CounterClockwiseContourIntegral;"), "\u{2233}");
        assert_eq!(dec("&NotEqualTilde;"), "\u{2242}\u{338}");
        assert_eq!(dec("&nosuchentity; &"), "&nosuchentity; &");
    }

    #[test]
    fn legacy_references_without_semicolon() {
        assert_eq!(dec("&amp &lt &gt &quot &nbsp."), "& < > \" \u{a0}.");
        assert_eq!(dec("&notit;"), "¬it;");
        assert_eq!(dec("&copy2024"), "©2024");
        // Attributes keep `&name=` / `&namex` literal (query strings).
        assert_eq!(dec_attr("?a=1&copy=2&lt3&amp;x"), "?a=1&copy=2&lt3&x");
        assert_eq!(dec_attr("&lt;&gt"), "<>");
    }

    #[test]
    fn numeric_references() {
        assert_eq!(dec("&#65;&#x42;&#X43;&#0068"), "ABCD");
        assert_eq!(dec("&#x20AC; &#8364;"), "€ €");
        assert_eq!(dec("&#0; &#xD800; &#x110000; &#99999999999999;"), "\u{FFFD} \u{FFFD} \u{FFFD} \u{FFFD}");
        assert_eq!(dec("&#150;&#x93;&#x94;&#x81;"), "\u{2013}\u{201C}\u{201D}\u{81}");
        assert_eq!(dec("&#; &#x; &#abc"), "&#; &#x; &#abc");
    }

    #[test]
    fn text_entities_need_a_semicolon_and_decode_twice() {
        let d = decode_text_entities;
        assert_eq!(d("Tom &amp; Jerry&#39;s &#x201C;show&#x201D;"), "Tom & Jerry's “show”");
        assert_eq!(d("&amp;quot;x&amp;quot;"), "\"x\"");
        assert_eq!(d("R&D & more &unknown; &#0; &"), "R&D & more &unknown; &#0; &");
        assert_eq!(d("&#xD800; &copy2024 &eacute;t&eacute; &hearts;"), "&#xD800; &copy2024 été ♥");
    }

    #[test]
    fn nul_handling() {
        assert_eq!(dec("a\0b"), "ab");
        assert_eq!(dec_attr("a\0b"), "a\u{FFFD}b");
    }
}
