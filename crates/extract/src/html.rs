//! HTML bodies: main-content detection, block building, page metadata.
//!
//! Two linear passes over the arena, no recursion:
//!
//! 1. **Score** (post-order, via `traverse` Close edges). Every block-level element gets a
//!    *gain* from its own text (text directly inside it, not in a nested block): content-like
//!    text gains its weight, link text costs 2.5x its weight, short unpunctuated text (menu
//!    items, labels) costs a little. An element's score is its gain plus its children's scores,
//!    so it is the net content of its subtree; a boilerplate class/id/tag (comment, share,
//!    related, nav, footer...) turns the subtree's score negative, so its ancestors lose by
//!    including it. The main content is the element with the highest score (semantic markup
//!    such as `<article>`, `<main>`, `itemprop=articleBody` weighs 20% more): the smallest
//!    subtree that holds most of the text that reads like prose. Candidates inside a
//!    boilerplate subtree count a fifth (comment threads are long prose too); an element marked
//!    `itemprop=articleBody` wins when it holds at least 30% of the best score; on pages listing
//!    several posts, the choice then narrows towards the heading that repeats the page title.
//!    *Teaser lists* (three or more children that open with a headline link and carry a
//!    snippet) score like boilerplate, unless the title heading introduces them and they hold
//!    most of its section with whole snippets (a roundup article). Inline runs of links inside
//!    a sentence (hover cards) do not count against the sentence. A `paywall`/`subscribe`
//!    wrapper around long prose is the gated article, not a sign-up box, and more generally a
//!    boilerplate-named subtree of long running prose (punctuated paragraphs, few links, at
//!    most one label block for two paragraphs) keeps its score: a class name is a few words of
//!    evidence. Comment threads are the exception (long prose too, names and dates inline).
//! 2. **Emit** (pre-order). Inside the chosen element, blocks become [`DraftBlock`]s; subtrees
//!    with boilerplate class/tag, or with a negative score and many links, go to
//!    [`Draft::removed`](presswatch_model::Draft) with a reason. Outside it, text goes to
//!    `removed` (consecutive blocks with the same reason share one entry; hidden text as
//!    `hidden`). Blocks are flagged
//!    on the way: the title repeated, ad labels, "requires JavaScript" notices, paragraphs that
//!    are one headline link; at the end, a tail label ("Comments", "Related", "Tags" in many
//!    languages, see `labels`) flags the page tail or the link box it opens.
//!
//! Weights count characters (dense scripts such as CJK count double), never space-separated
//! words, so Chinese or Japanese pages score like Latin-script ones.
//!
//! Blocks: `p`, `div` & co. -> Paragraph, `h1`-`h6` -> Heading, `li`/`dt`/`dd` -> ListItem,
//! `blockquote` -> Quote, `figcaption` or caption-class elements -> Caption, `pre` ->
//! Preformatted, `td`/`th` -> TableCell. A `<br>` ends the current block and starts a new one of
//! the same kind (line breaks in a paragraph are usually separate lines: addresses, verses,
//! "Text<br><br>text" paragraphs), so block text is always one line.

use crate::classes::{
    self, ARTICLE_BODY, BYLINE, CAPTION, HIDDEN, IN_AUTHOR, IN_NEG, LINK_CLUSTER, NEG_STRONG, NEG_WEAK,
    POSITIVE, TEASERS,
};
use crate::labels::tail_label;
use crate::meta::MetaCollector;
use crate::util::{loose_key, split_credit, text_weight};
use presswatch_html::{Document, Edge, NodeId, NodeKind};
use presswatch_model::{
    BlockKind, Candidate, Draft, DraftBlock, Extraction, Image, Metadata, Reason, Removed,
};
use presswatch_text::push_collapsed;

/// What a tag means for extraction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    /// Not rendered as text (script, style, head...).
    Skip,
    /// Ruby annotation (furigana): dropped so the base text reads continuously.
    Annotation,
    Inline,
    Link,
    Br,
    Img,
    Block,
    P,
    Heading,
    ListItem,
    List,
    Quote,
    FigCaption,
    Pre,
    Cell,
    Nav,
    Aside,
    Footer,
    Header,
    Form,
    Control,
    Semantic,
    Root,
}

fn tag_of(name: &str) -> Tag {
    match name {
        "script" | "style" | "noscript" | "template" | "head" | "svg" | "math" | "iframe" | "object"
        | "embed" | "canvas" | "title" | "meta" | "link" | "base" | "audio" | "video" | "source"
        | "track" | "map" | "dialog" => Tag::Skip,
        "rt" | "rp" => Tag::Annotation,
        "a" => Tag::Link,
        "span" | "b" | "i" | "em" | "strong" | "font" | "small" | "big" | "sup" | "sub" | "u" | "s"
        | "strike" | "mark" | "abbr" | "acronym" | "cite" | "code" | "q" | "time" | "label" | "var"
        | "kbd" | "samp" | "dfn" | "bdi" | "bdo" | "ins" | "del" | "tt" | "nobr" | "data" | "ruby" | "rb"
        | "wbr" | "picture" | "o:p" => Tag::Inline,
        "br" => Tag::Br,
        "img" => Tag::Img,
        "p" => Tag::P,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Tag::Heading,
        "li" | "dt" | "dd" => Tag::ListItem,
        "ul" | "ol" | "dl" | "menu" => Tag::List,
        "blockquote" => Tag::Quote,
        "figcaption" | "caption" => Tag::FigCaption,
        "pre" | "listing" | "xmp" | "plaintext" => Tag::Pre,
        "td" | "th" => Tag::Cell,
        "nav" => Tag::Nav,
        "aside" => Tag::Aside,
        "footer" => Tag::Footer,
        "header" => Tag::Header,
        "form" => Tag::Form,
        "button" | "select" | "option" | "input" | "textarea" => Tag::Control,
        "article" | "main" => Tag::Semantic,
        "html" | "body" => Tag::Root,
        _ => Tag::Block,
    }
}

impl Tag {
    fn is_block(self) -> bool {
        !matches!(self, Tag::Inline | Tag::Link | Tag::Br | Tag::Img | Tag::Annotation | Tag::Skip)
    }

    /// Block kind an element gives to the text directly inside it.
    fn kind(self) -> Option<BlockKind> {
        Some(match self {
            Tag::Heading => BlockKind::Heading,
            Tag::ListItem => BlockKind::ListItem,
            Tag::Quote => BlockKind::Quote,
            Tag::FigCaption => BlockKind::Caption,
            Tag::Pre => BlockKind::Preformatted,
            Tag::Cell => BlockKind::TableCell,
            t if t.is_block() => BlockKind::Paragraph,
            _ => return None,
        })
    }
}

/// Per-node facts from pass 1, indexed by `NodeId`.
struct Facts {
    tag: Vec<Tag>,
    flags: Vec<u16>,
    reason: Vec<Option<Reason>>,
    /// Visible text weight of the subtree.
    text: Vec<u32>,
    /// Visible link-text weight of the subtree.
    link: Vec<u32>,
    /// Net content score of the subtree, before the node's own class penalty.
    score: Vec<f32>,
    /// Score after the node's own penalty: what its parent receives.
    adjusted: Vec<f32>,
    /// Traversal rank at Open and at Close: `a` holds `b` iff `span[a].0 < span[b].0` and
    /// `span[b].1 <= span[a].1`.
    span: Vec<(u32, u32)>,
    /// Elements found to be teaser lists, in document order, with their number of teasers and
    /// how many of those end their snippet with an ellipsis (cut short).
    teaser_lists: Vec<(NodeId, u16, u16)>,
    /// What the subtree's blocks are: paragraphs of running prose or labels.
    prose: Vec<Prose>,
    /// Weight of the block's own text when it is running prose ([`Prose::of_block`]), else 0.
    own_prose: Vec<u32>,
}

/// The blocks of a subtree by what they read like: running prose (a long, punctuated, mostly
/// link-free text) or labels (short unpunctuated or link-dominated text: names, dates, "Reply",
/// menu items, headings). An article is mostly prose with few labels; a comment thread, a menu
/// or a teaser list has a label or more for every paragraph.
#[derive(Clone, Copy, Default)]
struct Prose {
    /// Text weight of the prose blocks.
    weight: u32,
    /// Number of prose blocks.
    blocks: u16,
    /// Number of label blocks.
    labels: u16,
}

/// A block's own text is running prose from this weight on (a sentence or two), with at least
/// [`PROSE_MIN_PUNCT`] sentence or clause marks and at most a fifth of it in links.
const PROSE_BLOCK_MIN: u32 = 80;
const PROSE_MIN_PUNCT: u32 = 2;
/// A subtree whose prose blocks weigh this much reads as an article body, not a widget.
const PROSE_BODY_MIN: u32 = 400;

