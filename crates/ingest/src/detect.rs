//! Content sniffing: which container format an input is, whether it is text at all, whether a
//! body is HTML.

use crate::RejectReason;

/// How many bytes are examined for the binary check.
const BINARY_SAMPLE: usize = 64 * 1024;

/// What the first bytes of an input say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detected {
    Warc,
    /// A top-level JSON array of objects.
    JsonArray,
    /// One JSON object, or several separated by whitespace (pretty-printed).
    JsonStream,
    /// One JSON object per line.
    JsonLines,
    Markdown,
    Html,
    Text,
}

/// Rejects bytes that are not text: mostly NULs, or more than 3% other control bytes.
/// A few NULs (padding, broken writers) are tolerated; they are stripped when decoding.
pub(crate) fn check_not_binary(bytes: &[u8]) -> Result<(), RejectReason> {
    let sample = bytes.get(..BINARY_SAMPLE).unwrap_or(bytes);
    if sample.is_empty() || crate::charset::bom(sample).is_some() {
        return Ok(());
    }
    if crate::charset::sniff_utf16(sample).is_some() {
        return Ok(());
    }
    let nul = sample.iter().filter(|&&b| b == 0).count();
    let ctrl = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, 0 | b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f)
        .count();
    let rest = sample.len() - nul;
    if nul * 4 > sample.len() && rest > 0 {
        // Not UTF-16 (checked above), yet NULs all over: never decoded into silent garbage.
        let percent = (nul * 100 / sample.len()).max(1) as u32;
        return Err(RejectReason::NulBytes { percent });
    }
    if nul * 2 > sample.len() || ctrl * 100 > rest * 3 {
        let percent = ((nul + ctrl) * 100 / sample.len()).max(1) as u32;
        return Err(RejectReason::Binary { percent });
    }
    Ok(())
}

/// The final extension of a name after removing compression suffixes, lowercased.
pub(crate) fn extension(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let mut base = lower.as_str();
    for suffix in [".gz", ".gzip", ".zst", ".zstd"] {
        if let Some(b) = base.strip_suffix(suffix) {
            base = b;
        }
    }
    match base.rsplit_once('.') {
        Some((_, ext)) if !ext.contains('/') => ext.to_string(),
        _ => String::new(),
    }
}

/// Detects the container format from the first bytes (`head`, BOM already removed), with the
/// file name's extension as a tie-breaker only. `complete` says `head` is the whole input.
pub(crate) fn detect(head: &[u8], name: &str, complete: bool) -> Detected {
    let ext = extension(name);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let body = head.get(start..).unwrap_or(&[]);
    if body.starts_with(b"WARC/") {
        return Detected::Warc;
    }
    match body.first() {
        Some(b'{') => return detect_json_objects(body, &ext, complete),
        Some(b'[') => {
            let after = body.get(1..).unwrap_or(&[]);
            let next = after.iter().find(|b| !b.is_ascii_whitespace());
            if matches!(next, Some(b'{') | Some(b']')) || (next.is_none() && ext == "json") {
                return Detected::JsonArray;
            }
        }
        _ => {}
    }
    if has_front_matter_start(body) {
        return Detected::Markdown;
    }
    if looks_like_html_document(body) {
        return Detected::Html;
    }
    if matches!(ext.as_str(), "md" | "markdown" | "mdown" | "mkd") {
        return Detected::Markdown;
    }
    Detected::Text
}

/// A first line of `---` or `+++` followed by a `key:` / `key =` line.
fn has_front_matter_start(body: &[u8]) -> bool {
    let mut lines = body.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let first = lines.next().unwrap_or(&[]);
    let delim: &[u8] = match first.trim_ascii_end() {
        b"---" => b":",
        b"+++" => b"=",
        _ => return false,
    };
    let Some(next) = lines.find(|l| !l.trim_ascii().is_empty()) else {
        return false;
    };
    let next = next.trim_ascii();
    // `key: value`, `[table]` in TOML, or an immediately closed block.
    next == first.trim_ascii_end()
        || next.starts_with(b"[")
        || next
            .iter()
            .position(|b| delim.contains(b))
            .is_some_and(|i| i > 0 && next[..i].iter().all(|b| !b.is_ascii_whitespace() || *b == b' '))
}

/// Decides between JSON Lines and pretty-printed / single JSON objects.
fn detect_json_objects(body: &[u8], ext: &str, complete: bool) -> Detected {
    if matches!(ext, "jsonl" | "ndjson" | "jsonlines") {
        return Detected::JsonLines;
    }
    let Some(nl) = memchr::memchr(b'\n', body) else {
        // One line: a single object when the input ends here; otherwise the line is longer than
        // the sniff window, which only happens with one-object-per-line data.
        return if complete { Detected::JsonStream } else { Detected::JsonLines };
    };
    let first = &body[..nl];
    let rest = &body[nl + 1..];
    let next_line = rest.split(|&b| b == b'\n').find(|l| !l.trim_ascii().is_empty());
    let next_starts_object = next_line.is_some_and(|l| l.first() == Some(&b'{'));
    if balanced_object(first) {
        if next_starts_object {
            Detected::JsonLines
        } else {
            Detected::JsonStream
        }
    } else if next_starts_object && first.trim_ascii() != b"{" {
        // A broken first line followed by an object at column 0: JSON Lines.
        Detected::JsonLines
    } else {
        Detected::JsonStream
    }
}

