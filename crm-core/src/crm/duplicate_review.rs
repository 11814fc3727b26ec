//! Duplicate rules per kind and the review list of possible duplicates.
//!
//! - **Rules**: how stored leads and how stored contacts are matched (which keys, exact or
//!   fuzzy names, thresholds) is a `duplicate_rules` record per kind, set with
//!   [`Crm::set_duplicate_rules`]; a kind nobody configured uses
//!   [`DuplicateRules::DEFAULT`].
//! - **Review list**: every duplicate found when a lead is stored anyway (a possible
//!   duplicate, or a sure one under the `keep` policy) opens a [`DuplicateReview`] of the
//!   pair. A person resolves it ([`Crm::resolve_duplicate`]): *merge* (the two records
//!   become one, in the same transaction) or *not a duplicate*, which is remembered — the
//!   pair is never reported or reviewed again.
//! - A merge made any other way settles the reviews of the merged record: the pair with the
//!   survivor is marked merged, its other open pairs move to the survivor. Deleting or
//!   erasing a record deletes its reviews (they are owned by both records).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Crm;
use super::duplicates::DuplicateMatch;
use super::merge::{MergeChoices, merge_contacts_in, merge_leads_in};
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{ContactId, DuplicateReviewId, DuplicateRulesId, LeadId, RecordKey, Version};
use crate::lead::dedup::{DuplicateRules, MatchReason};
use crate::lifecycle::{FieldCondition, ListQuery, Op, Page};
use crate::store::{EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};

/// The kinds with duplicate rules: the stored records a new lead is compared with.
pub const RULED_KINDS: &[EntityKind] = &[EntityKind::Lead, EntityKind::Contact];

/// The duplicate rules of one kind, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateRuleSet {
    /// Id, assigned by the store.
    pub id: DuplicateRulesId,
    /// Version.
    pub version: Version,
    /// The kind matched by these rules.
    pub kind: EntityKind,
    /// The rules.
    pub rules: DuplicateRules,
    /// Last set.
    #[serde(with = "crate::time::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

crate::store::impl_entity!(
    DuplicateRuleSet,
    DuplicateRulesId,
    EntityKind::DuplicateRules,
    |r| [
        Some(r.kind.as_str().to_string()),
        None,
        None,
        None,
        None,
        None
    ]
);

/// Where a review stands.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Waiting for a person.
    Open,
    /// The two records were merged.
    Merged,
    /// A person judged them different: the pair is never reported again.
    NotDuplicate,
}

impl ReviewStatus {
    fn name(self) -> &'static str {
        match self {
            ReviewStatus::Open => "open",
            ReviewStatus::Merged => "merged",
            ReviewStatus::NotDuplicate => "not_duplicate",
        }
    }
}

/// A pair of records that may be one person, for a person to judge.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateReview {
    /// Id, assigned by the store.
    pub id: DuplicateReviewId,
    /// Version: pass it to [`Crm::resolve_duplicate`].
    pub version: Version,
    /// The record stored first (the survivor a merge keeps by default).
    pub first: RecordKey,
    /// The record found to duplicate it.
    pub second: RecordKey,
    /// Why they matched.
    pub reason: MatchReason,
    /// Only a possible duplicate: similar names, but the second record has an e-mail or
    /// phone the first does not.
    pub possible: bool,
    /// Where it stands.
    pub status: ReviewStatus,
    /// The record that remained, once merged.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub survivor: Option<RecordKey>,
    /// Found.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub found_at: DateTime<Utc>,
    /// Decided.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub decided_at: Option<DateTime<Utc>>,
    /// Who decided (a user or a system process).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub decided_by: Option<String>,
}

impl DuplicateReview {
    /// Slot of the status (`open`).
    pub const BY_STATUS: usize = 0;
    /// Slot of the pair, in key order (`contact:2|lead:9`).
    pub const BY_PAIR: usize = 1;
    /// Slot of the first record.
    pub const BY_FIRST: usize = 2;
    /// Slot of the second record.
    pub const BY_SECOND: usize = 3;

    /// The other record of the pair.
    fn other(&self, one: RecordKey) -> RecordKey {
        if self.first == one {
            self.second
        } else {
            self.first
        }
    }
}

crate::store::impl_entity!(
    DuplicateReview,
    DuplicateReviewId,
    EntityKind::DuplicateReview,
    |r| [
        Some(r.status.name().to_string()),
        Some(pair_key(r.first, r.second)),
        Some(r.first.to_string()),
        Some(r.second.to_string()),
        None,
        None
    ]
);

/// How a person resolves a review.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case", deny_unknown_fields)]
pub enum Resolution {
    /// The two are one: merge them into `survivor` (one of the pair; both leads or both
    /// contacts — a lead that duplicates a contact is converted onto it instead).
    Merge {
        /// The record that remains.
        survivor: RecordKey,
        /// Which fields come from the other record.
        #[serde(default)]
        #[cfg_attr(feature = "uniffi", uniffi(default))]
        choices: MergeChoices,
    },
    /// Different people: remembered, never reported again.
    NotDuplicate,
}

