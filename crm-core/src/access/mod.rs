//! Access control: users, teams, roles, permission sets, organisation-wide defaults,
//! sharing rules and manual shares ([`model`]), the rule set that decides how far a user
//! may go with a record ([`rules`]), the configuration resolved per user ([`policy`]), and
//! its enforcement in every transaction of a handle bound to a user ([`guard`],
//! [`crate::Crm::as_user`]). The use cases that set it up are in [`cases`].
//!
//! A handle made by [`crate::Crm::new`] or [`crate::Crm::as_actor`] is the host itself and
//! is never refused; a handle made by [`crate::Crm::as_user`] is refused what its user may
//! not do, with [`crate::Error::Forbidden`], and each refusal is recorded in the event log
//! (`AccessRefused`, readable with [`SystemPermission::ViewAudit`]).
//!
//! Who owns a record: its owner field holds a user's login, or `team:<name>` for a team.

pub mod assignment;
pub mod cases;
pub mod guard;
pub mod model;
pub mod pluck;
pub mod policy;
pub mod rules;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub use assignment::{Assignee, AssignmentRule, AssignmentRuleSpec};
pub use guard::{Guard, GuardedRead, GuardedWrite};
pub use model::{
    BY_NAME, FieldAccess, FieldRule, GranteeRef, ObjectPermission, OrgDefaultSetting,
    PermissionSet, PermissionSetSpec, Role, RoleSpec, Share, SharingRule, SharingRuleSpec,
    SystemPermission, Team, TeamSpec, User, UserSpec,
};
pub use policy::{Class, Policy, Session, class, is_access_kind};
pub use rules::{Level, OrgDefault, ShareAccess};

use crate::error::{Error, Result};
use crate::store::ReadTx;

/// The policy of one store, loaded on first use and again after access control changed:
/// through this process (the generation counter, bumped when a write to access control
/// commits) or through another process or instance on the same database (an
/// `AccessChanged` event in the log past the one the policy was loaded at).
#[derive(Debug, Default)]
pub struct PolicyCache {
    generation: AtomicU64,
    cached: Mutex<Option<Cached>>,
}

#[derive(Debug)]
struct Cached {
    generation: u64,
    /// The last event in the log when the policy was loaded or last checked.
    seen: u64,
    policy: Arc<Policy>,
}

/// How many events are read at a time when looking for access changes by others.
const EVENT_PAGE: usize = 1_000;

impl PolicyCache {
    /// The current generation: read it before opening the transaction the policy is
    /// loaded in, so that a policy read from a snapshot older than a change is never kept
    /// as current.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Marks the cached policy stale (after a write to access control committed).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The policy, loaded from `tx` when the cached one is older than `generation` or the
    /// log shows an access change since it was loaded.
    ///
    /// # Errors
    /// [`Error::Storage`] or [`Error::Corrupt`] from the store.
    pub fn policy(&self, tx: &dyn ReadTx, generation: u64) -> Result<Arc<Policy>> {
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        let last = tx.last_event_sequence()?;
        if let Some(c) = cached.as_mut()
            && c.generation == generation
            && !changed_since(tx, c.seen, last)?
        {
            c.seen = c.seen.max(last);
            return Ok(c.policy.clone());
        }
        let policy = Arc::new(Policy::load(tx)?);
        *cached = Some(Cached {
            generation,
            seen: last,
            policy: policy.clone(),
        });
        Ok(policy)
    }

    /// The policy and the user `login` resolved in it.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when no user has this login; as [`PolicyCache::policy`].
    pub fn session(
        &self,
        tx: &dyn ReadTx,
        login: &str,
        generation: u64,
    ) -> Result<(Arc<Policy>, Arc<Session>)> {
        let policy = self.policy(tx, generation)?;
        let session = policy.session(login)?;
        Ok((policy, session))
    }
}

/// Whether the log holds an access change after `seen`, up to `last`.
fn changed_since(tx: &dyn ReadTx, seen: u64, last: u64) -> Result<bool> {
    let mut after = seen;
    while after < last {
        let page = tx.events_since(after, EVENT_PAGE)?;
        let Some(end) = page.last().map(|e| e.sequence) else {
            break;
        };
        if page.iter().any(|e| e.event_type == "AccessChanged") {
            return Ok(true);
        }
        after = end;
    }
    Ok(false)
}

impl Guard<'_> {
    /// Refuses everything to a deactivated user.
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    pub fn active(&self) -> Result<()> {
        if self.session().subject.active {
            Ok(())
        } else {
            Err(Error::Forbidden {
                user: self.session().login.clone(),
                operation: "sign in".into(),
                kind: "user".into(),
                id: Some(self.session().user),
                reason: "the user is deactivated".into(),
            })
        }
    }
}
