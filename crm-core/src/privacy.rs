//! Personal data of one person: export (GDPR articles 15 and 20) and erase (article 17).
//!
//! A person is named by a lead, a contact or an e-mail address. Their records are found
//! the same way for both: the leads and contacts with their e-mail address (in its
//! normal form), the contacts converted from their leads, and, through the dependants
//! table of [`crate::lifecycle`], every record that hangs on those (touchpoints,
//! activities, consents, do-not-contact marks, unsubscribe tokens, external ids,
//! purchases, cases, opportunities). Their events are the events of those records and
//! every event whose payload holds one of their identifiers (an e-mail address, a phone
//! number, their full name): a merge snapshot of a duplicate they once were is found so.
//!
//! Erasing:
//! - the person's leads and contacts stay as records (purchases, cases and orders point at
//!   them, and a business keeps those) with every personal field blanked and the name
//!   `[erased]`;
//! - what exists only because of the person goes: touchpoints, activities about them,
//!   consents, do-not-contact marks, unsubscribe tokens, external ids;
//! - records kept for the business (purchases, cases, opportunities, quotes) keep their
//!   figures, with the person's identifiers replaced by `[erased]` in their texts;
//! - events: the person's identifiers are replaced in every payload, the old and new values
//!   of edits of their records are dropped, and merge snapshots of them are replaced;
//! - the search index follows the records in the same transaction; then the store makes
//!   deleted content unrecoverable ([`crate::store::Store::purge`]: SQLite zeroes freed
//!   space, merges its full-text index and truncates its write-ahead log);
//! - one `PersonErased` event records the erasure, naming records by kind and id only.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::contact_info::Email;
use crate::crm::Crm;
use crate::customer::Contact;
use crate::error::{Error, Result};
use crate::event::{DomainEvent, EventEnvelope};
use crate::id::{ContactId, LeadId, RecordKey};
use crate::lead::Lead;
use crate::store::{EntityKind, ReadExt, ReadTx, Store, WriteExt, WriteTx};

/// What replaces a person's data.
pub const ERASED: &str = "[erased]";

/// Who a request is about.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case", deny_unknown_fields)]
pub enum Person {
    /// The person a lead is about.
    Lead {
        /// The lead.
        id: LeadId,
    },
    /// The person a contact is.
    Contact {
        /// The contact.
        id: ContactId,
    },
    /// Whoever has this e-mail address.
    Email {
        /// The address.
        address: Email,
    },
}

/// What an erasure did.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    /// The person's leads and contacts, kept with their personal fields blanked.
    pub anonymised: Vec<RecordKey>,
    /// Records that existed only because of the person, deleted.
    pub deleted: Vec<RecordKey>,
    /// Records kept for the business whose texts held the person's identifiers.
    pub scrubbed: Vec<RecordKey>,
    /// Events whose payloads were redacted.
    pub events_redacted: u64,
}

/// A person's records and identifiers, as found in one transaction.
struct Found {
    /// Their leads and contacts.
    subjects: Vec<RecordKey>,
    /// Records hanging on those, with whether they exist only because of the person.
    related: Vec<(RecordKey, bool)>,
    /// Texts that identify them: e-mail addresses, phone numbers, full names.
    identifiers: Vec<String>,
}

fn lead_identifiers(lead: &Lead, out: &mut BTreeSet<String>) {
    let d = &lead.data;
    if let Some(e) = &d.email {
        out.insert(e.as_str().to_string());
    }
    if let Some(p) = &d.phone {
        out.insert(p.as_str().to_string());
    }
    if let (Some(f), Some(l)) = (&d.first_name, &d.last_name) {
        out.insert(format!("{f} {l}"));
    }
    if let Some(l) = &d.last_name {
        out.insert(l.clone());
    }
}

fn contact_identifiers(c: &Contact, out: &mut BTreeSet<String>) {
    if let Some(e) = &c.email {
        out.insert(e.as_str().to_string());
    }
    for p in &c.phones {
        out.insert(p.number.as_str().to_string());
    }
    if let (Some(f), Some(l)) = (&c.first_name, &c.last_name) {
        out.insert(format!("{f} {l}"));
    }
    if let Some(l) = &c.last_name {
        out.insert(l.clone());
    }
}

