//! One-pass tokenizer and tree builder.
//!
//! The tokenizer never materialises tokens: each start tag, end tag, text run or comment is
//! handed straight to the tree-building code, which appends to the arena. The tree rules are a
//! deliberately small subset of the HTML5 algorithm (implied end tags, scoped end-tag matching,
//! raw-text elements, foreign content), enough to reproduce the element structure browsers
//! build for real pages, without the adoption agency or implied `<tbody>`.

use crate::tags::{self, RawText, Tag, KNOWN};
use crate::{Attr, Document, Node, NodeKind, NONE};
use presswatch_text::entities::{decode_into, needs_decoding};
use std::collections::{HashMap, HashSet};

/// Deepest open-element stack kept. Deeper elements are still added (as children of the
/// element at the cap) but not opened, so time and memory stay linear on pathological input.
pub(crate) const MAX_DEPTH: usize = 512;

/// Longest input handled; offsets are `u32`. Longer input is cut at a character boundary.
const MAX_INPUT: usize = (u32::MAX / 2) as usize;

/// Attributes per tag above which duplicate detection switches from a scan to a set.
const LINEAR_DUP_CHECK: usize = 32;

#[derive(Clone, Copy)]
struct Open {
    node: u32,
    name: u32,
    /// Children of this element are in SVG/MathML content.
    foreign_children: bool,
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    doc: Document,
    stack: Vec<Open>,
    /// Open elements per known tag, so absent end tags and implied-end checks are O(1).
    open_counts: Vec<u32>,
    interned: HashMap<Box<str>, u32>,
    head_open: bool,
    seen_head: bool,
    seen_body: bool,
    seen_html: bool,
    name_buf: Vec<u8>,
    dup_set: HashSet<Box<[u8]>>,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn known(name: u32) -> Option<Tag> {
    (name < KNOWN).then(|| Tag::from_index(name))
}

impl<'a> Parser<'a> {
    pub(crate) fn new(html: &'a str) -> Parser<'a> {
        let mut cut = html.len().min(MAX_INPUT);
        while !html.is_char_boundary(cut) {
            cut -= 1;
        }
        let src = html.get(..cut).unwrap_or_default();
        let mut doc = Document {
            nodes: Vec::with_capacity(src.len() / 40 + 16),
            buf: String::with_capacity(src.len() / 2 + 64),
            attrs: Vec::with_capacity(src.len() / 100 + 16),
            names: Vec::new(),
        };
        doc.nodes.push(Node::new(NodeKind::Document, NONE, NONE, 0, 0));
        Parser {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            doc,
            stack: vec![Open { node: 0, name: NONE, foreign_children: false }],
            open_counts: vec![0; KNOWN as usize],
            interned: HashMap::new(),
            head_open: false,
            seen_head: false,
            seen_body: false,
            seen_html: false,
            name_buf: Vec::with_capacity(32),
            dup_set: HashSet::new(),
        }
    }

    pub(crate) fn run(mut self) -> Document {
        let len = self.bytes.len();
        while self.pos < len {
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            match memchr::memchr(b'<', rest) {
                None => {
                    self.text(self.pos, len);
                    self.pos = len;
                }
                Some(offset) => {
                    if offset > 0 {
                        self.text(self.pos, self.pos + offset);
                    }
                    self.pos += offset;
                    self.markup();
                }
            }
        }
        self.doc
    }

    #[inline]
    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.src.get(start..end).unwrap_or_default()
    }

    fn current(&self) -> Open {
        self.stack.last().copied().unwrap_or(Open { node: 0, name: NONE, foreign_children: false })
    }

    // ----- tokenizer -------------------------------------------------------------------------

    /// At a `<`: dispatch on what follows.
    fn markup(&mut self) {
        let p = self.pos;
        match self.byte(p + 1) {
            Some(b) if b.is_ascii_alphabetic() => self.start_tag(),
            Some(b'/') => match self.byte(p + 2) {
                Some(b) if b.is_ascii_alphabetic() => self.end_tag(),
                Some(b'>') => self.pos = p + 3,
                None => {
                    self.text(p, p + 2);
                    self.pos = p + 2;
                }
                Some(_) => self.bogus_comment(p + 2),
            },
            Some(b'!') => {
                let rest = self.bytes.get(p..).unwrap_or_default();
                if rest.starts_with(b"<!--") {
                    self.comment();
                } else if rest.len() >= 9
                    && rest.get(2..9).is_some_and(|d| d.eq_ignore_ascii_case(b"doctype"))
                {
                    self.doctype();
                } else if rest.starts_with(b"<![CDATA[") && self.current().foreign_children {
                    self.cdata();
                } else {
                    self.bogus_comment(p + 2);
                }
            }
            Some(b'?') => self.bogus_comment(p + 1),
            _ => {
                self.text(p, p + 1);
                self.pos = p + 1;
            }
        }
    }

