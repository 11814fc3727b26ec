//! # crm-sqlite
//!
//! The embedded default store of crm-core: one SQLite file (the bundled SQLite, so nothing
//! has to be installed), in WAL mode, with versioned schema migrations.
//!
//! Each kind of record is a table `rec_<kind>` of `(id, version, k0…k5, data)`: the JSON
//! document, its optimistic-concurrency version and its index keys, each key column with a
//! partial index. Events go to an `events` table whose `sequence` is the log position.
//! Every statement is prepared once and cached, and every value is bound as a parameter:
//! table and column names come from constants, never from data.
//!
//! Write transactions are `BEGIN IMMEDIATE`, so writers on one file — threads with their
//! own `SqliteStore` or other processes — are serialised by SQLite; a writer that read a
//! record before another writer changed it gets [`crm_core::Error::Conflict`], never a lost
//! update.
//!
//! ```
//! use crm_core::{Crm, LeadField, LeadInput, Region};
//! use crm_sqlite::SqliteStore;
//! # let dir = tempfile::tempdir()?;
//! # let path = dir.path().join("crm.db");
//! let crm = Crm::new(SqliteStore::open(&path)?, Region::parse("US")?);
//! let now = chrono::Utc::now();
//! let input = LeadInput::new().with(LeadField::LastName, "Hopper").with(LeadField::Email, "grace@navy.example.com");
//! let id = crm.capture_lead(&input, now)?.lead.id;
//! drop(crm);
//! let reopened = Crm::new(SqliteStore::open(&path)?, Region::parse("US")?);
//! assert_eq!(reopened.lead(id)?.data.last_name.as_deref(), Some("Hopper"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod schema;
mod search;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crm_core::event::{EventEnvelope, NewEvent, StoredEvent};
use crm_core::store::{
    EntityKind, IndexKeys, KEY_SLOTS, RawRecord, ReadTx, Store, WriteTx, check_slot,
};
use crm_core::{Error, Result};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use schema::KindSql;

/// A SQLite failure as crm-core's storage error: SQLite's result code kept,
/// and busy or locked databases marked retryable (another connection holds the write
/// lock past the busy timeout) so that a host can tell them from a full disk or a
/// corrupt file.
fn db_err(e: rusqlite::Error) -> Error {
    let code = e.sqlite_error_code();
    let retryable = matches!(
        code,
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    );
    let store_code = match &e {
        rusqlite::Error::SqliteFailure(f, _) => Some(sqlite_code_name(f.extended_code)),
        _ => None,
    };
    Error::Storage {
        message: e.to_string(),
        store_code,
        retryable,
    }
}

/// SQLite's name for a result code (`SQLITE_BUSY`), from its primary code.
fn sqlite_code_name(extended: std::ffi::c_int) -> String {
    let name = match extended & 0xff {
        5 => "SQLITE_BUSY",
        6 => "SQLITE_LOCKED",
        7 => "SQLITE_NOMEM",
        8 => "SQLITE_READONLY",
        10 => "SQLITE_IOERR",
        11 => "SQLITE_CORRUPT",
        13 => "SQLITE_FULL",
        14 => "SQLITE_CANTOPEN",
        19 => "SQLITE_CONSTRAINT",
        26 => "SQLITE_NOTADB",
        other => return format!("SQLITE_ERROR({other})"),
    };
    name.to_string()
}

/// A crm-core store in one SQLite file.
///
/// One connection writes; a small pool of read-only connections
/// ([`OpenOptions::readers`]) reads beside it (WAL lets a read run while a write is open,
/// each read seeing the last commit before it began), so the reads of a multi-threaded
/// host do not queue behind one connection. A store in memory has the one connection.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    /// Where the next read looks for a free reader first.
    next_reader: std::sync::atomic::AtomicUsize,
    sql: Vec<KindSql>,
    path: Option<PathBuf>,
    /// The page cache in MiB: normally, and during [`Store::bulk`].
    cache_mib: (u32, u32),
    /// Raised when a write of this store that appended events commits.
    events: crm_core::store::EventSignal,
}

