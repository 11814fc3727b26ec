//! Merging duplicates: two leads, contacts or accounts become one. The caller chooses per
//! field which value survives (the survivor's by default, the merged record's for the
//! fields named in [`MergeChoices`]; empty fields of the survivor are filled from the
//! merged record). Every related record is re-pointed to the survivor, the merged record
//! is deleted, and its last state is kept in the `RecordsMerged` event.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::activity::Activity;
use crate::customer::{Account, Contact, Purchase};
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{AccountId, ContactId, LeadId, RecordRef};
use crate::lead::Lead;
use crate::quote::document::{Quote, SalesOrder};
use crate::sales::Opportunity;
use crate::service::{Asset, Case, Contract, ServiceOrder};
use crate::store::{Entity, ReadExt, Store, WriteExt, WriteTx};
use crate::tracking::Touchpoint;

use super::Crm;

/// Which fields take the merged record's value.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MergeChoices {
    /// Top-level field names (`email`, `phones`, `data`…) whose value comes from the merged
    /// record. For leads, person fields live under `data`, so name them `data.email`.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub take_from_merged: Vec<String>,
}

impl MergeChoices {
    /// Takes `field` from the merged record (builder style).
    #[must_use]
    pub fn take(mut self, field: &str) -> Self {
        self.take_from_merged.push(field.to_string());
        self
    }
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merged<E> {
    /// The survivor, as stored after the merge.
    pub survivor: E,
    /// How many related records were re-pointed to it.
    pub repointed: usize,
}

/// A merge of two leads, as the API surface returns it (a concrete record every binding
/// can name).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedLead {
    /// The survivor, as stored after the merge.
    pub survivor: Lead,
    /// How many related records were re-pointed to it.
    pub repointed: usize,
}

/// A merge of two contacts, as the API surface returns it.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedContact {
    /// The survivor, as stored after the merge.
    pub survivor: Contact,
    /// How many related records were re-pointed to it.
    pub repointed: usize,
}

/// A merge of two accounts, as the API surface returns it.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedAccount {
    /// The survivor, as stored after the merge.
    pub survivor: Account,
    /// How many related records were re-pointed to it.
    pub repointed: usize,
}

macro_rules! merged_from {
    ($($concrete:ident($entity:ty)),*) => {$(
        impl From<Merged<$entity>> for $concrete {
            fn from(m: Merged<$entity>) -> Self {
                $concrete { survivor: m.survivor, repointed: m.repointed }
            }
        }
    )*};
}
merged_from!(
    MergedLead(Lead),
    MergedContact(Contact),
    MergedAccount(Account)
);

/// Fields no choice can take from the merged record: identity and bookkeeping.
const PROTECTED: [&str; 5] = ["id", "version", "created_at", "status", "conversion"];

fn is_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    }
}

