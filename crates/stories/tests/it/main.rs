//! The stories stage on real documents: the seeds through the whole pipeline.

use presswatch_model::{ArticleRecord, CorpusStage, DocId, Format, Record};
use presswatch_stories::{StoriesStage, StoryLink, StoryMemory};

/// The real seeds as the pipeline derives them, in file-name order.
fn seeds() -> Vec<ArticleRecord> {
    presswatch_testkit::seed_paths()
        .iter()
        .map(|p| {
            let record = Record::new(p.display().to_string(), Format::Text, std::fs::read(p).unwrap());
            presswatch_pipeline::process(&record).unwrap()
        })
        .collect()
}

fn run(stage: &StoriesStage, memory: &mut StoryMemory, batch: &[&ArticleRecord]) -> Vec<StoryLink> {
    let prepared = batch.iter().map(|a| stage.prepare_article(a)).collect();
    let links = stage.run(&*memory, batch, prepared).unwrap();
    memory.apply(&links);
    links
}

/// The seeds alone, in one batch: five long analysis pieces on Russia, Ukraine and NATO with no
/// other document to learn which words are common but the background frequencies of everyday
/// language. 001 (2021-12-13, a spun rewrite) and 002, 003 and 004 (undated; the January 2022
/// security talks) are one story; 000 (March 2021) is in none of theirs.
#[test]
fn seeds_001_to_004_are_one_story_and_000_is_not_in_it() {
    let seeds = seeds();
    let stage = StoriesStage::default();
    let mut memory = StoryMemory::default();
    let batch: Vec<&ArticleRecord> = seeds.iter().collect();
    run(&stage, &mut memory, &batch);
    let story = |d: DocId| memory.assignments()[&d];
    for s in &seeds[1..] {
        assert_ne!(story(seeds[0].id), story(s.id), "{}", s.source);
    }
    for s in &seeds[2..] {
        assert_eq!(story(seeds[1].id), story(s.id), "{}", s.source);
    }
    assert_eq!(memory.assignments().len(), 5);
}

#[test]
fn one_document_per_batch_gives_the_same_stories_as_one_batch() {
    let seeds = seeds();
    let stage = StoriesStage::default();
    let mut whole = StoryMemory::default();
    let mut dated: Vec<&ArticleRecord> = seeds.iter().collect();
    dated.sort_by_key(|a| a.meta.published.map(|p| p.epoch_day()));
    run(&stage, &mut whole, &dated);
    let mut one_by_one = StoryMemory::default();
    for a in &dated {
        run(&stage, &mut one_by_one, &[a]);
    }
    assert_eq!(whole.assignments(), one_by_one.assignments());
    // Placing a document again changes nothing.
    assert!(run(&stage, &mut one_by_one, &dated).is_empty());
}

#[test]
fn a_copy_joins_its_sources_story_whatever_its_text() {
    let seeds = seeds();
    let stage = StoriesStage::default();
    let mut memory = StoryMemory::default();
    run(&stage, &mut memory, &[&seeds[0]]);
    // Seed 003 declared a copy of seed 000 (as provenance would): it goes where 000 is.
    let prepared = vec![{
        let mut f = stage.prepare_article(&seeds[3]);
        f.copy_of = vec![seeds[0].id];
        f
    }];
    let links = stage.run(&memory, &[&seeds[3]], prepared).unwrap();
    assert_eq!(links[0].story, seeds[0].id);
    assert_eq!(links[0].score, 1.0);
}

#[test]
fn a_bridging_document_merges_two_stories_and_the_merge_is_recorded() {
    let seeds = seeds();
    let stage = StoriesStage::default();
    let mut memory = StoryMemory::default();
    let mut a = seeds[1].clone();
    let mut b = seeds[1].clone();
    let mut bridge = seeds[1].clone();
    // Two halves of one text open two stories; the whole text bridges them.
    let words: Vec<&str> = seeds[1].text.split_whitespace().take(120).collect();
    a.id = DocId::from_u64(1);
    a.meta.title = None;
    a.entities.clear();
    a.text = words[..60].join(" ");
    b.id = DocId::from_u64(2);
    b.meta.title = None;
    b.entities.clear();
    b.text = words[60..].join(" ");
    bridge.id = DocId::from_u64(3);
    bridge.meta.title = None;
    bridge.entities.clear();
    bridge.text = format!("{} {}", words[..30].join(" "), words[60..90].join(" "));
    let strict =
        StoriesStage { params: presswatch_stories::Params { lead_chars: 2000, ..stage.params.clone() } };
    run(&strict, &mut memory, &[&a]);
    run(&strict, &mut memory, &[&b]);
    assert_ne!(memory.assignments()[&a.id], memory.assignments()[&b.id], "the halves open two stories");
    let links = run(&strict, &mut memory, &[&bridge]);
    assert_eq!(links[0].merges.len(), 1, "{links:?}");
    let into = links[0].merges[0].into;
    assert_eq!(memory.assignments()[&a.id], into);
    assert_eq!(memory.assignments()[&b.id], into);
    assert_eq!(memory.stories().count(), 1);
    assert_eq!(memory.stories().next().unwrap().size, 3);
}

#[test]
fn the_same_text_twice_is_one_story() {
    let line = br#"{"title": "The team over at Libraries and Transliteracy recent came to the decision that it", "text": "When we launched the project the purpose was to bring attention to transliteracy in all types of libraries and we worked hard to include contributors from public, academic, and school libraries (and other types with less success) with a diverse background.", "outlet": "outlet-11.example"}"#;
    let a = presswatch_pipeline::process(&Record::new("a#1", Format::Json, line.to_vec())).unwrap();
    let mut b = a.clone();
    b.id = DocId::from_u64(7);
    let stage = StoriesStage::default();
    let mut memory = StoryMemory::default();
    run(&stage, &mut memory, &[&a]);
    let links = run(&stage, &mut memory, &[&b]);
    assert_eq!(links[0].story, a.id, "{links:?}");
}
