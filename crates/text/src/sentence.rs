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

/// Words that end in a full stop without ending a sentence ("Mr. Putin", "Gen. Milley").
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "capt", "sgt", "jr", "sr",
    "prof", "no", "vs", "etc", "e.g", "i.e", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov",
    "dec", "inc", "corp", "co", "ltd", "mt", "ft", "hr", "fr", "nr", "bzw", "z.b", "u.a", "ca", "mme", "m",
    "г", "гг", "им", "т.е", "т.д",
];

/// Whether the word ending just before byte `dot` (a `.`) is an abbreviation or an initial
/// ("J.", "U.S."), so the full stop does not end the sentence.
pub fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // An initial or a dotted acronym: "J", "U.S", "e.g" (not the "s" of "Obama's").
    let standalone = before[..word_start]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '“' | '«' | '„'));
    if standalone
        && (word.chars().count() == 1
            || word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2))
    {
        return word.chars().next().is_some_and(|c| c.is_alphabetic());
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Opening quotation marks and brackets that may start a sentence.
#[inline]
fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '„' | '‚' | '«' | '»' | '(' | '[' | '「' | '『' | '—' | '–' | '-')
}

/// The sentences of `text`, as byte ranges with the white space around them left out.
///
/// A sentence ends at a line break, at a CJK full stop, and at a [sentence end](is_sentence_end)
/// (with any closing quotes and brackets after it) followed by white space and then a capital
/// letter, a digit or an opening mark; a full stop after an abbreviation or an initial ("Mr.",
/// "U.S.") does not end one. Quotes and entities read their sentences from here.
pub fn sentence_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let push = |from: usize, to: usize, out: &mut Vec<std::ops::Range<usize>>| {
        let piece = &text[from..to];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if lead < piece.len() {
            out.push(from + lead..to - trail);
        }
    };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            push(start, i, &mut out);
            start = i + 1;
            continue;
        }
        if !is_sentence_end(c) {
            continue;
        }
        if is_cjk_sentence_end(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !is_closer(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            push(start, end, &mut out);
            start = end;
            continue;
        }
        if c == '.' && is_abbreviation(text, i) {
            continue;
        }
        // Sentence-end marks run on ("?!", "..."), then closers.
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !(is_sentence_end(d) || is_closer(d)) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        let rest = &text[end..];
        let after_space = rest.trim_start_matches([' ', '\t', '\u{a0}']);
        if after_space.len() == rest.len() && !rest.is_empty() && !rest.starts_with('\n') {
            continue;
        }
        let next = after_space.chars().next();
        if next.is_none_or(|n| n == '\n' || n.is_uppercase() || n.is_numeric() || is_opener(n)) {
            push(start, end, &mut out);
            start = end;
        }
    }
    push(start, text.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        sentence_spans(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn sentence_spans_split_at_ends_not_abbreviations() {
        assert_eq!(
            sentences("Mr. Putin met U.S. officials. “It went well,” he said. Then? Yes!\n\nNext one"),
            ["Mr. Putin met U.S. officials.", "“It went well,” he said.", "Then?", "Yes!", "Next one"]
        );
        assert_eq!(
            sentences("“We lost.” They left. 3 went home"),
            ["“We lost.”", "They left.", "3 went home"]
        );
        assert_eq!(sentences("完了。次だ。"), ["完了。", "次だ。"]);
        assert_eq!(sentences("a.b and 3.5 percent. end"), ["a.b and 3.5 percent. end"]);
        assert_eq!(sentences("Obama's. That was J. Smith."), ["Obama's.", "That was J. Smith."]);
        assert!(sentences("  \n ").is_empty());
    }

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
