//! Markdown with YAML (`---`) or TOML (`+++`) front matter. Scrapers write front matter with
//! string templates, so it is often invalid (unescaped quotes in titles): the strict parser
//! runs first, and a line-based `key: value` / `- item` reader takes over when it fails.

use presswatch_model::{BodyKind, Metadata};

use crate::fields::{self, normalize_key, Value};
use crate::RejectReason;

/// Front matter larger than this is not metadata.
const MAX_FRONT_MATTER: usize = 1024 * 1024;

pub(crate) fn decode_markdown(bytes: &[u8]) -> Result<(BodyKind, String, Metadata), RejectReason> {
    crate::detect::check_not_binary(bytes)?;
    let text = crate::charset::decode_text(bytes, None);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (hints, body) = match split_front_matter(text)? {
        Some((delim, fm, body)) => (parse_front_matter(delim, fm)?, body),
        None => (Metadata::default(), text),
    };
    let kind =
        if crate::detect::is_mostly_html(body.as_bytes()) { BodyKind::Html } else { BodyKind::Markdown };
    Ok((kind, body.to_string(), hints))
}

/// Splits `(delimiter, front matter, body)` when the text opens with a delimiter line (after
/// blank lines).
fn split_front_matter(text: &str) -> Result<Option<(&'static str, &str, &str)>, RejectReason> {
    let start = text.len() - text.trim_start().len();
    let rest = text.get(start..).unwrap_or("");
    let first_end = rest.find('\n').unwrap_or(rest.len());
    let delim = match rest.get(..first_end).unwrap_or("").trim_end() {
        "---" => "---",
        "+++" => "+++",
        _ => return Ok(None),
    };
    let inner_start = (first_end + 1).min(rest.len());
    let inner = rest.get(inner_start..).unwrap_or("");
    let mut offset = 0usize;
    for line in inner.split_inclusive('\n') {
        let t = line.trim_end();
        if t == delim || (delim == "---" && t == "...") {
            let fm = inner.get(..offset).unwrap_or("");
            let body = inner.get(offset + line.len()..).unwrap_or("");
            return Ok(Some((delim, fm, body)));
        }
        offset += line.len();
        if offset > MAX_FRONT_MATTER {
            break;
        }
    }
    Err(RejectReason::MalformedFrontMatter {
        detail: format!("opening '{delim}' has no closing '{delim}' line"),
    })
}

fn parse_front_matter(delim: &str, fm: &str) -> Result<Metadata, RejectReason> {
    let strict = if delim == "---" { yaml_fields(fm) } else { toml_fields(fm) };
    let fields = match strict {
        Some(f) => f,
        None => lenient_fields(fm, if delim == "---" { ':' } else { '=' })?,
    };
    Ok(fields::hints(&fields))
}

fn yaml_scalar(v: &yaml_serde::Value) -> Option<String> {
    match v {
        yaml_serde::Value::String(s) => Some(s.clone()),
        yaml_serde::Value::Number(n) => Some(n.to_string()),
        yaml_serde::Value::Bool(b) => Some(b.to_string()),
        yaml_serde::Value::Mapping(m) => m.get("name").and_then(|v| v.as_str()).map(str::to_string),
        _ => None,
    }
}

fn yaml_fields(fm: &str) -> Option<Vec<(String, Value)>> {
    if fm.trim().is_empty() {
        return Some(Vec::new());
    }
    let value: yaml_serde::Value = yaml_serde::from_str(fm).ok()?;
    let yaml_serde::Value::Mapping(map) = value else {
        return None;
    };
    let mut out = Vec::new();
    for (k, v) in &map {
        let Some(key) = yaml_scalar(k) else { continue };
        let field = match v {
            yaml_serde::Value::Sequence(items) => {
                Some(Value::List(items.iter().filter_map(yaml_scalar).collect()))
            }
            other => yaml_scalar(other).map(Value::Str),
        };
        if let Some(f) = field {
            out.push((normalize_key(&key), f));
        }
    }
    Some(out)
}

fn toml_scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Table(t) => t.get("name").and_then(|v| v.as_str()).map(str::to_string),
        toml::Value::Array(_) => None,
    }
}

fn toml_fields(fm: &str) -> Option<Vec<(String, Value)>> {
    let table: toml::Table = toml::from_str(fm).ok()?;
    let mut out = Vec::new();
    for (k, v) in &table {
        let field = match v {
            toml::Value::Array(items) => Some(Value::List(items.iter().filter_map(toml_scalar).collect())),
            other => toml_scalar(other).map(Value::Str),
        };
        if let Some(f) = field {
            out.push((normalize_key(k), f));
        }
    }
    Some(out)
}

/// Removes one pair of matching outer quotes when the inside holds no such quote (so a mangled
/// value like `"""'Title'"""` is kept exactly as found).
fn unquote(v: &str) -> String {
    let v = v.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            if !inner.contains(q) {
                return inner.to_string();
            }
        }
    }
    v.to_string()
}

