//! Small named values of an article: its language and its outlet.
//!
//! Both were plain strings; as types they say what they hold, and a function that wants a
//! language cannot be handed an outlet. Both serialize as the plain string, so the export format
//! is unchanged.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The string reads of a name type: `Deref` to `str` (so `Option<T>::as_deref()` gives an
/// `Option<&str>`), `Display`, and comparison with string slices.
macro_rules! string_name {
    ($t:ident) => {
        impl std::ops::Deref for $t {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// A language as an ISO 639-1 code (`en`, `de`, `uk`), or ISO 639-3 where a language has no
/// two-letter code. Always lowercase ASCII letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Language(String);

impl Language {
    /// The language with this code (any case), or `None` if it is not 2 or 3 ASCII letters.
    pub fn new(code: &str) -> Option<Language> {
        let ok = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphabetic());
        ok.then(|| Language(code.to_ascii_lowercase()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_name!(Language);

/// The outlet that published an article, by its display name ("CGTN", "Kyiv Post"); when a page
/// names none, the site's registrable domain stands in for it. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Outlet(String);

impl Outlet {
    /// The outlet named `name` (trimmed), or `None` if that leaves nothing.
    pub fn new(name: &str) -> Option<Outlet> {
        let name = name.trim();
        (!name.is_empty()).then(|| Outlet(name.to_string()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_name!(Outlet);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_checked_and_lowercased() {
        assert_eq!(Language::new("EN").unwrap(), "en");
        assert_eq!(Language::new("ukr").unwrap().as_str(), "ukr");
        assert!(Language::new("en-US").is_none());
        assert!(Language::new("").is_none());
        assert_eq!(Outlet::new("  CGTN ").unwrap(), "CGTN");
        assert!(Outlet::new("  ").is_none());
    }
}
