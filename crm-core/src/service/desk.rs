//! The service desk's organisation: queues of agents, the agents' skills, languages,
//! availability and capacity, and the routing rules that file a new case into a queue and
//! pick its agent — round robin or least loaded among the members who are available, have
//! the skills the rule asks for, speak the case's language and are under their capacity.
//!
//! The choice itself is pure ([`pick_agent`], [`RouteCondition::holds`]); the use cases
//! that read and write the records are in [`crate::crm::desk_cases`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{Problems, Result};
use crate::id::{AgentId, QueueId, RoutingRuleId, Version};
use crate::lead::text_enum;
use crate::lifecycle::FieldCondition;
use crate::store::{EntityKind, impl_entity};

use super::case::{CaseCategory, CaseChannel, CasePriority};

text_enum!(
    /// How a queue gives its cases out.
    QueueStrategy, "queue strategy", {
        /// To each eligible member in turn.
        RoundRobin => "round_robin" | "round robin" | "round-robin",
        /// To the eligible member with the fewest active cases (the first listed on a tie).
        LeastLoaded => "least_loaded" | "least loaded" | "least-loaded",
        /// To nobody: agents take cases from the queue themselves.
        Manual => "manual",
    }
);

/// A queue to create or replace, by name.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    /// Its name (unique, case-insensitive).
    pub name: String,
    /// What it handles.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub description: String,
    /// Its agents (logins), in the order ties are broken.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub members: Vec<String>,
    /// How it gives its cases out.
    pub strategy: QueueStrategy,
}

/// A queue of agents that cases are filed into.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    /// Its id.
    pub id: QueueId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: Version,
    /// Its name, lower-case.
    pub name: String,
    /// What it handles.
    pub description: String,
    /// Its agents (logins).
    pub members: Vec<String>,
    /// How it gives its cases out.
    pub strategy: QueueStrategy,
    /// Cases given out in turn so far (round robin: whose turn it is).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub turn: u64,
}

impl Queue {
    /// Index slot: the name.
    pub const BY_NAME: usize = 0;
}

impl_entity!(Queue, QueueId, EntityKind::Queue, |q| [
    Some(q.name.clone()),
    None,
    None,
    None,
    None,
    None
]);

/// An agent's profile to create or replace, by login.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    /// The agent's login.
    pub login: String,
    /// What they can handle (`billing`, `hydraulics`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub skills: Vec<String>,
    /// The languages they answer in (ISO 639-1: `en`, `da`); none: any.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub languages: Vec<String>,
    /// Whether they take cases now.
    pub available: bool,
    /// The most active cases they hold before routing passes them by; none: no limit.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub capacity: Option<u32>,
}

/// An agent's profile: what routing knows of a desk member. A member without one counts
/// as available, without skills, for any language and without a limit.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// Its id.
    pub id: AgentId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: Version,
    /// The login.
    pub login: String,
    /// Skills, lower-case.
    pub skills: BTreeSet<String>,
    /// Languages, lower-case; empty: any.
    pub languages: BTreeSet<String>,
    /// Whether they take cases now.
    pub available: bool,
    /// The most active cases they hold; none: no limit.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub capacity: Option<u32>,
}

impl Agent {
    /// Index slot: the login.
    pub const BY_LOGIN: usize = 0;

    /// The profile of `spec` with id `id`, checked and normalised.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] for a blank login, skill or language.
    pub fn from_spec(id: AgentId, version: Version, spec: AgentSpec) -> Result<Agent> {
        let mut p = Problems::new();
        let login = spec.login.trim().to_string();
        if login.is_empty() {
            p.push("login", "an agent needs a login");
        }
        let skills = words(&spec.skills, "skills", &mut p);
        let languages = words(&spec.languages, "languages", &mut p);
        p.finish(Agent {
            id,
            version,
            login,
            skills,
            languages,
            available: spec.available,
            capacity: spec.capacity,
        })
    }

    /// Whether the agent can take a case that needs `skills` in `language`, holding
    /// `load` active cases.
    pub fn can_take(&self, skills: &BTreeSet<String>, language: Option<&str>, load: u64) -> bool {
        self.available
            && skills.is_subset(&self.skills)
            && language.is_none_or(|l| self.languages.is_empty() || self.languages.contains(l))
            && self.capacity.is_none_or(|c| load < u64::from(c))
    }
}

impl_entity!(Agent, AgentId, EntityKind::Agent, |a| [
    Some(a.login.clone()),
    None,
    None,
    None,
    None,
    None
]);

/// Trimmed, lower-cased, not blank.
pub(crate) fn words(list: &[String], field: &str, p: &mut Problems) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for w in list {
        let w = w.trim().to_lowercase();
        if w.is_empty() {
            p.push(field, "no blank entries");
        } else {
            out.insert(w);
        }
    }
    out
}

