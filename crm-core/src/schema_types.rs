//! JSON Schemas of the validated newtypes whose serde form is text (`schema` feature).
//!
//! The records and enums derive theirs where they are declared
//! (`#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]`); the types here parse
//! text in their own `Deserialize`, so they say by hand what that text is. Each is a named
//! definition (`Email`, `Currency`, …), so every binding's declarations name it.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::lead::LeadField;
use crate::money::{Currency, Percent};
use crate::service::case::CaseNumber;
use crate::store::EntityKind;
use crate::{Email, Phone, Region};

macro_rules! text_schemas {
    ($($ty:ty => $name:literal, $format:literal, $doc:literal;)+) => {
        $(impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", "format": $format, "description": $doc })
            }
        })+
    };
}

text_schemas! {
    Email => "Email", "email", "An e-mail address, checked and normalised (`ada@example.com`).";
    Phone => "Phone", "phone", "A phone number, stored in E.164 form (`+493012345678`).";
    Region => "Region", "region", "A two-letter region code (`DE`, `US`), the default for phone numbers.";
    Currency => "Currency", "currency", "An ISO 4217 currency code (`EUR`).";
    Percent => "Percent", "decimal", "A percentage from 0 to 100, as decimal text (`12.5`).";
    LeadField => "LeadField", "lead-field", "A lead field (`email`, `company`, `custom:industry`).";
    CaseNumber => "CaseNumber", "case-number", "A service case's number (`CASE-000042`).";
    crate::id::RecordKey => "RecordKey", "record-key", "A record of any kind, written kind:id (`lead:42`).";
    crate::actor::Actor => "Actor", "actor", "Who made a change: `user:<id>` or `system:<name>`.";
}

impl JsonSchema for EntityKind {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("EntityKind")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = EntityKind::ALL.iter().map(|k| k.as_str()).collect();
        json_schema!({ "type": "string", "enum": names, "description": "The kinds of record a store keeps." })
    }
}
