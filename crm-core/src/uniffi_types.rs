//! How crm-core's types cross uniffi's FFI (feature `uniffi`), for crm-mobile's Kotlin,
//! Swift and Python bindings. Records and enums derive `uniffi::Record` / `uniffi::Enum`
//! where they are declared; this module declares the types uniffi does not know as
//! custom types over a type it does, each lifted by parsing exactly as its serde form is
//! read (a bad e-mail, currency or decimal from Kotlin is the same error as from JSON):
//!
//! - instants ([`Instant`]) as timestamps (`java.time.Instant`, Swift `Date`), always UTC;
//! - days ([`Day`]) as `YYYY-MM-DD` text, exact decimals ([`Decimal`]) as text;
//! - e-mails, phone numbers (E.164), regions, currencies, percents and lead fields as text;
//! - maps of the user's own text ([`TextMap`], custom fields) as string maps.
//!
//! Errors cross as [`CrmError`]: Kotlin `CrmException` subclasses and Swift `CrmError`
//! cases, one per error kind, each with crm-core's stable `code` and the message. A value
//! that fails to lift (a bad e-mail, id 0) is the same typed error, not an internal one.

// uniffi hands errors over by value, with their typed fields (see `CrmError`).
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::actor::Actor;
use crate::contact_info::{Email, Phone, Region};
use crate::crm::convert::LinkChoice;
use crate::id::{AccountId, ContactId, RecordKey, ServiceOrderId};
use crate::lead::LeadField;
use crate::money::{Currency, Percent};
use crate::quote::pricing::{TaxRate, TaxTable};
use crate::service::case::{CaseNumber, CaseStatus};
use crate::service::field::Assignment;
use crate::store::EntityKind;

/// An instant (UTC).
pub type Instant = chrono::DateTime<chrono::Utc>;
/// A calendar day.
pub type Day = chrono::NaiveDate;
/// An exact decimal.
pub type Decimal = rust_decimal::Decimal;
/// The user's own keys and values (custom fields).
pub type TextMap = BTreeMap<String, String>;
/// Numbers by name (a contact's predictions by model).
pub type NumberMap = BTreeMap<String, f64>;
/// Lead field values by field name (`first_name`, `email`, `custom:industry`).
pub type FieldValues = BTreeMap<LeadField, String>;

/// Reads `text` as the serde form of `T` (a JSON string); a refusal is a [`CrmError`].
pub(crate) fn from_text<T: DeserializeOwned>(text: String) -> uniffi::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.clone())).map_err(|e| {
        let what = std::any::type_name::<T>()
            .rsplit("::")
            .next()
            .unwrap_or("value");
        lift_error(crate::Error::invalid(what, text, e.to_string()))
    })
}

/// A crm-core error raised while lifting an argument, as the typed error the call returns.
pub(crate) fn lift_error(e: crate::Error) -> uniffi::deps::anyhow::Error {
    CrmError::from(e).into()
}

/// The serde form of `value`, which is a JSON string for every type this is used for.
pub(crate) fn to_text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(e) => format!("<{e}>"),
    }
}

/// Declares types whose serde form is a string as uniffi custom types over `String`.
macro_rules! text_types {
    ($($ty:ident),+ $(,)?) => {
        $(uniffi::custom_type!($ty, String, {
            try_lift: |text| $crate::uniffi_types::from_text(text),
            lower: |value| $crate::uniffi_types::to_text(&value),
        });)+
    };
}

uniffi::custom_type!(Instant, SystemTime, {
    remote,
    try_lift: |t| Ok(Instant::from(t)),
    lower: |t| SystemTime::from(t),
});

uniffi::custom_type!(Day, String, {
    remote,
    try_lift: |text| from_text(text),
    lower: |day| day.format("%Y-%m-%d").to_string(),
});

uniffi::custom_type!(Decimal, String, {
    remote,
    try_lift: |text| crate::money::parse_decimal("decimal", &text).map_err(lift_error),
    lower: |d| d.to_string(),
});

uniffi::custom_type!(TextMap, HashMap<String, String>, {
    remote,
    try_lift: |map| Ok(map.into_iter().collect()),
    lower: |map| map.into_iter().collect(),
});

uniffi::custom_type!(NumberMap, HashMap<String, f64>, {
    remote,
    try_lift: |map| Ok(map.into_iter().collect()),
    lower: |map| map.into_iter().collect(),
});

