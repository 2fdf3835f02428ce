//! Tokens and sentences with character offsets: the view of a text that every signal is built on.

use crate::stopwords::is_stopword_hash;
use presswatch_text::{sentence::is_cjk_sentence_end, Script};
use xxhash_rust::xxh3::xxh3_64;

/// Longest sentence, in tokens: longer runs (unpunctuated paragraphs) are cut into pieces so that
/// pairwise alignment stays cheap and a long paragraph can still be partly reused.
pub const MAX_SENTENCE_TOKENS: usize = 60;

/// One word (or, in scripts written without spaces, one character), lowercased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Stable hash of the lowercased token.
    pub hash: u64,
    /// Byte range of the lowercased token in [`Tokens::norm`].
    pub norm: (u32, u32),
    /// `[start, end)` character offsets in the original text.
    pub chars: (u32, u32),
    /// A function word (`the`, `und`, `и`): kept by synonym substitution, so its sequence is a
    /// fingerprint of the sentence structure.
    pub stop: bool,
}

/// A sentence: a token range and its character span in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// `[start, end)` token indices.
    pub tokens: (u32, u32),
    /// `[start, end)` character offsets in the text.
    pub chars: (u32, u32),
    /// Hash of the sentence's token sequence: equal for sentences with the same words.
    pub hash: u64,
}

impl Sentence {
    /// Its number of tokens.
    pub fn len(&self) -> usize {
        (self.tokens.1 - self.tokens.0) as usize
    }

    /// Whether it has no token.
    pub fn is_empty(&self) -> bool {
        self.tokens.0 == self.tokens.1
    }

    /// Its length in characters.
    pub fn char_len(&self) -> usize {
        (self.chars.1 - self.chars.0) as usize
    }
}

/// The fast hasher's tables and the stable mixer, from `presswatch-text` (re-exported: the store
/// and the CLI use them through this module).
pub use presswatch_text::{mix, HashMap, HashSet};

/// A text cut into tokens and sentences.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// The words, in order.
    pub tokens: Vec<Token>,
    /// The sentences, in order; together they cover every token.
    pub sentences: Vec<Sentence>,
    /// The lowercased tokens, concatenated (tokens index into it).
    pub norm: String,
    /// Length of the text in characters.
    pub char_len: usize,
    /// The distinct content-word hashes, sorted; computed when first asked for.
    content_words: std::sync::OnceLock<Vec<u64>>,
}

impl Tokens {
    /// A token's lowercased text.
    pub fn token_str(&self, t: &Token) -> &str {
        self.norm.get(t.norm.0 as usize..t.norm.1 as usize).unwrap_or("")
    }

    /// A sentence's tokens.
    pub fn sentence_tokens(&self, s: &Sentence) -> &[Token] {
        self.tokens.get(s.tokens.0 as usize..s.tokens.1 as usize).unwrap_or(&[])
    }

    /// The distinct hashes of the content words (not function words), sorted.
    pub fn content_words(&self) -> &[u64] {
        self.content_words.get_or_init(|| {
            let mut w: Vec<u64> = self.tokens.iter().filter(|t| !t.stop).map(|t| t.hash).collect();
            w.sort_unstable();
            w.dedup();
            w
        })
    }

    /// Share of tokens that are function words: low for scripts without spaces and for languages
    /// the stopword list does not know, where other signals take over.
    pub fn stop_share(&self) -> f32 {
        if self.tokens.is_empty() {
            return 0.0;
        }
        self.tokens.iter().filter(|t| t.stop).count() as f32 / self.tokens.len() as f32
    }

    /// Hash of the whole normalized token sequence: equal for texts that differ only in case,
    /// punctuation and whitespace.
    pub fn exact_hash(&self) -> u64 {
        let mut h = ExactHash::default();
        h.add(&self.tokens);
        h.finish()
    }
}

/// The running state of [`Tokens::exact_hash`], so a long text can be hashed piece by piece.
struct ExactHash {
    hash: u64,
    len: usize,
}

