//! The stores for more than one thread or process:
//!
//! 1. 100k leads inserted and read back through `PgStore`, against hand-written prepared
//!    statements of the `postgres` crate on the same rows (goal: at least half the raw
//!    speed). Both write in transactions of 1 000 leads; the raw side is what an app would
//!    write by hand: a `leads` table with one column per field, e-mail and phone indexed.
//!    Reading loads every lead: typed `Lead`s through the store, against the same columns
//!    read by hand into `Lead`s and against the bare columns in a plain struct.
//! 2. Write throughput with 1, 2 and 4 writer processes on one database: each captures
//!    leads (one use case, one write transaction each) for a few seconds.
//! 3. SQLite reads from 2 threads against 1 (goal: at least 1.7×): leads read by id from a
//!    file, each thread on its own reader connection; beside it, what hand-written rusqlite
//!    and plain arithmetic reach on 2 threads on the same machine.
//!
//! 1 and 2 need a server: `CRM_TEST_POSTGRES_URL`, or `bash scripts/postgres.sh` prints
//! one to export.
//!
//! `cargo bench --bench postgres` (`-- sqlite`, `-- pg` or `-- writers` for one part)

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use crm::id::LeadId;
use crm::lead::{Lead, LeadData, LeadSource};
use crm::store::{ReadExt, Store, WriteExt};
use crm::{Crm, Email, LeadField, LeadInput, Phone, Region, SqliteStore};
use crm_postgres::{OpenOptions, PgStore};

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

/// The same rows read by hand into the library's own `Lead`s (what an app that writes its
/// SQL by hand but uses crm-core's types does): the fair measure of the store's own cost,
/// as both sides end with the same 100k typed leads.
fn raw_read_leads(url: &str, schema: &str) -> Vec<Lead> {
    let us = Region::parse("US").unwrap();
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("SET search_path TO {schema}"))
        .unwrap();
    client
        .query(
            "SELECT id, first_name, last_name, company, job_title, email, phone, \
             extract(epoch FROM created_at)::bigint FROM leads ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| {
            let data = LeadData {
                first_name: r.get(1),
                last_name: r.get(2),
                company: r.get(3),
                job_title: r.get(4),
                email: r
                    .get::<_, Option<&str>>(5)
                    .map(|e| Email::parse(e).unwrap()),
                phone: r
                    .get::<_, Option<&str>>(6)
                    .map(|p| Phone::parse(p, us).unwrap()),
                ..LeadData::default()
            };
            let id = LeadId::new(u64::try_from(r.get::<_, i64>(0)).unwrap()).unwrap();
            let created = Utc.timestamp_opt(r.get(7), 0).unwrap();
            Lead::new(id, LeadSource::Api, data, created)
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
    store.read(|tx| tx.all::<Lead>()).unwrap()
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

/// Times `one` run on one thread over `n` items against two threads each taking half
/// (alternating, best of 5: a shared machine's second core comes and goes): the ratio two
/// threads reach.
fn two_threads(n: usize, one: impl Fn(usize, usize) + Sync) -> f64 {
    let (mut single, mut double) = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        let t = Instant::now();
        one(0, n);
        single = single.min(t.elapsed());
        let t = Instant::now();
        std::thread::scope(|s| {
            s.spawn(|| one(0, n / 2));
            s.spawn(|| one(1, n / 2));
        });
        double = double.min(t.elapsed());
    }
    single.as_secs_f64() / double.as_secs_f64()
}

