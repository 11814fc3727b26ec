//! Property test of access control: random users, roles, teams, defaults, sharing rules,
//! shares and leads; for every user, what the engine lets them read and do — single
//! reads, listings, index lookups, counts, search, exports, the marketing report's funnel and
//! the leads' touchpoints — equals a plain reference evaluation of the rule set written out
//! again here, the obvious way.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeZone, Utc};
use crm::access::{
    GranteeRef, Level, ObjectPermission, OrgDefault, PermissionSetSpec, RoleSpec, ShareAccess,
    SharingRuleSpec, TeamSpec, UserSpec,
};
use crm::id::{LeadId, RecordRef};
use crm::lifecycle::{FieldCondition, Op};
use crm::search::SearchQuery;
use crm::store::{EntityKind, MemoryStore, Store};
use crm::tracking::{NewTouchpoint, TouchpointKind};
use crm::{Crm, Currency, Error, LeadField, LeadInput, RecordKey, Region, SqliteStore};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

const ROLES: usize = 4;
const TEAMS: usize = 2;
const COMPANIES: usize = 3;

#[derive(Debug, Clone)]
struct U {
    role: Option<usize>,
    active: bool,
    /// read/create/edit/delete on leads
    sales: bool,
    view_all: bool,
    modify_all: bool,
}

#[derive(Debug, Clone, Copy)]
enum G {
    User(usize),
    Team(usize),
    Role(usize),
    RoleAndBelow(usize),
}

#[derive(Debug, Clone, Copy)]
enum O {
    Nobody,
    User(usize),
    Team(usize),
}

#[derive(Debug, Clone)]
struct World {
    /// parent of role i: a role before it
    parents: Vec<Option<usize>>,
    users: Vec<U>,
    teams: Vec<BTreeSet<usize>>,
    default: OrgDefault,
    /// (company, grantee, edit)
    rules: Vec<(usize, G, bool)>,
    /// (company, owner)
    leads: Vec<(usize, O)>,
    /// (lead index, grantee: user or team, edit)
    shares: Vec<(usize, G, bool)>,
}

fn world() -> impl Strategy<Value = World> {
    let parents = (0..ROLES)
        .map(|i| {
            if i == 0 {
                Just(None).boxed()
            } else {
                prop::option::of(0..i).boxed()
            }
        })
        .collect::<Vec<_>>();
    let user = (
        prop::option::of(0..ROLES),
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(role, active, sales, view_all, modify_all)| U {
            role,
            active,
            sales,
            view_all,
            modify_all,
        });
    (2usize..6).prop_flat_map(move |n| {
        let grantee = prop_oneof![
            (0..n).prop_map(G::User),
            (0..TEAMS).prop_map(G::Team),
            (0..ROLES).prop_map(G::Role),
            (0..ROLES).prop_map(G::RoleAndBelow),
        ];
        let person = prop_oneof![(0..n).prop_map(G::User), (0..TEAMS).prop_map(G::Team)];
        let owner = prop_oneof![
            Just(O::Nobody),
            (0..n).prop_map(O::User),
            (0..TEAMS).prop_map(O::Team)
        ];
        (
            parents.clone(),
            prop::collection::vec(user.clone(), n),
            prop::collection::vec(prop::collection::btree_set(0..n, 0..n), TEAMS),
            prop_oneof![
                Just(OrgDefault::Private),
                Just(OrgDefault::PublicRead),
                Just(OrgDefault::PublicReadWrite)
            ],
            prop::collection::vec((0..COMPANIES, grantee, any::<bool>()), 0..4),
            prop::collection::vec((0..COMPANIES, owner), 0..12),
            prop::collection::vec((0usize..12, person, any::<bool>()), 0..4),
        )
            .prop_map(
                |(parents, users, teams, default, rules, leads, shares)| World {
                    parents,
                    users,
                    teams,
                    default,
                    rules,
                    shares: shares
                        .into_iter()
                        .filter(|(l, _, _)| *l < leads.len())
                        .collect(),
                    leads,
                },
            )
    })
}

fn login(u: usize) -> String {
    format!("u{u}")
}

// ---- the reference evaluation ----------------------------------------------------------

impl World {
    /// Role `r` and the roles above it, its own first.
    fn up(&self, r: usize) -> Vec<usize> {
        let mut out = vec![r];
        let mut cur = r;
        while let Some(p) = self.parents[cur] {
            out.push(p);
            cur = p;
        }
        out
    }

