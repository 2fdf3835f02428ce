//! Extraction on the real seed articles (tests/fixtures/seeds) and on handmade pages.

use presswatch_extract::{draft_text, extract, extract_html};
use presswatch_model::{BlockKind, BodyKind, Draft, Format, Metadata, RawDocument, Reason};

fn seed(prefix: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seeds");
    let entries = std::fs::read_dir(dir).expect("seed dir");
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with(prefix) {
            return std::fs::read_to_string(e.path()).expect("seed file");
        }
    }
    panic!("seed {prefix} not found");
}

fn text_doc(body: String) -> RawDocument {
    RawDocument {
        source: "seed".into(),
        format: Format::Text,
        sha256: presswatch_model::ContentHash::of(b""),
        body_kind: BodyKind::Text,
        body,
        hints: Metadata::default(),
    }
}

fn find<'a>(d: &'a Draft, start: &str) -> Option<&'a presswatch_model::DraftBlock> {
    d.blocks.iter().find(|b| b.text.starts_with(start))
}

#[test]
fn seed_001_date_header_becomes_metadata() {
    let d = extract(&text_doc(seed("001")));
    assert_eq!(d.meta.published.as_deref(), Some("2021-12-13"));
    assert!(d.removed.iter().any(|r| r.reason == Reason::MetadataLine && r.text == "date 2021-12-13"));
    assert!(d.blocks.first().is_some_and(|b| b.text.starts_with("The confrontation is a testament")));
    assert!(d.blocks.iter().all(|b| !b.text.contains("2021-12-13")));
    assert!(d.meta.title.is_none());
    assert!(d.blocks.iter().all(|b| !b.text.contains('\n')));
}

#[test]
fn seed_002_title_headings_caption() {
    let d = extract(&text_doc(seed("002")));
    assert_eq!(
        d.meta.title.as_deref(),
        Some("Russia puts transatlantic unity and security in Europe to the test")
    );
    assert!(d.removed.iter().any(|r| r.reason == Reason::DuplicateTitle));
    assert_eq!(find(&d, "Photo: White House").map(|b| b.kind), Some(BlockKind::Caption));
    assert_eq!(find(&d, "Troublemaking as Russian-style").map(|b| b.kind), Some(BlockKind::Heading));
    assert_eq!(find(&d, "Russian goals in talks").map(|b| b.kind), Some(BlockKind::Heading));
    assert_eq!(find(&d, "After failing to agree").map(|b| b.kind), Some(BlockKind::Paragraph));
    // Lines of one paragraph are joined.
    assert!(d
        .blocks
        .iter()
        .any(|b| b.text == "Mit unseren Datenschutzbestimmungen erklären Sie sich einverstanden."));
}

#[test]
fn seed_003_one_paragraph_per_line() {
    let body = seed("003");
    let lines = body.lines().filter(|l| !l.trim().is_empty()).count();
    let d = extract(&text_doc(body));
    assert_eq!(d.blocks.len(), lines);
    assert!(d.blocks[0].text.starts_with("ANALYSIS: The stalemate"));
    assert!(d.meta.title.is_none(), "a full sentence is not a title");
    assert!(d.blocks.iter().filter(|b| b.text == "Read more »").count() >= 4);
}

#[test]
fn seed_004_section_label_then_headline() {
    let d = extract(&text_doc(seed("004")));
    assert_eq!(d.meta.section.as_deref(), Some("Europe"));
    assert!(d.removed.iter().any(|r| r.text == "Europe" && r.reason == Reason::MetadataLine));
    // The single sentence under the section label is the headline, even with a full stop.
    let title = "As the US and Russia prepare to meet over Ukraine, prospects are dimming.";
    assert_eq!(d.meta.title.as_deref(), Some(title));
    assert!(d.removed.iter().any(|r| r.text == title && r.reason == Reason::DuplicateTitle));
    let first = &d.blocks[0];
    assert_eq!(first.kind, BlockKind::Paragraph);
    assert!(first.text.starts_with("With the destiny of Ukraine"));
    // The text ends with boilerplate the cleaner removes; extract keeps it as blocks.
    assert!(d.blocks.iter().any(|b| b.text == "ADVERTISMENT"));
}

#[test]
fn hints_win_over_body_metadata() {
    let mut doc = text_doc(seed("001"));
    doc.hints.published = Some("2021-12-14".into());
    let d = extract(&doc);
    assert_eq!(d.meta.published.as_deref(), Some("2021-12-14"));
}

/// The body of seed 000 after its front matter (ingest strips it in the pipeline).
fn seed_000_html() -> String {
    let s = seed("000");
    let mut parts = s.splitn(3, "\n---\n");
    let _ = parts.next();
    let _ = parts.next();
    parts.next().expect("front matter").to_string()
}

