//! `presswatch quotes`: who said what, from the store or from plain-text files.

use crate::cli::{QuotesArgs, WhoSaidArgs};
use anyhow::{Context, Result};
use presswatch_app::export::spreadsheet_safe;
use presswatch_app::quote_groups::{AlteredView, Appearance, GroupView};
use presswatch_app::read::{QuoteFilter, QuoteView, Segment};
use presswatch_model::{Published, Span};
use presswatch_store::{StoreError, StoreRead};
use serde_json::json;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

const CSV_HEADER: [&str; 14] = [
    "article",
    "published",
    "outlet",
    "speaker",
    "mention",
    "kind",
    "cue",
    "language",
    "text",
    "id",
    "group",
    "appearances",
    "altered_from",
    "diff",
];

pub(super) fn run(store: &dyn StoreRead, args: &QuotesArgs) -> Result<ExitCode> {
    let since = match &args.since {
        Some(s) => Some(s.parse::<Published>().map_err(|e| anyhow::anyhow!("--since {s:?}: {e}"))?),
        None => None,
    };
    let filter = QuoteFilter { speaker: args.speaker.clone(), since, altered: args.altered };
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.csv {
        let mut csv = csv::Writer::from_writer(&mut out);
        csv.write_record(CSV_HEADER)?;
        presswatch_app::read::quotes(store, &filter, &mut |q| {
            let row = csv_row(&q);
            csv.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned())).map_err(callback)
        })?;
        csv.flush()?;
    } else {
        presswatch_app::read::quotes(store, &filter, &mut |q| {
            if args.jsonl {
                serde_json::to_writer(&mut out, &json_row(&q)).map_err(callback)?;
                out.write_all(b"\n").map_err(callback)
            } else {
                writeln!(out, "{}", text_row(&q)).map_err(callback)
            }
        })?;
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the quotes")?,
    }
    Ok(ExitCode::SUCCESS)
}

fn speaker(q: &QuoteView) -> String {
    q.quote.speaker.name.clone().or_else(|| q.mention.clone()).unwrap_or_else(|| "(unknown)".into())
}

fn csv_row(q: &QuoteView) -> [String; 14] {
    let opt = |s: Option<String>| s.unwrap_or_default();
    [
        q.article.to_string(),
        opt(q.published.map(|p| p.to_string())),
        opt(q.outlet.as_ref().map(ToString::to_string)),
        opt(q.quote.speaker.name.clone()),
        opt(q.mention.clone()),
        q.quote.kind.as_str().to_string(),
        opt(q.quote.cue_lemma.clone()),
        opt(q.quote.language.as_ref().map(ToString::to_string)),
        q.text.clone(),
        q.id.to_string(),
        q.group.to_string(),
        q.appearances.to_string(),
        opt(q.altered.as_ref().map(|a| a.from.to_string())),
        opt(q.altered.as_ref().map(inline_diff)),
    ]
}

/// A diff in one line, git's word-diff style: `[-cut-]` words of the first appearance,
/// `{+added+}` words of this one.
pub(super) fn inline_diff(a: &AlteredView) -> String {
    let mark = |segments: &[Segment], open: &str, close: &str| {
        segments
            .iter()
            .map(|s| if s.changed { format!("{open}{}{close}", s.text) } else { s.text.clone() })
            .collect::<String>()
    };
    // Changed words in a row read as one change: "[-a b-]", not "[-a-] [-b-]".
    let first = mark(&a.first, "[-", "-]").replace("-] [-", " ");
    let this = mark(&a.this, "{+", "+}").replace("+} {+", " ");
    let mut out = format!("{first} => {this}");
    if a.speaker_changed {
        out.push_str(&format!(" (speaker was {})", a.first_speaker.as_deref().unwrap_or("unnamed")));
    }
    out
}

fn altered_json(a: &AlteredView) -> serde_json::Value {
    let segments =
        |v: &[Segment]| v.iter().map(|s| json!({"text": s.text, "changed": s.changed})).collect::<Vec<_>>();
    json!({
        "altered_from": a.from.to_string(),
        "words_changed": a.words_changed,
        "speaker_changed": a.speaker_changed,
        "first_speaker": a.first_speaker,
        "diff": {"first": segments(&a.first), "this": segments(&a.this)},
    })
}

fn json_row(q: &QuoteView) -> serde_json::Value {
    json!({
        "article": q.article.to_string(),
        "published": q.published.map(|p| p.to_string()),
        "outlet": q.outlet.as_ref().map(ToString::to_string),
        "text": q.text,
        "content": q.quote.content,
        "cue": q.quote.cue,
        "cue_lemma": q.quote.cue_lemma,
        "speaker": q.quote.speaker,
        "mention": q.mention,
        "kind": q.quote.kind,
        "language": q.quote.language,
        "id": q.id.to_string(),
        "group": q.group.to_string(),
        "appearances": q.appearances,
        "altered_from": q.altered.as_ref().map(|a| a.from.to_string()),
        "alteration": q.altered.as_ref().map(altered_json),
    })
}

