//! Page metadata from HTML: `<meta>` tags, JSON-LD, `<title>`, `<link>`, `<time>`, bylines.
//!
//! Each field keeps candidates by source; [`MetaCollector::finish`] picks the most reliable one
//! (JSON-LD and Open Graph before generic tags, before text found in the body).

use crate::util::collapse_ws;
use presswatch_html::{Document, NodeId};
use presswatch_model::Metadata;
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
        if t.len() > p.len() && t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)) {
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
            }
            "time" if self.time_datetime.is_none() => {
                if let Some(d) = doc.attr(id, "datetime") {
                    set(&mut self.time_datetime, d);
                }
            }
            "a" if self.author_rel.len() < 4
                && doc.attr(id, "rel").is_some_and(|r| r.eq_ignore_ascii_case("author")) =>
            {
                let t = doc.text_content(id);
                push_unique(&mut self.author_rel, &strip_by(&t));
            }
            _ => {}
        }
        if let Some(prop) = doc.attr(id, "itemprop") {
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
                "author" | "creator" if self.author_item.len() < 4 && tag != "meta" => {
                    // The name may sit in a nested itemprop=name; take the element text.
                    let t =
                        doc.attr(id, "content").map(str::to_string).unwrap_or_else(|| doc.text_content(id));
                    let t = strip_by(&t);
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
        {
            let t = doc.text_content(id);
            let t = strip_by(&t);
            let words = t.split_whitespace().count();
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
            "twitter:title" => set(&mut self.twitter_title, content),
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
        let Ok(v) = serde_json::from_str::<Value>(text.trim()) else {
            tracing::debug!("skipping unparsable JSON-LD");
            return;
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
                    let article = types.iter().any(|t| {
                        let t = t.to_ascii_lowercase();
                        t.contains("article") || t == "blogposting" || t == "report" || t.contains("posting")
                    });
                    let page = types.iter().any(|t| t.eq_ignore_ascii_case("webpage"));
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
        let title = og_title
            .map(|t| strip_site_suffix(&t, outlet.as_deref()))
            .or(twitter_title.map(|t| strip_site_suffix(&t, outlet.as_deref())))
            .or(ld.title.clone())
            .or(h1)
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
            published: published_prop
                .or(ld.published.clone())
                .or(published_meta)
                .or(published_item)
                .or(time_datetime),
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
    let head_words = head.split_whitespace().count();
    let tail_words = tail.split_whitespace().count();
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
}
