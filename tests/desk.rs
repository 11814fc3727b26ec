//! Service desk operations on every store: queues and agents, routing rules that file new
//! cases by channel, product, tier, language, keywords and entitlement and pick a skilled
//! agent in turn or by load; assignment, transfer and the queues' worklists; escalation
//! rules on SLA warnings, breaches and age; each change in the case's history and the
//! event log. An account's service overview and the renewal opportunities of contracts
//! about to end. Satisfaction surveys: CSAT after a solved case, NPS per account, answered
//! once by token, and their reports.

#[macro_use]
mod both_stores;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use crm::crm::installed_cases::RenewalSpec;
use crm::customer::NewAccount;
use crm::event::DomainEvent;
use crm::id::RecordRef;
use crm::outbox::DeliveryStatus;
use crm::sales::Pipeline;
use crm::service::desk::{AgentSpec, QueueSpec, QueueStrategy, RouteCondition, RoutingRuleSpec};
use crm::service::escalation::{
    AlertLevel, EscalationAction, EscalationRuleSpec, EscalationTrigger,
};
use crm::service::installed::Entitlement;
use crm::service::overview::ContractState;
use crm::service::survey::SatisfactionBy;
use crm::service::{
    CaseCategory, CaseChange, CaseChannel, CasePriority, CaseStatus, MetricRule, NewAsset, NewCase,
    NewContract, SlaFilter, SlaMetric, SlaPolicy, SlaTarget,
};
use crm::store::{MemoryStore, Store};
use crm::{Crm, Region};
use crm::{Currency, Money};
use rust_decimal::Decimal;

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn case(subject: &str, channel: CaseChannel) -> NewCase {
    NewCase {
        subject: subject.into(),
        description: String::new(),
        channel,
        category: CaseCategory::Incident,
        priority: CasePriority::Normal,
        account: None,
        contact: None,
        asset: None,
        contract: None,
        owner: None,
        queue: None,
        product: None,
        language: None,
        custom: Default::default(),
    }
}

fn agent(login: &str, skills: &[&str], languages: &[&str], capacity: Option<u32>) -> AgentSpec {
    AgentSpec {
        login: login.into(),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        languages: languages.iter().map(|s| s.to_string()).collect(),
        available: true,
        capacity,
    }
}

fn set_up<S: Store>(crm: &Crm<S>) {
    crm.define_queue(
        QueueSpec {
            name: "Hydraulics".into(),
            description: "Pumps and presses".into(),
            members: vec!["ann".into(), "bob".into(), "cy".into()],
            strategy: QueueStrategy::RoundRobin,
        },
        t(0),
    )
    .unwrap();
    crm.define_queue(
        QueueSpec {
            name: "General".into(),
            description: String::new(),
            members: vec!["dora".into(), "eve".into()],
            strategy: QueueStrategy::LeastLoaded,
        },
        t(0),
    )
    .unwrap();
    crm.set_agent(agent("ann", &["pumps"], &["en"], None), t(0))
        .unwrap();
    crm.set_agent(
        agent("bob", &["pumps", "presses"], &["en", "da"], Some(2)),
        t(0),
    )
    .unwrap();
    crm.set_agent(agent("cy", &["presses"], &["en", "de"], None), t(0))
        .unwrap();
    // gold accounts' pump cases, and anything in Danish about a press
    crm.define_routing_rule(
        RoutingRuleSpec {
            name: "Danish presses".into(),
            order: 1,
            when: vec![
                RouteCondition::Language {
                    any: vec!["da".into()],
                },
                RouteCondition::Keywords {
                    any: vec!["press".into(), "presse".into()],
                },
            ],
            queue: "hydraulics".into(),
            skills: vec!["Presses".into()],
            raise_to: None,
        },
        t(0),
    )
    .unwrap();
    crm.define_routing_rule(
        RoutingRuleSpec {
            name: "Gold pumps".into(),
            order: 2,
            when: vec![
                RouteCondition::AccountTier {
                    any: vec!["gold".into()],
                },
                RouteCondition::Product {
                    any: vec!["PUMP-7".into()],
                },
            ],
            queue: "Hydraulics".into(),
            skills: vec!["pumps".into()],
            raise_to: Some(CasePriority::High),
        },
        t(0),
    )
    .unwrap();
    crm.define_routing_rule(
        RoutingRuleSpec {
            name: "Everything else".into(),
            order: 9,
            when: vec![],
            queue: "general".into(),
            skills: vec![],
            raise_to: None,
        },
        t(0),
    )
    .unwrap();
}

