//! Duplicate rules that do not lose people: an import leaves a row out only for a sure
//! match; two people of one name at one company with different e-mails are both kept,
//! the second flagged as a possible duplicate.

#[macro_use]
mod both_stores;

use chrono::{DateTime, TimeZone, Utc};
use crm::crm::duplicate_review::{Resolution, ReviewStatus};
use crm::crm::import::{DuplicatePolicy, ImportOptions};
use crm::crm::merge::MergeChoices;
use crm::id::{LeadId, RecordKey, Version};
use crm::lead::LeadField;
use crm::lead::dedup::{DuplicateRules, NameRule};
use crm::lead::import::CsvMapping;
use crm::lifecycle::OnDependants;
use crm::store::{EntityKind, MemoryStore, Store};
use crm::{Crm, Error, LeadInput, Region};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap()
}

fn import_keeps_possible_duplicates<S: Store>(crm: Crm<S>) {
    let csv = "First Name,Last Name,Company,E-mail,Phone\n\
               John,Smith,Acme Corp,john.smith@acme.example,+1 415 555 2671\n\
               John,Smith,Acme Corp,jsmith@acme.example,+1 415 555 9999\n\
               Jon,Smith,Acme Corp,,+1 415 555 2671\n\
               John,Smyth,Acme Corp,JOHN.SMITH@acme.example,\n\
               John,Smith,Acme Corp,,+1 212 555 0100\n";
    let mapping = CsvMapping::guess(Region::parse("US").unwrap());
    let report = crm
        .import_leads_csv(
            csv.as_bytes(),
            mapping,
            &ImportOptions::new("people.csv"),
            |_| {},
            now(),
        )
        .unwrap();
    // row 2: another John Smith at Acme (other e-mail, other phone): a different person
    // row 3: the same phone: the same person; row 4: the same e-mail; row 5: a similar name
    // whose phone differs from the first John's: kept, flagged
    assert_eq!(report.progress.imported, 3, "{report:?}");
    assert_eq!(report.progress.duplicates, 2, "{report:?}");
    let rows: Vec<usize> = report.duplicates.iter().map(|d| d.row).collect();
    assert_eq!(rows, [3, 4]);
    let leads = crm.all_leads().unwrap();
    assert_eq!(leads.len(), 3);
    let second = &leads[1];
    assert_eq!(
        second.data.email.as_ref().map(|e| e.as_str()),
        Some("jsmith@acme.example")
    );
    // the kept one is flagged for review
    let flagged = crm.duplicates_of_lead(second.id).unwrap();
    assert!(!flagged.is_empty());
    assert!(flagged.iter().all(|m| m.possible), "{flagged:?}");
}

#[test]
fn import_keeps_possible_duplicates_on_memory_store() {
    import_keeps_possible_duplicates(Crm::new(MemoryStore::new(), Region::parse("US").unwrap()));
}

#[test]
fn import_keeps_possible_duplicates_on_sqlite_store() {
    let store = crm::SqliteStore::open_in_memory().unwrap();
    import_keeps_possible_duplicates(Crm::new(store, Region::parse("US").unwrap()));
}

fn capture<S: Store>(crm: &Crm<S>, first: &str, last: &str, email: &str) -> LeadId {
    let input = LeadInput::new()
        .with(LeadField::FirstName, first)
        .with(LeadField::LastName, last)
        .with(LeadField::Company, "Analytical Engines")
        .with(LeadField::Email, email);
    crm.capture_lead(&input, now()).unwrap().lead.id
}

fn lead_key(id: LeadId) -> RecordKey {
    RecordKey::new(EntityKind::Lead, id.get())
}

/// The ids of the reviews in `status`.
fn reviews<S: Store>(crm: &Crm<S>, status: ReviewStatus) -> Vec<crm::id::DuplicateReviewId> {
    crm.duplicate_reviews(status, None)
        .unwrap()
        .items
        .iter()
        .map(|d| serde_json::from_value(d["id"].clone()).unwrap())
        .collect()
}

