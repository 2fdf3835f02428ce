//! Arbitrary bytes as an input file: splitting into records and decoding each must not panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for record in presswatch_ingest::records("fuzz", data, presswatch_ingest::Limits::default()).flatten() {
        let _ = presswatch_ingest::decode_record(&record);
    }
});
