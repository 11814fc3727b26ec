//! The stored records of access control: users, teams, roles, permission sets,
//! organisation-wide defaults, sharing rules and manual shares, with the specs a caller
//! writes them from. Records name each other by name (a user by login, a team or role or
//! permission set by name), so a host sets them up without carrying ids around.

use serde::{Deserialize, Serialize};

use super::rules::{OrgDefault, ShareAccess};
use crate::id::{
    OrgDefaultId, PermissionSetId, RecordKey, RoleId, ShareId, SharingRuleId, TeamId, UserId,
    Version,
};
use crate::lifecycle::FieldCondition;
use crate::store::EntityKind;

fn yes() -> bool {
    true
}

/// A permission beyond records of one kind.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SystemPermission {
    /// Import records from files.
    Import,
    /// Export a person's data and erase a person.
    ErasePersonalData,
    /// Set up users, teams, roles and permission sets.
    ManageUsers,
    /// Set organisation-wide defaults and sharing rules, and share any record.
    ManageSharing,
    /// Define, change and remove custom fields.
    ManageCustomFields,
    /// Define and run automation.
    RunAutomation,
    /// Read the audit of refusals and access changes.
    ViewAudit,
}

impl SystemPermission {
    /// Its stable name (`manage_users`).
    pub fn as_str(self) -> &'static str {
        match self {
            SystemPermission::Import => "import",
            SystemPermission::ErasePersonalData => "erase_personal_data",
            SystemPermission::ManageUsers => "manage_users",
            SystemPermission::ManageSharing => "manage_sharing",
            SystemPermission::ManageCustomFields => "manage_custom_fields",
            SystemPermission::RunAutomation => "run_automation",
            SystemPermission::ViewAudit => "view_audit",
        }
    }
}

/// What a permission set allows on one record kind.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectPermission {
    /// The kind (`lead`, `account`, …).
    pub kind: EntityKind,
    /// Read the records the user's sharing lets them see.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub read: bool,
    /// Create records.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub create: bool,
    /// Change the records the user's sharing lets them change.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub edit: bool,
    /// Delete the records the user has full access to.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub delete: bool,
    /// Export records of the kind to files.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub export: bool,
    /// Read every record of the kind, whatever its sharing.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub view_all: bool,
    /// Read, change and delete every record of the kind.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub modify_all: bool,
}

impl ObjectPermission {
    /// Read, create, edit and delete the records of `kind` the user's sharing allows.
    pub fn all(kind: EntityKind) -> Self {
        ObjectPermission {
            read: true,
            create: true,
            edit: true,
            delete: true,
            ..ObjectPermission::none(kind)
        }
    }

    /// Only read the records of `kind` the user's sharing allows.
    pub fn read_only(kind: EntityKind) -> Self {
        ObjectPermission {
            read: true,
            ..ObjectPermission::none(kind)
        }
    }

    /// Nothing on `kind`.
    pub fn none(kind: EntityKind) -> Self {
        ObjectPermission {
            kind,
            read: false,
            create: false,
            edit: false,
            delete: false,
            export: false,
            view_all: false,
            modify_all: false,
        }
    }
}

/// A permission set to create or replace, by name.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionSetSpec {
    /// Its name (unique).
    pub name: String,
    /// What it allows per kind.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub objects: Vec<ObjectPermission>,
    /// What it allows beyond records.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub system: Vec<SystemPermission>,
}

/// A stored permission set.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionSet {
    /// Id, assigned by the store.
    pub id: PermissionSetId,
    /// Version.
    pub version: Version,
    /// Its name (unique).
    pub name: String,
    /// What it allows per kind.
    pub objects: Vec<ObjectPermission>,
    /// What it allows beyond records.
    pub system: Vec<SystemPermission>,
}

/// A user to create or replace, by login.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// The host's id for them: what `as_user` takes, what owner fields hold, what
    /// `user:<login>` actors name.
    pub login: String,
    /// Their name, for people.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// Whether they may act at all (a deactivated user keeps their records, sees nothing).
    #[serde(default = "yes")]
    #[cfg_attr(feature = "uniffi", uniffi(default = true))]
    pub active: bool,
    /// Their locale (`en-GB`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub locale: Option<String>,
    /// Their IANA time zone (`Europe/London`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub time_zone: Option<String>,
    /// Their manager's login.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub manager: Option<String>,
    /// Their role's name: who sees what they own (everyone above it).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub role: Option<String>,
    /// The permission sets they hold besides their role's, by name.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub permission_sets: Vec<String>,
}

impl UserSpec {
    /// An active user with `login` and nothing else.
    pub fn new(login: impl Into<String>) -> Self {
        UserSpec {
            login: login.into(),
            name: None,
            active: true,
            locale: None,
            time_zone: None,
            manager: None,
            role: None,
            permission_sets: Vec::new(),
        }
    }

    /// With the role called `role`.
    #[must_use]
    pub fn with_role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }
}

/// A stored user.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Id, assigned by the store.
    pub id: UserId,
    /// Version.
    pub version: Version,
    /// The host's id for them.
    pub login: String,
    /// Their name.
    pub name: Option<String>,
    /// Whether they may act at all.
    pub active: bool,
    /// Their locale.
    pub locale: Option<String>,
    /// Their time zone.
    pub time_zone: Option<String>,
    /// Their manager's login.
    pub manager: Option<String>,
    /// Their role's name.
    pub role: Option<String>,
    /// Their own permission sets, by name.
    pub permission_sets: Vec<String>,
}

