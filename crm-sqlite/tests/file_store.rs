//! What only a file store does: persistence across opens, migrations, concurrent writers.

use std::sync::{Arc, Barrier};

use chrono::{DateTime, Utc};
use crm_core::ErrorKind;
use crm_core::lead::{Lead, LeadData, LeadSource};
use crm_core::store::{ReadExt, Store, WriteExt};
use crm_sqlite::{OpenOptions, SqliteStore};

fn at() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

fn lead_data() -> LeadData {
    LeadData {
        last_name: Some("Turing".into()),
        ..LeadData::default()
    }
}

#[test]
fn records_and_ids_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let id = {
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), 3);
        let lead = store
            .write(|tx| tx.insert(|id| Lead::new(id, LeadSource::Manual, lead_data(), at())))
            .unwrap();
        store.write(|tx| tx.remove(&lead)).unwrap();
        lead.id
    };
    let store = SqliteStore::open(&path).unwrap();
    let next = store
        .write(|tx| tx.insert(|id| Lead::new(id, LeadSource::Manual, lead_data(), at())))
        .unwrap();
    assert!(
        next.id > id,
        "a deleted id was handed out again after reopening"
    );
    let loaded: Lead = store.read(|tx| tx.load(next.id)).unwrap();
    assert_eq!(loaded, next);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedVersion);
}

#[test]
fn a_file_that_is_not_a_database_is_a_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    std::fs::write(
        &path,
        b"this is not sqlite, just some text that is long enough",
    )
    .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Storage);
}

/// A write that waits past the busy timeout for another connection's write lock fails
/// with a storage error that says it may be retried, naming SQLite's cause; once the
/// lock is gone the same write succeeds.
#[test]
fn a_busy_database_is_a_retryable_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let holder = SqliteStore::open(&path).unwrap();
    let options = OpenOptions {
        busy_timeout: std::time::Duration::from_millis(50),
        ..OpenOptions::default()
    };
    let waiter = SqliteStore::open_with(&path, &options).unwrap();
    let insert = |store: &SqliteStore| {
        store.write(|tx| tx.insert(|id| Lead::new(id, LeadSource::Manual, lead_data(), at())))
    };
    holder
        .write(|tx| {
            tx.insert(|id| Lead::new(id, LeadSource::Manual, lead_data(), at()))?;
            let err = insert(&waiter).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Storage);
            assert!(err.is_retryable(), "{err:?}");
            assert!(
                matches!(&err, crm_core::Error::Storage { store_code: Some(c), .. } if c == "SQLITE_BUSY"),
                "{err:?}"
            );
            Ok(())
        })
        .unwrap();
    insert(&waiter).unwrap();
    // a file that is not a database fails again whatever the wait: not retryable
    let junk = dir.path().join("junk.db");
    std::fs::write(
        &junk,
        b"this is not sqlite, just some text that is long enough",
    )
    .unwrap();
    assert!(!SqliteStore::open(&junk).unwrap_err().is_retryable());
}

/// Several threads, each with its own connection to one file, read a record and write it
/// back. Every write based on a stale read must fail with a conflict; the final version is
/// exactly 1 + the number of successful writes, and no successful write is lost.
#[test]
fn concurrent_writers_never_lose_an_update() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let store = SqliteStore::open(&path).unwrap();
    let lead = store
        .write(|tx| tx.insert(|id| Lead::new(id, LeadSource::Manual, lead_data(), at())))
        .unwrap();
    const THREADS: usize = 6;
    const ROUNDS: usize = 25;
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let path = path.clone();
            let barrier = Arc::clone(&barrier);
            let id = lead.id;
            std::thread::spawn(move || {
                let store = SqliteStore::open(&path).unwrap();
                let (mut ok, mut conflicts) = (0u64, 0u64);
                barrier.wait();
                for round in 0..ROUNDS {
                    let mut copy: Lead = store.read(|tx| tx.load(id)).unwrap();
                    copy.data
                        .custom
                        .insert(format!("t{t}"), round.to_string().into());
                    // Give the other threads a chance to write in between.
                    std::thread::yield_now();
                    match store.write(|tx| tx.update(&mut copy)) {
                        Ok(()) => ok += 1,
                        Err(e) => {
                            assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
                            conflicts += 1;
                        }
                    }
                }
                (ok, conflicts)
            })
        })
        .collect();
    let (mut ok, mut conflicts) = (0, 0);
    for h in handles {
        let (o, c) = h.join().unwrap();
        ok += o;
        conflicts += c;
    }
    assert_eq!(ok + conflicts, (THREADS * ROUNDS) as u64);
    let final_lead: Lead = store.read(|tx| tx.load(lead.id)).unwrap();
    assert_eq!(final_lead.version, 1 + ok);
    assert!(ok >= 1);
}

