//! People, organisations and places in one article: the entities stage.
//!
//! What it is for: the entities stage of the per-document pipeline ([`EntitiesStage`], a
//! [`DocumentStage`], after the quotes stage). It finds the mentions of people, organisations
//! and places in an article's text, groups the mentions of one entity, names it by its fullest
//! form with titles and roles cut ("Secretary of State Antony Blinken" -> Antony Blinken), and
//! resolves short forms inside the document ("Blinken", "Putin's", the misspelt "Blnken" after
//! "Antony Blinken"). Each entity gets an id derived from its type and a normalised key of its
//! name ([`name_key`]: spelling and transliteration variants share it, "Kiev" and "Київ" are
//! the gazetteer's "Kyiv"), so documents agree on ids without a corpus. It also sets the
//! quotes' [`Speaker::entity`](presswatch_model::Speaker) to the id of the speaker's entity.
//!
//! How: rules over capitalised runs (Latin and Cyrillic), title, nationality and organisation
//! word lists (`lexicon_lists`), context cues (a title before, a speech verb after), and two
//! generated gazetteers (`presswatch-gazetteer`: places from GeoNames and ISO 3166 with their German, French,
//! Russian and Ukrainian names, given names), searched by bisection in the included text: no
//! model, nothing built at start-up, linear in the text.
//!
//! What it is not for: joining entities across documents (a typo of a name the corpus knows, a
//! surname alone): that is the corpus stage in `presswatch-app`'s linking, which uses
//! [`lookup_keys`] and [`within_one_edit`] from here.
//!
//! ```
//! let text = "Secretary of State Antony Blinken spoke in Kiev. Blinken said Kyiv was calm.";
//! let found = presswatch_entities::entities_in_text(text);
//! let blinken = found.iter().find(|e| e.name == "Antony Blinken").unwrap();
//! assert_eq!(blinken.mentions.len(), 2);
//! let kyiv = found.iter().find(|e| e.name == "Kyiv").unwrap();
//! assert_eq!(kyiv.mentions.len(), 2);
//! ```

mod corpus;
mod key;
mod lexicon_lists;

use presswatch_gazetteer as gazetteer;

pub use corpus::EntityCorpusStage;
pub use key::{deletions, entity_id, name_key, within_one_edit};

use lexicon_lists::{NATIONALITIES, ORG_HEADS, ORG_NAMES, STOPWORDS, TITLES};
use presswatch_model::{Article, DocumentStage, Entity, EntityType, Quote, Span};
use std::collections::VecDeque;

/// The entities stage: fills [`Article::entities`] and the quotes' speaker entities. Runs after
/// the quotes stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntitiesStage;

impl DocumentStage for EntitiesStage {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn apply(&self, article: &mut Article) {
        // The quotes are taken out while the text (maybe borrowed from the article) is read.
        let mut quotes = std::mem::take(&mut article.quotes);
        let text = article.text_cow();
        let entities = entities_in_text(&text);
        link_speakers(&text, &mut quotes, &entities);
        drop(text);
        article.quotes = quotes;
        article.entities = entities;
    }
}

/// Names a place is also written as that the gazetteer lacks: (alias, canonical).
const PLACE_ALIASES: &[(&str, &str)] = &[
    ("America", "United States"),
    ("Britain", "United Kingdom"),
    ("Crimea", "Crimea"),
    ("Donbas", "Donbas"),
    ("Donbass", "Donbas"),
    ("Europe", "Europe"),
    ("Great Britain", "United Kingdom"),
    ("Middle East", "Middle East"),
    ("Russia", "Russia"),
    ("Russie", "Russia"),
    ("Russland", "Russia"),
    ("Russian Federation", "Russia"),
    ("Soviet Union", "Soviet Union"),
    ("U.K.", "United Kingdom"),
    ("U.S.", "United States"),
    ("U.S.A.", "United States"),
    ("UK", "United Kingdom"),
    ("US", "United States"),
    ("USA", "United States"),
    ("United States of America", "United States"),
    ("Европа", "Europe"),
    ("Крым", "Crimea"),
    ("Росія", "Russia"),
    ("Россия", "Russia"),
    ("США", "United States"),
];

