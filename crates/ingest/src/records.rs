//! The streaming splitter: one input in, records (or rejections) out, one at a time.

use std::io::Read;

use presswatch_model::{Format, Record};

use crate::charset::{Wide, WideReader};
use crate::detect::{self, Detected};
use crate::input::{Capped, Input};
use crate::json::{self, Scan};
use crate::warc::WarcReader;
use crate::{Limits, RejectReason, Rejection};

/// How much of an input is looked at to detect its format.
const SNIFF: usize = 1024 * 1024;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Splits one input (a file's or stdin's bytes, possibly gzip/zstd compressed, detected by magic
/// bytes) into records. `name` is the input path as given (`-` for stdin). Reading is
/// incremental: at most one record (bounded by [`Limits::max_record_bytes`]) plus a read buffer
/// is held at a time. Nothing is read before the first call to `next`.
pub fn records<'a, R: Read + 'a>(name: &'a str, reader: R, limits: Limits) -> Records<'a> {
    Records { name, limits, state: State::Unopened(Box::new(reader)), count: 0, wide: None }
}

/// The records of one input: `Ok` for each document's bytes, `Err` for each part that cannot be
/// one. Iteration continues past a bad record whenever the rest of the input can still be read.
pub struct Records<'a> {
    name: &'a str,
    limits: Limits,
    state: State<'a>,
    count: u64,
    /// Set for UTF-16 and UTF-32 input: the splitters see it as UTF-8, and each record is
    /// turned back into the bytes it was read from.
    wide: Option<Wide>,
}

enum State<'a> {
    Unopened(Box<dyn Read + 'a>),
    Warc(Input<'a>, WarcReader),
    /// Elements of top-level arrays; `open` while inside `[ ... ]`.
    JsonArray {
        input: Input<'a>,
        n: u64,
        open: bool,
    },
    JsonStream {
        input: Input<'a>,
        n: u64,
    },
    JsonLines {
        input: Input<'a>,
        line: u64,
    },
    Done,
}

impl std::fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records").field("name", &self.name).field("count", &self.count).finish()
    }
}

type Item = Result<Record, Rejection>;

impl Iterator for Records<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let mut item = self.step()?;
        if let (Some(wide), Ok(record)) = (self.wide, &item) {
            let raw = wide.encode(record.bytes());
            item = Ok(Record::new(record.source(), record.format(), raw));
        }
        if let Some(limit) = self.limits.max_input_records {
            if self.count >= limit {
                self.state = State::Done;
                return Some(Err(self.reject(RejectReason::TooManyRecords { limit })));
            }
        }
        self.count += 1;
        Some(item)
    }
}

impl<'a> Records<'a> {
    fn reject(&self, reason: RejectReason) -> Rejection {
        Rejection::new(self.name, reason)
    }

    fn numbered(&self, n: u64) -> String {
        format!("{}#{n}", self.name)
    }

    /// Ends the iteration with a rejection of the whole (rest of the) input.
    fn fail(&mut self, source: String, reason: RejectReason) -> Option<Item> {
        self.state = State::Done;
        Some(Err(Rejection::new(source, reason)))
    }

    fn step(&mut self) -> Option<Item> {
        let state = std::mem::replace(&mut self.state, State::Done);
        match state {
            State::Done => None,
            State::Unopened(reader) => self.open(reader, None),
            State::Warc(mut input, mut warc) => {
                let item = warc.next(&mut input, self.name, &self.limits);
                if item.is_some() {
                    self.state = State::Warc(input, warc);
                }
                item
            }
            State::JsonArray { input, n, open } => self.json_array(input, n, open),
            State::JsonStream { input, n } => self.json_stream(input, n),
            State::JsonLines { input, line } => self.json_lines(input, line),
        }
    }

    /// Opens the input; `decoded` is `Some(compressed)` for the UTF-8 decoding of wide input
    /// (whether that was compressed, so read errors are still reported as corrupt data).
    fn open(&mut self, reader: Box<dyn Read + 'a>, decoded: Option<bool>) -> Option<Item> {
        let mut input = match Input::open(reader, self.limits.max_record_bytes) {
            Ok(i) => i,
            Err(reason) => return self.fail(self.name.to_string(), reason),
        };
        if decoded == Some(true) {
            input.set_compressed();
        }
        if let Err(e) = input.fill_to(SNIFF) {
            let reason = input.error(e);
            return self.fail(self.name.to_string(), reason);
        }
        if input.available().trim_ascii().is_empty() {
            return self.fail(self.name.to_string(), RejectReason::Empty);
        }
        // UTF-16 and UTF-32 are decoded while they are read, so the splitters below see UTF-8
        // and memory stays bounded by one record; each record goes back to its own bytes in
        // `next`.
        if decoded.is_none() {
            if let Some(wide) = Wide::of_input(input.available()) {
                self.wide = Some(wide);
                let compressed = input.is_compressed();
                let utf8 = WideReader::new(input.take_reader(), wide);
                return self.open(Box::new(utf8), Some(compressed));
            }
        }
        let head = input.available();
        let bom = head.starts_with(UTF8_BOM);
        let head = head.strip_prefix(UTF8_BOM).unwrap_or(head);
        if !head.trim_ascii_start().starts_with(b"WARC/") {
            if let Err(reason) = detect::check_not_binary(head) {
                return self.fail(self.name.to_string(), reason);
            }
        }
        let complete = head.len() < SNIFF;
        let detected = detect::detect(head, self.name, complete);
        tracing::debug!(input = self.name, ?detected, "detected input format");
        let format = match detected {
            Detected::Warc => {
                self.state = State::Warc(input, WarcReader::default());
                return self.step();
            }
            Detected::JsonArray | Detected::JsonStream | Detected::JsonLines => {
                if bom {
                    input.consume(UTF8_BOM.len());
                }
                self.state = match detected {
                    Detected::JsonArray => State::JsonArray { input, n: 0, open: false },
                    Detected::JsonStream => State::JsonStream { input, n: 0 },
                    _ => State::JsonLines { input, line: 0 },
                };
                return self.step();
            }
            Detected::Markdown => Format::Markdown,
            Detected::Html => Format::Html,
            Detected::Text => Format::Text,
        };
        let mut bytes = Vec::new();
        match input.read_to_end_capped(&mut bytes, self.limits.max_record_bytes) {
            Ok(true) => Some(Ok(Record::new(self.name, format, bytes))),
            Ok(false) => self.fail(
                self.name.to_string(),
                RejectReason::TooLarge { limit_bytes: self.limits.max_record_bytes },
            ),
            Err(e) => {
                let reason = input.error(e);
                self.fail(self.name.to_string(), reason)
            }
        }
    }

