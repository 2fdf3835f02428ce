//! Plain-text bodies: header lines, title / section label, paragraphs, headings, list items.
//!
//! Paragraphs are separated by blank lines; lines inside one paragraph are joined with a space.
//! A text with no blank line between its non-empty lines (one paragraph per line) is split on
//! newlines instead. At the top, `key value` / `key: value` lines for known keys (date, title,
//! author, source, url, section, language) become metadata and are recorded as
//! [`Reason::MetadataLine`]. The first line becomes the title candidate when it reads like a
//! headline (3-25 words, no final full stop, followed by text); a one- or two-word first line
//! followed by a sentence is a section label (e.g. "Europe") and becomes `meta.section`.

use presswatch_model::{BlockKind, DraftBlock, Metadata, Reason, Removed};
use presswatch_text::{collapse_whitespace as collapse_ws, ends_clause as ends_with_punct, word_count};

/// Output of a body reader before merging hints.
pub(crate) struct Parsed {
    pub meta: Metadata,
    pub blocks: Vec<DraftBlock>,
    pub removed: Vec<Removed>,
}

/// Which metadata field a header key names.
#[derive(Clone, Copy, PartialEq)]
enum Key {
    Date,
    Title,
    Author,
    Outlet,
    Url,
    Section,
    Language,
}

fn header_key(k: &str) -> Option<Key> {
    Some(match k.to_lowercase().as_str() {
        "date" | "published" | "pubdate" | "published_at" | "datum" | "fecha" | "data" | "дата" => {
            Key::Date
        }
        "title" | "headline" | "titel" | "titre" | "tytuł" => Key::Title,
        "author" | "authors" | "by" | "autor" | "auteur" | "автор" => Key::Author,
        "source" | "outlet" | "publisher" | "site" | "quelle" | "źródło" => Key::Outlet,
        "url" | "link" | "canonical" => Key::Url,
        "section" | "category" | "rubrik" | "rubrique" => Key::Section,
        "language" | "lang" => Key::Language,
        _ => return None,
    })
}

/// Parses a header line `key value` or `key: value`.
fn parse_header(line: &str) -> Option<(Key, String)> {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > 200 {
        return None;
    }
    let (k, v, colon) = match t.find(':') {
        Some(i) if t.get(..i).is_some_and(|k| !k.trim().contains(' ') && !k.trim().is_empty()) => {
            (t.get(..i)?.trim(), t.get(i + 1..)?.trim(), true)
        }
        _ => {
            let i = t.find(char::is_whitespace)?;
            (t.get(..i)?, t.get(i..)?.trim(), false)
        }
    };
    let key = header_key(k)?;
    if v.is_empty() {
        return None;
    }
    if !colon {
        // Without a colon, accept only value shapes that cannot be prose.
        let ok = match key {
            Key::Date => v.chars().any(|c| c.is_ascii_digit()) && word_count(v) <= 6,
            Key::Url => v.starts_with("http://") || v.starts_with("https://"),
            Key::Author => {
                let words = word_count(v);
                words <= 5
                    && !ends_with_punct(v)
                    && v.split_whitespace().all(|w| {
                        w.chars().next().is_some_and(|c| !c.is_lowercase())
                            || w == "and"
                            || w == "und"
                            || w == "et"
                    })
            }
            _ => false,
        };
        if !ok {
            return None;
        }
    }
    Some((key, collapse_ws(v)))
}

fn list_marker(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for m in ["- ", "* ", "• ", "· ", "– "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some(rest);
        }
    }
    // "1. " / "12) "
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        let rest = t.get(digits..)?;
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

/// Short, unpunctuated, starting with an upper-case letter or digit: reads like a heading.
fn looks_like_heading(s: &str) -> bool {
    let words = word_count(s);
    let chars = s.chars().count();
    // Headings carry no final full stop, but a short question ("What can happen next?") is a
    // common heading form.
    let question = s.ends_with('?') && words <= 8 && !s[..s.len() - 1].contains(['.', '?', '!']);
    (1..=15).contains(&words)
        && chars <= 120
        && (!ends_with_punct(s) || question)
        && s.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || !c.is_alphabetic())
        && s.chars().any(|c| c.is_alphabetic())
}

/// A caption / credit line such as "Photo: White House / Imago Images".
fn looks_like_credit_line(s: &str) -> bool {
    let l = s.to_lowercase();
    ["photo:", "photos:", "foto:", "image:", "picture:", "credit:", "bild:", "©"]
        .iter()
        .any(|m| l.starts_with(m))
        && word_count(s) <= 15
}

