//! The cleaning stage of presswatch: `Draft -> Article`.
//!
//! What it is for: turning what extraction found (candidate blocks with their signals, raw page
//! metadata, images) into the clean article: boilerplate removed, *and recorded* with a
//! [`Reason`] in [`Article::removed`] (every draft block ends up either in `blocks` or in
//! `removed`; nothing vanishes), and metadata normalized: repaired title, ISO 8601 date, person
//! authors, outlet, section, tags, and the declared language (normalized; the language stage,
//! `presswatch-lang`, then reads it from the text).
//!
//! What it is not for: finding the main content in HTML (that is `presswatch-extract`), or
//! anything with I/O. [`clean`] is a pure function of its input; the phrase lists it matches are
//! compiled once on first use and never change afterwards.
//!
//! How: short blocks are matched against phrase lists per reason in several languages (English,
//! German, French, Spanish, Italian, Polish, Russian); long paragraphs are never judged by their
//! wording. Structure then does the rest: teasers under a "Similar News" heading, repeated
//! blocks, a truncated lead that the next paragraph repeats, the title repeated at the top, and a
//! footer zone at the tail whose short leftovers go with it. A photo caption glued to the start
//! of a paragraph ("… in December, 2021.The talks …") is split off as a caption first. Last,
//! if those rules would leave next to nothing of the running prose they took (an aggregator's
//! paragraphs each followed by "Read more »", a photo blog's text in caption boxes), that prose
//! is the article and stays.
//!
//! ```
//! use presswatch_model::{BlockKind, Draft, DraftBlock, Metadata, Reason};
//!
//! let draft = Draft {
//!     meta: Metadata { published: Some("Sat, 20 Mar 2021 03:25:03 GMT".into()), ..Default::default() },
//!     blocks: vec![
//!         DraftBlock::new(BlockKind::Paragraph, "The talks in Geneva ended without a breakthrough on Monday, officials said."),
//!         DraftBlock::new(BlockKind::Paragraph, "ADVERTISEMENT"),
//!         DraftBlock::new(BlockKind::Paragraph, "Leave a Reply"),
//!     ],
//!     ..Default::default()
//! };
//! let article = presswatch_clean::clean(draft);
//! assert_eq!(article.meta.published.map(|p| p.to_string()).as_deref(), Some("2021-03-20T03:25:03Z"));
//! assert_eq!(article.blocks.len(), 1);
//! assert_eq!(article.removed[0].reason, Reason::Advertisement);
//! assert_eq!(article.removed[1].reason, Reason::CommentWidget);
//! ```

mod captions;
mod date;
mod meta;
mod people;
mod phrases;
mod text;

pub use date::{date_from_dateline, date_from_url, normalize_date};
pub use meta::{host_of, readable_outlet, registrable_domain, repair_title};
pub use people::{bio, byline, byline_credit, person_name, strip_affiliation, Credit};
pub use text::normalize_block_text;

use presswatch_model::{
    Article, ArticleMeta, Block, BlockKind, Draft, Image, KeptAgainst, Language, Outlet, Reason, Removed,
};
use presswatch_text::{ends_sentence, word_count};
use std::collections::{HashMap, HashSet};
use text::{compact, has_alphanumeric, key};

/// A block being judged: its normalized text, the extractor's signals, and the verdict so far
/// (`None` = kept).
struct Item {
    kind: BlockKind,
    text: String,
    /// [`key`] of `text`, computed once.
    key: String,
    /// [`text::match_text`] of `text`, only for blocks short enough for phrase matching.
    lc: Option<String>,
    /// A label rule's verdict that [`pass_keep_body`] overruled to keep the article.
    overruled: Option<Reason>,
    chars: usize,
    words: usize,
    hidden: bool,
    link_density: f32,
    boilerplate: Option<Reason>,
    verdict: Option<Reason>,
}

impl Item {
    fn new(b: presswatch_model::DraftBlock) -> Option<Item> {
        let text = if b.kind != BlockKind::Preformatted && presswatch_text::is_collapsed_visible(&b.text) {
            b.text
        } else {
            normalize_block_text(b.kind, &b.text)
        };
        // A block without visible text has nothing to keep or to record.
        if text.is_empty() {
            return None;
        }
        let chars = text.chars().count();
        Some(Item {
            kind: b.kind,
            key: key(&text),
            lc: (chars <= phrases::MAX_PHRASE_BLOCK_CHARS).then(|| text::match_text(&text)),
            overruled: None,
            chars,
            words: word_count(&text),
            text,
            hidden: b.hidden,
            link_density: if b.link_density.is_finite() { b.link_density.clamp(0.0, 1.0) } else { 0.0 },
            boilerplate: b.boilerplate,
            verdict: None,
        })
    }

    fn chars(&self) -> usize {
        self.chars
    }

    fn texts(&self) -> phrases::Texts<'_> {
        phrases::Texts {
            text: &self.text,
            key: &self.key,
            lc: self.lc.as_deref(),
            chars: self.chars,
            words: self.words,
        }
    }

    /// Reads like article prose: a long block, or a full sentence of some length. The footer
    /// zone starts after the last such block (short paragraphs are common: tabloids, lists).
    fn is_prose(&self) -> bool {
        self.verdict.is_none()
            && matches!(
                self.kind,
                BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem | BlockKind::Preformatted
            )
            && (self.chars > FOOTER_SHORT_CHARS
                || (self.words >= PROSE_MIN_WORDS && ends_sentence(&self.text)))
    }
}

