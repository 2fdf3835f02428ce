//! `--store postgres://...`: the same commands on a PostgreSQL store give what they give on the
//! embedded one. Each test starts a throwaway PostgreSQL cluster (`presswatch_store::pg_cluster`).

use crate::common::{presswatch, seeds_dir, stderr, stdout};
use crate::faults::articles_jsonl;
use presswatch_store::pg_cluster::TestCluster;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

fn sorted_export(store: &Path) -> Vec<Value> {
    let out = presswatch(store, &["export"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut rows: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    rows.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    rows
}

fn ok(store: &Path, args: &[&str]) -> String {
    let out = presswatch(store, args);
    assert!(out.status.success(), "presswatch {args:?}: {}", stderr(&out));
    stdout(&out)
}

/// The seeds ingested into PostgreSQL and into the embedded store export the same, byte for
/// byte, and so do the read commands; a reprocess on PostgreSQL changes nothing.
#[test]
fn seeds_on_postgres_export_as_on_the_embedded_store() {
    let cluster = TestCluster::start();
    let url = cluster.create_database();
    let pg = Path::new(&url);
    let dir = tempfile::tempdir().unwrap();
    let embedded = dir.path().join("s");
    let seeds = seeds_dir();
    for store in [pg, embedded.as_path()] {
        ok(store, &["ingest", "--quiet", seeds.to_str().unwrap()]);
    }
    let export = ok(&embedded, &["export"]);
    assert_eq!(export.lines().count(), 5);
    assert_eq!(ok(pg, &["export"]), export);
    assert_eq!(ok(pg, &["export", "--format", "csv"]), ok(&embedded, &["export", "--format", "csv"]));
    let reads: [&[&str]; 4] = [&["dups"], &["entities", "--top", "10"], &["stories"], &["quotes"]];
    for args in reads {
        assert_eq!(ok(pg, args), ok(&embedded, args), "presswatch {args:?}");
    }
    let first: Value = serde_json::from_str(export.lines().next().unwrap()).unwrap();
    let id = first["id"].as_str().unwrap();
    assert_eq!(ok(pg, &["show", id]), ok(&embedded, &["show", id]));
    assert_eq!(
        ok(pg, &["search", "--json", "--facet", "outlet", "the"]),
        ok(&embedded, &["search", "--json", "--facet", "outlet", "the"])
    );
    assert_eq!(presswatch(pg, &["check"]).status.code(), Some(0), "{}", stderr(&presswatch(pg, &["check"])));

    // Ingesting again changes nothing; a reprocess rebuilds everything to the same export.
    assert!(ok(pg, &["ingest", seeds.to_str().unwrap()]).contains("5 already present"));
    ok(pg, &["reprocess", "--quiet"]);
    assert_eq!(ok(pg, &["export"]), export);
}

/// Two processes ingesting into one PostgreSQL database at once end as one sequential run on the
/// embedded store (stories aside: undated articles are placed in arrival order, issue 14).
#[test]
fn concurrent_ingests_into_postgres_equal_a_sequential_run() {
    let cluster = TestCluster::start();
    let url = cluster.create_database();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    articles_jsonl(&a, 300, 1);
    articles_jsonl(&b, 300, 2);
    let spawn = |input: &Path| {
        Command::new(env!("CARGO_BIN_EXE_presswatch"))
            .args(["--store", &url, "ingest", "--quiet", "--batch-size", "16"])
            .arg(input)
            .env_remove("PRESSWATCH_STORE")
            .env("PRESSWATCH_CACHE_DIR", Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Both processes find the schema in place: neither races to create it.
    ok(Path::new(&url), &["stats"]);
    let (first, second) = (spawn(&a), spawn(&b));
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let sequential = dir.path().join("sequential");
    for input in [&a, &b] {
        ok(&sequential, &["ingest", "--quiet", input.to_str().unwrap()]);
    }
    let without_story = |mut rows: Vec<Value>| {
        for row in &mut rows {
            row.as_object_mut().unwrap().remove("story");
        }
        rows
    };
    let together = without_story(sorted_export(Path::new(&url)));
    assert_eq!(together.len(), 600);
    assert_eq!(together, without_story(sorted_export(&sequential)));
    assert_eq!(presswatch(Path::new(&url), &["check"]).status.code(), Some(0));
}

/// A read command on a database that cannot be reached fails with the URL, never its password.
#[test]
fn an_unreachable_database_is_an_error_without_the_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://someone:secret@127.0.0.1:{port}/nothing");
    let out = presswatch(Path::new(&url), &["stats"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("postgres://someone@127.0.0.1:{port}/nothing")), "{err}");
    assert!(!err.contains("secret"), "{err}");
}
