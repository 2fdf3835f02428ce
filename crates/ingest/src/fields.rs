//! Scraper field names to [`Metadata`] hints, shared by JSON records and front matter.

use presswatch_model::Metadata;

/// A field value reduced to what hints need: text, or a list of texts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Str(String),
    List(Vec<String>),
}

impl Value {
    fn first(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::List(l) => l.first().cloned(),
        }
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
    }

    /// A list; a single string is split on commas when `split`.
    fn list(&self, split: bool) -> Vec<String> {
        let items: Vec<String> = match self {
            Value::Str(s) if split => s.split([',', ';']).map(str::to_string).collect(),
            Value::Str(s) => vec![s.clone()],
            Value::List(l) => l.clone(),
        };
        items.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
    }
}

/// Lowercases and unifies `-`/`_`/`camelCase` so `datePublished`, `date-published` and
/// `date_published` are one key.
pub(crate) fn normalize_key(key: &str) -> String {
    key.trim().chars().filter(|c| *c != '_' && *c != '-' && *c != ' ').collect::<String>().to_lowercase()
}

const TITLE: &[&str] = &["title", "headline"];
const PUBLISHED: &[&str] = &[
    "published",
    "date",
    "datepublish",
    "datepublished",
    "pubdate",
    "publishdate",
    "publisheddate",
    "publishedat",
    "publicationdate",
    "createdat",
];
const AUTHORS: &[&str] = &["authors", "author", "byline", "creator", "creators"];
const OUTLET: &[&str] = &[
    "source",
    "site",
    "outlet",
    "publisher",
    "sitename",
    "sourcedomain",
    "domain",
    "sourcename",
    "newspaper",
];
const URL: &[&str] =
    &["url", "link", "canonicalurl", "canonical", "sourceurl", "articleurl", "permalink", "uri"];
const SECTION: &[&str] = &["section", "category"];
const CATEGORIES: &[&str] = &["categories"];
const TAGS: &[&str] = &["tags", "keywords"];
const LANGUAGE: &[&str] = &["language", "lang", "inlanguage", "locale"];
const DESCRIPTION: &[&str] = &["description", "summary", "excerpt", "lead", "subtitle", "abstract"];
const IMAGE: &[&str] = &["image", "topimage", "imageurl", "thumbnail", "featuredimage", "cover", "ogimage"];

/// Builds hints from `(normalized key, value)` pairs; the first key of each list that has a
/// usable value wins, in the list's order.
pub(crate) fn hints(fields: &[(String, Value)]) -> Metadata {
    let get = |keys: &[&str]| -> Option<&Value> {
        keys.iter().find_map(|k| fields.iter().find(|(fk, v)| fk == k && v.first().is_some()).map(|(_, v)| v))
    };
    let one = |keys: &[&str]| get(keys).and_then(Value::first);
    let mut meta = Metadata {
        title: one(TITLE),
        published: one(PUBLISHED),
        authors: get(AUTHORS).map(|v| v.list(false)).unwrap_or_default(),
        outlet: one(OUTLET),
        url: one(URL),
        section: one(SECTION),
        categories: get(CATEGORIES).map(|v| v.list(false)).unwrap_or_default(),
        tags: get(TAGS).map(|v| v.list(true)).unwrap_or_default(),
        language: one(LANGUAGE),
        description: one(DESCRIPTION),
        image: one(IMAGE),
        warc_record_id: None,
    };
    // `category` as a list is categories, not a section.
    if let Some(Value::List(l)) = get(SECTION) {
        if meta.categories.is_empty() && l.len() > 1 {
            meta.categories = Value::List(l.clone()).list(false);
            meta.section = None;
        }
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_common_names() {
        let f = vec![
            (normalize_key("datePublished"), Value::Str("2021-03-20".into())),
            (normalize_key("headline"), Value::Str(" T ".into())),
            (normalize_key("keywords"), Value::Str("a, b,,c".into())),
            (normalize_key("author"), Value::List(vec!["X".into(), "Y".into()])),
            (normalize_key("top_image"), Value::Str("http://i".into())),
        ];
        let m = hints(&f);
        assert_eq!(m.published.as_deref(), Some("2021-03-20"));
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(m.tags, vec!["a", "b", "c"]);
        assert_eq!(m.authors, vec!["X", "Y"]);
        assert_eq!(m.image.as_deref(), Some("http://i"));
    }
}
