//! The API's response types (public, so a Rust client can read them): the app's read models as JSON, with their OpenAPI schemas. Plain
//! conversions only: what a field means is decided by the app and the model (docs/schema.md).

use presswatch_app::entities::{EntityDetail, EntityRow};
use presswatch_app::read::{DocumentSummary, QuoteView, Segment, SourceView};
use presswatch_model::{ArticleRecord, ArticleView, DerivedFrom, DocId, Span};
use presswatch_store::Stats;
use serde::Serialize;
use utoipa::ToSchema;

/// A character range `[start, end)` into an article's `text`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct SpanDto {
    /// First character (Unicode scalar value) of the range.
    pub start: usize,
    /// One past the last.
    pub end: usize,
}

impl From<Span> for SpanDto {
    fn from(s: Span) -> Self {
        SpanDto { start: s.start, end: s.end }
    }
}

/// One document as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentItem {
    /// Its id (16 hex digits).
    pub id: String,
    /// Where it was first seen.
    pub source: String,
    /// Its title.
    pub title: Option<String>,
    /// Who published it.
    pub outlet: Option<String>,
    /// When (ISO 8601 day or RFC 3339 instant).
    pub published: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// Words of its clean text.
    pub words: usize,
}

impl From<DocumentSummary> for DocumentItem {
    fn from(d: DocumentSummary) -> Self {
        DocumentItem {
            id: d.id.to_string(),
            source: d.source,
            title: d.title,
            outlet: d.outlet.map(|o| o.to_string()),
            published: d.published.map(|p| p.to_string()),
            language: d.language.map(|l| l.to_string()),
            words: d.words,
        }
    }
}

impl From<&ArticleRecord> for DocumentItem {
    fn from(r: &ArticleRecord) -> Self {
        DocumentItem {
            id: r.id.to_string(),
            source: r.source.clone(),
            title: r.meta.title.clone(),
            outlet: r.meta.outlet.as_ref().map(|o| o.to_string()),
            published: r.meta.published.map(|p| p.to_string()),
            language: r.meta.language.as_ref().map(|l| l.to_string()),
            words: presswatch_text::word_count(&r.text),
        }
    }
}

/// A page of documents.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentList {
    /// The documents, first seen first.
    pub items: Vec<DocumentItem>,
    /// The offset of this page.
    pub offset: u64,
    /// The offset of the next page, if more documents match.
    pub next_offset: Option<u64>,
}

/// A block of clean text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlockDto {
    /// paragraph, heading, list_item, quote, caption, preformatted, table_cell.
    pub kind: String,
    /// The text (plain text, never markup).
    pub text: String,
    /// The block's language.
    pub language: Option<String>,
}

/// An image of the article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImageDto {
    /// Where the image is (as found; not fetched by the UI).
    pub url: Option<String>,
    /// Its caption.
    pub caption: Option<String>,
    /// Photographer or agency credit.
    pub credit: Option<String>,
}

/// Text that was taken out of the article, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RemovedDto {
    /// The text as found.
    pub text: String,
    /// The reason code (docs/schema.md, `removed[].reason`).
    pub reason: String,
}

/// A quote in an article.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuoteDto {
    /// The quoted words, pieces joined with " … ".
    pub text: String,
    /// Its content spans into `text`.
    pub content: Vec<SpanDto>,
    /// direct, mixed or indirect.
    pub kind: String,
    /// The speaker's name as the document resolves it.
    pub speaker: Option<String>,
    /// The speaker as the tag names them ("he").
    pub mention: Option<String>,
    /// The speaker's canonical entity id.
    pub entity: Option<String>,
    /// The speech verb's dictionary form ("say").
    pub cue: Option<String>,
}

/// An entity an article names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityDto {
    /// The corpus-wide canonical id.
    pub id: String,
    /// The fullest name the document gives.
    pub name: String,
    /// person, organisation or place.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its mentions, spans into `text`.
    pub mentions: Vec<SpanDto>,
}

/// A link to an earlier document this one reuses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkDto {
    /// The other document's id.
    pub id: String,
    /// exact, near, partial, reordered or spun.
    pub kind: String,
    /// Share of the source's text that reappears in the copy.
    pub reused_share: f32,
}

