//! Service-desk use cases: calendars and SLA policies, and cases with their SLA states and
//! alerts — each write one transaction with its events. The installed base is in
//! [`super::installed_cases`], field service in [`super::field_cases`], the knowledge base
//! in [`super::knowledge_cases`], queues, routing and escalation in [`super::desk_cases`]
//! and [`super::escalation_cases`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::event::DomainEvent;
use crate::id::{AccountId, CalendarId, CaseId, RecordRef, SlaPolicyId};
use crate::service::calendar::CalendarRecord;
use crate::service::sla::{self, SlaAlert, SlaPolicyRecord};
use crate::service::{
    Asset, BusinessCalendar, Case, CaseChange, CaseComment, CaseHistoryEntry, CaseNumber,
    CasePriority, CaseSla, CaseStatus, Contract, NewCase, SlaPolicy, SlaState,
};
use crate::store::{EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};
use crate::time::format_rfc3339;

use super::installed_cases::coverage_in;
use super::{Crm, ensure_exists};

/// An SLA alert raised for a case by [`Crm::check_slas`].
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaisedAlert {
    /// The case.
    pub case: CaseId,
    /// Its tracking number.
    pub number: CaseNumber,
    /// The alert.
    #[serde(flatten)]
    pub alert: SlaAlert,
}

pub(super) fn calendars(tx: &dyn ReadTx) -> Result<HashMap<String, BusinessCalendar>> {
    Ok(tx
        .all::<CalendarRecord>()?
        .into_iter()
        .map(|c| (c.name, c.calendar))
        .collect())
}

fn policies(tx: &dyn ReadTx) -> Result<Vec<SlaPolicy>> {
    Ok(tx
        .all::<SlaPolicyRecord>()?
        .into_iter()
        .map(|r| r.policy)
        .collect())
}

fn case_sla_in(
    tx: &dyn ReadTx,
    case: &Case,
    policies: &[SlaPolicy],
    calendars: &HashMap<String, BusinessCalendar>,
    at: DateTime<Utc>,
) -> Result<CaseSla> {
    let contract: Option<Contract> = match case.contract {
        Some(id) => tx.get(id)?,
        None => None,
    };
    match sla::select_policy(policies, case, contract.as_ref()) {
        Some(policy) => sla::evaluate(policy, case, &|name| calendars.get(name), at),
        None => Ok(CaseSla {
            case: case.id,
            policy: None,
            at,
            metrics: Vec::new(),
            state: SlaState::Inactive,
        }),
    }
}

impl<S: Store> Crm<S> {
    // ---- calendars and policies ----------------------------------------------------------

    /// Defines (or redefines) the business calendar called `name` (case-insensitive).
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty name or a calendar without working time;
    /// [`Error::Storage`].
    pub fn define_calendar(
        &self,
        name: &str,
        calendar: BusinessCalendar,
        now: DateTime<Utc>,
    ) -> Result<CalendarRecord> {
        let calendar = calendar.checked()?;
        let key = name.trim().to_lowercase();
        let mut p = Problems::new();
        if key.is_empty() {
            p.push("name", "a calendar needs a name");
        }
        p.finish(())?;
        self.write(|tx| {
            let existing: Option<CalendarRecord> =
                tx.find(CalendarRecord::BY_NAME, &key)?.into_iter().next();
            let mut record = match existing {
                Some(mut r) => {
                    r.calendar = calendar;
                    r
                }
                None => CalendarRecord {
                    id: CalendarId::from_raw(tx.next_id(EntityKind::Calendar)?),
                    version: crate::id::Version::NEW,
                    name: key.clone(),
                    calendar,
                },
            };
            tx.update(&mut record)?;
            tx.emit(
                &DomainEvent::CalendarDefined {
                    calendar: record.id,
                    name: key,
                },
                now,
            )?;
            Ok(record)
        })
    }

