//! Paged listings and full-text search on 1M stored leads in SQLite: the first page of a
//! listing filtered on an indexed field (goal: < 5 ms), a page deep in the listing by its
//! cursor, and a filter judged on each document. The baseline is what an app does without
//! paging: the unbounded listing of the status (`leads_with_status`) and its first 50.
//! Search (goal: < 20 ms) is measured against the same words looked for with a listing
//! filter judged on each document (`contains`), what an app has without an index.
//!
//! `cargo bench --bench listing`

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use crm::lead::{Lead, LeadData, LeadSource, LeadStatus, LeadStatusKind};
use crm::lifecycle::{FieldCondition, ListQuery, Op};
use crm::search::SearchQuery;
use crm::store::{EntityKind, Store, WriteExt};
use crm::{Crm, Email, Region, SqliteStore};

mod common;
use common::best_of;

const N: usize = 1_000_000;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn working(after: Option<String>) -> ListQuery {
    ListQuery {
        filter: vec![FieldCondition {
            field: "status".into(),
            op: Op::Eq,
            value: serde_json::json!("working"),
        }],
        after,
        limit: Some(50),
        ..ListQuery::default()
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("listing.db")).unwrap();
    let t = Instant::now();
    for chunk in 0..N / 10_000 {
        store
            .write(|tx| {
                for i in chunk * 10_000..(chunk + 1) * 10_000 {
                    let data = LeadData {
                        first_name: Some(format!("First{i}")),
                        last_name: Some(format!("Last{}", i % 9973)),
                        company: Some(format!("Company {}", i % 5000)),
                        email: Some(Email::parse(&format!("lead{i}@example.com")).unwrap()),
                        ..LeadData::default()
                    };
                    tx.insert(|id| {
                        let mut lead = Lead::new(id, LeadSource::Manual, data, at());
                        // a third of the leads are being worked
                        if i % 3 == 0 {
                            lead.status = LeadStatus::Working;
                        }
                        lead
                    })?;
                }
                Ok(())
            })
            .unwrap();
    }
    println!("stored {N} leads in {:.1} s", t.elapsed().as_secs_f64());
    let crm = Crm::new(store, Region::parse("US").unwrap());

    let (first, page) = best_of(20, || {
        crm.list_page(EntityKind::Lead, &working(None)).unwrap()
    });
    assert_eq!(page.items.len(), 50);
    // the cursor of page 1000 (50 000 records in)
    let mut after = None;
    for _ in 0..1000 {
        after = crm
            .list_page(EntityKind::Lead, &working(after))
            .unwrap()
            .next;
    }
    let (deep, _) = best_of(20, || {
        crm.list_page(EntityKind::Lead, &working(after.clone()))
            .unwrap()
    });
    let scanned = ListQuery {
        filter: vec![FieldCondition {
            field: "data.email".into(),
            op: Op::Contains,
            value: serde_json::json!("7@example"),
        }],
        limit: Some(50),
        ..ListQuery::default()
    };
    let (judged, page) = best_of(20, || crm.list_page(EntityKind::Lead, &scanned).unwrap());
    assert_eq!(page.items.len(), 50);
    let (unbounded, all) = best_of(3, || {
        let all = crm.leads_with_status(LeadStatusKind::Working).unwrap();
        black_box(all.iter().take(50).count());
        all.len()
    });
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "\n== listing: first page of 50 working leads of {N}: {:.2} ms (goal < 5 ms: {})",
        ms(first),
        if ms(first) < 5.0 { "met" } else { "NOT met" }
    );
    println!("   page 1001 by its cursor: {:.2} ms", ms(deep));
    println!(
        "   first page of a filter judged on each document (e-mail contains \"7@example\"): {:.2} ms",
        ms(judged)
    );
    println!(
        "   baseline, every working lead ({all}) then the first 50: {:.0} ms; the paged first page is {:.0}× faster",
        ms(unbounded),
        unbounded.as_secs_f64() / first.as_secs_f64()
    );

    // full-text search: a rare name (100 of 1M), a type-ahead prefix, two words
    let search = |text: &str| {
        crm.search(&SearchQuery {
            text: text.into(),
            kinds: vec![EntityKind::Lead],
            limit: Some(20),
        })
        .unwrap()
    };
    let (rare, hits) = best_of(20, || search("last4242"));
    assert_eq!(hits.len(), 20);
    let (prefix, hits) = best_of(20, || search("first12345"));
    assert!(!hits.is_empty());
    let (two, hits) = best_of(20, || search("company 4242"));
    assert!(!hits.is_empty());
    let contains = ListQuery {
        filter: vec![FieldCondition {
            field: "data.last_name".into(),
            op: Op::Eq,
            value: serde_json::json!("Last4242"),
        }],
        limit: Some(20),
        ..ListQuery::default()
    };
    let (scan, page) = best_of(3, || crm.list_page(EntityKind::Lead, &contains).unwrap());
    assert_eq!(page.items.len(), 20);
    let worst = rare.max(prefix).max(two);
    println!(
        "\n== search over {N} leads (SQLite FTS5), best 20: a rare name {:.2} ms, a prefix {:.2} ms, \
         two words {:.2} ms (goal < 20 ms: {})",
        ms(rare),
        ms(prefix),
        ms(two),
        if ms(worst) < 20.0 { "met" } else { "NOT met" }
    );
    println!(
        "   baseline, the rare name by a listing filter judged on each document: {:.0} ms; search is {:.0}× faster",
        ms(scan),
        scan.as_secs_f64() / rare.as_secs_f64()
    );
}