/// Facts moved out of removed blocks into the metadata.
#[derive(Default)]
struct Found {
    /// Persons from an editor's note or a "By …" line at the start or end: authors always.
    persons: Vec<String>,
    /// Persons from an author bio at the end or a "Reporting by" line: authors only when the
    /// metadata names no person (otherwise they are often someone else: a contributor, the
    /// subject of a closing bio).
    weak_persons: Vec<String>,
    note_outlet: Option<String>,
    heading_title: Option<String>,
    kicker: Option<String>,
    line_date: Option<String>,
}

/// A block longer than this is article text for the footer-zone rule.
const FOOTER_SHORT_CHARS: usize = 200;
/// A sentence of at least this many words is article text for the footer-zone rule.
const PROSE_MIN_WORDS: usize = 8;
/// A repeated block is a copy (a pull quote, a duplicated teaser) only when it is a sentence of
/// at least this many words, or has [`REPEAT_MIN_WORDS_UNENDED`] words without a sentence end;
/// shorter repeats are labels of a recurring structure (or a tweet's attribution line).
const REPEAT_MIN_WORDS: usize = 8;
const REPEAT_MIN_WORDS_UNENDED: usize = 12;
/// At most this many different repeated sentences on a page are copies; more are a template
/// (the same questions to each interviewee, a meal plan per day, spec lists per product).
const REPEAT_MAX_DISTINCT: usize = 2;
/// Copies removed as repeats take at most this share of the text (copies included); above it
/// the repetition is the text's own.
const REPEAT_MAX_SHARE: f32 = 0.3;

/// Cleans a draft into an article. Pure: same draft, same article.
pub fn clean(draft: Draft) -> Article {
    let Draft { meta, blocks, images, removed: pre_removed, extraction } = draft;
    let blocks = captions::split_glued_captions(blocks);
    let mut items: Vec<Item> = blocks.into_iter().filter_map(Item::new).collect();
    let images = clean_images(images);

    // Outlet names known before looking at the text (for title suffixes and author filtering).
    let meta_outlet = meta::clean_field(meta.outlet.as_deref()).map(|o| match meta::host_of(&o) {
        Some(host) => meta::registrable_domain(&host),
        None => meta::readable_outlet(&o),
    });
    let url = meta::clean_field(meta.url.as_deref());
    let url_host = url.as_deref().and_then(meta::host_of).map(|h| meta::registrable_domain(&h));
    let image_host = meta
        .image
        .as_deref()
        .or_else(|| images.iter().find_map(|i| i.url.as_deref()))
        .and_then(meta::host_of)
        .map(|h| meta::registrable_domain(&h));
    let early_outlets: Vec<String> = [&meta_outlet, &url_host].into_iter().flatten().cloned().collect();
    let meta_title = meta.title.as_deref().and_then(|t| repair_title(t, &early_outlets));

    let m = phrases::matchers();
    let mut found = Found::default();
    pass_extractor_signals(&mut items, &images);
    pass_phrases(&mut items, m, &mut found);
    pass_repeats(&mut items);
    pass_zones(&mut items, m);
    pass_duplicate_lead(&mut items);
    pass_title(&mut items, meta_title.as_deref(), &mut found);
    pass_people(&mut items, &mut found);
    pass_footer(&mut items);
    pass_keep_body(&mut items);

    // Outlet: metadata; the editor's note's outlet when metadata has none or only a column of it
    // ("CGTN - Opinions" vs "CGTN"); else the page's host; the image host as a last resort.
    let outlet = match (&meta_outlet, &found.note_outlet) {
        (Some(mo), Some(no)) if compact(mo) != compact(no) && compact(mo).starts_with(&compact(no)) => {
            Some(no.clone())
        }
        (Some(mo), _) => Some(mo.clone()),
        (None, Some(no)) => Some(no.clone()),
        (None, None) => url_host.clone().or_else(|| image_host.clone()),
    };
    let all_outlets: Vec<String> = [&outlet, &meta_outlet, &found.note_outlet, &url_host, &image_host]
        .into_iter()
        .flatten()
        .cloned()
        .collect();

    let title = meta
        .title
        .as_deref()
        .and_then(|t| repair_title(t, &all_outlets))
        .or_else(|| found.heading_title.clone());

    let categories: Vec<String> = meta.categories.iter().filter_map(|c| meta::clean_field(Some(c))).collect();
    let section_meta = meta::clean_field(meta.section.as_deref());
    let mut not_people = categories.clone();
    not_people.extend(section_meta.clone());
    let meta_authors = people::clean_meta_authors(&meta.authors, &all_outlets, &not_people);
    let mut authors = meta_authors.authors;
    let meta_has_person = authors.iter().any(|a| person_name(a).is_some());
    let body_persons = if meta_has_person {
        std::mem::take(&mut found.persons)
    } else {
        let mut all = std::mem::take(&mut found.persons);
        all.append(&mut found.weak_persons);
        all
    };
    for p in body_persons {
        people::push_unique(&mut authors, p);
    }
    let section = section_meta
        .or(meta_authors.column)
        .or_else(|| categories.first().cloned())
        .or_else(|| found.kicker.clone());
    let tags = meta::merge_tags(&categories, &meta.tags);

    let first_text = items
        .iter()
        .find(|i| i.verdict.is_none() && !matches!(i.kind, BlockKind::Heading | BlockKind::Caption))
        .map(|i| i.text.as_str());
    let published = meta
        .published
        .as_deref()
        .and_then(normalize_date)
        .or(found.line_date.take())
        .or_else(|| first_text.and_then(date_from_dateline))
        .or_else(|| url.as_deref().and_then(date_from_url));

    let mut removed = pre_removed;
    let mut kept = Vec::new();
    let mut kept_against = Vec::new();
    for item in items {
        match item.verdict {
            Some(reason) => removed.push(Removed { text: item.text, reason }),
            None => {
                if let Some(reason) = item.overruled {
                    kept_against.push(KeptAgainst { block: kept.len(), reason });
                }
                kept.push(Block { kind: item.kind, text: item.text, language: None });
            }
        }
    }
    // The declared language, normalized; the language stage (`presswatch_lang::detect_language`)
    // replaces it with what the text says.
    let language = meta.language.as_deref().and_then(presswatch_lang::normalize_declared);

    tracing::debug!(kept = kept.len(), removed = removed.len(), "cleaned");
    let meta = ArticleMeta {
        title,
        published: published.and_then(|p| p.parse().ok()),
        authors,
        outlet: outlet.as_deref().and_then(Outlet::new),
        url,
        section,
        tags,
        language: language.as_deref().and_then(Language::new),
    };
    Article {
        meta,
        blocks: kept,
        images,
        removed,
        kept_against,
        extraction,
        quotes: Vec::new(),
        entities: Vec::new(),
    }
}