pub(crate) fn parse_text(body: &str) -> Parsed {
    let mut meta = Metadata::default();
    let mut removed = Vec::new();
    let lines: Vec<&str> = body.lines().collect();

    // Header lines at the top.
    let mut start = 0;
    while let Some(line) = lines.get(start) {
        if line.trim().is_empty() {
            start += 1;
            continue;
        }
        let Some((key, value)) = parse_header(line) else { break };
        let slot = match key {
            Key::Date => &mut meta.published,
            Key::Title => &mut meta.title,
            Key::Outlet => &mut meta.outlet,
            Key::Url => &mut meta.url,
            Key::Section => &mut meta.section,
            Key::Language => &mut meta.language,
            Key::Author => {
                meta.authors.push(value);
                removed.push(Removed { text: collapse_ws(line), reason: Reason::Byline });
                start += 1;
                continue;
            }
        };
        if slot.is_none() {
            *slot = Some(value);
        }
        removed.push(Removed { text: collapse_ws(line), reason: Reason::MetadataLine });
        start += 1;
    }
    let rest = lines.get(start..).unwrap_or(&[]);

    // Paragraph mode: blank-line separated unless there is no blank line between text lines.
    let first = rest.iter().position(|l| !l.trim().is_empty()).unwrap_or(rest.len());
    let last = rest.iter().rposition(|l| !l.trim().is_empty()).map_or(first, |i| i + 1);
    let core = rest.get(first..last).unwrap_or(&[]);
    let blank_separated = core.iter().any(|l| l.trim().is_empty());
    let mut paras: Vec<String> = Vec::new();
    if blank_separated {
        let mut cur: Vec<&str> = Vec::new();
        let flush = |cur: &mut Vec<&str>, paras: &mut Vec<String>| {
            if cur.is_empty() {
                return;
            }
            // A paragraph made of list lines splits into its items.
            if cur.len() > 1 && cur.iter().filter(|l| list_marker(l).is_some()).count() * 2 > cur.len() {
                for l in cur.iter() {
                    paras.push(collapse_ws(l));
                }
            } else {
                paras.push(collapse_ws(&cur.join(" ")));
            }
            cur.clear();
        };
        for l in core {
            if l.trim().is_empty() {
                flush(&mut cur, &mut paras);
            } else {
                cur.push(l);
            }
        }
        flush(&mut cur, &mut paras);
    } else {
        paras.extend(core.iter().map(|l| collapse_ws(l)));
    }
    paras.retain(|p| !p.is_empty());

    let mut blocks = Vec::with_capacity(paras.len());
    let mut idx = 0;
    // Title candidate or section label on the first line.
    if let Some(p0) = paras.first() {
        let next_is_text = paras.get(1).is_some_and(|n| word_count(n) >= 6);
        let words = word_count(p0);
        if next_is_text && looks_like_heading(p0) {
            if words <= 2 && p0.chars().count() <= 30 {
                if meta.section.is_none() {
                    meta.section = Some(p0.clone());
                }
                removed.push(Removed { text: p0.clone(), reason: Reason::MetadataLine });
                idx = 1;
                // A section label is the top of a page's header: the short single sentence under
                // it is the headline even when it ends with a full stop.
                if let (Some(p1), Some(p2)) = (paras.get(1), paras.get(2)) {
                    let single_sentence = !p1.trim_end_matches(['.', '!', '?']).contains(['.', '!', '?']);
                    if (3..=20).contains(&word_count(p1))
                        && single_sentence
                        && word_count(p2) > word_count(p1)
                        && !looks_like_credit_line(p1)
                    {
                        if meta.title.is_none() {
                            meta.title = Some(p1.clone());
                        }
                        removed.push(Removed { text: p1.clone(), reason: Reason::DuplicateTitle });
                        idx = 2;
                    }
                }
            } else if (3..=25).contains(&words) && !looks_like_credit_line(p0) {
                if meta.title.is_none() {
                    meta.title = Some(p0.clone());
                }
                removed.push(Removed { text: p0.clone(), reason: Reason::DuplicateTitle });
                idx = 1;
            }
        }
    }
    let rest = paras.get(idx..).unwrap_or(&[]);
    for (i, p) in rest.iter().enumerate() {
        let next = rest.get(i + 1);
        let kind = if let Some(item) = list_marker(p) {
            blocks.push(DraftBlock::new(BlockKind::ListItem, item.trim()));
            continue;
        } else if looks_like_credit_line(p) {
            BlockKind::Caption
        } else if looks_like_heading(p)
            && next.is_some_and(|n| {
                list_marker(n).is_some() || (word_count(n) > word_count(p) && ends_with_punct(n))
            })
        {
            BlockKind::Heading
        } else {
            BlockKind::Paragraph
        };
        blocks.push(DraftBlock::new(kind, p.clone()));
    }
    Parsed { meta, blocks, removed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines() {
        assert!(parse_header(" date 2021-12-13 ").is_some_and(|(k, v)| k == Key::Date && v == "2021-12-13"));
        assert!(parse_header("Author: Jane Doe").is_some_and(|(k, v)| k == Key::Author && v == "Jane Doe"));
        assert!(parse_header("Source of the trouble was the weather.").is_none());
        assert!(parse_header("Date of the meeting is unclear").is_none());
    }

    #[test]
    fn list_items_and_headings() {
        let p = parse_text("Intro line that is long enough to be a paragraph.\n\nKey points\n\n- first\n- second\n\nA closing paragraph with a full stop.");
        let kinds: Vec<_> = p.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![
                BlockKind::Paragraph,
                BlockKind::Heading,
                BlockKind::ListItem,
                BlockKind::ListItem,
                BlockKind::Paragraph
            ]
        );
        assert_eq!(p.blocks[2].text, "first");
    }
}
