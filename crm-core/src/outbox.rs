//! The outbox: what the CRM owes another system (a sales order to the ERP), kept as
//! records in the same store as the change that made it, so that the hand-off survives a
//! crash at any point.
//!
//! A [`Delivery`] is made in the transaction of the change (an order and its delivery
//! commit together or not at all). The host takes the deliveries that are due
//! ([`Delivery::take`]: a lease, so that one worker sends each), sends them, and reports
//! back: [`Delivery::succeed`], or [`Delivery::fail`], which schedules the next attempt
//! with an exponential backoff and, after [`RetryPolicy::max_attempts`], leaves the
//! delivery dead until someone retries it ([`Delivery::retry`]). A worker that crashed
//! between taking and reporting leaves a lease that runs out: the delivery is due again.
//! The receiver tells a second sending of the same delivery by its
//! [`Delivery::idempotency_key`].

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::id::{DeliveryId, RecordKey, Version};
use crate::store::{EntityKind, impl_entity};

/// Where a delivery stands.
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// Taken by a worker whose lease has not run out.
    InFlight,
    /// The receiver has it.
    Delivered,
    /// Failed too often; waits for someone to retry it.
    Dead,
    /// No longer owed (what it carried was withdrawn before it was sent).
    Cancelled,
}

impl DeliveryStatus {
    /// The stable name (`pending`, `in_flight`, `delivered`, `dead`, `cancelled`).
    pub const fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::InFlight => "in_flight",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Dead => "dead",
            DeliveryStatus::Cancelled => "cancelled",
        }
    }
}

/// How often and how long a delivery is tried.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// The wait after the first failure, in seconds; each further failure doubles it.
    pub first_delay_secs: u32,
    /// The longest wait between attempts, in seconds.
    pub max_delay_secs: u32,
    /// Attempts before the delivery is dead.
    pub max_attempts: u32,
    /// How long a worker has to report on a delivery it took, in seconds.
    pub lease_secs: u32,
}

impl Default for RetryPolicy {
    /// A minute, doubling up to six hours; dead after 8 attempts; a 5-minute lease.
    fn default() -> Self {
        RetryPolicy {
            first_delay_secs: 60,
            max_delay_secs: 6 * 3600,
            max_attempts: 8,
            lease_secs: 300,
        }
    }
}

impl RetryPolicy {
    /// The wait after the `failures`-th failure in a row (`failures` ≥ 1).
    pub fn delay_after(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(31);
        let secs = u64::from(self.first_delay_secs)
            .saturating_mul(1u64 << doublings)
            .min(u64::from(self.max_delay_secs));
        Duration::seconds(i64::try_from(secs).unwrap_or(i64::MAX))
    }
}

/// One hand-off owed to another system.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Id, assigned by the store.
    pub id: DeliveryId,
    /// Version.
    pub version: Version,
    /// The system it goes to (`erp`).
    pub target: String,
    /// The key the receiver tells a second sending by (`sales_order:12`).
    pub idempotency_key: String,
    /// The record it is about (`sales_order:12`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub subject: Option<RecordKey>,
    /// What is sent.
    pub payload: serde_json::Value,
    /// How often and how long it is tried.
    #[serde(default)]
    pub policy: RetryPolicy,
    /// When it was made.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub created_at: DateTime<Utc>,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts so far (taken, then failed or still out).
    pub attempts: u32,
    /// Failures in a row (reset by a retry of a dead delivery).
    pub failures: u32,
    /// When it is due next (pending).
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub next_attempt_at: DateTime<Utc>,
    /// Until when the worker that took it may report (in flight).
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub lease_until: Option<DateTime<Utc>>,
    /// The last failure's message.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub last_error: Option<String>,
    /// What the receiver answered when it took it (its own id for the order, say).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub reply: Option<serde_json::Value>,
    /// When it was delivered.
    #[serde(default, with = "crate::time::rfc3339_opt")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<chrono::DateTime<chrono::Utc>>")
    )]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub delivered_at: Option<DateTime<Utc>>,
}

