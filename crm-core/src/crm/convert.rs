//! Lead conversion: one transaction that links the lead to an existing account and contact
//! when it finds them (duplicates are linked, not re-created), creates what is missing,
//! optionally opens an opportunity, and moves the lead's touchpoints and activities to the
//! contact. The lead keeps links to what it became.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::activity::Activity;
use crate::contact_info::normalize_company;
use crate::customer::{Account, Contact, NewAccount, normalize_domain};
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{AccountId, ContactId, LeadId, PipelineId, RecordRef};
use crate::lead::dedup::MatchReason;
use crate::lead::{ConversionLinks, Lead, LeadStatus};
use crate::money::Money;
use crate::sales::{NewOpportunity, Opportunity, Pipeline};
use crate::store::{EntityKind, ReadExt, RecordId, Store, WriteExt, WriteTx};
use crate::tracking::Touchpoint;

use super::{Crm, duplicates};

/// Which existing record to link, or whether to create one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "LinkChoice{Id}")
)]
#[serde(tag = "choice", content = "id", rename_all = "snake_case")]
pub enum LinkChoice<Id> {
    /// Link to the matching record when one is found, else create one.
    #[default]
    Auto,
    /// Link to this record.
    Existing(Id),
    /// Always create a new record.
    New,
}

/// The opportunity to open on conversion.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpportunityDraft {
    /// Name; `"<company> – <lead name>"` when `None`.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// Pipeline.
    pub pipeline: PipelineId,
    /// Starting stage (the first open stage when `None`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub stage: Option<String>,
    /// Amount.
    pub amount: Money,
    /// Expected close.
    pub expected_close: NaiveDate,
    /// Products of interest.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub products: Vec<String>,
}

/// How to convert.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ConvertOptions {
    /// The account.
    #[serde(default)]
    pub account: LinkChoice<AccountId>,
    /// The contact.
    #[serde(default)]
    pub contact: LinkChoice<ContactId>,
    /// The opportunity, if one is to be opened.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub opportunity: Option<OpportunityDraft>,
}

/// What a conversion did.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversion {
    /// The converted lead.
    pub lead: Lead,
    /// Its account.
    pub account: Account,
    /// Whether the account was created (false: an existing one was linked).
    pub account_created: bool,
    /// Its contact.
    pub contact: Contact,
    /// Whether the contact was created.
    pub contact_created: bool,
    /// The opportunity opened, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub opportunity: Option<Opportunity>,
    /// Touchpoints moved from the lead to the contact.
    pub moved_touchpoints: usize,
    /// Activities moved from the lead to the contact.
    pub moved_activities: usize,
}

impl<S: Store> Crm<S> {
    /// Converts a qualified lead; see the module docs.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless the lead is qualified; [`Error::NotFound`] for
    /// an unknown lead, account, contact or pipeline; [`Error::InvalidValue`] when a chosen
    /// contact belongs to another account; [`Error::Validation`] for a bad opportunity;
    /// [`Error::Storage`]. Nothing is written unless everything succeeds.
    pub fn convert_lead(
        &self,
        id: LeadId,
        options: &ConvertOptions,
        now: DateTime<Utc>,
    ) -> Result<Conversion> {
        self.write(|tx| convert_in(tx, id, options, now))
    }
}

fn find_account(tx: &mut dyn WriteTx, lead: &Lead) -> Result<Option<Account>> {
    if let Some(company) = &lead.data.company {
        let found: Vec<Account> = tx.find(Account::BY_NAME, &normalize_company(company))?;
        if let Some(a) = found.into_iter().next() {
            return Ok(Some(a));
        }
    }
    if let Some(email) = lead.data.email.as_ref().filter(|e| !e.is_free_mail()) {
        let found: Vec<Account> = tx.find(Account::BY_DOMAIN, email.domain())?;
        if let Some(a) = found.into_iter().next() {
            return Ok(Some(a));
        }
    }
    Ok(None)
}

