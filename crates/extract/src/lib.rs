//! presswatch-extract (placeholder)
