//! Decompression bombs, nested compression and special files inside a walked directory: each
//! bad input is one line, the good input beside it is stored.

use super::gzip;
use crate::common::{export, presswatch, stderr, stdout};
use std::path::Path;

const GOOD: &str =
    "Ferry resumes\n\nThe island ferry resumed on Wednesday after the strike ended, the operator said.\n";

fn lines_naming<'a>(err: &'a str, name: &str) -> Vec<&'a str> {
    err.lines().filter(|l| l.starts_with("presswatch: ") && l.contains(name)).collect()
}

#[test]
fn gzip_and_zstd_bombs_are_rejected_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    // 256 MiB of one letter: text, four times the largest record allowed (64 MiB).
    let zeros = vec![b'a'; 256 << 20];
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut bomb, &zeros).unwrap();
    std::fs::write(inputs.join("bomb.txt.gz"), bomb.finish().unwrap()).unwrap();
    std::fs::write(inputs.join("bomb.txt.zst"), zstd::encode_all(&zeros[..], 3).unwrap()).unwrap();
    drop(zeros);
    std::fs::write(inputs.join("good.txt"), GOOD).unwrap();
    for bomb in ["bomb.txt.gz", "bomb.txt.zst"] {
        assert!(std::fs::metadata(inputs.join(bomb)).unwrap().len() < 1 << 20, "{bomb}: small on disk");
    }

    let store = dir.path().join("store");
    let out = presswatch(&store, &["ingest", inputs.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for bomb in ["bomb.txt.gz", "bomb.txt.zst"] {
        let lines = lines_naming(&err, bomb);
        assert_eq!(lines.len(), 1, "{bomb}: {err}");
        assert!(lines[0].contains("64 MiB"), "the line names the limit: {}", lines[0]);
    }
    assert!(stdout(&out).contains("1 documents added"), "{}", stdout(&out));
}

/// `layers` nested compression layers (gzip and zstd alternating) around `GOOD`.
fn nested(layers: usize) -> Vec<u8> {
    let mut bytes = GOOD.as_bytes().to_vec();
    for i in 0..layers {
        bytes = if i % 2 == 0 { gzip(&bytes) } else { zstd::encode_all(&bytes[..], 3).unwrap() };
    }
    bytes
}

#[test]
fn exactly_the_nesting_limit_is_accepted_and_one_more_layer_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (four, five) = (dir.path().join("four.bin"), dir.path().join("five.bin"));
    std::fs::write(&four, nested(4)).unwrap();
    std::fs::write(&five, nested(5)).unwrap();
    let store = dir.path().join("store");
    let out = presswatch(&store, &["ingest", four.to_str().unwrap(), five.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(lines_naming(&err, "four.bin").is_empty(), "4 layers are within the limit: {err}");
    let lines = lines_naming(&err, "five.bin");
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("more than 4 nested compression layers (at most 4 are unwrapped)"), "{err}");
    let records = export(&store);
    assert_eq!(records.len(), 1);
    assert!(records[0]["text"].as_str().unwrap().contains("island ferry resumed"));
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success());
}

#[test]
fn special_files_inside_a_walked_directory_each_get_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("good.txt"), GOOD).unwrap();
    mkfifo(&inputs.join("pipe"));
    let _socket = std::os::unix::net::UnixListener::bind(inputs.join("sock")).unwrap();
    std::os::unix::fs::symlink("/dev/null", inputs.join("null")).unwrap();

    let store = dir.path().join("store");
    let out = presswatch(&store, &["ingest", "--fifo-wait", "30", inputs.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for (name, kind) in [("pipe", "FIFO"), ("sock", "socket"), ("null", "character device")] {
        let lines = lines_naming(&err, &format!("in/{name}"));
        assert_eq!(lines.len(), 1, "{name}: {err}");
        assert!(lines[0].contains(kind), "{name}: {}", lines[0]);
    }
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(stdout(&out).contains("1 documents added"), "{}", stdout(&out));
}
