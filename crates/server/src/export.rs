//! The export, streamed: a blocking task walks the store (the app's `export_or_damage`, as
//! `presswatch export` does) and sends the encoded rows in chunks through a small bounded
//! channel; the response body reads the channel. Memory stays at a few chunks whatever the
//! store's size, and a client that goes away stops the walk.

use crate::api::ExportFormat;
use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use presswatch_app::export::{csv_row, spreadsheet_safe, CSV_HEADER};
use presswatch_store::{AnyStore, StoreError};
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 64 * 1024;
/// Chunks in flight: the most the server holds of one export.
const IN_FLIGHT: usize = 4;

/// Writes into the channel a chunk at a time.
struct ChunkWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl ChunkWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The export response: headers now, rows as they are read.
pub(crate) fn stream(store: Arc<AnyStore>, format: ExportFormat) -> Response {
    let (tx, mut rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        let error_tx = tx.clone();
        let mut out = ChunkWriter { buf: Vec::with_capacity(CHUNK), tx };
        if let Err(e) = write_all(&store, format, &mut out) {
            tracing::error!(error = %e, "export stopped");
            // The body ends with an error, so the client sees a broken transfer, not a short file.
            let _ = error_tx.blocking_send(Err(std::io::Error::other("the export stopped")));
        }
    });
    let body = Body::from_stream(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)));
    let (media, file) = match format {
        ExportFormat::Jsonl => ("application/x-ndjson; charset=utf-8", "presswatch-export.jsonl"),
        ExportFormat::Csv => ("text/csv; charset=utf-8", "presswatch-export.csv"),
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

fn write_all(store: &AnyStore, format: ExportFormat, out: &mut ChunkWriter) -> Result<(), StoreError> {
    let callback = |e: std::io::Error| StoreError::Callback(Box::new(e));
    let mut damaged = 0u64;
    match format {
        ExportFormat::Jsonl => {
            presswatch_app::read::export_or_damage(store, &mut |row| {
                let Ok(view) = row.map_err(|_| damaged += 1) else { return Ok(()) };
                serde_json::to_writer(&mut *out, &view).map_err(|e| callback(e.into()))?;
                out.write_all(b"\n").map_err(callback)
            })?;
        }
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut *out);
            csv.write_record(CSV_HEADER).map_err(|e| callback(e.into()))?;
            presswatch_app::read::export_or_damage(store, &mut |row| {
                let Ok(view) = row.map_err(|_| damaged += 1) else { return Ok(()) };
                let cells = csv_row(&view);
                csv.write_record(cells.iter().map(|c| spreadsheet_safe(c).into_owned()))
                    .map_err(|e| callback(e.into()))
            })?;
            csv.flush().map_err(callback)?;
        }
    }
    if damaged > 0 {
        tracing::warn!(damaged, "export left out damaged rows; `presswatch check` says which");
    }
    out.flush().map_err(callback)
}
