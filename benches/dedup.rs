//! Duplicate detection over 1M leads (goal: at least 1M leads/s on one core), and the
//! blocked index against the all-pairs comparison a hand-written dedup would do, on the
//! same 20k records.
//!
//! `cargo bench --bench dedup`

use std::hint::black_box;

mod common;
use common::{Rng, best_of};
use std::time::{Duration, Instant};

use criterion::Criterion;
use crm::Email;
use crm::id::{LeadId, RecordRef};
use crm::lead::dedup::{DedupRecord, find_duplicates, matches};

const FIRST: [&str; 40] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "John",
    "Radia",
    "Tim",
    "Sophie",
    "Linus",
    "Hedy",
    "Claude",
    "Katherine",
    "Dennis",
    "Anita",
    "Niklaus",
    "Jose",
    "Zoe",
    "Bjorn",
    "Chloe",
    "Lukasz",
    "Maria",
    "Wei",
    "Aiko",
    "Omar",
    "Priya",
    "Lars",
    "Ingrid",
    "Pedro",
    "Fatima",
    "Yuki",
    "Olga",
    "Ivan",
    "Nora",
    "Emil",
    "Rosa",
];

fn syllables(rng: &mut Rng, n: usize) -> String {
    const S: [&str; 16] = [
        "ka", "lo", "mi", "ran", "te", "so", "vu", "ber", "dal", "fin", "gor", "han", "jel", "mor",
        "pas", "quin",
    ];
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(S[rng.below(16) as usize]);
    }
    s
}

/// `n` leads: 40 first names, ~65k last names, `companies` companies (about 16 leads per
/// company for 65k at 1M leads), 5 % planted duplicates (same e-mail, or a one-letter typo
/// in the last name at the same company).
fn leads(n: usize, company_syllables: usize) -> Vec<DedupRecord> {
    let mut rng = Rng(42);
    let mut out: Vec<DedupRecord> = Vec::with_capacity(n);
    for i in 0..n {
        let r = RecordRef::Lead(LeadId::new(i as u64 + 1).unwrap());
        if i > 100 && rng.below(20) == 0 {
            let src = out[rng.below(i as u64) as usize].clone();
            let mut dup = src.clone();
            dup.record = r;
            if rng.below(2) == 0 {
                dup.phone = None;
            } else {
                dup.email_key = None;
                dup.phone = None;
                let mut last: Vec<char> = dup.name.chars().collect();
                let at = last.len() - 2;
                last[at] = 'x';
                dup.name = last.into_iter().collect();
            }
            out.push(dup);
            continue;
        }
        let first = FIRST[rng.below(40) as usize];
        let last = syllables(&mut rng, 4);
        let company = format!(
            "{} {}",
            syllables(&mut rng, company_syllables),
            ["Ltd", "Inc", "GmbH", "SA"][rng.below(4) as usize]
        );
        let email: Email = format!("{}.{}{}@{}.example.com", first, last, i, &company[..4])
            .parse()
            .unwrap();
        out.push(DedupRecord::new(
            r,
            Some(first),
            Some(&last),
            Some(&company),
            Some(&email),
            None,
        ));
    }
    out
}

fn all_pairs(records: &[DedupRecord]) -> usize {
    let mut found = 0;
    for i in 0..records.len() {
        for j in 0..i {
            if matches(&records[j], &records[i]).is_some() {
                found += 1;
            }
        }
    }
    found
}

fn main() {
    const N: usize = 1_000_000;
    let t = Instant::now();
    let records = leads(N, 4);
    let prepare = t.elapsed();

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    c.bench_function("dedup/find_duplicates 1M leads", |b| {
        b.iter(|| find_duplicates(black_box(&records)))
    });

    let (dedup_time, pairs) = best_of(3, || find_duplicates(&records));
    let rate = N as f64 / dedup_time.as_secs_f64();
    println!(
        "\n== dedup: {N} leads in {:.3} s = {:.2} M leads/s on one core ({} duplicate pairs); goal ≥ 1 M/s: {}",
        dedup_time.as_secs_f64(),
        rate / 1e6,
        pairs.len(),
        if rate >= 1e6 { "met" } else { "NOT met" }
    );
    println!(
        "   (building the normalised keys, done once at capture, took {:.3} s = {:.2} M leads/s)",
        prepare.as_secs_f64(),
        N as f64 / prepare.as_secs_f64() / 1e6
    );

    // Stress: 4 096 companies, ~250 leads each, so every "first name + company" block holds
    // several namesakes to compare.
    let crowded = leads(N, 3);
    let (crowded_time, crowded_pairs) = best_of(2, || find_duplicates(&crowded));
    println!(
        "== crowded (4 096 companies): {:.3} s = {:.2} M leads/s ({} pairs)",
        crowded_time.as_secs_f64(),
        N as f64 / crowded_time.as_secs_f64() / 1e6,
        crowded_pairs.len()
    );

    let sample: Vec<DedupRecord> = records[..20_000].to_vec();
    let (blocked, blocked_pairs) = best_of(3, || find_duplicates(&sample).len());
    let (naive, naive_pairs) = best_of(1, || all_pairs(&sample));
    println!(
        "== 20k leads: blocked index {:.4} s ({blocked_pairs} pairs) vs all-pairs {:.3} s ({naive_pairs} pairs): {:.0}x faster",
        blocked.as_secs_f64(),
        naive.as_secs_f64(),
        naive.as_secs_f64() / blocked.as_secs_f64()
    );
    quality();
    c.final_summary();
}

/// Precision and recall of the default rules on 100k generated records (see
/// `common/dedup_quality.rs`), against the rule a hand-written import often uses: the same
/// first name, last name and company is the same person.
fn quality() {
    use common::dedup_quality::{generate, measure};
    let set = generate(100_000, 2026);
    let q = measure(&set);
    println!(
        "== quality, 100k records ({} planted duplicates, {} different people): sure precision {:.4} ({} different people left out), sure recall {:.4}, recall with the review list {:.4}, {} near-misses sent to review",
        q.duplicates,
        q.different,
        q.sure_precision(),
        q.sure_false,
        q.sure_recall(),
        q.recall(),
        q.possible_false
    );
    // the naive rule: exact normalised name and company, or the same mailbox
    let mut seen = std::collections::HashMap::new();
    let mut mail = std::collections::HashMap::new();
    let (mut hit, mut lost, mut dups) = (0usize, 0usize, 0usize);
    for g in &set {
        let key = (g.record.name.clone(), g.record.company.clone());
        let earlier = seen.get(&key).copied().or_else(|| {
            g.record
                .email_key
                .as_ref()
                .and_then(|m| mail.get(m).copied())
        });
        if g.plant.is_duplicate() {
            dups += 1;
        }
        match earlier {
            Some(p) if p == g.person && g.plant.is_duplicate() => hit += 1,
            Some(_) if !g.plant.is_duplicate() => lost += 1,
            _ => {}
        }
        seen.entry(key).or_insert(g.person);
        if let Some(m) = &g.record.email_key {
            mail.entry(m.clone()).or_insert(g.person);
        }
    }
    println!(
        "   naive exact name+company or same e-mail: recall {:.4}, {lost} different people left out",
        hit as f64 / dups as f64
    );
}
