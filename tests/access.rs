//! Access control on both stores: what a user bound by `as_user` sees and changes through
//! ownership, the role hierarchy, teams, organisation-wide defaults, sharing rules, manual
//! shares, implied access through an account, object and system permissions and
//! field-level security, and the audit of refusals.

#[macro_use]
mod both_stores;

use chrono::{DateTime, TimeZone, Utc};
use crm::Currency;
use crm::access::{
    FieldAccess, FieldRule, GranteeRef, Level, ObjectPermission, OrgDefault, PermissionSetSpec,
    RoleSpec, ShareAccess, SharingRuleSpec, SystemPermission, TeamSpec, UserSpec,
};
use crm::customer::{NewAccount, NewContact};
use crm::id::LeadId;
use crm::id::RecordRef;
use crm::lifecycle::{FieldCondition, ListQuery, Op};
use crm::search::SearchQuery;
use crm::service::{CasePriority, NewAsset, NewServiceOrder};
use crm::store::{EntityKind, MemoryStore, Store};
use crm::tracking::{NewTouchpoint, TouchpointKind};
use crm::{Crm, Error, LeadField, LeadInput, RecordKey, Region};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn perm(kind: EntityKind, export: bool) -> ObjectPermission {
    ObjectPermission {
        kind,
        read: true,
        create: true,
        edit: true,
        delete: true,
        export,
        view_all: false,
        modify_all: false,
    }
}

fn user(login: &str, role: Option<&str>, sets: &[&str]) -> UserSpec {
    UserSpec {
        login: login.into(),
        name: None,
        active: true,
        locale: None,
        time_zone: None,
        manager: None,
        role: role.map(Into::into),
        permission_sets: sets.iter().map(|s| s.to_string()).collect(),
    }
}

fn role(name: &str, parent: Option<&str>, fields: Vec<FieldRule>) -> RoleSpec {
    RoleSpec {
        name: name.into(),
        parent: parent.map(Into::into),
        permission_sets: vec!["sales".into()],
        fields,
    }
}

/// Sales reps rep1 and rep2 under manager mia under vp; rep2 in team support; admin
/// manages users and sharing and reads the audit; ghost is deactivated.
fn set_up<S: Store>(crm: &Crm<S>) {
    crm.set_permission_set(
        PermissionSetSpec {
            name: "sales".into(),
            objects: vec![
                perm(EntityKind::Lead, true),
                perm(EntityKind::Account, false),
                perm(EntityKind::Contact, false),
                perm(EntityKind::Opportunity, false),
            ],
            system: vec![],
        },
        now(),
    )
    .unwrap();
    crm.set_permission_set(
        PermissionSetSpec {
            name: "admin".into(),
            objects: vec![ObjectPermission {
                modify_all: true,
                ..perm(EntityKind::Lead, true)
            }],
            system: vec![
                SystemPermission::ManageUsers,
                SystemPermission::ManageSharing,
                SystemPermission::ViewAudit,
            ],
        },
        now(),
    )
    .unwrap();
    crm.set_role(role("vp", None, vec![]), now()).unwrap();
    crm.set_role(role("east_manager", Some("vp"), vec![]), now())
        .unwrap();
    let hidden = FieldRule {
        kind: EntityKind::Account,
        field: "industry".into(),
        access: FieldAccess::Hidden,
    };
    let read_only = FieldRule {
        kind: EntityKind::Contact,
        field: "job_title".into(),
        access: FieldAccess::ReadOnly,
    };
    crm.set_role(
        role("east_rep", Some("east_manager"), vec![hidden, read_only]),
        now(),
    )
    .unwrap();
    crm.set_user(user("vp", Some("vp"), &[]), now()).unwrap();
    crm.set_user(user("mia", Some("east_manager"), &[]), now())
        .unwrap();
    crm.set_user(user("rep1", Some("east_rep"), &[]), now())
        .unwrap();
    crm.set_user(user("rep2", Some("east_rep"), &[]), now())
        .unwrap();
    crm.set_user(user("admin", None, &["admin"]), now())
        .unwrap();
    crm.set_user(
        UserSpec {
            active: false,
            ..user("ghost", Some("vp"), &["sales"])
        },
        now(),
    )
    .unwrap();
    crm.set_team(
        TeamSpec {
            name: "support".into(),
            members: vec!["rep2".into()],
        },
        now(),
    )
    .unwrap();
}

