//! Duplicate rules that do not lose people: an import leaves a row out only for a sure
//! match; two people of one name at one company with different e-mails are both kept,
//! the second flagged as a possible duplicate.

use chrono::{DateTime, TimeZone, Utc};
use crm::crm::import::ImportOptions;
use crm::lead::import::CsvMapping;
use crm::store::{MemoryStore, Store};
use crm::{Crm, Region};

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