#[test]
fn seed_000_html_captions_notes_and_images() {
    let html = seed_000_html();
    let d = extract_html(&html, &Metadata::default());
    let putin: Vec<_> = d
        .blocks
        .iter()
        .filter(|b| b.text.starts_with("Russia's President Vladimir Putin during a video conference"))
        .collect();
    assert_eq!(putin.len(), 2, "visible and hidden caption");
    assert!(putin.iter().all(|b| b.kind == BlockKind::Caption));
    assert_eq!(putin.iter().filter(|b| b.hidden).count(), 1);
    let borrell = d
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Caption && b.text.starts_with("Head of the EU"))
        .count();
    assert_eq!(borrell, 2);
    assert!(d
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::Paragraph && b.text.starts_with("Editor's note: Bradley Blankenship")));
    assert!(d.blocks.iter().any(|b| {
        b.text
        == "(If you want to contribute and have specific expertise, please contact us at opinions@cgtn.com.)"
    }));
    assert!(d.blocks.iter().any(|b| b.text.starts_with("To avoid a replay of this scenario")));
    assert_eq!(d.images.len(), 2);
    assert!(d.images[0].url.as_deref().is_some_and(|u| u.ends_with("fe2b14ee85ab45fcae511913952d3f4a.png")));
    assert_eq!(d.images[0].credit.as_deref(), Some("Getty"));
    assert!(d.images[0].caption.as_deref().is_some_and(|c| c.ends_with("in Moscow.")));
    // Every paragraph is one line.
    assert!(d.blocks.iter().all(|b| !b.text.contains('\n')));
}

#[test]
fn seed_000_as_markdown_kind_html_goes_through_extract() {
    let doc = RawDocument {
        source: "seed".into(),
        format: Format::Markdown,
        sha256: presswatch_model::ContentHash::of(b""),
        body_kind: BodyKind::Html,
        body: seed_000_html(),
        hints: Metadata {
            title: Some("Isolating Russia undermines European stability".into()),
            ..Default::default()
        },
    };
    let d = extract(&doc);
    assert_eq!(d.meta.title.as_deref(), Some("Isolating Russia undermines European stability"));
    assert!(draft_text(&d).contains("Russian President Vladimir Putin on March 18"));
}

const PAGE: &str = r##"<!doctype html>
<html lang="de-DE"><head>
<title>Flood defences hold as river peaks | Example Times</title>
<meta property="og:title" content="Flood defences hold as river peaks">
<meta property="og:site_name" content="Example Times">
<meta property="og:image" content="https://example.org/flood.jpg">
<meta property="article:published_time" content="2024-03-01T08:00:00Z">
<meta property="article:tag" content="Weather"><meta property="article:tag" content="Rivers">
<link rel="canonical" href="https://example.org/news/flood">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","name":"Example Times"},
 {"@type":"NewsArticle","headline":"Flood defences hold","author":[{"@type":"Person","name":"Ann Weber"},{"@type":"Person","name":"Tom Berg"}],
  "articleSection":"Environment","publisher":{"@type":"Organization","name":"Example Times Ltd"}}]}</script>
<script type="application/ld+json">{ this is not json </script>
</head><body>
<header class="site-header"><a href="/">Example Times</a><nav class="main-nav"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<div class="layout">
<main><article>
<h1>Flood defences hold as river peaks</h1>
<div class="byline">By Ann Weber</div>
<div class="article-body">
<p>The river reached its highest level in forty years on Thursday night, but the new flood walls held, the city said.</p>
<p>Engineers had worked through the week to close the last gaps, and residents of the old town were told they could stay in their homes.</p>
<figure><img src="data:image/gif;base64,R0lGOD" data-src="https://example.org/wall.jpg"><figcaption>The new wall at the old town. Photo: City Archive</figcaption></figure>
<p>"It was a long night, but the wall did what it was built to do," the mayor said on Friday morning.</p>
<div class="related-articles"><h3>Related</h3><ul><li><a href="/a">Storm warning for the coast</a></li><li><a href="/b">How the wall was built</a></li></ul></div>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<p>Further rain is forecast for the weekend, and officials asked residents to keep sandbags in place until Monday.</p>
</div>
</article></main>
<aside class="sidebar"><h3>Most read</h3><ol><li><a href="/x">Ten things to do this weekend</a></li><li><a href="/y">Prices rise again</a></li></ol></aside>
</div>
<section id="comments" class="comments-area"><h2>Leave a Reply</h2>
<div class="comment"><p>I live by the river and I can confirm the wall held perfectly well, which is a great relief for all of us here.</p></div>
<div class="comment"><p>Great reporting, thank you for keeping us informed through the whole night, it was really useful to follow.</p></div>
</section>
<footer class="site-footer"><p>© 2024 Example Times. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"##;

#[test]
fn handmade_page_main_content_only() {
    let d = extract_html(PAGE, &Metadata::default());
    let text = draft_text(&d);
    assert!(text.starts_with("The river reached its highest level"), "{text}");
    assert!(text.contains("the mayor said on Friday morning."));
    assert!(text.ends_with("until Monday."), "{text}");
    for junk in [
        "News",
        "Storm warning",
        "Share on Facebook",
        "Ten things",
        "I live by the river",
        "All rights reserved",
        "By Ann Weber",
    ] {
        assert!(!text.contains(junk), "{junk} in {text}");
    }
    let reason_of = |needle: &str| d.removed.iter().find(|r| r.text.contains(needle)).map(|r| r.reason);
    assert_eq!(reason_of("Sport"), Some(Reason::Navigation));
    assert_eq!(reason_of("Storm warning"), Some(Reason::RelatedLinks));
    assert_eq!(reason_of("Share on Facebook"), Some(Reason::ShareWidget));
    assert_eq!(reason_of("I live by the river"), Some(Reason::CommentWidget));
    assert_eq!(reason_of("Ten things"), Some(Reason::Navigation));
    assert!(reason_of("All rights reserved").is_some());
    // The title repeated as a heading is flagged for the cleaner.
    assert!(d
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::Heading && b.boilerplate == Some(Reason::DuplicateTitle)));
    // Caption and lazy image.
    assert_eq!(d.images.len(), 1);
    assert_eq!(d.images[0].url.as_deref(), Some("https://example.org/wall.jpg"));
    assert_eq!(d.images[0].caption.as_deref(), Some("The new wall at the old town."));
    assert_eq!(d.images[0].credit.as_deref(), Some("City Archive"));
}

