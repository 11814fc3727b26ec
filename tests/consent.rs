//! Consent on both stores: automation's e-mails to a person without consent, withdrawn or
//! marked do-not-contact are skipped with the reason; a person's consents go when the
//! person is deleted.

use chrono::{DateTime, TimeZone, Utc};
use crm::store::{EntityKind, MemoryStore, Store};
use crm::surface::invoke;
use crm::{Crm, RecordKey, Region};
use serde_json::{Value, json};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap()
}

fn call<S: Store>(crm: &Crm<S>, ns: &str, name: &str, args: Value) -> Value {
    invoke(crm, ns, name, args.as_object().unwrap(), now())
        .unwrap_or_else(|e| panic!("{ns}.{name}: {e}"))
}

fn automation_mails_only_who_may_be_mailed<S: Store>(crm: Crm<S>) {
    call(
        &crm,
        "marketing",
        "define_automation_rule",
        json!({"name": "Welcome", "trigger": {"on": "event", "event_type": "LeadCaptured"},
            "actions": [{"do": "send_email", "template": {"name": "welcome", "subject": "Hi {{first_name}}",
                "body": "Hello"}}], "once_per_record": true}),
    );
    let capture = |email: &str| {
        call(
            &crm,
            "leads",
            "capture",
            json!({"input": {"values": {"first_name": "A", "last_name": "B", "email": email}}}),
        )["lead"]["id"]
            .as_u64()
            .unwrap()
    };
    let (without, with, blocked) = (
        capture("none@example.com"),
        capture("yes@example.com"),
        capture("no@example.com"),
    );
    for id in [with, blocked] {
        call(
            &crm,
            "marketing",
            "grant_consent",
            json!({"consent": {"subject": {"kind": "lead", "id": id}, "channel": "email",
                "purpose": "marketing", "source": "web form"}}),
        );
    }
    call(
        &crm,
        "marketing",
        "set_do_not_contact",
        json!({"subject": {"kind": "lead", "id": blocked}, "on": true}),
    );
    let run = call(
        &crm,
        "marketing",
        "run_automation",
        json!({"max_events": 1000}),
    );
    let planned: Vec<(u64, Value)> = run["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["subject_id"].as_u64().unwrap(), a["planned"].clone()))
        .collect();
    assert_eq!(planned.len(), 3, "{run}");
    assert_eq!(
        planned[0],
        (
            without,
            json!({"do": "skipped", "reason": "may not be e-mailed: no consent"})
        )
    );
    assert_eq!(planned[1].0, with);
    assert_eq!(planned[1].1["do"], "send_email");
    assert_eq!(
        planned[2],
        (
            blocked,
            json!({"do": "skipped", "reason": "may not be e-mailed: do not contact"})
        )
    );

    // deleting the person takes their consents and marks along
    let lead = crm.lead(crm::id::LeadId::new(blocked).unwrap()).unwrap();
    let done = crm
        .delete(
            RecordKey::new(EntityKind::Lead, blocked),
            lead.version,
            Default::default(),
            now(),
        )
        .unwrap();
    let kinds: Vec<EntityKind> = done.deleted.iter().map(|k| k.kind()).collect();
    assert!(kinds.contains(&EntityKind::Consent), "{kinds:?}");
    assert!(kinds.contains(&EntityKind::DoNotContact), "{kinds:?}");
}

#[test]
fn automation_mails_only_who_may_be_mailed_on_memory_store() {
    automation_mails_only_who_may_be_mailed(Crm::new(
        MemoryStore::new(),
        Region::parse("DE").unwrap(),
    ));
}

#[test]
fn automation_mails_only_who_may_be_mailed_on_sqlite_store() {
    let store = crm::SqliteStore::open_in_memory().unwrap();
    automation_mails_only_who_may_be_mailed(Crm::new(store, Region::parse("DE").unwrap()));
}