/// Finds a person's records: the closure of e-mail addresses over leads and contacts, and
/// the contacts made from their leads.
fn find(tx: &dyn ReadTx, person: &Person) -> Result<Found> {
    let mut leads: BTreeSet<u64> = BTreeSet::new();
    let mut contacts: BTreeSet<u64> = BTreeSet::new();
    let mut emails: Vec<Email> = Vec::new();
    match person {
        Person::Lead { id } => {
            tx.load::<Lead>(*id)?;
            leads.insert(id.get());
        }
        Person::Contact { id } => {
            tx.load::<Contact>(*id)?;
            contacts.insert(id.get());
        }
        Person::Email { address } => emails.push(address.clone()),
    }
    let mut seen_emails: BTreeSet<String> = BTreeSet::new();
    let mut identifiers = BTreeSet::new();
    loop {
        for l in &leads {
            if let Some(lead) = tx.get::<Lead>(LeadId::from_store(*l))? {
                emails.extend(lead.data.email.clone());
            }
        }
        for c in &contacts {
            if let Some(contact) = tx.get::<Contact>(ContactId::from_store(*c))? {
                emails.extend(contact.email.clone());
            }
        }
        let before = (leads.len(), contacts.len());
        for e in std::mem::take(&mut emails) {
            if !seen_emails.insert(e.as_str().to_string()) {
                continue;
            }
            let key = e.dedup_key();
            leads.extend(tx.find_ids(EntityKind::Lead, 0, &key)?);
            contacts.extend(tx.find_ids(EntityKind::Contact, 0, &key)?);
        }
        // contacts converted from the person's leads
        let mut after = 0;
        loop {
            let page: Vec<Contact> = tx.scan(after, 1000)?;
            let Some(last) = page.last() else { break };
            after = last.id.get();
            for c in page {
                if c.from_leads.iter().any(|l| leads.contains(&l.get())) {
                    contacts.insert(c.id.get());
                }
            }
        }
        if (leads.len(), contacts.len()) == before && emails.is_empty() {
            break;
        }
    }
    let mut subjects = Vec::new();
    for l in &leads {
        if let Some(lead) = tx.get::<Lead>(LeadId::from_store(*l))? {
            lead_identifiers(&lead, &mut identifiers);
            subjects.push(RecordKey::new(EntityKind::Lead, *l));
        }
    }
    for c in &contacts {
        if let Some(contact) = tx.get::<Contact>(ContactId::from_store(*c))? {
            contact_identifiers(&contact, &mut identifiers);
            subjects.push(RecordKey::new(EntityKind::Contact, *c));
        }
    }
    let mut related = Vec::new();
    // the accounts of their contacts keep what a conversion copied from them (a phone)
    for c in &contacts {
        if let Some(a) = tx
            .get::<Contact>(ContactId::from_store(*c))?
            .and_then(|c| c.account)
        {
            let key = RecordKey::new(EntityKind::Account, a.get());
            if !related.iter().any(|(k, _)| *k == key) {
                related.push((key, false));
            }
        }
    }
    for s in &subjects {
        for (key, owned) in crate::lifecycle::dependants::referencing(tx, s.kind(), s.id())? {
            if !related.iter().any(|(k, _)| *k == key) {
                related.push((key, owned));
            }
        }
    }
    Ok(Found {
        subjects,
        related,
        identifiers: identifiers
            .into_iter()
            .filter(|i| i.chars().count() >= 3)
            .collect(),
    })
}

/// Whether `text` holds one of `ids` (ignoring case).
fn mentions(text: &str, ids: &[String]) -> bool {
    let lower = text.to_lowercase();
    ids.iter().any(|i| lower.contains(&i.to_lowercase()))
}

