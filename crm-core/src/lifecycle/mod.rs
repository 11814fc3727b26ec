//! Record lifecycle, the same for every kind: edit by patch on the version read, archive
//! and restore, delete (refused while other records depend on the record unless the
//! caller cascades or re-points), and the field history every edit leaves.
//!
//! What is generic lives here; what is particular to a kind is declared with it:
//! - [`Editable`]: which fields an edit may change, and the rules an edited record keeps
//!   (a lead keeps a name and a way to reach it; an account keeps its name);
//! - [`dependants`]: which records point at a record of each kind, and what deleting it
//!   does to them.
//!
//! An edit is a [`Patch`]: a JSON object naming only the fields to change — a value sets a
//! field, `null` clears it, a field not named is kept (RFC 7396 merge-patch semantics; an
//! object value merges into an object field). Unknown fields are refused with an error
//! naming them; a field cleared that a record cannot be without fails the record's rules.
//! Every edit that changes something records `RecordEdited` with each field's old and new
//! value; [`Crm::history`] returns them in order.

pub mod dependants;
pub(crate) mod editable;
pub mod external;
pub mod query;

pub use dependants::{Deleted, OnDependants};

/// An edit of a lead ([`crate::lead::LeadData`]'s fields).
pub type LeadPatch = Patch<crate::lead::LeadData>;
/// An edit of an account.
pub type AccountPatch = Patch<crate::customer::Account>;
/// An edit of a contact.
pub type ContactPatch = Patch<crate::customer::Contact>;
/// An edit of a purchase.
pub type PurchasePatch = Patch<crate::customer::Purchase>;
/// An edit of an opportunity.
pub type OpportunityPatch = Patch<crate::sales::Opportunity>;
/// An edit of an activity.
pub type ActivityPatch = Patch<crate::activity::Activity>;
/// An edit of an asset.
pub type AssetPatch = Patch<crate::service::installed::Asset>;
/// An edit of a service contract.
pub type ContractPatch = Patch<crate::service::installed::Contract>;
/// An edit of a service case.
pub type CasePatch = Patch<crate::service::case::Case>;
/// An edit of a technician.
pub type TechnicianPatch = Patch<crate::service::field::Technician>;
/// An edit of a campaign.
pub type CampaignPatch = Patch<crate::marketing::campaign::Campaign>;
pub use editable::{Editable, EditableFields};
pub use external::ExternalLink;
pub use query::{FieldCondition, ListQuery, Op, Page, SortKey};

use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::crm::Crm;
use crate::error::{Error, Result};
use crate::event::{DomainEvent, EventEnvelope};
use crate::store::{EntityKind, ReadExt, RecordId, Store, WriteExt, WriteTx};

/// An edit of a record of type `T`: the fields it changes and nothing else.
///
/// Serialised as a JSON object: `{"job_title": "CEO"}` sets one field,
/// `{"company": null}` clears one; a field not named stays as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Patch<T> {
    changes: Map<String, Value>,
    #[serde(skip)]
    of: PhantomData<fn() -> T>,
}

impl<T> Default for Patch<T> {
    fn default() -> Self {
        Patch {
            changes: Map::new(),
            of: PhantomData,
        }
    }
}

impl<T> Patch<T> {
    /// An empty patch (an edit that changes nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// This patch also setting `field` to `value` (in its serde form).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `value` cannot be encoded.
    pub fn set(mut self, field: &str, value: impl Serialize) -> Result<Self> {
        let value = serde_json::to_value(value)
            .map_err(|e| Error::invalid(field, "", format!("cannot be encoded: {e}")))?;
        self.changes.insert(field.to_string(), value);
        Ok(self)
    }

    /// This patch also clearing `field`.
    pub fn clear(mut self, field: &str) -> Self {
        self.changes.insert(field.to_string(), Value::Null);
        self
    }

