//! Full-text search across records on both stores: the field that matched, every word
//! before some words, custom values, archived records left out, kinds narrowed.

#[macro_use]
mod both_stores;

use chrono::{DateTime, TimeZone, Utc};
use crm::customer::{NewAccount, NewContact};
use crm::lead::LeadField;
use crm::search::SearchQuery;
use crm::store::{EntityKind, MemoryStore, Store};
use crm::{Crm, Error, LeadInput, RecordKey, Region};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap()
}

fn query(text: &str, kinds: &[EntityKind]) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        kinds: kinds.to_vec(),
        limit: None,
    }
}

fn records_are_found_by_their_words<S: Store>(crm: Crm<S>) {
    let lead = crm
        .capture_lead(
            &LeadInput::new()
                .with(LeadField::FirstName, "Jörg")
                .with(LeadField::LastName, "Müller")
                .with(LeadField::Company, "Pumpenwerk Süd")
                .with(LeadField::Email, "joerg@pumpenwerk.example")
                .with(LeadField::Custom("interest".into()), "hydraulic presses"),
            now(),
        )
        .unwrap()
        .lead;
    let account = crm
        .create_account(
            NewAccount {
                industry: Some("Hydraulics".into()),
                ..NewAccount::named("Müller Hydraulik GmbH")
            },
            now(),
        )
        .unwrap();
    let contact = crm
        .create_contact(
            NewContact {
                account: Some(account.id),
                first_name: Some("Anna".into()),
                last_name: Some("Schmidt".into()),
                email: Some("anna@mueller-hydraulik.example".parse().unwrap()),
                ..NewContact::default()
            },
            now(),
        )
        .unwrap();

    // without accents, and across kinds: the account's name weighs more than nothing else
    let hits = crm.search(&query("muller", &[])).unwrap();
    let found: Vec<RecordKey> = hits.iter().map(|h| h.record).collect();
    assert_eq!(found.len(), 2);
    assert!(found.contains(&RecordKey::new(EntityKind::Lead, lead.id.get())));
    assert!(found.contains(&RecordKey::new(EntityKind::Account, account.id.get())));
    let lead_hit = hits
        .iter()
        .find(|h| h.record.kind() == EntityKind::Lead)
        .unwrap();
    assert_eq!(
        (lead_hit.title.as_str(), lead_hit.field.as_str()),
        ("Jörg Müller", "name")
    );

    // the field that matched, a prefix for the last word, custom values searched
    let hits = crm.search(&query("pumpenw", &[EntityKind::Lead])).unwrap();
    assert_eq!(hits[0].field, "company");
    assert_eq!(hits[0].snippet, "Pumpenwerk Süd");
    let hits = crm.search(&query("presses", &[])).unwrap();
    assert_eq!((hits.len(), hits[0].field.as_str()), (1, "custom"));
    let hits = crm.search(&query("anna", &[EntityKind::Contact])).unwrap();
    assert_eq!(
        hits[0].record,
        RecordKey::new(EntityKind::Contact, contact.id.get())
    );

    // every word first, then some words
    let hits = crm.search(&query("muller hydraulik", &[])).unwrap();
    assert_eq!(
        hits[0].record,
        RecordKey::new(EntityKind::Account, account.id.get())
    );
    assert_eq!(
        hits.len(),
        3,
        "the lead (muller) and the contact (hydraulik) follow"
    );

    // edits are searched at once; archived records are not found
    let v = crm
        .archive(
            RecordKey::new(EntityKind::Account, account.id.get()),
            account.version,
            now(),
        )
        .unwrap();
    assert!(
        crm.search(&query("hydraulik gmbh", &[EntityKind::Account]))
            .unwrap()
            .is_empty()
    );
    crm.restore(
        RecordKey::new(EntityKind::Account, account.id.get()),
        v,
        now(),
    )
    .unwrap();
    assert_eq!(
        crm.search(&query("hydraulik gmbh", &[EntityKind::Account]))
            .unwrap()
            .len(),
        1
    );

    // a kind that is not searched is refused; nothing to look for finds nothing
    assert!(matches!(
        crm.search(&query("x", &[EntityKind::Touchpoint])),
        Err(Error::InvalidValue { .. })
    ));
    assert!(crm.search(&query("  -- ", &[])).unwrap().is_empty());
    let limited = crm
        .search(&SearchQuery {
            limit: Some(1),
            ..query("muller", &[])
        })
        .unwrap();
    assert_eq!(limited.len(), 1);
}

on_both_stores!(records_are_found_by_their_words);
