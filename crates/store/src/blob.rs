//! Raw record bytes as stored: one zstd frame per record in the `blobs` table, keyed by the
//! sha256 of the raw bytes, written in the same transaction as the rows that reference it.
//!
//! Also the one-time import of the blob files older stores kept under `blobs/ab/<sha256>.zst`.

use crate::StoreError;
use rusqlite::{params, Connection, TransactionBehavior};
use std::cell::RefCell;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// zstd level for raw bytes and article JSON. On 5.5 kB news records level 1 gives output about
/// 3% larger than the default level 3 for 20-40% less CPU, and CPU is what an ingest is short
/// of; negative levels saved little more CPU and gave up 6-15% of the size.
pub(crate) const ZSTD_LEVEL: i32 = 1;

/// Directory of the blob files of stores before schema version 3.
pub(crate) const LEGACY_BLOB_DIR: &str = "blobs";

/// Compresses with a context kept across calls (setting one up costs more than compressing a
/// small record).
pub(crate) struct Codec {
    compressor: zstd::bulk::Compressor<'static>,
}

impl Codec {
    pub(crate) fn new(db_path: &Path) -> Result<Self, StoreError> {
        let compressor = zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(|source| StoreError::Io {
            action: "set up zstd compression for",
            path: db_path.to_path_buf(),
            source,
        })?;
        Ok(Codec { compressor })
    }

    pub(crate) fn compress(&mut self, data: &[u8]) -> io::Result<Vec<u8>> {
        self.compressor.compress(data)
    }

    /// Compresses what `write` writes without holding it: `write` runs twice, once to count its
    /// bytes (the frame records its size, as [`Codec::compress`]'s do, which readers rely on)
    /// and once into the compressor. For a large value (an article of tens of MB) this spares
    /// a buffer the size of its serialization; a small one is cheaper buffered.
    pub(crate) fn compress_streamed(
        &mut self,
        write: impl Fn(&mut dyn io::Write) -> io::Result<()>,
    ) -> io::Result<Vec<u8>> {
        let mut counted = Counted(0);
        write(&mut counted)?;
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), ZSTD_LEVEL)?;
        encoder.include_contentsize(true)?;
        encoder.set_pledged_src_size(Some(counted.0))?;
        {
            let mut buffered = io::BufWriter::with_capacity(STREAM_BUFFER, &mut encoder);
            write(&mut buffered)?;
            io::Write::flush(&mut buffered)?;
        }
        encoder.finish()
    }
}

/// The buffer between a serializer and [`Codec::compress_streamed`]'s compressor (serializers
/// write a few bytes at a time).
const STREAM_BUFFER: usize = 1 << 16;

/// A writer that only counts the bytes written to it.
struct Counted(u64);

impl io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Decompresses with a context kept across calls (creating one costs as much as decompressing a
/// small article). Falls back to a fresh context if the kept one is busy (a re-entrant call).
pub(crate) struct Decoder {
    decompressor: RefCell<Option<zstd::bulk::Decompressor<'static>>>,
}

impl Decoder {
    pub(crate) fn new() -> Self {
        Decoder { decompressor: RefCell::new(None) }
    }

    /// Decompresses a zstd frame that must hold exactly `expected_len` bytes, allocating no more
    /// than that whatever size a damaged frame claims.
    pub(crate) fn decompress(&self, frame: &[u8], expected_len: u64) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        usize::try_from(expected_len)
            .ok()
            .and_then(|len| out.try_reserve_exact(len).ok())
            .ok_or_else(|| format!("cannot hold the {expected_len} bytes it claims"))?;
        let decompress = |d: &mut zstd::bulk::Decompressor<'static>, out: &mut Vec<u8>| {
            d.decompress_to_buffer(frame, out).map_err(|e| format!("cannot decompress: {e}"))
        };
        let written = match self.decompressor.try_borrow_mut() {
            Ok(mut kept) => {
                if kept.is_none() {
                    *kept = Some(new_decompressor()?);
                }
                match kept.as_mut() {
                    Some(d) => decompress(d, &mut out)?,
                    None => decompress(&mut new_decompressor()?, &mut out)?,
                }
            }
            Err(_) => decompress(&mut new_decompressor()?, &mut out)?,
        };
        if written as u64 != expected_len {
            return Err(format!("decompresses to {written} bytes, expected {expected_len}"));
        }
        Ok(out)
    }

    /// Decompresses a frame that records its content size (every frame this store writes).
    pub(crate) fn decompress_sized(&self, frame: &[u8]) -> Result<Vec<u8>, String> {
        match zstd::zstd_safe::get_frame_content_size(frame) {
            Ok(Some(len)) => self.decompress(frame, len),
            _ => Err("not a zstd frame that records its size".into()),
        }
    }

    /// Decodes a stored blob of `sha256`, checking its length and its content hash.
    pub(crate) fn decode_blob(
        &self,
        sha256: &str,
        expected_len: u64,
        raw_len: i64,
        frame: &[u8],
        db_path: &Path,
    ) -> Result<Vec<u8>, StoreError> {
        let corrupt = |detail: String| StoreError::CorruptBlob {
            sha256: sha256.to_string(),
            path: db_path.to_path_buf(),
            detail,
        };
        if u64::try_from(raw_len).ok() != Some(expected_len) {
            return Err(corrupt(format!("blob row says {raw_len} bytes, its document {expected_len}")));
        }
        let out = self.decompress(frame, expected_len).map_err(corrupt)?;
        let actual = presswatch_model::ContentHash::of(&out).to_hex();
        if actual != sha256 {
            return Err(corrupt(format!("content hashes to {actual}")));
        }
        Ok(out)
    }
}

