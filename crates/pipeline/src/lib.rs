//! Chains presswatch's pure stages: record bytes in, clean article record out.
//!
//! This is the unit a distributed runner (e.g. a Spark executor) calls on a batch: it does no I/O,
//! keeps no state between calls, and never touches the store. The CLI feeds it records and hands
//! its output to a `Store`.
//!
//! Not for: reading files (see `presswatch-ingest`), persistence (see `presswatch-store`).
//!
//! ```no_run
//! use presswatch_model::{Format, Record};
//! let record = Record { source: "a.txt".into(), format: Format::Text, bytes: b"Title\n\nBody.".to_vec() };
//! let article = presswatch_pipeline::process(&record).unwrap();
//! assert_eq!(article.format, Format::Text);
//! ```

use presswatch_ingest::Rejection;
use presswatch_model::{ArticleRecord, Record};
use rayon::prelude::*;

/// Decode, extract, clean and detect the language of one record.
pub fn process(record: &Record) -> Result<ArticleRecord, Rejection> {
    let raw = presswatch_ingest::decode_record(record)?;
    let draft = presswatch_extract::extract(&raw);
    let mut article = presswatch_clean::clean(draft);
    presswatch_lang::detect_language(&mut article);
    Ok(ArticleRecord::new(raw.source, raw.sha256, raw.format, article))
}

/// [`process`] over a batch, in parallel on the current rayon pool; output order = input order.
pub fn process_batch(records: &[Record]) -> Vec<Result<ArticleRecord, Rejection>> {
    records.par_iter().map(process).collect()
}
