//! Activities: calls, meetings, e-mails and tasks linked to any record, with due time,
//! duration, attendees (contacts, leads and users), reminders, recurrence (an iCalendar
//! RRULE, read with the `rrule` crate), outcome, completion and cancellation. A call is
//! one record: the number, direction, time, duration, purpose, outcome and follow-up; it
//! counts as `phone_call` engagement for scoring ([`call_touches`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::{ActivityId, ContactId, LeadId, RecordRef};
use crate::lead::text_enum;
use crate::store::{EntityKind, impl_entity};
use crate::tracking::{CallDirection, Touchpoint, TouchpointKind};

text_enum!(
    /// What kind of activity.
    ActivityKind, "activity kind", {
        /// A phone call.
        Call => "call",
        /// A meeting.
        Meeting => "meeting",
        /// An e-mail.
        Email => "email" | "e-mail",
        /// A to-do.
        Task => "task",
    }
);

/// A call, meeting, e-mail or task.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Id, assigned by the store.
    pub id: ActivityId,
    /// Version.
    pub version: crate::id::Version,
    /// Kind.
    pub kind: ActivityKind,
    /// What it is about.
    pub subject: RecordRef,
    /// A one-line summary.
    pub title: String,
    /// Details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notes: Option<String>,
    /// Who does it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// When it is due (or starts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub due_at: Option<DateTime<Utc>>,
    /// Planned or actual length in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub duration_minutes: Option<u32>,
    /// When it was completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub completed_at: Option<DateTime<Utc>>,
    /// What came of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub outcome: Option<String>,
    /// Who takes part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub attendees: Vec<Attendee>,
    /// Reminders, in minutes before the due time (of each occurrence).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub reminders: Vec<u32>,
    /// How it repeats: an iCalendar RRULE from the due time (`FREQ=WEEKLY;COUNT=10`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub recurrence: Option<String>,
    /// For a call: the number, direction, purpose and follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<CallDetails>,
    /// When it was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Why it was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cancel_reason: Option<String>,
    /// Created.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub created_at: DateTime<Utc>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl Activity {
    /// Slot of the subject key.
    pub const BY_SUBJECT: usize = 0;
    /// Slot of the owner.
    pub const BY_OWNER: usize = 1;
    /// Slot of the open/done state (`open` or `done`).
    pub const BY_STATE: usize = 2;

    /// Whether it is done.
    pub fn is_done(&self) -> bool {
        self.completed_at.is_some()
    }

    /// Whether it is open and past due at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.is_open() && self.due_at.is_some_and(|d| d < now)
    }

    /// Whether it was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled_at.is_some()
    }

    /// Neither done nor cancelled.
    pub fn is_open(&self) -> bool {
        !self.is_done() && !self.is_cancelled()
    }

    /// `open`, `done` or `cancelled`.
    pub fn state(&self) -> &'static str {
        if self.is_cancelled() {
            "cancelled"
        } else if self.is_done() {
            "done"
        } else {
            "open"
        }
    }

    /// Cancels it at `at`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when it is done or cancelled already.
    pub fn cancel(&mut self, at: DateTime<Utc>, reason: Option<String>) -> Result<()> {
        if !self.is_open() {
            return Err(Error::IllegalTransition {
                kind: "activity".into(),
                from: self.state().into(),
                to: "cancelled".into(),
            });
        }
        self.cancelled_at = Some(at);
        self.cancel_reason = reason
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        Ok(())
    }

    /// Its occurrences in `[from, until]`, at most `limit`: the due time of a one-off
    /// activity, every due time of a recurring one.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a recurrence rule that does not read.
    pub fn occurrences(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DateTime<Utc>>> {
        let Some(start) = self.due_at else {
            return Ok(Vec::new());
        };
        match &self.recurrence {
            None => Ok(if start >= from && start <= until && limit > 0 {
                vec![start]
            } else {
                Vec::new()
            }),
            Some(rule) => recurrence_between(rule, start, from, until, limit),
        }
    }

    /// Checks what an edit may have changed: a title, a readable recurrence from a due
    /// time, a call only on a call.
    ///
    /// # Errors
    /// [`Error::Validation`] naming each problem.
    pub fn check_schedule(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.title.trim().is_empty() {
            p.push("title", "must not be blank");
        }
        check_plan(
            &mut p,
            self.due_at,
            self.recurrence.as_deref(),
            &self.reminders,
            &self.attendees,
        );
        if self.call.is_some() && self.kind != ActivityKind::Call {
            p.push("call", "only a call has call details");
        }
        p.finish(())
    }

    /// Marks it done at `at` with an outcome.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when it is already done.
    pub fn complete(&mut self, at: DateTime<Utc>, outcome: Option<String>) -> Result<()> {
        if !self.is_open() {
            return Err(Error::IllegalTransition {
                kind: "activity".into(),
                from: self.state().into(),
                to: "done".into(),
            });
        }
        self.completed_at = Some(at);
        self.outcome = outcome;
        Ok(())
    }
}

