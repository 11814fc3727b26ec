//! Service desk operations on the store: queues, agents' profiles and routing rules
//! defined by name; cases routed when they are opened (and again on demand), assigned,
//! transferred between queues, and each queue's worklist. Every change to a case is a
//! `Routed` entry in its history and a `CaseRouted` event.
//!
//! Routing a case without an owner: a case opened into a queue is given out by that
//! queue; otherwise the first routing rule (by order, then name) whose conditions hold
//! files it into its queue, raises its priority if it says so, and the queue picks an
//! agent with the rule's skills ([`crate::service::desk::pick_agent`]). When no routing
//! rule matches, the access control's assignment rules are tried as before.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::customer::Account;
use crate::error::{Error, Problems, Result};
use crate::event::DomainEvent;
use crate::id::{AgentId, CaseId, QueueId, RecordKey, RoutingRuleId, Version};
use crate::service::case::{Case, CaseStatus};
use crate::service::desk::{
    Agent, AgentSpec, Queue, QueueSpec, RoutedCase, RoutingRule, RoutingRuleSpec, pick_agent,
};
use crate::service::installed::Asset;
use crate::store::{Entity, EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};

use super::Crm;

impl<S: Store> Crm<S> {
    /// Creates or replaces (by name) a queue; a replaced queue keeps its turn.
    ///
    /// # Errors
    /// [`Error::Validation`] for a blank name or member; [`Error::Storage`].
    pub fn define_queue(&self, spec: QueueSpec, now: DateTime<Utc>) -> Result<Queue> {
        let mut p = Problems::new();
        let name = spec.name.trim().to_lowercase();
        if name.is_empty() {
            p.push("name", "a queue needs a name");
        }
        let mut members: Vec<String> = Vec::new();
        for m in &spec.members {
            let m = m.trim();
            if m.is_empty() {
                p.push("members", "no blank logins");
            } else if !members.iter().any(|x| x == m) {
                members.push(m.to_string());
            }
        }
        p.finish(())?;
        self.write(|tx| {
            let old: Option<Queue> = tx.find(Queue::BY_NAME, &name)?.pop();
            let (id, version, turn) = match &old {
                Some(q) => (q.id, q.version, q.turn),
                None => (
                    QueueId::from_raw(tx.next_id(EntityKind::Queue)?),
                    Version::NEW,
                    0,
                ),
            };
            let mut queue = Queue {
                id,
                version,
                name: name.clone(),
                description: spec.description.trim().to_string(),
                members,
                strategy: spec.strategy,
                turn,
            };
            tx.update(&mut queue)?;
            configured(tx, &queue, &name, "saved", now)?;
            Ok(queue)
        })
    }

    /// Removes the queue `name`.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::InUse`] while a routing rule files into it or a
    /// case being worked is in it (transfer them first); [`Error::Storage`].
    pub fn remove_queue(&self, name: &str, now: DateTime<Utc>) -> Result<Queue> {
        let key = name.trim().to_lowercase();
        self.write(|tx| {
            let queue = queue_in(&*tx, &key)?;
            // what still files into it or waits in it (the first 20)
            let mut dependants: Vec<String> = tx
                .every::<RoutingRule>()?
                .into_iter()
                .filter(|r| r.queue == key)
                .map(|r| format!("routing_rule:{}", r.id))
                .collect();
            dependants.extend(
                tx.find_ids(EntityKind::Case, Case::BY_QUEUE, &key)?
                    .into_iter()
                    .map(|id| format!("service_case:{id}")),
            );
            if !dependants.is_empty() {
                dependants.truncate(20);
                return Err(Error::InUse {
                    kind: "queue".into(),
                    id: queue.id.get(),
                    dependants,
                });
            }
            tx.remove(&queue)?;
            configured(tx, &queue, &key, "removed", now)?;
            Ok(queue)
        })
    }

