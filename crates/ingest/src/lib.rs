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
//! # Nothing lost, nothing injected
//!
//! What a hostile or damaged input cannot do, and what each rejection costs:
//!
//! - **One rejection per lost record.** Every record that cannot be read is its own `Err` item
//!   naming it (`input#N`), and the records around it still come through.
//! - **WARC, per-record gzip** (`.warc.gz` as crawlers write it, one gzip member per record):
//!   each member is decoded on its own, so a corrupt or truncated member costs only the record
//!   it held (one [`RejectReason::Decompress`] naming the member); a member's output is held
//!   until it ends intact, at most [`Limits::max_record_bytes`] (a larger member streams, and
//!   damage inside it costs the records it touches).
//! - **WARC, wrong `Content-Length`**: a block that runs past the next `WARC/1.0` / `WARC/1.1`
//!   header line (or past the end of the input) is rejected, and reading resumes at that header,
//!   so the records it would have swallowed are read; a block a little short keeps its record,
//!   and the stray tail is rejected once. Blocks up to the record limit are held to make this
//!   possible; memory stays bounded by the largest record, never the file. (Limits: of a block
//!   claimed larger than the record limit only the first record-limit bytes are held, so when
//!   the input goes on past them, the records beyond are lost with one rejection; zstd WARCs
//!   are not resynchronised per frame; a damaged first gzip magic makes the file not gzip.)
//! - **Raw bytes stay raw.** A [`Record`]'s bytes are the bytes as received, in any encoding:
//!   a UTF-16 record is UTF-16 (its hash is that of its own bytes, so the little- and big-endian
//!   files of one text are two documents with one body), and [`decode_record`] decodes it (text,
//!   Markdown, HTML, JSON, JSON Lines). UTF-16 input is decoded while it is read and split on
//!   its own record boundaries (newline code units for JSON Lines), so memory is bounded by one
//!   record; the record limit counts a record's size as UTF-8. Malformed UTF-16 (lone
//!   surrogates) is the one exception: such units come back as U+FFFD. UTF-32 with a BOM is
//!   handled the same way.
//! - **UTF-16 without a BOM** is recognised when its code units say so (a share of ASCII units,
//!   nearly all units letters, digits, marks, punctuation or spaces). Data full of NUL bytes that
//!   does not read as text that way is rejected ([`RejectReason::NulBytes`]), never decoded into
//!   garbage.
//! - **Compression nesting**: up to [`MAX_COMPRESSION_LAYERS`] gzip/zstd layers are unwrapped;
//!   one more is [`RejectReason::TooManyLayers`], naming the limit. Decompressed sizes are
//!   capped by the record limit, so bombs stop early.
//! - **Paths**: [`expand_paths`] returns regular files, `-` (stdin) and FIFOs named explicitly
//!   (`ingest <(zcat dump.gz)`). Sockets, devices, and FIFOs found inside a directory are never
//!   opened: each is an `Err` naming the path and what it is ([`RejectReason::NotRegularFile`]).
//!   [`open_input`] waits at most [`FIFO_WAIT`] for a named pipe's writer, then refuses it
//!   ([`RejectReason::NoWriter`]), so a pipe nobody writes to cannot block the batch.
//! - **No panics**, on any input.
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
mod gzip;
mod input;
mod json;
mod paths;
mod records;
mod warc;

use std::fmt;

pub use paths::{expand_paths, open_input, FIFO_WAIT};
pub use presswatch_model::{BodyKind, Format, Metadata, RawDocument, Record};
pub use records::{records, Records};

/// How many nested compression layers (gzip, zstd) are unwrapped; one more is rejected.
pub const MAX_COMPRESSION_LAYERS: usize = input::MAX_LAYERS;

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
    /// Many NUL bytes in data that does not read as UTF-16 text either.
    #[error("{percent}% NUL bytes, and not readable as UTF-16 text (binary data?)")]
    NulBytes {
        /// Share of NUL bytes in the sample looked at.
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
    /// Compression nested deeper than the limit (a .gz of a .gz of ...): the limit is how many
    /// layers are unwrapped; one more is this rejection.
    #[error("more than {limit} nested compression layers (at most {limit} are unwrapped)")]
    TooManyLayers {
        /// How many layers are unwrapped at most.
        limit: usize,
    },
    /// A path that is not a regular file (FIFO, socket, device): never opened for reading, since
    /// a FIFO without a writer would block the batch forever.
    #[error("{kind}, not a regular file: not read (pipe its contents to stdin as '-' instead)")]
    NotRegularFile {
        /// What the path is instead ("FIFO (named pipe)", "socket", ...).
        kind: String,
    },
    /// A named pipe given explicitly that no writer opened within the wait.
    #[error(
        "named pipe with no writer after {:.1} s: not read (start its writer first, or raise --fifo-wait)",
        *.millis as f64 / 1000.0
    )]
    NoWriter {
        /// How long it waited, in milliseconds.
        millis: u64,
    },
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
    let reject = |reason| Rejection::new(record.source().to_string(), reason);
    // Records keep their bytes as received; UTF-16 and UTF-32 ones are decoded here.
    let wide = match record.format() {
        Format::Warc => None,
        _ => charset::Wide::of_record(record.bytes()),
    };
    let decoded = wide.map(|w| w.decode(record.bytes()).into_bytes());
    let bytes = decoded.as_deref().unwrap_or(record.bytes());
    let (body_kind, body, hints) = match record.format() {
        Format::Text => decode_text(bytes).map_err(reject)?,
        Format::Markdown => frontmatter::decode_markdown(bytes).map_err(reject)?,
        Format::Html => {
            detect::check_not_binary(bytes).map_err(reject)?;
            let body = charset::decode_html(bytes, None);
            (BodyKind::Html, body, Metadata::default())
        }
        Format::Json | Format::Jsonl => json::decode_json_record(bytes).map_err(reject)?,
        Format::Warc => warc::decode_warc_record(bytes).map_err(reject)?,
    };
    let body = charset::strip_nul(body);
    if body.trim().is_empty() {
        return Err(reject(RejectReason::Empty));
    }
    Ok(RawDocument {
        source: record.source().to_string(),
        format: record.format(),
        sha256: record.hash(),
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