/// One condition of a routing rule on a new case.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "when", rename_all = "snake_case", deny_unknown_fields)]
pub enum RouteCondition {
    /// It came in by one of these channels.
    Channel {
        /// The channels.
        any: Vec<CaseChannel>,
    },
    /// It is of one of these categories.
    Category {
        /// The categories.
        any: Vec<CaseCategory>,
    },
    /// It is at least this urgent.
    Priority {
        /// The lowest priority that matches.
        at_least: CasePriority,
    },
    /// It is about one of these products (the case's, else its asset's).
    Product {
        /// Product SKUs.
        any: Vec<String>,
    },
    /// Its account is of one of these tiers.
    AccountTier {
        /// Tiers (`gold`, `enterprise`).
        any: Vec<String>,
    },
    /// It is written in one of these languages.
    Language {
        /// ISO 639-1 codes.
        any: Vec<String>,
    },
    /// Its subject or description holds one of these words (whole words, any case,
    /// accents ignored).
    Keywords {
        /// The words.
        any: Vec<String>,
    },
    /// It is worked under a contract (an entitlement), or not.
    Entitled {
        /// Whether it must be.
        is: bool,
    },
    /// A field of the case's document meets a condition (`custom.region`).
    Field {
        /// The condition.
        condition: FieldCondition,
    },
}

/// What a routing rule looks at: the case, with what routing reads around it.
#[derive(Debug, Clone, Copy)]
pub struct RoutedCase<'a> {
    /// The case as a document.
    pub doc: &'a serde_json::Value,
    /// Its channel.
    pub channel: CaseChannel,
    /// Its category.
    pub category: CaseCategory,
    /// Its priority.
    pub priority: CasePriority,
    /// Its product (the case's, else its asset's).
    pub product: Option<&'a str>,
    /// Its account's tier.
    pub tier: Option<&'a str>,
    /// Its language.
    pub language: Option<&'a str>,
    /// The words of its subject and description.
    pub words: &'a BTreeSet<String>,
    /// Whether it is worked under a contract.
    pub entitled: bool,
}

impl RouteCondition {
    /// Whether the condition holds for `case`.
    pub fn holds(&self, case: &RoutedCase<'_>) -> bool {
        let any_of = |list: &[String], v: Option<&str>| {
            v.is_some_and(|v| list.iter().any(|x| x.trim().eq_ignore_ascii_case(v)))
        };
        match self {
            RouteCondition::Channel { any } => any.contains(&case.channel),
            RouteCondition::Category { any } => any.contains(&case.category),
            RouteCondition::Priority { at_least } => case.priority >= *at_least,
            RouteCondition::Product { any } => any_of(any, case.product),
            RouteCondition::AccountTier { any } => any_of(any, case.tier),
            RouteCondition::Language { any } => any_of(any, case.language),
            RouteCondition::Keywords { any } => any.iter().any(|k| {
                let k = crate::search::tokens(k);
                !k.is_empty() && k.iter().all(|w| case.words.contains(w))
            }),
            RouteCondition::Entitled { is } => case.entitled == *is,
            RouteCondition::Field { condition } => condition.holds(case.doc),
        }
    }

    /// Adds what is wrong with the condition to `p`.
    pub(crate) fn check(&self, p: &mut Problems) {
        let empty = |list_empty: bool, p: &mut Problems| {
            if list_empty {
                p.push("when", "a condition needs at least one value");
            }
        };
        match self {
            RouteCondition::Channel { any } => empty(any.is_empty(), p),
            RouteCondition::Category { any } => empty(any.is_empty(), p),
            RouteCondition::Product { any }
            | RouteCondition::AccountTier { any }
            | RouteCondition::Language { any }
            | RouteCondition::Keywords { any } => {
                empty(any.iter().all(|v| v.trim().is_empty()), p);
            }
            RouteCondition::Field { condition } => {
                if let Err(e) = condition.check() {
                    p.push("when", e.to_string());
                }
            }
            RouteCondition::Priority { .. } | RouteCondition::Entitled { .. } => {}
        }
    }
}

/// A routing rule to create or replace, by name.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingRuleSpec {
    /// Its name (unique, case-insensitive).
    pub name: String,
    /// Where it stands: lower first (then by name).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = 0))]
    pub order: u32,
    /// The cases it routes: those meeting every condition (none: every case).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub when: Vec<RouteCondition>,
    /// The queue it files them into.
    pub queue: String,
    /// The skills the agent must have.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub skills: Vec<String>,
    /// A priority the case is raised to (never lowered).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub raise_to: Option<CasePriority>,
}

/// A stored routing rule.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoutingRule {
    /// Its id.
    pub id: RoutingRuleId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: Version,
    /// Its name, lower-case.
    pub name: String,
    /// Its order.
    pub order: u32,
    /// Its conditions.
    pub when: Vec<RouteCondition>,
    /// Its queue (lower-case).
    pub queue: String,
    /// The skills the agent must have, lower-case.
    pub skills: BTreeSet<String>,
    /// The priority the case is raised to.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub raise_to: Option<CasePriority>,
}

impl RoutingRule {
    /// Index slot: the name.
    pub const BY_NAME: usize = 0;

