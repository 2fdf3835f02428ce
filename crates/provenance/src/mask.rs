//! Matching an article with some of its blocks left out, while every offset stays one into its
//! full `text`.
//!
//! Outlet boilerplate (a standing "about us" block) is left out of copy detection, but the
//! article's `text` is never rewritten (offsets into it are fixed once the per-document pipeline
//! has run). So the stage matches the *masked* text, the text without those blocks, and maps the
//! offsets of its tokens back into the full text.
//!
//! The masked spans are whole blocks as laid out by [`presswatch_model::block_spans`]: removing
//! one removes it and one block separator, so the masked text is exactly the remaining blocks
//! joined by [`BLOCK_SEPARATOR`].

use crate::text::Tokens;
use presswatch_model::{Span, BLOCK_SEPARATOR};

/// The text without the `masked` spans (sorted, disjoint, each a whole block of `text`): the
/// remaining blocks joined by the block separator.
pub fn masked_text(text: &str, masked: &[Span]) -> String {
    if masked.is_empty() {
        return text.to_string();
    }
    let sep = BLOCK_SEPARATOR;
    let sep_chars = sep.chars().count();
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let byte_at = |c: usize| starts.get(c).copied().unwrap_or(text.len());
    let char_len = starts.len() - 1;
    let mut out = String::with_capacity(text.len());
    // Each region between two masked blocks loses the separator next to each of them.
    let mut region_start = 0usize;
    for span in masked {
        let region_end = span.start.saturating_sub(sep_chars);
        if region_end > region_start {
            push_region(&mut out, &text[byte_at(region_start)..byte_at(region_end)], sep);
        }
        region_start = span.end + sep_chars;
    }
    if region_start < char_len {
        push_region(&mut out, &text[byte_at(region_start)..], sep);
    }
    out
}

fn push_region(out: &mut String, region: &str, sep: &str) {
    if region.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push_str(sep);
    }
    out.push_str(region);
}

/// The offset in the full text of character offset `at` of the masked text.
pub fn to_full(at: usize, masked: &[Span]) -> usize {
    let removed_per_block = BLOCK_SEPARATOR.chars().count();
    let mut full = at;
    for span in masked {
        if span.start <= full {
            full += span.len() + removed_per_block;
        } else {
            break;
        }
    }
    full
}

/// Moves the character offsets of tokens made from a masked text to the full text's.
pub fn unmask_tokens(tokens: &mut Tokens, masked: &[Span]) {
    if masked.is_empty() {
        return;
    }
    let map = |at: u32| to_full(at as usize, masked) as u32;
    for t in &mut tokens.tokens {
        t.set_chars((map(t.chars().0), map(t.chars().1)));
    }
    for s in &mut tokens.sentences {
        s.chars = (map(s.chars.0), map(s.chars.1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use presswatch_model::{block_spans, Block, BlockKind};
    use proptest::prelude::*;

    fn blocks(texts: &[String]) -> Vec<Block> {
        texts.iter().map(|t| Block { kind: BlockKind::Paragraph, text: t.clone(), language: None }).collect()
    }

    proptest! {
        #[test]
        fn masked_text_is_the_kept_blocks_and_offsets_map_back(
            texts in prop::collection::vec("[a-zé\u{416}\u{4e2d} .]{1,12}", 1..8),
            mask_bits in any::<u8>(),
        ) {
            let bs = blocks(&texts);
            let text = presswatch_model::Article { blocks: bs.clone(), ..Default::default() }.text();
            let spans: Vec<Span> = block_spans(&bs).map(|(_, s)| s).collect();
            let masked: Vec<Span> = spans.iter().enumerate()
                .filter(|(i, _)| mask_bits & (1 << (i % 8)) != 0).map(|(_, s)| *s).collect();
            let kept: Vec<&str> = texts.iter().enumerate()
                .filter(|(i, _)| mask_bits & (1 << (i % 8)) == 0).map(|(_, t)| t.as_str()).collect();
            let m = masked_text(&text, &masked);
            prop_assert_eq!(&m, &kept.join(BLOCK_SEPARATOR));
            let full: Vec<char> = text.chars().collect();
            for (at, c) in m.chars().enumerate() {
                prop_assert_eq!(full[to_full(at, &masked)], c);
            }
        }
    }

    #[test]
    fn block_ends_map_to_block_ends() {
        let text = "A\n\nB\n\nC\n\nD";
        let masked = [Span::new(6, 7), Span::new(9, 10)];
        assert_eq!(masked_text(text, &masked), "A\n\nB");
        assert_eq!(to_full(4, &masked), 4);
        let masked = [Span::new(0, 1), Span::new(3, 4)];
        assert_eq!(masked_text(text, &masked), "C\n\nD");
        assert_eq!((to_full(0, &masked), to_full(1, &masked), to_full(4, &masked)), (6, 7, 10));
    }
}
