//! Marketing automation use cases: rules, runs of the engine from the event cursor (the
//! planned actions and the cursor stored in one transaction; an action whose idempotency
//! key is stored is never stored again), waits re-checked when due, quotes about to expire,
//! and the outbox the host works through.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::consent::{self, Channel, Purpose};
use crate::customer::{Account, Contact};
use crate::error::{Error, Result};
use crate::event::{DomainEvent, EventEnvelope};
use crate::id::{
    AutomationActionId, AutomationRuleId, AutomationStateId, ContactId, LeadId, OpportunityId,
    RecordRef,
};
use crate::lead::Lead;
use crate::marketing::automation::{
    self, Action, ActionStatus, AutomationAction, AutomationRule, AutomationStateRecord, Context,
    EngineState, Planned, PlannedAction, Subject, Trigger,
};
use crate::quote::document::Quote;
use crate::sales::Opportunity;
use crate::store::{EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};

use serde::{Deserialize, Serialize};

use super::Crm;
use super::marketing_cases::{contact_fields, json_name, lead_fields, load_segment};

/// Looks up the record an event is about, inside the run's transaction.
struct TxContext<'a> {
    tx: &'a dyn ReadTx,
}

impl TxContext<'_> {
    fn subject(&self, kind: &str, id: u64) -> Option<Subject> {
        let fields = match kind {
            "lead" => lead_fields(&self.tx.get::<Lead>(LeadId::from_raw(id)).ok()??),
            "contact" => {
                let c = self.tx.get::<Contact>(ContactId::from_raw(id)).ok()??;
                let a = c
                    .account
                    .and_then(|a| self.tx.get::<Account>(a).ok().flatten());
                contact_fields(&c, a.as_ref())
            }
            "service_case" => {
                let c = self
                    .tx
                    .get::<crate::service::Case>(crate::id::CaseId::from_raw(id))
                    .ok()??;
                let mut f = BTreeMap::new();
                f.insert("number".to_string(), c.number.to_string());
                f.insert("subject".to_string(), c.subject.clone());
                f.insert("priority".to_string(), c.priority.to_string());
                if let Some(o) = &c.owner {
                    f.insert("owner".to_string(), o.clone());
                }
                if let Some(contact) = c
                    .contact
                    .and_then(|x| self.tx.get::<Contact>(x).ok().flatten())
                    && let Some(e) = &contact.email
                {
                    f.insert("email".to_string(), e.to_string());
                }
                f
            }
            "quote" => {
                let q = self
                    .tx
                    .get::<Quote>(crate::id::QuoteId::from_raw(id))
                    .ok()??;
                let mut f = BTreeMap::new();
                f.insert("quote_number".to_string(), q.number.to_string());
                f.insert("valid_until".to_string(), q.content.valid_until.to_string());
                f.insert("grand_total".to_string(), q.priced.grand_total.to_string());
                if let Some(a) = self.tx.get::<Account>(q.content.account).ok().flatten() {
                    f.insert("company".to_string(), a.name.clone());
                    if let Some(o) = a.owner {
                        f.insert("owner".to_string(), o);
                    }
                }
                f
            }
            "opportunity" => {
                let o = self
                    .tx
                    .get::<Opportunity>(OpportunityId::from_raw(id))
                    .ok()??;
                let mut f = BTreeMap::new();
                f.insert("name".to_string(), o.name.clone());
                f.insert("stage".to_string(), o.stage.clone());
                f.insert("amount".to_string(), o.amount.to_string());
                if let Some(x) = o.owner {
                    f.insert("owner".to_string(), x);
                }
                f
            }
            _ => return None,
        };
        // marketing e-mail to a lead or contact needs their consent; a case's e-mail is
        // service, refused only by do-not-contact or a withdrawal
        let person = match kind {
            "lead" => Some((RecordRef::Lead(LeadId::from_raw(id)), Purpose::Marketing)),
            "contact" => Some((
                RecordRef::Contact(ContactId::from_raw(id)),
                Purpose::Marketing,
            )),
            "service_case" => self
                .tx
                .get::<crate::service::Case>(crate::id::CaseId::from_raw(id))
                .ok()
                .flatten()
                .and_then(|c| c.contact)
                .map(|c| (RecordRef::Contact(c), Purpose::Service)),
            _ => None,
        };
        let no_email = person.and_then(|(who, purpose)| {
            consent::decide(self.tx, who, Channel::Email, purpose)
                .ok()
                .filter(|d| !d.allowed)
                .map(|d| d.reason)
        });
        Some(Subject {
            kind: kind.to_string(),
            id,
            fields,
            no_email,
        })
    }
}

impl Context for TxContext<'_> {
    fn subject_of(&self, e: &EventEnvelope) -> Option<Subject> {
        if e.aggregate == EntityKind::Touchpoint {
            let r: RecordRef = serde_json::from_value(e.payload.get("subject")?.clone()).ok()?;
            return match r {
                RecordRef::Lead(id) => self.subject("lead", id.get()),
                RecordRef::Contact(id) => self.subject("contact", id.get()),
                _ => None,
            };
        }
        self.subject(e.aggregate.as_str(), e.aggregate_id)
    }
}

