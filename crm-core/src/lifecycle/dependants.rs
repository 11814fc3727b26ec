//! Deleting records: which records depend on a record of each kind, and what deleting it
//! does to them.
//!
//! Each dependant is one of three:
//! - **blocks**: the record cannot be deleted while it exists (an account's contacts,
//!   opportunities, purchases, assets, contracts, cases, quotes and orders): the caller
//!   cascades (deletes them too, and theirs) or re-points them at another record;
//! - **owned**: it goes with the record (a lead's touchpoints and activities, an asset's
//!   warranties), or moves with it on a re-point;
//! - **detached**: an optional reference that is cleared (an opportunity's source lead,
//!   a case's asset), or moved on a re-point.
//!
//! Archived dependants count as much as live ones.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::activity::Activity;
use crate::crm::Crm;
use crate::customer::{Account, Contact, Purchase};
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{RecordKey, Version};
use crate::quote::document::{Quote, SalesOrder};
use crate::sales::Opportunity;
use crate::service::case::Case;
use crate::service::installed::{Asset, Contract, Warranty};
use crate::store::{Entity, EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};
use crate::tracking::Touchpoint;

use super::FieldChange;

/// The kinds [`Crm::archive`] takes.
pub const ARCHIVED_KINDS: &[EntityKind] = &[
    EntityKind::Lead,
    EntityKind::Account,
    EntityKind::Contact,
    EntityKind::Opportunity,
    EntityKind::Activity,
    EntityKind::Purchase,
    EntityKind::Product,
    EntityKind::PriceBook,
    EntityKind::Quote,
    EntityKind::Case,
    EntityKind::Asset,
    EntityKind::Contract,
    EntityKind::Campaign,
    EntityKind::Segment,
    EntityKind::Article,
    EntityKind::Technician,
    EntityKind::WebForm,
];

/// The kinds [`Crm::delete`] takes.
pub const DELETED_KINDS: &[EntityKind] = &[
    EntityKind::Lead,
    EntityKind::Account,
    EntityKind::Contact,
    EntityKind::Opportunity,
    EntityKind::Activity,
    EntityKind::Purchase,
    EntityKind::Asset,
    EntityKind::Contract,
    EntityKind::Case,
    EntityKind::Touchpoint,
    EntityKind::Warranty,
    EntityKind::ExternalLink,
    EntityKind::Consent,
    EntityKind::DoNotContact,
    EntityKind::UnsubscribeToken,
    EntityKind::DuplicateReview,
];

/// What a delete does with records that depend on the deleted one.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum OnDependants {
    /// Refuse (`in_use`) while records that block the delete exist; owned records go with
    /// it and optional references are cleared.
    #[default]
    Refuse,
    /// Delete every dependant too, and theirs.
    Cascade,
    /// Point every dependant at another record of the same kind, then delete.
    Repoint {
        /// The record that takes over the dependants.
        to: RecordKey,
    },
}

/// What a delete did.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deleted {
    /// Every record deleted, dependants first, the one asked for last.
    pub deleted: Vec<RecordKey>,
    /// Records that now point at the re-point target.
    pub repointed: Vec<RecordKey>,
    /// Records whose optional reference to a deleted record was cleared.
    pub detached: Vec<RecordKey>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    Blocks,
    Owned,
    Detach,
}

/// How a dependant writes its reference.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The id as a number (`"account": 7`), indexed as `7`.
    Id,
    /// A subject reference (`"subject": {"kind": "contact", "id": 7}`), indexed as
    /// `contact:7`; the pointer names its id.
    Subject,
    /// A record key (`"record": "contact:7"`), indexed as such.
    Key,
}

/// A kind of record that points at another: by which index slot it is found (none:
/// scanned), how it writes the reference, and where.
struct Dep {
    kind: EntityKind,
    slot: Option<usize>,
    form: Form,
    pointer: &'static str,
    rule: Rule,
}