impl From<&DerivedFrom> for LinkDto {
    fn from(d: &DerivedFrom) -> Self {
        LinkDto { id: d.id.to_string(), kind: d.kind.to_string(), reused_share: d.reused_share }
    }
}

/// One document in full: the export record (docs/schema.md) as the API gives it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentDetail {
    /// Its id.
    pub id: String,
    /// Where it was first seen.
    pub source: String,
    /// SHA-256 of its raw bytes.
    pub sha256: String,
    /// Container format.
    pub format: String,
    /// Title.
    pub title: Option<String>,
    /// Published.
    pub published: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Canonical URL, as found.
    pub url: Option<String>,
    /// Section.
    pub section: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Language.
    pub language: Option<String>,
    /// The clean text.
    pub text: String,
    /// The clean text as blocks.
    pub blocks: Vec<BlockDto>,
    /// Images.
    pub images: Vec<ImageDto>,
    /// What was removed, and why.
    pub removed: Vec<RemovedDto>,
    /// Quotes.
    pub quotes: Vec<QuoteDto>,
    /// Entities.
    pub entities: Vec<EntityDto>,
    /// The cluster of copies it belongs to.
    pub dup_cluster: Option<String>,
    /// The earlier documents it reuses.
    pub derived_from: Vec<LinkDto>,
    /// Spans of `text` that are the outlet's standing furniture.
    pub outlet_boilerplate: Vec<SpanDto>,
    /// The version of the code that derived it.
    pub extractor_version: String,
}

impl From<ArticleView> for DocumentDetail {
    fn from(v: ArticleView) -> Self {
        let r = v.article;
        let quotes = r
            .quotes
            .iter()
            .map(|q| QuoteDto {
                text: q.content.iter().map(|s| s.slice(&r.text)).collect::<Vec<_>>().join(" … "),
                content: q.content.iter().copied().map(SpanDto::from).collect(),
                kind: q.kind.as_str().to_string(),
                speaker: q.speaker.name.clone(),
                mention: q.speaker.mention.map(|m| m.slice(&r.text).to_string()),
                entity: q.speaker.entity.clone(),
                cue: q.cue_lemma.clone(),
            })
            .collect();
        DocumentDetail {
            id: r.id.to_string(),
            sha256: r.sha256.to_hex(),
            format: r.format.to_string(),
            title: r.meta.title,
            published: r.meta.published.map(|p| p.to_string()),
            authors: r.meta.authors,
            outlet: r.meta.outlet.map(|o| o.to_string()),
            url: r.meta.url,
            section: r.meta.section,
            tags: r.meta.tags,
            language: r.meta.language.map(|l| l.to_string()),
            blocks: r
                .blocks
                .into_iter()
                .map(|b| BlockDto {
                    kind: b.kind.as_str().to_string(),
                    text: b.text,
                    language: b.language.map(|l| l.to_string()),
                })
                .collect(),
            images: r
                .images
                .into_iter()
                .map(|i| ImageDto { url: i.url, caption: i.caption, credit: i.credit })
                .collect(),
            removed: r
                .removed
                .into_iter()
                .map(|x| RemovedDto { text: x.text, reason: x.reason.to_string() })
                .collect(),
            quotes,
            entities: r
                .entities
                .into_iter()
                .map(|e| EntityDto {
                    id: e.id,
                    name: e.name,
                    kind: e.kind.to_string(),
                    mentions: e.mentions.into_iter().map(SpanDto::from).collect(),
                })
                .collect(),
            source: r.source,
            text: r.text,
            dup_cluster: v.dup_cluster.map(|c| c.to_string()),
            derived_from: v.derived_from.iter().map(LinkDto::from).collect(),
            outlet_boilerplate: v.outlet_boilerplate.into_iter().map(SpanDto::from).collect(),
            extractor_version: r.extractor_version,
        }
    }
}

/// Words of one side of an aligned passage; `changed` marks words the other side lacks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SegmentDto {
    /// The words, with the spaces between them.
    pub text: String,
    /// Whether the other side does not have them.
    pub changed: bool,
}

impl From<Segment> for SegmentDto {
    fn from(s: Segment) -> Self {
        SegmentDto { text: s.text, changed: s.changed }
    }
}

