//! Versioned schema of a PostgreSQL store ([`crate::PgStore`]).
//!
//! Its own numbered migrations, mirroring what the SQLite schema means (`schema.rs`) without
//! SQLite's storage devices: no `*_recent` tables or key filter (PostgreSQL's B-trees and buffer
//! cache do that work), no `text_derived` flag (the article JSON is stored whole). Its search change list
//! feeds each client's local search index (migration 3). `presswatch_schema`
//! holds how many entries of [`MIGRATIONS`] have been applied. Only ever appended to.
//!
//! Text columns that are sorted or compared by range are `COLLATE "C"`, so their order is
//! byte order whatever the database's locale (SQLite's, and the contract's).

/// Ordered SQL migrations; entry `i` takes a database from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: the documents and their raw bytes (content-addressed: the blob's key is the SHA-256 of
    // the bytes it holds), articles, sources and rejections; the provenance index and links;
    // the entity, quote and story indexes. u64 keys (`DocId`, fingerprint keys) are stored
    // bit-cast to BIGINT, as in SQLite.
    r#"
    CREATE TABLE documents (
        sha256     TEXT COLLATE "C" PRIMARY KEY,
        id         TEXT COLLATE "C" NOT NULL,   -- first 16 hex digits of sha256
        format     TEXT NOT NULL,
        source     TEXT COLLATE "C" NOT NULL,   -- first source the bytes were seen under
        first_seen TEXT COLLATE "C" NOT NULL,   -- RFC 3339 UTC, fixed width
        byte_len   BIGINT NOT NULL
    );
    CREATE INDEX documents_by_first_seen ON documents (first_seen, id, sha256);
    CREATE TABLE blobs (
        sha256  TEXT COLLATE "C" PRIMARY KEY,   -- of the raw bytes
        raw_len BIGINT NOT NULL,
        zstd    BYTEA NOT NULL                  -- one zstd frame holding the raw bytes
    );
    CREATE TABLE sources (
        sha256     TEXT COLLATE "C" NOT NULL REFERENCES documents (sha256),
        source     TEXT COLLATE "C" NOT NULL,
        first_seen TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (sha256, source)
    );
    CREATE TABLE articles (
        sha256            TEXT COLLATE "C" PRIMARY KEY REFERENCES documents (sha256),
        id                TEXT COLLATE "C" NOT NULL,
        title             TEXT,
        published         TEXT,
        outlet            TEXT COLLATE "C",
        language          TEXT COLLATE "C",
        extractor_version TEXT NOT NULL,
        record            BYTEA NOT NULL        -- the ArticleRecord as JSON, zstd-compressed
    );
    CREATE INDEX articles_by_outlet ON articles (outlet);
    CREATE INDEX articles_by_language ON articles (language);
    CREATE TABLE rejections (
        source TEXT COLLATE "C" PRIMARY KEY,
        reason TEXT NOT NULL,
        at     TEXT NOT NULL
    );

    CREATE TABLE prov_docs (
        doc       BIGINT PRIMARY KEY,           -- DocId
        seen      BIGINT NOT NULL UNIQUE,       -- insertion order into the index
        published TEXT,
        text      BYTEA NOT NULL,               -- zstd frame of the indexed text
        masked    TEXT                          -- JSON [[start, end], ...], NULL when none
    );
    CREATE TABLE prov_keys (
        key  BIGINT NOT NULL,
        seen BIGINT NOT NULL,
        doc  BIGINT NOT NULL,
        PRIMARY KEY (key, seen)
    );
    CREATE TABLE prov_links (
        doc         BIGINT NOT NULL,
        other       BIGINT NOT NULL,
        kind        TEXT NOT NULL,
        doc_share   DOUBLE PRECISION NOT NULL,
        other_share DOUBLE PRECISION NOT NULL,
        evidence    TEXT NOT NULL,              -- JSON array of AlignedPassage
        PRIMARY KEY (doc, other)
    );
    CREATE INDEX prov_links_by_other ON prov_links (other);
    CREATE TABLE outlet_blocks (
        key  BIGINT PRIMARY KEY,
        docs BIGINT NOT NULL
    );

    CREATE TABLE entities (
        id   TEXT COLLATE "C" PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        docs BIGINT NOT NULL
    );
    CREATE TABLE entity_keys (
        key TEXT COLLATE "C" NOT NULL,
        id  TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (key, id)
    );
    CREATE TABLE entity_aliases (
        alias TEXT COLLATE "C" PRIMARY KEY,
        id    TEXT NOT NULL
    );
    CREATE TABLE entity_docs (
        doc      BIGINT NOT NULL,
        id       TEXT COLLATE "C" NOT NULL,
        name     TEXT NOT NULL,
        mentions BIGINT NOT NULL,
        PRIMARY KEY (doc, id)
    );
    CREATE INDEX entity_docs_by_id ON entity_docs (id);

    CREATE TABLE quote_index (
        doc     BIGINT NOT NULL,
        n       BIGINT NOT NULL,
        text    TEXT NOT NULL,
        speaker TEXT,
        PRIMARY KEY (doc, n)
    );
    CREATE TABLE quote_keys (
        key  BIGINT NOT NULL,
        seen BIGINT NOT NULL,
        doc  BIGINT NOT NULL,
        n    BIGINT NOT NULL,
        PRIMARY KEY (key, seen, doc, n)
    );
    CREATE TABLE quote_links (
        doc        BIGINT NOT NULL,
        n          BIGINT NOT NULL,
        other      BIGINT NOT NULL,
        other_n    BIGINT NOT NULL,
        via        TEXT NOT NULL,
        similarity DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (doc, n, other, other_n)
    );
    CREATE INDEX quote_links_by_other ON quote_links (other);

    CREATE TABLE stories (
        id        BIGINT PRIMARY KEY,
        label     TEXT NOT NULL,
        size      BIGINT NOT NULL,
        first_day INTEGER,
        last_day  INTEGER,
        last_seq  BIGINT NOT NULL,
        state     TEXT NOT NULL                 -- StoryState as JSON
    );
    CREATE TABLE story_docs (
        doc   BIGINT PRIMARY KEY,
        story BIGINT NOT NULL,
        seq   BIGINT NOT NULL,
        score DOUBLE PRECISION NOT NULL
    );
    CREATE INDEX story_docs_by_story ON story_docs (story, seq);
    CREATE TABLE story_merges (
        from_story BIGINT PRIMARY KEY,
        into_story BIGINT NOT NULL,
        doc        BIGINT NOT NULL,
        seq        BIGINT NOT NULL
    );
    CREATE TABLE story_postings (
        key   BIGINT NOT NULL,
        seq   BIGINT NOT NULL,
        story BIGINT NOT NULL,
        PRIMARY KEY (key, seq)
    );
    CREATE TABLE story_terms (
        term BIGINT PRIMARY KEY,
        docs BIGINT NOT NULL
    );
    "#,
    // 2: the order documents were stored in (`StoredDocument::seq`), kept with them so a
    // reprocess replays it without the (derived) provenance index. Existing rows are numbered
    // as the table holds them, which is their insertion order unless rows were updated.
    r#"
    ALTER TABLE documents ADD COLUMN seq BIGSERIAL;
    "#,
    // 3: the change list that keeps each client's search index (a local cache, see
    // `PgStore::search`) in step, as SQLite's `search_changes` keeps the store's: a row per
    // document whose article, links or story changed, with the number of its latest change;
    // the store's generation is MAX(seq). The numbers come from a sequence: writers take the
    // write lock for their whole transaction, so numbers follow commit order. Triggers fill it,
    // so every write path does. `store_identity` names the database for the cache (a restored
    // copy is the same store; a new database is another). Existing articles are listed as
    // changed, so the first search indexes them.
    r#"
    CREATE SEQUENCE search_seq;
    CREATE TABLE search_changes (
        id  TEXT COLLATE "C" PRIMARY KEY,   -- the document's 16-hex id
        seq BIGINT NOT NULL
    );
    CREATE INDEX search_changes_by_seq ON search_changes (seq);
    CREATE FUNCTION presswatch_search_change(doc TEXT) RETURNS void LANGUAGE sql AS $$
        INSERT INTO search_changes (id, seq) VALUES (doc, nextval('search_seq'))
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq
    $$;
    CREATE FUNCTION presswatch_search_hex(doc BIGINT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
        SELECT lpad(to_hex(doc), 16, '0')
    $$;
    CREATE FUNCTION presswatch_search_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM presswatch_search_change(NEW.id);
        RETURN NULL;
    END $$;
    -- A link names two documents, a story placement one: the row as JSON serves both tables.
    CREATE FUNCTION presswatch_search_docs() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        r JSONB := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
    BEGIN
        PERFORM presswatch_search_change(presswatch_search_hex((r->>'doc')::BIGINT));
        IF r ? 'other' THEN
            PERFORM presswatch_search_change(presswatch_search_hex((r->>'other')::BIGINT));
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER search_article AFTER INSERT OR UPDATE ON articles
        FOR EACH ROW EXECUTE FUNCTION presswatch_search_article();
    CREATE TRIGGER search_link AFTER INSERT OR DELETE ON prov_links
        FOR EACH ROW EXECUTE FUNCTION presswatch_search_docs();
    CREATE TRIGGER search_story AFTER INSERT OR DELETE OR UPDATE OF story ON story_docs
        FOR EACH ROW EXECUTE FUNCTION presswatch_search_docs();
    INSERT INTO search_changes (id, seq) SELECT id, nextval('search_seq') FROM articles ORDER BY sha256;
    CREATE TABLE store_identity (id TEXT NOT NULL);
    INSERT INTO store_identity (id) VALUES (gen_random_uuid()::text);
    "#,
];

/// The schema version this build writes.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
