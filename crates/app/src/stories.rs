//! Stories as read: the list (`presswatch stories`), one story with its timeline (`presswatch
//! story ID`), and two outlets compared (`presswatch compare`): distinctive words by weighted
//! log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008), and their
//! share of coverage by day.

use presswatch_model::{ArticleRecord, DocId, Published, StoryMerge, StoryState};
use presswatch_store::{StoreError, StoreRead};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A calendar day.
pub type Day = chrono::NaiveDate;

fn day_of(epoch_day: i32) -> Option<Day> {
    Day::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(i64::from(epoch_day)))
}

/// A story as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    /// Its id, label and size.
    pub id: DocId,
    /// Its label (the title of the document that opened it).
    pub label: String,
    /// How many documents it holds.
    pub size: u32,
    /// Its first and last publication day (dated members only).
    pub first: Option<Day>,
    /// See `first`.
    pub last: Option<Day>,
}

impl From<StoryState> for StoryRow {
    fn from(s: StoryState) -> StoryRow {
        StoryRow {
            id: s.id,
            label: s.label,
            size: s.size,
            first: s.first_day.and_then(day_of),
            last: s.last_day.and_then(day_of),
        }
    }
}

/// Stories, largest first (ties by id): only those with a member published on or after
/// `since`, if given; at most `top`.
pub fn stories<S: StoreRead + ?Sized>(
    store: &S,
    since: Option<Day>,
    top: Option<usize>,
) -> Result<Vec<StoryRow>, StoreError> {
    let mut rows: Vec<StoryRow> = store
        .stories()?
        .into_iter()
        .map(StoryRow::from)
        .filter(|r| since.is_none_or(|s| r.last.is_some_and(|l| l >= s)))
        .collect();
    rows.truncate(top.unwrap_or(usize::MAX));
    Ok(rows)
}

/// One member of a story.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The article.
    pub id: DocId,
    /// Its title.
    pub title: Option<String>,
    /// Its outlet.
    pub outlet: Option<String>,
    /// When it was published.
    pub published: Option<Published>,
    /// The similarity that placed it (1: a copy of an earlier member; 0: it opened a story).
    pub score: f32,
}

/// One story in detail.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryDetail {
    /// The story.
    pub story: StoryRow,
    /// Members, earliest published first (undated last, in placing order).
    pub members: Vec<Member>,
    /// The first dated report.
    pub first_report: Option<Member>,
    /// Outlets in the order they picked the story up (by their first member).
    pub outlets: Vec<String>,
    /// Documents by published day (undated left out).
    pub by_day: Vec<(Day, u64)>,
    /// The peak days: those with the most documents (at most three, earliest first).
    pub peaks: Vec<(Day, u64)>,
    /// Documents by day and outlet: (day, outlet, documents) (undated left out).
    pub outlet_days: Vec<(Day, String, u64)>,
    /// The most repeated quotes of its members: (speaker, quote text, members quoting it).
    pub top_quotes: Vec<(String, String, u64)>,
    /// The entities most members name: (canonical name, members).
    pub top_entities: Vec<(String, u64)>,
    /// Merges into or out of this story.
    pub merges: Vec<StoryMerge>,
}

