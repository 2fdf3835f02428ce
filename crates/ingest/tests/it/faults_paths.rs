//! Issue 17, edges: special files are never opened, and the compression nesting limit counts
//! right and says what it is.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use presswatch_ingest::{documents, expand_paths, open_input, Limits, RejectReason};
use presswatch_testkit::gzip;

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn wrapped(layers: usize) -> Vec<u8> {
    let mut bytes = b"Plain text article body.\n".to_vec();
    for i in 0..layers {
        bytes = if i % 2 == 0 { gzip(&bytes) } else { zstd::encode_all(&bytes[..], 3).unwrap() };
    }
    bytes
}

#[test]
fn explicit_fifo_without_writer_is_refused_after_a_bounded_wait() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    // Named explicitly, it is an input (process substitution passes one), but opening it must
    // not block forever when nobody writes.
    let got = expand_paths(std::slice::from_ref(&fifo));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].as_ref().unwrap(), &fifo);
    let started = std::time::Instant::now();
    let err = open_input(&fifo, std::time::Duration::from_millis(200)).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(err.source, fifo.display().to_string());
    assert!(matches!(err.reason, RejectReason::NoWriter { .. }), "{err}");
    assert!(err.to_string().contains("no writer"), "{err}");
}

#[test]
fn explicit_fifo_with_a_writer_is_read() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut w = std::fs::OpenOptions::new().write(true).open(writer_path).unwrap();
        w.write_all(b"Title\n\nA body sent through a named pipe.").unwrap();
    });
    let mut file = open_input(&fifo, std::time::Duration::from_secs(10)).unwrap();
    let mut got = String::new();
    file.read_to_string(&mut got).unwrap();
    writer.join().unwrap();
    assert_eq!(got, "Title\n\nA body sent through a named pipe.");
}

#[test]
fn special_files_in_a_directory_each_get_a_rejection() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.txt"), "x").unwrap();
    mkfifo(&root.join("b.fifo"));
    let sock = root.join("c.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let got = expand_paths(&[root.to_path_buf()]);
    let oks: Vec<PathBuf> = got.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
    assert_eq!(oks, vec![root.join("a.txt")]);
    let bad: Vec<_> = got.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert_eq!(bad[0].source, root.join("b.fifo").display().to_string());
    assert!(bad[0].to_string().contains("FIFO"), "{}", bad[0]);
    assert_eq!(bad[1].source, sock.display().to_string());
    assert!(bad[1].to_string().contains("socket"), "{}", bad[1]);
}

#[test]
fn explicit_device_is_refused() {
    let got = expand_paths(&[PathBuf::from("/dev/null")]);
    let err = got[0].as_ref().unwrap_err();
    assert!(err.to_string().contains("character device"), "{err}");
}

#[test]
fn compression_layer_limit_counts_right_and_names_itself() {
    for layers in 1..=4 {
        let docs: Vec<_> = documents("nested", &wrapped(layers)[..], Limits::default()).collect();
        assert_eq!(docs.len(), 1);
        let d = docs[0].as_ref().unwrap_or_else(|e| panic!("{layers} layers: {e}"));
        assert_eq!(d.body, "Plain text article body.\n");
    }
    let docs: Vec<_> = documents("nested", &wrapped(5)[..], Limits::default()).collect();
    assert_eq!(docs.len(), 1);
    let err = docs[0].as_ref().unwrap_err();
    assert_eq!(err.reason, RejectReason::TooManyLayers { limit: 4 });
    let msg = err.to_string();
    assert!(msg.contains("more than 4") && msg.contains("at most 4"), "{msg}");
    assert!(!msg.contains("truncated or damaged"), "{msg}");
}
