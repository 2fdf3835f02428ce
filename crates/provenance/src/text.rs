//! Tokens and sentences with character offsets: the view of a text that every signal is built on.

use crate::stopwords::is_stopword_hash;
use presswatch_text::{sentence::is_cjk_sentence_end, Script};
use xxhash_rust::xxh3::xxh3_64;

/// Longest sentence, in tokens: longer runs (unpunctuated paragraphs) are cut into pieces so that
/// pairwise alignment stays cheap and a long paragraph can still be partly reused.
pub const MAX_SENTENCE_TOKENS: usize = 60;

/// One word (or, in scripts written without spaces, one character), lowercased: 16 bytes (its
/// lowercased text is in [`Tokens::norm`]). A long text has millions, so it is kept small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Stable hash of the lowercased token.
    pub hash: u64,
    start: u32,
    /// The end offset, and [`STOP_BIT`] for a function word.
    end: u32,
}

/// In [`Token::end`]: the token is a function word. Offsets stay below it (texts are far
/// shorter than 2^31 characters: a record is at most 64 MiB).
const STOP_BIT: u32 = 1 << 31;

impl Token {
    fn new(hash: u64, start: u32, end: u32, stop: bool) -> Token {
        Token { hash, start, end: (end & !STOP_BIT) | if stop { STOP_BIT } else { 0 } }
    }

    /// `[start, end)` character offsets in the original text.
    pub fn chars(&self) -> (u32, u32) {
        (self.start, self.end & !STOP_BIT)
    }

    /// Moves it to other character offsets (of the same word).
    pub(crate) fn set_chars(&mut self, (start, end): (u32, u32)) {
        *self = Token::new(self.hash, start, end, self.stop());
    }

    /// A function word (`the`, `und`, `и`): kept by synonym substitution, so its sequence is a
    /// fingerprint of the sentence structure.
    pub fn stop(&self) -> bool {
        self.end & STOP_BIT != 0
    }
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
    /// The lowercased tokens, concatenated ([`Tokens::token_str`]).
    pub norm: String,
    /// Where each token's lowercased text ends in `norm` (it starts where the previous ends).
    norm_ends: Vec<u32>,
    /// Length of the text in characters.
    pub char_len: usize,
    /// The distinct content-word hashes, sorted; computed when first asked for.
    content_words: std::sync::OnceLock<Vec<u64>>,
}

impl Tokens {
    /// A token's lowercased text: `t` is one of `self.tokens` ("" for another token).
    pub fn token_str(&self, t: &Token) -> &str {
        // Its index, from its address in `tokens` (tokens no longer carry their `norm` range).
        let offset = (t as *const Token as usize).wrapping_sub(self.tokens.as_ptr() as usize);
        let i = offset / std::mem::size_of::<Token>();
        match self.tokens.get(i) {
            Some(at) if std::ptr::eq(at, t) => self.token_str_at(i),
            _ => "",
        }
    }

    /// The lowercased text of token `i` ("" past the end).
    pub fn token_str_at(&self, i: usize) -> &str {
        let (from, to) = self.norm_range(i);
        self.norm.get(from..to).unwrap_or("")
    }

    /// The byte range of token `i`'s lowercased text in `norm`.
    pub fn norm_range(&self, i: usize) -> (usize, usize) {
        let end = |i: usize| self.norm_ends.get(i).map_or(0, |&e| e as usize);
        (if i == 0 { 0 } else { end(i - 1) }, end(i))
    }

    /// A sentence's tokens.
    pub fn sentence_tokens(&self, s: &Sentence) -> &[Token] {
        self.tokens.get(s.tokens.0 as usize..s.tokens.1 as usize).unwrap_or(&[])
    }

