//! Marketing end to end through the facade, on MemoryStore and on SqliteStore: a campaign
//! with ads and costs, leads and touchpoints it brought, conversions and a won deal;
//! attribution, the performance report, the funnel, segments (cross-sell), plan versus
//! actual, the sales report, and the automation engine with its outbox.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use crm::crm::convert::{ConvertOptions, OpportunityDraft};
use crm::customer::{NewAccount, NewContact, NewPurchase};
use crm::id::RecordRef;
use crm::marketing::attribution::AttributionModel;
use crm::marketing::automation::{
    Action, ActionStatus, Condition, MissingFields, Planned, Template, Trigger,
};
use crm::marketing::reports::ReportFilter;
use crm::marketing::{
    Ad, CampaignChannel, CampaignStatus, NewCampaign, PlanTarget, Predicate, Response,
    SegmentSubject,
};
use crm::sales::Pipeline;
use crm::sales::forecast::Period;
use crm::store::Store;
use crm::tracking::{NewTouchpoint, TouchpointKind};
use crm::{Crm, Currency, LeadField, LeadInput, Money, Region};
use rust_decimal::Decimal;

fn day(d: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap() + Duration::days(d)
}

fn eur(s: &str) -> Money {
    Money::parse(s, "EUR").unwrap()
}

