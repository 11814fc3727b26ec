//! The facade: every use case of the CRM as one method, each one write transaction on the
//! store that also appends its domain events. The clock is always a parameter (`now`).
//!
//! Split by area: leads and capture here, CSV import in [`import`], conversion in
//! [`convert`], merging in [`merge`], sales and activities in [`sales_cases`], duplicate
//! lookups against the store in [`duplicates`].

pub mod account_risk;
pub mod automation_cases;
pub mod convert;
pub mod customer_models;
pub mod desk_cases;
pub mod duplicate_review;
pub mod duplicates;
pub mod escalation_cases;
pub mod field_cases;
pub mod import;
pub mod installed_cases;
pub mod knowledge_cases;
pub mod marketing_cases;
pub mod merge;
pub mod order_cases;
pub mod outbox_cases;
pub mod quote_cases;
pub mod sales_cases;
pub mod scoring_cases;
pub mod service_cases;
pub mod survey_cases;
pub mod timeline;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::contact_info::Region;
use crate::customer::{Account, Contact, NewAccount, NewContact, NewPurchase, Purchase};
use crate::error::{Error, Result};
use crate::event::{DomainEvent, EventEnvelope};
use crate::id::{AccountId, ContactId, LeadId, RecordRef, WebFormId};
use crate::lead::webform::{Submission, WebForm, WebFormSpec};
use crate::lead::{Lead, LeadData, LeadInput, LeadSource, LeadStatus, LeadStatusKind, Rating};
use crate::store::{Entity, EntityKind, ReadExt, ReadTx, RecordId, Store, WriteExt, WriteTx};
use crate::tracking::{NewTouchpoint, Touchpoint, TouchpointKind};

pub use duplicates::DuplicateMatch;

/// The CRM over a store.
///
/// Every method that changes something runs in one write transaction of the store: it
/// either happens completely, with its events, or not at all.
///
/// A handle acts as one [`Actor`]: every event its use cases record names it.
/// [`Crm::as_actor`] gives another handle on the same store acting as someone else
/// (cheap: the store and caches are shared).
#[derive(Debug)]
pub struct Crm<S: Store> {
    shared: std::sync::Arc<Shared<S>>,
    actor: Actor,
    /// The login of the user whose access the handle enforces ([`Crm::as_user`]).
    user: Option<std::sync::Arc<str>>,
}

/// What every handle on one store shares.
#[derive(Debug)]
struct Shared<S: Store> {
    store: S,
    default_region: Region,
    access: crate::access::PolicyCache,
}

impl<S: Store> Clone for Crm<S> {
    fn clone(&self) -> Self {
        Crm {
            shared: self.shared.clone(),
            actor: self.actor.clone(),
            user: self.user.clone(),
        }
    }
}

/// A captured lead and the existing records it may duplicate.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Captured {
    /// The stored lead.
    pub lead: Lead,
    /// Possible duplicates among stored leads and contacts.
    pub duplicates: Vec<DuplicateMatch>,
}

impl<S: Store> Crm<S> {
    /// A CRM over `store`, reading national phone numbers in `default_region`.
    pub fn new(store: S, default_region: Region) -> Self {
        Crm {
            shared: std::sync::Arc::new(Shared {
                store,
                default_region,
                access: crate::access::PolicyCache::default(),
            }),
            actor: Actor::host(),
            user: None,
        }
    }

    /// A handle on the same store acting as `actor`: the events of its use cases name
    /// them. The host vouches for the actor: no access control applies (see
    /// [`Crm::as_user`] for a handle that enforces a user's access).
    pub fn as_actor(&self, actor: Actor) -> Self {
        Crm {
            shared: self.shared.clone(),
            actor,
            user: None,
        }
    }

    /// A handle on the same store bound to the user with `login`: every use case through
    /// it sees only what that user may see and changes only what they may change
    /// ([`crate::access`]); its events name `user:<login>`.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when no user has this login or the user is deactivated.
    pub fn as_user(&self, login: &str) -> Result<Self> {
        let handle = Crm {
            shared: self.shared.clone(),
            actor: Actor::user(login)?,
            user: Some(login.into()),
        };
        handle.read(|_| Ok(()))?;
        Ok(handle)
    }

    /// The login of the user whose access this handle enforces, if any.
    pub fn user_login(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Who this handle acts as.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.shared.store
    }