#[test]
fn the_path_memory_opens_a_store_in_memory() {
    // SQLite's own name for a database in memory: no file named ":memory:" appears, and
    // two opens are two separate stores
    let a = SqliteStore::open(":memory:").unwrap();
    let b = SqliteStore::open(":memory:").unwrap();
    a.write(|tx| tx.insert(|id| Lead::new(id, LeadSource::Manual, lead_data(), at())))
        .unwrap();
    assert_eq!(a.read(|tx| tx.all::<Lead>()).unwrap().len(), 1);
    assert_eq!(b.read(|tx| tx.all::<Lead>()).unwrap().len(), 0);
    assert!(!std::path::Path::new(":memory:").exists());
}

#[test]
fn a_schema_1_file_gains_the_archive_flag_and_a_search_index_and_keeps_its_records() {
    use crm_core::store::EntityKind;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    // a file as schema 1 wrote it: record tables without the `archived` column
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE sequences (kind TEXT PRIMARY KEY, next INTEGER NOT NULL) WITHOUT ROWID;
             CREATE TABLE events (sequence INTEGER PRIMARY KEY, aggregate TEXT NOT NULL,
                 aggregate_id INTEGER NOT NULL, event_type TEXT NOT NULL,
                 event_version INTEGER NOT NULL, payload TEXT NOT NULL, at TEXT NOT NULL);
             CREATE TABLE rec_lead (id INTEGER PRIMARY KEY, version INTEGER NOT NULL,
                 k0 TEXT, k1 TEXT, k2 TEXT, k3 TEXT, k4 TEXT, k5 TEXT, data TEXT NOT NULL);
             INSERT INTO rec_lead (id, version, k0, data)
                 VALUES (7, 3, 'key', '{\"data\": {\"last_name\": \"Lovelace\"}}');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 3);
    // the full-text index was built from the records the file held
    let query = crm_core::search::TextQuery {
        terms: vec!["lovelace".into()],
        kinds: vec![EntityKind::Lead],
        all: true,
        limit: 5,
    };
    let hits = store.read(|tx| tx.search_text(&query)).unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [7]);
    let raw = store
        .read(|tx| tx.get_raw(EntityKind::Lead, 7))
        .unwrap()
        .unwrap();
    assert_eq!((raw.version, raw.archived), (3, false));
    store
        .write(|tx| tx.set_archived(EntityKind::Lead, 7, 3, true))
        .unwrap();
    store
        .read(|tx| {
            assert!(tx.find_ids(EntityKind::Lead, 0, "key")?.is_empty());
            assert_eq!(tx.scan_archived(EntityKind::Lead, 0, 9)?.len(), 1);
            Ok(())
        })
        .unwrap();
}

/// Reads run on their own connections beside an open write: they see the last commit, not
/// the write in progress, and do not wait for it; once it commits, the next read sees it.
#[test]
fn reads_run_beside_an_open_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path().join("crm.db")).unwrap());
    let first = store
        .write(|tx| tx.insert(|id| Lead::new(id, LeadSource::Manual, lead_data(), at())))
        .unwrap();
    let (inside, done) = (Arc::new(Barrier::new(2)), Arc::new(Barrier::new(2)));
    let writer = {
        let (store, inside, done) = (store.clone(), inside.clone(), done.clone());
        std::thread::spawn(move || {
            store
                .write(|tx| {
                    let second =
                        tx.insert(|id| Lead::new(id, LeadSource::Manual, lead_data(), at()))?;
                    inside.wait(); // the write is open…
                    done.wait(); // …until the reads below are over
                    Ok(second.id)
                })
                .unwrap()
        })
    };
    inside.wait();
    // two threads read at once while the write is open (a single connection would wait)
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let store = store.clone();
            std::thread::spawn(move || store.read(|tx| tx.every::<Lead>()).unwrap().len())
        })
        .collect();
    for r in readers {
        assert_eq!(r.join().unwrap(), 1);
    }
    done.wait();
    let second = writer.join().unwrap();
    let ids: Vec<_> = store
        .read(|tx| tx.every::<Lead>())
        .unwrap()
        .iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(ids, [first.id, second]);
}
