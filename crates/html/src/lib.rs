//! A fast, forgiving HTML parser into a compact arena DOM, built for article extraction.
//!
//! What it is for: turning real-world (often broken) news pages into a tree that looks like
//! the one a browser builds, quickly (hundreds of MB/s on one core), so an extractor can score
//! blocks of text. What it is not: a conforming HTML5 parser (no adoption agency, no implied
//! `<tbody>`/`<html>`/`<body>`, no scripting), a serializer, or a CSS selector engine.
//!
//! API CONTRACT (other crates code against exactly this; the implementation may change freely):
//! - `Document::parse(&str) -> Document` never panics and never recurses on DOM depth.
//! - Nodes live in one arena, addressed by `NodeId`; the root is a `NodeKind::Document` node.
//! - Tag and attribute names are ASCII-lowercased; text and attribute values have character
//!   references decoded; raw-text elements (script, style, textarea, title, noscript, iframe,
//!   template contents etc.) hold their content as a single text child, undecoded for script/style.
//! - `traverse` yields Open/Close edges in document order, iteratively.
//!
//! ```
//! use presswatch_html::{Document, NodeKind, Tag};
//!
//! let doc = Document::parse("<DIV class='Story main'><p>Caf&eacute; <b>open<p>Again</div>");
//! let div = doc.first_child(doc.root()).unwrap();
//! assert_eq!(doc.tag(div), Some("div"));
//! assert_eq!(doc.tag_id(div), Some(Tag::Div));
//! assert!(doc.has_class(div, "story"));
//! // The second <p> implicitly closed the first one, so both are children of the div.
//! let paragraphs: Vec<_> = doc.children(div).collect();
//! assert_eq!(paragraphs.len(), 2);
//! assert_eq!(doc.text_content(paragraphs[0]), "Café open");
//! assert_eq!(doc.kind(paragraphs[1]), NodeKind::Element);
//! ```

mod parser;
mod tags;

pub use tags::Tag;

/// Marks an absent link in [`Node`].
pub(crate) const NONE: u32 = u32::MAX;

/// Index of a node in its document's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// What a node is; extractors walk elements and text and skip the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The root of the arena (always node 0), parent of the top-level nodes.
    Document,
    /// A `<!DOCTYPE ...>` declaration.
    Doctype,
    /// An HTML comment; kept so a walk sees it, never part of the text.
    Comment,
    /// A run of character data (entities decoded).
    Text,
    /// A tag with its attributes and children.
    Element,
}

/// An edge of a depth-first walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The walk enters the node (before its children).
    Open(NodeId),
    /// The walk leaves the node (after its children).
    Close(NodeId),
}

/// One arena slot. Links are arena indices (`NONE` when absent). For elements `start..end`
/// is the attribute range in `Document::attrs`; for text, comments and doctypes it is the
/// byte range of the data in `Document::buf`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    /// Interned element name (see `tags::KNOWN`), `NONE` for non-elements.
    pub(crate) name: u32,
    pub(crate) parent: u32,
    pub(crate) first_child: u32,
    pub(crate) last_child: u32,
    pub(crate) next_sibling: u32,
    pub(crate) prev_sibling: u32,
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl Node {
    pub(crate) fn new(kind: NodeKind, name: u32, parent: u32, start: u32, end: u32) -> Node {
        Node {
            kind,
            name,
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            prev_sibling: NONE,
            start,
            end,
        }
    }
}

/// Returned for ids that do not belong to the document, so accessors never panic.
const MISSING: Node = Node {
    kind: NodeKind::Comment,
    name: NONE,
    parent: NONE,
    first_child: NONE,
    last_child: NONE,
    next_sibling: NONE,
    prev_sibling: NONE,
    start: 0,
    end: 0,
};

/// An attribute: byte ranges of its lowercase name and decoded value in `Document::buf`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attr {
    pub(crate) name: (u32, u32),
    pub(crate) value: (u32, u32),
}

/// A parsed HTML document: every node in one arena, all strings in one shared buffer.
///
/// Ids from another document are not detected, but never cause a panic: accessors answer
/// `None`/empty for ids outside the arena.
#[derive(Debug, Clone)]
pub struct Document {
    pub(crate) nodes: Vec<Node>,
    /// Text, comment and doctype data, attribute names and values, back to back.
    pub(crate) buf: String,
    pub(crate) attrs: Vec<Attr>,
    /// Element names that are not known [`Tag`]s, indexed by `name - tags::KNOWN`.
    pub(crate) names: Vec<Box<str>>,
}

fn link(raw: u32) -> Option<NodeId> {
    (raw != NONE).then_some(NodeId(raw))
}

impl Document {
    /// Parses `html` into a document. Never fails: broken markup is repaired the forgiving way
    /// browsers do, since scraped pages are rarely valid.
    pub fn parse(html: &str) -> Document {
        parser::Parser::new(html).run()
    }

