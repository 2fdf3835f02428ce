//! The five real seed articles, turned into Drafts the way extraction would, cleaned and checked
//! field by field.

use crate::common;

use presswatch_model::{Article, BlockKind, Draft, DraftBlock, Image, Metadata, Reason};
use regex::Regex;
use std::path::PathBuf;

/// Clean, then the language stage, as the pipeline runs them.
fn clean(draft: Draft) -> Article {
    let mut article = presswatch_clean::clean(draft);
    presswatch_lang::detect_language(&mut article);
    article
}

fn seed(prefix: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with(prefix) {
            return std::fs::read_to_string(path).unwrap();
        }
    }
    panic!("no seed {prefix}");
}

/// Short lines without a sentence end (a question may be a heading) read as headings, the rest
/// as paragraphs.
fn block(text: &str) -> DraftBlock {
    let t = text.trim();
    let ends = t.ends_with(['.', '!', '"', '”', '»', ')']);
    let kind =
        if !ends && t.split_whitespace().count() <= 14 { BlockKind::Heading } else { BlockKind::Paragraph };
    DraftBlock::new(kind, text)
}

/// Paragraphs separated by blank lines.
fn paragraphs(text: &str) -> Vec<DraftBlock> {
    text.split("\n\n").filter(|p| !p.trim().is_empty()).map(block).collect()
}

fn lines(text: &str) -> Vec<DraftBlock> {
    text.lines().filter(|l| !l.trim().is_empty()).map(block).collect()
}

/// Every draft block is either kept or recorded as removed: exactly once.
fn assert_accounted(draft: &Draft, article: &Article) {
    let (input, output) = common::accounting(draft, article);
    assert_eq!(input, output);
}

fn reason_of(article: &Article, starts_with: &str) -> Reason {
    article
        .removed
        .iter()
        .find(|r| r.text.starts_with(starts_with))
        .unwrap_or_else(|| panic!("not removed: {starts_with}"))
        .reason
}

fn is_kept(article: &Article, starts_with: &str) -> bool {
    article.blocks.iter().any(|b| b.text.starts_with(starts_with))
}

#[test]
fn seed_001_dated_opinion() {
    let text = seed("001_");
    let draft = Draft {
        meta: Metadata { published: Some("2021-12-13".into()), ..Default::default() },
        blocks: paragraphs(&text),
        ..Default::default()
    };
    let a = clean(draft.clone());
    assert_accounted(&draft, &a);
    assert_eq!(a.meta.published.map(|p| p.to_string()).as_deref(), Some("2021-12-13"));
    assert_eq!(reason_of(&a, "date 2021-12-13"), Reason::MetadataLine);
    assert_eq!(a.blocks.len(), 3);
    assert!(a.blocks[0].text.starts_with("The confrontation is a testament"));
    assert_eq!(a.meta.language.as_deref(), Some("en"));
    assert!(a.blocks.iter().all(|b| b.language.as_deref() == Some("en")));

    // Without metadata the date line itself gives the date.
    let draft = Draft { blocks: paragraphs(&text), ..Default::default() };
    assert_eq!(clean(draft).meta.published.map(|p| p.to_string()).as_deref(), Some("2021-12-13"));
}

#[test]
fn seed_002_footer_bio_and_headings() {
    let text = seed("002_");
    let draft = Draft { blocks: paragraphs(&text), ..Default::default() };
    let a = clean(draft.clone());
    assert_accounted(&draft, &a);

    assert_eq!(
        a.meta.title.as_deref(),
        Some("Russia puts transatlantic unity and security in Europe to the test")
    );
    assert_eq!(reason_of(&a, "Russia puts transatlantic unity"), Reason::DuplicateTitle);
    assert_eq!(a.meta.authors, ["Petro Burkovskyi"]);
    assert_eq!(reason_of(&a, "Petro Burkovskyi works as"), Reason::Byline);

    let last = a.blocks.iter().rev().find(|b| b.kind != BlockKind::Caption).unwrap();
    assert!(last.text.ends_with("Putin might remember these lessons."), "{}", last.text);

    assert_eq!(reason_of(&a, "Did you like thike this article?"), Reason::DonationAppeal);
    assert_eq!(reason_of(&a, "We are recognized as a"), Reason::DonationAppeal);
    assert_eq!(reason_of(&a, "Related topics"), Reason::RelatedLinks);
    assert_eq!(reason_of(&a, "Newsletter bestellen"), Reason::Newsletter);
    assert_eq!(reason_of(&a, "Stay tuned with our regular newsletter"), Reason::Newsletter);
    assert_eq!(reason_of(&a, "Mit unseren Datenschutzbestimmungen"), Reason::CookieNotice);

    for heading in ["Troublemaking as Russian-style policymaking toward the West", "What can happen next?"] {
        let b = a.blocks.iter().find(|b| b.text == heading).unwrap_or_else(|| panic!("{heading}"));
        assert_eq!(b.kind, BlockKind::Heading);
    }
    // The photo credit stays with the images, out of the article text.
    let credit = a.blocks.iter().find(|b| b.text.starts_with("Photo:")).unwrap();
    assert_eq!(credit.kind, BlockKind::Caption);
    assert!(!a.text().contains("Imago Images"));
    assert_eq!(a.meta.language.as_deref(), Some("en"));
    assert!(a.meta.published.is_none());
}

