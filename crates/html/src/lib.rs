//! A fast, forgiving HTML parser into a compact arena DOM, built for article extraction.
//!
//! API CONTRACT (other crates code against exactly this; the implementation may change freely):
//! - `Document::parse(&str) -> Document` never panics and never recurses on DOM depth.
//! - Nodes live in one arena, addressed by `NodeId`; the root is a `NodeKind::Document` node.
//! - Tag and attribute names are ASCII-lowercased; text and attribute values have character
//!   references decoded; raw-text elements (script, style, textarea, title, noscript, iframe,
//!   template contents etc.) hold their content as a single text child, undecoded for script/style.
//! - `traverse` yields Open/Close edges in document order, iteratively.

/// Index of a node in its document's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Document,
    Doctype,
    Comment,
    Text,
    Element,
}

/// An edge of a depth-first walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Open(NodeId),
    Close(NodeId),
}

pub struct Document {
    _private: (),
}

impl Document {
    pub fn parse(_html: &str) -> Document {
        todo!()
    }
    pub fn root(&self) -> NodeId {
        todo!()
    }
    /// Number of nodes in the arena.
    pub fn len(&self) -> usize {
        todo!()
    }
    pub fn is_empty(&self) -> bool {
        self.len() <= 1
    }
    pub fn kind(&self, _id: NodeId) -> NodeKind {
        todo!()
    }
    /// Lowercase tag name of an element, `None` for other nodes.
    pub fn tag(&self, _id: NodeId) -> Option<&str> {
        todo!()
    }
    /// Attribute value by lowercase name.
    pub fn attr(&self, _id: NodeId, _name: &str) -> Option<&str> {
        todo!()
    }
    pub fn attrs(&self, _id: NodeId) -> impl Iterator<Item = (&str, &str)> + '_ {
        std::iter::empty()
    }
    /// The text of a text (or comment) node.
    pub fn text(&self, _id: NodeId) -> Option<&str> {
        todo!()
    }
    pub fn parent(&self, _id: NodeId) -> Option<NodeId> {
        todo!()
    }
    pub fn first_child(&self, _id: NodeId) -> Option<NodeId> {
        todo!()
    }
    pub fn last_child(&self, _id: NodeId) -> Option<NodeId> {
        todo!()
    }
    pub fn next_sibling(&self, _id: NodeId) -> Option<NodeId> {
        todo!()
    }
    pub fn prev_sibling(&self, _id: NodeId) -> Option<NodeId> {
        todo!()
    }
    pub fn children(&self, _id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::empty()
    }
    /// Depth-first Open/Close edges of the subtree at `id` (including `id`), iteratively.
    pub fn traverse(&self, _id: NodeId) -> impl Iterator<Item = Edge> + '_ {
        std::iter::empty()
    }
    /// Preorder node ids of the subtree at `id` (including `id`).
    pub fn descendants(&self, _id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::empty()
    }
    /// Concatenated text of all text descendants, skipping script/style/noscript/template.
    pub fn text_content(&self, _id: NodeId) -> String {
        todo!()
    }
    /// True when the element carries `class` token `class` (ASCII case-insensitive).
    pub fn has_class(&self, _id: NodeId, _class: &str) -> bool {
        todo!()
    }
}