    /// The calendar called `name`, if any.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn calendar(&self, name: &str) -> Result<Option<BusinessCalendar>> {
        let key = name.trim().to_lowercase();
        self.read(|tx| {
            Ok(tx
                .find::<CalendarRecord>(CalendarRecord::BY_NAME, &key)?
                .into_iter()
                .next()
                .map(|r| r.calendar))
        })
    }

    /// Defines (or redefines, by name) an SLA policy.
    ///
    /// # Errors
    /// [`Error::Validation`] for an inconsistent policy; [`Error::NotFound`] for a target
    /// calendar that is not defined; [`Error::Storage`].
    pub fn define_sla_policy(
        &self,
        policy: SlaPolicy,
        now: DateTime<Utc>,
    ) -> Result<SlaPolicyRecord> {
        policy.check()?;
        let key = policy.name.trim().to_lowercase();
        self.write(|tx| {
            for name in policy.calendars() {
                if tx
                    .find_ids(EntityKind::Calendar, CalendarRecord::BY_NAME, &name)?
                    .is_empty()
                {
                    return Err(Error::not_found("calendar", name));
                }
            }
            let existing: Option<SlaPolicyRecord> =
                tx.find(SlaPolicyRecord::BY_NAME, &key)?.into_iter().next();
            let mut record = match existing {
                Some(mut r) => {
                    r.policy = policy;
                    r
                }
                None => SlaPolicyRecord {
                    id: SlaPolicyId::from_raw(tx.next_id(EntityKind::SlaPolicy)?),
                    version: crate::id::Version::NEW,
                    policy,
                },
            };
            tx.update(&mut record)?;
            tx.emit(
                &DomainEvent::SlaPolicyDefined {
                    policy: record.id,
                    name: record.policy.name.clone(),
                },
                now,
            )?;
            Ok(record)
        })
    }

    /// Every SLA policy, in the order they are checked.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn sla_policies(&self) -> Result<Vec<SlaPolicy>> {
        let mut all = self.read(policies)?;
        all.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        Ok(all)
    }

    // ---- cases ---------------------------------------------------------------------------

    /// Opens a case. The account defaults to the asset's owner; when no contract is given
    /// and the asset is covered by one with entitlement left, that contract is linked; a
    /// linked contract counts the case against its entitlement.
    ///
    /// # Errors
    /// [`Error::Validation`] (bad input, an asset or contract of another account, a
    /// contract not in force or used up); [`Error::NotFound`] for a missing link;
    /// [`Error::Storage`].
    pub fn open_case(&self, input: NewCase, now: DateTime<Utc>) -> Result<Case> {
        self.write(|tx| open_case_in(tx, input, now))
    }

    /// A case.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn case(&self, id: CaseId) -> Result<Case> {
        self.read(|tx| tx.load(id))
    }

    /// The case with a tracking number.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a malformed number; [`Error::NotFound`]; [`Error::Storage`].
    pub fn case_by_number(&self, number: &str) -> Result<Case> {
        let n: CaseNumber = number.parse()?;
        self.read(|tx| {
            tx.find::<Case>(Case::BY_NUMBER, n.as_str())?
                .into_iter()
                .next()
                .ok_or_else(|| Error::not_found("case", n))
        })
    }

    /// An account's cases.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn cases_of(&self, account: AccountId) -> Result<Vec<Case>> {
        self.read(|tx| tx.find(Case::BY_ACCOUNT, &account.to_string()))
    }

    /// Cases that are not closed.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn active_cases(&self) -> Result<Vec<Case>> {
        self.read(|tx| tx.find(Case::BY_OPEN, "active"))
    }

    pub(super) fn change_case(
        &self,
        id: CaseId,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut Case) -> Result<Vec<DomainEvent>>,
    ) -> Result<Case> {
        self.write(|tx| {
            let mut case: Case = tx.load(id)?;
            let events = f(&mut case)?;
            tx.update(&mut case)?;
            for e in &events {
                tx.emit(e, now)?;
            }
            Ok(case)
        })
    }

    /// Moves a case to another status.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`]; [`Error::InvalidValue`] for an instant before the
    /// case's last change; [`Error::NotFound`]; [`Error::Storage`].
    pub fn set_case_status(&self, id: CaseId, to: CaseStatus, now: DateTime<Utc>) -> Result<Case> {
        self.change_case(id, now, |c| {
            let from = c.status;
            c.set_status(to, now)?;
            Ok(vec![DomainEvent::CaseStatusChanged {
                case: id,
                from: from.to_string(),
                to: to.to_string(),
            }])
        })
    }

    /// Changes a case's priority.
    ///
    /// # Errors
    /// As [`Crm::set_case_status`].
    pub fn set_case_priority(
        &self,
        id: CaseId,
        to: CasePriority,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        self.change_case(id, now, |c| {
            c.set_priority(to, now)?;
            Ok(vec![DomainEvent::CasePriorityChanged {
                case: id,
                to: to.to_string(),
            }])
        })
    }

    /// Adds a comment (which may move the case: see [`Case::add_comment`]).
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty comment; as [`Crm::set_case_status`].
    pub fn comment_on_case(&self, id: CaseId, comment: CaseComment) -> Result<Case> {
        let now = comment.at;
        self.change_case(id, now, |c| {
            let before = c.status;
            let (author, public) = (comment.author, comment.public);
            c.add_comment(comment)?;
            let mut events = vec![DomainEvent::CaseCommented {
                case: id,
                author: author.to_string(),
                public,
            }];
            if c.status != before {
                events.push(DomainEvent::CaseStatusChanged {
                    case: id,
                    from: before.to_string(),
                    to: c.status.to_string(),
                });
            }
            Ok(events)
        })
    }

    /// A case's SLA at `at`: the policy that applies, each metric's cycles and state.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the case or a target calendar; [`Error::Storage`].
    pub fn case_sla(&self, id: CaseId, at: DateTime<Utc>) -> Result<CaseSla> {
        self.read(|tx| {
            let case: Case = tx.load(id)?;
            case_sla_in(tx, &case, &policies(tx)?, &calendars(tx)?, at)
        })
    }

    /// The SLA of every case that is not closed, at `at`.
    ///
    /// # Errors
    /// As [`Crm::case_sla`].
    pub fn sla_report(&self, at: DateTime<Utc>) -> Result<Vec<CaseSla>> {
        self.read(|tx| {
            let (policies, calendars) = (policies(tx)?, calendars(tx)?);
            tx.find::<Case>(Case::BY_OPEN, "active")?
                .iter()
                .map(|c| case_sla_in(tx, c, &policies, &calendars, at))
                .collect()
        })
    }

    /// Checks every case that is not closed at `at` and raises each SLA warning and breach
    /// once: an `SlaWarning` / `SlaBreached` event, remembered on the case; the escalation
    /// rules the alerts (or the cases' age) set off fire in the same transaction
    /// ([`super::escalation_cases`]). Returns the
    /// alerts raised by this call.
    ///
    /// # Errors
    /// As [`Crm::case_sla`].
    pub fn check_slas(&self, at: DateTime<Utc>) -> Result<Vec<RaisedAlert>> {
        self.write(|tx| {
            let (policies, calendars) = (policies(tx)?, calendars(tx)?);
            let escalation_rules = super::escalation_cases::rules(tx)?;
            let mut raised = Vec::new();
            for mut case in tx.find::<Case>(Case::BY_OPEN, "active")? {
                let sla = case_sla_in(tx, &case, &policies, &calendars, at)?;
                let mut changed = false;
                let mut escalations = Vec::new();
                for alert in sla.alerts() {
                    if !case.sla_alerts.insert(alert.key()) {
                        continue;
                    }
                    changed = true;
                    let (metric, cycle) = (alert.metric.to_string(), alert.cycle);
                    let due_at = alert.due_at.map(format_rfc3339);
                    let event = if alert.state == SlaState::Warning {
                        DomainEvent::SlaWarning {
                            case: case.id,
                            metric,
                            cycle,
                            due_at,
                        }
                    } else {
                        case.history.push(CaseHistoryEntry {
                            at,
                            change: CaseChange::SlaBreached {
                                metric: metric.clone(),
                                cycle: u32::try_from(cycle).unwrap_or(u32::MAX),
                            },
                        });
                        DomainEvent::SlaBreached {
                            case: case.id,
                            metric,
                            cycle,
                            due_at,
                        }
                    };
                    tx.emit(&event, at)?;
                    escalations.extend(super::escalation_cases::escalate(
                        tx,
                        &mut case,
                        &escalation_rules,
                        Some(&alert),
                        at,
                    )?);
                    raised.push(RaisedAlert {
                        case: case.id,
                        number: case.number.clone(),
                        alert,
                    });
                }
                let before = case.escalations.len();
                escalations.extend(super::escalation_cases::escalate(
                    tx,
                    &mut case,
                    &escalation_rules,
                    None,
                    at,
                )?);
                changed |= case.escalations.len() != before;
                if changed {
                    tx.update(&mut case)?;
                }
                for e in &escalations {
                    tx.emit(e, at)?;
                }
            }
            Ok(raised)
        })
    }
}

