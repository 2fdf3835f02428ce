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
/// Regular files, `-`, and FIFOs named explicitly (`presswatch ingest <(zcat dump.gz)`) come back
/// as `Ok`; open them with [`open_input`], which waits a bounded time for a FIFO's writer. A
/// socket or device file, or a FIFO met inside a directory, is never opened and comes back as an
/// `Err` naming the path and its kind ([`RejectReason::NotRegularFile`]).
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
            Ok(m) if is_fifo(&m) => out.push(Ok(path.clone())),
            Ok(m) => out.push(regular_file(path, &m)),
        }
    }
    out
}

/// How long [`open_input`] waits, by default, for a named pipe to have a writer with data.
pub const FIFO_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Opens an input path for reading. A FIFO is opened without blocking and read only once a
/// writer has connected (data or end of input within `fifo_wait`); otherwise it is refused
/// ([`RejectReason::NoWriter`]), so a pipe nobody writes to cannot hang the batch.
pub fn open_input(path: &Path, fifo_wait: std::time::Duration) -> Result<std::fs::File, Rejection> {
    let meta = std::fs::metadata(path).map_err(|e| io_rejection(path, &e))?;
    if !is_fifo(&meta) {
        return std::fs::File::open(path).map_err(|e| io_rejection(path, &e));
    }
    open_fifo(path, fifo_wait)
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn open_fifo(path: &Path, wait: std::time::Duration) -> Result<std::fs::File, Rejection> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| io_rejection(path, &e))?;
    let fd = file.as_raw_fd();
    let mut poll = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    let millis = libc::c_int::try_from(wait.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: `poll` points at one valid pollfd for the duration of the call.
    let ready = unsafe { libc::poll(&mut poll, 1, millis) };
    if ready <= 0 {
        let millis = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        return Err(Rejection::new(path.display().to_string(), RejectReason::NoWriter { millis }));
    }
    // A writer is there: read it as an ordinary blocking file from now on.
    // SAFETY: fcntl on a descriptor this function owns, with flags read from it just before.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
    Ok(file)
}

#[cfg(not(unix))]
fn open_fifo(path: &Path, _: std::time::Duration) -> Result<std::fs::File, Rejection> {
    std::fs::File::open(path).map_err(|e| io_rejection(path, &e))
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
