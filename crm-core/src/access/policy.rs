//! The access configuration of one store, loaded once and cached until it changes
//! ([`Policy`]), and one user resolved against it ([`Session`]): their teams, their place
//! in the role hierarchy, their object and system permissions and their field rules. Also
//! what each record kind is to access control ([`Class`]) and the facts the rules read off
//! a stored document.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::model::{
    FieldAccess, GranteeRef, ObjectPermission, OrgDefaultSetting, PermissionSet, Role, Share,
    SharingRule, SystemPermission, Team, User,
};
use super::pluck::Paths;
use super::rules::{Grantee, KindAccess, OrgDefaults, Owner, RecordFacts, ShareAccess, Subject};
use crate::error::{Error, Result};
use crate::store::{EntityKind, ReadExt, ReadTx};

/// What a record kind is to access control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Owned records: object permissions, then the sharing rules. `owner` is the path of
    /// the owner field; `account`, of the account it hangs off (read implied through it).
    Owned {
        /// The owner field, dotted.
        owner: &'static str,
        /// The account field, dotted.
        account: Option<&'static str>,
    },
    /// Records of an account with no owner of their own (purchases, quotes, assets,
    /// contracts): object permissions, then the access their account gives.
    OfAccount {
        /// The account field, dotted.
        account: &'static str,
    },
    /// Records that belong to another record and follow its access: a warranty its asset,
    /// a touchpoint the lead, contact, account or opportunity it was recorded on. Reading
    /// needs read access to the parent; writing, edit access.
    OfRecord {
        /// The parent field, dotted.
        parent: &'static str,
        /// The parent's kind when the field holds a bare id; `None` when it holds a
        /// `{"kind": …, "id": …}` reference.
        kind: Option<EntityKind>,
    },
    /// Shared reference data (pipelines, products, price books, calendars, campaigns):
    /// read by every active user; writes need the kind's object permission.
    Reference,
    /// Set-up guarded by a system permission for writes, read by every active user.
    Admin(SystemPermission),
    /// Bookkeeping written by the use cases that own it (automation state, external ids,
    /// consents): governed by those use cases.
    Internal,
}

/// What `kind` is to access control.
pub fn class(kind: EntityKind) -> Class {
    use EntityKind as K;
    let owned = |owner, account| Class::Owned { owner, account };
    match kind {
        K::Lead => owned("data.owner", None),
        K::Account => owned("owner", None),
        K::Contact => owned("owner", Some("account")),
        K::Opportunity => owned("owner", Some("account")),
        K::Activity => owned("owner", None),
        K::Case => owned("owner", Some("account")),
        K::Purchase | K::Asset | K::Contract | K::ServiceOrder | K::Survey => {
            Class::OfAccount { account: "account" }
        }
        K::Warranty => Class::OfRecord {
            parent: "asset",
            kind: Some(K::Asset),
        },
        K::Touchpoint => Class::OfRecord {
            parent: "subject",
            kind: None,
        },
        K::Quote | K::SalesOrder => Class::OfAccount {
            account: "content.account",
        },
        K::Pipeline
        | K::WebForm
        | K::ExchangeRate
        | K::Product
        | K::PriceBook
        | K::Technician
        | K::MaintenancePlan
        | K::Article
        | K::Calendar
        | K::SlaPolicy
        | K::Campaign
        | K::Segment
        | K::MarketingPlan
        | K::Queue
        | K::Agent
        | K::RoutingRule
        | K::EscalationRule => Class::Reference,
        K::User | K::Team | K::Role | K::PermissionSet => {
            Class::Admin(SystemPermission::ManageUsers)
        }
        K::SharingRule | K::OrgDefault => Class::Admin(SystemPermission::ManageSharing),
        K::CustomField => Class::Admin(SystemPermission::ManageCustomFields),
        K::AutomationRule | K::AutomationAction => Class::Admin(SystemPermission::RunAutomation),
        K::AutomationState
        | K::ExternalLink
        | K::Consent
        | K::DoNotContact
        | K::UnsubscribeToken
        | K::DuplicateRules
        | K::DuplicateReview
        | K::AssignmentRule
        | K::Share
        | K::Delivery => Class::Internal,
    }
}

/// Whether writing `kind` may change who sees what (the cached policy must be reloaded).
pub fn is_access_kind(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::User
            | EntityKind::Team
            | EntityKind::Role
            | EntityKind::PermissionSet
            | EntityKind::SharingRule
            | EntityKind::OrgDefault
            | EntityKind::Share
    )
}

/// The value at a dotted path of a document.
pub(crate) fn at<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(doc, |v, part| v.as_object()?.get(part))
}

/// A sharing rule as the engine applies it.
#[derive(Debug)]
struct CompiledRule {
    rule: SharingRule,
    grantee: Option<Grantee>,
}

