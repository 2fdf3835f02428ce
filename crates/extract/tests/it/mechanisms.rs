//! Main-content mechanisms on small pages built to show each one: teaser lists, roundups
//! introduced by the title, tail labels, link clusters inside sentences, paywall wrappers and
//! a title repeated as a paragraph; the fallback to other candidates when the scored one holds
//! little of the page's prose.

use presswatch_extract::{draft_text, extract_html};
use presswatch_model::{Candidate, Metadata, Reason};

const PROSE: [&str; 4] = [
    "The city council voted on Tuesday to extend the night bus service until the end of next year, after a long debate about costs.",
    "Supporters said the buses carry thousands of shift workers, nurses and students every week, and that cutting them would hurt.",
    "Opponents argued that the money would be better spent on repairing roads, which they said were in a worse state than ever.",
    "The mayor said a review of the service would be published in the spring, together with figures on how many people use it.",
];

fn article_paragraphs() -> String {
    PROSE.iter().map(|p| format!("<p>{p}</p>")).collect()
}

fn page(head_title: &str, body: &str) -> String {
    format!("<html><head><title>{head_title}</title></head><body>{body}</body></html>")
}

#[test]
fn teaser_list_beside_the_article_is_left_out() {
    let teasers: String = (1..=4)
        .map(|i| {
            format!(
                "<li><a href=\"/story-{i}\">Headline number {i} about another local story</a>\
                 <span>A snippet that summarizes the other story in a sentence or two, as teasers do. It is \
                 long enough to read like prose, with commas, clauses and full stops. Editors write them \
                 to make readers click, so they tell half of the story and stop at the best part, \
                 just before the answer, and then it ends...</span></li>"
            )
        })
        .collect();
    // The title sits above both, so narrowing towards it cannot separate them.
    let body = format!(
        "<div class=\"page\"><h1>Night buses stay</h1><div class=\"wrap\"><article>{}</article>\
         <div class=\"more\"><ul>{teasers}</ul></div></div></div>",
        article_paragraphs()
    );
    let text = draft_text(&extract_html(&page("Night buses stay", &body), &Metadata::default()));
    assert!(text.contains("night bus service"), "{text}");
    assert!(!text.contains("Headline number"), "{text}");
    assert!(!text.contains("snippet that summarizes"), "{text}");
}

#[test]
fn roundup_under_the_title_is_the_article() {
    let items: String = (1..=5)
        .map(|i| {
            format!(
                "<li><strong><a href=\"/news-{i}\">Company number {i} announced new results today</a>.</strong> \
                 The company said revenue grew, and analysts expect more of the same next quarter.</li>"
            )
        })
        .collect();
    let body = format!(
        "<nav><a href=\"/\">Home</a> <a href=\"/tech\">Tech</a></nav><div class=\"post\"><h1>10 things in tech today</h1>\
         <div class=\"post-content\"><p>Good morning! This is the tech news you need to know today.</p><ol>{items}</ol></div></div>"
    );
    let text = draft_text(&extract_html(&page("10 things in tech today", &body), &Metadata::default()));
    assert!(text.contains("Company number 1 announced"), "{text}");
    assert!(text.contains("Company number 5 announced"), "{text}");
    assert!(text.contains("analysts expect more"), "{text}");
}