    /// Runs `f` in a write transaction whose events name this handle's actor, through the
    /// access rules of its user when it has one.
    pub(crate) fn write<R>(&self, f: impl FnOnce(&mut dyn WriteTx) -> Result<R>) -> Result<R> {
        let touched = std::cell::Cell::new(false);
        let generation = self.shared.access.generation();
        let out = self.shared.store.write(|tx| {
            let mut acting = crate::store::Acting::new(tx, &self.actor, self.shared.default_region);
            let out = match &self.user {
                None => f(&mut acting),
                Some(login) => {
                    let (policy, session) =
                        self.shared.access.session(&acting, login, generation)?;
                    let guard = crate::access::Guard::new(&policy, &session);
                    guard.active()?;
                    f(&mut crate::access::GuardedWrite::new(&mut acting, &guard))
                }
            };
            touched.set(acting.touched_access());
            out
        });
        if touched.get() {
            self.shared.access.invalidate();
        }
        self.audited(out)
    }

    /// Runs `f` in a read transaction, through the access rules of the handle's user when
    /// it has one.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&dyn ReadTx) -> Result<R>) -> Result<R> {
        let generation = self.shared.access.generation();
        let out = self.shared.store.read(|tx| match &self.user {
            None => f(tx),
            Some(login) => {
                let (policy, session) = self.shared.access.session(tx, login, generation)?;
                let guard = crate::access::Guard::new(&policy, &session);
                guard.active()?;
                f(&crate::access::GuardedRead::new(tx, &guard))
            }
        });
        self.audited(out)
    }

    /// Runs `f` in a read transaction of the store itself, with the guard of the handle's
    /// user when it has one: for use cases that ask the rules directly.
    pub(crate) fn with_guard<R>(
        &self,
        f: impl FnOnce(&dyn ReadTx, Option<&crate::access::Guard<'_>>) -> Result<R>,
    ) -> Result<R> {
        let generation = self.shared.access.generation();
        let out = self.shared.store.read(|tx| match &self.user {
            None => f(tx, None),
            Some(login) => {
                let (policy, session) = self.shared.access.session(tx, login, generation)?;
                let guard = crate::access::Guard::new(&policy, &session);
                guard.active()?;
                f(tx, Some(&guard))
            }
        });
        self.audited(out)
    }

    /// `out`, with a refusal recorded in the audit log first (in a transaction of its own).
    fn audited<R>(&self, out: Result<R>) -> Result<R> {
        if let (
            Err(Error::Forbidden {
                operation,
                kind,
                id,
                reason,
                ..
            }),
            Some(login),
        ) = (&out, &self.user)
        {
            let recorded = self.shared.store.write(|tx| {
                let Some(user) = tx
                    .find::<crate::access::User>(crate::access::BY_NAME, login)?
                    .pop()
                else {
                    return Ok(());
                };
                let event = DomainEvent::AccessRefused {
                    user: user.id,
                    login: login.to_string(),
                    operation: operation.clone(),
                    kind: kind.clone(),
                    id: *id,
                    reason: reason.clone(),
                };
                let mut new = event.to_new_event(Utc::now())?;
                new.actor = self.actor.clone();
                tx.append_event(&new)?;
                Ok(())
            });
            // The refusal is what the caller must see, even when recording it failed.
            let _ = recorded;
        }
        out
    }

    /// The region national phone numbers are read in.
    pub fn default_region(&self) -> Region {
        self.shared.default_region
    }

    // ---- leads -------------------------------------------------------------------------

    /// Captures a lead typed in by a person (source `manual`).
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem of the input; [`Error::Storage`].
    pub fn capture_lead(&self, input: &LeadInput, now: DateTime<Utc>) -> Result<Captured> {
        let data = input.parse(self.shared.default_region)?;
        self.capture_parsed(LeadSource::Manual, data, now)
    }

    /// Captures already-parsed lead data from any source.
    ///
    /// # Errors
    /// [`Error::Validation`] when the data breaks the capture rules ([`LeadData::check`]);
    /// [`Error::Storage`].
    pub fn capture_parsed(
        &self,
        source: LeadSource,
        data: LeadData,
        now: DateTime<Utc>,
    ) -> Result<Captured> {
        // the capture rules hold for parsed data too (a name or company, a way to reach)
        data.check()?;
        self.write(|tx| insert_lead(tx, source, data, now))
    }

    /// Defines a web form.
    ///
    /// # Errors
    /// [`Error::Validation`] when the definition is inconsistent; [`Error::Storage`].
    pub fn define_web_form(&self, spec: WebFormSpec, now: DateTime<Utc>) -> Result<WebForm> {
        spec.check()?;
        self.write(|tx| {
            let form = tx.insert(|id| WebForm::from_spec(id, spec))?;
            tx.emit(&DomainEvent::WebFormDefined { form: form.id }, now)?;
            Ok(form)
        })
    }

    /// The web form called `name` (case-insensitive), if any.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn web_form_named(&self, name: &str) -> Result<Option<WebForm>> {
        self.read(|tx| {
            Ok(tx
                .find::<WebForm>(WebForm::BY_NAME, &name.trim().to_lowercase())?
                .into_iter()
                .next())
        })
    }

    /// Takes a web-form submission: checks it, refuses a resubmission inside the form's
    /// window, stores the lead and records a form-submission touchpoint.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown form; [`Error::Spam`]; [`Error::Validation`]
    /// listing every problem; [`Error::Duplicate`] for a resubmission; [`Error::Storage`].
    pub fn submit_web_form(&self, form: WebFormId, submission: &Submission) -> Result<Captured> {
        let now = submission.submitted_at;
        self.write(|tx| {
            let form: WebForm = tx.load(form)?;
            let data = form.read_submission(submission)?;
            if let (Some(email), true) = (&data.email, form.resubmission_window_secs > 0) {
                let since = now - Duration::seconds(form.resubmission_window_secs);
                let earlier: Vec<Lead> = tx.find(Lead::BY_EMAIL, &email.dedup_key())?;
                if let Some(prev) = earlier.iter().find(|l| {
                    l.source == LeadSource::WebForm { form: form.id } && l.created_at >= since
                }) {
                    return Err(Error::Duplicate {
                        kind: "web form submission".into(),
                        reason: format!(
                            "{email} already submitted {:?} as lead {} at {}",
                            form.name, prev.id, prev.created_at
                        ),
                    });
                }
            }
            let attribution = data.attribution.clone();
            let captured = insert_lead(tx, LeadSource::WebForm { form: form.id }, data, now)?;
            insert_touchpoint(
                tx,
                NewTouchpoint {
                    subject: RecordRef::Lead(captured.lead.id),
                    at: now,
                    kind: TouchpointKind::FormSubmission {
                        form: form.name.clone(),
                    },
                    attribution,
                },
                now,
            )?;
            for c in form.consents_given(submission) {
                crate::consent::set(
                    tx,
                    RecordRef::Lead(captured.lead.id),
                    c.channel,
                    c.purpose,
                    true,
                    &format!("web form {}", form.name),
                    Some(crate::consent::ConsentProof {
                        form: Some(form.name.clone()),
                        ip: submission.ip.clone(),
                        confirmed_at: None,
                        text: c.text.clone(),
                    }),
                    now,
                )?;
            }
            Ok(captured)
        })
    }

    /// A lead.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn lead(&self, id: LeadId) -> Result<Lead> {
        self.read(|tx| tx.load(id))
    }

    /// Every stored record of `E`'s kind as its JSON document, in id order: what a
    /// binding that builds its own objects from the JSON reads in place of
    /// `Vec<E>` (for the use cases the declaration marks `every E`).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn documents<E: crate::store::Entity>(&self) -> Result<crate::store::Documents> {
        self.read(|tx| tx.documents(E::KIND))
    }

    /// Every lead, in id order.
    ///
    /// # Errors
    /// [`Error::Storage`]; [`Error::Corrupt`].
    pub fn all_leads(&self) -> Result<Vec<Lead>> {
        self.read(|tx| tx.all())
    }

    /// The leads with a status (`new`, `working`, `qualified`, `converted`, `disqualified`).
    ///
    /// # Errors
    /// [`Error::Storage`]; [`Error::Corrupt`].
    pub fn leads_with_status(&self, status: LeadStatusKind) -> Result<Vec<Lead>> {
        self.read(|tx| tx.find(Lead::BY_STATUS, status.as_str()))
    }

    fn change_lead(&self, id: LeadId, now: DateTime<Utc>, next: LeadStatus) -> Result<Lead> {
        self.write(|tx| {
            let mut lead: Lead = tx.load(id)?;
            let from = lead.status.name();
            lead.transition(next, now)?;
            tx.update(&mut lead)?;
            let reason = match &lead.status {
                LeadStatus::Disqualified { reason } => Some(reason.clone()),
                _ => None,
            };
            tx.emit(
                &DomainEvent::LeadStatusChanged {
                    lead: id,
                    from: from.into(),
                    to: lead.status.name().into(),
                    reason,
                },
                now,
            )?;
            Ok(lead)
        })
    }

    /// Edits a lead read at `expected_version`: only the fields `patch` names change
    /// (`null` clears one); the lead must keep the capture rules ([`LeadData::check`]) and
    /// its spam signals are found again. Records `RecordEdited` with each changed field's
    /// old and new value (nothing changed: nothing is written). See [`Crm::edit`].
    ///
    /// # Errors
    /// [`Error::Conflict`] when the lead changed since `expected_version` was read (reload
    /// and edit again); [`Error::Input`] naming a field that is not a lead's;
    /// [`Error::Validation`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn update_lead(
        &self,
        id: LeadId,
        expected_version: crate::id::Version,
        patch: &crate::lifecycle::Patch<LeadData>,
        now: DateTime<Utc>,
    ) -> Result<Lead> {
        self.edit::<Lead>(id, expected_version, patch, now)
    }

    /// A rep starts working the lead (`new` or `disqualified` → `working`).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn start_working(&self, id: LeadId, now: DateTime<Utc>) -> Result<Lead> {
        self.change_lead(id, now, LeadStatus::Working)
    }

    /// Qualifies the lead.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn qualify(&self, id: LeadId, now: DateTime<Utc>) -> Result<Lead> {
        self.change_lead(id, now, LeadStatus::Qualified)
    }

    /// Disqualifies the lead for a reason.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a blank reason; [`Error::IllegalTransition`];
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn disqualify(&self, id: LeadId, reason: &str, now: DateTime<Utc>) -> Result<Lead> {
        self.change_lead(
            id,
            now,
            LeadStatus::Disqualified {
                reason: reason.trim().to_string(),
            },
        )
    }

    /// Sets a lead's score and rating (from rules, a model or a person); records an event
    /// only when something changed.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a non-finite score; [`Error::NotFound`]; [`Error::Storage`].
    pub fn set_lead_score(
        &self,
        id: LeadId,
        score: f64,
        rating: Option<Rating>,
        now: DateTime<Utc>,
    ) -> Result<Lead> {
        if !score.is_finite() {
            return Err(Error::invalid(
                "score",
                score.to_string(),
                "must be a finite number",
            ));
        }
        self.write(|tx| {
            let mut lead: Lead = tx.load(id)?;
            if lead.score == Some(score) && (rating.is_none() || lead.data.rating == rating) {
                return Ok(lead);
            }
            lead.score = Some(score);
            if rating.is_some() {
                lead.data.rating = rating;
            }
            lead.updated_at = now;
            tx.update(&mut lead)?;
            tx.emit(
                &DomainEvent::LeadScored {
                    lead: id,
                    score,
                    rating: rating.map(|r| r.as_str().to_string()),
                },
                now,
            )?;
            Ok(lead)
        })
    }

    /// Possible duplicates of a stored lead among the other leads and the contacts.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn duplicates_of_lead(&self, id: LeadId) -> Result<Vec<DuplicateMatch>> {
        self.read(|tx| {
            let lead: Lead = tx.load(id)?;
            duplicates::find_in_store(tx, &lead.data, Some(RecordRef::Lead(id)))
        })
    }

    // ---- prospect tracking -------------------------------------------------------------

    /// Records a touchpoint on a lead or contact.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a bad touch; [`Error::NotFound`] when the subject does
    /// not exist; [`Error::Storage`].
    pub fn record_touchpoint(
        &self,
        touch: NewTouchpoint,
        now: DateTime<Utc>,
    ) -> Result<Touchpoint> {
        touch.check()?;
        self.write(|tx| {
            ensure_exists(tx, touch.subject)?;
            insert_touchpoint(tx, touch, now)
        })
    }

    /// The touchpoints of a lead or contact, in the order recorded.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn touchpoints_of(&self, subject: RecordRef) -> Result<Vec<Touchpoint>> {
        self.read(|tx| tx.find(Touchpoint::BY_SUBJECT, &subject.key()))
    }

    // ---- customers ---------------------------------------------------------------------

    /// Creates an account.
    ///
    /// # Errors
    /// [`Error::InvalidValue`]; [`Error::Storage`].
    pub fn create_account(&self, new: NewAccount, now: DateTime<Utc>) -> Result<Account> {
        self.write(|tx| create_account_in(tx, new, now))
    }

    /// Creates a contact.
    ///
    /// # Errors
    /// [`Error::InvalidValue`]; [`Error::NotFound`] for an unknown account; [`Error::Storage`].
    pub fn create_contact(&self, new: NewContact, now: DateTime<Utc>) -> Result<Contact> {
        self.write(|tx| create_contact_in(tx, new, now))
    }

    /// An account.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn account(&self, id: AccountId) -> Result<Account> {
        self.read(|tx| tx.load(id))
    }

    /// A contact.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn contact(&self, id: ContactId) -> Result<Contact> {
        self.read(|tx| tx.load(id))
    }

    /// Every account, in id order.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn accounts(&self) -> Result<Vec<Account>> {
        self.read(|tx| tx.all())
    }

    /// Every contact, in id order.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        self.read(|tx| tx.all())
    }

    /// The contacts of an account.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn contacts_of(&self, account: AccountId) -> Result<Vec<Contact>> {
        self.read(|tx| tx.find(Contact::BY_ACCOUNT, &account.to_string()))
    }

    /// Records a purchase.
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::NotFound`] for an unknown contact; [`Error::Storage`].
    pub fn record_purchase(&self, new: NewPurchase, now: DateTime<Utc>) -> Result<Purchase> {
        self.write(|tx| record_purchase_in(tx, new, now))
    }

    /// The purchases of a contact.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn purchases_of(&self, contact: ContactId) -> Result<Vec<Purchase>> {
        self.read(|tx| tx.find(Purchase::BY_CONTACT, &contact.to_string()))
    }

    // ---- events ------------------------------------------------------------------------

    /// Up to `limit` events after the cursor `after_sequence` (0: from the start).
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn events_since(&self, after_sequence: u64, limit: usize) -> Result<Vec<EventEnvelope>> {
        self.read(|tx| tx.events_since(after_sequence, limit))
    }

    /// Up to `limit` events after the cursor `after_sequence`, waiting up to `timeout_ms`
    /// for the first to come when there are none yet: the store wakes the wait when a
    /// write commits — in this process, or in any app server on the same PostgreSQL
    /// database (`LISTEN`/`NOTIFY`; another process on the same SQLite file is seen
    /// within 100 ms). Empty when the time is up. A handle bound to a user waits for
    /// events that user may see.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn wait_for_events(
        &self,
        after_sequence: u64,
        limit: usize,
        timeout_ms: u64,
    ) -> Result<Vec<EventEnvelope>> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(timeout_ms);
        let mut after = after_sequence;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let last = self.shared.store.wait_for_events(after, left)?;
            if last <= after {
                return Ok(Vec::new());
            }
            let events = self.events_since(after, limit)?;
            if !events.is_empty() || std::time::Instant::now() >= deadline {
                return Ok(events);
            }
            // everything up to `last` was hidden from the handle's user: wait for more
            after = last;
        }
    }
}

/// Stores a new lead with its duplicates noted, and its event.
pub(crate) fn insert_lead(
    tx: &mut dyn WriteTx,
    source: LeadSource,
    data: LeadData,
    now: DateTime<Utc>,
) -> Result<Captured> {
    let duplicates = duplicates::find_in_store(tx, &data, None)?;
    insert_lead_found(tx, source, data, duplicates, now)
}

/// [`insert_lead`] with its duplicates already found: each goes on the review list.
pub(crate) fn insert_lead_found(
    tx: &mut dyn WriteTx,
    source: LeadSource,
    data: LeadData,
    duplicates: Vec<DuplicateMatch>,
    now: DateTime<Utc>,
) -> Result<Captured> {
    let source_kind = source.kind().to_string();
    let id = LeadId::from_raw(tx.next_id(EntityKind::Lead)?);
    let mut lead = Lead::new(id, source, data, now);
    let assignment = if lead.data.owner.is_none() {
        let doc = serde_json::to_value(&lead).map_err(Error::storage)?;
        crate::access::assignment::assign(tx, EntityKind::Lead, &doc)?
    } else {
        None
    };
    if let Some((owner, _)) = &assignment {
        lead.data.owner = Some(owner.clone());
    }
    lead.set_version(0);
    tx.update(&mut lead)?;
    tx.emit(
        &DomainEvent::LeadCaptured {
            lead: lead.id,
            source: source_kind,
            possible_duplicates: duplicates.iter().map(|d| d.record).collect(),
        },
        now,
    )?;
    if let Some((owner, rule)) = &assignment {
        let record = crate::id::RecordKey::new(EntityKind::Lead, lead.id.get());
        crate::access::assignment::assigned(tx, record, owner, rule, now)?;
    }
    for found in &duplicates {
        duplicate_review::open_review(
            tx,
            crate::id::RecordKey::new(EntityKind::Lead, lead.id.get()),
            found,
            now,
        )?;
    }
    Ok(Captured { lead, duplicates })
}

pub(crate) fn insert_touchpoint(
    tx: &mut dyn WriteTx,
    touch: NewTouchpoint,
    now: DateTime<Utc>,
) -> Result<Touchpoint> {
    let t = tx.insert(|id| Touchpoint {
        id,
        version: crate::id::Version::NEW,
        subject: touch.subject,
        at: touch.at,
        kind: touch.kind,
        attribution: touch.attribution,
    })?;
    tx.emit(
        &DomainEvent::TouchpointRecorded {
            touchpoint: t.id,
            subject: t.subject,
            kind: t.kind.name().into(),
        },
        now,
    )?;
    Ok(t)
}

/// Fails with [`Error::NotFound`] unless the referenced record exists.
pub(crate) fn ensure_exists(tx: &dyn ReadTx, r: RecordRef) -> Result<()> {
    let (kind, id) = r.entity();
    match tx.get_raw(kind, id)? {
        Some(_) => Ok(()),
        None => Err(Error::not_found(kind.as_str(), id)),
    }
}

/// [`Crm::create_account`] inside a write transaction.
pub(crate) fn create_account_in(
    tx: &mut dyn WriteTx,
    new: NewAccount,
    now: DateTime<Utc>,
) -> Result<Account> {
    let id = AccountId::from_store(tx.next_id(EntityKind::Account)?);
    let mut account = new.build(id, now)?;
    tx.update(&mut account)?;
    tx.emit(
        &DomainEvent::AccountCreated {
            account: account.id,
        },
        now,
    )?;
    Ok(account)
}

/// [`Crm::create_contact`] inside a write transaction.
pub(crate) fn create_contact_in(
    tx: &mut dyn WriteTx,
    new: NewContact,
    now: DateTime<Utc>,
) -> Result<Contact> {
    if let Some(a) = new.account {
        tx.load::<Account>(a)?;
    }
    let id = ContactId::from_store(tx.next_id(EntityKind::Contact)?);
    let mut contact = new.build(id, now)?;
    tx.update(&mut contact)?;
    tx.emit(
        &DomainEvent::ContactCreated {
            contact: contact.id,
            account: contact.account,
        },
        now,
    )?;
    Ok(contact)
}

/// [`Crm::record_purchase`] inside a write transaction.
pub(crate) fn record_purchase_in(
    tx: &mut dyn WriteTx,
    new: NewPurchase,
    now: DateTime<Utc>,
) -> Result<Purchase> {
    insert_purchase(tx, new, None, now)
}

/// Records a purchase, sold on an order line (the order, the line's net) when the CRM
/// made the sale: the purchase is then the order's account's, whichever account the
/// buyer is at.
pub(crate) fn insert_purchase(
    tx: &mut dyn WriteTx,
    new: NewPurchase,
    order: Option<(&crate::quote::SalesOrder, crate::money::Money)>,
    now: DateTime<Utc>,
) -> Result<Purchase> {
    new.check()?;
    let contact: Contact = tx.load(new.contact)?;
    let (account, sales_order, net) = match order {
        Some((o, net)) => (Some(o.content.account), Some(o.id), Some(net)),
        None => (contact.account, None, None),
    };
    let purchase = tx.insert(|id| Purchase {
        id,
        version: crate::id::Version::NEW,
        contact: new.contact,
        account,
        product: new.product.trim().to_string(),
        purchased_at: new.purchased_at,
        sales_rep: new.sales_rep,
        quantity: new.quantity,
        unit_price: new.unit_price,
        special_instructions: new.special_instructions,
        feedback: new.feedback,
        sales_order,
        net,
        custom: new.custom,
    })?;
    tx.emit(
        &DomainEvent::PurchaseRecorded {
            purchase: purchase.id,
            contact: purchase.contact,
            total: purchase.total(),
        },
        now,
    )?;
    Ok(purchase)
}
