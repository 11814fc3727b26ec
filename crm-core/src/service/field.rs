//! Field service: technicians with skills and working calendars, service orders (the work,
//! the skills it needs, how long it takes, when it may start and when it is due), the
//! scheduler that assigns orders to technicians, and planned maintenance that generates
//! orders on a recurrence.
//!
//! ## The scheduler
//!
//! [`schedule`] is a documented greedy list scheduler ("earliest finish first"): orders are
//! taken by due instant (none last), then priority (urgent first), then earliest start, then
//! id; each goes to the qualified technician (every required skill) who can *finish* it
//! earliest, in one stretch of that technician's working time that overlaps no booking,
//! starting no earlier than the order allows; ties go to the technician with fewer minutes
//! booked, then the lower id. An order nobody qualified can do, or nobody can fit before its
//! due instant (or the horizon), is reported with the reason. Each placement costs one pass
//! over each qualified technician's free spans in the horizon: O(orders × technicians ×
//! spans). It is not optimal (no order is moved once placed), but it never double-books and
//! it explains every order it leaves out.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Months, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::{AccountId, AssetId, CaseId, MaintenancePlanId, ServiceOrderId, TechnicianId};
use crate::store::{EntityKind, impl_entity};

use super::calendar::BusinessCalendar;
use super::case::CasePriority;
use crate::lead::text_enum;

/// Skills are compared trimmed and lower-cased.
fn skill_set(skills: &[String]) -> BTreeSet<String> {
    skills
        .iter()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// What a new technician is.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTechnician {
    /// Their name.
    pub name: String,
    /// What they can do.
    pub skills: Vec<String>,
    /// The name of their working calendar.
    pub calendar: String,
}

/// A field technician (a schedulable resource).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Technician {
    /// Their id.
    pub id: TechnicianId,
    /// Their version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// Their name.
    pub name: String,
    /// What they can do (lower case).
    pub skills: BTreeSet<String>,
    /// The name of their working calendar.
    pub calendar: String,
    /// Whether they take work.
    pub active: bool,
}

impl Technician {
    /// A technician.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn new(id: TechnicianId, input: NewTechnician) -> Result<Self> {
        let mut p = Problems::new();
        if input.name.trim().is_empty() {
            p.push("name", "a technician needs a name");
        }
        if input.calendar.trim().is_empty() {
            p.push("calendar", "a technician needs a working calendar");
        }
        p.finish(Technician {
            id,
            version: crate::id::Version::NEW,
            name: input.name.trim().to_string(),
            skills: skill_set(&input.skills),
            calendar: input.calendar.trim().to_lowercase(),
            active: true,
        })
    }
}

impl_entity!(Technician, TechnicianId, EntityKind::Technician, |_t| [
    None, None, None, None, None, None
]);

text_enum!(
    /// Where a service order is.
    ServiceOrderStatus, "service order status", {
        /// Waiting to be scheduled.
        Open => "open",
        /// Assigned to a technician and a time.
        Scheduled => "scheduled",
        /// Done.
        Completed => "completed",
        /// Called off.
        Cancelled => "cancelled",
    }
);

/// What a new service order asks for.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewServiceOrder {
    /// The work to do.
    pub work: String,
    /// The skills it needs.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub skills: Vec<String>,
    /// How long it takes, in minutes of working time (done in one stretch).
    pub duration_minutes: u32,
    /// The earliest start.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub earliest_start: DateTime<Utc>,
    /// When it must be done by.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub due_by: Option<DateTime<Utc>>,
    /// How urgent.
    #[serde(default = "normal")]
    pub priority: CasePriority,
    /// The customer.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub account: Option<AccountId>,
    /// The equipment.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub asset: Option<AssetId>,
    /// The case it comes from.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub case: Option<CaseId>,
}

fn normal() -> CasePriority {
    CasePriority::Normal
}

impl NewServiceOrder {
    /// Checks the input.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.work.trim().is_empty() {
            p.push("work", "say what work is to be done");
        }
        if self.duration_minutes == 0 || self.duration_minutes > 24 * 60 {
            p.push("duration_minutes", "between 1 minute and 24 hours");
        }
        if self.due_by.is_some_and(|d| d <= self.earliest_start) {
            p.push("due_by", "must be after the earliest start");
        }
        p.finish(())
    }
}