const fn dep(kind: EntityKind, slot: Option<usize>, pointer: &'static str, rule: Rule) -> Dep {
    Dep {
        kind,
        slot,
        form: Form::Id,
        pointer,
        rule,
    }
}

/// Activities and touchpoints hang on a subject (`lead:3`), found by slot 0.
const fn about(kind: EntityKind) -> Dep {
    Dep {
        kind,
        slot: Some(0),
        form: Form::Subject,
        pointer: "/subject/id",
        rule: Rule::Owned,
    }
}

/// A record's ids in other systems go with it, whatever its kind.
const EXTERNAL_LINKS: Dep = Dep {
    kind: K::ExternalLink,
    slot: Some(crate::lifecycle::external::ExternalLink::BY_RECORD),
    form: Form::Key,
    pointer: "/record",
    rule: Rule::Owned,
};

/// A lead's or contact's places on the duplicate review list go with it.
const fn reviewed(slot: usize, pointer: &'static str) -> Dep {
    Dep {
        kind: K::DuplicateReview,
        slot: Some(slot),
        form: Form::Key,
        pointer,
        rule: Rule::Owned,
    }
}

use EntityKind as K;
use Rule::{Blocks, Detach, Owned};

/// Per kind, the records that depend on one of it.
const DEPENDANTS: &[(EntityKind, &[Dep])] = &[
    (
        K::Lead,
        &[
            about(K::Activity),
            about(K::Touchpoint),
            about(K::Consent),
            about(K::DoNotContact),
            about(K::UnsubscribeToken),
            reviewed(2, "/first"),
            reviewed(3, "/second"),
            dep(K::Opportunity, Some(4), "/source_lead", Detach),
        ],
    ),
    (
        K::Account,
        &[
            dep(K::Contact, Some(5), "/account", Blocks),
            dep(K::Opportunity, Some(0), "/account", Blocks),
            dep(K::Purchase, Some(1), "/account", Blocks),
            dep(K::Asset, Some(1), "/account", Blocks),
            dep(K::Contract, Some(0), "/account", Blocks),
            dep(K::Case, Some(1), "/account", Blocks),
            dep(K::Quote, Some(1), "/content/account", Blocks),
            dep(K::SalesOrder, Some(1), "/content/account", Blocks),
            about(K::Activity),
            about(K::Touchpoint),
        ],
    ),
    (
        K::Contact,
        &[
            dep(K::Purchase, Some(0), "/contact", Blocks),
            dep(K::Case, None, "/contact", Blocks),
            dep(K::Opportunity, None, "/contact", Detach),
            about(K::Activity),
            about(K::Touchpoint),
            about(K::Consent),
            about(K::DoNotContact),
            about(K::UnsubscribeToken),
            reviewed(2, "/first"),
            reviewed(3, "/second"),
        ],
    ),
    (
        K::Opportunity,
        &[
            dep(K::Quote, Some(2), "/content/opportunity", Blocks),
            dep(K::SalesOrder, Some(2), "/content/opportunity", Blocks),
            about(K::Activity),
            about(K::Touchpoint),
        ],
    ),
    (
        K::Asset,
        &[
            dep(K::Warranty, Some(0), "/asset", Owned),
            dep(K::Case, Some(3), "/asset", Detach),
        ],
    ),
    (K::Contract, &[dep(K::Case, Some(4), "/contract", Detach)]),
    (
        K::SalesOrder,
        &[
            dep(K::Purchase, None, "/sales_order", Detach),
            dep(K::Asset, None, "/sales_order", Detach),
            // its hand-offs to the ERP go with it
            Dep {
                kind: K::Delivery,
                slot: Some(crate::outbox::Delivery::BY_SUBJECT),
                form: Form::Key,
                pointer: "/subject",
                rule: Owned,
            },
        ],
    ),
];

