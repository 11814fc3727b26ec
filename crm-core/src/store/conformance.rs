//! The store conformance suite: what every [`Store`] must do, as plain functions that
//! panic on a failure, and the [`store_conformance_tests!`](crate::store_conformance_tests)
//! macro that turns them into `#[test]`s for a store.
//!
//! ```ignore
//! // in a host's tests, with crm-core's `testing` feature:
//! crm_core::store_conformance_tests!(|| MyStore::open_temporary());
//! ```

use chrono::{DateTime, Utc};

use crate::error::{Error, ErrorKind};
use crate::event::DomainEvent;
use crate::id::LeadId;
use crate::lead::{Lead, LeadData, LeadSource};

use super::{EntityKind, IndexKeys, ReadExt, Store, WriteExt};

fn keys(k0: &str, k1: Option<&str>) -> IndexKeys {
    [
        Some(k0.to_string()),
        k1.map(str::to_string),
        None,
        None,
        None,
        None,
    ]
}

fn at() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// A record written at version 0 reads back at version 1 with its data.
pub fn insert_and_get<S: Store>(store: &S) {
    let id = store
        .write(|tx| {
            let id = tx.next_id(EntityKind::Lead)?;
            tx.put_raw(EntityKind::Lead, id, 0, r#"{"a":1}"#, &keys("x", None))?;
            Ok(id)
        })
        .unwrap();
    assert!(id >= 1);
    let raw = store
        .read(|tx| tx.get_raw(EntityKind::Lead, id))
        .unwrap()
        .expect("record written");
    assert_eq!(
        (raw.id, raw.version, raw.data.as_str()),
        (id, 1, r#"{"a":1}"#)
    );
    assert_eq!(
        store
            .read(|tx| tx.get_raw(EntityKind::Lead, id + 1000))
            .unwrap(),
        None
    );
    // The same id in another kind is another record.
    assert_eq!(
        store
            .read(|tx| tx.get_raw(EntityKind::Contact, id))
            .unwrap(),
        None
    );
}

/// A put or delete at a stale version is a conflict and changes nothing.
pub fn stale_writes_conflict<S: Store>(store: &S) {
    let id = store
        .write(|tx| {
            let id = tx.next_id(EntityKind::Account)?;
            tx.put_raw(EntityKind::Account, id, 0, "1", &keys("k", None))?;
            tx.put_raw(EntityKind::Account, id, 1, "2", &keys("k", None))?;
            Ok(id)
        })
        .unwrap();
    for stale in [0, 1, 3] {
        let err = store
            .write(|tx| tx.put_raw(EntityKind::Account, id, stale, "bad", &keys("k", None)))
            .unwrap_err();
        match err {
            Error::Conflict {
                expected, actual, ..
            } => {
                assert_eq!((expected, actual), (stale, 2));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        let err = store
            .write(|tx| tx.delete_raw(EntityKind::Account, id, stale))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict);
    }
    let raw = store
        .read(|tx| tx.get_raw(EntityKind::Account, id))
        .unwrap()
        .unwrap();
    assert_eq!((raw.version, raw.data.as_str()), (2, "2"));
    // Updating a record that does not exist is a conflict too (actual version 0).
    let err = store
        .write(|tx| tx.put_raw(EntityKind::Account, id + 77, 3, "x", &keys("k", None)))
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { actual: 0, .. }), "{err:?}");
}

/// Deleted records are gone, and their ids are never handed out again.
pub fn delete_and_never_reuse_ids<S: Store>(store: &S) {
    let (a, b) = store
        .write(|tx| {
            let a = tx.next_id(EntityKind::Touchpoint)?;
            let b = tx.next_id(EntityKind::Touchpoint)?;
            assert_ne!(a, b);
            tx.put_raw(EntityKind::Touchpoint, a, 0, "a", &keys("same", None))?;
            tx.put_raw(EntityKind::Touchpoint, b, 0, "b", &keys("same", None))?;
            Ok((a, b))
        })
        .unwrap();
    store
        .write(|tx| tx.delete_raw(EntityKind::Touchpoint, b, 1))
        .unwrap();
    store
        .read(|tx| {
            assert_eq!(tx.get_raw(EntityKind::Touchpoint, b)?, None);
            assert_eq!(tx.find_ids(EntityKind::Touchpoint, 0, "same")?, vec![a]);
            Ok(())
        })
        .unwrap();
    let c = store
        .write(|tx| tx.next_id(EntityKind::Touchpoint))
        .unwrap();
    assert!(c > b, "id {c} handed out again after {b} was deleted");
}

/// Index keys find records, follow updates and forget deleted records.
pub fn index_keys_follow_writes<S: Store>(store: &S) {
    let ids = store
        .write(|tx| {
            let mut ids = Vec::new();
            for i in 0..5 {
                let id = tx.next_id(EntityKind::Contact)?;
                let k1 = if i % 2 == 0 { "even" } else { "odd" };
                tx.put_raw(
                    EntityKind::Contact,
                    id,
                    0,
                    "{}",
                    &keys(&format!("c{i}"), Some(k1)),
                )?;
                ids.push(id);
            }
            Ok(ids)
        })
        .unwrap();
    store
        .read(|tx| {
            assert_eq!(
                tx.find_ids(EntityKind::Contact, 1, "even")?,
                vec![ids[0], ids[2], ids[4]]
            );
            assert_eq!(tx.find_ids(EntityKind::Contact, 0, "c3")?, vec![ids[3]]);
            assert!(tx.find_ids(EntityKind::Contact, 2, "even")?.is_empty());
            assert!(tx.find_ids(EntityKind::Lead, 1, "even")?.is_empty());
            assert_eq!(
                tx.find_ids(EntityKind::Contact, super::KEY_SLOTS, "x")
                    .unwrap_err()
                    .kind(),
                ErrorKind::InvalidValue
            );
            Ok(())
        })
        .unwrap();
    store
        .write(|tx| {
            tx.put_raw(
                EntityKind::Contact,
                ids[0],
                1,
                "{}",
                &keys("c0", Some("odd")),
            )?;
            tx.delete_raw(EntityKind::Contact, ids[2], 1)
        })
        .unwrap();
    store
        .read(|tx| {
            assert_eq!(tx.find_ids(EntityKind::Contact, 1, "even")?, vec![ids[4]]);
            assert_eq!(
                tx.find_ids(EntityKind::Contact, 1, "odd")?,
                vec![ids[0], ids[1], ids[3]]
            );
            Ok(())
        })
        .unwrap();
    // Values are compared verbatim: quotes and SQL stay data.
    let tricky = "x'); DROP TABLE contact; --";
    let id = store
        .write(|tx| {
            let id = tx.next_id(EntityKind::Contact)?;
            tx.put_raw(EntityKind::Contact, id, 0, tricky, &keys(tricky, None))?;
            Ok(id)
        })
        .unwrap();
    store
        .read(|tx| {
            assert_eq!(tx.find_ids(EntityKind::Contact, 0, tricky)?, vec![id]);
            assert_eq!(tx.get_raw(EntityKind::Contact, id)?.unwrap().data, tricky);
            Ok(())
        })
        .unwrap();
}

/// Archived records leave scans and index lookups, stay readable by id, keep their
/// archive flag through writes, come back on restore, and conflict on a stale version.
pub fn archived_records_leave_scans<S: Store>(store: &S) {
    let kind = EntityKind::Opportunity;
    let ids = store
        .write(|tx| {
            let mut ids = Vec::new();
            for i in 0..3 {
                let id = tx.next_id(kind)?;
                tx.put_raw(kind, id, 0, &format!("d{i}"), &keys("same", None))?;
                ids.push(id);
            }
            tx.set_archived(kind, ids[1], 1, true)?;
            Ok(ids)
        })
        .unwrap();
    let live = |store: &S| {
        store
            .read(|tx| {
                let scanned: Vec<u64> = tx.scan_raw(kind, 0, 10)?.iter().map(|r| r.id).collect();
                let mut visited = Vec::new();
                tx.visit_raw(kind, 0, 10, &mut |id, _, _| {
                    visited.push(id);
                    Ok(())
                })?;
                assert_eq!(scanned, visited);
                assert_eq!(tx.find_ids(kind, 0, "same")?, scanned);
                let archived: Vec<u64> = tx
                    .scan_archived(kind, 0, 10)?
                    .iter()
                    .map(|r| r.id)
                    .collect();
                Ok((scanned, archived))
            })
            .unwrap()
    };
    assert_eq!(live(store), (vec![ids[0], ids[2]], vec![ids[1]]));
    let raw = store.read(|tx| tx.get_raw(kind, ids[1])).unwrap().unwrap();
    assert_eq!(
        (raw.version, raw.archived, raw.data.as_str()),
        (2, true, "d1")
    );
    // a write keeps it archived; a stale archive conflicts
    store
        .write(|tx| tx.put_raw(kind, ids[1], 2, "d1'", &keys("same", None)))
        .unwrap();
    assert_eq!(live(store), (vec![ids[0], ids[2]], vec![ids[1]]));
    let err = store
        .write(|tx| tx.set_archived(kind, ids[1], 2, false))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Conflict {
                expected: 2,
                actual: 3,
                ..
            }
        ),
        "{err:?}"
    );
    let err = store
        .write(|tx| tx.set_archived(kind, ids[2] + 50, 1, true))
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { actual: 0, .. }), "{err:?}");
    // a failed transaction leaves it archived
    let _ = store.write(|tx| {
        tx.set_archived(kind, ids[1], 3, false)?;
        Err::<(), _>(Error::invalid("test", "x", "rolled back"))
    });
    assert_eq!(live(store), (vec![ids[0], ids[2]], vec![ids[1]]));
    store
        .write(|tx| tx.set_archived(kind, ids[1], 3, false))
        .unwrap();
    assert_eq!(live(store), (ids.clone(), vec![]));
    let raw = store.read(|tx| tx.get_raw(kind, ids[1])).unwrap().unwrap();
    assert_eq!(
        (raw.version, raw.archived, raw.data.as_str()),
        (4, false, "d1'")
    );
}

