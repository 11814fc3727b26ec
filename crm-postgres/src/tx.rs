//! One transaction on one pooled connection ([`PgTx`]): the store traits' reads and
//! writes as prepared statements (each prepared once per connection and kept), event
//! sequences handed out from the head row the transaction holds, new records and events
//! held back and sent together ([`crate::pending`]), and the commit that moves the head and
//! notifies listeners.

use std::cell::RefCell;
use std::collections::HashMap;

use crm_core::event::{EventEnvelope, NewEvent, StoredEvent};
use crm_core::store::{EntityKind, IndexKeys, KEY_SLOTS, RawRecord, ReadTx, WriteTx, check_slot};
use crm_core::{Error, Result};
use postgres::Row;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

use crate::pending::Pending;
use crate::schema::{self, KindSql};
use crate::{CHANNEL, PgConn, db_err, search};

type Params<'p> = [&'p (dyn ToSql + Sync)];

/// A transaction begun on `conn` (by [`crate::PgStore`]); ended by [`PgTx::commit`] or
/// [`PgTx::finish`], or rolled back when dropped.
pub(crate) struct PgTx<'a> {
    conn: RefCell<&'a mut PgConn>,
    sql: &'a [KindSql],
    /// The last event sequence: the head as locked, plus what this transaction appended.
    head: u64,
    /// The head as locked.
    locked_head: u64,
    /// Next id per kind, read once per transaction and written back at commit.
    next_ids: HashMap<EntityKind, u64>,
    /// The first id handed out per kind: `first..next` are this transaction's own.
    first_ids: HashMap<EntityKind, u64>,
    /// New records and events not sent yet.
    pending: RefCell<Pending>,
    /// What the writes changed in the search index's figures, added at commit.
    search: RefCell<search::Deltas>,
    open: bool,
}

fn to_i64(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::invalid("id", v.to_string(), "past the store's range"))
}