impl Default for ExactHash {
    fn default() -> Self {
        ExactHash { hash: 0x9E37_79B9_7F4A_7C15, len: 0 }
    }
}

impl ExactHash {
    fn add(&mut self, tokens: &[Token]) {
        for t in tokens {
            self.hash = mix(self.hash ^ t.hash);
        }
        self.len += tokens.len();
    }

    fn finish(&self) -> u64 {
        self.hash ^ self.len as u64
    }
}

/// `tokenize(text).exact_hash()` without holding every token of a long text at once (a token
/// takes 32 bytes, several times the text it stands for): the text is tokenized in pieces of
/// about 1 MB cut after a character that is not inside a word, which gives the same tokens.
pub fn exact_hash_of(text: &str) -> u64 {
    exact_hash_in_pieces(text, 1 << 20)
}

fn exact_hash_in_pieces(text: &str, piece: usize) -> u64 {
    let mut h = ExactHash::default();
    let mut rest = text;
    while !rest.is_empty() {
        let cut = word_boundary_after(rest, piece);
        let (head, tail) = rest.split_at(cut);
        h.add(&tokenize(head).tokens);
        rest = tail;
    }
    h.finish()
}

/// The end of the first character at or after byte `at` of `text` that cannot be part of a
/// word token (a word is a run of alphanumerics of spaced scripts; any other character ends it
/// or is a token of its own), or the text's length.
fn word_boundary_after(text: &str, at: usize) -> usize {
    if text.len() <= at {
        return text.len();
    }
    text.char_indices()
        .skip_while(|&(i, _)| i < at)
        .find(|&(_, c)| !c.is_alphanumeric() || is_unspaced_script(c))
        .map_or(text.len(), |(i, c)| i + c.len_utf8())
}

/// Characters of scripts written without spaces between words: each is its own token.
fn is_unspaced_script(c: char) -> bool {
    Script::of(c).is_unspaced()
}

/// A sentence end, or a semicolon: rewrites split and join sentences at semicolons, so
/// alignment works on the clauses on either side.
fn is_sentence_end(c: char) -> bool {
    presswatch_text::is_sentence_end(c) || c == ';'
}