    fn includes(&self, u: usize, g: G) -> bool {
        match g {
            G::User(v) => v == u,
            G::Team(t) => self.teams[t].contains(&u),
            G::Role(r) => self.users[u].role == Some(r),
            G::RoleAndBelow(r) => self.users[u]
                .role
                .is_some_and(|mine| self.up(mine).contains(&r)),
        }
    }

    fn level(&self, u: usize, lead: usize) -> Level {
        let me = &self.users[u];
        if !me.active || !me.sales && !me.view_all && !me.modify_all {
            return Level::NoAccess;
        }
        let (company, owner) = self.leads[lead];
        let owns = match owner {
            O::User(o) => o == u,
            O::Team(t) => self.teams[t].contains(&u),
            O::Nobody => false,
        };
        let above = match (owner, me.role) {
            (O::User(o), Some(mine)) => self.users[o]
                .role
                .is_some_and(|theirs| self.up(theirs)[1..].contains(&mine)),
            _ => false,
        };
        // with read but no edit permission, any access is read
        let cap = if me.sales || me.modify_all {
            Level::Full
        } else {
            Level::Read
        };
        if me.modify_all || owns || above {
            return Level::Full.min(cap);
        }
        let mut level = match self.default {
            OrgDefault::Private => Level::NoAccess,
            OrgDefault::PublicRead => Level::Read,
            OrgDefault::PublicReadWrite => Level::Edit,
        };
        if me.view_all {
            level = level.max(Level::Read);
        }
        for (c, g, edit) in &self.rules {
            if *c == company && self.includes(u, *g) {
                level = level.max(if *edit { Level::Edit } else { Level::Read });
            }
        }
        for (l, g, edit) in &self.shares {
            if *l == lead && self.includes(u, *g) {
                level = level.max(if *edit { Level::Edit } else { Level::Read });
            }
        }
        level.min(cap)
    }
}

// ---- the world, stored --------------------------------------------------------------

fn grantee(g: G) -> GranteeRef {
    match g {
        G::User(u) => GranteeRef::User { name: login(u) },
        G::Team(t) => GranteeRef::Team {
            name: format!("t{t}"),
        },
        G::Role(r) => GranteeRef::Role {
            name: format!("r{r}"),
        },
        G::RoleAndBelow(r) => GranteeRef::RoleAndBelow {
            name: format!("r{r}"),
        },
    }
}

fn store<S: Store>(crm: &Crm<S>, w: &World) -> Vec<LeadId> {
    let access = crm.access();
    for r in 0..ROLES {
        let parent = w.parents[r].map(|p| format!("r{p}"));
        access
            .set_role(
                RoleSpec::new(format!("r{r}"), parent.as_deref(), &[]),
                now(),
            )
            .unwrap();
    }
    for (i, u) in w.users.iter().enumerate() {
        let set = format!("p{i}");
        access
            .set_permission_set(
                PermissionSetSpec {
                    name: set.clone(),
                    objects: vec![
                        ObjectPermission {
                            read: u.sales,
                            create: u.sales,
                            edit: u.sales,
                            delete: u.sales,
                            export: true,
                            view_all: u.view_all,
                            modify_all: u.modify_all,
                            ..ObjectPermission::none(EntityKind::Lead)
                        },
                        ObjectPermission::read_only(EntityKind::Opportunity),
                    ],
                    system: vec![],
                },
                now(),
            )
            .unwrap();
        access
            .set_user(
                UserSpec {
                    active: u.active,
                    role: u.role.map(|r| format!("r{r}")),
                    permission_sets: vec![set],
                    ..UserSpec::new(login(i))
                },
                now(),
            )
            .unwrap();
    }
    for (t, members) in w.teams.iter().enumerate() {
        access
            .set_team(
                TeamSpec {
                    name: format!("t{t}"),
                    members: members.iter().map(|u| login(*u)).collect(),
                },
                now(),
            )
            .unwrap();
    }
    access
        .set_org_default(EntityKind::Lead, w.default, now())
        .unwrap();
    for (i, (company, g, edit)) in w.rules.iter().enumerate() {
        access
            .set_sharing_rule(
                SharingRuleSpec {
                    name: format!("rule{i}"),
                    kind: EntityKind::Lead,
                    filter: vec![FieldCondition {
                        field: "data.company".into(),
                        op: Op::Eq,
                        value: format!("C{company}").into(),
                    }],
                    grantee: grantee(*g),
                    access: if *edit {
                        ShareAccess::Edit
                    } else {
                        ShareAccess::Read
                    },
                },
                now(),
            )
            .unwrap();
    }
    let ids: Vec<LeadId> = w
        .leads
        .iter()
        .enumerate()
        .map(|(i, (company, owner))| {
            let mut input = LeadInput::new()
                .with(LeadField::LastName, format!("Person{i}"))
                .with(LeadField::Company, format!("C{company}"))
                .with(LeadField::Email, format!("p{i}@acme.example"));
            match owner {
                O::User(u) => input = input.with(LeadField::Owner, login(*u)),
                O::Team(t) => input = input.with(LeadField::Owner, format!("team:t{t}")),
                O::Nobody => {}
            }
            let id = crm.capture_lead(&input, now()).unwrap().lead.id;
            crm.record_touchpoint(
                NewTouchpoint {
                    subject: RecordRef::Lead(id),
                    at: now(),
                    kind: TouchpointKind::AdClick,
                    attribution: Default::default(),
                },
                now(),
            )
            .unwrap();
            id
        })
        .collect();
    for (lead, g, edit) in &w.shares {
        access
            .share(
                RecordKey::new(EntityKind::Lead, ids[*lead].get()),
                grantee(*g),
                if *edit {
                    ShareAccess::Edit
                } else {
                    ShareAccess::Read
                },
                now(),
            )
            .unwrap();
    }
    ids
}

