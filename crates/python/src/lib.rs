//! presswatch over Arrow record batches: the per-document pipeline (records in, article rows
//! out with the export's schema as Arrow types) and the provenance corpus stage's keys and
//! alignment, for a distributed runner. The Python extension (`presswatch_spark._native`,
//! feature `python`) exposes these functions to PySpark's `mapInArrow`; the Spark job itself
//! is `python/presswatch_spark`.
//!
//! Not for: reading files or paths (Spark reads them; [`split_files`] splits one file's bytes
//! into records, as `presswatch ingest` does), persistence (the job writes Parquet).
//!
//! The corpus step is [`link_component`]: the embedded store's provenance stage
//! (`presswatch_provenance::link_batch`) run on one connected component of documents that share
//! keys, in first-seen order, against an index of the component alone; the job finds the
//! components from [`key_rows`] (see `python/presswatch_spark/job.py`). Every document the stage
//! could nominate for a document is in its component, so the links, `derived_from`,
//! `dup_cluster` and `outlet_boilerplate` equal the embedded pipeline's.
//!
//! ```
//! use presswatch_python::{articles_from_batch, process_batch, records_to_batch};
//! let records = records_to_batch(&[("a.txt", None, b"Title\n\nA body of text, long enough to keep.".as_slice())]).unwrap();
//! let (articles, rejected) = process_batch(&records, 1).unwrap();
//! assert_eq!(articles.num_rows(), 1);
//! assert!(rejected.is_empty());
//! let back = articles_from_batch(&articles).unwrap();
//! assert_eq!(back[0].article.format.as_str(), "text");
//! ```

mod corpus;
#[cfg(feature = "python")]
mod py;

/// The Arrow schemas (records in, articles out, the corpus step's rows), from
/// `presswatch-arrow`, which holds the one mapping of the export to Arrow.
pub use presswatch_arrow::schema;
pub use presswatch_arrow::{articles_from_batch, articles_to_batch};
use presswatch_arrow::{column, json_rows, rows_to_batch};

use arrow_array::cast::AsArray;
use arrow_array::{Array, BinaryArray, Int64Array, RecordBatch, StringArray};
use presswatch_ingest::Limits;
use presswatch_model::{ArticleView, Format, Record};
use rayon::prelude::*;
use std::sync::Arc;

pub use corpus::{
    key_rows, link_component, link_components, ComponentDoc, CorpusRow, KEY_BLOCK, KEY_COPY, KEY_OTHER,
};

/// What can go wrong turning batches into documents and back.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Arrow mapping's error: a column missing or of another type, a batch Arrow could not
    /// build or read, a row that does not read back as an article.
    #[error(transparent)]
    Batch(#[from] presswatch_arrow::Error),
    /// A thread pool could not be built.
    #[error("thread pool: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
}

impl Error {
    /// The column `name` is missing or not of type `kind`.
    fn column(name: &'static str, kind: &'static str) -> Error {
        Error::Batch(presswatch_arrow::Error::Column(name, kind))
    }
}

impl From<arrow_schema::ArrowError> for Error {
    fn from(e: arrow_schema::ArrowError) -> Error {
        Error::Batch(e.into())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Error {
        Error::Batch(e.into())
    }
}

fn strings<'a>(batch: &'a RecordBatch, name: &'static str) -> Result<&'a StringArray, Error> {
    column(batch, name).and_then(|c| c.as_string_opt::<i32>()).ok_or_else(|| Error::column(name, "utf8"))
}

fn binaries<'a>(batch: &'a RecordBatch, name: &'static str) -> Result<&'a BinaryArray, Error> {
    column(batch, name).and_then(|c| c.as_binary_opt::<i32>()).ok_or_else(|| Error::column(name, "binary"))
}

fn opt_str(a: &StringArray, i: usize) -> Option<&str> {
    a.is_valid(i).then(|| a.value(i))
}

/// A batch of records ([`schema::record_schema`]) from `(source, format, bytes)`; mostly for
/// tests and benches (the job builds its batches in Spark).
pub fn records_to_batch(rows: &[(&str, Option<Format>, &[u8])]) -> Result<RecordBatch, Error> {
    let source = StringArray::from_iter_values(rows.iter().map(|r| r.0));
    let format: StringArray = rows.iter().map(|r| r.1.map(Format::as_str)).collect();
    let content = BinaryArray::from_iter_values(rows.iter().map(|r| r.2));
    Ok(RecordBatch::try_new(
        schema::record_schema(),
        vec![Arc::new(source), Arc::new(format), Arc::new(content)],
    )?)
}

/// A record that could not be read or processed: its source and the reason.
pub type Rejected = (String, String);

/// The records of a batch with `source`, `content` and (optionally) `format` columns. A row
/// without a known format is split as an input of its own ([`split_files`]'s detection), so a
/// row may give several records (a JSON Lines text in one cell) or a rejection.
fn records_of(batch: &RecordBatch) -> Result<Vec<Result<Record, Rejected>>, Error> {
    let source = strings(batch, "source")?;
    let content = binaries(batch, "content")?;
    let format = column(batch, "format").and_then(|c| c.as_string_opt::<i32>());
    let mut out = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        if content.is_null(i) {
            continue;
        }
        let name = source.value(i);
        match format.and_then(|f| opt_str(f, i)).and_then(Format::parse) {
            Some(f) => out.push(Ok(Record::new(name, f, content.value(i).to_vec()))),
            None => out.extend(
                presswatch_ingest::records(name, content.value(i), Limits::default())
                    .map(|r| r.map_err(|e| (e.source.clone(), e.reason.to_string()))),
            ),
        }
    }
    Ok(out)
}

