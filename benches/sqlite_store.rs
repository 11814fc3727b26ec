//! Inserting and reading 100k leads through SqliteStore, against hand-written rusqlite
//! prepared statements on the same rows (goal: at least half the raw speed).
//!
//! Both sides write the same leads to a file in WAL mode in one transaction, with the
//! same columns indexed (e-mail and phone); the raw side is what an app would write by
//! hand: a `leads` table with one column per field. Reading loads every lead back into
//! memory: typed `Lead`s through the store, the same fields into a plain struct raw.
//!
//! `cargo bench --bench sqlite_store`

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use criterion::Criterion;
use crm::lead::{Lead, LeadData, LeadSource};
use crm::store::{ReadExt, Store, WriteExt};
use crm::{Email, Phone, Region, SqliteStore};
use rusqlite::{Connection, params};

mod common;
use common::best_time;

const N: usize = 100_000;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
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
    created_at: String,
}

fn raw_open(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS leads (id INTEGER PRIMARY KEY, version INTEGER NOT NULL,
           first_name TEXT, last_name TEXT, company TEXT, job_title TEXT, email TEXT, phone TEXT,
           status TEXT NOT NULL, created_at TEXT NOT NULL);
         CREATE INDEX IF NOT EXISTS leads_email ON leads (email);
         CREATE INDEX IF NOT EXISTS leads_phone ON leads (phone);",
    )
    .unwrap();
    conn
}

