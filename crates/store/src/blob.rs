//! The content-addressed blob directory: `blobs/ab/<sha256>.zst`, one zstd frame per record.
//!
//! A blob is either complete or absent: it is written to a temporary file in its final directory,
//! made durable, and only then renamed to its final name. Durability is paid once per batch
//! (`syncfs` on Linux) instead of once per file, which is what makes 100k-record ingests fast.

use crate::StoreError;
use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// zstd level for blobs: level 3 is zstd's default, fast to write and well under the size of
/// gzip on HTML.
const ZSTD_LEVEL: i32 = 3;

/// Temporary files start with this and end with [`TMP_SUFFIX`]; nothing else in the blob tree
/// does, so leftovers of a crash are easy to recognise.
const TMP_PREFIX: &str = ".";
const TMP_SUFFIX: &str = ".tmp";

/// The blobs of one batch on their way in: [`BlobStore::plan`], [`BlobStore::write`],
/// [`BlobStore::publish`] (or [`BlobStore::abandon`]).
pub(crate) struct BlobBatch<'a> {
    /// (temporary path, final path) of each blob to write.
    files: Vec<(PathBuf, PathBuf)>,
    contents: Vec<&'a [u8]>,
    touched_dirs: BTreeSet<PathBuf>,
    /// How many of `files` are already renamed to their final path.
    renamed: usize,
}

pub(crate) struct BlobStore {
    root: PathBuf,
    /// One compressor per writer thread, kept across batches.
    compressors: Vec<zstd::bulk::Compressor<'static>>,
    /// Shard directories known to exist, to skip `create_dir` syscalls.
    known_dirs: HashSet<String>,
    tmp_counter: u64,
}

fn io_error(action: &'static str, path: &Path, source: io::Error) -> StoreError {
    StoreError::Io { action, path: path.to_path_buf(), source }
}

impl BlobStore {
    pub(crate) fn open(root: PathBuf) -> Result<Self, StoreError> {
        fs::create_dir_all(&root).map_err(|e| io_error("create blob directory", &root, e))?;
        Ok(BlobStore { root, compressors: Vec::new(), known_dirs: HashSet::new(), tmp_counter: 0 })
    }

    /// Where the blob of `sha256` lives. `sha256` must be a validated full sha256 (64 lowercase
    /// hex digits), which is what keeps the path inside the store.
    pub(crate) fn path(&self, sha256: &str) -> PathBuf {
        let shard = sha256.get(..2).unwrap_or("00");
        self.root.join(shard).join(format!("{sha256}.zst"))
    }

