//! `presswatch check`: verify the whole store and say what repairs each damaged part
//! (`presswatch_app::check`). Exit status 0 when clean, 2 when damage was found.

use crate::cli::CheckArgs;
use anyhow::Result;
use presswatch_app::check::{check, repair};
use presswatch_store::{StoreRead, StoreSearch};
use serde_json::json;
use std::process::ExitCode;

pub(super) fn run<S: StoreRead + StoreSearch>(store: &S, args: &CheckArgs) -> Result<ExitCode> {
    let report = check(store)?;
    let v = &report.verified;
    if args.json {
        let damage: Vec<_> = report
            .damage
            .iter()
            .map(|d| {
                json!({
                    "kind": d.kind.as_str(),
                    "doc": d.doc.map(|id| id.to_string()),
                    "source": d.source,
                    "detail": d.detail,
                    "repair": repair(d),
                })
            })
            .collect();
        let out = json!({
            "clean": report.is_clean(),
            "documents": report.documents,
            "blobs_verified": v.blobs,
            "articles_read": v.articles,
            "indexed": report.indexed,
            "index_rows_read": v.index_rows,
            "damage": damage,
            "search_in_step": report.search.is_none_or(|s| s.in_step()),
            "search_index": report.search.map(|s| s.describe()),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "checked {} documents: {} raw blobs hashed, {} articles read, {} indexed, {} index rows read",
            report.documents, v.blobs, v.articles, report.indexed, v.index_rows
        );
        for d in &report.damage {
            let doc = d.doc.map(|id| format!(" of document {id}")).unwrap_or_default();
            let source = d.source.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
            let line = format!("damaged {}{doc}{source}: {}", d.kind.as_str(), d.detail);
            println!("{}", presswatch_text::escape_controls(&line, false));
            println!("  repair: {}", presswatch_text::escape_controls(&repair(d), false));
        }
        if let Some(search) = report.search.filter(|s| !s.in_step()) {
            println!("search index {}", search.describe());
            if search.is_behind() {
                println!("  (behind only: not damage; the next command that writes catches it up)");
            } else {
                println!("  repair: run presswatch reindex");
            }
        }
        match report.damage.len() {
            0 if report.is_clean() => println!("the store is intact"),
            0 => println!("the store is intact; its search index is not"),
            n => println!("{n} damaged parts found"),
        }
    }
    Ok(if report.is_clean() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
