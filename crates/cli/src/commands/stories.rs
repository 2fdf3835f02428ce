//! `presswatch stories`, `presswatch story ID` and `presswatch compare A B`: the corpus read as
//! stories.

use crate::cli::{CompareArgs, StoriesArgs, StoryArgs};
use anyhow::{Context, Result};
use presswatch_app::export::spreadsheet_safe;
use presswatch_model::Published;
use presswatch_store::StoreRead;
use serde_json::json;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn day(d: Option<presswatch_app::stories::Day>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn csv_out<W: Write>(out: W, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(header)?;
    for r in rows {
        csv.write_record(r.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
    }
    csv.flush()?;
    Ok(())
}

pub(super) fn list(store: &dyn StoreRead, args: &StoriesArgs) -> Result<ExitCode> {
    let since = match &args.since {
        Some(s) => Some(s.parse::<Published>().map_err(|e| anyhow::anyhow!("--since {s:?}: {e}"))?.day()),
        None => None,
    };
    let rows = presswatch_app::stories::stories(store, since, args.top)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.csv {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| vec![r.id.to_string(), r.size.to_string(), day(r.first), day(r.last), r.label.clone()])
            .collect();
        csv_out(&mut out, &["id", "size", "first", "last", "label"], &cells)?;
    } else {
        for r in &rows {
            if args.jsonl {
                let row = json!({"id": r.id.to_string(), "size": r.size, "first": r.first.map(|d| d.to_string()),
                    "last": r.last.map(|d| d.to_string()), "label": r.label});
                serde_json::to_writer(&mut out, &row)?;
                out.write_all(b"\n")?;
            } else {
                let line =
                    format!("{:>5}  {}  {:<10} {:<10}  {}", r.size, r.id, day(r.first), day(r.last), r.label);
                writeln!(out, "{}", presswatch_text::escape_controls(&line, false))?;
            }
        }
    }
    finish(out)
}

pub(super) fn one(store: &dyn StoreRead, args: &StoryArgs) -> Result<ExitCode> {
    let Some(d) = presswatch_app::stories::story(store, &args.id)? else {
        let message = format!("presswatch: no story {:?}", args.id);
        eprintln!("{}", presswatch_text::escape_controls(&message, false));
        return Ok(ExitCode::from(1));
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let member_json = |m: &presswatch_app::stories::Member| {
        json!({"id": m.id.to_string(), "title": m.title, "outlet": m.outlet,
            "published": m.published.map(|p| p.to_string()), "score": m.score})
    };
    if args.csv {
        let cells: Vec<Vec<String>> = d
            .members
            .iter()
            .map(|m| {
                vec![
                    m.id.to_string(),
                    m.published.map(|p| p.to_string()).unwrap_or_default(),
                    m.outlet.clone().unwrap_or_default(),
                    format!("{:.3}", m.score),
                    m.title.clone().unwrap_or_default(),
                ]
            })
            .collect();
        csv_out(&mut out, &["id", "published", "outlet", "score", "title"], &cells)?;
    } else if args.json {
        let value = json!({
            "id": d.story.id.to_string(),
            "label": d.story.label,
            "size": d.story.size,
            "first": d.story.first.map(|x| x.to_string()),
            "last": d.story.last.map(|x| x.to_string()),
            "first_report": d.first_report.as_ref().map(member_json),
            "outlets": d.outlets,
            "members": d.members.iter().map(member_json).collect::<Vec<_>>(),
            "by_day": d.by_day.iter().map(|(x, n)| json!({"day": x.to_string(), "docs": n})).collect::<Vec<_>>(),
            "peaks": d.peaks.iter().map(|(x, n)| json!({"day": x.to_string(), "docs": n})).collect::<Vec<_>>(),
            "outlet_days": d.outlet_days.iter().map(|(x, o, n)| json!({"day": x.to_string(), "outlet": o, "docs": n})).collect::<Vec<_>>(),
            "top_quotes": d.top_quotes.iter().map(|(w, t, n)| json!({"speaker": w, "text": t, "docs": n})).collect::<Vec<_>>(),
            "top_entities": d.top_entities.iter().map(|(e, n)| json!({"name": e, "docs": n})).collect::<Vec<_>>(),
            "merges": d.merges.iter().map(|m| json!({"from": m.from.to_string(), "into": m.into.to_string(), "doc": m.doc.to_string()})).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        out.write_all(b"\n")?;
    } else {
        let s = &d.story;
        let mut t = format!(
            "story {} ({} documents, {} to {})\n{}\n",
            s.id,
            s.size,
            day(s.first),
            day(s.last),
            s.label
        );
        if let Some(m) = &d.first_report {
            let when = m.published.map(|p| p.to_string()).unwrap_or_default();
            t.push_str(&format!(
                "first report: {} {} ({when})\n",
                m.outlet.as_deref().unwrap_or("(unknown outlet)"),
                m.id
            ));
        }
        t.push_str(&format!("outlets in order: {}\n", d.outlets.join(", ")));
        t.push_str("documents by day:\n");
        for (x, n) in &d.by_day {
            let peak = if d.peaks.iter().any(|(p, _)| p == x) { "  peak" } else { "" };
            t.push_str(&format!("  {x}  {n:>4}{peak}\n"));
        }
        t.push_str("members:\n");
        for m in &d.members {
            let when = m.published.map(|p| p.to_string()).unwrap_or_else(|| "(undated)".into());
            t.push_str(&format!(
                "  {}  {:<20}  {:<25}  {:.2}  {}\n",
                m.id,
                when,
                m.outlet.as_deref().unwrap_or("-"),
                m.score,
                m.title.as_deref().unwrap_or("")
            ));
        }
        if !d.top_entities.is_empty() {
            let names: Vec<String> = d.top_entities.iter().map(|(e, n)| format!("{e} ({n})")).collect();
            t.push_str(&format!("entities: {}\n", names.join(", ")));
        }
        if !d.top_quotes.is_empty() {
            t.push_str("top quotes:\n");
            for (who, text, n) in &d.top_quotes {
                t.push_str(&format!("  {n:>3}  {who}: \u{201c}{text}\u{201d}\n"));
            }
        }
        for m in &d.merges {
            t.push_str(&format!("merged: {} into {} (bridged by {})\n", m.from, m.into, m.doc));
        }
        write!(out, "{}", presswatch_text::escape_controls(&t, true))?;
    }
    finish(out)
}

pub(super) fn compare(store: &dyn StoreRead, args: &CompareArgs) -> Result<ExitCode> {
    let Some(c) = presswatch_app::stories::compare(
        store,
        &args.outlet_a,
        &args.outlet_b,
        args.story.as_deref(),
        args.top,
    )?
    else {
        let message = format!("presswatch: no story {:?}", args.story.as_deref().unwrap_or(""));
        eprintln!("{}", presswatch_text::escape_controls(&message, false));
        return Ok(ExitCode::from(1));
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.csv {
        let cells: Vec<Vec<String>> = c
            .words
            .iter()
            .map(|w| {
                vec![
                    w.word.clone(),
                    format!("{:.4}", w.log_odds),
                    format!("{:.3}", w.z),
                    w.count_a.to_string(),
                    w.count_b.to_string(),
                ]
            })
            .collect();
        csv_out(&mut out, &["word", "log_odds", "z", "count_a", "count_b"], &cells)?;
    } else if args.jsonl {
        for w in &c.words {
            let row = json!({"word": w.word, "log_odds": w.log_odds, "z": w.z, "count_a": w.count_a, "count_b": w.count_b});
            serde_json::to_writer(&mut out, &row)?;
            out.write_all(b"\n")?;
        }
        for (x, a, b, all) in &c.by_day {
            let row = json!({"day": x.to_string(), "docs_a": a, "docs_b": b, "docs_all": all,
                "share_a": *a as f64 / (*all).max(1) as f64, "share_b": *b as f64 / (*all).max(1) as f64});
            serde_json::to_writer(&mut out, &row)?;
            out.write_all(b"\n")?;
        }
    } else {
        let mut t = format!(
            "A = {} ({} articles), B = {} ({} articles), of {} articles compared\n",
            args.outlet_a, c.docs_a, args.outlet_b, c.docs_b, c.docs_all
        );
        t.push_str(
            "distinctive words (weighted log-odds, informative Dirichlet prior; z > 0: A, z < 0: B):\n",
        );
        for w in &c.words {
            t.push_str(&format!("  {:>7.2}  {:<24} A {:>5}  B {:>5}\n", w.z, w.word, w.count_a, w.count_b));
        }
        t.push_str("coverage by day (articles of A, of B, of all; shares):\n");
        for (x, a, b, all) in &c.by_day {
            let all_n = (*all).max(1) as f64;
            t.push_str(&format!(
                "  {x}  A {a:>4} ({:>5.1}%)  B {b:>4} ({:>5.1}%)  all {all:>5}\n",
                100.0 * *a as f64 / all_n,
                100.0 * *b as f64 / all_n
            ));
        }
        write!(out, "{}", presswatch_text::escape_controls(&t, true))?;
    }
    finish(out)
}

fn finish(mut out: impl Write) -> Result<ExitCode> {
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the stories")?,
    }
    Ok(ExitCode::SUCCESS)
}
