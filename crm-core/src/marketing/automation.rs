//! Marketing automation: rules that react to what happens (events of the store's log, and
//! quotes about to expire) with actions — send an e-mail template with merge fields,
//! create a task, assign an owner by round robin or territory, set the rating, add to a
//! campaign or segment, wait and re-check.
//!
//! The engine is pure: [`plan`] reads one event (with a [`Context`] to look up the record
//! it is about) and returns [`PlannedAction`]s, each with an idempotency key
//! (`rule/<id>/event/<sequence>/<action index>`). The facade stores the actions it has not
//! stored before (the key is unique) and the event cursor in the same transaction, so after
//! a crash nothing is skipped and nothing is planned twice; the host carries the actions out
//! and marks them done.
//!
//! Templates render `{{field}}` merge fields with HTML escaping. Missing fields follow the
//! template's policy: `blank` renders nothing in their place and lists them in the
//! rendered e-mail (`missing`), `skip` does not send it at all (the action is recorded as
//! skipped, naming the fields).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Problems, Result};
use crate::event::EventEnvelope;
use crate::id::{AutomationActionId, AutomationRuleId, AutomationStateId};
use crate::store::{EntityKind, impl_entity};

/// A condition on the event and the record it is about.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "if", rename_all = "snake_case")]
pub enum Condition {
    /// A field of the record equals the value (case-insensitive): `source`, `utm_source`,
    /// `country`, `status`…
    FieldEquals {
        /// The field.
        field: String,
        /// The value.
        value: String,
    },
    /// A member of the event payload equals the value (`kind`, `metric`, `source`…).
    PayloadEquals {
        /// The payload member.
        member: String,
        /// The value.
        value: String,
    },
    /// The event's score (`LeadScored`) is at least this.
    ScoreAtLeast {
        /// The threshold.
        score: f64,
    },
}

/// What starts a rule.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Trigger {
    /// An event of the log.
    Event {
        /// Its type (`LeadCaptured`, `TouchpointRecorded`, `LeadScored`, `SlaWarning`…).
        event_type: String,
        /// Every condition must hold.
        #[serde(default)]
        conditions: Vec<Condition>,
    },
    /// A sent quote whose validity ends within `within_days` (checked on every run).
    QuoteExpiring {
        /// How close to the end.
        within_days: u32,
    },
}

/// What to do when missing merge fields are met.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingFields {
    /// Render nothing in their place and list them.
    #[default]
    Blank,
    /// Do not send; record the action as skipped.
    Skip,
}

/// An e-mail template.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Its name.
    pub name: String,
    /// The subject line, with `{{field}}`s.
    pub subject: String,
    /// The HTML body, with `{{field}}`s (values are HTML-escaped).
    pub body: String,
    /// The policy for missing fields.
    #[serde(default)]
    pub missing: MissingFields,
}

/// A rendered e-mail.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedEmail {
    /// The template.
    pub template: String,
    /// The recipient (the record's `email` field).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub to: Option<String>,
    /// The subject line.
    pub subject: String,
    /// The body.
    pub body: String,
    /// Merge fields that had no value.
    pub missing: Vec<String>,
}

fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Renders `text`'s `{{field}}`s from `fields`, HTML-escaping values (`escape`), adding
/// missing names to `missing`. An unclosed `{{` is kept as text.
pub fn render(
    text: &str,
    fields: &BTreeMap<String, String>,
    escape: bool,
    missing: &mut BTreeSet<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = rest[open + 2..open + 2 + close].trim().to_lowercase();
        match fields.get(&name).filter(|v| !v.is_empty()) {
            Some(v) if escape => escape_html(v, &mut out),
            Some(v) => out.push_str(v),
            None => {
                missing.insert(name);
            }
        }
        rest = &rest[open + 2 + close + 2..];
    }
    out.push_str(rest);
    out
}