fn check<S: Store>(crm: Crm<S>, w: &World) -> Result<(), TestCaseError> {
    let ids = store(&crm, w);
    for u in 0..w.users.len() {
        let handle = match crm.as_user(&login(u)) {
            Ok(h) => h,
            Err(Error::Forbidden { .. }) => {
                prop_assert!(!w.users[u].active);
                continue;
            }
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        prop_assert!(w.users[u].active);
        let expected: Vec<u64> = (0..ids.len())
            .filter(|l| w.level(u, *l) >= Level::Read)
            .map(|l| ids[l].get())
            .collect();
        let may_read = w.users[u].sales || w.users[u].view_all || w.users[u].modify_all;
        // listings
        match handle.all_leads() {
            Ok(leads) => {
                prop_assert!(may_read);
                let got: Vec<u64> = leads.iter().map(|l| l.id.get()).collect();
                prop_assert_eq!(&got, &expected, "user {} listing", u);
            }
            Err(Error::Forbidden { .. }) => prop_assert!(!may_read),
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        }
        if !may_read {
            continue;
        }
        // a lookup through an index (the status) sees the same records
        let new: Vec<u64> = handle
            .leads_with_status(crm::lead::LeadStatusKind::New)
            .unwrap()
            .iter()
            .map(|l| l.id.get())
            .collect();
        prop_assert_eq!(&new, &expected, "user {} by status", u);
        // counts, exports and search see the same records
        prop_assert_eq!(
            handle.count_records(EntityKind::Lead, &[]).unwrap(),
            expected.len()
        );
        let mut out = Vec::new();
        let report = handle
            .export_records(EntityKind::Lead, &Default::default(), &mut out)
            .unwrap();
        prop_assert_eq!(report.records, expected.len() as u64);
        // reports, and the records of records (a lead's touchpoints), follow the leads
        let marketing = handle
            .marketing_report(Currency::parse("USD").unwrap(), &Default::default())
            .unwrap();
        prop_assert_eq!(marketing.funnel.leads, expected.len(), "user {} funnel", u);
        prop_assert_eq!(
            handle.count_records(EntityKind::Touchpoint, &[]).unwrap(),
            expected.len()
        );
        let hits = handle
            .search(&SearchQuery {
                text: "person".into(),
                kinds: vec![EntityKind::Lead],
                limit: Some(100),
            })
            .unwrap();
        let mut found: Vec<u64> = hits.iter().map(|h| h.record.id()).collect();
        found.sort_unstable();
        prop_assert_eq!(&found, &expected, "user {} search", u);
        // single reads and the level of every lead
        for (l, id) in ids.iter().enumerate() {
            let level = w.level(u, l);
            match handle.lead(*id) {
                Ok(_) => prop_assert!(level >= Level::Read),
                Err(Error::Forbidden { .. }) => prop_assert!(level < Level::Read),
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            }
            let key = RecordKey::new(EntityKind::Lead, id.get());
            prop_assert_eq!(
                handle.access_to(key).unwrap(),
                level,
                "user {} lead {}",
                u,
                l
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_agrees_with_the_reference_on_memory(w in world()) {
        check(Crm::new(MemoryStore::new(), Region::parse("DE").unwrap()), &w)?;
    }

    #[test]
    fn the_engine_agrees_with_the_reference_on_sqlite(w in world()) {
        check(
            Crm::new(SqliteStore::open_in_memory().unwrap(), Region::parse("DE").unwrap()),
            &w,
        )?;
    }
}