/// Sets the connection's page cache to `mib` MiB (a negative `cache_size` is KiB).
fn set_cache(conn: &Connection, mib: u32) -> Result<()> {
    conn.pragma_update(None, "cache_size", -(i64::from(mib) * 1024))
        .map_err(db_err)
}

/// How a store opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOptions {
    /// How long a write waits for another connection's write lock before it fails with a
    /// retryable storage error (`SQLITE_BUSY`). Default 30 s; an app on a phone's main
    /// thread wants far less.
    pub busy_timeout: Duration,
    /// The page cache in MiB. Default 64: record tables carry six indexes each, and
    /// keeping them in memory is what makes writes and scans fast; SQLite allocates it as
    /// pages are read, so a small database never uses it all.
    pub cache_mib: u32,
    /// The page cache in MiB while a bulk write runs ([`Store::bulk`]: an import). Default
    /// 256: a batch of 20 000 rows dirties a page of every index leaf of a 1M-record
    /// table, and a cache that holds them writes each page once per batch instead of
    /// spilling it to the log again and again (measured: twice as fast at 1M rows,
    /// `benches/RESULTS.md`). The cache shrinks back to [`Self::cache_mib`] when it ends.
    pub bulk_cache_mib: u32,
    /// How many read-only connections read beside the writing one (a file only). Default
    /// 4; 0 reads on the writing connection, one read or write at a time.
    pub readers: usize,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            busy_timeout: Duration::from_secs(30),
            cache_mib: 64,
            bulk_cache_mib: 256,
            readers: 4,
        }
    }
}

impl SqliteStore {
    /// Opens (or creates) the store at `path` and brings its schema up to date.
    ///
    /// # Errors
    /// [`Error::Storage`] when the file cannot be opened or is not a database;
    /// [`Error::UnsupportedVersion`] when it was written by a newer crm-sqlite.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, &OpenOptions::default())
    }

    /// [`Self::open`] with options (the busy timeout).
    ///
    /// # Errors
    /// As [`Self::open`].
    pub fn open_with(path: impl AsRef<Path>, options: &OpenOptions) -> Result<Self> {
        // SQLite's own name for a database in memory, as every SQLite binding accepts it
        if path.as_ref() == Path::new(":memory:") {
            let conn = Connection::open_in_memory().map_err(db_err)?;
            return Self::setup(conn, None, options);
        }
        let conn = Connection::open(path.as_ref()).map_err(db_err)?;
        Self::setup(conn, Some(path.as_ref().to_path_buf()), options)
    }

    /// A store in memory (for tests and previews); gone when dropped.
    ///
    /// # Errors
    /// [`Error::Storage`] when SQLite cannot start.
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(db_err)?;
        Self::setup(conn, None, &OpenOptions::default())
    }

    /// Sets a connection up as every connection of the store is.
    fn configure(conn: &Connection, file: bool, options: &OpenOptions) -> Result<()> {
        conn.busy_timeout(options.busy_timeout).map_err(db_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_err)?;
        // Deleted and overwritten content is zeroed in the file, not left in free space: an
        // erased person's data must not be recoverable from it (crm_core::privacy).
        conn.pragma_update(None, "secure_delete", "ON")
            .map_err(db_err)?;
        set_cache(conn, options.cache_mib)?;
        // Reads through a memory map of up to 1 GiB of the file (64-bit targets): a scan
        // copies rows out of the OS page cache instead of through a read call per page, which
        // is half the cost of reading a listing (SQLite's own `mmap_size` pragma; the OS
        // evicts as it needs).
        if file && cfg!(target_pointer_width = "64") {
            conn.pragma_update(None, "mmap_size", 1_i64 << 30)
                .map_err(db_err)?;
        }
        conn.set_prepared_statement_cache_capacity(256);
        Ok(())
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>, options: &OpenOptions) -> Result<Self> {
        conn.busy_timeout(options.busy_timeout).map_err(db_err)?;
        if path.is_some() {
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(db_err)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::storage(format!(
                    "could not enable WAL (journal mode {mode})"
                )));
            }
        }
        Self::configure(&conn, path.is_some(), options)?;
        schema::migrate(&mut conn)?;
        // the readers, opened once the schema is in place
        let mut readers = Vec::new();
        if let Some(p) = &path {
            for _ in 0..options.readers {
                let reader = Connection::open(p).map_err(db_err)?;
                Self::configure(&reader, true, options)?;
                reader
                    .pragma_update(None, "query_only", "ON")
                    .map_err(db_err)?;
                readers.push(Mutex::new(reader));
            }
        }
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            readers,
            next_reader: std::sync::atomic::AtomicUsize::new(0),
            sql: EntityKind::ALL.iter().map(|k| KindSql::new(*k)).collect(),
            path,
            cache_mib: (options.cache_mib, options.bulk_cache_mib),
            events: crm_core::store::EventSignal::new(),
        })
    }

    /// A connection to read on: a free reader (the one after the last taken first), else
    /// the next one as soon as it is free; the writing connection when there are none.
    fn reader(&self) -> std::sync::MutexGuard<'_, Connection> {
        let n = self.readers.len();
        if n == 0 {
            return self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        }
        let start = self
            .next_reader
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for i in 0..n {
            match self.readers[(start + i) % n].try_lock() {
                Ok(guard) => return guard,
                Err(std::sync::TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => {}
            }
        }
        self.readers[start % n]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The file behind the store (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version of the open database.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn schema_version(&self) -> Result<u32> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db_err)
    }
}

