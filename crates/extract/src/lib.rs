//! Article extraction: turns a decoded document into candidate blocks plus page metadata.
//!
//! This is the `extract` stage of presswatch (`RawDocument -> Draft`). For HTML it finds the
//! main article content (and only it) with a two-pass, linear-time scorer over the arena DOM of
//! `presswatch-html` and reads page metadata (Open Graph, JSON-LD, `<meta>`, `<title>`...);
//! for plain text and markdown it splits the body into typed blocks and reads header lines.
//!
//! It is not the cleaner: it keeps hidden blocks (flagged), editor's notes, repeated leads and
//! captions, and only *flags* block-level boilerplate it is sure of, so that `presswatch-clean`
//! can decide and record every removal. Text outside the main content is recorded in
//! [`Draft::removed`] with a reason (hidden text as `hidden`), so every text of the page ends
//! somewhere ([`rendered_text`] is what that is checked against). When the best-scoring candidate
//! holds little of the page's running prose, the densest subtree of prose around it (or, for an
//! empty result, every paragraph) can replace it; [`Draft::extraction`] says which won and why.
//! Dates are kept as found; `clean` normalizes them.
//! Pure functions: no I/O, no global mutable state, no panics on any input.
//!
//! ```
//! use presswatch_extract::extract_html;
//! use presswatch_model::{BlockKind, Metadata};
//!
//! let html = r#"<html><head><meta property="og:title" content="Rain in Spain">
//!   </head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Rain in Spain</h1>
//!   <p>The rain in Spain stays mainly in the plain, forecasters said on Monday.</p>
//!   <p>Farmers welcomed the news, which ends a long and costly drought.</p></article>
//!   </body></html>"#;
//! let draft = extract_html(html, &Metadata::default());
//! assert_eq!(draft.meta.title.as_deref(), Some("Rain in Spain"));
//! let paragraphs: Vec<&str> = draft
//!     .blocks
//!     .iter()
//!     .filter(|b| b.kind == BlockKind::Paragraph)
//!     .map(|b| b.text.as_str())
//!     .collect();
//! assert_eq!(paragraphs.len(), 2);
//! assert!(draft.removed.iter().any(|r| r.text.contains("Home")));
//! ```

mod classes;
mod html;
mod labels;
mod markdown;
mod meta;
mod text;
mod util;

use presswatch_model::{BlockKind, BodyKind, Draft, Image, Metadata, RawDocument};

/// Extracts blocks and metadata from a decoded document, whatever its body kind.
/// Container hints win over metadata found in the body.
pub fn extract(doc: &RawDocument) -> Draft {
    match doc.body_kind {
        BodyKind::Html => extract_html(&doc.body, &doc.hints),
        BodyKind::Markdown => {
            let (parsed, images) = markdown::parse_markdown(&doc.body);
            let mut meta = doc.hints.clone();
            meta.fill_from(&parsed.meta);
            Draft { meta, blocks: parsed.blocks, images, removed: parsed.removed, extraction: None }
        }
        BodyKind::Text => {
            let parsed = text::parse_text(&doc.body);
            let mut meta = doc.hints.clone();
            meta.fill_from(&parsed.meta);
            // A stand-alone credit line ("Photo: White House / Imago Images") stands for an
            // image the text dump lost: keep it as an image with that credit.
            let images = parsed
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Caption)
                .map(|b| {
                    let (caption, credit) = util::split_credit(&b.text);
                    Image { url: None, caption: Some(caption).filter(|c| !c.is_empty()), credit }
                })
                .collect();
            Draft { meta, blocks: parsed.blocks, images, removed: parsed.removed, extraction: None }
        }
    }
}

/// Extracts the main content and the page metadata of an HTML page; `hints` (container
/// metadata) win over what the page says.
pub fn extract_html(html: &str, hints: &Metadata) -> Draft {
    html::extract_html_draft(html, hints)
}

/// The text a reader would see as the article: visible, non-boilerplate, non-caption blocks
/// joined by blank lines. Useful for benchmarks and previews before cleaning.
pub fn draft_text(draft: &Draft) -> String {
    let mut out = String::new();
    for b in &draft.blocks {
        if b.kind == BlockKind::Caption || b.hidden || b.boilerplate.is_some() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&b.text);
    }
    out
}

/// All text of an HTML page that a browser could render, CSS and `hidden` aside (scripts, styles,
/// the head and media are left out), one line per text node. Every block of it must end in the
/// article's `blocks` or in `removed` with a reason: the measure to check that nothing vanished.
pub fn rendered_text(html: &str) -> String {
    html::rendered_text(html)
}

/// Lists the best-scoring main-content candidates of a page; for tuning the scorer.
#[doc(hidden)]
pub fn debug_candidates(html: &str, top: usize) -> String {
    html::debug_candidates(html, top)
}
