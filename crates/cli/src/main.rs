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
    match commands::run(cli) {
        Ok(status) => status,
        Err(err) => {
            let message = format!("presswatch: error: {err:#}");
            eprintln!("{}", presswatch_text::escape_controls(&message, false));
            ExitCode::from(1)
        }
    }
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
