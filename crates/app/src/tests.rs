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