    /// The distinct hashes of the content words (not function words), sorted.
    pub fn content_words(&self) -> &[u64] {
        self.content_words.get_or_init(|| {
            let mut w: Vec<u64> = self.tokens.iter().filter(|t| !t.stop()).map(|t| t.hash).collect();
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
        self.tokens.iter().filter(|t| t.stop()).count() as f32 / self.tokens.len() as f32
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
pub(crate) struct ExactHash {
    hash: u64,
    len: usize,
}

impl Default for ExactHash {
    fn default() -> Self {
        ExactHash { hash: 0x9E37_79B9_7F4A_7C15, len: 0 }
    }
}

impl ExactHash {
    pub(crate) fn add(&mut self, tokens: &[Token]) {
        for t in tokens {
            self.hash = mix(self.hash ^ t.hash);
        }
        self.len += tokens.len();
    }

    pub(crate) fn finish(&self) -> u64 {
        self.hash ^ self.len as u64
    }
}

/// `tokenize(text).exact_hash()` without holding every token of a long text at once: the text
/// is tokenized a piece of about 1 MB at a time ([`Tokenizer::take_closed`]).
pub fn exact_hash_of(text: &str) -> u64 {
    exact_hash_in_pieces(text, 1 << 20)
}

fn exact_hash_in_pieces(text: &str, piece: usize) -> u64 {
    let mut h = ExactHash::default();
    let mut tokenizer = Tokenizer::hashes_only();
    for piece in crate::fingerprint::pieces(text, piece) {
        tokenizer.feed(piece);
        h.add(&tokenizer.take_closed().tokens);
    }
    h.add(&tokenizer.finish_piece().tokens);
    h.finish()
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
    let mut t = Tokenizer::default();
    t.out.tokens.reserve(text.len() / 5);
    t.feed(text);
    t.finish()
}

/// [`tokenize`] a piece at a time: the text may be cut anywhere (between characters), and the
/// tokens of the sentences closed so far can be taken out ([`Tokenizer::take_closed`]) so that a
/// long text never has all its tokens in memory at once. Fed the pieces of a text in order, it
/// gives exactly the tokens and sentences of the whole text.
#[derive(Debug)]
pub struct Tokenizer {
    out: Tokens,
    /// Index (in the whole text's token sequence) of `out.tokens[0]`.
    tok_base: u32,
    word: String,
    word_start: u32,
    sentence_start_tok: u32,
    sentence_start_char: Option<u32>,
    pending_end: bool,
    /// A sentence-ending mark was seen, awaiting white space to confirm it.
    stop_seen: bool,
    char_index: u32,
    /// The character before the current one, and whether the current word could be an initial
    /// or part of an abbreviation if it is one letter long: "J." and "U.S." do not end a
    /// sentence, "km/h." does.
    prev: char,
    word_may_abbreviate: bool,
    /// Whether the lowercased tokens are kept (not when only hashes are wanted).
    keep_norm: bool,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            out: Tokens::default(),
            tok_base: 0,
            word: String::new(),
            word_start: 0,
            sentence_start_tok: 0,
            sentence_start_char: None,
            pending_end: false,
            stop_seen: false,
            char_index: 0,
            prev: ' ',
            word_may_abbreviate: false,
            keep_norm: true,
        }
    }
}

/// Tokens and sentences of a stretch of a text ([`Tokenizer::take_closed`]): token indices in
/// `sentences` and character offsets everywhere are the whole text's.
#[derive(Debug, Default)]
pub struct Piece {
    /// The tokens, in order; the first is token `first` of the whole text.
    pub tokens: Vec<Token>,
    /// The sentences these tokens make up, in order.
    pub sentences: Vec<Sentence>,
    /// Index of `tokens[0]` in the whole text's tokens.
    pub first: u32,
}

impl Piece {
    /// A sentence's tokens.
    pub fn sentence_tokens(&self, s: &Sentence) -> &[Token] {
        let at = |i: u32| i.saturating_sub(self.first) as usize;
        self.tokens.get(at(s.tokens.0)..at(s.tokens.1)).unwrap_or(&[])
    }
}

impl Tokenizer {
    /// A tokenizer for hashes and offsets only: its tokens have no lowercased text
    /// ([`Tokens::token_str`] is empty), which a long text need not hold.
    pub fn hashes_only() -> Tokenizer {
        Tokenizer { keep_norm: false, ..Tokenizer::default() }
    }

    /// Tokenizes the next piece of the text.
    pub fn feed(&mut self, text: &str) {
        for c in text.chars() {
            self.step(c);
        }
    }

    /// The tokens and sentences of the sentences closed so far that were not taken yet. The
    /// tokens of the sentence still open stay for later.
    pub fn take_closed(&mut self) -> Piece {
        if self.keep_norm {
            // Pieces carry no lowercased text; made for a tokenizer that keeps it, the tokens
            // left lose theirs too, consistently ([`Tokenizer::hashes_only`] is the one to use).
            self.keep_norm = false;
            self.out.norm = String::new();
            self.out.norm_ends = Vec::new();
        }
        let keep_from = (self.sentence_start_tok - self.tok_base) as usize;
        let rest = self.out.tokens.split_off(keep_from);
        let tokens = std::mem::replace(&mut self.out.tokens, rest);
        let first = self.tok_base;
        self.tok_base = self.sentence_start_tok;
        Piece { tokens, sentences: std::mem::take(&mut self.out.sentences), first }
    }

    /// The tokens and sentences of the whole text, the last sentence closed (if none were
    /// taken out: [`Tokenizer::finish_piece`] gives the rest after [`Tokenizer::take_closed`]).
    pub fn finish(mut self) -> Tokens {
        self.close_text();
        self.out
    }

    /// The tokens and sentences not taken out yet, the last sentence closed.
    pub fn finish_piece(mut self) -> Piece {
        self.close_text();
        self.take_closed()
    }

    fn close_text(&mut self) {
        if !self.word.is_empty() {
            let (start, end) = (self.word_start, self.char_index);
            self.push_word(start, end);
            self.sentence_start_char.get_or_insert(start);
        }
        self.close_sentence(self.char_index);
        self.out.char_len = self.char_index as usize;
    }

    fn step(&mut self, c: char) {
        let before = std::mem::replace(&mut self.prev, c);
        let i = self.char_index;
        self.char_index += 1;
        if c.is_alphanumeric() && !is_unspaced_script(c) {
            self.stop_seen = false;
            // (A full stop before a lower-case word ends the sentence too: "approx. five" is cut
            // in two, but a rewrite that changes case never moves a sentence boundary.)
            if self.pending_end {
                self.close_sentence(i);
                self.pending_end = false;
            }
            if self.word.is_empty() {
                self.word_start = i;
                self.word_may_abbreviate = before == '.'
                    || (c.is_uppercase()
                        && (before.is_whitespace() || matches!(before, '(' | '"' | '“' | '\'')));
            }
            push_lower(&mut self.word, c);
            return;
        }
        let initial_before = !self.word.is_empty() && i - self.word_start == 1 && self.word_may_abbreviate;
        if !self.word.is_empty() {
            let start = self.word_start;
            self.push_word(start, i);
            self.sentence_start_char.get_or_insert(start);
            if self.token_count() - self.sentence_start_tok >= MAX_SENTENCE_TOKENS as u32 {
                self.close_sentence(i);
            }
        }
        if is_unspaced_script(c) {
            if self.pending_end {
                self.close_sentence(i);
                self.pending_end = false;
            }
            let mut lower = String::new();
            push_lower(&mut lower, c);
            self.push_token(&lower, i, i + 1);
            self.sentence_start_char.get_or_insert(i);
            if self.token_count() - self.sentence_start_tok >= MAX_SENTENCE_TOKENS as u32 {
                self.close_sentence(i + 1);
            }
            return;
        }
        if c == '\n' {
            self.close_sentence(i);
            self.pending_end = false;
        } else if is_cjk_sentence_end(c) {
            // CJK full stops end a sentence at once.
            self.close_sentence(i + 1);
            self.pending_end = false;
            self.stop_seen = false;
        } else if is_sentence_end(c) {
            // Latin ones only before white space, closing quotes and brackets aside (so "U.S."
            // and "3.5" stay whole, and `accurate." Then` ends), and not after a single letter
            // (initials; not "km/h.").
            self.stop_seen = !(c == '.' && initial_before);
        } else if c.is_whitespace() {
            if self.stop_seen {
                self.pending_end = true;
            }
            self.stop_seen = false;
        } else if !matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '“') {
            self.stop_seen = false;
        }
    }

    /// Tokens so far, taken ones included.
    fn token_count(&self) -> u32 {
        self.tok_base + self.out.tokens.len() as u32
    }

    fn push_word(&mut self, start: u32, end: u32) {
        let word = std::mem::take(&mut self.word);
        self.push_token(&word, start, end);
        self.word = word;
        self.word.clear();
    }

    fn push_token(&mut self, word: &str, start: u32, end: u32) {
        let out = &mut self.out;
        if self.keep_norm {
            out.norm.push_str(word);
            out.norm_ends.push(out.norm.len() as u32);
        }
        let hash = xxh3_64(word.as_bytes());
        out.tokens.push(Token::new(hash, start, end, is_stopword_hash(hash)));
    }

    /// Ends the current sentence (if it has tokens) at character `end_char`, trimmed back to the
    /// end of its last token plus closing punctuation.
    fn close_sentence(&mut self, end_char: u32) {
        let end_tok = self.token_count();
        if end_tok > self.sentence_start_tok {
            let first = self.sentence_start_char.unwrap_or(0);
            let last_token_end = self.out.tokens.last().map_or(end_char, |t| t.chars().1);
            let end = end_char.max(last_token_end);
            let from = (self.sentence_start_tok - self.tok_base) as usize;
            let hash = self.out.tokens[from..].iter().fold(0x5E57u64, |h, t| mix(h ^ t.hash));
            self.out.sentences.push(Sentence {
                tokens: (self.sentence_start_tok, end_tok),
                chars: (first, end),
                hash,
            });
        }
        self.sentence_start_tok = end_tok;
        self.sentence_start_char = None;
    }
}

fn push_lower(buf: &mut String, c: char) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
    } else {
        buf.extend(c.to_lowercase());
    }
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
    fn a_token_takes_16_bytes() {
        // A long text has millions of tokens: 32 bytes each was 4.5 times the text.
        assert_eq!(std::mem::size_of::<Token>(), 16);
        let t = Token::new(7, 3, (1 << 31) - 1, true);
        assert_eq!((t.chars(), t.stop()), ((3, (1 << 31) - 1), true));
        let mut u = Token::new(7, 3, 9, false);
        u.set_chars((4, 10));
        assert_eq!((u.chars(), u.stop(), u.hash), ((4, 10), false, 7));
    }

    #[test]
    fn pieces_give_the_tokens_and_sentences_of_the_whole_text() {
        let text = "Blinken met Lavrov in Geneva. The U.S. said 3.5 things!\n\nNeue Straße, ÉTÉ \
                    député; 東京で会議が開かれた。Он сказал: «нет». don't stop—now. J. Smith \
                    wrote it (e.g. here). ";
        let long = format!("{text}{}", "word ".repeat(130));
        for text in [text, long.as_str()] {
            let whole = tokenize(text);
            for piece in [1, 2, 3, 5, 7, 16, 64, 1 << 20] {
                let mut tokenizer = Tokenizer::hashes_only();
                let (mut tokens, mut sentences) = (Vec::new(), Vec::new());
                for p in crate::fingerprint::pieces(text, piece) {
                    tokenizer.feed(p);
                    let taken = tokenizer.take_closed();
                    assert_eq!(taken.first as usize, tokens.len());
                    tokens.extend(taken.tokens);
                    sentences.extend(taken.sentences);
                }
                let rest = tokenizer.finish_piece();
                assert_eq!(rest.first as usize, tokens.len());
                tokens.extend(rest.tokens);
                sentences.extend(rest.sentences);
                assert_eq!(tokens, whole.tokens, "pieces of {piece} bytes");
                assert_eq!(sentences, whole.sentences, "pieces of {piece} bytes");
            }
        }
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
        assert_eq!(t.token_str_at(1), "met");
        assert_eq!(t.token_str(&Token::new(1, 0, 7, false)), "", "not one of its tokens");
        assert!(t.tokens[3].stop(), "'in' is a function word");
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