fn from_i64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl<'a> PgTx<'a> {
    pub(crate) fn new(conn: &'a mut PgConn, sql: &'a [KindSql], head: u64) -> Self {
        PgTx {
            conn: RefCell::new(conn),
            sql,
            head,
            locked_head: head,
            next_ids: HashMap::new(),
            first_ids: HashMap::new(),
            pending: RefCell::default(),
            search: RefCell::default(),
            open: true,
        }
    }

    fn kind_sql(&self, kind: EntityKind) -> &'a KindSql {
        &self.sql[kind as usize]
    }

    /// Sends what is held back: before anything else goes to the server.
    fn send(&self) -> Result<()> {
        let mut pending = self.pending.borrow_mut();
        if pending.is_empty() {
            return Ok(());
        }
        let mut conn = self.connection()?;
        pending.send(&mut conn, self.sql, &mut self.search.borrow_mut())
    }

    /// Runs `sql` (prepared once per connection), after what is held back.
    fn query(&self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>> {
        self.send()?;
        self.connection()?.run(sql, params)
    }

    /// The connection, unless rows of [`ReadTx::stream_raw`] are still coming on it.
    fn connection(&self) -> Result<std::cell::RefMut<'_, &'a mut PgConn>> {
        self.conn.try_borrow_mut().map_err(|_| Error::Internal {
            message: "a read inside stream_raw's callback: use visit_raw".into(),
        })
    }

    fn query_opt(&self, sql: &str, params: &Params<'_>) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    fn ids(&self, sql: &str, params: &Params<'_>) -> Result<Vec<u64>> {
        Ok(self
            .query(sql, params)?
            .iter()
            .map(|r| from_i64(r.get(0)))
            .collect())
    }

    fn current_version(&self, kind: EntityKind, id: u64) -> Result<u64> {
        Ok(self
            .query_opt(&self.kind_sql(kind).version, &[&to_i64(id)?])?
            .map_or(0, |r| from_i64(r.get(0))))
    }

    fn conflict(&self, kind: EntityKind, id: u64, expected: u64) -> Result<Error> {
        Ok(Error::Conflict {
            kind: kind.as_str().into(),
            id,
            expected,
            actual: self.current_version(kind, id)?,
        })
    }

    fn index(&self, kind: EntityKind, id: u64, data: Option<&str>) -> Result<()> {
        if !search::is_searched(kind) {
            return Ok(());
        }
        self.send()?;
        let mut conn = self.connection()?;
        let mut deltas = self.search.borrow_mut();
        search::index(&mut conn.client, &mut deltas, kind, to_i64(id)?, data)
    }

    fn events(&self, sql: &str, params: &Params<'_>) -> Result<Vec<EventEnvelope>> {
        let rows = self.query(sql, params)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(
                StoredEvent {
                    sequence: from_i64(r.get(0)),
                    aggregate: r.get(1),
                    aggregate_id: from_i64(r.get(2)),
                    event_type: r.get(3),
                    event_version: u32::try_from(r.get::<_, i32>(4)).unwrap_or(0),
                    payload: r.get(5),
                    at: r.get(6),
                    actor: r.get(7),
                }
                .decode()?,
            );
        }
        Ok(out)
    }

    fn scan(&self, sql: &str, after_id: u64, n: usize, archived: bool) -> Result<Vec<RawRecord>> {
        let after = i64::try_from(after_id).unwrap_or(i64::MAX);
        Ok(self
            .query(sql, &[&after, &limit(n)])?
            .iter()
            .map(|r| RawRecord {
                id: from_i64(r.get(0)),
                version: from_i64(r.get(1)),
                data: r.get(2),
                archived,
            })
            .collect())
    }

    /// Commits: the ids handed out and the head written back, listeners notified when
    /// events were appended.
    pub(crate) fn commit(mut self, schema_name: &str) -> Result<()> {
        self.send()?;
        for (kind, next) in &self.next_ids {
            let next = to_i64(*next)?;
            self.query(schema::SET_SEQUENCE, &[&kind.as_str(), &next])?;
        }
        {
            let mut conn = self.conn.borrow_mut();
            search::flush(&mut conn.client, &self.search.borrow())?;
        }
        if self.head > self.locked_head {
            let head = to_i64(self.head)?;
            self.query(schema::SET_HEAD, &[&head])?;
            let payload = format!("{schema_name}:{}", self.head);
            self.query("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])?;
        }
        self.open = false;
        let mut conn = self.conn.borrow_mut();
        conn.client.batch_execute("COMMIT").map_err(db_err)
    }

    /// Ends the transaction without keeping anything (a read, or a write that failed).
    pub(crate) fn finish(mut self) -> Result<()> {
        self.open = false;
        let mut conn = self.conn.borrow_mut();
        conn.client.batch_execute("ROLLBACK").map_err(db_err)
    }
}

impl Drop for PgTx<'_> {
    fn drop(&mut self) {
        if self.open {
            // a panic in the closure: end the transaction before the pool reuses the
            // connection (if this fails too, the connection is closed and the pool drops it)
            let mut conn = self.conn.borrow_mut();
            let _ = conn.client.batch_execute("ROLLBACK");
        }
    }
}