    /// The document node, ancestor of every other node.
    pub fn root(&self) -> NodeId {
        NodeId(0)
    }

    /// Number of nodes in the arena.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the document holds nothing but its root node.
    pub fn is_empty(&self) -> bool {
        self.len() <= 1
    }

    /// Number of element nodes.
    pub fn element_count(&self) -> usize {
        self.nodes.iter().filter(|n| n.kind == NodeKind::Element).count()
    }

    /// All node ids in arena order, which is document (preorder) order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.nodes.len()).map(|i| NodeId(i as u32))
    }

    pub(crate) fn node(&self, id: u32) -> &Node {
        self.nodes.get(id as usize).unwrap_or(&MISSING)
    }

    /// Appends `node` as the last child of `parent` and returns its index.
    pub(crate) fn append(&mut self, parent: u32, mut node: Node) -> u32 {
        let id = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        let prev = self.node(parent).last_child;
        node.parent = parent;
        node.prev_sibling = prev;
        self.nodes.push(node);
        if let Some(p) = self.nodes.get_mut(parent as usize) {
            if p.first_child == NONE {
                p.first_child = id;
            }
            p.last_child = id;
        }
        if let Some(prev_node) = self.nodes.get_mut(prev as usize) {
            prev_node.next_sibling = id;
        }
        id
    }

    /// What node `id` is.
    pub fn kind(&self, id: NodeId) -> NodeKind {
        self.node(id.0).kind
    }

    /// True for element nodes.
    pub fn is_element(&self, id: NodeId) -> bool {
        self.kind(id) == NodeKind::Element
    }

    /// Lowercase tag name of an element, `None` for other nodes.
    pub fn tag(&self, id: NodeId) -> Option<&str> {
        let node = self.node(id.0);
        if node.kind != NodeKind::Element {
            return None;
        }
        match tags::known_name(node.name) {
            Some(name) => Some(name),
            None => self.names.get(node.name.wrapping_sub(tags::KNOWN) as usize).map(|n| &**n),
        }
    }

    /// The element's name as a [`Tag`] ([`Tag::Other`] for unknown names), `None` for other
    /// nodes. Cheaper than comparing [`Document::tag`] strings.
    pub fn tag_id(&self, id: NodeId) -> Option<Tag> {
        let node = self.node(id.0);
        (node.kind == NodeKind::Element).then(|| Tag::from_index(node.name))
    }

    fn attr_list(&self, id: NodeId) -> &[Attr] {
        let node = self.node(id.0);
        if node.kind != NodeKind::Element {
            return &[];
        }
        self.attrs.get(node.start as usize..node.end as usize).unwrap_or_default()
    }

    fn range(&self, (start, end): (u32, u32)) -> &str {
        self.buf.get(start as usize..end as usize).unwrap_or_default()
    }

    /// Attribute value by lowercase name.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        // Length and first byte first: most attributes differ there, and it spares building a
        // checked `&str` and a `memcmp` call for each (elements are asked for several names).
        let want = name.as_bytes();
        let bytes = self.buf.as_bytes();
        self.attr_list(id)
            .iter()
            .find(|a| {
                let (start, end) = a.name;
                end.wrapping_sub(start) as usize == want.len()
                    && (want.is_empty() || bytes.get(start as usize) == want.first())
                    && self.range(a.name) == name
            })
            .map(|a| self.range(a.value))
    }

    /// `(name, value)` pairs in source order; duplicates were dropped (the first one wins).
    pub fn attrs(&self, id: NodeId) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.attr_list(id).iter().map(|a| (self.range(a.name), self.range(a.value)))
    }

    /// The text of a text (or comment) node.
    pub fn text(&self, id: NodeId) -> Option<&str> {
        let node = self.node(id.0);
        match node.kind {
            NodeKind::Text | NodeKind::Comment | NodeKind::Doctype if (id.0 as usize) < self.nodes.len() => {
                Some(self.range((node.start, node.end)))
            }
            _ => None,
        }
    }

    /// The parent of `id`; `None` for the root.
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        link(self.node(id.0).parent)
    }

    /// The first child of `id`, if it has children.
    pub fn first_child(&self, id: NodeId) -> Option<NodeId> {
        link(self.node(id.0).first_child)
    }

    /// The last child of `id`, if it has children.
    pub fn last_child(&self, id: NodeId) -> Option<NodeId> {
        link(self.node(id.0).last_child)
    }

    /// The node after `id` under the same parent.
    pub fn next_sibling(&self, id: NodeId) -> Option<NodeId> {
        link(self.node(id.0).next_sibling)
    }

    /// The node before `id` under the same parent.
    pub fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        link(self.node(id.0).prev_sibling)
    }

    /// The children of `id`, in document order.
    pub fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.first_child(id), move |&c| self.next_sibling(c))
    }

    /// Ancestors of `id`, nearest first, excluding `id` itself.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.parent(id), move |&p| self.parent(p))
    }

    /// Depth-first Open/Close edges of the subtree at `id` (including `id`), iteratively.
    pub fn traverse(&self, id: NodeId) -> impl Iterator<Item = Edge> + '_ {
        let start = ((id.0 as usize) < self.nodes.len()).then_some(Edge::Open(id));
        Traverse { doc: self, root: id, next: start }
    }

    /// Preorder node ids of the subtree at `id` (including `id`).
    pub fn descendants(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.traverse(id).filter_map(|e| match e {
            Edge::Open(n) => Some(n),
            Edge::Close(_) => None,
        })
    }

    /// Concatenated text of all text descendants, skipping script/style/noscript/template.
    pub fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.append_text_content(id, &mut out);
        out
    }

    /// Like [`Document::text_content`], appending to `out` to reuse its allocation.
    pub fn append_text_content(&self, id: NodeId, out: &mut String) {
        let start = ((id.0 as usize) < self.nodes.len()).then_some(Edge::Open(id));
        let mut edges = Traverse { doc: self, root: id, next: start };
        while let Some(edge) = edges.next() {
            let Edge::Open(n) = edge else { continue };
            let node = self.node(n.0);
            match node.kind {
                NodeKind::Text => out.push_str(self.range((node.start, node.end))),
                NodeKind::Element
                    if n != id
                        && matches!(
                            Tag::from_index(node.name),
                            Tag::Script | Tag::Style | Tag::Noscript | Tag::Template
                        ) =>
                {
                    edges.skip_subtree(n);
                }
                _ => {}
            }
        }
    }

    /// A compact serialization of the subtree at `id` (for debugging and tests): elements with
    /// their attributes, text with `&`, `<`, `>` escaped, comments; void elements unclosed.
    pub fn outer_html(&self, id: NodeId) -> String {
        let mut out = String::new();
        for edge in self.traverse(id) {
            match edge {
                Edge::Open(n) => {
                    let node = self.node(n.0);
                    match node.kind {
                        NodeKind::Element => {
                            out.push('<');
                            out.push_str(self.tag(n).unwrap_or_default());
                            for (name, value) in self.attrs(n) {
                                out.push(' ');
                                out.push_str(name);
                                out.push_str("=\"");
                                out.push_str(&value.replace('&', "&amp;").replace('"', "&quot;"));
                                out.push('"');
                            }
                            out.push('>');
                        }
                        NodeKind::Text => {
                            let text = self.range((node.start, node.end));
                            let raw = self
                                .parent(n)
                                .and_then(|p| self.tag_id(p))
                                .is_some_and(|t| matches!(t, Tag::Script | Tag::Style | Tag::Template));
                            if raw {
                                out.push_str(text);
                            } else {
                                out.push_str(
                                    &text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"),
                                );
                            }
                        }
                        NodeKind::Comment => {
                            out.push_str("<!--");
                            out.push_str(self.range((node.start, node.end)));
                            out.push_str("-->");
                        }
                        NodeKind::Doctype => {
                            out.push_str("<!DOCTYPE ");
                            out.push_str(self.range((node.start, node.end)));
                            out.push('>');
                        }
                        NodeKind::Document => {}
                    }
                }
                Edge::Close(n) => {
                    if let Some(tag) = self.tag(n) {
                        if !self.tag_id(n).is_some_and(Tag::is_void) {
                            out.push_str("</");
                            out.push_str(tag);
                            out.push('>');
                        }
                    }
                }
            }
        }
        out
    }

    /// True when the element carries `class` token `class` (ASCII case-insensitive).
    pub fn has_class(&self, id: NodeId, class: &str) -> bool {
        if class.is_empty() {
            return false;
        }
        self.attr(id, "class").is_some_and(|list| {
            list.split(|c: char| c.is_ascii_whitespace()).any(|token| token.eq_ignore_ascii_case(class))
        })
    }
}

/// Iterative depth-first walk over sibling/parent links: O(1) memory at any depth.
struct Traverse<'a> {
    doc: &'a Document,
    root: NodeId,
    next: Option<Edge>,
}

impl Traverse<'_> {
    /// After `Open(id)` was yielded: continue with `Close(id)` instead of its children.
    fn skip_subtree(&mut self, id: NodeId) {
        self.next = Some(Edge::Close(id));
    }
}

impl Iterator for Traverse<'_> {
    type Item = Edge;

    fn next(&mut self) -> Option<Edge> {
        let current = self.next?;
        self.next = match current {
            Edge::Open(n) => Some(match self.doc.first_child(n) {
                Some(child) => Edge::Open(child),
                None => Edge::Close(n),
            }),
            Edge::Close(n) if n == self.root => None,
            Edge::Close(n) => match self.doc.next_sibling(n) {
                Some(sibling) => Some(Edge::Open(sibling)),
                None => self.doc.parent(n).map(Edge::Close),
            },
        };
        Some(current)
    }
}
