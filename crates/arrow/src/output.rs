//! The Spark job's output directory read back (and written, for tests and other producers):
//! `articles/` (Parquet, [`schema::article_output_schema`]: the export's fields and each
//! article's raw record bytes) and `rejected/` (Parquet, [`schema::rejected_schema`]).
//!
//! Files are read in file-name order (Spark names them `part-00000-...`, in the order of the
//! job's sort by first seen), rows in file order, so the articles come out in first-seen order.
//! A file or row that cannot be read is a [`BadInput`] naming it, and reading goes on with the
//! next row or file: one damaged part never costs the rest of a cluster run.

use crate::{articles_to_batch, column, json_rows, schema, Error};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, BinaryArray, RecordBatch};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use presswatch_model::{ArticleView, Record};
use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The subdirectory of the job's output holding the articles.
pub const ARTICLES_DIR: &str = "articles";
/// The subdirectory of the job's output holding the rejected records.
pub const REJECTED_DIR: &str = "rejected";

/// One article of the job's output with the record it was derived from (its raw bytes, source
/// and format), checked to belong together: the bytes hash to the article's `sha256` and id.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The input record, rebuilt from the row's `raw`, `source` and `format`.
    pub record: Record,
    /// The article row as written (the corpus fields are the job's).
    pub article: ArticleView,
}

/// A Parquet file, or a row of one, that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadInput {
    /// The Parquet file.
    pub file: PathBuf,
    /// The row (from 1, within the file), when one row is bad rather than the file.
    pub row: Option<u64>,
    /// What is wrong, in words.
    pub reason: String,
}

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(row) => write!(f, "{}: row {row}: {}", self.file.display(), self.reason),
            None => write!(f, "{}: {}", self.file.display(), self.reason),
        }
    }
}

/// The Parquet files of a job's output directory, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOutput {
    /// `articles/*.parquet`, by file name.
    pub articles: Vec<PathBuf>,
    /// `rejected/*.parquet`, by file name (none when the directory is missing).
    pub rejected: Vec<PathBuf>,
}

impl JobOutput {
    /// Finds the Parquet files under `dir` (the job's `--out`). `dir/articles` must be a
    /// directory; Spark's marker and checksum files (`_SUCCESS`, `.*.crc`) are not data.
    pub fn open(dir: &Path) -> Result<JobOutput, Error> {
        let articles = dir.join(ARTICLES_DIR);
        if !articles.is_dir() {
            return Err(Error::NotJobOutput(dir.to_path_buf()));
        }
        let rejected = dir.join(REJECTED_DIR);
        Ok(JobOutput {
            articles: parquet_files(&articles)?,
            rejected: if rejected.is_dir() { parquet_files(&rejected)? } else { Vec::new() },
        })
    }

    /// The articles, in first-seen order, each checked against its raw bytes; bad files and
    /// rows in between as [`BadInput`]s. Streams: one Parquet row group's batch at a time.
    pub fn articles(&self) -> ArticleRows {
        ArticleRows { files: self.articles.clone().into(), current: None, ready: VecDeque::new() }
    }

    /// How many article rows the files hold, from their footers (an unreadable file counts
    /// none): the size of a progress bar.
    pub fn article_rows(&self) -> u64 {
        self.articles
            .iter()
            .filter_map(|f| std::fs::File::open(f).ok())
            .filter_map(|f| ParquetRecordBatchReaderBuilder::try_new(f).ok())
            .map(|b| u64::try_from(b.metadata().file_metadata().num_rows()).unwrap_or(0))
            .sum()
    }

    /// The rejected records as `(source, reason)`, and the files that could not be read.
    pub fn rejected(&self) -> (Vec<(String, String)>, Vec<BadInput>) {
        let (mut rows, mut bad) = (Vec::new(), Vec::new());
        for file in &self.rejected {
            let mut read = 0;
            let result = open(file, &schema::rejected_schema()).and_then(|reader| {
                for batch in reader {
                    let batch = batch.map_err(|e| format!("unreadable after row {read}: {e}"))?;
                    read += batch.num_rows() as u64;
                    let text = |name| {
                        column(&batch, name)
                            .and_then(|c| c.as_string_opt::<i32>())
                            .ok_or_else(|| format!("column `{name}` is not text"))
                    };
                    let (source, reason) = (text("source")?, text("reason")?);
                    for i in (0..batch.num_rows()).filter(|&i| source.is_valid(i)) {
                        rows.push((source.value(i).to_string(), reason.value(i).to_string()));
                    }
                }
                Ok(())
            });
            if let Err(reason) = result {
                bad.push(BadInput { file: file.clone(), row: None, reason });
            }
        }
        (rows, bad)
    }
}