/// `text` with every identifier in it replaced by [`ERASED`] (ignoring case).
fn redacted(text: &str, ids: &[String]) -> String {
    let mut out = text.to_string();
    for id in ids {
        let needle = id.to_lowercase();
        loop {
            let lower = out.to_lowercase();
            let Some(at) = lower.find(&needle) else { break };
            if lower.len() != out.len() {
                // lower-casing moved the bytes: the whole text goes
                return ERASED.to_string();
            }
            out.replace_range(at..at + needle.len(), ERASED);
        }
    }
    out
}

/// Clears every string of `v` that is an identifier and redacts those that hold one;
/// whether anything changed.
fn scrub(v: &mut Value, ids: &[String]) -> bool {
    match v {
        Value::String(s) if mentions(s, ids) => {
            let lower = s.trim().to_lowercase();
            if ids.iter().any(|i| i.to_lowercase() == lower) {
                *v = Value::Null;
            } else {
                *s = redacted(s, ids);
            }
            true
        }
        Value::Array(items) => items.iter_mut().fold(false, |c, i| scrub(i, ids) | c),
        Value::Object(m) => m.values_mut().fold(false, |c, i| scrub(i, ids) | c),
        _ => false,
    }
}

/// Every event about the person: of their records, or holding an identifier.
fn events_of(tx: &dyn ReadTx, found: &Found) -> Result<Vec<EventEnvelope>> {
    let mine: BTreeSet<(EntityKind, u64)> = found
        .subjects
        .iter()
        .chain(found.related.iter().map(|(k, _)| k))
        .map(|k| (k.kind(), k.id()))
        .collect();
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = tx.events_since(after, 4096)?;
        let Some(last) = page.last() else { break };
        after = last.sequence;
        for e in page {
            if mine.contains(&(e.aggregate, e.aggregate_id))
                || mentions(&e.payload.to_string(), &found.identifiers)
            {
                out.push(e);
            }
        }
    }
    Ok(out)
}

/// The document of a record, with its key.
fn document(tx: &dyn ReadTx, key: RecordKey) -> Result<Option<Value>> {
    Ok(match tx.get_raw(key.kind(), key.id())? {
        Some(raw) => {
            let mut doc: Value = serde_json::from_str(&raw.data).map_err(Error::storage)?;
            if let Value::Object(m) = &mut doc {
                m.insert("record".into(), Value::String(key.to_string()));
                m.insert("archived".into(), Value::Bool(raw.archived));
            }
            Some(doc)
        }
        None => None,
    })
}

/// Blanks a lead's personal fields.
fn anonymise_lead(lead: &mut Lead) {
    let d = &mut lead.data;
    d.first_name = None;
    d.last_name = Some(ERASED.into());
    d.company = None;
    d.job_title = None;
    d.email = None;
    d.phone = None;
    d.website = None;
    d.address = Default::default();
    d.demographics = Default::default();
    d.description = None;
    d.custom.clear();
    lead.spam_signals.clear();
}

/// Blanks a contact's personal fields.
fn anonymise_contact(c: &mut Contact) {
    c.first_name = None;
    c.last_name = Some(ERASED.into());
    c.job_title = None;
    c.email = None;
    c.phones.clear();
    c.addresses.clear();
    c.best_time_to_call = None;
    c.demographics = Default::default();
    c.custom.clear();
}