impl Prose {
    /// Judges one block's own text (weight, link weight, punctuation marks).
    fn of_block(w: u32, link: u32, punct: u32) -> Prose {
        if w == 0 {
            Prose::default()
        } else if w >= PROSE_BLOCK_MIN && punct >= PROSE_MIN_PUNCT && link * 5 <= w {
            Prose { weight: w, blocks: 1, labels: 0 }
        } else if punct == 0 || link * 2 > w {
            Prose { weight: 0, blocks: 0, labels: 1 }
        } else {
            Prose::default()
        }
    }

    fn add(&mut self, o: Prose) {
        self.weight = self.weight.saturating_add(o.weight);
        self.blocks = self.blocks.saturating_add(o.blocks);
        self.labels = self.labels.saturating_add(o.labels);
    }

    /// Long running prose makes most of a subtree of `text` weight with `link` weight in links,
    /// and labels are few (at most one for two paragraphs): what an article body looks like,
    /// whatever its class names say. Comment threads fail on labels (a name, a date and "Reply"
    /// per comment), menus and teaser lists on links.
    fn is_running(self, text: u32, link: u32) -> bool {
        self.weight >= PROSE_BODY_MIN
            && self.weight as f32 >= 0.6 * text as f32
            && link * 10 <= text
            && u32::from(self.labels) * 2 <= u32::from(self.blocks)
    }
}

/// The attributes pass 1 reads, found in one walk over the element's attribute list rather
/// than one lookup per name.
#[derive(Default)]
struct ScoreAttrs<'d> {
    class: Option<&'d str>,
    id: Option<&'d str>,
    role: Option<&'d str>,
    itemprop: Option<&'d str>,
    hidden: bool,
    aria_hidden: Option<&'d str>,
    style: Option<&'d str>,
}

