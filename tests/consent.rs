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

/// A web form's ticked checkbox grants its consent with the form and address as proof;
/// conversion gives the contact the lead's consents; a merge moves the duplicate's.
fn consents_follow_forms_conversions_and_merges<S: Store>(crm: Crm<S>) {
    use crm::LeadField;
    use crm::consent::{Channel, Purpose};
    use crm::id::RecordRef;
    use crm::lead::webform::{Submission, WebFormSpec};
    let form = crm
        .define_web_form(
            WebFormSpec::new("Newsletter", Region::parse("DE").unwrap())
                .field("email", LeadField::Email, true)
                .field("name", LeadField::LastName, true)
                .consent("optin", Channel::Email, Purpose::Newsletter),
            now(),
        )
        .unwrap();
    let submit = |email: &str, optin: &str| {
        let mut s = Submission::new(
            [("email", email), ("name", "Hopper"), ("optin", optin)],
            now(),
        );
        s.ip = Some("203.0.113.7".into());
        crm.submit_web_form(form.id, &s).unwrap().lead
    };
    let ticked = submit("grace@navy.example", "on");
    let unticked = submit("ada@engines.example", "");
    let ticked_ref = RecordRef::Lead(ticked.id);
    let consents = crm.consents_of(ticked_ref).unwrap();
    assert_eq!(consents.len(), 1);
    assert_eq!(
        (
            consents[0].channel,
            consents[0].purpose,
            consents[0].granted
        ),
        (Channel::Email, Purpose::Newsletter, true)
    );
    assert_eq!(consents[0].proof.form.as_deref(), Some("Newsletter"));
    assert_eq!(consents[0].proof.ip.as_deref(), Some("203.0.113.7"));
    assert!(
        crm.consents_of(RecordRef::Lead(unticked.id))
            .unwrap()
            .is_empty()
    );
    // a checkbox needs a name of its own
    assert!(
        crm.define_web_form(
            WebFormSpec::new("Bad", Region::parse("DE").unwrap())
                .field("email", LeadField::Email, true)
                .consent("email", Channel::Email, Purpose::Marketing),
            now(),
        )
        .is_err()
    );

    // a merge moves the duplicate's consent to the survivor
    crm.merge_leads(unticked.id, ticked.id, &Default::default(), now())
        .unwrap();
    let moved = crm.consents_of(RecordRef::Lead(unticked.id)).unwrap();
    assert_eq!(moved.len(), 1);
    assert!(crm.consents_of(ticked_ref).unwrap().is_empty());
    // conversion: the contact may be mailed the newsletter as the lead could
    crm.start_working(unticked.id, now()).unwrap();
    crm.qualify(unticked.id, now()).unwrap();
    let conversion = crm
        .convert_lead(unticked.id, &Default::default(), now())
        .unwrap();
    let contact = RecordRef::Contact(conversion.contact.id);
    let decision = crm
        .may_contact(contact, Channel::Email, Purpose::Newsletter)
        .unwrap();
    assert!(decision.allowed, "{}", decision.reason);
    assert_eq!(
        crm.consents_of(RecordRef::Lead(unticked.id)).unwrap().len(),
        1
    );
}

#[test]
fn consents_follow_forms_conversions_and_merges_on_memory_store() {
    consents_follow_forms_conversions_and_merges(Crm::new(
        MemoryStore::new(),
        Region::parse("DE").unwrap(),
    ));
}

#[test]
fn consents_follow_forms_conversions_and_merges_on_sqlite_store() {
    let store = crm::SqliteStore::open_in_memory().unwrap();
    consents_follow_forms_conversions_and_merges(Crm::new(store, Region::parse("DE").unwrap()));
}
