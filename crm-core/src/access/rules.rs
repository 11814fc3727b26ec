//! Who may see and change which record: the rule set of record-level access, as one pure
//! function ([`level`]) of a user's resolved standing ([`Subject`]) and the facts of a
//! record ([`RecordFacts`]).
//!
//! The rules, in the order they are read (the most generous one wins):
//!
//! 1. A deactivated user has no access to anything.
//! 2. *View all* / *modify all* on the record's kind ([`KindAccess`]) gives read / full
//!    access to every record of it.
//! 3. The organisation-wide default of the kind ([`OrgDefault`]): private (nothing),
//!    public read, public read/write (edit).
//! 4. Ownership: the owner, or a member of the owning team, has full access (edit and
//!    delete).
//! 5. The role hierarchy: a user whose role is above the role of a record's owning user
//!    (the owner's role, its parent, its parent's parent …, not the same role) has full
//!    access, as the owner.
//! 6. Sharing rules: a rule whose filter the record matches shares it, read or edit, with
//!    a team, a role, or a role and every role below it.
//! 7. Manual shares: one record shared, read or edit, with a user or a team.
//! 8. Implied access: a record that hangs off an account (a contact, a case) is readable
//!    by whoever may read its account by rules 2–7.
//!
//! Object permissions come first and are separate: an operation on a kind needs its
//! permission (read, create, edit, delete, export) before any record of it is looked at.
//! Reading needs [`Level::Read`], editing [`Level::Edit`], deleting [`Level::Full`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::store::EntityKind;

/// How far a user may go with one record, weakest first.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Not even its existence (`none`).
    #[serde(rename = "none")]
    NoAccess,
    /// Read it.
    Read,
    /// Read and change it.
    Edit,
    /// Read, change and delete it (its owner's access).
    Full,
}

/// What a share or a sharing rule grants.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareAccess {
    /// Read.
    Read,
    /// Read and change.
    Edit,
}

impl From<ShareAccess> for Level {
    fn from(a: ShareAccess) -> Self {
        match a {
            ShareAccess::Read => Level::Read,
            ShareAccess::Edit => Level::Edit,
        }
    }
}

/// The organisation-wide default of a kind: what everybody may do with a record nobody
/// shared with them.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgDefault {
    /// Only the owner, those above them and those it is shared with.
    #[default]
    Private,
    /// Everybody reads.
    PublicRead,
    /// Everybody reads and changes.
    PublicReadWrite,
}

impl OrgDefault {
    fn level(self) -> Level {
        match self {
            OrgDefault::Private => Level::NoAccess,
            OrgDefault::PublicRead => Level::Read,
            OrgDefault::PublicReadWrite => Level::Edit,
        }
    }
}

/// Who owns a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum Owner {
    /// A user, by id.
    User(u64),
    /// A team, by id.
    Team(u64),
}

/// Whom a sharing rule or a share grants access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum Grantee {
    /// One user.
    User(u64),
    /// The members of a team.
    Team(u64),
    /// The users in one role.
    Role(u64),
    /// The users in a role and in every role below it.
    RoleAndBelow(u64),
}

/// What a user's permissions allow on one kind beyond its records' sharing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct KindAccess {
    /// Reads every record of the kind.
    #[serde(default)]
    pub view_all: bool,
    /// Reads, changes and deletes every record of the kind.
    #[serde(default)]
    pub modify_all: bool,
}

/// A user as the rules see them: resolved once per session from users, teams, roles and
/// permission sets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subject {
    /// The user's id.
    pub user: u64,
    /// Whether they may act at all.
    pub active: bool,
    /// The teams they are a member of.
    pub teams: BTreeSet<u64>,
    /// Their role and the roles above it, their own first (empty without a role).
    pub roles_up: Vec<u64>,
    /// The users whose role is strictly below theirs (rule 5).
    pub below: BTreeSet<u64>,
    /// View all / modify all per kind.
    pub kinds: BTreeMap<EntityKind, KindAccess>,
}

impl Subject {
    /// Whether a sharing rule's or share's grantee includes this user.
    pub fn is(&self, grantee: Grantee) -> bool {
        match grantee {
            Grantee::User(u) => u == self.user,
            Grantee::Team(t) => self.teams.contains(&t),
            Grantee::Role(r) => self.roles_up.first() == Some(&r),
            Grantee::RoleAndBelow(r) => self.roles_up.contains(&r),
        }
    }

    fn owns(&self, owner: Option<Owner>) -> bool {
        match owner {
            Some(Owner::User(u)) => u == self.user,
            Some(Owner::Team(t)) => self.teams.contains(&t),
            None => false,
        }
    }

    fn above(&self, owner: Option<Owner>) -> bool {
        matches!(owner, Some(Owner::User(u)) if self.below.contains(&u))
    }
}

/// What the rules need of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFacts {
    /// Its kind.
    pub kind: EntityKind,
    /// Its owner, if any.
    pub owner: Option<Owner>,
    /// The grants of the sharing rules it matches, and its manual shares.
    pub grants: Vec<(Grantee, ShareAccess)>,
    /// The account it hangs off (rule 8): that account's facts.
    pub parent: Option<Box<RecordFacts>>,
}

