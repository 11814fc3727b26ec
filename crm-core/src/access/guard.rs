//! Enforcement: the read and write transactions of a handle bound to a user
//! ([`crate::Crm::as_user`]). Every use case reads and writes the store through a
//! transaction, so wrapping the transaction enforces access control in all of them at once
//! — single reads, listings, filters, search, reports, exports, the event log, merges,
//! conversions — without any use case knowing.
//!
//! - A single read of a record the user may not see is [`Error::Forbidden`]; scans,
//!   index lookups, search hits and events leave such records out and refill their pages,
//!   so a listing's page is as full as it would be for someone who sees everything.
//! - Hidden fields are taken out of every document read, and put back from the stored
//!   record on every write; a write that changes a read-only field is refused.
//! - Writes need the kind's object permission and, for an existing record, edit access to
//!   it (full access to delete it or to give it to another owner).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;

use super::model::{FieldAccess, SystemPermission};
use super::policy::{Class, Policy, Session, at, class};
use super::rules::{Level, RecordFacts, level};
use crate::error::{Error, Result};
use crate::event::{EventEnvelope, NewEvent};
use crate::search::{TextHit, TextQuery};
use crate::store::{EntityKind, IndexKeys, RawRecord, ReadTx, WriteTx};

/// The event types of the access audit, readable with [`SystemPermission::ViewAudit`].
pub const AUDIT_EVENTS: &[&str] = &["AccessRefused", "AccessChanged"];

/// One user's rules over one transaction.
pub struct Guard<'p> {
    policy: &'p Policy,
    session: &'p Session,
    /// The facts of accounts looked up so far (`None`: no such account).
    accounts: RefCell<HashMap<u64, Option<RecordFacts>>>,
}

fn parse(kind: EntityKind, id: u64, data: &str) -> Result<Value> {
    serde_json::from_str(data).map_err(|e| Error::Corrupt {
        kind: kind.as_str().into(),
        id,
        message: e.to_string(),
    })
}

fn account_of(doc: &Value, path: &str) -> Option<u64> {
    at(doc, path).and_then(Value::as_u64)
}

/// The record a document of an [`Class::OfRecord`] kind belongs to.
fn parent_of(doc: &Value, path: &str, kind: Option<EntityKind>) -> Option<(EntityKind, u64)> {
    let v = at(doc, path)?;
    match kind {
        Some(k) => Some((k, v.as_u64()?)),
        None => Some((
            v.get("kind")?.as_str()?.parse().ok()?,
            v.get("id")?.as_u64()?,
        )),
    }
}

impl<'p> Guard<'p> {
    /// `session`'s rules under `policy`.
    pub fn new(policy: &'p Policy, session: &'p Session) -> Self {
        Guard {
            policy,
            session,
            accounts: RefCell::new(HashMap::new()),
        }
    }

    /// The user.
    pub fn session(&self) -> &Session {
        self.session
    }

    /// The refusal of `operation` on `kind` (record `id`), for `reason`.
    pub fn refuse(
        &self,
        operation: &str,
        kind: EntityKind,
        id: Option<u64>,
        reason: impl Into<String>,
    ) -> Error {
        Error::Forbidden {
            user: self.session.login.clone(),
            operation: operation.into(),
            kind: kind.as_str().into(),
            id,
            reason: reason.into(),
        }
    }

    /// Refuses unless the user holds `permission`.
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    pub fn require(&self, permission: SystemPermission, kind: EntityKind) -> Result<()> {
        if self.session.subject.active && self.session.system.contains(&permission) {
            Ok(())
        } else {
            Err(self.refuse(
                permission.as_str(),
                kind,
                None,
                format!("needs the {} permission", permission.as_str()),
            ))
        }
    }