fn lead<S: Store>(crm: &Crm<S>, name: &str, company: &str, owner: Option<&str>) -> LeadId {
    let mut input = LeadInput::new()
        .with(LeadField::FullName, name)
        .with(LeadField::Company, company)
        .with(
            LeadField::Email,
            format!("{}@example.com", name.replace(' ', ".").to_lowercase()),
        );
    if let Some(o) = owner {
        input = input.with(LeadField::Owner, o);
    }
    crm.capture_lead(&input, now()).unwrap().lead.id
}

fn ids<S: Store>(crm: &Crm<S>) -> Vec<u64> {
    crm.all_leads()
        .unwrap()
        .iter()
        .map(|l| l.id.get())
        .collect()
}

fn forbidden<T: std::fmt::Debug>(r: crm::Result<T>, operation: &str) -> Error {
    match r {
        Err(e @ Error::Forbidden { .. }) => {
            let Error::Forbidden { operation: op, .. } = &e else {
                unreachable!()
            };
            assert_eq!(op, operation, "{e}");
            e
        }
        other => panic!("expected forbidden {operation}, got {other:?}"),
    }
}

fn owners_managers_and_teams_see_their_leads<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    let l1 = lead(&crm, "Ada One", "Analytical Engines", Some("rep1"));
    let l2 = lead(&crm, "Bob Two", "Difference Engines", Some("rep2"));
    let l3 = lead(&crm, "Cy Three", "Looms", Some("team:support"));
    let l4 = lead(&crm, "Di Four", "Looms", None);
    let as_ = |login: &str| crm.as_user(login).unwrap();
    assert_eq!(ids(&as_("rep1")), [l1.get()]);
    assert_eq!(ids(&as_("rep2")), [l2.get(), l3.get()]);
    assert_eq!(ids(&as_("mia")), [l1.get(), l2.get()]);
    assert_eq!(ids(&as_("vp")), [l1.get(), l2.get()]);
    assert_eq!(ids(&as_("admin")), [l1.get(), l2.get(), l3.get(), l4.get()]);
    assert_eq!(ids(&crm), [l1.get(), l2.get(), l3.get(), l4.get()]);

    // a single read of another's lead is refused, never a not_found
    let rep1 = as_("rep1");
    let e = forbidden(rep1.lead(l2), "read");
    assert!(matches!(e, Error::Forbidden { id: Some(id), .. } if id == l2.get()));
    // and the refusal is in the audit, for those allowed to read it
    let audit = |c: &Crm<S>| {
        c.events_since(0, 10_000)
            .unwrap()
            .into_iter()
            .filter(|e| e.event_type == "AccessRefused")
            .count()
    };
    assert_eq!(audit(&crm), 1);
    assert_eq!(audit(&as_("admin")), 1);
    assert_eq!(audit(&rep1), 0);
    // the event log shows rep1 only what rep1 may read
    let seen: Vec<(EntityKind, u64)> = rep1
        .events_since(0, 10_000)
        .unwrap()
        .iter()
        .filter(|e| e.aggregate == EntityKind::Lead)
        .map(|e| (e.aggregate, e.aggregate_id))
        .collect();
    assert!(seen.iter().all(|(_, id)| *id == l1.get()), "{seen:?}");
    assert!(!seen.is_empty());

    // pages are refilled: 20 more leads, every other one rep1's
    for i in 0..20 {
        let owner = if i % 2 == 0 { "rep1" } else { "rep2" };
        lead(&crm, &format!("Lead N{i}"), "Mills", Some(owner));
    }
    let page = rep1
        .list_page(
            EntityKind::Lead,
            &ListQuery {
                limit: Some(4),
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(page.items.len(), 4);
    assert!(
        page.items
            .iter()
            .all(|d| d["data"]["owner"] == serde_json::json!("rep1"))
    );
    assert_eq!(rep1.count_records(EntityKind::Lead, &[]).unwrap(), 11);
    assert_eq!(as_("mia").count_records(EntityKind::Lead, &[]).unwrap(), 22);
    // search finds only what the user sees
    let hits = rep1
        .search(&SearchQuery {
            text: "engines".into(),
            kinds: vec![EntityKind::Lead],
            limit: None,
        })
        .unwrap();
    assert_eq!(
        hits.iter().map(|h| h.record).collect::<Vec<_>>(),
        [RecordKey::new(EntityKind::Lead, l1.get())]
    );

    // unknown and deactivated users are refused at the door
    forbidden(crm.as_user("nobody").map(|_| ()), "sign in");
    forbidden(crm.as_user("ghost").map(|_| ()), "sign in");
}

fn sharing_rules_and_manual_shares_open_records<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    let l1 = lead(&crm, "Ada One", "Analytical Engines", Some("rep1"));
    let l2 = lead(&crm, "Bob Two", "Difference Engines", Some("rep2"));
    let l4 = lead(&crm, "Di Four", "Looms", None);
    let rep1 = crm.as_user("rep1").unwrap();
    // a rep may not set up sharing
    forbidden(
        rep1.set_sharing_rule(
            SharingRuleSpec {
                name: "engines".into(),
                kind: EntityKind::Lead,
                filter: vec![],
                grantee: GranteeRef::Role {
                    name: "east_rep".into(),
                },
                access: ShareAccess::Read,
            },
            now(),
        ),
        "manage_sharing",
    );
    let admin = crm.as_user("admin").unwrap();
    admin
        .set_sharing_rule(
            SharingRuleSpec {
                name: "engines".into(),
                kind: EntityKind::Lead,
                filter: vec![FieldCondition {
                    field: "data.company".into(),
                    op: Op::Contains,
                    value: "engines".into(),
                }],
                grantee: GranteeRef::Role {
                    name: "east_rep".into(),
                },
                access: ShareAccess::Read,
            },
            now(),
        )
        .unwrap();
    // the rule shares l2 read-only with rep1: read, not edited
    let rep1 = crm.as_user("rep1").unwrap();
    assert_eq!(ids(&rep1), [l1.get(), l2.get()]);
    let got = rep1.lead(l2).unwrap();
    let patch = serde_json::from_value(serde_json::json!({"company": "Mine now"})).unwrap();
    forbidden(rep1.update_lead(l2, got.version, &patch, now()), "edit");
    assert_eq!(
        rep1.access_to(RecordKey::new(EntityKind::Lead, l2.get()))
            .unwrap(),
        Level::Read
    );
    // nobody but the owner, those above and sharing managers share a record by hand
    forbidden(
        rep1.share_record(
            RecordKey::new(EntityKind::Lead, l4.get()),
            GranteeRef::User {
                name: "rep1".into(),
            },
            ShareAccess::Edit,
            now(),
        ),
        "share",
    );
    let share = admin
        .share_record(
            RecordKey::new(EntityKind::Lead, l4.get()),
            GranteeRef::User {
                name: "rep1".into(),
            },
            ShareAccess::Edit,
            now(),
        )
        .unwrap();
    let got = rep1.lead(l4).unwrap();
    let edited = rep1.update_lead(l4, got.version, &patch, now()).unwrap();
    assert_eq!(edited.data.company.as_deref(), Some("Mine now"));
    // edit access does not give a record away: only full access does
    let give = serde_json::from_value(serde_json::json!({"owner": "rep1"})).unwrap();
    forbidden(
        rep1.update_lead(l4, edited.version, &give, now()),
        "transfer",
    );
    let mine = rep1.lead(l1).unwrap();
    let to_rep2 = serde_json::from_value(serde_json::json!({"owner": "rep2"})).unwrap();
    rep1.update_lead(l1, mine.version, &to_rep2, now()).unwrap();
    // rep1 still reads it, through the sharing rule only
    assert_eq!(
        rep1.access_to(RecordKey::new(EntityKind::Lead, l1.get()))
            .unwrap(),
        Level::Read
    );
    // taking the share and the rule back closes the records again
    admin.unshare(share.id, now()).unwrap();
    admin.remove_sharing_rule("engines", now()).unwrap();
    assert_eq!(ids(&rep1), Vec::<u64>::new());
    assert_eq!(
        crm.as_user("rep2")
            .unwrap()
            .shares_of(RecordKey::new(EntityKind::Lead, l2.get())),
        Ok(vec![])
    );
}

