//! presswatch-ingest (placeholder)
