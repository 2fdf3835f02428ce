//! Metadata repair: titles, outlets from hosts, tags.

use crate::text::{compact, strip_outer_quotes};
use presswatch_text::{collapse_visible as collapse_whitespace, decode_text_entities as decode_entities};

/// Repairs a title: decodes entities, collapses whitespace, removes quoting mangled by repeated
/// escaping and balanced outer quotes, and drops a site-name suffix or prefix
/// (`Title - CGTN`, `Reuters | Title`) when it names one of `outlets`.
pub fn repair_title(raw: &str, outlets: &[String]) -> Option<String> {
    let mut t = collapse_whitespace(&decode_entities(raw)).replace("\\\"", "\"").replace("\\'", "'");
    for _ in 0..3 {
        let before = t.clone();
        t = strip_outer_quotes(&t);
        t = strip_site_name(&t, outlets);
        if t == before {
            break;
        }
    }
    let t = t.trim().to_string();
    (!t.is_empty()).then_some(t)
}

const SITE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » "];

/// Name variants an outlet may appear as in a title: `cgtn.com` also appears as `CGTN`.
pub(crate) fn outlet_keys(outlets: &[String]) -> Vec<String> {
    let mut keys = Vec::new();
    for o in outlets {
        let k = compact(o);
        if !k.is_empty() {
            keys.push(k);
        }
        if looks_like_domain(o) {
            if let Some(label) = o.split('.').rev().nth(1) {
                let k = compact(label);
                if k.len() >= 2 {
                    keys.push(k);
                }
            }
        }
    }
    keys
}

