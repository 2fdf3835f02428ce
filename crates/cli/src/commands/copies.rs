//! `presswatch copies ID` and `presswatch dups`: who copied whom, and the clusters of copies.

use crate::cli::{CopiesArgs, DupsArgs};
use anyhow::{bail, Result};
use presswatch_app::read::{Cluster, CopiesView, Segment, SourceView};
use presswatch_model::{ArticleRecord, DerivedFrom, DocId};
use presswatch_store::StoreRead;
use std::io::Write;
use std::process::ExitCode;

pub(super) fn copies(store: &dyn StoreRead, args: &CopiesArgs) -> Result<ExitCode> {
    let Some(CopiesView { article, copies }) = presswatch_app::read::copies(store, &args.id)? else {
        bail!("no article with id {:?} (list ids with `presswatch export | jq -r .id`)", args.id);
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let row = serde_json::json!({
            "id": article.id,
            "dup_cluster": article.dup_cluster,
            "derived_from": article.derived_from,
            "copies": copies.iter().map(|(id, link)| serde_json::json!({
                "id": id,
                "kind": link.kind,
                "reused_share": link.reused_share,
            })).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&row)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}  {}", article.id, describe(&article))?;
    if article.derived_from.is_empty() {
        writeln!(out, "source: none found (no earlier article it reuses)")?;
    }
    for d in &article.derived_from {
        writeln!(
            out,
            "source: {}  {:<9} reuses {:>3.0}% of it  {}",
            d.id,
            d.kind,
            d.reused_share * 100.0,
            lookup(store, d.id)
        )?;
    }
    if copies.is_empty() {
        writeln!(out, "copies: none found")?;
    } else {
        writeln!(out, "copies: {}", copies.len())?;
        for (id, link) in &copies {
            writeln!(
                out,
                "  {}  {:<9} reuses {:>3.0}%  {}",
                id,
                link.kind,
                link.reused_share * 100.0,
                lookup(store, *id)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn dups(store: &dyn StoreRead, args: &DupsArgs) -> Result<ExitCode> {
    let clusters = presswatch_app::read::dups(store)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let shown =
        clusters.iter().filter(|c| c.members.len() >= args.min_size).take(args.limit.unwrap_or(usize::MAX));
    for Cluster { id: cluster, members } in shown {
        if args.json {
            let row = serde_json::json!({
                "dup_cluster": cluster,
                "size": members.len(),
                "members": members,
            });
            writeln!(out, "{row}")?;
        } else {
            writeln!(out, "{cluster}  {} documents  {}", members.len(), lookup(store, *cluster))?;
            for id in members.iter().skip(1) {
                writeln!(out, "    {id}  {}", lookup(store, *id))?;
            }
        }
    }
    out.flush()?;
    if !args.json && clusters.is_empty() {
        eprintln!("no duplicate clusters in the store");
    }
    Ok(ExitCode::SUCCESS)
}

/// "published  outlet  title" of a stored article, for listings.
fn lookup(store: &dyn StoreRead, id: DocId) -> String {
    match store.article(&id.to_string()) {
        Ok(Some(a)) => describe(&a),
        _ => String::from("(not found)"),
    }
}

/// Scraped fields escaped (`escape_controls`): a listing line stays one line and cannot drive
/// the terminal.
fn describe(a: &ArticleRecord) -> String {
    let day = a.meta.published.map_or_else(|| "----------".to_string(), |p| p.day().to_string());
    let title: String = a.meta.title.as_deref().unwrap_or("(no title)").chars().take(70).collect();
    let outlet: String = a.meta.outlet.as_deref().unwrap_or("-").chars().take(18).collect();
    let line = format!("{day}  {outlet:<18}  {title}");
    presswatch_text::escape_controls(&line, false).into_owned()
}

/// The aligned passages of each source, side by side, words that differ marked.
pub(super) fn render_alignment(sources: &[SourceView], color: bool, width: usize) -> String {
    let mut s = String::new();
    let col = ((width.max(60) - 3) / 2).max(20);
    for SourceView { link: d, source, passages } in sources {
        s.push_str(&header(d, source));
        for (n, view) in passages.iter().enumerate() {
            let p = &view.passage;
            s.push_str(&format!(
                "  passage {} ({:.0}% similar)  source {}..{}  |  this {}..{}\n",
                n + 1,
                p.similarity * 100.0,
                p.source.start,
                p.source.end,
                p.copy.start,
                p.copy.end
            ));
            let (lw, rw) = (wrap(&view.source, col, color), wrap(&view.copy, col, color));
            for i in 0..lw.len().max(rw.len()) {
                let (l, lv) = lw.get(i).cloned().unwrap_or_default();
                let r = rw.get(i).map(|(r, _)| r.as_str()).unwrap_or("");
                s.push_str(&format!("  {l}{} | {r}\n", " ".repeat(col.saturating_sub(lv))));
            }
            s.push('\n');
        }
    }
    s
}

fn header(d: &DerivedFrom, source: &ArticleRecord) -> String {
    format!(
        "Derived from {} ({}, reuses {:.0}% of it): {}\n  source left, this article right; changed words {}\n\n",
        d.id,
        d.kind,
        d.reused_share * 100.0,
        describe(source),
        "marked [like this] (highlighted on a terminal)"
    )
}

/// Wraps marked segments into lines of at most `width` visible characters (a longer word gets
/// a line of its own); returns each line and its visible length. Changed words are highlighted
/// (ANSI) on a terminal, bracketed otherwise.
fn wrap(segments: &[Segment], width: usize, color: bool) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    let (mut line, mut len) = (String::new(), 0usize);
    // Whether the next piece continues the previous word (no space between them).
    let mut glued = false;
    for seg in segments {
        for piece in seg.text.split_inclusive(char::is_whitespace) {
            // Scraped words, escaped before the highlighting adds its own escape codes.
            let escaped = presswatch_text::escape_controls(piece.trim_end(), false);
            let bare = escaped.as_ref();
            if !bare.is_empty() {
                let marked = match (seg.changed, color) {
                    (true, true) => format!("\x1b[1;31m{bare}\x1b[0m"),
                    (true, false) => format!("[{bare}]"),
                    (false, _) => bare.to_string(),
                };
                let shown = bare.chars().count() + if seg.changed && !color { 2 } else { 0 };
                let space = usize::from(len > 0 && !glued);
                if len > 0 && len + space + shown > width {
                    lines.push((std::mem::take(&mut line), len));
                    len = 0;
                } else if space == 1 {
                    line.push(' ');
                    len += 1;
                }
                line.push_str(&marked);
                len += shown;
            }
            glued = piece.len() == piece.trim_end().len();
        }
    }
    if len > 0 {
        lines.push((line, len));
    }
    lines
}
