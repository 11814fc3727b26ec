//! # crm-postgres
//!
//! The store of crm-core for hosts that outgrow one process: several app servers (or a
//! sales, a marketing and a service app) on one PostgreSQL database.
//!
//! - **Records**: one table per kind, `rec_<kind>(id, version, k0…k5, data, archived)`:
//!   the document, its optimistic-concurrency version and its index keys as real columns,
//!   each with a partial index. A view `crm_<kind>` shows each document as `jsonb` for SQL.
//!   See [`schema`] for why the document itself is kept as the exact text crm-core wrote.
//! - **No lost update, across connections and processes**: a write of a record names the
//!   version it read; `UPDATE … WHERE id = $1 AND version = $2` changes nothing when
//!   another writer got there first, and the write is a [`crm_core::Error::Conflict`].
//! - **A gap-free, totally ordered event log**: PostgreSQL sequences leave gaps (a rolled
//!   back transaction consumes its numbers) and hand out numbers in an order other than
//!   commit order, so a reader following the log by sequence could skip an event that
//!   commits later with a smaller number. This store hands out event sequences itself,
//!   from one head row (`crm_head`) that every write transaction locks first
//!   (`SELECT … FOR UPDATE`) and moves at commit. Writers therefore commit one after the
//!   other in the order of their sequences; a rolled-back writer never moved the head, so
//!   nothing is skipped; readers (each in one `REPEATABLE READ` snapshot) see a prefix of
//!   the log. It is SQLite's `BEGIN IMMEDIATE` for a database server: writes are
//!   serialised, reads run beside them on as many connections as the pool holds.
//! - **Retries are the store's**: because every writer takes the head row before
//!   anything else, writers never deadlock and a `READ COMMITTED` writer holding the head
//!   sees every committed change, so PostgreSQL has no serialisation failure to report.
//!   What can still fail before a transaction's work starts (a lost connection, the head
//!   lock's wait timing out, a server restart) is retried by the store; a failure during
//!   the work is a retryable [`crm_core::Error::Storage`] and nothing of it is kept.
//! - **Events pushed**: every commit that appended events sends `NOTIFY crm_events`;
//!   [`crm_core::store::Store::wait_for_events`] wakes on it (`LISTEN` on a connection of
//!   its own), so every app server learns of new events without polling.
//! - **Full-text search** in the database ([`search`]): every server searches the same
//!   index.
//!
//! ```no_run
//! use crm_core::{Crm, LeadField, LeadInput, Region};
//! use crm_postgres::PgStore;
//! let store = PgStore::open("postgresql://crm@db.internal/crm")?;
//! let crm = Crm::new(store, Region::parse("US")?);
//! let input = LeadInput::new().with(LeadField::LastName, "Hopper");
//! crm.capture_lead(&input, chrono::Utc::now())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod listen;
mod pending;
mod schema;
mod search;
#[cfg(feature = "testing")]
pub mod testing;
mod tx;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crm_core::store::{EntityKind, ReadTx, Store, WriteTx};
use crm_core::{Error, Result};
use postgres::error::SqlState;
use postgres::{Client, NoTls, Statement};

use schema::KindSql;
pub use schema::SCHEMA_VERSION;
use tx::PgTx;

/// The channel every commit that appended events notifies (payload `<schema>:<sequence>`).
pub const CHANNEL: &str = "crm_events";

/// A PostgreSQL failure as crm-core's storage error: the SQLSTATE kept as the store code,
/// and failures that a new attempt can get past (a lost connection, a server shutting
/// down, a lock wait timing out, a serialisation failure or deadlock) marked retryable.
pub(crate) fn db_err(e: postgres::Error) -> Error {
    let code = e.code();
    let retryable = e.is_closed()
        || code.is_some_and(|c| {
            *c == SqlState::T_R_SERIALIZATION_FAILURE
                || *c == SqlState::T_R_DEADLOCK_DETECTED
                || *c == SqlState::LOCK_NOT_AVAILABLE
                || *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW
                || *c == SqlState::QUERY_CANCELED
                || c.code().starts_with("08")
        })
        || code.is_none();
    let message = match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => e.to_string(),
    };
    Error::Storage {
        message,
        store_code: code.map(|c| c.code().to_string()),
        retryable,
    }
}

fn pool_err(e: r2d2::Error) -> Error {
    Error::Storage {
        message: format!("no database connection: {e}"),
        store_code: None,
        retryable: true,
    }
}

