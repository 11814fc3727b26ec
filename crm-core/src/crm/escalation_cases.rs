//! Escalation rules on the store: defined by name, and fired by [`Crm::check_slas`] —
//! for each SLA alert it raises, and for each case being worked past a rule's age — once
//! per case, rule and trigger (remembered in [`Case::escalations`]), in the same
//! transaction as the alert. Each firing is an `Escalated` entry in the case's history and
//! a `CaseEscalated` event, followed by what its actions did (routing, priority, a task,
//! a notification in the outbox).

use chrono::{DateTime, Duration, Utc};

use crate::activity::{ActivityKind, NewActivity};
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::{EscalationRuleId, RecordKey, RecordRef, Version};
use crate::outbox::Delivery;
use crate::service::case::{Case, CaseChange, CaseHistoryEntry};
use crate::service::escalation::{
    EscalationAction, EscalationRule, EscalationRuleSpec, EscalationTrigger, render,
};
use crate::service::sla::SlaAlert;
use crate::store::{EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};

use super::Crm;
use super::desk_cases::{RouteContext, give_out, queue_in, routed};

/// The outbox target escalation notifications are delivered to.
pub const NOTIFICATION_TARGET: &str = "notification";

impl<S: Store> Crm<S> {
    /// Creates or replaces (by name) an escalation rule.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem; [`Error::NotFound`] for a queue a
    /// transfer names; [`Error::Storage`].
    pub fn define_escalation_rule(
        &self,
        spec: EscalationRuleSpec,
        now: DateTime<Utc>,
    ) -> Result<EscalationRule> {
        self.write(|tx| {
            let name = spec.name.trim().to_lowercase();
            let old: Option<EscalationRule> = tx.find(EscalationRule::BY_NAME, &name)?.pop();
            let (id, version) = match &old {
                Some(r) => (r.id, r.version),
                None => (
                    EscalationRuleId::from_raw(tx.next_id(EntityKind::EscalationRule)?),
                    Version::NEW,
                ),
            };
            let mut rule = EscalationRule::from_spec(id, version, spec)?;
            for a in &rule.actions {
                if let EscalationAction::Transfer { queue } = a {
                    queue_in(&*tx, queue)?;
                }
            }
            tx.update(&mut rule)?;
            super::desk_cases::configured(tx, &rule, &name, "saved", now)?;
            Ok(rule)
        })
    }

    /// Removes the escalation rule `name`.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn remove_escalation_rule(&self, name: &str, now: DateTime<Utc>) -> Result<EscalationRule> {
        let key = name.trim().to_lowercase();
        self.write(|tx| {
            let rule: EscalationRule = tx
                .find(EscalationRule::BY_NAME, &key)?
                .pop()
                .ok_or_else(|| Error::not_found("escalation_rule", &key))?;
            tx.remove(&rule)?;
            super::desk_cases::configured(tx, &rule, &key, "removed", now)?;
            Ok(rule)
        })
    }

    /// Every escalation rule, by name.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn escalation_rules(&self) -> Result<Vec<EscalationRule>> {
        self.read(|tx| rules(tx))
    }
}

/// Every escalation rule, by name.
pub(crate) fn rules(tx: &dyn ReadTx) -> Result<Vec<EscalationRule>> {
    let mut all: Vec<EscalationRule> = tx.every()?;
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// Fires the rules `alert` (or, with none, the case's age at `at`) sets off for `case`,
/// each once; the events to emit after the case is written.
pub(crate) fn escalate(
    tx: &mut dyn WriteTx,
    case: &mut Case,
    rules: &[EscalationRule],
    alert: Option<&SlaAlert>,
    at: DateTime<Utc>,
) -> Result<Vec<DomainEvent>> {
    let mut events = Vec::new();
    let mut context: Option<RouteContext> = None;
    for rule in rules {
        let trigger = match (alert, &rule.on) {
            (Some(alert), EscalationTrigger::Sla { .. }) if rule.on_alert(alert) => alert.key(),
            (None, EscalationTrigger::Age { hours })
                if case.status.is_active()
                    && at - case.opened_at >= Duration::hours(i64::from(*hours)) =>
            {
                "age".to_string()
            }
            _ => continue,
        };
        let key = format!("{}/{trigger}", rule.name);
        if case.escalations.contains(&key) {
            continue;
        }
        if !rule.when.is_empty() {
            if context.is_none() {
                context = Some(RouteContext::of(&*tx, case)?);
            }
            let routed_case = context.as_ref().map(|c| c.case(case));
            if !routed_case.is_some_and(|c| rule.when.iter().all(|w| w.holds(&c))) {
                continue;
            }
        }
        case.escalations.insert(key);
        case.history.push(CaseHistoryEntry {
            at,
            change: CaseChange::Escalated {
                rule: rule.name.clone(),
                trigger: trigger.clone(),
            },
        });
        events.push(DomainEvent::CaseEscalated {
            case: case.id,
            rule: rule.name.clone(),
            trigger: trigger.clone(),
        });
        for action in &rule.actions {
            act(tx, case, rule, &trigger, action, at, &mut events)?;
        }
    }
    Ok(events)
}

fn act(
    tx: &mut dyn WriteTx,
    case: &mut Case,
    rule: &EscalationRule,
    trigger: &str,
    action: &EscalationAction,
    at: DateTime<Utc>,
    events: &mut Vec<DomainEvent>,
) -> Result<()> {
    let by = format!("escalation:{}", rule.name);
    match action {
        EscalationAction::Transfer { queue } => {
            let mut q = queue_in(&*tx, queue)?;
            let owner = give_out(tx, &mut q, &Default::default(), case.language.as_deref())?;
            events.extend(routed(case, Some(q.name), owner, &by, at)?);
        }
        EscalationAction::Assign { owner } => {
            let queue = case.queue.clone();
            events.extend(routed(case, queue, Some(owner.clone()), &by, at)?);
        }
        EscalationAction::RaisePriority { to } => {
            if *to > case.priority {
                case.set_priority(*to, at)?;
                events.push(DomainEvent::CasePriorityChanged {
                    case: case.id,
                    to: to.to_string(),
                });
            }
        }
        EscalationAction::Notify { to, message } => {
            let fields = [
                ("number", case.number.to_string()),
                ("subject", case.subject.clone()),
                ("priority", case.priority.to_string()),
                ("owner", case.owner.clone().unwrap_or_default()),
                ("queue", case.queue.clone().unwrap_or_default()),
                ("trigger", trigger.to_string()),
            ];
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let payload = serde_json::json!({
                "to": to.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>(),
                "message": render(message, &borrowed),
                "case": case.number.to_string(),
                "rule": rule.name,
                "trigger": trigger,
            });
            let key = format!("escalation:{}:{}:{trigger}", rule.name, case.id);
            let delivery = Delivery::new(
                NOTIFICATION_TARGET,
                &key,
                Some(RecordKey::new(EntityKind::Case, case.id.get())),
                payload,
                at,
            );
            super::outbox_cases::queue_delivery(tx, delivery, at)?;
        }
        EscalationAction::OpenTask {
            title,
            owner,
            due_in_minutes,
        } => {
            let mut task = NewActivity::new(
                ActivityKind::Task,
                RecordRef::Case(case.id),
                format!("{title} ({})", case.number),
            );
            task.owner = owner.clone().or_else(|| case.owner.clone());
            task.due_at = Some(at + Duration::minutes(i64::from(*due_in_minutes)));
            super::sales_cases::log_activity_in(tx, task, at)?;
        }
    }
    Ok(())
}
