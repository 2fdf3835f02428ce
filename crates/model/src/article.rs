//! Articles: metadata as found, the extraction draft, the clean article and its stored record.

use crate::{
    ContentHash, DerivedFrom, DocId, Entity, Format, Language, Outlet, Published, Quote, QuoteId, Span,
    EXTRACTOR_VERSION,
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Metadata as found (unnormalized): container hints, or page metadata found by `extract`.
/// Dates are kept as the raw string found; `clean` normalizes them to ISO 8601.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// The title as found (`clean` repairs it).
    pub title: Option<String>,
    /// The date as found, in any of the forms sources use.
    pub published: Option<String>,
    /// Author names as found (may hold bylines, roles, agencies).
    pub authors: Vec<String>,
    /// Site or publisher name.
    pub outlet: Option<String>,
    /// The page's URL (canonical where the page names one).
    pub url: Option<String>,
    /// The site section.
    pub section: Option<String>,
    /// Categories as found.
    pub categories: Vec<String>,
    /// Tags and keywords as found.
    pub tags: Vec<String>,
    /// Declared language (any form: `en`, `en-US`, `English`); `lang` normalizes.
    pub language: Option<String>,
    /// The page's summary (meta description, standfirst).
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
    /// Running text.
    Paragraph,
    /// A heading inside the article.
    Heading,
    /// One item of a list.
    ListItem,
    /// A block quotation.
    Quote,
    /// An image or video caption (kept beside the text, not in it).
    Caption,
    /// Preformatted text (code, tables drawn with spaces); keeps its newlines.
    Preformatted,
    /// One cell of a table.
    TableCell,
}

impl BlockKind {
    /// The kind's name, as exported.
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
    /// What kind of block it is.
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
    /// A visible, link-free block of `kind`.
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
    /// Images of the main content, with captions and credits.
    pub images: Vec<Image>,
    /// Visible text that extraction already set aside (outside the main content), with reasons.
    pub removed: Vec<Removed>,
    /// Which main-content candidate extraction kept and why (HTML pages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extraction: Option<Extraction>,
}

/// The main-content candidates of an HTML page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Candidate {
    /// The subtree with the best net content score (class names and tags weigh in).
    Scored,
    /// The subtree holding the most running prose, its paragraphs counted for their parent and
    /// half for their grandparent, less its links; class names ignored (readability's method).
    Densest,
    /// Every paragraph, quote and preformatted block of the page outside navigation, header,
    /// footer, aside, form and comment subtrees (trafilatura's baseline).
    Baseline,
}

impl Candidate {
    /// The candidate's code, as exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Candidate::Scored => "scored",
            Candidate::Densest => "densest",
            Candidate::Baseline => "baseline",
        }
    }
}

impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which main-content candidate extraction kept, and why: what explains an empty or short
/// article, with the page's readable text to compare it with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    /// The candidate whose blocks are the draft's.
    pub candidate: Candidate,
    /// Why it won, in words (the figures compared).
    pub reason: String,
    /// Characters of visible text in the winner's article blocks (captions aside).
    pub chars: usize,
    /// Characters of visible text on the whole page.
    pub page_chars: usize,
}

/// An image of the article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Where the image is.
    pub url: Option<String>,
    /// Its caption, when the page gives one.
    pub caption: Option<String>,
    /// Photographer or agency credit.
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
    /// The reason code, as exported.
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

/// A piece of visible text that is not part of the article text, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// The text as it was found.
    pub text: String,
    /// Why it was removed.
    pub reason: Reason,
}

/// A block of the clean article kept although a cleaning rule would have removed it: the label
/// rules (a class name, a phrase, a "Read more »" after it) would have emptied the article or
/// left next to nothing of its running prose, so that prose stays, and the article says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptAgainst {
    /// Index of the block in `blocks`.
    pub block: usize,
    /// The reason the overruled rule gave.
    pub reason: Reason,
}

/// A block of the clean article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// What kind of block it is.
    pub kind: BlockKind,
    /// Its text: one line, whitespace collapsed (preformatted blocks keep their newlines).
    pub text: String,
    /// The block's own language, when detection is confident; else the document's.
    pub language: Option<Language>,
}

/// What separates two blocks in an article's `text`.
pub const BLOCK_SEPARATOR: &str = "\n\n";

/// Where each block of `blocks` sits in the text [`Article::text`] builds from them: the index of
/// every non-caption block with its character span. This is the one definition of the text's
/// layout; anything that maps blocks to offsets in `text` (provenance, annotations) uses it.
pub fn block_spans(blocks: &[Block]) -> impl Iterator<Item = (usize, Span)> + '_ {
    let mut next_start = 0usize;
    blocks.iter().enumerate().filter(|(_, b)| b.kind != BlockKind::Caption).map(move |(i, b)| {
        let span = Span::new(next_start, next_start + b.text.chars().count());
        next_start = span.end + BLOCK_SEPARATOR.chars().count();
        (i, span)
    })
}

/// The metadata of a clean article, normalized. One struct, flattened into [`Article`] and
/// [`ArticleRecord`], so a new field is added in one place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// The headline, repaired (quoting mangles undone, site name cut).
    pub title: Option<String>,
    /// When it was published.
    pub published: Option<Published>,
    /// Its authors, as people's names.
    pub authors: Vec<String>,
    /// Who published it.
    pub outlet: Option<Outlet>,
    /// The canonical URL, when known.
    pub url: Option<String>,
    /// The section of the site ("World", "Politik").
    pub section: Option<String>,
    /// Categories and tags together, deduplicated, in the order found.
    pub tags: Vec<String>,
    /// The language of the whole text.
    pub language: Option<Language>,
}

