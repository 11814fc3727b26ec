//! Assignment rules: who a new lead or service case goes to when it arrives without an
//! owner — by territory (country, region, postal code), product, source or any other
//! field of the record, to a user, a team, the members of a team in turn (round robin),
//! or the member with the fewest open records (load-balanced). Rules are tried in their
//! order; the first whose filter the record matches assigns it, and the assignment is a
//! `RecordAssigned` event naming the rule. They run wherever leads and cases are created:
//! capture, web forms, imports, case creation.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{BY_NAME, Team};
use super::policy::at;
use crate::error::Result;
use crate::event::DomainEvent;
use crate::id::{AssignmentRuleId, RecordKey, Version};
use crate::lifecycle::FieldCondition;
use crate::store::{EntityKind, ReadExt, ReadTx, WriteExt, WriteTx};

/// The kinds assignment rules route.
pub const ROUTED: [EntityKind; 2] = [EntityKind::Lead, EntityKind::Case];

/// Whom a rule gives a record to.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Assignee {
    /// One user, by login.
    User {
        /// The login.
        name: String,
    },
    /// A team: the record's owner is `team:<name>`.
    Team {
        /// The team.
        name: String,
    },
    /// The members of a team, each in turn.
    RoundRobin {
        /// The team.
        name: String,
    },
    /// The member of a team with the fewest open records of the kind (leads new or being
    /// worked, cases not closed); the first in the team's order on a tie.
    LeastLoaded {
        /// The team.
        name: String,
    },
}

/// An assignment rule to create or replace, by name.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentRuleSpec {
    /// Its name (unique).
    pub name: String,
    /// What it routes: `lead` or `service_case`.
    pub kind: EntityKind,
    /// Where it stands among the kind's rules: lower first (then by creation).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = 0))]
    pub order: u32,
    /// The records it routes: those matching every condition (none: every record), on
    /// the record's document (`data.address.country`, `data.address.postal_code`,
    /// `source`, `category`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub filter: Vec<FieldCondition>,
    /// To whom.
    pub assign: Assignee,
}

/// A stored assignment rule.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentRule {
    /// Id, assigned by the store.
    pub id: AssignmentRuleId,
    /// Version.
    pub version: Version,
    /// Its name.
    pub name: String,
    /// What it routes.
    pub kind: EntityKind,
    /// Its order.
    pub order: u32,
    /// The records it routes.
    pub filter: Vec<FieldCondition>,
    /// To whom.
    pub assign: Assignee,
    /// How many records it has given out in turn (round robin: the next member).
    #[serde(default)]
    pub turn: u64,
}

crate::store::impl_entity!(
    AssignmentRule,
    AssignmentRuleId,
    EntityKind::AssignmentRule,
    |r| [Some(r.name.clone()), None, None, None, None, None]
);

/// The rules of `kind`, in the order they are tried.
///
/// # Errors
/// [`crate::Error::Storage`].
pub fn rules_of(tx: &dyn ReadTx, kind: EntityKind) -> Result<Vec<AssignmentRule>> {
    let mut rules: Vec<AssignmentRule> = tx
        .every::<AssignmentRule>()?
        .into_iter()
        .filter(|r| r.kind == kind)
        .collect();
    rules.sort_by_key(|r| (r.order, r.id));
    Ok(rules)
}

/// The owner field of a routed kind's document.
fn owner_path(kind: EntityKind) -> &'static str {
    if kind == EntityKind::Lead {
        "data.owner"
    } else {
        "owner"
    }
}

/// The open records of `kind` each member of `members` owns (read past any user's rules:
/// a load is everybody's records).
pub(crate) fn loads(
    tx: &dyn ReadTx,
    kind: EntityKind,
    members: &[String],
) -> Result<BTreeMap<String, u64>> {
    let tx = tx.system().unwrap_or(tx);
    let open: &[(usize, &str)] = if kind == EntityKind::Lead {
        &[(5, "new"), (5, "working")]
    } else {
        &[(2, "active")]
    };
    let mut load: BTreeMap<String, u64> = members.iter().map(|m| (m.clone(), 0)).collect();
    for (slot, key) in open {
        for id in tx.find_ids(kind, *slot, key)? {
            let Some(raw) = tx.get_raw(kind, id)? else {
                continue;
            };
            let doc: Value = serde_json::from_str(&raw.data).unwrap_or(Value::Null);
            if let Some(owner) = at(&doc, owner_path(kind)).and_then(Value::as_str)
                && let Some(n) = load.get_mut(owner)
            {
                *n += 1;
            }
        }
    }
    Ok(load)
}

/// The owner the first matching rule gives a new record of `kind` (its document `doc`),
/// with the rule's name; the rule's turn moves on. `None`: no rule matched, or the
/// matching rule's team has no members.
///
/// # Errors
/// [`crate::Error::Storage`].
pub fn assign(
    tx: &mut dyn WriteTx,
    kind: EntityKind,
    doc: &Value,
) -> Result<Option<(String, String)>> {
    for mut rule in rules_of(&*tx, kind)? {
        if !rule.filter.iter().all(|c| c.holds(doc)) {
            continue;
        }
        let members = |tx: &dyn ReadTx, name: &str| -> Result<Vec<String>> {
            Ok(tx
                .find::<Team>(BY_NAME, name)?
                .pop()
                .map(|t| t.members)
                .unwrap_or_default())
        };
        let owner = match &rule.assign {
            Assignee::User { name } => Some(name.clone()),
            Assignee::Team { name } => Some(format!("team:{name}")),
            Assignee::RoundRobin { name } => {
                let team = members(&*tx, name)?;
                if team.is_empty() {
                    None
                } else {
                    let next = team[(rule.turn % team.len() as u64) as usize].clone();
                    rule.turn += 1;
                    tx.update(&mut rule)?;
                    Some(next)
                }
            }
            Assignee::LeastLoaded { name } => {
                let team = members(&*tx, name)?;
                let load = loads(&*tx, kind, &team)?;
                team.iter().min_by_key(|m| load.get(*m).copied()).cloned()
            }
        };
        if let Some(owner) = owner {
            return Ok(Some((owner, rule.name)));
        }
    }
    Ok(None)
}

/// Records the assignment of `record` to `owner` by `rule`.
///
/// # Errors
/// [`crate::Error::Storage`].
pub fn assigned(
    tx: &mut dyn WriteTx,
    record: RecordKey,
    owner: &str,
    rule: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.emit(
        &DomainEvent::RecordAssigned {
            record,
            owner: owner.to_string(),
            rule: rule.to_string(),
        },
        now,
    )?;
    Ok(())
}
