//! Pathological inputs: size, breadth, depth, garbage. None may panic, overflow the stack or
//! leave the arena's links inconsistent.

use presswatch_html::{Document, Edge, NodeId, NodeKind};
use proptest::prelude::*;

/// Checks every parent/child/sibling link of the arena and that all nodes hang off the root.
fn assert_consistent(doc: &Document) {
    let root = doc.root();
    assert_eq!(doc.kind(root), NodeKind::Document);
    assert_eq!(doc.parent(root), None);
    for id in doc.node_ids() {
        let children: Vec<NodeId> = doc.children(id).collect();
        assert_eq!(doc.first_child(id), children.first().copied());
        assert_eq!(doc.last_child(id), children.last().copied());
        for (i, &c) in children.iter().enumerate() {
            assert_eq!(doc.parent(c), Some(id), "child {c:?} of {id:?}");
            let prev = i.checked_sub(1).and_then(|j| children.get(j)).copied();
            assert_eq!(doc.prev_sibling(c), prev);
            assert_eq!(doc.next_sibling(c), children.get(i + 1).copied());
        }
        if !children.is_empty() {
            assert!(matches!(doc.kind(id), NodeKind::Element | NodeKind::Document));
        }
        if id != root {
            let parent = doc.parent(id).expect("non-root node without parent");
            assert!(parent < id, "arena order is document order");
        }
    }
    assert_eq!(doc.descendants(root).count(), doc.len());
    let mut depth = 0i64;
    for edge in doc.traverse(root) {
        match edge {
            Edge::Open(_) => depth += 1,
            Edge::Close(_) => depth -= 1,
        }
        assert!(depth >= 0);
    }
    assert_eq!(depth, 0);
}

fn max_depth(doc: &Document) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    for edge in doc.traverse(doc.root()) {
        match edge {
            Edge::Open(_) => {
                depth += 1;
                max = max.max(depth);
            }
            Edge::Close(_) => depth -= 1,
        }
    }
    max
}

#[test]
fn twenty_megabyte_page() {
    let chunk = "<div class=\"story\"><h2>Title &amp; more</h2><p>Some <a href=\"/x?a=1&b=2\">linked</a> \
                 text with &eacute;t&eacute; and <b>bold</b>.<br><img src=a.png alt=x></p>\
                 <!-- c --><script>var x = '<p>';</script></div>\n";
    let repeats = 20 * 1024 * 1024 / chunk.len() + 1;
    let page = format!("<html><head><title>T</title></head><body>{}</body></html>", chunk.repeat(repeats));
    assert!(page.len() > 20 * 1024 * 1024);
    let doc = Document::parse(&page);
    let paragraphs = doc.node_ids().filter(|&n| doc.tag(n) == Some("p")).count();
    assert_eq!(paragraphs, repeats);
    let body = doc.node_ids().find(|&n| doc.tag(n) == Some("body")).unwrap();
    assert_eq!(doc.children(body).filter(|&n| doc.tag(n) == Some("div")).count(), repeats);
    let text = doc.text_content(body);
    assert_eq!(text.matches("été").count(), repeats);
    assert!(!text.contains("var x"));
}

#[test]
fn hundred_thousand_siblings() {
    let page = "<li>item</li>".repeat(100_000);
    let doc = Document::parse(&format!("<ul>{page}</ul>"));
    let ul = doc.first_child(doc.root()).unwrap();
    assert_eq!(doc.children(ul).count(), 100_000);
    // Unclosed siblings are closed implicitly.
    let doc = Document::parse(&"<p>para".repeat(100_000));
    assert_eq!(doc.children(doc.root()).count(), 100_000);
    assert_consistent(&doc);
}

#[test]
fn ten_thousand_deep_nesting() {
    let n = 10_000;
    let page = format!("{}deep{}", "<div>".repeat(n), "</div>".repeat(n));
    let doc = Document::parse(&page);
    assert_eq!(doc.element_count(), n);
    assert_eq!(doc.text_content(doc.root()), "deep");
    // Depth is capped (document + 512 open elements + the text), yet nothing is lost.
    let depth = max_depth(&doc);
    assert!(depth <= 514, "depth {depth}");
    assert!(depth >= 500, "depth {depth}");
    assert_consistent(&doc);
    // Deep nesting of unclosed inline and unknown elements, and of lists.
    for open in ["<span>", "<b>", "<x-y>", "<ul><li>", "<table><tr><td>", "<svg><g>"] {
        let page = format!("{}text", open.repeat(n));
        let doc = Document::parse(&page);
        assert_eq!(doc.text_content(doc.root()), "text", "{open}");
        assert!(max_depth(&doc) <= 514, "{open}");
        assert_consistent(&doc);
    }
}

#[test]
fn dropping_a_huge_deep_document_does_not_recurse() {
    let n = 200_000;
    let page = format!("{}x", "<section>".repeat(n));
    let doc = Document::parse(&page);
    assert_eq!(doc.element_count(), n);
    drop(doc);
}

#[test]
fn many_unmatched_end_tags_and_unterminated_constructs() {
    let page = format!("<div>{}</div>x", "</span></p></li></td></x-y>".repeat(50_000));
    let doc = Document::parse(&page);
    assert_eq!(doc.outer_html(doc.root()), "<div></div>x");
    for page in [
        "<p>a<!-- open comment",
        "<script>unterminated",
        "<style>a{",
        "<title>t",
        "<textarea>&amp",
        "<a href='unterminated>text",
        "<a href=\"x\" <b>",
        "<!doctype",
        "<![CDATA[",
        "<svg><![CDATA[abc",
        "<?pi",
        "</",
        "<!",
        "&#x",
        "&#99999999999999999999999",
        "<p \0=\0>\0</p\0>",
    ] {
        let doc = Document::parse(page);
        assert_consistent(&doc);
    }
}

fn html_like() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("<".to_string()),
        Just(">".to_string()),
        Just("</".to_string()),
        Just("/>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("<!".to_string()),
        Just("<?".to_string()),
        Just("<![CDATA[".to_string()),
        Just("]]>".to_string()),
        Just("=".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("&".to_string()),
        Just("&amp;".to_string()),
        Just("&#x".to_string()),
        Just(";".to_string()),
        Just(" ".to_string()),
        Just("\0".to_string()),
        Just("é".to_string()),
        prop::sample::select(vec![
            "p",
            "div",
            "li",
            "ul",
            "td",
            "tr",
            "table",
            "script",
            "style",
            "title",
            "svg",
            "math",
            "head",
            "body",
            "html",
            "a",
            "b",
            "br",
            "option",
            "select",
            "template",
            "plaintext",
            "textarea",
            "dd",
            "h1",
            "foreignObject",
            "x-y",
            "SCRIPT",
        ])
        .prop_map(str::to_string),
        "[a-z]{1,3}",
    ];
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_never_panic(input in any::<String>()) {
        let doc = Document::parse(&input);
        assert_consistent(&doc);
        let _ = doc.text_content(doc.root());
    }

    #[test]
    fn html_like_soup_keeps_links_consistent(input in html_like()) {
        let doc = Document::parse(&input);
        assert_consistent(&doc);
        for id in doc.node_ids() {
            let _ = (doc.tag(id), doc.text(id), doc.attrs(id).count(), doc.has_class(id, "x"));
        }
        let _ = doc.outer_html(doc.root());
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let input = String::from_utf8_lossy(&bytes);
        let doc = Document::parse(&input);
        assert_consistent(&doc);
    }
}
