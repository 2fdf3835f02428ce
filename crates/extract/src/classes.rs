//! What an element's tag, `class`/`id` and `role` say about it: content, boilerplate, caption,
//! hidden. Matching is one Aho-Corasick pass over the lowercased attributes plus an exact-token
//! check, cached per distinct attribute string within one document.

use aho_corasick::{AhoCorasick, MatchKind};
use presswatch_model::Reason;
use std::sync::OnceLock;

/// Flag bits for an element.
pub(crate) const POSITIVE: u16 = 1;
pub(crate) const NEG_STRONG: u16 = 1 << 1;
pub(crate) const NEG_WEAK: u16 = 1 << 2;
pub(crate) const CAPTION: u16 = 1 << 3;
pub(crate) const HIDDEN: u16 = 1 << 4;
pub(crate) const BYLINE: u16 = 1 << 5;
/// Set on every element inside (or being) a strongly boilerplate subtree.
pub(crate) const IN_NEG: u16 = 1 << 6;
/// `itemprop=articleBody`: the page says where its article text is.
pub(crate) const ARTICLE_BODY: u16 = 1 << 7;
/// A list of teasers (headline link + snippet, repeated): recirculation, not the article.
pub(crate) const TEASERS: u16 = 1 << 8;
/// An inline run of three or more links and nothing else inside prose: a hover card or an
/// embedded link menu, hidden or beside the sentence it sits in.
pub(crate) const LINK_CLUSTER: u16 = 1 << 9;
/// Set on every element inside (or being) an author box (a byline or author class, not a
/// content one): a bio is prose, but never the article.
pub(crate) const IN_AUTHOR: u16 = 1 << 10;

#[derive(Clone, Copy)]
enum Hit {
    /// A word that contains a pattern without its meaning ("responsive" holds "respond"):
    /// matches inside it do not count.
    Neutral,
    Pos,
    Strong(Reason),
    Weak(Reason),
    Caption,
    Byline,
}

