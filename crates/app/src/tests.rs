//! The service layer against the memory store: no SQLite needed to test what it decides.

use crate::ingest::{ingest, inputs, IngestOptions};
use crate::{read, reprocess, thread_pool, Progress};
use presswatch_store::{MemoryStore, StoreRead};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Records what the service reports.
#[derive(Default)]
struct Recorded {
    advanced: Mutex<u64>,
    rejected: Mutex<Vec<String>>,
}

impl Progress for Recorded {
    fn advance(&self, n: u64) {
        if let Ok(mut a) = self.advanced.lock() {
            *a += n;
        }
    }

    fn rejected(&self, source: &str, reason: &str) {
        if let Ok(mut r) = self.rejected.lock() {
            r.push(format!("{source}: {reason}"));
        }
    }
}

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds")
}

#[test]
fn ingest_links_a_copy_and_the_read_models_show_it() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_dir(seeds_dir()).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&seed).unwrap();
    std::fs::write(dir.path().join("copy.txt"), text.to_uppercase()).unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let paths = vec![seed.clone(), dir.path().to_path_buf(), seed];

    let mut store = MemoryStore::new();
    let lookup = MemoryStore::new();
    let progress = Recorded::default();
    let pool = thread_pool(Some(2)).unwrap();
    let options = IngestOptions { batch_size: 1, ..IngestOptions::default() };
    let found = inputs(&paths);
    assert!(found.total_bytes > 0);
    let summary = ingest(&mut store, &lookup, found.inputs, options, &pool, &progress).unwrap();
    assert_eq!((summary.inputs, summary.added, summary.already_present), (4, 2, 1), "{summary:?}");
    assert_eq!(summary.rejected, 1);
    assert_eq!(progress.rejected.lock().unwrap().len(), 1);
    assert_eq!(*progress.advanced.lock().unwrap(), summary.bytes);

    let clusters = read::dups(&store).unwrap();
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0].members.len(), 2);
    let original = read::article(&store, &clusters[0].id.to_string()).unwrap().unwrap();
    assert_eq!(original.dup_cluster, Some(clusters[0].id));
    let copies = read::copies(&store, &clusters[0].id.to_string()).unwrap().unwrap();
    assert_eq!(copies.copies.len(), 1);
    let copy = read::article(&store, &copies.copies[0].0.to_string()).unwrap().unwrap();
    assert_eq!(copy.derived_from[0].id, original.article.id);
    let aligned = read::alignment(&store, &copy).unwrap();
    assert_eq!(aligned.len(), 1);
    assert!(!aligned[0].passages.is_empty());

    let mut exported = Vec::new();
    read::export(&store, &mut |a| {
        exported.push(a);
        Ok(())
    })
    .unwrap();
    assert_eq!(exported.len(), 2);
    assert!(exported.iter().all(|a| a.dup_cluster.is_some()));

    // Reprocessing rebuilds the same links.
    let documents = reprocess::documents(&store).unwrap();
    let options = reprocess::ReprocessOptions { batch_size: 1 };
    let done = reprocess::reprocess(&mut store, &documents, &pool, options, &progress).unwrap();
    assert_eq!((done.updated, done.failed), (2, 0));
    assert_eq!(read::dups(&store).unwrap(), clusters);
    assert_eq!(store.stats().unwrap().linked, 2);
}

/// Ingests `paths` into `store` in batches of `batch_size`.
fn ingest_paths(store: &mut MemoryStore, paths: &[PathBuf], batch_size: usize) {
    let pool = thread_pool(Some(2)).unwrap();
    let options = IngestOptions { batch_size, ..IngestOptions::default() };
    ingest(store, &MemoryStore::new(), inputs(paths).inputs, options, &pool, &Recorded::default()).unwrap();
}

fn seed_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(seeds_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths
}

