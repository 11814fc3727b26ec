//! The schema: versioned migrations recorded in `crm_meta`, and the SQL of every statement.
//!
//! Table and column names are built from [`EntityKind::as_str`] and slot numbers —
//! constants of crm-core — once, when a store opens; values are always bound.
//!
//! - `rec_<kind>`: one row per record, `(id, version, k0…k5, data, archived)`. `data` is
//!   the document exactly as crm-core wrote it (`text`: every store hands a document back
//!   byte for byte, so exports and hashes agree across stores); the index keys are real
//!   columns with a partial B-tree index each. A view `crm_<kind>` shows each document as
//!   `jsonb` (`doc`) for SQL, reporting and BI tools.
//! - `crm_events`: the event log; `sequence` is the log position, handed out under the
//!   head row's lock ([`crate`] explains why that makes the log gap-free).
//! - `crm_head`: one row, the last sequence handed out. Every write transaction locks it
//!   first.
//! - `crm_sequences`: the next id per kind.
//! - `crm_search`, `crm_search_stats`: the full-text index and its figures per kind
//!   ([`crate::search`]).

use crm_core::store::{EntityKind, KEY_SLOTS};
use crm_core::{Error, Result};
use postgres::Client;

use crate::db_err;

/// The newest schema version this build writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A key the migrations lock (`pg_advisory_xact_lock`) so that app servers starting at
/// once migrate one after the other.
const MIGRATION_LOCK: i64 = 0x63_72_6d_5f_6d_69_67; // "crm_mig"

/// Ordered migrations: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
/// Record tables are made per kind in [`migrate`] (a kind added later gets its table).
const MIGRATIONS: &[&str] = &["CREATE TABLE IF NOT EXISTS crm_sequences (
         kind text PRIMARY KEY,
         next bigint NOT NULL
     );
     CREATE TABLE IF NOT EXISTS crm_head (
         id integer PRIMARY KEY CHECK (id = 1),
         sequence bigint NOT NULL
     );
     INSERT INTO crm_head (id, sequence) VALUES (1, 0) ON CONFLICT DO NOTHING;
     CREATE TABLE IF NOT EXISTS crm_events (
         sequence bigint PRIMARY KEY,
         aggregate text NOT NULL,
         aggregate_id bigint NOT NULL,
         event_type text NOT NULL,
         event_version integer NOT NULL,
         payload text NOT NULL,
         at text NOT NULL,
         actor text NOT NULL
     );
     CREATE INDEX IF NOT EXISTS crm_events_aggregate ON crm_events (aggregate, aggregate_id);
     CREATE TABLE IF NOT EXISTS crm_search (
         kind smallint NOT NULL,
         id bigint NOT NULL,
         f0 text NOT NULL, f1 text NOT NULL, f2 text NOT NULL,
         f3 text NOT NULL, f4 text NOT NULL, f5 text NOT NULL,
         words tsvector NOT NULL,
         len double precision NOT NULL,
         PRIMARY KEY (kind, id)
     );
     CREATE INDEX IF NOT EXISTS crm_search_words ON crm_search USING gin (words);
     CREATE TABLE IF NOT EXISTS crm_search_stats (
         kind smallint PRIMARY KEY,
         documents bigint NOT NULL,
         total_len double precision NOT NULL
     );"];

pub(crate) fn table(kind: EntityKind) -> String {
    format!("rec_{}", kind.as_str())
}

fn kind_tables(kind: EntityKind) -> String {
    let t = table(kind);
    let key_cols: String = (0..KEY_SLOTS).map(|i| format!("k{i} text, ")).collect();
    let mut sql = format!(
        "CREATE TABLE IF NOT EXISTS {t} (id bigint PRIMARY KEY, version bigint NOT NULL, \
         {key_cols}data text NOT NULL, archived boolean NOT NULL DEFAULT false);"
    );
    for i in 0..KEY_SLOTS {
        sql.push_str(&format!(
            "CREATE INDEX IF NOT EXISTS {t}_k{i} ON {t} (k{i}, id) WHERE k{i} IS NOT NULL;"
        ));
    }
    sql.push_str(&format!(
        "CREATE OR REPLACE VIEW crm_{k} AS SELECT id, version, archived, data::jsonb AS doc \
         FROM {t};",
        k = kind.as_str()
    ));
    sql
}