/// One line: date, article, speaker and the words, with control characters made visible.
fn text_row(q: &QuoteView) -> String {
    let date = q.published.map(|p| p.day().to_string()).unwrap_or_else(|| "          ".into());
    let mut line = format!(
        "{date}  {}  {} ({}): \u{201c}{}\u{201d}",
        q.article,
        speaker(q),
        q.quote.kind.as_str(),
        q.text
    );
    if q.appearances > 1 {
        line.push_str(&format!("  [group {}, {} appearances]", q.group, q.appearances));
    }
    let mut line = presswatch_text::escape_controls(&line, false).into_owned();
    if let Some(a) = &q.altered {
        line.push_str("\n            altered: ");
        line.push_str(&presswatch_text::escape_controls(&inline_diff(a), false));
    }
    line
}

const WHO_SAID_CSV_HEADER: [&str; 10] =
    ["group", "id", "published", "seen", "outlet", "speaker", "role", "altered_from", "text", "diff"];

/// `presswatch who-said TEXT`: the groups of the quotes holding TEXT, and their spread.
pub(super) fn who_said(store: &dyn StoreRead, args: &WhoSaidArgs) -> Result<ExitCode> {
    let text = args.text.join(" ");
    let groups = presswatch_app::quote_groups::who_said(store, &text)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.csv {
        let mut csv = csv::Writer::from_writer(&mut out);
        csv.write_record(WHO_SAID_CSV_HEADER)?;
        for g in &groups {
            for (i, a) in g.appearances.iter().enumerate() {
                let row = [
                    g.id.to_string(),
                    a.id.to_string(),
                    a.published.map(|p| p.to_string()).unwrap_or_default(),
                    a.seen.map(|s| s.to_string()).unwrap_or_default(),
                    a.outlet.as_ref().map(ToString::to_string).unwrap_or_default(),
                    a.speaker.clone().unwrap_or_default(),
                    role(i, a).to_string(),
                    a.altered.as_ref().map(|x| x.from.to_string()).unwrap_or_default(),
                    a.text.clone(),
                    a.altered.as_ref().map(inline_diff).unwrap_or_default(),
                ];
                csv.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
            }
        }
        csv.flush()?;
    } else if args.jsonl {
        for g in &groups {
            serde_json::to_writer(&mut out, &group_json(g))?;
            out.write_all(b"\n")?;
        }
    } else if groups.is_empty() {
        writeln!(out, "no stored quote holds these words")?;
    } else {
        for g in &groups {
            write!(out, "{}", presswatch_text::escape_controls(&group_text(g), true))?;
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the quotes")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// What an appearance is in its group: the first, a repeat, or an alteration.
fn role(i: usize, a: &Appearance) -> &'static str {
    match (i, &a.altered) {
        (0, _) => "first",
        (_, Some(_)) => "altered",
        _ => "repeated",
    }
}

fn group_json(g: &GroupView) -> serde_json::Value {
    let appearances: Vec<_> = g
        .appearances
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({
                "id": a.id.to_string(),
                "role": role(i, a),
                "published": a.published.map(|p| p.to_string()),
                "seen": a.seen,
                "outlet": a.outlet.as_ref().map(ToString::to_string),
                "speaker": a.speaker,
                "text": a.text,
                "altered_from": a.altered.as_ref().map(|x| x.from.to_string()),
                "alteration": a.altered.as_ref().map(altered_json),
            })
        })
        .collect();
    json!({"group": g.id.to_string(), "appearances": appearances})
}

/// A group, readable: the first appearance, then each repeat and alteration with its diff.
pub(super) fn group_text(g: &GroupView) -> String {
    let mut s = String::new();
    let Some(first) = g.appearances.first() else { return s };
    s.push_str(&format!("\u{201c}{}\u{201d}\n", first.text));
    s.push_str(&format!("  group {}, {} appearance(s)\n", g.id, g.appearances.len()));
    for (i, a) in g.appearances.iter().enumerate() {
        let date = a.published.map(|p| p.to_string()).unwrap_or_else(|| "(no date)".into());
        let outlet = a.outlet.as_ref().map(ToString::to_string).unwrap_or_else(|| "(no outlet)".into());
        let who = a.speaker.as_deref().unwrap_or("(unnamed)");
        s.push_str(&format!("  {:<9} {date}  {outlet}  {}  {who}\n", role(i, a), a.id));
        if let Some(x) = &a.altered {
            s.push_str(&format!("            {}\n", inline_diff(x)));
        }
    }
    s
}

/// The evaluation mode: plain-text files, no store, offsets into each file's text as read.
pub(super) fn files(args: &QuotesArgs) -> Result<ExitCode> {
    super::text_files(&args.paths, &|text| {
        let language = presswatch_lang::detect(text).and_then(|d| presswatch_model::Language::new(d.code));
        let quotes = presswatch_quotes::quotes_in_text(text, language.as_ref());
        let span = |s: Option<Span>| s.map(<[usize; 2]>::from);
        let quotes: Vec<_> = quotes
            .iter()
            .map(|q| {
                json!({
                    "content": q.content,
                    "speaker": span(q.speaker.mention),
                    "speaker_name": q.speaker.name,
                    "cue": span(q.cue),
                    "kind": q.kind,
                })
            })
            .collect();
        serde_json::Map::from_iter([("quotes".to_string(), json!(quotes))])
    })
}

/// Passes a writer error through the store's iteration unchanged.
fn callback(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Callback(Box::new(e))
}