fn clean_images(images: Vec<Image>) -> Vec<Image> {
    let mut out: Vec<Image> = Vec::new();
    for img in images {
        let img = Image {
            url: meta::clean_field(img.url.as_deref()),
            caption: meta::clean_field(img.caption.as_deref()),
            credit: meta::clean_field(img.credit.as_deref()),
        };
        if (img.url.is_some() || img.caption.is_some() || img.credit.is_some()) && !out.contains(&img) {
            out.push(img);
        }
    }
    out
}

fn undecided(items: &[Item]) -> Vec<usize> {
    items.iter().enumerate().filter(|(_, i)| i.verdict.is_none()).map(|(n, _)| n).collect()
}

/// Extraction's own judgement: boilerplate it flagged, and hidden blocks (a hidden copy of a
/// caption shown elsewhere is a duplicate caption).
fn pass_extractor_signals(items: &mut [Item], images: &[Image]) {
    let mut caption_keys: HashSet<String> =
        images.iter().filter_map(|i| i.caption.as_deref()).map(key).collect();
    let mut visible_keys: HashSet<String> = HashSet::new();
    for item in items.iter().filter(|i| !i.hidden && i.boilerplate.is_none()) {
        if item.kind == BlockKind::Caption {
            caption_keys.insert(item.key.clone());
        }
        visible_keys.insert(item.key.clone());
    }
    for item in items.iter_mut() {
        if let Some(reason) = item.boilerplate {
            item.verdict = Some(reason);
        } else if item.hidden {
            let k = &item.key;
            let caption_twin =
                caption_keys.contains(k) || (item.kind == BlockKind::Caption && visible_keys.contains(k));
            item.verdict = Some(if caption_twin { Reason::DuplicateCaption } else { Reason::Hidden });
        }
    }
}

/// Wording of short blocks: editor's notes, widgets, appeals, notices, metadata lines. Table
/// cells are data ("Top 5", "Home", a repeated "1"), never judged by their wording.
fn pass_phrases(items: &mut [Item], m: &phrases::Matchers, found: &mut Found) {
    for n in 0..items.len() {
        let next_is_prose = items.get(n + 1).is_some_and(|next| {
            next.kind == BlockKind::Paragraph
                && next.link_density < 0.5
                && (next.chars >= 80 || ends_sentence(&next.text))
        });
        let Some(item) = items.get_mut(n) else { break };
        if item.verdict.is_some() || item.kind == BlockKind::TableCell {
            continue;
        }
        let texts = item.texts();
        let verdict = if !has_alphanumeric(&item.text) {
            Some(Reason::Boilerplate) // separators: "***", "—"
        } else if m.is_editors_note(&texts) {
            let facts = people::editors_note_facts(&item.text);
            if let Some(p) = facts.person {
                people::push_unique(&mut found.persons, p);
            }
            if found.note_outlet.is_none() {
                found.note_outlet = facts.outlet;
            }
            Some(Reason::EditorsNote)
        } else if let Some(reason) = m.classify_texts(&texts) {
            Some(reason)
        } else if m.is_link_list(&texts, item.link_density)
            // A linked heading over a paragraph of prose heads a section (a product, a
            // chapter), not a menu.
            && !(item.kind == BlockKind::Heading && item.words >= 2 && next_is_prose)
        {
            Some(Reason::Navigation)
        } else if m.is_reading_time(&texts) {
            Some(Reason::MetadataLine)
        } else if item.chars <= 60 && item.words <= 8 {
            normalize_date(&item.text).map(|date| {
                found.line_date.get_or_insert(date);
                Reason::MetadataLine
            })
        } else {
            None
        };
        if verdict.is_none() && m.is_photo_credit(&texts) {
            // A credit line is not article text but belongs with the images: keep it as a caption.
            item.kind = BlockKind::Caption;
        }
        item.verdict = verdict;
    }
}

