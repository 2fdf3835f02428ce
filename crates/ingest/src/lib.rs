//! presswatch-ingest: bytes in, documents out.
//!
//! This crate turns whatever a scraper left behind (plain text, Markdown with front matter, HTML,
//! JSON / JSON Lines exports, WARC archives, any of them gzip- or zstd-compressed) into
//! [`Record`]s (the exact bytes of one document) and then into [`RawDocument`]s (UTF-8 body plus
//! the metadata the container carried). Formats and compression are detected from the content;
//! file names are only a tie-breaker. Input is read incrementally, so memory stays flat for
//! multi-GB files, and nothing here panics on any input: every problem becomes a [`Rejection`]
//! with a one-line reason, and the records around a bad one still come through.
//!
//! It is not an extractor: HTML stays HTML, header lines stay in the text. `extract` and `clean`
//! do the rest.
//!
//! ```
//! use presswatch_ingest::{documents, Limits};
//! let input = b"{\"url\":\"https://e.x/a\",\"title\":\"A\",\"text\":\"Body A\"}\n\
//!               {\"title\":\"B\"}\n";
//! let docs: Vec<_> = documents("export.jsonl", &input[..], Limits::default()).collect();
//! assert_eq!(docs.len(), 2);
//! let a = docs[0].as_ref().unwrap();
//! assert_eq!(a.body, "Body A");
//! assert_eq!(a.hints.url.as_deref(), Some("https://e.x/a"));
//! let b = docs[1].as_ref().unwrap_err();
//! assert!(b.to_string().starts_with("export.jsonl#2: no text or html field"));
//! ```

mod charset;
mod detect;
mod fields;
mod frontmatter;
mod input;
mod json;
mod paths;
mod records;
mod warc;

use std::fmt;

pub use paths::expand_paths;
pub use presswatch_model::{BodyKind, Format, Metadata, RawDocument, Record};
pub use records::{records, Records};

/// Per-input limits that keep memory bounded whatever the input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest record (one document's bytes, after decompression) that is buffered; larger ones
    /// are skipped without being held in memory and rejected.
    pub max_record_bytes: usize,
    /// Stop an input after this many records (accepted or rejected); `None` for no limit.
    pub max_input_records: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_record_bytes: 64 * 1024 * 1024, max_input_records: None }
    }
}

/// One input or record that could not be turned into a document, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The input path as given, plus `#N` for a record of a multi-record input.
    pub source: String,
    /// Why it was rejected.
    pub reason: RejectReason,
}

impl Rejection {
    /// A rejection of `source` for `reason`.
    pub fn new(source: impl Into<String>, reason: RejectReason) -> Self {
        Rejection { source: source.into(), reason }
    }
}

// Written by hand: thiserror would treat a field named `source` as the error's cause.
impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.reason)
    }
}

impl std::error::Error for Rejection {}

/// Why an input or record was rejected. `Display` is a short human reason, with what to do
/// where that helps.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RejectReason {
    /// The input, or the body decoded from it, holds nothing but whitespace.
    #[error("empty input")]
    Empty,
    /// A JSON record's body field is there but blank.
    #[error("empty {field} field, no text to extract")]
    EmptyBody {
        /// The field's name as found in the record.
        field: String,
    },
    /// The bytes are not text (too many control bytes to be any encoding of it).
    #[error("binary data, not text ({percent}% control bytes)")]
    Binary {
        /// Share of control bytes in the sample looked at.
        percent: u32,
    },
    /// One document is larger than [`Limits::max_record_bytes`].
    #[error("record larger than {} limit (raise the record size limit to accept it)", mib(*.limit_bytes))]
    TooLarge {
        /// The limit in force, in bytes.
        limit_bytes: usize,
    },
    /// A multi-record input has more records than [`Limits::max_input_records`].
    #[error("more than {limit} records in this input; the rest was skipped (raise the record limit)")]
    TooManyRecords {
        /// The limit in force.
        limit: u64,
    },
    /// JSON that does not parse.
    #[error("malformed JSON: {detail}")]
    MalformedJson {
        /// The parser's message, with where it stopped.
        detail: String,
    },
    /// JSON that parses but is not an object (a record needs named fields).
    #[error("JSON {found} where an object was expected")]
    NotAnObject {
        /// What was found instead (`array`, `string`, ...).
        found: String,
    },
    /// A JSON object with none of the fields a body is read from.
    #[error("no text or html field (expected one of {expected})")]
    NoBody {
        /// The field names looked for, for the message.
        expected: String,
    },
    /// Front matter that neither the strict nor the lenient reader can read as fields.
    #[error("malformed front matter: {detail}")]
    MalformedFrontMatter {
        /// What is wrong and where.
        detail: String,
    },
    /// A WARC file whose records cannot be framed.
    #[error("malformed WARC: {detail}")]
    MalformedWarc {
        /// What is wrong and where.
        detail: String,
    },
    /// Something recognized but not handled (a content encoding, a record type).
    #[error("unsupported {what}")]
    Unsupported {
        /// What it is.
        what: String,
    },
    /// The input could not be read; the I/O error as text, so reasons stay comparable.
    #[error("read error: {0}")]
    Io(String),
    /// gzip or zstd data that does not decompress.
    #[error("corrupt compressed data: {0} (truncated or damaged file?)")]
    Decompress(String),
}

fn mib(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes & (1024 * 1024 - 1) == 0 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

/// Turns stored record bytes back into a decoded document (at ingest, and by `reprocess` from
/// the blob store). Pure: the same record always gives the same document.
pub fn decode_record(record: &Record) -> Result<RawDocument, Rejection> {
    let reject = |reason| Rejection::new(record.source.clone(), reason);
    let (body_kind, body, hints) = match record.format {
        presswatch_model::Format::Text => decode_text(&record.bytes).map_err(reject)?,
        presswatch_model::Format::Markdown => frontmatter::decode_markdown(&record.bytes).map_err(reject)?,
        presswatch_model::Format::Html => {
            detect::check_not_binary(&record.bytes).map_err(reject)?;
            let body = charset::decode_html(&record.bytes, None);
            (BodyKind::Html, body, Metadata::default())
        }
        presswatch_model::Format::Json | presswatch_model::Format::Jsonl => {
            json::decode_json_record(&record.bytes).map_err(reject)?
        }
        presswatch_model::Format::Warc => warc::decode_warc_record(&record.bytes).map_err(reject)?,
    };
    let body = charset::strip_nul(body);
    if body.trim().is_empty() {
        return Err(reject(RejectReason::Empty));
    }
    Ok(RawDocument {
        source: record.source.clone(),
        format: record.format,
        sha256: presswatch_model::sha256_hex(&record.bytes),
        body_kind,
        body,
        hints,
    })
}

fn decode_text(bytes: &[u8]) -> Result<(BodyKind, String, Metadata), RejectReason> {
    detect::check_not_binary(bytes)?;
    Ok((BodyKind::Text, charset::decode_text(bytes, None), Metadata::default()))
}

/// [`records`] followed by [`decode_record`]: every document of one input, or why not.
pub fn documents<'a, R: std::io::Read + 'a>(
    name: &'a str,
    reader: R,
    limits: Limits,
) -> impl Iterator<Item = Result<RawDocument, Rejection>> + 'a {
    records(name, reader, limits).map(|r| r.and_then(|rec| decode_record(&rec)))
}