/// The kind's organisation-wide defaults, [`OrgDefault::Private`] when not set.
pub type OrgDefaults = BTreeMap<EntityKind, OrgDefault>;

/// How far `subject` may go with the record `facts` describe (the module's rules 1–8).
pub fn level(subject: &Subject, defaults: &OrgDefaults, facts: &RecordFacts) -> Level {
    if !subject.active {
        return Level::NoAccess;
    }
    let own = direct(subject, defaults, facts);
    let implied = facts.parent.as_deref().map_or(Level::NoAccess, |p| {
        direct(subject, defaults, p).min(Level::Read)
    });
    own.max(implied)
}

/// Rules 2–7 for one record.
fn direct(subject: &Subject, defaults: &OrgDefaults, facts: &RecordFacts) -> Level {
    let kind = subject.kinds.get(&facts.kind).copied().unwrap_or_default();
    if kind.modify_all || subject.owns(facts.owner) || subject.above(facts.owner) {
        return Level::Full;
    }
    let mut level = defaults
        .get(&facts.kind)
        .copied()
        .unwrap_or_default()
        .level();
    if kind.view_all {
        level = level.max(Level::Read);
    }
    for (grantee, access) in &facts.grants {
        if subject.is(*grantee) {
            level = level.max(Level::from(*access));
        }
    }
    level
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(user: u64) -> Subject {
        Subject {
            user,
            active: true,
            ..Subject::default()
        }
    }

    fn lead(owner: Option<Owner>) -> RecordFacts {
        RecordFacts {
            kind: EntityKind::Lead,
            owner,
            grants: Vec::new(),
            parent: None,
        }
    }

    #[test]
    fn owners_teams_and_managers_have_full_access_others_the_default() {
        let none = OrgDefaults::new();
        let mut alice = rep(1);
        alice.teams.insert(7);
        assert_eq!(
            level(&alice, &none, &lead(Some(Owner::User(1)))),
            Level::Full
        );
        assert_eq!(
            level(&alice, &none, &lead(Some(Owner::Team(7)))),
            Level::Full
        );
        assert_eq!(
            level(&alice, &none, &lead(Some(Owner::User(2)))),
            Level::NoAccess
        );
        assert_eq!(level(&alice, &none, &lead(None)), Level::NoAccess);
        let mut boss = rep(3);
        boss.below.insert(1);
        assert_eq!(
            level(&boss, &none, &lead(Some(Owner::User(1)))),
            Level::Full
        );
        // the hierarchy reads owning users, not teams
        assert_eq!(
            level(&boss, &none, &lead(Some(Owner::Team(7)))),
            Level::NoAccess
        );
        let public = OrgDefaults::from([(EntityKind::Lead, OrgDefault::PublicRead)]);
        assert_eq!(
            level(&alice, &public, &lead(Some(Owner::User(2)))),
            Level::Read
        );
        alice.active = false;
        assert_eq!(
            level(&alice, &public, &lead(Some(Owner::User(1)))),
            Level::NoAccess
        );
    }

    #[test]
    fn shares_grant_what_they_say_to_whom_they_name() {
        let none = OrgDefaults::new();
        let mut alice = rep(1);
        alice.teams.insert(7);
        alice.roles_up = vec![20, 10];
        let mut shared = lead(Some(Owner::User(2)));
        shared.grants = vec![
            (Grantee::Role(10), ShareAccess::Edit),
            (Grantee::Team(8), ShareAccess::Edit),
        ];
        // role 10 is above alice's role: a plain role grant is not hers
        assert_eq!(level(&alice, &none, &shared), Level::NoAccess);
        shared
            .grants
            .push((Grantee::RoleAndBelow(10), ShareAccess::Read));
        assert_eq!(level(&alice, &none, &shared), Level::Read);
        shared.grants.push((Grantee::Team(7), ShareAccess::Edit));
        assert_eq!(level(&alice, &none, &shared), Level::Edit);
    }

    #[test]
    fn a_child_is_readable_through_its_account_and_no_more() {
        let none = OrgDefaults::new();
        let alice = rep(1);
        let contact = RecordFacts {
            kind: EntityKind::Contact,
            owner: Some(Owner::User(2)),
            grants: Vec::new(),
            parent: Some(Box::new(RecordFacts {
                kind: EntityKind::Account,
                owner: Some(Owner::User(1)),
                grants: Vec::new(),
                parent: None,
            })),
        };
        assert_eq!(level(&alice, &none, &contact), Level::Read);
        let mut all = rep(1);
        all.kinds.insert(
            EntityKind::Contact,
            KindAccess {
                view_all: true,
                modify_all: false,
            },
        );
        assert_eq!(
            level(&all, &none, &lead(Some(Owner::User(2)))),
            Level::NoAccess
        );
        let mut orphan = contact.clone();
        orphan.parent = None;
        assert_eq!(level(&all, &none, &orphan), Level::Read);
        all.kinds.get_mut(&EntityKind::Contact).unwrap().modify_all = true;
        assert_eq!(level(&all, &none, &orphan), Level::Full);
    }
}