/// [`Crm::open_case`] inside a write transaction.
pub(crate) fn open_case_in(
    tx: &mut dyn WriteTx,
    mut input: NewCase,
    now: DateTime<Utc>,
) -> Result<Case> {
    input.check()?;
    let today = now.date_naive();
    if let Some(c) = input.contact {
        ensure_exists(tx, RecordRef::Contact(c))?;
    }
    let mut p = Problems::new();
    if let Some(a) = input.asset {
        let asset: Asset = tx.load(a)?;
        match input.account {
            None => input.account = Some(asset.account),
            Some(acc) if acc != asset.account => p.push(
                "asset",
                format!("asset {a} belongs to account {}, not {acc}", asset.account),
            ),
            Some(_) => {}
        }
        if input.contract.is_none() && p.is_empty() {
            input.contract = coverage_in(tx, asset, today)?
                .working_contract()
                .map(|c| c.id);
        }
    }
    if let Some(acc) = input.account {
        ensure_exists(tx, RecordRef::Account(acc))?;
    }
    if let Some(cid) = input.contract {
        let mut contract: Contract = tx.load(cid)?;
        if input.account.is_some_and(|a| a != contract.account) {
            p.push(
                "contract",
                format!("contract {cid} is for account {}", contract.account),
            );
        }
        if input.account.is_none() {
            input.account = Some(contract.account);
        }
        if p.is_empty() {
            contract.use_case(today)?;
            tx.update(&mut contract)?;
        }
    }
    p.finish(())?;
    let id = CaseId::from_raw(tx.next_id(EntityKind::Case)?);
    let mut case = Case::open(id, input, now);
    let routing = super::desk_cases::route_new_case(tx, &mut case, now)?;
    let assignment = if case.owner.is_none() && routing.is_none() {
        let doc = serde_json::to_value(&case).map_err(Error::storage)?;
        crate::access::assignment::assign(tx, EntityKind::Case, &doc)?
    } else {
        None
    };
    if let Some((owner, _)) = &assignment {
        case.owner = Some(owner.clone());
    }
    tx.update(&mut case)?;
    tx.emit(
        &DomainEvent::CaseOpened {
            case: id,
            number: case.number.to_string(),
            contract: case.contract,
        },
        now,
    )?;
    if let Some((owner, rule)) = &assignment {
        let record = crate::id::RecordKey::new(EntityKind::Case, id.get());
        crate::access::assignment::assigned(tx, record, owner, rule, now)?;
    }
    for e in routing.iter().flatten() {
        tx.emit(e, now)?;
    }
    Ok(case)
}
