//! The fingerprint keys are persisted (the index's postings): a change to how texts are
//! tokenized or keyed must not change one of them. Pinned on the seeds and on texts that take
//! every path (short, under and over the dense threshold, scripts without spaces, and a text
//! long enough to be keyed a piece at a time).

use presswatch_provenance::fingerprint::{keys, keys_of_text};
use presswatch_provenance::text::{mix, tokenize};

/// Texts whose keys are pinned.
fn texts() -> Vec<String> {
    let seeds: Vec<String> = crate::common::seeds().into_iter().map(|a| a.text).collect();
    let mut texts = seeds.clone();
    texts.extend(
        [
            "",
            "Hello",
            "Hello, world: two words",
            "Blinken met Lavrov in Geneva. The U.S. said 3.5 things!\n\nNeue Straße, ÉTÉ député; 東京で会議が開かれた。Он сказал: «нет». don't stop—now",
            "俄罗斯总统普京周二在莫斯科会见了来访的中国国家主席，双方讨论了乌克兰局势和能源合作等问题。",
        ]
        .map(String::from),
    );
    // Over a megabyte: more than a piece, and more than a text whose tokens are kept.
    let mut long = String::new();
    let mut n = 0u64;
    while long.len() < 1_500_000 {
        let seed = &seeds[(n % seeds.len() as u64) as usize];
        long.push_str(&format!("Part {n}. "));
        long.push_str(seed);
        long.push_str("\n\n");
        n += 1;
    }
    texts.push(long);
    texts
}

/// What the keys of [`texts`] hashed to before tokens were made smaller and long texts keyed a
/// piece at a time (computed with that code).
const PINNED: [u64; 11] = [
    1872030957097676984,
    10517931648840638505,
    11822704578264211364,
    15298623715459015713,
    7485939902275783438,
    7,
    5131885474728994418,
    11186298910679483208,
    14315253543930510314,
    14922881613676394891,
    11995990511268473630,
];

fn sum(keys: &[u64]) -> u64 {
    keys.iter().fold(7u64, |h, k| mix(h ^ k))
}

#[test]
fn keys_are_the_ones_persisted_before() {
    let texts = texts();
    let sums: Vec<u64> = texts.iter().map(|t| sum(&keys(&tokenize(t)))).collect();
    assert_eq!(sums, PINNED);
    // Keyed a piece at a time, without all the tokens: the same keys.
    let sums: Vec<u64> = texts.iter().map(|t| sum(&keys_of_text(t))).collect();
    assert_eq!(sums, PINNED);
}
