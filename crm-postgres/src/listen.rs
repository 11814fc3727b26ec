//! Events pushed: a thread with a connection of its own `LISTEN`s on [`crate::CHANNEL`]
//! and raises an [`EventSignal`] when a commit in the store's schema notifies — from this
//! process or any other app server on the database. Started by the first wait, stopped
//! when the store is dropped; a lost connection is made again, and the waiters look at
//! the log meanwhile (every few seconds), so no event is missed while it is down.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crm_core::Result;
use crm_core::store::EventSignal;
use postgres::NoTls;
use postgres::fallible_iterator::FallibleIterator;

/// How often the listening thread looks whether its store is gone.
const TICK: Duration = Duration::from_millis(250);
/// How often waiters look at the log without a notification (while the listening
/// connection is down, or a notification was lost with it).
const POLL: Duration = Duration::from_secs(2);

#[derive(Debug, Default)]
struct Shared {
    signal: EventSignal,
    stop: AtomicBool,
}

pub(crate) struct Listener {
    config: postgres::Config,
    schema: String,
    shared: Arc<Shared>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Listener {
    pub(crate) fn new(config: postgres::Config, schema: String) -> Self {
        Listener {
            config,
            schema,
            shared: Arc::default(),
            thread: Mutex::new(None),
        }
    }

    /// Waits as [`EventSignal::wait`] does, woken by notifications.
    pub(crate) fn wait(
        &self,
        after_sequence: u64,
        timeout: Duration,
        last: impl Fn() -> Result<u64>,
    ) -> Result<u64> {
        self.start();
        self.shared.signal.wait(after_sequence, timeout, POLL, last)
    }

    fn start(&self) {
        let mut thread = self.thread.lock().unwrap_or_else(PoisonError::into_inner);
        if thread.is_some() {
            return;
        }
        let (config, shared) = (self.config.clone(), self.shared.clone());
        let prefix = format!("{}:", self.schema);
        *thread = std::thread::Builder::new()
            .name("crm-postgres-listen".into())
            .spawn(move || listen(&config, &shared, &prefix))
            .ok();
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let thread = self
            .thread
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(t) = thread {
            let _ = t.join();
        }
    }
}

fn listen(config: &postgres::Config, shared: &Shared, prefix: &str) {
    while !shared.stop.load(Ordering::SeqCst) {
        let mut client = match config.connect(NoTls) {
            Ok(c) => c,
            Err(_) => {
                std::thread::sleep(TICK * 4);
                continue;
            }
        };
        if client
            .batch_execute(&format!("LISTEN {}", crate::CHANNEL))
            .is_err()
        {
            continue;
        }
        // events may have come while no connection listened
        shared.signal.raise();
        'connected: while !shared.stop.load(Ordering::SeqCst) {
            let mut notifications = client.notifications();
            let mut it = notifications.timeout_iter(TICK);
            loop {
                match it.next() {
                    Ok(Some(n)) => {
                        if n.payload().starts_with(prefix) {
                            shared.signal.raise();
                        }
                    }
                    Ok(None) => break,
                    Err(_) => break 'connected,
                }
            }
        }
    }
}
