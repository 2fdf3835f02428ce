//! Page metadata from HTML: `<meta>` tags, JSON-LD, `<title>`, `<link>`, `<time>`, bylines.
//!
//! Each field keeps candidates by source; [`MetaCollector::finish`] picks the most reliable one
//! (JSON-LD and Open Graph before generic tags, before text found in the body).

use crate::util::contains_ascii_ci;
use presswatch_html::{Document, NodeId};
use presswatch_model::Metadata;
use presswatch_text::{collapse_whitespace as collapse_ws, word_count};
use serde_json::Value;

#[derive(Default)]
pub(crate) struct MetaCollector {
    og_title: Option<String>,
    twitter_title: Option<String>,
    ld: Metadata,
    /// Whether `ld` came from an Article-like object (more reliable than WebPage).
    ld_is_article: bool,
    h1: Option<String>,
    title_tag: Option<String>,
    published_meta: Option<String>,
    published_prop: Option<String>,
    published_item: Option<String>,
    time_datetime: Option<String>,
    /// Visible date text from a date-like element (`<span class="date">Nov 20, 2019</span>`).
    date_text: Option<String>,
    /// A visible date met before the first <h1>, inside header-like boxes (and those boxes): the
    /// site header's "today" date, unless the <h1> turns out to sit in one of them (an article
    /// header). Used only when no other visible date is found.
    date_text_early: Option<(String, Vec<NodeId>)>,
    author_meta: Vec<String>,
    author_prop: Vec<String>,
    author_item: Vec<String>,
    author_rel: Vec<String>,
    author_byline: Vec<String>,
    outlet_og: Option<String>,
    outlet_app: Option<String>,
    url_canonical: Option<String>,
    url_og: Option<String>,
    section: Option<String>,
    tags_prop: Vec<String>,
    keywords: Vec<String>,
    lang_html: Option<String>,
    lang_og: Option<String>,
    lang_http: Option<String>,
    desc_og: Option<String>,
    desc_meta: Option<String>,
    image_og: Option<String>,
    image_tw: Option<String>,
}

fn set(slot: &mut Option<String>, v: &str) {
    let v = collapse_ws(v);
    if slot.is_none() && !v.is_empty() {
        *slot = Some(v);
    }
}

fn push_unique(list: &mut Vec<String>, v: &str) {
    let v = collapse_ws(v);
    if !v.is_empty() && !list.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
        list.push(v);
    }
}

fn is_url(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//") || s.starts_with('/')
}

/// Strips a leading "By " / "Von " / "Par " / "Por " / "Autor: " from a byline.
fn strip_by(s: &str) -> String {
    let t = collapse_ws(s);
    for p in ["by ", "von ", "par ", "por ", "di ", "door ", "autor: ", "author: ", "autor ", "текст: "]
    {
        // Compare lowercased: the prefix may be non-ASCII ("Текст:").
        if t.len() > p.len() && t.get(..p.len()).is_some_and(|h| h.to_lowercase() == p) {
            return t.get(p.len()..).unwrap_or("").trim().to_string();
        }
    }
    t
}

