//! Service-desk use cases: calendars and SLA policies, the installed base (assets,
//! warranties, contracts, coverage), cases with their SLA states and alerts, technicians,
//! service orders and their scheduling, planned maintenance, and the knowledge base —
//! each write one transaction with its events.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::event::DomainEvent;
use crate::id::{
    AccountId, ArticleId, AssetId, CalendarId, CaseId, ContractId, MaintenancePlanId, RecordRef,
    ServiceOrderId, SlaPolicyId, TechnicianId, WarrantyId,
};
use crate::service::calendar::CalendarRecord;
use crate::service::field::{self, Resource};
use crate::service::knowledge::{ArticleChange, SearchFilter, SearchHit};
use crate::service::sla::{self, SlaAlert, SlaPolicyRecord};
use crate::service::{
    Article, ArticleContent, ArticleStatus, Asset, AssetStatus, BusinessCalendar, Case, CaseChange,
    CaseComment, CaseHistoryEntry, CaseNumber, CasePriority, CaseSla, CaseStatus, Contract,
    Coverage, MaintenancePlan, NewAsset, NewCase, NewContract, NewMaintenancePlan, NewServiceOrder,
    NewTechnician, Schedule, ServiceOrder, ServiceOrderStatus, SlaPolicy, SlaState, Technician,
    Warranty,
};
use crate::store::{EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};
use crate::time::format_rfc3339;

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

