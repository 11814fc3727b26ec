//! The use cases of access control: setting up users, teams, roles, permission sets,
//! organisation-wide defaults, sharing rules and manual shares, and asking how far the
//! handle's user may go with a record. Set-up records are saved by name (created, or
//! replaced in place); each change is an `AccessChanged` event.

use chrono::{DateTime, Utc};

use super::assignment::{Assignee, AssignmentRule, AssignmentRuleSpec, ROUTED};
use super::model::{
    BY_NAME, GranteeRef, OrgDefaultSetting, PermissionSet, PermissionSetSpec, Role, RoleSpec,
    Share, SharingRule, SharingRuleSpec, SystemPermission, Team, TeamSpec, User, UserSpec,
};
use super::policy::{Class, class};
use super::rules::{Level, OrgDefault, ShareAccess};
use crate::crm::Crm;
use crate::error::{Error, FieldProblem, Result};
use crate::event::DomainEvent;
use crate::id::{OrgDefaultId, RecordKey, ShareId, Version};
use crate::store::{Entity, EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};

/// A problem with a name: empty, too long, or with control characters.
fn check_name(field: &str, name: &str, problems: &mut Vec<FieldProblem>) {
    if name.trim().is_empty() {
        problems.push(FieldProblem::new(field, "give a name"));
    } else if name.chars().any(char::is_control) || name.len() > 200 {
        problems.push(FieldProblem::new(
            field,
            "at most 200 characters, no control characters",
        ));
    }
}

fn exists<E: Entity>(tx: &dyn ReadTx, name: &str) -> Result<bool> {
    Ok(!tx.find_ids(E::KIND, BY_NAME, name)?.is_empty())
}

fn refuse_problems(problems: Vec<FieldProblem>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation { problems })
    }
}

/// Saves the record named `name`: in place over the stored one, or new.
fn save<E: Entity>(
    tx: &mut dyn WriteTx,
    name: &str,
    build: impl FnOnce(E::Id, Version) -> E,
    now: DateTime<Utc>,
) -> Result<E> {
    let stored: Option<E> = tx.find(BY_NAME, name)?.pop();
    let saved = match stored {
        Some(old) => {
            let mut e = build(old.id(), Version::new(old.version()));
            tx.update(&mut e)?;
            e
        }
        None => tx.insert(|id| build(id, Version::new(0)))?,
    };
    changed(tx, E::KIND, saved.id().raw(), name, "saved", now)?;
    Ok(saved)
}

fn changed(
    tx: &mut dyn WriteTx,
    kind: EntityKind,
    id: u64,
    name: &str,
    change: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.emit(
        &DomainEvent::AccessChanged {
            record: RecordKey::new(kind, id),
            name: name.to_string(),
            change: change.to_string(),
        },
        now,
    )?;
    Ok(())
}

/// The kinds whose records have owners.
const OWNED: [EntityKind; 6] = [
    EntityKind::Lead,
    EntityKind::Account,
    EntityKind::Contact,
    EntityKind::Opportunity,
    EntityKind::Activity,
    EntityKind::Case,
];

/// Gives the records of one kind owned by `from` to `to`.
fn give<E: Entity>(
    tx: &mut dyn WriteTx,
    from: &str,
    to: &str,
    owner: impl Fn(&mut E) -> &mut Option<String>,
    now: DateTime<Utc>,
    given: &mut Vec<RecordKey>,
) -> Result<()> {
    let mut ids = Vec::new();
    tx.for_each::<E>(|mut e| {
        if owner(&mut e).as_deref() == Some(from) {
            ids.push(e.id());
        }
        Ok(())
    })?;
    for id in ids {
        let mut e: E = tx.load(id)?;
        *owner(&mut e) = Some(to.to_string());
        tx.update(&mut e)?;
        let record = RecordKey::new(E::KIND, id.raw());
        tx.emit(
            &DomainEvent::RecordEdited {
                record,
                changes: vec![crate::lifecycle::FieldChange {
                    field: "owner".into(),
                    old: from.into(),
                    new: to.into(),
                }],
            },
            now,
        )?;
        given.push(record);
    }
    Ok(())
}