impl MetaCollector {
    /// Looks at one element on the way down. `byline_class` is true when its class/id names a
    /// byline or author element.
    pub(crate) fn on_element(&mut self, doc: &Document, id: NodeId, tag: &str, byline_class: bool) {
        match tag {
            "meta" => self.on_meta(doc, id),
            "link" => {
                let rel = doc.attr(id, "rel").unwrap_or("");
                if rel.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("canonical")) {
                    if let Some(h) = doc.attr(id, "href") {
                        set(&mut self.url_canonical, h);
                    }
                }
            }
            "script" => {
                let ty = doc.attr(id, "type").unwrap_or("");
                if ty.eq_ignore_ascii_case("application/ld+json") {
                    if let Some(text) = doc.first_child(id).and_then(|c| doc.text(c)) {
                        self.on_json_ld(text);
                    }
                }
            }
            "title" if self.title_tag.is_none() => {
                let t = doc.text_content(id);
                set(&mut self.title_tag, &t);
            }
            "html" => {
                if let Some(l) = doc.attr(id, "lang").or_else(|| doc.attr(id, "xml:lang")) {
                    set(&mut self.lang_html, l);
                }
            }
            "h1" if self.h1.is_none() => {
                let t = doc.text_content(id);
                set(&mut self.h1, &t);
                // The early date's box holds the headline too: it is the article's header.
                if let Some((_, boxes)) = &self.date_text_early {
                    if self.date_text.is_none() && doc.ancestors(id).any(|a| boxes.contains(&a)) {
                        self.date_text = self.date_text_early.take().map(|(d, _)| d);
                    }
                }
            }
            "time" if self.time_datetime.is_none() => {
                if let Some(d) = doc.attr(id, "datetime") {
                    set(&mut self.time_datetime, d);
                }
            }
            "a" if self.author_rel.len() < 4
                && doc.attr(id, "rel").is_some_and(|r| r.eq_ignore_ascii_case("author"))
                && !in_side_content(doc, id) =>
            {
                let t = doc.text_content(id);
                push_unique(&mut self.author_rel, &trim_byline(&t));
            }
            _ => {}
        }
        if self.date_text.is_none() && is_date_element(doc, id, tag) && !in_side_content(doc, id) {
            let t = if tag == "input" {
                doc.attr(id, "value").unwrap_or("").to_string()
            } else {
                doc.text_content(id)
            };
            if let Some(d) = date_span(&t) {
                let boxes = if self.h1.is_none() { header_boxes(doc, id) } else { Vec::new() };
                if boxes.is_empty() {
                    self.date_text = Some(d);
                } else if self.date_text_early.is_none() {
                    self.date_text_early = Some((d, boxes));
                }
            }
        }
        // `itemprop` may list several properties ("author creator").
        let props = doc.attr(id, "itemprop").unwrap_or("");
        let prop = props
            .split_ascii_whitespace()
            .find(|p| matches!(*p, "datePublished" | "author" | "creator"))
            .unwrap_or(props);
        if !prop.is_empty() {
            match prop {
                "datePublished" => {
                    let v = doc.attr(id, "content").or_else(|| doc.attr(id, "datetime"));
                    match v {
                        Some(v) => set(&mut self.published_item, v),
                        None => {
                            let t = doc.text_content(id);
                            set(&mut self.published_item, &t);
                        }
                    }
                }
                "author" | "creator"
                    if self.author_item.len() < 4 && tag != "meta" && !in_side_content(doc, id) =>
                {
                    // The name may sit in a nested itemprop=name; take the element text.
                    let t =
                        doc.attr(id, "content").map(str::to_string).unwrap_or_else(|| doc.text_content(id));
                    let t = trim_byline(&t);
                    if t.chars().count() <= 80 {
                        push_unique(&mut self.author_item, &t);
                    }
                }
                _ => {}
            }
        }
        if byline_class
            && self.author_byline.is_empty()
            && matches!(tag, "span" | "a" | "div" | "p" | "address")
            && !in_side_content(doc, id)
        {
            let t = doc.text_content(id);
            let t = trim_byline(&t);
            let words = word_count(&t);
            if (1..=8).contains(&words) && t.chars().any(char::is_alphabetic) {
                push_unique(&mut self.author_byline, &t);
            }
        }
    }

    fn on_meta(&mut self, doc: &Document, id: NodeId) {
        let Some(content) = doc.attr(id, "content") else { return };
        let key = doc
            .attr(id, "property")
            .or_else(|| doc.attr(id, "name"))
            .or_else(|| doc.attr(id, "itemprop"))
            .or_else(|| doc.attr(id, "http-equiv"))
            .unwrap_or("");
        let key = key.to_ascii_lowercase();
        match key.as_str() {
            "og:title" => set(&mut self.og_title, content),
            "twitter:title" | "parsely-title" => set(&mut self.twitter_title, content),
            "article:published_time" | "og:published_time" | "article:published" => {
                set(&mut self.published_prop, content)
            }
            "date"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "publish_date"
            | "dc.date"
            | "dc.date.issued"
            | "dcterms.created"
            | "dcterms.date"
            | "sailthru.date"
            | "parsely-pub-date"
            | "article.published"
            | "datepublished"
            | "originalpublicationdate"
            | "cxenseparse:recs:publishtime" => set(&mut self.published_meta, content),
            "author" | "dc.creator" | "sailthru.author" | "parsely-author" if !is_url(content) => {
                push_unique(&mut self.author_meta, content)
            }
            "article:author" if !is_url(content) => push_unique(&mut self.author_prop, content),
            "og:site_name" => set(&mut self.outlet_og, content),
            "application-name" => set(&mut self.outlet_app, content),
            "og:url" => set(&mut self.url_og, content),
            "article:section" => set(&mut self.section, content),
            "article:tag" => push_unique(&mut self.tags_prop, content),
            "keywords" | "news_keywords" if self.keywords.is_empty() => {
                for k in content.split([',', ';']) {
                    push_unique(&mut self.keywords, k);
                }
            }
            "og:locale" => set(&mut self.lang_og, content),
            "content-language" | "language" | "dc.language" => set(&mut self.lang_http, content),
            "og:description" => set(&mut self.desc_og, content),
            "description" | "twitter:description" => set(&mut self.desc_meta, content),
            "og:image" | "og:image:url" | "og:image:secure_url" => set(&mut self.image_og, content),
            "twitter:image" | "twitter:image:src" => set(&mut self.image_tw, content),
            _ => {}
        }
    }

    /// Reads one JSON-LD script; broken JSON is skipped.
    fn on_json_ld(&mut self, text: &str) {
        let text = unwrap_script(text);
        let v = match serde_json::from_str::<Value>(text) {
            Ok(v) => v,
            // Hand-written JSON-LD often has trailing commas or raw newlines inside strings.
            Err(_) => match serde_json::from_str::<Value>(&repair_json(text)) {
                Ok(v) => v,
                Err(_) => {
                    tracing::debug!("skipping unparsable JSON-LD");
                    return;
                }
            },
        };
        // Walk iteratively through arrays, @graph and nested objects (bounded).
        let mut stack: Vec<&Value> = vec![&v];
        let mut seen = 0;
        while let Some(v) = stack.pop() {
            seen += 1;
            if seen > 500 {
                break;
            }
            match v {
                Value::Array(a) => stack.extend(a.iter().rev()),
                Value::Object(o) => {
                    if let Some(g) = o.get("@graph") {
                        stack.push(g);
                    }
                    let types = type_names(o.get("@type"));
                    // ClaimReview / Review objects carry the page's own date and author too.
                    let article = types.iter().any(|t| {
                        let t = t.to_ascii_lowercase();
                        t.contains("article")
                            || t == "report"
                            || t.contains("posting")
                            || t == "review"
                            || t == "claimreview"
                    });
                    // WebPage and its subtypes (MedicalWebPage, ItemPage, ...).
                    let page = types.iter().any(|t| t.to_ascii_lowercase().ends_with("webpage"));
                    if article && !self.ld_is_article {
                        // An Article object overrides what a WebPage object gave.
                        self.ld = Metadata::default();
                        self.ld_is_article = true;
                        read_ld_object(o, &mut self.ld);
                    } else if article || (page && !self.ld_is_article) {
                        read_ld_object(o, &mut self.ld);
                    }
                }
                _ => {}
            }
        }
    }

    pub(crate) fn h1(&self) -> Option<&str> {
        self.h1.as_deref()
    }

    pub(crate) fn finish(self) -> Metadata {
        let MetaCollector {
            og_title,
            twitter_title,
            ld,
            h1,
            title_tag,
            published_meta,
            published_prop,
            published_item,
            time_datetime,
            date_text,
            date_text_early,
            author_meta,
            author_prop,
            author_item,
            author_rel,
            author_byline,
            outlet_og,
            outlet_app,
            url_canonical,
            url_og,
            section,
            tags_prop,
            keywords,
            lang_html,
            lang_og,
            lang_http,
            desc_og,
            desc_meta,
            image_og,
            image_tw,
            ..
        } = self;
        let outlet = outlet_og.or(ld.outlet.clone()).or(outlet_app);
        let stripped_title = title_tag.as_deref().map(|t| strip_site_suffix(t, outlet.as_deref()));
        // A social title that the page's own headline repeats in full has no site suffix, even
        // when it ends in a short " – ‘quote’" part.
        let h1_key = h1.as_deref().map(crate::util::loose_key).filter(|k| !k.is_empty());
        let strip_social = |t: String| {
            if h1_key.as_deref() == Some(crate::util::loose_key(&t).as_str()) {
                t
            } else {
                strip_site_suffix(&t, outlet.as_deref())
            }
        };
        // The page's own headline (JSON-LD, then the first <h1>) is taken over <title> only when
        // the two agree: a JSON-LD `headline` can be a one-line description (encyclopedia
        // pages), and the first <h1> a section's or a template's ("Allergies Health Center").
        let agrees = |candidate: &String| {
            stripped_title
                .as_deref()
                .is_none_or(|t| is_generic_title(t, outlet.as_deref()) || titles_agree(candidate, t))
        };
        let title = og_title
            .map(strip_social)
            .or(twitter_title.map(strip_social))
            .or(ld.title.clone().filter(agrees))
            .or(h1.filter(agrees))
            .or(stripped_title);
        let pick_list =
            |lists: [Vec<String>; 6]| lists.into_iter().find(|l| !l.is_empty()).unwrap_or_default();
        let authors =
            pick_list([ld.authors.clone(), author_meta, author_prop, author_item, author_rel, author_byline]);
        let mut tags = tags_prop;
        if tags.is_empty() {
            tags = ld.tags.clone();
        }
        if tags.is_empty() {
            tags = keywords;
        }
        Metadata {
            title,
            // JSON-LD first (docs/schema.md): `article:published_time` is, on some sites, the
            // time of the last edit.
            published: ld
                .published
                .clone()
                .or(published_prop)
                .or(published_meta)
                .or(published_item)
                .or(time_datetime)
                .or(date_text)
                .or(date_text_early.map(|(d, _)| d)),
            authors,
            outlet,
            url: url_canonical.or(url_og).or(ld.url.clone()),
            section: section.or(ld.section.clone()),
            categories: Vec::new(),
            tags,
            language: lang_html.or(lang_http).or(lang_og).or(ld.language.clone()),
            description: desc_og.or(desc_meta).or(ld.description.clone()),
            image: image_og.or(image_tw).or(ld.image.clone()),
            warc_record_id: None,
        }
    }
}

