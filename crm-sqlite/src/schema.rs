//! The schema: migrations by `PRAGMA user_version`, and the SQL of every statement.
//!
//! Table and column names are built from [`EntityKind::as_str`] and slot numbers —
//! constants of this crate — once, when a store opens; values are always bound.

use crm_core::store::{EntityKind, KEY_SLOTS};
use crm_core::{Error, Result};
use rusqlite::Connection;

use crate::db_err;

/// The newest schema version this build writes.
pub const SCHEMA_VERSION: u32 = 3;

/// Ordered migrations: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: the sequence table and the event log; record tables are created per kind below.
    "CREATE TABLE IF NOT EXISTS sequences (
         kind TEXT PRIMARY KEY,
         next INTEGER NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE IF NOT EXISTS events (
         sequence INTEGER PRIMARY KEY,
         aggregate TEXT NOT NULL,
         aggregate_id INTEGER NOT NULL,
         event_type TEXT NOT NULL,
         event_version INTEGER NOT NULL,
         payload TEXT NOT NULL,
         at TEXT NOT NULL
     );
     CREATE INDEX IF NOT EXISTS events_aggregate ON events (aggregate, aggregate_id);",
    // 2: events record their actor; record tables gain an `archived` flag (added per kind
    // in `migrate`).
    "ALTER TABLE events ADD COLUMN actor TEXT NOT NULL DEFAULT 'system:host';",
    // 3: the full-text index and a table of store facts; made in `migrate`
    // (crate::search::create_sql) and filled from the records there.
    "",
];

pub const GET_SEQUENCE: &str = "SELECT next FROM sequences WHERE kind = ?1";
pub const SET_SEQUENCE: &str = "INSERT INTO sequences (kind, next) VALUES (?1, ?2) ON CONFLICT (kind) DO UPDATE SET next = excluded.next";
pub const APPEND_EVENT: &str = "INSERT INTO events (aggregate, aggregate_id, event_type, event_version, payload, at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
pub const LAST_EVENT: &str = "SELECT coalesce(max(sequence), 0) FROM events";
pub const EVENTS_SINCE: &str = "SELECT sequence, aggregate, aggregate_id, event_type, event_version, payload, at, actor FROM events WHERE sequence > ?1 ORDER BY sequence LIMIT ?2";
pub const EVENTS_OF: &str = "SELECT sequence, aggregate, aggregate_id, event_type, event_version, payload, at, actor FROM events WHERE aggregate = ?1 AND aggregate_id = ?2 ORDER BY sequence";

fn table(kind: EntityKind) -> String {
    format!("rec_{}", kind.as_str())
}

fn kind_tables(kind: EntityKind) -> String {
    let t = table(kind);
    let key_cols: String = (0..KEY_SLOTS).map(|i| format!("k{i} TEXT, ")).collect();
    let mut sql = format!(
        "CREATE TABLE IF NOT EXISTS {t} (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, {key_cols}data TEXT NOT NULL, archived INTEGER NOT NULL DEFAULT 0);"
    );
    for i in 0..KEY_SLOTS {
        sql.push_str(&format!(
            "CREATE INDEX IF NOT EXISTS {t}_k{i} ON {t} (k{i}) WHERE k{i} IS NOT NULL;"
        ));
    }
    sql
}

/// Brings the database up to [`SCHEMA_VERSION`], in one transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(db_err)?;
    let current: u32 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db_err)?;
    if current > SCHEMA_VERSION {
        return Err(Error::UnsupportedVersion {
            what: "crm-sqlite schema".into(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for script in &MIGRATIONS[current as usize..] {
        tx.execute_batch(script).map_err(db_err)?;
    }
    // Record tables exist for every kind this build knows, whatever version created the
    // file: a kind added in a later release gets its table here.
    for kind in EntityKind::ALL {
        tx.execute_batch(&kind_tables(*kind)).map_err(db_err)?;
        // schema 2 added the archive flag to tables schema 1 made
        if current == 1 {
            tx.execute_batch(&format!(
                "ALTER TABLE {} ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;",
                table(*kind)
            ))
            .or_else(|e| match e {
                // a kind schema 1 did not know was just made with the column
                rusqlite::Error::SqliteFailure(_, Some(ref m))
                    if m.contains("duplicate column") =>
                {
                    Ok(())
                }
                e => Err(e),
            })
            .map_err(db_err)?;
        }
    }
    if current < 3 {
        tx.execute_batch(&crate::search::create_sql())
            .map_err(db_err)?;
    }
    // the index holds what this build searches, or is rebuilt from the records
    if crate::search::format(&tx)? != crm_core::search::SEARCH_FORMAT {
        crate::search::rebuild(&tx)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(db_err)?;
    tx.commit().map_err(db_err)
}

/// The statements of one kind's table.
#[derive(Debug)]
pub struct KindSql {
    pub get: String,
    pub version: String,
    pub insert: String,
    pub update: String,
    pub delete: String,
    pub scan: String,
    pub scan_archived: String,
    pub set_archived: String,
    pub max_id: String,
    pub find: Vec<String>,
    pub find_after: Vec<String>,
}

impl KindSql {
    pub fn new(kind: EntityKind) -> Self {
        let t = table(kind);
        KindSql {
            get: format!("SELECT version, data, archived FROM {t} WHERE id = ?1"),
            version: format!("SELECT version FROM {t} WHERE id = ?1"),
            insert: format!(
                "INSERT INTO {t} (id, version, k0, k1, k2, k3, k4, k5, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            ),
            update: format!(
                "UPDATE {t} SET version = ?1, k0 = ?2, k1 = ?3, k2 = ?4, k3 = ?5, k4 = ?6, k5 = ?7, data = ?8 WHERE id = ?9 AND version = ?10"
            ),
            delete: format!("DELETE FROM {t} WHERE id = ?1 AND version = ?2"),
            scan: format!(
                "SELECT id, version, data FROM {t} WHERE id > ?1 AND archived = 0 ORDER BY id LIMIT ?2"
            ),
            scan_archived: format!(
                "SELECT id, version, data FROM {t} WHERE id > ?1 AND archived = 1 ORDER BY id LIMIT ?2"
            ),
            set_archived: format!(
                "UPDATE {t} SET version = ?1, archived = ?2 WHERE id = ?3 AND version = ?4"
            ),
            max_id: format!("SELECT max(id) FROM {t}"),
            find: (0..KEY_SLOTS)
                // No ORDER BY: with one, SQLite re-prepares the statement on every new
                // binding (measured: 99 re-prepares in 100 runs); the ids are sorted in Rust.
                .map(|i| format!("SELECT id FROM {t} WHERE k{i} = ?1 AND archived = 0"))
                .collect(),
            find_after: (0..KEY_SLOTS)
                .map(|i| {
                    format!(
                        "SELECT id FROM {t} WHERE k{i} = ?1 AND archived = 0 AND id > ?2 ORDER BY id LIMIT ?3"
                    )
                })
                .collect(),
        }
    }
}