fn grantee_problems(
    tx: &dyn ReadTx,
    g: &GranteeRef,
    problems: &mut Vec<FieldProblem>,
) -> Result<()> {
    let found = match g {
        GranteeRef::User { name } => exists::<User>(tx, name)?,
        GranteeRef::Team { name } => exists::<Team>(tx, name)?,
        GranteeRef::Role { name } | GranteeRef::RoleAndBelow { name } => exists::<Role>(tx, name)?,
    };
    if !found {
        problems.push(FieldProblem::new("grantee", format!("no {g}")));
    }
    Ok(())
}

fn sets_problems(tx: &dyn ReadTx, sets: &[String], problems: &mut Vec<FieldProblem>) -> Result<()> {
    for set in sets {
        if !exists::<PermissionSet>(tx, set)? {
            problems.push(FieldProblem::new(
                "permission_sets",
                format!("no permission set is called {set:?}"),
            ));
        }
    }
    Ok(())
}

impl<S: Store> Crm<S> {
    /// Creates or replaces the user with `spec.login`.
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad login or a manager, role or permission set that
    /// does not exist; [`Error::Forbidden`] without `manage_users`.
    pub fn set_user(&self, spec: UserSpec, now: DateTime<Utc>) -> Result<User> {
        self.write(|tx| {
            let mut problems = Vec::new();
            check_name("login", &spec.login, &mut problems);
            if spec.login.chars().any(char::is_whitespace) {
                problems.push(FieldProblem::new("login", "no spaces"));
            }
            if spec.login.starts_with("team:") {
                problems.push(FieldProblem::new("login", "`team:` names a team"));
            }
            if let Some(m) = &spec.manager
                && (m == &spec.login || !exists::<User>(&*tx, m)?)
            {
                problems.push(FieldProblem::new(
                    "manager",
                    format!("no other user is {m:?}"),
                ));
            }
            if let Some(r) = &spec.role
                && !exists::<Role>(&*tx, r)?
            {
                problems.push(FieldProblem::new(
                    "role",
                    format!("no role is called {r:?}"),
                ));
            }
            sets_problems(&*tx, &spec.permission_sets, &mut problems)?;
            refuse_problems(problems)?;
            let login = spec.login.clone();
            save(
                tx,
                &login,
                |id, version| User {
                    id,
                    version,
                    login: spec.login,
                    name: spec.name,
                    active: spec.active,
                    locale: spec.locale,
                    time_zone: spec.time_zone,
                    manager: spec.manager,
                    role: spec.role,
                    permission_sets: spec.permission_sets,
                },
                now,
            )
        })
    }