/// Scans page through records in id order.
pub fn scan_pages_in_id_order<S: Store>(store: &S) {
    let ids = store
        .write(|tx| {
            (0..25)
                .map(|i| {
                    let id = tx.next_id(EntityKind::Activity)?;
                    tx.put_raw(
                        EntityKind::Activity,
                        id,
                        0,
                        &i.to_string(),
                        &IndexKeys::default(),
                    )?;
                    Ok(id)
                })
                .collect::<Result<Vec<_>, Error>>()
        })
        .unwrap();
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = store
            .read(|tx| tx.scan_raw(EntityKind::Activity, after, 10))
            .unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 10);
        after = page.last().map(|r| r.id).unwrap_or(after);
        seen.extend(page.into_iter().map(|r| r.id));
    }
    assert_eq!(seen, ids);
    // visit_raw lends the same records, in the same order, a page at a time.
    let mut visited = Vec::new();
    let n = store
        .read(|tx| {
            tx.visit_raw(EntityKind::Activity, ids[4], 7, &mut |id, version, data| {
                visited.push((id, version, data.to_string()));
                Ok(())
            })
        })
        .unwrap();
    assert_eq!(n, 7);
    let expected: Vec<_> = store
        .read(|tx| tx.scan_raw(EntityKind::Activity, ids[4], 7))
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.version, r.data))
        .collect();
    assert_eq!(visited, expected);
    let err = store
        .read(|tx| {
            tx.visit_raw(EntityKind::Activity, 0, 10, &mut |_, _, _| {
                Err(Error::invalid("x", "y", "stop"))
            })
        })
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::InvalidValue,
        "an error from the visitor comes back as it is"
    );
}