/// The access configuration of a store.
#[derive(Debug, Default)]
pub struct Policy {
    users: HashMap<String, User>,
    teams: HashMap<String, Team>,
    roles: HashMap<String, Role>,
    sets: HashMap<String, PermissionSet>,
    defaults: OrgDefaults,
    rules: HashMap<EntityKind, Vec<CompiledRule>>,
    shares: HashMap<(EntityKind, u64), Vec<(Grantee, ShareAccess)>>,
    sessions: Mutex<HashMap<String, Arc<Session>>>,
    /// Per kind, the paths the rules read of a document.
    paths: HashMap<EntityKind, Paths>,
}

/// One user, resolved.
#[derive(Debug, Clone)]
pub struct Session {
    /// Their login.
    pub login: String,
    /// Their id.
    pub user: u64,
    /// Their standing for the rules.
    pub subject: Subject,
    /// Their object permissions, merged over their sets and their role's.
    pub objects: HashMap<EntityKind, ObjectPermission>,
    /// Their system permissions.
    pub system: BTreeSet<SystemPermission>,
    /// Their role's field rules per kind.
    pub fields: HashMap<EntityKind, Vec<(String, FieldAccess)>>,
}

impl Session {
    /// Their object permission on `kind` (all false when they have none).
    pub fn object(&self, kind: EntityKind) -> ObjectPermission {
        self.objects
            .get(&kind)
            .copied()
            .unwrap_or(ObjectPermission::none(kind))
    }
}

impl Policy {
    /// Reads the whole configuration.
    ///
    /// # Errors
    /// [`Error::Storage`] or [`Error::Corrupt`] from the store.
    pub fn load(tx: &dyn ReadTx) -> Result<Policy> {
        let users: Vec<User> = tx.every()?;
        let teams: Vec<Team> = tx.every()?;
        let roles: Vec<Role> = tx.every()?;
        let sets: Vec<PermissionSet> = tx.every()?;
        let defaults: Vec<OrgDefaultSetting> = tx.every()?;
        let mut policy = Policy {
            users: users.into_iter().map(|u| (u.login.clone(), u)).collect(),
            teams: teams.into_iter().map(|t| (t.name.clone(), t)).collect(),
            roles: roles.into_iter().map(|r| (r.name.clone(), r)).collect(),
            sets: sets.into_iter().map(|s| (s.name.clone(), s)).collect(),
            defaults: defaults.iter().map(|d| (d.kind, d.default)).collect(),
            ..Policy::default()
        };
        for rule in tx.every::<SharingRule>()? {
            let grantee = policy.grantee(&rule.grantee);
            policy
                .rules
                .entry(rule.kind)
                .or_default()
                .push(CompiledRule { rule, grantee });
        }
        for kind in EntityKind::ALL {
            let mut paths = Paths::default();
            match class(*kind) {
                Class::Owned { owner, account } => {
                    paths.add(owner);
                    if let Some(a) = account {
                        paths.add(a);
                    }
                }
                Class::OfAccount { account } => paths.add(account),
                Class::OfRecord { parent, .. } => paths.add(parent),
                _ => continue,
            }
            for r in policy.rules.get(kind).into_iter().flatten() {
                for c in &r.rule.filter {
                    paths.add(&c.field);
                }
            }
            policy.paths.insert(*kind, paths);
        }
        for share in tx.every::<Share>()? {
            if let Some(g) = policy.grantee(&share.grantee) {
                policy
                    .shares
                    .entry((share.record.kind(), share.record.id()))
                    .or_default()
                    .push((g, share.access));
            }
        }
        Ok(policy)
    }

    /// What the rules read of a stored document of `kind`: only the members on their
    /// paths ([`Paths::pluck`]), or the whole document when its shape needs it.
    ///
    /// # Errors
    /// [`Error::Corrupt`] for a document that is not JSON.
    pub fn judged(&self, kind: EntityKind, id: u64, data: &str) -> Result<Value> {
        if let Some(v) = self.paths.get(&kind).and_then(|p| p.pluck(data)) {
            return Ok(v);
        }
        serde_json::from_str(data).map_err(|e| Error::Corrupt {
            kind: kind.as_str().into(),
            id,
            message: e.to_string(),
        })
    }

    /// The user with `login`.
    pub fn user(&self, login: &str) -> Option<&User> {
        self.users.get(login)
    }

    /// A grantee by id, when what it names exists.
    pub fn grantee(&self, g: &GranteeRef) -> Option<Grantee> {
        Some(match g {
            GranteeRef::User { name } => Grantee::User(self.users.get(name)?.id.get()),
            GranteeRef::Team { name } => Grantee::Team(self.teams.get(name)?.id.get()),
            GranteeRef::Role { name } => Grantee::Role(self.roles.get(name)?.id.get()),
            GranteeRef::RoleAndBelow { name } => {
                Grantee::RoleAndBelow(self.roles.get(name)?.id.get())
            }
        })
    }

