//! Shared by the clean integration tests.

use presswatch_clean::normalize_block_text;
use presswatch_model::{Article, Draft};

/// The invariant "every draft block is either kept or recorded as removed, exactly once", as two
/// sorted lists that must be equal: the draft's block texts, and the article's kept texts plus
/// what clean itself removed (extraction's own removals are carried over and left out).
pub(crate) fn accounting(draft: &Draft, article: &Article) -> (Vec<String>, Vec<String>) {
    let mut input: Vec<String> = draft
        .blocks
        .iter()
        .map(|b| normalize_block_text(b.kind, &b.text))
        .filter(|t| !t.is_empty())
        .collect();
    let mut output: Vec<String> = article
        .blocks
        .iter()
        .map(|b| b.text.clone())
        .chain(article.removed.iter().skip(draft.removed.len()).map(|r| r.text.clone()))
        .collect();
    input.sort();
    output.sort();
    (input, output)
}
