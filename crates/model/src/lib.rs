//! The typed documents that flow between presswatch's pipeline stages.
//!
//! Each stage is a function from one of these types to the next:
//!
//! ```text
//! ingest:   input bytes        -> Record        (one per document inside an input)
//! ingest:   Record             -> RawDocument   (decoded text + container metadata hints)
//! extract:  RawDocument        -> Draft         (candidate blocks + page metadata)
//! clean:    Draft              -> Article       (clean blocks, normalized metadata, `removed`)
//! pipeline: Record             -> ArticleRecord (all of the above, plus identity)
//! ```
//!
//! This crate holds data only: no I/O, no parsing, no global state, so every stage can run on a
//! batch of documents anywhere (a CLI, a server, a Spark executor).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

pub mod hash;
pub mod reuse;
pub use reuse::{doc_id, doc_key, DocKey, DocTime, IndexEntry, IndexRead, StoredLink};

/// Version of the derived fields. Bump when extraction or cleaning output changes, so
/// `presswatch reprocess` can tell stale rows from fresh ones.
pub const EXTRACTOR_VERSION: &str = concat!("presswatch-", env!("CARGO_PKG_VERSION"), "+x1");

/// The container format a document came in (after decompression).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Json,
    Jsonl,
    Warc,
}

impl Format {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The input path as given, plus `#N` (1-based record number) for multi-record inputs.
    pub source: String,
    pub format: Format,
    pub bytes: Vec<u8>,
}

impl Record {
    pub fn sha256(&self) -> String {
        sha256_hex(&self.bytes)
    }
}

/// Hex SHA-256 of bytes: the content address of a record.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The stable public id of a document: the first 16 hex digits of its record's SHA-256.
/// Identical bytes are the same document, wherever they were found.
pub fn document_id(sha256: &str) -> String {
    sha256.chars().take(16).collect()
}

/// What a body is written in, which decides how `extract` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyKind {
    Html,
    Markdown,
    Text,
}

/// A decoded document: UTF-8 body plus the metadata its container carried.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    pub source: String,
    pub format: Format,
    pub sha256: String,
    pub body_kind: BodyKind,
    /// The body as UTF-8 (decoded from its charset; NUL bytes removed).
    pub body: String,
    /// Metadata from the container: front matter, JSON fields, WARC/HTTP headers.
    pub hints: Metadata,
}

/// Metadata as found (unnormalized): container hints, or page metadata found by `extract`.
/// Dates are kept as the raw string found; `clean` normalizes them to ISO 8601.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub published: Option<String>,
    pub authors: Vec<String>,
    /// Site or publisher name.
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub section: Option<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// Declared language (any form: `en`, `en-US`, `English`); `lang` normalizes.
    pub language: Option<String>,
    pub description: Option<String>,
    /// Main image URL (og:image, front matter thumbnail).
    pub image: Option<String>,
    /// WARC-Record-ID, when the document came from a WARC file.
    pub warc_record_id: Option<String>,
}

impl Metadata {
    /// Fills every empty field of `self` from `other` (self wins where both have a value).
    pub fn fill_from(&mut self, other: &Metadata) {
        fn opt(a: &mut Option<String>, b: &Option<String>) {
            if a.as_deref().is_none_or(|s| s.trim().is_empty()) {
                if let Some(v) = b {
                    if !v.trim().is_empty() {
                        *a = Some(v.clone());
                    }
                }
            }
        }
        fn list(a: &mut Vec<String>, b: &[String]) {
            if a.is_empty() {
                a.extend(b.iter().cloned());
            }
        }
        opt(&mut self.title, &other.title);
        opt(&mut self.published, &other.published);
        list(&mut self.authors, &other.authors);
        opt(&mut self.outlet, &other.outlet);
        opt(&mut self.url, &other.url);
        opt(&mut self.section, &other.section);
        list(&mut self.categories, &other.categories);
        list(&mut self.tags, &other.tags);
        opt(&mut self.language, &other.language);
        opt(&mut self.description, &other.description);
        opt(&mut self.image, &other.image);
        opt(&mut self.warc_record_id, &other.warc_record_id);
    }
}

/// The kind of a text block of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    Quote,
    Caption,
    Preformatted,
    TableCell,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "paragraph",
            BlockKind::Heading => "heading",
            BlockKind::ListItem => "list_item",
            BlockKind::Quote => "quote",
            BlockKind::Caption => "caption",
            BlockKind::Preformatted => "preformatted",
            BlockKind::TableCell => "table_cell",
        }
    }
}

