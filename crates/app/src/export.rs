//! The export's CSV form (docs/schema.md): which columns, what each cell holds, and how a cell
//! is made safe for a spreadsheet. The CLI writes it to a file, the server streams it; both take
//! the rows from [`crate::read::export_or_damage`].

use presswatch_model::ArticleView;
use std::borrow::Cow;

/// CSV columns: the scalar export fields; lists joined with "; " (`derived_from` as
/// "ID KIND SHARE" items), blocks/images/removed and evidence left to JSONL.
pub const CSV_HEADER: [&str; 18] = [
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
    "extractor_version",
    "dup_cluster",
    "derived_from",
    "story",
    "story_label",
];

/// One article's CSV cells, in [`CSV_HEADER`]'s order, exactly as stored (see
/// [`spreadsheet_safe`]).
pub fn csv_row(r: &ArticleView) -> [String; 18] {
    let opt = |s: Option<String>| s.unwrap_or_default();
    [
        r.id.to_string(),
        r.source.clone(),
        r.sha256.to_hex(),
        r.format.to_string(),
        opt(r.meta.title.clone()),
        opt(r.meta.published.map(|p| p.to_string())),
        r.meta.authors.join("; "),
        opt(r.meta.outlet.as_ref().map(ToString::to_string)),
        opt(r.meta.url.clone()),
        opt(r.meta.section.clone()),
        r.meta.tags.join("; "),
        opt(r.meta.language.as_ref().map(ToString::to_string)),
        r.text.clone(),
        r.extractor_version.clone(),
        opt(r.dup_cluster.map(|c| c.to_string())),
        r.derived_from
            .iter()
            .map(|d| format!("{} {} {:.3}", d.id, d.kind, d.reused_share))
            .collect::<Vec<_>>()
            .join("; "),
        opt(r.story.as_ref().map(|s| s.id.to_string())),
        opt(r.story.as_ref().map(|s| s.label.clone())),
    ]
}

/// A CSV cell a spreadsheet will show, not run: a cell that starts like a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return; OWASP's list) gets a leading `'`, and control characters other than
/// newlines and tabs are written as visible escapes (`\u{1b}`).
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    let escaped = presswatch_text::escape_controls(cell, true);
    if escaped.starts_with(['=', '+', '-', '@', '\t']) {
        return format!("'{escaped}").into();
    }
    escaped
}