/// Drops an HTML comment or CDATA wrapper some sites put around JSON-LD.
fn unwrap_script(text: &str) -> &str {
    let mut t = text.trim();
    for (open, close) in [("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")] {
        if let Some(inner) = t.strip_prefix(open) {
            t = inner.strip_suffix(close).unwrap_or(inner).trim();
        }
    }
    t
}

/// Repairs the two most common JSON-LD mistakes: a comma before `]`/`}`, and raw control
/// characters (newlines, tabs) inside strings. Everything else is left for the parser to reject.
fn repair_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_str = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_str {
            if escaped {
                escaped = false;
                out.push(c);
            } else if c == '\\' {
                escaped = true;
                out.push(c);
            } else if c == '"' {
                in_str = false;
                out.push(c);
            } else if c.is_control() {
                out.push(' ');
            } else {
                out.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            ',' => {
                // Look past whitespace: a closing bracket means the comma is trailing.
                let rest: String = chars.clone().take_while(|x| x.is_whitespace()).collect();
                let next = chars.clone().nth(rest.chars().count());
                if !matches!(next, Some(']' | '}')) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The header-like boxes around `id`, nearest first: a <header>, or a class/id naming a header,
/// masthead or top bar.
fn header_boxes(doc: &Document, id: NodeId) -> Vec<NodeId> {
    doc.ancestors(id)
        .take(60)
        .filter(|&n| match doc.tag(n) {
            Some("header") => true,
            Some("html" | "body") | None => false,
            Some(_) => names_token(doc, n, |t| {
                ["header", "masthead", "topbar", "top-bar"]
                    .iter()
                    .any(|w| contains_ascii_ci(t.as_bytes(), w.as_bytes()))
            }),
        })
        .collect()
}

/// Whether a class or id token of `n` satisfies `pred`.
fn names_token(doc: &Document, n: NodeId, pred: impl Fn(&str) -> bool) -> bool {
    ["class", "id"].iter().any(|a| doc.attr(n, a).is_some_and(|v| v.split_ascii_whitespace().any(&pred)))
}

/// True inside comments, sidebars, related-article lists, forms, asides and navigation: names
/// and dates there belong to other texts (commenters, teasers). `<html>`/`<body>` classes are
/// layout flags (`one-sidebar`, `comments-open`) and are not looked at.
fn in_side_content(doc: &Document, id: NodeId) -> bool {
    std::iter::once(id).chain(doc.ancestors(id)).take(60).any(|n| match doc.tag(n) {
        Some("html" | "body") | None => false,
        Some("aside" | "nav" | "form") => true,
        Some(_) => names_token(doc, n, is_side_token),
    })
}

/// A class/id token naming a comment, sidebar or related-links box; layout flags that merely
/// mention one (`has-sidebar`, `comments-open`, `sidebar-left`, `comment-count`) are not.
fn is_side_token(token: &str) -> bool {
    let t = token.as_bytes();
    let has = |needle: &str| contains_ascii_ci(t, needle.as_bytes());
    // The side words first, in one pass: most tokens name none, and then the layout words do
    // not matter.
    let at = |i: usize, w: &str| t.get(i..i + w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w.as_bytes()));
    let side = t.iter().enumerate().any(|(i, b)| match b.to_ascii_lowercase() {
        b'c' => at(i, "comment"),
        b's' => at(i, "sidebar"),
        b'r' => at(i, "related") || at(i, "respond"),
        _ => false,
    });
    if !side {
        return false;
    }
    let layout = ["has-", "with-", "no-", "one-", "two-"]
        .iter()
        .any(|p| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes())))
        || ["open", "closed", "count", "status", "left", "right", "number", "link", "icon", "button"]
            .iter()
            .any(|w| has(w));
    !layout
}