fn accounts_imply_contacts_and_fields_are_guarded<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    let mine = crm
        .create_account(
            NewAccount {
                owner: Some("rep1".into()),
                industry: Some("machinery".into()),
                ..NewAccount::named("Analytical Engines")
            },
            now(),
        )
        .unwrap();
    let theirs = crm
        .create_account(
            NewAccount {
                owner: Some("rep2".into()),
                ..NewAccount::named("Looms")
            },
            now(),
        )
        .unwrap();
    let contact = crm
        .create_contact(
            NewContact {
                account: Some(mine.id),
                owner: Some("rep2".into()),
                job_title: Some("Engineer".into()),
                first_name: Some("Charles".into()),
                last_name: Some("Babbage".into()),
                ..NewContact::default()
            },
            now(),
        )
        .unwrap();
    let rep1 = crm.as_user("rep1").unwrap();
    // rep2's contact on rep1's account: readable through the account, not editable
    let read = rep1.contact(contact.id).unwrap();
    assert_eq!(read.job_title.as_deref(), Some("Engineer"));
    let patch = serde_json::from_value(serde_json::json!({"first_name": "Chuck"})).unwrap();
    forbidden(
        rep1.edit::<crm::customer::Contact>(contact.id, read.version, &patch, now()),
        "edit",
    );
    forbidden(rep1.account(theirs.id), "read");
    // the hidden industry is left out of what rep1 reads and kept on what rep1 writes
    let got = rep1.account(mine.id).unwrap();
    assert_eq!(got.industry, None);
    let rename = serde_json::from_value(serde_json::json!({"name": "Engines Ltd"})).unwrap();
    rep1.edit::<crm::customer::Account>(mine.id, got.version, &rename, now())
        .unwrap();
    let stored = crm.account(mine.id).unwrap();
    assert_eq!(stored.name, "Engines Ltd");
    assert_eq!(stored.industry.as_deref(), Some("machinery"));
    // a read-only field may not change, even on the user's own contact
    let own = crm
        .create_contact(
            NewContact {
                account: Some(mine.id),
                owner: Some("rep1".into()),
                job_title: Some("Clerk".into()),
                first_name: Some("Ada".into()),
                last_name: Some("Byron".into()),
                ..NewContact::default()
            },
            now(),
        )
        .unwrap();
    let title = serde_json::from_value(serde_json::json!({"job_title": "Boss"})).unwrap();
    let e = forbidden(
        rep1.edit::<crm::customer::Contact>(own.id, own.version, &title, now()),
        "edit",
    );
    assert!(e.to_string().contains("job_title"), "{e}");
    // public read opens every account to read, not to edit
    crm.set_org_default(EntityKind::Account, OrgDefault::PublicRead, now())
        .unwrap();
    let rep1 = crm.as_user("rep1").unwrap();
    let looms = rep1.account(theirs.id).unwrap();
    forbidden(
        rep1.edit::<crm::customer::Account>(theirs.id, looms.version, &rename, now()),
        "edit",
    );
}

