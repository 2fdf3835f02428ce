//! `presswatch quotes`: who said what, from the store or from plain-text files.

use super::export::spreadsheet_safe;
use crate::cli::QuotesArgs;
use anyhow::{Context, Result};
use presswatch_app::read::{QuoteFilter, QuoteView};
use presswatch_model::{Published, Span};
use presswatch_store::{StoreError, StoreRead};
use serde_json::json;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

const CSV_HEADER: [&str; 9] =
    ["article", "published", "outlet", "speaker", "mention", "kind", "cue", "language", "text"];

pub(super) fn run(store: &dyn StoreRead, args: &QuotesArgs) -> Result<ExitCode> {
    let since = match &args.since {
        Some(s) => Some(s.parse::<Published>().map_err(|e| anyhow::anyhow!("--since {s:?}: {e}"))?),
        None => None,
    };
    let filter = QuoteFilter { speaker: args.speaker.clone(), since };
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

fn csv_row(q: &QuoteView) -> [String; 9] {
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
    ]
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
    })
}

/// One line: date, article, speaker and the words, with control characters made visible.
fn text_row(q: &QuoteView) -> String {
    let date = q.published.map(|p| p.day().to_string()).unwrap_or_else(|| "          ".into());
    let line = format!(
        "{date}  {}  {} ({}): \u{201c}{}\u{201d}",
        q.article,
        speaker(q),
        q.quote.kind.as_str(),
        q.text
    );
    presswatch_text::escape_controls(&line, false).into_owned()
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