fn rules_are_per_kind_and_checked<S: Store>(crm: Crm<S>) {
    assert_eq!(
        crm.duplicate_rules(EntityKind::Lead).unwrap(),
        DuplicateRules::DEFAULT
    );
    let a = capture(&crm, "Ada", "Lovelace", "ada@engines.example");
    let b = capture(&crm, "Ada", "Lovelase", "countess@engines.example");
    assert_eq!(crm.duplicates_of_lead(b).unwrap().len(), 1);
    // names must be equal now: the typo no longer matches
    let exact = DuplicateRules {
        name: Some(NameRule {
            exact: true,
            ..DuplicateRules::DEFAULT.name.unwrap()
        }),
        ..DuplicateRules::DEFAULT
    };
    crm.set_duplicate_rules(EntityKind::Lead, exact, now())
        .unwrap();
    assert_eq!(crm.duplicate_rules(EntityKind::Lead).unwrap(), exact);
    assert!(crm.duplicates_of_lead(b).unwrap().is_empty());
    // contacts keep their own (default) rules
    assert_eq!(
        crm.duplicate_rules(EntityKind::Contact).unwrap(),
        DuplicateRules::DEFAULT
    );
    // e-mail only: the same mailbox still matches, a similar name never
    let email_only = DuplicateRules {
        phone: false,
        name: None,
        ..DuplicateRules::DEFAULT
    };
    crm.set_duplicate_rules(EntityKind::Lead, email_only, now())
        .unwrap();
    let c = capture(&crm, "Augusta", "King", "ADA@engines.example");
    let found = crm.duplicates_of_lead(c).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].record, crm::id::RecordRef::Lead(a));
    // bad thresholds and kinds are refused, and nothing changes
    let bad = DuplicateRules {
        name: Some(NameRule {
            name_threshold: 1.5,
            ..DuplicateRules::DEFAULT.name.unwrap()
        }),
        ..DuplicateRules::DEFAULT
    };
    let err = crm
        .set_duplicate_rules(EntityKind::Lead, bad, now())
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidValue { field, .. } if field == "name.name_threshold"),
        "{err}"
    );
    let err = crm
        .set_duplicate_rules(EntityKind::Account, DuplicateRules::DEFAULT, now())
        .unwrap_err();
    assert!(matches!(err, Error::InvalidValue { .. }));
    assert_eq!(crm.duplicate_rules(EntityKind::Lead).unwrap(), email_only);
}

fn not_a_duplicate_is_remembered<S: Store>(crm: Crm<S>) {
    let a = capture(&crm, "John", "Smith", "john@engines.example");
    let b = capture(&crm, "John", "Smith", "j.smith@engines.example");
    let open = reviews(&crm, ReviewStatus::Open);
    assert_eq!(open.len(), 1);
    let review = crm.duplicate_review(open[0]).unwrap();
    assert_eq!((review.first, review.second), (lead_key(a), lead_key(b)));
    assert!(review.possible);
    // a stale version is a conflict
    let err = crm
        .resolve_duplicate(review.id, Version::new(9), &Resolution::NotDuplicate, now())
        .unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    let decided = crm
        .resolve_duplicate(review.id, review.version, &Resolution::NotDuplicate, now())
        .unwrap();
    assert_eq!(decided.status, ReviewStatus::NotDuplicate);
    assert_eq!(decided.decided_by.as_deref(), Some("system:host"));
    assert!(reviews(&crm, ReviewStatus::Open).is_empty());
    // remembered: neither reports the other, and deciding again is refused
    assert!(crm.duplicates_of_lead(b).unwrap().is_empty());
    assert!(crm.duplicates_of_lead(a).unwrap().is_empty());
    let err = crm
        .resolve_duplicate(review.id, decided.version, &Resolution::NotDuplicate, now())
        .unwrap_err();
    assert!(matches!(err, Error::IllegalTransition { .. }), "{err}");
    // a third John Smith is new to both: two new reviews, the decided pair not reopened
    capture(&crm, "John", "Smith", "jsmith@engines.example");
    assert_eq!(reviews(&crm, ReviewStatus::Open).len(), 2);
    assert_eq!(reviews(&crm, ReviewStatus::NotDuplicate).len(), 1);
}