fn routing<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    let gold = crm
        .create_account(
            NewAccount {
                name: "Gold GmbH".into(),
                tier: Some(" Gold ".into()),
                ..Default::default()
            },
            t(0),
        )
        .unwrap();
    assert_eq!(gold.tier.as_deref(), Some("gold"));
    let pump = crm
        .register_asset(
            NewAsset {
                serial_number: "P-1".into(),
                product: "PUMP-7".into(),
                account: gold.id,
                name: "Pump".into(),
                installed_on: None,
                location: None,
                custom: Default::default(),
            },
            t(0),
        )
        .unwrap();

    // A gold account's pump (the product read from the asset): to hydraulics, raised to
    // high, to the first member with the skill in turn (ann).
    let c1 = crm
        .open_case(
            NewCase {
                asset: Some(pump.id),
                ..case("Pump leaking", CaseChannel::Phone)
            },
            t(1),
        )
        .unwrap();
    assert_eq!(c1.queue.as_deref(), Some("hydraulics"));
    assert_eq!(c1.owner.as_deref(), Some("ann"));
    assert_eq!(c1.priority, CasePriority::High);
    assert!(matches!(
        &c1.history.last().unwrap().change,
        CaseChange::Routed { by, .. } if by == "rule:gold pumps"
    ));
    // the next pump case goes to the next member with the skill (bob: cy lacks it)
    let c2 = crm
        .open_case(
            NewCase {
                account: Some(gold.id),
                product: Some("PUMP-7".into()),
                ..case("Pump noisy", CaseChannel::Email)
            },
            t(2),
        )
        .unwrap();
    assert_eq!(c2.owner.as_deref(), Some("bob"));
    // a Danish press case: only bob speaks Danish with the skill (and has room for one more)
    let c3 = crm
        .open_case(
            NewCase {
                language: Some("DA".into()),
                description: "Vores presse står stille".into(),
                ..case("Presse", CaseChannel::Email)
            },
            t(3),
        )
        .unwrap();
    assert_eq!(c3.language.as_deref(), Some("da"));
    assert_eq!(
        (c3.queue.as_deref(), c3.owner.as_deref()),
        (Some("hydraulics"), Some("bob"))
    );
    // bob is now at capacity (2): the next one waits in the queue
    let c4 = crm
        .open_case(
            NewCase {
                language: Some("da".into()),
                ..case("Press broken", CaseChannel::Web)
            },
            t(4),
        )
        .unwrap();
    assert_eq!(
        (c4.queue.as_deref(), c4.owner.as_deref()),
        (Some("hydraulics"), None)
    );
    // anything else: the general queue's least loaded member
    let c5 = crm
        .open_case(case("Invoice question", CaseChannel::Chat), t(5))
        .unwrap();
    assert_eq!(
        (c5.queue.as_deref(), c5.owner.as_deref()),
        (Some("general"), Some("dora"))
    );
    let c6 = crm
        .open_case(case("Another question", CaseChannel::Chat), t(6))
        .unwrap();
    assert_eq!(c6.owner.as_deref(), Some("eve"));
    // an owner given stays; a queue given gives out within it
    let c7 = crm
        .open_case(
            NewCase {
                owner: Some("zed".into()),
                ..case("Direct", CaseChannel::Phone)
            },
            t(7),
        )
        .unwrap();
    assert_eq!((c7.queue, c7.owner.as_deref()), (None, Some("zed")));
    let c8 = crm
        .open_case(
            NewCase {
                queue: Some("General".into()),
                ..case("Filed by hand", CaseChannel::Phone)
            },
            t(8),
        )
        .unwrap();
    assert_eq!(
        (c8.queue.as_deref(), c8.owner.as_deref()),
        (Some("general"), Some("dora"))
    );

    // The worklist: most urgent first, then oldest.
    let work: Vec<_> = crm
        .queue_cases("hydraulics")
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(work, vec![c1.id, c2.id, c3.id, c4.id]);

    // Assign, transfer, route again; each a history entry and an event.
    let c4 = crm.assign_case(c4.id, Some("cy".into()), t(10)).unwrap();
    assert_eq!(c4.owner.as_deref(), Some("cy"));
    let c4 = crm.transfer_case(c4.id, "General", t(11)).unwrap();
    assert_eq!(
        (c4.queue.as_deref(), c4.owner.as_deref()),
        (Some("general"), Some("eve"))
    );
    let c4 = crm.route_case(c4.id, t(12)).unwrap();
    assert_eq!(c4.queue.as_deref(), Some("hydraulics"));
    let routes: Vec<String> = c4
        .history
        .iter()
        .filter_map(|h| match &h.change {
            CaseChange::Routed { by, .. } => Some(by.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        routes,
        vec![
            "rule:danish presses",
            "assign",
            "transfer",
            "rule:danish presses"
        ]
    );
    let events = crm.events_since(0, 10_000).unwrap();
    let routed = events
        .iter()
        .filter(|e| matches!(e.decode().unwrap(), DomainEvent::CaseRouted { case, .. } if case == c4.id))
        .count();
    assert_eq!(routed, 4);
    // unassigned again: back to the queue without an owner
    let c4 = crm.assign_case(c4.id, None, t(13)).unwrap();
    assert_eq!(
        (c4.queue.as_deref(), c4.owner.as_deref()),
        (Some("hydraulics"), None)
    );
    // a solved case leaves the worklist
    crm.set_case_status(c1.id, CaseStatus::Resolved, t(14))
        .unwrap();
    assert!(
        !crm.queue_cases("hydraulics")
            .unwrap()
            .iter()
            .any(|c| c.id == c1.id)
    );
}

fn refusals<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    // unknown queues
    let err = crm
        .define_routing_rule(
            RoutingRuleSpec {
                name: "x".into(),
                order: 0,
                when: vec![],
                queue: "nowhere".into(),
                skills: vec![],
                raise_to: None,
            },
            t(0),
        )
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = crm
        .open_case(
            NewCase {
                queue: Some("nowhere".into()),
                ..case("x", CaseChannel::Phone)
            },
            t(1),
        )
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    // bad input: every problem at once
    let err = crm
        .define_routing_rule(
            RoutingRuleSpec {
                name: " ".into(),
                order: 0,
                when: vec![RouteCondition::Keywords { any: vec![] }],
                queue: "general".into(),
                skills: vec![" ".into()],
                raise_to: None,
            },
            t(0),
        )
        .unwrap_err();
    assert_eq!(err.code(), "validation_failed");
    assert!(
        err.to_string().contains("name") && err.to_string().contains("skills"),
        "{err}"
    );
    let err = crm
        .open_case(
            NewCase {
                language: Some("danish".into()),
                ..case("x", CaseChannel::Phone)
            },
            t(1),
        )
        .unwrap_err();
    assert_eq!(err.code(), "validation_failed");
    assert_eq!(
        crm.assign_case(crm::id::CaseId::new(999).unwrap(), None, t(1))
            .unwrap_err()
            .code(),
        "not_found"
    );
    // a queue in use cannot go
    assert_eq!(
        crm.remove_queue("general", t(2)).unwrap_err().code(),
        "in_use"
    );
    crm.remove_routing_rule("everything else", t(2)).unwrap();
    let removed = crm.remove_queue("General", t(2)).unwrap();
    assert_eq!(removed.name, "general");
    assert_eq!(crm.queues().unwrap().len(), 1);
    assert_eq!(crm.routing_rules().unwrap().len(), 2);
    assert_eq!(
        crm.agents()
            .unwrap()
            .iter()
            .map(|a| a.login.as_str())
            .collect::<Vec<_>>(),
        vec!["ann", "bob", "cy"]
    );
    // redefining keeps the id (and the turn)
    let before = crm.queues().unwrap()[0].clone();
    let after = crm
        .define_queue(
            QueueSpec {
                name: "HYDRAULICS".into(),
                description: String::new(),
                members: vec!["ann".into()],
                strategy: QueueStrategy::Manual,
            },
            t(3),
        )
        .unwrap();
    assert_eq!((after.id, after.turn), (before.id, before.turn));
    // a manual queue gives nothing out
    let c = crm
        .open_case(
            NewCase {
                queue: Some("hydraulics".into()),
                ..case("x", CaseChannel::Phone)
            },
            t(4),
        )
        .unwrap();
    assert_eq!(c.owner, None);
}