/// An element whose class or id names a date (`date`, `pubdate`, `timestamp`, `posted-on`...),
/// or a `<time>` without a `datetime` attribute.
fn is_date_element(doc: &Document, id: NodeId, tag: &str) -> bool {
    if tag == "time" {
        return doc.attr(id, "datetime").is_none();
    }
    if !matches!(tag, "span" | "div" | "p" | "time" | "li" | "small" | "em" | "i" | "b" | "strong" | "input")
    {
        return false;
    }
    ["class", "id"].iter().any(|a| {
        doc.attr(id, a).is_some_and(|v| {
            // One case-insensitive pass that notes which words start where, instead of a
            // lowercased copy and eight searches.
            let v = v.as_bytes();
            let at = |i: usize, w: &str| {
                v.get(i..i + w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w.as_bytes()))
            };
            let (mut date, mut excluded, mut other) = (false, false, false);
            for (i, b) in v.iter().enumerate() {
                match b.to_ascii_lowercase() {
                    b'd' if at(i, "date") => {
                        date = true;
                        other |= at(i, "datetime");
                    }
                    b'u' => excluded |= at(i, "update"),
                    b'v' => excluded |= at(i, "validate"),
                    b't' => other |= at(i, "timestamp"),
                    b'p' => other |= at(i, "posted") || at(i, "published") || at(i, "pubtime"),
                    _ => {}
                }
            }
            (date && !excluded) || other
        })
    })
}

