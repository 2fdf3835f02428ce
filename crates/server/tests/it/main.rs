//! The server's tests: the API against a server on 127.0.0.1:0 (`api`), and the web UI in
//! headless Chromium driven through chromedriver (`e2e`, `xss`). The browser tests need
//! Debian's `chromium` and `chromium-driver` (the README's test command installs them); they
//! fail, never skip, when those are missing.

mod api;
mod browser;
mod common;
mod e2e;
mod xss;
