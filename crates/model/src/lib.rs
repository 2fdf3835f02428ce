//! The typed documents that flow between presswatch's stages.
//!
//! presswatch has two kinds of stage, and this crate is what they exchange:
//!
//! - **Per-document stages** are pure functions of one document: any order, any machine (a CLI,
//!   a server, a Spark executor). Their chain is `presswatch_pipeline::process`:
//!
//!   ```text
//!   ingest:   input bytes  -> Record        (one per document inside an input; content hash)
//!   ingest:   Record       -> RawDocument   (decoded text + container metadata hints)
//!   extract:  RawDocument  -> Draft         (candidate blocks + page metadata)
//!   clean:    Draft        -> Article       (clean blocks, normalized metadata, `removed`)
//!   lang:     Article      -> Article       (document and block languages)
//!   quotes:   Article      -> Article       (who said what, with character spans)
//!   entities: Article      -> Article       (people, organisations, places, with spans)
//!   pipeline: Record       -> ArticleRecord (all of the above, plus identity)
//!   ```
//!
//! - **Corpus stages** read what earlier documents left in an index, run in order, and return
//!   what to persist (provenance now: links between articles). They record their decisions
//!   beside the article and never rewrite its `text`, so character offsets into `text`
//!   ([`Span`]) stay valid once the per-document pipeline has run. What they say about an article
//!   is joined to it on reading ([`ArticleView`]).
//!
//! This crate holds data only: no I/O, no parsing beyond its own types, no global state.
//!
//! Modules by concern: [`record`] (inputs and identity), [`article`] (drafts, articles and the
//! stored record), [`reuse`] (how articles copy each other), [`stage`] (the two stage kinds as
//! traits), plus the small value types
//! [`DocId`], [`ContentHash`], [`Published`], [`Language`], [`Outlet`] and [`Span`].

/// Serializes a type as its `Display` string and deserializes it through `FromStr`, so value
/// types read and write as the plain strings of the export format.
macro_rules! serde_as_string {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub mod article;
pub mod entity;
mod ids;
mod names;
pub mod quote;
pub mod quote_group;
pub mod record;
pub mod reuse;
mod span;
pub mod stage;
pub mod story;
mod time;

pub use article::{
    block_spans, Article, ArticleMeta, ArticleRecord, ArticleView, Block, BlockKind, Candidate, Draft,
    DraftBlock, Extraction, Image, KeptAgainst, Metadata, Reason, Removed, BLOCK_SEPARATOR,
};
pub use entity::{Entity, EntityIndexRead, EntityLink, EntityType, KnownEntity};
pub use ids::{ContentHash, DocId, ParseIdError};
pub use names::{Language, Outlet};
pub use quote::{Quote, QuoteKind, Speaker};
pub use quote_group::{QuoteEntry, QuoteId, QuoteIndexRead, QuoteLink, QuoteMatch, StoredQuote};
pub use record::{BodyKind, Format, RawDocument, Record};
pub use reuse::{AlignedPassage, DerivedFrom, DocTime, IndexEntry, IndexRead, ReuseKind, StoredLink};
pub use span::Span;
pub use stage::{CorpusStage, DocumentStage};
pub use story::{StoryIndexRead, StoryLink, StoryMerge, StoryRef, StoryState};
pub use time::{ParsePublishedError, Published};

/// Version of the derived fields. Bump when extraction, cleaning or a document stage's output
/// changes (x2: quotes; x3: entities; x5: the candidate fallback), so
/// `presswatch reprocess` can tell stale rows from fresh ones.
pub const EXTRACTOR_VERSION: &str = concat!("presswatch-", env!("CARGO_PKG_VERSION"), "+x6");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_hashes_once_and_id_is_its_prefix() {
        let r = Record::new("a", Format::Text, b"abc".to_vec());
        assert_eq!(r.hash().to_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(r.id().to_string(), "ba7816bf8f01cfea");
    }

    fn block(kind: BlockKind, text: &str) -> Block {
        Block { kind, text: text.into(), language: None }
    }

    #[test]
    fn text_skips_captions_and_joins_with_blank_lines() {
        let a = Article {
            blocks: vec![
                block(BlockKind::Caption, "cap"),
                block(BlockKind::Heading, "H"),
                block(BlockKind::Paragraph, "Київ"),
                block(BlockKind::Paragraph, "p"),
            ],
            ..Default::default()
        };
        let text = a.text();
        assert_eq!(text, "H\n\nКиїв\n\np");
        let spans: Vec<(usize, Span)> = block_spans(&a.blocks).collect();
        assert_eq!(spans, [(1, Span::new(0, 1)), (2, Span::new(3, 7)), (3, Span::new(9, 10))]);
        for (i, span) in spans {
            assert_eq!(span.slice(&text), a.blocks[i].text);
        }
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

    #[test]
    fn export_field_order_is_the_schemas() {
        let record = Record::new("a.txt", Format::Text, b"x".to_vec());
        let article = Article {
            meta: ArticleMeta {
                title: Some("T".into()),
                published: "2021-12-13".parse().ok(),
                language: Language::new("en"),
                outlet: Outlet::new("CGTN"),
                ..Default::default()
            },
            blocks: vec![block(BlockKind::Paragraph, "p")],
            ..Default::default()
        };
        let view = ArticleView::new(ArticleRecord::new("a.txt".into(), record.hash(), Format::Text, article));
        let json = serde_json::to_string(&view).unwrap();
        let keys: Vec<&str> = [
            "id",
            "source",
            "sha256",
            "format",
            "title",
            "published",
            "authors",
            "outlet",
            "url",
            "section",
            "tags",
            "language",
            "text",
            "blocks",
            "images",
            "removed",
            "quotes",
            "extractor_version",
            "dup_cluster",
            "derived_from",
            "outlet_boilerplate",
        ]
        .to_vec();
        let mut at = 0;
        for k in keys {
            let found = json[at..]
                .find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k} missing or out of order"));
            at += found;
        }
        let back: ArticleView = serde_json::from_str(&json).unwrap();
        assert_eq!(back, view);
    }
}
