//! Which keys the index tables may hold: a Bloom filter over the main tables (`prov_keys`,
//! `outlet_blocks`) and the exact set of keys in the recent ones.
//!
//! Most keys of most new documents are held by no earlier document. In a large store each such
//! lookup still reads a 16 kB page of `prov_keys` (keys are random, so SQLite's page cache seldom
//! holds it): at a million documents that was a third of the time to add a batch. The filter
//! answers "certainly absent" for nearly all of them from memory.
//!
//! It is cut by key range into [`BLOCKS`] blocks, one row each in `prov_key_filter`. Rows move
//! into the main tables one key slice at a time (`provenance::move_recent_slice`), and the same
//! transaction adds the moved keys to the blocks of that slice: the stored filter always covers
//! the main tables, whatever crashes. A block that outgrows its bits is rebuilt from its key range
//! at twice the size. The keys of the recent tables (a few million at most) are read into a set
//! when the filter is loaded and kept in step with every batch.
//!
//! Another process writing to the same store changes `PRAGMA data_version`; the loaded filter is
//! then read again before it is trusted.

use crate::sqlite::db;
use crate::StoreError;
use presswatch_text::HashSet;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection};

/// Blocks over the key space `[0, 2^63)`.
const BLOCK_SHIFT: u32 = 63 - 14;
const BLOCKS: usize = 1 << 14;
/// A block is rebuilt when it would hold fewer bits per key than this (about 3% false
/// positives with four bits per key in one 64-bit word)...
const MIN_BITS_PER_KEY: u64 = 8;
/// ...at this many (about 0.3%), so rebuilds come once per doubling of its keys.
const BUILD_BITS_PER_KEY: u64 = 16;

const READ_BLOCK: &str = "SELECT block, keys, bits FROM prov_key_filter";
const RECENT_KEYS: &str = "SELECT key FROM prov_keys_recent UNION ALL SELECT key FROM outlet_blocks_recent";
const WRITE_BLOCK: &str = "INSERT OR REPLACE INTO prov_key_filter (block, keys, bits) VALUES (?1, ?2, ?3)";
const KEYS_IN_RANGE: [&str; 2] = [
    "SELECT DISTINCT key FROM prov_keys WHERE key BETWEEN ?1 AND ?2",
    "SELECT key FROM outlet_blocks WHERE key BETWEEN ?1 AND ?2",
];

/// The block holding `key` (keys are below 2^63; the top bit is ignored).
fn block_of(key: u64) -> usize {
    ((key >> BLOCK_SHIFT) as usize) & (BLOCKS - 1)
}

/// The inclusive key range of a block, as stored (i64).
fn block_range(block: usize) -> (i64, i64) {
    let lo = (block as u64) << BLOCK_SHIFT;
    (lo as i64, (lo + ((1 << BLOCK_SHIFT) - 1)) as i64)
}

/// The word and the four bits of `key` in a block of `words` words. Keys are hashes, but their
/// top bits are shared within a block, so they are mixed again.
fn probe(key: u64, words: usize) -> (usize, u64) {
    let h = presswatch_text::mix(key);
    let word = (((h & 0xFFFF_FFFF) * words as u64) >> 32) as usize;
    let bits = (1u64 << ((h >> 32) & 63))
        | (1u64 << ((h >> 38) & 63))
        | (1u64 << ((h >> 44) & 63))
        | (1u64 << ((h >> 50) & 63));
    (word, bits)
}

/// One block: a Bloom filter with all four bits of a key in one word (one cache miss a probe).
#[derive(Debug, Clone, Default)]
struct Block {
    /// Keys added (an upper bound on the distinct keys held).
    keys: u64,
    words: Vec<u64>,
}

impl Block {
    fn sized_for(keys: u64) -> Block {
        let words = (keys * BUILD_BITS_PER_KEY).div_ceil(64).max(1);
        Block { keys: 0, words: vec![0; usize::try_from(words).unwrap_or(usize::MAX)] }
    }

    fn room_for(&self, more: u64) -> bool {
        (self.keys + more) * MIN_BITS_PER_KEY <= self.words.len() as u64 * 64
    }

    fn insert(&mut self, key: u64) {
        if self.words.is_empty() {
            *self = Block::sized_for(1);
        }
        let (word, bits) = probe(key, self.words.len());
        self.words[word] |= bits;
        self.keys += 1;
    }