    /// Scans a tag name starting at `start`; returns its end.
    fn scan_name(&self, start: usize) -> usize {
        let rest = self.bytes.get(start..).unwrap_or_default();
        start + rest.iter().position(|&b| is_ws(b) || b == b'/' || b == b'>').unwrap_or(rest.len())
    }

    /// Interned id of the (not yet lowercased) name `start..end`.
    fn intern_name(&mut self, start: usize, end: usize) -> u32 {
        let raw = self.bytes.get(start..end).unwrap_or_default();
        self.name_buf.clear();
        self.name_buf.extend(raw.iter().map(u8::to_ascii_lowercase));
        if let Some(index) = tags::known_index(&self.name_buf) {
            return index;
        }
        let lowered = String::from_utf8_lossy(&self.name_buf).replace('\0', "\u{FFFD}");
        if let Some(&id) = self.interned.get(lowered.as_str()) {
            return id;
        }
        let id = KNOWN + to_u32(self.doc.names.len());
        let boxed: Box<str> = lowered.into_boxed_str();
        self.doc.names.push(boxed.clone());
        self.interned.insert(boxed, id);
        id
    }

    /// Parses attributes from `self.pos` through the closing `>`. Returns `Some(self_closing)`,
    /// or `None` when the input ended inside the tag (browsers then drop the tag). With
    /// `keep == false` (end tags) nothing is stored.
    fn attributes(&mut self, keep: bool) -> Option<bool> {
        let attrs_start = self.doc.attrs.len();
        self.dup_set.clear();
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let skip = rest.iter().position(|&b| !is_ws(b))?;
            self.pos += skip;
            match self.byte(self.pos)? {
                b'>' => {
                    self.pos += 1;
                    return Some(false);
                }
                b'/' => {
                    self.pos += 1;
                    if self.byte(self.pos) == Some(b'>') {
                        self.pos += 1;
                        return Some(true);
                    }
                    continue;
                }
                _ => {}
            }
            // Name: the first character may be anything (even `=`), then up to a delimiter.
            let name_start = self.pos;
            let rest = self.bytes.get(name_start + 1..).unwrap_or_default();
            let name_end = name_start
                + 1
                + rest
                    .iter()
                    .position(|&b| is_ws(b) || b == b'/' || b == b'>' || b == b'=')
                    .unwrap_or(rest.len());
            self.pos = name_end;
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let skip = rest.iter().position(|&b| !is_ws(b)).unwrap_or(rest.len());
            let mut value = None;
            if self.byte(self.pos + skip) == Some(b'=') {
                self.pos += skip + 1;
                let rest = self.bytes.get(self.pos..).unwrap_or_default();
                self.pos += rest.iter().position(|&b| !is_ws(b)).unwrap_or(rest.len());
                match self.byte(self.pos) {
                    Some(q @ (b'"' | b'\'')) => {
                        let vstart = self.pos + 1;
                        let rest = self.bytes.get(vstart..).unwrap_or_default();
                        let close = memchr::memchr(q, rest)?;
                        value = Some((vstart, vstart + close));
                        self.pos = vstart + close + 1;
                    }
                    Some(_) => {
                        let vstart = self.pos;
                        let rest = self.bytes.get(vstart..).unwrap_or_default();
                        let vlen = rest.iter().position(|&b| is_ws(b) || b == b'>').unwrap_or(rest.len());
                        value = Some((vstart, vstart + vlen));
                        self.pos = vstart + vlen;
                    }
                    None => return None,
                }
            }
            if keep {
                self.push_attr(attrs_start, name_start, name_end, value);
            }
        }
    }