    /// Reads and decompresses a blob, checking its length (when known) and its sha256.
    pub(crate) fn read(&self, sha256: &str, expected_len: u64) -> Result<Vec<u8>, StoreError> {
        let path = self.path(sha256);
        let corrupt = |detail: String| StoreError::CorruptBlob {
            sha256: sha256.to_string(),
            path: path.clone(),
            detail,
        };
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::MissingBlob { sha256: sha256.to_string(), path })
            }
            Err(e) => return Err(io_error("open blob", &path, e)),
        };
        let decoder = zstd::stream::read::Decoder::new(file)
            .map_err(|e| corrupt(format!("cannot start decompression: {e}")))?;
        // Read at most one byte more than expected: a damaged frame must not make us allocate
        // whatever size it claims.
        let mut out = Vec::with_capacity(usize::try_from(expected_len).unwrap_or(0).min(1 << 26));
        decoder
            .take(expected_len.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| corrupt(format!("cannot decompress: {e}")))?;
        if out.len() as u64 != expected_len {
            return Err(corrupt(if out.len() as u64 > expected_len {
                format!("decompresses to more than the expected {expected_len} bytes")
            } else {
                format!("decompresses to {} bytes, expected {expected_len}", out.len())
            }));
        }
        let actual = presswatch_model::sha256_hex(&out);
        if actual != sha256 {
            return Err(corrupt(format!("content hashes to {actual}")));
        }
        Ok(out)
    }

    /// Plans writing the blobs of `items` (sha256, raw bytes): blobs already present and intact
    /// are left out (a blob is never rewritten); a damaged file at a blob's path (possible only
    /// for an unreferenced blob, e.g. after disk damage) will be replaced. Creates the shard
    /// directories.
    pub(crate) fn plan<'a>(&mut self, items: &[(&str, &'a [u8])]) -> Result<BlobBatch<'a>, StoreError> {
        let mut batch = BlobBatch {
            files: Vec::with_capacity(items.len()),
            contents: Vec::with_capacity(items.len()),
            touched_dirs: BTreeSet::new(),
            renamed: 0,
        };
        for &(sha256, bytes) in items {
            let final_path = self.path(sha256);
            if final_path.exists() {
                match self.read(sha256, bytes.len() as u64) {
                    Ok(_) => continue,
                    Err(e) => tracing::warn!(error = %e, "replacing a damaged unreferenced blob"),
                }
            }
            let dir = match self.ensure_shard_dir(sha256, &mut batch.touched_dirs) {
                Ok(dir) => dir,
                Err(e) => {
                    self.known_dirs.clear();
                    return Err(e);
                }
            };
            self.tmp_counter += 1;
            let tmp = dir.join(format!(
                "{TMP_PREFIX}{sha256}.{}.{}{TMP_SUFFIX}",
                std::process::id(),
                self.tmp_counter
            ));
            batch.touched_dirs.insert(dir);
            batch.files.push((tmp, final_path));
            batch.contents.push(bytes);
        }
        Ok(batch)
    }

    /// Compresses the planned blobs into their temporary files. CPU and syscall bound, so it is
    /// spread over a few threads.
    pub(crate) fn write(&mut self, batch: &BlobBatch<'_>) -> Result<(), StoreError> {
        if batch.files.is_empty() {
            return Ok(());
        }
        let threads = writer_threads(batch.files.len());
        while self.compressors.len() < threads {
            let compressor = zstd::bulk::Compressor::new(ZSTD_LEVEL)
                .map_err(|e| io_error("set up zstd compression for", &self.root, e))?;
            self.compressors.push(compressor);
        }
        if threads <= 1 {
            return match self.compressors.first_mut() {
                Some(compressor) => write_temp_files(compressor, &batch.files, &batch.contents),
                None => Ok(()),
            };
        }
        let chunk = batch.files.len().div_ceil(threads);
        let root = &self.root;
        let results: Vec<Result<(), StoreError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .files
                .chunks(chunk)
                .zip(batch.contents.chunks(chunk))
                .zip(self.compressors.iter_mut())
                .map(|((files, contents), compressor)| {
                    scope.spawn(move || write_temp_files(compressor, files, contents))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(thread_panicked(root)))).collect()
        });
        results.into_iter().collect()
    }

    /// Makes written blobs durable and visible under their final names: contents synced, then
    /// renamed, then the renames synced, so a final name never points at a partial file and every
    /// name exists on disk before the caller commits rows that reference it.
    pub(crate) fn publish(&self, batch: &mut BlobBatch<'_>) -> Result<usize, StoreError> {
        if batch.files.is_empty() {
            return Ok(0);
        }
        if BATCH_SYNC {
            sync_filesystem(&self.root)?;
        }
        for (tmp, final_path) in &batch.files {
            fs::rename(tmp, final_path).map_err(|e| io_error("rename temporary blob to", final_path, e))?;
            batch.renamed += 1;
        }
        if BATCH_SYNC {
            sync_filesystem(&self.root)?;
        } else {
            for dir in &batch.touched_dirs {
                sync_dir(dir)?;
            }
        }
        Ok(batch.files.len())
    }

    /// Cleans up after a batch that failed: removes its temporary files. Blobs it already
    /// published stay: they are complete, and reused by the next attempt.
    pub(crate) fn abandon(&mut self, batch: BlobBatch<'_>) {
        // Whatever went wrong may have been a shard directory vanishing: check them again.
        self.known_dirs.clear();
        for (tmp, _) in batch.files.iter().skip(batch.renamed) {
            // Best effort: a leftover temporary file is swept by the next writer anyway.
            let _ = fs::remove_file(tmp);
        }
    }

    fn ensure_shard_dir(
        &mut self,
        sha256: &str,
        touched_dirs: &mut BTreeSet<PathBuf>,
    ) -> Result<PathBuf, StoreError> {
        let shard = sha256.get(..2).unwrap_or("00");
        let dir = self.root.join(shard);
        if !self.known_dirs.contains(shard) {
            match fs::create_dir(&dir) {
                Ok(()) => {
                    // The new directory's own entry lives in the root.
                    touched_dirs.insert(self.root.clone());
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(e) => return Err(io_error("create blob directory", &dir, e)),
            }
            self.known_dirs.insert(shard.to_string());
        }
        Ok(dir)
    }

    /// Removes temporary files left by writers that died mid-batch. Call only while holding the
    /// store's write lock, so no live writer's temp file can be removed.
    pub(crate) fn sweep_temp_files(&self) -> Result<usize, StoreError> {
        let mut removed = 0;
        let entries = fs::read_dir(&self.root).map_err(|e| io_error("list blob directory", &self.root, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error("list blob directory", &self.root, e))?;
            let dir = entry.path();
            if !entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                continue;
            }
            let files = fs::read_dir(&dir).map_err(|e| io_error("list blob directory", &dir, e))?;
            for file in files {
                let file = file.map_err(|e| io_error("list blob directory", &dir, e))?;
                let name = file.file_name();
                let name = name.to_string_lossy();
                if name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX) {
                    let path = file.path();
                    fs::remove_file(&path).map_err(|e| io_error("remove temporary blob", &path, e))?;
                    removed += 1;
                }
            }
        }
        if removed > 0 {
            tracing::info!(removed, "removed temporary blob files left by an interrupted ingest");
        }
        Ok(removed)
    }
}

