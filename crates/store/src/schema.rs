//! Versioned schema of `presswatch.sqlite`.
//!
//! `PRAGMA user_version` holds how many entries of [`MIGRATIONS`] have been applied. Migrations
//! only ever get appended: editing a released one would leave existing stores on a schema no
//! build describes.

use crate::StoreError;
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// Ordered SQL migrations; entry `i` takes a store from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: the tables.
    r#"
    CREATE TABLE documents (
        rowid      INTEGER PRIMARY KEY,
        id         TEXT NOT NULL,           -- first 16 hex digits of sha256
        sha256     TEXT NOT NULL UNIQUE,
        format     TEXT NOT NULL,
        source     TEXT NOT NULL,           -- first source the bytes were seen under
        first_seen TEXT NOT NULL,           -- RFC 3339 UTC, fixed width
        byte_len   INTEGER NOT NULL
    );
    CREATE INDEX documents_by_first_seen ON documents (first_seen, id, sha256);

    CREATE TABLE sources (
        sha256     TEXT NOT NULL REFERENCES documents (sha256),
        source     TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        PRIMARY KEY (sha256, source)
    ) WITHOUT ROWID;
    CREATE INDEX sources_by_source ON sources (source);

    CREATE TABLE articles (
        sha256            TEXT PRIMARY KEY REFERENCES documents (sha256),
        id                TEXT NOT NULL,
        title             TEXT,
        published         TEXT,
        outlet            TEXT,
        language          TEXT,
        extractor_version TEXT NOT NULL,
        record            TEXT NOT NULL,    -- the ArticleRecord as JSON
        -- 1: `text` was left out of `record` (stored as "") because it is exactly what the
        -- blocks give (non-caption blocks joined by blank lines); rebuilt on read.
        text_derived      INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE rejections (
        source TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        at     TEXT NOT NULL
    );
    "#,
    // 2: indexes for stats and listing queries.
    r#"
    CREATE INDEX articles_by_outlet ON articles (outlet);
    CREATE INDEX articles_by_language ON articles (language);
    CREATE INDEX articles_by_extractor_version ON articles (extractor_version);
    CREATE INDEX articles_by_published ON articles (published);
    "#,
    // 3: raw bytes move into the database (they were files `blobs/ab/<sha256>.zst`; the files
    // of an older store are moved in by `blob::import_legacy_blobs`). From this version on,
    // `articles.record` may also be a BLOB: the same JSON, zstd-compressed.
    r#"
    CREATE TABLE blobs (
        sha256  TEXT PRIMARY KEY NOT NULL,  -- of the raw bytes
        raw_len INTEGER NOT NULL,           -- length of the raw bytes
        zstd    BLOB NOT NULL               -- one zstd frame holding the raw bytes
    );
    "#,
    // 4: the provenance stage's persistent index (`presswatch_provenance::Index`) and the links it
    // found. Document keys (`DocId`, the 16-hex id read as a u64) and index keys are u64s stored
    // bit-cast to INTEGER. All four tables are derived: `presswatch reprocess` clears and rebuilds
    // them in first-seen order.
    r#"
    -- One row per indexed document.
    CREATE TABLE prov_docs (
        doc       INTEGER PRIMARY KEY,      -- DocId
        seen      INTEGER NOT NULL,         -- insertion order into the index, increasing
        published TEXT,                     -- the article's published date, if any
        text      BLOB NOT NULL             -- zstd frame of the text that was indexed
    );
    -- Covers `doc_times` and MAX(seen) without reading the texts.
    CREATE INDEX prov_docs_by_seen ON prov_docs (seen, published);

    -- Postings: the documents holding each fingerprint key, earliest first.
    CREATE TABLE prov_keys (
        key  INTEGER NOT NULL,              -- fingerprint key (< 2^63)
        seen INTEGER NOT NULL,              -- prov_docs.seen of the document
        doc  INTEGER NOT NULL,              -- DocId
        PRIMARY KEY (key, seen)
    ) WITHOUT ROWID;
    -- The newest postings, same shape. Keys are random, so each posting written straight into a
    -- large prov_keys would dirty its own page; batches write here instead (a small table, few
    -- pages), and every batch moves the rows of one slice of the key space into prov_keys, in key
    -- order (`move_recent_slice` in provenance.rs; the slices go round the key space, so a row
    -- waits here at most one round). For any key, rows here are newer than its rows in prov_keys.
    CREATE TABLE prov_keys_recent (
        key  INTEGER NOT NULL,
        seen INTEGER NOT NULL,
        doc  INTEGER NOT NULL,
        PRIMARY KEY (key, seen)
    ) WITHOUT ROWID;

    -- Links found by the stage: `doc` was new, `other` is what it matched.
    CREATE TABLE prov_links (
        doc         INTEGER NOT NULL,       -- DocId of the document that was new
        other       INTEGER NOT NULL,       -- DocId of the document it matched
        kind        TEXT NOT NULL,          -- ReuseKind: exact, near, partial, reordered, spun
        doc_share   REAL NOT NULL,          -- share of doc's text aligned
        other_share REAL NOT NULL,          -- share of other's text aligned
        evidence    TEXT NOT NULL,          -- JSON array of AlignedPassage
        PRIMARY KEY (doc, other)
    ) WITHOUT ROWID;
    CREATE INDEX prov_links_by_other ON prov_links (other);

    -- How many indexed documents hold each (outlet, block) key: outlet boilerplate detection.
    CREATE TABLE outlet_blocks (
        key  INTEGER PRIMARY KEY,           -- presswatch_provenance::outlet_block_key
        docs INTEGER NOT NULL
    );
    -- Counts added since the key's slice last moved, same shape, for the same reason as
    -- prov_keys_recent (its slices move with it). A key's count is the sum of its rows in both
    -- tables.
    CREATE TABLE outlet_blocks_recent (
        key  INTEGER PRIMARY KEY,
        docs INTEGER NOT NULL
    );
    "#,
    // 5: a Bloom filter over the keys of prov_keys and outlet_blocks (`key_filter`), so lookups
    // of keys no document holds read no page. Derived, like the tables it covers; an index
    // written before this version gets its filter built when the store is next opened.
    r#"
    CREATE TABLE prov_key_filter (
        block INTEGER PRIMARY KEY,          -- key >> 49: the block's slice of the key space
        keys  INTEGER NOT NULL,             -- keys added to it (an upper bound)
        bits  BLOB NOT NULL                 -- its words, little-endian u64s
    );
    -- Where in the key space the next slice of recent rows moves from (one row; kept here so a
    -- run of short ingests goes round the whole key space, not its first slices again and again).
    CREATE TABLE prov_move_cursor (
        id     INTEGER PRIMARY KEY CHECK (id = 0),
        cursor INTEGER NOT NULL
    );
    "#,
    // 6: the provenance stage no longer rewrites articles; the spans of an article's text it
    // leaves out of matching (outlet boilerplate) are kept beside the indexed text.
    r#"
    ALTER TABLE prov_docs ADD COLUMN masked TEXT;  -- JSON [[start, end], ...], NULL when none
    "#,
    // 7: the entity index (issue 13): canonical entities, their lookup keys (name key, surname,
    // one-deletion variants), aliases (document-derived id -> canonical id) and the documents
    // naming each. Derived: `presswatch reprocess` rebuilds it with the provenance index.
    r#"
    CREATE TABLE entities (
        id   TEXT PRIMARY KEY,              -- the document-derived id of its first appearance
        type TEXT NOT NULL,                 -- person | organisation | place
        name TEXT NOT NULL,                 -- canonical name
        docs INTEGER NOT NULL               -- documents naming it (own id or alias)
    );
    CREATE TABLE entity_keys (
        key TEXT NOT NULL,                  -- `type:k:name key`, `type:s:surname`, `type:d:variant`
        id  TEXT NOT NULL,
        PRIMARY KEY (key, id)
    ) WITHOUT ROWID;
    CREATE TABLE entity_aliases (
        alias TEXT PRIMARY KEY,             -- a document-derived id
        id    TEXT NOT NULL                 -- the id it stands for
    ) WITHOUT ROWID;
    CREATE TABLE entity_docs (
        doc      INTEGER NOT NULL,          -- the document (as prov_docs.doc)
        id       TEXT NOT NULL,             -- canonical id when linked
        name     TEXT NOT NULL,             -- the name the document used
        mentions INTEGER NOT NULL,
        PRIMARY KEY (doc, id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_docs_by_id ON entity_docs (id);
    "#,
    // 8: the quote-groups stage's index and links (quote identity across documents). Derived,
    // cleared and rebuilt with the provenance index. A quote is `(doc, n)`: its article and its
    // index in the article's quotes.
    r#"
    -- One row per indexed quote: its words and speaker, to compare appearances.
    CREATE TABLE quote_index (
        doc     INTEGER NOT NULL,           -- DocId
        n       INTEGER NOT NULL,           -- index in the article's quotes
        text    TEXT NOT NULL,              -- content pieces joined with ' … '
        speaker TEXT,                       -- the speaker's name, if the article names one
        PRIMARY KEY (doc, n)
    ) WITHOUT ROWID;
    -- Text-matching keys: the quotes holding each, earliest indexed first.
    CREATE TABLE quote_keys (
        key  INTEGER NOT NULL,
        seen INTEGER NOT NULL,              -- prov_docs.seen of the quote's document
        doc  INTEGER NOT NULL,
        n    INTEGER NOT NULL,
        PRIMARY KEY (key, seen, doc, n)
    ) WITHOUT ROWID;
    -- Matches: quote (doc, n) was new, (other, other_n) what it matched.
    CREATE TABLE quote_links (
        doc        INTEGER NOT NULL,
        n          INTEGER NOT NULL,
        other      INTEGER NOT NULL,
        other_n    INTEGER NOT NULL,
        via        TEXT NOT NULL,           -- copy (articles linked by provenance) or text
        similarity REAL NOT NULL,
        PRIMARY KEY (doc, n, other, other_n)
    ) WITHOUT ROWID;
    CREATE INDEX quote_links_by_other ON quote_links (other);
    "#,
    // 9: the change list that keeps the search index (`<dir>/search`) in step. Each row names
    // a document whose article or links changed and the generation of its latest change; the
    // store's generation is MAX(seq), the index records the generation it holds. Triggers fill
    // it, so every write path does (as upserts: an outer statement's conflict policy, such as the
    // article upsert's, would otherwise override a trigger's OR REPLACE). Existing articles are listed as changed, so the first open
    // indexes them.
    r#"
    CREATE TABLE search_changes (
        id  TEXT PRIMARY KEY,               -- the document's 16-hex id
        seq INTEGER NOT NULL                -- generation of its latest change
    ) WITHOUT ROWID;
    CREATE INDEX search_changes_by_seq ON search_changes (seq);
    INSERT INTO search_changes (id, seq) SELECT id, ROW_NUMBER() OVER (ORDER BY sha256) FROM articles;
    CREATE TRIGGER search_article_insert AFTER INSERT ON articles BEGIN
        INSERT INTO search_changes (id, seq)
        VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
    END;
    CREATE TRIGGER search_article_update AFTER UPDATE ON articles BEGIN
        INSERT INTO search_changes (id, seq)
        VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
    END;
    CREATE TRIGGER search_link_insert AFTER INSERT ON prov_links BEGIN
        INSERT INTO search_changes (id, seq)
        VALUES (printf('%016x', NEW.doc), (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
        INSERT INTO search_changes (id, seq)
        VALUES (printf('%016x', NEW.other), (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
    END;
    CREATE TRIGGER search_link_delete AFTER DELETE ON prov_links BEGIN
        INSERT INTO search_changes (id, seq)
        VALUES (printf('%016x', OLD.doc), (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
        INSERT INTO search_changes (id, seq)
        VALUES (printf('%016x', OLD.other), (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
    END;
    "#,
    // 10: the story index (issue 14): stories with their state (centroid as JSON), the story of
    // each placed document (`seq`: placing order), merges, postings from term and entity keys to
    // stories, and the rolling document frequencies. Derived: `presswatch reprocess` rebuilds
    // it with the provenance index.
    r#"
    CREATE TABLE stories (
        id        INTEGER PRIMARY KEY,      -- the document that opened it (as prov_docs.doc)
        label     TEXT NOT NULL,
        size      INTEGER NOT NULL,
        first_day INTEGER,                  -- days since 1970-01-01 of its dated members
        last_day  INTEGER,
        last_seq  INTEGER NOT NULL,
        state     TEXT NOT NULL             -- StoryState as JSON (centroids)
    );
    CREATE INDEX stories_by_size ON stories (size);
    CREATE TABLE story_docs (
        doc   INTEGER PRIMARY KEY,
        story INTEGER NOT NULL,
        seq   INTEGER NOT NULL,
        score REAL NOT NULL
    );
    CREATE INDEX story_docs_by_story ON story_docs (story, seq);
    CREATE TABLE story_merges (
        from_story INTEGER PRIMARY KEY,
        into_story INTEGER NOT NULL,
        doc        INTEGER NOT NULL,        -- the bridging document
        seq        INTEGER NOT NULL
    );
    CREATE TABLE story_postings (
        key   INTEGER NOT NULL,
        seq   INTEGER NOT NULL,
        story INTEGER NOT NULL,
        PRIMARY KEY (key, seq)
    ) WITHOUT ROWID;
    CREATE TABLE story_terms (
        term INTEGER PRIMARY KEY,
        docs INTEGER NOT NULL
    );
    "#,
    // 11: the search index's `story` field and facet follow the story tables: a document placed
    // in a story, moved by a merge, or unplaced (reprocess) is a change; every placed document is
    // listed once, so the first open after the upgrade indexes its story.
    r#"
    CREATE TRIGGER search_story_insert AFTER INSERT ON story_docs BEGIN
        INSERT INTO search_changes (id, seq)
        VALUES (printf('%016x', NEW.doc), (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
    END;
    CREATE TRIGGER search_story_update AFTER UPDATE OF story ON story_docs BEGIN
        INSERT INTO search_changes (id, seq)
        VALUES (printf('%016x', NEW.doc), (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
    END;
    CREATE TRIGGER search_story_delete AFTER DELETE ON story_docs BEGIN
        INSERT INTO search_changes (id, seq)
        VALUES (printf('%016x', OLD.doc), (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
    END;
    INSERT INTO search_changes (id, seq)
    SELECT printf('%016x', doc), (SELECT COALESCE(MAX(seq), 0) + 1 FROM search_changes) FROM story_docs WHERE true
    ON CONFLICT (id) DO UPDATE SET seq = excluded.seq;
    "#,
];

/// The first version with the index key filter.
pub(crate) const KEY_FILTER: i64 = 5;

/// The first version that keeps raw bytes in the `blobs` table.
pub(crate) const BLOBS_IN_DATABASE: i64 = 3;

/// The schema version this build writes.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub(crate) fn user_version(conn: &Connection) -> Result<i64, StoreError> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| crate::sqlite::db("reading the schema version", e))
}

/// Brings the database to version `target` (at most [`latest_version`]), each step in its own
/// transaction, so a crash mid-migration leaves the store at the last complete version.
pub(crate) fn migrate_to(conn: &mut Connection, path: &Path, target: i64) -> Result<(), StoreError> {
    let supported = latest_version();
    let found = user_version(conn)?;
    if found > supported {
        return Err(StoreError::NewerSchema { path: path.to_path_buf(), found, supported });
    }
    let target = target.min(supported);
    // Up to date (the usual case): no write lock, so opening never waits on a running ingest.
    if found >= target {
        return Ok(());
    }
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| crate::sqlite::db("starting a migration", e))?;
        // Read again under the write lock: another process may have migrated meanwhile.
        let version = user_version(&tx)?;
        if version > supported {
            return Err(StoreError::NewerSchema { path: path.to_path_buf(), found: version, supported });
        }
        if version >= target {
            return Ok(());
        }
        let Some(sql) = usize::try_from(version).ok().and_then(|v| MIGRATIONS.get(v)) else {
            return Ok(());
        };
        tx.execute_batch(sql).map_err(|e| crate::sqlite::db("applying a schema migration", e))?;
        tx.pragma_update(None, "user_version", version + 1)
            .map_err(|e| crate::sqlite::db("setting the schema version", e))?;
        tx.commit().map_err(|e| crate::sqlite::db("committing a schema migration", e))?;
        tracing::info!(path = %path.display(), from = version, to = version + 1, "migrated store schema");
    }
}
