//! External ids: the id a record has in another system (the ERP's customer number, the
//! web shop's order id, the server's row id), kept beside the record so that the host finds
//! the record by it. One id per record and system; within a kind and a system an id names
//! one record. Links go when their record is deleted.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{ExternalLinkId, RecordKey};
use crate::store::{EntityKind, ReadExt, ReadTx, Store, WriteExt, WriteTx};

/// A record's id in another system.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalLink {
    /// Id, assigned by the store.
    pub id: ExternalLinkId,
    /// Version.
    pub version: crate::id::Version,
    /// The record.
    pub record: RecordKey,
    /// The other system, lower-case (`erp`, `shopify`).
    pub system: String,
    /// The record's id there, as that system writes it.
    pub external_id: String,
    /// When the link was made or last changed.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub linked_at: DateTime<Utc>,
}

impl ExternalLink {
    /// Slot of `kind|system|external id`: finds the record an external id names.
    pub const BY_EXTERNAL: usize = 0;
    /// Slot of the record (`lead:42`): finds a record's links.
    pub const BY_RECORD: usize = 1;

    fn key(kind: EntityKind, system: &str, external_id: &str) -> String {
        format!("{kind}|{system}|{external_id}")
    }
}

crate::store::impl_entity!(
    ExternalLink,
    ExternalLinkId,
    EntityKind::ExternalLink,
    |l| [
        Some(ExternalLink::key(
            l.record.kind(),
            &l.system,
            &l.external_id
        )),
        Some(l.record.to_string()),
        None,
        None,
        None,
        None
    ]
);

/// A system's name as links keep it (trimmed, lower-case).
///
/// # Errors
/// [`Error::InvalidValue`] for an empty name or one with `|`.
pub(crate) fn system_name(system: &str) -> Result<String> {
    let s = system.trim().to_lowercase();
    if s.is_empty() || s.contains('|') {
        return Err(Error::invalid(
            "system",
            system,
            "name the other system (`erp`), without `|`",
        ));
    }
    Ok(s)
}

fn external_text(external_id: &str) -> Result<String> {
    let e = external_id.trim();
    if e.is_empty() {
        return Err(Error::invalid(
            "external_id",
            external_id,
            "must not be empty",
        ));
    }
    Ok(e.to_string())
}

fn links_of(tx: &dyn ReadTx, record: RecordKey) -> Result<Vec<ExternalLink>> {
    tx.find(ExternalLink::BY_RECORD, &record.to_string())
}

impl<S: Store> Crm<S> {
    /// Links `record` to its id in `system`. A record has one id per system: linking it
    /// again replaces the old one. Linking the same id again changes nothing.
    ///
    /// # Errors
    /// [`Error::Duplicate`] when the id already names another record of the kind in that
    /// system; [`Error::InvalidValue`] for an empty system or id; [`Error::NotFound`] when
    /// the record does not exist; [`Error::Storage`].
    pub fn link_external(
        &self,
        record: RecordKey,
        system: &str,
        external_id: &str,
        now: DateTime<Utc>,
    ) -> Result<ExternalLink> {
        self.write(|tx| link_external_in(tx, record, system, external_id, now))
    }

    /// Removes `record`'s id in `system`; whether it had one.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an empty system; [`Error::Storage`].
    pub fn unlink_external(
        &self,
        record: RecordKey,
        system: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let system = system_name(system)?;
        self.write(|tx| {
            let Some(link) = links_of(tx, record)?
                .into_iter()
                .find(|l| l.system == system)
            else {
                return Ok(false);
            };
            tx.remove(&link)?;
            tx.emit(&DomainEvent::ExternalIdUnlinked { record, system }, now)?;
            Ok(true)
        })
    }

    /// The record of `kind` whose id in `system` is `external_id`, if any.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an empty system or id; [`Error::Storage`].
    pub fn find_external(
        &self,
        kind: EntityKind,
        system: &str,
        external_id: &str,
    ) -> Result<Option<RecordKey>> {
        self.read(|tx| find_external_in(tx, kind, system, external_id))
    }

    /// A record's ids in other systems, by system.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn external_ids(&self, record: RecordKey) -> Result<Vec<ExternalLink>> {
        self.read(|tx| {
            let mut links = links_of(tx, record)?;
            links.sort_by(|a, b| a.system.cmp(&b.system));
            Ok(links)
        })
    }
}

fn linked(record: RecordKey, system: String, external_id: String) -> DomainEvent {
    DomainEvent::ExternalIdLinked {
        record,
        system,
        external_id,
    }
}

/// [`Crm::link_external`] inside a write transaction.
pub(crate) fn link_external_in(
    tx: &mut dyn WriteTx,
    record: RecordKey,
    system: &str,
    external_id: &str,
    now: DateTime<Utc>,
) -> Result<ExternalLink> {
    let system = system_name(system)?;
    let external_id = external_text(external_id)?;
    if tx.get_raw(record.kind(), record.id())?.is_none() {
        return Err(Error::not_found(record.kind().as_str(), record.id()));
    }
    let key = ExternalLink::key(record.kind(), &system, &external_id);
    let taken: Vec<ExternalLink> = tx.find(ExternalLink::BY_EXTERNAL, &key)?;
    if let Some(other) = taken.iter().find(|l| l.record != record) {
        return Err(Error::Duplicate {
            kind: "external id".into(),
            reason: format!("{system} id {external_id:?} already names {}", other.record),
        });
    }
    let existing = links_of(tx, record)?
        .into_iter()
        .find(|l| l.system == system);
    let mut link = match existing {
        Some(l) if l.external_id == external_id => return Ok(l),
        Some(l) => l,
        None => return link_new_in(tx, record, &system, &external_id, now),
    };
    link.external_id = external_id.clone();
    link.linked_at = now;
    tx.update(&mut link)?;
    tx.emit(&linked(record, system, external_id), now)?;
    Ok(link)
}

/// Links a record created in this transaction to an id in `system` that the caller just
/// found unused (an import's upsert): [`link_external_in`] without its lookups, which a
/// new record cannot need.
///
/// # Errors
/// [`Error::InvalidValue`] for an empty system or id; [`Error::Storage`].
pub(crate) fn link_new_in(
    tx: &mut dyn WriteTx,
    record: RecordKey,
    system: &str,
    external_id: &str,
    now: DateTime<Utc>,
) -> Result<ExternalLink> {
    let system = system_name(system)?;
    let external_id = external_text(external_id)?;
    let link = tx.insert(|id| ExternalLink {
        id,
        version: crate::id::Version::NEW,
        record,
        system: system.clone(),
        external_id: external_id.clone(),
        linked_at: now,
    })?;
    tx.emit(&linked(record, system, external_id), now)?;
    Ok(link)
}

/// The record of `kind` whose id in `system` is `external_id`, if any.
///
/// # Errors
/// [`Error::InvalidValue`] for an empty system or id; [`Error::Storage`].
pub(crate) fn find_external_in(
    tx: &dyn ReadTx,
    kind: EntityKind,
    system: &str,
    external_id: &str,
) -> Result<Option<RecordKey>> {
    let key = ExternalLink::key(kind, &system_name(system)?, &external_text(external_id)?);
    let found: Vec<ExternalLink> = tx.find(ExternalLink::BY_EXTERNAL, &key)?;
    Ok(found.first().map(|l| l.record))
}