/// Second and later copies of a block. Captions repeat often (a gallery and its lightbox);
/// other blocks only count as copies when they are a real sentence (or a long teaser) repeated
/// once or twice on a page with few such repeats (a pull quote, a promo line), or a long paragraph printed twice.
/// Recurring structure repeats on purpose and stays: table cells, list items, short labels
/// ("Eat every 2–3 hours"), and the same questions asked of each interviewee.
fn pass_repeats(items: &mut [Item]) {
    let counted = |i: &Item| !i.hidden && i.boilerplate.is_none() && !i.key.is_empty();
    let mut copies: HashMap<&str, usize> = HashMap::new();
    for item in items.iter().filter(|i| counted(i)) {
        *copies.entry(item.key.as_str()).or_insert(0) += 1;
    }
    let sentence = |i: &Item| {
        i.words >= REPEAT_MIN_WORDS_UNENDED || (i.words >= REPEAT_MIN_WORDS && ends_sentence(&i.text))
    };
    let distinct_repeated = items
        .iter()
        .filter(|i| {
            counted(i)
                && matches!(i.kind, BlockKind::Paragraph | BlockKind::Heading | BlockKind::Quote)
                && sentence(i)
                && copies.get(i.key.as_str()).is_some_and(|&n| n >= 2)
        })
        .map(|i| i.key.as_str())
        .collect::<HashSet<&str>>()
        .len();
    let mut verdicts: Vec<(usize, Reason)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (n, item) in items.iter().enumerate().filter(|(_, i)| counted(i)) {
        let first = seen.insert(item.key.as_str());
        if first || item.verdict.is_some() {
            continue;
        }
        let count = copies.get(item.key.as_str()).copied().unwrap_or(0);
        let copy = match item.kind {
            BlockKind::Caption => true,
            BlockKind::TableCell | BlockKind::ListItem => false,
            _ => {
                (item.chars > FOOTER_SHORT_CHARS && count == 2)
                    || (sentence(item) && count <= 3 && distinct_repeated <= REPEAT_MAX_DISTINCT)
            }
        };
        if copy {
            let reason = if item.kind == BlockKind::Caption {
                Reason::DuplicateCaption
            } else {
                Reason::RepeatedBlock
            };
            verdicts.push((n, reason));
        }
    }
    // Copies are a small part of an article (a pull quote, a repeated promo line). When the
    // repeated text would take a large share of the text, repetition is the text's own
    // (a refrain, a page that prints its paragraphs twice on purpose): it all stays.
    let copied: usize = verdicts
        .iter()
        .filter(|(_, r)| *r == Reason::RepeatedBlock)
        .filter_map(|&(n, _)| items.get(n))
        .map(Item::chars)
        .sum();
    let text: usize = items
        .iter()
        .filter(|i| counted(i) && i.verdict.is_none() && i.kind != BlockKind::Caption)
        .map(Item::chars)
        .sum();
    if copied as f32 > REPEAT_MAX_SHARE * text as f32 {
        verdicts.retain(|(_, r)| *r != Reason::RepeatedBlock);
    }
    for (n, reason) in verdicts {
        if let Some(item) = items.get_mut(n) {
            item.verdict = Some(reason);
        }
    }
}

/// Teaser lists under a related-links heading (and comment threads under a comment heading),
/// and teasers followed by "Read more »". Captions and table cells neither join nor end a zone.
fn pass_zones(items: &mut [Item], m: &phrases::Matchers) {
    let is_marker: Vec<bool> = items.iter().map(|i| m.is_read_more(&i.texts())).collect();
    let markers = is_marker.iter().filter(|b| **b).count();
    let mut zone: Option<Reason> = None;
    for n in 0..items.len() {
        let next_is_marker = is_marker.get(n + 1).copied().unwrap_or(false);
        let Some(item) = items.get_mut(n) else { break };
        if let Some(reason) = item.verdict {
            if reason == Reason::RelatedLinks && m.is_related_heading(&item.texts()) {
                zone = Some(Reason::RelatedLinks);
            } else if reason == Reason::CommentWidget && m.is_comment_heading(&item.texts()) {
                zone = Some(Reason::CommentWidget);
            }
            continue;
        }
        if matches!(item.kind, BlockKind::Caption | BlockKind::TableCell) {
            continue;
        }
        let chars = item.chars();
        let teaser_like = item.link_density >= 0.5
            || item.kind == BlockKind::ListItem
            || next_is_marker
            || (item.kind != BlockKind::Heading && chars <= 120 && !ends_sentence(&item.text));
        if let Some(z) = zone {
            if teaser_like {
                item.verdict = Some(z);
                continue;
            }
            zone = None;
        }
        if next_is_marker && markers >= 2 && chars <= phrases::MAX_PHRASE_BLOCK_CHARS {
            item.verdict = Some(Reason::RelatedLinks);
        }
    }
}

/// A paragraph cut short ("… not only their relationship") that the next paragraph repeats in
/// full: a duplicated lead near the top, a repeated block elsewhere.
fn pass_duplicate_lead(items: &mut [Item]) {
    let und = undecided(items);
    for (pos, pair) in und.windows(2).enumerate() {
        let (Some(&a), Some(&b)) = (pair.first(), pair.get(1)) else { continue };
        let (Some(ia), Some(ib)) = (items.get(a), items.get(b)) else { continue };
        // The key already drops a trailing "…", "." or "[…]" (it trims every non-alphanumeric
        // char at both ends), so the cut paragraph's key is the one it has.
        let ka = &ia.key;
        let kb = &ib.key;
        if kb.len() > ka.len() && kb.starts_with(ka.as_str()) && ka.chars().count() >= 40 {
            let reason = if pos < 5 { Reason::DuplicateLead } else { Reason::RepeatedBlock };
            if let Some(item) = items.get_mut(a) {
                item.verdict = Some(reason);
            }
        }
    }
}