uniffi::custom_type!(FieldValues, HashMap<String, String>, {
    remote,
    try_lift: |map| {
        map.into_iter()
            .map(|(k, v)| Ok((from_text::<LeadField>(k)?, v)))
            .collect()
    },
    lower: |map| map.into_iter().map(|(k, v)| (to_text(&k), v)).collect(),
});

text_types!(
    Email, Phone, Region, Currency, Percent, LeadField, CaseNumber, EntityKind, RecordKey, Actor
);

/// A wall-clock time of day (`09:00`).
pub type TimeOfDay = chrono::NaiveTime;
/// A day of the week (`Mon`…`Sun`).
pub type Weekday = chrono::Weekday;
/// An IANA time zone (`Europe/Berlin`).
pub type TimeZone = chrono_tz::Tz;
/// A count (numbers of records, rows, events).
pub type Count = usize;
/// Custom field values by name.
pub type CustomValues = crate::custom::CustomValues;
/// Free-form JSON (event payloads, snapshots), as its text.
pub type Json = serde_json::Value;
/// Text values without repeats.
pub type TextSet = std::collections::BTreeSet<String>;
/// Days without repeats.
pub type DaySet = std::collections::BTreeSet<Day>;
/// Case statuses without repeats.
pub type CaseStatusSet = std::collections::BTreeSet<CaseStatus>;
/// The four rates of a funnel (lead → qualified → opportunity → won, and overall).
pub type FunnelRates = [Option<f64>; 4];
/// The three median durations of a funnel, in days.
pub type FunnelDays = [Option<f64>; 3];
/// A count planned and the count reached.
pub type CountPair = (u64, u64);
/// An amount planned and the amount reached.
pub type AmountPair = (Decimal, Decimal);
/// Service orders with where they were placed.
pub type Placement = (ServiceOrderId, Assignment);
/// One-off working hours by day.
pub type Exceptions = BTreeMap<Day, Vec<(TimeOfDay, TimeOfDay)>>;

macro_rules! remote_text_types {
    ($($ty:ident),+ $(,)?) => {
        $(uniffi::custom_type!($ty, String, {
            remote,
            try_lift: |text| from_text(text),
            lower: |value| to_text(&value),
        });)+
    };
}
remote_text_types!(TimeOfDay, Weekday, TimeZone);

// counts cross as signed 64-bit numbers (Kotlin `Long`, Swift `Int64`), as ids do
uniffi::custom_type!(Count, i64, {
    remote,
    try_lift: |n| usize::try_from(n).map_err(|_| lift_error(crate::Error::invalid("count", n.to_string(), "from 0 up to the platform's size"))),
    lower: |n| i64::try_from(n).unwrap_or(i64::MAX),
});

// Custom field values cross as texts (`"250"`, `"Gold"`, `"a;c"`, `"12.50 EUR"`): the
// field's definition reads each by its type on the way in ([`crate::custom`]).
uniffi::custom_type!(CustomValues, HashMap<String, String>, {
    remote,
    try_lift: |map| Ok(map.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect()),
    lower: |map| map.iter().map(|(k, v)| (k.clone(), crate::custom::text_of(v))).collect(),
});

uniffi::custom_type!(Json, String, {
    remote,
    try_lift: |text| serde_json::from_str(&text).map_err(|e| lift_error(crate::Error::invalid("JSON", text, e.to_string()))),
    lower: |value| value.to_string(),
});

/// Patches cross as the text of their JSON object (`{"job_title":"CEO","company":null}`).
macro_rules! patch_types {
    ($($ty:ident),+ $(,)?) => {
        $(uniffi::custom_type!($ty, String, {
            try_lift: |text| serde_json::from_str(&text).map_err(|e| {
                lift_error(crate::Error::invalid("patch", text, format!("not a JSON object: {e}")))
            }),
            lower: |patch| serde_json::Value::Object(patch.as_map().clone()).to_string(),
        });)+
    };
}
use crate::lifecycle::{
    AccountPatch, ActivityPatch, AssetPatch, CampaignPatch, CasePatch, ContactPatch, ContractPatch,
    LeadPatch, OpportunityPatch, PurchasePatch, TechnicianPatch,
};
patch_types!(
    LeadPatch,
    AccountPatch,
    ContactPatch,
    PurchasePatch,
    OpportunityPatch,
    ActivityPatch,
    AssetPatch,
    ContractPatch,
    CasePatch,
    TechnicianPatch,
    CampaignPatch,
);

uniffi::custom_type!(TextSet, Vec<String>, {
    remote,
    try_lift: |items| Ok(items.into_iter().collect()),
    lower: |set| set.into_iter().collect(),
});