/// Every exported article's entities and speaker entities, by article id.
fn exported_entities(
    store: &MemoryStore,
) -> Vec<(String, Vec<presswatch_model::Entity>, Vec<Option<String>>)> {
    let mut out = Vec::new();
    read::export(store, &mut |a| {
        let speakers = a.quotes.iter().map(|q| q.speaker.entity.clone()).collect();
        out.push((a.id.to_string(), a.entities.clone(), speakers));
        Ok(())
    })
    .unwrap();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn entities_are_linked_across_the_corpus_incrementally_and_rebuilt_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let extra = [
        ("a.txt", "Talks\n\nSecretary of State Antony Blinken arrived in Kyiv on Monday. Blinken said the talks would go on."),
        ("b.txt", "Spun\n\nAfter the meeting in Kiev, Blnken told reporters that nothing had changed at all."),
    ];
    let mut paths = seed_paths();
    for (name, text) in extra {
        std::fs::write(dir.path().join(name), text).unwrap();
        paths.push(dir.path().join(name));
    }
    let mut one = MemoryStore::new();
    ingest_paths(&mut one, &paths, 100);
    let mut two = MemoryStore::new();
    ingest_paths(&mut two, &paths[..3], 100);
    ingest_paths(&mut two, &paths[3..], 100);
    assert_eq!(two.entities().unwrap(), one.entities().unwrap(), "two batches give what one gives");
    assert_eq!(two.entity_aliases().unwrap(), one.entity_aliases().unwrap());
    let exported = exported_entities(&one);
    assert_eq!(exported_entities(&two), exported);

    // The typo of the spun copy, the short form of seed 001 and Kiev/Kyiv are one entity each.
    let find = |name: &str| crate::entities::entity(&one, name).unwrap().unwrap_or_else(|| panic!("{name}"));
    let blinken = find("Antony Blinken");
    assert_eq!(find("Blnken").entity.id, blinken.entity.id);
    assert!(blinken.aliases.iter().any(|(n, _)| n == "Blnken"), "{:?}", blinken.aliases);
    let kyiv = find("Kiev");
    assert_eq!(kyiv.entity.name, "Kyiv");
    assert_eq!(find("Київ").entity.id, kyiv.entity.id);
    assert!(kyiv.entity.docs >= 3, "{:?}", kyiv.entity);
    let putin = find("Vladimir Putin");
    assert_eq!(find("Putin").entity.id, putin.entity.id);
    assert_eq!(putin.entity.kind, presswatch_model::EntityType::Person);
    let mut seed_001 = None;
    read::export(&one, &mut |a| {
        if a.source.contains("001_") {
            seed_001 = Some(a);
        }
        Ok(())
    })
    .unwrap();
    let seed_001 = seed_001.unwrap();
    let short = seed_001
        .entities
        .iter()
        .find(|e| e.mentions.iter().any(|m| m.slice(&seed_001.text) == "Putin"))
        .unwrap();
    assert_eq!(short.id, putin.entity.id, "seed 001's 'Putin' reads as Vladimir Putin");
    let meet = seed_001
        .quotes
        .iter()
        .find(|q| q.content[0].slice(&seed_001.text).starts_with("We will definitely meet"))
        .unwrap();
    assert_eq!(meet.speaker.entity.as_deref(), Some(putin.entity.id.as_str()));
    // Blinken's quote in a sentence that names Putin ("..., saying that ... “... President
    // Putin is the only person who really matters.”") is Blinken's, and the embassy's
    // statement, three sentences from any tag, has no speaker rather than Putin.
    let speaker_of = |start: &str| {
        let q = seed_001.quotes.iter().find(|q| q.content[0].slice(&seed_001.text).starts_with(start));
        q.unwrap_or_else(|| panic!("{start}")).speaker.name.clone()
    };
    assert_eq!(speaker_of("With my counterpart").as_deref(), Some("Antony Blinken"));
    assert_eq!(speaker_of("While Russia has not"), None);
    assert!(putin.quotes.iter().any(|q| q.text.starts_with("We will definitely meet")));
    let truss = find("Liz Truss");
    assert_eq!(truss.entity.kind, presswatch_model::EntityType::Person);
    assert!(!truss.quotes.is_empty());

    // Re-ingesting changes nothing; reprocessing rebuilds the same entities.
    let before = (one.entities().unwrap(), one.entity_aliases().unwrap());
    ingest_paths(&mut one, &paths, 2);
    assert_eq!((one.entities().unwrap(), one.entity_aliases().unwrap()), before);
    let pool = thread_pool(Some(2)).unwrap();
    let documents = reprocess::documents(&one).unwrap();
    let options = reprocess::ReprocessOptions { batch_size: 3 };
    reprocess::reprocess(&mut one, &documents, &pool, options, &Recorded::default()).unwrap();
    assert_eq!((one.entities().unwrap(), one.entity_aliases().unwrap()), before);
    assert_eq!(exported_entities(&one), exported);
}
