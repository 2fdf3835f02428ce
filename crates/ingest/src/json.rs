//! JSON records: a string-aware bracket scanner that cuts one value at a time out of a stream
//! (so arrays of any size use flat memory), and the mapping of scraper fields to a document.

use std::io;

use presswatch_model::{BodyKind, Metadata};

use crate::fields::{self, normalize_key, Value};
use crate::input::Input;
use crate::RejectReason;

/// Fields holding a page's HTML, preferred over text fields (see [`decode_json_record`]).
const HTML_FIELDS: &[&str] =
    &["html", "rawhtml", "rawcontent", "contenthtml", "bodyhtml", "htmlcontent", "pagehtml", "articlehtml"];
/// Fields holding the article text (or sometimes HTML, detected by content).
const TEXT_FIELDS: &[&str] = &[
    "text",
    "content",
    "body",
    "maintext",
    "article",
    "articlebody",
    "articletext",
    "fulltext",
    "bodytext",
    "contenttext",
    "plaintext",
];
const EXPECTED: &str = "html, raw_html, raw_content, text, content, body, maintext, article, articleBody";

/// How scanning one value ended.
pub(crate) enum Scan {
    /// A complete value is in the output.
    Value,
    /// The value was longer than the cap; it was skipped to its end.
    TooLarge,
    /// The input ended inside the value.
    Truncated,
}

/// Where the scanner is inside a value.
struct Scanner {
    kind: u8,
    depth: usize,
    in_str: bool,
    esc: bool,
}

impl Scanner {
    fn new(first: u8) -> Self {
        Scanner { kind: first, depth: 0, in_str: false, esc: false }
    }

    /// Feeds bytes; returns the offset just past the end of the value when it ends in `bytes`.
    fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        match self.kind {
            b'{' | b'[' | b'"' => {}
            _ => {
                // Scalars end at a delimiter, which is not part of them.
                return bytes.iter().position(|b| matches!(b, b',' | b']' | b'}') || b.is_ascii_whitespace());
            }
        }
        for (i, &b) in bytes.iter().enumerate() {
            if self.in_str {
                if self.esc {
                    self.esc = false;
                } else if b == b'\\' {
                    self.esc = true;
                } else if b == b'"' {
                    self.in_str = false;
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                continue;
            }
            match b {
                b'"' => self.in_str = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

/// Scans the value starting at the next byte of `input` (which must not be whitespace) into
/// `out`, keeping at most `max` bytes.
pub(crate) fn scan_value(input: &mut Input<'_>, out: &mut Vec<u8>, max: usize) -> io::Result<Scan> {
    let Some(&first) = input.fill_to(1)?.first() else {
        return Ok(Scan::Truncated);
    };
    if matches!(first, b'}' | b']' | b',') {
        // A stray closer: one byte, so scanning always moves forward.
        input.consume(1);
        out.push(first);
        return Ok(Scan::Value);
    }
    let scalar = !matches!(first, b'{' | b'[' | b'"');
    let mut scanner = Scanner::new(first);
    let mut too_large = false;
    loop {
        let avail = input.available();
        let end = scanner.feed(avail);
        let take = end.unwrap_or(avail.len());
        if !too_large {
            if out.len() + take > max {
                too_large = true;
                out.clear();
            } else {
                out.extend_from_slice(&avail[..take]);
            }
        }
        input.consume(take);
        if end.is_some() {
            break;
        }
        if input.fill_more()? == 0 {
            if scalar {
                break;
            }
            return Ok(Scan::Truncated);
        }
    }
    Ok(if too_large { Scan::TooLarge } else { Scan::Value })
}

/// Checks that bytes are one well-formed JSON object, without building it.
pub(crate) fn validate_object(bytes: &[u8]) -> Result<(), RejectReason> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first != Some(b'{') {
        let found = match first {
            Some(b'[') => "array",
            Some(b'"') => "string",
            Some(b't' | b'f') => "boolean",
            Some(b'n') => "null",
            Some(b'-' | b'0'..=b'9') => "number",
            _ => return Err(RejectReason::MalformedJson { detail: "not a JSON value".into() }),
        };
        return Err(RejectReason::NotAnObject { found: found.into() });
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
        .map(|_| ())
        .map_err(|e| RejectReason::MalformedJson { detail: e.to_string() })
}

fn scalar_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        // Objects such as {"name": "Jane"} or {"url": "..."} (schema.org style).
        serde_json::Value::Object(o) => ["name", "@value", "url", "rendered"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|v| v.as_str()).map(str::to_string)),
        _ => None,
    }
}

fn to_field(v: &serde_json::Value) -> Option<Value> {
    match v {
        serde_json::Value::Array(items) => {
            Some(Value::List(items.iter().filter_map(scalar_string).collect()))
        }
        serde_json::Value::Null => None,
        other => scalar_string(other).map(Value::Str),
    }
}

/// A body field's text: a string, a list of paragraphs, or an object with the text inside
/// (`{"rendered": "..."}` as WordPress exports it).
fn body_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(|i| i.as_str()).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        serde_json::Value::Object(o) => ["rendered", "html", "text", "content", "value"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|v| v.as_str()).map(str::to_string)),
        _ => None,
    }
}

