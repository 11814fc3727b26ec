//! Customer tracking: accounts (companies), contacts (people, with phones, addresses,
//! best time to call and demographics) and purchases (product, date, rep, quantity, unit
//! price, special instructions, feedback).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::contact_info::{Address, Email, Phone, normalize_company};
use crate::error::{Error, Result};
use crate::id::RecordRef;
use crate::id::{AccountId, ContactId, LeadId, PurchaseId};
use crate::lead::dedup::DedupRecord;
use crate::lead::{Demographics, LeadData};
use crate::money::Money;
use crate::store::{EntityKind, impl_entity};

/// A company we sell to.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Id, assigned by the store.
    pub id: AccountId,
    /// Version.
    pub version: crate::id::Version,
    /// Company name.
    pub name: String,
    /// Web site or e-mail domain (`acme.com`), lower case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub domain: Option<String>,
    /// Main phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<Phone>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Address::is_empty")]
    pub address: Address,
    /// Industry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub industry: Option<String>,
    /// Owner (account manager).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// Service tier (`gold`, `enterprise`), lower-case: what the desk routes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tier: Option<String>,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: crate::custom::CustomValues,
    /// Created.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub created_at: DateTime<Utc>,
    /// Last changed.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub updated_at: DateTime<Utc>,
}

impl_entity!(Account, AccountId, EntityKind::Account, |a| [
    Some(normalize_company(&a.name)),
    a.domain.clone(),
    a.owner.clone(),
    None,
    None,
    None
]);

impl Account {
    /// Slot of the normalised company name.
    pub const BY_NAME: usize = 0;
    /// Slot of the domain.
    pub const BY_DOMAIN: usize = 1;
    /// Slot of the owner.
    pub const BY_OWNER: usize = 2;
}

/// What kind of phone a number is.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    /// Work line.
    Work,
    /// Mobile.
    Mobile,
    /// Home.
    Home,
    /// Anything else.
    Other,
}

/// A contact's phone number with its kind.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPhone {
    /// Kind.
    pub kind: PhoneKind,
    /// Number.
    pub number: Phone,
}

/// One weekly window in which a contact likes to be called.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallWindow {
    /// Day of the week.
    pub weekday: Weekday,
    /// Start, local time.
    pub start: NaiveTime,
    /// End, local time (after start).
    pub end: NaiveTime,
}

/// When a contact likes to be called: weekly windows in the contact's time zone.
///
/// # Examples
/// ```
/// use crm_core::customer::{BestTimeToCall, CallWindow};
/// use chrono::{NaiveTime, TimeZone, Utc, Weekday};
/// let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
/// let best = BestTimeToCall::new(chrono_tz::Europe::Berlin,
///     vec![CallWindow { weekday: Weekday::Tue, start: t(9), end: t(11) }])?;
/// // 08:30 UTC on Tuesday 2026-03-03 is 09:30 in Berlin.
/// assert!(best.is_good_time(Utc.with_ymd_and_hms(2026, 3, 3, 8, 30, 0).unwrap()));
/// assert!(!best.is_good_time(Utc.with_ymd_and_hms(2026, 3, 3, 10, 30, 0).unwrap()));
/// # Ok::<(), crm_core::Error>(())
/// ```
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BestTimeToCall {
    /// The contact's time zone.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub time_zone: Tz,
    /// The windows.
    pub windows: Vec<CallWindow>,
}

impl BestTimeToCall {
    /// Windows in `time_zone`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when a window does not end after it starts.
    pub fn new(time_zone: Tz, windows: Vec<CallWindow>) -> Result<Self> {
        for w in &windows {
            if w.end <= w.start {
                return Err(Error::invalid(
                    "call window",
                    format!("{} {}-{}", w.weekday, w.start, w.end),
                    "must end after it starts",
                ));
            }
        }
        Ok(BestTimeToCall { time_zone, windows })
    }

    /// Whether `at` falls in one of the windows, in the contact's local time.
    pub fn is_good_time(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.time_zone);
        let (day, time) = (local.weekday(), local.time());
        self.windows
            .iter()
            .any(|w| w.weekday == day && w.start <= time && time < w.end)
    }
}

