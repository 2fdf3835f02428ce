//! WARC archives: a streaming record reader that keeps HTML `response` and `resource` records
//! (whole WARC record bytes), and the decoder that turns such a record into an HTML document
//! (HTTP head, chunked transfer, gzip/deflate content encoding, charset).

use std::io::Read;

use presswatch_model::{BodyKind, Format, Metadata, Record};

use crate::input::{Capped, Input};
use crate::{Limits, RejectReason, Rejection};

const MAX_HEADER_LINE: usize = 64 * 1024;
const MAX_HEADER: usize = 1024 * 1024;
/// How much of a block is looked at to decide whether its payload is HTML.
const PEEK: usize = 64 * 1024;
/// Largest decompressed HTTP body (a gzip bomb stops here).
const MAX_DECODED_BODY: usize = 256 * 1024 * 1024;

/// Header fields as `(lowercased name, value)`.
type Headers = Vec<(String, String)>;

fn header<'h>(headers: &'h Headers, name: &str) -> Option<&'h str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Parses `Name: value` lines (continuation lines folded in); stops at the first blank line.
fn parse_headers(text: &[u8]) -> Headers {
    let mut out: Headers = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = out.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    out
}

/// Offset of the end of a header block (just past the blank line), if complete.
fn header_end(bytes: &[u8]) -> Option<usize> {
    let crlf = memchr::memmem::find(bytes, b"\r\n\r\n").map(|i| i + 4);
    let lf = memchr::memmem::find(bytes, b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// An HTTP response head: status code and headers, and where the body starts.
struct HttpHead {
    status: u16,
    headers: Headers,
    body_start: usize,
}

fn parse_http(block: &[u8]) -> Option<HttpHead> {
    if !block.starts_with(b"HTTP/") {
        return None;
    }
    let body_start = header_end(block)?;
    let head = block.get(..body_start)?;
    let first_end = memchr::memchr(b'\n', head)?;
    let status_line = String::from_utf8_lossy(head.get(..first_end)?);
    let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let headers = parse_headers(head.get(first_end + 1..)?);
    Some(HttpHead { status, headers, body_start })
}

fn is_html_type(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    ct.contains("html")
}

/// Whether a kept-type record's payload is an HTML page worth extracting.
fn payload_is_html(warc_type: &str, warc_headers: &Headers, peek: &[u8]) -> bool {
    if warc_type == "resource" {
        return match header(warc_headers, "content-type") {
            Some(ct) => is_html_type(ct),
            None => crate::detect::looks_like_html_document(peek),
        };
    }
    let Some(http) = parse_http(peek) else {
        return false;
    };
    if !(200..300).contains(&http.status) {
        return false;
    }
    match header(&http.headers, "content-type") {
        Some(ct) => is_html_type(ct),
        None => crate::detect::looks_like_html_document(peek.get(http.body_start..).unwrap_or(&[])),
    }
}

/// Streaming state over one WARC input.
#[derive(Default)]
pub(crate) struct WarcReader {
    /// WARC records seen so far (kept or not): `#N` in sources.
    n: u64,
    done: bool,
    /// A header line read while resynchronising, which starts the next record.
    pending: Option<Vec<u8>>,
}

impl WarcReader {
    pub(crate) fn next(
        &mut self,
        input: &mut Input<'_>,
        name: &str,
        limits: &Limits,
    ) -> Option<Result<Record, Rejection>> {
        while !self.done {
            match self.next_inner(input, name, limits) {
                Ok(Some(item)) => return Some(item),
                Ok(None) => continue,
                Err(reason) => {
                    self.done = true;
                    return Some(Err(Rejection::new(format!("{name}#{}", self.n.max(1)), reason)));
                }
            }
        }
        None
    }

    /// One step: `Ok(Some)` a record or a recoverable rejection, `Ok(None)` a skipped record,
    /// `Err` a rejection after which the input cannot be read further.
    fn next_inner(
        &mut self,
        input: &mut Input<'_>,
        name: &str,
        limits: &Limits,
    ) -> Result<Option<Result<Record, Rejection>>, RejectReason> {
        let next = match &self.pending {
            Some(_) => None,
            None => input.skip_space(false).map_err(|e| input.error(e))?,
        };
        // A corrupt gzip member skipped before here held a record of its own. (A pending header
        // line was read already: what came before it.)
        let pending_len = self.pending.as_ref().map_or(0, |line| line.len() as u64);
        if let Some((_, detail)) = input.take_damage(input.pos().saturating_sub(pending_len)) {
            self.n += 1;
            let source = format!("{name}#{}", self.n);
            return Ok(Some(Err(Rejection::new(source, RejectReason::Decompress(detail)))));
        }
        let mut head = match self.pending.take() {
            Some(line) => line,
            None if next.is_none() => {
                self.done = true;
                return Ok(None);
            }
            None => Vec::new(),
        };
        self.n += 1;
        let source = format!("{name}#{}", self.n);
        let record_start = input.pos();
        loop {
            let mut line = Vec::new();
            match input.read_line(&mut line, MAX_HEADER_LINE).map_err(|e| input.error(e))? {
                Capped::Done => {}
                Capped::TooLong => return self.resync(input, &source, "header line longer than 64 KiB"),
                Capped::Eof(_) => {
                    return Err(RejectReason::MalformedWarc {
                        detail: "input ends inside a record header (truncated file?)".into(),
                    })
                }
            }
            if head.is_empty() && !line.starts_with(b"WARC/") {
                let found: String = String::from_utf8_lossy(&line).chars().take(40).collect();
                let detail = format!("expected a 'WARC/1.x' record header, found {found:?}");
                return self.resync(input, &source, &detail);
            }
            let blank = line.trim_ascii().is_empty();
            head.extend_from_slice(&line);
            head.push(b'\n');
            if blank {
                break;
            }
            if head.len() > MAX_HEADER {
                return self.resync(input, &source, "record header larger than 1 MiB");
            }
        }
        let headers =
            parse_headers(head.get(memchr::memchr(b'\n', &head).map_or(0, |i| i + 1)..).unwrap_or(&[]));
        let Some(len) = header(&headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok()) else {
            return self.resync(input, &source, "record has no valid Content-Length");
        };
        let warc_type = header(&headers, "warc-type").unwrap_or("").to_ascii_lowercase();
        let keep_type = warc_type == "response" || warc_type == "resource";
        let is_html = keep_type && {
            let want = usize::try_from(len).unwrap_or(usize::MAX).min(PEEK);
            if let Err(e) = input.fill_to(want) {
                return Err(input.error(e));
            }
            let peek = input.available();
            payload_is_html(&warc_type, &headers, peek.get(..want).unwrap_or(peek))
        };
        // Blocks up to the record limit are held (kept or not), so that a wrong Content-Length
        // can be undone: the records it swallowed are read again from the held bytes. Of a
        // larger block, the first record-limit bytes are held, and the rest skipped.
        let block_start = head.len();
        let held = len <= limits.max_record_bytes as u64;
        let hold = len.min(limits.max_record_bytes as u64);
        let mut capped = input.read_exact_into(hold, &mut head).map_err(|e| input.error(e))?;
        // Whether the held bytes end where the input is now (so they can be read again).
        let mut tail_held = true;
        if matches!(capped, Capped::Done) && len > hold {
            capped = input.skip(len - hold).map_err(|e| input.error(e))?;
            tail_held = false;
        }
        let complete = matches!(capped, Capped::Done);
        // Damage strictly inside the record's bytes (at its end, the record was whole).
        let damage = input.take_damage(input.pos().saturating_sub(1)).filter(|(at, _)| *at > record_start);
        // A complete block not followed by a record header is kept when it holds no record header
        // itself (junk after it, or a Content-Length a little short: the junk gets its own
        // rejection next); when it does hold one, the Content-Length swallowed that record.
        let block = head.get(block_start..).unwrap_or(&[]);
        let swallowed = || next_header_in(block, 0).is_some();
        if damage.is_none()
            && complete
            && (at_record_boundary(input).map_err(|e| input.error(e))? || !swallowed())
        {
            return Ok(if !is_html {
                tracing::debug!(source = %source, warc_type = %warc_type, "skipping WARC record without an HTML page");
                None
            } else if !held {
                Some(Err(Rejection::new(
                    source,
                    RejectReason::TooLarge { limit_bytes: limits.max_record_bytes },
                )))
            } else {
                Some(Ok(Record::new(source, Format::Warc, head)))
            });
        }
        // The block does not end where the next record starts: a corrupt gzip member, a wrong
        // Content-Length or a cut file. This record is lost; every intact one after it is not.
        let (reason, from) = match damage {
            Some((at, detail)) => {
                let block_at = input.pos().saturating_sub((head.len() - block_start) as u64);
                (RejectReason::Decompress(detail), usize::try_from(at.saturating_sub(block_at)).unwrap_or(0))
            }
            None if complete => (
                RejectReason::MalformedWarc {
                    detail: format!(
                        "Content-Length {len} does not end at a record boundary; skipped to the next record"
                    ),
                },
                0,
            ),
            None => (
                RejectReason::MalformedWarc {
                    detail: format!("record block truncated (Content-Length {len}; file cut short?)"),
                },
                0,
            ),
        };
        if let Some(at) = next_header_in(block, from).filter(|_| tail_held) {
            input.unread(block.get(at..).unwrap_or(&[]));
            return Ok(Some(Err(Rejection::new(source, reason))));
        }
        if !complete {
            return Err(reason);
        }
        self.resync_with(input, Rejection::new(source, reason))
    }

    /// Rejects the current record and skips to the next line that starts a WARC record.
    fn resync(
        &mut self,
        input: &mut Input<'_>,
        source: &str,
        detail: &str,
    ) -> Result<Option<Result<Record, Rejection>>, RejectReason> {
        let rejection = Rejection::new(
            source,
            RejectReason::MalformedWarc { detail: format!("{detail}; skipped to the next record") },
        );
        self.resync_with(input, rejection)
    }

    /// Skips to the next line that starts a WARC record; `rejection` is the skipped record's.
    fn resync_with(
        &mut self,
        input: &mut Input<'_>,
        rejection: Rejection,
    ) -> Result<Option<Result<Record, Rejection>>, RejectReason> {
        loop {
            let mut line = Vec::new();
            match input.read_line(&mut line, MAX_HEADER_LINE).map_err(|e| input.error(e))? {
                Capped::Done if is_record_header_line(&line) => {
                    line.push(b'\n');
                    self.pending = Some(line);
                    break;
                }
                Capped::Eof(_) => {
                    self.done = true;
                    break;
                }
                _ => {}
            }
        }
        Ok(Some(Err(rejection)))
    }
}

/// A `WARC/1.0` or `WARC/1.1` version line (newline removed).
fn is_record_header_line(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    line == b"WARC/1.0" || line == b"WARC/1.1"
}

/// The offset of the first record header line in `block` at or after `from`.
fn next_header_in(block: &[u8], from: usize) -> Option<usize> {
    let tail = block.get(from..)?;
    memchr::memmem::find_iter(tail, b"WARC/1.").map(|i| from + i).find(|&at| {
        let line_start = at == 0 || block.get(at - 1) == Some(&b'\n');
        let rest = block.get(at..).unwrap_or(&[]);
        let line = rest.get(..memchr::memchr(b'\n', rest).unwrap_or(rest.len())).unwrap_or(&[]);
        line_start && is_record_header_line(line) && rest.len() > line.len()
    })
}

/// Whether the input, past the blank lines that end a record, is at the next record header or
/// at its end (peeks, consumes nothing).
fn at_record_boundary(input: &mut Input<'_>) -> std::io::Result<bool> {
    const MAX_GAP: usize = 64;
    let avail = input.fill_to(MAX_GAP + 8)?;
    let gap = avail.iter().take_while(|b| b.is_ascii_whitespace()).count();
    if gap == avail.len() || gap > MAX_GAP {
        // Only blank bytes up to the end, or a gap too long to judge here.
        return Ok(true);
    }
    Ok(avail.get(gap..).unwrap_or(&[]).starts_with(b"WARC/"))
}

/// Decodes chunked transfer coding; returns the input unchanged when it is not chunked after all
/// (crawlers often store the decoded body but keep the header).
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut chunks = 0usize;
    loop {
        let Some(nl) = memchr::memchr(b'\n', rest) else {
            if chunks == 0 {
                return body.to_vec();
            }
            break;
        };
        let line = String::from_utf8_lossy(rest.get(..nl).unwrap_or(&[]));
        let size_text = line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            if chunks == 0 {
                return body.to_vec();
            }
            break;
        };
        chunks += 1;
        rest = rest.get(nl + 1..).unwrap_or(&[]);
        if size == 0 {
            break;
        }
        let take = size.min(rest.len());
        out.extend_from_slice(rest.get(..take).unwrap_or(&[]));
        rest = rest.get(take..).unwrap_or(&[]);
        rest = rest.strip_prefix(b"\r").unwrap_or(rest);
        rest = rest.strip_prefix(b"\n").unwrap_or(rest);
    }
    out
}

