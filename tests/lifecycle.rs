//! The record lifecycle on both stores: edits by patch with field history and actors,
//! archive and restore, and deletes that respect what depends on a record.

#[macro_use]
mod both_stores;

use chrono::{DateTime, Duration, TimeZone, Utc};
use crm::activity::{ActivityKind, NewActivity};
use crm::customer::{NewAccount, NewContact};
use crm::id::RecordRef;
use crm::lifecycle::{AccountPatch, ContactPatch, LeadPatch, OnDependants};
use crm::store::{EntityKind, MemoryStore, Store};
use crm::{Actor, Crm, Error, LeadInput, RecordKey, Region};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap()
}

fn key(kind: EntityKind, id: u64) -> RecordKey {
    RecordKey::new(kind, id)
}

fn edits_keep_what_they_do_not_name<S: Store>(crm: Crm<S>) {
    let alice = crm.as_actor(Actor::user("alice").unwrap());
    let account = crm
        .create_account(
            NewAccount {
                domain: Some("engines.example".into()),
                industry: Some("machinery".into()),
                ..NewAccount::named("Analytical Engines")
            },
            now(),
        )
        .unwrap();
    // custom fields of an account can be set now, and the domain is normalised on edit
    let later = now() + Duration::hours(1);
    let patch: AccountPatch = serde_json::from_value(serde_json::json!({
        "custom": {"tier": "gold"},
        "domain": "https://www.Engines.example/about",
    }))
    .unwrap();
    let edited = alice
        .edit::<crm::customer::Account>(account.id, account.version, &patch, later)
        .unwrap();
    assert_eq!(edited.custom.get("tier"), Some(&serde_json::json!("gold")));
    assert_eq!(edited.domain.as_deref(), Some("engines.example"));
    assert_eq!(edited.industry.as_deref(), Some("machinery"));
    assert_eq!(edited.name, "Analytical Engines");
    assert_eq!(edited.updated_at, later);
    // clearing the name is refused by name; an unknown field too; nothing written
    let err = alice
        .edit::<crm::customer::Account>(
            account.id,
            edited.version,
            &AccountPatch::new().clear("name"),
            later,
        )
        .unwrap_err();
    assert_eq!(err.code(), "validation_failed", "{err}");
    let err = alice
        .edit::<crm::customer::Account>(
            account.id,
            edited.version,
            &AccountPatch::new()
                .set("created_at", "2020-01-01T00:00:00Z")
                .unwrap(),
            later,
        )
        .unwrap_err();
    assert!(err.to_string().contains("patch.created_at"), "{err}");
    assert_eq!(crm.account(account.id).unwrap(), edited);

    // history: created by the host, edited by alice, with old and new values
    let history = crm
        .history(key(EntityKind::Account, account.id.get()))
        .unwrap();
    let seen: Vec<(&str, &str)> = history
        .iter()
        .map(|h| (h.event.as_str(), h.actor.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("AccountCreated", "system:host"),
            ("RecordEdited", "user:alice")
        ]
    );
    let custom = history[1]
        .changes
        .iter()
        .find(|c| c.field == "custom")
        .unwrap();
    assert_eq!(custom.new, serde_json::json!({"tier": "gold"}));
    // the normalised domain did not change, so it is not in the history
    assert!(history[1].changes.iter().all(|c| c.field != "domain"));

    // a contact: a patch with the e-mail's other spelling and a new job title
    let contact = crm
        .create_contact(
            NewContact {
                last_name: Some("Lovelace".into()),
                first_name: Some("Ada".into()),
                job_title: Some("Analyst".into()),
                account: Some(account.id),
                ..NewContact::default()
            },
            now(),
        )
        .unwrap();
    let patch = ContactPatch::new()
        .set("job_title", "Countess")
        .unwrap()
        .set("email", "ADA@Engines.Example")
        .unwrap();
    let edited = alice
        .edit::<crm::customer::Contact>(contact.id, contact.version, &patch, later)
        .unwrap();
    assert_eq!(
        edited.email.as_ref().map(|e| e.as_str()),
        Some("ada@engines.example")
    );
    assert_eq!(edited.first_name.as_deref(), Some("Ada"));
    assert_eq!(edited.account, Some(account.id));
}