/// One aligned passage pair, word by word.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PassageDto {
    /// Word overlap of the two passages (1.0: the same words).
    pub similarity: f32,
    /// The passage in the source's text.
    pub source_span: SpanDto,
    /// The passage in the copy's text.
    pub copy_span: SpanDto,
    /// The source's words.
    pub source: Vec<SegmentDto>,
    /// The copy's words.
    pub copy: Vec<SegmentDto>,
}

/// A source of the document, with the aligned evidence side by side.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceDto {
    /// The link.
    pub link: LinkDto,
    /// The source document.
    pub document: DocumentItem,
    /// The aligned passages, in order.
    pub passages: Vec<PassageDto>,
}

impl From<SourceView> for SourceDto {
    fn from(s: SourceView) -> Self {
        SourceDto {
            link: LinkDto::from(&s.link),
            document: DocumentItem::from(&s.source),
            passages: s
                .passages
                .into_iter()
                .map(|p| PassageDto {
                    similarity: p.passage.similarity,
                    source_span: p.passage.source.into(),
                    copy_span: p.passage.copy.into(),
                    source: p.source.into_iter().map(SegmentDto::from).collect(),
                    copy: p.copy.into_iter().map(SegmentDto::from).collect(),
                })
                .collect(),
        }
    }
}

/// A later document that reuses this one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CopyDto {
    /// The link (the copy's id, kind, share).
    pub link: LinkDto,
    /// The copy, if it is still stored.
    pub document: Option<DocumentItem>,
}

/// Provenance of one document: its sources side by side, and its copies.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Provenance {
    /// The document.
    pub document: DocumentItem,
    /// The cluster of copies it belongs to.
    pub dup_cluster: Option<String>,
    /// Its sources, each with aligned passages.
    pub sources: Vec<SourceDto>,
    /// The documents that reuse it, earliest first.
    pub copies: Vec<CopyDto>,
}

/// A duplicate cluster.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClusterDto {
    /// The cluster's id: its earliest member's.
    pub id: String,
    /// How many documents it holds.
    pub size: usize,
    /// Its members, earliest first.
    pub members: Vec<DocumentItem>,
}

/// A value and how often it occurs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Count {
    /// The value (`null`: none, e.g. no language detected).
    pub value: Option<String>,
    /// How many.
    pub count: u64,
}

/// The store's counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsDto {
    /// Distinct documents.
    pub documents: u64,
    /// Distinct (document, source) pairs.
    pub sources: u64,
    /// Raw bytes of all documents.
    pub raw_bytes: u64,
    /// Documents by container format.
    pub by_format: Vec<Count>,
    /// Articles by language.
    pub by_language: Vec<Count>,
    /// The most frequent outlets.
    pub top_outlets: Vec<Count>,
    /// Rejected inputs.
    pub rejected: u64,
    /// Articles a reprocess would re-derive.
    pub stale: u64,
    /// Documents with a provenance link.
    pub linked: u64,
}

impl From<Stats> for StatsDto {
    fn from(s: Stats) -> Self {
        let count = |value: Option<String>, count: u64| Count { value, count };
        StatsDto {
            documents: s.documents,
            sources: s.sources,
            raw_bytes: s.raw_bytes,
            by_format: s.by_format.into_iter().map(|(f, n)| count(Some(f.to_string()), n)).collect(),
            by_language: s.by_language.into_iter().map(|(l, n)| count(l.map(|l| l.to_string()), n)).collect(),
            top_outlets: s.top_outlets.into_iter().map(|(o, n)| count(Some(o.to_string()), n)).collect(),
            rejected: s.rejected,
            stale: s.stale,
            linked: s.linked,
        }
    }
}

/// A quote as listed, with the article it is in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuoteItem {
    /// The article's id.
    pub article: String,
    /// When the article was published.
    pub published: Option<String>,
    /// Who published it.
    pub outlet: Option<String>,
    /// The quote.
    pub quote: QuoteDto,
    /// The quote's id.
    pub id: String,
    /// Its group: the id of its first appearance in the corpus.
    pub group: String,
    /// How many appearances its group has.
    pub appearances: usize,
    /// Whether it alters its group's first appearance (words or speaker).
    pub altered: bool,
}