/// The story `id` names (the story of a document id, or a story id; a merged story's id leads
/// to the story that absorbed it).
pub fn story<S: StoreRead + ?Sized>(store: &S, id: &str) -> Result<Option<StoryDetail>, StoreError> {
    let Ok(mut sid) = id.parse::<DocId>() else { return Ok(None) };
    if let Some(s) = store.story_of(sid)? {
        sid = s;
    }
    for _ in 0..16 {
        match store.story_merged_into(sid)? {
            Some(next) if next != sid => sid = next,
            _ => break,
        }
    }
    let Some(state) = store.story_state(sid)? else { return Ok(None) };
    let mut members = Vec::new();
    let mut quotes: HashMap<(String, String), HashSet<DocId>> = HashMap::new();
    let mut entities: HashMap<String, (String, u64)> = HashMap::new();
    for (doc, score) in store.story_docs(sid)? {
        let Some(mut a) = store.article(&doc.to_string())? else { continue };
        crate::linking::canonical_entities(store, &mut a)?;
        for q in &a.quotes {
            let text = q.content.iter().map(|s| s.slice(&a.text)).collect::<Vec<_>>().join(" … ");
            let who = q.speaker.name.clone().unwrap_or_default();
            quotes.entry((who, text)).or_default().insert(a.id);
        }
        for e in &a.entities {
            let entry = entities.entry(e.id.clone()).or_insert_with(|| (e.name.clone(), 0));
            entry.1 += 1;
        }
        members.push(member(&a, score));
    }
    // Earliest published first; undated members keep their placing order, last.
    members.sort_by_key(|m| m.published.map(|p| (0, p.day(), instant(&p))).unwrap_or((1, Day::MAX, 0)));
    let first_report = members.iter().find(|m| m.published.is_some()).cloned();
    let mut outlets: Vec<String> = Vec::new();
    for m in &members {
        if let Some(o) = &m.outlet {
            if !outlets.contains(o) {
                outlets.push(o.clone());
            }
        }
    }
    let mut by_day: BTreeMap<Day, u64> = BTreeMap::new();
    let mut outlet_days: BTreeMap<(Day, String), u64> = BTreeMap::new();
    for m in &members {
        if let Some(p) = m.published {
            *by_day.entry(p.day()).or_default() += 1;
            let outlet = m.outlet.clone().unwrap_or_else(|| "(unknown)".into());
            *outlet_days.entry((p.day(), outlet)).or_default() += 1;
        }
    }
    let by_day: Vec<(Day, u64)> = by_day.into_iter().collect();
    let mut peaks = by_day.clone();
    peaks.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    peaks.truncate(3);
    peaks.sort();
    let mut top_quotes: Vec<(String, String, u64)> =
        quotes.into_iter().map(|((who, text), docs)| (who, text, docs.len() as u64)).collect();
    top_quotes.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)).then_with(|| a.1.cmp(&b.1)));
    top_quotes.truncate(10);
    let mut top_entities: Vec<(String, u64)> = entities.into_values().collect();
    top_entities.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top_entities.truncate(10);
    let merges = store.story_merges()?.into_iter().filter(|m| m.into == sid || m.from == sid).collect();
    Ok(Some(StoryDetail {
        story: StoryRow::from(state),
        members,
        first_report,
        outlets,
        by_day,
        peaks,
        outlet_days: outlet_days.into_iter().map(|((d, o), n)| (d, o, n)).collect(),
        top_quotes,
        top_entities,
        merges,
    }))
}

fn instant(p: &Published) -> i64 {
    match p {
        Published::Instant(t) => t.timestamp(),
        Published::Day(_) => i64::MIN,
    }
}

fn member(a: &ArticleRecord, score: f32) -> Member {
    Member {
        id: a.id,
        title: a.meta.title.clone(),
        outlet: a.meta.outlet.as_ref().map(|o| o.as_str().to_string()),
        published: a.meta.published,
        score,
    }
}

/// One word of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct WordScore {
    /// The word (lower case).
    pub word: String,
    /// The weighted log-odds ratio, side A against side B (positive: A's word).
    pub log_odds: f64,
    /// Its z-score (the log-odds over its estimated standard deviation).
    pub z: f64,
    /// Occurrences on side A and on side B.
    pub count_a: u64,
    /// See `count_a`.
    pub count_b: u64,
}

/// Two outlets (or groups of outlets) compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Articles on each side and in the background (all articles compared: the whole store, or
    /// the story).
    pub docs_a: u64,
    /// See `docs_a`.
    pub docs_b: u64,
    /// See `docs_a`.
    pub docs_all: u64,
    /// The words, most distinctive of A first (highest z) down to most distinctive of B.
    pub words: Vec<WordScore>,
    /// Coverage by day: (day, articles of A, of B, of all outlets) (undated left out).
    pub by_day: Vec<(Day, u64, u64, u64)>,
}

/// The prior's total weight (α0 in Monroe et al.): the background word distribution counts as
/// this many words of evidence per word type's share. 1,000 keeps words seen a handful of times
/// near z = 0 on the seeds; larger values shrink rare words harder.
pub const PRIOR_WORDS: f64 = 1000.0;

const STOP: &[&str] = &[
    "the", "and", "for", "that", "with", "was", "are", "has", "have", "its", "his", "her", "from", "this",
    "but", "not", "said", "they", "will", "been", "were", "who", "which", "their", "also", "had", "would",
    "about", "than", "more", "into", "after", "over", "there", "what", "when", "could", "them", "some",
    "other", "such",
];

fn words(text: &str, f: &mut impl FnMut(String)) {
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()) {
            let w = w.to_lowercase();
            if !STOP.contains(&w.as_str()) {
                f(w);
            }
        }
    }
}

