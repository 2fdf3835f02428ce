//! Tokenizing and sentence splitting over arbitrary input: never panics, every range lands on a
//! char boundary and inside the text, sentences cover their tokens in order.

use presswatch_provenance::text::{tokenize, MAX_SENTENCE_TOKENS};
use proptest::prelude::*;

/// Text with word characters, CJK, Thai, Hangul, sentence ends and line breaks over-represented.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just(". ".to_string()),
        Just("U.S.".to_string()),
        Just("J. ".to_string()),
        Just("。".to_string()),
        Just("中文".to_string()),
        Just("ภาษาไทย".to_string()),
        Just("한국어".to_string()),
        Just("İstanbul".to_string()),
        Just("word".to_string()),
        Just("\"".to_string()),
        Just(";".to_string()),
    ];
    proptest::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn offsets_land_on_boundaries(s in text()) {
        let t = tokenize(&s);
        let chars = s.chars().count();
        prop_assert_eq!(t.char_len, chars);
        for (i, tok) in t.tokens.iter().enumerate() {
            prop_assert!(tok.chars().0 < tok.chars().1 && tok.chars().1 as usize <= chars);
            let (a, b) = t.norm_range(i);
            prop_assert!(t.norm.is_char_boundary(a) && t.norm.is_char_boundary(b) && a < b);
            prop_assert!(!t.token_str(tok).is_empty());
        }
        let mut next_tok = 0u32;
        for sen in &t.sentences {
            prop_assert_eq!(sen.tokens.0, next_tok);
            prop_assert!(!sen.is_empty() && sen.len() <= MAX_SENTENCE_TOKENS);
            prop_assert!(sen.chars.0 <= sen.chars.1 && sen.chars.1 as usize <= chars);
            next_tok = sen.tokens.1;
        }
        prop_assert_eq!(next_tok as usize, t.tokens.len());
    }
}