    fn may_contain(&self, key: u64) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let (word, bits) = probe(key, self.words.len());
        self.words[word] & bits == bits
    }

    fn to_bytes(&self) -> Vec<u8> {
        self.words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    fn from_row(keys: i64, bytes: &[u8]) -> Option<Block> {
        if bytes.is_empty() || !bytes.len().is_multiple_of(8) {
            return None;
        }
        let words =
            bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default())).collect();
        Some(Block { keys: u64::try_from(keys).ok()?, words })
    }

    /// The block as the main tables hold it now, sized with room to grow.
    fn read(conn: &Connection, block: usize) -> Result<Block, StoreError> {
        let (lo, hi) = block_range(block);
        let mut keys = Vec::new();
        keys_in_range(conn, &KEYS_IN_RANGE, (lo, hi), &mut keys)?;
        let mut out = Block::sized_for(keys.len() as u64);
        for key in keys {
            out.insert(key);
        }
        Ok(out)
    }

    fn write(&self, conn: &Connection, block: usize) -> Result<(), StoreError> {
        let keys = i64::try_from(self.keys).unwrap_or(i64::MAX);
        conn.prepare_cached(WRITE_BLOCK)
            .and_then(|mut stmt| stmt.execute(params![block as i64, keys, self.to_bytes()]))
            .map_err(|e| db("writing the key filter", e))?;
        Ok(())
    }
}

/// Appends the keys each query (`?1`, `?2`: an inclusive key range) returns for `range`.
pub(crate) fn keys_in_range(
    conn: &Connection,
    queries: &[&str],
    range: (i64, i64),
    out: &mut Vec<u64>,
) -> Result<(), StoreError> {
    for sql in queries {
        let mut stmt = conn.prepare_cached(sql).map_err(|e| db("preparing a key listing", e))?;
        let keys = stmt
            .query_map(params![range.0, range.1], |row| row.get::<_, i64>(0))
            .map_err(|e| db("listing keys", e))?;
        for key in keys {
            out.push(key.map_err(|e| db("listing keys", e))? as u64);
        }
    }
    Ok(())
}

/// The loaded filter.
#[derive(Debug, Clone)]
pub(crate) struct KeyFilter {
    blocks: Vec<Block>,
    /// Every key of `prov_keys_recent` and `outlet_blocks_recent` (and perhaps a few more).
    recent: HashSet<u64>,
    /// `PRAGMA data_version` when it was read: another connection's commit changes it.
    data_version: i64,
}

fn data_version(conn: &Connection) -> Result<i64, StoreError> {
    conn.prepare_cached("PRAGMA data_version")
        .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
        .map_err(|e| db("reading the data version", e))
}

/// What a handle reads from the database once and keeps in memory (the key filter, the entity
/// index), with the `PRAGMA data_version` it was read at.
pub(crate) trait Loaded: Sized {
    /// Reads it (`data_version` is the version it is read at).
    fn load(conn: &Connection, data_version: i64) -> Result<Self, StoreError>;
    /// The version it was read at.
    fn data_version(&self) -> i64;
}

/// The loaded value in `slot`, read first if it is not loaded or another connection has
/// written since.
pub(crate) fn fresh<'a, T: Loaded>(
    conn: &Connection,
    slot: &'a mut Option<T>,
) -> Result<&'a mut T, StoreError> {
    let current = data_version(conn)?;
    let value = match slot.take() {
        Some(value) if value.data_version() == current => value,
        _ => T::load(conn, current)?,
    };
    Ok(slot.insert(value))
}

impl Loaded for KeyFilter {
    fn load(conn: &Connection, data_version: i64) -> Result<KeyFilter, StoreError> {
        KeyFilter::read(conn, data_version)
    }

    fn data_version(&self) -> i64 {
        self.data_version
    }
}

impl KeyFilter {
    /// Reads the stored filter.
    fn read(conn: &Connection, data_version: i64) -> Result<KeyFilter, StoreError> {
        let mut blocks = vec![Block::default(); BLOCKS];
        let mut stmt = conn.prepare_cached(READ_BLOCK).map_err(|e| db("preparing the key filter read", e))?;
        let mut rows = stmt.query([]).map_err(|e| db("reading the key filter", e))?;
        while let Some(row) = rows.next().map_err(|e| db("reading the key filter", e))? {
            let block: i64 = row.get(0).map_err(|e| db("reading the key filter", e))?;
            let keys: i64 = row.get(1).map_err(|e| db("reading the key filter", e))?;
            let bytes = match row.get_ref(2).map_err(|e| db("reading the key filter", e))? {
                ValueRef::Blob(bytes) => bytes,
                _ => &[],
            };
            let slot = usize::try_from(block).ok().and_then(|b| blocks.get_mut(b));
            match (slot, Block::from_row(keys, bytes)) {
                (Some(slot), Some(read)) => *slot = read,
                _ => {
                    return Err(StoreError::Database {
                        context: "reading the key filter",
                        source: format!("block {block} is malformed ({} bytes)", bytes.len()).into(),
                    })
                }
            }
        }
        let mut recent = HashSet::default();
        let mut stmt =
            conn.prepare_cached(RECENT_KEYS).map_err(|e| db("preparing the recent key read", e))?;
        let keys =
            stmt.query_map([], |row| row.get::<_, i64>(0)).map_err(|e| db("reading recent keys", e))?;
        for key in keys {
            recent.insert(key.map_err(|e| db("reading recent keys", e))? as u64);
        }
        Ok(KeyFilter { blocks, recent, data_version })
    }