/// Events are appended in order with gapless sequences and read from a cursor.
pub fn events_are_ordered_from_a_cursor<S: Store>(store: &S) {
    let before = store
        .read(|tx| tx.events_since(0, usize::MAX))
        .unwrap()
        .len() as u64;
    let lead = |n| LeadId::new(n).unwrap();
    let seqs = store
        .write(|tx| {
            let mut seqs = Vec::new();
            for n in 1..=3 {
                let ev = DomainEvent::LeadStatusChanged {
                    lead: lead(n),
                    from: "new".into(),
                    to: "working".into(),
                    reason: None,
                };
                seqs.push(tx.emit(&ev, at())?);
            }
            Ok(seqs)
        })
        .unwrap();
    assert_eq!(seqs, vec![before + 1, before + 2, before + 3]);
    let tail = store.read(|tx| tx.events_since(before + 1, 10)).unwrap();
    assert_eq!(tail.len(), 2);
    assert_eq!(tail[0].sequence, before + 2);
    assert_eq!(tail[0].aggregate, EntityKind::Lead);
    assert_eq!(tail[0].aggregate_id, 2);
    assert_eq!(tail[0].event_type, "LeadStatusChanged");
    assert_eq!(tail[0].at, at());
    assert!(
        matches!(tail[1].decode().unwrap(), DomainEvent::LeadStatusChanged { lead: l, .. } if l == lead(3))
    );
    assert_eq!(
        store
            .read(|tx| tx.events_since(before + 1, 1))
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .read(|tx| tx.events_since(before + 3, 10))
            .unwrap()
            .is_empty()
    );
    // The newest sequence, from the store and from the trait's default search.
    struct Default<'a>(&'a dyn super::ReadTx);
    impl super::ReadTx for Default<'_> {
        fn get_raw(&self, k: EntityKind, id: u64) -> crate::Result<Option<super::RawRecord>> {
            self.0.get_raw(k, id)
        }
        fn find_ids(&self, k: EntityKind, slot: usize, v: &str) -> crate::Result<Vec<u64>> {
            self.0.find_ids(k, slot, v)
        }
        fn scan_raw(
            &self,
            k: EntityKind,
            a: u64,
            l: usize,
        ) -> crate::Result<Vec<super::RawRecord>> {
            self.0.scan_raw(k, a, l)
        }
        fn scan_archived(
            &self,
            k: EntityKind,
            a: u64,
            l: usize,
        ) -> crate::Result<Vec<super::RawRecord>> {
            self.0.scan_archived(k, a, l)
        }
        fn events_since(
            &self,
            a: u64,
            l: usize,
        ) -> crate::Result<Vec<crate::event::EventEnvelope>> {
            self.0.events_since(a, l)
        }
        fn search_text(
            &self,
            q: &crate::search::TextQuery,
        ) -> crate::Result<Vec<crate::search::TextHit>> {
            self.0.search_text(q)
        }
    }
    let (native, searched) = store
        .read(|tx| {
            Ok((
                tx.last_event_sequence()?,
                super::ReadTx::last_event_sequence(&Default(tx))?,
            ))
        })
        .unwrap();
    assert_eq!((native, searched), (before + 3, before + 3));
}

