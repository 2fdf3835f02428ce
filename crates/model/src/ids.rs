//! Document identity: the content hash of a record's raw bytes and the short id derived from it.
//!
//! Identity is content: the same bytes are the same document wherever they were found, so
//! re-ingesting an input changes nothing. Both types parse and print as lowercase hex, which is
//! also how they serialize, so the export format is unchanged by their being types.

use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

/// The SHA-256 of a record's raw bytes: the content address under which the store keeps them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash([u8; 32]);

impl ContentHash {
    /// Hashes raw bytes.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(Sha256::digest(bytes).into())
    }

    /// The 32 bytes of the digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lowercase hex digits (the form stored and exported).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The document id: the first 8 bytes (16 hex digits).
    pub fn doc_id(&self) -> DocId {
        let mut head = [0u8; 8];
        head.copy_from_slice(&self.0[..8]);
        DocId(u64::from_be_bytes(head))
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({self})")
    }
}

/// Why a string is not an id or a hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} must be {digits} hex digits, got {got:?}")]
pub struct ParseIdError {
    what: &'static str,
    digits: usize,
    got: String,
}

impl ParseIdError {
    /// The error for a quote id (`<doc>:<n>`) that is not one.
    pub(crate) fn quote_id(got: &str) -> ParseIdError {
        ParseIdError {
            what: "a quote id's document (before ':<n>')",
            digits: 16,
            got: got.chars().take(80).collect(),
        }
    }
}

/// Parses exactly `N` bytes of hex (either case).
fn parse_hex<const N: usize>(s: &str, what: &'static str) -> Result<[u8; N], ParseIdError> {
    let err = || ParseIdError { what, digits: N * 2, got: s.chars().take(80).collect() };
    let mut out = [0u8; N];
    if s.len() != N * 2 {
        return Err(err());
    }
    hex::decode_to_slice(s, &mut out).map_err(|_| err())?;
    Ok(out)
}

impl FromStr for ContentHash {
    type Err = ParseIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_hex::<32>(s, "a content hash").map(ContentHash)
    }
}

serde_as_string!(ContentHash);

/// The stable public id of a document: the first 16 hex digits of its [`ContentHash`], held as
/// a number (it is also the key of the provenance index).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DocId(u64);

impl DocId {
    /// The smallest id (for range bounds).
    pub const MIN: DocId = DocId(0);
    /// The largest id (for range bounds).
    pub const MAX: DocId = DocId(u64::MAX);

    /// The id whose 16 hex digits are those of `key`.
    pub const fn from_u64(key: u64) -> DocId {
        DocId(key)
    }

    /// The id as a number (the first 8 bytes of the content hash, big-endian).
    pub const fn as_u64(self) -> u64 {
        self.0
    }
}

impl From<u64> for DocId {
    fn from(key: u64) -> DocId {
        DocId(key)
    }
}

impl From<DocId> for u64 {
    fn from(id: DocId) -> u64 {
        id.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocId({self})")
    }
}

impl FromStr for DocId {
    type Err = ParseIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_hex::<8>(s, "a document id").map(|b| DocId(u64::from_be_bytes(b)))
    }
}

serde_as_string!(DocId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_the_hash_prefix() {
        let hash = ContentHash::of(b"abc");
        assert_eq!(hash.to_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hash.doc_id().to_string(), "ba7816bf8f01cfea");
        assert_eq!(hash.to_hex().parse::<ContentHash>(), Ok(hash));
        assert_eq!("BA7816BF8F01CFEA".parse::<DocId>(), Ok(hash.doc_id()));
    }

    #[test]
    fn ids_serialize_as_hex_strings() {
        let hash = ContentHash::of(b"abc");
        let json = serde_json::to_string(&(hash, hash.doc_id())).unwrap();
        assert_eq!(json, format!("[\"{}\",\"ba7816bf8f01cfea\"]", hash.to_hex()));
        let back: (ContentHash, DocId) = serde_json::from_str(&json).unwrap();
        assert_eq!(back, (hash, hash.doc_id()));
        assert!(serde_json::from_str::<DocId>("\"abc\"").is_err());
        assert!("0123456789abcdeg".parse::<DocId>().is_err());
    }
}