fn permissions_gate_kinds_and_system_use_cases<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    let rep1 = crm.as_user("rep1").unwrap();
    // no permission set gives reps cases
    forbidden(
        rep1.list_page(EntityKind::Case, &ListQuery::default()),
        "read",
    );
    // leads may be exported, accounts not
    let mut out = Vec::new();
    rep1.export_records(EntityKind::Lead, &Default::default(), &mut out)
        .unwrap();
    forbidden(
        rep1.export_records(EntityKind::Account, &Default::default(), &mut out),
        "export",
    );
    // setting up users needs manage_users; the admin has it
    forbidden(
        rep1.set_user(user("rep3", None, &[]), now()),
        "manage_users",
    );
    let admin = crm.as_user("admin").unwrap();
    admin
        .set_user(user("rep3", Some("east_rep"), &[]), now())
        .unwrap();
    // the new user is known at once
    crm.as_user("rep3").unwrap();
    // deactivating a user shuts their open handle too
    let rep3 = crm.as_user("rep3").unwrap();
    admin
        .set_user(
            UserSpec {
                active: false,
                ..user("rep3", Some("east_rep"), &[])
            },
            now(),
        )
        .unwrap();
    forbidden(rep3.all_leads(), "sign in");
    // validation names every problem
    let Err(Error::Validation { problems }) = crm.set_user(
        UserSpec {
            manager: Some("nobody".into()),
            ..user("x y", Some("no_role"), &["no_set"])
        },
        now(),
    ) else {
        panic!("expected validation")
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["login", "manager", "role", "permission_sets"]);
    let Err(Error::Validation { .. }) = crm.set_role(role("vp", Some("east_rep"), vec![]), now())
    else {
        panic!("a cycle must be refused")
    };
}