/// Cuts `text` into tokens and sentences. Sentences end at `.`, `!`, `?` (and their CJK forms)
/// followed by a space or a line break, at line breaks, and after [`MAX_SENTENCE_TOKENS`] tokens.
pub fn tokenize(text: &str) -> Tokens {
    let mut out = Tokens { tokens: Vec::with_capacity(text.len() / 5), ..Default::default() };
    let mut word = String::new();
    let mut word_start = 0u32;
    let mut sentence_start_tok = 0u32;
    let mut sentence_start_char: Option<u32> = None;
    let mut pending_end = false;
    // A sentence-ending mark was seen, awaiting white space to confirm it.
    let mut stop_seen = false;
    let mut char_index = 0u32;
    // The character before the current one, and whether the current word could be an initial
    // or part of an abbreviation if it is one letter long: "J." and "U.S." do not end a
    // sentence, "km/h." does.
    let mut prev = ' ';
    let mut word_may_abbreviate = false;

    for c in text.chars() {
        let before = std::mem::replace(&mut prev, c);
        let i = char_index;
        char_index += 1;
        if c.is_alphanumeric() && !is_unspaced_script(c) {
            stop_seen = false;
            // (A full stop before a lower-case word ends the sentence too: "approx. five" is cut
            // in two, but a rewrite that changes case never moves a sentence boundary.)
            if pending_end {
                close_sentence(&mut out, &mut sentence_start_tok, &mut sentence_start_char, i);
                pending_end = false;
            }
            if word.is_empty() {
                word_start = i;
                word_may_abbreviate = before == '.'
                    || (c.is_uppercase()
                        && (before.is_whitespace() || matches!(before, '(' | '"' | '“' | '\'')));
            }
            push_lower(&mut word, c);
            continue;
        }
        let initial_before = !word.is_empty() && i - word_start == 1 && word_may_abbreviate;
        if !word.is_empty() {
            push_token(&mut out, &word, word_start, i);
            word.clear();
            sentence_start_char.get_or_insert(word_start);
            if out.tokens.len() as u32 - sentence_start_tok >= MAX_SENTENCE_TOKENS as u32 {
                close_sentence(&mut out, &mut sentence_start_tok, &mut sentence_start_char, i);
            }
        }
        if is_unspaced_script(c) {
            if pending_end {
                close_sentence(&mut out, &mut sentence_start_tok, &mut sentence_start_char, i);
                pending_end = false;
            }
            let mut buf = String::new();
            push_lower(&mut buf, c);
            push_token(&mut out, &buf, i, i + 1);
            sentence_start_char.get_or_insert(i);
            if out.tokens.len() as u32 - sentence_start_tok >= MAX_SENTENCE_TOKENS as u32 {
                close_sentence(&mut out, &mut sentence_start_tok, &mut sentence_start_char, i + 1);
            }
            continue;
        }
        if c == '\n' {
            close_sentence(&mut out, &mut sentence_start_tok, &mut sentence_start_char, i);
            pending_end = false;
        } else if is_cjk_sentence_end(c) {
            // CJK full stops end a sentence at once.
            close_sentence(&mut out, &mut sentence_start_tok, &mut sentence_start_char, i + 1);
            pending_end = false;
            stop_seen = false;
        } else if is_sentence_end(c) {
            // Latin ones only before white space, closing quotes and brackets aside (so "U.S."
            // and "3.5" stay whole, and `accurate." Then` ends), and not after a single letter
            // (initials; not "km/h.").
            stop_seen = !(c == '.' && initial_before);
        } else if c.is_whitespace() {
            if stop_seen {
                pending_end = true;
            }
            stop_seen = false;
        } else if !matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '“') {
            stop_seen = false;
        }
    }
    if !word.is_empty() {
        push_token(&mut out, &word, word_start, char_index);
        sentence_start_char.get_or_insert(word_start);
    }
    close_sentence(&mut out, &mut sentence_start_tok, &mut sentence_start_char, char_index);
    out.char_len = char_index as usize;
    out
}

fn push_lower(buf: &mut String, c: char) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
    } else {
        buf.extend(c.to_lowercase());
    }
}

fn push_token(out: &mut Tokens, word: &str, start: u32, end: u32) {
    let from = out.norm.len() as u32;
    out.norm.push_str(word);
    let hash = xxh3_64(word.as_bytes());
    out.tokens.push(Token {
        hash,
        norm: (from, out.norm.len() as u32),
        chars: (start, end),
        stop: is_stopword_hash(hash),
    });
}

/// Ends the current sentence (if it has tokens) at character `end_char`, trimmed back to the
/// end of its last token plus closing punctuation.
fn close_sentence(out: &mut Tokens, start_tok: &mut u32, start_char: &mut Option<u32>, end_char: u32) {
    let end_tok = out.tokens.len() as u32;
    if end_tok > *start_tok {
        let first = start_char.unwrap_or(0);
        let last_token_end = out.tokens.last().map_or(end_char, |t| t.chars.1);
        let end = end_char.max(last_token_end);
        let hash = out.tokens[*start_tok as usize..].iter().fold(0x5E57u64, |h, t| mix(h ^ t.hash));
        out.sentences.push(Sentence { tokens: (*start_tok, end_tok), chars: (first, end), hash });
    }
    *start_tok = end_tok;
    *start_char = None;
}

