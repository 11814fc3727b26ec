//! A week at a support desk on the embedded SQLite store: the team's business calendar
//! (Berlin office hours with a lunch break and a holiday), SLA policies (gold for customers
//! under contract, standard otherwise), the installed base with a warranty and a contract,
//! cases worked against their SLA targets with alerts raised once, technicians scheduled
//! for service orders and planned maintenance, a queue with a routing rule that gives the
//! printer case to the agent who knows label printers, and answers from the knowledge base.
//!
//! `cargo run --example service_desk [path/to/crm.db]`

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use crm::customer::NewAccount;
use crm::service::desk::{AgentSpec, QueueSpec, QueueStrategy, RouteCondition, RoutingRuleSpec};
use crm::service::knowledge::SearchFilter;
use crm::service::{
    ArticleContent, ArticleStatus, BusinessCalendar, CaseCategory, CaseChannel, CaseComment,
    CasePriority, CaseStatus, CommentAuthor, Entitlement, MetricRule, NewAsset, NewCase,
    NewContract, NewMaintenancePlan, NewServiceOrder, NewTechnician, RecurrenceUnit, SlaFilter,
    SlaMetric, SlaPolicy, SlaTarget, WorkingInterval,
};
use crm::{Crm, Region, SqliteStore};
use rust_decimal::Decimal;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Berlin wall-clock time, November/December 2026.
fn at(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2026, month, day, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn berlin(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Berlin)
        .format("%a %d %b %H:%M")
        .to_string()
}

fn office() -> Res<BusinessCalendar> {
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let mut intervals = Vec::new();
    for weekday in [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ] {
        intervals.push(WorkingInterval {
            weekday,
            start: hm(9, 0),
            end: hm(12, 30),
        });
        intervals.push(WorkingInterval {
            weekday,
            start: hm(13, 30),
            end: hm(18, 0),
        });
    }
    let holidays: BTreeSet<NaiveDate> = [NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()].into();
    Ok(
        BusinessCalendar::new(chrono_tz::Europe::Berlin, intervals, holidays)?.with_exception(
            NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
            vec![(hm(9, 0), hm(12, 0))],
        )?,
    )
}

