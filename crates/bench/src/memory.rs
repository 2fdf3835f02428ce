//! `presswatch-bench memory`: peak RSS of the release `presswatch` binary on the largest records
//! it accepts (issue 17: at most 4x the record). Two inputs are generated into a temporary
//! directory: one JSON Lines record whose text is ~60 MB of article-like prose (under the
//! 64 MiB record limit), and a ~50 MB HTML page whose body is one paragraph, a single text node.
//! Each is run through `presswatch ingest` (into a fresh store) and `presswatch extract` as a
//! child process, whose peak RSS is read from its /proc status (VmHWM, the kernel's high-water
//! mark) until it exits.

use anyhow::{bail, Context, Result};
use presswatch_bench::corpus::Corpus;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn run(presswatch: Option<PathBuf>, jsonl_mb: usize, html_mb: usize) -> Result<()> {
    let presswatch = match presswatch {
        Some(p) => p,
        None => std::env::current_exe()?.with_file_name("presswatch"),
    };
    if !presswatch.is_file() {
        bail!(
            "no presswatch binary at {} (build it: cargo build --release -p presswatch, or pass --presswatch)",
            presswatch.display()
        );
    }
    let dir = tempfile::tempdir()?;
    let mut corpus = Corpus::new(17);

    let jsonl = dir.path().join("one-record.jsonl");
    let record = serde_json::json!({
        "url": "https://news.example.com/2026/12/06/long-read",
        "title": "A very long read",
        "text": corpus.prose(jsonl_mb * 1_000_000, false),
    });
    std::fs::write(&jsonl, format!("{record}\n"))?;
    drop(record);

    let html = dir.path().join("one-paragraph.html");
    let page = format!(
        "<!DOCTYPE html><html><head><title>A very long page</title></head><body><p>{}</p></body></html>\n",
        corpus.prose(html_mb * 1_000_000, true)
    );
    std::fs::write(&html, page)?;

    println!("{:<34} {:>10} {:>10} {:>9}", "case", "input MB", "peak MB", "multiple");
    for (name, input) in [("JSONL, one record", &jsonl), ("HTML, one text node", &html)] {
        let size = std::fs::metadata(input)?.len();
        let store =
            dir.path().join(format!("store-{}", input.file_stem().unwrap_or_default().to_string_lossy()));
        let ingest: Vec<&std::ffi::OsStr> = vec![
            "--quiet".as_ref(),
            "--store".as_ref(),
            store.as_os_str(),
            "ingest".as_ref(),
            input.as_os_str(),
        ];
        let extract: Vec<&std::ffi::OsStr> = vec!["extract".as_ref(), input.as_os_str()];
        for (command, args) in [("ingest", ingest), ("extract", extract)] {
            let (peak, secs) = peak_rss(&presswatch, &args)?;
            println!(
                "{:<34} {:>10.1} {:>10.0} {:>8.1}x   ({secs:.1} s)",
                format!("{name}: {command}"),
                size as f64 / 1e6,
                peak as f64 / 1e6,
                peak as f64 / size as f64
            );
        }
    }
    Ok(())
}

/// Runs `program args` (output discarded) and returns its peak RSS in bytes and its time.
fn peak_rss(program: &Path, args: &[&std::ffi::OsStr]) -> Result<(u64, f64)> {
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak = 0u64;
    // VmHWM only grows, so the last reading before the child exits is its peak (the peak
    // comes mid-run, long before the last few milliseconds).
    let status = loop {
        if let Some(kb) = std::fs::read_to_string(&status_file).ok().as_deref().and_then(vm_hwm_kb) {
            peak = peak.max(kb * 1024);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    if !status.success() {
        bail!("{} {:?} failed: {status}", program.display(), args);
    }
    if peak == 0 {
        bail!("no peak RSS read for {} (no /proc?)", program.display());
    }
    Ok((peak, started.elapsed().as_secs_f64()))
}

/// The `VmHWM:` figure of a /proc status, in kB.
fn vm_hwm_kb(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}