/// `key: value` lines, `- item` lines under a key, indented continuation lines.
fn lenient_fields(fm: &str, sep: char) -> Result<Vec<(String, Value)>, RejectReason> {
    let mut out: Vec<(String, Value)> = Vec::new();
    let mut bad: Option<(usize, String)> = None;
    let mut bad_count = 0usize;
    for (n, line) in fm.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if let Some(item) = t.strip_prefix('-').filter(|_| t == "-" || t.starts_with("- ")) {
            if let Some((_, v)) = out.last_mut() {
                let item = unquote(item);
                match v {
                    Value::List(l) => l.push(item),
                    Value::Str(s) if s.trim().is_empty() => *v = Value::List(vec![item]),
                    Value::Str(s) => *v = Value::List(vec![std::mem::take(s), item]),
                }
                continue;
            }
        }
        if !indented {
            if let Some((k, v)) = t.split_once(sep) {
                let key_ok = !k.is_empty()
                    && k.len() <= 64
                    && k.trim()
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.' | '@'));
                if key_ok {
                    let v = v.trim();
                    let value = match v.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                        Some(list) => {
                            Value::List(list.split(',').map(unquote).filter(|s| !s.is_empty()).collect())
                        }
                        None => Value::Str(unquote(v)),
                    };
                    out.push((normalize_key(k), value));
                    continue;
                }
            }
        } else if let Some((_, Value::Str(s))) = out.last_mut() {
            // A folded continuation of the previous value.
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(t);
            continue;
        }
        bad_count += 1;
        if bad.is_none() {
            bad = Some((n + 1, t.chars().take(60).collect()));
        }
    }
    if out.is_empty() || bad_count > out.len() {
        let (line, text) = bad.unwrap_or((1, String::new()));
        return Err(RejectReason::MalformedFrontMatter {
            detail: format!(
                "not key{sep} value data (line {line}: {text:?}); fix or remove the front matter"
            ),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_keeps_mangled_title() {
        let fm = "title: \"\"\"'Isolating'\"\"\"\ncategories: \n    - A\n    - B\nauthor: X\n";
        let m = parse_front_matter("---", fm).unwrap();
        assert_eq!(m.title.as_deref(), Some("\"\"\"'Isolating'\"\"\""));
        assert_eq!(m.categories, vec!["A", "B"]);
        assert_eq!(m.authors, vec!["X"]);
    }

    #[test]
    fn strict_yaml_and_toml() {
        let m = parse_front_matter("---", "title: 'A: b'\ntags: [x, y]\nlang: fr\n").unwrap();
        assert_eq!(m.title.as_deref(), Some("A: b"));
        assert_eq!(m.tags, vec!["x", "y"]);
        assert_eq!(m.language.as_deref(), Some("fr"));
        let m = parse_front_matter("+++", "title = \"T\"\ndate = 2021-01-02\nauthors = [\"P\"]\n").unwrap();
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(m.published.as_deref(), Some("2021-01-02"));
        assert_eq!(m.authors, vec!["P"]);
    }

    #[test]
    fn rejects_non_key_value() {
        let err = parse_front_matter("---", "this is just prose\nand more prose here\n").unwrap_err();
        assert!(err.to_string().starts_with("malformed front matter: not key: value data (line 1"), "{err}");
        assert!(split_front_matter("---\ntitle: x\nno end").is_err());
    }

    /// What the strict YAML reader makes of scalars, keys and structures that YAML libraries
    /// read differently. Pinned when moving from serde_yaml 0.9 to yaml_serde (both gave these,
    /// checked side by side on these and 3,000 random YAML-like texts), so front matter hints stay
    /// the same across parser upgrades.
    #[test]
    fn yaml_readings_stay_the_same() {
        let s = |v: &str| Value::Str(v.to_string());
        let read = |fm: &str| yaml_fields(fm);
        // YAML 1.2 core schema: only true/false are booleans; `~` (null) gives no field.
        assert_eq!(
            read("a: yes\nb: no\nc: on\nd: True\ne: ~\n"),
            Some(vec![
                ("a".into(), s("yes")),
                ("b".into(), s("no")),
                ("c".into(), s("on")),
                ("d".into(), s("true"))
            ])
        );
        // Dates stay text; numbers are written back in Rust's form.
        assert_eq!(
            read("d: 2021-01-02\nt: 2021-01-02T03:04:05Z\n"),
            Some(vec![("d".into(), s("2021-01-02")), ("t".into(), s("2021-01-02T03:04:05Z"))])
        );
        assert_eq!(read("n: 012\n"), Some(vec![("n".into(), s("012"))]));
        assert_eq!(read("h: 0x1F\n"), Some(vec![("h".into(), s("31"))]));
        assert_eq!(read("e: 1e3\n"), Some(vec![("e".into(), s("1000.0"))]));
        assert_eq!(read("f: 1.50\n"), Some(vec![("f".into(), s("1.5"))]));
        assert_eq!(read("i: .inf\n"), Some(vec![("i".into(), s(".inf"))]));
        // Not strict YAML, so the lenient reader takes over: out-of-range integers, duplicate
        // keys, unquoted `: ` in values, a top-level list, several documents.
        for fm in [
            "big: 123456789012345678901234567890\n",
            "a: 1\na: 2\n",
            "title: a: b\n",
            "- a\n- b\n",
            "---\na: 1\n---\nb: 2\n",
        ] {
            assert_eq!(read(fm), None, "{fm:?}");
        }
        // Aliases resolve; tagged values and non-text keys: tags dropped, keys as text.
        assert_eq!(
            read("x: &a hello\ny: *a\nt: !custom value\n1: one\ntrue: t\n"),
            Some(vec![
                ("x".into(), s("hello")),
                ("y".into(), s("hello")),
                ("1".into(), s("one")),
                ("true".into(), s("t"))
            ])
        );
        // A mapping gives its `name`; list items that are not scalars or named mappings drop.
        assert_eq!(
            read("author:\n  name: P\n  url: u\ntags:\n- a\n- 2\n- true\n- {name: n}\n- [x]\n- ~\n"),
            Some(vec![
                ("author".into(), s("P")),
                ("tags".into(), Value::List(vec!["a".into(), "2".into(), "true".into(), "n".into()]))
            ])
        );
        assert_eq!(
            read("title: >\n  folded\n  text\nbody: |\n  literal\n  text\n"),
            Some(vec![("title".into(), s("folded text\n")), ("body".into(), s("literal\ntext\n"))])
        );
    }
}