    /// Who an owner field names: a user by login, a team as `team:<name>`.
    pub fn owner(&self, text: &str) -> Option<Owner> {
        match text.strip_prefix("team:") {
            Some(team) => self.teams.get(team).map(|t| Owner::Team(t.id.get())),
            None => self.users.get(text).map(|u| Owner::User(u.id.get())),
        }
    }

    /// The organisation-wide defaults.
    pub fn defaults(&self) -> &OrgDefaults {
        &self.defaults
    }

    /// Whether sharing rules apply to `kind`.
    pub fn has_rules(&self, kind: EntityKind) -> bool {
        self.rules.contains_key(&kind)
    }

    /// A role and those above it, its own first (stops at a cycle).
    fn chain(&self, role: Option<&str>) -> Vec<&Role> {
        let mut out: Vec<&Role> = Vec::new();
        let mut next = role;
        while let Some(name) = next {
            let Some(r) = self.roles.get(name) else { break };
            if out.iter().any(|o| o.id == r.id) {
                break;
            }
            out.push(r);
            next = r.parent.as_deref();
        }
        out
    }

    /// The user `login`, resolved (cached per policy).
    ///
    /// # Errors
    /// [`Error::Forbidden`] when no user has this login.
    pub fn session(&self, login: &str) -> Result<Arc<Session>> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = sessions.get(login) {
            return Ok(s.clone());
        }
        let user = self.users.get(login).ok_or_else(|| Error::Forbidden {
            user: login.into(),
            operation: "sign in".into(),
            kind: "user".into(),
            id: None,
            reason: "no user has this login".into(),
        })?;
        let session = Arc::new(self.resolve(user));
        sessions.insert(login.to_string(), session.clone());
        Ok(session)
    }

    fn resolve(&self, user: &User) -> Session {
        let chain = self.chain(user.role.as_deref());
        let mut below = BTreeSet::new();
        if let Some(own) = chain.first() {
            for other in self.users.values() {
                let theirs = self.chain(other.role.as_deref());
                if theirs.iter().skip(1).any(|r| r.id == own.id) {
                    below.insert(other.id.get());
                }
            }
        }
        let teams = self
            .teams
            .values()
            .filter(|t| t.members.contains(&user.login))
            .map(|t| t.id.get())
            .collect();
        let set_names = user
            .permission_sets
            .iter()
            .chain(chain.first().into_iter().flat_map(|r| &r.permission_sets));
        let mut objects: HashMap<EntityKind, ObjectPermission> = HashMap::new();
        let mut system = BTreeSet::new();
        for set in set_names.filter_map(|n| self.sets.get(n)) {
            system.extend(set.system.iter().copied());
            for o in &set.objects {
                let m = objects
                    .entry(o.kind)
                    .or_insert(ObjectPermission::none(o.kind));
                m.read |= o.read || o.view_all || o.modify_all;
                m.create |= o.create || o.modify_all;
                m.edit |= o.edit || o.modify_all;
                m.delete |= o.delete || o.modify_all;
                m.export |= o.export;
                m.view_all |= o.view_all || o.modify_all;
                m.modify_all |= o.modify_all;
            }
        }
        let mut fields: HashMap<EntityKind, Vec<(String, FieldAccess)>> = HashMap::new();
        if let Some(role) = chain.first() {
            for f in &role.fields {
                fields
                    .entry(f.kind)
                    .or_default()
                    .push((f.field.clone(), f.access));
            }
        }
        let kinds = objects
            .values()
            .map(|o| {
                (
                    o.kind,
                    KindAccess {
                        view_all: o.view_all,
                        modify_all: o.modify_all,
                    },
                )
            })
            .collect();
        Session {
            login: user.login.clone(),
            user: user.id.get(),
            subject: Subject {
                user: user.id.get(),
                active: user.active,
                teams,
                roles_up: chain.iter().map(|r| r.id.get()).collect(),
                below,
                kinds,
            },
            objects,
            system,
            fields,
        }
    }

    /// The facts of a record of an owned kind, from its document (`parent` left empty).
    pub fn facts(&self, kind: EntityKind, id: u64, owner_at: &str, doc: &Value) -> RecordFacts {
        let owner = at(doc, owner_at)
            .and_then(Value::as_str)
            .and_then(|o| self.owner(o));
        let mut grants: Vec<(Grantee, ShareAccess)> = Vec::new();
        if let Some(rules) = self.rules.get(&kind) {
            for r in rules {
                if let Some(g) = r.grantee
                    && r.rule.filter.iter().all(|c| c.holds(doc))
                {
                    grants.push((g, r.rule.access));
                }
            }
        }
        if let Some(shared) = self.shares.get(&(kind, id)) {
            grants.extend(shared.iter().copied());
        }
        RecordFacts {
            kind,
            owner,
            grants,
            parent: None,
        }
    }
}
