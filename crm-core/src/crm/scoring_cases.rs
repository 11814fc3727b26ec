//! Scoring use cases on stored leads: re-score the open leads with a rule set or a model
//! file, updating score and rating only where they changed, with a `LeadScored` event for
//! each change.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::Purchase;
use crate::error::Result;
use crate::event::DomainEvent;
use crate::id::{LeadId, RecordRef};
use crate::lead::{Lead, Rating};
use crate::scoring::features::FeatureSpec;
use crate::scoring::model_file::ModelFile;
use crate::scoring::record::{Person, Record};
use crate::scoring::rules::RuleSet;
use crate::store::{ReadExt, RecordId, Store, WriteExt};
use crate::tracking::Touchpoint;

use super::Crm;

/// What a re-scoring did.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RescoreReport {
    /// Open leads scored.
    pub scored: usize,
    /// Leads whose score or rating changed (and were written, with an event).
    pub changed: usize,
}

/// Past leads as a training set: one row per decided lead.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingSet {
    /// The feature spec, with its vocabularies learned from these leads.
    pub spec: FeatureSpec,
    /// Column names, in order.
    pub columns: Vec<String>,
    /// The features, row-major (`leads.len() × columns.len()`).
    pub x: Vec<f64>,
    /// 1 for converted leads, 0 for disqualified ones.
    pub y: Vec<f64>,
    /// The lead of each row.
    pub leads: Vec<LeadId>,
}

/// Feature rows of chosen leads, as a spec builds them at one instant.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureRows {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// The features, row-major (`leads.len() × columns.len()`).
    pub x: Vec<f64>,
    /// The lead of each row.
    pub leads: Vec<LeadId>,
}

/// Leads per write transaction when re-scoring.
const RESCORE_BATCH: usize = 500;

impl<S: Store> Crm<S> {
    /// Re-scores every open lead (new, working, qualified) with `rules` at `now`.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for an inconsistent rule set (nothing is written);
    /// [`crate::Error::Storage`] — batches before the failing one stay written.
    pub fn rescore_leads(&self, rules: &RuleSet, now: DateTime<Utc>) -> Result<RescoreReport> {
        let file = ModelFile::new(
            FeatureSpec::default(),
            crate::scoring::model_file::Model::Rules(rules.clone()),
            rules.thresholds,
        )?;
        self.rescore_leads_with_model(&file, now)
    }

    /// Re-scores every open lead with a model file at `now`: the model's probability (or
    /// rule score) becomes the lead's score, its thresholds the rating. Purchase features
    /// read the purchases of the customer the lead is (its converted contact, else the
    /// contact with its e-mail address: a returning customer).
    ///
    /// # Errors
    /// As [`ModelFile::score`]; [`crate::Error::Storage`] — batches before the failing one
    /// stay written.
    pub fn rescore_leads_with_model(
        &self,
        model: &ModelFile,
        now: DateTime<Utc>,
    ) -> Result<RescoreReport> {
        model.check()?;
        if model.subject != crate::scoring::model_file::ModelSubject::Leads {
            return Err(crate::Error::invalid(
                "model",
                model.model.kind(),
                "is a customer model: re-score customers with it",
            ));
        }
        self.rescore(now, |batch| {
            // One call per batch: the feature matrix is built and scored in bulk.
            let scores = model.score(batch, now)?;
            Ok(scores.into_iter().map(|s| (s, model.rate(s))).collect())
        })
    }

    /// The decided leads as a training set: converted leads are positives, disqualified
    /// ones negatives. Each row's features are taken as of the moment its outcome was
    /// decided (conversion or last update), from the touchpoints recorded until then —
    /// including those moved to the converted contact — so nothing learned after the
    /// decision leaks into the row.
    ///
    /// # Errors
    /// As [`FeatureSpec::check`]; [`crate::Error::Storage`].
    pub fn training_set(&self, mut spec: FeatureSpec) -> Result<TrainingSet> {
        spec.check()?;
        type Decided = (Lead, Vec<Touchpoint>, Vec<Purchase>, DateTime<Utc>, f64);
        let mut decided: Vec<Decided> = Vec::new();
        self.read(|tx| {
            for (status, label) in [("converted", 1.0), ("disqualified", 0.0)] {
                for lead in tx.find::<Lead>(Lead::BY_STATUS, status)? {
                    let at = lead.conversion.as_ref().map_or(lead.updated_at, |c| c.at);
                    let mut touches = touches_of_in(tx, RecordRef::Lead(lead.id))?;
                    if let Some(c) = &lead.conversion {
                        touches.extend(touches_of_in(tx, RecordRef::Contact(c.contact))?);
                    }
                    touches.retain(|t| t.at <= at);
                    let mut purchases = purchases_of_lead_in(tx, &lead)?;
                    purchases.retain(|p| p.purchased_at <= at);
                    decided.push((lead, touches, purchases, at, label));
                }
            }
            Ok(())
        })?;
        decided.sort_by_key(|d| d.0.id);
        spec.learn(
            &decided
                .iter()
                .map(|d| Person::Lead(&d.0))
                .collect::<Vec<_>>(),
        );
        let rows: Vec<(Record, DateTime<Utc>)> = decided
            .iter()
            .map(|(lead, touches, purchases, at, _)| (Record::lead(lead, touches, purchases), *at))
            .collect();
        let x = spec.build_at(&rows)?;
        Ok(TrainingSet {
            columns: spec.column_names(),
            spec,
            x,
            y: decided.iter().map(|d| d.4).collect(),
            leads: decided.iter().map(|d| d.0.id).collect(),
        })
    }

