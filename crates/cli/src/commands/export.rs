//! `presswatch export`: every article as JSON Lines or CSV (docs/schema.md).

use crate::cli::{ExportArgs, ExportFormat};
use anyhow::{Context, Result};
use presswatch_store::{Damage, DamageKind, StoreError, StoreRead};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use presswatch_app::export::{csv_row, spreadsheet_safe, CSV_HEADER};

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

/// Passes a writer error through the store's iteration unchanged.
fn callback(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Callback(Box::new(e))
}