#[test]
fn handmade_page_metadata() {
    let d = extract_html(PAGE, &Metadata::default());
    let m = &d.meta;
    assert_eq!(m.title.as_deref(), Some("Flood defences hold as river peaks"));
    assert_eq!(m.published.as_deref(), Some("2024-03-01T08:00:00Z"));
    assert_eq!(m.authors, vec!["Ann Weber", "Tom Berg"]);
    assert_eq!(m.outlet.as_deref(), Some("Example Times"));
    assert_eq!(m.url.as_deref(), Some("https://example.org/news/flood"));
    assert_eq!(m.section.as_deref(), Some("Environment"));
    assert_eq!(m.tags, vec!["Weather", "Rivers"]);
    assert_eq!(m.language.as_deref(), Some("de-DE"));
    assert_eq!(m.image.as_deref(), Some("https://example.org/flood.jpg"));
    let hints = Metadata { title: Some("From the feed".into()), ..Default::default() };
    assert_eq!(extract_html(PAGE, &hints).meta.title.as_deref(), Some("From the feed"));
}

#[test]
fn cjk_page_picks_the_article() {
    let para = "北京时间周一，国家统计局发布了最新的经济数据，显示工业生产和零售销售均好于市场预期，分析人士认为经济正在企稳。";
    let html = format!(
        "<html lang=zh><body><div class=nav><a href=/>首页</a><a href=/a>国内</a><a href=/b>国际</a><a href=/c>财经</a></div>\
         <div class=main><p>{para}</p><p>{para}</p><p>{para}</p></div>\
         <div class=links><a href=/x>更多新闻标题一</a><a href=/y>更多新闻标题二</a></div></body></html>"
    );
    let d = extract_html(&html, &Metadata::default());
    let paras: Vec<_> = d.blocks.iter().filter(|b| b.kind == BlockKind::Paragraph).collect();
    assert_eq!(paras.len(), 3);
    assert!(paras.iter().all(|b| b.text == para));
    assert!(!draft_text(&d).contains("首页"));
}

#[test]
fn hidden_blocks_are_kept_and_flagged() {
    let html = "<html><body><article><p>A first paragraph that is long enough to count as article text, really.</p>\
        <p style=\"display: none\">Secret duplicated text that nobody sees.</p>\
        <p hidden>Also hidden text here.</p>\
        <p>A second paragraph that is long enough to count as article text as well.</p></article></body></html>";
    let d = extract_html(html, &Metadata::default());
    let hidden: Vec<_> = d.blocks.iter().filter(|b| b.hidden).map(|b| b.text.as_str()).collect();
    assert_eq!(hidden, vec!["Secret duplicated text that nobody sees.", "Also hidden text here."]);
    assert!(!draft_text(&d).contains("Secret"));
}

#[test]
fn garbage_input_does_not_panic() {
    for s in ["", "<", "<<<>>>", "<p>", "\u{0}\u{feff}<div", "<html><body><script>", "<a href=x>unclosed"] {
        let _ = extract_html(s, &Metadata::default());
    }
    let deep = "<div>".repeat(50_000) + "text";
    let d = extract_html(&deep, &Metadata::default());
    assert!(draft_text(&d).contains("text") || d.removed.iter().any(|r| r.text.contains("text")));
}