    /// The rule of `spec`, checked and normalised (the queue's existence is the caller's
    /// to check).
    ///
    /// # Errors
    /// [`crate::Error::Validation`] listing every problem.
    pub fn from_spec(id: RoutingRuleId, version: Version, spec: RoutingRuleSpec) -> Result<Self> {
        let mut p = Problems::new();
        let name = spec.name.trim().to_lowercase();
        if name.is_empty() {
            p.push("name", "a routing rule needs a name");
        }
        let queue = spec.queue.trim().to_lowercase();
        if queue.is_empty() {
            p.push("queue", "a routing rule files into a queue");
        }
        for c in &spec.when {
            c.check(&mut p);
        }
        let skills = words(&spec.skills, "skills", &mut p);
        p.finish(RoutingRule {
            id,
            version,
            name,
            order: spec.order,
            when: spec.when,
            queue,
            skills,
            raise_to: spec.raise_to,
        })
    }

    /// Whether every condition holds for `case`.
    pub fn matches(&self, case: &RoutedCase<'_>) -> bool {
        self.when.iter().all(|c| c.holds(case))
    }
}

impl_entity!(RoutingRule, RoutingRuleId, EntityKind::RoutingRule, |r| [
    Some(r.name.clone()),
    None,
    None,
    None,
    None,
    None
]);

/// The agent of `queue` a case needing `skills` in `language` goes to, given each
/// member's profile (`agents`, by login) and active cases (`loads`): the eligible member
/// whose turn it is (round robin, counting from the queue's turn), or the least loaded
/// one; none for a manual queue or when nobody is eligible. Returns the login and how far
/// the turn moves.
pub fn pick_agent(
    queue: &Queue,
    agents: &BTreeMap<String, Agent>,
    loads: &BTreeMap<String, u64>,
    skills: &BTreeSet<String>,
    language: Option<&str>,
) -> Option<(String, u64)> {
    let eligible = |login: &String| {
        let load = loads.get(login).copied().unwrap_or(0);
        match agents.get(login) {
            Some(a) => a.can_take(skills, language, load),
            // no profile: available, any language, no limit, no skills
            None => skills.is_empty(),
        }
    };
    let n = queue.members.len();
    match queue.strategy {
        QueueStrategy::Manual => None,
        QueueStrategy::RoundRobin => (0..n as u64).find_map(|step| {
            let at = ((queue.turn + step) % n as u64) as usize;
            let login = &queue.members[at];
            eligible(login).then(|| (login.clone(), step + 1))
        }),
        QueueStrategy::LeastLoaded => queue
            .members
            .iter()
            .filter(|m| eligible(m))
            .min_by_key(|m| loads.get(*m).copied().unwrap_or(0))
            .map(|m| (m.clone(), 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(strategy: QueueStrategy, turn: u64) -> Queue {
        Queue {
            id: QueueId::new(1).unwrap(),
            version: Version::NEW,
            name: "support".into(),
            description: String::new(),
            members: vec!["ann".into(), "bob".into(), "cy".into()],
            strategy,
            turn,
        }
    }

    fn agent(login: &str, skills: &[&str], langs: &[&str], available: bool) -> Agent {
        Agent::from_spec(
            AgentId::new(1).unwrap(),
            Version::NEW,
            AgentSpec {
                login: login.into(),
                skills: skills.iter().map(|s| s.to_string()).collect(),
                languages: langs.iter().map(|s| s.to_string()).collect(),
                available,
                capacity: Some(2),
            },
        )
        .unwrap()
    }

    #[test]
    fn round_robin_skips_who_cannot_take_the_case() {
        let agents: BTreeMap<String, Agent> = [
            agent("ann", &["billing"], &["en"], true),
            agent("bob", &["hydraulics"], &["en", "da"], true),
            agent("cy", &["hydraulics"], &[], false),
        ]
        .into_iter()
        .map(|a| (a.login.clone(), a))
        .collect();
        let none = BTreeMap::new();
        let hyd: BTreeSet<String> = ["hydraulics".to_string()].into();
        // ann's turn, but only bob has the skill (cy is away)
        let q = queue(QueueStrategy::RoundRobin, 0);
        assert_eq!(
            pick_agent(&q, &agents, &none, &hyd, Some("da")),
            Some(("bob".into(), 2))
        );
        // nobody speaks French with the skill
        assert_eq!(pick_agent(&q, &agents, &none, &hyd, Some("fr")), None);
        // without a skill, the next in turn
        let q = queue(QueueStrategy::RoundRobin, 4);
        assert_eq!(
            pick_agent(&q, &agents, &none, &BTreeSet::new(), None),
            Some(("bob".into(), 1))
        );
        // at capacity: passed by
        let full: BTreeMap<String, u64> = [("bob".to_string(), 2)].into();
        assert_eq!(pick_agent(&q, &agents, &full, &hyd, None), None);
        // least loaded among the eligible, the first listed on a tie
        let q = queue(QueueStrategy::LeastLoaded, 0);
        let loads: BTreeMap<String, u64> = [("ann".to_string(), 1), ("bob".to_string(), 0)].into();
        assert_eq!(
            pick_agent(&q, &agents, &loads, &BTreeSet::new(), None),
            Some(("bob".into(), 0))
        );
        assert_eq!(
            pick_agent(&queue(QueueStrategy::Manual, 0), &agents, &none, &hyd, None),
            None
        );
    }
}