impl From<QuoteView> for QuoteItem {
    fn from(q: QuoteView) -> Self {
        QuoteItem {
            article: q.article.to_string(),
            published: q.published.map(|p| p.to_string()),
            outlet: q.outlet.map(|o| o.to_string()),
            id: q.id.to_string(),
            group: q.group.to_string(),
            appearances: q.appearances,
            altered: q.altered.is_some(),
            quote: QuoteDto {
                text: q.text,
                content: q.quote.content.iter().copied().map(SpanDto::from).collect(),
                kind: q.quote.kind.as_str().to_string(),
                speaker: q.quote.speaker.name.clone(),
                mention: q.mention,
                entity: q.quote.speaker.entity.clone(),
                cue: q.quote.cue_lemma.clone(),
            },
        }
    }
}

/// A canonical entity as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityItem {
    /// Canonical id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// person, organisation or place.
    #[serde(rename = "type")]
    pub kind: String,
    /// Documents naming it.
    pub docs: u64,
    /// Mentions over all documents.
    pub mentions: u64,
}

impl From<EntityRow> for EntityItem {
    fn from(r: EntityRow) -> Self {
        EntityItem {
            id: r.entity.id,
            name: r.entity.name,
            kind: r.entity.kind.to_string(),
            docs: r.entity.docs,
            mentions: r.mentions,
        }
    }
}

/// One day's mentions of an entity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayCountDto {
    /// The day (`null`: undated articles).
    pub day: Option<String>,
    /// Documents of that day naming it.
    pub docs: u64,
    /// Mentions in them.
    pub mentions: u64,
}

/// A name used for an entity, and by how many documents.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AliasDto {
    /// The name.
    pub name: String,
    /// Documents using it.
    pub docs: u64,
}

/// One entity in detail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityPage {
    /// The canonical entity.
    pub entity: EntityItem,
    /// Every name used for it, most used first.
    pub aliases: Vec<AliasDto>,
    /// Mentions by published day, earliest first.
    pub by_day: Vec<DayCountDto>,
    /// Its quotes.
    pub quotes: Vec<QuoteItem>,
}

impl From<EntityDetail> for EntityPage {
    fn from(d: EntityDetail) -> Self {
        let mentions = d.by_day.iter().map(|c| c.mentions).sum();
        EntityPage {
            entity: EntityItem {
                id: d.entity.id,
                name: d.entity.name,
                kind: d.entity.kind.to_string(),
                docs: d.entity.docs,
                mentions,
            },
            aliases: d.aliases.into_iter().map(|(name, docs)| AliasDto { name, docs }).collect(),
            by_day: d
                .by_day
                .into_iter()
                .map(|c| DayCountDto {
                    day: c.day.map(|d| d.to_string()),
                    docs: c.docs,
                    mentions: c.mentions,
                })
                .collect(),
            quotes: d.quotes.into_iter().map(QuoteItem::from).collect(),
        }
    }
}

/// What an upload stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IngestSummary {
    /// New documents stored.
    pub added: u64,
    /// Records already stored.
    pub already_present: u64,
    /// Records whose lost raw bytes were written again.
    pub restored: u64,
    /// Records rejected.
    pub rejected: u64,
    /// Why each rejected record was rejected.
    pub rejections: Vec<RejectionDto>,
    /// Bytes read.
    pub bytes: u64,
}

/// A rejected record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RejectionDto {
    /// The record's source.
    pub source: String,
    /// Why.
    pub reason: String,
}

/// What a reprocess did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReprocessSummary {
    /// Documents re-derived.
    pub updated: u64,
    /// Documents that kept their previous article (damaged raw bytes).
    pub failed: u64,
}

/// A document id as given in a path: only what an id, a sha256 or its prefix can hold.
pub(crate) fn checked_id(id: &str) -> Result<&str, crate::problem::ApiError> {
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(crate::problem::ApiError::bad_request(
            "a document id is 16 hex digits (or a sha256, or a prefix of at least 8 of its digits)",
        ));
    }
    Ok(id)
}

/// A stored document's listing line, by id (`None` if it is gone).
pub(crate) fn item_of(
    store: &dyn presswatch_store::StoreRead,
    id: DocId,
) -> Result<Option<DocumentItem>, presswatch_store::StoreError> {
    Ok(store.article(&id.to_string())?.as_ref().map(DocumentItem::from))
}