/// Stores `planned` unless an action with its key exists; returns the stored actions.
fn store_actions(
    tx: &mut dyn WriteTx,
    planned: Vec<PlannedAction>,
    now: DateTime<Utc>,
) -> Result<Vec<AutomationAction>> {
    let mut out = Vec::new();
    for p in planned {
        if !tx
            .find_ids(
                EntityKind::AutomationAction,
                AutomationAction::BY_KEY,
                &p.key,
            )?
            .is_empty()
        {
            continue;
        }
        let (status, note) = match &p.planned {
            Planned::Wait { .. } => (ActionStatus::Waiting, None),
            Planned::Skipped { reason } => (ActionStatus::Skipped, Some(reason.clone())),
            _ => (ActionStatus::Pending, None),
        };
        let a = tx.insert(|id: AutomationActionId| AutomationAction {
            id,
            version: crate::id::Version::NEW,
            action: p,
            status,
            planned_at: now,
            note,
            finished_at: None,
        })?;
        out.push(a);
    }
    Ok(out)
}

/// What a run of the automation engine did.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutomationRun {
    /// Events read.
    pub events: usize,
    /// The cursor after the run.
    pub cursor: u64,
    /// Actions stored by this run (pending, waiting or skipped).
    pub actions: Vec<AutomationAction>,
}

const STATE_ID: u64 = 1;

impl<S: Store> Crm<S> {
    // ---- automation ------------------------------------------------------------------------

