//! `presswatch show ID`: one article, readable.

use crate::cli::ShowArgs;
use anyhow::{bail, Result};
use presswatch_model::{block_spans, ArticleView, BlockKind, Reason};
use presswatch_store::StoreRead;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;

pub(super) fn run(store: &dyn StoreRead, args: &ShowArgs) -> Result<ExitCode> {
    let Some(record) = presswatch_app::read::article(store, &args.id)? else {
        bail!("no article with id {:?} (list ids with `presswatch export | jq -r .id`)", args.id);
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&record)?);
    } else {
        let terminal = std::io::stdout().is_terminal();
        let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(120);
        // Scraped text is printed with its control characters escaped: a page cannot drive the
        // terminal.
        print!("{}", presswatch_text::escape_controls(&render(&record), true));
        let groups = presswatch_app::read::quote_groups_of(store, &record)?;
        if !groups.is_empty() {
            let mut s = String::from("\nQuotes seen elsewhere\n");
            for (id, g) in &groups {
                let role = if g.id == *id { "first appearance" } else { "repeats" };
                s.push_str(&format!("quote {id} ({role}):\n"));
                s.push_str(&super::quotes::group_text(g));
            }
            print!("{}", presswatch_text::escape_controls(&s, true));
        }
        if !record.derived_from.is_empty() {
            let sources = presswatch_app::read::alignment(store, &record)?;
            let aligned = super::copies::render_alignment(&sources, terminal, width);
            print!("\n{aligned}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The readable form: a metadata header, the text with headings marked, images, removed text.
pub(super) fn render(r: &ArticleView) -> String {
    let mut s = String::new();
    let none = "-";
    let _ = writeln!(s, "{}", r.meta.title.as_deref().unwrap_or("(no title)"));
    let _ = writeln!(s, "{}", "=".repeat(r.meta.title.as_deref().map_or(10, |t| t.chars().count().min(100))));
    let _ = writeln!(s, "id:         {}", r.id);
    let _ = writeln!(s, "source:     {} ({})", r.source, r.format);
    let _ = writeln!(s, "published:  {}", r.meta.published.map(|p| p.to_string()).as_deref().unwrap_or(none));
    let _ = writeln!(
        s,
        "authors:    {}",
        if r.meta.authors.is_empty() { none.to_string() } else { r.meta.authors.join(", ") }
    );
    let _ = writeln!(s, "outlet:     {}", r.meta.outlet.as_deref().unwrap_or(none));
    let _ = writeln!(s, "url:        {}", r.meta.url.as_deref().unwrap_or(none));
    let _ = writeln!(s, "section:    {}", r.meta.section.as_deref().unwrap_or(none));
    let _ = writeln!(
        s,
        "tags:       {}",
        if r.meta.tags.is_empty() { none.to_string() } else { r.meta.tags.join(", ") }
    );
    let _ = writeln!(s, "language:   {}", r.meta.language.as_deref().unwrap_or(none));
    let _ = writeln!(s, "sha256:     {}", r.sha256);
    let _ = writeln!(s, "extractor:  {}", r.extractor_version);
    if let Some(e) = &r.extraction {
        let _ = writeln!(
            s,
            "candidate:  {} ({} of the page's {} characters)",
            e.candidate, e.chars, e.page_chars
        );
    }
    if let Some(why) = super::explain::explain_short(r) {
        let _ = writeln!(s, "why short:  {why}");
    }
    if let Some(c) = &r.dup_cluster {
        let _ = writeln!(s, "cluster:    {c}");
    }
    for d in &r.derived_from {
        let _ = writeln!(s, "source:     {} ({}, reuses {:.0}% of it)", d.id, d.kind, d.reused_share * 100.0);
    }
    s.push('\n');
    // Outlet boilerplate stays in the stored text (offsets into it never shift); a reader sees it
    // with the removed text, as the provenance stage judged it.
    let boilerplate: Vec<usize> = block_spans(&r.blocks)
        .filter(|(_, span)| r.outlet_boilerplate.contains(span))
        .map(|(i, _)| i)
        .collect();
    for (i, b) in r.blocks.iter().enumerate() {
        if boilerplate.contains(&i) {
            continue;
        }
        match b.kind {
            BlockKind::Heading => {
                let _ = writeln!(s, "## {}\n", b.text);
            }
            BlockKind::ListItem => {
                let _ = writeln!(s, "  - {}\n", b.text);
            }
            BlockKind::Quote => {
                let _ = writeln!(s, "> {}\n", b.text);
            }
            BlockKind::Caption => {
                let _ = writeln!(s, "[caption] {}\n", b.text);
            }
            _ => {
                let _ = writeln!(s, "{}\n", b.text);
            }
        }
    }
    if !r.images.is_empty() {
        let _ = writeln!(s, "Images");
        for i in &r.images {
            let _ = writeln!(
                s,
                "  {}\n    caption: {}\n    credit:  {}",
                i.url.as_deref().unwrap_or(none),
                i.caption.as_deref().unwrap_or(none),
                i.credit.as_deref().unwrap_or(none)
            );
        }
        s.push('\n');
    }
    let outlet = boilerplate.iter().map(|&i| (Reason::RepeatedAcrossOutlet, r.blocks[i].text.as_str()));
    let removed: Vec<(Reason, &str)> =
        r.removed.iter().map(|rm| (rm.reason, rm.text.as_str())).chain(outlet).collect();
    if !removed.is_empty() {
        let _ = writeln!(s, "Removed");
        for (reason, text) in removed {
            let shown: String = text.chars().take(160).collect();
            let more = if text.chars().count() > 160 { "…" } else { "" };
            let _ = writeln!(s, "  [{reason}] {}{more}", shown.replace('\n', " "));
        }
    }
    if !r.kept_against.is_empty() {
        // The label rules would have removed the article: say which blocks stayed against them.
        let _ = writeln!(s, "\nKept against cleaning rules (they would have removed the article)");
        for k in &r.kept_against {
            let text = r.blocks.get(k.block).map_or("", |b| b.text.as_str());
            let shown: String = text.chars().take(100).collect();
            let more = if text.chars().count() > 100 { "…" } else { "" };
            let _ = writeln!(s, "  block {} [{}] {shown}{more}", k.block, k.reason);
        }
    }
    s
}