/// Splits each file of a batch (`file`: its path, `content`: its bytes) into records as
/// `presswatch ingest` does (formats and compression detected from the content; JSON Lines,
/// JSON arrays and WARC give one record each, `file#N`), one row per record or rejection
/// ([`schema::split_schema`]), in input order.
pub fn split_files(batch: &RecordBatch) -> Result<RecordBatch, Error> {
    let file = strings(batch, "file")?;
    let content = binaries(batch, "content")?;
    let (mut files, mut numbers, mut sources, mut ids, mut formats, mut contents, mut rejected) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for i in 0..batch.num_rows() {
        let name = file.value(i);
        let bytes = if content.is_null(i) { &[][..] } else { content.value(i) };
        for (n, r) in presswatch_ingest::records(name, bytes, Limits::default()).enumerate() {
            files.push(name.to_string());
            numbers.push(n as i64 + 1);
            match r {
                Ok(record) => {
                    sources.push(record.source().to_string());
                    ids.push(Some(record.id().to_string()));
                    formats.push(Some(record.format().as_str()));
                    contents.push(Some(record.into_bytes()));
                    rejected.push(None);
                }
                Err(e) => {
                    sources.push(e.source.clone());
                    ids.push(None);
                    formats.push(None);
                    contents.push(None);
                    rejected.push(Some(e.reason.to_string()));
                }
            }
        }
    }
    let contents: BinaryArray = contents.iter().map(|c| c.as_deref()).collect();
    Ok(RecordBatch::try_new(
        schema::split_schema(),
        vec![
            Arc::new(StringArray::from(files)),
            Arc::new(Int64Array::from(numbers)),
            Arc::new(StringArray::from(sources)),
            Arc::new(StringArray::from(ids)),
            Arc::new(StringArray::from(formats)),
            Arc::new(contents),
            Arc::new(StringArray::from(rejected)),
        ],
    )?)
}

/// Runs the per-document pipeline (`presswatch_pipeline::process`: decode, extract, clean,
/// language, quotes, entities) on every record of `batch` ([`schema::record_schema`]) on
/// `threads` threads. Returns the articles ([`schema::article_schema`], the corpus fields empty:
/// they are the corpus step's) in input order, and the rejected records as `(source, reason)`.
pub fn process_batch(
    batch: &RecordBatch,
    threads: usize,
) -> Result<(RecordBatch, Vec<(String, String)>), Error> {
    let records = records_of(batch)?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build()?;
    let results: Vec<Result<ArticleView, Rejected>> = pool.install(|| {
        records
            .par_iter()
            .map(|r| match r {
                Ok(record) => presswatch_pipeline::process(record)
                    .map(ArticleView::new)
                    .map_err(|e| (e.source.clone(), e.reason.to_string())),
                Err(e) => Err(e.clone()),
            })
            .collect()
    });
    let mut articles = Vec::with_capacity(results.len());
    let mut rejected = Vec::new();
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(e) => rejected.push(e),
        }
    }
    Ok((articles_to_batch(&articles)?, rejected))
}
