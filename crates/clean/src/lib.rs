//! presswatch-clean (placeholder)
