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
    /// How it alters it, word by word (when `altered`).
    pub altered_from: Option<AlteredDto>,
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
            altered_from: q.altered.map(AlteredDto::from),
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

/// How a quote alters its group's first appearance, word by word.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlteredDto {
    /// The first appearance's quote id (`altered_from`, `ARTICLE:N`).
    pub from: String,
    /// The first appearance's article id.
    pub from_article: String,
    /// Words were changed, cut or added.
    pub words_changed: bool,
    /// The speaker is another person.
    pub speaker_changed: bool,
    /// The first appearance's speaker.
    pub first_speaker: Option<String>,
    /// The first appearance's words, those this one lacks marked `changed`.
    pub first: Vec<SegmentDto>,
    /// This appearance's words, those the first lacks marked `changed`.
    pub this: Vec<SegmentDto>,
}

impl From<presswatch_app::quote_groups::AlteredView> for AlteredDto {
    fn from(a: presswatch_app::quote_groups::AlteredView) -> Self {
        AlteredDto {
            from: a.from.to_string(),
            from_article: a.from.doc.to_string(),
            words_changed: a.words_changed,
            speaker_changed: a.speaker_changed,
            first_speaker: a.first_speaker,
            first: a.first.into_iter().map(SegmentDto::from).collect(),
            this: a.this.into_iter().map(SegmentDto::from).collect(),
        }
    }
}

/// A story as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryItem {
    /// Its id (the id of the document that opened it).
    pub id: String,
    /// Its label (that document's title).
    pub label: String,
    /// Documents in it.
    pub size: u32,
    /// Its first publication day (dated members only).
    pub first: Option<String>,
    /// Its last publication day.
    pub last: Option<String>,
}

impl From<presswatch_app::stories::StoryRow> for StoryItem {
    fn from(r: presswatch_app::stories::StoryRow) -> Self {
        StoryItem {
            id: r.id.to_string(),
            label: r.label,
            size: r.size,
            first: r.first.map(|d| d.to_string()),
            last: r.last.map(|d| d.to_string()),
        }
    }
}

/// A member of a story.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryMember {
    /// The article's id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Its outlet.
    pub outlet: Option<String>,
    /// When it was published.
    pub published: Option<String>,
    /// The similarity that placed it (1: a copy of an earlier member; 0: it opened the story).
    pub score: f32,
}

impl From<&presswatch_app::stories::Member> for StoryMember {
    fn from(m: &presswatch_app::stories::Member) -> Self {
        StoryMember {
            id: m.id.to_string(),
            title: m.title.clone(),
            outlet: m.outlet.clone(),
            published: m.published.map(|p| p.to_string()),
            score: m.score,
        }
    }
}

/// Documents of one day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayDocs {
    /// The day (YYYY-MM-DD).
    pub day: String,
    /// Documents published that day.
    pub docs: u64,
}

/// Documents of one outlet on one day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutletDay {
    /// The day.
    pub day: String,
    /// The outlet (`(unknown)` when none is known).
    pub outlet: String,
    /// Its documents that day.
    pub docs: u64,
}

/// A quote repeated by a story's members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryQuote {
    /// The speaker (empty when unattributed).
    pub speaker: String,
    /// The quoted words.
    pub text: String,
    /// Members quoting it.
    pub docs: u64,
}

/// A name and how many documents carry it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NamedCount {
    /// The name.
    pub name: String,
    /// Documents.
    pub docs: u64,
}

/// Two stories merged by a bridging document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MergeDto {
    /// The story absorbed.
    pub from: String,
    /// The story that absorbed it.
    pub into: String,
    /// The document that bridged them.
    pub doc: String,
}

/// One story in detail: its timeline, the order outlets picked it up, its quotes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryPage {
    /// The story.
    pub story: StoryItem,
    /// Members, earliest published first (undated last).
    pub members: Vec<StoryMember>,
    /// The first dated report.
    pub first_report: Option<StoryMember>,
    /// Outlets in the order they picked the story up.
    pub outlets: Vec<String>,
    /// Documents by published day.
    pub by_day: Vec<DayDocs>,
    /// The peak days (at most three, earliest first).
    pub peaks: Vec<DayDocs>,
    /// Documents by day and outlet.
    pub outlet_days: Vec<OutletDay>,
    /// The most repeated quotes of its members.
    pub top_quotes: Vec<StoryQuote>,
    /// The entities most members name.
    pub top_entities: Vec<NamedCount>,
    /// Merges into or out of it.
    pub merges: Vec<MergeDto>,
}

impl From<presswatch_app::stories::StoryDetail> for StoryPage {
    fn from(d: presswatch_app::stories::StoryDetail) -> Self {
        let day_docs = |v: &[(presswatch_app::stories::Day, u64)]| {
            v.iter().map(|(x, n)| DayDocs { day: x.to_string(), docs: *n }).collect()
        };
        StoryPage {
            members: d.members.iter().map(StoryMember::from).collect(),
            first_report: d.first_report.as_ref().map(StoryMember::from),
            outlets: d.outlets,
            by_day: day_docs(&d.by_day),
            peaks: day_docs(&d.peaks),
            outlet_days: d
                .outlet_days
                .into_iter()
                .map(|(x, outlet, docs)| OutletDay { day: x.to_string(), outlet, docs })
                .collect(),
            top_quotes: d
                .top_quotes
                .into_iter()
                .map(|(speaker, text, docs)| StoryQuote { speaker, text, docs })
                .collect(),
            top_entities: d.top_entities.into_iter().map(|(name, docs)| NamedCount { name, docs }).collect(),
            merges: d
                .merges
                .iter()
                .map(|m| MergeDto {
                    from: m.from.to_string(),
                    into: m.into.to_string(),
                    doc: m.doc.to_string(),
                })
                .collect(),
            story: d.story.into(),
        }
    }
}