struct SqliteTx<'a> {
    r: SqliteReader<'a>,
    /// Next id per kind, read once per transaction and written back at commit.
    next_ids: HashMap<EntityKind, u64>,
    /// Whether the transaction appended events.
    appended: bool,
}

impl SqliteTx<'_> {
    fn sql(&self, kind: EntityKind) -> &KindSql {
        &self.r.sql[kind as usize]
    }

    fn current_version(&self, kind: EntityKind, id: u64) -> Result<u64> {
        let v: Option<i64> = self
            .r
            .tx
            .prepare_cached(&self.sql(kind).version)
            .and_then(|mut st| st.query_row(params![to_i64(id)?], |r| r.get(0)).optional())
            .map_err(db_err)?;
        Ok(v.map_or(0, from_i64))
    }

    fn conflict(&self, kind: EntityKind, id: u64, expected: u64) -> Result<Error> {
        Ok(Error::Conflict {
            kind: kind.as_str().into(),
            id,
            expected,
            actual: self.current_version(kind, id)?,
        })
    }

    fn flush_sequences(&self) -> Result<()> {
        for (kind, next) in &self.next_ids {
            self.r
                .tx
                .prepare_cached(schema::SET_SEQUENCE)
                .and_then(|mut st| st.execute(params![kind.as_str(), to_i64(*next)?]))
                .map_err(db_err)?;
        }
        Ok(())
    }
}

fn to_i64(v: u64) -> rusqlite::Result<i64> {
    i64::try_from(v).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn from_i64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Read operations shared by read and write transactions.
struct SqliteReader<'a> {
    tx: &'a Connection,
    sql: &'a [KindSql],
}