/// The `*.parquet` files directly in `dir`, by name.
fn parquet_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io { path: dir.to_path_buf(), source };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.ends_with(".parquet") && !name.starts_with(['.', '_']) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Opens a Parquet file whose columns include every field of `want` (by name; types are
/// checked row by row, as the rows are read).
fn open(file: &Path, want: &arrow_schema::Schema) -> Result<ParquetRecordBatchReader, String> {
    let f = std::fs::File::open(file).map_err(|e| e.to_string())?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(f)
        .map_err(|e| format!("not a readable Parquet file: {e}"))?;
    let have = builder.schema().clone();
    if let Some(missing) = want.fields().iter().find(|f| have.index_of(f.name()).is_err()) {
        return Err(format!("not the job's table: no column `{}`", missing.name()));
    }
    builder.build().map_err(|e| format!("not a readable Parquet file: {e}"))
}

/// The articles of the job's output files, one at a time ([`JobOutput::articles`]).
pub struct ArticleRows {
    files: VecDeque<PathBuf>,
    current: Option<FileRows>,
    ready: VecDeque<Result<Imported, BadInput>>,
}

struct FileRows {
    path: PathBuf,
    reader: ParquetRecordBatchReader,
    /// Rows read from the file so far.
    read: u64,
}

impl Iterator for ArticleRows {
    type Item = Result<Imported, BadInput>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.ready.pop_front() {
                return Some(row);
            }
            let Some(current) = self.current.as_mut() else {
                let path = self.files.pop_front()?;
                match open(&path, &schema::article_output_schema()) {
                    Ok(reader) => self.current = Some(FileRows { path, reader, read: 0 }),
                    Err(reason) => return Some(Err(BadInput { file: path, row: None, reason })),
                }
                continue;
            };
            match current.reader.next() {
                None => self.current = None,
                Some(Err(e)) => {
                    let reason = format!("unreadable after row {}: {e}", current.read);
                    let file = current.path.clone();
                    self.current = None;
                    return Some(Err(BadInput { file, row: None, reason }));
                }
                Some(Ok(batch)) => {
                    let first = current.read;
                    current.read += batch.num_rows() as u64;
                    self.ready.extend(imported_rows(&current.path, first, &batch));
                }
            }
        }
    }
}

/// The rows of one batch of `file` (its rows from `first`, counting from 0) as articles with
/// their records.
fn imported_rows(file: &Path, first: u64, batch: &RecordBatch) -> Vec<Result<Imported, BadInput>> {
    let bad = |i: usize, reason: String| BadInput {
        file: file.to_path_buf(),
        row: Some(first + i as u64 + 1),
        reason,
    };
    let raw = column(batch, schema::RAW);
    let fields: Vec<usize> =
        (0..batch.num_columns()).filter(|&i| batch.schema().field(i).name() != schema::RAW).collect();
    let values =
        match batch.project(&fields).map_err(Error::from).and_then(|b| json_rows::<serde_json::Value>(&b)) {
            Ok(values) => values,
            Err(e) => return (0..batch.num_rows()).map(|i| Err(bad(i, e.to_string()))).collect(),
        };
    values
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let article: ArticleView =
                serde_json::from_value(value).map_err(|e| bad(i, format!("not an article row: {e}")))?;
            let raw =
                binary(raw, i).ok_or_else(|| bad(i, "no raw bytes (`raw` is null or not binary)".into()))?;
            let record = Record::new(article.source.clone(), article.format, raw.to_vec());
            if record.hash() != article.sha256 {
                return Err(bad(
                    i,
                    format!("raw bytes hash to {}, the row's sha256 is {}", record.hash(), article.sha256),
                ));
            }
            if article.id != article.sha256.doc_id() {
                return Err(bad(
                    i,
                    format!("id {} but its sha256 gives id {}", article.id, article.sha256.doc_id()),
                ));
            }
            Ok(Imported { record, article })
        })
        .collect()
}