    /// Refuses an operation on `kind` the user's object permissions do not allow.
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    pub fn object(&self, operation: &str, kind: EntityKind, id: Option<u64>) -> Result<()> {
        if !self.session.subject.active {
            return Err(self.refuse(operation, kind, id, "the user is deactivated"));
        }
        let p = self.session.object(kind);
        let allowed = match (class(kind), operation) {
            (Class::Internal | Class::OfRecord { .. }, _) => true,
            (Class::Admin(_), "read") | (Class::Reference, "read") => true,
            (Class::Admin(perm), _) => self.session.system.contains(&perm),
            (_, "read") => p.read,
            (_, "create") => p.create,
            (_, "edit") => p.edit,
            (_, "delete") => p.delete,
            (_, "export") => p.export,
            _ => false,
        };
        if allowed {
            return Ok(());
        }
        Err(match class(kind) {
            Class::Admin(perm) => self.refuse(
                perm.as_str(),
                kind,
                id,
                format!("{operation} needs the {} permission", perm.as_str()),
            ),
            _ => self.refuse(
                operation,
                kind,
                id,
                format!("no permission set lets the user {operation} {kind} records"),
            ),
        })
    }

    fn account_facts(&self, tx: &dyn ReadTx, id: u64) -> Result<Option<RecordFacts>> {
        if let Some(f) = self.accounts.borrow().get(&id) {
            return Ok(f.clone());
        }
        let facts = match tx.get_raw(EntityKind::Account, id)? {
            Some(raw) => {
                let doc = self.policy.judged(EntityKind::Account, id, &raw.data)?;
                Some(self.policy.facts(EntityKind::Account, id, "owner", &doc))
            }
            None => None,
        };
        self.accounts.borrow_mut().insert(id, facts.clone());
        Ok(facts)
    }

    /// How far the user may go with a stored record (`tx` unguarded): what the rules give,
    /// capped by the kind's object permissions (no read: no access; no edit: read only).
    /// A record of another record ([`Class::OfRecord`]) gets its parent's.
    ///
    /// # Errors
    /// [`Error::Corrupt`] for a document that is not JSON; [`Error::Storage`].
    pub fn level_of(
        &self,
        tx: &dyn ReadTx,
        kind: EntityKind,
        id: u64,
        data: &str,
    ) -> Result<Level> {
        let level = self.record_level(tx, kind, id, data)?;
        if !matches!(class(kind), Class::Owned { .. } | Class::OfAccount { .. }) {
            return Ok(level);
        }
        let p = self.session.object(kind);
        Ok(if !p.read {
            Level::NoAccess
        } else if !p.edit {
            level.min(Level::Read)
        } else {
            level
        })
    }

    /// What the rules give the user on a stored record, before its kind's object
    /// permissions cap it.
    fn record_level(
        &self,
        tx: &dyn ReadTx,
        kind: EntityKind,
        id: u64,
        data: &str,
    ) -> Result<Level> {
        let subject = &self.session.subject;
        if !subject.active {
            return Ok(Level::NoAccess);
        }
        match class(kind) {
            Class::Owned { owner, account } => {
                let doc = self.policy.judged(kind, id, data)?;
                let mut facts = self.policy.facts(kind, id, owner, &doc);
                if let Some(a) = account.and_then(|p| account_of(&doc, p)) {
                    facts.parent = self.account_facts(tx, a)?.map(Box::new);
                }
                Ok(level(subject, self.policy.defaults(), &facts))
            }
            Class::OfAccount { account } => {
                let doc = self.policy.judged(kind, id, data)?;
                match account_of(&doc, account) {
                    Some(a) => Ok(self
                        .account_facts(tx, a)?
                        .map_or(Level::Full, |f| level(subject, self.policy.defaults(), &f))),
                    None => Ok(Level::Full),
                }
            }
            Class::OfRecord { parent, kind: pk } => {
                let doc = self.policy.judged(kind, id, data)?;
                let Some((pk, pid)) = parent_of(&doc, parent, pk) else {
                    return Ok(Level::Full);
                };
                match tx.get_raw(pk, pid)? {
                    Some(raw) => self.level_of(tx, pk, pid, &raw.data),
                    None => Ok(Level::Full),
                }
            }
            _ => Ok(Level::Full),
        }
    }

    /// Whether a guarded kind: its records' access depends on the record.
    fn per_record(kind: EntityKind) -> bool {
        matches!(
            class(kind),
            Class::Owned { .. } | Class::OfAccount { .. } | Class::OfRecord { .. }
        )
    }

