//! Ingest: inputs -> records -> pipeline -> store, in batches.
//!
//! Three things overlap: reading and splitting inputs (the calling thread), the pure pipeline and
//! the provenance tokens/keys on a batch (the worker pool), and matching the previous batch
//! against the store's provenance index and writing it (a writer thread owning the write
//! handle). The reading side looks records up through a second, read-only handle so records
//! already stored are skipped before any processing.

use crate::linking::{LinkCache, Prepared};
use crate::{linking, AppError, Progress};
use presswatch_ingest::{Limits, Rejection};
use presswatch_model::{ArticleRecord, Record};
use presswatch_store::{Ingested, PutOutcome, Store, StoreError, StoreRead};
use rayon::ThreadPool;
use std::collections::HashSet;
use std::io::Read;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// How to ingest.
#[derive(Debug, Clone, Copy)]
pub struct IngestOptions {
    /// Limits on a single record.
    pub limits: Limits,
    /// Records processed and stored together (one transaction each); at least 1.
    pub batch_size: usize,
    /// How long a named pipe given as an input may take to get a writer before it is refused
    /// (so a pipe nobody writes to cannot hang the batch).
    pub fifo_wait: std::time::Duration,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { limits: Limits::default(), batch_size: 512, fifo_wait: presswatch_ingest::FIFO_WAIT }
    }
}

/// What an ingest run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Inputs (files, `-`) read.
    pub inputs: u64,
    /// New documents stored.
    pub added: u64,
    /// Records whose bytes were stored already (earlier, or earlier in this run).
    pub already_present: u64,
    /// Records already stored whose stored raw bytes were missing or damaged, and were written
    /// again from this input.
    pub restored: u64,
    /// Inputs and records rejected.
    pub rejected: u64,
    /// Bytes of all records read.
    pub bytes: u64,
}

/// The inputs under some paths, expanded, and their total size (for a progress bar).
pub struct Inputs {
    /// Each input file (or `-`), or why a path was rejected.
    pub inputs: Vec<Result<PathBuf, Rejection>>,
    /// Sum of the sizes of the input files (0 for stdin).
    pub total_bytes: u64,
}

/// Expands directories and globs under `paths` into input files.
pub fn inputs(paths: &[PathBuf]) -> Inputs {
    let inputs = presswatch_ingest::expand_paths(paths);
    let total_bytes = inputs
        .iter()
        .filter_map(|p| p.as_ref().ok())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    Inputs { inputs, total_bytes }
}

/// Work for the writer thread, in input order.
enum Write {
    /// Processed documents and their provenance tokens/keys (computed in parallel; the writer
    /// matches them against the store in order).
    Batch(Vec<Ingested>, Vec<Prepared>),
    Rejections(Vec<(String, String)>),
    /// Records of stored documents whose raw bytes are missing or damaged in the store.
    Restore(Vec<Record>),
}

/// What the writer thread stored (and what an import stored).
#[derive(Default)]
pub(crate) struct Written {
    pub(crate) added: u64,
    pub(crate) already_present: u64,
    pub(crate) restored: u64,
}

impl Written {
    pub(crate) fn count(&mut self, outcomes: &[PutOutcome]) {
        for outcome in outcomes {
            match outcome {
                PutOutcome::Added => self.added += 1,
                PutOutcome::AlreadyPresent => self.already_present += 1,
                PutOutcome::Restored => self.restored += 1,
            }
        }
    }
}

/// Ingests `inputs`: `writer` stores (on its own thread), `lookup` (another handle on the same
/// store, so lookups never wait on a write) answers which records are stored already. Rejections go to `progress` as they happen.
pub fn ingest<W, R>(
    writer: &mut W,
    lookup: &R,
    inputs: Vec<Result<PathBuf, Rejection>>,
    options: IngestOptions,
    pool: &ThreadPool,
    progress: &dyn Progress,
) -> Result<Summary, AppError>
where
    W: Store,
    R: StoreRead,
{
    let inputs = inputs.into_iter().map(|i| i.map(Input::Path)).collect();
    ingest_inputs(writer, lookup, inputs, options, pool, progress)
}

/// One input of [`ingest_readers`]: a source name and its bytes as a reader (an upload).
pub struct NamedReader {
    /// The source name the records are stored under (as a path would be).
    pub name: String,
    /// The input's bytes (compressed or not, any format `ingest` reads).
    pub reader: Box<dyn Read + Send>,
}

/// Like [`ingest`], for inputs that are not files: each is read from its reader and stored under
/// its name (a server's uploads). Everything else is the same, so an upload and a file with the
/// same bytes are the same document.
pub fn ingest_readers<W, R>(
    writer: &mut W,
    lookup: &R,
    inputs: Vec<NamedReader>,
    options: IngestOptions,
    pool: &ThreadPool,
    progress: &dyn Progress,
) -> Result<Summary, AppError>
where
    W: Store,
    R: StoreRead,
{
    let inputs = inputs.into_iter().map(|i| Ok(Input::Reader(i))).collect();
    ingest_inputs(writer, lookup, inputs, options, pool, progress)
}

/// A path (`-` for stdin) or a named reader.
enum Input {
    Path(PathBuf),
    Reader(NamedReader),
}