/// The pair's key, the same whichever record comes first.
fn pair_key(a: RecordKey, b: RecordKey) -> String {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    format!("{a}|{b}")
}

fn check_kind(kind: EntityKind) -> Result<()> {
    if RULED_KINDS.contains(&kind) {
        Ok(())
    } else {
        Err(Error::invalid(
            "kind",
            kind.as_str(),
            "duplicate rules exist for lead and contact",
        ))
    }
}

fn stored_rules(tx: &dyn ReadTx, kind: EntityKind) -> Result<Option<DuplicateRuleSet>> {
    Ok(tx
        .find::<DuplicateRuleSet>(0, kind.as_str())?
        .into_iter()
        .next())
}

/// The rules stored records of `kind` are matched by.
///
/// # Errors
/// [`Error::InvalidValue`] for a kind without rules; [`Error::Storage`].
pub(crate) fn rules_of(tx: &dyn ReadTx, kind: EntityKind) -> Result<DuplicateRules> {
    check_kind(kind)?;
    Ok(stored_rules(tx, kind)?.map_or(DuplicateRules::DEFAULT, |r| r.rules))
}

fn reviews_of_pair(tx: &dyn ReadTx, a: RecordKey, b: RecordKey) -> Result<Vec<DuplicateReview>> {
    tx.find::<DuplicateReview>(DuplicateReview::BY_PAIR, &pair_key(a, b))
}

/// Whether a person judged `a` and `b` not duplicates.
///
/// # Errors
/// [`Error::Storage`].
pub(crate) fn judged_distinct(tx: &dyn ReadTx, a: RecordKey, b: RecordKey) -> Result<bool> {
    Ok(reviews_of_pair(tx, a, b)?
        .iter()
        .any(|r| r.status == ReviewStatus::NotDuplicate))
}

/// Puts the pair of `newer` and a stored record it matched on the review list, unless the
/// pair is there already (open or decided).
///
/// # Errors
/// [`Error::Storage`].
pub(crate) fn open_review(
    tx: &mut dyn WriteTx,
    newer: RecordKey,
    found: &DuplicateMatch,
    now: DateTime<Utc>,
) -> Result<()> {
    let first: RecordKey = found.record.into();
    if first == newer || !reviews_of_pair(&*tx, first, newer)?.is_empty() {
        return Ok(());
    }
    let review = tx.insert(|id| DuplicateReview {
        id,
        version: Version::NEW,
        first,
        second: newer,
        reason: found.reason,
        possible: found.possible,
        status: ReviewStatus::Open,
        survivor: None,
        found_at: now,
        decided_at: None,
        decided_by: None,
    })?;
    tx.emit(
        &DomainEvent::DuplicateReviewOpened {
            review: review.id,
            first,
            second: newer,
        },
        now,
    )?;
    Ok(())
}

fn decide(
    tx: &mut dyn WriteTx,
    review: &mut DuplicateReview,
    status: ReviewStatus,
    survivor: Option<RecordKey>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    review.status = status;
    review.survivor = survivor;
    review.decided_at = Some(now);
    review.decided_by = Some(by.to_string());
    tx.update(review)?;
    tx.emit(
        &DomainEvent::DuplicateReviewed {
            review: review.id,
            decision: status.name().into(),
        },
        now,
    )?;
    Ok(())
}

/// After `merged` was merged into `survivor` (or a lead converted onto a contact): the
/// open review of the pair is marked merged; the merged record's other open reviews move
/// to the survivor (or go, when the survivor's pair is reviewed already); its decided
/// reviews stay as the record of what was decided.
///
/// # Errors
/// [`Error::Storage`].
pub(crate) fn settle_merge(
    tx: &mut dyn WriteTx,
    survivor: RecordKey,
    merged: RecordKey,
    now: DateTime<Utc>,
) -> Result<()> {
    let key = merged.to_string();
    let mut mine = tx.find::<DuplicateReview>(DuplicateReview::BY_FIRST, &key)?;
    mine.extend(tx.find::<DuplicateReview>(DuplicateReview::BY_SECOND, &key)?);
    for mut review in mine {
        if review.status != ReviewStatus::Open {
            continue;
        }
        let other = review.other(merged);
        if other == survivor {
            decide(
                tx,
                &mut review,
                ReviewStatus::Merged,
                Some(survivor),
                "system:merge",
                now,
            )?;
        } else if survivor.kind() != merged.kind() {
            // a converted lead: its other pairs are the contact's to find again
            tx.remove(&review)?;
        } else if reviews_of_pair(&*tx, survivor, other)?.is_empty() {
            if review.first == merged {
                review.first = survivor;
            } else {
                review.second = survivor;
            }
            tx.update(&mut review)?;
        } else {
            tx.remove(&review)?;
        }
    }
    Ok(())
}