    /// The user with `login`, if any.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn user(&self, login: &str) -> Result<Option<User>> {
        self.read(|tx| Ok(tx.find::<User>(BY_NAME, login)?.pop()))
    }

    /// Every user, in id order.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn users(&self) -> Result<Vec<User>> {
        self.read(|tx| tx.all())
    }

    /// Creates or replaces the team `spec.name`.
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad name or a member who is not a user;
    /// [`Error::Forbidden`] without `manage_users`.
    pub fn set_team(&self, spec: TeamSpec, now: DateTime<Utc>) -> Result<Team> {
        self.write(|tx| {
            let mut problems = Vec::new();
            check_name("name", &spec.name, &mut problems);
            for m in &spec.members {
                if !exists::<User>(&*tx, m)? {
                    problems.push(FieldProblem::new("members", format!("no user is {m:?}")));
                }
            }
            refuse_problems(problems)?;
            let name = spec.name.clone();
            save(
                tx,
                &name,
                |id, version| Team {
                    id,
                    version,
                    name: spec.name,
                    members: spec.members,
                },
                now,
            )
        })
    }

    /// Every team, in id order.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn teams(&self) -> Result<Vec<Team>> {
        self.read(|tx| tx.all())
    }

    /// Creates or replaces the role `spec.name`.
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad name, a parent that does not exist or would make a
    /// cycle, a missing permission set or an empty field path; [`Error::Forbidden`]
    /// without `manage_users`.
    pub fn set_role(&self, spec: RoleSpec, now: DateTime<Utc>) -> Result<Role> {
        self.write(|tx| {
            let mut problems = Vec::new();
            check_name("name", &spec.name, &mut problems);
            if let Some(parent) = &spec.parent {
                let mut next = Some(parent.clone());
                let mut seen = 0;
                while let Some(name) = next {
                    if name == spec.name || seen > 1000 {
                        problems.push(FieldProblem::new(
                            "parent",
                            "the role would be above itself",
                        ));
                        break;
                    }
                    let role = tx.find::<Role>(BY_NAME, &name)?.pop();
                    if role.is_none() && name == *parent {
                        problems.push(FieldProblem::new(
                            "parent",
                            format!("no role is called {parent:?}"),
                        ));
                    }
                    next = role.and_then(|r| r.parent);
                    seen += 1;
                }
            }
            sets_problems(&*tx, &spec.permission_sets, &mut problems)?;
            for f in &spec.fields {
                if f.field.trim().is_empty() {
                    problems.push(FieldProblem::new("fields", "name the field's path"));
                }
            }
            refuse_problems(problems)?;
            let name = spec.name.clone();
            save(
                tx,
                &name,
                |id, version| Role {
                    id,
                    version,
                    name: spec.name,
                    parent: spec.parent,
                    permission_sets: spec.permission_sets,
                    fields: spec.fields,
                },
                now,
            )
        })
    }

    /// Every role, in id order.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn roles(&self) -> Result<Vec<Role>> {
        self.read(|tx| tx.all())
    }

    /// Creates or replaces the permission set `spec.name`.
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad name; [`Error::Forbidden`] without `manage_users`.
    pub fn set_permission_set(
        &self,
        spec: PermissionSetSpec,
        now: DateTime<Utc>,
    ) -> Result<PermissionSet> {
        self.write(|tx| {
            let mut problems = Vec::new();
            check_name("name", &spec.name, &mut problems);
            refuse_problems(problems)?;
            let name = spec.name.clone();
            save(
                tx,
                &name,
                |id, version| PermissionSet {
                    id,
                    version,
                    name: spec.name,
                    objects: spec.objects,
                    system: spec.system,
                },
                now,
            )
        })
    }

    /// Every permission set, in id order.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn permission_sets(&self) -> Result<Vec<PermissionSet>> {
        self.read(|tx| tx.all())
    }

    /// Sets the organisation-wide default of `kind`: private, public read or public
    /// read/write (every kind with owners starts private).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a kind without owners; [`Error::Forbidden`] without
    /// `manage_sharing`.
    pub fn set_org_default(
        &self,
        kind: EntityKind,
        default: OrgDefault,
        now: DateTime<Utc>,
    ) -> Result<OrgDefaultSetting> {
        if !matches!(class(kind), Class::Owned { .. }) {
            return Err(Error::invalid(
                "kind",
                kind.as_str(),
                "only kinds with owners have sharing defaults (lead, account, contact, \
                 opportunity, activity, service_case)",
            ));
        }
        self.write(|tx| {
            save(
                tx,
                kind.as_str(),
                |id: OrgDefaultId, version| OrgDefaultSetting {
                    id,
                    version,
                    kind,
                    default,
                },
                now,
            )
        })
    }

    /// The organisation-wide defaults that were set (the others are private).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn org_defaults(&self) -> Result<Vec<OrgDefaultSetting>> {
        self.read(|tx| tx.all())
    }

    /// Creates or replaces the sharing rule `spec.name`: the records of its kind matching
    /// its filter are shared, read or edit, with its grantee.
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad name, a kind without owners, a malformed condition
    /// or a grantee that does not exist; [`Error::Forbidden`] without `manage_sharing`.
    pub fn set_sharing_rule(
        &self,
        spec: SharingRuleSpec,
        now: DateTime<Utc>,
    ) -> Result<SharingRule> {
        self.write(|tx| {
            let mut problems = Vec::new();
            check_name("name", &spec.name, &mut problems);
            if !matches!(class(spec.kind), Class::Owned { .. }) {
                problems.push(FieldProblem::new(
                    "kind",
                    "only kinds with owners are shared",
                ));
            }
            for c in &spec.filter {
                if let Err(e) = c.check() {
                    problems.push(FieldProblem::new("filter", e.to_string()));
                }
            }
            grantee_problems(&*tx, &spec.grantee, &mut problems)?;
            refuse_problems(problems)?;
            let name = spec.name.clone();
            save(
                tx,
                &name,
                |id, version| SharingRule {
                    id,
                    version,
                    name: spec.name,
                    kind: spec.kind,
                    filter: spec.filter,
                    grantee: spec.grantee,
                    access: spec.access,
                },
                now,
            )
        })
    }

    /// Removes the sharing rule `name`: what it shared is no longer shared by it.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is none; [`Error::Forbidden`] without
    /// `manage_sharing`.
    pub fn remove_sharing_rule(&self, name: &str, now: DateTime<Utc>) -> Result<SharingRule> {
        self.write(|tx| {
            let rule = tx
                .find::<SharingRule>(BY_NAME, name)?
                .pop()
                .ok_or_else(|| Error::not_found("sharing_rule", name))?;
            tx.remove(&rule)?;
            changed(
                tx,
                EntityKind::SharingRule,
                rule.id.get(),
                name,
                "removed",
                now,
            )?;
            Ok(rule)
        })
    }

    /// Every sharing rule, in id order.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn sharing_rules(&self) -> Result<Vec<SharingRule>> {
        self.read(|tx| tx.all())
    }

    /// Shares one record, read or edit, with a user or a team. Only its owner, those
    /// above them, users who may modify all records of the kind and users with
    /// `manage_sharing` share a record.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a record that does not exist; [`Error::Validation`] for a
    /// grantee that is not a user or team; [`Error::InvalidValue`] for a kind without
    /// owners; [`Error::Forbidden`].
    pub fn share_record(
        &self,
        record: RecordKey,
        grantee: GranteeRef,
        access: ShareAccess,
        now: DateTime<Utc>,
    ) -> Result<Share> {
        if !matches!(class(record.kind()), Class::Owned { .. }) {
            return Err(Error::invalid(
                "record",
                record.to_string(),
                "only records of kinds with owners are shared",
            ));
        }
        self.may_share(record)?;
        self.write(|tx| {
            let mut problems = Vec::new();
            if matches!(
                grantee,
                GranteeRef::Role { .. } | GranteeRef::RoleAndBelow { .. }
            ) {
                problems.push(FieldProblem::new(
                    "grantee",
                    "a record is shared by hand with a user or a team (a sharing rule shares \
                     with roles)",
                ));
            }
            grantee_problems(&*tx, &grantee, &mut problems)?;
            refuse_problems(problems)?;
            let key = record.to_string();
            let share = tx.insert(|id: ShareId| Share {
                id,
                version: Version::new(0),
                record,
                grantee,
                access,
            })?;
            changed(tx, EntityKind::Share, share.id.get(), &key, "saved", now)?;
            Ok(share)
        })
    }

    /// Takes a manual share back.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is no such share; [`Error::Forbidden`] as for
    /// [`Crm::share_record`].
    pub fn unshare(&self, share: ShareId, now: DateTime<Utc>) -> Result<Share> {
        let found: Share = self.read(|tx| tx.load(share))?;
        self.may_share(found.record)?;
        self.write(|tx| {
            let found: Share = tx.load(share)?;
            tx.remove(&found)?;
            let key = found.record.to_string();
            changed(tx, EntityKind::Share, found.id.get(), &key, "removed", now)?;
            Ok(found)
        })
    }

    /// The manual shares of one record.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when the record is not visible to the handle's user.
    pub fn shares_of(&self, record: RecordKey) -> Result<Vec<Share>> {
        self.read(|tx| {
            tx.get_raw(record.kind(), record.id())?;
            tx.find(BY_NAME, &record.to_string())
        })
    }

    /// Gives every record owned by `from` — a user's login, `team:<name>`, or an owner
    /// text written before users existed ("Alice Smith") — to `to`, a user's login or
    /// `team:<name>`: leads, accounts, contacts, opportunities, activities and service
    /// cases. Each record changed records a `RecordEdited` event of its owner. Returns
    /// the records given, in kind and id order.
    ///
    /// # Errors
    /// [`Error::Validation`] when `to` is no user or team; [`Error::Forbidden`] (nothing
    /// given) when the handle's user may not give one of the records away.
    pub fn transfer_records(
        &self,
        from: &str,
        to: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<RecordKey>> {
        // kinds the user may not read at all hold nothing they could give
        let readable: Vec<EntityKind> = self.with_guard(|_, guard| {
            Ok(OWNED
                .iter()
                .copied()
                .filter(|k| guard.is_none_or(|g| g.object("read", *k, None).is_ok()))
                .collect())
        })?;
        self.write(|tx| {
            let known = match to.strip_prefix("team:") {
                Some(team) => exists::<Team>(&*tx, team)?,
                None => exists::<User>(&*tx, to)?,
            };
            if !known || from == to {
                return Err(Error::Validation {
                    problems: vec![FieldProblem::new(
                        "to",
                        format!("{to:?} is no other user's login and no `team:<name>`"),
                    )],
                });
            }
            let mut given = Vec::new();
            if readable.contains(&EntityKind::Lead) {
                give::<crate::lead::Lead>(tx, from, to, |l| &mut l.data.owner, now, &mut given)?;
            }
            if readable.contains(&EntityKind::Account) {
                give::<crate::customer::Account>(tx, from, to, |a| &mut a.owner, now, &mut given)?;
            }
            if readable.contains(&EntityKind::Contact) {
                give::<crate::customer::Contact>(tx, from, to, |c| &mut c.owner, now, &mut given)?;
            }
            if readable.contains(&EntityKind::Opportunity) {
                give::<crate::sales::Opportunity>(tx, from, to, |o| &mut o.owner, now, &mut given)?;
            }
            if readable.contains(&EntityKind::Activity) {
                give::<crate::activity::Activity>(tx, from, to, |a| &mut a.owner, now, &mut given)?;
            }
            if readable.contains(&EntityKind::Case) {
                give::<crate::service::Case>(tx, from, to, |c| &mut c.owner, now, &mut given)?;
            }
            Ok(given)
        })
    }

    /// Creates or replaces the assignment rule `spec.name`: new leads or cases without an
    /// owner that match its filter go to its assignee ([`super::assignment`]).
    ///
    /// # Errors
    /// [`Error::Validation`] for a bad name, a kind that is not routed, a malformed
    /// condition or an assignee that does not exist; [`Error::Forbidden`] without
    /// `manage_sharing`.
    pub fn set_assignment_rule(
        &self,
        spec: AssignmentRuleSpec,
        now: DateTime<Utc>,
    ) -> Result<AssignmentRule> {
        self.require(SystemPermission::ManageSharing, EntityKind::AssignmentRule)?;
        self.write(|tx| {
            let mut problems = Vec::new();
            check_name("name", &spec.name, &mut problems);
            if !ROUTED.contains(&spec.kind) {
                problems.push(FieldProblem::new(
                    "kind",
                    "assignment rules route leads and service cases",
                ));
            }
            for c in &spec.filter {
                if let Err(e) = c.check() {
                    problems.push(FieldProblem::new("filter", e.to_string()));
                }
            }
            let found = match &spec.assign {
                Assignee::User { name } => exists::<User>(&*tx, name)?,
                Assignee::Team { name }
                | Assignee::RoundRobin { name }
                | Assignee::LeastLoaded { name } => exists::<Team>(&*tx, name)?,
            };
            if !found {
                problems.push(FieldProblem::new("assign", "no such user or team"));
            }
            refuse_problems(problems)?;
            let name = spec.name.clone();
            let turn = tx
                .find::<AssignmentRule>(BY_NAME, &name)?
                .pop()
                .map_or(0, |r| r.turn);
            save(
                tx,
                &name,
                |id, version| AssignmentRule {
                    id,
                    version,
                    name: spec.name,
                    kind: spec.kind,
                    order: spec.order,
                    filter: spec.filter,
                    assign: spec.assign,
                    turn,
                },
                now,
            )
        })
    }

    /// Removes the assignment rule `name`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is none; [`Error::Forbidden`] without
    /// `manage_sharing`.
    pub fn remove_assignment_rule(&self, name: &str, now: DateTime<Utc>) -> Result<AssignmentRule> {
        self.require(SystemPermission::ManageSharing, EntityKind::AssignmentRule)?;
        self.write(|tx| {
            let rule = tx
                .find::<AssignmentRule>(BY_NAME, name)?
                .pop()
                .ok_or_else(|| Error::not_found("assignment_rule", name))?;
            tx.remove(&rule)?;
            changed(
                tx,
                EntityKind::AssignmentRule,
                rule.id.get(),
                name,
                "removed",
                now,
            )?;
            Ok(rule)
        })
    }

    /// Every assignment rule, in id order.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn assignment_rules(&self) -> Result<Vec<AssignmentRule>> {
        self.read(|tx| tx.all())
    }

    /// How far the handle's user may go with a record: `none`, `read`, `edit` or `full`
    /// (the host, a handle with no user, has full access to everything).
    ///
    /// # Errors
    /// [`Error::NotFound`] when the record does not exist.
    pub fn access_to(&self, record: RecordKey) -> Result<Level> {
        self.with_guard(|tx, guard| {
            let raw = tx
                .get_raw(record.kind(), record.id())?
                .ok_or_else(|| Error::not_found(record.kind().as_str(), record.id()))?;
            let Some(guard) = guard else {
                return Ok(Level::Full);
            };
            guard.level_of(tx, record.kind(), record.id(), &raw.data)
        })
    }

    /// Refuses a share of `record` by a user who is not its owner, above them, allowed to
    /// modify all records of the kind or to manage sharing.
    fn may_share(&self, record: RecordKey) -> Result<()> {
        let level = self.access_to(record)?;
        self.with_guard(|_, guard| match guard {
            Some(g)
                if level < Level::Full
                    && !g
                        .session()
                        .system
                        .contains(&SystemPermission::ManageSharing) =>
            {
                Err(g.refuse(
                    "share",
                    record.kind(),
                    Some(record.id()),
                    "only the owner, those above them and users who manage sharing share a \
                     record",
                ))
            }
            _ => Ok(()),
        })
    }

    /// Refuses an export of `kind` the handle's user may not make.
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    pub fn require_export(&self, kind: EntityKind) -> Result<()> {
        if self.user_login().is_none() {
            return Ok(());
        }
        self.with_guard(|_, guard| guard.map_or(Ok(()), |g| g.object("export", kind, None)))
    }

    /// Refuses a use case that needs `permission` when the handle's user lacks it.
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    pub fn require(&self, permission: SystemPermission, kind: EntityKind) -> Result<()> {
        if self.user_login().is_none() {
            return Ok(());
        }
        self.with_guard(|_, guard| guard.map_or(Ok(()), |g| g.require(permission, kind)))
    }
}
