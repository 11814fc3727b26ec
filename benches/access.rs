//! Reads through a sales rep's session on 1M stored leads with sharing rules, against the
//! same reads through the host's handle (no access control), measured in the same run
//! (goal: ≤ 1.3×).
//!
//! The leads are owned round-robin by 100 reps under 10 managers under a VP; a quarter are
//! German, shared read-only with a team of 10 reps; another quarter French, shared with
//! the first manager and the roles below; the default is private. The rep read through
//! is in the German team: they see their own 10 000 leads and the 250 000 German ones.
//!
//! Reads: a count of every lead (every document visited and judged), the first page of the
//! rep's own leads by a filter on the owner (the same documents visited either way), and
//! 20 000 leads read by id.
//!
//! `cargo bench --bench access` (pass a lead count to change it: `-- 200000`)

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use crm::access::{
    GranteeRef, ObjectPermission, PermissionSetSpec, RoleSpec, ShareAccess, SharingRuleSpec,
    TeamSpec, UserSpec,
};
use crm::contact_info::Address;
use crm::id::LeadId;
use crm::lead::{Lead, LeadData, LeadSource};
use crm::lifecycle::{FieldCondition, ListQuery, Op};
use crm::store::{EntityKind, Store, WriteExt};
use crm::{Crm, Email, Region, SqliteStore};

mod common;
use common::{Rng, best_of, cpu_model};

const REPS: usize = 100;
const COUNTRIES: [&str; 4] = ["DE", "FR", "US", "GB"];

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn set_up<S: Store>(crm: &Crm<S>) {
    let access = crm.access();
    access
        .set_permission_set(
            PermissionSetSpec {
                name: "sales".into(),
                objects: vec![ObjectPermission::all(EntityKind::Lead)],
                system: vec![],
            },
            at(),
        )
        .unwrap();
    access
        .set_role(RoleSpec::new("vp", None, &["sales"]), at())
        .unwrap();
    for m in 0..10 {
        access
            .set_role(RoleSpec::new(format!("m{m}"), Some("vp"), &["sales"]), at())
            .unwrap();
        access
            .set_role(
                RoleSpec::new(format!("r{m}"), Some(&format!("m{m}")), &["sales"]),
                at(),
            )
            .unwrap();
        access
            .set_user(
                UserSpec::new(format!("manager{m}")).with_role(format!("m{m}")),
                at(),
            )
            .unwrap();
    }
    for r in 0..REPS {
        access
            .set_user(
                UserSpec::new(format!("rep{r}")).with_role(format!("r{}", r / 10)),
                at(),
            )
            .unwrap();
    }
    access
        .set_team(
            TeamSpec {
                name: "dach".into(),
                members: (0..10).map(|r| format!("rep{}", r * 7)).collect(),
            },
            at(),
        )
        .unwrap();
    let rule = |name: &str, country: &str, grantee| SharingRuleSpec {
        name: name.into(),
        kind: EntityKind::Lead,
        filter: vec![FieldCondition {
            field: "data.address.country".into(),
            op: Op::Eq,
            value: country.into(),
        }],
        grantee,
        access: ShareAccess::Read,
    };
    access
        .set_sharing_rule(
            rule(
                "german",
                "DE",
                GranteeRef::Team {
                    name: "dach".into(),
                },
            ),
            at(),
        )
        .unwrap();
    access
        .set_sharing_rule(
            rule(
                "french",
                "FR",
                GranteeRef::RoleAndBelow { name: "m0".into() },
            ),
            at(),
        )
        .unwrap();
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    println!("CPU: {}", cpu_model());
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("access.db")).unwrap();
    let t = Instant::now();
    for chunk in 0..n.div_ceil(10_000) {
        store
            .write(|tx| {
                for i in chunk * 10_000..((chunk + 1) * 10_000).min(n) {
                    let data = LeadData {
                        first_name: Some(format!("First{i}")),
                        last_name: Some(format!("Last{}", i % 9973)),
                        company: Some(format!("Company {}", i % 5000)),
                        email: Some(Email::parse(&format!("lead{i}@example.com")).unwrap()),
                        address: Address {
                            city: Some("Somewhere".into()),
                            country: Some(COUNTRIES[i % 4].into()),
                            ..Address::default()
                        },
                        owner: Some(format!("rep{}", i % REPS)),
                        ..LeadData::default()
                    };
                    tx.insert(|id| Lead::new(id, LeadSource::Manual, data, at()))?;
                }
                Ok(())
            })
            .unwrap();
    }
    println!("stored {n} leads in {:.1} s", t.elapsed().as_secs_f64());
    let host = Crm::new(store, Region::parse("US").unwrap());
    set_up(&host);
    let rep = host.as_user("rep7").unwrap();

    let mut ratios = Vec::new();
    let mut compare = |what: &str, runs: usize, f: &dyn Fn(&Crm<SqliteStore>) -> usize| {
        let (plain, all) = best_of(runs, || f(&host));
        let (guarded, seen) = best_of(runs, || f(&rep));
        let ratio = guarded.as_secs_f64() / plain.as_secs_f64();
        println!(
            "{what}: host {:.1} ms ({all} records), rep {:.1} ms ({seen} records): {ratio:.2}×",
            plain.as_secs_f64() * 1e3,
            guarded.as_secs_f64() * 1e3
        );
        ratios.push((what.to_string(), ratio));
    };

    compare("count every lead", 3, &|crm| {
        crm.count_records(EntityKind::Lead, &[]).unwrap()
    });
    let own = ListQuery {
        filter: vec![FieldCondition {
            field: "data.owner".into(),
            op: Op::Eq,
            value: "rep7".into(),
        }],
        limit: Some(50),
        ..ListQuery::default()
    };
    compare("first page of rep7's leads", 5, &|crm| {
        crm.list_page(EntityKind::Lead, &own).unwrap().items.len()
    });
    // ids the rep may read: their own and the German leads
    let mut rng = Rng(7);
    let ids: Vec<LeadId> = (0..20_000)
        .map(|_| {
            loop {
                let i = rng.below(n as u64) as usize;
                if i % REPS == 7 || i.is_multiple_of(4) {
                    break LeadId::new(i as u64 + 1).unwrap();
                }
            }
        })
        .collect();
    compare("20 000 leads by id", 3, &|crm| {
        let mut read = 0;
        for id in &ids {
            black_box(crm.lead(*id).unwrap());
            read += 1;
        }
        read
    });
    let worst = ratios.iter().map(|(_, r)| *r).fold(0.0, f64::max);
    println!("worst ratio {worst:.2}× (goal ≤ 1.3×)");
}