fn owner_texts_migrate_to_users_and_teams<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    // records owned by a name typed in before users existed
    let l1 = lead(&crm, "Ada One", "Engines", Some("Alice Smith"));
    let l2 = lead(&crm, "Bob Two", "Looms", Some("Alice Smith"));
    let l3 = lead(&crm, "Cy Three", "Looms", Some("rep2"));
    let account = crm
        .create_account(
            NewAccount {
                owner: Some("Alice Smith".into()),
                ..NewAccount::named("Looms Ltd")
            },
            now(),
        )
        .unwrap();
    let rep1 = crm.as_user("rep1").unwrap();
    assert_eq!(ids(&rep1), Vec::<u64>::new());
    let Err(Error::Validation { problems }) = crm.transfer_records("Alice Smith", "alice", now())
    else {
        panic!("an unknown user must be refused")
    };
    assert_eq!(problems[0].field, "to");
    let given = crm.transfer_records("Alice Smith", "rep1", now()).unwrap();
    assert_eq!(
        given,
        [
            RecordKey::new(EntityKind::Lead, l1.get()),
            RecordKey::new(EntityKind::Lead, l2.get()),
            RecordKey::new(EntityKind::Account, account.id.get()),
        ]
    );
    assert_eq!(ids(&rep1), [l1.get(), l2.get()]);
    rep1.account(account.id).unwrap();
    // the change is in each record's history
    let history = crm
        .history(RecordKey::new(EntityKind::Lead, l1.get()))
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.changes[0].new, serde_json::json!("rep1"));
    // a rep may give their own records away, never another's: nothing is given then
    let rep2 = crm.as_user("rep2").unwrap();
    assert_eq!(
        rep2.transfer_records("rep1", "rep2", now()).unwrap(),
        Vec::<RecordKey>::new()
    );
    rep2.transfer_records("rep2", "team:support", now())
        .unwrap();
    assert_eq!(
        crm.lead(l3).unwrap().data.owner.as_deref(),
        Some("team:support")
    );
    assert_eq!(ids(&rep1), [l1.get(), l2.get()]);
}

