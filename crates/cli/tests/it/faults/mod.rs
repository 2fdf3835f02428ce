//! The fault suite (issue 17 item 7): hostile inputs and faults an adversarial user would try,
//! run against the real binary. Decompression bombs and nesting, lying WARC headers and corrupt
//! members, UTF-16 variants, hostile titles and file names, special files, concurrent ingests,
//! `kill -9` during an ingest, a full disk, damaged blobs and rows, a store on read-only media.
//! (Library-level probes of the same faults: `crates/ingest/tests/it/faults_*.rs`, the store's
//! `kill -9` test in `crates/store/tests/it/crash.rs`.)
//!
//! None of these skips in CI: the full-disk and read-only-media tests need root (a tmpfs, a
//! read-only bind mount), which CI has; without root they say so and fall back (read-only
//! media: a directory without write permission) or skip with the reason printed (full disk).

mod bad_input;
mod bombs;
mod concurrent;
mod damage;
mod disk;
mod hostile;
mod kill;
mod wide;

pub(crate) use presswatch_testkit::gzip;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A JSON Lines file of `n` articles of a few paragraphs each, every one different from every
/// other (words drawn at random from a list by a generator seeded with `salt`), so none is a copy.
pub(crate) fn articles_jsonl(path: &Path, n: usize, salt: u64) {
    const WORDS: [&str; 48] = [
        "minister",
        "harbour",
        "budget",
        "river",
        "council",
        "election",
        "border",
        "factory",
        "drought",
        "railway",
        "senate",
        "protest",
        "vaccine",
        "market",
        "village",
        "treaty",
        "pipeline",
        "festival",
        "airport",
        "strike",
        "museum",
        "bridge",
        "satellite",
        "forest",
        "refinery",
        "court",
        "teacher",
        "wheat",
        "copper",
        "tunnel",
        "embassy",
        "hospital",
        "storm",
        "league",
        "reactor",
        "glacier",
        "orchestra",
        "mayor",
        "ferry",
        "tariff",
        "volcano",
        "archive",
        "clinic",
        "garrison",
        "lottery",
        "monsoon",
        "quarry",
        "stadium",
    ];
    let mut x = 0x2545_F491_4F6C_DD1D ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut word = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        WORDS[(x % WORDS.len() as u64) as usize]
    };
    let mut out = String::new();
    for i in 0..n {
        let mut paragraphs = Vec::new();
        for _ in 0..3 {
            let sentences: Vec<String> = (0..3)
                .map(|_| {
                    let words: Vec<&str> = (0..12).map(|_| word()).collect();
                    let mut s = words.join(" ");
                    s[..1].make_ascii_uppercase();
                    s + "."
                })
                .collect();
            paragraphs.push(sentences.join(" "));
        }
        let row =
            serde_json::json!({ "title": format!("Report {salt}-{i}"), "text": paragraphs.join("\n\n") });
        out.push_str(&row.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// A mount made for a test, unmounted when dropped (even when the test fails).
pub(crate) struct Mount {
    path: PathBuf,
}

fn mount(args: &[&str]) {
    let out = Command::new("mount").args(args).output().expect("run mount");
    assert!(out.status.success(), "mount {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

impl Mount {
    /// A tmpfs of `bytes` at `path` (root only).
    pub(crate) fn tmpfs(path: &Path, bytes: u64) -> Mount {
        std::fs::create_dir_all(path).unwrap();
        mount(&["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs", path.to_str().unwrap()]);
        Mount { path: path.to_path_buf() }
    }

    /// `source` seen read-only at `path`: a read-only bind mount, which refuses writes even to
    /// root, as read-only media do (root only).
    pub(crate) fn read_only_view(source: &Path, path: &Path) -> Mount {
        std::fs::create_dir_all(path).unwrap();
        let (source, target) = (source.to_str().unwrap(), path.to_str().unwrap());
        mount(&["--bind", source, target]);
        let view = Mount { path: path.to_path_buf() };
        mount(&["-o", "remount,bind,ro", target]);
        view
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}