/// The title repeated at the top; a kicker/section label above it; a heading that is the title
/// when metadata has none.
fn pass_title(items: &mut [Item], meta_title: Option<&str>, found: &mut Found) {
    if let Some(title) = meta_title {
        let t = compact(title);
        for &i in undecided(items).iter().take(3) {
            if let Some(item) = items.get_mut(i) {
                if !t.is_empty() && compact(&item.text) == t {
                    item.verdict = Some(Reason::DuplicateTitle);
                    break;
                }
            }
        }
    }
    let und = undecided(items);
    // A one-to-three-word label at the very top ("Europe", "Analysis"): the section, not text.
    // Two or three words could also be a short title: a label only when the title is known or
    // comes next as a heading.
    let next_is_heading =
        und.get(1).and_then(|&i| items.get(i)).is_some_and(|i| i.kind == BlockKind::Heading);
    if let Some(&first) = und.first() {
        if let Some(item) = items.get_mut(first) {
            let words = word_count(&item.text);
            let label = first <= 2
                && (words == 1 || meta_title.is_some() || next_is_heading)
                && und.len() >= 3
                && matches!(item.kind, BlockKind::Heading | BlockKind::Paragraph)
                && words <= 3
                && item.chars() <= 30
                && !ends_sentence(&item.text)
                && !item.text.ends_with(':');
            if label {
                found.kicker = Some(item.text.clone());
                item.verdict = Some(Reason::MetadataLine);
            }
        }
    }
    if meta_title.is_none() {
        if let Some(&first) = undecided(items).first() {
            if let Some(item) = items.get_mut(first) {
                if item.kind == BlockKind::Heading && word_count(&item.text) >= 2 && item.chars() <= 300 {
                    found.heading_title = Some(item.text.clone());
                    item.verdict = Some(Reason::DuplicateTitle);
                }
            }
        }
    }
}

/// Bylines at the start or end, author bios at the end.
fn pass_people(items: &mut [Item], found: &mut Found) {
    let und = undecided(items);
    let edges: Vec<usize> = und.iter().take(3).chain(und.iter().rev().take(3)).copied().collect();
    for i in edges {
        let Some(item) = items.get_mut(i) else { continue };
        if item.verdict.is_some() {
            continue;
        }
        if let Some((names, credit)) = byline_credit(&item.text) {
            let list = match credit {
                people::Credit::Author => Some(&mut found.persons),
                people::Credit::Reporting => Some(&mut found.weak_persons),
                people::Credit::AdditionalReporting => None,
            };
            if let Some(list) = list {
                for n in names {
                    people::push_unique(list, n);
                }
            }
            item.verdict = Some(Reason::Byline);
        }
    }
    // Bios only at the end: an opening "Maria Ressa is a journalist who …" is the story.
    // The tail: the last kept block, and anything after the last long paragraph.
    let und = undecided(items);
    let last_long = items.iter().rposition(|i| i.verdict.is_none() && i.chars() > FOOTER_SHORT_CHARS);
    let tail: Vec<usize> = und
        .iter()
        .rev()
        .take(2)
        .copied()
        .enumerate()
        .filter(|&(n, i)| n == 0 || last_long.is_some_and(|l| i > l))
        .map(|(_, i)| i)
        .collect();
    for i in tail {
        let Some(item) = items.get_mut(i) else { continue };
        if item.verdict.is_some() || item.chars() > 400 {
            continue;
        }
        if let Some(name) = bio(&item.text) {
            people::push_unique(&mut found.weak_persons, name);
            item.verdict = Some(Reason::Byline);
        } else if people::is_about_author(&item.text) && word_count(&item.text) <= 60 {
            item.verdict = Some(Reason::Byline);
        }
    }
}

fn is_footer_reason(r: Reason) -> bool {
    matches!(
        r,
        Reason::Navigation
            | Reason::ShareWidget
            | Reason::CommentWidget
            | Reason::RelatedLinks
            | Reason::Advertisement
            | Reason::BackToTop
            | Reason::DonationAppeal
            | Reason::Newsletter
            | Reason::CookieNotice
            | Reason::Boilerplate
    )
}

/// Once boilerplate starts after the last block of prose (a long paragraph, or a sentence of
/// [`PROSE_MIN_WORDS`] words or more), short leftovers inside that tail zone ("Related topics",
/// a cut-off "please send your address data to") go with it, under the reason of the boilerplate
/// before them. A short block that ends like a sentence is kept unless at least two boilerplate
/// blocks precede it in the zone: one stray marker does not make the article's closing line a
/// footer. Table cells are data and stay.
fn pass_footer(items: &mut [Item]) {
    let last_content = items.iter().rposition(Item::is_prose);
    let start = last_content.map_or(0, |i| i + 1);
    let mut carried: Option<Reason> = None;
    let mut decided = 0usize;
    for item in items.iter_mut().skip(start) {
        match item.verdict {
            Some(r) if is_footer_reason(r) => {
                carried = Some(r);
                decided += 1;
            }
            Some(Reason::Byline | Reason::EditorsNote) => decided += 1,
            Some(_) => {}
            None if item.kind == BlockKind::TableCell => {}
            None => {
                if decided > 0 && (!ends_sentence(&item.text) || decided >= 2) {
                    item.verdict = Some(carried.unwrap_or(Reason::Boilerplate));
                }
            }
        }
    }
}