fn illegal(from: DeliveryStatus, to: &str) -> Error {
    Error::IllegalTransition {
        kind: "delivery".into(),
        from: from.as_str().into(),
        to: to.into(),
    }
}

impl Delivery {
    /// A delivery of `payload` to `target` about `subject`, due at `now`, under the default
    /// [`RetryPolicy`] (the store gives it its id).
    pub fn new(
        target: impl Into<String>,
        idempotency_key: impl Into<String>,
        subject: Option<RecordKey>,
        payload: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Self {
        Delivery {
            id: <DeliveryId as crate::store::RecordId>::from_raw(1),
            version: Version::NEW,
            target: target.into(),
            idempotency_key: idempotency_key.into(),
            subject,
            payload,
            policy: RetryPolicy::default(),
            created_at: now,
            status: DeliveryStatus::Pending,
            attempts: 0,
            failures: 0,
            next_attempt_at: now,
            lease_until: None,
            last_error: None,
            reply: None,
            delivered_at: None,
        }
    }

    /// Whether a worker may take it at `now`: pending and due, or in flight with its
    /// lease run out (the worker that took it is gone).
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        match self.status {
            DeliveryStatus::Pending => self.next_attempt_at <= now,
            DeliveryStatus::InFlight => self.lease_until.is_none_or(|l| l <= now),
            DeliveryStatus::Delivered | DeliveryStatus::Dead | DeliveryStatus::Cancelled => false,
        }
    }

    /// A worker takes it until `now` + its policy's lease.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is due.
    pub fn take(&mut self, now: DateTime<Utc>) -> Result<()> {
        let policy = self.policy;
        if !self.is_due(now) {
            return Err(illegal(self.status, "in_flight"));
        }
        self.status = DeliveryStatus::InFlight;
        self.attempts += 1;
        self.lease_until = Some(now + Duration::seconds(i64::from(policy.lease_secs)));
        Ok(())
    }

    /// The receiver has it (`reply`: what it answered). Reported twice, the second is
    /// refused: the delivery is not sent again.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is in flight.
    pub fn succeed(&mut self, reply: Option<serde_json::Value>, now: DateTime<Utc>) -> Result<()> {
        if self.status != DeliveryStatus::InFlight {
            return Err(illegal(self.status, "delivered"));
        }
        self.status = DeliveryStatus::Delivered;
        self.lease_until = None;
        self.reply = reply;
        self.delivered_at = Some(now);
        Ok(())
    }

    /// The attempt failed with `error`: pending again after its policy's backoff, or dead
    /// after its last attempt.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is in flight.
    pub fn fail(&mut self, error: &str, now: DateTime<Utc>) -> Result<()> {
        let policy = self.policy;
        if self.status != DeliveryStatus::InFlight {
            return Err(illegal(self.status, "failed"));
        }
        self.failures += 1;
        self.lease_until = None;
        self.last_error = Some(error.to_string());
        if self.failures >= policy.max_attempts {
            self.status = DeliveryStatus::Dead;
        } else {
            self.status = DeliveryStatus::Pending;
            self.next_attempt_at = now + policy.delay_after(self.failures);
        }
        Ok(())
    }

    /// Someone fixed what made it fail: a dead delivery is due again at `now`, with its
    /// failures counted from zero.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] unless it is dead.
    pub fn retry(&mut self, now: DateTime<Utc>) -> Result<()> {
        if self.status != DeliveryStatus::Dead {
            return Err(illegal(self.status, "pending"));
        }
        self.status = DeliveryStatus::Pending;
        self.failures = 0;
        self.next_attempt_at = now;
        Ok(())
    }

    /// What it carried was withdrawn before it was sent: no longer owed.
    ///
    /// # Errors
    /// [`Error::IllegalTransition`] once it is delivered or already cancelled.
    pub fn cancel(&mut self) -> Result<()> {
        if matches!(
            self.status,
            DeliveryStatus::Delivered | DeliveryStatus::Cancelled
        ) {
            return Err(illegal(self.status, "cancelled"));
        }
        self.status = DeliveryStatus::Cancelled;
        self.lease_until = None;
        Ok(())
    }

