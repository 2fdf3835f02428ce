//! presswatch over HTTP: a JSON API under `/api/v1` (OpenAPI 3 at `/api/v1/openapi.json`,
//! generated from the handlers' types) and a web UI embedded in the binary, both reading the
//! store through `presswatch-app`, the service layer the CLI calls.
//!
//! Not here: what any answer means (the app and the stages decide), argument parsing (the CLI's
//! `presswatch serve`), TLS (bind to loopback, or put a proxy in front).
//!
//! ```no_run
//! # async fn run() -> Result<(), presswatch_server::ServerError> {
//! let options = presswatch_server::ServeOptions::new("presswatch-data".into());
//! let server = presswatch_server::Server::bind(options).await?;
//! println!("http://{}/ token {:?}", server.local_addr(), server.token());
//! server.run(std::future::pending()).await
//! # }
//! ```
//!
//! Safety by construction: scraped text reaches the page only as text nodes (the UI never
//! parses strings as HTML; Trusted Types enforce it), a strict Content-Security-Policy, a
//! loopback bind by default with Host checking, writes behind a bearer token and refused when
//! read-only, request size, time and concurrency limits, errors as RFC 9457 problem objects.

mod api;
mod assets;
pub mod dto;
mod export;
mod problem;
mod security;
mod state;
mod views;
mod write;

pub use api::ApiDoc;
pub use problem::Problem;
pub use security::{random_token, CSP};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use presswatch_store::{AnyStore, StoreError};
use state::AppState;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The store directory.
    pub store: PathBuf,
    /// Where to listen (default 127.0.0.1:8080; port 0 picks a free one).
    pub addr: SocketAddr,
    /// Refuse every write (upload, reprocess) and open the store read-only.
    pub read_only: bool,
    /// The token writes need; a random one when `None` (and not read-only).
    pub token: Option<String>,
    /// Worker threads for the pipeline during writes (`None`: one per core).
    pub threads: Option<usize>,
    /// Request limits.
    pub limits: Limits,
}

impl ServeOptions {
    /// The defaults for the store at `store`.
    pub fn new(store: PathBuf) -> Self {
        ServeOptions {
            store,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            read_only: false,
            token: None,
            threads: None,
            limits: Limits::default(),
        }
    }
}

/// Request limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest request body besides an upload, in bytes.
    pub max_body_bytes: usize,
    /// The largest upload, in bytes.
    pub max_upload_bytes: usize,
    /// How long a request may take before its response starts (an export's body then streams
    /// on; a write holds its request for as long as it runs, so writes get `write_timeout`).
    pub request_timeout: Duration,
    /// How long an upload or reprocess may take.
    pub write_timeout: Duration,
    /// Requests handled at once; more wait (within the timeout).
    pub max_concurrent: usize,
    /// Read handles on the store (reads run in parallel up to this many).
    pub readers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 64 * 1024,
            max_upload_bytes: 64 << 20,
            request_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(3600),
            max_concurrent: 64,
            readers: 4,
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store could not be opened.
    #[error("cannot open the store at {path}: {source}")]
    Store {
        /// The store directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: StoreError,
    },
    /// A read-only server needs an existing store.
    #[error("no store at {0} (ingest something first, or point --store at an existing store)")]
    NoStore(PathBuf),
    /// The address could not be bound, or serving failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// No random token could be made.
    #[error("cannot make a random token: {0}")]
    Random(getrandom::Error),
}

/// A bound server, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
    addr: SocketAddr,
    token: Option<String>,
}

impl Server {
    /// Opens the store and binds the address. A server that takes writes creates the store if
    /// there is none; a read-only one needs an existing store and opens it read-only.
    pub async fn bind(options: ServeOptions) -> Result<Server, ServerError> {
        let dir = options.store.clone();
        let store_error = |source| ServerError::Store { path: AnyStore::display(&dir).into(), source };
        if options.read_only {
            if !AnyStore::is_postgres(&dir) && !dir.join(presswatch_store::DATABASE_FILE).is_file() {
                return Err(ServerError::NoStore(dir));
            }
        } else {
            // Creates and migrates it, so the read handles below find the current schema.
            drop(AnyStore::open(&dir).map_err(store_error)?);
        }
        let readers = (0..options.limits.readers.max(1))
            .map(|_| AnyStore::open_read_only(&dir))
            .collect::<Result<Vec<_>, _>>()
            .map_err(store_error)?;
        let token = match (options.read_only, options.token) {
            (true, _) => None,
            (false, Some(t)) if !t.is_empty() => Some(t),
            (false, _) => Some(random_token().map_err(ServerError::Random)?),
        };
        let state = Arc::new(AppState::new(
            readers,
            dir,
            token.clone(),
            options.threads,
            options.limits.max_upload_bytes,
        ));
        let io = |source| ServerError::Io { addr: options.addr, source };
        let listener = tokio::net::TcpListener::bind(options.addr).await.map_err(io)?;
        let addr = listener.local_addr().map_err(io)?;
        if !addr.ip().is_loopback() {
            tracing::warn!(%addr, "serving on a non-loopback address: anyone who can reach it can read the store");
        }
        let router = router(state, options.limits, addr.ip().is_loopback());
        Ok(Server { listener, router, addr, token })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The token writes need (`None`: read-only).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), ServerError> {
        let addr = self.addr;
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|source| ServerError::Io { addr, source })
    }
}

/// The whole application: API, UI, and the layers around them.
fn router(state: Arc<AppState>, limits: Limits, loopback: bool) -> Router {
    let (read_timeout, write_timeout) = (limits.request_timeout, limits.write_timeout);
    let reads = api::routes().merge(views::routes()).route_layer(middleware::from_fn(
        move |req: Request, next: Next| timeout(req, next, read_timeout, write_timeout),
    ));
    let mut app = Router::new()
        .nest("/api/v1", reads)
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .fallback(not_found)
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limits.max_upload_bytes))
        .layer(tower::limit::ConcurrencyLimitLayer::new(limits.max_concurrent.max(1)));
    if loopback {
        app = app.layer(middleware::from_fn(security::loopback_host));
    }
    app.layer(middleware::from_fn(security::headers))
}

/// Ends a request that takes too long with a problem (503), writes after `write_timeout`, the
/// rest after `read_timeout` (until the response starts: an export streams on).
async fn timeout(request: Request, next: Next, read_timeout: Duration, write_timeout: Duration) -> Response {
    let limit = if request.method() == axum::http::Method::POST { write_timeout } else { read_timeout };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => problem::problem_response(StatusCode::SERVICE_UNAVAILABLE, "the request took too long"),
    }
}

async fn not_found() -> Response {
    problem::problem_response(StatusCode::NOT_FOUND, "nothing here")
}