/// Month and weekday names (lowercase prefixes) in the languages news comes in most; used to
/// find where a date starts in a byline or a date line.
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "märz", "mai", "okt",
    "dez", "janv", "févr", "avr", "juil", "août", "aout", "déc", "ene", "abr", "ago", "dic", "gen", "magg",
    "giu", "lug", "sett", "ott", "mei", "stycz", "lut", "kwie", "maj", "czerw", "lip", "sierp", "wrze",
    "paźdz", "listop", "grud", "янв", "фев", "мар", "апр", "мая", "май", "июн", "июл", "авг", "сен", "окт",
    "ноя", "дек",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn is_month(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    w.chars().count() >= 3 && MONTHS.iter().any(|m| w.starts_with(m))
}

fn is_weekday(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    w.chars().count() >= 3 && WEEKDAYS.iter().any(|m| w.starts_with(m))
}

/// A 4-digit year 1990..=2039 inside a token (`2019`, `2019-11-18`, `18.11.2019`, `2019年`).
fn has_year(word: &str) -> bool {
    let digits: Vec<&str> = word.split(|c: char| !c.is_ascii_digit()).filter(|d| !d.is_empty()).collect();
    digits.iter().any(|d| d.len() == 4 && d.parse::<u32>().is_ok_and(|y| (1990..=2039).contains(&y)))
}

/// The date part of a short visible date line: `Posted on Monday, November 18, 2019 at 9am`
/// gives `November 18, 2019`; `19 NOV 2019` and `2019-11-18 23:41` stay whole dates.
/// `None` when the text is long or holds no year.
fn date_span(text: &str) -> Option<String> {
    let t = collapse_ws(text);
    let words: Vec<&str> = t.split(' ').collect();
    if t.is_empty() || words.len() > 14 || t.chars().count() > 100 {
        return None;
    }
    let y = words.iter().position(|w| has_year(w))?;
    let year_word = words.get(y)?;
    // A year token that is a whole numeric date (`2019-11-18`, `18.11.2019`).
    if year_word.chars().filter(char::is_ascii_digit).count() >= 6 {
        let mut out = year_word.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        // Keep a following clock time: it fixes the day in the page's zone.
        if let Some(next) = words.get(y + 1).filter(|w| w.contains(':') && w.len() <= 8) {
            out.push(' ');
            out.push_str(next);
        }
        return Some(out);
    }
    // `November 18, 2019` / `18 November 2019` / `18. November 2019` / `20 ноября 2019 г.`
    let start = y.saturating_sub(3);
    let window = words.get(start..=y)?;
    let first =
        window.iter().position(|w| is_month(w) || w.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
    let span = window.get(first..)?;
    if !span.iter().any(|w| is_month(w)) || span.len() < 2 {
        return None;
    }
    Some(span.join(" ").trim_end_matches([',', '.']).to_string())
}

/// Cuts a byline down to the names: drops `By`, and everything from a separator (`|`, `•`),
/// a handle (`@name`), a date or a time on (`Jane Roe @jroe Nov 18, 2019 at 9:24 pm`).
fn trim_byline(s: &str) -> String {
    let t = strip_by(s);
    let t = t.split(['|', '•', '·']).next().unwrap_or("").trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    let mut end = words.len();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let next_is_dateish = next.chars().any(|c| c.is_ascii_digit()) || is_month(next);
        // Only date-like numbers cut ("80/90" in a bio line does not make it a byline).
        let prev_is_month = i > 0 && words.get(i - 1).is_some_and(|p| is_month(p));
        let datey_number =
            w.chars().any(|c| c.is_ascii_digit()) && (has_year(w) || w.contains(':') || prev_is_month);
        if w.starts_with('@') || datey_number || ((is_month(w) || is_weekday(w)) && next_is_dateish) {
            end = i;
            break;
        }
    }
    let mut kept: Vec<&str> = words.get(..end).unwrap_or(&[]).to_vec();
    // A connector left before the cut date: "on", "at", "le", "am", "el", "il", "il".
    while kept.last().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "on" | "at" | "le" | "am" | "el" | "il" | "updated" | "published" | "posted" | "-" | "–" | "—"
        )
    }) {
        kept.pop();
    }
    kept.join(" ").trim_end_matches([',', ';', ':', ' ']).to_string()
}

fn type_names(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Names from a JSON-LD person/organization value: string, object with name, or array.
fn names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !is_url(s) => {
            for part in s.split(',') {
                push_unique(out, part);
            }
        }
        Value::Object(o) => {
            if let Some(Value::String(n)) = o.get("name") {
                push_unique(out, n);
            }
        }
        Value::Array(a) => {
            for x in a.iter().take(20) {
                if let Value::Object(o) = x {
                    if let Some(Value::String(n)) = o.get("name") {
                        push_unique(out, n);
                    }
                } else if let Value::String(s) = x {
                    if !is_url(s) {
                        push_unique(out, s);
                    }
                }
            }
        }
        _ => {}
    }
}