fn read_capped(mut r: impl Read) -> Result<Vec<u8>, RejectReason> {
    let mut out = Vec::new();
    (&mut r)
        .take(MAX_DECODED_BODY as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| RejectReason::Decompress(format!("HTTP body: {e}")))?;
    if out.len() > MAX_DECODED_BODY {
        return Err(RejectReason::TooLarge { limit_bytes: MAX_DECODED_BODY });
    }
    Ok(out)
}

/// Undoes `Content-Encoding`. A body that does not look encoded is used as is (some crawlers
/// store it decoded and keep the header).
fn decode_content(body: Vec<u8>, encoding: &str) -> Result<Vec<u8>, RejectReason> {
    match encoding.trim().to_ascii_lowercase().as_str() {
        "" | "identity" | "none" => Ok(body),
        "gzip" | "x-gzip" => {
            if !body.starts_with(&[0x1f, 0x8b]) {
                return Ok(body);
            }
            read_capped(flate2::read::MultiGzDecoder::new(body.as_slice()))
        }
        "deflate" => read_capped(flate2::read::ZlibDecoder::new(body.as_slice()))
            .or_else(|_| read_capped(flate2::read::DeflateDecoder::new(body.as_slice())))
            .or_else(
                |e| if crate::detect::looks_like_html_document(&body) { Ok(body.clone()) } else { Err(e) },
            ),
        other => {
            if crate::detect::looks_like_html_document(&body) {
                Ok(body)
            } else {
                Err(RejectReason::Unsupported { what: format!("HTTP Content-Encoding {other:?}") })
            }
        }
    }
}

