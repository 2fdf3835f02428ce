//! Tree-building and tokenizer behaviour on small hand-written inputs.

use presswatch_html::{Document, Edge, NodeId, NodeKind, Tag};

fn html(input: &str) -> String {
    let doc = Document::parse(input);
    doc.outer_html(doc.root())
}

fn first_element(doc: &Document, tag: &str) -> NodeId {
    doc.descendants(doc.root())
        .find(|&n| doc.tag(n) == Some(tag))
        .unwrap_or_else(|| panic!("no <{tag}> in {}", doc.outer_html(doc.root())))
}

#[test]
fn paragraph_closed_by_block_start() {
    assert_eq!(html("<p>a<div>b</div>"), "<p>a</p><div>b</div>");
    assert_eq!(html("<p>a<p>b<h2>c</h2>"), "<p>a</p><p>b</p><h2>c</h2>");
    assert_eq!(html("<p>a<span>b<div>c</div>"), "<p>a<span>b</span></p><div>c</div>");
    // Phrasing content does not close it; a button scope hides it.
    assert_eq!(html("<p>a<b>b</b>c</p>d"), "<p>a<b>b</b>c</p>d");
    assert_eq!(html("<p><button><div>x</div></button></p>"), "<p><button><div>x</div></button></p>");
    assert_eq!(html("<p>a</p></p>b"), "<p>a</p>b");
}

#[test]
fn list_items_and_definitions_auto_close() {
    assert_eq!(html("<ul><li>a<li>b<li>c</ul>"), "<ul><li>a</li><li>b</li><li>c</li></ul>");
    assert_eq!(
        html("<ul><li>a<ul><li>b<li>c</ul><li>d</ul>"),
        "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>"
    );
    assert_eq!(html("<li>a<div>b<li>c"), "<li>a<div>b</div></li><li>c</li>");
    assert_eq!(html("<dl><dt>t<dd>d<dt>u</dl>"), "<dl><dt>t</dt><dd>d</dd><dt>u</dt></dl>");
}

#[test]
fn tables() {
    assert_eq!(
        html("<table><tr><td>a<td>b<tr><th>c<td>d</table>x"),
        "<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>x"
    );
    assert_eq!(
        html("<table><thead><tr><td>h<tbody><tr><td>b</table>"),
        "<table><thead><tr><td>h</td></tr></thead><tbody><tr><td>b</td></tr></tbody></table>"
    );
    // A stray end tag inside a cell must not close elements outside the table.
    assert_eq!(
        html("<div><table><tr><td>a</div>b</td></tr></table>c</div>"),
        "<div><table><tr><td>ab</td></tr></table>c</div>"
    );
    // Nested tables keep their own rows.
    assert_eq!(
        html("<table><tr><td><table><tr><td>in</table><td>out</table>"),
        "<table><tr><td><table><tr><td>in</td></tr></table></td><td>out</td></tr></table>"
    );
}

#[test]
fn options_headings_and_anchors() {
    assert_eq!(
        html("<select><option>a<option>b<optgroup><option>c</select>"),
        "<select><option>a</option><option>b</option><optgroup><option>c</option></optgroup></select>"
    );
    assert_eq!(html("<h1>a<h2>b</h2>"), "<h1>a</h1><h2>b</h2>");
    assert_eq!(html("<a href=1>a<a href=2>b</a>"), "<a href=\"1\">a</a><a href=\"2\">b</a>");
}

#[test]
fn head_closed_by_body_content() {
    let doc =
        Document::parse("<!DOCTYPE html><html><head><title>T</title><meta charset=utf-8><div>x</div></html>");
    let head = first_element(&doc, "head");
    let div = first_element(&doc, "div");
    let html_el = first_element(&doc, "html");
    assert_eq!(doc.parent(div), Some(html_el));
    assert_eq!(doc.children(head).count(), 2);
    assert_eq!(doc.kind(doc.first_child(doc.root()).unwrap()), NodeKind::Doctype);
    assert_eq!(doc.text(doc.first_child(doc.root()).unwrap()), Some("html"));
    // Text that is not whitespace also leaves the head.
    assert_eq!(html("<head><meta a=b>Hello"), "<head><meta a=\"b\"></head>Hello");
    // A second <body>/<html> start tag is ignored; </body> does not end content.
    assert_eq!(
        html("<html><body><p>a</p></body><body x=1>b</html>c"),
        "<html><body><p>a</p>bc</body></html>"
    );
}