fn first_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(first_string),
        Value::Object(o) => {
            o.get("url").or_else(|| o.get("@id")).or_else(|| o.get("name")).and_then(first_string)
        }
        _ => None,
    }
}

fn read_ld_object(o: &serde_json::Map<String, Value>, m: &mut Metadata) {
    if let Some(h) = o.get("headline").or_else(|| o.get("name")).and_then(Value::as_str) {
        set(&mut m.title, h);
    }
    if let Some(d) = o.get("datePublished").or_else(|| o.get("dateCreated")).and_then(Value::as_str) {
        set(&mut m.published, d);
    }
    if m.authors.is_empty() {
        if let Some(a) = o.get("author").or_else(|| o.get("creator")) {
            names(a, &mut m.authors);
        }
    }
    if let Some(Value::Object(p)) = o.get("publisher") {
        if let Some(n) = p.get("name").and_then(Value::as_str) {
            set(&mut m.outlet, n);
        }
    }
    if let Some(u) = o.get("url").and_then(Value::as_str) {
        set(&mut m.url, u);
    }
    if let Some(s) = o.get("articleSection").and_then(first_string) {
        set(&mut m.section, &s);
    }
    if m.tags.is_empty() {
        match o.get("keywords") {
            Some(Value::String(s)) => {
                for k in s.split(',') {
                    push_unique(&mut m.tags, k);
                }
            }
            Some(Value::Array(a)) => {
                for k in a.iter().filter_map(Value::as_str) {
                    push_unique(&mut m.tags, k);
                }
            }
            _ => {}
        }
    }
    if let Some(l) = o.get("inLanguage").and_then(first_string) {
        set(&mut m.language, &l);
    }
    if let Some(d) = o.get("description").and_then(Value::as_str) {
        set(&mut m.description, d);
    }
    if let Some(i) = o.get("image").and_then(first_string) {
        set(&mut m.image, &i);
    }
}

/// Whether two titles of one page name the same thing: most of the shorter one's words occur
/// in the longer (letters and digits, case-folded; each CJK character counts as a word).
pub(crate) fn titles_agree(a: &str, b: &str) -> bool {
    let (wa, wb) = (title_words(a), title_words(b));
    let (short, long) = if wa.len() <= wb.len() { (wa, wb) } else { (wb, wa) };
    if short.is_empty() {
        return false;
    }
    let shared = short.iter().filter(|w| long.contains(w)).count();
    shared * 2 >= short.len()
}