fn escalation<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    let target = |priority, minutes| SlaTarget {
        priority,
        minutes,
        calendar: None,
    };
    crm.define_sla_policy(
        SlaPolicy {
            name: "standard".into(),
            position: 0,
            applies_to: SlaFilter::default(),
            warning_percent: 50,
            metrics: vec![MetricRule {
                metric: SlaMetric::FirstResponse,
                conditions: None,
                targets: vec![
                    target(CasePriority::Normal, 60),
                    target(CasePriority::Urgent, 60),
                ],
            }],
        },
        t(0),
    )
    .unwrap();
    crm.define_escalation_rule(
        EscalationRuleSpec {
            name: "First response at risk".into(),
            on: EscalationTrigger::Sla {
                level: AlertLevel::Warning,
                metric: Some(SlaMetric::FirstResponse),
            },
            when: vec![],
            actions: vec![
                EscalationAction::Notify {
                    to: vec!["lead@desk.example.com".into()],
                    message: "{{number}} ({{subject}}): {{trigger}}".into(),
                },
                EscalationAction::OpenTask {
                    title: "Call the customer back".into(),
                    owner: None,
                    due_in_minutes: 30,
                },
            ],
        },
        t(0),
    )
    .unwrap();
    crm.define_escalation_rule(
        EscalationRuleSpec {
            name: "Breached".into(),
            on: EscalationTrigger::Sla {
                level: AlertLevel::Breached,
                metric: None,
            },
            when: vec![RouteCondition::Channel {
                any: vec![CaseChannel::Chat],
            }],
            actions: vec![
                EscalationAction::RaisePriority {
                    to: CasePriority::Urgent,
                },
                EscalationAction::Transfer {
                    queue: "Hydraulics".into(),
                },
            ],
        },
        t(0),
    )
    .unwrap();
    crm.define_escalation_rule(
        EscalationRuleSpec {
            name: "Two hours old".into(),
            on: EscalationTrigger::Age { hours: 2 },
            when: vec![],
            actions: vec![EscalationAction::Assign {
                owner: "boss".into(),
            }],
        },
        t(0),
    )
    .unwrap();
    let c = crm
        .open_case(case("Invoice question", CaseChannel::Chat), t(0))
        .unwrap();
    assert_eq!(c.owner.as_deref(), Some("dora"));

    // Half the first-response target gone: a warning, a notification and a task.
    let raised = crm.check_slas(t(35)).unwrap();
    assert_eq!(raised.len(), 1);
    let notes = crm.deliveries(DeliveryStatus::Pending).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].target, "notification");
    assert_eq!(
        notes[0].payload["message"],
        format!("{} (Invoice question): first_response/0/warning", c.number)
    );
    assert_eq!(notes[0].payload["to"][0], "lead@desk.example.com");
    let tasks = crm.activities_of(RecordRef::Case(c.id)).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].owner.as_deref(), Some("dora"));
    assert_eq!(tasks[0].due_at, Some(t(65)));
    assert!(tasks[0].title.contains(c.number.as_str()));
    // checked again: nothing fires twice
    assert!(crm.check_slas(t(40)).unwrap().is_empty());
    assert_eq!(crm.deliveries(DeliveryStatus::Pending).unwrap().len(), 1);
    assert_eq!(crm.activities_of(RecordRef::Case(c.id)).unwrap().len(), 1);

    // Breached: raised to urgent and moved to hydraulics (ann's turn).
    crm.check_slas(t(61)).unwrap();
    let now = crm.case(c.id).unwrap();
    assert_eq!(now.priority, CasePriority::Urgent);
    assert_eq!(
        (now.queue.as_deref(), now.owner.as_deref()),
        (Some("hydraulics"), Some("ann"))
    );
    // Two hours old: to the boss, still in the queue.
    crm.check_slas(t(121)).unwrap();
    crm.check_slas(t(122)).unwrap();
    let now = crm.case(c.id).unwrap();
    assert_eq!(
        (now.queue.as_deref(), now.owner.as_deref()),
        (Some("hydraulics"), Some("boss"))
    );
    let fired: Vec<(String, String)> = now
        .history
        .iter()
        .filter_map(|h| match &h.change {
            CaseChange::Escalated { rule, trigger } => Some((rule.clone(), trigger.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        fired,
        vec![
            (
                "first response at risk".into(),
                "first_response/0/warning".into()
            ),
            ("breached".into(), "first_response/0/breached".into()),
            ("two hours old".into(), "age".into()),
        ]
    );
    let escalated = crm
        .events_since(0, 10_000)
        .unwrap()
        .iter()
        .filter(|e| matches!(e.decode().unwrap(), DomainEvent::CaseEscalated { .. }))
        .count();
    assert_eq!(escalated, 3);
    // A rule's condition keeps it from cases it does not fit: a phone case is not moved.
    let p = crm
        .open_case(case("Phone call", CaseChannel::Phone), t(130))
        .unwrap();
    crm.check_slas(t(200)).unwrap();
    let p = crm.case(p.id).unwrap();
    assert_eq!(p.priority, CasePriority::Normal);
    assert_eq!(p.queue.as_deref(), Some("general"));

    // Set-up errors.
    let bad = |actions| EscalationRuleSpec {
        name: "bad".into(),
        on: EscalationTrigger::Age { hours: 1 },
        when: vec![],
        actions,
    };
    assert_eq!(
        crm.define_escalation_rule(
            bad(vec![EscalationAction::Transfer {
                queue: "nowhere".into()
            }]),
            t(0)
        )
        .unwrap_err()
        .code(),
        "not_found"
    );
    assert_eq!(
        crm.define_escalation_rule(bad(vec![]), t(0))
            .unwrap_err()
            .code(),
        "validation_failed"
    );
    assert_eq!(
        crm.escalation_rules()
            .unwrap()
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        vec!["breached", "first response at risk", "two hours old"]
    );
    crm.remove_escalation_rule("Breached", t(300)).unwrap();
    assert_eq!(
        crm.remove_escalation_rule("breached", t(300))
            .unwrap_err()
            .code(),
        "not_found"
    );
}

fn renewals<S: Store>(crm: Crm<S>) {
    let eur = |v: i64| Money::new(Decimal::from(v), Currency::parse("EUR").unwrap());
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let pipeline = crm
        .define_pipeline("Renewals", Pipeline::default_stages(), t(0))
        .unwrap();
    let acme = crm
        .create_account(
            NewAccount {
                name: "Acme".into(),
                owner: Some("kim".into()),
                ..Default::default()
            },
            t(0),
        )
        .unwrap();
    let printer = crm
        .register_asset(
            NewAsset {
                serial_number: "PR-1".into(),
                product: "PRN-9".into(),
                account: acme.id,
                name: "Printer".into(),
                installed_on: None,
                location: None,
                custom: Default::default(),
            },
            t(0),
        )
        .unwrap();
    crm.add_warranty(printer.id, day(1, 1), day(12, 31), "Parts", t(0))
        .unwrap();
    let contract = |name: &str, starts: NaiveDate, ends: NaiveDate, value: Option<Money>| {
        crm.create_contract(
            NewContract {
                name: name.into(),
                account: acme.id,
                starts_on: starts,
                ends_on: ends,
                assets: vec![],
                products: vec!["PRN-9".into()],
                entitlement: Entitlement {
                    cases: Some(3),
                    hours: None,
                },
                sla_policy: None,
                value,
                custom: Default::default(),
            },
            t(0),
        )
        .unwrap()
    };
    let ending = contract("Gold 2026", day(1, 1), day(12, 20), Some(eur(4800)));
    let later = contract(
        "Silver 2026/27",
        day(6, 1),
        day(5, 31).with_year(2027).unwrap(),
        None,
    );
    let next = contract("Gold 2027", day(12, 21), day(12, 31), None);
    crm.cancel_contract(next.id, t(0)).unwrap();
    crm.open_case(
        NewCase {
            account: Some(acme.id),
            contract: Some(ending.id),
            ..case("Printer jam", CaseChannel::Phone)
        },
        t(1),
    )
    .unwrap();

    // The overview: contracts in force first (soonest to end), then the cancelled one;
    // the printer covered by its warranty and both contracts in force.
    let today = t(0).date_naive();
    let o = crm.service_overview(acme.id, today).unwrap();
    assert_eq!(o.name, "Acme");
    let states: Vec<(&str, ContractState)> = o
        .contracts
        .iter()
        .map(|c| (c.contract.name.as_str(), c.state))
        .collect();
    assert_eq!(
        states,
        vec![
            ("Gold 2026", ContractState::InForce),
            ("Silver 2026/27", ContractState::InForce),
            ("Gold 2027", ContractState::Cancelled),
        ]
    );
    assert_eq!(o.contracts[0].cases_left, Some(2), "one case used");
    assert_eq!(o.contracts[0].days_left, Some(27));
    assert_eq!(o.assets.len(), 1);
    assert!(o.assets[0].covered);
    assert_eq!(o.assets[0].warranties.len(), 1);
    assert_eq!(o.assets[0].contracts.len(), 2);
    assert_eq!(o.open_cases, 1);

    // Renewals: only the contract ending within 60 days; its value, its account's owner.
    let spec = RenewalSpec {
        days_before: 60,
        pipeline: pipeline.id,
        amount: None,
        owner: None,
    };
    let opened = crm.generate_renewals(spec.clone(), t(0)).unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].name, "Renewal: Gold 2026");
    assert_eq!(opened[0].amount, eur(4800));
    assert_eq!(opened[0].expected_close, day(12, 20));
    assert_eq!(opened[0].owner.as_deref(), Some("kim"));
    assert_eq!(crm.contract(ending.id).unwrap().renewal, Some(opened[0].id));
    // again: nothing twice
    assert!(
        crm.generate_renewals(spec.clone(), t(5))
            .unwrap()
            .is_empty()
    );
    // a wider window reaches the contract without a value: an amount is needed
    let wide = RenewalSpec {
        days_before: 400,
        ..spec
    };
    assert_eq!(
        crm.generate_renewals(wide.clone(), t(5))
            .unwrap_err()
            .code(),
        "invalid_value"
    );
    let opened = crm
        .generate_renewals(
            RenewalSpec {
                amount: Some(eur(1200)),
                owner: Some("lee".into()),
                ..wide
            },
            t(6),
        )
        .unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!(
        (opened[0].amount, opened[0].owner.as_deref()),
        (eur(1200), Some("lee"))
    );
    assert_eq!(later.renewal, None);
    let o = crm.service_overview(acme.id, today).unwrap();
    assert!(o.contracts[..2].iter().all(|c| c.renewal.is_some()));
    assert_eq!(
        crm.service_overview(crm::id::AccountId::new(999).unwrap(), today)
            .unwrap_err()
            .code(),
        "not_found"
    );
}

