//! # crm-stores
//!
//! One store type for hosts that choose their database at run time — the bindings, a
//! server configured by a URL: [`AnyStore::open`] opens a SQLite file for a path and a
//! PostgreSQL database for a `postgres://` or `postgresql://` URL. Every use case runs
//! the same on either (`Crm<AnyStore>`).
//!
//! ```
//! use crm_core::{Crm, Region};
//! use crm_stores::AnyStore;
//! // a file's path, "postgresql://crm@db/crm", or SQLite's ":memory:"
//! let store = AnyStore::open(":memory:")?;
//! let crm = Crm::new(store, Region::parse("US")?);
//! assert!(crm.all_leads()?.is_empty());
//! # Ok::<(), crm_core::Error>(())
//! ```
#![deny(missing_docs)]

use std::time::Duration;

use crm_core::Result;
use crm_core::store::{ReadTx, Store, WriteTx};
use crm_postgres::PgStore;
use crm_sqlite::SqliteStore;

/// A SQLite or a PostgreSQL store.
// Held once per CRM (inside its shared state): the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum AnyStore {
    /// One SQLite file (or memory).
    Sqlite(SqliteStore),
    /// A PostgreSQL database shared by several processes.
    Postgres(PgStore),
}

/// How a store opens, per kind of store.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// For a SQLite file.
    pub sqlite: crm_sqlite::OpenOptions,
    /// For a PostgreSQL database.
    pub postgres: crm_postgres::OpenOptions,
}

impl OpenOptions {
    /// Options whose writes wait up to `timeout` for another writer (SQLite's busy
    /// timeout; PostgreSQL's wait for the writers' turn and for a connection).
    pub fn waiting(timeout: Duration) -> Self {
        let mut options = OpenOptions::default();
        options.sqlite.busy_timeout = timeout;
        options.postgres.write_timeout = timeout;
        options
    }
}

/// Whether `location` names a PostgreSQL database (`postgres://…`, `postgresql://…`).
pub fn is_postgres_url(location: &str) -> bool {
    let lower = location.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

impl AnyStore {
    /// Opens the store at `location`: a PostgreSQL URL, or else the path of a SQLite
    /// file (made when missing; `:memory:` for one in memory).
    ///
    /// # Errors
    /// As [`SqliteStore::open`] or [`PgStore::open`].
    pub fn open(location: &str) -> Result<Self> {
        Self::open_with(location, &OpenOptions::default())
    }

    /// [`Self::open`] with options.
    ///
    /// # Errors
    /// As [`Self::open`].
    pub fn open_with(location: &str, options: &OpenOptions) -> Result<Self> {
        if is_postgres_url(location) {
            Ok(AnyStore::Postgres(PgStore::open_with(
                location.trim(),
                &options.postgres,
            )?))
        } else {
            Ok(AnyStore::Sqlite(SqliteStore::open_with(
                location,
                &options.sqlite,
            )?))
        }
    }

    /// A SQLite store in memory (for tests and previews).
    ///
    /// # Errors
    /// [`crm_core::Error::Storage`] when SQLite cannot start.
    pub fn in_memory() -> Result<Self> {
        Ok(AnyStore::Sqlite(SqliteStore::open_in_memory()?))
    }
}

impl Store for AnyStore {
    fn read<R>(&self, f: impl FnOnce(&dyn ReadTx) -> Result<R>) -> Result<R> {
        match self {
            AnyStore::Sqlite(s) => s.read(f),
            AnyStore::Postgres(s) => s.read(f),
        }
    }

    fn write<R>(&self, f: impl FnOnce(&mut dyn WriteTx) -> Result<R>) -> Result<R> {
        match self {
            AnyStore::Sqlite(s) => s.write(f),
            AnyStore::Postgres(s) => s.write(f),
        }
    }

    fn purge(&self) -> Result<()> {
        match self {
            AnyStore::Sqlite(s) => s.purge(),
            AnyStore::Postgres(s) => s.purge(),
        }
    }

    fn bulk<R>(&self, f: impl FnOnce() -> Result<R>) -> Result<R> {
        match self {
            AnyStore::Sqlite(s) => s.bulk(f),
            AnyStore::Postgres(s) => s.bulk(f),
        }
    }

    fn wait_for_events(&self, after_sequence: u64, timeout: Duration) -> Result<u64> {
        match self {
            AnyStore::Sqlite(s) => s.wait_for_events(after_sequence, timeout),
            AnyStore::Postgres(s) => s.wait_for_events(after_sequence, timeout),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_postgres_and_paths_sqlite() {
        assert!(is_postgres_url("postgresql://crm@db/crm"));
        assert!(is_postgres_url("  POSTGRES://crm@db/crm"));
        assert!(!is_postgres_url("/var/lib/crm/crm.db"));
        assert!(!is_postgres_url("postgresql.db"));
        assert!(matches!(
            AnyStore::open(":memory:").unwrap(),
            AnyStore::Sqlite(_)
        ));
        // a URL is never taken for a file name: a bad one is an error, not a new file
        let e = AnyStore::open("postgresql://crm:pw@db:notaport/crm").unwrap_err();
        assert_eq!(e.kind(), crm_core::ErrorKind::InvalidValue);
    }
}
