//! The provenance stage on the real seeds and on copies of them built by hand: each kind of
//! reuse is found and named, the source is the earlier article, and unrelated seeds stay apart.

use crate::common::{seeds, set_paragraphs};
use presswatch_model::{ArticleRecord, DocId, Format, Outlet, ReuseKind};
use presswatch_provenance::{clusters, derived_from, link_batch, DocTime, MemoryIndex, StoredLink};
use std::collections::HashMap;

/// An article with the given text (paragraphs split on blank lines), id derived from `n`.
fn article(n: u64, text: &str, published: &str, outlet: &str) -> ArticleRecord {
    let id = format!("{:016x}", 0x00C0_FFEE_0000_0000_u64 + n);
    let mut a = ArticleRecord::new(
        format!("test#{n}"),
        format!("{id:0<64}").parse().unwrap(),
        Format::Text,
        Default::default(),
    );
    a.meta.published = Some(published.parse().unwrap());
    a.meta.outlet = Outlet::new(outlet);
    set_paragraphs(&mut a, text);
    a
}

struct Run {
    links: Vec<StoredLink>,
    times: HashMap<DocId, DocTime>,
}

impl Run {
    fn of(articles: Vec<ArticleRecord>, batch: usize) -> Run {
        let mut index = MemoryIndex::default();
        let mut links = Vec::new();
        let mut times = HashMap::new();
        let mut seen = 0;
        for chunk in articles.chunks(batch) {
            let indexed = link_batch(&index, chunk, vec![]).unwrap();
            index.add(&indexed);
            for (ix, a) in indexed.iter().zip(chunk.iter()) {
                times.insert(ix.doc, DocTime { published: a.meta.published, seen });
                seen += 1;
                links.extend(ix.links.iter().map(presswatch_provenance::Link::stored));
            }
        }
        Run { links, times }
    }

    fn sources(&self, a: &ArticleRecord) -> Vec<(DocId, ReuseKind, f32)> {
        let doc = a.id;
        let links_of = |d: DocId| self.links.iter().filter(|l| l.doc == d || l.other == d).cloned().collect();
        let time = |d: DocId| self.times.get(&d).cloned().unwrap_or_default();
        derived_from(doc, &links_of, &time).into_iter().map(|d| (d.id, d.kind, d.reused_share)).collect()
    }
}

fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let mut cur = String::new();
        for word in para.split(' ') {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
            if word.ends_with('.') && word.len() > 3 {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.trim().is_empty() {
            out.push(cur);
        }
    }
    out
}

/// The longest seed with its paragraphs: the original every copy below is made from.
fn original() -> ArticleRecord {
    let s = seeds().into_iter().max_by_key(|a| a.text.len()).unwrap();
    article(1, &s.text, "2021-12-10", "Agency")
}

#[test]
fn the_five_seeds_are_not_linked() {
    let run = Run::of(seeds(), 2);
    assert!(run.links.is_empty(), "{:?}", run.links);
}

#[test]
fn an_exact_copy_ingested_first_still_points_at_the_earlier_published_original() {
    let orig = original();
    let copy = article(2, &orig.text.to_uppercase().replace(". ", " . "), "2021-12-12", "Farm");
    let run = Run::of(vec![copy.clone(), orig.clone()], 1);
    assert_eq!(run.sources(&copy), vec![(orig.id, ReuseKind::Exact, 1.0)]);
    assert!(run.sources(&orig).is_empty());
}

#[test]
fn kinds_of_reuse() {
    let orig = original();
    let sents = sentences(&orig.text);
    assert!(sents.len() >= 12, "the original has {} sentences", sents.len());
    let other = seeds().into_iter().min_by_key(|a| a.text.len()).unwrap();

    // near: one sentence dropped, a newsletter line added.
    let mut near = sents.clone();
    near.remove(3);
    near.push("Sign up for our newsletter to get the latest news.".into());
    // reordered: sentences in another order.
    let mut reordered = sents.clone();
    reordered.reverse();
    reordered.swap(0, 5);
    // partial: the first third of the original, then unrelated text.
    let partial = format!("{}\n\n{}", sents[..sents.len() / 3].join(" "), other.text);
    // spun: every fifth content word replaced, and typos.
    let spun: Vec<String> = sents
        .iter()
        .map(|s| {
            s.split(' ')
                .enumerate()
                .map(|(i, w)| match i % 6 {
                    2 if w.chars().count() > 4 => {
                        format!("{}ish", w.chars().take(w.chars().count() - 1).collect::<String>())
                    }
                    4 if w.len() > 5 => w.chars().rev().collect(),
                    _ => w.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();

    let copies = [
        (article(2, &near.join(" "), "2021-12-11", "B"), ReuseKind::Near),
        (article(3, &reordered.join("\n\n"), "2021-12-12", "C"), ReuseKind::Reordered),
        (article(4, &partial, "2021-12-13", "D"), ReuseKind::Partial),
        (article(5, &spun.join(" "), "2021-12-14", "E"), ReuseKind::Spun),
    ];
    let mut all = vec![orig.clone()];
    all.extend(copies.iter().map(|(a, _)| a.clone()));
    let run = Run::of(all, 3);
    for (copy, kind) in &copies {
        let found = run.sources(copy);
        assert_eq!(found.len(), 1, "{kind:?}: {found:?}");
        assert_eq!((&found[0].0, found[0].1), (&orig.id, *kind), "{found:?}");
    }
    let partial_share = run.sources(&copies[2].0)[0].2;
    assert!((0.2..0.5).contains(&partial_share), "partial reuses about a third: {partial_share}");
    let time = |d: DocId| run.times.get(&d).cloned().unwrap_or_default();
    let cl = clusters(&run.links, &time);
    let orig_key = orig.id;
    assert_eq!(cl.get(&orig_key), Some(&orig.id));
    assert_eq!(cl.get(&copies[0].0.id), Some(&orig.id));
    assert_eq!(cl.get(&copies[2].0.id), None, "partial copies stay out of the cluster");
}

#[test]
fn outlet_boilerplate_is_flagged_and_does_not_link() {
    let footer = "About us: The Daily Monitor is an independent newsroom funded by readers. We cover \
                  politics, business and culture across the region, and we never take money from \
                  governments or parties. Support our work by subscribing today.";
    let seeds = seeds();
    let docs: Vec<ArticleRecord> = seeds
        .iter()
        .enumerate()
        .map(|(i, s)| {
            article(10 + i as u64, &format!("{}\n\n{footer}", s.text), "2021-12-10", "Daily Monitor")
        })
        .collect();
    let mut index = MemoryIndex::default();
    let mut masked = Vec::new();
    for chunk in docs.chunks(1) {
        let ix = link_batch(&index, chunk, vec![]).unwrap();
        assert!(ix[0].links.is_empty(), "{:?}", ix[0].links);
        masked.push(ix[0].masked.clone());
        index.add(&ix);
    }
    assert!(masked[0].is_empty() && masked[1].is_empty());
    assert!(masked[2..].iter().all(|m| m.len() == 1), "from the third document of the outlet on");
    // The article is not rewritten: the decision is a span of its text.
    assert_eq!(masked[4][0].slice(&docs[4].text), footer);
    assert!(docs[4].text.ends_with(footer));
}