    /// Scans the next JSON value into a record of `format`.
    fn json_value(
        &self,
        input: &mut Input<'_>,
        source: String,
        format: Format,
    ) -> Result<Item, RejectReason> {
        let mut bytes = Vec::new();
        match json::scan_value(input, &mut bytes, self.limits.max_record_bytes).map_err(|e| input.error(e))? {
            Scan::Value => Ok(match json::validate_object(&bytes) {
                Ok(()) => Ok(Record::new(source, format, bytes)),
                Err(reason) => Err(Rejection::new(source, reason)),
            }),
            Scan::TooLarge => Ok(Err(Rejection::new(
                source,
                RejectReason::TooLarge { limit_bytes: self.limits.max_record_bytes },
            ))),
            Scan::Truncated => Err(RejectReason::MalformedJson {
                detail: "input ends inside a JSON value (truncated file?)".into(),
            }),
        }
    }

    fn json_array(&mut self, mut input: Input<'a>, mut n: u64, mut open: bool) -> Option<Item> {
        loop {
            let next = match input.skip_space(open) {
                Ok(b) => b,
                Err(e) => {
                    let reason = input.error(e);
                    return self.fail(self.numbered(n + 1), reason);
                }
            };
            match (open, next) {
                (true, None) => {
                    let detail = "JSON array not closed with ']' (truncated file?)".to_string();
                    return self.fail(self.numbered(n + 1), RejectReason::MalformedJson { detail });
                }
                (false, None) => return None,
                (false, Some(b'[')) => {
                    input.consume(1);
                    open = true;
                }
                (false, Some(_)) => {
                    let detail = "unexpected data after the JSON array".to_string();
                    return self.fail(self.numbered(n + 1), RejectReason::MalformedJson { detail });
                }
                (true, Some(b']')) => {
                    input.consume(1);
                    open = false;
                }
                (true, Some(_)) => {
                    n += 1;
                    let source = self.numbered(n);
                    return match self.json_value(&mut input, source.clone(), Format::Json) {
                        Ok(item) => {
                            self.state = State::JsonArray { input, n, open };
                            Some(item)
                        }
                        Err(reason) => self.fail(source, reason),
                    };
                }
            }
        }
    }

    fn json_stream(&mut self, mut input: Input<'a>, n: u64) -> Option<Item> {
        match input.skip_space(true) {
            Ok(None) => return None,
            Ok(Some(_)) => {}
            Err(e) => {
                let reason = input.error(e);
                return self.fail(self.numbered(n + 1), reason);
            }
        }
        let n = n + 1;
        let numbered = self.numbered(n);
        match self.json_value(&mut input, numbered.clone(), Format::Json) {
            Ok(mut item) => {
                // A lone object is the whole input: its source is the bare name.
                if n == 1 && matches!(input.skip_space(true), Ok(None)) {
                    match &mut item {
                        Ok(r) => r.set_source(self.name),
                        Err(r) => r.source = self.name.to_string(),
                    }
                }
                self.state = State::JsonStream { input, n };
                Some(item)
            }
            Err(reason) => self.fail(numbered, reason),
        }
    }

    fn json_lines(&mut self, mut input: Input<'a>, mut line: u64) -> Option<Item> {
        loop {
            line += 1;
            let mut bytes = Vec::new();
            let outcome = match input.read_line(&mut bytes, self.limits.max_record_bytes) {
                Ok(o) => o,
                Err(e) => {
                    let reason = input.error(e);
                    return self.fail(self.numbered(line), reason);
                }
            };
            let source = self.numbered(line);
            match outcome {
                Capped::TooLong | Capped::Eof(true) => {
                    self.state = State::JsonLines { input, line };
                    return Some(Err(Rejection::new(
                        source,
                        RejectReason::TooLarge { limit_bytes: self.limits.max_record_bytes },
                    )));
                }
                Capped::Eof(false) if bytes.is_empty() => return None,
                _ => {}
            }
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            if bytes.trim_ascii().is_empty() {
                continue;
            }
            let item = match json::validate_object(&bytes) {
                Ok(()) => Ok(Record::new(source, Format::Jsonl, bytes)),
                Err(reason) => Err(Rejection::new(source, reason)),
            };
            self.state = State::JsonLines { input, line };
            return Some(item);
        }
    }
}