impl_entity!(Activity, ActivityId, EntityKind::Activity, |a| [
    Some(a.subject.key()),
    a.owner.clone(),
    Some(a.state().to_string()),
    None,
    None,
    None
]);

/// An activity to log or schedule.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewActivity {
    /// Kind.
    pub kind: ActivityKind,
    /// What it is about.
    pub subject: RecordRef,
    /// Summary.
    pub title: String,
    /// Details.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notes: Option<String>,
    /// Who.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// Due or start time.
    #[serde(default)]
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub due_at: Option<DateTime<Utc>>,
    /// Minutes.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub duration_minutes: Option<u32>,
    /// Who takes part.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub attendees: Vec<Attendee>,
    /// Reminders, in minutes before the due time.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub reminders: Vec<u32>,
    /// How it repeats: an iCalendar RRULE from the due time (`FREQ=WEEKLY;COUNT=10`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub recurrence: Option<String>,
    /// Custom field values by name ([`crate::custom`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub custom: crate::custom::CustomValues,
}

impl NewActivity {
    /// A new activity of `kind` about `subject`.
    pub fn new(kind: ActivityKind, subject: RecordRef, title: impl Into<String>) -> Self {
        NewActivity {
            kind,
            subject,
            title: title.into(),
            notes: None,
            owner: None,
            due_at: None,
            duration_minutes: None,
            attendees: Vec::new(),
            reminders: Vec::new(),
            recurrence: None,
            custom: Default::default(),
        }
    }

    /// Checks it.
    ///
    /// # Errors
    /// [`Error::Validation`] when the title is blank or a meeting has no time.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.title.trim().is_empty() {
            p.push("title", "must not be blank");
        }
        if self.kind == ActivityKind::Meeting && self.due_at.is_none() {
            p.push("due_at", "a meeting needs a time");
        }
        check_plan(
            &mut p,
            self.due_at,
            self.recurrence.as_deref(),
            &self.reminders,
            &self.attendees,
        );
        p.finish(())
    }
}

/// Someone who takes part in an activity.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Attendee {
    /// A contact.
    Contact {
        /// The contact.
        id: ContactId,
    },
    /// A lead.
    Lead {
        /// The lead.
        id: LeadId,
    },
    /// A user of the CRM.
    User {
        /// Their login.
        login: String,
    },
}

/// What a call records beyond an activity's own fields (time, duration, outcome, notes).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallDetails {
    /// The number dialled (or that called), as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub number: Option<String>,
    /// Who called.
    pub direction: CallDirection,
    /// What it was for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub purpose: Option<String>,
    /// When to follow up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub follow_up_at: Option<DateTime<Utc>>,
}

/// A call that took place, to log as one record.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCall {
    /// Who or what it was with (a lead, contact, account or opportunity).
    pub subject: RecordRef,
    /// Who called.
    pub direction: CallDirection,
    /// When it started.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub at: DateTime<Utc>,
    /// How long it took, in seconds.
    pub duration_secs: u32,
    /// The number dialled (or that called).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub number: Option<String>,
    /// A summary (default: `Call`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub title: Option<String>,
    /// What it was for.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub purpose: Option<String>,
    /// What came of it.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub outcome: Option<String>,
    /// When to follow up.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub follow_up_at: Option<DateTime<Utc>>,
    /// Who made or took it.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// Notes.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notes: Option<String>,
}