/// How a store connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOptions {
    /// The most connections the store holds open (reads run in parallel on them; writes
    /// take turns on the head row). Default 8.
    pub pool_size: u32,
    /// The schema the store's tables live in (made when missing); `None`: the
    /// connection's own `search_path` (normally `public`).
    pub schema: Option<String>,
    /// How long a write waits for the head row (another writer's turn) before the store
    /// tries again, and how long it waits for a free connection. Default 30 s.
    pub write_timeout: Duration,
    /// How many times a transaction that could not start is tried again. Default 5.
    pub retries: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            pool_size: 8,
            schema: None,
            write_timeout: Duration::from_secs(30),
            retries: 5,
        }
    }
}

/// A pooled connection and its prepared statements.
pub(crate) struct PgConn {
    pub(crate) client: Client,
    pub(crate) statements: HashMap<String, Statement>,
}

impl PgConn {
    /// Runs `sql` as a statement prepared once per connection and kept.
    pub(crate) fn run(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>> {
        let statement = self.statement(sql)?;
        self.client.query(&statement, params).map_err(db_err)
    }

    /// The statement for `sql`, prepared on first use.
    pub(crate) fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql).map_err(db_err)?;
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

/// Makes [`PgConn`]s for the pool, each with the store's schema first on its path.
#[derive(Debug)]
struct Manager {
    config: postgres::Config,
    schema: Option<String>,
}

/// A schema name quoted as an SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Manager {
    fn connect(&self) -> std::result::Result<Client, postgres::Error> {
        let mut client = self.config.connect(NoTls)?;
        if let Some(s) = &self.schema {
            client.batch_execute(&format!("SET search_path TO {}", ident(s)))?;
        }
        Ok(client)
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<PgConn, postgres::Error> {
        Ok(PgConn {
            client: Manager::connect(self)?,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut PgConn) -> std::result::Result<(), postgres::Error> {
        conn.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        conn.client.is_closed()
    }
}

/// A crm-core store in a PostgreSQL database.
pub struct PgStore {
    pool: r2d2::Pool<Manager>,
    sql: Arc<Vec<KindSql>>,
    /// The schema the tables are in, as the server names it (the notifications' prefix).
    schema: String,
    options: OpenOptions,
    listener: listen::Listener,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("schema", &self.schema)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgresql://user:password@host:port/db`, or
    /// libpq's `host=… user=…` form) and brings its schema up to date. A URL parameter
    /// `schema=<name>` puts the store's tables in that schema (made when missing): several
    /// CRMs in one database.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a URL that does not parse; [`Error::Storage`] when the
    /// server cannot be reached; [`Error::UnsupportedVersion`] when the schema was written
    /// by a newer crm-postgres.
    pub fn open(url: &str) -> Result<Self> {
        Self::open_with(url, &OpenOptions::default())
    }

    /// [`Self::open`] with options.
    ///
    /// # Errors
    /// As [`Self::open`].
    pub fn open_with(url: &str, options: &OpenOptions) -> Result<Self> {
        let (url, schema) = split_schema(url);
        let mut options = options.clone();
        if options.schema.is_none() {
            options.schema = schema;
        }
        let options = &options;
        let url = url.as_str();
        let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
            Error::invalid("url", redact(url), format!("not a PostgreSQL URL: {e}"))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("crm-core");
        }
        // the schema first, made when missing, on a connection of its own
        if let Some(s) = &options.schema {
            let mut client = config.connect(NoTls).map_err(db_err)?;
            client
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {}", ident(s)))
                .or_else(|e| match e.code() {
                    // two servers making it at once: the other one did
                    Some(c) if *c == SqlState::UNIQUE_VIOLATION => Ok(()),
                    _ => Err(e),
                })
                .map_err(db_err)?;
        }
        let manager = Manager {
            config: config.clone(),
            schema: options.schema.clone(),
        };
        let mut first = manager.connect().map_err(db_err)?;
        schema::migrate(&mut first)?;
        let schema: String = first
            .query_one("SELECT current_schema()", &[])
            .map_err(db_err)?
            .get(0);
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(options.pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(options.write_timeout)
            .build(manager)
            .map_err(pool_err)?;
        Ok(PgStore {
            pool,
            sql: Arc::new(EntityKind::ALL.iter().map(|k| KindSql::new(*k)).collect()),
            listener: listen::Listener::new(config, schema.clone()),
            schema,
            options: options.clone(),
        })
    }

    /// The schema the store's tables are in.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The schema version of the database.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn schema_version(&self) -> Result<u32> {
        let mut conn = self.pool.get().map_err(pool_err)?;
        let v: i64 = conn
            .client
            .query_one(
                "SELECT value FROM crm_meta WHERE key = 'schema_version'",
                &[],
            )
            .map_err(db_err)?
            .get(0);
        Ok(u32::try_from(v).unwrap_or(u32::MAX))
    }

    /// A connection from the pool with a transaction begun on it by `start`, tried
    /// again while the failure is retryable (nothing of the caller's has run yet).
    fn begin<T>(
        &self,
        start: impl Fn(&mut Client) -> std::result::Result<T, postgres::Error>,
    ) -> Result<(r2d2::PooledConnection<Manager>, T)> {
        let mut attempt = 0;
        loop {
            let started = self.pool.get().map_err(pool_err).and_then(|mut conn| {
                match start(&mut conn.client) {
                    Ok(value) => Ok((conn, value)),
                    Err(e) => {
                        // a failed start leaves the connection in an aborted transaction:
                        // end it before the pool hands it out again
                        let _ = conn.client.batch_execute("ROLLBACK");
                        Err(db_err(e))
                    }
                }
            });
            match started {
                Ok(begun) => return Ok(begun),
                Err(e) if e.is_retryable() && attempt < self.options.retries => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(20 << attempt.min(6)));
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// `url` without its `schema=` parameter (crm-postgres's own, not libpq's), and the
/// schema it names.
fn split_schema(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut schema = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.split_once('=') {
            Some(("schema", name)) if !name.is_empty() => {
                schema = Some(name.to_string());
                false
            }
            _ => true,
        })
        .collect();
    if kept.is_empty() {
        (base.to_string(), schema)
    } else {
        (format!("{base}?{}", kept.join("&")), schema)
    }
}

/// `url` with its password taken out (for error messages).
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            match user.split_once(':') {
                Some((name, _)) => format!("{}{name}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Store for PgStore {
    fn read<R>(&self, f: impl FnOnce(&dyn ReadTx) -> Result<R>) -> Result<R> {
        let (mut conn, ()) =
            self.begin(|c| c.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"))?;
        let tx = PgTx::new(&mut conn, &self.sql, 0);
        let result = f(&tx);
        tx.finish()?;
        result
    }

    fn write<R>(&self, f: impl FnOnce(&mut dyn WriteTx) -> Result<R>) -> Result<R> {
        let begin = format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = {}",
            self.options.write_timeout.as_millis()
        );
        // the head row, locked until the transaction ends: the writers' turn
        let (mut conn, head) = self.begin(|c| {
            c.batch_execute(&begin)?;
            Ok(c.query_one(schema::LOCK_HEAD, &[])?.get::<_, i64>(0))
        })?;
        let mut tx = PgTx::new(&mut conn, &self.sql, u64::try_from(head).unwrap_or(0));
        match f(&mut tx) {
            Ok(value) => {
                tx.commit(&self.schema)?;
                Ok(value)
            }
            Err(e) => {
                tx.finish()?;
                Err(e)
            }
        }
    }

    /// Vacuums every table of the store, so that what erased records and redacted events
    /// left in dead rows is gone from the tables' pages.
    fn purge(&self) -> Result<()> {
        let mut conn = self.pool.get().map_err(pool_err)?;
        let mut tables = vec![
            "crm_events".to_string(),
            "crm_search".to_string(),
            "crm_head".to_string(),
        ];
        tables.extend(EntityKind::ALL.iter().map(|k| schema::table(*k)));
        conn.client
            .batch_execute(&format!("VACUUM {}", tables.join(", ")))
            .map_err(db_err)
    }

    fn wait_for_events(&self, after_sequence: u64, timeout: Duration) -> Result<u64> {
        self.listener.wait(after_sequence, timeout, || {
            self.read(|tx| tx.last_event_sequence())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redact("postgresql://crm:s3cret@db/crm"),
            "postgresql://crm:***@db/crm"
        );
        assert_eq!(redact("postgresql://crm@db/crm"), "postgresql://crm@db/crm");
        assert_eq!(redact("host=/tmp user=crm"), "host=/tmp user=crm");
    }

    #[test]
    fn the_schema_parameter_is_the_stores_own() {
        assert_eq!(
            split_schema("postgresql://db/crm?schema=sales&host=/tmp"),
            ("postgresql://db/crm?host=/tmp".into(), Some("sales".into()))
        );
        assert_eq!(
            split_schema("postgresql://db/crm?schema=sales"),
            ("postgresql://db/crm".into(), Some("sales".into()))
        );
        assert_eq!(
            split_schema("postgresql://db/crm?host=/tmp"),
            ("postgresql://db/crm?host=/tmp".into(), None)
        );
    }

    #[test]
    fn a_url_that_does_not_parse_is_an_invalid_value() {
        let e = PgStore::open("postgresql://crm:pw@db:notaport/crm").unwrap_err();
        assert_eq!(e.kind(), crm_core::ErrorKind::InvalidValue, "{e}");
        assert!(!e.to_string().contains("pw"), "{e}");
    }
}