#[test]
fn end_tags_close_nearest_or_are_ignored() {
    assert_eq!(html("<div><span>a</div>b"), "<div><span>a</span></div>b");
    assert_eq!(html("<div>a</span>b</div>"), "<div>ab</div>");
    assert_eq!(html("<b>x<i>y</b>z"), "<b>x<i>y</i></b>z");
    assert_eq!(html("a</br>b"), "a<br>b");
    assert_eq!(html("</div></p></unknown>text"), "text");
    // A phrasing end tag does not cross a block element.
    assert_eq!(html("<span><div>a</span>b</div>"), "<span><div>ab</div></span>");
}

#[test]
fn void_and_self_closing() {
    assert_eq!(html("<p>a<br>b<img src=x.png>c<br/>d</p>"), "<p>a<br>b<img src=\"x.png\">c<br>d</p>");
    // `/>` on a non-void HTML element is ignored: the div stays open.
    assert_eq!(html("<div/>a</div>b"), "<div>a</div>b");
    // ...but honored in SVG.
    assert_eq!(
        html("<svg><path d='M0'/><circle/></svg>x"),
        "<svg><path d=\"M0\"></path><circle></circle></svg>x"
    );
}

#[test]
fn attribute_forms() {
    let doc = Document::parse(
        "<a HREF=/x?a=1&amp;b=2 title='it&apos;s' data-x=\"q&quot;\" checked id=a id=b\n\tCLASS = 'One  two'>t</a>",
    );
    let a = first_element(&doc, "a");
    assert_eq!(doc.attr(a, "href"), Some("/x?a=1&b=2"));
    assert_eq!(doc.attr(a, "title"), Some("it's"));
    assert_eq!(doc.attr(a, "data-x"), Some("q\""));
    assert_eq!(doc.attr(a, "checked"), Some(""));
    assert_eq!(doc.attr(a, "id"), Some("a"));
    assert_eq!(doc.attr(a, "class"), Some("One  two"));
    assert_eq!(doc.attr(a, "missing"), None);
    let names: Vec<_> = doc.attrs(a).map(|(n, _)| n).collect();
    assert_eq!(names, ["href", "title", "data-x", "checked", "id", "class"]);
    assert!(doc.has_class(a, "one"));
    assert!(doc.has_class(a, "TWO"));
    assert!(!doc.has_class(a, "on"));
    assert!(!doc.has_class(a, ""));
    // Query-string ampersands stay literal in attributes.
    let doc = Document::parse("<a href='?x=1&copy=2&lang=en'>");
    assert_eq!(doc.attr(first_element(&doc, "a"), "href"), Some("?x=1&copy=2&lang=en"));
    // A `>` inside a quoted value does not end the tag.
    assert_eq!(html("<img alt='a>b' src=c>"), "<img alt=\"a>b\" src=\"c\">");
    // Many duplicate attributes: the first one wins after the set-based check kicks in.
    let many: String = (0..100).map(|i| format!(" a{} = {i}", i % 40)).collect();
    let doc = Document::parse(&format!("<div{many}>"));
    let div = first_element(&doc, "div");
    assert_eq!(doc.attrs(div).count(), 40);
    assert_eq!(doc.attr(div, "a5"), Some("5"));
}

#[test]
fn uppercase_and_mixed_case_names() {
    let doc = Document::parse("<DIV ID=Main><P CLASS=Lead>Hi</P></Div><My-Widget>w</MY-WIDGET>");
    let div = first_element(&doc, "div");
    assert_eq!(doc.attr(div, "id"), Some("Main"));
    assert_eq!(doc.tag_id(div), Some(Tag::Div));
    let widget = first_element(&doc, "my-widget");
    assert_eq!(doc.tag_id(widget), Some(Tag::Other));
    assert_eq!(doc.next_sibling(div), Some(widget));
    assert_eq!(doc.text_content(widget), "w");
}

#[test]
fn entities_in_text() {
    let doc = Document::parse(
        "<p>Caf&eacute; &amp; cr&egrave;me &#8212; &#x1F600; &nbsp;&lt;b&gt; AT&T &copy 1</p>",
    );
    assert_eq!(doc.text_content(doc.root()), "Café & crème — \u{1F600} \u{a0}<b> AT&T © 1");
}

