//! Scoring use cases on stored leads: re-score the open leads with a rule set or a model
//! file, updating score and rating only where they changed, with a `LeadScored` event for
//! each change.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::event::DomainEvent;
use crate::id::{LeadId, RecordRef};
use crate::lead::{Lead, Rating};
use crate::scoring::features::LeadRecord;
use crate::scoring::model_file::ModelFile;
use crate::scoring::rules::RuleSet;
use crate::store::{ReadExt, RecordId, Store, WriteExt};
use crate::tracking::Touchpoint;

use super::Crm;

/// What a re-scoring did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RescoreReport {
    /// Open leads scored.
    pub scored: u64,
    /// Leads whose score or rating changed (and were written, with an event).
    pub changed: u64,
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
        rules.check()?;
        self.rescore(now, |lead, touches| {
            let s = rules.score(lead, touches, now);
            Ok((s.score, s.rating))
        })
    }

    /// Re-scores every open lead with a model file at `now`: the model's probability (or
    /// rule score) becomes the lead's score, its thresholds the rating. Open leads have no
    /// purchases of their own, so purchase features read 0.
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
        self.rescore(now, |lead, touches| {
            let record = LeadRecord {
                lead,
                touchpoints: touches,
                purchases: &[],
            };
            let score = model.score(&[record], now)?[0];
            Ok((score, model.rate(score)))
        })
    }

    /// Scores every open lead with `score`, in batches, writing only changes.
    fn rescore(
        &self,
        now: DateTime<Utc>,
        score: impl Fn(&Lead, &[Touchpoint]) -> Result<(f64, Rating)>,
    ) -> Result<RescoreReport> {
        let mut ids: Vec<LeadId> = Vec::new();
        self.store().read(|tx| {
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
        for chunk in ids.chunks(RESCORE_BATCH) {
            let changed = self.store().write(|tx| {
                let mut changed = 0;
                for id in chunk {
                    let Some(mut lead) = tx.get::<Lead>(*id)? else {
                        continue;
                    };
                    let touches: Vec<Touchpoint> =
                        tx.find(Touchpoint::BY_SUBJECT, &RecordRef::Lead(*id).key())?;
                    let (value, rating) = score(&lead, &touches)?;
                    if lead.score == Some(value) && lead.data.rating == Some(rating) {
                        continue;
                    }
                    lead.score = Some(value);
                    lead.data.rating = Some(rating);
                    lead.updated_at = now;
                    tx.update(&mut lead)?;
                    tx.emit(
                        &DomainEvent::LeadScored {
                            lead: *id,
                            score: value,
                            rating: Some(rating.as_str().to_string()),
                        },
                        now,
                    )?;
                    changed += 1;
                }
                Ok(changed)
            })?;
            report.scored += chunk.len() as u64;
            report.changed += changed;
        }
        Ok(report)
    }
}