impl Template {
    /// The e-mail for a record with `fields`.
    pub fn render(&self, fields: &BTreeMap<String, String>) -> RenderedEmail {
        let mut missing = BTreeSet::new();
        // Subject lines are plain text: no escaping; bodies are HTML.
        let subject = render(&self.subject, fields, false, &mut missing);
        let body = render(&self.body, fields, true, &mut missing);
        RenderedEmail {
            template: self.name.clone(),
            to: fields.get("email").cloned(),
            subject,
            body,
            missing: missing.into_iter().collect(),
        }
    }
}

/// An action of a rule.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Action {
    /// Send an e-mail.
    SendEmail {
        /// The template.
        template: Template,
    },
    /// Create a task.
    CreateTask {
        /// Its title (merge fields allowed).
        title: String,
        /// Due this many days after the event.
        due_in_days: u32,
        /// Its owner (none: the record's owner).
        #[serde(default)]
        owner: Option<String>,
    },
    /// Assign the record to the next owner in turn.
    AssignRoundRobin {
        /// The owners, in turn.
        owners: Vec<String>,
    },
    /// Assign the record by its country.
    AssignByTerritory {
        /// Country (ISO code) → owner.
        territories: BTreeMap<String, String>,
        /// Owner for other countries (none: leave it).
        #[serde(default)]
        default: Option<String>,
    },
    /// Set the lead's rating (`hot`, `warm`, `cold`).
    SetRating {
        /// The rating.
        rating: String,
    },
    /// Add the record to a campaign's members.
    AddToCampaign {
        /// The campaign code.
        campaign: String,
    },
    /// Pin the record in a segment.
    AddToSegment {
        /// The segment name.
        segment: String,
    },
    /// Wait, then re-check `conditions` on the record as it is then, and do `then`.
    Wait {
        /// How long.
        days: u32,
        /// Conditions checked after the wait.
        #[serde(default)]
        conditions: Vec<Condition>,
        /// What to do if they hold.
        then: Vec<Action>,
    },
}

/// A rule.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutomationRule {
    /// Its id.
    pub id: AutomationRuleId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// Its name (unique, case-insensitive).
    pub name: String,
    /// Whether it runs.
    pub active: bool,
    /// What starts it.
    pub trigger: Trigger,
    /// What it does.
    pub actions: Vec<Action>,
    /// Fire at most once per record (a score *crossing* a threshold, a welcome e-mail).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub once_per_record: bool,
}

impl AutomationRule {
    /// Index slot: the name, lower case.
    pub const BY_NAME: usize = 0;

    /// Checks a rule's parts.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] naming every problem.
    pub fn check(name: &str, trigger: &Trigger, actions: &[Action]) -> Result<()> {
        let mut p = Problems::new();
        if name.trim().is_empty() {
            p.push("name", "a rule needs a name");
        }
        if let Trigger::Event { event_type, .. } = trigger
            && event_type.trim().is_empty()
        {
            p.push("trigger.event_type", "names no event type");
        }
        if actions.is_empty() {
            p.push("actions", "a rule needs at least one action");
        }
        fn walk(p: &mut Problems, actions: &[Action], path: &str) {
            for (i, a) in actions.iter().enumerate() {
                let at = format!("{path}[{i}]");
                match a {
                    Action::AssignRoundRobin { owners } if owners.is_empty() => {
                        p.push(at, "round robin needs owners")
                    }
                    Action::SetRating { rating }
                        if rating.parse::<crate::lead::Rating>().is_err() =>
                    {
                        p.push(at, format!("unknown rating {rating:?}"))
                    }
                    Action::Wait { then, .. } if then.is_empty() => {
                        p.push(at, "a wait needs actions after it")
                    }
                    Action::Wait { then, .. } => walk(p, then, &format!("{at}.then")),
                    Action::SendEmail { template }
                        if template.subject.trim().is_empty()
                            || template.body.trim().is_empty() =>
                    {
                        p.push(at, "a template needs a subject and a body")
                    }
                    _ => {}
                }
            }
        }
        walk(&mut p, actions, "actions");
        p.finish(())
    }
}