/// A booked slot.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// Who.
    pub technician: TechnicianId,
    /// From.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub start: DateTime<Utc>,
    /// To.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub end: DateTime<Utc>,
}

/// A service order.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceOrder {
    /// Its id.
    pub id: ServiceOrderId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// The work to do.
    pub work: String,
    /// The skills it needs (lower case).
    pub skills: BTreeSet<String>,
    /// Minutes of work, in one stretch.
    pub duration_minutes: u32,
    /// The earliest start.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub earliest_start: DateTime<Utc>,
    /// When it must be done by.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub due_by: Option<DateTime<Utc>>,
    /// How urgent.
    pub priority: CasePriority,
    /// The customer.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub account: Option<AccountId>,
    /// The equipment.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub asset: Option<AssetId>,
    /// The case it comes from.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub case: Option<CaseId>,
    /// The maintenance plan that generated it.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub plan: Option<MaintenancePlanId>,
    /// Where it is.
    pub status: ServiceOrderStatus,
    /// Who does it, when (once scheduled).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub assignment: Option<Assignment>,
    /// Hours worked, once completed.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<rust_decimal::Decimal>"))]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub hours_worked: Option<Decimal>,
}

impl ServiceOrder {
    /// Index slot: `open` or `scheduled` while the order is pending.
    pub const BY_STATUS: usize = 0;
    /// Index slot: the asset.
    pub const BY_ASSET: usize = 1;
    /// Index slot: the technician assigned.
    pub const BY_TECHNICIAN: usize = 2;
    /// Index slot: the case.
    pub const BY_CASE: usize = 3;

    /// An order from its checked input.
    pub fn new(id: ServiceOrderId, input: NewServiceOrder) -> Self {
        ServiceOrder {
            id,
            version: crate::id::Version::NEW,
            work: input.work.trim().to_string(),
            skills: skill_set(&input.skills),
            duration_minutes: input.duration_minutes,
            earliest_start: input.earliest_start,
            due_by: input.due_by,
            priority: input.priority,
            account: input.account,
            asset: input.asset,
            case: input.case,
            plan: None,
            status: ServiceOrderStatus::Open,
            assignment: None,
            hours_worked: None,
        }
    }

    /// Marks it done, with the hours worked.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is open or scheduled; [`Error::InvalidValue`]
    /// for negative hours.
    pub fn complete(&mut self, hours: Decimal) -> Result<()> {
        self.transition(ServiceOrderStatus::Completed)?;
        if hours < Decimal::ZERO {
            return Err(Error::invalid(
                "hours",
                hours.to_string(),
                "must not be negative",
            ));
        }
        self.hours_worked = Some(hours);
        self.status = ServiceOrderStatus::Completed;
        Ok(())
    }

    /// Calls it off (its slot is freed).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is open or scheduled.
    pub fn cancel(&mut self) -> Result<()> {
        self.transition(ServiceOrderStatus::Cancelled)?;
        self.status = ServiceOrderStatus::Cancelled;
        self.assignment = None;
        Ok(())
    }

    fn transition(&self, to: ServiceOrderStatus) -> Result<()> {
        if matches!(
            self.status,
            ServiceOrderStatus::Open | ServiceOrderStatus::Scheduled
        ) {
            Ok(())
        } else {
            Err(Error::IllegalTransition {
                kind: "service order".into(),
                from: self.status.to_string(),
                to: to.to_string(),
            })
        }
    }
}

impl_entity!(
    ServiceOrder,
    ServiceOrderId,
    EntityKind::ServiceOrder,
    |o| [
        matches!(
            o.status,
            ServiceOrderStatus::Open | ServiceOrderStatus::Scheduled
        )
        .then(|| o.status.to_string()),
        o.asset.map(|a| a.to_string()),
        o.assignment.map(|a| a.technician.to_string()),
        o.case.map(|c| c.to_string()),
        None,
        None
    ]
);