/// Brings the database up to [`SCHEMA_VERSION`], in one transaction, one migrator at a
/// time.
///
/// # Errors
/// [`Error::UnsupportedVersion`] for a schema written by a newer crm-postgres;
/// [`Error::Storage`].
pub fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction().map_err(db_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(db_err)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS crm_meta (key text PRIMARY KEY, value bigint NOT NULL)",
    )
    .map_err(db_err)?;
    let current: i64 = tx
        .query_opt(
            "SELECT value FROM crm_meta WHERE key = 'schema_version'",
            &[],
        )
        .map_err(db_err)?
        .map_or(0, |r| r.get(0));
    let current = u32::try_from(current).unwrap_or(u32::MAX);
    if current > SCHEMA_VERSION {
        return Err(Error::UnsupportedVersion {
            what: "crm-postgres schema".into(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for script in &MIGRATIONS[current as usize..] {
        tx.batch_execute(script).map_err(db_err)?;
    }
    let tables: String = EntityKind::ALL.iter().map(|k| kind_tables(*k)).collect();
    tx.batch_execute(&tables).map_err(db_err)?;
    let format: Option<i64> = tx
        .query_opt(
            "SELECT value FROM crm_meta WHERE key = 'search_format'",
            &[],
        )
        .map_err(db_err)?
        .map(|r| r.get(0));
    if format != Some(i64::from(crm_core::search::SEARCH_FORMAT)) {
        crate::search::rebuild(&mut tx)?;
    }
    tx.execute(
        "INSERT INTO crm_meta (key, value) VALUES ('schema_version', $1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&i64::from(SCHEMA_VERSION)],
    )
    .map_err(db_err)?;
    tx.commit().map_err(db_err)
}

/// The statements of one kind's table.
#[derive(Debug)]
pub struct KindSql {
    pub get: String,
    pub version: String,
    pub insert: String,
    /// A new record and its search row in one statement (no row: the id is taken).
    pub insert_searched: String,
    /// New records (version 1), and the search rows of those that have one, from arrays
    /// of column values; returns the ids inserted ([`crate::pending`]).
    pub insert_many: String,
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
            get: format!("SELECT version, data, archived FROM {t} WHERE id = $1"),
            version: format!("SELECT version FROM {t} WHERE id = $1"),
            insert: format!(
                "INSERT INTO {t} (id, version, k0, k1, k2, k3, k4, k5, data) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING id"
            ),
            insert_searched: format!(
                "WITH r AS (INSERT INTO {t} (id, version, k0, k1, k2, k3, k4, k5, data) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING \
                 RETURNING id) \
                 INSERT INTO crm_search (kind, id, f0, f1, f2, f3, f4, f5, words, len) \
                 SELECT $10, r.id, $11, $12, $13, $14, $15, $16, array_to_tsvector($17), $18 \
                 FROM r RETURNING id"
            ),
            insert_many: {
                let records = format!(
                    "INSERT INTO {t} (id, version, k0, k1, k2, k3, k4, k5, data) \
                     SELECT u.id, 1, u.k0, u.k1, u.k2, u.k3, u.k4, u.k5, u.data \
                     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], \
                     $5::text[], $6::text[], $7::text[], $8::text[]) \
                     AS u(id, k0, k1, k2, k3, k4, k5, data) \
                     ON CONFLICT (id) DO NOTHING RETURNING id"
                );
                if crate::search::is_searched(kind) {
                    format!(
                        "WITH r AS ({records}), s AS (INSERT INTO crm_search \
                         (kind, id, f0, f1, f2, f3, f4, f5, words, len) \
                         SELECT $9::smallint, u.id, u.f0, u.f1, u.f2, u.f3, u.f4, u.f5, \
                         array_to_tsvector(string_to_array(u.words, ' ')), u.len \
                         FROM unnest($10::bigint[], $11::text[], $12::text[], $13::text[], \
                         $14::text[], $15::text[], $16::text[], $17::text[], \
                         $18::float8[]) AS u(id, f0, f1, f2, f3, f4, f5, words, len) \
                         WHERE u.id IN (SELECT id FROM r)) SELECT id FROM r"
                    )
                } else {
                    records
                }
            },
            update: format!(
                "UPDATE {t} SET version = $1, k0 = $2, k1 = $3, k2 = $4, k3 = $5, k4 = $6, \
                 k5 = $7, data = $8 WHERE id = $9 AND version = $10 RETURNING archived"
            ),
            delete: format!("DELETE FROM {t} WHERE id = $1 AND version = $2 RETURNING id"),
            scan: format!(
                "SELECT id, version, data FROM {t} WHERE id > $1 AND NOT archived ORDER BY id LIMIT $2"
            ),
            scan_archived: format!(
                "SELECT id, version, data FROM {t} WHERE id > $1 AND archived ORDER BY id LIMIT $2"
            ),
            set_archived: format!(
                "UPDATE {t} SET version = $1, archived = $2 WHERE id = $3 AND version = $4 \
                 RETURNING data"
            ),
            max_id: format!("SELECT max(id) FROM {t}"),
            find: (0..KEY_SLOTS)
                .map(|i| format!("SELECT id FROM {t} WHERE k{i} = $1 AND NOT archived ORDER BY id"))
                .collect(),
            find_after: (0..KEY_SLOTS)
                .map(|i| {
                    format!(
                        "SELECT id FROM {t} WHERE k{i} = $1 AND NOT archived AND id > $2 \
                         ORDER BY id LIMIT $3"
                    )
                })
                .collect(),
        }
    }
}

pub const GET_SEQUENCE: &str = "SELECT next FROM crm_sequences WHERE kind = $1";
pub const SET_SEQUENCE: &str = "INSERT INTO crm_sequences (kind, next) VALUES ($1, $2) \
     ON CONFLICT (kind) DO UPDATE SET next = excluded.next";
pub const LOCK_HEAD: &str = "SELECT sequence FROM crm_head WHERE id = 1 FOR UPDATE";
pub const SET_HEAD: &str = "UPDATE crm_head SET sequence = $1 WHERE id = 1";
/// Events from arrays of column values ([`crate::pending`]).
pub const APPEND_EVENTS: &str = "INSERT INTO crm_events (sequence, aggregate, aggregate_id, \
     event_type, event_version, payload, at, actor) SELECT * FROM unnest($1::bigint[], \
     $2::text[], $3::bigint[], $4::text[], $5::integer[], $6::text[], $7::text[], $8::text[])";
pub const LAST_EVENT: &str = "SELECT sequence FROM crm_head WHERE id = 1";
pub const EVENTS_SINCE: &str = "SELECT sequence, aggregate, aggregate_id, event_type, \
     event_version, payload, at, actor FROM crm_events WHERE sequence > $1 ORDER BY sequence \
     LIMIT $2";
pub const EVENTS_OF: &str = "SELECT sequence, aggregate, aggregate_id, event_type, \
     event_version, payload, at, actor FROM crm_events WHERE aggregate = $1 AND \
     aggregate_id = $2 ORDER BY sequence";
pub const REDACT_EVENT: &str = "UPDATE crm_events SET payload = $1 WHERE sequence = $2";