impl<S: Store> Crm<S> {
    /// The rules stored records of `kind` (`lead` or `contact`) are matched by.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for another kind; [`Error::Storage`].
    pub fn duplicate_rules(&self, kind: EntityKind) -> Result<DuplicateRules> {
        self.read(|tx| rules_of(tx, kind))
    }

    /// Sets the rules stored records of `kind` are matched by, from the next lookup on.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for another kind or a threshold out of range;
    /// [`Error::Storage`].
    pub fn set_duplicate_rules(
        &self,
        kind: EntityKind,
        rules: DuplicateRules,
        now: DateTime<Utc>,
    ) -> Result<DuplicateRules> {
        check_kind(kind)?;
        rules.check()?;
        self.write(|tx| {
            match stored_rules(&*tx, kind)? {
                Some(mut set) => {
                    set.rules = rules;
                    set.updated_at = now;
                    tx.update(&mut set)?;
                }
                None => {
                    tx.insert(|id| DuplicateRuleSet {
                        id,
                        version: Version::NEW,
                        kind,
                        rules,
                        updated_at: now,
                    })?;
                }
            }
            let id = stored_rules(&*tx, kind)?.map_or(0, |s| s.id.get());
            tx.emit(
                &DomainEvent::DuplicateRulesSet {
                    rules: DuplicateRulesId::from_raw(id),
                    kind: kind.as_str().into(),
                },
                now,
            )?;
            Ok(rules)
        })
    }

    /// One page of the reviews in `status` (oldest first unless `query` sorts), as their
    /// stored documents; `query` may filter further (`reason.reason`, `possible`, …).
    ///
    /// # Errors
    /// As [`Crm::list_page`].
    pub fn duplicate_reviews(
        &self,
        status: ReviewStatus,
        query: Option<ListQuery>,
    ) -> Result<Page> {
        let mut query = query.unwrap_or_default();
        query.filter.insert(
            0,
            FieldCondition {
                field: "status".into(),
                op: Op::Eq,
                value: status.name().into(),
            },
        );
        self.list_page(EntityKind::DuplicateReview, &query)
    }

    /// A review.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn duplicate_review(&self, id: DuplicateReviewId) -> Result<DuplicateReview> {
        self.read(|tx| tx.load(id))
    }

    /// Resolves an open review read at `expected_version`: merges the pair, or remembers
    /// that they are different people — in one transaction.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the review changed since it was read;
    /// [`Error::IllegalTransition`] when it is decided already; [`Error::InvalidValue`] when
    /// the survivor is not one of the pair or the pair is a lead and a contact (convert the
    /// lead instead); the merge's own errors; [`Error::NotFound`]; [`Error::Storage`].
    pub fn resolve_duplicate(
        &self,
        id: DuplicateReviewId,
        expected_version: Version,
        resolution: &Resolution,
        now: DateTime<Utc>,
    ) -> Result<DuplicateReview> {
        let by = self.actor().to_string();
        self.write(|tx| {
            let mut review: DuplicateReview = tx.load(id)?;
            if review.version != expected_version {
                return Err(Error::Conflict {
                    kind: EntityKind::DuplicateReview.as_str().into(),
                    id: id.get(),
                    expected: expected_version.get(),
                    actual: review.version.get(),
                });
            }
            if review.status != ReviewStatus::Open {
                return Err(Error::IllegalTransition {
                    kind: "duplicate review".into(),
                    from: review.status.name().into(),
                    to: "resolved".into(),
                });
            }
            match resolution {
                Resolution::NotDuplicate => {
                    decide(tx, &mut review, ReviewStatus::NotDuplicate, None, &by, now)?;
                }
                Resolution::Merge { survivor, choices } => {
                    let survivor = *survivor;
                    if survivor != review.first && survivor != review.second {
                        return Err(Error::invalid(
                            "survivor",
                            survivor.to_string(),
                            format!("must be {} or {}", review.first, review.second),
                        ));
                    }
                    let merged = review.other(survivor);
                    match (survivor.kind(), merged.kind()) {
                        (EntityKind::Lead, EntityKind::Lead) => {
                            merge_leads_in(
                                tx,
                                LeadId::from_raw(survivor.id()),
                                LeadId::from_raw(merged.id()),
                                choices,
                                now,
                            )?;
                        }
                        (EntityKind::Contact, EntityKind::Contact) => {
                            merge_contacts_in(
                                tx,
                                ContactId::from_raw(survivor.id()),
                                ContactId::from_raw(merged.id()),
                                choices,
                                now,
                            )?;
                        }
                        _ => {
                            return Err(Error::invalid(
                                "survivor",
                                survivor.to_string(),
                                "a lead and a contact are not merged: convert the lead onto \
                                 the contact (leads.convert with options.contact)",
                            ));
                        }
                    }
                    // the merge settled this review; the decision names the person
                    review = tx.load(id)?;
                    review.decided_by = Some(by.clone());
                    tx.update(&mut review)?;
                }
            }
            Ok(review)
        })
    }
}