    fn push_attr(
        &mut self,
        attrs_start: usize,
        name_start: usize,
        name_end: usize,
        value: Option<(usize, usize)>,
    ) {
        let raw_name = self.bytes.get(name_start..name_end).unwrap_or_default();
        let count = self.doc.attrs.len() - attrs_start;
        let buf = self.doc.buf.as_bytes();
        let duplicate = if count < LINEAR_DUP_CHECK {
            self.doc.attrs.get(attrs_start..).unwrap_or_default().iter().any(|a| {
                buf.get(a.name.0 as usize..a.name.1 as usize)
                    .is_some_and(|n| n.eq_ignore_ascii_case(raw_name))
            })
        } else {
            if count == LINEAR_DUP_CHECK {
                for a in self.doc.attrs.get(attrs_start..).unwrap_or_default() {
                    if let Some(n) = buf.get(a.name.0 as usize..a.name.1 as usize) {
                        self.dup_set.insert(n.into());
                    }
                }
            }
            let lowered: Box<[u8]> = raw_name.to_ascii_lowercase().into();
            !self.dup_set.insert(lowered)
        };
        if duplicate {
            return;
        }
        let ns = self.doc.buf.len();
        let name = self.slice(name_start, name_end);
        if name.contains('\0') {
            self.doc.buf.push_str(&name.to_ascii_lowercase().replace('\0', "\u{FFFD}"));
        } else {
            self.doc.buf.push_str(name);
            if let Some(pushed) = self.doc.buf.get_mut(ns..) {
                pushed.make_ascii_lowercase();
            }
        }
        let ne = self.doc.buf.len();
        let vs = ne;
        if let Some((a, b)) = value {
            let v = self.slice(a, b);
            if needs_decoding(v.as_bytes()) {
                decode_into(&mut self.doc.buf, v, true, false);
            } else {
                self.doc.buf.push_str(v);
            }
        }
        let ve = self.doc.buf.len();
        self.doc.attrs.push(Attr { name: (to_u32(ns), to_u32(ne)), value: (to_u32(vs), to_u32(ve)) });
    }

    fn start_tag(&mut self) {
        let tag_start = self.pos;
        let name_start = tag_start + 1;
        let name_end = self.scan_name(name_start);
        let name = self.intern_name(name_start, name_end);
        self.pos = name_end;
        let attrs_start = self.doc.attrs.len();
        let buf_start = self.doc.buf.len();
        let Some(self_closing) = self.attributes(true) else {
            // Input ended inside the tag: drop it, as browsers do.
            self.doc.attrs.truncate(attrs_start);
            self.doc.buf.truncate(buf_start);
            self.pos = self.bytes.len();
            return;
        };
        let attrs = (to_u32(attrs_start), to_u32(self.doc.attrs.len()));
        if !self.tree_start_tag(name, attrs, self_closing) {
            self.doc.attrs.truncate(attrs_start);
            self.doc.buf.truncate(buf_start);
        }
    }

    fn end_tag(&mut self) {
        let name_start = self.pos + 2;
        let name_end = self.scan_name(name_start);
        let name = self.intern_name(name_start, name_end);
        self.pos = name_end;
        if self.attributes(false).is_none() {
            self.pos = self.bytes.len();
            return;
        }
        self.tree_end_tag(name);
    }

    fn comment(&mut self) {
        let start = self.pos + 4;
        let (data_end, next) = match (self.byte(start), self.byte(start + 1)) {
            (Some(b'>'), _) => (start, start + 1),
            (Some(b'-'), Some(b'>')) => (start, start + 2),
            _ => {
                let mut from = start;
                loop {
                    let rest = self.bytes.get(from..).unwrap_or_default();
                    match memchr::memmem::find(rest, b"--") {
                        None => break (self.bytes.len(), self.bytes.len()),
                        Some(i) => {
                            let at = from + i;
                            match (self.byte(at + 2), self.byte(at + 3)) {
                                (Some(b'>'), _) => break (at, at + 3),
                                (Some(b'!'), Some(b'>')) => break (at, at + 4),
                                _ => from = at + 1,
                            }
                        }
                    }
                }
            }
        };
        self.add_data_node(NodeKind::Comment, start, data_end.max(start));
        self.pos = next;
    }

    /// `<!...>`, `<?...>` and `</ ...>`: everything up to the next `>` is a comment.
    fn bogus_comment(&mut self, start: usize) {
        let rest = self.bytes.get(start..).unwrap_or_default();
        let end = memchr::memchr(b'>', rest).map_or(self.bytes.len(), |i| start + i);
        self.add_data_node(NodeKind::Comment, start, end);
        self.pos = (end + 1).min(self.bytes.len());
    }

