//! The JSON API against a server on 127.0.0.1:0.

use crate::common::{get, request, seeded_store, serve, try_request};

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
    let r = try_request(
        "POST",
        &server_small.url("/api/v1/documents?name=big.txt"),
        &[("authorization", "Bearer t")],
        big,
    )
    .await;
    // Refused by its Content-Length: a 413, or (when the server closed before the client had
    // written the body) the connection cut under the client; never an ingest.
    match r {
        Ok(r) => assert_eq!(r.status, 413),
        Err(e) => {
            assert!(format!("{e:?}").contains("BodyWrite") || format!("{e:?}").contains("reset"), "{e:?}")
        }
    }
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

/// The id of the copy of the first seed (in the seed's story).
async fn copy_id(server: &crate::common::Running) -> String {
    let hits = get(&server.url("/api/v1/documents?q=copy-of-000")).await.json();
    hits["items"][0]["id"].as_str().expect("copy id").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_with_facets_and_a_date_histogram() {
    let dir = seeded_store();
    let server = serve(dir.path(), |_| {}).await;
    let r = get(&server.url("/api/v1/search?q=isolating%20russia&facets=month,outlet,copies")).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let r = r.json();
    assert_eq!(r["total"], 2, "the seed and its copy: {r}");
    let hit = &r["hits"][0];
    assert!(hit["title"].as_str().is_some_and(|t| t.contains("Isolating Russia")), "{hit}");
    let snippet = hit["snippet"]["text"].as_str().expect("snippet");
    let chars: Vec<char> = snippet.chars().collect();
    let marked: Vec<String> = hit["snippet"]["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|h| chars[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize].iter().collect())
        .collect();
    assert!(marked.iter().any(|w| w.eq_ignore_ascii_case("russia")), "{marked:?} in {snippet}");
    // Facets in the order asked; the month histogram in time order.
    let fields: Vec<&str> =
        r["facets"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["month", "outlet", "copies"]);
    assert_eq!(r["facets"][0]["histogram"], true);
    assert_eq!(r["facets"][0]["counts"], serde_json::json!([{"value": "2021-03", "count": 2}]));
    let outlets = r["facets"][1]["counts"].to_string();
    assert!(outlets.contains("CGTN") && outlets.contains(crate::common::COPY_OUTLET), "{outlets}");
    assert_eq!(r["facets"][2]["counts"][0], serde_json::json!({"value": "yes", "count": 2}));

    // Every article, within dates; field queries.
    let all = get(&server.url("/api/v1/search?q=&facets=month&since=2021-12-01")).await.json();
    assert_eq!(all["facets"][0]["counts"][0]["value"], "2021-12", "{all}");
    let by_outlet = get(&server.url("/api/v1/search?q=outlet:%22wire.example%22")).await.json();
    assert_eq!(by_outlet["total"], 1, "{by_outlet}");
    get(&server.url("/api/v1/search?q=x&facets=colour")).await.problem(400);
    get(&server.url("/api/v1/search?q=x&since=last-week")).await.problem(400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stories_story_charts_and_compare() {
    let dir = seeded_store();
    let server = serve(dir.path(), |_| {}).await;
    let copy = copy_id(&server).await;

    let stories = get(&server.url("/api/v1/stories")).await.json();
    let stories = stories.as_array().cloned().expect("stories");
    assert_eq!(stories.iter().map(|s| s["size"].as_u64().unwrap()).sum::<u64>(), 6, "{stories:?}");
    let sizes: Vec<u64> = stories.iter().map(|s| s["size"].as_u64().unwrap()).collect();
    // Seeds 001-004 (the December 2021 / January 2022 talks), then seed 000 with its copy.
    assert_eq!(sizes, [4, 2], "{stories:?}");

    // The story by a member's id: first report, outlets in pick-up order, days, quotes.
    let s = get(&server.url(&format!("/api/v1/stories/{copy}"))).await;
    assert_eq!(s.status, 200, "{}", String::from_utf8_lossy(&s.body));
    let s = s.json();
    assert_eq!(s["story"]["id"], stories[1]["id"]);
    assert_eq!(s["members"].as_array().map(Vec::len), Some(2));
    assert!(s["first_report"]["published"].as_str().is_some_and(|p| p.starts_with("2021-03-20")), "{s}");
    assert_eq!(s["outlets"], serde_json::json!(["CGTN", crate::common::COPY_OUTLET]));
    assert_eq!(s["by_day"].as_array().map(Vec::len), Some(2));
    assert!(s["top_quotes"].as_array().is_some_and(|q| !q.is_empty()));
    let story = s["story"]["id"].as_str().unwrap().to_string();
    get(&server.url("/api/v1/stories/zz")).await.problem(400);
    get(&server.url("/api/v1/stories/0123456789abcdef")).await.problem(404);

    // Charts: SVG by default, PNG on request, the outlets chart; an entity's timeline.
    let svg = get(&server.url(&format!("/api/v1/stories/{story}/chart"))).await;
    assert_eq!(svg.status, 200, "{}", String::from_utf8_lossy(&svg.body));
    assert_eq!(svg.header("content-type"), "image/svg+xml");
    let text = String::from_utf8_lossy(&svg.body);
    assert!(text.starts_with("<svg") && text.contains("Isolating Russia") && text.contains("peak days"));
    let outlets = get(&server.url(&format!("/api/v1/stories/{story}/chart?kind=outlets"))).await;
    assert!(String::from_utf8_lossy(&outlets.body).contains(crate::common::COPY_OUTLET));
    let png =
        get(&server.url(&format!("/api/v1/stories/{story}/chart?format=png&width=400&height=300"))).await;
    assert_eq!(png.header("content-type"), "image/png");
    assert_eq!(&png.body[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(u32::from_be_bytes(png.body[16..20].try_into().unwrap()), 400);
    let entity = get(&server.url("/api/v1/entities/Putin/chart?format=png")).await;
    assert_eq!(entity.status, 200);
    assert_eq!(&entity.body[1..4], b"PNG");
    get(&server.url(&format!("/api/v1/stories/{story}/chart?kind=pie"))).await.problem(400);
    get(&server.url("/api/v1/entities/Nobody%20Atall%20Xyzzy/chart")).await.problem(404);

    // Compare the seed's outlet with the copy's, on the story: the changed words are theirs.
    let url = format!("/api/v1/compare?a=CGTN&b={}&story={story}&top=5", crate::common::COPY_OUTLET);
    let c = get(&server.url(&url)).await;
    assert_eq!(c.status, 200, "{}", String::from_utf8_lossy(&c.body));
    let c = c.json();
    assert_eq!(
        (c["docs_a"].as_u64(), c["docs_b"].as_u64(), c["docs_all"].as_u64()),
        (Some(1), Some(1), Some(2))
    );
    let words = c["words"].as_array().cloned().unwrap();
    let of = |w: &str| words.iter().find(|x| x["word"] == w).map(|x| x["z"].as_f64().unwrap());
    assert!(of("key").is_some_and(|z| z > 0.0), "{words:?}");
    assert!(of("important").is_some_and(|z| z < 0.0), "{words:?}");
    assert_eq!(c["by_day"].as_array().map(Vec::len), Some(2));
    assert_eq!(c["by_day"][0]["share_a"], 1.0);
    get(&server.url("/api/v1/compare?a=CGTN")).await.problem(400);
    get(&server.url("/api/v1/compare?a=CGTN&b=x&story=0123456789abcdef")).await.problem(404);

    // The altered quote of the copy, with the word diff.
    let altered = get(&server.url("/api/v1/quotes?altered=true")).await.json();
    let altered = altered.as_array().cloned().unwrap();
    let cut = altered
        .iter()
        .find(|q| {
            q["article"] == copy.as_str()
                && q["quote"]["text"].as_str().is_some_and(|t| t.contains("no facts or evidence"))
        })
        .unwrap_or_else(|| panic!("the copy's altered quote: {altered:?}"));
    let a = &cut["altered_from"];
    assert_eq!(a["words_changed"], true);
    let dropped: Vec<&str> = a["first"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["changed"] == true)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(dropped.iter().any(|w| w.contains("specific")), "{a}");

    // Every new endpoint is in the OpenAPI document.
    let doc = get(&server.url("/api/v1/openapi.json")).await.json();
    for path in [
        "/api/v1/search",
        "/api/v1/stories",
        "/api/v1/stories/{id}",
        "/api/v1/stories/{id}/chart",
        "/api/v1/entities/{name}/chart",
        "/api/v1/compare",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing from the OpenAPI document");
    }
    for schema in ["SearchResultsDto", "StoryPage", "ComparisonDto", "AlteredDto", "StoryItem"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}
