//! The writes a transaction holds back and sends together ([`Pending`]): new records whose
//! ids this transaction handed out, with their search rows, and appended events. They go
//! to the server as one statement per kind (arrays of column values, `unnest`ed) and one
//! for the events, before the transaction next talks to the server for anything else and
//! at commit — so a read in the same transaction sees them, and an import of a thousand
//! leads costs a few round trips instead of thousands.
//!
//! Only writes that cannot conflict are held back: a record's id was handed out by this
//! very transaction ([`crate::tx`] hands ids out while holding the head row, which every
//! writer takes, so no one else can take them), and an event's sequence is past the head
//! the transaction holds. Should a held-back insert still find its id taken (a host that
//! wrote records under ids of its own choosing inside the handed-out range), the statement
//! that sends it reports the `Conflict`; nothing is written over.

use std::collections::{HashMap, HashSet};

use crm_core::event::NewEvent;
use crm_core::store::{EntityKind, IndexKeys, KEY_SLOTS};
use crm_core::{Error, Result};
use postgres::types::ToSql;

use crate::PgConn;
use crate::schema::KindSql;
use crate::search::{self, Deltas, SearchRow};

/// How many held-back rows are sent at once at most.
const MAX_ROWS: usize = 1_000;
/// How many bytes of documents are held back at most.
const MAX_BYTES: usize = 8 << 20;

/// One kind's held-back records, column by column.
#[derive(Default)]
struct Records {
    ids: Vec<i64>,
    keys: [Vec<Option<String>>; KEY_SLOTS],
    data: Vec<String>,
    /// Their search rows (not every record has one).
    search_ids: Vec<i64>,
    fields: [Vec<String>; 6],
    words: Vec<String>,
    lens: Vec<f64>,
}

/// Held-back events, column by column.
#[derive(Default)]
struct Events {
    sequences: Vec<i64>,
    aggregates: Vec<&'static str>,
    aggregate_ids: Vec<i64>,
    types: Vec<String>,
    versions: Vec<i32>,
    payloads: Vec<String>,
    ats: Vec<String>,
    actors: Vec<String>,
}

/// What a transaction has written but not sent yet.
#[derive(Default)]
pub(crate) struct Pending {
    records: HashMap<EntityKind, Records>,
    /// Every new record held back in this transaction, sent or not.
    held: HashSet<(EntityKind, u64)>,
    events: Events,
    rows: usize,
    bytes: usize,
}

fn to_i64(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::invalid("id", v.to_string(), "past the store's range"))
}

impl Pending {
    pub(crate) fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Whether enough is held back to send it now.
    pub(crate) fn is_full(&self) -> bool {
        self.rows >= MAX_ROWS || self.bytes >= MAX_BYTES
    }

    /// Whether a new record of `kind` under `id` was held back already (sent or not).
    pub(crate) fn holds(&self, kind: EntityKind, id: u64) -> bool {
        self.held.contains(&(kind, id))
    }

    /// Holds back a new record (version 1) and its search row.
    pub(crate) fn insert(
        &mut self,
        kind: EntityKind,
        id: u64,
        data: &str,
        keys: &IndexKeys,
    ) -> Result<()> {
        let id_i = to_i64(id)?;
        let r = self.records.entry(kind).or_default();
        r.ids.push(id_i);
        for (column, key) in r.keys.iter_mut().zip(keys.iter()) {
            column.push(key.clone());
        }
        r.data.push(data.to_string());
        if let Some(row) = SearchRow::of(kind, data) {
            r.search_ids.push(id_i);
            for (i, column) in r.fields.iter_mut().enumerate() {
                column.push(row.field(i).to_string());
            }
            // crm-core's words are letters and digits only: a space cannot be in one
            r.words.push(row.words().join(" "));
            r.lens.push(row.len);
        }
        self.held.insert((kind, id));
        self.rows += 1;
        self.bytes += data.len();
        Ok(())
    }

    /// Holds back an event under `sequence`.
    pub(crate) fn append(&mut self, sequence: u64, event: &NewEvent) -> Result<()> {
        let payload = serde_json::to_string(&event.payload).map_err(Error::storage)?;
        let e = &mut self.events;
        e.sequences.push(to_i64(sequence)?);
        e.aggregates.push(event.aggregate.as_str());
        e.aggregate_ids.push(to_i64(event.aggregate_id)?);
        e.types.push(event.event_type.clone());
        e.versions
            .push(i32::try_from(event.event_version).unwrap_or(i32::MAX));
        self.bytes += payload.len();
        e.payloads.push(payload);
        e.ats.push(
            event
                .at
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        );
        e.actors.push(event.actor.as_str().to_string());
        self.rows += 1;
        Ok(())
    }

    /// Sends everything held back, adding the search rows written to `deltas`.
    ///
    /// # Errors
    /// `Conflict` when a held-back record's id turned out taken; storage errors.
    pub(crate) fn send(
        &mut self,
        conn: &mut PgConn,
        sql: &[KindSql],
        deltas: &mut Deltas,
    ) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        let records = std::mem::take(&mut self.records);
        let events = std::mem::take(&mut self.events);
        self.rows = 0;
        self.bytes = 0;
        for (kind, r) in records {
            send_records(conn, &sql[kind as usize], kind, &r, deltas)?;
        }
        if !events.sequences.is_empty() {
            let e = &events;
            conn.run(
                crate::schema::APPEND_EVENTS,
                &[
                    &e.sequences,
                    &e.aggregates,
                    &e.aggregate_ids,
                    &e.types,
                    &e.versions,
                    &e.payloads,
                    &e.ats,
                    &e.actors,
                ],
            )?;
        }
        Ok(())
    }
}

fn send_records(
    conn: &mut PgConn,
    sql: &KindSql,
    kind: EntityKind,
    r: &Records,
    deltas: &mut Deltas,
) -> Result<()> {
    let [k0, k1, k2, k3, k4, k5] = &r.keys;
    let [f0, f1, f2, f3, f4, f5] = &r.fields;
    let position = search::position(kind);
    let params: Vec<&(dyn ToSql + Sync)> = if search::is_searched(kind) {
        vec![
            &r.ids,
            k0,
            k1,
            k2,
            k3,
            k4,
            k5,
            &r.data,
            &position,
            &r.search_ids,
            f0,
            f1,
            f2,
            f3,
            f4,
            f5,
            &r.words,
            &r.lens,
        ]
    } else {
        vec![&r.ids, k0, k1, k2, k3, k4, k5, &r.data]
    };
    let inserted: HashSet<i64> = conn
        .run(&sql.insert_many, &params)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    if inserted.len() < r.ids.len() {
        let taken = r.ids.iter().find(|id| !inserted.contains(id)).copied();
        let id = taken.and_then(|id| u64::try_from(id).ok()).unwrap_or(0);
        let actual = conn
            .run(&sql.version, &[&taken.unwrap_or(0)])?
            .first()
            .map_or(0, |row| u64::try_from(row.get::<_, i64>(0)).unwrap_or(0));
        return Err(Error::Conflict {
            kind: kind.as_str().into(),
            id,
            expected: 0,
            actual,
        });
    }
    if !r.search_ids.is_empty() {
        let delta = deltas.entry(position).or_insert((0, 0.0));
        delta.0 += i64::try_from(r.search_ids.len()).unwrap_or(i64::MAX);
        delta.1 += r.lens.iter().sum::<f64>();
    }
    Ok(())
}
