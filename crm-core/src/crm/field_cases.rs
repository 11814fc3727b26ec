//! Field service on the store: technicians, service orders and their scheduling (greedy,
//! without overlaps), completion and cancellation, and maintenance plans that generate
//! orders on a recurrence.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{MaintenancePlanId, RecordRef, ServiceOrderId, TechnicianId};
use crate::service::calendar::CalendarRecord;
use crate::service::field::{self, Resource};
use crate::service::{
    Asset, Case, Contract, MaintenancePlan, NewMaintenancePlan, NewServiceOrder, NewTechnician,
    Schedule, ServiceOrder, ServiceOrderStatus, Technician,
};
use crate::store::{EntityKind, ReadExt, RecordId, Store, WriteExt, WriteTx};
use crate::time::format_rfc3339;

use super::installed_cases::coverage_in;
use super::service_cases::calendars;
use super::{Crm, ensure_exists};

impl<S: Store> Crm<S> {
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
