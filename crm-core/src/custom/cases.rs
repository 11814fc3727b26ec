//! The use cases of custom fields: define, redefine, rename and remove them, each a
//! versioned change checked against every stored value of the kind (live and archived).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::activity::Activity;
use crate::crm::Crm;
use crate::customer::{Account, Contact, Purchase};
use crate::error::{Error, FieldProblem, Result};
use crate::event::DomainEvent;
use crate::lead::Lead;
use crate::marketing::campaign::Campaign;
use crate::sales::Opportunity;
use crate::service::case::Case;
use crate::service::installed::{Asset, Contract};
use crate::store::{Entity, EntityKind, ReadExt, ReadTx, Store, WriteExt, WriteTx};

use super::values::coerce;
use super::{CustomField, CustomFieldSpec, NewCustomField, check_kind, check_name, custom_at};

/// A change of one record's custom values: whether it changed them, or why it cannot.
type ValueChange<'a> = dyn Fn(&mut Map<String, Value>) -> std::result::Result<bool, String> + 'a;

/// How many stored values a refused change names at most.
const PROBLEMS_MAX: usize = 20;

/// What a redefinition did to the stored records.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldChange {
    /// The field as it is now (its last state, for a removal).
    pub field: CustomField,
    /// How many records had a value rewritten (converted, moved, filled in or removed).
    pub records_changed: u64,
}

/// The definitions of a kind, by name.
pub(crate) fn definitions(tx: &dyn ReadTx, kind: EntityKind) -> Result<Vec<CustomField>> {
    let mut defs: Vec<CustomField> = tx.find(CustomField::BY_KIND, kind.as_str())?;
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(defs)
}

fn find(tx: &dyn ReadTx, kind: EntityKind, name: &str) -> Result<Option<CustomField>> {
    Ok(tx
        .find::<CustomField>(CustomField::BY_NAME, &format!("{}:{name}", kind.as_str()))?
        .into_iter()
        .next())
}

fn load(tx: &dyn ReadTx, kind: EntityKind, name: &str, version: u64) -> Result<CustomField> {
    let field = find(tx, kind, name)?.ok_or_else(|| Error::NotFound {
        kind: "custom field".into(),
        id: format!("{}:{name}", kind.as_str()),
    })?;
    if field.version != version {
        return Err(Error::Conflict {
            kind: "custom field".into(),
            id: field.id.get(),
            expected: version,
            actual: field.version.into(),
        });
    }
    Ok(field)
}

/// Checks a spec: its type, and that its default reads as that type.
fn check_spec(spec: &CustomFieldSpec, region: crate::contact_info::Region) -> Result<()> {
    if spec.label.trim().is_empty() {
        return Err(Error::invalid(
            "label",
            &spec.label,
            "a field needs a label",
        ));
    }
    spec.field_type.check("field_type")?;
    if let Some(d) = &spec.default {
        coerce(&spec.field_type, d, region)
            .map_err(|why| Error::invalid("default", d.to_string(), why))?;
    }
    Ok(())
}

/// Rewrites the custom values of every record of `kind` (live and archived) with
/// `change`, which returns whether it changed them or why it cannot. Refuses with every
/// problem (up to [`PROBLEMS_MAX`]) before writing anything.
fn rewrite_all(tx: &mut dyn WriteTx, kind: EntityKind, change: &ValueChange<'_>) -> Result<u64> {
    macro_rules! each {
        ($($k:ident => $t:ty),+ $(,)?) => {
            match kind {
                $(EntityKind::$k => rewrite_kind::<$t>(tx, change),)+
                other => Err(Error::invalid("kind", other.as_str(), "no custom fields")),
            }
        };
    }
    each!(
        Lead => Lead,
        Account => Account,
        Contact => Contact,
        Opportunity => Opportunity,
        Activity => Activity,
        Purchase => Purchase,
        Case => Case,
        Asset => Asset,
        Contract => Contract,
        Campaign => Campaign,
    )
}

