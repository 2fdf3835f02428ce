//! A progress bar on a terminal; nothing when stderr is piped or `--quiet` is given.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub(crate) fn bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// A bar counting documents (of `total`), drawn as [`bar`] is.
pub(crate) fn documents(total: u64, quiet: bool) -> ProgressBar {
    let bar = self::bar(total, quiet);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} documents (eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Prints a line on stderr without tearing the progress bar. Control characters (of file names,
/// of scraped text in a reason) are escaped, so one message is one line and drives no terminal.
pub(crate) fn eprint_line(bar: &ProgressBar, line: &str) {
    bar.suspend(|| eprintln!("{}", presswatch_text::escape_controls(line, false)));
}

/// The app's progress reports on a bar: units advance it, rejections are one stderr line each.
pub(crate) struct Bar(pub ProgressBar);

impl presswatch_app::Progress for Bar {
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }

    fn stored(&self, documents: u64) {
        self.0.set_message(format!("{documents} documents stored"));
    }

    fn rejected(&self, source: &str, reason: &str) {
        eprint_line(&self.0, &format!("presswatch: {source}: {reason}"));
    }
}