const PATTERNS: &[(&str, Hit)] = &[
    // Words that hold a pattern but mean something else: layout, a reporter, an opinion genre.
    ("responsive", Hit::Neutral),
    ("correspond", Hit::Neutral),
    ("commentary", Hit::Neutral),
    ("commentaries", Hit::Neutral),
    ("commentator", Hit::Neutral),
    // Content.
    ("article", Hit::Pos),
    ("content", Hit::Pos),
    ("entry", Hit::Pos),
    ("post", Hit::Pos),
    ("story", Hit::Pos),
    ("text", Hit::Pos),
    ("body", Hit::Pos),
    ("main", Hit::Pos),
    ("blog", Hit::Pos),
    ("prose", Hit::Pos),
    ("artikel", Hit::Pos),
    ("inhalt", Hit::Pos),
    ("tresc", Hit::Pos),
    ("contenu", Hit::Pos),
    ("corpo", Hit::Pos),
    ("cuerpo", Hit::Pos),
    ("testo", Hit::Pos),
    ("hentry", Hit::Pos),
    ("richtext", Hit::Pos),
    ("detail", Hit::Pos),
    // Comments.
    ("comment", Hit::Strong(Reason::CommentWidget)),
    ("komment", Hit::Strong(Reason::CommentWidget)),
    ("koment", Hit::Strong(Reason::CommentWidget)),
    ("comentar", Hit::Strong(Reason::CommentWidget)),
    ("disqus", Hit::Strong(Reason::CommentWidget)),
    ("respond", Hit::Strong(Reason::CommentWidget)),
    // Sharing.
    ("share", Hit::Strong(Reason::ShareWidget)),
    ("sharing", Hit::Strong(Reason::ShareWidget)),
    ("social", Hit::Strong(Reason::ShareWidget)),
    ("sociable", Hit::Strong(Reason::ShareWidget)),
    ("teilen", Hit::Strong(Reason::ShareWidget)),
    ("partage", Hit::Strong(Reason::ShareWidget)),
    ("compartir", Hit::Strong(Reason::ShareWidget)),
    ("condividi", Hit::Strong(Reason::ShareWidget)),
    ("udostepnij", Hit::Strong(Reason::ShareWidget)),
    // Related / recirculation.
    ("related", Hit::Strong(Reason::RelatedLinks)),
    ("recommend", Hit::Strong(Reason::RelatedLinks)),
    ("more-stories", Hit::Strong(Reason::RelatedLinks)),
    ("morestories", Hit::Strong(Reason::RelatedLinks)),
    ("more-articles", Hit::Strong(Reason::RelatedLinks)),
    ("read-more", Hit::Strong(Reason::RelatedLinks)),
    ("readmore", Hit::Strong(Reason::RelatedLinks)),
    ("also-read", Hit::Strong(Reason::RelatedLinks)),
    ("trending", Hit::Strong(Reason::RelatedLinks)),
    ("popular", Hit::Strong(Reason::RelatedLinks)),
    ("most-read", Hit::Strong(Reason::RelatedLinks)),
    ("mostread", Hit::Strong(Reason::RelatedLinks)),
    ("outbrain", Hit::Strong(Reason::RelatedLinks)),
    ("taboola", Hit::Strong(Reason::RelatedLinks)),
    ("recirc", Hit::Strong(Reason::RelatedLinks)),
    ("zum-thema", Hit::Strong(Reason::RelatedLinks)),
    ("verwandt", Hit::Strong(Reason::RelatedLinks)),
    ("lire-aussi", Hit::Strong(Reason::RelatedLinks)),
    ("relacionad", Hit::Strong(Reason::RelatedLinks)),
    ("correlat", Hit::Strong(Reason::RelatedLinks)),
    ("powiazane", Hit::Strong(Reason::RelatedLinks)),
    // Notices and appeals.
    ("cookie", Hit::Strong(Reason::CookieNotice)),
    ("gdpr", Hit::Strong(Reason::CookieNotice)),
    ("consent", Hit::Strong(Reason::CookieNotice)),
    ("newsletter", Hit::Strong(Reason::Newsletter)),
    ("subscribe", Hit::Strong(Reason::Newsletter)),
    ("subscription", Hit::Strong(Reason::Newsletter)),
    ("signup", Hit::Strong(Reason::Newsletter)),
    ("sign-up", Hit::Strong(Reason::Newsletter)),
    ("paywall", Hit::Strong(Reason::Newsletter)),
    ("donat", Hit::Strong(Reason::DonationAppeal)),
    ("support-us", Hit::Strong(Reason::DonationAppeal)),
    // Advertising.
    ("advert", Hit::Strong(Reason::Advertisement)),
    ("sponsor", Hit::Strong(Reason::Advertisement)),
    ("promo", Hit::Strong(Reason::Advertisement)),
    ("banner", Hit::Strong(Reason::Advertisement)),
    ("adslot", Hit::Strong(Reason::Advertisement)),
    ("ad-slot", Hit::Strong(Reason::Advertisement)),
    ("adunit", Hit::Strong(Reason::Advertisement)),
    ("ad-unit", Hit::Strong(Reason::Advertisement)),
    ("ad-container", Hit::Strong(Reason::Advertisement)),
    ("ad-wrapper", Hit::Strong(Reason::Advertisement)),
    ("dfp", Hit::Strong(Reason::Advertisement)),
    ("gpt-ad", Hit::Strong(Reason::Advertisement)),
    ("reklam", Hit::Strong(Reason::Advertisement)),
    ("werbung", Hit::Strong(Reason::Advertisement)),
    ("anzeige", Hit::Strong(Reason::Advertisement)),
    ("publicidad", Hit::Strong(Reason::Advertisement)),
    // Site chrome.
    ("sidebar", Hit::Strong(Reason::Navigation)),
    ("side-bar", Hit::Strong(Reason::Navigation)),
    ("footer", Hit::Strong(Reason::Navigation)),
    ("breadcrumb", Hit::Strong(Reason::Navigation)),
    ("navig", Hit::Strong(Reason::Navigation)),
    ("navbar", Hit::Strong(Reason::Navigation)),
    ("menu", Hit::Strong(Reason::Navigation)),
    ("masthead", Hit::Strong(Reason::Navigation)),
    ("skiplink", Hit::Strong(Reason::Navigation)),
    ("skip-link", Hit::Strong(Reason::Navigation)),
    ("pagination", Hit::Strong(Reason::Navigation)),
    ("toolbar", Hit::Strong(Reason::Navigation)),
    ("widget", Hit::Weak(Reason::Navigation)),
    // Header-ish parts of an article: titles, bylines, dates, tags.
    ("header", Hit::Weak(Reason::Navigation)),
    ("byline", Hit::Byline),
    ("author", Hit::Byline),
    ("dateline", Hit::Weak(Reason::MetadataLine)),
    ("timestamp", Hit::Weak(Reason::MetadataLine)),
    ("meta", Hit::Weak(Reason::MetadataLine)),
    ("tags", Hit::Weak(Reason::Navigation)),
    ("topics", Hit::Weak(Reason::Navigation)),
    ("keywords", Hit::Weak(Reason::Navigation)),
    // Captions.
    ("caption", Hit::Caption),
    ("credit", Hit::Caption),
    ("legend", Hit::Caption),
    ("bildunterschrift", Hit::Caption),
    ("legende", Hit::Caption),
];