    fn doctype(&mut self) {
        let start = self.pos + 9;
        let rest = self.bytes.get(start..).unwrap_or_default();
        let end = memchr::memchr(b'>', rest).map_or(self.bytes.len(), |i| start + i);
        let data = self.bytes.get(start..end).unwrap_or_default();
        let lead = data.iter().take_while(|&&b| is_ws(b)).count();
        let trail = data.iter().rev().take_while(|&&b| is_ws(b)).count();
        let (a, b) = (start + lead, end.saturating_sub(trail).max(start + lead));
        self.add_data_node(NodeKind::Doctype, a, b);
        self.pos = (end + 1).min(self.bytes.len());
    }

    fn cdata(&mut self) {
        let start = self.pos + 9;
        let rest = self.bytes.get(start..).unwrap_or_default();
        let (end, next) = match memchr::memmem::find(rest, b"]]>") {
            Some(i) => (start + i, start + i + 3),
            None => (self.bytes.len(), self.bytes.len()),
        };
        self.append_text(start, end, TextMode::Verbatim);
        self.pos = next;
    }

    /// Reads the content of raw-text element `name` after its start tag and returns the
    /// content range; leaves `self.pos` after the end tag.
    fn raw_content(&mut self, name: u32, kind: RawText) -> (usize, usize) {
        let start = self.pos;
        let len = self.bytes.len();
        if kind == RawText::ToEnd {
            self.pos = len;
            return (start, len);
        }
        let tag_name = tags::known_name(name).unwrap_or_default().as_bytes();
        let mut from = start;
        loop {
            let rest = self.bytes.get(from..).unwrap_or_default();
            let Some(i) = memchr::memmem::find(rest, b"</") else {
                self.pos = len;
                return (start, len);
            };
            let at = from + i;
            let name_at = at + 2;
            let candidate = self.bytes.get(name_at..name_at + tag_name.len());
            let after = self.byte(name_at + tag_name.len());
            if candidate.is_some_and(|c| c.eq_ignore_ascii_case(tag_name))
                && after.is_some_and(|b| is_ws(b) || b == b'/' || b == b'>')
            {
                self.pos = name_at + tag_name.len();
                if self.attributes(false).is_none() {
                    self.pos = len;
                }
                return (start, at);
            }
            from = at + 2;
        }
    }

    // ----- tree building ---------------------------------------------------------------------

    fn text(&mut self, start: usize, end: usize) {
        if self.head_open {
            let data = self.bytes.get(start..end).unwrap_or_default();
            if data.iter().any(|&b| !is_ws(b)) {
                self.close_head();
            }
        }
        self.append_text(start, end, TextMode::Data);
    }

    /// Appends text to the current node, merging with a directly preceding text node.
    fn append_text(&mut self, start: usize, end: usize, mode: TextMode) {
        let parent = self.current().node;
        self.append_text_to(parent, start, end, mode);
    }

    fn append_text_to(&mut self, parent: u32, start: usize, end: usize, mode: TextMode) {
        if start >= end {
            return;
        }
        let data = self.slice(start, end);
        let before = self.doc.buf.len();
        match mode {
            TextMode::Data if needs_decoding(data.as_bytes()) => {
                decode_into(&mut self.doc.buf, data, false, true)
            }
            TextMode::Escapable if needs_decoding(data.as_bytes()) => {
                decode_into(&mut self.doc.buf, data, false, false)
            }
            _ => self.doc.buf.push_str(data),
        }
        let after = self.doc.buf.len();
        if after == before {
            return;
        }
        let last = self.doc.node(parent).last_child;
        if last != NONE {
            if let Some(node) = self.doc.nodes.get_mut(last as usize) {
                if node.kind == NodeKind::Text && node.end as usize == before {
                    node.end = to_u32(after);
                    return;
                }
            }
        }
        let node = Node::new(NodeKind::Text, NONE, parent, to_u32(before), to_u32(after));
        self.doc.append(parent, node);
    }

    fn add_data_node(&mut self, kind: NodeKind, start: usize, end: usize) {
        let data = self.slice(start, end);
        let before = self.doc.buf.len();
        self.doc.buf.push_str(data);
        let parent = self.current().node;
        let node = Node::new(kind, NONE, parent, to_u32(before), to_u32(self.doc.buf.len()));
        self.doc.append(parent, node);
    }

    fn push(&mut self, node: u32, name: u32, foreign_children: bool) {
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        if let Some(c) = self.open_counts.get_mut(name as usize) {
            *c += 1;
        }
        self.stack.push(Open { node, name, foreign_children });
    }