fn rewrite_kind<E: Entity>(tx: &mut dyn WriteTx, change: &ValueChange<'_>) -> Result<u64> {
    let at = custom_at(E::KIND).unwrap_or_default();
    let mut edits: Vec<E> = Vec::new();
    let mut problems = Vec::new();
    for archived in [false, true] {
        let mut after = 0;
        loop {
            let batch = if archived {
                tx.scan_archived(E::KIND, after, 512)?
            } else {
                tx.scan_raw(E::KIND, after, 512)?
            };
            let Some(last) = batch.last() else { break };
            after = last.id;
            for raw in &batch {
                let mut doc: Value = serde_json::from_str(&raw.data).map_err(Error::storage)?;
                let holder = if at.is_empty() {
                    Some(&mut doc)
                } else {
                    doc.get_mut(at)
                };
                let Some(Value::Object(holder)) = holder else {
                    continue;
                };
                let mut custom = match holder.remove("custom") {
                    Some(Value::Object(m)) => m,
                    _ => Map::new(),
                };
                match change(&mut custom) {
                    Ok(false) => {}
                    Ok(true) => {
                        if !custom.is_empty() {
                            holder.insert("custom".into(), Value::Object(custom));
                        }
                        let mut e: E = serde_json::from_value(doc).map_err(Error::storage)?;
                        e.set_version(raw.version);
                        edits.push(e);
                    }
                    Err(why) if problems.len() < PROBLEMS_MAX => problems.push(FieldProblem::new(
                        format!("{}:{}", E::KIND.as_str(), raw.id),
                        why,
                    )),
                    Err(_) => {}
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Validation { problems });
    }
    let n = edits.len() as u64;
    for mut e in edits {
        tx.update(&mut e)?;
    }
    Ok(n)
}

/// Fills `name` with `default` where a record has no value; refuses when there is none.
fn fill_required(
    spec: &CustomFieldSpec,
    name: &str,
    region: crate::contact_info::Region,
) -> impl Fn(&mut Map<String, Value>) -> std::result::Result<bool, String> {
    let default = spec
        .default
        .as_ref()
        .and_then(|d| coerce(&spec.field_type, d, region).ok());
    let required = spec.required;
    let name = name.to_string();
    move |custom| {
        if !required || custom.get(&name).is_some_and(|v| !v.is_null()) {
            return Ok(false);
        }
        match &default {
            Some(d) => {
                custom.insert(name.clone(), d.clone());
                Ok(true)
            }
            None => Err(format!(
                "has no {name}, which becomes required without a default"
            )),
        }
    }
}

impl<S: Store> Crm<S> {
    /// Defines a custom field of a record kind. A required field is filled in with its
    /// default on every stored record of the kind (refused when there is no default and
    /// records exist).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a kind without custom fields, a bad name, type or
    /// default; [`Error::Duplicate`] when the kind has the name already;
    /// [`Error::Validation`] naming the records a required field leaves empty.
    pub fn define_custom_field(
        &self,
        field: NewCustomField,
        now: DateTime<Utc>,
    ) -> Result<CustomField> {
        check_kind(field.kind)?;
        check_name(&field.name)?;
        check_spec(&field.spec, self.default_region())?;
        self.write(|tx| {
            if let Some(existing) = find(tx, field.kind, &field.name)? {
                return Err(Error::Duplicate {
                    kind: "custom field".into(),
                    reason: format!(
                        "{} already has a custom field {} (id {})",
                        field.kind.as_str(),
                        field.name,
                        existing.id
                    ),
                });
            }
            let def = tx.insert(|id| CustomField {
                id,
                version: 0.into(),
                kind: field.kind,
                name: field.name.clone(),
                spec: field.spec.clone(),
                created_at: now,
                updated_at: now,
            })?;
            rewrite_all(
                tx,
                field.kind,
                &fill_required(&field.spec, &field.name, self.default_region()),
            )?;
            tx.emit(
                &DomainEvent::CustomFieldDefined {
                    field: def.id,
                    kind: def.kind.as_str().into(),
                    name: def.name.clone(),
                },
                now,
            )?;
            Ok(def)
        })
    }

    /// Redefines a custom field read at `expected_version`: label, type, picklist values,
    /// required, default, description. Every stored value is read by the new type and
    /// kept in its form; a value it cannot read (a picklist value taken out while in use,
    /// a text that is no number) refuses the change, naming the records.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Conflict`] on a stale version; as
    /// [`Crm::define_custom_field`].
    pub fn redefine_custom_field(
        &self,
        kind: EntityKind,
        name: &str,
        expected_version: u64,
        spec: CustomFieldSpec,
        now: DateTime<Utc>,
    ) -> Result<CustomFieldChange> {
        check_spec(&spec, self.default_region())?;
        let region = self.default_region();
        self.write(|tx| {
            let mut def = load(tx, kind, name, expected_version)?;
            def.spec = spec.clone();
            def.updated_at = now;
            tx.update(&mut def)?;
            let ty = spec.field_type.clone();
            let fill = fill_required(&spec, name, region);
            let key = name.to_string();
            let records_changed = rewrite_all(tx, kind, &|custom| {
                let mut changed = false;
                if let Some(v) = custom.get(&key).filter(|v| !v.is_null()) {
                    let new = coerce(&ty, v, region)
                        .map_err(|why| format!("its {key} {v} does not fit: {why}"))?;
                    if &new != v {
                        custom.insert(key.clone(), new);
                        changed = true;
                    }
                }
                Ok(fill(custom)? || changed)
            })?;
            tx.emit(
                &DomainEvent::CustomFieldRedefined {
                    field: def.id,
                    kind: kind.as_str().into(),
                    name: def.name.clone(),
                },
                now,
            )?;
            Ok(CustomFieldChange {
                field: def,
                records_changed,
            })
        })
    }

    /// Renames a custom field read at `expected_version`, moving every record's value to
    /// the new name in the same transaction.
    ///
    /// # Errors
    /// [`Error::Duplicate`] when the new name is taken; as
    /// [`Crm::redefine_custom_field`].
    pub fn rename_custom_field(
        &self,
        kind: EntityKind,
        name: &str,
        expected_version: u64,
        to: &str,
        now: DateTime<Utc>,
    ) -> Result<CustomFieldChange> {
        check_name(to)?;
        self.write(|tx| {
            let mut def = load(tx, kind, name, expected_version)?;
            if let Some(taken) = find(tx, kind, to)? {
                return Err(Error::Duplicate {
                    kind: "custom field".into(),
                    reason: format!(
                        "{} already has a custom field {to} (id {})",
                        kind.as_str(),
                        taken.id
                    ),
                });
            }
            def.name = to.to_string();
            def.updated_at = now;
            tx.update(&mut def)?;
            let records_changed = rewrite_all(tx, kind, &|custom| {
                Ok(match custom.remove(name) {
                    Some(v) => {
                        custom.insert(to.to_string(), v);
                        true
                    }
                    None => false,
                })
            })?;
            tx.emit(
                &DomainEvent::CustomFieldRenamed {
                    field: def.id,
                    kind: kind.as_str().into(),
                    from: name.into(),
                    to: to.into(),
                },
                now,
            )?;
            Ok(CustomFieldChange {
                field: def,
                records_changed,
            })
        })
    }

    /// Removes a custom field read at `expected_version`. While records hold values of
    /// it the removal is refused (`in_use`) unless `purge` removes the values too.
    ///
    /// # Errors
    /// [`Error::InUse`] naming records with a value; as [`Crm::redefine_custom_field`].
    pub fn remove_custom_field(
        &self,
        kind: EntityKind,
        name: &str,
        expected_version: u64,
        purge: bool,
        now: DateTime<Utc>,
    ) -> Result<CustomFieldChange> {
        self.write(|tx| {
            let def = load(tx, kind, name, expected_version)?;
            tx.remove(&def)?;
            let records_changed = rewrite_all(tx, kind, &|custom| {
                if !custom.contains_key(name) {
                    Ok(false)
                } else if purge {
                    custom.remove(name);
                    Ok(true)
                } else {
                    Err("holds a value".into())
                }
            })
            .map_err(|e| match e {
                Error::Validation { problems } => Error::InUse {
                    kind: "custom field".into(),
                    id: def.id.get(),
                    dependants: problems.into_iter().map(|p| p.field).collect(),
                },
                other => other,
            })?;
            tx.emit(
                &DomainEvent::CustomFieldRemoved {
                    field: def.id,
                    kind: kind.as_str().into(),
                    name: name.into(),
                    purged: records_changed,
                },
                now,
            )?;
            Ok(CustomFieldChange {
                field: def,
                records_changed,
            })
        })
    }

    /// The custom fields of a kind, by name.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn custom_fields_of(&self, kind: EntityKind) -> Result<Vec<CustomField>> {
        self.read(|tx| definitions(tx, kind))
    }

    /// One custom field, if the kind has it.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn custom_field(&self, kind: EntityKind, name: &str) -> Result<Option<CustomField>> {
        self.read(|tx| find(tx, kind, name))
    }
}