/// Decodes one JSON object record into a body and hints.
///
/// When a record holds both HTML and text, the HTML is used: extraction recovers structure
/// (headings, captions) and page metadata from it, and a scraper's text field is often already
/// truncated or flattened. The text field is used when there is no non-empty HTML field.
pub(crate) fn decode_json_record(bytes: &[u8]) -> Result<(BodyKind, String, Metadata), RejectReason> {
    validate_object(bytes)?;
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| RejectReason::MalformedJson { detail: e.to_string() })?;
    let serde_json::Value::Object(map) = value else {
        return Err(RejectReason::NotAnObject { found: "value".into() });
    };
    let normalized: Vec<(String, &serde_json::Value)> =
        map.iter().map(|(k, v)| (normalize_key(k), v)).collect();
    let find = |names: &[&str]| -> Vec<(&str, &serde_json::Value)> {
        names
            .iter()
            .flat_map(|n| normalized.iter().filter(move |(k, _)| k == n).map(|(k, v)| (k.as_str(), *v)))
            .collect()
    };
    let html = find(HTML_FIELDS);
    let text = find(TEXT_FIELDS);
    let pick = |cands: &[(&str, &serde_json::Value)]| {
        cands.iter().find_map(|(_, v)| body_text(v).filter(|s| !s.trim().is_empty()))
    };
    let (kind, body) = if let Some(h) = pick(&html) {
        (BodyKind::Html, h)
    } else if let Some(t) = pick(&text) {
        let kind = if crate::detect::is_mostly_html(t.as_bytes()) { BodyKind::Html } else { BodyKind::Text };
        (kind, t)
    } else if let Some((name, _)) = html.first().or(text.first()) {
        let original = map.keys().find(|k| normalize_key(k) == *name).cloned().unwrap_or_default();
        return Err(RejectReason::EmptyBody { field: original });
    } else {
        return Err(RejectReason::NoBody { expected: EXPECTED.into() });
    };
    let fields: Vec<(String, Value)> =
        normalized.iter().filter_map(|(k, v)| to_field(v).map(|f| (k.clone(), f))).collect();
    let hints = fields::hints(&fields);
    Ok((kind, body, hints))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_html_and_maps_fields() {
        let rec = br#"{"link":"https://x/a","headline":"H","text":"plain","raw_html":"<p>p</p>",
            "authors":[{"name":"A B"},"C D"],"publisher":{"name":"Outlet"},"date_publish":"2020-01-02",
            "keywords":"k1, k2","lang":"de"}"#;
        let (kind, body, m) = decode_json_record(rec).unwrap();
        assert_eq!(kind, BodyKind::Html);
        assert_eq!(body, "<p>p</p>");
        assert_eq!(m.url.as_deref(), Some("https://x/a"));
        assert_eq!(m.title.as_deref(), Some("H"));
        assert_eq!(m.authors, vec!["A B", "C D"]);
        assert_eq!(m.outlet.as_deref(), Some("Outlet"));
        assert_eq!(m.published.as_deref(), Some("2020-01-02"));
        assert_eq!(m.tags, vec!["k1", "k2"]);
        assert_eq!(m.language.as_deref(), Some("de"));
    }

    #[test]
    fn text_and_rejections() {
        let (kind, body, _) = decode_json_record(br#"{"maintext":"Hello","html":""}"#).unwrap();
        assert_eq!((kind, body.as_str()), (BodyKind::Text, "Hello"));
        assert!(matches!(decode_json_record(br#"{"text":"  "}"#), Err(RejectReason::EmptyBody { .. })));
        assert!(matches!(decode_json_record(br#"{"title":"x"}"#), Err(RejectReason::NoBody { .. })));
        assert!(matches!(decode_json_record(b"[1]"), Err(RejectReason::NotAnObject { .. })));
        assert!(matches!(decode_json_record(b"{\"text\": tru}"), Err(RejectReason::MalformedJson { .. })));
    }
}
