//! Quotes and their speakers: who said what in one article.
//!
//! What it is for: the quotes stage of the per-document pipeline ([`QuotesStage`], a
//! [`DocumentStage`]). It finds
//!
//! - **direct** quotes in every common style of quotation marks (see `marks`), including a quote
//!   interrupted by its speaker tag (`"A," she said, "B."` is one quote with two content spans)
//!   and one that runs over several paragraphs, reopening each without closing the last;
//! - **indirect** (reported) speech: "X said (that) ...", "X told reporters ...", "X warned ...",
//!   "according to X, ...", "..., X said.", and the German, French and Russian forms ("sagte,
//!   dass", "selon X", "a déclaré que", "заявил, что", "по словам X");
//! - **mixed** quotes: reported speech that quotes a fragment ("said that Russia was 'returning
//!   Ukraine to its border'").
//!
//! Each quote gets its content spans, its cue (the speech verb, with its lemma), the mention of
//! its speaker ("he" in "he said") and the speaker's name: a pronoun resolves to the first
//! person named in the nearest sentence before it that names one outside quoted words (the
//! subject, more often than a name in a relative clause), a definite role noun ("the minister")
//! to the nearest person with that title, "the court" or "the organization" to the
//! organisation named before, a surname ("Blinken", or the misspelt "Blnken") to the full name
//! the document gives. An untagged quote takes the speaker of a tagged one in its paragraph at
//! most one sentence of narration away: a wrong name is worse than none.
//!
//! How: rules over a word tokenization and small word lists (`lexicon`): no model, no
//! dictionary files, linear in the text. The speaker's corpus-wide entity ([`Speaker::entity`])
//! is left to the entity stage.
//!
//! What it is not for: deciding who is right, or grouping a quote's appearances across articles
//! (a corpus stage's job).
//!
//! Offsets are character offsets into the article's `text` ([`Span`]), as everywhere in
//! presswatch; inside, the stage works in bytes and converts once at the end.
//!
//! ```
//! let text = "“We will definitely meet,” Putin said. He added that talks would go on.";
//! let quotes = presswatch_quotes::quotes_in_text(text, None);
//! assert_eq!(quotes.len(), 2);
//! assert_eq!(quotes[0].content[0].slice(text), "We will definitely meet,");
//! assert_eq!(quotes[1].speaker.name.as_deref(), Some("Putin"));
//! assert_eq!(quotes[1].content[0].slice(text), "talks would go on");
//! ```

mod lexicon;
mod marks;

use lexicon::{Cue, Lexicon};
use marks::Marked;
use presswatch_gazetteer::Gender;
use presswatch_model::{Article, BlockKind, DocumentStage, Language, Quote, QuoteKind, Span, Speaker};
use presswatch_text::within_one_edit;
use std::collections::HashMap;
use std::ops::Range;

/// The quotes stage: fills [`Article::quotes`]. Runs after the language stage, whose block
/// languages it copies onto the quotes.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuotesStage;

impl DocumentStage for QuotesStage {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn apply(&self, article: &mut Article) {
        article.quotes = quotes(article);
    }
}

/// The quotes of `article`, spans into [`Article::text`].
pub fn quotes(article: &Article) -> Vec<Quote> {
    let text = article.text_cow();
    let mut blocks = Vec::with_capacity(article.blocks.len());
    let mut at = 0usize;
    for b in article.blocks.iter().filter(|b| b.kind != BlockKind::Caption) {
        let language = b.language.as_ref().or(article.meta.language.as_ref());
        blocks.push((at..at + b.text.len(), language));
        at += b.text.len() + presswatch_model::BLOCK_SEPARATOR.len();
    }
    Doc::new(&text, blocks).quotes()
}

/// The quotes of a plain text, spans into `text` exactly as given: its paragraphs are the runs
/// of lines between blank lines, all in `language`. The evaluation mode (`presswatch quotes
/// --jsonl FILE...`) reads files through this.
pub fn quotes_in_text(text: &str, language: Option<&Language>) -> Vec<Quote> {
    let mut blocks = Vec::new();
    let mut start = 0usize;
    let mut pos = 0usize;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            if text[start..pos].trim().is_empty() {
                start = pos + line.len();
            } else {
                blocks.push((start..pos, language));
                start = pos + line.len();
            }
        }
        pos += line.len();
    }
    if !text[start..].trim().is_empty() {
        blocks.push((start..text.len(), language));
    }
    Doc::new(text, blocks).quotes()
}

/// At most this many words between a quote and its cue in a speaker tag ("," she said on
/// Sunday in an interview with ...): past it, the verb belongs to another clause.
const MAX_TAG_WORDS: usize = 12;
/// The longest aside between a subject and its cue ("Mayer, Disney's chairman of
/// direct-to-consumer and international, said"), in tokens.
const MAX_PARENTHETICAL_WORDS: usize = 24;
/// A quote of fewer words with no speaker tag is a scare quote, a title or a term ("so-called
/// 'Russiagate'"), not speech.
const MIN_UNTAGGED_WORDS: usize = 4;
/// Reported content shorter than this many words is no claim ("he said so").
const MIN_REPORTED_WORDS: usize = 3;
/// A complementizer ("that") counts when it comes within this many words after the cue
/// ("said on Sunday that").
const MAX_COMPLEMENTIZER_GAP: usize = 8;
/// Words a subject noun phrase may span before its cue ("a senior US official who will attend
/// the talks said").
const MAX_SUBJECT_WORDS: usize = 12;

/// The largest text the stage reads (token offsets are `u32`, and so are the ends of the lowered
/// words in [`Doc::lowered`], which lowercasing makes at most 1.5 times as long); ingest's record
/// limit (64 MiB by default) is far below it, a larger text gets no quotes.
const MAX_TEXT_BYTES: usize = (u32::MAX / 2) as usize;

/// The most bytes of text between an untagged quote and the quote it takes its speaker from.
const MAX_INHERIT_GAP: usize = 2_000;

/// How many tokens back "the committee" looks for the committee's name.
const ORGANISATION_LOOKBACK: usize = 5_000;

/// How far (in bytes between their starts) quotes are looked at for a speaker to take.
const INHERIT_WINDOW: usize = 20_000;

/// A token: a word or one punctuation character, by byte range into the text. 8 bytes (a
/// huge one-paragraph record holds one per word and punctuation mark, so this is most of the
/// stage's memory): a `u32` start, a `u16` length (a longer token, only ever an absurd run of
/// letters, keeps its end in [`Toks::long_ends`]), whether it is a word, and whether it has a
/// capital (the tokens whose lower case [`Doc::low`] looks up in [`Doc::lowered`]).
#[derive(Debug, Clone, Copy)]
struct Tok {
    from: u32,
    len: u16,
    word: bool,
    cap: bool,
}

/// In [`Tok::len`]: the token is [`u16::MAX`] bytes or longer, its end is in [`Toks::long_ends`].
const LONG: u16 = u16::MAX;

impl Tok {
    fn start(&self) -> usize {
        self.from as usize
    }
}

/// The end (exclusive) of token `i` of `toks`, whose long tokens end at `long_ends`.
fn tok_end(toks: &[Tok], long_ends: &[(u32, u32)], i: usize) -> usize {
    let t = toks[i];
    if t.len < LONG {
        return t.start() + usize::from(t.len);
    }
    long_ends[long_ends.partition_point(|&(j, _)| (j as usize) < i)].1 as usize
}

/// The tokens of a document in order, and the ends of the few too long for [`Tok::len`].
#[derive(Debug, Default)]
struct Toks {
    toks: Vec<Tok>,
    /// `(token index, end)` of every token of [`LONG`] bytes or more, by token index.
    long_ends: Vec<(u32, u32)>,
}

impl Toks {
    /// Adds the token `text[start..end]`. `Doc::new` only tokenizes texts of at most
    /// [`MAX_TEXT_BYTES`], so the offsets (and the token count) fit `u32`.
    fn push(&mut self, text: &str, start: usize, end: usize, word: bool) {
        let len = match u16::try_from(end - start) {
            Ok(len) if len < LONG => len,
            _ => {
                self.long_ends.push((self.toks.len() as u32, end as u32));
                LONG
            }
        };
        let cap = text[start..end].chars().any(char::is_uppercase);
        self.toks.push(Tok { from: start as u32, len, word, cap });
    }
}

/// Which tokens have a capital, 64 tokens to a word, each word with the count of such tokens
/// before it: the rank of a token among them (its lowered word in [`Doc::lowered`]) in a few
/// operations, for a quarter of a byte a token. [`Doc::low`] is asked for every word the rules
/// look at, so a binary search over the capitalised tokens there cost a tenth of the stage.
#[derive(Debug, Default)]
struct CapRank {
    /// Per 64 tokens: bit `j` set when token `64 * n + j` has a capital, and how many tokens
    /// before the 64 do.
    words: Vec<(u64, u32)>,
}

impl CapRank {
    fn new(toks: &[Tok]) -> CapRank {
        let mut words = Vec::with_capacity(toks.len().div_ceil(64));
        let mut count = 0u32;
        for chunk in toks.chunks(64) {
            let bits = chunk.iter().enumerate().filter(|(_, t)| t.cap).fold(0u64, |b, (j, _)| b | 1 << j);
            words.push((bits, count));
            count += bits.count_ones();
        }
        CapRank { words }
    }

    /// How many tokens before token `i` have a capital.
    fn before(&self, i: usize) -> usize {
        let (bits, count) = self.words[i / 64];
        let below = bits & ((1u64 << (i % 64)) - 1);
        count as usize + below.count_ones() as usize
    }
}

/// Who a speaker tag names, before resolution.
#[derive(Debug, Clone, PartialEq)]
enum Subject {
    /// "he", "sie", "они": `true` when plural.
    Pronoun(bool),
    /// A name as written, titles cut ("Liz Truss" of "Foreign Secretary Liz Truss").
    Name(String),
    /// A role noun phrase: whether definite, and its head noun ("the minister").
    Role(bool, String),
    /// Any other noun phrase ("the US and its allies").
    Other,
}

/// A speaker tag: the cue and who it names.
#[derive(Debug, Clone)]
struct Tag {
    cue: Range<usize>,
    lemma: &'static str,
    subject: Option<(Range<usize>, Subject)>,
}

/// A named person the document mentions: where, the name, and the titles before it.
#[derive(Debug, Clone)]
struct Person {
    at: usize,
    name: String,
    titles: Vec<String>,
    /// Written with a possessive "'s" ("Parise's goals"): a modifier, not a clause's subject.
    possessive: bool,
    /// What the titles or the given name say of the person's gender (set once all are found).
    gender: Option<Gender>,
}

