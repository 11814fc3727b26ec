//! Typed record ids and references to "any record".
//!
//! Ids are positive integers assigned by the store inside the transaction that creates the
//! record (see [`crate::store::WriteTx::next_id`]), so they are dense, cheap to index and
//! never reused. Each kind of record has its own id type, so a `LeadId` cannot be passed
//! where a `ContactId` is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $label:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(u64);

        // Ids cross uniffi's FFI as signed 64-bit numbers (Kotlin `Long`, Swift `Int64`,
        // what Room, Core Data and a Bundle hold), checked on the way in: 0 and negative
        // numbers are refused. Stores hand out ids far below `i64::MAX` (SQLite's rowid
        // range), so lowering never saturates in practice.
        #[cfg(feature = "uniffi")]
        uniffi::custom_type!($name, i64, {
            try_lift: |raw| {
                let raw = u64::try_from(raw).map_err(|_| {
                    $crate::uniffi_types::lift_error(Error::invalid(
                        concat!($label, " id"),
                        raw.to_string(),
                        "ids start at 1",
                    ))
                })?;
                $name::new(raw).map_err($crate::uniffi_types::lift_error)
            },
            lower: |id| i64::try_from(id.get()).unwrap_or(i64::MAX),
        });

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "integer",
                    "format": "id",
                    "minimum": 1,
                    "description": concat!("The id of a stored `", $label, "` (from 1)."),
                })
            }
        }

        impl $name {
            /// The kind label used in messages and references.
            pub const LABEL: &'static str = $label;

            /// An id from its number.
            ///
            /// # Errors
            /// [`Error::InvalidValue`] when `raw` is 0 (ids start at 1).
            pub fn new(raw: u64) -> Result<Self> {
                if raw == 0 {
                    Err(Error::invalid(concat!($label, " id"), "0", "ids start at 1"))
                } else {
                    Ok(Self(raw))
                }
            }

            /// The number behind this id.
            pub const fn get(self) -> u64 {
                self.0
            }

            /// Builds an id the store handed out; the store guarantees it is not 0.
            pub(crate) const fn from_store(raw: u64) -> Self {
                Self(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                let raw: u64 = s.trim().parse().map_err(|_| {
                    Error::invalid(concat!($label, " id"), s, "not a positive integer")
                })?;
                Self::new(raw)
            }
        }
    };
}

define_id!(
    /// Identifies a [`crate::lead::Lead`].
    LeadId,
    "lead"
);
define_id!(
    /// Identifies a [`crate::customer::Account`].
    AccountId,
    "account"
);
define_id!(
    /// Identifies a [`crate::customer::Contact`].
    ContactId,
    "contact"
);
define_id!(
    /// Identifies a [`crate::tracking::Touchpoint`].
    TouchpointId,
    "touchpoint"
);
define_id!(
    /// Identifies a [`crate::activity::Activity`].
    ActivityId,
    "activity"
);
define_id!(
    /// Identifies a [`crate::customer::Purchase`].
    PurchaseId,
    "purchase"
);
define_id!(
    /// Identifies a [`crate::sales::Opportunity`].
    OpportunityId,
    "opportunity"
);
define_id!(
    /// Identifies a [`crate::sales::Pipeline`].
    PipelineId,
    "pipeline"
);
define_id!(
    /// Identifies a [`crate::sales::fx::ExchangeRate`].
    ExchangeRateId,
    "exchange rate"
);
define_id!(
    /// Identifies a [`crate::lead::webform::WebForm`].
    WebFormId,
    "web form"
);

define_id!(
    /// Identifies a catalog product.
    ProductId,
    "product"
);

define_id!(
    /// Identifies a price book.
    PriceBookId,
    "price book"
);

define_id!(
    /// Identifies one revision of a quote.
    QuoteId,
    "quote"
);

define_id!(
    /// Identifies a sales order.
    SalesOrderId,
    "sales order"
);

define_id!(
    /// Identifies a delivery in the outbox.
    DeliveryId,
    "delivery"
);

define_id!(
    /// Identifies a service desk queue.
    QueueId,
    "queue"
);

define_id!(
    /// Identifies a service agent's profile.
    AgentId,
    "agent"
);

define_id!(
    /// Identifies a case routing rule.
    RoutingRuleId,
    "routing rule"
);

define_id!(
    /// Identifies an escalation rule.
    EscalationRuleId,
    "escalation rule"
);