    /// False only if no recent-table row holds `key`.
    pub(crate) fn may_be_recent(&self, key: u64) -> bool {
        self.recent.contains(&key)
    }

    /// Keys just written into the recent tables.
    pub(crate) fn add_recent(&mut self, keys: &[u64]) {
        self.recent.extend(keys.iter().copied());
    }

    /// False only if no main-table row holds `key`.
    pub(crate) fn may_contain(&self, key: u64) -> bool {
        self.blocks[block_of(key)].may_contain(key)
    }

    /// Adds keys just moved into the main tables, inside the moving transaction, and stores the
    /// blocks they changed. A block that would get too full is read again from the main tables
    /// (which hold the moved rows by now) at twice its size.
    pub(crate) fn add_moved(&mut self, tx: &Connection, keys: &mut [u64]) -> Result<(), StoreError> {
        for key in keys.iter() {
            self.recent.remove(key);
        }
        keys.sort_unstable_by_key(|&k| block_of(k));
        for group in keys.chunk_by(|a, b| block_of(*a) == block_of(*b)) {
            let b = block_of(group[0]);
            let block = &mut self.blocks[b];
            if block.room_for(group.len() as u64) {
                group.iter().for_each(|&k| block.insert(k));
            } else {
                *block = Block::read(tx, b)?;
            }
            block.write(tx, b)?;
        }
        Ok(())
    }

    /// Whether the main tables hold keys but no filter was stored (an index written before
    /// filters existed).
    pub(crate) fn is_missing(conn: &Connection) -> Result<bool, StoreError> {
        let has = |sql: &str| -> Result<bool, StoreError> {
            conn.query_row(sql, [], |row| row.get(0)).map_err(|e| db("checking the key filter", e))
        };
        Ok(!has("SELECT EXISTS (SELECT 1 FROM prov_key_filter)")?
            && (has("SELECT EXISTS (SELECT 1 FROM prov_keys)")?
                || has("SELECT EXISTS (SELECT 1 FROM outlet_blocks)")?))
    }

    /// Builds the filter from the main tables if [`KeyFilter::is_missing`]. Inside a write
    /// transaction (so the check is made again under the write lock).
    pub(crate) fn build_if_missing(tx: &Connection) -> Result<(), StoreError> {
        if !KeyFilter::is_missing(tx)? {
            return Ok(());
        }
        tracing::info!("building the index key filter (once, for an index written before it)");
        for b in 0..BLOCKS {
            let block = Block::read(tx, b)?;
            if block.keys > 0 {
                block.write(tx, b)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_holds_what_was_inserted_and_rejects_most_else() {
        let keys: Vec<u64> = (0..10_000u64).map(|i| presswatch_text::mix(i) >> 1).collect();
        let mut block = Block::sized_for(keys.len() as u64);
        keys.iter().for_each(|&k| block.insert(k));
        assert!(keys.iter().all(|&k| block.may_contain(k)));
        let false_positives =
            (10_000..110_000u64).filter(|&i| block.may_contain(presswatch_text::mix(i) >> 1)).count();
        // 16 bits a key, four bits in one word: well under 1%.
        assert!(false_positives < 1_000, "{false_positives} false positives in 100,000");
        let round = Block::from_row(block.keys as i64, &block.to_bytes()).unwrap();
        assert_eq!(round.words, block.words);
    }

    #[test]
    fn blocks_cover_the_key_space_in_order() {
        assert_eq!(block_of(0), 0);
        assert_eq!(block_of((1 << 63) - 1), BLOCKS - 1);
        let (lo, hi) = block_range(BLOCKS - 1);
        assert_eq!(hi, i64::MAX);
        assert_eq!(block_of(lo as u64), BLOCKS - 1);
        assert_eq!(block_of(block_range(7).1 as u64 + 1), 8);
        assert!(!Block::default().may_contain(42));
    }
}