    /// The feature rows of `leads` (in that order) at `now`, built by `spec` from each
    /// lead, its touchpoints and — once converted — its contact's touchpoints and
    /// purchases: what a model trained on [`Crm::training_set`] scores.
    ///
    /// # Errors
    /// As [`FeatureSpec::build`]; [`crate::Error::NotFound`] for an unknown lead;
    /// [`crate::Error::Storage`].
    pub fn lead_features(
        &self,
        spec: &FeatureSpec,
        leads: &[LeadId],
        now: DateTime<Utc>,
    ) -> Result<FeatureRows> {
        spec.check()?;
        let mut loaded: Vec<(Lead, Vec<Touchpoint>, Vec<Purchase>)> =
            Vec::with_capacity(leads.len());
        self.read(|tx| {
            for id in leads {
                let lead: Lead = tx.load(*id)?;
                let mut touches = touches_of_in(tx, RecordRef::Lead(*id))?;
                if let Some(c) = &lead.conversion {
                    touches.extend(touches_of_in(tx, RecordRef::Contact(c.contact))?);
                }
                let purchases = purchases_of_lead_in(tx, &lead)?;
                loaded.push((lead, touches, purchases));
            }
            Ok(())
        })?;
        let records: Vec<Record<'_>> = loaded
            .iter()
            .map(|(lead, touchpoints, purchases)| Record::lead(lead, touchpoints, purchases))
            .collect();
        Ok(FeatureRows {
            columns: spec.column_names(),
            x: spec.build(&records, now)?,
            leads: leads.to_vec(),
        })
    }

    /// Scores every open lead with `score`, a batch of leads at a time, writing only
    /// changes.
    fn rescore(
        &self,
        now: DateTime<Utc>,
        score: impl Fn(&[Record<'_>]) -> Result<Vec<(f64, Rating)>>,
    ) -> Result<RescoreReport> {
        let mut ids: Vec<LeadId> = Vec::new();
        self.read(|tx| {
            for status in ["new", "working", "qualified"] {
                ids.extend(
                    tx.find_ids(crate::store::EntityKind::Lead, Lead::BY_STATUS, status)?
                        .into_iter()
                        .map(LeadId::from_raw),
                );
            }
            Ok(())
        })?;
        ids.sort_unstable();
        let mut report = RescoreReport::default();
        let total = Some(ids.len());
        for (i, chunk) in ids.chunks(RESCORE_BATCH).enumerate() {
            // between transactions: a cancelled job stops with the chunks before written
            crate::job::checkpoint(i * RESCORE_BATCH, total)?;
            let changed = self.write(|tx| {
                let mut loaded: Vec<(Lead, Vec<Touchpoint>, Vec<Purchase>)> =
                    Vec::with_capacity(chunk.len());
                for id in chunk {
                    if let Some(lead) = tx.get::<Lead>(*id)? {
                        let touches = touches_of_in(&*tx, RecordRef::Lead(*id))?;
                        let purchases = purchases_of_lead_in(tx, &lead)?;
                        loaded.push((lead, touches, purchases));
                    }
                }
                let records: Vec<Record<'_>> = loaded
                    .iter()
                    .map(|(lead, touches, purchases)| Record::lead(lead, touches, purchases))
                    .collect();
                let scores = score(&records)?;
                drop(records);
                let mut changed = 0;
                for ((mut lead, ..), (value, rating)) in loaded.into_iter().zip(scores) {
                    if lead.score == Some(value) && lead.data.rating == Some(rating) {
                        continue;
                    }
                    lead.score = Some(value);
                    lead.data.rating = Some(rating);
                    lead.updated_at = now;
                    tx.update(&mut lead)?;
                    tx.emit(
                        &DomainEvent::LeadScored {
                            lead: lead.id,
                            score: value,
                            rating: Some(rating.as_str().to_string()),
                        },
                        now,
                    )?;
                    changed += 1;
                }
                Ok(changed)
            })?;
            report.scored += chunk.len();
            report.changed += changed;
        }
        Ok(report)
    }
}

/// The touchpoints of a record with its logged calls as `phone_call` touches.
pub(crate) fn touches_of_in(
    tx: &dyn crate::store::ReadTx,
    subject: RecordRef,
) -> Result<Vec<Touchpoint>> {
    let mut touches: Vec<Touchpoint> = tx.find(Touchpoint::BY_SUBJECT, &subject.key())?;
    let activities: Vec<crate::activity::Activity> =
        tx.find(crate::activity::Activity::BY_SUBJECT, &subject.key())?;
    touches.extend(crate::activity::call_touches(&activities));
    Ok(touches)
}

/// The purchases of the customer a lead is: its converted contact's, else those of the
/// contact with its e-mail address (a returning customer), else none.
pub(crate) fn purchases_of_lead_in(
    tx: &dyn crate::store::ReadTx,
    lead: &Lead,
) -> Result<Vec<Purchase>> {
    let contact = match (&lead.conversion, &lead.data.email) {
        (Some(c), _) => Some(c.contact),
        (None, Some(email)) => tx
            .find_ids(
                crate::store::EntityKind::Contact,
                crate::customer::Contact::BY_EMAIL,
                &email.dedup_key(),
            )?
            .into_iter()
            .min()
            .map(crate::id::ContactId::from_raw),
        (None, None) => None,
    };
    match contact {
        Some(c) => tx.find(Purchase::BY_CONTACT, &c.to_string()),
        None => Ok(Vec::new()),
    }
}
