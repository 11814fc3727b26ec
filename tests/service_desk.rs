//! The service desk end to end through the facade, on MemoryStore and on SqliteStore:
//! installed base and coverage, cases under contract with SLA states and alerts raised
//! once, technicians and scheduling, planned maintenance, and knowledge-base search kept
//! current through the event log.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use crm::customer::NewAccount;
use crm::event::DomainEvent;
use crm::service::field::Unplaced;
use crm::service::knowledge::SearchFilter;
use crm::service::{
    ArticleChange, ArticleContent, ArticleStatus, BusinessCalendar, CaseCategory, CaseChannel,
    CaseComment, CasePriority, CaseStatus, CommentAuthor, Entitlement, MetricRule, NewAsset,
    NewCase, NewContract, NewMaintenancePlan, NewServiceOrder, NewTechnician, RecurrenceUnit,
    SlaFilter, SlaMetric, SlaPolicy, SlaState, SlaTarget, WorkingInterval,
};
use crm::store::Store;
use crm::{Crm, Region};
use rust_decimal::Decimal;

/// Monday 23 November 2026, 08:00 UTC = 09:00 in Berlin.
fn t(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2026, 11, day, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn office() -> BusinessCalendar {
    let hm = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let intervals = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
    .into_iter()
    .map(|weekday| WorkingInterval {
        weekday,
        start: hm(9),
        end: hm(17),
    })
    .collect();
    BusinessCalendar::new(chrono_tz::Europe::Berlin, intervals, BTreeSet::new()).unwrap()
}

fn rule(metric: SlaMetric, minutes: u32) -> MetricRule {
    MetricRule {
        metric,
        conditions: None,
        targets: vec![SlaTarget {
            priority: CasePriority::High,
            minutes,
            calendar: Some("Office".into()),
        }],
    }
}

fn desk<S: Store>(crm: Crm<S>) {
    let now = t(23, 9, 0);
    crm.define_calendar("Office", office(), now).unwrap();
    // An SLA policy naming an undefined calendar is refused.
    let mut bad = SlaPolicy {
        name: "gold".into(),
        position: 0,
        applies_to: SlaFilter::default(),
        warning_percent: 75,
        metrics: vec![rule(SlaMetric::FirstResponse, 60)],
    };
    bad.metrics[0].targets[0].calendar = Some("nowhere".into());
    assert_eq!(
        crm.define_sla_policy(bad, now).unwrap_err().code(),
        "not_found"
    );
    let gold = SlaPolicy {
        name: "gold".into(),
        position: 0,
        applies_to: SlaFilter {
            under_contract: Some(true),
            ..Default::default()
        },
        warning_percent: 75,
        metrics: vec![
            rule(SlaMetric::FirstResponse, 60),
            rule(SlaMetric::Resolution, 240),
        ],
    };
    crm.define_sla_policy(gold, now).unwrap();
    let standard = SlaPolicy {
        name: "standard".into(),
        position: 10,
        applies_to: SlaFilter::default(),
        warning_percent: 80,
        metrics: vec![rule(SlaMetric::FirstResponse, 240)],
    };
    crm.define_sla_policy(standard, now).unwrap();
    assert_eq!(
        crm.sla_policies()
            .unwrap()
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["gold", "standard"]
    );

    // Installed base, warranty, contract.
    let acme = crm.create_account(NewAccount::named("Acme"), now).unwrap();
    let other = crm.create_account(NewAccount::named("Other"), now).unwrap();
    let asset_input = |serial: &str, account| NewAsset {
        custom: Default::default(),
        serial_number: serial.into(),
        product: "PRN-9".into(),
        account,
        name: String::new(),
        installed_on: Some(d(1, 10)),
        location: Some("Floor 2".into()),
    };
    let printer = crm
        .register_asset(asset_input("SN-100", acme.id), now)
        .unwrap();
    assert_eq!(
        crm.register_asset(asset_input(" sn-100 ", acme.id), now)
            .unwrap_err()
            .code(),
        "duplicate"
    );
    let theirs = crm
        .register_asset(asset_input("SN-200", other.id), now)
        .unwrap();
    crm.add_warranty(
        printer.id,
        d(1, 10),
        d(1, 9) + Duration::days(365),
        "parts",
        now,
    )
    .unwrap();
    assert_eq!(
        crm.add_warranty(printer.id, d(5, 1), d(4, 1), "parts", now)
            .unwrap_err()
            .code(),
        "validation_failed"
    );
    let contract = crm
        .create_contract(
            NewContract {
                custom: Default::default(),
                name: "Gold 2026".into(),
                account: acme.id,
                starts_on: d(1, 1),
                ends_on: d(12, 31),
                assets: vec![],
                products: vec!["PRN-9".into()],
                entitlement: Entitlement {
                    cases: Some(2),
                    hours: Some(Decimal::new(10, 0)),
                },
                sla_policy: None,
                value: None,
            },
            now,
        )
        .unwrap();
    assert_eq!(
        crm.create_contract(
            NewContract {
                custom: Default::default(),
                name: "Wrong".into(),
                account: acme.id,
                starts_on: d(1, 1),
                ends_on: d(12, 31),
                assets: vec![theirs.id],
                products: vec![],
                entitlement: Entitlement::default(),
                sla_policy: None,
                value: None,
            },
            now
        )
        .unwrap_err()
        .code(),
        "validation_failed"
    );
    let cov = crm.coverage(printer.id, d(11, 23)).unwrap();
    assert!(cov.covered);
    assert_eq!(cov.warranties.len(), 1);
    assert_eq!(cov.contracts[0].contract.id, contract.id);
    assert_eq!(cov.contracts[0].cases_left, Some(2));
    assert!(!crm.coverage(theirs.id, d(11, 23)).unwrap().covered);

    // A case on the printer: account and contract are found from the asset.
    let new_case = |subject: &str, asset| NewCase {
        custom: Default::default(),
        subject: subject.into(),
        description: "It stopped".into(),
        channel: CaseChannel::Phone,
        category: CaseCategory::Incident,
        priority: CasePriority::High,
        account: None,
        contact: None,
        asset,
        contract: None,
        owner: Some("sam".into()),
        queue: None,
        product: None,
        language: None,
    };
    let case = crm
        .open_case(new_case("Printer down", Some(printer.id)), now)
        .unwrap();
    assert_eq!(case.account, Some(acme.id));
    assert_eq!(case.contract, Some(contract.id));
    assert!(case.number.as_str().starts_with("CASE-2026-"));
    assert_eq!(
        crm.case_by_number(case.number.as_str()).unwrap().id,
        case.id
    );
    assert_eq!(crm.contract(contract.id).unwrap().cases_used, 1);
    assert_eq!(
        crm.case_by_number("TICKET-1").unwrap_err().code(),
        "invalid_value"
    );
    // A case on another account's asset, for this account, is refused and uses nothing.
    let mut wrong = new_case("Mixed up", Some(theirs.id));
    wrong.account = Some(acme.id);
    assert_eq!(
        crm.open_case(wrong, now).unwrap_err().code(),
        "validation_failed"
    );
    // A case without contract falls under "standard".
    let plain = crm.open_case(new_case("Question", None), now).unwrap();
    assert_eq!(
        crm.case_sla(plain.id, now).unwrap().policy.as_deref(),
        Some("standard")
    );

    // SLA: gold first response 60 min, resolution 240 min on office hours.
    let sla = crm.case_sla(case.id, t(23, 9, 50)).unwrap();
    assert_eq!(sla.policy.as_deref(), Some("gold"));
    assert_eq!(sla.metrics[0].state, SlaState::Warning);
    assert_eq!(
        sla.metrics[0].ongoing.as_ref().unwrap().due_at,
        Some(t(23, 10, 0))
    );
    let alerts = crm.check_slas(t(23, 9, 50)).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].alert.key(), "first_response/0/warning");
    // Checking again raises nothing new; the breach is raised once when it happens.
    assert!(crm.check_slas(t(23, 9, 55)).unwrap().is_empty());
    let breached = crm.check_slas(t(23, 10, 30)).unwrap();
    assert_eq!(
        breached.iter().map(|a| a.alert.key()).collect::<Vec<_>>(),
        ["first_response/0/breached"]
    );
    assert!(crm.check_slas(t(23, 10, 31)).unwrap().is_empty());
    // The breach is in the case's history, dated when it was found (churn features
    // count breaches as of an instant from it).
    let history = crm.case(case.id).unwrap().history;
    let breaches: Vec<_> = history
        .iter()
        .filter(|h| matches!(h.change, crm::service::case::CaseChange::SlaBreached { .. }))
        .map(|h| h.at)
        .collect();
    assert_eq!(breaches, [t(23, 10, 30)]);
    // Agent reply, pending customer (resolution paused), customer reply, resolve.
    let comment = |author, at| CaseComment {
        author,
        name: "x".into(),
        public: true,
        body: "…".into(),
        at,
    };
    crm.comment_on_case(case.id, comment(CommentAuthor::Agent, t(23, 11, 0)))
        .unwrap();
    crm.set_case_status(case.id, CaseStatus::PendingCustomer, t(23, 11, 0))
        .unwrap();
    let c = crm
        .comment_on_case(case.id, comment(CommentAuthor::Customer, t(24, 9, 0)))
        .unwrap();
    assert_eq!(c.status, CaseStatus::Open);
    // Resolution: Mon 9:00–11:00 (120) + Tue 9:00–10:00 (60) = 180 of 240.
    let sla = crm.case_sla(case.id, t(24, 10, 0)).unwrap();
    let res = sla.metrics[1].ongoing.as_ref().unwrap();
    assert_eq!(res.elapsed_seconds, 180 * 60);
    assert_eq!(res.due_at, Some(t(24, 11, 0)));
    crm.set_case_status(case.id, CaseStatus::Resolved, t(24, 10, 30))
        .unwrap();
    let sla = crm.case_sla(case.id, t(24, 12, 0)).unwrap();
    assert_eq!(sla.metrics[1].state, SlaState::Met);
    assert_eq!(sla.state, SlaState::Breached); // the first response was late
    assert_eq!(
        crm.set_case_status(case.id, CaseStatus::Open, t(24, 12, 0))
            .unwrap_err()
            .code(),
        "illegal_transition"
    );
    crm.set_case_status(case.id, CaseStatus::Closed, t(24, 12, 0))
        .unwrap();
    assert!(crm.active_cases().unwrap().iter().all(|c| c.id != case.id));
    let report = crm.sla_report(t(24, 12, 0)).unwrap();
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].case, plain.id);

    // Technicians and scheduling.
    let tech = |name: &str, skills: &[&str]| NewTechnician {
        name: name.into(),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        calendar: "office".into(),
    };
    let mut no_cal = tech("Nobody", &[]);
    no_cal.calendar = "mars".into();
    assert_eq!(
        crm.define_technician(no_cal, now).unwrap_err().code(),
        "not_found"
    );
    let ann = crm
        .define_technician(tech("Ann", &["printers"]), now)
        .unwrap();
    let order = |work: &str, skills: &[&str], minutes| NewServiceOrder {
        work: work.into(),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        duration_minutes: minutes,
        earliest_start: t(25, 9, 0),
        due_by: None,
        priority: CasePriority::Normal,
        account: Some(acme.id),
        asset: Some(printer.id),
        case: None,
    };
    let o1 = crm
        .create_service_order(order("Replace fuser", &["printers"], 120), now)
        .unwrap();
    let o2 = crm
        .create_service_order(order("Rewire", &["electrical"], 60), now)
        .unwrap();
    let o3 = crm
        .create_service_order(order("Clean", &["PRINTERS"], 120), now)
        .unwrap();
    let mut bad_order = order("", &[], 0);
    bad_order.due_by = Some(t(24, 9, 0));
    match crm.create_service_order(bad_order, now).unwrap_err() {
        crm::Error::Validation { problems } => assert_eq!(problems.len(), 3),
        e => panic!("{e}"),
    }
    let plan = crm
        .schedule_service_orders(t(25, 0, 0), t(28, 0, 0), now)
        .unwrap();
    let placed: Vec<_> = plan
        .placed
        .iter()
        .map(|(o, a)| (*o, a.technician, a.start, a.end))
        .collect();
    assert_eq!(
        placed,
        vec![
            (o1.id, ann.id, t(25, 9, 0), t(25, 11, 0)),
            (o3.id, ann.id, t(25, 11, 0), t(25, 13, 0)),
        ]
    );
    assert!(
        matches!(plan.unplaced[..], [Unplaced::NoQualifiedTechnician { order, .. }] if order == o2.id)
    );
    // Scheduling again keeps the bookings and places nothing twice.
    assert!(
        crm.schedule_service_orders(t(25, 0, 0), t(28, 0, 0), now)
            .unwrap()
            .placed
            .is_empty()
    );
    assert_eq!(crm.orders_of_technician(ann.id).unwrap().len(), 2);
    // Completing counts hours against the covering contract.
    crm.complete_service_order(o1.id, Decimal::new(25, 1), now)
        .unwrap();
    assert_eq!(
        crm.contract(contract.id).unwrap().hours_used,
        Decimal::new(25, 1)
    );
    assert_eq!(
        crm.complete_service_order(o1.id, Decimal::ONE, now)
            .unwrap_err()
            .code(),
        "illegal_transition"
    );

    // Planned maintenance: quarterly from 1 December, each visit generated once.
    crm.define_maintenance_plan(
        NewMaintenancePlan {
            asset: printer.id,
            work: "Quarterly service".into(),
            skills: vec!["printers".into()],
            duration_minutes: 90,
            every: 3,
            unit: RecurrenceUnit::Months,
            first_due: d(12, 1),
            until: None,
            window_days: 13,
        },
        now,
    )
    .unwrap();
    let generated = crm
        .generate_maintenance_orders(NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(), now)
        .unwrap();
    let days: Vec<String> = generated
        .iter()
        .map(|o| o.earliest_start.date_naive().to_string())
        .collect();
    assert_eq!(days, ["2026-12-01", "2027-03-01", "2027-06-01"]);
    assert!(generated.iter().all(|o| o.account == Some(acme.id)));
    assert!(
        crm.generate_maintenance_orders(NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(), now)
            .unwrap()
            .is_empty()
    );

    // Knowledge base: search sees new, changed and archived articles.
    let article = |title: &str, body: &str| ArticleContent {
        title: title.into(),
        body: body.into(),
        tags: vec!["printer".into()],
        products: vec!["PRN-9".into()],
    };
    let jam = crm
        .write_article(
            article("Clearing a paper jam", "Open tray 2."),
            ArticleStatus::Published,
            now,
        )
        .unwrap();
    crm.write_article(
        article("Fuser replacement", "Let it cool."),
        ArticleStatus::Draft,
        now,
    )
    .unwrap();
    let any = SearchFilter::default();
    let hits = crm.search_articles("paper jam", &any, 5).unwrap();
    assert_eq!(hits.iter().map(|h| h.article).collect::<Vec<_>>(), [jam.id]);
    assert!(crm.search_articles("fuser", &any, 5).unwrap().is_empty());
    let fuser = crm
        .write_article(
            article("Fuser error E5", "Replace the fuser unit."),
            ArticleStatus::Published,
            now,
        )
        .unwrap();
    assert_eq!(
        crm.search_articles("fuser", &any, 5).unwrap()[0].article,
        fuser.id
    );
    crm.update_article(
        jam.id,
        ArticleChange {
            status: Some(ArticleStatus::Archived),
            ..Default::default()
        },
        now,
    )
    .unwrap();
    assert!(crm.search_articles("jam", &any, 5).unwrap().is_empty());
    let emptied = ArticleChange {
        title: Some(" ".into()),
        ..Default::default()
    };
    assert_eq!(
        crm.update_article(fuser.id, emptied, now)
            .unwrap_err()
            .code(),
        "validation_failed"
    );
    assert_eq!(
        crm.article(fuser.id).unwrap().content.title,
        "Fuser error E5"
    );
    assert_eq!(
        crm.write_article(article(" ", ""), ArticleStatus::Draft, now)
            .unwrap_err()
            .code(),
        "validation_failed"
    );

    // Every change left its event.
    let types: BTreeSet<String> = crm
        .events_since(0, usize::MAX)
        .unwrap()
        .iter()
        .map(|e| e.event_type.clone())
        .collect();
    for ty in [
        "CalendarDefined",
        "SlaPolicyDefined",
        "AssetRegistered",
        "WarrantyAdded",
        "ContractCreated",
        "CaseOpened",
        "CaseCommented",
        "CaseStatusChanged",
        "SlaWarning",
        "SlaBreached",
        "TechnicianDefined",
        "ServiceOrderCreated",
        "ServiceOrderScheduled",
        "ServiceOrderCompleted",
        "MaintenancePlanDefined",
        "ArticleSaved",
    ] {
        assert!(types.contains(ty), "{ty} missing");
    }
    let breach = crm
        .events_since(0, usize::MAX)
        .unwrap()
        .into_iter()
        .find(|e| e.event_type == "SlaBreached")
        .unwrap();
    assert!(matches!(
        breach.decode().unwrap(),
        DomainEvent::SlaBreached { case: c, .. } if c == case.id
    ));
}

#[test]
fn service_desk_on_memory() {
    desk(Crm::new(
        crm::store::MemoryStore::new(),
        Region::parse("DE").unwrap(),
    ));
}

#[test]
fn service_desk_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = crm::SqliteStore::open(dir.path().join("crm.db")).unwrap();
    desk(Crm::new(store, Region::parse("DE").unwrap()));
}