/// A person at an account (or on their own).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Id, assigned by the store.
    pub id: ContactId,
    /// Version.
    pub version: crate::id::Version,
    /// Their account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub account: Option<AccountId>,
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_name: Option<String>,
    /// Job title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub job_title: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub email: Option<Email>,
    /// Phone numbers, the first the preferred one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phones: Vec<ContactPhone>,
    /// Postal addresses, the first the preferred one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub addresses: Vec<Address>,
    /// When they like to be called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub best_time_to_call: Option<BestTimeToCall>,
    /// Demographics.
    #[serde(default)]
    pub demographics: Demographics,
    /// Owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// The lead this contact was converted from, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub from_leads: Vec<LeadId>,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: crate::custom::CustomValues,
    /// The latest prediction of each customer model re-scored on the stored customers
    /// (`customers.rescore`), by model name: a probability, or for value models expected
    /// revenue. Segments read them as `prediction:<name>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub predictions: Predictions,
    /// Created.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub created_at: DateTime<Utc>,
    /// Last changed.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub updated_at: DateTime<Utc>,
}

/// Predictions by model name.
pub type Predictions = BTreeMap<String, f64>;

impl Contact {
    /// Slot of the e-mail dedup key.
    pub const BY_EMAIL: usize = 0;
    /// Slot of the preferred phone.
    pub const BY_PHONE: usize = 1;
    /// Slot of the account.
    pub const BY_ACCOUNT: usize = 5;

    /// The preferred phone.
    pub fn phone(&self) -> Option<&Phone> {
        self.phones.first().map(|p| &p.number)
    }

    /// What duplicate detection compares.
    pub fn dedup_record(&self, company: Option<&str>) -> DedupRecord {
        DedupRecord::new(
            RecordRef::Contact(self.id),
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            company,
            self.email.as_ref(),
            self.phone(),
        )
    }

    /// A contact with a lead's person data.
    pub fn from_lead_data(
        id: ContactId,
        account: Option<AccountId>,
        data: &LeadData,
        at: DateTime<Utc>,
    ) -> Self {
        Contact {
            id,
            version: crate::id::Version::NEW,
            account,
            first_name: data.first_name.clone(),
            last_name: data.last_name.clone(),
            job_title: data.job_title.clone(),
            email: data.email.clone(),
            phones: data
                .phone
                .iter()
                .map(|p| ContactPhone {
                    kind: PhoneKind::Work,
                    number: p.clone(),
                })
                .collect(),
            addresses: if data.address.is_empty() {
                Vec::new()
            } else {
                vec![data.address.clone()]
            },
            best_time_to_call: None,
            demographics: data.demographics,
            predictions: Predictions::new(),
            owner: data.owner.clone(),
            from_leads: Vec::new(),
            custom: data.custom.clone(),
            created_at: at,
            updated_at: at,
        }
    }

