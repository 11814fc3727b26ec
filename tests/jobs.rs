//! Long use cases under a `crm_core::job::Job`: they report progress at their checkpoints
//! and stop at the next one once the job is cancelled, keeping what they committed before
//! (on both stores).

use chrono::{DateTime, TimeZone, Utc};
use crm::crm::import::ImportOptions;
use crm::job::Job;
use crm::lead::import::CsvMapping;
use crm::scoring::rules::{Attribute, FitRule, RuleSet, Test, Thresholds};
use crm::store::Store;
use crm::{Crm, Error, Region};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn csv(rows: usize) -> String {
    let mut csv = String::from("First Name,Last Name,E-mail\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "Lead{i},Person{i},lead{i}@example{}.com\n",
            i % 97
        ));
    }
    csv
}

fn import_stops_after_the_batch_it_was_cancelled_in<S: Store>(crm: Crm<S>) {
    let job = Job::new();
    let mut options = ImportOptions::new("cancelled.csv");
    options.batch_size = 100;
    let mut reports = 0;
    let err = job
        .run(|| {
            crm.import_leads_csv(
                csv(1000).as_bytes(),
                CsvMapping::guess(Region::parse("US").unwrap()),
                &options,
                |_| {
                    // the user presses cancel while the second batch is written
                    reports += 1;
                    if reports == 2 {
                        job.cancel();
                    }
                },
                now(),
            )
        })
        .unwrap_err();
    assert_eq!(
        err,
        Error::Cancelled {
            done: 200,
            total: None
        }
    );
    assert_eq!(job.progress().done, 200);
    // the two committed batches stay; nothing after them was written
    assert_eq!(crm.all_leads().unwrap().len(), 200);

    // a listing under a cancelled job stops at its first checkpoint
    let listing = Job::new();
    listing.cancel();
    let err = listing.run(|| crm.leads().list().map(|l| l.len()));
    assert_eq!(
        err.unwrap_err(),
        Error::Cancelled {
            done: 0,
            total: None
        }
    );
    // without a job the same listing reads everything
    assert_eq!(crm.leads().list().unwrap().len(), 200);
}

fn rescoring_reports_how_far_it_got<S: Store>(crm: Crm<S>) {
    crm.import_leads_csv(
        csv(1200).as_bytes(),
        CsvMapping::guess(Region::parse("US").unwrap()),
        &ImportOptions::new("scored.csv"),
        |_| {},
        now(),
    )
    .unwrap();
    let rules = RuleSet {
        fit: vec![FitRule {
            name: "Named".into(),
            attribute: Attribute::JobTitle,
            test: Test::Contains(vec!["cto".into()]),
            points: 40.0,
        }],
        engagement: Vec::new(),
        max_score: None,
        min_score: None,
        thresholds: Thresholds {
            hot: 45.0,
            warm: 10.0,
        },
    };
    let job = Job::new();
    let report = job.run(|| crm.rescore_leads(&rules, now())).unwrap();
    assert_eq!(report.scored, 1200);
    let progress = job.progress();
    // the last checkpoint is before the last chunk of 500
    assert_eq!((progress.done, progress.total), (1000, Some(1200)));

    let cancelled = Job::new();
    cancelled.cancel();
    let err = cancelled
        .run(|| crm.rescore_leads(&rules, now()))
        .unwrap_err();
    assert_eq!(
        err,
        Error::Cancelled {
            done: 0,
            total: Some(1200)
        }
    );
}

macro_rules! job_tests {
    ($store:ident, $make:expr) => {
        mod $store {
            use super::*;
            /// A fresh CRM (`None`: no server for this store here).
            fn crm() -> Option<Crm<impl Store>> {
                let store = $make;
                store.map(|s| Crm::new(s, Region::parse("US").unwrap()))
            }
            #[test]
            fn import() {
                if let Some(crm) = crm() {
                    import_stops_after_the_batch_it_was_cancelled_in(crm);
                }
            }
            #[test]
            fn rescoring() {
                if let Some(crm) = crm() {
                    rescoring_reports_how_far_it_got(crm);
                }
            }
        }
    };
}

job_tests!(memory, Some(crm::store::MemoryStore::new()));
job_tests!(sqlite, Some(crm::SqliteStore::open(":memory:").unwrap()));
job_tests!(postgres, crm_postgres::testing::scratch());