fn erase_in(tx: &mut dyn WriteTx, person: &Person, now: DateTime<Utc>) -> Result<Erasure> {
    let found = find(&*tx, person)?;
    let events = events_of(&*tx, &found)?;
    let mut erasure = Erasure::default();
    // events first: their payloads are read before the records change
    let subjects: BTreeSet<(EntityKind, u64)> =
        found.subjects.iter().map(|k| (k.kind(), k.id())).collect();
    for e in events {
        let mut payload = e.payload.clone();
        let mut changed = scrub(&mut payload, &found.identifiers);
        if let Some(Value::Object(m)) = Some(&mut payload) {
            // an edit of the person's record: the old and new values go
            if subjects.contains(&(e.aggregate, e.aggregate_id))
                && let Some(Value::Array(changes)) = m.get_mut("changes")
            {
                for c in changes.iter_mut() {
                    if let Value::Object(c) = c {
                        c.insert("old".into(), Value::Null);
                        c.insert("new".into(), Value::Null);
                        changed = true;
                    }
                }
            }
            // a merge snapshot of the person, or one that names them
            let merged_is_person = m
                .get("merged")
                .and_then(|r| serde_json::from_value::<crate::id::RecordRef>(r.clone()).ok())
                .is_some_and(|r| {
                    let (k, id) = crate::event::record_ref_aggregate(&r);
                    subjects.contains(&(k, id))
                });
            if m.contains_key("snapshot") && (merged_is_person || changed) {
                m.insert("snapshot".into(), json!({ "erased": true }));
                changed = true;
            }
        }
        if changed {
            tx.redact_event(e.sequence, &payload)?;
            erasure.events_redacted += 1;
        }
    }
    for key in &found.subjects {
        match key.kind() {
            EntityKind::Lead => {
                let mut lead: Lead = tx.load(LeadId::from_store(key.id()))?;
                anonymise_lead(&mut lead);
                lead.updated_at = now;
                tx.update(&mut lead)?;
            }
            _ => {
                let mut c: Contact = tx.load(ContactId::from_store(key.id()))?;
                anonymise_contact(&mut c);
                c.updated_at = now;
                tx.update(&mut c)?;
            }
        }
        erasure.anonymised.push(*key);
    }
    for (key, owned) in &found.related {
        let Some(raw) = tx.get_raw(key.kind(), key.id())? else {
            continue;
        };
        if *owned {
            tx.delete_raw(key.kind(), key.id(), raw.version)?;
            erasure.deleted.push(*key);
        } else {
            let mut doc: Value = serde_json::from_str(&raw.data).map_err(Error::storage)?;
            if scrub(&mut doc, &found.identifiers) {
                crate::lifecycle::dependants::rewrite_document(tx, key.kind(), key.id(), doc)?;
                erasure.scrubbed.push(*key);
            }
        }
    }
    if let Some(first) = found.subjects.first() {
        tx.emit(
            &DomainEvent::PersonErased {
                record: *first,
                records: found
                    .subjects
                    .iter()
                    .copied()
                    .chain(found.related.iter().map(|(k, _)| *k))
                    .collect(),
                events_redacted: erasure.events_redacted,
            },
            now,
        )?;
    }
    Ok(erasure)
}

impl<S: Store> Crm<S> {
    /// Everything the CRM holds about a person, as one JSON document: their leads and
    /// contacts, every record that hangs on them, and every event about them (GDPR
    /// articles 15 and 20).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown lead or contact; [`Error::Storage`].
    pub fn export_person(&self, person: &Person, now: DateTime<Utc>) -> Result<Value> {
        self.require(
            crate::access::SystemPermission::ErasePersonalData,
            EntityKind::Contact,
        )?;
        self.read(|tx| {
            let found = find(tx, person)?;
            let mut records = serde_json::Map::new();
            for key in found
                .subjects
                .iter()
                .chain(found.related.iter().map(|(k, _)| k))
            {
                if let Some(doc) = document(tx, *key)? {
                    let list = records
                        .entry(key.kind().as_str())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(items) = list {
                        items.push(doc);
                    }
                }
            }
            let events = events_of(tx, &found)?;
            Ok(json!({
                "person": person,
                "exported_at": crate::time::format_rfc3339(now),
                "records": records,
                "events": events,
            }))
        })
    }

    /// Erases a person (GDPR article 17): see the module docs for what goes, what is
    /// blanked and what a business keeps. Returns what was done; afterwards nothing of
    /// their e-mail address, phone number or name is left in the store's files.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown lead or contact; [`Error::Storage`].
    pub fn erase_person(&self, person: &Person, now: DateTime<Utc>) -> Result<Erasure> {
        self.require(
            crate::access::SystemPermission::ErasePersonalData,
            EntityKind::Contact,
        )?;
        let erasure = self.write(|tx| erase_in(tx, person, now))?;
        self.store().purge()?;
        Ok(erasure)
    }
}
