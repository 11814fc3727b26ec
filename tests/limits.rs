//! Text limits (crm_core::limits) hold on every write, through any use case, on both
//! stores: a text too long or with a control character is a validation error naming the
//! field, and nothing is written.

use chrono::{DateTime, TimeZone, Utc};
use crm::activity::{ActivityKind, NewActivity};
use crm::id::RecordRef;
use crm::store::{MemoryStore, Store};
use crm::{Crm, Error, LeadInput, Region};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn problems(err: Error) -> Vec<(String, String)> {
    match err {
        Error::Validation { problems } => {
            problems.into_iter().map(|p| (p.field, p.reason)).collect()
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn limits_hold<S: Store>(crm: Crm<S>) {
    let lead = crm
        .capture_lead(
            &LeadInput::new()
                .with(crm::LeadField::LastName, "Lovelace")
                .with(crm::LeadField::Email, "ada@example.com"),
            now(),
        )
        .unwrap()
        .lead;
    let events = crm.events_since(0, usize::MAX).unwrap().len();

    // a 5 MB last name and a NUL byte: both named, nothing written
    let patch = crm::lifecycle::LeadPatch::new()
        .set("last_name", "x".repeat(5_000_000))
        .unwrap()
        .set("first_name", "A\0da")
        .unwrap();
    let found = problems(
        crm.update_lead(lead.id, lead.version, &patch, now())
            .unwrap_err(),
    );
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["data.first_name", "data.last_name"], "{found:?}");
    assert_eq!(crm.lead(lead.id).unwrap(), lead);
    assert_eq!(crm.events_since(0, usize::MAX).unwrap().len(), events);

    // a disqualification reason is a long text: line breaks pass, a huge one does not
    let huge = "no budget ".repeat(30_000);
    let found = problems(crm.disqualify(lead.id, &huge, now()).unwrap_err());
    assert_eq!(found[0].0, "status.disqualified.reason", "{found:?}");
    let out = crm
        .disqualify(lead.id, "no budget\nthis year", now())
        .unwrap();
    assert_eq!(out.version, lead.version.next());

    // an activity's title is a line; its notes may span lines
    let activity = |title: &str| NewActivity {
        notes: Some("called\r\n\tno answer".into()),
        ..NewActivity::new(ActivityKind::Call, RecordRef::Lead(lead.id), title)
    };
    crm.log_activity(activity("Follow-up"), now()).unwrap();
    let found = problems(crm.log_activity(activity("Follow\nup"), now()).unwrap_err());
    assert_eq!(found[0].0, "title", "{found:?}");
    assert!(found[0].1.contains("U+000A"), "{found:?}");
}

#[test]
fn limits_hold_on_memory_store() {
    limits_hold(Crm::new(MemoryStore::new(), Region::parse("DE").unwrap()));
}

#[test]
fn limits_hold_on_sqlite_store() {
    let store = crm::SqliteStore::open_in_memory().unwrap();
    limits_hold(Crm::new(store, Region::parse("DE").unwrap()));
}