/// A clean article: normalized metadata and the main text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Title, date, authors, outlet and the rest.
    #[serde(flatten)]
    pub meta: ArticleMeta,
    /// The text, block by block, in reading order (captions included; they are not in `text`).
    pub blocks: Vec<Block>,
    /// Images with their captions and credits.
    pub images: Vec<Image>,
    /// What was taken out of the page, with reasons.
    pub removed: Vec<Removed>,
    /// Blocks kept against a cleaning rule because the rules would have removed the article.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept_against: Vec<KeptAgainst>,
    /// Which main-content candidate extraction kept and why (HTML pages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extraction: Option<Extraction>,
    /// Who said what (the quotes stage), spans into [`Article::text`].
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// People, organisations and places it names (the entities stage), spans into
    /// [`Article::text`].
    #[serde(default)]
    pub entities: Vec<Entity>,
}

impl Article {
    /// The article text: every non-caption block, separated by a blank line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for b in self.blocks.iter().filter(|b| b.kind != BlockKind::Caption) {
            if !out.is_empty() {
                out.push_str(BLOCK_SEPARATOR);
            }
            out.push_str(&b.text);
        }
        out
    }

    /// [`Article::text`], borrowed when one block is the whole text: the stages that read the
    /// text take it from here, so a large one-paragraph page (tens of MB) is not copied for
    /// each of them.
    pub fn text_cow(&self) -> std::borrow::Cow<'_, str> {
        let mut texts = self.blocks.iter().filter(|b| b.kind != BlockKind::Caption);
        match (texts.next(), texts.next()) {
            (None, _) => std::borrow::Cow::Borrowed(""),
            (Some(only), None) => std::borrow::Cow::Borrowed(&only.text),
            _ => std::borrow::Cow::Owned(self.text()),
        }
    }
}

/// One stored article: identity, where its bytes came from, and what the per-document pipeline
/// derived from them. Only what the pipeline computes is here; what the corpus says about the
/// article when it is read (its copies, its cluster) is in [`ArticleView`].
/// Field names and order are the public export format (docs/schema.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    /// The document id (first 16 hex digits of `sha256`).
    pub id: DocId,
    /// The input the bytes were first seen in.
    pub source: String,
    /// The SHA-256 of the raw bytes.
    pub sha256: ContentHash,
    /// The container format.
    pub format: Format,
    /// Title, date, authors, outlet and the rest.
    #[serde(flatten)]
    pub meta: ArticleMeta,
    /// The clean text ([`Article::text`]). Offsets anywhere in presswatch (provenance evidence,
    /// annotations) are character offsets into this string, which nothing changes after the
    /// per-document pipeline.
    pub text: String,
    /// The text, block by block.
    pub blocks: Vec<Block>,
    /// Images with captions and credits.
    pub images: Vec<Image>,
    /// What was taken out, with reasons.
    pub removed: Vec<Removed>,
    /// Blocks kept against a cleaning rule because the rules would have removed the article
    /// (indexes into `blocks`); absent when none was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept_against: Vec<KeptAgainst>,
    /// Which main-content candidate extraction kept and why (HTML pages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extraction: Option<Extraction>,
    /// Who said what, spans into `text` (empty in rows derived before the quotes stage).
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// People, organisations and places it names, spans into `text` (empty in rows derived
    /// before the entities stage). In an article as read, ids are the corpus's canonical ones.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// The pipeline version that derived this row ([`EXTRACTOR_VERSION`]).
    pub extractor_version: String,
}

impl ArticleRecord {
    /// The record of `article`, derived from the bytes hashing to `sha256`.
    pub fn new(source: String, sha256: ContentHash, format: Format, article: Article) -> Self {
        let text = article.text();
        let id = sha256.doc_id();
        let mut quotes = article.quotes;
        for (n, q) in quotes.iter_mut().enumerate() {
            q.id = Some(QuoteId::new(id, u32::try_from(n).unwrap_or(u32::MAX)));
            q.text = q.words_in(&text);
        }
        ArticleRecord {
            id,
            source,
            sha256,
            format,
            meta: article.meta,
            text,
            blocks: article.blocks,
            images: article.images,
            removed: article.removed,
            kept_against: article.kept_against,
            extraction: article.extraction,
            quotes,
            entities: article.entities,
            extractor_version: EXTRACTOR_VERSION.to_string(),
        }
    }
}

/// An article as read from a store: the stored record plus what the corpus says about it, which
/// is computed from the provenance links on reading and never stored with the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleView {
    /// The stored article.
    #[serde(flatten)]
    pub article: ArticleRecord,
    /// The cluster of copies this article belongs to: the id of the cluster's earliest member,
    /// when it has at least one exact, near, reordered or spun copy (or is one).
    #[serde(default)]
    pub dup_cluster: Option<DocId>,
    /// The earlier articles this one reuses text from, earliest likely source first.
    #[serde(default)]
    pub derived_from: Vec<DerivedFrom>,
    /// Spans of `text` that are its outlet's standing furniture (blocks earlier articles of the
    /// outlet also have), left out of copy detection. The text itself is not changed.
    #[serde(default)]
    pub outlet_boilerplate: Vec<Span>,
    /// The story it belongs to (`None` before the stories stage placed it).
    #[serde(default)]
    pub story: Option<crate::StoryRef>,
}

/// A view reads as the article it shows (`view.id`, `view.text`, `view.meta`).
impl std::ops::Deref for ArticleView {
    type Target = ArticleRecord;

    fn deref(&self) -> &ArticleRecord {
        &self.article
    }
}

impl ArticleView {
    /// The view of an article nothing is known about yet.
    pub fn new(article: ArticleRecord) -> ArticleView {
        ArticleView {
            article,
            dup_cluster: None,
            derived_from: Vec::new(),
            outlet_boilerplate: Vec::new(),
            story: None,
        }
    }
}