    /// Pops the open-element stack down to `len` entries (never the document root).
    fn pop_to(&mut self, len: usize) {
        let len = len.max(1);
        while self.stack.len() > len {
            if let Some(open) = self.stack.pop() {
                if let Some(c) = self.open_counts.get_mut(open.name as usize) {
                    *c = c.saturating_sub(1);
                }
                if open.name == Tag::Head as u32 {
                    self.head_open = false;
                }
            }
        }
    }

    fn pop_current(&mut self) {
        self.pop_to(self.stack.len().saturating_sub(1));
    }

    fn count(&self, tag: Tag) -> u32 {
        self.open_counts.get(tag as usize).copied().unwrap_or(0)
    }

    fn close_head(&mut self) {
        if let Some(i) = self.stack.iter().rposition(|o| o.name == Tag::Head as u32) {
            self.pop_to(i);
        }
        self.head_open = false;
    }

    /// Closes the nearest open element among `targets`, unless an element for which
    /// `boundary` holds is found first. Returns whether something was closed.
    fn close_nearest(&mut self, targets: &[Tag], boundary: impl Fn(Tag) -> bool) -> bool {
        for i in (1..self.stack.len()).rev() {
            let Some(open) = self.stack.get(i).copied() else { break };
            let tag = known(open.name).unwrap_or(Tag::Other);
            if targets.contains(&tag) && open.name < KNOWN {
                self.pop_to(i);
                return true;
            }
            if boundary(tag) {
                return false;
            }
        }
        false
    }

    fn create_element(&mut self, name: u32, attrs: (u32, u32)) -> u32 {
        let parent = self.current().node;
        let node = Node::new(NodeKind::Element, name, parent, attrs.0, attrs.1);
        self.doc.append(parent, node)
    }

    /// Applies a start tag to the tree. Returns false when the tag was ignored (so its
    /// attributes can be discarded).
    fn tree_start_tag(&mut self, name: u32, attrs: (u32, u32), self_closing: bool) -> bool {
        let tag = known(name).unwrap_or(Tag::Other);
        if self.current().foreign_children {
            if tag.breaks_out_of_foreign() || (tag == Tag::Font && self.font_breaks_out(attrs)) {
                while self.stack.len() > 1 && self.current().foreign_children {
                    self.pop_current();
                }
            } else {
                let node = self.create_element(name, attrs);
                if !self_closing {
                    self.push(node, name, !tag.is_integration_point());
                }
                return true;
            }
        }
        match tag {
            Tag::Html => {
                if self.seen_html {
                    return false;
                }
                self.seen_html = true;
            }
            Tag::Head => {
                if self.seen_head || self.seen_body {
                    return false;
                }
                self.seen_head = true;
            }
            Tag::Body => {
                if self.seen_body {
                    return false;
                }
                self.seen_body = true;
                if self.head_open {
                    self.close_head();
                }
            }
            _ => {
                if self.head_open && !tag.belongs_in_head() {
                    self.close_head();
                }
            }
        }
        if tag.closes_p() && self.count(Tag::P) > 0 {
            self.close_nearest(&[Tag::P], |t| is_scope_boundary(t) || t == Tag::Button);
        }
        match tag {
            Tag::Li if self.count(Tag::Li) > 0 => {
                self.close_nearest(&[Tag::Li], list_item_boundary);
            }
            Tag::Dd | Tag::Dt if self.count(Tag::Dd) + self.count(Tag::Dt) > 0 => {
                self.close_nearest(&[Tag::Dd, Tag::Dt], list_item_boundary);
            }
            t if t.is_heading() && known(self.current().name).is_some_and(Tag::is_heading) => {
                self.pop_current();
            }
            Tag::A if self.count(Tag::A) > 0 => {
                self.close_nearest(&[Tag::A], is_scope_boundary);
            }
            Tag::Button if self.count(Tag::Button) > 0 => {
                self.close_nearest(&[Tag::Button], is_scope_boundary);
            }
            Tag::Td | Tag::Th if self.count(Tag::Td) + self.count(Tag::Th) > 0 => {
                self.close_nearest(&[Tag::Td, Tag::Th], table_boundary);
            }
            Tag::Tr if self.count(Tag::Tr) > 0 => {
                self.close_nearest(&[Tag::Tr], table_boundary);
            }
            Tag::Thead | Tag::Tbody | Tag::Tfoot
                if self.count(Tag::Thead) + self.count(Tag::Tbody) + self.count(Tag::Tfoot) > 0 =>
            {
                self.close_nearest(&[Tag::Thead, Tag::Tbody, Tag::Tfoot], table_boundary);
            }
            Tag::Option if self.current().name == Tag::Option as u32 => {
                self.pop_current();
            }
            Tag::Optgroup => {
                if self.current().name == Tag::Option as u32 {
                    self.pop_current();
                }
                if self.current().name == Tag::Optgroup as u32 {
                    self.pop_current();
                }
            }
            _ => {}
        }
        let node = self.create_element(name, attrs);
        if let Some(kind) = tag.raw_text() {
            let (start, end) = self.raw_content(name, kind);
            let mode = if kind == RawText::Escapable { TextMode::Escapable } else { TextMode::Verbatim };
            self.append_text_to(node, start, end, mode);
            return true;
        }
        match tag {
            Tag::Svg | Tag::Math => {
                if !self_closing {
                    self.push(node, name, true);
                }
            }
            t if t.is_void() => {}
            Tag::Head => {
                self.push(node, name, false);
                self.head_open = self.stack.last().is_some_and(|o| o.node == node);
            }
            _ => self.push(node, name, false),
        }
        true
    }

