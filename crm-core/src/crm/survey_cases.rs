//! Satisfaction surveys on the store: a CSAT survey sent for a solved case (once per case),
//! an NPS survey for an account, looked up and answered by token, and the CSAT and NPS
//! reports over the surveys sent in a period.

use chrono::{DateTime, Duration, Utc};

use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{AccountId, CaseId, ContactId, RecordRef, SurveyId, Version};
use crate::service::case::Case;
use crate::service::installed::Asset;
use crate::service::survey::{
    NpsReport, SatisfactionBy, SatisfactionRow, Survey, SurveyKind, csat_report, nps_report,
};
use crate::store::{EntityKind, ReadExt, RecordId, Store, WriteExt, WriteTx};

use super::{Crm, ensure_exists};

impl<S: Store> Crm<S> {
    /// Sends a CSAT survey for a solved (resolved or closed) case, to its contact, open
    /// for `valid_days`: the token goes in the link the host mails.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] for a case still being worked; [`Error::Duplicate`]
    /// when the case has its survey already; [`Error::InvalidValue`] for no valid days;
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn send_csat_survey(
        &self,
        case: CaseId,
        valid_days: u32,
        now: DateTime<Utc>,
    ) -> Result<Survey> {
        self.write(|tx| {
            let c: Case = tx.load(case)?;
            if c.status.is_active() {
                return Err(Error::IllegalTransition {
                    kind: "survey".into(),
                    from: c.status.to_string(),
                    to: "csat survey sent".into(),
                });
            }
            if !tx
                .find_ids(EntityKind::Survey, Survey::BY_CASE, &case.to_string())?
                .is_empty()
            {
                return Err(Error::Duplicate {
                    kind: "survey".into(),
                    reason: format!("case {} has its survey already", c.number),
                });
            }
            let product = match (&c.product, c.asset) {
                (Some(p), _) => Some(p.clone()),
                (None, Some(a)) => tx.get::<Asset>(a)?.map(|a| a.product),
                (None, None) => None,
            };
            let survey = new_survey(tx, SurveyKind::Csat, valid_days, now, |s| Survey {
                case: Some(case),
                account: c.account,
                contact: c.contact,
                agent: c.owner.clone(),
                queue: c.queue.clone(),
                product,
                ..s
            })?;
            Ok(survey)
        })
    }

    /// Sends an NPS survey for an account (to one of its contacts, if given), open for
    /// `valid_days`.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown account or contact; [`Error::InvalidValue`] for
    /// no valid days; [`Error::Storage`].
    pub fn send_nps_survey(
        &self,
        account: AccountId,
        contact: Option<ContactId>,
        valid_days: u32,
        now: DateTime<Utc>,
    ) -> Result<Survey> {
        self.write(|tx| {
            ensure_exists(&*tx, RecordRef::Account(account))?;
            if let Some(c) = contact {
                ensure_exists(&*tx, RecordRef::Contact(c))?;
            }
            new_survey(tx, SurveyKind::Nps, valid_days, now, |s| Survey {
                account: Some(account),
                contact,
                ..s
            })
        })
    }

    /// The survey behind a token (for the host's answer page).
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown token; [`Error::Storage`].
    pub fn survey(&self, token: &str) -> Result<Survey> {
        self.read(|tx| {
            tx.find::<Survey>(Survey::BY_TOKEN, token.trim())?
                .pop()
                .ok_or_else(|| Error::not_found("survey", token))
        })
    }

    /// Takes the answer to the survey behind `token`: once, before it expires.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown token; as [`Survey::answer`];
    /// [`Error::Storage`].
    pub fn answer_survey(
        &self,
        token: &str,
        score: u32,
        comment: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Survey> {
        self.write(|tx| {
            let mut survey: Survey = tx
                .find::<Survey>(Survey::BY_TOKEN, token.trim())?
                .pop()
                .ok_or_else(|| Error::not_found("survey", token))?;
            survey.answer(score, comment, now)?;
            tx.update(&mut survey)?;
            tx.emit(
                &DomainEvent::SurveyAnswered {
                    survey: survey.id,
                    kind: survey.kind.to_string(),
                    score,
                },
                now,
            )?;
            Ok(survey)
        })
    }

    /// CSAT over the surveys sent in `[start, until)`, grouped by agent, queue or
    /// product.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn csat_report(
        &self,
        start: DateTime<Utc>,
        until: DateTime<Utc>,
        by: SatisfactionBy,
    ) -> Result<Vec<SatisfactionRow>> {
        let surveys = self.surveys_sent(start, until)?;
        Ok(csat_report(&surveys, by))
    }

    /// NPS over the surveys sent in `[start, until)`.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn nps_report(&self, start: DateTime<Utc>, until: DateTime<Utc>) -> Result<NpsReport> {
        let surveys = self.surveys_sent(start, until)?;
        Ok(nps_report(&surveys))
    }

    fn surveys_sent(&self, start: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<Survey>> {
        let all: Vec<Survey> = self.read(|tx| tx.all())?;
        Ok(all
            .into_iter()
            .filter(|s| s.sent_at >= start && s.sent_at < until)
            .collect())
    }
}

/// Stores a new survey of `kind` (filled in by `fill`) with a fresh token, and its event.
fn new_survey(
    tx: &mut dyn WriteTx,
    kind: SurveyKind,
    valid_days: u32,
    now: DateTime<Utc>,
    fill: impl FnOnce(Survey) -> Survey,
) -> Result<Survey> {
    if valid_days == 0 {
        return Err(Error::invalid(
            "valid_days",
            valid_days.to_string(),
            "a survey is open at least a day",
        ));
    }
    let token = crate::consent::random_token()?;
    let mut survey = fill(Survey {
        id: SurveyId::from_raw(tx.next_id(EntityKind::Survey)?),
        version: Version::NEW,
        token,
        kind,
        case: None,
        account: None,
        contact: None,
        agent: None,
        queue: None,
        product: None,
        sent_at: now,
        expires_at: now + Duration::days(i64::from(valid_days)),
        response: None,
    });
    tx.update(&mut survey)?;
    tx.emit(
        &DomainEvent::SurveySent {
            survey: survey.id,
            kind: kind.to_string(),
        },
        now,
    )?;
    Ok(survey)
}