impl ReadTx for PgTx<'_> {
    fn get_raw(&self, kind: EntityKind, id: u64) -> Result<Option<RawRecord>> {
        let Ok(id_i) = i64::try_from(id) else {
            return Ok(None);
        };
        Ok(self
            .query_opt(&self.kind_sql(kind).get, &[&id_i])?
            .map(|r| RawRecord {
                id,
                version: from_i64(r.get(0)),
                data: r.get(1),
                archived: r.get(2),
            }))
    }

    fn find_ids(&self, kind: EntityKind, slot: usize, value: &str) -> Result<Vec<u64>> {
        check_slot(slot)?;
        self.ids(&self.kind_sql(kind).find[slot], &[&value])
    }

    fn find_ids_after(
        &self,
        kind: EntityKind,
        slot: usize,
        value: &str,
        after_id: u64,
        n: usize,
    ) -> Result<Vec<u64>> {
        check_slot(slot)?;
        let after = i64::try_from(after_id).unwrap_or(i64::MAX);
        self.ids(
            &self.kind_sql(kind).find_after[slot],
            &[&value, &after, &limit(n)],
        )
    }

    fn scan_raw(&self, kind: EntityKind, after_id: u64, n: usize) -> Result<Vec<RawRecord>> {
        self.scan(&self.kind_sql(kind).scan, after_id, n, false)
    }

    fn scan_archived(&self, kind: EntityKind, after_id: u64, n: usize) -> Result<Vec<RawRecord>> {
        self.scan(&self.kind_sql(kind).scan_archived, after_id, n, true)
    }

    fn visit_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        n: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        let after = i64::try_from(after_id).unwrap_or(i64::MAX);
        // the page is read whole before `f` runs: `f` may read this transaction again
        let rows = self.query(&self.kind_sql(kind).scan, &[&after, &limit(n)])?;
        for r in &rows {
            f(from_i64(r.get(0)), from_i64(r.get(1)), r.get(2))?;
        }
        Ok(rows.len())
    }

    /// Rows handed to `f` as they arrive; `f` must not use this transaction (if it does,
    /// that read fails instead of waiting on the rows still coming).
    fn stream_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        n: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        self.send()?;
        let after = i64::try_from(after_id).unwrap_or(i64::MAX);
        let n = limit(n);
        let mut conn = self.conn.borrow_mut();
        let statement = conn.statement(&self.kind_sql(kind).scan)?;
        let params: [&(dyn ToSql + Sync); 2] = [&after, &n];
        let mut rows = conn.client.query_raw(&statement, params).map_err(db_err)?;
        let mut visited = 0;
        while let Some(r) = rows.next().map_err(db_err)? {
            f(from_i64(r.get(0)), from_i64(r.get(1)), r.get(2))?;
            visited += 1;
        }
        Ok(visited)
    }

    fn events_since(&self, after_sequence: u64, n: usize) -> Result<Vec<EventEnvelope>> {
        let after = i64::try_from(after_sequence).unwrap_or(i64::MAX);
        self.events(schema::EVENTS_SINCE, &[&after, &limit(n)])
    }

    fn events_of(&self, kind: EntityKind, id: u64) -> Result<Vec<EventEnvelope>> {
        let id = i64::try_from(id).unwrap_or(i64::MAX);
        self.events(schema::EVENTS_OF, &[&kind.as_str(), &id])
    }

    fn last_event_sequence(&self) -> Result<u64> {
        if self.head > 0 {
            return Ok(self.head);
        }
        Ok(self
            .query_opt(schema::LAST_EVENT, &[])?
            .map_or(0, |r| from_i64(r.get(0))))
    }

    fn search_text(
        &self,
        query: &crm_core::search::TextQuery,
    ) -> Result<Vec<crm_core::search::TextHit>> {
        self.send()?;
        let mut conn = self.connection()?;
        search::query(&mut conn.client, &self.search.borrow(), query)
    }
}

