//! Bytes to UTF-8: BOM, declared charsets (HTTP, `<meta>`), UTF-8 validation, mixed-encoding
//! repair and statistical detection, in that order.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How many bytes chardetng looks at; more does not change its guess in practice.
const DETECT_BYTES: usize = 1024 * 1024;
/// How far into an HTML document a `<meta charset>` is looked for (the HTML standard says 1024;
/// real pages put long `<head>` scripts first, so look further).
const PRESCAN_BYTES: usize = 8 * 1024;

pub(crate) fn strip_nul(s: String) -> String {
    if s.contains('\0') {
        s.replace('\0', "")
    } else {
        s
    }
}

/// The encoding of a byte-order mark at the start, if any.
pub(crate) fn bom(bytes: &[u8]) -> Option<&'static Encoding> {
    Encoding::for_bom(bytes).map(|(e, _)| e)
}

/// UTF-16 without a BOM, recognised when the text says so: in a prefix, a fair share of the code
/// units are ASCII (a zero high byte: spaces, newlines, punctuation, digits, Latin letters) and
/// nearly all of them decode to letters, digits, marks, punctuation or white space. Text in one
/// byte order read in the other fails this (the ASCII units become U+xx00, mostly unassigned or
/// CJK with no ASCII among them); so does binary data with NUL bytes in it.
pub(crate) fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = bytes.get(..4096).unwrap_or(bytes);
    // Without NUL bytes there are no ASCII code units, so it is not UTF-16 text.
    if sample.len() < 16 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    [UTF_16LE, UTF_16BE].into_iter().find(|&enc| looks_like_utf16(sample, enc == UTF_16LE))
}

