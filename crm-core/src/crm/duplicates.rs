//! Duplicate lookups against the store: the [`crate::lead::dedup`] rules, fed by the
//! normalised-key indexes of leads and contacts, so a lookup reads only the records that
//! share an e-mail, a phone or a blocking key — never the whole table.
//!
//! Each kind compared (leads, contacts) has its own [`DuplicateRules`], stored as a
//! `duplicate_rules` record and read once per lookup; the review list
//! ([`super::duplicate_review`]) remembers a person's decisions, and a pair judged "not a
//! duplicate" is never reported again.

use serde::{Deserialize, Serialize};

use crate::customer::{Account, Contact};
use crate::error::Result;
use crate::id::{ContactId, LeadId, RecordRef};
use crate::lead::dedup::{
    DedupRecord, DuplicateRules, MAX_BLOCK_COMPARISONS, MatchReason, matches_with, only_possible,
};
use crate::lead::{Lead, LeadData};
use crate::store::{EntityKind, ReadExt, ReadTx, RecordId};

/// An existing record that an input may duplicate.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateMatch {
    /// The existing lead or contact.
    pub record: RecordRef,
    /// Why it matches.
    pub reason: MatchReason,
    /// Only a possible duplicate, for a person to judge: the names are similar but the
    /// incoming record has an e-mail or phone the stored one does not (a different one,
    /// or one where the stored record has none). An import never leaves such a row out.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub possible: bool,
}

impl DuplicateMatch {
    fn judged(
        record: RecordRef,
        reason: MatchReason,
        probe: &DedupRecord,
        other: &DedupRecord,
    ) -> Self {
        DuplicateMatch {
            record,
            reason,
            possible: only_possible(&reason, probe, other),
        }
    }
}

/// Index slots shared by leads and contacts: e-mail, phone, three blocking keys.
const DEDUP_SLOTS: usize = 5;

fn candidate_ids(
    tx: &dyn ReadTx,
    kind: EntityKind,
    keys: &[Option<String>; DEDUP_SLOTS],
) -> Result<Vec<u64>> {
    let mut ids: Vec<u64> = Vec::new();
    for (slot, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        let found = tx.find_ids(kind, slot, key)?;
        // Newest first, bounded like the in-memory index, so huge blocks stay cheap.
        ids.extend(found.into_iter().rev().take(MAX_BLOCK_COMPARISONS));
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The index keys to look a record up by: only those the rules compare.
fn probe_keys(rec: &DedupRecord, rules: &DuplicateRules) -> [Option<String>; DEDUP_SLOTS] {
    let [a, b, c] = if rules.name.is_some() {
        rec.blocking_keys()
    } else {
        [None, None, None]
    };
    [
        rec.email_key.clone().filter(|_| rules.email),
        rec.phone.clone().filter(|_| rules.phone),
        a,
        b,
        c,
    ]
}

/// The rules stored leads and contacts are matched by, read once for many lookups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RulesInForce {
    /// Against stored leads.
    pub lead: DuplicateRules,
    /// Against stored contacts.
    pub contact: DuplicateRules,
}

/// The rules in force (the defaults for a kind nobody configured).
///
/// # Errors
/// [`crate::Error::Storage`]; [`crate::Error::Corrupt`].
pub fn rules_in_force(tx: &dyn ReadTx) -> Result<RulesInForce> {
    Ok(RulesInForce {
        lead: super::duplicate_review::rules_of(tx, EntityKind::Lead)?,
        contact: super::duplicate_review::rules_of(tx, EntityKind::Contact)?,
    })
}

/// The stored leads and contacts that `data` may duplicate, leaving out `exclude`, by the
/// rules in force.
///
/// # Errors
/// [`crate::Error::Storage`]; [`crate::Error::Corrupt`].
pub fn find_in_store(
    tx: &dyn ReadTx,
    data: &LeadData,
    exclude: Option<RecordRef>,
) -> Result<Vec<DuplicateMatch>> {
    find_with(tx, data, exclude, &rules_in_force(tx)?)
}

/// [`find_in_store`] with the rules already read. When `exclude` names a stored record,
/// the pairs a person judged not duplicates are left out.
///
/// # Errors
/// [`crate::Error::Storage`]; [`crate::Error::Corrupt`].
pub fn find_with(
    tx: &dyn ReadTx,
    data: &LeadData,
    exclude: Option<RecordRef>,
    rules: &RulesInForce,
) -> Result<Vec<DuplicateMatch>> {
    let mut out = find_matches(tx, data, exclude, rules)?;
    if let Some(me) = exclude
        && !out.is_empty()
    {
        let mut kept = Vec::with_capacity(out.len());
        for m in out {
            if !super::duplicate_review::judged_distinct(tx, me.into(), m.record.into())? {
                kept.push(m);
            }
        }
        out = kept;
    }
    Ok(out)
}

fn find_matches(
    tx: &dyn ReadTx,
    data: &LeadData,
    exclude: Option<RecordRef>,
    rules: &RulesInForce,
) -> Result<Vec<DuplicateMatch>> {
    let probe_ref = exclude.unwrap_or(RecordRef::Lead(LeadId::from_raw(u64::MAX)));
    let probe = data.dedup_record(probe_ref);
    let mut out = Vec::new();

    for id in candidate_ids(tx, EntityKind::Lead, &probe_keys(&probe, &rules.lead))? {
        let record = RecordRef::Lead(LeadId::from_raw(id));
        if Some(record) == exclude {
            continue;
        }
        if let Some(lead) = tx.get::<Lead>(LeadId::from_raw(id))? {
            let other = lead.dedup_record();
            if let Some(reason) = matches_with(&probe, &other, &rules.lead) {
                out.push(DuplicateMatch::judged(record, reason, &probe, &other));
            }
        }
    }

    // Contacts are indexed without a company (it lives on their account), so they are
    // looked up by name-only keys and compared with their account's name.
    let name_only = DedupRecord {
        company: String::new(),
        ..probe.clone()
    };
    for id in candidate_ids(
        tx,
        EntityKind::Contact,
        &probe_keys(&name_only, &rules.contact),
    )? {
        let record = RecordRef::Contact(ContactId::from_raw(id));
        if Some(record) == exclude {
            continue;
        }
        if let Some(contact) = tx.get::<Contact>(ContactId::from_raw(id))? {
            let company = match contact.account {
                Some(a) => tx.get::<Account>(a)?.map(|a| a.name),
                None => None,
            };
            let other = contact.dedup_record(company.as_deref());
            if let Some(reason) = matches_with(&probe, &other, &rules.contact) {
                out.push(DuplicateMatch::judged(record, reason, &probe, &other));
            }
        }
    }
    Ok(out)
}

pub(crate) use super::duplicate_review::settle_merge;
