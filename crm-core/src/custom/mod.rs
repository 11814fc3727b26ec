//! Typed custom fields: what a company adds to its records beyond the standard fields.
//!
//! A [`CustomField`] defines one field of one record kind (leads, accounts, contacts,
//! opportunities, activities, purchases, cases, assets, contracts, campaigns): its name,
//! label, [`FieldType`], whether it is required and its default. Values live in the
//! record's `custom` object (a lead's `data.custom`), keyed by field name, as typed JSON
//! (`{"employees": 250, "tier": "gold", "renewal": "2027-03-31"}`).
//!
//! Once a kind has a definition, every write of a record of that kind is checked against
//! the definitions, whatever use case or binding it came through ([`check_record`], run by
//! the facade's write transaction):
//! - each value is read by its field's type and stored in the type's one form (a number
//!   typed as text `"250"` is stored as `250`, an e-mail in its normal form, a picklist
//!   value as the list spells it, a multi-picklist as a list in the definition's order);
//! - a new record gets the defaults of the fields it leaves out;
//! - a required field left empty, a value of the wrong type and a name no definition has
//!   are each a problem; every problem of a write is reported at once
//!   ([`Error::Validation`], naming `custom.<field>`) and nothing is written.
//!
//! A value the record already held under a name no longer defined (written before the
//! definitions) is kept as it is. Kinds with no definition keep free custom values, as
//! before definitions existed.
//!
//! Changing a definition is a versioned, checked change ([`Crm::redefine_custom_field`],
//! [`Crm::rename_custom_field`], [`Crm::remove_custom_field`]): a new type must read every
//! stored value, a picklist value still in use cannot be dropped, a field becomes required
//! only when every record has a value or the default fills it in, and a rename moves every
//! record's value in the same transaction.
//!
//! Custom values are fields like any other for listings (`custom.tier` in a
//! [`crate::lifecycle::FieldCondition`]), segments and reports (`custom:tier`), scoring
//! ([`crate::scoring::features::Feature::CustomNumber`]) and search.

mod cases;
mod values;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::CustomFieldId;
use crate::store::EntityKind;

pub use cases::CustomFieldChange;
pub(crate) use cases::definitions;
pub(crate) use values::check_record;
pub use values::{number_of, text_of};

/// A record's custom values by field name, as typed JSON.
pub type CustomValues = BTreeMap<String, serde_json::Value>;

/// The record kinds that carry custom fields, and where their values sit in the stored
/// document.
pub const CUSTOM_KINDS: &[(EntityKind, &str)] = &[
    (EntityKind::Lead, "data"),
    (EntityKind::Account, ""),
    (EntityKind::Contact, ""),
    (EntityKind::Opportunity, ""),
    (EntityKind::Activity, ""),
    (EntityKind::Purchase, ""),
    (EntityKind::Case, ""),
    (EntityKind::Asset, ""),
    (EntityKind::Contract, ""),
    (EntityKind::Campaign, ""),
];

/// Where a kind's `custom` object sits (`""`: at the top; `"data"`: a lead's data), or
/// `None` for a kind without custom fields.
pub fn custom_at(kind: EntityKind) -> Option<&'static str> {
    CUSTOM_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, at)| *at)
}

/// The type of a custom field's values, and how they are written.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldType {
    /// One line of text.
    Text {
        /// The most characters (2 000, the limit of every line, when not said).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_length: Option<u32>,
    },
    /// A number (JSON number; `"250"` is read as 250).
    Number,
    /// An exact decimal, stored as text (`"12.50"`).
    Decimal,
    /// An amount of one currency, stored as `{"amount": "12.50", "currency": "EUR"}`;
    /// a bare amount is read in the field's currency.
    Money {
        /// The currency (ISO 4217 code).
        currency: String,
    },
    /// A calendar day, `YYYY-MM-DD`.
    Date,
    /// An instant, RFC 3339, stored in UTC.
    Instant,
    /// Yes or no (`true`/`false`; `"yes"`, `"no"`, `"1"`, `"0"` are read too).
    Boolean,
    /// One of a list of values (matched ignoring case, stored as the list spells it).
    Picklist {
        /// The allowed values.
        values: Vec<String>,
    },
    /// Any of a list of values: a list (or a text with `;` between values), stored in the
    /// list's order without repeats.
    MultiPicklist {
        /// The allowed values.
        values: Vec<String>,
    },
    /// An e-mail address, stored in its normal form.
    Email,
    /// A phone number, stored in E.164; national numbers are read in the CRM's region.
    Phone,
    /// An `http` or `https` address.
    Url,
}

