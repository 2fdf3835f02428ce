//! presswatch-store (placeholder)
