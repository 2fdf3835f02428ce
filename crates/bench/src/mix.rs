//! The realistic mix of `presswatch-bench ingest --mix realistic`: JSON Lines records of 2-6 KB,
//! half whole HTML pages (header, navigation, byline, footer around the article) and half plain
//! text, about 80% distinct articles and 20% copies or rewrites of earlier ones (exact, trimmed,
//! paragraph-shuffled, lightly reworded), over 200 outlets and two years of dates.
//!
//! Distinct articles are [`Corpus`] prose: three in four from the bundled seeds' vocabulary (real
//! English words and capitalised names, so language, quotes and entities get real work), one in
//! four from the provenance corpus's pseudo-words (a language the detector does not know). A
//! paragraph in four of the English ones ends in a quote with a speaker. A function of its size
//! only, like the other corpora, so runs and builds compare on the same records.

use crate::corpus::{Corpus, SEEDS};
use anyhow::Result;
use std::collections::{HashMap, VecDeque};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Percent of records that copy or rewrite an earlier article.
const COPY_PERCENT: usize = 20;
/// How many recent distinct articles copies are taken from (memory stays flat).
const WINDOW: usize = 2_000;
const OUTLETS: usize = 200;

/// A distinct article, kept so later records can copy it.
#[derive(Clone)]
struct Article {
    title: String,
    paragraphs: Vec<String>,
}

/// The generator of the mix.
pub struct Mix {
    english: Corpus,
    pseudo: Corpus,
    names: Vec<String>,
    recent: VecDeque<Article>,
}

impl Default for Mix {
    fn default() -> Self {
        Mix::new()
    }
}

impl Mix {
    /// The mix (always the same records).
    pub fn new() -> Mix {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for seed in SEEDS {
            for w in seed.split_whitespace() {
                let w = w.trim_matches(|c: char| !c.is_alphabetic());
                if w.chars().count() > 2 && w.chars().all(char::is_alphabetic) {
                    let n = counts.entry(w).or_insert(0);
                    if *n == 0 {
                        order.push(w);
                    }
                    *n += 1;
                }
            }
        }
        // Most frequent first (the Zipf ranks); ties in first-seen order, so the list is fixed.
        order.sort_by_key(|w| std::cmp::Reverse(counts[w]));
        let names = order
            .iter()
            .filter(|w| w.len() > 3 && w.starts_with(char::is_uppercase))
            .map(|w| w.to_string())
            .collect();
        Mix {
            english: Corpus::with_words(7, order.iter().map(|w| w.to_string()).collect()),
            pseudo: Corpus::new(11),
            names,
            recent: VecDeque::new(),
        }
    }

    /// A speaker's name: two capitalised seed words.
    fn name(&mut self) -> String {
        let first = self.english.below(self.names.len().min(400));
        let last = self.english.below(self.names.len());
        format!("{} {}", self.names[first], self.names[last])
    }

    /// A distinct article of at least `bytes` bytes of text.
    fn original(&mut self, bytes: usize) -> Article {
        let pseudo = self.english.below(4) == 0;
        let corpus = if pseudo { &mut self.pseudo } else { &mut self.english };
        let words: Vec<String> = (0..6 + corpus.below(5)).map(|_| corpus.word().to_string()).collect();
        let title = capitalised(&words.join(" "));
        let mut paragraphs = Vec::new();
        let mut len = 0;
        while len < bytes {
            let corpus = if pseudo { &mut self.pseudo } else { &mut self.english };
            let bytes = 200 + corpus.below(400);
            let mut p = corpus.prose(bytes, true);
            if !pseudo && corpus.below(4) == 0 {
                let quote = corpus.sentence();
                p.push_str(&format!(" “{quote}” said {}.", self.name()));
            }
            len += p.len() + 2;
            paragraphs.push(p);
        }
        Article { title, paragraphs }
    }

