//! Customer satisfaction: a CSAT survey (1–5 and a comment) after a case is solved and an
//! NPS survey (0–10) for an account, each behind a token a host puts in a link; the answer
//! is taken once, before the survey expires. Reports group CSAT answers by agent, queue or
//! product, and score NPS as the share of promoters less the share of detractors.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::{AccountId, CaseId, ContactId, SurveyId, Version};
use crate::lead::text_enum;
use crate::store::{EntityKind, impl_entity};

text_enum!(
    /// What a survey asks.
    SurveyKind, "survey kind", {
        /// How satisfied the customer was with a case, 1 (very unsatisfied) to 5 (very
        /// satisfied).
        Csat => "csat",
        /// How likely they are to recommend the company, 0 to 10.
        Nps => "nps",
    }
);

text_enum!(
    /// What CSAT answers are grouped by.
    SatisfactionBy, "satisfaction grouping", {
        /// The agent who owned the case when the survey was sent.
        Agent => "agent",
        /// The case's queue.
        Queue => "queue",
        /// The case's product (its own, else its asset's).
        Product => "product",
    }
);

/// A customer's answer.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponse {
    /// The score (CSAT 1–5, NPS 0–10).
    pub score: u32,
    /// What they wrote.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub comment: Option<String>,
    /// When they answered.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
}

/// A survey sent to a customer.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    /// Its id.
    pub id: SurveyId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: Version,
    /// The token for the link (128 random bits, hex).
    pub token: String,
    /// What it asks.
    pub kind: SurveyKind,
    /// The case it is about (CSAT).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub case: Option<CaseId>,
    /// The account.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub account: Option<AccountId>,
    /// The person asked.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub contact: Option<ContactId>,
    /// The case's owner when it was sent.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub agent: Option<String>,
    /// The case's queue when it was sent.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub queue: Option<String>,
    /// The case's product.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub product: Option<String>,
    /// When it was sent.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub sent_at: DateTime<Utc>,
    /// The last instant it can be answered.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub expires_at: DateTime<Utc>,
    /// The answer, once given.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub response: Option<SurveyResponse>,
}

impl Survey {
    /// Index slot: the token.
    pub const BY_TOKEN: usize = 0;
    /// Index slot: the case.
    pub const BY_CASE: usize = 1;
    /// Index slot: the account.
    pub const BY_ACCOUNT: usize = 2;

    /// The scores its kind allows.
    pub fn scale(&self) -> std::ops::RangeInclusive<u32> {
        match self.kind {
            SurveyKind::Csat => 1..=5,
            SurveyKind::Nps => 0..=10,
        }
    }

    /// Takes the customer's answer.
    ///
    /// # Errors
    /// [`Error::Duplicate`] when it was answered already; [`Error::InvalidValue`] for a
    /// score off its scale, a comment over 5 000 characters, or an answer after it
    /// expired.
    pub fn answer(&mut self, score: u32, comment: Option<String>, at: DateTime<Utc>) -> Result<()> {
        if self.response.is_some() {
            return Err(Error::Duplicate {
                kind: "survey answer".into(),
                reason: "the survey was answered already".into(),
            });
        }
        if at > self.expires_at {
            return Err(Error::invalid(
                "token",
                &self.token,
                format!(
                    "the survey expired at {}",
                    crate::time::format_rfc3339(self.expires_at)
                ),
            ));
        }
        let scale = self.scale();
        if !scale.contains(&score) {
            return Err(Error::invalid(
                "score",
                score.to_string(),
                format!(
                    "a {} score is {} to {}",
                    self.kind,
                    scale.start(),
                    scale.end()
                ),
            ));
        }
        let comment = comment
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        if comment.as_ref().is_some_and(|c| c.chars().count() > 5_000) {
            return Err(Error::invalid("comment", "…", "at most 5 000 characters"));
        }
        self.response = Some(SurveyResponse { score, comment, at });
        Ok(())
    }
}

impl_entity!(Survey, SurveyId, EntityKind::Survey, |s| [
    Some(s.token.clone()),
    s.case.map(|c| c.to_string()),
    s.account.map(|a| a.to_string()),
    None,
    None,
    None
]);

/// CSAT answers of one group.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionRow {
    /// The agent, queue or product (`(none)` for surveys without one).
    pub group: String,
    /// Surveys sent.
    pub sent: u32,
    /// Surveys answered.
    pub answered: u32,
    /// answered / sent.
    pub response_rate: f64,
    /// The mean score of the answers (none without answers).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub average: Option<f64>,
    /// The share of answers scoring 4 or 5: the CSAT figure (none without answers).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub satisfied: Option<f64>,
}

/// CSAT answers grouped `by`, in group order.
pub fn csat_report(surveys: &[Survey], by: SatisfactionBy) -> Vec<SatisfactionRow> {
    let mut groups: BTreeMap<String, (u32, Vec<u32>)> = BTreeMap::new();
    for s in surveys.iter().filter(|s| s.kind == SurveyKind::Csat) {
        let key = match by {
            SatisfactionBy::Agent => &s.agent,
            SatisfactionBy::Queue => &s.queue,
            SatisfactionBy::Product => &s.product,
        };
        let entry = groups
            .entry(key.clone().unwrap_or_else(|| "(none)".into()))
            .or_default();
        entry.0 += 1;
        if let Some(r) = &s.response {
            entry.1.push(r.score);
        }
    }
    groups
        .into_iter()
        .map(|(group, (sent, scores))| {
            let answered = scores.len() as u32;
            let n = f64::from(answered.max(1));
            SatisfactionRow {
                group,
                sent,
                answered,
                response_rate: f64::from(answered) / f64::from(sent.max(1)),
                average: (answered > 0)
                    .then(|| scores.iter().map(|&s| f64::from(s)).sum::<f64>() / n),
                satisfied: (answered > 0)
                    .then(|| scores.iter().filter(|&&s| s >= 4).count() as f64 / n),
            }
        })
        .collect()
}

/// The NPS of a set of surveys.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsReport {
    /// Surveys sent.
    pub sent: u32,
    /// Surveys answered.
    pub answered: u32,
    /// Answers of 9 or 10.
    pub promoters: u32,
    /// Answers of 7 or 8.
    pub passives: u32,
    /// Answers of 0 to 6.
    pub detractors: u32,
    /// % promoters − % detractors, −100 to 100 (none without answers).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub score: Option<f64>,
}

/// The NPS of the NPS surveys among `surveys`.
pub fn nps_report(surveys: &[Survey]) -> NpsReport {
    let mut r = NpsReport {
        sent: 0,
        answered: 0,
        promoters: 0,
        passives: 0,
        detractors: 0,
        score: None,
    };
    for s in surveys.iter().filter(|s| s.kind == SurveyKind::Nps) {
        r.sent += 1;
        if let Some(a) = &s.response {
            r.answered += 1;
            match a.score {
                9.. => r.promoters += 1,
                7..=8 => r.passives += 1,
                _ => r.detractors += 1,
            }
        }
    }
    if r.answered > 0 {
        let n = f64::from(r.answered);
        r.score = Some(100.0 * (f64::from(r.promoters) - f64::from(r.detractors)) / n);
    }
    r
}