/// Names the rules cannot join: (variant key, canonical key), keys as [`name_key`] gives them.
const NAME_ALIASES: &[(&str, &str)] = &[
    ("toni blinken", "antoni blinken"),
    ("vladimir selenski", "volodimir selenski"),
    ("joseph biden", "joe biden"),
    ("vladimir sholts", "olaf sholts"),
];

/// Organisations written in several ways: (variant, canonical).
const ORG_ALIASES: &[(&str, &str)] = &[
    ("North Atlantic Treaty Organization", "NATO"),
    ("НАТО", "NATO"),
    ("European Union", "EU"),
    ("ЕС", "EU"),
    ("United Nations", "UN"),
    ("ООН", "UN"),
    ("Кремль", "Kremlin"),
    ("Kreml", "Kremlin"),
];

/// Words after a name that make it a person's ("Karen Donfried said").
const SPEECH_AFTER: &[&str] = &[
    "added",
    "admitted",
    "announced",
    "argued",
    "asked",
    "claimed",
    "declared",
    "explained",
    "insisted",
    "noted",
    "replied",
    "said",
    "says",
    "stated",
    "told",
    "tweeted",
    "warned",
    "wrote",
    "sagte",
    "erklärte",
    "a",
    "déclare",
    "заявил",
    "заявила",
    "сказал",
    "сказала",
    "заявив",
    "заявила",
    "сказав",
];

/// A word of the text: byte range, and whether a possessive ('s) was cut from its end.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    /// The word starts a sentence (its capital says nothing).
    sentence_start: bool,
    /// Punctuation (or a line break) follows it, so a name cannot run on.
    closes: bool,
}

/// A candidate mention before resolution.
#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    end: usize,
    kind: Option<EntityType>,
    /// The name to group by (canonical place, org name, or the words as written).
    name: String,
    /// A person cue was seen (a title before, a speech verb after, a given name).
    person_cue: bool,
}

/// The entities of a text, mention spans as character offsets into it.
pub fn entities_in_text(text: &str) -> Vec<Entity> {
    // The words are read as they come, and only the run being looked at is held (from the word
    // before its first, which `classify` reads to tell a shouted headline, to the word after
    // it): a word list of the whole text (24 bytes a word) was the largest part of the
    // pipeline's peak on a huge record.
    let mut words = Words::new(text);
    let mut run: VecDeque<Word> = VecDeque::new();
    // Whether the run holds word `k` (counting from its first), reading on as needed.
    let mut has = |run: &mut VecDeque<Word>, k: usize| {
        while run.len() <= k {
            match words.next() {
                Some(w) => run.push_back(w),
                None => return false,
            }
        }
        true
    };
    // Moves on to word `to` of the run, keeping the one before it.
    let advance = |run: &mut VecDeque<Word>, to: usize| {
        run.drain(..to - 1);
    };
    let memo = Memo::default();
    let mut cands = Vec::new();
    // The word looked at: `run[i]`, the one before it (if any) `run[0]` when `i` is 1.
    let mut i = 0;
    while has(&mut run, i) {
        if !is_capitalised(&text[run[i].start..run[i].end]) {
            advance(&mut run, i + 1);
            i = 1;
            continue;
        }
        let mut j = i + 1;
        while has(&mut run, j) && !run[j - 1].closes && text[run[j - 1].end..run[j].start].trim().is_empty() {
            let w = &text[run[j].start..run[j].end];
            if is_capitalised(w) {
                j += 1;
            } else if is_connector(w)
                && has(&mut run, j + 1)
                && !run[j].closes
                && is_capitalised(&text[run[j + 1].start..run[j + 1].end])
            {
                j += 2;
            } else {
                break;
            }
        }
        // `classify` reads the run, the word before it and the word after it, which the loop
        // above has read.
        classify(text, run.make_contiguous(), i, j, &mut cands, &memo);
        advance(&mut run, j);
        i = 1;
    }
    resolve(text, cands)
}