impl SqliteReader<'_> {
    fn events(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<EventEnvelope>> {
        let mut st = self.tx.prepare_cached(sql).map_err(db_err)?;
        let rows = st
            .query_map(params, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })
            .map_err(db_err)?;
        let mut out = Vec::new();
        for row in rows {
            let (sequence, aggregate, aggregate_id, event_type, event_version, payload, at, actor) =
                row.map_err(db_err)?;
            out.push(
                StoredEvent {
                    sequence: from_i64(sequence),
                    aggregate: &aggregate,
                    aggregate_id: from_i64(aggregate_id),
                    event_type: &event_type,
                    event_version,
                    payload: &payload,
                    at: &at,
                    actor: &actor,
                }
                .decode()?,
            );
        }
        Ok(out)
    }

    fn scan(
        &self,
        sql: &str,
        after_id: u64,
        limit: usize,
        archived: bool,
    ) -> Result<Vec<RawRecord>> {
        let after = i64::try_from(after_id).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut st = self.tx.prepare_cached(sql).map_err(db_err)?;
        let rows = st
            .query_map(params![after, limit], |r| {
                Ok(RawRecord {
                    id: from_i64(r.get(0)?),
                    version: from_i64(r.get(1)?),
                    data: r.get(2)?,
                    archived,
                })
            })
            .map_err(db_err)?;
        rows.map(|r| r.map_err(db_err)).collect()
    }
}

impl ReadTx for SqliteReader<'_> {
    fn search_text(
        &self,
        query: &crm_core::search::TextQuery,
    ) -> Result<Vec<crm_core::search::TextHit>> {
        search::query(self.tx, query)
    }
    fn get_raw(&self, kind: EntityKind, id: u64) -> Result<Option<RawRecord>> {
        let Ok(id_i) = i64::try_from(id) else {
            return Ok(None);
        };
        self.tx
            .prepare_cached(&self.sql[kind as usize].get)
            .and_then(|mut st| {
                st.query_row(params![id_i], |r| {
                    Ok(RawRecord {
                        id,
                        version: from_i64(r.get(0)?),
                        data: r.get(1)?,
                        archived: r.get(2)?,
                    })
                })
                .optional()
            })
            .map_err(db_err)
    }

    fn find_ids(&self, kind: EntityKind, slot: usize, value: &str) -> Result<Vec<u64>> {
        check_slot(slot)?;
        let mut st = self
            .tx
            .prepare_cached(&self.sql[kind as usize].find[slot])
            .map_err(db_err)?;
        let rows = st
            .query_map(params![value], |r| r.get::<_, i64>(0))
            .map_err(db_err)?;
        let mut ids = rows
            .map(|r| r.map(from_i64).map_err(db_err))
            .collect::<Result<Vec<u64>>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    fn find_ids_after(
        &self,
        kind: EntityKind,
        slot: usize,
        value: &str,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        check_slot(slot)?;
        let after = i64::try_from(after_id).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut st = self
            .tx
            .prepare_cached(&self.sql[kind as usize].find_after[slot])
            .map_err(db_err)?;
        let rows = st
            .query_map(params![value, after, limit], |r| r.get::<_, i64>(0))
            .map_err(db_err)?;
        rows.map(|r| r.map(from_i64).map_err(db_err)).collect()
    }

    fn scan_raw(&self, kind: EntityKind, after_id: u64, limit: usize) -> Result<Vec<RawRecord>> {
        self.scan(&self.sql[kind as usize].scan, after_id, limit, false)
    }

    fn scan_archived(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<RawRecord>> {
        self.scan(
            &self.sql[kind as usize].scan_archived,
            after_id,
            limit,
            true,
        )
    }

    fn visit_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        let after = i64::try_from(after_id).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut st = self
            .tx
            .prepare_cached(&self.sql[kind as usize].scan)
            .map_err(db_err)?;
        let mut rows = st.query(params![after, limit]).map_err(db_err)?;
        let mut visited = 0;
        while let Some(row) = rows.next().map_err(db_err)? {
            let id = from_i64(row.get(0).map_err(db_err)?);
            let version = from_i64(row.get(1).map_err(db_err)?);
            // The document is read in place from SQLite's buffer, not copied.
            let data = row
                .get_ref(2)
                .and_then(|v| v.as_str().map_err(Into::into))
                .map_err(db_err)?;
            f(id, version, data)?;
            visited += 1;
        }
        Ok(visited)
    }

    fn last_event_sequence(&self) -> Result<u64> {
        let mut st = self.tx.prepare_cached(schema::LAST_EVENT).map_err(db_err)?;
        let last: i64 = st.query_row([], |r| r.get(0)).map_err(db_err)?;
        Ok(from_i64(last))
    }

    fn events_since(&self, after_sequence: u64, limit: usize) -> Result<Vec<EventEnvelope>> {
        let after = i64::try_from(after_sequence).unwrap_or(i64::MAX);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.events(schema::EVENTS_SINCE, params![after, limit])
    }

    fn events_of(&self, kind: EntityKind, id: u64) -> Result<Vec<EventEnvelope>> {
        let id = i64::try_from(id).unwrap_or(i64::MAX);
        self.events(schema::EVENTS_OF, params![kind.as_str(), id])
    }
}

