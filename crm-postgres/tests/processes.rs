//! Several app servers on one database: 4 processes × 4 threads edit the same leads,
//! convert the same leads, merge the same pairs of leads and import new ones at once.
//! Afterwards every successful write is there, every refused edit was a `Conflict`, each
//! lead's version is one more than the edits it took (no two writers got the same version:
//! no lost update), each contested lead was converted once (one account, one contact) and
//! each pair merged once (the other attempts refused with a typed error), and the event log
//! runs 1, 2, 3, … with no gap and no duplicate. Also: events are pushed from one server to another, and a
//! schema written by a newer release is refused.
//!
//! The writers are this test executable run again as child processes (the ignored test
//! `writer`, told what to do through the environment).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use crm_core::crm::convert::ConvertOptions;
use crm_core::crm::import::ImportOptions;
use crm_core::crm::merge::MergeChoices;
use crm_core::id::LeadId;
use crm_core::lead::import::CsvMapping;
use crm_core::store::{EntityKind, Store};
use crm_core::{Crm, Error, ErrorKind, LeadField, LeadInput, Region};
use crm_postgres::testing::{URL_VAR, unique_schema, url};
use crm_postgres::{OpenOptions, PgStore};
use serde_json::{Value, json};

const ROLE: &str = "CRM_PG_WRITER";
const PROCESSES: usize = 4;
const THREADS: usize = 4;
const ROUNDS: usize = 24;
const LEADS: usize = 3;
/// Leads every writer tries to convert, and pairs every writer tries to merge.
const CONTESTED: usize = 4;
/// Tells a writer the contested leads: `[[convert…], [survivor…], [merged…]]`.
const CONTESTED_VAR: &str = "CRM_PG_CONTESTED";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).unwrap()
}

fn open(url: &str, schema: &str) -> PgStore {
    let options = OpenOptions {
        schema: Some(schema.to_string()),
        pool_size: 4,
        ..OpenOptions::default()
    };
    PgStore::open_with(url, &options).unwrap()
}

fn region() -> Region {
    Region::parse("US").unwrap()
}

/// The ids of the leads whose last name starts with `prefix`, in id order.
fn named(crm: &Crm<PgStore>, prefix: &str) -> Vec<LeadId> {
    crm.all_leads()
        .unwrap()
        .iter()
        .filter(|l| {
            l.data
                .last_name
                .as_deref()
                .is_some_and(|n| n.starts_with(prefix))
        })
        .map(|l| l.id)
        .collect()
}