    /// Slot of the status.
    pub const BY_STATUS: usize = 0;
    /// Slot of the idempotency key.
    pub const BY_KEY: usize = 1;
    /// Slot of the subject (`sales_order:12`).
    pub const BY_SUBJECT: usize = 2;
}

impl_entity!(Delivery, DeliveryId, EntityKind::Delivery, |d| [
    Some(d.status.as_str().to_string()),
    Some(d.idempotency_key.clone()),
    d.subject.map(|s| s.to_string()),
    Some(d.target.clone()),
    None,
    None
]);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
    }

    fn policy() -> RetryPolicy {
        RetryPolicy {
            first_delay_secs: 10,
            max_delay_secs: 60,
            max_attempts: 4,
            lease_secs: 30,
        }
    }

    fn delivery(key: &str) -> Delivery {
        let mut d = Delivery::new("erp", key, None, serde_json::json!({}), t0());
        d.policy = policy();
        d
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = policy();
        let secs: Vec<i64> = (1..=6).map(|n| p.delay_after(n).num_seconds()).collect();
        assert_eq!(secs, [10, 20, 40, 60, 60, 60]);
        assert_eq!(p.delay_after(u32::MAX).num_seconds(), 60);
    }

    #[test]
    fn fails_back_off_then_die_and_a_retry_revives() {
        let p = policy();
        let mut d = delivery("sales_order:1");
        let mut now = t0();
        for n in 1..=3 {
            d.take(now).unwrap();
            assert!(!d.is_due(now), "taken: not due while the lease runs");
            d.fail("ERP down", now).unwrap();
            assert_eq!(d.status, DeliveryStatus::Pending);
            assert!(!d.is_due(now));
            now = d.next_attempt_at;
            assert!(now - t0() >= p.delay_after(n));
            assert!(d.is_due(now));
        }
        d.take(now).unwrap();
        d.fail("ERP down", now).unwrap();
        assert_eq!((d.status, d.attempts), (DeliveryStatus::Dead, 4));
        assert!(!d.is_due(now + Duration::days(365)));
        assert!(d.take(now).is_err());
        d.retry(now).unwrap();
        assert!(d.is_due(now));
        d.take(now).unwrap();
        d.succeed(Some(serde_json::json!({"erp_id": "SO-9"})), now)
            .unwrap();
        assert_eq!(d.status, DeliveryStatus::Delivered);
        assert_eq!(d.attempts, 5);
        // reported twice: refused, nothing changes
        assert!(d.succeed(None, now).is_err());
        assert_eq!(d.reply, Some(serde_json::json!({"erp_id": "SO-9"})));
    }

    #[test]
    fn a_lease_that_runs_out_makes_it_due_again() {
        let mut d = delivery("sales_order:2");
        d.take(t0()).unwrap();
        assert!(!d.is_due(t0() + Duration::seconds(29)));
        let later = t0() + Duration::seconds(30);
        assert!(d.is_due(later));
        // another worker takes it over; the first one's late report is still accepted
        // once (it is in flight), and the receiver dedupes by the idempotency key
        d.take(later).unwrap();
        assert_eq!(d.attempts, 2);
        d.succeed(None, later).unwrap();
        assert!(d.fail("late", later).is_err());
    }

    #[test]
    fn a_cancelled_delivery_is_never_due_and_a_delivered_one_cannot_be_cancelled() {
        let mut d = delivery("sales_order:3");
        d.take(t0()).unwrap();
        d.cancel().unwrap();
        assert!(!d.is_due(t0() + Duration::days(1)));
        assert!(d.take(t0() + Duration::days(1)).is_err());
        assert!(d.cancel().is_err());
        let mut sent = delivery("sales_order:4");
        sent.take(t0()).unwrap();
        sent.succeed(None, t0()).unwrap();
        assert!(sent.cancel().is_err());
    }
}