fn policy(
    name: &str,
    position: i32,
    filter: SlaFilter,
    targets: &[(SlaMetric, u32, u32)],
) -> SlaPolicy {
    SlaPolicy {
        name: name.into(),
        position,
        applies_to: filter,
        warning_percent: 75,
        metrics: targets
            .iter()
            .map(|&(metric, high, normal)| MetricRule {
                metric,
                conditions: None,
                targets: [(CasePriority::High, high), (CasePriority::Normal, normal)]
                    .into_iter()
                    .map(|(priority, minutes)| SlaTarget {
                        priority,
                        minutes,
                        calendar: Some("office".into()),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn main() -> Res<()> {
    let path = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("crm-service-desk.db"));
    let _ = std::fs::remove_file(&path);
    let crm = Crm::new(SqliteStore::open(&path)?, Region::parse("DE")?);
    let monday = at(11, 23, 8, 30);

    // The desk's calendar and policies.
    crm.define_calendar("office", office()?, monday)?;
    crm.define_sla_policy(
        policy(
            "gold",
            0,
            SlaFilter {
                under_contract: Some(true),
                ..Default::default()
            },
            &[
                (SlaMetric::FirstResponse, 30, 120),
                (SlaMetric::NextResponse, 60, 240),
                (SlaMetric::Resolution, 480, 1440),
            ],
        ),
        monday,
    )?;
    crm.define_sla_policy(
        policy(
            "standard",
            10,
            SlaFilter::default(),
            &[
                (SlaMetric::FirstResponse, 120, 480),
                (SlaMetric::Resolution, 1440, 2880),
            ],
        ),
        monday,
    )?;

    // The installed base.
    let acme = crm.create_account(NewAccount::named("Acme Logistics"), monday)?;
    let printer = crm.register_asset(
        NewAsset {
            custom: Default::default(),
            serial_number: "PX9-000123".into(),
            product: "PRN-9".into(),
            account: acme.id,
            name: "Label printer, dock 3".into(),
            installed_on: NaiveDate::from_ymd_opt(2025, 3, 1),
            location: Some("Hamburg, dock 3".into()),
        },
        monday,
    )?;
    crm.add_warranty(
        printer.id,
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
        "parts and labour",
        monday,
    )?;
    let contract = crm.create_contract(
        NewContract {
            custom: Default::default(),
            name: "Gold support 2026".into(),
            account: acme.id,
            starts_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            assets: vec![],
            products: vec!["PRN-9".into()],
            entitlement: Entitlement {
                cases: Some(12),
                hours: Some(Decimal::from(20)),
            },
            sla_policy: None,
            value: Some(crm::Money::new(
                Decimal::from(4800),
                crm::Currency::parse("EUR")?,
            )),
        },
        monday,
    )?;
    let coverage = crm.coverage(printer.id, monday.date_naive())?;
    println!(
        "Asset {} covered on {}: {} (warranties in force: {}, contracts: {})",
        printer.serial_number,
        coverage.on,
        coverage.covered,
        coverage.warranties.len(),
        coverage
            .contracts
            .iter()
            .map(|c| format!("{} with {:?} cases left", c.contract.name, c.cases_left))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // The desk: printer cases under contract go to the printer queue, to an agent who
    // knows label printers, in turn.
    crm.define_queue(
        QueueSpec {
            name: "Printers".into(),
            description: "Label and office printers".into(),
            members: vec!["kim".into(), "sam".into()],
            strategy: QueueStrategy::RoundRobin,
        },
        monday,
    )?;
    crm.set_agent(
        AgentSpec {
            login: "sam".into(),
            skills: vec!["labels".into()],
            languages: vec!["en".into(), "de".into()],
            available: true,
            capacity: Some(10),
        },
        monday,
    )?;
    crm.define_routing_rule(
        RoutingRuleSpec {
            name: "Printers under contract".into(),
            order: 1,
            when: vec![
                RouteCondition::Product {
                    any: vec!["PRN-9".into()],
                },
                RouteCondition::Entitled { is: true },
            ],
            queue: "printers".into(),
            skills: vec!["labels".into()],
            raise_to: None,
        },
        monday,
    )?;

    // Monday 11:50: the printer stops. The case finds its account and contract, and
    // routing finds its agent.
    let case = crm.open_case(
        NewCase {
            custom: Default::default(),
            subject: "Label printer prints blank labels".into(),
            description: "Since the ribbon change this morning".into(),
            channel: CaseChannel::Phone,
            category: CaseCategory::Incident,
            priority: CasePriority::High,
            account: None,
            contact: None,
            asset: Some(printer.id),
            contract: None,
            owner: None,
            queue: None,
            product: None,
            language: None,
        },
        at(11, 23, 11, 50),
    )?;
    println!(
        "\nOpened {} under contract {:?} at {}",
        case.number,
        case.contract.map(|c| c.get()),
        berlin(case.opened_at)
    );
    assert_eq!(case.contract, Some(contract.id));
    println!(
        "  routed to queue {} and agent {}",
        case.queue.as_deref().unwrap_or("-"),
        case.owner.as_deref().unwrap_or("-")
    );
    assert_eq!(
        case.owner.as_deref(),
        Some("sam"),
        "only sam knows label printers"
    );
    let sla = crm.case_sla(case.id, at(11, 23, 11, 50))?;
    for m in &sla.metrics {
        if let Some(o) = &m.ongoing {
            println!(
                "  {:<15} due {} ({} min of business time)",
                m.metric.to_string(),
                o.due_at.map(berlin).unwrap_or_default(),
                o.target_seconds / 60
            );
        }
    }
    let first_due = sla.metrics[0].ongoing.as_ref().and_then(|o| o.due_at);
    assert_eq!(first_due, Some(at(11, 23, 12, 20)));
    // First response: 30 business minutes from 11:50 is 12:20 (before the lunch break).
    // Checks through the day raise each alert once: a warning past 75 %, then the breach.
    for (h, m) in [(12, 5), (12, 15), (12, 16), (12, 25), (13, 0)] {
        for alert in crm.check_slas(at(11, 23, h, m))? {
            println!(
                "  {:02}:{:02} alert: {} {} {}",
                h,
                m,
                alert.number,
                alert.alert.metric,
                alert.alert.key().rsplit('/').next().unwrap_or_default()
            );
        }
    }
    // Answer, wait for the customer, customer replies, resolve.
    let comment = |author, body: &str, t| CaseComment {
        author,
        name: "sam".into(),
        public: true,
        body: body.into(),
        at: t,
    };
    crm.comment_on_case(
        case.id,
        comment(
            CommentAuthor::Agent,
            "Which ribbon type did you load?",
            at(11, 23, 14, 0),
        ),
    )?;
    crm.set_case_status(case.id, CaseStatus::PendingCustomer, at(11, 23, 14, 0))?;
    crm.comment_on_case(
        case.id,
        comment(
            CommentAuthor::Customer,
            "Wax ribbon, 110 mm",
            at(11, 24, 10, 0),
        ),
    )?;
    crm.comment_on_case(
        case.id,
        comment(
            CommentAuthor::Agent,
            "That is the cause: the PX9 needs resin. A technician brings one.",
            at(11, 24, 10, 30),
        ),
    )?;

    // A technician visit, scheduled on the office calendar.
    for (name, skills) in [
        ("Ann", vec!["printers", "ribbons"]),
        ("Ben", vec!["network"]),
    ] {
        crm.define_technician(
            NewTechnician {
                name: name.into(),
                skills: skills.into_iter().map(String::from).collect(),
                calendar: "office".into(),
            },
            monday,
        )?;
    }
    let visit = crm.create_service_order(
        NewServiceOrder {
            work: "Replace ribbon with resin type, test print".into(),
            skills: vec!["printers".into(), "ribbons".into()],
            duration_minutes: 90,
            earliest_start: at(11, 24, 11, 0),
            due_by: Some(at(11, 25, 18, 0)),
            priority: CasePriority::High,
            account: Some(acme.id),
            asset: Some(printer.id),
            case: Some(case.id),
        },
        at(11, 24, 10, 30),
    )?;
    let plan =
        crm.schedule_service_orders(at(11, 24, 0, 0), at(11, 28, 0, 0), at(11, 24, 10, 31))?;
    for (order, slot) in &plan.placed {
        println!(
            "\nService order {order}: technician {} from {} to {}",
            slot.technician,
            berlin(slot.start),
            berlin(slot.end)
        );
    }
    // 11:00 + 90 min of office time: 11:00–12:30, so the visit ends at 12:30.
    crm.complete_service_order(visit.id, Decimal::new(15, 1), at(11, 24, 12, 30))?;
    crm.set_case_status(case.id, CaseStatus::Resolved, at(11, 24, 12, 45))?;
    let sla = crm.case_sla(case.id, at(11, 24, 13, 0))?;
    println!("\nSLA of {} once resolved: {:?}", case.number, sla.state);
    for m in &sla.metrics {
        for (i, c) in m.completed.iter().enumerate() {
            println!(
                "  {:<15} cycle {i}: {} min of {} ({})",
                m.metric.to_string(),
                c.elapsed_seconds / 60,
                c.target_seconds / 60,
                if c.breached { "breached" } else { "met" }
            );
        }
    }
    // Resolution: Monday 11:50–12:30 and 13:30–14:00 (70 min), paused while pending the
    // customer, Tuesday 10:00–12:30 (150 min): 220 of 480.
    assert_eq!(sla.metrics[2].completed[0].elapsed_seconds, 220 * 60);
    let contract = crm.contract(contract.id)?;
    println!(
        "Contract {}: {} cases and {} hours used",
        contract.name, contract.cases_used, contract.hours_used
    );

    // Planned maintenance: every three months, generated through next summer.
    crm.define_maintenance_plan(
        NewMaintenancePlan {
            asset: printer.id,
            work: "Quarterly clean and calibration".into(),
            skills: vec!["printers".into()],
            duration_minutes: 60,
            every: 3,
            unit: RecurrenceUnit::Months,
            first_due: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            until: None,
            window_days: 14,
        },
        monday,
    )?;
    let generated =
        crm.generate_maintenance_orders(NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(), monday)?;
    println!(
        "\nMaintenance orders generated: {}",
        generated
            .iter()
            .map(|o| o.earliest_start.date_naive().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );

    // The knowledge base.
    for (title, body, tag) in [
        (
            "Blank labels after a ribbon change",
            "Check the ribbon type: the PX9 prints with resin ribbons only; wax ribbons leave labels blank.",
            "printer",
        ),
        (
            "Calibrating the label sensor",
            "Hold the feed button for five seconds until the printer feeds two labels.",
            "printer",
        ),
        (
            "Resetting the dock Wi-Fi bridge",
            "Unplug the bridge for ten seconds; the status light turns green.",
            "network",
        ),
    ] {
        crm.write_article(
            ArticleContent {
                title: title.into(),
                body: body.into(),
                tags: vec![tag.into()],
                products: vec!["PRN-9".into()],
            },
            ArticleStatus::Published,
            monday,
        )?;
    }
    println!("\nKnowledge base: \"blank labels ribbon\"");
    for hit in crm.search_articles("blank labels ribbon", &SearchFilter::default(), 3)? {
        println!("  {:.2}  {}", hit.score, hit.title);
    }
    println!("\nStore: {}", path.display());
    Ok(())
}