    /// `<font>` leaves foreign content only when it carries presentational attributes.
    fn font_breaks_out(&self, attrs: (u32, u32)) -> bool {
        let list = self.doc.attrs.get(attrs.0 as usize..attrs.1 as usize).unwrap_or_default();
        list.iter().any(|a| {
            matches!(self.doc.buf.get(a.name.0 as usize..a.name.1 as usize), Some("color" | "face" | "size"))
        })
    }

    fn tree_end_tag(&mut self, name: u32) {
        let tag = known(name).unwrap_or(Tag::Other);
        // Foreign elements close by name, without HTML scope rules.
        if self.current().foreign_children {
            for i in (1..self.stack.len()).rev() {
                let Some(open) = self.stack.get(i).copied() else { break };
                if open.name == name {
                    self.pop_to(i);
                    return;
                }
                let parent_foreign = self.stack.get(i - 1).is_some_and(|o| o.foreign_children);
                if !parent_foreign {
                    break;
                }
            }
        }
        match tag {
            Tag::Body | Tag::Html => return,
            Tag::Br => {
                // Browsers read a stray `</br>` as `<br>`.
                self.create_element(name, (0, 0));
                return;
            }
            Tag::Other => {}
            _ if self.count(tag) == 0 => return,
            _ => {}
        }
        let boundary: fn(Tag) -> bool = match tag {
            Tag::Td | Tag::Th | Tag::Tr | Tag::Tbody | Tag::Thead | Tag::Tfoot | Tag::Caption => {
                table_boundary
            }
            Tag::Table => |t| matches!(t, Tag::Html | Tag::Template),
            Tag::Li | Tag::Dd | Tag::Dt => list_item_boundary,
            Tag::P => |t| is_scope_boundary(t) || t == Tag::Button,
            t if t.is_formatting() => is_scope_boundary,
            t if t.is_special() => is_scope_boundary,
            _ => Tag::is_special,
        };
        for i in (1..self.stack.len()).rev() {
            let Some(open) = self.stack.get(i).copied() else { break };
            if open.name == name {
                self.pop_to(i);
                return;
            }
            if open.foreign_children {
                // Leaving foreign content by an HTML end tag is allowed.
                continue;
            }
            if boundary(known(open.name).unwrap_or(Tag::Other)) {
                return;
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextMode {
    /// Element content: references decoded, NUL dropped.
    Data,
    /// `<title>`/`<textarea>`: references decoded, NUL kept as U+FFFD.
    Escapable,
    /// Copied as is.
    Verbatim,
}

/// The HTML "has an element in scope" boundary set.
fn is_scope_boundary(t: Tag) -> bool {
    matches!(
        t,
        Tag::Applet
            | Tag::Caption
            | Tag::Html
            | Tag::Table
            | Tag::Td
            | Tag::Th
            | Tag::Marquee
            | Tag::Object
            | Tag::Template
            | Tag::Svg
            | Tag::Math
    )
}

fn table_boundary(t: Tag) -> bool {
    matches!(t, Tag::Table | Tag::Html | Tag::Template)
}

/// Where the search for an open `<li>`/`<dd>`/`<dt>` stops: list containers and structural
/// elements other than `<address>`, `<div>` and `<p>`.
fn list_item_boundary(t: Tag) -> bool {
    matches!(t, Tag::Ul | Tag::Ol | Tag::Dl | Tag::Menu)
        || (t.is_special() && !matches!(t, Tag::Address | Tag::Div | Tag::P | Tag::Li | Tag::Dd | Tag::Dt))
}