/// One writer process: `CRM_PG_WRITER=<schema>:<process>`; prints one JSON line per
/// outcome, `{"edit": [lead, version]}`, `{"conflict": lead}`, `{"import": n}`,
/// `{"convert": [lead, account, contact]}`, `{"merge": [survivor, merged]}`,
/// `{"refused": "<error kind>"}` or `{"error": "…"}`.
#[test]
#[ignore = "a child process of four_processes_of_four_threads_lose_nothing"]
fn writer() {
    let spec = std::env::var(ROLE).expect("run by the parent test");
    let (schema, p) = spec.split_once(':').unwrap();
    let p: usize = p.parse().unwrap();
    let url = std::env::var(URL_VAR).unwrap();
    let crm = Crm::new(open(&url, schema), region());
    // the shared leads: the first ones (others may have imported more already)
    let leads = named(&crm, "Shared");
    // the contested leads, as the parent made them (other writers may have merged some)
    let contested: Vec<Vec<LeadId>> =
        serde_json::from_str(&std::env::var(CONTESTED_VAR).unwrap()).unwrap();
    let [converts, survivors, merged] = &contested[..] else {
        panic!("three lists of contested leads")
    };
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let (crm, leads) = (crm.clone(), &leads);
            s.spawn(move || {
                for i in 0..ROUNDS {
                    let k = (p + t + i) % CONTESTED;
                    let refused = |e: Error| match e.kind() {
                        // the lead was converted, or the pair merged, by another writer
                        ErrorKind::IllegalTransition | ErrorKind::NotFound => {
                            json!({"refused": e.code()})
                        }
                        _ => json!({"error": e.to_string()}),
                    };
                    let line = if i % 4 == 1 && (t + i) % 2 == 0 {
                        match crm.convert_lead(converts[k], &ConvertOptions::default(), now()) {
                            Ok(c) => json!({"convert": [
                                converts[k].get(), c.account.id.get(), c.contact.id.get()
                            ]}),
                            Err(e) => refused(e),
                        }
                    } else if i % 4 == 1 {
                        let choices = MergeChoices::default();
                        match crm.merge_leads(survivors[k], merged[k], &choices, now()) {
                            Ok(_) => json!({"merge": [survivors[k].get(), merged[k].get()]}),
                            Err(e) => refused(e),
                        }
                    } else if i % 4 == 3 {
                        let csv = format!(
                            "First Name,Last Name,Email\nAda,P{p}T{t}I{i}a,p{p}t{t}i{i}a@x.example\n\
                             Bob,P{p}T{t}I{i}b,p{p}t{t}i{i}b@x.example\n"
                        );
                        match crm.import_leads_csv(
                            csv.as_bytes(),
                            CsvMapping::guess(region()),
                            &ImportOptions::new("w.csv"),
                            |_| {},
                            now(),
                        ) {
                            Ok(r) => json!({"import": r.progress.imported}),
                            Err(e) => json!({"error": e.to_string()}),
                        }
                    } else {
                        let id = leads[(p * 5 + t * 3 + i) % leads.len()];
                        let read = crm.lead(id).unwrap();
                        // a moment between reading and writing back, as in an edit form:
                        // others write meanwhile, and this write must be refused then
                        std::thread::sleep(Duration::from_millis(5));
                        let patch = serde_json::from_value(
                            json!({"company": format!("P{p} T{t} I{i}")}),
                        )
                        .unwrap();
                        match crm.update_lead(id, read.version, &patch, now()) {
                            Ok(l) => json!({"edit": [id.get(), l.version]}),
                            Err(Error::Conflict { .. }) => json!({"conflict": id.get()}),
                            Err(e) => json!({"error": e.to_string()}),
                        }
                    };
                    println!("OUTCOME {line}");
                }
            });
        }
    });
}