fn surveys<S: Store>(crm: Crm<S>) {
    set_up(&crm);
    let acme = crm.create_account(NewAccount::named("Acme"), t(0)).unwrap();
    // two chat cases (general: dora, then eve) and one pump case (hydraulics: ann)
    let solved = |subject: &str, product: Option<&str>, minute: i64| {
        let c = crm
            .open_case(
                NewCase {
                    account: Some(acme.id),
                    product: product.map(str::to_string),
                    ..case(subject, CaseChannel::Chat)
                },
                t(minute),
            )
            .unwrap();
        crm.set_case_status(c.id, CaseStatus::Resolved, t(minute + 30))
            .unwrap()
    };
    let c1 = solved("Invoice", None, 0);
    let c2 = solved("Login", None, 1);
    let open = crm
        .open_case(case("Still open", CaseChannel::Chat), t(2))
        .unwrap();
    assert_eq!(
        crm.send_csat_survey(open.id, 7, t(40)).unwrap_err().code(),
        "illegal_transition"
    );
    let s1 = crm.send_csat_survey(c1.id, 7, t(40)).unwrap();
    assert_eq!(s1.token.len(), 32);
    assert_eq!(
        (s1.agent.as_deref(), s1.queue.as_deref(), s1.account),
        (Some("dora"), Some("general"), Some(acme.id))
    );
    assert_eq!(
        crm.send_csat_survey(c1.id, 7, t(41)).unwrap_err().code(),
        "duplicate"
    );
    let s2 = crm.send_csat_survey(c2.id, 7, t(40)).unwrap();
    assert_ne!(s1.token, s2.token);
    assert_eq!(crm.survey(&s1.token).unwrap().id, s1.id);
    assert_eq!(crm.survey("nope").unwrap_err().code(), "not_found");

    // answers: on the scale, once, before expiry
    assert_eq!(
        crm.answer_survey(&s1.token, 6, None, t(50))
            .unwrap_err()
            .code(),
        "invalid_value"
    );
    let a1 = crm
        .answer_survey(&s1.token, 5, Some("  Quick and kind ".into()), t(50))
        .unwrap();
    assert_eq!(
        a1.response.as_ref().unwrap().comment.as_deref(),
        Some("Quick and kind")
    );
    assert_eq!(
        crm.answer_survey(&s1.token, 4, None, t(51))
            .unwrap_err()
            .code(),
        "duplicate"
    );
    let late = t(40) + Duration::days(8);
    assert_eq!(
        crm.answer_survey(&s2.token, 2, None, late)
            .unwrap_err()
            .code(),
        "invalid_value"
    );
    crm.answer_survey(&s2.token, 2, None, t(60)).unwrap();

    // NPS for the account: 10, 8, 3 and one unanswered → (1 − 1) / 3 = 0
    for score in [Some(10), Some(8), Some(3), None] {
        let s = crm.send_nps_survey(acme.id, None, 30, t(70)).unwrap();
        if let Some(score) = score {
            crm.answer_survey(&s.token, score, None, t(80)).unwrap();
        }
    }
    let nps = crm.nps_report(t(0), t(100)).unwrap();
    assert_eq!(
        (
            nps.sent,
            nps.answered,
            nps.promoters,
            nps.passives,
            nps.detractors
        ),
        (4, 3, 1, 1, 1)
    );
    assert_eq!(nps.score, Some(0.0));
    assert_eq!(
        crm.send_nps_survey(crm::id::AccountId::new(999).unwrap(), None, 30, t(70))
            .unwrap_err()
            .code(),
        "not_found"
    );

    // CSAT by agent and by queue
    let by_agent = crm
        .csat_report(t(0), t(100), SatisfactionBy::Agent)
        .unwrap();
    let rows: Vec<String> = by_agent
        .iter()
        .map(|r| {
            format!(
                "{} sent {} answered {} mean {:?} satisfied {:?}",
                r.group, r.sent, r.answered, r.average, r.satisfied
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            "dora sent 1 answered 1 mean Some(5.0) satisfied Some(1.0)",
            "eve sent 1 answered 1 mean Some(2.0) satisfied Some(0.0)",
        ]
    );
    let by_queue = crm
        .csat_report(t(0), t(100), SatisfactionBy::Queue)
        .unwrap();
    assert_eq!(by_queue.len(), 1);
    assert_eq!((by_queue[0].sent, by_queue[0].satisfied), (2, Some(0.5)));
    // outside the period: nothing
    assert!(
        crm.csat_report(t(100), t(200), SatisfactionBy::Product)
            .unwrap()
            .is_empty()
    );
}

on_both_stores!(routing, refusals, escalation, renewals, surveys);
