//! Escalation rules: what the desk does when a case's SLA reaches a warning or a breach,
//! or a case has been open too long — transfer it to another queue, give it to someone,
//! raise its priority, notify people (a delivery in the outbox for the host to send), or
//! open a task on it. Each rule fires once per case and trigger (an SLA alert is one
//! metric's cycle reaching one state); [`crate::crm::Crm::check_slas`] runs them, in the
//! transaction that raises the alerts.

use serde::{Deserialize, Serialize};

use crate::error::{Problems, Result};
use crate::id::{EscalationRuleId, Version};
use crate::lead::text_enum;
use crate::store::{EntityKind, impl_entity};

use super::case::CasePriority;
use super::desk::RouteCondition;
use super::sla::{SlaAlert, SlaMetric, SlaState};

text_enum!(
    /// How far an SLA target has gone.
    AlertLevel, "alert level", {
        /// Close to its due instant (the policy's warning threshold).
        Warning => "warning",
        /// Past it.
        Breached => "breached",
    }
);

/// What sets a rule off.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case", deny_unknown_fields)]
pub enum EscalationTrigger {
    /// An SLA alert: a metric's target (any metric when none is named) reaching a level.
    Sla {
        /// The level.
        level: AlertLevel,
        /// The metric; none: any.
        #[serde(default)]
        #[cfg_attr(feature = "uniffi", uniffi(default))]
        metric: Option<SlaMetric>,
    },
    /// The case is still being worked this many hours after it was opened (wall-clock).
    Age {
        /// The hours.
        hours: u32,
    },
}

/// What a rule does.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum EscalationAction {
    /// Move the case to a queue, which gives it to one of its agents.
    Transfer {
        /// The queue.
        queue: String,
    },
    /// Give the case to someone.
    Assign {
        /// Their login.
        owner: String,
    },
    /// Raise the case's priority (never lowered).
    RaisePriority {
        /// The priority.
        to: CasePriority,
    },
    /// Tell people: a delivery to the outbox's `notification` target, for the host to
    /// send. The message may name `{{number}}`, `{{subject}}`, `{{priority}}`,
    /// `{{owner}}`, `{{queue}}` and `{{trigger}}`.
    Notify {
        /// Whom (logins or addresses, as the host reads them).
        to: Vec<String>,
        /// What.
        message: String,
    },
    /// Open a task on the case.
    OpenTask {
        /// Its title.
        title: String,
        /// Due this many minutes after the escalation.
        due_in_minutes: u32,
        /// Its owner; none: the case's.
        #[serde(default)]
        #[cfg_attr(feature = "uniffi", uniffi(default))]
        owner: Option<String>,
    },
}

/// An escalation rule to create or replace, by name.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationRuleSpec {
    /// Its name (unique, case-insensitive).
    pub name: String,
    /// What sets it off.
    pub on: EscalationTrigger,
    /// The cases it applies to: those meeting every condition (none: every case).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub when: Vec<RouteCondition>,
    /// What it does, in order.
    pub actions: Vec<EscalationAction>,
}

/// A stored escalation rule.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EscalationRule {
    /// Its id.
    pub id: EscalationRuleId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: Version,
    /// Its name, lower-case.
    pub name: String,
    /// What sets it off.
    pub on: EscalationTrigger,
    /// Its conditions.
    pub when: Vec<RouteCondition>,
    /// What it does.
    pub actions: Vec<EscalationAction>,
}

impl EscalationRule {
    /// Index slot: the name.
    pub const BY_NAME: usize = 0;

    /// The rule of `spec`, checked and normalised (queues are the caller's to check).
    ///
    /// # Errors
    /// [`crate::Error::Validation`] listing every problem.
    pub fn from_spec(
        id: EscalationRuleId,
        version: Version,
        spec: EscalationRuleSpec,
    ) -> Result<Self> {
        let mut p = Problems::new();
        let name = spec.name.trim().to_lowercase();
        if name.is_empty() {
            p.push("name", "an escalation rule needs a name");
        }
        if let EscalationTrigger::Age { hours: 0 } = spec.on {
            p.push("on", "an age is at least one hour");
        }
        for c in &spec.when {
            c.check(&mut p);
        }
        if spec.actions.is_empty() {
            p.push("actions", "a rule does at least one thing");
        }
        let mut actions = spec.actions;
        for a in &mut actions {
            match a {
                EscalationAction::Transfer { queue } => {
                    *queue = queue.trim().to_lowercase();
                    if queue.is_empty() {
                        p.push("actions", "a transfer names a queue");
                    }
                }
                EscalationAction::Assign { owner } => {
                    *owner = owner.trim().to_string();
                    if owner.is_empty() {
                        p.push("actions", "an assignment names an owner");
                    }
                }
                EscalationAction::Notify { to, message } => {
                    if to.iter().all(|t| t.trim().is_empty()) || message.trim().is_empty() {
                        p.push("actions", "a notification needs recipients and a message");
                    }
                }
                EscalationAction::OpenTask { title, .. } => {
                    if title.trim().is_empty() {
                        p.push("actions", "a task needs a title");
                    }
                }
                EscalationAction::RaisePriority { .. } => {}
            }
        }
        p.finish(EscalationRule {
            id,
            version,
            name,
            on: spec.on,
            when: spec.when,
            actions,
        })
    }

    /// Whether the rule is set off by `alert`.
    pub fn on_alert(&self, alert: &SlaAlert) -> bool {
        match &self.on {
            EscalationTrigger::Sla { level, metric } => {
                let reached = match level {
                    AlertLevel::Warning => alert.state == SlaState::Warning,
                    AlertLevel::Breached => alert.state == SlaState::Breached,
                };
                reached && metric.is_none_or(|m| m == alert.metric)
            }
            EscalationTrigger::Age { .. } => false,
        }
    }
}

impl_entity!(
    EscalationRule,
    EscalationRuleId,
    EntityKind::EscalationRule,
    |r| [Some(r.name.clone()), None, None, None, None, None]
);

/// `message` with the case's merge fields filled in.
pub fn render(message: &str, fields: &[(&str, &str)]) -> String {
    let mut out = message.to_string();
    for (name, value) in fields {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_fields_fill_in() {
        assert_eq!(
            render(
                "{{number}} ({{priority}}) is {{trigger}}; {{unknown}} stays",
                &[
                    ("number", "CASE-2026-000001"),
                    ("priority", "high"),
                    ("trigger", "resolution breached")
                ]
            ),
            "CASE-2026-000001 (high) is resolution breached; {{unknown}} stays"
        );
    }

    #[test]
    fn a_bad_rule_lists_every_problem() {
        let err = EscalationRule::from_spec(
            EscalationRuleId::new(1).unwrap(),
            Version::NEW,
            EscalationRuleSpec {
                name: " ".into(),
                on: EscalationTrigger::Age { hours: 0 },
                when: vec![],
                actions: vec![
                    EscalationAction::Transfer { queue: " ".into() },
                    EscalationAction::Notify {
                        to: vec![],
                        message: "x".into(),
                    },
                ],
            },
        )
        .unwrap_err();
        let text = err.to_string();
        for field in ["name", "on", "actions"] {
            assert!(text.contains(field), "{text}");
        }
    }
}