/// Whole class tokens (split on non-alphanumerics) with a meaning.
fn token_hit(tok: &str) -> Option<(u16, Option<Reason>)> {
    Some(match tok {
        "ad" | "ads" | "adv" | "advertisement" => (NEG_STRONG, Some(Reason::Advertisement)),
        "nav" | "rail" | "aside" | "foot" => (NEG_STRONG, Some(Reason::Navigation)),
        // Call-to-action boxes: "support us", "subscribe", "become a member".
        "cta" => (NEG_STRONG, Some(Reason::DonationAppeal)),
        "tag" | "date" | "time" => (NEG_WEAK, Some(Reason::MetadataLine)),
        "hidden" | "hide" | "visibility-hide" | "visually-hidden" | "visuallyhidden" | "sr-only"
        | "screen-reader-text" | "d-none" | "invisible" | "is-hidden" | "element-invisible" | "offscreen" => {
            (HIDDEN, None)
        }
        _ => return None,
    })
}

/// The pattern automaton, built once; `None` only if building it failed (it cannot with
/// these fixed patterns), in which case classes are simply not used.
fn matcher() -> Option<&'static AhoCorasick> {
    static AC: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder().match_kind(MatchKind::Standard).build(PATTERNS.iter().map(|(p, _)| p)).ok()
    })
    .as_ref()
}

/// What one class/id/role token says on its own; a pure function of the token, so it can be
/// cached per token (ids such as `post-12345` make whole attribute strings rarely repeat,
/// while their tokens do).
#[derive(Clone, Copy, Default, PartialEq, Debug)]
pub(crate) struct TokenClass {
    pos: bool,
    strong: Option<Reason>,
    weak: Option<Reason>,
    flags: u16,
}

/// Judges one whitespace-free token.
pub(crate) fn classify_token(token: &str) -> TokenClass {
    // A taxonomy class (WordPress puts `tag-<slug>` and `category-<slug>` on the post itself):
    // the slug is the post's subject ("tag-social-media", "category-advertising",
    // "tag-tax-credits"), not the element's role, so only the prefix is judged.
    for prefix in ["tag-", "category-"] {
        if let Some(slug) = token.strip_prefix(prefix).filter(|s| !s.is_empty()) {
            if slug.bytes().any(|b| b.is_ascii_alphabetic()) {
                return classify_token(prefix.trim_end_matches('-'));
            }
        }
    }
    let Some(ac) = matcher() else { return TokenClass::default() };
    let mut pos = false;
    let mut t_strong: Option<Reason> = None;
    let mut t_weak: Option<Reason> = None;
    let mut t_flags = 0u16;
    // Where the neutral words are: a pattern found inside one of them does not count.
    let neutral: Vec<(usize, usize)> = ac
        .find_overlapping_iter(token)
        .filter(|m| matches!(PATTERNS.get(m.pattern().as_usize()), Some((_, Hit::Neutral))))
        .map(|m| (m.start(), m.end()))
        .collect();
    for m in ac.find_overlapping_iter(token) {
        let Some((_, hit)) = PATTERNS.get(m.pattern().as_usize()) else { continue };
        if neutral.iter().any(|&(s, e)| s <= m.start() && m.end() <= e) {
            continue;
        }
        match *hit {
            Hit::Neutral => {}
            Hit::Pos => pos = true,
            Hit::Strong(r) => {
                t_strong.get_or_insert(r);
            }
            Hit::Weak(r) => {
                t_weak.get_or_insert(r);
            }
            Hit::Caption => t_flags |= CAPTION,
            Hit::Byline => {
                t_flags |= BYLINE;
                t_weak.get_or_insert(Reason::Byline);
            }
        }
    }
    if let Some((f, r)) = token_hit(token) {
        if f == NEG_STRONG {
            t_strong = t_strong.or(r);
        } else if f == NEG_WEAK {
            t_weak = t_weak.or(r);
        } else {
            t_flags |= f;
        }
    } else {
        for part in token.split(['-', '_']) {
            match token_hit(part) {
                Some((NEG_STRONG, r)) => t_strong = t_strong.or(r),
                Some((NEG_WEAK, r)) => t_weak = t_weak.or(r),
                _ => {}
            }
        }
    }
    TokenClass { pos, strong: t_strong, weak: t_weak, flags: t_flags }
}