impl ReadTx for SqliteTx<'_> {
    fn get_raw(&self, kind: EntityKind, id: u64) -> Result<Option<RawRecord>> {
        self.r.get_raw(kind, id)
    }
    fn search_text(
        &self,
        query: &crm_core::search::TextQuery,
    ) -> Result<Vec<crm_core::search::TextHit>> {
        self.r.search_text(query)
    }
    fn find_ids(&self, kind: EntityKind, slot: usize, value: &str) -> Result<Vec<u64>> {
        self.r.find_ids(kind, slot, value)
    }
    fn find_ids_after(
        &self,
        kind: EntityKind,
        slot: usize,
        value: &str,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        self.r.find_ids_after(kind, slot, value, after_id, limit)
    }
    fn scan_raw(&self, kind: EntityKind, after_id: u64, limit: usize) -> Result<Vec<RawRecord>> {
        self.r.scan_raw(kind, after_id, limit)
    }
    fn scan_archived(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<RawRecord>> {
        self.r.scan_archived(kind, after_id, limit)
    }
    fn visit_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        self.r.visit_raw(kind, after_id, limit, f)
    }
    fn events_since(&self, after_sequence: u64, limit: usize) -> Result<Vec<EventEnvelope>> {
        self.r.events_since(after_sequence, limit)
    }
    fn events_of(&self, kind: EntityKind, id: u64) -> Result<Vec<EventEnvelope>> {
        self.r.events_of(kind, id)
    }
    fn last_event_sequence(&self) -> Result<u64> {
        self.r.last_event_sequence()
    }
}

