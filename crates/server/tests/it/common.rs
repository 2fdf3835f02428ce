//! A seeded store, a server on it, and a small HTTP client.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use presswatch_server::{ServeOptions, Server};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The bundled sample corpus.
pub(crate) fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/seeds")
}

/// Where the copy of the first seed is published (the seed's own outlet is CGTN).
pub(crate) const COPY_OUTLET: &str = "wire.example";

/// The first seed, as another outlet's copy with a few words changed (one of them inside a
/// quote, which the copy so alters) and a later date, so the store has a source and its copy,
/// a story with two outlets and an altered quote.
pub(crate) fn copy_of_first_seed() -> String {
    let seed = std::fs::read_to_string(seeds_dir().join("000_f3a028baaf0c539f.txt")).expect("seed 000");
    seed.replacen(
        "date: Sat, 20 Mar 2021 03:25:03 GMT",
        &format!("date: Thu, 25 Mar 2021 10:00:00 GMT\noutlet: {COPY_OUTLET}"),
        1,
    )
    .replace("no facts or specific evidence of such claims", "no facts or evidence of such claims")
    .replace("a few key events", "a few important events")
    .replace("personally authorized", "directly authorized")
    .replace("basically have", "essentially have")
}

/// Ingests the files `inputs` into a new store at `dir`, as `presswatch ingest` does.
pub(crate) fn ingest(dir: &Path, inputs: &[PathBuf]) {
    let mut writer = presswatch_store::SqliteStore::open(dir).expect("open store");
    let lookup = presswatch_store::SqliteStore::open(dir).expect("open store");
    let listed = presswatch_app::ingest::inputs(inputs);
    let pool = presswatch_app::thread_pool(Some(2)).expect("pool");
    presswatch_app::ingest::ingest(
        &mut writer,
        &lookup,
        listed.inputs,
        presswatch_app::ingest::IngestOptions::default(),
        &pool,
        &presswatch_app::Silent,
    )
    .expect("ingest");
}

/// A store holding the five seeds and a copy of the first one.
pub(crate) fn seeded_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let extra = dir.path().join("inputs");
    std::fs::create_dir_all(&extra).expect("mkdir");
    let copy = extra.join("copy-of-000.txt");
    std::fs::write(&copy, copy_of_first_seed()).expect("write copy");
    let store = dir.path().join("store");
    ingest(&store, &[seeds_dir(), copy]);
    dir
}

/// A running server; stops when dropped.
pub(crate) struct Running {
    pub(crate) addr: SocketAddr,
    pub(crate) token: Option<String>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Running {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Serves the store at `dir/store` on 127.0.0.1:0.
pub(crate) async fn serve(dir: &Path, configure: impl FnOnce(&mut ServeOptions)) -> Running {
    let mut options = ServeOptions::new(dir.join("store"));
    options.addr = SocketAddr::from(([127, 0, 0, 1], 0));
    options.threads = Some(2);
    configure(&mut options);
    let server = Server::bind(options).await.expect("bind");
    let (addr, token) = (server.local_addr(), server.token().map(str::to_string));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async {
        let _ = rx.await;
    }));
    Running { addr, token, stop: Some(tx) }
}

/// A response: status, headers, body.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: hyper::HeaderMap,
    pub(crate) body: Bytes,
}

impl Reply {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub(crate) fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Asserts the response is a problem object with this status, and returns it.
    pub(crate) fn problem(&self, status: u16) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", String::from_utf8_lossy(&self.body));
        assert_eq!(self.header("content-type"), "application/problem+json");
        let p = self.json();
        assert_eq!(p["status"], status);
        assert!(p["title"].is_string() && p["detail"].is_string(), "{p}");
        p
    }
}

/// Sends a request (method, URL, extra headers, body).
pub(crate) async fn request(method: &str, url: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
    try_request(method, url, headers, body).await.expect("send")
}

/// [`request`], returning the client's error: a server that refuses a body by its
/// Content-Length may answer and close before the client has written it all (a broken pipe).
pub(crate) async fn try_request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<Reply, hyper_util::client::legacy::Error> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut req = hyper::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let response = client.request(req.body(Full::new(Bytes::from(body))).expect("request")).await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    Ok(Reply { status, headers, body })
}

pub(crate) async fn get(url: &str) -> Reply {
    request("GET", url, &[], Vec::new()).await
}

/// `s` percent-encoded for a URL's query or fragment (every byte but unreserved ones).
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