    fn visible(&self, tx: &dyn ReadTx, kind: EntityKind, id: u64, data: &str) -> Result<bool> {
        Ok(self.level_of(tx, kind, id, data)? >= Level::Read)
    }

    /// `data` without the fields hidden from the user (`None`: nothing to take out).
    fn shown(&self, kind: EntityKind, id: u64, data: &str) -> Result<Option<String>> {
        let Some(rules) = self.session.fields.get(&kind) else {
            return Ok(None);
        };
        let hidden: Vec<&str> = rules
            .iter()
            .filter(|(_, a)| *a == FieldAccess::Hidden)
            .map(|(f, _)| f.as_str())
            .collect();
        if hidden.is_empty() {
            return Ok(None);
        }
        let mut doc = parse(kind, id, data)?;
        for path in hidden {
            remove(&mut doc, path);
        }
        Ok(Some(doc.to_string()))
    }

    /// A record read by id: refused when not visible, hidden fields taken out.
    fn get(&self, tx: &dyn ReadTx, kind: EntityKind, id: u64) -> Result<Option<RawRecord>> {
        self.object("read", kind, Some(id))?;
        let Some(mut raw) = tx.get_raw(kind, id)? else {
            return Ok(None);
        };
        if !self.visible(tx, kind, id, &raw.data)? {
            return Err(self.refuse(
                "read",
                kind,
                Some(id),
                "the record is not shared with the user",
            ));
        }
        if let Some(shown) = self.shown(kind, id, &raw.data)? {
            raw.data = shown;
        }
        Ok(Some(raw))
    }

    /// The visible records of a batch, hidden fields taken out.
    fn keep(
        &self,
        tx: &dyn ReadTx,
        kind: EntityKind,
        batch: Vec<RawRecord>,
    ) -> Result<Vec<RawRecord>> {
        let mut out = Vec::with_capacity(batch.len());
        for mut raw in batch {
            if self.visible(tx, kind, raw.id, &raw.data)? {
                if let Some(shown) = self.shown(kind, raw.id, &raw.data)? {
                    raw.data = shown;
                }
                out.push(raw);
            }
        }
        Ok(out)
    }

    /// Pages of `fetch(after, want)` filtered, refilled until `limit` are kept or the
    /// source runs out.
    fn refill(
        &self,
        tx: &dyn ReadTx,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        fetch: impl Fn(u64, usize) -> Result<Vec<RawRecord>>,
    ) -> Result<Vec<RawRecord>> {
        self.object("read", kind, None)?;
        let mut out = Vec::new();
        let mut after = after_id;
        while out.len() < limit {
            let want = limit - out.len();
            let batch = fetch(after, want)?;
            let full = batch.len() == want;
            let Some(last) = batch.last().map(|r| r.id) else {
                break;
            };
            after = last;
            out.extend(self.keep(tx, kind, batch)?);
            if !full {
                break;
            }
        }
        Ok(out)
    }

