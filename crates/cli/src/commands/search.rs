//! `presswatch search` and `presswatch reindex` (`presswatch_app::search`).

use crate::cli::{Global, SearchArgs};
use crate::progress;
use anyhow::Result;
use presswatch_app::search::{SearchRequest, SearchResults, Snippet};
use presswatch_store::AnyStore;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(dir: &Path, args: &SearchArgs) -> Result<ExitCode> {
    let mut store = super::open_reading(dir)?;
    if !presswatch_app::search::status(&store)?.in_step() {
        // The index is derived: bring it up to date the way any write would, if we may write.
        match AnyStore::open(dir) {
            Ok(writable) => store = writable,
            Err(e) => tracing::debug!(error = %e, "cannot open the store to update its search index"),
        }
        let status = presswatch_app::search::status(&store)?;
        if !status.in_step() {
            eprintln!("presswatch: warning: the search index is {}", status.describe());
        }
    }
    let request = SearchRequest {
        query: args.query.clone(),
        since: args.since,
        until: args.until,
        limit: args.limit,
        facets: args.facets.clone(),
        ..SearchRequest::new("")
    };
    let results = presswatch_app::search::search(&store, &request)?;
    let labels = presswatch_app::search::story_labels(&store, &results)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&to_json(&args.query, &results, &labels))?)?;
    } else {
        let marks = if std::io::stdout().is_terminal() { ("\x1b[1m", "\x1b[0m") } else { ("**", "**") };
        write!(out, "{}", render(&results, &labels, marks))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn reindex(store: &mut AnyStore, global: &Global) -> Result<ExitCode> {
    let total = presswatch_app::search::reindex_total(store)?;
    let bar = progress::bar(total, global.quiet);
    let indexed = presswatch_app::search::reindex(store, &progress::Bar(bar.clone()))?;
    bar.finish_and_clear();
    if !global.quiet {
        println!("indexed {indexed} articles for search");
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON form: one object with the query, `total`, `hits` (best first), `facets`
/// (name -> `[[value, count], ...]`) and `story_labels` (story id -> label, for the story facet).
fn to_json(query: &str, results: &SearchResults, labels: &BTreeMap<String, String>) -> Value {
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|h| {
            json!({
                "id": h.id.to_string(),
                "score": h.score,
                "title": h.title,
                "outlet": h.outlet,
                "published": h.published.map(|p| p.to_string()),
                "language": h.language,
                "snippet": {
                    "text": h.snippet.text,
                    "highlights": h.snippet.highlights.iter().map(|(s, e)| json!([s, e])).collect::<Vec<_>>(),
                },
            })
        })
        .collect();
    let mut facets = Map::new();
    for f in &results.facets {
        let counts: Vec<Value> = f.counts.iter().map(|(v, n)| json!([v, n])).collect();
        facets.insert(f.field.as_str().to_string(), Value::Array(counts));
    }
    json!({ "query": query, "total": results.total, "hits": hits, "facets": facets, "story_labels": labels })
}

/// Plain text: the hits, ranked, then each facet's counts (a story with its label).
fn render(results: &SearchResults, labels: &BTreeMap<String, String>, marks: (&str, &str)) -> String {
    let clean = |s: &str| presswatch_text::escape_controls(s, false).into_owned();
    let mut out = format!("{} matching articles\n", results.total);
    for (rank, hit) in results.hits.iter().enumerate() {
        let title = hit.title.as_deref().unwrap_or("(no title)");
        out.push_str(&format!("\n{:>3}. {}\n", rank + 1, clean(title)));
        let mut line = vec![hit.outlet.as_ref().map_or("(no outlet)".to_string(), |o| clean(o.as_str()))];
        line.push(hit.published.map_or("(no date)".to_string(), |p| p.to_string()));
        if let Some(language) = &hit.language {
            line.push(language.as_str().to_string());
        }
        line.push(hit.id.to_string());
        out.push_str(&format!("     {}\n", line.join(" · ")));
        out.push_str(&format!("     {}\n", marked(&hit.snippet, marks)));
    }
    for facet in &results.facets {
        out.push_str(&format!("\n{}:\n", facet.field.as_str()));
        if facet.counts.is_empty() {
            out.push_str("  (none)\n");
        }
        for (value, n) in &facet.counts {
            match labels.get(value) {
                Some(label) => out.push_str(&format!("  {n:>8}  {}  {}\n", clean(value), clean(label))),
                None => out.push_str(&format!("  {n:>8}  {}\n", clean(value))),
            }
        }
    }
    out
}

/// The snippet on one line, each highlighted piece between the marks.
fn marked(snippet: &Snippet, (open, close): (&str, &str)) -> String {
    let mut out = String::new();
    let mut highlights = snippet.highlights.iter().peekable();
    for (i, c) in snippet.text.chars().enumerate() {
        if highlights.peek().is_some_and(|(start, _)| *start == i) {
            out.push_str(open);
        }
        out.push(if c.is_whitespace() { ' ' } else { c });
        if highlights.peek().is_some_and(|(_, end)| *end == i + 1) {
            out.push_str(close);
            highlights.next();
        }
    }
    presswatch_text::escape_controls(&out, false).into_owned()
}