fn calendars(tx: &dyn ReadTx) -> Result<HashMap<String, BusinessCalendar>> {
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

fn coverage_in(tx: &dyn ReadTx, asset: Asset, on: NaiveDate) -> Result<Coverage> {
    let warranties: Vec<Warranty> = tx.find(Warranty::BY_ASSET, &asset.id.to_string())?;
    let contracts: Vec<Contract> = tx.find(Contract::BY_ACCOUNT, &asset.account.to_string())?;
    Ok(Coverage::of(asset, on, &warranties, &contracts))
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

    // ---- installed base --------------------------------------------------------------------

    /// Registers an asset at a customer's.
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::NotFound`] for an unknown account;
    /// [`Error::Duplicate`] for a serial number already registered; [`Error::Storage`].
    pub fn register_asset(&self, input: NewAsset, now: DateTime<Utc>) -> Result<Asset> {
        self.write(|tx| register_asset_in(tx, input, now))
    }

    /// An asset.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn asset(&self, id: AssetId) -> Result<Asset> {
        self.read(|tx| tx.load(id))
    }

    /// The asset with a serial number, if any.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn asset_by_serial(&self, serial: &str) -> Result<Option<Asset>> {
        self.read(|tx| {
            Ok(tx
                .find::<Asset>(Asset::BY_SERIAL, &Asset::serial_key(serial))?
                .into_iter()
                .next())
        })
    }

    /// An account's installed base.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn assets_of(&self, account: AccountId) -> Result<Vec<Asset>> {
        self.read(|tx| tx.find(Asset::BY_ACCOUNT, &account.to_string()))
    }

    /// Changes an asset's status.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn set_asset_status(
        &self,
        id: AssetId,
        status: AssetStatus,
        now: DateTime<Utc>,
    ) -> Result<Asset> {
        self.write(|tx| {
            let mut asset: Asset = tx.load(id)?;
            asset.status = status;
            tx.update(&mut asset)?;
            tx.emit(
                &DomainEvent::AssetStatusChanged {
                    asset: id,
                    status: status.to_string(),
                },
                now,
            )?;
            Ok(asset)
        })
    }

    /// Records a warranty on an asset.
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad term; [`Error::NotFound`]; [`Error::Storage`].
    pub fn add_warranty(
        &self,
        asset: AssetId,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        terms: &str,
        now: DateTime<Utc>,
    ) -> Result<Warranty> {
        crate::service::installed::check_warranty(starts_on, ends_on, terms)?;
        self.write(|tx| {
            let _: Asset = tx.load(asset)?;
            insert_warranty(tx, asset, starts_on, ends_on, terms, now)
        })
    }

    /// Creates a service contract.
    ///
    /// # Errors
    /// [`Error::Validation`] (also for a named asset of another account);
    /// [`Error::NotFound`] for an unknown account, asset or SLA policy; [`Error::Storage`].
    pub fn create_contract(&self, input: NewContract, now: DateTime<Utc>) -> Result<Contract> {
        self.write(|tx| create_contract_in(tx, input, now))
    }

    /// A contract.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn contract(&self, id: ContractId) -> Result<Contract> {
        self.read(|tx| tx.load(id))
    }

    /// Cancels a contract (it covers nothing from then on).
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn cancel_contract(&self, id: ContractId, now: DateTime<Utc>) -> Result<Contract> {
        self.write(|tx| {
            let mut c: Contract = tx.load(id)?;
            c.cancelled = true;
            tx.update(&mut c)?;
            tx.emit(&DomainEvent::ContractCancelled { contract: id }, now)?;
            Ok(c)
        })
    }

    /// Whether `asset` is covered on `on`, and by what warranties and contracts.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn coverage(&self, asset: AssetId, on: NaiveDate) -> Result<Coverage> {
        self.read(|tx| {
            let asset: Asset = tx.load(asset)?;
            coverage_in(tx, asset, on)
        })
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

    // ---- field service -------------------------------------------------------------------

    /// Adds a technician.
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::NotFound`] for an undefined calendar;
    /// [`Error::Storage`].
    pub fn define_technician(
        &self,
        input: NewTechnician,
        now: DateTime<Utc>,
    ) -> Result<Technician> {
        self.write(|tx| {
            let id = TechnicianId::from_raw(tx.next_id(EntityKind::Technician)?);
            let mut t = Technician::new(id, input)?;
            if tx
                .find_ids(EntityKind::Calendar, CalendarRecord::BY_NAME, &t.calendar)?
                .is_empty()
            {
                return Err(Error::not_found("calendar", &t.calendar));
            }
            tx.update(&mut t)?;
            tx.emit(&DomainEvent::TechnicianDefined { technician: id }, now)?;
            Ok(t)
        })
    }

    /// Every technician.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn technicians(&self) -> Result<Vec<Technician>> {
        self.read(|tx| tx.all())
    }

    /// Creates a service order.
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::NotFound`] for a missing link; [`Error::Storage`].
    pub fn create_service_order(
        &self,
        input: NewServiceOrder,
        now: DateTime<Utc>,
    ) -> Result<ServiceOrder> {
        input.check()?;
        self.write(|tx| insert_order(tx, input, None, now))
    }

    /// A service order.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn service_order(&self, id: ServiceOrderId) -> Result<ServiceOrder> {
        self.read(|tx| tx.load(id))
    }

    /// A technician's orders (scheduled and done).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn orders_of_technician(&self, id: TechnicianId) -> Result<Vec<ServiceOrder>> {
        self.read(|tx| tx.find(ServiceOrder::BY_TECHNICIAN, &id.to_string()))
    }

    /// Schedules every open order within `from..until` (see [`field::schedule`]): placed
    /// orders become scheduled with their technician and slot; the rest are reported.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `until` is not after `from`; [`Error::NotFound`] for a
    /// technician's missing calendar; [`Error::Storage`].
    pub fn schedule_service_orders(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Schedule> {
        if until <= from {
            return Err(Error::invalid(
                "scheduling horizon",
                format!("{}..{}", format_rfc3339(from), format_rfc3339(until)),
                "must end after it starts",
            ));
        }
        self.write(|tx| {
            let calendars = calendars(tx)?;
            let techs: Vec<Technician> = tx.all()?;
            let open: Vec<ServiceOrder> = tx.find(ServiceOrder::BY_STATUS, "open")?;
            let scheduled: Vec<ServiceOrder> = tx.find(ServiceOrder::BY_STATUS, "scheduled")?;
            let mut resources = Vec::with_capacity(techs.len());
            for t in &techs {
                let calendar = calendars
                    .get(&t.calendar)
                    .ok_or_else(|| Error::not_found("calendar", &t.calendar))?;
                let booked = scheduled
                    .iter()
                    .filter_map(|o| o.assignment)
                    .filter(|a| a.technician == t.id)
                    .map(|a| (a.start, a.end))
                    .collect();
                resources.push(Resource {
                    technician: t,
                    calendar,
                    booked,
                });
            }
            let plan = field::schedule(&open, &mut resources, from, until);
            for (order_id, assignment) in &plan.placed {
                let mut order: ServiceOrder = tx.load(*order_id)?;
                order.status = ServiceOrderStatus::Scheduled;
                order.assignment = Some(*assignment);
                tx.update(&mut order)?;
                tx.emit(
                    &DomainEvent::ServiceOrderScheduled {
                        order: order.id,
                        technician: assignment.technician,
                        start: format_rfc3339(assignment.start),
                        end: format_rfc3339(assignment.end),
                    },
                    now,
                )?;
            }
            Ok(plan)
        })
    }

    /// Completes an order with the hours worked; when the order's case (or asset) is under
    /// a contract, the hours count against its entitlement.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`]; [`Error::InvalidValue`] for negative hours;
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn complete_service_order(
        &self,
        id: ServiceOrderId,
        hours: Decimal,
        now: DateTime<Utc>,
    ) -> Result<ServiceOrder> {
        self.write(|tx| {
            let mut order: ServiceOrder = tx.load(id)?;
            order.complete(hours)?;
            tx.update(&mut order)?;
            let contract = match order.case {
                Some(c) => tx.load::<Case>(c)?.contract,
                None => match order.asset {
                    Some(a) => coverage_in(tx, tx.load(a)?, now.date_naive())?
                        .working_contract()
                        .map(|c| c.id),
                    None => None,
                },
            };
            if let Some(cid) = contract {
                let mut c: Contract = tx.load(cid)?;
                c.use_hours(hours)?;
                tx.update(&mut c)?;
            }
            tx.emit(
                &DomainEvent::ServiceOrderCompleted {
                    order: id,
                    hours: hours.to_string(),
                },
                now,
            )?;
            Ok(order)
        })
    }

    /// Cancels an order (freeing its slot).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn cancel_service_order(
        &self,
        id: ServiceOrderId,
        now: DateTime<Utc>,
    ) -> Result<ServiceOrder> {
        self.write(|tx| {
            let mut order: ServiceOrder = tx.load(id)?;
            order.cancel()?;
            tx.update(&mut order)?;
            tx.emit(&DomainEvent::ServiceOrderCancelled { order: id }, now)?;
            Ok(order)
        })
    }

    /// Defines a recurring maintenance plan on an asset.
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn define_maintenance_plan(
        &self,
        plan: NewMaintenancePlan,
        now: DateTime<Utc>,
    ) -> Result<MaintenancePlan> {
        plan.check()?;
        self.write(|tx| {
            let asset = plan.asset;
            let _: Asset = tx.load(asset)?;
            let m = tx.insert(|id: MaintenancePlanId| MaintenancePlan {
                id,
                version: crate::id::Version::NEW,
                plan,
                generated: 0,
            })?;
            tx.emit(
                &DomainEvent::MaintenancePlanDefined { plan: m.id, asset },
                now,
            )?;
            Ok(m)
        })
    }

    /// Turns every planned visit due on or before `through` into a service order (each
    /// visit once, however often this is called).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn generate_maintenance_orders(
        &self,
        through: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<ServiceOrder>> {
        self.write(|tx| {
            let mut out = Vec::new();
            for mut plan in tx.all::<MaintenancePlan>()? {
                let visits = plan.due_visits(through);
                if visits.is_empty() {
                    continue;
                }
                let asset: Asset = tx.load(plan.plan.asset)?;
                for (n, day) in visits {
                    let mut input = plan.plan.order_for(day);
                    input.account = Some(asset.account);
                    out.push(insert_order(tx, input, Some(plan.id), now)?);
                    plan.generated = n + 1;
                }
                tx.update(&mut plan)?;
            }
            Ok(out)
        })
    }

    // ---- knowledge base ------------------------------------------------------------------

    /// Writes a new article with a status (published articles are searchable at once).
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::Storage`].
    pub fn write_article(
        &self,
        content: ArticleContent,
        status: ArticleStatus,
        now: DateTime<Utc>,
    ) -> Result<Article> {
        content.check()?;
        self.write(|tx| {
            let a = tx.insert(|id: ArticleId| Article {
                id,
                version: crate::id::Version::NEW,
                content,
                status,
                updated_at: now,
            })?;
            tx.emit(
                &DomainEvent::ArticleSaved {
                    article: a.id,
                    status: status.to_string(),
                },
                now,
            )?;
            Ok(a)
        })
    }

    /// Changes an article: the fields `change` gives replace the article's, in one
    /// transaction under the article's version.
    ///
    /// # Errors
    /// [`Error::Validation`] when the result has no title or body; [`Error::NotFound`];
    /// [`Error::Storage`].
    pub fn update_article(
        &self,
        id: ArticleId,
        change: ArticleChange,
        now: DateTime<Utc>,
    ) -> Result<Article> {
        self.write(|tx| {
            let mut a: Article = tx.load(id)?;
            change.apply(&mut a)?;
            a.updated_at = now;
            tx.update(&mut a)?;
            tx.emit(
                &DomainEvent::ArticleSaved {
                    article: id,
                    status: a.status.to_string(),
                },
                now,
            )?;
            Ok(a)
        })
    }

    /// An article.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn article(&self, id: ArticleId) -> Result<Article> {
        self.read(|tx| tx.load(id))
    }

    /// The best `k` published articles for `query`, ranked by BM25 in the store's
    /// full-text index ([`crate::search`]): articles holding every word first, then those
    /// holding some; narrowed to a tag or a product when the filter says.
    ///
    /// # Errors
    /// [`Error::Storage`]; [`Error::Corrupt`].
    pub fn search_articles(
        &self,
        query: &str,
        filter: &SearchFilter,
        k: usize,
    ) -> Result<Vec<SearchHit>> {
        let k = k.min(crate::search::SEARCH_MAX);
        if k == 0 {
            return Ok(Vec::new());
        }
        let tag = filter.tag.as_ref().map(|t| t.trim().to_lowercase());
        let product = filter.product.as_ref().map(|p| p.trim());
        let narrowed = tag.is_some() || product.is_some();
        let fetch = if narrowed {
            crate::search::SEARCH_MAX
        } else {
            k
        };
        let hits = self.search_hits(query, vec![EntityKind::Article], fetch)?;
        self.read(|tx| {
            let mut out = Vec::with_capacity(k);
            for h in hits {
                if out.len() == k {
                    break;
                }
                let id = ArticleId::from_raw(h.id);
                if narrowed {
                    let a: Article = tx.load(id)?;
                    let c = &a.content;
                    if tag
                        .as_ref()
                        .is_some_and(|t| !c.tags.iter().any(|x| x.trim().to_lowercase() == *t))
                        || product.is_some_and(|p| !c.products.iter().any(|x| x == p))
                    {
                        continue;
                    }
                }
                out.push(SearchHit {
                    article: id,
                    title: h.texts.first().cloned().unwrap_or_default(),
                    score: h.score as f32,
                });
            }
            Ok(out)
        })
    }
}

fn insert_order(
    tx: &mut dyn WriteTx,
    input: NewServiceOrder,
    plan: Option<MaintenancePlanId>,
    now: DateTime<Utc>,
) -> Result<ServiceOrder> {
    if let Some(a) = input.account {
        ensure_exists(tx, RecordRef::Account(a))?;
    }
    if let Some(a) = input.asset {
        let _: Asset = tx.load(a)?;
    }
    if let Some(c) = input.case {
        let _: Case = tx.load(c)?;
    }
    let o = tx.insert(|id: ServiceOrderId| {
        let mut o = ServiceOrder::new(id, input);
        o.plan = plan;
        o
    })?;
    tx.emit(&DomainEvent::ServiceOrderCreated { order: o.id, plan }, now)?;
    Ok(o)
}

/// [`Crm::register_asset`] inside a write transaction.
pub(crate) fn register_asset_in(
    tx: &mut dyn WriteTx,
    input: NewAsset,
    now: DateTime<Utc>,
) -> Result<Asset> {
    insert_asset(tx, input, None, now)
}

/// Registers an asset, delivered on `sales_order` when the CRM made the sale.
pub(crate) fn insert_asset(
    tx: &mut dyn WriteTx,
    input: NewAsset,
    sales_order: Option<crate::id::SalesOrderId>,
    now: DateTime<Utc>,
) -> Result<Asset> {
    ensure_exists(tx, RecordRef::Account(input.account))?;
    let key = Asset::serial_key(&input.serial_number);
    if !key.is_empty()
        && !tx
            .find_ids(EntityKind::Asset, Asset::BY_SERIAL, &key)?
            .is_empty()
    {
        return Err(Error::Duplicate {
            kind: "asset".into(),
            reason: format!("serial number {key} is already registered"),
        });
    }
    let id = AssetId::from_raw(tx.next_id(EntityKind::Asset)?);
    let mut asset = Asset::new(id, input)?;
    asset.sales_order = sales_order;
    tx.update(&mut asset)?;
    tx.emit(
        &DomainEvent::AssetRegistered {
            asset: id,
            serial_number: asset.serial_number.clone(),
        },
        now,
    )?;
    Ok(asset)
}

/// [`Crm::create_contract`] inside a write transaction.
pub(crate) fn create_contract_in(
    tx: &mut dyn WriteTx,
    input: NewContract,
    now: DateTime<Utc>,
) -> Result<Contract> {
    input.check()?;
    ensure_exists(tx, RecordRef::Account(input.account))?;
    let mut p = Problems::new();
    for (i, a) in input.assets.iter().enumerate() {
        let asset: Asset = tx.load(*a)?;
        if asset.account != input.account {
            p.push(
                format!("assets[{i}]"),
                format!("asset {a} belongs to account {}", asset.account),
            );
        }
    }
    p.finish(())?;
    if let Some(name) = &input.sla_policy
        && tx
            .find_ids(
                EntityKind::SlaPolicy,
                SlaPolicyRecord::BY_NAME,
                &name.trim().to_lowercase(),
            )?
            .is_empty()
    {
        return Err(Error::not_found("SLA policy", name));
    }
    let c = tx.insert(|id: ContractId| Contract::new(id, input))?;
    tx.emit(
        &DomainEvent::ContractCreated {
            contract: c.id,
            account: c.account,
        },
        now,
    )?;
    Ok(c)
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

/// Adds a checked warranty to an asset known to exist.
pub(crate) fn insert_warranty(
    tx: &mut dyn WriteTx,
    asset: AssetId,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    terms: &str,
    now: DateTime<Utc>,
) -> Result<Warranty> {
    let w = tx.insert(|id: WarrantyId| Warranty {
        id,
        version: crate::id::Version::NEW,
        asset,
        starts_on,
        ends_on,
        terms: terms.trim().to_string(),
    })?;
    tx.emit(
        &DomainEvent::WarrantyAdded {
            warranty: w.id,
            asset,
        },
        now,
    )?;
    Ok(w)
}
