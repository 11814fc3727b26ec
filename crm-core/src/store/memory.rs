//! `MemoryStore`: the in-process store, for tests, previews and hosts that persist
//! elsewhere. Writes are serialised by a lock; a failed write transaction is rolled back
//! from an undo log, so nothing it did stays visible.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{PoisonError, RwLock};

use crate::error::{Error, Result};
use crate::event::{EventEnvelope, NewEvent};

use super::{EntityKind, IndexKeys, RawRecord, ReadTx, Store, WriteTx, check_slot};

#[derive(Debug, Clone)]
struct Row {
    version: u64,
    data: String,
    keys: IndexKeys,
    /// Archived rows are kept out of the index and of scans.
    archived: bool,
}

impl Row {
    fn raw(&self, id: u64) -> RawRecord {
        RawRecord {
            id,
            version: self.version,
            data: self.data.clone(),
            archived: self.archived,
        }
    }
}

#[derive(Debug, Default)]
struct Data {
    tables: HashMap<EntityKind, BTreeMap<u64, Row>>,
    index: HashMap<(EntityKind, usize, String), BTreeSet<u64>>,
    sequences: HashMap<EntityKind, u64>,
    events: Vec<EventEnvelope>,
}

impl Data {
    fn unindex(&mut self, kind: EntityKind, id: u64, keys: &IndexKeys) {
        for (slot, key) in keys.iter().enumerate() {
            if let Some(key) = key {
                let k = (kind, slot, key.clone());
                if let Some(set) = self.index.get_mut(&k) {
                    set.remove(&id);
                    if set.is_empty() {
                        self.index.remove(&k);
                    }
                }
            }
        }
    }

    fn set_row(&mut self, kind: EntityKind, id: u64, row: Option<Row>) -> Option<Row> {
        let table = self.tables.entry(kind).or_default();
        let previous = match &row {
            Some(r) => table.insert(id, r.clone()),
            None => table.remove(&id),
        };
        if let Some(prev) = previous.as_ref().filter(|p| !p.archived) {
            self.unindex(kind, id, &prev.keys);
        }
        if let Some(r) = row.filter(|r| !r.archived) {
            for (slot, key) in r.keys.iter().enumerate() {
                if let Some(key) = key {
                    self.index
                        .entry((kind, slot, key.clone()))
                        .or_default()
                        .insert(id);
                }
            }
        }
        previous
    }
}

