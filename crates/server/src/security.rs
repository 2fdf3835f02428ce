//! What keeps the server safe to run beside a browser: the write token, the response headers
//! (a strict Content-Security-Policy), the Host check against DNS rebinding, and names taken
//! from requests.

use crate::problem::{problem_response, ApiError};
use crate::state::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy of every response: scripts, styles and requests only from the
/// server itself (no inline script or style, no `eval`), nothing framed, no plugins, no
/// remote images (a scraped image URL is shown as text, never fetched), and Trusted Types
/// required, so even a bug that assigned scraped text to `innerHTML` would throw instead of
/// running it.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'; object-src 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

/// Security headers on every response.
pub(crate) async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// On a loopback address, only requests naming a loopback host are answered: a web page whose
/// name was rebound to 127.0.0.1 (DNS rebinding) sends its own host name and is refused, so it
/// cannot read the store through the victim's browser.
pub(crate) async fn loopback_host(request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !is_loopback_host(host) {
        return problem_response(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only requests for localhost (it is bound to a loopback address)",
        );
    }
    next.run(request).await
}

/// Whether a Host header names a loopback host (any port).
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Refuses a write unless the server takes writes and the request carries its token
/// (`Authorization: Bearer TOKEN`), compared in constant time.
pub(crate) fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.token else {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "this server is read-only (--read-only)"));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !constant_time_eq(given.as_bytes(), token.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "writes need the token the server printed at start (Authorization: Bearer TOKEN)",
        ));
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A fresh random token (128 bits, hex) for a server that takes writes.
pub fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The source name of an upload: a plain file name. Anything that could name another place
/// (a directory part, `..`, a drive, a control character) is refused, not cleaned, so what is
/// stored is what the client sent. The name is never used as a path: the bytes are read from
/// the request, stored under `upload:NAME`.
pub(crate) fn upload_name(name: &str) -> Result<String, ApiError> {
    let bad = name.is_empty()
        || name.chars().count() > 255
        || name == "."
        || name == ".."
        || name.contains(['/', '\\', ':', '\0'])
        || name.chars().any(char::is_control);
    if bad {
        return Err(ApiError::bad_request(
            "name is a plain file name (no directories, no '..', no ':' or control characters, at most 255 characters)",
        ));
    }
    Ok(format!("upload:{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for ok in ["localhost", "localhost:8080", "127.0.0.1:1", "127.3.4.5", "[::1]:80", "LOCALHOST:9"] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in ["", "evil.example:8080", "192.168.1.1", "localhost.evil.example", "[::2]:80"] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn upload_names() {
        assert_eq!(upload_name("a.html").unwrap(), "upload:a.html");
        for bad in ["", "..", "../etc/passwd", "a/b", "a\\b", "C:x", "a\nb", "a\0"] {
            assert!(upload_name(bad).is_err(), "{bad:?}");
        }
    }
}
