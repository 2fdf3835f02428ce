//! `presswatch extract`: run the pipeline on files without a store.

use crate::cli::{ExtractArgs, ExtractFormat};
use anyhow::Result;
use presswatch_ingest::Limits;
use presswatch_model::{ArticleRecord, BlockKind};
use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn run(args: &ExtractArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() { vec![PathBuf::from("-")] } else { args.paths.clone() };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut rejected = false;
    for input in presswatch_ingest::expand_paths(&paths) {
        let path = match input {
            Ok(p) => p,
            Err(rejection) => {
                eprintln!("{}", presswatch_text::escape_controls(&format!("presswatch: {rejection}"), false));
                rejected = true;
                continue;
            }
        };
        let name = path.display().to_string();
        let reader: Box<dyn Read> = if name == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            match presswatch_ingest::open_input(&path, std::time::Duration::from_secs_f64(args.fifo_wait)) {
                Ok(f) => Box::new(f),
                Err(rejection) => {
                    eprintln!(
                        "{}",
                        presswatch_text::escape_controls(&format!("presswatch: {rejection}"), false)
                    );
                    rejected = true;
                    continue;
                }
            }
        };
        for item in presswatch_ingest::records(&name, reader, Limits::default()) {
            match item.and_then(presswatch_pipeline::process_record) {
                Ok(article) => write_article(&mut out, &article, args)?,
                Err(rejection) => {
                    eprintln!(
                        "{}",
                        presswatch_text::escape_controls(&format!("presswatch: {rejection}"), false)
                    );
                    rejected = true;
                }
            }
        }
    }
    out.flush()?;
    Ok(if rejected { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn write_article(out: &mut impl Write, article: &ArticleRecord, args: &ExtractArgs) -> Result<()> {
    if args.jsonl {
        let mut value = serde_json::to_value(article)?;
        if let Some(obj) = value.as_object_mut() {
            obj.insert("id".into(), page_id(&article.source).into());
        }
        serde_json::to_writer(&mut *out, &value)?;
        out.write_all(b"\n")?;
        return Ok(());
    }
    if let Some(why) = super::explain::explain_short(article) {
        // On standard error, so that the text on standard output stays the article's.
        let line = format!("presswatch: {}: {why}", article.source);
        eprintln!("{}", presswatch_text::escape_controls(&line, false));
    }
    match args.format {
        ExtractFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, article)?;
            out.write_all(b"\n")?;
        }
        ExtractFormat::Text => writeln!(out, "{}", article.text)?,
        ExtractFormat::Markdown => write!(out, "{}", markdown(article))?,
    }
    Ok(())
}

/// The page id the benchmark uses: the file name without directories and .gz/.html/.htm.
pub(super) fn page_id(source: &str) -> String {
    let (path, record) = match source.rsplit_once('#') {
        Some((p, r)) if r.chars().all(|c| c.is_ascii_digit()) => (p, Some(r)),
        _ => (source, None),
    };
    let mut base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    for suffix in [".gz", ".zst", ".html", ".htm"] {
        base = base.strip_suffix(suffix).unwrap_or(base);
    }
    match record {
        Some(r) => format!("{base}#{r}"),
        None => base.to_string(),
    }
}

fn markdown(a: &ArticleRecord) -> String {
    let mut s = String::new();
    if let Some(t) = &a.meta.title {
        s.push_str(&format!("# {t}\n\n"));
    }
    for b in &a.blocks {
        let line = match b.kind {
            BlockKind::Heading => format!("## {}", b.text),
            BlockKind::ListItem => format!("- {}", b.text),
            BlockKind::Quote => format!("> {}", b.text),
            BlockKind::Caption => format!("*{}*", b.text),
            BlockKind::Preformatted => format!("```\n{}\n```", b.text),
            _ => b.text.clone(),
        };
        s.push_str(&line);
        s.push_str("\n\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::page_id;

    #[test]
    fn page_id_strips_dirs_and_suffixes() {
        assert_eq!(page_id("bench/html/abc.html.gz"), "abc");
        assert_eq!(page_id("abc.htm"), "abc");
        assert_eq!(page_id("dump.jsonl#12"), "dump.jsonl#12");
        assert_eq!(page_id("x/p.html#2"), "p#2");
    }
}
