//! Character ranges into an article's `text`.
//!
//! Offsets count Unicode scalar values (chars), not bytes, so they mean the same in every
//! language binding (Python, JavaScript) that reads the export. They serialize as `[start, end]`.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of character offsets into a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    /// First character of the range.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

impl Span {
    /// The range `[start, end)`.
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// How many characters it covers.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether it covers nothing.
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Whether character offset `at` falls inside.
    pub const fn contains(&self, at: usize) -> bool {
        self.start <= at && at < self.end
    }

    /// The covered part of `text` (empty where the span runs past it).
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        let mut starts = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
        let Some(from) = starts.nth(self.start) else { return "" };
        let to = if self.is_empty() { from } else { starts.nth(self.len() - 1).unwrap_or(text.len()) };
        &text[from..to]
    }
}

impl From<[usize; 2]> for Span {
    fn from([start, end]: [usize; 2]) -> Span {
        Span { start, end }
    }
}

impl From<Span> for [usize; 2] {
    fn from(span: Span) -> [usize; 2] {
        [span.start, span.end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_by_characters() {
        let text = "Kyiv — Київ";
        assert_eq!(Span::new(7, 11).slice(text), "Київ");
        assert_eq!(Span::new(0, 4).slice(text), "Kyiv");
        assert_eq!(Span::new(9, 40).slice(text), "їв");
        assert_eq!(Span::new(40, 50).slice(text), "");
        assert_eq!(serde_json::to_string(&Span::new(1, 3)).unwrap(), "[1,3]");
    }
}
