//! Properties over arbitrary input: nothing panics, offsets land on char boundaries, collapsing
//! is idempotent.

use presswatch_text::{
    collapse_visible, collapse_whitespace, decode_text_entities, ends_clause, ends_sentence, entities,
    is_collapsed_visible, push_collapsed, word_count, Script,
};
use proptest::prelude::*;

/// Text with the interesting characters over-represented.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{200b}".to_string()),
        Just("&amp;".to_string()),
        Just("&#x201C;".to_string()),
        Just("&".to_string()),
        Just(".".to_string()),
        Just("。".to_string()),
        Just("中文".to_string()),
        Just("word".to_string()),
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn collapsing_is_idempotent_and_canonical(s in text()) {
        let c = collapse_whitespace(&s);
        prop_assert_eq!(&collapse_whitespace(&c), &c);
        prop_assert!(!c.starts_with(' ') && !c.ends_with(' ') && !c.contains("  "));
        prop_assert_eq!(word_count(&c), word_count(&s));
        let v = collapse_visible(&s);
        prop_assert_eq!(&collapse_visible(&v), &v);
        prop_assert!(is_collapsed_visible(&v));
        prop_assert_eq!(is_collapsed_visible(&s), v == s);
    }

    #[test]
    fn pushing_pieces_collapses_like_the_whole(a in text(), b in text()) {
        let mut out = String::new();
        push_collapsed(&mut out, &a);
        push_collapsed(&mut out, &b);
        prop_assert_eq!(out.trim_end_matches(' '), collapse_whitespace(&format!("{a}{b}")));
    }

    #[test]
    fn decoding_never_panics(s in text()) {
        let _ = decode_text_entities(&s);
        let mut out = String::new();
        entities::decode_into(&mut out, &s, false, true);
        entities::decode_into(&mut out, &s, true, false);
        let _ = ends_sentence(&s) || ends_clause(&s);
        let _ = s.chars().filter(|&c| Script::of(c).is_dense()).count();
    }
}