/// A reminder due in a window: which activity, which occurrence, when to remind.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    /// The activity.
    pub activity: ActivityId,
    /// Its title.
    pub title: String,
    /// Its owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub owner: Option<String>,
    /// The occurrence it is for.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub occurrence: DateTime<Utc>,
    /// When to remind.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub remind_at: DateTime<Utc>,
}

/// Occurrences listed at most at once.
pub const MAX_OCCURRENCES: usize = 1000;
/// A reminder at most this long before (30 days).
pub const MAX_REMINDER_MINUTES: u32 = 43_200;

fn check_plan(
    p: &mut Problems,
    due_at: Option<DateTime<Utc>>,
    recurrence: Option<&str>,
    reminders: &[u32],
    attendees: &[Attendee],
) {
    if let Some(rule) = recurrence {
        match due_at {
            None => p.push(
                "recurrence",
                "a recurring activity needs a due time to start from",
            ),
            Some(start) => {
                if let Err(e) = recurrence_between(rule, start, start, start, 1) {
                    p.push("recurrence", e.to_string());
                }
            }
        }
    }
    if !reminders.is_empty() && due_at.is_none() {
        p.push("reminders", "a reminder needs a due time");
    }
    if reminders.iter().any(|m| *m > MAX_REMINDER_MINUTES) {
        p.push(
            "reminders",
            "a reminder is at most 30 days (43 200 minutes) before",
        );
    }
    for (i, a) in attendees.iter().enumerate() {
        if let Attendee::User { login } = a
            && login.trim().is_empty()
        {
            p.push(format!("attendees[{i}]"), "names no user");
        }
        if attendees[..i].contains(a) {
            p.push(format!("attendees[{i}]"), "is listed twice");
        }
    }
}

/// The occurrences of `rule` from `start` within `[from, until]`, at most `limit`.
fn recurrence_between(
    rule: &str,
    start: DateTime<Utc>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<DateTime<Utc>>> {
    let text = rule.trim();
    let text = text.strip_prefix("RRULE:").unwrap_or(text);
    let bad = |e: &dyn std::fmt::Display| Error::invalid("recurrence", rule, e.to_string());
    let parsed: rrule::RRule<rrule::Unvalidated> = text.parse().map_err(|e| bad(&e))?;
    let tz_start = start.with_timezone(&rrule::Tz::UTC);
    let set = parsed.build(tz_start).map_err(|e| bad(&e))?;
    let limit = u16::try_from(limit.min(MAX_OCCURRENCES)).unwrap_or(u16::MAX);
    let found = set
        .after(from.with_timezone(&rrule::Tz::UTC))
        .before(until.with_timezone(&rrule::Tz::UTC))
        .all(limit);
    Ok(found
        .dates
        .into_iter()
        .map(|d| d.with_timezone(&Utc))
        .collect())
}

/// The calls among `activities` as the `phone_call` touchpoints they count as for
/// engagement (a call is stored once, as an activity; scoring reads it as a touch).
pub fn call_touches(activities: &[Activity]) -> Vec<Touchpoint> {
    activities
        .iter()
        .filter(|a| !a.is_cancelled())
        .filter_map(|a| {
            let call = a.call.as_ref()?;
            let at = a.due_at?;
            let secs = a
                .completed_at
                .map_or(0, |end| (end - at).num_seconds().max(0));
            Some(Touchpoint {
                id: <crate::id::TouchpointId as crate::store::RecordId>::from_raw(a.id.get()),
                version: a.version,
                subject: a.subject,
                at,
                kind: TouchpointKind::PhoneCall {
                    direction: call.direction,
                    duration_secs: u32::try_from(secs).unwrap_or(u32::MAX),
                    outcome: a.outcome.clone(),
                },
                attribution: Default::default(),
            })
        })
        .collect()
}
