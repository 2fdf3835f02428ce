//! Photo captions glued to the paragraph after them.
//!
//! Scrapers that join a `<figcaption>` and the next `<p>` without whitespace leave
//! "… near Ukraine in December, 2021.The flurry of diplomatic activity …": a caption, a period
//! with no space, then the article. Within running prose a sentence end without a space before a
//! capitalised word does not happen, so such a join at the very start of a paragraph marks two
//! elements. The first is taken for a caption only when it reads like one (news-agency style):
//! one sentence of a few words that ends in a date ("…, Thursday, January 13, 2022.") or a photo
//! credit ("(AP Photo/…)", "Photo: …"). Anything else glued is left as it is.

use crate::date::month_number;
use presswatch_model::{BlockKind, DraftBlock};
use presswatch_text::is_sentence_end;

/// A glued caption has at least this many words: shorter heads are labels or datelines.
const MIN_CAPTION_WORDS: usize = 5;
/// At most this many words: longer heads are prose.
const MAX_CAPTION_WORDS: usize = 60;
/// The paragraph left after the caption has at least this many words.
const MIN_REST_WORDS: usize = 6;
/// A caption's date: the month name is among its last this many words.
const DATE_TAIL_WORDS: usize = 4;

/// Splits every visible paragraph that starts with a glued caption into a caption block and
/// the paragraph; other blocks pass through unchanged, in order.
pub(crate) fn split_glued_captions(blocks: Vec<DraftBlock>) -> Vec<DraftBlock> {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        let split = (block.kind == BlockKind::Paragraph && !block.hidden && block.boilerplate.is_none())
            .then(|| glued_caption_end(&block.text))
            .flatten();
        match split {
            Some(end) => {
                let (caption, rest) = block.text.split_at(end);
                out.push(DraftBlock { kind: BlockKind::Caption, text: caption.to_string(), ..block.clone() });
                out.push(DraftBlock { text: rest.to_string(), ..block });
            }
            None => out.push(block),
        }
    }
    out
}

/// The byte index just after the glued caption that starts `text` (after its period), if it
/// starts with one.
pub(crate) fn glued_caption_end(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if is_sentence_end(c) {
            match next {
                // A sentence end followed by a space: the head is more than one sentence.
                None => return None,
                Some(n) if n.is_whitespace() => return None,
                Some(n) if n.is_uppercase() && prev.is_some_and(|p| p.is_alphanumeric() || p == ')') => {
                    let end = i + c.len_utf8();
                    let after = &text[end..];
                    // "U.S.A" or "Ph.D": an uppercase letter then lowercase makes a word.
                    let mut word = after.chars();
                    word.next();
                    if !word.next().is_some_and(char::is_lowercase) {
                        prev = Some(c);
                        continue;
                    }
                    return is_caption(&text[..end], after).then_some(end);
                }
                _ => {}
            }
        }
        prev = Some(c);
    }
    None
}

/// Whether `head` (one sentence, with its period) reads like a photo caption, and `rest` like
/// the paragraph it was glued to.
fn is_caption(head: &str, rest: &str) -> bool {
    let words: Vec<&str> = head.split_whitespace().collect();
    if !(MIN_CAPTION_WORDS..=MAX_CAPTION_WORDS).contains(&words.len())
        || rest.split_whitespace().count() < MIN_REST_WORDS
    {
        return false;
    }
    ends_in_date(&words) || has_photo_credit(head)
}

/// "… in December, 2021." / "… Thursday, January 13, 2022." / "… 13 janvier 2022.": the last
/// word is a year and a month name is among the last few.
fn ends_in_date(words: &[&str]) -> bool {
    let bare = |w: &str| -> String { w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase() };
    let Some(last) = words.last().map(|w| bare(w)) else {
        return false;
    };
    let is_year = last.len() == 4
        && last.bytes().all(|b| b.is_ascii_digit())
        && (last.starts_with("19") || last.starts_with("20"));
    is_year && words.iter().rev().skip(1).take(DATE_TAIL_WORDS).any(|w| month_number(&bare(w)).is_some())
}

/// "(AP Photo/Alexander Zemlianichenko)", "Photo: Reuters", "Foto: dpa", "(Getty Images)".
fn has_photo_credit(head: &str) -> bool {
    let lower = head.to_lowercase();
    [
        "photo/",
        "photo:",
        "photo by",
        "foto:",
        "picture:",
        "getty images",
        "(reuters)",
        "/reuters",
        "(afp)",
        "/afp",
    ]
    .iter()
    .any(|cue| lower.contains(cue))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dated_caption_glued_to_prose_is_split() {
        let text = "Russian troops take part in drills in the Rostov region near Russia's border with \
                    Ukraine in December, 2021.The flurry of diplomatic activity last week ended, as expected.";
        let end = glued_caption_end(text).unwrap();
        assert!(text[..end].ends_with("December, 2021."));
        assert!(text[end..].starts_with("The flurry"));
        let full_date = "Vladimir Putin listens during a meeting in the Kremlin in Moscow, Russia, Thursday, \
                         January 13, 2022.Second, Russia’s brinkmanship also helps reveal fault lines among members.";
        assert!(glued_caption_end(full_date).is_some());
        let credit = "Protesters gather outside the embassy on Sunday (AP Photo/Efrem Lukatsky).Police \
                      said the crowd dispersed peacefully after two hours of speeches.";
        assert!(glued_caption_end(credit).is_some());
    }

    #[test]
    fn glued_prose_and_abbreviations_are_left_alone() {
        // Glued, but the head ends in a place, not a date: two paragraphs, no caption.
        let prose = "Grushko described the presence of NATO forces as intolerable for Moscow.With the talks \
                     so far following the expected script, questions remain.";
        assert_eq!(glued_caption_end(prose), None);
        // A normal first sentence: a space after the period.
        assert_eq!(
            glued_caption_end("Talks ended in December 2021. The flurry went on for weeks and weeks."),
            None
        );
        // Initialisms, not a join.
        assert_eq!(glued_caption_end("The U.S.A. and the U.K. met in Geneva in January 2022 to talk."), None);
        // Too short to be a caption.
        assert_eq!(
            glued_caption_end("May 2022.The talks went on for weeks without any result at all."),
            None
        );
    }

    #[test]
    fn split_keeps_every_character_in_order() {
        let blocks = vec![
            DraftBlock::new(BlockKind::Paragraph, "Soldiers stand guard at a checkpoint near Kharkiv, Ukraine, on 3 March 2022.The city was shelled again overnight, officials said on Friday."),
            DraftBlock::new(BlockKind::Heading, "Soldiers stand guard at a checkpoint, March 2022.The heading stays whole."),
        ];
        let out = split_glued_captions(blocks.clone());
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].kind, BlockKind::Caption);
        assert_eq!(out[1].kind, BlockKind::Paragraph);
        assert_eq!(format!("{}{}", out[0].text, out[1].text), blocks[0].text);
        assert_eq!(out[2], blocks[1]);
    }
}