impl Person {
    /// Whether "he" or "she" of `gender` may stand for this person: their given name, or a
    /// "Mr"/"Mrs"/"Ms" title, does not say otherwise.
    fn may_be(&self, gender: Gender) -> bool {
        !matches!(self.gender, Some(k) if k != Gender::Either && k != gender)
    }

    /// The gender the titles or the given name say, `given` looking names up (memoised).
    fn known_gender(&self, given: &mut HashMap<String, Option<Gender>>) -> Option<Gender> {
        let titled = |ts: &[&str]| self.titles.iter().any(|t| ts.contains(&t.trim_end_matches('.')));
        if titled(&["mr"]) {
            return Some(Gender::Male);
        }
        if titled(&["mrs", "ms", "miss"]) {
            return Some(Gender::Female);
        }
        let first = self.name.split(' ').next()?;
        if let Some(&g) = given.get(first) {
            return g;
        }
        let g = presswatch_gazetteer::given_name_gender(first);
        given.insert(first.to_string(), g);
        g
    }
}

/// Reported content found in a sentence: its range, its tag, and the speaker it takes from
/// elsewhere (a participle's: "..., adding that ...").
type Report = (Vec<Range<usize>>, Option<Tag>, Option<Speaker>);

/// A quote being built, in bytes.
#[derive(Debug, Clone)]
struct Found {
    content: Vec<Range<usize>>,
    tag: Option<Tag>,
    kind: QuoteKind,
    block: usize,
    /// Where its tag or first content starts: the point pronouns are resolved from.
    at: usize,
    /// Its speaker, when taken from a neighbouring quote.
    inherited: Option<Speaker>,
}