define_id!(
    /// Identifies a satisfaction survey.
    SurveyId,
    "survey"
);

define_id!(
    /// Identifies a service case.
    CaseId,
    "case"
);

define_id!(
    /// Identifies an installed asset.
    AssetId,
    "asset"
);

define_id!(
    /// Identifies a warranty on an asset.
    WarrantyId,
    "warranty"
);

define_id!(
    /// Identifies a service contract.
    ContractId,
    "contract"
);

define_id!(
    /// Identifies a field technician.
    TechnicianId,
    "technician"
);

define_id!(
    /// Identifies a service order.
    ServiceOrderId,
    "service order"
);

define_id!(
    /// Identifies a planned maintenance plan.
    MaintenancePlanId,
    "maintenance plan"
);

define_id!(
    /// Identifies a knowledge-base article.
    ArticleId,
    "article"
);

define_id!(
    /// Identifies a named business calendar.
    CalendarId,
    "calendar"
);

define_id!(
    /// Identifies an SLA policy.
    SlaPolicyId,
    "SLA policy"
);

define_id!(
    /// Identifies a marketing campaign.
    CampaignId,
    "campaign"
);

define_id!(
    /// Identifies a saved segment.
    SegmentId,
    "segment"
);

define_id!(
    /// Identifies a marketing plan.
    MarketingPlanId,
    "marketing plan"
);

define_id!(
    /// Identifies a marketing-automation rule.
    AutomationRuleId,
    "automation rule"
);

define_id!(
    /// Identifies an action the automation engine asked for.
    AutomationActionId,
    "automation action"
);

define_id!(
    /// Identifies the automation engine's stored state (one record).
    AutomationStateId,
    "automation state"
);

define_id!(
    /// Identifies the link between a record and its id in another system.
    ExternalLinkId,
    "external link"
);

define_id!(
    /// Identifies a person's consent for one channel and purpose.
    ConsentId,
    "consent"
);

define_id!(
    /// Identifies a do-not-contact mark.
    DoNotContactId,
    "do-not-contact mark"
);

define_id!(
    /// Identifies a custom field definition.
    CustomFieldId,
    "custom field"
);

define_id!(
    /// Identifies the duplicate rules of a record kind.
    DuplicateRulesId,
    "duplicate rules"
);

define_id!(
    /// Identifies a pair of possible duplicates on the review list.
    DuplicateReviewId,
    "duplicate review"
);

define_id!(
    /// Identifies an unsubscribe token.
    UnsubscribeTokenId,
    "unsubscribe token"
);

define_id!(
    /// Identifies an assignment rule.
    AssignmentRuleId,
    "assignment rule"
);

define_id!(
    /// Identifies a user of the CRM (a person who signs in to the host app).
    UserId,
    "user"
);

define_id!(
    /// Identifies a team of users.
    TeamId,
    "team"
);

define_id!(
    /// Identifies a role in the role hierarchy.
    RoleId,
    "role"
);

define_id!(
    /// Identifies a permission set.
    PermissionSetId,
    "permission set"
);

define_id!(
    /// Identifies a sharing rule.
    SharingRuleId,
    "sharing rule"
);

define_id!(
    /// Identifies a manual share of one record.
    ShareId,
    "share"
);

define_id!(
    /// Identifies the organisation-wide default of a record kind.
    OrgDefaultId,
    "org default"
);

/// A reference to a record that activities and touchpoints can hang on.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RecordRef {
    /// A lead.
    Lead(LeadId),
    /// A contact.
    Contact(ContactId),
    /// An account.
    Account(AccountId),
    /// An opportunity.
    Opportunity(OpportunityId),
    /// A service case.
    #[serde(rename = "service_case")]
    Case(CaseId),
}

impl RecordRef {
    /// The compact key form (`lead:42`) used by store indexes.
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// The kind and id of the record referred to.
    pub fn entity(&self) -> (crate::store::EntityKind, u64) {
        use crate::store::EntityKind as K;
        match self {
            RecordRef::Lead(id) => (K::Lead, id.get()),
            RecordRef::Contact(id) => (K::Contact, id.get()),
            RecordRef::Account(id) => (K::Account, id.get()),
            RecordRef::Opportunity(id) => (K::Opportunity, id.get()),
            RecordRef::Case(id) => (K::Case, id.get()),
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordRef::Lead(id) => write!(f, "lead:{id}"),
            RecordRef::Contact(id) => write!(f, "contact:{id}"),
            RecordRef::Account(id) => write!(f, "account:{id}"),
            RecordRef::Opportunity(id) => write!(f, "opportunity:{id}"),
            RecordRef::Case(id) => write!(f, "service_case:{id}"),
        }
    }
}