impl WriteTx for SqliteTx<'_> {
    fn next_id(&mut self, kind: EntityKind) -> Result<u64> {
        let next = match self.next_ids.get(&kind) {
            Some(n) => *n,
            None => {
                // The larger of the stored sequence and max(id) + 1: ids stay fresh even if
                // a host wrote records with ids of its own choosing.
                let stored: Option<i64> = self
                    .r
                    .tx
                    .prepare_cached(schema::GET_SEQUENCE)
                    .and_then(|mut st| {
                        st.query_row(params![kind.as_str()], |r| r.get(0))
                            .optional()
                    })
                    .map_err(db_err)?;
                let max: Option<i64> = self
                    .r
                    .tx
                    .prepare_cached(&self.sql(kind).max_id)
                    .and_then(|mut st| st.query_row([], |r| r.get(0)))
                    .map_err(db_err)?;
                from_i64(stored.unwrap_or(1)).max(from_i64(max.unwrap_or(0)) + 1)
            }
        };
        self.next_ids.insert(kind, next + 1);
        Ok(next)
    }

    fn put_raw(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        data: &str,
        keys: &IndexKeys,
    ) -> Result<()> {
        if id == 0 {
            return Err(Error::invalid("id", "0", "ids start at 1"));
        }
        let id_i = to_i64(id).map_err(db_err)?;
        let new_version = to_i64(expected_version + 1).map_err(db_err)?;
        let k = |i: usize| keys[i].as_deref();
        debug_assert_eq!(KEY_SLOTS, 6);
        if expected_version == 0 {
            let inserted = self
                .r
                .tx
                .prepare_cached(&self.sql(kind).insert)
                .and_then(|mut st| {
                    st.execute(params![
                        id_i,
                        new_version,
                        k(0),
                        k(1),
                        k(2),
                        k(3),
                        k(4),
                        k(5),
                        data
                    ])
                });
            match inserted {
                Ok(_) => search::index(self.r.tx, kind, id, Some(data), true),
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Err(self.conflict(kind, id, 0)?)
                }
                Err(e) => Err(db_err(e)),
            }
        } else {
            let expected = to_i64(expected_version).map_err(db_err)?;
            let changed = self
                .r
                .tx
                .prepare_cached(&self.sql(kind).update)
                .and_then(|mut st| {
                    st.execute(params![
                        new_version,
                        k(0),
                        k(1),
                        k(2),
                        k(3),
                        k(4),
                        k(5),
                        data,
                        id_i,
                        expected
                    ])
                })
                .map_err(db_err)?;
            if changed == 1 {
                if !search::is_searched(kind) {
                    return Ok(());
                }
                // an archived record stays out of the index until it is restored
                let live = self.get_raw(kind, id)?.is_some_and(|r| !r.archived);
                search::index(self.r.tx, kind, id, live.then_some(data), false)
            } else {
                Err(self.conflict(kind, id, expected_version)?)
            }
        }
    }

    fn delete_raw(&mut self, kind: EntityKind, id: u64, expected_version: u64) -> Result<()> {
        let id_i = to_i64(id).map_err(db_err)?;
        let expected = to_i64(expected_version).map_err(db_err)?;
        let changed = if expected_version == 0 {
            0
        } else {
            self.r
                .tx
                .prepare_cached(&self.sql(kind).delete)
                .and_then(|mut st| st.execute(params![id_i, expected]))
                .map_err(db_err)?
        };
        if changed == 1 {
            search::index(self.r.tx, kind, id, None, false)
        } else {
            Err(self.conflict(kind, id, expected_version)?)
        }
    }

    fn set_archived(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        archived: bool,
    ) -> Result<()> {
        let id_i = to_i64(id).map_err(db_err)?;
        let expected = to_i64(expected_version).map_err(db_err)?;
        let new_version = to_i64(expected_version + 1).map_err(db_err)?;
        let changed = self
            .r
            .tx
            .prepare_cached(&self.sql(kind).set_archived)
            .and_then(|mut st| st.execute(params![new_version, archived, id_i, expected]))
            .map_err(db_err)?;
        if changed == 1 {
            let data = if archived {
                None
            } else {
                self.get_raw(kind, id)?.map(|r| r.data)
            };
            search::index(self.r.tx, kind, id, data.as_deref(), false)
        } else {
            Err(self.conflict(kind, id, expected_version)?)
        }
    }

    fn redact_event(&mut self, sequence: u64, payload: &serde_json::Value) -> Result<()> {
        let text = serde_json::to_string(payload).map_err(Error::storage)?;
        let changed = self
            .r
            .tx
            .prepare_cached("UPDATE events SET payload = ?1 WHERE sequence = ?2")
            .and_then(|mut st| st.execute(params![text, to_i64(sequence)?]))
            .map_err(db_err)?;
        if changed == 1 {
            Ok(())
        } else {
            Err(Error::not_found("event", sequence))
        }
    }

    fn append_event(&mut self, event: &NewEvent) -> Result<u64> {
        let payload = serde_json::to_string(&event.payload).map_err(Error::storage)?;
        let at = event
            .at
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        let mut st = self
            .r
            .tx
            .prepare_cached(schema::APPEND_EVENT)
            .map_err(db_err)?;
        st.execute(params![
            event.aggregate.as_str(),
            to_i64(event.aggregate_id).map_err(db_err)?,
            event.event_type,
            event.event_version,
            payload,
            at,
            event.actor.as_str()
        ])
        .map_err(db_err)?;
        self.appended = true;
        Ok(from_i64(self.r.tx.last_insert_rowid()))
    }
}

