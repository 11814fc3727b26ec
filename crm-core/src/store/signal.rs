//! Waking readers of the event log when it grows ([`Store::wait_for_events`]): an
//! [`EventSignal`] a store raises when a write that appended events commits, and the wait
//! that combines it with a look at the log.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::error::Result;

/// Raised by a store each time events commit; waited on by readers of the log.
#[derive(Debug, Default)]
pub struct EventSignal {
    raised: Mutex<u64>,
    changed: Condvar,
}

impl EventSignal {
    /// A signal nobody raised yet.
    pub fn new() -> Self {
        EventSignal::default()
    }

    /// Wakes every waiter (events committed, or the source of notifications changed and
    /// waiters should look at the log again).
    pub fn raise(&self) {
        let mut n = self.raised.lock().unwrap_or_else(PoisonError::into_inner);
        *n = n.wrapping_add(1);
        self.changed.notify_all();
    }

    /// Waits until `last()` — the log's last sequence — is past `after_sequence` or
    /// `timeout` has passed, and returns it. Looks at the log when raised, and every
    /// `poll` in case another process wrote without raising this signal.
    ///
    /// # Errors
    /// Whatever `last` returns.
    pub fn wait(
        &self,
        after_sequence: u64,
        timeout: Duration,
        poll: Duration,
        last: impl Fn() -> Result<u64>,
    ) -> Result<u64> {
        let deadline = Instant::now() + timeout;
        loop {
            // the count before looking: a raise between the look and the wait is not lost
            let seen = *self.raised.lock().unwrap_or_else(PoisonError::into_inner);
            let now_last = last()?;
            let now = Instant::now();
            if now_last > after_sequence || now >= deadline {
                return Ok(now_last);
            }
            let slice = (deadline - now).min(poll);
            let guard = self.raised.lock().unwrap_or_else(PoisonError::into_inner);
            let _ = self
                .changed
                .wait_timeout_while(guard, slice, |n| *n == seen)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn a_raise_wakes_a_waiter_long_before_its_poll() {
        let signal = Arc::new(EventSignal::new());
        let log = Arc::new(AtomicU64::new(3));
        let (s, l) = (signal.clone(), log.clone());
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            l.store(4, Ordering::SeqCst);
            s.raise();
        });
        let started = Instant::now();
        let got = signal
            .wait(3, Duration::from_secs(20), Duration::from_secs(10), || {
                Ok(log.load(Ordering::SeqCst))
            })
            .unwrap();
        writer.join().unwrap();
        assert_eq!(got, 4);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn nothing_new_returns_the_last_sequence_at_the_timeout() {
        let signal = EventSignal::new();
        let got = signal
            .wait(
                7,
                Duration::from_millis(30),
                Duration::from_millis(10),
                || Ok(7),
            )
            .unwrap();
        assert_eq!(got, 7);
        // events already past the cursor: no wait at all
        let got = signal
            .wait(2, Duration::from_secs(60), Duration::from_secs(60), || {
                Ok(7)
            })
            .unwrap();
        assert_eq!(got, 7);
    }
}