fn new_leads_and_cases_are_routed<S: Store>(crm: Crm<S>) {
    use crm::access::{Assignee, AssignmentRuleSpec};
    use crm::service::{CaseCategory, CaseChannel, NewCase};
    set_up(&crm);
    crm.set_team(
        TeamSpec {
            name: "pool".into(),
            members: vec!["rep1".into(), "rep2".into()],
        },
        now(),
    )
    .unwrap();
    let rule = |name: &str, kind, order, filter: Vec<FieldCondition>, assign| AssignmentRuleSpec {
        name: name.into(),
        kind,
        order,
        filter,
        assign,
    };
    let german = vec![FieldCondition {
        field: "data.address.country".into(),
        op: Op::Eq,
        value: "DE".into(),
    }];
    // only those who manage sharing set rules; only leads and cases are routed
    forbidden(
        crm.as_user("rep1").unwrap().set_assignment_rule(
            rule(
                "x",
                EntityKind::Lead,
                0,
                vec![],
                Assignee::User {
                    name: "rep1".into(),
                },
            ),
            now(),
        ),
        "manage_sharing",
    );
    let Err(Error::Validation { problems }) = crm.set_assignment_rule(
        rule(
            "x",
            EntityKind::Account,
            0,
            vec![],
            Assignee::Team {
                name: "nobody".into(),
            },
        ),
        now(),
    ) else {
        panic!("expected validation")
    };
    assert_eq!(problems.len(), 2);
    crm.set_assignment_rule(
        rule(
            "rest",
            EntityKind::Lead,
            2,
            vec![],
            Assignee::RoundRobin {
                name: "pool".into(),
            },
        ),
        now(),
    )
    .unwrap();
    crm.set_assignment_rule(
        rule(
            "germany",
            EntityKind::Lead,
            1,
            german,
            Assignee::User { name: "mia".into() },
        ),
        now(),
    )
    .unwrap();
    let capture = |name: &str, country: &str, owner: Option<&str>| {
        let mut input = LeadInput::new()
            .with(LeadField::LastName, name)
            .with(LeadField::Email, format!("{name}@example.com"))
            .with(LeadField::Country, country);
        if let Some(o) = owner {
            input = input.with(LeadField::Owner, o);
        }
        crm.capture_lead(&input, now()).unwrap().lead
    };
    let owners: Vec<Option<String>> = [
        capture("a", "DE", None),
        capture("b", "US", None),
        capture("c", "FR", None),
        capture("d", "GB", None),
        capture("e", "US", Some("vp")),
    ]
    .into_iter()
    .map(|l| l.data.owner)
    .collect();
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        owners,
        [
            some("mia"),
            some("rep1"),
            some("rep2"),
            some("rep1"),
            some("vp")
        ]
    );
    let fired: Vec<String> = crm
        .events_since(0, 10_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.event_type == "RecordAssigned")
        .map(|e| e.payload["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fired, ["germany", "rest", "rest", "rest"]);
    // a rep's capture is routed too, by the same rules
    let rep2 = crm.as_user("rep2").unwrap();
    let by_rep = rep2
        .capture_lead(
            &LeadInput::new()
                .with(LeadField::LastName, "f")
                .with(LeadField::Email, "f@example.com"),
            now(),
        )
        .unwrap();
    assert_eq!(by_rep.lead.data.owner, some("rep2"));
    // cases go to the member of the pool with the fewest open cases
    crm.set_assignment_rule(
        rule(
            "desk",
            EntityKind::Case,
            0,
            vec![],
            Assignee::LeastLoaded {
                name: "pool".into(),
            },
        ),
        now(),
    )
    .unwrap();
    let case = |owner: Option<&str>| {
        crm.open_case(
            NewCase {
                custom: Default::default(),
                subject: "It stopped".into(),
                description: "It stopped".into(),
                channel: CaseChannel::Phone,
                category: CaseCategory::Incident,
                priority: CasePriority::High,
                account: None,
                contact: None,
                asset: None,
                contract: None,
                owner: owner.map(Into::into),
                queue: None,
                product: None,
                language: None,
            },
            now(),
        )
        .unwrap()
        .owner
    };
    assert_eq!(case(Some("rep1")), some("rep1"));
    assert_eq!(case(None), some("rep2"));
    assert_eq!(case(None), some("rep1"));
    assert_eq!(crm.assignment_rules().unwrap().len(), 3);
    crm.remove_assignment_rule("desk", now()).unwrap();
    assert_eq!(case(None), None);
}

fn records_of_records_follow_their_parent<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    crm.set_permission_set(
        PermissionSetSpec {
            name: "service".into(),
            objects: vec![
                perm(EntityKind::Account, false),
                perm(EntityKind::Asset, false),
                perm(EntityKind::Contract, false),
                perm(EntityKind::ServiceOrder, false),
            ],
            system: vec![],
        },
        now(),
    )
    .unwrap();
    crm.set_user(user("rep1", Some("east_rep"), &["service"]), now())
        .unwrap();
    // touchpoints follow the lead they were recorded on
    let l1 = lead(&crm, "Ada One", "Analytical Engines", Some("rep1"));
    let l2 = lead(&crm, "Bob Two", "Looms", Some("rep2"));
    for l in [l1, l2] {
        crm.record_touchpoint(
            NewTouchpoint {
                subject: RecordRef::Lead(l),
                at: now(),
                kind: TouchpointKind::AdClick,
                attribution: Default::default(),
            },
            now(),
        )
        .unwrap();
    }
    let rep1 = crm.as_user("rep1").unwrap();
    let all = crm.count_records(EntityKind::Touchpoint, &[]).unwrap();
    assert_eq!(all, 2);
    assert_eq!(
        rep1.touchpoints_of(RecordRef::Lead(l1)).unwrap().len(),
        1,
        "rep1 sees the touchpoints of their own lead"
    );
    assert!(rep1.touchpoints_of(RecordRef::Lead(l2)).unwrap().is_empty());
    assert_eq!(rep1.count_records(EntityKind::Touchpoint, &[]).unwrap(), 1);
    let other = crm.touchpoints_of(RecordRef::Lead(l2)).unwrap()[0].clone();
    let key = RecordKey::new(EntityKind::Touchpoint, other.id.get());
    assert_eq!(rep1.access_to(key).unwrap(), Level::NoAccess);
    assert_eq!(
        crm.as_user("rep2").unwrap().access_to(key).unwrap(),
        Level::Full
    );
    // reports count only what the user sees
    let report = rep1
        .marketing_report(Currency::parse("USD").unwrap(), &Default::default())
        .unwrap();
    assert_eq!(report.funnel.leads, 1);
    let whole = crm
        .marketing_report(Currency::parse("USD").unwrap(), &Default::default())
        .unwrap();
    assert_eq!(whole.funnel.leads, 2);
    // warranties follow their asset, which follows its account; service orders their account
    let mut assets = Vec::new();
    for (name, owner, serial) in [("Mine", "rep1", "SN-1"), ("Theirs", "rep2", "SN-2")] {
        let account = crm
            .create_account(
                NewAccount {
                    owner: Some(owner.into()),
                    ..NewAccount::named(name)
                },
                now(),
            )
            .unwrap();
        let asset = crm
            .register_asset(
                NewAsset {
                    serial_number: serial.into(),
                    product: "LOOM".into(),
                    account: account.id,
                    name: format!("{name} loom"),
                    installed_on: None,
                    location: None,
                    custom: Default::default(),
                },
                now(),
            )
            .unwrap();
        let day = now().date_naive();
        crm.add_warranty(asset.id, day, day + chrono::Days::new(365), "parts", now())
            .unwrap();
        let order = crm
            .create_service_order(
                NewServiceOrder {
                    work: "Service the loom".into(),
                    skills: vec![],
                    duration_minutes: 60,
                    earliest_start: now(),
                    due_by: None,
                    priority: CasePriority::Normal,
                    account: Some(account.id),
                    asset: Some(asset.id),
                    case: None,
                },
                now(),
            )
            .unwrap();
        assets.push((asset, order));
    }
    let rep1 = crm.as_user("rep1").unwrap();
    assert_eq!(crm.count_records(EntityKind::Warranty, &[]).unwrap(), 2);
    assert_eq!(rep1.count_records(EntityKind::Warranty, &[]).unwrap(), 1);
    let day = now().date_naive();
    assert_eq!(
        rep1.coverage(assets[0].0.id, day).unwrap().warranties.len(),
        1
    );
    forbidden(rep1.coverage(assets[1].0.id, day), "read");
    rep1.service_order(assets[0].1.id).unwrap();
    forbidden(rep1.service_order(assets[1].1.id), "read");
    forbidden(rep1.cancel_service_order(assets[1].1.id, now()), "read");
    // the events of what the user cannot see are left out too
    let warranty_events = |c: &Crm<S>| {
        c.events_since(0, 10_000)
            .unwrap()
            .iter()
            .filter(|e| e.aggregate == EntityKind::Warranty)
            .count()
    };
    assert_eq!(warranty_events(&crm), 2);
    assert_eq!(warranty_events(&rep1), 1);
}

