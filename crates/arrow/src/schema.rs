//! The Arrow schemas: records in, articles out (the export's fields as Arrow types,
//! docs/schema.md), and the rows of the corpus step.

use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use std::sync::Arc;

fn utf8(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

fn list_of(name: &str, item: DataType, nullable: bool) -> Field {
    Field::new(name, DataType::List(Arc::new(Field::new("item", item, true))), nullable)
}

fn structure(fields: Vec<Field>) -> DataType {
    DataType::Struct(Fields::from(fields))
}

/// A character span `[start, end]`: a list of two integers, as the JSON export writes it.
fn span() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Int64, true)))
}

/// The fields of an article the per-document pipeline derives (`ArticleRecord`), in export order.
fn record_fields() -> Vec<Field> {
    vec![
        utf8("id", false),
        utf8("source", false),
        utf8("sha256", false),
        utf8("format", false),
        utf8("title", true),
        utf8("published", true),
        list_of("authors", DataType::Utf8, false),
        utf8("outlet", true),
        utf8("url", true),
        utf8("section", true),
        list_of("tags", DataType::Utf8, false),
        utf8("language", true),
        utf8("text", false),
        list_of(
            "blocks",
            structure(vec![utf8("kind", false), utf8("text", false), utf8("language", true)]),
            false,
        ),
        list_of(
            "images",
            structure(vec![utf8("url", true), utf8("caption", true), utf8("credit", true)]),
            false,
        ),
        list_of("removed", structure(vec![utf8("text", false), utf8("reason", false)]), false),
        list_of(
            "kept_against",
            structure(vec![Field::new("block", DataType::Int64, false), utf8("reason", false)]),
            true,
        ),
        Field::new(
            "extraction",
            structure(vec![
                utf8("candidate", false),
                utf8("reason", false),
                Field::new("chars", DataType::Int64, false),
                Field::new("page_chars", DataType::Int64, false),
            ]),
            true,
        ),
        list_of(
            "quotes",
            structure(vec![
                utf8("id", true),
                utf8("text", false),
                list_of("content", span(), false),
                Field::new("cue", span(), true),
                utf8("cue_lemma", true),
                Field::new(
                    "speaker",
                    structure(vec![
                        utf8("name", true),
                        Field::new("mention", span(), true),
                        utf8("entity", true),
                    ]),
                    false,
                ),
                utf8("kind", false),
                utf8("language", true),
                utf8("group", true),
                utf8("altered_from", true),
            ]),
            false,
        ),
        list_of(
            "entities",
            structure(vec![
                utf8("id", false),
                utf8("name", false),
                utf8("type", false),
                list_of("mentions", span(), false),
            ]),
            false,
        ),
        utf8("extractor_version", false),
    ]
}

/// The fields the corpus gives an article (`ArticleView` beyond its record), in export order.
fn corpus_fields() -> Vec<Field> {
    let passage = structure(vec![
        Field::new("source", span(), false),
        Field::new("copy", span(), false),
        Field::new("similarity", DataType::Float32, false),
    ]);
    vec![
        utf8("dup_cluster", true),
        list_of(
            "derived_from",
            structure(vec![
                utf8("id", false),
                utf8("kind", false),
                Field::new("reused_share", DataType::Float32, false),
                list_of("evidence", passage, false),
            ]),
            false,
        ),
        list_of("outlet_boilerplate", span(), false),
        Field::new("story", structure(vec![utf8("id", false), utf8("label", false)]), true),
    ]
}

/// The export's schema (docs/schema.md) as Arrow types: the article rows the pipeline and the
/// Spark job write. Spans are lists of two integers, dates ISO 8601 strings, as in JSON Lines.
pub fn article_schema() -> SchemaRef {
    let mut fields = record_fields();
    fields.extend(corpus_fields());
    Arc::new(Schema::new(fields))
}

/// The column the Spark job writes beside the export's fields in `out/articles`: each article's
/// raw record bytes (binary), so an import stores them as `presswatch ingest` does (the promise
/// that every field can be recomputed holds for a cluster run too).
pub const RAW: &str = "raw";

/// The job's `out/articles` rows: the export's fields ([`article_schema`]), then [`RAW`].
pub fn article_output_schema() -> SchemaRef {
    let mut fields: Vec<Field> = article_schema().fields().iter().map(|f| f.as_ref().clone()).collect();
    fields.push(Field::new(RAW, DataType::Binary, false));
    Arc::new(Schema::new(fields))
}

/// The job's `out/rejected` rows: the record's source and why it was rejected.
pub fn rejected_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![utf8("source", false), utf8("reason", false)]))
}

/// The rows the corpus step returns per document: `id` and the corpus's fields of the export.
pub fn corpus_schema() -> SchemaRef {
    let mut fields = vec![utf8("id", false)];
    fields.extend(corpus_fields());
    Arc::new(Schema::new(fields))
}

/// Records as read from inputs: `source` (the input path, plus `#N` for the N-th record of a
/// multi-record input), `format` (as `presswatch_python::split_files` detected it; null: detect from the
/// content) and `content` (the record's raw bytes). Other columns are ignored.
pub fn record_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        utf8("source", false),
        utf8("format", true),
        Field::new("content", DataType::Binary, false),
    ]))
}

/// What `presswatch_python::split_files` returns: one row per record of each file, or per rejection
/// (`content` null, `rejected` the reason), in input order (`record` from 1 within a file).
pub fn split_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        utf8("file", false),
        Field::new("record", DataType::Int64, false),
        utf8("source", false),
        utf8("id", true),
        utf8("format", true),
        Field::new("content", DataType::Binary, true),
        utf8("rejected", true),
    ]))
}

/// What `presswatch_python::key_rows` returns: every provenance key and outlet-block key of a document.
/// `key` is the u64 key's bits as a signed integer (Spark has no unsigned type). `kind`: the
/// key's kind (`presswatch_python::KEY_COPY`, `KEY_OTHER` or `KEY_BLOCK`).
pub fn key_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        utf8("id", false),
        Field::new("key", DataType::Int64, false),
        Field::new("kind", DataType::Int8, false),
    ]))
}