    /// Every queue, by name.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn queues(&self) -> Result<Vec<Queue>> {
        let mut all: Vec<Queue> = self.read(|tx| tx.all())?;
        all.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(all)
    }

    /// Creates or replaces (by login) an agent's profile: skills, languages,
    /// availability, capacity.
    ///
    /// # Errors
    /// [`Error::Validation`] for a blank login, skill or language; [`Error::Storage`].
    pub fn set_agent(&self, spec: AgentSpec, now: DateTime<Utc>) -> Result<Agent> {
        let login = spec.login.trim().to_string();
        self.write(|tx| {
            let old: Option<Agent> = tx.find(Agent::BY_LOGIN, &login)?.pop();
            let (id, version) = match &old {
                Some(a) => (a.id, a.version),
                None => (
                    AgentId::from_raw(tx.next_id(EntityKind::Agent)?),
                    Version::NEW,
                ),
            };
            let mut agent = Agent::from_spec(id, version, spec)?;
            tx.update(&mut agent)?;
            configured(tx, &agent, &login, "saved", now)?;
            Ok(agent)
        })
    }

    /// Every agent's profile, by login.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn agents(&self) -> Result<Vec<Agent>> {
        let mut all: Vec<Agent> = self.read(|tx| tx.all())?;
        all.sort_by(|a, b| a.login.cmp(&b.login));
        Ok(all)
    }

    /// Creates or replaces (by name) a routing rule.
    ///
    /// # Errors
    /// [`Error::Validation`] for a rule without a name or queue, or a condition without
    /// values; [`Error::NotFound`] for an unknown queue; [`Error::Storage`].
    pub fn define_routing_rule(
        &self,
        spec: RoutingRuleSpec,
        now: DateTime<Utc>,
    ) -> Result<RoutingRule> {
        self.write(|tx| {
            let name = spec.name.trim().to_lowercase();
            let old: Option<RoutingRule> = tx.find(RoutingRule::BY_NAME, &name)?.pop();
            let (id, version) = match &old {
                Some(r) => (r.id, r.version),
                None => (
                    RoutingRuleId::from_raw(tx.next_id(EntityKind::RoutingRule)?),
                    Version::NEW,
                ),
            };
            let mut rule = RoutingRule::from_spec(id, version, spec)?;
            queue_in(&*tx, &rule.queue)?;
            tx.update(&mut rule)?;
            configured(tx, &rule, &name, "saved", now)?;
            Ok(rule)
        })
    }

    /// Removes the routing rule `name`.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn remove_routing_rule(&self, name: &str, now: DateTime<Utc>) -> Result<RoutingRule> {
        let key = name.trim().to_lowercase();
        self.write(|tx| {
            let rule: RoutingRule = tx
                .find(RoutingRule::BY_NAME, &key)?
                .pop()
                .ok_or_else(|| Error::not_found("routing_rule", &key))?;
            tx.remove(&rule)?;
            configured(tx, &rule, &key, "removed", now)?;
            Ok(rule)
        })
    }

    /// The routing rules in the order they are tried.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn routing_rules(&self) -> Result<Vec<RoutingRule>> {
        self.read(|tx| rules(tx))
    }

    /// Gives a case to `owner` (none: takes it from its owner, back to its queue).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a blank login; [`Error::IllegalTransition`] for a
    /// closed case; [`Error::NotFound`]; [`Error::Storage`].
    pub fn assign_case(
        &self,
        id: CaseId,
        owner: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Case> {
        let owner = match owner {
            Some(o) if o.trim().is_empty() => {
                return Err(Error::invalid("owner", o, "a login, or none"));
            }
            o => o.map(|o| o.trim().to_string()),
        };
        self.change_case(id, now, |c| {
            let queue = c.queue.clone();
            Ok(routed(c, queue, owner, "assign", now)?
                .into_iter()
                .collect())
        })
    }

    /// Moves a case to `queue`, which gives it to one of its agents (by its strategy) or
    /// keeps it waiting there.
    ///
    /// # Errors
    /// [`Error::NotFound`] for the case or queue; [`Error::IllegalTransition`] for a
    /// closed case; [`Error::Storage`].
    pub fn transfer_case(&self, id: CaseId, queue: &str, now: DateTime<Utc>) -> Result<Case> {
        let key = queue.trim().to_lowercase();
        self.write(|tx| {
            let mut case: Case = tx.load(id)?;
            let mut q = queue_in(&*tx, &key)?;
            let owner = give_out(tx, &mut q, &BTreeSet::new(), case.language.as_deref())?;
            if let Some(e) = routed(&mut case, Some(key.clone()), owner, "transfer", now)? {
                tx.update(&mut case)?;
                tx.emit(&e, now)?;
            }
            Ok(case)
        })
    }

    /// Routes a case again by the routing rules, as when it was opened (after its
    /// product, language or account changed); a case no rule matches stays as it is.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::IllegalTransition`] for a closed case;
    /// [`Error::Storage`].
    pub fn route_case(&self, id: CaseId, now: DateTime<Utc>) -> Result<Case> {
        self.write(|tx| {
            let mut case: Case = tx.load(id)?;
            if let Some(rule) = matching_rule(&*tx, &case)? {
                let events = apply_rule(tx, &mut case, &rule, now)?;
                tx.update(&mut case)?;
                for e in &events {
                    tx.emit(e, now)?;
                }
            }
            Ok(case)
        })
    }

    /// The cases being worked in `queue`, most urgent first, then oldest first.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown queue; [`Error::Storage`].
    pub fn queue_cases(&self, queue: &str) -> Result<Vec<Case>> {
        let key = queue.trim().to_lowercase();
        let mut cases: Vec<Case> = self.read(|tx| {
            queue_in(tx, &key)?;
            tx.find(Case::BY_QUEUE, &key)
        })?;
        cases.sort_by(|a, b| {
            b.priority
                .cmp(&a.priority)
                .then(a.opened_at.cmp(&b.opened_at))
                .then(a.id.cmp(&b.id))
        });
        Ok(cases)
    }
}

