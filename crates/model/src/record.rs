//! Records as found in the inputs, and decoded documents.

use crate::{ContentHash, DocId, Metadata};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The container format a document came in (after decompression).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (with an optional ` date YYYY-MM-DD ` header).
    Text,
    /// Markdown, with optional YAML or TOML front matter.
    Markdown,
    /// An HTML page.
    Html,
    /// A JSON object or array of objects.
    Json,
    /// JSON Lines: one object per line.
    Jsonl,
    /// A WARC file (response and resource records).
    Warc,
}

impl Format {
    /// The format's name, as exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Warc => "warc",
        }
    }

    /// The format named `s` (as [`Format::as_str`] names it).
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "text" => Format::Text,
            "markdown" => Format::Markdown,
            "html" => Format::Html,
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "warc" => Format::Warc,
            _ => return None,
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One document's raw bytes exactly as found in its input (decompressed), before any decoding.
///
/// For single-document inputs this is the whole file; for JSON arrays / JSON Lines it is the
/// record's JSON text; for WARC it is the whole WARC record (headers + block). These bytes are what
/// the store keeps content-addressed: `ingest::decode_record` turns them back into a
/// [`RawDocument`] at any later time, which is what makes every derived field recomputable.
///
/// The content hash is computed once, when the record is made, and the bytes cannot change
/// afterwards (the fields are private), so every later stage and the store can trust it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    source: String,
    format: Format,
    bytes: Vec<u8>,
    hash: ContentHash,
}

impl Record {
    /// A record of `bytes` found in `source` (the input path as given, plus `#N`, 1-based, for
    /// multi-record inputs).
    pub fn new(source: impl Into<String>, format: Format, bytes: Vec<u8>) -> Record {
        let hash = ContentHash::of(&bytes);
        Record { source: source.into(), format, bytes, hash }
    }

    /// Where the bytes were found.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Renames where the bytes were found (the hash, which depends only on the bytes, stays).
    pub fn set_source(&mut self, source: impl Into<String>) {
        self.source = source.into();
    }

    /// The container format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The raw bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The SHA-256 of the bytes: the record's identity.
    pub fn hash(&self) -> ContentHash {
        self.hash
    }

    /// The document id ([`ContentHash::doc_id`]).
    pub fn id(&self) -> DocId {
        self.hash.doc_id()
    }

    /// The bytes, giving up the record.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// What a body is written in, which decides how `extract` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyKind {
    /// HTML markup.
    Html,
    /// Markdown.
    Markdown,
    /// Plain text.
    Text,
}

/// A decoded document: UTF-8 body plus the metadata its container carried.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    /// Where the record was found ([`Record::source`]).
    pub source: String,
    /// The container format.
    pub format: Format,
    /// The record's identity.
    pub sha256: ContentHash,
    /// How `extract` reads the body.
    pub body_kind: BodyKind,
    /// The body as UTF-8 (decoded from its charset; NUL bytes removed).
    pub body: String,
    /// Metadata from the container: front matter, JSON fields, WARC/HTTP headers.
    pub hints: Metadata,
}