/// A technician as the scheduler sees them.
#[derive(Debug, Clone)]
pub struct Resource<'a> {
    /// Who.
    pub technician: &'a Technician,
    /// Their working time.
    pub calendar: &'a BusinessCalendar,
    /// What they are already booked for.
    pub booked: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Why an order was not placed.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Unplaced {
    /// No active technician has every skill it needs.
    NoQualifiedTechnician {
        /// The order.
        order: ServiceOrderId,
        /// The skills it needs.
        skills: BTreeSet<String>,
    },
    /// Qualified technicians exist but none has a free stretch long enough before the
    /// order's due instant (or the end of the horizon).
    NoFreeSlot {
        /// The order.
        order: ServiceOrderId,
        /// How many technicians were qualified.
        qualified: usize,
        /// The latest end considered.
        #[serde(with = "crate::time::rfc3339")]
        #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
        latest_end: DateTime<Utc>,
    },
}

/// What the scheduler did.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    /// Orders placed, with their slot, in the order they were placed.
    pub placed: Vec<(ServiceOrderId, Assignment)>,
    /// Orders left out, and why.
    pub unplaced: Vec<Unplaced>,
}

/// A technician who can take an order: (end, minutes booked, technician, index, start).
type Candidate = (DateTime<Utc>, i64, TechnicianId, usize, DateTime<Utc>);

/// Assigns `orders` to `resources` within `from..until` (see the module docs for the
/// algorithm); bookings already in `resources` are respected and new ones are added to it.
pub fn schedule(
    orders: &[ServiceOrder],
    resources: &mut [Resource<'_>],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Schedule {
    let mut queue: Vec<&ServiceOrder> = orders.iter().collect();
    queue.sort_by_key(|o| {
        (
            o.due_by.is_none(),
            o.due_by,
            std::cmp::Reverse(o.priority),
            o.earliest_start,
            o.id,
        )
    });
    for r in resources.iter_mut() {
        r.booked.sort_unstable();
    }
    let mut out = Schedule::default();
    for order in queue {
        let length = Duration::minutes(i64::from(order.duration_minutes));
        let start_at = order.earliest_start.max(from);
        let latest_end = order.due_by.map_or(until, |d| d.min(until));
        let mut qualified = 0;
        let mut best: Option<Candidate> = None;
        for (i, r) in resources.iter().enumerate() {
            if !r.technician.active || !order.skills.is_subset(&r.technician.skills) {
                continue;
            }
            qualified += 1;
            let Some(start) = first_fit(r, start_at, latest_end, length) else {
                continue;
            };
            let load: i64 = r.booked.iter().map(|(a, b)| (*b - *a).num_minutes()).sum();
            let key = (start + length, load, r.technician.id, i, start);
            if best.is_none_or(|b| (key.0, key.1, key.2) < (b.0, b.1, b.2)) {
                best = Some(key);
            }
        }
        match best {
            Some((end, _, technician, i, start)) => {
                let r = &mut resources[i];
                let at = r.booked.partition_point(|b| b.0 < start);
                r.booked.insert(at, (start, end));
                out.placed.push((
                    order.id,
                    Assignment {
                        technician,
                        start,
                        end,
                    },
                ));
            }
            None if qualified == 0 => out.unplaced.push(Unplaced::NoQualifiedTechnician {
                order: order.id,
                skills: order.skills.clone(),
            }),
            None => out.unplaced.push(Unplaced::NoFreeSlot {
                order: order.id,
                qualified,
                latest_end,
            }),
        }
    }
    out
}

/// The first start at or after `from` where `length` fits in one stretch of `r`'s working
/// time without touching a booking, ending by `latest_end`.
fn first_fit(
    r: &Resource<'_>,
    from: DateTime<Utc>,
    latest_end: DateTime<Utc>,
    length: Duration,
) -> Option<DateTime<Utc>> {
    if latest_end - from < length {
        return None;
    }
    for (a, b) in r.calendar.working_spans(from, latest_end) {
        // Subtract the bookings overlapping a..b, in order.
        let mut cursor = a;
        let first = r.booked.partition_point(|x| x.1 <= a);
        for &(bs, be) in &r.booked[first..] {
            if bs >= b {
                break;
            }
            if bs - cursor >= length {
                return Some(cursor);
            }
            cursor = cursor.max(be);
        }
        if b - cursor >= length {
            return Some(cursor);
        }
    }
    None
}

text_enum!(
    /// The unit of a maintenance recurrence.
    RecurrenceUnit, "recurrence unit", {
        /// Days.
        Days => "days",
        /// Weeks.
        Weeks => "weeks",
        /// Calendar months (the 31st falls back to the month's last day).
        Months => "months",
    }
);

/// What a new maintenance plan says.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMaintenancePlan {
    /// The asset maintained.
    pub asset: AssetId,
    /// The work to do each time.
    pub work: String,
    /// The skills it needs.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub skills: Vec<String>,
    /// Minutes of work each time.
    pub duration_minutes: u32,
    /// Every how many units.
    pub every: u32,
    /// The unit.
    pub unit: RecurrenceUnit,
    /// The first visit's day.
    pub first_due: NaiveDate,
    /// The last day a visit may fall on.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub until: Option<NaiveDate>,
    /// Days after the visit's day by which it must be done (0: that day).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub window_days: u32,
}

