//! The Arrow side of the Spark job: records in, article rows out equal to the pipeline's;
//! files split as ingest splits them; the corpus step's links equal the provenance stage's.

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, Int8Type};
use arrow_array::{BinaryArray, RecordBatch, StringArray};
use presswatch_model::{ArticleView, Format, Record, ReuseKind};
use presswatch_python::{
    articles_from_batch, articles_to_batch, key_rows, link_component, process_batch, records_to_batch,
    split_files, ComponentDoc, KEY_BLOCK, KEY_COPY, KEY_OTHER,
};
use std::path::Path;
use std::sync::Arc;

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.iter().map(|p| (p.display().to_string(), std::fs::read(p).unwrap())).collect()
}

#[test]
fn article_rows_are_the_pipelines_articles() {
    let seeds = seeds();
    let rows: Vec<(&str, Option<Format>, &[u8])> =
        seeds.iter().map(|(s, b)| (s.as_str(), Some(Format::Text), b.as_slice())).collect();
    let (batch, rejected) = process_batch(&records_to_batch(&rows).unwrap(), 2).unwrap();
    assert!(rejected.is_empty());
    assert_eq!(batch.schema(), presswatch_python::schema::article_schema());
    let back = articles_from_batch(&batch).unwrap();
    let expected: Vec<ArticleView> = seeds
        .iter()
        .map(|(s, b)| {
            ArticleView::new(
                presswatch_pipeline::process(&Record::new(s.clone(), Format::Text, b.clone())).unwrap(),
            )
        })
        .collect();
    assert_eq!(back, expected);
    // Every nested field made it through Arrow: blocks, removed, quotes and entities.
    assert!(back.iter().all(|a| !a.blocks.is_empty()));
    assert!(back.iter().any(|a| !a.entities.is_empty() && !a.removed.is_empty()));
    assert!(back.iter().any(|a| !a.quotes.is_empty()));
    // The JSON export of an article and of its Arrow round trip are the same bytes.
    for (a, b) in back.iter().zip(&expected) {
        assert_eq!(serde_json::to_string(a).unwrap(), serde_json::to_string(b).unwrap());
    }
}

#[test]
fn rows_without_a_format_are_detected_and_rejections_reported() {
    let jsonl =
        b"{\"title\":\"One\",\"text\":\"A first body of text that is long enough.\"}\n{\"title\":\"Two\"}\n";
    let (batch, rejected) =
        process_batch(&records_to_batch(&[("feed.jsonl", None, &jsonl[..])]).unwrap(), 1).unwrap();
    assert_eq!(batch.num_rows(), 1);
    let a = &articles_from_batch(&batch).unwrap()[0];
    assert_eq!(a.source, "feed.jsonl#1");
    assert_eq!(a.meta.title.as_deref(), Some("One"));
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].0, "feed.jsonl#2");
    assert!(rejected[0].1.contains("no text or html field"), "{rejected:?}");
}

#[test]
fn files_are_split_as_ingest_splits_them() {
    let jsonl = b"{\"title\":\"A\",\"text\":\"Body A\"}\n{\"title\":\"B\",\"text\":\"Body B\"}\n";
    let seeds = seeds();
    let files = StringArray::from(vec!["feed.jsonl", seeds[1].0.as_str()]);
    let content = BinaryArray::from_iter_values([&jsonl[..], seeds[1].1.as_slice()]);
    let schema = Arc::new(arrow_schema::Schema::new(vec![
        arrow_schema::Field::new("file", arrow_schema::DataType::Utf8, false),
        arrow_schema::Field::new("content", arrow_schema::DataType::Binary, false),
    ]));
    let batch = RecordBatch::try_new(schema, vec![Arc::new(files), Arc::new(content)]).unwrap();
    let out = split_files(&batch).unwrap();
    let sources: Vec<&str> = out.column(2).as_string::<i32>().iter().map(Option::unwrap).collect();
    assert_eq!(sources, ["feed.jsonl#1", "feed.jsonl#2", seeds[1].0.as_str()]);
    let numbers: Vec<i64> = out.column(1).as_primitive::<Int64Type>().values().to_vec();
    assert_eq!(numbers, [1, 2, 1]);
    let ids: Vec<&str> = out.column(3).as_string::<i32>().iter().map(Option::unwrap).collect();
    assert_eq!(ids[2], Record::new("x", Format::Text, seeds[1].1.clone()).id().to_string());
    let formats: Vec<&str> = out.column(4).as_string::<i32>().iter().map(Option::unwrap).collect();
    assert_eq!(formats, ["jsonl", "jsonl", "text"]);
}

fn article(source: &str, outlet: &str, published: &str, text: &str) -> presswatch_model::ArticleRecord {
    let json = serde_json::json!({"title": source, "outlet": outlet, "published": published, "text": text})
        .to_string();
    let record = Record::new(source, Format::Json, json.into_bytes());
    presswatch_pipeline::process(&record).unwrap()
}

#[test]
fn a_component_is_linked_and_read_as_the_store_reads_it() {
    let seeds = seeds();
    let body = |i: usize| {
        presswatch_pipeline::process(&Record::new("s", Format::Text, seeds[i].1.clone())).unwrap().text
    };
    let original = article("original", "a.example", "2022-03-02", &body(2));
    let copy = article("copy", "b.example", "2022-03-03", &body(2).to_uppercase());
    // Seen first, published later: the source is the earlier published.
    let early = article("early", "c.example", "2022-03-01", &body(2).replace("\n\n", "\n\n\n"));
    let other = article("other", "d.example", "2022-03-01", &body(4));
    let docs: Vec<ComponentDoc> = [&original, &copy, &early, &other]
        .iter()
        .enumerate()
        .map(|(i, a)| ComponentDoc { article: (*a).clone(), seen: i as u64, saturated_blocks: vec![] })
        .collect();
    let rows = link_component(&docs);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].derived_from.len(), 1, "{:?}", rows[0]);
    assert_eq!(rows[0].derived_from[0].id, early.id);
    assert_eq!(rows[1].derived_from[0].id, early.id);
    assert_eq!(rows[1].derived_from[0].kind, ReuseKind::Exact);
    assert!(rows[2].derived_from.is_empty());
    assert_eq!(rows[0].dup_cluster, Some(early.id));
    assert_eq!(rows[1].dup_cluster, Some(early.id));
    assert_eq!(rows[3].dup_cluster, None);
    assert!(rows[3].derived_from.is_empty());
}

#[test]
fn keys_come_in_three_kinds() {
    let a = article("a", "a.example", "2022-03-02", "First paragraph of a real enough text, with the words it needs to be keyed and more.\n\nA second paragraph that the outlet might print again under other articles of its own.");
    let batch = articles_to_batch(&[ArticleView::new(a.clone())]).unwrap();
    let keys = key_rows(&batch).unwrap();
    let kinds: Vec<i8> = keys.column(2).as_primitive::<Int8Type>().values().to_vec();
    assert!(kinds.contains(&KEY_COPY) && kinds.contains(&KEY_OTHER));
    assert_eq!(kinds.iter().filter(|&&k| k == KEY_BLOCK).count(), a.blocks.len());
    let ids = keys.column(0).as_string::<i32>();
    assert!(ids.iter().all(|id| id == Some(a.id.to_string().as_str())));
}
