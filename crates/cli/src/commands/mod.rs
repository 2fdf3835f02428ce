//! One module per subcommand; each turns parsed arguments into calls on the library crates.

mod copies;
mod export;
mod extract;
mod ingest;
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
        Command::Export(args) => export::run(&open_existing(&global.store)?, args),
        Command::Show(args) => show::run(&open_existing(&global.store)?, args),
        Command::Copies(args) => copies::copies(&open_existing(&global.store)?, args),
        Command::Dups(args) => copies::dups(&open_existing(&global.store)?, args),
        Command::Stats(args) => stats::run(&open_existing(&global.store)?, args),
        Command::Reprocess => {
            reprocess::run(&mut open_existing(&global.store)?, global.threads, global.quiet)
        }
        Command::Extract(args) => extract::run(args),
    }
}

/// Opens a store that must already exist: commands that only read (or re-derive) it never create
/// one, so a mistyped `--store` is an error, not an empty result.
fn open_existing(dir: &Path) -> Result<SqliteStore> {
    if !dir.join(presswatch_store::DATABASE_FILE).is_file() {
        anyhow::bail!(
            "no store at {} (ingest something first, or point --store / PRESSWATCH_STORE at an existing store)",
            dir.display()
        );
    }
    open_store(dir)
}

pub(crate) fn open_store(dir: &Path) -> Result<SqliteStore> {
    SqliteStore::open(dir).with_context(|| {
        format!("cannot open the store at {} (set it with --store DIR or PRESSWATCH_STORE)", dir.display())
    })
}