uniffi::custom_type!(DaySet, Vec<Day>, {
    remote,
    try_lift: |items| Ok(items.into_iter().collect()),
    lower: |set| set.into_iter().collect(),
});

uniffi::custom_type!(CaseStatusSet, Vec<CaseStatus>, {
    remote,
    try_lift: |items| Ok(items.into_iter().collect()),
    lower: |set| set.into_iter().collect(),
});

fn fixed<const N: usize>(values: Vec<Option<f64>>) -> uniffi::Result<[Option<f64>; N]> {
    let len = values.len();
    values.try_into().map_err(|_| {
        lift_error(crate::Error::invalid(
            "values",
            format!("{len} values"),
            format!("expected {N}"),
        ))
    })
}

uniffi::custom_type!(FunnelRates, Vec<Option<f64>>, {
    remote,
    try_lift: |values| fixed::<4>(values),
    lower: |values| values.to_vec(),
});

uniffi::custom_type!(FunnelDays, Vec<Option<f64>>, {
    remote,
    try_lift: |values| fixed::<3>(values),
    lower: |values| values.to_vec(),
});

/// A count planned and reached ([`CountPair`] as a record).
#[derive(uniffi::Record)]
pub struct PlannedCount {
    /// Planned.
    pub planned: i64,
    /// Reached.
    pub actual: i64,
}

uniffi::custom_type!(CountPair, PlannedCount, {
    remote,
    try_lift: |p| {
        let count = |n: i64| u64::try_from(n).map_err(|_| lift_error(crate::Error::invalid("count", n.to_string(), "from 0")));
        Ok((count(p.planned)?, count(p.actual)?))
    },
    lower: |pair| PlannedCount { planned: long(pair.0), actual: long(pair.1) },
});

/// An amount planned and reached ([`AmountPair`] as a record; decimal strings).
#[derive(uniffi::Record)]
pub struct PlannedAmount {
    /// Planned.
    pub planned: Decimal,
    /// Reached.
    pub actual: Decimal,
}

uniffi::custom_type!(AmountPair, PlannedAmount, {
    remote,
    try_lift: |p| Ok((p.planned, p.actual)),
    lower: |pair| PlannedAmount { planned: pair.0, actual: pair.1 },
});

/// A service order and where the scheduler placed it.
#[derive(uniffi::Record)]
pub struct PlacedOrder {
    /// The order.
    pub order: ServiceOrderId,
    /// Its technician and time.
    pub assignment: Assignment,
}

uniffi::custom_type!(Placement, PlacedOrder, {
    remote,
    try_lift: |p| Ok((p.order, p.assignment)),
    lower: |pair| PlacedOrder { order: pair.0, assignment: pair.1 },
});

/// Working hours from `start` to `end` (an end not after its start runs into the next day).
#[derive(uniffi::Record)]
pub struct TimeSpan {
    /// From.
    pub start: TimeOfDay,
    /// To.
    pub end: TimeOfDay,
}

/// The working hours of one day, instead of its weekday's.
#[derive(uniffi::Record)]
pub struct DayHours {
    /// The day.
    pub day: Day,
    /// Its working hours (none: closed).
    pub spans: Vec<TimeSpan>,
}

uniffi::custom_type!(Exceptions, Vec<DayHours>, {
    remote,
    try_lift: |days| Ok(days
        .into_iter()
        .map(|d| (d.day, d.spans.into_iter().map(|s| (s.start, s.end)).collect()))
        .collect()),
    lower: |map| map
        .into_iter()
        .map(|(day, spans)| DayHours {
            day,
            spans: spans.into_iter().map(|(start, end)| TimeSpan { start, end }).collect(),
        })
        .collect(),
});

uniffi::custom_type!(TaxTable, Vec<TaxRate>, {
    try_lift: |rates| TaxTable::try_from(rates).map_err(lift_error),
    lower: |table| table.into(),
});