impl_entity!(
    AutomationRule,
    AutomationRuleId,
    EntityKind::AutomationRule,
    |r| [
        Some(r.name.trim().to_lowercase()),
        None,
        None,
        None,
        None,
        None
    ]
);

/// The record an event is about, as the engine sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    /// Its kind and id (`lead`, 4).
    pub kind: String,
    /// Its id.
    pub id: u64,
    /// Its fields by name, for conditions and merge fields (`email`, `first_name`,
    /// `country`, `owner`, `source`, …).
    pub fields: BTreeMap<String, String>,
    /// Why the person it concerns may not be e-mailed, if they may not
    /// ([`crate::consent`]): its e-mails are then skipped with this reason.
    pub no_email: Option<String>,
}

/// What the engine needs from the store: the record an event is about.
pub trait Context {
    /// The record `event` is about (a touchpoint's lead or contact, a case…), if any.
    fn subject_of(&self, event: &EventEnvelope) -> Option<Subject>;
}

/// What an action resolved to, for the host to carry out.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Planned {
    /// Send this e-mail.
    SendEmail {
        /// It.
        email: RenderedEmail,
    },
    /// Create this task.
    CreateTask {
        /// Its title.
        title: String,
        /// When it is due.
        #[serde(with = "crate::time::rfc3339")]
        #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
        due_at: DateTime<Utc>,
        /// Its owner.
        owner: Option<String>,
    },
    /// Make `owner` the record's owner.
    AssignOwner {
        /// The owner.
        owner: String,
    },
    /// Set the lead's rating.
    SetRating {
        /// The rating.
        rating: String,
    },
    /// Add the record to a campaign.
    AddToCampaign {
        /// The campaign code.
        campaign: String,
    },
    /// Pin the record in a segment.
    AddToSegment {
        /// The segment name.
        segment: String,
    },
    /// Re-check later.
    Wait {
        /// When.
        #[serde(with = "crate::time::rfc3339")]
        #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
        until: DateTime<Utc>,
        /// The conditions then.
        conditions: Vec<Condition>,
        /// What to do then.
        then: Vec<Action>,
    },
    /// Nothing: the action was skipped (why).
    Skipped {
        /// Why.
        reason: String,
    },
}

/// An action planned by a rule, with its idempotency key.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedAction {
    /// Unique per rule, event and action: the same event never plans the same action twice.
    pub key: String,
    /// The rule.
    pub rule: AutomationRuleId,
    /// The record it is about (`lead`, `contact`, `service_case`, `quote`…).
    pub subject_kind: String,
    /// Its id.
    pub subject_id: u64,
    /// What to do.
    pub planned: Planned,
}

/// Per-rule state the engine keeps between runs (stored with the cursor).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineState {
    /// The last event planned from.
    pub cursor: u64,
    /// Round-robin turns: `rule/action path` → next index.
    #[serde(default)]
    pub turns: BTreeMap<String, usize>,
    /// Rules fired once per record: `rule/kind:id`.
    #[serde(default)]
    pub fired: BTreeSet<String>,
}

fn holds(c: &Condition, event: Option<&EventEnvelope>, subject: &Subject) -> bool {
    let eq = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    match c {
        Condition::FieldEquals { field, value } => subject
            .fields
            .get(&field.trim().to_lowercase())
            .is_some_and(|v| eq(v, value)),
        Condition::PayloadEquals { member, value } => event
            .and_then(|e| e.payload.get(member.trim()))
            .is_some_and(|v| match v {
                serde_json::Value::String(s) => eq(s, value),
                other => eq(&other.to_string(), value),
            }),
        Condition::ScoreAtLeast { score } => event
            .and_then(|e| e.payload.get("score"))
            .and_then(serde_json::Value::as_f64)
            .is_some_and(|s| s >= *score),
    }
}

