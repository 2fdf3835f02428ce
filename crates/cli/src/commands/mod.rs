//! One module per subcommand; each turns parsed arguments into calls on the library crates.

mod check;
mod copies;
mod entities;
mod explain;
mod export;
mod extract;
mod import;
mod ingest;
mod plot;
mod quotes;
mod reprocess;
mod search;
mod serve;
mod show;
mod stats;
mod stories;

use crate::cli::{Cli, Command};
use anyhow::{Context, Result};
use presswatch_store::AnyStore;
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let global = &cli.global;
    match &cli.command {
        Command::Ingest(args) => ingest::run(global, args),
        Command::Import(args) => import::run(global, args),
        Command::Export(args) => export::run(&open_reading(&global.store)?, args),
        Command::Show(args) => show::run(&open_reading(&global.store)?, args),
        Command::Copies(args) => copies::copies(&open_reading(&global.store)?, args),
        Command::Dups(args) => copies::dups(&open_reading(&global.store)?, args),
        Command::Stats(args) => stats::run(&open_reading(&global.store)?, args),
        Command::Check(args) => check::run(&open_reading(&global.store)?, args),
        Command::Reprocess(args) => reprocess::run(&mut open_existing(&global.store)?, global, args),
        Command::Extract(args) => extract::run(args),
        Command::Search(args) => search::run(&global.store, args),
        Command::Reindex => search::reindex(&mut open_existing(&global.store)?, global),
        Command::Quotes(args) if !args.paths.is_empty() => quotes::files(args),
        Command::Quotes(args) => quotes::run(&open_reading(&global.store)?, args),
        Command::Entities(args) if !args.paths.is_empty() => entities::files(args),
        Command::Entities(args) => entities::list(&open_reading(&global.store)?, args),
        Command::Entity(args) => entities::one(&open_reading(&global.store)?, args),
        Command::WhoSaid(args) => quotes::who_said(&open_reading(&global.store)?, args),
        Command::Serve(args) => serve::run(global, args),
        Command::Stories(args) => stories::list(&open_reading(&global.store)?, args),
        Command::Story(args) => stories::one(&open_reading(&global.store)?, args),
        Command::Compare(args) => stories::compare(&open_reading(&global.store)?, args),
        Command::Plot(command) => plot::run(&open_reading(&global.store)?, command),
    }
}

/// Opens a store that must already exist: commands that only read (or re-derive) it never create
/// one, so a mistyped `--store` is an error, not an empty result.
fn open_existing(dir: &Path) -> Result<AnyStore> {
    require_store(dir)?;
    open_store(dir)
}

fn require_store(dir: &Path) -> Result<()> {
    // A PostgreSQL database is there or not as the server says: opening it tells.
    if AnyStore::is_postgres(dir) {
        return Ok(());
    }
    if !dir.join(presswatch_store::DATABASE_FILE).is_file() {
        anyhow::bail!(
            "no store at {} (ingest something first, or point --store / PRESSWATCH_STORE at an existing store)",
            dir.display()
        );
    }
    Ok(())
}

/// Opens an existing store for a command that only reads it: read-only, so it works on
/// read-only media and cannot change the store. A store on an older schema is migrated first
/// (that needs write access once).
fn open_reading(dir: &Path) -> Result<AnyStore> {
    require_store(dir)?;
    match AnyStore::open_read_only(dir) {
        Err(presswatch_store::StoreError::NeedsMigration { .. }) => open_store(dir),
        opened => opened.with_context(|| format!("cannot open the store at {} for reading", redacted(dir))),
    }
}

pub(crate) fn open_store(dir: &Path) -> Result<AnyStore> {
    AnyStore::open(dir).with_context(|| {
        format!(
            "cannot open the store at {} (set it with --store DIR, --store postgres://..., or PRESSWATCH_STORE)",
            redacted(dir)
        )
    })
}

/// A store location for messages: a PostgreSQL URL without its password.
fn redacted(location: &Path) -> String {
    AnyStore::display(location)
}

/// The plain-text evaluation modes (`quotes --jsonl FILE...`, `entities --jsonl FILE...`): for
/// each file, its text exactly as read (invalid UTF-8 replaced) goes to `row`, which returns the
/// JSON line's fields besides `id` (the file name without `.txt`). An unreadable file is one
/// stderr line and exit status 2; the others go on.
pub(crate) fn text_files(
    paths: &[std::path::PathBuf],
    row: &dyn Fn(&str) -> serde_json::Map<String, serde_json::Value>,
) -> Result<ExitCode> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut rejected = false;
    for path in paths {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                let message = format!("presswatch: {}: {e}", path.display());
                eprintln!("{}", presswatch_text::escape_controls(&message, false));
                rejected = true;
                continue;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut line = serde_json::Map::new();
        line.insert("id".into(), name.strip_suffix(".txt").unwrap_or(&name).into());
        line.extend(row(&text));
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if rejected { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