on_both_stores!(
    records_of_records_follow_their_parent,
    new_leads_and_cases_are_routed,
    owner_texts_migrate_to_users_and_teams,
    owners_managers_and_teams_see_their_leads,
    sharing_rules_and_manual_shares_open_records,
    accounts_imply_contacts_and_fields_are_guarded,
    permissions_gate_kinds_and_system_use_cases
);

/// Every use case reads and writes through `Crm::read` / `Crm::write`, which apply the
/// handle's user's rules: none goes to the store behind them.
#[test]
fn no_use_case_reads_the_store_behind_the_rules() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crm-core/src"),
        &mut files,
    );
    assert!(files.len() > 50);
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let squeezed: String = text.split_whitespace().collect();
        for call in ["store().read(", "store().write("] {
            if squeezed.contains(call) {
                found.push(format!("{}: {call}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:?}");
}

/// Two instances of an app on one database: a change to access control made through one
/// is enforced by the other at its next use case, although its policy was cached.
#[test]
fn another_instances_access_changes_apply_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let open = || {
        Crm::new(
            crm::SqliteStore::open(&path).unwrap(),
            Region::parse("DE").unwrap(),
        )
    };
    let (a, b) = (open(), open());
    set_up(&a);
    let l1 = lead(&a, "Ada One", "Analytical Engines", Some("rep2"));
    let rep1 = b.as_user("rep1").unwrap();
    forbidden(rep1.lead(l1), "read");
    a.set_org_default(EntityKind::Lead, OrgDefault::PublicRead, now())
        .unwrap();
    rep1.lead(l1).unwrap();
    a.set_user(
        UserSpec {
            active: false,
            ..user("rep1", Some("east_rep"), &[])
        },
        now(),
    )
    .unwrap();
    assert!(matches!(rep1.lead(l1), Err(Error::Forbidden { .. })));
}
