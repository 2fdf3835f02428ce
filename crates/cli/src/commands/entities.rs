//! `presswatch entities` and `presswatch entity NAME`: the corpus's people, organisations and
//! places.

use crate::cli::{EntitiesArgs, EntityArgs};
use anyhow::{Context, Result};
use presswatch_app::export::spreadsheet_safe;
use presswatch_store::StoreRead;
use serde_json::json;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

pub(super) fn list(store: &dyn StoreRead, args: &EntitiesArgs) -> Result<ExitCode> {
    let rows = presswatch_app::entities::entities(store, args.kind, args.top)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.csv {
        let mut csv = csv::Writer::from_writer(&mut out);
        csv.write_record(["id", "name", "type", "docs", "mentions"])?;
        for r in &rows {
            let e = &r.entity;
            let cells = [
                e.id.clone(),
                e.name.clone(),
                e.kind.to_string(),
                e.docs.to_string(),
                r.mentions.to_string(),
            ];
            csv.write_record(cells.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
        }
        csv.flush()?;
    } else {
        for r in &rows {
            let e = &r.entity;
            if args.jsonl {
                let row = json!({"id": e.id, "name": e.name, "type": e.kind, "docs": e.docs, "mentions": r.mentions});
                serde_json::to_writer(&mut out, &row)?;
                out.write_all(b"\n")?;
            } else {
                let line =
                    format!("{:>6} {:>7}  {:<12}  {}  {}", e.docs, r.mentions, e.kind.as_str(), e.id, e.name);
                writeln!(out, "{}", presswatch_text::escape_controls(&line, false))?;
            }
        }
    }
    finish(out)
}

pub(super) fn one(store: &dyn StoreRead, args: &EntityArgs) -> Result<ExitCode> {
    let Some(d) = presswatch_app::entities::entity(store, &args.name)? else {
        let message = format!("presswatch: no entity called {:?}", args.name);
        eprintln!("{}", presswatch_text::escape_controls(&message, false));
        return Ok(ExitCode::from(1));
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let day = |d: Option<_>| d.map(|d: presswatch_app::entities::Day| d.to_string());
    if args.json {
        let value = json!({
            "id": d.entity.id,
            "name": d.entity.name,
            "type": d.entity.kind,
            "docs": d.entity.docs,
            "aliases": d.aliases.iter().map(|(n, c)| json!({"name": n, "docs": c})).collect::<Vec<_>>(),
            "by_day": d.by_day.iter().map(|c| json!({"day": day(c.day), "docs": c.docs, "mentions": c.mentions})).collect::<Vec<_>>(),
            "quotes": d.quotes.iter().map(|q| json!({"article": q.article.to_string(), "text": q.text, "kind": q.quote.kind})).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        out.write_all(b"\n")?;
    } else {
        let mut text = format!("{} ({}, {})\n", d.entity.name, d.entity.kind, d.entity.id);
        let names: Vec<String> = d.aliases.iter().map(|(n, c)| format!("{n} ({c})")).collect();
        text.push_str(&format!("names: {}\nmentions by day:\n", names.join(", ")));
        for c in &d.by_day {
            let when = day(c.day).unwrap_or_else(|| "(undated)".into());
            text.push_str(&format!("  {when:<10}  {:>4} docs  {:>5} mentions\n", c.docs, c.mentions));
        }
        text.push_str(&format!("quotes: {}\n", d.quotes.len()));
        for q in &d.quotes {
            text.push_str(&format!("  {}  \u{201c}{}\u{201d}\n", q.article, q.text));
        }
        write!(out, "{}", presswatch_text::escape_controls(&text, true))?;
    }
    finish(out)
}

/// The evaluation mode: plain-text files, no store, offsets into each file's text as read.
pub(super) fn files(args: &EntitiesArgs) -> Result<ExitCode> {
    super::text_files(&args.paths, &|text| {
        let mut found = presswatch_entities::entities_in_text(text);
        found.retain(|e| args.kind.is_none_or(|k| e.kind == k));
        serde_json::Map::from_iter([("entities".to_string(), json!(found))])
    })
}

fn finish(mut out: impl Write) -> Result<ExitCode> {
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the entities")?,
    }
    Ok(ExitCode::SUCCESS)
}
