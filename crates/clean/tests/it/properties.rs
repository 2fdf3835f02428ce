//! Properties over generated drafts: cleaning never panics and never loses a block.

use crate::common;

use presswatch_clean::{clean, date_from_url, normalize_date, person_name, repair_title};
use presswatch_model::{BlockKind, Draft, DraftBlock, Metadata, Reason};
use proptest::prelude::*;

const KINDS: &[BlockKind] = &[
    BlockKind::Paragraph,
    BlockKind::Heading,
    BlockKind::ListItem,
    BlockKind::Quote,
    BlockKind::Caption,
    BlockKind::Preformatted,
    BlockKind::TableCell,
];

/// Texts mixing article sentences, boilerplate phrases, names, dates and raw noise, so that
/// every pass gets exercised.
fn block_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Read more »".to_string()),
        Just("ADVERTISEMENT".to_string()),
        Just("Leave a Reply".to_string()),
        Just("Similar News:".to_string()),
        Just("Related topics".to_string()),
        Just("Editor's note: Jane Doe is a journalist. It reflects the author's views, not the views of Example News.".to_string()),
        Just("By Jane Doe".to_string()),
        Just("Jane Doe works as a reporter in Berlin.".to_string()),
        Just("20 March 2021".to_string()),
        Just("Mit unseren Datenschutzbestimmungen erklären Sie sich einverstanden.".to_string()),
        Just("The talks in Geneva ended without a breakthrough on Monday, officials said after the meeting.".to_string()),
        Just("Europe".to_string()),
        Just("   ".to_string()),
        Just("***".to_string()),
        "[a-zA-Z ,.!?\u{a0}\n]{0,80}",
        "\\PC{0,60}",
        any::<String>(),
    ]
}

fn draft_block() -> impl Strategy<Value = DraftBlock> {
    (
        0..KINDS.len(),
        block_text(),
        any::<bool>(),
        prop_oneof![Just(0.0f32), Just(1.0f32), any::<f32>()],
        prop::option::of(prop_oneof![Just(Reason::Navigation), Just(Reason::ShareWidget)]),
    )
        .prop_map(|(k, text, hidden, link_density, boilerplate)| DraftBlock {
            kind: KINDS.get(k).copied().unwrap_or(BlockKind::Paragraph),
            text,
            hidden,
            link_density,
            boilerplate,
        })
}

fn metadata() -> impl Strategy<Value = Metadata> {
    (
        prop::option::of(any::<String>()),
        prop::option::of(prop_oneof![Just("Sat, 20 Mar 2021 03:25:03 GMT".to_string()), any::<String>()]),
        prop::collection::vec(any::<String>(), 0..3),
        prop::option::of(any::<String>()),
        prop::option::of(prop_oneof![
            Just("https://news.example.com/2021/03/20/x".to_string()),
            any::<String>()
        ]),
        prop::collection::vec(any::<String>(), 0..3),
        prop::option::of(any::<String>()),
    )
        .prop_map(|(title, published, authors, outlet, url, categories, language)| Metadata {
            title,
            published,
            authors,
            outlet,
            url,
            categories,
            language,
            ..Default::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn clean_never_panics_and_never_loses_a_block(
        meta in metadata(),
        blocks in prop::collection::vec(draft_block(), 0..25),
    ) {
        let draft = Draft { meta, blocks, images: Vec::new(), removed: Vec::new(), extraction: None };
        let article = clean(draft.clone());
        let (input, output) = common::accounting(&draft, &article);
        prop_assert_eq!(input, output);
        if let Some(p) = &article.meta.published {
            let p = p.to_string();
            prop_assert!(p.len() == 10 || p.len() >= 20, "{}", p);
        }
        if let Some(l) = &article.meta.language {
            prop_assert_eq!(l.len(), 2);
        }
    }

    #[test]
    fn helpers_never_panic(s in any::<String>()) {
        if let Some(d) = normalize_date(&s) {
            prop_assert!(d.get(..4).is_some_and(|y| y.parse::<i32>().is_ok_and(|y| (1990..=2100).contains(&y))));
        }
        let _ = date_from_url(&s);
        let _ = person_name(&s);
        let _ = repair_title(&s, std::slice::from_ref(&s));
    }
}