/// Levenshtein distance with adjacent transpositions, stopping early once it exceeds `limit`
/// (returns `limit + 1` then). Words are short, so the quadratic table is tiny.
pub fn edit_distance_within(a: &str, b: &str, limit: usize) -> usize {
    if a.is_ascii() && b.is_ascii() {
        return edit_distance_slices(a.as_bytes(), b.as_bytes(), limit);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    edit_distance_slices(&a, &b, limit)
}

fn edit_distance_slices<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> usize {
    const MAX: usize = 48;
    if a.len().abs_diff(b.len()) > limit || a.len() >= MAX || b.len() >= MAX {
        return if a == b { 0 } else { limit + 1 };
    }
    let w = b.len() + 1;
    let mut prev2 = [0usize; MAX];
    let mut prev = [0usize; MAX];
    for (j, p) in prev.iter_mut().enumerate().take(w) {
        *p = j;
    }
    let mut cur = [0usize; MAX];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(limit + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_hash_in_pieces_equals_the_whole_texts() {
        let text = "Blinken met Lavrov in Geneva. The U.S. said 3.5 things!\n\nNeue Straße, ÉTÉ \
                    député; 東京で会議が開かれた。Он сказал: «нет». don't stop—now";
        let whole = tokenize(text).exact_hash();
        for piece in [1, 2, 3, 5, 7, 16, 64, 1 << 20] {
            assert_eq!(exact_hash_in_pieces(text, piece), whole, "pieces of {piece} bytes");
        }
        assert_eq!(exact_hash_of(text), whole);
        assert_ne!(exact_hash_of("Lavrov met Blinken"), exact_hash_of("Blinken met Lavrov"));
        assert_eq!(exact_hash_of(""), tokenize("").exact_hash());
    }

    #[test]
    fn sentences_and_offsets() {
        let t = tokenize("Blinken met Lavrov in Geneva. The U.S. said 3.5 things!\n\nNew para here");
        assert_eq!(t.sentences.len(), 3);
        let s = t.sentences[1];
        let text: String = "Blinken met Lavrov in Geneva. The U.S. said 3.5 things!\n\nNew para here"
            .chars()
            .skip(s.chars.0 as usize)
            .take(s.char_len())
            .collect();
        assert_eq!(text, "The U.S. said 3.5 things!");
        assert_eq!(t.token_str(&t.tokens[0]), "blinken");
        assert!(t.tokens[3].stop, "'in' is a function word");
    }

    #[test]
    fn initials_and_abbreviations_do_not_end_a_sentence_but_units_do() {
        let count = |s: &str| tokenize(s).sentences.len();
        assert_eq!(count("It closes at up to 50 km/h. Meanwhile, it takes 15 seconds."), 2);
        assert_eq!(count("President John F. Kennedy spoke in Berlin. Then he left."), 2);
        assert_eq!(count("Some allies, e.g. Poland, sent more. Others did not."), 2);
        assert_eq!(count("He said so (J. Smith wrote it) today."), 1);
    }

    #[test]
    fn cjk_is_tokenized_per_character() {
        let t = tokenize("俄罗斯总统普京。乌克兰");
        assert_eq!(t.tokens.len(), 10);
        assert_eq!(t.sentences.len(), 2);
    }

    #[test]
    fn exact_hash_ignores_case_and_punctuation() {
        assert_eq!(tokenize("Hello, World!").exact_hash(), tokenize("hello world").exact_hash());
        assert_ne!(tokenize("hello world").exact_hash(), tokenize("world hello").exact_hash());
    }

    #[test]
    fn edit_distance() {
        assert_eq!(edit_distance_within("blinken", "blnken", 2), 1);
        assert_eq!(edit_distance_within("advertisement", "advertisment", 2), 1);
        assert_eq!(edit_distance_within("form", "from", 2), 1);
        assert_eq!(edit_distance_within("washington", "belly", 2), 3);
    }

    #[test]
    fn long_runs_are_cut() {
        let text = "word ".repeat(150);
        let t = tokenize(&text);
        assert!(t.sentences.iter().all(|s| s.len() <= MAX_SENTENCE_TOKENS));
        assert_eq!(t.sentences.iter().map(|s| s.len()).sum::<usize>(), 150);
    }
}
