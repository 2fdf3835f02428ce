//! Chains presswatch's per-document stages: record bytes in, clean article record out.
//!
//! This is the unit a distributed runner (e.g. a Spark executor) calls on a batch: it does no I/O,
//! keeps no state between calls, and never touches the store. The CLI feeds it records and hands
//! its output to a store; corpus stages (provenance) run after it, in order, against the store.
//!
//! The fixed front of the chain turns bytes into a clean article (decode, extract, clean); the
//! stages that enrich a clean article are registered in [`DOCUMENT_STAGES`] and run in order.
//! Adding one is a crate implementing [`DocumentStage`] and one line there.
//!
//! Not for: reading files (see `presswatch-ingest`), persistence (see `presswatch-store`).
//!
//! ```
//! use presswatch_model::{Format, Record};
//! let record = Record::new("a.txt", Format::Text, b"Title\n\nA body of text, long enough to keep.".to_vec());
//! let article = presswatch_pipeline::process(&record).unwrap();
//! assert_eq!(article.format, Format::Text);
//! assert_eq!(article.id, record.id());
//! ```

use presswatch_ingest::Rejection;
use presswatch_model::{ArticleRecord, DocumentStage, RawDocument, Record};
use rayon::prelude::*;

/// The per-document stages run on every clean article, in this order (quotes read the
/// languages the language stage sets; entities set the quotes' speaker entities).
pub const DOCUMENT_STAGES: &[&dyn DocumentStage] =
    &[&presswatch_lang::LanguageStage, &presswatch_quotes::QuotesStage, &presswatch_entities::EntitiesStage];

/// Decodes, extracts and cleans one record, then runs every [`DOCUMENT_STAGES`] stage on it.
pub fn process(record: &Record) -> Result<ArticleRecord, Rejection> {
    Ok(process_document(presswatch_ingest::decode_record(record)?))
}

/// [`process`] for a caller that has no further use for the record (`presswatch extract`): its
/// bytes are dropped as soon as they are decoded, one copy of a large record fewer in memory.
pub fn process_record(record: Record) -> Result<ArticleRecord, Rejection> {
    let raw = presswatch_ingest::decode_record(&record)?;
    drop(record);
    Ok(process_document(raw))
}

fn process_document(raw: RawDocument) -> ArticleRecord {
    let draft = presswatch_extract::extract(&raw);
    // The decoded body (a copy of the record's text) is dropped once the draft holds its blocks
    // (not at the end of the function, as the unnamed fields of a destructured value would be).
    let RawDocument { source, sha256, format, body, .. } = raw;
    drop(body);
    let mut article = presswatch_clean::clean(draft);
    for stage in DOCUMENT_STAGES {
        stage.apply(&mut article);
    }
    ArticleRecord::new(source, sha256, format, article)
}

/// [`process`] over a batch, in parallel on `pool` (the caller chooses the threads: a CLI all
/// cores, a Spark executor its share), output order = input order.
pub fn process_batch(pool: &rayon::ThreadPool, records: &[Record]) -> Vec<Result<ArticleRecord, Rejection>> {
    pool.install(|| records.par_iter().map(process).collect())
}