fn dependants_of(kind: EntityKind) -> impl Iterator<Item = &'static Dep> {
    DEPENDANTS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[][..], |(_, deps)| deps)
        .iter()
        .chain(std::iter::once(&EXTERNAL_LINKS))
}

/// The records of `dep.kind` that point at record `id` of `kind`, live and archived.
fn find(tx: &dyn ReadTx, kind: EntityKind, id: u64, dep: &Dep) -> Result<Vec<(u64, u64)>> {
    let points_here = |data: &str| -> bool {
        let Ok(json) = serde_json::from_str::<Value>(data) else {
            return false;
        };
        match dep.form {
            Form::Id => json.pointer(dep.pointer).and_then(Value::as_u64) == Some(id),
            Form::Subject => {
                json.pointer("/subject/kind").and_then(Value::as_str) == Some(kind.as_str())
                    && json.pointer(dep.pointer).and_then(Value::as_u64) == Some(id)
            }
            Form::Key => {
                json.pointer(dep.pointer).and_then(Value::as_str)
                    == Some(RecordKey::new(kind, id).to_string().as_str())
            }
        }
    };
    let mut found = Vec::new();
    match dep.slot {
        Some(slot) => {
            let key = match dep.form {
                Form::Id => id.to_string(),
                Form::Subject | Form::Key => format!("{kind}:{id}"),
            };
            for dep_id in tx.find_ids(dep.kind, slot, &key)? {
                if let Some(raw) = tx.get_raw(dep.kind, dep_id)? {
                    found.push((raw.id, raw.version));
                }
            }
        }
        None => scan_matching(&mut found, &points_here, |after| {
            tx.scan_raw(dep.kind, after, 500)
        })?,
    }
    // archived records are in no index: scanned whatever the slot
    scan_matching(&mut found, &points_here, |after| {
        tx.scan_archived(dep.kind, after, 500)
    })?;
    Ok(found)
}

/// Every record that points at record `id` of `kind` (live and archived), with whether
/// it exists only because of it (owned: touchpoints, activities, consents, external
/// ids…) rather than for itself (purchases, cases, opportunities).
pub(crate) fn referencing(
    tx: &dyn ReadTx,
    kind: EntityKind,
    id: u64,
) -> Result<Vec<(RecordKey, bool)>> {
    let mut out = Vec::new();
    for dep in dependants_of(kind) {
        for (dep_id, _) in find(tx, kind, id, dep)? {
            out.push((RecordKey::new(dep.kind, dep_id), dep.rule == Owned));
        }
    }
    Ok(out)
}

/// Writes `doc` as record `id` of `kind` (a typed write: its index keys and search text
/// follow), at the version it has.
pub(crate) fn rewrite_document(
    tx: &mut dyn WriteTx,
    kind: EntityKind,
    id: u64,
    doc: Value,
) -> Result<()> {
    rewrite_any(tx, kind, id, "", doc).map(|_| ())
}

/// Adds to `found` the id and version of every record `page(after)` hands out, a page
/// at a time, whose document `matches`.
fn scan_matching(
    found: &mut Vec<(u64, u64)>,
    matches: &dyn Fn(&str) -> bool,
    mut page: impl FnMut(u64) -> Result<Vec<crate::store::RawRecord>>,
) -> Result<()> {
    let mut after = 0;
    loop {
        let records = page(after)?;
        let Some(last) = records.last() else {
            return Ok(());
        };
        after = last.id;
        found.extend(
            records
                .iter()
                .filter(|r| matches(&r.data))
                .map(|r| (r.id, r.version)),
        );
    }
}