/// Splits `text` into words: letters and digits with inner apostrophes, hyphens and dots
/// ("O'Brien", "al-Assad", "U.S."); a possessive "'s" is left out of the word.
///
/// A word is given out once the characters up to the next word are read (they tell whether it
/// [`Word::closes`]).
struct Words<'a> {
    text: &'a str,
    iter: std::iter::Peekable<std::str::CharIndices<'a>>,
    sentence_start: bool,
    /// The last word read, given out when the next one starts (or the text ends).
    last: Option<Word>,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Self {
        Words { text, iter: text.char_indices().peekable(), sentence_start: true, last: None }
    }
}

impl Iterator for Words<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        let Words { text, iter, sentence_start, last } = self;
        let text: &str = text;
        while let Some((i, c)) = iter.next() {
            if c.is_alphanumeric() {
                let start = i;
                let mut end = i + c.len_utf8();
                while let Some(&(k, d)) = iter.peek() {
                    if d.is_alphanumeric() {
                        end = k + d.len_utf8();
                        iter.next();
                    } else if matches!(d, '\'' | '’' | '-' | '.') {
                        // Inner punctuation only when a letter follows (and, for a dot, a capital:
                        // "U.S.").
                        let rest = &text[k + d.len_utf8()..];
                        let next = rest.chars().next();
                        let ok = match d {
                            '.' => next.is_some_and(|n| n.is_uppercase()) && end - start <= 2,
                            _ => next.is_some_and(char::is_alphabetic),
                        };
                        if !ok {
                            break;
                        }
                        end = k + d.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                // "U.S." keeps its last dot, and so do "Co.", "Inc.", "Jr.".
                let abbreviation = matches!(&text[start..end], "Co" | "Corp" | "Inc" | "Ltd" | "Jr" | "Sr");
                if (abbreviation || text[start..end].contains('.')) && text[end..].starts_with('.') {
                    end += 1;
                    iter.next();
                }
                let mut word_end = end;
                for p in ["'s", "’s", "'", "’"] {
                    if text[start..end].ends_with(p) && end - p.len() > start {
                        word_end = end - p.len();
                        break;
                    }
                }
                // French elision: "l'Élysée", "d’Orsay", "qu'Emmanuel" are the name after it.
                let mut start = start;
                for p in ["l'", "l’", "d'", "d’", "qu'", "qu’", "L'", "L’", "D'", "D’"] {
                    if text[start..word_end].starts_with(p)
                        && text[start + p.len()..].starts_with(char::is_uppercase)
                    {
                        start += p.len();
                        break;
                    }
                }
                let word =
                    Word { start, end: word_end, sentence_start: *sentence_start, closes: word_end < end };
                *sentence_start = false;
                if let Some(done) = last.replace(word) {
                    return Some(done);
                }
            } else if !c.is_whitespace() || c == '\n' {
                if let Some(last) = last.as_mut() {
                    last.closes = true;
                }
                if c == '\n'
                    || presswatch_text::is_sentence_end(c)
                    || matches!(c, ':' | '"' | '“' | '«' | '„' | '(')
                {
                    *sentence_start = true;
                }
            }
        }
        last.take()
    }
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Lowercase words allowed inside a name between capitalised words.
fn is_connector(w: &str) -> bool {
    matches!(
        w,
        "of" | "for"
            | "de"
            | "von"
            | "van"
            | "der"
            | "del"
            | "da"
            | "di"
            | "du"
            | "des"
            | "bin"
            | "al"
            | "le"
            | "la"
    )
}

fn in_list(list: &[&str], w: &str) -> bool {
    list.binary_search(&w).is_ok()
}

fn lower(w: &str) -> String {
    w.to_lowercase()
}

/// Whether a word is only an abbreviation's dots and capitals, or digits.
fn is_acronym(w: &str) -> bool {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    (2..=5).contains(&letters) && w.chars().all(|c| c.is_uppercase() || c == '.' || c.is_ascii_digit())
}

/// Whether a word is written in capitals (two letters or more).
fn is_shouted(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && w.chars().all(|c| !c.is_lowercase())
}

/// Title words that alone do not make the next word a person's name ("National Capital").
const WEAK_TITLES: &[&str] = &[
    "acting",
    "assistant",
    "chief",
    "defence",
    "defense",
    "deputy",
    "economy",
    "energy",
    "finance",
    "first",
    "foreign",
    "former",
    "head",
    "health",
    "interior",
    "justice",
    "national",
    "opposition",
    "press",
    "security",
    "senior",
    "special",
    "state",
    "top",
    "trade",
    "vice",
];

/// Words that make a capitalised run an event's name.
const EVENT_WORDS: &[&str] = &[
    "award",
    "awards",
    "championship",
    "championships",
    "cup",
    "day",
    "festival",
    "finals",
    "games",
    "olympics",
    "prize",
    "summit",
    "week",
    "friday",
    "show",
    "open",
    "conference",
    "war",
];

/// Company suffixes, which alone name nothing.
const ORG_SUFFIXES: &[&str] = &["co", "corp", "inc", "llc", "ltd", "plc", "gmbh", "ag", "sa"];

/// Capitalised abbreviations that name no organisation.
const NOT_ACRONYMS: &[&str] = &["AM", "CEO", "DL", "EV", "GMT", "ID", "OK", "PM", "SUV", "TV", "UTC"];

/// The canonical place called `name`, from the curated aliases or the gazetteer, trying
/// Russian and Ukrainian case endings ("Киеве", "Москвы") when the word is Cyrillic.
fn place_of(name: &str) -> Option<String> {
    if let Some((_, c)) = PLACE_ALIASES.iter().find(|(a, _)| *a == name) {
        return Some((*c).to_string());
    }
    if let Some(c) = gazetteer::place(name) {
        return Some(c.to_string());
    }
    if name.chars().next().is_some_and(|c| ('\u{400}'..='\u{4ff}').contains(&c)) && !name.contains(' ') {
        let chars: Vec<char> = name.chars().collect();
        for cut in 1..=2usize {
            if chars.len() <= cut + 3 {
                break;
            }
            let stem: String = chars[..chars.len() - cut].iter().collect();
            for end in ["", "а", "я", "ь", "й", "ия"] {
                let form = format!("{stem}{end}");
                if let Some((_, c)) = PLACE_ALIASES.iter().find(|(a, _)| *a == form) {
                    return Some((*c).to_string());
                }
                if let Some(c) = gazetteer::place(&form) {
                    return Some(c.to_string());
                }
            }
        }
    }
    None
}

/// Gazetteer answers already looked up for this document (names recur: "Russia" 17 times).
#[derive(Default)]
struct Memo {
    places: std::cell::RefCell<std::collections::HashMap<String, Option<String>>>,
    given: std::cell::RefCell<std::collections::HashMap<String, bool>>,
}

impl Memo {
    fn place(&self, name: &str) -> Option<String> {
        if let Some(found) = self.places.borrow().get(name) {
            return found.clone();
        }
        let found = place_of(name);
        self.places.borrow_mut().insert(name.to_string(), found.clone());
        found
    }

    fn given(&self, name: &str) -> bool {
        if let Some(&found) = self.given.borrow().get(name) {
            return found;
        }
        let found = is_given(name);
        self.given.borrow_mut().insert(name.to_string(), found);
        found
    }
}

/// Turns the capitalised run `words[from..to]` into candidate mentions.
fn classify(text: &str, words: &[Word], from: usize, to: usize, out: &mut Vec<Cand>, memo: &Memo) {
    let w = |k: usize| &text[words[k].start..words[k].end];
    let mut i = from;
    // Function words and other words that name nothing, at the front.
    while i < to && in_list(STOPWORDS, &lower(w(i))) {
        i += 1;
    }
    if i >= to {
        return;
    }
    let span_text = |a: usize, b: usize| &text[words[a].start..words[b - 1].end];
    // An organisation: a head word anywhere ("Russian Defence Ministry", "State Department").
    // A company suffix alone (", Inc.") names nothing.
    if to - i == 1 && ORG_SUFFIXES.contains(&lower(w(i)).as_str()) {
        return;
    }
    // A known organisation or place at the front of a longer run ("G7 Foreign Ministers").
    if to - i >= 2 {
        if let Some(org) = org_of(w(i)) {
            out.push(typed(&words[i], &words[i], EntityType::Organisation, org));
            classify(text, words, i + 1, to, out, memo);
            return;
        }
    }
    if let Some(head) = (i..to).rev().find(|&k| in_list(ORG_HEADS, lower(w(k)).trim_end_matches('.'))) {
        // Nationality adjectives stay part of the name; titles before it do not.
        let mut a = i;
        while a < head && in_list(TITLES, &lower(w(a))) && !in_list(NATIONALITIES, &lower(w(a))) {
            a += 1;
        }
        let name = span_text(a, head + 1).to_string();
        if memo.place(&name).is_none() {
            out.push(Cand {
                start: words[a].start,
                end: words[head].end,
                kind: Some(EntityType::Organisation),
                name,
                person_cue: false,
            });
            if head + 1 < to {
                classify(text, words, head + 1, to, out, memo);
            }
            return;
        }
    }
    // The whole run as a place or a known organisation.
    let whole = span_text(i, to);
    if let Some(place) = memo.place(whole) {
        out.push(typed(&words[i], &words[to - 1], EntityType::Place, place));
        return;
    }
    if let Some(org) = org_of(whole) {
        out.push(typed(&words[i], &words[to - 1], EntityType::Organisation, org));
        return;
    }
    // A run joined by a lowercase connector that is no organisation's or place's name is two
    // runs ("Seite der Ukraine", German nouns being capitalised).
    if let Some(c) = (i + 1..to.saturating_sub(1)).find(|&k| !is_capitalised(w(k))) {
        if !in_list(TITLES, &lower(w(i))) {
            classify(text, words, i, c, out, memo);
            classify(text, words, c + 1, to, out, memo);
            return;
        }
    }
    // Titles, roles and nationalities at the front ("US Secretary of State", "Russian President").
    let mut person_cue = false;
    let mut k = i;
    while k < to {
        let l = lower(w(k));
        let title = in_list(TITLES, &l) || in_list(TITLES, l.trim_end_matches('.'));
        if title {
            person_cue |= !WEAK_TITLES.contains(&l.trim_end_matches('.'));
        } else if person_cue && k + 1 < to && memo.place(w(k)).is_some() && !memo.given(w(k)) {
            // "President of Ukraine Volodymyr Zelensky", "Президент Украины Владимир Зеленский".
            if let Some(p) = memo.place(w(k)) {
                out.push(typed(&words[k], &words[k], EntityType::Place, p));
            }
        } else if in_list(NATIONALITIES, &l)
            || (k + 1 < to && (memo.place(w(k)).is_some() || in_list(STOPWORDS, &l)))
        {
            // A place or nationality before a title ("Ukrainian President", "Russia's ...")
            if k + 1 < to && in_list(TITLES, &lower(w(k + 1))) {
                if let Some(p) = memo.place(w(k)) {
                    out.push(typed(&words[k], &words[k], EntityType::Place, p));
                }
            } else if !in_list(NATIONALITIES, &l) {
                break;
            }
        } else if l == "of" && person_cue {
        } else {
            break;
        }
        k += 1;
    }
    if k >= to {
        return;
    }
    if k > i && !person_cue {
        // Only nationalities and places were cut: look at what follows on its own.
        classify(text, words, k, to, out, memo);
        return;
    }
    let mut a = k;
    // A run that still holds a place on its own at the front ("Moscow Kremlin") splits there.
    // (A place that is also a given name splits only before a role abbreviation: "Cleveland DL
    // Larry Ogunjobi", but "Mason Rudolph".)
    if !person_cue && to - a >= 2 && (!memo.given(w(a)) || is_acronym(w(a + 1))) {
        if let Some(p) = memo.place(w(a)) {
            out.push(typed(&words[a], &words[a], EntityType::Place, p));
            a += 1;
        }
    }
    // A role abbreviation before a name ("DL Larry Ogunjobi", "CEO Tim Cook").
    while a + 1 < to && is_acronym(w(a)) && w(a).chars().count() <= 3 && memo.given(w(a + 1)) {
        a += 1;
    }
    if a >= to {
        return;
    }
    // A headline in capitals ("NISSAN SENTRA") is no name.
    if to - a >= 2 && (a..to).all(|k| is_shouted(w(k))) {
        return;
    }
    // Events and works are no entity of these types ("Davis Cup Finals", "Black Friday").
    if (a..to).any(|k| EVENT_WORDS.contains(&lower(w(k)).as_str())) {
        return;
    }
    let first = w(a);
    let given = memo.given(first);
    let next = words.get(to).map(|x| lower(&text[x.start..x.end]));
    let speech = next.as_deref().is_some_and(|n| SPEECH_AFTER.contains(&n))
        && !words[to - 1].closes
        && !(words[a].sentence_start && to - a == 1);
    let name = span_text(a, to).to_string();
    let n_words = to - a;
    let patronymic = n_words >= 2 && (a..to).any(|x| is_patronymic(w(x)));
    // An all-capital word: a place written in capitals (a dateline's "MADRID"), an acronym
    // ("NATO", "NYAG"), or a shouted word or headline ("VOTE", "NISSAN SENTRA"): no entity.
    if n_words == 1
        && first.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && first.chars().all(|c| !c.is_lowercase())
    {
        let titled: String = first
            .chars()
            .enumerate()
            .flat_map(|(i, c)| if i == 0 { vec![c] } else { c.to_lowercase().collect() })
            .collect();
        if let Some(p) = memo.place(&titled) {
            out.push(typed(&words[a], &words[a], EntityType::Place, p));
            return;
        }
        let shouted = |k: usize| words.get(k).is_some_and(|x| is_shouted(&text[x.start..x.end]));
        if shouted(a + 1) || (a > 0 && shouted(a - 1)) || !is_acronym(first) || NOT_ACRONYMS.contains(&first)
        {
            return;
        }
    }
    let kind = if person_cue || patronymic || (given && (2..=4).contains(&n_words)) {
        Some(EntityType::Person)
    } else if is_acronym(&name) {
        Some(EntityType::Organisation)
    } else if speech && n_words <= 3 {
        Some(EntityType::Person)
    } else {
        None
    };
    if kind.is_none() && words[a].sentence_start && n_words == 1 {
        // A capital at a sentence's start says nothing; resolution may still know the word.
        out.push(Cand { start: words[a].start, end: words[to - 1].end, kind: None, name, person_cue: false });
        return;
    }
    out.push(Cand {
        start: words[a].start,
        end: words[to - 1].end,
        kind,
        name,
        person_cue: person_cue || speech,
    });
}

/// Whether `w` is a given name (Latin from the gazetteer, Cyrillic from the list here).
fn is_given(w: &str) -> bool {
    gazetteer::is_given_name(w) || is_cyrillic_given(w)
}

/// A typed candidate from word `first` to word `last`.
fn typed(first: &Word, last: &Word, kind: EntityType, name: String) -> Cand {
    Cand { start: first.start, end: last.end, kind: Some(kind), name, person_cue: false }
}

/// Common Russian and Ukrainian given names (Cyrillic; the gazetteer's are Latin).
fn is_cyrillic_given(w: &str) -> bool {
    const NAMES: &[&str] = &[
        "Алексей",
        "Александр",
        "Анатолий",
        "Андрей",
        "Андрій",
        "Анна",
        "Антон",
        "Борис",
        "Вадим",
        "Валентина",
        "Валерий",
        "Василий",
        "Виктор",
        "Віктор",
        "Виталий",
        "Віталій",
        "Владимир",
        "Володимир",
        "Вячеслав",
        "Геннадий",
        "Георгий",
        "Григорий",
        "Дарья",
        "Денис",
        "Дмитрий",
        "Дмитро",
        "Евгений",
        "Егор",
        "Екатерина",
        "Елена",
        "Иван",
        "Іван",
        "Игорь",
        "Ігор",
        "Ирина",
        "Ірина",
        "Кирилл",
        "Константин",
        "Леонид",
        "Мария",
        "Марина",
        "Михаил",
        "Михайло",
        "Наталья",
        "Николай",
        "Микола",
        "Олег",
        "Олександр",
        "Олена",
        "Ольга",
        "Павел",
        "Павло",
        "Петр",
        "Пётр",
        "Петро",
        "Рамзан",
        "Роман",
        "Руслан",
        "Сергей",
        "Сергій",
        "Светлана",
        "Татьяна",
        "Юлия",
        "Юлія",
        "Юрий",
        "Юрій",
    ];
    NAMES.contains(&w)
}

/// A Russian or Ukrainian patronymic ("Владимирович", "Олександрівна").
fn is_patronymic(w: &str) -> bool {
    ["ович", "евич", "овна", "евна", "ович", "йович", "івна", "ївна"]
        .iter()
        .any(|s| w.ends_with(s) && w.chars().count() > 6)
}

/// The organisation called `name` ("NATO", "the Kremlin", "НАТО" -> "NATO").
fn org_of(name: &str) -> Option<String> {
    if let Some((_, c)) = ORG_ALIASES.iter().find(|(a, _)| *a == name) {
        return Some((*c).to_string());
    }
    if in_list(ORG_NAMES, name) {
        return Some(name.to_string());
    }
    match name {
        "White House" | "State Department" | "Foreign Office" | "Downing Street" | "Security Council" => {
            Some(name.to_string())
        }
        _ => None,
    }
}

/// One entity while the document's mentions are grouped.
struct Group {
    kind: EntityType,
    name: String,
    key: String,
    mentions: Vec<(usize, usize)>,
}

/// Groups candidates into entities: short forms and one-letter typos of a person's surname go
/// to the person, places and organisations by canonical name; untyped candidates that match
/// nothing are dropped.
fn resolve(text: &str, cands: Vec<Cand>) -> Vec<Entity> {
    let mut groups: Vec<Group> = Vec::new();
    let key_of = |kind: EntityType, name: &str| {
        let k = name_key(name);
        match kind {
            EntityType::Person => {
                NAME_ALIASES.iter().find(|(v, _)| *v == k).map_or(k, |(_, c)| (*c).to_string())
            }
            _ => k,
        }
    };
    // A name of two or three words whose last word comes back alone is a person's ("Zach
    // Parise ... Parise said").
    let singles: Vec<String> =
        cands.iter().filter(|c| !c.name.contains(' ')).map(|c| name_key(&c.name)).collect();
    let mut cands = cands;
    for c in cands.iter_mut().filter(|c| c.kind.is_none()) {
        let n = c.name.split_whitespace().count();
        let last = c.name.rsplit(' ').next().map(name_key).unwrap_or_default();
        if (2..=3).contains(&n) && singles.contains(&last) {
            c.kind = Some(EntityType::Person);
        }
    }
    // First the typed multi-word people and every place and organisation.
    let mut pending: Vec<&Cand> = Vec::new();
    for c in &cands {
        let multi = c.name.contains(' ');
        match c.kind {
            Some(EntityType::Person) if multi => {
                add(&mut groups, EntityType::Person, &c.name, key_of(EntityType::Person, &c.name), c)
            }
            Some(kind @ (EntityType::Place | EntityType::Organisation)) => {
                add(&mut groups, kind, &c.name, key_of(kind, &c.name), c)
            }
            _ => pending.push(c),
        }
    }
    // Then the single words: a surname (or a typo of one) of a person named in full, else a
    // known place or organisation's name, else a person by its cue.
    for c in pending {
        let k = name_key(&c.name);
        let surname_of =
            |g: &Group| g.kind == EntityType::Person && g.key.rsplit(' ').next() == Some(k.as_str());
        let found = groups.iter().position(surname_of).or_else(|| {
            (k.chars().count() >= 5)
                .then(|| {
                    groups.iter().position(|g| {
                        g.kind == EntityType::Person
                            && g.key.contains(' ')
                            && g.key.rsplit(' ').next().is_some_and(|s| within_one_edit(s, &k))
                    })
                })
                .flatten()
        });
        if let Some(g) = found {
            groups[g].mentions.push((c.start, c.end));
        } else if let Some(g) = groups.iter().position(|g| g.key == k) {
            groups[g].mentions.push((c.start, c.end));
        } else if let Some(kind) =
            c.kind.filter(|_| c.kind != Some(EntityType::Person) || c.person_cue || c.name.contains(' '))
        {
            add(&mut groups, kind, &c.name, key_of(kind, &c.name), c);
        }
    }
    // Character offsets, in one pass over the text.
    let mut bounds: Vec<usize> =
        groups.iter().flat_map(|g| g.mentions.iter().flat_map(|&(s, e)| [s, e])).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut chars_at = Vec::with_capacity(bounds.len());
    let (mut byte, mut chars) = (0usize, 0usize);
    for b in &bounds {
        chars += text.get(byte..*b).map_or(0, |s| s.chars().count());
        byte = *b;
        chars_at.push(chars);
    }
    let to_char = |b: usize| bounds.binary_search(&b).map_or(0, |i| chars_at[i]);
    let mut out: Vec<Entity> = groups
        .into_iter()
        .map(|mut g| {
            g.mentions.sort_unstable();
            g.mentions.dedup();
            Entity {
                id: entity_id(g.kind, &g.key),
                name: g.name,
                kind: g.kind,
                mentions: g.mentions.iter().map(|&(s, e)| Span::new(to_char(s), to_char(e))).collect(),
            }
        })
        .collect();
    out.sort_by_key(|e| e.mentions.first().copied());
    out
}

fn add(groups: &mut Vec<Group>, kind: EntityType, name: &str, key: String, c: &Cand) {
    if key.is_empty() {
        return;
    }
    if let Some(g) = groups.iter_mut().find(|g| g.kind == kind && g.key == key) {
        if name.split_whitespace().count() > g.name.split_whitespace().count() {
            g.name = name.to_string();
        }
        g.mentions.push((c.start, c.end));
        return;
    }
    groups.push(Group { kind, name: name.to_string(), key, mentions: vec![(c.start, c.end)] });
}

/// Sets each quote's speaker entity: the person whose mention is the speaker's mention, or
/// whose name (or surname) is the speaker's name.
pub fn link_speakers(text: &str, quotes: &mut [Quote], entities: &[Entity]) {
    let _ = text;
    for q in quotes {
        let by_mention = q.speaker.mention.and_then(|m| {
            entities.iter().find(|e| {
                e.kind == EntityType::Person && e.mentions.iter().any(|s| s.start < m.end && m.start < s.end)
            })
        });
        let by_name = || {
            let name = q.speaker.name.as_deref()?;
            let k = name_key(name);
            let last = k.rsplit(' ').next().unwrap_or(&k).to_string();
            entities.iter().filter(|e| e.kind == EntityType::Person).find(|e| {
                let ek = name_key(&e.name);
                ek == k || ek.rsplit(' ').next() == Some(last.as_str())
            })
        };
        q.speaker.entity = by_mention.or_else(by_name).map(|e| e.id.clone());
    }
}

/// The lookup keys of an entity the corpus stage files it under: its name's key, for a person
/// named in full also the surname's key (prefixed `s:`), and for names of at least
/// [`MIN_TYPO_CHARS`] characters the one-deletion variants (prefixed `d:`), which find the
/// entity from a one-letter typo. Each is prefixed by the type.
pub fn lookup_keys(kind: EntityType, name: &str) -> Vec<String> {
    let key = name_key(name);
    let t = kind.as_str();
    let mut out = vec![format!("{t}:k:{key}")];
    let last = key.rsplit(' ').next().unwrap_or(&key).to_string();
    if kind == EntityType::Person && last != key {
        out.push(format!("{t}:s:{last}"));
    }
    let typo_base = if kind == EntityType::Person { &last } else { &key };
    if typo_base.chars().count() >= MIN_TYPO_CHARS {
        out.push(format!("{t}:d:{typo_base}"));
        out.extend(deletions(typo_base).into_iter().map(|d| format!("{t}:d:{d}")));
    }
    out
}

/// The shortest name (or surname) a typo is resolved for: shorter ones are too often other names.
pub const MIN_TYPO_CHARS: usize = 5;

#[cfg(test)]
mod tests;