    fn ids_visible(&self, tx: &dyn ReadTx, kind: EntityKind, ids: Vec<u64>) -> Result<Vec<u64>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(raw) = tx.get_raw(kind, id)?
                && self.visible(tx, kind, id, &raw.data)?
            {
                out.push(id);
            }
        }
        Ok(out)
    }

    fn event_visible(
        &self,
        tx: &dyn ReadTx,
        seen: &mut HashMap<(EntityKind, u64), bool>,
        e: &EventEnvelope,
    ) -> Result<bool> {
        if AUDIT_EVENTS.contains(&e.event_type.as_str()) {
            return Ok(self.session.system.contains(&SystemPermission::ViewAudit));
        }
        let kind = e.aggregate;
        if !Self::per_record(kind) {
            return Ok(true);
        }
        if let Some(v) = seen.get(&(kind, e.aggregate_id)) {
            return Ok(*v);
        }
        // the record as it is now (its level applies the kind's read permission); a
        // deleted one, to those who may view all records of the kind
        let v = match tx.get_raw(kind, e.aggregate_id)? {
            Some(raw) => self.visible(tx, kind, raw.id, &raw.data)?,
            None => self.session.object(kind).view_all,
        };
        seen.insert((kind, e.aggregate_id), v);
        Ok(v)
    }

    /// `data` as the user may write it over the stored record: hidden fields put back,
    /// read-only ones checked; refused without the object permission or edit access.
    fn check_write<'d>(
        &self,
        tx: &dyn ReadTx,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        data: &'d str,
    ) -> Result<Cow<'d, str>> {
        if expected_version == 0 {
            self.object("create", kind, Some(id))?;
            return Ok(Cow::Borrowed(data));
        }
        self.object("edit", kind, Some(id))?;
        let owned = match class(kind) {
            Class::Owned { owner, .. } => Some(owner),
            Class::OfAccount { .. } | Class::OfRecord { .. } => None,
            _ => return Ok(Cow::Borrowed(data)),
        };
        let Some(stored) = tx.get_raw(kind, id)? else {
            return Ok(Cow::Borrowed(data));
        };
        let level = self.level_of(tx, kind, id, &stored.data)?;
        if level < Level::Edit {
            return Err(self.refuse(
                "edit",
                kind,
                Some(id),
                if level == Level::Read {
                    "the record is shared with the user read-only"
                } else {
                    "the record is not shared with the user"
                },
            ));
        }
        let rules = self.session.fields.get(&kind);
        if owned.is_none() && rules.is_none() {
            return Ok(Cow::Borrowed(data));
        }
        let old = parse(kind, id, &stored.data)?;
        let mut new = parse(kind, id, data)?;
        if let Some(owner) = owned
            && at(&old, owner) != at(&new, owner)
            && level < Level::Full
        {
            return Err(self.refuse(
                "transfer",
                kind,
                Some(id),
                "only the owner, those above them and users who may modify all records of \
                 the kind give a record to another owner",
            ));
        }
        let Some(rules) = rules else {
            return Ok(Cow::Borrowed(data));
        };
        for (path, access) in rules {
            match access {
                FieldAccess::Hidden => match at(&old, path) {
                    Some(v) => set(&mut new, path, v.clone()),
                    None => remove(&mut new, path),
                },
                FieldAccess::ReadOnly => {
                    if at(&old, path) != at(&new, path) {
                        return Err(self.refuse(
                            "edit",
                            kind,
                            Some(id),
                            format!("{path} is read-only for the user's role"),
                        ));
                    }
                }
            }
        }
        Ok(Cow::Owned(new.to_string()))
    }

    fn check_remove(
        &self,
        tx: &dyn ReadTx,
        kind: EntityKind,
        id: u64,
        operation: &str,
    ) -> Result<()> {
        self.object(
            if operation == "delete" {
                "delete"
            } else {
                "edit"
            },
            kind,
            Some(id),
        )?;
        let need = match (class(kind), operation) {
            (Class::Owned { .. }, "delete") => Level::Full,
            (Class::Owned { .. } | Class::OfAccount { .. } | Class::OfRecord { .. }, _) => {
                Level::Edit
            }
            _ => return Ok(()),
        };
        let Some(stored) = tx.get_raw(kind, id)? else {
            return Ok(());
        };
        if self.level_of(tx, kind, id, &stored.data)? < need {
            return Err(self.refuse(
                operation,
                kind,
                Some(id),
                if need == Level::Full {
                    "only the owner, those above them and users who may modify all records of \
                     the kind delete a record"
                } else {
                    "the record is not shared with the user for editing"
                },
            ));
        }
        Ok(())
    }
}

fn remove(doc: &mut Value, path: &str) {
    let (parent, last) = match path.rsplit_once('.') {
        Some((p, l)) => (p, l),
        None => ("", path),
    };
    let holder = if parent.is_empty() {
        Some(doc)
    } else {
        parent
            .split('.')
            .try_fold(doc, |v, part| v.as_object_mut()?.get_mut(part))
    };
    if let Some(Value::Object(m)) = holder {
        m.remove(last);
    }
}

fn set(doc: &mut Value, path: &str, value: Value) {
    let mut cur = doc;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Value::Object(m) = cur else { return };
        if i + 1 == parts.len() {
            m.insert((*part).to_string(), value);
            return;
        }
        cur = m
            .entry((*part).to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
}

/// A read transaction seen through a user's rules.
pub struct GuardedRead<'a> {
    tx: &'a dyn ReadTx,
    guard: &'a Guard<'a>,
}

