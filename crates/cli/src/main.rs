//! The `presswatch` command: thin wiring of the pipeline crates to a terminal.

mod cli;
mod commands;
mod progress;

use clap::Parser;
use std::process::ExitCode;

/// Exit status of a usage error (sysexits' EX_USAGE).
const USAGE_ERROR: u8 = 64;

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version print and succeed; a usage error gets its own status (64,
            // EX_USAGE), apart from 2, which says an input was rejected.
            let usage = err.use_stderr();
            let _ = err.print();
            return ExitCode::from(if usage { USAGE_ERROR } else { 0 });
        }
    };
    init_logging(cli.global.verbose, cli.global.quiet);
    let checking = matches!(cli.command, cli::Command::Check(_));
    match commands::run(cli) {
        Ok(status) => status,
        Err(err) => {
            let hint = if is_damage(&err) && !checking {
                "; `presswatch check` lists what is damaged in the store and what repairs it"
            } else {
                ""
            };
            let message = format!("presswatch: error: {err:#}{hint}");
            eprintln!("{}", presswatch_text::escape_controls(&message, false));
            ExitCode::from(1)
        }
    }
}

/// Whether an error comes from damage in the store (a row or blob that cannot be read back, or
/// a damaged database file), which `presswatch check` diagnoses.
fn is_damage(err: &anyhow::Error) -> bool {
    use presswatch_store::StoreError;
    err.chain().any(|e| {
        match (e.downcast_ref::<StoreError>(), e.downcast_ref::<presswatch_app::AppError>()) {
            (Some(e), _) | (_, Some(presswatch_app::AppError::Store(e))) => e.is_damage(),
            _ => false,
        }
    })
}

fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::WARN,
        (false, 1) => tracing::Level::INFO,
        (false, 2) => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .init();
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`presswatch export | head`) would be an
/// error at every print; like other Unix filters, presswatch should just stop quietly instead.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
