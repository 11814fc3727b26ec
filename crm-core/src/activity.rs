//! Activities: calls, meetings, e-mails and tasks linked to any record, with due time,
//! duration, outcome and completion.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};
use crate::id::{ActivityId, RecordRef};
use crate::lead::text_enum;
use crate::store::{EntityKind, impl_entity};

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
        !self.is_done() && self.due_at.is_some_and(|d| d < now)
    }

    /// Marks it done at `at` with an outcome.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] when it is already done.
    pub fn complete(&mut self, at: DateTime<Utc>, outcome: Option<String>) -> Result<()> {
        if self.is_done() {
            return Err(Error::IllegalTransition {
                kind: "activity".into(),
                from: "done".into(),
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
    Some(if a.is_done() { "done" } else { "open" }.to_string()),
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
        p.finish(())
    }
}
