//! Markdown bodies (front matter already removed by ingest), read with pulldown-cmark.
//!
//! Headings, paragraphs, list items, block quotes, code blocks (-> Preformatted) and table cells
//! become blocks; an image's alt text (or title) becomes a Caption block and an [`Image`].
//! Inline HTML tags are dropped, their text kept.

use crate::text::Parsed;
use crate::util::split_credit;
use presswatch_model::{BlockKind, DraftBlock, Image, Metadata};
use presswatch_text::{collapse_whitespace as collapse_ws, push_collapsed};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

struct Builder {
    blocks: Vec<DraftBlock>,
    buf: String,
    link_chars: usize,
    in_link: usize,
    kind_stack: Vec<BlockKind>,
}

impl Builder {
    fn kind(&self) -> BlockKind {
        // Quote and list item dominate the paragraphs they contain.
        let mut k = BlockKind::Paragraph;
        for &s in &self.kind_stack {
            match s {
                BlockKind::Quote | BlockKind::ListItem | BlockKind::TableCell => k = s,
                _ if k == BlockKind::Paragraph => k = s,
                _ => {}
            }
        }
        k
    }

    fn flush(&mut self) {
        let kind = self.kind();
        let text = if kind == BlockKind::Preformatted {
            self.buf.trim_matches('\n').to_string()
        } else {
            collapse_ws(&self.buf)
        };
        if !text.is_empty() {
            let total = text.chars().count().max(1);
            let mut b = DraftBlock::new(kind, text);
            b.link_density = (self.link_chars as f32 / total as f32).min(1.0);
            self.blocks.push(b);
        }
        self.buf.clear();
        self.link_chars = 0;
    }

    fn push_text(&mut self, s: &str) {
        if self.kind() == BlockKind::Preformatted {
            self.buf.push_str(s);
        } else {
            push_collapsed(&mut self.buf, s);
        }
        if self.in_link > 0 {
            self.link_chars += s.chars().filter(|c| !c.is_whitespace()).count();
        }
    }
}

/// Removes `<...>` tags from an HTML fragment found inside markdown.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

pub(crate) fn parse_markdown(body: &str) -> (Parsed, Vec<Image>) {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut b =
        Builder { blocks: Vec::new(), buf: String::new(), link_chars: 0, in_link: 0, kind_stack: Vec::new() };
    let mut images: Vec<Image> = Vec::new();
    // Alt text of the image being read, with its URL and title.
    let mut image: Option<(String, String, String)> = None;
    for ev in Parser::new_ext(body, opts) {
        if let Some((_, alt, _)) = image.as_mut() {
            match ev {
                Event::Text(t) | Event::Code(t) => {
                    alt.push_str(&t);
                    continue;
                }
                Event::End(TagEnd::Image) => {}
                _ => continue,
            }
        }
        match ev {
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::Heading { .. } => Some(BlockKind::Heading),
                    Tag::Paragraph => Some(BlockKind::Paragraph),
                    Tag::BlockQuote(_) => Some(BlockKind::Quote),
                    Tag::CodeBlock(_) => Some(BlockKind::Preformatted),
                    Tag::Item => Some(BlockKind::ListItem),
                    Tag::TableCell => Some(BlockKind::TableCell),
                    Tag::HtmlBlock => Some(BlockKind::Paragraph),
                    Tag::Link { .. } => {
                        b.in_link += 1;
                        None
                    }
                    Tag::Image { dest_url, title, .. } => {
                        image = Some((dest_url.to_string(), String::new(), title.to_string()));
                        None
                    }
                    _ => None,
                };
                if let Some(k) = kind {
                    b.flush();
                    b.kind_stack.push(k);
                }
            }
            Event::End(end) => match end {
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::HtmlBlock => {
                    b.flush();
                    b.kind_stack.pop();
                }
                TagEnd::Link => b.in_link = b.in_link.saturating_sub(1),
                TagEnd::Image => {
                    if let Some((url, alt, title)) = image.take() {
                        let cap = collapse_ws(if alt.trim().is_empty() { &title } else { &alt });
                        let (caption, credit) =
                            if cap.is_empty() { (String::new(), None) } else { split_credit(&cap) };
                        if !cap.is_empty() {
                            // The caption stands on its own, outside the paragraph text.
                            let pending = std::mem::take(&mut b.buf);
                            let pending_links = b.link_chars;
                            b.buf.clear();
                            b.kind_stack.push(BlockKind::Caption);
                            b.push_text(&cap);
                            b.flush();
                            b.kind_stack.pop();
                            b.buf = pending;
                            b.link_chars = pending_links;
                        }
                        images.push(Image {
                            url: (!url.is_empty()).then_some(url),
                            caption: (!caption.is_empty()).then_some(caption),
                            credit,
                        });
                    }
                }
                _ => {}
            },
            Event::Text(t) | Event::Code(t) => b.push_text(&t),
            Event::Html(h) | Event::InlineHtml(h) => {
                let s = strip_tags(&h);
                b.push_text(&s);
            }
            Event::SoftBreak | Event::HardBreak => {
                b.push_text(if b.kind() == BlockKind::Preformatted { "\n" } else { " " })
            }
            _ => {}
        }
    }
    b.flush();
    (Parsed { meta: Metadata::default(), blocks: b.blocks, removed: Vec::new() }, images)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_blocks() {
        let md = "# Title here\n\nA paragraph with [a link](http://x) in it.\n\n- one\n- two\n\n> quoted text\n\n```\ncode line 1\ncode line 2\n```\n\n![Troops at the border /Reuters](http://img/x.jpg)\n";
        let (p, images) = parse_markdown(md);
        let got: Vec<(BlockKind, &str)> = p.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (BlockKind::Heading, "Title here"),
                (BlockKind::Paragraph, "A paragraph with a link in it."),
                (BlockKind::ListItem, "one"),
                (BlockKind::ListItem, "two"),
                (BlockKind::Quote, "quoted text"),
                (BlockKind::Preformatted, "code line 1\ncode line 2"),
                (BlockKind::Caption, "Troops at the border /Reuters"),
            ]
        );
        assert!(p.blocks[1].link_density > 0.1);
        assert_eq!(images.len(), 1);
        assert_eq!(images[0].url.as_deref(), Some("http://img/x.jpg"));
        assert_eq!(images[0].credit.as_deref(), Some("Reuters"));
    }
}