#[test]
fn comments_label_ends_the_article_and_boxes_inside_it_are_cut() {
    let body = format!(
        "<article><p>{}</p><p>{}</p><div><h4>Read also</h4><p><a href=\"/a\">Another story about the buses and the council</a></p></div>\
         <p>{}</p><p>{}</p><h3>12 Comments</h3><p>I take the night bus every day and I am glad it stays, thanks to everyone who voted.</p></article>",
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let text = draft_text(&draft);
    assert!(text.contains(PROSE[3]), "the article resumes after the box: {text}");
    assert!(!text.contains("Another story"), "{text}");
    assert!(!text.contains("I take the night bus"), "{text}");
    let comments = draft.blocks.iter().find(|b| b.text == "12 Comments").expect("label block");
    assert_eq!(comments.boilerplate, Some(Reason::CommentWidget));
}

#[test]
fn a_byline_span_left_open_around_the_post_keeps_the_post() {
    // A blog editor wrapped the whole post in the author's span and never closed it: the span
    // holds paragraphs of prose, so it is a wrapper, not a byline box.
    let paragraphs = PROSE.join("<br><br>");
    let body = format!(
        "<div class=\"post\"><h3>Buses</h3><div class=\"post-body\"><span class=\"byline-author\">Posted by Jane Roe, reporter<br>\
         {paragraphs}<br><br>{paragraphs}</div></div><div class=\"sidebar\"><a href=\"/a\">Archives</a></div>"
    );
    let text = draft_text(&extract_html(&page("Buses", &body), &Metadata::default()));
    for p in PROSE {
        assert!(text.contains(p), "{text}");
    }
}

#[test]
fn a_label_heading_a_table_column_does_not_end_the_article() {
    // A table whose last column is headed "Comment" (a notes column, as in a technical post):
    // the header is data, and the rows and the prose after the table are the article.
    let rows: String = ["new", "claimed", "processing"]
        .iter()
        .map(|s| {
            format!("<tr><td><p>{s}</p></td><td><p>Moves the task on when its timer fires.</p></td></tr>")
        })
        .collect();
    let body = format!(
        "<article><p>{}</p><p>{}</p><table><tr><td><p><b>Status</b></p></td><td><p><b>Comment</b></p></td></tr>{rows}</table>\
         <p>{}</p><p>{}</p></article>",
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let text = draft_text(&draft);
    assert!(text.contains("Moves the task on"), "{text}");
    assert!(text.contains(PROSE[3]), "{text}");
    assert!(draft.blocks.iter().all(|b| b.boilerplate.is_none()), "{:?}", draft.blocks);
}

#[test]
fn link_cluster_inside_a_sentence_is_set_aside_without_splitting_it() {
    let body = format!(
        "<article>{}<p>The plan was backed by Rep. <span class=\"card\"><a href=\"/p\">Jane Roe</a>\
         <span><a href=\"/x\">Jane Roe on transport funding and the state budget</a> <a href=\"/y\">Roe backs rail plan for the region</a> \
         <a href=\"/z\">Roe says bus cuts would hurt workers</a></span></span> and two other members of the committee.</p></article>",
        article_paragraphs()
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let text = draft_text(&draft);
    assert!(!text.contains("rail plan"), "{text}");
    assert!(draft
        .blocks
        .iter()
        .any(|b| b.text.contains("backed by Rep.") && b.text.contains("two other members")));
    assert!(draft.removed.iter().any(|r| r.text.contains("rail plan") && r.reason == Reason::RelatedLinks));
}

#[test]
fn paywall_wrapper_around_the_text_is_the_article() {
    let body = format!(
        "<div class=\"main\"><h1>Buses</h1><div class=\"article-body\"><p>{}</p><div class=\"paywall\">{}</div></div>\
         <div class=\"newsletter-signup\"><p>Sign up for our newsletter.</p></div></div>",
        PROSE[0],
        article_paragraphs() + &article_paragraphs().replace("The ", "This ")
    );
    let text = draft_text(&extract_html(&page("Buses", &body), &Metadata::default()));
    assert!(text.contains("This mayor said a review"), "{text}");
    assert!(!text.contains("Sign up"), "{text}");
}

#[test]
fn title_repeated_as_a_paragraph_is_flagged() {
    let body = format!(
        "<div class=\"content\"><div class=\"title\">Night buses stay until next year</div>{}</div>",
        article_paragraphs()
    );
    let draft = extract_html(&page("Night buses stay until next year", &body), &Metadata::default());
    let first = draft.blocks.first().expect("blocks");
    assert_eq!(first.text, "Night buses stay until next year");
    assert_eq!(first.boilerplate, Some(Reason::DuplicateTitle));
    assert!(draft_text(&draft).starts_with(PROSE[0]));
}

#[test]
fn linked_headline_paragraph_inside_the_article_is_flagged_but_printed_urls_stay() {
    let body = format!(
        "<article><p>{}</p><p>{}</p><p><a href=\"/other\">MAYOR UNVEILS NEW PLAN FOR CITY PARKS</a></p><p>{}</p>\
         <p><a href=\"http://example.org/report\">http://example.org/report-on-night-buses</a></p><p>{}</p></article>",
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let headline = draft.blocks.iter().find(|b| b.text.starts_with("MAYOR UNVEILS")).expect("headline block");
    assert_eq!(headline.boilerplate, Some(Reason::RelatedLinks));
    let text = draft_text(&draft);
    assert!(text.contains("http://example.org/report-on-night-buses"), "{text}");
    assert!(text.contains(PROSE[3]), "{text}");
}

/// A sidebar of short teasers beside the article, for the pages below.
fn sidebar() -> &'static str {
    "<div class=\"sidebar\"><h3>Most read</h3><ul><li><a href=\"/a\">Mayor opens new park</a></li>\
     <li><a href=\"/b\">School closes early</a></li><li><a href=\"/c\">Rain expected</a></li></ul></div>"
}

#[test]
fn article_inside_an_ad_named_wrapper_is_the_article() {
    // A class name is a few words of evidence; long running prose is the article.
    let body = format!(
        "<div class=\"ad-container-wrap\"><h1>Buses</h1>{}{}</div>{}\
         <div class=\"ad-slot\"><p>Advertisement</p></div>",
        article_paragraphs(),
        article_paragraphs().replace("The ", "This "),
        sidebar()
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let text = draft_text(&draft);
    assert!(text.contains(PROSE[0]) && text.contains("This mayor said a review"), "{text}");
    assert!(!draft.removed.iter().any(|r| r.text.contains("night bus service")), "{:?}", draft.removed);
}

#[test]
fn sections_named_for_sharing_and_posts_tagged_by_subject_are_text() {
    // Documentation sections take their ids from their headings ("Sharing with ..."), and
    // WordPress puts the post's tags on the post ("tag-social-media", "tag-tax-credits").
    let sections: String = ["sharing-with-a-single-developer", "sharing-with-a-team"]
        .iter()
        .map(|id| format!("<div class=\"section\" id=\"{id}\"><h2>{id}</h2>{}</div>", article_paragraphs()))
        .collect();
    let body = format!(
        "<article class=\"post hentry tag-social-media tag-tax-credits category-advertising\">\
         <h1>Buses</h1>{sections}</article>{}",
        sidebar()
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let text = draft_text(&draft);
    assert_eq!(text.matches(PROSE[3]).count(), 2, "{text}");
    assert!(draft.blocks.iter().all(|b| b.kind != presswatch_model::BlockKind::Caption));
}

#[test]
fn hidden_text_outside_the_article_is_recorded_as_hidden() {
    let body = format!(
        "<div style=\"display:none\"><p>Menu for small screens</p></div><article><h1>Buses</h1>{}</article>",
        article_paragraphs()
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    assert!(draft.removed.iter().any(|r| r.text == "Menu for small screens" && r.reason == Reason::Hidden));
}

/// Issue 17: a page of 200,000 unclosed tags with random names (a word after each) once gave
/// empty text with no reason. Every word must reach a block or `removed` (with a reason),
/// without a panic or a depth cut-off dropping any.
#[test]
fn two_hundred_thousand_unclosed_random_tags_lose_no_word() {
    let mut state: u64 = 17;
    let mut next = |n: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let mut html = String::from("<html><body>");
    for i in 0..200_000 {
        let name: String = (0..1 + next(6)).map(|_| char::from(b'a' + next(10) as u8)).collect();
        html.push_str(&format!("<{name}>t{i} "));
    }
    let draft = extract_html(&html, &Metadata::default());
    let words = |text: &str| text.split_whitespace().filter(|w| w.starts_with('t')).count();
    let kept: usize = draft.blocks.iter().map(|b| words(&b.text)).sum();
    let removed: usize = draft.removed.iter().map(|r| words(&r.text)).sum();
    assert_eq!(kept + removed, 200_000, "every word is kept or removed with a reason: {kept} + {removed}");
}

/// Six paragraphs of running prose: the article of the pages below.
fn six_paragraphs() -> Vec<String> {
    PROSE
        .iter()
        .map(|p| p.to_string())
        .chain(PROSE.iter().take(2).map(|p| p.replace("The ", "This ")))
        .collect()
}

#[test]
fn body_outside_an_article_element_that_holds_a_teaser_is_the_article() {
    // `<article>` marks a teaser of another story; the story itself sits in a plain div.
    let body = format!(
        "<article class=\"teaser\"><h2><a href=\"/other\">Council approves the new harbour plan</a></h2>\
         <p>The harbour plan passed with a narrow majority.</p></article>\
         <div class=\"story\"><h1>Buses</h1>{}</div>{}",
        article_paragraphs(),
        sidebar()
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let text = draft_text(&draft);
    for p in PROSE {
        assert!(text.contains(p), "{text}");
    }
    assert!(!text.contains("harbour plan passed"), "{text}");
    assert!(draft.removed.iter().any(|r| r.text.contains("harbour plan passed")), "{:?}", draft.removed);
}

#[test]
fn paragraphs_each_followed_by_read_more_are_the_article_after_cleaning() {
    // The aggregator pattern: every paragraph is followed by a "Read more »" link, inside a
    // wrapper named like a related-links box. No subtree scores as an article; the densest
    // subtree of prose does, and cleaning keeps the paragraphs against its link rules.
    let items: String = six_paragraphs()
        .iter()
        .map(|p| format!("<p>{p}</p><p><a href=\"/story\">Read more »</a></p>"))
        .collect();
    let body = format!("<h1>Buses</h1><div class=\"related-posts\">{items}</div>{}", sidebar());
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let how = draft.extraction.clone().expect("an HTML page records its candidate");
    assert_eq!(how.candidate, Candidate::Densest, "{}", how.reason);
    let article = presswatch_clean::clean(draft);
    let text = article.text();
    for p in six_paragraphs() {
        assert!(text.contains(&p), "{text}");
    }
    assert!(!text.contains("Read more"), "{text}");
}

#[test]
fn a_small_scored_candidate_falls_back_to_the_densest_prose_and_says_why() {
    // The article's paragraphs sit in a wrapper whose name reads as an advertisement and whose
    // paragraphs each carry a label line, so the wrapper is boilerplate to the scorer and its
    // best candidate is a single paragraph.
    let items: String =
        six_paragraphs().iter().map(|p| format!("<p>{p}</p><p><a href=\"/author\">Staff</a></p>")).collect();
    let html = page("Buses", &format!("<h1>Buses</h1><div class=\"advert-box\">{items}</div>{}", sidebar()));
    let draft = extract_html(&html, &Metadata::default());
    let how = draft.extraction.clone().expect("an HTML page records its candidate");
    assert_ne!(how.candidate, Candidate::Scored, "{}", how.reason);
    assert!(how.reason.contains("best-scoring subtree held"), "{}", how.reason);
    assert!(how.chars > 500 && how.page_chars > how.chars, "{how:?}");
    let text = draft_text(&draft);
    for p in six_paragraphs() {
        assert!(text.contains(&p), "{text}");
    }
    // Every rendered text is still accounted for: kept in the blocks or removed with a reason.
    let kept: String = draft
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .chain(draft.removed.iter().map(|r| r.text.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    for line in presswatch_extract::rendered_text(&html).lines() {
        assert!(kept.contains(line), "{line:?} vanished");
    }
}

#[test]
fn a_normal_article_keeps_the_scored_candidate() {
    let body = format!("<article><h1>Buses</h1>{}</article>{}", article_paragraphs(), sidebar());
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let how = draft.extraction.expect("an HTML page records its candidate");
    assert_eq!(how.candidate, Candidate::Scored, "{}", how.reason);
    assert!(how.chars >= PROSE.iter().map(|p| p.chars().filter(|c| !c.is_whitespace()).count()).sum());
}

#[test]
fn paragraphs_beside_the_best_paragraph_join_it() {
    // The post's container loses to its own first paragraph because a long share bar and a
    // link list inside it cost it their weight; the sibling paragraphs still belong to the post.
    let share: String =
        (1..=30).map(|i| format!("<a href=\"/share/{i}\">Share on network number {i}</a> ")).collect();
    let body = format!(
        "<div class=\"post\"><h1>Buses</h1><div class=\"content\"><p>{} {}</p><div class=\"share-buttons\">{share}</div>\
         <p>{}</p><p>{}</p></div></div><div class=\"sidebar\"><a href=\"/a\">Archives</a></div>",
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let text = draft_text(&draft);
    for p in PROSE {
        assert!(text.contains(p), "{text}");
    }
    assert!(!text.contains("Share on network"), "{text}");
}

#[test]
fn an_about_the_author_box_is_not_the_post() {
    // A short post beside a longer author bio: the bio is prose, but never the article.
    let bio = "Jane Roe is a reporter who has covered city hall, transport and housing for many years, \
               after a decade at regional papers. She lives in the city with two cats, rides the night \
               bus more often than she would like, and writes a weekly newsletter about local politics.";
    let body = format!(
        "<div class=\"post\"><h1>Buses</h1><div class=\"entry\"><p>{}</p><div class=\"share\"><a href=\"/s\">Share</a></div></div>\
         <div class=\"about_author\"><div class=\"author_text\"><p>{bio}</p></div></div></div>",
        PROSE[0]
    );
    let draft = extract_html(&page("Buses", &body), &Metadata::default());
    let text = draft_text(&draft);
    assert!(text.contains(PROSE[0]), "{text}");
    assert!(!text.contains("Jane Roe is a reporter"), "{text}");
}
