//! gzip decoded one member at a time. A WARC written the standard way (`.warc.gz`) has one gzip
//! member per record; when the decoded stream starts with a WARC header, each member is decoded
//! on its own and held until it ends intact, so a corrupt member is dropped whole (reported as a
//! [`CorruptMember`] read error at the point where its output would have been, after which
//! reading goes on with the next member). Other inputs stream member after member, and the first
//! error ends them (after the output decoded so far).

use std::fmt;
use std::io::{self, BufRead, Read};

use flate2::bufread::GzDecoder;

const CHUNK: usize = 64 * 1024;
/// Output of the first member looked at, at most, before deciding the input is no WARC.
const DECIDE_WINDOW: usize = 1024 * 1024;
/// The start of a gzip member: magic and the deflate method.
const MAGIC: &[u8] = &[0x1f, 0x8b, 0x08];

/// A gzip member that could not be decoded and was skipped: its whole output is missing from
/// the stream, which goes on with the next member. Carried as the inner error of an
/// [`io::Error`]; see [`corrupt_member`].
#[derive(Debug)]
pub(crate) struct CorruptMember(pub(crate) String);

impl fmt::Display for CorruptMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CorruptMember {}

/// The description of a skipped member, when `e` reports one.
pub(crate) fn corrupt_member(e: &io::Error) -> Option<String> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<CorruptMember>()).map(|c| c.0.clone())
}

/// The compressed bytes, buffered so that a failed member can be rescanned from its start.
struct Source<'a> {
    inner: Box<dyn io::Read + 'a>,
    buf: Vec<u8>,
    pos: usize,
    /// Start of the current member in `buf` while its bytes are kept.
    mark: Option<usize>,
    eof: bool,
}

impl Source<'_> {
    /// Buffers at least `n` bytes past `pos` (fewer only at the end).
    fn fill(&mut self, n: usize) -> io::Result<()> {
        while self.buf.len() - self.pos < n && !self.eof {
            let keep = self.mark.unwrap_or(self.pos);
            if keep > 0 && keep >= self.buf.len() / 2 {
                self.buf.drain(..keep);
                self.pos -= keep;
                self.mark = self.mark.map(|m| m - keep);
            }
            let old = self.buf.len();
            self.buf.resize(old + CHUNK, 0);
            let read = loop {
                match self.inner.read(&mut self.buf[old..]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other,
                }
            };
            match read {
                Ok(got) => {
                    self.buf.truncate(old + got);
                    self.eof = got == 0;
                }
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Goes back to just after the start of the current member, to look for the next one there.
    fn rewind_past_mark(&mut self) {
        if let Some(m) = self.mark.take() {
            self.pos = (m + 1).min(self.buf.len());
        }
    }

    /// Skips to the next gzip member start; `false` when the input ends first.
    fn skip_to_magic(&mut self) -> io::Result<bool> {
        loop {
            self.fill(CHUNK)?;
            let avail = self.buf.get(self.pos..).unwrap_or(&[]);
            if let Some(i) = memchr::memmem::find(avail, MAGIC) {
                self.pos += i;
                return Ok(true);
            }
            if self.eof {
                self.pos = self.buf.len();
                return Ok(false);
            }
            // Keep a possible partial magic at the end.
            self.pos += avail.len().saturating_sub(MAGIC.len() - 1);
        }
    }
}

impl BufRead for Source<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.buf.len() {
            self.fill(1)?;
        }
        Ok(self.buf.get(self.pos..).unwrap_or(&[]))
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.buf.len());
    }
}

impl Read for Source<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

enum Stage<'a> {
    /// Between members (or before the first).
    Between(Source<'a>),
    /// Inside a member; `true` while its output is held until it ends.
    InMember(Box<GzDecoder<Source<'a>>>, bool),
    Done,
}

/// A gzip stream of one or more members (see the module docs).
pub(crate) struct Members<'a> {
    stage: Stage<'a>,
    out: Vec<u8>,
    out_pos: usize,
    /// Largest member output held back; a larger member streams (and cannot be dropped whole).
    cap: usize,
    /// Whether corrupt members are skipped: decided by the first decoded bytes (a WARC).
    resilient: Option<bool>,
    members: u64,
    /// The last member failed: a run of failures (false starts in garbage) is reported once.
    failed_last: bool,
    /// Reported when `out` is used up.
    pending: Option<io::Error>,
    /// Reported before `out`: the skipped corrupt member(s) that preceded it.
    before: Option<io::Error>,
    /// A failure before the first decoded byte, when it is not yet known whether corrupt
    /// members are skipped: kept until the next member's output tells.
    undecided: Option<(io::Error, String)>,
    /// What the first failed member decoded, given out if the input is no WARC after all.
    partial: Vec<u8>,
}