/// One document under analysis: its text, tokens, blocks and the people it names.
struct Doc<'a> {
    text: &'a str,
    lex: &'static Lexicon,
    toks: Vec<Tok>,
    /// See [`Toks::long_ends`].
    long_ends: Vec<(u32, u32)>,
    /// The lower case of every token with a capital ([`Tok::cap`]), one after the other, the
    /// end of the `k`th in `lowered_ends[k]`; [`CapRank`] gives a token's `k`. A few bytes for
    /// each such word, where a lower case per token (a `Cow<str>`, then a 4-byte index and a
    /// `Box<str>`) took 24.
    lowered: String,
    lowered_ends: Vec<u32>,
    caps: CapRank,
    blocks: Vec<(Range<usize>, Option<&'a Language>)>,
    people: Vec<Person>,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str, blocks: Vec<(Range<usize>, Option<&'a Language>)>) -> Doc<'a> {
        let blocks = if text.len() > MAX_TEXT_BYTES { Vec::new() } else { blocks };
        let mut toks = Toks { toks: Vec::with_capacity(text.len() / 5), long_ends: Vec::new() };
        for (range, _) in &blocks {
            tokenize(text, range.clone(), &mut toks);
        }
        let Toks { toks, long_ends } = toks;
        let (mut lowered, mut lowered_ends) = (String::new(), Vec::new());
        for (i, t) in toks.iter().enumerate().filter(|(_, t)| t.cap) {
            lowered.push_str(&text[t.start()..tok_end(&toks, &long_ends, i)].to_lowercase());
            // At most 1.5 times the text's MAX_TEXT_BYTES: fits u32.
            lowered_ends.push(lowered.len() as u32);
        }
        let caps = CapRank::new(&toks);
        let mut doc = Doc {
            text,
            lex: Lexicon::get(),
            toks,
            long_ends,
            lowered,
            lowered_ends,
            caps,
            blocks,
            people: Vec::new(),
        };
        doc.people = doc.find_people();
        doc
    }

    /// The end of token `i` (exclusive).
    fn end(&self, i: usize) -> usize {
        tok_end(&self.toks, &self.long_ends, i)
    }

    fn s(&self, i: usize) -> &'a str {
        &self.text[self.toks[i].start()..self.end(i)]
    }

    fn low(&self, i: usize) -> &str {
        if !self.toks[i].cap {
            return self.s(i);
        }
        let k = self.caps.before(i);
        let start = if k == 0 { 0 } else { self.lowered_ends[k - 1] as usize };
        &self.lowered[start..self.lowered_ends[k] as usize]
    }

    fn is_punct(&self, i: usize, set: &[char]) -> bool {
        !self.toks[i].word && self.s(i).chars().next().is_some_and(|c| set.contains(&c))
    }

    /// The index of the first token starting at or after byte `at`.
    fn tok_at(&self, at: usize) -> usize {
        self.toks.partition_point(|t| t.start() < at)
    }

    /// Whether token `i` is a capitalized word that may be part of a name.
    fn is_cap(&self, i: usize) -> bool {
        let t = self.toks[i];
        // An initial is one even where its letter is a word ("Sonya A. Zoghlin").
        let initial =
            || self.s(i).chars().count() == 1 && self.toks.get(i + 1).is_some_and(|_| self.s(i + 1) == ".");
        // "al-Mahmoud", "el-Sisi": an Arabic article before the capital.
        let word = self.s(i);
        let word = ["al-", "el-"].iter().find_map(|a| word.strip_prefix(a)).unwrap_or(word);
        t.word
            && word.chars().next().is_some_and(char::is_uppercase)
            && (!self.lex.is_not_name(self.low(i)) || initial())
    }

    /// Whether token `i` is a connector inside a name ("Le" in "Jean-Yves Le Drian", "von"),
    /// "of" after a title ("Secretary of State"), "of" or "for" after an organisation word and
    /// "and" after them ("Department for Work and Pensions").
    fn is_name_connector(&self, i: usize) -> bool {
        match self.low(i) {
            "of" => i > 0 && (self.lex.is_title(self.low(i - 1)) || self.is_organisation_word(i - 1)),
            "for" => i > 0 && self.is_organisation_word(i - 1),
            // "Department for Work and Pensions", "Department of Health and Human Services".
            "and" => {
                i > 1
                    && self.is_cap(i - 1)
                    && (i.saturating_sub(5)..i - 1).any(|k| {
                        k > 0 && matches!(self.low(k), "of" | "for") && self.is_organisation_word(k - 1)
                    })
            }
            low => is_particle(low),
        }
    }

    /// Whether token `i` is a capitalised name particle ("Van" of "Van Der Beek", "De" of "De
    /// Niro"): part of a name when name words follow, although the word alone ("van", "la") is
    /// no name.
    fn is_cap_particle(&self, i: usize) -> bool {
        self.toks[i].word && self.s(i).starts_with(char::is_uppercase) && is_particle(self.low(i))
    }

    /// Whether token `i` is an auxiliary or an adverb between a subject and its cue ("has",
    /// "repeatedly"); lowercase, so that "the People's Daily" keeps its "Daily".
    fn is_auxiliary(&self, i: usize) -> bool {
        !self.s(i).starts_with(char::is_uppercase) && self.lex.is_auxiliary(self.low(i))
    }

    /// Whether token `i` is a capitalised organisation head ("Department" of "Department of
    /// Social Services", "Bank" of "Bank of England"), which "of" continues.
    fn is_organisation_word(&self, i: usize) -> bool {
        self.s(i).starts_with(char::is_uppercase) && self.lex.is_organisation(self.low(i))
    }

    /// Whether token `i` is an initial ("R" of "Joe R. Biden"), its full stop the next token.
    fn is_initial(&self, i: usize) -> bool {
        self.s(i).chars().count() == 1 && self.is_cap(i) && i + 1 < self.toks.len() && self.s(i + 1) == "."
    }

    /// Whether token `i` is the full stop of an abbreviation or an initial ("Lt.", "U.S.", "R."),
    /// which neither ends a name nor a speaker tag.
    fn is_abbreviation_dot(&self, i: usize) -> bool {
        self.s(i) == "." && i > 0 && presswatch_text::is_abbreviation(self.text, self.toks[i].start())
    }

    /// The run of name tokens ending at token `last` (inclusive), going back no further than `lo`.
    fn run_back(&self, last: usize, lo: usize) -> usize {
        let mut k = last;
        while k > lo {
            let p = k - 1;
            let initial = p > lo && self.is_abbreviation_dot(p) && self.toks[p - 1].word;
            let connector =
                p > lo && self.is_name_connector(p) && (self.is_cap(p - 1) || self.is_cap_particle(p - 1));
            if !(self.is_cap(p) || initial || connector || self.is_cap_particle(p)) {
                break;
            }
            k = p;
        }
        k
    }

    /// The run of name tokens starting at token `first`, up to `hi` (exclusive); its end.
    fn run_forward(&self, first: usize, hi: usize) -> usize {
        let mut k = first;
        while k < hi {
            let initial = k > first && self.is_abbreviation_dot(k);
            let connector = self.is_name_connector(k)
                && k + 1 < hi
                && (self.is_cap(k + 1) || self.is_cap_particle(k + 1) && k + 2 < hi && self.is_cap(k + 2));
            if !(self.is_cap(k) || initial || connector) {
                break;
            }
            k += 1;
        }
        k
    }

    /// The name a run of tokens `[a, b)` gives with leading titles cut: its token range and the
    /// titles, or `None` when nothing but titles is left.
    fn strip_titles(&self, a: usize, b: usize) -> (Option<Range<usize>>, Vec<String>) {
        let mut titles = Vec::new();
        let mut k = a;
        while k < b {
            let low = self.low(k);
            let skip = self.lex.is_title(low)
                || self.lex.is_not_name(low)
                || (self.is_name_connector(k) && !(self.is_cap_particle(k) && k + 1 < b))
                || self.s(k) == "."
                || (self.lex.is_not_person(low) && b - k > 2);
            if !skip {
                break;
            }
            if self.lex.is_title(low) {
                titles.push(low.to_string());
            }
            k += 1;
        }
        // A title further in ("Palmetto Police Sgt. Lee Gragg", "Bank of America CEO Brian
        // Moynihan"): the name is what follows the last one (its full stop skipped), when
        // anything does ("Martin Luther King" keeps its "King").
        if let Some(m) = (k + 1..b).rev().find(|&m| self.toks[m].word && self.lex.is_title(self.low(m))) {
            let mut n = m + 1;
            while n < b && !self.toks[n].word {
                n += 1;
            }
            if n < b {
                titles.push(self.low(m).to_string());
                k = n;
            }
        }
        ((k < b).then_some(k..b), titles)
    }

    /// The written name of tokens `r`, a possessive "'s" cut. An organisation's is the whole
    /// run ("South Dakota's Department of Social Services", "San Francisco Chronicle": a
    /// place first, "Kotak Institutional Equities": no given name in three words or more). A
    /// person's starts at the first given name ("Michael Forrest Jones", "Nigel Van der Bijl",
    /// after "Democrat" or "Browns DL"); without one, it is the last two words (three with an
    /// initial or a particle in the middle), as words before them are likelier modifiers. A
    /// generational suffix stays ("Patrick Carlineo Jr."). Cyrillic runs keep their last two
    /// words (the list of given names is Latin).
    fn name_of(&self, r: Range<usize>) -> String {
        let r = self.person_suffix(r);
        if !self.is_person(&r) {
            return strip_possessive(&self.text[self.span(r)]).to_string();
        }
        let words: Vec<usize> = r.clone().filter(|&i| self.toks[i].word).collect();
        let suffix =
            words.len() >= 3 && matches!(self.s(words[words.len() - 1]), "Jr" | "Sr" | "II" | "III" | "IV");
        let core = &words[..words.len() - usize::from(suffix)];
        let word = |k: usize| strip_possessive(self.s(core[k]));
        let n = core.len();
        let given = (0..n).find(|&k| presswatch_gazetteer::is_given_name(word(k)));
        let place_led = n >= 3
            && given != Some(0)
            && (1..n.min(4)).any(|k| {
                presswatch_gazetteer::place(&self.text[self.span(core[0]..core[k - 1] + 1)]).is_some()
            });
        // The gazetteer's given names are in Latin letters: other runs keep the last words.
        let latin = (0..n).all(|k| !word(k).chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}')));
        let keep = match n {
            0 => return String::new(),
            _ if !latin => n.min(2),
            _ if place_led => n,
            _ if n >= 3 && given.is_some_and(|p| n - p >= 2) => n - given.unwrap_or(0),
            _ if n >= 3 && (self.is_initial(core[n - 2]) || self.is_name_connector(core[n - 2])) => 3,
            _ if n >= 3 && given.is_none() => n,
            _ => n.min(2),
        };
        let first = core[n - keep];
        let mut last = *words.last().unwrap_or(&first);
        if suffix && last + 1 < r.end && self.is_abbreviation_dot(last + 1) {
            last += 1;
        }
        let mut name = String::new();
        for i in first..=last {
            if self.toks[i].word && !name.is_empty() {
                name.push(' ');
            }
            name.push_str(self.s(i));
        }
        strip_possessive(&name).to_string()
    }

    /// Whether the name tokens `r` name a person: no organisation or place word, no acronym.
    fn is_person(&self, r: &Range<usize>) -> bool {
        r.clone()
            .filter(|&i| self.toks[i].word)
            .all(|i| !is_acronym(self.s(i)) && !self.lex.is_not_person(strip_possessive(self.low(i))))
    }

    /// The name tokens `r` or, when they are no person's name, their longest end of two words
    /// or more after a possessive, an acronym or an organisation word that is one (`r` itself
    /// when none is).
    fn person_suffix(&self, r: Range<usize>) -> Range<usize> {
        if self.is_person(&r) {
            return r;
        }
        let breaks = |i: usize| is_possessive(self.s(i)) || !self.is_person(&(i..i + 1));
        match (r.start..r.end).rev().find(|&i| self.toks[i].word && breaks(i)) {
            Some(b)
                if b + 1 < r.end
                    && self.is_cap(b + 1)
                    && (b + 1..r.end).filter(|&i| self.toks[i].word).count() >= 2 =>
            {
                b + 1..r.end
            }
            _ => r,
        }
    }

    /// Every mention of a named person, in order: full names (two words or more, or one after a
    /// title, or one right before a cue), then every later surname of a full name.
    fn find_people(&self) -> Vec<Person> {
        let mut people = Vec::new();
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            if !self.is_cap(i) {
                i += 1;
                continue;
            }
            // Lowercase titles before the run ("foreign minister Sergei Lavrov", "министр").
            let end = self.run_forward(i, n);
            let (name, mut titles) = self.strip_titles(i, end);
            let mut k = i;
            while k > 0 && self.toks[k - 1].word && self.lex.is_title(self.low(k - 1)) {
                k -= 1;
                titles.insert(0, self.low(k).to_string());
            }
            // An apposition: "the company's chief executive, Laura Jennings".
            if k > 1 && self.is_punct(k - 1, &[',']) {
                let mut t = k - 1;
                while t > 0
                    && self.toks[t - 1].word
                    && (self.lex.is_title(self.low(t - 1)) || self.lex.is_role(self.low(t - 1)))
                {
                    t -= 1;
                    titles.insert(0, self.low(t).to_string());
                }
            }
            // A person after an organisation or a possessive in the run ("Browns DL Sheldon
            // Richardson", "The Crown Prosecution Service's Alison Levitt"): the two-word or
            // longer end of the run that names a person.
            let name = name.map(|r| self.person_suffix(r));
            if let Some(r) = name {
                let words = r.clone().filter(|&j| self.toks[j].word).count();
                let before_cue = end < n && self.cue_after(end).is_some();
                // "in the Cabinet Room": a name after "the" is a place's or a thing's.
                let after_the = i > 0 && r.start == i && self.low(i - 1) == "the" && titles.is_empty();
                if self.is_person(&r) && !after_the && (words >= 2 || !titles.is_empty() || before_cue) {
                    let possessive = is_possessive(self.s(r.end - 1));
                    people.push(Person {
                        at: self.toks[r.start].start(),
                        name: self.name_of(r),
                        titles,
                        possessive,
                        gender: None,
                    });
                }
            }
            i = end.max(i + 1);
        }
        // Surnames: a full name's last word alone, wherever it stands.
        let full: Vec<String> =
            people.iter().filter(|p| p.name.contains(' ')).map(|p| p.name.clone()).collect();
        if !full.is_empty() {
            for i in 0..n {
                if !self.is_cap(i) || (i + 1 < n && self.is_cap(i + 1)) || (i > 0 && self.is_cap(i - 1)) {
                    continue;
                }
                let word = strip_possessive(self.s(i));
                if let Some(name) = full.iter().find(|name| is_surname_of(word, name)) {
                    let possessive = is_possessive(self.s(i));
                    people.push(Person {
                        at: self.toks[i].start(),
                        name: name.clone(),
                        titles: Vec::new(),
                        possessive,
                        gender: None,
                    });
                }
            }
            people.sort_by_key(|p| p.at);
        }
        // A one-word name that is a typo of a full name's last word ("Blnken") is that person.
        let full_names: Vec<String> =
            people.iter().filter(|p| p.name.contains(' ')).map(|p| p.name.clone()).collect();
        for p in people.iter_mut().filter(|p| !p.name.contains(' ') && p.name.chars().count() >= 5) {
            let first = p.name.chars().next();
            if let Some(full) = full_names.iter().find(|f| {
                let last = surname(f);
                last.chars().next() == first && within_one_edit(last, &p.name)
            }) {
                p.name = full.clone();
            }
        }
        let mut given = HashMap::new();
        for p in &mut people {
            p.gender = p.known_gender(&mut given);
        }
        people
    }

    /// The cue at token `i` or after auxiliaries from it ("has repeatedly warned"): its index.
    fn cue_after(&self, i: usize) -> Option<usize> {
        let mut k = i;
        while k < self.toks.len() && k < i + 3 && self.toks[k].word {
            if self.cue(k).is_some() {
                return Some(k);
            }
            if !self.is_auxiliary(k) {
                return None;
            }
            k += 1;
        }
        None
    }

    /// The cue token `i` is, if any.
    fn cue(&self, i: usize) -> Option<Cue> {
        // Speech verbs are lowercase ("States" of "United States" is no cue).
        if !self.toks[i].word || self.s(i).chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        // After a possessive or an article it is an adjective: "Apple's alleged iPad", "the
        // reported deal".
        let cue = self.lex.cue(self.low(i))?;
        if i > 0 && (is_possessive(self.s(i - 1)) || matches!(self.low(i - 1), "the" | "an")) {
            return None;
        }
        Some(cue)
    }

    /// The multi-word "according to" cues at token `i`: how many tokens, and the lemma.
    fn according(&self, i: usize) -> Option<(usize, &'static str)> {
        let next = |k: usize| if i + k < self.toks.len() { self.low(i + k) } else { "" };
        match self.low(i) {
            "according" if next(1) == "to" => Some((2, "according to")),
            "selon" => Some((1, "selon")),
            "d'après" | "d’après" => Some((1, "d'après")),
            "laut" => Some((1, "laut")),
            "по" if matches!(next(1), "словам" | "мнению") => Some((2, "по словам")),
            _ => None,
        }
    }

    /// The subject ending just before token `cue` (auxiliaries between skipped), no earlier
    /// than token `lo`: its mention, what it is, and the token its phrase starts at (before an
    /// apposition: "the bank's governor, Andrew Bailey, said").
    fn subject_before(&self, cue: usize, lo: usize) -> Option<(Range<usize>, Subject, usize)> {
        let mut j = cue;
        while j > lo && self.toks[j - 1].word && self.is_auxiliary(j - 1) && self.cue(j - 1).is_none() {
            j -= 1;
        }
        if j <= lo {
            return None;
        }
        // "The Department for Work and Pensions (DWP) said": the acronym's brackets skipped.
        if j >= lo + 4
            && self.is_punct(j - 1, &[')'])
            && self.is_punct(j - 3, &['('])
            && self.toks[j - 2].word
        {
            return self.subject_before(j - 3, lo);
        }
        // A relative clause: "Derek Scissors, who consults with officials, said": the subject is
        // the name before ", who".
        if self.is_punct(j - 1, &[',']) && j >= lo + 4 && !is_participle(self.low(cue)) {
            let floor = lo.max(j.saturating_sub(MAX_PARENTHETICAL_WORDS + 2));
            let who = (floor + 1..j - 1)
                .rev()
                .take_while(|&k| !self.is_punct(k, &[';', ':', '"', '“', '”']))
                .find(|&k| {
                    matches!(self.low(k), "who" | "which" | "der" | "die" | "qui" | "который" | "которая")
                        && self.is_punct(k - 1, &[','])
                });
            if let Some(who) = who.filter(|&w| w >= 2 && w - 1 > lo && self.is_cap(w - 2)) {
                if let Some(subject) =
                    self.subject_before(who - 1, lo).filter(|(_, s, _)| matches!(s, Subject::Name(_)))
                {
                    return Some(subject);
                }
            }
        }
        // A parenthetical between subject and cue that names no one: "Richardson, via USA
        // Today, said", "Mayer, Disney's chairman of ..., said", "he, however, said". It starts
        // with a lowercase word or ends with one (an apposition "..., Andrew Bailey, said" does
        // neither); the subject is before it.
        if self.is_punct(j - 1, &[',']) && j >= lo + 4 && !is_participle(self.low(cue)) {
            let floor = lo.max(j.saturating_sub(MAX_PARENTHETICAL_WORDS + 2));
            let open = (floor + 1..j - 1)
                .rev()
                .take_while(|&k| !self.is_punct(k, &[';', ':', '"', '“', '”', '«', '»', '(', ')']))
                .find(|&k| self.is_punct(k, &[',']));
            if let Some(open) = open.filter(|&o| o > lo && o + 1 < j - 1) {
                let lowercase = |k: usize| self.toks[k].word && !self.s(k).starts_with(char::is_uppercase);
                let no_cue = (open + 1..j - 1).all(|k| self.cue(k).is_none());
                if no_cue && (lowercase(open + 1) || lowercase(j - 2)) {
                    if let Some(subject) = self
                        .subject_before(open, lo)
                        .filter(|(_, s, _)| matches!(s, Subject::Name(_) | Subject::Pronoun(_)))
                    {
                        return Some(subject);
                    }
                }
            }
        }
        // An apposition: "<phrase>, Name, said".
        if self.is_punct(j - 1, &[',']) && j >= lo + 3 && self.is_cap(j - 2) {
            let first = self.run_back(j - 2, lo);
            if first > lo && self.is_punct(first - 1, &[',']) {
                let (name, _) = self.strip_titles(first, j - 1);
                let r = name?;
                let phrase =
                    (lo..first - 1).rev().find(|&k| self.is_punct(k, &[',', ';', ':'])).map_or(lo, |k| k + 1);
                return Some((self.span(r.clone()), Subject::Name(self.name_of(r)), phrase));
            }
            return None;
        }
        let last = j - 1;
        if !self.toks[last].word {
            return None;
        }
        if let Some(plural) = self.lex.pronoun(self.low(last)) {
            return Some((self.span(last..j), Subject::Pronoun(plural), last));
        }
        if self.is_cap(last) {
            let first = self.run_back(last, lo);
            // "the Russian embassy in London reiterated", "Jens Stoltenberg of NATO said": the
            // name after a preposition is no subject; the phrase before it is.
            if first > lo + 1 && matches!(self.low(first - 1), "in" | "of" | "at" | "from") {
                return self.subject_before(first - 1, lo);
            }
            let det = (first > lo).then(|| self.lex.determiner(self.low(first - 1))).flatten();
            if let (Some(definite), true) = (det, first == last) {
                // "die Grünen-Politikerin sagte": a noun, not a name; "the Kremlin said", "the
                // DWP said": an organisation's.
                let noun = self.low(last).to_string();
                let acronym = is_acronym(self.s(last));
                // "The Chronicle says" after "The San Francisco Chronicle": the name it shortens.
                let longer =
                    definite.then(|| self.organisation_before(self.toks[first].start(), &noun)).flatten();
                let subject = if let Some(name) = longer.filter(|n| n.contains(' ')) {
                    Subject::Name(name)
                } else if self.lex.is_not_person(&noun) || acronym {
                    Subject::Name(self.s(last).to_string())
                } else {
                    Subject::Role(definite, noun)
                };
                return Some((self.span(first - 1..j), subject, first - 1));
            }
            let organisation_of =
                (first..last).any(|k| self.is_organisation_word(k) && self.is_name_connector(k + 1));
            if self.lex.is_not_person(self.low(last)) || organisation_of {
                // "the Russian Defence Ministry announced", "the Department for Work and
                // Pensions said": headed by an organisation word, the run is an organisation, whose title words are its name, not titles before one, and so is a nationality before them.
                let mut first = first;
                while first > lo
                    && self.toks[first - 1].word
                    && self.s(first - 1).chars().next().is_some_and(char::is_uppercase)
                    && self.lex.determiner(self.low(first - 1)).is_none()
                {
                    first -= 1;
                }
                let name = strip_possessive(&self.text[self.toks[first].start()..self.end(last)]);
                return Some((self.span(first..j), Subject::Name(name.to_string()), first));
            }
            // "the People's Daily warned": a possessive inside a run that names no person, and
            // holds no title, makes it one organisation's name (not "Sweden's Supreme
            // Commander Micael Byden").
            let titled = (first..j).any(|k| self.lex.is_title(self.low(k)));
            if !titled
                && (first..last).any(|k| is_possessive(self.s(k)))
                && self.person_suffix(first..j).start == first
            {
                let name = strip_possessive(&self.text[self.span(first..j)]).to_string();
                return Some((self.span(first..j), Subject::Name(name), first));
            }
            let (name, titles) = self.strip_titles(first, j);
            return match name {
                Some(r) => Some((self.span(r.clone()), Subject::Name(self.name_of(r)), first)),
                None => {
                    let definite = det == Some(true);
                    let from = if definite { first - 1 } else { first };
                    titles.last().map(|t| (self.span(from..j), Subject::Role(definite, t.clone()), from))
                }
            };
        }
        // A noun phrase: determiner ... head [relative clause].
        let floor = lo.max(last.saturating_sub(MAX_SUBJECT_WORDS));
        let mut head = last;
        if let Some(r) = (floor..=last)
            .rev()
            .find(|&k| matches!(self.low(k), "who" | "which" | "qui" | "который" | "которая" | "которые"))
        {
            if r == floor {
                return None;
            }
            head = r - 1;
        }
        let mut k = head;
        let mut det = None;
        while k >= floor && k + 5 > head {
            let preposition = matches!(
                self.low(k),
                "by" | "up" | "of" | "in" | "on" | "to" | "for" | "with" | "at" | "from"
            );
            if !self.toks[k].word
                || preposition
                || self.lex.is_complementizer(self.low(k)) && self.low(k) != "that"
            {
                break;
            }
            if let Some(definite) = self.lex.determiner(self.low(k)) {
                det = Some((k, definite));
                break;
            }
            // "China's commerce ministry said": a possessive name is a definite determiner,
            // and with it an organisation is named.
            if k < head && is_possessive(self.s(k)) && self.s(k).starts_with(char::is_uppercase) {
                let first = self.run_back(k, floor);
                // ("the People's Daily said": a capitalised head names one too.)
                if self.lex.is_organisation(self.low(head))
                    || (k + 1..=head).all(|m| self.s(m).starts_with(char::is_uppercase))
                {
                    let name = self.text[self.span(first..head + 1)].to_string();
                    return Some((self.span(first..j), Subject::Name(name), first));
                }
                det = Some((first, true));
                break;
            }
            if k == 0 {
                break;
            }
            k -= 1;
        }
        // "Paganini and his team wrote": the named one leads.
        if head == last
            && head >= lo + 3
            && matches!(self.low(head - 1), "his" | "her" | "their")
            && self.low(head - 2) == "and"
        {
            if let Some(subject) =
                self.subject_before(head - 2, lo).filter(|(_, s, _)| matches!(s, Subject::Name(_)))
            {
                return Some(subject);
            }
        }
        let noun = self.low(head).to_string();
        // "the organization wrote", "the court said": an organisation named before.
        let organisation = self.lex.is_organisation(&noun) && det.is_some_and(|(_, definite)| definite);
        if self.lex.is_role(&noun) || organisation {
            let from = match det {
                Some((from, _)) => from,
                None => {
                    // "Russian officials said": adjectives before the bare plural.
                    let mut f = head;
                    while f > floor
                        && self.toks[f - 1].word
                        && (self.is_cap(f - 1) || self.lex.is_title(self.low(f - 1)))
                    {
                        f -= 1;
                    }
                    f
                }
            };
            let definite = det.is_some_and(|(_, d)| d);
            return Some((self.span(from..j), Subject::Role(definite, noun), from));
        }
        det.map(|(from, _)| (self.span(from..j), Subject::Other, from))
    }

    /// The subject right after token `cue` ("said British Foreign Secretary Liz Truss",
    /// "sagte er", "заявил министр Сергей Лавров"), before token `hi`.
    fn subject_after(&self, cue: usize, hi: usize) -> Option<(Range<usize>, Subject)> {
        let first = cue + 1;
        if first >= hi || !self.toks[first].word || self.lex.is_complementizer(self.low(first)) {
            return None;
        }
        // "according to a 2018 article for Foreign Policy by X": the source is X. Not "a
        // spokesperson when contacted by Reuters" nor "an expert, as reported by the
        // Independent": the words before "by" are a noun phrase (no verb, no clause).
        let by = (first..hi.min(first + 12)).find(|&k| matches!(self.low(k), "by" | "von" | "par")).filter(
            |&by| {
                self.lex.determiner(self.low(first)).is_some()
                    && (first + 1..by).all(|k| {
                        self.toks[k].word
                            && self.cue(k).is_none()
                            && !self.low(k).ends_with("ed")
                            && !matches!(self.low(k), "when" | "as" | "after" | "while" | "who" | "which")
                    })
            },
        );
        if let Some(by) = by {
            let det = by + 1 < hi && self.lex.determiner(self.low(by + 1)).is_some();
            let name = if det { by + 2 } else { by + 1 };
            if name < hi && self.is_cap(name) {
                return self.subject_after(name - 1, hi);
            }
        }
        if let Some(plural) = self.lex.pronoun(self.low(first)) {
            return Some((self.span(first..first + 1), Subject::Pronoun(plural)));
        }
        let mut k = first;
        if let Some(definite) = self.lex.determiner(self.low(first)) {
            // "sagte die Grünen-Politikerin", "said the minister": a role, not a name.
            let mut e = first + 1;
            while e < hi
                && e < first + 5
                && self.toks[e].word
                && (self.is_cap(e) || self.lex.is_role(self.low(e)) || self.lex.is_title(self.low(e)))
            {
                e += 1;
            }
            if e > first + 1 && (e == first + 2 || !self.is_cap(e - 1) || !self.is_cap(e - 2)) {
                let noun = self.low(e - 1).to_string();
                if e == first + 2
                    && (is_acronym(self.s(first + 1))
                        || self.lex.is_not_person(&noun) && !self.lex.is_role(&noun))
                    && !self.lex.is_title(&noun)
                {
                    // "according to the DIF poll", "said the Pentagon": an acronym or an
                    // organisation's name, not a role (but "die Grünen-Politikerin" is one:
                    // German nouns are capitalised).
                    return Some((self.span(first + 1..e), Subject::Name(self.s(first + 1).to_string())));
                }
                return Some((self.span(first..e), Subject::Role(definite, noun)));
            }
        }
        // The name the phrase is headed by, not one in a phrase hung on it ("according to
        // another official in Farah", "industry sources cited by ... DigiTimes").
        while k < hi && k < first + 8 && self.toks[k].word {
            let low = self.low(k);
            let participle = low.ends_with("ed") && !self.s(k).starts_with(char::is_uppercase);
            if k > first && (matches!(low, "in" | "at" | "with" | "on" | "for") || participle) {
                break;
            }
            if self.is_cap(k) {
                let end = self.run_forward(k, hi);
                // "says KGI Securities analyst Ming-Chi Kuo": the name after a lowercase title.
                if end + 1 < hi
                    && self.toks[end].word
                    && (self.lex.is_title(self.low(end)) || self.lex.is_role(self.low(end)))
                    && self.is_cap(end + 1)
                {
                    if let Some(after) = self.subject_after(end, hi) {
                        return Some(after);
                    }
                }
                let (name, titles) = self.strip_titles(k, end);
                return match name {
                    Some(r) => Some((self.span(r.clone()), Subject::Name(self.name_of(r)))),
                    None => titles.last().map(|t| (self.span(first..end), Subject::Role(true, t.clone()))),
                };
            }
            k += 1;
        }
        let Some(det) = self.lex.determiner(self.low(first)) else {
            // A short phrase up to the clause's end names an organisation ("selon l'Élysée").
            let end = (first..hi).find(|&j| !self.toks[j].word).unwrap_or(hi);
            return (end == hi && end - first <= 3).then(|| {
                (self.span(first..end), Subject::Name(self.text[self.span(first..end)].to_string()))
            });
        };
        let mut head = first + 1;
        while head < hi && head < first + 5 && self.toks[head].word {
            if self.lex.is_role(self.low(head)) || det && self.lex.is_organisation(self.low(head)) {
                return Some((self.span(first..head + 1), Subject::Role(det, self.low(head).to_string())));
            }
            head += 1;
        }
        None
    }

    /// The byte range of tokens `r`.
    fn span(&self, r: Range<usize>) -> Range<usize> {
        self.toks[r.start].start()..self.end(r.end - 1)
    }

    /// A speaker tag after a quote: in tokens `[lo, hi)`, which follow its closing mark.
    fn tag_right(&self, lo: usize, hi: usize) -> Option<Tag> {
        let mut k = lo;
        while k < hi && self.is_punct(k, &[',', '—', '–', '-', ':']) {
            k += 1;
        }
        let start = k;
        // After a quote that ends its sentence ("...discussed.” In an interview, ..."), a tag
        // starts right away ("he said"), or the words belong to the next sentence.
        let ended = lo > 0 && {
            let mut j = lo - 1;
            while j > 0 && self.is_punct(j, &['"', '”', '»', '’', '“', '«']) {
                j -= 1;
            }
            self.is_punct(j, &['.', '!', '?'])
        };
        let max_words = if ended { 3 } else { MAX_TAG_WORDS };
        let mut words = 0;
        while k < hi && words <= max_words {
            // A relative clause or an apposition after the name does not count: "Interior
            // Minister Wolfgang Peschorn, who serves in a provisional government of civil
            // servants, said", "Steve Clarke, deputy associate administrator for exploration in
            // NASA's Science Mission Directorate, said".
            if k > start && self.is_punct(k, &[',']) && self.is_cap(k - 1) {
                let close = (k + 2..hi.min(k + 2 + MAX_PARENTHETICAL_WORDS)).find(|&j| {
                    self.is_punct(j, &[',', '.', ';', '"', '“', '”']) && !self.is_abbreviation_dot(j)
                });
                if let Some(close) = close.filter(|&c| {
                    self.is_punct(c, &[','])
                        && c + 1 < hi
                        && self.cue_after(c + 1).is_some()
                        && (k + 1..c).all(|j| self.cue(j).is_none())
                }) {
                    k = close + 1;
                    continue;
                }
            }
            if self.is_punct(k, &['.', '!', '?', ';', '"', '“', '”', '«', '»', '„'])
                && !self.is_abbreviation_dot(k)
            {
                return None;
            }
            if let Some((len, lemma)) = self.according(k) {
                let subject = self.subject_after(k + len - 1, hi);
                return Some(Tag { cue: self.span(k..k + len), lemma, subject });
            }
            if let Some(cue) = self.cue(k) {
                let only_aux = (start..k).all(|j| self.is_auxiliary(j));
                if only_aux && is_participle(self.low(k)) {
                    // `"killer," saying that ...`: the sentence goes on, this is no tag.
                    return None;
                }
                let subject = if only_aux {
                    self.subject_after(k, hi)
                } else {
                    self.subject_before(k, start).map(|(r, s, _)| (r, s))
                };
                if subject.is_some() || only_aux {
                    return Some(Tag { cue: self.span(k..k + 1), lemma: cue.lemma, subject });
                }
            }
            if self.toks[k].word {
                words += 1;
            }
            k += 1;
        }
        None
    }

    /// The last speaker tag in tokens `[lo, hi)` before a quote, and the index just past its
    /// cue.
    fn tag_left(&self, lo: usize, hi: usize) -> Option<(Tag, usize)> {
        for k in (lo..hi).rev() {
            if let Some((len, lemma)) = self.according(k) {
                let end = (k + len..hi).find(|&j| self.is_punct(j, &[',']))?;
                let subject = self.subject_after(k + len - 1, end);
                return Some((Tag { cue: self.span(k..k + len), lemma, subject }, end + 1));
            }
            let Some(cue) = self.cue(k) else { continue };
            let (range, subject) = match self.subject_before(k, lo) {
                Some((range, subject, _)) => (range, subject),
                // "X avoided the question, saying that ... “...”": the sentence's subject.
                None if k > lo && self.is_punct(k - 1, &[',']) && is_participle(self.low(k)) => {
                    let p = self.first_person(lo, k)?;
                    let first = self.tok_at(p.at);
                    (
                        self.span(first..self.run_forward(first, k).max(first + 1)),
                        Subject::Name(p.name.clone()),
                    )
                }
                None => return None,
            };
            return Some((
                Tag { cue: self.span(k..k + 1), lemma: cue.lemma, subject: Some((range, subject)) },
                k + 1,
            ));
        }
        None
    }

    /// Where reported content starts after the cue at token `cue`, searching up to token `hi`:
    /// after a complementizer ("said on Sunday that"), or, where the language needs none, at the
    /// clause right after the cue (and after the object of "tell").
    fn content_start(&self, cue: usize, info: Cue, hi: usize) -> Option<usize> {
        let mut k = cue + 1;
        while k < hi && k <= cue + MAX_COMPLEMENTIZER_GAP {
            if self.toks[k].word && self.lex.is_complementizer(self.low(k)) {
                return (k + 1 < hi).then_some(k + 1);
            }
            if self.is_punct(k, &['.', ';', ':', '“', '"', '«', '„']) {
                break;
            }
            k += 1;
        }
        if info.needs_complementizer {
            return None;
        }
        let mut k = cue + 1;
        if k < hi && self.is_punct(k, &[',']) {
            // German and Russian: "sagte, die Lage sei ernst", "заявил, ..." (no "что": rare).
            return (k + 1 < hi && self.toks[k + 1].word && info.comma_clause).then_some(k + 1);
        }
        if info.tell {
            if k < hi && self.lex.determiner(self.low(k)).is_some() {
                k += 1;
            }
            while k < hi
                && k < cue + 4
                && self.toks[k].word
                && self.lex.determiner(self.low(k)).is_none()
                && self.is_cap(k)
            {
                k += 1;
            }
            if k == cue + 1 && k < hi && self.toks[k].word {
                k += 1; // "told reporters", "told him"
            }
        }
        if k >= hi || !self.toks[k].word {
            return None;
        }
        let first = self.low(k);
        let blocked = matches!(
            first,
            "to" | "on"
                | "in"
                | "at"
                | "about"
                | "for"
                | "with"
                | "by"
                | "of"
                | "so"
                | "nothing"
                | "yes"
                | "no"
                | "as"
                | "after"
                | "before"
                | "during"
                | "from"
                | "and"
                | "but"
                | "or"
                | "what"
                | "how"
                | "why"
                | "when"
                | "where"
                | "whether"
                | "if"
                | "goodbye"
                | "more"
                | "is"
                | "was"
                | "are"
                | "were"
                | "has"
                | "had"
                | "will"
                | "would"
                | "can"
                | "could"
                | "should"
                | "must"
                | "be"
                | "been"
        );
        (!blocked).then_some(k)
    }

    fn quotes(&self) -> Vec<Quote> {
        let mut found: Vec<Found> = Vec::new();
        let mut used: Vec<Range<usize>> = Vec::new();
        let mut fragments: Vec<Range<usize>> = Vec::new();
        let mut open_from: Option<usize> = None; // index into `found` of a quote left open
        for (b, (range, _)) in self.blocks.iter().enumerate() {
            let marked = drop_titles(self.text, marks::find_marked(self.text, range.clone()));
            let sentences: Vec<Range<usize>> = presswatch_text::sentence_spans(&self.text[range.clone()])
                .into_iter()
                .map(|r| range.start + r.start..range.start + r.end)
                .collect();
            let block_found_from = found.len();
            for (q, m) in marked.iter().enumerate() {
                // A quote left open before another one of its block ends with its first
                // sentence: where it really closed is unknown, the first sentence is surely in it.
                let mut m = m.clone();
                if !m.closed && q + 1 < marked.len() {
                    let piece = &self.text[m.content.clone()];
                    if let Some(first) = presswatch_text::sentence_spans(piece).first() {
                        m.content = m.content.start..m.content.start + first.end;
                        m.close = m.content.end;
                    }
                }
                let m = &m;
                // A paragraph that reopens a quote left open carries it on.
                if q == 0 && m.open == range.start {
                    if let Some(f) = open_from.take() {
                        found[f].content.push(m.content.clone());
                        used.push(m.open..m.close);
                        if m.closed {
                            let hi = marked.get(1).map_or(range.end, |n| n.open);
                            if found[f].tag.is_none() {
                                found[f].tag = self.tag_right(self.tok_at(m.close), self.tok_at(hi));
                            }
                        } else {
                            open_from = Some(f);
                        }
                        continue;
                    }
                }
                open_from = None;
                let (content, tag, kind) = self.attribute(&marked, q, m, range.clone(), &sentences);
                let words = word_count(&self.text[m.content.clone()]);
                if tag.is_none() && words < MIN_UNTAGGED_WORDS {
                    fragments.push(m.content.clone());
                    continue;
                }
                // `"A," she said, "B."`: B continues A when they share A's tag, or when B has
                // no tag and nothing ends the sentence between them.
                if let Some(prev) = found[block_found_from..].last_mut() {
                    let same_tag = match (&prev.tag, &tag) {
                        (Some(p), Some(t)) => p.cue == t.cue,
                        _ => false,
                    };
                    let prev_end = prev.content.last().map_or(0, |c| c.end);
                    let joined = tag.is_none()
                        && prev.tag.is_some()
                        && prev.kind == QuoteKind::Direct
                        && !self.text[prev_end..m.open].contains(['.', '!', '?']);
                    if kind == QuoteKind::Direct && prev.kind == QuoteKind::Direct && (same_tag || joined) {
                        prev.content.push(content);
                        used.push(m.open..m.close);
                        continue;
                    }
                }
                let at = tag.as_ref().map_or(m.open, |t| t.cue.start.min(m.open));
                if let Some(t) = &tag {
                    used.push(t.cue.clone());
                }
                used.push(m.open.min(content.start)..m.close.max(content.end));
                found.push(Found { content: vec![content], tag, kind, block: b, at, inherited: None });
                if !m.closed && q + 1 == marked.len() {
                    open_from = Some(found.len() - 1);
                }
            }
            self.reported(b, &sentences, &mut found, &mut used, &fragments);
        }
        found.sort_by_key(|f| f.content.first().map_or(0, |c| c.start));
        self.inherit(&mut found);
        let chars = CharIndex::new(self.text);
        let quoted = quoted_ranges(&found);
        found
            .into_iter()
            .map(|f| {
                let speaker = match f.inherited {
                    Some(s) => s,
                    None => self.speaker(f.tag.as_ref(), f.at, &quoted, &chars),
                };
                Quote {
                    id: None,
                    text: String::new(),
                    content: f.content.iter().map(|r| chars.span(r.clone())).collect(),
                    cue: f.tag.as_ref().map(|t| chars.span(t.cue.clone())),
                    cue_lemma: f.tag.as_ref().map(|t| t.lemma.to_string()),
                    speaker,
                    kind: f.kind,
                    language: self.blocks[f.block].1.cloned(),
                    group: None,
                    altered_from: None,
                }
            })
            .collect()
    }

    /// The tag of quote `q` of a block's `marked` quotes (`m`, its first sentence cut when it
    /// is left open), on whichever side holds it, and what it makes of the quote: its content
    /// and kind (a left tag with a whole clause between it and the quote makes a mixed quote
    /// whose content is that clause).
    fn attribute(
        &self,
        marked: &[Marked],
        q: usize,
        m: &Marked,
        block: Range<usize>,
        sentences: &[Range<usize>],
    ) -> (Range<usize>, Option<Tag>, QuoteKind) {
        let next_open = marked.get(q + 1).map_or(block.end, |n| n.open);
        let sentence_end = sentences.iter().find(|s| s.end > m.close).map_or(block.end, |s| s.end);
        let right_hi = next_open.min(sentence_end.max(m.close));
        let right = self.tag_right(self.tok_at(m.close), self.tok_at(right_hi));
        let sentence_start =
            sentences.iter().rev().find(|s| s.start <= m.open).map_or(block.start, |s| s.start);
        let left_lo = marked[..q].last().map_or(sentence_start, |p| p.close.max(sentence_start));
        let left = self.tag_left(self.tok_at(left_lo), self.tok_at(m.open));
        let inner = self.text[m.content.clone()].trim_end_matches(['”', '’', '"', '\'']);
        let right_first = inner.ends_with(',')
            || self.text[m.close..right_hi].trim_start().starts_with([',', '—', '–'])
            || left.is_none();
        let direct = m.content.clone();
        if right_first && right.is_some() {
            return (direct, right, QuoteKind::Direct);
        }
        let Some((tag, after)) = left else { return (direct, right, QuoteKind::Direct) };
        // `X said: "..."` or `X said on Sunday, "..."`: a direct quote, tagged on the left.
        let between = after..self.tok_at(m.open);
        let mut k = between.end;
        while k > between.start && self.is_punct(k - 1, &['”', '"', '»', '’', '“']) {
            k -= 1;
        }
        let ends_tag = k > between.start && self.is_punct(k - 1, &[',', ':']);
        if between.is_empty() || (between.len() <= MAX_TAG_WORDS && ends_tag) {
            return (direct, Some(tag), QuoteKind::Direct);
        }
        // `X said that Russia was "returning Ukraine to its border."`: mixed.
        let cue_tok = self.tok_at(tag.cue.start);
        let from = match self.cue(cue_tok) {
            Some(info) => self.content_start(cue_tok, info, self.tok_at(m.open) + 1),
            None => Some(after),
        };
        match from {
            Some(from) => {
                let end = trim_reported(self.text, self.toks[from].start(), sentence_end.max(m.content.end));
                (self.toks[from].start()..end, Some(tag), QuoteKind::Mixed)
            }
            None => (direct, None, QuoteKind::Direct),
        }
    }

    /// Reported speech in the sentences of block `b` that no direct quote took.
    fn reported(
        &self,
        b: usize,
        sentences: &[Range<usize>],
        found: &mut Vec<Found>,
        used: &mut Vec<Range<usize>>,
        fragments: &[Range<usize>],
    ) {
        for s in sentences {
            // The part of the sentence after any quote it holds ("..., adding that ...").
            let from = used.iter().filter(|u| u.start < s.end && u.end > s.start).map(|u| u.end).max();
            let start = from.unwrap_or(s.start).max(s.start);
            let (lo, hi) = (self.tok_at(start), self.tok_at(s.end));
            if hi <= lo + 2 {
                continue;
            }
            if let Some(f) = self.reported_in(lo, hi, s.end, from.is_some(), found) {
                let whole = f.0[0].start..f.0[f.0.len() - 1].end;
                let kind = if fragments.iter().any(|r| whole.start <= r.start && r.end <= whole.end) {
                    QuoteKind::Mixed
                } else {
                    QuoteKind::Indirect
                };
                used.push(whole.clone());
                let at = f.1.as_ref().map_or(whole.start, |t| t.cue.start.min(whole.start));
                found.push(Found { content: f.0, tag: f.1, kind, block: b, at, inherited: f.2 });
            }
        }
    }

    /// The reported content of tokens `[lo, hi)` (a sentence ending at byte `end`), its tag,
    /// and the speaker it takes from the quote before it ("..., adding that ...").
    fn reported_in(
        &self,
        lo: usize,
        hi: usize,
        end: usize,
        after_quote: bool,
        found: &[Found],
    ) -> Option<Report> {
        let content = |from: usize, to: usize| -> Option<Range<usize>> {
            // "..., according to a video released Sunday": a second source, not the content.
            let to = [", according to", ", selon", ", laut", ", по словам"]
                .iter()
                .filter_map(|m| self.text[from..to].find(m))
                .min()
                .map_or(to, |at| from + at);
            let r = from..trim_reported(self.text, from, to);
            (word_count(&self.text[r.clone()]) >= MIN_REPORTED_WORDS).then_some(r)
        };
        // "..., Sgt. Lee Gragg told NBC News." ends the sentence: that is its tag, even where an
        // earlier verb looks like one ("where doctors confirmed he had ...").
        for k in (lo..hi).rev() {
            if (k + 1..hi).filter(|&j| self.toks[j].word).count() > 6 {
                break;
            }
            let Some(info) = self.cue(k) else { continue };
            if self.content_start(k, info, hi).is_some() {
                continue; // "..., yet Nissan says it will offer ...": the content follows.
            }
            let Some((range, subject, tag_start)) = self.subject_before(k, lo) else { continue };
            let Some(comma) = self.comma_before_tag(lo, tag_start) else { continue };
            // "..., saying that eight people were charged.": a clause of another cue.
            if (comma..tag_start).any(|c| self.cue(c).is_some()) {
                continue;
            }
            if let Some(c) = content(self.toks[lo].start(), self.toks[comma - 1].start()) {
                let tag =
                    Tag { cue: self.span(k..k + 1), lemma: info.lemma, subject: Some((range, subject)) };
                return Some((vec![c], Some(tag), None));
            }
        }
        for k in lo..hi {
            // According to X, ... / ..., according to X.
            if let Some((len, lemma)) = self.according(k) {
                if k == lo || (k == lo + 1 && !self.toks[lo].word) {
                    let comma = (k + len..hi).find(|&j| self.is_punct(j, &[',']))?;
                    let subject = self.subject_after(k + len - 1, comma);
                    let c = content(self.toks.get(comma + 1)?.start(), end)?;
                    return Some((vec![c], Some(Tag { cue: self.span(k..k + len), lemma, subject }), None));
                }
                if k > lo && self.is_punct(k - 1, &[',', '—', '–', '(']) {
                    let tag = |subject| Tag { cue: self.span(k..k + len), lemma, subject };
                    // "A, according to X, B.": the content goes on after the source.
                    let closing = (k + len..hi).find(|&j| self.is_punct(j, &[',']));
                    if let Some(closing) = closing {
                        // Not "..., according to two people, adding to ...": no participle.
                        let rest =
                            self.toks.get(closing + 1).filter(|_| !is_participle(self.low(closing + 1)));
                        if let Some(rest) = rest.and_then(|t| content(t.start(), end)) {
                            let subject = self.subject_after(k + len - 1, closing);
                            let before = self.toks[lo].start()..self.toks[k - 1].start();
                            return Some((vec![before, rest], Some(tag(subject)), None));
                        }
                    }
                    let subject = self.subject_after(k + len - 1, hi);
                    let c = content(self.toks[lo].start(), self.toks[k - 1].start())?;
                    return Some((vec![c], Some(tag(subject)), None));
                }
            }
            let Some(info) = self.cue(k) else { continue };
            let tag_of = |subject| Tag { cue: self.span(k..k + 1), lemma: info.lemma, subject };
            if let Some((range, subject, tag_start)) = self.subject_before(k, lo) {
                let subject = (range, subject);
                if let Some(from) = self.content_start(k, info, hi) {
                    let c = content(self.toks[from].start(), end)?;
                    return Some((vec![c], Some(tag_of(Some(subject))), None));
                }
                // "That, Audi says, allows ...": a tag between commas inside its content.
                if tag_start > lo + 1
                    && self.is_punct(tag_start - 1, &[','])
                    && k + 2 < hi
                    && self.is_punct(k + 1, &[','])
                    && (lo..tag_start - 1).all(|j| !self.is_punct(j, &[',', ';', ':']))
                {
                    let before = self.toks[lo].start()..self.toks[tag_start - 1].start();
                    let after = content(self.toks[k + 2].start(), end)?;
                    return Some((vec![before, after], Some(tag_of(Some(subject))), None));
                }
                // "..., the minister said." : the content is what comes before the tag (which
                // may start with words the subject left out: "..., residents and opposition
                // activists said").
                let rest_words = (k + 1..hi).filter(|&j| self.toks[j].word).count();
                if let Some(comma) = self.comma_before_tag(lo, tag_start).filter(|_| rest_words <= 6) {
                    let c = content(self.toks[lo].start(), self.toks[comma - 1].start())?;
                    return Some((vec![c], Some(tag_of(Some(subject))), None));
                }
                continue;
            }
            // "..., said X." / ", sagte er." / ", a déclaré X." / ", — заявил он."
            let mut p = k;
            while p > lo && self.toks[p - 1].word && self.is_auxiliary(p - 1) {
                p -= 1;
            }
            // "..., saying that ...", "by saying that ...": the content's speaker is the
            // sentence's (or its quote's).
            if p > lo && self.low(p - 1) == "by" && is_participle(self.low(k)) {
                let from = self.content_start(k, info, hi)?;
                let c = content(self.toks[from].start(), end)?;
                let name = self.first_person(lo, k).map(|p| p.name.clone());
                return Some((
                    vec![c],
                    Some(tag_of(None)),
                    Some(Speaker { name, mention: None, entity: None }),
                ));
            }
            if p > lo + 1 && self.is_punct(p - 1, &['"', '”', '»', '’']) && self.is_punct(p - 2, &[','])
            {
                p -= 1; // `"killer," saying that ...`
            }
            if p > lo && self.is_punct(p - 1, &[',', '—', '–']) {
                let comma = (lo..p).rev().find(|&j| self.is_punct(j, &[','])).unwrap_or(p - 1);
                // ("..., saying he ...": a participle has no subject after it.)
                if let Some(subject) = self.subject_after(k, hi).filter(|_| !is_participle(self.low(k))) {
                    let rest_words = (self.tok_at(subject.0.end)..hi).filter(|&j| self.toks[j].word).count();
                    if rest_words <= 6 && comma > lo {
                        let c = content(self.toks[lo].start(), self.toks[comma].start())?;
                        return Some((vec![c], Some(tag_of(Some(subject))), None));
                    }
                }
                // ", adding that ..." after a quote: the speaker is the quote's.
                if is_participle(self.low(k)) {
                    let from = self.content_start(k, info, hi)?;
                    let c = content(self.toks[from].start(), end)?;
                    let cue_at = self.toks[k].start();
                    let speaker = if after_quote {
                        let donor = found
                            .iter()
                            .rev()
                            .find(|f| f.at < cue_at && f.tag.as_ref().is_some_and(|t| t.subject.is_some()));
                        donor.map(|f| {
                            let quoted = quoted_ranges(found);
                            self.speaker(f.tag.as_ref(), f.at, &quoted, &CharIndex::new(self.text)).name
                        })
                    } else {
                        // "Putin responded ..., saying that ...": the sentence's subject.
                        Some(self.first_person(lo, k).map(|p| p.name.clone()))
                    };
                    let speaker = speaker.map(|name| Speaker { name, mention: None, entity: None });
                    return Some((vec![c], Some(tag_of(None)), speaker));
                }
            }
        }
        None
    }

    /// The first person named from token `lo` up to token `cue`, a possessive aside ("Hours
    /// before Parise's goals, coach Bruce Boudreau ..."): the subject of a sentence whose
    /// participle carries the speech ("Blinken avoided the question, saying that ...").
    fn first_person(&self, lo: usize, cue: usize) -> Option<&Person> {
        let (from, to) = (self.toks[lo].start(), self.toks[cue].start());
        self.people[self.people.partition_point(|p| p.at < from)..]
            .iter()
            .take_while(|p| p.at < to)
            .find(|p| !p.possessive)
    }

    /// The token after the comma (or dash) that ends the content before a tag starting at token
    /// `tag_start`, no earlier than `lo`: right before it, or a few words before ("...,
    /// residents and opposition activists said", where the subject found is "activists").
    fn comma_before_tag(&self, lo: usize, tag_start: usize) -> Option<usize> {
        (lo + 1..=tag_start)
            .rev()
            .take(4)
            .take_while(|&c| c == tag_start || self.toks[c].word)
            .find(|&c| self.is_punct(c - 1, &[',', '—', '–']))
    }

    /// Untagged quotes take the speaker of the nearest tagged quote of their paragraph, when
    /// at most one sentence of narration stands between them (`"A," he said. "B."`): a
    /// paragraph of several sentences can quote several people, and a wrong name is worse
    /// than none.
    fn inherit(&self, found: &mut [Found]) {
        let chars = CharIndex::new(self.text);
        let quoted = quoted_ranges(found);
        let start = |f: &Found| f.content.first().map_or(f.at, |c| c.start);
        for i in 0..found.len() {
            if found[i].tag.is_some() || found[i].inherited.is_some() {
                continue;
            }
            let b = found[i].block;
            let near = |j: usize| {
                let (first, second) = if j < i { (j, i) } else { (i, j) };
                let from = found[first].content.last().map_or(0, |c| c.end);
                let to = found[second].content.first().map_or(from, |c| c.start);
                to.saturating_sub(from) <= MAX_INHERIT_GAP && self.narration_sentences(from, to, &quoted) <= 1
            };
            let tagged = |j: &usize| {
                found[*j].block == b
                    && found[*j].tag.as_ref().is_some_and(|t| t.subject.is_some())
                    && near(*j)
            };
            // Only quotes starting within a window are looked at: the work per quote is bounded
            // on a text of any length.
            let at = start(&found[i]);
            let window = |j: &usize| start(&found[*j]).abs_diff(at) <= INHERIT_WINDOW;
            // A quote before that took its speaker this way passes it on (`"A," she says.
            // "B." One sentence. "C."`).
            let chained = (0..i)
                .rev()
                .find(|&j| found[j].block == b)
                .filter(|&j| found[j].inherited.as_ref().is_some_and(|s| s.name.is_some()) && near(j));
            let donor = (0..i)
                .rev()
                .take_while(window)
                .find(tagged)
                .or_else(|| (i + 1..found.len()).take_while(window).find(tagged));
            if let Some(s) =
                chained.filter(|&c| donor.is_none_or(|d| c > d)).and_then(|c| found[c].inherited.clone())
            {
                found[i].inherited = Some(s);
            } else if let Some(j) = donor {
                let s = self.speaker(found[j].tag.as_ref(), found[j].at, &quoted, &chars);
                found[i].inherited = Some(Speaker { mention: None, ..s });
            }
        }
    }

    /// How many sentences end in bytes `[from, to)` outside `quoted` words.
    fn narration_sentences(&self, from: usize, to: usize, quoted: &[Range<usize>]) -> usize {
        if from >= to {
            return 0;
        }
        let gap = &self.text[from..to];
        gap.char_indices()
            .filter(|&(k, c)| {
                matches!(c, '.' | '!' | '?')
                    && gap[k + c.len_utf8()..].starts_with(char::is_whitespace)
                    && !is_quoted(from + k, quoted)
            })
            .count()
    }

    /// The speaker a tag names, resolved: a name to the document's full form of it, a pronoun
    /// to the nearest named person before `at`, a definite role to the nearest person with that
    /// title.
    fn speaker(&self, tag: Option<&Tag>, at: usize, quoted: &[Range<usize>], chars: &CharIndex) -> Speaker {
        let Some((range, subject)) = tag.and_then(|t| t.subject.as_ref()) else { return Speaker::default() };
        let mention = Some(chars.span(range.clone()));
        let before = || self.people.iter().rev().filter(move |p| p.at < at);
        let name = match subject {
            Subject::Name(name) => Some(self.full_name(name)),
            Subject::Pronoun(false) => {
                let gender = pronoun_gender(&self.text[range.clone()].to_lowercase());
                self.antecedent(at, quoted, gender).map(|n| self.full_name(&n))
            }
            Subject::Role(true, noun) if self.lex.is_organisation(noun) => self.organisation_before(at, noun),
            // "one legal expert ... the expert warned": the one brought in unnamed.
            Subject::Role(true, noun) if self.introduced_unnamed(noun, range.start) => None,
            Subject::Role(true, noun) if !noun.ends_with('s') || noun.ends_with("ss") => before()
                .find(|p| p.titles.iter().any(|t| t == noun || t.ends_with(noun.as_str())))
                .or_else(|| before().next().filter(|_| !self.lex.is_title(noun)))
                .map(|p| p.name.clone()),
            _ => None,
        };
        Speaker { name, mention, entity: None }
    }

    /// Whether the role `noun` ("expert") was last brought in before byte `at` without a
    /// name: "a", "an", "one" or "another" before it and no name right after it ("one legal
    /// expert", not "a spokesman, Dmitry Peskov,").
    fn introduced_unnamed(&self, noun: &str, at: usize) -> bool {
        let end = self.tok_at(at);
        let Some(i) = (0..end).rev().take(ORGANISATION_LOOKBACK).find(|&i| self.low(i) == noun) else {
            return false;
        };
        let indefinite = (i.saturating_sub(3)..i).any(|k| {
            matches!(self.low(k), "a" | "an" | "one" | "another") && (k + 1..i).all(|m| !self.is_cap(m))
        });
        let mut next = i + 1;
        while next < end && self.is_punct(next, &[',']) {
            next += 1;
        }
        indefinite && !(next < end && self.is_cap(next))
    }

    /// Who "he" or "she" before byte `at` stands for: the first person named in the nearest
    /// sentence before it that names one, outside quoted words (the subject is the likelier
    /// antecedent than a name in a relative clause: "Ryan Suter, who joked about Parise's
    /// sticks, ... “...,” he said"; a name someone else spoke is none).
    fn antecedent(&self, at: usize, quoted: &[Range<usize>], gender: Option<Gender>) -> Option<String> {
        // "she said" after "in an Oliver Sacks kind of way": a name of the other gender is none.
        let fits = |p: &&Person| !is_quoted(p.at, quoted) && gender.is_none_or(|g| p.may_be(g));
        let before = &self.people[..self.people.partition_point(|p| p.at < at)];
        let last = before.iter().rev().find(fits)?;
        let from = self.sentence_start(last.at);
        let sentence = &before[before.partition_point(|p| p.at < from)..];
        sentence.iter().find(fits).map(|p| p.name.clone())
    }

    /// The start of the sentence holding byte `at`: after the last sentence end (a full stop
    /// that is no abbreviation's, `!`, `?`, a line break) before it.
    fn sentence_start(&self, at: usize) -> usize {
        let before = &self.text[..at];
        before
            .char_indices()
            .rev()
            .find(|&(k, c)| {
                c == '\n'
                    || matches!(c, '!' | '?')
                    || (c == '.' && !presswatch_text::is_abbreviation(self.text, k))
            })
            .map_or(0, |(k, c)| k + c.len_utf8())
    }

    /// The organisation "the committee", "the court" or "the organization" before byte `at`
    /// stands for: the nearest name before it ending in that word ("Dusseldorf Higher Regional
    /// Court"), or for a generic noun in any organisation word ("American Civil Liberties
    /// Union" for "the organization").
    fn organisation_before(&self, at: usize, noun: &str) -> Option<String> {
        let generic =
            matches!(noun, "organization" | "organisation" | "company" | "group" | "agency" | "firm");
        let end = self.tok_at(at).min(self.toks.len());
        let head = (0..end).rev().take(ORGANISATION_LOOKBACK).find(|&i| {
            self.toks[i].word
                && self.s(i).chars().next().is_some_and(char::is_uppercase)
                && (self.low(i) == noun || generic && self.lex.is_organisation(self.low(i)))
        })?;
        let first = self.run_back(head, 0);
        let first =
            if first < head && self.lex.determiner(self.low(first)).is_some() { first + 1 } else { first };
        let name = strip_possessive(&self.text[self.toks[first].start()..self.end(head)]);
        // "NASA's Goddard Space Flight Center" for "the agency": the owner is the organisation.
        let owner = ["'s ", "’s "].iter().filter_map(|m| name.find(m)).min();
        let name = match owner {
            Some(at) if generic => &name[..at],
            _ => name,
        };
        (first < head || name.chars().count() > 1).then(|| name.to_string())
    }

    /// The name an acronym stands for where the document spells it out: "DWP" after "the
    /// Department for Work and Pensions (DWP)".
    fn acronym_of(&self, name: &str) -> Option<String> {
        if !is_acronym(name) {
            return None;
        }
        let Some(at) = self.text.find(&format!("({name})")) else { return self.initials_of(name) };
        let open = self.tok_at(at);
        let first = self.run_back(open.checked_sub(1)?, 0);
        let first = if self.lex.determiner(self.low(first)).is_some() { first + 1 } else { first };
        (first < open && self.is_cap(open - 1))
            .then(|| strip_possessive(&self.text[self.span(first..open)]).to_string())
    }

    /// The one name in the document whose capitalised words' initials spell the acronym ("EU"
    /// after "the European Union", "LN" after "Live Nation"); lowercase "of", "for", "and" and
    /// "the" may sit between them ("Department for Work and Pensions"). `None` when no name or
    /// more than one does (an acronym of two letters fits many runs of two words).
    fn initials_of(&self, acronym: &str) -> Option<String> {
        let letters: Vec<char> = acronym.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        if !(2..=6).contains(&letters.len()) || letters.len() != acronym.chars().count() {
            return None;
        }
        let mut found: Option<String> = None;
        for start in 0..self.toks.len() {
            // A name starts at a capitalised word not continuing one.
            if !(self.toks[start].word && self.is_cap(start)) || (start > 0 && self.is_cap(start - 1)) {
                continue;
            }
            let (mut k, mut i, mut last) = (0, start, None);
            while i < self.toks.len() && k < letters.len() {
                if !self.toks[i].word {
                    break;
                }
                if self.is_cap(i) {
                    if self.s(i).chars().next() != letters.get(k).copied() || is_acronym(self.s(i)) {
                        break;
                    }
                    k += 1;
                    last = Some(i);
                } else if !matches!(self.low(i), "of" | "for" | "and" | "the") {
                    break;
                }
                i += 1;
            }
            let Some(last) = last.filter(|_| k == letters.len()) else { continue };
            if last + 1 < self.toks.len() && self.toks[last + 1].word && self.is_cap(last + 1) {
                continue; // the run goes on: it is a longer name
            }
            let name = strip_possessive(&self.text[self.span(start..last + 1)]).to_string();
            match &found {
                Some(other) if *other != name => return None,
                _ => found = Some(name),
            }
        }
        found
    }

    /// The document's full form of `name`: a surname, or a surname one letter off, becomes the
    /// full name it stands for ("Blnken" -> "Antony Blinken"); a name with its first words cut
    /// or its given name short becomes the fullest form the document writes ("Forrest Jones" ->
    /// "Michael Forrest Jones", "Pat Carlineo" -> "Patrick Carlineo Jr.").
    fn full_name(&self, name: &str) -> String {
        if let Some(long) = self.acronym_of(name) {
            return long;
        }
        let full = |p: &&Person| p.name.contains(' ');
        if let Some((first, _)) = name.split_once(' ') {
            let fuller = self.people.iter().filter(|p| p.name.len() > name.len()).find(|p| {
                p.name.ends_with(&format!(" {name}"))
                    || surname(&p.name) == surname(name)
                        && p.name.split(' ').next().is_some_and(|f| f.starts_with(first))
            });
            return fuller.map_or(name, |p| p.name.as_str()).to_string();
        }
        if let Some(p) = self.people.iter().filter(full).find(|p| is_surname_of(name, &p.name)) {
            return p.name.clone();
        }
        // A family name written first ("Liu" of "Liu Xiaming"), when one full name starts so.
        let mut starting: Vec<&str> = self
            .people
            .iter()
            .filter(full)
            .filter(|p| p.name.split(' ').next() == Some(name))
            .map(|p| p.name.as_str())
            .collect();
        starting.sort_unstable();
        starting.dedup();
        if let [only] = starting[..] {
            return only.to_string();
        }
        if name.chars().count() >= 5 {
            if let Some(p) = self.people.iter().filter(full).find(|p| {
                let last = surname(&p.name);
                last.chars().next() == name.chars().next() && within_one_edit(last, name)
            }) {
                return p.name.clone();
            }
        }
        name.to_string()
    }
}

