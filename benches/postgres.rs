//! The stores for more than one thread or process:
//!
//! 1. 100k leads inserted and read back through `PgStore`, against hand-written prepared
//!    statements of the `postgres` crate on the same rows (goal: at least half the raw
//!    speed). Both write in transactions of 1 000 leads; the raw side is what an app would
//!    write by hand: a `leads` table with one column per field, e-mail and phone indexed.
//!    Reading loads every lead: typed `Lead`s through the store, the same fields raw.
//! 2. Write throughput with 1, 2 and 4 writer processes on one database: each captures
//!    leads (one use case, one write transaction each) for a few seconds.
//! 3. SQLite reads from 2 threads against 1 (goal: at least 1.7×): leads read by id from a
//!    file, each thread on its own reader connection.
//!
//! 1 and 2 need a server: `CRM_TEST_POSTGRES_URL`, or `bash scripts/postgres.sh` prints
//! one to export.
//!
//! `cargo bench --bench postgres`

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use crm::lead::{Lead, LeadData, LeadSource};
use crm::store::{ReadExt, Store, WriteExt};
use crm::{Crm, Email, LeadField, LeadInput, Phone, Region, SqliteStore};
use crm_postgres::{OpenOptions, PgStore};

mod common;
use common::best_of;

const N: usize = 100_000;
const BATCH: usize = 1_000;
const ROLE: &str = "CRM_BENCH_WRITER";
const WRITE_SECONDS: u64 = 4;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn lead_data(n: usize) -> Vec<LeadData> {
    let us = Region::parse("US").unwrap();
    (0..n)
        .map(|i| LeadData {
            first_name: Some(format!("First{i}")),
            last_name: Some(format!("Last{}", i % 9973)),
            company: Some(format!("Company {}", i % 5000)),
            job_title: Some("CTO".into()),
            email: Some(Email::parse(&format!("lead{i}@example.com")).unwrap()),
            phone: Some(Phone::parse(&format!("+1 415 555 {:04}", i % 10_000), us).unwrap()),
            ..LeadData::default()
        })
        .collect()
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        at().timestamp_subsec_nanos()
    ) + &format!(
        "_{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

fn pg_store(url: &str, schema: &str) -> PgStore {
    let options = OpenOptions {
        schema: Some(schema.to_string()),
        ..OpenOptions::default()
    };
    PgStore::open_with(url, &options).unwrap()
}

/// What an app would keep per lead if it wrote the SQL by hand.
#[allow(dead_code)]
struct PlainLead {
    id: i64,
    first_name: Option<String>,
    last_name: Option<String>,
    company: Option<String>,
    job_title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    status: String,
}

fn raw_insert(url: &str, schema: &str, leads: &[LeadData]) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!(
            "CREATE SCHEMA {schema}; SET search_path TO {schema};
             CREATE TABLE leads (id bigserial PRIMARY KEY, version bigint NOT NULL,
               first_name text, last_name text, company text, job_title text, email text,
               phone text, status text NOT NULL, created_at timestamptz NOT NULL);
             CREATE INDEX leads_email ON leads (email);
             CREATE INDEX leads_phone ON leads (phone);"
        ))
        .unwrap();
    let st = client
        .prepare(
            "INSERT INTO leads (version, first_name, last_name, company, job_title, email, \
             phone, status, created_at) VALUES (1, $1, $2, $3, $4, $5, $6, 'new', \
             CAST($7::text AS timestamptz))",
        )
        .unwrap();
    let created = at().to_rfc3339();
    for batch in leads.chunks(BATCH) {
        let mut tx = client.transaction().unwrap();
        for l in batch {
            tx.execute(
                &st,
                &[
                    &l.first_name,
                    &l.last_name,
                    &l.company,
                    &l.job_title,
                    &l.email.as_ref().map(Email::as_str),
                    &l.phone.as_ref().map(Phone::as_str),
                    &created,
                ],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
}

fn raw_read(url: &str, schema: &str) -> Vec<PlainLead> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("SET search_path TO {schema}"))
        .unwrap();
    client
        .query(
            "SELECT id, first_name, last_name, company, job_title, email, phone, status \
             FROM leads ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| PlainLead {
            id: r.get(0),
            first_name: r.get(1),
            last_name: r.get(2),
            company: r.get(3),
            job_title: r.get(4),
            email: r.get(5),
            phone: r.get(6),
            status: r.get(7),
        })
        .collect()
}

fn store_insert(store: &PgStore, leads: &[LeadData]) {
    for batch in leads.chunks(BATCH) {
        store
            .write(|tx| {
                for l in batch {
                    tx.insert(|id| Lead::new(id, LeadSource::Api, l.clone(), at()))?;
                }
                Ok(())
            })
            .unwrap();
    }
}