/// A write whose closure fails leaves no record, no index entry and no event behind.
pub fn failed_writes_roll_back<S: Store>(store: &S) {
    let events_before = store
        .read(|tx| tx.events_since(0, usize::MAX))
        .unwrap()
        .len();
    let existing = store
        .write(|tx| {
            let id = tx.next_id(EntityKind::Purchase)?;
            tx.put_raw(EntityKind::Purchase, id, 0, "old", &keys("old", None))?;
            Ok(id)
        })
        .unwrap();
    let err = store
        .write(|tx| -> Result<(), Error> {
            let id = tx.next_id(EntityKind::Purchase)?;
            tx.put_raw(EntityKind::Purchase, id, 0, "new", &keys("new", None))?;
            tx.put_raw(
                EntityKind::Purchase,
                existing,
                1,
                "changed",
                &keys("changed", None),
            )?;
            tx.emit(
                &DomainEvent::AccountCreated {
                    account: crate::id::AccountId::new(1)?,
                },
                at(),
            )?;
            Err(Error::invalid("test", "x", "forced failure"))
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    store
        .read(|tx| {
            assert!(tx.find_ids(EntityKind::Purchase, 0, "new")?.is_empty());
            assert!(tx.find_ids(EntityKind::Purchase, 0, "changed")?.is_empty());
            assert_eq!(tx.find_ids(EntityKind::Purchase, 0, "old")?, vec![existing]);
            let raw = tx.get_raw(EntityKind::Purchase, existing)?.unwrap();
            assert_eq!((raw.version, raw.data.as_str()), (1, "old"));
            assert_eq!(tx.scan_raw(EntityKind::Purchase, 0, 100)?.len(), 1);
            assert_eq!(tx.events_since(0, usize::MAX)?.len(), events_before);
            Ok(())
        })
        .unwrap();
}

/// The typed layer: insert, load, a stale copy's update conflicts, the fresh one wins.
pub fn typed_records_round_trip<S: Store>(store: &S) {
    let data = LeadData {
        last_name: Some("Lovelace".into()),
        ..LeadData::default()
    };
    let lead = store
        .write(|tx| tx.insert(|id| Lead::new(id, LeadSource::Manual, data.clone(), at())))
        .unwrap();
    assert_eq!(lead.version, 1);
    let mut fresh: Lead = store.read(|tx| tx.load(lead.id)).unwrap();
    assert_eq!(fresh, lead);
    let mut stale = fresh.clone();
    fresh.score = Some(0.5);
    store.write(|tx| tx.update(&mut fresh)).unwrap();
    assert_eq!(fresh.version, 2);
    stale.score = Some(0.9);
    let err = store.write(|tx| tx.update(&mut stale)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        stale.version, 1,
        "a failed update leaves the caller's version alone"
    );
    let stored: Lead = store.read(|tx| tx.load(lead.id)).unwrap();
    assert_eq!((stored.version.get(), stored.score), (2, Some(0.5)));
    let missing = store
        .read(|tx| tx.load::<Lead>(LeadId::new(999_999)?))
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
}

/// The full-text index follows every write, archive, restore and delete in the same
/// transaction, and a failed transaction leaves it as it was.
pub fn text_search_follows_writes<S: Store>(store: &S) {
    use crate::search::TextQuery;
    let kind = EntityKind::Account;
    let lead = EntityKind::Lead;
    let q = |terms: &[&str], kinds: &[EntityKind], all: bool| TextQuery {
        terms: terms.iter().map(|t| t.to_string()).collect(),
        kinds: kinds.to_vec(),
        all,
        limit: 10,
    };
    let found = |query: &TextQuery| -> Vec<(EntityKind, u64)> {
        store
            .read(|tx| tx.search_text(query))
            .unwrap()
            .into_iter()
            .map(|h| (h.kind, h.id))
            .collect()
    };
    let (a, b, l) = store
        .write(|tx| {
            let a = tx.next_id(kind)?;
            tx.put_raw(
                kind,
                a,
                0,
                r#"{"name": "Müller Pumpen", "industry": "pumps"}"#,
                &keys("x", None),
            )?;
            let b = tx.next_id(kind)?;
            tx.put_raw(
                kind,
                b,
                0,
                r#"{"name": "Pumpwerk", "custom": {"tier": "gold"}}"#,
                &keys("x", None),
            )?;
            let l = tx.next_id(lead)?;
            tx.put_raw(
                lead,
                l,
                0,
                r#"{"data": {"last_name": "Muller", "email": "m@pumps.example"}}"#,
                &keys("x", None),
            )?;
            // in the same transaction, the writes are found
            assert_eq!(tx.search_text(&q(&["muller"], &[kind], true))?.len(), 1);
            Ok((a, b, l))
        })
        .unwrap();
    // accents do not matter; the last word is a prefix; kinds narrow
    assert_eq!(found(&q(&["muller"], &[kind, lead], true)).len(), 2);
    assert_eq!(found(&q(&["muller"], &[lead], true)), [(lead, l)]);
    assert_eq!(found(&q(&["pump"], &[kind], true)).len(), 2);
    assert_eq!(found(&q(&["gold"], &[kind], true)), [(kind, b)]);
    let hits = store
        .read(|tx| tx.search_text(&q(&["muller", "pumpen"], &[kind], true)))
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].texts[0], "Müller Pumpen");
    assert!(hits[0].score > 0.0);
    // any word: both accounts, the one with both words first
    let any = found(&q(&["pumpen", "gold"], &[kind], false));
    assert_eq!(any.len(), 2);
    // an edit replaces the words; archive hides; restore shows; delete removes
    store
        .write(|tx| {
            tx.put_raw(
                kind,
                a,
                1,
                r#"{"name": "Schmidt Ventile"}"#,
                &keys("x", None),
            )
        })
        .unwrap();
    assert!(found(&q(&["muller"], &[kind], true)).is_empty());
    assert_eq!(found(&q(&["ventile"], &[kind], true)), [(kind, a)]);
    store.write(|tx| tx.set_archived(kind, a, 2, true)).unwrap();
    assert!(found(&q(&["ventile"], &[kind], true)).is_empty());
    store
        .write(|tx| tx.set_archived(kind, a, 3, false))
        .unwrap();
    assert_eq!(found(&q(&["ventile"], &[kind], true)), [(kind, a)]);
    store.write(|tx| tx.delete_raw(kind, a, 4)).unwrap();
    assert!(found(&q(&["ventile"], &[kind], true)).is_empty());
    // a failed transaction leaves the index as it was
    let failed: crate::Result<()> = store.write(|tx| {
        tx.put_raw(kind, b, 1, r#"{"name": "Gone"}"#, &keys("x", None))?;
        Err(crate::Error::storage("rolled back"))
    });
    assert!(failed.is_err());
    assert_eq!(found(&q(&["pumpwerk"], &[kind], true)), [(kind, b)]);
    assert!(found(&q(&["gone"], &[kind], true)).is_empty());
    // a draft article is not searched; a published one is
    let art = EntityKind::Article;
    store
        .write(|tx| {
            let d = tx.next_id(art)?;
            tx.put_raw(
                art,
                d,
                0,
                r#"{"status": "draft", "title": "Pump seals"}"#,
                &keys("draft", None),
            )?;
            let p = tx.next_id(art)?;
            tx.put_raw(
                art,
                p,
                0,
                r#"{"status": "published", "title": "Pump valves"}"#,
                &keys("published", None),
            )
        })
        .unwrap();
    assert_eq!(found(&q(&["pump"], &[art], true)).len(), 1);
    // a word most records hold, with rare ones: still every word
    store
        .write(|tx| {
            for i in 0..60 {
                let id = tx.next_id(kind)?;
                let name = format!(r#"{{"name": "Company {i} GmbH"}}"#);
                tx.put_raw(kind, id, 0, &name, &keys("x", None))?;
            }
            let id = tx.next_id(kind)?;
            tx.put_raw(kind, id, 0, r#"{"name": "Other 7 GmbH"}"#, &keys("x", None))
        })
        .unwrap();
    let hits = store
        .read(|tx| tx.search_text(&q(&["company", "7", "gmbh"], &[kind], true)))
        .unwrap();
    assert_eq!(
        hits.iter().map(|h| h.texts[0].as_str()).collect::<Vec<_>>(),
        ["Company 7 GmbH"]
    );
}

/// A transaction reads back what it wrote before it commits — many records, their index
/// keys, search rows and events, whatever a store holds back to send together — and all
/// of it is there after the commit; an id handed out that meanwhile got taken under
/// another record is a conflict, never an overwrite.
pub fn a_transaction_reads_its_own_writes<S: Store>(store: &S) {
    use crate::search::TextQuery;
    let lead = EntityKind::Lead;
    let n: usize = 2_500;
    let before = store.read(|tx| tx.last_event_sequence()).unwrap();
    let doc = |i: usize| format!(r#"{{"data": {{"last_name": "Quorvex{i}z"}}}}"#);
    let words = |word: &str| TextQuery {
        terms: vec![word.to_string()],
        kinds: vec![lead],
        all: true,
        limit: 10,
    };
    let ids = store
        .write(|tx| {
            let mut ids = Vec::with_capacity(n);
            for i in 0..n {
                let id = tx.next_id(lead)?;
                tx.put_raw(lead, id, 0, &doc(i), &keys(&format!("k{i}"), Some("all")))?;
                let event = DomainEvent::LeadStatusChanged {
                    lead: LeadId::new(id).unwrap(),
                    from: "new".into(),
                    to: "working".into(),
                    reason: None,
                };
                tx.emit(&event, at())?;
                ids.push(id);
            }
            assert_eq!(tx.get_raw(lead, ids[n - 1])?.map(|r| r.version), Some(1));
            assert_eq!(tx.find_ids(lead, 0, "k7")?, [ids[7]]);
            assert_eq!(tx.find_ids(lead, 1, "all")?.len(), n);
            assert_eq!(tx.events_since(before, usize::MAX)?.len(), n);
            assert_eq!(tx.last_event_sequence()?, before + n as u64);
            let hits = tx.search_text(&words("quorvex2499z"))?;
            assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [ids[n - 1]]);
            // inserting an id twice in one transaction: the second is refused
            let again = tx.put_raw(lead, ids[3], 0, "{}", &keys("k", None));
            assert_eq!(again.map_err(|e| e.kind()), Err(ErrorKind::Conflict));
            Ok(ids)
        })
        .unwrap();
    let events = store
        .read(|tx| tx.events_since(before, usize::MAX))
        .unwrap();
    assert_eq!(events.len(), n);
    assert!(
        events
            .windows(2)
            .all(|w| w[1].sequence == w[0].sequence + 1)
    );
    assert_eq!(events[n - 1].aggregate_id, ids[n - 1]);
    let stored = store.read(|tx| tx.get_raw(lead, ids[3])).unwrap().unwrap();
    assert_eq!((stored.version, stored.data), (1, doc(3)));
    assert_eq!(
        store.read(|tx| tx.find_ids(lead, 1, "all")).unwrap().len(),
        n
    );
    assert_eq!(
        store
            .read(|tx| tx.search_text(&words("quorvex17z")))
            .unwrap()
            .len(),
        1
    );
    // an id handed out, then taken under another record before it is used
    let clash = store.write(|tx| {
        let id = tx.next_id(lead)?;
        // the next id, taken by a record written under an id of the caller's choosing
        tx.put_raw(
            lead,
            id + 1,
            0,
            r#"{"chosen": true}"#,
            &keys("chosen", None),
        )?;
        let handed = tx.next_id(lead)?;
        tx.put_raw(
            lead,
            handed,
            0,
            r#"{"second": true}"#,
            &keys("second", None),
        )?;
        tx.put_raw(lead, id, 0, r#"{"b": 1}"#, &keys("b", None))?;
        tx.last_event_sequence()?;
        Ok(handed)
    });
    match clash {
        Ok(handed) => {
            // a store that hands out ids past any taken one
            let raw = store.read(|tx| tx.get_raw(lead, handed)).unwrap().unwrap();
            assert_eq!(raw.data, r#"{"second": true}"#);
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Conflict);
            assert_eq!(
                store.read(|tx| tx.find_ids(lead, 0, "chosen")).unwrap(),
                Vec::<u64>::new(),
                "a failed write leaves nothing"
            );
        }
    }
}

/// Generates one `#[test]` per conformance check for the store `$make()` returns
/// (a fresh, empty store each time). `optional $make`: `$make()` returns an `Option`, and
/// a test with `None` (no server to test against) ends without checking anything.
#[macro_export]
macro_rules! store_conformance_tests {
    (optional $make:expr) => {
        $crate::store_conformance_tests!(@tests (|| ($make)());
            insert_and_get,
            stale_writes_conflict,
            delete_and_never_reuse_ids,
            index_keys_follow_writes,
            archived_records_leave_scans,
            scan_pages_in_id_order,
            events_are_ordered_from_a_cursor,
            failed_writes_roll_back,
            typed_records_round_trip,
            text_search_follows_writes,
            a_transaction_reads_its_own_writes
        );
    };
    (@tests $make:expr; $($name:ident),+) => {
        $(
            #[test]
            fn $name() {
                if let Some(store) = ($make)() {
                    $crate::store::conformance::$name(&store);
                }
            }
        )+
    };
    ($make:expr) => {
        $crate::store_conformance_tests!(optional || Some(($make)()));
    };
}

#[cfg(test)]
mod memory_store_conformance {
    crate::store_conformance_tests!(crate::store::MemoryStore::new);
}
