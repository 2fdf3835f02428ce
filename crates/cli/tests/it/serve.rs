//! `presswatch serve`: the binary prints where it listens and serves the store (the server's
//! own tests, in crates/server, cover the API and the UI).

use crate::common::seeded;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

/// A GET over a plain socket: status line and body.
fn get(addr: &str, path: &str) -> (String, String) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").expect("send");
    let mut reply = String::new();
    s.read_to_string(&mut reply).expect("read");
    let status = reply.lines().next().unwrap_or("").to_string();
    let body = reply.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

#[test]
fn serve_read_only_prints_its_address_and_serves_the_store() {
    let (_dir, store) = seeded();
    let mut child = Command::new(env!("CARGO_BIN_EXE_presswatch"))
        .args([
            "--store",
            store.to_str().expect("utf-8 path"),
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--read-only",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start presswatch serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(line.contains("read-only"), "{line}");
    let (status, body) = get(&addr, "/api/v1/stats");
    let _ = child.kill();
    let _ = child.wait();
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("\"documents\":5"), "{body}");
}
