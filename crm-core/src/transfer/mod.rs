//! Moving records in and out in bulk, for every kind: exports as CSV (one column per
//! field, nested fields flattened to dotted paths), JSON lines (the stored documents) or
//! Parquet (the CSV columns, typed), streamed from one consistent read so that memory stays flat whatever the number of
//! records.

pub mod export;
#[cfg(feature = "parquet")]
mod parquet;

pub use export::{ExportFormat, ExportOptions, ExportReport};