/// A block as extraction found it, with the signals `clean` needs to judge it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftBlock {
    pub kind: BlockKind,
    /// Visible text, whitespace collapsed, one line (list items and paragraphs never contain
    /// newlines; preformatted blocks may).
    pub text: String,
    /// True when the markup hides it (hidden attribute, `display:none`, `visibility-hide`-style
    /// classes); hidden blocks are kept only so that `clean` can record them in `removed`.
    pub hidden: bool,
    /// Share of the block's characters inside links (0.0..=1.0).
    pub link_density: f32,
    /// Set when extraction already judged the block boilerplate (e.g. it sits in a `<nav>`):
    /// `clean` moves such blocks to `removed` with this reason.
    pub boilerplate: Option<Reason>,
}

impl DraftBlock {
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        DraftBlock { kind, text: text.into(), hidden: false, link_density: 0.0, boilerplate: None }
    }
}

/// What extraction produced from one document, before cleaning.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Page metadata merged with the container hints (hints win).
    pub meta: Metadata,
    /// Candidate blocks of the main content, in reading order.
    pub blocks: Vec<DraftBlock>,
    pub images: Vec<Image>,
    /// Visible text that extraction already set aside (outside the main content), with reasons.
    pub removed: Vec<Removed>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub url: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// Why a piece of visible text is not part of the article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Menus, breadcrumbs, site headers and footers, link lists.
    Navigation,
    /// "Share on Facebook", social buttons.
    ShareWidget,
    /// "Leave a Reply", comment forms and threads.
    CommentWidget,
    /// "Read more »", "Similar News", "Related Articles" teasers.
    RelatedLinks,
    /// A block repeated within the same document.
    RepeatedBlock,
    /// A caption printed twice (including a hidden duplicate).
    DuplicateCaption,
    /// The lead/standfirst repeated as the first paragraph.
    DuplicateLead,
    /// "ADVERTISEMENT" and its misspellings.
    Advertisement,
    /// "Back to top".
    BackToTop,
    /// "Support our journalism", donation appeals.
    DonationAppeal,
    /// Newsletter sign-up boxes.
    Newsletter,
    /// Cookie and privacy-policy notices.
    CookieNotice,
    /// An editor's note; its facts (author, outlet) move into the metadata.
    EditorsNote,
    /// A byline or author bio line; the author moves into the metadata.
    Byline,
    /// A header line that holds metadata (e.g. ` date 2021-12-13 `, a dateline-only line).
    MetadataLine,
    /// The title repeated at the top of the body.
    DuplicateTitle,
    /// Hidden in the markup (not shown to a reader).
    Hidden,
    /// Text outside the main content that matches no more specific reason.
    Boilerplate,
    /// Blocks repeated across many documents of one outlet (set by provenance).
    RepeatedAcrossOutlet,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Navigation => "navigation",
            Reason::ShareWidget => "share_widget",
            Reason::CommentWidget => "comment_widget",
            Reason::RelatedLinks => "related_links",
            Reason::RepeatedBlock => "repeated_block",
            Reason::DuplicateCaption => "duplicate_caption",
            Reason::DuplicateLead => "duplicate_lead",
            Reason::Advertisement => "advertisement",
            Reason::BackToTop => "back_to_top",
            Reason::DonationAppeal => "donation_appeal",
            Reason::Newsletter => "newsletter",
            Reason::CookieNotice => "cookie_notice",
            Reason::EditorsNote => "editors_note",
            Reason::Byline => "byline",
            Reason::MetadataLine => "metadata_line",
            Reason::DuplicateTitle => "duplicate_title",
            Reason::Hidden => "hidden",
            Reason::Boilerplate => "boilerplate",
            Reason::RepeatedAcrossOutlet => "repeated_across_outlet",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub text: String,
    pub reason: Reason,
}

/// A block of the clean article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// ISO 639-1 code, when detection is confident.
    pub language: Option<String>,
}

/// A clean article: normalized metadata and the main text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub title: Option<String>,
    /// ISO 8601: `YYYY-MM-DD`, or a full RFC 3339 timestamp when the time is known.
    pub published: Option<String>,
    pub authors: Vec<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub section: Option<String>,
    /// Categories and tags together, deduplicated, in the order found.
    pub tags: Vec<String>,
    /// ISO 639-1 code of the whole text.
    pub language: Option<String>,
    pub blocks: Vec<Block>,
    pub images: Vec<Image>,
    pub removed: Vec<Removed>,
}

impl Article {
    /// The article text: every non-caption block, separated by a blank line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for b in self.blocks.iter().filter(|b| b.kind != BlockKind::Caption) {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&b.text);
        }
        out
    }
}