fn ingest_inputs<W, R>(
    writer: &mut W,
    lookup: &R,
    inputs: Vec<Result<Input, Rejection>>,
    options: IngestOptions,
    pool: &ThreadPool,
    progress: &dyn Progress,
) -> Result<Summary, AppError>
where
    W: Store,
    R: StoreRead,
{
    let (tx, rx) = sync_channel::<Write>(1);
    std::thread::scope(|scope| -> Result<Summary, AppError> {
        let writer = scope.spawn(move || write_all(writer, rx, progress));
        let mut run = Reader {
            lookup,
            tx,
            pool,
            progress,
            batch_size: options.batch_size.max(1),
            pending: Vec::new(),
            seen: HashSet::new(),
            summary: Summary::default(),
        };
        let read = run.read_inputs(inputs, &options);
        let Reader { tx, summary, .. } = run;
        drop(tx);
        let written = writer.join().map_err(|_| AppError::WriterPanicked)?;
        read?;
        let written = written?;
        Ok(Summary {
            added: written.added,
            already_present: summary.already_present + written.already_present,
            restored: written.restored,
            ..summary
        })
    })
}

/// The writer thread: applies writes in order.
fn write_all<W: Store>(
    store: &mut W,
    rx: Receiver<Write>,
    progress: &dyn Progress,
) -> Result<Written, AppError> {
    let mut written = Written::default();
    let cache = LinkCache::default();
    for job in rx {
        match job {
            Write::Rejections(r) => store.record_rejections(&r)?,
            Write::Batch(batch, prepared) => {
                written.count(&linking::store_batch(store, &cache, batch, prepared)?);
                progress.stored(written.added);
            }
            Write::Restore(records) => written.count(&store.restore_blobs(&records)?),
        }
    }
    Ok(written)
}

struct Reader<'a, R> {
    lookup: &'a R,
    tx: SyncSender<Write>,
    pool: &'a ThreadPool,
    progress: &'a dyn Progress,
    batch_size: usize,
    pending: Vec<Record>,
    /// First 128 bits of the hashes seen in this run, so a record repeated inside the run is
    /// processed once (a set of full hex strings would cost 6x the memory on big inputs).
    seen: HashSet<u128>,
    summary: Summary,
}

/// Counts bytes read into the progress.
struct Counting<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

impl<R: StoreRead> Reader<'_, R> {
    fn read_inputs(
        &mut self,
        inputs: Vec<Result<Input, Rejection>>,
        options: &IngestOptions,
    ) -> Result<(), AppError> {
        for input in inputs {
            let path = match input {
                Ok(Input::Path(path)) => path,
                Ok(Input::Reader(NamedReader { name, reader })) => {
                    self.summary.inputs += 1;
                    let reader = Counting { inner: reader, progress: self.progress };
                    self.read_records(&name, reader, options)?;
                    continue;
                }
                Err(rejection) => {
                    self.reject(&rejection.source, &rejection.reason.to_string());
                    continue;
                }
            };
            self.summary.inputs += 1;
            let name = path.display().to_string();
            let reader: Box<dyn Read + '_> = if name == "-" {
                Box::new(std::io::stdin().lock())
            } else {
                match presswatch_ingest::open_input(&path, options.fifo_wait) {
                    Ok(f) => Box::new(Counting { inner: f, progress: self.progress }),
                    Err(rejection) => {
                        self.reject(&rejection.source, &rejection.reason.to_string());
                        continue;
                    }
                }
            };
            self.read_records(&name, reader, options)?;
        }
        self.flush();
        Ok(())
    }

    /// Splits one input into records and takes each.
    fn read_records(
        &mut self,
        name: &str,
        reader: impl Read,
        options: &IngestOptions,
    ) -> Result<(), AppError> {
        for item in presswatch_ingest::records(name, reader, options.limits) {
            match item {
                Ok(record) => self.accept(record)?,
                Err(rejection) => self.reject(&rejection.source, &rejection.reason.to_string()),
            }
        }
        Ok(())
    }

    fn accept(&mut self, record: Record) -> Result<(), AppError> {
        self.summary.bytes += record.bytes().len() as u64;
        let hash = record.hash();
        let mut head = [0u8; 16];
        head.copy_from_slice(&hash.as_bytes()[..16]);
        let key = u128::from_be_bytes(head);
        if self.seen.contains(&key) {
            self.summary.already_present += 1;
            return Ok(());
        }
        self.seen.insert(key);
        if self.lookup.contains(&hash)? {
            // Stored already; the input restores its raw bytes if the store lost or damaged them.
            match self.lookup.raw(&hash) {
                Ok(_) => self.summary.already_present += 1,
                Err(StoreError::CorruptBlob { .. } | StoreError::MissingBlob { .. }) => {
                    self.send(Write::Restore(vec![record]))
                }
                Err(e) => return Err(e.into()),
            }
            return Ok(());
        }
        self.pending.push(record);
        if self.pending.len() >= self.batch_size {
            self.flush();
        }
        Ok(())
    }

    fn reject(&mut self, source: &str, reason: &str) {
        self.summary.rejected += 1;
        self.progress.rejected(source, reason);
        self.send(Write::Rejections(vec![(source.to_string(), reason.to_string())]));
    }

    fn send(&self, write: Write) {
        // A closed channel means the writer stopped on an error, which join() reports.
        let _ = self.tx.send(write);
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let records = std::mem::take(&mut self.pending);
        let results = presswatch_pipeline::process_batch(self.pool, &records);
        let mut batch = Vec::with_capacity(records.len());
        for (record, result) in records.into_iter().zip(results) {
            match result {
                Ok(article) => batch.push(Ingested { record, article }),
                Err(rejection) => self.reject(&rejection.source, &rejection.reason.to_string()),
            }
        }
        let articles: Vec<&ArticleRecord> = batch.iter().map(|i| &i.article).collect();
        let prepared = linking::prepare_batch(self.pool, &articles);
        self.send(Write::Batch(batch, prepared));
    }
}
