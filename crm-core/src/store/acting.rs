//! `Acting`: the facade's write transaction. It stamps the actor on every event it
//! appends, so no use case has to pass its actor to each event it records, and it checks
//! every record written against its kind's custom field definitions
//! ([`crate::custom`]), so no use case can store a custom value its definition refuses.

use std::collections::HashMap;

use crate::actor::Actor;
use crate::contact_info::Region;
use crate::custom::CustomField;
use crate::error::Result;
use crate::event::{EventEnvelope, NewEvent};

use super::{EntityKind, IndexKeys, RawRecord, ReadTx, WriteTx};

/// A write transaction that stamps `actor` on every event it appends and checks custom
/// values (phone numbers read in `region`).
pub struct Acting<'a> {
    tx: &'a mut dyn WriteTx,
    actor: &'a Actor,
    region: Region,
    /// The custom field definitions of each kind written so far, read once a transaction.
    definitions: HashMap<EntityKind, Vec<CustomField>>,
    /// Whether an access-control record was written (the cached policy is stale).
    touched_access: bool,
}

impl<'a> Acting<'a> {
    /// `tx`, acting as `actor`.
    pub fn new(tx: &'a mut dyn WriteTx, actor: &'a Actor, region: Region) -> Self {
        Acting {
            tx,
            actor,
            region,
            definitions: HashMap::new(),
            touched_access: false,
        }
    }

    /// Whether the transaction wrote a record of access control.
    pub fn touched_access(&self) -> bool {
        self.touched_access
    }

    /// `data` with its custom values checked and in their stored form, when the kind has
    /// custom field definitions.
    fn checked(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        data: &str,
    ) -> Result<Option<String>> {
        let Some(at) = crate::custom::custom_at(kind) else {
            return Ok(None);
        };
        if !self.definitions.contains_key(&kind) {
            let defs = crate::custom::definitions(&*self.tx, kind)?;
            self.definitions.insert(kind, defs);
        }
        let defs = &self.definitions[&kind];
        if defs.is_empty() {
            return Ok(None);
        }
        let tx = &*self.tx;
        let stored = || {
            let raw = tx.get_raw(kind, id).ok().flatten()?;
            let mut doc: serde_json::Value = serde_json::from_str(&raw.data).ok()?;
            let holder = if at.is_empty() {
                &mut doc
            } else {
                doc.get_mut(at)?
            };
            serde_json::from_value(holder.get_mut("custom")?.take()).ok()
        };
        crate::custom::check_record(defs, at, data, expected_version == 0, &stored, self.region)
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
    fn stream_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        self.tx.stream_raw(kind, after_id, limit, f)
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
    fn search_text(&self, query: &crate::search::TextQuery) -> Result<Vec<crate::search::TextHit>> {
        self.tx.search_text(query)
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
        if kind == EntityKind::CustomField {
            self.definitions.clear();
        }
        self.touched_access |= crate::access::is_access_kind(kind);
        self.tx.put_raw(kind, id, expected_version, data, keys)
    }
    fn prepare(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        data: &str,
    ) -> Result<Option<String>> {
        self.checked(kind, id, expected_version, data)
    }
    fn delete_raw(&mut self, kind: EntityKind, id: u64, expected_version: u64) -> Result<()> {
        if kind == EntityKind::CustomField {
            self.definitions.clear();
        }
        self.touched_access |= crate::access::is_access_kind(kind);
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
    fn redact_event(&mut self, sequence: u64, payload: &serde_json::Value) -> Result<()> {
        self.tx.redact_event(sequence, payload)
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