/// Whether an article's outlet is one of `names` (comma-separated, case-insensitive).
fn outlet_in(a: &ArticleRecord, names: &[String]) -> bool {
    a.meta.outlet.as_ref().is_some_and(|o| names.iter().any(|n| n.eq_ignore_ascii_case(o.as_str())))
}

/// Compares the articles of outlets `a` and `b` (each a comma-separated list of outlets): over
/// the whole store, or over the members of `story`. `None` if the story does not exist.
pub fn compare<S: StoreRead + ?Sized>(
    store: &S,
    a: &str,
    b: &str,
    story: Option<&str>,
    top: usize,
) -> Result<Option<Comparison>, StoreError> {
    let split =
        |s: &str| s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect::<Vec<_>>();
    let (side_a, side_b) = (split(a), split(b));
    let mut counts_a: HashMap<String, u64> = HashMap::new();
    let mut counts_b: HashMap<String, u64> = HashMap::new();
    let mut counts_all: HashMap<String, u64> = HashMap::new();
    let (mut docs_a, mut docs_b, mut docs_all) = (0u64, 0u64, 0u64);
    let mut by_day: BTreeMap<Day, (u64, u64, u64)> = BTreeMap::new();
    let mut visit = |art: &ArticleRecord| {
        let (is_a, is_b) = (outlet_in(art, &side_a), outlet_in(art, &side_b));
        docs_all += 1;
        docs_a += u64::from(is_a);
        docs_b += u64::from(is_b);
        if let Some(p) = art.meta.published {
            let e = by_day.entry(p.day()).or_default();
            e.0 += u64::from(is_a);
            e.1 += u64::from(is_b);
            e.2 += 1;
        }
        let title = art.meta.title.as_deref().unwrap_or("");
        for text in [title, art.text.as_str()] {
            words(text, &mut |w| {
                if is_a {
                    *counts_a.entry(w.clone()).or_default() += 1;
                }
                if is_b {
                    *counts_b.entry(w.clone()).or_default() += 1;
                }
                *counts_all.entry(w).or_default() += 1;
            });
        }
    };
    match story {
        Some(id) => {
            let Some(detail) = self::story(store, id)? else { return Ok(None) };
            for m in &detail.members {
                if let Some(art) = store.article(&m.id.to_string())? {
                    visit(&art);
                }
            }
        }
        None => {
            store.for_each_article(&mut |art| {
                visit(&art);
                Ok(())
            })?;
        }
    }
    let n_a: u64 = counts_a.values().sum();
    let n_b: u64 = counts_b.values().sum();
    let n_all: u64 = counts_all.values().sum::<u64>().max(1);
    let mut scored: Vec<WordScore> = counts_all
        .iter()
        .filter(|(w, _)| counts_a.contains_key(*w) || counts_b.contains_key(*w))
        .map(|(w, &bg)| {
            let alpha = PRIOR_WORDS * bg as f64 / n_all as f64;
            let ya = counts_a.get(w).copied().unwrap_or(0) as f64;
            let yb = counts_b.get(w).copied().unwrap_or(0) as f64;
            let log_odds = ((ya + alpha) / (n_a as f64 + PRIOR_WORDS - ya - alpha)).ln()
                - ((yb + alpha) / (n_b as f64 + PRIOR_WORDS - yb - alpha)).ln();
            let variance = 1.0 / (ya + alpha) + 1.0 / (yb + alpha);
            WordScore {
                word: w.clone(),
                log_odds,
                z: log_odds / variance.sqrt(),
                count_a: ya as u64,
                count_b: yb as u64,
            }
        })
        .collect();
    scored.sort_by(|x, y| y.z.total_cmp(&x.z).then_with(|| x.word.cmp(&y.word)));
    // The `top` most distinctive words of each side.
    if scored.len() > 2 * top {
        let tail = scored.split_off(scored.len() - top);
        scored.truncate(top);
        scored.extend(tail);
    }
    Ok(Some(Comparison {
        docs_a,
        docs_b,
        docs_all,
        words: scored,
        by_day: by_day.into_iter().map(|(d, (a, b, all))| (d, a, b, all)).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_read_back_as_days() {
        assert_eq!(day_of(0).unwrap().to_string(), "1970-01-01");
        assert_eq!(day_of(18_974).unwrap().to_string(), "2021-12-13");
    }
}
