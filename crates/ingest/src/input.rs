//! A small buffered reader over the (decompressed) input: peeking without consuming, reading
//! lines and byte counts with a cap, skipping without holding bytes.

use std::io::{self, Read};

use crate::RejectReason;

const CHUNK: usize = 64 * 1024;
/// Compression layers unwrapped at most (a .gz of a .zst of ...): this many are accepted, one
/// more is rejected with [`RejectReason::TooManyLayers`].
pub(crate) const MAX_LAYERS: usize = 4;

pub(crate) struct Input<'a> {
    inner: Box<dyn Read + 'a>,
    buf: Vec<u8>,
    start: usize,
    eof: bool,
    compressed: bool,
    /// Offset in the decoded stream of `buf[0]`.
    base: u64,
    /// Skipped corrupt gzip members not reported yet: (offset in the decoded stream, detail).
    damage: Vec<(u64, String)>,
}

/// How a capped read ended.
pub(crate) enum Capped {
    /// The bytes were appended to the output.
    Done,
    /// More than the cap: the bytes were skipped (not kept), up to and including the end.
    TooLong,
    /// The input ended before the end was found; what was read is in the output (unless
    /// it was too long, then `true`).
    Eof(bool),
}

impl<'a> Input<'a> {
    fn new(inner: Box<dyn Read + 'a>, compressed: bool) -> Self {
        Input { inner, buf: Vec::new(), start: 0, eof: false, compressed, base: 0, damage: Vec::new() }
    }