fn merge_from_the_review_list<S: Store>(crm: Crm<S>) {
    let a = capture(&crm, "Grace", "Hopper", "grace@navy.example");
    let b = capture(&crm, "Grace", "Hoper", "ghopper@navy.example");
    let c = capture(&crm, "Grace", "Hopper", "amazing.grace@navy.example");
    let open = reviews(&crm, ReviewStatus::Open);
    assert_eq!(open.len(), 3, "a-b, a-c, b-c");
    let ab = open
        .iter()
        .map(|id| crm.duplicate_review(*id).unwrap())
        .find(|r| r.first == lead_key(a) && r.second == lead_key(b))
        .unwrap();
    // the survivor must be one of the pair
    let err = crm
        .resolve_duplicate(
            ab.id,
            ab.version,
            &Resolution::Merge {
                survivor: lead_key(c),
                choices: MergeChoices::default(),
            },
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::InvalidValue { .. }), "{err}");
    let merged = crm
        .resolve_duplicate(
            ab.id,
            ab.version,
            &Resolution::Merge {
                survivor: lead_key(a),
                choices: MergeChoices::default().take("data.email"),
            },
            now(),
        )
        .unwrap();
    assert_eq!(merged.status, ReviewStatus::Merged);
    assert_eq!(merged.survivor, Some(lead_key(a)));
    assert!(crm.lead(b).is_err(), "the merged lead is gone");
    assert_eq!(
        crm.lead(a).unwrap().data.email.unwrap().as_str(),
        "ghopper@navy.example"
    );
    // b's pair with c moved to a, where a-c is already reviewed: one open review left
    let open = reviews(&crm, ReviewStatus::Open);
    assert_eq!(open.len(), 1);
    let ac = crm.duplicate_review(open[0]).unwrap();
    assert_eq!((ac.first, ac.second), (lead_key(a), lead_key(c)));
    // a merge made directly settles the review too
    crm.merge_leads(a, c, &MergeChoices::default(), now())
        .unwrap();
    assert!(reviews(&crm, ReviewStatus::Open).is_empty());
    assert_eq!(reviews(&crm, ReviewStatus::Merged).len(), 2);
}

fn reviews_go_with_their_records<S: Store>(crm: Crm<S>) {
    let a = capture(&crm, "Alan", "Turing", "alan@bletchley.example");
    capture(&crm, "Alan", "Turing", "a.turing@bletchley.example");
    assert_eq!(reviews(&crm, ReviewStatus::Open).len(), 1);
    let version = crm.lead(a).unwrap().version;
    let deleted = crm
        .delete(lead_key(a), version, OnDependants::Refuse, now())
        .unwrap();
    assert!(
        deleted
            .deleted
            .iter()
            .any(|k| k.kind() == EntityKind::DuplicateReview),
        "{deleted:?}"
    );
    assert!(reviews(&crm, ReviewStatus::Open).is_empty());
}

fn sure_duplicates_kept_by_an_import_are_reviewed<S: Store>(crm: Crm<S>) {
    let csv = "First Name,Last Name,Company,E-mail\n\
               Ada,Lovelace,Engines,ada@engines.example\n\
               Augusta,King,Engines,ADA@engines.example\n";
    let mut options = ImportOptions::new("keep.csv");
    options.duplicates = DuplicatePolicy::Keep;
    let report = crm
        .import_leads_csv(
            csv.as_bytes(),
            CsvMapping::guess(Region::parse("DE").unwrap()),
            &options,
            |_| {},
            now(),
        )
        .unwrap();
    assert_eq!(report.progress.imported, 2);
    let open = reviews(&crm, ReviewStatus::Open);
    assert_eq!(open.len(), 1);
    let review = crm.duplicate_review(open[0]).unwrap();
    assert!(!review.possible, "the same mailbox is a sure match");
}

on_both_stores!(
    rules_are_per_kind_and_checked,
    not_a_duplicate_is_remembered,
    merge_from_the_review_list,
    reviews_go_with_their_records,
    sure_duplicates_kept_by_an_import_are_reviewed,
);