fn new_decompressor() -> Result<zstd::bulk::Decompressor<'static>, String> {
    zstd::bulk::Decompressor::new().map_err(|e| format!("cannot set up decompression: {e}"))
}

fn io_error(action: &'static str, path: &Path, source: io::Error) -> StoreError {
    StoreError::Io { action, path: path.to_path_buf(), source }
}

fn list_dir(dir: &Path) -> Result<Vec<(PathBuf, bool)>, StoreError> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| io_error("list blob directory", dir, e))? {
        let entry = entry.map_err(|e| io_error("list blob directory", dir, e))?;
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        out.push((entry.path(), is_dir));
    }
    out.sort();
    Ok(out)
}

/// What a file of a legacy blob directory is.
enum LegacyFile {
    /// `<sha256>.zst`: a blob.
    Blob(String),
    /// `.<...>.tmp`: an unfinished write of a crashed writer.
    Temp,
    Other,
}

fn classify(path: &Path) -> LegacyFile {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return LegacyFile::Other;
    };
    if name.starts_with('.') && name.ends_with(".tmp") {
        return LegacyFile::Temp;
    }
    match name.strip_suffix(".zst") {
        Some(sha) if crate::is_full_sha256(sha) => LegacyFile::Blob(sha.to_string()),
        _ => LegacyFile::Other,
    }
}

/// Moves the blob files of a store older than schema version 3 into the `blobs` table, then
/// removes them. Blobs no document references (left by batches that never committed) and
/// temporary files are dropped. Runs in one transaction under the write lock, and again at the
/// next open if it was interrupted, so every step is idempotent: a blob already in the table is
/// kept as it is, files are removed only after the commit. Files it does not recognise are left
/// in place (and so is the directory). Returns how many blobs were moved.
pub(crate) fn import_legacy_blobs(conn: &mut Connection, dir: &Path) -> Result<usize, StoreError> {
    let root = dir.join(LEGACY_BLOB_DIR);
    if !root.is_dir() {
        return Ok(0);
    }
    let db = crate::sqlite::db;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db("starting the blob import", e))?;
    let mut shards = Vec::new();
    let mut removable = Vec::new();
    let mut moved = 0;
    {
        let mut byte_len = tx
            .prepare("SELECT byte_len FROM documents WHERE sha256 = ?1")
            .map_err(|e| db("preparing the blob import", e))?;
        let mut insert = tx
            .prepare("INSERT OR IGNORE INTO blobs (sha256, raw_len, zstd) VALUES (?1, ?2, ?3)")
            .map_err(|e| db("preparing the blob import", e))?;
        for (shard, is_dir) in list_dir(&root)? {
            if !is_dir {
                continue;
            }
            for (path, is_dir) in list_dir(&shard)? {
                if is_dir {
                    continue;
                }
                match classify(&path) {
                    LegacyFile::Other => {}
                    LegacyFile::Temp => removable.push(path),
                    LegacyFile::Blob(sha) => {
                        let len: Option<i64> = match byte_len.query_row([&sha], |row| row.get(0)) {
                            Ok(len) => Some(len),
                            Err(rusqlite::Error::QueryReturnedNoRows) => None,
                            Err(e) => return Err(db("looking up a document", e)),
                        };
                        if let Some(len) = len {
                            // Copied as it is: a damaged file stays detectable (reads verify).
                            let frame = fs::read(&path).map_err(|e| io_error("read blob", &path, e))?;
                            moved += insert
                                .execute(params![sha, len, frame])
                                .map_err(|e| db("importing a blob", e))?;
                        }
                        removable.push(path);
                    }
                }
            }
            shards.push(shard);
        }
    }
    tx.commit().map_err(|e| db("committing the blob import", e))?;
    tracing::info!(moved, root = %root.display(), "moved blob files into the database");
    for path in &removable {
        if let Err(e) = fs::remove_file(path) {
            tracing::warn!(path = %path.display(), error = %e, "cannot remove an imported blob file");
        }
    }
    for dir in shards.iter().chain(std::iter::once(&root)) {
        // Fails on a directory that still holds files this store does not recognise: keep them.
        if let Err(e) = fs::remove_dir(dir) {
            tracing::warn!(path = %dir.display(), error = %e, "cannot remove a legacy blob directory");
        }
    }
    Ok(moved)
}
