//! Script classes: the one answer to "is this character Han, Kana, Hangul or Thai?".
//!
//! Stages ask different questions of a script (is it written without spaces? does one
//! character carry a syllable or more?), so [`Script`] names the script and its methods answer
//! the questions; the ranges live here only.

/// The scripts whose characters the pipeline treats differently from alphabets written with
/// spaces. Everything else (Latin, Cyrillic, Arabic, digits, punctuation...) is [`Script::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Chinese characters (CJK unified ideographs, extensions A and B.., compatibility ideographs).
    Han,
    /// Japanese Hiragana and Katakana.
    Kana,
    /// Korean: Hangul syllables and conjoining Jamo.
    Hangul,
    /// Thai.
    Thai,
    /// Any other character.
    Other,
}

impl Script {
    /// The script of `c`.
    #[inline]
    pub fn of(c: char) -> Script {
        match c as u32 {
            // Everything below Thai (ASCII, Latin, Cyrillic, Arabic, Indic...) is answered first.
            0..=0x0DFF => Script::Other,
            0x0E00..=0x0E7F => Script::Thai,
            0x1100..=0x11FF | 0xAC00..=0xD7AF => Script::Hangul,
            0x3040..=0x30FF => Script::Kana,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Han,
            _ => Script::Other,
        }
    }

    /// Written without spaces between words (Han, Kana, Thai): word boundaries are not in the
    /// text, so each character is its own token. Korean is written with spaces.
    #[inline]
    pub fn is_unspaced(self) -> bool {
        matches!(self, Script::Han | Script::Kana | Script::Thai)
    }

    /// CJK (Han, Kana, Hangul): one character is a syllable or more, so it carries about as much
    /// as a short word elsewhere (language-detection weights).
    #[inline]
    pub fn is_cjk(self) -> bool {
        matches!(self, Script::Han | Script::Kana | Script::Hangul)
    }

    /// Dense (CJK or Thai): a character carries more than a letter of an alphabet written with
    /// spaces, so it weighs more in content densities.
    #[inline]
    pub fn is_dense(self) -> bool {
        self != Script::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(Script::of('a'), Script::Other);
        assert_eq!(Script::of('中'), Script::Han);
        assert_eq!(Script::of('か'), Script::Kana);
        assert_eq!(Script::of('한'), Script::Hangul);
        assert_eq!(Script::of('ไ'), Script::Thai);
        assert!(Script::Thai.is_unspaced() && !Script::Thai.is_cjk() && Script::Thai.is_dense());
        assert!(!Script::Hangul.is_unspaced() && Script::Hangul.is_cjk());
        assert!(!Script::Other.is_dense());
    }
}