/// Reasons whose evidence is a few words (a label, a class name, a "Read more »" after the
/// block): they may take a widget's text, never the whole article.
fn is_label_reason(r: Reason) -> bool {
    matches!(
        r,
        Reason::Navigation
            | Reason::ShareWidget
            | Reason::RelatedLinks
            | Reason::Advertisement
            | Reason::DonationAppeal
            | Reason::Newsletter
            | Reason::Boilerplate
    )
}

/// Kept text below this share of the running prose the label rules took means they took the
/// article itself.
const KEEP_BODY_SHARE: f32 = 0.25;
/// Running prose the label rules took, in characters, from which the article is restored.
const KEEP_BODY_MIN_CHARS: usize = 200;

/// The article is never lost to label rules: when the kept text is small next to the running
/// prose (sentences of [`PROSE_MIN_WORDS`] words or more, mostly not links) that label rules
/// removed or that is only kept as captions, that prose is the article, kept as paragraphs.
/// The aggregator page whose every paragraph is followed by "Read more »" and a photo blog whose
/// text sits in caption boxes keep their text this way. Comment threads are not restored: a
/// short post over a long thread is common, and its comments are not the article.
fn pass_keep_body(items: &mut [Item]) {
    let running = |i: &Item| {
        matches!(i.kind, BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem | BlockKind::Caption)
            && !i.hidden
            && i.link_density < 0.3
            && i.words >= PROSE_MIN_WORDS
            && ends_sentence(&i.text)
    };
    let taken = |i: &Item| match i.verdict {
        Some(r) => is_label_reason(r) && running(i),
        None => i.kind == BlockKind::Caption && running(i),
    };
    let kept: usize = items
        .iter()
        .filter(|i| i.verdict.is_none() && !matches!(i.kind, BlockKind::Caption | BlockKind::Heading))
        .map(Item::chars)
        .sum();
    let prose: usize = items.iter().filter(|i| taken(i)).map(Item::chars).sum();
    if prose < KEEP_BODY_MIN_CHARS || kept as f32 >= KEEP_BODY_SHARE * prose as f32 {
        return;
    }
    tracing::debug!(kept, prose, "label rules would remove the article: its prose is kept");
    for item in items.iter_mut().filter(|i| taken(i)) {
        item.overruled = item.verdict.take();
        if item.kind == BlockKind::Caption {
            item.kind = BlockKind::Paragraph;
        }
    }
}