impl<'a> Members<'a> {
    pub(crate) fn new(inner: Box<dyn io::Read + 'a>, cap: usize) -> Self {
        let source = Source { inner, buf: Vec::new(), pos: 0, mark: None, eof: false };
        Members {
            stage: Stage::Between(source),
            out: Vec::new(),
            out_pos: 0,
            cap,
            resilient: None,
            members: 0,
            failed_last: false,
            pending: None,
            before: None,
            undecided: None,
            partial: Vec::new(),
        }
    }

    /// Decides whether corrupt members are skipped, from the output of a member: at once when
    /// it starts like a WARC, otherwise once it is intact to its end or [`DECIDE_WINDOW`] long
    /// (`finished`), since a damaged member's first bytes may be garbage.
    fn decide(&mut self, finished: bool) {
        if self.resilient.is_some() || self.out.is_empty() {
            return;
        }
        let warc = self.out.trim_ascii_start().starts_with(b"WARC/");
        if !(warc || finished || self.out.len() >= DECIDE_WINDOW) {
            return;
        }
        self.resilient = Some(warc);
        if let Some((e, detail)) = self.undecided.take() {
            if warc {
                self.partial = Vec::new();
                self.before = Some(damage(detail));
            } else {
                // Not a WARC: the first failure ends the input, after what it decoded, as it
                // would have.
                self.out = std::mem::take(&mut self.partial);
                self.pending = Some(e);
            }
        }
    }

    /// Decodes more of the current member into `out`; the stage after it is set.
    fn decode(&mut self, mut dec: Box<GzDecoder<Source<'a>>>, mut held: bool) {
        loop {
            let old = self.out.len();
            self.out.resize(old + CHUNK, 0);
            let read = loop {
                match dec.read(&mut self.out[old..]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other,
                }
            };
            match read {
                Ok(0) => {
                    self.out.truncate(old);
                    self.decide(true);
                    if self.pending.is_some() {
                        return;
                    }
                    let mut src = dec.into_inner();
                    src.mark = None;
                    self.failed_last = false;
                    self.stage = Stage::Between(src);
                    return;
                }
                Ok(n) => {
                    self.out.truncate(old + n);
                    self.decide(false);
                    if self.pending.is_some() {
                        return;
                    }
                    if held && (self.resilient == Some(false) || self.out.len() > self.cap) {
                        // Not a WARC, or too large to hold: stream the rest of this member.
                        dec.get_mut().mark = None;
                        held = false;
                    }
                    if !held {
                        self.stage = Stage::InMember(dec, false);
                        return;
                    }
                }
                Err(e) => {
                    self.out.truncate(old);
                    self.fail(dec.into_inner(), held, e);
                    return;
                }
            }
        }
    }

    /// A member failed: skip it (resilient) or end with the error after the output so far.
    fn fail(&mut self, mut src: Source<'a>, held: bool, e: io::Error) {
        let detail = format!("gzip member {} skipped: {e}", self.members);
        if self.resilient == Some(false) {
            self.pending = Some(e);
            return;
        }
        if held {
            if self.resilient.is_none() && self.undecided.is_none() {
                self.partial = std::mem::take(&mut self.out);
            }
            self.out.clear();
            src.rewind_past_mark();
        }
        src.mark = None;
        let found = match src.skip_to_magic() {
            Ok(found) => found,
            Err(read_error) => {
                self.pending = Some(read_error);
                return;
            }
        };
        if found {
            self.stage = Stage::Between(src);
        }
        if self.resilient.is_none() {
            // Not yet known whether this is a WARC: the next member will tell.
            let first = self.undecided.take().unwrap_or((e, detail));
            if found {
                self.undecided = Some(first);
            } else {
                self.out = std::mem::take(&mut self.partial);
                self.pending = Some(first.0);
            }
            return;
        }
        if !self.failed_last {
            self.pending = Some(damage(detail));
        }
        self.failed_last = true;
    }
}

fn damage(detail: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, CorruptMember(detail))
}

impl Read for Members<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(e) = self.before.take() {
                return Err(e);
            }
            if self.out_pos < self.out.len() {
                let avail = self.out.get(self.out_pos..).unwrap_or(&[]);
                let n = avail.len().min(buf.len());
                buf[..n].copy_from_slice(&avail[..n]);
                self.out_pos += n;
                return Ok(n);
            }
            self.out.clear();
            self.out_pos = 0;
            if let Some(e) = self.pending.take() {
                return Err(e);
            }
            match std::mem::replace(&mut self.stage, Stage::Done) {
                Stage::Done => return Ok(0),
                Stage::Between(mut src) => {
                    if src.fill_buf()?.is_empty() {
                        if let Some((e, _)) = self.undecided.take() {
                            self.out = std::mem::take(&mut self.partial);
                            self.pending = Some(e);
                            continue;
                        }
                        return Ok(0);
                    }
                    src.mark = Some(src.pos);
                    self.members += 1;
                    let held = self.resilient != Some(false);
                    self.stage = Stage::InMember(Box::new(GzDecoder::new(src)), held);
                }
                Stage::InMember(dec, held) => self.decode(dec, held),
            }
        }
    }
}
