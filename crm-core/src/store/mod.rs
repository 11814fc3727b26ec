//! Storage: small synchronous traits a store implements, and the typed layer on top.
//!
//! A store keeps records of each [`EntityKind`] as JSON documents with an id, a version and
//! up to [`KEY_SLOTS`] secondary index keys, plus an append-only event log. It implements
//! four object-safe methods for reads ([`ReadTx`]) and four for writes ([`WriteTx`]), and
//! runs closures in transactions ([`Store::read`], [`Store::write`]: a write commits only
//! when its closure returns `Ok`).
//!
//! The typed layer ([`ReadExt`], [`WriteExt`]) is written once here for every store:
//! `tx.get::<Lead>(id)`, `tx.update(&mut lead)`, `tx.emit(event, at)`. Every record
//! carries a version; a put based on a stale version fails with [`Error::Conflict`], so
//! no update is ever lost.
//!
//! [`MemoryStore`] lives here; the SQLite store is the `crm-sqlite` crate. Both pass the
//! conformance suite in [`conformance`], which a host's own store can run too (feature
//! `testing`, macro [`store_conformance_tests!`](crate::store_conformance_tests)).

mod acting;
#[cfg(any(test, feature = "testing"))]
pub mod conformance;
mod documents;
mod memory;
mod signal;

pub use acting::Acting;
pub use documents::{Document, Documents, Listed, decode_document};
pub use memory::MemoryStore;
pub use signal::EventSignal;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::event::{DomainEvent, EventEnvelope, NewEvent};

/// How many secondary index keys a record can have.
pub const KEY_SLOTS: usize = 6;

/// The secondary index keys of a record, by slot; `None` leaves the slot unindexed.
pub type IndexKeys = [Option<String>; KEY_SLOTS];

macro_rules! entity_kinds {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// The kinds of record a store keeps.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum EntityKind {
            $(
                #[doc = concat!("`", $name, "` records.")]
                $variant,
            )+
        }

        impl EntityKind {
            /// Every kind.
            pub const ALL: &'static [EntityKind] = &[$(EntityKind::$variant),+];

            /// The kind's stable name (`lead`, `web_form`, …), usable as a table name.
            pub const fn as_str(self) -> &'static str {
                match self { $(EntityKind::$variant => $name,)+ }
            }
        }

        impl FromStr for EntityKind {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                match s {
                    $($name => Ok(EntityKind::$variant),)+
                    _ => Err(Error::invalid("entity kind", s, "unknown kind")),
                }
            }
        }
    };
}

entity_kinds! {
    Lead => "lead",
    Account => "account",
    Contact => "contact",
    Touchpoint => "touchpoint",
    Activity => "activity",
    Purchase => "purchase",
    Opportunity => "opportunity",
    Pipeline => "pipeline",
    WebForm => "web_form",
    ExchangeRate => "exchange_rate",
    Product => "product",
    PriceBook => "price_book",
    Quote => "quote",
    SalesOrder => "sales_order",
    Case => "service_case",
    Asset => "asset",
    Warranty => "warranty",
    Contract => "contract",
    Technician => "technician",
    ServiceOrder => "service_order",
    MaintenancePlan => "maintenance_plan",
    Article => "article",
    Calendar => "calendar",
    SlaPolicy => "sla_policy",
    Campaign => "campaign",
    Segment => "segment",
    MarketingPlan => "marketing_plan",
    AutomationRule => "automation_rule",
    AutomationAction => "automation_action",
    AutomationState => "automation_state",
    ExternalLink => "external_link",
    Consent => "consent",
    DoNotContact => "do_not_contact",
    UnsubscribeToken => "unsubscribe_token",
    CustomField => "custom_field",
    DuplicateRules => "duplicate_rules",
    DuplicateReview => "duplicate_review",
    User => "user",
    Team => "team",
    Role => "role",
    PermissionSet => "permission_set",
    SharingRule => "sharing_rule",
    Share => "share",
    OrgDefault => "org_default",
    AssignmentRule => "assignment_rule",
    Delivery => "delivery",
    Queue => "queue",
    Agent => "service_agent",
    RoutingRule => "routing_rule",
    EscalationRule => "escalation_rule",
    Survey => "survey",
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored record in its raw form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    /// Its id.
    pub id: u64,
    /// Its version (1 after the first write).
    pub version: u64,
    /// Its JSON document.
    pub data: String,
    /// Whether it is archived: out of listings, scans and index lookups, readable by id.
    pub archived: bool,
}

