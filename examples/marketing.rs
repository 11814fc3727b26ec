//! A month of marketing on the embedded SQLite store: a campaign with two ads, the leads
//! and clicks it brings, an automation rule that welcomes and assigns them, a won deal;
//! then attribution under two models, the performance report and the funnel, and a
//! cross-sell segment.
//!
//! `cargo run --example marketing [path/to/crm.db]`

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use crm::crm::convert::{ConvertOptions, OpportunityDraft};
use crm::customer::{NewAccount, NewContact, NewPurchase};
use crm::id::RecordRef;
use crm::lead::Attribution;
use crm::marketing::attribution::AttributionModel;
use crm::marketing::automation::{Action, Condition, MissingFields, Planned, Template, Trigger};
use crm::marketing::reports::ReportFilter;
use crm::marketing::{Ad, CampaignChannel, CampaignStatus, NewCampaign, Predicate, SegmentSubject};
use crm::sales::Pipeline;
use crm::tracking::{NewTouchpoint, TouchpointKind};
use crm::{Crm, Currency, LeadField, LeadInput, Money, Region, SqliteStore};
use rust_decimal::Decimal;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn day(d: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap() + Duration::days(d)
}

fn eur(s: &str) -> Res<Money> {
    Ok(Money::parse(s, "EUR")?)
}

