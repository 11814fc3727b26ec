//! Duplicate lookups against the store: the [`crate::lead::dedup`] rules, fed by the
//! normalised-key indexes of leads and contacts, so a lookup reads only the records that
//! share an e-mail, a phone or a blocking key — never the whole table.

use serde::{Deserialize, Serialize};

use crate::customer::{Account, Contact};
use crate::error::Result;
use crate::id::{ContactId, LeadId, RecordRef};
use crate::lead::dedup::{DedupRecord, MAX_BLOCK_COMPARISONS, MatchReason, matches};
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
    /// Only a possible duplicate, for a person to judge: the names are similar but an
    /// e-mail or phone both records have differs (two people of one name at one company).
    /// An import never leaves such a row out.
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
        let differs =
            |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x != y);
        let possible = matches!(reason, MatchReason::SimilarName { .. })
            && (differs(&probe.email_key, &other.email_key) || differs(&probe.phone, &other.phone));
        DuplicateMatch {
            record,
            reason,
            possible,
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

fn probe_keys(rec: &DedupRecord) -> [Option<String>; DEDUP_SLOTS] {
    let [a, b, c] = rec.blocking_keys();
    [rec.email_key.clone(), rec.phone.clone(), a, b, c]
}

/// The stored leads and contacts that `data` may duplicate, leaving out `exclude`.
///
/// # Errors
/// [`crate::Error::Storage`]; [`crate::Error::Corrupt`].
pub fn find_in_store(
    tx: &dyn ReadTx,
    data: &LeadData,
    exclude: Option<RecordRef>,
) -> Result<Vec<DuplicateMatch>> {
    let probe_ref = exclude.unwrap_or(RecordRef::Lead(LeadId::from_raw(u64::MAX)));
    let probe = data.dedup_record(probe_ref);
    let mut out = Vec::new();

    for id in candidate_ids(tx, EntityKind::Lead, &probe_keys(&probe))? {
        let record = RecordRef::Lead(LeadId::from_raw(id));
        if Some(record) == exclude {
            continue;
        }
        if let Some(lead) = tx.get::<Lead>(LeadId::from_raw(id))? {
            let other = lead.dedup_record();
            if let Some(reason) = matches(&probe, &other) {
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
    for id in candidate_ids(tx, EntityKind::Contact, &probe_keys(&name_only))? {
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
            if let Some(reason) = matches(&probe, &other) {
                out.push(DuplicateMatch::judged(record, reason, &probe, &other));
            }
        }
    }
    Ok(out)
}
