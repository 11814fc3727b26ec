//! The kinds an import creates and updates ([`Importable`]), each through the same
//! transaction-level use case its own `create` calls, and the natural keys other records
//! are linked to them by ([`natural_key`]).

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::activity::{Activity, NewActivity};
use crate::contact_info::{Email, normalize_company};
use crate::crm::duplicates::{self, RulesInForce};
use crate::crm::import::DuplicatePolicy;
use crate::crm::{DuplicateMatch, insert_lead_found};
use crate::customer::{
    Account, Contact, NewAccount, NewContact, NewPurchase, Purchase, normalize_domain,
};
use crate::error::{Error, Result};
use crate::lead::{Lead, LeadData, LeadSource};
use crate::lifecycle::Editable;
use crate::marketing::campaign::{Campaign, NewCampaign};
use crate::sales::{NewOpportunity, Opportunity};
use crate::service::case::{Case, NewCase};
use crate::service::installed::{Asset, Contract, NewAsset, NewContract};
use crate::store::{EntityKind, RecordId, WriteTx};

/// What a row's create did.
pub(crate) enum Created {
    /// The record, by id.
    Record(u64),
    /// Nothing: the row duplicates these stored records (leads, with `skip`).
    Duplicate(Vec<DuplicateMatch>),
}

/// What the creates of one batch share.
pub(crate) struct Context<'a> {
    /// The file's label (leads keep it in their source).
    pub(crate) label: &'a str,
    /// Duplicates of leads.
    pub(crate) duplicates: DuplicatePolicy,
    /// The duplicate rules, read once per batch.
    pub(crate) rules: RulesInForce,
}

/// A kind an import writes: how a row becomes a new record.
pub(crate) trait Importable: Editable {
    /// The input its create takes.
    type New: DeserializeOwned;
    /// Creates one from `new` as its own use case does.
    fn create(
        tx: &mut dyn WriteTx,
        new: Self::New,
        ctx: &Context<'_>,
        row: usize,
        now: DateTime<Utc>,
    ) -> Result<Created>;
}

macro_rules! importable {
    ($($entity:ty: $new:ty => $create:path;)+) => {$(
        impl Importable for $entity {
            type New = $new;
            fn create(
                tx: &mut dyn WriteTx,
                new: $new,
                _ctx: &Context<'_>,
                _row: usize,
                now: DateTime<Utc>,
            ) -> Result<Created> {
                Ok(Created::Record($create(tx, new, now)?.id.raw()))
            }
        }
    )+};
}

importable! {
    Account: NewAccount => crate::crm::create_account_in;
    Contact: NewContact => crate::crm::create_contact_in;
    Purchase: NewPurchase => crate::crm::record_purchase_in;
    Activity: NewActivity => crate::crm::sales_cases::log_activity_in;
    Opportunity: NewOpportunity => crate::crm::sales_cases::open_opportunity_in;
    Asset: NewAsset => crate::crm::installed_cases::register_asset_in;
    Contract: NewContract => crate::crm::installed_cases::create_contract_in;
    Case: NewCase => crate::crm::service_cases::open_case_in;
    Campaign: NewCampaign => crate::crm::marketing_cases::create_campaign_in;
}

impl Importable for Lead {
    type New = LeadData;
    fn create(
        tx: &mut dyn WriteTx,
        data: LeadData,
        ctx: &Context<'_>,
        row: usize,
        now: DateTime<Utc>,
    ) -> Result<Created> {
        data.check()?;
        let matches = duplicates::find_with(&*tx, &data, None, &ctx.rules)?;
        // a sure match is left out under `skip`; a possible one is imported and reviewed
        if ctx.duplicates == DuplicatePolicy::Skip && matches.iter().any(|m| !m.possible) {
            return Ok(Created::Duplicate(matches));
        }
        let source = LeadSource::CsvImport {
            batch: ctx.label.to_string(),
            row: row as u64,
        };
        let captured = insert_lead_found(tx, source, data, matches, now)?;
        Ok(Created::Record(captured.lead.id.raw()))
    }
}

/// The kinds an import writes, by name.
pub const IMPORTABLE: &[EntityKind] = &[
    EntityKind::Lead,
    EntityKind::Account,
    EntityKind::Contact,
    EntityKind::Purchase,
    EntityKind::Activity,
    EntityKind::Opportunity,
    EntityKind::Asset,
    EntityKind::Contract,
    EntityKind::Case,
    EntityKind::Campaign,
];

/// The index a natural key of `kind` is looked up in, and `value` in the form stored
/// there; `None` when `key` is not a natural key of the kind.
///
/// # Errors
/// [`Error::InvalidValue`] when `value` cannot be a key of its kind (not an e-mail
/// address, not a host name).
pub(crate) fn natural_key(
    kind: EntityKind,
    key: &str,
    value: &str,
) -> Option<Result<(usize, String)>> {
    let v = value.trim();
    Some(match (kind, key) {
        (EntityKind::Account, "name") => Ok((Account::BY_NAME, normalize_company(v))),
        (EntityKind::Account, "domain") => normalize_domain(v).map(|d| (Account::BY_DOMAIN, d)),
        (EntityKind::Contact, "email") => {
            Email::parse(v).map(|e| (Contact::BY_EMAIL, e.dedup_key()))
        }
        (EntityKind::Lead, "email") => Email::parse(v).map(|e| (Lead::BY_EMAIL, e.dedup_key())),
        (EntityKind::Asset, "serial_number") => Ok((Asset::BY_SERIAL, Asset::serial_key(v))),
        (EntityKind::Campaign, "code") => Ok((Campaign::BY_CODE, v.to_string())),
        (EntityKind::Case, "number") => Ok((Case::BY_NUMBER, v.to_string())),
        // a pipeline's first slot is its lower-cased name
        (EntityKind::Pipeline, "name") => Ok((0, v.to_lowercase())),
        _ => return None,
    })
}

/// The natural keys, as `kind.key`, for messages.
pub(crate) const NATURAL_KEYS: &str = "account.name, account.domain, contact.email, \
    lead.email, asset.serial_number, campaign.code, service_case.number, pipeline.name";

/// An error for a kind an import does not write.
pub(crate) fn not_importable(kind: EntityKind) -> Error {
    Error::invalid(
        "kind",
        kind.as_str(),
        format!(
            "cannot be imported; importable kinds: {}",
            IMPORTABLE
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}