/// The read operations of a transaction.
pub trait ReadTx {
    /// The record of `kind` with `id`, if any.
    ///
    /// # Errors
    /// [`Error::Storage`] when the store fails.
    fn get_raw(&self, kind: EntityKind, id: u64) -> Result<Option<RawRecord>>;

    /// The ids of live (not archived) records of `kind` whose index key in `slot` equals
    /// `value`, ascending.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] when `slot >= KEY_SLOTS`; [`Error::Storage`] when the store fails.
    fn find_ids(&self, kind: EntityKind, slot: usize, value: &str) -> Result<Vec<u64>>;

    /// Up to `limit` ids of live records of `kind` above `after_id` whose index key in
    /// `slot` equals `value`, ascending: an index read a page at a time. The default goes
    /// through [`ReadTx::find_ids`].
    ///
    /// # Errors
    /// As [`ReadTx::find_ids`].
    fn find_ids_after(
        &self,
        kind: EntityKind,
        slot: usize,
        value: &str,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<u64>> {
        let ids = self.find_ids(kind, slot, value)?;
        let start = ids.partition_point(|id| *id <= after_id);
        Ok(ids[start..].iter().take(limit).copied().collect())
    }

    /// Up to `limit` live (not archived) records of `kind` with ids above `after_id`,
    /// ascending.
    ///
    /// # Errors
    /// [`Error::Storage`] when the store fails.
    fn scan_raw(&self, kind: EntityKind, after_id: u64, limit: usize) -> Result<Vec<RawRecord>>;

    /// Calls `f(id, version, data)` on up to `limit` live records of `kind` with ids above
    /// `after_id`, ascending, and returns how many it visited. A store can lend `data`
    /// straight from its own buffers; the default goes through [`ReadTx::scan_raw`].
    ///
    /// # Errors
    /// [`Error::Storage`] when the store fails, or whatever `f` returns.
    fn visit_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        let page = self.scan_raw(kind, after_id, limit)?;
        for raw in &page {
            f(raw.id, raw.version, &raw.data)?;
        }
        Ok(page.len())
    }

    /// As [`ReadTx::visit_raw`], for an `f` that does not use this transaction again: a
    /// store may then hand each record over as it arrives, the next ones still on their
    /// way (PostgreSQL sends rows while the caller decodes). The default is `visit_raw`.
    ///
    /// # Errors
    /// As [`ReadTx::visit_raw`]; a store may refuse an `f` that uses the transaction.
    fn stream_raw(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
        f: &mut dyn FnMut(u64, u64, &str) -> Result<()>,
    ) -> Result<usize> {
        self.visit_raw(kind, after_id, limit, f)
    }

    /// Up to `limit` archived records of `kind` with ids above `after_id`, ascending.
    ///
    /// # Errors
    /// [`Error::Storage`] when the store fails.
    fn scan_archived(
        &self,
        kind: EntityKind,
        after_id: u64,
        limit: usize,
    ) -> Result<Vec<RawRecord>>;

    /// Up to `limit` events with sequence above `after_sequence`, in order.
    ///
    /// # Errors
    /// [`Error::Storage`] when the store fails.
    fn events_since(&self, after_sequence: u64, limit: usize) -> Result<Vec<EventEnvelope>>;

    /// The live records of the query's kinds whose searched texts
    /// ([`crate::search::document_texts`]) hold the query's words, best first by BM25 with
    /// the field weights of [`crate::search::COLUMN_WEIGHTS`]. A store keeps what it
    /// searches in step with every write of the same transaction.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn search_text(&self, query: &crate::search::TextQuery) -> Result<Vec<crate::search::TextHit>>;

    /// The transaction behind a user's access rules, for the bookkeeping that must see
    /// every record whoever acts (the load of each member of a team); `None` when this
    /// transaction applies no rules.
    fn system(&self) -> Option<&dyn ReadTx> {
        None
    }