/// The queue `name` (lower-case).
pub(super) fn queue_in(tx: &dyn ReadTx, name: &str) -> Result<Queue> {
    tx.find(Queue::BY_NAME, name)?
        .pop()
        .ok_or_else(|| Error::not_found("queue", name))
}

/// The routing rules in the order they are tried.
fn rules(tx: &dyn ReadTx) -> Result<Vec<RoutingRule>> {
    let mut all: Vec<RoutingRule> = tx.every()?;
    all.sort_by(|a, b| (a.order, &a.name).cmp(&(b.order, &b.name)));
    Ok(all)
}

pub(super) fn configured<E: Entity>(
    tx: &mut dyn WriteTx,
    record: &E,
    name: &str,
    change: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.emit(
        &DomainEvent::DeskConfigured {
            record: RecordKey::new(E::KIND, record.id().raw()),
            name: name.to_string(),
            change: change.to_string(),
        },
        now,
    )?;
    Ok(())
}

/// Routes `case` to `queue` and `owner`; the event when anything changed.
pub(super) fn routed(
    case: &mut Case,
    queue: Option<String>,
    owner: Option<String>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Option<DomainEvent>> {
    Ok(case
        .route(queue.clone(), owner.clone(), by, now)?
        .then(|| DomainEvent::CaseRouted {
            case: case.id,
            queue,
            owner,
            by: by.to_string(),
        }))
}

/// The agent `queue` gives a case needing `skills` in `language` to; the queue's turn is
/// moved on and stored.
pub(super) fn give_out(
    tx: &mut dyn WriteTx,
    queue: &mut Queue,
    skills: &BTreeSet<String>,
    language: Option<&str>,
) -> Result<Option<String>> {
    let agents: BTreeMap<String, Agent> = tx
        .every::<Agent>()?
        .into_iter()
        .map(|a| (a.login.clone(), a))
        .collect();
    let loads = crate::access::assignment::loads(&*tx, EntityKind::Case, &queue.members)?;
    let Some((owner, steps)) = pick_agent(queue, &agents, &loads, skills, language) else {
        return Ok(None);
    };
    if steps > 0 {
        queue.turn += steps;
        tx.update(queue)?;
    }
    Ok(Some(owner))
}

/// What routing reads around a case: its document, its asset's product, its account's
/// tier and the words of its subject and description.
pub(crate) struct RouteContext {
    doc: serde_json::Value,
    asset_product: Option<String>,
    tier: Option<String>,
    words: BTreeSet<String>,
}

impl RouteContext {
    /// The context of `case`, read from the store.
    pub(crate) fn of(tx: &dyn ReadTx, case: &Case) -> Result<RouteContext> {
        let asset_product = match (&case.product, case.asset) {
            (None, Some(a)) => tx.get::<Asset>(a)?.map(|a| a.product),
            _ => None,
        };
        let tier = match case.account {
            Some(a) => tx.get::<Account>(a)?.and_then(|a| a.tier),
            None => None,
        };
        let text = format!("{} {}", case.subject, case.description);
        Ok(RouteContext {
            doc: serde_json::to_value(case).map_err(Error::storage)?,
            asset_product,
            tier,
            words: crate::search::tokens(&text).into_iter().collect(),
        })
    }

    /// `case` as routing conditions see it.
    pub(crate) fn case<'a>(&'a self, case: &'a Case) -> RoutedCase<'a> {
        RoutedCase {
            doc: &self.doc,
            channel: case.channel,
            category: case.category,
            priority: case.priority,
            product: case.product.as_deref().or(self.asset_product.as_deref()),
            tier: self.tier.as_deref(),
            language: case.language.as_deref(),
            words: &self.words,
            entitled: case.contract.is_some(),
        }
    }
}

/// The first routing rule whose conditions hold for `case`.
fn matching_rule(tx: &dyn ReadTx, case: &Case) -> Result<Option<RoutingRule>> {
    let all = rules(tx)?;
    if all.is_empty() {
        return Ok(None);
    }
    let context = RouteContext::of(tx, case)?;
    let routed = context.case(case);
    Ok(all.into_iter().find(|r| r.matches(&routed)))
}

/// Files `case` by `rule`: its queue, a raised priority, an agent with its skills.
fn apply_rule(
    tx: &mut dyn WriteTx,
    case: &mut Case,
    rule: &RoutingRule,
    now: DateTime<Utc>,
) -> Result<Vec<DomainEvent>> {
    let mut events = Vec::new();
    if let Some(to) = rule.raise_to
        && to > case.priority
    {
        case.set_priority(to, now)?;
        events.push(DomainEvent::CasePriorityChanged {
            case: case.id,
            to: to.to_string(),
        });
    }
    let mut queue = queue_in(&*tx, &rule.queue)?;
    let owner = give_out(tx, &mut queue, &rule.skills, case.language.as_deref())?;
    let by = format!("rule:{}", rule.name);
    events.extend(routed(case, Some(queue.name), owner, &by, now)?);
    Ok(events)
}

/// Routes a case being opened without an owner: into its queue when it names one, else by
/// the first matching routing rule. The events to emit once the case is stored; `None`
/// when nothing routed it (the assignment rules may still).
pub(crate) fn route_new_case(
    tx: &mut dyn WriteTx,
    case: &mut Case,
    now: DateTime<Utc>,
) -> Result<Option<Vec<DomainEvent>>> {
    let named = match &case.queue {
        Some(name) => Some(queue_in(&*tx, name)?),
        None => None,
    };
    if case.owner.is_some() || case.status == CaseStatus::Closed {
        return Ok(None);
    }
    if let Some(mut queue) = named {
        let name = queue.name.clone();
        let owner = give_out(tx, &mut queue, &BTreeSet::new(), case.language.as_deref())?;
        // the case is filed already: only an agent is news
        return Ok(Some(
            routed(case, Some(name), owner, "queue", now)?
                .into_iter()
                .collect(),
        ));
    }
    match matching_rule(&*tx, case)? {
        Some(rule) => apply_rule(tx, case, &rule, now).map(Some),
        None => Ok(None),
    }
}