    /// "First Last".
    pub fn display_name(&self) -> String {
        [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The company part of a contact's dedup keys is the account name, which the contact
/// itself does not hold; the index therefore uses name-only keys (company empty), and the
/// facade compares companies after loading candidates.
fn contact_keys(c: &Contact) -> crate::store::IndexKeys {
    let rec = DedupRecord::new(
        RecordRef::Contact(c.id),
        c.first_name.as_deref(),
        c.last_name.as_deref(),
        None,
        c.email.as_ref(),
        c.phone(),
    );
    let [a, b, cc] = rec.blocking_keys();
    [
        rec.email_key,
        rec.phone,
        a,
        b,
        cc,
        c.account.map(|a| a.to_string()),
    ]
}

impl_entity!(Contact, ContactId, EntityKind::Contact, |c| contact_keys(c));

/// A customer's rating of a purchase.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    /// 1 (poor) to 5 (excellent).
    pub rating: u8,
    /// What they said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub text: Option<String>,
}

impl Feedback {
    /// Feedback with a rating from 1 to 5.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a rating outside 1..=5.
    pub fn new(rating: u8, text: Option<String>) -> Result<Self> {
        if (1..=5).contains(&rating) {
            Ok(Feedback { rating, text })
        } else {
            Err(Error::invalid(
                "feedback rating",
                rating.to_string(),
                "must be 1 to 5",
            ))
        }
    }
}

/// Something a customer bought.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Purchase {
    /// Id, assigned by the store.
    pub id: PurchaseId,
    /// Version.
    pub version: crate::id::Version,
    /// Who bought.
    pub contact: ContactId,
    /// For which account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub account: Option<AccountId>,
    /// Product (SKU or name).
    pub product: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub purchased_at: DateTime<Utc>,
    /// The rep who sold it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sales_rep: Option<String>,
    /// Quantity (positive).
    pub quantity: Decimal,
    /// Price per unit.
    pub unit_price: Money,
    /// Special instructions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub special_instructions: Option<String>,
    /// The customer's feedback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub feedback: Option<Feedback>,
    /// The sales order it was sold on, when the CRM made the sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sales_order: Option<crate::id::SalesOrderId>,
    /// The order line's net amount, exact, when it was sold on an order (the unit price
    /// is that divided by the quantity, rounded to the currency, so their product may be
    /// a cent away from it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub net: Option<Money>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl Purchase {
    /// Slot of the contact.
    pub const BY_CONTACT: usize = 0;
    /// Slot of the account.
    pub const BY_ACCOUNT: usize = 1;
    /// Slot of the product.
    pub const BY_PRODUCT: usize = 2;

    /// What was paid: the order line's net when it was sold on an order, else quantity ×
    /// unit price, unrounded.
    pub fn total(&self) -> Money {
        self.net
            .unwrap_or_else(|| self.unit_price.times(self.quantity))
    }
}

impl_entity!(Purchase, PurchaseId, EntityKind::Purchase, |p| [
    Some(p.contact.to_string()),
    p.account.map(|a| a.to_string()),
    Some(p.product.clone()),
    None,
    None,
    None
]);

/// A purchase to record.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewPurchase {
    /// Who bought.
    pub contact: ContactId,
    /// Product.
    pub product: String,
    /// When.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub purchased_at: DateTime<Utc>,
    /// Rep.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sales_rep: Option<String>,
    /// Quantity.
    pub quantity: Decimal,
    /// Unit price.
    pub unit_price: Money,
    /// Special instructions.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub special_instructions: Option<String>,
    /// Feedback.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub feedback: Option<Feedback>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl NewPurchase {
    /// Checks the purchase.
    ///
    /// # Errors
    /// [`Error::Validation`] when the product is blank, the quantity is not positive or the
    /// price is negative.
    pub fn check(&self) -> Result<()> {
        let mut p = crate::error::Problems::new();
        if self.product.trim().is_empty() {
            p.push("product", "must not be blank");
        }
        if self.quantity <= Decimal::ZERO {
            p.push(
                "quantity",
                format!("must be positive, got {}", self.quantity),
            );
        }
        if self.unit_price.is_negative() {
            p.push(
                "unit_price",
                format!("must not be negative, got {}", self.unit_price),
            );
        }
        // found by the surface fuzzer: a price near the decimal range times 2 overflowed
        let total = self.quantity.checked_mul(self.unit_price.amount());
        if total.is_none_or(|t| t.abs() > crate::money::MAX_AMOUNT) {
            p.push("unit_price", "quantity × unit price is beyond 10^20");
        }
        if let Some(f) = &self.feedback
            && !(1..=5).contains(&f.rating)
        {
            p.push("feedback", "rating must be 1 to 5");
        }
        p.finish(())
    }
}

