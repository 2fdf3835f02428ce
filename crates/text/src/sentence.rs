//! Sentence and clause ends, for every script the pipeline meets.

/// Ends a sentence: `.`, `!`, `?`, `…` and their CJK, Arabic and Devanagari forms.
#[inline]
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？' | '؟' | '।')
}

/// Ends a clause inside a sentence: `,`, `;`, `:` and their CJK and Arabic forms.
#[inline]
pub fn is_clause_end(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '，' | '、' | '；' | '：' | '،')
}

/// CJK full stops: they end a sentence where they stand, with no space after them.
#[inline]
pub fn is_cjk_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

/// Closing quotes and brackets (and Markdown emphasis) that may follow a sentence end:
/// `"Done."`, `(see above.)`, `**Note.**`.
#[inline]
pub fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '」' | '』' | '*')
}

/// The last character of `text` that is not white space or a [closer](is_closer).
fn last_mark(text: &str) -> Option<char> {
    text.chars().rev().find(|&c| !c.is_whitespace() && !is_closer(c))
}

/// True when `text` ends like a sentence ([`is_sentence_end`]), closing quotes and brackets aside.
pub fn ends_sentence(text: &str) -> bool {
    last_mark(text).is_some_and(is_sentence_end)
}

/// True when `text` ends like a sentence or a clause ([`is_sentence_end`] or [`is_clause_end`]),
/// closing quotes and brackets aside.
pub fn ends_clause(text: &str) -> bool {
    last_mark(text).is_some_and(|c| is_sentence_end(c) || is_clause_end(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends() {
        assert!(ends_sentence("It was done."));
        assert!(ends_sentence("Was it done?\""));
        assert!(ends_sentence("完了。」"));
        assert!(!ends_sentence("Related topics"));
        assert!(!ends_sentence("Similar News:"));
        assert!(ends_clause("Similar News:"));
        assert!(!ends_clause(""));
    }
}
