//! The web UI: plain HTML, JS and CSS compiled into the binary (`include_str!`), served from a
//! fixed table, so no request names a file on disk. No build step, no Node.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The page every view is drawn in (views are URL fragments: `#/doc/ID`, ...).
const INDEX: &str = include_str!("../assets/index.html");

/// The fixed table of assets: name, media type, content.
const ASSETS: &[(&str, &str, &str)] = &[
    ("app.js", "text/javascript; charset=utf-8", include_str!("../assets/app.js")),
    ("style.css", "text/css; charset=utf-8", include_str!("../assets/style.css")),
    ("icon.svg", "image/svg+xml", include_str!("../assets/icon.svg")),
];

/// `GET /`.
pub(crate) async fn index() -> Response {
    with_type(INDEX, "text/html; charset=utf-8")
}

/// `GET /assets/{name}`.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, media, body)) => with_type(body, media),
        None => crate::problem::problem_response(StatusCode::NOT_FOUND, "no such asset"),
    }
}

fn with_type(body: &'static str, media: &'static str) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