    /// Every event about the record `id` of `kind`, in order. The default reads the whole
    /// log; stores override it with an index.
    ///
    /// # Errors
    /// [`Error::Storage`] when the store fails.
    fn events_of(&self, kind: EntityKind, id: u64) -> Result<Vec<EventEnvelope>> {
        let mut found = Vec::new();
        let mut after = 0;
        loop {
            let page = self.events_since(after, 1000)?;
            let Some(last) = page.last() else {
                return Ok(found);
            };
            after = last.sequence;
            found.extend(
                page.into_iter()
                    .filter(|e| e.aggregate == kind && e.aggregate_id == id),
            );
        }
    }

    /// The sequence of the newest event (0 when the log is empty). The default finds it in
    /// O(log n) calls of [`ReadTx::events_since`]; stores override it with one lookup.
    ///
    /// # Errors
    /// [`Error::Storage`] when the store fails.
    fn last_event_sequence(&self) -> Result<u64> {
        let exists = |seq: u64| -> Result<bool> {
            Ok(seq == 0 || !self.events_since(seq - 1, 1)?.is_empty())
        };
        // Gallop to a sequence past the end, then bisect: the log has no gaps.
        let mut hi = 1u64;
        while exists(hi)? {
            hi = hi.saturating_mul(2);
        }
        let mut lo = hi / 2; // exists(lo) holds (or lo == 0)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if exists(mid)? {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(lo)
    }
}

/// The write operations of a transaction; see the module docs for the version rules.
pub trait WriteTx: ReadTx {
    /// A fresh id for a record of `kind`: never handed out before by this store, even if
    /// the record that had it was deleted.
    ///
    /// # Errors
    /// [`Error::Storage`] when the store fails.
    fn next_id(&mut self, kind: EntityKind) -> Result<u64>;

    /// Writes a record whose current version is `expected_version` (0: it must not exist
    /// yet); the record's new version is `expected_version + 1`.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the stored version differs from `expected_version`;
    /// [`Error::Storage`] when the store fails.
    fn put_raw(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        data: &str,
        keys: &IndexKeys,
    ) -> Result<()>;

    /// Deletes a record whose current version is `expected_version`.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the stored version differs (0 if it does not exist);
    /// [`Error::Storage`] when the store fails.
    fn delete_raw(&mut self, kind: EntityKind, id: u64, expected_version: u64) -> Result<()>;

    /// Archives (`true`) or restores (`false`) a record whose current version is
    /// `expected_version`; its new version is `expected_version + 1`, its document and
    /// index keys unchanged. An archived record leaves scans and index lookups and stays
    /// readable by id; writing it keeps it archived.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the stored version differs (0 if it does not exist);
    /// [`Error::Storage`] when the store fails.
    fn set_archived(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        archived: bool,
    ) -> Result<()>;

    /// Appends an event to the log and returns its sequence.
    ///
    /// # Errors
    /// [`Error::Storage`] when the store fails.
    fn append_event(&mut self, event: &NewEvent) -> Result<u64>;

    /// Replaces the payload of stored event `sequence`: for erasing personal data only
    /// ([`crate::privacy`]); the log is otherwise append-only.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is no such event; [`Error::Storage`].
    fn redact_event(&mut self, sequence: u64, payload: &serde_json::Value) -> Result<()>;

    /// Checks a typed record about to be written ([`WriteExt::update`]) beyond what its
    /// type checks, returning its document in the form to store when that differs. A
    /// store has nothing to add; the facade's transaction checks custom values
    /// ([`crate::custom`]).
    ///
    /// # Errors
    /// [`Error::Validation`] naming what is wrong.
    fn prepare(
        &mut self,
        kind: EntityKind,
        id: u64,
        expected_version: u64,
        data: &str,
    ) -> Result<Option<String>> {
        let _ = (kind, id, expected_version, data);
        Ok(None)
    }
}

/// A store: runs closures in read and write transactions.
pub trait Store: Send + Sync {
    /// Runs `f` on a consistent read-only view.
    ///
    /// # Errors
    /// Whatever `f` returns, or [`Error::Storage`] when the store fails.
    fn read<R>(&self, f: impl FnOnce(&dyn ReadTx) -> Result<R>) -> Result<R>;

    /// Runs `f` in a write transaction that commits when `f` returns `Ok` and rolls back
    /// everything (records, ids, events) when it returns `Err`.
    ///
    /// # Errors
    /// Whatever `f` returns, or [`Error::Storage`] when the store fails.
    fn write<R>(&self, f: impl FnOnce(&mut dyn WriteTx) -> Result<R>) -> Result<R>;

