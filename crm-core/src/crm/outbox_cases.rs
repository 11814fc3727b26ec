//! Outbox use cases: the host's worker takes the deliveries that are due, sends them and
//! reports back; a dead delivery is retried by hand; every delivery can be listed. What a
//! delivery's success means for the record it is about (a sales order is then `sent`)
//! happens in the same transaction as the report. Taking, reporting and retrying need the
//! `run_automation` permission on a handle bound to a user.

use chrono::{DateTime, Utc};

use crate::access::SystemPermission;
use crate::error::{Error, Result};
use crate::event::DomainEvent;
use crate::id::DeliveryId;
use crate::outbox::{Delivery, DeliveryStatus};
use crate::quote::document::SalesOrder;
use crate::quote::order::SalesOrderStatus;
use crate::store::{EntityKind, ReadExt, RecordId, Store, WriteExt, WriteTx};

use super::Crm;
use super::order_cases::{order_delivery_key, save_order};

/// The most deliveries one call takes.
pub const MAX_TAKE: usize = 1000;

impl<S: Store> Crm<S> {
    /// Takes up to `limit` deliveries that are due at `now` (for `target` only, when
    /// given), oldest due first, each leased to the caller for its policy's lease: the
    /// caller sends each and reports [`Crm::delivery_succeeded`] or
    /// [`Crm::delivery_failed`]. A delivery whose worker never reported is due again when
    /// its lease runs out. Two workers never take the same delivery while its lease runs.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a limit of 0 or above [`MAX_TAKE`];
    /// [`Error::Forbidden`]; [`Error::Storage`].
    pub fn take_deliveries(
        &self,
        target: Option<&str>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<Delivery>> {
        self.require(SystemPermission::RunAutomation, EntityKind::Delivery)?;
        if limit == 0 || limit > MAX_TAKE {
            return Err(Error::invalid(
                "limit",
                limit.to_string(),
                format!("takes 1 to {MAX_TAKE} deliveries"),
            ));
        }
        self.write(|tx| {
            let mut due: Vec<Delivery> = [DeliveryStatus::Pending, DeliveryStatus::InFlight]
                .iter()
                .map(|s| tx.find::<Delivery>(Delivery::BY_STATUS, s.as_str()))
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .flatten()
                .filter(|d| d.is_due(now) && target.is_none_or(|t| d.target == t))
                .collect();
            due.sort_by_key(|d| (d.next_attempt_at, d.id));
            due.truncate(limit);
            for d in &mut due {
                d.take(now)?;
                tx.update(d)?;
            }
            Ok(due)
        })
    }

    /// The receiver has a delivery (`reply`: what it answered). A sales order's hand-off
    /// marks the order `sent`.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is in flight (a second report is refused);
    /// [`Error::Forbidden`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn delivery_succeeded(
        &self,
        id: DeliveryId,
        reply: Option<serde_json::Value>,
        now: DateTime<Utc>,
    ) -> Result<Delivery> {
        self.require(SystemPermission::RunAutomation, EntityKind::Delivery)?;
        self.write(|tx| {
            let mut d: Delivery = tx.load(id)?;
            d.succeed(reply, now)?;
            save_delivery(tx, &mut d, now)?;
            delivered(tx, &d, now)?;
            Ok(d)
        })
    }

    /// A delivery's attempt failed with `error`: due again after its policy's backoff, or
    /// dead after its last attempt (then an event says so).
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is in flight; [`Error::InvalidValue`] for
    /// an empty error; [`Error::Forbidden`]; [`Error::NotFound`]; [`Error::Storage`].
    pub fn delivery_failed(
        &self,
        id: DeliveryId,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<Delivery> {
        self.require(SystemPermission::RunAutomation, EntityKind::Delivery)?;
        let error = error.trim();
        if error.is_empty() {
            return Err(Error::invalid("error", error, "say what went wrong"));
        }
        self.write(|tx| {
            let mut d: Delivery = tx.load(id)?;
            d.fail(error, now)?;
            if d.status == DeliveryStatus::Dead {
                save_delivery(tx, &mut d, now)?;
            } else {
                tx.update(&mut d)?;
            }
            Ok(d)
        })
    }

    /// Someone fixed what made a delivery fail: a dead delivery is due again now.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is dead; [`Error::Forbidden`];
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn retry_delivery(&self, id: DeliveryId, now: DateTime<Utc>) -> Result<Delivery> {
        self.require(SystemPermission::RunAutomation, EntityKind::Delivery)?;
        self.write(|tx| {
            let mut d: Delivery = tx.load(id)?;
            d.retry(now)?;
            save_delivery(tx, &mut d, now)?;
            Ok(d)
        })
    }

    /// A delivery.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn delivery(&self, id: DeliveryId) -> Result<Delivery> {
        self.read(|tx| tx.load(id))
    }

    /// The deliveries with a status, oldest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub fn deliveries(&self, status: DeliveryStatus) -> Result<Vec<Delivery>> {
        self.read(|tx| tx.find(Delivery::BY_STATUS, status.as_str()))
    }
}

/// Queues a delivery in the transaction of the change that owes it, with its event.
///
/// # Errors
/// [`Error::Duplicate`] when a delivery with its idempotency key exists.
pub(crate) fn queue_delivery(
    tx: &mut dyn WriteTx,
    delivery: Delivery,
    now: DateTime<Utc>,
) -> Result<Delivery> {
    if !tx
        .find_ids(
            EntityKind::Delivery,
            Delivery::BY_KEY,
            &delivery.idempotency_key,
        )?
        .is_empty()
    {
        return Err(Error::Duplicate {
            kind: "delivery".into(),
            reason: format!("{} is already queued", delivery.idempotency_key),
        });
    }
    let d = tx.insert(|id| Delivery { id, ..delivery })?;
    tx.emit(
        &DomainEvent::DeliveryQueued {
            delivery: d.id,
            target: d.target.clone(),
            idempotency_key: d.idempotency_key.clone(),
        },
        now,
    )?;
    Ok(d)
}

/// Writes a delivery whose status a person or system should hear about, with its event.
pub(crate) fn save_delivery(
    tx: &mut dyn WriteTx,
    d: &mut Delivery,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.update(d)?;
    tx.emit(
        &DomainEvent::DeliveryChanged {
            delivery: d.id,
            status: d.status.as_str().into(),
        },
        now,
    )?;
    Ok(())
}

/// What a delivery's success means for its subject: an open order's hand-off makes it
/// `sent` (an order cancelled meanwhile stays cancelled).
fn delivered(tx: &mut dyn WriteTx, d: &Delivery, now: DateTime<Utc>) -> Result<()> {
    let Some(subject) = d.subject else {
        return Ok(());
    };
    if subject.kind() != EntityKind::SalesOrder {
        return Ok(());
    }
    let id = <crate::id::SalesOrderId as RecordId>::from_raw(subject.id());
    if d.idempotency_key != order_delivery_key(id) {
        return Ok(());
    }
    let mut order: SalesOrder = tx.load(id)?;
    if order.status != SalesOrderStatus::Open {
        return Ok(());
    }
    order.mark_sent(now)?;
    save_order(tx, &mut order, now)
}