/// Whether the line is one complete JSON object (string-aware bracket count).
fn balanced_object(line: &[u8]) -> bool {
    let line = line.trim_ascii();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut esc = false;
    for (i, &b) in line.iter().enumerate() {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1 == line.len();
                }
            }
            _ => {}
        }
    }
    false
}

const HTML_TAGS: &[&str] = &[
    "html",
    "head",
    "body",
    "meta",
    "title",
    "link",
    "script",
    "style",
    "div",
    "p",
    "span",
    "a",
    "br",
    "img",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
    "aside",
    "figure",
    "figcaption",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "blockquote",
    "iframe",
    "picture",
    "source",
    "time",
    "form",
    "input",
    "button",
    "noscript",
    "hr",
    "pre",
    "code",
    "dl",
    "dt",
    "dd",
    "small",
    "sup",
    "sub",
];

/// Counts known HTML tags (`<p`, `</div` ...) and the share of bytes inside `<...>`.
fn markup_stats(text: &[u8]) -> (usize, f64) {
    let mut tags = 0usize;
    let mut markup = 0usize;
    let mut i = 0usize;
    while let Some(off) = text.get(i..).and_then(|t| memchr::memchr(b'<', t)) {
        let at = i + off;
        let after = text.get(at + 1..).unwrap_or(&[]);
        let after = after.strip_prefix(b"/").unwrap_or(after);
        let name_len = after.iter().take(12).take_while(|b| b.is_ascii_alphanumeric()).count();
        let name = after.get(..name_len).unwrap_or(&[]).to_ascii_lowercase();
        let known = name_len > 0
            && matches!(after.get(name_len), Some(b' ' | b'>' | b'/' | b'\n' | b'\r' | b'\t'))
            && HTML_TAGS.iter().any(|t| t.as_bytes() == name.as_slice());
        let end = text.get(at..).and_then(|t| memchr::memchr(b'>', t)).map(|e| at + e + 1);
        match (known, end) {
            (true, Some(end)) => {
                tags += 1;
                markup += end - at;
                i = end;
            }
            _ => i = at + 1,
        }
    }
    let share = if text.is_empty() { 0.0 } else { markup as f64 / text.len() as f64 };
    (tags, share)
}

/// An HTML document or fragment: a doctype / `<html>` near the start, or text that starts with
/// a tag and is mostly known HTML markup.
pub(crate) fn looks_like_html_document(body: &[u8]) -> bool {
    let head = body.get(..1024).unwrap_or(body).to_ascii_lowercase();
    if head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || head.starts_with(b"<head")
        || (head.starts_with(b"<?xml") && memchr::memmem::find(&head, b"<html").is_some())
        || memchr::memmem::find(&head, b"<html").is_some()
    {
        return true;
    }
    is_mostly_html(body.get(..64 * 1024).unwrap_or(body))
}

/// Whether a body is mostly HTML markup (so `extract` should parse it as HTML): it starts with
/// a known tag and has several, or markup makes up a fifth of it.
pub(crate) fn is_mostly_html(body: &[u8]) -> bool {
    let trimmed = body.trim_ascii_start();
    let (tags, share) = markup_stats(trimmed);
    let starts_with_tag = trimmed.first() == Some(&b'<') && {
        let (first_tags, _) = markup_stats(trimmed.get(..trimmed.len().min(64)).unwrap_or(&[]));
        first_tags > 0 || trimmed.starts_with(b"<!--")
    };
    (starts_with_tag && tags >= 2) || (tags >= 3 && share >= 0.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect(b"WARC/1.0\r\n", "x", false), Detected::Warc);
        assert_eq!(detect(b"{\"a\":1}\n{\"a\":2}\n", "x", true), Detected::JsonLines);
        assert_eq!(detect(b"{\"a\":1}\n", "x", true), Detected::JsonStream);
        assert_eq!(detect(b"{\n  \"a\": 1\n}\n", "x", true), Detected::JsonStream);
        assert_eq!(detect(b"[ {\"a\":1} ]", "x", true), Detected::JsonArray);
        assert_eq!(detect(b"[Photo] caption text", "x", true), Detected::Text);
        assert_eq!(detect(b"\n---\ntitle: x\n---\nbody", "x", true), Detected::Markdown);
        assert_eq!(detect(b"+++\ntitle = 'x'\n+++\nbody", "x", true), Detected::Markdown);
        assert_eq!(detect(b"---\n\nJust a rule in text", "x", true), Detected::Text);
        assert_eq!(detect(b"<!DOCTYPE html><p>x", "x.txt", true), Detected::Html);
        assert_eq!(detect(b"<div><p>a</p><p>b</p></div>", "x", true), Detected::Html);
        assert_eq!(detect(b"<Reuters> said a < b", "x", true), Detected::Text);
        assert_eq!(detect(b"# Title\n\ntext", "a.md.gz", true), Detected::Markdown);
        assert_eq!(detect(b" date 2021-12-13 \n\ntext", "a.html", true), Detected::Text);
    }

    #[test]
    fn binary_check() {
        assert!(check_not_binary(b"plain text\n").is_ok());
        assert!(check_not_binary(b"text with a \0 NUL in it and more text around it").is_ok());
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(matches!(check_not_binary(&junk), Err(RejectReason::Binary { .. })));
        assert!(matches!(check_not_binary(&[0u8; 100]), Err(RejectReason::Binary { percent: 100 })));
    }
}
