//! Normalised keys of names: spelling and transliteration variants of one name share a key
//! (Zelensky, Zelenskyy, Zelenskiy, Selenskyj, Зеленский and Зеленський are all `selenski`),
//! and the id of an entity is derived from its type and key.

use presswatch_model::EntityType;
pub use presswatch_text::within_one_edit;

/// Latin spellings of Cyrillic letters (Russian and Ukrainian), lowercase.
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'і' => "i",
        'ї' => "i",
        'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// Latin letters with diacritics, folded.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'ś' | 'š' | 'ş' => 's',
        'ź' | 'ż' | 'ž' => 'z',
        'ł' => 'l',
        'ř' => 'r',
        'ß' => 's',
        c => c,
    }
}

/// The normalised key of a name: transliterated to Latin, lowercase, diacritics folded, and the
/// letters transliteration systems disagree on merged (y/j -> i, w -> v, z -> s, c/q -> k,
/// kh/ch -> h, ph -> f), doubled letters single, everything but letters and single spaces
/// dropped.
pub fn name_key(name: &str) -> String {
    // Transliterated, lowercase, folded letters; other characters as a space.
    let mut latin: Vec<char> = Vec::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if let Some(s) = cyrillic(c) {
            latin.extend(s.chars());
        } else if c.is_alphabetic() {
            latin.push(fold(c));
        } else if c.is_whitespace() || c == '-' {
            latin.push(' ');
        }
    }
    let mut out = String::with_capacity(latin.len());
    let mut last = ' ';
    let mut i = 0;
    while i < latin.len() {
        // Digraphs first: "sch" and "sh" -> s+h, "kh" and "ch" -> h, "ph" -> f.
        let next = latin.get(i + 1).copied();
        let (c, used) = match (latin[i], next) {
            ('s', Some('c')) if latin.get(i + 2) == Some(&'h') => ('s', 2),
            ('k' | 'c', Some('h')) => ('h', 2),
            ('p', Some('h')) => ('f', 2),
            (c, _) => (c, 1),
        };
        i += used;
        let c = match c {
            'y' | 'j' => 'i',
            'w' => 'v',
            'z' => 's',
            'c' | 'q' => 'k',
            c => c,
        };
        if c == last {
            continue;
        }
        out.push(c);
        last = c;
    }
    out.trim().to_string()
}

/// A stable 64-bit hash of a string (FNV-1a, then `mix`): ids are persisted, so it never changes.
fn stable_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    presswatch_text::mix(h)
}

/// The document-derived id of an entity of type `kind` whose name has key `key`: 16 hex digits.
pub fn entity_id(kind: EntityType, key: &str) -> String {
    format!("{:016x}", stable_hash(&format!("{}:{}", kind.as_str(), key)))
}

/// The one-deletion variants of `key` (each with one character left out): two keys one edit
/// apart share one of them (or one is the other's), which is how a store finds typos by lookup.
pub fn deletions(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut out: Vec<String> = (0..chars.len())
        .map(|i| chars.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, c)| *c).collect())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_variants_share_a_key() {
        let k = name_key("Zelensky");
        for v in ["Zelenskyy", "Zelenskiy", "Selenskyj", "Зеленский", "Зеленський", "ZELENSKY"]
        {
            assert_eq!(name_key(v), k, "{v}");
        }
        assert_eq!(name_key("Wladimir Putin"), name_key("Владимир Путин"));
        assert_eq!(name_key("Vladimir Putin"), name_key("Владимир Путин"));
        assert_ne!(name_key("Putin"), name_key("Biden"));
        assert_eq!(name_key("Kharkiv"), name_key("Charkiw"));
    }

    #[test]
    fn deletions_and_ids() {
        assert!(deletions("blinken").contains(&"blnken".to_string()));
        assert_eq!(entity_id(EntityType::Person, "x").len(), 16);
        assert_ne!(entity_id(EntityType::Person, "x"), entity_id(EntityType::Place, "x"));
    }
}
