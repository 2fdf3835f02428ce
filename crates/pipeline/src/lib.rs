//! presswatch-pipeline (placeholder)