/// Row `i` of a binary column (any of Arrow's binary layouts); `None` when null or not binary.
fn binary(column: Option<&ArrayRef>, i: usize) -> Option<&[u8]> {
    let column = column?;
    if column.is_null(i) {
        return None;
    }
    column
        .as_binary_opt::<i32>()
        .map(|a| a.value(i))
        .or_else(|| column.as_binary_opt::<i64>().map(|a| a.value(i)))
        .or_else(|| column.as_binary_view_opt().map(|a| a.value(i)))
}

/// Writes `rows` (articles with their raw record bytes) as one Parquet file of
/// [`schema::article_output_schema`], snappy-compressed as Spark writes by default.
pub fn write_articles(path: &Path, rows: &[(ArticleView, Vec<u8>)]) -> Result<(), Error> {
    let articles: Vec<ArticleView> = rows.iter().map(|r| r.0.clone()).collect();
    let batch = articles_to_batch(&articles)?;
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    columns.push(Arc::new(BinaryArray::from_iter_values(rows.iter().map(|r| r.1.as_slice()))));
    write(path, RecordBatch::try_new(schema::article_output_schema(), columns)?)
}

/// Writes rejected records `(source, reason)` as one Parquet file of [`schema::rejected_schema`].
pub fn write_rejected(path: &Path, rows: &[(String, String)]) -> Result<(), Error> {
    let source = arrow_array::StringArray::from_iter_values(rows.iter().map(|r| r.0.as_str()));
    let reason = arrow_array::StringArray::from_iter_values(rows.iter().map(|r| r.1.as_str()));
    write(path, RecordBatch::try_new(schema::rejected_schema(), vec![Arc::new(source), Arc::new(reason)])?)
}

fn write(path: &Path, batch: RecordBatch) -> Result<(), Error> {
    let file =
        std::fs::File::create(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props))?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use presswatch_model::{Article, ArticleRecord, Format};

    fn row(text: &str) -> (ArticleView, Vec<u8>) {
        let record = Record::new("a.txt", Format::Text, text.as_bytes().to_vec());
        let article = ArticleRecord::new("a.txt".into(), record.hash(), Format::Text, Article::default());
        (ArticleView::new(article), record.into_bytes())
    }

    #[test]
    fn rows_come_back_with_their_records_and_a_wrong_raw_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(ARTICLES_DIR)).unwrap();
        let (a, b) = (row("first"), row("second"));
        let mut wrong = b.clone();
        wrong.1 = b"not these bytes".to_vec();
        let file = dir.path().join(ARTICLES_DIR).join("part-0.parquet");
        write_articles(&file, &[a.clone(), wrong, b.clone()]).unwrap();
        let output = JobOutput::open(dir.path()).unwrap();
        assert_eq!(output.article_rows(), 3);
        let rows: Vec<_> = output.articles().collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].as_ref().unwrap().record.bytes(), b"first");
        assert_eq!(rows[2].as_ref().unwrap().article.id, b.0.id);
        let bad = rows[1].as_ref().unwrap_err();
        assert_eq!(bad.row, Some(2));
        assert!(
            bad.to_string().starts_with(&format!("{}: row 2: raw bytes hash to", file.display())),
            "{bad}"
        );
    }

    #[test]
    fn output_without_raw_bytes_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(ARTICLES_DIR)).unwrap();
        let file = dir.path().join(ARTICLES_DIR).join("part-0.parquet");
        write(&file, articles_to_batch(&[row("first").0]).unwrap()).unwrap();
        let rows: Vec<_> = JobOutput::open(dir.path()).unwrap().articles().collect();
        assert_eq!(rows.len(), 1);
        let bad = rows[0].as_ref().unwrap_err();
        assert_eq!((bad.row, bad.reason.as_str()), (None, "not the job's table: no column `raw`"));
        assert!(JobOutput::open(&dir.path().join(ARTICLES_DIR)).is_err());
    }
}