    /// Makes content deleted or overwritten so far unrecoverable from the store's files
    /// (after an erasure, [`crate::privacy`]). A store without files has nothing to do.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn purge(&self) -> Result<()> {
        Ok(())
    }

    /// Runs `f` — a run of large write transactions, such as an import's batches — with
    /// the store set up for it (SQLite: a page cache large enough to hold a batch's
    /// index pages, given back afterwards); what `f` writes and when it commits are the
    /// same as without. A store without such a setting just runs `f`.
    ///
    /// # Errors
    /// Whatever `f` returns, or [`Error::Storage`] when the store cannot be set up.
    fn bulk<R>(&self, f: impl FnOnce() -> Result<R>) -> Result<R> {
        f()
    }

    /// Blocks until the event log holds an event after `after_sequence` or `timeout` has
    /// passed, and returns the log's last sequence (not past `after_sequence`: nothing
    /// came). A store wakes its waiters when its own writes commit and when it learns of
    /// others' (PostgreSQL: `LISTEN`); one that cannot learn of others' looks at the log
    /// every 100 ms.
    ///
    /// # Errors
    /// [`Error::Storage`].
    fn wait_for_events(&self, after_sequence: u64, timeout: std::time::Duration) -> Result<u64> {
        EventSignal::new().wait(
            after_sequence,
            timeout,
            std::time::Duration::from_millis(100),
            || self.read(|tx| tx.last_event_sequence()),
        )
    }
}

/// A record id type: a positive integer behind a type.
pub trait RecordId: Copy + fmt::Display {
    /// The number.
    fn raw(self) -> u64;
    /// The id a store handed out.
    fn from_raw(raw: u64) -> Self;
}

macro_rules! record_ids {
    ($($id:ident),+) => {$(
        impl RecordId for crate::id::$id {
            fn raw(self) -> u64 { self.get() }
            fn from_raw(raw: u64) -> Self { Self::from_store(raw) }
        }
    )+};
}
record_ids!(
    DeliveryId,
    QueueId,
    AgentId,
    RoutingRuleId,
    EscalationRuleId,
    SurveyId,
    AssignmentRuleId,
    UserId,
    TeamId,
    RoleId,
    PermissionSetId,
    SharingRuleId,
    ShareId,
    OrgDefaultId,
    CustomFieldId,
    DuplicateRulesId,
    DuplicateReviewId,
    ExternalLinkId,
    ConsentId,
    DoNotContactId,
    UnsubscribeTokenId,
    LeadId,
    AccountId,
    ContactId,
    TouchpointId,
    ActivityId,
    PurchaseId,
    OpportunityId,
    PipelineId,
    WebFormId,
    ExchangeRateId,
    ProductId,
    PriceBookId,
    QuoteId,
    SalesOrderId,
    CaseId,
    AssetId,
    WarrantyId,
    ContractId,
    TechnicianId,
    ServiceOrderId,
    MaintenancePlanId,
    ArticleId,
    CalendarId,
    SlaPolicyId,
    CampaignId,
    SegmentId,
    MarketingPlanId,
    AutomationRuleId,
    AutomationActionId,
    AutomationStateId
);

/// A record type a store keeps.
pub trait Entity: Serialize + DeserializeOwned {
    /// Its id type.
    type Id: RecordId;
    /// Its kind.
    const KIND: EntityKind;
    /// Its id.
    fn id(&self) -> Self::Id;
    /// Its version.
    fn version(&self) -> u64;
    /// Sets its version (the typed layer does this on every write).
    fn set_version(&mut self, version: u64);
    /// Its secondary index keys.
    fn index_keys(&self) -> IndexKeys;
}

fn decode<E: Entity>(raw: &RawRecord) -> Result<E> {
    decode_parts(raw.id, raw.version, &raw.data)
}

fn decode_parts<E: Entity>(id: u64, version: u64, data: &str) -> Result<E> {
    let mut e: E = serde_json::from_str(data).map_err(|err| Error::Corrupt {
        kind: E::KIND.as_str().into(),
        id,
        message: err.to_string(),
    })?;
    e.set_version(version);
    Ok(e)
}

/// Typed reads, for every [`ReadTx`].
pub trait ReadExt: ReadTx {
    /// The record with `id`, if any.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when it does not decode; [`Error::Storage`] when the store fails.
    fn get<E: Entity>(&self, id: E::Id) -> Result<Option<E>> {
        self.get_raw(E::KIND, id.raw())?
            .map(|raw| decode(&raw))
            .transpose()
    }