impl<'d> ScoreAttrs<'d> {
    fn of(doc: &'d Document, id: NodeId) -> ScoreAttrs<'d> {
        let mut a = ScoreAttrs::default();
        // Names are lowercase and unique per element (the parser keeps the first of duplicates).
        for (name, value) in doc.attrs(id) {
            match name {
                "class" => a.class = Some(value),
                "id" => a.id = Some(value),
                "role" => a.role = Some(value),
                "itemprop" => a.itemprop = Some(value),
                "hidden" => a.hidden = true,
                "aria-hidden" => a.aria_hidden = Some(value),
                "style" => a.style = Some(value),
                _ => {}
            }
        }
        a
    }

    /// Lowercased `class` + `id` + `role`, for classification.
    fn class_key(&self, buf: &mut String) {
        buf.clear();
        for v in [self.class, self.id, self.role].into_iter().flatten() {
            if !buf.is_empty() {
                buf.push(' ');
            }
            if v.is_ascii() {
                let start = buf.len();
                buf.push_str(v);
                if let Some(tail) = buf.get_mut(start..) {
                    tail.make_ascii_lowercase();
                }
            } else {
                for c in v.chars() {
                    buf.extend(c.to_lowercase());
                }
            }
        }
    }

    /// `hidden`, `aria-hidden=true` or an inline style that hides the element.
    fn hidden(&self) -> bool {
        self.hidden
            || self.aria_hidden.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
            || self.style.is_some_and(style_hides)
    }
}

fn style_hides(style: &str) -> bool {
    let compact: String = style.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

struct Frame1 {
    id: NodeId,
    neg: bool,
    author: bool,
    hidden: bool,
    skip: bool,
    link: bool,
}

/// Pass 1: tags, classes, text weights and subtree scores; metadata on the way.
fn score_pass(doc: &Document, meta: &mut MetaCollector, headings: &mut Vec<NodeId>) -> Facts {
    let n = doc.len();
    let mut f = Facts {
        tag: vec![Tag::Inline; n],
        flags: vec![0; n],
        reason: vec![None; n],
        text: vec![0; n],
        link: vec![0; n],
        score: vec![0.0; n],
        adjusted: vec![0.0; n],
        span: vec![(0, 0); n],
        teaser_lists: Vec::new(),
        prose: vec![Prose::default(); n],
        own_prose: vec![0; n],
    };
    let mut rank = 0u32;
    // Some boilerplate-named element turned out to hold running prose: `IN_NEG` is redone.
    let mut exempted = false;
    // Text directly inside each block (not inside a nested block): weight, links, punctuation.
    let mut own_w = vec![0u32; n];
    let mut own_link = vec![0u32; n];
    let mut own_punct = vec![0u32; n];
    // Teaser detection: does the subtree's first visible text sit in a link; how many children
    // are teasers and how much text they hold.
    let mut first_link = vec![false; n];
    let mut teaser_n = vec![0u16; n];
    let mut teaser_w = vec![0u32; n];
    let mut teaser_cut = vec![0u16; n];
    // The last visible text ended with an ellipsis ("...", "…"): a truncated snippet.
    let mut last_ellipsis = false;
    let mut links = vec![0u16; n];
    // Stack frames from this index up have not seen visible text yet (always a suffix).
    let mut unseen_from = 0usize;
    let mut cache: presswatch_text::HashMap<String, (u16, Option<Reason>)> =
        presswatch_text::HashMap::default();
    let mut classifier = classes::Classifier::default();
    let mut key = String::new();
    let mut stack: Vec<Frame1> = Vec::with_capacity(64);
    let mut blocks: Vec<NodeId> = Vec::with_capacity(64);

    for edge in doc.traverse(doc.root()) {
        match edge {
            Edge::Open(id) => {
                let i = id.0 as usize;
                rank += 1;
                if let Some(x) = f.span.get_mut(i) {
                    x.0 = rank;
                }
                match doc.kind(id) {
                    NodeKind::Element => {
                        let name = doc.tag(id).unwrap_or("");
                        let tag = tag_of(name);
                        let (p_hidden, p_skip, p_link, p_neg, p_author) =
                            stack.last().map_or((false, false, false, false, false), |t| {
                                (t.hidden, t.skip, t.link, t.neg, t.author)
                            });
                        let mut flags = 0u16;
                        let mut reason = None;
                        if !p_skip && tag != Tag::Skip {
                            let attrs = ScoreAttrs::of(doc, id);
                            attrs.class_key(&mut key);
                            if !key.is_empty() && tag != Tag::Root {
                                let (fl, r) = match cache.get(key.as_str()) {
                                    Some(v) => *v,
                                    None => {
                                        let v = classifier.classify(&key);
                                        cache.insert(key.clone(), v);
                                        v
                                    }
                                };
                                flags = fl;
                                reason = r;
                            }
                            if attrs.itemprop.is_some_and(|p| p.eq_ignore_ascii_case("articlebody")) {
                                flags |= POSITIVE | ARTICLE_BODY;
                                flags &= !(NEG_STRONG | NEG_WEAK);
                                reason = None;
                            }
                            if attrs.hidden() {
                                flags |= HIDDEN;
                            }
                            meta.on_element(doc, id, name, flags & BYLINE != 0);
                        } else {
                            // Metadata lives in skipped elements (head, meta, link, script, title).
                            meta.on_element(doc, id, name, false);
                        }
                        let neg = p_neg
                            || flags & NEG_STRONG != 0
                            || matches!(tag, Tag::Nav | Tag::Footer | Tag::Aside);
                        if neg {
                            flags |= IN_NEG;
                        }
                        let author = p_author || (flags & BYLINE != 0 && flags & POSITIVE == 0);
                        if author {
                            flags |= IN_AUTHOR;
                        }
                        if let Some(t) = f.tag.get_mut(i) {
                            *t = tag;
                        }
                        if let Some(x) = f.flags.get_mut(i) {
                            *x = flags;
                        }
                        if let Some(x) = f.reason.get_mut(i) {
                            *x = reason;
                        }
                        stack.push(Frame1 {
                            id,
                            neg,
                            author,
                            hidden: p_hidden || flags & HIDDEN != 0,
                            skip: p_skip || matches!(tag, Tag::Skip | Tag::Annotation),
                            link: p_link || tag == Tag::Link,
                        });
                        if tag.is_block() {
                            blocks.push(id);
                        }
                        if matches!(name, "h1" | "h2") && headings.len() < 32 {
                            headings.push(id);
                        }
                    }
                    NodeKind::Text => {
                        let Some(top) = stack.last() else { continue };
                        if top.skip || top.hidden {
                            continue;
                        }
                        let raw = doc.text(id).unwrap_or("");
                        let (w, p) = text_weight(raw);
                        if w == 0 {
                            continue;
                        }
                        let end = raw.trim_end_matches(|c: char| c.is_whitespace() || c == ']' || c == ')');
                        last_ellipsis = end.ends_with("...") || end.ends_with('…');
                        let parent = top.id.0 as usize;
                        let in_link = top.link;
                        for fr in stack.get(unseen_from..).unwrap_or(&[]) {
                            if let Some(x) = first_link.get_mut(fr.id.0 as usize) {
                                *x = in_link;
                            }
                        }
                        unseen_from = stack.len();
                        if let Some(x) = f.text.get_mut(parent) {
                            *x += w;
                        }
                        if top.link {
                            if let Some(x) = f.link.get_mut(parent) {
                                *x += w;
                            }
                        }
                        if let Some(b) = blocks.last() {
                            let b = b.0 as usize;
                            if let Some(x) = own_w.get_mut(b) {
                                *x += w;
                            }
                            if let Some(x) = own_punct.get_mut(b) {
                                *x += p;
                            }
                            if top.link {
                                if let Some(x) = own_link.get_mut(b) {
                                    *x += w;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(id) => {
                if doc.kind(id) != NodeKind::Element {
                    continue;
                }
                let i = id.0 as usize;
                if let Some(x) = f.span.get_mut(i) {
                    x.1 = rank;
                }
                let Some(frame) = stack.pop() else { continue };
                unseen_from = unseen_from.min(stack.len());
                let tag = f.tag.get(i).copied().unwrap_or(Tag::Inline);
                if tag.is_block() {
                    blocks.pop();
                }
                let mut s = f.score.get(i).copied().unwrap_or(0.0);
                let mut prose = f.prose.get(i).copied().unwrap_or_default();
                if tag.is_block() && !frame.skip {
                    let (w, l, p) = (
                        own_w.get(i).copied().unwrap_or(0),
                        own_link.get(i).copied().unwrap_or(0),
                        own_punct.get(i).copied().unwrap_or(0),
                    );
                    s += gain(w, l, p);
                    // Code and table cells are neither prose nor labels.
                    if !matches!(tag, Tag::Pre | Tag::Cell) {
                        let own = Prose::of_block(w, l, p);
                        prose.add(own);
                        if let Some(x) = f.own_prose.get_mut(i) {
                            *x = own.weight;
                        }
                    }
                    if let Some(x) = f.prose.get_mut(i) {
                        *x = prose;
                    }
                }
                let text = f.text.get(i).copied().unwrap_or(0);
                let link = f.link.get(i).copied().unwrap_or(0);
                let mut flags = f.flags.get(i).copied().unwrap_or(0);
                let teasers = teaser_n.get(i).copied().unwrap_or(0);
                if teasers >= 3 && teaser_w.get(i).copied().unwrap_or(0) as f32 >= 0.6 * text as f32 {
                    flags |= TEASERS;
                    if let Some(x) = f.flags.get_mut(i) {
                        *x = flags;
                    }
                    f.teaser_lists.push((id, teasers, teaser_cut.get(i).copied().unwrap_or(0)));
                }
                if flags & NEG_STRONG != 0
                    && f.reason.get(i).copied().flatten() == Some(Reason::Newsletter)
                    && text >= 500
                    && link * 10 < text
                {
                    // "paywall" / "subscriber" wrappers around long prose hold the gated
                    // article itself, not a sign-up box.
                    flags &= !NEG_STRONG;
                    if let Some(x) = f.flags.get_mut(i) {
                        *x = flags;
                    }
                    if let Some(x) = f.reason.get_mut(i) {
                        *x = None;
                    }
                } else if flags & NEG_STRONG != 0
                    && !frame.hidden
                    && f.reason.get(i).copied().flatten() != Some(Reason::CommentWidget)
                    && prose.is_running(text, link)
                {
                    // A class name is a few words of evidence; long running prose with few
                    // links and labels is an article body whatever its wrapper is called
                    // ("ad-free", "share-container"). Not comments: a comment thread is long
                    // prose too, with its names and dates often inline.
                    flags &= !NEG_STRONG;
                    exempted = true;
                    if let Some(x) = f.flags.get_mut(i) {
                        *x = flags;
                    }
                    if let Some(x) = f.reason.get_mut(i) {
                        *x = None;
                    }
                }
                let n_links = links.get(i).copied().unwrap_or(0).saturating_add(u16::from(tag == Tag::Link));
                if tag == Tag::Inline && n_links >= 3 && text >= 60 && link as f32 >= 0.95 * text as f32 {
                    flags |= LINK_CLUSTER;
                    if let Some(x) = f.flags.get_mut(i) {
                        *x = flags;
                    }
                    // The sentence around it is scored without it.
                    if let Some(&b) = blocks.last() {
                        let b = b.0 as usize;
                        if let Some(x) = own_w.get_mut(b) {
                            *x = x.saturating_sub(text);
                        }
                        if let Some(x) = own_link.get_mut(b) {
                            *x = x.saturating_sub(link);
                        }
                    }
                }
                let adjusted = if frame.skip { 0.0 } else { adjust(tag, flags, text, s) };
                if let Some(x) = f.score.get_mut(i) {
                    *x = s;
                }
                if let Some(x) = f.adjusted.get_mut(i) {
                    *x = adjusted;
                }
                if let Some(parent) = stack.last() {
                    let p = parent.id.0 as usize;
                    if let Some(x) = links.get_mut(p) {
                        *x = x.saturating_add(n_links);
                    }
                    if is_teaser(tag, first_link.get(i).copied().unwrap_or(false), text, link) {
                        if let Some(x) = teaser_n.get_mut(p) {
                            *x = x.saturating_add(1);
                        }
                        if let Some(x) = teaser_w.get_mut(p) {
                            *x += text;
                        }
                        if last_ellipsis {
                            if let Some(x) = teaser_cut.get_mut(p) {
                                *x = x.saturating_add(1);
                            }
                        }
                    }
                    if let Some(x) = f.text.get_mut(p) {
                        *x += text;
                    }
                    if let Some(x) = f.link.get_mut(p) {
                        *x += link;
                    }
                    if let Some(x) = f.score.get_mut(p) {
                        *x += adjusted;
                    }
                    if let Some(x) = f.prose.get_mut(p) {
                        x.add(prose);
                    }
                }
            }
        }
    }
    if exempted {
        redo_in_neg(doc, &mut f);
    }
    f
}

/// Recomputes `IN_NEG` top-down after boilerplate flags were lifted in pass 1.
fn redo_in_neg(doc: &Document, f: &mut Facts) {
    let tags = &f.tag;
    let flags = &mut f.flags;
    walk_inherited(doc, tags, |id, tag, inside| {
        let Some(flags) = flags.get_mut(id.0 as usize) else { return inside };
        let neg = inside || *flags & NEG_STRONG != 0 || matches!(tag, Tag::Nav | Tag::Footer | Tag::Aside);
        if neg {
            *flags |= IN_NEG;
        } else {
            *flags &= !IN_NEG;
        }
        neg
    });
}

/// Visits the elements top-down with whether an ancestor was marked; `mark` says whether the
/// element is (its ancestors' mark included), which its descendants then see. The walk behind
/// every "inside boilerplate" flag an element inherits.
fn walk_inherited(doc: &Document, tags: &[Tag], mut mark: impl FnMut(NodeId, Tag, bool) -> bool) {
    let mut stack: Vec<bool> = Vec::with_capacity(64);
    for edge in doc.traverse(doc.root()) {
        match edge {
            Edge::Open(id) if doc.kind(id) == NodeKind::Element => {
                let tag = tags.get(id.0 as usize).copied().unwrap_or(Tag::Inline);
                let inside = stack.last().copied().unwrap_or(false);
                stack.push(mark(id, tag, inside));
            }
            Edge::Close(id) if doc.kind(id) == NodeKind::Element => {
                stack.pop();
            }
            _ => {}
        }
    }
}

/// What an element passes to its parent: its score, or a penalty for boilerplate.
fn adjust(tag: Tag, flags: u16, text: u32, s: f32) -> f32 {
    if flags & HIDDEN != 0 {
        0.0
    } else if flags & (NEG_STRONG | TEASERS) != 0 || matches!(tag, Tag::Nav | Tag::Footer | Tag::Control) {
        -(text as f32) * 0.5 - 5.0
    } else if (flags & NEG_WEAK != 0 && flags & POSITIVE == 0 || matches!(tag, Tag::Aside)) && text < 500 {
        // Weak names (header, meta, widget) mark small boxes; a large one is a wrapper.
        s.min(0.0) - 2.0
    } else {
        s
    }
}

/// Teaser lists that the page title introduces are the article (a roundup of linked items):
/// a list after the title heading, inside the heading's parent (not the page body), holding
/// at least half of that parent's text and with whole snippets (at most a third cut short
/// with an ellipsis) loses its teaser penalty, and its ancestors get their score back.
fn exempt_titled_lists(doc: &Document, f: &mut Facts, title_path: &[NodeId]) {
    let (Some(&h), Some(&p)) = (title_path.first(), title_path.get(1)) else { return };
    if f.tag.get(p.0 as usize).is_none_or(|&t| t == Tag::Root) {
        return;
    }
    let span = |id: NodeId| f.span.get(id.0 as usize).copied().unwrap_or((0, 0));
    let (h_span, p_span) = (span(h), span(p));
    let p_text = f.text.get(p.0 as usize).copied().unwrap_or(0) as f32;
    let lists: Vec<NodeId> = f
        .teaser_lists
        .iter()
        .filter(|&&(l, n, cut)| {
            let l_span = span(l);
            l_span.0 > h_span.1
                && l_span.1 <= p_span.1
                && f.text.get(l.0 as usize).copied().unwrap_or(0) as f32 >= 0.5 * p_text
                && u32::from(cut) * 3 < u32::from(n)
        })
        .map(|&(l, _, _)| l)
        .collect();
    for l in lists {
        let i = l.0 as usize;
        let (Some(flags), Some(&old)) = (f.flags.get_mut(i), f.adjusted.get(i)) else { continue };
        *flags &= !TEASERS;
        let node_adj = |f: &Facts, id: NodeId| {
            let j = id.0 as usize;
            adjust(
                f.tag.get(j).copied().unwrap_or(Tag::Inline),
                f.flags.get(j).copied().unwrap_or(0),
                f.text.get(j).copied().unwrap_or(0),
                f.score.get(j).copied().unwrap_or(0.0),
            )
        };
        let new = node_adj(f, l);
        let mut delta = new - old;
        if let Some(x) = f.adjusted.get_mut(i) {
            *x = new;
        }
        let mut cur = doc.parent(l);
        while let Some(c) = cur {
            if delta == 0.0 {
                break;
            }
            let j = c.0 as usize;
            if let Some(x) = f.score.get_mut(j) {
                *x += delta;
            }
            let old = f.adjusted.get(j).copied().unwrap_or(0.0);
            let new = node_adj(f, c);
            delta = new - old;
            if let Some(x) = f.adjusted.get_mut(j) {
                *x = new;
            }
            cur = doc.parent(c);
        }
    }
}

/// A teaser: a list item or box that opens with a headline link (>= 15 characters of link
/// text) followed by a snippet (>= 40 characters outside links), short as a whole. Three or
/// more of them make a teaser list (related or latest stories), even when the snippets are
/// punctuated prose.
fn is_teaser(tag: Tag, first_link: bool, text: u32, link: u32) -> bool {
    matches!(tag, Tag::ListItem | Tag::Block | Tag::Semantic)
        && first_link
        && link >= 15
        && text >= link + 40
        && text <= 1500
}

/// Content gain of a block's own text: prose gains its weight, link text costs, short
/// unpunctuated text (menus, labels, buttons) costs a little.
fn gain(w: u32, link: u32, punct: u32) -> f32 {
    if w == 0 {
        return 0.0;
    }
    let w = w as f32;
    let link = link as f32;
    if punct == 0 && w < 80.0 {
        return -0.25 * w - 2.0 * link;
    }
    // Inline links in prose cost their own weight; link-dominated blocks cost much more.
    w - link - 3.0 * (link - 0.5 * w).max(0.0)
}

/// Score from which a candidate outside every boilerplate subtree is chosen over one inside
/// (about a sentence of prose).
const OUTSIDE_BOILERPLATE_MIN: f32 = 60.0;

/// Chooses the main-content element: the highest adjusted score, semantic markup favoured.
fn choose_main(doc: &Document, f: &Facts, title_path: &[NodeId], title_heading: Option<NodeId>) -> NodeId {
    let mut best = doc.root();
    let mut best_score = f32::MIN;
    let mut body: Option<NodeId> = None;
    let mut body_score = f32::MIN;
    // The best candidate outside every boilerplate subtree: comment threads and sidebar boxes
    // are prose too, and on a page with a short post they can outscore it even at a fifth.
    let mut clean_best: Option<NodeId> = None;
    let mut clean_score = f32::MIN;
    for (i, &tag) in f.tag.iter().enumerate() {
        if !tag.is_block() || matches!(tag, Tag::Skip) {
            continue;
        }
        let flags = f.flags.get(i).copied().unwrap_or(0);
        if flags & HIDDEN != 0 {
            continue;
        }
        let mut s = f.adjusted.get(i).copied().unwrap_or(0.0);
        if s <= 0.0 {
            continue;
        }
        // A candidate inside boilerplate or an author box counts a fifth.
        if flags & (IN_NEG | IN_AUTHOR) != 0 {
            s *= 0.2;
        }
        if tag == Tag::Semantic || (flags & POSITIVE != 0 && flags & (NEG_STRONG | NEG_WEAK) == 0) {
            s *= if tag == Tag::Semantic { 1.2 } else { 1.05 };
        }
        if s > best_score {
            best_score = s;
            best = NodeId(i as u32);
        }
        if flags & IN_NEG == 0 && s > clean_score {
            clean_score = s;
            clean_best = Some(NodeId(i as u32));
        }
        if flags & ARTICLE_BODY != 0 && s > body_score {
            body_score = s;
            body = Some(NodeId(i as u32));
        }
    }
    // The page's own articleBody wins unless it holds only a small part of the best text
    // (some pages mark just the lead).
    let chosen = match body {
        Some(b) if body_score >= 0.3 * best_score => b,
        _ => match clean_best {
            // A post of a sentence or more outside the boilerplate beats a widget or a comment
            // whose boilerplate subtree does not hold the page's title heading (a sticky
            // "sidebar" wrapper around the whole article does).
            Some(c)
                if clean_score >= OUTSIDE_BOILERPLATE_MIN
                    && c != best
                    && !neg_subtree_holds(doc, f, best, title_heading) =>
            {
                c
            }
            _ => best,
        },
    };
    narrow(doc, f, widen(doc, f, chosen), title_path)
}

/// Share of the chosen paragraph's score that its sibling paragraphs must reach together for
/// the parent to be taken instead. Any value from 0.1 to 0.5 gives the same F1 on the three
/// public sets (181 pages 0.981, dragnet 0.924, readability 0.942): what matters is that the
/// siblings are prose at all.
const SIBLING_SHARE: f32 = 0.25;

/// A single paragraph is rarely a whole article. When the best candidate is one `<p>` and
/// sibling paragraphs that score on their own sit beside it (readability's sibling join), the
/// parent is the candidate: it lost to the paragraph only because boilerplate children (a
/// share bar, an ad) cost it their weight, and emission prunes those children anyway.
fn widen(doc: &Document, f: &Facts, chosen: NodeId) -> NodeId {
    let tag = |id: NodeId| f.tag.get(id.0 as usize).copied().unwrap_or(Tag::Inline);
    let adj = |id: NodeId| f.adjusted.get(id.0 as usize).copied().unwrap_or(0.0);
    if tag(chosen) != Tag::P {
        return chosen;
    }
    let Some(parent) = doc.parent(chosen) else { return chosen };
    if matches!(doc.tag(parent), None | Some("body" | "html"))
        || f.flags.get(parent.0 as usize).is_some_and(|&fl| fl & (HIDDEN | NEG_STRONG) != 0)
    {
        return chosen;
    }
    let siblings: f32 = doc
        .children(parent)
        .filter(|&c| c != chosen && matches!(tag(c), Tag::P | Tag::Quote))
        .map(|c| adj(c).max(0.0))
        .sum();
    if siblings >= SIBLING_SHARE * adj(chosen) {
        parent
    } else {
        chosen
    }
}

/// Whether the outermost boilerplate subtree around `id` (a class or a `nav`/`aside`/`footer`
/// tag) holds `heading`; true when `id` is in no such subtree or there is no heading, so that
/// only a candidate shown to sit apart from the article's title is passed over.
fn neg_subtree_holds(doc: &Document, f: &Facts, id: NodeId, heading: Option<NodeId>) -> bool {
    let Some(h) = heading else { return false };
    let mut top = None;
    let mut cur = Some(id);
    while let Some(c) = cur {
        let i = c.0 as usize;
        let flags = f.flags.get(i).copied().unwrap_or(0);
        if flags & IN_NEG == 0 {
            break;
        }
        top = Some(c);
        cur = doc.parent(c);
    }
    let Some(top) = top else { return true };
    let span = |n: NodeId| f.span.get(n.0 as usize).copied().unwrap_or((0, 0));
    let (t, hs) = (span(top), span(h));
    t.0 <= hs.0 && hs.1 <= t.1
}

/// The heading (h1/h2) that gives the page title: the one that repeats it, else one that
/// makes its start or its end (the title with the site's name around it), of at least
/// [`TITLE_PART_MIN`] letters, else the first `<h1>`.
fn title_heading(doc: &Document, headings: &[NodeId], title_key: &str) -> Option<NodeId> {
    if title_key.is_empty() {
        return None;
    }
    let keys: Vec<(NodeId, String)> =
        headings.iter().map(|&h| (h, loose_key(&doc.text_content(h)))).collect();
    keys.iter()
        .find(|(_, k)| k == title_key)
        .or_else(|| {
            keys.iter().find(|(_, k)| {
                k.chars().count() >= TITLE_PART_MIN
                    && (title_key.starts_with(k.as_str()) || title_key.ends_with(k.as_str()))
            })
        })
        .map(|(h, _)| *h)
        // Else the first <h1>: the page's own heading, wherever the title differs from it.
        .or_else(|| headings.iter().copied().find(|&h| doc.tag(h) == Some("h1")))
}

/// Letters from which a heading that starts or ends the page title is its title heading.
const TITLE_PART_MIN: usize = 12;

/// The heading (h1/h2) that repeats the page title, and its ancestors: the article is the
/// teaser-free subtree around it.
fn title_path(doc: &Document, headings: &[NodeId], title_key: &str) -> Vec<NodeId> {
    if title_key.is_empty() {
        return Vec::new();
    }
    let Some(&h) = headings.iter().find(|&&h| loose_key(&doc.text_content(h)) == title_key) else {
        return Vec::new();
    };
    let mut path = Vec::new();
    let mut cur = Some(h);
    while let Some(c) = cur {
        path.push(c);
        cur = doc.parent(c);
    }
    path
}

/// Descends from the chosen element towards the heading that repeats the page title, while
/// the child holding it carries a fair share of the score (>= 25%) and its positive siblings
/// read like teasers (headline links plus snippets: link share >= 12% and at least twice the
/// child's): on pages listing several posts, the titled one is the article.
fn narrow(doc: &Document, f: &Facts, mut cur: NodeId, title_path: &[NodeId]) -> NodeId {
    let adj = |id: NodeId| f.adjusted.get(id.0 as usize).copied().unwrap_or(0.0);
    for _ in 0..256 {
        let total = adj(cur);
        let Some(b) = doc.children(cur).find(|c| title_path.contains(c)) else { break };
        if adj(b) <= 0.0 || adj(b) < 0.25 * total {
            break;
        }
        let (mut text, mut link) = (0u32, 0u32);
        for c in doc.children(cur) {
            if c != b && adj(c) > 0.0 {
                text += f.text.get(c.0 as usize).copied().unwrap_or(0);
                link += f.link.get(c.0 as usize).copied().unwrap_or(0);
            }
        }
        let b_text = f.text.get(b.0 as usize).copied().unwrap_or(0).max(1) as f32;
        let b_ld = f.link.get(b.0 as usize).copied().unwrap_or(0) as f32 / b_text;
        let others_ld = link as f32 / text.max(1) as f32;
        if text == 0 || (others_ld >= 0.12 && others_ld >= 2.0 * b_ld) {
            cur = b;
        } else {
            break;
        }
    }
    cur
}

/// Where text of the current element goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Content,
    /// Inside the main content but set aside.
    Pruned(Reason),
    /// Outside the main content; the reason is the nearest one known.
    Outside(Reason),
}

#[derive(Clone, Copy)]
struct Frame2 {
    mode: Mode,
    kind: BlockKind,
    hidden: bool,
    skip: bool,
    link: bool,
    block: bool,
    /// Text weight of the nearest block element.
    block_text: u32,
    /// Inside navigation, a footer, an aside or a comment thread ([`obvious_boilerplate`]).
    obvious: bool,
    /// Inside a table cell: a "Comment" or "Tags" there heads a column, not the page's tail.
    in_cell: bool,
}

struct Emitter<'a> {
    blocks: Vec<DraftBlock>,
    images: Vec<Image>,
    removed: Vec<Removed>,
    /// Text of the block being built and its properties.
    buf: String,
    buf_w: usize,
    buf_link: usize,
    buf_kind: BlockKind,
    buf_mode: Mode,
    buf_hidden: bool,
    buf_in_cell: bool,
    /// A removed run is open: the next removed text with the same reason joins its entry.
    removed_run: bool,
    /// Image waiting for its caption.
    pending_image: Option<usize>,
    /// Loose key of the page title, to mark the title repeated as a heading.
    title_key: &'a str,
    /// Visible prose (non-link weight) of the content blocks so far.
    prose: f32,
    /// Tail labels ("Comments", "Related articles") met after the article started.
    tails: Vec<Tail>,
}

/// A tail label inside the main content: where the page's tail may start.
struct Tail {
    block: usize,
    image: usize,
    /// Prose before the label.
    before: f32,
    reason: Reason,
}

const AD_LABELS: [&str; 17] = [
    "advertisement",
    "advert",
    "adverts",
    "publicidade",
    "advertisment",
    "advertising",
    "anzeige",
    "werbung",
    "publicité",
    "publicidad",
    "pubblicità",
    "reklama",
    "реклама",
    "广告",
    "sponsored",
    "annonce",
    "ad",
];

impl Emitter<'_> {
    fn push_text(&mut self, s: &str, frame: &Frame2) {
        let blank = s.trim().is_empty();
        if blank {
            if !self.buf.is_empty() && frame.kind != BlockKind::Preformatted {
                push_collapsed(&mut self.buf, " ");
            } else if !self.buf.is_empty() {
                self.buf.push_str(s);
            }
            return;
        }
        if !self.buf.is_empty()
            && (self.buf_mode != frame.mode || self.buf_hidden != frame.hidden || self.buf_kind != frame.kind)
        {
            self.flush();
        }
        if self.buf.is_empty() {
            self.buf_mode = frame.mode;
            self.buf_hidden = frame.hidden;
            self.buf_kind = frame.kind;
            self.buf_in_cell = frame.in_cell;
        }
        let w = s.chars().filter(|c| !c.is_whitespace()).count();
        self.buf_w += w;
        if frame.link {
            self.buf_link += w;
        }
        if frame.kind == BlockKind::Preformatted {
            self.buf.push_str(s);
        } else {
            push_collapsed(&mut self.buf, s);
        }
    }

    fn flush(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let text = if self.buf_kind == BlockKind::Preformatted {
            self.buf.trim_matches(|c| c == '\n' || c == '\r').to_string()
        } else {
            self.buf.trim().to_string()
        };
        let w = self.buf_w.max(1);
        let ld = (self.buf_link as f32 / w as f32).min(1.0);
        self.buf.clear();
        self.buf_w = 0;
        self.buf_link = 0;
        if text.trim().is_empty() {
            return;
        }
        match self.buf_mode {
            Mode::Content => {
                let mut b = DraftBlock::new(self.buf_kind, text);
                b.hidden = self.buf_hidden;
                b.link_density = ld;
                // The title repeats as a heading, or as a styled paragraph above the text.
                if (b.kind == BlockKind::Heading || self.prose < 150.0)
                    && !self.title_key.is_empty()
                    && loose_key(&b.text) == self.title_key
                {
                    b.boilerplate = Some(Reason::DuplicateTitle);
                } else if b.text.chars().count() <= 20 {
                    let l = b.text.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
                    if AD_LABELS.contains(&l.as_str()) {
                        b.boilerplate = Some(Reason::Advertisement);
                    }
                } else if w <= 100 && script_notice(&b.text) {
                    b.boilerplate = Some(Reason::Boilerplate);
                } else if b.kind == BlockKind::Paragraph
                    && ld >= 0.8
                    && w >= 25
                    && self.prose >= 150.0
                    && !b.text.contains("://")
                    && !b.text.contains("www.")
                {
                    // A paragraph that is one headline link inside the article: "read also".
                    // A printed address (URL) is text the reader is meant to see.
                    b.boilerplate = Some(Reason::RelatedLinks);
                }
                if !b.hidden && b.boilerplate.is_none() && b.kind != BlockKind::Caption {
                    if self.prose >= 150.0 && self.tails.len() < 8 && w <= 60 && !self.buf_in_cell {
                        if let Some(reason) = tail_label(&b.text, b.kind == BlockKind::Heading) {
                            let (block, image) = (self.blocks.len(), self.images.len());
                            self.tails.push(Tail { block, image, before: self.prose, reason });
                        }
                    }
                    self.prose += w as f32 * (1.0 - ld);
                }
                if b.kind == BlockKind::Caption {
                    self.attach_caption(&b.text, b.hidden);
                } else if !b.hidden {
                    self.pending_image = None;
                }
                self.blocks.push(b);
                self.removed_run = false;
            }
            Mode::Pruned(r) | Mode::Outside(r) => {
                // Hidden text is recorded too: every text of the page ends in the blocks or in
                // `removed` with a reason.
                let reason = if self.buf_hidden {
                    Reason::Hidden
                } else if r == Reason::Boilerplate && ld > 0.5 {
                    Reason::Navigation
                } else {
                    r
                };
                if self.removed_run {
                    if let Some(last) = self.removed.last_mut() {
                        if last.reason == reason {
                            last.text.push('\n');
                            last.text.push_str(&text);
                            return;
                        }
                    }
                }
                self.removed.push(Removed { text, reason });
                self.removed_run = true;
            }
        }
    }

    /// Flags the page tail that a label opens. After "Comments" everything to the end goes,
    /// unless more than three times the article's prose follows (then the label was not the
    /// end). After other labels ("Related", "Read also", "Tags") the label and the link items
    /// under it go, up to the next text that is not mostly links: such boxes often sit inside
    /// the article, which resumes after them.
    fn cut_tail(&mut self) {
        let Some(first) = self.tails.first().map(|t| t.block) else { return };
        // Prose weight from each block index to the end, for blocks after `first`.
        let rest = self.blocks.get(first..).unwrap_or(&[]);
        let mut suffix = vec![0.0f32; rest.len() + 1];
        for (k, b) in rest.iter().enumerate().rev() {
            let mut p = suffix.get(k + 1).copied().unwrap_or(0.0);
            if counts_as_prose(b) {
                p += text_len(&b.text) as f32 * (1.0 - b.link_density);
            }
            if let Some(x) = suffix.get_mut(k) {
                *x = p;
            }
        }
        let mut done = 0usize;
        for t in &self.tails {
            if t.block < done {
                continue;
            }
            if t.reason == Reason::CommentWidget {
                let after = suffix.get(t.block + 1 - first).copied().unwrap_or(0.0);
                if after <= 3.0 * t.before {
                    for b in self.blocks.iter_mut().skip(t.block) {
                        b.boilerplate.get_or_insert(t.reason);
                    }
                    self.images.truncate(t.image);
                    return;
                }
                continue;
            }
            let mut k = t.block;
            while let Some(b) = self.blocks.get_mut(k) {
                if k > t.block && counts_as_prose(b) && b.link_density < 0.3 && text_len(&b.text) >= 15 {
                    break;
                }
                if b.kind != BlockKind::Caption {
                    b.boilerplate.get_or_insert(t.reason);
                }
                k += 1;
            }
            if k >= self.blocks.len() {
                self.images.truncate(t.image);
            }
            done = k;
        }
    }

    fn attach_caption(&mut self, text: &str, hidden: bool) {
        let Some(img) = self.pending_image.and_then(|i| self.images.get_mut(i)) else { return };
        if img.caption.is_some() && hidden {
            return;
        }
        let (caption, credit) = split_credit(text);
        if img.caption.is_none() || !hidden {
            img.caption = (!caption.is_empty()).then_some(caption);
            if credit.is_some() {
                img.credit = credit;
            }
        }
    }
}

/// "This slideshow requires JavaScript", "Please enable JavaScript to view the comments".
fn script_notice(text: &str) -> bool {
    let l = text.to_lowercase();
    l.contains("javascript")
        && [
            "enable",
            "requires",
            "required",
            "turn on",
            "activate",
            "aktivier",
            "activer",
            "habilit",
            "włącz",
            "включ",
        ]
        .iter()
        .any(|k| l.contains(k))
}

/// Visible article text that counts towards prose measures.
fn counts_as_prose(b: &DraftBlock) -> bool {
    !b.hidden && b.boilerplate.is_none() && b.kind != BlockKind::Caption
}

fn text_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// URL of an image, preferring lazy-loading attributes when `src` is a placeholder.
fn image_url(doc: &Document, id: NodeId) -> Option<String> {
    let src = doc.attr(id, "src").map(str::trim).filter(|s| !s.is_empty());
    let placeholder = src.is_none_or(|s| {
        let l = s.to_ascii_lowercase();
        l.starts_with("data:")
            || l.contains("placeholder")
            || l.contains("blank.")
            || l.contains("spacer")
            || l.contains("lazy")
    });
    if placeholder {
        for a in ["data-src", "data-original", "data-lazy-src", "data-url", "data-srcset", "srcset"] {
            if let Some(v) = doc.attr(id, a) {
                let first = v.split(',').next().unwrap_or("").split_whitespace().next().unwrap_or("");
                if !first.is_empty() {
                    return Some(first.to_string());
                }
            }
        }
    }
    src.map(str::to_string)
}

/// Decides how an element inside the main content is treated.
fn content_mode(f: &Facts, i: usize, tag: Tag) -> Mode {
    let flags = f.flags.get(i).copied().unwrap_or(0);
    let reason = f.reason.get(i).copied().flatten();
    let text = f.text.get(i).copied().unwrap_or(0) as f32;
    let link = f.link.get(i).copied().unwrap_or(0) as f32;
    let score = f.score.get(i).copied().unwrap_or(0.0);
    if flags & NEG_STRONG != 0 {
        return Mode::Pruned(reason.unwrap_or(Reason::Boilerplate));
    }
    if flags & TEASERS != 0 {
        return Mode::Pruned(Reason::RelatedLinks);
    }
    match tag {
        Tag::Nav => return Mode::Pruned(Reason::Navigation),
        Tag::Footer => return Mode::Pruned(Reason::Boilerplate),
        Tag::Aside => return Mode::Pruned(Reason::RelatedLinks),
        Tag::Control => return Mode::Pruned(Reason::Navigation),
        Tag::Header => return Mode::Pruned(Reason::Boilerplate),
        Tag::Form if score <= 0.0 => return Mode::Pruned(Reason::Navigation),
        _ => {}
    }
    // Weak names (byline, meta, widget) mark small boxes. An inline element scores nothing of
    // its own (its text counts for the block around it), so its size speaks instead: a span
    // holding paragraphs of text (an unclosed `<span class="byline-author">` around a post) is
    // a wrapper, as in `adjust`.
    let small = if tag == Tag::Inline { text < 500.0 } else { score < 150.0 };
    if flags & NEG_WEAK != 0 && flags & POSITIVE == 0 && small {
        return Mode::Pruned(reason.unwrap_or(Reason::Boilerplate));
    }
    if text > 0.0 && !matches!(tag, Tag::Inline | Tag::Link | Tag::P | Tag::Heading) {
        let ld = link / text;
        if (score < 0.0 && ld > 0.3) || (tag == Tag::List && ld > 0.6) {
            return Mode::Pruned(Reason::RelatedLinks);
        }
    }
    Mode::Content
}

/// Reason for text outside the main content, from tag and class.
fn outside_reason(f: &Facts, i: usize, tag: Tag, inherited: Reason) -> Reason {
    let flags = f.flags.get(i).copied().unwrap_or(0);
    if flags & (NEG_STRONG | NEG_WEAK) != 0 {
        if let Some(r) = f.reason.get(i).copied().flatten() {
            return r;
        }
    }
    match tag {
        Tag::Nav | Tag::Header | Tag::Footer => Reason::Navigation,
        Tag::Aside => Reason::RelatedLinks,
        _ => inherited,
    }
}

/// Extracts blocks, images, removed text and page metadata from an HTML page.
pub(crate) fn extract_html_draft(html: &str, hints: &Metadata) -> Draft {
    let doc = Document::parse(html);
    let mut collector = MetaCollector::default();
    let mut headings = Vec::new();
    let mut facts = score_pass(&doc, &mut collector, &mut headings);
    let h1 = collector.h1().map(str::to_string);
    let mut meta = hints.clone();
    meta.fill_from(&collector.finish());
    let title_key = meta.title.as_deref().or(h1.as_deref()).map(loose_key).unwrap_or_default();
    let path = title_path(&doc, &headings, &title_key);
    exempt_titled_lists(&doc, &mut facts, &path);
    let main = choose_main(&doc, &facts, &path, title_heading(&doc, &headings, &title_key));
    let scored = emit(&doc, &facts, Selection::Node(main), &title_key);
    let (emitted, extraction) = fall_back(&doc, &facts, main, scored, &title_key);
    let Emitted { blocks, images, removed } = emitted;
    if let Some(url) = meta.image.clone() {
        tracing::trace!(%url, "page image");
    }
    Draft { meta, blocks, images, removed, extraction: Some(extraction) }
}

/// Which subtree emission treats as the main content.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Selection {
    /// One element and its subtree.
    Node(NodeId),
    /// Every paragraph, quote and preformatted block outside obvious boilerplate.
    Baseline,
}

/// What emission produced: the draft's blocks, images and removed text.
struct Emitted {
    blocks: Vec<DraftBlock>,
    images: Vec<Image>,
    removed: Vec<Removed>,
}

/// Subtrees no candidate takes text from, whatever it holds: navigation, footers, asides and
/// comment threads (a thread is long prose, and would win a count of prose).
fn obvious_boilerplate(f: &Facts, i: usize, tag: Tag) -> bool {
    matches!(tag, Tag::Nav | Tag::Footer | Tag::Aside)
        || (f.flags.get(i).copied().unwrap_or(0) & NEG_STRONG != 0
            && f.reason.get(i).copied().flatten() == Some(Reason::CommentWidget))
}

/// The scored candidate is checked against the others when its running prose is below this
/// share of the page's (comment threads, navigation, footers and asides aside): an article
/// normally holds most of its page's running prose.
const FALLBACK_SHARE: f32 = 0.5;
/// Another candidate replaces the scored one when it holds at least this many times its running
/// prose, and at least [`PROSE_BODY_MIN`] more: a clear gain, not a close call between two
/// readings of a normal page.
const FALLBACK_GAIN: f32 = 2.0;

/// Running prose and visible characters of emitted article blocks (captions, hidden and flagged
/// blocks aside). Running prose: a block of [`PROSE_BLOCK_MIN`] weight or more with
/// [`PROSE_MIN_PUNCT`] punctuation marks and at most a fifth in links, as in pass 1.
fn article_measure(blocks: &[DraftBlock]) -> (u32, usize) {
    let (mut prose, mut chars) = (0u32, 0usize);
    for b in blocks.iter().filter(|b| counts_as_prose(b)) {
        chars += text_len(&b.text);
        let (w, p) = text_weight(&b.text);
        if w >= PROSE_BLOCK_MIN && p >= PROSE_MIN_PUNCT && b.link_density <= 0.2 {
            prose = prose.saturating_add(w);
        }
    }
    (prose, chars)
}

/// Visible characters of the page as emitted: every non-hidden block and removed text.
fn page_chars(e: &Emitted) -> usize {
    let blocks: usize = e.blocks.iter().filter(|b| !b.hidden).map(|b| text_len(&b.text)).sum();
    let removed: usize =
        e.removed.iter().filter(|r| r.reason != Reason::Hidden).map(|r| text_len(&r.text)).sum();
    blocks + removed
}

/// The readability-style candidate and the page's running prose, both outside obvious
/// boilerplate ([`obvious_boilerplate`]). Each block of running prose counts its weight for its
/// parent and half for its grandparent; an element's count shrinks with its link density, and
/// the element with the highest count is the densest body of prose. Class names play no part:
/// it is the candidate for pages whose markup misleads the scorer.
fn densest(doc: &Document, f: &Facts) -> (Option<NodeId>, u32) {
    let n = f.tag.len();
    let mut acc = vec![0.0f32; n];
    let mut excluded = vec![false; n];
    let mut page = 0u32;
    walk_inherited(doc, &f.tag, |id, tag, inside| {
        let i = id.0 as usize;
        let ex =
            inside || obvious_boilerplate(f, i, tag) || f.flags.get(i).copied().unwrap_or(0) & HIDDEN != 0;
        if let Some(x) = excluded.get_mut(i) {
            *x = ex;
        }
        let w = f.own_prose.get(i).copied().unwrap_or(0);
        if ex || w == 0 {
            return ex;
        }
        page = page.saturating_add(w);
        if let Some(p) = doc.parent(id) {
            if let Some(x) = acc.get_mut(p.0 as usize) {
                *x += w as f32;
            }
            if let Some(g) = doc.parent(p) {
                if let Some(x) = acc.get_mut(g.0 as usize) {
                    *x += 0.5 * w as f32;
                }
            }
        }
        ex
    });
    let mut best = None;
    let mut best_score = 0.0f32;
    for (i, &a) in acc.iter().enumerate() {
        if a <= 0.0 || excluded.get(i).copied().unwrap_or(true) {
            continue;
        }
        if !f.tag.get(i).is_some_and(|t| t.is_block()) {
            continue;
        }
        let text = f.text.get(i).copied().unwrap_or(0).max(1) as f32;
        let link = f.link.get(i).copied().unwrap_or(0) as f32;
        let s = a * (1.0 - (link / text).min(1.0));
        if s > best_score {
            best_score = s;
            best = Some(NodeId(i as u32));
        }
    }
    (best, page)
}

/// The article is never lost silently: when the scored candidate holds little of the page's
/// running prose ([`FALLBACK_SHARE`]), the densest subtree of prose around it is emitted too,
/// and the baseline (every paragraph outside obvious boilerplate) when the scored candidate has
/// no text; the one with the most running prose replaces it if it clearly holds more
/// ([`FALLBACK_GAIN`]). Whichever wins, the draft
/// says which and why, with the figures compared.
fn fall_back(
    doc: &Document,
    f: &Facts,
    main: NodeId,
    scored: Emitted,
    title_key: &str,
) -> (Emitted, Extraction) {
    let (prose, chars) = article_measure(&scored.blocks);
    let page = page_chars(&scored);
    let (dense, page_prose) = densest(doc, f);
    if prose as f32 >= FALLBACK_SHARE * page_prose as f32 {
        let reason = format!(
            "the best-scoring subtree holds {prose} of the page's {page_prose} weight of running prose"
        );
        return (scored, Extraction { candidate: Candidate::Scored, reason, chars, page_chars: page });
    }
    // The fallback widens the scored candidate, it never jumps elsewhere: the densest subtree
    // competes only when it holds the scored one (on the three public sets, a densest subtree
    // apart from it was another story or a comment thread every time).
    let span = |n: NodeId| f.span.get(n.0 as usize).copied().unwrap_or((0, 0));
    let dense = dense.filter(|&d| {
        let (d, m) = (span(d), span(main));
        d.0 <= m.0 && m.1 <= d.1
    });
    // The baseline takes every paragraph, teasers and sign-up boxes included: only when the
    // scored candidate has no text at all.
    let baseline = (chars == 0).then_some(Selection::Baseline);
    let mut others: Vec<(Candidate, Emitted, u32, usize)> = Vec::with_capacity(2);
    for (cand, sel) in [(Candidate::Densest, dense.map(Selection::Node)), (Candidate::Baseline, baseline)] {
        let Some(sel) = sel else { continue };
        let e = emit(doc, f, sel, title_key);
        let (p, c) = article_measure(&e.blocks);
        others.push((cand, e, p, c));
    }
    let figures: Vec<String> = others.iter().map(|(c, _, p, _)| format!("{c} {p}")).collect();
    let figures = if figures.is_empty() { "none around it".to_string() } else { figures.join(", ") };
    let best = others
        .into_iter()
        .filter(|(_, _, p, _)| {
            *p as f32 >= FALLBACK_GAIN * prose as f32 && *p >= prose.saturating_add(PROSE_BODY_MIN)
        })
        .max_by_key(|(_, _, p, _)| *p);
    match best {
        Some((cand, e, p, c)) => {
            let reason = format!(
                "the best-scoring subtree held {prose} of the page's {page_prose} weight of running \
                 prose; {figures}: the {cand} candidate holds {p}, at least {FALLBACK_GAIN} times as much"
            );
            (e, Extraction { candidate: cand, reason, chars: c, page_chars: page })
        }
        None => {
            let reason = format!(
                "the best-scoring subtree holds {prose} of the page's {page_prose} weight of running \
                 prose; no other candidate holds {FALLBACK_GAIN} times as much ({figures})"
            );
            (scored, Extraction { candidate: Candidate::Scored, reason, chars, page_chars: page })
        }
    }
}

/// Pass 2: emits the blocks of `sel`, and everything else to `removed` with a reason.
fn emit(doc: &Document, facts: &Facts, sel: Selection, title_key: &str) -> Emitted {
    let mut em = Emitter {
        blocks: Vec::new(),
        images: Vec::new(),
        removed: Vec::new(),
        buf: String::new(),
        buf_w: 0,
        buf_link: 0,
        buf_kind: BlockKind::Paragraph,
        buf_mode: Mode::Content,
        buf_hidden: false,
        buf_in_cell: false,
        removed_run: false,
        pending_image: None,
        title_key,
        prose: 0.0,
        tails: Vec::new(),
    };
    let root_frame = Frame2 {
        mode: if sel == Selection::Node(doc.root()) {
            Mode::Content
        } else {
            Mode::Outside(Reason::Boilerplate)
        },
        kind: BlockKind::Paragraph,
        hidden: false,
        skip: false,
        link: false,
        block: true,
        block_text: 0,
        obvious: false,
        in_cell: false,
    };
    let mut stack: Vec<Frame2> = Vec::with_capacity(64);
    for edge in doc.traverse(doc.root()) {
        match edge {
            Edge::Open(id) => {
                let parent = stack.last().copied().unwrap_or(root_frame);
                match doc.kind(id) {
                    NodeKind::Element => {
                        let i = id.0 as usize;
                        let tag = facts.tag.get(i).copied().unwrap_or(Tag::Inline);
                        let flags = facts.flags.get(i).copied().unwrap_or(0);
                        let mut frame = parent;
                        frame.block = tag.is_block();
                        if parent.skip || matches!(tag, Tag::Skip | Tag::Annotation) {
                            frame.skip = true;
                            stack.push(frame);
                            continue;
                        }
                        frame.hidden |= flags & HIDDEN != 0;
                        frame.link |= tag == Tag::Link;
                        frame.in_cell |= tag == Tag::Cell;
                        let text = facts.text.get(i).copied().unwrap_or(0);
                        if tag.is_block() {
                            frame.block_text = text;
                        } else if flags & LINK_CLUSTER != 0
                            && parent.mode == Mode::Content
                            && parent.block_text >= text + 40
                        {
                            // A link cluster inside a sentence: set aside without breaking it.
                            let t = doc.text_content(id);
                            let reason = if frame.hidden { Reason::Hidden } else { Reason::RelatedLinks };
                            em.removed.push(Removed { text: t.trim().to_string(), reason });
                            em.removed_run = false;
                            frame.skip = true;
                            stack.push(frame);
                            continue;
                        }
                        frame.obvious |= obvious_boilerplate(facts, i, tag);
                        frame.mode = match (sel, parent.mode) {
                            (Selection::Node(main), _) if id == main => Mode::Content,
                            (Selection::Baseline, Mode::Outside(_))
                                if !frame.obvious
                                    && !frame.hidden
                                    && matches!(tag, Tag::P | Tag::Quote | Tag::Pre) =>
                            {
                                Mode::Content
                            }
                            (_, Mode::Content) => content_mode(facts, i, tag),
                            (_, Mode::Pruned(r)) => Mode::Pruned(r),
                            (_, Mode::Outside(r)) => Mode::Outside(outside_reason(facts, i, tag, r)),
                        };
                        if let Some(k) = tag.kind() {
                            let k = if flags & CAPTION != 0 && tag != Tag::Heading {
                                BlockKind::Caption
                            } else {
                                k
                            };
                            // Quotes, captions and preformatted text keep their kind inside.
                            frame.kind = match parent.kind {
                                BlockKind::Quote | BlockKind::Caption | BlockKind::Preformatted => {
                                    parent.kind
                                }
                                _ => k,
                            };
                        } else if flags & CAPTION != 0 {
                            frame.kind = BlockKind::Caption;
                        }
                        if tag.is_block() || tag == Tag::Br || frame.kind != parent.kind {
                            em.flush();
                        }
                        if tag == Tag::Img && frame.mode == Mode::Content && !frame.hidden {
                            em.images.push(Image { url: image_url(doc, id), caption: None, credit: None });
                            em.pending_image = Some(em.images.len() - 1);
                        }
                        stack.push(frame);
                    }
                    NodeKind::Text => {
                        if parent.skip {
                            continue;
                        }
                        if let Some(t) = doc.text(id) {
                            em.push_text(t, &parent);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(id) => {
                if doc.kind(id) != NodeKind::Element {
                    continue;
                }
                if let Some(frame) = stack.pop() {
                    let parent_kind = stack.last().map_or(BlockKind::Paragraph, |p| p.kind);
                    if frame.block || frame.kind != parent_kind {
                        em.flush();
                    }
                }
            }
        }
    }
    em.flush();
    em.cut_tail();
    let Emitter { blocks, images, removed, .. } = em;
    Emitted { blocks, images, removed }
}

/// All text of a page that a browser could render, whatever CSS and `hidden` say: the text
/// outside `script`, `style`, `head`, media and ruby annotations, one line per text node. What
/// every block must be accounted for against (kept or removed with a reason).
pub(crate) fn rendered_text(html: &str) -> String {
    let doc = Document::parse(html);
    let mut out = String::new();
    let mut skipped_depth = 0usize;
    let mut depth = 0usize;
    for edge in doc.traverse(doc.root()) {
        match edge {
            Edge::Open(id) => match doc.kind(id) {
                NodeKind::Element => {
                    depth += 1;
                    let tag = tag_of(doc.tag(id).unwrap_or(""));
                    if skipped_depth == 0 && matches!(tag, Tag::Skip | Tag::Annotation) {
                        skipped_depth = depth;
                    }
                }
                NodeKind::Text if skipped_depth == 0 => {
                    let t = doc.text(id).unwrap_or("").trim();
                    if !t.is_empty() {
                        out.push_str(t);
                        out.push('\n');
                    }
                }
                _ => {}
            },
            Edge::Close(id) => {
                if doc.kind(id) == NodeKind::Element {
                    if skipped_depth == depth {
                        skipped_depth = 0;
                    }
                    depth = depth.saturating_sub(1);
                }
            }
        }
    }
    out
}

/// Describes the best-scoring candidates of a page (tag, class, scores); for tuning only.
pub(crate) fn debug_candidates(html: &str, top: usize) -> String {
    let doc = Document::parse(html);
    let mut collector = MetaCollector::default();
    let mut headings = Vec::new();
    let mut f = score_pass(&doc, &mut collector, &mut headings);
    let title = collector.finish().title.map(|t| loose_key(&t)).unwrap_or_default();
    let path = title_path(&doc, &headings, &title);
    exempt_titled_lists(&doc, &mut f, &path);
    let main = choose_main(&doc, &f, &path, title_heading(&doc, &headings, &title));
    let mut ids: Vec<usize> =
        (0..f.tag.len()).filter(|&i| f.tag.get(i).is_some_and(|t| t.is_block())).collect();
    ids.sort_by(|&a, &b| f.adjusted.get(b).unwrap_or(&0.0).total_cmp(f.adjusted.get(a).unwrap_or(&0.0)));
    let mut out = String::new();
    let mut cur = Some(main);
    while let Some(c) = cur {
        let i = c.0 as usize;
        out.push_str(&format!(
            "  ^ {} {}.{} adj={:.0} score={:.0} text={} link={} flags={:b}\n",
            i,
            doc.tag(c).unwrap_or(""),
            doc.attr(c, "class").unwrap_or("").chars().take(50).collect::<String>(),
            f.adjusted.get(i).unwrap_or(&0.0),
            f.score.get(i).unwrap_or(&0.0),
            f.text.get(i).unwrap_or(&0),
            f.link.get(i).unwrap_or(&0),
            f.flags.get(i).unwrap_or(&0),
        ));
        cur = doc.parent(c);
    }
    for &i in ids.iter().take(top) {
        let id = NodeId(i as u32);
        let mut path = Vec::new();
        let mut cur = Some(id);
        while let Some(c) = cur {
            if let Some(t) = doc.tag(c) {
                let cls = doc.attr(c, "class").unwrap_or("");
                let idv = doc.attr(c, "id").unwrap_or("");
                path.push(format!(
                    "{t}.{}#{idv}",
                    cls.chars().take(40).collect::<String>().replace(' ', ".")
                ));
            }
            cur = doc.parent(c);
        }
        path.reverse();
        out.push_str(&format!(
            "{}{} adj={:.0} score={:.0} text={} link={} flags={:b} {}\n",
            if id == main { "*" } else { " " },
            i,
            f.adjusted.get(i).unwrap_or(&0.0),
            f.score.get(i).unwrap_or(&0.0),
            f.text.get(i).unwrap_or(&0),
            f.link.get(i).unwrap_or(&0),
            f.flags.get(i).unwrap_or(&0),
            path.join(" > ")
        ));
    }
    out
}
