//! CLI path expansion: files as given, directories walked in sorted order.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::{RejectReason, Rejection};

fn io_rejection(path: &Path, e: &std::io::Error) -> Rejection {
    Rejection::new(path.display().to_string(), RejectReason::Io(e.to_string()))
}

/// Expands CLI paths: files as given, directories walked recursively in sorted order (hidden
/// entries skipped, each real directory visited once so symlink loops end), `-` kept as stdin.
/// Unreadable paths come back as `Err` entries in their place, so they can be reported.
///
/// Only regular files (and `-`) come back as `Ok`: a FIFO, socket or device file, whether named
/// explicitly or met inside a directory, is never opened (a FIFO without a writer would block
/// the batch forever) and comes back as an `Err` naming the path and its kind
/// ([`RejectReason::NotRegularFile`]).
pub fn expand_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, Rejection>> {
    let mut out = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Ok(path.clone()));
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => out.push(Err(io_rejection(path, &e))),
            Ok(m) if m.is_dir() => walk(path, &mut visited, &mut out),
            Ok(m) => out.push(regular_file(path, &m)),
        }
    }
    out
}

/// `Ok` for a regular file; a rejection naming what else the path is.
fn regular_file(path: &Path, meta: &std::fs::Metadata) -> Result<PathBuf, Rejection> {
    if meta.is_file() {
        return Ok(path.to_path_buf());
    }
    let kind = special_kind(&meta.file_type()).to_string();
    Err(Rejection::new(path.display().to_string(), RejectReason::NotRegularFile { kind }))
}

#[cfg(unix)]
fn special_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "FIFO (named pipe)"
    } else if t.is_socket() {
        "socket"
    } else if t.is_block_device() {
        "block device"
    } else if t.is_char_device() {
        "character device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "special file"
}

/// Depth-first walk with an explicit stack (no recursion), entries in byte order of their names.
fn walk(root: &Path, visited: &mut HashSet<PathBuf>, out: &mut Vec<Result<PathBuf, Rejection>>) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        match std::fs::canonicalize(&dir) {
            Ok(real) => {
                if !visited.insert(real) {
                    tracing::debug!(dir = %dir.display(), "directory already visited (symlink loop?)");
                    continue;
                }
            }
            Err(e) => {
                out.push(Err(io_rejection(&dir, &e)));
                continue;
            }
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) => {
                out.push(Err(io_rejection(&dir, &e)));
                continue;
            }
        };
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => names.push(e.file_name()),
                Err(e) => out.push(Err(io_rejection(&dir, &e))),
            }
        }
        names.sort();
        let mut subdirs = Vec::new();
        for name in names {
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = dir.join(&name);
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => subdirs.push(path),
                Ok(m) => out.push(regular_file(&path, &m)),
                Err(e) => out.push(Err(io_rejection(&path, &e))),
            }
        }
        // Files of a directory come before its subdirectories; subdirectories in sorted order.
        stack.extend(subdirs.into_iter().rev());
    }
}