#[test]
fn seed_003_related_news_teasers() {
    let text = seed("003_");
    let draft = Draft { blocks: lines(&text), ..Default::default() };
    let a = clean(draft.clone());
    assert_accounted(&draft, &a);

    let cut = draft.blocks.iter().position(|b| b.text.starts_with("Australia Latest News")).unwrap();
    for b in &draft.blocks[cut..] {
        assert!(!is_kept(&a, b.text.trim()), "kept: {}", b.text);
    }
    for b in &draft.blocks[..cut] {
        // Kept whole, or (a glued caption split off) as its first words.
        let head: String = b.text.trim().chars().take(40).collect();
        assert!(is_kept(&a, &head), "removed: {}", b.text);
    }
    assert!(a.blocks.last().unwrap().text.starts_with("Yet that is hardly persuasive."));

    // The two photo captions glued to the next paragraph are split off as captions (out of
    // `text`); the glued paragraph join of "Moscow.With" is prose and stays.
    let captions: Vec<&str> =
        a.blocks.iter().filter(|b| b.kind == BlockKind::Caption).map(|b| b.text.as_str()).collect();
    assert_eq!(captions.len(), 2, "{captions:?}");
    assert!(captions[0].starts_with("Russian troops take part") && captions[0].ends_with("December, 2021."));
    assert!(captions[1].starts_with("Russian President Vladimir Putin listens"));
    assert!(captions[1].ends_with("January 13, 2022."));
    assert!(is_kept(&a, "The flurry of diplomatic activity"));
    assert!(is_kept(&a, "Second, Russia’s brinkmanship"));
    assert!(!a.text().contains("2021.The") && !a.text().contains("2022.Second"));
    assert!(a.text().contains("for Moscow.With the talks"));

    let teaser = "US and Russia to hold talks on Ukraine in potential sign";
    let copies: Vec<Reason> =
        a.removed.iter().filter(|r| r.text.starts_with(teaser)).map(|r| r.reason).collect();
    assert_eq!(copies, [Reason::RelatedLinks, Reason::RepeatedBlock]);
    assert_eq!(reason_of(&a, "Similar News:"), Reason::RelatedLinks);
    assert_eq!(a.removed.iter().filter(|r| r.text == "Read more »").count(), 5);
    assert!(a.removed.iter().filter(|r| r.text == "Read more »").all(|r| r.reason == Reason::RelatedLinks));
    assert_eq!(a.meta.language.as_deref(), Some("en"));
}

#[test]
fn seed_004_widgets_and_duplicate_lead() {
    let text = seed("004_");
    let draft = Draft { blocks: paragraphs(&text), ..Default::default() };
    let a = clean(draft.clone());
    assert_accounted(&draft, &a);

    assert_eq!(reason_of(&a, "ADVERTISMENT"), Reason::Advertisement);
    assert_eq!(reason_of(&a, "Related Articles"), Reason::RelatedLinks);
    assert_eq!(reason_of(&a, "Leave a Reply"), Reason::CommentWidget);
    assert_eq!(reason_of(&a, "Back to top button"), Reason::BackToTop);

    let lead = "With the destiny of Ukraine and maybe post-Cold War European stability on the line";
    let lead_blocks: Vec<_> = a.removed.iter().filter(|r| r.text.starts_with(lead)).collect();
    assert_eq!(lead_blocks.len(), 1);
    assert_eq!(lead_blocks[0].reason, Reason::DuplicateLead);
    assert!(lead_blocks[0].text.ends_with("not only their relationship"));
    assert!(a.blocks.iter().any(|b| b.text.starts_with(lead) && b.text.ends_with("The outlook is grim.")));

    let last = a.blocks.last().unwrap();
    assert!(last.text.contains("working dinner"), "{}", last.text);
    // The one-word label above the headline is the section.
    assert_eq!(reason_of(&a, "Europe"), Reason::MetadataLine);
    assert_eq!(a.meta.section.as_deref(), Some("Europe"));
    assert_eq!(a.meta.language.as_deref(), Some("en"));
}

