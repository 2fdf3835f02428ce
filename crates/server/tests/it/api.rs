//! The JSON API against a server on 127.0.0.1:0.

use crate::common::{get, request, seeded_store, serve};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_detail_provenance_and_openapi() {
    let dir = seeded_store();
    let server = serve(dir.path(), |_| {}).await;

    let list = get(&server.url("/api/v1/documents")).await;
    assert_eq!(list.status, 200);
    let items = list.json()["items"].as_array().cloned().expect("items");
    assert_eq!(items.len(), 6, "five seeds and one copy");
    assert!(list.json()["next_offset"].is_null());

    // Pages and the text filter.
    let page = get(&server.url("/api/v1/documents?limit=2&offset=1")).await.json();
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["items"][0]["id"], items[1]["id"]);
    assert_eq!(page["next_offset"], 3);
    let hits = get(&server.url("/api/v1/documents?q=ISOLATING%20russia")).await.json();
    let hits = hits["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(hits.len(), 2, "the seed and its copy: {hits:?}");

    // The copy: its detail names its source, the provenance shows the changed words.
    let copy = hits
        .iter()
        .find(|d| d["source"].as_str().is_some_and(|s| s.ends_with("copy-of-000.txt")))
        .expect("copy");
    let id = copy["id"].as_str().expect("id");
    let detail = get(&server.url(&format!("/api/v1/documents/{id}"))).await;
    assert_eq!(detail.status, 200);
    let detail = detail.json();
    assert!(detail["blocks"].as_array().is_some_and(|b| !b.is_empty()));
    assert!(detail["removed"].as_array().is_some_and(|r| r.iter().all(|x| x["reason"].is_string())));
    assert!(
        !detail["removed"].as_array().unwrap().is_empty(),
        "the seed's editor's note and duplicate caption are removed"
    );
    assert!(detail["images"].as_array().is_some_and(|i| !i.is_empty()));
    let source_id = detail["derived_from"][0]["id"].as_str().expect("derived_from").to_string();
    assert!(items.iter().any(|d| d["id"] == source_id.as_str()));

    let prov = get(&server.url(&format!("/api/v1/documents/{id}/provenance"))).await.json();
    let passages = prov["sources"][0]["passages"].as_array().cloned().expect("passages");
    assert!(!passages.is_empty());
    let changed: Vec<String> = passages
        .iter()
        .flat_map(|p| p["copy"].as_array().cloned().unwrap_or_default())
        .filter(|s| s["changed"] == true)
        .map(|s| s["text"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(changed.iter().any(|w| w.contains("important")), "changed words: {changed:?}");
    // And the source lists its copy.
    let source = get(&server.url(&format!("/api/v1/documents/{source_id}/provenance"))).await.json();
    assert_eq!(source["copies"][0]["link"]["id"], id);

    let dups = get(&server.url("/api/v1/dups")).await.json();
    assert!(
        dups.as_array()
            .is_some_and(|d| d.iter().any(|c| c["members"].as_array().is_some_and(|m| m.len() >= 2)))
            || dups.as_array().is_some_and(Vec::is_empty)
    );

    let stats = get(&server.url("/api/v1/stats")).await.json();
    assert_eq!(stats["documents"], 6);

    let quotes = get(&server.url("/api/v1/quotes")).await.json();
    assert!(quotes.as_array().is_some_and(|q| !q.is_empty()), "the seeds hold quotes");
    let entities = get(&server.url("/api/v1/entities?type=person")).await.json();
    let people = entities.as_array().cloned().unwrap_or_default();
    assert!(people.iter().any(|e| e["name"] == "Vladimir Putin"), "{people:?}");
    let putin = get(&server.url("/api/v1/entities/Putin")).await.json();
    assert_eq!(putin["entity"]["name"], "Vladimir Putin");
    assert!(putin["by_day"].as_array().is_some_and(|d| !d.is_empty()));

    // The OpenAPI document lists every endpoint and its schemas.
    let doc = get(&server.url("/api/v1/openapi.json")).await.json();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for path in [
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/documents/{id}/provenance",
        "/api/v1/dups",
        "/api/v1/stats",
        "/api/v1/export",
        "/api/v1/reprocess",
        "/api/v1/quotes",
        "/api/v1/entities",
        "/api/v1/entities/{name}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing from the OpenAPI document");
    }
    for schema in ["DocumentDetail", "Provenance", "Problem", "StatsDto", "EntityPage"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_problems_without_internals() {
    let dir = seeded_store();
    let server = serve(dir.path(), |_| {}).await;
    let p = get(&server.url("/api/v1/documents/0123456789abcdef")).await.problem(404);
    assert_eq!(p["title"], "Not Found");
    get(&server.url("/api/v1/documents/..%2F..%2Fetc%2Fpasswd")).await.problem(400);
    get(&server.url("/api/v1/documents/zz")).await.problem(400);
    get(&server.url("/api/v1/documents?limit=lots")).await.problem(400);
    get(&server.url("/api/v1/quotes?since=yesterday")).await.problem(400);
    get(&server.url("/api/v1/entities?type=planet")).await.problem(400);
    get(&server.url("/api/v1/nothing")).await.problem(404);
    get(&server.url("/assets/..%2F..%2FCargo.toml")).await.problem(404);
    get(&server.url("/assets/../../Cargo.toml")).await.problem(404);
    let text = String::from_utf8_lossy(&get(&server.url("/api/v1/documents/zz")).await.body).to_string();
    assert!(!text.contains(dir.path().to_str().unwrap()) && !text.contains("sqlite"), "{text}");

    // Another host name (DNS rebinding) is refused on a loopback server.
    let rebound = request("GET", &server.url("/api/v1/stats"), &[("host", "evil.example")], Vec::new()).await;
    rebound.problem(421);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_on_every_response() {
    let dir = seeded_store();
    let server = serve(dir.path(), |_| {}).await;
    for path in ["/", "/assets/app.js", "/api/v1/stats", "/api/v1/nothing"] {
        let r = get(&server.url(path)).await;
        let csp = r.header("content-security-policy");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("require-trusted-types-for 'script'"), "{path}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
    }
    let index = String::from_utf8_lossy(&get(&server.url("/")).await.body).to_string();
    assert!(!index.contains("<script>") && !index.contains("style="), "no inline script or style");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_need_the_token_and_upload_ingests() {
    let dir = seeded_store();
    let server = serve(dir.path(), |o| o.token = Some("s3cret-token".into())).await;
    let body = b"---\ntitle: Uploaded note\n---\n\nThe committee met on Tuesday and agreed the budget for next year.\n".to_vec();
    let url = server.url("/api/v1/documents?name=note.md");
    request("POST", &url, &[], body.clone()).await.problem(401);
    request("POST", &url, &[("authorization", "Bearer wrong")], body.clone()).await.problem(401);
    let auth = [("authorization", "Bearer s3cret-token")];
    let bad = server.url("/api/v1/documents?name=..%2F..%2Fetc%2Fcron.d%2Fx");
    request("POST", &bad, &auth, body.clone()).await.problem(400);

    let r = request("POST", &url, &auth, body.clone()).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["added"], 1);
    let again = request("POST", &url, &auth, body).await.json();
    assert_eq!(again["already_present"], 1);
    let hits = get(&server.url("/api/v1/documents?q=uploaded%20note")).await.json();
    assert_eq!(hits["items"][0]["source"], "upload:note.md");

    let re = request("POST", &server.url("/api/v1/reprocess"), &auth, Vec::new()).await;
    assert_eq!(re.status, 200, "{}", String::from_utf8_lossy(&re.body));
    assert_eq!(re.json()["updated"], 7);

    // Bodies over the limit are refused.
    let big = vec![b'a'; 2 << 20];
    let server_small = serve(dir.path(), |o| {
        o.token = Some("t".into());
        o.limits.max_upload_bytes = 1 << 20;
    })
    .await;
    let r = request(
        "POST",
        &server_small.url("/api/v1/documents?name=big.txt"),
        &[("authorization", "Bearer t")],
        big,
    )
    .await;
    assert_eq!(r.status, 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_writes() {
    let dir = seeded_store();
    let server = serve(dir.path(), |o| {
        o.read_only = true;
        o.token = Some("t".into());
    })
    .await;
    assert!(server.token.is_none());
    let auth = [("authorization", "Bearer t")];
    request("POST", &server.url("/api/v1/documents?name=a.txt"), &auth, b"hello".to_vec()).await.problem(403);
    request("POST", &server.url("/api/v1/reprocess"), &auth, Vec::new()).await.problem(403);
    assert_eq!(get(&server.url("/api/v1/stats")).await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_streams_jsonl_and_csv() {
    let dir = seeded_store();
    let server = serve(dir.path(), |_| {}).await;
    let jsonl = get(&server.url("/api/v1/export")).await;
    assert_eq!(jsonl.status, 200);
    assert!(jsonl.header("content-type").starts_with("application/x-ndjson"));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&jsonl.body)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 6);
    assert!(lines.iter().any(|l| l["derived_from"].as_array().is_some_and(|d| !d.is_empty())));

    let csv = get(&server.url("/api/v1/export?format=csv")).await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(&csv.body[..]);
    assert_eq!(reader.headers().expect("header").get(0), Some("id"));
    assert_eq!(reader.records().count(), 6);
    get(&server.url("/api/v1/export?format=xml")).await.problem(400);
}