/// SQLite reads by id from 2 threads against 1: through the store (its reader
/// connections), against hand-written rusqlite (a connection per thread, the same query
/// and JSON decoding) and against plain arithmetic: what two threads reach on this
/// machine at all (a shared virtual machine's second core is not always a whole one).
fn sqlite_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let store = SqliteStore::open(&path).unwrap();
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
    let pick = |offset: usize, i: usize| ids[(offset + i * 7919) % ids.len()];
    let through_store = two_threads(READS, |offset, n| {
        for i in 0..n {
            store.read(|tx| tx.load::<Lead>(pick(offset, i))).unwrap();
        }
    });
    let raw = two_threads(READS, |offset, n| {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut st = conn
            .prepare_cached("SELECT data FROM rec_lead WHERE id = ?1")
            .unwrap();
        for i in 0..n {
            let id = i64::try_from(pick(offset, i).get()).unwrap();
            let data: String = st.query_row([id], |r| r.get(0)).unwrap();
            std::hint::black_box(serde_json::from_str::<Lead>(&data).unwrap());
        }
    });
    let arithmetic = two_threads(400_000_000, |offset, n| {
        let mut x = offset as u64;
        for i in 0..n as u64 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i);
        }
        std::hint::black_box(x);
    });
    println!(
        "SQLite, {READS} leads read by id, 2 threads against 1: store {through_store:.2}× \
         (goal ≥ 1.7×), hand-written rusqlite {raw:.2}×, plain arithmetic {arithmetic:.2}×"
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
    // `cargo bench --bench postgres -- sqlite` (or `in`, `out`, `writers`) runs one part
    let parts: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let run = |part: &str| parts.is_empty() || parts.iter().any(|p| p == part);
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
    if run("sqlite") {
        sqlite_reads();
    }
    let Ok(url) = std::env::var("CRM_TEST_POSTGRES_URL") else {
        println!("CRM_TEST_POSTGRES_URL is not set: `bash scripts/postgres.sh` starts a server");
        return;
    };
    if run("pg") {
        postgres_in_out(&url);
    }
    if run("writers") {
        for p in [1, 2, 4] {
            println!(
                "PostgreSQL, leads captured by {p} writer process(es): {:.0}/s",
                writers(&url, p)
            );
        }
    }
}

/// Inserting and reading 100k leads, store against raw, alternating, best of 3 each (the
/// machines are shared: alternating spreads a slow spell over both sides).
fn postgres_in_out(url: &str) {
    let leads = lead_data(N);
    let (mut raw_in, mut store_in) = (Duration::MAX, Duration::MAX);
    let (raw_schema, store) = (
        unique("bench_raw_read"),
        pg_store(url, &unique("bench_store")),
    );
    for round in 0..3 {
        let raw_schema = if round == 0 {
            raw_schema.clone()
        } else {
            unique("bench_raw")
        };
        let t = Instant::now();
        raw_insert(url, &raw_schema, &leads);
        raw_in = raw_in.min(t.elapsed());
        let fresh;
        let into = if round == 0 {
            &store
        } else {
            fresh = pg_store(url, &unique("bench_store"));
            &fresh
        };
        let t = Instant::now();
        store_insert(into, &leads);
        store_in = store_in.min(t.elapsed());
    }
    let (mut columns_out, mut raw_out, mut store_out) =
        (Duration::MAX, Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        let t = Instant::now();
        let plain = raw_read(url, &raw_schema);
        columns_out = columns_out.min(t.elapsed());
        let t = Instant::now();
        let by_hand = raw_read_leads(url, &raw_schema);
        raw_out = raw_out.min(t.elapsed());
        let t = Instant::now();
        let typed = store_read(&store);
        store_out = store_out.min(t.elapsed());
        assert_eq!((plain.len(), by_hand.len(), typed.len()), (N, N, N));
        assert_eq!(by_hand[N - 1].data, typed[N - 1].data);
    }
    println!(
        "PostgreSQL, {N} leads in: raw {:.0}/s, store {:.0}/s: {:.2}× of raw (goal ≥ 0.5×)",
        N as f64 / raw_in.as_secs_f64(),
        N as f64 / store_in.as_secs_f64(),
        ratio(raw_in, store_in)
    );
    println!(
        "PostgreSQL, {N} leads out as `Lead`s: raw {:.0}/s, store {:.0}/s: {:.2}× of raw \
         (goal ≥ 0.5×); raw columns without `Lead`s {:.0}/s ({:.2}×)",
        N as f64 / raw_out.as_secs_f64(),
        N as f64 / store_out.as_secs_f64(),
        ratio(raw_out, store_out),
        N as f64 / columns_out.as_secs_f64(),
        ratio(columns_out, store_out)
    );
}