fn looks_like_utf16(sample: &[u8], le: bool) -> bool {
    let units = sample.chunks_exact(2).map(|p| {
        if le {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let (mut total, mut ascii, mut plausible) = (0usize, 0usize, 0usize);
    for c in char::decode_utf16(units) {
        total += 1;
        let Ok(c) = c else { continue };
        if c.is_ascii() && (c.is_ascii_graphic() || matches!(c, ' ' | '\t' | '\n' | '\r')) {
            ascii += 1;
            plausible += 1;
        } else if !c.is_ascii()
            && !c.is_control()
            && (c.is_alphanumeric() || c.is_whitespace() || is_text_symbol(c))
        {
            plausible += 1;
        }
    }
    // At least a tenth ASCII units, and at most 2% implausible ones.
    total > 0 && ascii * 10 >= total && plausible * 50 >= total * 49
}

/// Punctuation and symbols common in text outside ASCII (quotes, dashes, currency, ...).
fn is_text_symbol(c: char) -> bool {
    matches!(c, '\u{00a0}'..='\u{00bf}' | '\u{2000}'..='\u{206f}' | '\u{20a0}'..='\u{20cf}' | '\u{feff}')
}

/// A Unicode encoding wider than UTF-8 (UTF-16 or UTF-32, either byte order). Such input is
/// decoded to UTF-8 while it is read, so the splitters see UTF-8, and each record is encoded
/// back into the bytes it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wide {
    Utf16(&'static Encoding),
    Utf32 { le: bool },
}

impl Wide {
    /// The encoding of an input that starts with `head`: a UTF-32 or UTF-16 BOM, or UTF-16 that
    /// [`sniff_utf16`] recognises.
    pub(crate) fn of_input(head: &[u8]) -> Option<Wide> {
        if let Some(le) = utf32_bom(head) {
            return Some(Wide::Utf32 { le });
        }
        match bom(head) {
            Some(e) if e == UTF_16LE || e == UTF_16BE => Some(Wide::Utf16(e)),
            Some(_) => None,
            None => sniff_utf16(head).map(Wide::Utf16),
        }
    }

    /// The encoding of one record's bytes: as for an input, or a JSON record whose first
    /// non-blank code unit is `{` or `[`.
    pub(crate) fn of_record(bytes: &[u8]) -> Option<Wide> {
        if let Some(le) = utf32_bom(bytes) {
            return Some(Wide::Utf32 { le });
        }
        for (le, width) in [(true, 4), (false, 4), (true, 2), (false, 2)] {
            if json_start(bytes, le, width) {
                return Some(match width {
                    4 => Wide::Utf32 { le },
                    _ => Wide::Utf16(if le { UTF_16LE } else { UTF_16BE }),
                });
            }
        }
        Wide::of_input(bytes)
    }

    /// UTF-8 text encoded in this encoding.
    pub(crate) fn encode(self, utf8: &[u8]) -> Vec<u8> {
        let text = String::from_utf8_lossy(utf8);
        let mut out = Vec::with_capacity(text.len() * 2);
        match self {
            Wide::Utf16(enc) => {
                for unit in text.encode_utf16() {
                    out.extend_from_slice(&if enc == UTF_16BE {
                        unit.to_be_bytes()
                    } else {
                        unit.to_le_bytes()
                    });
                }
            }
            Wide::Utf32 { le } => {
                for c in text.chars() {
                    let c = u32::from(c);
                    out.extend_from_slice(&if le { c.to_le_bytes() } else { c.to_be_bytes() });
                }
            }
        }
        out
    }

    /// Bytes in this encoding as UTF-8 text, a leading BOM removed.
    pub(crate) fn decode(self, bytes: &[u8]) -> String {
        match self {
            Wide::Utf16(enc) => enc.decode_with_bom_removal(bytes).0.into_owned(),
            Wide::Utf32 { le } => {
                let mut out = String::with_capacity(bytes.len() / 4);
                push_utf32(&mut out, bytes, le);
                if !bytes.len().is_multiple_of(4) {
                    out.push(char::REPLACEMENT_CHARACTER);
                }
                match out.strip_prefix('\u{feff}') {
                    Some(rest) => rest.to_string(),
                    None => out,
                }
            }
        }
    }
}

/// A UTF-32 BOM at the start: `Some(true)` little-endian, `Some(false)` big-endian.
fn utf32_bom(bytes: &[u8]) -> Option<bool> {
    if bytes.starts_with(b"\xFF\xFE\0\0") {
        Some(true)
    } else if bytes.starts_with(b"\0\0\xFE\xFF") {
        Some(false)
    } else {
        None
    }
}

/// Whether the first non-blank code unit (of `width` bytes) is `{` or `[`.
fn json_start(bytes: &[u8], le: bool, width: usize) -> bool {
    let mut units = bytes.chunks_exact(width).map(|u| {
        let (lo, rest) = if le { (u[0], &u[1..]) } else { (u[width - 1], &u[..width - 1]) };
        (lo, rest.iter().all(|&b| b == 0))
    });
    units
        .find(|&(lo, ascii)| !(ascii && lo.is_ascii_whitespace()))
        .is_some_and(|(lo, ascii)| ascii && matches!(lo, b'{' | b'['))
}

/// Appends the complete UTF-32 units of `bytes` (invalid ones as U+FFFD).
fn push_utf32(out: &mut String, bytes: &[u8], le: bool) {
    for u in bytes.chunks_exact(4) {
        let v = [u[0], u[1], u[2], u[3]];
        let v = if le { u32::from_le_bytes(v) } else { u32::from_be_bytes(v) };
        out.push(char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
}

enum WideDecoder {
    Utf16(encoding_rs::Decoder),
    /// Byte order, and the bytes of an incomplete unit from the last read.
    Utf32(bool, Vec<u8>),
}

/// Decodes UTF-16 or UTF-32 input to UTF-8 while it is read (a BOM stays, as U+FEFF), so the
/// input is split into records without being read whole.
pub(crate) struct WideReader<'a> {
    inner: Box<dyn std::io::Read + 'a>,
    decoder: WideDecoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    done: bool,
}

impl<'a> WideReader<'a> {
    pub(crate) fn new(inner: Box<dyn std::io::Read + 'a>, wide: Wide) -> Self {
        let decoder = match wide {
            Wide::Utf16(enc) => WideDecoder::Utf16(enc.new_decoder_without_bom_handling()),
            Wide::Utf32 { le } => WideDecoder::Utf32(le, Vec::new()),
        };
        WideReader { inner, decoder, raw: vec![0; 64 * 1024], out: Vec::new(), out_pos: 0, done: false }
    }

    /// Decodes the next raw bytes (`last` at the end of input) into `out`.
    fn decode(&mut self, n: usize, last: bool) {
        let input = self.raw.get(..n).unwrap_or(&[]);
        self.out.clear();
        self.out_pos = 0;
        match &mut self.decoder {
            WideDecoder::Utf16(decoder) => {
                let cap = decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
                self.out.resize(cap, 0);
                let (_, _, written, _) = decoder.decode_to_utf8(input, &mut self.out, last);
                self.out.truncate(written);
            }
            WideDecoder::Utf32(le, carry) => {
                carry.extend_from_slice(input);
                let whole = carry.len() - carry.len() % 4;
                let mut text = String::with_capacity(whole);
                push_utf32(&mut text, carry.get(..whole).unwrap_or(&[]), *le);
                carry.drain(..whole);
                if last && !carry.is_empty() {
                    text.push(char::REPLACEMENT_CHARACTER);
                    carry.clear();
                }
                self.out = text.into_bytes();
            }
        }
    }
}

impl std::io::Read for WideReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_pos >= self.out.len() {
            if self.done {
                return Ok(0);
            }
            let n = loop {
                match self.inner.read(&mut self.raw) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
            self.done = n == 0;
            self.decode(n, n == 0);
        }
        let avail = self.out.get(self.out_pos..).unwrap_or(&[]);
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Decodes text with an optional declared encoding (e.g. from HTTP headers).
pub(crate) fn decode_text(bytes: &[u8], declared: Option<&'static Encoding>) -> String {
    if let Some(enc) = bom(bytes) {
        let (s, _) = enc.decode_with_bom_removal(bytes);
        return s.into_owned();
    }
    if let Some(enc) = sniff_utf16(bytes) {
        return enc.decode_without_bom_handling(bytes).0.into_owned();
    }
    let declared = declared.filter(|e| *e != UTF_16LE && *e != UTF_16BE);
    match declared {
        Some(enc) if enc != UTF_8 => {
            // A wrong label is common: bytes that are valid UTF-8 with multibyte sequences
            // are UTF-8 whatever the page claims.
            if std::str::from_utf8(bytes).is_ok() && !bytes.is_ascii() {
                String::from_utf8_lossy(bytes).into_owned()
            } else {
                enc.decode_without_bom_handling(bytes).0.into_owned()
            }
        }
        _ => decode_unlabeled(bytes),
    }
}

/// Decodes HTML: BOM, then the HTTP charset, then a `<meta>` prescan, then content.
pub(crate) fn decode_html(bytes: &[u8], http: Option<&'static Encoding>) -> String {
    let declared = http.or_else(|| prescan_meta(bytes));
    decode_text(bytes, declared)
}

/// UTF-8 when valid; a mix of UTF-8 runs and Windows-1252 bytes when the bytes hold real UTF-8
/// sequences among invalid ones (concatenated sources); otherwise the detected legacy encoding.
fn decode_unlabeled(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_owned();
    }
    if has_utf8_multibyte(bytes) {
        return decode_mixed(bytes);
    }
    let mut det = chardetng::EncodingDetector::new();
    let sample = bytes.get(..DETECT_BYTES).unwrap_or(bytes);
    det.feed(sample, sample.len() == bytes.len());
    let enc = det.guess(None, false);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Whether the bytes contain at least one valid non-ASCII UTF-8 sequence.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while !rest.is_empty() {
        let (valid, skip) = match std::str::from_utf8(rest) {
            Ok(s) => (s, rest.len()),
            Err(e) => {
                let v = e.valid_up_to();
                let bad = e.error_len().unwrap_or(rest.len() - v);
                (std::str::from_utf8(rest.get(..v).unwrap_or(&[])).unwrap_or(""), v + bad)
            }
        };
        if !valid.is_ascii() {
            return true;
        }
        rest = rest.get(skip..).unwrap_or(&[]);
    }
    false
}

/// Valid UTF-8 runs as UTF-8, each invalid byte as Windows-1252.
fn decode_mixed(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let v = e.valid_up_to();
                let bad = e.error_len().unwrap_or(rest.len() - v);
                out.push_str(std::str::from_utf8(rest.get(..v).unwrap_or(&[])).unwrap_or(""));
                let invalid = rest.get(v..v + bad).unwrap_or(&[]);
                out.push_str(&WINDOWS_1252.decode_without_bom_handling(invalid).0);
                rest = rest.get(v + bad..).unwrap_or(&[]);
            }
        }
    }
    out
}

/// An encoding from a charset label (`Content-Type` value or bare label).
pub(crate) fn from_content_type(value: &str) -> Option<&'static Encoding> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = lower.get(at + "charset".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let label: String = rest
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| !matches!(c, '"' | '\'' | ';' | ',' | ' ' | '>' | '/'))
        .collect();
    label_encoding(&label)
}

