//! Imports of accounts and contacts (`Crm::import_records`) into a SQLite file: throughput,
//! and peak memory that stays flat as the files grow; against what a host writes without
//! the import — the same file read with the `csv` crate and one `create_account` /
//! `create_contact` call per row — measured in the same run.
//!
//! The files are generated on the fly by a `Read` implementation, so no file of that size
//! is written. Accounts: an ERP number (upsert key), a unique name, a domain, an industry,
//! a city, a phone. Contacts: an ERP number, their account linked by name
//! (`account@name`), names, an e-mail, a job title.
//!
//! `cargo bench --bench record_import` (1M accounts, then 1M contacts, into a new file;
//! then a tenth of that with ERP numbers, the accounts imported twice: created, then
//! updated; then the store alone writing the 1M accounts' rows; pass a row count to change
//! it: `cargo bench --bench record_import -- 200000`). `CRM_BATCH` and
//! `CRM_BULK_CACHE_MIB` change the batch size and the store's bulk cache.

use std::io::Read;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use crm::customer::{NewAccount, NewContact};
use crm::store::EntityKind;
use crm::transfer::ImportRecordsOptions;
use crm::{Crm, RecordKey, Region, SqliteStore};

mod common;

use common::{Lines, word};

const INDUSTRIES: [&str; 6] = [
    "machinery",
    "software",
    "retail",
    "energy",
    "banking",
    "health",
];
const CITIES: [&str; 5] = ["Berlin", "Köln", "München", "Hamburg", "Leipzig"];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Accounts,
    Contacts { accounts: u64 },
}

fn account_name(i: u64) -> String {
    format!("{} {i} GmbH", word(i, 7))
}

/// A CSV of `rows` records of one kind, produced row by row.
fn generated(kind: Kind, rows: u64) -> Box<dyn Read + Send> {
    match kind {
        Kind::Accounts => Box::new(Lines::new(
            "external_id,name,domain,industry,address.city,phone\n",
            rows,
            |i| {
                format!(
                    "A-{i},{},{}{i}.example,{},{},+49301{i:07}\n",
                    account_name(i),
                    word(i, 6).to_lowercase(),
                    INDUSTRIES[(i % 6) as usize],
                    CITIES[(i % 5) as usize],
                )
            },
        )),
        Kind::Contacts { accounts } => Box::new(Lines::new(
            "external_id,account@name,first_name,last_name,email,job_title\n",
            rows,
            move |i| {
                format!(
                    "C-{i},{},{},{},p{i}@{}.example,Buyer\n",
                    account_name(i % accounts),
                    word(i.wrapping_mul(0x2545_F491_4F6C_DD1D) % 500, 5),
                    word(i + 7_000_000, 8),
                    word(i, 6).to_lowercase(),
                )
            },
        )),
    }
}