fn title_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() && !presswatch_text::Script::of(c).is_unspaced() {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c.is_alphanumeric() {
            words.push(c.to_string());
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A <title> that names no article: empty, the outlet's name, or a one-word label ("Home").
fn is_generic_title(title: &str, outlet: Option<&str>) -> bool {
    let key = crate::util::loose_key(title);
    key.is_empty() || outlet.is_some_and(|o| crate::util::loose_key(o) == key) || title_words(title).len() < 2
}

/// Strips " | Site", " - Site", " — Site" from a page title: the part equal to the outlet name,
/// or else the last part when the rest is clearly the longer headline.
pub(crate) fn strip_site_suffix(title: &str, outlet: Option<&str>) -> String {
    let t = collapse_ws(title);
    const SEPS: [&str; 6] = [" | ", " - ", " – ", " — ", " :: ", " · "];
    let mut best: Option<usize> = None;
    for s in SEPS {
        if let Some(i) = t.rfind(s) {
            if best.is_none_or(|b| i > b) {
                best = Some(i);
            }
        }
    }
    let Some(i) = best else { return t };
    let head = t.get(..i).unwrap_or("").trim();
    let tail = t.get(i..).unwrap_or("").trim_start_matches([' ', '|', '-', '–', '—', ':', '·']).trim();
    let tail_is_outlet = outlet.is_some_and(|o| crate::util::loose_key(o) == crate::util::loose_key(tail));
    let head_words = word_count(head);
    let tail_words = word_count(tail);
    if tail_is_outlet || (tail_words <= 4 && head_words >= 3 && head_words > tail_words) {
        head.to_string()
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_that_disagrees_with_the_title_tag_loses_to_it() {
        let page = |head: &str, body: &str| {
            crate::extract_html(
                &format!("<html><head>{head}</head><body>{body}<p>Some text of the page.</p></body></html>"),
                &Metadata::default(),
            )
            .meta
            .title
        };
        // A test page's or a section's <h1> over an unrelated <title>.
        assert_eq!(
            page(
                "<title>Babies Who Eat Peanuts Early May Avoid Allergy</title>",
                "<h1>Allergies Health Center</h1>"
            )
            .as_deref(),
            Some("Babies Who Eat Peanuts Early May Avoid Allergy")
        );
        // An encyclopedia's JSON-LD headline that is a description.
        let ld = r#"<script type="application/ld+json">{"@type":"Article","name":"Hermitian matrix","headline":"matrix equal to its conjugate-transpose"}</script>"#;
        assert_eq!(
            page(&format!("<title>Hermitian matrix - Wikipedia</title>{ld}"), "<h1>Hermitian matrix</h1>")
                .as_deref(),
            Some("Hermitian matrix")
        );
        // A headline that the title tag carries (with a site suffix) still wins.
        assert_eq!(
            page(
                "<title>Rain falls on the plain in Spain | Daily Bugle</title>",
                "<h1>Rain falls on the plain in Spain</h1>"
            )
            .as_deref(),
            Some("Rain falls on the plain in Spain")
        );
        // A title tag that is only the site's name says nothing: the headline wins.
        assert_eq!(
            page("<title>Bugle</title>", "<h1>Rain falls on the plain</h1>").as_deref(),
            Some("Rain falls on the plain")
        );
        assert!(titles_agree("宇航员在太空中喝酒会怎么样", "宇航员在太空中喝酒会怎么样？后果很严重 _探索者"));
    }

    #[test]
    fn json_ld_date_first_and_parsely_title() {
        let html = r#"<html><head>
            <meta property="article:published_time" content="2015-12-11T14:28:34.438Z">
            <meta name="parsely-title" content="Samantha and the lie">
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2015-10-15T02:19:15.607Z","dateModified":"2018-04-22T22:24:24Z"}</script>
            </head><body><h1>Something else</h1><p>Text of the page.</p></body></html>"#;
        let meta = crate::extract_html(html, &Metadata::default()).meta;
        assert_eq!(meta.published.as_deref(), Some("2015-10-15T02:19:15.607Z"));
        assert_eq!(meta.title.as_deref(), Some("Samantha and the lie"));
    }

    #[test]
    fn the_site_headers_date_box_loses_to_the_articles_date_line() {
        let meta = |body: &str| {
            crate::extract_html(&format!("<html><body>{body}</body></html>"), &Metadata::default())
                .meta
                .published
        };
        let site = r#"<div class="site-header"><span class="date">Sunday, December 6, 2026</span></div>"#;
        let article =
            r#"<article><h1>Talks end</h1><span class="date">March 20, 2021</span><p>Text.</p></article>"#;
        assert_eq!(meta(&format!("{site}{article}")).as_deref(), Some("March 20, 2021"));
        // Alone, the early date is still a date.
        assert_eq!(
            meta(&format!("{site}<h1>Talks end</h1><p>Text.</p>")).as_deref(),
            Some("December 6, 2026")
        );
        // A date above the headline inside the article's own header is the article's.
        let own = r#"<header><span class="date">March 20, 2021</span><h1>Talks end</h1></header><p>Text.</p><span class="date">May 1, 2021</span>"#;
        assert_eq!(meta(own).as_deref(), Some("March 20, 2021"));
    }

    #[test]
    fn suffix() {
        assert_eq!(
            strip_site_suffix("Big news about the economy | The Daily", None),
            "Big news about the economy"
        );
        assert_eq!(strip_site_suffix("Big news - Site", Some("Site")), "Big news");
        assert_eq!(strip_site_suffix("Left - Right", None), "Left - Right");
    }

    #[test]
    fn json_ld_graph_and_broken() {
        let mut c = MetaCollector::default();
        c.on_json_ld("{ broken");
        c.on_json_ld(r#"{"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"Page"},{"@type":["NewsArticle"],"headline":"Head","datePublished":"2020-01-02","author":[{"@type":"Person","name":"A B"},{"name":"C D"}],"publisher":{"name":"Pub"},"keywords":"x, y"}]}"#);
        let m = c.finish();
        assert_eq!(m.title.as_deref(), Some("Head"));
        assert_eq!(m.published.as_deref(), Some("2020-01-02"));
        assert_eq!(m.authors, vec!["A B", "C D"]);
        assert_eq!(m.outlet.as_deref(), Some("Pub"));
        assert_eq!(m.tags, vec!["x", "y"]);
    }

    fn meta_of(html: &str) -> Metadata {
        crate::extract_html(html, &Metadata::default()).meta
    }

    #[test]
    fn json_ld_with_trailing_comma_and_raw_newline_is_read() {
        let mut c = MetaCollector::default();
        c.on_json_ld("<!--\n{\"@type\":\"NewsArticle\",\"headline\":\"Two\nlines\",\"keywords\":[\"a\", ],\"datePublished\":\"2019-11-18\",}\n-->");
        let m = c.finish();
        assert_eq!(m.title.as_deref(), Some("Two lines"));
        assert_eq!(m.published.as_deref(), Some("2019-11-18"));
        assert_eq!(m.tags, vec!["a"]);
    }

    #[test]
    fn claim_review_and_webpage_subtypes_give_dates() {
        let mut c = MetaCollector::default();
        c.on_json_ld(r#"{"@type":"ClaimReview","datePublished":"2019-11-18T10:15:00+00:00"}"#);
        assert_eq!(c.finish().published.as_deref(), Some("2019-11-18T10:15:00+00:00"));
        let mut c = MetaCollector::default();
        c.on_json_ld(r#"{"@type":"MedicalWebPage","headline":"Tips","datePublished":"2019-11-14"}"#);
        let m = c.finish();
        assert_eq!(m.published.as_deref(), Some("2019-11-14"));
        assert_eq!(m.title.as_deref(), Some("Tips"));
    }

    #[test]
    fn social_title_repeated_by_h1_keeps_its_quoted_tail() {
        let m = meta_of(
            r#"<html><head><meta property="og:title" content="Plague in China as panic begins – 'It is coming'">
            <meta property="og:site_name" content="Express"></head><body><article>
            <h1>Plague in China as panic begins – 'It is coming'</h1>
            <p>A third case of the plague has been reported, officials said on Tuesday morning.</p>
            </article></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Plague in China as panic begins – 'It is coming'"));
        // Without the h1 repeating it, a short tail is still taken for a site name.
        let m = meta_of(
            r#"<html><head><meta property="og:title" content="Rain falls on the plain | Daily Bugle">
            </head><body><h1>Rain</h1></body></html>"#,
        );
        assert_eq!(m.title.as_deref(), Some("Rain falls on the plain"));
    }

    #[test]
    fn byline_loses_handle_date_and_trailer() {
        assert_eq!(trim_byline("Jane Roe @janeroe Nov 18, 2019 at 9:24 pm ET • 2 min read"), "Jane Roe");
        assert_eq!(
            trim_byline("By Jan Kowalski | November 18, 2019 12:01 PM Print this article"),
            "Jan Kowalski"
        );
        assert_eq!(trim_byline("POST STAFF NOVEMBER 20, 2019 10:43"), "POST STAFF");
        assert_eq!(trim_byline("By Minh Do on Monday, November 18th, 2019"), "Minh Do");
        assert_eq!(trim_byline("Текст: Венера Ерофеева"), "Венера Ерофеева");
        // A month-like name without a date after it stays.
        assert_eq!(trim_byline("By Theresa May"), "Theresa May");
        // Numbers that are not dates do not cut a bio line down to a byline-sized piece.
        assert_eq!(trim_byline("We love the fantastic 80/90 years"), "We love the fantastic 80/90 years");
    }

    #[test]
    fn authors_in_comments_and_sidebars_are_ignored() {
        let m = meta_of(
            r#"<html><body class="one-sidebar comments-open"><article><h1>Title here</h1>
            <p>Body text of the article, long enough to be the main content of the page.</p>
            <footer class="entry-footer"><span class="author-name">Anna Nowak</span></footer></article>
            <div class="comments-area"><span itemprop="author">Guest</span>
            <form><div class="comment-form-author"><label>Name (required)</label></div></form></div>
            <div class="widget sidebar"><p class="small-author">by Someone Else</p></div>
            </body></html>"#,
        );
        assert_eq!(m.authors, vec!["Anna Nowak"]);
    }

    #[test]
    fn itemprop_with_several_properties_is_read() {
        let m = meta_of(
            r#"<html><body><article><h1>Title here</h1><span itemprop="author creator">Текст: Лида Буслаева</span>
            <p>Body text of the article, long enough to be the main content of the page.</p>
            </article></body></html>"#,
        );
        assert_eq!(m.authors, vec!["Лида Буслаева"]);
    }

    #[test]
    fn visible_date_lines_are_a_last_resort() {
        assert_eq!(date_span("Monday, November 18, 2019").as_deref(), Some("November 18, 2019"));
        assert_eq!(date_span(" 19 NOV 2019 ").as_deref(), Some("19 NOV 2019"));
        assert_eq!(date_span("Posted 2019-11-18 23:41:18").as_deref(), Some("2019-11-18 23:41:18"));
        assert_eq!(date_span("12. September 2018").as_deref(), Some("12. September 2018"));
        assert_eq!(date_span("Share this story"), None);
        assert_eq!(date_span("Since 2019"), None);
        let m = meta_of(
            r#"<html><body><article><h1>Title here</h1><div class="press__date"> October 12, 2017 </div>
            <p>Body text of the article, long enough to be the main content of the page.</p>
            <div class="comment"><span class="date">January 1, 2020</span></div>
            </article></body></html>"#,
        );
        assert_eq!(m.published.as_deref(), Some("October 12, 2017"));
        // Structured metadata wins over the visible line.
        let m = meta_of(
            r#"<html><head><meta property="article:published_time" content="2017-10-11T22:00:00Z"></head>
            <body><span class="date">October 12, 2017</span></body></html>"#,
        );
        assert_eq!(m.published.as_deref(), Some("2017-10-11T22:00:00Z"));
    }
}