    /// The record with `id`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when there is none; otherwise as [`ReadExt::get`].
    fn load<E: Entity>(&self, id: E::Id) -> Result<E> {
        self.get(id)?
            .ok_or_else(|| Error::not_found(E::KIND.as_str(), id))
    }

    /// The records whose index key in `slot` equals `value`.
    ///
    /// # Errors
    /// As [`ReadTx::find_ids`] and [`ReadExt::get`].
    fn find<E: Entity>(&self, slot: usize, value: &str) -> Result<Vec<E>> {
        let ids = self.find_ids(E::KIND, slot, value)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(e) = self.get(E::Id::from_raw(id))? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Up to `limit` records with ids above `after`, ascending.
    ///
    /// # Errors
    /// As [`ReadTx::scan_raw`]; [`Error::Corrupt`] when one does not decode.
    fn scan<E: Entity>(&self, after: u64, limit: usize) -> Result<Vec<E>> {
        self.scan_raw(E::KIND, after, limit)?
            .iter()
            .map(decode)
            .collect()
    }

    /// Calls `f` on every record of the kind, in id order, a page at a time.
    ///
    /// # Errors
    /// As [`ReadExt::scan`], or whatever `f` returns.
    fn for_each<E: Entity>(&self, mut f: impl FnMut(E) -> Result<()>) -> Result<()> {
        const PAGE: usize = 1024;
        let mut after = 0;
        loop {
            let visited = self.visit_raw(E::KIND, after, PAGE, &mut |id, version, data| {
                after = id;
                f(decode_parts(id, version, data)?)
            })?;
            if visited < PAGE {
                break;
            }
        }
        Ok(())
    }

    /// Every record of the kind, in id order, without a checkpoint of the current
    /// [`crate::job::Job`]: for the small set-up a use case reads on its way (users,
    /// rules), which must not be taken for the progress of the job's own work.
    ///
    /// # Errors
    /// As [`ReadExt::for_each`].
    fn every<E: Entity>(&self) -> Result<Vec<E>> {
        let mut out = Vec::new();
        self.for_each(|e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Every record of `kind` as its stored JSON document, in id order, in one buffer;
    /// a checkpoint of the current [`crate::job::Job`] between pages.
    ///
    /// # Errors
    /// As [`ReadTx::visit_raw`].
    fn documents(&self, kind: EntityKind) -> Result<Documents> {
        Documents::read(self, kind)
    }

    /// Every record of the kind, in id order; a checkpoint of the current
    /// [`crate::job::Job`] between pages. Large pages are decoded on all cores but one
    /// (the JSON of each record is independent; one core stays free for the caller's
    /// event loop or UI thread).
    ///
    /// # Errors
    /// As [`ReadExt::for_each`].
    fn all<E: Entity + Send>(&self) -> Result<Vec<E>> {
        const PAGE: usize = 16_384;
        const PARALLEL_FROM: usize = 2_048;
        // one core is left to the caller (a JS event loop, a UI thread): on two cores the
        // decoding stays on the calling thread
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get().saturating_sub(1).clamp(1, 8));
        let mut out = Vec::new();
        let mut after = 0;
        if workers == 1 {
            // one thread: each record decoded in place from the store's buffer, no copy,
            // as it arrives
            loop {
                crate::job::checkpoint(out.len(), None)?;
                let visited = self.stream_raw(E::KIND, after, PAGE, &mut |id, version, data| {
                    after = id;
                    out.push(decode_parts(id, version, data)?);
                    Ok(())
                })?;
                if visited < PAGE {
                    return Ok(out);
                }
            }
        }
        loop {
            // before each page: a cancelled job stops the listing here
            crate::job::checkpoint(out.len(), None)?;
            let page = self.scan_raw(E::KIND, after, PAGE)?;
            let Some(last) = page.last() else { break };
            after = last.id;
            if workers > 1 && page.len() >= PARALLEL_FROM {
                let chunk = page.len().div_ceil(workers);
                let parts: Vec<Result<Vec<E>>> = std::thread::scope(|s| {
                    let handles: Vec<_> = page
                        .chunks(chunk)
                        .map(|part| {
                            s.spawn(move || {
                                part.iter()
                                    .map(|r| decode_parts(r.id, r.version, &r.data))
                                    .collect::<Result<Vec<E>>>()
                            })
                        })
                        .collect();
                    handles
                        .into_iter()
                        .map(|h| {
                            h.join().unwrap_or_else(|_| {
                                Err(Error::Internal {
                                    message: "a decoding thread panicked".into(),
                                })
                            })
                        })
                        .collect()
                });
                for part in parts {
                    out.extend(part?);
                }
            } else {
                for r in &page {
                    out.push(decode_parts(r.id, r.version, &r.data)?);
                }
            }
            if page.len() < PAGE {
                break;
            }
        }
        Ok(out)
    }
}

impl<T: ReadTx + ?Sized> ReadExt for T {}

/// Typed writes, for every [`WriteTx`].
pub trait WriteExt: WriteTx {
    /// Allocates an id, builds the record with it and stores it at version 1.
    ///
    /// # Errors
    /// As [`WriteTx::next_id`] and [`WriteTx::put_raw`].
    fn insert<E: Entity>(&mut self, build: impl FnOnce(E::Id) -> E) -> Result<E> {
        let id = E::Id::from_raw(self.next_id(E::KIND)?);
        let mut e = build(id);
        e.set_version(0);
        self.update(&mut e)?;
        Ok(e)
    }

    /// Writes `e` over the version it carries and bumps that version.
    ///
    /// # Errors
    /// [`Error::Validation`] when a text breaks its limit ([`crate::limits`]);
    /// [`Error::Conflict`] when the stored version differs (the record is unchanged and
    /// `e` keeps its version); as [`WriteTx::put_raw`] otherwise.
    fn update<E: Entity>(&mut self, e: &mut E) -> Result<()> {
        let expected = e.version();
        e.set_version(expected + 1);
        // every text within its limits (crate::limits) before anything is written
        let id = e.id().raw();
        let written = serde_json::to_string(&*e)
            .map_err(Error::storage)
            .and_then(|data| crate::limits::check_document(&data).map(|()| data))
            .and_then(|data| match self.prepare(E::KIND, id, expected, &data)? {
                // the record in the form it is stored in (custom values typed, defaults)
                Some(prepared) => {
                    let mut typed: E = decode_parts(id, expected + 1, &prepared)?;
                    std::mem::swap(e, &mut typed);
                    Ok(prepared)
                }
                None => Ok(data),
            })
            .and_then(|data| self.put_raw(E::KIND, id, expected, &data, &e.index_keys()));
        if written.is_err() {
            e.set_version(expected);
        }
        written
    }

    /// Deletes `e` at the version it carries.
    ///
    /// # Errors
    /// As [`WriteTx::delete_raw`].
    fn remove<E: Entity>(&mut self, e: &E) -> Result<()> {
        self.delete_raw(E::KIND, e.id().raw(), e.version())
    }

    /// Appends `event`, stamped `at`, to the log.
    ///
    /// # Errors
    /// As [`WriteTx::append_event`].
    fn emit(&mut self, event: &DomainEvent, at: DateTime<Utc>) -> Result<u64> {
        let new = event.to_new_event(at)?;
        self.append_event(&new)
    }
}

impl<T: WriteTx + ?Sized> WriteExt for T {}

/// Implements [`Entity`] for a struct with `id` and `version` fields.
macro_rules! impl_entity {
    ($ty:ty, $id:ty, $kind:expr, |$this:ident| $keys:expr) => {
        impl $crate::store::Entity for $ty {
            type Id = $id;
            const KIND: $crate::store::EntityKind = $kind;
            fn id(&self) -> $id {
                self.id
            }
            fn version(&self) -> u64 {
                self.version.get()
            }
            fn set_version(&mut self, version: u64) {
                self.version = $crate::id::Version::new(version);
            }
            fn index_keys(&self) -> $crate::store::IndexKeys {
                let $this = self;
                $keys
            }
        }
    };
}
pub(crate) use impl_entity;

/// Checks that `slot` is a valid index slot.
///
/// # Errors
/// [`Error::InvalidValue`] when `slot >= KEY_SLOTS`.
pub fn check_slot(slot: usize) -> Result<()> {
    if slot < KEY_SLOTS {
        Ok(())
    } else {
        Err(Error::invalid(
            "index slot",
            slot.to_string(),
            format!("stores index {KEY_SLOTS} slots"),
        ))
    }
}