impl<'a> GuardedRead<'a> {
    /// `tx` through `guard`.
    pub fn new(tx: &'a dyn ReadTx, guard: &'a Guard<'a>) -> Self {
        GuardedRead { tx, guard }
    }
}

impl ReadTx for GuardedRead<'_> {
    fn get_raw(&self, kind: EntityKind, id: u64) -> Result<Option<RawRecord>> {
        self.guard.get(self.tx, kind, id)
    }
    fn find_ids(&self, kind: EntityKind, slot: usize, value: &str) -> Result<Vec<u64>> {
        self.guard.object("read", kind, None)?;
        let ids = self.tx.find_ids(kind, slot, value)?;
        self.guard.ids_visible(self.tx, kind, ids)
    }
    fn find_ids_after(
        &self,
        kind: EntityKind,
        slot: usize,
        value: &str,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        self.guard.object("read", kind, None)?;
        let mut out = Vec::new();
        let mut after = after_id;
        while out.len() < limit {
            let want = limit - out.len();
            let ids = self.tx.find_ids_after(kind, slot, value, after, want)?;
            let full = ids.len() == want;
            let Some(last) = ids.last().copied() else {
                break;
            };
            after = last;
            out.extend(self.guard.ids_visible(self.tx, kind, ids)?);
            if !full {
                break;
            }
        }
        Ok(out)
    }
    fn scan_raw(&self, kind: EntityKind, after_id: u64, limit: usize) -> Result<Vec<RawRecord>> {
        self.guard
            .refill(self.tx, kind, after_id, limit, |after, want| {
                self.tx.scan_raw(kind, after, want)
            })
    }
    fn visit_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        self.guard.object("read", kind, None)?;
        let (tx, guard) = (self.tx, self.guard);
        let mut delivered = 0;
        let mut after = after_id;
        while delivered < limit {
            let want = limit - delivered;
            let mut last = None;
            let visited = tx.visit_raw(kind, after, want, &mut |id, version, data| {
                last = Some(id);
                if guard.visible(tx, kind, id, data)? {
                    match guard.shown(kind, id, data)? {
                        Some(shown) => f(id, version, &shown)?,
                        None => f(id, version, data)?,
                    }
                    delivered += 1;
                }
                Ok(())
            })?;
            match last {
                Some(id) if visited == want => after = id,
                _ => break,
            }
        }
        Ok(delivered)
    }
    fn scan_archived(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<RawRecord>> {
        self.guard
            .refill(self.tx, kind, after_id, limit, |after, want| {
                self.tx.scan_archived(kind, after, want)
            })
    }
    fn events_since(&self, after_sequence: u64, limit: usize) -> Result<Vec<EventEnvelope>> {
        let mut seen = HashMap::new();
        let mut out = Vec::new();
        let mut after = after_sequence;
        while out.len() < limit {
            let want = limit - out.len();
            let batch = self.tx.events_since(after, want)?;
            let full = batch.len() == want;
            let Some(last) = batch.last().map(|e| e.sequence) else {
                break;
            };
            after = last;
            for e in batch {
                if self.guard.event_visible(self.tx, &mut seen, &e)? {
                    out.push(e);
                }
            }
            if !full {
                break;
            }
        }
        Ok(out)
    }
    fn events_of(&self, kind: EntityKind, id: u64) -> Result<Vec<EventEnvelope>> {
        // Refused like a read of the record itself when it exists and is not visible.
        self.guard.get(self.tx, kind, id)?;
        let mut seen = HashMap::new();
        let mut out = Vec::new();
        for e in self.tx.events_of(kind, id)? {
            if self.guard.event_visible(self.tx, &mut seen, &e)? {
                out.push(e);
            }
        }
        Ok(out)
    }
    fn search_text(&self, query: &TextQuery) -> Result<Vec<TextHit>> {
        for kind in &query.kinds {
            self.guard.object("read", *kind, None)?;
        }
        let mut asked = query.clone();
        loop {
            let hits = self.tx.search_text(&asked)?;
            let exhausted = hits.len() < asked.limit;
            let mut kept = Vec::with_capacity(query.limit);
            for hit in hits {
                if kept.len() == query.limit {
                    break;
                }
                if let Some(raw) = self.tx.get_raw(hit.kind, hit.id)?
                    && self.guard.visible(self.tx, hit.kind, hit.id, &raw.data)?
                {
                    kept.push(hit);
                }
            }
            if kept.len() == query.limit || exhausted {
                return Ok(kept);
            }
            asked.limit = asked.limit.saturating_mul(4);
        }
    }
    fn last_event_sequence(&self) -> Result<u64> {
        self.tx.last_event_sequence()
    }
    fn system(&self) -> Option<&dyn ReadTx> {
        Some(self.tx)
    }
}

