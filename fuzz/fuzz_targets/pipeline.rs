//! Arbitrary bytes as a record of every format: decode + extract + clean must not panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use presswatch_model::{Format, Record};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Text, Format::Markdown, Format::Html, Format::Json, Format::Jsonl, Format::Warc] {
        let record = Record { source: "fuzz".into(), format, bytes: data.to_vec() };
        let _ = presswatch_pipeline::process(&record);
    }
});