/// One exported row: identity, provenance of the bytes, and the derived article.
/// Field names and order are the public export format (docs/schema.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    pub id: String,
    pub source: String,
    pub sha256: String,
    pub format: Format,
    pub title: Option<String>,
    pub published: Option<String>,
    pub authors: Vec<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub language: Option<String>,
    pub text: String,
    pub blocks: Vec<Block>,
    pub images: Vec<Image>,
    pub removed: Vec<Removed>,
    pub extractor_version: String,
    /// The cluster of copies this article belongs to: the id of the cluster's earliest member,
    /// when it has at least one exact, near, reordered or spun copy (or is one). Filled from the
    /// store's provenance links when the article is read, never by `pipeline::process`.
    #[serde(default)]
    pub dup_cluster: Option<String>,
    /// The earlier articles this one reuses text from, earliest likely source first. Filled from
    /// the store's provenance links when the article is read.
    #[serde(default)]
    pub derived_from: Vec<DerivedFrom>,
}

impl ArticleRecord {
    pub fn new(source: String, sha256: String, format: Format, article: Article) -> Self {
        let text = article.text();
        ArticleRecord {
            id: document_id(&sha256),
            source,
            sha256,
            format,
            title: article.title,
            published: article.published,
            authors: article.authors,
            outlet: article.outlet,
            url: article.url,
            section: article.section,
            tags: article.tags,
            language: article.language,
            text,
            blocks: article.blocks,
            images: article.images,
            removed: article.removed,
            extractor_version: EXTRACTOR_VERSION.to_string(),
            dup_cluster: None,
            derived_from: Vec::new(),
        }
    }
}

/// How a document reuses another's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ReuseKind {
    /// The same normalized text (case, punctuation and whitespace aside).
    Exact,
    /// Nearly all of each text is the other's, verbatim: a few sentences added, dropped or cut.
    Near,
    /// A share of the source's sentences reused verbatim, mixed with other text.
    Partial,
    /// The source's sentences or paragraphs, verbatim, in another order.
    Reordered,
    /// Rewritten copy: synonyms substituted, typos, clauses moved, aligned sentence by sentence.
    Spun,
}

impl ReuseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReuseKind::Exact => "exact",
            ReuseKind::Near => "near",
            ReuseKind::Partial => "partial",
            ReuseKind::Reordered => "reordered",
            ReuseKind::Spun => "spun",
        }
    }

    pub fn parse(s: &str) -> Option<ReuseKind> {
        Some(match s {
            "exact" => ReuseKind::Exact,
            "near" => ReuseKind::Near,
            "partial" => ReuseKind::Partial,
            "reordered" => ReuseKind::Reordered,
            "spun" => ReuseKind::Spun,
            _ => return None,
        })
    }

    /// Whether the copy is the whole article (so both belong to one duplicate cluster), rather
    /// than a new article quoting part of it.
    pub fn is_whole_copy(self) -> bool {
        !matches!(self, ReuseKind::Partial)
    }
}

impl fmt::Display for ReuseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One aligned passage pair: `[start, end)` character (Unicode scalar) offsets into the source's
/// and the copy's `text`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AlignedPassage {
    pub source: [usize; 2],
    pub copy: [usize; 2],
    /// Token-level similarity of the two passages (1.0: the same words).
    pub similarity: f32,
}

/// An article's link to an earlier one it reuses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedFrom {
    /// The source article's id.
    pub id: String,
    pub kind: ReuseKind,
    /// Share of the source's text (in characters) that reappears in this article.
    pub reused_share: f32,
    pub evidence: Vec<AlignedPassage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_prefix_of_sha() {
        let r = Record { source: "a".into(), format: Format::Text, bytes: b"abc".to_vec() };
        let sha = r.sha256();
        assert_eq!(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(document_id(&sha), "ba7816bf8f01cfea");
    }

    #[test]
    fn text_skips_captions_and_joins_with_blank_lines() {
        let a = Article {
            blocks: vec![
                Block { kind: BlockKind::Caption, text: "cap".into(), language: None },
                Block { kind: BlockKind::Heading, text: "H".into(), language: None },
                Block { kind: BlockKind::Paragraph, text: "p".into(), language: None },
            ],
            ..Default::default()
        };
        assert_eq!(a.text(), "H\n\np");
    }

    #[test]
    fn fill_from_keeps_own_values() {
        let mut a = Metadata { title: Some("A".into()), ..Default::default() };
        let b = Metadata { title: Some("B".into()), url: Some("u".into()), ..Default::default() };
        a.fill_from(&b);
        assert_eq!(a.title.as_deref(), Some("A"));
        assert_eq!(a.url.as_deref(), Some("u"));
    }

    #[test]
    fn reason_serializes_as_its_code() {
        for r in [Reason::RelatedLinks, Reason::CookieNotice, Reason::RepeatedAcrossOutlet] {
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.as_str()));
        }
    }
}