    /// Defines (or redefines, by name) an automation rule.
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::Storage`].
    pub fn define_automation_rule(
        &self,
        name: &str,
        trigger: Trigger,
        actions: Vec<Action>,
        once_per_record: bool,
        now: DateTime<Utc>,
    ) -> Result<AutomationRule> {
        AutomationRule::check(name, &trigger, &actions)?;
        self.write(|tx| {
            let existing = tx
                .find::<AutomationRule>(AutomationRule::BY_NAME, &name.trim().to_lowercase())?
                .into_iter()
                .next();
            let mut rule = match existing {
                Some(mut r) => {
                    r.trigger = trigger;
                    r.actions = actions;
                    r.once_per_record = once_per_record;
                    r.active = true;
                    r
                }
                None => AutomationRule {
                    id: AutomationRuleId::from_raw(tx.next_id(EntityKind::AutomationRule)?),
                    version: crate::id::Version::NEW,
                    name: name.trim().to_string(),
                    active: true,
                    trigger,
                    actions,
                    once_per_record,
                },
            };
            tx.update(&mut rule)?;
            tx.emit(&DomainEvent::AutomationRuleDefined { rule: rule.id }, now)?;
            Ok(rule)
        })
    }

    /// Runs the rules over up to `max_events` events after the stored cursor, the waits
    /// that are due and the quotes about to expire, and stores the planned actions and the
    /// new cursor in one transaction (an action whose key is already stored is not stored
    /// again). Call it as often as you like; carry out the pending actions with
    /// [`Crm::pending_automation_actions`] and [`Crm::finish_automation_action`].
    ///
    /// # Errors
    /// [`Error::Storage`]; [`Error::Corrupt`].
    pub fn run_automation(&self, now: DateTime<Utc>, max_events: usize) -> Result<AutomationRun> {
        self.require(
            crate::access::SystemPermission::RunAutomation,
            EntityKind::AutomationRule,
        )?;
        self.write(|tx| {
            let rules: Vec<AutomationRule> = tx.all()?;
            let mut state_rec = tx
                .get::<AutomationStateRecord>(AutomationStateId::from_raw(STATE_ID))?
                .unwrap_or(AutomationStateRecord {
                    id: AutomationStateId::from_raw(STATE_ID),
                    version: crate::id::Version::NEW,
                    state: EngineState::default(),
                });
            let mut state = state_rec.state.clone();
            let events = tx.events_since(state.cursor, max_events)?;
            let mut planned = Vec::new();
            {
                let ctx = TxContext { tx: &*tx };
                for e in &events {
                    planned.extend(automation::plan(&rules, e, &ctx, &mut state));
                }
                // Quotes about to expire: once per rule and quote.
                for rule in rules.iter().filter(|r| r.active) {
                    if let Trigger::QuoteExpiring { within_days } = rule.trigger {
                        let horizon = (now + Duration::days(i64::from(within_days))).date_naive();
                        for q in tx.find::<Quote>(Quote::BY_STATUS, "sent")? {
                            if q.content.valid_until <= horizon
                                && q.content.valid_until >= now.date_naive()
                                && let Some(s) = ctx.subject("quote", q.id.get())
                            {
                                let prefix = format!("rule/{}/quote/{}", rule.id, q.id);
                                planned.extend(automation::resolve(
                                    rule,
                                    &rule.actions,
                                    &s,
                                    now,
                                    &prefix,
                                    &mut state,
                                ));
                            }
                        }
                    }
                }
                // Waits that are due.
                for w in tx.find::<AutomationAction>(AutomationAction::BY_STATUS, "waiting")? {
                    let Planned::Wait {
                        until,
                        conditions,
                        then,
                    } = &w.action.planned
                    else {
                        continue;
                    };
                    if *until > now {
                        continue;
                    }
                    let Some(rule) = rules.iter().find(|r| r.id == w.action.rule) else {
                        continue;
                    };
                    if let Some(s) = ctx.subject(&w.action.subject_kind, w.action.subject_id) {
                        planned.extend(automation::after_wait(
                            rule,
                            &w.action.key,
                            conditions,
                            then,
                            &s,
                            now,
                            &mut state,
                        ));
                    }
                }
            }
            // Mark due waits done (their follow-ups are planned above).
            for mut w in tx.find::<AutomationAction>(AutomationAction::BY_STATUS, "waiting")? {
                if matches!(&w.action.planned, Planned::Wait { until, .. } if *until <= now) {
                    w.status = ActionStatus::Done;
                    tx.update(&mut w)?;
                }
            }
            let actions = store_actions(tx, planned, now)?;
            state_rec.state = state;
            tx.update(&mut state_rec)?;
            Ok(AutomationRun {
                events: events.len(),
                cursor: state_rec.state.cursor,
                actions,
            })
        })
    }

    /// Actions waiting for the host to carry them out, oldest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn pending_automation_actions(&self) -> Result<Vec<AutomationAction>> {
        self.read(|tx| tx.find(AutomationAction::BY_STATUS, "pending"))
    }

    /// Marks an action done (`failure` none) or failed (with why).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is pending; [`Error::NotFound`];
    /// [`Error::Storage`].
    pub fn finish_automation_action(
        &self,
        id: AutomationActionId,
        failure: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<AutomationAction> {
        self.write(|tx| {
            let mut a: AutomationAction = tx.load(id)?;
            if a.status != ActionStatus::Pending {
                return Err(Error::IllegalTransition {
                    kind: "automation action".into(),
                    from: json_name(&a.status).unwrap_or_default(),
                    to: if failure.is_some() { "failed" } else { "done" }.into(),
                });
            }
            a.status = if failure.is_some() {
                ActionStatus::Failed
            } else {
                ActionStatus::Done
            };
            a.note = failure;
            a.finished_at = Some(now);
            tx.update(&mut a)?;
            Ok(a)
        })
    }

    /// Carries out a pending action that lives in the CRM (assign an owner, set a rating,
    /// add to a campaign or segment) and marks it done; e-mails and tasks are the host's.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for an e-mail or task action or a subject that is not a lead
    /// or contact; as [`Crm::finish_automation_action`].
    pub fn apply_automation_action(
        &self,
        id: AutomationActionId,
        now: DateTime<Utc>,
    ) -> Result<AutomationAction> {
        let a = self.read(|tx| tx.load::<AutomationAction>(id))?;
        if a.status != ActionStatus::Pending {
            return self.finish_automation_action(id, None, now);
        }
        let subject = match (a.action.subject_kind.as_str(), a.action.subject_id) {
            ("lead", n) => RecordRef::Lead(LeadId::from_raw(n)),
            ("contact", n) => RecordRef::Contact(ContactId::from_raw(n)),
            (k, n) => {
                return Err(Error::invalid(
                    "automation subject",
                    format!("{k}:{n}"),
                    "only leads and contacts are changed by the CRM",
                ));
            }
        };
        match &a.action.planned {
            Planned::AssignOwner { owner } => self.write(|tx| {
                match subject {
                    RecordRef::Lead(l) => {
                        let mut lead: Lead = tx.load(l)?;
                        lead.data.owner = Some(owner.clone());
                        lead.updated_at = now;
                        tx.update(&mut lead)?;
                    }
                    RecordRef::Contact(c) => {
                        let mut contact: Contact = tx.load(c)?;
                        contact.owner = Some(owner.clone());
                        contact.updated_at = now;
                        tx.update(&mut contact)?;
                    }
                    _ => {}
                }
                Ok(())
            })?,
            Planned::SetRating { rating } => {
                let RecordRef::Lead(l) = subject else {
                    return Err(Error::invalid(
                        "automation subject",
                        subject.key(),
                        "ratings are on leads",
                    ));
                };
                let rating = rating.parse()?;
                self.write(|tx| {
                    let mut lead: Lead = tx.load(l)?;
                    lead.data.rating = Some(rating);
                    lead.updated_at = now;
                    tx.update(&mut lead)
                })?;
            }
            Planned::AddToCampaign { campaign } => {
                self.add_campaign_members(campaign, &[subject], now)?;
            }
            Planned::AddToSegment { segment } => self.write(|tx| {
                let mut s = load_segment(tx, segment)?;
                if !s.pinned.contains(&subject) {
                    s.pinned.push(subject);
                }
                if !s.members.contains(&subject) {
                    s.members.push(subject);
                    s.members.sort();
                }
                tx.update(&mut s)
            })?,
            other => {
                return Err(Error::invalid(
                    "automation action",
                    json_name(other).unwrap_or_else(|| "action".into()),
                    "e-mails and tasks are carried out by the host; mark them with finish_automation_action",
                ));
            }
        }
        self.finish_automation_action(id, None, now)
    }
}
