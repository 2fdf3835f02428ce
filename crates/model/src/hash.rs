//! Hashing of values that are already hashes (token, key and document hashes).
//!
//! Shared by the provenance keys and the store's key filter, which persists positions derived
//! with [`mix`]: changing it would invalidate stored filters, so it has one definition, here.

/// A fast, stable 64-bit mixer (the finalizer of SplitMix64). Stable: stores persist its output.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A hasher for keys that are already hashes (token, key and document hashes): one multiply,
/// where std's SipHash would cost more than the lookups it serves.
#[derive(Debug, Default, Clone, Copy)]
pub struct PremixedHasher(u64);

impl std::hash::Hasher for PremixedHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(26);
    }
}

/// A map keyed by hashes.
pub type HashMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<PremixedHasher>>;
/// A set of hashes.
pub type HashSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<PremixedHasher>>;
