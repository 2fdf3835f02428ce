//! Shared by the clean integration tests.

use presswatch_clean::normalize_block_text;
use presswatch_model::{Article, BlockKind, Draft};

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
    // A paragraph that starts with a glued photo caption comes out as two blocks, the caption
    // and the rest: count the pair as the paragraph it was.
    let captions: Vec<String> =
        article.blocks.iter().filter(|b| b.kind == BlockKind::Caption).map(|b| b.text.clone()).collect();
    for caption in captions {
        let whole = input.iter().find(|t| t.starts_with(&caption) && t.len() > caption.len()).cloned();
        if let Some(whole) = whole {
            let rest = whole[caption.len()..].to_string();
            if let (Some(c), Some(r)) =
                (output.iter().position(|t| *t == caption), output.iter().position(|t| *t == rest))
            {
                output[c] = whole;
                output.remove(r);
            }
        }
    }
    input.sort();
    output.sort();
    (input, output)
}
