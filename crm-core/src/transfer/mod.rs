//! Moving records in and out in bulk, for every kind, with memory flat whatever the number
//! of records: exports ([`export`]) as CSV (one column per field, nested fields flattened
//! to dotted paths), JSON lines (the stored documents) or Parquet (the CSV columns, typed),
//! streamed from one consistent read; imports ([`import`]) of CSV or JSON lines in any
//! text encoding ([`source`]), creating or upserting records by external id, linking them
//! by natural key, with every problem reported.

pub mod export;
pub mod import;
pub(crate) mod kinds;
#[cfg(feature = "parquet")]
mod parquet;
pub mod source;

pub use export::{ExportFormat, ExportOptions, ExportReport};
pub use import::{ImportProblem, ImportRecordsOptions, ImportRecordsReport};
pub use kinds::IMPORTABLE;
pub use source::ImportFormat;