fn archived_records_leave_listings_and_come_back<S: Store>(crm: Crm<S>) {
    let input = |last: &str, email: &str| {
        LeadInput::new()
            .with(crm::LeadField::LastName, last)
            .with(crm::LeadField::Email, email)
    };
    let ada = crm
        .capture_lead(&input("Lovelace", "ada@example.com"), now())
        .unwrap()
        .lead;
    let grace = crm
        .capture_lead(&input("Hopper", "grace@example.com"), now())
        .unwrap()
        .lead;
    let record = key(EntityKind::Lead, ada.id.get());
    let version = crm.archive(record, ada.version, now()).unwrap();
    assert_eq!(version, ada.version.next());
    assert!(crm.is_archived(record).unwrap());
    // out of listings and duplicate checks; readable by id
    let ids: Vec<_> = crm.all_leads().unwrap().iter().map(|l| l.id).collect();
    assert_eq!(ids, [grace.id]);
    assert_eq!(crm.lead(ada.id).unwrap().data, ada.data);
    let again = crm
        .capture_lead(&input("Lovelace", "ada@example.com"), now())
        .unwrap();
    assert!(again.duplicates.is_empty(), "{:?}", again.duplicates);
    let archived = crm.archived(EntityKind::Lead, 0, 10).unwrap();
    assert_eq!(archived.len(), 1);
    assert_eq!(archived[0]["id"], serde_json::json!(ada.id.get()));
    // archiving twice is refused; a stale restore conflicts; restore brings it back
    let err = crm.archive(record, version, now()).unwrap_err();
    assert_eq!(err.code(), "illegal_transition");
    let err = crm.restore(record, ada.version, now()).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    crm.restore(record, version, now()).unwrap();
    assert_eq!(crm.all_leads().unwrap().len(), 3);
    let events: Vec<String> = crm
        .history(record)
        .unwrap()
        .into_iter()
        .map(|h| h.event)
        .collect();
    assert_eq!(events, ["LeadCaptured", "RecordArchived", "RecordRestored"]);
}

fn deletes_respect_dependants<S: Store>(crm: Crm<S>) {
    let account = crm
        .create_account(NewAccount::named("Engines"), now())
        .unwrap();
    let other = crm
        .create_account(NewAccount::named("Difference"), now())
        .unwrap();
    let contact = crm
        .create_contact(
            NewContact {
                last_name: Some("Babbage".into()),
                account: Some(account.id),
                ..NewContact::default()
            },
            now(),
        )
        .unwrap();
    let call = crm
        .log_activity(
            NewActivity::new(ActivityKind::Call, RecordRef::Account(account.id), "intro"),
            now(),
        )
        .unwrap();
    let record = key(EntityKind::Account, account.id.get());
    let contact_key = key(EntityKind::Contact, contact.id.get());
    crm.link_external(contact_key, "erp", "C-1", now()).unwrap();
    crm.link_external(record, "erp", "A-1", now()).unwrap();
    assert_eq!(
        crm.find_external(EntityKind::Contact, "ERP", " C-1 ")
            .unwrap(),
        Some(contact_key)
    );
    // refused while the contact depends on it; nothing deleted
    let err = crm
        .delete(record, account.version, OnDependants::Refuse, now())
        .unwrap_err();
    match &err {
        Error::InUse { dependants, .. } => {
            assert_eq!(dependants, &[format!("contact:{}", contact.id)]);
        }
        other => panic!("expected in_use, got {other:?}"),
    }
    assert!(crm.contact(contact.id).is_ok());
    // re-pointed at another account: the contact and the call move, then it is deleted
    let done = crm
        .delete(
            record,
            account.version,
            OnDependants::Repoint {
                to: key(EntityKind::Account, other.id.get()),
            },
            now(),
        )
        .unwrap();
    assert_eq!(done.deleted, [record]);
    // the contact, the call and the account's ERP id move
    assert_eq!(done.repointed.len(), 3);
    assert_eq!(
        crm.find_external(EntityKind::Account, "erp", "A-1")
            .unwrap(),
        Some(key(EntityKind::Account, other.id.get()))
    );
    assert_eq!(crm.contact(contact.id).unwrap().account, Some(other.id));
    assert_eq!(
        crm.activities_of(RecordRef::Account(other.id)).unwrap()[0].id,
        call.id
    );
    assert_eq!(crm.account(account.id).unwrap_err().code(), "not_found");
    // a cascade deletes the contact with the account; the log keeps no personal data
    let other_key = key(EntityKind::Account, other.id.get());
    let other = crm.account(other.id).unwrap();
    let done = crm
        .delete(other_key, other.version, OnDependants::Cascade, now())
        .unwrap();
    assert_eq!(done.deleted.last(), Some(&other_key));
    assert!(
        done.deleted
            .contains(&key(EntityKind::Contact, contact.id.get()))
    );
    assert_eq!(crm.contact(contact.id).unwrap_err().code(), "not_found");
    let deleted = crm
        .events_since(0, usize::MAX)
        .unwrap()
        .into_iter()
        .filter(|e| e.event_type == "RecordDeleted")
        .count();
    assert_eq!(deleted, done.deleted.len() + 1);
    // a lead goes with its touchpoints; a lead patch keeps working on the others
    let lead = crm
        .capture_lead(
            &LeadInput::new().with(crm::LeadField::LastName, "Turing"),
            now(),
        )
        .unwrap_or_else(|_| {
            crm.capture_lead(
                &LeadInput::new()
                    .with(crm::LeadField::LastName, "Turing")
                    .with(crm::LeadField::Email, "alan@example.com"),
                now(),
            )
            .unwrap()
        })
        .lead;
    let edited = crm
        .update_lead(
            lead.id,
            lead.version,
            &LeadPatch::new().set("company", "Bletchley").unwrap(),
            now(),
        )
        .unwrap();
    crm.delete(
        key(EntityKind::Lead, lead.id.get()),
        edited.version,
        OnDependants::Refuse,
        now(),
    )
    .unwrap();
    assert_eq!(crm.lead(lead.id).unwrap_err().code(), "not_found");
}