impl WriteTx for PgTx<'_> {
    fn next_id(&mut self, kind: EntityKind) -> Result<u64> {
        let next = match self.next_ids.get(&kind) {
            Some(n) => *n,
            None => {
                // the larger of the stored sequence and max(id) + 1: ids stay fresh even if
                // a host wrote records with ids of its own choosing
                let stored = self
                    .query_opt(schema::GET_SEQUENCE, &[&kind.as_str()])?
                    .map(|r| from_i64(r.get(0)));
                let max = self
                    .query_opt(&self.kind_sql(kind).max_id, &[])?
                    .and_then(|r| r.get::<_, Option<i64>>(0))
                    .map_or(0, from_i64);
                stored.unwrap_or(1).max(max + 1)
            }
        };
        self.next_ids.insert(kind, next + 1);
        self.first_ids.entry(kind).or_insert(next);
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
        let id_i = to_i64(id)?;
        let new_version = to_i64(expected_version + 1)?;
        let k = |i: usize| keys[i].as_deref();
        debug_assert_eq!(KEY_SLOTS, 6);
        let (k0, k1, k2, k3, k4, k5) = (k(0), k(1), k(2), k(3), k(4), k(5));
        let sql = self.kind_sql(kind);
        if expected_version == 0 {
            let own = self
                .first_ids
                .get(&kind)
                .zip(self.next_ids.get(&kind))
                .is_some_and(|(first, next)| (*first..*next).contains(&id));
            if own {
                // an id this transaction handed out: free unless inserted here already
                let pending = self.pending.get_mut();
                if pending.holds(kind, id) {
                    return Err(Error::Conflict {
                        kind: kind.as_str().into(),
                        id,
                        expected: 0,
                        actual: 1,
                    });
                }
                pending.insert(kind, id, data, keys)?;
                let full = pending.is_full();
                return if full { self.send() } else { Ok(()) };
            }
            // ON CONFLICT DO NOTHING RETURNING id: no row when the id is taken. A new
            // record has no search row yet: record and row go in one statement.
            let row = search::SearchRow::of(kind, data);
            let inserted = match &row {
                None => self.query(
                    &sql.insert,
                    &[&id_i, &new_version, &k0, &k1, &k2, &k3, &k4, &k5, &data],
                )?,
                Some(row) => self.query(
                    &sql.insert_searched,
                    &[
                        &id_i,
                        &new_version,
                        &k0,
                        &k1,
                        &k2,
                        &k3,
                        &k4,
                        &k5,
                        &data,
                        &search::position(kind),
                        &row.field(0),
                        &row.field(1),
                        &row.field(2),
                        &row.field(3),
                        &row.field(4),
                        &row.field(5),
                        row.words(),
                        &row.len,
                    ],
                )?,
            };
            if inserted.is_empty() {
                return Err(self.conflict(kind, id, 0)?);
            }
            if let Some(row) = row {
                let mut deltas = self.search.borrow_mut();
                let delta = deltas.entry(search::position(kind)).or_insert((0, 0.0));
                delta.0 += 1;
                delta.1 += row.len;
            }
            Ok(())
        } else {
            let expected = to_i64(expected_version)?;
            let changed = self.query_opt(
                &sql.update,
                &[
                    &new_version,
                    &k0,
                    &k1,
                    &k2,
                    &k3,
                    &k4,
                    &k5,
                    &data,
                    &id_i,
                    &expected,
                ],
            )?;
            match changed {
                // an archived record stays out of the index until it is restored
                Some(row) => {
                    let archived: bool = row.get(0);
                    self.index(kind, id, (!archived).then_some(data))
                }
                None => Err(self.conflict(kind, id, expected_version)?),
            }
        }
    }

    fn delete_raw(&mut self, kind: EntityKind, id: u64, expected_version: u64) -> Result<()> {
        let id_i = to_i64(id)?;
        let expected = to_i64(expected_version)?;
        let deleted = expected_version != 0
            && !self
                .query(&self.kind_sql(kind).delete, &[&id_i, &expected])?
                .is_empty();
        if deleted {
            self.index(kind, id, None)
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
        let id_i = to_i64(id)?;
        let expected = to_i64(expected_version)?;
        let new_version = to_i64(expected_version + 1)?;
        let row = self.query_opt(
            &self.kind_sql(kind).set_archived,
            &[&new_version, &archived, &id_i, &expected],
        )?;
        match row {
            Some(r) => {
                let data: String = r.get(0);
                self.index(kind, id, (!archived).then_some(data.as_str()))
            }
            None => Err(self.conflict(kind, id, expected_version)?),
        }
    }

    fn append_event(&mut self, event: &NewEvent) -> Result<u64> {
        let sequence = self.head + 1;
        let pending = self.pending.get_mut();
        pending.append(sequence, event)?;
        self.head = sequence;
        if pending.is_full() {
            self.send()?;
        }
        Ok(sequence)
    }

    fn redact_event(&mut self, sequence: u64, payload: &serde_json::Value) -> Result<()> {
        let text = serde_json::to_string(payload).map_err(Error::storage)?;
        let rows = self.query(
            &format!("{} RETURNING sequence", schema::REDACT_EVENT),
            &[&text, &to_i64(sequence)?],
        )?;
        if rows.is_empty() {
            Err(Error::not_found("event", sequence))
        } else {
            Ok(())
        }
    }
}