fn find_contact(tx: &mut dyn WriteTx, lead: &Lead, account: AccountId) -> Result<Option<Contact>> {
    let mut matches = duplicates::find_in_store(&*tx, &lead.data, Some(RecordRef::Lead(lead.id)))?;
    // Strongest evidence first: same e-mail, then same phone, then the most similar name.
    let rank = |r: &MatchReason| match r {
        MatchReason::SameEmail => (0, 0.0),
        MatchReason::SamePhone => (1, 0.0),
        MatchReason::SimilarName { similarity } => (2, -similarity),
    };
    matches.sort_by(|a, b| {
        rank(&a.reason)
            .partial_cmp(&rank(&b.reason))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    for m in matches {
        if let RecordRef::Contact(cid) = m.record {
            let contact: Contact = tx.load(cid)?;
            if contact.account.is_none_or(|a| a == account) {
                return Ok(Some(contact));
            }
        }
    }
    Ok(None)
}

fn convert_in(
    tx: &mut dyn WriteTx,
    id: LeadId,
    options: &ConvertOptions,
    now: DateTime<Utc>,
) -> Result<Conversion> {
    let mut lead: Lead = tx.load(id)?;
    let from = lead.status.name();
    lead.transition(LeadStatus::Converted, now)?;

    // Account: chosen, found, or created.
    let found_account = match options.account {
        LinkChoice::Existing(a) => Some(tx.load::<Account>(a)?),
        LinkChoice::Auto => find_account(tx, &lead)?,
        LinkChoice::New => None,
    };
    let (account, account_created) = match found_account {
        Some(a) => (a, false),
        None => {
            let mut new = NewAccount::named(
                lead.data
                    .company
                    .clone()
                    .unwrap_or_else(|| lead.data.display_name()),
            );
            new.domain = lead
                .data
                .website
                .as_deref()
                .and_then(|w| normalize_domain(w).ok())
                .or_else(|| {
                    lead.data
                        .email
                        .as_ref()
                        .filter(|e| !e.is_free_mail())
                        .map(|e| e.domain().to_string())
                });
            new.phone = lead.data.phone.clone();
            new.address = lead.data.address.clone();
            new.owner = lead.data.owner.clone();
            let aid = AccountId::from_raw(tx.next_id(EntityKind::Account)?);
            let mut account = new.build(aid, now)?;
            tx.update(&mut account)?;
            tx.emit(&DomainEvent::AccountCreated { account: aid }, now)?;
            (account, true)
        }
    };

    // Contact: chosen, found (a duplicate at this account or without one), or created.
    let found_contact = match options.contact {
        LinkChoice::Existing(c) => {
            let contact: Contact = tx.load(c)?;
            if contact.account.is_some_and(|a| a != account.id) {
                return Err(Error::invalid(
                    "contact",
                    c.to_string(),
                    format!("belongs to another account than {}", account.id),
                ));
            }
            Some(contact)
        }
        LinkChoice::Auto => find_contact(tx, &lead, account.id)?,
        LinkChoice::New => None,
    };
    let (mut contact, contact_created) = match found_contact {
        Some(mut c) => {
            // Link, filling only what the contact lacks: what it has is newer or curated.
            c.account = Some(account.id);
            if c.email.is_none() {
                c.email = lead.data.email.clone();
            }
            if c.phones.is_empty()
                && let Some(p) = &lead.data.phone
            {
                c.phones.push(crate::customer::ContactPhone {
                    kind: crate::customer::PhoneKind::Work,
                    number: p.clone(),
                });
            }
            c.updated_at = now;
            (c, false)
        }
        None => {
            let cid = ContactId::from_raw(tx.next_id(EntityKind::Contact)?);
            (
                Contact::from_lead_data(cid, Some(account.id), &lead.data, now),
                true,
            )
        }
    };
    contact.from_leads.push(lead.id);
    if contact_created {
        // the lead's custom values the contact's kind defines come along; where contacts
        // have definitions, the others stay with the lead
        let defs = crate::custom::definitions(&*tx, EntityKind::Contact)?;
        if !defs.is_empty() {
            contact
                .custom
                .retain(|name, _| defs.iter().any(|d| &d.name == name));
        }
    }
    tx.update(&mut contact)?;
    // what the person agreed to as a lead holds for them as a contact
    crate::consent::carry(
        tx,
        RecordRef::Lead(lead.id),
        RecordRef::Contact(contact.id),
        false,
        now,
    )?;
    // the lead is the contact now: its review with the contact is settled, its other
    // open reviews go (a converted lead is not merged)
    super::duplicate_review::settle_merge(
        tx,
        RecordRef::Contact(contact.id).into(),
        RecordRef::Lead(lead.id).into(),
        now,
    )?;
    if contact_created {
        tx.emit(
            &DomainEvent::ContactCreated {
                contact: contact.id,
                account: Some(account.id),
            },
            now,
        )?;
    }

    // Opportunity.
    let opportunity = match &options.opportunity {
        Some(draft) => {
            let pipeline: Pipeline = tx.load(draft.pipeline)?;
            let name = draft
                .name
                .clone()
                .unwrap_or_else(|| format!("{} – {}", account.name, lead.data.display_name()));
            let new = NewOpportunity {
                name,
                account: account.id,
                contact: Some(contact.id),
                pipeline: pipeline.id,
                stage: draft.stage.clone(),
                amount: draft.amount,
                expected_close: draft.expected_close,
                owner: lead.data.owner.clone(),
                products: draft.products.clone(),
                custom: Default::default(),
            };
            let oid = crate::id::OpportunityId::from_raw(tx.next_id(EntityKind::Opportunity)?);
            let mut opp = Opportunity::open(oid, new, &pipeline, now)?;
            opp.source_lead = Some(lead.id);
            opp.source = Some(lead.source.kind().to_string());
            tx.update(&mut opp)?;
            tx.emit(
                &DomainEvent::OpportunityOpened {
                    opportunity: opp.id,
                    account: account.id,
                    amount: opp.amount,
                },
                now,
            )?;
            Some(opp)
        }
        None => None,
    };

    // Move the lead's history to the contact.
    let from_ref = RecordRef::Lead(lead.id).key();
    let to_ref = RecordRef::Contact(contact.id);
    let mut moved_touchpoints = 0;
    for mut t in tx.find::<Touchpoint>(Touchpoint::BY_SUBJECT, &from_ref)? {
        t.subject = to_ref;
        tx.update(&mut t)?;
        moved_touchpoints += 1;
    }
    let mut moved_activities = 0;
    for mut a in tx.find::<Activity>(Activity::BY_SUBJECT, &from_ref)? {
        a.subject = to_ref;
        tx.update(&mut a)?;
        moved_activities += 1;
    }

    lead.conversion = Some(ConversionLinks {
        account: account.id,
        contact: contact.id,
        opportunity: opportunity.as_ref().map(|o| o.id),
        at: now,
    });
    tx.update(&mut lead)?;
    tx.emit(
        &DomainEvent::LeadStatusChanged {
            lead: lead.id,
            from: from.into(),
            to: lead.status.name().into(),
            reason: None,
        },
        now,
    )?;
    tx.emit(
        &DomainEvent::LeadConverted {
            lead: lead.id,
            account: account.id,
            account_created,
            contact: contact.id,
            contact_created,
            opportunity: opportunity.as_ref().map(|o| o.id),
        },
        now,
    )?;
    Ok(Conversion {
        lead,
        account,
        account_created,
        contact,
        contact_created,
        opportunity,
        moved_touchpoints,
        moved_activities,
    })
}
