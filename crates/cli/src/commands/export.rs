//! `presswatch export`: every article as JSON Lines or CSV (docs/schema.md).

use crate::cli::{ExportArgs, ExportFormat};
use anyhow::{Context, Result};
use presswatch_model::ArticleView;
use presswatch_store::{Damage, DamageKind, StoreError, StoreRead};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

/// CSV columns: the scalar export fields; lists joined with "; " (`derived_from` as
/// "ID KIND SHARE" items), blocks/images/removed and evidence left to JSONL.
const CSV_HEADER: [&str; 18] = [
    "id",
    "source",
    "sha256",
    "format",
    "title",
    "published",
    "authors",
    "outlet",
    "url",
    "section",
    "tags",
    "language",
    "text",
    "extractor_version",
    "dup_cluster",
    "derived_from",
    "story",
    "story_label",
];

pub(super) fn run(store: &dyn StoreRead, args: &ExportArgs) -> Result<ExitCode> {
    let out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(
            std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let mut damaged = 0u64;
    let mut report = |damage: Damage| {
        damaged += 1;
        report_damage(&damage);
    };
    match args.format {
        ExportFormat::Jsonl => {
            presswatch_app::read::export_or_damage(store, &mut |record| {
                let Some(record) = record.map_err(&mut report).ok() else { return Ok(()) };
                serde_json::to_writer(&mut out, &record).map_err(callback)?;
                out.write_all(b"\n").map_err(callback)
            })?;
        }
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            csv.write_record(CSV_HEADER)?;
            let guard = !args.csv_raw;
            presswatch_app::read::export_or_damage(store, &mut |record| {
                let Some(record) = record.map_err(&mut report).ok() else { return Ok(()) };
                let row = csv_row(&record);
                let row = row.iter().map(|cell| if guard { spreadsheet_safe(cell) } else { cell.into() });
                csv.write_record(row.collect::<Vec<std::borrow::Cow<'_, str>>>().iter().map(|c| c.as_bytes()))
                    .map_err(callback)
            })?;
            csv.flush()?;
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the export")?,
    }
    Ok(if damaged > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// One stderr line for a stored row that could not be read back and was left out of the export:
/// an article, or a link (the articles it joins are exported without it).
fn report_damage(damage: &Damage) {
    let doc = damage.doc.map_or_else(|| "?".to_string(), |d| d.to_string());
    let source = damage.source.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
    let (what, repair) = match damage.kind {
        DamageKind::Index => ("a link of article", "rebuilds the links"),
        _ => ("article", "re-derives it"),
    };
    let line = format!(
        "presswatch: {what} {doc}{source}: left out of the export, its stored row is unreadable: {}; \
         `presswatch reprocess` {repair}",
        damage.detail
    );
    eprintln!("{}", presswatch_text::escape_controls(&line, false));
}

fn csv_row(r: &ArticleView) -> [String; 18] {
    let opt = |s: Option<String>| s.unwrap_or_default();
    [
        r.id.to_string(),
        r.source.clone(),
        r.sha256.to_hex(),
        r.format.to_string(),
        opt(r.meta.title.clone()),
        opt(r.meta.published.map(|p| p.to_string())),
        r.meta.authors.join("; "),
        opt(r.meta.outlet.as_ref().map(ToString::to_string)),
        opt(r.meta.url.clone()),
        opt(r.meta.section.clone()),
        r.meta.tags.join("; "),
        opt(r.meta.language.as_ref().map(ToString::to_string)),
        r.text.clone(),
        r.extractor_version.clone(),
        opt(r.dup_cluster.map(|c| c.to_string())),
        r.derived_from
            .iter()
            .map(|d| format!("{} {} {:.3}", d.id, d.kind, d.reused_share))
            .collect::<Vec<_>>()
            .join("; "),
        opt(r.story.as_ref().map(|s| s.id.to_string())),
        opt(r.story.as_ref().map(|s| s.label.clone())),
    ]
}

/// A CSV cell a spreadsheet will show, not run: a cell that starts like a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return; OWASP's list) gets a leading `'`, and control characters other than
/// newlines and tabs are written as visible escapes (`\u{1b}`). `--csv-raw` turns this off.
pub(super) fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let escaped = presswatch_text::escape_controls(cell, true);
    if escaped.starts_with(['=', '+', '-', '@', '\t']) {
        return format!("'{escaped}").into();
    }
    escaped
}

/// Passes a writer error through the store's iteration unchanged.
fn callback(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Callback(Box::new(e))
}