/// Classifies a lowercased `class id role` string: flag bits and the boilerplate reason.
///
/// Each whitespace-separated token is judged alone. A token naming both content and
/// boilerplate (`entry-content-read-more`, `content-with-sidebar`) counts as content, except for
/// comments (`post-comments`), whose long prose is the main thing mistaken for an article.
#[cfg(test)]
pub(crate) fn classify(attrs: &str) -> (u16, Option<Reason>) {
    combine(attrs.split_ascii_whitespace().map(classify_token))
}

/// [`classify`] over tokens already judged (by [`classify_token`], possibly cached).
pub(crate) fn combine(tokens: impl Iterator<Item = TokenClass>) -> (u16, Option<Reason>) {
    let mut flags = 0u16;
    let mut strong: Option<Reason> = None;
    let mut weak: Option<Reason> = None;
    let mut pure_positive = false;
    let mut mixed_neg = false;
    // Some(true) when every pure boilerplate token names only layout (nav, sidebar, menu).
    let mut nav_only: Option<bool> = None;
    for t in tokens {
        let TokenClass { pos, strong: mut t_strong, weak: mut t_weak, flags: mut t_flags } = t;
        if pos && t_strong.is_none() && t_weak.is_none() {
            pure_positive = true;
        }
        if pos {
            flags |= POSITIVE;
            // A compound naming content and a layout part ("content-with-sidebar") is content.
            if t_strong == Some(Reason::Navigation) || t_strong.is_none() {
                t_strong = None;
                t_weak = None;
                t_flags &= !BYLINE;
            } else {
                mixed_neg = true;
            }
        }
        if let Some(r) = t_strong {
            flags |= NEG_STRONG;
            strong.get_or_insert(r);
            if !pos && r == Reason::Navigation {
                nav_only = nav_only.or(Some(true));
            } else if !pos {
                nav_only = Some(false);
            }
        }
        if let Some(r) = t_weak {
            flags |= NEG_WEAK;
            weak.get_or_insert(r);
        }
        flags |= t_flags;
    }
    // A plainly named content token outweighs layout words and compounds on the same element
    // ("article-body pagination-first", "entry-content entry-content-read-more").
    if pure_positive && (nav_only == Some(true) || (mixed_neg && nav_only.is_none())) {
        flags &= !(NEG_STRONG | NEG_WEAK);
        return (flags, None);
    }
    (flags, strong.or(weak))
}

/// Caches [`classify_token`] per distinct token within one document.
#[derive(Default)]
pub(crate) struct Classifier {
    tokens: presswatch_text::HashMap<Box<str>, TokenClass>,
}

impl Classifier {
    /// [`classify`] with every token judged at most once per document.
    pub(crate) fn classify(&mut self, attrs: &str) -> (u16, Option<Reason>) {
        let tokens = &mut self.tokens;
        combine(attrs.split_ascii_whitespace().map(|tok| match tokens.get(tok) {
            Some(&t) => t,
            None => {
                let t = classify_token(tok);
                tokens.insert(tok.into(), t);
                t
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        // A post's taxonomy classes name its subject, not its parts.
        let (f, r) = classify("post hentry tag-social-media tag-tax-credits category-advertising");
        assert_eq!(f & (NEG_STRONG | CAPTION), 0);
        assert!(matches!(r, None | Some(Reason::MetadataLine)), "{r:?}");
        // Words that merely contain a pattern.
        for attrs in ["responsive-embed", "correspondent-name", "commentary-body"] {
            assert_eq!(classify(attrs).0 & NEG_STRONG, 0, "{attrs}");
        }
        let (f, r) = classify("post-comments");
        assert!(f & NEG_STRONG != 0 && f & POSITIVE != 0);
        assert_eq!(r, Some(Reason::CommentWidget));
        let (f, _) = classify("title visibility-hide");
        assert!(f & HIDDEN != 0);
        let (f, r) = classify("top-ad-slot");
        assert!(f & NEG_STRONG != 0);
        assert_eq!(r, Some(Reason::Advertisement));
        let (f, _) = classify("header-image loaded");
        assert!(f & NEG_STRONG == 0);
        let (f, _) = classify("imagecaption");
        assert!(f & CAPTION != 0);
        let (f, _) = classify("article-body");
        assert_eq!(f, POSITIVE);
    }
}