/// Resolves `actions` for `subject` at `at` under `key_prefix`.
pub fn resolve(
    rule: &AutomationRule,
    actions: &[Action],
    subject: &Subject,
    at: DateTime<Utc>,
    key_prefix: &str,
    state: &mut EngineState,
) -> Vec<PlannedAction> {
    let mut out = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        let key = format!("{key_prefix}/{i}");
        let owner = subject.fields.get("owner").cloned();
        let planned = match a {
            Action::SendEmail { template } => {
                let email = template.render(&subject.fields);
                if let Some(reason) = &subject.no_email {
                    Planned::Skipped {
                        reason: format!("may not be e-mailed: {reason}"),
                    }
                } else if email.to.is_none() {
                    Planned::Skipped {
                        reason: "the record has no e-mail address".into(),
                    }
                } else if !email.missing.is_empty() && template.missing == MissingFields::Skip {
                    Planned::Skipped {
                        reason: format!("missing merge fields: {}", email.missing.join(", ")),
                    }
                } else {
                    Planned::SendEmail { email }
                }
            }
            Action::CreateTask {
                title,
                due_in_days,
                owner: task_owner,
            } => Planned::CreateTask {
                title: render(title, &subject.fields, false, &mut BTreeSet::new()),
                due_at: at + Duration::days(i64::from(*due_in_days)),
                owner: task_owner.clone().or(owner),
            },
            Action::AssignRoundRobin { owners } => {
                let turn = state
                    .turns
                    .entry(format!(
                        "{}/{key_prefix_tail}",
                        rule.id,
                        key_prefix_tail = i
                    ))
                    .or_insert(0);
                let owner = owners[*turn % owners.len()].clone();
                *turn = (*turn + 1) % owners.len();
                Planned::AssignOwner { owner }
            }
            Action::AssignByTerritory {
                territories,
                default,
            } => {
                let country = subject
                    .fields
                    .get("country")
                    .map(|c| c.trim().to_uppercase());
                match country
                    .and_then(|c| territories.iter().find(|(k, _)| k.eq_ignore_ascii_case(&c)))
                    .map(|(_, v)| v.clone())
                    .or_else(|| default.clone())
                {
                    Some(owner) => Planned::AssignOwner { owner },
                    None => Planned::Skipped {
                        reason: "no territory for the record's country".into(),
                    },
                }
            }
            Action::SetRating { rating } => Planned::SetRating {
                rating: rating.clone(),
            },
            Action::AddToCampaign { campaign } => Planned::AddToCampaign {
                campaign: campaign.clone(),
            },
            Action::AddToSegment { segment } => Planned::AddToSegment {
                segment: segment.clone(),
            },
            Action::Wait {
                days,
                conditions,
                then,
            } => Planned::Wait {
                until: at + Duration::days(i64::from(*days)),
                conditions: conditions.clone(),
                then: then.clone(),
            },
        };
        out.push(PlannedAction {
            key,
            rule: rule.id,
            subject_kind: subject.kind.clone(),
            subject_id: subject.id,
            planned,
        });
    }
    out
}

/// The actions `rules` plan for one event (its sequence must be above `state.cursor`;
/// the cursor moves to it).
pub fn plan(
    rules: &[AutomationRule],
    event: &EventEnvelope,
    ctx: &dyn Context,
    state: &mut EngineState,
) -> Vec<PlannedAction> {
    state.cursor = state.cursor.max(event.sequence);
    let mut out = Vec::new();
    let mut subject: Option<Option<Subject>> = None;
    for rule in rules.iter().filter(|r| r.active) {
        let Trigger::Event {
            event_type,
            conditions,
        } = &rule.trigger
        else {
            continue;
        };
        if event_type != &event.event_type {
            continue;
        }
        let Some(s) = subject.get_or_insert_with(|| ctx.subject_of(event)).clone() else {
            continue;
        };
        if !conditions.iter().all(|c| holds(c, Some(event), &s)) {
            continue;
        }
        if rule.once_per_record
            && !state
                .fired
                .insert(format!("{}/{}:{}", rule.id, s.kind, s.id))
        {
            continue;
        }
        let prefix = format!("rule/{}/event/{}", rule.id, event.sequence);
        out.extend(resolve(rule, &rule.actions, &s, event.at, &prefix, state));
    }
    out
}