/// Sets the reference at `pointer` of record `id` (of type `E`) to `value`, keeping its
/// index keys right; the change as history.
fn rewrite<E: Entity>(
    tx: &mut dyn WriteTx,
    id: u64,
    pointer: &str,
    value: Value,
) -> Result<FieldChange> {
    let record: E = tx.load(E::Id::from_raw(id))?;
    let mut json = serde_json::to_value(&record).map_err(Error::storage)?;
    let slot = json
        .pointer_mut(pointer)
        .ok_or_else(|| Error::storage(format!("{} {id} has no {pointer}", E::KIND)))?;
    let old = std::mem::replace(slot, value.clone());
    let mut edited: E = serde_json::from_value(json).map_err(Error::storage)?;
    edited.set_version(record.version());
    tx.update(&mut edited)?;
    Ok(FieldChange {
        field: pointer.trim_start_matches('/').replace('/', "."),
        old,
        new: value,
    })
}

fn rewrite_any(
    tx: &mut dyn WriteTx,
    kind: EntityKind,
    id: u64,
    pointer: &str,
    value: Value,
) -> Result<FieldChange> {
    match kind {
        K::Account => rewrite::<Account>(tx, id, pointer, value),
        K::Contact => rewrite::<Contact>(tx, id, pointer, value),
        K::Opportunity => rewrite::<Opportunity>(tx, id, pointer, value),
        K::Purchase => rewrite::<Purchase>(tx, id, pointer, value),
        K::Asset => rewrite::<Asset>(tx, id, pointer, value),
        K::Contract => rewrite::<Contract>(tx, id, pointer, value),
        K::Case => rewrite::<Case>(tx, id, pointer, value),
        K::Quote => rewrite::<Quote>(tx, id, pointer, value),
        K::SalesOrder => rewrite::<SalesOrder>(tx, id, pointer, value),
        K::Activity => rewrite::<Activity>(tx, id, pointer, value),
        K::Touchpoint => rewrite::<Touchpoint>(tx, id, pointer, value),
        K::Warranty => rewrite::<Warranty>(tx, id, pointer, value),
        K::ExternalLink => {
            rewrite::<crate::lifecycle::external::ExternalLink>(tx, id, pointer, value)
        }
        K::Consent => rewrite::<crate::consent::Consent>(tx, id, pointer, value),
        K::DoNotContact => rewrite::<crate::consent::DoNotContact>(tx, id, pointer, value),
        K::UnsubscribeToken => rewrite::<crate::consent::UnsubscribeToken>(tx, id, pointer, value),
        K::DuplicateReview => {
            rewrite::<crate::crm::duplicate_review::DuplicateReview>(tx, id, pointer, value)
        }
        other => Err(Error::storage(format!(
            "{other} records are not re-pointed"
        ))),
    }
}