fn marketing<S: Store>(crm: Crm<S>) {
    let currency = Currency::parse("EUR").unwrap();
    let pipeline = crm
        .define_pipeline("Sales", Pipeline::default_stages(), day(0))
        .unwrap();
    let ad = |code: &str, cost: &str, impressions| Ad {
        code: code.into(),
        name: String::new(),
        url: Some("https://shop.example.com/cameras".into()),
        cost: eur(cost),
        impressions,
    };
    let campaign = crm
        .create_campaign(
            NewCampaign {
                custom: Default::default(),
                code: "AUTUMN".into(),
                name: "Autumn cameras".into(),
                channel: CampaignChannel::Email,
                starts_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                ends_on: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
                budget: eur("1000"),
                ads: vec![ad("A1", "200", 10_000), ad("A2", "100", 5_000)],
                target_products: vec!["CAM-1".into()],
                segments: vec![],
                geographies: vec!["DE".into()],
            },
            day(0),
        )
        .unwrap();
    assert_eq!(
        campaign.ads[0].tracked_url(&campaign).unwrap(),
        "https://shop.example.com/cameras?utm_source=crm&utm_medium=email&utm_campaign=AUTUMN&utm_content=A1"
    );
    crm.add_campaign_cost("AUTUMN", eur("50"), day(0)).unwrap();
    assert_eq!(
        crm.add_campaign_cost("AUTUMN", Money::parse("5", "USD").unwrap(), day(0))
            .unwrap_err()
            .code(),
        "currency_mismatch"
    );
    crm.set_campaign_status("AUTUMN", CampaignStatus::Active, day(0))
        .unwrap();
    assert_eq!(
        crm.set_campaign_status("AUTUMN", CampaignStatus::Planned, day(0))
            .unwrap_err()
            .code(),
        "illegal_transition"
    );

    // Automation first, so that it sees the leads being captured: welcome e-mail, round
    // robin, and after three days a hot rating for leads still new.
    crm.define_automation_rule(
        "welcome autumn leads",
        Trigger::Event {
            event_type: "LeadCaptured".into(),
            conditions: vec![Condition::FieldEquals {
                field: "campaign".into(),
                value: "autumn".into(),
            }],
        },
        vec![
            Action::SendEmail {
                template: Template {
                    name: "welcome".into(),
                    subject: "Welcome, {{first_name}}".into(),
                    body: "<p>Hello {{first_name}} from {{company}}</p>".into(),
                    missing: MissingFields::Blank,
                },
            },
            Action::AssignRoundRobin {
                owners: vec!["ann".into(), "bob".into()],
            },
            Action::Wait {
                days: 3,
                conditions: vec![Condition::FieldEquals {
                    field: "status".into(),
                    value: "new".into(),
                }],
                then: vec![Action::SetRating {
                    rating: "hot".into(),
                }],
            },
        ],
        false,
        day(0),
    )
    .unwrap();

    // Four leads from the campaign (three by ad A1, one by A2), one from an affiliate.
    let lead = |n: u32, ad: Option<&str>, affiliate: Option<&str>| {
        let mut input = LeadInput::new()
            .with(LeadField::FirstName, format!("P{n}"))
            .with(LeadField::LastName, "Buyer")
            .with(LeadField::Company, format!("Shop {n} <GmbH>"))
            .with(LeadField::Email, format!("p{n}@shop{n}.example.com"))
            .with(LeadField::Country, "DE");
        if let Some(ad) = ad {
            input = input
                .with(LeadField::Campaign, "AUTUMN")
                .with(LeadField::Ad, ad);
        }
        if let Some(a) = affiliate {
            input = input.with(LeadField::Affiliate, a);
        }
        crm.capture_lead(&input, day(1)).unwrap().lead
    };
    let l1 = lead(1, Some("A1"), None);
    let l2 = lead(2, Some("A1"), None);
    let _l3 = lead(3, Some("A1"), None);
    let _l4 = lead(4, Some("A2"), None);
    let _l5 = lead(5, None, Some("partner-x"));
    // they all opted in to e-mail on the campaign's form (automation mails only them)
    for id in 1..=5 {
        crm.grant_consent(
            crm::consent::NewConsent {
                subject: RecordRef::Lead(crm::id::LeadId::new(id).unwrap()),
                channel: crm::consent::Channel::Email,
                purpose: crm::consent::Purpose::Marketing,
                source: "autumn landing page".into(),
                proof: crm::consent::ConsentProof::default(),
            },
            day(1),
        )
        .unwrap();
    }
    // Six ad clicks (A1 ×4, A2 ×2) and an e-mail open.
    let touch = |subject, at, kind, ad: &str| {
        crm.record_touchpoint(
            NewTouchpoint {
                subject,
                at,
                kind,
                attribution: crm::lead::Attribution {
                    campaign: Some("AUTUMN".into()),
                    ad: Some(ad.into()),
                    ..Default::default()
                },
            },
            at,
        )
        .unwrap()
    };
    for (i, (l, a)) in [
        (&l1, "A1"),
        (&l1, "A1"),
        (&l2, "A1"),
        (&l2, "A1"),
        (&l2, "A2"),
        (&l2, "A2"),
    ]
    .into_iter()
    .enumerate()
    {
        touch(
            RecordRef::Lead(l.id),
            day(1) + Duration::hours(i as i64 + 1),
            TouchpointKind::AdClick,
            a,
        );
    }
    touch(
        RecordRef::Lead(l1.id),
        day(2),
        TouchpointKind::EmailOpen { email: None },
        "A1",
    );

    // The first run plans 3 actions per campaign lead (12); a second run plans none.
    let run = crm.run_automation(day(1), 1000).unwrap();
    assert_eq!(run.actions.len(), 12);
    assert_eq!(
        run.actions
            .iter()
            .filter(|a| a.status == ActionStatus::Waiting)
            .count(),
        4
    );
    let email = run
        .actions
        .iter()
        .find_map(|a| match &a.action.planned {
            Planned::SendEmail { email } => Some(email.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(email.to.as_deref(), Some("p1@shop1.example.com"));
    assert_eq!(email.body, "<p>Hello P1 from Shop 1 &lt;GmbH&gt;</p>");
    assert!(crm.run_automation(day(1), 1000).unwrap().actions.is_empty());
    // The host applies the assignments (owners in turn) and sends the e-mails.
    let pending = crm.pending_automation_actions().unwrap();
    assert_eq!(pending.len(), 8);
    for a in &pending {
        match a.action.planned {
            Planned::AssignOwner { .. } => {
                crm.apply_automation_action(a.id, day(1)).unwrap();
            }
            _ => {
                assert_eq!(
                    crm.apply_automation_action(a.id, day(1))
                        .unwrap_err()
                        .code(),
                    "invalid_value"
                );
                crm.finish_automation_action(a.id, None, day(1)).unwrap();
            }
        }
    }
    assert_eq!(crm.lead(l1.id).unwrap().data.owner.as_deref(), Some("ann"));
    assert_eq!(crm.lead(l2.id).unwrap().data.owner.as_deref(), Some("bob"));
    assert!(crm.pending_automation_actions().unwrap().is_empty());

    // Lead 1 and 2 qualified and converted with opportunities; 1 won, 2 lost.
    for (l, amount, d) in [(&l1, "1000", 5), (&l2, "500", 6)] {
        crm.qualify(l.id, day(d)).unwrap();
        let options = ConvertOptions {
            opportunity: Some(OpportunityDraft {
                name: None,
                pipeline: pipeline.id,
                stage: None,
                amount: eur(amount),
                expected_close: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                products: vec!["CAM-1".into()],
            }),
            ..ConvertOptions::default()
        };
        crm.convert_lead(l.id, &options, day(d + 1)).unwrap();
    }
    let o1 = crm
        .lead(l1.id)
        .unwrap()
        .conversion
        .unwrap()
        .opportunity
        .unwrap();
    let o2 = crm
        .lead(l2.id)
        .unwrap()
        .conversion
        .unwrap()
        .opportunity
        .unwrap();
    crm.win_opportunity(o1, None, day(20)).unwrap();
    crm.lose_opportunity(o2, "budget", day(21)).unwrap();

    // Four days on, the waits are due: the two leads still new are rated hot; the two
    // converted ones are skipped.
    let later = crm.run_automation(day(5), 1000).unwrap();
    let ratings = later
        .actions
        .iter()
        .filter(|a| matches!(a.action.planned, Planned::SetRating { .. }))
        .count();
    let skipped = later
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Skipped)
        .count();
    assert_eq!((ratings, skipped), (2, 2));

    // Attribution (linear): lead 1's three touches (two A1 clicks, one open) share 1 000.
    let filter = ReportFilter::default();
    let linear = crm
        .attribution(AttributionModel::Linear, currency, &filter)
        .unwrap();
    assert_eq!((linear.deals, linear.revenue), (1, Decimal::from(1000)));
    let credit = |dim: &str, key: &str| {
        linear
            .rows
            .iter()
            .find(|r| r.dimension == dim && r.key == key)
            .map(|r| r.revenue)
    };
    assert_eq!(credit("campaign", "AUTUMN"), Some(Decimal::from(1000)));
    assert_eq!(credit("ad", "A1"), Some(Decimal::from(1000)));
    let first = crm
        .attribution(AttributionModel::FirstTouch, currency, &filter)
        .unwrap();
    assert_eq!(
        first
            .rows
            .iter()
            .filter(|r| r.dimension == "channel")
            .map(|r| r.revenue)
            .sum::<Decimal>(),
        Decimal::from(1000)
    );

    // Performance: campaign AUTUMN — 15 000 impressions, 6 clicks, 4 leads, 1 customer,
    // 1 000 revenue, cost 200 + 100 + 50 = 350: CTR 6/15 000, conversion 4/6, cost per
    // lead 87.50, per acquisition 350, ROI (1 000 − 350) / 350.
    let report = crm.marketing_report(currency, &filter).unwrap();
    let row = report
        .performance
        .iter()
        .find(|r| r.dimension == "campaign" && r.key == "AUTUMN")
        .unwrap();
    assert_eq!(
        (row.impressions, row.clicks, row.leads, row.customers),
        (15_000, 6, 4, 1)
    );
    assert_eq!(
        (row.revenue, row.cost),
        (Decimal::from(1000), Decimal::from(350))
    );
    assert_eq!(row.click_through_rate, Some(6.0 / 15_000.0));
    assert_eq!(row.conversion_rate, Some(4.0 / 6.0));
    assert_eq!(row.cost_per_lead, Some(Decimal::new(875, 1)));
    assert_eq!(row.cost_per_acquisition, Some(Decimal::from(350)));
    assert_eq!(row.roi, Some(650.0 / 350.0));
    let affiliate = report
        .performance
        .iter()
        .find(|r| r.dimension == "affiliate")
        .unwrap();
    assert_eq!((affiliate.key.as_str(), affiliate.leads), ("partner-x", 1));
    // Funnel: 5 leads, 2 qualified, 2 opportunities, 1 won.
    let f = &report.funnel;
    assert_eq!((f.leads, f.qualified, f.opportunities, f.won), (5, 2, 2, 1));
    assert_eq!(f.rates[3], Some(0.2));
    // Pipeline: win rate by owner (ann won, bob lost).
    let ann = report
        .pipeline
        .win_rates
        .iter()
        .find(|w| w.dimension == "owner" && w.key == "ann");
    assert!(ann.is_none_or(|w| w.win_rate.is_some()));

    // Campaign members: lead 1 converted, lead 2 clicked.
    let members = crm.campaign_members("AUTUMN").unwrap();
    let resp = |r: RecordRef| members.iter().find(|m| m.subject == r).map(|m| m.response);
    let c1 = crm.lead(l1.id).unwrap().conversion.unwrap().contact;
    assert_eq!(resp(RecordRef::Contact(c1)), Some(Response::Converted));
    let c2 = crm.lead(l2.id).unwrap().conversion.unwrap().contact;
    assert_eq!(resp(RecordRef::Contact(c2)), Some(Response::Clicked));

    // Segments: customers who bought CAM-1 but not LENS-1.
    let acme = crm
        .create_account(NewAccount::named("Acme"), day(0))
        .unwrap();
    let contact = |n: &str| {
        crm.create_contact(
            NewContact {
                account: Some(acme.id),
                first_name: Some(n.into()),
                last_name: Some("Customer".into()),
                ..Default::default()
            },
            day(0),
        )
        .unwrap()
    };
    let buy = |c, product: &str, price: &str, d| {
        crm.record_purchase(
            NewPurchase {
                custom: Default::default(),
                contact: c,
                product: product.into(),
                purchased_at: day(d),
                sales_rep: Some("ann".into()),
                quantity: Decimal::ONE,
                unit_price: eur(price),
                special_instructions: None,
                feedback: None,
            },
            day(d),
        )
        .unwrap()
    };
    let (x, y, _z) = (contact("X"), contact("Y"), contact("Z"));
    buy(x.id, "CAM-1", "500", 3);
    buy(y.id, "CAM-1", "450", 4);
    buy(y.id, "LENS-1", "200", 4);
    let rule: Predicate = serde_json::from_str(
        r#"{"op":"all","all":[{"op":"purchased","product":"CAM-1"},{"op":"not_purchased","product":"LENS-1"}]}"#,
    )
    .unwrap();
    let seg = crm
        .define_segment("cross-sell lens", SegmentSubject::Contacts, rule, day(10))
        .unwrap();
    assert_eq!(seg.segment.members, vec![RecordRef::Contact(x.id)]);
    buy(x.id, "LENS-1", "190", 11);
    let again = crm.evaluate_segment("cross-sell lens", day(12)).unwrap();
    assert!(again.segment.members.is_empty());
    assert_eq!(again.removed, vec![RecordRef::Contact(x.id)]);
    assert_eq!(
        crm.define_segment(
            "bad",
            SegmentSubject::Leads,
            Predicate::Any { any: vec![] },
            day(0)
        )
        .unwrap_err()
        .code(),
        "validation_failed"
    );

    // Sales report: CAM-1 in October, 2 lines, 950, min 450, median 475, max 500.
    let sales = crm
        .sales_report(Period::Month, currency, &ReportFilter::default())
        .unwrap();
    let cam = sales
        .products
        .iter()
        .find(|p| p.product == "CAM-1")
        .unwrap();
    assert_eq!(
        (cam.period.as_str(), cam.lines, cam.revenue),
        ("2026-10", 2, Decimal::from(950))
    );
    assert_eq!(cam.median_unit_price, Decimal::from(475));

    // Plan versus actual: 10 leads, 20 responses, 5 000 planned for CAM in DE in October.
    crm.define_marketing_plan(
        "2026",
        vec![PlanTarget {
            starts_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            product_group: "CAM".into(),
            geography: "DE".into(),
            leads: 10,
            responses: 20,
            revenue: eur("5000"),
        }],
        day(0),
    )
    .unwrap();
    let pva = crm.plan_vs_actual("2026").unwrap();
    assert_eq!(pva[0].leads, (10, 4));
    assert_eq!(pva[0].responses, (20, 6));
    // The won deal (1 000, CAM-1) is for the account made from lead 1, in DE.
    assert_eq!(pva[0].revenue, (Decimal::from(5000), Decimal::from(1000)));
}

#[test]
fn marketing_on_memory() {
    marketing(Crm::new(
        crm::store::MemoryStore::new(),
        Region::parse("DE").unwrap(),
    ));
}

#[test]
fn marketing_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = crm::SqliteStore::open(dir.path().join("crm.db")).unwrap();
    marketing(Crm::new(store, Region::parse("DE").unwrap()));
}
