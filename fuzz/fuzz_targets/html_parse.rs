//! Arbitrary text as HTML: the parser and a full walk of the tree must not panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    let doc = presswatch_html::Document::parse(html);
    let _ = doc.traverse(doc.root()).count();
    let _ = doc.text_content(doc.root());
});