impl Data {
    fn scan(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        archived: bool,
    ) -> Vec<RawRecord> {
        self.tables
            .get(&kind)
            .map(|t| {
                t.range(after_id.saturating_add(1)..)
                    .filter(|(_, row)| row.archived == archived)
                    .take(limit)
                    .map(|(id, row)| row.raw(*id))
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl ReadTx for Data {
    fn search_text(&self, query: &crate::search::TextQuery) -> Result<Vec<crate::search::TextHit>> {
        // no index to keep: the documents are read at query time
        let docs = query.kinds.iter().flat_map(|kind| {
            self.tables.get(kind).into_iter().flat_map(move |table| {
                table
                    .iter()
                    .filter(|(_, row)| !row.archived)
                    .filter_map(move |(id, row)| {
                        crate::search::document_texts(*kind, &row.data)
                            .map(|texts| (*kind, *id, texts))
                    })
            })
        });
        Ok(crate::search::rank_documents(docs, query))
    }

    fn get_raw(&self, kind: EntityKind, id: u64) -> Result<Option<RawRecord>> {
        Ok(self
            .tables
            .get(&kind)
            .and_then(|t| t.get(&id))
            .map(|row| row.raw(id)))
    }

    fn find_ids(&self, kind: EntityKind, slot: usize, value: &str) -> Result<Vec<u64>> {
        check_slot(slot)?;
        Ok(self
            .index
            .get(&(kind, slot, value.to_string()))
            .map(|ids| ids.iter().copied().collect())
            .unwrap_or_default())
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
        Ok(self
            .index
            .get(&(kind, slot, value.to_string()))
            .map(|ids| {
                ids.range(after_id.saturating_add(1)..)
                    .take(limit)
                    .copied()
                    .collect()
            })
            .unwrap_or_default())
    }

    fn scan_raw(&self, kind: EntityKind, after_id: u64, limit: usize) -> Result<Vec<RawRecord>> {
        Ok(self.scan(kind, after_id, limit, false))
    }

    fn scan_archived(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<RawRecord>> {
        Ok(self.scan(kind, after_id, limit, true))
    }

    fn events_since(&self, after_sequence: u64, limit: usize) -> Result<Vec<EventEnvelope>> {
        let start = usize::try_from(after_sequence)
            .unwrap_or(usize::MAX)
            .min(self.events.len());
        Ok(self.events[start..].iter().take(limit).cloned().collect())
    }

    fn last_event_sequence(&self) -> Result<u64> {
        Ok(self.events.len() as u64)
    }
}

enum Undo {
    Row(EntityKind, u64, Option<Row>),
    Sequence(EntityKind, Option<u64>),
    Events(usize),
    Payload(usize, serde_json::Value),
}

struct MemoryTx<'a> {
    data: &'a mut Data,
    undo: Vec<Undo>,
}

impl MemoryTx<'_> {
    fn rollback(mut self) {
        while let Some(step) = self.undo.pop() {
            match step {
                Undo::Row(kind, id, row) => {
                    self.data.set_row(kind, id, row);
                }
                Undo::Sequence(kind, Some(v)) => {
                    self.data.sequences.insert(kind, v);
                }
                Undo::Sequence(kind, None) => {
                    self.data.sequences.remove(&kind);
                }
                Undo::Events(len) => self.data.events.truncate(len),
                Undo::Payload(i, payload) => self.data.events[i].payload = payload,
            }
        }
    }

    fn row(&self, kind: EntityKind, id: u64) -> Option<&Row> {
        self.data.tables.get(&kind).and_then(|t| t.get(&id))
    }

    fn current_version(&self, kind: EntityKind, id: u64) -> u64 {
        self.row(kind, id).map_or(0, |r| r.version)
    }

    fn check_version(&self, kind: EntityKind, id: u64, expected: u64) -> Result<()> {
        let actual = self.current_version(kind, id);
        if actual == expected {
            Ok(())
        } else {
            Err(Error::Conflict {
                kind: kind.as_str().into(),
                id,
                expected,
                actual,
            })
        }
    }
}

impl ReadTx for MemoryTx<'_> {
    fn get_raw(&self, kind: EntityKind, id: u64) -> Result<Option<RawRecord>> {
        self.data.get_raw(kind, id)
    }
    fn search_text(&self, query: &crate::search::TextQuery) -> Result<Vec<crate::search::TextHit>> {
        self.data.search_text(query)
    }
    fn find_ids(&self, kind: EntityKind, slot: usize, value: &str) -> Result<Vec<u64>> {
        self.data.find_ids(kind, slot, value)
    }
    fn find_ids_after(
        &self,
        kind: EntityKind,
        slot: usize,
        value: &str,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        self.data.find_ids_after(kind, slot, value, after_id, limit)
    }
    fn scan_raw(&self, kind: EntityKind, after_id: u64, limit: usize) -> Result<Vec<RawRecord>> {
        self.data.scan_raw(kind, after_id, limit)
    }
    fn scan_archived(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<RawRecord>> {
        self.data.scan_archived(kind, after_id, limit)
    }
    fn events_since(&self, after_sequence: u64, limit: usize) -> Result<Vec<EventEnvelope>> {
        self.data.events_since(after_sequence, limit)
    }

    fn last_event_sequence(&self) -> Result<u64> {
        self.data.last_event_sequence()
    }
}

impl WriteTx for MemoryTx<'_> {
    fn next_id(&mut self, kind: EntityKind) -> Result<u64> {
        let previous = self.data.sequences.get(&kind).copied();
        let next = previous.unwrap_or(0) + 1;
        self.undo.push(Undo::Sequence(kind, previous));
        self.data.sequences.insert(kind, next);
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
        self.check_version(kind, id, expected_version)?;
        let row = Row {
            version: expected_version + 1,
            data: data.to_string(),
            keys: keys.clone(),
            archived: self.row(kind, id).is_some_and(|r| r.archived),
        };
        let previous = self.data.set_row(kind, id, Some(row));
        self.undo.push(Undo::Row(kind, id, previous));
        Ok(())
    }

    fn delete_raw(&mut self, kind: EntityKind, id: u64, expected_version: u64) -> Result<()> {
        if expected_version == 0 {
            return Err(Error::Conflict {
                kind: kind.as_str().into(),
                id,
                expected: 0,
                actual: self.current_version(kind, id),
            });
        }
        self.check_version(kind, id, expected_version)?;
        let previous = self.data.set_row(kind, id, None);
        self.undo.push(Undo::Row(kind, id, previous));
        Ok(())
    }

    fn set_archived(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        archived: bool,
    ) -> Result<()> {
        self.check_version(kind, id, expected_version)?;
        let Some(current) = self.row(kind, id) else {
            return Err(Error::Conflict {
                kind: kind.as_str().into(),
                id,
                expected: expected_version,
                actual: 0,
            });
        };
        let row = Row {
            version: expected_version + 1,
            archived,
            ..current.clone()
        };
        let previous = self.data.set_row(kind, id, Some(row));
        self.undo.push(Undo::Row(kind, id, previous));
        Ok(())
    }

    fn redact_event(&mut self, sequence: u64, payload: &serde_json::Value) -> Result<()> {
        let i = usize::try_from(sequence)
            .ok()
            .and_then(|s| s.checked_sub(1))
            .filter(|i| *i < self.data.events.len())
            .ok_or_else(|| Error::not_found("event", sequence))?;
        let old = std::mem::replace(&mut self.data.events[i].payload, payload.clone());
        self.undo.push(Undo::Payload(i, old));
        Ok(())
    }

    fn append_event(&mut self, event: &NewEvent) -> Result<u64> {
        let len = self.data.events.len();
        self.undo.push(Undo::Events(len));
        let sequence = len as u64 + 1;
        self.data
            .events
            .push(EventEnvelope::from_new(sequence, event));
        Ok(sequence)
    }
}

/// A store in memory. Cheap to create; everything is gone when it is dropped.
///
/// # Examples
/// ```
/// use crm_core::store::{MemoryStore, Store, ReadTx, WriteTx, EntityKind};
/// let store = MemoryStore::new();
/// let id = store.write(|tx| {
///     let id = tx.next_id(EntityKind::Lead)?;
///     tx.put_raw(EntityKind::Lead, id, 0, "{}", &Default::default())?;
///     Ok(id)
/// })?;
/// let version = store.read(|tx| Ok(tx.get_raw(EntityKind::Lead, id)?.map(|r| r.version)))?;
/// assert_eq!(version, Some(1));
/// # Ok::<(), crm_core::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    data: RwLock<Data>,
    events: super::EventSignal,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    fn read<R>(&self, f: impl FnOnce(&dyn ReadTx) -> Result<R>) -> Result<R> {
        // A panic in another thread's closure leaves the data consistent (the undo log runs
        // only on Err, and a panic mid-write is rolled back below), so poisoning is ignored.
        let guard = self.data.read().unwrap_or_else(PoisonError::into_inner);
        f(&*guard)
    }

    fn write<R>(&self, f: impl FnOnce(&mut dyn WriteTx) -> Result<R>) -> Result<R> {
        let mut guard = self.data.write().unwrap_or_else(PoisonError::into_inner);
        let mut tx = MemoryTx {
            data: &mut guard,
            undo: Vec::new(),
        };
        let before = tx.data.events.len();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut tx)));
        match result {
            Ok(Ok(value)) => {
                if tx.data.events.len() > before {
                    self.events.raise();
                }
                Ok(value)
            }
            Ok(Err(e)) => {
                tx.rollback();
                Err(e)
            }
            Err(panic) => {
                tx.rollback();
                std::panic::resume_unwind(panic)
            }
        }
    }

    /// Woken by this store's commits (nothing else writes it).
    fn wait_for_events(&self, after_sequence: u64, timeout: std::time::Duration) -> Result<u64> {
        self.events.wait(after_sequence, timeout, timeout, || {
            self.read(|tx| tx.last_event_sequence())
        })
    }
}