/// Compresses `contents` into the temporary files of `paths` (pairwise).
fn write_temp_files(
    compressor: &mut zstd::bulk::Compressor<'static>,
    paths: &[(PathBuf, PathBuf)],
    contents: &[&[u8]],
) -> Result<(), StoreError> {
    for ((tmp, _), data) in paths.iter().zip(contents) {
        let compressed = compressor.compress(data).map_err(|e| io_error("compress blob", tmp, e))?;
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(tmp)
            .map_err(|e| io_error("create temporary blob", tmp, e))?;
        file.write_all(&compressed).map_err(|e| io_error("write temporary blob", tmp, e))?;
        if !BATCH_SYNC {
            file.sync_all().map_err(|e| io_error("sync temporary blob", tmp, e))?;
        }
    }
    Ok(())
}

fn thread_panicked(root: &Path) -> StoreError {
    io_error("write blobs into", root, io::Error::other("a blob writer thread panicked"))
}

/// How many threads write a batch's blobs: enough to overlap syscalls, never more than the
/// cores, and one for small batches where starting threads costs more than it saves.
fn writer_threads(blobs: usize) -> usize {
    if blobs < 64 {
        return 1;
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    cores.clamp(1, 4)
}

/// On Linux one `syncfs` per phase replaces an `fsync` per file: same guarantee, a fraction of
/// the journal commits.
const BATCH_SYNC: bool = cfg!(target_os = "linux");

#[cfg(target_os = "linux")]
fn sync_filesystem(path: &Path) -> Result<(), StoreError> {
    use std::os::fd::AsRawFd;
    let dir = File::open(path).map_err(|e| io_error("open for syncing", path, e))?;
    // SAFETY: `dir` is an open file descriptor for the duration of the call; syncfs only reads it.
    let rc = unsafe { libc::syncfs(dir.as_raw_fd()) };
    if rc != 0 {
        return Err(io_error("sync the filesystem of", path, io::Error::last_os_error()));
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_filesystem(_path: &Path) -> Result<(), StoreError> {
    Ok(())
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        let f = File::open(dir).map_err(|e| io_error("open directory for syncing", dir, e))?;
        f.sync_all().map_err(|e| io_error("sync directory", dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