    /// A copy or rewrite of a recent article: exact, trimmed (first and last paragraphs cut),
    /// paragraphs shuffled, or lightly reworded (one word in ten replaced).
    fn copy(&mut self) -> Article {
        let back = self.english.below(self.recent.len());
        let mut a = self.recent[self.recent.len() - 1 - back].clone();
        match self.english.below(4) {
            0 => {}
            1 if a.paragraphs.len() > 3 => {
                a.paragraphs.pop();
                a.paragraphs.remove(0);
            }
            1 | 2 => {
                for i in (1..a.paragraphs.len()).rev() {
                    let j = self.english.below(i + 1);
                    a.paragraphs.swap(i, j);
                }
            }
            _ => {
                for p in &mut a.paragraphs {
                    let words: Vec<String> = p
                        .split(' ')
                        .map(|w| {
                            if w.len() > 4 && self.english.below(10) == 0 {
                                self.english.word().to_string()
                            } else {
                                w.to_string()
                            }
                        })
                        .collect();
                    *p = words.join(" ");
                }
            }
        }
        a
    }

    /// Record `i` as one JSON line.
    pub fn record(&mut self, i: usize) -> Result<String> {
        let html = self.english.below(2) == 0;
        let copy = self.recent.len() >= 100 && self.english.below(100) < COPY_PERCENT;
        let article = if copy {
            self.copy()
        } else {
            // A page's markup around the text is about 1.3 KB: both kinds come to 2-6 KB.
            let bytes = if html { 700 } else { 2_000 } + self.english.below(3_300);
            let a = self.original(bytes);
            if self.recent.len() >= WINDOW {
                self.recent.pop_front();
            }
            self.recent.push_back(a.clone());
            a
        };
        let outlet = format!("outlet{}.example", (i * 7919) % OUTLETS);
        let day = crate::corpus::day_text(((i / 137) % 730) as u32);
        let author = self.name();
        let url = format!("https://{outlet}/{day}/{i}");
        let mut record = serde_json::json!({
            "url": url,
            "source_domain": outlet,
        });
        if html {
            record["html"] = page(&article, &outlet, &day, &author).into();
        } else {
            record["title"] = article.title.clone().into();
            record["date_publish"] = day.into();
            record["authors"] = serde_json::json!([author]);
            record["text"] = article.paragraphs.join("\n\n").into();
        }
        Ok(serde_json::to_string(&record)?)
    }
}

/// An article page as a CMS would serve it: navigation, byline, date, related links, footer.
fn page(a: &Article, outlet: &str, day: &str, author: &str) -> String {
    let mut body = String::new();
    for p in &a.paragraphs {
        body.push_str("<p>");
        body.push_str(&escape(p));
        body.push_str("</p>\n");
    }
    let title = escape(&a.title);
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | {outlet}</title>
<meta name="author" content="{author}"><meta property="article:published_time" content="{day}T08:00:00Z">
<link rel="stylesheet" href="/static/site.css"></head>
<body><header class="site-header"><a class="logo" href="/">{outlet}</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li><li><a href="/culture">Culture</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article><h1>{title}</h1>
<p class="byline">By <a href="/authors/x" rel="author">{author}</a> <time datetime="{day}">{day}</time></p>
{body}</article>
<aside class="related"><h2>Read more</h2><ul><li><a href="/a/1">Markets close higher after a volatile week</a></li><li><a href="/a/2">What the new rules mean for you</a></li></ul></aside></main>
<footer><p>&copy; {outlet}. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer></body></html>
"#
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Writes the first `n` records of the mix to `path`; returns the bytes written. Streams, so
/// the generator adds only its window of recent articles to memory.
pub fn write_mixed_jsonl(path: &Path, n: usize) -> Result<u64> {
    let mut mix = Mix::new();
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    let mut written = 0u64;
    for i in 0..n {
        let line = mix.record(i)?;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        written += line.len() as u64 + 1;
    }
    out.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_2_to_6_kb_with_a_fifth_copies() {
        let mut mix = Mix::new();
        let lines: Vec<String> = (0..2_000).map(|i| mix.record(i).unwrap()).collect();
        let sizes: Vec<usize> = lines.iter().map(String::len).collect();
        let mean = sizes.iter().sum::<usize>() / sizes.len();
        assert!((2_000..6_500).contains(&mean), "mean record size {mean}");
        let html = lines.iter().filter(|l| l.contains(r#""html":"#)).count();
        assert!((800..1_200).contains(&html), "{html} HTML records");
        let again = Mix::new().record(0).unwrap();
        assert_eq!(again, lines[0]);
    }
}