fn label_encoding(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    // The HTML standard: a UTF-16 label in a document without a BOM means UTF-8;
    // `x-user-defined` is Windows-1252 for text purposes.
    if enc == UTF_16LE || enc == UTF_16BE {
        Some(UTF_8)
    } else if enc == encoding_rs::X_USER_DEFINED {
        Some(WINDOWS_1252)
    } else {
        Some(enc)
    }
}

/// `<meta charset=...>`, `<meta http-equiv=Content-Type content="...; charset=...">` or an
/// XML declaration's `encoding`, in the first bytes of a document.
pub(crate) fn prescan_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..PRESCAN_BYTES).unwrap_or(bytes);
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    if let Some(rest) = text.strip_prefix("<?xml") {
        let decl = rest.split("?>").next().unwrap_or("");
        if let Some(at) = decl.find("encoding") {
            let v = decl.get(at + "encoding".len()..).unwrap_or("").trim_start();
            if let Some(v) = v.strip_prefix('=') {
                let label: String = v
                    .trim_start()
                    .trim_start_matches(['"', '\''])
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '\'' | ' ' | '?'))
                    .collect();
                if let Some(e) = label_encoding(&label) {
                    return Some(e);
                }
            }
        }
    }
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|t| t.find("<meta")) {
        let tag_start = from + at;
        let tag_end = text.get(tag_start..).and_then(|t| t.find('>')).map(|e| tag_start + e);
        let tag = text.get(tag_start..tag_end.unwrap_or(text.len())).unwrap_or("");
        if let Some(e) = from_content_type(tag) {
            return Some(e);
        }
        from = tag_start + 5;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_utf8_and_cp1252() {
        let bytes = b"caf\xc3\xa9 and caf\xe9";
        assert_eq!(decode_text(bytes, None), "café and café");
    }

    #[test]
    fn latin1_alone_is_detected() {
        let bytes = b"Der B\xe4r l\xe4uft \xfcber die Stra\xdfe und \xe4rgert sich sehr.";
        assert_eq!(decode_text(bytes, None), "Der Bär läuft über die Straße und ärgert sich sehr.");
    }

    #[test]
    fn wrong_declared_charset_prefers_utf8() {
        let bytes = "Zürich – Genève".as_bytes();
        assert_eq!(decode_text(bytes, Some(WINDOWS_1252)), "Zürich – Genève");
    }

    #[test]
    fn meta_prescan_finds_both_forms() {
        let a = b"<html><head><meta charset='windows-1251'>";
        assert_eq!(prescan_meta(a), Some(encoding_rs::WINDOWS_1251));
        let b = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-2\">";
        assert_eq!(prescan_meta(b), Some(encoding_rs::ISO_8859_2));
        assert_eq!(prescan_meta(b"<html><head><title>x</title>"), None);
    }

    #[test]
    fn declared_cyrillic_is_used() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Привет, мир");
        let html = [b"<meta charset=windows-1251><p>".as_slice(), &bytes].concat();
        assert!(decode_html(&html, None).ends_with("Привет, мир"));
    }
}