/// What went wrong: one case per crm-core error kind ([`ErrorKind::ALL`]), each with
/// `code` (crm-core's stable code: `not_found`, `conflict`…), `reason` (the message naming
/// the bad value) and the kind's own typed fields — the problems of a validation error,
/// the versions of a conflict, whether a storage failure may be retried.
#[allow(missing_docs)] // `code` and `reason` of every case, documented above
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum CrmError {
    /// A value does not parse (an e-mail, a currency, a day…): which field, what was given.
    #[error("{reason}")]
    InvalidValue {
        code: String,
        reason: String,
        field: String,
        value: String,
    },
    /// An input breaks rules: every problem, by field.
    #[error("{reason}")]
    Validation {
        code: String,
        reason: String,
        problems: Vec<crate::FieldProblem>,
    },
    /// No such record.
    #[error("{reason}")]
    NotFound {
        code: String,
        reason: String,
        kind: String,
        id: String,
    },
    /// The record changed since it was read (a stale version): reload and retry.
    #[error("{reason}")]
    Conflict {
        code: String,
        reason: String,
        kind: String,
        id: i64,
        expected: i64,
        actual: i64,
    },
    /// A state machine refused the change.
    #[error("{reason}")]
    IllegalTransition {
        code: String,
        reason: String,
        kind: String,
        from: String,
        to: String,
    },
    /// Other records depend on the record a delete was asked for.
    #[error("{reason}")]
    InUse {
        code: String,
        reason: String,
        kind: String,
        id: i64,
        dependants: Vec<String>,
    },
    /// Amounts in different currencies met.
    #[error("{reason}")]
    CurrencyMismatch {
        code: String,
        reason: String,
        left: String,
        right: String,
    },
    /// No exchange rate for a day.
    #[error("{reason}")]
    MissingExchangeRate {
        code: String,
        reason: String,
        from: String,
        to: String,
        on: String,
    },
    /// A duplicate was refused (a resubmission, a SKU already defined).
    #[error("{reason}")]
    Duplicate {
        code: String,
        reason: String,
        kind: String,
    },
    /// A submission was refused as spam.
    #[error("{reason}")]
    Spam { code: String, reason: String },
    /// A file or record written by a newer version.
    #[error("{reason}")]
    UnsupportedVersion {
        code: String,
        reason: String,
        found: i64,
        supported: i64,
    },
    /// The store failed; `retryable` when the same call may succeed later (busy/locked),
    /// `store_code` the store's own name for it (`SQLITE_FULL`).
    #[error("{reason}")]
    Storage {
        code: String,
        reason: String,
        store_code: Option<String>,
        retryable: bool,
    },
    /// A stored record could not be read.
    #[error("{reason}")]
    Corrupt {
        code: String,
        reason: String,
        kind: String,
        id: i64,
    },
    /// An argument the binding could not use.
    #[error("{reason}")]
    Input { code: String, reason: String },
    /// A model fit did not converge.
    #[error("{reason}")]
    NotConverged {
        code: String,
        reason: String,
        iterations: i64,
    },
    /// Long work stopped because its job was cancelled (what was committed before stays).
    #[error("{reason}")]
    Cancelled {
        code: String,
        reason: String,
        done: i64,
        total: Option<i64>,
    },
    /// The user the handle acts for may not do this (permissions or sharing).
    #[error("{reason}")]
    Forbidden {
        code: String,
        reason: String,
        user: String,
        operation: String,
        kind: String,
        id: Option<i64>,
    },
    /// A bug in crm-core (a caught panic): please report it.
    #[error("{reason}")]
    Internal { code: String, reason: String },
}

impl From<crate::Error> for CrmError {
    fn from(e: crate::Error) -> Self {
        use crate::Error as E;
        let (code, reason) = (e.code().to_string(), e.to_string());
        match e {
            E::InvalidValue { field, value, .. } => CrmError::InvalidValue {
                code,
                reason,
                field,
                value,
            },
            E::Validation { problems } => CrmError::Validation {
                code,
                reason,
                problems,
            },
            E::NotFound { kind, id } => CrmError::NotFound {
                code,
                reason,
                kind,
                id,
            },
            E::Conflict {
                kind,
                id,
                expected,
                actual,
            } => CrmError::Conflict {
                code,
                reason,
                kind,
                id: long(id),
                expected: long(expected),
                actual: long(actual),
            },
            E::IllegalTransition { kind, from, to } => CrmError::IllegalTransition {
                code,
                reason,
                kind,
                from,
                to,
            },
            E::InUse {
                kind,
                id,
                dependants,
            } => CrmError::InUse {
                code,
                reason,
                kind,
                id: long(id),
                dependants,
            },
            E::CurrencyMismatch { left, right } => CrmError::CurrencyMismatch {
                code,
                reason,
                left,
                right,
            },
            E::MissingExchangeRate { from, to, on } => CrmError::MissingExchangeRate {
                code,
                reason,
                from,
                to,
                on,
            },
            E::Duplicate { kind, .. } => CrmError::Duplicate { code, reason, kind },
            E::Spam { .. } => CrmError::Spam { code, reason },
            E::UnsupportedVersion {
                found, supported, ..
            } => CrmError::UnsupportedVersion {
                code,
                reason,
                found: found.into(),
                supported: supported.into(),
            },
            E::Storage {
                store_code,
                retryable,
                ..
            } => CrmError::Storage {
                code,
                reason,
                store_code,
                retryable,
            },
            E::Corrupt { kind, id, .. } => CrmError::Corrupt {
                code,
                reason,
                kind,
                id: long(id),
            },
            E::Input { .. } => CrmError::Input { code, reason },
            E::NotConverged { iterations, .. } => CrmError::NotConverged {
                code,
                reason,
                iterations: long(iterations as u64),
            },
            E::Cancelled { done, total } => CrmError::Cancelled {
                code,
                reason,
                done: long(done as u64),
                total: total.map(|t| long(t as u64)),
            },
            E::Forbidden {
                user,
                operation,
                kind,
                id,
                ..
            } => CrmError::Forbidden {
                code,
                reason,
                user,
                operation,
                kind,
                id: id.map(long),
            },
            E::Internal { .. } => CrmError::Internal { code, reason },
        }
    }
}