/// Name particles: "de", "von", "van", "der"... ("Jean-Yves Le Drian", "Ursula von der Leyen").
fn is_particle(lower: &str) -> bool {
    matches!(
        lower,
        "de" | "von" | "van" | "der" | "den" | "al" | "bin" | "da" | "di" | "dos" | "le" | "la" | "du" | "el"
    )
}

/// The surname of a written name: its last word, a generational suffix aside ("Carlineo" of
/// "Patrick Carlineo Jr.").
fn surname(name: &str) -> &str {
    let mut words = name.rsplit(' ');
    let last = words.next().unwrap_or(name);
    match last.trim_end_matches('.') {
        "Jr" | "Sr" | "II" | "III" | "IV" => words.next().unwrap_or(last),
        _ => last,
    }
}

/// Whether `word` is the surname of `name`, an Arabic article aside ("Mahmoud" of "Abdellatif
/// al-Mahmoud").
fn is_surname_of(word: &str, name: &str) -> bool {
    let last = surname(name);
    last == word || ["al-", "Al-", "el-", "El-"].iter().any(|a| last.strip_prefix(a) == Some(word))
}

/// The content ranges of `found` quotes, sorted by start (for [`is_quoted`]).
fn quoted_ranges(found: &[Found]) -> Vec<Range<usize>> {
    let mut quoted: Vec<Range<usize>> = found.iter().flat_map(|f| f.content.iter().cloned()).collect();
    quoted.sort_by_key(|r| r.start);
    quoted
}

