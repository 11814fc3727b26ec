//! Streaming CSV import into the SQLite store: throughput, and peak memory that stays flat
//! as the file grows (the reader holds one row, the importer one batch).
//!
//! The CSV is generated on the fly by a `Read` implementation, so no file of that size is
//! written. Each run imports into a fresh database file.
//!
//! `cargo bench --bench csv_import` (1M rows; pass a row count to change it:
//! `cargo bench --bench csv_import -- 200000`)

use std::io::Read;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use crm::crm::import::{DuplicatePolicy, ImportOptions};
use crm::lead::import::CsvMapping;
use crm::{Crm, Region, SqliteStore};

mod common;

use common::{Lines, word};

/// A CSV of `rows` distinct leads, produced row by row: 500 first names, unique last
/// names, 9 000 companies; every 50th row has a malformed e-mail.
fn generated_csv(rows: u64) -> impl Read {
    Lines::new(
        "First Name,Last Name,Email,Company,Job Title,Country\n",
        rows,
        |i| {
            let email = if i % 50 == 49 {
                "not-an-email".to_string()
            } else {
                format!("lead{i}@co{}.example.com", i % 9_000)
            };
            format!(
                "{},{},{email},{} Ltd,CTO,US\n",
                word(i.wrapping_mul(0x2545_F491_4F6C_DD1D) % 500, 5),
                word(i, 9),
                word(i % 9_000 + 1_000_000, 7)
            )
        },
    )
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn import(rows: u64) {
    let dir = tempfile::tempdir().unwrap();
    let crm = Crm::new(
        SqliteStore::open(dir.path().join("import.db")).unwrap(),
        Region::parse("US").unwrap(),
    );
    let mut options = ImportOptions::new("generated.csv");
    options.batch_size = 5_000;
    options.duplicates = DuplicatePolicy::Skip;
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let start = Instant::now();
    let mut last_report = Instant::now();
    let report = crm
        .import_leads_csv(
            generated_csv(rows),
            CsvMapping::guess(crm.default_region()),
            &options,
            |p| {
                if last_report.elapsed().as_secs() >= 10 {
                    println!(
                        "   … {} rows read, {} imported, peak RSS {:.0} MiB",
                        p.rows_read,
                        p.imported,
                        peak_rss_mib()
                    );
                    last_report = Instant::now();
                }
            },
            now,
        )
        .unwrap();
    let secs = start.elapsed().as_secs_f64();
    let p = report.progress;
    println!(
        "== {rows} rows: {} imported, {} invalid, {} duplicates in {secs:.1} s = {:.1} k rows/s; peak RSS {:.0} MiB",
        p.imported,
        p.invalid,
        p.duplicates,
        rows as f64 / secs / 1000.0,
        peak_rss_mib()
    );
}

fn main() {
    let rows = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<u64>().ok())
        .unwrap_or(1_000_000);
    // A small run first: if memory grew with the file, the peak after the big run would
    // be far above the peak after this one.
    import(rows / 10);
    import(rows);
}