/// A count, id or version as the signed 64-bit number Kotlin and Swift hold (`Long`,
/// `Int64`); none comes near `i64::MAX`.
fn long(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The stable code of every error kind ([`crate::ErrorKind::ALL`]), in order.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    crate::ErrorKind::ALL
        .iter()
        .map(|k| k.code().to_string())
        .collect()
}

/// An example error of the kind whose code is `code`, as the binding raises it (for the
/// bindings' tests: every kind of [`error_codes`] reaches its own exception class).
#[uniffi::export]
pub fn sample_error(kind: String) -> CrmError {
    CrmError::from(crate::error::sample_error(&kind))
}

/// Runs one call with panics caught ([`crate::error::catch_panic`]): its result, or the
/// typed error (a panic is [`CrmError::Internal`]).
pub fn guarded<T>(f: impl FnOnce() -> crate::Result<T>) -> Result<T, CrmError> {
    crate::error::catch_panic(f).map_err(CrmError::from)
}

/// Which account a conversion links to ([`LinkChoice`] of accounts).
pub type AccountChoice = LinkChoice<AccountId>;
/// Which contact a conversion links to ([`LinkChoice`] of contacts).
pub type ContactChoice = LinkChoice<ContactId>;

/// Which existing record a conversion links to, or whether it creates one.
#[derive(uniffi::Enum)]
pub enum Link {
    /// The one that matches (by e-mail or name), else a new one.
    Auto,
    /// This record.
    Existing {
        /// Its id.
        id: u64,
    },
    /// Always a new one.
    New,
}

fn link<Id>(
    choice: Link,
    id: impl FnOnce(u64) -> crate::Result<Id>,
) -> uniffi::Result<LinkChoice<Id>> {
    Ok(match choice {
        Link::Auto => LinkChoice::Auto,
        Link::Existing { id: raw } => LinkChoice::Existing(id(raw).map_err(lift_error)?),
        Link::New => LinkChoice::New,
    })
}

fn unlink<Id>(choice: LinkChoice<Id>, raw: impl FnOnce(Id) -> u64) -> Link {
    match choice {
        LinkChoice::Auto => Link::Auto,
        LinkChoice::Existing(id) => Link::Existing { id: raw(id) },
        LinkChoice::New => Link::New,
    }
}

uniffi::custom_type!(AccountChoice, Link, {
    remote,
    try_lift: |choice| link(choice, AccountId::new),
    lower: |choice| unlink(choice, AccountId::get),
});

uniffi::custom_type!(ContactChoice, Link, {
    remote,
    try_lift: |choice| link(choice, ContactId::new),
    lower: |choice| unlink(choice, ContactId::get),
});

/// A CSV column and the lead field it fills.
pub type ColumnField = (String, LeadField);

/// A CSV column and the lead field it fills ([`ColumnField`] as a record).
#[derive(uniffi::Record)]
pub struct ColumnMapping {
    /// The header name.
    pub column: String,
    /// The lead field (`first_name`, `email`, `custom:industry`…).
    pub field: LeadField,
}

uniffi::custom_type!(ColumnField, ColumnMapping, {
    remote,
    try_lift: |m| Ok((m.column, m.field)),
    lower: |pair| ColumnMapping { column: pair.0, field: pair.1 },
});
