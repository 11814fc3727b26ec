//! GDPR export and erase after a realistic history: a lead captured twice and merged,
//! consented, touched, converted into an account, contact and opportunity, a purchase, a
//! service case that quotes the person's address. The export holds every kind; after the
//! erase the person's e-mail address, phone and name are in no byte of the SQLite file or
//! its write-ahead log.

#[macro_use]
mod both_stores;

use chrono::{DateTime, TimeZone, Utc};
use crm::consent::{Channel, ConsentProof, NewConsent, Purpose};
use crm::crm::convert::ConvertOptions;
use crm::crm::merge::MergeChoices;
use crm::customer::NewPurchase;
use crm::id::RecordRef;
use crm::lead::LeadField;
use crm::privacy::Person;
use crm::search::SearchQuery;
use crm::service::{CaseCategory, CaseChannel, CasePriority, NewCase};
use crm::store::{EntityKind, MemoryStore, ReadExt, Store};
use crm::{Crm, Email, LeadInput, Region, SqliteStore};

const EMAIL: &str = "ada.lovelace@engines.example";
const PHONE: &str = "+4930901820";
const NAME: &str = "Lovelace";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap()
}

/// The history; returns the lead the person was first captured as.
fn history<S: Store>(crm: &Crm<S>) -> crm::id::LeadId {
    let capture = |company: &str, phone: Option<&str>| {
        let mut input = LeadInput::new()
            .with(LeadField::FirstName, "Ada")
            .with(LeadField::LastName, NAME)
            .with(LeadField::Company, company)
            .with(LeadField::Email, EMAIL)
            .with(
                LeadField::Description,
                format!("Met Ada {NAME} at the fair"),
            );
        if let Some(p) = phone {
            input.set(LeadField::Phone, p);
        }
        crm.capture_lead(&input, now()).unwrap().lead
    };
    let first = capture("Analytical Engines", Some("030 901820"));
    let second = capture("Engines Ltd", None);
    crm.merge_leads(first.id, second.id, &MergeChoices::default(), now())
        .unwrap();
    crm.grant_consent(
        NewConsent {
            subject: RecordRef::Lead(first.id),
            channel: Channel::Email,
            purpose: Purpose::Marketing,
            source: "fair".into(),
            proof: ConsentProof {
                form: Some(format!("fair sign-up for {EMAIL}")),
                ..ConsentProof::default()
            },
        },
        now(),
    )
    .unwrap();
    crm.start_working(first.id, now()).unwrap();
    crm.qualify(first.id, now()).unwrap();
    let conversion = crm
        .convert_lead(first.id, &ConvertOptions::default(), now())
        .unwrap();
    let contact = conversion.contact;
    crm.record_purchase(
        NewPurchase {
            contact: contact.id,
            product: "ENGINE-1".into(),
            purchased_at: now(),
            sales_rep: None,
            quantity: "1".parse().unwrap(),
            unit_price: crm::Money::parse("100.00", "EUR").unwrap(),
            special_instructions: Some(format!("deliver to {NAME}, call {PHONE}")),
            feedback: None,
            custom: Default::default(),
        },
        now(),
    )
    .unwrap();
    crm.open_case(
        NewCase {
            subject: "Engine stalls".into(),
            description: format!("Customer wrote from {EMAIL}: the engine stalls"),
            channel: CaseChannel::Email,
            category: CaseCategory::Incident,
            priority: CasePriority::High,
            account: Some(conversion.account.id),
            contact: Some(contact.id),
            asset: None,
            contract: None,
            owner: None,
            queue: None,
            product: None,
            language: None,
            custom: Default::default(),
        },
        now(),
    )
    .unwrap();
    first.id
}

fn exports_hold_every_record_and_event<S: Store>(crm: Crm<S>) {
    let lead = history(&crm);
    let doc = crm
        .export_person(&Person::Lead { id: lead }, now())
        .unwrap();
    let kinds: Vec<&str> = doc["records"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for kind in ["lead", "contact", "consent", "purchase", "service_case"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let events: Vec<&str> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    for event in [
        "LeadCaptured",
        "RecordsMerged",
        "ConsentGranted",
        "LeadConverted",
    ] {
        assert!(events.contains(&event), "{event} missing from {events:?}");
    }
    // by e-mail address, the same person
    let by_email = crm
        .export_person(
            &Person::Email {
                address: Email::parse(EMAIL).unwrap(),
            },
            now(),
        )
        .unwrap();
    assert_eq!(by_email["records"], doc["records"]);
}

fn erasing_leaves_nothing_behind<S: Store>(crm: Crm<S>) {
    let lead = history(&crm);
    let erasure = crm.erase_person(&Person::Lead { id: lead }, now()).unwrap();
    assert_eq!(erasure.anonymised.len(), 2, "the lead and the contact");
    assert!(
        erasure
            .deleted
            .iter()
            .any(|k| k.kind() == EntityKind::Consent)
    );
    assert!(
        erasure
            .scrubbed
            .iter()
            .any(|k| k.kind() == EntityKind::Case)
    );
    assert!(erasure.events_redacted > 0);
    // kept for the business, without the person
    let lead = crm.lead(lead).unwrap();
    assert_eq!(lead.data.last_name.as_deref(), Some("[erased]"));
    assert_eq!(lead.data.email, None);
    let purchases: Vec<crm::customer::Purchase> = crm.store().read(|tx| tx.all()).unwrap();
    assert_eq!(purchases.len(), 1);
    assert_eq!(
        purchases[0].special_instructions.as_deref(),
        Some("deliver to [erased], call [erased]")
    );
    // nothing in records, events or search
    let everything = crm.events_since(0, 100_000).unwrap();
    let text = serde_json::to_string(&everything).unwrap().to_lowercase();
    for needle in [EMAIL, PHONE, NAME] {
        assert!(
            !text.contains(&needle.to_lowercase()),
            "{needle} in the event log"
        );
    }
    assert_eq!(everything.last().unwrap().event_type, "PersonErased");
    assert!(
        crm.search(&SearchQuery {
            text: NAME.into(),
            ..SearchQuery::default()
        })
        .unwrap()
        .is_empty()
    );
    let again = crm
        .export_person(
            &Person::Email {
                address: Email::parse(EMAIL).unwrap(),
            },
            now(),
        )
        .unwrap();
    assert_eq!(again["records"], serde_json::json!({}));
}

#[test]
fn erasing_leaves_nothing_in_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let crm = Crm::new(
        SqliteStore::open(&path).unwrap(),
        Region::parse("DE").unwrap(),
    );
    let lead = history(&crm);
    let files = || {
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
        }
        String::from_utf8_lossy(&bytes).to_lowercase()
    };
    // before: the person is in the files (the test can see them)
    let before = files();
    assert!(before.contains(EMAIL) && before.contains(&NAME.to_lowercase()));
    crm.erase_person(&Person::Lead { id: lead }, now()).unwrap();
    let after = files();
    for needle in [EMAIL, PHONE, "030 901820", NAME] {
        assert!(
            !after.contains(&needle.to_lowercase()),
            "{needle} is still in the files"
        );
    }
    drop(crm);
    let after_close = files();
    assert!(!after_close.contains(EMAIL));
}

on_both_stores!(
    exports_hold_every_record_and_event,
    erasing_leaves_nothing_behind
);
