//! What the integration tests share: the real seeds through the pipeline, and articles built
//! from plain text.

use presswatch_model::{ArticleRecord, Block, BlockKind, Format, Record};

/// The real seeds as the pipeline derives them, in file-name order.
pub(crate) fn seeds() -> Vec<ArticleRecord> {
    presswatch_testkit::seed_paths()
        .iter()
        .map(|p| {
            let record = Record::new(p.display().to_string(), Format::Text, std::fs::read(p).unwrap());
            presswatch_pipeline::process(&record).unwrap()
        })
        .collect()
}

/// Sets `a`'s blocks to the paragraphs of `text` (split on blank lines) and its text to them.
pub(crate) fn set_paragraphs(a: &mut ArticleRecord, text: &str) {
    a.blocks = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| Block { kind: BlockKind::Paragraph, text: p.trim().to_string(), language: None })
        .collect();
    a.text = a.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n\n");
}
