//! Why an article came out empty or short: which main-content candidate won, and what was
//! removed for which reasons, with character counts. Shared by `show` and `extract`.

use presswatch_model::{ArticleRecord, Reason};

/// An article is short when its text holds less than this share of the page's visible text.
const SHORT_SHARE: f64 = 0.1;
/// ... or fewer characters than this (a sentence or two).
const SHORT_CHARS: usize = 200;
/// Removal reasons listed in an explanation.
const TOP_REASONS: usize = 3;

fn chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Whether the article's text is empty or small next to its page's visible text. Articles
/// without an extraction record (text and markdown inputs) are judged by length alone.
pub(super) fn is_short(r: &ArticleRecord) -> bool {
    let text = chars(&r.text);
    match &r.extraction {
        Some(e) => text < SHORT_CHARS || (text as f64) < SHORT_SHARE * e.page_chars as f64,
        None => text < SHORT_CHARS,
    }
}

/// The removal reasons that took the most text, largest first, with their character counts.
pub(super) fn top_removed(r: &ArticleRecord) -> Vec<(Reason, usize)> {
    let mut by_reason: Vec<(Reason, usize)> = Vec::new();
    for rm in &r.removed {
        let n = chars(&rm.text);
        match by_reason.iter_mut().find(|(reason, _)| *reason == rm.reason) {
            Some((_, total)) => *total += n,
            None => by_reason.push((rm.reason, n)),
        }
    }
    by_reason.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    by_reason.truncate(TOP_REASONS);
    by_reason
}

/// One line explaining an empty or short article, `None` for one of normal length: its size
/// next to the page's, the candidate that won and why, the top removal reasons.
pub(super) fn explain_short(r: &ArticleRecord) -> Option<String> {
    if !is_short(r) {
        return None;
    }
    let text = chars(&r.text);
    let mut s = match (&r.extraction, text) {
        (Some(e), 0) => format!("empty article (the page shows {} characters)", e.page_chars),
        (Some(e), n) => format!("short article: {n} of the page's {} characters", e.page_chars),
        (None, 0) => "empty article".to_string(),
        (None, n) => format!("short article: {n} characters"),
    };
    if let Some(e) = &r.extraction {
        s.push_str(&format!("; candidate {}: {}", e.candidate, e.reason));
    }
    let top = top_removed(r);
    if !top.is_empty() {
        let list: Vec<String> = top.iter().map(|(reason, n)| format!("{reason} {n}")).collect();
        s.push_str(&format!("; removed: {}", list.join(", ")));
    }
    if !r.kept_against.is_empty() {
        s.push_str(&format!("; {} blocks kept against cleaning rules", r.kept_against.len()));
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use presswatch_model::{Article, Candidate, ContentHash, Extraction, Format, Removed};

    fn record(text: &str, page_chars: usize, removed: &[(&str, Reason)]) -> ArticleRecord {
        let article = Article {
            blocks: vec![presswatch_model::Block {
                kind: presswatch_model::BlockKind::Paragraph,
                text: text.into(),
                language: None,
            }],
            removed: removed.iter().map(|(t, r)| Removed { text: (*t).into(), reason: *r }).collect(),
            extraction: Some(Extraction {
                candidate: Candidate::Scored,
                reason: "the best-scoring subtree".into(),
                chars: chars(text),
                page_chars,
            }),
            ..Default::default()
        };
        ArticleRecord::new("p.html".into(), ContentHash::of(b"p"), Format::Html, article)
    }

    #[test]
    fn a_short_article_names_its_candidate_and_top_removal_reasons() {
        let ad = "x".repeat(900);
        let nav = "y".repeat(300);
        let r = record(
            "A line.",
            1300,
            &[(&nav, Reason::Navigation), (&ad, Reason::Advertisement), ("z", Reason::Hidden)],
        );
        let line = explain_short(&r).expect("short");
        assert!(
            line.starts_with("short article: 6 of the page's 1300 characters; candidate scored"),
            "{line}"
        );
        assert!(line.ends_with("removed: advertisement 900, navigation 300, hidden 1"), "{line}");
    }

    #[test]
    fn an_article_of_normal_length_needs_no_explanation() {
        let text = "The council voted on Tuesday to extend the night bus service. ".repeat(10);
        assert_eq!(explain_short(&record(&text, 2000, &[])), None);
    }
}