/// Seed 000 is HTML in markdown with YAML front matter; build the Draft as the HTML extractor
/// would: each image's hidden caption and visible caption, then the paragraphs in order.
fn seed_000_draft() -> Draft {
    let raw = seed("000_");
    let (front, body) = raw.trim_start().trim_start_matches("---").split_once("\n---").unwrap();
    let field = |name: &str| {
        front.lines().find_map(|l| l.strip_prefix(&format!("{name}: "))).map(|v| v.trim().to_string())
    };
    let categories: Vec<String> = front
        .lines()
        .skip_while(|l| !l.starts_with("categories:"))
        .skip(1)
        .take_while(|l| l.trim_start().starts_with("- "))
        .map(|l| l.trim_start().trim_start_matches("- ").trim().to_string())
        .collect();
    let thumbnail = field("thumbnail").map(|t| t.trim_matches('\'').to_string());
    let meta = Metadata {
        title: field("title"),
        published: field("date"),
        authors: field("author").into_iter().collect(),
        categories,
        image: thumbnail,
        ..Default::default()
    };

    let element = Regex::new(
        r#"(?s)<div class="title visibility-hide">(.*?)</div>|<p class="title">(.*?)</p>|<p>(.*?)</p>|<img src="([^"]+)""#,
    )
    .unwrap();
    let tags = Regex::new(r"<[^>]+>").unwrap();
    let mut blocks = Vec::new();
    let mut images = Vec::new();
    for c in element.captures_iter(body) {
        if let Some(hidden) = c.get(1) {
            let mut b = DraftBlock::new(BlockKind::Caption, tags.replace_all(hidden.as_str(), ""));
            b.hidden = true;
            blocks.push(b);
        } else if let Some(caption) = c.get(2) {
            let text = tags.replace_all(caption.as_str(), "").to_string();
            if let Some(img) = images.last_mut() {
                let img: &mut Image = img;
                img.caption = Some(text.clone());
            }
            blocks.push(DraftBlock::new(BlockKind::Caption, text));
        } else if let Some(p) = c.get(3) {
            blocks.push(DraftBlock::new(BlockKind::Paragraph, tags.replace_all(p.as_str(), "")));
        } else if let Some(src) = c.get(4) {
            images.push(Image { url: Some(src.as_str().to_string()), ..Default::default() });
        }
    }
    Draft { meta, blocks, images, removed: Vec::new(), extraction: None }
}

#[test]
fn seed_000_cgtn_opinion() {
    let draft = seed_000_draft();
    assert_eq!(draft.blocks.len(), 19, "draft built as expected");
    assert_eq!(draft.meta.authors, ["CGTN - Opinions"]);
    let a = clean(draft.clone());
    assert_accounted(&draft, &a);

    assert_eq!(a.meta.title.as_deref(), Some("Isolating Russia undermines European stability"));
    assert_eq!(a.meta.published.map(|p| p.to_string()).as_deref(), Some("2021-03-20T03:25:03Z"));
    assert_eq!(a.meta.authors, ["Bradley Blankenship"]);
    assert_eq!(a.meta.outlet.as_deref(), Some("CGTN"));
    assert_eq!(a.meta.section.as_deref(), Some("CGTN - Opinions"));
    assert_eq!(a.meta.tags, ["新媒体", "CGTN - Opinions"]);
    assert_eq!(a.meta.language.as_deref(), Some("en"));

    assert_eq!(reason_of(&a, "Editor's note: Bradley Blankenship"), Reason::EditorsNote);
    assert_eq!(reason_of(&a, "(If you want to contribute"), Reason::Boilerplate);
    let captions: Vec<Reason> =
        a.removed.iter().filter(|r| r.text.ends_with("/Getty")).map(|r| r.reason).collect();
    assert_eq!(captions, [Reason::DuplicateCaption, Reason::DuplicateCaption]);
    let kept_captions = a.blocks.iter().filter(|b| b.kind == BlockKind::Caption).count();
    assert_eq!(kept_captions, 2);

    let body: Vec<_> = a.blocks.iter().filter(|b| b.kind == BlockKind::Paragraph).collect();
    assert_eq!(body.len(), 13);
    assert!(body[0].text.starts_with("Russian President Vladimir Putin on March 18"));
    assert!(body.last().unwrap().text.ends_with("talking to adversaries is not a reward."));
    assert_eq!(a.removed.len(), 4);
    assert_eq!(a.images.len(), 2);
}

#[test]
fn removed_from_extraction_is_carried_over() {
    let mut draft = seed_000_draft();
    draft.removed.push(presswatch_model::Removed { text: "Home".into(), reason: Reason::Navigation });
    let a = clean(draft);
    assert_eq!(a.removed[0].text, "Home");
    assert_eq!(a.removed[0].reason, Reason::Navigation);
}