/// A recurring maintenance plan on an asset.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaintenancePlan {
    /// Its id.
    pub id: MaintenancePlanId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// What it says.
    pub plan: NewMaintenancePlan,
    /// How many visits have been turned into orders.
    pub generated: u32,
}

impl NewMaintenancePlan {
    /// Checks the input.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.work.trim().is_empty() {
            p.push("work", "say what work is to be done");
        }
        if self.every == 0 {
            p.push("every", "must be at least 1");
        }
        if self.duration_minutes == 0 || self.duration_minutes > 24 * 60 {
            p.push("duration_minutes", "between 1 minute and 24 hours");
        }
        if self.until.is_some_and(|u| u < self.first_due) {
            p.push("until", "before the first visit");
        }
        p.finish(())
    }

    /// The day of visit `n` (0-based), counted from the first so months do not drift.
    pub fn occurrence(&self, n: u32) -> Option<NaiveDate> {
        let k = self.every.checked_mul(n)?;
        let day = match self.unit {
            RecurrenceUnit::Days => self.first_due.checked_add_signed(Duration::days(k.into())),
            RecurrenceUnit::Weeks => self.first_due.checked_add_signed(Duration::weeks(k.into())),
            RecurrenceUnit::Months => self.first_due.checked_add_months(Months::new(k)),
        }?;
        self.until.is_none_or(|u| day <= u).then_some(day)
    }

    /// The order for visit `n` on `day`: from the start of that day (UTC) to the end of its
    /// window.
    pub fn order_for(&self, day: NaiveDate) -> NewServiceOrder {
        let start = day.and_time(NaiveTime::MIN).and_utc();
        NewServiceOrder {
            work: self.work.clone(),
            skills: self.skills.clone(),
            duration_minutes: self.duration_minutes,
            earliest_start: start,
            due_by: Some(start + Duration::days(i64::from(self.window_days) + 1)),
            priority: CasePriority::Normal,
            account: None,
            asset: Some(self.asset),
            case: None,
        }
    }
}

impl MaintenancePlan {
    /// The visits due on or before `through` not yet turned into orders: `(n, day)`.
    pub fn due_visits(&self, through: NaiveDate) -> Vec<(u32, NaiveDate)> {
        let mut out = Vec::new();
        let mut n = self.generated;
        while let Some(day) = self.plan.occurrence(n) {
            if day > through {
                break;
            }
            out.push((n, day));
            n += 1;
        }
        out
    }
}

