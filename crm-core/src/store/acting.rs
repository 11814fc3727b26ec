//! `Acting`: a write transaction whose events name an actor. The facade wraps every
//! write in one, so no use case has to pass its actor to each event it records.

use crate::actor::Actor;
use crate::error::Result;
use crate::event::{EventEnvelope, NewEvent};

use super::{EntityKind, IndexKeys, RawRecord, ReadTx, WriteTx};

/// A write transaction that stamps `actor` on every event it appends.
pub struct Acting<'a> {
    tx: &'a mut dyn WriteTx,
    actor: &'a Actor,
}

impl<'a> Acting<'a> {
    /// `tx`, acting as `actor`.
    pub fn new(tx: &'a mut dyn WriteTx, actor: &'a Actor) -> Self {
        Acting { tx, actor }
    }
}

impl ReadTx for Acting<'_> {
    fn get_raw(&self, kind: EntityKind, id: u64) -> Result<Option<RawRecord>> {
        self.tx.get_raw(kind, id)
    }
    fn find_ids(&self, kind: EntityKind, slot: usize, value: &str) -> Result<Vec<u64>> {
        self.tx.find_ids(kind, slot, value)
    }
    fn find_ids_after(
        &self,
        kind: EntityKind,
        slot: usize,
        value: &str,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        self.tx.find_ids_after(kind, slot, value, after_id, limit)
    }
    fn scan_raw(&self, kind: EntityKind, after_id: u64, limit: usize) -> Result<Vec<RawRecord>> {
        self.tx.scan_raw(kind, after_id, limit)
    }
    fn visit_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        self.tx.visit_raw(kind, after_id, limit, f)
    }
    fn scan_archived(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<RawRecord>> {
        self.tx.scan_archived(kind, after_id, limit)
    }
    fn events_since(&self, after_sequence: u64, limit: usize) -> Result<Vec<EventEnvelope>> {
        self.tx.events_since(after_sequence, limit)
    }
    fn events_of(&self, kind: EntityKind, id: u64) -> Result<Vec<EventEnvelope>> {
        self.tx.events_of(kind, id)
    }
    fn last_event_sequence(&self) -> Result<u64> {
        self.tx.last_event_sequence()
    }
}

impl WriteTx for Acting<'_> {
    fn next_id(&mut self, kind: EntityKind) -> Result<u64> {
        self.tx.next_id(kind)
    }
    fn put_raw(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        data: &str,
        keys: &IndexKeys,
    ) -> Result<()> {
        self.tx.put_raw(kind, id, expected_version, data, keys)
    }
    fn delete_raw(&mut self, kind: EntityKind, id: u64, expected_version: u64) -> Result<()> {
        self.tx.delete_raw(kind, id, expected_version)
    }
    fn set_archived(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        archived: bool,
    ) -> Result<()> {
        self.tx.set_archived(kind, id, expected_version, archived)
    }
    fn append_event(&mut self, event: &NewEvent) -> Result<u64> {
        if event.actor == *self.actor {
            self.tx.append_event(event)
        } else {
            let mut stamped = event.clone();
            stamped.actor = self.actor.clone();
            self.tx.append_event(&stamped)
        }
    }
}