#[test]
fn four_processes_of_four_threads_lose_nothing() {
    let Some(url) = url() else { return };
    let schema = unique_schema();
    let crm = Crm::new(open(&url, &schema), region());
    for i in 0..LEADS {
        let input = LeadInput::new()
            .with(LeadField::LastName, format!("Shared{i}"))
            .with(LeadField::Email, format!("shared{i}@x.example"));
        crm.capture_lead(&input, now()).unwrap();
    }
    let mut contested = vec![Vec::new(), Vec::new(), Vec::new()];
    for k in 0..CONTESTED {
        let convert = LeadInput::new()
            .with(LeadField::LastName, format!("Convert{k}"))
            .with(LeadField::Company, format!("Contested {k} Ltd"))
            .with(LeadField::Email, format!("convert{k}@contested{k}.example"));
        let lead = crm.capture_lead(&convert, now()).unwrap().lead;
        crm.qualify(lead.id, now()).unwrap();
        contested[0].push(lead.id);
        for (list, name) in [(1, "Survivor"), (2, "Merged")] {
            let input = LeadInput::new()
                .with(LeadField::LastName, format!("{name}{k}"))
                .with(LeadField::Email, format!("{name}{k}@pairs.example"));
            contested[list].push(crm.capture_lead(&input, now()).unwrap().lead.id);
        }
    }
    let before = crm.events_since(0, usize::MAX).unwrap().len();
    let children: Vec<_> = (0..PROCESSES)
        .map(|p| {
            Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "writer",
                    "--ignored",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(ROLE, format!("{schema}:{p}"))
                .env(CONTESTED_VAR, serde_json::to_string(&contested).unwrap())
                .env(URL_VAR, &url)
                .output()
        })
        .collect::<Vec<_>>();
    let mut edits: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    let (mut conflicts, mut imported, mut outcomes, mut refusals) = (0, 0, 0, 0);
    let mut conversions: BTreeMap<u64, Vec<(u64, u64)>> = BTreeMap::new();
    let mut merges: BTreeMap<u64, usize> = BTreeMap::new();
    for child in children {
        let out = child.unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // (libtest may print "test writer ... " in front of the first line)
        for line in stdout
            .lines()
            .filter_map(|l| l.split_once("OUTCOME ").map(|(_, o)| o))
        {
            outcomes += 1;
            let v: Value = serde_json::from_str(line).unwrap();
            if let Some([id, version]) = v["edit"].as_array().map(Vec::as_slice) {
                edits
                    .entry(id.as_u64().unwrap())
                    .or_default()
                    .push(version.as_u64().unwrap());
            } else if v.get("conflict").is_some() {
                conflicts += 1;
            } else if let Some(n) = v["import"].as_u64() {
                imported += n;
            } else if let Some([lead, account, contact]) =
                v["convert"].as_array().map(Vec::as_slice)
            {
                conversions
                    .entry(lead.as_u64().unwrap())
                    .or_default()
                    .push((account.as_u64().unwrap(), contact.as_u64().unwrap()));
            } else if let Some([survivor, _]) = v["merge"].as_array().map(Vec::as_slice) {
                *merges.entry(survivor.as_u64().unwrap()).or_default() += 1;
            } else if v.get("refused").is_some() {
                refusals += 1;
            } else {
                panic!("a write failed other than with a conflict: {line}");
            }
        }
    }
    assert_eq!(outcomes, PROCESSES * THREADS * ROUNDS);
    // every successful edit is there, each at a version of its own
    // each contested lead converted once, each pair merged once, the rest refused
    let converts = named(&crm, "Convert");
    assert_eq!(conversions.len(), CONTESTED, "{conversions:?}");
    for id in &converts {
        let once = &conversions[&id.get()];
        assert_eq!(once.len(), 1, "lead {id} converted {once:?}");
        let lead = crm.lead(*id).unwrap();
        assert_eq!(
            lead.status.kind(),
            crm_core::lead::LeadStatusKind::Converted
        );
    }
    let (accounts, contacts) = (crm.accounts().unwrap(), crm.contacts().unwrap());
    assert_eq!((accounts.len(), contacts.len()), (CONTESTED, CONTESTED));
    assert_eq!(merges.len(), CONTESTED, "{merges:?}");
    assert!(merges.values().all(|n| *n == 1), "{merges:?}");
    assert!(named(&crm, "Merged").is_empty(), "merged leads are gone");
    assert_eq!(named(&crm, "Survivor").len(), CONTESTED);
    let leads: Vec<_> = named(&crm, "Shared")
        .into_iter()
        .map(|id| crm.lead(id).unwrap())
        .collect();
    let mut edited = 0;
    for lead in leads.iter().take(LEADS) {
        let mut versions = edits.remove(&lead.id.get()).unwrap_or_default();
        versions.sort_unstable();
        let n = versions.len() as u64;
        assert_eq!(lead.version, 1 + n, "lead {}", lead.id);
        assert_eq!(
            versions,
            (2..=1 + n).collect::<Vec<_>>(),
            "lead {}",
            lead.id
        );
        edited += n;
    }
    assert!(
        edits.is_empty(),
        "edits of leads that were not shared: {edits:?}"
    );
    assert_eq!(leads.len(), LEADS);
    assert!(
        conflicts > 0,
        "writers raced on the same leads, yet none was refused"
    );
    assert_eq!(named(&crm, "P").len() as u64, imported);
    eprintln!(
        "{edited} edits, {conflicts} conflicts, {imported} leads imported, {} conversions, \
         {} merges, {refusals} refused",
        conversions.len(),
        merges.len()
    );
    // the log: 1, 2, 3, … with no gap and no duplicate, an edit event per edit
    let events = crm.events_since(0, usize::MAX).unwrap();
    let sequences: Vec<u64> = events.iter().map(|e| e.sequence).collect();
    assert_eq!(sequences, (1..=events.len() as u64).collect::<Vec<_>>());
    let edit_events = events[before..]
        .iter()
        .filter(|e| e.event_type == "RecordEdited" && e.aggregate == EntityKind::Lead)
        .count() as u64;
    assert_eq!(edit_events, edited);
}