    /// The fields it names, in order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.changes.keys().map(String::as_str)
    }

    /// Whether it names no field.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The patch as its JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.changes
    }

    /// A patch from a JSON object.
    pub fn from_map(changes: Map<String, Value>) -> Self {
        Patch {
            changes,
            of: PhantomData,
        }
    }
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema + EditableFields> schemars::JsonSchema for Patch<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("{}Patch", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // the record's own schema (inline: a root schema would carry every definition
        // generated so far, earlier patches included), every field optional and clearable
        let mut schema = T::json_schema(generator);
        if let Some(obj) = schema.as_object_mut() {
            obj.remove("required");
            obj.remove("$schema");
            obj.remove("title");
            obj.insert(
                "description".into(),
                Value::String(format!(
                    "An edit of a {}: the fields it changes (null clears one); a field not named is kept.",
                    T::schema_name()
                )),
            );
            if let Some(Value::Object(props)) = obj.get_mut("properties") {
                props.retain(|name, _| T::EDITABLE.contains(&name.as_str()));
                for prop in props.values_mut() {
                    let inner = std::mem::take(prop);
                    *prop = serde_json::json!({"anyOf": [inner, {"type": "null"}]});
                }
            }
        }
        schema
    }
}

/// One field's change in an edit: its old and new values in their serde form (`null`
/// when the field was or became empty).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field, by its serde name (`job_title`, `address`).
    pub field: String,
    /// Its value before.
    pub old: serde_json::Value,
    /// Its value after.
    pub new: serde_json::Value,
}

/// One entry of a record's history: an event about it, with who did it and, for an edit,
/// which fields changed from what to what.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The event's position in the log.
    pub sequence: u64,
    /// When it happened.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: crate::actor::Actor,
    /// The event type (`RecordEdited`, `LeadStatusChanged`, `RecordArchived` …).
    pub event: String,
    /// The fields an edit changed, with old and new values (empty for other events).
    pub changes: Vec<FieldChange>,
}

impl HistoryEntry {
    fn from_envelope(e: EventEnvelope) -> Self {
        let changes = e
            .payload
            .get("changes")
            .cloned()
            .and_then(|c| serde_json::from_value(c).ok())
            .unwrap_or_default();
        HistoryEntry {
            sequence: e.sequence,
            at: e.at,
            actor: e.actor,
            event: e.event_type,
            changes,
        }
    }
}

/// RFC 7396: `patch` merged into `target` (null removes; objects merge; others replace).
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = strip_nulls(p),
    }
}

fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The object at `at` ("" or a top-level key) of a record's JSON.
fn fields_of<'a>(record: &'a mut Value, at: &str) -> Result<&'a mut Map<String, Value>> {
    let target = if at.is_empty() {
        record
    } else {
        record
            .get_mut(at)
            .ok_or_else(|| Error::storage(format!("a record has no `{at}`")))?
    };
    target
        .as_object_mut()
        .ok_or_else(|| Error::storage("a record is not a JSON object"))
}

/// Merges `changes` into the fields of `record` at `at` (see [`Editable::FIELDS_AT`]), as
/// a patch does.
///
/// # Errors
/// [`Error::Storage`] when the record has no such fields object.
pub(crate) fn merge_into(record: &mut Value, at: &str, changes: &Map<String, Value>) -> Result<()> {
    let target = fields_of(record, at)?;
    let mut fields = Value::Object(std::mem::take(target));
    merge(&mut fields, &Value::Object(changes.clone()));
    *target = match fields {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    Ok(())
}

/// The changes between two field objects, over the fields `names`.
fn diff(
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    names: &[&str],
) -> Vec<FieldChange> {
    names
        .iter()
        .filter_map(|name| {
            let old = before.get(*name).cloned().unwrap_or(Value::Null);
            let new = after.get(*name).cloned().unwrap_or(Value::Null);
            (old != new && !(is_empty(&old) && is_empty(&new))).then(|| FieldChange {
                field: (*name).to_string(),
                old,
                new,
            })
        })
        .collect()
}

/// Null, an empty text, list or object: what an optional field holds when it is unset.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(is_empty),
        _ => false,
    }
}