fn main() -> Res<()> {
    let path = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("crm-marketing.db"));
    let _ = std::fs::remove_file(&path);
    let crm = Crm::new(SqliteStore::open(&path)?, Region::parse("DE")?);
    let eur_code = Currency::parse("EUR")?;
    let pipeline = crm.define_pipeline("Sales", Pipeline::default_stages(), day(0))?;

    let ad = |code: &str, cost: &str, impressions| -> Res<Ad> {
        Ok(Ad {
            code: code.into(),
            name: format!("Banner {code}"),
            url: Some("https://shop.example.com/cameras".into()),
            cost: eur(cost)?,
            impressions,
        })
    };
    let campaign = crm.create_campaign(
        NewCampaign {
            custom: Default::default(),
            code: "AUTUMN".into(),
            name: "Autumn cameras".into(),
            channel: CampaignChannel::Display,
            starts_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            budget: eur("2000")?,
            ads: vec![ad("A1", "400", 40_000)?, ad("A2", "250", 25_000)?],
            target_products: vec!["CAM-1".into()],
            segments: vec![],
            geographies: vec!["DE".into()],
        },
        day(0),
    )?;
    crm.set_campaign_status("AUTUMN", CampaignStatus::Active, day(0))?;
    println!("Campaign {} — tracked links:", campaign.name);
    for a in &campaign.ads {
        println!(
            "  {}: {}",
            a.code,
            a.tracked_url(&campaign).unwrap_or_default()
        );
    }

    // Welcome every lead the campaign brings, and share them between two reps.
    crm.define_automation_rule(
        "welcome autumn leads",
        Trigger::Event {
            event_type: "LeadCaptured".into(),
            conditions: vec![Condition::FieldEquals {
                field: "campaign".into(),
                value: "AUTUMN".into(),
            }],
        },
        vec![
            Action::SendEmail {
                template: Template {
                    name: "welcome".into(),
                    subject: "Your camera questions, {{first_name}}".into(),
                    body: "<p>Hello {{first_name}}, thanks for visiting from {{company}}.</p>"
                        .into(),
                    missing: MissingFields::Blank,
                },
            },
            Action::AssignRoundRobin {
                owners: vec!["ann".into(), "bob".into()],
            },
        ],
        false,
        day(0),
    )?;

    // Twelve leads: ads A1 and A2 alternate; each clicked once or twice.
    let mut leads = Vec::new();
    for n in 0..12 {
        let ad = if n % 3 == 2 { "A2" } else { "A1" };
        let input = LeadInput::new()
            .with(LeadField::FirstName, format!("Kim{n}"))
            .with(LeadField::LastName, "Schmidt")
            .with(LeadField::Company, format!("Studio {n}"))
            .with(LeadField::Email, format!("kim{n}@studio{n}.example.com"))
            .with(LeadField::Country, "DE")
            .with(LeadField::Campaign, "AUTUMN")
            .with(LeadField::Ad, ad);
        let lead = crm.capture_lead(&input, day(1 + n / 3))?.lead;
        for k in 0..(1 + n % 2) {
            crm.record_touchpoint(
                NewTouchpoint {
                    subject: RecordRef::Lead(lead.id),
                    at: day(n / 3) + Duration::hours(k + 1),
                    kind: TouchpointKind::AdClick,
                    attribution: Attribution {
                        campaign: Some("AUTUMN".into()),
                        ad: Some(ad.into()),
                        ..Default::default()
                    },
                },
                day(1 + n / 3),
            )?;
        }
        leads.push(lead);
    }
    let run = crm.run_automation(day(5), 10_000)?;
    println!(
        "\nAutomation: {} events read, {} actions planned",
        run.events,
        run.actions.len()
    );
    for a in crm.pending_automation_actions()? {
        match &a.action.planned {
            Planned::SendEmail { email } if a.action.subject_id == leads[0].id.get() => {
                println!(
                    "  e-mail to {:?}: {:?}",
                    email.to.as_deref().unwrap_or(""),
                    email.subject
                );
                crm.finish_automation_action(a.id, None, day(5))?;
            }
            Planned::AssignOwner { .. } => {
                crm.apply_automation_action(a.id, day(5))?;
            }
            _ => {
                crm.finish_automation_action(a.id, None, day(5))?;
            }
        }
    }
    assert!(crm.run_automation(day(5), 10_000)?.actions.is_empty());

    // Three leads qualify and convert; two deals are won.
    for (i, amount) in [(0usize, "1800"), (1, "950"), (5, "2400")] {
        crm.qualify(leads[i].id, day(8))?;
        let options = ConvertOptions {
            opportunity: Some(OpportunityDraft {
                name: None,
                pipeline: pipeline.id,
                stage: None,
                amount: eur(amount)?,
                expected_close: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                products: vec!["CAM-1".into()],
            }),
            ..ConvertOptions::default()
        };
        let c = crm.convert_lead(leads[i].id, &options, day(9))?;
        if let Some(o) = c.opportunity.filter(|_| i != 1) {
            crm.win_opportunity(o.id, None, day(25))?;
        }
    }

    let filter = ReportFilter::default();
    for model in [AttributionModel::LastTouch, AttributionModel::Linear] {
        let a = crm.attribution(model, eur_code, &filter)?;
        let ads: Vec<String> = a
            .rows
            .iter()
            .filter(|r| r.dimension == "ad")
            .map(|r| format!("{} {}", r.key, r.revenue))
            .collect();
        println!(
            "\nAttribution {model:?}: {} deals, {} EUR → {}",
            a.deals,
            a.revenue,
            ads.join(", ")
        );
        let total: Decimal = a
            .rows
            .iter()
            .filter(|r| r.dimension == "campaign")
            .map(|r| r.revenue)
            .sum();
        assert_eq!(total, a.revenue);
    }

    let report = crm.marketing_report(eur_code, &filter)?;
    println!(
        "\n{:<10} {:<9} {:>7} {:>6} {:>5} {:>4} {:>8} {:>8} {:>7} {:>6}",
        "dimension", "key", "impr.", "clicks", "CTR%", "leads", "CPL", "CPA", "revenue", "ROI"
    );
    for r in report
        .performance
        .iter()
        .filter(|r| r.dimension != "affiliate")
    {
        println!(
            "{:<10} {:<9} {:>7} {:>6} {:>5.2} {:>4} {:>8} {:>8} {:>7} {:>6}",
            r.dimension,
            r.key,
            r.impressions,
            r.clicks,
            r.click_through_rate.unwrap_or(0.0) * 100.0,
            r.leads,
            r.cost_per_lead
                .map(|c| c.round_dp(2).to_string())
                .unwrap_or_default(),
            r.cost_per_acquisition
                .map(|c| c.round_dp(2).to_string())
                .unwrap_or_default(),
            r.revenue,
            r.roi.map(|x| format!("{x:.2}")).unwrap_or_default()
        );
    }
    let f = &report.funnel;
    println!(
        "\nFunnel: {} leads → {} qualified → {} opportunities → {} won ({:.0} % of leads)",
        f.leads,
        f.qualified,
        f.opportunities,
        f.won,
        f.rates[3].unwrap_or(0.0) * 100.0
    );
    assert_eq!(
        (f.leads, f.qualified, f.opportunities, f.won),
        (12, 3, 3, 2)
    );

    // A cross-sell segment: customers with the camera but not the lens.
    let acme = crm.create_account(NewAccount::named("Acme Photo"), day(0))?;
    for (name, products) in [
        ("Lee", vec!["CAM-1"]),
        ("Ray", vec!["CAM-1", "LENS-1"]),
        ("Sun", vec![]),
    ] {
        let c = crm.create_contact(
            NewContact {
                account: Some(acme.id),
                first_name: Some(name.into()),
                last_name: Some("Customer".into()),
                ..Default::default()
            },
            day(0),
        )?;
        for p in products {
            crm.record_purchase(
                NewPurchase {
                    custom: Default::default(),
                    contact: c.id,
                    product: p.into(),
                    purchased_at: day(3),
                    sales_rep: None,
                    quantity: Decimal::ONE,
                    unit_price: eur("499")?,
                    special_instructions: None,
                    feedback: None,
                },
                day(3),
            )?;
        }
    }
    let rule: Predicate = serde_json::from_str(
        r#"{"op":"all","all":[{"op":"purchased","product":"CAM-1"},{"op":"not_purchased","product":"LENS-1"}]}"#,
    )?;
    let seg = crm.define_segment("lens cross-sell", SegmentSubject::Contacts, rule, day(26))?;
    println!(
        "\nSegment {:?}: {} member(s)",
        seg.segment.name,
        seg.segment.members.len()
    );
    assert_eq!(seg.segment.members.len(), 1);
    println!("\nStore: {}", path.display());
    Ok(())
}