/// The actions of a wait that is due: its `then` if its conditions hold on the record as
/// it is now, else one skipped action.
pub fn after_wait(
    rule: &AutomationRule,
    key: &str,
    conditions: &[Condition],
    then: &[Action],
    subject: &Subject,
    now: DateTime<Utc>,
    state: &mut EngineState,
) -> Vec<PlannedAction> {
    if conditions.iter().all(|c| holds(c, None, subject)) {
        resolve(rule, then, subject, now, key, state)
    } else {
        vec![PlannedAction {
            key: format!("{key}/skipped"),
            rule: rule.id,
            subject_kind: subject.kind.clone(),
            subject_id: subject.id,
            planned: Planned::Skipped {
                reason: "the conditions no longer held after the wait".into(),
            },
        }]
    }
}

/// The engine's state as stored (one record, id 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutomationStateRecord {
    /// Its id.
    pub id: AutomationStateId,
    /// Its version.
    #[serde(default)]
    pub version: crate::id::Version,
    /// The state.
    pub state: EngineState,
}

impl_entity!(
    AutomationStateRecord,
    AutomationStateId,
    EntityKind::AutomationState,
    |_s| [None, None, None, None, None, None]
);

/// Where a stored action is.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// For the host to carry out.
    Pending,
    /// A wait not due yet.
    Waiting,
    /// Carried out.
    Done,
    /// Failed (the host said why).
    Failed,
    /// Nothing to do.
    Skipped,
}

/// A planned action as stored (the outbox).
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutomationAction {
    /// Its id.
    pub id: AutomationActionId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// The action.
    #[serde(flatten)]
    pub action: PlannedAction,
    /// Where it is.
    pub status: ActionStatus,
    /// When it was planned.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub planned_at: DateTime<Utc>,
    /// Why it failed or was skipped.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub note: Option<String>,
    /// When the host marked it done or failed.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub finished_at: Option<DateTime<Utc>>,
}

impl AutomationAction {
    /// Index slot: the idempotency key.
    pub const BY_KEY: usize = 0;
    /// Index slot: the status while pending or waiting.
    pub const BY_STATUS: usize = 1;
}

