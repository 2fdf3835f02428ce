//! The one fast hasher for in-memory tables, and the one 64-bit mixer.
//!
//! Keys of the pipeline's tables are a page's own class tokens and words, or values that are
//! hashes already: SipHash's flooding resistance buys nothing there and costs a visible share of
//! the time. [`FastHasher`] is a multiply-rotate hasher in the style of rustc's FxHash.
//! [`mix`] (the SplitMix64 step) is for spreading numbers into well-mixed 64-bit values that
//! may be stored or compared, so it must never change; the hasher may.

use std::hash::{BuildHasherDefault, Hasher};

/// Odd multiplier of [`FastHasher`] (FxHash's 64-bit constant).
const K: u64 = 0x517c_c1b7_2722_0a95;

/// A fast, non-cryptographic [`Hasher`] for keys that are not chosen by an attacker who can
/// benefit from collisions. Not stable across versions: never store its output.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            for (d, s) in w.iter_mut().zip(rest) {
                *d = *s;
            }
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The product's well-mixed high bits are rotated down: hash tables index by the low bits.
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// Builds [`FastHasher`]s.
pub type FastBuildHasher = BuildHasherDefault<FastHasher>;
/// A `HashMap` with [`FastHasher`].
pub type HashMap<K, V> = std::collections::HashMap<K, V, FastBuildHasher>;
/// A `HashSet` with [`FastHasher`].
pub type HashSet<K> = std::collections::HashSet<K, FastBuildHasher>;

/// The golden-ratio increment of SplitMix64.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// A fast, stable 64-bit mixer: one SplitMix64 step (add the golden ratio, then the finalizer).
/// Its values are stored (index keys), so it never changes.
#[inline]
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(GOLDEN);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The SplitMix64 generator: deterministic pseudo-random numbers for tests, benches and
/// synthetic data (not for anything secret).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }
}

/// An endless stream of numbers.
impl Iterator for SplitMix64 {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let out = mix(self.0);
        self.0 = self.0.wrapping_add(GOLDEN);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_is_stable() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next(), Some(0xE220_A839_7B1D_CDAF));
        assert_eq!(r.next(), Some(0x6E78_9E6A_A1B9_65F4));
        assert_eq!(mix(0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn maps_work() {
        let mut m: HashMap<u64, u32> = HashMap::default();
        for i in 0..1000u64 {
            m.insert(i << 40, 1);
        }
        assert_eq!(m.len(), 1000);
        let s: HashSet<&str> = ["a", "b", "a"].into_iter().collect();
        assert_eq!(s.len(), 2);
    }
}