impl_entity!(
    MaintenancePlan,
    MaintenancePlanId,
    EntityKind::MaintenancePlan,
    |m| [Some(m.plan.asset.to_string()), None, None, None, None, None]
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::calendar::WorkingInterval;
    use chrono::{TimeZone, Weekday};

    fn t(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
    }

    fn weekdays_9_to_17() -> BusinessCalendar {
        let hm = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        let intervals = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .map(|weekday| WorkingInterval {
            weekday,
            start: hm(9),
            end: hm(17),
        })
        .collect();
        BusinessCalendar::new(chrono_tz::UTC, intervals, BTreeSet::new()).unwrap()
    }

    fn tech(id: u64, skills: &[&str]) -> Technician {
        Technician::new(
            TechnicianId::new(id).unwrap(),
            NewTechnician {
                name: format!("T{id}"),
                skills: skills.iter().map(|s| s.to_string()).collect(),
                calendar: "office".into(),
            },
        )
        .unwrap()
    }

    fn order(id: u64, skills: &[&str], minutes: u32, due: Option<DateTime<Utc>>) -> ServiceOrder {
        ServiceOrder::new(
            ServiceOrderId::new(id).unwrap(),
            NewServiceOrder {
                work: format!("job {id}"),
                skills: skills.iter().map(|s| s.to_string()).collect(),
                duration_minutes: minutes,
                earliest_start: t(23, 9, 0),
                due_by: due,
                priority: CasePriority::Normal,
                account: None,
                asset: None,
                case: None,
            },
        )
    }

    /// Monday 23 November 2026. Two technicians; the electrician already has 9–12 booked.
    #[test]
    fn greedy_earliest_finish_without_overlaps() {
        let cal = weekdays_9_to_17();
        let (a, b) = (tech(1, &["Electrical", "hvac"]), tech(2, &["hvac"]));
        let mut resources = vec![
            Resource {
                technician: &a,
                calendar: &cal,
                booked: vec![(t(23, 9, 0), t(23, 12, 0))],
            },
            Resource {
                technician: &b,
                calendar: &cal,
                booked: vec![],
            },
        ];
        let orders = vec![
            order(1, &["electrical"], 240, Some(t(24, 17, 0))),
            order(2, &["hvac"], 120, Some(t(23, 17, 0))),
            order(3, &["plumbing"], 60, None),
            order(4, &["electrical"], 480, Some(t(23, 17, 0))),
            order(5, &["hvac"], 600, None),
        ];
        let s = schedule(&orders, &mut resources, t(23, 8, 0), t(28, 0, 0));
        let placed: Vec<(u64, u64, DateTime<Utc>, DateTime<Utc>)> = s
            .placed
            .iter()
            .map(|(o, a)| (o.get(), a.technician.get(), a.start, a.end))
            .collect();
        // Order 2 (due today) first: technician 2 finishes at 11:00, technician 1 only at 14:00.
        // Order 4 (due today, 8 h) cannot fit around the morning booking: unplaced.
        // Order 1 (due tomorrow): technician 1 from 12:00 to 16:00.
        assert_eq!(
            placed,
            vec![
                (2, 2, t(23, 9, 0), t(23, 11, 0)),
                (1, 1, t(23, 12, 0), t(23, 16, 0)),
            ]
        );
        assert_eq!(
            s.unplaced,
            vec![
                Unplaced::NoFreeSlot {
                    order: ServiceOrderId::new(4).unwrap(),
                    qualified: 1,
                    latest_end: t(23, 17, 0)
                },
                Unplaced::NoQualifiedTechnician {
                    order: ServiceOrderId::new(3).unwrap(),
                    skills: ["plumbing".to_string()].into()
                },
                Unplaced::NoFreeSlot {
                    order: ServiceOrderId::new(5).unwrap(),
                    qualified: 2,
                    latest_end: t(28, 0, 0)
                },
            ]
        );
        // No technician is double-booked.
        for r in &resources {
            for w in r.booked.windows(2) {
                assert!(w[0].1 <= w[1].0);
            }
        }
    }

    #[test]
    fn maintenance_recurs_without_drift() {
        let plan = NewMaintenancePlan {
            asset: AssetId::new(1).unwrap(),
            work: "Service".into(),
            skills: vec![],
            duration_minutes: 60,
            every: 1,
            unit: RecurrenceUnit::Months,
            first_due: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            until: Some(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()),
            window_days: 6,
        };
        plan.check().unwrap();
        let mut m = MaintenancePlan {
            id: MaintenancePlanId::new(1).unwrap(),
            version: crate::id::Version::new(0),
            plan,
            generated: 0,
        };
        let days: Vec<String> = m
            .due_visits(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap())
            .iter()
            .map(|(_, d)| d.to_string())
            .collect();
        assert_eq!(
            days,
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
        );
        m.generated = 2;
        assert_eq!(
            m.due_visits(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap())
                .len(),
            1
        );
        let o = m
            .plan
            .order_for(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        assert_eq!(o.due_by.unwrap() - o.earliest_start, Duration::days(7));
    }
}