#[test]
fn events_are_pushed_to_every_server() {
    let Some(url) = url() else { return };
    let schema = unique_schema();
    let (a, b) = (open(&url, &schema), open(&url, &schema));
    let last = b.read(|tx| tx.last_event_sequence()).unwrap();
    // nothing new: the wait ends at its timeout with the same sequence
    assert_eq!(
        b.wait_for_events(last, Duration::from_millis(300)).unwrap(),
        last
    );
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        let crm = Crm::new(a, region());
        let input = LeadInput::new()
            .with(LeadField::LastName, "Pushed")
            .with(LeadField::Email, "pushed@x.example");
        crm.capture_lead(&input, now()).unwrap();
    });
    let started = Instant::now();
    let got = b.wait_for_events(last, Duration::from_secs(30)).unwrap();
    writer.join().unwrap();
    assert!(got > last);
    // woken by the notification, not by the look at the log every 2 s
    assert!(
        started.elapsed() < Duration::from_millis(1_800),
        "{:?}",
        started.elapsed()
    );
    // a store in another schema is not woken by it
    let other = open(&url, &unique_schema());
    let start = other.read(|tx| tx.last_event_sequence()).unwrap();
    assert_eq!(start, 0);
}

#[test]
fn a_schema_from_a_newer_release_is_refused() {
    let Some(url) = url() else { return };
    let schema = unique_schema();
    let store = open(&url, &schema);
    assert_eq!(
        store.schema_version().unwrap(),
        crm_postgres::SCHEMA_VERSION
    );
    drop(store);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .execute(
            &format!(
                "UPDATE \"{schema}\".crm_meta SET value = value + 1 WHERE key = 'schema_version'"
            ),
            &[],
        )
        .unwrap();
    let options = OpenOptions {
        schema: Some(schema),
        ..OpenOptions::default()
    };
    match PgStore::open_with(&url, &options) {
        Err(Error::UnsupportedVersion {
            found, supported, ..
        }) => {
            assert_eq!(
                (found, supported),
                (supported + 1, crm_postgres::SCHEMA_VERSION)
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Reopening an up-to-date schema changes nothing; ids and the log go on where they were.
#[test]
fn reopening_keeps_ids_and_the_log() {
    let Some(url) = url() else { return };
    let schema = unique_schema();
    let crm = Crm::new(open(&url, &schema), region());
    let input = LeadInput::new()
        .with(LeadField::LastName, "First")
        .with(LeadField::Email, "first@x.example");
    let first = crm.capture_lead(&input, now()).unwrap().lead.id;
    let seen: BTreeSet<u64> = crm
        .events_since(0, 100)
        .unwrap()
        .iter()
        .map(|e| e.sequence)
        .collect();
    drop(crm);
    let crm = Crm::new(open(&url, &schema), region());
    let second = crm.capture_lead(&input, now()).unwrap().lead.id;
    assert!(second > first);
    let after = crm.events_since(0, 100).unwrap();
    assert!(after.len() > seen.len());
    assert_eq!(after[0].sequence, 1);
    assert!(after.windows(2).all(|w| w[1].sequence == w[0].sequence + 1));
}