impl FieldType {
    /// The type's name (`picklist`).
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::Text { .. } => "text",
            FieldType::Number => "number",
            FieldType::Decimal => "decimal",
            FieldType::Money { .. } => "money",
            FieldType::Date => "date",
            FieldType::Instant => "instant",
            FieldType::Boolean => "boolean",
            FieldType::Picklist { .. } => "picklist",
            FieldType::MultiPicklist { .. } => "multi_picklist",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
            FieldType::Url => "url",
        }
    }

    fn check(&self, field: &str) -> Result<()> {
        match self {
            FieldType::Text {
                max_length: Some(0),
            } => Err(Error::invalid(
                field,
                "0",
                "a text field holds at least 1 character",
            )),
            FieldType::Money { currency } => crate::money::Currency::parse(currency).map(|_| ()),
            FieldType::Picklist { values } | FieldType::MultiPicklist { values } => {
                if values.is_empty() {
                    return Err(Error::invalid(field, "[]", "a picklist needs values"));
                }
                let mut seen = std::collections::BTreeSet::new();
                for v in values {
                    if v.trim().is_empty() || v.trim() != v || v.contains(';') {
                        return Err(Error::invalid(
                            field,
                            v,
                            "a picklist value is a non-empty text without `;` or surrounding \
                             spaces",
                        ));
                    }
                    if !seen.insert(v.to_lowercase()) {
                        return Err(Error::invalid(field, v, "listed twice"));
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// What defines a custom field (all of it but its kind and name, which a redefinition
/// keeps).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomFieldSpec {
    /// The label people see (`Employees`).
    pub label: String,
    /// The type of its values.
    pub field_type: FieldType,
    /// Whether every record needs a value.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub required: bool,
    /// The value a new record gets when it gives none (as the type reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub default: Option<crate::surface::prelude::Json>,
    /// What the field is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub description: Option<String>,
}

/// A new custom field.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCustomField {
    /// The kind of record it belongs to (`lead`, `account`, …).
    pub kind: EntityKind,
    /// Its name in records and filters: lower case letters, digits and `_`, starting with
    /// a letter (`employees`, `renewal_date`).
    pub name: String,
    /// The rest of the definition.
    pub spec: CustomFieldSpec,
}

/// A custom field of a record kind.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomField {
    /// Id, assigned by the store.
    pub id: CustomFieldId,
    /// Version: bumped by every redefinition.
    pub version: crate::id::Version,
    /// The kind of record it belongs to.
    pub kind: EntityKind,
    /// Its name in records.
    pub name: String,
    /// The definition.
    pub spec: CustomFieldSpec,
    /// Defined.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub created_at: DateTime<Utc>,
    /// Last redefined.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub updated_at: DateTime<Utc>,
}

impl CustomField {
    /// Slot of the record kind (`lead`).
    pub const BY_KIND: usize = 0;
    /// Slot of kind and name (`lead:employees`).
    pub const BY_NAME: usize = 1;
}

crate::store::impl_entity!(CustomField, CustomFieldId, EntityKind::CustomField, |f| [
    Some(f.kind.as_str().to_string()),
    Some(format!("{}:{}", f.kind.as_str(), f.name)),
    None,
    None,
    None,
    None
]);

/// Checks a field name: lower case letters, digits and `_`, starting with a letter, at
/// most 64 characters.
fn check_name(name: &str) -> Result<()> {
    let ok = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "name",
            name,
            "a custom field name is lower case letters, digits and `_`, starting with a \
             letter, at most 64 characters",
        ))
    }
}

fn check_kind(kind: EntityKind) -> Result<()> {
    if custom_at(kind).is_some() {
        Ok(())
    } else {
        let kinds: Vec<&str> = CUSTOM_KINDS.iter().map(|(k, _)| k.as_str()).collect();
        Err(Error::invalid(
            "kind",
            kind.as_str(),
            format!(
                "no custom fields on this kind; they are on {}",
                kinds.join(", ")
            ),
        ))
    }
}