#[test]
fn raw_text_elements() {
    let doc = Document::parse(
        "<script>if (a < b && c) document.write('</scr' + 'ipt>'); var s = \"</script-x>\";</script ><p>after",
    );
    let script = first_element(&doc, "script");
    assert_eq!(doc.children(script).count(), 1);
    assert_eq!(
        doc.text(doc.first_child(script).unwrap()),
        Some("if (a < b && c) document.write('</scr' + 'ipt>'); var s = \"</script-x>\";")
    );
    assert_eq!(doc.tag(doc.next_sibling(script).unwrap()), Some("p"));
    // Case-insensitive end tag; entities stay raw in style, decoded in title/textarea.
    let doc = Document::parse("<style>a::after{content:'&amp;<b>'}</STYLE><title>A &amp; <b>B</b></title><textarea>x&lt;</textarea>");
    assert_eq!(doc.text_content(first_element(&doc, "title")), "A & <b>B</b>");
    assert_eq!(doc.text_content(first_element(&doc, "textarea")), "x<");
    let style = first_element(&doc, "style");
    assert_eq!(doc.text(doc.first_child(style).unwrap()), Some("a::after{content:'&amp;<b>'}"));
    // text_content skips script/style/noscript/template below the node it is asked about.
    let doc = Document::parse("<div>a<script>x</script><noscript><p>n</p></noscript><style>s</style>b</div>");
    assert_eq!(doc.text_content(doc.root()), "ab");
    // Unterminated script: the rest of the input is its text.
    let doc = Document::parse("<p>x</p><script>var a = '<div>';");
    assert_eq!(doc.text_content(first_element(&doc, "script")), "var a = '<div>';");
    assert_eq!(doc.element_count(), 2);
    // Empty raw text element has no child; plaintext eats the rest.
    assert_eq!(html("<script></script>x"), "<script></script>x");
    assert_eq!(html("<plaintext><b>&amp;</b>"), "<plaintext>&lt;b&gt;&amp;amp;&lt;/b&gt;</plaintext>");
}

#[test]
fn comments_doctype_and_bogus_markup() {
    assert_eq!(html("a<!-- c -- d -->b"), "a<!-- c -- d -->b");
    assert_eq!(html("a<!-->b<!--->c"), "a<!---->b<!---->c");
    assert_eq!(html("a<!--x--!>b"), "a<!--x-->b");
    assert_eq!(html("a<!-- never closed <p>x"), "a<!-- never closed <p>x-->");
    assert_eq!(html("<?xml version='1.0'?>a"), "<!--?xml version='1.0'?-->a");
    assert_eq!(html("<!ELEMENT x>a</ b>c"), "<!--ELEMENT x-->a<!-- b-->c");
    assert_eq!(html("a < b <3 <> c</>d"), "a &lt; b &lt;3 &lt;&gt; cd");
    // CDATA is text in foreign content, a comment elsewhere.
    assert_eq!(html("<svg><![CDATA[x<y]]></svg>"), "<svg>x&lt;y</svg>");
    assert_eq!(html("<![CDATA[x]]>"), "<!--[CDATA[x]]-->");
}

#[test]
fn foreign_content() {
    // An HTML breakout tag leaves SVG.
    assert_eq!(html("<svg><g><path d=1><p>y"), "<svg><g><path d=\"1\"></path></g></svg><p>y</p>");
    // Inside svg, <title> is not raw text and holds HTML (an integration point).
    assert_eq!(
        html("<svg><title>T &amp; <b>x</b></title><style>a{}</style></svg>z"),
        "<svg><title>T &amp; <b>x</b></title><style>a{}</style></svg>z"
    );
    assert_eq!(html("<math><mi>x</mi></math><p>z"), "<math><mi>x</mi></math><p>z</p>");
}