impl FromStr for RecordRef {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::invalid("record reference", s, "expected kind:id, e.g. lead:42");
        let (kind, id) = s.split_once(':').ok_or_else(bad)?;
        Ok(match kind {
            "lead" => RecordRef::Lead(id.parse()?),
            "contact" => RecordRef::Contact(id.parse()?),
            "account" => RecordRef::Account(id.parse()?),
            "opportunity" => RecordRef::Opportunity(id.parse()?),
            "service_case" => RecordRef::Case(id.parse()?),
            _ => return Err(bad()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_not_an_id() {
        assert_eq!(LeadId::new(0).unwrap_err().code(), "invalid_value");
        assert_eq!("7".parse::<LeadId>().unwrap().get(), 7);
        assert!("x".parse::<LeadId>().is_err());
    }

    #[test]
    fn record_refs_round_trip() {
        let r = RecordRef::Contact(ContactId::new(9).unwrap());
        assert_eq!(r.key(), "contact:9");
        assert_eq!(r.key().parse::<RecordRef>().unwrap(), r);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"kind":"contact","id":9}"#);
        assert_eq!(serde_json::from_str::<RecordRef>(&json).unwrap(), r);
        assert!("thing:1".parse::<RecordRef>().is_err());
    }
}

/// The optimistic-concurrency version of a stored record: 1 after its first write, one
/// more after each. A change names the version it was made on; a stale one is a
/// [`Error::Conflict`]. Crosses uniffi's FFI as a signed 64-bit number (Kotlin `Long`,
/// Swift `Int64`), like ids; negative numbers are refused on the way in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Version(u64);

impl Version {
    /// The version of a record not stored yet.
    pub const NEW: Version = Version(0);

    /// A version from its number.
    pub const fn new(n: u64) -> Self {
        Version(n)
    }

    /// The number behind this version.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The version after this one (what a write makes).
    #[must_use]
    pub const fn next(self) -> Self {
        Version(self.0 + 1)
    }
}

impl From<u64> for Version {
    fn from(n: u64) -> Self {
        Version(n)
    }
}

impl From<Version> for u64 {
    fn from(v: Version) -> Self {
        v.0
    }
}

impl PartialEq<u64> for Version {
    fn eq(&self, other: &u64) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(Version, i64, {
    try_lift: |raw| u64::try_from(raw).map(Version).map_err(|_| {
        crate::uniffi_types::lift_error(Error::invalid("version", raw.to_string(), "versions start at 0"))
    }),
    lower: |v| i64::try_from(v.0).unwrap_or(i64::MAX),
});

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Version {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Version")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "minimum": 0,
            "description": "The optimistic-concurrency version of a stored record (1 after its first write).",
        })
    }
}

/// A record of any kind by its kind and id, written `kind:id` (`lead:42`,
/// `service_case:7`): what the lifecycle use cases (archive, restore, delete, history)
/// take for every kind alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordKey {
    kind: crate::store::EntityKind,
    id: u64,
}

impl RecordKey {
    /// The key of record `id` of `kind`.
    pub const fn new(kind: crate::store::EntityKind, id: u64) -> Self {
        RecordKey { kind, id }
    }

    /// Its kind.
    pub const fn kind(self) -> crate::store::EntityKind {
        self.kind
    }

    /// Its id.
    pub const fn id(self) -> u64 {
        self.id
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.id)
    }
}

impl FromStr for RecordKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = |why: &str| Error::invalid("record", s, why);
        let (kind, id) = s
            .split_once(':')
            .ok_or_else(|| bad("write a record as kind:id (lead:42)"))?;
        let kind: crate::store::EntityKind = kind.parse().map_err(|_| bad("unknown kind"))?;
        let id: u64 = id.parse().map_err(|_| bad("the id is not a number"))?;
        if id == 0 {
            return Err(bad("ids start at 1"));
        }
        Ok(RecordKey { kind, id })
    }
}

impl Serialize for RecordKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RecordKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl From<RecordRef> for RecordKey {
    fn from(r: RecordRef) -> Self {
        let (kind, id) = r.entity();
        RecordKey::new(kind, id)
    }
}