    /// Wraps a reader, unwrapping gzip and zstd layers detected by their magic bytes. A gzip
    /// member whose output is at most `member_cap` bytes is dropped whole when corrupt, in a
    /// WARC (see [`crate::gzip`]); [`Input::take_damage`] reports it.
    pub(crate) fn open<R: Read + 'a>(reader: R, member_cap: usize) -> Result<Input<'a>, RejectReason> {
        let mut input = Input::new(Box::new(reader), false);
        for layer in 0..=MAX_LAYERS {
            if let Err(e) = input.fill_to(4) {
                return Err(input.error(e));
            }
            let head = input.available();
            let gzip = head.starts_with(&[0x1f, 0x8b]);
            let is_zstd = head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]);
            if !(gzip || is_zstd) {
                return Ok(input);
            }
            if layer == MAX_LAYERS {
                break;
            }
            let decoder: Box<dyn Read + 'a> = if gzip {
                Box::new(crate::gzip::Members::new(input.take_reader(), member_cap))
            } else {
                let z = zstd::stream::read::Decoder::new(input.take_reader())
                    .map_err(|e| RejectReason::Decompress(e.to_string()))?;
                Box::new(z)
            };
            input = Input::new(decoder, true);
        }
        Err(RejectReason::TooManyLayers { limit: MAX_LAYERS })
    }

    /// The remaining input (buffered bytes first) as a plain reader.
    pub(crate) fn take_reader(&mut self) -> Box<dyn Read + 'a> {
        let rest = self.buf.split_off(self.start.min(self.buf.len()));
        self.buf.clear();
        self.start = 0;
        let inner = std::mem::replace(&mut self.inner, Box::new(io::empty()));
        Box::new(io::Cursor::new(rest).chain(inner))
    }

    /// The reason for a read error: a corrupt stream when compressed, else an I/O error.
    pub(crate) fn error(&self, e: io::Error) -> RejectReason {
        if self.compressed {
            RejectReason::Decompress(e.to_string())
        } else {
            RejectReason::Io(e.to_string())
        }
    }

    /// Whether the bytes come out of a decompressor.
    pub(crate) fn is_compressed(&self) -> bool {
        self.compressed
    }

    /// Reports read errors as corrupt compressed data (the reader decodes a compressed input).
    pub(crate) fn set_compressed(&mut self) {
        self.compressed = true;
    }

    /// Offset in the decoded stream of the next unconsumed byte.
    pub(crate) fn pos(&self) -> u64 {
        self.base + self.start as u64
    }

    /// Puts back `bytes`, which must be the last bytes consumed, to be read again.
    pub(crate) fn unread(&mut self, bytes: &[u8]) {
        let pos = self.pos();
        let mut buf = Vec::with_capacity(bytes.len() + self.available().len());
        buf.extend_from_slice(bytes);
        buf.extend_from_slice(self.available());
        self.buf = buf;
        self.start = 0;
        self.base = pos.saturating_sub(bytes.len() as u64);
    }

    /// The first skipped corrupt member at or before `upto` in the decoded stream, with its
    /// offset (all such are taken: a run of them cost the same bytes).
    pub(crate) fn take_damage(&mut self, upto: u64) -> Option<(u64, String)> {
        let due = self.damage.iter().take_while(|(at, _)| *at <= upto).count();
        let first = self.damage.drain(..due).next();
        first
    }

    pub(crate) fn available(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or(&[])
    }

    pub(crate) fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.buf.len());
    }

    /// Reads one more chunk into the buffer; returns how many bytes came (0 at the end).
    pub(crate) fn fill_more(&mut self) -> io::Result<usize> {
        if self.eof {
            return Ok(0);
        }
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.base += self.start as u64;
            self.start = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        loop {
            match self.inner.read(&mut self.buf[old..]) {
                Ok(n) => {
                    self.buf.truncate(old + n);
                    if n == 0 {
                        self.eof = true;
                    }
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    if let Some(detail) = crate::gzip::corrupt_member(&e) {
                        self.damage.push((self.base + old as u64, detail));
                        continue;
                    }
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        }
    }

    /// Buffers at least `n` bytes (fewer only at the end of input) and returns all buffered.
    pub(crate) fn fill_to(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.available().len() < n {
            if self.fill_more()? == 0 {
                break;
            }
        }
        Ok(self.available())
    }

    /// Skips ASCII whitespace (and stray commas when `commas`); returns the next byte, if any.
    pub(crate) fn skip_space(&mut self, commas: bool) -> io::Result<Option<u8>> {
        loop {
            let avail = self.available();
            let skip = avail
                .iter()
                .position(|&b| !(b.is_ascii_whitespace() || (commas && b == b',')))
                .unwrap_or(avail.len());
            let next = avail.get(skip).copied();
            self.consume(skip);
            if next.is_some() {
                return Ok(next);
            }
            if self.fill_more()? == 0 {
                return Ok(None);
            }
        }
    }

    /// Reads up to and including the next `\n` into `out` (newline not kept), or skips the line
    /// when it would make `out` longer than `max`.
    pub(crate) fn read_line(&mut self, out: &mut Vec<u8>, max: usize) -> io::Result<Capped> {
        let mut too_long = false;
        loop {
            let avail = self.available();
            let (chunk, found) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i, true),
                None => (avail.len(), false),
            };
            if !too_long {
                if out.len() + chunk > max {
                    too_long = true;
                    out.clear();
                } else {
                    out.extend_from_slice(&avail[..chunk]);
                }
            }
            self.consume(chunk + usize::from(found));
            if found {
                return Ok(if too_long { Capped::TooLong } else { Capped::Done });
            }
            if self.fill_more()? == 0 {
                return Ok(Capped::Eof(too_long));
            }
        }
    }

    /// Reads exactly `n` bytes into `out`.
    pub(crate) fn read_exact_into(&mut self, n: u64, out: &mut Vec<u8>) -> io::Result<Capped> {
        let mut left = n;
        while left > 0 {
            let avail = self.available();
            if avail.is_empty() {
                if self.fill_more()? == 0 {
                    return Ok(Capped::Eof(false));
                }
                continue;
            }
            let take = avail.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            out.extend_from_slice(&avail[..take]);
            self.consume(take);
            left -= take as u64;
        }
        Ok(Capped::Done)
    }

    /// Skips exactly `n` bytes without keeping them.
    pub(crate) fn skip(&mut self, n: u64) -> io::Result<Capped> {
        let mut left = n;
        while left > 0 {
            let avail = self.available().len();
            if avail == 0 {
                if self.fill_more()? == 0 {
                    return Ok(Capped::Eof(true));
                }
                continue;
            }
            let take = avail.min(usize::try_from(left).unwrap_or(usize::MAX));
            self.consume(take);
            left -= take as u64;
        }
        Ok(Capped::Done)
    }

    /// Reads everything that is left into `out`, up to `max` bytes; `Ok(false)` when more was
    /// left (the rest is not read).
    pub(crate) fn read_to_end_capped(&mut self, out: &mut Vec<u8>, max: usize) -> io::Result<bool> {
        loop {
            let avail = self.available();
            if out.len() + avail.len() > max {
                return Ok(false);
            }
            out.extend_from_slice(avail);
            let n = avail.len();
            self.consume(n);
            if self.fill_more()? == 0 {
                return Ok(true);
            }
        }
    }
}