#[test]
fn broken_tags_and_attributes() {
    // Input ending inside a tag drops the tag.
    assert_eq!(html("<p>a<div class='x"), "<p>a</p>");
    assert_eq!(html("<p>a<div"), "<p>a</p>");
    assert_eq!(html("a<"), "a&lt;");
    assert_eq!(html("a</"), "a&lt;/");
    assert_eq!(html("<div =x \"y\"='z' / >t"), "<div =x=\"\" \"y\"=\"z\">t</div>");
    assert_eq!(html("<p id=>x</p>"), "<p id=\"\">x</p>");
    assert_eq!(html("<div\nclass=a\n>x"), "<div class=\"a\">x</div>");
}

#[test]
fn nul_bytes() {
    let doc = Document::parse("<di\0v a\0=\"b\0\">x\0y</di\0v>");
    let el = doc.first_child(doc.root()).unwrap();
    assert_eq!(doc.tag(el), Some("di\u{FFFD}v"));
    assert_eq!(doc.attr(el, "a\u{FFFD}"), Some("b\u{FFFD}"));
    assert_eq!(doc.text_content(el), "xy");
    assert_eq!(doc.next_sibling(el), None);
}

#[test]
fn traversal_edges_and_navigation() {
    let doc = Document::parse("<div><p>a</p><p>b<i>c</i></p></div>");
    let edges: Vec<String> = doc
        .traverse(doc.root())
        .map(|e| match e {
            Edge::Open(n) => format!("+{}", doc.tag(n).or(doc.text(n)).unwrap_or("#")),
            Edge::Close(n) => format!("-{}", doc.tag(n).or(doc.text(n)).unwrap_or("#")),
        })
        .collect();
    assert_eq!(edges.join(" "), "+# +div +p +a -a -p +p +b -b +i +c -c -i -p -div -#");
    let div = first_element(&doc, "div");
    let ps: Vec<_> = doc.children(div).collect();
    assert_eq!(doc.prev_sibling(ps[1]), Some(ps[0]));
    assert_eq!(doc.last_child(div), Some(ps[1]));
    assert_eq!(doc.descendants(ps[1]).count(), 4);
    assert_eq!(doc.ancestors(ps[1]).collect::<Vec<_>>(), vec![div, doc.root()]);
    // Out-of-range ids answer emptily instead of panicking.
    let bogus = NodeId(9_999);
    assert_eq!(doc.tag(bogus), None);
    assert_eq!(doc.text(bogus), None);
    assert_eq!(doc.parent(bogus), None);
    assert_eq!(doc.traverse(bogus).count(), 0);
    assert_eq!(doc.text_content(bogus), "");
}

#[test]
fn empty_input() {
    let doc = Document::parse("");
    assert!(doc.is_empty());
    assert_eq!(doc.len(), 1);
    assert_eq!(doc.kind(doc.root()), NodeKind::Document);
}

#[test]
fn noscript_markup_stays_inside_noscript() {
    // A tracking pixel inside <noscript> (head or body) is raw text of the noscript element,
    // so extractors that skip noscript never see it.
    let page = "<html><head><script>var s;</script><noscript><img height=\"1\" width=\"1\" src=\"p.gif\"></noscript></head>\
                <body><p>Body text.</p><noscript><img height=\"1\" src=\"q.gif\"></noscript><p>More.</p></body></html>";
    let doc = Document::parse(page);
    let noscripts: Vec<NodeId> =
        doc.descendants(doc.root()).filter(|&n| doc.tag(n) == Some("noscript")).collect();
    assert_eq!(noscripts.len(), 2);
    for &n in &noscripts {
        let child = doc.first_child(n).expect("noscript text");
        assert_eq!(doc.kind(child), NodeKind::Text);
        assert!(doc.text(child).is_some_and(|t| t.starts_with("<img height=")));
    }
    assert_eq!(doc.tag(doc.parent(noscripts[0]).unwrap()), Some("head"));
    assert_eq!(doc.tag(doc.parent(noscripts[1]).unwrap()), Some("body"));
    assert!(doc.descendants(doc.root()).all(|n| doc.tag(n) != Some("img")));
    let body = first_element(&doc, "body");
    assert_eq!(doc.text_content(body), "Body text.More.");
    // Text that the page itself escapes (`&lt;img ...&gt;` in <body>) is real visible text.
    let doc =
        Document::parse("<head><noscript>\n</noscript></head><body>&lt;img height=\"1\"&gt;<p>x</p></body>");
    assert_eq!(doc.text_content(first_element(&doc, "body")), "<img height=\"1\">x");
}