pub(crate) fn decode_warc_record(bytes: &[u8]) -> Result<(BodyKind, String, Metadata), RejectReason> {
    if !bytes.starts_with(b"WARC/") {
        return Err(RejectReason::MalformedWarc { detail: "record does not start with 'WARC/'".into() });
    }
    let end = header_end(bytes).ok_or_else(|| RejectReason::MalformedWarc {
        detail: "no blank line after the record header".into(),
    })?;
    let head = bytes.get(..end).unwrap_or(&[]);
    let headers = parse_headers(head.get(memchr::memchr(b'\n', head).map_or(0, |i| i + 1)..).unwrap_or(&[]));
    let mut block = bytes.get(end..).unwrap_or(&[]);
    if let Some(len) = header(&headers, "content-length").and_then(|v| v.trim().parse::<usize>().ok()) {
        block = block.get(..len).unwrap_or(block);
    }
    let warc_type = header(&headers, "warc-type").unwrap_or("").to_ascii_lowercase();
    let (payload, content_type) = match warc_type.as_str() {
        "response" => {
            let http = parse_http(block).ok_or_else(|| RejectReason::MalformedWarc {
                detail: "response block has no HTTP status line and headers".into(),
            })?;
            let mut body = block.get(http.body_start..).unwrap_or(&[]).to_vec();
            if header(&http.headers, "transfer-encoding")
                .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
            {
                body = dechunk(&body);
            }
            if let Some(enc) = header(&http.headers, "content-encoding") {
                body = decode_content(body, enc)?;
            }
            (body, header(&http.headers, "content-type").map(str::to_string))
        }
        "resource" => (block.to_vec(), header(&headers, "content-type").map(str::to_string)),
        other => {
            return Err(RejectReason::Unsupported {
                what: format!("WARC-Type {other:?} (only response and resource records hold pages)"),
            })
        }
    };
    crate::detect::check_not_binary(&payload)?;
    let charset = content_type.as_deref().and_then(crate::charset::from_content_type);
    let body = crate::charset::decode_html(&payload, charset);
    let clean = |v: &str| v.trim().trim_start_matches('<').trim_end_matches('>').to_string();
    let hints = Metadata {
        url: header(&headers, "warc-target-uri").map(clean).filter(|s| !s.is_empty()),
        warc_record_id: header(&headers, "warc-record-id")
            .map(|v| v.trim().to_string())
            .filter(|s| !s.is_empty()),
        ..Metadata::default()
    };
    Ok((BodyKind::Html, body, hints))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dechunks_and_passes_plain_through() {
        assert_eq!(dechunk(b"5\r\nhello\r\n6;x=1\r\n world\r\n0\r\n\r\n"), b"hello world");
        assert_eq!(dechunk(b"<html>not chunked"), b"<html>not chunked");
    }

    #[test]
    fn gzip_content_encoding() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"<p>hi</p>").unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(decode_content(gz, "gzip").unwrap(), b"<p>hi</p>");
        assert_eq!(decode_content(b"<p>x</p>".to_vec(), "gzip").unwrap(), b"<p>x</p>");
        assert!(decode_content(b"\x1f\x8bjunk".to_vec(), "gzip").is_err());
    }
}
