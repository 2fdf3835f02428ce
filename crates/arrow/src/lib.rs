//! presswatch's articles as Arrow record batches: the export's schema as Arrow types
//! ([`schema`]), articles to batches and back, and (feature `parquet`) the Spark job's Parquet
//! output read back as records and articles (`output`) for `presswatch import`.
//!
//! One mapping for every user: the Python extension (crates/python) writes its batches with
//! it, the job's Parquet holds those batches, and the import reads them with it again, so a
//! field added to the export changes one function here.
//!
//! Not for: running stages (crates/pipeline), storing (crates/store).
//!
//! ```
//! use presswatch_arrow::{articles_from_batch, articles_to_batch, schema};
//! let batch = articles_to_batch(&[]).unwrap();
//! assert_eq!(batch.schema(), schema::article_schema());
//! assert!(articles_from_batch(&batch).unwrap().is_empty());
//! ```

#[cfg(feature = "parquet")]
pub mod output;
pub mod schema;

use arrow_array::{Array, RecordBatch};
use presswatch_model::ArticleView;
use std::sync::Arc;

/// What can go wrong turning articles into batches and back.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A column the function needs is missing or of another type.
    #[error("column `{0}`: missing, or not of the expected type ({1})")]
    Column(&'static str, &'static str),
    /// Arrow could not build or read a batch.
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// A row does not read back as the type asked for.
    #[error("article row: {0}")]
    Json(#[from] serde_json::Error),
    /// A directory or file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The directory or file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A directory given as the job's output has no `articles/` directory.
    #[error("{}: not the Spark job's output (no articles/ directory of Parquet files)", .0.display())]
    NotJobOutput(std::path::PathBuf),
    /// Parquet could not write a file.
    #[cfg(feature = "parquet")]
    #[error("parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// The column `name` of `batch`, if it has one.
pub fn column<'a>(batch: &'a RecordBatch, name: &str) -> Option<&'a Arc<dyn Array>> {
    batch.schema().index_of(name).ok().map(|i| batch.column(i))
}

/// Articles as a batch of [`schema::article_schema`] (the export's fields, in its order).
pub fn articles_to_batch(articles: &[ArticleView]) -> Result<RecordBatch, Error> {
    rows_to_batch(schema::article_schema(), articles)
}

/// Serializable rows as a batch of `schema`, through their JSON form (`arrow-json`'s decoder):
/// the field names and types of the export are the serde forms of the model's types.
pub fn rows_to_batch<S: serde::Serialize>(
    schema: arrow_schema::SchemaRef,
    rows: &[S],
) -> Result<RecordBatch, Error> {
    let mut decoder =
        arrow_json::ReaderBuilder::new(schema.clone()).with_batch_size(rows.len().max(1)).build_decoder()?;
    decoder.serialize(rows)?;
    Ok(decoder.flush()?.unwrap_or_else(|| RecordBatch::new_empty(schema)))
}

/// Article rows ([`schema::article_schema`], or any batch with the record's fields) back as
/// articles: the inverse of [`articles_to_batch`].
pub fn articles_from_batch(batch: &RecordBatch) -> Result<Vec<ArticleView>, Error> {
    json_rows(batch)
}

/// The rows of a batch deserialized as `T`, through their JSON form (`arrow-json`'s writer).
pub fn json_rows<T: for<'de> serde::Deserialize<'de>>(batch: &RecordBatch) -> Result<Vec<T>, Error> {
    let mut buf = Vec::new();
    {
        let mut writer = arrow_json::ArrayWriter::new(&mut buf);
        writer.write(batch)?;
        writer.finish()?;
    }
    if buf.is_empty() {
        return Ok(Vec::new());
    }
    Ok(serde_json::from_slice(&buf)?)
}