/// Writes the leads by hand. With `lookup_keys`, also the six lookup keys the store
/// indexes per lead (mailbox, phone, three duplicate-blocking keys, status) in an indexed
/// side table — what a hand-written CRM needs to detect duplicates and list by status.
fn raw_insert(path: &Path, leads: &[LeadData], lookup_keys: bool) {
    let mut conn = raw_open(path);
    if lookup_keys {
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS lead_keys (id INTEGER PRIMARY KEY, email_key TEXT, phone TEXT,
               block_n TEXT, block_f TEXT, block_l TEXT, status TEXT);
             CREATE INDEX IF NOT EXISTS lk_email ON lead_keys (email_key);
             CREATE INDEX IF NOT EXISTS lk_n ON lead_keys (block_n);
             CREATE INDEX IF NOT EXISTS lk_f ON lead_keys (block_f);
             CREATE INDEX IF NOT EXISTS lk_l ON lead_keys (block_l);
             CREATE INDEX IF NOT EXISTS lk_status ON lead_keys (status);",
        )
        .unwrap();
    }
    let tx = conn.transaction().unwrap();
    {
        let mut st = tx
            .prepare_cached(
                "INSERT INTO leads (version, first_name, last_name, company, job_title, email, phone, status, created_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, 'new', ?7)",
            )
            .unwrap();
        let mut keys = lookup_keys.then(|| {
            tx.prepare_cached(
                "INSERT INTO lead_keys (id, email_key, phone, block_n, block_f, block_l, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'new')",
            )
            .unwrap()
        });
        let created = at().to_rfc3339();
        for l in leads {
            st.execute(params![
                l.first_name,
                l.last_name,
                l.company,
                l.job_title,
                l.email.as_ref().map(Email::as_str),
                l.phone.as_ref().map(Phone::as_str),
                created
            ])
            .unwrap();
            if let Some(keys) = keys.as_mut() {
                let id = tx.last_insert_rowid();
                let lead_ref = crm::id::RecordRef::Lead(crm::id::LeadId::new(id as u64).unwrap());
                let rec = l.dedup_record(lead_ref);
                let [n, f, b] = rec.blocking_keys();
                keys.execute(params![id, rec.email_key, rec.phone, n, f, b])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
}

fn raw_read(path: &Path) -> Vec<PlainLead> {
    let conn = raw_open(path);
    let mut st = conn
        .prepare("SELECT id, first_name, last_name, company, job_title, email, phone, status, created_at FROM leads ORDER BY id")
        .unwrap();
    st.query_map([], |r| {
        Ok(PlainLead {
            id: r.get(0)?,
            first_name: r.get(1)?,
            last_name: r.get(2)?,
            company: r.get(3)?,
            job_title: r.get(4)?,
            email: r.get(5)?,
            phone: r.get(6)?,
            status: r.get(7)?,
            created_at: r.get(8)?,
        })
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Raw SQL producing the same typed, validated `Lead`s the store returns.
fn raw_read_typed(path: &Path) -> Vec<Lead> {
    raw_read(path)
        .into_iter()
        .map(|p| {
            let data = LeadData {
                first_name: p.first_name,
                last_name: p.last_name,
                company: p.company,
                job_title: p.job_title,
                email: p.email.map(|e| Email::parse_owned(e).unwrap()),
                phone: p.phone.map(|t| Phone::from_e164_owned(t).unwrap()),
                ..LeadData::default()
            };
            let created = DateTime::parse_from_rfc3339(&p.created_at)
                .unwrap()
                .with_timezone(&Utc);
            Lead {
                id: crm::id::LeadId::new(p.id as u64).unwrap(),
                version: crm_core::Version::new(1),
                created_at: created,
                updated_at: created,
                source: LeadSource::Api,
                data,
                status: crm::LeadStatus::New,
                score: None,
                spam_signals: Vec::new(),
                conversion: None,
                qualified_at: None,
            }
        })
        .collect()
}

fn store_insert(path: &Path, leads: &[LeadData]) {
    let store = SqliteStore::open(path).unwrap();
    store
        .write(|tx| {
            for l in leads {
                tx.insert(|id| Lead::new(id, LeadSource::Api, l.clone(), at()))?;
            }
            Ok(())
        })
        .unwrap();
}

fn store_read(path: &Path) -> Vec<Lead> {
    let store = SqliteStore::open(path).unwrap();
    store.read(|tx| tx.all::<Lead>()).unwrap()
}

fn fresh(dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let leads = lead_data(N);

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    let mut g = c.benchmark_group("100k leads");
    g.bench_function("insert/SqliteStore", |b| {
        b.iter(|| store_insert(&fresh(dir.path(), "store.db"), &leads))
    });
    g.bench_function("insert/raw rusqlite", |b| {
        b.iter(|| raw_insert(&fresh(dir.path(), "raw.db"), &leads, false))
    });
    g.bench_function("read/SqliteStore", |b| {
        b.iter(|| store_read(&dir.path().join("store.db")).len())
    });
    g.bench_function("read/raw rusqlite", |b| {
        b.iter(|| raw_read(&dir.path().join("raw.db")).len())
    });
    g.finish();

    // The ratios, measured again side by side in this run.
    let store_ins = best_time(5, || {
        store_insert(&fresh(dir.path(), "store.db"), &leads);
        N
    });
    let raw_ins = best_time(5, || {
        raw_insert(&fresh(dir.path(), "raw.db"), &leads, false);
        N
    });
    let keyed_ins = best_time(5, || {
        raw_insert(&fresh(dir.path(), "raw_keyed.db"), &leads, true);
        N
    });
    let store_rd = best_time(5, || store_read(&dir.path().join("store.db")).len());
    let raw_rd = best_time(5, || raw_read(&dir.path().join("raw.db")).len());
    let raw_typed_rd = best_time(5, || raw_read_typed(&dir.path().join("raw.db")).len());
    let rate = |d: Duration| N as f64 / d.as_secs_f64() / 1000.0;
    println!("\n== 100k leads, SqliteStore vs raw rusqlite (best of 5); goal: ≥ 0.5 of raw speed");
    for (what, store, raw) in [
        ("insert (raw: plain table, 2 indexes)", store_ins, raw_ins),
        ("insert (raw: same 6 lookup keys)", store_ins, keyed_ins),
        ("read (raw: plain structs)", store_rd, raw_rd),
        ("read (raw: same typed Leads)", store_rd, raw_typed_rd),
    ] {
        let ratio = raw.as_secs_f64() / store.as_secs_f64();
        println!(
            "   {what:<38} store {:>7.1} k leads/s   raw {:>7.1} k leads/s   store/raw speed = {ratio:.2} ({})",
            rate(store),
            rate(raw),
            if ratio >= 0.5 { "met" } else { "NOT met" }
        );
    }
    c.final_summary();
}