fn strip_site_name(title: &str, outlets: &[String]) -> String {
    let keys = outlet_keys(outlets);
    if keys.is_empty() {
        return title.to_string();
    }
    for sep in SITE_SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if keys.contains(&compact(tail)) && !compact(head).is_empty() {
                return head.trim().to_string();
            }
        }
        if let Some((head, tail)) = title.split_once(sep) {
            if keys.contains(&compact(head)) && !compact(tail).is_empty() {
                return tail.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// The readable variant of a site name made of two variants of one name, one of them a domain:
/// `The Jerusalem Post | JPost.com` -> `The Jerusalem Post`, `example.com - Example News` ->
/// `Example News`. Other names, and lists of more than two parts, come back unchanged.
pub fn readable_outlet(name: &str) -> String {
    for sep in [" | ", " – ", " — ", " - ", " :: ", " · "] {
        let parts: Vec<&str> = name.split(sep).map(str::trim).collect();
        if let [a, b] = parts.as_slice() {
            match (looks_like_domain(a), looks_like_domain(b)) {
                (false, true) if !a.is_empty() => return a.to_string(),
                (true, false) if !b.is_empty() => return b.to_string(),
                _ => {}
            }
        }
    }
    name.to_string()
}

fn looks_like_domain(s: &str) -> bool {
    s.contains('.') && !s.contains(' ') && s.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// The host of an absolute URL (`https://news.cgtn.com/x` -> `news.cgtn.com`), lowercase.
pub fn host_of(url: &str) -> Option<String> {
    let url = url.trim();
    let after = url.split_once("://").map(|(_, rest)| rest).or_else(|| url.strip_prefix("//"))?;
    let authority = after.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?.trim_end_matches('.').to_lowercase();
    let valid = host.contains('.')
        && !host.starts_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    valid.then_some(host)
}

/// The registrable domain of a host by the public suffix list: `news.cgtn.com` -> `cgtn.com`,
/// `news.bbc.co.uk` -> `bbc.co.uk`, `foo.blogspot.com` -> `foo.blogspot.com` (`blogspot.com` is
/// a suffix under which anyone registers a blog), `www.gov.uk` -> `www.gov.uk`. Subdomains are
/// dropped because one outlet publishes under many of them (`news.`, `www.`, `m.`, `edition.`),
/// and the registrable domain is what identifies it; hosting suffixes must not merge unrelated
/// sites into one outlet. The list is compiled in (the `psl` crate), so this needs no network. A
/// host that is itself a public suffix (`blogspot.com`, `co.uk`) is kept whole.
pub fn registrable_domain(host: &str) -> String {
    let host = host.split('.').filter(|l| !l.is_empty()).collect::<Vec<_>>().join(".");
    match psl::domain_str(&host) {
        Some(domain) => domain.to_string(),
        None => host,
    }
}

/// Trims, decodes entities and collapses whitespace; empty values become `None`.
pub(crate) fn clean_field(value: Option<&str>) -> Option<String> {
    let v = collapse_whitespace(&decode_entities(value?));
    (!v.is_empty()).then_some(v)
}

/// Categories then tags, cleaned and deduplicated (case-insensitively), in the order found.
pub(crate) fn merge_tags(categories: &[String], tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in categories.iter().chain(tags) {
        let t = collapse_whitespace(&decode_entities(t));
        let t = t.trim_matches(|c: char| c == '#' || c == ',' || c == ';').trim().to_string();
        if t.is_empty() {
            continue;
        }
        let k = t.to_lowercase();
        if !out.iter().any(|o| o.to_lowercase() == k) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_repaired() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            repair_title(r#""""""""""""'Isolating Russia undermines European stability'""""""""""""#, &none)
                .as_deref(),
            Some("Isolating Russia undermines European stability")
        );
        assert_eq!(
            repair_title("  Tom &amp; Jerry&#8217;s   war ", &none).as_deref(),
            Some("Tom & Jerry’s war")
        );
        assert_eq!(repair_title("&quot;Quoted&quot;", &none).as_deref(), Some("Quoted"));
        let outlets = vec!["cgtn.com".to_string()];
        assert_eq!(repair_title("Isolating Russia - CGTN", &outlets).as_deref(), Some("Isolating Russia"));
        let outlets = vec!["Reuters".to_string()];
        assert_eq!(repair_title("Reuters | Talks fail", &outlets).as_deref(), Some("Talks fail"));
        assert_eq!(repair_title("Talks fail - Analysis", &outlets).as_deref(), Some("Talks fail - Analysis"));
        assert_eq!(repair_title("Reuters", &outlets).as_deref(), Some("Reuters"));
        assert_eq!(repair_title(" \"\" ", &none), None);
    }

    #[test]
    fn outlet_with_a_domain_variant_keeps_the_readable_name() {
        assert_eq!(readable_outlet("The Jerusalem Post | JPost.com"), "The Jerusalem Post");
        assert_eq!(readable_outlet("spiegel.de – Der Spiegel"), "Der Spiegel");
        assert_eq!(readable_outlet("Le Monde - lemonde.fr"), "Le Monde");
        assert_eq!(readable_outlet("CGTN - Opinions"), "CGTN - Opinions");
        assert_eq!(readable_outlet("Autoracing | F1 | Indy.com"), "Autoracing | F1 | Indy.com");
        assert_eq!(readable_outlet("Spokesman.com"), "Spokesman.com");
        assert_eq!(readable_outlet("a.com | b.com"), "a.com | b.com");
    }

    #[test]
    fn hosts_and_domains() {
        assert_eq!(host_of("https://news.cgtn.com/news/2021-03-20/x.png").as_deref(), Some("news.cgtn.com"));
        assert_eq!(host_of("http://user@WWW.Example.COM:8080/a?b").as_deref(), Some("www.example.com"));
        assert_eq!(host_of("//cdn.example.org/a").as_deref(), Some("cdn.example.org"));
        assert_eq!(host_of("not a url"), None);
        assert_eq!(host_of("https:///path"), None);
        assert_eq!(registrable_domain("news.cgtn.com"), "cgtn.com");
        assert_eq!(registrable_domain("www.bbc.co.uk"), "bbc.co.uk");
        assert_eq!(registrable_domain("www.spiegel.de"), "spiegel.de");
        assert_eq!(registrable_domain("example.com"), "example.com");
    }

    #[test]
    fn registrable_domains_follow_the_public_suffix_list() {
        assert_eq!(registrable_domain("foo.blogspot.com"), "foo.blogspot.com");
        assert_eq!(registrable_domain("www.foo.blogspot.com"), "foo.blogspot.com");
        assert_eq!(registrable_domain("www.gov.uk"), "www.gov.uk");
        assert_eq!(registrable_domain("news.bbc.co.uk"), "bbc.co.uk");
        assert_eq!(registrable_domain("edition.cnn.com"), "cnn.com");
        assert_eq!(registrable_domain("www.lemonde.fr"), "lemonde.fr");
        assert_eq!(registrable_domain("www.abc.net.au"), "abc.net.au");
        assert_eq!(registrable_domain("www.asahi.co.jp"), "asahi.co.jp");
        // A host that is itself a suffix is kept whole, not cut to its last label.
        assert_eq!(registrable_domain("blogspot.com"), "blogspot.com");
        assert_eq!(registrable_domain("co.uk"), "co.uk");
        // Unknown top-level domains keep two labels, as before.
        assert_eq!(registrable_domain("a.b.example"), "b.example");
    }

    #[test]
    fn tags_merge() {
        let cats = vec!["新媒体".to_string(), "CGTN - Opinions".to_string()];
        let tags = vec!["cgtn - opinions".to_string(), " #Russia ".to_string(), "".to_string()];
        assert_eq!(merge_tags(&cats, &tags), ["新媒体", "CGTN - Opinions", "Russia"]);
    }
}
