//! What one document contributes to clustering: the terms of its title and lead, and its
//! language-independent keys (entity ids and numbers). Pure, per document.

use crate::Params;
use presswatch_model::ArticleRecord;
use std::collections::HashMap;

/// The features of one document, before weighting (weights need the corpus's document
/// frequencies, which only the ordered part of the stage has).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Term hash -> weighted count (title words count [`Params::title_weight`] each).
    pub terms: Vec<(u64, f32)>,
    /// For each of `terms`, the share of documents its word is expected in from everyday
    /// language (the background prior of its document frequency; 0 for rare words).
    pub background: Vec<f32>,
    /// Entity-id and number hashes -> count.
    pub entities: Vec<(u64, f32)>,
    /// Publication day (days since 1970-01-01), when known.
    pub day: Option<i32>,
    /// The story label if this document opens one.
    pub label: String,
    /// Documents provenance linked this one to (its sources or copies), strongest first: a copy
    /// always joins its source's story. Filled by the caller after the provenance stage.
    pub copy_of: Vec<presswatch_model::DocId>,
}

const TERM_SPACE: u64 = 0x7465_726d;
const ENTITY_SPACE: u64 = 0x656e_7469;
const NUMBER_SPACE: u64 = 0x6e75_6d62;

/// FNV-1a over `bytes`, seeded with a namespace, then mixed: stable across runs and machines
/// (the hashes are persisted as keys).
pub fn key_hash(space: u64, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ space;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    presswatch_text::mix(h)
}

/// Words that carry no story: function words of English, German, French and Russian (the
/// rest of the common words are weighed down by their document frequency).
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "during", "each", "for", "from", "had", "has", "have", "he", "her", "here", "his", "how", "i",
    "if", "in", "into", "is", "it", "its", "just", "more", "most", "new", "no", "not", "now", "of", "on",
    "one", "only", "or", "other", "our", "out", "over", "said", "says", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "under", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "would", "you", "your", "der", "die", "das", "und", "den", "dem",
    "des", "ein", "eine", "einen", "ist", "mit", "von", "zu", "auf", "für", "nicht", "sich", "auch", "als",
    "le", "la", "les", "des", "du", "un", "une", "et", "est", "en", "au", "aux", "pour", "par", "sur",
    "dans", "qui", "que", "pas", "и", "в", "во", "не", "на", "что", "с", "со", "по", "к", "а", "о", "из",
    "за", "от", "для", "это", "как", "но", "он", "она", "они",
];

fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

/// A light suffix strip so that plural and simple verb forms share a term ("talks", "talk";
/// "sanctions", "sanction"); language-blind, applied to words of 5+ letters only.
fn stem(w: &str) -> &str {
    let n = w.chars().count();
    if n < 5 {
        return w;
    }
    for suffix in ["ies", "es", "s"] {
        if let Some(s) = w.strip_suffix(suffix) {
            if !s.ends_with('s') && s.chars().count() >= 4 {
                return s;
            }
        }
    }
    w
}

/// Calls `f` on each lower-cased word of `text` (letters and digits).
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() && c != '\'' && c != '’' {
            f(&word);
            word.clear();
        } else if !word.is_empty() {
            // "Russia's": the possessive ends the word.
            f(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

/// A document's words, counted as they are read.
#[derive(Default)]
struct Counts {
    /// Term hash -> (weighted count, background document share).
    terms: HashMap<u64, (f32, f32)>,
    numbers: HashMap<u64, f32>,
}

fn add_word(w: &str, weight: f32, counts: &mut Counts) {
    if w.chars().all(|c| c.is_ascii_digit()) {
        // Numbers are language-independent: "2,000 troops", "12 January" in any language.
        // One-digit numbers are too common to tell stories apart.
        if w.len() >= 2 {
            *counts.numbers.entry(key_hash(NUMBER_SPACE, w.as_bytes())).or_default() += weight;
        }
        return;
    }
    if w.chars().count() < 3 || is_stopword(w) {
        return;
    }
    let term = counts
        .terms
        .entry(key_hash(TERM_SPACE, stem(w).as_bytes()))
        .or_insert_with(|| (0.0, crate::background::document_share(w)));
    term.0 += weight;
}

/// The lead: the first `chars` characters of the text, cut at a word boundary.
fn lead(text: &str, chars: usize) -> &str {
    match text.char_indices().nth(chars) {
        None => text,
        Some((i, _)) => {
            let head = &text[..i];
            match head.rfind(char::is_whitespace) {
                Some(j) if j > 0 => &head[..j],
                _ => head,
            }
        }
    }
}

/// The features of an article: terms of its title and lead, entity ids of its entities and
/// numbers of its lead.
pub fn features(article: &ArticleRecord, params: &Params) -> Features {
    let mut counts = Counts::default();
    let title = article.meta.title.as_deref().unwrap_or("").trim();
    for_each_word(title, |w| add_word(w, params.title_weight, &mut counts));
    let lead_text = lead(&article.text, params.lead_chars);
    // A title the extractor also kept as the first line is counted once, as the title.
    let lead_text = lead_text.strip_prefix(title).unwrap_or(lead_text);
    for_each_word(lead_text, |w| add_word(w, 1.0, &mut counts));
    let lead_end = lead_text.chars().count() + title.chars().count();
    let mut entities = counts.numbers;
    for e in &article.entities {
        // Mentions in the lead count; an entity only named further down counts once.
        let in_lead = e.mentions.iter().filter(|m| m.start < lead_end).count();
        let weight = 1.0 + in_lead as f32;
        *entities.entry(key_hash(ENTITY_SPACE, e.id.as_bytes())).or_default() += weight;
    }
    let label_source = if title.is_empty() { lead(&article.text, 100) } else { title };
    let label = lead(label_source, 120).trim().to_string();
    let mut terms: Vec<(u64, (f32, f32))> = counts.terms.into_iter().collect();
    terms.sort_unstable_by_key(|t| t.0);
    let background = terms.iter().map(|t| t.1 .1).collect();
    let terms = terms.into_iter().map(|(k, (count, _))| (k, count)).collect();
    let mut entities: Vec<(u64, f32)> = entities.into_iter().collect();
    entities.sort_unstable_by_key(|t| t.0);
    Features {
        terms,
        background,
        entities,
        day: article.meta.published.map(|p| p.epoch_day()),
        label,
        copy_of: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_stemmed_and_filtered() {
        let mut seen = Vec::new();
        for_each_word("Russia's troops: the TALKS, 2,000 soldiers", |w| seen.push(w.to_string()));
        assert_eq!(seen, ["russia", "s", "troops", "the", "talks", "2", "000", "soldiers"]);
        assert_eq!(stem("talks"), "talk");
        assert_eq!(stem("sanctions"), "sanction");
        assert_eq!(stem("news"), "news");
        assert_eq!(stem("process"), "process");
    }

    #[test]
    fn lead_cuts_at_a_word() {
        assert_eq!(lead("one two three", 6), "one");
        assert_eq!(lead("short", 100), "short");
    }
}