impl_entity!(
    AutomationAction,
    AutomationActionId,
    EntityKind::AutomationAction,
    |a| [
        Some(a.action.key.clone()),
        matches!(a.status, ActionStatus::Pending | ActionStatus::Waiting).then(|| {
            serde_json::to_value(a.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }),
        None,
        None,
        None,
        None
    ]
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::DomainEvent;
    use crate::id::LeadId;
    use chrono::TimeZone;
    use proptest::prelude::*;

    struct Leads;
    impl Context for Leads {
        fn subject_of(&self, e: &EventEnvelope) -> Option<Subject> {
            (e.aggregate == EntityKind::Lead).then(|| Subject {
                kind: "lead".into(),
                id: e.aggregate_id,
                no_email: None,
                fields: [
                    (
                        "email".to_string(),
                        format!("l{}@example.com", e.aggregate_id),
                    ),
                    ("first_name".to_string(), "<Ada & Co>".to_string()),
                    (
                        "country".to_string(),
                        if e.aggregate_id.is_multiple_of(2) {
                            "DE"
                        } else {
                            "US"
                        }
                        .to_string(),
                    ),
                    ("source".to_string(), "web_form".to_string()),
                ]
                .into(),
            })
        }
    }

    fn event(seq: u64, lead: u64, score: f64) -> EventEnvelope {
        let ev = DomainEvent::LeadScored {
            lead: LeadId::new(lead).unwrap(),
            score,
            rating: None,
        };
        EventEnvelope::from_new(
            seq,
            &ev.to_new_event(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap())
                .unwrap(),
        )
    }

    fn rules() -> Vec<AutomationRule> {
        vec![AutomationRule {
            id: AutomationRuleId::new(1).unwrap(),
            version: crate::id::Version::new(1),
            name: "hot leads".into(),
            active: true,
            trigger: Trigger::Event {
                event_type: "LeadScored".into(),
                conditions: vec![Condition::ScoreAtLeast { score: 0.8 }],
            },
            actions: vec![
                Action::SendEmail {
                    template: Template {
                        name: "welcome".into(),
                        subject: "Hello {{first_name}}".into(),
                        body: "<p>Dear {{first_name}}, {{unknown}}</p>".into(),
                        missing: MissingFields::Blank,
                    },
                },
                Action::AssignRoundRobin {
                    owners: vec!["ann".into(), "bob".into()],
                },
                Action::AssignByTerritory {
                    territories: [("DE".to_string(), "dieter".to_string())].into(),
                    default: None,
                },
            ],
            once_per_record: true,
        }]
    }

    #[test]
    fn templates_escape_and_report_missing_fields() {
        let mut state = EngineState::default();
        let out = plan(&rules(), &event(1, 2, 0.9), &Leads, &mut state);
        assert_eq!(out.len(), 3);
        let Planned::SendEmail { email } = &out[0].planned else {
            panic!()
        };
        assert_eq!(email.subject, "Hello <Ada & Co>");
        assert_eq!(email.body, "<p>Dear &lt;Ada &amp; Co&gt;, </p>");
        assert_eq!(email.missing, ["unknown"]);
        assert_eq!(
            out[1].planned,
            Planned::AssignOwner {
                owner: "ann".into()
            }
        );
        assert_eq!(
            out[2].planned,
            Planned::AssignOwner {
                owner: "dieter".into()
            }
        );
        assert_eq!(out[0].key, "rule/1/event/1/0");
        // Once per record: the same lead scoring again plans nothing; another lead does,
        // and the round robin moves on; the US lead has no territory.
        assert!(plan(&rules(), &event(2, 2, 0.95), &Leads, &mut state).is_empty());
        let next = plan(&rules(), &event(3, 3, 0.9), &Leads, &mut state);
        assert_eq!(
            next[1].planned,
            Planned::AssignOwner {
                owner: "bob".into()
            }
        );
        assert!(matches!(next[2].planned, Planned::Skipped { .. }));
        assert!(plan(&rules(), &event(4, 5, 0.5), &Leads, &mut state).is_empty());
        assert_eq!(state.cursor, 4);
        let mut skip = rules();
        if let Action::SendEmail { template } = &mut skip[0].actions[0] {
            template.missing = MissingFields::Skip;
        }
        let out = plan(
            &skip,
            &event(5, 8, 0.9),
            &Leads,
            &mut EngineState::default(),
        );
        assert!(
            matches!(&out[0].planned, Planned::Skipped { reason } if reason.contains("unknown"))
        );
        assert!(
            AutomationRule::check(
                "x",
                &Trigger::QuoteExpiring { within_days: 3 },
                &[Action::AssignRoundRobin { owners: vec![] }]
            )
            .is_err()
        );
    }

    proptest! {
        /// Replaying a log twice — the second time from the start, as after a lost cursor —
        /// plans the same keys, so a store that keeps keys unique emits each action once.
        #[test]
        fn replaying_plans_each_action_once(scores in prop::collection::vec((1u64..20, 0.0f64..1.0), 0..60)) {
            let log: Vec<EventEnvelope> = scores.iter().enumerate().map(|(i, (lead, s))| event(i as u64 + 1, *lead, *s)).collect();
            let mut rs = rules();
            rs[0].once_per_record = false;
            let mut stored: BTreeMap<String, PlannedAction> = BTreeMap::new();
            let mut emitted = 0;
            for _ in 0..2 {
                let mut state = EngineState::default();
                for e in &log {
                    for a in plan(&rs, e, &Leads, &mut state) {
                        if !stored.contains_key(&a.key) {
                            emitted += 1;
                            stored.insert(a.key.clone(), a);
                        }
                    }
                }
            }
            let expected = scores.iter().filter(|(_, s)| *s >= 0.8).count() * 3;
            prop_assert_eq!(emitted, expected);
        }
    }
}