/// Deletes `record` at `version` with what `mode` says about its dependants, adding to
/// `done`.
fn delete_in(
    tx: &mut dyn WriteTx,
    record: RecordKey,
    version: u64,
    mode: OnDependants,
    cascaded: bool,
    now: DateTime<Utc>,
    done: &mut Deleted,
) -> Result<()> {
    let (kind, id) = (record.kind(), record.id());
    if !DELETED_KINDS.contains(&kind) {
        return Err(Error::IllegalTransition {
            kind: kind.as_str().into(),
            from: "kept".into(),
            to: "deleted (this kind is not deleted; archive it)".into(),
        });
    }
    let mut found = Vec::new();
    for dep in dependants_of(kind) {
        for (dep_id, dep_version) in find(&*tx, kind, id, dep)? {
            found.push((dep, dep_id, dep_version));
        }
    }
    if let OnDependants::Repoint { to } = mode {
        if to.kind() != kind || to == record {
            return Err(Error::invalid(
                "repoint to",
                to.to_string(),
                format!("re-point to another {kind}"),
            ));
        }
        match tx.get_raw(kind, to.id())? {
            Some(raw) if !raw.archived => {}
            Some(_) => {
                return Err(Error::invalid(
                    "repoint to",
                    to.to_string(),
                    "is archived: restore it first",
                ));
            }
            None => return Err(Error::not_found(kind.as_str(), to.id())),
        }
        for (dep, dep_id, _) in &found {
            if tx.get_raw(dep.kind, *dep_id)?.is_none() {
                continue;
            }
            let target = match dep.form {
                Form::Key => Value::String(to.to_string()),
                Form::Id | Form::Subject => Value::from(to.id()),
            };
            let change = rewrite_any(tx, dep.kind, *dep_id, dep.pointer, target)?;
            let key = RecordKey::new(dep.kind, *dep_id);
            tx.emit(
                &DomainEvent::RecordEdited {
                    record: key,
                    changes: vec![change],
                },
                now,
            )?;
            done.repointed.push(key);
        }
    } else {
        let blocking: Vec<String> = found
            .iter()
            .filter(|(d, _, _)| d.rule == Rule::Blocks)
            .map(|(d, i, _)| format!("{}:{i}", d.kind))
            .collect();
        if mode == OnDependants::Refuse && !blocking.is_empty() {
            return Err(Error::InUse {
                kind: kind.as_str().into(),
                id,
                dependants: blocking.into_iter().take(20).collect(),
            });
        }
        for (dep, dep_id, _) in &found {
            let key = RecordKey::new(dep.kind, *dep_id);
            // an earlier step of this cascade may have changed or deleted it: within the
            // transaction its current version is the one to delete
            let Some(current) = tx.get_raw(dep.kind, *dep_id)? else {
                continue;
            };
            if dep.rule == Rule::Detach {
                let change = rewrite_any(tx, dep.kind, *dep_id, dep.pointer, Value::Null)?;
                tx.emit(
                    &DomainEvent::RecordEdited {
                        record: key,
                        changes: vec![change],
                    },
                    now,
                )?;
                done.detached.push(key);
            } else if !done.deleted.contains(&key) {
                delete_in(
                    tx,
                    key,
                    current.version,
                    OnDependants::Cascade,
                    true,
                    now,
                    done,
                )?;
            }
        }
    }
    // re-read: a re-point or detach of a dependant never touches this record, but a
    // cascade may have reached it through another path
    let current = tx
        .get_raw(kind, id)?
        .map(|r| r.version)
        .ok_or_else(|| Error::not_found(kind.as_str(), id))?;
    if current != version {
        return Err(Error::Conflict {
            kind: kind.as_str().into(),
            id,
            expected: version,
            actual: current,
        });
    }
    tx.delete_raw(kind, id, version)?;
    tx.emit(&DomainEvent::RecordDeleted { record, cascaded }, now)?;
    done.deleted.push(record);
    Ok(())
}

impl<S: Store> Crm<S> {
    /// Deletes a record read at `expected_version`. Records that depend on it are handled
    /// as `on_dependants` says (see the [module docs](self)): by default the delete is
    /// refused with `in_use` naming them while any blocks it. Every deleted record leaves
    /// a `RecordDeleted` event that holds only its kind and id.
    ///
    /// # Errors
    /// [`Error::Conflict`] on a stale version; [`Error::InUse`]; [`Error::IllegalTransition`]
    /// for a kind that is not deleted (archive it); [`Error::InvalidValue`] for a
    /// re-point target of another kind or archived; [`Error::NotFound`]; [`Error::Storage`].
    pub fn delete(
        &self,
        record: RecordKey,
        expected_version: Version,
        on_dependants: OnDependants,
        now: DateTime<Utc>,
    ) -> Result<Deleted> {
        self.write(|tx| {
            let actual = tx
                .get_raw(record.kind(), record.id())?
                .map(|r| r.version)
                .ok_or_else(|| Error::not_found(record.kind().as_str(), record.id()))?;
            if actual != expected_version.get() {
                return Err(Error::Conflict {
                    kind: record.kind().as_str().into(),
                    id: record.id(),
                    expected: expected_version.get(),
                    actual,
                });
            }
            let mut done = Deleted::default();
            delete_in(tx, record, actual, on_dependants, false, now, &mut done)?;
            Ok(done)
        })
    }
}