/// A team to create or replace, by name.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    /// Its name (unique); records it owns say `team:<name>` as their owner.
    pub name: String,
    /// Its members' logins.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub members: Vec<String>,
}

/// A stored team.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Id, assigned by the store.
    pub id: TeamId,
    /// Version.
    pub version: Version,
    /// Its name.
    pub name: String,
    /// Its members' logins.
    pub members: Vec<String>,
}

/// How a field is restricted for a role.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldAccess {
    /// Left out of every record the role reads, kept as it is on every write.
    Hidden,
    /// Read, never changed: a write that changes it is refused.
    ReadOnly,
}

/// One field restricted for a role.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// The record kind.
    pub kind: EntityKind,
    /// The field's path in the record's document, dotted as in filters
    /// (`data.annual_revenue`, `custom.income`).
    pub field: String,
    /// Hidden or read-only.
    pub access: FieldAccess,
}

/// A role to create or replace, by name.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// Its name (unique).
    pub name: String,
    /// The role above it (its users see what this role's users own).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub parent: Option<String>,
    /// The permission sets every user in the role holds, by name.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub permission_sets: Vec<String>,
    /// Fields hidden or read-only for its users.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub fields: Vec<FieldRule>,
}

impl RoleSpec {
    /// A role called `name` whose users hold `permission_sets`, under `parent`.
    pub fn new(name: impl Into<String>, parent: Option<&str>, permission_sets: &[&str]) -> Self {
        RoleSpec {
            name: name.into(),
            parent: parent.map(str::to_string),
            permission_sets: permission_sets.iter().map(|s| s.to_string()).collect(),
            fields: Vec::new(),
        }
    }
}

/// A stored role.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Id, assigned by the store.
    pub id: RoleId,
    /// Version.
    pub version: Version,
    /// Its name.
    pub name: String,
    /// The role above it.
    pub parent: Option<String>,
    /// Its permission sets, by name.
    pub permission_sets: Vec<String>,
    /// Its field restrictions.
    pub fields: Vec<FieldRule>,
}

/// Whom a sharing rule or a share grants access, by name.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum GranteeRef {
    /// One user, by login.
    User {
        /// The login.
        name: String,
    },
    /// The members of a team.
    Team {
        /// The team's name.
        name: String,
    },
    /// The users in one role.
    Role {
        /// The role's name.
        name: String,
    },
    /// The users in a role and in every role below it.
    RoleAndBelow {
        /// The role's name.
        name: String,
    },
}

impl std::fmt::Display for GranteeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GranteeRef::User { name } => write!(f, "user {name}"),
            GranteeRef::Team { name } => write!(f, "team {name}"),
            GranteeRef::Role { name } => write!(f, "role {name}"),
            GranteeRef::RoleAndBelow { name } => write!(f, "role {name} and below"),
        }
    }
}

/// A sharing rule to create or replace, by name.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharingRuleSpec {
    /// Its name (unique).
    pub name: String,
    /// The kind of records it shares.
    pub kind: EntityKind,
    /// The records it shares: those matching every condition (none: every record).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub filter: Vec<FieldCondition>,
    /// With whom.
    pub grantee: GranteeRef,
    /// Read or edit.
    pub access: ShareAccess,
}

/// A stored sharing rule.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharingRule {
    /// Id, assigned by the store.
    pub id: SharingRuleId,
    /// Version.
    pub version: Version,
    /// Its name.
    pub name: String,
    /// The kind of records it shares.
    pub kind: EntityKind,
    /// The records it shares.
    pub filter: Vec<FieldCondition>,
    /// With whom.
    pub grantee: GranteeRef,
    /// Read or edit.
    pub access: ShareAccess,
}

/// A record shared by hand with a user or a team.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// Id, assigned by the store.
    pub id: ShareId,
    /// Version.
    pub version: Version,
    /// The record shared.
    pub record: RecordKey,
    /// With whom.
    pub grantee: GranteeRef,
    /// Read or edit.
    pub access: ShareAccess,
}

/// The organisation-wide default of one kind, as stored.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgDefaultSetting {
    /// Id, assigned by the store.
    pub id: OrgDefaultId,
    /// Version.
    pub version: Version,
    /// The kind.
    pub kind: EntityKind,
    /// Its default.
    pub default: OrgDefault,
}

/// Index slot of a record's name (a user's login).
pub const BY_NAME: usize = 0;

fn named(name: &str) -> crate::store::IndexKeys {
    [Some(name.to_string()), None, None, None, None, None]
}

crate::store::impl_entity!(User, UserId, EntityKind::User, |u| named(&u.login));
crate::store::impl_entity!(Team, TeamId, EntityKind::Team, |t| named(&t.name));
crate::store::impl_entity!(Role, RoleId, EntityKind::Role, |r| named(&r.name));
crate::store::impl_entity!(
    PermissionSet,
    PermissionSetId,
    EntityKind::PermissionSet,
    |p| named(&p.name)
);
crate::store::impl_entity!(SharingRule, SharingRuleId, EntityKind::SharingRule, |r| {
    named(&r.name)
});
crate::store::impl_entity!(Share, ShareId, EntityKind::Share, |s| named(
    &s.record.to_string()
));
crate::store::impl_entity!(
    OrgDefaultSetting,
    OrgDefaultId,
    EntityKind::OrgDefault,
    |d| named(d.kind.as_str())
);