fn pages_are_stable_while_records_are_written<S: Store>(crm: Crm<S>) {
    use crm::lifecycle::{FieldCondition, ListQuery, Op, SortKey};
    let capture = |i: usize| {
        crm.capture_lead(
            &LeadInput::new()
                .with(crm::LeadField::LastName, format!("Name{:02}", i % 7))
                .with(crm::LeadField::Email, format!("p{i}@example.com")),
            now(),
        )
        .unwrap()
        .lead
    };
    let leads: Vec<_> = (0..20).map(capture).collect();
    // qualify every third: `status` is indexed
    for lead in leads.iter().step_by(3) {
        crm.start_working(lead.id, now()).unwrap();
    }
    let working = |after: Option<String>| ListQuery {
        filter: vec![FieldCondition {
            field: "status".into(),
            op: Op::Eq,
            value: serde_json::json!("working"),
        }],
        limit: Some(3),
        after,
        ..ListQuery::default()
    };
    let first = crm.list_page(EntityKind::Lead, &working(None)).unwrap();
    let ids = |p: &crm::lifecycle::Page| -> Vec<u64> {
        p.items.iter().map(|d| d["id"].as_u64().unwrap()).collect()
    };
    assert_eq!(ids(&first), [1, 4, 7]);
    // a record written before the next page does not shift it
    crm.start_working(leads[1].id, now()).unwrap();
    let second = crm
        .list_page(EntityKind::Lead, &working(first.next.clone()))
        .unwrap();
    assert_eq!(ids(&second), [10, 13, 16]);
    let third = crm
        .list_page(EntityKind::Lead, &working(second.next.clone()))
        .unwrap();
    assert_eq!(ids(&third), [19]);
    assert_eq!(third.next, None);
    assert_eq!(
        crm.count_records(EntityKind::Lead, &working(None).filter)
            .unwrap(),
        8
    );
    // sorted by a field, descending, paged through without repeats
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = crm
            .list_page(
                EntityKind::Lead,
                &ListQuery {
                    sort: vec![SortKey {
                        field: "data.last_name".into(),
                        descending: true,
                    }],
                    limit: Some(6),
                    after: after.clone(),
                    ..ListQuery::default()
                },
            )
            .unwrap();
        seen.extend(page.items.iter().map(|d| {
            (
                d["data"]["last_name"].as_str().unwrap().to_string(),
                d["id"].as_u64().unwrap(),
            )
        }));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 20);
    let mut expected = seen.clone();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    assert_eq!(seen, expected);
    // archived records leave pages and counts
    let lead = crm.lead(leads[0].id).unwrap();
    crm.archive(key(EntityKind::Lead, lead.id.get()), lead.version, now())
        .unwrap();
    let first = crm.list_page(EntityKind::Lead, &working(None)).unwrap();
    assert_eq!(ids(&first), [2, 4, 7]);
}

on_both_stores!(
    edits_keep_what_they_do_not_name,
    archived_records_leave_listings_and_come_back,
    deletes_respect_dependants,
    pages_are_stable_while_records_are_written
);
