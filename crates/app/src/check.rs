//! `check`: read a whole store back, find what is damaged, and say what repairs each part.

use presswatch_model::DocId;
use presswatch_store::{Damage, DamageKind, StoreError, StoreRead, Verified};
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
}

impl CheckReport {
    /// Whether nothing is damaged.
    pub fn is_clean(&self) -> bool {
        self.damage.is_empty()
    }
}

/// Checks the whole store: the backend's own checks and every blob, article and index row
/// ([`StoreRead::verify`]), then that the provenance index holds exactly the stored documents
/// (ingest and reprocess index every article) and that every link joins two of them.
pub fn check<S: StoreRead + ?Sized>(store: &S) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    let damage = &mut report.damage;
    report.verified = store.verify(&mut |d| {
        damage.push(d);
        Ok(())
    })?;

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
    Ok(report)
}

/// What repairs a damaged part of this kind, for a person to do.
pub fn repair(damage: &Damage) -> String {
    match damage.kind {
        DamageKind::Blob => match &damage.source {
            Some(source) => format!(
                "ingest its input again (presswatch ingest {source}): the same bytes restore the raw bytes"
            ),
            None => "ingest its input again: the same bytes restore the raw bytes".into(),
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