/// Whether byte `at` is inside one of `quoted` (sorted by start; a quote holds at most a few
/// others, so the few ranges starting before `at` are enough to look at).
fn is_quoted(at: usize, quoted: &[Range<usize>]) -> bool {
    let i = quoted.partition_point(|r| r.start <= at);
    quoted[..i].iter().rev().take(4).any(|r| at < r.end)
}

/// Byte offsets to character offsets, for one text.
struct CharIndex<'t> {
    text: &'t str,
}

impl<'t> CharIndex<'t> {
    fn new(text: &'t str) -> Self {
        CharIndex { text }
    }

    fn span(&self, r: Range<usize>) -> Span {
        let start = self.text[..r.start].chars().count();
        Span::new(start, start + self.text[r].chars().count())
    }
}

/// Splits `text[range]` into tokens: words (letters and digits, with inner `.`, `'`, `’` and
/// hyphens) and single punctuation characters. A French inversion ("a-t-il", "dit-elle") is
/// split into the verb and the pronoun.
fn tokenize(text: &str, range: Range<usize>, out: &mut Toks) {
    let s = &text[range.clone()];
    let base = range.start;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(text, base + i, base + i + c.len_utf8(), false);
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if d.is_alphanumeric() {
                end = j + d.len_utf8();
                chars.next();
                continue;
            }
            // The character after is read only for a joiner: most words end at a space.
            let joiner = matches!(d, '.' | '\'' | '’' | '-' | '‑');
            if joiner && s[j + d.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric) {
                end = j + d.len_utf8();
                chars.next();
                continue;
            }
            break;
        }
        let word = &s[i..end];
        // Only a hyphenated word can be an inversion (most are not: one search, not eight).
        let inversions = ["-t-il", "-t-elle", "-t-ils", "-t-elles", "-il", "-elle", "-ils", "-elles"];
        let split = if word.contains('-') {
            inversions.iter().find(|suffix| word.len() > suffix.len() && word.ends_with(*suffix))
        } else {
            None
        };
        match split {
            Some(suffix) => {
                let cut = end - suffix.len();
                let pronoun = end - suffix.rsplit('-').next().map_or(0, str::len);
                out.push(text, base + i, base + cut, true);
                out.push(text, base + pronoun, base + end, true);
            }
            None => out.push(text, base + i, base + end, true),
        }
    }
}