impl Store for SqliteStore {
    fn read<R>(&self, f: impl FnOnce(&dyn ReadTx) -> Result<R>) -> Result<R> {
        let mut conn = self.reader();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(db_err)?;
        let result = f(&SqliteReader {
            tx: &tx,
            sql: &self.sql,
        });
        // A read-only transaction has nothing to commit; ending it either way is the same.
        tx.finish().map_err(db_err)?;
        result
    }

    /// Merges the full-text index into one segment (dropping what deleted rows left in
    /// older segments) and checkpoints the write-ahead log into the file, truncating it:
    /// with `secure_delete` on, nothing deleted is left in either file.
    fn purge(&self) -> Result<()> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        conn.execute_batch("INSERT INTO search (search) VALUES ('optimize');")
            .map_err(db_err)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(db_err)
    }

    /// Runs `f` with the page cache at [`OpenOptions::bulk_cache_mib`], set back (which
    /// frees what it grew by) however `f` ends. Bulk runs on one store do not nest: the
    /// first to end sets the cache back.
    fn bulk<R>(&self, f: impl FnOnce() -> Result<R>) -> Result<R> {
        struct Restore<'a>(&'a SqliteStore);
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                let conn = self.0.conn.lock().unwrap_or_else(PoisonError::into_inner);
                // a pragma on an open connection does not fail; if it did, the larger
                // cache would stay, which is only memory
                let _ = set_cache(&conn, self.0.cache_mib.0);
            }
        }
        {
            let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
            set_cache(&conn, self.cache_mib.1.max(self.cache_mib.0))?;
        }
        let _restore = Restore(self);
        f()
    }

    fn write<R>(&self, f: impl FnOnce(&mut dyn WriteTx) -> Result<R>) -> Result<R> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_err)?;
        let mut wtx = SqliteTx {
            r: SqliteReader {
                tx: &tx,
                sql: &self.sql,
            },
            next_ids: HashMap::new(),
            appended: false,
        };
        let value = f(&mut wtx)?; // dropping `tx` on Err rolls everything back
        wtx.flush_sequences()?;
        let appended = wtx.appended;
        drop(wtx);
        tx.commit().map_err(db_err)?;
        drop(conn);
        if appended {
            self.events.raise();
        }
        Ok(value)
    }

    /// Woken by this store's own commits at once; another process writing the same file
    /// is seen within 100 ms (SQLite has no notifications between processes).
    fn wait_for_events(&self, after_sequence: u64, timeout: Duration) -> Result<u64> {
        self.events
            .wait(after_sequence, timeout, Duration::from_millis(100), || {
                self.read(|tx| tx.last_event_sequence())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_kib(store: &SqliteStore) -> i64 {
        let conn = store.conn.lock().unwrap();
        conn.query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_bulk_run_has_the_larger_cache_and_gives_it_back_however_it_ends() {
        let options = OpenOptions {
            cache_mib: 8,
            bulk_cache_mib: 32,
            ..OpenOptions::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open_with(dir.path().join("crm.db"), &options).unwrap();
        assert_eq!(cache_kib(&store), -8 * 1024);
        let inside = store.bulk(|| Ok(cache_kib(&store))).unwrap();
        assert_eq!(inside, -32 * 1024);
        assert_eq!(cache_kib(&store), -8 * 1024);
        let failed: Result<()> = store.bulk(|| Err(Error::storage("disk full")));
        assert!(failed.is_err());
        assert_eq!(cache_kib(&store), -8 * 1024);
        // a bulk cache set below the normal one never shrinks the cache
        let small = SqliteStore::open_with(
            dir.path().join("small.db"),
            &OpenOptions {
                cache_mib: 16,
                bulk_cache_mib: 4,
                ..OpenOptions::default()
            },
        )
        .unwrap();
        assert_eq!(small.bulk(|| Ok(cache_kib(&small))).unwrap(), -16 * 1024);
    }
}
