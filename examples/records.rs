//! Maintaining records: typed custom fields, edits by patch with their history and actor,
//! archive and restore, a delete that respects dependants, external ids, a paged listing,
//! search, consent, the duplicate review list, a spreadsheet imported, and a person's data
//! exported and erased.
//!
//! ```text
//! cargo run --example records
//! ```

use chrono::Utc;
use crm::consent::{Channel, ConsentProof, NewConsent, Purpose};
use crm::crm::duplicate_review::{Resolution, ReviewStatus};
use crm::custom::{CustomFieldSpec, FieldType, NewCustomField};
use crm::customer::{NewAccount, NewContact};
use crm::id::RecordRef;
use crm::lifecycle::{AccountPatch, FieldCondition, ListQuery, OnDependants, Op};
use crm::privacy::Person;
use crm::search::SearchQuery;
use crm::store::EntityKind;
use crm::transfer::ImportRecordsOptions;
use crm::{Actor, Crm, LeadField, LeadInput, RecordKey, Region, SqliteStore};

fn main() -> crm::Result<()> {
    let crm = Crm::new(SqliteStore::open_in_memory()?, Region::parse("DE")?);
    let now = Utc::now();
    let alice = crm.as_actor(Actor::user("alice")?);

    // Custom fields are typed: a picklist of tiers and a head count, checked on every write.
    crm.define_custom_field(
        NewCustomField {
            kind: EntityKind::Account,
            name: "tier".into(),
            spec: CustomFieldSpec {
                label: "Tier".into(),
                field_type: FieldType::Picklist {
                    values: vec!["Gold".into(), "Silver".into()],
                },
                required: true,
                default: Some("Silver".into()),
                description: None,
            },
        },
        now,
    )?;
    crm.define_custom_field(
        NewCustomField {
            kind: EntityKind::Account,
            name: "employees".into(),
            spec: CustomFieldSpec {
                label: "Employees".into(),
                field_type: FieldType::Number,
                required: false,
                default: None,
                description: None,
            },
        },
        now,
    )?;

    // An edit names only what changes, on the version that was read.
    let account = crm.create_account(NewAccount::named("Analytical Engines"), now)?;
    println!("new account's custom values: {:?}", account.custom);
    let patch = AccountPatch::new().set("industry", "machinery")?.set(
        "custom",
        serde_json::json!({"tier": "gold", "employees": "250"}),
    )?;
    let account = alice.edit::<crm::customer::Account>(account.id, account.version, &patch, now)?;
    println!("edited: {:?}", account.custom);
    let bad = AccountPatch::new().set("custom", serde_json::json!({"employees": "many"}))?;
    if let Err(refused) = crm.edit::<crm::customer::Account>(account.id, account.version, &bad, now)
    {
        println!("refused: {refused}");
    }
    let key = RecordKey::new(EntityKind::Account, account.id.get());
    for entry in crm.history(key)? {
        println!("{} by {}", entry.event, entry.actor);
        for change in entry.changes {
            println!("  {}: {} -> {}", change.field, change.old, change.new);
        }
    }

    // The ERP's id stays with the record.
    crm.link_external(key, "erp", "C-10042", now)?;
    if let Some(found) = crm.find_external(EntityKind::Account, "erp", "C-10042")? {
        println!("erp C-10042 is {found}");
    }

    // A delete is refused while a contact depends on the account; a cascade takes both.
    let contact = crm.create_contact(
        NewContact {
            account: Some(account.id),
            last_name: Some("Babbage".into()),
            ..NewContact::default()
        },
        now,
    )?;
    if let Err(refused) = crm.delete(key, account.version, OnDependants::Refuse, now) {
        println!("refused: {refused}");
    }

    // Leads: one archived, the rest listed a page at a time.
    let mut last = None;
    for i in 0..7 {
        let captured = crm.capture_lead(
            &LeadInput::new()
                .with(LeadField::LastName, format!("Lead {i}"))
                .with(LeadField::Email, format!("lead{i}@example.com")),
            now,
        )?;
        last = Some(captured.lead);
    }
    if let Some(lead) = last {
        crm.archive(
            RecordKey::new(EntityKind::Lead, lead.id.get()),
            lead.version,
            now,
        )?;
    }
    let mut query = ListQuery {
        filter: vec![FieldCondition {
            field: "status".into(),
            op: Op::Eq,
            value: serde_json::json!("new"),
        }],
        limit: Some(4),
        ..ListQuery::default()
    };
    loop {
        let page = crm.list_page(EntityKind::Lead, &query)?;
        let names: Vec<&str> = page
            .items
            .iter()
            .filter_map(|d| d["data"]["last_name"].as_str())
            .collect();
        println!("page: {names:?}");
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }

    // Consent before marketing e-mail; an unsubscribe link withdraws it.
    let person = RecordRef::Contact(contact.id);
    crm.grant_consent(
        NewConsent {
            subject: person,
            channel: Channel::Email,
            purpose: Purpose::Marketing,
            source: "trade fair".into(),
            proof: ConsentProof::default(),
        },
        now,
    )?;
    let token = crm.unsubscribe_token(person, "SPRING", now)?;
    crm.unsubscribe(&token, now)?;
    let decision = crm.may_contact(person, Channel::Email, Purpose::Marketing)?;
    println!(
        "may e-mail the contact: {} ({})",
        decision.allowed, decision.reason
    );

    // Search finds records by their words, accents and case aside; the last word is a prefix.
    for hit in crm.search(&SearchQuery {
        text: "analytical eng".into(),
        ..SearchQuery::default()
    })? {
        println!("found {} ({}) by its {}", hit.record, hit.title, hit.field);
    }

    // Two John Smiths at one company with their own addresses: a possible duplicate, kept
    // and put on the review list; a person says they are different, and it is remembered.
    let john = |email: &str| {
        LeadInput::new()
            .with(LeadField::FullName, "John Smith")
            .with(LeadField::Company, "Analytical Engines")
            .with(LeadField::Email, email)
    };
    crm.capture_lead(&john("john@engines.example"), now)?;
    let second = crm.capture_lead(&john("j.smith@engines.example"), now)?;
    println!(
        "second John Smith: possible duplicate = {}",
        second.duplicates.iter().all(|d| d.possible)
    );
    let open = crm.duplicate_reviews(ReviewStatus::Open, None)?;
    let id = serde_json::from_value(open.items[0]["id"].clone())
        .map_err(|e| crm::Error::invalid("review id", e.to_string(), "a number"))?;
    let review = crm.duplicate_review(id)?;
    alice.resolve_duplicate(review.id, review.version, &Resolution::NotDuplicate, now)?;
    println!(
        "after the review: {} duplicates reported",
        crm.duplicates_of_lead(second.lead.id)?.len()
    );

    // A spreadsheet of contacts, saved as Windows-1252 with semicolons: the encoding and
    // the delimiter are detected, `account@name` links each to its account, the ERP's
    // customer number makes a second import an update, and every bad row is reported.
    let file = b"Firma;Nachname;E-Mail;Kundennummer\n\
        Analytical Engines;M\xFCller;mueller@engines.example;K-1\n\
        Nobody AG;Weiss;weiss@nobody.example;K-2\n";
    let options = ImportRecordsOptions {
        columns: [
            ("Firma", "account@name"),
            ("Nachname", "last_name"),
            ("E-Mail", "email"),
            ("Kundennummer", "external_id"),
        ]
        .into_iter()
        .map(|(h, p)| (h.to_string(), p.to_string()))
        .collect(),
        external_system: Some("erp".into()),
        ..ImportRecordsOptions::default()
    };
    for _ in 0..2 {
        let input = Box::new(std::io::Cursor::new(file.to_vec()));
        let report =
            crm.import_records(EntityKind::Contact, input, &options, "kontakte.csv", now)?;
        println!(
            "import ({}, {:?}): {} created, {} updated, {} refused",
            report.encoding, report.delimiter, report.created, report.updated, report.refused
        );
        for p in &report.problems {
            println!("  row {} {:?}: {} ({})", p.row, p.column, p.message, p.code);
        }
    }

    // A person's data: everything about them as one JSON document, then erased.
    let export = crm.export_person(&Person::Contact { id: contact.id }, now)?;
    println!(
        "export holds: {:?}",
        export["records"]
            .as_object()
            .map(|r| r.keys().collect::<Vec<_>>())
    );
    let erasure = crm.erase_person(&Person::Contact { id: contact.id }, now)?;
    println!(
        "erased: {} anonymised, {} deleted, {} events redacted",
        erasure.anonymised.len(),
        erasure.deleted.len(),
        erasure.events_redacted
    );

    let account = crm.account(account.id)?;
    let done = crm.delete(key, account.version, OnDependants::Cascade, now)?;
    println!(
        "deleted: {:?}",
        done.deleted
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
    Ok(())
}
