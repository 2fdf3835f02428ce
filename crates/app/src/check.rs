//! `check`: read a whole store back, find what is damaged, and say what repairs each part.

use presswatch_model::DocId;
use presswatch_store::{Damage, DamageKind, SearchStatus, StoreError, StoreRead, StoreSearch, Verified};
use std::collections::HashSet;

/// What a check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// What was read back.
    pub verified: Verified,
    /// Documents stored.
    pub documents: u64,
    /// Documents in the provenance index.
    pub indexed: u64,
    /// Every damaged part, in the order found (the store's own checks first, then the index
    /// against the articles).
    pub damage: Vec<Damage>,
    /// The search index against the store (`None` when the check did not look).
    pub search: Option<SearchStatus>,
}

impl CheckReport {
    /// Whether nothing is damaged.
    ///
    /// An index only behind the store is not damage (the next write catches it up); one that
    /// is missing, ahead, or holds other articles at the store's generation is.
    pub fn is_clean(&self) -> bool {
        self.damage.is_empty() && self.search.is_none_or(|s| s.in_step() || s.is_behind())
    }
}

/// Checks the whole store: the backend's own checks and every blob, article and index row
/// ([`StoreRead::verify`]), then that the provenance index holds exactly the stored documents
/// (ingest and reprocess index every article) and that every link joins two of them, and
/// that the search index is in step with the store (`presswatch reindex` repairs it).
pub fn check<S: StoreRead + StoreSearch + ?Sized>(store: &S) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport { search: Some(store.search_status()?), ..CheckReport::default() };
    let damage = &mut report.damage;
    report.verified = store.verify(&mut |d| {
        damage.push(d);
        Ok(())
    })?;
    match index_against_articles(store, &mut report) {
        // A damaged database file (already reported by `verify`) can fail any later read: the
        // report stands as far as it got.
        Err(StoreError::Database { .. }) if report.damage.iter().any(|d| d.kind == DamageKind::Database) => {
            Ok(report)
        }
        Err(e) => Err(e),
        Ok(()) => Ok(report),
    }
}

/// The second half of [`check`]: the provenance index against the stored documents, and the
/// links against them.
fn index_against_articles<S: StoreRead + ?Sized>(
    store: &S,
    report: &mut CheckReport,
) -> Result<(), StoreError> {
    let mut stored: Vec<(DocId, String)> = Vec::new();
    store.for_each_document(&mut |d| {
        stored.push((d.id, d.source));
        Ok(())
    })?;
    let mut indexed: HashSet<DocId> = HashSet::new();
    store.for_each_doc_time(&mut |doc, _| {
        indexed.insert(doc);
        Ok(())
    })?;
    report.documents = stored.len() as u64;
    report.indexed = indexed.len() as u64;
    let index = |doc: Option<DocId>, source: Option<String>, detail: String| Damage {
        kind: DamageKind::Index,
        doc,
        source,
        detail,
    };
    for (doc, source) in &stored {
        if !indexed.remove(doc) {
            report.damage.push(index(
                Some(*doc),
                Some(source.clone()),
                "stored, but not in the provenance index".into(),
            ));
        }
    }
    let mut orphans: Vec<DocId> = indexed.into_iter().collect();
    orphans.sort();
    for doc in orphans {
        report.damage.push(index(Some(doc), None, "in the provenance index, but not stored".into()));
    }

    let ids: HashSet<DocId> = stored.iter().map(|(doc, _)| *doc).collect();
    let mut dangling: Vec<Damage> = Vec::new();
    let links = store.for_each_link(&mut |link| {
        for end in [link.doc, link.other] {
            if !ids.contains(&end) {
                let detail = format!(
                    "a link between {} and {} names a document that is not stored",
                    link.doc, link.other
                );
                dangling.push(index(Some(end), None, detail));
            }
        }
        Ok(())
    });
    match links {
        // An unreadable link row is already reported by `verify`.
        Ok(_) | Err(StoreError::CorruptProvenance { .. }) => {}
        Err(e) => return Err(e),
    }
    report.damage.extend(dangling);
    Ok(())
}

/// What repairs a damaged part of this kind, for a person to do.
pub fn repair(damage: &Damage) -> String {
    match damage.kind {
        DamageKind::Blob => match damage.source.as_deref().map(input_of) {
            Some("-") | None => "ingest its input again: the same bytes restore the raw bytes".into(),
            Some(input) => format!(
                "ingest its input again (presswatch ingest {input}): the same bytes restore the raw bytes"
            ),
        },
        DamageKind::Article => {
            "run presswatch reprocess: it re-derives the article from the raw bytes".into()
        }
        DamageKind::Index => "run presswatch reprocess: it rebuilds the provenance index and links".into(),
        DamageKind::Database => {
            "the database file itself is damaged: keep a copy of the store, then ingest the \
             inputs again into a new store (or restore a backup); `sqlite3 presswatch.sqlite .recover` \
             may save the rows that are still readable"
                .into()
        }
    }
}

/// The input file a source names: a record inside a container (`dump.jsonl#12`,
/// `crawl.warc.gz#3`) comes from the file before the `#`.
fn input_of(source: &str) -> &str {
    match source.rsplit_once('#') {
        Some((file, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_repair_names_the_input_file() {
        let blob = |source: Option<&str>| Damage {
            kind: DamageKind::Blob,
            doc: None,
            source: source.map(String::from),
            detail: String::new(),
        };
        assert!(repair(&blob(Some("dump.jsonl#12"))).contains("presswatch ingest dump.jsonl)"));
        assert!(repair(&blob(Some("a#b.txt"))).contains("presswatch ingest a#b.txt)"));
        assert!(!repair(&blob(Some("-"))).contains("presswatch ingest"));
        assert!(!repair(&blob(None)).contains("presswatch ingest"));
    }
}