/// The anonymous resident memory of this process (heap and stacks, not the database
/// file SQLite maps into memory), in MiB (Linux).
fn anon_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("RssAnon:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The highest [`anon_rss_mib`] seen so far, sampled every 20 ms by a thread of its own
/// (the kernel keeps a peak only of the whole resident set, which counts the mapped file).
fn peak_anon_mib() -> f64 {
    static PEAK: std::sync::OnceLock<std::sync::Arc<std::sync::Mutex<f64>>> =
        std::sync::OnceLock::new();
    let peak = PEAK.get_or_init(|| {
        let peak = std::sync::Arc::new(std::sync::Mutex::new(0.0_f64));
        let sampled = std::sync::Arc::clone(&peak);
        std::thread::spawn(move || {
            loop {
                let now = anon_rss_mib();
                let mut p = sampled.lock().unwrap();
                *p = p.max(now);
                drop(p);
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        });
        peak
    });
    let now = anon_rss_mib();
    let mut p = peak.lock().unwrap();
    *p = p.max(now);
    *p
}

/// A whole-number setting from the environment (`CRM_BULK_CACHE_MIB`, `CRM_BATCH`).
fn knob(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn fresh() -> (tempfile::TempDir, Crm<SqliteStore>) {
    let dir = tempfile::tempdir().unwrap();
    let mut options = crm::sqlite::OpenOptions::default();
    if let Some(mib) = knob("CRM_BULK_CACHE_MIB") {
        options.bulk_cache_mib = mib;
    }
    let crm = Crm::new(
        SqliteStore::open_with(dir.path().join("import.db"), &options).unwrap(),
        Region::parse("DE").unwrap(),
    );
    (dir, crm)
}

/// Imports `rows` accounts and then `rows` contacts, each row linked to its ERP number
/// when `upsert`, and then, when `upsert`, the accounts again (every row an update of the
/// record its number names); the creation rates in rows per second.
fn import(rows: u64, upsert: bool) -> (f64, f64) {
    let (_dir, crm) = fresh();
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    let options = ImportRecordsOptions {
        external_system: upsert.then(|| "erp".into()),
        batch_size: knob("CRM_BATCH"),
        ..ImportRecordsOptions::default()
    };
    let how = if upsert { "with ERP numbers" } else { "plain" };
    let mut rates = Vec::new();
    let passes = [
        (Kind::Accounts, EntityKind::Account),
        (Kind::Contacts { accounts: rows }, EntityKind::Contact),
        (Kind::Accounts, EntityKind::Account),
    ];
    for (pass, (kind, what)) in passes.into_iter().enumerate() {
        if pass == 2 && !upsert {
            break;
        }
        let start = Instant::now();
        let report = crm
            .import_records(what, generated(kind, rows), &options, "gen.csv", now)
            .unwrap();
        let secs = start.elapsed().as_secs_f64();
        let done = report.created + report.updated;
        assert_eq!(
            done,
            rows,
            "{:?}",
            &report.problems[..report.problems.len().min(3)]
        );
        let rate = rows as f64 / secs;
        println!(
            "== {rows} {what}s {} ({how}) in {secs:.1} s = {:.1} k rows/s; peak heap {:.0} MiB",
            if report.updated > 0 {
                "updated"
            } else {
                "created"
            },
            rate / 1000.0,
            peak_anon_mib()
        );
        rates.push(rate);
    }
    (rates[0], rates[1])
}

/// What the store alone costs for the same accounts: each row's document (the fields an
/// imported account holds), its name and domain index keys, its full-text row and a
/// creation event written straight through the store's write transaction, in the import's
/// batches and bulk run, with none of crm-core's work (parsing, checks, typing). The
/// import cannot be faster than this.
fn store_only(rows: u64) -> f64 {
    use crm::store::Store;
    let (_dir, crm) = fresh();
    let store = crm.store();
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    let batch = u64::from(knob("CRM_BATCH").unwrap_or(20_000));
    let start = Instant::now();
    store
        .bulk(|| {
            let mut i = 0;
            while i < rows {
                let end = (i + batch).min(rows);
                store.write(|tx| {
                    for i in i..end {
                        let id = tx.next_id(EntityKind::Account)?;
                        let name = account_name(i);
                        let domain = format!("{}{i}.example", word(i, 6).to_lowercase());
                        let data = format!(
                            r#"{{"id":{id},"version":1,"name":"{name}","domain":"{domain}","industry":"{}","address":{{"city":"{}"}},"phone":"+49301{i:07}","custom":{{}},"created_at":"2026-12-07T09:00:00Z","updated_at":"2026-12-07T09:00:00Z"}}"#,
                            INDUSTRIES[(i % 6) as usize],
                            CITIES[(i % 5) as usize],
                        );
                        let keys = [
                            Some(name.to_lowercase()),
                            Some(domain),
                            None,
                            None,
                            None,
                            None,
                        ];
                        tx.put_raw(EntityKind::Account, id, 0, &data, &keys)?;
                        tx.append_event(&crm::event::NewEvent {
                            aggregate: EntityKind::Account,
                            aggregate_id: id,
                            event_type: "AccountCreated".into(),
                            event_version: 1,
                            payload: serde_json::json!({ "account": serde_json::from_str::<serde_json::Value>(&data).unwrap() }),
                            at: now,
                            actor: crm::Actor::host(),
                        })?;
                    }
                    Ok(())
                })?;
                i = end;
            }
            Ok(())
        })
        .unwrap();
    let rate = rows as f64 / start.elapsed().as_secs_f64();
    println!(
        "== store only, {rows} accounts (no crm-core work): {:.1} k rows/s",
        rate / 1000.0
    );
    rate
}

/// What a host writes without the import: the `csv` crate reads the same file, one
/// create per row (each its own transaction), the account found by name per contact.
fn by_hand(rows: u64) -> (f64, f64) {
    let (_dir, crm) = fresh();
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    let start = Instant::now();
    let mut reader = csv::Reader::from_reader(generated(Kind::Accounts, rows));
    let mut ids = std::collections::HashMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let mut a = NewAccount::named(&r[1]);
        a.domain = Some(r[2].to_string());
        a.industry = Some(r[3].to_string());
        a.address.city = Some(r[4].to_string());
        a.phone = Some(crm::Phone::parse(&r[5], crm.default_region()).unwrap());
        let account = crm.create_account(a, now).unwrap();
        crm.link_external(
            RecordKey::new(EntityKind::Account, account.id.get()),
            "erp",
            &r[0],
            now,
        )
        .unwrap();
        ids.insert(r[1].to_string(), account.id);
    }
    let accounts = rows as f64 / start.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut reader = csv::Reader::from_reader(generated(Kind::Contacts { accounts: rows }, rows));
    for record in reader.records() {
        let r = record.unwrap();
        let c = NewContact {
            account: ids.get(&r[1]).copied(),
            first_name: Some(r[2].to_string()),
            last_name: Some(r[3].to_string()),
            email: Some(crm::Email::parse(&r[4]).unwrap()),
            job_title: Some(r[5].to_string()),
            ..NewContact::default()
        };
        let contact = crm.create_contact(c, now).unwrap();
        crm.link_external(
            RecordKey::new(EntityKind::Contact, contact.id.get()),
            "erp",
            &r[0],
            now,
        )
        .unwrap();
    }
    let contacts = rows as f64 / start.elapsed().as_secs_f64();
    println!(
        "== by hand, {rows} accounts and contacts: {:.1} k accounts/s, {:.1} k contacts/s",
        accounts / 1000.0,
        contacts / 1000.0
    );
    (accounts, contacts)
}

fn main() {
    let rows = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<u64>().ok())
        .unwrap_or(1_000_000);
    println!("CPU: {}", common::cpu_model());
    peak_anon_mib(); // starts the sampler
    let (hand_accounts, hand_contacts) = by_hand((rows / 50).max(1_000));
    // A small run first: if memory grew with the file, the peak after the big run would
    // be far above the peak after this one.
    import(rows / 10, false);
    let (accounts, contacts) = import(rows, false);
    import(rows / 10, true);
    let floor = store_only(rows);
    println!(
        "== import vs by hand: accounts {:.1}x, contacts {:.1}x; accounts import / store only: {:.0} %",
        accounts / hand_accounts,
        contacts / hand_contacts,
        100.0 * accounts / floor
    );
}