/// Counts of removed blocks per reason, for reports.
pub fn removed_counts(article: &Article) -> HashMap<Reason, usize> {
    let mut counts = HashMap::new();
    for r in &article.removed {
        *counts.entry(r.reason).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use presswatch_model::{DraftBlock, Metadata};

    const LONG_EN: &str = "The foreign ministers met in Geneva on Monday for talks that officials on both sides described as difficult, and no agreement on the troop build-up was reached after eight hours of negotiations behind closed doors.";
    const LONG_DE: &str = "Die Außenminister trafen sich am Montag in Genf zu Gesprächen, die beide Seiten als schwierig beschrieben; nach acht Stunden hinter verschlossenen Türen gab es keine Einigung über den Truppenaufmarsch an der Grenze.";

    fn p(text: &str) -> DraftBlock {
        DraftBlock::new(BlockKind::Paragraph, text)
    }
    fn h(text: &str) -> DraftBlock {
        DraftBlock::new(BlockKind::Heading, text)
    }
    fn reasons(a: &Article) -> Vec<(&str, Reason)> {
        a.removed.iter().map(|r| (r.text.as_str(), r.reason)).collect()
    }

    #[test]
    fn extractor_flags_and_hidden_blocks() {
        let mut nav = p("Politik Wirtschaft Sport");
        nav.boilerplate = Some(Reason::Navigation);
        let mut hidden = p("Only for screen readers");
        hidden.hidden = true;
        let draft = Draft { blocks: vec![nav, hidden, p(LONG_EN)], ..Default::default() };
        let a = clean(draft);
        assert_eq!(
            reasons(&a),
            [("Politik Wirtschaft Sport", Reason::Navigation), ("Only for screen readers", Reason::Hidden)]
        );
        assert_eq!(a.blocks.len(), 1);
    }

    #[test]
    fn short_heading_title_versus_section_label() {
        let draft = Draft { blocks: vec![h("Brexit chaos"), p(LONG_EN), p(LONG_EN)], ..Default::default() };
        let a = clean(draft);
        assert_eq!(a.meta.title.as_deref(), Some("Brexit chaos"));
        assert_eq!(a.meta.section, None);

        let draft = Draft {
            blocks: vec![h("Europe"), h("Talks in Geneva end without a deal"), p(LONG_EN)],
            ..Default::default()
        };
        let a = clean(draft);
        assert_eq!(a.meta.section.as_deref(), Some("Europe"));
        assert_eq!(a.meta.title.as_deref(), Some("Talks in Geneva end without a deal"));
        assert_eq!(a.blocks.len(), 1);
    }

    #[test]
    fn opening_bio_is_the_story_but_closing_byline_is_not() {
        let draft = Draft {
            blocks: vec![
                p("Maria Ressa is a journalist who won the Nobel Peace Prize in 2021."),
                p(LONG_EN),
                p("By Jane Doe and John Roe"),
            ],
            ..Default::default()
        };
        let a = clean(draft);
        assert!(a.blocks[0].text.starts_with("Maria Ressa"));
        assert_eq!(a.meta.authors, ["Jane Doe", "John Roe"]);
        assert_eq!(reasons(&a), [("By Jane Doe and John Roe", Reason::Byline)]);
    }

    #[test]
    fn body_names_join_a_metadata_person_only_from_bylines_and_notes() {
        let draft = |authors: &[&str]| Draft {
            meta: Metadata { authors: authors.iter().map(|a| a.to_string()).collect(), ..Default::default() },
            blocks: vec![
                p(LONG_EN),
                p(LONG_EN.replace("Monday", "Friday").as_str()),
                p("Jane Doe is a freelance journalist based in Berlin."),
                p("Additional reporting by Joseph Hudak"),
            ],
            ..Default::default()
        };
        // A person in the metadata: the closing bio and the contributor are not added.
        let a = clean(draft(&["Ryan Reed"]));
        assert_eq!(a.meta.authors, ["Ryan Reed"]);
        assert_eq!(a.removed.iter().filter(|r| r.reason == Reason::Byline).count(), 2);
        // No person in the metadata: the bio names the author; a contributor never is one.
        let a = clean(draft(&["Reuters"]));
        assert_eq!(a.meta.authors, ["Reuters", "Jane Doe"]);
        let a = clean(draft(&[]));
        assert_eq!(a.meta.authors, ["Jane Doe"]);
        // A "By" line at the end is an author even next to a metadata person.
        let mut d = draft(&["Ryan Reed"]);
        d.blocks.push(p("By John Roe"));
        assert_eq!(clean(d).meta.authors, ["Ryan Reed", "John Roe"]);
    }

    #[test]
    fn outlet_site_name_with_a_domain_variant() {
        let draft = Draft {
            meta: Metadata { outlet: Some("The Jerusalem Post | JPost.com".into()), ..Default::default() },
            blocks: vec![p(LONG_EN)],
            ..Default::default()
        };
        assert_eq!(clean(draft).meta.outlet.as_deref(), Some("The Jerusalem Post"));
    }

    #[test]
    fn footer_zone_takes_short_leftovers_but_not_a_closing_sentence() {
        let draft = Draft {
            blocks: vec![
                p(LONG_EN),
                p("Share this"),
                p("More from our partners"),
                p("Newsletter"),
                p("Terms apply"),
            ],
            ..Default::default()
        };
        let a = clean(draft);
        assert_eq!(a.blocks.len(), 1);
        assert_eq!(
            reasons(&a),
            [
                ("Share this", Reason::ShareWidget),
                ("More from our partners", Reason::ShareWidget),
                ("Newsletter", Reason::Newsletter),
                ("Terms apply", Reason::Newsletter),
            ]
        );

        let draft = Draft {
            blocks: vec![p(LONG_EN), p("ADVERTISEMENT"), p("He said he would return next week.")],
            ..Default::default()
        };
        let a = clean(draft);
        assert_eq!(a.blocks.len(), 2);
    }

    #[test]
    fn dates_from_dateline_and_url_and_outlet_from_host() {
        let draft = Draft {
            meta: Metadata {
                url: Some("https://www.example.co.uk/world/2022/01/14/talks".into()),
                ..Default::default()
            },
            blocks: vec![p(&format!("Jan. 13, 2022 — {LONG_EN}"))],
            ..Default::default()
        };
        let a = clean(draft.clone());
        assert_eq!(a.meta.published.map(|p| p.to_string()).as_deref(), Some("2022-01-13"));
        assert_eq!(a.meta.outlet.as_deref(), Some("example.co.uk"));

        let mut draft = draft;
        draft.blocks = vec![p(LONG_EN)];
        assert_eq!(clean(draft).meta.published.map(|p| p.to_string()).as_deref(), Some("2022-01-14"));
    }

    #[test]
    fn german_article_with_german_widgets() {
        let draft = Draft {
            meta: Metadata { language: Some("en-US".into()), ..Default::default() },
            blocks: vec![
                p(LONG_DE),
                p("Anzeige"),
                p(LONG_DE.replace("Montag", "Dienstag").as_str()),
                p("Weiterlesen"),
                p("Kommentar schreiben"),
                p("Cookie-Einstellungen"),
                p("Nach oben"),
            ],
            ..Default::default()
        };
        let mut a = clean(draft);
        assert_eq!(a.meta.language.as_deref(), Some("en"), "clean keeps the declared language");
        presswatch_lang::detect_language(&mut a);
        assert_eq!(a.meta.language.as_deref(), Some("de"));
        assert_eq!(a.blocks.len(), 2);
        assert!(a.blocks.iter().all(|b| b.language.as_deref() == Some("de")));
        let got: Vec<Reason> = a.removed.iter().map(|r| r.reason).collect();
        assert_eq!(
            got,
            [
                Reason::Advertisement,
                Reason::RelatedLinks,
                Reason::CommentWidget,
                Reason::CookieNotice,
                Reason::BackToTop
            ]
        );
    }

    #[test]
    fn recurring_structure_stays_but_a_pull_quote_goes() {
        let quote = "Israeli courts, however, have declared most major settlements legal.";
        let mut cell = DraftBlock::new(BlockKind::TableCell, "Top 5");
        cell.link_density = 0.0;
        let draft = Draft {
            blocks: vec![
                p(LONG_EN),
                p(quote),
                p("Eat every 2–3 hours"),
                cell,
                DraftBlock::new(BlockKind::TableCell, "1"),
                DraftBlock::new(BlockKind::TableCell, "1"),
                p("Eat every 2–3 hours"),
                p(LONG_EN.replace("Monday", "Tuesday").as_str()),
                p(quote),
                p(LONG_EN.replace("Monday", "Friday").as_str()),
            ],
            ..Default::default()
        };
        let a = clean(draft);
        assert_eq!(reasons(&a), [(quote, Reason::RepeatedBlock)]);
        assert_eq!(a.blocks.iter().filter(|b| b.text == "Eat every 2–3 hours").count(), 2);
        assert!(a.blocks.iter().any(|b| b.text == "Top 5"));
    }

    #[test]
    fn short_paragraphs_after_a_widget_are_not_a_footer() {
        let mut teaser = p("Plague warning: CDC names eight deadly diseases [WARNING]");
        teaser.link_density = 0.9;
        let mut url = p("www.example-theater.com");
        url.link_density = 1.0;
        let mut product = h("Satechi 72W USB-C Car Charger");
        product.link_density = 1.0;
        let draft = Draft {
            blocks: vec![
                p(LONG_EN),
                p("DON'T MISS"),
                teaser,
                p("Of the three plague variants, pneumonic is the most virulent and is fatal if left untreated."),
                url,
                product,
                p("The charger delivers up to 72 watts over two ports and fits any car socket, which is plenty for a laptop."),
                p("Isolated cases also spring up in the US, with up to a dozen people diagnosed annually."),
            ],
            ..Default::default()
        };
        let a = clean(draft);
        let got: Vec<Reason> = a.removed.iter().map(|r| r.reason).collect();
        assert_eq!(got, [Reason::RelatedLinks, Reason::Navigation]);
        assert_eq!(a.blocks.len(), 6);
    }

    #[test]
    fn paragraphs_each_followed_by_read_more_are_the_article() {
        // The aggregator pattern: every paragraph of the text is followed by "Read more »".
        let paragraphs =
            [LONG_EN, &LONG_EN.replace("Monday", "Friday"), &LONG_EN.replace("Geneva", "Vienna")];
        let mut blocks = Vec::new();
        for text in paragraphs {
            blocks.push(p(text));
            blocks.push(p("Read more »"));
        }
        let a = clean(Draft { blocks, ..Default::default() });
        assert_eq!(a.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(), paragraphs);
        assert!(a.removed.iter().all(|r| r.text == "Read more »" && r.reason == Reason::RelatedLinks));
        // The article says which blocks it kept against which rule.
        let overruled: Vec<(usize, Reason)> = a.kept_against.iter().map(|k| (k.block, k.reason)).collect();
        assert_eq!(
            overruled,
            [(0, Reason::RelatedLinks), (1, Reason::RelatedLinks), (2, Reason::RelatedLinks)]
        );

        // Beside an article, the same teasers are recirculation.
        let mut blocks = vec![p(LONG_DE), p(&LONG_DE.replace("Montag", "Dienstag")), h("Similar News")];
        for text in paragraphs.iter().take(2) {
            blocks.push(p(text));
            blocks.push(p("Read more »"));
        }
        let a = clean(Draft { blocks, ..Default::default() });
        assert_eq!(a.blocks.len(), 2);
        assert!(a.kept_against.is_empty());
    }

    #[test]
    fn a_repeat_is_a_copy_only_while_it_is_a_small_share_of_the_text() {
        let other = LONG_EN.replace("Geneva", "Vienna");
        let third = LONG_EN.replace("Monday", "Friday");
        let fourth = LONG_EN.replace("Monday", "Sunday");
        // A pull quote repeating one paragraph of four: a copy.
        let a = clean(Draft {
            blocks: vec![p(LONG_EN), p(&other), p(LONG_EN), p(&third), p(&fourth)],
            ..Default::default()
        });
        assert_eq!(reasons(&a), [(LONG_EN, Reason::RepeatedBlock)]);
        // A text whose paragraphs are the same one printed again and again: that is the text.
        let a = clean(Draft { blocks: vec![p(LONG_EN), p(LONG_EN), p(&other)], ..Default::default() });
        assert!(a.removed.is_empty(), "{:?}", reasons(&a));
        assert_eq!(a.blocks.len(), 3);
    }

    #[test]
    fn text_only_in_caption_boxes_is_the_article_but_comments_are_not() {
        let caption = |t: &str| DraftBlock::new(BlockKind::Caption, t);
        let draft = Draft {
            blocks: vec![
                caption(LONG_EN),
                caption(&LONG_EN.replace("Monday", "Friday")),
                caption("Photo: AP"),
            ],
            ..Default::default()
        };
        let a = clean(draft);
        assert_eq!(a.blocks.iter().filter(|b| b.kind == BlockKind::Paragraph).count(), 2);

        let mut comment = p(LONG_EN);
        comment.boilerplate = Some(Reason::CommentWidget);
        let a = clean(Draft { blocks: vec![p("A short video post."), comment], ..Default::default() });
        assert_eq!(reasons(&a), [(LONG_EN, Reason::CommentWidget)]);
    }

    #[test]
    fn empty_draft_gives_empty_article() {
        let a = clean(Draft::default());
        assert_eq!(a, Article::default());
    }
}