/// A short quote right before another (`“This Week,” “when Russia…”`) is a title or a name
/// between a tag and the quote it introduces: it is left out.
fn drop_titles(text: &str, marked: Vec<Marked>) -> Vec<Marked> {
    let mut out = Vec::with_capacity(marked.len());
    for (i, m) in marked.iter().enumerate() {
        if let Some(next) = marked.get(i + 1) {
            let gap = &text[m.close..next.open];
            if word_count(&text[m.content.clone()]) < 3 && gap.chars().all(|c| c.is_whitespace() || c == ',')
            {
                continue;
            }
        }
        out.push(m.clone());
    }
    out
}

/// The end of reported content that runs to byte `to`: the sentence's final punctuation and
/// closing marks left out.
fn trim_reported(text: &str, from: usize, to: usize) -> usize {
    let piece = &text[from..to];
    from + piece
        .trim_end_matches(|c: char| {
            c.is_whitespace()
                || matches!(c, '.' | '!' | '?' | ',' | ';' | ':' | '”' | '"' | '»' | '’' | '«' | '“' | ')')
        })
        .len()
}

/// A participle that continues a clause ("adding", "ajoutant").
fn is_participle(lower: &str) -> bool {
    lower.ends_with("ing") || lower.ends_with("ant")
}

fn word_count(s: &str) -> usize {
    presswatch_text::word_count(s)
}

/// The gender a singular pronoun ("she", "il", "она") names, if it names one.
fn pronoun_gender(lower: &str) -> Option<Gender> {
    match lower {
        "he" | "il" | "er" | "он" | "він" => Some(Gender::Male),
        "she" | "elle" | "она" | "вона" => Some(Gender::Female),
        _ => None,
    }
}

/// Whether a word is an acronym: two characters or more, none lowercase ("DWP", "G7").
fn is_acronym(word: &str) -> bool {
    word.chars().count() > 1 && word.chars().all(|c| !c.is_lowercase())
}

/// Whether a word ends in a possessive "'s".
fn is_possessive(word: &str) -> bool {
    word.ends_with("'s") || word.ends_with("’s")
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("’s").or_else(|| s.strip_suffix("'s")).unwrap_or(s)
}

#[cfg(test)]
mod tests;
