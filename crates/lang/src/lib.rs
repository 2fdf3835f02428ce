//! presswatch-lang (placeholder)