fn store_read(store: &PgStore) -> Vec<Lead> {
    store.read(|tx| tx.every::<Lead>()).unwrap()
}

fn ratio(raw: Duration, store: Duration) -> f64 {
    raw.as_secs_f64() / store.as_secs_f64()
}

/// A writer process: captures leads for `WRITE_SECONDS`, prints how many.
fn writer(spec: &str) {
    let (url, schema) = spec.split_once('|').unwrap();
    let crm = Crm::new(pg_store(url, schema), Region::parse("US").unwrap());
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(WRITE_SECONDS) {
        let input = LeadInput::new()
            .with(LeadField::LastName, format!("W{}", std::process::id()))
            .with(
                LeadField::Email,
                format!("w{}x{n}@example.com", std::process::id()),
            );
        crm.capture_lead(&input, at()).unwrap();
        n += 1;
    }
    println!("WROTE {n}");
}

fn writers(url: &str, processes: usize) -> f64 {
    let schema = unique("bench_writers");
    drop(pg_store(url, &schema));
    let children: Vec<_> = (0..processes)
        .map(|_| {
            Command::new(std::env::current_exe().unwrap())
                .env(ROLE, format!("{url}|{schema}"))
                .output()
        })
        .collect();
    let mut total = 0u64;
    for c in children {
        let out = c.unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        total += text
            .lines()
            .find_map(|l| l.strip_prefix("WROTE "))
            .unwrap()
            .parse::<u64>()
            .unwrap();
    }
    total as f64 / WRITE_SECONDS as f64
}

fn sqlite_reads() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("crm.db")).unwrap();
    let leads = lead_data(N);
    let ids: Vec<_> = store
        .write(|tx| {
            leads
                .iter()
                .map(|l| {
                    Ok(tx
                        .insert(|id| Lead::new(id, LeadSource::Api, l.clone(), at()))?
                        .id)
                })
                .collect::<crm::Result<Vec<_>>>()
        })
        .unwrap();
    const READS: usize = 100_000;
    let read_some = |offset: usize, n: usize| {
        for i in 0..n {
            let id = ids[(offset + i * 7919) % ids.len()];
            store.read(|tx| tx.load::<Lead>(id)).unwrap();
        }
    };
    let (one, ()) = best_of(3, || read_some(0, READS));
    let (two, ()) = best_of(3, || {
        std::thread::scope(|s| {
            s.spawn(|| read_some(0, READS / 2));
            s.spawn(|| read_some(1, READS / 2));
        });
    });
    println!(
        "SQLite, {READS} leads read by id: 1 thread {:.0}/s, 2 threads {:.0}/s: {:.2}× (goal ≥ 1.7×)",
        READS as f64 / one.as_secs_f64(),
        READS as f64 / two.as_secs_f64(),
        one.as_secs_f64() / two.as_secs_f64()
    );
}

fn main() {
    if let Ok(spec) = std::env::var(ROLE) {
        writer(&spec);
        return;
    }
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_default();
    println!("CPU: {cpu}");
    sqlite_reads();
    let Ok(url) = std::env::var("CRM_TEST_POSTGRES_URL") else {
        println!("CRM_TEST_POSTGRES_URL is not set: `bash scripts/postgres.sh` starts a server");
        return;
    };
    let leads = lead_data(N);
    let (raw_in, ()) = best_of(3, || raw_insert(&url, &unique("bench_raw"), &leads));
    let schema = unique("bench_store");
    let store = pg_store(&url, &schema);
    let started = Instant::now();
    store_insert(&store, &leads);
    let store_in = started.elapsed();
    let raw_schema = unique("bench_raw_read");
    raw_insert(&url, &raw_schema, &leads);
    let (raw_out, plain) = best_of(3, || raw_read(&url, &raw_schema));
    let (store_out, typed) = best_of(3, || store_read(&store));
    assert_eq!((plain.len(), typed.len()), (N, N));
    println!(
        "PostgreSQL, {N} leads in: raw {:.0}/s, store {:.0}/s: {:.2}× of raw (goal ≥ 0.5×)",
        N as f64 / raw_in.as_secs_f64(),
        N as f64 / store_in.as_secs_f64(),
        ratio(raw_in, store_in)
    );
    println!(
        "PostgreSQL, {N} leads out: raw {:.0}/s, store {:.0}/s: {:.2}× of raw (goal ≥ 0.5×)",
        N as f64 / raw_out.as_secs_f64(),
        N as f64 / store_out.as_secs_f64(),
        ratio(raw_out, store_out)
    );
    for p in [1, 2, 4] {
        println!(
            "PostgreSQL, leads captured by {p} writer process(es): {:.0}/s",
            writers(&url, p)
        );
    }
}
