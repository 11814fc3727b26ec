//! `crm`: crm-core with its embedded SQLite store, in one dependency.
//!
//! This root package exists so that the examples and benchmarks run from the repository
//! root; applications usually depend on `crm-core` and `crm-sqlite` directly.
pub use crm_core as core;
pub use crm_core::*;
pub use crm_sqlite as sqlite;
pub use crm_sqlite::SqliteStore;