fn fill(
    survivor: &mut serde_json::Map<String, Value>,
    merged: &serde_json::Map<String, Value>,
    depth: usize,
) {
    for (key, value) in merged {
        if depth == 0 && PROTECTED.contains(&key.as_str()) {
            continue;
        }
        match (survivor.get_mut(key), value) {
            (Some(Value::Object(s)), Value::Object(m)) => fill(s, m, depth + 1),
            (slot, _) if is_empty(slot.as_deref()) => {
                survivor.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
}

/// The survivor's fields, with the chosen ones and the survivor's blanks taken from `merged`.
fn merge_fields<E: Entity>(survivor: &E, merged: &E, choices: &MergeChoices) -> Result<E> {
    let to_map = |e: &E| match serde_json::to_value(e) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(Error::storage("record does not encode as an object")),
    };
    let mut s = to_map(survivor)?;
    let m = to_map(merged)?;
    let merged_value = Value::Object(m.clone());
    for field in &choices.take_from_merged {
        let path: Vec<&str> = field.split('.').collect();
        if PROTECTED.contains(&path[0]) {
            return Err(Error::invalid(
                "merge field",
                field,
                "identity and status fields cannot be taken from the merged record",
            ));
        }
        // A field the merged record leaves empty is taken as empty.
        let value = path
            .iter()
            .try_fold(&merged_value, |v, p| v.get(*p))
            .cloned()
            .unwrap_or(Value::Null);
        set_path(&mut s, &path, value, field)?;
    }
    fill(&mut s, &m, 0);
    serde_json::from_value(Value::Object(s))
        .map_err(|e| Error::invalid("merge", choices.take_from_merged.join(","), e.to_string()))
}

fn set_path(
    map: &mut serde_json::Map<String, Value>,
    path: &[&str],
    value: Value,
    field: &str,
) -> Result<()> {
    let unknown = || Error::invalid("merge field", field, "not a field of this record");
    match path {
        [last] => {
            map.insert((*last).to_string(), value);
            Ok(())
        }
        [first, rest @ ..] => match map.get_mut(*first) {
            Some(Value::Object(inner)) => set_path(inner, rest, value, field),
            _ => Err(unknown()),
        },
        [] => Err(unknown()),
    }
}

fn check_pair<Id: PartialEq + std::fmt::Display>(a: Id, b: Id) -> Result<()> {
    if a == b {
        Err(Error::invalid(
            "merge",
            a.to_string(),
            "a record cannot be merged into itself",
        ))
    } else {
        Ok(())
    }
}

fn finish<E: Entity>(
    tx: &mut dyn WriteTx,
    mut survivor: E,
    merged: &E,
    refs: (RecordRef, RecordRef),
    repointed: usize,
    now: DateTime<Utc>,
) -> Result<Merged<E>> {
    tx.update(&mut survivor)?;
    tx.remove(merged)?;
    tx.emit(
        &DomainEvent::RecordsMerged {
            survivor: refs.0,
            merged: refs.1,
            snapshot: serde_json::to_value(merged).map_err(Error::storage)?,
            repointed: repointed as u64,
        },
        now,
    )?;
    super::duplicates::settle_merge(tx, refs.0.into(), refs.1.into(), now)?;
    Ok(Merged {
        survivor,
        repointed,
    })
}

/// Re-points touchpoints and activities from one subject to another.
fn repoint_history(tx: &mut dyn WriteTx, from: RecordRef, to: RecordRef) -> Result<usize> {
    let mut n = 0;
    for mut t in tx.find::<Touchpoint>(Touchpoint::BY_SUBJECT, &from.key())? {
        t.subject = to;
        tx.update(&mut t)?;
        n += 1;
    }
    for mut a in tx.find::<Activity>(Activity::BY_SUBJECT, &from.key())? {
        a.subject = to;
        tx.update(&mut a)?;
        n += 1;
    }
    Ok(n)
}

/// Re-points what the service desk and the quotes hold of an account: assets, contracts,
/// cases, service orders, quotes and sales orders. The number re-pointed.
fn repoint_service_and_documents(
    tx: &mut dyn WriteTx,
    merged: AccountId,
    survivor: AccountId,
) -> Result<usize> {
    let key = merged.to_string();
    let mut n = 0;
    for mut a in tx.find::<Asset>(Asset::BY_ACCOUNT, &key)? {
        a.account = survivor;
        tx.update(&mut a)?;
        n += 1;
    }
    for mut c in tx.find::<Contract>(Contract::BY_ACCOUNT, &key)? {
        c.account = survivor;
        tx.update(&mut c)?;
        n += 1;
    }
    for mut c in tx.find::<Case>(Case::BY_ACCOUNT, &key)? {
        c.account = Some(survivor);
        tx.update(&mut c)?;
        n += 1;
    }
    for mut o in tx.all::<ServiceOrder>()? {
        if o.account == Some(merged) {
            o.account = Some(survivor);
            tx.update(&mut o)?;
            n += 1;
        }
    }
    for mut q in tx.find::<Quote>(Quote::BY_ACCOUNT, &key)? {
        q.content.account = survivor;
        tx.update(&mut q)?;
        n += 1;
    }
    for mut o in tx.find::<SalesOrder>(SalesOrder::BY_ACCOUNT, &key)? {
        o.content.account = survivor;
        tx.update(&mut o)?;
        n += 1;
    }
    Ok(n)
}

impl<S: Store> Crm<S> {
    /// Merges lead `merged` into lead `survivor`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for the same lead twice or an unknown or protected field
    /// name; [`Error::IllegalTransition`] when either lead is converted;
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn merge_leads(
        &self,
        survivor: LeadId,
        merged: LeadId,
        choices: &MergeChoices,
        now: DateTime<Utc>,
    ) -> Result<Merged<Lead>> {
        self.write(|tx| merge_leads_in(tx, survivor, merged, choices, now))
    }

    /// Merges contact `merged` into contact `survivor`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for the same contact twice or a bad field name;
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn merge_contacts(
        &self,
        survivor: ContactId,
        merged: ContactId,
        choices: &MergeChoices,
        now: DateTime<Utc>,
    ) -> Result<Merged<Contact>> {
        self.write(|tx| merge_contacts_in(tx, survivor, merged, choices, now))
    }

    /// Merges account `merged` into account `survivor`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for the same account twice or a bad field name;
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn merge_accounts(
        &self,
        survivor: AccountId,
        merged: AccountId,
        choices: &MergeChoices,
        now: DateTime<Utc>,
    ) -> Result<Merged<Account>> {
        check_pair(survivor, merged)?;
        self.write(|tx| {
            let s: Account = tx.load(survivor)?;
            let m: Account = tx.load(merged)?;
            let mut result = merge_fields(&s, &m, choices)?;
            result.updated_at = now;
            let key = merged.to_string();
            let mut n =
                repoint_history(tx, RecordRef::Account(merged), RecordRef::Account(survivor))?;
            for mut c in tx.find::<Contact>(Contact::BY_ACCOUNT, &key)? {
                c.account = Some(survivor);
                for lead_id in c.from_leads.clone() {
                    if let Some(mut lead) = tx.get::<Lead>(lead_id)?
                        && let Some(conv) = lead.conversion.as_mut().filter(|x| x.account == merged)
                    {
                        conv.account = survivor;
                        tx.update(&mut lead)?;
                        n += 1;
                    }
                }
                tx.update(&mut c)?;
                n += 1;
            }
            for mut o in tx.find::<Opportunity>(Opportunity::BY_ACCOUNT, &key)? {
                o.account = survivor;
                tx.update(&mut o)?;
                n += 1;
            }
            for mut p in tx.find::<Purchase>(Purchase::BY_ACCOUNT, &key)? {
                p.account = Some(survivor);
                tx.update(&mut p)?;
                n += 1;
            }
            n += repoint_service_and_documents(tx, merged, survivor)?;
            finish(
                tx,
                result,
                &m,
                (RecordRef::Account(survivor), RecordRef::Account(merged)),
                n,
                now,
            )
        })
    }
}

/// [`Crm::merge_leads`] inside a transaction.
pub(crate) fn merge_leads_in(
    tx: &mut dyn WriteTx,
    survivor: LeadId,
    merged: LeadId,
    choices: &MergeChoices,
    now: DateTime<Utc>,
) -> Result<Merged<Lead>> {
    check_pair(survivor, merged)?;
    let s: Lead = tx.load(survivor)?;
    let m: Lead = tx.load(merged)?;
    for l in [&s, &m] {
        if l.status.is_final() {
            return Err(Error::IllegalTransition {
                kind: "lead".into(),
                from: "converted".into(),
                to: "merged".into(),
            });
        }
    }
    let mut result = merge_fields(&s, &m, choices)?;
    result.updated_at = now;
    result.spam_signals = result.data.spam_signals();
    let mut n = repoint_history(tx, RecordRef::Lead(merged), RecordRef::Lead(survivor))?;
    // the duplicate's consents and do-not-contact mark move to the survivor
    crate::consent::carry(
        tx,
        RecordRef::Lead(merged),
        RecordRef::Lead(survivor),
        true,
        now,
    )?;
    for mut o in tx.find::<Opportunity>(Opportunity::BY_LEAD, &merged.to_string())? {
        o.source_lead = Some(survivor);
        tx.update(&mut o)?;
        n += 1;
    }
    finish(
        tx,
        result,
        &m,
        (RecordRef::Lead(survivor), RecordRef::Lead(merged)),
        n,
        now,
    )
}

/// [`Crm::merge_contacts`] inside a transaction.
pub(crate) fn merge_contacts_in(
    tx: &mut dyn WriteTx,
    survivor: ContactId,
    merged: ContactId,
    choices: &MergeChoices,
    now: DateTime<Utc>,
) -> Result<Merged<Contact>> {
    check_pair(survivor, merged)?;
    let s: Contact = tx.load(survivor)?;
    let m: Contact = tx.load(merged)?;
    let mut result = merge_fields(&s, &m, choices)?;
    result.updated_at = now;
    for l in &m.from_leads {
        if !result.from_leads.contains(l) {
            result.from_leads.push(*l);
        }
    }
    let mut n = repoint_history(tx, RecordRef::Contact(merged), RecordRef::Contact(survivor))?;
    crate::consent::carry(
        tx,
        RecordRef::Contact(merged),
        RecordRef::Contact(survivor),
        true,
        now,
    )?;
    for mut p in tx.find::<Purchase>(Purchase::BY_CONTACT, &merged.to_string())? {
        p.contact = survivor;
        tx.update(&mut p)?;
        n += 1;
    }
    if let Some(account) = m.account {
        for mut o in tx.find::<Opportunity>(Opportunity::BY_ACCOUNT, &account.to_string())? {
            let mut changed = false;
            if o.contact == Some(merged) {
                o.contact = Some(survivor);
                changed = true;
            }
            for kp in &mut o.key_players {
                if kp.contact == merged {
                    kp.contact = survivor;
                    changed = true;
                }
            }
            if changed {
                tx.update(&mut o)?;
                n += 1;
            }
        }
    }
    for lead_id in &m.from_leads {
        if let Some(mut lead) = tx.get::<Lead>(*lead_id)?
            && let Some(c) = lead.conversion.as_mut().filter(|c| c.contact == merged)
        {
            c.contact = survivor;
            tx.update(&mut lead)?;
            n += 1;
        }
    }
    // the service cases the merged contact raised (merges are rare: a full pass)
    for mut case in tx.all::<Case>()? {
        if case.contact == Some(merged) {
            case.contact = Some(survivor);
            tx.update(&mut case)?;
            n += 1;
        }
    }
    finish(
        tx,
        result,
        &m,
        (RecordRef::Contact(survivor), RecordRef::Contact(merged)),
        n,
        now,
    )
}
