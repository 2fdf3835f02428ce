//! `presswatch stats`: counts by input format, language, outlet, and rejections.

use crate::cli::StatsArgs;
use anyhow::Result;
use presswatch_store::{StoreRead, StoreSearch};
use serde_json::{json, Value};
use std::process::ExitCode;

pub(super) fn run<S: StoreRead + StoreSearch>(store: &S, args: &StatsArgs) -> Result<ExitCode> {
    let s = presswatch_app::read::stats(store)?;
    let search = presswatch_app::search::status(store)?;
    let stats = json!({
        "documents": s.documents,
        "sources": s.sources,
        "raw_bytes": s.raw_bytes,
        "rejected": s.rejected,
        "stale": s.stale,
        "search_in_step": search.in_step(),
        "search_index": search.describe(),
        "search_generation": search.index.map(|i| i.generation),
        "search_documents": search.index.map(|i| i.documents),
        "store_generation": search.store_generation,
        "by_format": s.by_format.iter().map(|(f, n)| json!([f.as_str(), n])).collect::<Vec<_>>(),
        "by_language": s.by_language.iter().map(|(l, n)| json!([l, n])).collect::<Vec<_>>(),
        "top_outlets": s.top_outlets.iter().map(|(o, n)| json!([o, n])).collect::<Vec<_>>(),
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
    } else {
        print!("{}", render(&stats));
    }
    Ok(ExitCode::SUCCESS)
}

/// Plain text: scalar figures first, then one indented table per breakdown.
fn render(stats: &Value) -> String {
    let mut out = String::new();
    let Value::Object(map) = stats else { return format!("{stats}\n") };
    let width = map.keys().map(|k| k.len() + 2).max().unwrap_or(0).max(18);
    for (key, value) in map {
        let label = format!("{}:", key.replace('_', " "));
        match value {
            Value::Object(_) | Value::Array(_) => {}
            Value::String(s) => {
                let s = presswatch_text::escape_controls(s, false);
                out.push_str(&format!("{label:<width$}{s}\n"))
            }
            other => out.push_str(&format!("{label:<width$}{other}\n")),
        }
    }
    for (key, value) in map {
        let rows: Vec<(String, String)> = match value {
            Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v.to_string())).collect(),
            Value::Array(items) => items.iter().map(row).collect(),
            _ => continue,
        };
        out.push_str(&format!("\n{}:\n", key.replace('_', " ")));
        if rows.is_empty() {
            out.push_str("  (none)\n");
        }
        for (name, count) in rows {
            let name = presswatch_text::escape_controls(&name, false);
            out.push_str(&format!("  {count:>8}  {name}\n"));
        }
    }
    out
}

/// A breakdown row is `[name, count]` or `{"name"/"value": .., "count": ..}`.
fn row(item: &Value) -> (String, String) {
    let plain = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "(unknown)".to_string(),
        other => other.to_string(),
    };
    match item {
        Value::Array(pair) if pair.len() == 2 => (plain(&pair[0]), plain(&pair[1])),
        Value::Object(m) => {
            let count = m.get("count").map(plain).unwrap_or_default();
            let name =
                m.iter().find(|(k, _)| k.as_str() != "count").map(|(_, v)| plain(v)).unwrap_or_default();
            (name, count)
        }
        other => (plain(other), String::new()),
    }
}