/// An account to create.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NewAccount {
    /// Company name.
    pub name: String,
    /// Web or e-mail domain.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub domain: Option<String>,
    /// Main phone.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phone: Option<Phone>,
    /// Address.
    #[serde(default)]
    pub address: Address,
    /// Industry.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub industry: Option<String>,
    /// Owner.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// Service tier (`gold`, `enterprise`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tier: Option<String>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl NewAccount {
    /// An account called `name`.
    pub fn named(name: impl Into<String>) -> Self {
        NewAccount {
            name: name.into(),
            ..NewAccount::default()
        }
    }

    /// The stored account.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a blank name or a domain that is not a host name.
    pub fn build(self, id: AccountId, at: DateTime<Utc>) -> Result<Account> {
        let name = crate::contact_info::clean_text(Some(&self.name))
            .ok_or_else(|| Error::invalid("name", &self.name, "an account needs a name"))?;
        let domain = match self.domain {
            Some(d) => Some(normalize_domain(&d)?),
            None => None,
        };
        Ok(Account {
            id,
            version: crate::id::Version::NEW,
            name,
            domain,
            phone: self.phone,
            address: self.address,
            industry: self.industry,
            owner: self.owner,
            tier: tier_of(self.tier.as_deref()),
            custom: self.custom,
            created_at: at,
            updated_at: at,
        })
    }
}

/// A tier as stored: trimmed and lower-case; blank is none.
pub(crate) fn tier_of(tier: Option<&str>) -> Option<String> {
    tier.map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
}

/// Lower-cases a web address or domain down to its host name (`https://www.Acme.com/x` →
/// `acme.com`).
///
/// # Errors
/// [`Error::InvalidValue`] when no host name remains.
pub fn normalize_domain(text: &str) -> Result<String> {
    let t = text.trim().to_ascii_lowercase();
    let t = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .unwrap_or(&t);
    let host = t.split(['/', '?', '#', ':']).next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let ok = host.contains('.')
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if ok {
        Ok(host.to_string())
    } else {
        Err(Error::invalid("domain", text, "not a host name"))
    }
}

/// A contact to create.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NewContact {
    /// Account.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub account: Option<AccountId>,
    /// Given name.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_name: Option<String>,
    /// Job title.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub job_title: Option<String>,
    /// E-mail.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub email: Option<Email>,
    /// Phones.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub phones: Vec<ContactPhone>,
    /// Addresses.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub addresses: Vec<Address>,
    /// Best time to call.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub best_time_to_call: Option<BestTimeToCall>,
    /// Demographics.
    #[serde(default)]
    pub demographics: Demographics,
    /// Owner.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl NewContact {
    /// The stored contact.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when it has neither a last name nor an e-mail.
    pub fn build(self, id: ContactId, at: DateTime<Utc>) -> Result<Contact> {
        let last_name = crate::contact_info::clean_text(self.last_name.as_deref());
        if last_name.is_none() && self.email.is_none() {
            return Err(Error::invalid(
                "last_name",
                "",
                "a contact needs a last name or an e-mail",
            ));
        }
        Ok(Contact {
            id,
            version: crate::id::Version::NEW,
            account: self.account,
            first_name: crate::contact_info::clean_text(self.first_name.as_deref()),
            last_name,
            job_title: self.job_title,
            email: self.email,
            phones: self.phones,
            addresses: self.addresses,
            best_time_to_call: self.best_time_to_call,
            demographics: self.demographics,
            predictions: Predictions::new(),
            owner: self.owner,
            from_leads: Vec::new(),
            custom: self.custom,
            created_at: at,
            updated_at: at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn purchase(quantity: &str, price: &str) -> NewPurchase {
        NewPurchase {
            custom: Default::default(),
            contact: ContactId::new(1).unwrap(),
            product: "ENG-1".into(),
            purchased_at: DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
            sales_rep: None,
            quantity: quantity.parse().unwrap(),
            unit_price: Money::new(price.parse().unwrap(), Currency::parse("EUR").unwrap()),
            special_instructions: None,
            feedback: None,
        }
    }

    #[test]
    fn a_purchase_beyond_the_amount_range_is_refused_not_overflowed() {
        assert!(purchase("2", "79.99").check().is_ok());
        // found by the surface fuzzer: this product overflowed (a panic) further on
        let huge = purchase("2", "79228162514264337593543950335").check();
        assert!(matches!(huge, Err(Error::Validation { .. })), "{huge:?}");
        assert!(purchase("1", "100000000000000000001").check().is_err());
    }
}