/// A write transaction seen through a user's rules.
pub struct GuardedWrite<'a> {
    tx: &'a mut dyn WriteTx,
    guard: &'a Guard<'a>,
}

impl<'a> GuardedWrite<'a> {
    /// `tx` through `guard`.
    pub fn new(tx: &'a mut dyn WriteTx, guard: &'a Guard<'a>) -> Self {
        GuardedWrite { tx, guard }
    }

    fn reader(&self) -> GuardedRead<'_> {
        GuardedRead {
            tx: &*self.tx,
            guard: self.guard,
        }
    }
}

impl ReadTx for GuardedWrite<'_> {
    fn get_raw(&self, kind: EntityKind, id: u64) -> Result<Option<RawRecord>> {
        self.reader().get_raw(kind, id)
    }
    fn find_ids(&self, kind: EntityKind, slot: usize, value: &str) -> Result<Vec<u64>> {
        self.reader().find_ids(kind, slot, value)
    }
    fn find_ids_after(
        &self,
        kind: EntityKind,
        slot: usize,
        value: &str,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        self.reader()
            .find_ids_after(kind, slot, value, after_id, limit)
    }
    fn scan_raw(&self, kind: EntityKind, after_id: u64, limit: usize) -> Result<Vec<RawRecord>> {
        self.reader().scan_raw(kind, after_id, limit)
    }
    fn visit_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        self.reader().visit_raw(kind, after_id, limit, f)
    }
    fn scan_archived(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<RawRecord>> {
        self.reader().scan_archived(kind, after_id, limit)
    }
    fn events_since(&self, after_sequence: u64, limit: usize) -> Result<Vec<EventEnvelope>> {
        self.reader().events_since(after_sequence, limit)
    }
    fn events_of(&self, kind: EntityKind, id: u64) -> Result<Vec<EventEnvelope>> {
        self.reader().events_of(kind, id)
    }
    fn search_text(&self, query: &TextQuery) -> Result<Vec<TextHit>> {
        self.reader().search_text(query)
    }
    fn last_event_sequence(&self) -> Result<u64> {
        self.tx.last_event_sequence()
    }
    fn system(&self) -> Option<&dyn ReadTx> {
        Some(&*self.tx)
    }
}

impl WriteTx for GuardedWrite<'_> {
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
        let data = self
            .guard
            .check_write(&*self.tx, kind, id, expected_version, data)?;
        self.tx.put_raw(kind, id, expected_version, &data, keys)
    }
    fn prepare(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        data: &str,
    ) -> Result<Option<String>> {
        self.tx.prepare(kind, id, expected_version, data)
    }
    fn delete_raw(&mut self, kind: EntityKind, id: u64, expected_version: u64) -> Result<()> {
        self.guard.check_remove(&*self.tx, kind, id, "delete")?;
        self.tx.delete_raw(kind, id, expected_version)
    }
    fn set_archived(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        archived: bool,
    ) -> Result<()> {
        self.guard.check_remove(
            &*self.tx,
            kind,
            id,
            if archived { "archive" } else { "restore" },
        )?;
        self.tx.set_archived(kind, id, expected_version, archived)
    }
    fn redact_event(&mut self, sequence: u64, payload: &serde_json::Value) -> Result<()> {
        self.tx.redact_event(sequence, payload)
    }
    fn append_event(&mut self, event: &NewEvent) -> Result<u64> {
        self.tx.append_event(event)
    }
}