/// A word of an outlet comparison.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WordDto {
    /// The word (lower case).
    pub word: String,
    /// Weighted log-odds ratio, A against B (positive: A's word).
    pub log_odds: f64,
    /// Its z-score.
    pub z: f64,
    /// Occurrences on side A.
    pub count_a: u64,
    /// Occurrences on side B.
    pub count_b: u64,
}

/// Coverage of one day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoverageDay {
    /// The day.
    pub day: String,
    /// Articles of A.
    pub docs_a: u64,
    /// Articles of B.
    pub docs_b: u64,
    /// Articles of all outlets compared.
    pub docs_all: u64,
    /// A's share of the day's articles.
    pub share_a: f64,
    /// B's share.
    pub share_b: f64,
}

/// Two outlets (or groups) compared: distinctive words and coverage by day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComparisonDto {
    /// Side A as asked (outlets, comma-separated).
    pub a: String,
    /// Side B.
    pub b: String,
    /// The story compared on, if one was given.
    pub story: Option<String>,
    /// Articles of A.
    pub docs_a: u64,
    /// Articles of B.
    pub docs_b: u64,
    /// Articles compared in all.
    pub docs_all: u64,
    /// Words, most distinctive of A first (highest z) down to most distinctive of B.
    pub words: Vec<WordDto>,
    /// Coverage by day.
    pub by_day: Vec<CoverageDay>,
}

impl ComparisonDto {
    /// The app's comparison, with the sides as asked.
    pub(crate) fn new(
        c: presswatch_app::stories::Comparison,
        a: String,
        b: String,
        story: Option<String>,
    ) -> Self {
        let share = |n: u64, all: u64| n as f64 / all.max(1) as f64;
        ComparisonDto {
            a,
            b,
            story,
            docs_a: c.docs_a,
            docs_b: c.docs_b,
            docs_all: c.docs_all,
            words: c
                .words
                .into_iter()
                .map(|w| WordDto {
                    word: w.word,
                    log_odds: w.log_odds,
                    z: w.z,
                    count_a: w.count_a,
                    count_b: w.count_b,
                })
                .collect(),
            by_day: c
                .by_day
                .into_iter()
                .map(|(x, a, b, all)| CoverageDay {
                    day: x.to_string(),
                    docs_a: a,
                    docs_b: b,
                    docs_all: all,
                    share_a: share(a, all),
                    share_b: share(b, all),
                })
                .collect(),
        }
    }
}

/// A piece of text around the words that matched.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnippetDto {
    /// The text.
    pub text: String,
    /// The matched words: `[start, end)` character offsets into `text`, in order.
    pub highlights: Vec<[usize; 2]>,
}

/// One search hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHitDto {
    /// The article's id.
    pub id: String,
    /// Relevance (BM25; higher is better).
    pub score: f32,
    /// Title.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Published.
    pub published: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// The best piece of its text for the query.
    pub snippet: SnippetDto,
}

/// The counts of one facet over every match.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetDto {
    /// outlet, language, month, day, copies, story or entity.
    pub field: String,
    /// Whether it is a histogram over time (all values, in time order) rather than the most
    /// frequent values.
    pub histogram: bool,
    /// Values and how many matching articles have each.
    pub counts: Vec<Count>,
}

/// What a search found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResultsDto {
    /// The query as given.
    pub query: String,
    /// How many articles match.
    pub total: u64,
    /// The best of them, best first.
    pub hits: Vec<SearchHitDto>,
    /// The requested facets, in the order requested.
    pub facets: Vec<FacetDto>,
}

impl SearchResultsDto {
    /// The app's results for `query`.
    pub(crate) fn new(query: String, r: presswatch_app::search::SearchResults) -> Self {
        SearchResultsDto {
            query,
            total: r.total,
            hits: r
                .hits
                .into_iter()
                .map(|h| SearchHitDto {
                    id: h.id.to_string(),
                    score: h.score,
                    title: h.title,
                    outlet: h.outlet.map(|o| o.to_string()),
                    published: h.published.map(|p| p.to_string()),
                    language: h.language.map(|l| l.to_string()),
                    snippet: SnippetDto {
                        text: h.snippet.text,
                        highlights: h.snippet.highlights.into_iter().map(|(s, e)| [s, e]).collect(),
                    },
                })
                .collect(),
            facets: r
                .facets
                .into_iter()
                .map(|f| FacetDto {
                    field: f.field.as_str().to_string(),
                    histogram: f.field.is_histogram(),
                    counts: f.counts.into_iter().map(|(v, n)| Count { value: Some(v), count: n }).collect(),
                })
                .collect(),
        }
    }
}
