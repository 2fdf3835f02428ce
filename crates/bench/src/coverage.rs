//! `presswatch-bench coverage DIR`: checks, page by page, that the article's text did not vanish:
//! the kept blocks plus the removed text (with their reasons) against all the text the page could
//! render. A page far below is one where text went missing without a reason; a page whose kept
//! text is small while long prose went to `removed` shows which rule took it.

use anyhow::{bail, Context, Result};
use presswatch_model::{Format, Reason, Record};
use std::collections::BTreeMap;
use std::path::Path;

/// Accounted-for text below this share of the rendered text is reported.
const LOW_COVERAGE: f64 = 0.5;
/// A removed entry this long (non-space characters) is reported when the kept text is shorter.
const LONG_REMOVED: usize = 1000;

pub(crate) fn run(dir: &Path, all: bool) -> Result<()> {
    let pages = presswatch_eval::load_pages(dir)
        .with_context(|| format!("cannot read pages from {}", dir.display()))?;
    if pages.is_empty() {
        bail!("no .html or .html.gz pages in {}", dir.display());
    }
    let (mut low, mut empty, mut taken) = (0usize, 0usize, 0usize);
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for page in &pages {
        let record = Record::new(page.id.clone(), Format::Html, page.bytes.clone());
        let Ok(raw) = presswatch_ingest::decode_record(&record) else { continue };
        let rendered = chars(&presswatch_extract::rendered_text(&raw.body));
        let Ok(article) = presswatch_pipeline::process(&record) else { continue };
        let kept: usize = article.blocks.iter().map(|b| chars(&b.text)).sum();
        let removed: usize = article.removed.iter().map(|r| chars(&r.text)).sum();
        let share = if rendered == 0 { 1.0 } else { (kept + removed) as f64 / rendered as f64 };
        let long: Vec<(Reason, usize)> = article
            .removed
            .iter()
            .map(|r| (r.reason, chars(&r.text)))
            .filter(|&(_, n)| n >= LONG_REMOVED && n > kept)
            .collect();
        let flagged = share < LOW_COVERAGE || article.text.is_empty() || !long.is_empty();
        low += usize::from(share < LOW_COVERAGE);
        empty += usize::from(article.text.is_empty());
        taken += usize::from(!long.is_empty());
        for (r, _) in &long {
            *by_reason.entry(format!("{r:?}")).or_insert(0) += 1;
        }
        if flagged || all {
            let long: Vec<String> = long.iter().map(|(r, n)| format!("{r:?}:{n}")).collect();
            println!(
                "{}\trendered={rendered}\tkept={kept}\tremoved={removed}\tshare={share:.2}\t{}",
                page.id,
                long.join(",")
            );
        }
    }
    println!(
        "{} pages: {low} with less than {:.0}% of the rendered text accounted for, {empty} with empty text, \
         {taken} with a removed entry of >= {LONG_REMOVED} chars longer than the kept text {by_reason:?}",
        pages.len(),
        LOW_COVERAGE * 100.0
    );
    Ok(())
}

fn chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}