/// Applies `patch` to `record` (loaded at its version), checks the result and returns it
/// with the changes; `None` when nothing changed.
///
/// # Errors
/// [`Error::Input`] naming a field the patch may not change or that the record does not
/// have; [`Error::Validation`] / [`Error::InvalidValue`] when the edited record breaks its
/// rules or a value cannot be read.
pub fn apply<E: Editable>(
    record: &E,
    patch: &Patch<E::Fields>,
    now: DateTime<Utc>,
) -> Result<Option<(E, Vec<FieldChange>)>> {
    let refused: Vec<&str> = patch
        .fields()
        .filter(|f| !<E::Fields as EditableFields>::EDITABLE.contains(f))
        .collect();
    if !refused.is_empty() {
        return Err(Error::Input {
            message: format!(
                "{}: {} not a field an edit may change (a {} edit changes {})",
                refused
                    .iter()
                    .map(|f| format!("patch.{f}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if refused.len() == 1 { "is" } else { "are" },
                E::KIND,
                <E::Fields as EditableFields>::EDITABLE.join(", ")
            ),
        });
    }
    let mut json = serde_json::to_value(record).map_err(Error::storage)?;
    let before = fields_of(&mut json, E::FIELDS_AT)?.clone();
    {
        let mut fields = Value::Object(before.clone());
        merge(&mut fields, &Value::Object(patch.as_map().clone()));
        *fields_of(&mut json, E::FIELDS_AT)? = match fields {
            Value::Object(m) => m,
            _ => Map::new(),
        };
    }
    if let Some(updated) = json.get_mut("updated_at") {
        *updated = Value::String(crate::time::format_rfc3339(now));
    }
    let mut edited: E = read_edited(json)?;
    edited.set_version(record.version());
    edited.check_edit(now)?;
    let mut after = serde_json::to_value(&edited).map_err(Error::storage)?;
    let changes = diff(
        &before,
        fields_of(&mut after, E::FIELDS_AT)?,
        <E::Fields as EditableFields>::EDITABLE,
    );
    Ok((!changes.is_empty()).then_some((edited, changes)))
}

fn read_edited<E: DeserializeOwned>(json: Value) -> Result<E> {
    serde_json::from_value(json).map_err(|e| {
        let text = e.to_string();
        let field = text
            .split('`')
            .nth(1)
            .filter(|_| text.starts_with("missing field"))
            .map(str::to_string);
        match field {
            Some(f) => Error::Validation {
                problems: vec![crate::error::FieldProblem::new(
                    f,
                    "is required and cannot be cleared",
                )],
            },
            None => Error::Input {
                message: format!("patch: {text}"),
            },
        }
    })
}

/// The stored version check every lifecycle operation makes.
fn check_version(kind: EntityKind, id: u64, expected: u64, actual: u64) -> Result<()> {
    if expected == actual {
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

/// Edits `id` in a write transaction; see [`Crm::edit`].
pub(crate) fn edit_in<E: Editable>(
    tx: &mut dyn WriteTx,
    id: E::Id,
    expected_version: crate::id::Version,
    patch: &Patch<E::Fields>,
    now: DateTime<Utc>,
) -> Result<E> {
    let record: E = tx.load(id)?;
    check_version(E::KIND, id.raw(), expected_version.get(), record.version())?;
    let Some((mut edited, changes)) = apply(&record, patch, now)? else {
        return Ok(record);
    };
    tx.update(&mut edited)?;
    // the new values as written: the write may have brought them into their stored form
    // (custom values typed, crate::custom)
    let written = serde_json::to_value(&edited).map_err(Error::storage)?;
    let fields = if E::FIELDS_AT.is_empty() {
        &written
    } else {
        &written[E::FIELDS_AT]
    };
    let changes = changes
        .into_iter()
        .map(|mut c| {
            c.new = fields
                .get(&c.field)
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            c
        })
        .filter(|c| c.old != c.new)
        .collect();
    tx.emit(
        &DomainEvent::RecordEdited {
            record: crate::id::RecordKey::new(E::KIND, id.raw()),
            changes,
        },
        now,
    )?;
    Ok(edited)
}

impl<S: Store> Crm<S> {
    /// Edits a record read at `expected_version`: only the fields `patch` names change
    /// (see [`Patch`]); the edited record must keep its kind's rules. Records
    /// `RecordEdited` with every changed field's old and new value; a patch that changes
    /// nothing writes nothing and returns the record as it is.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the record changed since `expected_version` was read;
    /// [`Error::Input`] for a field the patch may not change; [`Error::Validation`] /
    /// [`Error::InvalidValue`] when the edited record breaks its rules (nothing is
    /// written); [`Error::NotFound`]; [`Error::Storage`].
    pub fn edit<E: Editable>(
        &self,
        id: E::Id,
        expected_version: crate::id::Version,
        patch: &Patch<E::Fields>,
        now: DateTime<Utc>,
    ) -> Result<E> {
        self.write(|tx| edit_in(tx, id, expected_version, patch, now))
    }

    /// Archives a record read at `expected_version`: it leaves listings, reports,
    /// segments, duplicate checks and lookups by key, and stays readable by id. Returns
    /// its new version.
    ///
    /// # Errors
    /// [`Error::Conflict`] on a stale version; [`Error::IllegalTransition`] when it is
    /// archived already or its kind is not archived; [`Error::NotFound`]; [`Error::Storage`].
    pub fn archive(
        &self,
        record: crate::id::RecordKey,
        expected_version: crate::id::Version,
        now: DateTime<Utc>,
    ) -> Result<crate::id::Version> {
        self.set_archived(record, expected_version, true, now)
    }

    /// Restores an archived record: it is back in listings, reports and lookups.
    ///
    /// # Errors
    /// As [`Crm::archive`] (`illegal_transition` when it is not archived).
    pub fn restore(
        &self,
        record: crate::id::RecordKey,
        expected_version: crate::id::Version,
        now: DateTime<Utc>,
    ) -> Result<crate::id::Version> {
        self.set_archived(record, expected_version, false, now)
    }

    fn set_archived(
        &self,
        record: crate::id::RecordKey,
        expected_version: crate::id::Version,
        archived: bool,
        now: DateTime<Utc>,
    ) -> Result<crate::id::Version> {
        let (kind, id) = (record.kind(), record.id());
        if !dependants::ARCHIVED_KINDS.contains(&kind) {
            return Err(Error::IllegalTransition {
                kind: kind.as_str().into(),
                from: "kept".into(),
                to: "archived (this kind is not archived)".into(),
            });
        }
        self.write(|tx| {
            let raw = tx
                .get_raw(kind, id)?
                .ok_or_else(|| Error::not_found(kind.as_str(), id))?;
            check_version(kind, id, expected_version.get(), raw.version)?;
            if raw.archived == archived {
                let state = |a: bool| if a { "archived" } else { "active" };
                return Err(Error::IllegalTransition {
                    kind: kind.as_str().into(),
                    from: state(raw.archived).into(),
                    to: state(archived).into(),
                });
            }
            tx.set_archived(kind, id, raw.version, archived)?;
            let event = if archived {
                DomainEvent::RecordArchived { record }
            } else {
                DomainEvent::RecordRestored { record }
            };
            tx.emit(&event, now)?;
            Ok(crate::id::Version::new(raw.version + 1))
        })
    }

    /// The archived records of `kind`, as their stored JSON documents, in id order, from
    /// the id after `after` (0: the first), at most `limit`.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn archived(
        &self,
        kind: EntityKind,
        after: u64,
        limit: usize,
    ) -> Result<Vec<serde_json::Value>> {
        self.read(|tx| {
            tx.scan_archived(kind, after, limit)?
                .into_iter()
                .map(|raw| {
                    let mut doc: Value =
                        serde_json::from_str(&raw.data).map_err(|e| Error::Corrupt {
                            kind: kind.as_str().into(),
                            id: raw.id,
                            message: e.to_string(),
                        })?;
                    if let Some(v) = doc.get_mut("version") {
                        *v = Value::from(raw.version);
                    }
                    Ok(doc)
                })
                .collect()
        })
    }

    /// Whether a record is archived.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn is_archived(&self, record: crate::id::RecordKey) -> Result<bool> {
        self.read(|tx| {
            tx.get_raw(record.kind(), record.id())?
                .map(|raw| raw.archived)
                .ok_or_else(|| Error::not_found(record.kind().as_str(), record.id()))
        })
    }

    /// A record's history: every event about it, oldest first, with who did it and, for
    /// edits, each changed field's old and new value.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn history(&self, record: crate::id::RecordKey) -> Result<Vec<HistoryEntry>> {
        self.read(|tx| {
            Ok(tx
                .events_of(record.kind(), record.id())?
                .into_iter()
                .map(HistoryEntry::from_envelope)
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_follows_rfc_7396() {
        let mut target = serde_json::json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge(
            &mut target,
            &serde_json::json!({"a": "z", "c": {"f": null, "h": {"i": null, "j": 1}}}),
        );
        assert_eq!(
            target,
            serde_json::json!({"a": "z", "c": {"d": "e", "h": {"j": 1}}})
        );
    }

    #[test]
    fn empty_values_are_no_change() {
        let before = serde_json::json!({"a": null, "b": [], "c": "x"});
        let after = serde_json::json!({"b": [], "c": "y", "d": ""});
        let changes = diff(
            before.as_object().unwrap(),
            after.as_object().unwrap(),
            &["a", "b", "c", "d"],
        );
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "c");
    }
}
