//! One module per subcommand; each turns parsed arguments into calls on the library crates.

mod check;
mod copies;
mod entities;
mod export;
mod extract;
mod ingest;
mod quotes;
mod reprocess;
mod show;
mod stats;

use crate::cli::{Cli, Command};
use anyhow::{Context, Result};
use presswatch_store::SqliteStore;
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let global = &cli.global;
    match &cli.command {
        Command::Ingest(args) => ingest::run(global, args),
        Command::Export(args) => export::run(&open_reading(&global.store)?, args),
        Command::Show(args) => show::run(&open_reading(&global.store)?, args),
        Command::Copies(args) => copies::copies(&open_reading(&global.store)?, args),
        Command::Dups(args) => copies::dups(&open_reading(&global.store)?, args),
        Command::Stats(args) => stats::run(&open_reading(&global.store)?, args),
        Command::Check(args) => check::run(&open_reading(&global.store)?, args),
        Command::Reprocess(args) => reprocess::run(&mut open_existing(&global.store)?, global, args),
        Command::Extract(args) => extract::run(args),
        Command::Quotes(args) if !args.paths.is_empty() => quotes::files(args),
        Command::Quotes(args) => quotes::run(&open_reading(&global.store)?, args),
        Command::Entities(args) if !args.paths.is_empty() => entities::files(args),
        Command::Entities(args) => entities::list(&open_reading(&global.store)?, args),
        Command::Entity(args) => entities::one(&open_reading(&global.store)?, args),
    }
}

/// Opens a store that must already exist: commands that only read (or re-derive) it never create
/// one, so a mistyped `--store` is an error, not an empty result.
fn open_existing(dir: &Path) -> Result<SqliteStore> {
    require_store(dir)?;
    open_store(dir)
}

fn require_store(dir: &Path) -> Result<()> {
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
fn open_reading(dir: &Path) -> Result<SqliteStore> {
    require_store(dir)?;
    match SqliteStore::open_read_only(dir) {
        Err(presswatch_store::StoreError::NeedsMigration { .. }) => open_store(dir),
        opened => opened.with_context(|| format!("cannot open the store at {} for reading", dir.display())),
    }
}

pub(crate) fn open_store(dir: &Path) -> Result<SqliteStore> {
    SqliteStore::open(dir).with_context(|| {
        format!("cannot open the store at {} (set it with --store DIR or PRESSWATCH_STORE)", dir.display())
    })
}
